// ops_cli.test.js - what an operator running ywtb by hand meets (issue 21,
// the smaller items): the installed web/ and data/ win over ones that happen
// to be in the working directory, `seed --catalog` with nothing to load fails,
// a misspelt YWTB_ variable is named, trust_proxy on every interface is
// warned about, and a build says which commit it is.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, REPO, cli, createDatabase, freePort, Server, startServer, tempDir, ENGINE } from './harness.js';

/** Run ywtb with exactly this environment (no YWTB_DATA_DIR from the harness). */
function bare(args, { cwd, env = {}, bin = BIN } = {}) {
  const base = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YWTB_')) base[k] = v;
  const r = spawnSync(bin, args, { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configValue(out, key) {
  const m = new RegExp(`^${key}\\s+= "?(.*?)"?\\s+# (\\w+)$`, 'm').exec(out);
  return m ? { value: m[1], origin: m[2] } : null;
}

describe('running ywtb by hand', () => {
  let dir;
  before(() => {
    dir = tempDir('ywtb-opscli-');
  });
  after(() => {
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a web/ or data/ in the working directory does not win over the installed one', () => {
    // an installation: PREFIX/bin/ywtb with PREFIX/share/ywtb/{web,data}
    const prefix = path.join(dir, 'usr');
    fs.mkdirSync(path.join(prefix, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(prefix, 'share', 'ywtb'), { recursive: true });
    fs.copyFileSync(BIN, path.join(prefix, 'bin', 'ywtb'));
    fs.chmodSync(path.join(prefix, 'bin', 'ywtb'), 0o755);
    fs.symlinkSync(path.join(REPO, 'web'), path.join(prefix, 'share', 'ywtb', 'web'));
    fs.symlinkSync(path.join(REPO, 'data'), path.join(prefix, 'share', 'ywtb', 'data'));
    const cwd = path.join(dir, 'stray');
    fs.mkdirSync(path.join(cwd, 'web'), { recursive: true });
    fs.mkdirSync(path.join(cwd, 'data'), { recursive: true });
    const r = bare(['serve', '--print-config'], { cwd, bin: path.join(prefix, 'bin', 'ywtb') });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(configValue(r.stdout, 'web_root'), { value: fs.realpathSync(path.join(REPO, 'web')), origin: 'default' });
    assert.deepEqual(configValue(r.stdout, 'data_dir'), { value: fs.realpathSync(path.join(REPO, 'data')), origin: 'default' });
    // a configured directory is used as given
    const f = bare(['serve', '--print-config', '--web-root', 'web'], { cwd, bin: path.join(prefix, 'bin', 'ywtb') });
    assert.deepEqual(configValue(f.stdout, 'web_root'), { value: 'web', origin: 'flag' });
  });

  test('seed --catalog with no catalog to load fails', () => {
    const empty = path.join(dir, 'empty-data');
    fs.mkdirSync(empty, { recursive: true });
    const r = cli(['seed', '--catalog', '--db', `sqlite:${path.join(dir, 'c.db')}`, '--data-dir', empty], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /no catalog at .*empty-data\/catalog/);
  });

  test('a YWTB_ variable that is no setting is named; settings and YWTB_CONFIG are not', () => {
    const r = bare(['serve', '--print-config'], { cwd: dir, env: { YWTB_LISEN: '127.0.0.1:9', YWTB_THREADS: '2' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the environment variable YWTB_LISEN is not a setting and is ignored/);
    assert.doesNotMatch(r.stderr, /YWTB_THREADS/);
    assert.deepEqual(configValue(r.stdout, 'threads'), { value: '2', origin: 'env' });
  });

  test('the version names the commit a build comes from', { skip: !fs.existsSync(path.join(REPO, '.git')) && 'not a git checkout' }, () => {
    const r = cli(['--version']);
    assert.match(r.stdout, /^ywtb \d+\.\d+\.\d+\+\d+\.g[0-9a-f]{7,}(\.dirty)?\n$/);
  });
});

describe(`trust_proxy and the listening address (${ENGINE})`, () => {
  test('listening on every interface with trust_proxy is warned about; on loopback it is not', async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): the test chooses the node's
    // own listening address
    const srv = new Server({ nodes: 1 });
    srv.seed();
    srv.port = await freePort();
    srv.opts.args = ['--trust-proxy', 'true', '--listen', `:${srv.port}`];
    try {
      await srv.start();
      assert.match(srv.log(), /listen :\d+ takes connections on every interface while trust_proxy is on/);
      srv.clearLog();
      await srv.restart({ args: ['--trust-proxy', 'true'] });
      assert.doesNotMatch(srv.log(), /every interface/);
    } finally {
      await srv.close();
    }
  });
});

describe(`migrations keep their checksums (${ENGINE})`, () => {
  let db;
  let dir;
  before(() => {
    dir = tempDir('ywtb-migsum-');
    db = createDatabase(dir);
  });
  after(() => {
    db?.drop();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  function sql(q) {
    if (ENGINE === 'sqlite') return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.url.slice('sqlite:'.length), q], { encoding: 'utf8' }).trim();
    return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', q], { encoding: 'utf8' }).trim();
  }
  const engineDir = ENGINE === 'sqlite' ? 'sqlite' : 'pg';
  const fileSum = (name) => createHash('sha256').update(fs.readFileSync(path.join(REPO, 'migrations', engineDir, name))).digest('hex');

  test('each applied migration records the SHA-256 of its file', () => {
    const r = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const rows = sql('SELECT name, checksum FROM schema_migrations ORDER BY version').split('\n').map((l) => l.split('|'));
    assert.ok(rows.length >= 12);
    for (const [name, sum] of rows) assert.equal(sum, fileSum(name), name);
  });

  test('a row from before the checksums takes the file\'s checksum at the next migrate', () => {
    sql('UPDATE schema_migrations SET checksum = NULL WHERE version = 2');
    const r = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sql('SELECT checksum FROM schema_migrations WHERE version = 2'), fileSum(sql('SELECT name FROM schema_migrations WHERE version = 2')));
  });

  test('an applied migration whose file changed is refused, and serve does not start', () => {
    sql(`UPDATE schema_migrations SET checksum = '${'0'.repeat(64)}' WHERE version = 3`);
    const r = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /migration migrations\/\w+\/0003_\w+\.sql was applied with SHA-256 000000000000\.\.\., but this binary's file is [0-9a-f]{12}\.\.\.: applied migrations must not change/);
    const s = cli(['serve', '--db', db.url, '--listen', '127.0.0.1:0'], { cwd: dir, timeout: 30000 });
    assert.equal(s.code, 1, s.stdout + s.stderr);
    assert.match(s.stderr, /applied migrations must not change/);
  });
});

describe(`the working-day calendar's coverage (${ENGINE})`, () => {
  test('from October a missing next year is warned about at start and shown in /metrics', async () => {
    const srv = new Server({ clock: '2026-10-15T10:00:00+08:00' });
    try {
      srv.seed();
      await srv.start();
      assert.match(srv.log(), /the working-day calendar has no file for 2027 \(.*\/calendar\/2027\.json\)/);
      let { values } = await srv.metrics();
      assert.equal(values.get('ywtb_calendar_last_year'), 2026);
      assert.equal(values.get('ywtb_calendar_missing'), 1);
      // in September next year's file is not due yet
      srv.clearLog();
      srv.opts.clock = '2026-09-24T10:00:00+08:00';
      await srv.restart();
      assert.doesNotMatch(srv.log(), /working-day calendar has no file/);
      ({ values } = await srv.metrics());
      assert.equal(values.get('ywtb_calendar_missing'), 0);
    } finally {
      await srv.close();
    }
  });
});

describe(`metrics an operator needs (${ENGINE})`, () => {
  let srv;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): /metrics are one node's
    // (its session cache, its connections), and the test counts what its own
    // requests put there
    srv = await startServer({ nodes: 1 });
  });
  after(() => srv?.close());

  test('database connections, the batcher queue and wait, LISTEN, the audit head', async () => {
    const token = await srv.login('admin');
    const r = await srv.api('POST', '/api/v1/keys/rotate', { token, body: { dept: 'XH-SCJ' } }); // a write with its audit record
    assert.equal(r.status, 200, r.text);
    let m = (await srv.metrics()).values;
    for (const k of ['ywtb_db_connections', 'ywtb_db_group_queue_depth', 'ywtb_db_group_wait_seconds_total', 'ywtb_db_listeners', 'ywtb_db_listeners_up', 'ywtb_audit_head_seq'])
      assert.ok(m.has(k), k);
    assert.ok(m.get('ywtb_db_connections') >= 1);
    assert.equal(m.get('ywtb_db_group_queue_depth'), 0, 'nothing waits on an idle server');
    assert.ok(m.get('ywtb_db_group_wait_seconds_total') >= 0);
    const v = srv.verifyAudit();
    assert.ok(v.intact);
    assert.equal(m.get('ywtb_audit_head_seq'), v.records);
    if (ENGINE === 'postgres') {
      // one LISTEN connection per module that listens (the session cache, the hall screen, ...)
      const n = m.get('ywtb_db_listeners');
      assert.ok(n >= 1, `listeners: ${n}`);
      for (let i = 0; i < 100 && m.get('ywtb_db_listeners_up') !== n; i++) {
        await new Promise((res) => setTimeout(res, 50));
        m = (await srv.metrics()).values;
      }
      assert.equal(m.get('ywtb_db_listeners_up'), n);
    } else {
      assert.equal(m.get('ywtb_db_listeners'), 0, 'SQLite: one node, no LISTEN');
    }
  });

  test('the session cache\'s size and the last audit verification', async () => {
    const slots = (await srv.metrics()).values.get('ywtb_session_cache_slots');
    assert.ok(slots > 0, `slots: ${slots}`);
    const tokens = [];
    for (const who of ['clerk', 'reviewer', 'supervisor']) tokens.push(await srv.login(who));
    for (const token of tokens) assert.equal((await srv.api('GET', '/api/v1/me', { token })).status, 200);
    let m = (await srv.metrics()).values;
    const held = m.get('ywtb_session_cache_entries');
    assert.ok(held >= 3 && held <= slots, `entries: ${held}`);
    assert.equal((await srv.api('POST', '/api/v1/auth/logout', { token: tokens[0] })).status, 200);
    m = (await srv.metrics()).values;
    assert.equal(m.get('ywtb_session_cache_entries'), held - 1, 'a logout drops its entry');

    const v = srv.verifyAudit();
    assert.ok(v.intact);
    m = (await srv.metrics()).values;
    const at = m.get('ywtb_audit_last_verify_timestamp_seconds');
    assert.ok(at > Date.now() / 1000 - 600 && at <= Date.now() / 1000 + 1, String(at));
    assert.equal(m.get('ywtb_audit_last_verify_records'), v.records);
    assert.equal(m.get('ywtb_audit_last_verify_intact'), 1);
  });
});

describe(`the last audit verification before any (${ENGINE})`, () => {
  test('is 0 and intact until `ywtb verify --audit` runs', async () => {
    const srv = await startServer();
    try {
      const m = (await srv.metrics()).values;
      assert.equal(m.get('ywtb_audit_last_verify_timestamp_seconds'), 0);
      assert.equal(m.get('ywtb_audit_last_verify_intact'), 1);
    } finally {
      await srv.close();
    }
  });
});
