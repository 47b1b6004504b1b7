// phone.test.js - a citizen verifies their mobile number on "my account" with
// the code a text message brings, then - logged out - forgets the password and
// resets it from the login page with a new code (issue 15): the wrong code is
// named next to the field in the UI's language, the reset logs the citizen
// out everywhere, the new password works; the reset page in English has no
// Chinese left where a person reads, fits a phone, and an anonymous visit does
// not ask for /api/v1/me.  The text messages go to a local SMS gateway.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, untranslated, assertNoSideScroll, PHONE } from './browser.js';
import { DEMO, loginUi } from './journey.js';

const NEW_PASSWORD = 'Phone@2026x';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startSmsGateway() {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push(JSON.parse(body));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/send`, got, close: () => new Promise((r) => server.close(r)) };
}

/** Visible text a person reads in main (labels, buttons, messages) that holds Han characters. */
function chineseLeft(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('main label, main button, main h1, main h2, main p, main a, main summary, main .notice, main .field-error, main dt'))
    .filter((el) => el.offsetParent !== null)
    .map((el) => el.innerText.trim())
    .filter((t) => /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(t)));
}

describe('a citizen verifies the mobile number, then resets a forgotten password by SMS', () => {
  let srv, b, sms;
  let seen = 0;
  async function nextCode() {
    const end = Date.now() + 15000;
    while (sms.got.length <= seen) {
      if (Date.now() > end) throw new Error('no SMS arrived');
      await sleep(50);
    }
    return /(\d{6})/.exec(sms.got[seen++].text)[1];
  }
  const wrong = (code) => String((Number(code) + 1) % 1000000).padStart(6, '0');

  before(async () => {
    sms = await startSmsGateway();
    srv = await startPortal({ clock: '2026-09-28T10:00:00+08:00', args: ['--notify-sms-url', sms.url, '--notify-interval-ms', '100'] });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
    await sms?.close();
  });

  test('my account: send a code, a wrong one is named at the field, the right one verifies', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'me.html' });
    const panel = page.getByTestId('phone-panel');
    await waitText(page, '[data-testid=phone-status]', /未验证/);
    await panel.getByTestId('phone-send').click();
    await waitText(page, '#phone-alert', /验证码已发送到 139\*\*\*\*5678，10 分钟内有效/);
    const code = await nextCode();
    assert.equal(sms.got[0].to, '13912345678');
    // not six digits: stopped in the page
    await panel.getByLabel('短信验证码').fill('12a');
    await panel.getByTestId('phone-confirm').click();
    await waitText(page, '#ph-code-error', /请输入短信中的 6 位数字验证码/);
    // a wrong code: the server's refusal, in Chinese, at the field
    await panel.getByLabel('短信验证码').fill(wrong(code));
    await panel.getByTestId('phone-confirm').click();
    await waitText(page, '#ph-code-error', /验证码不正确，还可尝试 4 次/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ph-code');
    await shot(page, 'phone-wrong-code-1280');
    await panel.getByLabel('短信验证码').fill(code);
    await panel.getByTestId('phone-confirm').click();
    await waitText(page, '[data-testid=phone-panel] .form-alert', /手机号码已验证/);
    assert.equal(await page.getByTestId('phone-status').innerText(), '已验证');
    assert.deepEqual(await untranslated(page), []);
    b.assertClean(page);
    await page.close();
  });

  test('logged out: from the login page to a new password with a new code', async () => {
    const ctx = b.context;
    await ctx.clearCookies();
    const page = await b.page();
    const meCalls = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/me')) meCalls.push(r.url()); });
    await page.goto(`${srv.base}/login.html`);
    await page.getByTestId('forgot').locator('summary').click();
    await Promise.all([page.waitForURL(/reset\.html/), page.getByTestId('reset-link').click()]);
    await page.getByLabel('身份证号码或统一社会信用代码').fill(DEMO.citizen);
    await page.getByTestId('reset-send').click();
    await waitText(page, '#reset-alert', /如果该账户已验证手机号码，验证码已发送到该号码/);
    const code = await nextCode();
    // a wrong code first
    await page.getByLabel('短信验证码').fill(wrong(code));
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByTestId('reset-submit').click();
    await waitText(page, '#r-code-error', /验证码不正确，还可尝试 4 次/);
    // the right one
    await page.getByLabel('短信验证码').fill(code);
    await page.getByTestId('reset-submit').click();
    await waitText(page, '[data-testid=reset-done]', /密码已重置，所有设备上的登录已退出/);
    await shot(page, 'reset-done-1280');
    assert.deepEqual(meCalls, [], 'an anonymous page does not ask for /api/v1/me');
    b.assertClean(page);
    // the new password logs in
    await Promise.all([page.waitForURL(/login\.html/), page.getByRole('link', { name: '去登录' }).click()]);
    await loginUi(page, srv, DEMO.citizen, { here: true, password: NEW_PASSWORD });
    assert.match(page.url(), /me\.html/);
    await page.close();
  });

  test('the reset page in English at phone width: no Chinese where a person reads', async () => {
    await b.context.clearCookies();
    // one code a minute per login: the test clock moves past it
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 61 } })).status, 200);
    const page = await b.page(PHONE);
    await page.goto(`${srv.base}/reset.html`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.reload();
    await waitText(page, 'main h1', /Reset your password/);
    await page.getByLabel('ID number or unified social credit code').fill(DEMO.citizen);
    await page.getByTestId('reset-send').click();
    await waitText(page, '#reset-alert', /If the account has a verified mobile number, a code was sent/);
    await nextCode();
    await page.getByLabel('Code from the text message').fill('000000');
    await page.getByTestId('reset-submit').click();
    await waitText(page, '#r-new_password-error', /./);
    await assertNoSideScroll(page);
    assert.deepEqual(await chineseLeft(page), []);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'reset-en-360');
    b.assertClean(page);
    await page.close();
  });
});
