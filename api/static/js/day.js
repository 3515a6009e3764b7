/* One day card of the week: the runs done or expected, the strength session (planned or logged),
   its estimated duration, and what the runner can do about it. */

import { download } from "./api.js";
import { cap, distText, el, elevText, loadText, shortDate, weekdayOf } from "./dom.js";

export const KIND = { heavy_legs: "Heavy legs", light: "Light strength", activation: "Activation" };
const SPORT = { run: "Run", trail_run: "Trail run", treadmill: "Treadmill run", hike: "Hike", walk: "Walk", ride: "Ride", other: "Activity" };

export function exerciseText(x) {
  const amount = x.reps !== null && x.reps !== undefined ? `${x.sets} × ${x.reps}` : `${x.sets} × ${x.seconds} s`;
  let t = amount;
  if (x.load_kg || x.load_lb) t += ` @ ${loadText(x.load_kg, x.load_lb)}`;
  else if (x.percent_1rm) t += ` @ ${x.percent_1rm} % 1RM`;
  if (x.rpe) t += `, RPE ${x.rpe}`;
  if (x.tempo) t += `, tempo ${x.tempo}`;
  if (x.rest_s) t += `, rest ${x.rest_s} s`;
  return t;
}

/** Minutes: the plan's own estimate (duration_min), else ours (per set: 40 s of work plus the rest,
    60 s if none), said to be ours. */
export function minutes(session) {
  if (Number.isInteger(session.duration_min) && session.duration_min > 0) return { value: session.duration_min, ours: false };
  let s = 0;
  for (const x of session.exercises) s += x.sets * ((x.seconds || 40) + (x.rest_s ?? 60));
  return { value: Math.max(5, Math.round(s / 300) * 5), ours: true };
}

function runLine(a) {
  return el("li", { class: "run done-run" },
    el("a", { href: `#/activity/${a.id}` }, `${SPORT[a.sport] || "Activity"} ${distText(a.distance_m / 1000)}`),
    ` · ${elevText(a.ascent_m)} up, ${elevText(a.descent_m)} down`);
}

function expected(day, plan, races) {
  const out = [];
  const wd = weekdayOf(day.date);
  for (const r of races.filter((x) => x.date === day.date)) {
    out.push(el("li", { class: "run race" }, `Race: ${r.name} (${r.priority}) · ${distText(r.distance_km)}, ${elevText(r.ascent_m)} up`));
  }
  if (out.length || day.runs.length || day.past) return out;
  if (plan && plan.inputs.long_run_day === wd) out.push(el("li", { class: "run expected" }, "Long run expected"));
  else if (plan && plan.inputs.hard_days.includes(wd)) out.push(el("li", { class: "run expected" }, "Hard session expected"));
  return out;
}

/** day: {date, today, past, runs, planned, logged (entries), loggedSession, skipped}; handlers: {done, edit, skip, unskip, editEntry, logExtra} */
export function dayCard(day, plan, races, handlers) {
  const s = day.loggedSession || day.planned;
  const heavy = s && s.kind === "heavy_legs";
  const classes = ["day", s ? s.kind.replace("_legs", "") : "rest"];
  if (heavy) classes.push("heavy");
  if (day.today) classes.push("today");
  if (day.logged.length) classes.push("done");
  if (day.skipped) classes.push("skipped");
  const title = `${cap(weekdayOf(day.date))} ${shortDate(day.date)}`;
  const head = el("div", { class: "day-head" }, el("h3", {}, title, day.today ? el("span", { class: "badge today-badge" }, "today") : ""));
  if (day.logged.length) head.append(el("span", { class: "badge done" }, "done"));
  else if (day.skipped) head.append(el("span", { class: "badge skipped" }, "skipped"));
  else if (s && day.past) head.append(el("span", { class: "badge missing" }, "not logged"));
  const card = el("li", { class: classes.join(" "), "data-date": day.date }, head);
  const runs = [...day.runs.map(runLine), ...expected(day, plan, races)];
  if (runs.length) card.append(el("ul", { class: "runs", "aria-label": "Runs" }, runs));
  if (!s) {
    card.append(el("p", { class: "kind" }, "No lifting"));
  } else {
    const mins = day.logged.length ? null : minutes(s); // how long it takes: for a session still to do
    card.append(el("p", { class: "kind" }, KIND[s.kind] || s.kind,
      mins ? el("span", { class: "minutes", "data-source": mins.ours ? "page" : "plan" }, ` · ~${mins.value} min${mins.ours ? " (our estimate)" : ""}`) : ""));
    if (s.note && !day.logged.length) card.append(el("p", { class: "note" }, s.note));
    card.append(el("ul", { class: "exercises" }, s.exercises.map((x) =>
      el("li", {}, el("span", { class: "ex-name" }, x.name), " ", el("span", { class: "ex-dose" }, exerciseText(x))))));
  }
  const actions = el("div", { class: "day-actions" });
  const canLog = day.past || day.today;
  if (s && !day.logged.length && !day.skipped && canLog) {
    actions.append(
      el("button", { type: "button", class: "primary", onclick: () => handlers.done(day) }, "Done as planned"),
      el("button", { type: "button", class: "ghost", onclick: () => handlers.edit(day) }, "Change sets…"),
      el("button", { type: "button", class: "ghost", onclick: () => handlers.skip(day) }, "Skipped"));
  }
  if (day.skipped) actions.append(el("button", { type: "button", class: "ghost", onclick: () => handlers.unskip(day) }, "Not skipped after all"));
  if (day.logged.length) actions.append(el("button", { type: "button", class: "ghost", onclick: () => handlers.editEntry(day) }, "Edit what I logged"));
  if (!s && canLog) actions.append(el("button", { type: "button", class: "ghost small", onclick: () => handlers.logExtra(day) }, "Log lifting"));
  if (s && !day.logged.length && !day.past) {
    const msg = el("span", { class: "error", role: "alert" });
    actions.append(el("button", { type: "button", class: "ghost small", onclick: async () => {
      msg.textContent = "";
      try { await download(`/v1/workouts/${day.date}.fit`, `legday-${day.date}.fit`); } catch (e) {
        msg.textContent = e.status === 404 ? "No workout file for this day on this server." : e.message;
      }
    } }, "Workout for the watch (.fit)"), msg);
  }
  if (actions.childNodes.length) card.append(actions);
  return card;
}
