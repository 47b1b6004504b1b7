// catalog_edit.test.js - the workbench's item editor (workbench/items.html,
// issue 21) in a real browser: a department's data officer lists and edits
// its own department's items; the page sends the ETag it read in If-Match, so
// when an administrator saved a newer version in between, the save is refused
// (412) with nothing changed and the page says so in Chinese and in English
// and loads the latest version on request; another department's item is
// refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { loginUi } from './journey.js';

const OWN = 'DSJ-20-0001'; // XH-DSJ, the demo data officer's department
const OTHER = 'SCJ-01-0001'; // XH-SCJ

describe('editing catalog items on the workbench', () => {
  let srv, b, admin;
  const item = async (code) => {
    const r = await srv.api('GET', `/api/v1/items/${code}`);
    assert.equal(r.status, 200, r.text);
    return { doc: r.json, etag: r.headers.get('etag') };
  };

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    admin = await srv.login('admin');
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('a data officer sees its department\'s items and saves one as a new version', async () => {
    const page = await b.page();
    await loginUi(page, srv, 'dataofficer', { next: 'workbench/items.html' });
    await page.waitForURL((u) => u.pathname === '/workbench/items.html');
    await page.locator('[data-testid=wi-items] tbody tr').first().waitFor();
    const own = (await srv.api('GET', '/api/v1/items?dept=XH-DSJ&limit=100')).json.items.map((i) => i.code).sort();
    const rows = (await page.locator('[data-testid=wi-items] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.item))).sort();
    assert.deepEqual(rows, own, 'only the items of its own department');
    assert.match(await text(page, '[data-testid=wi-own-dept]'), /大数据中心/);
    assert.equal(await page.locator('nav.work-nav a[aria-current=page]').getAttribute('href'), 'items.html');
    assert.deepEqual(await untranslated(page), []);

    await page.locator(`tr[data-item="${OWN}"] a`).click();
    await page.waitForURL((u) => u.searchParams.get('code') === OWN);
    const before = await item(OWN);
    await waitText(page, '[data-testid=wi-version]', new RegExp(`第 ${before.doc.version} 版`));
    assert.equal(await page.locator('#wi-hours').inputValue(), before.doc.hours);
    await page.locator('#wi-hours').fill('周一至周五 9:00-17:00（数据专员）');
    await page.locator('[data-testid=wi-save]').click();
    await waitText(page, '[data-testid=wi-ok]', new RegExp(`已保存，当前为第 ${before.doc.version + 1} 版`));
    const after = await item(OWN);
    assert.equal(after.doc.hours, '周一至周五 9:00-17:00（数据专员）');
    assert.equal(after.etag, `"${before.doc.version + 1}"`);
    await waitText(page, '[data-testid=wi-version]', new RegExp(`第 ${before.doc.version + 1} 版`));
    await shot(page, 'work-items-saved');
    b.assertClean(page);
    await page.close();
  });

  test('a save from a copy someone else changed meanwhile is refused with nothing changed, in Chinese and English', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/workbench/items.html?code=${OWN}`);
    const opened = await item(OWN);
    await waitText(page, '[data-testid=wi-version]', new RegExp(`第 ${opened.doc.version} 版`));
    // the administrator saves first, from the current version
    const first = await srv.api('PUT', `/api/v1/items/${OWN}`, {
      token: admin, body: { ...opened.doc, fee: '不收费（管理员修改）' }, headers: { 'If-Match': opened.etag },
    });
    assert.equal(first.status, 200, first.text);
    // the data officer's page still holds the old ETag
    await page.locator('#wi-hours').fill('这条修改不应保存');
    const [put] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/api/v1/items/${OWN}`)),
      page.locator('[data-testid=wi-save]').click(),
    ]);
    assert.equal(put.headers()['if-match'], opened.etag, 'the page sends the ETag it read');
    await waitText(page, '[data-testid=wi-conflict]', new RegExp(`已有他人保存了新的版本（现为第 ${opened.doc.version + 1} 版）`));
    const now = await item(OWN);
    assert.equal(now.doc.fee, '不收费（管理员修改）');
    assert.notEqual(now.doc.hours, '这条修改不应保存', 'nothing of the refused save was stored');
    assert.equal(await page.locator('#wi-hours').inputValue(), '这条修改不应保存', 'what was typed is still there');
    await shot(page, 'work-items-conflict');

    await page.locator('[data-testid=lang-toggle]').click();
    await waitText(page, '[data-testid=wi-conflict]', new RegExp(`Not saved: someone else saved a new version of this item after you opened it \\(it is now version ${opened.doc.version + 1}\\)`));
    assert.match(await text(page, '[data-testid=wi-reload]'), /^Load the latest version$/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'work-items-conflict-en');

    await page.locator('[data-testid=wi-reload]').click();
    await waitText(page, '[data-testid=wi-version]', new RegExp(`Current version: ${opened.doc.version + 1}`));
    assert.equal(await page.locator('#wi-fee').inputValue(), '不收费（管理员修改）');
    assert.equal(await page.locator('[data-testid=wi-conflict]').count(), 0);
    await page.locator('[data-testid=lang-toggle]').click();
    b.assertClean(page);
    await page.close();
  });

  test('another department\'s item: the save is refused and says why', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/workbench/items.html?code=${OTHER}`);
    const before = await item(OTHER);
    await waitText(page, '[data-testid=wi-title]', new RegExp(before.doc.name));
    await page.locator('#wi-hours').fill('不该保存');
    await page.locator('[data-testid=wi-save]').click();
    await waitText(page, '[data-testid=wi-error]', /您无权修改该事项/);
    assert.equal((await item(OTHER)).etag, before.etag);
    b.assertClean(page);
    await page.close();
  });
});
