// license_labels.test.js - an e-license's fields labelled in the portal's
// language: the type's label (统一社会信用代码) in Chinese, its label_en
// (Unified Social Credit Code) in English, switched in place.  The demo
// company's 营业执照 (issued by API, the demo seeds no licenses) in the wallet
// and on its own page; the same license opened with a grant code on the
// public check page; the workbench's issue form for a 营业执照.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { DEMO, loginUi } from './journey.js';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe('e-license field labels follow the language', () => {
  let srv, b, licId, grantCode, lt001;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    lt001 = (await srv.api('GET', '/api/v1/license-types/LT-001')).json;
    const reviewer = await srv.login('reviewer'); /* XH-SCJ issues the 营业执照 */
    let r = await srv.api('POST', '/api/v1/licenses', {
      token: reviewer,
      body: {
        type: 'LT-001', holder_ident: DEMO.company, holder_name: DEMO.companyName,
        fields: { name: DEMO.companyName, uscc: DEMO.company, legal_rep: '王五', registered_capital: '100', address: '上海市徐汇区漕溪北路336号', established: '2019-03-01' },
      },
    });
    assert.equal(r.status, 201, r.text);
    licId = r.json.id;
    const company = await srv.login(DEMO.company);
    r = await srv.api('POST', `/api/v1/licenses/${encodeURIComponent(licId)}/grants`, { token: company, body: { grantee: 'Test Bank', purpose: '开户' } });
    assert.equal(r.status, 201, r.text);
    grantCode = r.json.code;
    assert.ok(grantCode, r.text);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  /** The <dt> labels of a field list, by field key. */
  function dtLabels(page, testid) {
    return page.locator(`[data-testid=${testid}] dt`).evaluateAll((dts) =>
      Object.fromEntries(dts.map((dt) => [dt.nextElementSibling.getAttribute('data-key'), dt.textContent.trim()])));
  }
  const zhOf = (k) => lt001.fields.find((f) => f.key === k).label;
  const enOf = (k) => lt001.fields.find((f) => f.key === k).label_en;

  test('the wallet\'s 营业执照: fields labelled in Chinese, in English after the switch, and back', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'licenses.html' });
    const card = page.locator(`[data-testid=wallet] li[data-license="${licId}"]`);
    await card.locator('a').click();
    await page.waitForURL(/\/license\.html\?id=/);
    await page.locator('[data-testid=lic-fields] dt').first().waitFor();
    let labels = await dtLabels(page, 'lic-fields');
    assert.equal(labels.uscc, '统一社会信用代码');
    assert.equal(labels.legal_rep, '法定代表人');
    assert.equal(labels.registered_capital, '注册资本（万元）');

    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await waitText(page, '[data-testid=lic-fields]', /Unified Social Credit Code/);
    labels = await dtLabels(page, 'lic-fields');
    assert.deepEqual(Object.keys(labels).sort(), ['address', 'established', 'legal_rep', 'name', 'registered_capital', 'uscc']);
    for (const [k, v] of Object.entries(labels)) {
      assert.equal(v, enOf(k), `field ${k}`);
      assert.ok(!CJK.test(v), `field ${k} still has Chinese: ${v}`);
    }
    assert.equal(labels.uscc, 'Unified Social Credit Code');
    assert.equal(labels.legal_rep, 'Legal Representative');
    assert.equal(labels.registered_capital, 'Registered Capital (10,000 CNY)');
    assert.equal(labels.address, 'Domicile');
    assert.equal(labels.established, 'Date of Establishment');
    assert.equal(await text(page, '[data-testid=lic-title]'), 'Business License');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'license-labels-en-1280');

    // a reload keeps English; switching back relabels in place
    await page.reload();
    await waitText(page, '[data-testid=lic-fields]', /Legal Representative/);
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=lic-fields]', /统一社会信用代码/);
    labels = await dtLabels(page, 'lic-fields');
    for (const [k, v] of Object.entries(labels)) assert.equal(v, zhOf(k), `field ${k}`);
    b.assertClean(page);
    await page.close();
  });

  test('the public check page: the license opened with a grant code, in English', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.goto(`${srv.base}/verify.html?grant=${encodeURIComponent(grantCode)}`);
    await page.locator('[data-testid=grant-fields] dt').first().waitFor();
    const labels = await dtLabels(page, 'grant-fields');
    assert.equal(labels.uscc, 'Unified Social Credit Code');
    assert.equal(labels.legal_rep, 'Legal Representative');
    for (const [k, v] of Object.entries(labels)) assert.ok(!CJK.test(v), `field ${k} still has Chinese: ${v}`);
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=grant-fields]', /法定代表人/);
    assert.equal((await dtLabels(page, 'grant-fields')).uscc, '统一社会信用代码');
    b.assertClean(page);
    await page.close();
  });

  test('the workbench\'s issue form labels the type\'s fields in both languages', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'reviewer', { next: 'workbench/licenses.html?issue=1&type=LT-001' });
    const label = page.locator('[data-testid=type-fields] [data-field=uscc] label');
    await label.waitFor();
    assert.equal((await label.innerText()).trim(), '统一社会信用代码');
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=type-fields] [data-field=uscc] label', /^Unified Social Credit Code$/);
    const all = await page.locator('[data-testid=type-fields] label').allInnerTexts();
    assert.deepEqual(all.map((s) => s.trim()), lt001.fields.map((f) => f.label_en));
    // the label still names its input
    await page.getByLabel('Legal Representative', { exact: true }).fill('王五');
    assert.equal(await page.locator('#if-legal_rep').inputValue(), '王五');
    await shot(page, 'license-issue-form-en-1280');
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=type-fields] [data-field=uscc] label', /^统一社会信用代码$/);
    b.assertClean(page);
    await page.close();
  });
});
