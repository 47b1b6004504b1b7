// supervision_audit.test.js - the supervisors' audit viewer (审计查询): the
// audit chain searched by actor, subject, action and day, each record's place
// in the chain checked, the whole chain verified (and a changed record found,
// both by the search and by the verification), CSV export; bad filters are a
// clear 422, and only supervisors read it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fixtureServer, registerPerson, assertError } from './case_fixtures.js';
import { ENGINE, PG_ADMIN } from './harness.js';

describe('supervision: the audit viewer', () => {
  let srv, sup, person, caseNo;
  const get = (p, token = sup) => srv.api('GET', p, { token });
  const ok = async (p, token) => {
    const r = await get(p, token);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  before(async () => {
    srv = await fixtureServer({ clock: '2026-11-02T10:00:00+08:00' });
    sup = await srv.login('supervisor');
    person = await registerPerson(srv, '审计人', '19850101', 41);
    const r = await srv.api('POST', '/api/v1/cases', { token: person.token, body: { item_code: 'T-SWJ-D5' } });
    assert.equal(r.status, 201, r.text);
    caseNo = r.json.case_no;
  });
  after(() => srv?.close());

  test('by subject, actor, action and day, newest first, each record checked in the chain', async () => {
    const bySubject = await ok(`/api/v1/supervision/audit?obj_type=case&obj_id=${caseNo}`);
    assert.ok(bySubject.records.length >= 1, 'the submission is audited');
    for (const r of bySubject.records) {
      assert.equal(r.obj_id, caseNo);
      assert.equal(r.hash_ok, true);
      assert.equal(r.linked, true);
      assert.match(r.hash, /^[0-9a-f]{64}$/);
    }
    const seqs = bySubject.records.map((r) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    assert.ok(bySubject.head >= seqs[0]);

    const byActor = await ok(`/api/v1/supervision/audit?actor=${person.id}&limit=200`);
    assert.ok(byActor.records.length >= 2, 'registration and submission');
    assert.ok(byActor.records.every((r) => r.actor === String(person.id)));
    assert.ok(byActor.records.some((r) => r.obj_id === caseNo));

    const prefix = await ok(`/api/v1/supervision/audit?action=case.&actor=${person.id}`);
    assert.ok(prefix.records.length >= 1 && prefix.records.every((r) => r.action.startsWith('case.')));
    const exact = await ok(`/api/v1/supervision/audit?action=${prefix.records[0].action}`);
    assert.ok(exact.records.every((r) => r.action === prefix.records[0].action));
    assert.equal((await ok('/api/v1/supervision/audit?action=case.no_such_action')).records.length, 0);

    const today = await ok(`/api/v1/supervision/audit?obj_id=${caseNo}&from=2026-11-02&to=2026-11-02`);
    assert.equal(today.records.length, bySubject.records.length);
    assert.equal((await ok(`/api/v1/supervision/audit?obj_id=${caseNo}&from=2026-11-03`)).records.length, 0);
    assert.equal((await ok(`/api/v1/supervision/audit?obj_id=${caseNo}&to=2026-11-01`)).records.length, 0);
  });

  test('pages: limit and before walk the chain backwards without gaps', async () => {
    const all = await ok('/api/v1/supervision/audit?limit=6');
    const p1 = await ok('/api/v1/supervision/audit?limit=3');
    assert.equal(p1.next_before, p1.records[2].seq);
    const p2 = await ok(`/api/v1/supervision/audit?limit=3&before=${p1.next_before}`);
    assert.deepEqual([...p1.records, ...p2.records].map((r) => r.seq), all.records.map((r) => r.seq));
  });

  test('CSV export with Chinese headers, one row per record found', async () => {
    const r = await get(`/api/v1/supervision/audit.csv?actor=${person.id}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /ywtb-audit\.csv/);
    const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.match(lines[0], /^序号 seq,时间 at/);
    const found = await ok(`/api/v1/supervision/audit?actor=${person.id}&limit=200`);
    assert.equal(lines.length - 1, found.records.length);
    assert.ok(lines.slice(1).every((l) => l.endsWith(',是 yes')));
    assert.ok(lines.some((l) => l.includes(caseNo)));
  });

  test('bad filters are 422 and only supervisors read the chain', async () => {
    assertError(await get('/api/v1/supervision/audit?from=2026-13-01'), 422, 'invalid_field', 'from');
    assertError(await get('/api/v1/supervision/audit?from=2026-11-03&to=2026-11-02'), 422, 'invalid_field', 'from');
    assertError(await get('/api/v1/supervision/audit?limit=0'), 422, 'invalid_field', 'limit');
    assertError(await get('/api/v1/supervision/audit?limit=abc'), 422, 'invalid_field', 'limit');
    assertError(await get('/api/v1/supervision/audit?before=-1'), 422, 'invalid_field', 'before');
    assertError(await get(`/api/v1/supervision/audit?actor=${'x'.repeat(65)}`), 422, 'invalid_field', 'actor');
    assertError(await get(`/api/v1/supervision/audit.csv?obj_id=${'x'.repeat(129)}`), 422, 'invalid_field', 'obj_id');
    const reviewer = await srv.login('reviewer');
    assertError(await get('/api/v1/supervision/audit', reviewer), 403, 'forbidden');
    assertError(await get('/api/v1/supervision/audit/verify', person.token), 403, 'forbidden');
    assertError(await get('/api/v1/supervision/audit.csv', person.token), 403, 'forbidden');
  });

  test('the whole chain verifies; a changed record is found by the verification and the search', async () => {
    const v0 = await ok('/api/v1/supervision/audit/verify');
    assert.equal(v0.intact, true);
    assert.equal(v0.bad_seq, null);
    assert.equal(v0.records, v0.head);
    const target = (await ok(`/api/v1/supervision/audit?obj_id=${caseNo}`)).records[0].seq;
    const sql = `UPDATE audit_log SET actor = 'mallory' WHERE seq = ${target}`;
    if (ENGINE === 'sqlite') {
      execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.replace(/^sqlite:/, ''), sql]);
    } else {
      const u = new URL(PG_ADMIN);
      u.pathname = `/${srv.db.name}`;
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', u.toString(), '-c', sql]);
    }
    const v1 = await ok('/api/v1/supervision/audit/verify');
    assert.equal(v1.intact, false);
    assert.equal(v1.bad_seq, target);
    assert.match(v1.problem, /changed/);
    const [rec] = (await ok(`/api/v1/supervision/audit?obj_id=${caseNo}`)).records;
    assert.equal(rec.seq, target);
    assert.equal(rec.actor, 'mallory');
    assert.equal(rec.hash_ok, false);
    assert.equal(rec.linked, true, 'its link to the record before is intact: only its content changed');
  });
});
