// cases_precheck.test.js - POST /api/v1/cases/precheck (issue 15): before
// applying, the portal and the window ask the server what the submission
// would fill in - the prefilled values and which materials the applicant's own
// valid e-licenses satisfy - through the same providers the submission asks,
// so the page never promises an e-license the server then does not find.
// And a bundle does not ask for the 营业执照 its own first step issues: the
// later steps take it when they start.
//
// On the real catalog (data/catalog) with the demo accounts; the tests of the
// describe() build on each other, in order.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const CITIZEN = '310104199003072013';

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

const BOUNDARY = '----ywtbPrecheckBoundary';
let seq = 0;
async function uploadPdf(srv, token, label) {
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${++seq}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    makePdf(`${label} ${seq} ${Math.random()}`),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const r = await srv.api('POST', '/api/v1/files', { raw: body, token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
  assert.equal(r.status, 201, r.text);
  return r.json.file_id;
}

describe('cases: precheck before applying', () => {
  let srv, company, citizen, clerk, reviewer, revGafj, chief, citizenId, citizenCase, bundleCase;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const mat = (pc, code) => {
    const m = pc.materials.find((x) => x.material_code === code);
    assert.ok(m, `precheck lists ${code}`);
    return m;
  };

  before(async () => {
    srv = await startServer();
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    revGafj = await srv.login('rev.gafj');
    chief = await srv.login('chief');
    const r = await get(clerk, `/api/v1/accounts?q=${CITIZEN}`);
    assert.equal(r.status, 200, r.text);
    citizenId = r.json.items[0].id;
  });
  after(() => srv?.close());

  test('a citizen without an e-license: the ID card material is "none", and the submission agrees', async () => {
    const r = await post(citizen, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.applicant.name, '张小明');
    assert.equal(r.json.rules.ok, true, r.text);
    assert.equal(r.json.form.name, '张小明');
    assert.equal(r.json.form.id_number, CITIZEN);
    const m = mat(r.json, 'GAFJ-20-0001-M01');
    assert.equal(m.status, 'none');
    assert.equal(m.license_type, 'LT-029');
    assert.equal(m.name, '申请人居民身份证');
    const k = await post(citizen, '/api/v1/cases', { item_code: 'GAFJ-20-0001', form: {} });
    assertError(k, 422, 'missing_field', 'materials.GAFJ-20-0001-M01');
  });

  test('the clerk at the window asks for the applicant by applicant_id and gets the same answer', async () => {
    const r = await post(clerk, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', applicant_id: citizenId });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.applicant.id, citizenId);
    assert.equal(mat(r.json, 'GAFJ-20-0001-M01').status, 'none');
    assert.equal(r.json.form.id_number, CITIZEN);
  });

  test('once the citizen holds a valid 居民身份证: "license" with its identifier, and the submission needs no upload', async () => {
    const issued = await post(revGafj, '/api/v1/licenses', {
      type: 'LT-029', holder_ident: CITIZEN, holder_name: '张小明',
      fields: { name: '张小明', sex: '男', birth_date: '1990-03-07', id_number: CITIZEN, address: '上海市徐汇区漕溪北路336号' },
      valid_from: '2020-01-01',
    });
    assert.equal(issued.status, 201, issued.text);
    const r = await post(citizen, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001' });
    const m = mat(r.json, 'GAFJ-20-0001-M01');
    assert.equal(m.status, 'license');
    assert.equal(m.license_id, issued.json.id);
    assert.equal(m.license_name, '居民身份证');
    assert.equal(mat(r.json, 'GAFJ-20-0001-M02').status, 'none', 'no 居住证: the conditional material stays to hand in');
    const k = await post(citizen, '/api/v1/cases', { item_code: 'GAFJ-20-0001', form: {} });
    assert.equal(k.status, 201, k.text);
    citizenCase = k.json.case_no;
    assert.equal(k.json.materials.find((x) => x.material_code === 'GAFJ-20-0001-M01').source, 'license');
    // the clerk sees the same for this applicant
    const w = await post(clerk, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', applicant_id: citizenId });
    assert.equal(mat(w.json, 'GAFJ-20-0001-M01').license_id, issued.json.id);
  });

  test('a company: person fields are its legal representative, never the company name or credit code', async () => {
    const r = await post(company, '/api/v1/cases/precheck', { item_code: 'SCJ-01-0001' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.applicant.kind, 'enterprise');
    assert.notEqual(r.json.form.applicant_name, COMPANY_NAME);
    assert.notEqual(r.json.form.applicant_id, COMPANY);
    assert.match(r.json.form.applicant_id || '', /^\d{17}[\dX]$/, 'an ID number, not a credit code');
    assert.equal(r.json.rules.ok, true, r.text);
  });

  test('企业开办: the 营业执照 of the later steps is "produced" by step 1, never asked; the bundle is submitted without it', async () => {
    let r = await post(company, '/api/v1/cases/precheck', { bundle_code: 'BND-QYKB' });
    assert.equal(r.status, 200, r.text);
    const lic = r.json.materials.filter((m) => m.license_type === 'LT-001' && m.step > 1);
    assert.ok(lic.length >= 5, `the step-2 items ask for the 营业执照: ${lic.length}`);
    for (const m of lic) {
      assert.equal(m.status, 'produced', `${m.material_code}`);
      assert.equal(m.produced_by, 'SCJ-01-0001');
      assert.equal(m.produced_step, 1);
    }
    assert.equal(mat(r.json, 'SCJ-01-0001-M05').status, 'none', 'the shareholder\'s license in step 1 is not produced by the bundle');
    // the tables the one form fills in (一表生成) are not asked for either
    const bundleDoc = (await get(company, '/api/v1/bundles/BND-QYKB')).json;
    assert.ok(Array.isArray(bundleDoc.one_form) && bundleDoc.one_form.length > 0, 'the bundle names what its one form makes');
    for (const m of r.json.materials.filter((x) => bundleDoc.one_form.includes(x.name))) assert.equal(m.status, 'form', m.material_code);
    const kinds = new Set(r.json.materials.filter((m) => m.required === 'required' && m.status === 'none').map((m) => m.license_type || m.name));
    assert.ok(kinds.size <= 7, `at most seven kinds of required material to hand in: ${[...kinds].join(', ')}`);
    // hand in every other required material, once per kind (one file for all items that ask for it)
    const files = new Map();
    const materials = [];
    for (const m of r.json.materials) {
      if (m.required !== 'required' || m.status !== 'none') continue;
      const key = m.license_type || m.name;
      if (!files.has(key)) files.set(key, await uploadPdf(srv, company, key));
      materials.push({ material_code: m.material_code, file_id: files.get(key) });
    }
    const item = (await get(company, '/api/v1/items/SCJ-01-0001')).json;
    const form = {};
    const values = { proposed_name: '上海徐汇开办科技有限公司', company_type: '有限责任公司', registered_capital: 100, address: '上海市徐汇区虹桥路1号', business_scope: '软件开发', legal_rep_name: '张小明', legal_rep_id: CITIZEN };
    for (const f of item.form) if (!f.prefill && values[f.key] !== undefined) form[f.key] = values[f.key];
    const b = (await get(company, '/api/v1/bundles/BND-QYKB')).json;
    for (const s of b.steps) {
      for (const x of s.items) {
        const it = (await get(company, `/api/v1/items/${x.code}`)).json;
        for (const f of it.form) {
          if (f.prefill || form[f.key] !== undefined || !f.required) continue;
          form[f.key] = f.type === 'choice' ? f.options[0] : f.type === 'number' ? 2 : f.type === 'date' ? '2026-12-01' : f.type === 'phone' ? '13912345678' : f.type === 'id_number' ? CITIZEN : `测试${f.key}`;
        }
      }
    }
    r = await post(company, '/api/v1/cases', { bundle_code: 'BND-QYKB', form, materials });
    assert.equal(r.status, 201, r.text);
    const parent = r.json;
    bundleCase = parent.case_no;
    r = await post(clerk, `/api/v1/cases/${parent.case_no}/accept`, { note: '一窗受理' });
    assert.equal(r.status, 200, r.text);
    const subs = r.json.sub_cases;
    const step1 = subs.find((s) => s.code === 'SCJ-01-0001');
    const later = subs.filter((s) => s.code !== 'SCJ-01-0001');
    // before step 1 is approved: the 营业执照 of a later step is still to come
    let k = (await get(chief, `/api/v1/cases/${later[0].case_no}`)).json;
    const pending = k.materials.find((m) => m.license_type === 'LT-001');
    assert.equal(pending.source, 'step');
    assert.equal(pending.produced_by, 'SCJ-01-0001');
    assert.equal(pending.status, 'satisfied');
    assert.equal(k.missing_materials, 0);
    const s1 = (await get(chief, `/api/v1/cases/${step1.case_no}`)).json;
    assert.equal(s1.materials.find((m) => m.name === '企业登记（备案）申请书').source, 'form');
    // approve step 1: the license is issued and the later steps start with it
    k = (await get(chief, `/api/v1/cases/${step1.case_no}`)).json;
    const task = k.tasks.find((t) => t.status === 'pending');
    r = await post(reviewer, `/api/v1/tasks/${task.id}/decide`, { decision: 'approve', opinion: '准予设立登记' });
    assert.equal(r.status, 200, r.text);
    const wallet = (await get(company, '/api/v1/licenses')).json.items.filter((l) => l.type === 'LT-001' || l.type_code === 'LT-001');
    assert.ok(wallet.length >= 1, 'the 营业执照 is in the wallet');
    for (const s of later) {
      k = (await get(chief, `/api/v1/cases/${s.case_no}`)).json;
      const m = k.materials.find((x) => x.license_type === 'LT-001');
      assert.equal(m.source, 'license', `${s.code} takes the issued 营业执照`);
      assert.ok(k.tasks.some((t) => t.status === 'pending'), `${s.code} has started`);
    }
  });

  test('a negative amount is refused (a registered capital of -5), naming the field', async () => {
    const form = { proposed_name: '上海徐汇负数科技有限公司', company_type: '有限责任公司', registered_capital: -5, address: '上海市徐汇区虹桥路1号', business_scope: '软件开发', legal_rep_name: '张小明', legal_rep_id: CITIZEN };
    const r = await post(company, '/api/v1/cases', { item_code: 'SCJ-01-0001', form, draft: true });
    assertError(r, 422, 'invalid_field', 'form.registered_capital');
    assert.match(r.json.error.message, /zero or more/);
    form.registered_capital = 0;
    const ok = await post(company, '/api/v1/cases', { item_code: 'SCJ-01-0001', form, draft: true });
    assert.equal(ok.status, 201, ok.text);
  });

  test('notices address a person as 你 and a company as 你单位, never 你（单位）', async (t) => {
    if (spawnSync('pdftotext', ['-v']).error) {
      t.diagnostic('no pdftotext: the notice text was not checked');
      return;
    }
    const textOf = async (token, no) => {
      const r = await fetch(`${srv.base}/api/v1/cases/${no}/notices/receipt.pdf`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(r.status, 200);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-notice-'));
      try {
        fs.writeFileSync(path.join(dir, 'n.pdf'), Buffer.from(await r.arrayBuffer()));
        const out = spawnSync('pdftotext', ['n.pdf', '-'], { cwd: dir, encoding: 'utf8' });
        assert.equal(out.status, 0, out.stderr);
        return out.stdout.replace(/\s+/g, '');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const person = await textOf(citizen, citizenCase);
    assert.match(person, /你提交的无犯罪记录证明开具申请已收到/);
    assert.doesNotMatch(person, /你（单位）|你单位/);
    const firm = await textOf(company, bundleCase);
    assert.match(firm, /你单位提交的企业开办申请已收到/);
    assert.doesNotMatch(firm, /你（单位）/);
  });

  test('the property bundle (不动产交易登记) asks the property, the price and the other party - once, in its one form', async () => {
    const b = (await get(citizen, '/api/v1/bundles/BND-BDCJY')).json;
    const forms = [];
    for (const st of b.steps) for (const x of st.items) forms.push((await get(citizen, `/api/v1/items/${x.code}`)).json.form);
    for (const key of ['property_address', 'price', 'party_name', 'party_id']) {
      for (const form of forms) {
        const fld = form.find((f) => f.key === key);
        assert.ok(fld && fld.required, `every item of the bundle asks ${key}`);
        assert.ok(fld.label_en, `${key} has an English label`);
      }
    }
    assert.equal(forms[0].find((f) => f.key === 'price').type, 'number');
    assert.equal(forms[0].find((f) => f.key === 'party_id').type, 'id_number');
  });

  test('bad input is a clear 4xx and roles are enforced', async () => {
    assertError(await post(citizen, '/api/v1/cases/precheck', {}), 422, 'invalid_field', 'item_code');
    assertError(await post(citizen, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', bundle_code: 'BND-QYKB' }), 422, 'invalid_field', 'item_code');
    assertError(await post(citizen, '/api/v1/cases/precheck', { item_code: 'NO-SUCH' }), 422, 'invalid_field', 'item_code');
    assertError(await post(citizen, '/api/v1/cases/precheck', { bundle_code: 'NO-SUCH' }), 422, 'invalid_field', 'bundle_code');
    assertError(await post(citizen, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', applicant_id: citizenId }), 403, 'forbidden', 'applicant_id');
    assertError(await post(citizen, '/api/v1/cases/precheck', { item_code: 'SCJ-01-0001', on_behalf_of: 1 }), 403, 'forbidden', 'on_behalf_of');
    assertError(await post(clerk, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001' }), 422, 'missing_field', 'applicant_id');
    assertError(await post(clerk, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', applicant_id: 999999 }), 422, 'invalid_field', 'applicant_id');
    assertError(await post(reviewer, '/api/v1/cases/precheck', { item_code: 'GAFJ-20-0001', applicant_id: citizenId }), 403, 'forbidden');
    assertError(await srv.api('POST', '/api/v1/cases/precheck', { body: { item_code: 'GAFJ-20-0001' } }), 401, 'unauthenticated');
    assertError(await post(citizen, '/api/v1/cases/precheck', { item_code: 7 }), 422, 'invalid_field');
    // a company item asked by a person: the rules say no, with the submission's code
    const r = await post(citizen, '/api/v1/cases/precheck', { item_code: 'SCJ-01-0001' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rules.ok, false);
    assert.equal(r.json.rules.code, 'forbidden');
  });
});
