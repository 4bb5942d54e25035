// The overview's charts, drawn from the figures its tables already show (#overview-data).
// Without JavaScript the charts stay hidden and the tables carry every figure.
(function () {
  "use strict";

  var source = document.getElementById("overview-data");
  if (!source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);

  // The colours of the state badges (partrack/templatetags/partrack.py), lighter where two share one.
  var COLOURS = {
    done_on_time: "#198754",
    done_late: "#7cc39a",
    overdue: "#dc3545",
    due_soon: "#ffc107",
    in_progress: "#0d6efd",
    not_started: "#adb5bd",
    on_request: "#0dcaf0",
    undated: "#dee2e6",
    cannot_do: "#343a40",
  };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#343a40";
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function canvasFor(name, height) {
    var box = document.querySelector('[data-chart="' + name + '"]');
    if (!box) {
      return null;
    }
    box.style.position = "relative";
    box.style.height = height + "px";
    box.closest("figure").hidden = false;
    return box.querySelector("canvas");
  }

  function go(query, extra) {
    var parts = [query, extra].filter(function (part) {
      return part;
    });
    window.location.href = data.plan_url + (parts.length ? "?" + parts.join("&") : "");
  }

  // Horizontal bars, one per row, stacked by state; `percent` scales each bar to 100%.
  function stackedBars(name, rows, percent) {
    if (!rows.labels.length) {
      return;
    }
    var canvas = canvasFor(name, Math.max(180, rows.labels.length * 30 + 110));
    if (!canvas) {
      return;
    }
    var datasets = data.states
      .filter(function (state) {
        return rows.counts[state.key].some(function (n) {
          return n > 0;
        });
      })
      .map(function (state) {
        var counts = rows.counts[state.key];
        return {
          label: state.label,
          state: state.key,
          counts: counts,
          backgroundColor: COLOURS[state.key],
          data: counts.map(function (n, i) {
            if (!percent) {
              return n;
            }
            return rows.totals[i] ? (100 * n) / rows.totals[i] : 0;
          }),
        };
      });
    new Chart(canvas, {
      type: "bar",
      data: { labels: rows.labels, datasets: datasets },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            stacked: true,
            max: percent ? 100 : undefined,
            ticks: percent
              ? {
                  callback: function (value) {
                    return value + "%";
                  },
                }
              : { precision: 0 },
          },
          y: { stacked: true },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                return rows.titles[items[0].dataIndex];
              },
              label: function (item) {
                var count = item.dataset.counts[item.dataIndex];
                var text = item.dataset.label + ": " + count;
                return percent ? text + " (" + Math.round(item.raw) + "%)" : text;
              },
            },
          },
        },
        onClick: function (event, elements) {
          if (!elements.length) {
            return;
          }
          var element = elements[0];
          var query = rows.queries[element.index];
          if (query !== null) {
            go(query, "state=" + datasets[element.datasetIndex].state);
          }
        },
      },
    });
  }

  function monthBars() {
    var months = data.months;
    var canvas = canvasFor("months", 280);
    if (!canvas) {
      return;
    }
    var filters = ["due_month", "done_month"];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: months.labels,
        datasets: [
          { label: months.due_label, data: months.due, backgroundColor: "#6c8ebf" },
          { label: months.done_label, data: months.done, backgroundColor: COLOURS.done_on_time },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: false } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                return months.titles[items[0].dataIndex];
              },
            },
          },
        },
        onClick: function (event, elements) {
          if (elements.length) {
            var element = elements[0];
            go("", filters[element.datasetIndex] + "=" + months.keys[element.index]);
          }
        },
      },
    });
  }

  stackedBars("areas", data.areas, true);
  stackedBars("units", data.units, false);
  monthBars();
})();
