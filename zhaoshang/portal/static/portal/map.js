// The public investment map and the small maps of park and site pages.
// The base layer is the city's own district boundaries (served by this site), so the map works with no network;
// an online tile layer, when configured, is an optional layer the visitor can switch on.
(function () {
  "use strict";
  if (!window.L) return;
  const escapeHTML = window.zhaoshang.escapeHTML; // Leaflet sets a tooltip's string as HTML

  const KIND_COLOURS = { parcel: "#2fb344", factory: "#f76707", office: "#206bc4" };
  const REGION_STYLE = { color: "#7a8799", weight: 1.2, fillColor: "#dfe7f0", fillOpacity: 0.55 };
  const PARK_STYLE = { color: "#ae3ec9", weight: 2, fillColor: "#ae3ec9", fillOpacity: 0.12 };

  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value !== undefined && value !== null) node.setAttribute(key, value);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? String(values[key]) : match));
  }

  function number(value, digits) {
    return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits === undefined ? 2 : digits });
  }

  function regionLayer(map, url, english) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((data) => {
        const layer = L.geoJSON(data, {
          style: REGION_STYLE,
          interactive: false,
          onEachFeature: (feature, shape) => {
            const props = feature.properties || {};
            shape.bindTooltip(escapeHTML((english && props.name_en) || props.name), {
              permanent: true,
              direction: "center",
              className: "portal-region-label",
            });
          },
        });
        layer.addTo(map);
        layer.bringToBack();
        return layer;
      });
  }

  function siteStyle(props, selected) {
    const colour = KIND_COLOURS[props.kind] || "#667382";
    return {
      radius: selected ? 10 : 6,
      color: selected ? "#1d273b" : "#fff",
      weight: selected ? 3 : 1.5,
      fillColor: colour,
      fillOpacity: props.availability === "reserved" ? 0.5 : 0.9,
      dashArray: props.stale ? "3 3" : null,
    };
  }

  // ---- the full-screen map ------------------------------------------------------------------------------

  function investmentMap(box) {
    const config = readJSON("map-config");
    const text = config.text;
    const english = config.lang === "en";
    const form = document.getElementById("map-filter-form");
    const list = document.getElementById("map-list");
    const count = document.getElementById("map-count");
    const chips = Array.from(document.querySelectorAll(".portal-chip"));

    const map = L.map(box, { preferCanvas: true, zoomSnap: 0.25, attributionControl: Boolean(config.tiles) });
    if (config.bounds) map.fitBounds(config.bounds);
    else map.setView([0, 0], 2);

    const parks = L.geoJSON(null, {
      style: PARK_STYLE,
      onEachFeature: (feature, shape) => {
        const props = feature.properties;
        const name = (english && props.name_en) || props.name;
        shape.bindTooltip(escapeHTML(name), { sticky: true });
        const link = el("a", { href: props.url }, name);
        shape.bindPopup(link);
      },
    }).addTo(map);
    const sites = L.layerGroup().addTo(map);
    const markers = new Map();
    let selectedId = null;

    const overlays = {};
    overlays[text.parks] = parks;
    overlays[text.sites] = sites;
    if (config.tiles) {
      const tiles = L.tileLayer(config.tiles, { attribution: config.tilesAttribution, maxZoom: 19 });
      overlays[text.online] = tiles;
      tiles.on("add", () => tiles.bringToBack());
    }
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);

    let fitToSites = Boolean(form.elements.park); // a park's "sites on the map" link shows them all
    regionLayer(map, config.regions, english)
      .then((layer) => {
        const bounds = layer.getBounds();
        if (!config.bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
      })
      .catch(() => {});

    function filterParams() {
      const params = new URLSearchParams();
      new FormData(form).forEach((value, key) => {
        if (String(value).trim() !== "") params.append(key, value);
      });
      return params;
    }

    // The box asked of the server: the view widened to a grid whose cells are a quarter to half the view's size.
    // Views close to each other ask the same box (its answer is kept for every visitor), and a small move asks
    // nothing: the sites already received are shown again, those in view.
    function bboxParam() {
      const b = map.getBounds();
      const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
      const span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth(), 1e-4);
      const cell = Math.pow(2, Math.floor(Math.log2(span / 2)));
      const down = (v) => Math.floor(v / cell) * cell;
      const up = (v) => Math.ceil(v / cell) * cell;
      return [
        clamp(down(b.getWest()), -180, 180),
        clamp(down(b.getSouth()), -90, 90),
        clamp(up(b.getEast()), -180, 180),
        clamp(up(b.getNorth()), -90, 90),
      ]
        .map((v) => v.toFixed(5))
        .join(",");
    }

    let controller = null;
    let timer = null;
    let asked = null; // the last query sent (filters and box) and its answer
    let answer = null;

    function scheduleLoad() {
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    }

    function load() {
      const params = filterParams();
      const query = params.toString();
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
      params.set("bbox", bboxParam());
      if (params.toString() === asked) {
        if (answer) showSites(answer);
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      asked = params.toString();
      answer = null;
      const options = { signal: controller.signal, headers: { Accept: "application/json" } };
      const getJSON = (url) =>
        fetch(`${url}?${params}`, options).then((response) => (response.ok ? response.json() : Promise.reject(response)));
      getJSON(config.sites)
        .then((data) => {
          answer = data;
          showSites(data);
        })
        .catch((error) => {
          if (error && error.name === "AbortError") return;
          asked = null;
          count.textContent = text.error;
        });
      getJSON(config.parks)
        .then((data) => {
          parks.clearLayers();
          parks.addData(data);
        })
        .catch(() => {});
    }

    function describe(props) {
      const parts = [props.reference, props.district];
      if (props.area_mu !== null) parts.push(`${number(props.area_mu)} ${text.mu}`);
      else if (props.floor_area_m2 !== null) parts.push(`${number(props.floor_area_m2, 0)} ${text.m2}`);
      if (props.land_price !== null) parts.push(`${number(props.land_price)} ${text.landPrice}`);
      if (props.rent !== null) parts.push(`${number(props.rent)} ${text.rent}`);
      parts.push(config.availability[props.availability] || props.availability);
      if (props.stale) parts.push(text.stale);
      return parts.filter(Boolean).join(" · ");
    }

    function showSites(data) {
      sites.clearLayers();
      markers.clear();
      list.replaceChildren();
      const view = map.getBounds();
      const features = (data.features || []).filter((feature) => {
        const [lon, lat] = feature.geometry.coordinates;
        return view.contains([lat, lon]);
      });
      const fragment = document.createDocumentFragment();
      features.forEach((feature) => {
        const props = feature.properties;
        const [lon, lat] = feature.geometry.coordinates;
        const name = (english && props.name_en) || props.name;
        const marker = L.circleMarker([lat, lon], siteStyle(props, props.id === selectedId));
        marker.feature = feature;
        marker.bindTooltip(escapeHTML(name));
        marker.on("click", () => select(props.id, true));
        marker.addTo(sites);
        markers.set(props.id, marker);

        const item = el("li", { "data-id": props.id, tabindex: "0" });
        const title = el("div");
        title.append(el("span", { class: `portal-kind portal-kind-${props.kind}`, title: config.kinds[props.kind] }), " ");
        title.append(el("a", { href: data.url_template.replace("{id}", props.id), class: "fw-bold" }, name));
        item.append(title, el("div", { class: "portal-item-meta" }, describe(props)));
        // the compare tray's toggle (portal/compare.js labels it and keeps its state)
        item.append(
          el("button", {
            type: "button",
            class: "btn btn-sm btn-outline-primary mt-1",
            "data-compare-toggle": props.id,
            "data-compare-name": name,
            "data-testid": "compare-toggle",
          }, text.compare),
        );
        if (props.id === selectedId) item.classList.add("selected");
        fragment.append(item);
      });
      list.append(fragment);
      if (window.zhaoshang.compare) window.zhaoshang.compare.sync(list);
      if (data.truncated) {
        count.textContent = format(text.truncated, { shown: features.length, count: data.total });
      } else if (features.length) {
        count.textContent = format(text.inView, { count: features.length });
      } else {
        count.textContent = text.none;
      }
      if (fitToSites && features.length) {
        fitToSites = false;
        map.fitBounds(sites.getLayers().map((m) => m.getLatLng()), { padding: [24, 24], maxZoom: 15 });
      }
    }

    function select(id, fromMap) {
      if (selectedId !== null && markers.has(selectedId)) {
        const old = markers.get(selectedId);
        old.setStyle(siteStyle(old.feature.properties, false));
      }
      list.querySelectorAll("li.selected").forEach((node) => node.classList.remove("selected"));
      selectedId = id;
      const marker = markers.get(id);
      if (marker) {
        marker.setStyle(siteStyle(marker.feature.properties, true));
        marker.bringToFront();
        marker.openTooltip();
      }
      const item = list.querySelector(`li[data-id="${id}"]`);
      if (item) {
        item.classList.add("selected");
        if (fromMap) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    }

    list.addEventListener("click", (event) => {
      const item = event.target.closest("li[data-id]");
      if (item && !event.target.closest("a, button")) select(Number(item.dataset.id), false);
    });
    list.addEventListener("keydown", (event) => {
      const item = event.target.closest("li[data-id]");
      if (item && (event.key === "Enter" || event.key === " ") && !event.target.closest("a, button")) {
        event.preventDefault();
        select(Number(item.dataset.id), false);
      }
    });

    function syncChips() {
      const chain = form.elements.chain ? form.elements.chain.value : "";
      chips.forEach((chip) => {
        const active = chip.dataset.chain === chain;
        chip.classList.toggle("active", active);
        chip.setAttribute("aria-pressed", active ? "true" : "false");
      });
    }

    chips.forEach((chip) =>
      chip.addEventListener("click", () => {
        if (!form.elements.chain) return;
        form.elements.chain.value = form.elements.chain.value === chip.dataset.chain ? "" : chip.dataset.chain;
        syncChips();
        load();
      }),
    );

    form.addEventListener("change", () => {
      syncChips();
      scheduleLoad();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load();
      const drawer = document.getElementById("map-filters");
      const bs = window.bootstrap || window.tabler; // Tabler's bundle exposes Bootstrap's components as window.tabler
      if (bs && drawer && drawer.classList.contains("show")) {
        bs.Offcanvas.getOrCreateInstance(drawer).hide();
      }
    });
    document.getElementById("map-filter-reset").addEventListener("click", (event) => {
      event.preventDefault();
      form.reset();
      Array.from(form.elements).forEach((field) => {
        if (field.type === "checkbox") field.checked = false;
        else if (field.type !== "submit" && field.type !== "button") field.value = "";
      });
      syncChips();
      load();
    });

    map.on("moveend", scheduleLoad);
    load();
  }

  // ---- small maps of park and site pages ----------------------------------------------------------------

  function miniMap(box) {
    const data = readJSON(box.dataset.source) || {};
    const map = L.map(box, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
    map.setView(data.centre || [0, 0], data.centre ? 13 : 2); // a view before any shape (Leaflet clips to it)
    const bounds = L.latLngBounds([]);
    const addShape = (geometry, style) => {
      if (!geometry) return;
      const layer = L.geoJSON(geometry, { style }).addTo(map);
      bounds.extend(layer.getBounds());
    };
    addShape(data.park, PARK_STYLE);
    addShape(data.boundary, data.point ? { color: "#2fb344", weight: 2, fillOpacity: 0.25 } : PARK_STYLE);
    const points = (data.sites || []).concat(data.point ? [data.point] : []);
    points.forEach((point) => {
      const marker = L.circleMarker([point.lat, point.lon], siteStyle({ kind: point.kind }, Boolean(data.point)));
      marker.bindTooltip(escapeHTML(point.name));
      if (!data.point) marker.on("click", () => (location.href = point.url));
      marker.addTo(map);
      bounds.extend(marker.getLatLng());
    });
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 15 });
    if (box.dataset.regions) regionLayer(map, box.dataset.regions, document.documentElement.lang === "en").catch(() => {});
  }

  const full = document.getElementById("portal-map");
  if (full) investmentMap(full);
  document.querySelectorAll(".portal-minimap").forEach(miniMap);
})();
