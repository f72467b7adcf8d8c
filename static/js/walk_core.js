/* The pure parts of walking a self-inspection checklist on the phone (walk.js draws the page):
 * sites nearest first, the templates a kind may use, the record and its photo entries for the
 * outbox. No DOM here, so that node runs it in the unit tests (tests/js/walk_core.test.mjs).
 * Plain ES2017 (no ?. or ??).
 */
import { distanceM, hasPoint } from "./lib/geo.js";

export const RESULTS = ["meets", "does_not_meet", "not_applicable"];
const GRADES = ["general", "major"];
export const INSPECTIONS_URL = "/api/v1/inspections";

/* One list of sites from the page's own (complete when the page was made) and a newer one
 * (the server's answer to ?near=, kept on the phone): the newer wins for a site in both;
 * a site the newer list marks inactive is left out. */
export function mergeSites(embedded, newer) {
  var byId = {};
  var order = [];
  [embedded || [], newer || []].forEach(function (list) {
    list.forEach(function (site) {
      if (!site || site.id === undefined || site.id === null) return;
      var key = String(site.id);
      if (!byId[key]) order.push(key);
      byId[key] = site;
    });
  });
  return order.map(function (key) {
    return byId[key];
  }).filter(function (site) {
    return site.active !== false;
  });
}

/* Copies of the sites with distance_m from the fix, nearest first; without a fix (or for
 * sites without a point) by name, after those with a distance. */
export function sortSites(sites, fix) {
  var withFix = hasPoint(fix);
  var copies = (sites || []).map(function (site) {
    var copy = {};
    Object.keys(site).forEach(function (key) {
      copy[key] = site[key];
    });
    copy.distance_m = withFix && hasPoint(site) ? distanceM(fix, site) : null;
    return copy;
  });
  copies.sort(function (a, b) {
    if (a.distance_m !== null && b.distance_m !== null && a.distance_m !== b.distance_m) {
      return a.distance_m - b.distance_m;
    }
    if (a.distance_m !== null && b.distance_m === null) return -1;
    if (a.distance_m === null && b.distance_m !== null) return 1;
    return String(a.name).localeCompare(String(b.name), "zh-Hans-CN");
  });
  return copies;
}

/* The server's answer as a plain list (a JSON list under "sites", or GeoJSON features). */
export function serverSites(body) {
  if (!body) return null;
  if (Array.isArray(body.sites)) return body.sites;
  if (Array.isArray(body.features)) {
    return body.features.map(function (feature) {
      var p = feature.properties || {};
      var c = (feature.geometry && feature.geometry.coordinates) || [];
      return {
        id: feature.id !== undefined ? feature.id : p.id,
        name: p.name,
        kind: p.kind,
        kind_label: p.kind_label,
        lon: c[0],
        lat: c[1],
        active: p.active,
      };
    });
  }
  return null;
}

/* "120 m", "1.4 km", "36 km" (blank without a distance). */
export function showDistance(metres) {
  if (metres === null || metres === undefined || !isFinite(metres)) return "";
  if (metres < 1000) return Math.round(metres) + " m";
  if (metres < 10000) return (Math.round(metres / 100) / 10).toFixed(1) + " km";
  return Math.round(metres / 1000) + " km";
}

/* The active templates a kind may use: those of the kind first, then those for any kind. */
export function templatesForKind(templates, kind) {
  var active = (templates || []).filter(function (t) {
    return t.active !== false && (t.items || []).length > 0;
  });
  var own = active.filter(function (t) {
    return t.kind === kind;
  });
  var any = active.filter(function (t) {
    return t.kind === null || t.kind === undefined || t.kind === "";
  });
  return own.concat(any);
}

/* What is missing before a walk can be saved: {field: word key}; "item.<uuid>" per item. */
export function check(walk) {
  var errors = {};
  if (!walk.kind) errors.kind = "choose_kind";
  if (!walk.template) errors.template = "choose_template";
  if (walk.site === null || walk.site === undefined || walk.site === "") errors.site = "choose_site";
  (walk.lines || []).forEach(function (line) {
    var answer = (walk.answers || {})[line.uuid] || {};
    if (RESULTS.indexOf(answer.result) < 0) errors["item." + line.uuid] = "answer_item";
  });
  return errors;
}

/* The POST /api/v1/inspections body of a walk at one site on one day.
 * walk: {uuid, kind, theme, today, site: {id, name}, template: {id, name}, leader_id,
 *        lines: [{uuid, section, name, hazard_category}], answers: {uuid: {result, note, grade}}} */
export function buildBody(walk) {
  var site = walk.site;
  var items = walk.lines.map(function (line) {
    var answer = (walk.answers || {})[line.uuid] || {};
    var item = {
      client_uuid: line.uuid,
      section: line.section,
      name: line.name,
      hazard_category: line.hazard_category,
      result: answer.result,
      note: String(answer.note || "").trim(),
      site_id: site.id,
    };
    if (answer.checked_at) item.checked_at = answer.checked_at; // when it was answered, not sent
    if (answer.result === "does_not_meet") {
      item.grade = GRADES.indexOf(answer.grade) >= 0 ? answer.grade : "general";
    }
    return item;
  });
  var body = {
    client_uuid: walk.uuid,
    kind: walk.kind,
    theme: String(walk.theme || "").trim() || String(walk.default_theme || "").trim(),
    started_on: walk.today,
    ended_on: walk.today,
    site_ids: [site.id],
    template_id: walk.template.id,
    items: items,
  };
  if (walk.leader_id !== undefined && walk.leader_id !== null) body.leader_user_id = walk.leader_id;
  return body;
}

/* The outbox entries of a walk: the record, then each photo after it, each photo waiting for
 * the record (deps) and sent to its item's address. photos: {item uuid: [prepared photo]}. */
export function outboxEntries(body, photos, label, photoLabel) {
  var entries = [{
    method: "POST",
    url: INSPECTIONS_URL,
    uuid: body.client_uuid,
    answer_uuid: "inspection.client_uuid",
    deps: [],
    body: body,
    label: label,
  }];
  body.items.forEach(function (item) {
    ((photos || {})[item.client_uuid] || []).forEach(function (photo) {
      entries.push({
        url: "/api/v1/inspection-items/" + item.client_uuid + "/photos",
        parent_uuid: item.client_uuid,
        deps: [body.client_uuid],
        photo_uuid: photo.photo_uuid,
        stage: "site",
        bytes: photo.bytes,
        type: photo.type,
        sha256: photo.sha256,
        exif_taken_at: photo.exif_taken_at,
        exif_lon: photo.exif_lon,
        exif_lat: photo.exif_lat,
        label: photoLabel ? photoLabel(item) : label,
      });
    });
  });
  return entries;
}

/* Tally of a walk's answers: {meets, does_not_meet, not_applicable, open}. */
export function tally(lines, answers) {
  var out = { meets: 0, does_not_meet: 0, not_applicable: 0, open: 0 };
  (lines || []).forEach(function (line) {
    var result = ((answers || {})[line.uuid] || {}).result;
    if (RESULTS.indexOf(result) >= 0) out[result] += 1;
    else out.open += 1;
  });
  return out;
}

/* The walk's state on this phone: "attention", "waiting", "sent" or "" (unknown). */
export function walkState(uuid, entries, sentAt) {
  var own = String(uuid).toLowerCase();
  var mine = (entries || []).filter(function (entry) {
    return entry.kind === "record" ? entry.uuid === own :
      (entry.deps || []).indexOf(own) >= 0;
  });
  if (mine.some(function (e) {
    return e.attention;
  })) return "attention";
  if (mine.length) return "waiting";
  return sentAt ? "sent" : "";
}

// --- the site chooser (walk_sites.js) -------------------------------------------------------

/* The sites as the chooser lists them: the page's own merged with the server's last ?near=
 * answer kept on the phone (stored: {at, sites}), nearest first from the fix. */
export function arrangeSites(embedded, stored, fix) {
  return sortSites(mergeSites(embedded || [], stored && stored.sites ? stored.sites : []), fix);
}

/* The address that asks the server for the sites near a fix. */
export function nearUrl(fix) {
  return "/api/v1/sites?near=" + encodeURIComponent(fix.lon.toFixed(6) + "," + fix.lat.toFixed(6));
}

/* "乌鲁木齐收费站 · 收费站" */
export function siteLabel(site) {
  return site.name + (site.kind_label ? " · " + site.kind_label : "");
}

/* The small line under a site's name: its kind and how far it is (distanceText fills the words). */
export function siteDetail(site, distanceText) {
  const distance = showDistance(site.distance_m);
  return [site.kind_label || "", distance ? distanceText(distance) : ""].filter(Boolean).join(" · ");
}

// --- the checklist (walk_checklist.js) ------------------------------------------------------

/* The lines of a template's checklist, each item under a fresh UUID (newUuid()). */
export function linesOf(template, newUuid) {
  return template ? template.items.map(function (item) {
    return {
      uuid: newUuid(),
      section: item.section,
      section_label: item.section_label,
      name: item.name,
      hazard_category: item.hazard_category,
    };
  }) : [];
}

/* Whether a draft kept on the phone is of this template (and so its lines can be taken up). */
export function draftFits(draft, template) {
  return Boolean(draft && template && draft.template === String(template.id) &&
    draft.lines && draft.lines.length === template.items.length);
}

/* Whether anything was answered, written or photographed (a change of checklist would lose it). */
export function answered(answers, photos) {
  return Object.keys(answers || {}).some(function (uuid) {
    const answer = answers[uuid];
    return Boolean(answer.result || answer.note || ((photos || {})[uuid] || []).length);
  });
}

/* Whether an answered item shows its note and photos: an unmet one does, the others once
 * opened or when something was written or taken already. */
export function itemOpen(answer, opened, photoCount) {
  return answer.result === "does_not_meet" || Boolean(opened) || Boolean(answer.note) || photoCount > 0;
}
