/* CSM Desk — the agent desk's small script: the agent's time zone, live SLA
   countdowns, keyboard shortcuts and the reply box's modes. Everything works
   without it; it only makes the pages faster to use. */
(function () {
  "use strict";

  // --- Time zone: the server shows times in the zone this cookie names. ---
  var zone = (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone;
  var current = (document.cookie.match(/(?:^|; )desk_tz=([^;]*)/) || [])[1];
  if (zone && decodeURIComponent(current || "") !== zone) {
    document.cookie = "desk_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    var reloaded = false;
    try { reloaded = sessionStorage.getItem("desk_tz_reloaded") === "1"; sessionStorage.setItem("desk_tz_reloaded", "1"); } catch (e) { reloaded = true; }
    if (!current && !reloaded) {
      location.reload(); // first visit: show the page again in the agent's own zone (once)
      return;
    }
  }

  // --- SLA countdowns ("3 h 12 m left" / "overdue 2 h 05 m") ---
  function span(seconds) {
    var minutes = Math.floor(seconds / 60), days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return days + " d " + hours + " h";
    if (hours) return hours + " h " + (mins < 10 ? "0" : "") + mins + " m";
    return mins + " m";
  }
  var AT_RISK_SECONDS = 4 * 3600;
  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = (Date.parse(el.dataset.due) - Date.now()) / 1000;
      el.textContent = left > 0 ? span(left) + " left" : "overdue " + span(-left);
      el.classList.remove("ok", "at_risk", "breached");
      el.classList.add(left <= 0 ? "breached" : left <= AT_RISK_SECONDS ? "at_risk" : "ok");
    });
  }
  setInterval(tick, 30000);
  document.addEventListener("htmx:afterSettle", tick);

  // --- Queue: row selection and bulk bar ---
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-href]")); }
  var cursor = -1;
  function select(index) {
    var all = rows();
    if (!all.length) return;
    cursor = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === cursor); });
    all[cursor].scrollIntoView({ block: "nearest" });
  }
  function updateBulk() {
    var bar = document.getElementById("bulkbar");
    if (!bar) return;
    var checked = document.querySelectorAll("input[name=tickets]:checked").length;
    bar.hidden = checked === 0;
    var count = document.getElementById("bulk-count");
    if (count) count.textContent = checked + " selected";
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "tickets") updateBulk();
    if (event.target.id === "select-all") {
      document.querySelectorAll("input[name=tickets]").forEach(function (box) { box.checked = event.target.checked; });
      updateBulk();
    }
    if (event.target.name === "mode") composerMode();
  });
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, input, label, button")) location.href = row.dataset.href;
  });
  document.addEventListener("htmx:afterSettle", function () { updateBulk(); });

  // --- Live queue: the hidden #queue-live element polls (tickets/_queue_results.html). ---
  // No poll while the tab is hidden (nobody is looking) or while tickets are ticked for a
  // bulk action (a new list would drop the ticks); the keyboard cursor stays on its ticket.
  var cursorTicket = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id !== "queue-live") return;
    if (document.hidden || document.querySelector("input[name=tickets]:checked")) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var all = rows();
    cursorTicket = event.detail.target && event.detail.target.id === "queue-results" && all[cursor] ? all[cursor].dataset.ticket : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "queue-results") return;
    var all = rows(), kept = -1;
    all.forEach(function (row, i) { if (row.dataset.ticket === cursorTicket) kept = i; });
    cursor = -1;
    if (kept >= 0) select(kept);
  });

  // --- Reply box: reply vs internal note ---
  function composerMode() {
    var form = document.getElementById("reply-form");
    if (!form) return;
    var note = form.querySelector("input[name=mode][value=note]");
    var isNote = note && note.checked;
    form.classList.toggle("note-mode", isNote);
    form.querySelectorAll("[data-reply-only]").forEach(function (el) { el.hidden = isNote; });
    var send = form.querySelector("button[type=submit]");
    // The server names the reply button ("Send anyway" after a collision): keep its word.
    if (send) send.textContent = isNote ? "Add note" : (send.dataset.replyLabel || "Send reply");
  }
  function setMode(mode) {
    var radio = document.querySelector("input[name=mode][value=" + mode + "]");
    if (radio) { radio.checked = true; composerMode(); }
    var body = document.querySelector("#reply-form textarea");
    if (body) body.focus();
  }
  // The live check answers 429 with a "paused" note when checked too often: htmx leaves
  // error responses out of the page, so let this one in (calmly, not as an error).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 429 && event.detail.target && event.detail.target.id === "compliance") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // "The buyer is still waiting" → Reply: the reply box, ready to type.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-reply-now]")) { event.preventDefault(); setMode("reply"); }
  });
  document.addEventListener("DOMContentLoaded", composerMode);
  document.addEventListener("htmx:afterSettle", composerMode);

  // --- Keyboard shortcuts (listed on "?") ---
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]");
  }
  function help(show) {
    var overlay = document.getElementById("shortcuts");
    if (overlay) overlay.hidden = show === undefined ? !overlay.hidden : !show;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { help(false); if (typing(event.target)) event.target.blur(); return; }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.closest("#reply-form")) {
      event.preventDefault();
      document.getElementById("reply-form").requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var all = rows();
    switch (event.key) {
      case "?": help(); break;
      case "j": select(cursor + 1); break;
      case "k": select(cursor - 1); break;
      case "o": case "Enter": if (cursor >= 0 && all[cursor]) location.href = all[cursor].dataset.href; break;
      case "x":
        if (cursor >= 0 && all[cursor]) {
          var box = all[cursor].querySelector("input[name=tickets]");
          if (box) { box.checked = !box.checked; updateBulk(); }
        }
        break;
      case "/":
        var search = document.querySelector("input[name=q]");
        if (search) { event.preventDefault(); search.focus(); }
        break;
      case "r": if (document.getElementById("reply-form")) { event.preventDefault(); setMode("reply"); } break;
      case "n": if (document.getElementById("reply-form")) { event.preventDefault(); setMode("note"); } break;
      case "u": var back = document.querySelector("[data-back]"); if (back) location.href = back.href; break;
      case "e":
        var solve = document.getElementById("solve-button");
        if (solve) solve.click();
        break;
      default: return;
    }
  });
})();

// "Copy claim text" (FBA reimbursements): the text goes to the clipboard for Seller Central.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  var done = function () { button.textContent = "Copied"; };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(source.value).then(done, function () { source.select(); });
  } else {
    source.select();
    document.execCommand("copy");
    done();
  }
});
