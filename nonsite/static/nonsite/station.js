// Station page: daily passages (bars) and overload rate (line), from the JSON in the page.
(function () {
  "use strict";
  var el = document.getElementById("station-chart");
  var raw = document.getElementById("chart-data");
  if (!el || !raw || typeof Chart === "undefined") return;
  var d = JSON.parse(raw.textContent);
  new Chart(el, {
    data: {
      labels: d.labels,
      datasets: [
        { type: "bar", label: "通行车辆", data: d.total, yAxisID: "y", backgroundColor: "#9db7d6" },
        { type: "line", label: "超限率（%）", data: d.rate, yAxisID: "rate", borderColor: "#b42318", pointRadius: 0, tension: 0.25 }
      ]
    },
    options: {
      animation: false,
      responsive: true,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { position: "left", beginAtZero: true, title: { display: true, text: "辆" } },
        rate: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } }
      }
    }
  });
})();
