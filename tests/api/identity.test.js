// identity.test.js - log in, sessions (bearer and cookie + CSRF), lockout and
// address limits, the test clock, staff administration and its roles.
//
// The servers here trust X-Forwarded-For, so each test can come from its own
// address: failed logins are counted per (login, address) pair, and the tests
// must not use up one another's allowance.  The lockout model itself (growing
// waits, ceilings, parallel attempts, two nodes) is tested in lockout.test.js.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD, DEMO_STAFF } from './harness.js';

const LOGIN = '/api/v1/auth/login';
let ipCounter = 10;
const newIp = () => `198.51.100.${ipCounter++}`;

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

/** Log in from a given address: the whole response. */
function loginFrom(srv, ip, login, password = DEMO_PASSWORD) {
  return srv.api('POST', LOGIN, { body: { login, password }, headers: { 'X-Forwarded-For': ip } });
}

function cookieOf(r) {
  const sc = r.headers.getSetCookie ? r.headers.getSetCookie() : [r.headers.get('set-cookie')];
  const c = sc.find((s) => s && s.startsWith('ywtb_session='));
  assert.ok(c, `Set-Cookie ywtb_session in ${JSON.stringify(sc)}`);
  return c;
}

describe('identity', () => {
  let srv, admin;
  before(async () => {
    srv = await startServer({ args: ['--trust-proxy', 'true', '--login-delay', '60'] });
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  test('login returns a bearer token, a CSRF token, the account and an HttpOnly SameSite cookie', async () => {
    const r = await loginFrom(srv, newIp(), 'admin');
    assert.equal(r.status, 200, r.text);
    const b = r.json;
    assert.match(b.token, /^[A-Za-z0-9_-]{43}$/, '256-bit token, URL-safe base64');
    assert.match(b.csrf_token, /^[A-Za-z0-9_-]{20,}$/);
    assert.notEqual(b.token, admin, 'each login is a new session');
    assert.equal(b.token_type, 'Bearer');
    assert.equal(b.expires_in, 43200);
    assert.equal(b.account.login, 'admin');
    assert.equal(b.account.kind, 'staff');
    assert.deepEqual(b.account.roles, ['admin']);
    assert.equal(b.account.name, '系统管理员');
    assert.match(b.account.dept, /^XH-[A-Z0-9]+$/);
    assert.equal(b.account.password_hash, undefined);
    const c = cookieOf(r);
    const parts = c.split(';').map((s) => s.trim());
    assert.equal(parts[0], `ywtb_session=${b.token}`);
    assert.ok(parts.includes('HttpOnly'), c);
    assert.ok(parts.some((p) => /^SameSite=(Lax|Strict)$/.test(p)), c);
    assert.ok(parts.includes('Path=/'), c);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('every demo staff account can log in with its roles', async () => {
    const want = {
      admin: ['admin'], clerk: ['window_clerk'], reviewer: ['reviewer'], chief: ['reviewer', 'chief_approver'],
      supervisor: ['supervisor'], dataofficer: ['data_officer'], hotline: ['hotline_operator'],
      grid: ['grid_worker'], finance: ['finance'],
    };
    const ip = newIp();
    for (const u of DEMO_STAFF) {
      const r = await loginFrom(srv, ip, u);
      assert.equal(r.status, 200, `${u}: ${r.text}`);
      assert.deepEqual([...r.json.account.roles].sort(), [...want[u]].sort(), u);
    }
  });

  test('/api/v1/me with a bearer token; without one it is 401', async () => {
    const r = await srv.api('GET', '/api/v1/me', { token: admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account.login, 'admin');
    assert.equal(r.json.account.kind, 'staff');
    assert.match(r.json.account.csrf_token, /^[A-Za-z0-9_-]{20,}$/);
    assertError(await srv.api('GET', '/api/v1/me'), 401, 'unauthenticated');
    assertError(await srv.api('GET', '/api/v1/me', { token: admin.slice(0, -1) + (admin.endsWith('A') ? 'B' : 'A') }), 401, 'unauthenticated');
  });

  test('a wrong password is 401 invalid_credentials; an unknown login answers the same', async () => {
    const ip = newIp();
    const r = await loginFrom(srv, ip, 'supervisor', 'Demo@2025');
    assertError(r, 401, 'invalid_credentials');
    assert.match(r.json.error.message, /4 tries left/);
    const u = await loginFrom(srv, ip, 'nobody-here', 'Demo@2025');
    assertError(u, 401, 'invalid_credentials');
    assert.equal(u.json.error.message, r.json.error.message, 'no hint whether the account exists');
    assert.equal(r.headers.get('set-cookie'), null);
    // the right password still works (and clears the failure)
    assert.equal((await loginFrom(srv, ip, 'supervisor')).status, 200);
  });

  // Issue 16.3: five failures no longer lock the account for everyone.  They
  // make that address wait (429 account_locked with Retry-After) while the
  // owner's right password from another address still logs in.
  test('5 failures make that address wait (429 account_locked, Retry-After); other addresses log in', async () => {
    const ip = newIp();
    for (let i = 1; i <= 4; i++) {
      const r = await loginFrom(srv, ip, 'reviewer', `wrong-${i}`);
      assertError(r, 401, 'invalid_credentials');
      assert.match(r.json.error.message, new RegExp(`${5 - i} tries left`));
    }
    const fifth = await loginFrom(srv, ip, 'reviewer', 'wrong-5');
    assertError(fifth, 401, 'invalid_credentials');
    assert.match(fifth.json.error.message, /must wait 60 seconds/);
    const right = await loginFrom(srv, ip, 'reviewer', DEMO_PASSWORD);
    assertError(right, 429, 'account_locked', 'login');
    assert.match(right.json.error.message, /try again in \d+ seconds/);
    const ra = Number(right.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `Retry-After ${right.headers.get('retry-after')}`);
    // from another address the owner logs in: the wait is on the pair
    assert.equal((await loginFrom(srv, newIp(), 'reviewer')).status, 200);
    // ... which does not lift the first address's wait
    assertError(await loginFrom(srv, ip, 'reviewer', DEMO_PASSWORD), 429, 'account_locked', 'login');
    // other accounts from the same address are not affected
    assert.equal((await loginFrom(srv, ip, 'hotline')).status, 200);
    // a login that does not exist answers the same way
    const ip2 = newIp();
    for (let i = 1; i <= 5; i++) assertError(await loginFrom(srv, ip2, 'ghost', 'x'), 401, 'invalid_credentials');
    assertError(await loginFrom(srv, ip2, 'ghost', 'x'), 429, 'account_locked', 'login');
  });

  // Issue 16.3: 20 failures from one address used to block every login from
  // it (an office behind one NAT address); failures of other logins from the
  // address no longer stop a right password.
  test('20 failures from one address do not stop another account behind it', async () => {
    const ip = newIp();
    for (let i = 0; i < 20; i++) {
      const r = await loginFrom(srv, ip, `flood-${i}`, 'x');
      assertError(r, 401, 'invalid_credentials');
    }
    assert.equal((await loginFrom(srv, ip, 'clerk')).status, 200, 'a right password from the same address');
    assert.equal((await loginFrom(srv, newIp(), 'clerk')).status, 200, 'other addresses too');
  });

  test('cookie session: writes need X-CSRF-Token, reads do not', async () => {
    const r = await loginFrom(srv, newIp(), 'admin');
    const cookie = `ywtb_session=${r.json.token}`;
    const csrf = r.json.csrf_token;
    const me = await srv.api('GET', '/api/v1/me', { cookie });
    assert.equal(me.status, 200);
    assert.equal(me.json.account.csrf_token, csrf);
    const body = { username: 'csrf.one', password: 'Passw0rd!', name: '跨站测试', roles: ['reviewer'] };
    assertError(await srv.api('POST', '/api/v1/admin/users', { cookie, body }), 403, 'csrf_token_invalid');
    assertError(await srv.api('POST', '/api/v1/admin/users', { cookie, body, csrf: 'not-the-token' }), 403, 'csrf_token_invalid');
    assertError(await srv.api('POST', '/api/v1/admin/users', { cookie, body, csrf: admin }), 403, 'csrf_token_invalid');
    assertError(await srv.api('POST', '/api/v1/auth/logout', { cookie }), 403, 'csrf_token_invalid');
    // nothing was created by the refused requests
    let list = (await srv.api('GET', '/api/v1/admin/users', { cookie })).json.items;
    assert.equal(list.some((u) => u.username === 'csrf.one'), false);
    const ok = await srv.api('POST', '/api/v1/admin/users', { cookie, body, csrf });
    assert.equal(ok.status, 201, ok.text);
    list = (await srv.api('GET', '/api/v1/admin/users', { cookie })).json.items;
    assert.equal(list.filter((u) => u.username === 'csrf.one').length, 1);
    // logging out by cookie, with the token, ends the session and clears the cookie
    const out = await srv.api('POST', '/api/v1/auth/logout', { cookie, csrf });
    assert.equal(out.status, 200, out.text);
    assert.match(cookieOf(out), /^ywtb_session=;.*Max-Age=0/);
    assertError(await srv.api('GET', '/api/v1/me', { cookie }), 401, 'unauthenticated');
  });

  test('bearer clients need no CSRF token', async () => {
    const r = await srv.api('POST', '/api/v1/admin/users', {
      token: admin, body: { username: 'bearer.one', password: 'Passw0rd!', name: 'Bearer', roles: ['supervisor'] },
    });
    assert.equal(r.status, 201, r.text);
  });

  test('logout ends the session', async () => {
    const t = await srv.login('dataofficer');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t })).status, 200);
    const out = await srv.api('POST', '/api/v1/auth/logout', { token: t });
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(out.json, { logged_out: true });
    assertError(await srv.api('GET', '/api/v1/me', { token: t }), 401, 'unauthenticated');
    assertError(await srv.api('POST', '/api/v1/auth/logout', { token: t }), 401, 'unauthenticated');
    // other sessions of other users live on
    assert.equal((await srv.api('GET', '/api/v1/me', { token: admin })).status, 200);
  });

  test('admin creates staff (201); the new account can log in', async () => {
    const r = await srv.api('POST', '/api/v1/admin/users', {
      token: admin,
      body: { username: 'new.clerk-1', password: 'Window#2026', name: '周新员', dept: 'XH-ZWFW', roles: ['window_clerk', 'reviewer'] },
    });
    assert.equal(r.status, 201, r.text);
    const a = r.json.account;
    assert.equal(a.login, 'new.clerk-1');
    assert.equal(a.kind, 'staff');
    assert.equal(a.name, '周新员');
    assert.equal(a.dept, 'XH-ZWFW');
    assert.deepEqual([...a.roles].sort(), ['reviewer', 'window_clerk']);
    assert.ok(Number.isInteger(a.id) && a.id > 0);
    const list = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items;
    const row = list.find((u) => u.username === 'new.clerk-1');
    assert.ok(row, 'listed');
    assert.equal(row.id, a.id);
    assert.equal(row.status, 'active');
    assert.equal(row.password_hash, undefined);
    const l = await loginFrom(srv, newIp(), 'new.clerk-1', 'Window#2026');
    assert.equal(l.status, 200, l.text);
    assert.equal(l.json.account.id, a.id);
  });

  test('duplicate username is 409; bad input is 422 naming the field', async () => {
    const base = { username: 'dup.user', password: 'Passw0rd!', name: '重复', roles: ['reviewer'] };
    assert.equal((await srv.api('POST', '/api/v1/admin/users', { token: admin, body: base })).status, 201);
    assertError(await srv.api('POST', '/api/v1/admin/users', { token: admin, body: base }), 409, 'conflict', 'username');
    assertError(await srv.api('POST', '/api/v1/admin/users', { token: admin, body: { ...base, username: 'admin' } }), 409, 'conflict', 'username');
    const bad = [
      [{ roles: ['emperor'] }, 'roles'],
      [{ roles: ['person'] }, 'roles'],
      [{ roles: ['reviewer', 'enterprise'] }, 'roles'],
      [{ roles: [] }, 'roles'],
      [{ username: 'Upper' }, 'username'],
      [{ username: 'ab' }, 'username'],
      [{ username: 'x'.repeat(33) }, 'username'],
      [{ username: 'sp ace' }, 'username'],
      [{ username: '用户' }, 'username'],
      [{ password: 'short1' }, 'password'],
      [{ password: 'alllowercaseletters' }, 'password'],
      [{ name: '' }, 'name'],
      [{ name: 'n'.repeat(65) }, 'name'],
      [{ dept: 'XH DSJ' }, 'dept'],
      [{ dept: "x';--" }, 'dept'],
      [{ dept: 'XH-NOPE' }, 'dept'], // not in the catalog (issue 21)
    ];
    for (const [change, field] of bad) {
      const body = { ...base, username: 'fresh.user', ...change };
      const r = await srv.api('POST', '/api/v1/admin/users', { token: admin, body });
      assertError(r, 422, 'invalid_field', field);
    }
    const list = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items;
    assert.equal(list.filter((u) => u.username === 'dup.user').length, 1);
    assert.equal(list.some((u) => u.username === 'fresh.user'), false);
  });

  test('only admins manage staff: clerk 403, anonymous 401', async () => {
    const clerk = await srv.login('clerk');
    const body = { username: 'by.clerk', password: 'Passw0rd!', name: 'X', roles: ['admin'] };
    assertError(await srv.api('POST', '/api/v1/admin/users', { token: clerk, body }), 403, 'forbidden');
    assertError(await srv.api('GET', '/api/v1/admin/users', { token: clerk }), 403, 'forbidden');
    assertError(await srv.api('POST', '/api/v1/admin/users', { body }), 401, 'unauthenticated');
    for (const u of ['chief', 'supervisor', 'hotline', 'dataofficer']) {
      const t = await srv.login(u);
      assertError(await srv.api('POST', '/api/v1/admin/users', { token: t, body }), 403, 'forbidden');
    }
    const list = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items;
    assert.equal(list.some((u) => u.username === 'by.clerk'), false);
  });

  test('GET /api/v1/admin/users lists the staff', async () => {
    const r = await srv.api('GET', '/api/v1/admin/users', { token: admin });
    assert.equal(r.status, 200);
    const names = r.json.items.map((u) => u.username);
    for (const u of DEMO_STAFF) assert.ok(names.includes(u), u);
    const chief = r.json.items.find((u) => u.username === 'chief');
    assert.equal(chief.name, '张首席');
    assert.match(chief.dept, /^XH-[A-Z0-9]+$/);
    assert.deepEqual([...chief.roles].sort(), ['chief_approver', 'reviewer']);
  });

  test('GET /api/v1/admin/routes lists every route with roles and flags (admin only)', async () => {
    const r = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    assert.equal(r.status, 200, r.text);
    const find = (m, p) => r.json.routes.find((x) => x.method === m && x.path === p);
    const login = find('POST', '/api/v1/auth/login');
    assert.ok(login);
    assert.ok(login.flags.includes('public'));
    assert.deepEqual(find('POST', '/api/v1/admin/users').roles, ['admin']);
    assert.deepEqual(find('GET', '/api/v1/admin/routes').roles, ['admin']);
    assert.ok(find('GET', '/healthz').flags.includes('public'));
    assert.ok(find('GET', '/api/v1/me'));
    assert.equal(find('POST', '/api/v1/test/clock'), undefined, 'no test routes without --clock');
    for (const x of r.json.routes) {
      assert.match(x.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
      assert.match(x.path, /^\//);
      assert.ok(Array.isArray(x.roles) && Array.isArray(x.flags));
    }
    assertError(await srv.api('GET', '/api/v1/admin/routes', { token: await srv.login('supervisor') }), 403, 'forbidden');
    assertError(await srv.api('GET', '/api/v1/admin/routes'), 401, 'unauthenticated');
  });

  test('SQL and HTML metacharacters and overlong logins are 4xx, never 5xx', async () => {
    const ip = newIp();
    const nasty = [
      "admin' OR '1'='1", "admin'--", "admin' /*", '" OR ""="', "'; DROP TABLE accounts; --", 'admin%', '%', '_____',
      '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '${7*7}', '{{7*7}}', '../../etc/passwd',
      'admin\\', '\u202eadmin', '管理员', '😀😀😀',
    ];
    for (const login of nasty) {
      const r = await loginFrom(srv, ip, login, "' OR 1=1 --");
      assert.ok(r.status >= 400 && r.status < 500, `${login}: ${r.status} ${r.text}`);
      assert.ok(['invalid_credentials', 'account_locked', 'rate_limited'].includes(r.json.error.code), r.text);
      assert.equal(r.json.token, undefined);
    }
    for (const body of [
      { login: 'a'.repeat(65), password: 'x' },
      { login: 'admin', password: 'x'.repeat(5000) },
      { login: '', password: 'x' },
      { login: 'admin', password: '' },
    ]) {
      const r = await srv.api('POST', LOGIN, { body, headers: { 'X-Forwarded-For': newIp() } });
      assertError(r, 422, 'invalid_field');
    }
    // the accounts table is still there and admin still logs in
    assert.equal((await loginFrom(srv, newIp(), 'admin')).status, 200);
    const list = await srv.api('GET', '/api/v1/admin/users', { token: admin });
    assert.ok(list.json.items.length >= DEMO_STAFF.length);
  });

  test('/api/v1/test/clock does not exist without --clock', async () => {
    assertError(await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 901 } }), 404, 'not_found');
    assertError(await srv.api('POST', '/api/v1/test/clock', { token: admin, body: { advance_seconds: 901 } }), 404, 'not_found');
    assert.equal((await srv.api('GET', '/healthz')).json.clock.set, false);
  });

  test('the audit chain is intact after all of this', () => {
    const a = srv.verifyAudit();
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.ok(a.intact);
    assert.ok(a.records > 20, a.stdout);
  });
});

describe('identity with the test clock', () => {
  const START = '2026-09-24T10:00:00+08:00';
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--clock', START, '--login-delay', '60'] });
  });
  after(() => srv?.close());

  test('/healthz shows the set clock', async () => {
    const h = (await srv.api('GET', '/healthz')).json;
    assert.equal(h.clock.set, true);
    const now = Date.parse(h.clock.now);
    assert.ok(now >= Date.parse(START), `${h.clock.now} is not before the start`);
    assert.ok(now < Date.parse(START) + 86400e3, `${h.clock.now} runs on from the start, not from the real time`);
  });

  // Issue 16.3: the 15-minute lock became a wait that ends after Retry-After.
  test('the wait ends after Retry-After seconds of (test) time', async () => {
    for (let i = 0; i < 4; i++) assertError(await srv.loginResponse('chief', 'nope'), 401, 'invalid_credentials');
    assertError(await srv.loginResponse('chief', 'nope'), 401, 'invalid_credentials');
    const locked = await srv.loginResponse('chief');
    assertError(locked, 429, 'account_locked');
    const ra = Number(locked.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `Retry-After ${locked.headers.get('retry-after')}`);
    const before = Date.parse((await srv.api('GET', '/healthz')).json.clock.now);
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 61 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.clock.set, true);
    assert.ok(Date.parse(r.json.clock.now) >= before + 61e3, `${r.json.clock.now} moved forward by 61 s`);
    const ok = await srv.loginResponse('chief');
    assert.equal(ok.status, 200, ok.text);
  });

  test('the clock only moves forward; bad bodies are refused', async () => {
    assertError(await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: -10 } }), 422, 'invalid_field', 'advance_seconds');
    assertError(await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 'x' } }), 422, 'invalid_field', 'advance_seconds');
    assertError(await srv.api('POST', '/api/v1/test/clock', { body: { rewind: 1 } }), 400, 'unknown_field', 'rewind');
    const d = await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 1 } });
    assert.equal(d.status, 200);
  });

  test('a session ends after 30 idle minutes of (test) time', async () => {
    const t = await srv.login('hotline');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t })).status, 200);
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 1200 } })).status, 200);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t })).status, 200, 'still active after 20 minutes');
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 1801 } })).status, 200);
    assertError(await srv.api('GET', '/api/v1/me', { token: t }), 401, 'unauthenticated');
  });

  test('the test route is listed with its flag', async () => {
    const r = await srv.api('GET', '/api/v1/admin/routes', { token: await srv.login('admin') });
    const c = r.json.routes.find((x) => x.method === 'POST' && x.path === '/api/v1/test/clock');
    assert.ok(c);
    assert.ok(c.flags.includes('test'));
  });
});
