// ops_cli.test.js - what an operator running ywtb by hand meets (issue 21,
// the smaller items): the installed web/ and data/ win over ones that happen
// to be in the working directory, `seed --catalog` with nothing to load fails,
// a misspelt YWTB_ variable is named, trust_proxy on every interface is
// warned about, and a build says which commit it is.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, REPO, cli, freePort, Server, tempDir, ENGINE } from './harness.js';

/** Run ywtb with exactly this environment (no YWTB_DATA_DIR from the harness). */
function bare(args, { cwd, env = {} } = {}) {
  const base = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YWTB_')) base[k] = v;
  const r = spawnSync(BIN, args, { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60000 });
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

  test('a web/ or data/ in the working directory does not win over the one beside the binary', () => {
    const cwd = path.join(dir, 'stray');
    fs.mkdirSync(path.join(cwd, 'web'), { recursive: true });
    fs.mkdirSync(path.join(cwd, 'data'), { recursive: true });
    const r = bare(['serve', '--print-config'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(configValue(r.stdout, 'web_root'), { value: fs.realpathSync(path.join(REPO, 'web')), origin: 'default' });
    assert.deepEqual(configValue(r.stdout, 'data_dir'), { value: fs.realpathSync(path.join(REPO, 'data')), origin: 'default' });
    // a configured directory is used as given
    const f = bare(['serve', '--print-config', '--web-root', 'web'], { cwd });
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
    const srv = new Server();
    srv.seed();
    srv.port = await freePort();
    srv.opts.args = ['--trust-proxy', 'true', '--listen', `:${srv.port}`];
    try {
      await srv.start();
      assert.match(srv.log(), /listen :\d+ takes connections on every interface while trust_proxy is on/);
      fs.writeFileSync(srv.logFile, '');
      await srv.restart({ args: ['--trust-proxy', 'true'] });
      assert.doesNotMatch(srv.log(), /every interface/);
    } finally {
      await srv.close();
    }
  });
});
