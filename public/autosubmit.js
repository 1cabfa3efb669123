// Posts the page's #auto-submit form on arrival (oidc-tap's replacement for oidc-provider's inline script, so
// the page keeps a CSP without inline script). Without script, the form's Continue button does the same.
(function () {
  'use strict';
  var form = document.getElementById('auto-submit');
  if (form) form.submit();
})();
