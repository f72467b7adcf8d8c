/* Talking to the server: fetch with a time limit, JSON answers with their status.
 * Plain ES2017 (no ?. or ??). Nothing runs at import, so node can import what uses it.
 */

/* fetch(url, options) that rejects with Error("timeout") after ms, aborting the request. */
export function fetchWithTimeout(url, options, ms) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  if (controller) options.signal = controller.signal;
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () {
      if (controller) controller.abort();
      reject(new Error("timeout"));
    }, ms);
    fetch(url, options).then(function (response) {
      clearTimeout(timer);
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/* The body of a JSON answer, or null (not JSON: a Wi-Fi login page, a proxy's error page). */
export function responseJson(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.indexOf("json") < 0) return Promise.resolve(null);
  return response.json().catch(function () {
    return null;
  });
}

/* GET a JSON API address with the session cookie: {status, ok, body}; rejects on network error. */
export function getJson(url, ms) {
  return fetchWithTimeout(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    cache: "no-store",
  }, ms || 10000).then(function (response) {
    return responseJson(response).then(function (body) {
      return { status: response.status, ok: response.ok, body: body };
    });
  });
}
