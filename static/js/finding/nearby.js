/* Near-duplicates on the new-finding form: open findings of the same kind within 50 m of the
 * stake (or the fix), asked of the server while there is signal; the crew may add their photos
 * to one of them instead of recording a new finding ("attach" mode). Plain ES2017 (no ?. or ??).
 */
import { nearbyQuery } from "./record.js";
import { getJson } from "../lib/net.js";
import { normaliseStake } from "../lib/stake.js";
import { lang } from "../lib/page.js";
import { format, showTime } from "../lib/text.js";
import { show } from "../lib/forms.js";

const WAIT_MS = 400; // typing settles before the server is asked

/* form: the finding form; words: the page's; where(): {kind, road, fix, busy} now (busy: a
 * finding is being corrected, or photos attached, so nothing is asked). */
export function createNearby(form, words, where) {
  let timer = null;
  let target = null; // {uuid, label}: photos go to this finding instead

  function $(id) {
    return document.getElementById(id);
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, WAIT_MS);
  }

  function item(finding) {
    const node = document.createElement("li");
    node.className = "record";
    const link = document.createElement("a");
    link.href = "/findings/" + finding.uuid;
    link.textContent = finding.road + " " + finding.stake + " · " +
      showTime(Date.parse(finding.observed_at), lang()) + (finding.note ? " · " + finding.note : "");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-block";
    button.textContent = words.nearby_attach;
    button.addEventListener("click", function () {
      attach({ uuid: finding.uuid, label: finding.road + " " + finding.stake });
    });
    node.appendChild(link);
    node.appendChild(button);
    return node;
  }

  function check() {
    const box = $("nearby");
    const now = where();
    const query = now.busy || target ? "" :
      nearbyQuery(now.kind, now.road, normaliseStake($("f-stake").value), now.fix);
    if (!query) {
      box.hidden = true;
      return;
    }
    getJson("/api/v1/findings/nearby?" + query).then(function (answer) {
      const found = answer.ok && answer.body ? answer.body.findings || [] : [];
      const list = $("nearby-list");
      list.textContent = "";
      found.forEach(function (finding) {
        list.appendChild(item(finding));
      });
      box.hidden = found.length === 0;
    }, function () {
      box.hidden = true;
    });
  }

  function attach(finding) {
    target = finding;
    form.classList.add("mode-attach");
    show($("attach-text"), format(words.attaching, { label: finding.label }));
    $("attach-banner").hidden = false;
    $("nearby").hidden = true;
    $("photo-group").scrollIntoView({ block: "center" });
  }

  function stopAttach() {
    target = null;
    form.classList.remove("mode-attach");
    $("attach-banner").hidden = true;
    schedule();
  }

  return {
    schedule: schedule,
    stopAttach: stopAttach,
    /* The finding photos are attached to, or null. */
    target: function () {
      return target;
    },
    hide: function () {
      $("nearby").hidden = true;
    },
  };
}
