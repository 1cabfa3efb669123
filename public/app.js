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

  // If the server reported an error, put the cursor in the field it is about.
  if (document.getElementById('error')) {
    var field = document.querySelector('[aria-describedby~="error"]');
    if (field && typeof field.focus === 'function') {
      field.focus();
      if (field.value && typeof field.select === 'function') field.select();
    }
  }
})();
