/* The log editor: a native <dialog> (focus kept inside, Esc closes) with one fieldset per exercise
   and one row per set (reps, kg). Saves through the strength-log API, by catalogue id or by name. */

import { api } from "./api.js";
import { $, el, isImperial, LB_PER_KG, loadIn, loadUnit } from "./dom.js";

let catalogue = null; // [{id, name, aliases}] from GET /v1/exercises, when the server has it

export async function exerciseNames(plan) {
  if (catalogue === null) {
    try {
      catalogue = (await api("/v1/exercises")).exercises || [];
    } catch (e) {
      catalogue = []; // an older server: names from the plans only
    }
  }
  const names = new Map(catalogue.map((x) => [x.name, x.id]));
  for (const s of (plan && plan.sessions) || []) for (const x of s.exercises) if (x.id) names.set(x.name, x.id);
  return names;
}

let uid = 0;

/** One set: reps and the load in the runner's unit. The load field remembers the kg it was filled
    from, so an untouched lb figure (rounded to 5 lb) is saved as the kg it came from. */
function setRow(reps, kg, lb = null) {
  uid += 1;
  const r = `reps-${uid}`;
  const k = `kg-${uid}`;
  const shown = loadIn(kg, lb);
  const load = el("input", { id: k, type: "number", min: "0", max: isImperial() ? "2200" : "1000", step: "0.5", value: shown ?? "", class: "kg", placeholder: "body",
    "data-kg": kg ?? "", "data-shown": shown ?? "" });
  const row = el("div", { class: "set-row" },
    el("label", { for: r }, "Reps"), el("input", { id: r, type: "number", min: "0", max: "1000", step: "1", required: true, value: reps ?? "", class: "reps" }),
    el("label", { for: k }, loadUnit()), load);
  row.append(el("button", { type: "button", class: "small ghost", "aria-label": "Remove this set", onclick: () => row.remove() }, "×"));
  return row;
}

/** The load of a set row in kg for the API (null: bodyweight). */
function rowKg(input) {
  const value = input.value;
  if (value === "") return null;
  if (!isImperial()) return Number(value);
  if (value === input.dataset.shown && input.dataset.kg !== "") return Number(input.dataset.kg);
  return Math.round((Number(value) / LB_PER_KG) * 100) / 100;
}

function exerciseBlock(ex) {
  const sets = el("div", { class: "sets" });
  const rows = ex.rows || Array.from({ length: ex.sets || 1 }, () => ({ reps: ex.reps, load_kg: ex.load_kg, load_lb: ex.load_lb }));
  for (const r of rows) sets.append(setRow(r.reps, r.load_kg, r.load_lb));
  const error = el("p", { class: "error", role: "alert" });
  const rx = ex.prescribed ? el("span", { class: "muted" }, ` — planned ${ex.prescribed}`) : "";
  return el("fieldset", { class: "exercise", "data-exercise": ex.id || ex.name, "data-entry": ex.entryId || "" },
    el("legend", {}, ex.name, rx), sets,
    el("button", { type: "button", class: "small ghost", onclick: () => sets.append(setRow(ex.reps, ex.load_kg, ex.load_lb)) }, "Add a set"),
    error);
}

/** Open the editor. exercises: [{id, name, sets, reps, load_kg, prescribed, entryId}]. Resolves
    to true when something was saved. */
export function openLogDialog({ title, date, exercises, names, allowAdd = true }) {
  return new Promise((resolve) => {
    const form = el("form", { method: "dialog", class: "log-form" });
    const list = el("div", { class: "exercises" }, exercises.map(exerciseBlock));
    const status = el("p", { class: "error", role: "alert" });
    let saved = false;
    form.append(list);
    if (allowAdd) {
      const dl = el("datalist", { id: "exercise-names" }, [...names.keys()].map((n) => el("option", { value: n })));
      const input = el("input", { id: "add-exercise", list: "exercise-names", autocomplete: "off" });
      form.append(el("div", { class: "add-exercise" },
        el("label", { for: "add-exercise" }, "Add an exercise (name as you call it)"), input, dl,
        el("button", { type: "button", class: "small ghost", onclick: () => {
          const name = input.value.trim();
          if (!name) return;
          list.append(exerciseBlock({ id: names.get(name) || null, name, sets: 3, reps: 8 }));
          input.value = "";
        } }, "Add")));
    }
    const cancel = el("button", { type: "button", class: "ghost", onclick: () => dialog.close() }, "Cancel");
    const save = el("button", { type: "submit" }, "Save");
    form.append(status, el("div", { class: "actions" }, cancel, save));
    const dialog = el("dialog", { class: "log-dialog", "aria-labelledby": "log-title" },
      el("h2", { id: "log-title" }, title), form);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      save.disabled = true;
      status.textContent = "";
      let failed = 0;
      for (const block of [...list.querySelectorAll("fieldset.exercise")]) {
        const sets = [...block.querySelectorAll(".set-row")].map((r) => {
          return { reps: Number(r.querySelector(".reps").value), load_kg: rowKg(r.querySelector(".kg")) };
        });
        const err = block.querySelector(".error");
        const entryId = block.dataset.entry;
        try {
          if (entryId && !sets.length) await api(`/v1/strength-log/${entryId}`, { method: "DELETE" });
          else if (entryId) await api(`/v1/strength-log/${entryId}`, { method: "PATCH", json: { sets } });
          else if (sets.length) await api("/v1/strength-log", { method: "POST", json: { date, exercise: block.dataset.exercise, sets } });
          block.remove(); // saved: a retry must not log it twice
          saved = true;
        } catch (ex) {
          failed += 1;
          err.textContent = ex.status === 404 || ex.status === 405
            ? "This server cannot edit logged sets yet (it needs PATCH/DELETE /v1/strength-log)."
            : ex.message;
        }
      }
      save.disabled = false;
      if (failed) status.textContent = `${failed} not saved: see the message under each.`;
      else dialog.close();
    });
    dialog.addEventListener("close", () => { dialog.remove(); resolve(saved); });
    $("body").append(dialog);
    dialog.showModal();
  });
}
