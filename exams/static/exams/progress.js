// Import progress: poll ?format=json until the job is finished, then reload for the report.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  var url = box.dataset.pollUrl;
  var bar = box.querySelector(".progress");
  function show(data) {
    var percent = data.total ? Math.floor((data.done * 100) / data.total) : 0;
    box.querySelector("[data-role=done]").textContent = data.done;
    box.querySelector("[data-role=total]").textContent = data.total;
    bar.setAttribute("aria-valuenow", data.done);
    bar.setAttribute("aria-valuemax", data.total);
    bar.firstElementChild.style.width = percent + "%";
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        show(data);
        if (data.status === "done" || data.status === "failed") window.location.reload();
        else window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 1000);
})();
