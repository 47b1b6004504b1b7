// files.test.js - uploads of application materials: recognised by content
// (PDF, JPEG, PNG, OFD), stored once per SHA-256, owned by the uploader,
// refused when executable (415), too large (413), not multipart (415) or
// without the `file` part (422).  Files that only start like a PDF, image or
// OFD: files_check.test.js; who may read an upload: files_access.test.js.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer } from './harness.js';
import { pdf, jpeg, png, zip, ofd } from './file_fixtures.js';

/* ---- identifiers (GB 11643 ID numbers) ---- */
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(birth, seq) {
  const body = `310104${birth}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * ID_W[i];
  return body + '10X98765432'[s % 11];
}

async function registerPerson(srv, id_number, name, phone) {
  const password = 'Upload@2026';
  const r = await srv.api('POST', '/api/v1/auth/register', { body: { kind: 'person', id_number, name, phone, password } });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.account.id, token: await srv.login(id_number, password) };
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

const BOUNDARY = '----ywtbFilesTestBoundary7MA4YWxkTrZu0gW';
function multipart(parts) {
  const bufs = [];
  for (const p of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += `\r\nContent-Type: ${p.type || 'application/octet-stream'}\r\n\r\n`;
    bufs.push(Buffer.from(head), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  bufs.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(bufs);
}
const MP = `multipart/form-data; boundary=${BOUNDARY}`;

function upload(srv, token, data, filename = 'material.pdf', type = 'application/pdf') {
  return srv.api('POST', '/api/v1/files', { raw: multipart([{ name: 'file', filename, type, data }]), token, contentType: MP });
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

describe('files', () => {
  let srv, alice, bob, clerk;
  before(async () => {
    srv = await startServer();
    alice = await registerPerson(srv, idNumber('19880312', 101), '林小文', '13800001001');
    bob = await registerPerson(srv, idNumber('19910705', 202), '陈大明', '13800001002');
    clerk = await srv.login('clerk');
  });
  after(() => srv?.close());

  for (const [kind, make, mime, filename] of [
    ['PDF', () => pdf('alone'), 'application/pdf', '营业执照.pdf'],
    ['JPEG', jpeg, 'image/jpeg', 'photo.jpg'],
    ['PNG', png, 'image/png', 'scan.png'],
    ['OFD', ofd, 'application/ofd', '电子证照.ofd'],
  ]) {
    test(`a ${kind} is recognised by its content and stored under its SHA-256`, async () => {
      const data = make();
      const r = await upload(srv, alice.token, data, filename, 'application/octet-stream');
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.mime, mime);
      assert.equal(r.json.size, data.length);
      assert.equal(r.json.sha256, sha256(data));
      assert.equal(r.json.filename, filename);
      assert.equal(r.json.deduplicated, false);
      assert.match(r.json.file_id, /^[A-Za-z0-9_-]{20,}$/);
      const m = await srv.api('GET', `/api/v1/files/${r.json.file_id}`, { token: alice.token });
      assert.equal(m.status, 200, m.text);
      assert.deepEqual(m.json, { file_id: r.json.file_id, sha256: sha256(data), size: data.length, mime, filename });
      const c = await fetch(`${srv.base}/api/v1/files/${r.json.file_id}/content`, { headers: { Authorization: `Bearer ${alice.token}` } });
      assert.equal(c.status, 200);
      assert.equal(c.headers.get('content-type'), mime);
      assert.deepEqual(Buffer.from(await c.arrayBuffer()), data);
    });
  }

  test('the claimed name and type do not matter: a PNG named .pdf is a PNG', async () => {
    const data = Buffer.concat([png(), Buffer.from('name-does-not-matter')]);
    const r = await upload(srv, alice.token, data, 'contract.pdf', 'application/pdf');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.mime, 'image/png');
  });

  test('the same bytes twice: same sha256, deduplicated, two upload ids', async () => {
    const data = pdf('dedup');
    const a = await upload(srv, alice.token, data);
    const b = await upload(srv, bob.token, data, 'again.pdf');
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201, b.text);
    assert.equal(a.json.deduplicated, false);
    assert.equal(b.json.deduplicated, true);
    assert.equal(a.json.sha256, b.json.sha256);
    assert.equal(a.json.sha256, sha256(data));
    assert.notEqual(a.json.file_id, b.json.file_id);
    assert.equal(b.json.filename, 'again.pdf');
    const other = await upload(srv, alice.token, pdf('dedup-other'));
    assert.equal(other.json.deduplicated, false);
    assert.notEqual(other.json.sha256, a.json.sha256);
  });

  test('an ELF or MZ executable named .pdf is 415 and stores nothing', async () => {
    const before = srv.verifyAudit();
    assert.ok(before.intact, before.stdout + before.stderr);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58, 0x90), Buffer.from([0x80, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(64, 0)]);
    for (const data of [elf, mz]) {
      const r = await upload(srv, alice.token, data, 'invoice.pdf', 'application/pdf');
      assertError(r, 415, 'unsupported_media', 'file');
    }
    // a ZIP that is not an OFD package is not an OFD either
    const r = await upload(srv, alice.token, zip([['word/document.xml', '<w/>']]), 'x.ofd', 'application/ofd');
    assertError(r, 415, 'unsupported_media', 'file');
    const after = srv.verifyAudit();
    assert.equal(after.records, before.records, 'a refused upload writes no audit record');
  });

  test('more than 20 MiB is 413, announced or streamed; just under it is fine', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024 + 16, 0x20)]);
    const body = multipart([{ name: 'file', filename: 'big.pdf', type: 'application/pdf', data: big }]);
    const headers = { Authorization: `Bearer ${alice.token}`, 'Content-Type': MP };
    // announced by Content-Length: refused before the body is sent
    let r = await srv.raw('POST', '/api/v1/files', { body, headers, expectContinue: true });
    assertError(r, 413, 'payload_too_large');
    // not announced (chunked): refused while reading
    const chunks = [];
    for (let i = 0; i < body.length; i += 1 << 20) chunks.push(body.subarray(i, i + (1 << 20)));
    r = await srv.raw('POST', '/api/v1/files', { chunks, headers });
    assertError(r, 413, 'payload_too_large');
    // 19 MiB passes (a real PDF: uploads are checked for their structure)
    const ok = pdf('big-but-fine', 19 * 1024 * 1024);
    r = await upload(srv, alice.token, ok, 'big-but-fine.pdf');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.size, ok.length);
    assert.equal(r.json.sha256, sha256(ok));
  });

  test('a body that is not multipart is 415; multipart without a `file` part is 422', async () => {
    let r = await srv.api('POST', '/api/v1/files', { raw: pdf('raw'), token: alice.token, contentType: 'application/pdf' });
    assertError(r, 415, 'unsupported_media', 'file');
    r = await srv.api('POST', '/api/v1/files', { body: { file: 'JVBERi0xLjQK' }, token: alice.token });
    assertError(r, 415, 'unsupported_media', 'file');
    r = await srv.api('POST', '/api/v1/files', {
      raw: multipart([{ name: 'document', filename: 'a.pdf', type: 'application/pdf', data: pdf('wrong-part') }]),
      token: alice.token,
      contentType: MP,
    });
    assertError(r, 422, 'missing_field', 'file');
    r = await upload(srv, alice.token, Buffer.alloc(0), 'empty.pdf');
    assertError(r, 422, 'invalid_field', 'file');
  });

  test('uploading needs a login', async () => {
    const r = await srv.api('POST', '/api/v1/files', { raw: multipart([{ name: 'file', filename: 'a.pdf', data: pdf('anon') }]), contentType: MP });
    assertError(r, 401, 'unauthenticated');
  });

  test("another applicant's file id is 404 (metadata and content), to staff too while it is in no case", async () => {
    const up = await upload(srv, alice.token, pdf('private'), '身份证.pdf');
    assert.equal(up.status, 201, up.text);
    const id = up.json.file_id;
    for (const p of [`/api/v1/files/${id}`, `/api/v1/files/${id}/content`]) {
      const r = await srv.api('GET', p, { token: bob.token });
      assertError(r, 404, 'not_found');
      // the window sees every case, but this upload belongs to none
      // (files_access.test.js: who sees a case's materials)
      assertError(await srv.api('GET', p, { token: clerk }), 404, 'not_found');
    }
    const none = await srv.api('GET', '/api/v1/files/no-such-upload-id', { token: alice.token });
    assertError(none, 404, 'not_found');
    const anon = await srv.api('GET', `/api/v1/files/${id}`);
    assertError(anon, 401, 'unauthenticated');
    const m = await srv.api('GET', `/api/v1/files/${id}`, { token: alice.token });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.file_id, id);
    assert.equal(m.json.sha256, up.json.sha256);
    assert.equal(m.json.mime, 'application/pdf');
    assert.equal(m.json.filename, '身份证.pdf');
    const c = await srv.api('GET', `/api/v1/files/${id}/content`, { token: alice.token });
    assert.equal(c.status, 200);
    assert.equal(c.text, pdf('private').toString());
  });

  test('a path in the file name is dropped', async () => {
    const r = await upload(srv, alice.token, pdf('path'), '../../etc/passwd.pdf');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.filename, 'passwd.pdf');
  });
});
