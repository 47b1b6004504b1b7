// durability.test.js - what the server acknowledged survives kill -9.
//
// Many concurrent staff creations and logins run against the server; once a
// good number have been acknowledged the process is killed with SIGKILL while
// requests are still in flight.  After a restart on the same database every
// acknowledged account exists exactly once, every acknowledged session still
// works, nothing appeared that was never asked for, and the audit chain is
// intact.  Two rounds, so the second crash hits a database that already
// recovered from one.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, ENGINE, PG_ADMIN } from './harness.js';

const CLIENTS = 12;

/**
 * Run clients until the server dies.  Each client alternates creating a staff
 * account and logging in.  kill() is called once `ackedCreates` reaches
 * killAfter.  Returns what was acknowledged and what was attempted.
 */
async function load(srv, admin, round, killAfter) {
  const acked = new Set();
  const attempted = new Set();
  const sessions = [];
  let killed = null;
  let seq = 0;
  const errors = [];
  async function client(id) {
    for (let i = 0; ; i++) {
      if (killed) return;
      try {
        if (i % 3 === 2) {
          const r = await srv.loginResponse(i % 2 ? 'clerk' : 'supervisor');
          if (r.status === 200) sessions.push(r.json.token);
          else errors.push(`${r.status} ${r.text}`);
        } else {
          const username = `r${round}.c${id}.n${seq++}`;
          attempted.add(username);
          const r = await srv.api('POST', '/api/v1/admin/users', {
            token: admin,
            body: { username, password: 'Durable#2026', name: `持久 ${username}`, dept: 'XH-DSJ', roles: ['reviewer'] },
          });
          if (r.status === 201) {
            acked.add(username);
            if (acked.size >= killAfter && !killed) killed = srv.kill9();
          } else {
            errors.push(`${r.status} ${r.text}`);
          }
        }
      } catch {
        // connection refused or reset: the server is gone
        if (killed) return;
        // an error before the kill is a real failure
        errors.push(`request failed before the kill (client ${id})`);
        return;
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  const exit = await killed;
  return { acked, attempted, sessions, exit, errors };
}

describe(`durability across kill -9 (${ENGINE})`, () => {
  let srv, admin;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): a request in flight at the
    // kill must fail as a cut connection, which nginx in front answers with its
    // 502 (crash.test.js runs its kills through the nodes)
    srv = await startServer({ nodes: 1 });
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  for (const round of [1, 2]) {
    test(`round ${round}: every acknowledged write survives kill -9`, async (t) => {
      const r = await load(srv, admin, round, 60);
      t.diagnostic(`${r.acked.size} creations and ${r.sessions.length} logins acknowledged, ` +
        `${r.attempted.size - r.acked.size} creations in flight at the kill`);
      assert.deepEqual(r.errors, [], 'no 5xx and no failures before the kill');
      assert.equal(r.exit.signal, 'SIGKILL');
      assert.ok(r.acked.size >= 60, `${r.acked.size} creations acknowledged`);
      assert.ok(r.sessions.length > 0, 'some logins acknowledged');

      // the database as the crash left it: the chain is intact before any restart
      const pre = srv.verifyAudit();
      assert.equal(pre.code, 0, pre.stdout + pre.stderr);
      assert.ok(pre.intact, pre.stdout);

      await srv.restart();
      const list = await srv.api('GET', '/api/v1/admin/users', { token: admin });
      assert.equal(list.status, 200, 'the admin session survived the crash: ' + list.text);
      const names = list.json.items.map((u) => u.username);
      const mine = names.filter((n) => n.startsWith(`r${round}.`));
      for (const u of r.acked) assert.ok(names.includes(u), `acknowledged account ${u} is missing after the crash`);
      for (const u of mine) assert.ok(r.attempted.has(u), `account ${u} was never requested`);
      assert.equal(new Set(mine).size, mine.length, 'no account twice');
      const row = list.json.items.find((u) => u.username === [...r.acked][0]);
      assert.deepEqual(row.roles, ['reviewer']);
      assert.equal(row.dept, 'XH-DSJ');

      // every acknowledged login is a session that still works
      for (const t of r.sessions) {
        const me = await srv.api('GET', '/api/v1/me', { token: t });
        assert.equal(me.status, 200, `acknowledged session lost: ${me.text}`);
      }
      // and an acknowledged account can log in
      const l = await srv.loginResponse([...r.acked].at(-1), 'Durable#2026');
      assert.equal(l.status, 200, l.text);

      const post = srv.verifyAudit();
      assert.equal(post.code, 0, post.stdout + post.stderr);
      assert.ok(post.intact);
      // at least one audit record per acknowledged creation and login
      assert.ok(post.records >= pre.records, `${post.records} >= ${pre.records}`);
      assert.ok(pre.records >= r.acked.size + r.sessions.length, `${pre.records} audit records for ${r.acked.size} + ${r.sessions.length} writes`);
    });
  }

  test('a clean stop after the crashes exits 0 and the chain stays intact', async () => {
    const e = await srv.stop();
    assert.deepEqual(e, { code: 0, signal: null });
    const a = srv.verifyAudit();
    assert.equal(a.code, 0, a.stdout + a.stderr);
    await srv.start();
    assert.equal((await srv.api('GET', '/readyz')).status, 200);
  });
});

describe('PostgreSQL connections cut under the server', { skip: ENGINE !== 'postgres' && 'PostgreSQL only' }, () => {
  let srv, admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  /* End every PostgreSQL session of this server's database (what a PostgreSQL
   * restart or a fail-over does to it): the number of sessions ended. */
  function cutConnections() {
    const out = execFileSync('psql', ['-X', '-q', '-At', '-d', PG_ADMIN, '-c',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${srv.db.name}' AND pid <> pg_backend_pid()`]);
    return Number(out.toString().trim());
  }

  test('every worker reconnects: no 500, and soon every answer is right again', async () => {
    let n = 0;
    const rounds = [];
    for (let cut = 0; cut < 3; cut++) {
      assert.ok(cutConnections() >= 1, 'the server had PostgreSQL sessions to cut');
      for (let i = 0; i < 8; i++) {
        const rs = [
          await srv.api('GET', '/api/v1/me', { token: admin }),
          await srv.api('GET', '/readyz'),
          await srv.api('GET', '/api/v1/admin/users', { token: admin }),
          await srv.api('POST', '/api/v1/admin/users', {
            token: admin, body: { username: `after.cut${cut}.${n++}`, password: 'Passw0rd!', name: '重连', roles: ['reviewer'] },
          }),
          await srv.loginResponse('clerk'),
        ];
        rounds.push(rs);
        for (const r of rs) {
          // a request that found its connection cut may be told to retry (503); never a 500
          assert.ok(r.status < 500 || r.status === 503, `${r.status} ${r.text}`);
        }
      }
      // by the last round every worker has reconnected
      const last = rounds.at(-1);
      assert.deepEqual(last.map((r) => r.status), [200, 200, 200, 201, 200], last.map((r) => r.text).join('\n'));
    }
    assert.match(srv.log(), /reconnected to PostgreSQL/);
    const a = srv.verifyAudit();
    assert.equal(a.code, 0, a.stdout + a.stderr);
  });
});
