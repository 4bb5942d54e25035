// The period figures' chart, drawn from the figures its table already shows (#figures-data).
// Without JavaScript the chart stays hidden and the table carries every figure.
(function () {
  "use strict";

  var source = document.getElementById("figures-data");
  var box = document.querySelector('[data-chart="attainment"]');
  if (!source || !box || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) {
    return;
  }
  box.style.height = Math.max(160, data.labels.length * 28 + 60) + "px";
  box.closest("figure").hidden = false;
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  new Chart(box.querySelector("canvas"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: "Tỷ lệ đạt (%)",
          data: data.percent,
          backgroundColor: data.percent.map(function (p) {
            return p >= 100 ? "#198754" : "#ffc107";
          }),
        },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, suggestedMax: 100 } },
    },
  });
})();
