/* What the phone forms that save into the outbox share (repairs, survey records, hazard
 * evidence, findings): photo entries, field errors by control name, the photo picker; the stake
 * and number rules come from lib/ and are re-exported here.
 *
 * OFFLINE.md rules 1–3 and 9: a form writes its record and its photos (ArrayBuffers, EXIF read
 * before resizing, by photo_prep.js) into the outbox through the `window.Outbox` facade and never
 * sends anything itself. The pure parts at the top run in node (tests/js); the DOM parts run
 * only when a page calls them. No ?. or ?? (older Android WebViews).
 */

import { preparePhoto } from "./photo_prep.js";
import { STAKE, normaliseStake } from "./lib/stake.js";
import { numberOrNull, show } from "./lib/forms.js";
import { outboxReady, readJsonBlock } from "./lib/page.js";
import { format } from "./lib/text.js";

// The stake and number rules are the lib's; re-exported for the forms that import them from here.
export { STAKE, normaliseStake, numberOrNull };

/* The outbox entry of a prepared photo (PhotoPrep.preparePhoto) of a record that is not a
 * finding: sent to `url` after the record `parent` (and anything in `deps`) has been stored. */
export function photoEntry(photo, options) {
  var deps = [options.parent].concat(options.deps || []);
  return {
    url: options.url,
    parent_uuid: options.parent,
    deps: deps.filter(function (d, i) {
      return d && deps.indexOf(d) === i;
    }),
    photo_uuid: photo.photo_uuid,
    stage: options.stage || photo.stage || "site",
    bytes: photo.bytes,
    type: photo.type,
    sha256: photo.sha256 || null,
    exif_taken_at: photo.exif_taken_at || null,
    exif_lon: photo.exif_lon === undefined ? null : photo.exif_lon,
    exif_lat: photo.exif_lat === undefined ? null : photo.exif_lat,
    label: options.label || "",
  };
}

/* The waiting entries (of Outbox.state().entries) that belong to a record: the record itself
 * and whatever waits for it. */
export function entriesOf(entries, uuid) {
  var own = String(uuid).toLowerCase();
  return (entries || []).filter(function (entry) {
    if (entry.kind === "record" && entry.uuid === own) return true;
    return entry.parent_uuid === own || (entry.deps || []).indexOf(own) >= 0;
  });
}

/* Records waiting with a server refusal whose address passes `test(url)`. */
export function attentionRecords(entries, test) {
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && entry.attention && test(String(entry.url || ""));
  });
}

/* The form control names a server field name stands for: "materials.0.quantity" is
 * "materials-0-quantity" in a WTForms page. */
export function controlName(field) {
  return String(field).replace(/\./g, "-");
}

// --- the page side ---------------------------------------------------------------------------

/* Resolve with true once the outbox's facade is there (base.html loads it before the page's
 * module; "outbox:ready" covers a page that loads in another order), false on a page without. */
export function whenReady() {
  return outboxReady().then(Boolean);
}

/* A list item for a record waiting on the phone: its label and a tag saying whether it waits for
 * signal or needs attention (the page appends what else it shows, e.g. appendAttention). */
export function waitingItem(entry, words) {
  const item = document.createElement("li");
  item.className = "record pending";
  item.setAttribute("data-uuid", entry.uuid);
  const title = document.createElement("strong");
  title.textContent = entry.label;
  const tag = document.createElement("span");
  tag.className = "tag " + (entry.attention ? "tag-attention" : "tag-waiting");
  tag.textContent = entry.attention ? words.attention : words.waiting;
  item.appendChild(title);
  item.appendChild(document.createTextNode(" "));
  item.appendChild(tag);
  return item;
}

/* Append to `item` why the server refused a waiting record and the button that loads it into the
 * form to be corrected (`fixLabel`, `onFix(entry)`). */
export function appendAttention(item, entry, fixLabel, onFix) {
  const why = document.createElement("p");
  why.className = "field-error";
  why.textContent = fmt(window.Outbox.words.needs_attention, { reason: entry.attention.message });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-block";
  button.textContent = fixLabel;
  button.addEventListener("click", function () {
    onFix(entry);
  });
  item.appendChild(why);
  item.appendChild(button);
}

export function readBlock(id) {
  return readJsonBlock(id) || {};
}

export function fmt(template, params) {
  return format(template, params);
}

export function showMessage(node, text, kind) {
  if (node) show(node, text, kind || "");
}

/* Take away the errors this script showed (the server's own, from a failed post, too). */
export function clearErrors(form) {
  Array.prototype.forEach.call(form.querySelectorAll("[data-js-error]"), function (node) {
    node.remove();
  });
  Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (node) {
    node.classList.remove("has-error");
  });
}

/* Show {field: message} beside the fields (by control name); the rest in `other`. Returns the
 * first node shown, for scrolling to. */
export function showErrors(form, fields, other) {
  clearErrors(form);
  if (other) {
    other.textContent = "";
    other.hidden = true;
  }
  var first = null;
  Object.keys(fields || {}).forEach(function (name) {
    var control = form.querySelector('[name="' + controlName(name) + '"]');
    var holder = control ? control.closest(".field, .group, fieldset") : null;
    var note = document.createElement("p");
    note.className = "field-error";
    note.setAttribute("data-js-error", "");
    note.setAttribute("role", "alert");
    note.textContent = fields[name];
    if (holder) {
      holder.classList.add("has-error");
      holder.appendChild(note);
    } else if (other) {
      var item = document.createElement("li");
      item.setAttribute("data-js-error", "");
      item.textContent = name + ": " + fields[name];
      other.appendChild(item);
      other.hidden = false;
      note = other;
    }
    if (!first) first = note;
  });
  if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  return first;
}

/* A camera input and its thumbnails: each photo prepared as it is taken (EXIF, resize, hash),
 * one at a time, kept in memory until the form saves them into the outbox. */
export function PhotoBox(input, list, status, words, stage) {
  this.input = input;
  this.list = list;
  this.status = status;
  this.words = words || {};
  this.stage = stage || "site";
  this.photos = [];
  this.queue = Promise.resolve();
  var box = this;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (file) box.add(file);
    input.value = ""; // the same input takes the next photo
  });
}

PhotoBox.prototype.add = function (file) {
  var box = this;
  showMessage(box.status, box.words.photo_reading || "…", "");
  box.queue = box.queue.then(function () {
    return preparePhoto(file);
  }).then(function (photo) {
    photo.stage = box.stage;
    box.photos.push(photo);
    showMessage(box.status, "", "");
    box.render();
  }, function () {
    showMessage(box.status, box.words.photo_failed || "!", "error");
  });
  return box.queue;
};

/* Wait until every photo taken has been prepared. */
PhotoBox.prototype.ready = function () {
  return this.queue;
};

PhotoBox.prototype.clear = function () {
  this.photos = [];
  this.render();
};

PhotoBox.prototype.render = function () {
  var box = this;
  Array.prototype.forEach.call(box.list.querySelectorAll("img"), function (img) {
    URL.revokeObjectURL(img.src);
  });
  box.list.textContent = "";
  box.photos.forEach(function (photo, index) {
    var item = document.createElement("li");
    item.className = "thumb";
    var img = document.createElement("img");
    img.alt = photo.name || "";
    img.src = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
    img.onerror = function () {
      // A format this browser cannot show (HEIC): its name stands in; the server takes it.
      img.replaceWith(document.createTextNode(photo.name || photo.type));
    };
    item.appendChild(img);
    if (photo.exif_taken_at && box.words.photo_taken) {
      var taken = document.createElement("span");
      taken.className = "muted";
      taken.textContent = fmt(box.words.photo_taken, {
        time: photo.exif_taken_at.replace("T", " ").slice(0, 16),
      });
      item.appendChild(taken);
    }
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-small";
    remove.textContent = box.words.photo_remove || "×";
    remove.addEventListener("click", function () {
      box.photos.splice(index, 1);
      box.render();
    });
    item.appendChild(remove);
    box.list.appendChild(item);
  });
  box.list.setAttribute("data-count", String(box.photos.length));
};
