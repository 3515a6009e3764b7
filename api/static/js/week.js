/* The week page: seven day cards (the heavy day biggest), why the plan is what it is (rule ids
   expanded), the inputs, a 4-week outlook, previous/next week, the morning check-in, and what
   changed after each action. */

import { api } from "./api.js";
import { diffPlans } from "./changes.js";
import { checkinCard } from "./checkin.js";
import { dayCard, KIND } from "./day.js";
import { $, addDays, cap, distText, el, elevText, fmt, loadText, shortDate, weekdayOf, weekStartOf } from "./dom.js";
import { exerciseNames, openLogDialog } from "./logdialog.js";

let shown = null; // {start, plan}: the plan on screen, to say what an action changed

const rec = (week, asOf) => api(`/v1/recommendation?week=${week}${asOf ? `&as_of=${asOf}` : ""}`);

async function load(ctx, start) {
  const today = ctx.today();
  const cur = weekStartOf(today, ctx.profile.week_start);
  const end = addDays(start, 6);
  const range = `start=${start}&end=${end}`;
  const [log, acts, skipList] = await Promise.all([api(`/v1/strength-log?${range}`), api(`/v1/activities?${range}`),
    api(`/v1/skips?${range}`)]);
  const skips = new Set(skipList.skips);
  let asOf = null; // the server's default: today
  if (start < cur) asOf = addDays(start, 7); // a past week: everything logged in it
  else if (start === cur && (log.entries.some((e) => e.date === today) || skips.has(today))) {
    asOf = addDays(today, 1); // today is settled: the rest of the week re-planned around it
  }
  const [plan, original] = await Promise.all([rec(start, asOf), start <= cur && today > start ? rec(start, start) : null]);
  return { today, cur, start, log: log.entries, acts: acts.activities.filter((a) => !a.duplicate_of), plan, original, asOf: asOf || today, skips };
}

function days(d) {
  const out = [];
  for (let i = 0; i < 7; i += 1) {
    const date = addDays(d.start, i);
    const logged = d.log.filter((e) => e.date === date);
    const loggedSession = d.plan.sessions.find((s) => s.date === date && s.done) || null;
    const source = date >= d.asOf ? d.plan : d.original;
    const planned = source ? source.sessions.find((s) => s.date === date && !s.done) || null : null;
    out.push({ date, today: date === d.today, past: date < d.today, logged, loggedSession: logged.length ? loggedSession : null,
      planned, skipped: d.skips.has(date) && !logged.length, runs: d.acts.filter((a) => a.local_date === date) });
  }
  return out;
}

function rationale(plan, rules) {
  const groups = []; // consecutive lines of one rule under one heading
  for (const r of plan.rationale) {
    if (groups.length && groups[groups.length - 1].id === r.rule) groups[groups.length - 1].lines.push(r.text);
    else groups.push({ id: r.rule, lines: [r.text] });
  }
  return el("ol", { class: "rationale" }, groups.map((g) => {
    const rule = rules.get(g.id);
    return el("li", {},
      el("p", { class: "rule-head" }, el("span", { class: "rule" }, g.id), " ",
        el("strong", {}, rule ? rule.title : `Rule ${g.id}`)),
      g.lines.map((t) => el("p", { class: "this-week" }, t)),
      rule ? el("p", { class: "numbers" }, `${rule.numbers} (${rule.evidence})`) : "");
  }));
}

function inputs(plan) {
  const i = plan.inputs;
  const facts = [
    ["Last week", distText(i.weekly_distance_km)],
    ["Climb", elevText(i.weekly_ascent_m)],
    ["Descent", elevText(i.weekly_descent_m)],
    ["Descent load D−eff", elevText(i.descent_load_m)],
    ["ACWR", i.acwr === null ? "not yet (too little history)" : `${fmt(i.acwr, 2)} · ${i.acwr_method}`],
    ["Long run", i.long_run_day ? cap(i.long_run_day) : "not found yet"],
    ["Hard days", i.hard_days.length ? i.hard_days.map(cap).join(", ") : "none found"],
    ["Next race", i.days_to_next_race === null ? "none set" : `in ${i.days_to_next_race} days`],
  ];
  return el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

async function outlook(ctx, d) {
  const box = el("ol", { class: "outlook", "aria-label": "The next four weeks" });
  const starts = [0, 1, 2, 3].map((k) => addDays(d.cur, 7 * k));
  const plans = await Promise.all(starts.map((s) => (s === d.start ? d.plan : rec(s).catch(() => null))));
  starts.forEach((s, k) => {
    const p = plans[k];
    const heavy = p && p.heavy_leg_day ? `heavy ${cap(weekdayOf(p.heavy_leg_day)).slice(0, 3)}` : "no heavy day";
    const label = k === 0 ? "This week" : `Week of ${shortDate(s)}`;
    box.append(el("li", { class: s === d.start ? "current" : "" },
      el("a", { href: `#/week/${s}`, "aria-current": s === d.start ? "page" : null }, el("strong", {}, label)),
      p ? el("span", {}, `${p.phase.replace("_", " ")} · ${heavy} · ${p.totals.sets} sets`) : el("span", {}, "–")));
  });
  return box;
}

export async function showWeek(ctx, start, changed = null) {
  const page = $("#page-week");
  const today = ctx.today();
  start = weekStartOf(start || today, ctx.profile.week_start);
  if (await ctx.noRuns()) return emptyState(ctx, page);
  let d;
  try {
    d = await load(ctx, start);
  } catch (e) {
    page.replaceChildren(el("p", { class: "error", role: "alert" }, `The plan could not be loaded: ${e.message}`));
    return;
  }
  const before = shown && shown.start === start ? shown.plan : null;
  shown = { start, plan: d.plan };
  const heavy = d.plan.sessions.find((s) => s.kind === "heavy_legs");
  const title = start === d.cur ? "This week" : start < d.cur ? `Week of ${shortDate(start)} (past)` : `Week of ${shortDate(start)}`;
  const nav = el("nav", { class: "week-nav", "aria-label": "Weeks" },
    el("a", { href: `#/week/${addDays(start, -7)}`, class: "button ghost" }, "‹ Previous week"),
    start !== d.cur ? el("a", { href: "#/week", class: "button ghost" }, "This week") : "",
    el("a", { href: `#/week/${addDays(start, 7)}`, class: "button ghost" }, "Next week ›"));
  let summary = heavy
    ? `Heavy leg day: ${cap(heavy.weekday)} ${shortDate(heavy.date)}${heavy.done ? " (done)" : ""} · ${d.plan.totals.sets} sets this week`
    : `No heavy leg session this week · ${d.plan.totals.sets} sets`;
  if (start < d.cur && d.original) {
    const was = d.original.sessions.find((s) => s.kind === "heavy_legs");
    const logged = new Set(d.log.map((e) => e.date)).size;
    summary = `${was ? `Heavy leg day planned for ${cap(was.weekday)} ${shortDate(was.date)}` : "No heavy leg day planned"}`
      + ` · ${logged} of ${d.original.sessions.length} sessions logged${heavy && heavy.done ? " · heavy session done" : ""}`;
  }
  const phaseNote = ctx.profile.races.length ? null : el("p", { class: "hint" },
    "No race in your profile, so the season phase stays “base”. ", el("a", { href: "#/settings" }, "Add your races in Settings"), ".");
  const changes = el("div", { id: "changes", class: "changes", role: "status", "aria-live": "polite" });
  if (changed) {
    const lines = before ? diffPlans(before, d.plan) : [];
    const first = lines.slice(0, 5);
    const rest = lines.slice(5);
    changes.append(el("h3", {}, `${changed}. What changed in the plan:`),
      lines.length ? el("ul", {}, first.map((l) => el("li", {}, l))) : el("p", {}, nothingChanged(changed, d)),
      rest.length ? el("details", {}, el("summary", {}, `${rest.length} more changes`), el("ul", {}, rest.map((l) => el("li", {}, l)))) : "");
  }
  const handlers = dayHandlers(ctx, d);
  const strip = el("ol", { class: "week-strip", "aria-label": `Days of the week of ${shortDate(start)}` },
    days(d).map((day) => dayCard(day, d.plan, ctx.profile.races, handlers)));
  const head = el("div", { class: "card wide" },
    el("div", { class: "card-head" }, el("h2", { id: "week-title", tabindex: "-1" }, title),
      el("span", { class: "badge phase" }, d.plan.phase.replace("_", " "))),
    nav, el("p", { class: "lead" }, summary), phaseNote, changes);
  const why = el("section", { class: "card wide", "aria-labelledby": "why-title" },
    el("h2", { id: "why-title" }, "Why this plan"), rationale(d.plan, ctx.rules), inputs(d.plan));
  const parts = [head, el("section", { class: "wide", "aria-labelledby": "week-title" }, strip), why];
  if (start >= d.cur) {
    parts.push(el("section", { class: "card", "aria-labelledby": "outlook-title" },
      el("h2", { id: "outlook-title" }, "4-week outlook"), await outlook(ctx, d)));
  }
  if (start === d.cur) parts.push(await checkinCard(ctx, (what) => showWeek(ctx, start, what)));
  parts.push(calendarCard(ctx));
  page.replaceChildren(...parts);
  if (changed) ctx.announce(changes.textContent);
}

function dayHandlers(ctx, d) {
  const after = (what) => showWeek(ctx, d.start, what);
  const planned = (day) => day.planned.exercises.filter((x) => x.reps !== null && x.reps !== undefined);
  return {
    async done(day) {
      for (const x of planned(day)) {
        const sets = Array.from({ length: x.sets }, () => ({ reps: x.reps, load_kg: x.load_kg ?? null }));
        try {
          await api("/v1/strength-log", { method: "POST", json: { date: day.date, exercise: x.id || x.name, sets } });
        } catch (e) {
          ctx.toast(`${x.name} not logged: ${e.message}`);
        }
      }
      after(`Logged ${KIND[day.planned.kind].toLowerCase()} on ${shortDate(day.date)} as planned`);
    },
    async edit(day) {
      const names = await exerciseNames(d.plan);
      const ok = await openLogDialog({ title: `What you did on ${shortDate(day.date)}`, date: day.date, names,
        exercises: planned(day).map((x) => ({ id: x.id, name: x.name, sets: x.sets, reps: x.reps, load_kg: x.load_kg, load_lb: x.load_lb, prescribed: `${x.sets} × ${x.reps}${x.load_kg || x.load_lb ? ` @ ${loadText(x.load_kg, x.load_lb)}` : ""}` })) });
      if (ok) after(`Logged ${shortDate(day.date)} with your changes`);
    },
    async editEntry(day) {
      const names = await exerciseNames(d.plan);
      const ok = await openLogDialog({ title: `Edit ${shortDate(day.date)} (remove every set to delete an exercise)`, date: day.date, names, allowAdd: true,
        exercises: day.logged.map((e) => ({ id: e.exercise, entryId: e.id, name: nameOf(d.plan, e.exercise), rows: e.sets })) });
      if (ok) after(`Changed what you logged on ${shortDate(day.date)}`);
    },
    async logExtra(day) {
      const names = await exerciseNames(d.plan);
      const ok = await openLogDialog({ title: `Log lifting on ${shortDate(day.date)}`, date: day.date, names, exercises: [] });
      if (ok) after(`Logged lifting on ${shortDate(day.date)}`);
    },
    async skip(day) {
      try {
        await api("/v1/skips", { method: "POST", json: { date: day.date } });
        after(`Marked ${shortDate(day.date)} as skipped`);
      } catch (e) { ctx.toast(`Not marked skipped: ${e.message}`); }
    },
    async unskip(day) {
      try {
        await api(`/v1/skips/${day.date}`, { method: "DELETE" });
        after(`${shortDate(day.date)} no longer skipped`);
      } catch (e) { ctx.toast(e.message); }
    },
  };
}

function nothingChanged(changed, d) {
  if (changed.startsWith("Check-in")) {
    return "Nothing in this week's plan yet: a check-in counts from the next day's plan (sleep is "
      + "averaged over 7 nights, soreness read from the last 3 days; rule R1).";
  }
  return d.start < d.cur ? "Nothing in that week's plan; later weeks read it." : "Nothing in this week's plan.";
}

function nameOf(plan, id) {
  for (const s of plan.sessions) for (const x of s.exercises) if (x.id === id) return x.name;
  return id.replace(/_/g, " ");
}

function emptyState(ctx, page) {
  page.replaceChildren(el("section", { class: "card wide empty-state", "aria-labelledby": "first-title" },
    el("h2", { id: "first-title", tabindex: "-1" }, "Upload your first runs"),
    el("p", {}, "legday picks your heavy leg day from your own running: where your long run and hard sessions fall, "
      + "how much you climb and descend. With no runs yet there is nothing to plan from, so no heavy day is shown."),
    el("p", {}, "Upload a few weeks of watch files (.fit, .gpx, .tcx, optionally .gz) on ",
      el("a", { href: "#/activities" }, "Activities"), ", or point a sync folder at your watch's exports. Then set your races in ",
      el("a", { href: "#/settings" }, "Settings"), ".")));
}

function calendarCard(ctx) {
  const url = ctx.profile.calendar_url;
  return el("section", { class: "card", "aria-labelledby": "cal-title" },
    el("h2", { id: "cal-title" }, "Calendar"),
    el("p", {}, el("a", { href: url.replace(/^https?:/, "webcal:") }, "Subscribe to your plan in a calendar app"), " (this week and next)."),
    el("label", { for: "calendar-url" }, "Feed address (keep it private)"),
    el("input", { id: "calendar-url", type: "text", readonly: true, value: url, onfocus: (e) => e.target.select() }));
}
