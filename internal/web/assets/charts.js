// Draws every <div class="chart" data-chart="…"> with Apache ECharts (vendored and served
// by the app itself). The data attribute holds {type, x, series, percent, stack, rotate,
// x_name, y_name}; the same figures are in a table beside each chart.
(function () {
  "use strict";

  var palette = ["#1f6feb", "#d4351c", "#2e8540", "#8a5cf5", "#f28e2b", "#0b7285", "#9c6644", "#6c757d"];

  function percent(v) {
    return (v * 100).toFixed(v < 0.1 ? 1 : 0) + "%";
  }

  function option(spec) {
    var narrow = window.innerWidth < 600;
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
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 56 : 24, bottom: spec.x_name && !narrow ? 32 : 8,
        containLabel: true },
      legend: spec.series.length > 1 ? { type: "scroll", top: 0 } : { show: false },
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
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    el.setAttribute("data-rendered", "true");
    return chart;
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
      pending = window.setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  });
})();
