// Exam screen behaviour: countdown display, autosave ordering and retries, moving between
// questions, keyboard shortcuts. The server is the authority on time and answers; this
// only displays them and resyncs from responses.
(function () {
  "use strict";

  let clockEnd = null;
  let warned = {};
  let questionShownAt = performance.now();
  let screenShown = null;
  let cardShown = null;
  let secondsSent = 0;  // the time spent on this question as last sent to the server
  let verdictAwaited = false;  // a practice check is on its way: its verdict takes focus

  // Saves that failed, by URL: what was sent, retried as sent (same sequence number), so a
  // retry never overrides a newer answer and is not lost if another card is on screen.
  const failedSaves = new Map();
  let refused = false;  // a save was refused (4xx): the page is out of date, retrying won't help
  let retryTimer = null;
  let retryDelay = 1000;

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
    // Rounded up: the clock shows 0:00 only once the time is really over.
    const left = Math.max(0, Math.ceil((clockEnd - performance.now()) / 1000));
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
      // Time is up: the server scores what it holds, without a leave-page prompt.
      failedSaves.clear();
      refused = false;
      if (form) form.submit();
    }
  }

  function isUnsaved() { return refused || failedSaves.size > 0; }

  function secondsOnQuestion() {
    const spent = document.getElementById("time-spent-input");
    const base = spent ? Number(spent.dataset.base || 0) : 0;
    return base + Math.round((performance.now() - questionShownAt) / 1000);
  }

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

  // Why this question's answer is not stored yet: retrying, or refused (reload).
  function showUnsaved() {
    showStatusProblem(screenLabel(refused ? "refusedLabel" : "unsavedLabel"));
  }

  function markRefused() {
    refused = true;
    showUnsaved();
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,  // a time record or retry may outlive the page
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    });
  }

  // --- Navigator cells: state classes and the words a screen reader says.
  function markCell(cell) {
    const nav = document.getElementById("navigator");
    const label = cell.querySelector(".visually-hidden");
    if (!nav || !label) return;
    let words = cell.classList.contains("answered") ? nav.dataset.labelAnswered : nav.dataset.labelUnanswered;
    if (cell.classList.contains("flagged")) words += ", " + nav.dataset.labelFlagged;
    label.textContent = ", " + words;
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
    if (cell) markCell(cell);
    if ("remaining_seconds" in detail) syncClock(detail.remaining_seconds);
  }
  document.addEventListener("answerSaved", function (e) { updateProgress(e.detail); });
  document.addEventListener("flagChanged", function (e) { updateProgress(e.detail); });

  // --- A new page or a new card (moved to, checked, or restored by Back).
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
    const verdict = card.querySelector("#verdict");
    if (verdictAwaited && verdict) {
      verdict.setAttribute("tabindex", "-1");
      verdict.focus();
    } else if (isMove) {
      card.focus({ preventScroll: true });
    }
    verdictAwaited = false;
    if (isUnsaved()) showUnsaved();
  }

  document.addEventListener("DOMContentLoaded", function () {
    initScreen();
    setInterval(tick, 1000);
    tick();
  });
  document.addEventListener("htmx:afterSettle", initScreen);
  document.addEventListener("htmx:historyRestore", initScreen);

  // --- Saving.
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

  function scheduleRetry() {
    if (retryTimer !== null) return;
    retryTimer = setTimeout(retryFailedSaves, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function saveSettled(url, response) {
    failedSaves.delete(url);
    if (!failedSaves.size) retryDelay = 1000;
    const trigger = response.headers.get("HX-Trigger");
    if (trigger) {
      const events = JSON.parse(trigger);
      Object.keys(events).forEach(function (name) {
        document.dispatchEvent(new CustomEvent(name, { detail: events[name] }));
      });
    }
    const form = document.getElementById("answer-form");
    if (form && form.getAttribute("hx-post") === url) {
      response.text().then(function (html) {
        const status = document.getElementById("answer-status");
        if (status && !isUnsaved()) status.outerHTML = html;
      });
    }
  }

  function retryFailedSaves() {
    retryTimer = null;
    failedSaves.forEach(function (body, url) {
      post(url, body).then(function (response) {
        if (failedSaves.get(url) !== body) return;  // a newer save for this question replaced it
        if (response.ok && !response.redirected) {
          saveSettled(url, response);
        } else if (response.status >= 500) {
          scheduleRetry();
        } else {
          markRefused();
        }
      }, function () {
        if (failedSaves.get(url) === body) scheduleRetry();
      });
    });
  }

  function isMove(elt) {
    return Boolean(elt && elt.closest && elt.closest(".question-actions, #navigator")) && !elt.closest("[hx-boost=false]");
  }

  function setCardInert(isInert) {
    const card = document.getElementById("question-card");
    if (card) card.inert = isInert;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (elt && elt.id === "answer-form") {
      const url = event.detail.requestConfig.path;
      if (event.detail.successful) {
        failedSaves.delete(url);  // this save, newer than any that failed, is stored
        if (!failedSaves.size) retryDelay = 1000;
      } else if (status === 0 || status >= 500) {
        failedSaves.set(url, new URLSearchParams(event.detail.requestConfig.formData));
        showUnsaved();
        scheduleRetry();
      } else {
        markRefused();
      }
    } else if (isMove(elt) && !event.detail.successful) {
      setCardInert(false);
      if (isUnsaved()) showUnsaved();
      else showStatusProblem(screenLabel("moveFailedLabel"));
    }
  });

  // --- Moving between questions (Previous, Next, a navigator cell, Check answer).
  // A move first records the time spent on this question (without touching its answer),
  // and holds the card still until the next one arrives: a choice clicked meanwhile would
  // be queued on a form about to be replaced. While an answer is unsaved, nobody moves.
  document.addEventListener("click", function (event) {
    const mover = event.target.closest && event.target.closest(".question-actions [hx-get], .question-actions [hx-post], #navigator .nav-cell");
    if (!mover || mover.disabled) return;
    // A modified click opens a cell in a new tab (htmx leaves it to the browser): no move here.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (isUnsaved()) {
      retryFailedSaves();
      return;  // htmx:beforeRequest refuses the move
    }
    const form = document.getElementById("answer-form");
    if (form && form.hasAttribute("hx-post") && form.dataset.timeUrl && secondsOnQuestion() > secondsSent) {
      secondsSent = secondsOnQuestion();
      post(form.dataset.timeUrl, new URLSearchParams({ time_spent: String(secondsSent) })).catch(function () {});
    }
    verdictAwaited = mover.value === "check";
    setCardInert(true);
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isMove(event.detail.elt) || !isUnsaved()) return;
    event.preventDefault();  // this question's answer first; the learner can move once it is saved
    setCardInert(false);
    showUnsaved();
  });

  // Back and Forward inside the exam refetch the page; a failed save is retried by URL
  // whatever is on screen. Leaving the page while one is unsaved asks first.
  window.addEventListener("beforeunload", function (event) {
    if (isUnsaved()) event.preventDefault();
  });

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
    if (!form || form.closest("[inert]")) return;  // a move is on its way
    const key = event.key.toLowerCase();
    if (/^[1-6]$/.test(key)) {
      const input = form.querySelector('input[data-key="' + key + '"]');
      // :disabled also covers the checked practice card's disabled fieldset.
      if (input && !input.matches(":disabled")) {
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

  // "Copy link" buttons (the group invite): shown only where the script runs.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const field = document.querySelector(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copiedLabel;
      }, function () {
        field.select();  // no clipboard permission: select it for Ctrl+C
      });
    });
  });

  // Settings: offer the zone this browser runs in, when the list has it and it is not chosen.
  document.querySelectorAll("[data-browser-zone]").forEach(function (button) {
    const select = document.querySelector(button.dataset.browserZone);
    const zone = window.Intl ? Intl.DateTimeFormat().resolvedOptions().timeZone : "";
    const option = select && zone ? Array.from(select.options).find(function (o) { return o.value === zone; }) : null;
    if (!option || select.value === zone) return;
    button.textContent = button.dataset.format.replace("{zone}", option.textContent);
    button.hidden = false;
    button.addEventListener("click", function () {
      select.value = zone;
      button.hidden = true;
      select.focus();
    });
  });
})();
