// Draws every <div class="chart" data-chart="…"> with Apache ECharts (vendored and served
// by the app itself). The data attribute holds {type, x, series, percent, stack, rotate,
// x_name, y_name}; the same figures are in a table beside each chart.
(function () {
  "use strict";

  var palette = ["#1f6feb", "#d4351c", "#2e8540", "#8a5cf5", "#f28e2b", "#0b7285", "#9c6644", "#6c757d"];

  function percent(v) {
    return (v * 100).toFixed(v < 0.1 ? 1 : 0) + "%";
  }

  // legendRows estimates how many lines a wrapping (plain) legend of names takes in a chart
  // width px wide: every series stays visible, none is paged away.
  function legendRows(names, width, narrow) {
    var font = narrow ? 11 : 12, rows = 1, line = 0;
    names.forEach(function (n) {
      var w = 25 + 10 + Array.from(String(n)).reduce(function (a, ch) {
        return a + (ch.charCodeAt(0) > 0x2e80 ? font : font * 0.6);
      }, 0);
      if (line > 0 && line + w > width) { rows++; line = 0; }
      line += w;
    });
    return rows;
  }

  function option(spec, width) {
    var narrow = window.innerWidth < 600;
    var rows = spec.series.length > 1 ?
      legendRows(spec.series.map(function (s) { return s.name; }), width - 16, narrow) : 0;
    var series = spec.series.map(function (s) {
      var o = { name: s.name, type: spec.type, data: s.data, connectNulls: false, emphasis: { focus: "series" } };
      if (spec.stack) o.stack = "total";
      if (spec.type === "line") { o.symbolSize = 6; o.smooth = false; }
      return o;
    });
    var valueAxis = {
      type: "value",
      name: spec.y_name || "",
      axisLabel: spec.percent ? { formatter: percent } : {}
    };
    if (spec.percent) {
      valueAxis.max = function (v) { return Math.min(1, Math.ceil(v.max * 10 + 0.5) / 10); };
    }
    return {
      color: palette,
      animation: false,
      aria: { enabled: true },
      grid: { left: 8, right: 16, top: rows > 0 ? 32 + rows * 22 : 24, bottom: spec.x_name && !narrow ? 32 : 8,
        containLabel: true },
      legend: rows > 0 ? { type: "plain", top: 0, left: 8, right: 8, itemGap: 10, itemHeight: 10,
        textStyle: { fontSize: narrow ? 11 : 12 } } : { show: false },
      tooltip: {
        trigger: "axis",
        confine: true,
        valueFormatter: function (v) {
          if (v === null || v === undefined) return "—";
          return spec.percent ? percent(v) : String(v);
        }
      },
      xAxis: {
        type: "category",
        data: spec.x,
        name: narrow ? "" : (spec.x_name || ""),
        nameLocation: "middle",
        nameGap: 28,
        axisLabel: { rotate: spec.rotate ? (narrow ? 60 : 35) : 0, interval: 0, fontSize: narrow ? 10 : 12 }
      },
      yAxis: valueAxis,
      series: series
    };
  }

  function draw(el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      el.textContent = "chart data unreadable";
      return null;
    }
    var rows = spec.series.length > 1 ?
      legendRows(spec.series.map(function (s) { return s.name; }), el.clientWidth - 16, window.innerWidth < 600) : 0;
    if (rows > 1) el.style.height = (el.clientHeight + (rows - 1) * 22) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec, el.clientWidth));
    el.setAttribute("data-rendered", "true");
    el.setAttribute("data-legend-rows", String(rows));
    return { c: chart, spec: spec, el: el };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var c = draw(el);
      if (c) charts.push(c);
    });
    var pending = 0;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (c) {
          c.c.setOption(option(c.spec, c.el.clientWidth));
          c.c.resize();
        });
      }, 150);
    });
  });
})();
