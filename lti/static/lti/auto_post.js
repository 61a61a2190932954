// Returning to the LTI platform: send the deep-linking response form at once
// (without JavaScript, its Continue button does it).
(function () {
  "use strict";
  var form = document.getElementById("lti-return");
  if (form) form.submit();
})();
