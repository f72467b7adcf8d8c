/* "My patrol": start and end a patrol through the outbox, today's findings, what waits on the phone.
 * The current patrol is also kept in localStorage so that it shows, and the new-finding page can
 * use it, while its start is still only in the outbox.
 * The track (static/js/track/field_track.js, a module) follows the patrol shown here through
 * `window.inspectionField.patrol` and the `field:patrol` event; ending a patrol first asks it
 * for the last batch (`window.TrackRecorder.finish`), which the end request then waits for.
 */
(function () {
  "use strict";

  var Outbox = window.Outbox;
  if (!Outbox) return;
  var page = document.getElementById("field-page");
  if (!page) return;
  var context = Outbox.readJsonBlock("field-context") || {};
  var words = Outbox.readJsonBlock("field-words") || {};
  var fromCache = page.getAttribute("data-page-source") === "cache";
  var loadedAt = (window.performance && performance.timeOrigin) ||
    (window.performance && performance.timing && performance.timing.navigationStart) || Date.now();
  var STAKE = /^K?\d+\+\d{3}(\.\d+)?$/;
  var CREW_KEY = "inspection.crew";

  var startForm = document.getElementById("patrol-start-form");
  var endForm = document.getElementById("patrol-end-form");
  var roadSelect = document.getElementById("start-road");
  var lastFix = null;
  var shown = null;
  window.inspectionField = { patrol: null };

  function $(id) {
    return document.getElementById(id);
  }

  function normaliseStake(text) {
    var value = String(text || "");
    if (value.normalize) value = value.normalize("NFKC");
    return value.replace(/\s+/g, "").toUpperCase();
  }

  function message(text, kind) {
    var box = $("field-message");
    box.textContent = text;
    box.className = "notice" + (kind ? " notice-" + kind : "");
    box.hidden = !text;
  }

  function fieldError(form, name, text) {
    var node = form.querySelector('[data-error-for="' + name + '"]');
    if (!node) return;
    node.textContent = text || "";
    node.hidden = !text;
    var parent = node.closest(".field");
    if (parent) parent.classList.toggle("has-error", Boolean(text));
  }

  function hint(form, name, text) {
    var node = form.querySelector('[data-hint-for="' + name + '"]');
    if (!node) return;
    node.textContent = text || "";
    node.hidden = !text;
  }

  function roadLabel(code, direction) {
    var option = roadSelect ? roadSelect.querySelector('option[value="' + code + "|" + direction + '"]') : null;
    return option ? option.textContent.split(" · ").slice(0, 2).join(" · ") : code + " " + direction;
  }

  // --- which patrol is open on this phone ----------------------------------------------------

  function fromServer(server) {
    return {
      uuid: server.uuid,
      road: server.road,
      direction: server.direction,
      kind: server.kind,
      crew: server.crew,
      vehicle: server.vehicle,
      weather: server.weather,
      started_at: server.started_at,
      start_stake: server.start_stake,
      ended: false,
    };
  }

  /* The page is the truth about a patrol only if it was fetched after the phone last heard from
   * the server about it; a page from the cache, or one fetched while the start was on its way,
   * is not. */
  function pageKnows(uuid) {
    var sent = Outbox.sentAt(uuid);
    return !fromCache && !(sent && sent > loadedAt - 2000);
  }

  function reconcile(current) {
    var server = context.patrol;
    var local = Outbox.patrol.get();
    var entries = current ? current.entries : [];
    function waiting(uuid) {
      return entries.some(function (e) {
        return e.kind === "record" && e.uuid === uuid;
      });
    }
    if (server && !server.voided) {
      if (local && local.uuid === server.uuid && local.ended) {
        if (waiting(server.uuid) || !pageKnows(server.uuid)) return null;
      } else if (local && !local.ended && local.uuid !== server.uuid &&
                 (waiting(local.uuid) || !pageKnows(local.uuid))) {
        return local; // started here after this page was made
      }
      var open = fromServer(server);
      Outbox.patrol.set(open);
      return open;
    }
    if (local && !local.ended) {
      if (waiting(local.uuid) || !pageKnows(local.uuid)) return local;
      Outbox.patrol.clear(); // the server says it is over (ended on another phone, or voided)
    }
    return null;
  }

  /* Tell the track recorder which patrol runs (when it changes). */
  function announce(patrol) {
    var before = window.inspectionField.patrol;
    window.inspectionField.patrol = patrol;
    if ((before && before.uuid) === (patrol && patrol.uuid) && Boolean(before) === Boolean(patrol)) return;
    var event;
    try {
      event = new CustomEvent("field:patrol", { detail: patrol });
    } catch (error) {
      event = document.createEvent("CustomEvent");
      event.initCustomEvent("field:patrol", false, false, patrol);
    }
    window.dispatchEvent(event);
  }

  function showPatrol(patrol, current) {
    shown = patrol;
    announce(patrol);
    $("patrol-open").hidden = !patrol;
    $("patrol-start").hidden = Boolean(patrol);
    if (!patrol) return;
    var facts = {
      road: roadLabel(patrol.road, patrol.direction),
      kind: (context.patrol_kinds || {})[patrol.kind] || patrol.kind,
      started_at: patrol.started_at ? Outbox.showTime(Date.parse(patrol.started_at)) : "",
      start_stake: patrol.start_stake || "—",
      crew: patrol.crew || "—",
      vehicle: patrol.vehicle || "—",
      weather: (context.weather || {})[patrol.weather] || "—",
    };
    Object.keys(facts).forEach(function (name) {
      var node = page.querySelector('[data-fact="' + name + '"]');
      if (node) node.textContent = facts[name];
    });
    var waiting = current && current.entries.some(function (e) {
      return e.kind === "record" && e.uuid === patrol.uuid;
    });
    $("patrol-pending").hidden = !waiting;
    $("patrol-page-link").href = "/patrols/" + encodeURIComponent(patrol.uuid);
  }

  // --- today's findings still on the phone --------------------------------------------------

  /* Findings still in the outbox, listed above the server's; once sent they stay, marked sent. */
  function showWaitingFindings(current) {
    var list = $("todays-findings");
    var waiting = {};
    (current ? current.entries : []).forEach(function (entry) {
      if (entry.kind === "record" && entry.url === "/api/v1/findings") waiting[entry.uuid] = entry;
    });
    Array.prototype.forEach.call(list.querySelectorAll("li.pending"), function (node) {
      var uuid = node.getAttribute("data-uuid");
      if (waiting[uuid]) {
        node.remove();
      } else {
        var tag = node.querySelector(".tag");
        tag.className = "tag tag-sent";
        tag.textContent = words.sent;
        var why = node.querySelector(".field-error");
        if (why) why.remove();
      }
    });
    Object.keys(waiting).forEach(function (uuid) {
      var entry = waiting[uuid];
      if (list.querySelector('li[data-uuid="' + uuid + '"]')) return; // already on the server's list
      var item = document.createElement("li");
      item.className = "record pending";
      item.setAttribute("data-uuid", uuid);
      var label = document.createElement("strong");
      label.textContent = entry.label;
      var tag = document.createElement("span");
      tag.className = entry.attention ? "tag tag-attention" : "tag tag-waiting";
      tag.textContent = entry.attention ? words.needs_attention : words.waiting;
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(tag);
      if (entry.attention) {
        var why = document.createElement("p");
        why.className = "field-error";
        why.textContent = entry.attention.message;
        item.appendChild(why);
      }
      list.insertBefore(item, list.firstChild);
    });
    $("no-findings").hidden = list.querySelectorAll("li").length > 0;
  }

  function refresh(current) {
    showPatrol(reconcile(current), current);
    showWaitingFindings(current);
  }

  // --- GPS: suggest the start or end stake ---------------------------------------------------

  function suggestStake(input, form, road, direction) {
    if (!lastFix || !road || input.getAttribute("data-typed") === "yes") return;
    if (lastFix.accuracy > 50) return;
    Outbox.locate(lastFix, road, direction).then(function (answer) {
      if (!answer.candidate || input.getAttribute("data-typed") === "yes") return;
      input.value = answer.candidate.stake;
      input.setAttribute("data-from-gps", "yes");
      hint(form, input.name, Outbox.format(words.stake_from_gps, {
        stake: answer.candidate.stake,
        distance: Math.round(answer.candidate.distance_m),
      }));
    }, function () {
      /* no connection: the stake stays optional */
    });
  }

  function watchTyping(input) {
    input.addEventListener("input", function () {
      input.setAttribute("data-typed", input.value ? "yes" : "no");
      input.removeAttribute("data-from-gps");
    });
  }

  function locateOnce() {
    Outbox.position(60000).then(function (fix) {
      lastFix = fix;
      if (!$("patrol-start").hidden && roadSelect.value) {
        var parts = roadSelect.value.split("|");
        suggestStake($("start-stake"), startForm, parts[0], parts[1]);
      }
      if (shown) suggestStake($("end-stake"), endForm, shown.road, shown.direction);
    }, function () {
      lastFix = null;
    });
  }

  // --- start and end ------------------------------------------------------------------------

  function stakeOrError(form, input) {
    var value = normaliseStake(input.value);
    if (value && !STAKE.test(value)) {
      fieldError(form, input.name, words.stake_format);
      input.focus();
      return null;
    }
    fieldError(form, input.name, "");
    return value;
  }

  function startPatrol(event) {
    event.preventDefault();
    var road = roadSelect.value;
    fieldError(startForm, "road", road ? "" : words.choose_road);
    if (!road) {
      roadSelect.focus();
      return;
    }
    var stake = stakeOrError(startForm, $("start-stake"));
    if (stake === null) return;
    var parts = road.split("|");
    var uuid = Outbox.uuid();
    var body = {
      client_uuid: uuid,
      road: parts[0],
      direction: parts[1],
      kind: $("start-kind").value,
      crew: $("start-crew").value.trim(),
      vehicle: $("start-vehicle").value.trim(),
      weather: $("start-weather").value,
      started_at: Outbox.isoLocal(),
      start_stake: stake,
    };
    // The raw fix is always kept on the server; one it cannot place only leaves the stake empty.
    if (lastFix) body.gps = lastFix;
    var button = $("start-patrol");
    button.disabled = true;
    Outbox.add([{
      method: "POST",
      url: "/api/v1/patrols",
      uuid: uuid,
      body: body,
      label: Outbox.format(words.patrol_start_label, { road: body.road }),
    }]).then(function () {
      Outbox.patrol.set({
        uuid: uuid,
        road: body.road,
        direction: body.direction,
        kind: body.kind,
        crew: body.crew,
        vehicle: body.vehicle,
        weather: body.weather,
        started_at: body.started_at,
        start_stake: stake || null,
        ended: false,
      });
      try {
        window.localStorage.setItem(CREW_KEY, JSON.stringify({ crew: body.crew, vehicle: body.vehicle }));
      } catch (error) {
        /* not kept: typed again next time */
      }
      message(words.patrol_saved + " " + (Outbox.words.saved_offline || ""), "ok");
      return Outbox.render();
    }).then(function (current) {
      refresh(current);
      Outbox.flush({ force: true });
    }, function (error) {
      message(Outbox.format(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    }).then(function () {
      button.disabled = false;
    });
  }

  /* The track's last batch goes into the outbox first, so it is sent before the end. The end
   * does not depend on it: the server takes a patrol's points up to a day after its end, and a
   * batch the server refused (needs attention: a crew cannot correct a track) must not keep
   * the patrol from ending. */
  function lastTrackBatch(patrol) {
    var recorder = window.TrackRecorder;
    if (!recorder) return Promise.resolve(null);
    return recorder.finish(patrol.uuid).then(null, function () {
      return null; // the batches stay on the phone and follow; the end does not wait for them
    });
  }

  function endPatrol(event) {
    event.preventDefault();
    var patrol = shown;
    if (!patrol) return;
    var stake = stakeOrError(endForm, $("end-stake"));
    if (stake === null) return;
    if (!window.confirm(words.confirm_end)) return;
    var button = $("end-patrol");
    button.disabled = true;
    lastTrackBatch(patrol).then(function () {
      // The time of the end is taken once the track has stopped: no point comes after it.
      var body = { ended_at: Outbox.isoLocal(), end_stake: stake };
      if (lastFix) body.gps = lastFix;
      return Outbox.add([{
        method: "PATCH",
        url: "/api/v1/patrols/" + patrol.uuid,
        uuid: patrol.uuid,
        body: body,
        label: Outbox.format(words.patrol_end_label, { road: patrol.road }),
      }]);
    }).then(function () {
      patrol.ended = true;
      Outbox.patrol.set(patrol);
      $("end-stake").value = "";
      message(words.patrol_ended, "ok");
      return Outbox.render();
    }).then(function (current) {
      refresh(current);
      Outbox.flush({ force: true });
    }, function (error) {
      message(Outbox.format(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    }).then(function () {
      button.disabled = false;
    });
  }

  // --- storage ------------------------------------------------------------------------------

  function showStorage() {
    Outbox.askPersistence().then(function () {
      return Outbox.storageInfo();
    }).then(function (info) {
      if (!info) return;
      $("storage-estimate").textContent = Outbox.format(Outbox.words.storage_use, {
        used: Outbox.megabytes(info.usage),
        quota: Outbox.megabytes(info.quota),
      });
      $("storage-persisted").textContent = info.persisted ? Outbox.words.persisted : Outbox.words.not_persisted;
    });
  }

  // --- start -------------------------------------------------------------------------------

  function init() {
    if (!window.isSecureContext) {
      $("insecure-notice").textContent = Outbox.words.insecure;
      $("insecure-notice").hidden = false;
    }
    try {
      var remembered = JSON.parse(window.localStorage.getItem(CREW_KEY) || "null");
      if (remembered) {
        if (remembered.crew) $("start-crew").value = remembered.crew;
        if (remembered.vehicle) $("start-vehicle").value = remembered.vehicle;
      }
    } catch (error) {
      /* defaults stay */
    }
    watchTyping($("start-stake"));
    watchTyping($("end-stake"));
    startForm.addEventListener("submit", startPatrol);
    endForm.addEventListener("submit", endPatrol);
    roadSelect.addEventListener("change", function () {
      var parts = roadSelect.value.split("|");
      var input = $("start-stake");
      if (input.getAttribute("data-from-gps") === "yes") {
        input.value = "";
        input.removeAttribute("data-from-gps");
        hint(startForm, "start_stake", "");
      }
      if (roadSelect.value) suggestStake(input, startForm, parts[0], parts[1]);
    });
    window.addEventListener("outbox:change", function (event) {
      refresh(event.detail);
    });
    Outbox.state().then(refresh, function () {
      refresh(null);
    });
    showStorage();
    Outbox.registerServiceWorker();
    locateOnce();
  }

  init();
})();
