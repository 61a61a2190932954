// My certificates: "Copy link" copies the share link (button data-copy) and says so (data-done).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var done = function () { button.textContent = button.dataset.done; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(button.dataset.copy).then(done);
      } else {
        var input = button.previousElementSibling;
        input.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
