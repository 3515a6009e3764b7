/* The morning check-in: sleep hours, soreness 0–10, a note (one per day: a second replaces it). */

import { api } from "./api.js";
import { el } from "./dom.js";

export async function checkinCard(ctx, after) {
  const today = ctx.today();
  let existing = null;
  try {
    const body = await api(`/v1/checkins?start=${today}&end=${today}`);
    existing = body.checkins[body.checkins.length - 1] || null;
  } catch (e) { /* shown as empty */ }
  const error = el("p", { class: "error", role: "alert", id: "checkin-error" });
  const field = (id, label, attrs) => [el("label", { for: id }, label), el("input", Object.assign({ id, name: id, "aria-describedby": "checkin-error" }, attrs))];
  const form = el("form", { class: "checkin-form", novalidate: false },
    ...field("checkin-date", "Date", { type: "date", required: true, max: today, value: today }),
    ...field("checkin-sleep", "Sleep last night (hours)", { type: "number", min: "0", max: "24", step: "0.25", inputmode: "decimal", value: existing?.sleep_hours ?? "" }),
    ...field("checkin-soreness", "Leg soreness (0 none – 10 worst)", { type: "number", min: "0", max: "10", step: "1", inputmode: "numeric", value: existing?.soreness ?? "" }),
    el("label", { for: "checkin-note" }, "Note"),
    el("textarea", { id: "checkin-note", name: "note", rows: "2", maxlength: "2000" }, existing?.note ?? ""),
    el("button", { type: "submit" }, existing ? "Update check-in" : "Save check-in"), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (!form.reportValidity()) return;
    const num = (id) => (form.querySelector(`#${id}`).value === "" ? null : Number(form.querySelector(`#${id}`).value));
    const body = { date: form.querySelector("#checkin-date").value, sleep_hours: num("checkin-sleep"), soreness: num("checkin-soreness"),
      note: form.querySelector("#checkin-note").value.trim() || null };
    try {
      await api("/v1/checkins", { method: "POST", json: body });
      after(`Check-in saved for ${body.date}`);
    } catch (err) {
      error.textContent = err.message;
    }
  });
  return el("section", { class: "card", "aria-labelledby": "checkin-title" },
    el("h2", { id: "checkin-title" }, "Morning check-in"),
    existing ? el("p", { class: "hint" }, `Today: ${existing.sleep_hours ?? "–"} h sleep, soreness ${existing.soreness ?? "–"}/10.`) : "",
    el("p", { class: "hint" }, "Sleep under 7 h on average, or soreness of 7/10 and more, softens the plan (rule R1)."),
    form);
}
