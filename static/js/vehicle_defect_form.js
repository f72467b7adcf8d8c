/* Reporting a vehicle defect on the phone: the report (under its client UUID) is written into
 * the outbox first and sent from there when the signal comes back (OFFLINE.md rules 1–3); the
 * server answers with the report at `uuid`. The units come embedded in the page, so the copy
 * the service worker keeps works without signal. Without this script the form posts as usual.
 * No ?. or ?? (older Android WebViews).
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
import { isoLocal } from "./lib/text.js";
import { localGet, localSet } from "./lib/local.js";

export var DEFECTS_URL = "/api/v1/vehicle-defects";
export var DESCRIPTION_MAX = 500;
var LAST_VEHICLE = "inspection.defect.vehicle";

// --- pure parts (tests/js/vehicle_defect_form.test.mjs) ----------------------------------------

/* The JSON the API takes. `reportedAt` is an ISO time with its offset (isoLocal()). */
export function defectBody(values, clientUuid, reportedAt) {
  var id = parseInt(values.vehicle_id, 10);
  return {
    client_uuid: String(clientUuid).toLowerCase(),
    vehicle_id: isFinite(id) ? id : null,
    description: String(values.description || "").trim(),
    reported_at: reportedAt,
  };
}

/* {field: message} of what the phone can tell; the server checks the rest. */
export function checkDefect(body, context, words) {
  var errors = {};
  var known = (context.vehicles || []).some(function (v) {
    return v.id === body.vehicle_id;
  });
  if (!known) errors.vehicle_id = words.choose_vehicle;
  if (!body.description) errors.description = words.describe;
  else if (body.description.length > DESCRIPTION_MAX) errors.description = words.too_long;
  return errors;
}

/* The outbox entry of a report: a record the server confirms by its `uuid`. */
export function defectEntry(body, label) {
  return {
    method: "POST",
    url: DEFECTS_URL,
    uuid: String(body.client_uuid).toLowerCase(),
    answer_uuid: "uuid",
    deps: [],
    body: body,
    label: label,
  };
}

/* The defect reports waiting on this phone (Outbox.state().entries). */
export function waitingDefects(entries) {
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && entry.url === DEFECTS_URL;
  });
}

/* The unit to choose first: the one this phone reported last, else the crew's last patrol's,
 * when it is still listed. */
export function defaultVehicle(context, remembered) {
  var ids = (context.vehicles || []).map(function (v) {
    return v.id;
  });
  if (remembered !== null && remembered !== undefined && ids.indexOf(remembered) >= 0) {
    return remembered;
  }
  var given = context.default_vehicle;
  return given !== null && given !== undefined && ids.indexOf(given) >= 0 ? given : null;
}

export function vehicleNumber(context, id) {
  var number = String(id);
  (context.vehicles || []).forEach(function (v) {
    if (v.id === id) number = v.number;
  });
  return number;
}

// --- the page ----------------------------------------------------------------------------------

function start() {
  var form = document.getElementById("defect-form");
  if (!form) return;
  var Outbox = window.Outbox;
  var context = readBlock("defect-context");
  var words = readBlock("defect-words");
  var message = document.getElementById("defect-message");
  var other = document.getElementById("defect-other-errors");
  var fixing = null;

  function choose(id) {
    Array.prototype.forEach.call(form.querySelectorAll('input[name="vehicle_id"]'), function (input) {
      input.checked = id !== null && input.value === String(id);
    });
  }

  function reset() {
    form.elements.description.value = "";
    fixing = null;
    clearErrors(form);
    document.getElementById("defect-fix-banner").hidden = true;
    choose(defaultVehicle(context, localGet(LAST_VEHICLE)));
  }

  async function save() {
    var button = document.getElementById("save-defect");
    button.disabled = true;
    try {
      var picked = form.querySelector('input[name="vehicle_id"]:checked');
      var values = {
        vehicle_id: picked ? picked.value : "",
        description: form.elements.description.value,
      };
      var body = defectBody(values, fixing ? fixing.uuid : Outbox.uuid(),
        fixing ? fixing.reported_at : isoLocal());
      var errors = checkDefect(body, context, words);
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      var label = fmt(words.label, { number: vehicleNumber(context, body.vehicle_id) });
      if (fixing) await Outbox.replaceRecord(fixing.id, body, label);
      else await Outbox.add([defectEntry(body, label)]);
      localSet(LAST_VEHICLE, body.vehicle_id);
      reset();
      showMessage(message, words.saved, "ok");
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
    fixing = { id: entry.id, uuid: entry.uuid, reported_at: body.reported_at };
    choose(body.vehicle_id);
    form.elements.description.value = body.description || "";
    document.getElementById("defect-fix-banner").hidden = false;
    showErrors(form, entry.attention.fields || {}, other);
    showMessage(message, entry.attention.message, "error");
  }

  function showWaiting(current) {
    var entries = current ? current.entries : [];
    var waiting = waitingDefects(entries);
    var list = document.getElementById("defect-waiting");
    list.textContent = "";
    waiting.forEach(function (entry) {
      var item = waitingItem(entry, words);
      if (entry.body && entry.body.description) {
        var text = document.createElement("div");
        text.className = "muted";
        text.textContent = entry.body.description;
        item.appendChild(text);
      }
      if (entry.attention) appendAttention(item, entry, words.fix, loadForFix);
      list.appendChild(item);
    });
    document.getElementById("defect-waiting-card").hidden = waiting.length === 0;
    var attention = attentionRecords(entries, function (url) {
      return url === DEFECTS_URL;
    });
    document.getElementById("defect-attention-card").hidden = attention.length === 0;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  document.getElementById("defect-fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  if (!form.querySelector('input[name="vehicle_id"]:checked')) {
    choose(defaultVehicle(context, localGet(LAST_VEHICLE)));
  }
  showWaiting(Outbox.current());
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
