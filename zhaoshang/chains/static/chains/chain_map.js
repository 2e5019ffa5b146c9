/* A chain's map (ECharts graph): three columns upstream, midstream, downstream; each segment a labelled group, each
   node a circle sized by its local enterprises, coloured and patterned by its strength (filled: strong, striped:
   weak, hollow and dashed: gap) and named with the strength in its label. Clicking a node opens its page. Names go
   into tooltips through escapeHTML. */
(function () {
  "use strict";
  var escapeHTML = window.zhaoshang.escapeHTML;
  var element = document.getElementById("chain-graph");
  var data = JSON.parse(document.getElementById("chain-graph-data").textContent);
  if (!element || !window.echarts) return;
  var colours = { strong: "#2f7d32", weak: "#b26a00", gap: "#c62828" };

  function stripes(colour) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    var context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, 8, 8);
    context.strokeStyle = colour;
    context.lineWidth = 3;
    context.beginPath();
    context.moveTo(0, 8);
    context.lineTo(8, 0);
    context.stroke();
    return { image: canvas, repeat: "repeat" };
  }

  var width = element.clientWidth || 600;
  var column = width / 3;
  var rows = [0.5, 0.5, 0.5];
  var nodes = [];
  var links = [];
  data.segments.forEach(function (segment) {
    var x = column * segment.position + column / 2;
    var y = 40 + rows[segment.position] * 70;
    rows[segment.position] += 1;
    var segmentId = "s" + segment.id;
    nodes.push({
      id: segmentId, name: segment.name, x: x, y: y, symbol: "roundRect", symbolSize: [column - 30, 28],
      itemStyle: { color: "#e9ecef", borderColor: "#6c757d" }, label: { show: true, color: "#1d273b" }, segment: true,
    });
    segment.nodes.forEach(function (node) {
      rows[segment.position] += 1;
      var ny = 40 + rows[segment.position] * 70;
      var colour = colours[node.strength];
      var style = { color: colour, borderColor: colour, borderWidth: 2 };
      if (node.strength === "weak") style.color = stripes(colour);
      if (node.strength === "gap") { style.color = "#ffffff"; style.borderType = "dashed"; }
      nodes.push({
        id: "n" + node.id, name: node.name, x: x, y: ny, value: node.enterprises, url: node.url, figures: node,
        symbolSize: 18 + Math.min(40, Math.sqrt(node.enterprises) * 6), itemStyle: style,
        label: { show: true, position: "bottom", formatter: node.name + " · " + node.strength_label },
      });
      links.push({ source: segmentId, target: "n" + node.id });
    });
    rows[segment.position] += 0.5;
  });
  var height = Math.max(380, 80 + Math.max.apply(null, rows) * 70);
  // Two invisible corners: ECharts fits a graph's bounding box to the view, so the columns keep their places.
  [[0, 0], [width, height]].forEach(function (corner, index) {
    nodes.push({
      id: "corner" + index, name: "", x: corner[0], y: corner[1], symbolSize: 0, label: { show: false },
      tooltip: { show: false }, silent: true,
    });
  });
  element.style.height = height + "px";
  var chart = window.echarts.init(element);
  chart.setOption({
    aria: { enabled: true },
    title: data.positions.map(function (position, index) {
      return { text: position.label, left: column * index + 10, top: 0, textStyle: { fontSize: 14 } };
    }),
    tooltip: {
      formatter: function (item) {
        if (!item.data || !item.data.figures) return escapeHTML(item.name || "");
        var f = item.data.figures;
        return escapeHTML(f.name) + "<br>" + escapeHTML(f.strength_label) + "<br>" + escapeHTML(String(f.enterprises))
          + " · " + escapeHTML(String(f.output)) + " · " + escapeHTML(String(f.projects));
      },
    },
    series: [{
      type: "graph", layout: "none", roam: true, left: 0, top: 0, right: 0, bottom: 0, data: nodes, links: links,
      lineStyle: { color: "#adb5bd" },
    }],
  });
  chart.on("click", function (item) {
    if (item.data && item.data.url) window.location.href = item.data.url;
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
