// selfservice_kiosk.test.js - the second part of the self-service hall
// (src/selfservice/, issue 20): the kiosk login by ID number and a one-time
// code sent through the SMS gateway (a local simulator): single use, five
// wrong tries, expiry, three codes per ID number in 15 minutes, an unknown ID
// number answered alike, no code at rest; the kiosk's apply / scan / print
// records, refused from a session not opened at a kiosk; the shipping label;
// the locker admin (compartments, open, force-release, out of service); and
// the return of uncollected results after ss_locker_days (the test clock).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, Server, tempDir, cli } from './harness.js';
import { uploadPdf, assertError } from './case_fixtures.js';
import { CITIZEN, COMPANY, fillForm } from './world.js';
import { startSmsGateway, startCarrier, sql, idNumber, approvedCase } from './selfservice_fixtures.js';
import { eventually } from './eventually.js';

describe('selfservice: kiosk by code, kiosk actions, label, lockers, returns', () => {
  let srv, sms, carrier, t;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const put = (token, p, body) => srv.api('PUT', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const codeOf = (m) => /验证码为 (\d{6})/.exec(m.text)[1];
  let kioskToken;

  before(async () => {
    sms = await startSmsGateway();
    carrier = await startCarrier();
    srv = await startServer({
      clock: '2026-12-07T02:00:00Z',
      args: ['--ss-sms-url', sms.url, '--ss-carrier-url', carrier.url, '--ss-locker-days', '2', '--ss-return-seconds', '1'],
    });
    t = { company: await srv.login(COMPANY), citizen: await srv.login(CITIZEN), clerk: await srv.login('clerk'), reviewer: await srv.login('reviewer') };
  });
  after(async () => { await srv?.close(); sms?.close(); carrier?.close(); });

  test('ID number + SMS code: sent to the registered phone, opens one kiosk session, once; no code at rest', async () => {
    let r = await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K02', id_number: CITIZEN });
    assert.equal(r.status, 201, r.text);
    const { otp_token } = r.json;
    assert.equal(r.json.expires_in, 300);
    assert.equal(sms.got.length, 1);
    assert.equal(sms.got[0].to, '13912345678');
    const code = codeOf(sms.got[0]);
    assert.ok(!JSON.stringify(r.json).includes(code), 'the kiosk is not told the code');
    const rows = sql(srv, 'SELECT token_hash, ident_hash, code_hash FROM ss_otps');
    assert.ok(!rows.includes(code) && !rows.includes(CITIZEN) && !rows.includes(otp_token), 'only hashes rest');
    assert.ok(!sql(srv, 'SELECT payload FROM outbox_events').includes(code), 'no event carries the code');

    const wrong = code === '000000' ? '000001' : '000000';
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token, code: wrong }), 422, 'otp_invalid', 'code');
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token, code: '12a456' }), 422, 'invalid_field', 'code');
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: 'x'.repeat(43), code }), 404, 'not_found');
    r = await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token, code });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'signed_in');
    assert.equal(r.json.kiosk, 'K02');
    assert.match(r.headers.get('set-cookie'), /ywtb_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=300/);
    kioskToken = r.json.token;
    assert.equal((await get(kioskToken, '/api/v1/me')).json.account.login, CITIZEN);
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token, code }), 409, 'invalid_state');
    const audit = sql(srv, "SELECT action FROM audit_log WHERE obj_type = 'kiosk_otp' ORDER BY seq");
    assert.deepEqual(audit.trim().split('\n'), ['kiosk.otp_sent', 'kiosk.otp_failed', 'kiosk.otp_login']);
  });

  test('ID number refusals: bad number, five wrong codes, three codes per 15 minutes, unknown number alike, expiry', async () => {
    assertError(await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K02', id_number: '310104199003072014' }), 422, 'invalid_id_checksum');
    assertError(await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K 2', id_number: CITIZEN }), 422, 'invalid_field', 'kiosk');
    assertError(await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K02' }), 422, 'missing_field', 'id_number');
    // an ID number without an account: the same answer, no SMS, and no code opens it
    const before = sms.got.length;
    const nobody = idNumber('11010519491231002');
    let r = await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K03', id_number: nobody });
    assert.equal(r.status, 201, r.text);
    assert.equal(sms.got.length, before, 'nobody to send to');
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: r.json.otp_token, code: '123456' }), 422, 'otp_invalid');

    // five wrong codes end it: even the right one no longer works
    r = await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K03', id_number: CITIZEN });
    assert.equal(r.status, 201, r.text);
    const code = codeOf(sms.got.at(-1));
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: r.json.otp_token, code: wrong }), 422, 'otp_invalid');
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: r.json.otp_token, code: wrong }), 429, 'rate_limited', 'code');
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: r.json.otp_token, code }), 409, 'invalid_state');

    // the third code of this ID number in 15 minutes, then refused (audited)
    r = await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K03', id_number: CITIZEN });
    assert.equal(r.status, 201, r.text);
    const third = r.json.otp_token;
    const sent = sms.got.length;
    assertError(await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K03', id_number: CITIZEN }), 429, 'rate_limited', 'id_number');
    assert.equal(sms.got.length, sent, 'no SMS when refused');
    assert.ok(sql(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.otp_refused'").trim() >= '1');
    // the code expires after ss_otp_ttl
    await post(null, '/api/v1/test/clock', { advance_seconds: 301 });
    assertError(await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: third, code: codeOf(sms.got.at(-1)) }), 409, 'login_request_expired');
    // sessions idle 30 minutes end: log the test's people in again
    t.citizen = await srv.login(CITIZEN);
  });

  test('kiosk actions: scan, apply and print are recorded with the session\'s kiosk, only from a kiosk session', async () => {
    // a fresh kiosk session (the first one may have idled out on the moved clock)
    await post(null, '/api/v1/test/clock', { advance_seconds: 901 });
    let r = await post(null, '/api/v1/public/kiosk/otp', { kiosk: 'K04', id_number: CITIZEN });
    assert.equal(r.status, 201, r.text);
    r = await post(null, '/api/v1/public/kiosk/otp/verify', { otp_token: r.json.otp_token, code: codeOf(sms.got.at(-1)) });
    assert.equal(r.status, 200, r.text);
    kioskToken = r.json.token;
    t.citizen = await srv.login(CITIZEN);
    t.company = await srv.login(COMPANY);

    const file = await uploadPdf(srv, kioskToken, 'scan');
    r = await post(kioskToken, '/api/v1/kiosk/actions', { action: 'scan', ref: file, what: 'ID-COPY' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kiosk, 'K04');
    const row = sql(srv, `SELECT actor, summary FROM audit_log WHERE action = 'kiosk.scan' AND obj_id = '${file}'`);
    assert.match(row, /"kiosk":"K04"/);
    assert.match(row, /"sha256":"[0-9a-f]{64}"/);
    r = await post(kioskToken, '/api/v1/kiosk/actions', { action: 'print', ref: 'XH20261207000001', what: 'notice' });
    assert.equal(r.status, 201, r.text);
    // a license identifier is long (yw_lic_make_id: over 64 characters)
    r = await post(kioskToken, '/api/v1/kiosk/actions', { action: 'print', ref: '1.2.156.3005.2.113101044259256669001.113101044259256669.2026000001.001.0', what: 'license' });
    assert.equal(r.status, 201, r.text);
    r = await post(kioskToken, '/api/v1/kiosk/actions', { action: 'apply', ref: 'XH20261207000001' });
    assert.equal(r.status, 201, r.text);

    // the portal session of the same person is not a kiosk's
    assertError(await post(t.citizen, '/api/v1/kiosk/actions', { action: 'print', ref: 'XH1', what: 'status' }), 403, 'forbidden');
    // another person's upload, a bad action, a print of nothing
    const theirs = await uploadPdf(srv, t.company, 'theirs');
    assertError(await post(kioskToken, '/api/v1/kiosk/actions', { action: 'scan', ref: theirs }), 404, 'not_found', 'ref');
    assertError(await post(kioskToken, '/api/v1/kiosk/actions', { action: 'fax', ref: 'x' }), 422, 'invalid_field', 'action');
    assertError(await post(kioskToken, '/api/v1/kiosk/actions', { action: 'print', ref: 'x' }), 422, 'missing_field', 'what');
    assertError(await post(kioskToken, '/api/v1/kiosk/actions', { action: 'print', ref: 'a b', what: 'status' }), 422, 'invalid_field', 'ref');
    assert.equal((await post(null, '/api/v1/kiosk/actions', { action: 'print', ref: 'x', what: 'status' })).status, 401);

    // a print of the person's own license goes to its use log, of their own case to its
    // timeline (kiosk.printed: licenses and cases); another's, neither
    const f = path.join(srv.dir, 'own-license.ndjson');
    fs.writeFileSync(f, JSON.stringify({ type: 'LT-014', holder_ident: CITIZEN, holder_name: '张小明' }) + '\n');
    const imp = cli(['import', 'licenses', f, '--db', srv.url], { cwd: srv.dir });
    assert.equal(imp.code, 0, imp.stdout + imp.stderr);
    const lic = sql(srv, `SELECT id FROM licenses WHERE holder_ident = '${CITIZEN}' AND type_code = 'LT-014'`).trim();
    assert.ok(lic, 'the citizen holds the license');
    const item = (await get(t.citizen, '/api/v1/items/SCJ-20-0006')).json;
    const materials = [];
    for (const m of item.materials) {
      if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, t.citizen, m.code) });
    }
    r = await post(t.citizen, '/api/v1/cases', { item_code: 'SCJ-20-0006', form: fillForm(item, {}), materials });
    assert.equal(r.status, 201, r.text);
    const own = r.json.case_no;
    const theirCase = await approvedCase(srv, t, '上海徐汇自助打印科技有限公司');
    const theirLicense = sql(srv, `SELECT id FROM licenses WHERE holder_ident = '${COMPANY}' LIMIT 1`).trim();
    for (const [ref, what] of [[lic, 'license'], [own, 'notice'], [own, 'status'], [theirCase, 'notice'], [theirLicense, 'license']]) {
      r = await post(kioskToken, '/api/v1/kiosk/actions', { action: 'print', ref, what });
      assert.equal(r.status, 201, r.text);
    }
    assert.match(sql(srv, `SELECT purpose FROM license_uses WHERE license_id = '${lic}'`), /自助打印 kiosk print \(K04\)/);
    assert.equal(sql(srv, `SELECT COUNT(*) FROM license_uses WHERE license_id = '${theirLicense}' AND purpose LIKE '%kiosk%'`).trim(), '0');
    const timeline = (no) => sql(srv, `SELECT COUNT(*) FROM case_events WHERE action = 'case.kiosk_print' AND case_id = (SELECT id FROM cases WHERE case_no = '${no}')`).trim();
    assert.equal(timeline(own), '2', 'the notice and the status sheet');
    assert.equal(timeline(theirCase), '0', 'not the applicant\'s: not in the timeline');
    const seen = (await get(t.citizen, `/api/v1/cases/${own}`)).json;
    assert.ok(JSON.stringify(seen).includes('case.kiosk_print'), 'the applicant sees it on the case page');
  });

  test('the shipping label: staff only, only for a result going by mail; audited', async () => {
    const no = await approvedCase(srv, t, '上海徐汇面单打印科技有限公司');
    assertError(await get(t.clerk, `/api/v1/deliveries/${no}/label.pdf`), 409, 'invalid_state');
    assertError(await get(t.clerk, '/api/v1/deliveries/XH20990101999999/label.pdf'), 404, 'not_found');
    let r = await put(t.company, `/api/v1/deliveries/${no}/choice`, { method: 'mail', recipient: '张小明', phone: '13912345678', address: '上海市徐汇区虹桥路1号' });
    assert.equal(r.status, 200, r.text);
    r = await srv.api('GET', `/api/v1/deliveries/${no}/label.pdf`, { token: t.clerk });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /application\/pdf/);
    assert.ok(r.text.startsWith('%PDF'), 'a PDF');
    assert.equal((await get(t.company, `/api/v1/deliveries/${no}/label.pdf`)).status, 403);
    assert.equal(sql(srv, `SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.label' AND obj_id = '${no}'`).trim(), '1');
  });

  test('locker admin: compartments, out of service, open, force-release back to the window; all audited', async () => {
    const no = await approvedCase(srv, t, '上海徐汇柜机管理科技有限公司');
    let r = await put(t.company, `/api/v1/deliveries/${no}/choice`, { method: 'locker' });
    assert.equal(r.status, 200, r.text);
    r = await get(t.clerk, '/api/v1/lockers/G02/compartments');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 8);
    const free = r.json.items.filter((c) => !c.occupied && c.state === 'ok').map((c) => c.slot);
    // the first free compartment out of service: the result goes to the next one
    r = await put(t.clerk, `/api/v1/lockers/G02/compartments/${free[0]}/state`, { state: 'disabled', reason: '门锁故障' });
    assert.equal(r.status, 200, r.text);
    r = await post(t.clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'G02' });
    assert.equal(r.status, 200, r.text);
    const slot = r.json.delivery.compartment;
    assert.equal(slot, free[1]);
    r = await get(t.clerk, '/api/v1/lockers/G02/compartments');
    const c = r.json.items.find((x) => x.slot === slot);
    assert.equal(c.case_no, no);
    assert.equal(c.occupied, true);
    assert.equal(r.json.items.find((x) => x.slot === free[0]).state, 'disabled');
    assert.equal((await get(t.clerk, '/api/v1/lockers')).json.items.find((l) => l.locker === 'G02').disabled, 1);

    assertError(await put(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/state`, { state: 'disabled', reason: '检修' }), 409, 'invalid_state', 'state');
    assertError(await put(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/state`, { state: 'broken', reason: '检修' }), 422, 'invalid_field', 'state');
    assertError(await post(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/open`, {}), 422, 'missing_field', 'reason');
    r = await post(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/open`, { reason: '核对证照' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.occupied, true);
    assertError(await post(t.clerk, '/api/v1/lockers/G02/compartments/999/open', { reason: '核对' }), 404, 'not_found', 'slot');
    assertError(await post(t.clerk, '/api/v1/lockers/NOPE/compartments/1/open', { reason: '核对' }), 404, 'not_found', 'slot');
    assertError(await get(t.clerk, '/api/v1/lockers/NOPE/compartments'), 404, 'not_found', 'locker');
    assert.equal((await get(t.company, '/api/v1/lockers/G02/compartments')).status, 403);
    assert.equal((await post(t.company, `/api/v1/lockers/G02/compartments/${slot}/release`, { reason: 'x' })).status, 403);

    r = await post(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/release`, { reason: '申请人改为窗口领取' });
    assert.equal(r.status, 200, r.text);
    r = await get(t.company, `/api/v1/deliveries/${no}`);
    assert.equal(r.json.delivery.status, 'pending');
    assert.equal(r.json.delivery.method, 'window');
    assertError(await post(t.clerk, `/api/v1/lockers/G02/compartments/${slot}/release`, { reason: '再次' }), 409, 'invalid_state');
    r = await put(t.clerk, `/api/v1/lockers/G02/compartments/${free[0]}/state`, { state: 'ok', reason: '已修好' });
    assert.equal(r.status, 200, r.text);
    const actions = sql(srv, "SELECT action FROM audit_log WHERE obj_type = 'locker' AND obj_id LIKE 'G02/%' ORDER BY seq").trim().split('\n');
    assert.deepEqual(actions, ['locker.state', 'locker.open', 'delivery.returned', 'locker.release', 'locker.state']);
  });

  test('the owner signed in at a kiosk opens their compartment without a code, once; not from the portal', async () => {
    const no = await approvedCase(srv, t, '上海徐汇刷脸取件科技有限公司');
    await put(t.company, `/api/v1/deliveries/${no}/choice`, { method: 'locker' });
    let r = await post(t.clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'G01' });
    assert.equal(r.status, 200, r.text);
    // the company has no mobile phone on its account: its portal session is not a kiosk's
    assertError(await post(t.company, `/api/v1/deliveries/${no}/pickup`), 403, 'forbidden');
    // the citizen's kiosk session does not see the company's result
    assertError(await post(kioskToken, `/api/v1/deliveries/${no}/pickup`), 404, 'not_found');
    // the company logs in at kiosk K05 by QR (confirmed from its phone) and opens it
    r = await post(null, '/api/v1/public/kiosk/login-requests', { kiosk: 'K05' });
    const { code, poll_token } = r.json;
    assert.equal((await post(t.company, `/api/v1/kiosk/login-requests/${code}/confirm`)).status, 200);
    r = await post(null, '/api/v1/public/kiosk/login-requests/poll', { poll_token });
    assert.equal(r.json.status, 'signed_in', r.text);
    const companyKiosk = r.json.token;
    r = await post(companyKiosk, `/api/v1/deliveries/${no}/pickup`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kiosk, 'K05');
    assert.equal((await get(t.company, `/api/v1/deliveries/${no}`)).json.delivery.status, 'done');
    assertError(await post(companyKiosk, `/api/v1/deliveries/${no}/pickup`), 409, 'invalid_state');
    assert.match(sql(srv, `SELECT summary FROM audit_log WHERE action = 'delivery.pickup' AND obj_id = '${no}'`), /"by":"login"/);
  });

  test('uncollected: after ss_locker_days the job sends the result back to the window and tells the applicant', async () => {
    const no = await approvedCase(srv, t, '上海徐汇逾期退回科技有限公司');
    await put(t.company, `/api/v1/deliveries/${no}/choice`, { method: 'locker' });
    let r = await post(t.clerk, `/api/v1/deliveries/${no}/locker`, { locker: 'G01' });
    assert.equal(r.status, 200, r.text);
    await post(null, '/api/v1/test/clock', { advance_days: 3 });
    let status = '';
    for (let i = 0; i < 100 && status !== 'pending'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      status = sql(srv, `SELECT status FROM ss_deliveries WHERE case_no = '${no}'`).trim();
    }
    assert.equal(status, 'pending', 'the job ran');
    t.company = await srv.login(COMPANY);
    r = await get(t.company, `/api/v1/deliveries/${no}`);
    assert.equal(r.json.delivery.method, 'window');
    assert.equal(r.json.delivery.locker, '');
    const ev = sql(srv, "SELECT payload FROM outbox_events WHERE name = 'delivery.notice'");
    assert.ok(ev.split('\n').some((p) => p.includes(no) && p.includes('"kind":"returned"')), 'the applicant is told');
    assert.equal(sql(srv, `SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.returned' AND summary LIKE '%${no}%'`).trim(), '1');
    // and reads it in the inbox (services' delivery.returned template, migration 0034)
    const back = await eventually(async () => {
      const m = (await get(t.company, '/api/v1/me/inbox')).json.items.find((x) => x.template === 'delivery.returned' && x.body.includes(no));
      assert.ok(m, 'the returned result is in the inbox');
      return m;
    });
    assert.match(back.body, /已退回办事窗口/);
    // the same job prunes what has served: login codes and kiosk sessions a day past
    let rows = '';
    for (let i = 0; i < 100 && rows !== '0\t0'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      rows = sql(srv, 'SELECT (SELECT COUNT(*) FROM ss_otps), (SELECT COUNT(*) FROM ss_kiosk_sessions)').trim();
    }
    assert.equal(rows, '0\t0', 'pruned');
  });

  test('every change is in an intact audit chain', async () => {
    const v = srv.verifyAudit();
    assert.ok(v.intact, v.stdout + v.stderr);
  });
});

describe('selfservice: the return job on two nodes sends each result back once', () => {
  let a, b;
  const ARGS = ['--ss-locker-days', '1', '--ss-return-seconds', '1'];
  before(async () => {
    a = await startServer({ clock: '2026-12-07T02:00:00Z', args: ARGS });
    b = new Server({ db: { url: a.url, drop() {} }, dir: tempDir(), clock: '2026-12-07T02:00:00Z', args: ARGS });
    await b.start();
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('300 uncollected results, two nodes passing every second: 300 returns, 300 notices', async () => {
    const who = (await a.api('GET', '/api/v1/me', { token: await a.login(COMPANY) })).json.account.id;
    const now = Date.parse((await a.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } })).json.clock.now);
    const rows = [];
    for (let i = 1; i <= 300; i++) {
      const no = `XR${String(i).padStart(10, '0')}`;
      rows.push(`INSERT INTO ss_compartments (locker, slot, delivery_id) VALUES ('R09', ${i}, 0);`,
        `INSERT INTO ss_deliveries (case_id, case_no, applicant_id, title, result, method, status, locker, compartment, placed_ms, created_at, updated_at) VALUES (${800000000 + i}, '${no}', ${who}, '企业设立登记', '营业执照', 'locker', 'in_locker', 'R09', ${i}, ${now}, 'x', 'x');`,
        `UPDATE ss_compartments SET delivery_id = (SELECT id FROM ss_deliveries WHERE case_no = '${no}') WHERE locker = 'R09' AND slot = ${i};`);
    }
    sql(a, `BEGIN;${rows.join('')}COMMIT;`);
    await a.api('POST', '/api/v1/test/clock', { body: { advance_days: 2 } });
    await b.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } }); // b reads the shared offset
    let left = 300;
    for (let i = 0; i < 300 && left > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      left = Number(sql(a, "SELECT COUNT(*) FROM ss_deliveries WHERE locker = 'R09' AND status = 'in_locker'").trim());
    }
    assert.equal(left, 0, 'every result went back');
    assert.equal(sql(a, "SELECT COUNT(*) FROM ss_compartments WHERE locker = 'R09' AND delivery_id <> 0").trim(), '0');
    assert.equal(sql(a, "SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.returned' AND summary LIKE '%XR%'").trim(), '300', 'returned once each');
    const notices = sql(a, "SELECT payload FROM outbox_events WHERE name = 'delivery.notice'").split('\n').filter((p) => p.includes('"kind":"returned"') && p.includes('XR'));
    assert.equal(notices.length, 300, 'told once each');
    assert.equal(new Set(notices.map((p) => JSON.parse(p).case_no)).size, 300);
    const v = a.verifyAudit();
    assert.ok(v.intact, v.stdout + v.stderr);
  });
});
