/* The pre-shift briefing on the phone: starts from the last briefing (the page's copy or the
 * phone's, the newer), attendees as chips (tap to add or remove, add by name), a photo from the
 * camera; the briefing and its photo are written into the outbox first and sent from there when
 * the signal comes back (OFFLINE.md rules 1–3); the server answers with the briefing at `uuid`.
 * Without this script the form posts as usual. No ?. or ?? (older Android WebViews).
 */
import {
  PhotoBox,
  appendAttention,
  attentionRecords,
  clearErrors,
  fmt,
  photoEntry,
  readBlock,
  showErrors,
  showMessage,
  waitingItem,
  whenReady,
} from "./outbox_forms.js";
import {
  BRIEFINGS_URL,
  DEFAULTS_KEY,
  OTHER_LEADER,
  addName,
  briefingBody,
  briefingEntry,
  checkBriefing,
  defaultsOf,
  photoUrlOf,
  pickDefaults,
  waitingBriefings,
} from "./crew/briefing_rules.js";
import { isoLocal } from "./lib/text.js";
import { localGet, localSet } from "./lib/local.js";

function start() {
  var form = document.getElementById("briefing-form");
  if (!form) return;
  var Outbox = window.Outbox;
  var context = readBlock("briefing-context");
  var words = readBlock("briefing-words");
  var people = context.people || [];
  var message = document.getElementById("briefing-message");
  var other = document.getElementById("briefing-other-errors");
  var grid = document.getElementById("briefing-people");
  var leaderName = document.getElementById("briefing-leader-name");
  var photos = new PhotoBox(document.getElementById("briefing-photo"),
    document.getElementById("photo-list"), document.getElementById("photo-status"), words, "site");
  var storeKey = DEFAULTS_KEY + ":" + context.me;
  var fixing = null;

  function boxes(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
  }

  function typedNames() {
    return boxes("attendee_name").map(function (box) {
      return box.value;
    });
  }

  function addChip(name) {
    var label = document.createElement("label");
    label.className = "choice";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "attendee_name";
    box.value = name;
    box.checked = true;
    var span = document.createElement("span");
    span.textContent = name;
    label.appendChild(box);
    label.appendChild(span);
    grid.appendChild(label);
  }

  function count() {
    var n = boxes("attendee_id").concat(boxes("attendee_name")).filter(function (box) {
      return box.checked;
    }).length;
    document.getElementById("briefing-count").textContent = fmt(words.count, { n: n });
  }

  function showLeaderName() {
    leaderName.hidden = form.elements.leader_id.value !== OTHER_LEADER;
  }

  /* Put a briefing's values (defaults, or a waiting body to correct) into the controls. */
  function apply(values) {
    if (!values) return;
    var topic = values.topic_id;
    form.elements.topic_id.value = (context.topics || []).indexOf(topic) >= 0 ? String(topic) : "";
    form.elements.topic_text.value = values.topic_text || "";
    form.elements.crew.value = values.crew || "";
    if (form.elements.site_id) form.elements.site_id.value = values.site_id ? String(values.site_id) : "";
    form.elements.place.value = values.place || "";
    var leader = values.leader_id ? String(values.leader_id) : OTHER_LEADER;
    form.elements.leader_id.value = leader;
    if (form.elements.leader_id.value !== leader) form.elements.leader_id.value = OTHER_LEADER;
    leaderName.value = values.leader_id ? "" : values.leader_name || "";
    var ids = {};
    var names = [];
    (values.attendees || []).forEach(function (a) {
      if (a.user_id) ids[String(a.user_id)] = true;
      else if (a.name) names.push(a.name);
    });
    boxes("attendee_id").forEach(function (box) {
      box.checked = !!ids[box.value];
    });
    boxes("attendee_name").forEach(function (box) {
      box.parentNode.remove();
    });
    names.forEach(addChip);
    showLeaderName();
    count();
  }

  function values() {
    return {
      topic_id: form.elements.topic_id.value,
      topic_text: form.elements.topic_text.value,
      crew: form.elements.crew.value,
      site_id: form.elements.site_id ? form.elements.site_id.value : "",
      place: form.elements.place.value,
      leader_id: form.elements.leader_id.value,
      leader_name: leaderName.value,
      note: form.elements.note.value,
      attendee_ids: boxes("attendee_id").filter(function (b) {
        return b.checked;
      }).map(function (b) {
        return b.value;
      }),
      attendee_names: boxes("attendee_name").filter(function (b) {
        return b.checked;
      }).map(function (b) {
        return b.value;
      }),
    };
  }

  function topicName(body) {
    var option = form.querySelector('#briefing-topic option[value="' + body.topic_id + '"]');
    return option && body.topic_id !== null ? option.textContent : body.topic_text;
  }

  function reset() {
    fixing = null;
    photos.clear();
    clearErrors(form);
    form.elements.note.value = "";
    document.getElementById("briefing-fix-banner").hidden = true;
    apply(pickDefaults(context.defaults, localGet(storeKey)));
  }

  async function save() {
    var button = document.getElementById("save-briefing");
    button.disabled = true;
    try {
      await photos.ready();
      var body = briefingBody(values(), fixing ? fixing.uuid : Outbox.uuid(),
        fixing ? fixing.held_at : isoLocal(), people);
      var errors = checkBriefing(body, words);
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      var label = fmt(words.label, { topic: topicName(body), n: body.attendees.length });
      if (fixing) {
        await Outbox.replaceRecord(fixing.id, body, label);
      } else {
        var url = photoUrlOf(body.client_uuid);
        await Outbox.add([briefingEntry(body, label)].concat(photos.photos.map(function (photo) {
          return photoEntry(photo, {
            url: url,
            parent: body.client_uuid,
            label: fmt(words.photo_label, { label: label }),
          });
        })));
      }
      localSet(storeKey, defaultsOf(body, people));
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
    fixing = { id: entry.id, uuid: entry.uuid, held_at: body.held_at };
    apply(defaultsOf({
      held_at: body.held_at,
      crew: body.crew,
      site_id: body.site_id,
      place: body.place,
      leader_id: body.leader_id,
      leader_name: body.leader_name,
      topic_id: body.topic_id,
      topic_text: body.topic_text,
      attendees: body.attendees || [],
    }, people));
    form.elements.note.value = body.note || "";
    document.getElementById("briefing-fix-banner").hidden = false;
    showErrors(form, entry.attention.fields || {}, other);
    showMessage(message, entry.attention.message, "error");
  }

  function showWaiting(current) {
    var entries = current ? current.entries : [];
    var waiting = waitingBriefings(entries);
    var list = document.getElementById("briefing-waiting");
    list.textContent = "";
    waiting.forEach(function (entry) {
      var item = waitingItem(entry, words);
      if (entry.attention) appendAttention(item, entry, words.fix, loadForFix);
      list.appendChild(item);
    });
    document.getElementById("briefing-waiting-card").hidden = waiting.length === 0;
    var attention = attentionRecords(entries, function (url) {
      return url === BRIEFINGS_URL;
    });
    document.getElementById("briefing-attention-card").hidden = attention.length === 0;
  }

  document.getElementById("briefing-add").addEventListener("click", function () {
    var input = document.getElementById("briefing-add-name");
    var before = typedNames();
    var after = addName(before, input.value, people);
    if (after.length > before.length) addChip(after[after.length - 1]);
    input.value = "";
    count();
  });
  document.getElementById("briefing-add-name").addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      document.getElementById("briefing-add").click();
    }
  });
  grid.addEventListener("change", count);
  form.elements.leader_id.addEventListener("change", showLeaderName);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  document.getElementById("briefing-fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  // A page shown after a refusal keeps what was posted; otherwise start from the newer of the
  // page's last briefing and the phone's own (saved offline, not yet on the server).
  var stored = localGet(storeKey);
  if (!document.querySelector("#briefing-page .notice-error") &&
      pickDefaults(context.defaults, stored) === stored && stored) {
    apply(stored);
  }
  showLeaderName();
  count();
  showWaiting(Outbox.current());
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
