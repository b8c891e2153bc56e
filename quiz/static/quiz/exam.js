// Exam screen behaviour: countdown display, autosave ordering, keyboard shortcuts.
// The server is the authority on time; this only displays it and resyncs from responses.
(function () {
  "use strict";

  let clockEnd = null;
  let warned = {};
  let questionShownAt = performance.now();
  let screenShown = null;
  let cardShown = null;
  let secondsSent = 0;  // the time spent on this question as last sent to the server

  function pad(n) { return String(n).padStart(2, "0"); }

  function formatSeconds(total) {
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function syncClock(remainingSeconds) {
    if (remainingSeconds === null || remainingSeconds === undefined || remainingSeconds === "") return;
    clockEnd = performance.now() + Number(remainingSeconds) * 1000;
  }

  function tick() {
    const clock = document.getElementById("clock");
    if (!clock || clockEnd === null) return;
    const left = Math.max(0, Math.round((clockEnd - performance.now()) / 1000));
    const text = document.getElementById("clock-text");
    if (text) text.textContent = formatSeconds(left);
    clock.classList.toggle("warning", left <= 15 * 60 && left > 5 * 60);
    clock.classList.toggle("critical", left <= 5 * 60);
    [15, 5].forEach(function (minutes) {
      if (left <= minutes * 60 && left > 0 && !warned[minutes]) {
        warned[minutes] = true;
        const box = document.getElementById("clock-warning");
        if (box) box.textContent = minutes + " " + (clock.dataset.warnLabel || "minutes left");
      }
    });
    if (left === 0 && !warned.done) {
      warned.done = true;
      const form = document.getElementById("timeout-form");
      unsaved = false;  // time is up: the server scores what it holds, without a leave-page prompt
      if (form) form.submit();
    }
  }

  function secondsOnQuestion() {
    const spent = document.getElementById("time-spent-input");
    const base = spent ? Number(spent.dataset.base || 0) : 0;
    return base + Math.round((performance.now() - questionShownAt) / 1000);
  }

  function markCurrentCell(slot) {
    document.querySelectorAll("#navigator .nav-cell.current").forEach(function (cell) {
      cell.classList.remove("current");
      cell.removeAttribute("aria-current");
    });
    const cell = document.getElementById("nav-" + slot);
    if (cell) {
      cell.classList.add("current");
      cell.setAttribute("aria-current", "page");
    }
  }

  function initScreen() {
    // Autosave and flag swaps settle inside the same card: their events already resync
    // the clock, and re-reading the page-load data-remaining here would wind it back.
    const screen = document.getElementById("question-screen") || document.body;
    const card = document.getElementById("question-card");
    const isNewScreen = screen !== screenShown;
    if (isNewScreen) {
      screenShown = screen;
      const clock = document.getElementById("clock");
      if (clock && clock.dataset.remaining) {
        syncClock(clock.dataset.remaining);
        // Warnings already passed before this page loaded are not announced again.
        const left = Number(clock.dataset.remaining);
        [15, 5].forEach(function (m) { if (left <= m * 60 - 60) warned[m] = true; });
      }
    }
    if (!card) {
      if (isNewScreen) questionShownAt = performance.now();
      return;
    }
    if (card === cardShown) return;
    const isMove = cardShown !== null && !isNewScreen;
    cardShown = card;
    // A moved-to card carries the server's remaining time, fresher than the page's.
    syncClock(card.dataset.remaining);
    questionShownAt = performance.now();
    secondsSent = secondsOnQuestion();
    markCurrentCell(card.dataset.slot);
    // After a move the card takes focus; after a practice check, its verdict.
    const verdict = card.querySelector("#verdict");
    if (verdict) {
      verdict.setAttribute("tabindex", "-1");
      verdict.focus();
    } else if (isMove) {
      card.focus({ preventScroll: true });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initScreen();
    setInterval(tick, 1000);
    tick();
  });
  document.addEventListener("htmx:afterSettle", initScreen);
  document.addEventListener("htmx:historyRestore", initScreen);

  // Moving to another question first records the time spent on this one (as the form
  // post does without JavaScript), or retries a failed save at once: the save is queued on
  // the answer form ahead of the move, which goes ahead only once nothing is unsaved.
  document.addEventListener("click", function (event) {
    const mover = event.target.closest && event.target.closest(".question-actions [hx-get], #navigator .nav-cell");
    if (!mover || mover.disabled) return;
    const form = document.getElementById("answer-form");
    if (form && form.hasAttribute("hx-post") && (unsaved || secondsOnQuestion() > secondsSent)) {
      htmx.trigger(form, "change");
    }
  }, true);

  // Each autosave carries the client's clock (ms) so the server keeps the newest answer
  // even if an older request arrives late or is repeated.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "answer-form") return;  // not Previous/Next or Check answer
    const seq = String(Date.now());
    event.detail.parameters.seq = seq;
    const seqInput = document.getElementById("seq-input");
    if (seqInput) seqInput.value = seq;
    const spent = document.getElementById("time-spent-input");
    if (spent) {
      secondsSent = secondsOnQuestion();
      event.detail.parameters.time_spent = String(secondsSent);
      spent.value = String(secondsSent);
    }
  });

  // A save that fails (no connection, server error) is retried with a growing pause until
  // it is stored; meanwhile the status line says so, moves wait, and leaving the page asks.
  let unsaved = false;
  let retryTimer = null;
  let retryDelay = 1000;

  function screenLabel(name) {
    const screen = document.getElementById("question-screen");
    return (screen && screen.dataset[name]) || "";
  }

  function showStatusProblem(label) {
    const status = document.getElementById("answer-status");
    if (!status || !label) return;
    status.textContent = label;
    status.classList.add("unsaved");
  }

  function retrySave() {
    retryTimer = null;
    const form = document.getElementById("answer-form");
    if (unsaved && form && form.hasAttribute("hx-post")) htmx.trigger(form, "change");
  }

  function isMove(elt) {
    return Boolean(elt && elt.closest && elt.closest(".question-actions, #navigator")) && !elt.closest("[hx-boost=false]");
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (elt && elt.id === "answer-form") {
      if (event.detail.successful) {
        unsaved = false;
        retryDelay = 1000;
      } else if (status === 0 || status >= 500) {
        unsaved = true;
        showStatusProblem(screenLabel("unsavedLabel"));
        if (retryTimer === null) {
          retryTimer = setTimeout(retrySave, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 15000);
        }
      }
    } else if (isMove(elt) && !event.detail.successful && (status === 0 || status >= 500)) {
      showStatusProblem(screenLabel("moveFailedLabel"));
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!unsaved || !isMove(event.detail.elt)) return;
    event.preventDefault();  // this question's answer first; the learner can move once it is saved
    showStatusProblem(screenLabel("unsavedLabel"));
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved) event.preventDefault();
  });

  function updateProgress(detail) {
    const counter = document.getElementById("progress-count");
    if (counter && counter.dataset.format && "answered" in detail) {
      const values = { answered: detail.answered, flagged: detail.flagged, total: counter.dataset.total };
      counter.textContent = counter.dataset.format.replace(/\{(answered|flagged|total)\}/g, function (_, name) {
        return String(values[name]);
      });
    }
    const cell = document.getElementById("nav-" + detail.slot);
    if (cell && "is_answered" in detail) cell.classList.toggle("answered", detail.is_answered);
    if (cell && "is_flagged" in detail) cell.classList.toggle("flagged", detail.is_flagged);
    if ("remaining_seconds" in detail) syncClock(detail.remaining_seconds);
  }
  document.addEventListener("answerSaved", function (e) { updateProgress(e.detail); });
  document.addEventListener("flagChanged", function (e) { updateProgress(e.detail); });

  // Confirmation before ending an exam.
  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Keyboard: 1-6 choose, N next, P previous, F flag (not while typing in a field).
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
        (target.tagName === "INPUT" && !["radio", "checkbox"].includes(target.type)))) return;
    const form = document.getElementById("answer-form");
    if (!form) return;
    const key = event.key.toLowerCase();
    if (/^[1-6]$/.test(key)) {
      const input = form.querySelector('input[data-key="' + key + '"]');
      if (input && !input.disabled) {
        input.checked = input.type === "checkbox" ? !input.checked : true;
        input.focus();
        input.dispatchEvent(new Event("change", { bubbles: true }));
        event.preventDefault();
      }
      return;
    }
    const button = document.querySelector('[data-shortcut="' + key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();
