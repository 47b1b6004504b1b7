// task_stats.test.js - GET /api/v1/tasks/stats counts every pending task by
// light, in all and per department, and always agrees with the marks of the
// queue (GET /api/v1/tasks, every page) as the test clock moves from green
// through yellow to red and a special procedure pauses a case; reviewers get
// their own department whatever they ask; other roles are refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

const CITIZEN = '310104199003072013';
const PDF = makePdf('material'); /* a real PDF: uploads are checked for their structure */
const LIGHTS = ['red', 'yellow', 'green', 'paused'];
/* demo personal items of three departments, with 7, 10, 5 and 1 promised working days */
const ITEMS = ['SCJ-20-0006', 'SCJ-20-0006', 'RSJ-20-0001', 'RSJ-20-0002', 'GAFJ-20-0001'];

describe('task statistics', () => {
  let srv, citizen, clerk, reviewer, supervisor, file;
  const api = (m, p, token, body) => srv.api(m, p, { token, body });
  const cases = [];

  async function apply(code) {
    const item = (await api('GET', `/api/v1/items/${code}`)).json;
    const sample = { text: '测试', address: '漕溪北路336号', phone: '13900000000', date: '2026-01-01', number: 100, id_number: CITIZEN };
    const form = {};
    for (const f of item.form) if (f.required && !f.prefill) form[f.key] = f.type === 'choice' ? f.options[0] : sample[f.type] ?? '测试';
    const materials = item.materials.filter((m) => m.required === 'required').map((m) => ({ material_code: m.code, file_id: file }));
    const r = await api('POST', '/api/v1/cases', citizen, { item_code: code, form, materials });
    assert.equal(r.status, 201, r.text);
    const a = await api('POST', `/api/v1/cases/${r.json.case_no}/accept`, clerk, {});
    assert.equal(a.status, 200, a.text);
    return a.json;
  }

  /* The queue's own counts: every page, every department. */
  async function queueCounts(token) {
    const all = { red: 0, yellow: 0, green: 0, paused: 0, total: 0 };
    const depts = {};
    let cursor = null;
    for (let pages = 0; pages < 100; pages++) {
      const r = await api('GET', `/api/v1/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`, token);
      assert.equal(r.status, 200, r.text);
      for (const t of r.json.items) {
        depts[t.dept] ??= { dept: t.dept, red: 0, yellow: 0, green: 0, paused: 0, total: 0 };
        depts[t.dept][t.light]++;
        depts[t.dept].total++;
        all[t.light]++;
        all.total++;
      }
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    return { all, depts: Object.values(depts).sort((a, b) => a.dept.localeCompare(b.dept)) };
  }

  async function agree(token) {
    const s = await api('GET', '/api/v1/tasks/stats', token);
    assert.equal(s.status, 200, s.text);
    const q = await queueCounts(token);
    assert.deepEqual(Object.fromEntries([...LIGHTS, 'total'].map((l) => [l, s.json[l]])), q.all);
    assert.deepEqual(s.json.depts, q.depts);
    return s.json;
  }

  async function relogin() {
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    supervisor = await srv.login('supervisor');
  }

  before(async () => {
    srv = await startServer({ clock: '2026-09-21T10:00:00+08:00' });
    await relogin();
    const fd = new FormData();
    fd.append('file', new Blob([PDF], { type: 'application/pdf' }), 'm.pdf');
    const r = await fetch(`${srv.base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${citizen}` }, body: fd });
    assert.equal(r.status, 201);
    file = (await r.json()).file_id;
    for (const code of ITEMS) cases.push(await apply(code));
  });
  after(() => srv?.close());

  test('the counts agree with the queue as the clock moves and a case is paused', async () => {
    const seen = new Set();
    const note = (s) => LIGHTS.forEach((l) => s[l] > 0 && seen.add(l));
    let s = await agree(supervisor);
    assert.equal(s.as_of, '2026-09-21');
    assert.equal(s.dept, '');
    assert.ok(s.total >= cases.length, `every accepted case has a pending task: ${s.total}`);
    note(s);
    // a special procedure pauses one case
    const r = await api('POST', `/api/v1/cases/${cases[0].case_no}/pause`, reviewer, { kind: 'inspection', reason: '现场核查' });
    assert.equal(r.status, 200, r.text);
    s = await agree(supervisor);
    assert.ok(s.paused >= 1);
    note(s);
    for (const days of [3, 10, 30]) {
      assert.equal((await api('POST', '/api/v1/test/clock', null, { advance_days: days })).status, 200);
      await relogin(); // days later the sessions have ended
      s = await agree(supervisor);
      note(s);
      assert.equal((await agree(reviewer)).dept, 'XH-SCJ');
    }
    assert.ok(seen.has('paused') && seen.has('red') && (seen.has('green') || seen.has('yellow')), [...seen].join(','));
  });

  test('the running counts follow every change of a task: resume, decide, reroute (migration 0033)', async () => {
    let s = await agree(supervisor);
    const before = s.total;
    // resuming moves the paused case's tasks to a later due day, unpaused
    let r = await api('POST', `/api/v1/cases/${cases[0].case_no}/resume`, reviewer, { reason: '核查完毕' });
    assert.equal(r.status, 200, r.text);
    s = await agree(supervisor);
    assert.equal(s.paused, 0);
    assert.equal(s.total, before);
    // a reviewer of XH-SCJ decides one task and sends another to another department
    const mine = (await api('GET', '/api/v1/tasks?limit=200', reviewer)).json.items;
    assert.ok(mine.length >= 2, `two SCJ tasks pending: ${mine.length}`);
    r = await api('POST', `/api/v1/tasks/${mine[0].id}/decide`, reviewer, { decision: 'approve', opinion: '同意' });
    assert.equal(r.status, 200, r.text);
    s = await agree(supervisor);
    assert.equal(s.total, before - 1);
    r = await api('POST', `/api/v1/tasks/${mine[1].id}/reroute`, reviewer, { dept: 'XH-RSJ', reason: '非本部门事项' });
    assert.equal(r.status, 200, r.text);
    s = await agree(supervisor);
    assert.equal(s.total, before - 1, 'a rerouted task leaves SCJ and is pending at RSJ');
    assert.ok(s.depts.some((d) => d.dept === 'XH-RSJ'));
  });

  test('a reviewer gets their own department whatever they ask; the supervisor any one', async () => {
    const own = await api('GET', '/api/v1/tasks/stats?dept=XH-SWJ', reviewer);
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.dept, 'XH-SCJ');
    assert.ok(own.json.depts.every((d) => d.dept === 'XH-SCJ'));
    const one = await api('GET', '/api/v1/tasks/stats?dept=XH-SCJ', supervisor);
    assert.deepEqual(one.json.depts, own.json.depts);
    const none = await api('GET', '/api/v1/tasks/stats?dept=XH-NONE', supervisor);
    assert.equal(none.status, 200);
    assert.equal(none.json.total, 0);
    assert.deepEqual(none.json.depts, []);
    assert.equal((await api('GET', `/api/v1/tasks/stats?dept=${'X'.repeat(40)}`, supervisor)).status, 422);
    assert.equal((await api('GET', '/api/v1/tasks/stats', clerk)).status, 403);
    assert.equal((await api('GET', '/api/v1/tasks/stats', citizen)).status, 403);
    assert.equal((await api('GET', '/api/v1/tasks/stats')).status, 401);
  });
});
