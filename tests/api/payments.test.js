// payments.test.js - fees and payments (src/payments/, issue 18) end to end,
// with the gateway simulator (tools/paysim) on 127.0.0.1: a passport case
// waits in 待缴费 (on_hold, clock paused) until its fee is paid online (late,
// repeated notifications applied once), at the window, or waived; a
// notification never believed when forged, for an order never made or with
// another amount; an order never notified found by the status query; the
// receipt PDF; refunds with four eyes; the day's reconciliation with one
// planted mismatch, as JSON and XLSX; and a fee due after approval (不动产登记)
// holding the decision until paid.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer } from './harness.js';
import { registerPerson, uploadPdf, assertError } from './case_fixtures.js';
import { fillForm, CITIZEN, COMPANY } from './world.js';
import { startPaysim } from './paysim.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A settlement file as the multipart upload the route takes. */
function csvUpload(text) {
  const B = '----ywtbSettlement';
  return {
    raw: Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="settlement.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${B}--\r\n`),
    contentType: `multipart/form-data; boundary=${B}`,
  };
}

/* Poll fn until it returns a truthy value (bounded: 15 s). */
async function until(fn, what) {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/* The text of one entry of a zip (stored or deflated). */
function unzipEntry(buf, name) {
  let i = 0;
  while (i + 30 <= buf.length && buf.readUInt32LE(i) === 0x04034b50) {
    const method = buf.readUInt16LE(i + 8);
    const csize = buf.readUInt32LE(i + 18);
    const nlen = buf.readUInt16LE(i + 26);
    const xlen = buf.readUInt16LE(i + 28);
    const n = buf.subarray(i + 30, i + 30 + nlen).toString('utf8');
    const data = buf.subarray(i + 30 + nlen + xlen, i + 30 + nlen + xlen + csize);
    if (n === name) return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    i += 30 + nlen + xlen + csize;
  }
  return null;
}

describe('payments', () => {
  let srv, sim, sim2, t = {};

  async function ok(r, status = 200) {
    assert.equal(r.status, status, r.text);
    return r.json;
  }

  async function apply(token, code, values = {}) {
    const item = await ok(await srv.api('GET', `/api/v1/items/${code}`));
    const materials = [];
    for (const m of item.materials) {
      if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, token, m.code) });
    }
    return ok(await srv.api('POST', '/api/v1/cases', { token, body: { item_code: code, form: fillForm(item, values), materials } }), 201);
  }

  async function orderOf(caseNo, token = t.clerk) {
    const l = await ok(await srv.api('GET', `/api/v1/payments/orders?case_no=${caseNo}`, { token }));
    return l.items[0];
  }

  async function getOrder(no, token = t.clerk) {
    return ok(await srv.api('GET', `/api/v1/payments/orders/${no}`, { token }));
  }

  /* The applicant starts paying online; the simulator's page is "clicked". */
  async function payOnline(no, params) {
    const r = await ok(await srv.api('POST', `/api/v1/payments/orders/${no}/pay`, { token: t.person, body: {} }));
    const u = new URL(r.pay_url);
    assert.equal(u.origin, sim.base);
    assert.equal(u.pathname, '/pay');
    const page = await sim.get(`/pay${u.search}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /确认支付/);
    const q = new URLSearchParams(u.search);
    q.delete('return_url');
    for (const [k, v] of Object.entries(params)) q.set(k, String(v));
    return ok(await sim.get(`/pay/confirm?${q}`));
  }

  before(async () => {
    sim = await startPaysim();
    sim2 = await startPaysim(); // another gateway: its key is not ywtb's
    srv = await startServer({ args: sim.ywtbArgs() });
    t.person = await srv.login(CITIZEN);
    t.company = await srv.login(COMPANY);
    t.clerk = await srv.login('clerk');
    t.finance = await srv.login('finance');
    t.person2 = (await registerPerson(srv, '林第二', '19880312', 101)).token;
  });
  after(async () => {
    await srv?.close();
    sim?.close();
    sim2?.close();
  });

  test('a passport case waits in 待缴费 with an order for the catalog fee (120元 = 12000 fen)', async () => {
    const k = await apply(t.person, 'GAFJ-01-0003');
    assert.equal(k.status, 'on_hold');
    t.caseA = k.case_no;
    assert.ok(k.timeline.some((e) => e.action === 'case.hold' && /payment PO\d{16}/.test(e.note)), JSON.stringify(k.timeline));
    const o = await orderOf(k.case_no);
    assert.equal(o.amount_fen, 12000);
    assert.equal(o.status, 'unpaid');
    assert.equal(o.point, 'submitted');
    assert.equal(o.fee_text, '120元');
    t.orderA = o.order_no;
    // the window cannot take it up before it is paid
    assertError(await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: t.clerk, body: { note: '受理' } }), 409, 'invalid_state');
    // the payer sees it in their own list; another citizen does not, and gets 404 for it
    const mine = await ok(await srv.api('GET', '/api/v1/payments/orders', { token: t.person }));
    assert.ok(mine.items.some((x) => x.order_no === o.order_no));
    const theirs = await ok(await srv.api('GET', '/api/v1/payments/orders', { token: t.person2 }));
    assert.ok(!theirs.items.some((x) => x.order_no === o.order_no));
    assertError(await srv.api('GET', `/api/v1/payments/orders/${o.order_no}`, { token: t.person2 }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/pay`, { token: t.person2, body: {} }), 404, 'not_found');
    // no receipt before it is paid
    assertError(await srv.api('GET', `/api/v1/payments/orders/${o.order_no}/receipt.pdf`, { token: t.person }), 409, 'invalid_state');
  });

  test('forged, stray and wrong-amount notifications are refused and change nothing', async () => {
    const no = t.orderA;
    const notify = `${srv.base}/api/v1/payments/notify`;
    // signed by another gateway's key
    let r = await sim2.get(`/sim/stray?notify_url=${encodeURIComponent(notify)}&order_no=${no}&amount_fen=12000`);
    assert.equal(r.json.status, 400, r.text);
    assert.equal(JSON.parse(r.json.body).error.code, 'invalid_signature');
    // the right key, an order never made
    r = await sim.get(`/sim/stray?notify_url=${encodeURIComponent(notify)}&order_no=PO20991231999999&amount_fen=12000`);
    assert.equal(r.json.status, 404, r.text);
    // the right key, the right order, another amount
    r = await sim.get(`/sim/stray?notify_url=${encodeURIComponent(notify)}&order_no=${no}&amount_fen=100`);
    assert.equal(r.json.status, 422, r.text);
    assert.equal(JSON.parse(r.json.body).error.field, 'amount_fen');
    // unsigned
    assertError(await srv.api('POST', '/api/v1/payments/notify', {
      body: { notify_id: 'x1', order_no: no, trade_no: 'T1', amount_fen: 12000, status: 'SUCCESS', paid_at_ms: Date.now(), sign_type: 'SM2', sign: 'AAAA' },
    }), 400, 'invalid_signature');
    assertError(await srv.api('POST', '/api/v1/payments/notify', { body: { order_no: no } }), 422, 'missing_field');
    const o = await getOrder(no);
    assert.equal(o.status, 'unpaid');
    const k = await ok(await srv.api('GET', `/api/v1/cases/${t.caseA}`, { token: t.person }));
    assert.equal(k.status, 'on_hold');
  });

  test('paid online: a late notification sent three times is applied once, and the case goes on', async () => {
    const trade = await payOnline(t.orderA, { outcome: 'success', delay_ms: 300, repeat: 3 });
    const o = await until(async () => {
      const x = await getOrder(t.orderA);
      return x.status === 'paid' && x;
    }, 'the order paid');
    assert.equal(o.channel, 'gateway');
    assert.equal(o.provider_ref, trade.trade_no);
    assert.equal(o.paid_fen, 12000);
    assert.match(o.receipt_no, /^R\d{16}$/);
    // three acknowledged notifications: the first applied, the others duplicates
    const log = await until(async () => {
      const l = (await sim.get('/sim/notifications')).json.filter((n) => n.doc.order_no === t.orderA && n.status === 200);
      return l.length >= 3 && l;
    }, 'three notifications');
    const dup = log.map((n) => JSON.parse(n.answer).duplicate);
    assert.deepEqual(dup.slice(0, 3), [false, true, true]);
    // the case is back at the window, its timeline says why
    const k = await ok(await srv.api('GET', `/api/v1/cases/${t.caseA}`, { token: t.person }));
    assert.equal(k.status, 'submitted');
    assert.ok(k.timeline.some((e) => e.action === 'case.release' && e.note.includes(t.orderA)));
    await ok(await srv.api('POST', `/api/v1/cases/${t.caseA}/accept`, { token: t.clerk, body: { note: '受理' } }));
    // a replay of the genuine notification is acknowledged and changes nothing
    const last = (await sim.get(`/sim/last?order_no=${t.orderA}`)).json;
    const r = await ok(await srv.api('POST', '/api/v1/payments/notify', { body: last }));
    assert.equal(r.duplicate, true);
    // a tampered copy does not verify
    assertError(await srv.api('POST', '/api/v1/payments/notify', { body: { ...last, amount_fen: 1 } }), 400, 'invalid_signature');
    assertError(await srv.api('POST', '/api/v1/payments/notify', { body: { ...last, order_no: 'PO20991231999998' } }), 400, 'invalid_signature');
    const again = await getOrder(t.orderA);
    assert.equal(again.status, 'paid');
    assert.equal(again.paid_at, o.paid_at);
    // paying it again is refused
    assertError(await srv.api('POST', `/api/v1/payments/orders/${t.orderA}/pay`, { token: t.person, body: {} }), 409, 'invalid_state');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${t.orderA}/window`, { token: t.clerk, body: { terminal_ref: 'POS1', amount_fen: 12000 } }), 409, 'invalid_state');
  });

  test('the receipt prints as PDF with the 财政电子票据 fields', async () => {
    const r = await srv.api('GET', `/api/v1/payments/orders/${t.orderA}/receipt.pdf`, { token: t.person });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.ok(r.text.startsWith('%PDF-'));
    assertError(await srv.api('GET', `/api/v1/payments/orders/${t.orderA}/receipt.pdf`, { token: t.person2 }), 404, 'not_found');
  });

  test('a failed payment leaves the order unpaid; a payment never notified is found by the status query', async () => {
    const k = await apply(t.person, 'GAFJ-01-0003');
    assert.equal(k.status, 'on_hold');
    const o = await orderOf(k.case_no);
    await payOnline(o.order_no, { outcome: 'fail' });
    await until(async () => (await sim.get('/sim/notifications')).json.some((n) => n.doc.order_no === o.order_no && n.status === 200), 'the failure notified');
    assert.equal((await getOrder(o.order_no)).status, 'unpaid');
    // now paid, but the gateway never notifies: the query job asks it
    await payOnline(o.order_no, { outcome: 'silent' });
    const paid = await until(async () => {
      const x = await getOrder(o.order_no);
      return x.status === 'paid' && x;
    }, 'the query to settle the order');
    assert.equal(paid.channel, 'gateway');
    assert.ok(paid.queries >= 1);
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: t.person }))).status, 'submitted');
    t.orderSilent = o.order_no;
  });

  test('paid at the window: the POS reference and the exact amount; only the window records it', async () => {
    const k = await apply(t.person, 'GAFJ-07-0001'); // 居民身份证首次申领: 20元
    assert.equal(k.status, 'on_hold');
    const o = await orderOf(k.case_no);
    assert.equal(o.amount_fen, 2000);
    assertError(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-0001', amount_fen: 1999 } }), 422, 'invalid_field', 'amount_fen');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/window`, { token: t.clerk, body: { amount_fen: 2000 } }), 422, 'missing_field', 'terminal_ref');
    assert.equal((await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/window`, { token: t.person, body: { terminal_ref: 'POS-0001', amount_fen: 2000 } })).status, 403);
    assert.equal((await getOrder(o.order_no)).status, 'unpaid');
    const paid = await ok(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-0001', amount_fen: 2000 } }));
    assert.equal(paid.status, 'paid');
    assert.equal(paid.channel, 'window');
    assert.equal(paid.provider_ref, 'POS-0001');
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: t.person }))).status, 'submitted');
    t.orderWindow = o.order_no;
  });

  test('a clerk waives a fee with a reason (减免); the case goes on', async () => {
    const k = await apply(t.person, 'GAFJ-07-0001');
    const o = await orderOf(k.case_no);
    assertError(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/waive`, { token: t.clerk, body: {} }), 422, 'missing_field', 'reason');
    const w = await ok(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/waive`, { token: t.clerk, body: { reason: '低保对象，依规减免' } }));
    assert.equal(w.status, 'waived');
    assert.equal(w.note, '低保对象，依规减免');
    const kk = await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: t.person }));
    assert.equal(kk.status, 'submitted');
    assert.ok(kk.timeline.some((e) => e.action === 'case.release' && /fee waived/.test(e.note)));
  });

  test('withdrawing a held case cancels its unpaid order', async () => {
    const k = await apply(t.person, 'GAFJ-07-0001');
    const o = await orderOf(k.case_no);
    await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/withdraw`, { token: t.person, body: { reason: '不办了' } }));
    assert.equal((await getOrder(o.order_no)).status, 'cancelled');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/pay`, { token: t.person, body: {} }), 409, 'invalid_state');
  });

  test('refunds: asked with a reason, never above what was paid, approved by another person in finance', async () => {
    const no = t.orderWindow; // 2000 fen
    assertError(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.clerk, body: { amount_fen: 2001, reason: '多收' } }), 422, 'invalid_field', 'amount_fen');
    assertError(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.clerk, body: { amount_fen: 500 } }), 422, 'missing_field', 'reason');
    assert.equal((await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.person, body: { amount_fen: 500, reason: 'x' } })).status, 403);
    const rf = await ok(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.clerk, body: { amount_fen: 1500, reason: '重复收费' } }), 201);
    assert.equal(rf.status, 'requested');
    // with 1500 pending, at most 500 more may be asked for
    assertError(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.clerk, body: { amount_fen: 600, reason: '又一笔' } }), 422, 'invalid_field', 'amount_fen');
    const list = await ok(await srv.api('GET', '/api/v1/payments/refunds?status=requested', { token: t.finance }));
    assert.ok(list.items.some((x) => x.refund_no === rf.refund_no));
    assert.equal((await srv.api('GET', '/api/v1/payments/refunds', { token: t.clerk })).status, 403);
    const done = await ok(await srv.api('POST', `/api/v1/payments/refunds/${rf.refund_no}/decide`, { token: t.finance, body: { approve: true, note: '核实无误' } }));
    assert.equal(done.status, 'approved');
    assertError(await srv.api('POST', `/api/v1/payments/refunds/${rf.refund_no}/decide`, { token: t.finance, body: { approve: true } }), 409, 'invalid_state');
    const o = await getOrder(no, t.finance);
    assert.equal(o.refunded_fen, 1500);
    assert.equal(o.refunds[0].refund_no, rf.refund_no);
    // finance asking for a refund cannot approve it themselves
    const own = await ok(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.finance, body: { amount_fen: 100, reason: '尾差' } }), 201);
    assertError(await srv.api('POST', `/api/v1/payments/refunds/${own.refund_no}/decide`, { token: t.finance, body: { approve: true } }), 403, 'forbidden');
    assertError(await srv.api('POST', '/api/v1/payments/refunds/RF20991231999999/decide', { token: t.finance, body: { approve: false } }), 404, 'not_found');
    // a window payment's refund is paid back at the POS: the clerk records the terminal reference
    const pay = (body, token = t.clerk) => srv.api('POST', `/api/v1/payments/refunds/${rf.refund_no}/window`, { token, body });
    assertError(await pay({}), 422, 'missing_field', 'terminal_ref');
    assert.equal((await pay({ terminal_ref: 'POS-RF-1' }, t.finance)).status, 403);
    assertError(await srv.api('POST', `/api/v1/payments/refunds/${own.refund_no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-RF-0' } }), 409, 'invalid_state'); // not approved
    const back = await ok(await pay({ terminal_ref: 'POS-RF-1' }));
    assert.equal(back.status, 'refunded');
    assert.equal(back.channel, 'window');
    assert.equal(back.provider_ref, 'POS-RF-1');
    assertError(await pay({ terminal_ref: 'POS-RF-2' }), 409, 'invalid_state');
    const again = (await ok(await srv.api('GET', '/api/v1/payments/refunds?status=refunded', { token: t.finance }))).items.find((x) => x.refund_no === rf.refund_no);
    assert.equal(again.provider_ref, 'POS-RF-1');
  });

  test('the refund of a gateway payment is sent to the gateway and follows its signed notification, its failure, or its status query', async () => {
    const no = t.orderA; // 12000 fen, paid online
    const refundNotify = `${srv.base}/api/v1/payments/refund-notify`;
    const askRefund = async (amount) => ok(await srv.api('POST', `/api/v1/payments/orders/${no}/refunds`, { token: t.clerk, body: { amount_fen: amount, reason: '退费测试' } }), 201);
    const approve = async (rf) => ok(await srv.api('POST', `/api/v1/payments/refunds/${rf.refund_no}/decide`, { token: t.finance, body: { approve: true } }));
    const refundOf = async (rno) => (await ok(await srv.api('GET', '/api/v1/payments/refunds', { token: t.finance }))).items.find((x) => x.refund_no === rno);
    const settled = (rno, status) => until(async () => { const x = await refundOf(rno); return x.status === status && x; }, `refund ${rno} ${status}`);

    // 1. refunded: sent at approval, a late notification sent twice, applied once
    await sim.get('/sim/next-refund?outcome=success&delay_ms=400&repeat=2');
    const rf = await askRefund(3000);
    const sent = await approve(rf);
    assert.equal(sent.status, 'sent', JSON.stringify(sent));
    assert.equal(sent.channel, 'gateway');
    assert.match(sent.provider_ref, /^R\d+/);
    const done = await settled(rf.refund_no, 'refunded');
    assert.equal(done.provider_ref, sent.provider_ref);
    assert.equal((await getOrder(no, t.finance)).refunded_fen, 3000);
    const acks = await until(async () => {
      const l = (await sim.get('/sim/notifications')).json.filter((n) => n.doc.refund_no === rf.refund_no && n.status === 200);
      return l.length >= 2 && l;
    }, 'two refund notifications');
    assert.equal(JSON.parse(acks[0].answer).duplicate, false);
    assert.equal(JSON.parse(acks[1].answer).duplicate, true);
    // the gateway keys refunds by refund_no: the same request again is the same refund
    const same = await sim.get(`/refund?order_no=${no}&refund_no=${rf.refund_no}&amount_fen=3000&notify_url=${encodeURIComponent(refundNotify)}`);
    assert.equal(same.json.refund_id, sent.provider_ref);
    // the window does not pay a gateway refund back
    assertError(await srv.api('POST', `/api/v1/payments/refunds/${rf.refund_no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-X' } }), 409, 'invalid_state');

    // 2. forged and stray refund notifications: refused, nothing changes
    const doc = { ...acks[0].doc, status: 'FAILED' }; // altered after signing
    assertError(await srv.api('POST', '/api/v1/payments/refund-notify', { body: doc }), 400, 'invalid_signature');
    let r = await sim2.get(`/sim/stray-refund?notify_url=${encodeURIComponent(refundNotify)}&refund_no=${rf.refund_no}&order_no=${no}&amount_fen=3000`);
    assert.equal(r.json.status, 400, r.text);
    assert.equal(JSON.parse(r.json.body).error.code, 'invalid_signature');
    r = await sim.get(`/sim/stray-refund?notify_url=${encodeURIComponent(refundNotify)}&refund_no=RF20991231999999&order_no=${no}&amount_fen=3000`);
    assert.equal(r.json.status, 404, r.text);
    assert.equal(JSON.parse(r.json.body).error.field, 'refund_no');
    r = await sim.get(`/sim/stray-refund?notify_url=${encodeURIComponent(refundNotify)}&refund_no=${rf.refund_no}&order_no=${no}&amount_fen=2999`);
    assert.equal(r.json.status, 422, r.text);
    assert.equal((await refundOf(rf.refund_no)).status, 'refunded');
    assert.equal((await getOrder(no, t.finance)).refunded_fen, 3000);

    // 3. failed at the gateway: the amount may be refunded again
    await sim.get('/sim/next-refund?outcome=fail&delay_ms=100&repeat=1');
    const bad = await askRefund(1000);
    await approve(bad);
    await settled(bad.refund_no, 'failed');
    assert.equal((await getOrder(no, t.finance)).refunded_fen, 3000);

    // 4. never notified: the status query finds it refunded
    await sim.get('/sim/next-refund?outcome=silent');
    const quiet = await askRefund(500);
    assert.equal((await approve(quiet)).status, 'sent');
    await settled(quiet.refund_no, 'refunded');
    assert.equal((await getOrder(no, t.finance)).refunded_fen, 3500);
    const list = await ok(await srv.api('GET', '/api/v1/payments/refunds?status=failed', { token: t.finance }));
    assert.deepEqual(list.items.map((x) => x.refund_no), [bad.refund_no]);
  });

  test('the day\'s reconciliation shows the one planted mismatch, as JSON and as XLSX', async () => {
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Shanghai
    const csv = (await sim.get(`/settlement?day=${day}`)).text;
    const lines = csv.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith(t.orderA)) && lines.some((l) => l.startsWith(t.orderSilent)), csv);
    const planted = 'PO20991231000001';
    const file = `${csv}${planted},T-PLANTED,5000,${Date.now()}\n`;
    assertError(await srv.api('POST', `/api/v1/payments/settlements?day=${day}`, { token: t.finance, ...csvUpload('order_no,trade_no\nPO1,T1\n') }), 422, 'invalid_field', 'csv');
    assertError(await srv.api('POST', '/api/v1/payments/settlements?day=2026-13-01', { token: t.finance, ...csvUpload(file) }), 422, 'invalid_field', 'day');
    assertError(await srv.api('POST', `/api/v1/payments/settlements?day=${day}`, { token: t.finance, body: { csv: file } }), 415, 'unsupported_media');
    assert.equal((await srv.api('POST', `/api/v1/payments/settlements?day=${day}`, { token: t.clerk, ...csvUpload(file) })).status, 403);
    const imp = await ok(await srv.api('POST', `/api/v1/payments/settlements?day=${day}`, { token: t.finance, ...csvUpload(file) }), 201);
    assert.equal(imp.lines, lines.length - 1 + 1);
    let rep = await ok(await srv.api('GET', `/api/v1/payments/reconciliation?day=${day}`, { token: t.finance }));
    // the window's POS payment is not settled until the POS file comes
    assert.deepEqual(rep.mismatches.map((m) => [m.source, m.kind, m.order_no, m.trade_no]),
      [['gateway', 'settled_not_paid', planted, 'T-PLANTED'], ['pos', 'paid_not_settled', t.orderWindow, 'POS-0001']]);
    // the POS acquirer's file: matched by terminal reference, with one planted line
    assertError(await srv.api('POST', `/api/v1/payments/settlements?day=${day}&source=bank`, { token: t.finance, ...csvUpload('terminal_ref,amount_fen\nPOS-0001,2000\n') }), 422, 'invalid_field', 'source');
    assertError(await srv.api('POST', `/api/v1/payments/settlements?day=${day}&source=pos`, { token: t.finance, ...csvUpload('terminal_ref,amount_fen\nPOS-0001\n') }), 422, 'invalid_field', 'csv');
    const pos = await ok(await srv.api('POST', `/api/v1/payments/settlements?day=${day}&source=pos`, { token: t.finance, ...csvUpload(`terminal_ref,amount_fen,order_no\nPOS-0001,2000,${t.orderWindow}\nPOS-PLANTED,3000,\n`) }), 201);
    assert.deepEqual([pos.source, pos.lines], ['pos', 2]);
    rep = await ok(await srv.api('GET', `/api/v1/payments/reconciliation?day=${day}`, { token: t.finance }));
    assert.deepEqual(rep.mismatches.map((m) => [m.source, m.kind, m.order_no, m.theirs_fen]),
      [['gateway', 'settled_not_paid', planted, 5000], ['pos', 'settled_not_paid', '', 3000]]);
    assert.equal(rep.mismatches[1].trade_no, 'POS-PLANTED');
    assert.equal(rep.matched, 3);
    assert.deepEqual(rep.sources, { gateway: { lines: imp.lines, matched: 2 }, pos: { lines: 2, matched: 1 } });
    assert.equal(rep.ours_fen, 24000 + 2000);
    assert.equal((await srv.api('GET', `/api/v1/payments/reconciliation?day=${day}`, { token: t.clerk })).status, 403);
    const x = await fetch(`${srv.base}/api/v1/payments/reconciliation.xlsx?day=${day}`, { headers: { Authorization: `Bearer ${t.finance}` } });
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const buf = Buffer.from(await x.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    const sheet = unzipEntry(buf, 'xl/worksheets/sheet1.xml');
    assert.ok(sheet && sheet.includes(planted) && sheet.includes('已清算未入账') && sheet.includes('POS-PLANTED'), sheet);
    assert.ok(unzipEntry(buf, '[Content_Types].xml').includes('spreadsheetml.sheet.main'));
  });

  test('a fee that depends on the decision (不动产登记) holds the approval, clock paused, until paid', async () => {
    const k = await apply(t.person, 'GHZYJ-07-0014'); // 预购商品房预告登记: 住宅80元, 非住宅550元
    assert.equal(k.status, 'submitted'); // nothing due on application
    const acc = await ok(await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: t.clerk, body: { note: '受理' } }));
    const task = acc.tasks.find((x) => x.status === 'pending');
    const rev = await srv.login('rev.ghzyj');
    await ok(await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: rev, body: { decision: 'approve', opinion: '准予登记' } }));
    let kk = await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: t.person }));
    assert.equal(kk.status, 'on_hold');
    assert.equal(kk.clock.paused, true);
    assert.equal(kk.clock.pause_kind, 'payment');
    const o = await orderOf(k.case_no);
    assert.equal(o.point, 'approved');
    assert.equal(o.amount_fen, 8000);
    await ok(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/window`, { token: t.clerk, body: { terminal_ref: 'POS-0002', amount_fen: 8000 } }));
    kk = await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: t.person }));
    assert.equal(kk.status, 'approved');
    assert.equal(kk.clock.paused, false);
  });
});
