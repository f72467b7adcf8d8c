/* The map page: record layers read from OGC API – Features by the map's bbox (or, for a big
   layer at low zoom, drawn from its vector tiles), filters, GeoJSON downloads, kilometre-stake
   labels at close zoom and "locate me".
   Each layer is reloaded with the new bbox whenever the map stops moving, and its old
   features are replaced, so the map only ever holds what the server returned for the view. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var words = config.words;
  var mapEl = document.getElementById("map");
  var statusEl = document.getElementById("map-status");
  var form = document.getElementById("map-filters");
  var panel = document.getElementById("map-panel");
  var locateButton = document.getElementById("locate-me");

  var HAZARD_COLOURS = {
    reported: "#f2c200",
    rectifying: "#1f6fd1",
    awaiting_verification: "#8e44ad",
    closed: "#2e9e44"
  };
  var OVERDUE_COLOUR = "#d7191c";
  var GRADE_COLOURS = {
    excellent: "#1a9850",
    good: "#91cf60",
    fair: "#f0d03c",
    poor: "#fc8d59",
    very_poor: "#d73027"
  };
  var FINDING_COLOURS = { open: "#ff8c1a", hazard_raised: "#c0392b", resolved: "#7f8c8d" };

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  // ------------------------------------------------------------------ the map and its panes

  var map = L.map(mapEl, { zoomControl: true, minZoom: 3 });
  [["units", 380], ["roads", 400], ["repairs", 420], ["stakes", 450], ["findings", 610], ["hazards", 620]]
    .forEach(function (pane) { map.createPane(pane[0]).style.zIndex = String(pane[1]); });

  var baseLayers = {};
  var none = L.layerGroup();
  baseLayers[words.no_base_map] = none;
  if (config.tiles) {
    var tiles = L.tileLayer(config.tiles.url, {
      attribution: config.tiles.attribution,
      subdomains: config.tiles.subdomains,
      maxZoom: config.tiles.maxZoom
    });
    if (config.tiles.labels) {
      // Place names served as their own tiles (天地图 cva_w) belong with the base map.
      tiles = L.layerGroup([tiles, L.tileLayer(config.tiles.labels, {
        subdomains: config.tiles.subdomains,
        maxZoom: config.tiles.maxZoom
      })]);
    }
    baseLayers[words.base_map] = tiles;
    tiles.addTo(map);
  } else {
    none.addTo(map);
  }

  // ------------------------------------------------------------------ popups

  function localTime(text) {
    if (!text) return "";
    var when = new Date(text);
    return isNaN(when) ? text : when.toLocaleString(document.documentElement.lang);
  }

  var ROWS = {
    roads: function (p) {
      return [["name", p.name], ["direction", words.directions[p.direction]],
        ["stake", p.start_stake + " – " + p.end_stake]];
    },
    findings: function (p) {
      return [["kind", words.finding_kinds[p.kind] || p.kind],
        ["status", words.finding_statuses[p.status] || p.status],
        ["observed_at", localTime(p.observed_at)], ["note", p.note]];
    },
    hazards: function (p) {
      return [["number", p.number], ["state", words.hazard_states[p.state] || p.state],
        ["category", words.hazard_categories[p.category] || p.category],
        ["source", (words.hazard_sources || {})[p.source] || p.source],
        ["site", p.site], ["location_note", p.location_note],
        ["deadline", p.deadline], ["description", p.description]];
    },
    repairs: function (p) {
      return [["kind", words.repair_kinds[p.kind] || p.kind], ["completed_on", p.completed_on],
        ["note", p.note]];
    },
    sites: function (p) {
      return [["name", p.name], ["kind", words.site_kinds ? (words.site_kinds[p.kind] || p.kind) : p.kind],
        ["department", p.department]];
    },
    survey_units: function (p) {
      return [["campaign", p.campaign], ["pci", p.pci === null ? words.not_measured : p.pci],
        ["grade", p.grade ? words.grades[p.grade] : words.not_measured]];
    }
  };

  function popupFor(layerId, feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("h3");
    // A hazard at a site has no road: its title names the site instead.
    var where = p.road ? p.road + (p.direction ? " " + (words.directions[p.direction] || "") : "")
      : (p.site || p.name || "");
    var stake = p.stake || p.stake_range || (p.start_stake ? p.start_stake + (p.end_stake ? "–" + p.end_stake : "") : "");
    if (p.end_stake && p.stake) stake += "–" + p.end_stake;
    title.textContent = words.layers[layerId] + " · " + where + " " + (layerId === "roads" ? "" : stake);
    box.appendChild(title);
    if (layerId === "hazards" && p.overdue) {
      var overdue = document.createElement("p");
      overdue.className = "overdue";
      overdue.textContent = words.hazard_states.overdue;
      box.appendChild(overdue);
    }
    var list = document.createElement("dl");
    ROWS[layerId](p).forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") return;
      var dt = document.createElement("dt");
      dt.textContent = words.fields[row[0]] || row[0];
      var dd = document.createElement("dd");
      dd.textContent = String(row[1]);
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.appendChild(list);
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = words.open_record;
      box.appendChild(link);
    }
    return box;
  }

  // ------------------------------------------------------------------ layer styles

  function hazardColour(p) {
    return p.overdue ? OVERDUE_COLOUR : (HAZARD_COLOURS[p.state] || "#555");
  }

  var STYLES = {
    roads: function () { return { color: "#4a4a4a", weight: 3, opacity: 0.9 }; },
    findings: function (p) { return { color: FINDING_COLOURS[p.status] || "#ff8c1a", weight: 5 }; },
    hazards: function (p) { return { color: hazardColour(p), weight: 6 }; },
    repairs: function () { return { color: "#0fb5c9", weight: 7, opacity: 0.85 }; },
    sites: function () { return { color: "#6a3d9a", weight: 4 }; },
    survey_units: function (p) {
      var colour = GRADE_COLOURS[p.grade];
      return colour ? { color: colour, weight: 10, opacity: 0.75 }
        : { color: "#999", weight: 8, opacity: 0.7, dashArray: "4 4" };
    }
  };

  function pointStyle(layerId, p) {
    var line = STYLES[layerId](p);
    return {
      pane: layerId === "hazards" ? "hazards" : (layerId === "findings" ? "findings" : "repairs"),
      radius: layerId === "hazards" ? 9 : 7,
      color: "#222",
      weight: layerId === "hazards" && p.overdue ? 3 : 1.5,
      fillColor: line.color,
      fillOpacity: 0.95
    };
  }

  var PANES = { roads: "roads", findings: "findings", hazards: "hazards", repairs: "repairs", survey_units: "units", sites: "repairs" };

  // Layers defined in modules of their own (coverage_layer.js), loaded before this script.
  var extraLayers = window.inspectionMapLayers || {};
  Object.keys(extraLayers).forEach(function (id) {
    STYLES[id] = extraLayers[id].style;
    ROWS[id] = function (p) { return extraLayers[id].rows(p, words); };
    PANES[id] = extraLayers[id].pane;
  });

  // ------------------------------------------------------------------ layers

  var layers = {};
  var overlays = {};
  config.layers.forEach(function (spec) {
    var geojson = L.geoJSON(null, {
      pane: PANES[spec.id],
      style: function (feature) {
        // GeoJSON applies this to points too: they keep their own marker style.
        if (/Point$/.test(feature.geometry.type)) return pointStyle(spec.id, feature.properties);
        var style = STYLES[spec.id](feature.properties);
        style.pane = PANES[spec.id];
        return style;
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, pointStyle(spec.id, feature.properties));
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return popupFor(spec.id, feature); });
      }
    });
    var overlay = L.layerGroup([geojson]);
    var layer = { spec: spec, geojson: geojson, overlay: overlay, controller: null, note: null };
    if (spec.id === "roads") {
      layer.stakes = L.layerGroup([], { pane: "stakes" });
      overlay.addLayer(layer.stakes);
    }
    layers[spec.id] = layer;
    overlays[spec.title] = overlay;
    if (spec.visible) overlay.addTo(map);
  });

  var narrow = window.matchMedia("(max-width: 899px)").matches;
  L.control.layers(baseLayers, overlays, { collapsed: narrow }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // ------------------------------------------------------------------ filters

  function readFilters() {
    var data = new FormData(form);
    var filters = {};
    ["road", "from", "to", "kind", "state"].forEach(function (name) {
      var value = (data.get(name) || "").trim();
      if (value) filters[name] = value;
    });
    return filters;
  }

  function fillForm(params) {
    ["road", "from", "to", "kind", "state"].forEach(function (name) {
      var field = form.elements[name];
      if (field && params.get(name)) field.value = params.get(name);
    });
  }

  var filters = {};

  function layerParams(spec) {
    var params = new URLSearchParams();
    if (filters.road) params.set("road", filters.road);
    if (spec.time && (filters.from || filters.to)) {
      params.set("datetime", (filters.from || "..") + "/" + (filters.to || ".."));
    }
    ["kind", "state"].forEach(function (name) {
      var value = filters[name];
      if (value && value.indexOf(spec.id + ":") === 0) params.set(name, value.slice(spec.id.length + 1));
    });
    return params;
  }

  function updateDownloads() {
    config.layers.forEach(function (spec) {
      var anchor = document.getElementById("download-" + spec.id);
      if (!anchor) return;
      var params = layerParams(spec);
      params.set("limit", String(config.downloadLimit));
      params.set("f", "json");
      anchor.href = spec.items + "?" + params.toString();
    });
  }

  // ------------------------------------------------------------------ loading by bbox

  var pending = 0;

  function setPending(change) {
    pending += change;
    mapEl.setAttribute("data-pending", String(pending));
  }

  function currentBbox() {
    var b = map.getBounds();
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)]
      .map(function (v) { return v.toFixed(6); }).join(",");
  }

  function showStatus() {
    statusEl.textContent = "";
    Object.keys(layers).forEach(function (id) {
      var note = layers[id].note;
      if (!note || !map.hasLayer(layers[id].overlay)) return;
      var span = document.createElement("span");
      span.textContent = note.text;
      if (note.problem) span.className = "problem";
      statusEl.appendChild(span);
    });
  }

  // A layer with more records than one answer carries is drawn from vector tiles below
  // config.tilesBelowZoom (window.inspectionTiles, tile_layer.js); GeoJSON from there on.
  var tilesApi = window.inspectionTiles;

  function usesTiles(layer) {
    return Boolean(tilesApi && window.protomapsL && layer.spec.tiles && layer.spec.many &&
      map.getZoom() < config.tilesBelowZoom);
  }

  function showTiles(layer) {
    var url = tilesApi.tileUrl(layer.spec.tiles, layerParams(layer.spec));
    if (layer.tiles && layer.tilesUrl !== url) {
      layer.overlay.removeLayer(layer.tiles);
      layer.tiles = null;
    }
    if (!layer.tiles) {
      layer.tiles = tilesApi.tileLayer(layer.spec.id, url, PANES[layer.spec.id]);
      layer.tilesUrl = url;
      layer.overlay.addLayer(layer.tiles);
    }
    layer.geojson.clearLayers();
    layer.note = null;
    mapEl.setAttribute("data-mode-" + layer.spec.id, "tiles");
    mapEl.setAttribute("data-loaded-" + layer.spec.id, "0");
    showStatus();
  }

  function hideTiles(layer) {
    if (layer.tiles) {
      layer.overlay.removeLayer(layer.tiles);
      layer.tiles = null;
    }
    if (layer.spec.tiles) mapEl.setAttribute("data-mode-" + layer.spec.id, "geojson");
  }

  function load(layer) {
    if (layer.controller) layer.controller.abort();
    if (!map.hasLayer(layer.overlay)) {
      layer.geojson.clearLayers();
      return;
    }
    if (usesTiles(layer)) {
      showTiles(layer);
      return;
    }
    hideTiles(layer);
    var controller = new AbortController();
    layer.controller = controller;
    var bbox = currentBbox();
    var params = layerParams(layer.spec);
    params.set("bbox", bbox);
    params.set("limit", String(config.limit));
    params.set("f", "json");
    setPending(1);
    fetch(layer.spec.items + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json" },
      signal: controller.signal
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        layer.geojson.clearLayers();
        layer.geojson.addData(data);
        mapEl.setAttribute("data-loaded-" + layer.spec.id, String(data.numberReturned));
        mapEl.setAttribute("data-bbox-" + layer.spec.id, bbox);
        layer.note = data.numberMatched > data.numberReturned ? {
          text: format(words.showing, {
            layer: layer.spec.title, shown: data.numberReturned, matched: data.numberMatched
          })
        } : null;
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        layer.note = { text: format(words.failed, { layer: layer.spec.title }), problem: true };
      })
      .finally(function () {
        if (layer.controller === controller) layer.controller = null;
        setPending(-1);
        showStatus();
      });
  }

  function loadStakes() {
    var roads = layers.roads;
    if (!roads) return;
    if (roads.stakeController) roads.stakeController.abort();
    if (!map.hasLayer(roads.overlay) || map.getZoom() < config.stakesFromZoom) {
      roads.stakes.clearLayers();
      mapEl.setAttribute("data-loaded-stakes", "0");
      return;
    }
    var controller = new AbortController();
    roads.stakeController = controller;
    var params = new URLSearchParams({ bbox: currentBbox() });
    setPending(1);
    fetch(config.stakes + "?" + params.toString(), { credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        roads.stakes.clearLayers();
        data.features.forEach(function (feature) {
          if (filters.road && feature.properties.road !== filters.road) return;
          var label = document.createElement("span");
          label.textContent = feature.properties.label;
          var icon = L.divIcon({ className: "stake-label", html: label, iconSize: null, iconAnchor: [-4, 8] });
          var c = feature.geometry.coordinates;
          L.marker([c[1], c[0]], { icon: icon, pane: "stakes", interactive: false, keyboard: false })
            .addTo(roads.stakes);
        });
        mapEl.setAttribute("data-loaded-stakes", String(data.features.length));
      })
      .catch(function () { /* labels are decoration: the roads are drawn without them */ })
      .finally(function () { setPending(-1); });
  }

  function refresh() {
    Object.keys(layers).forEach(function (id) { load(layers[id]); });
    loadStakes();
  }

  var timer = null;
  function refreshSoon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  }

  map.on("moveend", refreshSoon);
  map.on("overlayadd", function (event) {
    Object.keys(layers).forEach(function (id) {
      if (layers[id].overlay === event.layer) {
        load(layers[id]);
        if (id === "roads") loadStakes();
      }
    });
  });
  map.on("overlayremove", showStatus);
  // A dot of the tiles stands for many records: a tap on it zooms in towards them.
  map.on("click", function (event) {
    var onDot = Object.keys(layers).some(function (id) {
      var layer = layers[id];
      return layer.tiles && map.hasLayer(layer.overlay) && tilesApi.dotsAt(layer.tiles, event.latlng) > 0;
    });
    if (onDot) map.setView(event.latlng, Math.min(map.getZoom() + 2, config.tilesBelowZoom));
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    filters = readFilters();
    var query = new URLSearchParams(filters).toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    updateDownloads();
    refresh();
    if (narrow) panel.open = false;
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      filters = {};
      history.replaceState(null, "", location.pathname);
      updateDownloads();
      refresh();
    }, 0);
  });

  // ------------------------------------------------------------------ locate me

  var here = L.layerGroup().addTo(map);
  if (navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      statusEl.textContent = words.locating;
      map.locate({ setView: true, maxZoom: 16, enableHighAccuracy: true, timeout: 15000 });
    });
  }
  map.on("locationfound", function (event) {
    here.clearLayers();
    L.circle(event.latlng, { radius: event.accuracy, color: "#1f6fd1", weight: 1, fillOpacity: 0.1 }).addTo(here);
    L.circleMarker(event.latlng, { radius: 8, color: "#fff", weight: 3, fillColor: "#1f6fd1", fillOpacity: 1 })
      .addTo(here);
    mapEl.setAttribute("data-located", event.latlng.lng.toFixed(6) + "," + event.latlng.lat.toFixed(6));
    statusEl.textContent = "";
    var span = document.createElement("span");
    span.textContent = format(words.located, { metres: Math.round(event.accuracy) });
    statusEl.appendChild(span);
  });
  map.on("locationerror", function () {
    statusEl.textContent = "";
    var span = document.createElement("span");
    span.className = "problem";
    span.textContent = words.locate_failed;
    statusEl.appendChild(span);
  });

  // ------------------------------------------------------------------ start

  if (narrow) panel.open = false;
  panel.addEventListener("toggle", function () { map.invalidateSize(); });
  fillForm(new URLSearchParams(location.search));
  filters = readFilters();
  updateDownloads();
  setPending(0);
  if (config.bounds) {
    map.fitBounds([[config.bounds[1], config.bounds[0]], [config.bounds[3], config.bounds[2]]], { padding: [16, 16] });
  } else {
    map.setView([36, 104], 4);
  }
  refreshSoon();
})();
