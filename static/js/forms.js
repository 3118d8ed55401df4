// Forms, on every page (deferred from base.html); the pages work without it.
// 1. A form that came back with errors: focus its error summary (templates/includes/error_summary.html) and
//    bring it into view, so a phone shows what went wrong instead of the top of the page. The summary's
//    autofocus already does this in most browsers; this covers the rest.
// 2. A link in the summary: move focus to the field itself (a plain #id jump scrolls but leaves focus behind)
//    and keep its label in view above it.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    if (document.activeElement !== summary) summary.focus({preventScroll: true});
    // "instant": Bootstrap makes page scrolling smooth, and a slow glide down to the errors reads as lag.
    summary.scrollIntoView({block: "start", behavior: "instant"});
  }
  function labelFor(field) {
    var fieldset = field.closest("fieldset");
    if ((field.type === "radio" || field.type === "checkbox") && fieldset) {
      var legend = fieldset.querySelector("legend");
      if (legend) return legend;
    }
    return (field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]')) || field;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    labelFor(field).scrollIntoView({block: "start", behavior: "instant"});
    field.focus({preventScroll: true});
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
