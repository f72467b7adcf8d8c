/* Today's findings on the field home: those still in the outbox are listed above the server's,
 * marked "waiting" (or "needs attention", with why); once sent they stay, marked "sent", until
 * the page is fetched again. Plain ES2017 (no ?. or ??).
 */
import { waitingFindings } from "./patrol.js";

function pendingItem(uuid, entry, words) {
  const item = document.createElement("li");
  item.className = "record pending";
  item.setAttribute("data-uuid", uuid);
  const label = document.createElement("strong");
  label.textContent = entry.label;
  const tag = document.createElement("span");
  tag.className = entry.attention ? "tag tag-attention" : "tag tag-waiting";
  tag.textContent = entry.attention ? words.needs_attention : words.waiting;
  item.appendChild(label);
  item.appendChild(document.createTextNode(" "));
  item.appendChild(tag);
  if (entry.attention) {
    const why = document.createElement("p");
    why.className = "field-error";
    why.textContent = entry.attention.message;
    item.appendChild(why);
  }
  return item;
}

/* Bring the list (ul#todays-findings) up to date with the outbox's state (current, or null);
 * `none` is the "no findings yet" line. */
export function showWaitingFindings(list, none, current, words) {
  const waiting = waitingFindings(current ? current.entries : []);
  Array.prototype.forEach.call(list.querySelectorAll("li.pending"), function (node) {
    if (waiting[node.getAttribute("data-uuid")]) {
      node.remove(); // drawn again below, as it is now
      return;
    }
    const tag = node.querySelector(".tag");
    tag.className = "tag tag-sent";
    tag.textContent = words.sent;
    const why = node.querySelector(".field-error");
    if (why) why.remove();
  });
  Object.keys(waiting).forEach(function (uuid) {
    if (list.querySelector('li[data-uuid="' + uuid + '"]')) return; // already on the server's list
    list.insertBefore(pendingItem(uuid, waiting[uuid], words), list.firstChild);
  });
  none.hidden = list.querySelectorAll("li").length > 0;
}
