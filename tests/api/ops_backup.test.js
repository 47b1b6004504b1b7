// ops_backup.test.js - `ywtb backup` of a SQLite database that is being written
// (issue 21 item 1): the copy finishes while writes go on, is one consistent
// snapshot (its audit chain verifies), is readable only by its owner, shows its
// progress on a terminal, checks its --timeout, and is recorded (an audit
// record, the ywtb_backup_last_timestamp_seconds metric).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, cli, cleanEnv, tempDir, Server, ENGINE } from './harness.js';

/** Run ywtb in the background: resolves { code, signal, stdout, stderr }; killed after limitMs. */
function runAsync(args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { cwd: opts.cwd, env: cleanEnv(opts.env || {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.limitMs ?? 120000);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe(`backup under a write load (${ENGINE})`, { skip: ENGINE !== 'sqlite' && 'SQLite only (PostgreSQL uses pg_dump)' }, () => {
  let srv;
  let dir;
  before(async () => {
    dir = tempDir('ywtb-backup-');
    // the demo data and a small district (20,000 cases, about 20 MB): a copy of many steps
    srv = new Server();
    srv.seed();
    const s = cli(['seed', '--scale', 'small', '--db', srv.url], { cwd: srv.dir });
    assert.equal(s.code, 0, s.stderr);
    await srv.start();
  });
  after(async () => {
    await srv?.close();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('finishes while logins keep writing, and the copy is one intact snapshot', async () => {
    const before = srv.verifyAudit();
    assert.ok(before.intact, before.stdout + before.stderr);
    const dbPath = srv.url.slice('sqlite:'.length);
    assert.ok(fs.statSync(dbPath).size > 16 * 1024 * 1024, 'the database spans several backup steps');

    // four writers: every login writes a session and an audit record
    let stop = false;
    let writes = 0;
    let during = 0;
    let backupRunning = false;
    const writer = async () => {
      while (!stop) {
        const r = await srv.loginResponse('admin');
        assert.equal(r.status, 200, r.text);
        writes++;
        if (backupRunning) during++;
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (writes < 20) await new Promise((r) => setTimeout(r, 10));

    const file = path.join(dir, 'under-load.db');
    backupRunning = true;
    // a backup that restarts on every write never ends while the writers run;
    // the bound only keeps a broken build from hanging the suite
    const b = await runAsync(['backup', '--db', srv.url, file], { cwd: srv.dir, limitMs: 90000 });
    backupRunning = false;
    stop = true;
    await Promise.all(writers);

    assert.equal(b.signal, null, `backup did not finish under load (killed); ${during} writes went on meanwhile`);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), `backup written to ${file}`);
    assert.ok(during > 0, 'writes went on during the backup');
    assert.equal(fs.existsSync(`${file}.tmp`), false);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the backup is readable by its owner only');
    assert.equal(b.stderr.includes('\r'), false, 'no progress line when stderr is not a terminal');

    // the copy is self-contained, verifies, and holds a snapshot between before and after
    const after = srv.verifyAudit();
    const v = cli(['verify', '--audit', '--db', `sqlite:${file}`], { cwd: dir });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const n = Number(/audit chain intact: (\d+) records/.exec(v.stdout)[1]);
    assert.ok(n >= before.records && n <= after.records, `${before.records} <= ${n} <= ${after.records}`);
    assert.equal(fs.existsSync(`${file}-wal`), false);
  });

  test('each backup is recorded: an audit record and the backup-age metric', async () => {
    const { values } = await srv.metrics();
    const last = values.get('ywtb_backup_last_timestamp_seconds');
    assert.ok(last > 0 && last <= Date.now() / 1000, String(last));
    const rows = execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), "SELECT summary FROM audit_log WHERE action = 'db.backup'"], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(rows.length, 1, rows.join('\n'));
    assert.equal(JSON.parse(rows[0]).path, path.join(dir, 'under-load.db'));
    assert.ok(srv.verifyAudit().intact);
  });

  test('shows its progress on a terminal', { skip: !fs.existsSync('/usr/bin/script') && 'no script(1)' }, () => {
    const file = path.join(dir, 'tty.db');
    // script(1) gives ywtb a pseudo-terminal as stdout and stderr
    const cmd = [BIN, 'backup', '--db', srv.url, file].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: srv.dir, env: cleanEnv(), encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\rbackup: 100% \((\d+) of \1 pages\)/);
    assert.ok(fs.existsSync(file));
  });

  // the timeout itself is tested in tests/unit/test_db.c (test_backup_timeout)
  test('--timeout must be a number of seconds', () => {
    const r = cli(['backup', '--db', srv.url, '--timeout', 'soon', path.join(dir, 'x.db')], { cwd: srv.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout 'soon'/);
  });
});
