/* The pre-trip check on the phone: judged at once on the phone by the thresholds embedded in
 * the page (crew/pretrip_rules.js, the server's rules), saved into the outbox first and sent
 * when the signal comes back (OFFLINE.md rules 1–3); the server answers with the check at
 * `uuid` and decides. Today's checks are remembered on the phone, so the start-patrol form
 * warns before sending a start the server would refuse. Without this script the form posts as
 * usual. No ?. or ?? (older Android WebViews).
 */
import {
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
  CHECKS_URL,
  PRETRIP_KEY,
  checkBody,
  checkErrors,
  judgeCheck,
  parseAlcohol,
  parsePressure,
  pretripEntry,
  rememberCheck,
  waitingChecks,
} from "./crew/pretrip_rules.js";
import { isoLocal } from "./lib/text.js";
import { localGet, localSet } from "./lib/local.js";

function labelOf(list, id) {
  var label = String(id);
  (list || []).forEach(function (row) {
    if (row.id === id) label = row.label;
  });
  return label;
}

function start() {
  var form = document.getElementById("pretrip-form");
  if (!form) return;
  var Outbox = window.Outbox;
  var context = readBlock("pretrip-context");
  var words = readBlock("pretrip-words");
  var message = document.getElementById("pretrip-message");
  var result = document.getElementById("pretrip-result");
  var other = document.getElementById("pretrip-other-errors");
  var fixing = null;

  function values() {
    return {
      vehicle_id: form.elements.vehicle_id.value,
      driver_id: form.elements.driver_id.value,
      alcohol_mg: form.elements.alcohol_mg.value,
      systolic: form.elements.systolic.value,
      diastolic: form.elements.diastolic.value,
      note: form.elements.note.value,
    };
  }

  function items() {
    var answered = {};
    (context.items || []).forEach(function (code) {
      var box = form.querySelector('input[data-item="' + code + '"]');
      answered[code] = !!(box && box.checked);
    });
    return answered;
  }

  function itemLabel(code) {
    var box = form.querySelector('input[data-item="' + code + '"]');
    var name = box ? box.parentNode.querySelector("[data-label]") : null;
    return name ? name.textContent : code;
  }

  /* The verdict of what is typed so far (null while a reading is missing or implausible). */
  function verdict() {
    var v = values();
    var alcohol = parseAlcohol(v.alcohol_mg);
    var sys = parsePressure(v.systolic);
    var dia = parsePressure(v.diastolic);
    if (alcohol.error || sys.error || dia.error) return null;
    var errors = checkErrors(v, context, words);
    if (errors.alcohol_mg || errors.systolic || errors.diastolic) return null;
    return judgeCheck(items(), alcohol.value, sys.value, dia.value, context.thresholds, context.items);
  }

  function reasons(judged) {
    var parts = [];
    if (!judged.vehicle_passed) {
      parts.push(fmt(words.vehicle_fault, { items: judged.faults.map(itemLabel).join("、") }));
    }
    if (!judged.alcohol_passed) parts.push(words[judged.alcohol]);
    if (!judged.blood_pressure_passed) parts.push(words.bp_unfit);
    return parts.join("; ");
  }

  function showVerdict() {
    var judged = verdict();
    if (!judged) {
      result.hidden = true;
      return null;
    }
    showMessage(result, judged.passed ? words.passed : fmt(words.failed, { reasons: reasons(judged) }),
      judged.passed ? "ok" : "error");
    return judged;
  }

  function reset() {
    form.elements.alcohol_mg.value = "";
    form.elements.systolic.value = "";
    form.elements.diastolic.value = "";
    form.elements.note.value = "";
    Array.prototype.forEach.call(form.querySelectorAll("input[data-item]"), function (box) {
      box.checked = true;
    });
    fixing = null;
    clearErrors(form);
    result.hidden = true;
    document.getElementById("pretrip-fix-banner").hidden = true;
  }

  async function save() {
    var button = document.getElementById("save-pretrip");
    button.disabled = true;
    try {
      var v = values();
      var errors = checkErrors(v, context, words);
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      var judged = showVerdict();
      var body = checkBody(v, items(), fixing ? fixing.uuid : Outbox.uuid(),
        fixing ? fixing.checked_at : isoLocal());
      var number = labelOf(context.vehicles, body.vehicle_id).split(" · ")[0];
      var name = labelOf(context.drivers, body.driver_id).split(" · ")[0];
      var label = fmt(words.label, { number: number, name: name });
      if (fixing) await Outbox.replaceRecord(fixing.id, body, label);
      else await Outbox.add([pretripEntry(body, label)]);
      localSet(PRETRIP_KEY, rememberCheck(localGet(PRETRIP_KEY), body, judged, {
        vehicle: fmt(words.vehicle_blocked, { number: number }),
        driver: fmt(words.driver_blocked, { name: name }),
      }));
      var shown = judged.passed ? words.passed : fmt(words.failed, { reasons: reasons(judged) });
      reset();
      showMessage(message, shown + " " + words.saved, judged.passed ? "ok" : "error");
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
    fixing = { id: entry.id, uuid: entry.uuid, checked_at: body.checked_at };
    form.elements.vehicle_id.value = String(body.vehicle_id || "");
    form.elements.driver_id.value = String(body.driver_id || "");
    form.elements.alcohol_mg.value = body.alcohol_mg === undefined ? "" : String(body.alcohol_mg);
    form.elements.systolic.value = body.systolic === undefined ? "" : String(body.systolic);
    form.elements.diastolic.value = body.diastolic === undefined ? "" : String(body.diastolic);
    form.elements.note.value = body.note || "";
    var answered = body.vehicle_items || {};
    Array.prototype.forEach.call(form.querySelectorAll("input[data-item]"), function (box) {
      box.checked = answered[box.getAttribute("data-item")] !== false;
    });
    document.getElementById("pretrip-fix-banner").hidden = false;
    showErrors(form, entry.attention.fields || {}, other);
    showMessage(message, entry.attention.message, "error");
    showVerdict();
  }

  function showWaiting(current) {
    var entries = current ? current.entries : [];
    var waiting = waitingChecks(entries);
    var list = document.getElementById("pretrip-waiting");
    list.textContent = "";
    waiting.forEach(function (entry) {
      var item = waitingItem(entry, words);
      if (entry.attention) appendAttention(item, entry, words.fix, loadForFix);
      list.appendChild(item);
    });
    document.getElementById("pretrip-waiting-card").hidden = waiting.length === 0;
    var attention = attentionRecords(entries, function (url) {
      return url === CHECKS_URL;
    });
    document.getElementById("pretrip-attention-card").hidden = attention.length === 0;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  form.addEventListener("input", showVerdict);
  form.addEventListener("change", showVerdict);
  document.getElementById("pretrip-fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  showWaiting(Outbox.current());
  showVerdict();
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
