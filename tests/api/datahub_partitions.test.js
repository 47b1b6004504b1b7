// datahub_partitions.test.js - migration 0029: on PostgreSQL dh_records is
// hash-partitioned by subject (32 partitions) and dh_ledger range-partitioned
// by month with a default partition; on SQLite both stay whole tables.  On
// both engines the same API works over them: records pushed, a subject read
// with its ledger entry, the person's ledger and file, a dispute of the entry
// (found by id across the month partitions), a correction that rewrites a
// record.  The catalogue checks read the database directly (psql / sqlite3).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, ENGINE } from './harness.js';
import { addStaff, assertError, idNumber } from './case_fixtures.js';

const CITIZEN = '310104199003072013';
const D = '/api/v1/datahub';

describe('datahub: partitioned records and ledger (0029), the same API on both engines', () => {
  let srv, admin, hub, reviewer, citizen, gaOfficer;
  const get = (token, p) => srv.api('GET', p, { token });
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });

  /** One SQL query's rows (tab-separated columns) on the server's database. */
  const sql = (q) => {
    const out = ENGINE === 'postgres'
      ? execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' })
      : execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', dbFile(), q], { encoding: 'utf8' });
    return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  };
  const dbFile = () => {
    const u = srv.url.replace(/^sqlite:(\/\/)?/, '');
    return path.isAbsolute(u) ? u : path.join(srv.dir, u);
  };

  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    hub = await srv.login('dataofficer');
    reviewer = await srv.login('reviewer');
    citizen = await srv.login(CITIZEN);
    gaOfficer = (await addStaff(srv, admin, 'ga.part', '公安数据员', 'XH-GAFJ', ['data_officer'])).token;
  });
  after(() => srv?.close());

  test('the layout: hash partitions by subject and month partitions of the ledger on PostgreSQL, whole tables on SQLite', () => {
    if (ENGINE === 'postgres') {
      const kinds = Object.fromEntries(sql("SELECT relname, relkind FROM pg_class WHERE relname IN ('dh_records', 'dh_ledger')"));
      assert.deepEqual(kinds, { dh_records: 'p', dh_ledger: 'p' });
      const strategy = Object.fromEntries(sql("SELECT c.relname, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname LIKE 'dh_%'"));
      assert.deepEqual(strategy, { dh_records: 'h', dh_ledger: 'r' });
      const parts = (t) => sql(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = '${t}'`).map((r) => r[0]);
      assert.equal(parts('dh_records').length, 32);
      const months = parts('dh_ledger');
      assert.ok(months.includes('dh_ledger_default'));
      // this month and the next have partitions of their own (added at start-up past 2028)
      const now = new Date();
      const m = (d) => `dh_ledger_m${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      assert.ok(months.includes(m(now)), `${m(now)} in ${months.length} partitions`);
      assert.ok(months.includes(m(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)))));
    } else {
      const t = sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'dh_%' ORDER BY name").map((r) => r[0]);
      assert.ok(t.includes('dh_records') && t.includes('dh_ledger'));
      assert.ok(!t.some((n) => /^dh_(records|ledger)_/.test(n)), 'no partition tables on SQLite');
    }
    // the ledger records the item of a prefill read on both engines
    const cols = ENGINE === 'postgres'
      ? sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'dh_ledger'").map((r) => r[0])
      : sql("SELECT name FROM pragma_table_info('dh_ledger')").map((r) => r[0]);
    assert.ok(cols.includes('item_code'));
  });

  test('records pushed for many subjects spread over the partitions and read back through the API', async () => {
    const subjects = Array.from({ length: 40 }, (_, i) => idNumber('19800101', 100 + i));
    const r = await post(gaOfficer, `${D}/resources/GA-HJRK/records`, {
      records: subjects.map((s, i) => ({ id_number: s, name: `分区${i}`, hukou_address: `徐汇区分区路${i}号` })),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rows, 40);
    // the same key again is an upsert (ON CONFLICT on the partitioned unique key), not a second row
    const again = await post(gaOfficer, `${D}/resources/GA-HJRK/records`, { records: [{ id_number: subjects[0], name: '分区零', hukou_address: '徐汇区分区路0号' }] });
    assert.equal(again.status, 200, again.text);
    const one = await get(gaOfficer, `${D}/resources/GA-HJRK/subjects/${subjects[0]}?purpose=service&purpose_text=${encodeURIComponent('核对')}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.records.length, 1);
    assert.equal(one.json.records[0].data.name, '分区零');
    if (ENGINE === 'postgres') {
      const used = sql("SELECT COUNT(DISTINCT tableoid) FROM dh_records WHERE subject LIKE '19800101%' OR subject LIKE '%19800101%'");
      assert.ok(Number(used[0][0]) >= 10, `40 subjects in ${used[0][0]} partitions`);
      const where = sql(`SELECT tableoid::regclass FROM dh_records WHERE subject = '${subjects[0]}'`);
      assert.match(where[0][0], /^dh_records_h\d\d$/);
    }
  });

  test('a read lands in this month\'s ledger partition; the person sees it, disputes it, and the department answers', async () => {
    const r = await get(reviewer, `${D}/resources/GA-HJRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000031`);
    assert.equal(r.status, 200, r.text);
    const id = r.json.ledger_id;
    const mine = (await get(citizen, `${D}/me/ledger`)).json.items;
    assert.ok(mine.some((e) => e.id === id));
    if (ENGINE === 'postgres') {
      const where = sql(`SELECT tableoid::regclass, at FROM dh_ledger WHERE id = ${Number(id)}`);
      assert.match(where[0][0], /^dh_ledger_m\d{6}$/);
      assert.equal(where[0][0].slice(-6), where[0][1].slice(0, 7).replace('-', ''));
    }
    const d = await post(citizen, `${D}/me/ledger/${id}/dispute`, { reason: '我没有办理这个案件' });
    assert.equal(d.status, 201, d.text);
    assertError(await post(citizen, `${D}/me/ledger/999999999/dispute`, { reason: '没有这条' }), 404, 'not_found');
    const open = (await get(await srv.login('supervisor'), `${D}/disputes`)).json.items.find((x) => x.ledger_id === id);
    assert.ok(open, 'the dispute joins its ledger entry across partitions');
    // the person's file still reads every resource holding them
    const file = await get(citizen, `${D}/me/file`);
    assert.equal(file.status, 200, file.text);
    assert.ok(file.json.resources.some((x) => x.resource === 'GA-HJRK'));
  });

  test('a correction rewrites the record in its partition', async () => {
    const c = await post(citizen, `${D}/me/corrections`, { resource: 'GA-HJRK', field: 'hukou_address', proposed: '徐汇区分区更正路1号', reason: '地址已变更' });
    assert.equal(c.status, 201, c.text);
    const a = await post(hub, `${D}/corrections/${c.json.id}/answer`, { decision: 'corrected', answer: '已更正' });
    assert.equal(a.status, 200, a.text);
    const r = await get(gaOfficer, `${D}/resources/GA-HJRK/subjects/${CITIZEN}?purpose=service&purpose_text=${encodeURIComponent("核对更正")}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.records[0].data.hukou_address, '徐汇区分区更正路1号');
  });
});
