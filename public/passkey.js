// oidc-tap passkey ceremonies. The options come from the server in the form's data-options attribute; the
// answer goes back in the form's hidden "response" field. Uses SimpleWebAuthnBrowser (webauthn.js), and app.js's
// messages (window.oidcTapMessage; app.js runs first, both being modules in page order).
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib) return;
  var t = window.oidcTapMessage || function (id) { return id; };

  function showError(form, message) {
    var box = form.querySelector('#passkey-error');
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  function explain(err) {
    var name = err && err.name;
    if (name === 'NotAllowedError' || name === 'AbortError') return t('client.passkey.cancelled');
    if (name === 'InvalidStateError') return t('client.passkey.exists');
    if (name === 'NotSupportedError' || name === 'SecurityError') return t('client.passkey.unsupported');
    return t('client.passkey.failed');
  }

  function send(form, answer) {
    form.querySelector('input[name="response"]').value = JSON.stringify(answer);
    form.setAttribute('data-sent', 'true');
    form.submit();
  }

  function run(form, kind, autofill) {
    var optionsJSON = JSON.parse(form.getAttribute('data-options'));
    var ceremony = kind === 'register'
      ? lib.startRegistration({ optionsJSON: optionsJSON })
      : lib.startAuthentication({ optionsJSON: optionsJSON, useBrowserAutofill: !!autofill });
    return ceremony.then(function (answer) { send(form, answer); }, function (err) {
      // An autofill request is aborted whenever the button starts another one: not worth a message.
      if (!autofill) showError(form, explain(err));
    });
  }

  // The pages send these buttons disabled: a module script runs after the page shows, and a click before it would
  // do nothing at all. Enabled here once they work (a button app.js holds for a "wait N seconds" stays held).
  var buttons = document.querySelectorAll('[data-webauthn]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function (event) {
      var button = event.currentTarget;
      run(button.form, button.getAttribute('data-webauthn'), false);
    });
    if (!buttons[i].hasAttribute('data-waiting')) buttons[i].disabled = false;
  }
  // autofocus passes over a disabled button; it is given the focus now, unless the user has already moved it.
  var first = document.querySelector('[data-webauthn][autofocus]');
  if (first && !first.disabled && (document.activeElement === document.body || !document.activeElement)) first.focus();

  // Passkeys offered by the username field's autofill (conditional mediation).
  // Not after a refused attempt: the page would offer the same passkey again in a loop.
  var autofillForm = document.querySelector('form[data-autofill]');
  if (autofillForm && !document.getElementById('error') && lib.browserSupportsWebAuthnAutofill) {
    lib.browserSupportsWebAuthnAutofill().then(function (supported) {
      if (supported) run(autofillForm, 'authenticate', true);
    });
  }

  // The one-time registration window's countdown. The visible time changes every second but is not a live region;
  // a hidden one announces the time left at a few milestones, and the end. When time is up the Register button is
  // disabled: a passkey made after it could never be used (the server refuses it), yet would stay on the device.
  var countdown = document.querySelector('[data-seconds-left]');
  if (countdown) {
    var end = Date.now() + Number(countdown.getAttribute('data-seconds-left')) * 1000;
    var strong = countdown.querySelector('strong');
    var announcer = document.getElementById('countdown-announcer');
    var MILESTONES = [300, 60, 30, 10];
    var announced = {};
    var announce = function (text) {
      if (announcer) announcer.textContent = text;
    };
    var timer = setInterval(function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      strong.textContent = t('client.countdown.time', { minutes: Math.floor(left / 60), seconds: left % 60 });
      for (var m = 0; m < MILESTONES.length; m++) {
        var at = MILESTONES[m];
        if (left <= at && left > at - 5 && !announced[at]) {
          announced[at] = true;
          announce(at >= 60 ? t('client.countdown.leftMinutes', { minutes: at / 60 }) : t('client.countdown.left', { seconds: at }));
        }
      }
      if (left === 0) {
        clearInterval(timer);
        countdown.textContent = t('client.countdown.over');
        var register = document.querySelector('[data-webauthn="register"]');
        if (register) register.disabled = true;
        announce(t('client.countdown.over'));
      }
    }, 1000);
  }
})();
