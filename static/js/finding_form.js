/* New finding: kind, place (GPS → stake for the crew to confirm, or a typed stake), the kind's
 * fields, photos (EXIF read first, then resized), saved into the outbox and sent from there.
 * OFFLINE.md rules 1, 8, 9. Every word comes from the page's JSON blocks.
 */
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
  var LONG_SIDE = 2048;
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
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function setRadio(name, value) {
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (input) {
      input.checked = input.value === value;
    });
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

  function show(node, text, kind) {
    node.textContent = text || "";
    if (kind !== undefined) node.className = "notice" + (kind ? " notice-" + kind : "");
    node.hidden = !text;
  }

  // --- messages and field errors -------------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-error-for]"), function (node) {
      node.textContent = "";
      node.hidden = true;
    });
    Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (node) {
      node.classList.remove("has-error");
    });
    $("other-errors").textContent = "";
    $("other-errors").hidden = true;
  }

  /* Show errors by field name (the server's error.fields use the same names). */
  function showErrors(fields) {
    clearErrors();
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var nodes = form.querySelectorAll('[data-error-for="' + name + '"]');
      var shown = false;
      Array.prototype.forEach.call(nodes, function (node) {
        if (node.closest("[hidden]")) return;
        node.textContent = fields[name];
        node.hidden = false;
        var holder = node.closest(".field, .group");
        if (holder) holder.classList.add("has-error");
        if (!first) first = node;
        shown = true;
      });
      if (!shown) {
        var item = document.createElement("li");
        item.textContent = name + ": " + fields[name];
        $("other-errors").appendChild(item);
        $("other-errors").hidden = false;
        if (!first) first = $("other-errors");
      }
    });
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
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

  // --- photos: EXIF first, then resize (canvas drops EXIF) -----------------------------------

  var TYPE_SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

  /* DateTimeOriginal (+ OffsetTimeOriginal) and the GPS position of a JPEG; never throws. */
  function readExif(buffer) {
    var out = { taken_at: null, lon: null, lat: null };
    try {
      var view = new DataView(buffer);
      if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return out;
      var offset = 2;
      while (offset + 4 <= view.byteLength) {
        if (view.getUint8(offset) !== 0xff) return out;
        var marker = view.getUint8(offset + 1);
        if (marker === 0xff) {
          offset += 1;
          continue;
        }
        if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
          offset += 2;
          continue;
        }
        if (marker === 0xda || marker === 0xd9) return out;
        var length = view.getUint16(offset + 2);
        if (marker === 0xe1 && length > 8 && view.getUint32(offset + 4) === 0x45786966 &&
            view.getUint16(offset + 8) === 0) {
          readTiff(new DataView(buffer, offset + 10, Math.min(length - 8, view.byteLength - offset - 10)), out);
          return out;
        }
        offset += 2 + length;
      }
    } catch (error) {
      /* malformed EXIF must not cost the crew their photo */
    }
    return out;
  }

  function readTiff(view, out) {
    var order = view.getUint16(0);
    var little = order === 0x4949;
    if (!little && order !== 0x4d4d) return;
    function u16(at) {
      return view.getUint16(at, little);
    }
    function u32(at) {
      return view.getUint32(at, little);
    }
    if (u16(2) !== 42) return;
    function ifd(at) {
      var tags = {};
      if (!at || at + 2 > view.byteLength) return tags;
      var count = u16(at);
      for (var i = 0; i < count && at + 2 + i * 12 + 12 <= view.byteLength; i++) {
        var entry = at + 2 + i * 12;
        var type = u16(entry + 2);
        var n = u32(entry + 4);
        var size = (TYPE_SIZES[type] || 1) * n;
        tags[u16(entry)] = { type: type, n: n, at: size <= 4 ? entry + 8 : u32(entry + 8), raw: entry + 8 };
      }
      return tags;
    }
    function text(tag) {
      if (!tag || tag.type !== 2) return null;
      var chars = [];
      for (var i = 0; i < tag.n && tag.at + i < view.byteLength; i++) {
        var c = view.getUint8(tag.at + i);
        if (c === 0) break;
        chars.push(String.fromCharCode(c));
      }
      return chars.join("").trim();
    }
    function rational(tag, index) {
      var at = tag.at + index * 8;
      var denominator = u32(at + 4);
      return denominator ? u32(at) / denominator : NaN;
    }
    function degrees(tag, ref, negative) {
      if (!tag || tag.type !== 5 || tag.n < 3) return null;
      var value = rational(tag, 0) + rational(tag, 1) / 60 + rational(tag, 2) / 3600;
      if (!isFinite(value)) return null;
      return ref === negative ? -value : value;
    }
    var root = ifd(u32(4));
    if (root[0x8769]) {
      var exif = ifd(u32(root[0x8769].raw));
      var written = text(exif[0x9003]);
      var match = written && /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/.exec(written);
      if (match && match[1] !== "0000") {
        out.taken_at = match[1] + "-" + match[2] + "-" + match[3] + "T" + match[4] + ":" + match[5] + ":" + match[6];
        var offset = text(exif[0x9011]);
        if (offset && /^[+-]\d\d:\d\d$/.test(offset)) out.taken_at += offset;
      }
    }
    if (root[0x8825]) {
      var gps = ifd(u32(root[0x8825].raw));
      var lat = degrees(gps[2], text(gps[1]), "S");
      var lon = degrees(gps[4], text(gps[3]), "W");
      if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat || lon)) {
        out.lat = Math.round(lat * 1e7) / 1e7;
        out.lon = Math.round(lon * 1e7) / 1e7;
      }
    }
  }

  function readBuffer(blob) {
    if (blob.arrayBuffer) return blob.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(reader.result);
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(blob);
    });
  }

  /* Decode with the EXIF rotation applied, draw with the long side ≤ 2048 px, encode JPEG 0.85. */
  async function resize(file) {
    if (typeof createImageBitmap !== "function") throw new Error("no createImageBitmap");
    var bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      bitmap = await createImageBitmap(file); // engines that do not know the option
    }
    var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    var blob = await new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", 0.85);
    });
    canvas.width = 0;
    canvas.height = 0;
    if (!blob) throw new Error("the photo could not be encoded");
    return { bytes: await readBuffer(blob), type: "image/jpeg" };
  }

  var SHA_K = null;
  var SHA_H = null;

  function shaConstants() {
    SHA_K = [];
    SHA_H = [];
    for (var n = 2; SHA_K.length < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) {
        if (n % d === 0) {
          prime = false;
          break;
        }
      }
      if (!prime) continue;
      if (SHA_H.length < 8) SHA_H.push((Math.pow(n, 1 / 2) * 0x100000000) | 0);
      SHA_K.push((Math.pow(n, 1 / 3) * 0x100000000) | 0);
    }
  }

  /* SHA-256 in plain JS for pages without crypto.subtle (plain http). */
  function sha256Js(buffer) {
    if (!SHA_K) shaConstants();
    var length = buffer.byteLength;
    var total = ((length + 9 + 63) >> 6) << 6;
    var padded = new Uint8Array(total);
    padded.set(new Uint8Array(buffer));
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(total - 8, Math.floor(length / 0x20000000));
    view.setUint32(total - 4, (length * 8) >>> 0);
    var h = SHA_H.slice();
    var w = new Int32Array(64);
    for (var block = 0; block < total; block += 64) {
      var i;
      for (i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
      for (i = 16; i < 64; i++) {
        var x = w[i - 15];
        var y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], e = h[4], f = h[5], g = h[6], d2 = h[3], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          ((e & f) ^ (~e & g)) + SHA_K[i] + w[i]) | 0;
        var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
          ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g;
        g = f;
        f = e;
        e = (d2 + t1) | 0;
        d2 = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0;
      h[1] = (h[1] + b) | 0;
      h[2] = (h[2] + c) | 0;
      h[3] = (h[3] + d2) | 0;
      h[4] = (h[4] + e) | 0;
      h[5] = (h[5] + f) | 0;
      h[6] = (h[6] + g) | 0;
      h[7] = (h[7] + k) | 0;
    }
    return h.map(function (word) {
      return ("0000000" + (word >>> 0).toString(16)).slice(-8);
    }).join("");
  }

  function sha256(buffer) {
    if (window.crypto && window.crypto.subtle && window.crypto.subtle.digest) {
      return window.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return Array.prototype.map.call(new Uint8Array(digest), function (byte) {
          return (byte + 0x100).toString(16).slice(1);
        }).join("");
      }, function () {
        return sha256Js(buffer);
      });
    }
    return Promise.resolve(sha256Js(buffer));
  }

  async function preparePhoto(file) {
    var original = await readBuffer(file);
    var exif = readExif(original);
    var prepared;
    try {
      prepared = await resize(file);
    } catch (error) {
      // HEIC and other formats the browser cannot decode: the server takes the original.
      prepared = { bytes: original, type: file.type || "application/octet-stream" };
    }
    return {
      photo_uuid: Outbox.uuid(),
      bytes: prepared.bytes,
      type: prepared.type,
      sha256: await sha256(prepared.bytes),
      exif_taken_at: exif.taken_at,
      exif_lon: exif.lon,
      exif_lat: exif.lat,
      name: file.name || "",
    };
  }

  function addPhoto(file) {
    var status = $("photo-status");
    show(status, words.photo_reading);
    photoQueue = photoQueue.then(function () {
      return preparePhoto(file);
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

  async function save(event) {
    event.preventDefault();
    var button = $("save-finding");
    button.disabled = true;
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
    } finally {
      button.disabled = false;
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
