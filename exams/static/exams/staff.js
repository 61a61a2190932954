// Job progress on staff pages (question imports, regrades): poll the element's
// data-poll-url as JSON until the job's status is one of data-finished, then reload
// the page for the report.
(function () {
  "use strict";
  document.querySelectorAll(".job-progress[data-poll-url]").forEach(function (box) {
    var finished = (box.dataset.finished || "done failed").split(" ");
    if (finished.indexOf(box.dataset.status) !== -1) return;
    var bar = box.querySelector(".progress");
    function show(data) {
      var percent = data.total ? Math.floor((data.done * 100) / data.total) : 0;
      box.querySelector("[data-role=done]").textContent = data.done;
      box.querySelector("[data-role=total]").textContent = data.total;
      bar.max = data.total || 1;
      bar.value = data.done;
      bar.textContent = percent + "%";
    }
    function poll() {
      fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          show(data);
          if (finished.indexOf(data.status) !== -1) window.location.reload();
          else window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
