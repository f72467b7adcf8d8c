/* A page's small conveniences in localStorage, as JSON (null removes). Never the outbox, which
 * lives in IndexedDB: private mode or a full localStorage only loses conveniences.
 */

function storage() {
  try {
    return globalThis.localStorage || null;
  } catch (error) {
    return null; // some browsers throw when storage is disabled
  }
}

export function localGet(key) {
  try {
    const store = storage();
    return store ? JSON.parse(store.getItem(key) || "null") : null;
  } catch (error) {
    return null;
  }
}

export function localSet(key, value) {
  try {
    const store = storage();
    if (!store) return;
    if (value === null) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch (error) {
    /* private mode or full: the outbox itself is in IndexedDB */
  }
}
