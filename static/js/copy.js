/* Copy buttons: <button data-copy="ID" data-copied="…" data-failed="…"> copies the text of #ID
 * (the annual report's paragraphs, pasted into the work report). The Clipboard API where the
 * browser gives it (a secure context), else the selection and execCommand("copy"); when both
 * fail the text stays selected and the button says to copy it by hand. copyFrom is tested with
 * stand-ins in tests/js/copy.test.mjs. Plain ES2017 (no ?. or ??).
 */

const SAID_MS = 2000; // how long the button says "Copied"

/* Say `text` on the button for a moment, then its own label again. */
function say(button, text, env) {
  const original = button.getAttribute("data-label") || button.textContent;
  button.setAttribute("data-label", original);
  button.textContent = text;
  env.setTimeout(function () {
    button.textContent = original;
  }, SAID_MS);
}

/* Older browsers and plain-http pages have no Clipboard API: copy the selection instead. */
function copySelection(element, env) {
  const range = env.document.createRange();
  range.selectNodeContents(element);
  const selection = env.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return env.document.execCommand("copy");
  } catch (error) {
    return false;
  }
}

/* Copy the text the button names; resolves with "copied" or "failed" once the button says so.
 * env: {document, navigator, secure, getSelection, setTimeout} (the page's own by default). */
export function copyFrom(button, env) {
  const element = env.document.getElementById(button.getAttribute("data-copy"));
  if (!element) return Promise.resolve("");
  const text = element.textContent.trim();
  function done() {
    say(button, button.getAttribute("data-copied"), env);
    return "copied";
  }
  function failed() {
    if (copySelection(element, env)) return done();
    say(button, button.getAttribute("data-failed"), env);
    return "failed";
  }
  const clipboard = env.navigator.clipboard;
  if (clipboard && env.secure) return clipboard.writeText(text).then(done, failed);
  return Promise.resolve(failed());
}

if (typeof document !== "undefined") {
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    copyFrom(button, {
      document: document,
      navigator: navigator,
      secure: Boolean(window.isSecureContext),
      getSelection: function () {
        return window.getSelection();
      },
      setTimeout: function (fn, ms) {
        return window.setTimeout(fn, ms);
      },
    });
  });
}
