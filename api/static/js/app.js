/* legday dashboard: sign-in (a token typed, or from a #token=... link), a coach's athlete switch,
   and a hash router over the pages. Plain ES modules, no dependencies, nothing inline. */

import { api, session, setActAs, setToken } from "./api.js";
import { calendarNotice, initNotices, watchRecompute } from "./notices.js";
import { $, $$, el, setUnits, todayIn } from "./dom.js";
import { showActivities, showActivity } from "./activities.js";
import { showSettings } from "./settings.js";
import { showTrends } from "./trends.js";
import { showWeek } from "./week.js";

const PAGES = ["week", "trends", "activities", "activity", "settings"];
let noRunsCache = null;

const ctx = {
  profile: null,
  rules: new Map(),
  today: () => todayIn(ctx.profile.timezone),
  setProfile(p) {
    ctx.profile = p;
    setUnits(p.units);
    $("#athlete-name").textContent = p.name;
    noRunsCache = null;
    watchRecompute(ctx, refresh, p);
    calendarNotice(p);
  },
  dataChanged() { noRunsCache = null; },
  async noRuns() {
    if (noRunsCache === null) {
      try { noRunsCache = (await api("/v1/trends/load?days=3660")).days.length === 0; } catch (e) { noRunsCache = false; }
    }
    return noRunsCache;
  },
  announce(text) { const a = $("#announce"); a.textContent = ""; setTimeout(() => { a.textContent = text; }, 50); },
  toast(text) { ctx.announce(text); },
  pending: null, // what the next week page should say changed (e.g. "Settings saved")
};

/* ---------- sign in ---------- */

function show(state) { // "signin" | "coach" | "app"
  $("#signin").hidden = state !== "signin";
  $("#app").hidden = state !== "app";
  $("#coach").hidden = state !== "coach";
  $("#who").hidden = state === "signin";
  $("#nav").hidden = state !== "app";
  if (state !== "app") { calendarNotice(null); $("#recompute-banner").hidden = true; }
}

async function signIn(candidate, fromForm = false) {
  setToken(candidate);
  try {
    const me = await api("/v1/me");
    ctx.setProfile(me);
    await afterSignIn();
    return;
  } catch (err) {
    if (err.status === 401 && (await tryCoach())) return;
    setToken(null);
    setActAs(null);
    show("signin");
    if (fromForm || err.status !== 401) {
      $("#signin-error").textContent = err.status === 401 ? "That token was not accepted." : `Could not sign in: ${err.message}`;
    }
  }
}

async function tryCoach() {
  const acting = session.actAs;
  setActAs(null);
  let roster;
  try { roster = await api("/v1/athletes"); } catch (e) { return false; }
  const pick = $("#athlete-pick");
  pick.replaceChildren(el("option", { value: "" }, "Choose an athlete…"), ...roster.athletes.map((a) => el("option", { value: String(a.id) },
    `${a.name} (${a.activities_28d} in 28 days${a.token === "active" ? "" : `, token ${a.token}`})`)));
  $("#coach-switch").hidden = false;
  $("#who-role").textContent = "Coach";
  const list = $("#coach-list");
  list.replaceChildren(...(roster.athletes.length ? roster.athletes.map((a) => el("li", {},
    el("button", { type: "button", class: "ghost", onclick: () => actAs(a.id) }, a.name),
    ` ${a.activities_28d} activities in 28 days${a.last_activity_date ? `, last ${a.last_activity_date}` : ""}`)) : [el("li", {}, "No athletes yet: create one with `legday athletes create NAME`.")]));
  if (acting && roster.athletes.some((a) => String(a.id) === acting)) { await actAs(acting); return true; }
  show("coach");
  $("#athlete-name").textContent = "";
  return true;
}

async function actAs(id) {
  setActAs(id || null);
  $("#athlete-pick").value = id ? String(id) : "";
  if (!id) { show("coach"); return; }
  ctx.setProfile(await api("/v1/me"));
  await afterSignIn();
}

async function afterSignIn() {
  if (!ctx.rules.size) {
    try { for (const r of (await api("/v1/rules")).rules) ctx.rules.set(r.id, r); } catch (e) { /* ids stay bare */ }
  }
  show("app");
  await route();
}

function signOut() {
  setToken(null);
  setActAs(null);
  ctx.profile = null;
  $("#token").value = "";
  $("#signin-error").textContent = "";
  $("#coach-switch").hidden = true;
  $("#who-role").textContent = "";
  show("signin");
  history.replaceState(null, "", location.pathname);
}

/* ---------- routing ---------- */

/** Figures changed under the page (a recompute finished): read it again, focus where it was; a
    settings form being edited is left alone (the profile it shows is already the new one). */
function refresh() {
  if (!ctx.profile || $("#app").hidden || !$("#page-settings").hidden) return;
  route({ focus: false });
}

async function route({ focus = true } = {}) {
  if (!ctx.profile) return;
  const [, page = "week", arg] = location.hash.replace(/^#/, "").split("/");
  const name = PAGES.includes(page) ? page : "week";
  for (const p of PAGES) $(`#page-${p}`).hidden = p !== name;
  $$("#nav a").forEach((a) => a.toggleAttribute("aria-current", a.dataset.page === (name === "activity" ? "activities" : name)));
  $$("#nav a[aria-current]").forEach((a) => a.setAttribute("aria-current", "page"));
  const titles = { week: "Week", trends: "Trends", activities: "Activities", activity: "Activity", settings: "Settings" };
  document.title = `${titles[name]} · ${ctx.profile.name} · legday`;
  if (name === "week") {
    const changed = ctx.pending;
    ctx.pending = null;
    await showWeek(ctx, arg, changed);
  }
  else if (name === "trends") await showTrends(ctx);
  else if (name === "activities") await showActivities(ctx);
  else if (name === "activity") await showActivity(ctx, arg);
  else if (name === "settings") showSettings(ctx);
  const heading = $(`#page-${name} h2[tabindex="-1"]`);
  if (heading && routed && focus) heading.focus({ preventScroll: false });
  routed = true;
}
let routed = false;

/* ---------- start ---------- */

initNotices(ctx, refresh);
$("#signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("#signin-error").textContent = "";
  signIn($("#token").value.trim(), true);
});
$("#sign-out").addEventListener("click", signOut);
$("#athlete-pick").addEventListener("change", (e) => actAs(e.target.value));
window.addEventListener("hashchange", () => { if (ctx.profile) route(); });

const fragment = /^#token=([^&]+)/.exec(location.hash);
if (fragment) { // a sign-in link (legday athletes token NAME): keep the token, drop it from the address bar
  setActAs(null);
  setToken(decodeURIComponent(fragment[1]));
  history.replaceState(null, "", `${location.pathname}#/week`);
}
if (session.token) signIn(session.token); else show("signin");
