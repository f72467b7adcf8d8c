/* New finding: kind, place (GPS → stake for the crew to confirm, or a typed stake), the kind's
 * fields, photos (EXIF read first, then resized, by photo_prep.js), saved into the outbox and
 * sent from there. OFFLINE.md rules 1, 8, 9. Every word comes from the page's JSON blocks.
 * An ES module; window.Outbox is there already (the outbox module runs first, in document order).
 */
import * as Photos from "./photo_prep.js";
import * as Forms from "./lib/forms.js";

(function () {
  "use strict";

  var Outbox = window.Outbox;
  var form = document.getElementById("finding-form");
  if (!Outbox || !form) return;
  var vocabulary = Outbox.readJsonBlock("finding-vocabulary") || {};
  var context = Outbox.readJsonBlock("finding-context") || {};
  var words = Outbox.readJsonBlock("finding-words") || {};
  var STAKE = /^K?\d+\+\d{3}(\.\d+)?$/;
  var MAX_ACCURACY_M = 50;
  var ROAD_KEY = "inspection.lastRoad";

  var patrol = null;
  var fix = null; // the latest GPS fix {lon, lat, accuracy, at}
  var photos = []; // {photo_uuid, bytes, type, sha256, exif_taken_at, exif_lon, exif_lat, url}
  var photoQueue = Promise.resolve();
  var attachTo = null; // {uuid, label}: add photos to an existing finding instead
  var fixing = null; // an outbox entry being corrected
  var nearbyTimer = null;
  var locateSerial = 0;

  function $(id) {
    return document.getElementById(id);
  }

  function fmt(template, params) {
    return Outbox.format(template, params);
  }

  function radioValue(name) {
    return Forms.radioValue(form, name);
  }

  function setRadio(name, value) {
    Forms.setRadio(form, name, value);
  }

  function normaliseStake(text) {
    var value = String(text || "");
    if (value.normalize) value = value.normalize("NFKC");
    return value.replace(/\s+/g, "").toUpperCase();
  }

  function number(id) {
    var raw = $(id).value.trim();
    if (raw === "") return null;
    var value = Number(raw);
    return isFinite(value) ? value : NaN;
  }

  var show = Forms.show;

  // --- messages and field errors -------------------------------------------------------------

  function clearErrors() {
    Forms.clearErrors(form, $("other-errors"));
  }

  /* Show errors by field name (the server's error.fields use the same names). */
  function showErrors(fields) {
    Forms.showErrors(form, fields, { other: $("other-errors") });
  }

  // --- patrol and road -----------------------------------------------------------------------

  function choosePatrol() {
    var local = Outbox.patrol.get();
    var server = context.patrol && !context.patrol.voided ? context.patrol : null;
    if (local && !local.ended) return local;
    if (server && !(local && local.uuid === server.uuid && local.ended)) return server;
    return null;
  }

  function roadParts() {
    var value = $("f-road").value;
    if (!value) return { road: "", direction: "" };
    var parts = value.split("|");
    return { road: parts[0], direction: parts[1] };
  }

  function selectRoad(road, direction) {
    var select = $("f-road");
    var exact = select.querySelector('option[value="' + road + "|" + direction + '"]');
    var any = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!any && option.value.split("|")[0] === road) any = option;
    });
    var option = exact || any;
    if (option) select.value = option.value;
  }

  function showPatrol(current) {
    var line = $("patrol-line");
    if (!patrol) {
      show(line, words.no_patrol);
      return;
    }
    var waiting = current && current.entries.some(function (e) {
      return e.kind === "record" && e.uuid === patrol.uuid;
    });
    var option = $("f-road").querySelector('option[value="' + patrol.road + "|" + patrol.direction + '"]');
    show(line, fmt(words.patrol, {
      road: option ? option.textContent : patrol.road,
      time: patrol.started_at ? Outbox.showTime(Date.parse(patrol.started_at)) : "",
    }) + (waiting ? " " + words.patrol_waiting : ""));
  }

  // --- kind-specific fields ------------------------------------------------------------------

  function kind() {
    return radioValue("kind");
  }

  function fillSelect(select, items, keep) {
    var previous = keep ? select.value : "";
    select.textContent = "";
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = "—";
    select.appendChild(blank);
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.name;
      select.appendChild(option);
    });
    if (previous) select.value = previous;
  }

  function distressItems() {
    return (vocabulary.distress || {})[radioValue("pavement") || "asphalt"] || [];
  }

  function currentItem() {
    var k = kind();
    var code;
    var list;
    if (k === "pavement_distress") {
      code = $("f-distress").value;
      list = distressItems();
    } else if (k === "pothole") {
      code = "pothole";
      list = (vocabulary.distress || {}).asphalt || [];
    } else if ((vocabulary.subgrade || {})[k]) {
      code = $("f-subgrade").value;
      list = vocabulary.subgrade[k];
    } else {
      return null;
    }
    for (var i = 0; i < list.length; i++) if (list[i].code === code) return list[i];
    return null;
  }

  function graded(item) {
    return Boolean(item && item.severities.some(function (s) {
      return s !== null;
    }));
  }

  function showSeverities() {
    var item = currentItem();
    var group = $("severity-group");
    var box = $("severity-choices");
    var previous = radioValue("severity");
    box.textContent = "";
    if (!graded(item)) {
      group.hidden = true;
      return;
    }
    item.severities.forEach(function (severity) {
      if (severity === null) return;
      var label = document.createElement("label");
      label.className = "choice";
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "severity";
      input.value = severity;
      input.checked = severity === previous;
      var text = document.createElement("span");
      text.textContent = (vocabulary.severity_words || {})[severity] || severity;
      label.appendChild(input);
      label.appendChild(text);
      box.appendChild(label);
    });
    show($("severity-guide"), item.guide || "");
    group.hidden = false;
  }

  function showQuantityLabel() {
    var k = kind();
    var label = $("quantity-label");
    if (k === "pothole") {
      label.textContent = words.area;
      return;
    }
    var item = currentItem();
    var unit = item && item.unit ? (words.units || {})[item.unit] || item.unit : "";
    label.textContent = fmt(words.quantity, { unit: unit });
  }

  function showKind() {
    var k = kind();
    Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (node) {
      node.hidden = !k || node.getAttribute("data-kinds").split(" ").indexOf(k) < 0;
    });
    Array.prototype.forEach.call(form.querySelectorAll(".choice[data-kind]"), function (node) {
      node.classList.toggle("chosen", node.getAttribute("data-kind") === k);
    });
    if (k === "pavement_distress") fillSelect($("f-distress"), distressItems(), true);
    if ((vocabulary.subgrade || {})[k]) fillSelect($("f-subgrade"), vocabulary.subgrade[k], false);
    showSeverities();
    showQuantityLabel();
    scheduleNearby();
  }

  // --- location ------------------------------------------------------------------------------

  function stakeHint(text) {
    show($("stake-hint"), text);
  }

  function gpsStatus(text) {
    $("gps-status").textContent = text || "";
  }

  function stakeTyped() {
    return $("f-stake").getAttribute("data-typed") === "yes";
  }

  function deriveStake() {
    if (!fix || stakeTyped()) return;
    if (fix.accuracy > MAX_ACCURACY_M) {
      stakeHint(fmt(words.gps_poor, { accuracy: Math.round(fix.accuracy) }));
      return;
    }
    var road = roadParts();
    var serial = ++locateSerial;
    Outbox.locate(fix, road.road, road.direction).then(function (answer) {
      if (serial !== locateSerial || stakeTyped()) return;
      if (answer.candidate) {
        var input = $("f-stake");
        input.value = answer.candidate.stake;
        input.setAttribute("data-from-gps", "yes");
        if (!road.road) selectRoad(answer.candidate.road, answer.candidate.direction);
        stakeHint(fmt(words.stake_from_gps, {
          stake: answer.candidate.stake,
          distance: Math.round(answer.candidate.distance_m),
        }));
        scheduleNearby();
      } else {
        stakeHint(answer.status === 404 && answer.message ? answer.message : words.no_road);
      }
    }, function () {
      if (serial === locateSerial) stakeHint(words.stake_offline);
    });
  }

  function locate() {
    if (!window.isSecureContext || !navigator.geolocation) return;
    gpsStatus(words.gps_waiting);
    Outbox.position(0).then(function (found) {
      fix = found;
      gpsStatus(fmt(words.gps_fix, {
        lon: found.lon.toFixed(6),
        lat: found.lat.toFixed(6),
        accuracy: Math.round(found.accuracy),
      }));
      deriveStake();
    }, function (error) {
      fix = null;
      gpsStatus(error && error.code === 1 ? words.gps_denied : words.gps_failed);
    });
  }

  function forgetDerivedStake() {
    var input = $("f-stake");
    if (input.getAttribute("data-from-gps") === "yes") {
      input.value = "";
      input.removeAttribute("data-from-gps");
      stakeHint("");
    }
  }

  // --- near-duplicates -----------------------------------------------------------------------

  function scheduleNearby() {
    if (nearbyTimer) clearTimeout(nearbyTimer);
    nearbyTimer = setTimeout(checkNearby, 400);
  }

  function checkNearby() {
    var box = $("nearby");
    var k = kind();
    var road = roadParts().road;
    var stake = normaliseStake($("f-stake").value);
    if (!k || !road || fixing || attachTo) {
      box.hidden = true;
      return;
    }
    var query = "road=" + encodeURIComponent(road) + "&kind=" + encodeURIComponent(k);
    if (STAKE.test(stake)) query += "&stake=" + encodeURIComponent(stake);
    else if (fix && fix.accuracy <= MAX_ACCURACY_M) query += "&lon=" + fix.lon + "&lat=" + fix.lat;
    else {
      box.hidden = true;
      return;
    }
    Outbox.getJson("/api/v1/findings/nearby?" + query).then(function (answer) {
      var found = answer.ok && answer.body ? answer.body.findings || [] : [];
      var list = $("nearby-list");
      list.textContent = "";
      found.forEach(function (finding) {
        var item = document.createElement("li");
        item.className = "record";
        var link = document.createElement("a");
        link.href = "/findings/" + finding.uuid;
        link.textContent = finding.road + " " + finding.stake + " · " +
          Outbox.showTime(Date.parse(finding.observed_at)) + (finding.note ? " · " + finding.note : "");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-block";
        button.textContent = words.nearby_attach;
        button.addEventListener("click", function () {
          startAttach({ uuid: finding.uuid, label: finding.road + " " + finding.stake });
        });
        item.appendChild(link);
        item.appendChild(button);
        list.appendChild(item);
      });
      box.hidden = found.length === 0;
    }, function () {
      box.hidden = true;
    });
  }

  function startAttach(target) {
    attachTo = target;
    form.classList.add("mode-attach");
    show($("attach-text"), fmt(words.attaching, { label: target.label }));
    $("attach-banner").hidden = false;
    $("nearby").hidden = true;
    $("photo-group").scrollIntoView({ block: "center" });
  }

  function stopAttach() {
    attachTo = null;
    form.classList.remove("mode-attach");
    $("attach-banner").hidden = true;
    scheduleNearby();
  }

  // --- photos: EXIF first, then resize (canvas drops EXIF): photo_prep.js ---------------------

  function addPhoto(file) {
    var status = $("photo-status");
    show(status, words.photo_reading);
    photoQueue = photoQueue.then(function () {
      return Photos.preparePhoto(file);
    }).then(function (photo) {
      photos.push(photo);
      show(status, "");
      showPhotos();
    }, function () {
      show(status, words.photo_failed);
    });
    return photoQueue;
  }

  function showPhotos() {
    var list = $("photo-list");
    Array.prototype.forEach.call(list.querySelectorAll("img"), function (img) {
      URL.revokeObjectURL(img.src);
    });
    list.textContent = "";
    photos.forEach(function (photo, index) {
      var item = document.createElement("li");
      item.className = "thumb";
      var img = document.createElement("img");
      img.alt = photo.name;
      img.src = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
      img.onerror = function () {
        img.replaceWith(document.createTextNode(photo.name || photo.type));
      };
      item.appendChild(img);
      if (photo.exif_taken_at) {
        var taken = document.createElement("span");
        taken.className = "muted";
        taken.textContent = fmt(words.photo_taken, { time: photo.exif_taken_at.replace("T", " ").slice(0, 16) });
        item.appendChild(taken);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-small";
      remove.textContent = words.photo_remove;
      remove.addEventListener("click", function () {
        photos.splice(index, 1);
        showPhotos();
      });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  // --- building and checking the record ------------------------------------------------------

  function check(body, stake, endStake) {
    var errors = {};
    if (!body.kind) errors.kind = words.choose_kind;
    if (!body.road) errors.road = words.choose_road;
    if (stake && !STAKE.test(stake)) errors.stake = words.stake_format;
    if (endStake && !STAKE.test(endStake)) errors.end_stake = words.stake_format;
    if (endStake && !stake) errors.stake = words.required;
    if (!stake && !(body.gps && body.gps.accuracy <= MAX_ACCURACY_M)) errors.stake = words.need_location;
    var item = currentItem();
    if (body.kind === "pavement_distress") {
      if (!body.item_code) errors.item_code = words.required;
    }
    if (graded(item) && !body.severity && body.kind !== "pothole") errors.severity = words.required;
    if (body.kind === "pavement_distress" || body.kind === "pothole") {
      if (!(body.quantity > 0)) errors.quantity = words.positive;
    }
    if (body.depth_mm !== undefined && !(body.depth_mm >= 0)) errors.depth_mm = words.positive;
    if (body.count !== undefined && !(body.count >= 1 && Math.floor(body.count) === body.count)) {
      errors.count = words.whole;
    }
    if (body.kind === "safety_hazard") {
      if (!body.hazard.category) errors["hazard.category"] = words.required;
      if (!body.hazard.grade) errors["hazard.grade"] = words.required;
      if (!body.hazard.description) errors["hazard.description"] = words.required;
    }
    return errors;
  }

  function buildBody() {
    var k = kind();
    var road = roadParts();
    var stake = normaliseStake($("f-stake").value);
    var endStake = normaliseStake($("f-end-stake").value);
    var body = {
      client_uuid: fixing ? fixing.uuid : Outbox.uuid(),
      kind: k,
      road: road.road,
      direction: road.direction,
      stake: stake,
      end_stake: endStake,
      note: $("f-note").value.trim(),
      onsite_action: $("f-action").value.trim(),
      lane: $("f-lane").value.trim(),
      observed_at: fixing ? fixing.body.observed_at : Outbox.isoLocal(),
    };
    var gps = fixing ? fixing.body.gps : fix;
    if (gps) body.gps = { lon: gps.lon, lat: gps.lat, accuracy: gps.accuracy, at: gps.at };
    var patrolUuid = fixing ? fixing.body.patrol_uuid : patrol && patrol.uuid;
    if (patrolUuid) body.patrol_uuid = patrolUuid;
    var side = radioValue("side");
    if (side) body.side = side;
    var severity = radioValue("severity");
    if (severity && !$("severity-group").hidden) body.severity = severity;
    if (k === "pavement_distress") {
      body.pavement = radioValue("pavement") || "asphalt";
      body.item_code = $("f-distress").value;
    } else if ((vocabulary.subgrade || {})[k] && $("f-subgrade").value) {
      body.item_code = $("f-subgrade").value;
    }
    if (k === "pavement_distress" || k === "pothole") {
      var quantity = number("f-quantity");
      if (quantity !== null) body.quantity = quantity;
    }
    if (k === "pothole") {
      var depth = number("f-depth");
      var count = number("f-count");
      if (depth !== null) body.depth_mm = depth;
      if (count !== null) body.count = count;
    }
    if (k === "safety_hazard") {
      body.hazard = {
        category: $("f-category").value,
        grade: radioValue("grade"),
        description: $("f-description").value.trim(),
        interim_measures: $("f-interim").value.trim(),
      };
    }
    return body;
  }

  function label(body) {
    return fmt(words.finding_label, {
      road: body.road,
      stake: body.stake || words.gps_only,
      kind: (vocabulary.kinds || {})[body.kind] || body.kind,
    }).trim();
  }

  function photoEntries(findingUuid, findingLabel) {
    return photos.map(function (photo) {
      return {
        finding_uuid: findingUuid,
        photo_uuid: photo.photo_uuid,
        stage: "site",
        bytes: photo.bytes,
        type: photo.type,
        sha256: photo.sha256,
        exif_taken_at: photo.exif_taken_at,
        exif_lon: photo.exif_lon,
        exif_lat: photo.exif_lat,
        label: fmt(words.photo_label, { label: findingLabel }),
      };
    });
  }

  function resetForm() {
    var road = $("f-road").value;
    form.reset();
    $("f-road").value = road;
    ["f-stake", "f-end-stake"].forEach(function (id) {
      $(id).removeAttribute("data-typed");
      $(id).removeAttribute("data-from-gps");
    });
    photos = [];
    showPhotos();
    fixing = null;
    $("fix-banner").hidden = true;
    stopAttach();
    clearErrors();
    stakeHint("");
    showKind();
  }

  function save(event) {
    event.preventDefault();
    return Forms.busy($("save-finding"), saveNow);
  }

  async function saveNow() {
    try {
      await photoQueue;
      clearErrors();
      if (attachTo) {
        if (!photos.length) {
          showErrors({ photo: words.need_photo });
          return;
        }
        await Outbox.add(photoEntries(attachTo.uuid, attachTo.label));
        resetForm();
        show($("form-message"), words.photos_saved, "ok");
      } else {
        var body = buildBody();
        var errors = check(body, body.stake, body.end_stake);
        if (Object.keys(errors).length) {
          showErrors(errors);
          show($("form-message"), words.check_fields, "error");
          return;
        }
        ["stake", "end_stake"].forEach(function (name) {
          if (!body[name]) delete body[name];
        });
        var findingLabel = label(body);
        if (fixing) {
          await Outbox.replaceRecord(fixing.id, body, findingLabel);
          if (photos.length) await Outbox.add(photoEntries(body.client_uuid, findingLabel));
        } else {
          await Outbox.add([{
            method: "POST",
            url: "/api/v1/findings",
            uuid: body.client_uuid,
            deps: [body.patrol_uuid],
            body: body,
            label: findingLabel,
          }].concat(photoEntries(body.client_uuid, findingLabel)));
        }
        try {
          window.localStorage.setItem(ROAD_KEY, $("f-road").value);
        } catch (error) {
          /* only a default */
        }
        resetForm();
        show($("form-message"), words.saved, "ok");
      }
      $("form-message").scrollIntoView({ block: "center" });
      Outbox.flush({ force: true });
      locate();
    } catch (error) {
      show($("form-message"), fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    }
  }

  // --- records that came back as needing attention -------------------------------------------

  function loadForFix(entry) {
    resetForm();
    var body = entry.body || {};
    fixing = { id: entry.id, uuid: entry.uuid, body: body };
    setRadio("kind", body.kind);
    selectRoad(body.road, body.direction);
    $("f-stake").value = body.stake || "";
    $("f-stake").setAttribute("data-typed", "yes");
    $("f-end-stake").value = body.end_stake || "";
    if (body.pavement) setRadio("pavement", body.pavement);
    showKind();
    if (body.kind === "pavement_distress") $("f-distress").value = body.item_code || "";
    else if ((vocabulary.subgrade || {})[body.kind]) $("f-subgrade").value = body.item_code || "";
    showSeverities();
    setRadio("severity", body.severity || "");
    showQuantityLabel();
    $("f-quantity").value = body.quantity === undefined ? "" : body.quantity;
    $("f-depth").value = body.depth_mm === undefined ? "" : body.depth_mm;
    $("f-count").value = body.count === undefined ? "" : body.count;
    setRadio("side", body.side || "");
    $("f-lane").value = body.lane || "";
    $("f-note").value = body.note || "";
    $("f-action").value = body.onsite_action || "";
    if (body.hazard) {
      $("f-category").value = body.hazard.category || "";
      setRadio("grade", body.hazard.grade || "");
      $("f-description").value = body.hazard.description || "";
      $("f-interim").value = body.hazard.interim_measures || "";
    }
    $("fix-banner").hidden = false;
    $("nearby").hidden = true;
    var fields = entry.attention.fields || {};
    if (Object.keys(fields).length) showErrors(fields);
    show($("form-message"), entry.attention.message, "error");
    if (!Object.keys(fields).length) $("form-message").scrollIntoView({ block: "center" });
  }

  function showAttention(current) {
    var entries = current ? current.attention.filter(function (entry) {
      return entry.kind === "record" && entry.url === "/api/v1/findings";
    }) : [];
    var list = $("attention-list");
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "record";
      item.setAttribute("data-uuid", entry.uuid);
      var title = document.createElement("strong");
      title.textContent = entry.label;
      var why = document.createElement("p");
      why.className = "field-error";
      why.textContent = fmt(Outbox.words.needs_attention, { reason: entry.attention.message });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-block";
      button.textContent = words.fix;
      button.addEventListener("click", function () {
        loadForFix(entry);
      });
      item.appendChild(title);
      item.appendChild(why);
      item.appendChild(button);
      list.appendChild(item);
    });
    $("attention-card").hidden = entries.length === 0;
    if (fixing && !entries.some(function (e) {
      return e.id === fixing.id;
    }) && !current.entries.some(function (e) {
      return e.id === fixing.id;
    })) {
      resetForm(); // sent meanwhile (corrected elsewhere, or "send now" went through)
    }
  }

  // --- start -------------------------------------------------------------------------------

  function init() {
    if (!window.isSecureContext) {
      show($("insecure-notice"), Outbox.words.insecure);
      $("gps-line").hidden = true;
    }
    patrol = choosePatrol();
    if (patrol) {
      selectRoad(patrol.road, patrol.direction);
    } else {
      try {
        var last = window.localStorage.getItem(ROAD_KEY);
        if (last) $("f-road").value = last;
      } catch (error) {
        /* no default */
      }
    }
    showPatrol(null);

    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "kind" || name === "pavement") showKind();
      else if (name === "distress" || name === "subgrade") {
        showSeverities();
        showQuantityLabel();
      } else if (name === "road") {
        forgetDerivedStake();
        deriveStake();
        scheduleNearby();
      } else if (name === "stake") scheduleNearby();
      else if (name === "depth_mm" && kind() === "pothole" && !radioValue("severity")) {
        var depth = number("f-depth");
        if (depth > 0) setRadio("severity", depth > 25 ? "heavy" : "light");
      }
    });
    ["f-stake", "f-end-stake"].forEach(function (id) {
      $(id).addEventListener("input", function () {
        $(id).setAttribute("data-typed", $(id).value ? "yes" : "no");
        $(id).removeAttribute("data-from-gps");
        if (id === "f-stake") stakeHint("");
      });
    });
    $("f-photo").addEventListener("change", function () {
      var input = $("f-photo");
      var file = input.files && input.files[0];
      if (file) addPhoto(file);
      input.value = ""; // the same input takes the next photo
    });
    $("gps-again").addEventListener("click", function () {
      $("f-stake").removeAttribute("data-typed");
      forgetDerivedStake();
      locate();
    });
    $("attach-cancel").addEventListener("click", stopAttach);
    $("fix-cancel").addEventListener("click", resetForm);
    form.addEventListener("submit", save);
    window.addEventListener("outbox:change", function (event) {
      showAttention(event.detail);
      showPatrol(event.detail);
    });
    var current = Outbox.current();
    if (current) {
      showAttention(current);
      showPatrol(current);
    }
    showKind();
    Outbox.registerServiceWorker();
    locate();
  }

  init();
})();
