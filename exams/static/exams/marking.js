/* The marking page's keyboard shortcuts: J or N opens the next answer of the queue, K or P the
 * previous one, G the queue itself. The links carry data-shortcut="next|previous|queue" (the
 * server leaves a link out when there is no such answer). Keys typed into a field, or with
 * Ctrl, Alt or Meta held, are left alone so that marks and comments type as usual. */
(function () {
  "use strict";
  var KEYS = { j: "next", n: "next", k: "previous", p: "previous", g: "queue" };

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.isContentEditable || target.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target)) return;
    var which = KEYS[(event.key || "").toLowerCase()];
    if (!which) return;
    var link = document.querySelector('a[data-shortcut="' + which + '"]');
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
