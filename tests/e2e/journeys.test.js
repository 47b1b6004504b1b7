// journeys.test.js - the two promises of 一网通办 at the moment of submitting
// (issue 15), walked in the browser:
//
//   * the materials step promises an e-license only when the server says one
//     of the applicant's own valid e-licenses satisfies the material (POST
//     /api/v1/cases/precheck, the submission's own providers): a citizen
//     without a 居民身份证 e-license sees the material missing before submit,
//     and submitting names it in Chinese and scrolls to it - no request is
//     sent; the clerk at the window sees the same for that citizen; once the
//     citizen holds the e-license, the same page says 已由电子证照免于提交 and
//     the submission goes through without an upload (at phone width, and in
//     English);
//   * a company's form is prefilled as the server fills it: person fields are
//     its legal representative, never the company name or credit code, the
//     same in the portal and at the window;
//   * every message a person sees in these runs is in the UI's language (no
//     English sentence in the Chinese UI), the wrong password included.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, PHONE, assertNoSideScroll, idNumber } from './browser.js';
import { DEMO, loginUi, pdfFile, raiseRealname, applyApi, fetchWithPage } from './journey.js';

const ITEM = 'GAFJ-20-0001'; // 无犯罪记录证明开具: 申请人居民身份证 (LT-029) required
const ID_CARD = `${ITEM}-M01`;

/** Messages a person reads (alerts, field and material errors, notices) that are English sentences. */
export async function englishMessages(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('.notice, .form-alert, .field-error, .mat-error, [role=alert], .flash, .mat-state, .mat-elic-hint'))
    .filter((el) => el.offsetParent !== null)
    .map((el) => el.innerText.trim())
    .filter((t) => /[A-Za-z]{2,}(?:[\s,;:()'-]+[A-Za-z]{2,}){2,}/.test(t.replace(/[\w.-]+\.(?:pdf|jpe?g|png|ofd)\b/gi, '').replace(/\b[0-9A-Z.-]{10,}\b/g, ''))));
}

describe('journeys: the materials the applicant has, before submit', () => {
  let srv;
  let b;
  let citizenId;
  let windowCase;

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    const clerk = await srv.login('clerk');
    const r = await srv.api('GET', `/api/v1/accounts?q=${DEMO.citizen}`, { token: clerk });
    citizenId = r.json.items[0].id;
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('a citizen without the e-license: the ID card is missing before submit, named in Chinese, scrolled to; nothing is sent', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `apply.html?item=${ITEM}` });
    await page.locator('[data-testid=mats-box][data-checked=true]').waitFor({ state: 'attached' });
    await page.getByTestId('wiz-next').click();
    const card = page.locator(`.mat-card[data-code="${ID_CARD}"]`);
    assert.equal(await card.getAttribute('data-state'), 'missing');
    assert.match(await card.innerText(), /您名下没有有效的“居民身份证”电子证照，请上传此材料/);
    assert.doesNotMatch(await card.innerText(), /免于提交/, 'no e-license promised');
    assert.equal(await text(page, '[data-testid=missing-live]'), '还缺 1 项必交材料');
    await page.getByTestId('wiz-next').click();
    const missing = await waitText(page, '[data-testid=confirm] [data-testid=missing]', /还缺少以下 1 项必交材料/);
    assert.match(missing, /申请人居民身份证/);
    assert.equal(await page.locator('[data-testid=license-pending]').count(), 0, 'nothing left to "fetch on submission"');
    const posts = [];
    page.on('request', (rq) => {
      if (rq.method() === 'POST' && /\/api\/v1\/cases$/.test(new URL(rq.url()).pathname)) posts.push(rq.url());
    });
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '#apply-alert', /材料“申请人居民身份证”还没有提交/);
    await page.waitForFunction((code) => {
      const el = document.querySelector(`.mat-card[data-code="${code}"]`);
      if (!el || !el.classList.contains('mat-card-error')) return false;
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, ID_CARD);
    assert.deepEqual(posts, [], 'the page did not submit what it knew to be incomplete');
    assert.deepEqual(await englishMessages(page), []);
    await shot(page, 'journeys-missing-idcard-1280');
    b.assertClean(page);
    await page.close();
    await b.reset();
  });

  test('the clerk at the window: the same answer for that citizen, missing before submit, then an upload and the case', async () => {
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/window.html?item=${ITEM}` });
    await page.locator('#lookup-q').fill(DEMO.citizen);
    await page.getByTestId('lookup').click();
    await page.getByTestId(`choose-${citizenId}`).click();
    const card = page.locator(`.mat-card[data-code="${ID_CARD}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'missing');
    assert.match(await card.innerText(), /您名下没有有效的“居民身份证”电子证照/);
    assert.doesNotMatch(await page.getByTestId('step-form').innerText(), /必交材料已齐全|免于提交/);
    // the form shows what the server fills in for the citizen
    assert.equal(await page.locator('#wf-name').inputValue(), DEMO.citizenName);
    assert.equal(await page.locator('#wf-id_number').inputValue(), DEMO.citizen);
    const posts = [];
    page.on('request', (rq) => {
      if (rq.method() === 'POST' && /\/api\/v1\/cases$/.test(new URL(rq.url()).pathname)) posts.push(rq.url());
    });
    await page.getByTestId('window-submit').click();
    await waitText(page, '#window-apply-alert', /材料“申请人居民身份证”还没有提交/);
    assert.match(await card.getAttribute('class'), /mat-card-error/);
    assert.deepEqual(posts, []);
    assert.deepEqual(await englishMessages(page), []);
    await card.locator('input[type=file]').setInputFiles(pdfFile('id card copy'));
    await page.locator(`.mat-card[data-code="${ID_CARD}"][data-state=file]`).waitFor();
    await page.getByTestId('window-submit').click();
    windowCase = await text(page, '[data-testid=window-result] [data-testid=case-no]');
    assert.match(windowCase, /^XH\d+/);
    b.assertClean(page);
    await page.close();
    await b.reset();
  });

  test('with a valid 居民身份证 e-license: 已由电子证照免于提交 before submit, and the submission needs no upload (phone, English)', async () => {
    const rev = await srv.login('rev.gafj');
    const issued = await srv.api('POST', '/api/v1/licenses', {
      token: rev,
      body: {
        type: 'LT-029', holder_ident: DEMO.citizen, holder_name: DEMO.citizenName,
        fields: { name: DEMO.citizenName, sex: '男', birth_date: '1990-03-07', id_number: DEMO.citizen, address: '上海市徐汇区漕溪北路336号' },
        valid_from: '2020-01-01',
      },
    });
    assert.equal(issued.status, 201, issued.text);
    const page = await b.page(PHONE);
    await loginUi(page, srv, DEMO.citizen, { next: `apply.html?item=${ITEM}` });
    await page.locator('[data-testid=mats-box][data-checked=true]').waitFor({ state: 'attached' });
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('wiz-next').click();
    const card = page.locator(`.mat-card[data-code="${ID_CARD}"]`);
    assert.equal(await card.getAttribute('data-state'), 'license');
    assert.match(await card.innerText(), /Not needed: provided by your e-license/);
    assert.match(await card.innerText(), new RegExp(issued.json.id.replace(/\./g, '\\.')));
    assert.equal(await card.locator('input[type=file]').count(), 0);
    assert.equal(await text(page, '[data-testid=missing-live]'), 'All required materials are here');
    await assertNoSideScroll(page);
    await shot(page, 'journeys-license-en-360');
    await page.getByTestId('wiz-next').click();
    await waitText(page, '[data-testid=confirm] [data-testid=missing]', /All required materials are here/);
    await page.getByTestId('wiz-submit').click();
    await page.getByTestId('submitted').waitFor();
    const no = await text(page, '[data-testid=result] [data-testid=case-no]');
    const k = await srv.api('GET', `/api/v1/cases/${no}`, { token: await srv.login(DEMO.citizen) });
    const m = k.json.materials.find((x) => x.material_code === ID_CARD);
    assert.equal(m.source, 'license');
    assert.equal(m.license_id, issued.json.id);
    b.assertClean(page);
    await b.reset(); /* the language choice too, while the page is open */
    await page.close();
  });

  test('a company: person fields prefilled with its legal representative, the same in the portal and at the window', async () => {
    await raiseRealname(srv, DEMO.company);
    const token = await srv.login(DEMO.company);
    const pre = await srv.api('POST', '/api/v1/cases/precheck', { token, body: { item_code: 'SCJ-01-0001' } });
    assert.equal(pre.status, 200, pre.text);
    const page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'apply.html?item=SCJ-01-0001' });
    await page.locator('[data-testid=mats-box][data-checked=true]').waitFor({ state: 'attached' });
    const name = await page.locator('#f-applicant_name').inputValue();
    const id = await page.locator('#f-applicant_id').inputValue();
    assert.notEqual(name, DEMO.companyName, 'not the company name in a person\'s name field');
    assert.notEqual(id, DEMO.company, 'not the credit code in a person\'s ID number field');
    assert.equal(name, pre.json.form.applicant_name);
    assert.equal(id, pre.json.form.applicant_id);
    // the form: long text in a text area, no type tags in the labels, numbers checked, every error listed with a link
    assert.equal(await page.locator('#f-business_scope').evaluate((el) => el.tagName), 'TEXTAREA');
    assert.equal(await page.locator('[data-testid=form-fields] .field-type').count(), 0);
    assert.equal((await page.locator('label[for=f-registered_capital]').innerText()).trim(), '注册资本（万元）');
    await page.locator('#f-registered_capital').fill('-5');
    await page.getByTestId('wiz-next').click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /有 \d+ 处需要改正/);
    assert.match(await summary.innerText(), /注册资本（万元）：不能是负数。/);
    assert.match(await summary.innerText(), /拟设立名称：此项必填。/);
    await summary.getByRole('link', { name: /注册资本/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-registered_capital');
    assert.deepEqual(await englishMessages(page), []);
    b.assertClean(page);
    await page.close();
    await b.reset();

    const w = await b.page();
    await loginUi(w, srv, 'clerk', { next: 'workbench/window.html?item=SCJ-01-0001' });
    await w.locator('#lookup-q').fill(DEMO.company);
    await w.getByTestId('lookup').click();
    await w.locator('[data-testid=lookup-results] li button').first().click();
    await w.locator('#wf-applicant_name').waitFor();
    assert.equal(await w.locator('#wf-applicant_name').inputValue(), name, 'the window sees the same value');
    assert.equal(await w.locator('#wf-applicant_id').inputValue(), id);
    b.assertClean(w);
    await w.close();
    await b.reset();
  });

  test('a supplement round trip: the file the window refuses is asked again, never shown as uploaded; the clerk\'s upload is named for the applicant', async () => {
    const clerk = await srv.login('clerk');
    let r = await srv.api('POST', `/api/v1/cases/${windowCase}/request-supplement`, { token: clerk, body: { items: [{ what: ID_CARD, reason: '复印件不清晰，请重新上传' }] } });
    assert.equal(r.status, 200, r.text);
    const page = await b.page();
    const notFound = [];
    page.on('response', (res) => {
      if (res.status() === 404 && /\/api\/v1\/files\//.test(res.url())) notFound.push(res.url());
    });
    await loginUi(page, srv, DEMO.citizen, { next: `case.html?no=${windowCase}` });
    const card = page.locator(`[data-testid=supp-materials] .mat-card[data-code="${ID_CARD}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'missing');
    assert.match(await card.innerText(), /窗口要求重新提交：复印件不清晰，请重新上传/);
    assert.doesNotMatch(await card.innerText(), /✓|已上传/, 'the refused file is not shown as accepted');
    // the materials list names the file the clerk uploaded at the window
    const listed = page.locator(`[data-testid=case-materials] [data-code="${ID_CARD}"]`);
    assert.match(await listed.innerText(), /id-card-copy\.pdf/);
    await page.getByTestId('supp-submit').click();
    await waitText(page, '#supp-alert', /申请人居民身份证/);
    await card.locator('input[type=file]').setInputFiles(pdfFile('id card again'));
    await page.locator(`[data-testid=supp-materials] .mat-card[data-code="${ID_CARD}"][data-state=file]`).waitFor();
    await page.getByTestId('supp-submit').click();
    await waitText(page, '[data-testid=flash]', /补正已提交/);
    assert.deepEqual(notFound, [], 'no 404 for the files of the case');
    assert.deepEqual(await englishMessages(page), []);
    b.assertClean(page);
    await page.close();
    await b.reset();
    r = await srv.api('GET', `/api/v1/cases/${windowCase}`, { token: clerk });
    assert.equal(r.json.status, 'submitted');
  });

  test('a reviewer returns the case to the window: the reason is required, the page says what will happen and asks once more', async () => {
    const clerk = await srv.login('clerk');
    let r = await srv.api('POST', `/api/v1/cases/${windowCase}/accept`, { token: clerk, body: {} });
    assert.equal(r.status, 200, r.text);
    const page = await b.page();
    await loginUi(page, srv, 'rev.gafj', { next: `workbench/case.html?no=${windowCase}` });
    const panel = page.locator('[data-testid="task-panel-XH-GAFJ"]');
    await panel.waitFor();
    await panel.getByText('退回窗口', { exact: true }).click();
    await panel.getByRole('button', { name: '提交审查决定' }).click();
    await waitText(page, '.task-panel .form-alert', /请写明退回原因/);
    await panel.locator('textarea').first().fill('申请人居民身份证与本人信息不一致，请窗口核实');
    await panel.getByRole('button', { name: '提交审查决定' }).click();
    const confirm = panel.locator('.decide-confirm');
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /确认退回综合窗口？/);
    assert.match(await confirm.innerText(), /办件退回综合窗口/);
    assert.match(await confirm.innerText(), /与本人信息不一致/);
    // cancel first: nothing happens
    await confirm.getByRole('button', { name: '取消' }).click();
    r = await srv.api('GET', `/api/v1/cases/${windowCase}`, { token: clerk });
    assert.equal(r.json.status, 'accepted');
    await panel.getByRole('button', { name: '提交审查决定' }).click();
    await panel.getByRole('button', { name: '确认退回' }).click();
    await waitText(page, '[data-testid=flash]', /已退回综合窗口/);
    r = await srv.api('GET', `/api/v1/cases/${windowCase}`, { token: clerk });
    assert.equal(r.json.status, 'submitted', 'back at the window');
    assert.ok(r.json.tasks.some((t) => t.status === 'returned'));
    assert.deepEqual(await englishMessages(page), []);
    await shot(page, 'journeys-return-1280');
    b.assertClean(page);
    await page.close();
    await b.reset();
  });

  test('anonymous pages do not ask for /api/v1/me; 长辈版 (large text, large controls) is kept across pages, also on a phone', async () => {
    await b.reset();
    const page = await b.page();
    const meCalls = [];
    page.on('request', (rq) => {
      if (new URL(rq.url()).pathname === '/api/v1/me') meCalls.push(rq.url());
    });
    for (const p of ['index.html', 'search.html?q=%E8%AF%81%E6%98%8E', `item.html?code=${ITEM}`, 'login.html']) {
      await page.goto(`${srv.base}/${p}`);
      await page.getByTestId('elder-toggle').waitFor();
    }
    assert.deepEqual(meCalls, [], 'no 401 in an anonymous visitor\'s console');

    await page.goto(`${srv.base}/index.html`);
    const toggle = page.getByTestId('elder-toggle');
    assert.equal((await toggle.innerText()).trim(), '长辈版');
    const body = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(await body() < 18);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.ok(await body() >= 18, `body text ${await body()}px`);
    // kept on the next page, with large controls
    await page.goto(`${srv.base}/login.html`);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
    assert.ok(await body() >= 18);
    const h = await page.locator('#l-login').evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(h >= 48, `the login field is ${h}px high`);
    const contrast = await page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(contrast, 'rgb(0, 0, 0)', 'black text');
    await page.setViewportSize(PHONE);
    await page.goto(`${srv.base}/search.html`);
    await assertNoSideScroll(page);
    await shot(page, 'journeys-elder-360');
    // and back
    await page.getByTestId('elder-toggle').click();
    await page.goto(`${srv.base}/index.html`);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
    // logged in, the page does ask (and gets the account); the top navigation is one row at 390 px
    await loginUi(page, srv, DEMO.citizen);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${srv.base}/index.html`);
    await page.getByTestId('nav-licenses').waitFor();
    assert.ok(meCalls.length > 0, 'a signed-in page asks who it is');
    const off = await page.locator('.nav-list a').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.left < 0 || r.right > window.innerWidth || r.width === 0));
    assert.deepEqual(off, [], 'every entry of the navigation is on screen');
    await assertNoSideScroll(page);
    await b.reset();
    // the workbench header stays one line, at desktop and tablet width
    await loginUi(page, srv, 'clerk');
    for (const width of [1280, 1024, 768, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${srv.base}/workbench/index.html`);
      await page.getByTestId('work-user').waitFor();
      const hgt = await page.locator('.work-top').evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(hgt <= 64, `the workbench header is ${hgt}px high at ${width}px`);
      await assertNoSideScroll(page);
    }
    b.assertClean(page);
    await b.reset();
    await page.close();
  });

  test('a same-day (即办) item: "即办件，当日办结", not a deadline running out in warning colour', async () => {
    const token = await srv.login(DEMO.citizen);
    const item = 'SWJ-20-0004'; // 开具税收完税证明, promised 0 working days
    const it = (await srv.api('GET', `/api/v1/items/${item}`)).json;
    assert.equal(it.promised_days, 0);
    const k = await applyApi(srv, token, item);
    const r = await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: await srv.login('clerk'), body: {} });
    assert.equal(r.status, 200, r.text);
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `case.html?no=${k.case_no}` });
    const box = page.getByTestId('clock-box');
    await box.waitFor();
    assert.match(await box.innerText(), /即办件，当日办结/);
    assert.match(await box.innerText(), /即办（当日办结）/);
    assert.doesNotMatch(await box.innerText(), /今天到期|0 个工作日/);
    assert.doesNotMatch(await box.getAttribute('class'), /clock-yellow/);
    assert.equal(await box.locator('.light-yellow').count(), 0);
    b.assertClean(page);
    await b.reset();
    await page.close();
  });

  test('the guide shows the real-name level needed beside the account\'s own, and how to raise it - no dead end', async () => {
    const id = idNumber('31010419850101123');
    const reg = await srv.api('POST', '/api/v1/auth/register', { body: { kind: 'person', id_number: id, name: '王新民', phone: '13700002222', password: DEMO.password } });
    assert.equal(reg.status, 201, reg.text);
    const page = await b.page();
    await loginUi(page, srv, id, { next: 'item.html?code=GAFJ-07-0005' });
    const levels = await text(page, '[data-testid=realname-levels]');
    assert.equal(levels, '所需实名认证等级：3 级 · 您的账户：2 级');
    const how = await text(page, '[data-testid=apply-realname-how]');
    assert.match(how, /综合窗口核验身份/);
    assert.match(how, /漕溪北路336号/);
    assert.match(how, /9:00–17:00/);
    assert.equal(await page.getByTestId('apply-online').count(), 0, 'no button that leads to a refusal');
    // a form to fill in: the blank form and an example, as PDF
    const forms = page.locator('[data-testid=materials] [data-testid^=mat-forms-]').first();
    await forms.waitFor();
    const links = await forms.locator('a').evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('href')]));
    assert.deepEqual(links.map((l) => l[0]), ['空白表格', '示例样表']);
    for (const [, href] of links) {
      const r = await fetchWithPage(page, `${srv.base}${href}`);
      assert.equal(r.status, 200, href);
      assert.equal(r.head.slice(0, 5), '%PDF-');
    }
    // an item within the account's level: both levels, and the button
    await page.goto(`${srv.base}/item.html?code=${ITEM}`);
    assert.equal(await text(page, '[data-testid=realname-levels]'), '所需实名认证等级：2 级 · 您的账户：2 级');
    await page.getByTestId('apply-online').waitFor();
    b.assertClean(page);
    await b.reset();
    await page.close();
  });

  test('a company authorizes a staff member as agent from 我的账户, who then applies for it; the company revokes it', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'me.html' });
    const panel = page.getByTestId('agents');
    await panel.waitFor();
    await waitText(page, '[data-testid=agents-list]', /尚未授权经办人/);
    // a person without an account (or the wrong name): said so under the number
    await page.locator('#ag-id_number').fill(DEMO.citizen);
    await page.locator('#ag-name').fill('张大明');
    await page.getByTestId('agents-add').click();
    await waitText(page, '#ag-id_number-error', /没有找到身份证号码和姓名一致的个人账户/);
    await page.locator('#ag-name').fill(DEMO.citizenName);
    await page.getByTestId('agents-add').click();
    await waitText(page, '#agents-alert', /已授权“张小明”为经办人/);
    const row = page.locator('[data-testid=agents-list] li');
    await row.first().waitFor();
    assert.match(await row.first().innerText(), /张小明/);
    assert.deepEqual(await englishMessages(page), []);
    b.assertClean(page);
    await b.reset();
    // the agent sees the company in the apply form
    const ag = await b.page();
    await loginUi(ag, srv, DEMO.citizen, { next: 'apply.html?item=SCJ-01-0001' });
    await ag.locator('#behalf').waitFor();
    assert.match(await ag.locator('#behalf').innerText(), new RegExp(DEMO.companyName));
    b.assertClean(ag);
    await b.reset();
    await ag.close();
    // revoked, after a confirmation
    await loginUi(page, srv, DEMO.company, { next: 'me.html' });
    page.once('dialog', (d) => d.accept());
    await page.locator('[data-testid=agents-list] li button').first().click();
    await waitText(page, '#agents-alert', /已取消“张小明”的经办人授权/);
    await waitText(page, '[data-testid=agents-list]', /尚未授权经办人/);
    b.assertClean(page);
    await b.reset();
    await page.close();
  });

  test('a forgotten password: the login page says where to go; the clerk resets it after the in-person check; the temporary password works', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${srv.base}/login.html`);
    await page.getByTestId('forgot').locator('summary').click();
    const forgot = await text(page, '[data-testid=forgot]');
    assert.match(forgot, /大厅综合窗口/);
    assert.match(forgot, /漕溪北路336号/);
    await loginUi(page, srv, 'clerk', { next: 'workbench/window.html' });
    await page.locator('#lookup-q').fill(DEMO.citizen);
    await page.getByTestId('lookup').click();
    await page.getByTestId(`choose-${citizenId}`).click();
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('pw-reset').click();
    const temp = await text(page, '[data-testid=pw-temp]');
    assert.match(temp, /^[A-Za-z2-9]{12}$/);
    assert.match(await text(page, '[data-testid=pw-reset-result]'), /只显示这一次/);
    b.assertClean(page);
    await b.reset();
    await loginUi(page, srv, DEMO.citizen, { password: temp });
    await page.getByTestId('account-name').waitFor();
    // and back to the demo password, so the other journeys keep it
    const tok = await srv.api('POST', '/api/v1/auth/login', { body: { login: DEMO.citizen, password: temp } });
    const ch = await srv.api('POST', '/api/v1/me/password', { token: tok.json.token, headers: { 'X-CSRF-Token': tok.json.csrf_token }, body: { old_password: temp, new_password: DEMO.password } });
    assert.equal(ch.status, 200, ch.text);
    await b.reset();
    await page.close();
  });

  test('the wrong password is said in Chinese, with the tries left', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/login.html`);
    await page.locator('#l-login').fill(DEMO.citizen);
    await page.locator('#l-password').fill('Wrong@2026x');
    await page.locator('#form-login button[type=submit]').click();
    const said = await waitText(page, '#form-login [role=alert], #login-alert, .form-alert', /账号或密码错误/);
    assert.match(said, /还可再试 \d+ 次/);
    assert.deepEqual(await englishMessages(page), []);
    b.assertClean(page);
    await page.close();
  });
});
