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
 * An ES module: window.Outbox (the outbox module) and the classic walk_core.js, walk_sites.js and
 * walk_checklist.js have run before it (deferred scripts and modules run in document order).
 */
import * as PhotoPrep from "./photo_prep.js";
import * as Forms from "./lib/forms.js";

(function () {
  "use strict";

  var Outbox = window.Outbox;
  var Core = window.WalkCore;
  var form = document.getElementById("walk-form");
  if (!Outbox || !Core || !window.WalkSites || !window.WalkChecklist || !form) return;
  var context = Outbox.readJsonBlock("walk-context") || {};
  var words = Outbox.readJsonBlock("walk-words") || {};
  var CHOICE_KEY = "inspection.walk.choice"; // the last kind and template used on this phone
  var WALKS_KEY = "inspection.walk.saved"; // the walks saved on this phone (labels, for the list)
  // The walk under way, not saved yet: a phone may drop the page while the camera is open.
  var DRAFT_KEY = "inspection.walk.draft";
  // Only conveniences are kept in localStorage (private mode or a full one loses them): the
  // outbox itself is in IndexedDB.
  var localGet = Outbox.localGet;
  var localSet = Outbox.localSet;

  function $(id) {
    return document.getElementById(id);
  }

  function fmt(template, params) {
    return Outbox.format(template, params);
  }

  var show = Forms.show;

  function radioValue(name) {
    return Forms.radioValue(form, name);
  }

  var page = {
    form: form,
    context: context,
    words: words,
    $: $,
    fmt: fmt,
    show: show,
    localGet: localGet,
    localSet: localSet,
    radioValue: radioValue,
    photoPrep: PhotoPrep,
  };
  var sites = window.WalkSites(page);
  var checklist = window.WalkChecklist(page);
  var state = checklist.state; // lines, answers, photos, templateId of the checklist drawn

  // --- errors --------------------------------------------------------------------------------

  function clearErrors() {
    Forms.clearErrors(form, $("other-errors"));
  }

  /* Show errors by field name; "item.<uuid>" goes to that item. */
  function showErrors(fields) {
    Forms.showErrors(form, fields, {
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
      kind: radioValue("kind"),
      template: state.templateId,
      site: sites.chosenSiteId(),
      theme: $("w-theme").value,
      lines: state.lines,
      answers: state.answers,
      at: Date.now(),
    });
  }

  // --- saving --------------------------------------------------------------------------------

  function walkState() {
    var site = sites.chosenSite();
    var template = checklist.chosenTemplate();
    var kind = radioValue("kind");
    return {
      uuid: Outbox.uuid(),
      kind: kind,
      theme: $("w-theme").value,
      default_theme: site ? fmt(words.default_theme, { kind: (context.kinds || {})[kind] || kind, site: site.name }) : "",
      today: Core.localDate(new Date()),
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
    return Forms.busy($("save-walk"), saveNow);
  }

  async function saveNow() {
    try {
      await checklist.photosReady();
      var walk = walkState();
      var problems = Core.check(walk);
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
      var body = Core.buildBody(walk);
      var label = fmt(words.walk_label, { site: walk.site.name, date: body.started_on });
      var numbers = {};
      state.lines.forEach(function (line, index) {
        numbers[line.uuid] = index + 1;
      });
      var entries = Core.outboxEntries(body, state.photos, label, function (item) {
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
      var state = Core.walkState(walk.uuid, entries, Outbox.sentAt(walk.uuid));
      if (!current && !state) state = "saved";
      var item = document.createElement("li");
      item.className = "record" + (state === "waiting" || state === "attention" ? " pending" : "");
      item.setAttribute("data-uuid", walk.uuid);
      item.setAttribute("data-state", state || "saved");
      var title = document.createElement("strong");
      title.textContent = walk.label;
      var tag = document.createElement("span");
      tag.className = "tag " + ({ attention: "tag-attention", waiting: "tag-waiting", sent: "tag-sent" }[state] || "");
      tag.textContent = { attention: words.needs_attention, waiting: words.waiting, sent: words.sent }[state] ||
        words.saved_here;
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = walk.summary + " · " + Outbox.showTime(walk.saved_at);
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
      return entry.kind === "record" && entry.url === Core.INSPECTIONS_URL;
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
  }

  init();
})();
