// ops_calendar.test.js - loading a year's official holidays (issue 21: the 2027
// calendar was missing and nothing said so).  `ywtb calendar show YEAR` prints
// what the nodes count with and exits 1 for a year not loaded; `ywtb calendar
// import FILE` validates the file as the server does (a wrong date is refused,
// exit 2, nothing written), refuses to replace a loaded year with other dates
// unless --replace, writes data_dir/calendar/YYYY.json and records an audit
// record; a node started afterwards counts with it.
//
// The imported year here is 2031 with made-up dates, marked "test only" in its
// source: the repository ships no year the State Council has not published.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cli, createDatabase, tempDir, Server, ENGINE, REPO } from './harness.js';

const YEAR = {
  year: 2031,
  source: 'test only - not an official notice',
  // 2031-01-01 is a Wednesday; 01-04 a Saturday
  holidays: [{ name: '元旦', days: ['2031-01-01', '2031-01-02', '2031-01-03'] }],
  workdays: [{ name: '元旦调休', days: ['2031-01-04'] }],
};

describe(`ywtb calendar (${ENGINE})`, () => {
  let dir, data, db;
  const run = (args) => cli(['calendar', ...args, '--data-dir', data], { cwd: dir });
  const write = (name, doc) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 1));
    return p;
  };
  // the calendar.import audit records, read with the engine's own client
  const audits = () => {
    const q = "SELECT obj_id || ' ' || summary FROM audit_log WHERE action = 'calendar.import' ORDER BY seq";
    const out = ENGINE === 'sqlite'
      ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
      : execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', q], { encoding: 'utf8' });
    return out.trim().split('\n').filter(Boolean).map((l) => ({ year: l.slice(0, 4), ...JSON.parse(l.slice(5)) }));
  };

  before(() => {
    dir = tempDir('ywtb-cal-');
    data = path.join(dir, 'data');
    fs.cpSync(path.join(REPO, 'data'), data, { recursive: true });
    db = createDatabase(dir);
    const m = cli(['migrate', '--db', db.url], { cwd: dir });
    assert.equal(m.code, 0, m.stderr);
  });
  after(() => {
    db?.drop();
    if (!process.env.YWTB_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('show prints a loaded year as the nodes count it', () => {
    const r = run(['show', '2026']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^source: 国务院办公厅关于2026年部分节假日安排的通知/m);
    assert.match(r.stdout, /^ {2}春节 {2}2026-02-15 \.\. 2026-02-23 {2}\(9 days\)$/m);
    assert.match(r.stdout, /^ {2}2026-02-28 {2}周六$/m);
    // 261 weekdays - 19 weekdays off + 6 make-up Saturdays and Sundays
    assert.match(r.stdout, /^working days: 248$/m);
  });

  test('show of a year not loaded exits 1 and says how to load it', () => {
    const r = run(['show', '2027']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no calendar for 2027 .*\(loaded: 2025-2026\).*ywtb calendar import FILE/);
    assert.equal(run(['show', 'next']).code, 2);
  });

  test('a file with a wrong date is refused, exit 2, nothing written or recorded', () => {
    const bad = write('bad.json', { ...YEAR, workdays: [{ name: '调休', days: ['2031-01-06'] }] });
    const r = run(['import', bad, '--db', db.url]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /workdays\[0\]\.days\[0\].*'2031-01-06' is a weekday, not a Saturday or Sunday/);
    assert.equal(fs.existsSync(path.join(data, 'calendar', '2031.json')), false);
    const notJson = write('nope.json', '{"year": 2031,');
    assert.equal(run(['import', notJson, '--db', db.url]).code, 2);
    assert.equal(run(['import', path.join(dir, 'missing.json'), '--db', db.url]).code, 2);
    assert.deepEqual(fs.readdirSync(path.join(data, 'calendar')).sort(), ['2025.json', '2026.json', 'README.md']);
    assert.deepEqual(audits(), []);
  });

  test('import writes the year, records it, and a node started afterwards counts with it', async () => {
    const file = write('notice-2031.json', YEAR);
    const r = run(['import', file, '--db', db.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^calendar 2031 imported: 1 holiday blocks \(3 days off\), 1 make-up working days/m);
    assert.match(r.stdout, /restart every node/);
    const written = path.join(data, 'calendar', '2031.json');
    assert.equal(fs.readFileSync(written, 'utf8'), fs.readFileSync(file, 'utf8'));
    assert.equal(fs.readdirSync(path.join(data, 'calendar')).some((f) => f.includes('.import.')), false, 'no temporary file left');
    const [rec] = audits();
    assert.equal(rec.year, 2031);
    assert.equal(rec.source, YEAR.source);
    assert.equal(rec.replaced, false);
    assert.match(rec.sha256, /^[0-9a-f]{64}$/);
    assert.equal(rec.days_off, 3);
    const show = run(['show', '2031']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^ {2}元旦 {2}2031-01-01 \.\. 2031-01-03 {2}\(3 days\)$/m);

    // the same file again: nothing to do; other dates: refused without --replace
    const again = run(['import', file, '--db', db.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already holds this file; nothing to do/);
    const corrected = write('corrected.json', { ...YEAR, notes: 'corrected', holidays: [{ name: '元旦', days: ['2031-01-01'] }] });
    const refused = run(['import', corrected, '--db', db.url]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /2031 is already loaded .* give --replace/);
    assert.equal(fs.readFileSync(written, 'utf8'), fs.readFileSync(file, 'utf8'));
    const replaced = run(['import', corrected, '--replace', '--db', db.url]);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, /^calendar 2031 replaced: 1 holiday blocks \(1 days off\)/m);
    const recs = audits();
    assert.equal(recs.length, 2, 'the refused and the unchanged imports recorded nothing');
    assert.equal(recs[1].replaced, true);
    assert.notEqual(recs[1].sha256, recs[0].sha256);

    const srv = new Server({ db: { url: db.url, drop() {} }, dir: path.join(dir, 'srv'), env: { YWTB_DATA_DIR: data } });
    fs.mkdirSync(srv.dir, { recursive: true });
    await srv.start();
    try {
      const { values } = await srv.metrics();
      assert.equal(values.get('ywtb_calendar_last_year'), 2031);
    } finally {
      await srv.close();
    }
  });
});
