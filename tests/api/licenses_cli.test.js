// licenses_cli.test.js - the license commands of the binary next to a running
// server on the same database:
//
//   ywtb verify license DOC --keys KEYS [--status LIST]   offline, exit 0 VALID / 1 not
//   ywtb import licenses FILE --db URL                     NDJSON or CSV, all rows or none
//
// The import signs with the departments' keys, sealed under the server's
// secret key: the server keeps it in var/ywtb.key of its working directory (the
// default secret_key_file), so the CLI runs with the server's temp dir as its
// working directory, or is given the key with --secret-key.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, tempDir } from './harness.js';

const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const COMPANY2 = '91310104100000016R';
const COMPANY3 = '91310104200000021N';
const COMPANY4 = '91310104300000037M';
const CITIZEN = '310104199003072013';

describe('licenses: ywtb verify license and ywtb import licenses', () => {
  let srv, reviewer, admin, work, lic, docPath, keysPath;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const file = (name, content) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const verifyCli = (...args) => cli(['verify', 'license', ...args], { cwd: work });
  const importCli = (p, extra = [], cwd = srv.dir) => cli(['import', 'licenses', p, '--db', srv.url, ...extra], { cwd });
  const countFor = async (holder) => (await get(reviewer, `/api/v1/licenses?holder=${holder}&limit=200`)).json.items.length;
  /* every page of a license list */
  const listAll = async (token, query) => {
    const out = [];
    let cursor = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = (await get(token, `/api/v1/licenses?${query}&limit=200${cursor ? `&cursor=${cursor}` : ""}`)).json;
      out.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) return out;
    }
    throw new Error("more than 100 pages");
  };
  const countAll = async () => (await listAll(admin, "dept=XH-SCJ")).length;

  before(async () => {
    srv = await startServer();
    work = tempDir('ywtb-lic-cli-');
    reviewer = await srv.login('reviewer');
    admin = await srv.login('admin');
    const r = await post(reviewer, '/api/v1/licenses', {
      type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME,
      fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明', registered_capital: '500' },
    });
    assert.equal(r.status, 201, r.text);
    lic = r.json.id;
    docPath = file('doc.json', (await get(reviewer, `/api/v1/licenses/${lic}/document`)).json);
    keysPath = file('keys.json', (await srv.api('GET', '/api/v1/keys')).json);
  });
  after(async () => {
    await srv?.close();
    if (work && !process.env.YWTB_TEST_KEEP) fs.rmSync(work, { recursive: true, force: true });
  });

  test('verify: a good document is VALID (exit 0), with the keys as GET /api/v1/keys gives them or bare', () => {
    let r = verifyCli(docPath, '--keys', keysPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: /);
    assert.match(r.stdout, /\(ok; status unknown\)/);
    const bare = file('keys-bare.json', JSON.parse(fs.readFileSync(keysPath, 'utf8')).keys);
    r = verifyCli(docPath, '--keys', bare);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: /);
  });

  test('verify: a changed document is INVALID (exit 1) with the reason', () => {
    const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
    const cases = [
      [(d) => { d.license.fields.registered_capital = '5000'; }, 'bad_signature', /altered/],
      [(d) => { d.license.holder.name = '冒名公司'; }, 'bad_signature', /altered/],
      [(d) => { d.license.valid_until = '2030-01-01'; }, 'bad_signature', /altered/],
      [(d) => { d.license.id = `${d.license.id.slice(0, -1)}${d.license.id.endsWith('A') ? 'B' : 'A'}`; }, 'bad_identifier', /check character/],
      [(d) => { d.license.issuer.dept = 'XH-SWJ'; }, 'wrong_issuer', /not of its issuer/],
      [(d) => { d.signature.key_id = 'ffffffffffffffff'; }, 'unknown_key', /not a published key/],
      [(d) => { delete d.signature; }, 'malformed', /not a license document/],
    ];
    for (const [change, code, reason] of cases) {
      const d = structuredClone(doc);
      change(d);
      const r = verifyCli(file('bad.json', d), '--keys', keysPath);
      assert.equal(r.code, 1, `${change}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^INVALID: /, `${change}`);
      assert.ok(r.stdout.includes(`(${code}; `), `${change}: ${r.stdout}`);
      assert.match(r.stdout, reason, `${change}: ${r.stdout}`);
    }
    // keys of another department only
    const keys = JSON.parse(fs.readFileSync(keysPath, 'utf8'));
    const r = verifyCli(docPath, '--keys', file('nokeys.json', { distid: keys.distid, keys: {} }));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\(unknown_key; /);
  });

  test('verify: several documents in one run, one named line each; exit 0 only when all are valid', () => {
    const d = JSON.parse(fs.readFileSync(docPath, 'utf8'));
    d.license.fields.registered_capital = '9999';
    const bad = file('several-bad.json', d);
    const copy = file('several-good.json', JSON.parse(fs.readFileSync(docPath, 'utf8')));
    let r = verifyCli(docPath, copy, '--keys', keysPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(': ').slice(0, 2).join(': ')),
      [`${docPath}: VALID`, `${copy}: VALID`, '2 of 2 documents valid']);
    r = verifyCli(docPath, bad, path.join(work, 'missing.json'), '--keys', keysPath);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines[0].startsWith(`${docPath}: VALID: `), lines[0]);
    assert.ok(lines[1].startsWith(`${bad}: INVALID: `) && lines[1].includes('(bad_signature; '), lines[1]);
    assert.equal(lines[2], `${path.join(work, 'missing.json')}: UNREADABLE`);
    assert.equal(lines[3], '1 of 3 documents valid');
  });

  test('verify: usage and unreadable files', () => {
    let r = verifyCli(docPath);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /--keys/);
    r = verifyCli(path.join(work, 'missing.json'), '--keys', keysPath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read license document/);
    r = verifyCli(file('notjson.json', '{"license":'), '--keys', keysPath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read license document/);
    r = verifyCli(docPath, '--keys', keysPath, '--status', path.join(work, 'missing-list.json'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read status list/);
  });

  test('verify --status: valid before revocation, revoked after (exit 1); a list that is not the issuer\'s is refused', async () => {
    const before = file('list-before.json', (await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ')).json);
    let r = verifyCli(docPath, '--keys', keysPath, '--status', before);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: .*\(ok; status valid\)/);

    r = await post(reviewer, `/api/v1/licenses/${lic}/revoke`, { reason: '营业执照被吊销' });
    assert.equal(r.status, 200, r.text);
    const after = file('list-after.json', (await srv.api('GET', '/api/v1/licenses/status-lists/XH-SCJ')).json);
    r = verifyCli(docPath, '--keys', keysPath, '--status', after);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^INVALID: .*营业执照被吊销.*\(revoked; status revoked\)/);
    // the keys now include the key 税务局 made for its own list
    const swjList = file('list-swj.json', (await srv.api('GET', '/api/v1/licenses/status-lists/XH-SWJ')).json);
    const keys2 = file('keys2.json', (await srv.api('GET', '/api/v1/keys')).json);
    r = verifyCli(docPath, '--keys', keys2, '--status', swjList);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\(bad_status_list; status unknown\)/);
    // the revocation cut out of the list: the list's signature fails
    const cut = JSON.parse(fs.readFileSync(after, 'utf8'));
    cut.list.entries = cut.list.entries.filter((e) => e.id !== lic);
    r = verifyCli(docPath, '--keys', keysPath, '--status', file('list-cut.json', cut));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\(bad_status_list; status unknown\)/);
  });

  test('import NDJSON: every row in, signed with the department key the server uses', async () => {
    assert.ok(fs.existsSync(path.join(srv.dir, 'var', 'ywtb.key')), 'the server keeps its secret in var/ywtb.key');
    const before = await countAll();
    const rows = [
      { type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司', fields: { name: '上海测试二号有限公司', uscc: COMPANY2, legal_rep: '王五' }, valid_from: '2015-04-01' },
      { type: 'LT-001', holder_ident: COMPANY3.toLowerCase(), holder_name: '上海测试三号有限公司' },
      { type: 'LT-002', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司', fields: { operator: '上海测试二号有限公司', premises: '徐汇区, 天钥桥路1号' }, valid_from: '2024-01-01' },
    ];
    const r = importCli(file('good.ndjson', rows.map((x) => JSON.stringify(x)).join('\n') + '\n'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^imported 3 licenses/);
    assert.equal(await countAll(), before + 3);
    const items = (await get(reviewer, `/api/v1/licenses?holder=${COMPANY2}`)).json.items;
    assert.equal(items.length, 2);
    const food = items.find((l) => l.type === 'LT-002');
    assert.equal(food.source, 'import');
    assert.equal(food.valid_from, '2024-01-01');
    assert.equal(food.valid_until, '2028-12-31', 'the type\'s 5 years');
    assert.equal(food.fields.premises, '徐汇区, 天钥桥路1号');
    const bl = items.find((l) => l.type === 'LT-001');
    assert.equal(bl.fields.legal_rep, '王五');
    assert.equal(bl.valid_from, '2015-04-01');
    assert.equal((await get(reviewer, `/api/v1/licenses?holder=${COMPANY3}`)).json.items[0].holder.ident, COMPANY3);
    // the server verifies what the CLI signed, and so does the offline check
    const doc = (await get(reviewer, `/api/v1/licenses/${bl.id}/document`)).json;
    const v = await srv.api('POST', '/api/v1/licenses/verify', { body: { document: doc } });
    assert.deepEqual([v.json.valid, v.json.code], [true, 'ok']);
    const rv = verifyCli(file('imported.json', doc), '--keys', file('keys3.json', (await srv.api('GET', '/api/v1/keys')).json));
    assert.equal(rv.code, 0, rv.stdout + rv.stderr);
    // the server keeps issuing with the same key afterwards
    const again = await post(reviewer, '/api/v1/licenses', { type: 'LT-001', holder_ident: COMPANY4, holder_name: '上海测试四号有限公司' });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.key_id, doc.license.key_id);
  });

  test('import CSV: quoted values with commas and quotes', async () => {
    const before = await countFor(COMPANY4);
    const csv = [
      'type,holder_ident,holder_name,valid_from,field.name,field.business_scope,field.address,field.legal_rep',
      `LT-001,${COMPANY4},"上海测试四号有限公司",2021-07-01,"上海测试四号有限公司","技术开发, 技术咨询, 技术服务","上海市徐汇区""漕河泾""开发区, 宜山路900号",赵六`,
      '',
      `LT-001,${COMPANY4},上海测试四号有限公司分公司,,上海测试四号有限公司分公司,批发,徐汇区,"钱七"`,
    ].join('\r\n') + '\r\n';
    const r = importCli(file('good.csv', csv));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^imported 2 licenses/);
    const items = (await get(reviewer, `/api/v1/licenses?holder=${COMPANY4}`)).json.items;
    assert.equal(items.length, before + 2);
    const a = items.find((l) => l.valid_from === '2021-07-01');
    assert.ok(a, JSON.stringify(items));
    assert.deepEqual(a.fields, {
      name: '上海测试四号有限公司', business_scope: '技术开发, 技术咨询, 技术服务',
      address: '上海市徐汇区"漕河泾"开发区, 宜山路900号', legal_rep: '赵六',
    });
    const b = items.find((l) => l.holder.name === '上海测试四号有限公司分公司');
    assert.ok(b, JSON.stringify(items));
    assert.equal(b.fields.legal_rep, '钱七');
    assert.equal(b.fields.business_scope, '批发');
  });

  test('import: one bad row imports nothing and the bad lines are named', async () => {
    const before = await countAll();
    const nd = [
      { type: 'LT-001', holder_ident: COMPANY2, holder_name: '甲' },
      { type: 'LT-001', holder_ident: COMPANY2, holder_name: '乙' },
      { type: 'LT-001', holder_ident: '91310104100000016X', holder_name: '丙' },
      { type: 'LT-001', holder_ident: COMPANY2, holder_name: '丁' },
    ].map((x) => JSON.stringify(x));
    nd.push('{"type": "LT-001", "holder_ident": ');
    nd.push(JSON.stringify({ type: 'LT-001', holder_ident: COMPANY2, holder_name: '戊', fields: { colour: 'red' } }));
    let r = importCli(file('bad.ndjson', nd.join('\n') + '\n'));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /line 3: .*\(holder_ident\)/);
    assert.match(r.stderr, /line 5: not a JSON object/);
    assert.match(r.stderr, /line 6: .*colour/);
    assert.doesNotMatch(r.stderr, /line [124]:/);
    assert.match(r.stderr, /3 of 6 rows are not valid: nothing was imported/);
    assert.equal(r.stdout, '');
    assert.equal(await countAll(), before, 'nothing imported');

    const csv = [
      'type,holder_ident,holder_name,valid_from,valid_until,field.name',
      `LT-001,${COMPANY2},甲,,,甲`,
      `LT-001,${COMPANY2},乙,2026-02-30,,乙`,
      `LT-001,${COMPANY2},丙,,,"丙, 有限公司"`,
      `LT-001,${COMPANY2},丁,,`,
      `LT-404,${COMPANY2},戊,,,戊`,
    ].join('\n') + '\n';
    r = importCli(file('bad.csv', csv));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /line 3: .*valid_from/);
    assert.match(r.stderr, /line 5: 5 columns, the header has 6/);
    assert.match(r.stderr, /line 6: .*LT-404/);
    assert.doesNotMatch(r.stderr, /line [124]:/);
    assert.equal(await countAll(), before, 'nothing imported');
  });

  test('import in chunks signed on every core: 1,300 rows in file order, each signature good; a bad row in the last chunk undoes the written ones', async () => {
    const N = 1300; // more than two chunks of 512 (licenses/import.c)
    const all = () => listAll(reviewer, `holder=${COMPANY3}`);
    const before = (await all()).length;
    const rows = Array.from({ length: N }, (_, i) => JSON.stringify({ type: 'LT-001', holder_ident: COMPANY3, holder_name: `批量${i}` }));
    // a bad row after two chunks were written: nothing stays
    const bad = [...rows.slice(0, 1200), JSON.stringify({ type: 'LT-001', holder_ident: COMPANY3, holder_name: '' }), ...rows.slice(1200)];
    let r = importCli(file('bulk-bad.ndjson', bad.join('\n') + '\n'));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /line 1201: .*holder_name/);
    assert.equal((await all()).length, before, 'nothing imported');
    r = importCli(file('bulk.ndjson', rows.join('\n') + '\n'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^imported ${N} licenses`));
    const items = (await all()).filter((l) => l.holder.name.startsWith('批量'));
    assert.equal(items.length, N);
    // the serials are consecutive in the file's order, whichever thread signed the row
    const serialOf = (l) => Number(l.id.split('.')[7]); // 1.2.156.3005.2.TYPE.ISSUER.SERIAL.VER.CHECK
    const byName = new Map(items.map((l) => [l.holder.name, serialOf(l)]));
    const first = byName.get('批量0');
    for (let i = 0; i < N; i++) assert.equal(byName.get(`批量${i}`), first + i, `row ${i}`);
    // rows from every chunk and both ends of a chunk verify
    for (const i of [0, 255, 511, 512, 1023, 1024, N - 1]) {
      const l = items.find((x) => x.holder.name === `批量${i}`);
      const doc = (await get(reviewer, `/api/v1/licenses/${l.id}/document`)).json;
      const v = await srv.api('POST', '/api/v1/licenses/verify', { body: { document: doc } });
      assert.deepEqual([v.json.valid, v.json.code], [true, 'ok'], `row ${i}`);
    }
  });

  test('import: the secret key decides; a wrong one imports nothing, the right one by --secret-key works', async () => {
    const before = await countAll();
    const rows = `${JSON.stringify({ type: 'LT-001', holder_ident: COMPANY3, holder_name: '上海测试三号有限公司' })}\n`;
    const p = file('one.ndjson', rows);
    // from another directory the CLI finds no key file: it refuses to make a new secret while
    // the database holds keys sealed under another one (issue 21 item 2), and imports nothing
    const elsewhere = tempDir('ywtb-lic-cli-other-');
    try {
      let r = importCli(p, [], elsewhere);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /secret key file .* does not exist, but the database holds signing keys sealed/);
      assert.equal(await countAll(), before);
      r = importCli(p, ['--secret-key', 'ab'.repeat(32)], elsewhere);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(await countAll(), before);
      r = importCli(p, ['--secret-key', 'not-hex'], elsewhere);
      assert.notEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /secret key/);
      // the server's key, given on the command line
      const secret = fs.readFileSync(path.join(srv.dir, 'var', 'ywtb.key'), 'utf8').trim();
      assert.match(secret, /^[0-9a-f]{64}$/);
      r = importCli(p, ['--secret-key', secret], elsewhere);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^imported 1 licenses/);
      assert.equal(await countAll(), before + 1);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('import: usage, a missing file, an empty valid_until cell', async (t) => {
    let r = cli(['import', 'licenses', '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    r = cli(['import', 'cases', path.join(work, 'good.csv'), '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    r = importCli(path.join(work, 'nope.csv'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot open/);
    // an empty valid_until cell of a type valid for 5 years (食品经营许可证)
    r = importCli(file('food.csv', `type,holder_ident,holder_name,valid_from,valid_until\nLT-002,${COMPANY3},上海测试三号有限公司,2025-01-01,\n`));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const food = (await get(reviewer, `/api/v1/licenses?holder=${COMPANY3}&type=LT-002`)).json.items[0];
    assert.equal(food.valid_from, '2025-01-01');
    assert.equal(food.valid_until, '2029-12-31', 'an empty CSV cell means the type\'s default validity');
  });
});
