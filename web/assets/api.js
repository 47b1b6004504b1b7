// api.js - talking to /api/v1 from the browser.
//
// The session is the HttpOnly cookie ywtb_session that POST /auth/login sets;
// the page never sees the token.  Requests that change something carry the
// session's CSRF token (X-CSRF-Token), which comes with the login answer and
// with GET /me (account.csrf_token).
//
// Every call resolves to { ok, status, data, error } and never throws: error is
// the API's { code, message, field } or, when the network failed,
// { code: 'network' }.

let csrf = null;
let mePromise = null;

const WRITE_NEEDS_CSRF = (method, path) => method !== 'GET' && method !== 'HEAD' && !/^\/api\/v1\/auth\/(login|register|password-reset(\/code)?)$/.test(path);

export async function request(method, path, body, extraHeaders) {
  if (WRITE_NEEDS_CSRF(method, path) && !csrf) await me();
  let r = await send(method, path, body, extraHeaders);
  if (!r.ok && r.error && r.error.code === 'csrf_token_invalid' && WRITE_NEEDS_CSRF(method, path)) {
    await me(true);
    r = await send(method, path, body, extraHeaders);
  }
  return r;
}

async function send(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', ...(extraHeaders || {}) };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    return { ok: false, status: 0, data: null, error: { code: 'network', message: String(e && e.message) } };
  }
  let data = null;
  const ct = r.headers.get('Content-Type') || '';
  if (ct.startsWith('application/json')) {
    try {
      data = await r.json();
    } catch {
      data = null;
    }
  }
  if (r.ok) return { ok: true, status: r.status, data, error: null };
  const error = (data && data.error) || { code: `http_${r.status}`, message: r.statusText };
  return { ok: false, status: r.status, data, error };
}

export const get = (path) => request('GET', path);
export const post = (path, body, headers) => request('POST', path, body === undefined ? {} : body, headers);
export const put = (path, body) => request('PUT', path, body === undefined ? {} : body);
export const del = (path) => request('DELETE', path);

/** A query string from an object (empty values left out), with its '?'. */
export function qs(query = {}) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Upload a file (multipart field `file`) to POST /api/v1/files, reporting
 * progress as onProgress(loaded, total).  Resolves like request():
 * { ok, status, data: {file_id, sha256, size, mime, filename}, error }.
 */
export async function upload(file, onProgress) {
  if (!csrf) await me();
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/files');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.addEventListener('progress', (e) => {
      if (onProgress) onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, status: xhr.status, data, error: null });
      else resolve({ ok: false, status: xhr.status, data, error: (data && data.error) || { code: `http_${xhr.status}`, message: xhr.statusText } });
    });
    const fail = () => resolve({ ok: false, status: 0, data: null, error: { code: 'network', message: 'upload failed' } });
    xhr.addEventListener('error', fail);
    xhr.addEventListener('abort', fail);
    const fd = new FormData();
    fd.append('file', file, file.name);
    xhr.send(fd);
  });
}

/** A random key for Idempotency-Key (one per wizard session). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Might there be a session?  Login sets the readable marker cookie ywtb_in beside the HttpOnly session. */
function maybeSignedIn() {
  try {
    return /(?:^|;\s*)ywtb_in=1/.test(document.cookie);
  } catch {
    return true;
  }
}

/** The logged-in account, or null (one request per page; none without the login marker). */
export function me(force = false) {
  if (!force && !mePromise && !maybeSignedIn()) return Promise.resolve(null);
  if (!mePromise || force) {
    mePromise = get('/api/v1/me').then((r) => {
      if (r.ok && r.data && r.data.account) {
        csrf = r.data.account.csrf_token || csrf;
        return r.data.account;
      }
      return null;
    });
  }
  return mePromise;
}

export async function login(loginName, password) {
  const r = await request('POST', '/api/v1/auth/login', { login: loginName, password });
  if (r.ok) {
    csrf = r.data.csrf_token;
    mePromise = Promise.resolve(r.data.account);
  }
  return r;
}

export async function logout() {
  if (!csrf) await me(true);
  let r = await request('POST', '/api/v1/auth/logout');
  if (!r.ok && r.error.code === 'csrf_token_invalid') {
    await me(true);
    r = await request('POST', '/api/v1/auth/logout');
  }
  if (r.ok || r.status === 401) {
    csrf = null;
    mePromise = Promise.resolve(null);
  }
  return r;
}

/** Change the password; the server ends every other session of the account. */
export function changePassword(oldPassword, newPassword) {
  return request('POST', '/api/v1/me/password', { old_password: oldPassword, new_password: newPassword });
}

export function register(body) {
  return request('POST', '/api/v1/auth/register', body);
}

/* Catalog reads, cached for the page's lifetime. */
const cache = new Map();
function cached(path) {
  if (!cache.has(path)) cache.set(path, get(path));
  return cache.get(path);
}

export const departments = () => cached('/api/v1/departments');
export const bundles = () => cached('/api/v1/bundles');
export const bundle = (code) => get(`/api/v1/bundles/${encodeURIComponent(code)}`);
export const item = (code) => get(`/api/v1/items/${encodeURIComponent(code)}`);

/** Search and browse: q, dept, target, type, limit, cursor. */
export function items(query = {}) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  return get(`/api/v1/items${u.toString() ? `?${u}` : ''}`);
}
