// Charts of the new path against the legacy path (uPlot), read from /ui/rollouts/{key}/metrics:
// the same series as GET /api/v1/rollouts/{key}/metrics. Thresholds come from the page (data-thresholds),
// step changes from the series; both are drawn as lines. Redrawn whenever the live part of the page changes.
(function () {
  "use strict";
  var section = document.getElementById("charts");
  if (!section || typeof uPlot === "undefined") {
    return;
  }
  var key = section.getAttribute("data-rollout");
  var MIB = 1024 * 1024;
  var scale = {
    errorRate: function (v) { return v * 100; },
    memoryBytes: function (v) { return v / MIB; }
  };
  var charts = [];

  function scaled(metric, values) {
    var f = scale[metric];
    return f ? values.map(function (v) { return v === null ? null : f(v); }) : values;
  }

  function marks(steps, thresholds) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.strokeStyle = "#942514";
          ctx.fillStyle = "#942514";
          ctx.font = (11 * devicePixelRatio) + "px system-ui, sans-serif";
          thresholds.forEach(function (t) {
            var y = u.valToPos(t.value, "y", true);
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) {
              return;
            }
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.fillText(t.label, u.bbox.left + 4, y - 4);
          });
          ctx.setLineDash([]);
          ctx.strokeStyle = "#505a5f";
          ctx.fillStyle = "#0b0c0c";
          steps.forEach(function (s) {
            var x = u.valToPos(Date.parse(s.at) / 1000, "x", true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) {
              return;
            }
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillText(s.event.replace("rollout.", "") + (s.step ? " → " + s.step + " " + s.percentage + "%" : ""), x + 3, u.bbox.top + 12);
          });
          ctx.restore();
        }]
      }
    };
  }

  function draw(data) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var thresholds = JSON.parse(section.getAttribute("data-thresholds") || "{}");
    section.querySelectorAll(".chart").forEach(function (el) {
      var metric = el.getAttribute("data-metric");
      el.textContent = "";
      var title = document.createElement("p");
      title.className = "chart-title";
      title.textContent = el.getAttribute("data-title");
      el.appendChild(title);
      var limits = (thresholds[metric] || []).map(function (t) {
        return { label: t.label, value: scale[metric] ? scale[metric](t.value) : t.value };
      });
      var width = Math.max(280, Math.min(el.clientWidth || 800, 1100));
      charts.push(new uPlot({
        width: width,
        height: 220,
        plugins: [marks(data.steps, limits)],
        scales: { x: { time: true } },
        series: [
          {},
          { label: "new path", stroke: "#1d70b8", width: 2, spanGaps: false },
          { label: "legacy path", stroke: "#505a5f", width: 2, dash: [4, 4], spanGaps: false }
        ]
      }, [data.timestamps, scaled(metric, data.paths["new"][metric]), scaled(metric, data.paths.legacy[metric])], el));
    });
  }

  var pending = null;
  function load() {
    fetch("/ui/rollouts/" + encodeURIComponent(key) + "/metrics", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function () { section.querySelector(".hint").textContent = "The charts could not be loaded; reload the page to try again."; });
  }

  // The only swap on this page is its live part, replaced when the rollout changed.
  document.body.addEventListener("htmx:afterSwap", function () {
    clearTimeout(pending);
    pending = setTimeout(load, 500);
  });
  load();
})();
