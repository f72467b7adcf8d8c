/* What the server put into the page for its scripts: JSON blocks, the CSRF token, the language.
 * Read when called, never at import, so that node can import the modules that use it.
 */

/* The JSON of <script type="application/json" id=…>, or null. */
export function readJsonBlock(id) {
  const element = document.getElementById(id);
  if (!element) return null;
  try {
    return JSON.parse(element.textContent);
  } catch (error) {
    return null;
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

/* Put a fresh token into the page (after the session's token changed). */
export function setCsrfToken(token) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (token && meta) meta.setAttribute("content", token);
  return Boolean(token && meta);
}

export function lang() {
  return document.documentElement.lang || undefined;
}

/* The outbox's facade (window.Outbox, made by outbox/index.js, which base.html loads before the
 * pages' own modules, for field users only): resolves with it, or with null on a page without. */
export function outboxReady() {
  return new Promise(function (resolve) {
    if (window.Outbox) {
      resolve(window.Outbox);
      return;
    }
    window.addEventListener("outbox:ready", function () {
      resolve(window.Outbox || null);
    });
    const settle = function () {
      setTimeout(function () {
        resolve(window.Outbox || null);
      }, 0);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", settle);
    else settle();
  });
}
