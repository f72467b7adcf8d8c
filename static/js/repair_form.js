/* New repair on the phone: the record (under its client UUID) and its before/after photos are
 * written into the outbox first and sent from there (OFFLINE.md rules 1–3, 9). The page's form
 * also posts to the server without this script (desktop, no JavaScript); with it, nothing is
 * posted by the form itself. Every word comes from the page's JSON blocks.
 */
import {
  PhotoBox,
  STAKE,
  appendAttention,
  attentionRecords,
  clearErrors,
  controlName,
  fmt,
  normaliseStake,
  numberOrNull,
  photoEntry,
  readBlock,
  showErrors,
  showMessage,
  whenReady,
} from "./outbox_forms.js";

export var REPAIRS_URL = "/api/v1/repairs";
var MATERIAL_FIELDS = ["name", "quantity", "unit"];

// --- pure parts (tests/js/repair_form.test.mjs) ------------------------------------------------

/* The JSON the API takes, from the form's values (the same shape RepairForm.as_body gives). */
export function repairBody(values, clientUuid) {
  var road = String(values.road || "");
  var cut = road.indexOf("/");
  var code = cut >= 0 ? road.slice(0, cut) : road;
  var roadDirection = cut >= 0 ? road.slice(cut + 1) : "";
  var materials = (values.materials || []).map(function (row) {
    return {
      name: String(row.name || "").trim(),
      quantity: numberOrNull(row.quantity),
      unit: row.unit || "t",
    };
  });
  // Empty rows at the end are no rows; those between keep their place (errors name an index).
  while (materials.length && !materials[materials.length - 1].name &&
      materials[materials.length - 1].quantity === null) {
    materials.pop();
  }
  return {
    client_uuid: String(clientUuid),
    kind: values.kind || "",
    road: code,
    direction: values.direction || roadDirection || null,
    side: values.side || null,
    stake: normaliseStake(values.stake),
    end_stake: normaliseStake(values.end_stake),
    completed_on: values.completed_on || null,
    area_m2: numberOrNull(values.area_m2),
    count: numberOrNull(values.count),
    depth_mm: numberOrNull(values.depth_mm),
    materials: materials,
    crew: String(values.crew || "").trim(),
    method: String(values.method || "").trim(),
    cost_yuan: numberOrNull(values.cost_yuan),
    note: String(values.note || "").trim(),
    findings: (values.findings || []).slice(),
  };
}

function bad(value) {
  return value !== null && (typeof value !== "number" || !isFinite(value));
}

/* What the phone can tell before saving: {field: message}; the server checks the rest (the
 * stake on the road, the area against the range's length) and the outbox shows its answer. */
export function checkRepair(body, rules, today, words) {
  var errors = {};
  var kind = (rules || {})[body.kind];
  if (!body.road) errors.road = words.choose_road;
  if (!kind) errors.kind = words.required;
  if (!body.stake) errors.stake = words.required;
  else if (!STAKE.test(body.stake)) errors.stake = words.stake_format;
  if (body.end_stake && !STAKE.test(body.end_stake)) errors.end_stake = words.stake_format;
  if (kind && !kind.single_stake && !body.end_stake) errors.end_stake = words.need_end_stake;
  if (!body.completed_on) errors.completed_on = words.required;
  else if (today && body.completed_on > today) errors.completed_on = words.future;
  if (bad(body.area_m2) || (body.area_m2 !== null && body.area_m2 <= 0) ||
      (kind && kind.area_required && body.area_m2 === null)) {
    errors.area_m2 = words.area;
  }
  var count = body.count;
  if (bad(count) || (count !== null && (count < 1 || Math.floor(count) !== count)) ||
      (kind && kind.count_required && count === null)) {
    errors.count = words.whole;
  }
  if (bad(body.depth_mm) || (body.depth_mm !== null && body.depth_mm <= 0)) {
    errors.depth_mm = words.positive;
  }
  if (bad(body.cost_yuan) || (body.cost_yuan !== null && body.cost_yuan < 0)) {
    errors.cost_yuan = words.not_negative;
  }
  body.materials.forEach(function (row, index) {
    if (!row.name && row.quantity === null) return;
    if (!row.name) errors["materials." + index + ".name"] = words.material_name;
    if (row.quantity === null || bad(row.quantity) || row.quantity <= 0) {
      errors["materials." + index + ".quantity"] = words.positive;
    }
  });
  return errors;
}

/* "Shoulder repair · G30 K3504+000–K3504+300": what the outbox shows for the record. */
export function repairLabel(body, kindLabels) {
  var place = body.stake + (body.end_stake ? "–" + body.end_stake : "");
  return ((kindLabels || {})[body.kind] || body.kind) + " · " + body.road + " " + place;
}

/* The outbox entries: the record, then each photo after it (waiting for it). The findings it
 * resolves may wait in the outbox too: the repair waits for them. */
export function repairEntries(body, photos, label, photoLabels) {
  var uuid = String(body.client_uuid).toLowerCase();
  var entries = [{
    method: "POST",
    url: REPAIRS_URL,
    uuid: uuid,
    answer_uuid: "uuid",
    deps: (body.findings || []).slice(),
    body: body,
    label: label,
  }];
  (photos || []).forEach(function (photo) {
    entries.push(photoEntry(photo, {
      url: REPAIRS_URL + "/" + uuid + "/photos",
      parent: uuid,
      stage: photo.stage,
      label: ((photoLabels || {})[photo.stage] || photo.stage) + " · " + label,
    }));
  });
  return entries;
}

/* The form values of a stored body, for correcting a record the server refused. */
export function formValues(body, roadKeys) {
  var keys = roadKeys || [];
  var exact = body.road + "/" + (body.direction || "");
  var road = keys.indexOf(exact) >= 0 ? exact : "";
  if (!road) {
    for (var i = 0; i < keys.length; i++) {
      if (keys[i].split("/")[0] === body.road) {
        road = keys[i];
        break;
      }
    }
  }
  var text = function (value) {
    return value === null || value === undefined ? "" : String(value);
  };
  var values = {
    road: road,
    direction: road === exact ? "" : text(body.direction),
    kind: text(body.kind),
    side: text(body.side),
    stake: text(body.stake),
    end_stake: text(body.end_stake),
    completed_on: text(body.completed_on),
    area_m2: text(body.area_m2),
    count: text(body.count),
    depth_mm: text(body.depth_mm),
    crew: text(body.crew),
    method: text(body.method),
    cost_yuan: text(body.cost_yuan),
    note: text(body.note),
  };
  (body.materials || []).forEach(function (row, index) {
    values["materials-" + index + "-name"] = text(row.name);
    values["materials-" + index + "-quantity"] = text(row.quantity);
    values["materials-" + index + "-unit"] = text(row.unit);
  });
  return values;
}

// --- the page ----------------------------------------------------------------------------------

function start() {
  var form = document.getElementById("repair-form");
  if (!form) return;
  var context = readBlock("repair-context");
  var words = readBlock("repair-words");
  var Outbox = window.Outbox;
  var message = document.getElementById("form-message");
  var other = document.getElementById("other-errors");
  var boxes = {
    before: new PhotoBox(
      document.getElementById("photo-before"), document.getElementById("photos-before"),
      document.getElementById("photo-status"), words, "before"),
    after: new PhotoBox(
      document.getElementById("photo-after"), document.getElementById("photos-after"),
      document.getElementById("photo-status"), words, "after"),
  };
  var fixing = null; // {id, uuid} of a refused record being corrected

  function control(name) {
    return form.elements[name];
  }

  function value(name) {
    var element = control(name);
    return element ? element.value : "";
  }

  function readValues() {
    var values = {};
    ["road", "kind", "direction", "side", "stake", "end_stake", "completed_on", "area_m2",
      "count", "depth_mm", "crew", "method", "cost_yuan", "note"].forEach(function (name) {
      values[name] = value(name);
    });
    values.materials = [];
    for (var i = 0; control("materials-" + i + "-name"); i++) {
      var row = {};
      MATERIAL_FIELDS.forEach(function (field) {
        row[field] = value("materials-" + i + "-" + field);
      });
      values.materials.push(row);
    }
    values.findings = Array.prototype.filter.call(
      form.querySelectorAll('input[name="findings"]'), function (box) {
        return box.checked;
      }).map(function (box) {
      return box.value;
    });
    return values;
  }

  function newUuid() {
    var hidden = control("client_uuid");
    if (hidden) hidden.value = Outbox.uuid();
    return hidden ? hidden.value : Outbox.uuid();
  }

  function reset() {
    var keep = { road: value("road"), kind: value("kind"), completed_on: value("completed_on") };
    form.reset();
    Object.keys(keep).forEach(function (name) {
      if (control(name)) control(name).value = keep[name];
    });
    boxes.before.clear();
    boxes.after.clear();
    fixing = null;
    document.getElementById("fix-banner").hidden = true;
    clearErrors(form);
    newUuid();
  }

  function photoLabels() {
    return { before: words.before, after: words.after };
  }

  async function save() {
    var button = document.getElementById("save-repair");
    button.disabled = true;
    try {
      await boxes.before.ready();
      await boxes.after.ready();
      var uuid = fixing ? fixing.uuid : value("client_uuid") || newUuid();
      var body = repairBody(readValues(), uuid);
      var errors = checkRepair(body, context.kinds, context.today, words);
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      clearErrors(form);
      var label = repairLabel(body, context.kind_labels);
      var photos = boxes.before.photos.concat(boxes.after.photos);
      var entries = repairEntries(body, photos, label, photoLabels());
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

  // The open findings of the chosen road, from the API (the page's own post needs signal too).
  function showFindings() {
    var road = value("road");
    var box = document.getElementById("findings-box");
    if (!road) {
      showErrors(form, { road: words.choose_road }, other);
      return;
    }
    var parts = road.split("/");
    Outbox.getJson("/api/v1/findings?status=open&per_page=200&road=" + encodeURIComponent(parts[0]))
      .then(function (answer) {
        if (!answer.ok || !answer.body) throw new Error(String(answer.status));
        var findings = (answer.body.findings || []).filter(function (f) {
          return !parts[1] || parts[1] === "both" || f.direction === parts[1] || f.direction === "both";
        });
        box.textContent = "";
        if (!findings.length) {
          var none = document.createElement("p");
          none.className = "muted";
          none.textContent = words.no_findings;
          box.appendChild(none);
          return;
        }
        var list = document.createElement("ul");
        findings.forEach(function (finding) {
          var item = document.createElement("li");
          var label = document.createElement("label");
          var input = document.createElement("input");
          input.type = "checkbox";
          input.name = "findings";
          input.value = finding.uuid;
          label.appendChild(input);
          label.appendChild(document.createTextNode(" " + finding.stake + " · " +
            ((context.finding_kinds || {})[finding.kind] || finding.kind) +
            (finding.note ? " · " + finding.note.slice(0, 40) : "")));
          item.appendChild(label);
          list.appendChild(item);
        });
        box.appendChild(list);
      }, function () {
        showMessage(message, words.findings_offline, "warn");
      }).catch(function () {
        showMessage(message, words.findings_offline, "warn");
      });
  }

  function loadForFix(entry) {
    reset();
    fixing = { id: entry.id, uuid: entry.uuid };
    var keys = Array.prototype.map.call(control("road").options, function (o) {
      return o.value;
    });
    var values = formValues(entry.body || {}, keys);
    Object.keys(values).forEach(function (name) {
      if (control(name)) control(name).value = values[name];
    });
    if (control("client_uuid")) control("client_uuid").value = entry.uuid;
    document.getElementById("fix-banner").hidden = false;
    var fields = {};
    Object.keys(entry.attention.fields || {}).forEach(function (name) {
      fields[controlName(name)] = entry.attention.fields[name];
    });
    showErrors(form, fields, other);
    showMessage(message, entry.attention.message, "error");
  }

  function showAttention(current) {
    var entries = attentionRecords(current ? current.entries : [], function (url) {
      return url === REPAIRS_URL;
    });
    var list = document.getElementById("attention-list");
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "record";
      item.setAttribute("data-uuid", entry.uuid);
      var title = document.createElement("strong");
      title.textContent = entry.label;
      item.appendChild(title);
      appendAttention(item, entry, words.fix, loadForFix);
      list.appendChild(item);
    });
    document.getElementById("attention-card").hidden = entries.length === 0;
  }

  form.addEventListener("click", function (event) {
    var show = event.target.closest ? event.target.closest('button[name="show"]') : null;
    if (!show) return;
    event.preventDefault(); // no post: the findings come from the API
    showFindings();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  document.getElementById("fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showAttention(event.detail);
  });
  showAttention(Outbox.current());
  document.getElementById("photo-group").hidden = false; // photos need this script
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
