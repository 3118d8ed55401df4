// Share blocks (templates/includes/share.html). Without JavaScript they are links and a read-only field;
// this adds only what the browser can do: the phone's own Share sheet and a Copy button.
(function () {
  "use strict";
  document.querySelectorAll("[data-share]").forEach(function (block) {
    var url = block.getAttribute("data-share-url");
    var text = block.getAttribute("data-share-text") || "";
    var status = block.querySelector("[data-share-status]");
    var link = block.querySelector("[data-share-link]");
    var nativeItem = block.querySelector("[data-share-native-item]");
    var nativeButton = block.querySelector("[data-share-native]");
    var copy = block.querySelector("[data-share-copy]");
    if (navigator.share && nativeItem) {
      nativeItem.hidden = false;
      nativeButton.addEventListener("click", function () {
        // AbortError: the person closed the sheet; nothing to report.
        navigator.share({title: document.title, text: text, url: url}).catch(function () {});
      });
    }
    if (navigator.clipboard && window.isSecureContext && copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = "";
          // A fresh text node each time, so a second copy is announced again.
          window.setTimeout(function () { status.textContent = status.getAttribute("data-text-copied"); }, 50);
        }, function () {
          link.focus();
          link.select();
        });
      });
    }
    // Tapping the field selects the whole link, ready to copy by hand.
    link.addEventListener("focus", function () { link.select(); });
  });
})();
