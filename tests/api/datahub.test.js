// datahub.test.js - the data hub end to end: a department's data officer
// publishes a resource and imports a file into it (ywtb import data); another
// department asks for it, is granted two of its fields, reads a citizen's
// record for a case and sees only those fields; the citizen sees the read in
// their ledger, disputes it, reports a wrong value; unconditional, not-shared
// and open resources; pushes over the API with an Idempotency-Key; prefill.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, tempDir } from './harness.js';
import { addStaff, assertError, idNumber, registerPerson } from './case_fixtures.js';
import { registerClient, clientToken } from './clients.js';

const CITIZEN = '310104199003072013';
const COMPANY = '91310104MA1FL8XQ10';
const D = '/api/v1/datahub';

const RESOURCE = {
  code: 'GA-LDRK',
  dept: 'XH-GAFJ',
  name: '流动人口居住登记信息',
  name_en: 'Residence registrations of non-local residents',
  subject_kind: 'person',
  subject_field: 'id_number',
  share_type: 'conditional',
  frequency: 'daily',
  legal_basis: '《居住证暂行条例》第六条',
  fields: [
    { key: 'id_number', name: '公民身份号码', type: 'id_number', sensitivity: 3, masked: true, required: true },
    { key: 'name', name: '姓名', type: 'text', sensitivity: 2, required: true },
    { key: 'address', name: '居住地址', type: 'text', sensitivity: 3 },
    { key: 'phone', name: '联系电话', type: 'phone', sensitivity: 3, masked: true },
    { key: 'since', name: '登记日期', type: 'date' },
    { key: 'household', name: '同住人数', type: 'number' },
  ],
};

describe('datahub: catalog, import, grants, purposeful reads and the ledger', () => {
  let srv, work, admin, gaOfficer, scjOfficer, hub, reviewer, swj, supervisor, citizen, company, person2;
  const get = (token, p) => srv.api('GET', p, { token });
  const post = (token, p, body, headers) => srv.api('POST', p, { token, body: body ?? {}, headers });
  const importCli = (...args) => cli(['import', 'data', ...args, '--db', srv.url], { cwd: srv.dir });
  const file = (name, text) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const P2 = idNumber('19850412', 23);
  const P3 = idNumber('19920101', 35);

  before(async () => {
    srv = await startServer();
    work = tempDir('ywtb-datahub-');
    admin = await srv.login('admin');
    hub = await srv.login('dataofficer'); // XH-DSJ: acts for any department
    reviewer = await srv.login('reviewer'); // XH-SCJ
    swj = await srv.login('rev.swj');
    supervisor = await srv.login('supervisor');
    gaOfficer = (await addStaff(srv, admin, 'ga.data', '公安数据员', 'XH-GAFJ', ['data_officer'])).token;
    scjOfficer = (await addStaff(srv, admin, 'scj.data', '市监数据员', 'XH-SCJ', ['data_officer'])).token;
    citizen = await srv.login(CITIZEN);
    company = await srv.login(COMPANY);
    person2 = await registerPerson(srv, '王二', '19850412', 23);
  });
  after(() => srv?.close());

  test('the demo catalog: about 60 resources of the catalog\'s departments, searchable in Chinese', async () => {
    const all = await get(reviewer, `${D}/resources?limit=500`);
    assert.equal(all.status, 200, all.text);
    assert.ok(all.json.items.length >= 60, `${all.json.items.length} resources`);
    const hj = await get(reviewer, `${D}/resources?q=${encodeURIComponent('户籍')}`);
    assert.deepEqual(hj.json.items.map((r) => r.code), ['GA-HJRK']);
    const one = await get(reviewer, `${D}/resources/GA-HJRK`);
    assert.equal(one.status, 200);
    assert.equal(one.json.dept, 'XH-GAFJ');
    assert.equal(one.json.share_type, 'conditional');
    assert.equal(one.json.quality.rows, 1);
    assert.equal(one.json.quality.freshness, 'fresh');
    assert.ok(one.json.fields.some((f) => f.key === 'hukou_address'));
    assertError(await get(reviewer, `${D}/resources/NO-SUCH`), 404, 'not_found');
    // citizens do not browse the staff catalog
    assertError(await get(citizen, `${D}/resources`), 403, 'forbidden');
  });

  test('a data officer publishes a resource of their department, versioned; bad definitions are refused', async () => {
    assertError(await post(scjOfficer, `${D}/resources`, RESOURCE), 403, 'forbidden', 'dept');
    assertError(await post(gaOfficer, `${D}/resources`, { ...RESOURCE, subject_field: 'name' }), 422, 'invalid_field', 'subject_field');
    assertError(await post(gaOfficer, `${D}/resources`, { ...RESOURCE, share_type: 'sometimes' }), 422, 'invalid_field', 'share_type');
    assertError(await post(gaOfficer, `${D}/resources`, { ...RESOURCE, fields: [{ key: 'Bad Key', name: 'x' }] }), 422, 'invalid_field', 'fields[0]');
    assertError(await post(gaOfficer, `${D}/resources`, { ...RESOURCE, open: true }), 422, 'invalid_field', 'open');
    assertError(await post(gaOfficer, `${D}/resources`, { ...RESOURCE, dept: 'XH-NOPE' }), 403, 'forbidden', 'dept');
    const r = await post(gaOfficer, `${D}/resources`, RESOURCE);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.version, 1);
    assertError(await post(gaOfficer, `${D}/resources`, RESOURCE), 409, 'conflict', 'code');
    const edit = await srv.api('PUT', `${D}/resources/GA-LDRK`, { token: gaOfficer, body: { ...RESOURCE, description: '来沪人员居住登记' } });
    assert.equal(edit.status, 200, edit.text);
    assert.equal(edit.json.version, 2);
    assert.equal(edit.json.description, '来沪人员居住登记');
    assertError(await srv.api('PUT', `${D}/resources/GA-LDRK`, { token: scjOfficer, body: RESOURCE }), 403, 'forbidden');
  });

  test('ywtb import data: CSV streamed, bad rows reported by line, the rest kept; --all-or-nothing keeps nothing', async () => {
    const badId = CITIZEN.slice(0, 17) + (CITIZEN[17] === '3' ? '4' : '3');
    const csv = file('ldrk.csv', [
      'id_number,姓名,address,phone,since,household',
      `${CITIZEN},张小明,"徐汇区衡山路88弄3号, 702室",13812345678,2025-03-01,2`,
      `${P2},王二,徐汇区漕宝路1号,13900001111,2024-11-20,1`,
      `${badId},坏号码,徐汇区,13900001112,2024-11-20,1`,
      `${P3},李三,徐汇区,13900001113,2024-13-45,1`,
      `${P3},李三,徐汇区,13900001113,2024-12-01,many`,
      '',
    ].join('\n'));
    const errors = path.join(work, 'errors.csv');
    const r = importCli('GA-LDRK', csv, '--errors', errors);
    assert.equal(r.code, 3, r.stderr + r.stdout);
    assert.match(r.stdout, /imported 2 rows into GA-LDRK .* 3 refused/);
    const report = fs.readFileSync(errors, 'utf8').trim().split('\n');
    assert.equal(report[0], 'line,field,reason');
    assert.deepEqual(report.slice(1).map((l) => l.split(',').slice(0, 2).join(',')), ['4,id_number', '5,since', '6,household']);
    const q = (await get(gaOfficer, `${D}/resources/GA-LDRK`)).json.quality;
    assert.deepEqual([q.rows, q.subjects, q.rows_refused], [2, 2, 3]);

    // all or nothing: one bad row, nothing imported
    const nd = file('ldrk.ndjson', [
      JSON.stringify({ id_number: P3, name: '李三', since: '2024-12-01', household: 3 }),
      JSON.stringify({ id_number: P3, name: '李三', unknown: 'x' }),
    ].join('\n') + '\n');
    const all = importCli('GA-LDRK', nd, '--all-or-nothing');
    assert.equal(all.code, 1, all.stderr);
    assert.match(all.stderr, /nothing was imported/);
    assert.match(all.stderr, /^2,unknown,/m);
    assert.equal((await get(gaOfficer, `${D}/resources/GA-LDRK`)).json.quality.rows, 2);
    // the good file, NDJSON, upserts by subject
    const good = file('ok.ndjson', JSON.stringify({ id_number: P3, name: '李三', since: '2024-12-01', household: 3 }) + '\n' +
      JSON.stringify({ id_number: P2, name: '王二', address: '徐汇区漕宝路2号', since: '2024-11-20' }) + '\n');
    const ok = importCli('GA-LDRK', good, '--all-or-nothing');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await get(gaOfficer, `${D}/resources/GA-LDRK`)).json.quality.rows, 3);
    const none = importCli('NO-SUCH', good);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no such data resource/);
  });

  let grantId;
  test('another department requests the resource, is granted two of its fields; not-shared and unconditional ones', async () => {
    // no grant yet: refused, with nothing read, and the attempt audited
    const read = `${D}/resources/GA-LDRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001`;
    const audit = () => Number(/(\d+) records/.exec(cli(['verify', '--audit', '--db', srv.url], { cwd: srv.dir }).stdout)[1]);
    const ledger0 = (await get(citizen, `${D}/me/ledger`)).json.items.length;
    const audit0 = audit();
    const refused = await get(reviewer, read);
    assertError(refused, 403, 'forbidden', 'resource');
    assert.ok(refused.json.error.request_id);
    assert.equal(audit(), audit0 + 1, 'the refusal has its audit record');
    assert.equal((await get(citizen, `${D}/me/ledger`)).json.items.length, ledger0, 'and no ledger entry');
    const bad = { resource: 'GA-LDRK', fields: ['name', 'salary'], purpose: '企业设立登记核验', legal_basis: '《市场主体登记管理条例》', until: '2027-12-31' };
    assertError(await post(reviewer, `${D}/grants`, bad), 422, 'invalid_field', 'fields');
    assertError(await post(reviewer, `${D}/grants`, { ...bad, resource: 'NOPE' }), 422, 'invalid_field', 'resource');
    assertError(await post(reviewer, `${D}/grants`, { ...bad, fields: ['name'], until: '2020-01-01' }), 422, 'invalid_field', 'until');
    assertError(await post(reviewer, `${D}/grants`, { ...bad, resource: 'GA-WFJL', fields: ['name'] }), 403, 'forbidden', 'resource');
    assertError(await post(reviewer, `${D}/grants`, { ...bad, resource: 'SC-QYDJ', fields: ['company_name'] }), 409, 'invalid_state', 'resource');
    const req = await post(reviewer, `${D}/grants`, { ...bad, fields: ['name', 'address', 'phone'] });
    assert.equal(req.status, 201, req.text);
    assert.equal(req.json.status, 'pending');
    assert.equal(req.json.dept, 'XH-SCJ');
    grantId = req.json.id;
    // the requesting department cannot approve its own request; another department's officer does not see it
    assertError(await post(scjOfficer, `${D}/grants/${grantId}/approve`, {}), 403, 'forbidden');
    assertError(await post(reviewer, `${D}/grants/${grantId}/approve`, {}), 403, 'forbidden');
    const wjw = (await addStaff(srv, admin, 'wjw.data', '卫健数据员', 'XH-WJW', ['data_officer'])).token;
    assertError(await post(wjw, `${D}/grants/${grantId}/approve`, {}), 404, 'not_found');
    assertError(await post(gaOfficer, `${D}/grants/${grantId}/approve`, { fields: ['since'] }), 422, 'invalid_field', 'fields');
    const ok = await post(gaOfficer, `${D}/grants/${grantId}/approve`, { fields: ['name', 'phone'] });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json.fields, ['name', 'phone']);
    assert.deepEqual(ok.json.masked, ['phone'], 'phone stays masked as the resource says');
    assertError(await post(gaOfficer, `${D}/grants/${grantId}/approve`, {}), 409, 'invalid_state');
    const mine = await get(reviewer, `${D}/grants`);
    assert.ok(mine.json.items.some((g) => g.id === grantId && g.status === 'approved'));
    const theirs = await get(gaOfficer, `${D}/grants?status=approved`);
    assert.ok(theirs.json.items.some((g) => g.id === grantId));
  });

  let ledgerId;
  test('a read needs a purpose, shows only the granted fields (masked where granted so), and is in the citizen\'s ledger', async () => {
    const base = `${D}/resources/GA-LDRK/subjects/${CITIZEN}`;
    assertError(await get(reviewer, base), 422, 'missing_field', 'purpose');
    assertError(await get(reviewer, `${base}?purpose=case`), 422, 'missing_field', 'case_no');
    assertError(await get(reviewer, `${base}?purpose=curiosity&purpose_text=x`), 422, 'invalid_field', 'purpose');
    assertError(await get(reviewer, `${base}?purpose=service`), 422, 'missing_field', 'purpose_text');
    assertError(await get(reviewer, `${D}/resources/GA-LDRK/subjects/310104199003072014?purpose=case&case_no=XH20261207000001`), 422, 'invalid_id_checksum');
    assertError(await get(reviewer, `${D}/resources/NOPE/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001`), 404, 'not_found');
    const before = (await get(citizen, `${D}/me/ledger`)).json.items.length;
    const r = await get(reviewer, `${base}?purpose=case&case_no=XH20261207000001`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.fields, ['name', 'phone']);
    assert.equal(r.json.records.length, 1);
    assert.deepEqual(Object.keys(r.json.records[0].data).sort(), ['name', 'phone']);
    assert.equal(r.json.records[0].data.name, '张小明');
    assert.equal(r.json.records[0].data.phone, '138****5678');
    assert.ok(!JSON.stringify(r.json).includes('衡山路'), 'the address was not granted');
    // the ledger has it, and nothing more than it
    const ledger = (await get(citizen, `${D}/me/ledger`)).json.items;
    assert.equal(ledger.length, before + 1);
    const e = ledger[0];
    assert.equal(e.id, r.json.ledger_id);
    assert.deepEqual([e.resource, e.reader_dept, e.purpose, e.case_no, e.owner_dept], ['GA-LDRK', 'XH-SCJ', 'case', 'XH20261207000001', 'XH-GAFJ']);
    assert.deepEqual(e.fields, ['name', 'phone']);
    assert.equal(e.reader_name, '李审核');
    ledgerId = e.id;
    // refused reads write no entry
    assert.equal((await get(citizen, `${D}/me/ledger`)).json.items.length, before + 1);
    // another citizen's ledger does not show it
    const other = (await get(person2.token, `${D}/me/ledger`)).json.items;
    assert.ok(!other.some((x) => x.id === ledgerId));
  });

  test('the owner reads everything; unconditional resources need no grant; not-shared ones only their owner', async () => {
    const own = await get(gaOfficer, `${D}/resources/GA-LDRK/subjects/${CITIZEN}?purpose=service&purpose_text=${encodeURIComponent('居住登记核查')}`);
    assert.equal(own.status, 200, own.text);
    assert.match(own.json.records[0].data.address, /衡山路/);
    const qy = await get(swj, `${D}/resources/SC-QYDJ/subjects/${COMPANY}?purpose=inspection&purpose_text=${encodeURIComponent('纳税评估')}`);
    assert.equal(qy.status, 200, qy.text);
    assert.equal(qy.json.records[0].data.legal_rep, '张小明');
    assertError(await get(swj, `${D}/resources/GA-WFJL/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000002`), 403, 'forbidden', 'resource');
    // a company's ledger has the tax office's read
    const cl = (await get(company, `${D}/me/ledger`)).json.items;
    assert.ok(cl.some((x) => x.resource === 'SC-QYDJ' && x.reader_dept === 'XH-SWJ' && x.purpose === 'inspection'));
  });

  test('a staff member opens a person\'s whole file with a purpose: what the department may read, each read ledgered', async () => {
    assertError(await get(reviewer, `${D}/subjects/${CITIZEN}`), 422, 'missing_field', 'purpose');
    assertError(await get(reviewer, `${D}/subjects/123?purpose=case&case_no=XH20261207000003`), 422, 'invalid_field', 'subject');
    const before = (await get(citizen, `${D}/me/ledger`)).json.items.length;
    const r = await get(reviewer, `${D}/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000003`);
    assert.equal(r.status, 200, r.text);
    const codes = r.json.resources.map((x) => x.resource);
    // granted (GA-HJRK by the demo grant, GA-LDRK above) and unconditional (YB-CBXX, RS-ZGZS); not 公积金 (no grant)
    for (const c of ['GA-HJRK', 'GA-LDRK', 'YB-CBXX', 'RS-ZGZS']) assert.ok(codes.includes(c), c);
    assert.ok(!codes.includes('GJ-JCXX'));
    assert.ok(r.json.withheld >= 1);
    const hj = r.json.resources.find((x) => x.resource === 'GA-HJRK');
    assert.deepEqual(Object.keys(hj.records[0].data).sort(), ['hukou_address', 'name']);
    const after = (await get(citizen, `${D}/me/ledger`)).json.items;
    assert.equal(after.length, before + r.json.resources.length);
    assert.ok(after.slice(0, r.json.resources.length).every((e) => e.case_no === 'XH20261207000003' && e.reader_dept === 'XH-SCJ'));
  });

  test('a sealed read (an investigation) shows in the ledger only after its seal date', async () => {
    const before = (await get(citizen, `${D}/me/ledger`)).json.items.length;
    const q = `purpose=investigation&purpose_text=${encodeURIComponent('涉嫌虚假登记调查')}`;
    assertError(await get(reviewer, `${D}/resources/GA-LDRK/subjects/${CITIZEN}?${q}&sealed_until=2027-03-01`), 422, 'missing_field', 'seal_basis');
    assertError(await get(reviewer, `${D}/resources/GA-LDRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001&sealed_until=2027-03-01&seal_basis=x`), 422, 'invalid_field', 'sealed_until');
    const r = await get(reviewer, `${D}/resources/GA-LDRK/subjects/${CITIZEN}?${q}&sealed_until=2027-03-01&seal_basis=${encodeURIComponent('《市场监督管理行政处罚程序规定》第二十条')}`);
    assert.equal(r.status, 200, r.text);
    const after = (await get(citizen, `${D}/me/ledger`)).json.items;
    assert.equal(after.length, before, 'the sealed entry is not shown yet');
    assert.ok(!after.some((x) => x.id === r.json.ledger_id));
    // nor can it be disputed before then
    assertError(await post(citizen, `${D}/me/ledger/${r.json.ledger_id}/dispute`, { reason: '我不认可' }), 404, 'not_found');
  });

  test('the citizen disputes an entry; the reading department and the supervisors see and answer it', async () => {
    assertError(await post(citizen, `${D}/me/ledger/${ledgerId}/dispute`, { reason: 'x' }), 422, 'invalid_field', 'reason');
    assertError(await post(person2.token, `${D}/me/ledger/${ledgerId}/dispute`, { reason: '不是我的记录' }), 404, 'not_found');
    const d = await post(citizen, `${D}/me/ledger/${ledgerId}/dispute`, { reason: '我没有在市场监管局办理过业务' });
    assert.equal(d.status, 201, d.text);
    assertError(await post(citizen, `${D}/me/ledger/${ledgerId}/dispute`, { reason: '再次提出异议' }), 409, 'invalid_state');
    const sup = await get(supervisor, `${D}/disputes`);
    assert.ok(sup.json.items.some((x) => x.id === d.json.id && x.reader_dept === 'XH-SCJ'));
    const scj = await get(scjOfficer, `${D}/disputes`);
    assert.ok(scj.json.items.some((x) => x.id === d.json.id));
    const ga = await get(gaOfficer, `${D}/disputes`);
    assert.ok(!ga.json.items.some((x) => x.id === d.json.id), 'another department does not see it');
    assertError(await post(gaOfficer, `${D}/disputes/${d.json.id}/answer`, { answer: '与我无关' }), 404, 'not_found');
    const a = await post(scjOfficer, `${D}/disputes/${d.json.id}/answer`, { answer: '该查询用于您的企业设立登记申请 XH20261207000001' });
    assert.equal(a.status, 200, a.text);
    const e = (await get(citizen, `${D}/me/ledger`)).json.items.find((x) => x.id === ledgerId);
    assert.equal(e.dispute.status, 'answered');
    assert.match(e.dispute.answer, /企业设立登记/);
  });

  test('data correction: the subject reports a wrong value, the owning department corrects it within its deadline', async () => {
    assertError(await post(citizen, `${D}/me/corrections`, { resource: 'GA-HJRK', field: 'salary', proposed: 'x', reason: '不对' }), 422, 'invalid_field', 'field');
    assertError(await post(person2.token, `${D}/me/corrections`, { resource: 'GA-HJRK', field: 'hukou_address', proposed: 'x', reason: '不对' }), 422, 'invalid_field', 'resource');
    const c = await post(citizen, `${D}/me/corrections`, { resource: 'GA-HJRK', field: 'hukou_address', proposed: '上海市徐汇区天平路街道衡山路88弄5号', reason: '门牌号登记错误' });
    assert.equal(c.status, 201, c.text);
    assert.match(c.json.due, /^\d{4}-\d{2}-\d{2}$/);
    const mine = (await get(citizen, `${D}/me/corrections`)).json.items;
    assert.equal(mine[0].current, '上海市徐汇区天平路街道衡山路88弄3号');
    assert.equal(mine[0].status, 'open');
    assertError(await post(scjOfficer, `${D}/corrections/${c.json.id}/answer`, { decision: 'corrected', answer: '已更正' }), 404, 'not_found');
    assertError(await post(gaOfficer, `${D}/corrections/${c.json.id}/answer`, { decision: 'maybe', answer: '已更正' }), 422, 'invalid_field', 'decision');
    const tasks = (await get(gaOfficer, `${D}/corrections`)).json.items;
    assert.ok(tasks.some((x) => x.id === c.json.id));
    const a = await post(gaOfficer, `${D}/corrections/${c.json.id}/answer`, { decision: 'corrected', answer: '经核实已更正门牌号' });
    assert.equal(a.status, 200, a.text);
    const fileRes = (await get(citizen, `${D}/me/file`)).json.resources.find((x) => x.resource === 'GA-HJRK');
    assert.equal(fileRes.records[0].data.hukou_address, '上海市徐汇区天平路街道衡山路88弄5号');
    assertError(await post(gaOfficer, `${D}/corrections/${c.json.id}/answer`, { decision: 'rejected', answer: '再答一次' }), 409, 'invalid_state');
  });

  test('my file: what every self-viewable resource holds about me, and only me', async () => {
    const f = await get(citizen, `${D}/me/file`);
    assert.equal(f.status, 200, f.text);
    const codes = f.json.resources.map((r) => r.resource);
    for (const c of ['GA-HJRK', 'GJ-JCXX', 'GA-LDRK']) assert.ok(codes.includes(c), c);
    const co = await get(company, `${D}/me/file`);
    assert.ok(co.json.resources.some((r) => r.resource === 'SC-QYDJ'));
    assert.ok(!co.json.resources.some((r) => r.resource === 'GA-HJRK'));
    assertError(await get(reviewer, `${D}/me/file`), 403, 'forbidden');
  });

  test('a push over the API: rows checked, an Idempotency-Key replays the result, all_or_nothing writes nothing', async () => {
    const rows = [
      { id_number: P2, name: '王二', address: '徐汇区漕宝路3号', since: '2025-01-02' },
      { id_number: '123', name: '坏' },
    ];
    const url = `${D}/resources/GA-LDRK/records`;
    assertError(await post(reviewer, url, { records: rows }), 403, 'forbidden');
    const aon = await post(gaOfficer, url, { records: rows, all_or_nothing: true });
    assertError(aon, 422, 'invalid_field', 'records');
    assert.equal(aon.json.errors[0].row, 1);
    const key = { 'Idempotency-Key': 'push-0001' };
    const r = await post(gaOfficer, url, { records: rows }, key);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.rows, r.json.refused, r.json.errors[0].field], [1, 1, 'id_number']);
    const again = await post(gaOfficer, url, { records: rows }, key);
    assert.equal(again.status, 200);
    assert.equal(again.json.batch, r.json.batch);
    assert.equal(again.json.replayed, true);
    assertError(await post(gaOfficer, url, { records: rows.slice(0, 1) }, key), 422, 'idempotency_key_reused', 'Idempotency-Key');
    assertError(await post(gaOfficer, url, { records: [] }), 422, 'missing_field', 'records');
    assertError(await post(gaOfficer, url, { records: rows }, { 'Idempotency-Key': 'bad key' }), 422, 'invalid_field', 'Idempotency-Key');
    const own = await get(gaOfficer, `${D}/resources/GA-LDRK/subjects/${P2}?purpose=service&purpose_text=${encodeURIComponent('核对')}`);
    assert.equal(own.json.records[0].data.address, '徐汇区漕宝路3号');
  });

  test('department systems with a client_credentials token: push their own records, read with a purpose, ledgered as the system', async () => {
    const ga = await registerClient(srv, { name: '公安人口管理系统', dept: 'XH-GAFJ', scopes: ['datahub.push'] }, { adminToken: admin });
    const gaSys = await clientToken(srv, ga.client_id, ga.client_secret);
    const push = await post(gaSys, `${D}/resources/GA-LDRK/records`, { records: [{ id_number: P3, name: '李三', address: '徐汇区田林路1号' }] }, { 'Idempotency-Key': 'sys-0001' });
    assert.equal(push.status, 200, push.text);
    assert.equal(push.json.rows, 1);
    // another department's resource: refused, nothing written
    assertError(await post(gaSys, `${D}/resources/SC-QYDJ/records`, { records: [{ uscc: COMPANY, company_name: 'x' }] }), 403, 'forbidden');
    // a system publishes nothing (not a data officer)
    assertError(await post(gaSys, `${D}/resources`, RESOURCE), 403, 'forbidden');
    // the market regulator's system reads through its department's grant (the demo's: GA-HJRK name and address)
    const scj = await registerClient(srv, { name: '市场监管登记系统', dept: 'XH-SCJ', scopes: ['datahub.read'] }, { adminToken: admin });
    const scjSys = await clientToken(srv, scj.client_id, scj.client_secret);
    assertError(await get(scjSys, `${D}/resources/GA-HJRK/subjects/${CITIZEN}`), 422, 'missing_field', 'purpose');
    const r = await get(scjSys, `${D}/resources/GA-HJRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000009`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.fields.sort(), ['hukou_address', 'name']);
    const e = (await get(citizen, `${D}/me/ledger`)).json.items.find((x) => x.id === r.json.ledger_id);
    assert.deepEqual([e.reader_kind, e.reader_dept, e.reader, e.case_no], ['system', 'XH-SCJ', scj.client_id, 'XH20261207000009']);
    // a system of a department without a grant is refused
    const wjw = await registerClient(srv, { name: '卫健信息系统', dept: 'XH-WJW', scopes: ['datahub.read'] }, { adminToken: admin });
    const wjwSys = await clientToken(srv, wjw.client_id, wjw.client_secret);
    assertError(await get(wjwSys, `${D}/resources/GA-HJRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000010`), 403, 'forbidden', 'resource');
  });

  test('prefill: an item\'s hub-sourced fields come from the hub, ledgered with the item as purpose', async () => {
    const r = await get(company, `${D}/prefill?item=GHZYJ-01-0001`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.values['FG-XMBA.project'], '徐汇示范科技研发楼改扩建项目');
    assert.equal(r.json.values['FG-XMBA.scale'], 12800);
    assert.deepEqual(r.json.locked.sort(), ['location', 'project', 'scale']);
    const l = (await get(company, `${D}/me/ledger`)).json.items.filter((x) => x.purpose === 'prefill' && x.resource === 'FG-XMBA');
    assert.equal(l.length, 3);
    assert.match(l[0].purpose_text, /GHZYJ-01-0001/);
    const item = await get(company, '/api/v1/items/GHZYJ-01-0001');
    assert.equal(item.json.form.find((f) => f.key === 'project').prefill, 'FG-XMBA.project');
    assertError(await get(company, `${D}/prefill?item=NOPE-01`), 404, 'not_found');
    assertError(await get(company, `${D}/prefill`), 422, 'missing_field', 'item');
    // a citizen without a project gets nothing locked
    const none = await get(citizen, `${D}/prefill?item=GHZYJ-01-0001`);
    assert.deepEqual(none.json.locked, []);
  });

  test('open data: the public page lists open resources with their fields and a CSV of their records', async () => {
    const list = await srv.api('GET', '/api/v1/public/open-data');
    assert.equal(list.status, 200, list.text);
    const codes = list.json.items.map((r) => r.code);
    assert.ok(codes.includes('ZW-FWWD'));
    assert.ok(!codes.includes('GA-HJRK'));
    const csv = await srv.api('GET', '/api/v1/public/open-data/ZW-FWWD/data.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'site_code,site_name,address,phone,hours');
    assert.ok(lines.some((l) => l.includes('徐汇区行政服务中心')));
    assert.ok(lines.some((l) => l.includes('"周一至周五 9:00-17:00，周六 9:00-12:00"') || l.includes('周六')));
    assertError(await srv.api('GET', '/api/v1/public/open-data/GA-HJRK/data.csv'), 404, 'not_found');
    // a long Chinese query is cut at a character, never inside one (PostgreSQL refused half a character: a 500)
    const long = await srv.api('GET', `/api/v1/public/open-data?q=${encodeURIComponent('〇一二三'.repeat(30))}`);
    assert.equal(long.status, 200, long.text);
    assert.deepEqual(long.json.items, []);
  });
});
