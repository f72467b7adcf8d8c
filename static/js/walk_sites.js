/* The site chooser of the self-inspection walk page: sites nearest first from the GPS fix (the
 * server's ?near= answer when there is signal, else the phone's own list sorted here), the
 * nearest few as big choices and every site in a list below. walk.js makes it, handing over
 * the page's shared helpers. Plain ES2017 (no ?. or ??).
 */
(function () {
  "use strict";

  var SITES_KEY = "inspection.walk.sites"; // the server's last ?near= answer {at, sites}
  var NEAREST_SHOWN = 5;

  /* page: {form, context, words, $, fmt, show, localGet, localSet, radioValue} (walk.js). */
  function createSiteChooser(page) {
    var Outbox = window.Outbox;
    var Core = window.WalkCore;
    var $ = page.$;
    var fmt = page.fmt;
    var words = page.words;
    var fix = null;
    var sites = []; // sorted nearest first
    var fromServer = false;

    function siteLabel(site) {
      return site.name + (site.kind_label ? " · " + site.kind_label : "");
    }

    function chosenSiteId() {
      var radio = page.radioValue("site");
      return radio || $("w-site-other").value || "";
    }

    function chosenSite() {
      var id = chosenSiteId();
      for (var i = 0; i < sites.length; i++) if (String(sites[i].id) === id) return sites[i];
      return null;
    }

    function chooseSite(id) {
      var radio = page.form.querySelector('input[name="site"][value="' + id + '"]');
      if (radio) radio.checked = true;
      else $("w-site-other").value = id;
    }

    function siteChoice(site, keep) {
      var label = document.createElement("label");
      label.className = "choice site-choice";
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "site";
      input.value = String(site.id);
      input.checked = String(site.id) === keep;
      var text = document.createElement("span");
      var name = document.createElement("strong");
      name.textContent = site.name;
      text.appendChild(name);
      var detail = document.createElement("small");
      var distance = Core.showDistance(site.distance_m);
      detail.textContent = [site.kind_label || "", distance ? fmt(words.distance, { distance: distance }) : ""]
        .filter(Boolean).join(" · ");
      if (detail.textContent) text.appendChild(detail);
      label.appendChild(input);
      label.appendChild(text);
      return label;
    }

    function drawSites() {
      var keep = chosenSiteId();
      var box = $("site-choices");
      box.textContent = "";
      sites.slice(0, NEAREST_SHOWN).forEach(function (site) {
        box.appendChild(siteChoice(site, keep));
      });
      var select = $("w-site-other");
      select.textContent = "";
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = "—";
      select.appendChild(blank);
      sites.forEach(function (site) {
        var option = document.createElement("option");
        option.value = String(site.id);
        var distance = Core.showDistance(site.distance_m);
        option.textContent = siteLabel(site) + (distance ? " · " + distance : "");
        select.appendChild(option);
      });
      var onRadio = box.querySelector('input[value="' + keep + '"]');
      select.value = keep && !onRadio ? keep : "";
      if (keep && !onRadio && select.value !== keep) select.value = ""; // gone from the list
      $("w-site-other").closest(".field").hidden = sites.length <= NEAREST_SHOWN;
    }

    function storedSites() {
      var stored = page.localGet(SITES_KEY);
      return stored && stored.sites ? stored.sites : [];
    }

    function arrange() {
      sites = Core.sortSites(Core.mergeSites(page.context.sites || [], storedSites()), fix);
      drawSites();
      page.show($("sites-hint"), fix ? (fromServer ? words.sites_server : words.sites_local) : "");
    }

    function askServer() {
      if (!fix) return;
      var url = "/api/v1/sites?near=" + encodeURIComponent(fix.lon.toFixed(6) + "," + fix.lat.toFixed(6));
      Outbox.getJson(url).then(function (answer) {
        var list = answer.ok ? Core.serverSites(answer.body) : null;
        if (!list) return;
        page.localSet(SITES_KEY, { at: Date.now(), sites: list });
        fromServer = true;
        arrange();
      }, function () {
        fromServer = false; // no signal: the phone's own list, sorted here
        arrange();
      });
    }

    function locate() {
      if (!window.isSecureContext || !navigator.geolocation) {
        $("gps-status").textContent = words.gps_failed;
        return;
      }
      $("gps-status").textContent = words.gps_waiting;
      Outbox.position(60000).then(function (found) {
        fix = found;
        $("gps-status").textContent = fmt(words.gps_fix, { accuracy: Math.round(found.accuracy) });
        arrange();
        askServer();
      }, function (error) {
        $("gps-status").textContent = error && error.code === 1 ? words.gps_denied : words.gps_failed;
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

  window.WalkSites = createSiteChooser;
})();
