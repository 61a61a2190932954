/* The attempt page: autosave, flags, file upload, server-synced countdown and submit.
 *
 * Each question saves on its own, debounced, with an increasing sequence number so that a
 * late, older save can never overwrite a newer one on the server. Saves of one question run
 * one after another (a promise chain); network failures retry with backoff using the same
 * sequence number, which makes a retry harmless if the first try did arrive.
 * Every text shown comes translated from the page (#attempt-strings).
 */
(function () {
  "use strict";

  var root = document.getElementById("attempt");
  if (!root) return;
  var T = JSON.parse(document.getElementById("attempt-strings").textContent);
  var api = root.dataset.api;
  var resultUrl = root.dataset.resultUrl;
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverTime) - Date.now(); // server clock minus ours
  var DEBOUNCE_MS = 800;
  var SYNC_MS = 30000;
  var closing = false; // submitted, or leaving for the result page: stop saving
  var finishing = false; // a submit is under way

  var countdown = document.getElementById("countdown");
  var saveState = document.getElementById("save-state");
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
    };
  });

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
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
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
        return sleep(Math.min(30000, 1000 * Math.pow(2, attempt - 1))).then(go);
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

  // --- showing state ------------------------------------------------------------------------

  function refreshSaveState() {
    var saving = false, failing = false, refused = "";
    Object.keys(state).forEach(function (p) {
      var st = state[p];
      if (st.timer || st.queued || st.busy) saving = true;
      if (st.failing) failing = true;
      if (st.error) refused = refused || st.error;
    });
    var key = failing ? "not_saved" : refused ? "refused" : saving ? "saving" : "saved";
    saveState.dataset.state = key;
    saveState.textContent = key === "refused" ? T.refused + " " + refused : T[key];
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
    if (body === st.lastSaved || (st.seq === 0 && !filled(response))) return Promise.resolve();
    st.seq += 1;
    var seq = st.seq;
    var url = api + "answers/" + st.section.dataset.position + "/";
    return withRetry(st, function () {
      return request("PUT", url, { seq: seq, response: response });
    }).then(function (result) {
      if (result.status === 200) {
        showError(st, "");
        if (result.data.applied || result.data.seq === seq) {
          st.lastSaved = body;
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
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdown.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
    countdown.classList.toggle("low", left <= 300);
    if (left <= 0) timeUp();
  }

  function syncClock() {
    var sent = Date.now();
    request("GET", api + "clock/").then(function (result) {
      if (result.status !== 200) return;
      var received = Date.now();
      // The server read its clock about halfway through the round trip.
      offset = Date.parse(result.data.server_time) - (sent + received) / 2;
      deadline = Date.parse(result.data.deadline);
      if (result.data.status !== "in_progress") closed();
    }).catch(function () {});
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

  tick();
  setInterval(tick, 1000);
  syncClock();
  setInterval(syncClock, SYNC_MS);
  refreshSaveState();
})();
