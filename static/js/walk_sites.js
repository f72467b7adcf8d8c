/* The site chooser of the self-inspection walk page: sites nearest first from the GPS fix (the
 * server's ?near= answer when there is signal, else the phone's own list sorted here), the
 * nearest few as big choices and every site in a list below. walk.js makes it, handing over
 * the page's shared helpers; the rules are walk_core.js's. Plain ES2017 (no ?. or ??).
 */
import { arrangeSites, nearUrl, serverSites, showDistance, siteDetail, siteLabel } from "./walk_core.js";
import { getJson } from "./lib/net.js";
import { position } from "./lib/location.js";
import { localGet, localSet } from "./lib/local.js";
import { format } from "./lib/text.js";
import { radioValue, show } from "./lib/forms.js";

const SITES_KEY = "inspection.walk.sites"; // the server's last ?near= answer {at, sites}
const NEAREST_SHOWN = 5;

/* page: {form, context, words, $} (walk.js). */
export function createSiteChooser(page) {
  const $ = page.$;
  const words = page.words;
  let fix = null;
  let sites = []; // sorted nearest first
  let fromServer = false;

  function chosenSiteId() {
    return radioValue(page.form, "site") || $("w-site-other").value || "";
  }

  function chosenSite() {
    const id = chosenSiteId();
    for (let i = 0; i < sites.length; i++) if (String(sites[i].id) === id) return sites[i];
    return null;
  }

  function chooseSite(id) {
    const radio = page.form.querySelector('input[name="site"][value="' + id + '"]');
    if (radio) radio.checked = true;
    else $("w-site-other").value = id;
  }

  function siteChoice(site, keep) {
    const label = document.createElement("label");
    label.className = "choice site-choice";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "site";
    input.value = String(site.id);
    input.checked = String(site.id) === keep;
    const text = document.createElement("span");
    const name = document.createElement("strong");
    name.textContent = site.name;
    text.appendChild(name);
    const detail = document.createElement("small");
    detail.textContent = siteDetail(site, function (distance) {
      return format(words.distance, { distance: distance });
    });
    if (detail.textContent) text.appendChild(detail);
    label.appendChild(input);
    label.appendChild(text);
    return label;
  }

  function drawSites() {
    const keep = chosenSiteId();
    const box = $("site-choices");
    box.textContent = "";
    sites.slice(0, NEAREST_SHOWN).forEach(function (site) {
      box.appendChild(siteChoice(site, keep));
    });
    const select = $("w-site-other");
    select.textContent = "";
    const blank = document.createElement("option");
    blank.value = "";
    blank.textContent = "—";
    select.appendChild(blank);
    sites.forEach(function (site) {
      const option = document.createElement("option");
      option.value = String(site.id);
      const distance = showDistance(site.distance_m);
      option.textContent = siteLabel(site) + (distance ? " · " + distance : "");
      select.appendChild(option);
    });
    const onRadio = box.querySelector('input[value="' + keep + '"]');
    select.value = keep && !onRadio ? keep : "";
    if (keep && !onRadio && select.value !== keep) select.value = ""; // gone from the list
    select.closest(".field").hidden = sites.length <= NEAREST_SHOWN;
  }

  function arrange() {
    sites = arrangeSites(page.context.sites, localGet(SITES_KEY), fix);
    drawSites();
    show($("sites-hint"), fix ? (fromServer ? words.sites_server : words.sites_local) : "");
  }

  function askServer() {
    if (!fix) return;
    getJson(nearUrl(fix)).then(function (answer) {
      const list = answer.ok ? serverSites(answer.body) : null;
      if (!list) return;
      localSet(SITES_KEY, { at: Date.now(), sites: list });
      fromServer = true;
      arrange();
    }, function () {
      fromServer = false; // no signal: the phone's own list, sorted here
      arrange();
    });
  }

  function locate() {
    const status = $("gps-status");
    if (!window.isSecureContext || !navigator.geolocation) {
      status.textContent = words.gps_failed;
      return;
    }
    status.textContent = words.gps_waiting;
    position(60000).then(function (found) {
      fix = found;
      status.textContent = format(words.gps_fix, { accuracy: Math.round(found.accuracy) });
      arrange();
      askServer();
    }, function (error) {
      status.textContent = error && error.code === 1 ? words.gps_denied : words.gps_failed;
    });
  }

  /* A site chosen one way clears the other way's choice. */
  function change(target) {
    if (target.name === "site") {
      $("w-site-other").value = "";
    } else if (target.name === "site_other") {
      Array.prototype.forEach.call(page.form.querySelectorAll('input[name="site"]'), function (input) {
        input.checked = false;
      });
    }
  }

  return {
    arrange: arrange,
    locate: locate,
    chosenSite: chosenSite,
    chosenSiteId: chosenSiteId,
    chooseSite: chooseSite,
    change: change,
  };
}
