// replica.test.js - reads that may be a little stale on a real PostgreSQL
// streaming replica (db_read, issue 17): scripts/test.sh starts the replica of
// its throw-away cluster (scripts/pgtest.sh replica-start) and exports its URL
// as YWTB_TEST_PG_REPLICA and the cluster's state file as YWTB_TEST_PG_STATE.
//
// The replica is made observably different from the primary by pausing its
// replay (pg_wal_replay_pause): a stale-tolerant read (an item's versions)
// that shows the old state was served by the replica.  The same read by the
// person who just wrote shows the new state (read-your-writes), writes land on
// the primary, a replica lagging past db_read_max_lag is left for the primary,
// and a replica killed under the server changes nothing a client sees.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Server, ENGINE, REPO, cli, tempDir } from '../api/harness.js';

const REPLICA = process.env.YWTB_TEST_PG_REPLICA || '';
const STATE = process.env.YWTB_TEST_PG_STATE || '';
const skip =
  ENGINE !== 'postgres' || !REPLICA || !STATE
    ? 'needs PostgreSQL with a streaming replica (scripts/test.sh starts one: YWTB_TEST_PG_REPLICA)'
    : false;

const ITEM = 'DSJ-20-0001';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  }).trim();
}

/* The replica's URL for the same database as the primary's url. */
function onReplica(url) {
  const u = new URL(REPLICA);
  u.pathname = new URL(url).pathname;
  return u.toString();
}

/* Wait until cond() is true (polling; the deadline only bounds a hang). */
async function until(what, cond, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

async function replicaState(srv) {
  const r = await srv.api('GET', '/healthz');
  assert.equal(r.status, 200, r.text);
  return r.json.read_replica;
}

async function reads(srv) {
  const { values } = await srv.metrics();
  const v = (served, reason) =>
    values.get(`ywtb_db_replica_reads_total{served="${served}",reason="${reason}"}`) ?? NaN;
  return {
    replica: v('replica', ''),
    own: v('primary', 'own_write'),
    lag: v('primary', 'lag'),
    down: v('primary', 'down'),
    error: v('primary', 'error'),
    inUse: values.get('ywtb_db_replica_in_use'),
    lagSeconds: values.get('ywtb_db_replica_lag_seconds'),
  };
}

describe('db_read: settings', () => {
  test('a read replica needs PostgreSQL as the database and a postgres:// URL', () => {
    const dir = tempDir();
    const sqlite = cli(['serve', '--db', `sqlite:${dir}/t.db`, '--db-read', 'postgres://x@127.0.0.1:1/y', '--listen', '127.0.0.1:0'], { cwd: dir });
    assert.equal(sqlite.code, 1, sqlite.stderr);
    assert.match(sqlite.stderr, /db_read needs PostgreSQL as the database/);
    const lag = cli(['serve', '--db', `sqlite:${dir}/t.db`, '--db-read-max-lag', '0'], { cwd: dir });
    assert.notEqual(lag.code, 0);
    assert.match(lag.stderr, /db_read_max_lag/);
    const shown = cli(['serve', '--print-config', '--db-read', 'postgres://ywtb:secret@db2/ywtb'], { cwd: dir });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /db_read\b.*postgres:\/\/ywtb:.*db2\/ywtb/);
    assert.match(shown.stdout, /db_read_max_lag\b.*10/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('db_read: stale-tolerant reads on a streaming replica', { skip }, () => {
  let srv, lagging, admin, clerk;
  const versions = async (token) => {
    const r = await srv.api('GET', `/api/v1/items/${ITEM}/versions`, token ? { token } : {});
    assert.equal(r.status, 200, r.text);
    return r.json.versions.length;
  };
  const edit = async (token, s) => {
    const cur = await srv.api('GET', `/api/v1/items/${ITEM}`);
    assert.equal(cur.status, 200, cur.text);
    const r = await srv.api('PUT', `/api/v1/items/${ITEM}`, {
      token,
      body: { ...cur.json, hours: `周一至周五 9:00-17:00（${s}）` },
      headers: { 'If-Match': cur.headers.get('etag') },
    });
    assert.equal(r.status, 200, r.text);
    return r.json.version;
  };
  const primaryVersions = () =>
    Number(psql(srv.url, `SELECT count(*) FROM items WHERE code = '${ITEM}'`));

  before(async () => {
    srv = new Server();
    srv.opts.args = ['--db-read', onReplica(srv.url), '--db-read-max-lag', '3600'];
    srv.seed();
    await srv.start();
    await until('the replica is in use', async () => (await replicaState(srv))?.in_use);
    admin = await srv.login('admin');
    clerk = await srv.login('clerk');
  });
  after(async () => {
    try {
      psql(onReplica(srv.url), 'SELECT pg_wal_replay_resume()');
    } catch {
      /* killed by the last test */
    }
    await lagging?.close();
    await srv?.close();
  });

  test('/healthz and /metrics show the replica and its lag', async () => {
    const h = await replicaState(srv);
    assert.equal(h.up, true);
    assert.equal(h.in_use, true);
    assert.ok(h.lag_seconds >= 0 && h.lag_seconds <= h.max_lag_seconds, JSON.stringify(h));
    assert.equal(h.max_lag_seconds, 3600);
    assert.ok(!h.url.includes('@127.0.0.1') || h.url.startsWith('postgresql://'), h.url);
    const m = await reads(srv);
    assert.equal(m.inUse, 1);
    assert.ok(m.lagSeconds >= 0);
    const routes = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    const row = routes.json.routes.find((x) => x.path === '/api/v1/items/{code}/versions');
    assert.ok(row.flags.includes('stale'), JSON.stringify(row));
  });

  test('with replay paused, stale-tolerant reads show the replica; the writer reads its own write', async () => {
    const before0 = await versions();
    assert.equal(before0, primaryVersions());
    psql(onReplica(srv.url), 'SELECT pg_wal_replay_pause()');
    await until('replay is paused', () => psql(onReplica(srv.url), 'SELECT pg_get_wal_replay_pause_state()') === 'paused');
    const m0 = await reads(srv);

    const v = await edit(admin, '副本测试');
    assert.equal(primaryVersions(), before0 + 1, 'the write is on the primary');
    assert.equal(
      Number(psql(onReplica(srv.url), `SELECT count(*) FROM items WHERE code = '${ITEM}'`)),
      before0,
      'the paused replica has not replayed it',
    );

    // anyone else: the replica's (old) answer
    assert.equal(await versions(), before0);
    assert.equal(await versions(clerk), before0);
    // the writer: their own write (the primary)
    assert.equal(await versions(admin), before0 + 1);
    const m1 = await reads(srv);
    assert.equal(m1.replica - m0.replica, 2, 'the two other reads were served by the replica');
    assert.equal(m1.own - m0.own, 1, "the writer's read went to the primary");

    // the item itself (not stale-tolerant) is the new version for everyone
    const cur = await srv.api('GET', `/api/v1/items/${ITEM}`);
    assert.equal(cur.json.version, v);

    psql(onReplica(srv.url), 'SELECT pg_wal_replay_resume()');
    await until('the replica caught up', async () => (await versions()) === before0 + 1);
    // once the monitor has seen the replica replay past the write, the
    // writer's reads go to the replica again (and still show their write)
    await until("the writer's reads are served by the replica", async () => {
      const m2 = await reads(srv);
      assert.equal(await versions(admin), before0 + 1);
      const m3 = await reads(srv);
      return m3.replica - m2.replica === 1;
    });
  });

  test('every stale-tolerant route answers from the replica (none writes)', async () => {
    const supervisor = await srv.login('supervisor');
    const routes = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    const stale = routes.json.routes.filter((x) => x.flags.includes('stale')).map((x) => x.path).sort();
    assert.deepEqual(stale, [
      '/api/v1/items/{code}/versions',
      '/api/v1/public/open-data',
      '/api/v1/public/open-data/{code}/data.csv',
      '/api/v1/public/ratings/summary',
      '/api/v1/public/statistics',
      '/api/v1/supervision/board',
      '/api/v1/supervision/stats',
    ]);
    const open = await srv.api('GET', '/api/v1/public/open-data');
    assert.equal(open.status, 200, open.text);
    const code = (open.json.items ?? open.json.resources ?? open.json)[0]?.code;
    const gets = [
      ['/api/v1/public/statistics'],
      ['/api/v1/public/ratings/summary'],
      ['/api/v1/supervision/stats', supervisor],
      ['/api/v1/supervision/board', supervisor],
      ...(code ? [[`/api/v1/public/open-data/${code}/data.csv`]] : []),
    ];
    await until('the replica is in use', async () => (await replicaState(srv)).in_use);
    for (const [p, token] of gets) {
      const m0 = await reads(srv);
      const r = await srv.api('GET', p, token ? { token } : {});
      assert.equal(r.status, 200, `${p}: ${r.text}`);
      const m1 = await reads(srv);
      assert.equal(m1.error, m0.error, `${p} failed on the replica`);
      assert.equal(m1.replica - m0.replica, 1, `${p} was served by the replica`);
    }
    assert.ok(code, JSON.stringify(open.json).slice(0, 200));
  });

  test('a replica lagging past db_read_max_lag is left for the primary, and the log says so', async () => {
    lagging = new Server({ db: { url: srv.url, drop() {} } });
    lagging.opts.args = ['--db-read', onReplica(srv.url), '--db-read-max-lag', '1'];
    await lagging.start();
    await until('the replica is in use', async () => (await replicaState(lagging))?.in_use);
    const before0 = await versions();
    psql(onReplica(srv.url), 'SELECT pg_wal_replay_pause()');
    await until('replay is paused', () => psql(onReplica(srv.url), 'SELECT pg_get_wal_replay_pause_state()') === 'paused');
    await edit(admin, '延迟测试');
    await until('the replica counts as lagging', async () => (await replicaState(lagging)).in_use === false);
    const h = await replicaState(lagging);
    assert.equal(h.up, true);
    assert.ok(h.lag_seconds > 1, JSON.stringify(h));
    const m0 = await reads(lagging);
    const r = await lagging.api('GET', `/api/v1/items/${ITEM}/versions`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.versions.length, before0 + 1, 'the primary answered: the new version');
    const m1 = await reads(lagging);
    assert.equal(m1.lag - m0.lag, 1);
    assert.equal(m1.replica, m0.replica);
    assert.equal(m1.inUse, 0);
    assert.match(lagging.log(), /read replica .* lags \d+ ms/);
    psql(onReplica(srv.url), 'SELECT pg_wal_replay_resume()');
    await until('the replica is in use again', async () => (await replicaState(lagging)).in_use);
    assert.match(lagging.log(), /read replica .* in use/);
    await lagging.stop();
  });

  test('the replica killed: every read is answered by the primary, none fails', async () => {
    const want = primaryVersions();
    await until('the replica caught up', async () => (await versions()) === want);
    const m0 = await reads(srv);
    execFileSync('bash', [path.join(REPO, 'scripts/pgtest.sh'), 'replica-stop'], {
      env: { ...process.env, YWTB_PGTEST_STATE: STATE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // at once, before the monitor's next look: a read on the dead replica is retried on the primary
    for (let i = 0; i < 20; i++) {
      assert.equal(await versions(), want);
      assert.equal(await versions(clerk), want);
    }
    const w = await edit(admin, '副本停止');
    assert.equal(await versions(), want + 1);
    const m1 = await reads(srv);
    assert.equal(m1.replica, m0.replica, 'nothing was served by the dead replica');
    assert.ok(m1.error + m1.down - (m0.error + m0.down) >= 41, JSON.stringify({ m0, m1 }));
    await until('/healthz says the replica is down', async () => (await replicaState(srv)).up === false);
    assert.equal((await reads(srv)).inUse, 0);
    assert.match(srv.log(), /read replica .* does not answer|a read on the replica .* failed/);
    const cur = await srv.api('GET', `/api/v1/items/${ITEM}`);
    assert.equal(cur.json.version, w);
    const ready = await srv.api('GET', '/readyz');
    assert.equal(ready.status, 200, 'the node stays ready on its primary');
  });
});
