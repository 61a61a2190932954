// Live preview of a lesson's Markdown, rendered by the server with the sanitiser students'
// pages use (courses.markup), so the preview is what students will see.
(function () {
  "use strict";
  var DELAY_MS = 400;

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.querySelectorAll(".markdown-editor[data-preview-url]").forEach(function (editor) {
    var source = editor.querySelector("textarea");
    var preview = editor.querySelector(".markdown-preview");
    var timer = null;
    var sent = 0;

    function render() {
      var text = source.value;
      if (!text.trim()) {
        preview.textContent = preview.dataset.empty;
        return;
      }
      var mine = ++sent;
      var body = new URLSearchParams();
      body.set("text", text);
      fetch(editor.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token() },
        body: body
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }).then(function (html) {
        // Sanitised by the server (nh3); only the latest answer is shown.
        if (mine === sent) preview.innerHTML = html;
      }).catch(function () {
        if (mine === sent) preview.textContent = preview.dataset.failed;
      });
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DELAY_MS);
    });
    render();
  });
})();
