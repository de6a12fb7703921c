// The dashboard's two charts (data from the page's json_script "figure-charts"): a line per
// figure by month, and the units side by side as bars. Suppressed values are gaps (null).
(function () {
  "use strict";
  var source = document.getElementById("figure-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1b4f9c", "#c0392b", "#1e7d32", "#7b3fa0"];
  var text = { fontSize: 16, color: "#111" };

  function options(chart, kind) {
    return {
      color: colours,
      animation: false,
      textStyle: text,
      tooltip: { trigger: "axis", textStyle: { fontSize: 16 } },
      legend: { top: 0, textStyle: text },
      grid: { left: 48, right: 16, top: 64, bottom: 72, containLabel: true },
      xAxis: { type: "category", data: chart.groups, axisLabel: { fontSize: 14, color: "#111", rotate: chart.groups.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 14, color: "#111" } },
      series: chart.series.map(function (s) {
        return { name: s.name, type: kind, data: s.data, connectNulls: false, symbolSize: 8,
                 lineStyle: { width: 3 }, barMaxWidth: 36 };
      })
    };
  }

  function draw(id, chart, kind) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var instance = echarts.init(el, null, { renderer: "svg" });
    instance.setOption(options(chart, kind));
    window.addEventListener("resize", function () { instance.resize(); });
  }

  draw("trend-chart", data.trend, "line");
  draw("units-chart", data.units, "bar");
}());
