/* The graph view: fetch the selection's graph (same origin), lay it out, draw it with sigma.
 *
 * Case text (labels) only ever goes to sigma, which paints it on a canvas, or to
 * textContent: never into markup. A click on an account opens its page. */
(function () {
  "use strict";

  var box = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  var STEPS = 200; // ForceAtlas2 iterations in all
  var FRAME_MS = 30; // ... run for this long per animation frame, so the page stays responsive

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function layOut(graph) {
    var library = window.graphologyLibrary;
    var forceAtlas2 = library && library.layoutForceAtlas2;
    if (!forceAtlas2) {
      say("Drawn without a layout: the layout library is missing.");
      return;
    }
    var settings = forceAtlas2.inferSettings(graph);
    settings.barnesHutOptimize = graph.order > 400;
    var done = 0;
    function step() {
      var start = window.performance.now();
      while (done < STEPS && window.performance.now() - start < FRAME_MS) {
        forceAtlas2.assign(graph, { iterations: 1, settings: settings });
        done += 1;
      }
      if (done < STEPS) {
        window.requestAnimationFrame(step);
      } else {
        say("");
      }
    }
    window.requestAnimationFrame(step);
  }

  function draw(data) {
    var graph = new window.graphology.DirectedGraph();
    data.nodes.forEach(function (node) {
      graph.addNode(node.id, {
        label: node.label,
        x: node.x,
        y: node.y,
        size: node.size,
        color: node.color,
        forceLabel: node.id === data.focus
      });
    });
    data.edges.forEach(function (edge) {
      if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) {
        graph.mergeDirectedEdge(edge.source, edge.target, {
          size: Math.min(1 + Math.log(edge.weight), 5),
          color: "#c5cbd3"
        });
      }
    });
    if (graph.order === 0) {
      say("No interactions in this selection.");
      return;
    }
    var renderer = new window.Sigma(graph, box, {
      defaultEdgeType: "arrow",
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 7
    });
    renderer.on("clickNode", function (event) {
      window.location.assign("/account/" + encodeURIComponent(event.node));
    });
    renderer.on("enterNode", function () {
      box.classList.add("pointing");
    });
    renderer.on("leaveNode", function () {
      box.classList.remove("pointing");
    });
    say("Laying out " + graph.order + " accounts and " + graph.size + " ties…");
    layOut(graph);
  }

  if (!box || !window.Sigma || !window.graphology) {
    return;
  }
  fetch(box.getAttribute("data-src"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("the server answered " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      try {
        draw(data);
      } catch (error) {
        // No WebGL (an old browser, a locked-down machine): say so rather than fail quietly.
        say("The graph could not be drawn here: " + error.message);
      }
    })
    .catch(function (error) {
      say("The graph could not be loaded: " + error.message);
    });
})();
