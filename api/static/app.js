/* legday dashboard: plain JS, no dependencies. Talks to API v1 with the athlete's bearer token. */
"use strict";

const TOKEN_KEY = "legday.token";
const SVG_NS = "http://www.w3.org/2000/svg";
const $ = (sel) => document.querySelector(sel);
let token = localStorage.getItem(TOKEN_KEY);
let profile = null;
let lastWeeks = null;

/* ---------- helpers ---------- */

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {}, { Authorization: `Bearer ${token}` });
  const res = await fetch(path, Object.assign({}, options, { headers }));
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : null;
  if (!res.ok) {
    const err = new Error((body && body.detail) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return { status: res.status, body };
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const fmt = (x, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toLocaleString("en-GB", {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  });

function localToday(tz) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());
  } catch (e) {
    return new Date().toISOString().slice(0, 10);
  }
}

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function shortDate(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

function duration(s) {
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, "0")}` : `${m} min`;
}

const RECENT_ROWS = 20;
const KIND = { heavy_legs: "Heavy legs", light: "Light strength", activation: "Activation" };

function exerciseText(x) {
  let amount = x.reps !== null && x.reps !== undefined ? `${x.reps}` : `${x.seconds} s`;
  let t = `${x.name} ${x.sets} × ${amount}`;
  if (x.load_kg !== null && x.load_kg !== undefined) t += ` @ ${fmt(x.load_kg, 1).replace(/\.0$/, "")} kg`;
  else if (x.percent_1rm !== null && x.percent_1rm !== undefined) t += ` @ ${x.percent_1rm} %1RM`;
  if (x.rpe !== null && x.rpe !== undefined) t += ` RPE ${x.rpe}`;
  if (x.tempo) t += `, tempo ${x.tempo}`;
  if (x.rest_s) t += `, rest ${x.rest_s} s`;
  return t;
}

/* ---------- sign in ---------- */

function showSignedIn(on) {
  $("#signin").hidden = on;
  $("#app").hidden = !on;
  $("#who").hidden = !on;
}

async function signIn(candidate) {
  token = candidate;
  try {
    const { body } = await api("/v1/me");
    profile = body;
    localStorage.setItem(TOKEN_KEY, token);
    $("#athlete-name").textContent = profile.name;
    $("#calendar-url").value = profile.calendar_url;
    showSignedIn(true);
    await refresh();
    return true;
  } catch (err) {
    localStorage.removeItem(TOKEN_KEY);
    token = null;
    showSignedIn(false);
    $("#signin-error").textContent =
      err.status === 401 ? "That token was not accepted." : `Could not sign in: ${err.message}`;
    return false;
  }
}

function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  token = null;
  profile = null;
  $("#token").value = "";
  $("#signin-error").textContent = "";
  showSignedIn(false);
}

/* ---------- data ---------- */

async function refresh() {
  await Promise.allSettled([loadPlan(), loadWeeks(), loadActivities(), loadSync()]);
}

async function loadPlan() {
  const strip = $("#week-strip");
  try {
    const { body: plan } = await api("/v1/recommendation");
    renderPlan(plan);
  } catch (err) {
    strip.replaceChildren(el("li", { class: "error" }, `Plan unavailable: ${err.message}`));
  }
}

function renderPlan(plan) {
  const today = localToday(profile.timezone);
  $("#plan-phase").textContent = plan.phase.replace("_", " ");
  const heavy = plan.sessions.find((s) => s.kind === "heavy_legs");
  $("#plan-summary").textContent = heavy
    ? `Heavy leg day: ${heavy.weekday[0].toUpperCase()}${heavy.weekday.slice(1)} ${shortDate(heavy.date)}` +
      ` · ${plan.totals.sets} sets this week (${plan.totals.heavy_sets} heavy)`
    : `No heavy leg session this week · ${plan.totals.sets} sets`;
  const byDate = new Map(plan.sessions.map((s) => [s.date, s]));
  const days = [];
  for (let i = 0; i < 7; i += 1) {
    const date = addDays(plan.week_start, i);
    const s = byDate.get(date);
    const weekday = new Date(`${date}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
    const classes = ["day", s ? s.kind.replace("_legs", "") : "rest"];
    if (s && s.kind === "heavy_legs") classes.push("heavy");
    if (date === today) classes.push("today");
    if (s && s.done) classes.push("done");
    const head = el("div", { class: "head" }, el("div", { class: "dname" }, weekday), el("div", { class: "ddate" }, shortDate(date)));
    if (s && s.done) head.append(el("span", { class: "badge done", title: "Logged in the strength log" }, "done"));
    const li = el("li", { class: classes.join(" "), "data-date": date }, head,
      el("span", { class: "kind" }, s ? KIND[s.kind] || s.kind : "Rest from lifting"));
    if (s && s.kind === "heavy_legs") li.setAttribute("aria-label", `Heavy leg day, ${date}`);
    if (s && s.exercises.length) {
      li.append(el("ul", {}, ...s.exercises.map((x) => el("li", {}, exerciseText(x)))));
    }
    days.push(li);
  }
  $("#week-strip").replaceChildren(...days);
  const i = plan.inputs;
  const facts = [
    ["Last week", `${fmt(i.weekly_distance_km, 1)} km`],
    ["D+", `${fmt(i.weekly_ascent_m)} m`],
    ["D−", `${fmt(i.weekly_descent_m)} m`],
    ["D−eff", `${fmt(i.descent_load_m)} m`],
    ["ACWR", i.acwr === null ? "–" : fmt(i.acwr, 2)],
    ["Long run", i.long_run_day || "–"],
    ["Next race", i.days_to_next_race === null ? "–" : `${i.days_to_next_race} d`],
  ];
  $("#plan-inputs").replaceChildren(...facts.map(([k, v]) => el("span", {}, `${k} `, el("b", {}, v))));
  $("#rationale").replaceChildren(...plan.rationale.map((r) => el("li", {}, el("span", { class: "rule" }, r.rule), r.text)));
}

async function loadWeeks() {
  try {
    const { body } = await api("/v1/weeks?count=12");
    renderChart(body.weeks);
  } catch (err) {
    $("#chart").replaceChildren(el("p", { class: "error" }, `Chart unavailable: ${err.message}`));
  }
}

const SERIES = [
  { key: "distance_km", label: "Distance (km)", color: "var(--distance)", panel: "top" },
  { key: "ascent_m", label: "Ascent D+ (m)", color: "var(--ascent)", panel: "bottom" },
  { key: "descent_m", label: "Descent D− (m)", color: "var(--descent)", panel: "bottom" },
  { key: "descent_load_m", label: "Descent load D−eff (m)", color: "var(--dload)", panel: "bottom" },
];

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function renderChart(weeks) {
  const box = $("#chart");
  if (!weeks.length) {
    box.replaceChildren(el("p", { class: "empty" }, "No weeks yet: upload a run."));
    return;
  }
  lastWeeks = weeks;
  const W = Math.max(300, Math.round(box.clientWidth || 760));
  const narrow = W < 560;
  const H = narrow ? 350 : 380, L = narrow ? 44 : 56, R = narrow ? 36 : 48, T = narrow ? 22 : 14;
  const topH = narrow ? 120 : 140, gap = 46, botH = narrow ? 110 : 130;
  const plotW = W - L - R;
  const n = weeks.length;
  const slot = plotW / n;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true", class: "load-chart" });

  function axis(y0, h, max, label, side, fmtTick) {
    const x = side === "left" ? L : L + plotW;
    for (let k = 0; k <= 4; k += 1) {
      const y = y0 + h - (h * k) / 4;
      if (side === "left") root.append(svg("line", { x1: L, x2: L + plotW, y1: y, y2: y, class: "grid" }));
      root.append(svg("text", { x: side === "left" ? x - 6 : x + 6, y: y + 4, "text-anchor": side === "left" ? "end" : "start" }, fmtTick((max * k) / 4)));
    }
    if (narrow) { // no room beside the ticks: the title sits above its axis
      root.append(svg("text", { x: side === "left" ? 2 : W - 2, y: y0 - 6, class: "axis-title", "text-anchor": side === "left" ? "start" : "end" }, label));
      return;
    }
    const tx = side === "left" ? 12 : W - 6;
    root.append(svg("text", { x: tx, y: y0 + h / 2, class: "axis-title", "text-anchor": "middle", transform: `rotate(-90 ${tx} ${y0 + h / 2})` }, label));
  }

  // top panel: distance bars + ACWR line (right axis)
  const topY = T;
  const dMax = niceMax(Math.max(...weeks.map((w) => w.distance_km)));
  axis(topY, topH, dMax, "km", "left", (v) => fmt(v));
  const acwrVals = weeks.map((w) => w.acwr).filter((v) => v !== null && v !== undefined);
  const aMax = Math.max(2, Math.ceil(Math.max(0, ...acwrVals) * 2) / 2);
  axis(topY, topH, aMax, "ACWR", "right", (v) => fmt(v, 1));
  const ay = (v) => topY + topH - (topH * v) / aMax;
  root.append(svg("rect", { x: L, y: ay(1.3), width: plotW, height: ay(0.8) - ay(1.3), class: "band" }));
  const barW = Math.min(34, slot * 0.6);
  weeks.forEach((w, i) => {
    const h = (topH * w.distance_km) / dMax;
    const rect = svg("rect", { x: L + i * slot + (slot - barW) / 2, y: topY + topH - h, width: barW, height: Math.max(h, 0), rx: 3, fill: SERIES[0].color, class: "bar bar-distance" });
    rect.append(svg("title", {}, `${w.week_start}: ${fmt(w.distance_km, 1)} km`));
    root.append(rect);
  });
  const pts = weeks.map((w, i) => (w.acwr === null || w.acwr === undefined ? null : [L + i * slot + slot / 2, ay(Math.min(w.acwr, aMax))]));
  let d = "";
  pts.forEach((p) => { if (p) d += `${d ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`; });
  if (d) root.append(svg("path", { d, class: "acwr-line" }));
  weeks.forEach((w, i) => {
    const p = pts[i];
    if (!p) return;
    const dot = svg("circle", { cx: p[0], cy: p[1], r: 3.5, class: "acwr-dot" });
    dot.append(svg("title", {}, `${w.week_start}: ACWR ${fmt(w.acwr, 2)}`));
    root.append(dot);
  });

  // bottom panel: ascent, descent, descent load (m)
  const botY = topY + topH + gap;
  const mMax = niceMax(Math.max(...weeks.flatMap((w) => [w.ascent_m, w.descent_m, w.descent_load_m])));
  axis(botY, botH, mMax, "metres", "left", (v) => fmt(v));
  const group = SERIES.slice(1);
  const gW = Math.min(14, (slot * 0.8) / group.length);
  weeks.forEach((w, i) => {
    const x0 = L + i * slot + (slot - gW * group.length) / 2;
    group.forEach((s, j) => {
      const h = (botH * (w[s.key] || 0)) / mMax;
      const rect = svg("rect", { x: x0 + j * gW, y: botY + botH - h, width: gW - 1, height: Math.max(h, 0), rx: 2, fill: s.color, class: `bar bar-${s.key}` });
      rect.append(svg("title", {}, `${w.week_start}: ${s.label} ${fmt(w[s.key])}`));
      root.append(rect);
    });
  });
  // x axis labels (weeks)
  const every = slot < 30 ? 3 : slot < 55 ? 2 : 1;
  weeks.forEach((w, i) => {
    if ((n - 1 - i) % every) return;
    root.append(svg("text", { x: L + i * slot + slot / 2, y: botY + botH + 16, "text-anchor": "middle" }, shortDate(w.week_start)));
  });
  root.append(svg("text", { x: L + plotW / 2, y: H - 4, "text-anchor": "middle", class: "axis-title" }, "week starting"));
  box.replaceChildren(root);
  box.setAttribute("aria-label", `Weekly load, ${n} weeks to ${weeks[n - 1].week_start}: last week ` +
    `${fmt(weeks[n - 1].distance_km, 1)} km, ${fmt(weeks[n - 1].ascent_m)} m up, ${fmt(weeks[n - 1].descent_m)} m down`);

  const legend = SERIES.map((s) => el("li", {}, el("span", { class: "swatch", style: `background:${s.color}` }), s.label));
  legend.push(el("li", {}, el("span", { class: "swatch line", style: "background:var(--acwr)" }), "ACWR (EWMA 7/28, right axis; shaded 0.8–1.3)"));
  $("#chart-legend").replaceChildren(...legend);
}

async function loadActivities() {
  const tbody = $("#activity-table tbody");
  try {
    const start = addDays(localToday(profile.timezone), -84);
    const { body } = await api(`/v1/activities?start=${start}`);
    const rows = body.activities.slice(-RECENT_ROWS).reverse().map((a) => el("tr", {},
      el("td", {}, a.local_date),
      el("td", {}, a.sport.replace("_", " ")),
      el("td", { class: "num" }, fmt(a.distance_m / 1000, 1)),
      el("td", { class: "num" }, fmt(a.ascent_m)),
      el("td", { class: "num" }, fmt(a.descent_m)),
      el("td", { class: "num" }, fmt(a.descent_load_m)),
      el("td", { class: "num" }, duration(a.duration_s)),
      el("td", { class: "file", title: a.file_name || "" }, a.file_name || "")));
    tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "8", class: "empty" }, "No activities yet."))]));
  } catch (err) {
    tbody.replaceChildren(el("tr", {}, el("td", { colspan: "8", class: "error" }, err.message)));
  }
}

async function loadSync() {
  const box = $("#sync-status");
  try {
    const { body: s } = await api("/v1/sync");
    const parts = [];
    const paths = s.folders.map((f) => f.path);
    parts.push(el("p", {}, paths.length ? `Watching: ${paths.join(", ")}` : "No sync folder configured."));
    const c = s.counts;
    parts.push(el("div", { class: "counts" },
      ...[["seen", c.seen], ["ingested", c.ingested], ["duplicate", c.duplicate], ["failed", c.failed]]
        .map(([k, v]) => el("div", {}, el("b", {}, String(v)), k))));
    const last = s.last_run && (s.last_run.finished_at || s.last_run.started_at);
    parts.push(el("p", { class: "hint" }, last ? `Last run ${new Date(last).toLocaleString()} (${s.last_run.status})` : "Never run."));
    for (const f of s.failures.slice(0, 5)) parts.push(el("p", { class: "sync-fail" }, `${f.file}: ${f.reason}`));
    box.replaceChildren(...parts);
    $("#sync-run").disabled = !s.folders.length;
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err.message));
  }
}

/* ---------- actions ---------- */

async function upload(event) {
  event.preventDefault();
  const input = $("#file");
  const out = $("#upload-result");
  if (!input.files.length) return;
  const button = $("#upload-button");
  button.disabled = true;
  out.replaceChildren(el("p", {}, "Reading the file…"));
  const form = new FormData();
  form.append("file", input.files[0]);
  try {
    const { status, body: a } = await api("/v1/activities", { method: "POST", body: form });
    const head = status === 201
      ? el("p", { class: "ok" }, `Added ${a.file_name || "the activity"}`)
      : el("p", { class: "ok" }, `Already have it: duplicate of activity #${a.duplicate_of}`);
    out.replaceChildren(head, el("dl", {},
      el("dt", {}, "Date"), el("dd", {}, `${a.local_date} (${a.sport.replace("_", " ")})`),
      el("dt", {}, "Distance"), el("dd", {}, `${fmt(a.distance_m / 1000, 2)} km in ${duration(a.duration_s)}`),
      el("dt", {}, "Ascent / descent"), el("dd", {}, `${fmt(a.ascent_m)} m / ${fmt(a.descent_m)} m (${a.elevation_source})`),
      el("dt", {}, "Descent load"), el("dd", {}, `${fmt(a.descent_load_m)} m D−eff`),
      el("dt", {}, "km-effort"), el("dd", {}, fmt(a.km_effort, 1))));
    input.value = "";
    await refresh();
  } catch (err) {
    out.replaceChildren(el("p", { class: "bad" }, `Not added (${err.status || "error"})`), el("p", {}, err.message));
  } finally {
    button.disabled = false;
  }
}

async function runSync() {
  try {
    await api("/v1/sync/run", { method: "POST" });
    setTimeout(loadSync, 1500);
  } catch (err) {
    $("#sync-status").append(el("p", { class: "error" }, err.message));
  }
}

$("#signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("#signin-error").textContent = "";
  signIn($("#token").value.trim());
});
$("#sign-out").addEventListener("click", signOut);
$("#upload-form").addEventListener("submit", upload);
$("#sync-run").addEventListener("click", runSync);
$("#calendar-url").addEventListener("focus", (e) => e.target.select());

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (lastWeeks && lastWeeks.length) renderChart(lastWeeks); }, 150);
});

if (token) signIn(token); else showSignedIn(false);
