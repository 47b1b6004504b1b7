// ops_nodes.test.js - per-node state that must be shared (issue 21 item 7): the
// rate limits of the public routes are one bucket per route and client address
// across every node of a PostgreSQL deployment (table rate_buckets), not one
// per node (N nodes used to allow N times the limit).  Three nodes on one
// database (on SQLite, one node: the same limit); the client address comes
// from X-Forwarded-For (trust_proxy).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, startServer, ENGINE } from './harness.js';

const ROUTE = '/api/v1/public/case-status?case_no=none&id_tail=0000'; /* 30 a minute per address */
const PER_MIN = 30;

describe(`public rate limits across nodes (${ENGINE})`, () => {
  let a, b, c;
  before(async () => {
    a = await startServer({ args: ['--trust-proxy', 'true'] });
    // SQLite is one node: the same requests all go to it
    if (ENGINE !== 'postgres') return void (b = c = a);
    b = new Server({ db: { url: a.url, drop() {} }, args: ['--trust-proxy', 'true'] });
    await b.start();
    c = new Server({ db: { url: a.url, drop() {} }, args: ['--trust-proxy', 'true'] });
    await c.start();
  });
  after(async () => {
    if (c !== a) await c?.close();
    if (b !== a) await b?.close();
    await a?.close();
  });

  test('three nodes together allow one limit per address, not one each', async () => {
    const ip = '198.51.100.7';
    const started = Date.now();
    let allowed = 0;
    let refused = null;
    for (let i = 0; i < 3 * PER_MIN; i++) {
      const node = [a, b, c][i % 3];
      const r = await node.api('GET', ROUTE, { headers: { 'X-Forwarded-For': ip } });
      if (r.status === 429) refused ??= r;
      else allowed++;
    }
    const elapsed = (Date.now() - started) / 1000;
    // per-node buckets would have let them all through; one shared bucket lets the
    // limit through, plus what refilled meanwhile (PER_MIN / 60 a second)
    assert.ok(allowed >= PER_MIN, `${allowed} allowed`);
    assert.ok(allowed <= PER_MIN + Math.ceil((elapsed * PER_MIN) / 60) + 1, `${allowed} allowed in ${elapsed} s`);
    assert.ok(refused, 'the limit was reached');
    assert.equal(refused.json?.error?.code, 'rate_limited');
    assert.match(refused.headers.get('retry-after'), /^\d+$/);
    // another address has its own bucket, on either node
    const other = await b.api('GET', ROUTE, { headers: { 'X-Forwarded-For': '198.51.100.8' } });
    assert.notEqual(other.status, 429);
  });
});

// The test clock is one for all nodes (issue 21 item 7): its offset lives in
// the table test_clock; moving it on one node moves every node's.
describe(`the test clock across nodes (${ENGINE})`, () => {
  let a, b, c;
  const START = '2026-09-24T10:00:00+08:00';
  const DAY = 86400000;
  before(async () => {
    a = await startServer({ clock: START });
    // a second process on the same database (on SQLite too: the row is shared)
    b = new Server({ db: { url: a.url, drop() {} }, clock: START });
    await b.start();
    c = new Server({ db: { url: a.url, drop() {} }, clock: START });
    await c.start();
  });
  after(async () => {
    await c?.close();
    await b?.close();
    await a?.close();
  });
  const nowOf = async (srv) => Date.parse((await srv.api('GET', '/healthz')).json.clock.now);

  test('moving the clock on one node moves the other', async () => {
    // read through a POST, which reads the shared offset: a node started later with
    // --clock re-anchored it, and a GET may still answer from the offset b holds
    const before = Date.parse((await b.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } })).json.clock.now);
    const r = await a.api('POST', '/api/v1/test/clock', { body: { advance_days: 3 } });
    assert.equal(r.status, 200, r.text);
    const aNow = Date.parse(r.json.clock.now);
    // a POST reaches b: it reads the shared offset at once (advance 0 moves nothing)
    const s = await b.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } });
    assert.equal(s.status, 200, s.text);
    const bNow = Date.parse(s.json.clock.now);
    assert.ok(bNow - before >= 3 * DAY, `b moved ${(bNow - before) / DAY} days`);
    assert.ok(Math.abs(bNow - aNow) < DAY / 24, `a ${r.json.clock.now}, b ${s.json.clock.now}`);
    // moving it on b moves a as well
    const t = await b.api('POST', '/api/v1/test/clock', { body: { advance_days: 2 } });
    assert.equal(t.status, 200, t.text);
    const u = await a.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } });
    assert.ok(Date.parse(u.json.clock.now) - aNow >= 2 * DAY, `a ${u.json.clock.now}`);
    // and the third node, which moved nothing, reads the same clock
    const v = await c.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } });
    assert.ok(Math.abs(Date.parse(v.json.clock.now) - Date.parse(u.json.clock.now)) < DAY / 24, `c ${v.json.clock.now}`);
    if (ENGINE !== 'postgres') return;
    // PostgreSQL: the other node hears the move (NOTIFY) without being asked
    const moved = await a.api('POST', '/api/v1/test/clock', { body: { advance_days: 1 } });
    const target = Date.parse(moved.json.clock.now) - DAY / 24;
    const deadline = Date.now() + 15000;
    while ((await nowOf(b)) < target) {
      if (Date.now() > deadline) assert.fail('node b never heard the move');
      await new Promise((res) => setTimeout(res, 50));
    }
  });
});
