// supervision.test.js - yellow and red cards from the case events as the test
// clock moves (POST /api/v1/test/clock), the department's answer, the
// supervisor's accept and escalate, the boards, pauses, the background sweep,
// and who sees which cards.
//
// Calendar (data/calendar/2026.json): 2026-11-02 is a Monday with no holiday
// for weeks.  A 5-working-day item accepted on Mon 11-02 is due Mon 11-09
// (the day of acceptance does not count, 《行政许可法》第八十二条); with the
// default thresholds (2 working days or 20 % of the limit) it turns yellow on
// Thu 11-05 (2 working days left) and red on Tue 11-10 (overdue).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixtureServer, registerPerson, addStaff, assertError, APPLICANT_PASSWORD } from './case_fixtures.js';
import { Server } from './harness.js';
import { eventually } from './eventually.js';

const START = '2026-11-02T10:00:00+08:00';

/* The audit records about one card, oldest first: [actor, action]. */
function cardAudit(srv, id) {
  const sql = `SELECT actor, action FROM audit_log WHERE obj_type = 'supervision_card' AND obj_id = '${Number(id)}' ORDER BY seq`;
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe('supervision: cards from the events', () => {
  const ctx = { tokens: {} };
  let caseA, caseB, caseC, taskA, taskB;

  const api = (method, path, who, body) => ctx.srv.api(method, path, { token: ctx.tokens[who], body });
  const ok = async (p, status = 200) => {
    const r = await p;
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  const login = async () => {
    ctx.tokens = {
      clerk: await ctx.srv.login('clerk'),
      swj: await ctx.srv.login('swj', 'Staff@2026'),
      scj: await ctx.srv.login('reviewer'),
      chief: await ctx.srv.login('chief'),
      supervisor: await ctx.srv.login('supervisor'),
      person: await ctx.srv.login(ctx.person.login, APPLICANT_PASSWORD),
    };
  };
  const advance = async (days) => {
    const r = await ctx.srv.api('POST', '/api/v1/test/clock', { body: { advance_days: days } });
    assert.equal(r.status, 200, r.text);
    await login();
  };
  const applyAndAccept = async (item) => {
    const a = await ok(api('POST', '/api/v1/cases', 'person', { item_code: item }), 201);
    const k = await ok(api('POST', `/api/v1/cases/${a.case_no}/accept`, 'clerk', {}));
    return k;
  };
  const sweep = async () => (await ok(api('POST', '/api/v1/supervision/sweep', 'supervisor'))).cards_made;
  const cards = async (who, query = '') => (await ok(api('GET', `/api/v1/supervision/cards${query}`, who))).items;
  const cardOf = async (caseNo, level, query = '?status=') => {
    const all = [];
    for (const st of ['open', 'answered', 'escalated', 'closed']) all.push(...await cards('supervisor', `?status=${st}`));
    return all.find((c) => c.case_no === caseNo && c.level === level);
  };

  before(async () => {
    // only the sweeps the test asks for: the background sweep (every 10 s by
    // default) could otherwise make a card between the clock's move and the
    // sweep whose count a test reads
    ctx.srv = await fixtureServer({ clock: START, env: { YWTB_SUPERVISION_SWEEP_SECONDS: '3600' } });
    const admin = await ctx.srv.login('admin');
    await addStaff(ctx.srv, admin, 'swj', '吴税务', 'XH-SWJ', ['reviewer']);
    ctx.person = await registerPerson(ctx.srv, '黄小琳', '19850620', 21);
    await login();
    caseA = await applyAndAccept('T-SWJ-D5');
    caseB = await applyAndAccept('T-SWJ-D5');
    caseC = await applyAndAccept('T-SWJ-D5');
    taskA = caseA.tasks.find((t) => t.status === 'pending').id;
    taskB = caseB.tasks.find((t) => t.status === 'pending').id;
  });
  after(() => ctx.srv?.close());

  test('accepted tasks are open deadlines on the boards, green, with no card yet', async () => {
    assert.equal(await sweep(), 0);
    const board = await ok(api('GET', '/api/v1/supervision/board', 'supervisor'));
    assert.equal(board.today, '2026-11-02');
    assert.deepEqual(board.tasks, { green: 3, yellow: 0, red: 0, paused: 0 });
    const swj = board.departments.find((d) => d.dept === 'XH-SWJ');
    assert.equal(swj.tasks.green, 3);
    assert.equal(swj.dept_name, '国家税务总局上海市徐汇区税务局');
    assert.deepEqual(board.oldest_cards, []);
    // per person: the clerk who accepted the three cases holds their open tasks on the board
    const me = await ok(api('GET', '/api/v1/me', 'clerk'));
    const clerkId = me.id ?? me.account?.id;
    const clerkRow = board.people.find((p) => p.dept === 'XH-SWJ' && p.account_id === clerkId);
    assert.ok(clerkRow, JSON.stringify(board.people));
    assert.ok(clerkRow.name.length > 0, 'by name');
    assert.deepEqual(clerkRow.tasks, { green: 3, yellow: 0, red: 0, paused: 0 });
    assert.deepEqual([clerkRow.decided_today, clerkRow.late_today], [0, 0]);
    const q = await ok(api('GET', '/api/v1/supervision/queue?dept=XH-SWJ', 'chief'));
    assert.deepEqual(q.items.map((t) => [t.case_no, t.light, t.due_date, t.days_left]),
      [caseA, caseB, caseC].map((k) => [k.case_no, 'green', '2026-11-09', 5]));
  });

  test('two working days before the due day the sweep makes one yellow card per task, once', async () => {
    await advance(2); // Wed 11-04: 3 working days left
    assert.equal(await sweep(), 0);
    await advance(1); // Thu 11-05: 2 left
    assert.equal(await sweep(), 3);
    assert.equal(await sweep(), 0, 'a second pass makes nothing');
    const open = await cards('supervisor');
    assert.equal(open.length, 3);
    for (const c of open) {
      assert.equal(c.level, 'yellow');
      assert.equal(c.status, 'open');
      assert.equal(c.dept, 'XH-SWJ');
      assert.equal(c.due_date, '2026-11-09');
      assert.equal(c.days_left, 2);
    }
    assert.deepEqual(open.map((c) => c.case_no), [caseA, caseB, caseC].map((k) => k.case_no), 'oldest first');
    const q = await ok(api('GET', '/api/v1/supervision/queue?light=yellow', 'chief'));
    assert.equal(q.items.length, 3);
    const board = await ok(api('GET', '/api/v1/supervision/board', 'supervisor'));
    assert.equal(board.departments.find((d) => d.dept === 'XH-SWJ').cards.yellow, 3);
    assert.equal(board.oldest_cards[0].case_no, caseA.case_no);
  });

  test('the department answers its card, the supervisor accepts it; the history stays', async () => {
    const card = await cardOf(caseA.case_no, 'yellow');
    assertError(await api('POST', `/api/v1/supervision/cards/${card.id}/accept`, 'supervisor', {}), 409, 'invalid_state');
    assertError(await api('POST', `/api/v1/supervision/cards/${card.id}/answer`, 'swj', { explanation: '' }), 422, 'missing_field', 'explanation');
    const answered = await ok(api('POST', `/api/v1/supervision/cards/${card.id}/answer`, 'swj', { explanation: '材料核验中，预计周一办结' }));
    assert.equal(answered.status, 'answered');
    assert.equal(answered.answer, '材料核验中，预计周一办结');
    assertError(await api('POST', `/api/v1/supervision/cards/${card.id}/answer`, 'swj', { explanation: '再次' }), 409, 'invalid_state');
    const closed = await ok(api('POST', `/api/v1/supervision/cards/${card.id}/accept`, 'supervisor', { note: '同意' }));
    assert.equal(closed.status, 'closed');
    assert.equal(closed.resolution, 'accepted');
    assert.deepEqual(closed.history.map((h) => h.action), ['created', 'answered', 'accepted']);
    assert.equal(closed.history[1].actor_name, '吴税务');
    const audit = cardAudit(ctx.srv, card.id);
    assert.deepEqual(audit.map((r) => r[1]), ['card.created', 'card.answered', 'card.accepted'], 'every step is in the audit chain');
    assert.equal(audit[0][0], 'system', 'the sweep audits as the system');
    assert.notEqual(audit[1][0], 'system');
    assert.equal((await cards('supervisor')).length, 2);
  });

  test('another department neither sees nor answers the card: 404; only supervisors decide', async () => {
    const card = await cardOf(caseB.case_no, 'yellow');
    assert.deepEqual(await cards('scj'), []);
    assertError(await api('GET', `/api/v1/supervision/cards/${card.id}`, 'scj'), 404, 'not_found');
    assertError(await api('POST', `/api/v1/supervision/cards/${card.id}/answer`, 'scj', { explanation: '不是我们' }), 404, 'not_found');
    assert.equal((await cards('swj')).length, 2, 'the department sees its own');
    assertError(await api('POST', `/api/v1/supervision/cards/${card.id}/accept`, 'swj', {}), 403, 'forbidden');
    assertError(await api('GET', '/api/v1/supervision/cards?dept=XH-SCJ', 'swj'), 403, 'forbidden', 'dept');
    assertError(await api('GET', '/api/v1/supervision/board', 'swj'), 403, 'forbidden');
    assertError(await api('GET', '/api/v1/supervision/cards?status=lost', 'supervisor'), 422, 'invalid_field', 'status');
    assertError(await api('GET', '/api/v1/supervision/cards?dept=XH-NONE', 'supervisor'), 422, 'invalid_field', 'dept');
    assertError(await api('GET', '/api/v1/supervision/cards/abc', 'supervisor'), 404, 'not_found');
    assertError(await api('GET', '/api/v1/supervision/cards/99999', 'supervisor'), 404, 'not_found');
    const after = await ok(api('GET', `/api/v1/supervision/cards/${card.id}`, 'supervisor'));
    assert.equal(after.status, 'open', 'refused writes changed nothing');
  });

  test('a paused clock holds the deadline: no red card while paused, the due day moves on resume', async () => {
    await ok(api('POST', `/api/v1/cases/${caseC.case_no}/pause`, 'swj', { kind: 'inspection', reason: '现场核查' }));
    const q = await ok(api('GET', '/api/v1/supervision/queue?light=paused', 'chief'));
    assert.deepEqual(q.items.map((t) => t.case_no), [caseC.case_no]);
  });

  test('past the due day the sweep makes red cards; an open yellow card is superseded', async () => {
    await advance(5); // Tue 11-10: overdue
    assert.equal(await sweep(), 2, 'A and B; C is paused');
    const redB = await cardOf(caseB.case_no, 'red');
    assert.equal(redB.status, 'open');
    assert.equal(redB.days_left, -1);
    const yellowB = await cardOf(caseB.case_no, 'yellow');
    assert.equal(yellowB.status, 'closed');
    assert.equal(yellowB.resolution, 'superseded');
    assert.deepEqual(cardAudit(ctx.srv, yellowB.id), [['system', 'card.created'], ['system', 'card.closed']]);
    const yellowA = await cardOf(caseA.case_no, 'yellow');
    assert.equal(yellowA.resolution, 'accepted', 'a closed card keeps its resolution');
    assert.equal(await cardOf(caseC.case_no, 'red'), undefined);
    const board = await ok(api('GET', '/api/v1/supervision/board', 'supervisor'));
    assert.deepEqual(board.tasks, { green: 0, yellow: 0, red: 2, paused: 1 });
    const person = board.people.find((p) => p.dept === 'XH-SWJ');
    assert.equal(person.cards.red, 2);
  });

  test('escalate, answer again, accept; a decided task ends its deadline but the red card stays', async () => {
    const red = await cardOf(caseA.case_no, 'red');
    assertError(await api('POST', `/api/v1/supervision/cards/${red.id}/escalate`, 'supervisor', {}), 422, 'missing_field', 'note');
    const esc = await ok(api('POST', `/api/v1/supervision/cards/${red.id}/escalate`, 'supervisor', { note: '超期未说明，提请约谈' }));
    assert.equal(esc.status, 'escalated');
    assert.equal(esc.escalations, 1);
    const chiefView = await cards('chief', '?status=escalated');
    assert.deepEqual(chiefView.map((c) => c.id), [red.id]);
    await ok(api('POST', `/api/v1/supervision/cards/${red.id}/answer`, 'swj', { explanation: '已办结，超期原因为系统故障' }));
    await ok(api('POST', `/api/v1/tasks/${taskA}/decide`, 'swj', { decision: 'approve', opinion: '同意' }));
    const afterDecide = await ok(api('GET', `/api/v1/supervision/cards/${red.id}`, 'supervisor'));
    assert.equal(afterDecide.task_closed, true);
    assert.equal(afterDecide.status, 'answered');
    const done = await ok(api('POST', `/api/v1/supervision/cards/${red.id}/accept`, 'supervisor', {}));
    assert.deepEqual(done.history.map((h) => h.action), ['created', 'escalated', 'answered', 'accepted']);
    const board = await ok(api('GET', '/api/v1/supervision/board', 'supervisor'));
    assert.equal(board.tasks.red, 1, 'only B is still open and red');
    // the reviewer who decided counts today's decision, late (due 11-09, decided 11-10)
    const reviewer = board.people.find((p) => p.name === '吴税务');
    assert.ok(reviewer, JSON.stringify(board.people));
    assert.deepEqual([reviewer.dept, reviewer.decided_today, reviewer.late_today], ['XH-SWJ', 1, 1]);
    assert.equal(afterDecide.opened_by_name, board.people.find((p) => p.account_id === afterDecide.opened_by).name, 'the card names who accepted the case');
  });

  test('the chief reassigns from the board: the deadline follows the task to its new department', async () => {
    const r = await api('POST', `/api/v1/tasks/${taskB}/reassign`, 'chief', { dept: 'XH-SCJ', reason: '职责调整' });
    assert.equal(r.status, 200, r.text);
    const q = await ok(api('GET', '/api/v1/supervision/queue', 'chief'));
    const moved = q.items.find((t) => t.case_no === caseB.case_no);
    assert.equal(moved.dept, 'XH-SCJ');
    assert.notEqual(moved.task_id, taskB);
    const redB = await cardOf(caseB.case_no, 'red');
    assert.equal(redB.task_closed, true, 'the old task ended');
  });

  test('resume: the due day moves on by the paused working days', async () => {
    await ok(api('POST', `/api/v1/cases/${caseC.case_no}/resume`, 'swj', { reason: '核查完毕' }));
    const q = await ok(api('GET', '/api/v1/supervision/queue?dept=XH-SWJ', 'chief'));
    const c = q.items.find((t) => t.case_no === caseC.case_no);
    // paused Thu 11-05, resumed Tue 11-10: 3 working days (Fri, Mon, Tue) move 11-09 to 11-12
    assert.equal(c.due_date, '2026-11-12');
    assert.equal(c.light, 'yellow');
  });

  test('statistics from the rollups: received, accepted, decided, on time, satisfaction', async () => {
    // the approved case asks its applicant for a 好差评 rating (services): rated 5, it counts as satisfied
    // the invitation and the rollups follow their events after the commits (after-commit subscribers)
    const asked = await eventually(async () => {
      const a = (await ok(api('GET', '/api/v1/ratings', 'person'))).items.filter((r) => r.kind === 'case' && r.open);
      assert.equal(a.length, 1, JSON.stringify(a));
      return a;
    });
    await ok(api('POST', `/api/v1/ratings/${asked[0].id}`, 'person', { level: 5 }));
    const s = await eventually(async () => {
      const x = await ok(api('GET', '/api/v1/supervision/stats?from=2026-11-01&to=2026-11-30', 'supervisor'));
      assert.deepEqual([x.total.received, x.total.accepted, x.total.approved, x.total.ratings], [3, 3, 1, 1]);
      return x;
    });
    assert.equal(s.total.received, 3);
    assert.equal(s.total.accepted, 3);
    assert.equal(s.total.approved, 1);
    assert.equal(s.total.tasks_done, 1);
    assert.equal(s.total.tasks_on_time, 0);
    assert.equal(s.total.on_time_rate, 0);
    assert.equal(s.total.avg_days_used, 6);
    assert.equal(s.total.received_online, 3, 'applied online');
    assert.equal(s.total.online_share, 1);
    assert.equal(s.total.ratings, 1);
    assert.equal(s.total.ratings_good, 1);
    assert.equal(s.total.satisfaction, 1);
    assert.equal(s.total.avg_rating, 5);
    assert.equal(s.departments.find((d) => d.dept === 'XH-SWJ').ratings, 1, 'by the department rated');
    assert.deepEqual(s.top_items.map((i) => [i.code, i.received]), [['T-SWJ-D5', 3]]);
    assert.deepEqual(s.days.map((d) => d.day), ['2026-11-02', '2026-11-10']);
    // periods that cut months: the days of a month outside the period are taken away
    const late = await ok(api('GET', '/api/v1/supervision/stats?from=2026-11-03&to=2026-11-30', 'supervisor'));
    assert.deepEqual([late.total.received, late.total.approved, late.total.tasks_done], [0, 1, 1]);
    assert.deepEqual(late.top_items, [], 'nothing received after 11-02');
    assert.deepEqual(late.departments.map((d) => [d.dept, d.received, d.approved]), [['XH-SWJ', 0, 1]]);
    const early = await ok(api('GET', '/api/v1/supervision/stats?from=2026-10-15&to=2026-11-05', 'supervisor'));
    assert.deepEqual([early.total.received, early.total.approved], [3, 0]);
    assert.deepEqual(early.top_items.map((i) => [i.code, i.received]), [['T-SWJ-D5', 3]]);
    assert.deepEqual(early.departments.find((d) => d.dept === 'XH-SWJ').received, 3);
    assertError(await api('GET', '/api/v1/supervision/stats?from=2026-11-30&to=2026-11-01', 'supervisor'), 422, 'invalid_field', 'from');
    assertError(await api('GET', '/api/v1/supervision/stats?from=2026-02-30', 'supervisor'), 422, 'invalid_field', 'from');
    assertError(await api('GET', '/api/v1/supervision/stats?dept=XH-SCJ', 'swj'), 403, 'forbidden', 'dept');
    const own = await ok(api('GET', '/api/v1/supervision/stats?from=2026-11-01&to=2026-11-30', 'swj'));
    assert.deepEqual(own.departments.map((d) => d.dept), ['XH-SWJ']);
    const x = await fetch(`${ctx.srv.base}/api/v1/supervision/stats.xlsx?from=2026-11-01&to=2026-11-30`, { headers: { Authorization: `Bearer ${ctx.tokens.supervisor}` } });
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-xlsx-'));
    try {
      const file = path.join(dir, 'stats.xlsx');
      fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
      const part = (name) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
      const strings = part('xl/sharedStrings.xml');
      for (const head of ['收件', '按时办结率', '满意率', 'T-SWJ-D5', 'XH-SWJ']) assert.ok(strings.includes(head), `${head} in the workbook`);
      assert.match(part('xl/workbook.xml'), /name="每日"/);
      // 每日 (sheet 3): A2 is the date 2026-11-02 as an Excel serial number with a date style, B2 the count 3 as a number
      const days = part('xl/worksheets/sheet3.xml');
      const serial = (Date.UTC(2026, 10, 2) - Date.UTC(1899, 11, 30)) / 86400000;
      assert.match(days, new RegExp(`<c r="A2" s="\\d+"><v>${serial}</v></c>`));
      assert.match(days, /<c r="B2"><v>3<\/v><\/c>/);
      const styles = part('xl/styles.xml');
      assert.match(styles, /formatCode="yyyy-mm-dd"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assertError(await api('GET', '/api/v1/supervision/stats.xlsx?from=x', 'supervisor'), 422, 'invalid_field', 'from');
    const pub = await ok(ctx.srv.api('GET', '/api/v1/public/statistics'));
    assert.equal(pub.year, 2026);
    assert.equal(pub.received, 3);
  });
});

describe('supervision: the background sweep', () => {
  let srv;
  before(async () => {
    srv = await fixtureServer({ clock: START, env: { YWTB_SUPERVISION_SWEEP_SECONDS: '1' } });
  });
  after(() => srv?.close());

  test('turns an overdue task into a red card without being asked', async () => {
    const person = await registerPerson(srv, '何其正', '19900215', 77);
    const clerk = await srv.login('clerk');
    const a = await srv.api('POST', '/api/v1/cases', { token: person.token, body: { item_code: 'T-SWJ-D1' } });
    assert.equal(a.status, 201, a.text);
    const k = await srv.api('POST', `/api/v1/cases/${a.json.case_no}/accept`, { token: clerk, body: {} });
    assert.equal(k.status, 200, k.text);
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 3 } });
    assert.equal(r.status, 200, r.text);
    const sup = await srv.login('supervisor');
    let found = null;
    for (let i = 0; i < 200 && !found; i++) {
      const c = await srv.api('GET', '/api/v1/supervision/cards?level=red', { token: sup });
      assert.equal(c.status, 200, c.text);
      found = c.json.items.find((x) => x.case_no === a.json.case_no);
      if (!found) await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(found, 'the sweep made the red card');
    assert.equal(found.level, 'red');
  });
});

describe('supervision: two nodes sweep one database', () => {
  const QUIET = { YWTB_SUPERVISION_SWEEP_SECONDS: '3600' }; /* only the sweeps the test asks for */
  let a, b;
  before(async () => {
    a = await fixtureServer({ clock: START, env: QUIET });
    b = new Server({ db: { url: a.url, drop() {} }, clock: START, env: QUIET });
    await b.start();
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('each card is made exactly once, whichever node sweeps', async () => {
    const person = await registerPerson(a, '两节点', '19911111', 55);
    const clerk = await a.login('clerk');
    const nos = [];
    for (let i = 0; i < 30; i++) {
      const k = await a.api('POST', '/api/v1/cases', { token: person.token, body: { item_code: 'T-SWJ-D1' } });
      assert.equal(k.status, 201, k.text);
      const r = await a.api('POST', `/api/v1/cases/${k.json.case_no}/accept`, { token: clerk, body: {} });
      assert.equal(r.status, 200, r.text);
      nos.push(k.json.case_no);
    }
    const sa = await a.login('supervisor');
    const sb = await b.login('supervisor');
    /* a 1-day task is yellow at once (1 working day left <= 2): both nodes sweep together, twice */
    const made = [];
    for (let round = 0; round < 2; round++) {
      const rs = await Promise.all([a, b, a, b].map((srv, i) => srv.api('POST', '/api/v1/supervision/sweep', { token: i % 2 ? sb : sa })));
      for (const r of rs) {
        assert.equal(r.status, 200, r.text);
        made.push(r.json.cards_made);
      }
    }
    assert.equal(made.reduce((x, y) => x + y, 0), 30, `cards made per sweep: ${made}`);
    const list = await a.api('GET', '/api/v1/supervision/cards?limit=200', { token: sa });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.items.map((c) => c.case_no).sort(), nos.slice().sort());
    assert.ok(list.json.items.every((c) => c.level === 'yellow'));
  });
});
