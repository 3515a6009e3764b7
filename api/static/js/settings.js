/* Settings: the profile, races (A/B/C with distance, ascent, descent), the week's shape (long-run
   day and hard days, or inferred), strength days, equipment, heart-rate figures, units and week
   start. Validated in the browser first; the API's 422 details are put next to their field. */

import { api, fieldErrors } from "./api.js";
import { $, $$, cap, dist, distUnit, el, elev, elevUnit, isImperial, KM_PER_MI, M_PER_FT, WEEKDAYS } from "./dom.js";

const EQUIPMENT = [["barbell", "Barbell"], ["dumbbells", "Dumbbells"], ["kettlebell", "Kettlebell"], ["box", "Box or step"], ["bands", "Bands"], ["pullup_bar", "Pull-up bar"]];
const fid = (path) => `f-${path.replace(/\./g, "-")}`;

function field(path, label, input, hint) {
  input.id = fid(path);
  input.name = path;
  input.setAttribute("aria-describedby", `${fid(path)}-err${hint ? ` ${fid(path)}-hint` : ""}`);
  return el("div", { class: "field" }, el("label", { for: input.id }, label), input,
    hint ? el("p", { class: "hint", id: `${fid(path)}-hint` }, hint) : "",
    el("p", { class: "error field-error", id: `${fid(path)}-err` }));
}

const select = (options, value) => el("select", {}, options.map(([v, l]) => el("option", { value: v, selected: v === value }, l)));
const input = (attrs) => el("input", attrs);

function checks(path, legend, options, chosen, hint) {
  return el("fieldset", { class: "checks", id: fid(path), "aria-describedby": `${fid(path)}-err` }, el("legend", {}, legend),
    hint ? el("p", { class: "hint" }, hint) : "",
    el("div", { class: "check-row" }, options.map(([v, l]) => {
      const id = `${fid(path)}-${v}`;
      return el("span", { class: "check" }, el("input", { type: "checkbox", id, name: path, value: v, checked: chosen.includes(v) }), el("label", { for: id }, l));
    })),
    el("p", { class: "error field-error", id: `${fid(path)}-err` }));
}

/** A number field in the runner's unit that remembers the SI figure it was filled from: an
    untouched field is sent back as that figure (no km → mi → km drift). */
function unitInput(attrs, si, shown, digits) {
  const text = shown === null ? "" : String(Number(shown.toFixed(digits)));
  return input({ ...attrs, type: "number", value: text, "data-si": si ?? "", "data-shown": text });
}

function raceRow(r, i) {
  const p = (k) => `races.${i}.${k}`;
  const imperial = isImperial();
  const maxKm = imperial ? "622" : "1000";
  const maxM = imperial ? "164042" : "50000";
  return el("fieldset", { class: "race", "data-race": String(i) }, el("legend", {}, r.name ? `Race: ${r.name}` : "New race"),
    el("div", { class: "grid-fields" },
      field(p("name"), "Name", input({ type: "text", value: r.name || "", maxlength: "200", required: true })),
      field(p("date"), "Date", input({ type: "date", value: r.date || "", required: true })),
      field(p("priority"), "Priority", select([["A", "A — the goal"], ["B", "B — important"], ["C", "C — training race"]], r.priority || "A")),
      field(p("distance_km"), `Distance (${distUnit()})`, unitInput({ min: "0", max: maxKm, step: "0.1", required: true }, r.distance_km, dist(r.distance_km), 1)),
      field(p("ascent_m"), `Ascent (${elevUnit()})`, unitInput({ min: "0", max: maxM, step: "1", required: true }, r.ascent_m, elev(r.ascent_m), 0)),
      field(p("descent_m"), `Descent (${elevUnit()})`, unitInput({ min: "0", max: maxM, step: "1" }, r.descent_m, elev(r.descent_m), 0), "Empty: same as the ascent")),
    el("button", { type: "button", class: "ghost small", onclick: (e) => { e.target.closest("fieldset").remove(); } }, "Remove this race"));
}

export function showSettings(ctx) {
  const p = ctx.profile;
  const days = WEEKDAYS.map((d) => [d, cap(d)]);
  const status = el("div", { class: "form-status", role: "status", "aria-live": "polite" });
  const races = el("div", { class: "races" }, [...p.races].sort((a, b) => (a.date < b.date ? -1 : 1)).map(raceRow));
  const form = el("form", { class: "settings", novalidate: true },
    el("section", { class: "card", "aria-labelledby": "s-profile" }, el("h2", { id: "s-profile" }, "You"),
      field("name", "Name", input({ type: "text", value: p.name, required: true, maxlength: "100" })),
      field("timezone", "Time zone", input({ type: "text", value: p.timezone, required: true, list: "tz-list", autocomplete: "off" }), "An IANA name, e.g. Europe/Zurich"),
      el("datalist", { id: "tz-list" }, (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).map((z) => el("option", { value: z }))),
      field("lifting_experience", "Lifting experience", select([["novice", "New to lifting"], ["trained", "Trained"]], p.lifting_experience)),
      field("sex", "Sex (for heart-rate load)", select([["", "Not set"], ["female", "Female"], ["male", "Male"]], p.sex || "")),
      field("hr_rest", "Resting heart rate (bpm)", input({ type: "number", min: "21", max: "259", step: "1", value: p.hr_rest ?? "" })),
      field("hr_max", "Maximum heart rate (bpm)", input({ type: "number", min: "21", max: "259", step: "1", value: p.hr_max ?? "" })),
      field("units", "Units", select([["metric", "Metric: km, m, kg"], ["imperial", "Imperial: mi, ft, lb"]], p.units || "metric"),
        "units" in p ? null : "This server does not store units yet: shown in km."),
      field("week_start", "Week starts on", select([["monday", "Monday"], ["saturday", "Saturday"], ["sunday", "Sunday"]], p.week_start))),
    el("section", { class: "card", "aria-labelledby": "s-week" }, el("h2", { id: "s-week" }, "Your week"),
      field("strategy", "Heavy day placement", select([["separate", "As far as possible from the long run"], ["stack", "On a hard-run day, after the run"]], p.strategy)),
      field("long_run_day", "Long-run day", select([["", "Infer from my runs"], ...days], p.long_run_day || "")),
      el("div", { class: "field" }, el("span", { class: "check" },
        el("input", { type: "checkbox", id: "hard-infer", checked: p.hard_days === null, onchange: (e) => { $$("#f-hard_days input").forEach((i) => { i.disabled = e.target.checked; }); } }),
        el("label", { for: "hard-infer" }, "Infer hard days from my runs"))),
      checks("hard_days", "Hard-run days", days, p.hard_days || []),
      checks("strength_days", "Days I can lift", days, p.strength_days)),
    el("section", { class: "card", "aria-labelledby": "s-kit" }, el("h2", { id: "s-kit" }, "Equipment"),
      checks("equipment", "What you can lift with", EQUIPMENT, p.equipment || ["barbell", "dumbbells", "box"],
        "equipment" in p ? "None ticked: bodyweight only." : "This server does not use equipment yet.")),
    el("section", { class: "card wide", "aria-labelledby": "s-races" }, el("h2", { id: "s-races" }, "Races"),
      el("p", { class: "hint" }, "Your A race sets the season phase (base, build, peak, taper); B and C races get a short taper."),
      races, el("button", { type: "button", class: "ghost", id: "add-race", onclick: () => {
        const row = raceRow({}, races.children.length + 1000);
        races.append(row);
        row.querySelector("input").focus();
      } }, "Add a race")),
    el("div", { class: "card wide save-bar" }, el("button", { type: "submit" }, "Save settings"), status));
  $$("input", form).forEach((i) => { if (i.name === "hard_days") i.disabled = p.hard_days === null; });
  // a server without these fields would ignore them: shown, not editable
  if (!("units" in p)) form.querySelector(`#${fid("units")}`).disabled = true;
  if (!("equipment" in p)) $$(`#${fid("equipment")} input`, form).forEach((i) => { i.disabled = true; });
  form.addEventListener("submit", (e) => { e.preventDefault(); save(ctx, form, status); });
  $("#page-settings").replaceChildren(el("h2", { class: "sr-only", id: "settings-title", tabindex: "-1" }, "Settings"), form);
}

function collect(ctx, form) {
  const val = (path) => form.querySelector(`#${fid(path)}`).value;
  const num = (path) => (val(path) === "" ? null : Number(val(path)));
  const si = (path, perUnit) => { // a unit field back to km or m
    const box = form.querySelector(`#${fid(path)}`);
    if (box.value === "") return null;
    if (box.value === box.dataset.shown && box.dataset.si !== "") return Number(box.dataset.si);
    return isImperial() ? Math.round(Number(box.value) * perUnit * 1000) / 1000 : Number(box.value);
  };
  const ticked = (path) => $$(`#${fid(path)} input:checked`, form).map((i) => i.value);
  const body = {
    name: val("name").trim(), timezone: val("timezone").trim(), lifting_experience: val("lifting_experience"),
    sex: val("sex") || null, hr_rest: num("hr_rest"), hr_max: num("hr_max"), week_start: val("week_start"),
    strategy: val("strategy"), long_run_day: val("long_run_day") || null,
    hard_days: form.querySelector("#hard-infer").checked ? null : ticked("hard_days"),
    strength_days: ticked("strength_days"),
  };
  if ("units" in ctx.profile) body.units = val("units");
  if ("equipment" in ctx.profile) body.equipment = ticked("equipment");
  body.races = $$("fieldset.race", form).map((f) => {
    const i = f.dataset.race;
    return { name: val(`races.${i}.name`).trim(), date: val(`races.${i}.date`), priority: val(`races.${i}.priority`),
      distance_km: si(`races.${i}.distance_km`, KM_PER_MI), ascent_m: si(`races.${i}.ascent_m`, M_PER_FT), descent_m: si(`races.${i}.descent_m`, M_PER_FT) };
  });
  return body;
}

/** Put a message under its field: "equipment.2" goes to the equipment list, the nearest field the
    form has on the path. */
function showError(form, path, message) {
  let at = path;
  while (at && !form.querySelector(`#${fid(at)}-err`)) at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "";
  if (!at) return false;
  const box = form.querySelector(`#${fid(at)}-err`);
  box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
  const target = form.querySelector(`#${fid(at)}`);
  if (target) target.setAttribute("aria-invalid", "true");
  return true;
}

async function save(ctx, form, status) {
  $$(".field-error", form).forEach((e) => { e.textContent = ""; });
  $$("[aria-invalid]", form).forEach((e) => e.removeAttribute("aria-invalid"));
  status.replaceChildren();
  const body = collect(ctx, form);
  let bad = false;
  $$("fieldset.race", form).forEach((f) => {
    for (const i of $$("input", f)) if (!i.checkValidity()) bad = showError(form, i.name, i.validationMessage) || bad;
  });
  for (const i of $$("input", form)) {
    if (!i.name.startsWith("races.") && i.name && !i.checkValidity()) bad = showError(form, i.name, i.validationMessage) || bad;
  }
  if (!body.strength_days.length) bad = showError(form, "strength_days", "Tick at least one day to lift on.") || bad;
  if (bad) {
    status.append(el("p", { class: "error" }, "Some fields need a look (marked below each)."));
    form.querySelector("[aria-invalid]")?.focus();
    return;
  }
  // send each race's names as the API numbers them now (rows may have been removed or added)
  $$("fieldset.race", form).forEach((f, k) => { f.dataset.sent = String(k); });
  try {
    const profile = await api("/v1/me", { method: "PATCH", json: body });
    const before = ctx.profile;
    ctx.setProfile(profile);
    ctx.pending = "Settings saved";
    status.append(el("p", { class: "ok" }, "Saved."), el("p", {}, el("a", { href: "#/week" }, "See the plan with these settings")));
    if (before.races.length !== profile.races.length) ctx.announce(`Saved. ${profile.races.length} race(s) in your profile.`);
    else ctx.announce("Settings saved.");
  } catch (err) {
    const placed = [];
    const rest = [];
    for (const [path, msg] of fieldErrors(err.message)) {
      const m = /^races\.(\d+)\.(.+)$/.exec(path);
      const local = m ? ($$("fieldset.race", form)[Number(m[1])]?.dataset.race ?? m[1]) : null;
      const target = m ? `races.${local}.${m[2]}` : path;
      if (path && showError(form, target, msg)) placed.push(path); else rest.push(path ? `${path}: ${msg}` : msg);
    }
    status.append(el("p", { class: "error", role: "alert" }, `Not saved (${err.status || "error"}): `,
      rest.length ? rest.join("; ") : "see the messages by the fields."));
    form.querySelector("[aria-invalid]")?.focus();
  }
}
