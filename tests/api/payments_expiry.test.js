// payments_expiry.test.js - fee orders and time (the test clock, serve
// --clock): an order nobody paid expires when pay_order_ttl has passed and can
// then be paid neither online nor at the window; a payment made at the gateway
// in time whose notification never came is still found by the status query
// after the order's time is up, and settles it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { uploadPdf, assertError } from './case_fixtures.js';
import { fillForm, CITIZEN } from './world.js';
import { startPaysim } from './paysim.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('payments: expiry', () => {
  let srv, sim, person, clerk;

  async function ok(r, status = 200) {
    assert.equal(r.status, status, r.text);
    return r.json;
  }

  async function passport() {
    const item = await ok(await srv.api('GET', '/api/v1/items/GAFJ-01-0003'));
    const materials = [];
    for (const m of item.materials) if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, person, m.code) });
    const k = await ok(await srv.api('POST', '/api/v1/cases', { token: person, body: { item_code: item.code, form: fillForm(item), materials } }), 201);
    assert.equal(k.status, 'on_hold');
    return (await ok(await srv.api('GET', `/api/v1/payments/orders?case_no=${k.case_no}`, { token: clerk }))).items[0];
  }

  const order = async (no) => ok(await srv.api('GET', `/api/v1/payments/orders/${no}`, { token: clerk }));

  before(async () => {
    sim = await startPaysim();
    srv = await startServer({ clock: new Date().toISOString(), args: sim.ywtbArgs(['--pay-order-ttl', '60']) });
    person = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
  });
  after(async () => {
    await srv?.close();
    sim?.close();
  });

  test('an unpaid order expires; one paid in time at the gateway is still settled by the query', async () => {
    const idle = await passport();
    const late = await passport();
    // the payer pays `late` at the gateway in time, but no notification ever comes
    const start = await ok(await srv.api('POST', `/api/v1/payments/orders/${late.order_no}/pay`, { token: person, body: {} }));
    const q = new URL(start.pay_url).searchParams;
    q.set('outcome', 'silent');
    assert.equal((await fetch(`${sim.base}/pay/confirm?${q}`)).status, 200);
    // a day passes on the server's clock: both orders are past their 60 s
    await ok(await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 1 } }));
    person = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/pay`, { token: person, body: {} }), 409, 'invalid_state');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/window`, { token: clerk, body: { terminal_ref: 'POS-LATE', amount_fen: 12000 } }), 409, 'invalid_state');
    let a, b;
    for (let i = 0; i < 100; i++) {
      [a, b] = [await order(idle.order_no), await order(late.order_no)];
      if (a.status === 'expired' && b.status === 'paid') break;
      await sleep(100);
    }
    assert.equal(a.status, 'expired');
    assert.equal(b.status, 'paid');
    assert.equal(b.channel, 'gateway');
    // an expired order cannot be waived either; its case still waits
    assertError(await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/waive`, { token: clerk, body: { reason: '过期' } }), 409, 'invalid_state');
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${a.case_no}`, { token: person }))).status, 'on_hold');
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${b.case_no}`, { token: person }))).status, 'submitted');
    // the window reissues it (重新开具): a new order, paid, and the case goes on
    assertError(await srv.api('POST', `/api/v1/payments/orders/${late.order_no}/reissue`, { token: clerk }), 409, 'invalid_state');
    assert.equal((await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/reissue`, { token: person })).status, 403);
    const re = await ok(await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/reissue`, { token: clerk }), 201);
    assert.notEqual(re.order_no, idle.order_no);
    assert.equal(re.status, 'unpaid');
    assert.equal(re.amount_fen, 12000);
    assertError(await srv.api('POST', `/api/v1/payments/orders/${idle.order_no}/reissue`, { token: clerk }), 409, 'invalid_state');
    await ok(await srv.api('POST', `/api/v1/payments/orders/${re.order_no}/window`, { token: clerk, body: { terminal_ref: 'POS-RE', amount_fen: 12000 } }));
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${a.case_no}`, { token: person }))).status, 'submitted');
  });
});
