// ops_key.test.js - the secret key that seals the departments' signing keys
// (issue 21 item 2): a node started where its key file is not (another working
// directory) or with another key refuses to start instead of making a new key
// and failing every license later; the right key from anywhere starts it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Server, startServer, tempDir, ENGINE } from './harness.js';

describe(`the secret key (${ENGINE})`, () => {
  let srv;
  let other;
  let keyFile;
  before(async () => {
    srv = await startServer();
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
