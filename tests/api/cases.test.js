// cases.test.js - applying: online, at the window, at a kiosk and as a company's
// agent; typed and prefilled forms, required materials, drafts, the target and
// real-name rules, Idempotency-Key, concurrent submissions and who may see a case.
//
// The server runs on the fixture catalog in tests/fixtures/data/catalog.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest } from './rawhttp.js';
import { fixtureServer, idNumber, uscc, registerPerson, registerCompany, uploadPdf, assertError, CASE_NO } from './case_fixtures.js';

/** The Shanghai calendar day of an instant, as YYYYMMDD. */
const shanghaiDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10).replaceAll('-', '');

const SUBSIDY_FORM = { start_date: '2026-03-01', months: 6, category: '灵活就业人员', phone: '13912345678' };

describe('cases: applying', () => {
  let srv, clerk, reviewer, company, alice, bob, carol, agent;
  const apply = (token, body, headers) => srv.api('POST', '/api/v1/cases', { token, body, headers });
  const getCase = (token, no) => srv.api('GET', `/api/v1/cases/${no}`, { token });
  const myCases = async (token) => {
    const r = await srv.api('GET', '/api/v1/cases?limit=100', { token });
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };

  before(async () => {
    srv = await fixtureServer();
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    company = await registerCompany(srv, '上海徐汇测试餐饮有限公司', 10000001);
    alice = await registerPerson(srv, '林小文', '19880312', 101); // sequence 101: a man
    bob = await registerPerson(srv, '陈大明', '19910705', 202);
    carol = await registerPerson(srv, '赵一凡', '19790101', 303);
    agent = await registerPerson(srv, '钱经办', '19930909', 405);
  });
  after(() => srv?.close());

  test('the fixture catalog is loaded', async () => {
    const r = await srv.api('GET', '/api/v1/items/T-WJW-CLINIC');
    assert.equal(r.status, 200, r.text);
    const b = await srv.api('GET', '/api/v1/bundles/T-QYKB');
    assert.equal(b.status, 200, b.text);
  });

  test('online application: 201 with the case number, the prefilled form, the materials and the timeline', async () => {
    const file = await uploadPdf(srv, company.token, 'food-application');
    const t0 = Date.now();
    const r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD',
      form: { shop_address: '徐汇区漕溪北路88号' },
      materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: file }],
    });
    const t1 = Date.now();
    assert.equal(r.status, 201, r.text);
    const k = r.json;
    assert.match(k.case_no, CASE_NO);
    assert.ok([shanghaiDay(t0), shanghaiDay(t1)].includes(k.case_no.slice(2, 10)), `dated today (Shanghai): ${k.case_no}`);
    assert.equal(k.kind, 'item');
    assert.equal(k.code, 'T-SCJ-FOOD');
    assert.equal(k.title, '食品经营许可（测试）');
    assert.equal(k.dept, 'XH-SCJ');
    assert.equal(k.status, 'submitted');
    assert.equal(k.channel, 'online');
    assert.deepEqual(k.applicant, { id: company.id, kind: 'enterprise', name: company.name, ident: company.uscc });
    assert.deepEqual(k.form, { company_name: company.name, shop_address: '徐汇区漕溪北路88号' });
    assert.equal(k.promised_days, 3);
    assert.equal(k.legal_days, 20);
    assert.equal(k.missing_materials, 0);
    assert.deepEqual(
      k.materials.map((m) => [m.material_code, m.required, m.source, m.status, m.file_id]),
      [
        ['T-SCJ-FOOD-M01', 'required', 'file', 'satisfied', file],
        ['T-SCJ-FOOD-M02', 'conditional', 'none', 'optional', undefined],
      ],
    );
    assert.equal(k.clock.started, false);
    assert.equal(k.clock.light, 'not_started');
    assert.deepEqual(k.tasks, []);
    assert.equal(k.supplement_notice, null);
    assert.ok(k.submitted_at, 'submitted_at is set');
    assert.equal(k.accepted_at, '');
    assert.equal(k.timeline.length, 1);
    assert.equal(k.timeline[0].action, 'case.submit');
    assert.equal(k.timeline[0].to, 'submitted');
    assert.equal(k.timeline[0].actor, company.name);
    assert.equal(k.timeline[0].role, 'enterprise');
    assert.equal(k.timeline[0].note, 'channel: online');

    const g = await getCase(company.token, k.case_no);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, k);
    const mine = await myCases(company.token);
    assert.ok(mine.some((c) => c.case_no === k.case_no && c.status === 'submitted' && c.channel === 'online'));
    // the window sees it in its list, with the credit code (public) unmasked
    const all = await myCases(clerk);
    const row = all.find((c) => c.case_no === k.case_no);
    assert.ok(row, 'in the window list');
    assert.equal(row.applicant_ident, company.uscc);
  });

  test('a required material missing: 422 missing_field materials.CODE, and no case is made', async () => {
    const before = (await myCases(company.token)).length;
    let r = await apply(company.token, { item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' } });
    assertError(r, 422, 'missing_field', 'materials.T-SCJ-FOOD-M01');
    assert.match(r.json.error.message, /食品经营许可申请书/);
    // the optional material alone does not help
    const file = await uploadPdf(srv, company.token);
    r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' },
      materials: [{ material_code: 'T-SCJ-FOOD-M02', file_id: file }],
    });
    assertError(r, 422, 'missing_field', 'materials.T-SCJ-FOOD-M01');
    // a material the item does not have, someone else's upload, an unknown upload
    r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' },
      materials: [{ material_code: 'NOT-A-MATERIAL', file_id: file }],
    });
    assertError(r, 422, 'invalid_field', 'materials');
    const alicesFile = await uploadPdf(srv, alice.token);
    r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' },
      materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: alicesFile }],
    });
    assertError(r, 422, 'invalid_field', 'materials');
    r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' },
      materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: 'no-such-upload' }],
    });
    assertError(r, 422, 'invalid_field', 'materials');
    assert.equal((await myCases(company.token)).length, before);
  });

  test('form values of the wrong type: 422 naming form.KEY', async () => {
    const wrongCheck = (() => {
      const id = idNumber('19900101', 123);
      return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    })();
    const bad = [
      [{ start_date: '2026-02-30' }, 'invalid_field', 'form.start_date'],
      [{ start_date: '01/03/2026' }, 'invalid_field', 'form.start_date'],
      [{ months: '6' }, 'invalid_field', 'form.months'],
      [{ months: true }, 'invalid_field', 'form.months'],
      [{ category: '其他人员' }, 'invalid_field', 'form.category'],
      [{ spouse_id: wrongCheck }, 'invalid_id_checksum', 'form.spouse_id'],
      [{ spouse_id: '31010419900101' }, 'invalid_id_length', 'form.spouse_id'],
      [{ phone: '12345' }, 'invalid_field', 'form.phone'],
      [{ phone: '1391234567a' }, 'invalid_field', 'form.phone'],
      [{ remark: 42 }, 'invalid_field', 'form.remark'],
      [{ months: null }, 'missing_field', 'form.months'],
      [{ category: '' }, 'missing_field', 'form.category'],
    ];
    const before = (await myCases(alice.token)).length;
    for (const [patch, code, field] of bad) {
      const r = await apply(alice.token, { item_code: 'T-RSJ-SUBSIDY', form: { ...SUBSIDY_FORM, ...patch } });
      assertError(r, 422, code, field);
    }
    const { phone, ...noPhone } = SUBSIDY_FORM;
    assertError(await apply(alice.token, { item_code: 'T-RSJ-SUBSIDY', form: noPhone }), 422, 'missing_field', 'form.phone');
    assert.equal((await myCases(alice.token)).length, before, 'nothing was created');
    // the right types pass, optional fields may be given or left out
    const ok = await apply(alice.token, {
      item_code: 'T-RSJ-SUBSIDY',
      form: { ...SUBSIDY_FORM, spouse_id: idNumber('19900101', 124), phone: '021-64872222', remark: '无' },
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.form.months, 6);
    assert.equal(ok.json.form.spouse_id, idNumber('19900101', 124));
    assert.equal(ok.json.form.phone, '021-64872222');
    assert.equal(ok.json.form.category, '灵活就业人员');
  });

  test('a field the form does not have: 400 unknown_field; a body field the API does not know: 400', async () => {
    let r = await apply(alice.token, { item_code: 'T-RSJ-SUBSIDY', form: { ...SUBSIDY_FORM, salary: 9000 } });
    assertError(r, 400, 'unknown_field', 'form');
    assert.match(r.json.error.message, /salary/);
    r = await apply(alice.token, { item_code: 'T-RSJ-SUBSIDY', form: SUBSIDY_FORM, priority: 'high' });
    assertError(r, 400, 'unknown_field');
    r = await apply(alice.token, { item_code: 'NO-SUCH-ITEM' });
    assertError(r, 422, 'invalid_field', 'item_code');
    r = await apply(alice.token, { item_code: 'T-SWJ-D1', bundle_code: 'T-QYKB' });
    assertError(r, 422, 'invalid_field', 'item_code');
  });

  test('prefilled fields come from the account record, whatever the form says', async () => {
    const r = await apply(alice.token, {
      item_code: 'T-RSJ-SUBSIDY',
      form: { ...SUBSIDY_FORM, name: '假名字', id_number: idNumber('20000101', 222), sex: '女', birth_date: '2000-01-01' },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.form.name, '林小文');
    assert.equal(r.json.form.id_number, alice.id_number);
    assert.equal(r.json.form.sex, '男');
    assert.equal(r.json.form.birth_date, '1988-03-12');
    assert.equal(r.json.applicant.name, '林小文');
    const g = await getCase(alice.token, r.json.case_no);
    assert.equal(g.json.form.name, '林小文');
  });

  test('the target is enforced: a person cannot apply for a company item, nor a company for a personal one (403)', async () => {
    const file = await uploadPdf(srv, alice.token);
    let r = await apply(alice.token, {
      item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区1号' },
      materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: file }],
    });
    assertError(r, 403, 'forbidden', 'item_code');
    r = await apply(company.token, { item_code: 'T-SWJ-D1' });
    assertError(r, 403, 'forbidden', 'item_code');
    // staff other than the window cannot apply at all
    r = await apply(reviewer, { item_code: 'T-SWJ-D1', applicant_id: alice.id });
    assertError(r, 403, 'forbidden');
  });

  test('real-name level 3: refused online (403), accepted at the window for the applicant', async () => {
    const before = (await myCases(alice.token)).length;
    let r = await apply(alice.token, { item_code: 'T-GAFJ-HUKOU' });
    assertError(r, 403, 'forbidden', 'item_code');
    assert.match(r.json.error.message, /3/);
    r = await apply(alice.token, { item_code: 'T-GAFJ-HUKOU', channel: 'kiosk' });
    assertError(r, 403, 'forbidden', 'item_code');
    assert.equal((await myCases(alice.token)).length, before);
    r = await apply(clerk, { item_code: 'T-GAFJ-HUKOU', applicant_id: alice.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, 'window');
    assert.equal(r.json.applicant.id, alice.id);
    assert.equal(r.json.status, 'submitted');
    const mine = await myCases(alice.token);
    assert.equal(mine.length, before + 1);
    assert.equal(mine[0].case_no, r.json.case_no);
  });

  test('drafts: saved with missing materials listed, completed by PUT, then submitted', async () => {
    let r = await apply(company.token, { item_code: 'T-SCJ-FOOD', draft: true });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    assert.equal(r.json.status, 'draft');
    assert.equal(r.json.submitted_at, '');
    assert.equal(r.json.missing_materials, 1);
    assert.deepEqual(
      r.json.materials.map((m) => [m.material_code, m.status]),
      [['T-SCJ-FOOD-M01', 'missing'], ['T-SCJ-FOOD-M02', 'optional']],
    );
    assert.equal(r.json.form.company_name, company.name, 'prefilled already in the draft');
    assert.equal(r.json.timeline.at(-1).action, 'case.draft');
    // a draft is not visible to the public query
    const pub = await srv.api('GET', `/api/v1/public/case-status?case_no=${no}&uscc=${company.uscc}`);
    assertError(pub, 404, 'not_found');

    // submitting with the material still missing: 422, still a draft
    r = await srv.api('PUT', `/api/v1/cases/${no}`, { token: company.token, body: { form: { shop_address: '徐汇区天钥桥路1号' }, submit: true } });
    assertError(r, 422, 'missing_field', 'materials.T-SCJ-FOOD-M01');
    assert.equal((await getCase(company.token, no)).json.status, 'draft');

    const file = await uploadPdf(srv, company.token);
    r = await srv.api('PUT', `/api/v1/cases/${no}`, {
      token: company.token, body: { materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: file }] },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'draft');
    assert.equal(r.json.missing_materials, 0);
    assert.equal(r.json.materials[0].file_id, file);

    // the form is still incomplete
    r = await srv.api('PUT', `/api/v1/cases/${no}`, { token: company.token, body: { submit: true } });
    assertError(r, 422, 'missing_field', 'form.shop_address');
    assert.equal((await getCase(company.token, no)).json.status, 'draft');

    r = await srv.api('PUT', `/api/v1/cases/${no}`, {
      token: company.token, body: { form: { shop_address: '徐汇区天钥桥路1号' }, submit: true },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'submitted');
    assert.ok(r.json.submitted_at);
    assert.equal(r.json.form.shop_address, '徐汇区天钥桥路1号');
    assert.deepEqual(r.json.timeline.map((e) => e.action), ['case.draft', 'case.draft_saved', 'case.submit']);
    assert.deepEqual(r.json.timeline.at(-1), { ...r.json.timeline.at(-1), from: 'draft', to: 'submitted' });

    // no longer a draft
    r = await srv.api('PUT', `/api/v1/cases/${no}`, { token: company.token, body: { form: { shop_address: '别处' } } });
    assertError(r, 409, 'invalid_state');
    assert.match(r.json.error.message, /submitted/);
    // others cannot edit it
    r = await srv.api('PUT', `/api/v1/cases/${no}`, { token: bob.token, body: { submit: true } });
    assertError(r, 404, 'not_found');
  });

  test('Idempotency-Key: a retry returns the first case with 200 and Idempotent-Replayed', async () => {
    const before = (await myCases(bob.token)).length;
    const h = { 'Idempotency-Key': 'bob-retry-0001' };
    const a = await apply(bob.token, { item_code: 'T-SWJ-D3' }, h);
    assert.equal(a.status, 201, a.text);
    assert.equal(a.headers.get('idempotent-replayed'), null);
    const b = await apply(bob.token, { item_code: 'T-SWJ-D3' }, h);
    assert.equal(b.status, 200, b.text);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(b.json.case_no, a.json.case_no);
    assert.equal((await myCases(bob.token)).length, before + 1);
    // the key belongs to the account: another applicant with the same key gets their own case
    const c = await apply(carol.token, { item_code: 'T-SWJ-D3' }, h);
    assert.equal(c.status, 201, c.text);
    assert.notEqual(c.json.case_no, a.json.case_no);
    // a key longer than 64 characters is refused
    const d = await apply(bob.token, { item_code: 'T-SWJ-D3' }, { 'Idempotency-Key': 'k'.repeat(65) });
    assertError(d, 422, 'invalid_field', 'Idempotency-Key');
    // bytes that are not printable ASCII (an overlong NUL, Latin-1, UTF-8) are refused, not
    // handed to the database (PostgreSQL answered 500 for 0xC0 0x80 before)
    const body = Buffer.from(JSON.stringify({ item_code: 'T-SWJ-D3' }));
    for (const key of [Buffer.from([0x6b, 0xc0, 0x80]), Buffer.from([0xe9]), Buffer.from('键'), Buffer.from('a\tb')]) {
      const r = await rawRequest(srv.port, { method: 'POST', target: '/api/v1/cases', body,
        headers: [['Authorization', `Bearer ${bob.token}`], ['Content-Type', 'application/json'], ['Idempotency-Key', key]] });
      assert.equal(r.status, 422, `${key.toString('hex')}: ${r.error || r.body}`);
      assert.equal(JSON.parse(r.body).error.field, 'Idempotency-Key');
    }
    assert.equal((await myCases(bob.token)).length, before + 1);
  });

  test('Idempotency-Key reused with a different request: 422 idempotency_key_reused naming the key, no case', async () => {
    const before = (await myCases(alice.token)).length;
    const h = { 'Idempotency-Key': 'alice-subsidy-0003' };
    const body = { item_code: 'T-RSJ-SUBSIDY', form: { ...SUBSIDY_FORM }, draft: true };
    const a = await apply(alice.token, body, h);
    assert.equal(a.status, 201, a.text);
    // the same request written otherwise (key order, white space) is the same request: replayed
    const reordered = JSON.stringify({ draft: true, form: Object.fromEntries(Object.entries(SUBSIDY_FORM).reverse()), item_code: 'T-RSJ-SUBSIDY' }, null, 2);
    const b = await srv.api('POST', '/api/v1/cases', { token: alice.token, raw: reordered, contentType: 'application/json', headers: h });
    assert.equal(b.status, 200, b.text);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(b.json.case_no, a.json.case_no);
    // any other value, an added or removed field, another item: refused, the first case untouched
    const others = [
      { ...body, form: { ...SUBSIDY_FORM, months: 7 } },
      { ...body, form: { ...SUBSIDY_FORM, remark: '补充' } },
      { item_code: 'T-RSJ-SUBSIDY', form: { ...SUBSIDY_FORM } },
      { ...body, channel: 'kiosk' },
      { item_code: 'T-SWJ-D3' },
    ];
    for (const other of others) {
      const r = await apply(alice.token, other, h);
      assertError(r, 422, 'idempotency_key_reused', 'Idempotency-Key');
      assert.match(r.json.error.message, /alice-subsidy-0003/, r.text);
      assert.equal(r.headers.get('idempotent-replayed'), null);
    }
    assert.equal((await myCases(alice.token)).length, before + 1);
    const k = await getCase(alice.token, a.json.case_no);
    assert.equal(k.json.status, 'draft');
    assert.equal(k.json.form.months, SUBSIDY_FORM.months);
    // and the original request still replays
    const c = await apply(alice.token, body, h);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.case_no, a.json.case_no);
  });

  test('Idempotency-Key: 10 concurrent requests with one key make exactly one case', async () => {
    const before = (await myCases(bob.token)).length;
    const h = { 'Idempotency-Key': 'bob-concurrent-0002' };
    const rs = await Promise.all(Array.from({ length: 10 }, () => apply(bob.token, { item_code: 'T-SWJ-D5' }, h)));
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201], rs.map((r) => r.text).join('\n'));
    assert.equal(new Set(rs.map((r) => r.json.case_no)).size, 1);
    for (const r of rs) assert.equal(r.headers.get('idempotent-replayed'), r.status === 200 ? 'true' : null);
    assert.equal((await myCases(bob.token)).length, before + 1);
  });

  test('50 concurrent submissions: all 201 with distinct case numbers', async () => {
    const before = (await myCases(carol.token)).length;
    const rs = await Promise.all(Array.from({ length: 50 }, () => apply(carol.token, { item_code: 'T-SWJ-D1' })));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const nos = rs.map((r) => r.json.case_no);
    for (const no of nos) assert.match(no, CASE_NO);
    assert.equal(new Set(nos).size, 50);
    const mine = (await myCases(carol.token)).map((c) => c.case_no);
    assert.equal(mine.length, before + 50);
    for (const no of nos) assert.ok(mine.includes(no), `${no} is listed`);
  });

  test("another applicant's case is 404 to read, edit, supplement or withdraw, and not listed", async () => {
    const r = await apply(alice.token, { item_code: 'T-SWJ-D2' });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    assertError(await getCase(bob.token, no), 404, 'not_found');
    assertError(await getCase(company.token, no), 404, 'not_found');
    assertError(await srv.api('PUT', `/api/v1/cases/${no}`, { token: bob.token, body: { submit: true } }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/cases/${no}/withdraw`, { token: bob.token, body: {} }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/cases/${no}/supplement`, { token: bob.token, body: {} }), 404, 'not_found');
    assert.ok(!(await myCases(bob.token)).some((c) => c.case_no === no));
    // the same 404 as a case that does not exist
    assertError(await getCase(bob.token, 'XH20260101999999'), 404, 'not_found');
    assertError(await getCase(undefined, no), 401, 'unauthenticated');
    // a reviewer of a department without a task on it does not see it either
    assertError(await getCase(reviewer, no), 404, 'not_found');
    assert.equal((await getCase(alice.token, no)).json.status, 'submitted');
  });

  test('the window looks the applicant up, applies for them, and the channel is window', async () => {
    let r = await srv.api('GET', `/api/v1/accounts?q=${bob.id_number}`, { token: clerk });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1);
    const hit = r.json.items[0];
    assert.equal(hit.id, bob.id);
    assert.equal(hit.kind, 'person');
    assert.equal(hit.name, '陈大明');
    assert.equal(hit.login, `${bob.id_number.slice(0, 4)}**********${bob.id_number.slice(14)}`, 'masked in the list');
    assert.equal(hit.phone, `${bob.phone.slice(0, 3)}****${bob.phone.slice(7)}`);
    r = await srv.api('GET', `/api/v1/accounts?q=${encodeURIComponent('陈大')}`, { token: clerk });
    assert.ok(r.json.items.some((a) => a.id === bob.id), 'by name prefix');
    assertError(await srv.api('GET', '/api/v1/accounts?q=1', { token: clerk }), 422, 'invalid_field', 'q');
    assertError(await srv.api('GET', `/api/v1/accounts?q=${bob.id_number}`, { token: alice.token }), 403, 'forbidden');

    assertError(await apply(clerk, { item_code: 'T-SWJ-D3' }), 422, 'missing_field', 'applicant_id');
    assertError(await apply(clerk, { item_code: 'T-SWJ-D3', applicant_id: 999999 }), 422, 'invalid_field', 'applicant_id');
    assertError(await apply(alice.token, { item_code: 'T-SWJ-D3', applicant_id: bob.id }), 403, 'forbidden', 'applicant_id');

    r = await apply(clerk, { item_code: 'T-SWJ-D3', applicant_id: hit.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, 'window');
    assert.equal(r.json.applicant.id, bob.id);
    assert.equal(r.json.applicant.name, '陈大明');
    assert.equal(r.json.applicant.ident, `${bob.id_number.slice(0, 4)}**********${bob.id_number.slice(14)}`, 'masked to staff');
    assert.equal(r.json.timeline[0].actor, '王窗口');
    assert.equal(r.json.timeline[0].role, 'window_clerk');
    assert.equal(r.json.timeline[0].note, 'channel: window');
    // the applicant sees it, unmasked, with the clerk's name masked
    const g = await getCase(bob.token, r.json.case_no);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.applicant.ident, bob.id_number);
    assert.equal(g.json.timeline[0].actor, '王*');
    assert.ok((await myCases(bob.token)).some((c) => c.case_no === r.json.case_no && c.channel === 'window'));
    // the 201 body is built from what the submission wrote: the same as the clerk's read of it
    const s = await getCase(clerk, r.json.case_no);
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json, r.json);
  });

  test('two materials of one upload: both carry it, and the 201 body is what a read of the case gives', async () => {
    const file = await uploadPdf(srv, company.token, 'shared-upload');
    const r = await apply(company.token, {
      item_code: 'T-SCJ-FOOD',
      form: { shop_address: '徐汇区漕溪北路99号' },
      materials: [
        { material_code: 'T-SCJ-FOOD-M02', file_id: file },
        { material_code: 'T-SCJ-FOOD-M01', file_id: file },
      ],
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(
      r.json.materials.map((m) => [m.material_code, m.source, m.status, m.file_id]),
      [
        ['T-SCJ-FOOD-M01', 'file', 'satisfied', file],
        ['T-SCJ-FOOD-M02', 'file', 'satisfied', file],
      ],
    );
    assert.equal(r.json.missing_materials, 0);
    assert.ok(r.json.materials.every((m) => m.file && m.file.mime === 'application/pdf' && /^[0-9a-f]{64}$/.test(m.file.sha256)), r.text);
    assert.deepEqual(r.json.materials[0].file, r.json.materials[1].file);
    const g = await getCase(company.token, r.json.case_no);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, r.json);
    // a later entry for the same material wins; file_id null in a draft leaves it missing
    const d = await apply(company.token, {
      item_code: 'T-SCJ-FOOD',
      draft: true,
      materials: [
        { material_code: 'T-SCJ-FOOD-M01', file_id: file },
        { material_code: 'T-SCJ-FOOD-M01', file_id: null },
      ],
    });
    assert.equal(d.status, 201, d.text);
    assert.equal(d.json.materials[0].source, 'none');
    assert.equal(d.json.missing_materials, 1);
    assert.deepEqual((await getCase(company.token, d.json.case_no)).json, d.json);
  });

  test('kiosk channel is recorded; other channels cannot be claimed', async () => {
    const r = await apply(carol.token, { item_code: 'T-SWJ-D2', channel: 'kiosk' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, 'kiosk');
    assert.equal(r.json.timeline[0].note, 'channel: kiosk');
    for (const channel of ['window', 'phone', '']) {
      assertError(await apply(carol.token, { item_code: 'T-SWJ-D2', channel }), 422, 'invalid_field', 'channel');
    }
  });

  describe('agents of a company', () => {
    let caseNo, companysOwn;
    test('a person the company has not authorized cannot apply on its behalf (403)', async () => {
      const r = await apply(agent.token, { item_code: 'T-SWJ-D1', on_behalf_of: company.id });
      assertError(r, 403, 'forbidden', 'on_behalf_of');
    });

    test('an authorized agent applies on_behalf_of the company and sees the case', async () => {
      let r = await srv.api('POST', '/api/v1/enterprise/agents', { token: company.token, body: { id_number: agent.id_number, name: agent.name } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.agent_id, agent.id);
      const file = await uploadPdf(srv, agent.token, 'by-agent');
      r = await apply(agent.token, {
        item_code: 'T-SCJ-FOOD', on_behalf_of: company.id, form: { shop_address: '徐汇区虹桥路2号' },
        materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: file }],
      });
      assert.equal(r.status, 201, r.text);
      caseNo = r.json.case_no;
      assert.deepEqual(r.json.applicant, { id: company.id, kind: 'enterprise', name: company.name, ident: company.uscc });
      assert.equal(r.json.form.company_name, company.name);
      assert.equal(r.json.channel, 'online');
      assert.equal(r.json.timeline[0].actor, agent.name);
      assert.equal((await getCase(agent.token, caseNo)).status, 200);
      assert.equal((await getCase(company.token, caseNo)).status, 200);
      assert.ok((await myCases(company.token)).some((c) => c.case_no === caseNo));
      // and the company's own cases, filed by the company itself
      r = await apply(company.token, { item_code: 'T-WJW-CLINIC', materials: [{ material_code: 'T-WJW-CLINIC-M01', file_id: await uploadPdf(srv, company.token) }] });
      assert.equal(r.status, 201, r.text);
      companysOwn = r.json.case_no;
      assert.equal((await getCase(agent.token, companysOwn)).status, 200);
      // the agent's list holds the company's cases while the authorization lasts
      const listed = (await myCases(agent.token)).map((c) => c.case_no);
      assert.ok(listed.includes(caseNo) && listed.includes(companysOwn), JSON.stringify(listed));
      // the agent acts for the company on a company item only: not on behalf of someone else
      r = await apply(agent.token, { item_code: 'T-SWJ-D1', on_behalf_of: alice.id });
      assertError(r, 403, 'forbidden', 'on_behalf_of');
    });

    test('after revocation the agent can no longer apply for the company', async () => {
      let r = await srv.api('DELETE', `/api/v1/enterprise/agents/${agent.id}`, { token: company.token });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { revoked: true });
      r = await apply(agent.token, { item_code: 'T-SWJ-D1', on_behalf_of: company.id });
      assertError(r, 403, 'forbidden', 'on_behalf_of');
      assert.equal((await getCase(company.token, caseNo)).status, 200, 'the company still sees it');
      assertError(await getCase(agent.token, companysOwn), 404, 'not_found');
      assertError(await srv.api('POST', `/api/v1/cases/${companysOwn}/withdraw`, { token: agent.token, body: {} }), 404, 'not_found');
      assert.equal((await getCase(company.token, companysOwn)).json.status, 'submitted');
    });

    test('after revocation the former agent gets 404 for the company case', async () => {
      const r = await getCase(agent.token, caseNo);
      assertError(r, 404, 'not_found');
      assert.ok(!(await myCases(agent.token)).some((c) => c.case_no === caseNo), 'not in the former agent\'s list');
    });

    test('an agent of several companies lists their cases and their own, newest first, page by page', async () => {
      const broker = await registerPerson(srv, '孙代办', '19870515', 406);
      const own = await apply(broker.token, { item_code: 'T-SWJ-D1' });
      assert.equal(own.status, 201, own.text);
      const filed = [own.json.case_no];
      for (const [name, n] of [['上海徐汇代办一号有限公司', 10000011], ['上海徐汇代办二号有限公司', 10000012],
        ['上海徐汇代办三号有限公司', 10000013]]) {
        const co = await registerCompany(srv, name, n);
        const r = await srv.api('POST', '/api/v1/enterprise/agents', { token: co.token, body: { id_number: broker.id_number, name: broker.name } });
        assert.equal(r.status, 201, r.text);
        const k = await apply(co.token, { item_code: 'T-WJW-CLINIC', materials: [{ material_code: 'T-WJW-CLINIC-M01', file_id: await uploadPdf(srv, co.token) }] });
        assert.equal(k.status, 201, k.text);
        filed.push(k.json.case_no);
        assert.deepEqual((await myCases(broker.token)).map((c) => c.case_no), filed.slice().reverse());
      }
      const expected = filed.slice().reverse();
      // the same list in pages of one (the cursor crosses the companies' cases)
      const paged = [];
      let cursor = null;
      do {
        const r = await srv.api('GET', `/api/v1/cases?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: broker.token });
        assert.equal(r.status, 200, r.text);
        paged.push(...r.json.items.map((c) => c.case_no));
        cursor = r.json.next_cursor;
      } while (cursor);
      assert.deepEqual(paged, expected);
    });
  });
});
