/* "What changed": the plan before an action against the plan after it, in a runner's words. */

import { cap, loadText, shortDate, weekdayOf } from "./dom.js";

const KIND = { heavy_legs: "heavy legs", light: "light strength", activation: "activation" };

function exMap(session) {
  const m = new Map();
  for (const x of (session && session.exercises) || []) m.set(x.id || x.name, x);
  return m;
}

function dose(x) {
  const amount = x.reps !== null && x.reps !== undefined ? `${x.sets}×${x.reps}` : `${x.sets}×${x.seconds} s`;
  const load = x.load_kg || x.load_lb ? ` @ ${loadText(x.load_kg, x.load_lb)}` : x.percent_1rm ? ` @ ${x.percent_1rm} %1RM` : "";
  return amount + load;
}

const when = (iso) => `${cap(weekdayOf(iso)).slice(0, 3)} ${shortDate(iso)}`;

/** Lines that say how ``after`` differs from ``before`` (two WeekPlans of the same week). */
export function diffPlans(before, after) {
  if (!before || !after) return [];
  const out = [];
  if (before.heavy_leg_day !== after.heavy_leg_day) {
    const from = before.heavy_leg_day ? when(before.heavy_leg_day) : "none";
    const to = after.heavy_leg_day ? when(after.heavy_leg_day) : "none this week";
    out.push(`Heavy leg day: ${from} → ${to}`);
  }
  if (before.phase !== after.phase) {
    out.push(`Season phase: ${before.phase.replace("_", " ")} → ${after.phase.replace("_", " ")}`);
  }
  const days = new Set([...before.sessions, ...after.sessions].map((s) => s.date));
  for (const d of [...days].sort()) {
    const a = before.sessions.find((s) => s.date === d);
    const b = after.sessions.find((s) => s.date === d);
    if (!a && b) { out.push(`${when(d)}: ${b.done ? "logged" : "new"} ${KIND[b.kind] || b.kind} session`); continue; }
    if (a && !b) { out.push(`${when(d)}: ${KIND[a.kind] || a.kind} session removed`); continue; }
    if (a.done !== b.done && b.done) { out.push(`${when(d)}: marked done`); continue; }
    if (a.kind !== b.kind) out.push(`${when(d)}: ${KIND[a.kind]} → ${KIND[b.kind]}`);
    const ea = exMap(a);
    const eb = exMap(b);
    for (const [id, x] of eb) {
      const y = ea.get(id);
      if (!y) out.push(`${when(d)}: added ${x.name} ${dose(x)}`);
      else if (dose(x) !== dose(y)) out.push(`${when(d)}: ${x.name} ${dose(y)} → ${dose(x)}`);
    }
    for (const [id, y] of ea) if (!eb.has(id)) out.push(`${when(d)}: dropped ${y.name}`);
  }
  if (before.totals.sets !== after.totals.sets) out.push(`Sets this week: ${before.totals.sets} → ${after.totals.sets}`);
  const rules = (p) => new Set(p.rationale.map((r) => `${r.rule}: ${r.text}`));
  const ra = rules(before);
  const rb = rules(after);
  for (const r of rb) if (!ra.has(r)) out.push(`Now applies — ${r}`);
  for (const r of ra) if (!rb.has(r)) out.push(`No longer applies — ${r}`);
  return out;
}
