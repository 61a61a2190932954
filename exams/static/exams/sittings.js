// Invigilator console: poll the sitting's JSON every few seconds and update each
// candidate's state (with "connection lost"), last save and time left, and the progress of
// drawing papers and of submitting attempts when the sitting ends, without reloading;
// count time left down between polls. Also asks before "End the sitting". No inline script (CSP).
(function () {
  "use strict";

  document.querySelectorAll("form.confirm[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  var table = document.getElementById("console");
  if (!table || !table.dataset.pollUrl) return;

  function clock(seconds) {
    if (seconds === null || seconds === undefined || seconds === "") return "—";
    seconds = Math.max(0, Number(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function paintTimes() {
    table.querySelectorAll("[data-role=time-left]").forEach(function (cell) {
      cell.textContent = clock(cell.dataset.seconds);
    });
  }

  function setText(selector, value) {
    var el = document.querySelector(selector);
    if (el) el.textContent = value;
  }

  function update(data) {
    (data.rows || []).forEach(function (row) {
      var tr = table.querySelector('tr[data-student="' + row.student + '"]');
      if (!tr) return;
      tr.className = "state-" + row.state;
      var stateCell = tr.querySelector("[data-role=state]");
      stateCell.firstChild.textContent = row.state_label;
      var unheard = stateCell.querySelector("[data-role=unheard]");
      if (unheard) {
        unheard.textContent = row.state === "connection_lost"
          ? " · " + table.dataset.unheard.replace("{n}", row.last_heard_seconds)
          : "";
      }
      var save = tr.querySelector("[data-role=last-save]");
      save.textContent = row.last_save_seconds === null
        ? table.dataset.never
        : table.dataset.ago.replace("{n}", row.last_save_seconds);
      save.classList.toggle("stale", row.state === "answering" && row.last_save_seconds > 60);
      var left = tr.querySelector("[data-role=time-left]");
      left.dataset.seconds = row.seconds_left === null ? "" : row.seconds_left;
    });
    if (data.papers) {
      setText("[data-role=papers-drawn]", data.papers.drawn);
      setText("[data-role=papers-total]", data.papers.total);
      setText("[data-role=papers-status]", data.papers.status_label);
      var bar = document.querySelector("#papers progress");
      if (bar) { bar.max = data.papers.total || 1; bar.value = data.papers.drawn; }
    }
    if (data.ending) {
      setText("[data-role=end-done]", data.ending.done);
      setText("[data-role=end-total]", data.ending.total);
      setText("[data-role=end-status]", data.ending.status_label);
      var endBar = document.querySelector("#ending progress");
      if (endBar) { endBar.max = data.ending.total || 1; endBar.value = data.ending.done; }
    }
    paintTimes();
  }

  function poll() {
    fetch(table.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) { update(data); window.setTimeout(poll, 5000); })
      .catch(function () { window.setTimeout(poll, 15000); });
  }

  window.setInterval(function () {
    table.querySelectorAll("[data-role=time-left]").forEach(function (cell) {
      if (cell.dataset.seconds !== "" && cell.dataset.seconds !== undefined) {
        cell.dataset.seconds = Math.max(0, Number(cell.dataset.seconds) - 1);
      }
    });
    paintTimes();
  }, 1000);
  paintTimes();
  window.setTimeout(poll, 2000);
})();
