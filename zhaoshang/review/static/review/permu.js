/* The per-mu evaluation's bar chart of enterprises by class, drawn with ECharts from the figures the page carries. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("permu-chart-data").textContent);
  var element = document.getElementById("permu-chart");
  if (!element || !window.echarts) return;
  var chart = window.echarts.init(element);
  chart.setOption({
    grid: { left: 40, right: 10, top: 10, bottom: 30 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", minInterval: 1, name: data.title },
    series: [{ type: "bar", name: data.title, data: data.counts, label: { show: true, position: "top" } }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
