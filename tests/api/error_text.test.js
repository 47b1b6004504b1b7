// error_text.test.js - every response body is valid UTF-8 JSON, whatever the
// path, query or body holds (issue 16, item 4).
//
// The hostile trial got 101 error bodies that were not JSON: path parameters
// were not checked for UTF-8, and `'%.40s'` in error messages cut Chinese
// characters in half.  Now the router refuses a path that is not UTF-8 (400
// invalid_utf8), yw_fail counts characters in `%.Ns`, and the error body
// repairs any byte that is still not UTF-8.  Each body here is decoded
// strictly (a fatal TextDecoder) before JSON.parse: a lenient decoder would
// hide exactly the bug.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './harness.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** One request with the path sent exactly as written: { status, body (Buffer) }. */
function send(srv, method, path, { token, body } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, headers, agent: false }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The body as strict UTF-8 JSON (fails the test otherwise). */
function json(r, what) {
  let text;
  try {
    text = strict.decode(r.body);
  } catch {
    assert.fail(`${what}: the body is not UTF-8: ${r.body.toString('latin1').slice(0, 300)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what}: the body is not JSON: ${text.slice(0, 300)}`);
  }
}

const enc = (s) => encodeURIComponent(s);

/* Path parameter values that are valid text, as sent (percent-encoded). */
const TEXT = {
  chinese: enc('中文'),
  'chinese x200': enc('中'.repeat(200)),
  'emoji x100': enc('😀'.repeat(100)),
  'accented x300': enc('é'.repeat(300)),
  'ascii x3000': 'A'.repeat(3000),
  'mixed x500': enc('a中'.repeat(500)),
  'quotes and controls': enc('"\\\'<script>\n\t\u0001'),
};
/* Values that are not UTF-8 once decoded. */
const NOT_TEXT = {
  'lone byte FF': '%FF',
  'C3 28 (bad continuation)': '%C3%28',
  'cut character': '%E4%B8',
  'cut at the end': `ab${enc('中')}c%E4`,
  'surrogate': '%ED%A0%80',
  'overlong slash': '%C0%AF',
  'above U+10FFFF': '%F4%90%80%80',
  'FE FF': '%FE%FF',
  'Chinese then FF': `${enc('中'.repeat(50))}%FF`,
};

describe('every response body is UTF-8 JSON', () => {
  let srv, clerk, admin;
  before(async () => {
    srv = await startServer();
    clerk = await srv.login('clerk');
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  /* Routes with a path parameter X (several modules), and paths no route has. */
  const routes = () => [
    ['GET', '/api/v1/items/X'],
    ['GET', '/api/v1/items/X/versions'],
    ['GET', '/api/v1/bundles/X'],
    ['GET', '/api/v1/license-types/X'],
    ['GET', '/api/v1/cases/X', clerk],
    ['GET', '/api/v1/cases/X/notices/X', clerk],
    ['POST', '/api/v1/cases/X/withdraw', clerk, '{}'],
    ['GET', '/api/v1/licenses/X', admin],
    ['GET', '/api/v1/public/licenses/X'],
    ['GET', '/api/v1/public/license-grants/X'],
    ['GET', '/api/v1/licenses/status-lists/X'],
    ['GET', '/api/v1/accounts/X', admin],
    ['GET', '/api/v1/files/X', clerk],
    ['POST', '/api/v1/tasks/X/decide', admin, '{"decision":"approve","opinion":"ok"}'],
    ['GET', '/api/v1/no-such-route/X'],
    ['GET', '/X'],
  ];

  test('text path parameters: every answer is UTF-8 JSON, never a 5xx', async () => {
    let n = 0;
    for (const [label, value] of Object.entries(TEXT)) {
      for (const [method, tpl, token, body] of routes()) {
        const path = tpl.replaceAll('X', value);
        const what = `${method} ${tpl} with ${label}`;
        const r = await send(srv, method, path, { token, body });
        assert.ok(r.status < 500, `${what}: ${r.status}`);
        const j = json(r, what);
        if (r.status >= 400) {
          assert.equal(typeof j.error?.code, 'string', `${what}: ${JSON.stringify(j)}`);
          assert.equal(typeof j.error.message, 'string');
        }
        n++;
      }
    }
    assert.ok(n >= 100);
  });

  test('a quoted parameter is cut after 40 characters, not 40 bytes', async () => {
    const zh = '中'.repeat(200);
    let r = await send(srv, 'GET', `/api/v1/items/${enc(zh)}`);
    assert.equal(r.status, 404);
    assert.equal(json(r, 'item').error.message, `no item '${'中'.repeat(40)}'`);
    r = await send(srv, 'GET', `/api/v1/cases/${enc('😀'.repeat(60))}`, { token: clerk });
    assert.equal(r.status, 404);
    assert.equal(json(r, 'case').error.message, `no case '${'😀'.repeat(40)}'`);
    r = await send(srv, 'GET', `/api/v1/bundles/${enc('办'.repeat(41))}`);
    assert.equal(r.status, 404);
    assert.match(json(r, 'bundle').error.message, new RegExp(`'${'办'.repeat(40)}'$`));
    // a message longer than its buffer is cut at a character too
    r = await send(srv, 'GET', `/api/v1/no-such-route/${enc('é'.repeat(300))}`);
    assert.equal(r.status, 404);
    assert.match(json(r, 'route').error.message, /^no such route: GET \/api\/v1\/no-such-route\/é+$/);
  });

  test('path parameters that are not UTF-8 are 400 invalid_utf8 on every route', async () => {
    for (const [label, value] of Object.entries(NOT_TEXT)) {
      for (const [method, tpl, token, body] of routes()) {
        const what = `${method} ${tpl} with ${label}`;
        const r = await send(srv, method, tpl.replaceAll('X', value), { token, body });
        assert.equal(r.status, 400, `${what}: ${r.status} ${r.body}`);
        assert.equal(json(r, what).error.code, 'invalid_utf8', what);
      }
    }
    // also without logging in: the path is refused before anything else
    const r = await send(srv, 'GET', '/api/v1/cases/%FF');
    assert.equal(r.status, 400);
    assert.equal(json(r, 'anonymous').error.code, 'invalid_utf8');
  });

  test('queries and bodies: invalid text is refused, long text is answered as JSON', async () => {
    let r = await send(srv, 'GET', '/api/v1/items?q=%FF');
    assert.equal(r.status, 400);
    assert.equal(json(r, 'query FF').error.code, 'invalid_utf8');
    r = await send(srv, 'GET', `/api/v1/items?q=${enc('中'.repeat(300))}`);
    assert.ok(r.status < 500);
    json(r, 'long query');
    r = await send(srv, 'GET', `/api/v1/items?${enc('键'.repeat(100))}=1&limit=${enc('十'.repeat(100))}`);
    assert.ok(r.status < 500);
    json(r, 'odd query');
    // an unknown field named in Chinese, a wrong value quoted back
    for (const body of [
      JSON.stringify({ login: 'a', password: 'b', ['字'.repeat(300)]: 1 }),
      JSON.stringify({ login: '中'.repeat(3000), password: 'x' }),
      JSON.stringify({ kind: '人'.repeat(500), name: '名', phone: '1', password: 'x' }),
    ]) {
      for (const p of ['/api/v1/auth/login', '/api/v1/auth/register']) {
        r = await send(srv, 'POST', p, { body });
        assert.ok(r.status < 500, `${p}: ${r.status}`);
        const j = json(r, `${p} ${body.slice(0, 40)}`);
        if (r.status >= 400) assert.equal(typeof j.error.message, 'string');
      }
    }
  });
});
