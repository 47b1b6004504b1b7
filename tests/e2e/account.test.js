// account.test.js - a citizen registers with a mistyped ID number (sees the
// error next to the field), corrects it, registers, logs in, sees the account
// with sex and birth date from the number, logs out; the server's own errors
// (a second registration of the same number, a wrong password) show too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, idNumber, untranslated } from './browser.js';

/* 310104 徐汇区, born 1990-03-07, sequence 123 (odd: male) */
const ID = idNumber('31010419900307123');
/* one digit of the sequence mistyped (1 -> 7): MOD 11-2 catches every single substitution */
const MISTYPED = `${ID.slice(0, 14)}7${ID.slice(15)}`;
const NAME = '张徐汇';
const PHONE = '13812345678';
const PASSWORD = 'Xuhui@2026';

describe('a citizen registers, logs in, sees the account and logs out', () => {
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

  test('register with a mistyped ID number, correct it, register', async () => {
    assert.notEqual(MISTYPED, ID);
    const page = await b.page();
    let registrations = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/auth/register')) registrations++;
    });
    await page.goto(`${srv.base}/register.html`);
    assert.equal(await page.getAttribute('#tab-person', 'aria-selected'), 'true');
    const form = page.locator('#form-person');
    const id = form.getByLabel('身份证号码', { exact: true });

    await form.getByLabel('姓名', { exact: true }).fill(NAME);
    // typing: 17 characters are not reported yet
    await id.fill(MISTYPED.slice(0, 17));
    assert.equal(await text(page, '#form-person [data-field=id_number] .hint'), '18位居民身份证号码，末位可能是 X');
    assert.equal(await page.locator('#p-id_number-error').innerText(), '');
    // the 18th character completes a number whose check character does not match
    await id.fill(MISTYPED);
    const error = await waitText(page, '#p-id_number-error', /校验位不正确/);
    assert.equal(error, '身份证号码校验位不正确，可能有数字输错，请核对。');
    assert.equal(await id.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#p-id_number-error', 'aria-live'), 'polite');
    assert.ok((await id.getAttribute('aria-describedby')).split(' ').includes('p-id_number-error'));
    await shot(page, 'register-id-error-1280');

    // submitting anyway is stopped in the page, with the field focused
    await form.getByLabel('手机号码').fill(PHONE);
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByRole('button', { name: '注册' }).click();
    await waitText(page, '#p-alert', /请先改正标出的错误/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'p-id_number');
    assert.equal(registrations, 0, 'nothing was sent');

    // a birth date that does not exist
    await id.fill(idNumber('31010419900230123'));
    await waitText(page, '#p-id_number-error', /出生日期/);

    // corrected
    await id.fill(ID);
    await waitText(page, '#p-id_number-ok', /号码校验通过：男，1990-03-07 出生/);
    assert.equal(await page.locator('#p-id_number-error').innerText(), '');
    assert.equal(await id.getAttribute('aria-invalid'), null);

    // the confirmation must match
    await form.getByLabel('确认密码').fill(`${PASSWORD}x`);
    await form.getByLabel('确认密码').blur();
    await waitText(page, '#p-password2-error', /两次输入的密码不一致/);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByLabel('确认密码').blur();
    assert.equal(await page.locator('#p-password2-error').innerText(), '');

    await form.getByRole('button', { name: '注册' }).click();
    await waitText(page, '[data-testid=register-success]', /注册成功/);
    assert.match(await text(page, '[data-testid=register-success]'), new RegExp(`账户 ${ID} 已创建`));
    assert.equal(registrations, 1);
    await shot(page, 'register-person-done-1280');

    // the account exists on the server
    const r = await srv.api('POST', '/api/v1/auth/login', { body: { login: ID, password: PASSWORD } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account.name, NAME);

    // on to the login page, the number filled in
    await page.getByRole('link', { name: '立即登录' }).click();
    await page.waitForURL(/\/login\.html\?registered=1$/);
    assert.equal(await page.getByLabel('账号').inputValue(), ID);
    await waitText(page, '#login-alert', /注册成功，请用新账户登录/);
    b.assertClean(page);
    await page.close();
  });

  test('the same ID number again: the server says so under the field', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/register.html`);
    const form = page.locator('#form-person');
    await form.getByLabel('姓名', { exact: true }).fill('王某某');
    await form.getByLabel('身份证号码', { exact: true }).fill(ID);
    await form.getByLabel('手机号码').fill('13900001111');
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByRole('button', { name: '注册' }).click();
    const msg = await waitText(page, '#p-id_number-error', /已注册/);
    assert.match(msg, /该身份证号码已注册，请直接登录。/);
    assert.doesNotMatch(msg, /[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}/, 'no English in the Chinese UI');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'p-id_number');
    await shot(page, 'register-conflict-1280');
    b.assertClean(page);
    await page.close();
  });

  test('log in (a wrong password first), see my account, log out', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/login.html`);
    await page.getByLabel('账号').fill(ID.toLowerCase());
    await page.getByLabel('密码', { exact: true }).fill('Wrong@2026');
    await page.getByRole('button', { name: '登录' }).click();
    await waitText(page, '#login-alert', /账号或密码错误/);
    assert.match(await text(page, '#login-alert'), /账号或密码错误（还可再试 \d+ 次）/, 'the server\'s count of tries, in Chinese');
    assert.doesNotMatch(await text(page, '#login-alert'), /[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}/);
    assert.equal(await page.getByLabel('密码', { exact: true }).inputValue(), '');

    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/me\.html$/);
    await waitText(page, '[data-testid=me-name]', new RegExp(NAME));
    assert.equal(await text(page, '[data-testid=me-id]'), ID);
    assert.match(await text(page, '[data-testid=me-sex]'), /^男/);
    assert.match(await text(page, '[data-testid=me-birth]'), /^1990-03-07/);
    assert.equal(await text(page, '[data-testid=me-phone]'), PHONE);
    assert.equal(await text(page, '[data-testid=me-kind]'), '个人');
    assert.equal(await text(page, '[data-testid=me-login]'), ID);
    assert.match(await text(page, 'main'), /上海市徐汇区/);
    assert.equal(await text(page, '[data-testid=account-name]'), `您好，${NAME}`);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'me-person-1280');

    // the session is an HttpOnly cookie, not readable by scripts
    const cookies = await b.context.cookies(srv.base);
    const session = cookies.find((c) => c.name === 'ywtb_session');
    assert.ok(session && session.httpOnly, 'HttpOnly session cookie');
    assert.equal(await page.evaluate(() => document.cookie.includes('ywtb_session')), false);

    await page.getByTestId('logout').click();
    await page.waitForURL(/\/index\.html$/);
    await page.locator('#account-area a[href^="login.html"]').waitFor();
    assert.equal(await page.locator('[data-testid=account-name]').count(), 0);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401, 'the session ended on the server');

    // my account now asks for a login, and comes back after it
    await page.goto(`${srv.base}/me.html`);
    await page.waitForURL(/\/login\.html\?next=me\.html$/);
    await waitText(page, '#login-alert', /请先登录/);
    await page.getByLabel('账号').fill(ID);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/me\.html$/);
    await waitText(page, '[data-testid=me-id]', new RegExp(ID));
    await page.getByTestId('me-logout').click();
    await page.waitForURL(/\/index\.html$/);
    await page.locator('#account-area a[href^="login.html"]').waitFor();
    b.assertClean(page);
    await page.close();
  });
});
