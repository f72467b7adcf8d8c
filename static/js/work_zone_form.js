/* The work zone on the phone: the zone (under its client UUID) and its 1–6 set-up photos are
 * written into the outbox first and sent from there (OFFLINE.md rules 1–3, 9); the removal is
 * queued later as a PATCH. Short parts are flagged live from the minimums in the page (never
 * refused). The link prefills from the running patrol (kept on the phone) or the chosen repair.
 * Without this script the form posts as usual. No ?. or ?? (older Android WebViews).
 */
import {
  PhotoBox,
  appendAttention,
  attentionRecords,
  clearErrors,
  fmt,
  readBlock,
  showErrors,
  showMessage,
  waitingItem,
  whenReady,
} from "./outbox_forms.js";
import {
  ZONES_URL,
  checkZone,
  judgeParts,
  removalEntry,
  waitingZones,
  zoneBody,
  zoneEntries,
  zoneLabel,
} from "./crew/zone_rules.js";
import { isoLocal } from "./lib/text.js";

function pad(n) {
  return (n < 10 ? "0" : "") + n;
}

/* A datetime-local value for now (the phone's clock). */
function localInput(date) {
  var d = date || new Date();
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
    pad(d.getHours()) + ":" + pad(d.getMinutes());
}

function start() {
  var form = document.getElementById("zone-form");
  if (!form) return;
  var Outbox = window.Outbox;
  var context = readBlock("zone-context");
  var words = readBlock("zone-words");
  var message = document.getElementById("zone-message");
  var other = document.getElementById("zone-other-errors");
  var photos = new PhotoBox(
    document.getElementById("zone-photo"), document.getElementById("zone-photo-list"),
    document.getElementById("zone-photo-status"), words, "site");
  var fixing = null;
  var el = form.elements;

  function values() {
    var parts = {};
    var devices = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-part]"), function (row) {
      var code = row.getAttribute("data-part");
      parts[code] = el["part_" + code].value;
    });
    Array.prototype.forEach.call(form.querySelectorAll('input[name^="device_"]'), function (box) {
      var code = box.name.slice("device_".length);
      if (!box.checked) return;
      devices[code] = el["count_" + code] ? el["count_" + code].value : true;
    });
    var link = form.querySelector('input[name="link"]:checked');
    var setUp = el.set_up_at.value;
    return {
      link: link ? link.value : "",
      repair_uuid: el.repair_uuid.value,
      patrol_uuid: el.patrol_uuid.value,
      road: el.road.value,
      direction: el.direction.value,
      from_stake: el.from_stake.value,
      to_stake: el.to_stake.value,
      lanes_closed: el.lanes_closed.value,
      lanes_note: el.lanes_note.value,
      speed_limit_kmh: el.speed_limit_kmh.value,
      set_up_at: setUp ? isoLocal(new Date(setUp)) : "",
      parts: parts,
      devices: devices,
      note: el.note.value,
    };
  }

  /* Each counted device's count shows only while the device is ticked. */
  function showCounts() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-count-for]"), function (box) {
      var ticked = el["device_" + box.getAttribute("data-count-for")];
      box.hidden = !(ticked && ticked.checked);
    });
  }

  /* The flag of short parts, live, with the minimums beside each part. */
  function flag() {
    showCounts();
    var body = zoneBody(values(), "x");
    var lengths = {};
    body.parts.forEach(function (p) {
      lengths[p.part] = p.length_m;
    });
    var speed = body.speed_limit_kmh;
    var judged = judgeParts(lengths, context.minimums || {}, speed === null ? NaN : speed);
    Array.prototype.forEach.call(form.querySelectorAll("[data-part]"), function (row) {
      var code = row.getAttribute("data-part");
      var minimum = judged.minimums[code];
      row.querySelector("[data-minimum]").textContent = minimum ? minimum + " m" : "";
      row.querySelector("[data-minimum-box]").hidden = !minimum;
      row.classList.toggle("row-flagged", judged.shortfalls.some(function (s) {
        return s.part === code;
      }));
    });
    var basis = document.getElementById("zone-basis");
    basis.textContent = judged.speed === null ? "" : fmt(
      judged.beyond ? words.basis_beyond : (judged.speed !== speed ? words.basis_above : words.basis),
      { used: judged.speed });
    var list = document.getElementById("zone-flags");
    list.textContent = "";
    judged.shortfalls.forEach(function (s) {
      var item = document.createElement("li");
      item.textContent = fmt(words.short, {
        part: (context.part_labels || {})[s.part] || s.part, length: s.length_m, minimum: s.minimum_m,
      });
      list.appendChild(item);
    });
    list.hidden = judged.shortfalls.length === 0;
    list.setAttribute("data-flags", String(judged.shortfalls.length));
  }

  /* Prefill from the running patrol (the phone's, else the page's) or the chosen repair. */
  function prefill() {
    var patrol = Outbox.patrol.get() || context.patrol;
    if (patrol && patrol.ended) patrol = null;
    el.patrol_uuid.value = patrol ? patrol.uuid : "";
    document.getElementById("zone-patrol-text").textContent = patrol
      ? fmt(words.patrol_on, { road: patrol.road }) : words.no_patrol;
    var repair = null;
    (context.repairs || []).forEach(function (r) {
      if (r.uuid === el.repair_uuid.value) repair = r;
    });
    var source = repair || (patrol && !el.repair_uuid.value ? patrol : null);
    if (!source) return;
    if (!el.road.value) {
      var key = source.road + "/" + source.direction;
      var found = Array.prototype.some.call(el.road.options, function (o) {
        return o.value === key;
      });
      if (!found) {
        Array.prototype.forEach.call(el.road.options, function (o) {
          if (!found && o.value.split("/")[0] === source.road) {
            key = o.value;
            found = true;
          }
        });
      }
      if (found) el.road.value = key;
    }
    if (repair && !el.from_stake.value) {
      el.from_stake.value = repair.stake;
      el.to_stake.value = repair.end_stake || repair.stake;
    } else if (!repair && source.start_stake && !el.from_stake.value) {
      el.from_stake.value = source.start_stake;
    }
  }

  function reset() {
    form.reset();
    photos.clear();
    fixing = null;
    clearErrors(form);
    document.getElementById("zone-fix-banner").hidden = true;
    el.client_uuid.value = Outbox.uuid();
    el.set_up_at.value = localInput();
    prefill();
    flag();
  }

  async function save() {
    var button = document.getElementById("save-zone");
    button.disabled = true;
    try {
      await photos.ready();
      var uuid = fixing ? fixing.uuid : el.client_uuid.value || Outbox.uuid();
      var body = zoneBody(values(), uuid);
      var count = photos.photos.length;
      var errors = checkZone(body, count, words);
      if (!fixing && count === 0) errors.photo = words.need_photo;
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      var label = zoneLabel(body, words.label);
      var entries = zoneEntries(body, photos.photos, label, fmt(words.photo_label, { label: label }));
      if (fixing) {
        await Outbox.replaceRecord(fixing.id, body, label);
        if (entries.length > 1) await Outbox.add(entries.slice(1));
      } else {
        await Outbox.add(entries);
      }
      reset();
      showMessage(message, words.saved, "ok");
      message.scrollIntoView({ block: "center" });
      Outbox.flush({ force: true });
    } catch (error) {
      showMessage(message, fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    } finally {
      button.disabled = false;
    }
  }

  function loadForFix(entry) {
    reset();
    var body = entry.body || {};
    fixing = { id: entry.id, uuid: entry.uuid };
    el.client_uuid.value = entry.uuid;
    ["from_stake", "to_stake", "lanes_closed", "lanes_note", "speed_limit_kmh", "note"].forEach(
      function (name) {
        el[name].value = body[name] === null || body[name] === undefined ? "" : body[name];
      });
    el.repair_uuid.value = body.repair_uuid || "";
    if (body.set_up_at) el.set_up_at.value = localInput(new Date(body.set_up_at));
    Array.prototype.forEach.call(el.road.options, function (o) {
      if (o.value === body.road + "/" + body.direction) el.road.value = o.value;
    });
    (body.parts || []).forEach(function (p) {
      if (el["part_" + p.part]) el["part_" + p.part].value = p.length_m;
    });
    (body.devices || []).forEach(function (d) {
      if (el["device_" + d.device]) el["device_" + d.device].checked = true;
      if (el["count_" + d.device]) el["count_" + d.device].value = d.count || "";
    });
    document.getElementById("zone-fix-banner").hidden = false;
    var fields = {};
    Object.keys(entry.attention.fields || {}).forEach(function (name) {
      var parts = name.split(".");
      if (parts[0] === "parts" && body.parts && body.parts[parts[1]]) {
        fields["part_" + body.parts[parts[1]].part] = entry.attention.fields[name];
      } else if (parts[0] === "devices" && body.devices && body.devices[parts[1]]) {
        fields["count_" + body.devices[parts[1]].device] = entry.attention.fields[name];
      } else {
        fields[name] = entry.attention.fields[name];
      }
    });
    showErrors(form, fields, other);
    showMessage(message, entry.attention.message, "error");
    flag();
  }

  function queueRemoval(zone) {
    var label = fmt(words.removal_label, { label: zone.label });
    Outbox.add([removalEntry(zone.uuid, isoLocal(), label)]).then(function () {
      showMessage(message, words.removal_saved, "ok");
      Outbox.flush({ force: true });
    }, function (error) {
      showMessage(message, fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    });
  }

  function showOpen(entries) {
    var removing = {};
    waitingZones(entries).forEach(function (e) {
      if (e.method === "PATCH") removing[e.uuid] = true;
    });
    var open = (context.open_zones || []).slice();
    waitingZones(entries).forEach(function (e) {
      if (e.method === "POST" && e.body && !e.body.removed_at) {
        open.unshift({ uuid: e.uuid, label: e.label });
      }
    });
    var list = document.getElementById("zone-open");
    list.textContent = "";
    open.filter(function (z) {
      return !removing[z.uuid];
    }).forEach(function (zone) {
      var item = document.createElement("li");
      item.className = "record";
      item.setAttribute("data-uuid", zone.uuid);
      item.appendChild(document.createTextNode(zone.label + (zone.set_up ? " · " + zone.set_up : "") + " "));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-small";
      button.textContent = words.remove_now;
      button.addEventListener("click", function () {
        button.disabled = true;
        queueRemoval(zone);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    document.getElementById("zone-open-card").hidden = list.children.length === 0;
  }

  function showWaiting(current) {
    var entries = current ? current.entries : [];
    var waiting = waitingZones(entries);
    var list = document.getElementById("zone-waiting");
    list.textContent = "";
    waiting.forEach(function (entry) {
      var item = waitingItem(entry, words);
      list.appendChild(item);
    });
    document.getElementById("zone-waiting-card").hidden = waiting.length === 0;
    var attention = attentionRecords(entries, function (url) {
      return url === ZONES_URL;
    });
    var attentionList = document.getElementById("zone-attention");
    attentionList.textContent = "";
    attention.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "record";
      item.textContent = entry.label;
      appendAttention(item, entry, words.fix, loadForFix);
      attentionList.appendChild(item);
    });
    document.getElementById("zone-attention-card").hidden = attention.length === 0;
    showOpen(entries);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  form.addEventListener("input", flag);
  form.addEventListener("change", function (event) {
    if (event.target === el.repair_uuid) {
      var repairRadio = form.querySelector('input[name="link"][value="repair"]');
      if (repairRadio && el.repair_uuid.value) repairRadio.checked = true;
      el.from_stake.value = "";
      el.road.value = "";
      prefill();
    }
    flag();
  });
  document.getElementById("zone-fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  if (!el.set_up_at.value) el.set_up_at.value = localInput();
  prefill();
  flag();
  showWaiting(Outbox.current());
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
