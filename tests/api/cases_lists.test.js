// cases_lists.test.js - what staff and applicants see in lists and pages on
// the demo catalog: staff lists leave drafts out and can run in arrival order;
// the review queue pages by time left without gaps or repeats; ID numbers in
// a form are masked to staff; a company's person fields are its legal
// representative's (or its agent's); the one-time notice names real materials
// or fields only.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

const CITIZEN = '310104199003072013';
const CITIZEN_MASKED = '3101**********2013';
const COMPANY = '91310104MA1FL8XQ10';
const PDF = makePdf('material'); /* a real PDF: uploads are checked for their structure */

describe('case lists, the queue and what each side sees', () => {
  let srv, citizen, company, clerk, reviewer, file, companyFile;
  const api = (m, p, token, body, headers) => srv.api(m, p, { token, body, headers });

  async function upload(token) {
    const fd = new FormData();
    fd.append('file', new Blob([PDF], { type: 'application/pdf' }), 'm.pdf');
    const r = await fetch(`${srv.base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fd });
    assert.equal(r.status, 201);
    return (await r.json()).file_id;
  }
  /* Apply for an item with its required fields filled and required materials uploaded. */
  async function apply(token, code, fid, extra = {}) {
    const item = (await api('GET', `/api/v1/items/${code}`)).json;
    const sample = { text: '测试', address: '漕溪北路336号', phone: '13900000000', date: '2026-01-01', number: 100,
                     id_number: CITIZEN, uscc: COMPANY };
    const form = {};
    for (const f of item.form) if (f.required && !f.prefill) form[f.key] = f.type === 'choice' ? f.options[0] : sample[f.type] ?? '测试';
    const materials = item.materials.filter((m) => m.required === 'required').map((m) => ({ material_code: m.code, file_id: fid }));
    const r = await api('POST', '/api/v1/cases', token, { item_code: code, form, materials, ...extra });
    assert.equal(r.status, 201, r.text);
    return r.json;
  }

  before(async () => {
    srv = await startServer();
    citizen = await srv.login(CITIZEN);
    company = await srv.login(COMPANY);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    file = await upload(citizen);
    companyFile = await upload(company);
  });
  after(() => srv?.close());

  test('staff lists never show drafts; order=oldest is arrival order with submitted_at', async () => {
    const draft = await apply(citizen, 'SCJ-20-0006', file, { draft: true });
    assert.equal(draft.status, 'draft');
    const a = await apply(citizen, 'SCJ-20-0006', file);
    const b = await apply(citizen, 'SCJ-20-0006', file);
    const mine = (await api('GET', '/api/v1/cases?limit=100', citizen)).json.items.map((c) => c.case_no);
    assert.ok(mine.includes(draft.case_no), 'the applicant sees the draft');
    const staff = (await api('GET', '/api/v1/cases?limit=100', clerk)).json.items;
    assert.ok(!staff.some((c) => c.case_no === draft.case_no), 'staff do not');
    const fifo = (await api('GET', '/api/v1/cases?status=submitted&order=oldest&limit=100', clerk)).json.items;
    const ia = fifo.findIndex((c) => c.case_no === a.case_no), ib = fifo.findIndex((c) => c.case_no === b.case_no);
    assert.ok(ia >= 0 && ib > ia, 'oldest first');
    assert.match(fifo[ia].submitted_at, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal((await api('GET', '/api/v1/cases?order=sideways', clerk)).status, 422);
  });

  test('the review queue pages in its own order (time left, then id) without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) {
      const k = await apply(citizen, 'SCJ-20-0006', file);
      assert.equal((await api('POST', `/api/v1/cases/${k.case_no}/accept`, clerk, {})).status, 200);
    }
    const all = (await api('GET', '/api/v1/tasks?limit=200', reviewer)).json.items;
    assert.ok(all.length >= 5);
    const seen = [];
    let cursor = null, pages = 0;
    do {
      const r = await api('GET', `/api/v1/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`, reviewer);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.json.items.map((t) => t.id));
      cursor = r.json.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    assert.deepEqual(seen, all.map((t) => t.id), 'page by page = all at once');
    assert.equal((await api('GET', '/api/v1/tasks?cursor=x', reviewer)).status, 422);
  });

  test('queue pages split a run of equal due days without skipping or repeating a task', async () => {
    /* keyset (due_day, id) > cursor: a cursor comparing due_day alone would skip
     * the rest of a run of equal due days (>) or repeat its start (>=) */
    for (let i = 0; i < 6; i++) {
      const k = await apply(citizen, 'SCJ-20-0006', file);
      assert.equal((await api('POST', `/api/v1/cases/${k.case_no}/accept`, clerk, {})).status, 200);
    }
    const chief = await srv.login('chief');
    for (const [who, token] of [['reviewer (own department)', reviewer], ['chief (every department)', chief]]) {
      const all = (await api('GET', '/api/v1/tasks?limit=200', token)).json;
      assert.equal(all.next_cursor, null, who);
      assert.ok(all.items.length >= 6, who);
      for (const limit of [1, 2, 3]) {
        const pages = [];
        let cursor = null;
        do {
          const r = await api('GET', `/api/v1/tasks?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
          assert.equal(r.status, 200, r.text);
          assert.ok(r.json.items.length <= limit);
          cursor = r.json.next_cursor;
          if (cursor !== null) {
            assert.equal(r.json.items.length, limit, 'only a full page has a next cursor');
            assert.match(cursor, new RegExp(`^\\d+\\.${r.json.items.at(-1).id}$`), 'the cursor ends in the last task');
          }
          pages.push(r.json.items);
        } while (cursor && pages.length < 300);
        const ids = pages.flat().map((t) => t.id);
        assert.equal(new Set(ids).size, ids.length, `${who}, limit ${limit}: no task twice`);
        assert.deepEqual(ids, all.items.map((t) => t.id), `${who}, limit ${limit}: page by page = all at once`);
        // the test means something only if a page boundary falls inside a run of equal due days
        const ties = pages.slice(1).filter((p, i) => p.length && p[0].due_date === pages[i].at(-1).due_date).length;
        assert.ok(ties > 0, `${who}, limit ${limit}: a page boundary between two tasks due the same day`);
      }
      // the queue's order: due day, then id
      const flat = all.items;
      for (let i = 1; i < flat.length; i++) {
        const a = flat[i - 1], b = flat[i];
        assert.ok(a.due_date < b.due_date || (a.due_date === b.due_date && a.id < b.id), `${who}: order at ${i}`);
      }
    }
  });

  test('ID numbers in a form are masked to staff and whole to the applicant', async () => {
    const k = await apply(citizen, 'SCJ-20-0006', file);
    const own = (await api('GET', `/api/v1/cases/${k.case_no}`, citizen)).json;
    assert.equal(own.form.id_number, CITIZEN);
    const staff = (await api('GET', `/api/v1/cases/${k.case_no}`, clerk)).json;
    assert.equal(staff.form.id_number, CITIZEN_MASKED);
    assert.ok(!JSON.stringify(staff).includes(CITIZEN), 'no full ID number anywhere in the staff view');
  });

  test('a company\'s person fields come from its legal representative, its company fields from itself', async () => {
    const k = await apply(company, 'SCJ-01-0002', companyFile);
    assert.equal(k.form.company_name, '上海徐汇示范科技有限公司');
    assert.equal(k.form.uscc, COMPANY);
    assert.equal(k.form.legal_rep, '张小明');
    assert.equal(k.form.contact_name, '张小明', 'contact: the legal representative, not the company');
  });

  test('the one-time notice names materials and form fields of the case only', async () => {
    const k = await apply(citizen, 'SCJ-20-0006', file);
    const bad = await api('POST', `/api/v1/cases/${k.case_no}/request-supplement`, clerk,
                          { items: [{ what: 'NO-SUCH-MATERIAL', reason: '补充' }] });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.error.field, 'items');
    assert.equal((await api('GET', `/api/v1/cases/${k.case_no}`, clerk)).json.status, 'submitted', 'nothing changed');
    const m = k.materials[0].material_code;
    const ok = await api('POST', `/api/v1/cases/${k.case_no}/request-supplement`, clerk,
                         { items: [{ what: `materials.${m}`, reason: '请加盖公章' }, { what: 'form.phone', reason: '号码有误' }] });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'supplement_requested');
  });

  test('a draft can drop an uploaded material; every viewer sees what a file is', async () => {
    const k = await apply(citizen, 'SCJ-20-0006', file, { draft: true });
    const m = k.materials.find((x) => x.source === 'file');
    assert.ok(m, 'an uploaded material');
    assert.equal(m.file.mime, 'application/pdf');
    assert.equal(m.file.filename, 'm.pdf');
    const r = await api('PUT', `/api/v1/cases/${k.case_no}`, citizen, { materials: [{ material_code: m.material_code, file_id: null }] });
    assert.equal(r.status, 200, r.text);
    const after = r.json.materials.find((x) => x.material_code === m.material_code);
    assert.equal(after.source, 'none');
    assert.equal(after.status, 'missing');
    assert.equal(r.json.missing_materials, k.missing_materials + 1);
  });
});
