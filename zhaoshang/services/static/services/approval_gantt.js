/* An approval plan's Gantt chart (ECharts custom series): one row per item, the planned span as a light bar, the
   actual span (applied → decided, or → today) as a dark bar below it, the paused spans hatched over the actual bar,
   and vertical lines at signing, land supply, construction start and the cap's due date. The table under the chart
   gives the same facts in words. Names go into tooltips through escapeHTML. */
(function () {
  "use strict";
  var element = document.getElementById("approval-gantt");
  var source = document.getElementById("approval-gantt-data");
  if (!element || !source || !window.echarts) return;
  var escapeHTML = (window.zhaoshang && window.zhaoshang.escapeHTML) || function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  var data = JSON.parse(source.textContent);
  var rows = data.rows;
  element.style.height = Math.max(260, rows.length * 34 + 110) + "px";
  var DAY = 86400000;

  function time(text) { return new Date(text + "T00:00:00").getTime(); }

  function hatch(colour) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff7e0";
    context.fillRect(0, 0, 8, 8);
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(0, 8);
    context.lineTo(8, 0);
    context.stroke();
    return { image: canvas, repeat: "repeat", imageWidth: 8, imageHeight: 8 };
  }

  var bars = [];
  rows.forEach(function (row, index) {
    bars.push({ value: [index, time(row.planned[0]), time(row.planned[1]) + DAY, 0], row: row, kind: "planned" });
    if (row.actual) {
      bars.push({ value: [index, time(row.actual[0]), time(row.actual[1]) + DAY, 1], row: row, kind: "actual" });
    }
    row.paused.forEach(function (span) {
      bars.push({ value: [index, time(span[0]), time(span[1]) + DAY, 2], row: row, kind: "paused", reason: span[2] });
    });
  });
  var styles = {
    planned: { fill: "#cfe2ff", stroke: "#6c8ebf" },
    actual: { fill: "#1f4e8c", stroke: "#1f4e8c" },
    paused: { fill: hatch("#b26a00"), stroke: "#b26a00" }
  };

  function renderItem(params, api) {
    var index = api.value(0);
    var start = api.coord([api.value(1), index]);
    var end = api.coord([api.value(2), index]);
    var band = api.size([0, 1])[1];
    var half = band * 0.36;
    var kind = bars[params.dataIndex].kind;
    var y = kind === "planned" ? start[1] - half : start[1];
    var shape = echarts.graphic.clipRectByRect(
      { x: start[0], y: y, width: Math.max(end[0] - start[0], 2), height: half },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
    );
    if (!shape) return null;
    return { type: "rect", shape: shape, style: { fill: styles[kind].fill, stroke: styles[kind].stroke, lineWidth: 1 } };
  }

  var lines = data.markers.map(function (marker) {
    return { xAxis: time(marker.date), name: marker.label, label: { formatter: marker.label } };
  });
  lines.push({ xAxis: time(data.today), name: data.labels.today || "", lineStyle: { type: "dotted", color: "#999" }, label: { show: false } });

  var chart = echarts.init(element);
  chart.setOption({
    animation: false,
    grid: { left: 200, right: 40, top: 40, bottom: 40 },
    tooltip: {
      formatter: function (params) {
        var bar = bars[params.dataIndex];
        if (!bar) return escapeHTML(params.name || "");
        var label = data.labels[bar.kind] + (bar.reason ? " · " + bar.reason : "");
        var from = new Date(bar.value[1]).toISOString().slice(0, 10);
        var to = new Date(bar.value[2] - DAY).toISOString().slice(0, 10);
        return escapeHTML(bar.row.name) + "<br>" + escapeHTML(bar.row.department) + "<br>" + escapeHTML(label) + ": " + from + " – " + to;
      }
    },
    xAxis: { type: "time", position: "top", splitLine: { show: true, lineStyle: { color: "#eee" } } },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map(function (row) { return row.name; }),
      axisLabel: { width: 180, overflow: "truncate" }
    },
    series: [{
      type: "custom",
      renderItem: renderItem,
      encode: { x: [1, 2], y: 0 },
      data: bars,
      markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#c62828" }, label: { position: "end" }, data: lines }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  chart.on("click", function (params) {
    var bar = bars[params.dataIndex];
    if (bar && bar.row.url) window.location.href = bar.row.url;
  });
})();
