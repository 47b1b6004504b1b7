// cases_mine.test.js - a citizen's own case list and case page are answered
// from the node's cache (src/cases/mine_cache.c) and stay exactly as fresh as
// reading the database: every change the citizen can see - submission,
// supplement request, supplement, acceptance, approval, withdrawal, a fee
// paid at the window, an agent authorisation granted or revoked - shows in
// the very next read, on any node (under YWTB_TEST_NODES every read below is
// repeated so it lands on each node of the round robin, each of which keeps
// its own copy); another account never gets someone else's bytes; and the
// cache's hit counter moves, so these tests fail with the cache off.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, NODES } from './harness.js';
import { registerPerson, uploadPdf } from './case_fixtures.js';
import { fillForm, CITIZEN, COMPANY } from './world.js';

const HIT = 'ywtb_cases_mine_cache_lookups_total{result="hit"}';
const MISS = 'ywtb_cases_mine_cache_lookups_total{result="miss"}';
/* reads of one thing in a row: at least one per node of the round robin, and twice on one */
const READS = NODES > 1 ? NODES * 2 : 2;

async function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

async function applyFor(srv, token, code, extra = {}) {
  const item = await ok(await srv.api('GET', `/api/v1/items/${code}`));
  const materials = [];
  for (const m of item.materials)
    if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, token, m.code) });
  return ok(await srv.api('POST', '/api/v1/cases', { token, body: { item_code: code, form: fillForm(item), materials, ...extra } }), 201);
}

describe("a citizen's own list and case page, from the cache", () => {
  let srv, t = {};
  const get = (path, token) => srv.api('GET', path, { token });

  /* READS reads of the list and of the page: each must satisfy check. */
  async function sees(token, no, check) {
    for (let i = 0; i < READS; i++) {
      const l = await ok(await get('/api/v1/cases?limit=50', token));
      const p = await get(`/api/v1/cases/${no}`, token);
      check(l.items.find((x) => x.case_no === no), p, i);
    }
  }
  async function status(token, no, want) {
    await sees(token, no, (row, p, i) => {
      assert.ok(row, `read ${i}: the case is in the list`);
      assert.equal(row.status, want, `read ${i}: the list says ${want}`);
      assert.equal(p.status, 200, p.text);
      assert.equal(p.json.status, want, `read ${i}: the page says ${want}`);
    });
  }

  before(async () => {
    srv = await startServer();
    t.person = await srv.login(CITIZEN);
    t.company = await srv.login(COMPANY);
    t.clerk = await srv.login('clerk');
    t.reviewer = await srv.login('reviewer');
    t.other = (await registerPerson(srv, '林旁人', '19910203', 117)).token;
  });
  after(() => srv?.close());

  test('submit, supplement request, supplement, acceptance and approval each show at once', async () => {
    await ok(await get('/api/v1/cases?limit=50', t.person)); // the list is cached before the case exists
    const k = await applyFor(srv, t.person, 'SCJ-20-0006');
    await status(t.person, k.case_no, 'submitted');

    const m = k.materials[0].material_code;
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/request-supplement`, {
      token: t.clerk, body: { items: [{ what: `materials.${m}`, reason: '请加盖公章' }] },
    }));
    await status(t.person, k.case_no, 'supplement_requested');
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(p.json.supplement_notice.items[0].what, `materials.${m}`);
    });

    const fresh = await uploadPdf(srv, t.person, 'stamped');
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/supplement`, {
      token: t.person, body: { materials: [{ material_code: m, file_id: fresh }] },
    }));
    await status(t.person, k.case_no, 'submitted');
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(p.json.materials.find((x) => x.material_code === m).file_id, fresh);
      assert.equal(p.json.timeline.at(-1).action, 'case.supplement');
    });

    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: t.clerk, body: { note: '受理' } }));
    await status(t.person, k.case_no, 'accepted');
    let task;
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(row.clock.started, true);
      task = p.json.tasks.find((x) => x.status === 'pending');
      assert.ok(task, 'a pending review task on the page');
    });

    await ok(await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: t.reviewer, body: { decision: 'approve', opinion: '准予' } }));
    await status(t.person, k.case_no, 'approved');
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(p.json.tasks.find((x) => x.id === task.id).status, 'approved');
      assert.ok(p.json.timeline.some((e) => e.action === 'case.approve'));
      assert.equal(row.clock.light, 'stopped');
    });
  });

  test('a withdrawal shows at once', async () => {
    const k = await applyFor(srv, t.person, 'SCJ-20-0006');
    await status(t.person, k.case_no, 'submitted');
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/withdraw`, { token: t.person, body: { reason: '不办了' } }));
    await status(t.person, k.case_no, 'withdrawn');
  });

  test('a fee paid at the window (payments) releases the held case, and that shows at once', async () => {
    const k = await applyFor(srv, t.person, 'GAFJ-07-0001'); // 居民身份证首次申领: 20元
    await status(t.person, k.case_no, 'on_hold');
    const orders = await ok(await get(`/api/v1/payments/orders?case_no=${k.case_no}`, t.clerk));
    const no = orders.items[0].order_no;
    await ok(await srv.api('POST', `/api/v1/payments/orders/${no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-0001', amount_fen: orders.items[0].amount_fen } }));
    await status(t.person, k.case_no, 'submitted');
    await sees(t.person, k.case_no, (row, p) => {
      assert.ok(p.json.timeline.some((e) => e.action === 'case.release' && e.note.includes(no)));
    });
  });

  test('another account never gets the cached bytes of someone else', async () => {
    const k = await applyFor(srv, t.person, 'SCJ-20-0006');
    const mine = await get(`/api/v1/cases/${k.case_no}`, t.person);
    await get(`/api/v1/cases/${k.case_no}`, t.person); // cached on a node by now
    for (let i = 0; i < READS; i++) {
      const p = await get(`/api/v1/cases/${k.case_no}`, t.other);
      assert.equal(p.status, 404, p.text);
      const l = await ok(await get('/api/v1/cases?limit=50', t.other));
      assert.ok(!l.items.some((x) => x.case_no === k.case_no), 'not in the other person\'s list');
      // staff see their own view (actor ids, masked ID numbers), not the citizen's copy
      const s = await get(`/api/v1/cases/${k.case_no}`, t.clerk);
      assert.equal(s.status, 200);
      assert.notEqual(s.text, mine.text);
      assert.ok('actor_id' in s.json.timeline[0]);
      // the company's list is its own
      const c = await ok(await get('/api/v1/cases?limit=50', t.company));
      assert.ok(!c.items.some((x) => x.case_no === k.case_no));
    }
  });

  test("an agent authorisation brings the company's cases into the agent's cached list at once; a revocation takes them away", async () => {
    const me = (await ok(await get('/api/v1/me', t.person))).account;
    const company = (await ok(await get('/api/v1/me', t.company))).account;
    if (me.agent_for.some((c) => c.id === company.id))
      await ok(await srv.api('DELETE', `/api/v1/enterprise/agents/${me.id}`, { token: t.company }));
    const k = await applyFor(srv, t.company, 'SCJ-01-0002');
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(row, undefined, 'not an agent: not in the list');
      assert.equal(p.status, 404);
    });
    await ok(await srv.api('POST', '/api/v1/enterprise/agents', { token: t.company, body: { id_number: CITIZEN, name: me.name } }), 201);
    await status(t.person, k.case_no, 'submitted');
    // the company's own change shows in its agent's copy too
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: t.clerk, body: { note: '受理' } }));
    await status(t.person, k.case_no, 'accepted');
    await ok(await srv.api('DELETE', `/api/v1/enterprise/agents/${me.id}`, { token: t.company }));
    await sees(t.person, k.case_no, (row, p) => {
      assert.equal(row, undefined, 'revoked: out of the list');
      assert.equal(p.status, 404);
    });
  });
});

describe("the own-list cache's counters (one node)", () => {
  let srv;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): /metrics is that node's cache's
    srv = await startServer({ nodes: 1 });
  });
  after(() => srv?.close());

  test('a repeated list and page are hits with the same bytes; a change makes the next read a miss', async () => {
    const token = await srv.login(CITIZEN);
    const k = await applyFor(srv, token, 'SCJ-20-0006');
    const counts = async () => {
      const m = (await srv.metrics()).values;
      return { hit: m.get(HIT), miss: m.get(MISS) };
    };
    for (const path of ['/api/v1/cases?limit=20', `/api/v1/cases/${k.case_no}`]) {
      const first = await srv.api('GET', path, { token });
      assert.equal(first.status, 200, first.text);
      const before = await counts();
      const second = await srv.api('GET', path, { token });
      assert.equal(second.text, first.text);
      assert.match(second.headers.get('content-type'), /^application\/json; charset=utf-8/);
      const now = await counts();
      assert.equal(now.hit, before.hit + 1, `${path}: the second read was a hit`);
      assert.equal(now.miss, before.miss);
    }
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/withdraw`, { token, body: { reason: '不办了' } }));
    const before = await counts();
    const page = await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token }));
    assert.equal(page.status, 'withdrawn');
    const now = await counts();
    assert.equal(now.miss, before.miss + 1, 'read again from the database');
    assert.equal(now.hit, before.hit);
  });
});
