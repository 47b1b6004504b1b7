// selfservice_kiosk.test.js - the kiosk as a full channel in the browser, at
// the kiosk's screen size: the aids (语音朗读 through speechSynthesis - the
// test records what the page asks the browser to say, in Chinese and English;
// 长者模式 makes the text larger), the login by ID number on the on-screen
// keypad with the code the SMS gateway (a local simulator) received, applying
// for 居住证办理 with the same prefilled form as online and the paper
// materials scanned through the kiosk's camera input, printing the receipt
// and the status sheet (each PDF opened in the kiosk's print window, recorded), and leaving, which turns the aids
// off.  The company logs in by scanning the QR code from its phone (a second
// browser), prints its new 营业执照 and opens its locker with the login.
// Then the workbench: the shipping label of a mailed result and the
// locker admin page taking a compartment out of service and back.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, PHONE } from './browser.js';
import { loginUi, uploadApi, pdfFile, fetchWithPage, DEMO } from './journey.js';
import { fillForm } from '../api/world.js';
import { sql } from '../api/selfservice_fixtures.js';

const KIOSK_SCREEN = { width: 1080, height: 1920 };

function smsGateway() {
  const got = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      got.push(JSON.parse(data));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/send`, got, close: () => server.close(),
  })));
}

describe('self-service hall: the kiosk as a full channel', () => {
  let srv, sms, b;
  before(async () => {
    sms = await smsGateway();
    srv = await startPortal({ args: ['--ss-sms-url', sms.url] });
    b = await openBrowser({ viewport: KIOSK_SCREEN });
  });
  after(async () => {
    await b?.close();
    await srv?.close();
    sms?.close();
  });

  test('read aloud and large text, ID number + SMS code, apply with scanned materials, print the receipt, leave', async () => {
    const page = await b.page(KIOSK_SCREEN);
    /* what the page asks the browser to say (the headless browser has no voice) */
    await page.addInitScript(() => {
      window.__spoken = [];
      if (window.speechSynthesis) window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
    });
    await page.goto(`${srv.base}/kiosk/self.html?kiosk=K09`);
    await page.getByTestId('ss-otp-login').waitFor();
    const spoken = () => page.evaluate(() => window.__spoken);
    assert.deepEqual(await spoken(), [], 'read-aloud is off by default');
    await page.getByTestId('ss-speak').click();
    let said = await spoken();
    assert.equal(said.at(-1).lang, 'zh-CN');
    assert.match(said.at(-1).text, /24小时自助服务区/);
    assert.match(said.at(-1).text, /身份证登录/);
    // in English, the next screen is read in English
    await page.getByTestId('lang-toggle').click();
    const from = (await spoken()).length;
    await page.getByTestId('ss-otp-login').click();
    said = (await spoken()).slice(from);
    assert.ok(said.length > 0 && said.every((u) => u.lang === 'en-US'), JSON.stringify(said));
    assert.ok(said.some((u) => /Log in by ID number/.test(u.text)), JSON.stringify(said));
    await page.getByTestId('lang-toggle').click();

    // large text
    const size = () => page.locator('.k-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await size();
    await page.getByTestId('ss-elder').click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
    assert.ok(await size() > before, 'the title grew');
    await shot(page, 'selfservice-kiosk-elder');

    // the ID number on the keypad; the code from the SMS the account's phone got
    for (const d of DEMO.citizen) await page.locator(`[data-testid=ss-keypad] [data-key="${d}"]`).click();
    assert.equal(await page.getByTestId('ss-id').inputValue(), DEMO.citizen);
    await page.getByTestId('ss-otp-send').click();
    await page.getByTestId('ss-otp-code').waitFor();
    assert.equal(sms.got.length, 1);
    assert.equal(sms.got[0].to, '13912345678');
    const code = /验证码为 (\d{6})/.exec(sms.got[0].text)[1];
    for (const d of code) await page.locator(`[data-testid=ss-keypad] [data-key="${d}"]`).click();
    await page.getByTestId('ss-otp-verify').click();
    await waitText(page, '[data-testid=ss-hello]', new RegExp(DEMO.citizenName));

    // apply: the same form, prefilled; the paper materials scanned
    await page.getByTestId('ss-apply-open').click();
    await page.getByTestId('ss-apply-q').fill('居住证');
    await page.getByTestId('ss-apply-search').click();
    await page.locator('[data-testid=ss-apply-items] button[data-code="GAFJ-07-0005"]').click();
    await page.getByTestId('ss-apply-form').waitFor();
    assert.equal(await page.locator('#kf-name').inputValue(), DEMO.citizenName, 'prefilled as online');
    await page.locator('.mat-card[data-state]').first().waitFor();
    const missing = page.locator('.mat-card[data-state=missing] input[type=file]');
    const n = await missing.count();
    assert.ok(n >= 1, 'paper materials to scan');
    assert.equal(await missing.first().getAttribute('capture'), 'environment', 'the scanner is the camera input');
    for (let i = 0; i < n; i++) {
      await page.locator('.mat-card[data-state=missing] input[type=file]').first().setInputFiles(pdfFile(`kiosk scan ${i}`, `scan-${i}.pdf`));
      await page.waitForFunction((left) => document.querySelectorAll('.mat-card[data-state=missing]').length === left, n - i - 1);
    }
    await page.getByTestId('ss-apply-submit').click();
    await page.getByTestId('ss-apply-case').or(page.locator('[data-testid=ss-apply-error]:not(:empty)')).first().waitFor();
    assert.equal(await page.getByTestId('ss-apply-error').count() ? await page.getByTestId('ss-apply-error').textContent() : '', '', 'the application went in');
    await waitText(page, '[data-testid=ss-apply-case]', /^XH\d+/);
    const caseNo = (await page.getByTestId('ss-apply-case').textContent()).trim();
    await shot(page, 'selfservice-kiosk-applied');
    const [printWin] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('ss-print-receipt').click()]);
    await waitText(page, '[data-testid=ss-print-result]', /已发送到打印机/);
    assert.ok(printWin.url().endsWith(`/api/v1/cases/${caseNo}/receipt.pdf`), printWin.url());
    assert.ok(Number(await page.getByTestId('ss-print-result').getAttribute('data-bytes')) > 1000, 'a PDF went to the printer');
    await printWin.close();

    // on the record: the case came in by the kiosk channel, the scans and the print with the kiosk
    const audit = sql(srv, "SELECT action, obj_id, summary FROM audit_log WHERE action LIKE 'kiosk.%' ORDER BY seq");
    assert.match(audit, new RegExp(`kiosk\\.apply\\t${caseNo}\\t.*"kiosk":"K09"`));
    assert.match(audit, new RegExp(`kiosk\\.print\\t${caseNo}\\t.*"what":"notice"`));
    assert.equal((audit.match(/kiosk\.scan\t/g) || []).length, n);
    assert.match(audit, /kiosk\.otp_login/);

    // back on the person's screen: the public status sheet of the new case
    await page.getByTestId('ss-back').or(page.locator('button', { hasText: '返回' })).first().click();
    const row = page.locator(`[data-testid=ss-cases] li[data-case="${caseNo}"]`);
    const [sheet] = await Promise.all([page.waitForEvent('popup'), row.getByTestId('ss-print-status').click()]);
    await waitText(page, '[data-testid=ss-flash]', /已发送到打印机/);
    assert.match(sheet.url(), new RegExp(`/api/v1/public/case-status\\.pdf\\?case_no=${caseNo}&id_number=${DEMO.citizen}$`));
    await sheet.close();
    assert.match(sql(srv, "SELECT summary FROM audit_log WHERE action = 'kiosk.print' ORDER BY seq DESC LIMIT 1"), /"what":"status"/);

    // leaving: logged out, the aids off for the next person
    await page.getByTestId('ss-leave').click();
    await page.getByTestId('ss-login').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
    assert.equal(await page.getByTestId('ss-speak').getAttribute('aria-pressed'), 'false');
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
    b.assertClean(page);
  });

  test('the company logs in by scanning from its phone, prints its new e-license, and opens its locker with the login', async () => {
    const company = await srv.login(DEMO.company);
    const clerk = await srv.login('clerk');
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required')) materials.push({ material_code: m.code, file_id: await uploadApi(srv, company, m.code) });
    let r = await srv.api('POST', '/api/v1/cases', {
      token: company,
      body: { item_code: 'SCJ-01-0001', form: fillForm(item, { proposed_name: '上海徐汇扫码取件科技有限公司', legal_rep_name: '张小明', legal_rep_id: DEMO.citizen, registered_capital: 100 }), materials },
    });
    const no = r.json.case_no;
    r = await srv.api('POST', `/api/v1/cases/${no}/accept`, { token: clerk, body: { note: '材料齐全' } });
    const task = r.json.tasks.find((x) => x.dept === 'XH-SCJ' && x.status === 'pending');
    r = await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: await srv.login('reviewer'), body: { decision: 'approve', opinion: '准予' } });
    assert.equal(r.json.status, 'approved', r.text);
    await srv.api('PUT', `/api/v1/deliveries/${no}/choice`, { token: company, body: { method: 'locker' } });
    r = await srv.api('POST', `/api/v1/deliveries/${no}/locker`, { token: clerk, body: { locker: 'G01' } });
    assert.equal(r.status, 200, r.text);
    const compartment = r.json.delivery.compartment;
    const lic = (await srv.api('GET', '/api/v1/licenses', { token: company })).json.items[0];
    assert.ok(lic, 'the 营业执照 was issued');

    await b.reset();
    const kiosk = await b.page(KIOSK_SCREEN);
    await kiosk.goto(`${srv.base}/kiosk/self.html?kiosk=K10`);
    await kiosk.getByTestId('ss-login').click();
    const url = await kiosk.getByTestId('ss-qr').getAttribute('data-url');
    const phoneB = await openBrowser({ viewport: PHONE });
    try {
      const phone = await phoneB.page();
      await loginUi(phone, srv, DEMO.company, { next: url.replace(/^https?:\/\/[^/]+\//, '') });
      await phone.getByTestId('ss-confirm').click();
      await waitText(phone, '[data-testid=ss-confirm-result]', /已确认/);
      phoneB.assertClean(phone);
    } finally {
      await phoneB.close();
    }
    await waitText(kiosk, '[data-testid=ss-hello]', new RegExp(DEMO.companyName));

    const licRow = kiosk.locator(`[data-testid=ss-licenses] li[data-license="${lic.id}"]`);
    const [win] = await Promise.all([kiosk.waitForEvent('popup'), licRow.getByTestId('ss-print-license').click()]);
    await waitText(kiosk, '[data-testid=ss-flash]', /已发送到打印机/);
    assert.ok(win.url().endsWith(`/api/v1/licenses/${encodeURIComponent(lic.id)}/print.pdf`), win.url());
    await win.close();

    await kiosk.locator(`[data-testid=ss-results] li[data-case="${no}"]`).getByTestId('ss-open-mine').click();
    await waitText(kiosk, '[data-testid=ss-flash]', new RegExp(`请到取件柜 G01 第 ${compartment} 格取件（办件 ${no}）`));
    await shot(kiosk, 'selfservice-kiosk-open-by-login');
    r = await srv.api('GET', `/api/v1/deliveries/${no}`, { token: company });
    assert.equal(r.json.delivery.status, 'done');
    assert.match(sql(srv, `SELECT summary FROM audit_log WHERE action = 'kiosk.print' AND obj_id = '${lic.id}'`), /"kiosk":"K10","ref":"[^"]+","what":"license"/);
    await kiosk.getByTestId('ss-leave').click();
    await kiosk.getByTestId('ss-login').waitFor();
    b.assertClean(kiosk);
  });

  test('workbench: the shipping label of a mailed result, and a compartment out of service and back', async () => {
    const company = await srv.login(DEMO.company);
    const clerk = await srv.login('clerk');
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required')) materials.push({ material_code: m.code, file_id: await uploadApi(srv, company, m.code) });
    let r = await srv.api('POST', '/api/v1/cases', {
      token: company,
      body: { item_code: 'SCJ-01-0001', form: fillForm(item, { proposed_name: '上海徐汇面单浏览器科技有限公司', legal_rep_name: '张小明', legal_rep_id: DEMO.citizen, registered_capital: 100 }), materials },
    });
    const no = r.json.case_no;
    r = await srv.api('POST', `/api/v1/cases/${no}/accept`, { token: clerk, body: { note: '材料齐全' } });
    const task = r.json.tasks.find((x) => x.dept === 'XH-SCJ' && x.status === 'pending');
    r = await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: await srv.login('reviewer'), body: { decision: 'approve', opinion: '准予' } });
    assert.equal(r.json.status, 'approved', r.text);
    r = await srv.api('PUT', `/api/v1/deliveries/${no}/choice`, { token: company, body: { method: 'mail', recipient: '张小明', phone: '13912345678', address: '上海市徐汇区虹桥路1号' } });
    assert.equal(r.status, 200, r.text);

    await b.reset();
    const page = await b.page({ width: 1280, height: 900 });
    await loginUi(page, srv, 'clerk', { next: 'workbench/delivery.html' });
    const label = page.locator(`[data-testid=ss-w-todo] tr[data-case="${no}"] [data-testid=ss-w-label]`);
    const got = await fetchWithPage(page, new URL(await label.getAttribute('href'), srv.base).toString());
    assert.equal(got.status, 200);
    assert.match(got.type, /application\/pdf/);
    assert.equal(got.head.slice(0, 5), '%PDF-');

    await page.getByTestId('ss-w-manage').click();
    const g02 = page.locator('[data-testid=ss-w-locker][data-locker="G02"]');
    await g02.waitFor();
    const slot = g02.locator('li[data-state=free]').first();
    const n = await slot.getAttribute('data-slot');
    await slot.getByTestId('ss-w-disable').click();
    await waitText(page, '[data-testid=ss-w-flash]', /请先填写操作原因/);
    await page.getByTestId('ss-w-reason').fill('门锁故障');
    await g02.locator(`li[data-slot="${n}"]`).getByTestId('ss-w-disable').click();
    await waitText(page, '[data-testid=ss-w-flash]', new RegExp(`G02 第 ${n} 格已停用`));
    assert.equal(await g02.locator(`li[data-slot="${n}"]`).getAttribute('data-state'), 'disabled');
    await shot(page, 'selfservice-workbench-lockers');
    await page.getByTestId('ss-w-reason').fill('已修好');
    await g02.locator(`li[data-slot="${n}"]`).getByTestId('ss-w-enable').click();
    await waitText(page, '[data-testid=ss-w-flash]', new RegExp(`G02 第 ${n} 格已启用`));
    assert.equal(await g02.locator(`li[data-slot="${n}"]`).getAttribute('data-state'), 'free');
    b.assertClean(page);
  });
});
