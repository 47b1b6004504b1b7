// supervision_credit.test.js - credit records (信用) and joint punishment and
// reward (联合奖惩): a dishonest subject is blocked at submission for an item
// its rule names (the reason and the record in the answer) and flagged for
// another, every check written for the case; an honest subject's fast-track;
// credit repair (信用修复) ends a record early; the subject reads their own
// records; bad input is a clear 422 that writes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureServer, registerPerson, registerCompany, addStaff, assertError, idNumber, uscc } from './case_fixtures.js';
import { cli, tempDir } from './harness.js';

describe('supervision: credit and joint punishment', () => {
  let srv, tok, dishonest, honest, clean, company;
  const api = (method, path, who, body) => srv.api(method, path, { token: tok[who] ?? who, body });
  const ok = async (p, status = 200) => {
    const r = await p;
    assert.equal(r.status, status, r.text);
    return r.json;
  };

  before(async () => {
    srv = await fixtureServer({ clock: '2026-11-02T10:00:00+08:00' });
    const admin = await srv.login('admin');
    const swj = await addStaff(srv, admin, 'swj', '吴税务', 'XH-SWJ', ['reviewer']);
    dishonest = await registerPerson(srv, '失信人', '19800101', 31);
    honest = await registerPerson(srv, '守信人', '19810101', 33);
    clean = await registerPerson(srv, '普通人', '19820101', 35);
    company = await registerCompany(srv, '测试失信有限公司', 4401);
    tok = {
      supervisor: await srv.login('supervisor'),
      clerk: await srv.login('clerk'),
      scj: await srv.login('reviewer'),
      swj: swj.token,
      dishonest: dishonest.token,
      honest: honest.token,
      clean: clean.token,
      company: company.token,
    };
  });
  after(() => srv?.close());

  test('records and rules are validated; bad input writes nothing', async () => {
    const base = { subject_ident: dishonest.id_number, subject_name: '失信人', kind: 'dishonest', category: '失信被执行人', dept: 'XH-SWJ', basis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》' };
    assertError(await api('POST', '/api/v1/credit/records', 'supervisor', { ...base, subject_ident: '310104198001010000' }), 422, 'invalid_field', 'subject_ident');
    assertError(await api('POST', '/api/v1/credit/records', 'supervisor', { ...base, kind: 'grey' }), 422, 'invalid_field', 'kind');
    assertError(await api('POST', '/api/v1/credit/records', 'supervisor', { ...base, dept: 'XH-NONE' }), 422, 'invalid_field', 'dept');
    assertError(await api('POST', '/api/v1/credit/records', 'supervisor', { ...base, valid_from: '2026-13-01' }), 422, 'invalid_field', 'valid_from');
    assertError(await api('POST', '/api/v1/credit/records', 'supervisor', { ...base, valid_from: '2026-11-01', valid_to: '2026-10-01' }), 422, 'invalid_field', 'valid_to');
    assertError(await api('POST', '/api/v1/credit/records', 'swj', { ...base, dept: 'XH-SCJ' }), 403, 'forbidden', 'dept');
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { record_kind: 'dishonest', target_kind: 'item', target: 'T-NO-SUCH', measure: 'block' }), 422, 'invalid_field', 'target');
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { record_kind: 'dishonest', target_kind: 'item', target: 'T-SWJ-D3', measure: 'fast_track' }), 422, 'invalid_field', 'measure');
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { record_kind: 'dishonest', target_kind: 'shop', target: 'T-SWJ-D3', measure: 'block' }), 422, 'invalid_field', 'target_kind');
    assert.deepEqual((await ok(api('GET', '/api/v1/credit/records', 'supervisor'))).items, []);
    // only the demo seed's rule (a dishonest record flags the market regulator's items)
    assert.deepEqual((await ok(api('GET', '/api/v1/credit/rules', 'supervisor'))).items.map((r) => [r.target, r.measure]), [['XH-SCJ', 'flag']]);
  });

  test('a dishonest subject is blocked for the item its rule names, flagged for another, the check written', async () => {
    const rec = await ok(api('POST', '/api/v1/credit/records', 'swj', {
      subject_ident: dishonest.id_number, subject_name: '失信人', kind: 'dishonest', category: '重大税收违法失信主体',
      basis: '《重大税收违法失信主体信息公布管理办法》第六条', measures: '限制办理涉税事项',
    }), 201);
    await ok(api('POST', '/api/v1/credit/rules', 'supervisor', { record_kind: 'dishonest', target_kind: 'item', target: 'T-SWJ-D3', measure: 'block', note: '禁止' }), 201);
    await ok(api('POST', '/api/v1/credit/rules', 'supervisor', { record_kind: 'dishonest', category: '重大税收违法失信主体', target_kind: 'dept', target: 'XH-SWJ', measure: 'flag' }), 201);

    const blocked = await api('POST', '/api/v1/cases', 'dishonest', { item_code: 'T-SWJ-D3' });
    assertError(blocked, 422, 'credit_blocked', 'applicant');
    assert.match(blocked.json.error.message, /重大税收违法失信主体/);
    assert.match(blocked.json.error.message, /第六条/);
    const mine = await ok(api('GET', '/api/v1/cases', 'dishonest'));
    assert.equal(mine.items.length, 0, 'the blocked application left nothing');

    const k = await ok(api('POST', '/api/v1/cases', 'dishonest', { item_code: 'T-SWJ-D5' }), 201);
    const flags = await ok(api('GET', `/api/v1/credit/flags?subject=${dishonest.id_number}&item=T-SWJ-D5`, 'clerk'));
    assert.equal(flags.result, 'flag');
    assert.equal(flags.flags[0].record.id, rec.id);
    let checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${k.case_no}`, 'clerk'));
    assert.deepEqual(checks.items.map((c) => [c.stage, c.result]), [['submitted', 'flag']]);
    await ok(api('POST', `/api/v1/cases/${k.case_no}/accept`, 'clerk', {}));
    checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${k.case_no}`, 'swj'));
    assert.deepEqual(checks.items.map((c) => [c.stage, c.result]), [['submitted', 'flag'], ['accepted', 'flag']]);
    assert.equal(checks.items[1].flags[0].measure, 'flag');

    const other = await ok(api('POST', '/api/v1/cases', 'clean', { item_code: 'T-SWJ-D3' }), 201);
    checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${other.case_no}`, 'clerk'));
    assert.deepEqual(checks.items.map((c) => c.result), ['pass'], 'a subject without records passes, and that is written too');
  });

  test('the subject sees their own records only; staff look up by subject', async () => {
    const own = await ok(api('GET', '/api/v1/me/credit', 'dishonest'));
    assert.equal(own.items.length, 1);
    assert.equal(own.items[0].category, '重大税收违法失信主体');
    assert.equal(own.items[0].dept, 'XH-SWJ');
    assert.deepEqual((await ok(api('GET', '/api/v1/me/credit', 'clean'))).items, []);
    assertError(await api('GET', '/api/v1/credit/records', 'dishonest'), 403, 'forbidden');
    const bySubject = await ok(api('GET', `/api/v1/credit/records?subject=${dishonest.id_number}`, 'clerk'));
    assert.equal(bySubject.items.length, 1);
    assertError(await api('GET', '/api/v1/credit/flags?subject=abc', 'clerk'), 422, 'invalid_field', 'subject');
    assertError(await api('GET', `/api/v1/credit/flags?subject=${dishonest.id_number}&item=T-NONE`, 'clerk'), 422, 'invalid_field', 'item');
    assertError(await api('GET', '/api/v1/credit/checks', 'clerk'), 422, 'invalid_field', 'case_no');
  });

  test('an honest company is accepted with the material its fast-track rule names still missing (容缺受理)', async () => {
    await ok(api('POST', '/api/v1/credit/records', 'supervisor', {
      subject_ident: company.uscc, subject_name: '测试失信有限公司', kind: 'honest', category: 'A级纳税人', dept: 'XH-SWJ', basis: '《纳税信用管理办法》',
    }), 201);
    const rule = { record_kind: 'honest', target_kind: 'item', target: 'T-SCJ-FOOD', measure: 'fast_track', material: 'T-SCJ-FOOD-M01', note: '容缺受理：申请书可后补' };
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { ...rule, target_kind: 'dept', target: 'XH-SCJ' }), 422, 'invalid_field', 'target_kind');
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { ...rule, material: undefined }), 422, 'invalid_field', 'material');
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { ...rule, material: 'T-SCJ-FOOD-M02' }), 422, 'invalid_field', 'material'); // not a required one
    assertError(await api('POST', '/api/v1/credit/rules', 'supervisor', { ...rule, record_kind: 'dishonest', measure: 'flag' }), 422, 'invalid_field', 'material');
    await ok(api('POST', '/api/v1/credit/rules', 'supervisor', rule), 201);

    const f = await ok(api('GET', `/api/v1/credit/flags?subject=${company.uscc}&item=T-SCJ-FOOD`, 'clerk'));
    assert.equal(f.result, 'fast_track');
    assert.equal(f.flags[0].material, 'T-SCJ-FOOD-M01');
    assert.equal(f.records[0].subject_kind, 'enterprise');

    const body = { item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区衡山路10号' } };
    const k = await ok(api('POST', '/api/v1/cases', 'company', body), 201);
    assert.equal(k.materials.find((m) => m.code === 'T-SCJ-FOOD-M01' || m.material_code === 'T-SCJ-FOOD-M01')?.source ?? 'none', 'none', 'still to hand in');
    const checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${k.case_no}`, 'clerk'));
    assert.deepEqual(checks.items.map((c) => [c.stage, c.result]), [['submitted', 'fast_track']]);
    await ok(api('POST', `/api/v1/cases/${k.case_no}/accept`, 'clerk', {}));

    // a company without the honest record must hand it in now
    const other = await registerCompany(srv, '普通有限公司', 4402);
    const r = await srv.api('POST', '/api/v1/cases', { token: other.token, body });
    assertError(r, 422, 'missing_field', 'materials.T-SCJ-FOOD-M01');
  });

  test('credit repair by the issuing department ends the record; the block is lifted', async () => {
    const [rec] = (await ok(api('GET', `/api/v1/credit/records?subject=${dishonest.id_number}`, 'supervisor'))).items;
    // the subject applies; another subject cannot
    assertError(await api('POST', `/api/v1/me/credit/${rec.id}/repair-request`, 'clean', { reason: '冒名' }), 404, 'not_found');
    assertError(await api('POST', `/api/v1/me/credit/${rec.id}/repair-request`, 'dishonest', { reason: '' }), 422, 'missing_field', 'reason');
    await ok(api('POST', `/api/v1/me/credit/${rec.id}/repair-request`, 'dishonest', { reason: '已补缴全部税款' }));
    const asked = (await ok(api('GET', '/api/v1/me/credit', 'dishonest'))).items[0];
    assert.equal(asked.repair_request, '已补缴全部税款');
    assert.equal(asked.status, 'active', 'the record stands until its department accepts');
    assertError(await api('POST', `/api/v1/credit/records/${rec.id}/repair`, 'scj', { note: '他部门' }), 404, 'not_found');
    assertError(await api('POST', `/api/v1/credit/records/${rec.id}/repair`, 'swj', {}), 422, 'missing_field', 'note');
    const r = await ok(api('POST', `/api/v1/credit/records/${rec.id}/repair`, 'swj', { note: '已补缴税款及滞纳金，信用修复' }));
    assert.equal(r.status, 'repaired');
    assertError(await api('POST', `/api/v1/credit/records/${rec.id}/repair`, 'swj', { note: '再次' }), 409, 'invalid_state');
    const own = await ok(api('GET', '/api/v1/me/credit', 'dishonest'));
    assert.equal(own.items[0].status, 'repaired');
    await ok(api('POST', '/api/v1/cases', 'dishonest', { item_code: 'T-SWJ-D3' }), 201);
  });

  test('ywtb import credit: NDJSON or CSV, every bad row reported by line, all rows or none', async () => {
    const dir = tempDir('ywtb-credit-');
    try {
      const before = (await ok(api('GET', '/api/v1/credit/records', 'supervisor'))).items.length;
      const good = { subject_ident: idNumber('19700505', 41), subject_name: '导入甲', kind: 'dishonest', category: '失信被执行人', dept: 'XH-SCJ', basis: '法院名单', valid_from: '2026-01-01' };
      const nd = path.join(dir, 'credit.ndjson');
      fs.writeFileSync(nd, [
        JSON.stringify(good),
        JSON.stringify({ ...good, subject_ident: '310104197005050000' }),
        JSON.stringify({ ...good, dept: 'XH-NOPE' }),
        '{not json',
      ].join('\n') + '\n');
      let r = cli(['import', 'credit', nd, '--db', srv.url]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /credit\.ndjson:2: subject_ident: /);
      assert.match(r.stderr, /credit\.ndjson:3: dept: /);
      assert.match(r.stderr, /credit\.ndjson:4: not a JSON object/);
      assert.match(r.stderr, /3 bad rows: nothing imported/);
      assert.equal((await ok(api('GET', '/api/v1/credit/records', 'supervisor'))).items.length, before, 'nothing written');

      const csv = path.join(dir, 'credit.csv');
      fs.writeFileSync(csv, '\ufeffsubject_ident,subject_name,kind,category,dept,basis,valid_from,valid_to\n' +
        `${good.subject_ident},导入甲,dishonest,失信被执行人,XH-SCJ,"《最高人民法院关于公布失信被执行人名单信息的若干规定》, 第一条",2026-01-01,2027-12-31\n` +
        `${uscc(5501)},"导入乙有限公司",honest,A级纳税人,XH-SWJ,纳税信用管理办法,2026-01-01,\n`);
      r = cli(['import', 'credit', csv, '--db', srv.url]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /imported 2 credit records/);
      const rec = (await ok(api('GET', `/api/v1/credit/records?subject=${good.subject_ident}`, 'supervisor'))).items;
      assert.equal(rec.length, 1);
      assert.equal(rec[0].basis, '《最高人民法院关于公布失信被执行人名单信息的若干规定》, 第一条');
      assert.equal(rec[0].valid_to, '2027-12-31');
      const co = (await ok(api('GET', `/api/v1/credit/records?subject=${uscc(5501)}`, 'supervisor'))).items;
      assert.equal(co[0].subject_kind, 'enterprise');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a record another process writes blocks the very next submission (the node's set of subjects is never stale)", async () => {
    // the subject without records passes (the node's set says so without reading the records)
    const first = await ok(api('POST', '/api/v1/cases', 'clean', { item_code: 'T-SWJ-D3' }), 201);
    let checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${first.case_no}`, 'clerk'));
    assert.deepEqual(checks.items.map((c) => c.result), ['pass']);
    // `ywtb import credit` is another process: the server hears of it only through the database
    const dir = tempDir('ywtb-credit-');
    try {
      const nd = path.join(dir, 'late.ndjson');
      fs.writeFileSync(nd, JSON.stringify({ subject_ident: clean.id_number, subject_name: '普通人', kind: 'dishonest', category: '失信被执行人', dept: 'XH-SWJ', basis: '法院名单', valid_from: '2026-01-01' }) + '\n');
      const r = cli(['import', 'credit', nd, '--db', srv.url]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assertError(await api('POST', '/api/v1/cases', 'clean', { item_code: 'T-SWJ-D3' }), 422, 'credit_blocked', 'applicant');
    // and the other subjects still pass
    const other = await ok(api('POST', '/api/v1/cases', 'honest', { item_code: 'T-SWJ-D3' }), 201);
    checks = await ok(api('GET', `/api/v1/credit/checks?case_no=${other.case_no}`, 'clerk'));
    assert.equal(checks.items.length, 1);
  });
});

describe("the credit check's own figures on /metrics (one node)", () => {
  let srv, swj, person, sup;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): /metrics is that node's
    srv = await fixtureServer({ nodes: 1, clock: '2026-11-02T10:00:00+08:00' });
    const admin = await srv.login('admin');
    swj = (await addStaff(srv, admin, 'swj2', '吴税务', 'XH-SWJ', ['reviewer'])).token;
    person = await registerPerson(srv, '失信人', '19800202', 41);
    sup = await srv.login('supervisor');
  });
  after(() => srv?.close());

  test('every check is timed and counted by stage and result: pass, flag, block', async () => {
    const SUB = 'ywtb_credit_check_duration_seconds_count{stage="submitted"}';
    const INF = 'ywtb_credit_check_duration_seconds_bucket{stage="submitted",le="+Inf"}';
    const res = (r) => `ywtb_credit_checks_total{stage="submitted",result="${r}"}`;
    const read = async () => (await srv.metrics()).values;
    const post = (path, token, body) => srv.api('POST', path, { token, body });
    let m0 = await read();
    assert.ok(m0.has(SUB) && m0.has(res('block')), 'the series are there before the first check');
    assert.equal((await post('/api/v1/cases', person.token, { item_code: 'T-SWJ-D5' })).status, 201);
    let m1 = await read();
    assert.equal(m1.get(SUB), m0.get(SUB) + 1);
    assert.equal(m1.get(INF), m1.get(SUB), 'the +Inf bucket holds every check');
    assert.equal(m1.get(res('pass')), m0.get(res('pass')) + 1);

    assert.equal((await post('/api/v1/credit/records', swj, {
      subject_ident: person.id_number, subject_name: '失信人', kind: 'dishonest', category: '失信被执行人',
      basis: '法院名单', measures: '限制',
    })).status, 201);
    assert.equal((await post('/api/v1/credit/rules', sup, { record_kind: 'dishonest', target_kind: 'dept', target: 'XH-SWJ', measure: 'flag' })).status, 201);
    assert.equal((await post('/api/v1/credit/rules', sup, { record_kind: 'dishonest', target_kind: 'item', target: 'T-SWJ-D3', measure: 'block' })).status, 201);
    m0 = await read();
    assert.equal((await post('/api/v1/cases', person.token, { item_code: 'T-SWJ-D5' })).status, 201);
    assertError(await post('/api/v1/cases', person.token, { item_code: 'T-SWJ-D3' }), 422, 'credit_blocked', 'applicant');
    m1 = await read();
    assert.equal(m1.get(res('flag')), m0.get(res('flag')) + 1);
    assert.equal(m1.get(res('block')), m0.get(res('block')) + 1);
    assert.equal(m1.get(SUB), m0.get(SUB) + 2);
  });
});
