// qr.test.js - the QR code on the license page is drawn by the server
// (GET /api/v1/licenses/{id}/qr.svg, libqrencode, src/pdf/marks.c): for check
// addresses of several lengths (the request's Host, as for the print) the
// SVG's modules are, module for module, libqrencode's symbol of exactly
// <base>/verify.html?id=<id> - the same encoding the print's QR code uses
// (level M, 8-bit mode, the smallest version that fits).  A small C program
// prints libqrencode's symbol; without a C compiler or libqrencode's header
// the test is skipped.  No browser: it talks to `YWTB_BIN serve` directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../api/harness.js';
import { readQrSvg, assertFinderPatterns } from '../api/qr_svg.js';

const DUMP_C = `#include <qrencode.h>
#include <stdio.h>
int main(int argc, char **argv) {
    if (argc != 2) return 2;
    QRcode *q = QRcode_encodeString(argv[1], 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return 1;
    for (int y = 0; y < q->width; y++) {
        for (int x = 0; x < q->width; x++) putchar(q->data[y * q->width + x] & 1 ? '1' : '0');
        putchar('\\n');
    }
    QRcode_free(q);
    return 0;
}
`;

function buildDump() {
  if (!fs.existsSync('/usr/include/qrencode.h')) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-qr-'));
  fs.writeFileSync(path.join(dir, 'dump.c'), DUMP_C);
  const r = spawnSync(process.env.CC || 'cc', ['-o', path.join(dir, 'dump'), path.join(dir, 'dump.c'), '-lqrencode'], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { bin: path.join(dir, 'dump'), dir };
}

const COMPANY = '91310104MA1FL8XQ10'; /* the demo company (ywtb seed --demo) */
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const HOSTS = [
  '127.0.0.1:8080',
  'ywtb.xuhui.gov.cn',
  'zwdt.sh.gov.cn:443',
  `${'service-'.repeat(5)}ywtb.xuhui.gov.cn`,
  `${'long-'.repeat(16)}ywtb.xuhui.gov.cn`, /* 97 characters: the longest Host taken */
];

const dump = buildDump();
let srv, token, lic;

before(async () => {
  if (!dump) return;
  srv = await startServer();
  token = await srv.login(COMPANY);
  const r = await srv.api('POST', '/api/v1/licenses', {
    token: await srv.login('reviewer'),
    body: { type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME, fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明' } },
  });
  assert.equal(r.status, 201, r.text);
  lic = r.json.id;
});

after(async () => {
  await srv?.close();
  if (dump) fs.rmSync(dump.dir, { recursive: true, force: true });
});

test('the license QR code is libqrencode\'s symbol of the check address, module for module', { skip: dump ? false : 'no C compiler or libqrencode header' }, async (t) => {
  const sizes = new Set();
  for (const host of HOSTS) {
    const r = await srv.raw('GET', `/api/v1/licenses/${lic}/qr.svg`, { headers: { Authorization: `Bearer ${token}`, Host: host } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'image/svg+xml');
    const { modules, matrix } = readQrSvg(r.text);
    assertFinderPatterns(matrix);
    const url = `http://${host}/verify.html?id=${lic}`;
    const ref = execFileSync(dump.bin, [url]).toString().trim();
    assert.equal(matrix.map((row) => row.join('')).join('\n'), ref, `${url}: ${modules} modules`);
    sizes.add(modules);
  }
  t.diagnostic(`symbols of ${[...sizes].join(', ')} modules`);
  assert.ok(sizes.size >= 3, `several versions covered: ${[...sizes]}`);
});
