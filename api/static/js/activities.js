/* Activities: upload, folder sync, the list (a table that scrolls sideways on a phone and says so),
   and one activity's page: elevation profile, descent by grade, the track drawn as a line. */

import { api } from "./api.js";
import { barChart, lineChart } from "./chart.js";
import { $, addDays, distText, dist, distUnit, duration, el, elev, elevText, elevUnit, fmt, svg } from "./dom.js";

const SPORT = { run: "run", trail_run: "trail run", treadmill: "treadmill", hike: "hike", walk: "walk", ride: "ride", other: "other" };

export async function showActivities(ctx) {
  const page = $("#page-activities");
  const result = el("div", { id: "upload-result", class: "result", role: "status", "aria-live": "polite" });
  const fileInput = el("input", { id: "file", name: "file", type: "file", multiple: true, required: true, accept: ".fit,.gpx,.tcx,.gz,.zip,.FIT,.GPX,.TCX", "aria-describedby": "file-hint" });
  const button = el("button", { type: "submit", id: "upload-button" }, "Upload");
  const tbody = el("tbody");
  const form = el("form", { id: "upload-form" }, el("label", { for: "file" }, "Watch files (.fit, .gpx, .tcx, .gz or an export .zip)"), fileInput,
    el("p", { class: "hint", id: "file-hint" }, "Choose one or several: they are sent one at a time, each with its own result."), button);
  form.addEventListener("submit", (e) => upload(e, ctx, fileInput, button, result, tbody));
  const sync = el("div", { id: "sync-status", "aria-live": "polite" });
  page.replaceChildren(
    el("section", { class: "card", "aria-labelledby": "upload-title" }, el("h2", { id: "activities-title", class: "sr-only", tabindex: "-1" }, "Activities"),
      el("h2", { id: "upload-title" }, "Add runs"), form, result),
    el("section", { class: "card", "aria-labelledby": "sync-title" }, el("div", { class: "card-head" }, el("h2", { id: "sync-title" }, "Folder sync"),
      el("button", { type: "button", id: "sync-run", class: "small", onclick: () => runSync(sync) }, "Sync now")), sync),
    el("section", { class: "card wide", "aria-labelledby": "list-title" }, el("h2", { id: "list-title" }, "The last 12 months"),
      el("p", { class: "scroll-hint", id: "scroll-hint" }, "The table scrolls sideways →"),
      el("div", { class: "table-wrap scroller", tabindex: "0", role: "region", "aria-labelledby": "list-title", "aria-describedby": "scroll-hint" },
        el("table", { id: "activity-table" }, el("caption", { class: "sr-only" }, "Activities, newest first; open one for its profile"),
          el("thead", {}, el("tr", {}, ["Date", "Activity", distUnit(), `Climb ${elevUnit()}`, `Descent ${elevUnit()}`, `D−eff ${elevUnit()}`, "Time", "File"]
            .map((h, i) => el("th", { scope: "col", class: i >= 2 && i <= 6 ? "num" : "" }, h)))), tbody))));
  loadSync(sync);
  await fillTable(ctx, tbody);
}

async function fillTable(ctx, tbody) {
  try {
    const start = addDays(ctx.today(), -365);
    const { activities } = await api(`/v1/activities?start=${start}`);
    const rows = activities.filter((a) => !a.duplicate_of).reverse().map((a) => el("tr", {},
      el("td", {}, a.local_date), el("td", {}, el("a", { href: `#/activity/${a.id}` }, SPORT[a.sport] || a.sport)),
      el("td", { class: "num" }, fmt(dist(a.distance_m / 1000), 1)), el("td", { class: "num" }, fmt(elev(a.ascent_m))),
      el("td", { class: "num" }, fmt(elev(a.descent_m))), el("td", { class: "num" }, fmt(elev(a.descent_load_m))),
      el("td", { class: "num" }, duration(a.duration_s)), el("td", { class: "file" }, a.file_name || "")));
    tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "8", class: "empty" }, "No activities yet: upload your first runs above."))]));
  } catch (err) {
    tbody.replaceChildren(el("tr", {}, el("td", { colspan: "8", class: "error" }, err.message)));
  }
}

/* ---- upload: one file at a time, a row each (waiting → uploading → ingested / duplicate / failed) ---- */

function fileRow(file) {
  const status = el("span", { class: "status" }, "waiting");
  const bar = el("progress", { max: "1", value: "0", "aria-label": `${file.name}: progress` });
  const detail = el("div", { class: "detail" });
  const row = el("li", { class: "upload-row", "data-file": file.name, "data-status": "waiting" },
    el("span", { class: "file-name" }, file.name), " ", status, bar, detail);
  const set = (state, text, ...more) => {
    row.dataset.status = state;
    status.textContent = text;
    status.className = `status ${state === "failed" ? "bad" : state === "ingested" || state === "duplicate" ? "ok" : ""}`;
    if (state === "uploading") bar.removeAttribute("value"); // indeterminate while the server reads it
    else bar.value = state === "waiting" ? 0 : 1;
    detail.replaceChildren(...more);
  };
  return { row, set };
}

function summaryLine(a) {
  return el("a", { href: `#/activity/${a.id}` }, `${a.local_date}: ${distText(a.distance_m / 1000, 2)}, ${elevText(a.ascent_m)} up, ${elevText(a.descent_m)} down, descent load ${elevText(a.descent_load_m)}`);
}

function showResult(set, a) {
  if (a.files) { // an export archive: a line per member that did not simply go in
    const n = (s) => a.files.filter((f) => f.status === s).length;
    const state = n("ingested") ? "ingested" : n("duplicate") ? "duplicate" : "failed";
    set(state, `archive: ${n("ingested")} ingested, ${n("duplicate")} duplicate, ${n("failed")} failed, ${n("skipped")} skipped`,
      el("ul", {}, a.files.filter((f) => f.status === "failed" || f.status === "skipped").slice(0, 20).map((f) => el("li", {}, `${f.name}: ${f.status}, ${f.reason}`))));
  } else if (a.duplicate_of) {
    set("duplicate", `duplicate: already have it as activity #${a.duplicate_of}`, summaryLine({ ...a, id: a.duplicate_of }));
  } else {
    set("ingested", "ingested", summaryLine(a));
  }
}

async function upload(event, ctx, input, button, out, tbody) {
  event.preventDefault();
  const files = [...input.files];
  if (!files.length) { out.replaceChildren(el("p", { class: "bad" }, "Choose a file first.")); return; }
  button.disabled = true;
  input.disabled = true;
  const rows = files.map(fileRow);
  const overall = el("progress", { max: String(files.length), value: "0", id: "upload-progress", "aria-label": "Files sent" });
  const counter = el("p", { id: "upload-count" }, `0 of ${files.length} files sent`);
  out.replaceChildren(counter, overall, el("ol", { class: "upload-rows", id: "upload-rows" }, rows.map((r) => r.row)));
  let added = 0;
  for (const [k, file] of files.entries()) { // one at a time: the server parses each before the next
    const { set } = rows[k];
    set("uploading", "uploading…");
    const form = new FormData();
    form.append("file", file);
    try {
      const a = await api("/v1/activities", { method: "POST", body: form,
        onBusy: (s) => { if (s !== null) set("uploading", `busy, retrying in ${s} s`); else set("uploading", "uploading…"); } });
      showResult(set, a);
      added += 1;
    } catch (err) {
      set("failed", `failed (${err.status || "error"}): ${err.message}`);
    }
    overall.value = k + 1;
    counter.textContent = `${k + 1} of ${files.length} files sent`;
  }
  const n = (s) => rows.filter((r) => r.row.dataset.status === s).length;
  counter.textContent = `${files.length} of ${files.length} files sent: ${n("ingested")} ingested, ${n("duplicate")} duplicate, ${n("failed")} failed`;
  ctx.announce(counter.textContent);
  input.value = "";
  input.disabled = false;
  button.disabled = false;
  if (added) {
    ctx.dataChanged();
    await fillTable(ctx, tbody);
  }
}

async function loadSync(box) {
  try {
    const s = await api("/v1/sync");
    const c = s.counts;
    const last = s.last_run && (s.last_run.finished_at || s.last_run.started_at);
    box.replaceChildren(
      el("p", {}, s.folders.length ? `Watching: ${s.folders.map((f) => f.path).join(", ")}` : "No sync folder configured for you."),
      el("p", { class: "counts" }, `${c.seen} seen · ${c.ingested} added · ${c.duplicate} duplicate · ${c.failed} failed`),
      el("p", { class: "hint" }, last ? `Last run ${new Date(last).toLocaleString()} (${s.last_run.status})` : "Never run."),
      ...s.failures.slice(0, 5).map((f) => el("p", { class: "error" }, `${f.file}: ${f.reason}`)));
    $("#sync-run").disabled = !s.folders.length;
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err.message));
  }
}

async function runSync(box) {
  try { await api("/v1/sync/run", { method: "POST" }); setTimeout(() => loadSync(box), 1500); } catch (err) { box.append(el("p", { class: "error" }, err.message)); }
}

/* ---- one activity ---- */

export async function showActivity(ctx, id) {
  const page = $("#page-activity");
  page.replaceChildren(el("p", {}, "Loading…"));
  let a;
  let t = null;
  let why = "";
  try {
    a = await api(`/v1/activities/${id}`);
  } catch (err) {
    page.replaceChildren(el("p", { class: "error", role: "alert" }, `Activity ${id}: ${err.message}`), el("a", { href: "#/activities" }, "Back to activities"));
    return;
  }
  try { t = await api(`/v1/activities/${id}/track`); } catch (err) { why = err.message; }
  const profileBox = el("div", { class: "chart" });
  const gradeBox = el("div", { class: "chart" });
  const mapBox = el("div", { class: "track" });
  const facts = [["Date", a.local_date], ["Distance", distText(a.distance_m / 1000, 2)], ["Time", `${duration(a.duration_s)} (moving ${duration(a.moving_s)})`],
    ["Climb", `${elevText(a.ascent_m)} (${a.elevation_source})`], ["Descent", elevText(a.descent_m)], ["Descent load D−eff", elevText(a.descent_load_m)],
    ["km-effort", fmt(a.km_effort, 1)], ["Heart rate", a.avg_hr ? `${fmt(a.avg_hr)} avg, ${fmt(a.max_hr)} max` : "none"], ["Device", a.device || "–"], ["File", a.file_name || "–"]];
  page.replaceChildren(
    el("div", { class: "card wide" }, el("a", { href: "#/activities" }, "‹ All activities"),
      el("h2", { id: "activity-title", tabindex: "-1" }, `${a.sport.replace("_", " ")} on ${a.local_date}`),
      el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      a.elevation_note ? el("p", { class: "hint" }, a.elevation_note) : ""),
    el("section", { class: "card wide", "aria-labelledby": "prof-title" }, el("h2", { id: "prof-title" }, "Elevation profile"), profileBox),
    el("section", { class: "card", "aria-labelledby": "grade-title" }, el("h2", { id: "grade-title" }, "Descent by grade"), gradeBox),
    el("section", { class: "card", "aria-labelledby": "track-title" }, el("h2", { id: "track-title" }, "Track"), mapBox));
  const bins = ["0-5", "5-10", "10-20", "20+"];
  barChart(gradeBox, { categories: bins, series: [{ label: "Descent", cls: "descent", values: bins.map((b) => elev(a.descent_by_grade_m[b] || 0)) }],
    yLabel: elevUnit(), catLabel: (b) => `${b} %`, empty: "No descent binned by grade.",
    label: `Descent by grade: ${bins.map((b) => `${b} %: ${fmt(elev(a.descent_by_grade_m[b] || 0))} ${elevUnit()}`).join(", ")}` });
  if (!t) {
    profileBox.replaceChildren(el("p", { class: "empty" }, `No profile: ${why}`));
    return;
  }
  const pts = t.distance_m.map((d, i) => [dist(d / 1000), elev(t.altitude_m[i])]);
  const alts = t.altitude_m.filter((v) => v !== null);
  lineChart(profileBox, { series: [{ label: "Altitude", cls: "altitude", points: pts, area: true }], xType: "num", xLabel: distUnit(), yLabel: elevUnit(),
    yMin: alts.length ? Math.floor(elev(Math.min(...alts)) / 50) * 50 : 0, height: 220, empty: "The file has no altitude.",
    label: alts.length ? `Elevation from ${fmt(elev(Math.min(...alts)))} to ${fmt(elev(Math.max(...alts)))} ${elevUnit()} over ${distText(a.distance_m / 1000)}` : "No altitude" });
  drawTrack(mapBox, t);
}

function drawTrack(box, t) {
  const ll = t.lat.map((lat, i) => [lat, t.lon[i]]).filter(([lat, lon]) => lat !== null && lon !== null);
  if (ll.length < 2) { box.replaceChildren(el("p", { class: "empty" }, "No positions in this file (a treadmill or a watch without GPS).")); return; }
  const lat0 = ll.reduce((s, p) => s + p[0], 0) / ll.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xy = ll.map(([lat, lon]) => [lon * k, -lat]);
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0) || 1e-6;
  const S = 300;
  const P = 12;
  const w = ((x1 - x0) / span) * (S - 2 * P) + 2 * P;
  const h = ((y1 - y0) / span) * (S - 2 * P) + 2 * P;
  const d = xy.map(([x, y], i) => `${i ? "L" : "M"}${(P + ((x - x0) / span) * (S - 2 * P)).toFixed(1)},${(P + ((y - y0) / span) * (S - 2 * P)).toFixed(1)}`).join("");
  const root = svg("svg", { viewBox: `0 0 ${w.toFixed(1)} ${h.toFixed(1)}`, role: "img", class: "track-svg",
    "aria-label": `The track as a line, north up, ${fmt(span * 111.32, 1)} km across at most` });
  root.append(svg("path", { d, class: "track-line" }));
  const [sx, sy] = d.slice(1).split("L")[0].split(",");
  root.append(svg("circle", { cx: sx, cy: sy, r: 4, class: "track-start" }));
  box.replaceChildren(root, el("p", { class: "hint" }, "North is up; the dot is the start. No map tiles: this server works offline."));
}
