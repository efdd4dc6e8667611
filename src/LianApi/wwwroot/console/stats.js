// The statistics page's charts (Apache ECharts, /lib/echarts): each .chart element carries its figures in data-chart,
// rendered by the server with the tables, so the charts and the tables cannot disagree and no inline script is needed.
(function () {
  'use strict';
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll('.chart[data-chart]').forEach(function (element) {
    var data = JSON.parse(element.dataset.chart);
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 64 },
      xAxis: { type: 'category', data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind, data: s.values, barMaxWidth: 48 };
      })
    });
    element.dataset.drawn = 'true';
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
