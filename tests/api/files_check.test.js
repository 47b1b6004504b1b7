// files_check.test.js - an upload is what its structure is, not what its first
// bytes say (issue 16, item 7).
//
// The magic bytes only name a type (415 when they name none we take); the
// file must then be that type: a PDF must parse (qpdf --check, in a child
// process), a PNG or JPEG must decode within its size limits, an OFD must be
// a ZIP whose central directory is within limits and holds OFD.xml.  Anything
// else is 422 invalid_file, field `file`, saying what failed - and stores
// nothing.  Every fixture is made here (file_fixtures.js).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureServer, registerPerson, assertError } from './case_fixtures.js';
import { tempDir } from './harness.js';
import { pdf, png, jpeg, zip, ofd, OFD_XML } from './file_fixtures.js';

const BOUNDARY = '----ywtbFilesCheckBoundary';
function upload(srv, token, data, filename = 'material.bin', type = 'application/octet-stream') {
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  return srv.api('POST', '/api/v1/files', { raw: body, token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
}

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56, 0), Buffer.from('/lib64/ld-linux-x86-64.so.2\0'), Buffer.alloc(200, 0x90)]);

describe('files: the structure of an upload is checked, not its magic', () => {
  let srv, alice, dir;
  const refused = async (data, name, re) => {
    const r = await upload(srv, alice.token, data, name);
    assertError(r, 422, 'invalid_file', 'file');
    if (re) assert.match(r.json.error.message, re, `${name}: ${r.json.error.message}`);
    return r;
  };
  const accepted = async (data, name, mime) => {
    const r = await upload(srv, alice.token, data, name);
    assert.equal(r.status, 201, `${name}: ${r.text}`);
    assert.equal(r.json.mime, mime, name);
    assert.equal(r.json.size, data.length, name);
    return r;
  };

  before(async () => {
    srv = await fixtureServer();
    alice = await registerPerson(srv, '林小文', '19880312', 101);
    dir = tempDir('ywtb-files-check-');
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('PDF', () => {
    test('a real PDF is accepted: a minimal one, and a notice the server printed itself', async () => {
      await accepted(pdf('minimal'), 'minimal.pdf', 'application/pdf');
      const c = await srv.api('POST', '/api/v1/cases', { token: alice.token, body: { item_code: 'T-SWJ-D1' } });
      assert.equal(c.status, 201, c.text);
      const receipt = await fetch(`${srv.base}/api/v1/cases/${c.json.case_no}/receipt.pdf`, { headers: { Authorization: `Bearer ${alice.token}` } });
      assert.equal(receipt.status, 200);
      const bytes = Buffer.from(await receipt.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      await accepted(bytes, '受理回执.pdf', 'application/pdf');
    });

    test('a PDF whose cross-reference table is off is repaired by readers, and accepted', async () => {
      const good = pdf('xref-off').toString('latin1');
      const at = good.lastIndexOf('startxref\n') + 'startxref\n'.length;
      const off = Number(good.slice(at, good.indexOf('\n', at)));
      const bad = good.slice(0, at) + String(off - 7) + good.slice(good.indexOf('\n', at));
      await accepted(Buffer.from(bad, 'latin1'), 'scanner.pdf', 'application/pdf');
    });

    test('an ELF behind %PDF- is 422', async () => {
      await refused(Buffer.concat([Buffer.from('%PDF-'), ELF]), 'invoice.pdf', /PDF does not parse/);
      await refused(Buffer.concat([Buffer.from('%PDF-1.7\n'), ELF]), 'invoice.pdf', /PDF does not parse/);
    });

    test('an HTML page behind %PDF- is 422', async () => {
      const html = '%PDF-1.4\n<!doctype html><html><body><script>fetch("/api/v1/me").then(r=>r.text()).then(alert)</script></body></html>\n';
      await refused(Buffer.from(html), 'statement.pdf', /PDF does not parse/);
    });

    test('a truncated PDF and %PDF- with nothing behind it are 422', async () => {
      const whole = pdf('truncated');
      await refused(whole.subarray(0, Math.floor(whole.length / 2)), 'half.pdf', /PDF/);
      await refused(Buffer.from('%PDF-1.7\n%%EOF\n'), 'empty.pdf', /PDF/);
    });

    test('a PDF that needs a password to open is 422, and says so', async () => {
      const plain = path.join(dir, 'plain.pdf');
      const locked = path.join(dir, 'locked.pdf');
      fs.writeFileSync(plain, pdf('locked'));
      execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, locked]);
      await refused(fs.readFileSync(locked), 'locked.pdf', /password/);
    });
  });

  describe('images', () => {
    test('real PNGs and JPEGs are accepted', async () => {
      await accepted(png(1, 1), 'dot.png', 'image/png');
      await accepted(png(64, 48, { noise: true }), 'scan.png', 'image/png');
      await accepted(jpeg(16, 16), 'photo.jpg', 'image/jpeg');
      await accepted(jpeg(640, 480), 'photo-vga.jpg', 'image/jpeg');
    });

    test('a truncated PNG is 422', async () => {
      const whole = png(64, 64, { noise: true });
      await refused(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut.png', /PNG does not decode/);
      // the header and nothing else
      await refused(whole.subarray(0, 33), 'header-only.png', /PNG does not decode/);
    });

    test('a PNG claiming 100000x100000 pixels is 422 before anything is decoded', async () => {
      await refused(png(4, 4, { claim: [100000, 100000] }), 'huge.png', /100000x100000 pixels/);
      await refused(png(4, 4, { claim: [40000, 10] }), 'wide.png', /40000x10 pixels/);
    });

    test('a truncated or oversized JPEG is 422', async () => {
      const whole = jpeg(256, 256);
      await refused(whole.subarray(0, whole.length - 512), 'cut.jpg', /JPEG/);
      await refused(jpeg(16, 16, { claim: [60000, 60000] }), 'huge.jpg', /60000x60000 pixels/);
      // JPEG markers and then an executable
      await refused(Buffer.concat([jpeg(16, 16).subarray(0, 20), ELF]), 'photo.jpg', /JPEG/);
    });
  });

  describe('OFD', () => {
    test('a real OFD package is accepted, stored or deflated', async () => {
      await accepted(ofd(), 'license.ofd', 'application/ofd');
      await accepted(ofd({ deflate: true }), 'license-deflated.ofd', 'application/ofd');
    });

    test('a ZIP bomb with an OFD.xml is 422 from its central directory: nothing is inflated', async () => {
      const bomb = zip([
        ['OFD.xml', OFD_XML, { deflate: true }],
        ['Doc_0/Res/huge.xml', Buffer.alloc(64 * 1024 * 1024, 0x20), { deflate: true }],
      ]);
      assert.ok(bomb.length < 200 * 1024, `the bomb is small: ${bomb.length} bytes`);
      await refused(bomb, 'bomb.ofd', /expands \d+ times/);
    });

    test('a ZIP whose headers lie about the size is 422 once it inflates past it', async () => {
      const liar = zip([
        ['OFD.xml', OFD_XML],
        ['Doc_0/Document.xml', Buffer.alloc(4 * 1024 * 1024, 0x41), { deflate: true, claimSize: 1000 }],
      ]);
      await refused(liar, 'liar.ofd', /holds more than the 1000 bytes/);
    });

    test('too many entries, a path out of the package, a broken OFD.xml: 422', async () => {
      const many = [['OFD.xml', OFD_XML]];
      for (let i = 0; i < 10001; i++) many.push([`Doc_0/P${i}`, '']);
      await refused(zip(many), 'many.ofd', /10002 entries/);
      await refused(zip([['OFD.xml', OFD_XML], ['../../etc/cron.d/x', '* * * * * root sh']]), 'escape.ofd', /outside the package/);
      await refused(zip([['OFD.xml', '<html><body>not an OFD</body></html>']]), 'html.ofd', /root element is 'html'/);
      await refused(zip([['OFD.xml', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)])]]), 'mz.ofd', /not XML/);
    });

    test('a ZIP whose central directory is cut off is 422', async () => {
      const whole = ofd();
      await refused(whole.subarray(0, whole.length - 30), 'cut.ofd', /not a valid ZIP/);
    });
  });

  test('a refused upload stores nothing and writes no audit record', async () => {
    const before = srv.verifyAudit();
    assert.ok(before.intact, before.stdout + before.stderr);
    await refused(Buffer.concat([Buffer.from('%PDF-'), ELF]), 'x.pdf');
    await refused(png(4, 4, { claim: [100000, 100000] }), 'x.png');
    const after = srv.verifyAudit();
    assert.equal(after.records, before.records);
  });
});
