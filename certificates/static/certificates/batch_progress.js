// Certificate batch page: poll the batch's JSON until every certificate file is prepared
// or failed, updating the bar and the counts (the page's data-url, data-done, data-total).
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) return;
  var bar = document.getElementById("batch-bar");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        var done = p.rendered + p.failed;
        var percent = p.total ? Math.floor((done * 100) / p.total) : 100;
        bar.value = percent;
        bar.textContent = percent + "%";
        ["total", "rendered", "failed"].forEach(function (k) {
          document.getElementById("batch-" + k).textContent = p[k];
        });
        if (done < p.total) window.setTimeout(poll, 2000);
      });
  }
  if (Number(box.dataset.done) < Number(box.dataset.total)) window.setTimeout(poll, 2000);
})();
