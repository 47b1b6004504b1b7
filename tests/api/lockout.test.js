// lockout.test.js - the login lockout (issue 16.3, issue 21.6; ARCHITECTURE.md
// "Login lockout"): failures are counted per (login, address) pair and slow
// that pair down with growing waits (429 account_locked with Retry-After); a
// login's ceiling over every address and an address's ceiling over every login
// only slow, so the owner from an address that has not failed, and another
// account behind an attacked NAT address, log in after one short wait at most;
// parallel attempts, on one node or two, each see the ones before them.
//
// The servers trust X-Forwarded-For, so each request can come from its own
// address.  Waits are ended with the test clock (--clock), never by sleeping;
// where the real clock runs, the waits are long (--login-delay 600) so that no
// assertion depends on how fast the machine is.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Server, tempDir, cli, DEMO_PASSWORD } from './harness.js';

const LOGIN = '/api/v1/auth/login';
const START = '2026-09-24T10:00:00+08:00';
let ipCounter = 1;
const newIp = () => `203.0.${113 + (ipCounter >> 8)}.${ipCounter++ & 255}`;

function loginFrom(srv, ip, login, password = DEMO_PASSWORD) {
  return srv.api('POST', LOGIN, { body: { login, password }, headers: { 'X-Forwarded-For': ip } });
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  assert.ok(r.json.error.request_id, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

/** A 429 from the lockout: its Retry-After in whole seconds. */
function assertWait(r, code = 'account_locked') {
  assertError(r, 429, code);
  const h = r.headers.get('retry-after');
  assert.match(h ?? '', /^[1-9][0-9]*$/, `Retry-After: ${h}`);
  assert.match(r.json.error.message, new RegExp(`try again in ${h} seconds`), r.text);
  return Number(h);
}

async function advance(srv, seconds) {
  const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: seconds } });
  assert.equal(r.status, 200, r.text);
}

describe('waits per (login, address) pair', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      args: ['--trust-proxy', 'true', '--clock', START, '--login-delay', '10', '--login-delay-max', '80'],
    });
  });
  after(() => srv?.close());

  test("the owner's right password from a fresh address succeeds while the attacker's address waits", async () => {
    const attacker = newIp();
    for (let i = 1; i <= 5; i++) assertError(await loginFrom(srv, attacker, 'chief', `guess-${i}`), 401, 'invalid_credentials');
    // the attacker's sixth try is not checked at all, right password or not
    const ra = assertWait(await loginFrom(srv, attacker, 'chief', 'guess-6'));
    assert.ok(ra >= 9 && ra <= 10, `Retry-After ${ra}`);
    assertWait(await loginFrom(srv, attacker, 'chief', DEMO_PASSWORD));
    // the owner, from an address that has not failed
    const owner = await loginFrom(srv, newIp(), 'chief');
    assert.equal(owner.status, 200, owner.text);
    assert.equal(owner.json.account.login, 'chief');
    // the owner's success does not lift the attacker's wait
    assertWait(await loginFrom(srv, attacker, 'chief', 'guess-7'));
  });

  test('the wait grows with every further failure (1x, 2x, 4x ... the first wait) up to login_delay_max', async () => {
    const ip = newIp();
    for (let i = 1; i <= 4; i++) {
      const r = await loginFrom(srv, ip, 'supervisor', `wrong-${i}`);
      assertError(r, 401, 'invalid_credentials', 'password');
      assert.match(r.json.error.message, new RegExp(`\\(${5 - i} tries left\\)`));
    }
    const fifth = await loginFrom(srv, ip, 'supervisor', 'wrong-5');
    assertError(fifth, 401, 'invalid_credentials', 'password');
    assert.match(fifth.json.error.message, /must wait 10 seconds/);
    const seen = [];
    for (const want of [10, 20, 40, 80, 80]) {
      const ra = assertWait(await loginFrom(srv, ip, 'supervisor', 'too-early'));
      assert.ok(ra <= want && ra >= want - 1, `Retry-After ${ra}, want ${want}`);
      seen.push(want);
      // asking again does not restart the wait
      assert.ok(assertWait(await loginFrom(srv, ip, 'supervisor', 'too-early')) <= want);
      await advance(srv, want);
      const r = await loginFrom(srv, ip, 'supervisor', 'wrong-again');
      assertError(r, 401, 'invalid_credentials');
      assert.match(r.json.error.message, new RegExp(`must wait ${Math.min(want * 2, 80)} seconds`));
    }
    assert.deepEqual(seen, [10, 20, 40, 80, 80]);
    // the right password after the wait logs in and starts the pair afresh
    await advance(srv, 80);
    assert.equal((await loginFrom(srv, ip, 'supervisor')).status, 200);
    const again = await loginFrom(srv, ip, 'supervisor', 'typo');
    assertError(again, 401, 'invalid_credentials');
    assert.match(again.json.error.message, /4 tries left/);
  });

  test('a NAT address with many failures for one account does not stop another account behind it', async () => {
    const nat = newIp();
    for (let i = 1; i <= 5; i++) assertError(await loginFrom(srv, nat, 'reviewer', `x-${i}`), 401, 'invalid_credentials');
    for (let i = 0; i < 10; i++) assertWait(await loginFrom(srv, nat, 'reviewer', 'x'));
    for (const u of ['clerk', 'hotline', 'dataofficer']) {
      const r = await loginFrom(srv, nat, u);
      assert.equal(r.status, 200, `${u}: ${r.text}`);
    }
    // and a colleague's typo is its own pair: tries left, no wait
    const typo = await loginFrom(srv, nat, 'admin', 'typo');
    assertError(typo, 401, 'invalid_credentials');
    assert.match(typo.json.error.message, /4 tries left/);
  });

  test('the addresses of one IPv6 /64 count as one address', async () => {
    for (let i = 1; i <= 5; i++)
      assertError(await loginFrom(srv, `2001:db8:77:1::${i}`, 'hotline', 'guess'), 401, 'invalid_credentials');
    assertWait(await loginFrom(srv, '2001:db8:77:1:ffff::9', 'hotline'));
    assert.equal((await loginFrom(srv, '2001:db8:77:2::1', 'hotline')).status, 200, 'another /64');
  });

  test('a login that does not exist waits exactly like one that does', async () => {
    const a = newIp(), b = newIp();
    const real = [], ghost = [];
    for (let i = 0; i < 7; i++) {
      real.push(await loginFrom(srv, a, 'admin', 'nope'));
      ghost.push(await loginFrom(srv, b, 'no-such-login', 'nope'));
    }
    assert.deepEqual(ghost.map((r) => r.status), real.map((r) => r.status));
    assert.deepEqual(ghost.map((r) => r.json.error.code), real.map((r) => r.json.error.code));
    assert.deepEqual(ghost.map((r) => r.json.error.message.replace(/\d+ seconds/, 'N seconds')),
      real.map((r) => r.json.error.message.replace(/\d+ seconds/, 'N seconds')));
    assert.deepEqual(real.map((r) => r.status), [401, 401, 401, 401, 401, 429, 429]);
  });

  test('the lockout settings are shown by --print-config and checked', () => {
    const r = cli(['serve', '--print-config', '--login-delay', '7'], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stderr);
    for (const [k, v] of [['login_window', '900'], ['login_free_failures', '5'], ['login_delay', '7'],
      ['login_delay_max', '300'], ['login_account_ceiling', '50'], ['login_address_ceiling', '100']])
      assert.match(r.stdout, new RegExp(`^${k}\\s*=\\s*${v}\\b`, 'm'), r.stdout);
    const bad = cli(['serve', '--print-config', '--login-free-failures', '0'], { cwd: srv.dir });
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stderr, /login_free_failures/);
  });
});

describe('ceilings per login and per address only slow', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      args: ['--trust-proxy', 'true', '--clock', START, '--login-delay', '10',
        '--login-account-ceiling', '10', '--login-address-ceiling', '15'],
    });
  });
  after(() => srv?.close());

  test('past the login ceiling, an address that has not failed logs in after one short wait', async () => {
    const bots = [newIp(), newIp(), newIp(), newIp(), newIp()];
    for (const ip of bots)
      for (let i = 0; i < 2; i++) assertError(await loginFrom(srv, ip, 'chief', 'guess'), 401, 'invalid_credentials');
    // ten failures from five addresses: every address waits now
    const owner = newIp();
    const first = assertWait(await loginFrom(srv, owner, 'chief'));
    assert.ok(first >= 9 && first <= 10, `Retry-After ${first}`);
    // asking again does not restart it
    assert.ok(assertWait(await loginFrom(srv, owner, 'chief')) <= first);
    // a new bot address is told the same and gets one guess after the wait ...
    const bot = newIp();
    assertWait(await loginFrom(srv, bot, 'chief', 'guess'));
    // ... and the addresses that failed wait longer (no free failures under the ceiling)
    const longer = assertWait(await loginFrom(srv, bots[0], 'chief', 'guess'));
    assert.ok(longer > 10, `Retry-After ${longer}`);
    await advance(srv, 10);
    const ok = await loginFrom(srv, owner, 'chief');
    assert.equal(ok.status, 200, ok.text);
    const g = await loginFrom(srv, bot, 'chief', 'guess');
    assertError(g, 401, 'invalid_credentials');
    assert.match(g.json.error.message, /must wait 20 seconds/);
    assertWait(await loginFrom(srv, bot, 'chief', 'guess'));
  });

  test('past the address ceiling, its accounts wait once (rate_limited); the failures of one login only that pair', async () => {
    const nat = newIp();
    for (let i = 0; i < 15; i++) assertError(await loginFrom(srv, nat, `spray-${i}`, 'x'), 401, 'invalid_credentials');
    const colleague = assertWait(await loginFrom(srv, nat, 'dataofficer'), 'rate_limited');
    assert.ok(colleague >= 9 && colleague <= 10, `Retry-After ${colleague}`);
    // other addresses are not affected
    assert.equal((await loginFrom(srv, newIp(), 'clerk')).status, 200);
    // a sprayed login that failed from here waits longer
    assert.ok(assertWait(await loginFrom(srv, nat, 'spray-0', 'x'), 'rate_limited') > 10);
    await advance(srv, 10);
    const r = await loginFrom(srv, nat, 'dataofficer');
    assert.equal(r.status, 200, r.text);
  });
});

/** n logins at once: the responses. */
function parallel(n, fn) {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

/** The five checked attempts of one pair saw 0..4 failures before them. */
function assertFiveChecked(rs) {
  const checked = rs.filter((r) => r.status === 401);
  const waited = rs.filter((r) => r.status === 429);
  assert.equal(checked.length + waited.length, rs.length, rs.map((r) => r.status).join(' '));
  assert.equal(checked.length, 5, `checked before the wait: ${checked.length} (${rs.map((r) => r.status).join(' ')})`);
  for (const r of waited) assertWait(r);
  const msgs = checked.map((r) => r.json.error.message.replace(/^.*\((\d) tries left\).*$/, '$1').replace(/^.*must wait.*$/, 'wait')).sort();
  assert.deepEqual(msgs, ['1', '2', '3', '4', 'wait'], 'each checked attempt saw the ones before it');
}

describe('parallel attempts', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--trust-proxy', 'true', '--login-delay', '600', '--login-account-ceiling', '30', '--threads', '8'] });
  });
  after(() => srv?.close());

  test('30 parallel wrong passwords from one address: exactly 5 are checked, each against the ones before it', async () => {
    const ip = newIp();
    assertFiveChecked(await parallel(30, () => loginFrom(srv, ip, 'reviewer', 'wrong')));
    // the owner elsewhere is not affected
    assert.equal((await loginFrom(srv, newIp(), 'reviewer')).status, 200);
  });

  test('30 parallel wrong passwords from 30 addresses record exactly 30 failures', async () => {
    const before = srv.verifyAudit().records;
    const rs = await parallel(30, () => loginFrom(srv, newIp(), 'clerk', 'wrong'));
    for (const r of rs) assertError(r, 401, 'invalid_credentials');
    const a = srv.verifyAudit();
    assert.ok(a.intact, a.stdout);
    assert.equal(a.records - before, 30, 'one auth.login_failed record each');
    // with 30 counted, the login is at its ceiling: a fresh address waits
    assertWait(await loginFrom(srv, newIp(), 'clerk'));
  });

  test('40 parallel wrong passwords from 40 addresses: exactly the ceiling (30) are checked', async () => {
    const rs = await parallel(40, () => loginFrom(srv, newIp(), 'hotline', 'wrong'));
    const checked = rs.filter((r) => r.status === 401).length;
    assert.equal(checked, 30, rs.map((r) => r.status).join(' '));
    for (const r of rs.filter((x) => x.status !== 401)) assertWait(r);
  });
});

describe('two nodes on one database share the counts', () => {
  let a, b;
  // eight slow-pool threads a node, so many attempts are counted at the same moment
  const args = ['--trust-proxy', 'true', '--login-delay', '600', '--login-account-ceiling', '30', '--threads', '8'];
  before(async () => {
    a = await startServer({ args });
    b = new Server({ db: { url: a.url, drop() {} }, dir: tempDir(), args });
    await b.start();
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('failures on either node count for the pair', async () => {
    const ip = newIp();
    for (let i = 0; i < 5; i++) {
      const r = await loginFrom(i % 2 ? b : a, ip, 'admin', 'wrong');
      assertError(r, 401, 'invalid_credentials');
      if (i < 4) assert.match(r.json.error.message, new RegExp(`${4 - i} tries left`));
      else assert.match(r.json.error.message, /must wait/);
    }
    assertWait(await loginFrom(a, ip, 'admin'));
    assertWait(await loginFrom(b, ip, 'admin'));
    assert.equal((await loginFrom(b, newIp(), 'admin')).status, 200);
  });

  test('30 parallel wrong passwords over both nodes: exactly 5 are checked', async () => {
    const ip = newIp();
    assertFiveChecked(await parallel(30, (i) => loginFrom(i % 2 ? b : a, ip, 'supervisor', 'wrong')));
  });

  test('40 parallel from 40 addresses over both nodes: exactly the ceiling (30) are checked', async () => {
    const rs = await parallel(40, (i) => loginFrom(i % 2 ? b : a, newIp(), 'dataofficer', 'wrong'));
    assert.equal(rs.filter((r) => r.status === 401).length, 30, rs.map((r) => r.status).join(' '));
    for (const r of rs.filter((x) => x.status !== 401)) assertWait(r);
  });
});
