// status.test.js - what needs no login and the citizen's password: the kiosk
// in the hall (查询办件 by case number and ID number on the on-screen keypad,
// then the printable status sheet), the public status page the notices' QR
// codes lead to (status.html?case_no=), and changing the password on my
// account, which ends the account's other sessions.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, assertNoSideScroll, badCheck, idNumber } from './browser.js';
import { DEMO, loginUi, applyApi, fetchWithPage } from './journey.js';

const ITEM = 'GAFJ-07-0005';
const KIOSK = { width: 1280, height: 1024 };
/* a valid ID number that is not the applicant's */
const SOMEONE = idNumber('31010419900101123');

describe('the kiosk, the public status page and a password change', () => {
  let srv;
  let b;
  let k;

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    // a case of the demo citizen, accepted by the window
    const token = await srv.login(DEMO.citizen);
    k = await applyApi(srv, token, ITEM);
    const clerk = await srv.login('clerk');
    const r = await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: clerk, body: {} });
    assert.equal(r.status, 200, r.text);
    k = r.json;
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('kiosk: the case number on the keypad, the ID number by keyboard, the status, then the status sheet PDF', async () => {
    const page = await b.page(KIOSK);
    await page.goto(`${srv.base}/kiosk/index.html`);
    assert.equal(await text(page, '.k-title'), '请选择服务');
    await shot(page, 'kiosk-home-1280');
    await page.getByTestId('kiosk-query').click();
    const caseNo = page.getByTestId('kiosk-case-no');
    await caseNo.waitFor();
    // tap XH, then the digits
    await page.locator('[data-key=XH]').click();
    for (const d of k.case_no.slice(2)) await page.locator(`.k-keypad [data-key="${d}"]`).click();
    assert.equal(await caseNo.inputValue(), k.case_no);
    // a mistyped digit, taken back with 退格
    await page.getByTestId('kiosk-ident').click();
    await page.keyboard.type(DEMO.citizen.slice(0, 17));
    await page.locator('[data-key="9"]').click();
    await page.locator('[data-key=back]').click();
    await page.keyboard.type(DEMO.citizen.slice(17));
    assert.equal(await page.getByTestId('kiosk-ident').inputValue(), DEMO.citizen);
    await shot(page, 'kiosk-form-1280');

    // another person's number: nothing is shown
    const other = badCheck(DEMO.citizen);
    await page.locator('[data-key=clear]').click();
    await page.keyboard.type(other);
    await page.getByTestId('kiosk-go').click();
    await waitText(page, '[data-testid=kiosk-error]', /请填写正确的18位身份证号码|没有找到该办件/);
    await page.getByTestId('kiosk-ident').click();
    await page.locator('[data-key=clear]').click();
    await page.keyboard.type(SOMEONE);
    await page.getByTestId('kiosk-go').click();
    await waitText(page, '[data-testid=kiosk-error]', /没有找到该办件/);

    await page.getByTestId('kiosk-ident').click();
    await page.locator('[data-key=clear]').click();
    await page.keyboard.type(DEMO.citizen);
    await page.getByTestId('kiosk-go').click();
    await page.getByTestId('kiosk-result').waitFor();
    assert.equal(await text(page, '[data-testid=kiosk-result-no]'), k.case_no);
    assert.equal(await text(page, '[data-testid=kiosk-result-title]'), '居住证办理');
    assert.equal(await text(page, '[data-testid=kiosk-status]'), '审查中');
    const steps = await text(page, '[data-testid=steps]');
    assert.match(steps, /提交申请/);
    assert.match(steps, /受理/);
    assert.doesNotMatch(await text(page, '[data-testid=kiosk-result]'), /张小明|王窗口/, 'no names on a public screen');
    assert.match(await text(page, '.k-clock'), new RegExp(`剩余 \\d+ 个工作日\\s*截止 ${k.clock.due_date}`));
    await shot(page, 'kiosk-result-1280');

    // 打印: the status sheet
    const link = page.getByTestId('kiosk-pdf');
    assert.equal(await link.getAttribute('href'), `/api/v1/public/case-status.pdf?case_no=${k.case_no}&id_number=${DEMO.citizen}`);
    const response = page.context().waitForEvent('response', (r) => r.url().includes('/api/v1/public/case-status.pdf'));
    await link.click();
    const res = await response;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdf = await fetchWithPage(page, `${srv.base}${await link.getAttribute('href')}`);
    assert.equal(pdf.head.slice(0, 5), '%PDF-');
    for (const p of page.context().pages()) if (p !== page) await p.close();

    // back to the start: nothing of this person is left on the screen
    await page.getByTestId('kiosk-home').click();
    assert.equal(await text(page, '.k-title'), '请选择服务');
    await page.getByTestId('kiosk-print').click();
    assert.equal(await page.getByTestId('kiosk-case-no').inputValue(), '');
    assert.equal(await text(page, '[data-testid=kiosk-go]'), '查询并打印');

    // English
    await page.getByTestId('lang-toggle').click();
    assert.equal(await text(page, '[data-testid=kiosk-go]'), 'Check and print');
    assert.deepEqual(await untranslated(page), []);
    await page.getByTestId('lang-toggle').click();
    b.assertClean(page);
    await page.close();
  });

  test('status.html: the public query by case number and ID number, no login', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/status.html?case_no=${k.case_no}`);
    assert.equal(await page.getByLabel('办件编号').inputValue(), k.case_no);
    // a number that is not an ID number is caught in the page
    await page.getByLabel('身份证号码或统一社会信用代码').fill('12345');
    await page.getByRole('button', { name: '查询' }).click();
    await waitText(page, '#q-ident-error', /请填写正确的18位身份证号码或统一社会信用代码/);
    // a valid number of someone else: the same answer as an unknown case
    await page.getByLabel('身份证号码或统一社会信用代码').fill(SOMEONE);
    await page.getByRole('button', { name: '查询' }).click();
    await waitText(page, '#status-alert', /没有找到该办件/);
    // the applicant's number, with stray spaces around it
    await page.getByLabel('身份证号码或统一社会信用代码').fill(` ${DEMO.citizen} `);
    await page.getByRole('button', { name: '查询' }).click();
    await waitText(page, '[data-testid=status-title]', /居住证办理/);
    assert.equal(await page.locator('#status-alert').textContent(), '', 'the earlier error is gone');
    assert.equal(await text(page, '[data-testid=status-case-no]'), k.case_no);
    assert.equal(await text(page, '[data-testid=status-status]'), '审查中');
    const steps = await page.locator('[data-testid=steps] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(steps, ['case.submit', 'case.accept']);
    // the acceptance names the window's department; the applicant's own step names none
    const depts = await page.locator('[data-testid=steps] li').evaluateAll((els) => els.map((e) => e.querySelector('[data-testid=step-dept]')?.textContent || ''));
    assert.equal(depts[0], '');
    assert.match(depts[1], /行政服务中心/);
    assert.match(await text(page, '[data-testid=clock-box]'), new RegExp(k.clock.due_date));
    assert.equal(await page.getAttribute('[data-testid=clock-box]', 'data-light'), 'green');
    assert.doesNotMatch(await text(page, '[data-testid=status-result]'), /张小明|王窗口/, 'nothing personal');
    const sheet = await fetchWithPage(page, `${srv.base}${await page.getByTestId('status-pdf').getAttribute('href')}`);
    assert.equal(sheet.type, 'application/pdf');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'status-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'status-360');
    b.assertClean(page);
    await page.close();
  });

  test('my account: change the password; the other session ends, the new password works', async () => {
    await b.reset();
    const other = await srv.login(DEMO.citizen);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: other })).status, 200);
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen);
    await page.waitForURL(/\/me\.html$/);
    const panel = page.getByTestId('password-panel');
    await panel.waitFor();
    // checked in the page first
    await panel.getByLabel('当前密码').fill(DEMO.password);
    await panel.getByLabel('新密码', { exact: true }).fill('short');
    await panel.getByLabel('确认新密码').fill('short');
    await panel.getByRole('button', { name: '修改密码' }).click();
    await waitText(page, '#pw-new_password-error', /密码至少8位/);
    // the server's word on a wrong current password
    await panel.getByLabel('当前密码').fill('Wrong@2026');
    await panel.getByLabel('新密码', { exact: true }).fill('Xuhui@2027');
    await panel.getByLabel('确认新密码').fill('Xuhui@2027');
    await panel.getByRole('button', { name: '修改密码' }).click();
    await waitText(page, '#pw-old_password-error', /当前密码不正确/);
    await panel.getByLabel('当前密码').fill(DEMO.password);
    await panel.getByRole('button', { name: '修改密码' }).click();
    await waitText(page, '#pw-alert', /密码已修改，其他设备上的登录已退出/);
    await shot(page, 'me-password-1280');
    // this session goes on, the other one ended
    assert.equal((await srv.api('GET', '/api/v1/me', { token: other })).status, 401);
    await page.goto(`${srv.base}/cases.html`);
    await page.locator(`.case-row[data-case="${k.case_no}"]`).waitFor();
    assert.equal((await srv.loginResponse(DEMO.citizen, DEMO.password)).status, 401);
    assert.equal((await srv.loginResponse(DEMO.citizen, 'Xuhui@2027')).status, 200);
    await page.setViewportSize(PHONE);
    await page.goto(`${srv.base}/me.html`);
    await page.getByTestId('password-panel').waitFor();
    await assertNoSideScroll(page);
    await shot(page, 'me-password-360');
    b.assertClean(page);
    await page.close();
  });
});
