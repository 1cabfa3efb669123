// oidc-tap sign-in pages: progressive enhancement only; every page works without this file.
(function () {
  'use strict';

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
  // names the wait, so without this file the page is just as true, only not live.
  var waiting = document.querySelector('[data-retry-after]');
  var left = waiting ? parseInt(waiting.getAttribute('data-retry-after'), 10) : 0;
  var message = waiting ? waiting.textContent : '';
  if (waiting && left > 0 && /\d+ seconds?/.test(message)) {
    var form = waiting.closest('form');
    var submit = form ? form.querySelector('button[type="submit"], input[type="submit"]') : null;
    var end = Date.now() + left * 1000;
    // Announced once as it is, not once a second; the end is announced again.
    waiting.setAttribute('aria-live', 'off');
    if (submit) submit.disabled = true;
    var tick = function () {
      var s = Math.ceil((end - Date.now()) / 1000);
      if (s > 0) {
        waiting.textContent = message.replace(/\d+ seconds?/, s + (s === 1 ? ' second' : ' seconds'));
        return;
      }
      clearInterval(timer);
      waiting.setAttribute('aria-live', 'polite');
      waiting.textContent = 'You can try again now.';
      if (submit) submit.disabled = false;
    };
    var timer = setInterval(tick, 1000);
  }

  // Times: the server writes them in UTC; each <time datetime> is restated in the reader's own time zone, in the
  // page's language (refined by the browser's preference for it, e.g. en-GB).
  var times = document.querySelectorAll('time[datetime]');
  if (times.length && window.Intl && Intl.DateTimeFormat) {
    var lang = document.documentElement.lang || 'en';
    var preferred = (navigator.languages || [navigator.language]).filter(function (l) {
      return l && l.split('-')[0].toLowerCase() === lang.split('-')[0].toLowerCase();
    });
    var format = new Intl.DateTimeFormat(preferred.concat([lang]), {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
    });
    for (var t = 0; t < times.length; t++) {
      var at = new Date(times[t].getAttribute('datetime'));
      if (!isNaN(at.getTime())) times[t].textContent = format.format(at);
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
