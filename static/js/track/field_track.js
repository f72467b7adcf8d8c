/* The track on the field home: records the running patrol's track while the page is open,
 * shows its state ("Recording · Points: 312 · Waiting to send: …"), the pause/resume button,
 * and lends field.js `window.TrackRecorder.finish(patrolUuid)` so that the end of a patrol
 * waits for its last batch. field.js says which patrol runs through `window.inspectionField`
 * and the `field:patrol` event. Only the `window.Outbox` facade is used.
 */

import { Recorder } from "./recorder.js";

function readWords(id) {
  const node = document.getElementById(id);
  if (!node) return {};
  try {
    return JSON.parse(node.textContent);
  } catch (error) {
    return {};
  }
}

function setup(Outbox) {
  const box = document.getElementById("track-box");
  if (!box) return;
  const words = readWords("track-words");
  const line = document.getElementById("track-state");
  const counts = document.getElementById("track-counts");
  const toggle = document.getElementById("track-toggle");
  const screen = document.getElementById("track-screen");

  function stateText(s) {
    if (s.state === "recording") {
      return s.fix ? words.recording : words.recording_waiting;
    }
    if (s.state === "paused") {
      return Outbox.format(words.paused, { reason: words["reason_" + s.reason] || s.reason });
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
    const parts = [Outbox.format(words.kept, { count: s.kept })];
    if (!s.pointsWaiting) parts.push(words.all_sent);
    else if (!s.batchesWaiting) parts.push(Outbox.format(words.waiting_open, { points: s.pointsWaiting }));
    else parts.push(Outbox.format(words.waiting, { points: s.pointsWaiting, batches: s.batchesWaiting }));
    if (s.dropped) parts.push(Outbox.format(words.dropped, { count: s.dropped }));
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
    label: (count) => Outbox.format(words.batch_label, { count }),
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
  window.addEventListener("field:patrol", (event) => follow(event.detail));
  window.TrackRecorder = {
    finish: (patrolUuid) => recorder.finish(patrolUuid),
    snapshot: () => recorder.snapshot(),
  };
  if (Outbox.current()) recorder.outboxChanged(Outbox.current());
  const known = window.inspectionField;
  if (known && known.patrol) follow(known.patrol);
  paint(recorder.snapshot());
}

if (window.Outbox) {
  setup(window.Outbox);
} else {
  // The facade is made by a module that may run after this one: wait for it.
  let done = false;
  const once = () => {
    if (done || !window.Outbox) return;
    done = true;
    setup(window.Outbox);
  };
  window.addEventListener("outbox:ready", once);
  window.addEventListener("DOMContentLoaded", once);
}
