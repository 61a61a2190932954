// The unified statistics' charts (Apache ECharts, vendored): the data and the translated
// labels come from the page's JSON data island (#statistics-data), never from inline script.
(function () {
  "use strict";
  var island = document.getElementById("statistics-data");
  if (!island || typeof window.echarts === "undefined") return;
  var data = JSON.parse(island.textContent);
  var charts = [];

  function draw(element, option) {
    var chart = window.echarts.init(element, null, { locale: data.language });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function valueAxis(figure) {
    return { type: "value", min: 0, max: figure.rate ? 100 : null };
  }

  function tooltip(figure) {
    return {
      trigger: "axis",
      renderMode: "richText",
      valueFormatter: function (value) {
        if (value === null || value === undefined) return data.strings.suppressed;
        return figure.rate ? value + " %" : String(value);
      }
    };
  }

  var byKey = {};
  data.figures.forEach(function (figure) {
    byKey[figure.key] = figure;
    var element = document.querySelector('[data-chart="' + figure.key + '"]');
    if (!element) return;
    draw(element, {
      aria: { enabled: true },
      tooltip: tooltip(figure),
      legend: { data: [data.strings.current, data.strings.previous] },
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      xAxis: { type: "category", data: figure.periods },
      yAxis: valueAxis(figure),
      series: [
        { name: data.strings.current, type: figure.rate ? "line" : "bar", data: figure.values.map(toNumber) },
        { name: data.strings.previous, type: "line", data: figure.previous.map(toNumber), lineStyle: { type: "dashed" } }
      ]
    });
  });

  function toNumber(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  var split = document.getElementById("split-chart");
  var select = document.getElementById("split-figure");
  if (split && select && data.figures.length) {
    var splitChart = draw(split, {});
    var showSplit = function () {
      var figure = byKey[select.value] || data.figures[0];
      splitChart.setOption({
        aria: { enabled: true },
        tooltip: tooltip(figure),
        grid: { left: 48, right: 16, top: 16, bottom: 64, containLabel: true },
        xAxis: { type: "category", data: figure.split.labels, axisLabel: { rotate: 30 } },
        yAxis: valueAxis(figure),
        series: [{ name: figure.label, type: "bar", data: figure.split.values.map(toNumber) }]
      }, true);
    };
    select.addEventListener("change", showSplit);
    showSplit();
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
