/* Copy buttons: <button data-copy="ID" data-copied="…" data-failed="…"> copies the text of #ID. */
(function () {
  "use strict";

  function say(button, text) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = text;
    window.setTimeout(function () {
      button.textContent = original;
    }, 2000);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback(element) {
    // Older browsers and plain-http pages have no Clipboard API: copy the selection instead.
    selectText(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button) {
    var element = document.getElementById(button.getAttribute("data-copy"));
    if (!element) return;
    var text = element.textContent.trim();
    var done = function () { say(button, button.getAttribute("data-copied")); };
    var failed = function () {
      if (fallback(element)) done();
      else say(button, button.getAttribute("data-failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (button) copy(button);
  });
})();
