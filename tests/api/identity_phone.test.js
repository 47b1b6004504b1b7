// identity_phone.test.js - one-time codes by SMS (issue 15, identity/phone.c):
// a citizen verifies their mobile number with a code, and a citizen with a
// verified number who forgot their password sets a new one with a code: the
// code travels through the SMS gateway (services' outbox, reached through
// core's SMS provider), expires, works once, dies after 5 wrong entries; codes
// are rate-limited per login and answered alike for logins without an account
// or a verified number; the reset ends every session; every step is audited;
// bad input is a 4xx and changes nothing.  NIST SP 800-63B §5.1.3, OWASP
// forgot-password cheat sheet.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { startServer, DEMO_PASSWORD } from './harness.js';
import { idNumber } from './case_fixtures.js';

const CITIZEN = '310104199003072013';
const PHONE = '13912345678';
const NEW_PASSWORD = 'Reset@2026x';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A local SMS gateway: records each POSTed JSON body. */
async function startSmsGateway() {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push(JSON.parse(body));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/send`, got, close: () => new Promise((r) => server.close(r)) };
}

function auditCount(srv, action) {
  if (!/^[a-z._]+$/.test(action)) throw new Error(action);
  const sql = `SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`;
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
  return Number(out.trim());
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  if (field) assert.equal(r.json.error.field, field, r.text);
}

describe('identity: verify a phone and reset a password by SMS code', () => {
  let srv, sms;
  let seen = 0;
  /* the next SMS the gateway receives, and the 6-digit code in it */
  async function nextCode() {
    const end = Date.now() + 15000;
    while (sms.got.length <= seen) {
      if (Date.now() > end) throw new Error('no SMS arrived');
      await sleep(50);
    }
    const m = sms.got[seen++];
    const code = /(\d{6})/.exec(m.text);
    assert.ok(code, m.text);
    return { ...m, code: code[1] };
  }
  const advance = async (seconds) => {
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: seconds } });
    assert.equal(r.status, 200, r.text);
  };
  const other = (code) => String((Number(code) + 1) % 1000000).padStart(6, '0');

  before(async () => {
    sms = await startSmsGateway();
    srv = await startServer({
      clock: '2026-09-28T10:00:00+08:00',
      args: ['--notify-sms-url', sms.url, '--notify-interval-ms', '100', '--notify-backoff-ms', '100'],
    });
  });
  after(async () => {
    await srv?.close();
    await sms?.close();
  });

  test('a citizen verifies their mobile number with the code the SMS brings', async () => {
    const token = await srv.login(CITIZEN);
    const me = await srv.api('GET', '/api/v1/me', { token });
    assert.equal(me.json.account.phone_verified, false);
    // a reset before the number is verified sends nothing (and says the same)
    const early = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: CITIZEN } });
    assert.equal(early.status, 202, early.text);

    const r = await srv.api('POST', '/api/v1/me/phone/code', { token, body: {} });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.phone, '139****5678');
    assert.equal(r.json.expires_in, 600);
    const m = await nextCode();
    assert.equal(m.to, PHONE);
    assert.match(m.text, /^【徐汇一网通办】验证码 \d{6}，10 分钟内有效，用于验证手机号码/);
    assert.equal(sms.got.length, 1, 'the early reset sent no SMS');

    // a second code at once: 429 with Retry-After
    const again = await srv.api('POST', '/api/v1/me/phone/code', { token, body: {} });
    assertError(again, 429, 'rate_limited');
    assert.ok(Number(again.headers.get('retry-after')) >= 1);

    // a wrong code: 422, counted; the right one verifies
    const wrong = await srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: other(m.code) } });
    assertError(wrong, 422, 'invalid_field', 'code');
    assert.match(wrong.json.error.message, /4 tries left/);
    assertError(await srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: '12ab56' } }), 422, 'invalid_field', 'code');
    const ok = await srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: m.code } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await srv.api('GET', '/api/v1/me', { token })).json.account.phone_verified, true);
    // used once
    assertError(await srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: m.code } }), 422, 'invalid_field', 'code');
    // nothing more to verify
    await advance(61);
    assertError(await srv.api('POST', '/api/v1/me/phone/code', { token, body: {} }), 409, 'invalid_state', 'phone');
    assert.equal(auditCount(srv, 'account.phone_verify'), 1);
    assert.ok(auditCount(srv, 'account.phone_code_wrong') >= 1);
  });

  test('a company whose phone is a landline cannot verify it by SMS; staff have no such route', async () => {
    const me = await srv.api('GET', '/api/v1/me', { token: await srv.login('clerk') });
    assert.equal(me.status, 200);
    assertError(await srv.api('POST', '/api/v1/me/phone/code', { token: await srv.login('clerk'), body: {} }), 403, 'forbidden');
    assert.equal((await srv.api('POST', '/api/v1/me/phone/code', { body: {} })).status, 401);
  });

  test('a forgotten password: the code resets it, ends every session, works once', async () => {
    const old = await srv.login(CITIZEN);
    const before = sms.got.length;
    const unknown = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: '110101199003070011' } });
    const r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: CITIZEN } });
    assert.equal(r.status, 202, r.text);
    assert.equal(unknown.status, 202, unknown.text);
    assert.deepEqual(unknown.json, r.json, 'a login without an account is answered alike');
    const m = await nextCode();
    assert.equal(sms.got.length, before + 1, 'one SMS: the unknown login got none');
    assert.equal(m.to, PHONE);
    assert.match(m.text, /重置登录密码/);

    // a wrong code: 422 and nothing changed
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: other(m.code), new_password: NEW_PASSWORD } }), 422, 'invalid_field', 'code');
    // a weak password: 422, and the code is not used up
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: m.code, new_password: 'short' } }), 422, 'invalid_field', 'new_password');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: old })).status, 200, 'still logged in');
    assert.equal((await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: DEMO_PASSWORD } })).status, 200);

    // the right code: the new password works, the old one and every session end
    const ok = await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: m.code, new_password: NEW_PASSWORD } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.sessions_ended, true);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: old })).status, 401, 'the old session ended');
    assert.equal((await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: DEMO_PASSWORD } })).status, 401);
    assert.equal((await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: NEW_PASSWORD } })).status, 200);
    // once only
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: m.code, new_password: DEMO_PASSWORD } }), 422, 'invalid_field', 'code');
    assert.equal(auditCount(srv, 'account.password_reset'), 1);
    assert.ok(auditCount(srv, 'account.phone_code') >= 3, 'each code asked for is audited, sent or not');
    assert.equal(srv.verifyAudit().intact, true);
  });

  test('a code expires after 10 minutes, and 5 wrong entries end it', async () => {
    await advance(61);
    let r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: CITIZEN } });
    assert.equal(r.status, 202, r.text);
    const late = await nextCode();
    await advance(601);
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: late.code, new_password: DEMO_PASSWORD } }), 422, 'invalid_field', 'code');

    r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: CITIZEN } });
    assert.equal(r.status, 202, r.text);
    const m = await nextCode();
    for (let i = 0; i < 5; i++)
      assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: other(m.code), new_password: DEMO_PASSWORD } }), 422, 'invalid_field', 'code');
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: m.code, new_password: DEMO_PASSWORD } }), 422, 'invalid_field', 'code');
    assert.equal((await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: NEW_PASSWORD } })).status, 200, 'the password did not change');
  });

  test('parallel wrong entries: exactly 5 are counted, then the code is dead', async () => {
    const id = idNumber('19900101', 321);
    const reg = await srv.api('POST', '/api/v1/auth/register', { body: { kind: 'person', id_number: id, name: '并发测', phone: '13700000001', password: 'Phone#2026x' } });
    assert.equal(reg.status, 201, reg.text);
    const token = await srv.login(id, 'Phone#2026x');
    assert.equal((await srv.api('POST', '/api/v1/me/phone/code', { token, body: {} })).status, 202);
    const m = await nextCode();
    assert.equal(m.to, '13700000001');
    const tries = await Promise.all(Array.from({ length: 10 }, () => srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: other(m.code) } })));
    for (const r of tries) assertError(r, 422, 'invalid_field', 'code');
    const sql = `SELECT attempts FROM phone_codes WHERE login = '${id}' AND purpose = 'verify'`;
    const out = srv.url.startsWith('sqlite:')
      ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
      : execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
    assert.equal(out.trim(), '5');
    assertError(await srv.api('POST', '/api/v1/me/phone/verify', { token, body: { code: m.code } }), 422, 'invalid_field', 'code');
    assert.equal((await srv.api('GET', '/api/v1/me', { token })).json.account.phone_verified, false);
  });

  test('at most 5 codes an hour per login, for a login without an account too', async () => {
    const login = '110101199003070011';
    await advance(3700);
    for (let i = 0; i < 5; i++) {
      const r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login } });
      assert.equal(r.status, 202, `code ${i + 1}: ${r.text}`);
      await advance(61);
    }
    const r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login } });
    assertError(r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) > 60);
  });

  test('bad input is a clear 4xx', async () => {
    const raw = await srv.api('POST', '/api/v1/auth/password-reset/code', { raw: '{"login":', headers: { 'Content-Type': 'application/json' } });
    assert.equal(raw.status, 400, raw.text);
    assertError(await srv.api('POST', '/api/v1/auth/password-reset/code', { body: {} }), 422, 'missing_field', 'login');
    assertError(await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: 42 } }), 422, 'invalid_field', 'login');
    assert.equal((await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login: CITIZEN, phone: PHONE } })).status, 400);
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, code: 123456, new_password: NEW_PASSWORD } }), 422, 'invalid_field', 'code');
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: CITIZEN, new_password: NEW_PASSWORD } }), 422, 'missing_field', 'code');
    assertError(await srv.api('POST', '/api/v1/auth/password-reset', { body: { login: 'x'.repeat(65), code: '123456', new_password: NEW_PASSWORD } }), 422, 'invalid_field', 'login');
  });
});

describe('identity: no SMS gateway, no reset by SMS', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(() => srv?.close());

  test('asking for a code says to go to a window, for every login alike', async () => {
    for (const login of [CITIZEN, '110101199003070011']) {
      const r = await srv.api('POST', '/api/v1/auth/password-reset/code', { body: { login } });
      assertError(r, 409, 'invalid_state', 'phone');
      assert.match(r.json.error.message, /service window/);
    }
    assertError(await srv.api('POST', '/api/v1/me/phone/code', { token: await srv.login(CITIZEN), body: {} }), 409, 'invalid_state', 'phone');
  });
});
