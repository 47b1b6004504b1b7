// shutdown.test.js - SIGTERM lets in-flight requests finish, then the process
// exits 0; what they wrote is there after a restart.
//
// The slow request is a login with the production password-hashing cost (the
// server runs without the cheap test flags, and the account's hash was made
// with more passes still), so it is still being processed when the signal
// arrives.  That it was in flight is not assumed from timing: the server's
// in-flight gauge shows it before the signal is sent, and the server's own
// "finishing N in-flight requests" log line confirms it afterwards.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './harness.js';

const SLOW_USER = 'slow.hash';
const SLOW_PASSWORD = 'Slow#Hash2026';

/* Requests in flight (0 when the question went unanswered), asked on a new
 * connection each time.  A worker thread runs one handler at a time: a
 * connection that the worker busy with the slow login accepted waits for it,
 * so a question that gets no answer soon is dropped and asked again, and a
 * free worker takes the new connection.  (A time limit on a probe, never on
 * what is tested.) */
async function inFlight(srv) {
  try {
    const r = await srv.raw('GET', '/metrics', { timeout: 100 });
    const m = /^ywtb_http_in_flight_requests (\d+)$/m.exec(r.text);
    assert.ok(m, r.text);
    return Number(m[1]) - 1; // the /metrics request itself is in flight too
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return 0;
  }
}

/* The slow login on a new connection (not a pooled keep-alive one, which may
 * belong to a worker that is busy already). */
function freshLogin(srv) {
  return srv.raw('POST', '/api/v1/auth/login', {
    body: JSON.stringify({ login: SLOW_USER, password: SLOW_PASSWORD }),
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('graceful shutdown', () => {
  let srv;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): the test signals the
    // process that holds the slow request, and reads its in-flight gauge
    srv = await startServer({ nodes: 1, pwhash: false, seed: true });
    // an account whose password hash takes many passes to check
    const r = cli(['admin', 'user', 'add', '--db', srv.url, '--username', SLOW_USER, '--password', SLOW_PASSWORD,
      '--name', '慢哈希', '--roles', 'reviewer', '--pwhash-ops', '24'], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => srv?.close());

  test('an idle server exits 0 on SIGTERM and on SIGINT', async () => {
    assert.deepEqual(await srv.stop(), { code: 0, signal: null });
    assert.match(srv.log(), /received SIGTERM: stopping/);
    assert.match(srv.log(), /"stopped"/);
    await srv.start();
    srv.proc.kill('SIGINT');
    assert.deepEqual(await srv.exit, { code: 0, signal: null });
    srv.proc = null;
    assert.match(srv.log(), /received SIGINT: stopping/);
    await srv.start();
  });

  test('SIGTERM during a slow login: the login completes with 200, then exit 0', async () => {
    let done = false;
    for (let attempt = 1; attempt <= 5 && !done; attempt++) {
      if (!srv.running) await srv.start();
      const logBefore = srv.log().length;
      const pending = srv.loginResponse(SLOW_USER, SLOW_PASSWORD);
      let seen = 0;
      let settled = false;
      pending.then(() => (settled = true), () => (settled = true));
      while (!settled && seen < 1) seen = await inFlight(srv);
      if (settled) continue; // finished before we saw it: try again
      srv.proc.kill('SIGTERM');
      const r = await pending;
      const exit = await srv.exit;
      srv.proc = null;
      const log = srv.log().slice(logBefore);
      const m = /received SIGTERM: stopping \(finishing (\d+) in-flight requests\)/.exec(log);
      assert.ok(m, log);
      if (Number(m[1]) < 1) continue; // the login ended just before the signal: try again
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.account.login, SLOW_USER);
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.match(log, /"stopped"/);
      // what the login wrote is kept: its session works after a restart
      await srv.start();
      const me = await srv.api('GET', '/api/v1/me', { token: r.json.token });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.json.account.login, SLOW_USER);
      done = true;
    }
    assert.ok(done, 'the slow login was never caught in flight in 5 attempts');
  });

  test('several slow requests in flight all complete', async (t) => {
    // four workers, so two logins can be in flight while a third worker answers /metrics
    if (srv.running) await srv.stop();
    srv.opts.args = ['--threads', '4'];
    let done = false;
    for (let attempt = 1; attempt <= 5 && !done; attempt++) {
      if (!srv.running) await srv.start();
      const logBefore = srv.log().length;
      // the second login starts once the first is seen in flight: its worker is
      // busy then, so another worker takes the second
      let settled = 0;
      const track = (p) => {
        p.then(() => settled++, () => settled++);
        return p;
      };
      const pending = [track(freshLogin(srv))];
      let seen = 0;
      while (settled === 0 && seen < 1) seen = await inFlight(srv);
      if (settled === 0) pending.push(track(freshLogin(srv)));
      while (settled === 0 && seen < 2) seen = await inFlight(srv);
      t.diagnostic(`attempt ${attempt}: seen ${seen}, settled ${settled}, pending ${pending.length}`);
      if (settled > 0) {
        // one finished before both were seen: let them end, try again
        await Promise.allSettled(pending);
        continue;
      }
      srv.proc.kill('SIGTERM');
      const rs = await Promise.all(pending);
      const exit = await srv.exit;
      srv.proc = null;
      const m = /received SIGTERM: stopping \(finishing (\d+) in-flight requests\)/.exec(srv.log().slice(logBefore));
      assert.ok(m);
      for (const r of rs) assert.equal(r.status, 200, r.text);
      assert.deepEqual(exit, { code: 0, signal: null });
      if (Number(m[1]) < 2) continue;
      done = true;
    }
    assert.ok(done, 'two slow logins were never caught in flight together in 5 attempts');
    if (!srv.running) await srv.start();
    const a = srv.verifyAudit();
    assert.equal(a.code, 0, a.stdout + a.stderr);
  });
});
