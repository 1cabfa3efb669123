// oidc-tap sign-in pages: progressive enhancement only; every page works without this file.
// Its words come from the page (the `client.` messages of the catalogue, in the page's language, in the JSON block
// #messages) and are formatted with intl-messageformat, as on the server.
import { IntlMessageFormat } from './intl-messageformat.js';

(function () {
  'use strict';
  var lang = document.documentElement.lang || 'en';
  // The pseudo-locale's numbers and dates are English ones.
  var intlLang = lang === 'en-XA' ? 'en' : lang;
  var block = document.getElementById('messages');
  var messages = block ? JSON.parse(block.textContent) : {};
  function format(source, values) {
    return String(new IntlMessageFormat(source, intlLang).format(values));
  }
  function t(id, values) {
    return messages[id] === undefined ? id : format(messages[id], values);
  }
  // Shared with passkey.js (a module of its own).
  window.oidcTapMessage = t;

  // Prevent double submission: the first submit locks the form and disables its buttons.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.getAttribute('aria-busy') === 'true') {
      event.preventDefault();
      return;
    }
    form.setAttribute('aria-busy', 'true');
    // A disabled button's name and value are left out of the post, so the pressed one's (e.g. Allow) is carried by
    // a hidden field instead. Only a button inside the form is disabled below; one outside it (form="…") still
    // sends its own, and a copy would send it twice.
    var submitter = event.submitter;
    if (submitter && submitter.name && form.contains(submitter)) {
      var carried = document.createElement('input');
      carried.type = 'hidden';
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    var buttons = form.querySelectorAll('button, input[type="submit"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  });

  // Coming back via the back/forward cache must not leave a form locked.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    var forms = document.querySelectorAll('form[aria-busy="true"]');
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute('aria-busy');
      var buttons = forms[i].querySelectorAll('button, input[type="submit"]');
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
    }
  });

  // A "Wait N seconds" message counts down live; the form's button waits with it. The server's message already
  // names the wait, so without this file the page is just as true, only not live. The message itself comes with
  // the alert (data-message, data-values), to be formatted again with the seconds left.
  var waiting = document.querySelector('[data-retry-after]');
  var left = waiting ? parseInt(waiting.getAttribute('data-retry-after'), 10) : 0;
  if (waiting && left > 0 && waiting.getAttribute('data-message')) {
    var source = waiting.getAttribute('data-message');
    var values = JSON.parse(waiting.getAttribute('data-values') || '{}');
    var form = waiting.closest('form');
    var submit = form ? form.querySelector('button[type="submit"], input[type="submit"], button[data-webauthn]') : null;
    var end = Date.now() + left * 1000;
    // Announced once as it is, not once a second; the end is announced again.
    waiting.setAttribute('aria-live', 'off');
    if (submit) {
      submit.disabled = true;
      // passkey.js, which runs next, enables its buttons once they work: not this one, until the wait is over.
      submit.setAttribute('data-waiting', '');
    }
    var tick = function () {
      var s = Math.ceil((end - Date.now()) / 1000);
      if (s > 0) {
        values.seconds = s;
        waiting.textContent = format(source, values);
        return;
      }
      clearInterval(timer);
      waiting.setAttribute('aria-live', 'polite');
      waiting.textContent = t('client.retry.now');
      if (submit) {
        submit.removeAttribute('data-waiting');
        submit.disabled = false;
      }
    };
    var timer = setInterval(tick, 1000);
  }

  // As the server formats them (src/i18n/Catalogue.ts, DATE_TIME).
  var DATE_TIME = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  // Dates and times in the page's language, refined by the browser's preference for it (en-GB's 24-hour clock on an
  // English page), and in the deployment's time zone (config branding.timeZone, on <html data-time-zone>), else the
  // browser's own. The server wrote them in that zone or UTC, saying which.
  var zone = document.documentElement.getAttribute('data-time-zone');
  var times = document.querySelectorAll('time[datetime]');
  if (times.length) {
    var preferred = (navigator.languages || [navigator.language]).filter(function (l) {
      return l && l.split('-')[0].toLowerCase() === intlLang.split('-')[0].toLowerCase();
    });
    var dateFormat = new Intl.DateTimeFormat(preferred.concat([intlLang]), zone ? Object.assign({ timeZone: zone }, DATE_TIME) : DATE_TIME);
    for (var k = 0; k < times.length; k++) {
      var at = new Date(times[k].getAttribute('datetime'));
      if (!isNaN(at.getTime())) times[k].textContent = dateFormat.format(at);
    }
  }

  // If the server reported an error, put the cursor in the field it is about.
  if (document.getElementById('error')) {
    var field = document.querySelector('[aria-describedby~="error"]');
    if (field && typeof field.focus === 'function') {
      field.focus();
      if (field.value && typeof field.select === 'function') field.select();
    }
  }
})();
