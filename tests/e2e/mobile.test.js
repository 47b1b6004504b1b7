// mobile.test.js - the portal at phone width (360 x 740): every page fits
// without sideways scrolling, the navigation stays reachable, the materials
// table turns into one labelled card per material, and a citizen can
// register, log in and see the account on a phone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, assertNoSideScroll, idNumber, PHONE } from './browser.js';

const ID = idNumber('31010420010815004'); /* sequence 004: even, female */
const PASSWORD = 'Phone2026pw';

async function allNavOnScreen(page) {
  for (const link of await page.locator('.mainnav a').all()) {
    const box = await link.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${await link.innerText()} is on screen: ${JSON.stringify(box)}`);
  }
}

describe('at phone width (360px)', () => {
  let srv;
  let b;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser({ viewport: PHONE });
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('home: fits, every navigation link is on screen, search works', async () => {
    const page = await b.page(PHONE);
    await page.goto(`${srv.base}/`);
    await page.locator('[data-testid=popular] li').first().waitFor();
    await page.locator('[data-testid=bundles] h3').first().waitFor();
    await assertNoSideScroll(page);
    await allNavOnScreen(page);
    const bundles = await page.locator('[data-testid=bundles] > li').all();
    const first = await bundles[0].boundingBox();
    const second = await bundles[1].boundingBox();
    assert.ok(second.y >= first.y + first.height, 'bundle cards stack in one column');
    await shot(page, 'home-360');

    await page.getByLabel('搜索办事事项').fill('许可');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/search\.html\?q=/);
    await page.locator('[data-testid=results] li').first().waitFor();
    await assertNoSideScroll(page);
    // the filters come first, the results below them
    const filters = await page.locator('form.filters').boundingBox();
    const results = await page.locator('[data-testid=results]').boundingBox();
    assert.ok(results.y > filters.y + filters.height - 1, 'results below the filters');
    // only the keyword shows; audience, department and type fold away until asked for
    assert.equal(await page.locator('details.more-filters').getAttribute('open'), null);
    assert.equal(await page.getByLabel('事项类型').isVisible(), false);
    await page.locator('details.more-filters summary').click();
    assert.equal(await page.getByLabel('事项类型').isVisible(), true);
    await shot(page, 'search-360');
    b.assertClean(page);
    await page.close();
  });

  test('a guide: the materials table becomes labelled cards', async () => {
    const page = await b.page(PHONE);
    const list = (await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('许可')}&limit=20`)).json.items;
    let item = null;
    for (const it of list) {
      const full = (await srv.api('GET', `/api/v1/items/${it.code}`)).json;
      if (full.materials.length >= 2) {
        item = full;
        break;
      }
    }
    assert.ok(item, 'an item with two or more materials');
    await page.goto(`${srv.base}/item.html?code=${encodeURIComponent(item.code)}`);
    await page.locator('[data-testid=materials]').waitFor();
    await assertNoSideScroll(page);
    const head = await page.locator('[data-testid=materials] thead').boundingBox();
    assert.ok(head.width <= 1 && head.height <= 1, `column heads are only for screen readers: ${JSON.stringify(head)}`);
    const rows = page.locator('[data-testid=materials] tbody tr');
    assert.equal(await rows.count(), item.materials.length);
    const label = await rows.first().locator('td').nth(3).evaluate((td) => getComputedStyle(td, '::before').content);
    assert.equal(label, '"材料形式"');
    const number = await rows.nth(1).locator('td.mat-name').evaluate((td) => getComputedStyle(td, '::before').content);
    assert.equal(number, '"2."');
    const a = await rows.nth(0).boundingBox();
    const c = await rows.nth(1).boundingBox();
    assert.ok(c.y >= a.y + a.height, 'one card under the other');
    assert.ok(a.width <= PHONE.width, 'a card fits the screen');
    assert.equal(await text(page, '[data-testid=item-name]'), item.name);
    await shot(page, 'item-guide-360');
    b.assertClean(page);
    await page.close();
  });

  test('register, log in and see the account on a phone', async () => {
    const page = await b.page(PHONE);
    await page.goto(`${srv.base}/register.html`);
    const form = page.locator('#form-person');
    await form.getByLabel('姓名', { exact: true }).fill('钱手机');
    await form.getByLabel('身份证号码', { exact: true }).fill(`${ID.slice(0, 16)}${ID[16] === '4' ? '6' : '4'}${ID[17]}`);
    const err = page.locator('#p-id_number-error');
    await waitText(page, '#p-id_number-error', /校验位不正确/);
    const box = await err.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, 'the error fits on screen');
    await assertNoSideScroll(page);
    await shot(page, 'register-error-360');
    await form.getByLabel('身份证号码', { exact: true }).fill(ID);
    await waitText(page, '#p-id_number-ok', /女，2001-08-15 出生/);
    await form.getByLabel('手机号码').fill('15000001234');
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByRole('button', { name: '注册' }).click();
    await waitText(page, '[data-testid=register-success]', /注册成功/);

    await page.getByRole('link', { name: '立即登录' }).click();
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/me\.html$/);
    await waitText(page, '[data-testid=me-id]', new RegExp(ID));
    assert.match(await text(page, '[data-testid=me-sex]'), /^女/);
    await assertNoSideScroll(page);
    await shot(page, 'me-360');
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/index\.html$/);
    b.assertClean(page);
    await page.close();
  });

  test('English at phone width still fits', async () => {
    const page = await b.page(PHONE);
    await page.goto(`${srv.base}/`);
    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.locator('[data-testid=popular] li').first().waitFor();
    await assertNoSideScroll(page);
    await allNavOnScreen(page);
    await shot(page, 'home-en-360');
    const bundles = (await srv.api('GET', '/api/v1/bundles')).json.items;
    await page.goto(`${srv.base}/bundle.html?code=${encodeURIComponent(bundles[0].code)}`);
    await page.locator('[data-testid=bundle-steps]').waitFor();
    await assertNoSideScroll(page);
    await shot(page, 'bundle-en-360');
    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    b.assertClean(page);
    await page.close();
  });
});
