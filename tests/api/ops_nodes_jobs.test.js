// ops_nodes_jobs.test.js - background jobs run exactly once across nodes
// (issue 17): every server here is three ywtb nodes on one PostgreSQL behind
// nginx (startServer's nodes: 3, whatever YWTB_TEST_NODES says), each node
// running every periodic job at once, and the test COUNTS what the jobs made:
//
//   - the notification sender (services/mailer.c, FOR UPDATE SKIP LOCKED):
//     N answered consultations are N emails at the SMTP sink, each once;
//   - the card sweep (supervision/sweep.c, FOR UPDATE SKIP LOCKED): N tasks
//     near their limit are N yellow cards, overdue N red ones, each card
//     created once in the audit chain.
//
// The nodes run their jobs often (every 50 ms, every second) so that they
// overlap.  On SQLite one node serves (the same counts hold).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, ENGINE } from './harness.js';
import { fixtureServer, registerPerson } from './case_fixtures.js';
import { startSmtpSink, parseMail } from './smtp_sink.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function sql(srv, q) {
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

const NODES = ENGINE === 'postgres' ? 3 : 1;

describe(`exactly once across ${NODES} node(s): notifications (${ENGINE})`, () => {
  const N = 24;
  let srv, sink;
  before(async () => {
    sink = await startSmtpSink();
    srv = await startServer({
      nodes: 3,
      clock: '2026-09-28T10:00:00+08:00',
      args: ['--notify-smtp-url', `smtp://127.0.0.1:${sink.port}`, '--notify-interval-ms', '50',
        '--notify-backoff-ms', '100', '--notify-smtp-from', 'hall@ywtb.test'],
    });
  });
  after(async () => {
    await srv?.close();
    await sink?.close();
  });

  test(`${N} answered consultations are ${N} emails, each sent once`, async () => {
    assert.equal(srv.nodes, NODES);
    const p = await registerPerson(srv, '多节点', '19870707', 73);
    const set = await srv.api('PUT', '/api/v1/me/notify-settings', { token: p.token, body: { email: 'many@nodes.test', channels: ['inbox', 'email'] } });
    assert.equal(set.status, 200, set.text);
    const rev = await srv.login('reviewer');
    const ids = [];
    for (let i = 0; i < N; i++) {
      const q = await srv.api('POST', '/api/v1/consultations', { token: p.token, body: { item_code: 'SCJ-01-0001', question: `第${i + 1}个问题：可以网上办理吗？` } });
      assert.equal(q.status, 201, q.text);
      ids.push(q.json.id);
    }
    // answered through nginx: each answer's notification is queued on whichever node took it
    const answers = await Promise.all(ids.map((id) => srv.api('POST', `/api/v1/consultations/${id}/answer`, { token: rev, body: { answer: '可以，请登录一网通办。' } })));
    for (const a of answers) assert.equal(a.status, 200, a.text);
    const admin = await srv.login('admin');
    await sink.waitFor(N);
    await until(async () => {
      const r = await srv.api('GET', '/api/v1/admin/outbox?status=pending', { token: admin });
      assert.equal(r.status, 200, r.text);
      return r.json.items.length === 0;
    }, 'an empty queue');
    // every node's sender has passed many times since (every 50 ms): a second send would be here
    await sleep(1000);
    const events = sink.messages.map((m) => parseMail(m.data).headers['x-ywtb-event']);
    assert.equal(events.length, N, `messages at the sink: ${events.join(', ')}`);
    assert.deepEqual(events.slice().sort(), ids.map((id) => `consultation:${id}`).sort(), 'one message per consultation');
    const sent = sql(srv, "SELECT count(*) FROM svc_outbox WHERE channel = 'email' AND status = 'sent'");
    assert.equal(Number(sent[0][0]), N);
  });
});

describe(`exactly once across ${NODES} node(s): supervision cards (${ENGINE})`, () => {
  const N = 20;
  let srv;
  before(async () => {
    srv = await fixtureServer({ nodes: 3, clock: '2026-11-02T10:00:00+08:00', env: { YWTB_SUPERVISION_SWEEP_SECONDS: '1' } });
  });
  after(() => srv?.close());

  test(`${N} tasks near their limit are ${N} yellow cards, overdue ${N} red ones, each made once`, async () => {
    assert.equal(srv.nodes, NODES);
    const person = await registerPerson(srv, '三节点', '19921212', 57);
    const clerk = await srv.login('clerk');
    const nos = [];
    for (let i = 0; i < N; i++) {
      const k = await srv.api('POST', '/api/v1/cases', { token: person.token, body: { item_code: 'T-SWJ-D1' } });
      assert.equal(k.status, 201, k.text);
      const r = await srv.api('POST', `/api/v1/cases/${k.json.case_no}/accept`, { token: clerk, body: {} });
      assert.equal(r.status, 200, r.text);
      nos.push(k.json.case_no);
    }
    const sup = await srv.login('supervisor');
    const cards = async (level) => {
      const r = await srv.api('GET', `/api/v1/supervision/cards?level=${level}&limit=200`, { token: sup });
      assert.equal(r.status, 200, r.text);
      return r.json.items;
    };
    // a 1-day task is yellow at once: the nodes' sweeps (every second each) make the cards
    await until(async () => (await cards('yellow')).length >= N, `${N} yellow cards`);
    // three working days on: every task is overdue
    const c = await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 3 } });
    assert.equal(c.status, 200, c.text);
    const sup2 = await srv.login('supervisor');
    const red = async () => {
      const r = await srv.api('GET', '/api/v1/supervision/cards?level=red&limit=200', { token: sup2 });
      assert.equal(r.status, 200, r.text);
      return r.json.items;
    };
    await until(async () => (await red()).length >= N, `${N} red cards`);
    await sleep(2500); // two more sweeps on every node
    const reds = await red();
    assert.equal(reds.length, N);
    assert.deepEqual(reds.map((x) => x.case_no).sort(), nos.slice().sort(), 'one red card per task');
    const rows = sql(srv, "SELECT level, count(*) FROM sup_cards GROUP BY level ORDER BY level");
    assert.deepEqual(rows, [['red', String(N)], ['yellow', String(N)]], 'one card per task and level in the table');
    const created = sql(srv, "SELECT count(*), count(DISTINCT obj_id) FROM audit_log WHERE obj_type = 'supervision_card' AND action = 'card.created'");
    assert.deepEqual(created, [[String(2 * N), String(2 * N)]], 'each card created once in the audit chain');
  });
});
