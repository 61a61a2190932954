/* A question kind's authoring form (exams/templates/exams/kinds/_editor.html): "Add a row"
 * copies the formset's empty row, numbered next, and counts it in TOTAL_FORMS, so a teacher
 * can add a fifth option or a third blank without saving first. Without this script the
 * form still works: each save shows two more blank rows. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.add-row");
    if (!button) return;
    var fieldset = button.closest("fieldset");
    var prefix = button.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = fieldset.querySelector("template.row-template");
    if (!total || !template) return;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var body = fieldset.querySelector("tbody");
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
  });
})();
