// form_labels.test.js - a service item's form fields labelled in the portal's
// language: the field's label (申请人姓名) in Chinese, its label_en (Applicant
// Name) in English, switched in place.  The demo citizen's apply form for
// 居住证办理 (GAFJ-07-0005) and its confirm step; the guide's form list of
// 企业变更登记 (SCJ-01-0002).  A choice field's options likewise: the
// <option>'s text is options_en in English, its value stays the Chinese option
// (what is submitted and stored) - the apply form of 社会保障卡补卡换卡
// (RSJ-20-0002), and a stored answer on the case page in English.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, untranslated } from './browser.js';
import { DEMO, loginUi, uploadApi } from './journey.js';

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

  test('a choice field: English option texts, Chinese values; the stored answer shown in English', async () => {
    const CHOICE = 'RSJ-20-0002';
    const spec = (await srv.api('GET', `/api/v1/items/${CHOICE}`)).json;
    const fld = spec.form.find((f) => f.key === 'reissue_reason');
    assert.deepEqual(fld.options, ['遗失', '损毁', '信息有误', '其他']);
    assert.deepEqual(fld.options_en, ['Lost', 'Damaged', 'Incorrect information', 'Other']);
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `apply.html?item=${CHOICE}` });
    const select = page.locator('[data-testid=wizard] select[name=reissue_reason]');
    await select.waitFor();
    const opts = () => select.locator('option').evaluateAll((os) => os.slice(1).map((o) => [o.value, o.textContent.trim()]));
    assert.deepEqual(await opts(), fld.options.map((o) => [o, o]));

    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.querySelector('select[name=reissue_reason] option[value="遗失"]')?.textContent === 'Lost');
    assert.deepEqual(await opts(), fld.options.map((o, i) => [o, fld.options_en[i]]));
    // choosing the English text selects the Chinese value (what is submitted)
    await select.selectOption({ label: 'Damaged' });
    assert.equal(await select.inputValue(), '损毁');
    // a reload keeps English, switching back shows Chinese, the choice stays
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.querySelector('select[name=reissue_reason] option[value="遗失"]')?.textContent === '遗失');
    assert.equal(await select.inputValue(), '损毁');
    assert.deepEqual(await opts(), fld.options.map((o) => [o, o]));

    // a case applied with the Chinese value: stored as is, shown in English on the case page
    const token = await srv.login(DEMO.citizen);
    const materials = [];
    for (const m of spec.materials.filter((x) => x.required === 'required')) materials.push({ material_code: m.code, file_id: await uploadApi(srv, token, m.code) });
    const r = await srv.api('POST', '/api/v1/cases', { token, body: { item_code: CHOICE, form: { reissue_reason: '损毁' }, materials } });
    assert.equal(r.status, 201, r.text);
    const caseNo = r.json.case_no || r.json.no;
    assert.ok(caseNo, r.text);
    const got = await srv.api('GET', `/api/v1/cases/${caseNo}`, { token });
    assert.equal(got.status, 200, got.text);
    assert.equal((got.json.case || got.json).form.reissue_reason, '损毁');
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.goto(`${srv.base}/case.html?no=${caseNo}`);
    await waitText(page, '[data-testid=answers] dd[data-key=reissue_reason]', /^Damaged$/);
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=answers] dd[data-key=reissue_reason]', /^损毁$/);
    b.assertClean(page);
    await page.close();
  });
});
