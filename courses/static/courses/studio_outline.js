// The course studio's outline: drag modules and lessons (SortableJS) and post the new order.
// The Up/Down buttons are plain form posts and work without this script.
(function () {
  "use strict";
  var list = document.querySelector("ol.modules[data-reorder-url]");
  var status = document.querySelector(".outline-status");

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function outline() {
    return Array.prototype.map.call(list.querySelectorAll(":scope > li.module"), function (module) {
      var lessons = module.querySelectorAll("ol.lessons > li.lesson");
      return {
        id: Number(module.dataset.id),
        lessons: Array.prototype.map.call(lessons, function (li) { return Number(li.dataset.id); })
      };
    });
  }

  function save() {
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ modules: outline() })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (status) status.textContent = result.data.detail || "";
      if (!result.ok) window.setTimeout(function () { window.location.reload(); }, 1500);
    }).catch(function () {
      if (status) status.textContent = list.dataset.failed;
      window.setTimeout(function () { window.location.reload(); }, 1500);
    });
  }

  if (list && window.Sortable) {
    var options = { handle: ".handle", animation: 150, onEnd: save };
    window.Sortable.create(list, Object.assign({ draggable: "li.module" }, options));
    document.querySelectorAll("ol.lessons").forEach(function (lessons) {
      window.Sortable.create(lessons, Object.assign({ group: "lessons", draggable: "li.lesson" }, options));
    });
    document.body.classList.add("can-drag");
  }

  // Deleting asks first.
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
})();
