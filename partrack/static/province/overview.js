// The province overview's chart, drawn from the figures its table shows (#province-chart-data).
// Without JavaScript the chart stays hidden and the table carries every figure.
(function () {
  "use strict";

  var source = document.getElementById("province-chart-data");
  var box = document.querySelector('[data-chart="agencies"]');
  if (!source || !box || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) {
    return;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#343a40";
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  box.style.position = "relative";
  box.style.height = Math.max(180, data.labels.length * 26 + 90) + "px";
  box.closest("figure").hidden = false;
  new Chart(box.querySelector("canvas"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: box.dataset.shareLabel,
          data: data.share,
          backgroundColor: "#198754",
          xAxisID: "share",
        },
        {
          label: box.dataset.overdueLabel,
          data: data.overdue,
          backgroundColor: "#dc3545",
          xAxisID: "overdue",
        },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: {
        share: { position: "top", min: 0, max: 100, title: { display: true, text: "%" } },
        overdue: {
          position: "bottom",
          beginAtZero: true,
          ticks: { precision: 0 },
          grid: { drawOnChartArea: false },
        },
      },
    },
  });
})();
