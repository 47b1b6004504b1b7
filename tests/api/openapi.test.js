// openapi.test.js - docs/openapi.yaml describes every route the server has:
// the document is a valid OpenAPI 3.0 document for an independent validator
// (@apidevtools/swagger-parser, both the YAML file and the JSON the server
// converts it to), the route table (GET /api/v1/admin/routes) and the served
// document agree method by method, every operation has a unique camelCase
// operationId, and the error statuses and rate limits each operation lists
// follow from the route table: 401 where a login is needed, 403 where roles
// are limited or a cookie session writes (CSRF), 404 where a path names an
// object, 400/413/415/422 where a body is taken, 429 where rate_per_min is set.
// Those the router gives (401, 404 of public paths, 413, 415) are then
// provoked for real on every route they apply to.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { startServer, REPO } from './harness.js';

const YAML = path.join(REPO, 'docs', 'openapi.yaml');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const WRITE = new Set(['post', 'put', 'delete', 'patch']);
/* The shared responses each status must use (components/responses). */
const SHARED = {
  400: 'BadRequest', 401: 'Unauthenticated', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict',
  413: 'TooLarge', 415: 'UnsupportedMedia', 422: 'Unprocessable', 429: 'TooManyRequests',
};

/** Every operation of a document: [{ method, path, op }]. */
function operations(doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of METHODS) if (item[m]) out.push({ method: m, path: p, op: item[m] });
  return out;
}

/**
 * The error statuses a route returns by the router's own rules (src/http/server.c),
 * from its row in the route table alone.  Login is public yet answers 401
 * invalid_credentials and 429 after failed logins: its own rule, not the router's.
 */
function requiredStatuses(r) {
  const m = r.method.toLowerCase();
  const pub = r.flags.includes('public');
  const need = new Set();
  if (!pub) need.add('401');
  if (r.roles.length || (!pub && WRITE.has(m))) need.add('403');
  if (r.path.includes('{')) need.add('404');
  if (r.body || r.flags.includes('raw')) for (const s of ['400', '413', '415', '422']) need.add(s);
  if (r.rate_per_min > 0) need.add('429');
  if (m === 'post' && r.path === '/api/v1/auth/login') need.add('401').add('429');
  /* one-time SMS codes (identity/phone.c): the handler's own per-account limits */
  if (m === 'post' && r.path === '/api/v1/me/phone/code') need.add('429');
  /* OAuth endpoints (flag form): RFC 6749's own errors (400, and 401 / 429 of a client's
   * secret at the token endpoint); the body limit is the router's */
  if (r.flags.includes('form')) need.add('400').add('413');
  if (m === 'post' && ['/oauth2/token', '/oauth2/revoke'].includes(r.path)) need.add('401').add('429');
  if (r.path === '/oauth2/userinfo') need.add('401');
  return need;
}

describe('the OpenAPI document', () => {
  let srv, admin, routes, doc;
  before(async () => {
    /* with the test clock on, the test-only route is in the table as well */
    srv = await startServer({ clock: '2026-03-02T10:00:00+08:00' });
    admin = await srv.login('admin');
    const r = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    assert.equal(r.status, 200, r.text);
    routes = r.json.routes;
    const d = await srv.api('GET', '/api/v1/openapi.json');
    assert.equal(d.status, 200);
    doc = d.json;
  });
  after(() => srv?.close());

  test('docs/openapi.yaml is valid OpenAPI for an independent validator (swagger-parser)', async () => {
    /* swagger-parser reads the YAML itself: no part of ywtb is involved */
    const api = await SwaggerParser.validate(YAML);
    assert.match(api.openapi, /^3\.0\./);
  });

  test('the JSON the server serves is the same document, and valid too', async () => {
    const parsed = await SwaggerParser.parse(YAML);
    assert.deepEqual(doc, JSON.parse(JSON.stringify(parsed)), 'the server\'s YAML conversion (ops/yaml.c) agrees with js-yaml');
    await SwaggerParser.validate(structuredClone(doc));
  });

  test('there are routes and paths to compare', () => {
    assert.ok(routes.length > 40, `only ${routes.length} routes`);
    assert.ok(Object.keys(doc.paths).length > 40);
    assert.ok(routes.some((r) => r.flags.includes('test')), 'the test route is listed');
  });

  test('every route is documented with its method', () => {
    const missing = [];
    for (const r of routes) {
      const p = doc.paths[r.path];
      if (!p || !p[r.method.toLowerCase()]) missing.push(`${r.method} ${r.path}`);
    }
    assert.deepEqual(missing, [], `undocumented routes:\n${missing.join('\n')}`);
  });

  test('every documented operation exists on the server', () => {
    const have = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const extra = operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`).filter((k) => !have.has(k));
    assert.deepEqual(extra, [], `documented but not served:\n${extra.join('\n')}`);
  });

  test('every operation has an operationId: unique, camelCase', () => {
    const ops = operations(doc);
    const bad = ops.filter((o) => typeof o.op.operationId !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(o.op.operationId));
    assert.deepEqual(bad.map((o) => `${o.method} ${o.path}: ${o.op.operationId}`), []);
    const seen = new Map();
    for (const o of ops) {
      const id = o.op.operationId;
      assert.ok(!seen.has(id), `operationId ${id} is used by ${seen.get(id)} and ${o.method} ${o.path}`);
      seen.set(id, `${o.method} ${o.path}`);
    }
    assert.equal(seen.size, routes.length, 'one operationId per route');
  });

  test('public routes are marked security: [] in the document, and only they', () => {
    const wrong = [];
    for (const r of routes) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      if (!op) continue;
      const isPublic = r.flags.includes('public');
      const docPublic = Array.isArray(op.security) && op.security.length === 0;
      if (isPublic !== docPublic) wrong.push(`${r.method} ${r.path}: server ${isPublic ? 'public' : 'login'}, doc ${docPublic ? 'public' : 'login'}`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });

  test('each operation lists the error statuses its route table row implies, as shared responses', () => {
    const wrong = [];
    for (const r of routes) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const listed = Object.keys(op.responses);
      for (const s of requiredStatuses(r)) {
        if (!listed.includes(s)) wrong.push(`${r.method} ${r.path}: no ${s}`);
        else if (op.responses[s].$ref && op.responses[s].$ref !== `#/components/responses/${SHARED[s]}`)
          wrong.push(`${r.method} ${r.path}: ${s} is ${op.responses[s].$ref}, not ${SHARED[s]}`);
      }
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
    for (const name of Object.values(SHARED)) {
      const resp = doc.components.responses[name];
      assert.ok(resp, `components/responses/${name}`);
      assert.equal(resp.content['application/json'].schema.$ref, '#/components/schemas/Error', name);
    }
  });

  test('statuses the router cannot give a route are not listed for it', () => {
    /* 401 needs a login, 400/413/415 a body, 429 a rate limit (login: failed logins) */
    const wrong = [];
    for (const r of routes) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const need = requiredStatuses(r);
      for (const s of ['400', '401', '413', '415', '429'])
        if (op.responses[s] && !need.has(s)) wrong.push(`${r.method} ${r.path}: lists ${s}`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });

  test('rate limits: x-rate-limit-per-minute is the route table\'s rate_per_min, with 429 and Retry-After', () => {
    const limited = routes.filter((r) => r.rate_per_min > 0);
    assert.ok(limited.length >= 5, 'the public routes have limits');
    const wrong = [];
    for (const r of routes) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const want = r.rate_per_min > 0 ? r.rate_per_min : undefined;
      if (op['x-rate-limit-per-minute'] !== want)
        wrong.push(`${r.method} ${r.path}: doc ${op['x-rate-limit-per-minute']}, server ${r.rate_per_min}`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
    for (const r of limited) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      assert.equal(op.responses['429'].$ref, '#/components/responses/TooManyRequests', `${r.method} ${r.path}`);
    }
    assert.ok(doc.components.responses.TooManyRequests.headers['Retry-After']);
    /* every limited route is public: the limit is the only gate in front of them */
    assert.deepEqual(limited.filter((r) => !r.flags.includes('public')).map((r) => r.path), []);
  });

  test('the listed statuses are real: 401 without a login, 415 and 413 for bodies, 404 for a missing object', async () => {
    const wrong = [];
    const url = (p) => p.replace(/\{[^}]+\}/g, 'no-such-object');
    for (const r of routes) {
      const m = r.method;
      const takesBody = r.body || r.flags.includes('raw');
      if (takesBody) {
        /* a JSON body's type is checked before the login; an upload's by its handler */
        const token = r.flags.includes('raw') ? admin : undefined;
        const res = await srv.api(m, url(r.path), { raw: 'x=1', contentType: 'text/plain', token });
        if (res.status !== 415) wrong.push(`${m} ${r.path} with text/plain: ${res.status}`);
        if (r.body) {
          /* a JSON body over 1 MiB: refused on its Content-Length, before it is sent
           * (Expect: 100-continue, so the early answer races no write) */
          const big = await srv.raw(m, url(r.path), {
            body: `{"a":"${'x'.repeat(1 << 20)}"}`, expectContinue: true, headers: { 'Content-Type': 'application/json' },
          });
          if (big.status !== 413) wrong.push(`${m} ${r.path} with 1 MiB: ${big.status}`);
        }
      } else if (!r.flags.includes('public')) {
        const res = await srv.api(m, url(r.path));
        if (res.status !== 401) wrong.push(`${m} ${r.path} without login: ${res.status}`);
      } else if (r.path.includes('{') && m === 'GET') {
        const res = await srv.api(m, url(r.path));
        if (res.status !== 404) wrong.push(`${m} ${r.path} for a missing object: ${res.status}`);
      }
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });
});
