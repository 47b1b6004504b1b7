// datahub_scopes.test.js - what a department system's token lets it do in
// the hub, and for which service a submission's prefill read was.
//
// A department system reads only what its department's grants allow AND
// what its token's scopes name (datahub.read, datahub.read:<code>,
// datahub.read:<code>.<field>; datahub.push, datahub.push:<code>): a read
// outside them is 403 JSON, leaves its audit record (datahub.read.refused)
// and nothing in the person's ledger.  A submission's prefill reads land in
// the applicant's ledger with the item code and the case number.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './harness.js';
import { assertError, uploadPdf } from './case_fixtures.js';
import { registerClient, clientToken } from './clients.js';

const CITIZEN = '310104199003072013';
const COMPANY = '91310104MA1FL8XQ10';
const D = '/api/v1/datahub';
const READ = `${D}/resources/GA-HJRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000021`;

describe('datahub: department systems are bound by their token\'s scopes; prefill reads name their item', () => {
  let srv, admin, citizen, company;
  const get = (token, p) => srv.api('GET', p, { token });
  const system = async (dept, scopes, opts = {}) => {
    const c = await registerClient(srv, { name: `${dept} 系统 ${scopes.join(' ') || '无范围'}`, dept, scopes }, { adminToken: admin });
    return clientToken(srv, c.client_id, c.client_secret, opts);
  };
  const ledger = async () => (await get(citizen, `${D}/me/ledger?limit=500`)).json.items;
  const audit = () => Number(/(\d+) records/.exec(cli(['verify', '--audit', '--db', srv.url], { cwd: srv.dir }).stdout)[1]);

  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    citizen = await srv.login(CITIZEN);
    company = await srv.login(COMPANY);
  });
  after(() => srv?.close());

  test('a token without a datahub scope is refused: 403 JSON naming the scope, audited, nothing in the ledger', async () => {
    const none = await system('XH-SCJ', []);
    const before0 = (await ledger()).length;
    const audit0 = audit();
    const r = await get(none, READ);
    assertError(r, 403, 'forbidden', 'scope');
    assert.match(r.json.error.message, /datahub\.read/);
    assert.match(r.json.error.message, /令牌/);
    assert.equal(audit(), audit0 + 1, 'the refusal has its audit record');
    // the whole file too
    assertError(await get(none, `${D}/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000021`), 403, 'forbidden', 'scope');
    assert.equal(audit(), audit0 + 2);
    assert.equal((await ledger()).length, before0, 'no ledger entry for a refused read');
    // a scope for another resource does not open this one
    const other = await system('XH-SCJ', ['datahub.read:sc-qydj']);
    assertError(await get(other, READ), 403, 'forbidden', 'scope');
    // nor does a push scope
    const pusher = await system('XH-SCJ', ['datahub.push']);
    assertError(await get(pusher, READ), 403, 'forbidden', 'scope');
    assert.equal((await ledger()).length, before0);
  });

  test('the scopes narrow the grant: a resource scope reads the granted fields, a field scope only that field', async () => {
    // the demo grant: XH-SCJ may read GA-HJRK's name and hukou_address
    const whole = await system('XH-SCJ', ['datahub.read']);
    const all = await get(whole, READ);
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.json.fields.sort(), ['hukou_address', 'name']);

    const res = await system('XH-SCJ', ['datahub.read:ga-hjrk']);
    const r1 = await get(res, READ);
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual(r1.json.fields.sort(), ['hukou_address', 'name']);

    const field = await system('XH-SCJ', ['datahub.read:ga-hjrk.name']);
    const r2 = await get(field, READ);
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual(r2.json.fields, ['name']);
    for (const rec of r2.json.records) assert.deepEqual(Object.keys(rec.data), ['name']);
    const e = (await ledger()).find((x) => x.id === r2.json.ledger_id);
    assert.deepEqual(e.fields, ['name'], 'the ledger says which data items were read');
    assert.equal(e.reader_kind, 'system');

    // a field scope outside the grant adds nothing: the grant still bounds the read
    const beyond = await system('XH-SCJ', ['datahub.read:ga-hjrk.birth_date']);
    assertError(await get(beyond, READ), 403, 'forbidden', 'scope');

    // the token's scopes count, not the client's: a client allowed everything asks for one field
    const c = await registerClient(srv, { name: '市场监管 窄令牌', dept: 'XH-SCJ', scopes: ['datahub.read', 'datahub.read:ga-hjrk.name'] }, { adminToken: admin });
    const narrow = await clientToken(srv, c.client_id, c.client_secret, { scope: 'datahub.read:ga-hjrk.name' });
    const r3 = await get(narrow, READ);
    assert.equal(r3.status, 200, r3.text);
    assert.deepEqual(r3.json.fields, ['name']);

    // scopes never widen a grant: a department without one is refused for want of it
    const wjw = await system('XH-WJW', ['datahub.read']);
    assertError(await get(wjw, READ), 403, 'forbidden', 'resource');
  });

  test('the whole file: only the resources (and fields) the scopes name', async () => {
    const field = await system('XH-SCJ', ['datahub.read:ga-hjrk.name']);
    const f = await get(field, `${D}/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000022`);
    assert.equal(f.status, 200, f.text);
    assert.deepEqual(f.json.resources.map((x) => [x.resource, x.fields]), [['GA-HJRK', ['name']]]);
    const whole = await system('XH-SCJ', ['datahub.read']);
    const w = await get(whole, `${D}/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000022`);
    assert.equal(w.status, 200, w.text);
    assert.ok(w.json.resources.length >= f.json.resources.length);
    assert.ok(f.json.withheld >= w.json.withheld);
  });

  test('pushing records takes datahub.push (or datahub.push:<code>) besides owning the resource', async () => {
    const row = { records: [{ uscc: COMPANY, company_name: '上海徐汇示范科技有限公司' }] };
    const q0 = (await get(admin, `${D}/resources/SC-QYDJ`)).json.quality;
    const none = await system('XH-SCJ', ['datahub.read']);
    assertError(await srv.api('POST', `${D}/resources/SC-QYDJ/records`, { token: none, body: row }), 403, 'forbidden', 'scope');
    const other = await system('XH-SCJ', ['datahub.push:ga-hjrk']);
    assertError(await srv.api('POST', `${D}/resources/SC-QYDJ/records`, { token: other, body: row }), 403, 'forbidden', 'scope');
    const q1 = (await get(admin, `${D}/resources/SC-QYDJ`)).json.quality;
    assert.equal(q1.last_import, q0.last_import, 'nothing was written');
    const push = await system('XH-SCJ', ['datahub.push:sc-qydj']);
    const r = await srv.api('POST', `${D}/resources/SC-QYDJ/records`, { token: push, body: row });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rows, 1);
  });

  test('a submission\'s prefill reads are in the ledger with the item code and the case number', async () => {
    const CODE = 'GHZYJ-01-0001';
    const item = (await get(company, `/api/v1/items/${CODE}`)).json;
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required'))
      materials.push({ material_code: m.code, file_id: await uploadPdf(srv, company, m.code) });
    const mine = async () => (await get(company, `${D}/me/ledger?limit=500`)).json.items;
    const before0 = new Set((await mine()).map((e) => e.id));
    const r = await srv.api('POST', '/api/v1/cases', { token: company, body: { item_code: CODE, form: {}, materials } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.form.project, '徐汇示范科技研发楼改扩建项目');
    const fresh = (await mine()).filter((e) => !before0.has(e.id) && e.purpose === 'prefill');
    assert.deepEqual(fresh.map((e) => e.fields[0]).sort(), ['location', 'project', 'scale']);
    for (const e of fresh) {
      assert.equal(e.item, CODE);
      assert.equal(e.case_no, r.json.case_no);
      assert.match(e.purpose_text, new RegExp(CODE));
      assert.equal(e.resource, 'FG-XMBA');
    }
    // opening the form (GET prefill) names the item too, with no case yet
    const opened = await get(company, `${D}/prefill?item=${CODE}`);
    assert.equal(opened.status, 200, opened.text);
    const seen = (await mine()).filter((e) => e.purpose === 'prefill' && e.case_no === '' && e.item === CODE);
    assert.ok(seen.length >= 3, 'the form\'s reads name the item');
  });
});
