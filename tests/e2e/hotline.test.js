// hotline.test.js - the 12345 pages in a browser: a hotline operator takes a
// call on the workbench (caller, callback number, category, content, place)
// and dispatches it; the department (建管委, rev.jsglw) signs for it and
// answers; the operator closes it, calls back and records the caller's
// rating.  And the public reporting page: an anonymous report with a callback
// number gets its order number, which with that number shows its progress; a
// logged-in citizen sees their own reports.  And a grid worker's event with
// photos through the whole GB/T 30428 loop: report, open, dispatch, handle
// with an after-photo, check on site, close.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { DEMO, loginUi } from './journey.js';
import { png } from '../api/file_fixtures.js';

describe('12345 work orders in the browser', () => {
  let srv, b;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  async function logout(page) {
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login\.html/);
  }
  /** Take the action whose form has this test id, and wait for the order's new status. */
  async function act(page, testid, status, fill = {}) {
    const form = page.getByTestId(testid);
    for (const [name, value] of Object.entries(fill)) {
      const el = form.locator(`[name=${name}]`);
      if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
      else await el.fill(value);
    }
    await form.locator('button[type=submit]').click();
    await page.locator(`[data-testid=hl-order][data-status=${status}]`).waitFor();
  }

  test('an operator takes a call and dispatches it; the department signs and answers; closed, called back, rated', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'hotline', { next: 'workbench/hotline.html' });
    const form = page.getByTestId('hl-intake');
    await form.waitFor();
    await form.locator('[name=caller_name]').fill('刘先生');
    await form.locator('[name=caller_phone]').fill('13812345678');
    await form.locator('[name=category]').selectOption('HL-101');
    await form.locator('[name=content]').fill('人行道地砖松动，老人险些绊倒');
    await form.locator('[name=address]').fill('徐汇区肇嘉浜路 500 号');
    await form.locator('[name=lat]').fill('31.2010');
    await form.locator('[name=lng]').fill('121.4520');
    await form.getByTestId('hl-intake-submit').click();
    await page.locator('[data-testid=hl-order][data-status=received]').waitFor();
    const no = await page.getByTestId('hl-order').getAttribute('data-order');
    assert.match(no, /^HL\d{14}$/);
    assert.equal(await text(page, '[data-testid=hl-phone]'), '13812345678', 'the centre sees the whole number');
    await shot(page, 'hotline-received-1280');
    await act(page, 'hl-act-dispatch', 'dispatched'); // the category's department: 建管委
    assert.match(await text(page, 'main'), /上海市徐汇区建设和管理委员会/);
    await logout(page);

    await loginUi(page, srv, 'rev.jsglw', { next: `workbench/hotline.html?no=${no}` });
    await page.locator('[data-testid=hl-order][data-status=dispatched]').waitFor();
    assert.equal(await text(page, '[data-testid=hl-phone]'), '138****5678', 'masked for the department');
    await act(page, 'hl-act-sign', 'signed');
    await act(page, 'hl-act-answer', 'answered', { answer: '已更换松动地砖并设置警示' });
    await waitText(page, '[data-testid=hl-answer]', /已更换松动地砖/);
    await logout(page);

    await loginUi(page, srv, 'hotline', { next: `workbench/hotline.html?no=${no}` });
    await page.locator('[data-testid=hl-order][data-status=answered]').waitFor();
    await act(page, 'hl-act-close', 'closed');
    await act(page, 'hl-act-callback', 'visited', { note: '来电人确认已修复' });
    await act(page, 'hl-act-rate', 'rated', { rating: '5' });
    const steps = await page.locator('[data-testid=hl-steps] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    assert.deepEqual(steps, ['intake', 'dispatch', 'sign', 'answer', 'close', 'callback', 'rate']);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'hotline-rated-1280');
    await page.getByTestId('lang-toggle').click();
    await waitText(page, '[data-testid=hl-steps]', /Called back/);
    b.assertClean(page);
  });

  test('the public page: an anonymous report with a callback number, then its progress by that number', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/hotline.html`);
    const form = page.getByTestId('hl-report');
    await form.waitFor();
    await form.locator('[name=category]').selectOption('HL-103');
    await form.locator('[name=content]').fill('小区门口垃圾三天未清运');
    await form.getByTestId('hl-submit').click();
    await waitText(page, '[data-testid=error-caller_phone]', /./); // anonymous: the number is needed
    await form.locator('[name=caller_phone]').fill('13900001111');
    await form.locator('[name=lat]').fill('39.9');
    await form.locator('[name=lng]').fill('116.4');
    await form.getByTestId('hl-submit').click();
    await waitText(page, '[data-testid=error-lat]', /徐汇|Xuhui/); // outside the district
    await form.locator('[name=lat]').fill('31.189');
    await form.locator('[name=lng]').fill('121.437');
    await form.getByTestId('hl-submit').click();
    const done = page.getByTestId('hl-submitted');
    await done.waitFor();
    const no = await done.getAttribute('data-order');
    assert.match(no, /^HL\d{14}$/);
    await shot(page, 'hotline-public-1280');

    const look = page.getByTestId('hl-lookup');
    await look.locator('[name=order_no]').fill(no);
    await look.locator('[name=phone]').fill('13900002222');
    await look.locator('button[type=submit]').click();
    await waitText(page, '#hl-lookup-alert', /没有找到/);
    await look.locator('[name=phone]').fill('13900001111');
    await look.locator('button[type=submit]').click();
    await page.locator(`[data-testid=hl-lookup-result] [data-order="${no}"]`).waitFor();
    assert.match(await text(page, '[data-testid=hl-lookup-result]'), /小区门口垃圾/);
    b.assertClean(page);
  });

  test('a logged-in citizen reports as themselves and finds it under 我的诉求', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'hotline.html' });
    const form = page.getByTestId('hl-report');
    await form.waitFor();
    await form.locator('[name=category]').selectOption('HL-105');
    await form.locator('[name=content]').fill('夜间施工噪声扰民');
    await form.getByTestId('hl-submit').click();
    const no = await page.getByTestId('hl-submitted').getAttribute('data-order');
    await page.locator(`[data-testid=hl-mine] [data-order="${no}"]`).waitFor();
    b.assertClean(page);
  });
  test('a grid worker reports an event with a photo; opened, dispatched, handled with a photo, checked, closed', async () => {
    await b.reset();
    const page = await b.page();
    const act = async (testid, status, fill = {}) => {
      const form = page.getByTestId(testid);
      for (const [name, value] of Object.entries(fill)) {
        const el = form.locator(`[name=${name}]`);
        if (name === 'photo') await el.setInputFiles(value);
        else if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
        else await el.fill(value);
      }
      await form.locator('button[type=submit]').click();
      await page.locator(`[data-testid=ge-event][data-status=${status}]`).waitFor();
    };
    await loginUi(page, srv, 'grid', { next: 'workbench/grid.html' });
    const form = page.getByTestId('ge-report');
    await form.waitFor();
    await form.locator('[name=major]').selectOption('市容环境');
    await form.locator('[name=minor]').fill('暴露垃圾');
    await form.locator('[name=description]').fill('漕溪北路人行道旁堆放建筑垃圾');
    await form.locator('[name=photo]').setInputFiles({ name: 'before.png', mimeType: 'image/png', buffer: png(24, 16) });
    await form.locator('[name=lat]').fill('31.1895');
    await form.locator('[name=lng]').fill('121.4372');
    await form.getByTestId('ge-submit').click();
    await page.locator('[data-testid=ge-event][data-status=reported]').waitFor();
    const no = await page.getByTestId('ge-event').getAttribute('data-event');
    assert.match(await text(page, '[data-testid=ge-grid]'), /^310104\d{9}$/, 'placed in its grid');
    assert.ok(await page.locator('[data-testid=ge-photo] img').evaluate((img) => img.complete && img.naturalWidth === 24), 'the photo shows');
    await logout(page);

    await loginUi(page, srv, 'hotline', { next: `workbench/grid.html?no=${no}` });
    await act('ge-act-open', 'opened');
    await act('ge-act-dispatch', 'dispatched', { dept: 'XH-LRJ' });
    await logout(page);

    await loginUi(page, srv, 'rev.lrj', { next: `workbench/grid.html?no=${no}` });
    await page.locator('[data-testid=ge-event][data-status=dispatched]').waitFor();
    assert.ok(await page.locator('[data-testid=ge-photo] img').evaluate((img) => img.complete && img.naturalWidth === 24), 'the department sees the photo');
    await act('ge-act-handle', 'handled', { photo: { name: 'after.png', mimeType: 'image/png', buffer: png(20, 10) }, note: '已清运' });
    await logout(page);

    await loginUi(page, srv, 'grid', { next: `workbench/grid.html?no=${no}` });
    await act('ge-act-verify-ok', 'verified', { note: '现场已清理' });
    await logout(page);
    await loginUi(page, srv, 'hotline', { next: `workbench/grid.html?no=${no}` });
    await act('ge-act-close', 'closed');
    const steps = await page.locator('[data-testid=ge-steps] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
    assert.deepEqual(steps, ['report', 'open', 'dispatch', 'handle', 'verify', 'close']);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'grid-closed-1280');
    b.assertClean(page);
  });
  test('a question answered on the call from the knowledge base, and a duplicate merged', async () => {
    const op = await srv.login('hotline');
    const take = async (body) => (await srv.api('POST', '/api/v1/hotline/orders', { token: op, body: { caller_phone: '13700000009', ...body } })).json.order_no;
    const q = await take({ category: 'HL-001', content: '居住证积分要什么材料' });
    const first = await take({ category: 'HL-103', content: '垃圾桶满了', lat: 31.195, lng: 121.438 });
    const dup = await take({ category: 'HL-103', content: '同一处垃圾桶满了', lat: 31.1952, lng: 121.4381 });
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'hotline', { next: `workbench/hotline.html?no=${q}` });
    const search = page.getByTestId('hl-kb-search');
    await search.locator('[name=q]').fill('积分');
    await search.locator('button[type=submit]').click();
    await page.locator('[data-testid=hl-kb] li[data-kb]').first().locator('button').click();
    assert.match(await page.locator('[data-testid=hl-act-close-on-call] textarea[name=answer]').inputValue(), /居住证/);
    await page.getByTestId('hl-act-close-on-call').locator('button[type=submit]').click();
    await page.locator('[data-testid=hl-order][data-status=closed]').waitFor();

    await page.goto(`${srv.base}/workbench/hotline.html?no=${dup}`);
    await page.locator(`[data-testid=hl-similar] li[data-order="${first}"] button`).click();
    await page.locator('[data-testid=hl-order][data-status=merged]').waitFor();
    assert.deepEqual(await untranslated(page), []);
    b.assertClean(page);
  });
});
