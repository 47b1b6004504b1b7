// services.test.js - service hall 2.0 in the browser: the demo citizen books
// a slot on appointments.html (the day's slots, 09:00 at window 1), checks in
// at the kiosk (kiosk/queue.html, by ID number) and gets an A number with its
// estimated wait; the clerk calls it on workbench/hall.html and the hall
// screen (hall/index.html) shows it at window 1, and a walk-in's item with
// its estimated wait; the clerk starts and finishes the visit, linking the
// case accepted there; the citizen rates the visit 不满意 on ratings.html and
// sees the rectification; the XH-SCJ reviewer reports it on
// workbench/consult.html and the citizen sees the outcome; a question asked
// on consult.html gets suggestions while typed and the reviewer's answer
// reaches the citizen's inbox.  The server clock is Monday 2026-09-28 08:30.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, text } from './browser.js';
import { loginUi, DEMO } from './journey.js';

const ITEM = 'SCJ-20-0006'; // 消费者投诉举报受理 (XH-SCJ): the integrated windows serve it

describe('service hall: book, check in, be called, rate, see the rectification; ask and be answered', () => {
  let srv, b;
  before(async () => {
    srv = await startPortal({ clock: '2026-09-28T08:30:00+08:00' });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('the whole visit', async () => {
    // 1 the citizen books 09:00 at window 1
    let page = await b.page();
    // from the item's guide: its 预约 button leads to the booking page for that item
    await loginUi(page, srv, DEMO.citizen, { next: `item.html?code=${ITEM}` });
    const bookLink = page.getByTestId('item-book');
    await bookLink.waitFor();
    assert.match(await bookLink.textContent(), /预约/);
    await bookLink.click();
    await page.waitForURL(new RegExp(`appointments\\.html\\?item=${ITEM}$`));
    await page.locator('#svc-item').waitFor();
    assert.equal(await page.locator('#svc-item').inputValue(), ITEM);
    await page.goto(`${srv.base}/appointments.html?item=${ITEM}&day=2026-09-28`);
    await page.locator('[data-testid=book-form] button[type=submit]').click();
    const slot = page.locator('[data-slot="W01.20260928.0900"]');
    await slot.click();
    assert.equal(await slot.getAttribute('aria-pressed'), 'true');
    await page.getByTestId('book').click();
    await waitText(page, '[data-testid=book-flash]', /预约成功，预约码 YY[A-Z2-9]{10}/);
    await waitText(page, '[data-testid=my-appointments]', /已预约/);
    const code = /YY[A-Z2-9]{10}/.exec(await text(page, '[data-testid=book-flash]'))[0];
    assert.ok(await page.locator(`[data-code="${code}"] a[href$="calendar.ics"]`).count(), 'an .ics link');
    await shot(page, 'services-booked');
    b.assertClean(page);
    await page.close();
    await b.reset();

    // 2 the kiosk: check in by ID number
    page = await b.page();
    await page.goto(`${srv.base}/kiosk/index.html`); // the kiosk's home leads to the numbers
    await page.getByTestId('kiosk-queue').click();
    await page.waitForURL(/kiosk\/queue\.html$/);
    await page.locator('#k-code').fill(DEMO.citizen);
    await page.locator('[data-testid=checkin-form] button[type=submit]').click();
    await waitText(page, '[data-testid=ticket-number]', /^A001$/);
    assert.match(await text(page, '[data-testid=ticket-est]'), /^预计等候约 \d+ 分钟$/, 'the ticket says how long the wait is');
    await shot(page, 'services-kiosk-ticket');
    b.assertClean(page);
    await page.close();

    // 3 the clerk calls it; the hall screen shows it
    page = await b.page();
    await loginUi(page, srv, 'clerk', { next: 'workbench/hall.html?window=W01' });
    await waitText(page, '[data-testid=waiting]', /A001/);
    await page.getByTestId('call-next').click();
    await waitText(page, '[data-testid=current-number]', /^A001$/);
    const screen = await b.page();
    await screen.goto(`${srv.base}/hall/index.html`);
    await waitText(screen, '[data-testid=now-calling]', /请 A001 号到 1号综合窗口 办理/);
    // a walk-in waits: the screen shows the wait per item
    const walkIn = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'SCJ-01-0001' } });
    assert.equal(walkIn.status, 201, walkIn.text);
    await waitText(screen, '[data-testid=item-waits] [data-item="SCJ-01-0001"]', /1 · 预计等候约 \d+ 分钟/);
    await shot(screen, 'services-hall-screen');
    b.assertClean(screen);
    await screen.close();
    await page.locator('[data-action=start]').click();
    await page.locator('#svc-caseno').waitFor();
    await page.locator('#svc-caseno').fill('XH20260928000001');
    await page.locator('[data-action=finish]').click();
    await waitText(page, '[data-testid=current]', /没有正在办理的号码/);
    b.assertClean(page);
    await page.close();
    await b.reset();

    // 4 the citizen rates the visit 不满意
    page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'ratings.html' });
    const visit = page.locator('[data-kind=visit][data-level="0"]').filter({ hasText: '消费者投诉举报受理' });
    await visit.locator('input[value="2"]').check();
    await visit.locator('button[type=submit]').click();
    const rated = page.locator('[data-kind=visit][data-level="2"]').filter({ hasText: '消费者投诉举报受理' });
    await waitText(page, '[data-testid=ratings]', /不满意/);
    assert.match(await rated.locator('[data-testid=rectification]').innerText(), /整改中/);
    b.assertClean(page);
    await page.close();
    await b.reset();

    // 5 the XH-SCJ reviewer reports the rectification
    page = await b.page();
    await loginUi(page, srv, 'reviewer', { next: 'workbench/consult.html' });
    const open = page.locator('[data-testid=rectifications] li').filter({ has: page.locator('form') }).last();
    await open.locator('input').nth(0).fill('属实');
    await open.locator('input').nth(1).fill('已电话致歉');
    await open.locator('input').nth(2).fill('增开一个投诉受理窗口');
    await open.locator('button[type=submit]').first().click();
    await waitText(page, '[data-testid=rectifications]', /增开一个投诉受理窗口/);
    b.assertClean(page);
    await page.close();
    await b.reset();

    // 6 the citizen sees the outcome; asks a question with suggestions
    page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'ratings.html' });
    await waitText(page, '[data-testid=ratings]', /增开一个投诉受理窗口/);
    await page.goto(`${srv.base}/consult.html?item=SCJ-01-0001`);
    await page.locator('#svc-q').fill('电子营业执照');
    await waitText(page, '[data-testid=suggestions]', /电子营业执照/);
    await page.locator('#svc-q').fill('外资企业设立登记需要公证吗？');
    await page.locator('[data-testid=consult-form] button[type=submit]').click();
    await waitText(page, '[data-testid=consult-flash]', /已提交/);
    b.assertClean(page);
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, 'reviewer', { next: 'workbench/consult.html' });
    const q = page.locator('[data-testid=consultations] form').filter({ hasText: '外资企业设立登记需要公证吗' });
    await q.locator('textarea').fill('境外主体资格证明需经公证认证。');
    await q.locator('button[type=submit]').click();
    await page.locator('[data-testid=consultations] form').filter({ hasText: '外资企业设立登记需要公证吗' }).waitFor({ state: 'detached' });
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'index.html' });
    // the header shows how many messages are unread; the inbox lists them
    const unread = Number(await waitText(page, '[data-testid=inbox-unread]', /^\d+$/));
    assert.ok(unread >= 3, `unread ${unread}`);
    await page.goto(`${srv.base}/inbox.html`);
    await waitText(page, '[data-testid=inbox]', /咨询已答复/);
    assert.equal(await text(page, '[data-testid=unread]'), `未读 ${unread}`);
    await waitText(page, '[data-testid=inbox]', /公证认证/);
    await shot(page, 'services-inbox');
    b.assertClean(page);
    await page.close();
  });
});
