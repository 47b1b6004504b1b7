// form_labels.test.js - a service item's form fields labelled in the portal's
// language: the field's label (申请人姓名) in Chinese, its label_en (Applicant
// Name) in English, switched in place.  The demo citizen's apply form for
// 居住证办理 (GAFJ-07-0005) and its confirm step; the guide's form list of
// 企业变更登记 (SCJ-01-0002).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, untranslated } from './browser.js';
import { DEMO, loginUi } from './journey.js';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const ITEM = 'GAFJ-07-0005';
const GUIDE = 'SCJ-01-0002';

describe('service item form labels follow the language', () => {
  let srv, b, item, guide;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    item = (await srv.api('GET', `/api/v1/items/${ITEM}`)).json;
    guide = (await srv.api('GET', `/api/v1/items/${GUIDE}`)).json;
    assert.ok(item.form.every((f) => f.label_en), 'the catalog has English labels');
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  /** The apply form's labels, by field key. */
  function formLabels(page) {
    return page.locator('[data-field] .label-row label').evaluateAll((ls) =>
      Object.fromEntries(ls.map((l) => [l.closest('[data-field]').getAttribute('data-field'), l.textContent.trim()])));
  }
  const of = (k, lang) => item.form.find((f) => f.key === k)[lang === 'en' ? 'label_en' : 'label'];

  test('the apply form of 居住证办理: Chinese labels, English after the switch, and back', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `apply.html?item=${ITEM}` });
    await page.locator('[data-testid=wizard] [data-field=name] label').waitFor();
    let labels = await formLabels(page);
    assert.deepEqual(Object.keys(labels), item.form.map((f) => f.key));
    assert.equal(labels.name, '申请人姓名');
    assert.equal(labels.id_number, '公民身份号码');

    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await waitText(page, '[data-field=name] label', /^Applicant Name$/);
    labels = await formLabels(page);
    for (const [k, v] of Object.entries(labels)) {
      assert.equal(v, of(k, 'en'), `field ${k}`);
      assert.ok(!CJK.test(v), `field ${k} still has Chinese: ${v}`);
    }
    assert.equal(labels.id_number, 'Citizen ID Number');
    assert.equal(labels.birth_date, 'Date of Birth');
    // the English label still names its input
    assert.equal(await page.getByLabel('Applicant Name', { exact: true }).inputValue(), DEMO.citizenName);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'form-labels-en-1280');

    // a reload keeps English; switching back relabels in place
    await page.reload();
    await waitText(page, '[data-field=id_number] label', /^Citizen ID Number$/);
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-field=name] label', /^申请人姓名$/);
    labels = await formLabels(page);
    for (const [k, v] of Object.entries(labels)) assert.equal(v, of(k, 'zh'), `field ${k}`);
    b.assertClean(page);
    await page.close();
  });

  test('the guide of 企业变更登记 lists its form fields in English', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.goto(`${srv.base}/item.html?code=${GUIDE}`);
    const li = page.locator('.form-fields li[data-key=uscc]');
    await li.waitFor();
    assert.match(await li.innerText(), /^Unified Social Credit Code/);
    const texts = await page.locator('.form-fields li[data-key] > span[data-zh]').allInnerTexts();
    assert.deepEqual(texts.map((s) => s.trim()), guide.form.map((f) => f.label_en));
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '.form-fields li[data-key=uscc]', /^统一社会信用代码/);
    b.assertClean(page);
    await page.close();
  });
});
