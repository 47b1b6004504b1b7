// catalog_forms.test.js - help with forms (issue 15): every material that is a
// form to fill in has a blank form and a filled-in example (示例样表) as PDF,
// GET /api/v1/items/{code}/materials/{mcode}/form.pdf[?example=1]; public; any
// other material, an unknown item or a bad example flag is a clear 4xx.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './harness.js';

const FILLABLE = /(申请书|申请表|登记表|确认表|申报表|信息表|承诺书|登记表（单位）)$/;

describe('catalog: blank forms and examples', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  async function pdfText(url) {
    const r = await fetch(`${srv.base}${url}`);
    assert.equal(r.status, 200, url);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    const buf = Buffer.from(await r.arrayBuffer());
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    if (spawnSync('pdftotext', ['-v']).error) return null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-form-'));
    try {
      fs.writeFileSync(path.join(dir, 'f.pdf'), buf);
      const out = spawnSync('pdftotext', ['f.pdf', '-'], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      return out.stdout.replace(/\s+/g, '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('企业登记（备案）申请书: a blank form with the item\'s fields, and an example filled in', async () => {
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    const m = item.materials.find((x) => x.name === '企业登记（备案）申请书');
    assert.ok(m);
    const blank = await pdfText(`/api/v1/items/SCJ-01-0001/materials/${m.code}/form.pdf`);
    const example = await pdfText(`/api/v1/items/SCJ-01-0001/materials/${m.code}/form.pdf?example=1`);
    if (blank === null) return; /* no pdftotext: the PDFs were checked as PDFs only */
    assert.match(blank, /企业登记（备案）申请书/);
    for (const f of item.form) assert.ok(blank.includes(f.label.replace(/\s+/g, '')), `the blank form asks ${f.label}`);
    assert.match(blank, /申请人（签字或盖章）/);
    assert.doesNotMatch(blank, /示例样表/);
    assert.match(example, /示例样表（仅供参考）/);
    assert.match(example, /上海市徐汇区漕溪北路336号/, 'an example address');
    assert.match(example, /有限责任公司|有限公司/, 'an example choice');
  });

  test('every item with a form to fill in offers it; other materials, unknown items and bad flags are 4xx', async () => {
    const list = (await srv.api('GET', '/api/v1/items?limit=100')).json.items;
    let forms = 0;
    for (const s of list.slice(0, 40)) {
      const it = (await srv.api('GET', `/api/v1/items/${s.code}`)).json;
      for (const m of it.materials) {
        if (!FILLABLE.test(m.name)) continue;
        forms++;
        const r = await fetch(`${srv.base}/api/v1/items/${s.code}/materials/${m.code}/form.pdf`);
        assert.equal(r.status, 200, `${s.code} ${m.name}`);
        await r.arrayBuffer();
      }
    }
    assert.ok(forms > 5, `forms among the 40 most popular items: ${forms}`);
    const not = await srv.api('GET', '/api/v1/items/SCJ-01-0001/materials/SCJ-01-0001-M02/form.pdf');
    assert.equal(not.status, 404, '公司章程 is not a form to fill in');
    assert.equal((await srv.api('GET', '/api/v1/items/NO-SUCH/materials/X/form.pdf')).status, 404);
    assert.equal((await srv.api('GET', '/api/v1/items/SCJ-01-0001/materials/NO-SUCH/form.pdf')).status, 404);
    const bad = await srv.api('GET', '/api/v1/items/SCJ-01-0001/materials/SCJ-01-0001-M01/form.pdf?example=2');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.field, 'example');
  });
});
