/* Walking a self-inspection checklist at a site, on the phone, offline-first.
 *
 * Kind, site (nearest first from the GPS fix: walk_sites.js), checklist (from the page's own
 * JSON block, so that the cached page works without signal: walk_checklist.js), then each
 * item: meets / does not meet / not applicable, a note, photos. This file holds the page
 * together: the draft kept while walking, errors, saving and what the phone holds. "Save"
 * puts ONE record (POST /api/v1/inspections) and then each photo (POST
 * /api/v1/inspection-items/<item uuid>/photos, waiting for the record) into the outbox; the
 * outbox sends them when there is signal (OFFLINE.md rules 1–3, 8, 9).
 * Every word comes from the page's JSON blocks. Plain ES2017 (no ?. or ??).
 * An ES module; the outbox's facade (window.Outbox) is made by the outbox module before it.
 */
import { INSPECTIONS_URL, buildBody, check, outboxEntries, walkState } from "./walk_core.js";
import { createSiteChooser } from "./walk_sites.js";
import { createChecklist } from "./walk_checklist.js";
import {
  busy,
  clearErrors as clearFormErrors,
  radioValue,
  show,
  showErrors as showFormErrors,
} from "./lib/forms.js";
import { format as fmt, localDate, showTime } from "./lib/text.js";
import { lang, outboxReady, readJsonBlock } from "./lib/page.js";
import { localGet, localSet } from "./lib/local.js";
import { uuid } from "./lib/crypto.js";

// Only conveniences are kept in localStorage (private mode or a full one loses them): the
// outbox itself is in IndexedDB.
const CHOICE_KEY = "inspection.walk.choice"; // the last kind and template used on this phone
const WALKS_KEY = "inspection.walk.saved"; // the walks saved on this phone (labels, for the list)
// The walk under way, not saved yet: a phone may drop the page while the camera is open.
const DRAFT_KEY = "inspection.walk.draft";

let Outbox = null; // the outbox's facade (window.Outbox)
let form = null;
let context = {};
let words = {};
let sites = null; // walk_sites.js
let checklist = null; // walk_checklist.js
let state = null; // lines, answers, photos, templateId of the checklist drawn

function $(id) {
  return document.getElementById(id);
}

// --- errors --------------------------------------------------------------------------------

function clearErrors() {
  clearFormErrors(form, $("other-errors"));
}

/* Show errors by field name; "item.<uuid>" goes to that item. */
function showErrors(fields) {
  showFormErrors(form, fields, {
    other: $("other-errors"),
    holders: ".field, .group, .walk-item",
    scrollToHolder: true,
  });
}

// --- the walk under way, kept on the phone until it is saved -----------------------------

function saveDraft() {
  if (!checklist.answered() && !$("w-theme").value.trim()) {
    localSet(DRAFT_KEY, null);
    return;
  }
  localSet(DRAFT_KEY, {
    kind: radioValue(form, "kind"),
    template: state.templateId,
    site: sites.chosenSiteId(),
    theme: $("w-theme").value,
    lines: state.lines,
    answers: state.answers,
    at: Date.now(),
  });
}

// --- saving --------------------------------------------------------------------------------

/* The walk as the form holds it now, under a fresh UUID. */
function currentWalk() {
  var site = sites.chosenSite();
  var template = checklist.chosenTemplate();
  var kind = radioValue(form, "kind");
  return {
    uuid: uuid(),
    kind: kind,
    theme: $("w-theme").value,
    default_theme: site ? fmt(words.default_theme, { kind: (context.kinds || {})[kind] || kind, site: site.name }) : "",
    today: localDate(new Date()),
    site: site,
    template: template,
    leader_id: context.leader_id,
    lines: state.lines,
    answers: state.answers,
  };
}

function rememberWalk(body, site, photoCount) {
  var saved = localGet(WALKS_KEY) || [];
  saved.unshift({
    uuid: body.client_uuid,
    label: fmt(words.walk_label, { site: site.name, date: body.started_on }),
    summary: fmt(words.walk_summary, {
      items: body.items.length,
      unmet: body.items.filter(function (i) {
        return i.result === "does_not_meet";
      }).length,
      photos: photoCount,
    }),
    saved_at: Date.now(),
  });
  localSet(WALKS_KEY, saved.slice(0, 20));
}

function resetChecklist() {
  $("w-theme").value = "";
  checklist.draw();
  clearErrors();
  localSet(DRAFT_KEY, null);
}

function save(event) {
  event.preventDefault();
  return busy($("save-walk"), saveNow);
}

async function saveNow() {
  try {
    await checklist.photosReady();
    var walk = currentWalk();
    var problems = check(walk);
    if (Object.keys(problems).length) {
      var fields = {};
      var open = 0;
      Object.keys(problems).forEach(function (name) {
        fields[name] = words[problems[name]] || problems[name];
        if (name.indexOf("item.") === 0) open += 1;
      });
      showErrors(fields);
      show($("form-message"), open ? fmt(words.unanswered, { count: open }) : words[problems[Object.keys(problems)[0]]], "error");
      return;
    }
    var body = buildBody(walk);
    var label = fmt(words.walk_label, { site: walk.site.name, date: body.started_on });
    var numbers = {};
    state.lines.forEach(function (line, index) {
      numbers[line.uuid] = index + 1;
    });
    var entries = outboxEntries(body, state.photos, label, function (item) {
      return fmt(words.photo_label, { number: numbers[item.client_uuid], site: walk.site.name });
    });
    await Outbox.add(entries);
    rememberWalk(body, walk.site, entries.length - 1);
    localSet(CHOICE_KEY, { kind: body.kind, template: String(body.template_id) });
    resetChecklist();
    show($("form-message"), words.saved, "ok");
    $("form-message").scrollIntoView({ block: "center" });
    showWalks(Outbox.current());
    Outbox.flush({ force: true });
  } catch (error) {
    show($("form-message"), fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
  }
}

// --- what this phone holds: saved / waiting / sent ---------------------------------------

function showWalks(current) {
  var entries = current ? current.entries : [];
  var saved = localGet(WALKS_KEY) || [];
  var list = $("walk-list");
  list.textContent = "";
  saved.forEach(function (walk) {
    var shown = walkState(walk.uuid, entries, Outbox.sentAt(walk.uuid));
    if (!current && !shown) shown = "saved";
    var item = document.createElement("li");
    item.className = "record" + (shown === "waiting" || shown === "attention" ? " pending" : "");
    item.setAttribute("data-uuid", walk.uuid);
    item.setAttribute("data-state", shown || "saved");
    var title = document.createElement("strong");
    title.textContent = walk.label;
    var tag = document.createElement("span");
    tag.className = "tag " + ({ attention: "tag-attention", waiting: "tag-waiting", sent: "tag-sent" }[shown] || "");
    tag.textContent = { attention: words.needs_attention, waiting: words.waiting, sent: words.sent }[shown] ||
      words.saved_here;
    var detail = document.createElement("span");
    detail.className = "muted";
    detail.textContent = walk.summary + " · " + showTime(walk.saved_at, lang());
    item.appendChild(title);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(tag);
    item.appendChild(document.createElement("br"));
    item.appendChild(detail);
    list.appendChild(item);
  });
  $("no-walks").hidden = saved.length > 0;
  showAttention(current);
}

function showAttention(current) {
  var entries = current ? current.attention.filter(function (entry) {
    return entry.kind === "record" && entry.url === INSPECTIONS_URL;
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
    var fields = entry.attention.fields || {};
    why.textContent = fmt(Outbox.words.needs_attention, { reason: entry.attention.message }) +
      Object.keys(fields).map(function (name) {
        return " " + name + ": " + fields[name];
      }).join(";");
    item.appendChild(title);
    item.appendChild(why);
    list.appendChild(item);
  });
  $("attention-card").hidden = entries.length === 0;
}

// --- start ---------------------------------------------------------------------------------

function init() {
  if (!window.isSecureContext) show($("insecure-notice"), Outbox.words.insecure);
  var draft = localGet(DRAFT_KEY);
  var choice = draft || localGet(CHOICE_KEY);
  if (choice && choice.kind && form.querySelector('input[name="kind"][value="' + choice.kind + '"]')) {
    form.querySelector('input[name="kind"][value="' + choice.kind + '"]').checked = true;
  }
  var resumed = checklist.start(choice && choice.template, draft);
  sites.arrange();
  if (resumed) {
    if (draft.site) sites.chooseSite(draft.site);
    $("w-theme").value = draft.theme || "";
    show($("form-message"), words.draft_restored, "info");
  } else {
    localSet(DRAFT_KEY, null);
  }

  form.addEventListener("change", function (event) {
    if (!checklist.change(event.target)) return; // a change of checklist called off
    sites.change(event.target);
    saveDraft();
  });
  form.addEventListener("input", function (event) {
    checklist.input(event.target);
    saveDraft();
  });
  form.addEventListener("click", function (event) {
    checklist.click(event.target);
  });
  $("gps-again").addEventListener("click", sites.locate);
  form.addEventListener("submit", save);
  window.addEventListener("outbox:change", function (event) {
    showWalks(event.detail);
  });
  showWalks(Outbox.current());
  Outbox.registerServiceWorker();
  sites.locate();
  $("save-walk").disabled = false; // disabled in the page until this script runs
}

outboxReady().then(function (facade) {
  Outbox = facade;
  form = document.getElementById("walk-form");
  if (!Outbox || !form) return;
  context = readJsonBlock("walk-context") || {};
  words = readJsonBlock("walk-words") || {};
  const page = { form: form, context: context, words: words, $: $ };
  sites = createSiteChooser(page);
  checklist = createChecklist(page);
  state = checklist.state;
  init();
});
