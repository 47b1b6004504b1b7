// supervision_outbox.test.js - the dashboard's rollups as after-commit
// subscribers (src/db/events.h, issue 19): a finished hall visit
// (visit.finished) is counted once its transaction has committed, from the
// outbox; a node killed with kill -9 after the commit and before any
// dispatch leaves the event pending, and the next start counts it exactly
// once; two nodes dispatching from one database count every event once.
// A node started with YWTB_EVENTS_DISPATCH=0 publishes and leaves the
// dispatch to the others; /metrics shows the backlog.  The rollups are
// polled with a bounded wait (eventually.js); no timing is asserted.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, startServer } from './harness.js';
import { sql } from './selfservice_fixtures.js';
import { eventually } from './eventually.js';

const ITEM = 'SCJ-01-0001';
const PERIOD = '?from=2026-09-01&to=2026-09-30';
const CLOCK = '2026-09-28T10:00:00+08:00';
const QUIET = { YWTB_EVENTS_DISPATCH: '0' };

describe('supervision: rollups after the commit, from the outbox', () => {
  let a; // the node that publishes
  const others = [];
  const visits = async (srv) => {
    const sup = await srv.login('supervisor');
    const r = await srv.api('GET', `/api/v1/supervision/stats${PERIOD}`, { token: sup });
    assert.equal(r.status, 200, r.text);
    return r.json.total.visits;
  };
  const pending = (srv) => Number(sql(srv, 'SELECT COUNT(*) FROM outbox_pending;').trim());
  /* n hall numbers taken, called at W01 and finished on srv. */
  const finish = async (srv, n) => {
    const clerk = await srv.login('clerk');
    for (let i = 0; i < n; i++) {
      const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
      assert.equal(t.status, 201, t.text);
      const c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
      assert.equal(c.status, 200, c.text);
      const f = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${c.json.id}/finish`, { token: clerk, body: {} });
      assert.equal(f.status, 200, f.text);
    }
  };
  const node = async (env = {}) => {
    const s = new Server({ db: a.db, dir: a.dir, clock: CLOCK, env });
    await s.start();
    others.push(s);
    return s;
  };

  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): the test reads this node's
    // dispatch counter (/metrics is per node) and kills the one process; the
    // two-dispatcher case below places its own second process
    a = await startServer({ clock: CLOCK, nodes: 1 });
  });
  after(async () => {
    for (const s of others) await s.stop();
    await a?.close();
  });

  test('a visit is counted after its commit, once', async () => {
    await finish(a, 2);
    assert.equal(await eventually(async () => {
      const v = await visits(a);
      assert.equal(v, 2);
      return v;
    }), 2);
    assert.equal(pending(a), 0, 'nothing left pending');
    assert.equal(await visits(a), 2, 'and nothing counted twice');
    const m = (await a.metrics()).values;
    assert.equal(m.get('ywtb_events_pending'), 0);
    assert.equal(m.get('ywtb_events_stuck'), 0);
    assert.ok(m.get('ywtb_events_dispatched_total') >= 2, 'the two visits were dispatched here');
    assert.equal(m.get('ywtb_events_failed_total'), 0);
  });

  test('kill -9 after the commit, before the dispatch: the next start counts each event exactly once', async () => {
    a.opts = { ...a.opts, env: QUIET };
    await a.restart();
    await finish(a, 3);
    assert.equal(pending(a), 3, 'committed and pending: no dispatcher on this node');
    assert.equal(await visits(a), 2, 'not counted yet');
    await a.kill9();
    a.opts = { ...a.opts, env: {} };
    await a.start();
    assert.equal(await eventually(async () => {
      const v = await visits(a);
      assert.equal(v, 5);
      return v;
    }), 5);
    assert.equal(pending(a), 0);
    assert.equal(await visits(a), 5);
  });

  test('two nodes dispatching from one database: every event counted once', async () => {
    a.opts = { ...a.opts, env: QUIET };
    await a.restart();
    const b = await node();
    const c = await node();
    await finish(a, 40);
    await eventually(async () => assert.equal(pending(a), 0), 30000);
    // nothing is pending, so nothing more can be counted: the count is final
    assert.equal(await visits(a), 45);
    assert.equal(await visits(b), 45);
    assert.equal(await visits(c), 45);
    const rows = sql(a, "SELECT COUNT(*) FROM outbox_events WHERE name = 'visit.finished';").trim();
    assert.equal(Number(rows), 45, 'one outbox row per visit');
  });
});
