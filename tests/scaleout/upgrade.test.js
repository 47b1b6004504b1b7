// upgrade.test.js - a rolling upgrade on one PostgreSQL (issue 17): a node of
// the previous version serves, a node of the new version starts on the same
// database and migrates it while the old one keeps serving, requests go to
// both in turn - reads and writes, each on rows the other wrote - and the old
// node is stopped.  Nothing may fail: that is what "migrations only add"
// (docs/OPERATIONS.md, tests/modules/migrations.test.js) buys.
//
// scripts/test.sh builds the previous version from git once per run
// (scripts/build-previous.sh: the commit before the newest migration) and
// exports YWTB_TEST_OLD_BIN (its binary) and YWTB_TEST_OLD_TREE (its files:
// its fixture catalog seeds the database, as the old version would have).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Server, ENGINE, REPO, CHEAP_PWHASH, cleanEnv, freePort, tempDir } from '../api/harness.js';
import { registerPerson, idNumber, APPLICANT_PASSWORD } from '../api/case_fixtures.js';

const OLD_BIN = process.env.YWTB_TEST_OLD_BIN || '';
const OLD_TREE = process.env.YWTB_TEST_OLD_TREE || '';
const skip =
  ENGINE !== 'postgres' || !OLD_BIN || !OLD_TREE
    ? 'needs PostgreSQL and the previous version (scripts/test.sh builds it: YWTB_TEST_OLD_BIN)'
    : false;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SUBSIDY_FORM = { start_date: '2026-03-01', months: 6, category: '灵活就业人员', phone: '13912345678' };
const ITEM = 'T-RSJ-SUBSIDY';

/* A data dir of a tree: its fixture catalog and its calendars. */
function dataDirOf(tree) {
  const d = tempDir('ywtb-data-');
  fs.symlinkSync(path.join(tree, 'tests', 'fixtures', 'data', 'catalog'), path.join(d, 'catalog'));
  fs.symlinkSync(path.join(tree, 'data', 'calendar'), path.join(d, 'calendar'));
  return d;
}

/* A node of the previous version: the harness's Server with another binary. */
class OldServer extends Server {
  seed() {
    const r = spawnSync(OLD_BIN, ['seed', '--demo', '--db', this.url, ...CHEAP_PWHASH, '--data-dir', this.opts.dataDir], {
      cwd: this.dir,
      env: cleanEnv({ YWTB_DATA_DIR: this.opts.dataDir }),
      encoding: 'utf8',
      timeout: 180000,
    });
    if (r.status !== 0) throw new Error(`old ywtb seed failed (${r.status}): ${r.stderr}`);
  }

  async start() {
    this.port = await freePort();
    const log = fs.openSync(this.logFile, 'a');
    const proc = spawn(OLD_BIN, this.serveArgs(), {
      cwd: this.dir,
      env: cleanEnv({ YWTB_DATA_DIR: this.opts.dataDir }),
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.proc = proc;
    this.exit = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    process.on('exit', () => proc.kill('SIGKILL'));
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      try {
        const r = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        if (r.status === 200) return this;
      } catch {
        /* not listening yet */
      }
      await sleep(25);
    }
    throw new Error(`the old ywtb did not become ready:\n${this.logTail()}`);
  }
}

/* What a node logged at level error or fatal (a 5xx, a statement that failed). */
function errorsIn(srv) {
  return srv
    .log()
    .split('\n')
    .filter((l) => {
      try {
        return ['error', 'fatal'].includes(JSON.parse(l).level);
      } catch {
        return false; /* not a log record */
      }
    });
}

describe('a rolling upgrade: the previous and the new version on one PostgreSQL', { skip }, () => {
  let old, neu, oldData, newData;
  let alice, bob, adminOld, adminNew, oldSchema;
  const cases = []; // { no, token, by }
  const nodes = () => [old, neu];

  before(async () => {
    oldData = dataDirOf(OLD_TREE);
    newData = dataDirOf(REPO);
    old = new OldServer({ dataDir: oldData });
    old.seed();
    await old.start();
  });
  after(async () => {
    await neu?.close(); // its database is old's: dropped once, by old.close()
    await old?.close();
    for (const d of [oldData, newData]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('the old node serves and writes before the new one exists', async () => {
    const ready = await old.api('GET', '/readyz');
    assert.equal(ready.status, 200, ready.text);
    oldSchema = ready.json.schema_version;
    adminOld = await old.login('admin');
    alice = await registerPerson(old, '王升级', '19900307', 301);
    const r = await old.api('POST', '/api/v1/cases', { token: alice.token, body: { draft: true, item_code: ITEM, form: SUBSIDY_FORM } });
    assert.equal(r.status, 201, r.text);
    cases.push({ no: r.json.case_no, token: alice.token, by: 'old' });
  });

  test('the new node starts on the same database and migrates it while the old one serves', async () => {
    neu = new Server({ db: { url: old.url, drop() {} }, dataDir: newData });
    await neu.start();
    const ready = await neu.api('GET', '/readyz');
    assert.equal(ready.status, 200, ready.text);
    assert.ok(
      ready.json.schema_version > oldSchema,
      `the new version brings a migration (old ${oldSchema}, now ${ready.json.schema_version})`,
    );
    assert.match(neu.log(), /applied migration /, 'the new node ran the migration');
    // the old node is still ready and answers on the migrated schema
    const r = await old.api('GET', `/api/v1/cases/${cases[0].no}`, { token: alice.token });
    assert.equal(r.status, 200, r.text);
    adminNew = await neu.login('admin');
  });

  test('both nodes in turn: sessions, cases and catalog edits each node made, read and changed on the other', async () => {
    // a session made on the old node works on the new, and back
    const me = await neu.api('GET', '/api/v1/me', { token: alice.token });
    assert.equal(me.status, 200, me.text);
    assert.ok(JSON.stringify(me.json).includes(alice.name), me.text);
    bob = await registerPerson(neu, '李滚动', '19850512', 302);
    const bobOnOld = await old.api('GET', '/api/v1/me', { token: bob.token });
    assert.equal(bobOnOld.status, 200, bobOnOld.text);
    const bobLogin = await old.api('POST', '/api/v1/auth/login', { body: { login: idNumber('19850512', 302), password: APPLICANT_PASSWORD } });
    assert.equal(bobLogin.status, 200, bobLogin.text);

    for (let i = 0; i < 8; i++) {
      const [a, b] = i % 2 ? [neu, old] : [old, neu];
      const who = i % 3 ? alice : bob;
      const c = await a.api('POST', '/api/v1/cases', {
        token: who.token,
        body: { draft: true, item_code: ITEM, form: { ...SUBSIDY_FORM, months: 1 + i } },
      });
      assert.equal(c.status, 201, `${a === old ? 'old' : 'new'} node: ${c.text}`);
      cases.push({ no: c.json.case_no, token: who.token, by: a === old ? 'old' : 'new' });
      // the other node reads it at once
      const g = await b.api('GET', `/api/v1/cases/${c.json.case_no}`, { token: who.token });
      assert.equal(g.status, 200, g.text);
      assert.equal(g.json.form.months, 1 + i);
    }
    // catalog edits: each node edits the item the other one edited last (If-Match from the other)
    const code = 'T-RSJ-SUBSIDY';
    for (let i = 0; i < 4; i++) {
      const [a, b, tok] = i % 2 ? [neu, old, adminNew] : [old, neu, adminOld];
      const cur = await b.api('GET', `/api/v1/items/${code}/versions`);
      assert.equal(cur.status, 200, cur.text);
      const item = await a.api('GET', `/api/v1/items/${code}`);
      assert.equal(item.status, 200, item.text);
      const top = cur.json.versions[0].version;
      const put = await a.api('PUT', `/api/v1/items/${code}`, {
        token: tok,
        body: { ...item.json, version: undefined, hours: `周一至周五 9:00-17:00（第${i + 1}次）` },
        headers: { 'If-Match': `"${top}"` },
      });
      assert.equal(put.status, 200, `${a === old ? 'old' : 'new'} node: ${put.text}`);
      assert.equal(put.json.version, top + 1);
      const after2 = await b.api('GET', `/api/v1/items/${code}/versions`);
      assert.equal(after2.json.versions[0].version, top + 1);
    }
    // each applicant's list is the same on both nodes
    for (const who of [alice, bob]) {
      const lists = [];
      for (const n of nodes()) {
        const r = await n.api('GET', '/api/v1/cases?limit=100', { token: who.token });
        assert.equal(r.status, 200, r.text);
        lists.push(r.json.items.map((x) => x.case_no).sort());
      }
      assert.deepEqual(lists[0], lists[1]);
      assert.deepEqual(lists[0], cases.filter((c) => c.token === who.token).map((c) => c.no).sort());
    }
  });

  test('the old node stops; the new one serves everything both wrote', async () => {
    const e = await old.stop();
    assert.equal(e.code, 0, `old node exit ${JSON.stringify(e)}`);
    for (const c of cases) {
      const r = await neu.api('GET', `/api/v1/cases/${c.no}`, { token: c.token });
      assert.equal(r.status, 200, r.text);
    }
    const v = neu.verifyAudit();
    assert.ok(v.intact, v.stdout + v.stderr);
    assert.deepEqual(errorsIn(old), [], 'the old node logged no error');
    assert.deepEqual(errorsIn(neu), [], 'the new node logged no error');
  });
});
