// license_labels.test.js - every field of every e-license type carries an
// English label (label_en) next to its Chinese one, in the type list and in
// each type's own entry, so the portal in English can label a license's
// fields; a license's fields are all described by its type; and the catalog
// seed refuses a type whose field has no label_en.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, createDatabase, tempDir, REPO, CHEAP_PWHASH } from './harness.js';

/* CJK ideographs, CJK punctuation and full-width forms (（）, ：). */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';

function checkFields(where, fields, problems) {
  assert.ok(Array.isArray(fields) && fields.length > 0, `${where}: no fields`);
  for (const f of fields) {
    const at = `${where}.${f.key}`;
    if (typeof f.key !== 'string' || !f.key) problems.push(`${at}: no key`);
    if (typeof f.label !== 'string' || !f.label.trim()) problems.push(`${at}: no label`);
    if (typeof f.label_en !== 'string' || !f.label_en.trim()) problems.push(`${at}: no label_en`);
    else if (CJK.test(f.label_en)) problems.push(`${at}: label_en has Chinese: ${f.label_en}`);
    else if (f.label_en !== f.label_en.trim()) problems.push(`${at}: label_en has outer spaces`);
  }
}

describe('e-license field labels in English', () => {
  let srv, types;
  before(async () => {
    srv = await startServer();
    const r = await srv.api('GET', '/api/v1/license-types');
    assert.equal(r.status, 200, r.text);
    types = r.json.items;
  });
  after(() => srv?.close());

  test('the type list: all 78 types, every field with a label and an English label_en', () => {
    assert.equal(types.length, 78);
    const problems = [];
    for (const t of types) checkFields(t.code, t.fields, problems);
    assert.deepEqual(problems, []);
    const lt001 = types.find((t) => t.code === 'LT-001');
    const byKey = Object.fromEntries(lt001.fields.map((f) => [f.key, f]));
    assert.equal(byKey.uscc.label, '统一社会信用代码');
    assert.equal(byKey.uscc.label_en, 'Unified Social Credit Code');
    assert.equal(byKey.legal_rep.label_en, 'Legal Representative');
    assert.equal(byKey.registered_capital.label_en, 'Registered Capital (10,000 CNY)');
  });

  test('each type\'s own entry carries the same fields, label_en included', async () => {
    const problems = [];
    for (const t of types) {
      const r = await srv.api('GET', `/api/v1/license-types/${t.code}`);
      assert.equal(r.status, 200, r.text);
      checkFields(`${t.code} (entry)`, r.json.fields, problems);
      assert.deepEqual(r.json.fields, t.fields, t.code);
    }
    assert.deepEqual(problems, []);
  });

  test('a license shown to its holder has only fields its type labels in both languages', async () => {
    const reviewer = await srv.login('reviewer'); /* XH-SCJ, which issues the 营业执照 */
    const fields = { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '王五', registered_capital: '100', address: '上海市徐汇区漕溪北路336号', established: '2019-03-01' };
    let r = await srv.api('POST', '/api/v1/licenses', { token: reviewer, body: { type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME, fields } });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    const company = await srv.login(COMPANY);
    r = await srv.api('GET', `/api/v1/licenses/${encodeURIComponent(id)}`, { token: company });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.type, 'LT-001');
    const spec = types.find((t) => t.code === r.json.type).fields;
    for (const k of Object.keys(r.json.fields)) {
      const f = spec.find((x) => x.key === k);
      assert.ok(f, `field ${k} is not described by the type`);
      assert.ok(f.label && f.label_en && !CJK.test(f.label_en), `field ${k}: ${JSON.stringify(f)}`);
    }
    r = await srv.api('GET', '/api/v1/licenses', { token: company });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.some((l) => l.id === id), 'the license is in the wallet');
  });
});

describe('the catalog seed wants a label_en on every license type field', () => {
  let dir, db;
  before(() => {
    dir = tempDir('ywtb-labels-');
    fs.cpSync(path.join(REPO, 'data'), path.join(dir, 'data'), { recursive: true });
    const file = path.join(dir, 'data', 'catalog', 'license_types.json');
    const types = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete types[2].fields[1].label_en; /* LT-003's second field */
    fs.writeFileSync(file, JSON.stringify(types));
    db = createDatabase(dir);
  });
  after(() => {
    db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a field without label_en: the seed fails, names the type, and loads nothing', () => {
    const r = cli(['seed', '--demo', '--db', db.url, '--data-dir', path.join(dir, 'data'), ...CHEAP_PWHASH], { cwd: dir });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /LT-003/);
    assert.match(r.stderr, /label_en/);
    assert.doesNotMatch(r.stdout, /e-license types.*loaded/);
  });
});
