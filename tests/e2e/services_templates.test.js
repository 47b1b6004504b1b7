// services_templates.test.js - message templates in the browser: the
// administrator opens workbench/templates.html, tries a placeholder the
// consultation answer does not provide (refused, the reason shown, nothing
// saved), saves a new Chinese text; the XH-SCJ reviewer answers the demo
// citizen's question on workbench/consult.html and the citizen's inbox shows
// the message in the new words.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText } from './browser.js';
import { loginUi, DEMO } from './journey.js';

describe('message templates: edited by the administrator, used by the next message', () => {
  let srv, b;
  before(async () => {
    srv = await startPortal({ clock: '2026-09-28T08:30:00+08:00' });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('edit, refuse a bad placeholder, save; the answer arrives in the new words', async () => {
    let page = await b.page();
    await loginUi(page, srv, 'admin', { next: 'workbench/templates.html' });
    const ed = page.locator('[data-template="consultation.answered"][data-lang="zh"]');
    await ed.waitFor();
    assert.match(await ed.innerText(), /\{answer\}/, 'the placeholders it may use are listed');
    const body = ed.locator('textarea');
    assert.equal(await body.inputValue(), '您关于“{item}”的咨询已答复：{answer}');
    await body.fill('答复来了：{reply}');
    await ed.locator('button').click();
    await waitText(page, '[data-template="consultation.answered"][data-lang="zh"] .svc-flash', /unknown placeholder \{reply\}|未知占位符/);
    await body.fill('【新模板】您问的“{item}”已有答复：{answer}');
    await ed.locator('button').click();
    await waitText(page, '[data-template="consultation.answered"][data-lang="zh"] .svc-flash', /已保存/);
    await shot(page, 'services-templates');
    b.assertClean(page);
    await page.reload();
    await page.locator('[data-template="consultation.answered"][data-lang="zh"] textarea').waitFor();
    assert.equal(await page.locator('[data-template="consultation.answered"][data-lang="zh"] textarea').inputValue(), '【新模板】您问的“{item}”已有答复：{answer}', 'stored');
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, 'reviewer', { next: 'workbench/consult.html' });
    const q = page.locator('[data-testid=consultations] form').filter({ hasText: '报名考试需要哪些材料' });
    await q.locator('textarea').fill('身份证明、体检报告和培训证明。');
    await q.locator('button[type=submit]').click();
    await page.locator('[data-testid=consultations] form').filter({ hasText: '报名考试需要哪些材料' }).waitFor({ state: 'detached' });
    await page.close();
    await b.reset();

    page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'inbox.html' });
    await waitText(page, '[data-testid=inbox]', /【新模板】您问的“特种设备作业人员资格认定”已有答复：身份证明、体检报告和培训证明。/);
    b.assertClean(page);
    await page.close();
  });
});
