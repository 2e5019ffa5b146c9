// Draws a region and its sub-regions from the platform's own boundaries: no tile server needed.
(function () {
  const box = document.getElementById("region-map");
  if (!box || !window.L) return;
  const escapeHTML = window.zhaoshang.escapeHTML; // Leaflet sets a tooltip's string as HTML
  const map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  const style = { color: "#206bc4", weight: 1.5, fillOpacity: 0.12 };
  Promise.all([fetch(box.dataset.self).then((r) => r.json()), fetch(box.dataset.geojson).then((r) => r.json())]).then(
    ([self, children]) => {
      const outline = L.geoJSON(self, { style: { color: "#1d273b", weight: 2, fill: false } }).addTo(map);
      L.geoJSON(children, {
        style,
        onEachFeature: (feature, layer) => layer.bindTooltip(escapeHTML(feature.properties.name), { sticky: true }),
      }).addTo(map);
      const bounds = outline.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
      else map.setView([22.6, 113.0], 8);
    },
  );
})();
