// cli.test.js - the `ywtb` command line: version, help, settings precedence,
// migrate, seed, admin user add, backup and verify, and exit statuses.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cli, createDatabase, tempDir, Server, startServer, CHEAP_PWHASH, ENGINE, PG_ADMIN, REPO } from './harness.js';

/** Parse --print-config output into { key: { value, origin } }. */
function parseConfig(out) {
  const m = {};
  for (const line of out.split('\n')) {
    const r = /^(\w+)\s+=\s+(.*?)\s+# (\w+)$/.exec(line);
    if (r) m[r[1]] = { value: r[2].replace(/^"(.*)"$/, '$1'), origin: r[3] };
  }
  return m;
}

let dir;
before(() => {
  dir = tempDir('ywtb-cli-');
});
after(() => {
  if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
});

describe('version and help', () => {
  test('--version prints the version', () => {
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ywtb \d+\.\d+\.\d+\S*\n$/);
    assert.equal(cli(['version']).stdout, r.stdout);
  });

  test('serve --help lists the settings with their defaults', () => {
    const r = cli(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^usage: ywtb serve /);
    for (const flag of ['--listen', '--db', '--web-root', '--clock', '--access-log', '--pwhash-ops', '--pwhash-mem', '--body-limit', '--test-api'])
      assert.match(r.stdout, new RegExp(`^  ${flag} `, 'm'), flag);
    assert.match(r.stdout, /default: 127\.0\.0\.1:8080/);
  });

  test('every command has help', () => {
    for (const c of ['migrate', 'seed', 'admin', 'backup', 'verify']) {
      const r = cli([c, '--help']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: ywtb ${c}`), c);
    }
    const top = cli(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['serve', 'migrate', 'seed', 'admin', 'backup', 'verify']) assert.match(top.stdout, new RegExp(`^  ${c} `, 'm'));
  });

  test('unknown command, no command and unknown option exit 2 with a message', () => {
    const u = cli(['frobnicate']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /unknown command 'frobnicate'/);
    assert.equal(u.stdout, '');
    const none = cli([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /usage: ywtb COMMAND/);
    const opt = cli(['migrate', '--no-such-flag']);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /unknown option '--no-such-flag'/);
    const val = cli(['serve', '--listen']);
    assert.equal(val.code, 2);
    assert.match(val.stderr, /--listen needs a value/);
    assert.equal(cli(['seed', '--db', 'sqlite::memory:']).code, 2, 'seed without --demo');
    assert.equal(cli(['verify', '--db', 'sqlite::memory:']).code, 2, 'verify without --audit');
    assert.equal(cli(['admin', 'group', 'add']).code, 2);
  });
});

describe('settings precedence: flag > environment > file > default', () => {
  let cdir;
  before(() => {
    cdir = path.join(dir, 'conf');
    fs.mkdirSync(cdir);
    fs.writeFileSync(
      path.join(cdir, 'ywtb.conf'),
      '# test config\nlisten = 127.0.0.1:1111\nthreads = 5\nlog_level = "warn"\nsecret_key = ' + 'ab'.repeat(32) + '\n\nsession_idle = 600\n',
    );
  });

  test('each line shows its value and origin', () => {
    const r = cli(['serve', '--print-config', '--listen', '127.0.0.1:3333'], {
      cwd: cdir,
      env: { YWTB_LISTEN: '127.0.0.1:2222', YWTB_THREADS: '3' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# config file: ywtb\.conf$/m);
    const c = parseConfig(r.stdout);
    assert.deepEqual(c.listen, { value: '127.0.0.1:3333', origin: 'flag' });
    assert.deepEqual(c.threads, { value: '3', origin: 'env' });
    assert.deepEqual(c.log_level, { value: 'warn', origin: 'file' });
    assert.deepEqual(c.session_idle, { value: '600', origin: 'file' });
    assert.deepEqual(c.body_limit, { value: '1048576', origin: 'default' });
    assert.equal(c.db.origin, 'default');
    assert.deepEqual(c.secret_key, { value: '********', origin: 'file' }, 'secrets are masked');
    assert.doesNotMatch(r.stdout, /abababab/);
  });

  test('without the flag the environment wins, without both the file', () => {
    let c = parseConfig(cli(['serve', '--print-config'], { cwd: cdir, env: { YWTB_LISTEN: '127.0.0.1:2222' } }).stdout);
    assert.deepEqual(c.listen, { value: '127.0.0.1:2222', origin: 'env' });
    c = parseConfig(cli(['serve', '--print-config'], { cwd: cdir }).stdout);
    assert.deepEqual(c.listen, { value: '127.0.0.1:1111', origin: 'file' });
    assert.deepEqual(c.threads, { value: '5', origin: 'file' });
    c = parseConfig(cli(['serve', '--print-config'], { cwd: dir }).stdout);
    assert.deepEqual(c.listen, { value: '127.0.0.1:8080', origin: 'default' });
    // --key=value works like --key value
    c = parseConfig(cli(['serve', '--print-config', '--listen=127.0.0.1:4444'], { cwd: cdir }).stdout);
    assert.deepEqual(c.listen, { value: '127.0.0.1:4444', origin: 'flag' });
  });

  test('--config and YWTB_CONFIG name the file', () => {
    const f = path.join(cdir, 'other.conf');
    fs.writeFileSync(f, 'listen = 127.0.0.1:5555\n');
    let r = cli(['serve', '--print-config', '--config', f], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseConfig(r.stdout).listen, { value: '127.0.0.1:5555', origin: 'file' });
    assert.match(r.stdout, new RegExp(`^# config file: ${f.replace(/[.]/g, '\\.')}$`, 'm'));
    r = cli(['serve', '--print-config'], { cwd: dir, env: { YWTB_CONFIG: f } });
    assert.deepEqual(parseConfig(r.stdout).listen, { value: '127.0.0.1:5555', origin: 'file' });
  });

  test('bad settings are refused with exit 2 and say where', () => {
    const f = path.join(cdir, 'bad.conf');
    fs.writeFileSync(f, 'listen = 127.0.0.1:1\nno_such_key = 1\n');
    let r = cli(['serve', '--print-config', '--config', f], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.conf:2/);
    fs.writeFileSync(f, 'threads = many\n');
    r = cli(['serve', '--print-config', '--config', f], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.conf:1/);
    fs.writeFileSync(f, 'just a line\n');
    assert.equal(cli(['serve', '--print-config', '--config', f], { cwd: dir }).code, 2);
    r = cli(['serve', '--print-config', '--config', path.join(cdir, 'missing.conf')], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot open config file/);
    r = cli(['serve', '--print-config', '--log-level', 'loud'], { cwd: dir });
    assert.equal(r.code, 2);
    r = cli(['serve', '--print-config'], { cwd: dir, env: { YWTB_THREADS: 'x' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /environment/);
    r = cli(['serve', '--clock', 'yesterday', '--db', `sqlite:${path.join(dir, 'never.db')}`], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--clock 'yesterday' is not an ISO-8601 instant/);
  });
});

describe(`migrate, seed and admin (${ENGINE})`, () => {
  let db;
  before(() => {
    db = createDatabase(dir);
  });
  after(() => db?.drop());

  test('migrate applies every migration once and is idempotent', () => {
    const a = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const m1 = /^migrated: (\d+) applied, schema version (\d+)$/m.exec(a.stdout);
    assert.ok(m1, a.stdout);
    // every file once, up to the highest number (numbers may have a gap while
    // branches that each took one are merged)
    const files = fs.readdirSync(path.join(REPO, 'migrations', ENGINE === 'postgres' ? 'pg' : 'sqlite')).filter((f) => /^\d{4}_.*\.sql$/.test(f));
    assert.ok(files.length >= 2);
    assert.equal(Number(m1[1]), files.length, 'a fresh database gets every migration');
    assert.equal(Number(m1[2]), Math.max(...files.map((f) => Number(f.slice(0, 4)))), 'the schema version is the highest number');
    const b = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), `migrated: 0 applied, schema version ${m1[2]}`);
  });

  test('seed --demo is idempotent', () => {
    const a = cli(['seed', '--demo', '--db', db.url, ...CHEAP_PWHASH], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const m = /demo accounts \((\d+) new\), password for all: Demo@2026/.exec(a.stdout);
    assert.ok(m, a.stdout);
    assert.ok(Number(m[1]) >= 7, `at least the 7 demo staff are new: ${m[1]}`);
    for (const u of ['admin', 'clerk', 'reviewer', 'chief', 'supervisor', 'dataofficer', 'hotline'])
      assert.match(a.stdout, new RegExp(`^  ${u} `, 'm'), u);
    const b = cli(['seed', '--demo', '--db', db.url, ...CHEAP_PWHASH], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /demo accounts \(0 new\)/);
  });

  test('seed over a loaded catalog refreshes departments, license types and item labels, never a type whose field keys changed', async () => {
    const data = path.join(dir, 'refresh-data');
    fs.cpSync(path.join(REPO, 'data'), data, { recursive: true });
    const cat = (name) => path.join(data, 'catalog', name);
    const depts = JSON.parse(fs.readFileSync(cat('departments.json'), 'utf8'));
    const types = JSON.parse(fs.readFileSync(cat('license_types.json'), 'utf8'));
    const scj = depts.find((d) => d.code === 'XH-SCJ');
    scj.phone = '021-64870000';
    const lt1 = types.find((t) => t.code === 'LT-001');
    lt1.fields[0].label_en = 'Name of the Entity';
    const lt2 = types.find((t) => t.code === 'LT-002');
    const lt2Before = JSON.stringify(lt2.fields);
    lt2.fields[0].key = 'renamed_key';
    lt2.fields[0].label_en = 'Changed Too';
    types.push({ ...lt1, code: 'LT-900', name: '测试新证照', name_en: 'Test Type', type_code: '113101044259256669900' });
    // items (issue 21): a release's new labels reach an item already there as a
    // new version; a new item is added; what a department edits is not touched
    const items = JSON.parse(fs.readFileSync(cat('items.json'), 'utf8'));
    const scj1 = items.find((i) => i.code === 'SCJ-01-0001');
    scj1.form[0].label_en = 'Name of the Applicant (Investor)';
    scj1.legal_days = 3; // not a label: an upgrade never changes it
    items.push({ ...items.find((i) => i.code === 'SCJ-01-0001'), code: 'SCJ-99-0001', name: '测试新事项', form: [] });
    fs.writeFileSync(cat('items.json'), JSON.stringify(items));
    fs.writeFileSync(cat('departments.json'), JSON.stringify(depts));
    fs.writeFileSync(cat('license_types.json'), JSON.stringify(types));
    const seed = () => cli(['seed', '--catalog', '--db', db.url, '--data-dir', data], { cwd: dir });
    let r = seed();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /departments and e-license types refreshed: 1 added, 2 updated/);
    assert.match(r.stdout, /1 e-license type\(s\) kept as they are because their field keys changed.*: LT-002/);
    assert.match(r.stdout, /items: 1 added, 1 with new labels/);
    r = seed();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /refreshed: 0 added, 0 updated/, 'a second run changes nothing');
    assert.match(r.stdout, /items: 0 added, 0 with new labels/, 'a second run changes no item');
    assert.doesNotMatch(r.stdout, /demo accounts/, '--catalog makes no accounts');
    fs.mkdirSync(path.join(dir, 'srv-refresh'), { recursive: true });
    const srv = new Server({ db: { url: db.url, drop() {} }, dir: path.join(dir, 'srv-refresh') });
    try {
      await srv.start();
      const t1 = (await srv.api('GET', '/api/v1/license-types/LT-001')).json;
      assert.equal(t1.fields[0].label_en, 'Name of the Entity');
      const t2 = (await srv.api('GET', '/api/v1/license-types/LT-002')).json;
      assert.equal(JSON.stringify(t2.fields), lt2Before, 'a type whose keys changed is left alone');
      assert.equal((await srv.api('GET', '/api/v1/license-types/LT-900')).json.name_en, 'Test Type');
      const d = (await srv.api('GET', '/api/v1/departments')).json;
      assert.equal((d.items || d).find((x) => x.code === 'XH-SCJ').phone, '021-64870000');
      const item = await srv.api('GET', '/api/v1/items/SCJ-01-0001');
      assert.equal(item.status, 200, item.text);
      assert.equal(item.json.form[0].label_en, 'Name of the Applicant (Investor)');
      assert.equal(item.json.legal_days, 15, 'only labels come from the release');
      assert.equal(item.headers.get('etag'), '"2"', 'the new labels are version 2, like an edit');
      assert.equal((await srv.api('GET', '/api/v1/items/SCJ-99-0001')).json.name, '测试新事项');
    } finally {
      await srv.stop();
    }
  });

  test('seed --scale small adds exactly the accounts and cases asked for, once', () => {
    // one number per row, read with the engine's own client
    const count = (sql) => {
      const out = ENGINE === 'sqlite'
        ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
        : execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', sql], { encoding: 'utf8' });
      return Number(out.trim());
    };
    const kinds = () => ({
      person: count("SELECT COUNT(*) FROM accounts WHERE kind = 'person'"),
      enterprise: count("SELECT COUNT(*) FROM accounts WHERE kind = 'enterprise'"),
      persons: count('SELECT COUNT(*) FROM person_profiles'),
      enterprises: count('SELECT COUNT(*) FROM enterprise_profiles'),
      cases: count('SELECT COUNT(*) FROM cases'),
    });
    const before = kinds();
    const r = cli(['seed', '--scale', 'small', '--cases', '3000', '--db', db.url, ...CHEAP_PWHASH], { cwd: dir, timeout: 300000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^scale: 2000\/2000 citizens/m);
    assert.match(r.stdout, /^scale: 3000\/3000 cases/m);
    const after = kinds();
    // no generated identity number or credit code may be dropped as a duplicate
    assert.deepEqual(
      Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]])),
      { person: 2000, enterprise: 1000, persons: 2000, enterprises: 1000, cases: 3000 },
    );
    assert.equal(count('SELECT COUNT(*) FROM cases c LEFT JOIN accounts a ON a.id = c.applicant_id WHERE a.id IS NULL'), 0);
    assert.equal(count("SELECT COUNT(*) FROM cases c WHERE c.status IN ('accepted', 'approved', 'denied') "
      + 'AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id)'), 0, 'every started case has its review task');
    const again = cli(['seed', '--scale', 'small', '--db', db.url, ...CHEAP_PWHASH], { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already seeded at scale/);
    assert.deepEqual(kinds(), after);
  });

  test('admin user add creates a user who can log in; bad input exits non-zero', async () => {
    const add = (extra) =>
      cli(['admin', 'user', 'add', '--db', db.url, ...CHEAP_PWHASH, ...extra], { cwd: dir });
    const ok = add(['--username', 'ops.one', '--password', 'Ops#2026x', '--name', '运维一号', '--dept', 'XH-DSJ', '--roles', 'supervisor,data_officer']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^created staff account \d+ 'ops\.one'$/m);

    const badRole = add(['--username', 'ops.two', '--password', 'Ops#2026x', '--name', 'X', '--roles', 'overlord']);
    assert.equal(badRole.code, 2, badRole.stderr);
    assert.match(badRole.stderr, /overlord/);
    assert.match(badRole.stderr, /roles/);
    assert.match(badRole.stderr, /staff roles: .*window_clerk.*admin/, 'the valid roles are listed');
    // a department the catalog does not have is refused (issue 21), nothing created
    const badDept = add(['--username', 'ops.five', '--password', 'Ops#2026x', '--name', 'X', '--dept', 'XH-NOPE', '--roles', 'reviewer']);
    assert.equal(badDept.code, 2, badDept.stderr);
    assert.match(badDept.stderr, /no department 'XH-NOPE'/);
    assert.match(badDept.stderr, /\(--dept\)$/m);
    const noDept = add(['--username', 'ops.six', '--password', 'Ops#2026x', '--name', '管理员六', '--roles', 'admin']);
    assert.equal(noDept.code, 0, noDept.stderr);
    const dup = add(['--username', 'ops.one', '--password', 'Ops#2026x', '--name', 'X', '--roles', 'reviewer']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /taken/);
    const weak = add(['--username', 'ops.three', '--password', 'short', '--name', 'X', '--roles', 'reviewer']);
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /password/);
    const missing = add(['--username', 'ops.four', '--password', 'Ops#2026x', '--roles', 'reviewer']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /name/);

    const srv = new Server({ db: { url: db.url, drop() {} }, dir: path.join(dir, 'srv-admin') });
    fs.mkdirSync(srv.dir, { recursive: true });
    await srv.start();
    try {
      const r = await srv.loginResponse('ops.one', 'Ops#2026x');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([...r.json.account.roles].sort(), ['data_officer', 'supervisor']);
      assert.equal(r.json.account.name, '运维一号');
      const admin = await srv.login('admin');
      const names = (await srv.api('GET', '/api/v1/admin/users', { token: admin })).json.items.map((u) => u.username);
      for (const n of ['ops.two', 'ops.three', 'ops.four', 'ops.five']) assert.equal(names.includes(n), false, n);
    } finally {
      await srv.close();
    }
  });

  test('a database URL that is neither sqlite: nor postgres:// is refused', () => {
    const r = cli(['migrate', '--db', 'mysql://root@localhost/x'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /neither sqlite:PATH nor postgres/);
  });
});

describe(`backup and verify (${ENGINE})`, () => {
  let srv;
  before(async () => {
    srv = await startServer();
    await srv.login('admin'); // one more audited write
  });
  after(() => srv?.close());

  if (ENGINE === 'sqlite') {
    test('backup of a live SQLite database verifies intact and serves', async () => {
      const live = srv.verifyAudit();
      assert.ok(live.intact, live.stdout + live.stderr);
      const file = path.join(dir, 'backup.db');
      const b = cli(['backup', '--db', srv.url, file], { cwd: srv.dir });
      assert.equal(b.code, 0, b.stderr);
      assert.equal(b.stdout.trim(), `backup written to ${file}`);
      assert.equal(fs.existsSync(`${file}.tmp`), false);
      const copy = path.join(dir, 'copy.db');
      fs.copyFileSync(file, copy);
      const v = cli(['verify', '--audit', '--db', `sqlite:${copy}`], { cwd: dir });
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.match(v.stdout, new RegExp(`^audit chain intact: ${live.records} records$`, 'm'));
      // the copy is a working database
      const s2 = new Server({ db: { url: `sqlite:${copy}`, drop() {} }, dir: path.join(dir, 'srv-copy') });
      fs.mkdirSync(s2.dir, { recursive: true });
      await s2.start();
      try {
        assert.equal((await s2.loginResponse('admin')).status, 200);
      } finally {
        await s2.close();
      }
    });

    test('backup needs a file argument', () => {
      assert.equal(cli(['backup', '--db', srv.url], { cwd: srv.dir }).code, 2);
    });

    test('verify finds a changed audit record', () => {
      const copy = path.join(dir, 'tampered.db');
      const b = cli(['backup', '--db', srv.url, copy], { cwd: srv.dir });
      assert.equal(b.code, 0, b.stderr);
      execFileSync('sqlite3', ['-cmd', '.timeout 10000', copy, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"]);
      const v = cli(['verify', '--audit', '--db', `sqlite:${copy}`], { cwd: dir });
      assert.equal(v.code, 1, v.stdout + v.stderr);
      assert.match(v.stdout, /^audit chain BROKEN at record 2: .* \(1 records verified before it\)$/m);
    });
  } else {
    test('backup on PostgreSQL is refused with a clear error', () => {
      const file = path.join(dir, 'pg-backup.db');
      const r = cli(['backup', '--db', srv.url, file], { cwd: srv.dir });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /pg_dump/);
      assert.equal(fs.existsSync(file), false);
    });

    test('verify finds a changed audit record', () => {
      const v0 = srv.verifyAudit();
      assert.ok(v0.intact);
      const u = new URL(PG_ADMIN);
      u.pathname = `/${srv.db.name}`;
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', u.toString(), '-c', "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"]);
      const v = srv.verifyAudit();
      assert.equal(v.code, 1, v.stdout + v.stderr);
      assert.match(v.stdout, /^audit chain BROKEN at record 2: /m);
    });
  }

  test('verify on an unreachable database fails with exit 1', () => {
    const url = ENGINE === 'sqlite' ? `sqlite:${path.join(dir, 'no', 'such', 'dir', 'x.db')}` : 'postgresql://postgres@127.0.0.1:1/none';
    const r = cli(['verify', '--audit', '--db', url], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stderr.length > 0);
  });
});
