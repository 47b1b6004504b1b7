// licenses.test.js - the e-license library over HTTP, on the real catalog
// (data/catalog) with the demo accounts: a company's 企业设立登记 approved into
// a 营业执照 in its wallet (GB/T 36904 identifier, fields from the case), the
// signed document checked online and with every field changed, reuse of the
// license as a material in a later application with the use log, revocation,
// suspension and reinstatement by the issuing department only, direct issue,
// who sees which license, the published keys and their rotation, the signed
// status list, the printed PDF and the public status page.
//
// The tests of one describe() build on each other, in order.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

/* ---- shared by the licenses tests (licenses*.test.js) ---- */

const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const CITIZEN = '310104199003072013';
const COMPANY2 = '91310104100000016R'; /* valid, not registered */
const SCJ_USCC = '113101044259256669';
const LT001_CODE = '113101044259256669001';
const ID_RE = /^1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.([0-9A-Z]+)\.(\d{3})\.([0-9A-Z])$/;

/** ISO/IEC 7064 MOD 37,36 (CN-STANDARDS.md §4.1), written independently of ident.c. */
function mod3736(s) {
  const M = 36;
  let p = M;
  for (const ch of s) {
    const a = parseInt(ch, 36);
    if (Number.isNaN(a)) return null;
    let t = (p + a) % M;
    if (t === 0) t = M;
    p = (2 * t) % (M + 1);
  }
  return ((M + 1 - p) % M).toString(36).toUpperCase();
}
/** The parts of a GB/T 36904 identifier whose check character is right, or null. */
function parseLicenseId(id) {
  const m = ID_RE.exec(id);
  if (!m) return null;
  const [, type, issuer, serial, version, check] = m;
  if (mod3736(type + issuer + serial + version) !== check) return null;
  return { type, issuer, serial, version, check };
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

const BOUNDARY = '----ywtbLicensesTestBoundary';
let pdfSeq = 0;
async function uploadPdf(srv, token, label = 'material') {
  const data = makePdf(`${label} ${++pdfSeq} ${Math.random()}`); /* a real PDF: uploads are checked */
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${pdfSeq}.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const r = await srv.api('POST', '/api/v1/files', { raw: body, token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
  assert.equal(r.status, 201, r.text);
  return r.json.file_id;
}

/** The Shanghai calendar day now, YYYY-MM-DD. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

/** Canonical bytes the signature covers: keys sorted, compact (what jansson's JSON_SORT_KEYS|JSON_COMPACT writes). */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Every leaf of the signed license object as a path: ['id'], ['issuer', 'dept'], ... */
function leafPaths(obj, prefix = []) {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leafPaths(v, [...prefix, k]));
    else out.push([...prefix, k]);
  }
  return out;
}
/** A value differing from v in one character (the last), or by one for numbers. */
function changedValue(v) {
  if (typeof v === 'number') return v + 1;
  if (v === '') return '0';
  const chars = [...v];
  const last = chars.at(-1);
  chars[chars.length - 1] = /[0-9]/.test(last) ? (last === '0' ? '1' : '0')
    : /[A-Z]/.test(last) ? (last === 'A' ? 'B' : 'A')
      : /[a-z]/.test(last) ? (last === 'a' ? 'b' : 'a')
        : last === '司' ? '局' : '司';
  return chars.join('');
}
/** What verification answers for a change at path: identifier first, then the issuer (the key's department and credit code), then the signature. */
function expectedCode(p) {
  const s = p.join('.');
  if (s === 'id') return 'bad_identifier';
  if (s === 'issuer.dept' || s === 'issuer.uscc') return 'wrong_issuer';
  return 'bad_signature';
}
function withChange(doc, p, value) {
  const copy = structuredClone(doc);
  let o = copy.license;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p.at(-1)] = value;
  return copy;
}

const haveOpenssl = () => spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
/* ---- end of the shared part ---- */

describe('licenses: from a case to the wallet, verification, reuse, status and keys', () => {
  let srv, company, citizen, clerk, reviewer, revSwj, revRsj, chief, admin, dataofficer;
  let licA, docA, firstCaseNo, licB, licPerson;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const verify = (document) => srv.api('POST', '/api/v1/licenses/verify', { body: { document } });

  /** A form for an item: every required field without prefill gets a value of its type. */
  function fillForm(item, values) {
    const form = {};
    for (const f of item.form) {
      if (values[f.key] !== undefined) form[f.key] = values[f.key];
      else if (f.required && !f.prefill) {
        form[f.key] = f.type === 'choice' ? f.options[0] : f.type === 'number' ? 10 : f.type === 'id_number' ? CITIZEN
          : f.type === 'uscc' ? COMPANY : f.type === 'date' ? '2026-01-01' : f.type === 'phone' ? '13912345678' : `测试${f.key}`;
      }
    }
    return form;
  }
  /** Uploads for the required materials of an item, except those in `skip`. */
  async function uploads(item, token, skip = []) {
    const out = [];
    for (const m of item.materials) {
      if (m.required !== 'required' || skip.includes(m.code)) continue;
      out.push({ material_code: m.code, file_id: await uploadPdf(srv, token, m.code) });
    }
    return out;
  }
  const material = (k, code) => {
    const m = k.materials.find((x) => x.material_code === code);
    assert.ok(m, `case ${k.case_no} has material ${code}`);
    return m;
  };

  before(async () => {
    srv = await startServer();
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    revSwj = await srv.login('rev.swj');
    revRsj = await srv.login('rev.rsj');
    chief = await srv.login('chief');
    admin = await srv.login('admin');
    dataofficer = await srv.login('dataofficer');
  });
  after(() => srv?.close());

  test('企业设立登记 approved: a 营业执照 with a GB/T 36904 identifier and the case\'s fields in the company wallet', async () => {
    let r = await get(company, '/api/v1/licenses');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items, [], 'the wallet starts empty');

    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    assert.equal(item.produces, 'LT-001');
    assert.equal(item.name, '企业设立登记');
    const values = {
      proposed_name: '上海徐汇新设科技有限公司', company_type: '有限责任公司', registered_capital: 500,
      address: '上海市徐汇区虹桥路1号', business_scope: '软件开发；技术服务', legal_rep_name: '张小明', legal_rep_id: CITIZEN,
    };
    r = await post(company, '/api/v1/cases', {
      item_code: 'SCJ-01-0001', form: fillForm(item, values), materials: await uploads(item, company),
    });
    assert.equal(r.status, 201, r.text);
    firstCaseNo = r.json.case_no;
    assert.equal(r.json.status, 'submitted');
    assert.equal(material(r.json, 'SCJ-01-0001-M05').status, 'optional', 'no 营业执照 to offer yet');
    assert.equal(material(r.json, 'SCJ-01-0001-M05').source, 'none');

    r = await post(clerk, `/api/v1/cases/${firstCaseNo}/accept`, { note: '材料齐全' });
    assert.equal(r.status, 200, r.text);
    const task = r.json.tasks.find((t) => t.dept === 'XH-SCJ' && t.status === 'pending');
    assert.ok(task, r.text);
    // nothing before the decision
    assert.deepEqual((await get(company, '/api/v1/licenses')).json.items, []);
    r = await post(reviewer, `/api/v1/tasks/${task.id}/decide`, { decision: 'approve', opinion: '准予设立登记' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');

    r = await get(company, '/api/v1/licenses');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1, r.text);
    assert.equal(r.json.next_cursor, null);
    const lic = r.json.items[0];
    licA = lic.id;
    const parts = parseLicenseId(lic.id);
    assert.ok(parts, `a GB/T 36904 identifier with a right check character: ${lic.id}`);
    assert.equal(parts.type, LT001_CODE);
    assert.equal(parts.issuer, SCJ_USCC);
    assert.equal(parts.serial, `${shanghaiToday().slice(0, 4)}000001`);
    assert.equal(parts.version, '001');
    assert.equal(lic.type, 'LT-001');
    assert.equal(lic.type_name, '营业执照');
    assert.equal(lic.issuer_dept, 'XH-SCJ');
    assert.equal(lic.issuer_name, '上海市徐汇区市场监督管理局');
    assert.deepEqual(lic.holder, { kind: 'enterprise', ident: COMPANY, name: COMPANY_NAME });
    assert.equal(lic.source, firstCaseNo);
    assert.equal(lic.status, 'valid');
    assert.equal(lic.usable, true);
    assert.equal(lic.expired, false);
    assert.equal(lic.valid_from, shanghaiToday());
    assert.equal(lic.valid_until, '', '营业执照: no end date');
    assert.match(lic.key_id, /^[0-9a-f]{16}$/);
    assert.equal(lic.document, undefined, 'the list has no documents');
    // the fields: from the case form where the keys match, the rest from the applicant
    assert.equal(lic.fields.registered_capital, '500');
    assert.equal(lic.fields.address, values.address);
    assert.equal(lic.fields.business_scope, values.business_scope);
    assert.equal(lic.fields.name, COMPANY_NAME);
    assert.equal(lic.fields.uscc, COMPANY);
    // one license.issued event: GET of the single license agrees
    r = await get(company, `/api/v1/licenses/${licA}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, lic);
  });

  test('the signed document verifies online; any single changed field does not', async () => {
    let r = await get(company, `/api/v1/licenses/${licA}/document`);
    assert.equal(r.status, 200, r.text);
    docA = r.json;
    assert.deepEqual(Object.keys(docA).sort(), ['license', 'signature']);
    assert.equal(docA.license.id, licA);
    assert.equal(docA.license.type_code, LT001_CODE);
    assert.deepEqual(docA.license.issuer, { dept: 'XH-SCJ', name: '上海市徐汇区市场监督管理局', uscc: SCJ_USCC });
    assert.equal(docA.license.version, 1);
    assert.equal(docA.signature.alg, 'SM2-SM3');
    assert.equal(docA.signature.distid, '1234567812345678');
    assert.equal(docA.signature.key_id, docA.license.key_id);
    // staff read the same document
    assert.deepEqual((await get(reviewer, `/api/v1/licenses/${licA}/document`)).json, docA);

    r = await verify(docA);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { valid: true, code: 'ok', reason: r.json.reason, status: 'valid' });
    assert.ok(r.json.reason);

    const paths = leafPaths(docA.license);
    assert.deepEqual(paths.map((p) => p.join('.')).filter((p) => !p.startsWith('fields.')).sort(), [
      'holder.ident', 'holder.kind', 'holder.name', 'id', 'issued_at', 'issuer.dept', 'issuer.name', 'issuer.uscc',
      'key_id', 'type', 'type_code', 'type_name', 'valid_from', 'valid_until', 'version',
    ]);
    assert.equal(paths.filter((p) => p[0] === 'fields').length, Object.keys(docA.license.fields).length);
    for (const p of paths) {
      const before = p.reduce((o, k) => o[k], docA.license);
      const changed = withChange(docA, p, changedValue(before));
      const v = await verify(changed);
      assert.equal(v.status, 200, v.text);
      assert.equal(v.json.valid, false, `${p.join('.')} changed from ${JSON.stringify(before)}: ${v.text}`);
      assert.equal(v.json.code, expectedCode(p), `${p.join('.')}: ${v.text}`);
    }
    // a field added or removed, a value of another type, the signature altered
    const more = [
      [(d) => { d.license.fields.legal_rep = '李四'; }, 'bad_signature'],
      [(d) => { delete d.license.fields.address; }, 'bad_signature'],
      [(d) => { d.license.version = '1'; }, 'bad_signature'],
      [(d) => { d.license.holder.ident = COMPANY2; }, 'bad_signature'],
      [(d) => { d.license.valid_until = '2099-12-31'; }, 'bad_signature'],
      [(d) => { d.signature.value = `${d.signature.value.slice(0, 10)}${d.signature.value[10] === 'A' ? 'B' : 'A'}${d.signature.value.slice(11)}`; }, 'bad_signature'],
      [(d) => { d.signature.key_id = '0000000000000000'; }, 'unknown_key'],
      [(d) => { delete d.signature; }, 'malformed'],
    ];
    for (const [change, code] of more) {
      const d = structuredClone(docA);
      change(d);
      const v = await verify(d);
      assert.equal(v.status, 200, v.text);
      assert.equal(v.json.valid, false, `${change}: ${v.text}`);
      assert.equal(v.json.code, code, `${change}: ${v.text}`);
    }
    // the untouched document is still fine; a body without a document is not a request
    assert.equal((await verify(docA)).json.valid, true);
    assertError(await srv.api('POST', '/api/v1/licenses/verify', { body: {} }), 422, 'missing_field', 'document');
    assertError(await srv.api('POST', '/api/v1/licenses/verify', { body: { document: 'x' } }), 422, 'invalid_field', 'document');
  });

  test('anyone can check the document with the published key and the openssl command line', async (t) => {
    if (!haveOpenssl()) {
      t.skip('no openssl program');
      return;
    }
    const keys = (await srv.api('GET', '/api/v1/keys')).json;
    const key = keys.keys[docA.signature.key_id];
    const dir = tempDir('ywtb-lic-openssl-');
    try {
      fs.writeFileSync(path.join(dir, 'pub.pem'), key.public_pem);
      fs.writeFileSync(path.join(dir, 'msg'), canonical(docA.license));
      fs.writeFileSync(path.join(dir, 'sig.der'), Buffer.from(docA.signature.value, 'base64'));
      fs.writeFileSync(path.join(dir, 'bad'), canonical({ ...docA.license, type_name: '食品经营许可证' }));
      const run = (msg, distid = true) => spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin',
        '-digest', 'sm3', ...(distid ? ['-pkeyopt', `distid:${keys.distid}`] : []), '-in', msg, '-sigfile', 'sig.der'],
      { cwd: dir, encoding: 'utf8' });
      const ok = run('msg');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /Signature Verified Successfully/);
      assert.notEqual(run('bad').status, 0, 'a changed license does not verify');
      assert.notEqual(run('msg', false).status, 0, 'the distinguishing ID matters');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a later 食品经营许可（新办） takes the 营业执照 from the wallet; the use is logged', async () => {
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0023')).json;
    const m02 = item.materials.find((m) => m.code === 'SCJ-01-0023-M02');
    assert.equal(m02.license_type, 'LT-001');
    assert.equal(m02.required, 'required');
    const r = await post(company, '/api/v1/cases', {
      item_code: 'SCJ-01-0023',
      form: fillForm(item, { premises: '上海市徐汇区虹桥路1号一层', area: 80, main_format: '餐饮服务经营者', business_items: '热食类食品制售' }),
      materials: await uploads(item, company, ['SCJ-01-0023-M02']),
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.missing_materials, 0);
    const m = material(r.json, 'SCJ-01-0023-M02');
    assert.equal(m.source, 'license');
    assert.equal(m.status, 'satisfied');
    assert.equal(m.license_id, licA);
    assert.equal(m.file_id, undefined);
    // the 201 body, built from what the submission wrote, is what a read of the case gives
    const g = await get(company, `/api/v1/cases/${r.json.case_no}`);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, r.json);
    // the holder's use log (用证记录) names the case, the department and the material
    const uses = await get(company, `/api/v1/licenses/${licA}/uses`);
    assert.equal(uses.status, 200, uses.text);
    assert.equal(uses.json.items.length, 1, uses.text);
    const u = uses.json.items[0];
    assert.equal(u.case_no, r.json.case_no);
    assert.equal(u.dept, 'XH-SCJ');
    assert.equal(u.dept_name, '上海市徐汇区市场监督管理局');
    assert.equal(u.material, '营业执照');
    assert.match(u.purpose, /食品经营许可（新办）/);
    assert.match(u.purpose, /营业执照/);
    assert.ok(u.at);
    // staff read it too
    assert.deepEqual((await get(reviewer, `/api/v1/licenses/${licA}/uses`)).json, uses.json);
  });

  test('a holder sees only their own licenses; staff look them up by holder or department', async () => {
    for (const p of ['', '/document', '/uses', '/print.pdf']) {
      assertError(await get(citizen, `/api/v1/licenses/${licA}${p}`), 404, 'not_found');
    }
    assertError(await srv.api('GET', `/api/v1/licenses/${licA}`), 401, 'unauthenticated');
    assertError(await srv.api('GET', '/api/v1/licenses'), 401, 'unauthenticated');
    // a holder's filter cannot reach another holder's wallet
    let r = await get(citizen, `/api/v1/licenses?holder=${COMPANY}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.json.items.some((l) => l.id === licA), r.text);
    // staff: by holder (lower case works), by department, by type
    for (const token of [reviewer, clerk, revSwj]) {
      r = await get(token, `/api/v1/licenses?holder=${COMPANY.toLowerCase()}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((l) => l.id), [licA]);
      assert.equal((await get(token, `/api/v1/licenses/${licA}`)).status, 200);
    }
    r = await get(reviewer, '/api/v1/licenses?dept=XH-SCJ');
    assert.ok(r.json.items.some((l) => l.id === licA), r.text);
    r = await get(reviewer, '/api/v1/licenses?dept=XH-SWJ');
    assert.deepEqual(r.json.items, []);
    r = await get(reviewer, `/api/v1/licenses?holder=${COMPANY}&type=LT-002`);
    assert.deepEqual(r.json.items, []);
    assertError(await get(reviewer, '/api/v1/licenses'), 422, 'missing_field', 'holder');
    assertError(await get(reviewer, `/api/v1/licenses?holder=${COMPANY}&limit=0`), 422, 'invalid_field', 'limit');
    assertError(await get(reviewer, '/api/v1/licenses/1.2.156.3005.2.nothing'), 404, 'not_found');
  });

  test('direct issue by the type\'s department; other departments, roles and bad input are refused', async () => {
    const body = {
      type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司',
      fields: { name: '上海测试二号有限公司', uscc: COMPANY2, legal_rep: '王五', established: '2019-03-01' },
      valid_from: '2019-03-01',
    };
    let r = await post(reviewer, '/api/v1/licenses', body);
    assert.equal(r.status, 201, r.text);
    licB = r.json.id;
    assert.ok(parseLicenseId(licB), licB);
    assert.equal(parseLicenseId(licB).serial, `${shanghaiToday().slice(0, 4)}000002`, 'the department\'s next serial');
    assert.equal(r.json.source, 'api');
    assert.equal(r.json.valid_from, '2019-03-01');
    assert.deepEqual(r.json.fields, body.fields);
    assert.deepEqual(r.json.holder, { kind: 'enterprise', ident: COMPANY2, name: '上海测试二号有限公司' });
    assert.equal(r.json.document.license.id, licB);
    assert.equal((await verify(r.json.document)).json.valid, true);

    assertError(await post(revSwj, '/api/v1/licenses', body), 403, 'forbidden', 'type');
    assertError(await post(dataofficer, '/api/v1/licenses', body), 403, 'forbidden', 'type');
    assertError(await post(chief, '/api/v1/licenses', body), 403, 'forbidden', 'type');
    assertError(await post(company, '/api/v1/licenses', body), 403, 'forbidden');
    assertError(await post(clerk, '/api/v1/licenses', body), 403, 'forbidden');
    assertError(await srv.api('POST', '/api/v1/licenses', { body }), 401, 'unauthenticated');
    const bad = [
      [{ holder_ident: '91310104100000016X' }, 422, undefined, 'holder_ident'],
      [{ holder_ident: CITIZEN }, 422, undefined, 'holder_ident'],
      [{ holder_name: '' }, 422, undefined, 'holder_name'],
      [{ type: 'LT-999' }, 422, 'invalid_field', 'type'],
      [{ colour: 'red' }, 400, 'unknown_field', undefined],
      [{ fields: { name: 'x', nickname: 'y' } }, 400, 'unknown_field', 'fields'],
      [{ fields: { established: '2019-02-30' } }, 422, 'invalid_field', 'fields'],
      [{ fields: { registered_capital: 100 } }, 422, 'invalid_field', 'fields'],
      [{ fields: 'x' }, 422, 'invalid_field', 'fields'],
      [{ valid_from: '2026-05-01', valid_until: '2026-04-30' }, 422, 'invalid_field', 'valid_until'],
      [{ valid_from: '2026/05/01' }, 422, 'invalid_field', 'valid_from'],
    ];
    for (const [change, status, code, field] of bad) {
      r = await post(reviewer, '/api/v1/licenses', { ...body, ...change });
      assert.equal(r.status, status, `${JSON.stringify(change)}: ${r.text}`);
      if (code) assert.equal(r.json.error.code, code, `${JSON.stringify(change)}: ${r.text}`);
      if (field) assert.equal(r.json.error.field, field, `${JSON.stringify(change)}: ${r.text}`);
    }
    r = await post(reviewer, '/api/v1/licenses', { type: 'LT-001', holder_ident: COMPANY2 });
    assertError(r, 422, 'missing_field', 'holder_name');
    // none of the refused ones left a license
    r = await get(reviewer, `/api/v1/licenses?holder=${COMPANY2}`);
    assert.deepEqual(r.json.items.map((l) => l.id), [licB]);
    // an admin issues for any department; 人社局 issues a person's 社会保障卡
    r = await post(admin, '/api/v1/licenses', { type: 'LT-002', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司', valid_from: '2026-03-01' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.issuer_dept, 'XH-SCJ');
    assert.equal(r.json.valid_until, '2031-02-28', '5 years less a day');
    r = await post(revRsj, '/api/v1/licenses', { type: 'LT-014', holder_ident: CITIZEN, holder_name: '张小明', fields: { name: '张小明', id_number: CITIZEN, card_no: 'SH0001' } });
    assert.equal(r.status, 201, r.text);
    licPerson = r.json.id;
    assert.equal(parseLicenseId(licPerson).issuer, '11310104425916073E');
    r = await get(citizen, '/api/v1/licenses');
    assert.deepEqual(r.json.items.map((l) => l.id), [licPerson]);
    assert.equal((await get(citizen, `/api/v1/licenses/${licPerson}`)).status, 200);
    assertError(await get(company, `/api/v1/licenses/${licPerson}`), 404, 'not_found');
  });

  test('revocation: only the issuing department, with a reason, once; verification and reuse follow', async () => {
    assertError(await post(revSwj, `/api/v1/licenses/${licA}/revoke`, { reason: '不是我发的' }), 403, 'forbidden');
    assertError(await post(chief, `/api/v1/licenses/${licA}/revoke`, { reason: '不是我发的' }), 403, 'forbidden');
    assertError(await post(company, `/api/v1/licenses/${licA}/revoke`, { reason: '自己注销' }), 403, 'forbidden');
    assertError(await post(reviewer, `/api/v1/licenses/${licA}/revoke`, {}), 422, 'missing_field', 'reason');
    assertError(await post(reviewer, `/api/v1/licenses/${licA}/revoke`, { reason: '' }), 422, 'missing_field', 'reason');
    assertError(await post(reviewer, '/api/v1/licenses/1.2.156.3005.2.nothing/revoke', { reason: 'x' }), 404, 'not_found');
    assert.equal((await verify(docA)).json.valid, true, 'still valid after refused attempts');

    let r = await post(reviewer, `/api/v1/licenses/${licA}/revoke`, { reason: '以欺骗手段取得登记' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'revoked');
    assert.equal(r.json.status_reason, '以欺骗手段取得登记');
    assert.ok(r.json.status_at);
    assert.equal(r.json.usable, false);
    assertError(await post(reviewer, `/api/v1/licenses/${licA}/revoke`, { reason: '再次吊销' }), 409, 'invalid_state');
    assertError(await post(reviewer, `/api/v1/licenses/${licA}/reinstate`, {}), 409, 'invalid_state');
    assertError(await post(reviewer, `/api/v1/licenses/${licA}/suspend`, { reason: 'x' }), 409, 'invalid_state');

    r = await verify(docA);
    assert.equal(r.json.valid, false, r.text);
    assert.equal(r.json.code, 'revoked');
    assert.equal(r.json.status, 'revoked');
    assert.match(r.json.reason, /以欺骗手段取得登记/);
    r = await srv.api('GET', `/api/v1/public/licenses/${licA}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'revoked');
    assert.equal(r.json.status_reason, '以欺骗手段取得登记');
    assert.equal(r.json.usable, false);

    // the next application no longer gets the material from the license
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0023')).json;
    const form = fillForm(item, { premises: '上海市徐汇区虹桥路1号二层', area: 60, main_format: '食品销售经营者', business_items: '预包装食品销售' });
    r = await post(company, '/api/v1/cases', { item_code: 'SCJ-01-0023', form, draft: true });
    assert.equal(r.status, 201, r.text);
    const m = material(r.json, 'SCJ-01-0023-M02');
    assert.equal(m.source, 'none');
    assert.equal(m.status, 'missing');
    assert.equal(m.license_id, undefined);
    r = await post(company, '/api/v1/cases', { item_code: 'SCJ-01-0023', form, materials: await uploads(item, company, ['SCJ-01-0023-M02']) });
    assertError(r, 422, 'missing_field', 'materials.SCJ-01-0023-M02');
    // naming the revoked license explicitly does not work either
    r = await post(company, '/api/v1/cases', {
      item_code: 'SCJ-01-0023', form,
      materials: [...await uploads(item, company, ['SCJ-01-0023-M02']), { material_code: 'SCJ-01-0023-M02', license_id: licA }],
    });
    assertError(r, 422, 'invalid_field', 'materials');
    // the use log kept the one use
    assert.equal((await get(company, `/api/v1/licenses/${licA}/uses`)).json.items.length, 1);
  });

  test('the signed status list of the department names the revoked license', async () => {
    const r = await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ');
    assert.equal(r.status, 200, r.text);
    const { list, signature } = r.json;
    assert.equal(list.dept, 'XH-SCJ');
    assert.equal(list.issuer_uscc, SCJ_USCC);
    assert.ok(list.generated_at);
    const e = list.entries.find((x) => x.id === licA);
    assert.ok(e, r.text);
    assert.equal(e.status, 'revoked');
    assert.equal(e.reason, '以欺骗手段取得登记');
    assert.ok(!list.entries.some((x) => x.id === licB), 'valid licenses are not listed');
    assert.equal(signature.alg, 'SM2-SM3');
    const keys = (await srv.api('GET', '/api/v1/keys')).json.keys;
    assert.equal(keys[signature.key_id]?.dept, 'XH-SCJ', 'signed with a key of the department');
    if (haveOpenssl()) {
      const dir = tempDir('ywtb-lic-list-');
      try {
        fs.writeFileSync(path.join(dir, 'pub.pem'), keys[signature.key_id].public_pem);
        fs.writeFileSync(path.join(dir, 'msg'), canonical(list));
        fs.writeFileSync(path.join(dir, 'sig.der'), Buffer.from(signature.value, 'base64'));
        const v = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3',
          '-pkeyopt', 'distid:1234567812345678', '-in', 'msg', '-sigfile', 'sig.der'], { cwd: dir, encoding: 'utf8' });
        assert.equal(v.status, 0, v.stdout + v.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    assertError(await srv.api('GET', '/api/v1/licenses/status-lists/XH-NONE'), 404, 'not_found');
  });

  test('suspend, then reinstate', async () => {
    const docB = (await get(reviewer, `/api/v1/licenses/${licB}/document`)).json;
    assertError(await post(reviewer, `/api/v1/licenses/${licB}/suspend`, {}), 422, 'missing_field', 'reason');
    assertError(await post(revSwj, `/api/v1/licenses/${licB}/suspend`, { reason: 'x' }), 403, 'forbidden');
    assertError(await post(reviewer, `/api/v1/licenses/${licB}/reinstate`, {}), 409, 'invalid_state');
    let r = await post(reviewer, `/api/v1/licenses/${licB}/suspend`, { reason: '责令停业整顿' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'suspended');
    assert.equal(r.json.usable, false);
    assertError(await post(reviewer, `/api/v1/licenses/${licB}/suspend`, { reason: '再次' }), 409, 'invalid_state');
    r = await verify(docB);
    assert.deepEqual([r.json.valid, r.json.code, r.json.status], [false, 'suspended', 'suspended']);
    assert.match(r.json.reason, /责令停业整顿/);
    r = await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ');
    assert.equal(r.json.list.entries.find((x) => x.id === licB)?.status, 'suspended');
    assert.equal((await srv.api('GET', `/api/v1/public/licenses/${licB}`)).json.status, 'suspended');

    assertError(await post(revSwj, `/api/v1/licenses/${licB}/reinstate`, {}), 403, 'forbidden');
    r = await post(reviewer, `/api/v1/licenses/${licB}/reinstate`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'valid');
    assert.equal(r.json.usable, true);
    r = await verify(docB);
    assert.deepEqual([r.json.valid, r.json.code, r.json.status], [true, 'ok', 'valid']);
    r = await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ');
    assert.ok(!r.json.list.entries.some((x) => x.id === licB), 'gone from the list');
    assert.ok(r.json.list.entries.some((x) => x.id === licA), 'the revoked one stays');
  });

  test('published keys, and rotation: a new key id, old licenses still verify, new ones use the new key', async () => {
    let r = await srv.api('GET', '/api/v1/keys');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.distid, '1234567812345678');
    const oldKid = docA.license.key_id;
    const k = r.json.keys[oldKid];
    assert.ok(k, r.text);
    assert.equal(k.dept, 'XH-SCJ');
    assert.equal(k.issuer_uscc, SCJ_USCC);
    assert.equal(k.algorithm, 'SM2-SM3');
    assert.equal(k.status, 'active');
    assert.equal(k.retired_at, '');
    assert.match(k.public_pem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    assert.ok(!JSON.stringify(r.json).includes('PRIVATE'), 'no private halves');
    // the key id is the first 16 hex digits of SM3 over the DER public key
    const der = Buffer.from(k.public_pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    assert.equal(createHash('sm3').update(der).digest('hex').slice(0, 16), oldKid);

    assertError(await post(reviewer, '/api/v1/keys/rotate', { dept: 'XH-SCJ' }), 403, 'forbidden');
    assertError(await post(company, '/api/v1/keys/rotate', { dept: 'XH-SCJ' }), 403, 'forbidden');
    assertError(await post(dataofficer, '/api/v1/keys/rotate', { dept: 'XH-SCJ' }), 403, 'forbidden', 'dept');
    assertError(await post(admin, '/api/v1/keys/rotate', {}), 422, 'missing_field', 'dept');
    assertError(await post(admin, '/api/v1/keys/rotate', { dept: 'XH-NONE' }), 422, 'invalid_field', 'dept');
    assert.equal((await srv.api('GET', '/api/v1/keys')).json.keys[oldKid].status, 'active', 'refused rotations changed nothing');

    r = await post(admin, '/api/v1/keys/rotate', { dept: 'XH-SCJ' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dept, 'XH-SCJ');
    assert.match(r.json.key_id, /^[0-9a-f]{16}$/);
    const newKid = r.json.key_id;
    assert.notEqual(newKid, oldKid);
    const keys = (await srv.api('GET', '/api/v1/keys')).json.keys;
    assert.equal(keys[oldKid].status, 'retired');
    assert.ok(keys[oldKid].retired_at);
    assert.equal(keys[newKid].status, 'active');
    assert.equal(keys[newKid].dept, 'XH-SCJ');
    // old licenses still verify
    const docB = (await get(reviewer, `/api/v1/licenses/${licB}/document`)).json;
    assert.equal(docB.license.key_id, oldKid);
    r = await verify(docB);
    assert.deepEqual([r.json.valid, r.json.code], [true, 'ok']);
    // new ones use the new key
    r = await post(reviewer, '/api/v1/licenses', { type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.key_id, newKid);
    assert.equal(r.json.document.signature.key_id, newKid);
    assert.equal((await verify(r.json.document)).json.valid, true);
    // the status list is signed with the new key
    assert.equal((await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ')).json.signature.key_id, newKid);
    // a data officer rotates their own department's key
    r = await post(dataofficer, '/api/v1/keys/rotate', { dept: 'XH-DSJ' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await srv.api('GET', '/api/v1/keys')).json.keys[r.json.key_id].dept, 'XH-DSJ');
  });

  test('print: a PDF for the holder and staff, nobody else', async (t) => {
    const r = await srv.api('GET', `/api/v1/licenses/${licB}/print.pdf`, { token: reviewer });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    const mine = await fetch(`${srv.base}/api/v1/licenses/${licPerson}/print.pdf`, { headers: { Authorization: `Bearer ${citizen}` } });
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('content-type'), 'application/pdf');
    assert.equal(mine.headers.get('cache-control'), 'private, no-store');
    const pdf = Buffer.from(await mine.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/);
    assertError(await get(company, `/api/v1/licenses/${licPerson}/print.pdf`), 404, 'not_found');
    assertError(await srv.api('GET', `/api/v1/licenses/${licPerson}/print.pdf`), 401, 'unauthenticated');
    if (spawnSync('pdftotext', ['-v']).error) {
      t.diagnostic('no pdftotext: the PDF text was not checked');
      return;
    }
    const dir = tempDir('ywtb-lic-pdf-');
    try {
      fs.writeFileSync(path.join(dir, 'l.pdf'), pdf);
      const out = spawnSync('pdftotext', ['l.pdf', '-'], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      const text = out.stdout.replace(/\s+/g, '');
      assert.match(text, /社会保障卡/);
      assert.match(text, /张小明/);
      assert.ok(text.includes(`${CITIZEN.slice(0, 4)}**********${CITIZEN.slice(-4)}`), 'the holder row shows the ID number masked');
      assert.ok(!text.includes(CITIZEN), 'no full ID number anywhere on the print (id_number fields are masked too)');
      assert.ok(text.includes(licPerson), 'the identifier is printed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('public status by identifier: no login, the holder masked, nothing else', async () => {
    let r = await srv.api('GET', `/api/v1/public/licenses/${licPerson}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, licPerson);
    assert.equal(r.json.type_name, '社会保障卡');
    assert.equal(r.json.issuer_dept, 'XH-RSJ');
    assert.equal(r.json.status, 'valid');
    assert.equal(r.json.usable, true);
    assert.equal(r.json.holder.name, '张*', 'a citizen\'s name is masked to the surname');
    assert.notEqual(r.json.holder.ident, CITIZEN);
    assert.equal(r.json.holder.ident.length, 18);
    assert.ok(r.json.holder.ident.startsWith(CITIZEN.slice(0, 4)) && r.json.holder.ident.endsWith(CITIZEN.slice(-4)), r.text);
    assert.match(r.json.holder.ident, /\*{6,}/);
    for (const hidden of ['fields', 'document', 'key_id', 'source'])
      assert.equal(r.json[hidden], undefined, `no ${hidden} in public: ${r.text}`);
    assert.ok(!r.text.includes(CITIZEN), 'the full ID number appears nowhere');
    r = await srv.api('GET', `/api/v1/public/licenses/${licA}`);
    assert.equal(r.json.holder.ident, COMPANY, 'a credit code is public');
    assertError(await srv.api('GET', '/api/v1/public/licenses/1.2.156.3005.2.nothing'), 404, 'not_found');
    const unknown = licB.replace(/\.(\d{10})\.001\.[0-9A-Z]$/, (m, s) => {
      const serial = `${s.slice(0, 4)}999999`;
      return `.${serial}.001.${mod3736(LT001_CODE + SCJ_USCC + serial + '001')}`;
    });
    assert.ok(parseLicenseId(unknown), unknown);
    assertError(await srv.api('GET', `/api/v1/public/licenses/${unknown}`), 404, 'not_found');
  });

  test('numbers: a case form number reaches the license with its digits; number fields take numbers', async (t) => {
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    let r = await post(company, '/api/v1/cases', {
      item_code: 'SCJ-01-0001',
      form: fillForm(item, { registered_capital: 1234567.5, address: '上海市徐汇区虹桥路2号', business_scope: '咨询' }),
      materials: await uploads(item, company),
    });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    r = await post(clerk, `/api/v1/cases/${no}/accept`, {});
    assert.equal(r.status, 200, r.text);
    r = await post(reviewer, `/api/v1/tasks/${r.json.tasks.find((x) => x.status === 'pending').id}/decide`, { decision: 'approve' });
    assert.equal(r.json.status, 'approved', r.text);
    const lic = (await get(company, '/api/v1/licenses')).json.items.find((l) => l.source === no);
    assert.ok(lic, 'a second 营业执照 from the second case');
    assert.equal(lic.status, 'valid');
    assert.equal(lic.fields.address, '上海市徐汇区虹桥路2号');
    assert.equal(lic.fields.registered_capital, '1234567.5');
    r = await post(reviewer, '/api/v1/licenses', {
      type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司', fields: { registered_capital: '一百万' },
    });
    assertError(r, 422, 'invalid_field', 'fields');
  });
});
