/* The API client: the bearer token (an athlete's, or a coach's admin token with the athlete to act
   as), JSON in and out, errors as Error(detail) with .status. A 429 or 503 with Retry-After is
   waited out and retried once; an answer carrying Legday-Recomputing tells the page that stored
   figures are still following a profile change. */

const TOKEN_KEY = "legday.token";
const ACT_KEY = "legday.actAs";
export const session = {
  token: localStorage.getItem(TOKEN_KEY),
  actAs: localStorage.getItem(ACT_KEY),
};
export const RECOMPUTING = "Legday-Recomputing";
const MAX_WAIT_S = 60; // a longer Retry-After is reported, not waited out

const listeners = { busy: () => {}, recomputing: () => {} };
/** busy(seconds, path) when the server asks to wait (null when the wait is over); recomputing()
    when an answer says the athlete's figures are being recomputed. */
export function listen(events) { Object.assign(listeners, events); }

export function setToken(token) {
  session.token = token;
  if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
}
export function setActAs(id) {
  session.actAs = id ? String(id) : null;
  if (id) localStorage.setItem(ACT_KEY, String(id)); else localStorage.removeItem(ACT_KEY);
}

function headers(extra = {}) {
  const h = Object.assign({}, extra, { Authorization: `Bearer ${session.token}` });
  if (session.actAs) h["X-Legday-Athlete"] = session.actAs;
  return h;
}

/** Retry-After as seconds (a number of seconds or an HTTP date), or null. */
export function retryAfter(value, now = Date.now()) {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

const sleep = (s) => new Promise((done) => { setTimeout(done, s * 1000); });

/** fetch, waiting out one 429/503 with Retry-After (options.onBusy(seconds) is told, else the
    page's busy listener). The request is sent at most twice. */
async function send(path, opts, onBusy) {
  let res = await fetch(path, opts);
  const wait = res.status === 429 || res.status === 503 ? retryAfter(res.headers.get("Retry-After")) : null;
  if (wait !== null && wait <= MAX_WAIT_S) {
    const tell = onBusy || listeners.busy;
    tell(wait, path);
    await sleep(wait);
    try { res = await fetch(path, opts); } finally { tell(null, path); }
  }
  if (res.headers.get(RECOMPUTING) === "true") listeners.recomputing();
  return res;
}

async function failure(res) {
  let detail = `${res.status} ${res.statusText}`;
  try { detail = (await res.json()).detail || detail; } catch (e) { /* not JSON */ }
  const wait = retryAfter(res.headers.get("Retry-After"));
  if ((res.status === 429 || res.status === 503) && wait !== null) detail += ` (the server is busy: try again in ${wait} s)`;
  const err = new Error(detail);
  err.status = res.status;
  return err;
}

export async function api(path, options = {}) {
  const opts = Object.assign({}, options);
  const onBusy = opts.onBusy;
  delete opts.onBusy;
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers = Object.assign({}, opts.headers, { "Content-Type": "application/json" });
    delete opts.json;
  }
  opts.headers = headers(opts.headers);
  const res = await send(path, opts, onBusy);
  if (!res.ok) throw await failure(res);
  const type = res.headers.get("content-type") || "";
  return type.includes("json") ? res.json() : null;
}

/** A binary download with the bearer token (a plain link cannot send it). */
export async function download(path, fileName) {
  const res = await send(path, { headers: headers() });
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "field.sub: message; other: message" (the API's 422 detail) → [[field, message], ...]. */
export function fieldErrors(detail) {
  return String(detail).split("; ").map((part) => {
    const i = part.indexOf(": ");
    return i > 0 && !part.slice(0, i).includes(" ") ? [part.slice(0, i), part.slice(i + 2)] : ["", part];
  });
}
