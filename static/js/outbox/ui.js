/* Painting what the outbox holds: the outbox box of the field pages (#outbox-status), the "send
 * now" buttons, the sign-in page's notice (#outbox-signin) and the header's count
 * (#outbox-badge). Every word comes from the server (#outbox-words). Plain ES2017 (no ?. or ??).
 */
import { format, showTime } from "../lib/text.js";
import { lang } from "../lib/page.js";

function child(parent, tag, className) {
  let node = parent.querySelector(tag + "." + className);
  if (!node) {
    node = document.createElement(tag);
    node.className = className;
    parent.appendChild(node);
  }
  return node;
}

/* "3 records, 2 photos wait on this phone for crew2: …", for each other user. */
export function othersText(words, current) {
  return current.others.map(function (group) {
    return format(words.waiting_for_user, {
      records: group.records, photos: group.photos, user: group.user,
    });
  }).join(" ");
}

/* The sign-in page: what waits on this phone and for whom. */
function paintSignIn(words, current) {
  const box = document.getElementById("outbox-signin");
  if (!box) return;
  const parts = [];
  if (current.waiting) {
    parts.push(format(words.waiting, { records: current.records, photos: current.photos }));
  }
  if (current.others.length) parts.push(othersText(words, current));
  box.textContent = parts.join(" ");
  box.setAttribute("data-waiting", String(current.waiting));
  box.setAttribute("data-others", String(current.others.length));
  box.hidden = parts.length === 0;
}

/* The header's compact count: shown while anything of this user waits. */
function paintBadge(words, current) {
  const badge = document.getElementById("outbox-badge");
  if (!badge) return;
  const text = format(words.waiting, { records: current.records, photos: current.photos });
  badge.setAttribute("data-waiting", String(current.waiting));
  badge.setAttribute("data-attention", String(current.attention.length));
  badge.setAttribute("title", text);
  badge.setAttribute("aria-label", text);
  const count = badge.querySelector(".outbox-badge-count");
  if (count) count.textContent = String(current.waiting);
  badge.hidden = current.waiting === 0;
}

function paintBox(words, current) {
  const box = document.getElementById("outbox-status");
  if (!box) return;
  box.setAttribute("data-records", String(current.records));
  box.setAttribute("data-photos", String(current.photos));
  box.setAttribute("data-waiting", String(current.waiting));
  box.setAttribute("data-attention", String(current.attention.length));
  box.classList.toggle("outbox-waiting", current.waiting > 0);
  child(box, "p", "outbox-counts").textContent = current.waiting
    ? format(words.waiting, { records: current.records, photos: current.photos })
    : words.nothing_waiting || "";
  child(box, "p", "outbox-last").textContent = current.lastSync
    ? format(words.last_sync, { time: showTime(current.lastSync, lang()) })
    : words.never_synced || "";
  const others = child(box, "p", "outbox-others");
  others.textContent = othersText(words, current);
  others.hidden = current.others.length === 0;
  box.setAttribute("data-others", String(current.others.length));
  const problem = child(box, "p", "outbox-error");
  problem.textContent = current.lastError;
  problem.hidden = !current.lastError;
  const list = child(box, "ul", "outbox-attention");
  list.textContent = "";
  current.attention.forEach(function (entry) {
    const item = document.createElement("li");
    item.textContent = (entry.label ? entry.label + " — " : "") +
      format(words.needs_attention, { reason: entry.attention.message });
    list.appendChild(item);
  });
  list.hidden = current.attention.length === 0;
}

/* Show at once that a flush runs (the counts follow when they have been read). */
export function paintSending(words, sending) {
  const box = document.getElementById("outbox-status");
  if (box) box.setAttribute("data-sending", sending ? "yes" : "no");
  Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-send]"), function (button) {
    if (!button.getAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.disabled = sending;
    button.textContent = sending ? words.sending : button.getAttribute("data-label");
  });
}

/* Paint everything; `sending` is whether a flush runs now (the state may be older). */
export function paint(words, current, sending) {
  paintSignIn(words, current);
  paintBadge(words, current);
  paintBox(words, current);
  paintSending(words, sending);
}

/* Tell the page's own scripts (field.js, finding_form.js, walk.js…) what the outbox holds now. */
export function announce(current) {
  let event;
  try {
    event = new CustomEvent("outbox:change", { detail: current });
  } catch (error) {
    event = document.createEvent("CustomEvent");
    event.initCustomEvent("outbox:change", false, false, current);
  }
  window.dispatchEvent(event);
}
