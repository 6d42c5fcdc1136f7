// The dashboard's chart of cases filed and closed per unit (data in #chart-data).
(function () {
  var source = document.getElementById("chart-data");
  var el = document.getElementById("units-chart");
  if (!window.Chart || !el || !source) return;
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) return;
  new Chart(el, {type: "bar", data: {labels: data.labels, datasets: [
    {label: "立案", data: data.filed}, {label: "结案", data: data.closed}]},
    options: {responsive: true, indexAxis: data.labels.length > 8 ? "y" : "x"}});
})();
