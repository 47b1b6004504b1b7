// catalog_en.test.js - the catalog in English (issue 15): every one of the 585
// items the server serves has an English name with no Chinese left in it (the
// names are made by rule from a glossary, scripts/gen-item-names-en.mjs), the
// list, the guide page and the bundles carry it, every material of a bundle
// has one too, every department has its English name, English words find items (in any order), an edit that says
// nothing of the English name keeps it, and a catalog seeded before the names
// existed gets them from `ywtb seed --catalog`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, cli, CHEAP_PWHASH, REPO } from './harness.js';

const HAN = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

function sql(srv, text) {
  return srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), text], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', srv.url, '-c', text], { encoding: 'utf8' });
}

describe('catalog: English names and English search', () => {
  let srv, items;
  before(async () => {
    srv = await startServer();
    items = [];
    for (let cursor = 0; ; ) {
      const r = await srv.api('GET', `/api/v1/items?limit=100&cursor=${cursor}`);
      assert.equal(r.status, 200, r.text);
      items.push(...r.json.items);
      if (!r.json.next_cursor) break;
      cursor = r.json.next_cursor;
    }
  });
  after(() => srv?.close());

  test('every item has a whole English name: no Han character left', () => {
    assert.equal(items.length, 585);
    const bad = items.filter((it) => typeof it.name_en !== 'string' || !it.name_en.trim() || HAN.test(it.name_en));
    assert.deepEqual(bad.map((it) => `${it.code} ${it.name} -> ${it.name_en}`), []);
    assert.equal(new Set(items.map((it) => it.name_en)).size, 585, 'English names are as distinct as the Chinese ones');
    for (const it of items) assert.ok(it.dept_name_en && !HAN.test(it.dept_name_en), `${it.code}: department in English`);
    // the list entry keeps every other field as it was
    for (const it of items) {
      assert.ok(['person', 'enterprise'].includes(it.target), `${it.code} target ${it.target}`);
      assert.ok(Number.isInteger(it.popularity) && it.popularity >= 0 && it.popularity <= 10000, `${it.code} popularity`);
      assert.ok(Number.isInteger(it.promised_days) && Number.isInteger(it.legal_days) && it.promised_days <= it.legal_days, `${it.code} days`);
      assert.ok(/^行政|^其他行政权力$|^公共服务$/.test(it.type), `${it.code} type ${it.type}`);
    }
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].popularity >= items[i].popularity, 'most popular first');
  });

  test('the English names are current: made from the items and the glossary as they are now', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-item-names-en.mjs', '--check'], { cwd: REPO, encoding: 'utf8' });
    assert.match(out, /English names up to date: 585 items/);
  });

  test('names follow the glossary', () => {
    const by = Object.fromEntries(items.map((it) => [it.name, it.name_en]));
    assert.equal(by['企业设立登记'], 'Enterprise Establishment Registration');
    assert.equal(by['企业注销登记'], 'Enterprise Deregistration');
    assert.equal(by['食品经营许可（变更）'], 'Food Business Permit (Change)');
    assert.equal(by['食品经营许可（延续）'], 'Food Business Permit (Renewal)');
    assert.equal(by['第二类医疗器械经营备案'], 'Class II Medical Device Business Filing');
    assert.equal(by['社会保障卡申领'], 'Social Security Card Application');
    assert.equal(by['补领结婚证、离婚证'], 'Replacement of a Marriage or Divorce Certificate');
    assert.equal(by['房产税、城镇土地使用税困难减免'], 'Property Tax and Urban Land Use Tax Hardship Relief');
  });

  test('the guide page, the departments and the bundles carry English names', async () => {
    const g = await srv.api('GET', '/api/v1/items/SCJ-01-0001');
    assert.equal(g.json.name_en, 'Enterprise Establishment Registration');
    assert.equal(g.json.dept_name_en, 'Xuhui District Administration for Market Regulation');
    const d = await srv.api('GET', '/api/v1/departments');
    for (const dept of d.json.items) assert.ok(dept.name_en && !HAN.test(dept.name_en), dept.code);
    const b = await srv.api('GET', '/api/v1/bundles/BND-QYKB');
    for (const step of b.json.steps) for (const it of step.items) assert.ok(it.name_en && !HAN.test(it.name_en), it.code);
  });

  test('every material of a bundle has an English name (and condition), e-license types their English names; bundles an English description', async () => {
    const b = await srv.api('GET', '/api/v1/bundles');
    let n = 0;
    for (const bundle of b.json.items) {
      assert.ok(bundle.description_en && !HAN.test(bundle.description_en), `${bundle.code} description_en`);
      for (const step of bundle.steps) {
        for (const ref of step.items) {
          const it = (await srv.api('GET', `/api/v1/items/${ref.code}`)).json;
          for (const m of it.materials) {
            n++;
            assert.ok(m.name_en && !HAN.test(m.name_en), `${it.code} ${m.code} ${m.name} -> ${m.name_en}`);
            if (m.condition) assert.ok(m.condition_en && !HAN.test(m.condition_en), `${m.code} condition ${m.condition} -> ${m.condition_en}`);
            if (m.license_type) assert.ok(m.license_type_name_en && !HAN.test(m.license_type_name_en), `${m.code} license type ${m.license_type}`);
          }
        }
      }
    }
    assert.ok(n >= 50, `${n} bundle materials checked`);
    const g = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    assert.equal(g.materials.find((m) => m.name === '公司章程').name_en, 'Articles of Association');
    assert.equal(g.produces_name_en, 'Business License');
  });

  test('English words find items, in the name first, in any order', async () => {
    const first = async (q) => {
      const r = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length > 0, `nothing for ${q}`);
      return r.json.items[0];
    };
    assert.equal((await first('marriage registration')).code, 'MZJ-07-0001');
    assert.equal((await first('Marriage')).name, '结婚登记');
    assert.equal((await first('social security card')).name, '社会保障卡申领');
    assert.equal((await first('passport')).name, '普通护照申领');
    assert.match((await first('permit food business')).name_en, /Food Business Permit/);
    const est = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('enterprise establishment registration')}`);
    assert.equal(est.json.items[0].code, 'SCJ-01-0001');
    // Chinese still works, and nonsense finds nothing
    assert.equal((await first('结婚')).code, 'MZJ-07-0001');
    const none = await srv.api('GET', '/api/v1/items?q=qwertyuiop%20zxcv');
    assert.equal(none.json.total, 0);
  });

  test('an edit that says nothing of the English name keeps it; one that names it changes it', async () => {
    const admin = await srv.login('admin');
    const g = await srv.api('GET', '/api/v1/items/MZJ-07-0002');
    const doc = { ...g.json };
    for (const k of ['version', 'dept_name', 'dept_name_en', 'name_en', 'produces_name']) delete doc[k];
    doc.conditions = `${doc.conditions}（已更新）`;
    const put = await srv.api('PUT', '/api/v1/items/MZJ-07-0002', { token: admin, body: doc, headers: { 'If-Match': `"${g.json.version}"` } });
    assert.equal(put.status, 200, put.text);
    assert.equal((await srv.api('GET', '/api/v1/items/MZJ-07-0002')).json.name_en, 'Divorce Registration');
    const bad = await srv.api('PUT', '/api/v1/items/MZJ-07-0002', { token: admin, body: { ...doc, name_en: 42 }, headers: { 'If-Match': '*' } });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.error.field, 'name_en');
    const named = await srv.api('PUT', '/api/v1/items/MZJ-07-0002', { token: admin, body: { ...doc, name_en: 'Registration of Divorce' }, headers: { 'If-Match': '*' } });
    assert.equal(named.status, 200, named.text);
    assert.equal((await srv.api('GET', '/api/v1/items/MZJ-07-0002')).json.name_en, 'Registration of Divorce');
  });

  test('a catalog stored without English names gets them from ywtb seed --catalog', async () => {
    sql(srv, "UPDATE items SET name_en = '' WHERE code IN ('GAFJ-01-0003', 'MZJ-07-0001')");
    const out = cli(['seed', '--catalog', '--db', srv.url, ...CHEAP_PWHASH], { cwd: srv.dir });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /2 item version\(s\) given their English names/);
    const n = sql(srv, "SELECT COUNT(*) FROM items WHERE name_en = ''").trim();
    assert.equal(n, '0');
    const again = cli(['seed', '--catalog', '--db', srv.url, ...CHEAP_PWHASH], { cwd: srv.dir });
    assert.match(again.stdout, /0 item version\(s\) given their English names/);
  });
});
