// payments_rsa.test.js - a gateway that signs with RSA (pay_gateway_sign =
// rsa: RSA-SHA256 over the same canonical bytes, sign_type RSA2): its
// notifications and status answers are believed, an SM2-signed one (another
// gateway) and a tampered one are refused, and a ywtb set for RSA will not
// start with an SM2 key.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Server } from './harness.js';
import { uploadPdf, assertError } from './case_fixtures.js';
import { fillForm, CITIZEN } from './world.js';
import { startPaysim } from './paysim.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('payments: an RSA-signing gateway', () => {
  let srv, rsa, sm2, person, clerk;

  async function ok(r, status = 200) {
    assert.equal(r.status, status, r.text);
    return r.json;
  }

  before(async () => {
    rsa = await startPaysim({ sign: 'rsa' });
    sm2 = await startPaysim();
    srv = await startServer({ args: rsa.ywtbArgs() });
    person = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
  });
  after(async () => {
    await srv?.close();
    rsa?.close();
    sm2?.close();
  });

  test('RSA2 notifications settle the order; SM2-signed and tampered ones are refused', async () => {
    const item = await ok(await srv.api('GET', '/api/v1/items/GAFJ-01-0003'));
    const materials = [];
    for (const m of item.materials) if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, person, m.code) });
    const k = await ok(await srv.api('POST', '/api/v1/cases', { token: person, body: { item_code: item.code, form: fillForm(item), materials } }), 201);
    const o = (await ok(await srv.api('GET', `/api/v1/payments/orders?case_no=${k.case_no}`, { token: clerk }))).items[0];
    const notify = encodeURIComponent(`${srv.base}/api/v1/payments/notify`);
    // another gateway's SM2 signature: refused
    const forged = await sm2.get(`/sim/stray?notify_url=${notify}&order_no=${o.order_no}&amount_fen=12000`);
    assert.equal(forged.json.status, 400, forged.text);
    assert.equal(JSON.parse(forged.json.body).error.code, 'invalid_signature');
    const start = await ok(await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/pay`, { token: person, body: {} }));
    const q = new URL(start.pay_url).searchParams;
    q.delete('return_url');
    q.set('outcome', 'success');
    assert.equal((await rsa.get(`/pay/confirm?${q}`)).status, 200);
    let paid;
    for (let i = 0; i < 100 && !paid; i++) {
      const x = await ok(await srv.api('GET', `/api/v1/payments/orders/${o.order_no}`, { token: clerk }));
      if (x.status === 'paid') paid = x;
      else await sleep(100);
    }
    assert.ok(paid, 'the order was paid');
    const last = (await rsa.get(`/sim/last?order_no=${o.order_no}`)).json;
    assert.equal(last.sign_type, 'RSA2');
    assert.equal((await ok(await srv.api('POST', '/api/v1/payments/notify', { body: last }))).duplicate, true);
    assertError(await srv.api('POST', '/api/v1/payments/notify', { body: { ...last, trade_no: 'T-OTHER' } }), 400, 'invalid_signature');
    assertError(await srv.api('POST', '/api/v1/payments/notify', { body: { ...last, sign_type: 'SM2' } }), 400, 'invalid_signature');
    assert.equal((await ok(await srv.api('GET', `/api/v1/cases/${k.case_no}`, { token: person }))).status, 'submitted');
  });

  test('ywtb set for RSA refuses to start with an SM2 key', async () => {
    const bad = new Server({ args: ['--pay-gateway-url', sm2.base, '--pay-gateway-key', sm2.keyFile, '--pay-gateway-sign', 'rsa'] });
    try {
      bad.seed();
      await assert.rejects(bad.start(), /holds no RSA public key/);
    } finally {
      await bad.close();
    }
  });
});
