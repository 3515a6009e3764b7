/* Trends: fitness/fatigue/form (CTL/ATL/TSB) and ACWR over 6 or 12 months, weekly distance, climb,
   descent and descent load, and e1RM per lift. */

import { api } from "./api.js";
import { barChart, dataTable, lineChart } from "./chart.js";
import { $, dist, distUnit, el, elev, elevUnit, fmt, loadUnit, shortDate, weight } from "./dom.js";

let months = 6;

export async function showTrends(ctx) {
  const page = $("#page-trends");
  const pick = el("select", { id: "trend-range" }, [[6, "6 months"], [12, "12 months"]].map(([v, l]) => el("option", { value: v, selected: v === months }, l)));
  pick.addEventListener("change", () => { months = Number(pick.value); showTrends(ctx); });
  const boxes = { pmc: el("div", { class: "chart" }), acwr: el("div", { class: "chart" }), km: el("div", { class: "chart" }),
    climb: el("div", { class: "chart" }), lifts: el("div", { class: "chart" }) };
  const card = (id, title, box, ...more) => el("section", { class: "card wide", "aria-labelledby": id }, el("h2", { id }, title), box, ...more);
  const liftPick = el("div", { class: "lift-pick" });
  const tables = { pmc: el("div"), weeks: el("div"), lifts: el("div") };
  page.replaceChildren(
    el("div", { class: "card wide trend-head" }, el("h2", { id: "trends-title", tabindex: "-1" }, "Trends"),
      el("div", { class: "field inline" }, el("label", { for: "trend-range" }, "Show"), pick)),
    card("pmc-title", "Fitness, fatigue and form", boxes.pmc,
      el("p", { class: "hint" }, "CTL (fitness) is your 42-day load average, ATL (fatigue) the 7-day one; TSB (form) = CTL − ATL. Deeply negative form means heavy recent training."), tables.pmc),
    card("acwr-title", "Acute:chronic workload ratio", boxes.acwr,
      el("p", { class: "hint", id: "acwr-method" }), acwrRule(ctx.rules.get("L2"))),
    card("km-title", "Weekly distance", boxes.km),
    card("climb-title", "Weekly climb, descent and descent load", boxes.climb,
      el("p", { class: "hint" }, "Descent load (D−eff) weighs steep descent: half of the 5–10 % grades, all of the steeper ones."), tables.weeks),
    card("lifts-title", "Strength: estimated 1RM per lift", liftPick, boxes.lifts, tables.lifts));
  const days = months === 12 ? 365 : 183;
  const weeksN = months === 12 ? 52 : 26;
  const [load, weeks, lifts] = await Promise.allSettled([
    api(`/v1/trends/load?days=${days}`), api(`/v1/weeks?count=${weeksN}`), api("/v1/trends/lifts")]);
  if (load.status === "fulfilled") drawLoad(boxes, tables, load.value);
  else boxes.pmc.replaceChildren(el("p", { class: "error" }, load.reason.message));
  if (weeks.status === "fulfilled") drawWeeks(boxes, tables, weeks.value.weeks);
  if (lifts.status === "fulfilled") drawLifts(boxes, tables, liftPick, lifts.value.lifts);
  else boxes.lifts.replaceChildren(el("p", { class: "error" }, lifts.reason.message));
}

/** The ACWR's rule as the server states it (GET /v1/rules), so the bands read as the plan uses them. */
function acwrRule(rule) {
  if (!rule) return el("p", { class: "hint" }, "The plan adjusts strength volume by this ratio (rule L2); 0.8–1.3 is shaded.");
  return el("p", { class: "hint", id: "acwr-rule" }, el("span", { class: "rule" }, rule.id), ` ${rule.title} ${rule.numbers} The 0.8–1.3 band is shaded.`);
}

function drawLoad(boxes, tables, series) {
  const days = series.days;
  const method = series.acwr_method || "method not stated by this server";
  $("#acwr-method").textContent = `Read as the plan reads it: ${method}.`;
  const s = (key) => days.map((d) => [d.date, d[key]]);
  const last = days[days.length - 1];
  lineChart(boxes.pmc, { series: [{ label: "CTL fitness", cls: "ctl", points: s("ctl") }, { label: "ATL fatigue", cls: "atl", points: s("atl") },
    { label: "TSB form", cls: "tsb", points: s("tsb") }], yLabel: "load", height: 260, empty: "No runs yet: upload some to see your fitness.",
  label: last ? `Fitness ${fmt(last.ctl)}, fatigue ${fmt(last.atl)}, form ${fmt(last.tsb)} on ${last.date}` : "No data" });
  const acwrLast = [...days].reverse().find((d) => d.acwr !== null);
  lineChart(boxes.acwr, { series: [{ label: "ACWR", cls: "acwr", points: s("acwr") }], band: [0.8, 1.3], yMin: 0, yLabel: "ratio", height: 200,
    empty: "No ACWR yet: it needs a few weeks of runs.", label: acwrLast ? `ACWR (${method}) ${fmt(acwrLast.acwr, 2)} on ${acwrLast.date}` : "No ACWR yet" });
  const weekly = days.filter((_, i) => (days.length - 1 - i) % 7 === 0);
  tables.pmc.replaceChildren(days.length ? dataTable("Fitness, fatigue, form and ACWR, weekly",
    ["Date", "CTL", "ATL", "TSB", "ACWR"], weekly.map((d) => [d.date, fmt(d.ctl, 1), fmt(d.atl, 1), fmt(d.tsb, 1), d.acwr === null ? "–" : fmt(d.acwr, 2)])) : "");
}

function drawWeeks(boxes, tables, weeks) {
  const cats = weeks.map((w) => w.week_start);
  barChart(boxes.km, { categories: cats, series: [{ label: `Distance (${distUnit()})`, cls: "distance", values: weeks.map((w) => dist(w.distance_km)) }],
    yLabel: distUnit(), catLabel: shortDate, empty: "No runs in these weeks.", label: `Weekly distance, ${weeks.length} weeks` });
  barChart(boxes.climb, { categories: cats, series: [
    { label: "Climb", cls: "ascent", values: weeks.map((w) => elev(w.ascent_m)) },
    { label: "Descent", cls: "descent", values: weeks.map((w) => elev(w.descent_m)) },
    { label: "Descent load D−eff", cls: "dload", values: weeks.map((w) => elev(w.descent_load_m)) }],
  yLabel: elevUnit(), catLabel: shortDate, empty: "No climbing in these weeks.", label: `Weekly climb, descent and descent load, ${weeks.length} weeks` });
  const method = weeks.length && weeks[0].acwr_method ? el("p", { class: "hint", id: "weeks-acwr-method" }, `ACWR in this table: ${weeks[0].acwr_method}.`) : "";
  tables.weeks.replaceChildren(method, dataTable("Weekly totals", ["Week", `Distance ${distUnit()}`, `Climb ${elevUnit()}`, `Descent ${elevUnit()}`, `D−eff ${elevUnit()}`, "Runs", "ACWR"],
    [...weeks].reverse().map((w) => [w.week_start, fmt(dist(w.distance_km), 1), fmt(elev(w.ascent_m)), fmt(elev(w.descent_m)), fmt(elev(w.descent_load_m)), String(w.runs), w.acwr === null ? "–" : fmt(w.acwr, 2)])));
}

function drawLifts(boxes, tables, pickBox, lifts) {
  if (!lifts.length) {
    boxes.lifts.replaceChildren(el("p", { class: "empty" }, "No loaded lifts logged yet: log a session on the week page."));
    return;
  }
  const pick = el("select", { id: "lift" }, lifts.map((l, i) => el("option", { value: String(i) }, `${l.name} (${l.sessions.length})`)));
  const draw = () => {
    const l = lifts[Number(pick.value)];
    const pts = l.sessions.map((s) => [s.date, weight(s.e1rm_kg)]);
    const w = pts.map((p) => p[1]);
    const last = l.sessions[l.sessions.length - 1];
    const u = loadUnit();
    lineChart(boxes.lifts, { series: [{ label: "e1RM", cls: "e1rm", points: pts, dots: true }], yLabel: u, height: 220, yMin: Math.max(0, Math.floor((Math.min(...w) - 10) / 10) * 10),
      label: `${l.name}: e1RM ${fmt(weight(last.e1rm_kg), 1)} ${u} on ${last.date}, ${l.sessions.length} sessions` });
    tables.lifts.replaceChildren(dataTable(`${l.name} sessions`, ["Date", "Best set", `e1RM ${u} (Epley)`],
      [...l.sessions].reverse().map((s) => [s.date, `${s.reps} × ${fmt(weight(s.load_kg), 1)} ${u}`, fmt(weight(s.e1rm_kg), 1)])));
  };
  pick.addEventListener("change", draw);
  pickBox.replaceChildren(el("div", { class: "field inline" }, el("label", { for: "lift" }, "Lift"), pick));
  draw();
}
