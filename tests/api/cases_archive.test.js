// cases_archive.test.js - issue 17, ten years of cases: finished cases older
// than cases_archive_after_days move to the archive tables of migration 0036
// (on PostgreSQL cases_archive partitioned by the month the case finished, on
// SQLite one table) through `ywtb archive` or the job.  On both engines: an
// archived case is still found by every read path (the case page for the
// applicant and the reviewer, the applicant's list, the window's list, the
// public status query, the download of its material), is not moved twice,
// and its move is audited once; nothing unfinished moves; an archived case
// refuses writes with a 4xx.  The layout checks read the database directly.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import path from 'node:path';
import { startServer, cli, ENGINE, BIN, cleanEnv } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

const CITIZEN = '310104199003072013';
const CODE = 'SCJ-20-0006';

describe('cases: the archive of finished cases (0036), the same API on both engines', () => {
  let srv, citizen, clerk, reviewer;
  const api = (m, p, token, body) => srv.api(m, p, { token, body });

  const dbFile = () => {
    const u = srv.url.replace(/^sqlite:(\/\/)?/, '');
    return path.isAbsolute(u) ? u : path.join(srv.dir, u);
  };
  const sql = (q) => {
    const out = ENGINE === 'postgres'
      ? execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' })
      : execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', dbFile(), q], { encoding: 'utf8' });
    return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  };
  const archive = (days = '0') => cli(['archive', '--db', srv.url, '--cases-archive-after-days', days,
    '--cases-archive-batch', '2'], { cwd: srv.dir });

  async function upload(token, label) {
    const fd = new FormData();
    fd.append('file', new Blob([makePdf(label)], { type: 'application/pdf' }), 'm.pdf');
    const r = await fetch(`${srv.base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fd });
    assert.equal(r.status, 201);
    return (await r.json()).file_id;
  }
  async function apply(fid) {
    const item = (await api('GET', `/api/v1/items/${CODE}`)).json;
    const sample = { text: '测试', address: '漕溪北路336号', phone: '13900000000', date: '2026-01-01', number: 100, id_number: CITIZEN };
    const form = {};
    for (const f of item.form) if (f.required && !f.prefill) form[f.key] = f.type === 'choice' ? f.options[0] : sample[f.type] ?? '测试';
    const materials = item.materials.filter((m) => m.required === 'required').map((m) => ({ material_code: m.code, file_id: fid }));
    const r = await api('POST', '/api/v1/cases', citizen, { item_code: CODE, form, materials });
    assert.equal(r.status, 201, r.text);
    return r.json.case_no;
  }
  const accept = async (no) => assert.equal((await api('POST', `/api/v1/cases/${no}/accept`, clerk, {})).status, 200);

  let approved, withdrawn, pending, submitted, approvedFile;
  before(async () => {
    srv = await startServer({ args: ['--cases-archive-seconds', '0'] });
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    approvedFile = await upload(citizen, 'approved');
    const other = await upload(citizen, 'other');
    approved = await apply(approvedFile);
    await accept(approved);
    const page = (await api('GET', `/api/v1/cases/${approved}`, reviewer)).json;
    const task = page.tasks.find((t) => t.status === 'pending');
    const d = await api('POST', `/api/v1/tasks/${task.id}/decide`, reviewer, { decision: 'approve' });
    assert.equal(d.status, 200, d.text);
    assert.equal((await api('GET', `/api/v1/cases/${approved}`, citizen)).json.status, 'approved');
    withdrawn = await apply(other);
    assert.equal((await api('POST', `/api/v1/cases/${withdrawn}/withdraw`, citizen, { reason: '不办了' })).status, 200);
    pending = await apply(other);
    await accept(pending);
    submitted = await apply(other);
  });
  after(() => srv?.close());

  const where = (no) => [
    sql(`SELECT COUNT(*) FROM cases WHERE case_no = '${no}'`)[0][0],
    sql(`SELECT COUNT(*) FROM cases_archive WHERE case_no = '${no}'`)[0][0],
  ].join('/');

  test('a case finished less than cases_archive_after_days ago stays; then finished cases move, unfinished ones never', async () => {
    const before = (await api('GET', `/api/v1/cases/${approved}`, citizen)).json;
    let r = archive('730');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /archive: 0 finished cases moved/);
    assert.equal(where(approved), '1/0');
    r = archive();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /archive: 2 finished cases moved/);
    assert.equal(where(approved), '0/1');
    assert.equal(where(withdrawn), '0/1');
    assert.equal(where(pending), '1/0', 'an accepted case is not finished');
    assert.equal(where(submitted), '1/0', 'a submitted case is not finished');
    // its timeline, tasks and materials went with it
    const id = sql(`SELECT id FROM cases_archive WHERE case_no = '${approved}'`)[0][0];
    for (const t of ['case_events', 'tasks', 'case_materials']) {
      assert.equal(sql(`SELECT COUNT(*) FROM ${t} WHERE case_id = ${id}`)[0][0], '0', t);
      assert.ok(Number(sql(`SELECT COUNT(*) FROM ${t}_archive WHERE case_id = ${id}`)[0][0]) > 0, `${t}_archive`);
    }
    // the case page reads the same as before the move
    const after = (await api('GET', `/api/v1/cases/${approved}`, citizen)).json;
    assert.deepEqual(after, before);
  });

  test('the move is audited once and a second run moves nothing', () => {
    const r = archive();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /archive: 0 finished cases moved/);
    for (const no of [approved, withdrawn])
      assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'case.archive' AND obj_id = '${no}'`)[0][0], '1', no);
    for (const no of [pending, submitted])
      assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'case.archive' AND obj_id = '${no}'`)[0][0], '0', no);
    assert.equal(sql(`SELECT COUNT(*) FROM cases_archive`)[0][0], '2');
  });

  test('every read path finds an archived case', async () => {
    let r = await api('GET', `/api/v1/cases/${approved}`, citizen);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    assert.deepEqual(r.json.timeline.map((e) => e.action), ['case.submit', 'case.accept', 'task.decide', 'case.approve']);
    assert.equal(r.json.tasks.length, 1);
    assert.ok(r.json.materials.some((m) => m.file_id === approvedFile));
    r = await api('GET', `/api/v1/cases/${approved}`, reviewer);
    assert.equal(r.status, 200, 'the reviewer whose department decided it');
    const mine = (await api('GET', '/api/v1/cases?limit=100', citizen)).json.items.map((c) => c.case_no);
    for (const no of [approved, withdrawn, pending, submitted]) assert.ok(mine.includes(no), `applicant's list: ${no}`);
    assert.deepEqual(mine.indexOf(submitted) < mine.indexOf(approved), true, 'newest first across both tables');
    const window = (await api('GET', '/api/v1/cases?limit=100', clerk)).json.items.map((c) => c.case_no);
    assert.ok(window.includes(approved) && window.includes(pending));
    const dept = (await api('GET', '/api/v1/cases?limit=100', reviewer)).json.items.map((c) => c.case_no);
    assert.ok(dept.includes(approved), "the reviewer's department list");
    const paged = (await api('GET', '/api/v1/cases?limit=1&status=approved', citizen)).json;
    assert.deepEqual(paged.items.map((c) => c.case_no), [approved]);
    r = await api('GET', `/api/v1/public/case-status?case_no=${approved}&id_number=${CITIZEN}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    assert.ok(r.json.steps.some((s) => s.action === 'case.approve'));
    r = await api('GET', `/api/v1/public/case-status?case_no=${approved}&id_number=310104199003072021`);
    assert.equal(r.status, 404, 'a wrong number still gets the same 404');
    r = await api('GET', `/api/v1/files/${approvedFile}`, reviewer);
    assert.equal(r.status, 200, 'the material of an archived case is still readable by its reviewer');
    r = await fetch(`${srv.base}/api/v1/cases/${approved}/notices/decision.pdf`, { headers: { authorization: `Bearer ${citizen}` } });
    assert.equal(r.status, 200, 'the decision notice');
    assert.match(r.headers.get('content-type'), /^application\/pdf/);
  });

  test('an archived case refuses writes with a 4xx and changes nothing', async () => {
    const r = await api('POST', `/api/v1/cases/${withdrawn}/withdraw`, citizen, { reason: '再撤' });
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
    assert.equal(sql(`SELECT COUNT(*) FROM case_events_archive e JOIN cases_archive x ON x.id = e.case_id WHERE x.case_no = '${withdrawn}' AND e.action = 'case.withdraw'`)[0][0], '1');
  });

  test('two archive runs at once (two nodes) move each case exactly once', async () => {
    const more = [];
    const fid = await upload(citizen, 'more');
    for (let i = 0; i < 4; i++) {
      const no = await apply(fid);
      assert.equal((await api('POST', `/api/v1/cases/${no}/withdraw`, citizen, { reason: '不办了' })).status, 200);
      more.push(no);
    }
    const run = () => new Promise((resolve) => {
      execFile(BIN, ['archive', '--db', srv.url, '--cases-archive-after-days', '0', '--cases-archive-batch', '1'],
        { cwd: srv.dir, env: cleanEnv() }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
    });
    const runs = await Promise.all([run(), run()]);
    let moved = 0;
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr); // a run that finds the job taken waits for it
      moved += Number(/archive: (\d+) finished/.exec(r.stdout)[1]);
    }
    assert.equal(moved, 4, 'the runs together moved each case once');
    for (const no of more) {
      assert.equal(where(no), '0/1', no);
      assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'case.archive' AND obj_id = '${no}'`)[0][0], '1', no);
    }
    assert.equal(sql(`SELECT COUNT(*) FROM cases_archive`)[0][0], '6');
  });

  test('the layout: month partitions on PostgreSQL, one table on SQLite', () => {
    if (ENGINE === 'postgres') {
      assert.equal(sql("SELECT relkind FROM pg_class WHERE relname = 'cases_archive'")[0][0], 'p');
      const now = new Date();
      const m = `cases_archive_m${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      const parts = sql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'cases_archive'").map((x) => x[0]);
      assert.deepEqual(parts, [m]);
      assert.equal(sql(`SELECT COUNT(*) FROM ${m}`)[0][0], '6');
    } else {
      assert.equal(sql("SELECT type FROM sqlite_master WHERE name = 'cases_archive'")[0][0], 'table');
    }
  });
});
