// licenses.test.js - the e-license journey of issue 5: a company registers
// online and the window raises its real-name level; it applies for 企业设立登记
// (SCJ-01-0001) through the wizard, the clerk accepts, the market regulator
// (XH-SCJ) approves, and the 营业执照 appears in the company's wallet (我的证照)
// with its fields, print PDF and public check address; verify.html says 有效.  A
// later application (食品经营许可（新办）, whose 营业执照 material maps to LT-001)
// shows "已由电子证照免于提交" with no upload, the clerk sees the license and its
// verification on the case, and the holder sees the use in 用证记录.  A grant
// code opens the license on verify.html without login and the view lands in
// the use log; the holder revokes the code.  The reviewer of XH-SCJ finds the
// license in the workbench and revokes it with a reason: verify.html says
// 已吊销, the wallet shows the reason, and the next application asks for the
// material again (upload required).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, DESKTOP, assertNoSideScroll, idNumber, uscc } from './browser.js';
import { loginUi, pdfFile, fetchWithPage, sampleValue } from './journey.js';

const SETUP = 'SCJ-01-0001'; /* 企业设立登记: produces LT-001 营业执照 */
const FOOD = 'SCJ-01-0023'; /* 食品经营许可（新办）: a required material maps to LT-001 */
const USCC = uscc('91', '310104', 'MA1LC2Q8');
const REP_ID = idNumber('31010419880214153');
const NAME = '上海徐汇证照示例有限公司';
const PASSWORD = 'Zhengzhao#2026';
const REVOKE_REASON = '企业申请注销登记，营业执照依法收回。';

describe('e-licenses: issued on approval, reused instead of paper, granted, revoked', () => {
  let srv;
  let b;
  let food;
  let licMat;
  let setupNo;
  let foodNo;
  let licId;
  let grantCode;

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    const r = await srv.api('GET', `/api/v1/items/${FOOD}`);
    assert.equal(r.status, 200, r.text);
    food = r.json;
    licMat = food.materials.find((m) => m.license_type === 'LT-001' && m.required === 'required');
    assert.ok(licMat, `${FOOD} has a required material that the 营业执照 replaces`);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  /** The company's licenses through the API. */
  async function wallet() {
    const token = await srv.login(USCC, PASSWORD);
    const r = await srv.api('GET', '/api/v1/licenses', { token });
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  }

  /** Fill the wizard's editable fields (prefilled ones are read-only). */
  async function fillForm(page, item) {
    for (const f of item.form) {
      const input = page.locator(`[data-testid=form-fields] [data-field="${f.key}"]`).locator('input, select, textarea').first();
      if ((await input.getAttribute('readonly')) !== null) continue;
      if (f.type === 'choice') await input.selectOption(sampleValue(f));
      else await input.fill(sampleValue(f, { idNumber: REP_ID, uscc: USCC }));
    }
  }

  /**
   * In a fresh browser, log the company in straight into the 食品经营许可 wizard,
   * fill the form, save the draft and go on to the materials step: the page and
   * the card of the material that the 营业执照 can replace.
   */
  async function startFoodApplication() {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, USCC, { password: PASSWORD, next: `apply.html?item=${FOOD}` });
    await page.locator('[data-testid=wizard]').waitFor();
    await fillForm(page, food);
    await page.getByTestId('wiz-save').click();
    await waitText(page, '#apply-alert', /草稿已保存/);
    await page.getByTestId('wiz-next').click();
    return { page, card: page.locator(`.mat-card[data-code="${licMat.code}"]`) };
  }

  /** Upload a PDF for every required material still missing on the wizard's materials step. */
  async function uploadMissing(page) {
    const n = await page.locator('.mat-card[data-state=missing]').count();
    for (let i = 0; i < n; i++) {
      const card = page.locator('.mat-card[data-state=missing]').first();
      const code = await card.getAttribute('data-code');
      await card.locator('input[type=file]').setInputFiles(pdfFile(code));
      await page.locator(`.mat-card[data-code="${code}"][data-state=file]`).waitFor();
    }
  }

  test('a company registers online; at the window the clerk raises its real-name level to 3', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/register.html#enterprise`);
    const form = page.locator('#form-enterprise');
    await form.getByLabel('企业名称').fill(NAME);
    await form.getByLabel('统一社会信用代码').fill(USCC);
    await waitText(page, '#e-uscc-ok', /代码校验通过/);
    await form.getByLabel('法定代表人姓名').fill('周证照');
    await form.getByLabel('法定代表人身份证号码').fill(REP_ID);
    await form.getByLabel('联系电话').fill('021-64871111');
    await form.getByLabel('设置密码').fill(PASSWORD);
    await form.getByLabel('确认密码').fill(PASSWORD);
    await form.getByRole('button', { name: '注册' }).click();
    await waitText(page, '[data-testid=register-success]', new RegExp(`账户 ${USCC} 已创建`));
    b.assertClean(page);
    await page.close();

    await b.reset();
    const w = await b.page();
    await loginUi(w, srv, 'clerk', { next: 'workbench/window.html' });
    await w.getByLabel('身份证号码、统一社会信用代码或姓名').fill(USCC);
    await w.getByTestId('lookup').click();
    const hit = w.locator('[data-testid=lookup-results] li').first();
    await hit.waitFor();
    assert.match(await hit.innerText(), new RegExp(NAME));
    await hit.getByRole('button', { name: '选择' }).click();
    assert.match(await text(w, '[data-testid=realname-check]'), /实名认证等级为 2 级/);
    await w.getByTestId('realname-raise').click();
    await waitText(w, '#realname-alert', /实名认证等级已提升为 3 级/);
    b.assertClean(w);
    await w.close();
    await b.reset();
  });

  test('the company applies for 企业设立登记 in the wizard; the clerk accepts, the XH-SCJ reviewer approves', async () => {
    const setup = (await srv.api('GET', `/api/v1/items/${SETUP}`)).json;
    assert.equal(setup.produces, 'LT-001');
    const page = await b.page();
    await loginUi(page, srv, USCC, { password: PASSWORD, next: `apply.html?item=${SETUP}` });
    await page.locator('[data-testid=wizard]').waitFor();
    await fillForm(page, setup);
    await page.getByTestId('wiz-next').click();
    await uploadMissing(page);
    assert.equal(await text(page, '[data-testid=missing-live]'), '必交材料已齐全');
    await page.getByTestId('wiz-next').click();
    await waitText(page, '[data-testid=confirm] [data-testid=missing]', /必交材料已齐全/);
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '[data-testid=submitted]', /申请已提交/);
    setupNo = await text(page, '[data-testid=result] [data-testid=case-no]');
    b.assertClean(page);
    await page.close();
    assert.deepEqual(await wallet(), [], 'no license before the decision');

    await b.reset();
    const clerk = await b.page();
    await loginUi(clerk, srv, 'clerk', { next: `workbench/case.html?no=${setupNo}` });
    await clerk.getByTestId('accept').click();
    await waitText(clerk, '[data-testid=flash]', /已受理/);
    b.assertClean(clerk);
    await clerk.close();

    await b.reset();
    const rev = await b.page();
    await loginUi(rev, srv, 'reviewer', { next: `workbench/case.html?no=${setupNo}` });
    const panel = rev.locator('[data-testid="task-panel-XH-SCJ"]');
    await panel.waitFor();
    await panel.locator('textarea').fill('符合设立登记条件，准予登记。');
    await panel.getByRole('button', { name: '提交审查决定' }).click();
    await panel.getByRole('button', { name: '确认同意' }).click();
    await waitText(rev, '[data-testid=flash]', /已同意/);
    assert.equal(await text(rev, '[data-testid=case-status]'), '已办结');
    b.assertClean(rev);
    await rev.close();
  });

  test('the 营业执照 is in the company’s wallet: fields, identifier, print PDF, public check address', async () => {
    const items = await wallet();
    assert.equal(items.length, 1, 'one license issued on approval');
    assert.equal(items[0].type, 'LT-001');
    assert.equal(items[0].source, setupNo);
    licId = items[0].id;

    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, USCC, { password: PASSWORD });
    await page.getByTestId('nav-licenses').click();
    await page.waitForURL(/\/licenses\.html$/);
    assert.equal(await page.getAttribute('[data-testid=nav-licenses]', 'aria-current'), 'page');
    const card = page.locator(`[data-testid=wallet] li[data-license="${licId}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'valid');
    const cardText = await card.innerText();
    assert.match(cardText, /营业执照/);
    assert.match(cardText, /上海市徐汇区市场监督管理局/);
    assert.match(cardText, /有效/);
    assert.match(cardText, /起长期有效/, 'a business license has no end date');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'licenses-wallet-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'licenses-wallet-360');
    await page.setViewportSize(DESKTOP);

    await card.getByRole('link', { name: '营业执照' }).click();
    await page.waitForURL(/\/license\.html\?id=/);
    assert.equal(await text(page, '[data-testid=lic-title]'), '营业执照');
    assert.equal(await text(page, '[data-testid=lic-id]'), licId);
    assert.equal(await page.getAttribute('[data-testid=lic-status] [data-state]', 'data-state'), 'valid');
    // every field, labelled as the type names it
    const type = (await srv.api('GET', '/api/v1/license-types/LT-001')).json;
    for (const f of type.fields.filter((x) => items[0].fields[x.key] !== undefined)) {
      const dd = page.locator(`[data-testid=lic-fields] dd[data-key="${f.key}"]`);
      assert.equal((await dd.innerText()).trim(), String(items[0].fields[f.key]), f.key);
      assert.equal(await dd.evaluate((el) => el.previousElementSibling.textContent.trim()), f.label, `${f.key} labelled`);
    }
    assert.equal(items[0].fields.uscc, USCC);
    assert.match(await text(page, '[data-testid=lic-facts]'), new RegExp(setupNo), 'the case that issued it');
    // the public check address, and the print (which carries the QR code to it)
    assert.equal(await text(page, '[data-testid=check-url]'), `${srv.base}/verify.html?id=${licId}`);
    // the QR code of that address, drawn by the server (qr.test.js checks it against libqrencode)
    assert.equal(await page.getAttribute('[data-testid=qr] img', 'src'), `/api/v1/licenses/${encodeURIComponent(licId)}/qr.svg`);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=qr] img');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await page.getAttribute('[data-testid=qr] img', 'alt'), '核验二维码');
    const pdf = await fetchWithPage(page, `${srv.base}${await page.getAttribute('[data-testid=print-pdf]', 'href')}`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.type, 'application/pdf');
    assert.equal(pdf.head.slice(0, 5), '%PDF-');
    // the signature checks out from the page too
    await page.getByTestId('verify-now').click();
    await waitText(page, '[data-testid=verify-out] [data-testid=verdict]', /有效/);
    assert.equal(await page.getAttribute('[data-testid=verify-out] [data-testid=verdict]', 'data-code'), 'ok');
    assert.equal(await text(page, '[data-testid=uses-empty]'), '还没有用证记录。');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'license-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'license-360');
    b.assertClean(page);
    await page.close();
  });

  test('verify.html, without login, says 有效 for the identifier', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/verify.html?id=${encodeURIComponent(licId)}`);
    const verdict = await waitText(page, '[data-testid=status-result] [data-testid=verdict]', /有效/);
    assert.match(verdict, /^✓?\s*有效/);
    assert.equal(await page.getAttribute('[data-testid=status-result] [data-testid=verdict]', 'data-code'), 'ok');
    assert.equal(await text(page, '[data-testid=pub-type]'), '营业执照');
    assert.equal(await text(page, '[data-testid=pub-holder]'), NAME);
    assert.equal(await text(page, '[data-testid=pub-ident]'), USCC);
    assert.equal(await page.locator('#account-area a[href^="login.html"]').count(), 1, 'nobody is logged in');
    // opened from the QR code: the verdict comes first, above every form
    assert.equal(await page.evaluate(() => {
      const v = document.querySelector('[data-testid=status-result]');
      const f = document.querySelector('#s-id form, #s-id input');
      return !!(v && f && (v.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING));
    }), true);
    assert.equal(await page.getByTestId('verify-dev').getAttribute('open'), null, 'the JSON check is folded away for developers');
    await shot(page, 'verify-valid-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'verify-valid-360');
    await page.setViewportSize(DESKTOP);

    // a license document pasted in: the genuine one passes, one changed byte fails
    const token = await srv.login(USCC, PASSWORD);
    const doc = (await srv.api('GET', `/api/v1/licenses/${encodeURIComponent(licId)}/document`, { token })).json;
    await page.getByTestId('verify-dev').locator('summary').click();
    await page.getByLabel('证照文件内容').fill(JSON.stringify(doc));
    await page.getByTestId('doc-check').click();
    await waitText(page, '[data-testid=doc-verdict]', /有效/);
    assert.equal(await page.getAttribute('[data-testid=doc-verdict]', 'data-code'), 'ok');
    const forged = JSON.parse(JSON.stringify(doc));
    forged.license.fields.registered_capital = '99999';
    await page.getByLabel('证照文件内容').fill(JSON.stringify(forged));
    await page.getByTestId('doc-check').click();
    await waitText(page, '[data-testid=doc-verdict]', /签名无效/);
    assert.equal(await page.getAttribute('[data-testid=doc-verdict]', 'data-code'), 'bad_signature');
    await page.getByLabel('证照文件内容').fill('{ not json');
    await page.getByTestId('doc-check').click();
    await waitText(page, '#v-doc-error', /不是有效的 JSON/);
    await shot(page, 'verify-document-1280');
    b.assertClean(page);
    await page.close();
  });

  test('a later application: the 营业执照 material is satisfied by the e-license, no upload', async () => {
    const { page, card } = await startFoodApplication();
    assert.equal(await card.getAttribute('data-state'), 'license');
    assert.match(await text(page, `[data-testid="mat-state-${licMat.code}"]`), /已由电子证照免于提交/);
    assert.equal(await card.locator('input[type=file]').count(), 0, 'nothing to upload');
    await uploadMissing(page);
    assert.equal(await card.getAttribute('data-state'), 'license');
    await shot(page, 'licenses-reuse-materials-1280');
    await page.getByTestId('wiz-next').click();
    await waitText(page, '[data-testid=confirm] [data-testid=missing]', /必交材料已齐全/);
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '[data-testid=submitted]', /申请已提交/);
    foodNo = await text(page, '[data-testid=result] [data-testid=case-no]');

    // the case page: the material came from the e-license, linked to it and to its check
    await page.getByRole('link', { name: '查看办件' }).click();
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${foodNo}$`));
    const li = page.locator(`[data-testid=case-materials] li[data-code="${licMat.code}"]`);
    assert.equal(await li.getAttribute('data-state'), 'license');
    assert.match(await li.innerText(), /已由电子证照免于提交/);
    assert.equal(await li.locator('[data-testid=mat-license-link]').getAttribute('href'), `license.html?id=${encodeURIComponent(licId)}`);
    assert.equal(await li.locator('[data-testid=mat-license-verify]').getAttribute('href'), `verify.html?id=${encodeURIComponent(licId)}`);
    b.assertClean(page);
    await page.close();

    const k = (await srv.api('GET', `/api/v1/cases/${foodNo}`, { token: await srv.login(USCC, PASSWORD) })).json;
    const m = k.materials.find((x) => x.material_code === licMat.code);
    assert.equal(m.source, 'license');
    assert.equal(m.license_id, licId);
  });

  test('the clerk sees the e-license on the case with its verification, and opens it', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/case.html?no=${foodNo}` });
    const row = page.locator(`[data-testid=mat-check] tr[data-code="${licMat.code}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'license');
    assert.match(await row.innerText(), /电子证照/);
    await waitText(page, `[data-testid=mat-check] tr[data-code="${licMat.code}"] [data-testid=lic-check]`, /有效/);
    assert.equal(await row.locator('[data-testid=lic-check]').getAttribute('data-code'), 'ok');
    await shot(page, 'work-case-license-1280');
    await row.getByTestId(`license-${licMat.code}`).click();
    await page.waitForURL(/\/workbench\/licenses\.html\?id=/);
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /有效/);
    assert.equal(await text(page, '[data-testid=lic-id]'), licId);
    // the window reads; only the issuing department changes the license
    assert.equal(await page.locator('[data-testid=status-actions]').count(), 0);
    assert.match(await text(page, '[data-testid=read-only]'), /发证部门/);
    b.assertClean(page);
    await page.close();
  });

  test('the holder sees the use in 用证记录', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, USCC, { password: PASSWORD, next: `license.html?id=${encodeURIComponent(licId)}` });
    const row = page.locator(`[data-testid=uses] tr[data-case="${foodNo}"]`);
    await row.waitFor();
    const s = await row.innerText();
    assert.match(s, /办件用证/);
    assert.match(s, /上海市徐汇区市场监督管理局/);
    assert.match(s, new RegExp(food.name.replace(/[()（）]/g, '.')));
    assert.match(s, /营业执照/);
    assert.match(s, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await row.getByRole('link', { name: foodNo }).click();
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${foodNo}$`));
    b.assertClean(page);
    await page.close();
  });

  test('a grant code: the holder makes one, it opens the license on verify.html and lands in the use log; then it is revoked', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, USCC, { password: PASSWORD, next: `license.html?id=${encodeURIComponent(licId)}` });
    await page.locator('[data-testid=grants-empty]').waitFor();
    // the page asks for what is missing
    await page.getByTestId('grant-create').click();
    await waitText(page, '[data-field=grantee] .field-error', /此项必填/);
    await page.getByLabel('被授权方').fill('中国工商银行徐汇支行');
    await page.getByLabel('用途').fill('开立对公账户');
    await page.getByLabel('有效时长').selectOption('72');
    await page.getByTestId('grant-create').click();
    grantCode = await waitText(page, '[data-testid=grant-code]', /^[0-9A-Z]{10}$/);
    const row = page.locator(`[data-testid=grants] tr[data-code="${grantCode}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'active');
    assert.match(await row.innerText(), /中国工商银行徐汇支行/);
    assert.equal(await page.getAttribute('[data-testid=grant-link]', 'href'), `${srv.base}/verify.html?grant=${grantCode}`);
    await shot(page, 'license-grant-1280');
    b.assertClean(page);
    await page.close();

    // the bank, not logged in, opens the license with the code
    await b.reset();
    const bank = await b.page();
    await bank.goto(`${srv.base}/verify.html`);
    await bank.getByLabel('授权码', { exact: true }).fill(grantCode.toLowerCase());
    await bank.getByTestId('grant-open').click();
    await waitText(bank, '[data-testid=grant-title]', /营业执照/);
    assert.equal(await text(bank, '[data-testid=grant-holder]'), NAME);
    assert.equal(await text(bank, '[data-testid=grant-fields] dd[data-key="uscc"]'), USCC);
    await waitText(bank, '[data-testid=grant-verdict]', /有效/);
    assert.match(await text(bank, '[data-testid=grant-result]'), /已记入持证人的用证记录/);
    await shot(bank, 'verify-grant-1280');
    await bank.setViewportSize(PHONE);
    await assertNoSideScroll(bank);
    await shot(bank, 'verify-grant-360');
    b.assertClean(bank);
    await bank.close();

    // the holder sees the view in the use log and on the grant; then revokes the code
    const again = await b.page();
    await loginUi(again, srv, USCC, { password: PASSWORD, next: `license.html?id=${encodeURIComponent(licId)}` });
    const use = again.locator('[data-testid=uses] tr[data-kind=grant]');
    await use.waitFor();
    assert.match(await use.innerText(), /授权查看/);
    assert.match(await use.innerText(), /中国工商银行徐汇支行/);
    const grantRow = again.locator(`[data-testid=grants] tr[data-code="${grantCode}"]`);
    await grantRow.waitFor();
    assert.equal((await grantRow.locator('td.num').innerText()).trim(), '1', 'one view');
    again.once('dialog', (d) => d.accept());
    await grantRow.getByRole('button', { name: '撤销' }).click();
    await waitText(again, '#grant-alert', new RegExp(`授权码 ${grantCode} 已撤销`));
    await again.locator(`[data-testid=grants] tr[data-code="${grantCode}"][data-state=revoked]`).waitFor();
    assert.match(await again.locator(`[data-testid=grants] tr[data-code="${grantCode}"]`).innerText(), /已撤销/);
    b.assertClean(again);
    await again.close();

    await b.reset();
    const late = await b.page();
    await late.goto(`${srv.base}/verify.html?grant=${grantCode}`);
    await waitText(late, '#grant-alert', /不存在、已过期或已被持证人撤销/);
    assert.equal(await late.locator('[data-testid=grant-license]').count(), 0);
    b.assertClean(late);
    await late.close();
  });

  test('the XH-SCJ reviewer finds the license by holder in the workbench and revokes it with a reason', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'reviewer');
    await page.waitForURL(/\/workbench\/index\.html$/);
    await page.getByTestId('card-licenses').getByRole('link', { name: '打开电子证照' }).click();
    await page.waitForURL(/\/workbench\/licenses\.html$/);
    // the own department's licenses are listed at once
    await page.locator(`[data-testid=wl-results] tr[data-license="${licId}"]`).waitFor();
    await page.getByLabel('持证人身份证号码或统一社会信用代码').fill(USCC.toLowerCase());
    await page.getByTestId('lookup-holder').click();
    await page.waitForURL(new RegExp(`\\?holder=${USCC}$`));
    const row = page.locator(`[data-testid=wl-results] tr[data-license="${licId}"]`);
    await row.waitFor();
    assert.equal(await page.locator('[data-testid=wl-results] tbody tr').count(), 1);
    assert.match(await row.innerText(), new RegExp(NAME));
    await shot(page, 'work-licenses-lookup-1280');
    await row.getByRole('link', { name: '营业执照' }).click();
    await page.waitForURL(/\/workbench\/licenses\.html\?id=/);
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /有效/);
    await page.locator('[data-testid=uses] tr').first().waitFor();
    assert.match(await text(page, '[data-testid=uses]'), new RegExp(foodNo));

    // a reason is required, and revocation must be confirmed
    await page.getByTestId('action-revoke').check();
    await page.getByTestId('status-do').click();
    await waitText(page, '#status-reason-error', /请填写原因/);
    await page.getByLabel('原因').fill(REVOKE_REASON);
    await page.getByTestId('status-do').click();
    await waitText(page, '#status-alert', /请先勾选确认/);
    await page.getByTestId('revoke-sure').check();
    await page.getByTestId('status-do').click();
    await waitText(page, '[data-testid=flash]', /证照已吊销/);
    assert.equal(await page.getAttribute('[data-testid=lic-status] [data-state]', 'data-state'), 'revoked');
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /已吊销/);
    assert.equal(await page.getAttribute('[data-testid=verify-box] [data-testid=verdict]', 'data-code'), 'revoked');
    assert.match(await text(page, '[data-testid=verify-box]'), new RegExp(REVOKE_REASON));
    assert.match(await text(page, '[data-testid=revoked-final]'), /吊销是最终的/);
    await shot(page, 'work-license-revoked-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'work-license-revoked-360');
    b.assertClean(page);
    await page.close();
  });

  test('after revocation: verify.html says 已吊销 and the wallet shows the reason', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/verify.html?id=${encodeURIComponent(licId)}`);
    await waitText(page, '[data-testid=status-result] [data-testid=verdict]', /已吊销/);
    assert.equal(await page.getAttribute('[data-testid=status-result] [data-testid=verdict]', 'data-code'), 'revoked');
    assert.match(await text(page, '[data-testid=status-result]'), new RegExp(REVOKE_REASON));
    await shot(page, 'verify-revoked-1280');
    b.assertClean(page);
    await page.close();

    const w = await b.page();
    await loginUi(w, srv, USCC, { password: PASSWORD, next: 'licenses.html' });
    const card = w.locator(`[data-testid=wallet] li[data-license="${licId}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'revoked');
    assert.match(await card.innerText(), /已吊销/);
    assert.match(await card.innerText(), new RegExp(REVOKE_REASON));
    await card.getByRole('link', { name: '营业执照' }).click();
    await waitText(w, '[data-testid=state-notice]', /已被发证部门吊销/);
    assert.equal(await text(w, '[data-testid=status-reason]'), REVOKE_REASON);
    b.assertClean(w);
    await w.close();
  });

  test('the next application asks for the 营业执照 again: an upload is required', async () => {
    const { page, card } = await startFoodApplication();
    assert.equal(await card.getAttribute('data-state'), 'missing');
    assert.doesNotMatch(await card.innerText(), /已由电子证照免于提交/);
    assert.equal(await card.locator('input[type=file]').count(), 1, 'it can be uploaded');
    // submitting without it is refused, naming the material
    await page.getByTestId('wiz-next').click();
    const missing = await waitText(page, '[data-testid=confirm] [data-testid=missing]', /还缺少/);
    assert.match(missing, new RegExp(licMat.name));
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '#apply-alert', /材料“.+”还没有提交/);
    await shot(page, 'licenses-after-revoke-1280');
    b.assertClean(page);
    await page.close();
  });
  test('the reviewer issues a 食品经营许可证 directly (typed fields, a set end date), suspends and reinstates it', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'reviewer', { next: 'workbench/licenses.html' });
    await page.getByTestId('to-issue').click();
    await page.waitForURL(/\/workbench\/licenses\.html\?issue=1$/);
    // only the own department's types are offered (the form appears once the types are loaded)
    await page.locator('#i-type').waitFor();
    const offered = await page.locator('#i-type option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    const types = (await srv.api('GET', '/api/v1/license-types')).json.items;
    assert.deepEqual(offered.sort(), types.filter((x) => x.dept === 'XH-SCJ').map((x) => x.code).sort());
    await page.getByLabel('证照名称').selectOption('LT-002');
    await page.locator('[data-testid=type-fields] [data-field=operator]').waitFor();
    // the page checks the holder and the typed fields before sending
    await page.getByLabel('持证人证件号码').fill(`${USCC.slice(0, 17)}${USCC[17] === '0' ? '1' : '0'}`);
    await page.getByLabel('持证人名称').fill(NAME);
    await page.locator('#if-uscc').fill('12345');
    await page.locator('#if-uscc').blur(); /* its own check shows an error and moves the button down */
    await page.getByTestId('issue-do').click();
    await waitText(page, '#i-holder_ident-error', /校验位不正确/);
    await waitText(page, '#if-uscc-error', /18/);
    await page.getByLabel('持证人证件号码').fill(USCC);
    await page.locator('#if-operator').fill(NAME);
    await page.locator('#if-uscc').fill(USCC);
    await page.locator('#if-premises').fill('上海市徐汇区漕溪北路336号');
    await page.locator('#if-main_format').fill('餐饮服务经营者');
    await page.locator('#if-license_no').fill('JY23101040012345');
    await page.locator('#if-uscc').blur();
    await page.locator('[data-testid=validity-mode] input[value=date]').check();
    await page.getByLabel('截止日期', { exact: true }).fill('2031-12-31');
    await page.getByLabel('截止日期', { exact: true }).blur();
    await shot(page, 'work-license-issue-1280');
    await page.getByTestId('issue-do').click();
    await waitText(page, '[data-testid=flash]', /电子证照已签发并签名/);
    await page.waitForURL(/\/workbench\/licenses\.html\?id=/);
    const id = new URL(page.url()).searchParams.get('id');
    assert.equal(await text(page, '[data-testid=lic-id]'), id);
    assert.match(await text(page, '[data-testid=lic-facts]'), /至 2031-12-31/);
    assert.match(await text(page, '[data-testid=lic-facts]'), /部门直接签发/);
    assert.equal(await text(page, '[data-testid=lic-fields] dd[data-key=license_no]'), 'JY23101040012345');
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /有效/);

    await page.getByTestId('action-suspend').check();
    await page.getByLabel('原因').fill('经营场所整改期间暂停。');
    await page.getByTestId('status-do').click();
    await waitText(page, '[data-testid=flash]', /证照已暂停/);
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /已暂停/);
    assert.equal(await page.getAttribute('[data-testid=verify-box] [data-testid=verdict]', 'data-code'), 'suspended');
    await page.getByTestId('action-reinstate').check();
    await page.getByTestId('status-do').click();
    await waitText(page, '[data-testid=flash]', /证照已恢复有效/);
    await waitText(page, '[data-testid=verify-box] [data-testid=verdict]', /有效/);
    assert.equal(await page.getAttribute('[data-testid=lic-status] [data-state]', 'data-state'), 'valid');
    b.assertClean(page);
    await page.close();

    // in the company's wallet, in English too
    const items = await wallet();
    assert.deepEqual(items.map((x) => x.type).sort(), ['LT-001', 'LT-002']);
    await b.reset();
    const w = await b.page();
    await loginUi(w, srv, USCC, { password: PASSWORD, next: 'licenses.html' });
    const card = w.locator(`[data-testid=wallet] li[data-license="${id}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'valid');
    await w.getByTestId('lang-toggle').click();
    assert.equal(await text(w, 'main h1'), 'My e-licences');
    assert.equal(await text(w, '[data-testid=nav-licenses]'), 'My e-licences');
    assert.match(await card.innerText(), /Food Business License/);
    assert.match(await card.innerText(), /to 2031-12-31/);
    assert.match(await text(w, `[data-testid=wallet] li[data-license="${licId}"]`), /Revoked/);
    assert.deepEqual(await untranslated(w), []);
    await shot(w, 'licenses-wallet-en-1280');
    await w.getByTestId('lang-toggle').click();
    b.assertClean(w);
    await w.close();
  });
});
