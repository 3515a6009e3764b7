/* DOM, number and date helpers shared by every page (no dependencies, no inline styles). */

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const SVG_NS = "http://www.w3.org/2000/svg";

/** An element: attrs (class, aria-*, data-*, for, ...) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (text !== undefined) node.textContent = text;
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.setAttribute("class", v);
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
}

export const isNum = (x) => x !== null && x !== undefined && !Number.isNaN(Number(x));

export function fmt(x, digits = 0) {
  if (!isNum(x)) return "–";
  return Number(x).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/* ---- units: SI inside, km/m or mi/ft at the edge ---- */
let imperial = false;
export function setUnits(units) { imperial = units === "imperial"; }
export const distUnit = () => (imperial ? "mi" : "km");
export const elevUnit = () => (imperial ? "ft" : "m");
export const dist = (km) => (isNum(km) ? (imperial ? km * 0.621371 : Number(km)) : null);
export const elev = (m) => (isNum(m) ? (imperial ? m * 3.28084 : Number(m)) : null);
export const distText = (km, d = 1) => `${fmt(dist(km), d)} ${distUnit()}`;
export const elevText = (m) => `${fmt(elev(m))} ${elevUnit()}`;
export const isImperial = () => imperial;
export const KM_PER_MI = 1.609344;
export const M_PER_FT = 0.3048;
export const LB_PER_KG = 2.20462262;
export const loadUnit = () => (imperial ? "lb" : "kg");
/** A load on the bar in the runner's unit: kg, or lb rounded to 5 (plates) unless the API gave lb. */
export function loadIn(kg, lb = null) {
  if (!imperial) return isNum(kg) ? Number(kg) : null;
  if (isNum(lb)) return Number(lb);
  return isNum(kg) ? Math.round((kg * LB_PER_KG) / 5) * 5 : null;
}
export const loadText = (kg, lb = null) => `${fmt(loadIn(kg, lb), 1).replace(/\.0$/, "")} ${loadUnit()}`;
/** A computed weight (an e1RM) in the runner's unit, unrounded. */
export const weight = (kg) => (isNum(kg) ? (imperial ? kg * LB_PER_KG : Number(kg)) : null);

/* ---- dates: ISO strings, days counted in UTC so no time zone shifts them ---- */
export function todayIn(tz) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());
  } catch (e) {
    return new Date().toISOString().slice(0, 10);
  }
}
export function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
export function weekdayOf(iso) {
  return WEEKDAYS[(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7];
}
export function weekStartOf(iso, first = "monday") {
  const back = (WEEKDAYS.indexOf(weekdayOf(iso)) - WEEKDAYS.indexOf(first) + 7) % 7;
  return addDays(iso, -back);
}
export function shortDate(iso) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}
export function dayLabel(iso) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "long", day: "numeric", month: "short", timeZone: "UTC",
  });
}
export const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);
export function duration(s) {
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, "0")}` : `${m} min`;
}

/** A polite status message in a live region. */
export function say(node, text, kind = "") {
  node.replaceChildren(el("p", { class: kind }, text));
}
