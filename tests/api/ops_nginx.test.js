// ops_nginx.test.js - ywtb behind nginx as docs/OPERATIONS.md sets it up
// (issue 21 item 3): a body over the limit gets ywtb's JSON 413 through the
// proxy, not nginx's "502 Bad Gateway" (ywtb used to answer from the
// Content-Length and close while nginx was still sending the body), and the
// upload limit is the file's: a file of exactly upload_limit bytes passes.
// Runs nginx itself (Debian's nginx-light, scripts/deps.sh) in a temp dir.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, freePort, tempDir, ENGINE } from './harness.js';
import { pdfOfSize } from './file_fixtures.js';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));
const KiB = 1024;
const MiB = 1024 * KiB;
const LIMIT = MiB; /* --upload-limit for this server: small files, same code */
const BOUNDARY = '----ywtbNginxTestBoundary';
const MP = `multipart/form-data; boundary=${BOUNDARY}`;

function multipart(data) {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(birth, seq) {
  const body = `310104${birth}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * ID_W[i];
  return body + '10X98765432'[s % 11];
}

/** nginx in front of `port`, configured like OPERATIONS.md's (without TLS). */
async function startNginx(dir, port, maxBody) {
  const nport = await freePort();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    upstream ywtb { server 127.0.0.1:${port}; keepalive 8; }
    server {
        listen 127.0.0.1:${nport};
        client_max_body_size ${maxBody};
        location / {
            proxy_pass http://ywtb;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const base = `http://127.0.0.1:${nport}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    try {
      await fetch(`${base}/healthz`);
      return { proc, base };
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  proc.kill('SIGKILL');
  throw new Error(`nginx did not start: ${err}`);
}

describe(`behind nginx (${ENGINE})`, { skip: !NGINX && 'nginx is not installed (scripts/deps.sh installs nginx-light)' }, () => {
  let srv, nginx, dir, token;
  before(async () => {
    dir = tempDir('ywtb-nginx-');
    srv = await startServer({ args: ['--upload-limit', String(LIMIT), '--trust-proxy', 'true'] });
    nginx = await startNginx(dir, srv.port, '3m');
    const id_number = idNumber('19900101', 321);
    const password = 'Nginx@2026';
    const r = await srv.api('POST', '/api/v1/auth/register', {
      body: { kind: 'person', id_number, name: '倪金克', phone: '13800003021', password },
    });
    assert.equal(r.status, 201, r.text);
    token = await srv.login(id_number, password);
  });
  after(async () => {
    if (nginx) {
      nginx.proc.kill('SIGTERM');
      if (nginx.proc.exitCode === null) await once(nginx.proc, 'exit');
    }
    await srv?.close();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function post(p, body, contentType) {
    const r = await fetch(nginx.base + p, { method: 'POST', body, headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType } });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, type: r.headers.get('content-type'), text, json };
  }

  function assertJson413(r, what) {
    assert.equal(r.status, 413, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.match(r.type, /^application\/json/, what);
    assert.equal(r.json?.error?.code, 'payload_too_large', what);
  }

  test('a file of exactly upload_limit bytes passes through nginx', async () => {
    const r = await post('/api/v1/files', multipart(pdfOfSize(LIMIT, 'through nginx')), MP);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.size, LIMIT);
  });

  test('one byte over: the JSON 413 reaches the client', async () => {
    assertJson413(await post('/api/v1/files', multipart(pdfOfSize(LIMIT + 1, 'one over')), MP), 'file one byte over');
  });

  test('a body announced well over the limit: the JSON 413, not nginx\'s 502', async () => {
    assertJson413(await post('/api/v1/files', multipart(pdfOfSize(LIMIT + 512 * KiB, 'far over')), MP), 'upload 1.5 MiB');
    const json = Buffer.from(JSON.stringify({ login: 'x', password: 'y'.repeat(2 * MiB) }));
    assertJson413(await post('/api/v1/auth/login', json, 'application/json'), 'JSON body of 2 MiB');
    // and nginx keeps using the upstream: the next request is fine
    const ok = await fetch(`${nginx.base}/readyz`);
    assert.equal(ok.status, 200);
  });

  test('ywtb answered no 5xx', async () => {
    const { values } = await srv.metrics();
    const fives = [...values].filter(([k, v]) => /^ywtb_http_requests_total\{.*status="5/.test(k) && v > 0);
    assert.deepEqual(fives, []);
  });
});
