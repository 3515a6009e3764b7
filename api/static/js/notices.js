/* Notices above every page: the server is busy (a 429/503 waited out), the figures are being
   updated after a profile change (polled until done, then the page refreshes), and the calendar
   URL was reissued (the new link, until dismissed). */

import { api, listen, session } from "./api.js";
import { $, el } from "./dom.js";

const POLL_MS = 2000;
const DISMISS_KEY = "legday.calendarNoticeSeen";
let poll = null; // the pending setTimeout while figures are being recomputed

/** Start listening: busy answers and the Legday-Recomputing header. refresh() re-reads the page. */
export function initNotices(ctx, refresh) {
  listen({
    busy(seconds) {
      const box = $("#busy");
      box.hidden = seconds === null;
      box.textContent = seconds === null ? "" : `The server is busy, retrying in ${seconds} s…`;
    },
    recomputing() { if (ctx.profile) watchRecompute(ctx, refresh, { recomputing: true }); },
  });
}

/** Show the recompute banner while the profile says so; poll GET /v1/me until it clears. */
export function watchRecompute(ctx, refresh, me = ctx.profile) {
  const box = $("#recompute-banner");
  if (!me || !me.recomputing) {
    if (!poll) box.hidden = true;
    return;
  }
  if (poll && !("recompute_pending" in me)) return; // already shown and polled
  const left = me.recompute_pending ? ` (${me.recompute_pending} ${me.recompute_pending === 1 ? "activity" : "activities"} to go)` : "";
  box.replaceChildren(el("p", {}, `Updating your figures after the profile change…${left}`),
    el("p", { class: "hint" }, "Until it is done the totals, dates and loads shown are the ones from before the change. This page refreshes by itself."));
  box.hidden = false;
  if (poll) return;
  const athlete = who();
  const check = async () => {
    let now = null;
    try { now = await api("/v1/me"); } catch (e) { /* keep the banner; try again */ }
    if (athlete !== who()) { poll = null; box.hidden = true; return; } // signed out or switched
    if (now && !now.recomputing) {
      poll = null;
      box.hidden = true;
      ctx.setProfile(now);
      ctx.dataChanged();
      ctx.announce("Your figures are up to date with the new profile.");
      refresh();
      return;
    }
    if (now) watchRecompute(ctx, refresh, { ...now, recomputing: true });
    poll = setTimeout(check, POLL_MS);
  };
  poll = setTimeout(check, POLL_MS);
}

const who = () => `${session.token}|${session.actAs}`; // whose figures the banner is about

/** The calendar feed URL was reissued (GET /v1/me calendar_url_reissued_at): say so, with the new
    link, until dismissed (remembered per athlete and reissue). */
export function calendarNotice(profile) {
  const box = $("#calendar-notice");
  const when = profile && profile.calendar_url_reissued_at;
  const key = profile ? `${profile.id}@${when}` : "";
  if (!when || localStorage.getItem(DISMISS_KEY) === key) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const day = String(when).slice(0, 10);
  const url = profile.calendar_url;
  box.replaceChildren(
    el("h2", { id: "calendar-notice-title" }, "Your calendar address has changed"),
    el("p", {}, `On ${day} this server issued your plan's calendar feed a new address; the old one no longer updates. `
      + "Subscribe again with the new link (and remove the old calendar from your app)."),
    el("p", {}, el("a", { href: url.replace(/^https?:/, "webcal:"), id: "calendar-notice-link" }, "Subscribe with the new link")),
    el("label", { for: "calendar-notice-url" }, "New feed address (keep it private)"),
    el("input", { id: "calendar-notice-url", type: "text", readonly: true, value: url, onfocus: (e) => e.target.select() }),
    el("button", { type: "button", class: "ghost small", onclick: () => {
      localStorage.setItem(DISMISS_KEY, key);
      box.hidden = true;
      box.replaceChildren();
    } }, "Dismiss"));
  box.hidden = false;
}
