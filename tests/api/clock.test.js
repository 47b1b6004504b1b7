// clock.test.js - the working-day clock of a case with the test clock
// (`serve --clock`, POST /api/v1/test/clock): due dates across National Day
// 2026 and Spring Festival 2026 (with their make-up working days), days_left
// and the lights as the days pass, pausing for a special procedure, and the
// public status query (no login, no personal data, rate-limited).
//
// Calendar facts (data/calendar/2026.json, 国务院办公厅 2025-11-04):
//   中秋 09-25..27, 国庆 10-01..07, make-up working days 09-20 and 10-10 (Sat);
//   春节 02-15..23, make-up working days 02-14 (Sat) and 02-28 (Sat).
// The day of acceptance does not count (《行政许可法》第八十二条).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureServer, idNumber, APPLICANT_PASSWORD, registerPerson, addStaff, assertError } from './case_fixtures.js';

/** An ID number of the given birth date whose check character is X. */
function idEndingInX(birth) {
  for (let seq = 1; seq < 1000; seq++) if (idNumber(birth, seq).endsWith('X')) return seq;
  throw new Error('no sequence gives X');
}

/** A server on the fixture catalog with the clock at `instant`, and helpers to drive it. */
function clockSuite(instant) {
  const ctx = { tokens: {} };
  ctx.start = async () => {
    ctx.srv = await fixtureServer({ clock: instant });
    const admin = await ctx.srv.login('admin');
    await addStaff(ctx.srv, admin, 'swj', '吴税务', 'XH-SWJ', ['reviewer']);
    ctx.person = await registerPerson(ctx.srv, '黄小琳', '19850620', idEndingInX('19850620'));
    ctx.other = await registerPerson(ctx.srv, '何其正', '19900215', 77);
    await ctx.login();
  };
  /* Sessions end after 30 idle minutes of the server's clock: log in again after moving it. */
  ctx.login = async () => {
    ctx.tokens = {
      clerk: await ctx.srv.login('clerk'),
      swj: await ctx.srv.login('swj', 'Staff@2026'),
      scj: await ctx.srv.login('reviewer'),
      supervisor: await ctx.srv.login('supervisor'),
      person: await ctx.srv.login(ctx.person.login, APPLICANT_PASSWORD),
    };
    return ctx.tokens;
  };
  /* Move the server clock on by whole days; returns the new instant. */
  ctx.advance = async (days) => {
    const r = await ctx.srv.api('POST', '/api/v1/test/clock', { body: { advance_days: days } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.clock.set, true);
    await ctx.login();
    return r.json.clock.now;
  };
  ctx.applyAndAccept = async (item) => {
    const a = await ctx.srv.api('POST', '/api/v1/cases', { token: ctx.tokens.person, body: { item_code: item } });
    assert.equal(a.status, 201, a.text);
    const r = await ctx.srv.api('POST', `/api/v1/cases/${a.json.case_no}/accept`, { token: ctx.tokens.clerk, body: {} });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  ctx.clock = async (no) => {
    const r = await ctx.srv.api('GET', `/api/v1/cases/${no}`, { token: ctx.tokens.person });
    assert.equal(r.status, 200, r.text);
    return r.json.clock;
  };
  /* [days_left, light] of each case, in order */
  ctx.lights = async (...nos) => Promise.all(nos.map(async (no) => {
    const c = await ctx.clock(no);
    return [c.days_left, c.light];
  }));
  return ctx;
}

describe('clock: National Day 2026 (server clock Thu 2026-09-24 10:00 +08:00)', () => {
  const ctx = clockSuite('2026-09-24T10:00:00+08:00');
  let d5, d3, d1, late;
  before(() => ctx.start());
  after(() => ctx.srv?.close());

  test('/healthz shows the set clock', async () => {
    const r = await ctx.srv.api('GET', '/healthz');
    assert.equal(r.json.clock.set, true);
    assert.match(r.json.clock.now, /^2026-09-24T02:/);
  });

  test('accepted on 09-24: +5 working days is 10-09, +3 is 09-30, +1 is 09-28', async () => {
    const k5 = await ctx.applyAndAccept('T-SWJ-D5');
    const k3 = await ctx.applyAndAccept('T-SWJ-D3');
    const k1 = await ctx.applyAndAccept('T-SWJ-D1');
    [d5, d3, d1] = [k5.case_no, k3.case_no, k1.case_no];
    for (const k of [k5, k3, k1]) {
      assert.equal(k.case_no.slice(0, 10), 'XH20260924', 'numbered by the server date');
      assert.equal(k.clock.start_date, '2026-09-24');
      assert.equal(k.clock.started, true);
      assert.equal(k.clock.paused, false);
      assert.equal(k.clock.paused_days, 0);
    }
    assert.deepEqual(
      [k5, k3, k1].map((k) => [k.clock.promised_days, k.clock.due_date, k.clock.days_left, k.clock.light, k.clock.legal_days, k.clock.legal_due_date]),
      [
        [5, '2026-10-09', 5, 'green', 20, '2026-10-29'],
        [3, '2026-09-30', 3, 'green', 15, '2026-10-22'],
        [1, '2026-09-28', 1, 'yellow', 5, '2026-10-09'],
      ],
    );
    assert.deepEqual(k5.tasks.map((t) => [t.dept, t.due_date, t.days_left]), [['XH-SWJ', '2026-10-09', 5]]);
    // the review queue is sorted by time left
    const q = await ctx.srv.api('GET', '/api/v1/tasks', { token: ctx.tokens.swj });
    assert.deepEqual(q.json.items.map((t) => [t.case_no, t.due_date, t.days_left, t.light]), [
      [d1, '2026-09-28', 1, 'yellow'],
      [d3, '2026-09-30', 3, 'green'],
      [d5, '2026-10-09', 5, 'green'],
    ]);
  });

  test('the holiday (09-25..27) does not count: days_left is unchanged on Friday 09-25', async () => {
    const now = await ctx.advance(1);
    assert.match(now, /^2026-09-25T02:/);
    assert.deepEqual(await ctx.lights(d5, d3, d1), [[5, 'green'], [3, 'green'], [1, 'yellow']]);
  });

  test('Monday 09-28: one working day less; the 1-day case is due today (yellow)', async () => {
    await ctx.advance(3);
    assert.deepEqual(await ctx.lights(d5, d3, d1), [[4, 'green'], [2, 'green'], [0, 'yellow']]);
  });

  test('Tuesday 09-29: the 1-day case is overdue (red), the 3-day case yellow', async () => {
    await ctx.advance(1);
    assert.deepEqual(await ctx.lights(d5, d3, d1), [[3, 'green'], [1, 'yellow'], [-1, 'red']]);
    const q = await ctx.srv.api('GET', '/api/v1/tasks', { token: ctx.tokens.supervisor });
    const row = q.json.items.find((t) => t.case_no === d1);
    assert.deepEqual([row.days_left, row.light], [-1, 'red']);
    const list = await ctx.srv.api('GET', '/api/v1/cases?limit=100', { token: ctx.tokens.supervisor });
    assert.deepEqual(list.json.items.find((c) => c.case_no === d1).clock.light, 'red');
  });

  test('pause for an inspection (特别程序): days_left freezes', async () => {
    const { swj, clerk, scj, person } = ctx.tokens;
    const p = `/api/v1/cases/${d5}/pause`;
    assertError(await ctx.srv.api('POST', p, { token: clerk, body: { kind: 'inspection' } }), 403, 'forbidden');
    assertError(await ctx.srv.api('POST', p, { token: person, body: { kind: 'inspection' } }), 403, 'forbidden');
    assertError(await ctx.srv.api('POST', p, { token: scj, body: { kind: 'inspection' } }), 404, 'not_found');
    assertError(await ctx.srv.api('POST', p, { token: swj, body: {} }), 422, 'missing_field', 'kind');
    assertError(await ctx.srv.api('POST', p, { token: swj, body: { kind: 'vacation' } }), 422, 'invalid_field', 'kind');
    assertError(await ctx.srv.api('POST', `/api/v1/cases/${d5}/resume`, { token: swj, body: {} }), 409, 'invalid_state');
    const r = await ctx.srv.api('POST', p, { token: swj, body: { kind: 'inspection', reason: '现场核查' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.clock.paused, true);
    assert.equal(r.json.clock.pause_kind, 'inspection');
    assert.equal(r.json.clock.light, 'paused');
    assert.equal(r.json.clock.days_left, 3);
    assert.equal(r.json.clock.due_date, '2026-10-09');
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).note], ['case.pause', 'inspection: 现场核查']);
    const again = await ctx.srv.api('POST', p, { token: swj, body: { kind: 'hearing' } });
    assertError(again, 409, 'invalid_state');
    assert.match(again.json.error.message, /inspection/);
    const q = await ctx.srv.api('GET', '/api/v1/tasks', { token: swj });
    assert.equal(q.json.items.find((t) => t.case_no === d5).light, 'paused');
  });

  test('Wednesday 09-30: accepted today, +1 working day is 10-08; the paused case still has 3 days', async () => {
    await ctx.advance(1);
    const k = await ctx.applyAndAccept('T-SWJ-D1');
    late = k.case_no;
    assert.equal(k.case_no.slice(0, 10), 'XH20260930');
    assert.deepEqual([k.clock.start_date, k.clock.due_date, k.clock.days_left, k.clock.light], ['2026-09-30', '2026-10-08', 1, 'yellow']);
    assert.deepEqual(await ctx.lights(d5, d3, d1), [[3, 'paused'], [0, 'yellow'], [-2, 'red']]);
  });

  test('Thursday 10-08: resume moves both due dates on by the 2 working days paused', async () => {
    await ctx.advance(8);
    assert.deepEqual(await ctx.lights(d5), [[3, 'paused']], 'frozen over National Day');
    const r = await ctx.srv.api('POST', `/api/v1/cases/${d5}/resume`, { token: ctx.tokens.swj, body: { reason: '核查完毕' } });
    assert.equal(r.status, 200, r.text);
    const c = r.json.clock;
    assert.deepEqual(
      [c.paused, c.paused_days, c.due_date, c.legal_due_date, c.days_left, c.light],
      [false, 2, '2026-10-12', '2026-11-02', 3, 'green'],
    );
    assert.deepEqual(r.json.tasks.map((t) => [t.due_date, t.days_left]), [['2026-10-12', 3]]);
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).note], ['case.resume', 'inspection ended after 2 working days']);
    assert.deepEqual(await ctx.lights(late, d3), [[0, 'yellow'], [-1, 'red']]);
  });

  test('a decision stops the clock: on_time tells whether it met the promise', async () => {
    const { swj } = ctx.tokens;
    const t3 = (await ctx.srv.api('GET', `/api/v1/cases/${d3}`, { token: swj })).json.tasks[0];
    let r = await ctx.srv.api('POST', `/api/v1/tasks/${t3.id}/decide`, { token: swj, body: { decision: 'approve' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.clock.light, r.json.clock.days_left, r.json.clock.on_time], ['stopped', -1, false]);
    const t5 = (await ctx.srv.api('GET', `/api/v1/cases/${d5}`, { token: swj })).json.tasks[0];
    r = await ctx.srv.api('POST', `/api/v1/tasks/${t5.id}/decide`, { token: swj, body: { decision: 'approve' } });
    assert.deepEqual([r.json.clock.light, r.json.clock.days_left, r.json.clock.on_time], ['stopped', 3, true]);
    // stopped clocks do not run on
    await ctx.advance(1);
    assert.deepEqual((await ctx.clock(d5)).days_left, 3);
    assert.deepEqual((await ctx.clock(d3)).days_left, -1);
  });

  test('public status query without login: status, steps and clock, nothing personal', async () => {
    const id = ctx.person.id_number;
    assert.ok(id.endsWith('X'));
    const r = await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=${d5}&id_number=${id}`);
    assert.equal(r.status, 200, r.text);
    const b = r.json;
    assert.deepEqual(Object.keys(b).sort(), ['case_no', 'clock', 'dept', 'status', 'steps', 'submitted_at', 'title']);
    assert.equal(b.case_no, d5);
    assert.equal(b.status, 'approved');
    assert.equal(b.dept, 'XH-SWJ');
    assert.equal(b.title, '个税专项附加扣除确认（测试，5日）');
    assert.equal(b.clock.due_date, '2026-10-12');
    assert.equal(b.clock.on_time, true);
    assert.deepEqual(b.steps.map((s) => [s.action, s.text, s.status]), [
      ['case.submit', '已提交', 'submitted'],
      ['case.accept', '已受理', 'accepted'],
      ['case.pause', '特别程序（计时暂停）', 'accepted'],
      ['case.resume', '特别程序结束', 'accepted'],
      ['task.decide', '部门审查', 'accepted'],
      ['case.approve', '办结（准予）', 'approved'],
    ]);
    for (const s of b.steps) assert.deepEqual(Object.keys(s).sort(), ['action', 'at', 'dept', 'dept_name', 'dept_name_en', 'status', 'text']);
    // the department that holds each step (the applicant's own steps name none)
    assert.deepEqual(b.steps.map((s) => [s.action, s.dept]), [
      ['case.submit', ''], ['case.accept', 'XH-ZWFW'], ['case.pause', 'XH-SWJ'], ['case.resume', 'XH-SWJ'],
      ['task.decide', 'XH-SWJ'], ['case.approve', 'XH-SWJ'],
    ]);
    const swj = b.steps.find((s) => s.action === 'task.decide');
    assert.match(swj.dept_name, /税务/);
    assert.match(swj.dept_name_en, /[Tt]ax/);
    for (const secret of ['黄小琳', '王窗口', '吴税务', '王*', '吴*', id, id.slice(-4), '现场核查', '核查完毕'])
      assert.ok(!r.text.includes(secret), `the public answer must not contain ${secret}: ${r.text}`);
    // lower-case x is the same number
    const lower = await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=${d5}&id_number=${id.toLowerCase()}`);
    assert.equal(lower.status, 200, lower.text);
    assert.equal(lower.json.case_no, d5);
  });

  test('public status query: a wrong ID number and an unknown case get the same 404; both parameters are needed', async () => {
    const wrong = await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=${d5}&id_number=${ctx.other.id_number}`);
    assertError(wrong, 404, 'not_found');
    const unknown = await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=XH20260924999999&id_number=${ctx.person.id_number}`);
    assertError(unknown, 404, 'not_found');
    assert.equal(wrong.json.error.message, unknown.json.error.message);
    assertError(await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=${d5}&id_number=${ctx.person.id_number.slice(0, 17)}`), 404, 'not_found');
    assertError(await ctx.srv.api('GET', `/api/v1/public/case-status?case_no=${d5}`), 422, 'missing_field', 'id_number');
    assertError(await ctx.srv.api('GET', `/api/v1/public/case-status?id_number=${ctx.person.id_number}`), 422, 'missing_field', 'case_no');
  });

  test('public status query: the 31st query within a minute from one address is 429', async () => {
    await ctx.advance(1); // a full bucket: the limit refills with the server clock
    const url = `/api/v1/public/case-status?case_no=${d1}&id_number=${ctx.person.id_number}`;
    const rs = await Promise.all(Array.from({ length: 31 }, () => ctx.srv.api('GET', url)));
    const ok = rs.filter((r) => r.status === 200);
    const limited = rs.filter((r) => r.status === 429);
    assert.equal(ok.length + limited.length, 31, rs.map((r) => r.status).join(','));
    assert.ok(ok.length >= 30, `30 answered: ${rs.map((r) => r.status).join(',')}`);
    assert.equal(limited.length, 1, `the 31st is refused: ${rs.map((r) => r.status).join(',')}`);
    assertError(limited[0], 429, 'rate_limited');
    assert.match(limited[0].headers.get('retry-after') || '', /^\d+$/);
    for (const r of ok) assert.equal(r.json.case_no, d1);
    // other routes are not affected
    assert.equal((await ctx.srv.api('GET', '/api/v1/items/T-SWJ-D1')).status, 200);
  });
});

describe('clock: Spring Festival 2026 (server clock Thu 2026-02-12 10:00 +08:00)', () => {
  const ctx = clockSuite('2026-02-12T10:00:00+08:00');
  let d3, d2, d5, d1;
  before(() => ctx.start());
  after(() => ctx.srv?.close());

  test('accepted on 02-12: +3 is 02-24, +2 is Saturday 02-14 (a make-up working day), +5 is 02-26, +1 is 02-13', async () => {
    const ks = [];
    for (const item of ['T-SWJ-D3', 'T-SWJ-D2', 'T-SWJ-D5', 'T-SWJ-D1']) ks.push(await ctx.applyAndAccept(item));
    [d3, d2, d5, d1] = ks.map((k) => k.case_no);
    assert.deepEqual(ks.map((k) => [k.clock.start_date, k.clock.due_date, k.clock.days_left, k.clock.light]), [
      ['2026-02-12', '2026-02-24', 3, 'green'],
      ['2026-02-12', '2026-02-14', 2, 'green'],
      ['2026-02-12', '2026-02-26', 5, 'green'],
      ['2026-02-12', '2026-02-13', 1, 'yellow'],
    ]);
    assert.deepEqual(ks.map((k) => k.clock.legal_due_date).slice(0, 2), ['2026-03-11', '2026-03-04']);
  });

  test('Friday 02-13 and Saturday 02-14 are working days; the clock runs', async () => {
    await ctx.advance(1);
    assert.deepEqual(await ctx.lights(d3, d2, d5, d1), [[2, 'green'], [1, 'yellow'], [4, 'green'], [0, 'yellow']]);
    await ctx.advance(1);
    assert.deepEqual(await ctx.lights(d3, d2, d5, d1), [[1, 'yellow'], [0, 'yellow'], [3, 'green'], [-1, 'red']]);
  });

  test('accepted on a holiday (Monday 02-16): the first working day after it is day 1', async () => {
    await ctx.advance(2);
    const k = await ctx.applyAndAccept('T-SWJ-D1');
    assert.equal(k.case_no.slice(0, 10), 'XH20260216');
    assert.deepEqual([k.clock.start_date, k.clock.due_date, k.clock.days_left], ['2026-02-16', '2026-02-24', 1]);
    assert.deepEqual(await ctx.lights(d3, d5), [[1, 'yellow'], [3, 'green']], 'nothing moves during the holiday');
  });

  test('Tuesday 02-24, the first working day after the holiday', async () => {
    await ctx.advance(8);
    assert.deepEqual(await ctx.lights(d3, d2, d5, d1), [[0, 'yellow'], [-1, 'red'], [2, 'green'], [-2, 'red']]);
    await ctx.advance(1);
    assert.deepEqual(await ctx.lights(d3, d5), [[-1, 'red'], [1, 'yellow']]);
  });
});

describe('clock: overdue on a day off', () => {
  const ctx = clockSuite('2026-02-12T10:00:00+08:00');
  before(() => ctx.start());
  after(() => ctx.srv?.close());

  test('a case due Saturday 02-14 is red on Sunday 02-15 (overdue, though no working day passed)', async () => {
    const k = await ctx.applyAndAccept('T-SWJ-D2');
    assert.equal(k.clock.due_date, '2026-02-14');
    await ctx.advance(3);
    const c = await ctx.clock(k.case_no);
    assert.equal(c.light, 'red', `overdue since 02-14: ${JSON.stringify(c)}`);
  });
});
