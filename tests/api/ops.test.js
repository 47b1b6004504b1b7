// ops.test.js - operator routes (/healthz, /readyz, /metrics, OpenAPI), the
// headers every response carries, request ids, and static files.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, tempDir, ENGINE } from './harness.js';

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function assertSecurityHeaders(r, what) {
  for (const [h, v] of Object.entries(SECURITY)) assert.equal(r.headers.get(h), v, `${what}: ${h}`);
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  assert.match(csp, /default-src 'self'/, `${what}: CSP default-src`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.match(csp, /object-src 'none'/, `${what}: CSP object-src`);
  assert.match(r.headers.get('x-request-id') || '', /^[A-Za-z0-9._-]{1,64}$/, `${what}: X-Request-Id`);
}

function assertErrorBody(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
}

describe('ops routes', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  test('/healthz answers 200 with status, version, uptime and clock', async () => {
    const r = await srv.api('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8/);
    assert.equal(r.json.status, 'ok');
    const v = cli(['--version']).stdout.trim();
    assert.equal(`ywtb ${r.json.version}`, v);
    assert.ok(Number.isInteger(r.json.uptime_seconds) && r.json.uptime_seconds >= 0);
    assert.equal(r.json.clock.set, false, 'no --clock given: the real clock');
    const now = Date.parse(r.json.clock.now);
    assert.ok(Number.isFinite(now), `clock.now parses: ${r.json.clock.now}`);
    assert.match(r.json.clock.now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('HEAD /healthz is allowed and has no body', async () => {
    const r = await srv.api('HEAD', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });

  test('/readyz reports the engine under test and the schema version', async () => {
    const r = await srv.api('GET', '/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ready');
    assert.equal(r.json.db, 'ok');
    assert.equal(r.json.engine, ENGINE === 'postgres' ? 'postgresql' : 'sqlite');
    assert.ok(Number.isInteger(r.json.schema_version) && r.json.schema_version >= 1);
  });

  test('/metrics is Prometheus text and counts a request', async () => {
    const key = 'ywtb_http_requests_total{route="GET /healthz",status="200"}';
    const before = (await srv.metrics()).values.get(key) ?? 0;
    const h = await srv.api('GET', '/healthz');
    assert.equal(h.status, 200);
    // the counter is bumped when the server finishes the request, which may be
    // just after the client has the answer: read until it moves (no timing asserted)
    let m;
    for (let i = 0; i < 100; i++) {
      m = await srv.metrics();
      if ((m.values.get(key) ?? 0) > before) break;
    }
    assert.equal(m.values.get(key), before + 1);
    const r = m.response;
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /^# HELP ywtb_http_requests_total /m);
    assert.match(r.text, /^# TYPE ywtb_http_requests_total counter$/m);
    assert.match(r.text, /^# TYPE ywtb_http_request_duration_seconds histogram$/m);
    assert.match(r.text, /^process_resident_memory_bytes \d+$/m);
    const engine = ENGINE === 'postgres' ? 'postgresql' : 'sqlite';
    assert.ok(m.values.has(`ywtb_build_info{version="${(await srv.api('GET', '/healthz')).json.version}",engine="${engine}"}`));
    assert.ok(m.values.get('process_resident_memory_bytes') > 0);
    // every sample line is name{labels} value
    for (const line of r.text.split('\n'))
      if (line && !line.startsWith('#'))
        assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+(Inf)?$/, line);
  });

  test('/metrics counts errors by status too', async () => {
    const key = 'ywtb_http_requests_total{route="GET /api/v1/me",status="401"}';
    const before = (await srv.metrics()).values.get(key) ?? 0;
    assert.equal((await srv.api('GET', '/api/v1/me')).status, 401);
    let v = before;
    for (let i = 0; i < 100 && v === before; i++) v = (await srv.metrics()).values.get(key) ?? 0;
    assert.equal(v, before + 1);
  });

  test('/api/v1/openapi.json is the API description as JSON', async () => {
    const r = await srv.api('GET', '/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.ok(r.json, 'parses as JSON');
    assert.match(r.json.openapi, /^3\./);
    assert.equal(r.json.info.title, 'ywtb API');
    assert.ok(r.json.paths['/healthz'], 'describes /healthz');
    assert.ok(r.json.paths['/api/v1/auth/login'] || r.json.paths['/api/v1/me'], 'describes identity routes');
  });

  test('security headers on every kind of response', async () => {
    const cases = [
      ['200 JSON', await srv.api('GET', '/healthz'), 200],
      ['200 metrics text', await srv.api('GET', '/metrics'), 200],
      ['200 openapi', await srv.api('GET', '/api/v1/openapi.json'), 200],
      ['401', await srv.api('GET', '/api/v1/me'), 401],
      ['404 route', await srv.api('GET', '/api/v1/no-such-thing'), 404],
      ['404 static', await srv.api('GET', '/no-such-page.html'), 404],
      ['405', await srv.api('DELETE', '/healthz'), 405],
      ['400 invalid json', await srv.api('POST', '/api/v1/auth/login', { raw: '{', contentType: 'application/json' }), 400],
      ['413 announced', await srv.raw('POST', '/api/v1/auth/login', {
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(64 * 1024 * 1024) },
      }), 413],
      ['422', await srv.api('POST', '/api/v1/auth/login', { body: { login: 5, password: 'x' } }), 422],
    ];
    for (const [what, r, status] of cases) {
      assert.equal(r.status, status, `${what}: ${r.text}`);
      assertSecurityHeaders(r, what);
    }
  });

  test('X-Request-Id: generated when absent, echoed when sane, replaced when not', async () => {
    const a = await srv.api('GET', '/healthz');
    const b = await srv.api('GET', '/healthz');
    const ida = a.headers.get('x-request-id');
    const idb = b.headers.get('x-request-id');
    assert.match(ida, /^[0-9a-f]{8,}$/);
    assert.notEqual(ida, idb, 'each request gets its own id');

    const mine = 'trace-42_abc.DEF';
    const c = await srv.api('GET', '/healthz', { headers: { 'X-Request-Id': mine } });
    assert.equal(c.headers.get('x-request-id'), mine);

    // the id also appears in error bodies
    const e = await srv.api('GET', '/api/v1/me', { headers: { 'X-Request-Id': 'err-id-1' } });
    assert.equal(e.status, 401);
    assert.equal(e.headers.get('x-request-id'), 'err-id-1');
    assert.equal(e.json.error.request_id, 'err-id-1');

    for (const bad of ['has space', 'x'.repeat(65), 'semi;colon', '<script>', 'ünïcode']) {
      const r = await srv.raw('GET', '/healthz', { headers: { 'X-Request-Id': Buffer.from(bad).toString('latin1') } });
      assert.equal(r.status, 200);
      const got = r.headers.get('x-request-id');
      assert.notEqual(got, bad, `insane id ${JSON.stringify(bad)} must not be echoed`);
      assert.match(got, /^[0-9a-f]{8,}$/);
    }
  });
});

describe('static files', () => {
  let srv, root, outside;
  before(async () => {
    const top = tempDir('ywtb-web-');
    root = path.join(top, 'web');
    fs.mkdirSync(path.join(root, 'css'), { recursive: true });
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ywtb test</title><p>一网通办</p>\n');
    fs.writeFileSync(path.join(root, 'css', 'app.css'), 'body { color: #123456; }\n');
    fs.writeFileSync(path.join(root, 'sub', 'index.html'), '<p>sub page</p>\n');
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\nSECRET-GIT-CONFIG\n');
    fs.writeFileSync(path.join(root, '.env'), 'SECRET-DOTENV\n');
    outside = path.join(top, 'outside.txt');
    fs.writeFileSync(outside, 'SECRET-OUTSIDE-WEB-ROOT\n');
    // one process (nodes: 1 under YWTB_TEST_NODES): raw paths such as /../x
    // must reach ywtb as written, and nginx in front answers those itself (400)
    srv = await startServer({ nodes: 1, webRoot: root, seed: false });
    srv.top = top;
  });
  after(async () => {
    await srv?.close();
    if (srv?.top) fs.rmSync(srv.top, { recursive: true, force: true });
  });

  test('/ serves index.html with ETag and Cache-Control: no-cache', async () => {
    const r = await srv.api('GET', '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.text, fs.readFileSync(path.join(root, 'index.html'), 'utf8'));
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.match(r.headers.get('etag'), /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    assertSecurityHeaders(r, 'static html');
    const r2 = await srv.api('GET', '/index.html');
    assert.equal(r2.status, 200);
    assert.equal(r2.headers.get('etag'), r.headers.get('etag'));
    const sub = await srv.api('GET', '/sub/');
    assert.equal(sub.status, 200);
    assert.equal(sub.text, '<p>sub page</p>\n');
  });

  test('If-None-Match with the ETag answers 304 without a body', async () => {
    const r = await srv.api('GET', '/css/app.css');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(r.text, 'body { color: #123456; }\n');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=3600');
    const etag = r.headers.get('etag');
    assert.ok(etag);
    const nm = await srv.api('GET', '/css/app.css', { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304);
    assert.equal(nm.text, '');
    assert.equal(nm.headers.get('etag'), etag);
    assertSecurityHeaders(nm, 'static 304');
    const other = await srv.api('GET', '/css/app.css', { headers: { 'If-None-Match': 'W/"0-0"' } });
    assert.equal(other.status, 200);
    assert.equal(other.text, 'body { color: #123456; }\n');
  });

  test('a changed file gets a new ETag', async () => {
    const f = path.join(root, 'css', 'app.css');
    const old = (await srv.api('GET', '/css/app.css')).headers.get('etag');
    fs.writeFileSync(f, 'body { color: #654321; margin: 0; }\n');
    const r = await srv.api('GET', '/css/app.css', { headers: { 'If-None-Match': old } });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'body { color: #654321; margin: 0; }\n');
    assert.notEqual(r.headers.get('etag'), old);
  });

  test('path traversal and hidden files are 404 and leak nothing', async () => {
    const paths = [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/%2E%2E/outside.txt',
      '/%2e%2e%2foutside.txt',
      '/sub/../../outside.txt',
      '/sub/%2e%2e/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..\\outside.txt',
      '/.git/config',
      '/%2egit/config',
      '/.env',
      '/sub/../.env',
    ];
    for (const p of paths) {
      const r = await srv.raw('GET', p);
      assert.equal(r.status, 404, `${p}: ${r.status} ${r.text}`);
      assert.equal(r.json?.error?.code, 'not_found', p);
      assert.doesNotMatch(r.text, /SECRET|root:x:0/, p);
      assertSecurityHeaders(r, p);
    }
    // a NUL in a path is refused before anything else (issue 16: smuggling.test.js)
    const r = await srv.raw('GET', '/css/%00app.css');
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json?.error?.code, 'invalid_request');
    assertSecurityHeaders(r, '/css/%00app.css');
  });

  test('a missing file is a JSON 404; /api/ paths never fall back to files', async () => {
    const r = await srv.api('GET', '/nope.css');
    assertErrorBody(r, 404, 'not_found');
    fs.mkdirSync(path.join(root, 'api', 'v1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'api', 'v1', 'secret.json'), '{"x":1}');
    assertErrorBody(await srv.api('GET', '/api/v1/secret.json'), 404, 'not_found');
  });

  test('files cannot be written through the static handler', async () => {
    const r = await srv.api('POST', '/index.html', { body: {} });
    assert.ok(r.status === 404 || r.status === 405, `${r.status}`);
    assert.ok(r.json?.error?.code);
    assert.equal(fs.readFileSync(path.join(root, 'index.html'), 'utf8').includes('一网通办'), true);
  });
});

describe('connections are dealt out to the workers', () => {
  let srv;
  before(async () => {
    // one process: the test is how one node deals its connections to its workers
    srv = await startServer({ nodes: 1, seed: false, args: ['--threads', '2'] });
  });
  after(() => srv?.close());

  test('8 kept-alive connections opened together are served by both workers', async () => {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const get = () => new Promise((resolve, reject) => {
      const req = http.get(`${srv.base}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
    });
    for (let round = 0; round < 25; round++) {
      const codes = await Promise.all(Array.from({ length: 8 }, get));
      assert.deepEqual(codes, Array(8).fill(200));
    }
    agent.destroy();
    const per = [...(await srv.metrics()).values].filter(([k]) => k.startsWith('ywtb_http_worker_requests_total{'));
    assert.equal(per.length, 2, `two workers served requests: ${JSON.stringify(per)}`);
    const total = per.reduce((s, [, v]) => s + v, 0);
    assert.ok(total >= 200);
    for (const [k, v] of per) assert.ok(v >= total / 5, `${k} served ${v} of ${total}: the load is not shared`);
  });
});
