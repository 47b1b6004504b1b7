// payments.test.js - fees and payments in the browser (issue 18): the demo
// citizen's passport case (普通护照申领, 120元) waits in 待缴费; on the case page
// the pay step shows ¥120.00 and 去支付 opens the gateway simulator's page
// (tools/paysim); 确认支付 comes back to the case, which goes on to 待受理 once
// the signed notification arrived, with the receipt's link.  A second case is
// paid at the window: the clerk finds it on the workbench's payments page by
// case number, records the POS reference and asks for a refund of 20元, which
// finance approves on the same page.  Finance imports the day's
// settlement file with one planted line and reads the one mismatch.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, untranslated } from './browser.js';
import { loginUi, DEMO, uploadApi, fetchWithPage } from './journey.js';
import { fillForm } from '../api/world.js';
import { startPaysim } from '../api/paysim.js';
import { tempDir } from '../api/harness.js';

const PASSPORT = 'GAFJ-01-0003';

describe('payments: pay online through the gateway, at the window, and reconcile', () => {
  let srv, sim, b, token;
  const t = {};

  async function applyFor(code) {
    const it = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    const materials = [];
    for (const m of it.materials.filter((x) => x.required === 'required')) materials.push({ material_code: m.code, file_id: await uploadApi(srv, token, m.code) });
    const r = await srv.api('POST', '/api/v1/cases', { token, body: { item_code: code, form: fillForm(it), materials } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'on_hold');
    return r.json;
  }

  before(async () => {
    sim = await startPaysim();
    srv = await startPortal({ args: sim.ywtbArgs() });
    b = await openBrowser();
    token = await srv.login(DEMO.citizen);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
    sim?.close();
  });

  test('the citizen pays online; the case goes on and the receipt prints', async () => {
    const k = await applyFor(PASSPORT);
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `case.html?no=${k.case_no}` });
    await waitText(page, '[data-testid=case-status]', /待缴费/);
    await waitText(page, '[data-testid=pay-amount]', /¥120\.00/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'payments-pay-step');
    await Promise.all([page.waitForURL((u) => u.origin === sim.base), page.locator('[data-testid=pay-online]').click()]);
    await waitText(page, 'body', /模拟收银台/);
    await shot(page, 'payments-gateway');
    await Promise.all([page.waitForURL((u) => u.origin === srv.base && /case\.html/.test(u.pathname)), page.locator('#pay').click()]);
    for (let i = 0; i < 50; i++) {
      const s = (await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token })).json.status;
      if (s === 'submitted') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.reload();
    await waitText(page, '[data-testid=case-status]', /待受理/);
    await waitText(page, '[data-testid=pay-status]', /已缴费/);
    const href = await page.locator('[data-testid=pay-receipt]').getAttribute('href');
    const pdf = await fetchWithPage(page, srv.base + href);
    assert.equal(pdf.status, 200);
    assert.match(pdf.type, /application\/pdf/);
    await shot(page, 'payments-paid');
    b.assertClean(page);
  });

  test('the window records a POS payment on the workbench', async () => {
    const k = await applyFor(PASSPORT);
    const page = await b.page();
    // the workbench lists the cases waiting for payment (待缴费) under their own tab
    await loginUi(page, srv, 'clerk', { next: 'workbench/cases.html?status=on_hold' });
    await waitText(page, '[data-testid=case-table]', new RegExp(k.case_no));
    assert.match(await page.locator('.work-tabs [aria-current=page]').innerText(), /待缴费/);
    await page.goto(`${srv.base}/workbench/payments.html?case_no=${k.case_no}`);
    await waitText(page, '[data-testid=order-status]', /待缴费/);
    assert.deepEqual(await untranslated(page), []);
    await page.locator('[data-testid=pos-ref]').fill('POS-E2E-0001');
    await page.locator('[data-testid=pos-record]').click();
    await waitText(page, '[data-testid=order-status]', /已缴费/);
    await shot(page, 'payments-window');
    const kk = (await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token })).json;
    assert.equal(kk.status, 'submitted');
    // a refund of 20元 asked for at the window, with its reason
    const card = page.locator(`[data-order]`).first();
    await card.locator('input[name=refund]').fill('20.00');
    await card.locator('input[name=refund_reason]').fill('多收工本费');
    await card.locator('button', { hasText: '申请退款' }).click();
    await waitText(page, '[data-testid=pay-orders]', /退款申请已提交/);
    b.assertClean(page);
    t.refundOrder = (await srv.api('GET', `/api/v1/payments/orders?case_no=${k.case_no}`, { token: await srv.login('clerk') })).json.items[0].order_no;
  });

  test('finance approves the refund', async () => {
    const page = await b.page();
    await loginUi(page, srv, 'finance', { next: 'workbench/payments.html' });
    await waitText(page, '[data-testid=pay-refunds]', new RegExp(t.refundOrder));
    await waitText(page, '[data-testid=pay-refunds]', /多收工本费/);
    await page.locator('[data-testid=pay-refunds] button', { hasText: '批准' }).click();
    await waitText(page, '[data-testid=pay-refunds]', /没有待审批的退款/);
    const o = (await srv.api('GET', `/api/v1/payments/orders/${t.refundOrder}`, { token: await srv.login('finance') })).json;
    assert.equal(o.refunded_fen, 2000);
    assert.equal(o.refunds[0].status, 'approved');
    b.assertClean(page);
  });

  test('the window pays the approved refund back at its POS and records the reference', async () => {
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/payments.html?case_no=${(await srv.api('GET', `/api/v1/payments/orders/${t.refundOrder}`, { token: await srv.login('clerk') })).json.case_no}` });
    const form = page.locator('[data-testid=pay-payouts] form').first();
    await form.waitFor();
    await form.locator('input[name=payout_ref]').fill('POS-E2E-RF-1');
    await form.locator('button', { hasText: '登记已退款' }).click();
    await waitText(page, '[data-testid=pay-orders]', /已登记退款/);
    const o = (await srv.api('GET', `/api/v1/payments/orders/${t.refundOrder}`, { token: await srv.login('finance') })).json;
    assert.equal(o.refunds[0].status, 'refunded');
    assert.equal(o.refunds[0].provider_ref, 'POS-E2E-RF-1');
    assert.deepEqual(await untranslated(page), []);
    b.assertClean(page);
  });

  test('finance imports the settlement file and sees the one planted mismatch', async () => {
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const csv = `${(await sim.get(`/settlement?day=${day}`)).text}PO20991231000009,T-PLANTED,700,0\n`;
    const dir = tempDir('ywtb-e2e-csv-');
    const file = path.join(dir, 'settlement.csv');
    fs.writeFileSync(file, csv);
    const page = await b.page();
    await loginUi(page, srv, 'finance', { next: 'workbench/payments.html' });
    await page.locator('[data-testid=recon-day]').fill(day);
    await page.locator('[data-testid=recon-file]').setInputFiles(file);
    await page.locator('[data-testid=recon-import]').click();
    await waitText(page, '[data-testid=recon-report]', /PO20991231000009/);
    // the window's POS payment waits for the POS acquirer's file
    assert.equal(await page.locator('[data-testid=recon-report] tbody tr[data-source=pos]').count(), 1);
    const posFile = path.join(dir, 'pos.csv');
    fs.writeFileSync(posFile, 'terminal_ref,amount_fen\nPOS-E2E-0001,12000\n');
    await page.locator('[data-testid=recon-source]').selectOption('pos');
    await page.locator('[data-testid=recon-file]').setInputFiles(posFile);
    await page.locator('[data-testid=recon-import]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=recon-report] tbody tr[data-source=pos]').length === 0);
    assert.equal(await page.locator('[data-testid=recon-report] tbody tr').count(), 1);
    await waitText(page, '[data-testid=recon-report]', /已清算未入账/);
    await shot(page, 'payments-reconciliation');
    b.assertClean(page);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
