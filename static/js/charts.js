/* Draws every <canvas data-chart-source="id"> from the JSON in <script id="id"> (no inline script: CSP). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  document.querySelectorAll("canvas[data-chart-source]").forEach(function (canvas) {
    var data = readData(canvas.dataset.chartSource);
    if (!data) { return; }
    if (data.series) {
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (s) {
            return { label: s.label, data: s.values, tension: 0.2, spanGaps: true };
          })
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          scales: { y: { min: 0, max: 100, title: { display: true, text: "Readiness %" } } }
        }
      });
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Assessed level", data: data.current },
          { label: "Target level", data: data.target }
        ]
      },
      options: {
        indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { min: 0, max: 4, ticks: { stepSize: 1 }, title: { display: true, text: "Level" } } }
      }
    });
  });
})();
