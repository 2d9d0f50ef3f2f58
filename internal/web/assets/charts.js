// Draws every <div class="chart" data-chart="…"> with Apache ECharts (vendored and served
// by the app itself). The data attribute holds {type, x, series, percent, stack, rotate,
// x_name, y_name}; the same figures are in a table beside each chart. A map (type "map")
// also names its GeoJSON {map: {name, url, city, names, pieces}}: x are region codes (the
// features' names), series[0] colours the regions (by the classes of pieces when given),
// every series shows in the tooltip; the GeoJSON is loaded once from the app
// (vendor/sichuan-*.json) and, given a city, cut to its districts.
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

  function fmt(v, pct) {
    if (v === null || v === undefined) return "—";
    return pct ? percent(v) : String(v);
  }

  // ramp is the map's sequential palette, palest first; a region without a figure is grey.
  var ramp = ["#dbe8fd", "#a9c7f6", "#6d9eec", "#3a73d6", "#1c4aa0"];

  // scale is a map's colour scale: the server's classes by quantiles (pieces: {min, max,
  // label}, the last open), each its shade of the ramp, so a city with few people is not
  // as pale as one with none while Chengdu has thousands; without classes a linear scale.
  function scale(pieces, max, narrow) {
    if (!pieces || !pieces.length) {
      return {
        min: 0, max: max, calculable: false, orient: "horizontal", left: 8, bottom: 4,
        itemWidth: 12, itemHeight: narrow ? 80 : 120, text: [String(max), "0"],
        inRange: { color: [ramp[0], ramp[ramp.length - 1]] }, outOfRange: { color: "#eeeeee" }
      };
    }
    var n = pieces.length;
    return {
      type: "piecewise", orient: "horizontal", left: 8, bottom: 4, selectedMode: false,
      itemWidth: 14, itemHeight: 10, itemGap: narrow ? 6 : 10, textGap: 4,
      textStyle: { fontSize: narrow ? 10 : 12, color: "#222" },
      pieces: pieces.map(function (p, i) {
        var c = { gte: p.min, label: p.label, color: ramp[n === 1 ? ramp.length - 1 : Math.round(i * (ramp.length - 1) / (n - 1))] };
        if (p.max !== undefined && p.max !== null) c.lte = p.max;
        return c;
      }),
      outOfRange: { color: "#eeeeee" }
    };
  }

  function mapOption(spec) {
    var narrow = window.innerWidth < 600;
    var names = spec.map.names, first = spec.series[0], max = 1, byName = {};
    var data = spec.x.map(function (code, i) {
      var v = first.data[i];
      if (v !== null && v > max) max = v;
      byName[names[code] || code] = i;
      return { name: names[code] || code, value: v === null ? NaN : v };
    });
    return {
      animation: false,
      aria: { enabled: true },
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (p) {
          var i = byName[p.name];
          var lines = [p.name];
          if (i !== undefined) {
            spec.series.forEach(function (s) { lines.push(s.name + ": " + fmt(s.data[i], s.percent)); });
          }
          return lines.join("<br>");
        }
      },
      visualMap: scale(spec.map.pieces, max, narrow),
      series: [{
        name: first.name, type: "map", map: spec.map.name, nameMap: names, roam: false, data: data,
        top: 8, bottom: 40, selectedMode: false,
        label: { show: !narrow, fontSize: 10, color: "#222" },
        itemStyle: { areaColor: "#eeeeee", borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#f28e2b" } }
      }]
    };
  }

  var geo = {}; // url → promise of its GeoJSON

  function drawMap(el, spec, chart) {
    if (!geo[spec.map.url]) {
      geo[spec.map.url] = fetch(spec.map.url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("map " + r.status);
        return r.json();
      });
    }
    geo[spec.map.url].then(function (all) {
      if (!window.echarts.getMap(spec.map.name)) {
        var g = all;
        if (spec.map.city) {
          g = { type: "FeatureCollection", features: all.features.filter(function (f) {
            return f.properties.city === spec.map.city;
          }) };
        }
        window.echarts.registerMap(spec.map.name, g);
      }
      chart.setOption(mapOption(spec));
      el.setAttribute("data-rendered", "true");
    }).catch(function (e) {
      el.textContent = "map unavailable";
      console.error(e);
    });
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
    if (spec.type === "map") {
      drawMap(el, spec, chart); // sets data-rendered once the map file is in
      return { c: chart, spec: spec, el: el, map: true };
    }
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
          if (!c.map) c.c.setOption(option(c.spec, c.el.clientWidth));
          c.c.resize();
        });
      }, 150);
    });
  });
})();
