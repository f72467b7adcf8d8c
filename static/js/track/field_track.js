/* The track on the field home: records the running patrol's track while the page is open,
 * shows its state ("Recording · Points: 312 · Waiting to send: …") and the pause/resume button.
 * field.js starts it (startTrack) with the outbox's facade, says which patrol runs (follow) and,
 * before ending a patrol, asks for its last batch (finish). The state is also written on
 * #track-box (data-state, data-kept, …) for the crew's styles and the browser tests.
 */

import { Recorder } from "./recorder.js";
import { readJsonBlock } from "../lib/page.js";
import { format } from "../lib/text.js";

/* Record and show the track on this page; null on a page without #track-box. Returns
 * {follow(patrol or null), finish(patrolUuid) → Promise of the last batch's UUID, snapshot()}. */
export function startTrack(Outbox) {
  const box = document.getElementById("track-box");
  if (!box) return null;
  const words = readJsonBlock("track-words") || {};
  const line = document.getElementById("track-state");
  const counts = document.getElementById("track-counts");
  const toggle = document.getElementById("track-toggle");
  const screen = document.getElementById("track-screen");

  function stateText(s) {
    if (s.state === "recording") {
      return s.fix ? words.recording : words.recording_waiting;
    }
    if (s.state === "paused") {
      return format(words.paused, { reason: words["reason_" + s.reason] || s.reason });
    }
    if (s.state === "ended") return words.ended;
    return "";
  }

  function paint(s) {
    box.hidden = s.state === "off";
    box.setAttribute("data-state", s.state);
    box.setAttribute("data-reason", s.reason);
    box.setAttribute("data-kept", String(s.kept));
    box.setAttribute("data-dropped", String(s.dropped));
    box.setAttribute("data-batches-waiting", String(s.batchesWaiting));
    box.setAttribute("data-points-waiting", String(s.pointsWaiting));
    box.setAttribute("data-wake-lock", s.wakeLock);
    line.textContent = stateText(s);
    const parts = [format(words.kept, { count: s.kept })];
    if (!s.pointsWaiting) parts.push(words.all_sent);
    else if (!s.batchesWaiting) parts.push(format(words.waiting_open, { points: s.pointsWaiting }));
    else parts.push(format(words.waiting, { points: s.pointsWaiting, batches: s.batchesWaiting }));
    if (s.dropped) parts.push(format(words.dropped, { count: s.dropped }));
    counts.textContent = parts.join(" · ");
    const paused = s.state === "paused";
    toggle.hidden = s.state === "off" || s.state === "ended" || (paused && s.reason === "other_tab");
    toggle.textContent = paused ? words.resume : words.pause;
    toggle.classList.toggle("btn-primary", paused);
    screen.textContent =
      s.state !== "recording" ? "" : s.wakeLock === "on" ? words.screen_on : s.wakeLock === "off" ? "" : words.screen_no;
    screen.hidden = !screen.textContent;
  }

  const recorder = new Recorder({
    window,
    document,
    navigator,
    outbox: Outbox,
    label: (count) => format(words.batch_label, { count }),
    onChange: paint,
  });

  function follow(patrol) {
    if (patrol && patrol.uuid && !patrol.ended) recorder.start(patrol);
    else if (recorder.patrol) recorder.stop();
  }

  toggle.addEventListener("click", () => {
    if (recorder.state === "paused") recorder.resume();
    else recorder.pause();
  });
  window.addEventListener("outbox:change", (event) => recorder.outboxChanged(event.detail));
  if (Outbox.current()) recorder.outboxChanged(Outbox.current());
  paint(recorder.snapshot());
  return {
    follow: follow,
    finish: (patrolUuid) => recorder.finish(patrolUuid),
    snapshot: () => recorder.snapshot(),
  };
}
