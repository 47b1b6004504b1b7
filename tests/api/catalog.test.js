// catalog.test.js - the service catalog as a citizen and an administrator see
// it: departments with their item counts, browsing and paging the 585 items,
// filters, Chinese search (two-character queries, codes, materials, FAQ) and
// hostile queries, every element of an item's guide, e-license types, the
// "一件事" bundles, and editing an item into a new version that cases filed
// under the old one keep.
//
// The figures (29 departments, 418 enterprise + 167 person items, 78 license
// types from 18 departments, at least 210 materials an e-license replaces, 3
// bundles) are the district's published ones; data/catalog/README.md.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励',
  '行政裁决', '其他行政权力', '公共服务'];
const FIELD_TYPES = ['text', 'date', 'number', 'choice', 'id_number', 'uscc', 'address', 'phone'];
const DEMO_CITIZEN = '310104199003072013';

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

/* What the search covers (docs/openapi.yaml, GET /api/v1/items): name, its
 * English name (issue 15), code, conditions, legal basis, materials, steps and
 * FAQ.  ASCII letters match either case. */
const fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
function searchable(g) {
  return [g.name, g.name_en || '', g.code, g.conditions, g.legal_basis, ...g.materials.map((m) => m.name), ...g.steps,
    ...g.faqs.flatMap((f) => [f.q, f.a])];
}
const guideHas = (g, q) => searchable(g).some((t) => fold(t).includes(fold(q)));

/** Every page of GET /api/v1/items?QUERY with `limit`, following next_cursor. */
async function allPages(srv, query = '', limit = 100) {
  const pages = [];
  let cursor = null;
  for (let n = 0; n < 1000; n++) {
    const sep = query ? '&' : '';
    const r = await srv.api('GET', `/api/v1/items?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    pages.push(r.json);
    assert.ok(r.json.items.length <= limit, `page of at most ${limit}`);
    if (r.json.next_cursor === null) return pages;
    assert.equal(typeof r.json.next_cursor, 'string');
    assert.equal(r.json.items.length, limit, 'only the last page is short');
    cursor = encodeURIComponent(r.json.next_cursor);
  }
  throw new Error('paging does not end');
}

const itemsOf = (pages) => pages.flatMap((p) => p.items);

function assertPopularityOrder(items, what) {
  for (let i = 1; i < items.length; i++)
    assert.ok(items[i - 1].popularity >= items[i].popularity,
      `${what}: ${items[i - 1].code} (${items[i - 1].popularity}) before ${items[i].code} (${items[i].popularity})`);
}

describe('catalog: browse, search and read', () => {
  let srv;
  let list; /* every item summary, in the order of the pages */
  const guides = new Map(); /* code -> GET /api/v1/items/{code} */
  let depts, ltypes;

  before(async () => {
    srv = await startServer();
    list = itemsOf(await allPages(srv));
    const codes = list.map((i) => i.code);
    for (let i = 0; i < codes.length; i += 25) {
      const chunk = codes.slice(i, i + 25);
      const rs = await Promise.all(chunk.map((c) => srv.api('GET', `/api/v1/items/${encodeURIComponent(c)}`)));
      rs.forEach((r, k) => {
        assert.equal(r.status, 200, `${chunk[k]}: ${r.text}`);
        guides.set(chunk[k], r.json);
      });
    }
    depts = (await srv.api('GET', '/api/v1/departments')).json.items;
    ltypes = (await srv.api('GET', '/api/v1/license-types')).json.items;
  });
  after(() => srv?.close());

  test('29 departments whose item counts add up to 418 enterprise and 167 person items', async () => {
    const r = await srv.api('GET', '/api/v1/departments');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const ds = r.json.items;
    assert.equal(ds.length, 29);
    assert.equal(new Set(ds.map((d) => d.code)).size, 29, 'codes are unique');
    for (const d of ds) {
      assert.match(d.code, /^XH-[A-Z0-9]+$/, d.code);
      for (const k of ['name', 'name_en', 'short', 'phone', 'address'])
        assert.ok(typeof d[k] === 'string' && d[k].length > 0, `${d.code}.${k}`);
      assert.match(d.phone, /^021-\d+$/, `${d.code}.phone`);
      assert.ok(Number.isInteger(d.item_count.person) && d.item_count.person >= 0, d.code);
      assert.ok(Number.isInteger(d.item_count.enterprise) && d.item_count.enterprise >= 0, d.code);
    }
    const sum = (k) => ds.reduce((a, d) => a + d.item_count[k], 0);
    assert.equal(sum('enterprise'), 418);
    assert.equal(sum('person'), 167);
    // figures of data/catalog/README.md
    const by = Object.fromEntries(ds.map((d) => [d.code, d.item_count]));
    assert.deepEqual(by['XH-SCJ'], { person: 3, enterprise: 73 });
    assert.deepEqual(by['XH-RSJ'], { person: 23, enterprise: 34 });
    assert.deepEqual(by['XH-YBJ'], { person: 11, enterprise: 3 });
    assert.deepEqual(by['XH-KWW'], { person: 0, enterprise: 12 });
    for (const k of ['XH-DSJ', 'XH-ZWFW', 'XH-12345']) assert.ok(by[k], `${k} is a department`);
    // the counts are the items' own: count the guides per department and target
    const counted = {};
    for (const g of guides.values()) {
      counted[g.dept] ??= { person: 0, enterprise: 0 };
      counted[g.dept][g.target]++;
    }
    for (const d of ds) assert.deepEqual(d.item_count, counted[d.code] ?? { person: 0, enterprise: 0 }, d.code);
  });

  test('GET /items: 585 in total, 20 a page by default, most popular first', async () => {
    const r = await srv.api('GET', '/api/v1/items');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 585);
    assert.equal(r.json.items.length, 20);
    assert.equal(r.json.next_cursor, '20');
    assert.deepEqual(r.json.items, list.slice(0, 20), 'the first page of the paged list');
    assert.equal(list.length, 585);
    assertPopularityOrder(list, 'all items');
    assert.ok(list[0].popularity > list.at(-1).popularity, 'popularity varies');
    for (const s of list) {
      for (const k of ['code', 'name', 'dept', 'dept_name', 'type', 'target'])
        assert.ok(typeof s[k] === 'string' && s[k].length > 0, `${s.code}.${k}`);
      for (const k of ['legal_days', 'promised_days', 'online_level', 'max_visits', 'popularity'])
        assert.ok(Number.isInteger(s[k]), `${s.code}.${k}`);
      const g = guides.get(s.code);
      for (const k of ['name', 'dept', 'dept_name', 'type', 'target', 'legal_days', 'promised_days', 'online_level',
        'max_visits', 'popularity'])
        assert.deepEqual(s[k], g[k], `${s.code}.${k}: the summary agrees with the guide`);
    }
  });

  test('paging with the cursor reaches every item once, for any page size', async () => {
    assert.equal(new Set(list.map((i) => i.code)).size, 585, 'no duplicates at 100 a page');
    const pages = await allPages(srv, '', 37);
    assert.equal(pages.length, Math.ceil(585 / 37));
    for (const p of pages) assert.equal(p.total, 585);
    const items = itemsOf(pages);
    assert.equal(items.length, 585);
    assert.equal(new Set(items.map((i) => i.code)).size, 585, 'no duplicates at 37 a page');
    assert.deepEqual(items.map((i) => i.code), list.map((i) => i.code), 'the same order at any page size');
    // a filtered list pages the same way
    const person = itemsOf(await allPages(srv, 'target=person', 9));
    assert.equal(person.length, 167);
    assert.equal(new Set(person.map((i) => i.code)).size, 167);
    assert.ok(person.every((i) => i.target === 'person'));
    assertPopularityOrder(person, 'person items');
    // past the end: an empty page and no next cursor
    const end = await srv.api('GET', '/api/v1/items?cursor=585');
    assert.equal(end.status, 200, end.text);
    assert.deepEqual(end.json.items, []);
    assert.equal(end.json.total, 585);
    assert.equal(end.json.next_cursor, null);
    const last = await srv.api('GET', '/api/v1/items?cursor=580&limit=20');
    assert.deepEqual(last.json.items.map((i) => i.code), list.slice(580).map((i) => i.code));
    assert.equal(last.json.next_cursor, null);
  });

  test('limit is 1 to 100: 0, 101, -1 and words are 422', async () => {
    for (const bad of ['0', '101', '-1', '1000000', 'ten', '5x', '1.5'])
      assertError(await srv.api('GET', `/api/v1/items?limit=${bad}`), 422, 'invalid_field', 'limit');
    for (const bad of ['-1', 'abc'])
      assertError(await srv.api('GET', `/api/v1/items?cursor=${bad}`), 422, 'invalid_field', 'cursor');
    const one = await srv.api('GET', '/api/v1/items?limit=1');
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.items.map((i) => i.code), [list[0].code]);
    assert.equal(one.json.next_cursor, '1');
    const hundred = await srv.api('GET', '/api/v1/items?limit=100');
    assert.equal(hundred.json.items.length, 100);
    assert.equal(hundred.json.next_cursor, '100');
  });

  test('filters: department, target and type, alone and together', async () => {
    const scj = itemsOf(await allPages(srv, 'dept=XH-SCJ'));
    assert.equal(scj.length, 76);
    assert.ok(scj.every((i) => i.dept === 'XH-SCJ' && i.dept_name === '上海市徐汇区市场监督管理局'));
    assertPopularityOrder(scj, 'dept=XH-SCJ');
    const ent = await srv.api('GET', '/api/v1/items?target=enterprise&limit=100');
    assert.equal(ent.json.total, 418);
    assert.ok(ent.json.items.every((i) => i.target === 'enterprise'));
    // every type: the totals add up to the catalog
    let sum = 0;
    for (const t of ITEM_TYPES) {
      const r = await srv.api('GET', `/api/v1/items?type=${encodeURIComponent(t)}&limit=100`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.every((i) => i.type === t), t);
      const want = [...guides.values()].filter((g) => g.type === t).length;
      assert.equal(r.json.total, want, t);
      sum += r.json.total;
    }
    assert.equal(sum, 585);
    // all three together, checked against the guides
    const q = `dept=XH-RSJ&target=person&type=${encodeURIComponent('公共服务')}`;
    const both = itemsOf(await allPages(srv, q));
    const want = [...guides.values()].filter((g) => g.dept === 'XH-RSJ' && g.target === 'person' && g.type === '公共服务');
    assert.ok(want.length > 0);
    assert.deepEqual(both.map((i) => i.code).sort(), want.map((g) => g.code).sort());
    // every department: its filtered totals are its item counts
    for (const d of depts) {
      for (const t of ['person', 'enterprise']) {
        const r = await srv.api('GET', `/api/v1/items?dept=${d.code}&target=${t}&limit=1`);
        assert.equal(r.json.total, d.item_count[t], `${d.code} ${t}`);
      }
    }
    // an unknown department has no items; a bad target or type is refused
    const none = await srv.api('GET', '/api/v1/items?dept=XH-NOPE');
    assert.equal(none.status, 200, none.text);
    assert.equal(none.json.total, 0);
    assert.deepEqual(none.json.items, []);
    for (const t of ['both', 'PERSON', 'company', 'person%20'])
      assertError(await srv.api('GET', `/api/v1/items?target=${t}`), 422, 'invalid_field', 'target');
    for (const t of ['许可', '行政许可证', 'permit', '行政许可%20'])
      assertError(await srv.api('GET', `/api/v1/items?type=${encodeURIComponent(t)}`), 422, 'invalid_field', 'type');
  });

  /* Search results (issue 15): every item that contains q, and those that
   * contain another way of saying it (synonyms, catalog_search.test.js); the
   * item named q first, then those with q in the name by popularity (how the
   * rest rank is catalog_search.test.js's). */
  async function searchChecked(q, extra = '') {
    const items = itemsOf(await allPages(srv, `q=${encodeURIComponent(q)}${extra ? `&${extra}` : ''}`));
    assert.equal(new Set(items.map((i) => i.code)).size, items.length, `q=${q}: no duplicates`);
    const named = items.filter((i) => i.name.toLowerCase().includes(q.toLowerCase()));
    const exact = named.filter((i) => i.name.toLowerCase() === q.toLowerCase());
    assert.deepEqual(named.slice(0, exact.length), exact, `q=${q}: the item named so first`);
    assertPopularityOrder(named.slice(exact.length), `q=${q} (in the name)`);
    return items;
  }
  /* every item that contains q is found */
  function assertFinds(items, want, what) {
    const got = new Set(items.map((i) => i.code));
    assert.deepEqual(want.filter((c) => !got.has(c)), [], `${what}: every item that contains it`);
  }
  function expected(q, pred = () => true) {
    return [...guides.values()].filter((g) => pred(g) && guideHas(g, q)).map((g) => g.code).sort();
  }

  test('search by two characters: 许可 and 社保', async () => {
    for (const q of ['许可', '社保']) {
      const items = await searchChecked(q);
      assert.ok(items.length > 0, `${q} finds items`);
      assertFinds(items, expected(q), q);
    }
    // 许可 is in the names of many 行政许可 items and in text of others
    const xk = await searchChecked('许可');
    assert.ok(xk.length > 100, `许可: ${xk.length}`);
    assert.ok(xk.some((i) => !i.name.includes('许可')), '许可 also matches outside the name');
  });

  test('search by three or more characters: 营业执照, with a filter too', async () => {
    const items = await searchChecked('营业执照');
    assert.ok(items.length > 300, `营业执照: ${items.length}`);
    assertFinds(items, expected('营业执照'), '营业执照');
    assert.equal(items[0].code, 'SCJ-01-0001', '企业设立登记 (what 营业执照 means) first');
    const person = await searchChecked('营业执照', 'target=person');
    assertFinds(person, expected('营业执照', (g) => g.target === 'person'), '营业执照 person');
    assert.ok(person.every((i) => i.target === 'person'));
  });

  test('search by an item code (either case), a material name and a word only FAQs use', async () => {
    for (const q of ['SCJ-01-0001', 'scj-01-0001']) {
      const items = await searchChecked(q);
      assert.ok(items.some((i) => i.code === 'SCJ-01-0001'), `${q} finds SCJ-01-0001`);
      assertFinds(items, expected(q), q);
    }
    // a material name
    const m = '居民户口簿';
    assert.ok(guides.get('SCJ-01-0001') !== undefined);
    const withM = [...guides.values()].filter((g) => g.materials.some((x) => x.name === m));
    assert.ok(withM.length > 10, `${m} is a material of ${withM.length} items`);
    const mItems = await searchChecked(m);
    const got = new Set(mItems.map((i) => i.code));
    for (const g of withM) assert.ok(got.has(g.code), `${g.code} asks for ${m}`);
    assertFinds(mItems, expected(m), m);
    // 邮寄 (by mail) is in FAQ answers; some items have it nowhere else
    const w = '邮寄';
    const fItems = await searchChecked(w);
    const onlyFaq = fItems.filter((i) => {
      const g = guides.get(i.code);
      const rest = [g.name, g.code, g.conditions, g.legal_basis, ...g.materials.map((x) => x.name), ...g.steps];
      return !rest.some((t) => t.includes(w));
    });
    assert.ok(onlyFaq.length > 0, 'found through the FAQ alone');
    assertFinds(fItems, expected(w), w);
    // a phrase nobody uses: no results
    const none = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('量子纠缠登记')}`);
    assert.equal(none.status, 200);
    assert.equal(none.json.total, 0);
    assert.deepEqual(none.json.items, []);
    assert.equal(none.json.next_cursor, null);
  });

  test('a query of 100 characters is searched; 101 is 422', async () => {
    const ok = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('许'.repeat(100))}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.total, 0);
    assertError(await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('许'.repeat(101))}`), 422, 'invalid_field', 'q');
    assertError(await srv.api('GET', `/api/v1/items?q=${'a'.repeat(101)}`), 422, 'invalid_field', 'q');
  });

  test('SQL and HTML metacharacters, invalid UTF-8 and NUL in q: 4xx or exact results, never 5xx', async () => {
    const literal = ["' OR 1=1 --", "'; DROP TABLE items; --", '%', '_', '%%', '\\', '"', '" OR ""="',
      '<script>alert(1)</script>', '<', '营业执照%', '营_执照', '*', 'NEAR(营业 执照)', '营业 OR 执照'];
    for (const q of literal) {
      const r = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent(q)}&limit=100`);
      assert.ok(r.status < 500, `${q}: ${r.status} ${r.text}`);
      assert.match(r.headers.get('content-type') || '', /^application\/json/, `${q}: JSON, never HTML`);
      if (r.status === 200) {
        const want = expected(q);
        assert.equal(r.json.total, want.length, `${q}: matched as literal text, not as a pattern`);
        for (const s of r.json.items) assert.ok(guideHas(guides.get(s.code), q), `${q} in ${s.code}`);
      } else {
        assert.ok(r.status >= 400 && r.json?.error?.code, `${q}: ${r.status} ${r.text}`);
      }
    }
    // raw bytes in the query string: invalid UTF-8, truncated and overlong sequences, NUL
    for (const raw of ['%FF', '%FE%FF', '%E8%AE', '%C0%AF', '%ED%A0%80', '%00', '%E8%AE%B8%00', 'abc%00def']) {
      const r = await srv.raw('GET', `/api/v1/items?q=${raw}`);
      assert.ok(r.status < 500, `${raw}: ${r.status} ${r.text}`);
      if (r.status === 200) {
        assert.equal(r.json.total, 0, `${raw}: ${r.text}`);
        assert.deepEqual(r.json.items, []);
      } else {
        assert.ok(r.status >= 400 && r.status < 500, `${raw}: ${r.status}`);
        assert.ok(r.json?.error?.code, `${raw}: an error body: ${r.text}`);
      }
    }
    // still serving
    assert.equal((await srv.api('GET', '/api/v1/items?limit=1')).json.total, 585);
  });

  test('every item guide has every element of the catalog standard', async () => {
    const deptName = Object.fromEntries(depts.map((d) => [d.code, d.name]));
    const ltName = Object.fromEntries(ltypes.map((t) => [t.code, t.name]));
    assert.equal(guides.size, 585);
    let mats = 0;
    for (const [code, g] of guides) {
      const at = (k) => `${code}.${k}`;
      assert.equal(g.code, code);
      assert.match(code, /^[A-Z0-9]+-\d{2}-\d{4}$/, at('code'));
      for (const k of ['name', 'legal_basis', 'fee', 'where', 'hours', 'conditions'])
        assert.ok(typeof g[k] === 'string' && g[k].trim().length > 0, at(k));
      assert.equal(g.dept_name, deptName[g.dept], at('dept_name'));
      assert.equal(code.split('-')[0], g.dept.replace(/^XH-/, ''), at('code names its department'));
      assert.ok(ITEM_TYPES.includes(g.type), at('type'));
      assert.ok(['person', 'enterprise'].includes(g.target), at('target'));
      assert.ok(Number.isInteger(g.legal_days) && g.legal_days >= 0, at('legal_days'));
      assert.ok(Number.isInteger(g.promised_days) && g.promised_days >= 0, at('promised_days'));
      assert.ok(g.promised_days <= g.legal_days, `${at('promised_days')} ${g.promised_days} > ${g.legal_days}`);
      assert.ok(Number.isInteger(g.online_level) && g.online_level >= 1 && g.online_level <= 4, at('online_level'));
      assert.ok(Number.isInteger(g.max_visits) && g.max_visits >= 0 && g.max_visits <= 2, at('max_visits'));
      assert.ok(Number.isInteger(g.realname_level) && g.realname_level >= 1 && g.realname_level <= 3, at('realname_level'));
      assert.equal(g.version, 1, at('version'));
      assert.equal(typeof g.fee_basis, 'string', at('fee_basis'));
      // the form: typed fields
      assert.ok(Array.isArray(g.form) && g.form.length > 0, at('form'));
      assert.equal(new Set(g.form.map((f) => f.key)).size, g.form.length, at('form keys unique'));
      for (const f of g.form) {
        assert.ok(typeof f.key === 'string' && f.key && typeof f.label === 'string' && f.label, at(`form.${f.key}`));
        assert.ok(FIELD_TYPES.includes(f.type), `${at(`form.${f.key}`)}: type ${f.type}`);
        assert.equal(typeof f.required, 'boolean', at(`form.${f.key}.required`));
        if (f.type === 'choice')
          assert.ok(Array.isArray(f.options) && f.options.length >= 2 && f.options.every((o) => typeof o === 'string'),
            at(`form.${f.key}.options`));
      }
      // materials: required or conditional (with the condition), the form, copies, the e-license that replaces it
      assert.ok(Array.isArray(g.materials) && g.materials.length >= 2 && g.materials.length <= 8, at('materials'));
      assert.equal(new Set(g.materials.map((m) => m.code)).size, g.materials.length, at('material codes unique'));
      for (const m of g.materials) {
        const mk = at(`materials.${m.code}`);
        assert.ok(m.code.startsWith(`${code}-M`), mk);
        assert.ok(typeof m.name === 'string' && m.name.length > 0, mk);
        assert.ok(['required', 'conditional'].includes(m.required), `${mk}.required ${m.required}`);
        if (m.required === 'conditional') assert.ok(typeof m.condition === 'string' && m.condition.length > 0, `${mk}.condition`);
        assert.ok(['original', 'copy', 'electronic'].includes(m.form), `${mk}.form ${m.form}`);
        assert.ok(Number.isInteger(m.copies) && m.copies >= 1, `${mk}.copies`);
        if (m.license_type !== undefined) {
          assert.ok(ltName[m.license_type], `${mk}: license type ${m.license_type} exists`);
          assert.equal(m.license_type_name, ltName[m.license_type], `${mk}.license_type_name`);
          mats++;
        } else {
          assert.equal(m.license_type_name, undefined, mk);
        }
      }
      assert.ok(Array.isArray(g.steps) && g.steps.length >= 3 && g.steps.length <= 6, at('steps'));
      assert.ok(g.steps.every((s) => typeof s === 'string' && s.length > 0), at('steps'));
      assert.ok(Array.isArray(g.faqs) && g.faqs.length >= 2 && g.faqs.length <= 4, at('faqs'));
      assert.ok(g.faqs.every((f) => typeof f.q === 'string' && f.q && typeof f.a === 'string' && f.a), at('faqs'));
      if (g.produces !== undefined && g.produces !== '') {
        assert.equal(g.produces_name, ltName[g.produces], at('produces_name'));
      }
    }
    assert.ok(mats >= 210, `${mats} materials can be replaced by an e-license`);
    // the anchor item, element by element
    const g = guides.get('SCJ-01-0001');
    assert.equal(g.name, '企业设立登记');
    assert.equal(g.dept, 'XH-SCJ');
    assert.equal(g.type, '行政许可');
    assert.equal(g.target, 'enterprise');
    assert.equal(g.produces, 'LT-001');
    assert.equal(g.produces_name, '营业执照');
    assert.ok(g.legal_basis.includes('公司法'));
    const byKey = Object.fromEntries(g.form.map((f) => [f.key, f]));
    assert.equal(byKey.legal_rep_id.type, 'id_number');
    assert.equal(byKey.phone.type, 'phone');
    assert.deepEqual(byKey.company_type.options, ['有限责任公司', '股份有限公司', '个人独资企业', '合伙企业']);
    const m05 = g.materials.find((m) => m.code === 'SCJ-01-0001-M05');
    assert.deepEqual([m05.required, m05.license_type, m05.license_type_name], ['conditional', 'LT-001', '营业执照']);
    assert.ok(g.materials.some((m) => m.required === 'required'));
  });

  test('unknown item codes are 404 not_found', async () => {
    for (const code of ['SCJ-01-9999', 'NOPE', 'scj-01-0001x', '%E8%AE%B8', 'a'.repeat(41), "SCJ'--"]) {
      const r = await srv.api('GET', `/api/v1/items/${code}`);
      assertError(r, 404, 'not_found');
    }
    assertError(await srv.api('GET', '/api/v1/items/SCJ-01-9999/versions'), 404, 'not_found');
    const v = await srv.api('GET', '/api/v1/items/SCJ-01-0001/versions');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.code, 'SCJ-01-0001');
    assert.deepEqual(v.json.versions.map((x) => [x.version, x.current, x.name]), [[1, true, '企业设立登记']]);
  });

  test('78 e-license types from 18 departments; every one that a material or an item names exists', async () => {
    assert.equal(ltypes.length, 78);
    const codes = ltypes.map((t) => t.code);
    assert.equal(new Set(codes).size, 78);
    assert.deepEqual([...codes].sort(), Array.from({ length: 78 }, (_, i) => `LT-${String(i + 1).padStart(3, '0')}`));
    const deptName = Object.fromEntries(depts.map((d) => [d.code, d.name]));
    const issuers = new Set(ltypes.map((t) => t.dept));
    assert.equal(issuers.size, 18);
    for (const t of ltypes) {
      assert.ok(deptName[t.dept], `${t.code}: department ${t.dept} exists`);
      assert.equal(t.dept_name, deptName[t.dept], t.code);
      assert.ok(['person', 'enterprise'].includes(t.holder), t.code);
      assert.ok(Number.isInteger(t.validity_years) && t.validity_years >= 0, t.code);
      assert.ok(t.fields.length >= 4 && t.fields.length <= 8, `${t.code}: fields`);
    }
    const lt1 = await srv.api('GET', '/api/v1/license-types/LT-001');
    assert.equal(lt1.status, 200);
    assert.equal(lt1.json.name, '营业执照');
    assert.deepEqual(lt1.json, ltypes.find((t) => t.code === 'LT-001'));
    assertError(await srv.api('GET', '/api/v1/license-types/LT-079'), 404, 'not_found');
    // materials: at least 210 accept an e-license, and each names a real type
    const known = new Set(codes);
    const named = [...guides.values()].flatMap((g) => g.materials.filter((m) => m.license_type));
    assert.ok(named.length >= 210, `${named.length} materials`);
    for (const m of named) assert.ok(known.has(m.license_type), `${m.code}: ${m.license_type}`);
    // every type is produced by some item, which belongs to the issuing department
    const produced = new Set();
    for (const g of guides.values()) {
      if (!g.produces) continue;
      assert.ok(known.has(g.produces), `${g.code} produces ${g.produces}`);
      assert.equal(ltypes.find((t) => t.code === g.produces).dept, g.dept, `${g.code} produces its own department's license`);
      produced.add(g.produces);
    }
    assert.equal(produced.size, 78, 'every type is produced by an item');
  });

  test('3 bundles; every step names existing items', async () => {
    const r = await srv.api('GET', '/api/v1/bundles');
    assert.equal(r.status, 200, r.text);
    const bs = r.json.items;
    assert.equal(bs.length, 3);
    const want = { 'BND-QYKB': ['企业开办', 3, 'enterprise'], 'BND-BDCJY': ['不动产交易登记', 5, 'person'],
      'BND-JSXM': ['建设项目联合审批', 41, 'enterprise'] };
    assert.deepEqual(bs.map((b) => b.code).sort(), Object.keys(want).sort());
    for (const b of bs) {
      assert.deepEqual([b.name, b.promised_days, b.target], want[b.code], b.code);
      assert.ok(b.description.length > 0, b.code);
      assert.ok(b.steps.length >= 1, b.code);
      assert.deepEqual(b.steps.map((s) => s.step), b.steps.map((_, i) => i + 1), `${b.code}: steps in order`);
      for (const s of b.steps) {
        assert.ok(s.items.length >= 1, `${b.code} step ${s.step}`);
        for (const it of s.items) {
          const g = await srv.api('GET', `/api/v1/items/${it.code}`);
          assert.equal(g.status, 200, `${b.code} step ${s.step}: ${it.code} exists`);
          assert.equal(it.name, g.json.name, it.code);
          assert.equal(it.dept, g.json.dept, it.code);
          assert.equal(it.dept_name, g.json.dept_name, it.code);
          assert.equal(it.promised_days, g.json.promised_days, it.code);
          assert.equal(g.json.target, b.target, `${it.code} serves the bundle's applicants`);
        }
      }
      const one = await srv.api('GET', `/api/v1/bundles/${b.code}`);
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.json, b);
    }
    const qykb = bs.find((b) => b.code === 'BND-QYKB');
    assert.deepEqual(qykb.steps[0].items.map((i) => i.code), ['SCJ-01-0001']);
    assert.equal(qykb.steps[1].items.length, 6);
    assertError(await srv.api('GET', '/api/v1/bundles/BND-NOPE'), 404, 'not_found');
  });
});

describe('catalog: editing an item makes a new version', () => {
  let srv, admin, clerk, citizen;
  const CODE = 'GHZYJ-07-0010'; /* 不动产转移登记, a person item */
  let v1, caseNo, caseItemId;

  const versions = async () => {
    const r = await srv.api('GET', `/api/v1/items/${CODE}/versions`);
    assert.equal(r.status, 200, r.text);
    return r.json.versions;
  };

  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    clerk = await srv.login('clerk');
    citizen = await srv.login(DEMO_CITIZEN);
    v1 = (await srv.api('GET', `/api/v1/items/${CODE}`)).json;
    assert.equal(v1.version, 1);
    assert.equal(v1.target, 'person');
  });
  after(() => srv?.close());

  test('admin PUT with a changed name: version 2; cases filed before keep version 1', async () => {
    // a case filed before the edit
    const a = await srv.api('POST', '/api/v1/cases', { token: citizen, body: { item_code: CODE, draft: true } });
    assert.equal(a.status, 201, a.text);
    caseNo = a.json.case_no;
    caseItemId = a.json.item_id;
    assert.ok(Number.isInteger(caseItemId) && caseItemId > 0, a.text);
    assert.equal(a.json.title, v1.name);

    const name = `${v1.name}（2026年修订）`;
    const r = await srv.api('PUT', `/api/v1/items/${CODE}`, { token: admin, body: { ...v1, name } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.name, name);
    assert.equal(r.json.code, CODE);
    assert.equal(r.json.dept_name, v1.dept_name);
    assert.deepEqual(r.json.materials, v1.materials, 'the rest of the guide is as sent');
    const g = await srv.api('GET', `/api/v1/items/${CODE}`);
    assert.equal(g.status, 200);
    assert.equal(g.json.version, 2);
    assert.equal(g.json.name, name);
    const vs = await versions();
    assert.deepEqual(vs.map((v) => [v.version, v.current, v.name]), [[2, true, name], [1, false, v1.name]]);
    assert.equal(vs[1].created_by, 'seed');
    // the list and the search show the new name; the catalog still has 585 items
    const all = await srv.api('GET', '/api/v1/items?limit=1');
    assert.equal(all.json.total, 585);
    const found = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('2026年修订')}`);
    assert.deepEqual(found.json.items.map((i) => [i.code, i.name]), [[CODE, name]]);
    const ds = (await srv.api('GET', '/api/v1/departments')).json.items;
    assert.equal(ds.reduce((s, d) => s + d.item_count.person, 0), 167);
    // the case filed before keeps version 1 and its title
    const k = await srv.api('GET', `/api/v1/cases/${caseNo}`, { token: citizen });
    assert.equal(k.status, 200, k.text);
    assert.equal(k.json.item_id, caseItemId);
    assert.equal(k.json.title, v1.name);
    assert.equal(k.json.code, CODE);
    // a case filed now gets version 2
    const b = await srv.api('POST', '/api/v1/cases', { token: citizen, body: { item_code: CODE, draft: true } });
    assert.equal(b.status, 201, b.text);
    assert.notEqual(b.json.item_id, caseItemId);
    assert.equal(b.json.title, name);
  });

  test('only admins edit: a clerk or a citizen is 403, nobody logged in 401; nothing changes', async () => {
    const before = await versions();
    const cur = (await srv.api('GET', `/api/v1/items/${CODE}`)).json;
    const body = { ...cur, name: '不该出现的名称' };
    assertError(await srv.api('PUT', `/api/v1/items/${CODE}`, { token: clerk, body }), 403, 'forbidden');
    assertError(await srv.api('PUT', `/api/v1/items/${CODE}`, { token: citizen, body }), 403, 'forbidden');
    assertError(await srv.api('PUT', `/api/v1/items/${CODE}`, { body }), 401, 'unauthenticated');
    assert.deepEqual(await versions(), before);
    assert.equal((await srv.api('GET', `/api/v1/items/${CODE}`)).json.name, cur.name);
  });

  test('an invalid document is 422 and changes nothing', async () => {
    const before = await versions();
    const cur = (await srv.api('GET', `/api/v1/items/${CODE}`)).json;
    const bad = [
      [{ dept: 'XH-NOPE' }, 'dept'],
      [{ promised_days: cur.legal_days + 1 }, 'promised_days'],
      [{ type: '行政许可证' }, 'type'],
      [{ type: 'permit' }, 'type'],
      [{ code: 'GHZYJ-07-0011' }, 'code'],
      [{ target: 'everyone' }, 'target'],
      [{ online_level: 5 }, 'online_level'],
      [{ legal_days: -1 }, 'legal_days'],
      [{ name: 42 }, 'name'],
      [{ name: '名'.repeat(101) }, 'name'],
      [{ materials: 'none' }, 'materials'],
      [{ materials: [{ ...cur.materials[0], required: 'maybe' }] }, 'materials'],
      [{ materials: [{ ...cur.materials[0], license_type: 'LT-999' }] }, 'materials'],
      [{ form: [{ key: 'x', label: 'X', type: 'colour', required: true }] }, 'form'],
      [{ produces: 'LT-999' }, 'produces'],
    ];
    for (const [change, field] of bad) {
      const r = await srv.api('PUT', `/api/v1/items/${CODE}`, { token: admin, body: { ...cur, name: '非法修改', ...change } });
      assertError(r, 422, 'invalid_field', field);
    }
    const nocode = { ...cur };
    delete nocode.code;
    assertError(await srv.api('PUT', `/api/v1/items/${CODE}`, { token: admin, body: nocode }), 422, 'invalid_field', 'code');
    assert.deepEqual(await versions(), before, 'no new version');
    const now = (await srv.api('GET', `/api/v1/items/${CODE}`)).json;
    assert.deepEqual(now, cur, 'the guide is unchanged');
    const found = await srv.api('GET', `/api/v1/items?q=${encodeURIComponent('非法修改')}`);
    assert.equal(found.json.total, 0);
    // an item that does not exist
    assertError(await srv.api('PUT', '/api/v1/items/GHZYJ-07-9999', { token: admin, body: { ...cur, code: 'GHZYJ-07-9999' } }),
      404, 'not_found');
    assertError(await srv.api('GET', '/api/v1/items/GHZYJ-07-9999'), 404, 'not_found');
  });

  test('ETag and If-Match: an edit from a stale copy is 412 and changes nothing; from the current one it wins', async () => {
    const g = await srv.api('GET', `/api/v1/items/${CODE}`);
    const tag = g.headers.get('etag');
    assert.equal(tag, `"${g.json.version}"`, 'the ETag names the version');
    const stale = g.json;
    // another administrator edits first, from the same copy and naming it
    const first = await srv.api('PUT', `/api/v1/items/${CODE}`, {
      token: admin, body: { ...stale, name: `${stale.name}甲` }, headers: { 'If-Match': tag },
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.version, stale.version + 1);
    assert.equal(first.headers.get('etag'), `"${stale.version + 1}"`);
    const before = await versions();
    // the second one still holds the old copy: refused, nothing changes
    const second = await srv.api('PUT', `/api/v1/items/${CODE}`, {
      token: admin, body: { ...stale, name: `${stale.name}乙` }, headers: { 'If-Match': tag },
    });
    assertError(second, 412, 'precondition_failed', 'If-Match');
    assert.deepEqual(await versions(), before, 'no new version');
    assert.equal((await srv.api('GET', `/api/v1/items/${CODE}`)).json.name, `${stale.name}甲`);
    // a list naming the current tag, and "*", are accepted; a weak tag never matches
    const cur = (await srv.api('GET', `/api/v1/items/${CODE}`)).json;
    const weak = await srv.api('PUT', `/api/v1/items/${CODE}`, {
      token: admin, body: cur, headers: { 'If-Match': `W/"${cur.version}"` },
    });
    assertError(weak, 412, 'precondition_failed', 'If-Match');
    const list = await srv.api('PUT', `/api/v1/items/${CODE}`, {
      token: admin, body: cur, headers: { 'If-Match': `"${cur.version - 1}", "${cur.version}"` },
    });
    assert.equal(list.status, 200, list.text);
    const any = await srv.api('PUT', `/api/v1/items/${CODE}`, { token: admin, body: { ...cur, version: undefined }, headers: { 'If-Match': '*' } });
    assert.equal(any.status, 200, any.text);
    assert.equal(any.json.version, cur.version + 2);
  });
});
