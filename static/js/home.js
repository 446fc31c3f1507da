// The home page's "occupancy by zone" chart. Zone names are data, so the tooltip is built as DOM text
// (ECharts accepts an element from a formatter) and never as an HTML string.
(function () {
  const source = document.getElementById("zone-data");
  const target = document.getElementById("zone-chart");
  if (!source || !target || !window.echarts) return;
  const rows = JSON.parse(source.textContent);
  const colors = ["#0d6efd", "#fd7e14", "#198754"];

  function line(color, label, value) {
    const row = document.createElement("div");
    row.className = "yq-chart-tip-row";
    const marker = document.createElement("span");
    marker.className = "yq-chart-tip-marker";
    marker.style.backgroundColor = color;
    const name = document.createElement("span");
    name.textContent = label;
    const figure = document.createElement("strong");
    figure.className = "ms-2";
    figure.textContent = value;
    row.append(marker, name, figure);
    return row;
  }

  function tooltip(params) {
    const items = Array.isArray(params) ? params : [params];
    const box = document.createElement("div");
    const title = document.createElement("div");
    title.className = "fw-semibold";
    title.textContent = items.length ? String(items[0].name) : "";
    box.appendChild(title);
    items.forEach(function (item) {
      box.appendChild(line(item.color, String(item.seriesName), String(item.value) + "%"));
    });
    return box;
  }

  const chart = echarts.init(target);
  chart.setOption({
    tooltip: { trigger: "axis", formatter: tooltip },
    legend: { data: rows.legend },
    grid: { left: 170, right: 20, top: 30, bottom: 20 },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: rows.names, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
    series: [
      { name: rows.legend[0], type: "bar", stack: "a", data: rows.leased, itemStyle: { color: colors[0] } },
      { name: rows.legend[1], type: "bar", stack: "a", data: rows.reserved, itemStyle: { color: colors[1] } },
      { name: rows.legend[2], type: "bar", stack: "a", data: rows.vacant, itemStyle: { color: colors[2] } }
    ]
  });
  target.dataset.ready = String(rows.names.length);
  window.addEventListener("resize", function () { chart.resize(); });
})();
