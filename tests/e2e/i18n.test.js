// i18n.test.js - the language switch: English everywhere the portal speaks
// (header, navigation, footer, labels, guide headings, time limits, errors),
// remembered across pages and reloads, switched back to Chinese in place
// without losing what was typed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, idNumber, badCheck } from './browser.js';

const CJK = /[\u3400-\u9fff]/;

describe('switching to English and back', () => {
  let srv;
  let b;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  /** Start a tab in a language (as if chosen earlier). */
  async function tabIn(lang) {
    const page = await b.page();
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate((l) => localStorage.setItem('ywtb.lang', l), lang);
    return page;
  }

  /** The portal's own words (header, navigation, footer) have no Chinese left. */
  async function chromeIsEnglish(page) {
    for (const sel of ['.topbar-gov', '#account-area', '.mainnav', '#site-footer']) {
      const s = await text(page, sel);
      assert.ok(!CJK.test(s), `${sel} still has Chinese: ${s}`);
    }
  }

  test('the dictionary has every key in both languages', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/`);
    const keys = await page.evaluate(async () => {
      const m = await import('/assets/i18n.js');
      return { zh: Object.keys(m.DICT['zh-CN']), en: Object.keys(m.DICT.en) };
    });
    assert.ok(keys.zh.length > 100);
    assert.deepEqual(keys.zh.filter((k) => !keys.en.includes(k)), [], 'keys missing in English');
    assert.deepEqual(keys.en.filter((k) => !keys.zh.includes(k)), [], 'keys missing in Chinese');
    b.assertClean(page);
    await page.close();
  });

  test('switch on the home page; it persists across pages and reloads', async () => {
    const page = await tabIn('zh-CN');
    await page.goto(`${srv.base}/`);
    await page.locator('[data-testid=popular] li').first().waitFor();
    assert.equal(await text(page, '[data-testid=lang-toggle]'), 'English');
    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, '[data-testid=lang-toggle]'), '中文');
    assert.equal(await page.getAttribute('[data-testid=lang-toggle]', 'aria-label'), '切换到中文');
    assert.equal(await text(page, '.brand-name'), 'Xuhui One-Stop Government Services');
    assert.equal(await text(page, 'main h1'), 'Xuhui One-Stop Government Services');
    assert.match(await page.title(), /^Home - Xuhui One-Stop Government Services$/);
    assert.deepEqual(await page.locator('.mainnav a').allInnerTexts(),
      ['Home', 'Individuals', 'Businesses', 'Departments', 'One-thing services', 'My data', 'Open data', 'Book a visit', 'Messages', '12345 Hotline']);
    assert.equal(await page.evaluate(() => localStorage.getItem('ywtb.lang')), 'en');
    assert.equal(await page.getAttribute('#home-q', 'placeholder'), 'Search, e.g. 食品经营许可');
    assert.match(await text(page, '#count-person'), /^\d+ services?$/);
    await chromeIsEnglish(page);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'home-en-1280');

    await page.reload();
    await page.locator('[data-testid=popular] li').first().waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, '.mainnav a[aria-current=page]'), 'Home');

    // departments with English names
    const depts = (await srv.api('GET', '/api/v1/departments')).json.items;
    await page.goto(`${srv.base}/depts.html`);
    await page.locator('[data-testid=depts] h2').first().waitFor();
    assert.deepEqual(await page.locator('[data-testid=depts] h2').allInnerTexts(), depts.map((d) => d.name_en || d.name));
    await chromeIsEnglish(page);
    b.assertClean(page);
    await page.close();
  });

  test('a guide in English: headings, time limits, the materials table', async () => {
    const page = await tabIn('en');
    const list = (await srv.api('GET', '/api/v1/items?limit=100')).json.items;
    let item = null;
    for (const it of list) {
      const full = (await srv.api('GET', `/api/v1/items/${it.code}`)).json;
      if (full.materials.length && full.promised_days > 1) {
        item = full;
        break;
      }
    }
    assert.ok(item, 'an item with materials and a promised time');
    await page.goto(`${srv.base}/item.html?code=${encodeURIComponent(item.code)}`);
    await page.locator('[data-testid=item-name]').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, '#s-materials-title'), 'Materials');
    assert.equal(await text(page, '[data-testid=promised-days] dt'), 'Promised time limit');
    assert.match(await text(page, '[data-testid=promised-days] dd'), new RegExp(`^${item.promised_days} working days`));
    assert.deepEqual(await page.locator('[data-testid=materials] thead th').allInnerTexts(),
      ['No.', 'Material', 'Required', 'Form', 'Copies', 'E-licence']);
    const req = await page.locator('[data-testid=materials] tbody td:nth-child(3)').allInnerTexts();
    assert.deepEqual(req, item.materials.map((m) => (m.required === 'required' ? 'Required' : 'If applicable')));
    // the catalog's English name (issue 15); the materials' where they have one
    assert.equal(await text(page, '[data-testid=item-name]'), item.name_en || item.name, 'the item in English');
    const names = await page.locator('[data-testid=materials] tbody .mat-name > span[data-zh]').allInnerTexts();
    assert.deepEqual(names, item.materials.map((m) => m.name_en || m.name));
    await chromeIsEnglish(page);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'item-en-1280');
    b.assertClean(page);
    await page.close();
  });

  test('errors in English; switching back to Chinese keeps the typed values', async () => {
    const page = await tabIn('en');
    await page.goto(`${srv.base}/register.html`);
    const form = page.locator('#form-person');
    const id = page.locator('#p-id_number');
    assert.equal(await text(page, 'label[for=p-id_number]'), 'Resident ID number');
    await form.getByLabel('Name', { exact: true }).fill('赵英文');
    const bad = badCheck(idNumber('31010420000101001'));
    await id.fill(bad);
    assert.equal(await waitText(page, '#p-id_number-error', /check character/), 'The check character does not match: a digit may be mistyped.');
    assert.equal(await text(page, '#tab-enterprise'), 'Business');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'register-en-1280');

    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await text(page, '#p-id_number-error'), '身份证号码校验位不正确，可能有数字输错，请核对。');
    assert.equal(await id.inputValue(), bad);
    assert.equal(await form.getByLabel('姓名', { exact: true }).inputValue(), '赵英文');
    assert.equal(await text(page, '#tab-enterprise'), '企业注册');
    assert.deepEqual(await page.locator('.mainnav a').allInnerTexts(), ['首页', '个人办事', '法人办事', '部门服务', '一件事', '我的数据', '数据开放', '预约办事', '消息', '12345 诉求']);
    assert.match(await page.title(), /^注册 - 徐汇区一网通办$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('ywtb.lang')), 'zh-CN');
    assert.deepEqual(await untranslated(page), []);

    await page.goto(`${srv.base}/login.html`);
    assert.equal(await text(page, 'main h1'), '登录');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    b.assertClean(page);
    await page.close();
  });
});
