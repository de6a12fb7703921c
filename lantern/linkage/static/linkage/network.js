/* Draws a network (linkage.selectors.graph) with Cytoscape.js, served from this site.
   The data comes from a <script type="application/json"> block (no inline code: the
   Content-Security-Policy allows local script files only). A case node one may open is
   a link; a hidden case is drawn grey, with its unit only. */
(function () {
  "use strict";
  var COLOURS = {case: "#2f4858", hidden: "#9aa5b1", person: "#8a4b00", identifier: "#1e6b3a"};
  function draw(box) {
    var data = JSON.parse(document.getElementById(box.dataset.graph).textContent);
    var elements = data.nodes.map(function (n) {
      var kind = n.type === "case" && n.case_id === null ? "hidden" : n.type;
      var label = n.type === "case" && n.state_label ? n.label + "\n" + n.state_label + " · " + n.unit : n.label;
      return {data: {id: n.id, label: label, kind: kind, href: n.case_id ? box.dataset.caseUrl.replace("999999999", n.case_id) : ""}};
    }).concat(data.edges.map(function (e, i) {
      return {data: {id: "e" + i, source: e.source, target: e.target, kind: e.kind}};
    }));
    var cy = cytoscape({
      container: box, elements: elements, wheelSensitivity: 0.3,
      layout: {name: "cose", animate: false, padding: 20, nodeRepulsion: 9000},
      style: [
        {selector: "node", style: {"label": "data(label)", "font-size": 11, "text-wrap": "wrap",
          "text-max-width": 150, "text-valign": "bottom", "text-margin-y": 4, "color": "#1d2733",
          "background-color": function (n) { return COLOURS[n.data("kind")]; }, "width": 18, "height": 18}},
        {selector: "node[kind = 'case'], node[kind = 'hidden']", style: {"shape": "round-rectangle", "width": 28, "height": 20}},
        {selector: "node[kind = 'identifier']", style: {"shape": "diamond"}},
        {selector: "edge", style: {"width": 1.5, "line-color": "#b8c2cc", "curve-style": "bezier"}},
        {selector: "edge[kind = 'person_match']", style: {"line-style": "dashed", "line-color": "#8a4b00"}}
      ]
    });
    box.dataset.drawnNodes = cy.nodes().length;  // what was drawn, for tests and curious readers
    cy.on("tap", "node", function (evt) {
      var href = evt.target.data("href");
      if (href) { window.location.href = href; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-graph]").forEach(draw);
  });
})();
