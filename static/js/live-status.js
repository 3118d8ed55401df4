// Keeps a status on the page up to date without reloading the page. A <meta http-equiv="refresh">
// reload sends a screen reader back to the top every few seconds and takes the reader's place away
// (WCAG 2.2.1, failure F41); this asks the server for the same page in the background instead and
// changes only what changed, inside an aria-live region that announces it.
//
// Markup: one element with data-live-status (and aria-live="polite"); while something is pending,
// the server adds data-live-every="<seconds>". Inside it, each element with data-live-part and an id
// is compared with the fresh copy and its content replaced when it differs. When the fresh page no
// longer carries data-live-every, checking stops. Without JavaScript the page shows a link to check;
// the sentence saying the page updates by itself (data-live-note, hidden) is shown only from here.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-status]");
  if (!root || !window.fetch || !window.DOMParser) { return; }

  function seconds(element) {
    var value = parseInt(element.getAttribute("data-live-every"), 10);
    return value > 0 ? value : 0;
  }

  function showNotes() {
    var notes = root.querySelectorAll("[data-live-note]");
    for (var i = 0; i < notes.length; i += 1) { notes[i].hidden = false; }
  }

  function apply(fresh) {
    var parts = fresh.querySelectorAll("[data-live-part][id]");
    var current = root.querySelectorAll("[data-live-part][id]");
    if (parts.length !== current.length) {
      root.innerHTML = fresh.innerHTML;  // rows came or went: take the whole region
      return;
    }
    for (var i = 0; i < parts.length; i += 1) {
      var mine = document.getElementById(parts[i].id);
      if (!mine || !root.contains(mine)) { root.innerHTML = fresh.innerHTML; return; }
      if (mine.innerHTML !== parts[i].innerHTML) { mine.innerHTML = parts[i].innerHTML; }
    }
  }

  function check() {
    window.fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new window.DOMParser().parseFromString(html, "text/html").querySelector("[data-live-status]");
        if (!fresh) { return; }
        apply(fresh);
        showNotes();
        var next = seconds(fresh);
        if (next) {
          window.setTimeout(check, next * 1000);
        } else {
          root.removeAttribute("data-live-every");
        }
      })
      .catch(function () {
        var wait = seconds(root);  // a network hiccup: try again at the same pace
        if (wait) { window.setTimeout(check, wait * 1000); }
      });
  }

  var every = seconds(root);
  if (every) {
    showNotes();
    window.setTimeout(check, every * 1000);
  }
})();
