// The teacher's studio (question banks, exam builder). No inline scripts: the pages carry
// data-* attributes and this file finds them.
(function () {
  "use strict";

  // Bank page: a "select all" box for the questions shown (hidden without this script).
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    var name = box.dataset.selectAll;
    var form = box.form || box.closest("form");
    box.hidden = false;
    box.addEventListener("change", function () {
      form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });

  var builder = document.getElementById("exam-builder");
  if (!builder) return;
  var countUrl = builder.dataset.countUrl;

  function field(row, suffix) {
    return row.querySelector('[name$="-' + suffix + '"]');
  }

  function value(row, suffix) {
    var input = field(row, suffix);
    return input ? input.value : "";
  }

  function common() {
    var params = new URLSearchParams();
    builder.querySelectorAll('input[name="exam-banks"]:checked').forEach(function (box) {
      params.append("bank", box.value);
    });
    var attempts = builder.querySelector('[name="exam-attempts_allowed"]');
    params.set("attempts", attempts && attempts.value ? attempts.value : "1");
    return params;
  }

  function refresh(row, base) {
    var output = row.querySelector("[data-role=match]");
    var removed = field(row, "DELETE");
    if (!output) return;
    if (removed && removed.checked) {
      output.textContent = "";
      output.classList.remove("short");
      return;
    }
    var params = new URLSearchParams(base);
    params.set("competency", value(row, "competency"));
    params.set("difficulty", value(row, "difficulty"));
    params.set("kind", value(row, "kind"));
    params.set("count", value(row, "count") || "0");
    fetch(countUrl + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.error) return;
        output.textContent = data.text;
        output.classList.toggle("short", !data.enough);
        output.dataset.count = data.count;
      })
      .catch(function () { /* the count shown at page load stays */ });
  }

  function refreshAll() {
    var base = common();
    builder.querySelectorAll("[data-rule-row]").forEach(function (row) { refresh(row, base); });
  }

  var timer = null;
  function later(event) {
    var row = event.target.closest("[data-rule-row]");
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (row) refresh(row, common());
      else refreshAll();
    }, 250);
  }
  builder.addEventListener("input", later);
  builder.addEventListener("change", later);

  // "Add a row": a copy of the formset's empty form, numbered as Django expects.
  builder.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.dataset.addRow;
    var template = document.getElementById(prefix + "-template");
    var body = builder.querySelector('[data-formset="' + prefix + '"]');
    var total = builder.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
    if (!template || !body || !total) return;
    button.hidden = false;
    if (button.nextElementSibling) button.nextElementSibling.hidden = true;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = body.lastElementChild;
      refresh(row, common());
      var first = row.querySelector("select, input");
      if (first) first.focus();
    });
  });
})();
