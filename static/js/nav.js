// The header menu (templates/includes/nav.html) is a <details>, so it opens without JavaScript. This only
// opens it on wide screens (where CSS shows the links in the bar and hides the "Menu" summary), and on phones
// closes it with Escape or a tap outside, as a menu is expected to.
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  var wide = window.matchMedia("(min-width: 992px)");
  function fit() { menu.open = wide.matches; }
  fit();
  wide.addEventListener("change", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
  });
})();
