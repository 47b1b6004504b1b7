// licenses_grants.test.js - view grants (a holder lets a bank see one license
// for some hours) and licenses running out, on a server with the test clock
// (`serve --clock`, POST /api/v1/test/clock) and the real catalog.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const CITIZEN = '310104199003072013';
const CODE_RE = /^[A-HJ-NP-Z2-9]{10}$/; /* 10 letters without look-alikes (no I, O, 0, 1) */

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

describe('licenses: view grants and expiry by the test clock (server clock 2026-06-01 10:00 +08:00)', () => {
  let srv, company, citizen, reviewer, lic, code;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const open = (c) => srv.api('GET', `/api/v1/public/license-grants/${c}`);
  const now = async () => Date.parse((await srv.api('GET', '/healthz')).json.clock.now);
  /* sessions end after 30 idle minutes of the server clock: log in again after moving it */
  const advance = async (body) => {
    const r = await srv.api('POST', '/api/v1/test/clock', { body });
    assert.equal(r.status, 200, r.text);
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    reviewer = await srv.login('reviewer');
    return Date.parse(r.json.clock.now);
  };

  before(async () => {
    srv = await startServer({ clock: '2026-06-01T10:00:00+08:00' });
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    reviewer = await srv.login('reviewer');
    const r = await post(reviewer, '/api/v1/licenses', {
      type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME,
      fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明' },
    });
    assert.equal(r.status, 201, r.text);
    lic = r.json.id;
    assert.equal(r.json.valid_from, '2026-06-01', 'today by the server clock');
  });
  after(() => srv?.close());

  test('the holder grants a view: a code that shows the license without login, each view in the use log', async () => {
    const t0 = await now();
    let r = await post(company, `/api/v1/licenses/${lic}/grants`, { grantee: '中国银行上海市徐汇支行', purpose: '开立对公账户', hours: 2 });
    const t1 = await now();
    assert.equal(r.status, 201, r.text);
    code = r.json.code;
    assert.match(code, CODE_RE);
    assert.equal(r.json.license_id, lic);
    const expires = Date.parse(r.json.expires_at);
    assert.ok(expires >= t0 + 2 * 3600e3 && expires <= t1 + 2 * 3600e3, `${r.json.expires_at} is 2 hours after the grant`);

    r = await open(code);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, lic);
    assert.equal(r.json.type_name, '营业执照');
    assert.deepEqual(r.json.holder, { kind: 'enterprise', ident: COMPANY, name: COMPANY_NAME });
    assert.equal(r.json.fields.legal_rep, '张小明');
    assert.equal(r.json.status, 'valid');
    assert.equal(r.json.document.license.id, lic);
    // what the grantee sees can be checked
    const v = await srv.api('POST', '/api/v1/licenses/verify', { body: { document: r.json.document } });
    assert.deepEqual([v.json.valid, v.json.code], [true, 'ok']);

    r = await get(company, `/api/v1/licenses/${lic}/uses`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1, r.text);
    assert.equal(r.json.items[0].purpose, '授权查看：中国银行上海市徐汇支行（开立对公账户）');
    assert.equal(r.json.items[0].case_no, '');
    // a second view, a second entry
    assert.equal((await open(code)).status, 200);
    assert.equal((await get(company, `/api/v1/licenses/${lic}/uses`)).json.items.length, 2);

    r = await get(company, `/api/v1/licenses/${lic}/grants`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1);
    const g = r.json.items[0];
    assert.equal(g.code, code);
    assert.equal(g.grantee, '中国银行上海市徐汇支行');
    assert.equal(g.purpose, '开立对公账户');
    assert.equal(g.views, 2);
    assert.equal(g.active, true);
    assert.equal(g.revoked_at, '');
  });

  test('only the holder grants; bad grants are refused; unknown codes are 404', async () => {
    assertError(await post(citizen, `/api/v1/licenses/${lic}/grants`, { grantee: '某银行', purpose: '开户' }), 404, 'not_found');
    assertError(await get(citizen, `/api/v1/licenses/${lic}/grants`), 404, 'not_found');
    assertError(await srv.api('DELETE', `/api/v1/licenses/${lic}/grants/${code}`, { token: citizen }), 404, 'not_found');
    assertError(await post(reviewer, `/api/v1/licenses/${lic}/grants`, { grantee: '某银行', purpose: '开户' }), 403, 'forbidden');
    assertError(await srv.api('POST', `/api/v1/licenses/${lic}/grants`, { body: { grantee: '某银行', purpose: '开户' } }), 401, 'unauthenticated');
    const bad = [
      [{ grantee: '某银行', purpose: '开户', hours: 0 }, 422, 'hours'],
      [{ grantee: '某银行', purpose: '开户', hours: 721 }, 422, 'hours'],
      [{ grantee: '某银行', purpose: '开户', hours: -1 }, 422, 'hours'],
      [{ grantee: '某银行', purpose: '开户', hours: '2' }, 422, 'hours'],
      [{ grantee: '', purpose: '开户' }, 422, 'grantee'],
      [{ purpose: '开户' }, 422, 'grantee'],
      [{ grantee: '某银行', purpose: '' }, 422, 'purpose'],
      [{ grantee: '某银行' }, 422, 'purpose'],
      [{ grantee: '某银行', purpose: '开户', until: 'x' }, 400, undefined],
    ];
    for (const [body, status, field] of bad) {
      const r = await post(company, `/api/v1/licenses/${lic}/grants`, body);
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      if (field) assert.equal(r.json.error.field, field, `${JSON.stringify(body)}: ${r.text}`);
    }
    assert.equal((await get(company, `/api/v1/licenses/${lic}/grants`)).json.items.length, 1, 'none was made');
    assertError(await open('ABCDEFGHJK'), 404, 'not_found');
    assertError(await open(code.toLowerCase()), 404, 'not_found');
    assertError(await open('A'.repeat(40)), 404, 'not_found');
    // a grant the holder makes for 30 days (720 hours) is the longest
    const r = await post(company, `/api/v1/licenses/${lic}/grants`, { grantee: '房东', purpose: '租房', hours: 720 });
    assert.equal(r.status, 201, r.text);
    assert.equal(await srv.api('DELETE', `/api/v1/licenses/${lic}/grants/${r.json.code}`, { token: company }).then((x) => x.status), 200);
  });

  test('the holder withdraws a grant: the code stops working at once', async () => {
    let r = await srv.api('DELETE', `/api/v1/licenses/${lic}/grants/${code}`, { token: company });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { revoked: true });
    assertError(await open(code), 404, 'not_found');
    assertError(await srv.api('DELETE', `/api/v1/licenses/${lic}/grants/${code}`, { token: company }), 404, 'not_found');
    r = await get(company, `/api/v1/licenses/${lic}/grants`);
    const g = r.json.items.find((x) => x.code === code);
    assert.equal(g.active, false);
    assert.ok(g.revoked_at);
    assert.equal(g.views, 2, 'the refused view is not counted');
    assert.equal((await get(company, `/api/v1/licenses/${lic}/uses`)).json.items.length, 2, 'nor logged');
  });

  test('an expired grant is 404 (clock moved past its end)', async () => {
    let r = await post(company, `/api/v1/licenses/${lic}/grants`, { grantee: '房屋中介', purpose: '核验营业执照', hours: 1 });
    assert.equal(r.status, 201, r.text);
    const c = r.json.code;
    assert.equal((await open(c)).status, 200);
    await advance({ advance_seconds: 50 * 60 });
    assert.equal((await open(c)).status, 200, 'still open after 50 minutes');
    await advance({ advance_seconds: 11 * 60 });
    assertError(await open(c), 404, 'not_found');
    r = await get(company, `/api/v1/licenses/${lic}/grants`);
    const g = r.json.items.find((x) => x.code === c);
    assert.equal(g.active, false);
    assert.equal(g.revoked_at, '');
    assert.equal(g.views, 2);
  });

  test('a license past its valid_until is expired: wallet, online verification and public status say so', async () => {
    let r = await post(reviewer, '/api/v1/licenses', {
      type: 'LT-002', holder_ident: COMPANY, holder_name: COMPANY_NAME, valid_from: '2026-05-01', valid_until: '2026-06-02',
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    const doc = r.json.document;
    const check = async () => (await srv.api('POST', '/api/v1/licenses/verify', { body: { document: doc } })).json;
    assert.deepEqual(await check(), { valid: true, code: 'ok', reason: (await check()).reason, status: 'valid' });
    await advance({ advance_days: 1 }); // 2026-06-02: the last day
    assert.equal((await check()).code, 'ok');
    r = await get(company, `/api/v1/licenses/${id}`);
    assert.deepEqual([r.json.expired, r.json.usable], [false, true]);
    await advance({ advance_days: 1 }); // 2026-06-03
    const v = await check();
    assert.deepEqual([v.valid, v.code, v.status], [false, 'expired', 'valid']);
    assert.match(v.reason, /2026-06-02/);
    r = await get(company, `/api/v1/licenses/${id}`);
    assert.deepEqual([r.json.status, r.json.expired, r.json.usable], ['valid', true, false]);
    r = await srv.api('GET', `/api/v1/public/licenses/${id}`);
    assert.deepEqual([r.json.expired, r.json.usable], [true, false]);
    // the 营业执照 without an end date is still fine
    r = await get(company, `/api/v1/licenses/${lic}`);
    assert.deepEqual([r.json.expired, r.json.usable], [false, true]);
  });
});
