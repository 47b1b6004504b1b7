// form_labels.test.js - every form field of every service item carries an
// English label (label_en) next to its Chinese one in GET /api/v1/items/{code},
// so the portal in English can label the apply form, a case's answers and the
// workbench's case view; the catalog seed refuses an item whose form field has
// no label_en; the item edit API keeps it, accepts a field without it
// (optional on edit) and refuses one that is not short text. Likewise every
// choice field carries options_en, the English texts of its options (same
// length and order; the stored answer stays the Chinese option): the seed
// requires it, the edit API keeps it, leaves it optional and refuses a wrong
// one (422, field options_en).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, createDatabase, tempDir, REPO, CHEAP_PWHASH } from './harness.js';

/* CJK ideographs, CJK punctuation and full-width forms (（）, ：). */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

function checkForm(where, form, problems) {
  assert.ok(Array.isArray(form) && form.length > 0, `${where}: no form`);
  for (const f of form) {
    const at = `${where}.${f.key}`;
    if (typeof f.label !== 'string' || !f.label.trim()) problems.push(`${at}: no label`);
    if (typeof f.label_en !== 'string' || !f.label_en.trim()) problems.push(`${at}: no label_en`);
    else if (CJK.test(f.label_en)) problems.push(`${at}: label_en has Chinese: ${f.label_en}`);
    else if (f.label_en !== f.label_en.trim()) problems.push(`${at}: label_en has outer spaces`);
    if (f.type === 'choice') {
      if (!Array.isArray(f.options_en)) problems.push(`${at}: choice without options_en`);
      else if (f.options_en.length !== f.options.length) problems.push(`${at}: ${f.options.length} options but ${f.options_en.length} options_en`);
      else for (const o of f.options_en) if (typeof o !== 'string' || !o.trim() || o !== o.trim() || CJK.test(o)) problems.push(`${at}: bad option text ${JSON.stringify(o)}`);
    } else if (f.options_en !== undefined) problems.push(`${at}: options_en on a ${f.type} field`);
  }
}

/** Every item code, following next_cursor. */
async function allCodes(srv) {
  const codes = [];
  let cursor = '';
  for (;;) {
    const r = await srv.api('GET', `/api/v1/items?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    codes.push(...r.json.items.map((i) => i.code));
    if (!r.json.next_cursor) return codes;
    cursor = r.json.next_cursor;
  }
}

describe('service item form labels in English', () => {
  let srv, codes;
  before(async () => {
    srv = await startServer();
    codes = await allCodes(srv);
  });
  after(() => srv?.close());

  test('all 585 items: every form field has a label and an English label_en', async () => {
    assert.equal(codes.length, 585);
    const problems = [];
    const labels = new Map(); /* label -> label_en: one translation per Chinese label */
    for (const code of codes) {
      const r = await srv.api('GET', `/api/v1/items/${code}`);
      assert.equal(r.status, 200, r.text);
      checkForm(code, r.json.form, problems);
      for (const f of r.json.form) {
        if (labels.has(f.label) && labels.get(f.label) !== f.label_en) problems.push(`${code}.${f.key}: ${f.label} is both ${labels.get(f.label)} and ${f.label_en}`);
        labels.set(f.label, f.label_en);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(labels.size >= 40, `${labels.size} distinct labels`);
  });

  test('all 585 items: one English text per Chinese option, the same everywhere', async () => {
    const options = new Map(); /* option -> English text */
    const problems = [];
    let choices = 0;
    for (const code of codes) {
      for (const f of (await srv.api('GET', `/api/v1/items/${code}`)).json.form) {
        if (f.type !== 'choice') continue;
        choices++;
        f.options.forEach((zh, i) => {
          if (options.has(zh) && options.get(zh) !== f.options_en[i]) problems.push(`${code}.${f.key}: ${zh} is both ${options.get(zh)} and ${f.options_en[i]}`);
          options.set(zh, f.options_en[i]);
        });
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(choices >= 50, `${choices} choice fields`);
    assert.ok(options.size >= 30, `${options.size} distinct options`);
  });

  test('anchors: 企业设立登记 and a person\'s item', async () => {
    const byKey = async (code) => Object.fromEntries((await srv.api('GET', `/api/v1/items/${code}`)).json.form.map((f) => [f.key, f]));
    const found = await byKey('SCJ-01-0001');
    assert.equal(found.applicant_name.label, '申请人（投资人）姓名');
    assert.equal(found.applicant_name.label_en, 'Applicant (Investor) Name');
    assert.equal(found.registered_capital.label_en, 'Registered Capital (10,000 CNY)');
    const ent = await byKey('SCJ-01-0002');
    assert.equal(ent.uscc.label_en, 'Unified Social Credit Code');
    const person = Object.values(await byKey('MZJ-07-0001'));
    assert.deepEqual(person.find((f) => f.key === 'id_number').label_en, 'Citizen ID Number');
    assert.deepEqual(person.find((f) => f.key === 'reserve_date').label_en, 'Appointment Date');
    // choice fields: the options stay Chinese (the stored value), options_en in the same order
    assert.deepEqual(found.company_type.options, ['有限责任公司', '股份有限公司', '个人独资企业', '合伙企业']);
    assert.deepEqual(found.company_type.options_en, ['Limited liability company', 'Company limited by shares', 'Sole proprietorship', 'Partnership']);
    const rp = Object.fromEntries((await srv.api('GET', '/api/v1/items/GAFJ-07-0005')).json.form.map((f) => [f.key, f]));
    assert.deepEqual(rp.sex.options, ['男', '女']);
    assert.deepEqual(rp.sex.options_en, ['Male', 'Female']);
  });

  test('the item edit API keeps label_en, accepts a field without it, refuses one that is not short text', async () => {
    const admin = await srv.login('admin');
    const code = 'SCJ-01-0002';
    const cur = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    // an edit that leaves the form alone keeps every label_en
    let r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, hours: `${cur.hours}（测试）` } });
    assert.equal(r.status, 200, r.text);
    let now = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    assert.deepEqual(now.form, cur.form);
    // a new field without label_en is accepted (shown in Chinese in both languages)
    const form = [...cur.form, { key: 'remark', label: '备注', type: 'text', required: false }];
    r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, form } });
    assert.equal(r.status, 200, r.text);
    now = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    assert.equal(now.form.at(-1).key, 'remark');
    assert.equal(now.form.at(-1).label_en, undefined);
    assert.equal(now.form[0].label_en, cur.form[0].label_en);
    // label_en that is not text of at most 100 characters: 422, nothing changes
    for (const bad of [42, ['x'], 'x'.repeat(101)]) {
      const f2 = [...cur.form, { key: 'remark', label: '备注', label_en: bad, type: 'text', required: false }];
      r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, form: f2 } });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.error?.field, 'label_en', r.text);
    }
    assert.deepEqual((await srv.api('GET', `/api/v1/items/${code}`)).json.form, now.form);
  });

  test('the item edit API keeps options_en, accepts a choice field without it, refuses a wrong one', async () => {
    const admin = await srv.login('admin');
    const code = 'SCJ-01-0002';
    const cur = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    const base = cur.form.filter((f) => f.key !== 'remark' && f.key !== 'size');
    // a choice field with options_en: kept as sent
    const good = { key: 'size', label: '企业规模', label_en: 'Enterprise Size', type: 'choice', required: false, options: ['大型', '中小型'], options_en: ['Large', 'Small or medium'] };
    let r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, form: [...base, good] } });
    assert.equal(r.status, 200, r.text);
    let now = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    assert.deepEqual(now.form.at(-1).options_en, ['Large', 'Small or medium']);
    // without options_en: accepted (options shown in Chinese in both languages)
    const { options_en: _drop, ...bare } = good;
    r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, form: [...base, bare] } });
    assert.equal(r.status, 200, r.text);
    now = (await srv.api('GET', `/api/v1/items/${code}`)).json;
    assert.equal(now.form.at(-1).options_en, undefined);
    // a wrong options_en: 422 naming the field, nothing changes
    for (const bad of [['Large'], ['Large', 'Small', 'Extra'], 'Large', ['Large', 7], ['Large', ''], ['Large', 'x'.repeat(101)]]) {
      r = await srv.api('PUT', `/api/v1/items/${code}`, { token: admin, body: { ...cur, form: [...base, { ...good, options_en: bad }] } });
      assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${r.text}`);
      assert.equal(r.json.error?.field, 'options_en', r.text);
      assert.match(r.json.error?.message ?? r.text, /size/);
    }
    assert.deepEqual((await srv.api('GET', `/api/v1/items/${code}`)).json.form, now.form);
  });
});

describe('the catalog seed wants a label_en on every item form field', () => {
  let dir, db;
  before(() => {
    dir = tempDir('ywtb-formlabels-');
    fs.cpSync(path.join(REPO, 'data'), path.join(dir, 'data'), { recursive: true });
    const file = path.join(dir, 'data', 'catalog', 'items.json');
    const items = JSON.parse(fs.readFileSync(file, 'utf8'));
    const it = items.find((i) => i.code === 'SCJ-01-0002');
    delete it.form[1].label_en;
    fs.writeFileSync(file, JSON.stringify(items));
    db = createDatabase(dir);
  });
  after(() => {
    db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a form field without label_en: the seed fails, names the item, and loads nothing', () => {
    const r = cli(['seed', '--demo', '--db', db.url, '--data-dir', path.join(dir, 'data'), ...CHEAP_PWHASH], { cwd: dir });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /SCJ-01-0002/);
    assert.match(r.stderr, /label_en/);
    assert.doesNotMatch(r.stdout, /items.*loaded/);
  });
});

describe('the catalog seed wants options_en on every choice field', () => {
  let dir, db;
  before(() => {
    dir = tempDir('ywtb-formoptions-');
    fs.cpSync(path.join(REPO, 'data'), path.join(dir, 'data'), { recursive: true });
    const file = path.join(dir, 'data', 'catalog', 'items.json');
    const items = JSON.parse(fs.readFileSync(file, 'utf8'));
    const it = items.find((i) => i.code === 'SCJ-01-0001');
    delete it.form.find((f) => f.key === 'company_type').options_en;
    fs.writeFileSync(file, JSON.stringify(items));
    db = createDatabase(dir);
  });
  after(() => {
    db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a choice field without options_en: the seed fails, names the item and field, and loads nothing', () => {
    const r = cli(['seed', '--demo', '--db', db.url, '--data-dir', path.join(dir, 'data'), ...CHEAP_PWHASH], { cwd: dir });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /SCJ-01-0001/);
    assert.match(r.stderr, /company_type/);
    assert.match(r.stderr, /options_en/);
    assert.doesNotMatch(r.stdout, /items.*loaded/);
  });
});
