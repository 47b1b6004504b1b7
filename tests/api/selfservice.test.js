// selfservice.test.js - the 24-hour self-service hall (src/selfservice/,
// issue 20) end to end on the demo world: a kiosk login by QR code confirmed
// from the phone (one-time, bound to the kiosk that holds the poll token,
// the session and marker cookies of a normal login); an approved 企业设立登记
// whose paper 营业执照 the company collects from a locker with the code it asks
// for on its own delivery page (never in the outbox, the inbox or at rest:
// only a salted SM3 of it; wrong codes counted, five lock the locker); a
// second case mailed through a carrier simulator on 127.0.0.1 with its
// tracking number shown to the applicant, then delivered; and the refusals:
// another person's delivery, a change after the result left, bad input.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { startServer } from './harness.js';
import { uploadPdf, assertError } from './case_fixtures.js';
import { fillForm, CITIZEN, COMPANY } from './world.js';
import { readQrSvg, assertFinderPatterns } from './qr_svg.js';
import { eventually } from './eventually.js';

/* The carrier's waybill API as a local simulator: answers EMS-style numbers. */
function startCarrier() {
  const shipments = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const body = JSON.parse(data);
      const tracking_no = `EA${String(100000000 + shipments.length).padStart(9, '0')}CN`;
      shipments.push({ ...body, tracking_no });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ tracking_no }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/waybills`, shipments, close: () => server.close(),
  })));
}

/* One query on the server's database, rows as tab-separated text. */
function sql(srv, q) {
  return srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' });
}

describe('selfservice', () => {
  let srv, carrier, company, citizen, clerk, reviewer;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const put = (token, p, body) => srv.api('PUT', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });

  /** An approved 企业设立登记 of the company: its case number. */
  async function approvedCase(name) {
    const item = (await get(null, '/api/v1/items/SCJ-01-0001')).json;
    const materials = [];
    for (const m of item.materials) {
      if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, company, m.code) });
    }
    let r = await post(company, '/api/v1/cases', {
      item_code: 'SCJ-01-0001',
      form: fillForm(item, { proposed_name: name, legal_rep_name: '张小明', legal_rep_id: CITIZEN, registered_capital: 100 }),
      materials,
    });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    r = await post(clerk, `/api/v1/cases/${no}/accept`, { note: '材料齐全' });
    assert.equal(r.status, 200, r.text);
    const task = r.json.tasks.find((t) => t.dept === 'XH-SCJ' && t.status === 'pending');
    r = await post(reviewer, `/api/v1/tasks/${task.id}/decide`, { decision: 'approve', opinion: '准予' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    // the delivery row follows the approval after its commit (an after-commit subscriber)
    await eventually(async () => assert.equal((await get(company, `/api/v1/deliveries/${no}`)).status, 200));
    return no;
  }

  before(async () => {
    carrier = await startCarrier();
    srv = await startServer({ args: ['--ss-carrier-url', carrier.url, '--ss-carrier-name', 'EMS'] });
    company = await srv.login(COMPANY);
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
  });
  after(async () => { await srv?.close(); carrier?.close(); });

  test('kiosk login by QR: the phone confirms, the kiosk gets a short session with the login cookies, once', async () => {
    let r = await post(null, '/api/v1/public/kiosk/login-requests', { kiosk: 'K01' });
    assert.equal(r.status, 201, r.text);
    const { code, poll_token, confirm_url } = r.json;
    assert.ok(confirm_url.endsWith(`/kiosklogin.html?c=${code}`), confirm_url);
    assert.equal(r.json.expires_in, 120);
    assert.notEqual(code, poll_token);

    r = await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'pending');
    // the QR the kiosk shows encodes the confirm link
    r = await srv.api('GET', `/api/v1/public/kiosk/login-requests/${code}/qr.svg`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /image\/svg\+xml/);
    assertFinderPatterns(readQrSvg(r.text).matrix);
    assert.equal(r.headers.get('set-cookie'), null, 'no session before the phone confirms');

    // the code in the QR is not the poll token: a photographed QR gives no session
    assertError(await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token: code }), 404, 'not_found');
    // nobody confirms without logging in on the phone; staff cannot confirm
    assert.equal((await post(null, `/api/v1/kiosk/login-requests/${code}/confirm`)).status, 401);
    assert.equal((await post(clerk, `/api/v1/kiosk/login-requests/${code}/confirm`)).status, 403);

    r = await get(citizen, `/api/v1/kiosk/login-requests/${code}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kiosk, 'K01');
    assert.equal(r.json.status, 'pending');
    r = await post(citizen, `/api/v1/kiosk/login-requests/${code}/confirm`);
    assert.equal(r.status, 200, r.text);
    assertError(await srv.api('GET', `/api/v1/public/kiosk/login-requests/${code}/qr.svg`), 409, 'login_request_expired');
    assertError(await post(company, `/api/v1/kiosk/login-requests/${code}/confirm`), 409, 'invalid_state');

    r = await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'signed_in');
    assert.equal(r.json.idle_seconds, 60);
    const cookies = r.headers.get('set-cookie');
    assert.match(cookies, /ywtb_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=300/);
    assert.match(cookies, /ywtb_in=1; Path=\/; SameSite=Lax; Max-Age=300/);
    const kioskToken = r.json.token;
    const me = await get(kioskToken, '/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.account.login, CITIZEN, 'the kiosk session is the person who confirmed');
    const cookie = /ywtb_session=([^;]+)/.exec(cookies)[1];
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: `ywtb_session=${cookie}` })).status, 200);

    // collected once
    assertError(await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token }), 409, 'invalid_state');
    // leaving: the kiosk logs out and the session is gone
    r = await post(kioskToken, '/api/v1/auth/logout');
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(kioskToken, '/api/v1/me')).status, 401);
  });

  test('kiosk login refusals: bad kiosk name, unknown code, nothing written', async () => {
    assertError(await post(null, '/api/v1/public/kiosk/login-requests', { kiosk: 'K 01;drop' }), 422, 'invalid_field', 'kiosk');
    assertError(await post(null, '/api/v1/public/kiosk/login-requests', {}), 422, 'missing_field', 'kiosk');
    assertError(await get(citizen, '/api/v1/kiosk/login-requests/nonexistent-code-0000000000'), 404, 'not_found');
    assertError(await post(citizen, '/api/v1/kiosk/login-requests/nonexistent-code-0000000000/confirm'), 404, 'not_found');
    assertError(await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token: 'x'.repeat(43) }), 404, 'not_found');
  });

  test('locker: the company chooses the locker, staff put the 营业执照 in, the owner asks for the code (never at rest), the kiosk opens it once', async () => {
    const no = await approvedCase('上海徐汇自助取件科技有限公司');
    let r = await get(company, `/api/v1/deliveries/${no}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.delivery.status, 'pending');
    assert.equal(r.json.delivery.method, '');
    assert.equal(r.json.delivery.result, '营业执照');
    // another person's delivery is not there
    assertError(await get(citizen, `/api/v1/deliveries/${no}`), 404, 'not_found');
    assertError(await put(citizen, `/api/v1/deliveries/${no}/choice`, { method: 'window' }), 404, 'not_found');
    assert.ok(!(await get(citizen, '/api/v1/deliveries')).json.items.some((d) => d.case_no === no));
    // staff cannot put it in a locker before the applicant chose one
    assertError(await post(clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'G01' }), 409, 'invalid_state');

    assertError(await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'drone' }), 422, 'invalid_field', 'method');
    r = await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'locker' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.delivery.method, 'locker');

    r = await get(clerk, '/api/v1/lockers');
    assert.equal(r.status, 200, r.text);
    const g01 = r.json.items.find((l) => l.locker === 'G01');
    assert.equal(g01.compartments, 12);
    const freeBefore = g01.free;
    assertError(await post(clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'NOPE' }), 404, 'not_found', 'locker');
    r = await post(clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'G01' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.delivery.status, 'in_locker');
    assert.ok(r.json.delivery.compartment >= 1);
    assert.ok(!JSON.stringify(r.json).match(/"code"/), 'staff do not see the pickup code');
    assert.equal((await get(clerk, '/api/v1/lockers')).json.items.find((l) => l.locker === 'G01').free, freeBefore - 1);
    // the choice cannot change any more
    assertError(await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'window' }), 409, 'invalid_state', 'method');

    // services' message follows the notice after its commit (an after-commit subscriber)
    const msg = await eventually(async () => {
      const inbox = (await get(company, '/api/v1/me/inbox')).json.items;
      const m = inbox.find((x) => x.template === 'delivery.locker_ready' && x.body.includes(no));
      assert.ok(m, JSON.stringify(inbox.map((x) => x.template)));
      return m;
    });
    assert.doesNotMatch(msg.body, /取件码\s*\d{6}/, 'the inbox message carries no pickup code');
    assert.match(msg.body, /请在“结果领取”页获取取件码/, 'it says where the code is (migration 0034)');
    // the code is asked for on the owner's page; nobody else gets one
    assertError(await post(citizen, `/api/v1/deliveries/${no}/pickup-code`), 404, 'not_found');
    assert.equal((await post(clerk, `/api/v1/deliveries/${no}/pickup-code`)).status, 403);
    r = await post(company, `/api/v1/deliveries/${no}/pickup-code`);
    assert.equal(r.status, 200, r.text);
    const first = r.json.code;
    assert.match(first, /^\d{6}$/);
    r = await post(company, `/api/v1/deliveries/${no}/pickup-code`);
    assert.equal(r.status, 200, r.text);
    const code = r.json.code;
    assert.equal(r.json.locker, 'G01');
    // no code rests anywhere: not in the events' outbox, the inbox, nor the delivery row
    const events = sql(srv, "SELECT payload FROM outbox_events WHERE name = 'delivery.notice'");
    assert.ok(events.includes(no), 'the notice is in the outbox');
    assert.ok(!events.includes(code) && !events.includes(first), 'the outbox holds no pickup code');
    assert.doesNotMatch(events, /"code":"\d{6}"/);
    const inboxRows = sql(srv, 'SELECT body FROM svc_inbox');
    assert.ok(!inboxRows.includes(code), 'the inbox holds no pickup code');
    const sealed = sql(srv, `SELECT code_hash FROM ss_deliveries WHERE case_no = '${no}'`).trim();
    assert.match(sealed, /^[A-Za-z0-9_-]+\$[0-9a-f]{64}$/, 'a salted SM3 at rest');
    assert.ok(!sealed.includes(code));
    // the code asked for first no longer opens anything
    if (first !== code) {
      assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G01', code: first }), 422, 'pickup_code_invalid', 'code');
    }

    // the right code at the wrong locker, and a wrong code: refused, nothing opened
    assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G02', code }), 422, 'pickup_code_invalid', 'code');
    const wrong = code === '000000' ? '000001' : '000000';
    assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G01', code: wrong }), 422, 'pickup_code_invalid', 'code');
    assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G01', code: '12ab' }), 422, 'invalid_field', 'code');
    assert.equal((await get(company, `/api/v1/deliveries/${no}`)).json.delivery.status, 'in_locker');

    r = await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G01', code });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.case_no, no);
    assert.equal(r.json.compartment, (await get(company, `/api/v1/deliveries/${no}`)).json.delivery.compartment);
    assert.equal((await get(company, `/api/v1/deliveries/${no}`)).json.delivery.status, 'done');
    assert.equal((await get(clerk, '/api/v1/lockers')).json.items.find((l) => l.locker === 'G01').free, freeBefore);
    // a code works once
    assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G01', code }), 422, 'pickup_code_invalid');
  });

  test('five wrong codes lock a locker', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G02', code: String(900000 + i) });
      assert.ok(r.status === 422 || r.status === 429, r.text);
    }
    assertError(await post(null, '/api/v1/public/kiosk/pickup', { locker: 'G02', code: '123456' }), 429, 'locker_locked', 'code');
  });

  test('mail: address checked, the carrier simulator gives the tracking number, the applicant sees it, delivery closes it', async () => {
    const no = await approvedCase('上海徐汇邮寄送达科技有限公司');
    assertError(await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'mail', recipient: '张小明', phone: '139', address: '上海市徐汇区虹桥路1号' }), 422, 'invalid_field', 'phone');
    assertError(await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'mail', phone: '13912345678', address: '上海市徐汇区虹桥路1号' }), 422, 'missing_field', 'recipient');
    assert.equal((await get(company, `/api/v1/deliveries/${no}`)).json.delivery.method, '', 'a refused choice changed nothing');
    let r = await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'mail', recipient: '张小明', phone: '13912345678', address: '上海市徐汇区虹桥路1号' });
    assert.equal(r.status, 200, r.text);
    assertError(await post(clerk, `/api/v1/deliveries/${no}/handover`), 409, 'invalid_state');

    r = await get(clerk, '/api/v1/deliveries?method=mail&status=pending');
    assert.ok(r.json.items.some((d) => d.case_no === no), r.text);
    r = await post(clerk, `/api/v1/deliveries/${no}/ship`);
    assert.equal(r.status, 200, r.text);
    const sent = carrier.shipments.find((s) => s.case_no === no);
    assert.ok(sent, 'the carrier was asked');
    assert.equal(sent.address, '上海市徐汇区虹桥路1号');
    assert.equal(r.json.delivery.tracking_no, sent.tracking_no);
    assert.equal(r.json.delivery.status, 'shipped');
    assertError(await post(clerk, `/api/v1/deliveries/${no}/ship`), 409, 'invalid_state');
    assertError(await put(company, `/api/v1/deliveries/${no}/choice`, { method: 'window' }), 409, 'invalid_state');

    r = await get(company, `/api/v1/deliveries/${no}`);
    assert.equal(r.json.delivery.tracking_no, sent.tracking_no);
    assert.equal(r.json.delivery.carrier, 'EMS');
    await eventually(async () => {
      const inbox = (await get(company, '/api/v1/me/inbox')).json.items;
      assert.ok(inbox.some((m) => m.template === 'delivery.shipped' && m.body.includes(sent.tracking_no)));
    });

    r = await post(clerk, `/api/v1/deliveries/${no}/handover`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.delivery.status, 'done');
    assert.ok(r.json.delivery.done_at);
    // the applicant cannot act as staff
    assert.equal((await post(company, `/api/v1/deliveries/${no}/handover`)).status, 403);
    assert.equal((await get(company, '/api/v1/lockers')).status, 403);
  });

  test('every change is in an intact audit chain', async () => {
    const v = srv.verifyAudit();
    assert.ok(v.intact, v.stdout + v.stderr);
  });
});
