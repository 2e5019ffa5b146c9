/* The dashboard's charts (ECharts) and district map (Leaflet, the city's own boundaries: no tiles), drawn from the
   figures the page carries. Labels come translated with the data. Tooltips are HTML in both libraries: names of
   districts and chains go into them through escapeHTML. */
(function () {
  "use strict";
  var escapeHTML = window.zhaoshang.escapeHTML;
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var dark = !!document.querySelector(".dashboard-screen");
  var charts = [];

  function chart(id, option) {
    var element = document.getElementById(id);
    if (!element || !window.echarts) return;
    var instance = window.echarts.init(element, dark ? "dark" : null);
    if (dark) option.backgroundColor = "transparent";
    instance.setOption(option);
    charts.push(instance);
  }

  var count = data.trend.large_signed, amount = data.trend.large_signed_investment;
  chart("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 45, right: 45, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.labels.months },
    yAxis: [
      { type: "value", name: data.labels.count, minInterval: 1 },
      { type: "value", name: data.labels.amount, splitLine: { show: false } },
    ],
    series: [
      { type: "bar", name: data.labels.current + " " + data.labels.count, data: count.current },
      { type: "bar", name: data.labels.previous + " " + data.labels.count, data: count.previous, itemStyle: { opacity: 0.45 } },
      { type: "line", yAxisIndex: 1, name: data.labels.current + " " + data.labels.amount, data: amount.current },
      { type: "line", yAxisIndex: 1, name: data.labels.previous + " " + data.labels.amount, data: amount.previous, lineStyle: { type: "dashed" } },
    ],
  });

  var forward = data.funnel.filter(function (row) { return !row.aside; });
  chart("chart-funnel", {
    tooltip: { trigger: "item", formatter: function (item) { return escapeHTML(item.name + ": " + item.value); } },
    // The funnel takes the left half; each stage's name and count stand beside it on the right, in full (inside
    // the narrow lower stages, or outside a funnel as wide as the box, they were cut off).
    series: [{
      type: "funnel", sort: "none", minSize: "12%", left: 10, width: "48%", top: 10, bottom: 10,
      label: { position: "right", formatter: "{b} {c}", overflow: "none" },
      labelLine: { show: true, length: 12 },
      data: forward.map(function (row) { return { name: row.label, value: row.count }; }),
    }],
  });

  chart("chart-chains", {
    tooltip: {
      trigger: "item",
      formatter: function (item) { return escapeHTML(item.name + ": " + item.value + " (" + item.percent + "%)"); },
    },
    series: [{
      type: "pie", radius: ["35%", "70%"],
      data: data.chains.map(function (row) { return { name: row.label, value: row.count }; }),
    }],
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });

  var full = document.querySelector("[data-fullscreen]");
  if (full) full.addEventListener("click", function () {
    var target = document.getElementById("dashboard");
    if (target.requestFullscreen) target.requestFullscreen().then(function () { charts.forEach(function (c) { c.resize(); }); });
  });

  // The control-room screen shows the latest figures: it loads again every few minutes.
  var screen = document.querySelector("[data-refresh]");
  if (screen) window.setTimeout(function () { window.location.reload(); }, 1000 * Number(screen.dataset.refresh));

  var mapElement = document.getElementById("dashboard-map");
  if (mapElement && window.L) {
    var byAdcode = {};
    data.districts.forEach(function (row) { byAdcode[row.adcode] = row; });
    var top = Math.max.apply(null, data.districts.map(function (row) { return row.count; }).concat([1]));
    var opacity = function (count) { return 0.08 + 0.72 * (count / top); };
    var map = window.L.map(mapElement, { zoomControl: false, attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    // The legend: what the shades mean, from no project to the most in one district.
    var legend = window.L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = window.L.DomUtil.create("div", "dashboard-legend");
      box.setAttribute("data-testid", "map-legend");
      var title = window.L.DomUtil.create("div", "dashboard-legend-title", box);
      title.textContent = data.labels.count;
      var steps = top > 4 ? [0, Math.round(top / 4), Math.round(top / 2), Math.round(3 * top / 4), top] : [0, top];
      steps.filter(function (value, index) { return steps.indexOf(value) === index; }).forEach(function (value) {
        var row = window.L.DomUtil.create("div", "dashboard-legend-row", box);
        var swatch = window.L.DomUtil.create("span", "dashboard-legend-swatch", row);
        swatch.style.backgroundColor = "rgba(29, 111, 209, " + opacity(value).toFixed(2) + ")";
        var text = window.L.DomUtil.create("span", "", row);
        text.textContent = String(value);
      });
      return box;
    };
    legend.addTo(map);
    fetch(mapElement.dataset.regions, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geojson) {
      var layer = window.L.geoJSON(geojson, {
        style: function (feature) {
          var row = byAdcode[feature.properties.adcode];
          return { color: "#1d4f91", weight: 1, fillColor: "#1d6fd1", fillOpacity: opacity(row ? row.count : 0) };
        },
        onEachFeature: function (feature, shape) {
          var row = byAdcode[feature.properties.adcode];
          var name = feature.properties.name || "";
          // Each district shows its name and count on the map, always (its amount is in the ranking beside it).
          shape.bindTooltip(escapeHTML(name + " " + (row ? row.count : 0)), {
            permanent: true, direction: "center", className: "dashboard-map-label",
          });
          if (row && row.url) shape.on("click", function () { window.location.href = row.url; });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    });
  }
})();
