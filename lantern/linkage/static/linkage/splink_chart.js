// Renders every Splink chart on the page: an element with data-splink-chart names the
// json_script element that holds its Vega-Lite spec (linkage/_splink_chart.html). The
// expression interpreter keeps Vega from generating code, which the CSP forbids.
(function () {
  "use strict";
  function render(el) {
    var source = document.getElementById(el.dataset.splinkChart);
    if (!source || el.dataset.rendered) { return; }
    el.dataset.rendered = "1";
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(el, spec, {ast: true, expr: window.vega.expressionInterpreter, actions: false,
                                renderer: "svg"}).catch(function (err) {
      el.textContent = el.dataset.failed || "The chart could not be drawn.";
      console.error(err);
    });
  }
  function renderAll() { document.querySelectorAll("[data-splink-chart]").forEach(render); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", renderAll); }
  else { renderAll(); }
  document.addEventListener("htmx:afterSettle", renderAll);  // charts in partials swapped in later
})();
