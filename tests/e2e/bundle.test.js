// bundle.test.js - 企业开办 (BND-QYKB), the "one thing" bundle, end to end as the
// demo company: one form and one set of materials for every item (each kind of
// material asked once, the 营业执照 that step 1 issues and the tables the one
// form fills in not asked at all: six uploads instead of 33 slots), the window
// accepts the bundle, the market regulator (step 1) approves, then every
// department of step 2 approves its item in its own queue (the demo reviewer
// of that department, or the chief approval officer where a department has
// none), and the company watches one progress bar reach done.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, assertNoSideScroll } from './browser.js';
import { DEMO, loginUi, pdfFile, raiseRealname, reviewerFor, sampleValue } from './journey.js';

const BUNDLE = 'BND-QYKB';

describe('the 企业开办 bundle, end to end as the demo company', () => {
  let srv;
  let b;
  let bundle;
  let items;
  let caseNo;
  let companyToken;

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    const r = await srv.api('GET', `/api/v1/bundles/${BUNDLE}`);
    assert.equal(r.status, 200, r.text);
    bundle = r.json;
    items = [];
    for (const s of bundle.steps) {
      for (const it of s.items) {
        const x = await srv.api('GET', `/api/v1/items/${it.code}`);
        items.push({ ...x.json, step: s.step });
      }
    }
    await raiseRealname(srv, DEMO.company, Math.max(...items.map((i) => Number(i.realname_level) || 1)));
    companyToken = await srv.login(DEMO.company);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  /** The bundle case as the company sees it (through the API). */
  async function theCase() {
    const r = await srv.api('GET', `/api/v1/cases/${caseNo}`, { token: companyToken });
    assert.equal(r.status, 200, r.text);
    return r.json;
  }

  /** Log in as `login`, open the workbench queue (of `dept` for the chief), approve the task of sub-case `subNo`. */
  async function approveInQueue(login, dept, subNo, name) {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, login, { next: login === 'chief' ? `workbench/queue.html?dept=${dept}` : 'workbench/queue.html' });
    const row = page.locator(`[data-testid=queue] tr[data-case="${subNo}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-dept'), dept);
    assert.match(await row.innerText(), /一件事/);
    await row.getByRole('link', { name: subNo }).click();
    await page.waitForURL(new RegExp(`/workbench/case\\.html\\?no=${subNo}$`));
    assert.equal(await text(page, '[data-testid=case-title]'), name);
    const panel = page.locator(`[data-testid="task-panel-${dept}"]`);
    await panel.waitFor();
    assert.equal(await panel.locator('input[value=return]').count(), 0, 'an item of a bundle is not returned alone');
    await panel.locator('textarea').fill('符合登记条件，同意。');
    await panel.getByRole('button', { name: '提交审查决定' }).click();
    await panel.getByRole('button', { name: '确认同意' }).click();
    await waitText(page, '[data-testid=flash]', /已同意/);
    assert.equal(await text(page, '[data-testid=case-status]'), '已办结');
    b.assertClean(page);
    await page.close();
  }

  test('the company applies for 企业开办: one form, one set of materials', async () => {
    assert.equal(bundle.name, '企业开办');
    assert.equal(bundle.steps.length, 2);
    const page = await b.page();
    await page.goto(`${srv.base}/bundle.html?code=${BUNDLE}`);
    await page.getByTestId('apply-login').click();
    await loginUi(page, srv, DEMO.company, { here: true });
    await page.waitForURL(new RegExp(`/apply\\.html\\?bundle=${BUNDLE}$`));
    assert.equal(await text(page, '[data-testid=apply-title]'), '在线办理：企业开办');

    // 1: the union of the items' fields, each once; prefilled ones read-only, the rest typed in
    const fields = [];
    for (const it of items) for (const f of it.form || []) if (!fields.some((x) => x.key === f.key)) fields.push(f);
    assert.equal(await page.locator('[data-testid=form-fields] .field').count(), fields.length);
    for (const f of fields) {
      const wrap = page.locator(`[data-testid=form-fields] [data-field="${f.key}"]`);
      const input = wrap.locator('input, select, textarea').first();
      if ((await input.getAttribute('readonly')) !== null) continue;
      if (f.type === 'choice') await input.selectOption(sampleValue(f));
      else await input.fill(sampleValue(f, { uscc: DEMO.company }));
    }
    assert.equal(await page.locator('#f-uscc').inputValue(), DEMO.company);
    await shot(page, 'bundle-1-form-1280');
    await page.getByTestId('wiz-next').click();

    // 2: one set of materials: each kind once for all items (by e-license type, else
    // by name), the 营业执照 step 1 issues shown as coming from it, nothing to upload
    await page.locator('[data-testid=mats-box][data-checked=true]').waitFor();
    const pre = await srv.api('POST', '/api/v1/cases/precheck', { token: companyToken, body: { bundle_code: BUNDLE } });
    assert.equal(pre.status, 200, pre.text);
    const kinds = new Set(pre.json.materials.map((m) => (m.status === 'produced' ? `produced:${m.license_type}` : m.license_type || m.name)));
    const all = items.flatMap((i) => i.materials);
    assert.equal(await page.locator('.mat-card').count(), kinds.size, 'one card per kind of material');
    assert.ok(kinds.size < all.length, `${kinds.size} cards for ${all.length} materials of ${items.length} items`);
    // what there is to hand in comes first, what is not needed last
    const order = await page.locator('.mat-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    const rank = (st) => (st === 'missing' ? 0 : st === 'optional' ? 1 : 2);
    assert.deepEqual(order, [...order].sort((a, b) => rank(a) - rank(b)), order.join(' '));
    const produced = page.locator('.mat-card[data-state=produced]');
    assert.equal(await produced.count(), 1, 'the 营业执照 of the later steps: one card');
    assert.match(await produced.innerText(), /无需提交：第1步“企业设立登记”办结后签发的电子营业执照/);
    assert.equal(await produced.locator('input[type=file]').count(), 0, 'nothing to upload for it');
    const authz = page.locator('.mat-card', { hasText: '授权委托书及受托人身份证件' });
    assert.equal(await authz.count(), 1, '授权委托书 once');
    assert.match(await authz.innerText(), /个事项共用/);
    const todo = page.locator('.mat-card[data-state=missing]');
    const n = await todo.count();
    const required = items.flatMap((i) => i.materials.filter((m) => m.required === 'required'));
    assert.ok(n > 0 && n <= 7, `${n} of ${required.length} required materials to upload: about seven, not 33`);
    // the registration tables the one form fills in (一表生成): shown, never uploaded
    const byForm = page.locator('.mat-card[data-state=form]');
    assert.ok(await byForm.count() >= 1);
    assert.match(await byForm.first().innerText(), /由“一件事”一表填报自动生成/);
    assert.equal(await byForm.locator('input[type=file]').count(), 0);
    for (let i = 0; i < n; i++) {
      const card = page.locator('.mat-card[data-state=missing]').first();
      const code = await card.getAttribute('data-code');
      await card.locator('input[type=file]').setInputFiles(pdfFile(code));
      await page.locator(`.mat-card[data-code="${code}"][data-state=file]`).waitFor();
    }
    assert.equal(await text(page, '[data-testid=missing-live]'), '必交材料已齐全');
    await shot(page, 'bundle-2-materials-1280');
    await page.getByTestId('wiz-next').click();
    await waitText(page, '[data-testid=confirm] [data-testid=missing]', /必交材料已齐全/);
    await page.getByTestId('wiz-submit').click();
    await waitText(page, '[data-testid=submitted]', /申请已提交/);
    caseNo = await text(page, '[data-testid=result] [data-testid=case-no]');

    // the case page: one progress bar at 0 of 7, one clock, each item's department
    await page.getByRole('link', { name: '查看办件' }).click();
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${caseNo}$`));
    const bar = page.getByTestId('progress');
    assert.equal(await bar.getAttribute('data-done'), '0');
    assert.equal(await bar.getAttribute('data-total'), String(items.length));
    assert.equal(await page.locator('[data-testid=progress]').count(), 1, 'one progress bar');
    assert.equal(await page.locator('.sub-case').count(), items.length);
    assert.equal(await text(page, '[data-testid=case-status]'), '待受理');
    b.assertClean(page);
    await page.close();
  });

  test('the clerk accepts the bundle: the clock starts and step 1 goes to the market regulator', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: 'workbench/cases.html?status=submitted' });
    const row = page.locator(`[data-testid=case-table] tr[data-case="${caseNo}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /企业开办/);
    await row.getByRole('link', { name: caseNo }).click();
    await page.locator('[data-testid=sub-cases]').waitFor();
    assert.match(await text(page, '[data-testid=mat-summary]'), /^必交材料 (\d+) 项，已齐 \1 项$/);
    await page.getByTestId('accept').click();
    await waitText(page, '[data-testid=flash]', /已受理/);
    assert.equal(await text(page, '[data-testid=case-status]'), '审查中');
    assert.equal(await page.getAttribute('[data-testid=clock-box]', 'data-light'), 'green');
    // the step-2 items wait for step 1: said so, without a clock warning
    const waiting = page.locator('[data-testid=sub-cases] tr', { hasText: '等待前序事项' });
    assert.equal(await waiting.count(), items.filter((i) => i.step === 2).length);
    assert.match(await waiting.first().innerText(), /前序事项办结后开始计时/);
    assert.doesNotMatch(await waiting.first().innerText(), /审查中|未开始计时/);
    await shot(page, 'bundle-accepted-1280');
    b.assertClean(page);
    await page.close();
    const k = await theCase();
    const step1 = k.sub_cases.filter((s) => s.bundle_step === 1);
    assert.ok(step1.every((s) => s.tasks.length === 1 && s.tasks[0].status === 'pending'));
    assert.ok(k.sub_cases.filter((s) => s.bundle_step === 2).every((s) => s.tasks.length === 0), 'step 2 waits for step 1');
  });

  test('step 1: the XH-SCJ reviewer approves 企业设立登记', async () => {
    const k = await theCase();
    for (const s of k.sub_cases.filter((x) => x.bundle_step === 1)) {
      await approveInQueue(reviewerFor(srv, s.dept) || 'chief', s.dept, s.case_no, s.title);
    }
    const after = await theCase();
    assert.ok(after.sub_cases.filter((s) => s.bundle_step === 2).every((s) => s.tasks.some((t) => t.status === 'pending')), 'step 2 has its tasks now');
  });

  test('the supervisor sees the step 2 tasks by department and light, read only', async () => {
    const k = await theCase();
    const step2 = k.sub_cases.filter((s) => s.bundle_step === 2);
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'supervisor');
    await page.waitForURL(/\/workbench\/index\.html$/);
    await page.getByRole('link', { name: '打开监察总览' }).click();
    await page.waitForURL(/\/workbench\/overview\.html$/);
    const counts = page.getByTestId('light-counts');
    await counts.waitFor();
    const total = await counts.locator('li strong').evaluateAll((els) => els.reduce((a, e) => a + Number(e.textContent), 0));
    assert.equal(total, step2.length, 'every pending task counted once by its light');
    for (const dept of new Set(step2.map((s) => s.dept))) {
      const row = page.locator(`[data-testid=dept-lights] tr[data-dept="${dept}"]`);
      assert.equal(await row.locator('td.num').last().innerText(), String(step2.filter((s) => s.dept === dept).length), dept);
    }
    assert.equal(await page.locator(`[data-testid=case-table] tr[data-case="${caseNo}"]`).count(), 1);
    await shot(page, 'work-overview-1280');
    // a sub-case: everything visible, nothing to act on
    await page.goto(`${srv.base}/workbench/case.html?no=${step2[0].case_no}`);
    await page.getByTestId('read-only').waitFor();
    assert.equal(await page.locator('.task-panel, #s-window, #s-pause').count(), 0);
    assert.match(await text(page, '[data-testid=mat-summary]'), /^必交材料 (\d+) 项，已齐 \1 项$/);
    b.assertClean(page);
    await page.close();
  });

  test('step 2: each department approves its item in its own queue (the chief where no demo reviewer exists)', async () => {
    const k = await theCase();
    const step2 = k.sub_cases.filter((s) => s.bundle_step === 2);
    assert.equal(step2.length, 6);
    const who = step2.map((s) => [s.title, s.dept, reviewerFor(srv, s.dept) || 'chief']);
    for (const [i, s] of step2.entries()) {
      await approveInQueue(who[i][2], s.dept, s.case_no, s.title);
    }
    assert.ok(who.some(([, , w]) => w !== 'chief'), `reviewers: ${JSON.stringify(who)}`);
  });

  test('the company sees one progress bar reach done', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.company);
    await page.getByTestId('my-cases').click();
    const row = page.locator(`.case-row[data-case="${caseNo}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /已办结/);
    await row.getByRole('link', { name: '企业开办' }).click();
    await page.waitForURL(new RegExp(`/case\\.html\\?no=${caseNo}$`));
    const bar = page.getByTestId('progress');
    assert.equal(await bar.getAttribute('data-done'), String(items.length));
    assert.equal(await bar.getAttribute('data-total'), String(items.length));
    assert.match(await bar.innerText(), new RegExp(`${items.length}/${items.length} 个事项已办结（100%）`));
    assert.equal(await page.locator('[data-testid=progress]').count(), 1, 'one progress bar');
    assert.equal(await page.locator('.sub-case[data-status=approved]').count(), items.length);
    assert.equal(await text(page, '[data-testid=case-status]'), '已办结');
    assert.equal(await page.getAttribute('[data-testid=clock-box]', 'data-light'), 'stopped');
    assert.match(await text(page, '[data-testid=outcome]'), /已办结：准予/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'bundle-done-1280');
    await page.setViewportSize(PHONE);
    await assertNoSideScroll(page);
    await shot(page, 'bundle-done-360');
    b.assertClean(page);
    await page.close();
  });
});
