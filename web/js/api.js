// api.js — the JSON API client: keeps the CSRF token, turns errors into
// exceptions carrying the server's Spanish message and the field at fault.

let csrf = '';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    // an answer without the server's message (a proxy's page, a gateway
    // that timed out) is still said in Spanish, not «Error 502»
    super(e.message || (status >= 500
      ? `El servidor no pudo atender la solicitud (código ${status}). Intente de nuevo en un momento; si sigue fallando, avise a soporte técnico.`
      : `El servidor rechazó la solicitud (código ${status}).`));
    this.status = status;
    this.code = e.code;
    this.field = e.field;
    this.retryAfter = e.retry_after;
    this.body = body; // a 422's per-record "errors", for the page to list
  }
}

export function setCsrf(t) { csrf = t || ''; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { error: { message: 'No hay conexión con el servidor. Verifique la red e intente de nuevo.' } });
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (r.status === 401 && path !== '/api/v1/session') onUnauthorized(json);
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b === undefined ? {} : b);
export const patch = (p, b) => api('PATCH', p, b);
export const del = (p) => api('DELETE', p);
export const qs = (o) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

// A raw body (a CSV file as the user chose it: bytes untouched, so the
// server can point at a row that is not UTF-8); answers parsed JSON even
// for 4xx, which carry the per-row report.
export async function postRaw(path, body, contentType) {
  const headers = { Accept: 'application/json', 'Content-Type': contentType };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { error: { message: 'No hay conexión con el servidor. Verifique la red e intente de nuevo.' } });
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (r.status === 401) onUnauthorized(json);
  return { status: r.status, json };
}
