// company.test.js - a company registers with its unified social credit code
// (checked in the page: forbidden letters, the GB 11714 organization code, the
// MOD 31 check character) and its legal representative, logs in with the code
// and sees what the code encodes on its account page.  The tabs work from the
// keyboard.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, idNumber, uscc, badCheck } from './browser.js';

const USCC = uscc('91', '310104', 'MA1FL7XK');
const REP_ID = idNumber('31010419850612246'); /* sequence 246: even, female */
const PASSWORD = 'Canyin#2026';
const NAME = '上海徐汇示例餐饮有限公司';

describe('a company registers and logs in with its credit code', () => {
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

  test('the tabs switch with the arrow keys', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/register.html`);
    await page.locator('#tab-person').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-enterprise', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-enterprise');
    assert.equal(await page.locator('#panel-enterprise').isVisible(), true);
    assert.equal(await page.locator('#panel-person').isVisible(), false);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'e-name');
    await page.locator('#tab-enterprise').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getAttribute('#tab-person', 'aria-selected'), 'true');
    b.assertClean(page);
    await page.close();
  });

  test('register a company: wrong codes are caught in the page, then accepted', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/register.html#enterprise`);
    assert.equal(await page.getAttribute('#tab-enterprise', 'aria-selected'), 'true');
    const form = page.locator('#form-enterprise');
    const code = form.getByLabel('统一社会信用代码');

    await form.getByLabel('企业名称').fill(NAME);
    // a letter the code never uses (O)
    await code.fill(`${USCC.slice(0, 8)}O${USCC.slice(9)}`);
    await waitText(page, '#e-uscc-error', /不含 I、O、Z、S、V/);
    // a wrong check character
    const wrong = USCC.slice(0, 17) + (USCC[17] === '0' ? '1' : '0');
    await code.fill(wrong);
    assert.equal(await waitText(page, '#e-uscc-error', /校验位/), '统一社会信用代码校验位不正确，可能有字符输错，请核对。');
    assert.equal(await code.getAttribute('aria-invalid'), 'true');
    // lower case is accepted and shown in capitals after leaving the field
    await code.fill(USCC.toLowerCase());
    await waitText(page, '#e-uscc-ok', /代码校验通过：工商 · 企业/);
    await code.blur();
    assert.equal(await code.inputValue(), USCC);

    await form.getByLabel('法定代表人姓名').fill('李示例');
    const rep = form.getByLabel('法定代表人身份证号码');
    await rep.fill(badCheck(REP_ID));
    await waitText(page, '#e-legal_rep_id-error', /校验位不正确/);
    await rep.fill(REP_ID);
    await waitText(page, '#e-legal_rep_id-ok', /女，1985-06-12 出生/);

    const phone = form.getByLabel('联系电话');
    await phone.fill('6487');
    await phone.blur();
    await waitText(page, '#e-phone-error', /固定电话/);
    await phone.fill('021-64872222');
    await phone.blur();
    assert.equal(await page.locator('#e-phone-error').innerText(), '');

    await form.getByLabel('设置密码').fill('short');
    await form.getByLabel('设置密码').blur();
    await waitText(page, '#e-password-error', /至少8位/);
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await shot(page, 'register-company-filled-1280');
    await form.getByRole('button', { name: '注册' }).click();
    await waitText(page, '[data-testid=register-success]', new RegExp(`账户 ${USCC} 已创建`));
    await shot(page, 'register-company-done-1280');
    b.assertClean(page);
    await page.close();
  });

  test('the server rejects what the page cannot know: the code is taken', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/register.html#enterprise`);
    const form = page.locator('#form-enterprise');
    await form.getByLabel('企业名称').fill('另一家公司');
    await form.getByLabel('统一社会信用代码').fill(USCC);
    await form.getByLabel('法定代表人姓名').fill('王示例');
    await form.getByLabel('法定代表人身份证号码').fill(REP_ID);
    await form.getByLabel('联系电话').fill('13700001234');
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByRole('button', { name: '注册' }).click();
    const msg = await waitText(page, '#e-uscc-error', /已注册/);
    assert.match(msg, /该统一社会信用代码已注册，请直接登录。/);
    assert.doesNotMatch(msg, /[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}/, 'no English in the Chinese UI');
    b.assertClean(page);
    await page.close();
  });

  test('log in with the credit code and see the company on my account', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/login.html`);
    await page.getByLabel('账号').fill(USCC.toLowerCase());
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/me\.html$/);
    await waitText(page, '[data-testid=me-name]', new RegExp(NAME));
    assert.equal(await text(page, '[data-testid=me-kind]'), '企业（法人）');
    assert.equal(await text(page, '[data-testid=me-uscc]'), USCC);
    assert.equal(await text(page, '[data-testid=me-rep]'), '李示例');
    assert.equal(await text(page, '[data-testid=me-rep-id]'), REP_ID);
    assert.match(await text(page, '[data-testid=me-category]'), /^企业/);
    assert.equal(await text(page, '[data-testid=me-phone]'), '021-64872222');
    const body = await text(page, 'main');
    assert.match(body, /工商/);
    assert.match(body, /上海市徐汇区/);
    assert.ok(body.includes(USCC.slice(8, 17)), 'the organization code');
    await shot(page, 'me-company-1280');
    await page.getByTestId('me-logout').click();
    await page.waitForURL(/\/index\.html$/);
    await page.locator('#account-area a[href^="login.html"]').waitFor();
    b.assertClean(page);
    await page.close();
  });
});
