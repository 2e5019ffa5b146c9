/* Histograms of the speed page, drawn with ECharts from the figures the page carries (labels come translated). */
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("speed-charts").textContent);
  var labels = JSON.parse(document.getElementById("speed-labels").textContent);
  var drawn = [];
  charts.forEach(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element || !window.echarts) return;
    var instance = window.echarts.init(element);
    instance.setOption({
      grid: { left: 40, right: 10, top: 10, bottom: 40 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: chart.bins, name: labels.days, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", minInterval: 1, name: labels.projects },
      series: [{ type: "bar", name: labels.projects, data: chart.counts }],
    });
    drawn.push(instance);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
