/* Loa's charts: draws each <figure class="loa-chart"> from the JSON beside it with uPlot
   (vendored in vendor/uplot, MIT). Without JavaScript the table or SVG inside
   .loa-chart-fallback stays, so every figure can still be read.
   JSON: {"labels": [...], "height": 220, "series": [{"label", "values", "kind": "bars"|"line", "color"}]} */
(function () {
  "use strict";
  function draw(figure) {
    var source = figure.querySelector('script[type="application/json"]');
    var target = figure.querySelector(".loa-chart-canvas");
    if (!source || !target) return;
    var spec = JSON.parse(source.textContent);
    var xs = spec.labels.map(function (_label, i) { return i; });
    var bars = uPlot.paths.bars({ size: [0.7, 60] });
    var series = [{ label: spec.xLabel || "" }].concat(spec.series.map(function (s) {
      var isBars = s.kind === "bars";
      return {
        label: s.label,
        stroke: s.color || "#444",
        fill: isBars ? (s.fill || "rgba(120,120,120,0.55)") : undefined,
        width: isBars ? 1 : 2,
        paths: isBars ? bars : undefined,
        points: { show: !isBars },
        value: function (_u, v) { return v == null ? "—" : v.toLocaleString("vi-VN"); }
      };
    }));
    var options = {
      width: Math.max(280, Math.min(target.clientWidth || 640, 900)),
      height: spec.height || 220,
      scales: { x: { time: false } },
      series: series,
      axes: [
        { values: function (_u, splits) { return splits.map(function (v) { return spec.labels[v] || ""; }); } },
        {}
      ]
    };
    target.textContent = "";
    new uPlot(options, [xs].concat(spec.series.map(function (s) { return s.values; })), target);
    var fallback = figure.querySelector(".loa-chart-fallback");
    if (fallback) fallback.hidden = true;
    figure.classList.add("drawn");
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.uPlot) return;
    document.querySelectorAll("figure.loa-chart").forEach(function (figure) {
      try { draw(figure); } catch (error) { /* the fallback stays */ }
    });
  });
})();
