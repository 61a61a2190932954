// While a lesson is open and visible, report it to the server, which credits the time it
// measured itself (courses.services.lesson_heartbeat); nothing here claims a duration.
(function () {
  "use strict";
  var page = document.querySelector("[data-lesson-time-url]");
  if (!page) return;
  var url = page.dataset.lessonTimeUrl;
  var every = Number(page.dataset.heartbeatSeconds || 30) * 1000;
  var input = document.querySelector("input[name=csrfmiddlewaretoken]");

  function beat() {
    if (document.visibilityState !== "visible") return;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": input ? input.value : "" }
    }).catch(function () { /* the next report tries again */ });
  }

  window.setInterval(beat, every);
  document.addEventListener("visibilitychange", beat);
})();
