// The proposal's map: the city's districts drawn from the platform's own boundaries (no tile server),
// the proposed sites as numbered markers coloured by score; sites no longer on offer are grey.
(function () {
  const box = document.getElementById("proposal-map");
  const dataNode = document.getElementById("proposal-map-data");
  if (!box || !dataNode || !window.L) return;
  const escapeHTML = window.zhaoshang.escapeHTML; // Leaflet sets a tooltip's string as HTML
  const data = JSON.parse(dataNode.textContent);
  const map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  const colour = (site) => (!site.available ? "#9aa0ac" : site.score >= 80 ? "#2fb344" : site.score >= 50 ? "#f59f00" : "#d63939");
  const markers = L.featureGroup().addTo(map);
  data.sites.forEach((site, index) => {
    if (site.lon == null || site.lat == null) return;
    const marker = L.circleMarker([site.lat, site.lon], {
      radius: 9,
      color: "#ffffff",
      weight: 2,
      fillColor: colour(site),
      fillOpacity: 0.95,
    });
    const label = `${index + 1}. ${site.name} (${site.reference}) · ${site.score}/100`;
    marker.bindTooltip(escapeHTML(label));
    marker.on("click", () => {
      const target = document.querySelector(`[data-testid="proposal-site"][data-reference="${CSS.escape(site.reference)}"]`);
      if (target) target.scrollIntoView({ behavior: "smooth", block: "start" });
    });
    marker.addTo(markers);
  });
  const fit = (districts) => {
    const bounds = markers.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 13 });
    else if (districts && districts.getBounds().isValid()) map.fitBounds(districts.getBounds());
    else map.setView([22.6, 113.0], 9);
  };
  fetch(data.regions)
    .then((response) => response.json())
    .then((collection) => {
      const lang = document.documentElement.lang;
      const districts = L.geoJSON(collection, {
        style: { color: "#206bc4", weight: 1, fillOpacity: 0.08 },
        onEachFeature: (feature, layer) =>
          layer.bindTooltip(escapeHTML((lang === "en" && feature.properties.name_en) || feature.properties.name), {
            sticky: true,
          }),
      }).addTo(map);
      districts.bringToBack();
      fit(districts);
    })
    .catch(() => fit(null));
})();
