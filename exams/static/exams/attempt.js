/* The attempt page: autosave, flags, file upload, server-synced countdown and submit.
 *
 * Each question saves on its own, debounced, with an increasing sequence number so that a
 * late, older save can never overwrite a newer one on the server. Saves of one question run
 * one after another (a promise chain); network failures retry with backoff using the same
 * sequence number, which makes a retry harmless if the first try did arrive.
 * Every text shown comes translated from the page (#attempt-strings).
 *
 * No answer is lost when the network drops: every answer not yet acknowledged by the server
 * is kept in localStorage ("cbec-attempt:<attempt>:<position>" -> {seq, response}) with the
 * sequence number it is sent with. When the connection returns the waiting saves are sent at
 * once, each question's in order; a reload restores kept answers newer than the server's
 * (a higher seq) into the page and sends them. The server's seq rule makes a resend of an
 * answer it already has harmless. Copies are removed once the server acknowledges them and
 * when the attempt is submitted or closed. The clock is always the server's: the page posts
 * a heartbeat (every 15 s, or as often as the server's answer asks) that answers with it,
 * and the invigilators' console shows "connection lost" for a candidate not heard from
 * (heartbeat or save) for EXAMS_CONNECTION_LOST_SECONDS.
 */
(function () {
  "use strict";

  var root = document.getElementById("attempt");
  if (!root) return;
  var T = JSON.parse(document.getElementById("attempt-strings").textContent);
  var api = root.dataset.api;
  var resultUrl = root.dataset.resultUrl;
  var PREFIX = "cbec-attempt:" + root.dataset.attempt + ":";
  var KEEP_DAYS = 14; // a copy left behind (attempt closed elsewhere) is swept after this
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverTime) - Date.now(); // server clock minus ours
  var DEBOUNCE_MS = 800;
  var SYNC_MS = 15000; // clock sync and heartbeat, until the server says how often
  var WARN_SECONDS = 300; // offline with less than this left: tell the student to reconnect
  var clockLost = false; // the server has not answered since the last clock sync failed
  var closing = false; // submitted, or leaving for the result page: stop saving
  var finishing = false; // a submit is under way

  var countdown = document.getElementById("countdown");
  var saveState = document.getElementById("save-state");
  var offlineWarning = document.getElementById("offline-warning");
  var dialog = document.getElementById("submit-dialog");
  var state = {};

  Array.prototype.forEach.call(root.querySelectorAll("section.question"), function (section) {
    var position = section.dataset.position;
    state[position] = {
      section: section,
      seq: parseInt(section.dataset.seq, 10) || 0,
      file: section.dataset.file || null,
      timer: null,
      queued: false,
      chain: Promise.resolve(),
      lastSaved: null,
      failing: false,
      error: "",
      local: 0, // seq of the copy kept on this device and not yet acknowledged (0: none)
    };
  });

  // --- the copy kept on this device ---------------------------------------------------------

  var storage = (function () {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // storage disabled or full: saving still works, online only
    }
  })();

  function keep(st, seq, response) {
    if (!storage) return;
    try {
      storage.setItem(PREFIX + st.section.dataset.position,
        JSON.stringify({ seq: seq, response: response, at: Date.now() }));
      st.local = seq;
    } catch (e) {
      st.local = 0;
    }
  }

  function kept(position) {
    if (!storage) return null;
    try {
      var entry = JSON.parse(storage.getItem(PREFIX + position));
      return entry && typeof entry.seq === "number" && entry.response ? entry : null;
    } catch (e) {
      return null;
    }
  }

  /* The server holds seq `upTo` of this answer: drop the local copy unless it is newer. */
  function forget(st, upTo) {
    if (!storage || !st.local || st.local > upTo) return;
    storage.removeItem(PREFIX + st.section.dataset.position);
    st.local = 0;
  }

  function forgetAll() {
    Object.keys(state).forEach(function (p) { state[p].local = 0; });
    if (!storage) return;
    for (var i = storage.length - 1; i >= 0; i--) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) storage.removeItem(key);
    }
  }

  /* Copies of other attempts left behind (closed from another window) go after KEEP_DAYS. */
  function sweep() {
    if (!storage) return;
    var limit = Date.now() - KEEP_DAYS * 86400000;
    for (var i = storage.length - 1; i >= 0; i--) {
      var key = storage.key(i);
      if (!key || key.indexOf("cbec-attempt:") !== 0 || key.indexOf(PREFIX) === 0) continue;
      try {
        var entry = JSON.parse(storage.getItem(key));
        if (!entry || !(entry.at > limit)) storage.removeItem(key);
      } catch (e) {
        storage.removeItem(key);
      }
    }
  }

  // --- talking to the server ----------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    // With CSRF_COOKIE_HTTPONLY the page's own forms still carry the token.
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function request(method, url, body) {
    var headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
    if (body && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        // Any answer the server got through (a save beside a heartbeat that failed once)
        // shows the connection works: the student is not told they are offline.
        if (response.ok) clockLost = false;
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /* A retry's wait, cut short when the browser says the connection is back (resolves true). */
  var wakers = [];
  function pause(ms) {
    return new Promise(function (resolve) {
      var timer = setTimeout(function () { done(false); }, ms);
      function done(woken) {
        clearTimeout(timer);
        var i = wakers.indexOf(done);
        if (i >= 0) wakers.splice(i, 1);
        resolve(woken);
      }
      wakers.push(done);
    });
  }

  /* Back online: the waiting saves go now, a little apart rather than all in one burst. */
  function wakeAll() {
    wakers.slice().forEach(function (wake, n) {
      setTimeout(function () { wake(true); }, n * 150);
    });
  }

  /* Send until the server answers something other than a network or server error. */
  function withRetry(st, send) {
    var attempt = 0;
    function go() {
      return send().then(function (result) {
        if (result.status >= 500 || result.status === 429) throw new Error("server " + result.status);
        return result;
      }).catch(function () {
        if (closing) return { status: 0, data: {} };
        st.failing = true;
        refreshSaveState();
        attempt += 1;
        return pause(Math.min(30000, 1000 * Math.pow(2, attempt - 1))).then(function (woken) {
          if (woken) attempt = 0; // a new connection: back-off starts again from a second
          return go();
        });
      });
    }
    return go().then(function (result) {
      st.failing = false;
      return result;
    });
  }

  // --- reading answers from the page --------------------------------------------------------

  function checked(section, selector) {
    return Array.prototype.filter.call(section.querySelectorAll(selector), function (i) { return i.checked; });
  }

  function collect(st) {
    var section = st.section;
    var kind = section.dataset.kind;
    var picked;
    if (kind === "single_choice") {
      picked = checked(section, ".options input");
      return { choice: picked.length ? picked[0].value : null };
    }
    if (kind === "multiple_choice") {
      return { choices: checked(section, ".options input").map(function (i) { return i.value; }) };
    }
    if (kind === "true_false") {
      picked = checked(section, ".options input");
      return { value: picked.length ? picked[0].value === "true" : null };
    }
    if (kind === "fill_blanks") {
      var inputs = section.querySelectorAll("input.blank");
      var blanks = [];
      for (var n = 0; n < inputs.length; n++) blanks.push("");
      Array.prototype.forEach.call(inputs, function (i) { blanks[parseInt(i.dataset.blank, 10)] = i.value; });
      return { blanks: blanks };
    }
    if (kind === "numeric") return { value: section.querySelector("input.value").value };
    if (kind === "matching") {
      var pairs = {};
      Array.prototype.forEach.call(section.querySelectorAll("select[data-prompt]"), function (s) {
        if (s.value) pairs[s.dataset.prompt] = s.value;
      });
      return { pairs: pairs };
    }
    if (kind === "ordering") {
      var list = section.querySelector("ol.ordering");
      if (!list.dataset.touched) return { order: [] };
      return { order: Array.prototype.map.call(list.children, function (li) { return li.dataset.item; }) };
    }
    if (kind === "essay") return { text: section.querySelector("textarea.text").value };
    if (kind === "practical") return { text: section.querySelector("textarea.text").value, file: st.file };
    return fromFields(section);
  }

  /* Any other kind: its widget names each control's place in the response with
   * data-answer="path" ("title", "bullets.0", "steps.s1", "gaps.g2"), so a new kind needs
   * a template and no script. A numeric part makes a list; radio and checkbox controls
   * count when checked (several checked boxes under one path make a list). */
  function fromFields(section) {
    var response = {};
    Array.prototype.forEach.call(section.querySelectorAll("[data-answer]"), function (control) {
      var isChoice = control.type === "radio" || control.type === "checkbox";
      var path = control.dataset.answer.split(".");
      var holder = response;
      for (var i = 0; i < path.length - 1; i++) {
        if (holder[path[i]] === undefined) holder[path[i]] = /^\d+$/.test(path[i + 1]) ? [] : {};
        holder = holder[path[i]];
      }
      var last = path[path.length - 1];
      if (control.type === "checkbox") {
        if (!Array.isArray(holder[last])) holder[last] = [];
        if (control.checked) holder[last].push(control.value);
      } else if (!isChoice || control.checked) {
        holder[last] = control.value;
      } else if (holder[last] === undefined) {
        holder[last] = null;
      }
    });
    return response;
  }

  /* Whether a response holds an answer (the same rule as the server's page). */
  function filled(value) {
    if (value === null || value === undefined) return false;
    if (Array.isArray(value)) return value.some(filled);
    if (typeof value === "object") return Object.keys(value).some(function (k) { return filled(value[k]); });
    if (typeof value === "string") return value.trim() !== "";
    return true;
  }

  /* Put a response back into the page's controls (the reverse of collect). */
  function fill(st, response) {
    var section = st.section;
    var kind = section.dataset.kind;
    var r = response || {};
    function check(test) {
      Array.prototype.forEach.call(section.querySelectorAll(".options input"), function (i) {
        i.checked = test(i);
      });
    }
    if (kind === "single_choice") return check(function (i) { return i.value === r.choice; });
    if (kind === "multiple_choice") {
      return check(function (i) { return (r.choices || []).indexOf(i.value) >= 0; });
    }
    if (kind === "true_false") {
      return check(function (i) { return r.value !== null && r.value !== undefined && i.value === String(r.value); });
    }
    if (kind === "fill_blanks") {
      return Array.prototype.forEach.call(section.querySelectorAll("input.blank"), function (i) {
        var value = (r.blanks || [])[parseInt(i.dataset.blank, 10)];
        i.value = value === null || value === undefined ? "" : value;
      });
    }
    if (kind === "numeric") {
      section.querySelector("input.value").value = r.value === null || r.value === undefined ? "" : r.value;
      return;
    }
    if (kind === "matching") {
      return Array.prototype.forEach.call(section.querySelectorAll("select[data-prompt]"), function (s) {
        s.value = (r.pairs || {})[s.dataset.prompt] || "";
      });
    }
    if (kind === "ordering") {
      var list = section.querySelector("ol.ordering");
      if (!r.order || !r.order.length) return;
      r.order.forEach(function (id) {
        var item = list.querySelector('li[data-item="' + String(id).replace(/["\\]/g, "") + '"]');
        if (item) list.appendChild(item);
      });
      list.dataset.touched = "1";
      return;
    }
    if (kind === "essay" || kind === "practical") {
      // A practical's file is only ever uploaded online: the server's stays.
      section.querySelector("textarea.text").value = r.text || "";
      return;
    }
    toFields(section, r);
  }

  function toFields(section, response) {
    Array.prototype.forEach.call(section.querySelectorAll("[data-answer]"), function (control) {
      var value = response;
      control.dataset.answer.split(".").forEach(function (part) {
        value = value !== null && typeof value === "object" ? value[part] : undefined;
      });
      if (control.type === "checkbox") {
        control.checked = Array.isArray(value) && value.indexOf(control.value) >= 0;
      } else if (control.type === "radio") {
        control.checked = value === control.value;
      } else {
        control.value = value === null || value === undefined ? "" : String(value);
      }
      // Counters (listing.js) follow input events; ours only reschedules the same save.
      if (control.dataset.count) control.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // --- showing state ------------------------------------------------------------------------

  function offline() {
    return navigator.onLine === false;
  }

  function refreshSaveState() {
    var saving = false, failing = false, unkept = false, refused = "";
    Object.keys(state).forEach(function (p) {
      var st = state[p];
      var pending = st.timer || st.queued || st.busy || st.failing;
      if (pending) saving = true;
      if (pending && !st.local) unkept = true;
      if (st.failing) failing = true;
      if (st.error) refused = refused || st.error;
    });
    var stuck = failing || (saving && offline());
    var key = stuck ? (unkept ? "not_saved" : "on_device")
      : refused ? "refused" : saving ? "saving" : "saved";
    if (closing || finishing) return;
    saveState.dataset.state = key;
    saveState.textContent = key === "refused" ? T.refused + " " + refused : T[key];
  }

  function connectionLost() {
    return offline() || clockLost || Object.keys(state).some(function (p) { return state[p].failing; });
  }

  function refreshOfflineWarning(left) {
    var warn = left > 0 && left <= WARN_SECONDS && connectionLost() && !closing;
    if (warn && offlineWarning.textContent !== T.offline_deadline) offlineWarning.textContent = T.offline_deadline;
    offlineWarning.hidden = !warn;
  }

  function refreshNavigator(st) {
    var link = document.getElementById("nav-" + st.section.dataset.position);
    var answered = filled(collect(st));
    var flagged = st.section.querySelector(".flag-input").checked;
    link.classList.toggle("answered", answered);
    link.classList.toggle("flagged", flagged);
    st.section.classList.toggle("is-flagged", flagged);
    link.title = (answered ? T.answered : T.not_answered) + (flagged ? ", " + T.flagged : "");
  }

  function showError(st, message) {
    var box = st.section.querySelector(".answer-error");
    st.error = message || "";
    box.textContent = st.error;
    box.hidden = !st.error;
  }

  // --- saving -------------------------------------------------------------------------------

  function enqueue(st, operation) {
    st.chain = st.chain.then(function () {
      st.busy = true;
      return operation();
    }).catch(function () {}).then(function () {
      st.busy = false;
      refreshSaveState();
    });
    return st.chain;
  }

  function scheduleSave(st, delay) {
    if (closing) return;
    var response = collect(st);
    // Kept at once, under the seq its save will carry: a reload or a drop loses nothing.
    if (st.seq > 0 || filled(response)) keep(st, st.seq + 1, response);
    else forget(st, Infinity); // emptied before it was ever saved: nothing to keep
    clearTimeout(st.timer);
    st.timer = setTimeout(function () {
      st.timer = null;
      queueSave(st);
    }, delay === undefined ? DEBOUNCE_MS : delay);
    refreshNavigator(st);
    refreshSaveState();
  }

  function queueSave(st) {
    if (st.queued) return st.chain;
    st.queued = true;
    return enqueue(st, function () {
      st.queued = false;
      return saveNow(st);
    });
  }

  function saveNow(st) {
    if (closing) return Promise.resolve();
    var response = collect(st);
    var body = JSON.stringify(response);
    // An unanswered question that was never saved stays unanswered on the server.
    if (body === st.lastSaved || (st.seq === 0 && !filled(response))) {
      forget(st, Infinity); // the server already has it (or there is nothing to have)
      return Promise.resolve();
    }
    st.seq += 1;
    var seq = st.seq;
    keep(st, seq, response);
    var url = api + "answers/" + st.section.dataset.position + "/";
    return withRetry(st, function () {
      return request("PUT", url, { seq: seq, response: response });
    }).then(function (result) {
      if (result.status === 200) {
        showError(st, "");
        if (result.data.applied || result.data.seq === seq) {
          st.lastSaved = body;
          forget(st, seq);
        } else if (result.data.seq > st.seq) {
          // Another window saved a newer answer; what is on this page is newer still.
          st.seq = result.data.seq;
          queueSave(st);
        }
      } else if (result.status === 409) {
        closed();
      } else if (result.status) {
        showError(st, result.data.detail || String(result.status));
      }
    });
  }

  function saveFlag(st, flagged) {
    refreshNavigator(st);
    var url = api + "answers/" + st.section.dataset.position + "/";
    return enqueue(st, function () {
      return withRetry(st, function () {
        return request("PUT", url, { seq: Math.max(st.seq, 1), flagged: flagged });
      }).then(function (result) {
        if (result.status === 409) closed();
        else if (result.status && result.status !== 200) showError(st, result.data.detail || String(result.status));
      });
    });
  }

  function upload(st, input) {
    var file = input.files[0];
    if (!file) return;
    var stateLine = st.section.querySelector(".file-state");
    stateLine.textContent = T.uploading + " " + file.name;
    var url = api + "answers/" + st.section.dataset.position + "/file/";
    enqueue(st, function () {
      st.seq += 1;
      var form = new FormData();
      form.append("file", file);
      form.append("text", st.section.querySelector("textarea.text").value);
      form.append("seq", String(st.seq));
      return withRetry(st, function () { return request("POST", url, form); }).then(function (result) {
        if (result.status === 200 && result.data.applied) {
          forget(st, st.seq); // the text went with the file
          st.file = result.data.file;
          st.lastSaved = JSON.stringify(collect(st));
          showError(st, "");
          stateLine.textContent = "";
          stateLine.appendChild(document.createTextNode(T.uploaded + " "));
          var name = document.createElement("strong");
          name.textContent = result.data.file_name;
          stateLine.appendChild(name);
        } else if (result.status === 409) {
          closed();
        } else {
          stateLine.textContent = "";
          showError(st, (result.data && result.data.detail) || String(result.status));
        }
        input.value = "";
        refreshNavigator(st);
      });
    });
    refreshSaveState();
  }

  function flush() {
    var chains = Object.keys(state).map(function (p) {
      var st = state[p];
      if (st.timer) {
        clearTimeout(st.timer);
        st.timer = null;
        queueSave(st);
      }
      return st.chain;
    });
    return Promise.race([Promise.all(chains), sleep(10000)]);
  }

  // --- events -------------------------------------------------------------------------------

  function stateOf(element) {
    var section = element.closest("section.question");
    return section ? state[section.dataset.position] : null;
  }

  root.addEventListener("input", function (event) {
    var st = stateOf(event.target);
    if (!st || event.target.type === "file" || event.target.classList.contains("flag-input")) return;
    if (event.target.matches("textarea.text")) countWords(st.section);
    scheduleSave(st);
  });

  root.addEventListener("change", function (event) {
    var st = stateOf(event.target);
    if (!st) return;
    if (event.target.classList.contains("flag-input")) return saveFlag(st, event.target.checked);
    if (event.target.type === "file") return upload(st, event.target);
    if (event.target.matches("input[type=radio], input[type=checkbox], select")) scheduleSave(st);
  });

  root.addEventListener("click", function (event) {
    var st = stateOf(event.target);
    if (!st) return;
    var list = st.section.querySelector("ol.ordering");
    if (event.target.matches("button.move")) {
      var item = event.target.closest("li");
      var step = parseInt(event.target.dataset.move, 10);
      var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (sibling) list.insertBefore(item, step < 0 ? sibling : sibling.nextElementSibling);
      list.dataset.touched = "1";
      event.target.focus();
      scheduleSave(st);
    } else if (event.target.matches("button.keep-order")) {
      list.dataset.touched = "1";
      scheduleSave(st, 0);
    }
  });

  function countWords(section) {
    var out = section.querySelector(".word-count");
    if (!out) return;
    var words = section.querySelector("textarea.text").value.match(/[\u3400-\u9fff]|[^\s\u3400-\u9fff]+/g);
    out.textContent = words ? words.length : 0;
  }
  Object.keys(state).forEach(function (p) { countWords(state[p].section); });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = Object.keys(state).some(function (p) {
      var st = state[p];
      return st.timer || st.queued || st.busy || st.failing;
    });
    if (unsaved && !closing) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- countdown ----------------------------------------------------------------------------

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    // Time left by the server's clock (offset) and the server's deadline.
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    refreshOfflineWarning(left);
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdown.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
    countdown.classList.toggle("low", left <= 300);
    if (left <= 0) timeUp();
  }

  function syncClock() {
    var sent = Date.now();
    // The heartbeat: tells the invigilators' console this page is still connected, and
    // answers with the server's clock.
    request("POST", api + "heartbeat/").then(function (result) {
      clockLost = result.status >= 500 || result.status === 429;
      if (result.status !== 200) return;
      var received = Date.now();
      // The server read its clock about halfway through the round trip.
      offset = Date.parse(result.data.server_time) - (sent + received) / 2;
      deadline = Date.parse(result.data.deadline);
      if (result.data.status !== "in_progress") closed();
      if (result.data.next_beat_seconds) beatMs = result.data.next_beat_seconds * 1000;
    }).catch(function () { clockLost = true; });
  }

  /* The next heartbeat as the server asks (it knows when the console calls a page lost). */
  var beatMs = SYNC_MS;
  function beat() {
    syncClock();
    setTimeout(beat, beatMs);
  }

  function timeUp() {
    if (closing || finishing) return;
    saveState.textContent = T.closed;
    finish();
  }

  /* The server says the attempt is closed (time is up or it was submitted elsewhere). */
  function closed() {
    if (closing) return;
    closing = true;
    forgetAll(); // the server takes no more answers for this attempt
    saveState.textContent = T.closed;
    window.location.assign(resultUrl);
  }

  // --- submitting ---------------------------------------------------------------------------

  function finish() {
    if (closing || finishing) return;
    finishing = true;
    if (saveState.textContent !== T.closed) saveState.textContent = T.submitting;
    flush().then(function () {
      closing = true;
      return request("POST", api + "submit/");
    }).then(function (result) {
      if (result.status === 200) forgetAll();
      window.location.assign((result.data && result.data.result_url) || resultUrl);
    }).catch(function () {
      closing = finishing = false;
      saveState.textContent = T.submit_failed;
    });
  }

  function unansweredPositions() {
    return Object.keys(state).filter(function (p) { return !filled(collect(state[p])); })
      .map(Number).sort(function (a, b) { return a - b; });
  }

  function openSubmitDialog() {
    var missing = unansweredPositions();
    var line = document.getElementById("submit-unanswered");
    line.textContent = missing.length ? T.unanswered + " " + missing.join(", ") : T.all_answered;
    line.dataset.unanswered = missing.join(",");
    dialog.returnValue = "";
    if (typeof dialog.showModal === "function") dialog.showModal();
    else if (window.confirm(line.textContent)) finish();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".submit-open"), function (button) {
    button.addEventListener("click", openSubmitDialog);
  });
  dialog.addEventListener("close", function () {
    if (dialog.returnValue === "submit") finish();
  });

  /* Answers kept on this device that the server has not got (a higher seq than the page's):
   * back into the page, and sent. */
  function restore() {
    Object.keys(state).forEach(function (p) {
      var st = state[p];
      var entry = kept(p);
      if (!entry) return;
      if (!(entry.seq > st.seq)) {
        storage.removeItem(PREFIX + p); // the server has this one or a newer one
        return;
      }
      fill(st, entry.response);
      st.seq = entry.seq - 1; // the resend carries the kept seq
      st.local = entry.seq;
      countWords(st.section);
      refreshNavigator(st);
      queueSave(st);
    });
  }

  window.addEventListener("online", function () {
    wakeAll();
    syncClock();
    refreshSaveState();
  });
  window.addEventListener("offline", function () {
    refreshSaveState();
    tick();
  });

  sweep();
  restore();
  tick();
  setInterval(tick, 1000);
  beat();
  refreshSaveState();
})();
