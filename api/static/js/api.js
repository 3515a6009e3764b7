/* The API client: the bearer token (an athlete's, or a coach's admin token with the athlete to act
   as), JSON in and out, errors as Error(detail) with .status. */

const TOKEN_KEY = "legday.token";
const ACT_KEY = "legday.actAs";
export const session = {
  token: localStorage.getItem(TOKEN_KEY),
  actAs: localStorage.getItem(ACT_KEY),
};

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

export async function api(path, options = {}) {
  const opts = Object.assign({}, options);
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers = Object.assign({}, opts.headers, { "Content-Type": "application/json" });
    delete opts.json;
  }
  opts.headers = headers(opts.headers);
  const res = await fetch(path, opts);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : null;
  if (!res.ok) {
    const err = new Error((body && body.detail) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

/** A binary download with the bearer token (a plain link cannot send it). */
export async function download(path, fileName) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try { detail = (await res.json()).detail || detail; } catch (e) { /* not JSON */ }
    const err = new Error(detail);
    err.status = res.status;
    throw err;
  }
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
    return i > 0 ? [part.slice(0, i), part.slice(i + 2)] : ["", part];
  });
}
