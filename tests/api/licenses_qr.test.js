// licenses_qr.test.js - GET /api/v1/licenses/{id}/qr.svg: the QR code of a
// license's public check address, drawn by the server (libqrencode) for the
// license page.  A well-formed SVG image of a QR symbol; the holder and staff
// may fetch it, like the license itself: anyone else 404, without login 401.
// (tests/e2e/qr.test.js compares the symbol module for module with
// libqrencode's encoding of the check address.)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { readQrSvg, assertFinderPatterns } from './qr_svg.js';

const COMPANY = '91310104MA1FL8XQ10'; /* the demo company (ywtb seed --demo) */
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const CITIZEN = '310104199003072013'; /* the demo citizen: another holder */

function assertError(r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
}

describe('licenses: the QR code of the check address as SVG', () => {
  let srv, company, citizen, clerk, lic;
  const qr = (id, token) => srv.api('GET', `/api/v1/licenses/${encodeURIComponent(id)}/qr.svg`, { token });

  before(async () => {
    srv = await startServer();
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    const reviewer = await srv.login('reviewer');
    const r = await srv.api('POST', '/api/v1/licenses', {
      token: reviewer,
      body: { type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME, fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明' } },
    });
    assert.equal(r.status, 201, r.text);
    lic = r.json.id;
  });
  after(() => srv?.close());

  test('the holder gets an SVG image of a QR symbol', async () => {
    const r = await qr(lic, company);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'image/svg+xml');
    assert.match(r.headers.get('cache-control'), /private/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(!/<script|on\w+=|href=/i.test(r.text), 'nothing active in the image');
    const { matrix } = readQrSvg(r.text);
    assertFinderPatterns(matrix);
  });

  test('staff get the same code; the license page of another holder is 404; no login is 401', async () => {
    const mine = await qr(lic, company);
    const staff = await qr(lic, clerk);
    assert.equal(staff.status, 200, staff.text);
    assert.equal(staff.text, mine.text, 'one check address, one code');
    assertError(await qr(lic, citizen), 404, 'not_found');
    assertError(await qr(`${lic.slice(0, -1)}X`, company), 404, 'not_found');
    assertError(await qr('no-such-license', clerk), 404, 'not_found');
    assertError(await qr(lic), 401, 'unauthenticated');
    // the owner object answers the same
    assert.equal((await srv.api('GET', `/api/v1/licenses/${lic}`, { token: citizen })).status, 404);
    assert.equal((await srv.api('GET', `/api/v1/licenses/${lic}`)).status, 401);
  });

  test('the code follows the address it was asked under (the Host), like the print', async () => {
    const a = await srv.raw('GET', `/api/v1/licenses/${lic}/qr.svg`, { headers: { Authorization: `Bearer ${company}`, Host: 'ywtb.xuhui.gov.cn' } });
    const b = await srv.raw('GET', `/api/v1/licenses/${lic}/qr.svg`, {
      headers: { Authorization: `Bearer ${company}`, Host: `${'long-'.repeat(15)}ywtb.xuhui.gov.cn` },
    });
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.ok(readQrSvg(b.text).modules > readQrSvg(a.text).modules, 'a longer address needs a larger symbol');
  });
});
