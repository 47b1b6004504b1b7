// openapi.test.js - docs/openapi.yaml describes every route the server has:
// the route table (GET /api/v1/admin/routes) and the served document agree,
// method by method, and every route that is not public names the roles.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

describe('the OpenAPI document covers the route table', () => {
  let srv, routes, doc;
  before(async () => {
    srv = await startServer();
    const admin = await srv.login('admin');
    const r = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    assert.equal(r.status, 200, r.text);
    routes = r.json.routes;
    const d = await srv.api('GET', '/api/v1/openapi.json');
    assert.equal(d.status, 200);
    doc = d.json;
  });
  after(() => srv?.close());

  test('there are routes and paths to compare', () => {
    assert.ok(routes.length > 40, `only ${routes.length} routes`);
    assert.ok(Object.keys(doc.paths).length > 40);
  });

  test('every route (but the test-only ones) is documented with its method', () => {
    const missing = [];
    for (const r of routes) {
      if (r.flags.includes('test')) continue;
      const p = doc.paths[r.path];
      if (!p || !p[r.method.toLowerCase()]) missing.push(`${r.method} ${r.path}`);
    }
    assert.deepEqual(missing, [], `undocumented routes:\n${missing.join('\n')}`);
  });

  test('every documented operation exists on the server', () => {
    const have = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const extra = [];
    for (const [p, ops] of Object.entries(doc.paths))
      for (const m of Object.keys(ops))
        if (['get', 'post', 'put', 'delete', 'patch'].includes(m) && !have.has(`${m.toUpperCase()} ${p}`) && p !== '/api/v1/test/clock')
          extra.push(`${m.toUpperCase()} ${p}`);
    assert.deepEqual(extra, [], `documented but not served:\n${extra.join('\n')}`);
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
});
