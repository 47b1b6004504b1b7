// selfservice.test.js - the 24-hour self-service hall in the browser, with
// two browser contexts (two cookie jars): the kiosk (kiosk/self.html at a
// kiosk's screen size) shows a QR login; the demo citizen's phone, logged in
// to the portal, opens the link the QR carries (kiosklogin.html) and
// confirms; the kiosk greets the citizen with their cases; 离开 logs out and
// clears the screen, and the kiosk's session is gone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, PHONE } from './browser.js';
import { loginUi, applyApi, uploadApi, DEMO } from './journey.js';
import { fillForm } from '../api/world.js';
import { eventually } from '../api/eventually.js';

const ITEM = 'GAFJ-07-0005'; // an item the demo citizen applies for with no form (as status.test.js)
const KIOSK_SCREEN = { width: 1080, height: 1920 };

describe('self-service hall: QR login from the phone', () => {
  let srv, kioskB, phoneB;
  before(async () => {
    srv = await startPortal();
    kioskB = await openBrowser({ viewport: KIOSK_SCREEN });
    phoneB = await openBrowser({ viewport: PHONE });
  });
  after(async () => {
    await kioskB?.close();
    await phoneB?.close();
    await srv?.close();
  });

  test('scan, confirm on the phone, the kiosk signs in; leaving clears it', async () => {
    const mine = await applyApi(srv, await srv.login(DEMO.citizen), ITEM); // a case the kiosk will list
    const kiosk = await kioskB.page();
    await kiosk.goto(`${srv.base}/kiosk/self.html?kiosk=K07`);
    await kiosk.getByTestId('ss-login').click();
    const qr = kiosk.getByTestId('ss-qr');
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loaded');
    const url = await qr.getAttribute('data-url');
    assert.match(url, /\/kiosklogin\.html\?c=[A-Za-z0-9_-]{20,}$/);
    await shot(kiosk, 'selfservice-kiosk-qr');

    const phone = await phoneB.page();
    const next = url.replace(/^https?:\/\/[^/]+\//, '');
    await loginUi(phone, srv, DEMO.citizen, { next });
    await waitText(phone, '[data-testid=ss-confirm-kiosk]', /K07/);
    await phone.getByTestId('ss-confirm').click();
    await waitText(phone, '[data-testid=ss-confirm-result]', /已确认/);
    await shot(phone, 'selfservice-phone-confirmed');
    phoneB.assertClean(phone);

    await waitText(kiosk, '[data-testid=ss-hello]', new RegExp(DEMO.citizenName));
    await waitText(kiosk, '[data-testid=ss-cases]', new RegExp(mine.case_no));
    const cookies = await kioskB.context.cookies();
    assert.ok(cookies.some((c) => c.name === 'ywtb_in' && c.value === '1'), 'the marker cookie of a login');
    assert.ok(cookies.some((c) => c.name === 'ywtb_session' && c.httpOnly), 'an HttpOnly session cookie');
    await shot(kiosk, 'selfservice-kiosk-signed-in');

    await kiosk.getByTestId('ss-leave').click();
    await kiosk.getByTestId('ss-login').waitFor();
    const me = await kiosk.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401, 'the kiosk session ended');
    kioskB.assertClean(kiosk);
  });
});

describe('self-service hall: a result mailed, another collected from a locker', () => {
  let srv, b, company, clerk;

  /** An approved 企业设立登记 of the demo company (through the API): its case number. */
  async function approvedCase(name) {
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required')) {
      materials.push({ material_code: m.code, file_id: await uploadApi(srv, company, m.code) });
    }
    let r = await srv.api('POST', '/api/v1/cases', {
      token: company,
      body: { item_code: 'SCJ-01-0001', form: fillForm(item, { proposed_name: name, legal_rep_name: '张小明', legal_rep_id: DEMO.citizen, registered_capital: 100 }), materials },
    });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    r = await srv.api('POST', `/api/v1/cases/${no}/accept`, { token: clerk, body: { note: '材料齐全' } });
    assert.equal(r.status, 200, r.text);
    const task = r.json.tasks.find((t) => t.dept === 'XH-SCJ' && t.status === 'pending');
    r = await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: await srv.login('reviewer'), body: { decision: 'approve', opinion: '准予' } });
    assert.equal(r.json.status, 'approved', r.text);
    // the delivery row follows the approval after its commit (an after-commit subscriber)
    await eventually(async () => assert.equal((await srv.api('GET', `/api/v1/deliveries/${no}`, { token: company })).status, 200));
    return no;
  }

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    company = await srv.login(DEMO.company);
    clerk = await srv.login('clerk');
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('mail: the company chooses it on delivery.html, the clerk mails it, the company sees the tracking number', async () => {
    const no = await approvedCase('上海徐汇邮寄浏览器科技有限公司');
    let page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'delivery.html' });
    const sec = page.locator(`[data-testid=ss-delivery][data-case="${no}"]`);
    await sec.getByTestId('ss-m-mail').check();
    await sec.getByTestId('ss-recipient').fill('张小明');
    await sec.getByTestId('ss-phone').fill('13912345678');
    await sec.getByTestId('ss-address').fill('上海市徐汇区虹桥路1号');
    await sec.getByTestId('ss-save').click();
    await waitText(page, `[data-case="${no}"] [data-testid=ss-state]`, /邮寄送达 · 待领取/);
    b.assertClean(page);
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, 'clerk', { next: 'workbench/delivery.html' });
    const row = page.locator(`[data-testid=ss-w-todo] tr[data-case="${no}"]`);
    await row.getByTestId('ss-w-tracking').fill('EA123456789CN');
    await row.getByTestId('ss-w-ship').click();
    await waitText(page, '[data-testid=ss-w-flash]', new RegExp(`${no}: 已寄出`));
    await shot(page, 'selfservice-workbench-mailed');
    b.assertClean(page);
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'delivery.html' });
    await waitText(page, `[data-case="${no}"] [data-testid=ss-state]`, /已寄出 · EMS 运单号 EA123456789CN/);
    await shot(page, 'selfservice-delivery-tracking');
    b.assertClean(page);
    await page.close();
    await b.reset();
  });

  test('locker: the company gets the code on its delivery page, the code opens the compartment at the kiosk, once', async () => {
    const no = await approvedCase('上海徐汇取件浏览器科技有限公司');
    let r = await srv.api('PUT', `/api/v1/deliveries/${no}/choice`, { token: company, body: { method: 'locker' } });
    assert.equal(r.status, 200, r.text);
    r = await srv.api('POST', `/api/v1/deliveries/${no}/locker`, { token: clerk, body: { locker: 'G01' } });
    assert.equal(r.status, 200, r.text);
    const compartment = r.json.delivery.compartment;
    const msg = await eventually(async () => {
      const m = (await srv.api('GET', '/api/v1/me/inbox', { token: company })).json.items.find((x) => x.template === 'delivery.locker_ready' && x.body.includes(no));
      assert.ok(m, 'the message follows the notice after its commit');
      return m;
    });
    assert.doesNotMatch(msg.body, /取件码\s*\d{6}/, 'the message points to the page, it carries no code');
    const own = await b.page();
    await loginUi(own, srv, DEMO.company, { next: `delivery.html?case=${no}` });
    const sec = own.locator(`[data-testid=ss-delivery][data-case="${no}"]`);
    await sec.getByTestId('ss-getcode').click();
    await waitText(own, `[data-case="${no}"] [data-testid=ss-code-digits]`, /^\d{6}$/);
    const code = (await sec.getByTestId('ss-code-digits').textContent()).trim();
    await shot(own, 'selfservice-delivery-code');
    b.assertClean(own);
    await own.close();
    await b.reset();

    const page = await b.page({ width: 1080, height: 1920 });
    await page.goto(`${srv.base}/kiosk/self.html`);
    await page.getByTestId('ss-pickup').click();
    for (const d of code) await page.locator(`[data-testid=ss-keypad] [data-key="${d}"]`).click();
    assert.equal(await page.getByTestId('ss-code').inputValue(), code);
    await page.getByTestId('ss-open').click();
    await waitText(page, '[data-testid=ss-pickup-result]', new RegExp(`请到取件柜 G01 第 ${compartment} 格取件（办件 ${no}）`));
    await shot(page, 'selfservice-kiosk-pickup');
    for (const d of code) await page.locator(`[data-testid=ss-keypad] [data-key="${d}"]`).click();
    await page.getByTestId('ss-open').click();
    await waitText(page, '[data-testid=ss-pickup-result]', /取件码不正确/);
    b.assertClean(page);
    r = await srv.api('GET', `/api/v1/deliveries/${no}`, { token: company });
    assert.equal(r.json.delivery.status, 'done');
  });
});
