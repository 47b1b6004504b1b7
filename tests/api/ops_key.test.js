// ops_key.test.js - the secret key that seals the departments' signing keys
// and the audit log's (issue 21 item 2; one loader, core/secret.h): a node
// started where its key file is not (another working directory) or with
// another key refuses to start instead of making a new key and failing every
// license later; the right key from anywhere starts it.  `ywtb audit seal`
// holds to the same rule: run where the key file is not, on a database with
// keys sealed under it (the audit log's or the departments'), it refuses and
// makes no new key file.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Server, cli, startServer, tempDir, ENGINE } from './harness.js';

describe(`the secret key (${ENGINE})`, () => {
  let srv;
  let other;
  let keyFile;
  before(async () => {
    // sealed only by the command here: the database holds the departments' keys, not the audit log's
    srv = await startServer({ args: ['--audit-seal-seconds', '0'] });
    // a signing key sealed under this node's secret (made in its working directory)
    const token = await srv.login('admin');
    const r = await srv.api('POST', '/api/v1/keys/rotate', { token, body: { dept: 'XH-SCJ' } });
    assert.equal(r.status, 200, r.text);
    keyFile = path.join(srv.dir, 'var', 'ywtb.key');
    assert.ok(fs.existsSync(keyFile));
    await srv.stop();
    other = tempDir('ywtb-key-');
  });
  after(async () => {
    await srv?.close();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(other, { recursive: true, force: true });
  });

  /** A node on srv's database, started in another directory. */
  function node(args = []) {
    const dir = fs.mkdtempSync(path.join(other, 'node-'));
    return new Server({ db: { url: srv.url, drop() {} }, dir, args });
  }

  test('a node in another directory, without the key file, refuses to start and makes no key', async () => {
    const n = node();
    await assert.rejects(n.start(), /exited/);
    assert.match(n.log(), /secret key file '.*var\/ywtb\.key' does not exist, but the database holds signing keys/);
    assert.equal(fs.existsSync(path.join(n.dir, 'var', 'ywtb.key')), false, 'no new key was made');
    await n.close();
  });

  test('`ywtb audit seal` without the key file refuses: the departments\' keys are sealed under it', () => {
    const dir = fs.mkdtempSync(path.join(other, 'cli-'));
    const r = cli(['audit', 'seal', '--db', srv.url], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /the secret key file '.*\/var\/ywtb\.key' does not exist, but the database holds signing keys sealed under a secret key \(licenses\): restore that file/);
    assert.equal(fs.existsSync(path.join(dir, 'var')), false, 'no new key file (nor its directory)');
  });

  test('a node with another secret key refuses to start', async () => {
    const n = node(['--secret-key', randomBytes(32).toString('hex')]);
    await assert.rejects(n.start(), /exited/);
    assert.match(n.log(), /does not open the signing key of XH-SCJ/);
    await n.close();
  });

  test('the key file named by an absolute path starts a node anywhere, and it signs', async () => {
    const n = node(['--secret-key-file', keyFile]);
    await n.start();
    try {
      assert.equal((await n.api('GET', '/readyz')).status, 200);
      const token = await n.login('admin');
      const r = await n.api('POST', '/api/v1/keys/rotate', { token, body: { dept: 'XH-SCJ' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(fs.existsSync(path.join(n.dir, 'var', 'ywtb.key')), false);
    } finally {
      await n.close();
    }
  });
});

describe(`the audit log's key, sealed under the same secret (${ENGINE})`, () => {
  let srv;
  let other;
  let keyFile;
  const seal = (cwd, args = []) => cli(['audit', 'seal', '--db', srv.url, ...args], { cwd });
  before(async () => {
    srv = await startServer({ args: ['--audit-seal-seconds', '0'] });
    keyFile = path.join(srv.dir, 'var', 'ywtb.key');
    assert.ok(fs.existsSync(keyFile));
    await srv.login('admin'); // an audit record to seal
    const r = seal(srv.dir); // the audit log's key is made, sealed under the secret in keyFile
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^sealed \d+ records/);
    other = tempDir('ywtb-key-');
  });
  after(async () => {
    await srv?.close();
    if (other && !process.env.YWTB_TEST_KEEP) fs.rmSync(other, { recursive: true, force: true });
  });

  test('`ywtb audit seal` where the key file is not refuses, names the file and makes none', () => {
    const dir = fs.mkdtempSync(path.join(other, 'cli-'));
    const r = seal(dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const want = path.join(fs.realpathSync(dir), 'var', 'ywtb.key');
    assert.ok(r.stderr.includes(`the secret key file '${want}' does not exist, but the database holds signing keys sealed under a secret key (audit log): restore that file`), r.stderr);
    assert.equal(fs.existsSync(path.join(dir, 'var')), false, 'no new key file (nor its directory)');
  });

  test('`ywtb audit seal` with another secret seals nothing; with the key file named it seals', async () => {
    await srv.login('admin'); // something new to seal
    const dir = fs.mkdtempSync(path.join(other, 'cli-'));
    let r = seal(dir, ['--secret-key', randomBytes(32).toString('hex')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /does not open the audit log's signing key/);
    r = seal(dir, ['--secret-key-file', keyFile]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^sealed \d+ records/);
    assert.equal(fs.existsSync(path.join(dir, 'var')), false);
  });

  test('a node in another directory refuses to start: no department key yet, but the audit log\'s', async () => {
    const n = new Server({ db: { url: srv.url, drop() {} }, dir: fs.mkdtempSync(path.join(other, 'node-')) });
    await assert.rejects(n.start(), /exited/);
    assert.match(n.log(), /does not exist, but the database holds signing keys sealed under a secret key \(audit log\)/);
    assert.equal(fs.existsSync(path.join(n.dir, 'var', 'ywtb.key')), false, 'no new key was made');
    await n.close();
  });
});

describe(`the OpenID provider's keys, sealed under the same secret (${ENGINE})`, () => {
  let srv;
  let other;
  before(async () => {
    srv = await startServer({ args: ['--audit-seal-seconds', '0'] });
    await srv.stop();
    // an ID-token signing key sealed under the secret in srv's key file; no department's nor audit key
    const r = cli(['oidc', 'keys', 'rotate', '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    other = tempDir('ywtb-key-');
  });
  after(async () => {
    await srv?.close();
    if (other && !process.env.YWTB_TEST_KEEP) fs.rmSync(other, { recursive: true, force: true });
  });

  test('a node in another directory refuses to start: no key but the OpenID provider\'s', async () => {
    const n = new Server({ db: { url: srv.url, drop() {} }, dir: fs.mkdtempSync(path.join(other, 'node-')) });
    await assert.rejects(n.start(), /exited/);
    assert.match(n.log(), /does not exist, but the database holds signing keys sealed under a secret key \(OpenID Connect\)/);
    assert.equal(fs.existsSync(path.join(n.dir, 'var', 'ywtb.key')), false, 'no new key was made');
    await n.close();
  });

  test('`ywtb audit seal` where the key file is not refuses for the OpenID provider\'s keys too', () => {
    const dir = fs.mkdtempSync(path.join(other, 'cli-'));
    const r = cli(['audit', 'seal', '--db', srv.url], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /\(OpenID Connect\): restore that file/);
    assert.equal(fs.existsSync(path.join(dir, 'var')), false);
  });
});

describe(`files others could read (${ENGINE})`, () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  test('a start warns of a database or key file other users can read, and not once they are private', async () => {
    const keyFile = path.join(srv.dir, 'var', 'ywtb.key');
    const dbFile = ENGINE === 'sqlite' ? srv.url.slice('sqlite:'.length) : null;
    fs.chmodSync(keyFile, 0o644);
    if (dbFile) fs.chmodSync(dbFile, 0o644);
    srv.clearLog();
    await srv.restart();
    const log = srv.log();
    assert.match(log, /the secret key file .*ywtb\.key has mode 0644/);
    if (dbFile) assert.match(log, /the database .*t\.db has mode 0644: every user on this machine can read it/);
    fs.chmodSync(keyFile, 0o600);
    if (dbFile) fs.chmodSync(dbFile, 0o640);
    srv.clearLog();
    await srv.restart();
    assert.doesNotMatch(srv.log(), /has mode 0/);
  });
});
