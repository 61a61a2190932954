/* Live counters of a product listing's fields (templates/exams/kinds/listing.html).
 *
 * Each control marked data-count="chars" or "bytes" shows its length in the .count of the
 * counter its aria-describedby names, and the counter turns to "over" past data-limit.
 * Characters are Unicode code points and bytes are UTF-8, as the server counts them
 * (exams/kinds/listing.py). The page may hold several listings and so include this file
 * several times: it runs once. Saving is attempt.js's job (the data-answer paths).
 */
(function () {
  "use strict";
  if (window.cbecListingCounters) return;
  window.cbecListingCounters = true;

  var encoder = typeof TextEncoder === "function" ? new TextEncoder() : null;

  function length(control) {
    var value = control.value.trim();
    if (control.dataset.count === "bytes") {
      return encoder ? encoder.encode(value).length : unescape(encodeURIComponent(value)).length;
    }
    return Array.from(value).length;
  }

  function refresh(control) {
    var counter = document.getElementById(control.getAttribute("aria-describedby"));
    if (!counter) return;
    var n = length(control);
    var limit = parseInt(control.dataset.limit, 10);
    var over = !isNaN(limit) && n > limit;
    counter.querySelector(".count").textContent = String(n);
    counter.classList.toggle("over", over);
    control.setAttribute("aria-invalid", over ? "true" : "false");
  }

  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), refresh);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-count]")) refresh(event.target);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
