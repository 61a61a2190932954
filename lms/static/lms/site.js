// Behaviour every page shares (loaded by base.html; no inline script anywhere, CSP).
(function () {
  "use strict";
  // A <select data-autosubmit> sends its form when the choice changes (the language menu).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
})();
