// errors.test.js - bad input of every kind gets the one JSON error body with a
// 4xx status, and changes nothing (the audit chain has as many records after the
// bad requests as before).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

const LOGIN = '/api/v1/auth/login';
const JSON_CT = 'application/json';

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json; charset=utf-8/);
  assert.ok(r.json && typeof r.json === 'object', `JSON body: ${r.text}`);
  assert.deepEqual(Object.keys(r.json), ['error']);
  const e = r.json.error;
  assert.equal(e.code, code, r.text);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
  if (field !== undefined) assert.equal(e.field, field, r.text);
  assert.equal(e.request_id, r.headers.get('x-request-id'));
}

describe('bad requests', () => {
  let srv, admin, staffBefore, auditBefore;
  const seen = [];
  const track = (r) => {
    seen.push(r);
    return r;
  };

  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    staffBefore = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items;
    auditBefore = srv.verifyAudit();
    assert.ok(auditBefore.intact, auditBefore.stdout + auditBefore.stderr);
    // the demo seed (7 accounts) and the admin's login are audited
    assert.ok(auditBefore.records >= 8, auditBefore.stdout);
  });
  after(() => srv?.close());

  test('malformed JSON is 400 invalid_json', async () => {
    for (const raw of ['{', '{"login":', 'not json', '{"login":"a",}', '{login:"a"}', "{'login':'a'}", '{"a":1}x', '[1,2]', '"str"', '42', 'null']) {
      const r = track(await srv.api('POST', LOGIN, { raw, contentType: JSON_CT }));
      assertError(r, 400, 'invalid_json');
    }
  });

  test('duplicate keys and absurd nesting are invalid_json', async () => {
    assertError(track(await srv.api('POST', LOGIN, { raw: '{"login":"a","login":"b","password":"x"}', contentType: JSON_CT })), 400, 'invalid_json');
    assertError(track(await srv.api('POST', LOGIN, { raw: '['.repeat(50000), contentType: JSON_CT })), 400, 'invalid_json');
    assertError(track(await srv.api('POST', LOGIN, { raw: '{"login":1e999,"password":"x"}', contentType: JSON_CT })), 400, 'invalid_json');
  });

  test('invalid UTF-8 in the body is 400 invalid_utf8', async () => {
    const bodies = [
      Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"x"}')]),
      Buffer.concat([Buffer.from('{"login":"a'), Buffer.from([0xc3]), Buffer.from('","password":"x"}')]), // truncated sequence
      Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","password":"x"}')]), // surrogate
      Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","password":"x"}')]), // overlong '/'
    ];
    for (const raw of bodies) assertError(track(await srv.api('POST', LOGIN, { raw, contentType: JSON_CT })), 400, 'invalid_utf8');
  });

  test('a NUL inside a string is refused', async () => {
    const r = track(await srv.api('POST', LOGIN, { raw: '{"login":"ad\\u0000min","password":"Demo@2026"}', contentType: JSON_CT }));
    assert.equal(r.status, 400, r.text);
    assert.ok(['invalid_json', 'invalid_utf8'].includes(r.json.error.code), r.text);
  });

  test('wrong types are 422 invalid_field naming the field', async () => {
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 5, password: 'x' } })), 422, 'invalid_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 'admin', password: ['Demo@2026'] } })), 422, 'invalid_field', 'password');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: { $ne: null }, password: 'x' } })), 422, 'invalid_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: true, password: 'x' } })), 422, 'invalid_field', 'login');
    const u = { username: 'typed', password: 'Passw0rd!x', name: 'N', roles: 'admin' };
    assertError(track(await srv.api('POST', '/api/v1/admin/users', { token: admin, body: u })), 422, 'invalid_field', 'roles');
    assertError(track(await srv.api('POST', '/api/v1/admin/users', { token: admin, body: { ...u, roles: [1] } })), 422, 'invalid_field', 'roles');
  });

  test('too-long strings are 422 invalid_field', async () => {
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 'a'.repeat(65), password: 'x' } })), 422, 'invalid_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: '长'.repeat(65), password: 'x' } })), 422, 'invalid_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 'admin', password: 'p'.repeat(1025) } })), 422, 'invalid_field', 'password');
  });

  test('missing fields are 422 missing_field naming the field', async () => {
    assertError(track(await srv.api('POST', LOGIN, { body: { password: 'x' } })), 422, 'missing_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 'admin' } })), 422, 'missing_field', 'password');
    assertError(track(await srv.api('POST', LOGIN, { body: { login: null, password: 'x' } })), 422, 'missing_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { body: {} })), 422, 'missing_field', 'login');
    assertError(track(await srv.api('POST', LOGIN, { raw: '', contentType: JSON_CT })), 422, 'missing_field', 'login');
  });

  test('unknown fields are 400 unknown_field', async () => {
    assertError(track(await srv.api('POST', LOGIN, { body: { login: 'admin', password: 'x', remember: true } })), 400, 'unknown_field', 'remember');
    assertError(track(await srv.api('POST', '/api/v1/admin/users', {
      token: admin, body: { username: 'extra', password: 'Passw0rd!x', name: 'N', roles: ['reviewer'], is_root: true },
    })), 400, 'unknown_field', 'is_root');
    // a route that takes no body refuses one
    assertError(track(await srv.api('POST', '/api/v1/auth/logout', { token: admin, body: { everywhere: true } })), 400, 'unknown_field');
  });

  test('a body over 1 MiB is 413 payload_too_large (Content-Length)', async () => {
    // With Expect: 100-continue the server answers an announced oversize body
    // at once (the body is never sent) and closes the connection.  Without it
    // a body a proxy would pass (up to twice upload_limit) is read and dropped
    // before the 413, so a client or proxy still sending gets the answer and
    // not a reset (issue 21 item 3); one announced beyond that is answered at
    // once, before its body.
    const big = '{"login":"' + 'a'.repeat(1024 * 1024) + '","password":"x"}';
    assertError(track(await srv.raw('POST', LOGIN, { body: big, expectContinue: true, headers: { 'Content-Type': JSON_CT } })), 413, 'payload_too_large');
    assertError(track(await srv.raw('POST', LOGIN, { body: big, headers: { 'Content-Type': JSON_CT } })), 413, 'payload_too_large');
    assertError(track(await srv.raw('POST', LOGIN, {
      headers: { 'Content-Type': JSON_CT, 'Content-Length': String(64 * 1024 * 1024) },
    })), 413, 'payload_too_large');
    // exactly at the limit the body is read and judged on its content
    const head = '{"login":"admin","password":"x","p":"';
    const at = head + 'a'.repeat(1024 * 1024 - head.length - 2) + '"}';
    assert.equal(Buffer.byteLength(at), 1024 * 1024);
    assertError(track(await srv.raw('POST', LOGIN, { body: at, headers: { 'Content-Type': JSON_CT } })), 400, 'unknown_field', 'p');
  });

  test('a body over 1 MiB is 413 payload_too_large (chunked)', async () => {
    const chunks = Array.from({ length: 17 }, () => 'a'.repeat(64 * 1024));
    assertError(track(await srv.raw('POST', LOGIN, { chunks, headers: { 'Content-Type': JSON_CT } })), 413, 'payload_too_large');
    // the same through fetch with a stream body (Transfer-Encoding: chunked)
    const stream = new ReadableStream({
      start(c) {
        for (const s of chunks) c.enqueue(new TextEncoder().encode(s));
        c.close();
      },
    });
    assertError(track(await srv.api('POST', LOGIN, { raw: stream, contentType: JSON_CT })), 413, 'payload_too_large');
    // just under the limit, chunked, is read and judged on its content
    const ok = '{"login":"admin","password":"x","pad":"' + 'a'.repeat(1000) + '"}';
    assertError(track(await srv.raw('POST', LOGIN, { chunks: [ok.slice(0, 10), ok.slice(10)], headers: { 'Content-Type': JSON_CT } })), 400, 'unknown_field', 'pad');
  });

  test('a body that is not JSON is 415', async () => {
    const body = '{"login":"admin","password":"Demo@2026"}';
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'])
      assertError(track(await srv.api('POST', LOGIN, { raw: body, contentType: ct })), 415, 'unsupported_media');
    // no Content-Type at all
    assertError(track(await srv.raw('POST', LOGIN, { body })), 415, 'unsupported_media');
    // the JSON type is matched case-insensitively, with parameters
    const r = await srv.api('POST', LOGIN, { raw: '{"login":5,"password":"x"}', contentType: 'Application/JSON; charset=UTF-8' });
    assertError(r, 422, 'invalid_field', 'login');
  });

  test('unknown routes are JSON 404', async () => {
    for (const [m, p] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/nope'], ['GET', '/api/v2/me'], ['GET', '/api/v1/admin/users/1/x'],
      ['DELETE', '/api/v1/nope'], ['GET', '/api/v1/' + 'x'.repeat(5000)], ['GET', '/api/v1/test/clock']]) {
      const r = track(await srv.raw(m, p));
      assertError(r, 404, 'not_found');
    }
  });

  test('wrong methods are 405 with an Allow header', async () => {
    const cases = [
      ['DELETE', '/api/v1/me', ['GET']],
      ['PUT', LOGIN, ['POST']],
      ['GET', LOGIN, ['POST']],
      ['PATCH', '/api/v1/admin/users', ['GET', 'POST']],
      ['POST', '/healthz', ['GET']],
      ['OPTIONS', '/api/v1/me', ['GET']],
    ];
    for (const [m, p, allow] of cases) {
      const r = track(await srv.api(m, p, { token: admin }));
      assertError(r, 405, 'method_not_allowed');
      const got = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      assert.deepEqual(got, allow, `${m} ${p}: Allow ${r.headers.get('allow')}`);
    }
  });

  test('invalid UTF-8 in the query string is 400 invalid_utf8', async () => {
    for (const p of ['/healthz?x=%FF', '/api/v1/me?%FF=1', '/api/v1/admin/users?q=%C3%28', '/readyz?a=%ED%A0%80']) {
      const r = track(await srv.raw('GET', p, { headers: { Authorization: `Bearer ${admin}` } }));
      assertError(r, 400, 'invalid_utf8');
    }
    // valid UTF-8 is fine
    const ok = await srv.raw('GET', '/healthz?q=%E4%B8%80%E7%BD%91');
    assert.equal(ok.status, 200);
  });

  test('bad credentials headers are 401 unauthenticated', async () => {
    for (const h of [`Bearer ${'x'.repeat(300)}`, 'Bearer ', 'Bearer nope', 'Basic YWRtaW46RGVtb0AyMDI2', admin]) {
      const r = track(await srv.api('GET', '/api/v1/me', { headers: { Authorization: h } }));
      assertError(r, 401, 'unauthenticated');
    }
    assertError(track(await srv.api('GET', '/api/v1/me', { cookie: 'ywtb_session=forged' })), 401, 'unauthenticated');
  });

  test('no bad request got a 5xx, and every one had the error body', () => {
    assert.ok(seen.length >= 60, `${seen.length} requests checked`);
    for (const r of seen) {
      assert.ok(r.status >= 400 && r.status < 500, `${r.status}: ${r.text}`);
      assert.ok(r.json?.error?.code && r.json.error.message, r.text);
    }
  });

  test('nothing was written: audit records and staff unchanged', async () => {
    const a = srv.verifyAudit();
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.equal(a.records, auditBefore.records, `audit records before ${auditBefore.records}, after ${a.records}`);
    const staff = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items;
    assert.deepEqual(staff, staffBefore);
    // and the server is still healthy
    assert.equal((await srv.api('GET', '/readyz')).status, 200);
  });
});
