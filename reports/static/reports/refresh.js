// The statistics refresh's progress: poll data-poll-url as JSON until the refresh is done
// or failed, then reload the page for its result.
(function () {
  "use strict";
  var box = document.querySelector(".refresh-progress[data-poll-url]");
  if (!box) return;
  var finished = ["done", "failed"];
  if (finished.indexOf(box.dataset.status) !== -1) return;
  var bar = box.querySelector("progress");
  function show(data) {
    box.querySelector("[data-role=done]").textContent = data.done;
    box.querySelector("[data-role=total]").textContent = data.total;
    bar.max = data.total || 1;
    bar.value = data.done;
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
})();
