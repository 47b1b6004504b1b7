// supervision_visits.test.js - visits per case ("at most one trip", issue
// 10): every hall number a window finishes (visit.finished from services)
// counts as a visit; a case named by two or more visits is a case with more
// than one visit, counted once on the day of its second visit and listed on
// the dashboard and in the XLSX export; a department sees its own.  The
// dashboard's cached answer moves with the events.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './harness.js';
import { assertError, addStaff } from './case_fixtures.js';
import { eventually } from './eventually.js';

const ITEM = 'SCJ-01-0001'; // 企业设立登记, XH-SCJ
const CASE = 'XH20260928000042';
const OTHER = 'XH20260928000043';
const PERIOD = '?from=2026-09-01&to=2026-09-30';

describe('supervision: visits per case', () => {
  let srv, clerk, sup;
  const stats = async (token = sup, q = PERIOD) => {
    const r = await srv.api('GET', `/api/v1/supervision/stats${q}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  /* One hall number taken, called at W01 and finished naming caseNo ('' for none). */
  const visit = async (caseNo) => {
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(t.status, 201, t.text);
    const c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.id, t.json.id);
    const f = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/finish`, { token: clerk, body: caseNo ? { case_no: caseNo } : {} });
    assert.equal(f.status, 200, f.text);
  };

  before(async () => {
    srv = await startServer({ clock: '2026-09-28T10:00:00+08:00' });
    clerk = await srv.login('clerk');
    sup = await srv.login('supervisor');
  });
  after(() => srv?.close());

  test('one visit per case is one trip; the second visit makes it a case with more than one', async () => {
    const s0 = await stats();
    assert.deepEqual([s0.total.visits, s0.total.cases_visited, s0.total.cases_revisited], [0, 0, 0]);
    assert.equal(s0.total.revisit_share, null);
    await visit(CASE);
    await visit(OTHER);
    await visit('');
    // the rollups follow the events after their commits (after-commit subscribers)
    const s1 = await eventually(async () => {
      const s = await stats();
      assert.deepEqual([s.total.visits, s.total.cases_visited, s.total.cases_revisited], [3, 2, 0], 'the cached answer moved with the events');
      return s;
    });
    assert.equal(s1.total.revisit_share, 0);
    assert.deepEqual(s1.revisited_cases, []);
    await visit(CASE);
    await visit(CASE);
    const s2 = await eventually(async () => {
      const s = await stats();
      assert.deepEqual([s.total.visits, s.total.cases_visited, s.total.cases_revisited], [5, 2, 1]);
      return s;
    });
    assert.equal(s2.total.revisit_share, 0.5);
    assert.deepEqual(s2.revisited_cases.map((c) => [c.case_no, c.visits, c.dept, c.code, c.first_visit, c.last_visit]),
      [[CASE, 3, 'XH-SCJ', ITEM, '2026-09-28', '2026-09-28']]);
    const scj = s2.departments.find((d) => d.dept === 'XH-SCJ');
    assert.deepEqual([scj.visits, scj.cases_revisited], [5, 1]);
    assert.deepEqual(s2.days.map((d) => [d.day, d.cases_revisited]), [['2026-09-28', 1]]);
    // another period does not list it
    const before = await stats(sup, '?from=2026-08-01&to=2026-08-31');
    assert.deepEqual([before.total.visits, before.revisited_cases.length], [0, 0]);
  });

  test('a department sees its own cases with more than one visit; the XLSX lists them', async () => {
    const scjReviewer = await srv.login('reviewer'); // the demo's reviewer: XH-SCJ
    const own = await stats(scjReviewer);
    assert.deepEqual(own.departments.map((d) => d.dept), ['XH-SCJ']);
    assert.deepEqual(own.revisited_cases.map((c) => c.case_no), [CASE]);
    const admin = await srv.login('admin');
    const swj = await addStaff(srv, admin, 'swjv', '吴税务', 'XH-SWJ', ['reviewer']);
    const other = await stats(swj.token);
    assert.deepEqual([other.total.visits, other.revisited_cases.length], [0, 0], 'another department sees none of them');
    assertError(await srv.api('GET', `/api/v1/supervision/stats${PERIOD}&dept=XH-NONE`, { token: sup }), 422, 'invalid_field', 'dept');
    const x = await fetch(`${srv.base}/api/v1/supervision/stats.xlsx${PERIOD}`, { headers: { Authorization: `Bearer ${sup}` } });
    assert.equal(x.status, 200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-xlsx-'));
    try {
      const file = path.join(dir, 'stats.xlsx');
      fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
      const part = (name) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
      assert.match(part('xl/workbook.xml'), /name="多次跑动"/);
      const strings = part('xl/sharedStrings.xml');
      for (const s of ['跑动超过一次的办件', '到窗口次数', CASE]) assert.ok(strings.includes(s), `${s} in the workbook`);
      // 多次跑动 (sheet 5): D2 is the number 3 (visits), E2 a date
      const sheet = part('xl/worksheets/sheet5.xml');
      assert.match(sheet, /<c r="D2"[^>]*><v>3<\/v><\/c>/);
      assert.match(sheet, /<c r="E2" s="\d+"><v>46293<\/v><\/c>/, '2026-09-28 as an Excel date');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
