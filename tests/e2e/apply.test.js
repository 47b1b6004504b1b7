// apply.test.js - 居住证办理 (GAFJ-07-0005, reviewed by two departments in
// parallel) from the citizen's online application to the decision: the guide
// offers online application and refuses an account below the item's real-name
// level; the wizard (prefilled form read-only, uploads with a refused file, the
// missing materials listed live, a draft, submission); the window's intake
// queue and its one-time supplement notice; the citizen supplements; the
// window accepts and prints the acceptance notice; a reviewer of a third
// department sees nothing; the two departments approve in their queues; the
// citizen sees 已办结 with the whole timeline and the stopped clock.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, assertNoSideScroll, idNumber } from './browser.js';
import { DEMO, loginUi, pdfFile, reviewerFor, fetchWithPage } from './journey.js';

const ITEM = 'GAFJ-07-0005';
/* a citizen who registers during the test (310104 徐汇, 1995-05-05, sequence 031) */
const NEWCOMER = idNumber('31010419950505031');

describe('a citizen applies online for 居住证办理; two departments approve', () => {
  let srv;
  let b;
  let item;
  let caseNo;
  let token;
  const mat = (suffix) => item.materials.find((m) => m.code === `${ITEM}-${suffix}`);

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    const r = await srv.api('GET', `/api/v1/items/${ITEM}`);
    assert.equal(r.status, 200, r.text);
    item = r.json;
    token = await srv.login(DEMO.citizen);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('the guide offers online application; an account below real-name level 3 is told why it cannot', async () => {
    assert.equal(item.name, '居住证办理');
    assert.equal(new Set([item.dept, ...(item.review_depts || [])]).size, 2, 'two departments review it');
    assert.ok(item.realname_level >= 3);
    // a citizen registered online: real-name level 2
    const reg = await srv.api('POST', '/api/v1/auth/register', { body: { kind: 'person', id_number: NEWCOMER, name: '李新来', phone: '13700001111', password: DEMO.password } });
    assert.equal(reg.status, 201, reg.text);
    const page = await b.page();
    await page.goto(`${srv.base}/item.html?code=${ITEM}`);
    const login = page.getByTestId('apply-login');
    await login.waitFor();
    assert.equal((await login.innerText()).trim(), '登录后办理');
    assert.equal(await login.getAttribute('href'), `login.html?next=${encodeURIComponent(`apply.html?item=${ITEM}`)}`);
    await login.click();
    await page.waitForURL(/\/login\.html\?next=/);
    await loginUi(page, srv, NEWCOMER, { here: true });
    await page.waitForURL(new RegExp(`/apply\\.html\\?item=${ITEM}$`));
    const refusal = await waitText(page, '[data-testid=apply-realname]', /实名认证/);
    assert.match(refusal, /本事项需要实名认证 3 级，您的账户目前为 2 级/);
    assert.equal(await page.locator('[data-testid=wizard]').count(), 0, 'no wizard for a level-2 account');
    await shot(page, 'apply-realname-1280');
    b.assertClean(page);
    await page.close();
  });

  test('at the hall the clerk finds the citizen and raises the real-name level after checking the ID card', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk');
    await page.waitForURL(/\/workbench\/index\.html$/);
    await page.getByRole('link', { name: '代申请人办理' }).click();
    await page.waitForURL(/\/workbench\/window\.html$/);
    await page.getByLabel('身份证号码、统一社会信用代码或姓名').fill(NEWCOMER);
    await page.getByTestId('lookup').click();
    const hit = page.locator('[data-testid=lookup-results] li').first();
    await hit.waitFor();
    assert.match(await hit.innerText(), /李新来/);
    assert.match(await hit.innerText(), new RegExp(`${NEWCOMER.slice(0, 4)}\\*{10}${NEWCOMER.slice(14)}`), 'masked in the list');
    await hit.getByRole('button', { name: '选择' }).click();
    const record = await waitText(page, '[data-testid=applicant]', /实名认证等级/);
    assert.match(record, new RegExp(NEWCOMER), 'the whole record once chosen');
    assert.match(await text(page, '[data-testid=realname-check]'), /实名认证等级为 2 级/);
    await page.getByLabel('核验方式').selectOption('window');
    await page.getByTestId('realname-raise').click();
    await waitText(page, '#realname-alert', /实名认证等级已提升为 3 级/);
    assert.match(await text(page, '[data-testid=applicant]'), /3 级/);
    assert.equal(await page.locator('[data-testid=realname-check]').count(), 0);
    await shot(page, 'work-realname-1280');
    b.assertClean(page);
    await page.close();

    // the citizen now gets the wizard
    await b.reset();
    const again = await b.page();
    await loginUi(again, srv, NEWCOMER, { next: `apply.html?item=${ITEM}` });
    await again.locator('[data-testid=wizard]').waitFor();
    assert.equal(await again.locator('[data-testid=apply-realname]').count(), 0);
    b.assertClean(again);
    await again.close();
    await b.reset();
  });

  test('the wizard: prefilled form, uploads (a refused file too), missing materials live, a draft, submission', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen);
    await page.goto(`${srv.base}/item.html?code=${ITEM}`);
    await page.getByTestId('apply-online').click();
    await page.waitForURL(new RegExp(`/apply\\.html\\?item=${ITEM}$`));
    assert.equal(await text(page, '[data-testid=apply-title]'), '在线办理：居住证办理');
    assert.match(await text(page, '.stepper [aria-current=step]'), /填写表单/);

    // 1 表单: every field of this item is prefilled from the account, shown read-only
    for (const f of item.form) {
      const input = page.locator(`[data-field="${f.key}"] input, [data-field="${f.key}"] select`).first();
      assert.equal(await input.getAttribute('readonly'), '', `${f.key} is read-only`);
    }
    assert.equal(await page.locator('#f-name').inputValue(), DEMO.citizenName);
    assert.equal(await page.locator('#f-id_number').inputValue(), DEMO.citizen);
    assert.equal(await page.locator('#f-sex').inputValue(), '男');
    assert.equal(await page.locator('#f-birth_date').inputValue(), '1990-03-07');
    assert.match(await text(page, '[data-field=name] .hint'), /已根据实名信息自动填写/);
    await shot(page, 'apply-1-form-1280');

    // a draft: saved, numbered, and the address now names it
    await page.getByTestId('wiz-save').click();
    const saved = await waitText(page, '#apply-alert', /草稿已保存/);
    const draftNo = /办件编号 (XH\d{14,})/.exec(saved)[1];
    await page.waitForURL(new RegExp(`/apply\\.html\\?case=${draftNo}$`));

    // 2 材料
    await page.getByTestId('wiz-next').click();
    assert.match(await text(page, '.stepper [aria-current=step]'), /上传材料/);
    const card = (suffix) => page.locator(`.mat-card[data-code="${ITEM}-${suffix}"]`);
    assert.equal(await card('M01').getAttribute('data-state'), 'missing');
    // the citizen holds no 居民身份证 e-license (the server says so before anything is sent): no promise, an upload
    assert.equal(await card('M02').getAttribute('data-state'), 'missing');
    assert.match(await card('M02').innerText(), /您名下没有有效的“居民身份证”电子证照，请上传此材料/);
    await page.getByLabel(`上传：${mat('M01').name}`).setInputFiles(pdfFile('application form', '居住证申请表.pdf'));
    await waitText(page, `[data-testid="mat-state-${ITEM}-M01"]`, /已上传：居住证申请表\.pdf/);
    assert.equal(await card('M01').getAttribute('data-state'), 'file');
    // not a PDF, whatever its name says: the server refuses it and the card says so
    await page.getByLabel(`上传：${mat('M07').name}`).setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 this is a program, not a picture') });
    await waitText(page, `[data-testid="mat-error-${ITEM}-M07"]`, /只能上传 PDF、JPEG、PNG 或 OFD 文件/);
    assert.equal(await card('M07').getAttribute('data-state'), 'missing');
    await shot(page, 'apply-2-materials-1280');

    // 3 确认: the photo is listed as missing, the application form is not
    await page.getByTestId('wiz-next').click();
    const missing = await waitText(page, '[data-testid=confirm] [data-testid=missing]', /还缺少/);
    assert.match(missing, new RegExp(mat('M07').name.replace(/[()（）]/g, '.')));
    assert.doesNotMatch(missing, new RegExp(mat('M01').name));
    // submitting anyway: nothing is sent; the first missing material is named and shown
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '#apply-alert', new RegExp(`材料“${mat('M02').name}”还没有提交`));
    assert.match(await text(page, '.stepper [aria-current=step]'), /上传材料/);
    assert.match(await card('M02').getAttribute('class'), /mat-card-error/);

    // the rest uploaded
    // the identity card: by e-license when the server found one for the draft, else uploaded
    if ((await card('M02').getAttribute('data-state')) === 'license') {
      assert.match(await text(page, `[data-testid="mat-state-${ITEM}-M02"]`), /已由电子证照免于提交/);
    } else {
      await page.getByLabel(`上传：${mat('M02').name}`).setInputFiles(pdfFile('identity card'));
      await waitText(page, `[data-testid="mat-state-${ITEM}-M02"]`, /已上传/);
    }
    await page.getByLabel(`上传：${mat('M07').name}`).setInputFiles(pdfFile('photo'));
    await waitText(page, `[data-testid="mat-state-${ITEM}-M07"]`, /已上传/);
    assert.equal(await text(page, '[data-testid=missing-live]'), '必交材料已齐全');
    await page.getByTestId('wiz-next').click();
    await waitText(page, '[data-testid=confirm] [data-testid=missing]', /必交材料已齐全，可以提交/);
    assert.equal(await text(page, '[data-testid=confirm-applicant]'), `${DEMO.citizenName}（${DEMO.citizen}）`);
    assert.match(await text(page, `[data-testid=confirm-mats] [data-code="${ITEM}-M01"]`), /已上传：居住证申请表\.pdf/);
    await shot(page, 'apply-3-confirm-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'apply-3-confirm-360');
    await page.setViewportSize({ width: 1280, height: 900 });

    // 4 提交
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '[data-testid=submitted]', /申请已提交/);
    caseNo = await text(page, '[data-testid=result] [data-testid=case-no]');
    assert.equal(caseNo, draftNo, 'the draft was submitted');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'apply-4-submitted-1280');

    const r = await srv.api('GET', `/api/v1/cases/${caseNo}`, { token });
    assert.equal(r.json.status, 'submitted');
    for (const s of ['M01', 'M07']) {
      assert.equal(r.json.materials.find((m) => m.material_code === `${ITEM}-${s}`).source, 'file', s);
    }
    assert.notEqual(r.json.materials.find((m) => m.material_code === `${ITEM}-M02`).source, 'none');
    assert.equal(r.json.missing_materials, 0);
    b.assertClean(page);
    await page.close();
  });

  test('the clerk lands on the workbench, finds it in the intake queue and sends the one-time supplement notice', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk');
    await page.waitForURL(/\/workbench\/index\.html$/);
    assert.match(await text(page, '[data-testid=card-intake]'), /待受理 1 件/);
    await page.getByRole('link', { name: '待受理办件' }).click();
    await page.waitForURL(/\/workbench\/cases\.html\?status=submitted$/);
    const row = page.locator(`[data-testid=case-table] tr[data-case="${caseNo}"]`);
    assert.match(await row.innerText(), /居住证办理/);
    assert.match(await row.innerText(), /3101\*{10}2013/, 'the ID number is masked in the list');
    await shot(page, 'work-intake-1280');
    await row.getByRole('link', { name: caseNo }).click();
    await page.waitForURL(new RegExp(`/workbench/case\\.html\\?no=${caseNo}$`));
    assert.match(await text(page, '[data-testid=mat-summary]'), /^必交材料 (\d+) 项，已齐 \1 项$/);
    assert.equal(await page.locator(`[data-testid="preview-${ITEM}-M01"]`).count(), 1);
    const preview = await fetchWithPage(page, `${srv.base}${await page.locator(`[data-testid="preview-${ITEM}-M01"]`).getAttribute('href')}`);
    assert.equal(preview.head.slice(0, 5), '%PDF-', 'the upload can be previewed');

    await page.getByTestId('mode-supplement').click();
    const photo = page.locator(`.supp-row[data-what="${ITEM}-M07"]`);
    await photo.locator('input[type=checkbox]').check();
    await photo.locator('input[type=text]').fill('照片模糊，请上传近期一寸免冠照片');
    await shot(page, 'work-supplement-request-1280');
    await page.getByTestId('request-supplement').click();
    await waitText(page, '[data-testid=flash]', /已一次性告知申请人补正/);
    assert.equal(await text(page, '[data-testid=case-status]'), '待补正');
    assert.match(await text(page, '[data-testid=supplement-notice]'), /照片模糊，请上传近期一寸免冠照片/);
    const pdf = await fetchWithPage(page, `${srv.base}/api/v1/cases/${caseNo}/notices/supplement.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.type, 'application/pdf');
    b.assertClean(page);
    await page.close();
  });

  test('the citizen sees the notice in 我的办件 and supplements', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen);
    await page.getByTestId('my-cases').click();
    await page.waitForURL(/\/cases\.html$/);
    const row = page.locator(`.case-row[data-case="${caseNo}"]`);
    assert.match(await row.innerText(), /待补正/);
    await shot(page, 'cases-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'cases-360');
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.getByRole('link', { name: '居住证办理' }).click();
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${caseNo}$`));
    const notice = await text(page, '[data-testid=supplement-notice]');
    assert.match(notice, /一次性告知以下需补正的内容/);
    assert.match(notice, new RegExp(mat('M07').name.replace(/[()（）]/g, '.')));
    assert.match(notice, /照片模糊，请上传近期一寸免冠照片/);
    assert.doesNotMatch(notice, /王窗口/, 'no staff name in the notice');
    await shot(page, 'case-supplement-1280');

    // the form asks for the listed photo first
    await page.getByTestId('supp-submit').click();
    await waitText(page, '#supp-alert', /请上传告知书所列的材料/);
    await page.locator('[data-testid=supp-materials]').getByLabel(`上传：${mat('M07').name}`).setInputFiles(pdfFile('new photo', '新照片.pdf'));
    await waitText(page, `#s-supplement [data-testid="mat-state-${ITEM}-M07"]`, /已上传：新照片\.pdf/);
    await page.getByTestId('supp-submit').click();
    await waitText(page, '[data-testid=flash]', /补正已提交/);
    assert.equal(await text(page, '[data-testid=case-status]'), '待受理');
    assert.equal(await page.locator('#s-supplement').count(), 0);
    b.assertClean(page);
    await page.close();
  });

  test('the clerk accepts it and opens the acceptance notice PDF', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/case.html?no=${caseNo}` });
    await page.waitForURL(new RegExp(`/workbench/case\\.html\\?no=${caseNo}$`));
    assert.match(await text(page, '[data-testid=timeline]'), /补正材料/);
    // one notice per case: the supplement form is gone
    await page.getByTestId('mode-supplement').click();
    assert.match(await text(page, '[data-testid=supp-once]'), /已发出过一次性告知/);
    await page.getByTestId('mode-accept').click();
    await page.getByTestId('accept').click();
    await waitText(page, '[data-testid=flash]', /已受理/);
    assert.equal(await text(page, '[data-testid=case-status]'), '审查中');
    assert.equal(await page.getAttribute('[data-testid=clock-box]', 'data-light'), 'green');
    const tasks = page.locator('[data-testid=tasks] tbody tr');
    assert.equal(await tasks.count(), 2);
    const link = page.locator('[data-testid=notices] a[data-notice=acceptance]');
    assert.match(await link.innerText(), /受理通知书/);
    assert.equal(await link.getAttribute('target'), '_blank');
    // opening it: the new tab receives the PDF
    const response = page.context().waitForEvent('response', (r) => r.url().endsWith(`/api/v1/cases/${caseNo}/notices/acceptance.pdf`));
    await link.click();
    const res = await response;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdf = await fetchWithPage(page, `${srv.base}${await link.getAttribute('href')}`);
    assert.equal(pdf.head.slice(0, 5), '%PDF-');
    for (const p of page.context().pages()) if (p !== page) await p.close();
    await shot(page, 'work-accepted-1280');
    b.assertClean(page);
    await page.close();
  });

  test('a reviewer of a third department sees neither the task nor the case', async () => {
    const depts = new Set([item.dept, ...(item.review_depts || [])]);
    const other = ['XH-WJW', 'XH-SWJ', 'XH-RSJ', 'XH-CL'].find((d) => !depts.has(d) && reviewerFor(srv, d));
    const login = reviewerFor(srv, other);
    assert.ok(login, 'a demo reviewer of another department');
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, login);
    await page.waitForURL(/\/workbench\/index\.html$/);
    await page.goto(`${srv.base}/workbench/queue.html`);
    await waitText(page, '[data-testid=queue-empty]', /队列中没有任务/);
    assert.equal(await page.locator(`tr[data-case="${caseNo}"]`).count(), 0);
    await page.goto(`${srv.base}/workbench/case.html?no=${caseNo}`);
    await waitText(page, '[data-testid=case-notfound]', /未找到此办件/);
    await shot(page, 'work-other-dept-1280');
    b.assertClean(page);
    await page.close();
  });

  test('each of the two departments approves in its own queue', async () => {
    const depts = [...new Set([item.dept, ...(item.review_depts || [])])];
    for (const [i, dept] of depts.entries()) {
      const login = reviewerFor(srv, dept);
      assert.ok(login, `a demo reviewer for ${dept}`);
      await b.reset();
      const page = await b.page();
      await loginUi(page, srv, login);
      await page.waitForURL(/\/workbench\/index\.html$/);
      await page.getByRole('link', { name: '打开审查队列' }).click();
      const row = page.locator(`[data-testid=queue] tr[data-case="${caseNo}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-dept'), dept);
      assert.equal(await row.getAttribute('data-light'), 'green');
      assert.match(await row.innerText(), /正常/);
      if (i === 0) await shot(page, 'work-queue-1280');
      await row.getByRole('link', { name: caseNo }).click();
      const panel = page.locator(`[data-testid="task-panel-${dept}"]`);
      await panel.waitFor();
      assert.equal(await page.locator('.task-panel').count(), 1, 'only its own department’s task');
      await panel.locator('textarea').fill('材料齐全，符合条件，同意。');
      await panel.getByRole('button', { name: '提交审查决定' }).click();
      await panel.getByRole('button', { name: '确认同意' }).click();
      await waitText(page, '[data-testid=flash]', /已同意/);
      assert.equal(await text(page, '[data-testid=case-status]'), i === depts.length - 1 ? '已办结' : '审查中');
      b.assertClean(page);
      await page.close();
    }
  });

  test('the citizen sees 已办结 with the whole timeline and the stopped clock', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `case.html?no=${caseNo}` });
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${caseNo}$`));
    assert.equal(await text(page, '[data-testid=case-status]'), '已办结');
    assert.match(await text(page, '[data-testid=outcome]'), /已办结：准予/);
    const actions = await page.locator('[data-testid=timeline] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(actions, ['case.submit', 'case.request_supplement', 'case.supplement', 'case.accept', 'task.decide', 'task.decide', 'case.approve']);
    const tl = await text(page, '[data-testid=timeline]');
    assert.match(tl, /王\*\s*（综合窗口）/, 'the clerk, masked');
    assert.doesNotMatch(tl, /王窗口/);
    assert.match(tl, /同意/);
    assert.equal(await page.getAttribute('[data-testid=clock-box]', 'data-light'), 'stopped');
    assert.match(await text(page, '[data-testid=clock-box]'), /已停止计时\s*按时办结/);
    const kinds = await page.locator('[data-testid=notices] a').evaluateAll((els) => els.map((e) => e.getAttribute('data-notice')));
    assert.deepEqual(kinds, ['receipt', 'supplement', 'acceptance', 'decision']);
    const decision = await fetchWithPage(page, `${srv.base}/api/v1/cases/${caseNo}/notices/decision.pdf`);
    assert.equal(decision.type, 'application/pdf');
    assert.equal(await page.locator('[data-testid=withdraw]').count(), 0, 'no withdrawal after the decision');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'case-done-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'case-done-360');
    b.assertClean(page);
    await page.close();
  });
});
