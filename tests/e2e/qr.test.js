// qr.test.js - web/assets/qr.js, the wallet's own QR encoder, against
// libqrencode (the library the server draws the QR codes of its PDFs with):
// for check addresses and other texts of versions 1 to 15, every one of the
// eight masks gives the same symbol module for module.  A small C program
// prints libqrencode's symbol for a forced version and mask; without a C
// compiler or libqrencode's header the test is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { qrMatrix } from '../../web/assets/qr.js';

const DUMP_C = `#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);
int main(int argc, char **argv) {
    if (argc != 4) return 2;
    QRinput *in = QRinput_new2(atoi(argv[1]), QR_ECLEVEL_M);
    if (!in || QRinput_append(in, QR_MODE_8, (int)strlen(argv[3]), (const unsigned char *)argv[3]) != 0) return 1;
    QRcode *q = QRcode_encodeMask(in, atoi(argv[2]));
    if (!q) return 1;
    for (int y = 0; y < q->width; y++) {
        for (int x = 0; x < q->width; x++) putchar(q->data[y * q->width + x] & 1 ? '1' : '0');
        putchar('\\n');
    }
    QRcode_free(q);
    QRinput_free(in);
    return 0;
}
`;

function buildDump() {
  if (!fs.existsSync('/usr/include/qrencode.h')) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-qr-'));
  fs.writeFileSync(path.join(dir, 'dump.c'), DUMP_C);
  const r = spawnSync(process.env.CC || 'cc', ['-o', path.join(dir, 'dump'), path.join(dir, 'dump.c'), '-lqrencode'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return { bin: path.join(dir, 'dump'), dir };
}

const ID = '1.2.156.3005.2.113101044259256669001.113101044259256669.2026000001.001.G';
const TEXTS = [
  'ywtb',
  `http://127.0.0.1:8080/verify.html?id=${ID}`,
  `https://ywtb.xuhui.gov.cn/verify.html?id=${ID}`,
  `https://ywtb.xuhui.gov.cn/verify.html?grant=ZT8PJ2RMLP`,
  '徐汇区一网通办 电子证照核验',
  'A'.repeat(40),
  'y'.repeat(200), /* version 10: 16-bit character count */
  'z'.repeat(350), /* version 14: remainder bits */
  'w'.repeat(400), /* version 15 */
];

const dump = buildDump();

test('qr.js draws the same symbols as libqrencode for every mask', { skip: dump ? false : 'no C compiler or libqrencode header' }, () => {
  try {
    const versions = new Set();
    for (const text of TEXTS) {
      const size = qrMatrix(text, { mask: 0 }).length;
      const version = (size - 17) / 4;
      versions.add(version);
      for (let mask = 0; mask < 8; mask++) {
        const mine = qrMatrix(text, { mask }).map((row) => row.map((d) => (d ? '1' : '0')).join('')).join('\n');
        const ref = execFileSync(dump.bin, [String(version), String(mask), text]).toString().trim();
        assert.equal(mine, ref, `${JSON.stringify(text.slice(0, 30))}: version ${version}, mask ${mask}`);
      }
    }
    assert.ok(versions.has(7) && versions.has(10) && versions.has(15), `versions covered: ${[...versions]}`);
  } finally {
    fs.rmSync(dump.dir, { recursive: true, force: true });
  }
});

test('qr.js picks one of the eight masks, and refuses what does not fit version 15-M', () => {
  const text = `http://127.0.0.1:8080/verify.html?id=${ID}`;
  const best = qrMatrix(text).map((r) => r.join()).join();
  const all = Array.from({ length: 8 }, (_, mask) => qrMatrix(text, { mask }).map((r) => r.join()).join());
  assert.ok(all.includes(best));
  assert.throws(() => qrMatrix('x'.repeat(500)), RangeError);
});
