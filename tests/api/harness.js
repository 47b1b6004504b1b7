// tests/api/harness.js - a fresh ywtb server per test file, and helpers to talk to it.
//
//   import { startServer, cli } from './harness.js';
//   let srv;
//   before(async () => { srv = await startServer(); });
//   after(() => srv?.close());
//   const r = await srv.api('GET', '/api/v1/me', { token });
//
// Environment:
//   YWTB_BIN              the binary (default: build/ywtb)
//   YWTB_TEST_ENGINE      sqlite (default) or postgres
//   YWTB_TEST_PG_ADMIN    postgresql://postgres@127.0.0.1:PORT/postgres, needed for postgres:
//                         each server gets its own database, dropped at close()
//   YWTB_TEST_KEEP=1      keep each server's temp dir (database, log) after close()
//   YWTB_TEST_NODES=N     (postgres only) every server is N ywtb processes on its one
//                         database behind a local nginx (round robin, a new upstream per
//                         request; trust_proxy on in the nodes): srv.port and srv.base
//                         are nginx's, so any request may land on any node.  A test that
//                         by its nature needs one process (kill -9 of "the" server, its
//                         pid, its own log, its connection limits) says so with
//                         startServer({ nodes: 1 }) and a comment why.  A Server made on
//                         another server's database (opts.db) is itself one more node
//                         the test places, so it is one process unless opts.nodes says.
//
// Every server runs in its own temp dir (its cwd, so no ywtb.conf of the caller
// is read) with the YWTB_* settings of the caller's environment removed, cheap
// password hashing (unless { pwhash: false }) and the access log off.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(REPO, process.env.YWTB_BIN || 'build/ywtb');
export const ENGINE = (process.env.YWTB_TEST_ENGINE || 'sqlite') === 'postgres' ? 'postgres' : 'sqlite';
export const PG_ADMIN = process.env.YWTB_TEST_PG_ADMIN || '';
export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_STAFF = ['admin', 'clerk', 'reviewer', 'chief', 'supervisor', 'dataofficer', 'hotline', 'grid', 'finance'];
/* cheap Argon2id for tests: 1 pass over 8 MiB */
/* how many ywtb processes each server is (YWTB_TEST_NODES, PostgreSQL only) */
export const NODES = ENGINE === 'postgres' ? Math.max(1, Number.parseInt(process.env.YWTB_TEST_NODES || '1', 10) || 1) : 1;
/* nginx, for YWTB_TEST_NODES > 1 (scripts/deps.sh installs nginx-light) */
const NGINX = process.env.YWTB_NGINX || (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
export const CHEAP_PWHASH = ['--pwhash-ops', '1', '--pwhash-mem', '8388608'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* What AddressSanitizer, LeakSanitizer and UBSan print (the asan build). */
const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: |SUMMARY: UndefinedBehaviorSanitizer/;

function sanitizerExcerpt(text) {
  const i = text.search(SANITIZER_REPORT);
  return i < 0 ? null : text.slice(Math.max(0, i - 200), i + 3000);
}

/* Servers still running when the test process exits (a test that failed before
 * its after() hook) are killed, so no ywtb outlives its test file. */
const live = new Set();
function killLive() {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', killLive);
/* a test file stopped from outside (a hung file killed, ^C): its nodes and nginx too */
for (const sig of ['SIGTERM', 'SIGINT'])
  process.once(sig, () => {
    killLive();
    process.exit(sig === 'SIGTERM' ? 143 : 130);
  });

/**
 * The caller's environment less every YWTB_* variable (settings and test knobs),
 * plus YWTB_DATA_DIR pointing at the repository's reference data (the catalog
 * seed and calendars), since every command runs in a temp dir.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YWTB_')) env[k] = v;
  return { ...env, YWTB_DATA_DIR: path.join(REPO, 'data'), ...extra };
}

/** A TCP port nobody listens on right now. */
export async function freePort() {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  await once(s, 'close');
  return port;
}

/** A new temp dir (removed by the caller). */
export function tempDir(prefix = 'ywtb-api-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function psql(sql) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', PG_ADMIN, '-c', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  });
}

/** Make a new empty database for the current engine: { url, drop() }. */
export function createDatabase(dir) {
  if (ENGINE === 'sqlite') return { url: `sqlite:${path.join(dir, 't.db')}`, drop() {} };
  if (!PG_ADMIN) throw new Error('YWTB_TEST_ENGINE=postgres needs YWTB_TEST_PG_ADMIN (see scripts/pgtest.sh)');
  const name = `ywtb_api_${randomBytes(6).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop() {
      try {
        psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (e) {
        process.stderr.write(`harness: cannot drop database ${name}: ${e.stderr || e.message}\n`);
      }
    },
  };
}

/**
 * Run the ywtb binary to completion: { code, signal, stdout, stderr }.
 * opts: { env (added to a clean environment), cwd, input, timeout (ms) }.
 */
export function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, {
    cwd: opts.cwd || os.tmpdir(),
    env: cleanEnv(opts.env || {}),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeout ?? 120000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const report = sanitizerExcerpt(r.stderr);
  if (report) throw new Error(`sanitizer report from ywtb ${args.join(' ')}:\n${report}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function parseResponse(status, headers, text) {
  let json;
  const ct = headers.get ? headers.get('content-type') : headers['content-type'];
  if (ct && ct.startsWith('application/json') && text.length) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status, headers, json, text };
}

/** One ywtb server on its own database. */
export class Server {
  constructor(opts = {}) {
    this.opts = opts;
    this.dir = opts.dir || tempDir();
    this.db = opts.db || createDatabase(this.dir);
    this.url = this.db.url;
    this.port = 0;
    this.proc = null;
    this.exit = null;
    this.logFile = path.join(this.dir, 'server.log');
    this.closed = false;
    // YWTB_TEST_NODES: nodes behind nginx (see the top); one on SQLite, always
    this.nodes = ENGINE === 'postgres' ? Math.max(1, opts.nodes ?? (opts.db ? 1 : NODES)) : 1;
    this.members = []; // the nodes when there are several: { port, proc, exit, logFile }
    this.nginx = null; // { port, proc, exit, dir }
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Arguments of `ywtb serve` for this server. */
  serveArgs(port = this.port) {
    const o = this.opts;
    return [
      'serve',
      '--listen', `127.0.0.1:${port}`,
      '--db', this.url,
      '--web-root', o.webRoot || path.join(REPO, 'web'),
      '--access-log', 'off',
      ...(o.pwhash === false ? [] : CHEAP_PWHASH),
      ...(o.dataDir ? ['--data-dir', o.dataDir] : []),
      ...(o.clock ? ['--clock', o.clock] : []),
      ...(this.nodes > 1 ? ['--trust-proxy', 'true'] : []),
      ...(o.args || []),
    ];
  }

  /** Seed the demo staff (admin, clerk, ... with password Demo@2026). */
  seed() {
    const r = cli(
      ['seed', '--demo', '--db', this.url, ...(this.opts.pwhash === false ? [] : CHEAP_PWHASH),
        ...(this.opts.dataDir ? ['--data-dir', this.opts.dataDir] : [])],
      { cwd: this.dir },
    );
    if (r.code !== 0) throw new Error(`ywtb seed failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** Start the process (or the nodes and nginx) and wait until /readyz answers 200. */
  async start() {
    if (this.nodes > 1) return this.startNodes();
    for (let attempt = 0; ; attempt++) {
      if (!this.port || attempt > 0) this.port = await freePort();
      const log = fs.openSync(this.logFile, 'a');
      const proc = spawn(BIN, this.serveArgs(), {
        cwd: this.dir,
        env: cleanEnv(this.opts.env || {}),
        stdio: ['ignore', log, log],
      });
      fs.closeSync(log);
      this.proc = proc;
      live.add(proc);
      this.exit = new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
          live.delete(proc);
          resolve({ code, signal });
        }),
      );
      let exited = null;
      this.exit.then((e) => (exited = e));
      const deadline = Date.now() + 60000;
      while (Date.now() < deadline) {
        if (exited) break;
        try {
          const r = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(5000) });
          await r.arrayBuffer();
          if (r.status === 200) return this;
        } catch {
          /* not listening yet */
        }
        await sleep(25);
      }
      if (!exited) {
        proc.kill('SIGKILL');
        await this.exit;
        throw new Error(`ywtb did not become ready on port ${this.port}:\n${this.logTail()}`);
      }
      this.proc = null;
      // lost the port to someone else? try another; any other failure is reported
      if (attempt < 3 && /cannot listen/.test(this.logTail())) continue;
      throw new Error(`ywtb exited (${JSON.stringify(exited)}) before it was ready:\n${this.logTail()}`);
    }
  }

  /**
   * One node of several: spawn `ywtb serve` on m.port (another free port if it
   * was taken) with its log in m.logFile, and wait until its /readyz answers.
   */
  async startMember(m) {
    for (let attempt = 0; ; attempt++) {
      if (!m.port || attempt > 0) m.port = await freePort();
      const log = fs.openSync(m.logFile, 'a');
      const proc = spawn(BIN, this.serveArgs(m.port), {
        cwd: this.dir, // one dir: every node reads the same key file (var/ywtb.key)
        env: cleanEnv(this.opts.env || {}),
        stdio: ['ignore', log, log],
      });
      fs.closeSync(log);
      m.proc = proc;
      live.add(proc);
      m.exit = new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
          live.delete(proc);
          resolve({ code, signal });
        }),
      );
      let exited = null;
      m.exit.then((e) => (exited = e));
      const deadline = Date.now() + 60000;
      while (Date.now() < deadline && !exited) {
        try {
          const r = await fetch(`http://127.0.0.1:${m.port}/readyz`, { signal: AbortSignal.timeout(5000) });
          await r.arrayBuffer();
          if (r.status === 200) return m;
        } catch {
          /* not listening yet */
        }
        await sleep(25);
      }
      const tail = () => fs.readFileSync(m.logFile, 'utf8').split('\n').slice(-30).join('\n');
      if (!exited) {
        proc.kill('SIGKILL');
        await m.exit;
        throw new Error(`ywtb node did not become ready on port ${m.port}:\n${tail()}`);
      }
      m.proc = null;
      if (attempt < 3 && /cannot listen/.test(tail())) continue;
      throw new Error(`ywtb node exited (${JSON.stringify(exited)}) before it was ready:\n${tail()}`);
    }
  }

  /**
   * YWTB_TEST_NODES: the first node alone (it makes the key file and runs the
   * migrations), then the others at once, then nginx in front of them all.
   */
  async startNodes() {
    if (this.members.length === 0)
      for (let i = 0; i < this.nodes; i++)
        this.members.push({ port: 0, proc: null, exit: null, logFile: path.join(this.dir, i ? `server-${i + 1}.log` : 'server.log') });
    await this.startMember(this.members[0]);
    await Promise.all(this.members.slice(1).map((m) => this.startMember(m)));
    await this.startNginx();
    this.port = this.nginx.port;
    this.proc = this.members[0].proc;
    this.exit = this.members[0].exit; // srv.proc and srv.exit: the first node (a test that signals one process)
    return this;
  }

  /**
   * nginx, unprivileged, with its prefix, pid, error log and temp dirs in the
   * server's dir: round robin over the nodes (each request to the next one),
   * bodies and answers streamed both ways (uploads, SSE), no body limit of its
   * own (ywtb's JSON 413 is what the tests expect), request lines as long as
   * ywtb reads (OPERATIONS.md's large_client_header_buffers), and the client's
   * X-Forwarded-For passed on as sent (the test client stands for the proxy
   * before it; without one the address is nginx's peer, 127.0.0.1).
   */
  async startNginx() {
    const nd = path.join(this.dir, 'nginx');
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(nd, d), { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const port = attempt === 0 && this.nginx?.port ? this.nginx.port : await freePort();
      const upstream = this.members.map((m) => `server 127.0.0.1:${m.port} max_fails=0;`).join(' ');
      fs.writeFileSync(
        path.join(nd, 'nginx.conf'),
        `daemon off;
master_process off;
worker_processes 1;
pid ${nd}/nginx.pid;
error_log ${nd}/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path ${nd}/body; proxy_temp_path ${nd}/proxy;
    fastcgi_temp_path ${nd}/fastcgi; uwsgi_temp_path ${nd}/uwsgi; scgi_temp_path ${nd}/scgi;
    map $http_x_forwarded_for $yw_xff { "" $remote_addr; default $http_x_forwarded_for; }
    upstream ywtb { ${upstream} keepalive 64; }
    server {
        listen 127.0.0.1:${port};
        client_max_body_size 0;
        large_client_header_buffers 4 32k;
        location / {
            proxy_pass http://ywtb;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $yw_xff;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_next_upstream off;
        }
    }
}
`,
      );
      const proc = spawn(NGINX, ['-p', nd, '-e', path.join(nd, 'error.log'), '-c', path.join(nd, 'nginx.conf')], {
        cwd: nd,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      live.add(proc);
      const exit = new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
          live.delete(proc);
          resolve({ code, signal });
        }),
      );
      proc.on('error', () => {}); // no nginx: reported below through exit
      let exited = null;
      exit.then((e) => (exited = e));
      this.nginx = { port, proc, exit, dir: nd };
      const deadline = Date.now() + 30000;
      while (Date.now() < deadline && !exited) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
          await r.arrayBuffer();
          if (r.status === 200) return;
        } catch {
          /* not listening yet */
        }
        await sleep(25);
      }
      let errlog = '';
      try {
        errlog = fs.readFileSync(path.join(nd, 'error.log'), 'utf8');
      } catch {
        /* none */
      }
      if (!exited) {
        proc.kill('SIGKILL');
        await exit;
        throw new Error(`nginx did not pass /readyz on port ${port}:\n${errlog.slice(-2000)}`);
      }
      if (attempt < 3 && /Address already in use/.test(errlog)) continue;
      throw new Error(`nginx (${NGINX}) exited (${JSON.stringify(exited)}):\n${errlog.slice(-2000)}`);
    }
  }

  async stopNginx() {
    const n = this.nginx;
    if (!n?.proc) return;
    if (n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGTERM');
    const timer = setTimeout(() => n.proc.kill('SIGKILL'), 10000);
    await n.exit;
    clearTimeout(timer);
    n.proc = null;
  }

  /** Every node with `sig` (then SIGKILL after 30 s), then nginx: the first node's { code, signal }. */
  async stopNodes(sig) {
    const all = await Promise.all(
      this.members.map(async (m) => {
        if (!m.proc) return null;
        const p = m.proc;
        if (p.exitCode === null && p.signalCode === null) p.kill(sig);
        const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
        const e = await m.exit;
        clearTimeout(timer);
        m.proc = null;
        return e;
      }),
    );
    await this.stopNginx();
    this.proc = null;
    return all[0];
  }

  logTail(lines = 30) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The server's log (with several nodes, every node's, one after the other). */
  log() {
    const files = this.members.length ? this.members.map((m) => m.logFile) : [this.logFile];
    return files
      .map((f) => {
        try {
          return fs.readFileSync(f, 'utf8');
        } catch {
          return '';
        }
      })
      .join('');
  }

  /** Empty the log (every node's), so that what a later start writes can be read alone. */
  clearLog() {
    for (const f of this.members.length ? this.members.map((m) => m.logFile) : [this.logFile]) fs.writeFileSync(f, '');
  }

  get running() {
    const up = (p) => p != null && p.exitCode === null && p.signalCode === null;
    if (this.members.length) return this.members.every((m) => up(m.proc));
    return up(this.proc);
  }

  /** SIGTERM and wait for the exit: { code, signal } (of the first node when there are several). */
  async stop() {
    if (this.members.length) return this.stopNodes('SIGTERM');
    if (!this.proc) return null;
    const p = this.proc;
    if (this.running) p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
    const e = await this.exit;
    clearTimeout(timer);
    this.proc = null;
    return e;
  }

  /** SIGKILL (kill -9) and wait for the exit. */
  async kill9() {
    if (this.members.length) return this.stopNodes('SIGKILL');
    if (!this.proc) return null;
    const p = this.proc;
    if (this.running) p.kill('SIGKILL');
    const e = await this.exit;
    this.proc = null;
    return e;
  }

  /** Stop (if running) and start again on the same database and, if free, the same port. */
  async restart(opts = {}) {
    if (this.proc || this.members.some((m) => m.proc)) await this.stop();
    if (opts.args) this.opts = { ...this.opts, args: opts.args };
    await this.start();
    return this;
  }

  /** Stop, drop the database, remove the temp dir; throw if a sanitizer reported in the server's log. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    const report = sanitizerExcerpt(this.log());
    this.db.drop();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
    if (report) throw new Error(`sanitizer report in the server log:\n${report}`);
  }

  /**
   * One request with fetch: { status, headers (a Headers), json, text }.
   * opts: body (sent as JSON), raw (string/Buffer/stream sent as is), token (Bearer),
   *       cookie, csrf, headers, contentType.
   */
  async api(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body;
    if (opts.raw !== undefined) {
      body = opts.raw;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
    if (opts.contentType) headers['Content-Type'] = opts.contentType;
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    const init = { method, headers, body, redirect: 'manual' };
    if (body && typeof body.getReader === 'function') init.duplex = 'half';
    let r;
    try {
      r = await fetch(this.base + p, init);
    } catch (e) {
      // A kept-alive connection the server closed after conn_timeout while this
      // process was blocked (a synchronous CLI run of 30 s) is reused before
      // its close is read: "other side closed".  A GET or HEAD is sent again
      // once, on a new connection; a server that is gone fails that too.
      if (!['GET', 'HEAD'].includes(method) || e?.cause?.code !== 'UND_ERR_SOCKET') throw e;
      r = await fetch(this.base + p, init);
    }
    const text = await r.text();
    return parseResponse(r.status, r.headers, text);
  }

  /**
   * One request with node:http, the path sent exactly as given (no URL
   * normalisation, so "/../x" and "/%2e%2e/x" reach the server as written).
   * opts: headers, body (string/Buffer), chunks (array sent with chunked encoding),
   *       expectContinue (send Expect: 100-continue and the body only when asked),
   *       timeout (ms without activity after which the request is abandoned).
   * Returns { status, headers (plain object, lower-case names), json, text }.
   */
  raw(method, p, opts = {}) {
    return new Promise((resolve, reject) => {
      const headers = { ...(opts.headers || {}) };
      if (opts.body !== undefined) headers['Content-Length'] = Buffer.byteLength(opts.body);
      if (opts.chunks) headers['Transfer-Encoding'] = 'chunked';
      if (opts.expectContinue) headers.Expect = '100-continue';
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path: p, headers, agent: false }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          const hs = res.headers;
          resolve(parseResponse(res.statusCode, { ...hs, get: (n) => hs[n.toLowerCase()] }, text));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (opts.timeout) req.setTimeout(opts.timeout, () => req.destroy(new Error(`no answer in ${opts.timeout} ms`)));
      if (opts.body !== undefined && opts.expectContinue) req.on('continue', () => req.end(opts.body));
      else if (opts.body !== undefined) req.end(opts.body);
      else if (opts.chunks) {
        for (const c of opts.chunks) req.write(c);
        req.end();
      } else req.end();
    });
  }

  /** Log in: the whole response ({ status, json, headers, ... }). */
  loginResponse(login, password = DEMO_PASSWORD, opts = {}) {
    return this.api('POST', '/api/v1/auth/login', { ...opts, body: { login, password } });
  }

  /** Log in and return the bearer token (throws unless 200). */
  async login(login, password = DEMO_PASSWORD) {
    const r = await this.loginResponse(login, password);
    if (r.status !== 200) throw new Error(`login ${login} failed: ${r.status} ${r.text}`);
    return r.json.token;
  }

  /** `ywtb verify --audit` on this server's database: { code, stdout, stderr, records }. */
  verifyAudit() {
    const r = cli(['verify', '--audit', '--db', this.url], { cwd: this.dir });
    const m = /audit chain intact: (\d+) records/.exec(r.stdout);
    return { ...r, intact: r.code === 0 && !!m, records: m ? Number(m[1]) : null };
  }

  /** Parse /metrics into a Map of "name{labels}" -> number. */
  async metrics() {
    const r = await this.api('GET', '/metrics');
    const m = new Map();
    for (const line of r.text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const i = line.lastIndexOf(' ');
      m.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return { response: r, values: m };
  }
}

/**
 * A started server. opts: { seed (default true), args (extra serve flags),
 * nodes (1: one process even when YWTB_TEST_NODES asks for more; say why),
 * webRoot, pwhash (false = the default, slow hashing), env,
 * dataDir (--data-dir for seed and serve: catalog/ and calendar/),
 * clock (--clock INSTANT: the test clock and /api/v1/test/clock) }.
 */
export async function startServer(opts = {}) {
  const srv = new Server(opts);
  try {
    if (opts.seed !== false) srv.seed();
    await srv.start();
  } catch (e) {
    await srv.close();
    throw e;
  }
  return srv;
}
