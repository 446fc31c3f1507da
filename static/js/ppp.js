// The PPP affordability chart: each year's committed PPP spending and that of projects in preparation, as a share
// of the general public budget expenditure, against the caps. Labels are data: the tooltip is built as DOM text.
(function () {
  const source = document.getElementById("ppp-data");
  const target = document.getElementById("ppp-chart");
  if (!source || !target || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const labels = { committed: target.dataset.committed, pipeline: target.dataset.pipeline,
                   cap: target.dataset.cap, newCap: target.dataset.newCap };

  function tooltip(params) {
    const items = Array.isArray(params) ? params : [params];
    const box = document.createElement("div");
    const title = document.createElement("div");
    title.className = "fw-semibold";
    title.textContent = items.length ? String(items[0].name) : "";
    box.appendChild(title);
    items.forEach(function (item) {
      const row = document.createElement("div");
      row.textContent = String(item.seriesName) + " " + (item.value == null ? "—" : Number(item.value).toFixed(2) + "%");
      box.appendChild(row);
    });
    return box;
  }

  const lines = [];
  if (data.cap != null) lines.push({ yAxis: data.cap, name: labels.cap, lineStyle: { color: "#dc3545" } });
  if (data.new_cap != null) lines.push({ yAxis: data.new_cap, name: labels.newCap, lineStyle: { color: "#fd7e14" } });
  const chart = echarts.init(target);
  chart.setOption({
    tooltip: { trigger: "axis", formatter: tooltip },
    legend: { data: [labels.committed, labels.pipeline] },
    grid: { left: 50, right: 30, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.years },
    // The axis reaches above the cap, so that the caps' lines show however low the spending is.
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" },
             max: function (extent) { return Math.ceil(Math.max(extent.max, (data.cap || 0) + 1)); } },
    series: [
      { name: labels.committed, type: "bar", stack: "a", data: data.committed, itemStyle: { color: "#0d6efd" },
        markLine: { symbol: "none", label: { position: "insideEndTop", formatter: "{b} {c}%" }, data: lines } },
      { name: labels.pipeline, type: "bar", stack: "a", data: data.pipeline, itemStyle: { color: "#adb5bd" } }
    ]
  });
  target.dataset.ready = String(data.years.length);
  window.addEventListener("resize", function () { chart.resize(); });
})();
