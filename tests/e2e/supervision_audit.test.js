// supervision_audit.test.js - the supervisors' audit viewer (审计查询) in the
// browser: the supervisor finds a case's audit records by its number, each
// checked in the chain, verifies the whole chain, exports what was found as
// CSV and follows a record's actor; a reviewer has no audit page.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { loginUi, applyApi, reviewerFor, DEMO } from './journey.js';

const ITEM = 'GAFJ-20-0001';

describe('supervision: the audit viewer in the workbench', () => {
  let srv;
  let b;
  let k;

  before(async () => {
    srv = await startPortal({ clock: '2026-11-02T10:00:00+08:00' });
    b = await openBrowser();
    const citizen = await srv.login(DEMO.citizen, DEMO.password);
    const clerk = await srv.login('clerk');
    k = await applyApi(srv, citizen, ITEM);
    const r = await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: clerk, body: {} });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('the supervisor finds a case in the audit chain, verifies the chain and exports the records', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'supervisor', { next: 'workbench/index.html' });
    await page.locator('nav a[href$="audit.html"]').first().click();
    await page.locator('[data-testid=audit-filter]').waitFor();
    await page.fill('#f-obj_id', k.case_no);
    await page.fill('#f-from', '2026-11-02');
    await page.click('[data-testid=audit-filter] button[type=submit]');
    await page.waitForURL(/obj_id=/);
    const rows = page.locator('[data-testid=audit-records] tbody tr');
    await rows.first().waitFor();
    const n = await rows.count();
    assert.ok(n >= 2, 'submitted and accepted');
    assert.match(await text(page, '[data-testid=audit-records]'), /case\.accept/);
    for (let i = 0; i < n; i++) assert.equal(await rows.nth(i).locator('[data-testid=chain]').getAttribute('data-ok'), 'true');
    assert.match(await text(page, '[data-testid=audit-records] [data-testid=chain]'), /完整/);

    await page.click('[data-testid=verify]');
    await waitText(page, '[data-testid=verify-result]', /审计链完整/);
    assert.equal(await page.locator('[data-testid=verify-result] [data-intact]').getAttribute('data-intact'), 'true');

    const href = await page.locator('[data-testid=audit-csv]').getAttribute('href');
    assert.match(href, new RegExp(`obj_id=${k.case_no}`));
    const csv = await page.request.get(new URL(href, page.url()).toString());
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.match(lines[0], /^序号 seq/);
    assert.equal(lines.length - 1, n);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'supervision-audit');

    // the actor of a record: every record of that account
    await rows.first().locator('td').nth(2).locator('a').click();
    await page.waitForURL(/actor=/);
    await page.locator('[data-testid=audit-records]').waitFor();
    const actor = new URL(page.url()).searchParams.get('actor');
    const actors = await page.locator('[data-testid=audit-records] tbody tr td:nth-child(3) a').allTextContents();
    assert.ok(actors.length > 0 && actors.every((a) => a === actor));
    b.assertClean(page);
  });

  test('a reviewer has no audit page', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, reviewerFor(srv, 'XH-GAFJ'), { next: 'workbench/audit.html' });
    await page.locator('[data-testid=no-role]').waitFor();
    assert.equal(await page.locator('nav a[href$="audit.html"]').count(), 0);
    b.assertClean(page);
  });
});
