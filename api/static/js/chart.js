/* Hand-made SVG charts: lines (optionally filled, with a shaded band) and grouped bars. Colours come
   from CSS classes (s-<name>, sw-<name>), so dark mode and a strict CSP need nothing inline. */

import { el, fmt, svg } from "./dom.js";

/** Nice ticks from lo to hi: [values, decimals]. An empty or flat range still gets a sane axis. */
export function ticks(lo, hi, count = 4) {
  if (!(hi > lo)) { hi = lo + (Math.abs(lo) || 1); }
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) || 10 * p;
  const first = Math.floor(lo / step) * step;
  const values = [];
  for (let v = first; v <= hi + step * 0.999; v += step) values.push(Number(v.toFixed(10)));
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return [values, decimals];
}

function frame(box, height, opts = {}) {
  const W = Math.max(280, Math.round(box.clientWidth || 640));
  const narrow = W < 520;
  const m = { l: narrow ? 42 : 52, r: opts.right ? (narrow ? 40 : 50) : 12, t: 18, b: 34 };
  return { W, H: height, m, pw: W - m.l - m.r, ph: height - m.t - m.b, narrow };
}

function yAxis(root, f, lo, hi, label, side = "left", fmtTick) {
  const [vals, dec] = ticks(lo, hi);
  const top = vals[vals.length - 1];
  const bottom = vals[0];
  const y = (v) => f.m.t + f.ph - ((v - bottom) / (top - bottom)) * f.ph;
  for (const v of vals) {
    if (side === "left") root.append(svg("line", { x1: f.m.l, x2: f.m.l + f.pw, y1: y(v), y2: y(v), class: "grid" }));
    const x = side === "left" ? f.m.l - 6 : f.m.l + f.pw + 6;
    root.append(svg("text", { x, y: y(v) + 4, "text-anchor": side === "left" ? "end" : "start" }, fmtTick ? fmtTick(v) : fmt(v, dec)));
  }
  root.append(svg("text", { x: side === "left" ? 2 : f.W - 2, y: 11, class: "axis-title", "text-anchor": side === "left" ? "start" : "end" }, label));
  return y;
}

const MONTH = { month: "short", timeZone: "UTC" };

function xDateAxis(root, f, x0, x1) {
  const x = (t) => f.m.l + ((t - x0) / Math.max(1, x1 - x0)) * f.pw;
  const spanDays = (x1 - x0) / 864e5;
  const d = new Date(x0);
  d.setUTCDate(1);
  const every = spanDays > 250 ? (f.narrow ? 3 : 2) : spanDays > 120 ? (f.narrow ? 2 : 1) : 1;
  let i = 0;
  if (spanDays < 60) { // weeks: label every 7 days
    for (let t = x0; t <= x1; t += 7 * 864e5) {
      root.append(svg("text", { x: x(t), y: f.m.t + f.ph + 16, "text-anchor": "middle" },
        new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })));
    }
    return x;
  }
  for (d.setUTCMonth(d.getUTCMonth() + 1); d.getTime() <= x1; d.setUTCMonth(d.getUTCMonth() + 1), i += 1) {
    if (i % every) continue;
    const t = d.getTime();
    root.append(svg("line", { x1: x(t), x2: x(t), y1: f.m.t + f.ph, y2: f.m.t + f.ph + 4, class: "grid" }));
    root.append(svg("text", { x: x(t), y: f.m.t + f.ph + 16, "text-anchor": "middle" }, d.toLocaleDateString("en-GB", MONTH)));
  }
  return x;
}

function xNumAxis(root, f, lo, hi, label, fmtTick) {
  const [vals, dec] = ticks(lo, hi, f.narrow ? 4 : 8);
  const x = (v) => f.m.l + ((v - lo) / Math.max(1e-9, hi - lo)) * f.pw;
  for (const v of vals) {
    if (v < lo - 1e-9 || v > hi + 1e-9) continue;
    root.append(svg("text", { x: x(v), y: f.m.t + f.ph + 16, "text-anchor": "middle" }, fmtTick ? fmtTick(v) : fmt(v, dec)));
  }
  root.append(svg("text", { x: f.m.l + f.pw, y: f.H - 2, class: "axis-title", "text-anchor": "end" }, label));
  return x;
}

function place(box, root, label, legend) {
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", label);
  const parts = [root];
  if (legend && legend.length) {
    parts.push(el("ul", { class: "legend", "aria-hidden": "true" },
      legend.map((s) => el("li", {}, el("span", { class: `swatch sw-${s.cls}${s.line ? " line" : ""}` }), s.label))));
  }
  box.replaceChildren(...parts);
}

/** Lines over dates (x: ISO date strings) or numbers. series: [{label, cls, points: [[x, y|null]], area}] */
export function lineChart(box, { series, xType = "date", xLabel = "", yLabel = "", height = 240, band = null,
  yMin = null, yMax = null, label, empty = "No data yet.", right = null }) {
  const pts = series.flatMap((s) => s.points.filter((p) => p[1] !== null && p[1] !== undefined));
  if (!pts.length) {
    box.replaceChildren(el("p", { class: "empty" }, empty));
    return;
  }
  const f = frame(box, height, { right: !!right });
  const root = svg("svg", { viewBox: `0 0 ${f.W} ${f.H}`, class: "chart-svg" });
  const xs = pts.map((p) => (xType === "date" ? Date.parse(`${p[0]}T00:00:00Z`) : p[0]));
  const ys = pts.map((p) => p[1]);
  let lo = yMin !== null ? yMin : Math.min(0, ...ys);
  let hi = yMax !== null ? yMax : Math.max(...ys);
  if (band) { lo = Math.min(lo, band[0]); hi = Math.max(hi, band[1]); }
  const [vals] = ticks(lo, hi);
  const y = yAxis(root, f, vals[0], vals[vals.length - 1], yLabel);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const x = xType === "date" ? xDateAxis(root, f, x0, x1) : xNumAxis(root, f, x0, x1, xLabel);
  if (band) root.append(svg("rect", { x: f.m.l, y: y(band[1]), width: f.pw, height: y(band[0]) - y(band[1]), class: "band" }));
  if (vals[0] < 0) root.append(svg("line", { x1: f.m.l, x2: f.m.l + f.pw, y1: y(0), y2: y(0), class: "zero" }));
  for (const s of series) {
    let d = "";
    let pen = false;
    for (const [px, py] of s.points) {
      if (py === null || py === undefined) { pen = false; continue; }
      const X = x(xType === "date" ? Date.parse(`${px}T00:00:00Z`) : px).toFixed(1);
      d += `${pen ? "L" : "M"}${X},${y(py).toFixed(1)}`;
      pen = true;
    }
    if (!d) continue;
    if (s.area) {
      const valid = s.points.filter((p) => p[1] !== null && p[1] !== undefined);
      const first = x(xType === "date" ? Date.parse(`${valid[0][0]}T00:00:00Z`) : valid[0][0]);
      const last = x(xType === "date" ? Date.parse(`${valid[valid.length - 1][0]}T00:00:00Z`) : valid[valid.length - 1][0]);
      const base = y(Math.max(vals[0], Math.min(0, vals[vals.length - 1])));
      root.append(svg("path", { d: `${d}L${last.toFixed(1)},${base}L${first.toFixed(1)},${base}Z`, class: `area s-${s.cls}` }));
    }
    root.append(svg("path", { d, class: `line s-${s.cls}` }));
    if (s.dots) {
      for (const [px, py] of s.points) {
        if (py === null || py === undefined) continue;
        const c = svg("circle", { cx: x(xType === "date" ? Date.parse(`${px}T00:00:00Z`) : px).toFixed(1), cy: y(py).toFixed(1), r: 4, class: `dot s-${s.cls}` });
        c.append(svg("title", {}, `${px}: ${fmt(py, 1)}`));
        root.append(c);
      }
    }
  }
  place(box, root, label, series.length > 1 || band ? [...series.map((s) => ({ label: s.label, cls: s.cls, line: true })),
    ...(band ? [{ label: `shaded ${band[0]}–${band[1]}`, cls: "band" }] : [])] : null);
}

/** Grouped bars over categories. series: [{label, cls, values}] */
export function barChart(box, { categories, series, yLabel = "", height = 220, label, empty = "No data yet.", catLabel = (c) => c }) {
  const all = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  if (!categories.length || !all.some((v) => v > 0)) {
    box.replaceChildren(el("p", { class: "empty" }, empty));
    return;
  }
  const f = frame(box, height);
  const root = svg("svg", { viewBox: `0 0 ${f.W} ${f.H}`, class: "chart-svg" });
  const [vals] = ticks(0, Math.max(...all));
  const y = yAxis(root, f, 0, vals[vals.length - 1], yLabel);
  const slot = f.pw / categories.length;
  const bw = Math.min(16, (slot * 0.8) / series.length);
  categories.forEach((c, i) => {
    const x0 = f.m.l + i * slot + (slot - bw * series.length) / 2;
    series.forEach((s, j) => {
      const v = s.values[i] || 0;
      const r = svg("rect", { x: x0 + j * bw, y: y(v), width: Math.max(1, bw - 1), height: Math.max(0, y(0) - y(v)), rx: 2, class: `bar s-${s.cls}` });
      r.append(svg("title", {}, `${catLabel(c)}: ${s.label} ${fmt(v)}`));
      root.append(r);
    });
  });
  const every = Math.ceil(categories.length / (f.narrow ? 5 : 10));
  categories.forEach((c, i) => {
    if ((categories.length - 1 - i) % every) return;
    root.append(svg("text", { x: f.m.l + i * slot + slot / 2, y: f.m.t + f.ph + 16, "text-anchor": "middle" }, catLabel(c)));
  });
  place(box, root, label, series.length > 1 ? series.map((s) => ({ label: s.label, cls: s.cls })) : null);
}

/** The numbers behind a chart, for screen readers and anyone who prefers a table. */
export function dataTable(caption, headers, rows) {
  return el("details", { class: "data" }, el("summary", {}, `${caption}: the numbers`),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
      el("table", {}, el("caption", { class: "sr-only" }, caption),
        el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))))));
}
