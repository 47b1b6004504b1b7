// files_stream.test.js - uploads are streamed (src/http/multipart.c): the
// part `file` goes through libmicrohttpd's post processor into a temporary
// file and an incremental SHA-256 while it arrives, so the server does not
// hold a whole upload in memory.
//
// - The upload limit applies to the file's bytes, not to the multipart body
//   around it: a file of exactly upload_limit bytes is accepted, one byte more
//   is 413.
// - 16 concurrent 8 MiB uploads (128 MiB together) raise the server's peak
//   resident memory (VmHWM of /proc/PID/status) by less than half of that
//   sum.  A server that buffered each body whole grows by about the sum.  No
//   timing is asserted: only memory, read after every upload was answered.
//   Only the server process is measured (PostgreSQL runs in its own).  Every
//   temporary file is closed when its request ends.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { startServer } from './harness.js';
import { pdfOfSize } from './file_fixtures.js';

const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(birth, seq) {
  const body = `310104${birth}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * ID_W[i];
  return body + '10X98765432'[s % 11];
}

const MiB = 1024 * 1024;
const LIMIT = 20 * MiB; /* upload_limit's default */
const BOUNDARY = '----ywtbStreamTestBoundary';
const MP = `multipart/form-data; boundary=${BOUNDARY}`;
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/* pdfOfSize(size, tag): a real PDF (uploads are checked for their structure)
 * of exactly `size` bytes, distinct per tag (so nothing is deduplicated). */

function multipart(data, filename = 'big.pdf') {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/* How many open files of a process are unlinked (the uploads' temporary files). */
function unlinkedFiles(pid) {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith('(deleted)')) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

/* Peak resident set size of a process in bytes (Linux). */
function peakRss(pid) {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmHWM in /proc/PID/status');
  return Number(m[1]) * 1024;
}

describe('streamed uploads', () => {
  let srv, token;
  before(async () => {
    // AddressSanitizer builds keep freed memory in a quarantine (256 MiB by
    // default), which would count every upload's transient copies: keep it small.
    const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=1'].filter(Boolean).join(':');
    srv = await startServer({ env: { ASAN_OPTIONS: asan } });
    const id_number = idNumber('19900101', 303);
    const password = 'Stream@2026';
    const r = await srv.api('POST', '/api/v1/auth/register', {
      body: { kind: 'person', id_number, name: '周小流', phone: '13800003003', password },
    });
    assert.equal(r.status, 201, r.text);
    token = await srv.login(id_number, password);
  });
  after(() => srv?.close());

  const upload = (data, filename) => srv.api('POST', '/api/v1/files', { raw: multipart(data, filename), token, contentType: MP });

  test('a file of exactly upload_limit bytes is accepted; one byte more is 413', async () => {
    const exact = pdfOfSize(LIMIT, 'exactly the limit');
    let r = await upload(exact, 'exact.pdf');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.size, LIMIT);
    assert.equal(r.json.sha256, sha256(exact));
    const c = await fetch(`${srv.base}/api/v1/files/${r.json.file_id}/content`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(c.status, 200);
    assert.equal(sha256(Buffer.from(await c.arrayBuffer())), sha256(exact));

    r = await upload(pdfOfSize(LIMIT + 1, 'one byte more'), 'over.pdf');
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json?.error?.code, 'payload_too_large', r.text);
    // announced far beyond the limit: refused at once
    const body = multipart(pdfOfSize(LIMIT + MiB, 'far over'));
    r = await srv.raw('POST', '/api/v1/files', {
      body, headers: { Authorization: `Bearer ${token}`, 'Content-Type': MP }, expectContinue: true,
    });
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json?.error?.code, 'payload_too_large', r.text);
  });

  test('16 concurrent 8 MiB uploads raise peak memory by less than half their sum', { skip: fs.existsSync('/proc/self/status') ? false : 'no /proc' }, async (t) => {
    const N = 16;
    const SIZE = 8 * MiB;
    // warm up both workers (database connections, statement caches, allocator arenas)
    const warm = await Promise.all([0, 1].map((i) => upload(pdfOfSize(SIZE, `warm-up ${i}`), `warm${i}.pdf`)));
    for (const r of warm) assert.equal(r.status, 201, r.text);
    const pid = srv.proc.pid;
    const before = peakRss(pid);
    const files = Array.from({ length: N }, (_, i) => pdfOfSize(SIZE, `concurrent ${i} ${Math.random()}`));
    const answers = await Promise.all(files.map((f, i) => upload(f, `c${i}.pdf`)));
    answers.forEach((r, i) => {
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.size, SIZE);
      assert.equal(r.json.sha256, sha256(files[i]));
    });
    const grew = peakRss(pid) - before;
    assert.equal(unlinkedFiles(pid), 0, 'every temporary file was closed with its request');
    const sum = N * SIZE;
    t.diagnostic(`peak RSS grew by ${(grew / MiB).toFixed(1)} MiB for ${N} concurrent uploads of ${SIZE / MiB} MiB`);
    assert.ok(grew < sum / 2, `peak RSS grew by ${(grew / MiB).toFixed(1)} MiB for ${N} uploads of ${SIZE / MiB} MiB (${sum / MiB} MiB)`);
  });
});
