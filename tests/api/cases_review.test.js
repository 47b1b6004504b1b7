// cases_review.test.js - acceptance separated from approval (受审分离): the
// window accepts, refuses or asks once for a supplement; departments review in
// parallel (approve, deny, return, consult, reroute; the chief acts on any
// department and reassigns); two deciders on one task; transitions from the
// wrong state; withdrawal; the timeline as the applicant and as staff see it;
// refused requests change nothing; the 企业开办 bundle step by step.
//
// The server runs on the fixture catalog with its clock at Monday 2026-06-01
// 10:00 Shanghai time, so due dates are known: +1 working day 2026-06-02,
// +3 2026-06-04, +5 2026-06-08, +45 2026-08-04 (端午 2026-06-19 is a holiday).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fixtureServer, registerPerson, registerCompany, addStaff, uploadPdf, assertError, CASE_NO } from './case_fixtures.js';

/* The number of audit records about one case.  Counted per case, not over the
 * whole chain: the system appends records of its own at any time (supervision's
 * sweep making a card), which a whole-chain count would see. */
function caseAuditCount(srv, caseNo) {
  if (!/^[A-Za-z0-9-]+$/.test(caseNo)) throw new Error(`not a case number: ${caseNo}`);
  const sql = `SELECT COUNT(*) FROM audit_log WHERE obj_type = 'case' AND obj_id = '${caseNo}'`;
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
  return Number(out.trim());
}

describe('cases: acceptance and review', () => {
  let srv, admin, clerk, scj, scj2, chief, supervisor, wjw, swj, rsj, gafj, company, alice, bob;

  const post = (token, p, body = {}) => srv.api('POST', p, { token, body });
  const getCase = async (token, no) => {
    const r = await srv.api('GET', `/api/v1/cases/${no}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const accept = async (no, note) => {
    const r = await post(clerk, `/api/v1/cases/${no}/accept`, note ? { note } : {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'accepted');
    return r.json;
  };
  const decide = (token, id, decision, opinion) =>
    post(token, `/api/v1/tasks/${id}/decide`, opinion === undefined ? { decision } : { decision, opinion });
  const task = (k, dept, kind = 'review', status = 'pending') => {
    const t = k.tasks.find((x) => x.dept === dept && x.kind === kind && x.status === status);
    assert.ok(t, `a ${status} ${kind} task of ${dept} in ${JSON.stringify(k.tasks)}`);
    return t;
  };
  const applyAs = async (who, body) => {
    const r = await srv.api('POST', '/api/v1/cases', { token: who.token, body });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const clinic = async () => applyAs(company, {
    item_code: 'T-WJW-CLINIC',
    materials: [{ material_code: 'T-WJW-CLINIC-M01', file_id: await uploadPdf(srv, company.token) }],
  });
  const food = async () => applyAs(company, {
    item_code: 'T-SCJ-FOOD', form: { shop_address: '徐汇区衡山路10号' },
    materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: await uploadPdf(srv, company.token) }],
  });

  before(async () => {
    srv = await fixtureServer({ clock: '2026-06-01T10:00:00+08:00' });
    admin = await srv.login('admin');
    clerk = await srv.login('clerk');
    scj = await srv.login('reviewer'); // 李审核, XH-SCJ
    chief = await srv.login('chief'); // 张首席, chief_approver + reviewer of XH-SPJ
    supervisor = await srv.login('supervisor');
    scj2 = (await addStaff(srv, admin, 'scj2', '孙市监', 'XH-SCJ', ['reviewer'])).token;
    wjw = (await addStaff(srv, admin, 'wjw', '周卫健', 'XH-WJW', ['reviewer'])).token;
    swj = (await addStaff(srv, admin, 'swj', '吴税务', 'XH-SWJ', ['reviewer'])).token;
    rsj = (await addStaff(srv, admin, 'rsj', '郑人社', 'XH-RSJ', ['reviewer'])).token;
    gafj = (await addStaff(srv, admin, 'gafj', '冯公安', 'XH-GAFJ', ['reviewer'])).token;
    company = await registerCompany(srv, '上海徐汇测试医疗管理有限公司', 30000003);
    alice = await registerPerson(srv, '林小文', '19880312', 101);
    bob = await registerPerson(srv, '陈大明', '19910705', 202);
  });
  after(() => srv?.close());

  test('accept: the clock starts and every review department gets a task with the due date', async () => {
    const k0 = await clinic();
    const k = await accept(k0.case_no, '材料齐全，予以受理');
    assert.ok(k.accepted_at);
    assert.equal(k.clock.started, true);
    assert.equal(k.clock.start_date, '2026-06-01');
    assert.equal(k.clock.due_date, '2026-06-08');
    assert.equal(k.clock.legal_due_date, '2026-08-04');
    assert.equal(k.clock.days_left, 5);
    assert.equal(k.clock.light, 'green');
    assert.deepEqual(
      k.tasks.map((t) => [t.dept, t.dept_name, t.kind, t.status, t.step, t.due_date, t.days_left]),
      [
        ['XH-WJW', '徐汇区卫生健康委员会', 'review', 'pending', 1, '2026-06-08', 5],
        ['XH-SCJ', '徐汇区市场监督管理局', 'review', 'pending', 1, '2026-06-08', 5],
      ],
    );
    const last = k.timeline.at(-1);
    assert.deepEqual([last.action, last.from, last.to, last.note, last.actor], ['case.accept', 'submitted', 'accepted', '材料齐全，予以受理', '王窗口']);
    // each department finds its task in its queue, with the masked applicant and the light
    for (const [token, dept] of [[wjw, 'XH-WJW'], [scj, 'XH-SCJ']]) {
      const q = await srv.api('GET', '/api/v1/tasks', { token });
      assert.equal(q.status, 200, q.text);
      assert.equal(q.json.dept, dept);
      const row = q.json.items.find((t) => t.case_no === k.case_no);
      assert.ok(row, `${dept} queue has ${k.case_no}`);
      assert.equal(row.id, task(k, dept).id);
      assert.equal(row.due_date, '2026-06-08');
      assert.equal(row.days_left, 5);
      assert.equal(row.light, 'green');
      assert.equal(row.applicant_name, company.name);
      assert.equal(row.applicant_ident, company.uscc);
      assert.equal(row.in_bundle, false);
    }
    // a reviewer may not pick another department's queue; the chief and supervisors may
    const other = await srv.api('GET', '/api/v1/tasks?dept=XH-WJW', { token: scj });
    assert.equal(other.json.dept, 'XH-SCJ');
    const sup = await srv.api('GET', '/api/v1/tasks?dept=XH-WJW', { token: supervisor });
    assert.ok(sup.json.items.some((t) => t.case_no === k.case_no && t.dept === 'XH-WJW'));
    assertError(await srv.api('GET', '/api/v1/tasks', { token: clerk }), 403, 'forbidden');
    assertError(await srv.api('GET', '/api/v1/tasks', { token: company.token }), 403, 'forbidden');
  });

  test('two departments in parallel: approved only after both approve', async () => {
    const k0 = await accept((await clinic()).case_no);
    let r = await decide(wjw, task(k0, 'XH-WJW').id, 'approve', '符合设置规划');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'accepted', 'one of two is not enough');
    assert.equal(task(r.json, 'XH-WJW', 'review', 'approved').opinion, '符合设置规划');
    task(r.json, 'XH-SCJ', 'review', 'pending');
    assert.equal(r.json.decided_at, '');
    r = await decide(scj, task(k0, 'XH-SCJ').id, 'approve');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    assert.ok(r.json.decided_at);
    assert.equal(r.json.clock.light, 'stopped');
    assert.equal(r.json.clock.on_time, true);
    assert.equal(r.json.clock.days_left, 5);
    assert.deepEqual(r.json.tasks.map((t) => t.status), ['approved', 'approved']);
    assert.deepEqual(r.json.timeline.map((e) => e.action), ['case.submit', 'case.accept', 'task.decide', 'task.decide', 'case.approve']);
    const applicantView = await getCase(company.token, k0.case_no);
    assert.equal(applicantView.status, 'approved');
    // deciding again is a conflict
    const again = await decide(wjw, task(k0, 'XH-WJW').id, 'approve');
    assertError(again, 409, 'conflict');
  });

  test('request-supplement once with items; supplement; a second notice is 409', async () => {
    const k0 = await applyAs(alice, { item_code: 'T-RSJ-SUBSIDY', form: { start_date: '2026-03-01', months: 6, category: '灵活就业人员', phone: '13912345678' } });
    const no = k0.case_no;
    // the notice must list what is missing, each with a reason
    assertError(await post(clerk, `/api/v1/cases/${no}/request-supplement`, {}), 422, 'missing_field', 'items');
    assertError(await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items: [] }), 422, 'missing_field', 'items');
    assertError(await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'T-RSJ-SUBSIDY-M01' }] }), 422, 'invalid_field', 'items');
    assertError(await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items: ['T-RSJ-SUBSIDY-M01'] }), 422, 'invalid_field', 'items');
    // only the window sends it
    assertError(await post(alice.token, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'x', reason: 'y' }] }), 403, 'forbidden');
    assertError(await post(scj, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'x', reason: 'y' }] }), 403, 'forbidden');
    // supplementing before any notice
    let r = await post(alice.token, `/api/v1/cases/${no}/supplement`, { form: { months: 12 } });
    assertError(r, 409, 'invalid_state');
    assert.match(r.json.error.message, /'submitted'/);

    const items = [
      { what: 'T-RSJ-SUBSIDY-M01', reason: '请上传灵活就业登记证明' },
      { what: 'form.months', reason: '申请月数应与登记期限一致' },
    ];
    r = await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items, note: '一次性告知' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'supplement_requested');
    assert.deepEqual(r.json.supplement_notice.items, items);
    assert.equal(r.json.supplement_notice.note, '一次性告知');
    assert.ok(r.json.supplement_notice.at);
    assert.deepEqual(r.json.timeline.at(-1).action, 'case.request_supplement');
    assert.equal(r.json.clock.started, false, 'no clock before acceptance');
    // the window cannot accept it while it waits for the applicant
    r = await post(clerk, `/api/v1/cases/${no}/accept`);
    assertError(r, 409, 'invalid_state');
    assert.match(r.json.error.message, /'supplement_requested'/);
    // the supplement is checked like an application
    r = await post(alice.token, `/api/v1/cases/${no}/supplement`, { form: { months: 'twelve' } });
    assertError(r, 422, 'invalid_field', 'form.months');
    assert.equal((await getCase(alice.token, no)).status, 'supplement_requested');
    // others cannot supplement it
    assertError(await post(bob.token, `/api/v1/cases/${no}/supplement`, { form: { months: 12 } }), 404, 'not_found');
    assertError(await post(clerk, `/api/v1/cases/${no}/supplement`, { form: { months: 12 } }), 403, 'forbidden');

    const file = await uploadPdf(srv, alice.token, 'registration-proof');
    r = await post(alice.token, `/api/v1/cases/${no}/supplement`, {
      form: { months: 12 }, materials: [{ material_code: 'T-RSJ-SUBSIDY-M01', file_id: file }],
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.form.months, 12);
    assert.equal(r.json.form.category, '灵活就业人员', 'the rest of the form is kept');
    assert.equal(r.json.form.name, '林小文');
    assert.deepEqual(r.json.materials.map((m) => [m.material_code, m.source, m.file_id]), [['T-RSJ-SUBSIDY-M01', 'file', file]]);
    assert.deepEqual(r.json.timeline.slice(-2).map((e) => [e.action, e.from, e.to]), [
      ['case.request_supplement', 'submitted', 'supplement_requested'],
      ['case.supplement', 'supplement_requested', 'submitted'],
    ]);
    // the one-time notice was used: a second one is refused, the case stays submitted
    r = await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'form.phone', reason: '再补一次' }] });
    assertError(r, 409, 'invalid_state');
    assert.match(r.json.error.message, /一次性告知|one-time/);
    const k = await getCase(clerk, no);
    assert.equal(k.status, 'submitted');
    assert.deepEqual(k.supplement_notice.items, items, 'the first notice is kept');
    const acc = await accept(no);
    assert.equal(acc.clock.due_date, '2026-06-02');
  });

  test('not accepting needs a reason; the case is then final', async () => {
    const no = (await applyAs(alice, { item_code: 'T-SWJ-D3' })).case_no;
    assertError(await post(clerk, `/api/v1/cases/${no}/reject`, {}), 422, 'missing_field', 'reason');
    assertError(await post(clerk, `/api/v1/cases/${no}/reject`, { reason: '' }), 422, 'missing_field', 'reason');
    assertError(await post(scj, `/api/v1/cases/${no}/reject`, { reason: '不属于本区管辖' }), 403, 'forbidden');
    assert.equal((await getCase(alice.token, no)).status, 'submitted');
    const r = await post(clerk, `/api/v1/cases/${no}/reject`, { reason: '不属于本区管辖' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'not_accepted');
    assert.equal(r.json.result_note, '不属于本区管辖');
    assert.ok(r.json.decided_at);
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).note], ['case.reject', '不属于本区管辖']);
    const again = await post(clerk, `/api/v1/cases/${no}/accept`);
    assertError(again, 409, 'invalid_state');
    assert.match(again.json.error.message, /'not_accepted'/);
  });

  test('deny with its reason: the case is denied and the other department\'s task is cancelled', async () => {
    const k0 = await accept((await clinic()).case_no);
    assertError(await decide(scj, task(k0, 'XH-SCJ').id, 'deny'), 422, 'missing_field', 'opinion');
    assertError(await decide(scj, task(k0, 'XH-SCJ').id, 'deny', ''), 422, 'missing_field', 'opinion');
    assertError(await decide(scj, task(k0, 'XH-SCJ').id, 'maybe', 'x'), 422, 'invalid_field', 'decision');
    assertError(await decide(scj, task(k0, 'XH-SCJ').id, 'opinion', 'x'), 422, 'invalid_field', 'decision');
    const r = await decide(scj, task(k0, 'XH-SCJ').id, 'deny', '依据《医疗机构管理条例》第十条，不符合设置规划');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'denied');
    assert.equal(r.json.result_note, '依据《医疗机构管理条例》第十条，不符合设置规划');
    assert.deepEqual(r.json.tasks.map((t) => [t.dept, t.status]), [['XH-WJW', 'cancelled'], ['XH-SCJ', 'denied']]);
    assert.equal(r.json.timeline.at(-1).action, 'case.deny');
    assert.equal(r.json.clock.light, 'stopped');
    assertError(await decide(wjw, task(k0, 'XH-WJW').id, 'approve'), 409, 'conflict');
    assert.equal((await getCase(company.token, k0.case_no)).status, 'denied');
  });

  test('return to the window: back to submitted, clock reset; accepting again makes a new task', async () => {
    const k0 = await accept((await food()).case_no);
    const t = task(k0, 'XH-SCJ');
    assertError(await decide(scj, t.id, 'return'), 422, 'missing_field', 'opinion');
    let r = await decide(scj, t.id, 'return', '经营场所证明与申请不符，请窗口核实');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.clock.started, false);
    assert.deepEqual(r.json.tasks.map((x) => x.status), ['returned']);
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).from, r.json.timeline.at(-1).to], ['case.return', 'accepted', 'submitted']);
    const k1 = await accept(k0.case_no);
    assert.deepEqual(k1.tasks.map((x) => [x.dept, x.status]), [['XH-SCJ', 'returned'], ['XH-SCJ', 'pending']]);
    assert.equal(k1.clock.due_date, '2026-06-04');
    r = await decide(scj, task(k1, 'XH-SCJ').id, 'approve');
    assert.equal(r.json.status, 'approved');
  });

  test('consult (加签): an opinion task for another department; approved only after it is answered', async () => {
    const k0 = await accept((await food()).case_no);
    const t = task(k0, 'XH-SCJ');
    assertError(await post(scj, `/api/v1/tasks/${t.id}/consult`, { dept: 'XH-SCJ' }), 422, 'invalid_field', 'dept');
    assertError(await post(scj, `/api/v1/tasks/${t.id}/consult`, { dept: 'XH-NOPE' }), 422, 'invalid_field', 'dept');
    assertError(await post(scj, `/api/v1/tasks/${t.id}/consult`, {}), 422, 'missing_field', 'dept');
    // the other department cannot see the case before it is asked
    assertError(await srv.api('GET', `/api/v1/cases/${k0.case_no}`, { token: wjw }), 404, 'not_found');
    let r = await post(scj, `/api/v1/tasks/${t.id}/consult`, { dept: 'XH-WJW', note: '请卫健委就卫生条件出具意见' });
    assert.equal(r.status, 200, r.text);
    const op = task(r.json, 'XH-WJW', 'opinion', 'pending');
    assert.equal(op.due_date, '2026-06-04');
    assert.equal(r.json.timeline.at(-1).action, 'task.consult');
    assert.equal((await getCase(wjw, k0.case_no)).case_no, k0.case_no, 'now the consulted department sees it');
    // the review is approved, but the opinion is outstanding
    r = await decide(scj, t.id, 'approve', '同意');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'accepted');
    // an opinion task is answered with "opinion" and a text
    assertError(await decide(wjw, op.id, 'approve'), 422, 'invalid_field', 'decision');
    assertError(await decide(wjw, op.id, 'opinion'), 422, 'missing_field', 'opinion');
    assertError(await decide(scj, op.id, 'opinion', '越权'), 403, 'forbidden');
    r = await decide(wjw, op.id, 'opinion', '卫生条件符合要求');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    assert.deepEqual(r.json.tasks.map((x) => [x.dept, x.kind, x.status, x.opinion]), [
      ['XH-SCJ', 'review', 'approved', '同意'],
      ['XH-WJW', 'opinion', 'done', '卫生条件符合要求'],
    ]);
    assert.deepEqual(r.json.timeline.map((e) => e.action).slice(-4), ['task.consult', 'task.decide', 'task.opinion', 'case.approve']);
  });

  test('reroute: the task moves to the right department, which decides it', async () => {
    const k0 = await accept((await food()).case_no);
    const t = task(k0, 'XH-SCJ');
    assertError(await post(scj, `/api/v1/tasks/${t.id}/reroute`, { dept: 'XH-SCJ' }), 422, 'invalid_field', 'dept');
    assertError(await post(wjw, `/api/v1/tasks/${t.id}/reroute`, { dept: 'XH-SWJ' }), 403, 'forbidden');
    let r = await post(scj, `/api/v1/tasks/${t.id}/reroute`, { dept: 'XH-SWJ', reason: '属税务事项' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.tasks.map((x) => [x.dept, x.status]), [['XH-SCJ', 'rerouted'], ['XH-SWJ', 'pending']]);
    const nt = task(r.json, 'XH-SWJ');
    assert.equal(nt.due_date, t.due_date);
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).note], ['task.reroute', 'XH-SCJ -> XH-SWJ: 属税务事项']);
    assertError(await decide(scj, t.id, 'approve'), 409, 'conflict');
    assertError(await decide(scj, nt.id, 'approve'), 403, 'forbidden');
    r = await decide(swj, nt.id, 'approve');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
  });

  test("the chief decides another department's task and reassigns; reviewers cannot reassign", async () => {
    const k0 = await accept((await clinic()).case_no);
    const tw = task(k0, 'XH-WJW');
    const ts = task(k0, 'XH-SCJ');
    assertError(await post(wjw, `/api/v1/tasks/${tw.id}/reassign`, { dept: 'XH-RSJ' }), 403, 'forbidden');
    let r = await post(chief, `/api/v1/tasks/${tw.id}/reassign`, { dept: 'XH-RSJ', reason: '涉及用工审查' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.tasks.map((x) => [x.dept, x.status]), [['XH-WJW', 'rerouted'], ['XH-SCJ', 'pending'], ['XH-RSJ', 'pending']]);
    assert.equal(r.json.timeline.at(-1).action, 'task.reassign');
    assert.equal(r.json.timeline.at(-1).actor, '张首席');
    r = await decide(chief, ts.id, 'approve', '首席审批官决定');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'accepted');
    assert.equal(task(r.json, 'XH-SCJ', 'review', 'approved').opinion, '首席审批官决定');
    r = await decide(rsj, task(r.json, 'XH-RSJ').id, 'approve');
    assert.equal(r.json.status, 'approved');
  });

  test("a reviewer of another department, the window, supervisors and applicants cannot act on a task (403)", async () => {
    const k0 = await accept((await clinic()).case_no);
    const tw = task(k0, 'XH-WJW');
    for (const token of [scj, swj]) {
      assertError(await decide(token, tw.id, 'approve'), 403, 'forbidden');
      assertError(await post(token, `/api/v1/tasks/${tw.id}/consult`, { dept: 'XH-RSJ' }), 403, 'forbidden');
      assertError(await post(token, `/api/v1/tasks/${tw.id}/reroute`, { dept: 'XH-RSJ' }), 403, 'forbidden');
    }
    for (const token of [clerk, supervisor, company.token, admin]) assertError(await decide(token, tw.id, 'approve'), 403, 'forbidden');
    assertError(await decide(wjw, 999999, 'approve'), 404, 'not_found');
    const k = await getCase(clerk, k0.case_no);
    assert.deepEqual(k.tasks.map((x) => x.status), ['pending', 'pending']);
    assert.equal(k.status, 'accepted');
  });

  test('two concurrent decisions on one task: exactly one 200 and one 409', async () => {
    for (const [a, b] of [['approve', 'approve'], ['approve', 'deny'], ['deny', 'approve']]) {
      const k0 = await accept((await food()).case_no);
      const t = task(k0, 'XH-SCJ');
      const rs = await Promise.all([decide(scj, t.id, a, '甲的意见'), decide(scj2, t.id, b, '乙的意见')]);
      const ok = rs.filter((r) => r.status === 200);
      const conflict = rs.filter((r) => r.status === 409);
      assert.equal(ok.length, 1, rs.map((r) => r.text).join('\n'));
      assert.equal(conflict.length, 1, rs.map((r) => r.text).join('\n'));
      assert.equal(conflict[0].json.error.code, 'conflict');
      const winner = rs.indexOf(ok[0]) === 0 ? a : b;
      const k = await getCase(clerk, k0.case_no);
      assert.equal(k.status, winner === 'approve' ? 'approved' : 'denied');
      assert.deepEqual(k.tasks.map((x) => x.status), [winner === 'approve' ? 'approved' : 'denied']);
      assert.equal(k.timeline.filter((e) => e.action === 'task.decide').length, 1);
    }
  });

  test('transitions from the wrong state are 409 invalid_state naming the status', async () => {
    const k0 = await accept((await food()).case_no);
    const no = k0.case_no;
    const expectState = async (token, p, body, status) => {
      const r = await post(token, p, body);
      assertError(r, 409, 'invalid_state');
      assert.ok(r.json.error.message.includes(`'${status}'`), `${p}: ${r.json.error.message} names ${status}`);
    };
    // accepted
    await expectState(clerk, `/api/v1/cases/${no}/accept`, {}, 'accepted');
    await expectState(clerk, `/api/v1/cases/${no}/reject`, { reason: '迟到的理由' }, 'accepted');
    await expectState(clerk, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'x', reason: 'y' }] }, 'accepted');
    await expectState(company.token, `/api/v1/cases/${no}/supplement`, {}, 'accepted');
    const resume = await post(scj, `/api/v1/cases/${no}/resume`, {});
    assertError(resume, 409, 'invalid_state');
    assert.match(resume.json.error.message, /not paused/);
    // approved
    const r = await decide(scj, task(k0, 'XH-SCJ').id, 'approve');
    assert.equal(r.json.status, 'approved');
    await expectState(clerk, `/api/v1/cases/${no}/accept`, {}, 'approved');
    await expectState(company.token, `/api/v1/cases/${no}/withdraw`, { reason: '不办了' }, 'approved');
    await expectState(company.token, `/api/v1/cases/${no}/supplement`, {}, 'approved');
    await expectState(scj, `/api/v1/cases/${no}/pause`, { kind: 'inspection' }, 'approved');
    // submitted
    const s = (await applyAs(alice, { item_code: 'T-SWJ-D1' })).case_no;
    await expectState(alice.token, `/api/v1/cases/${s}/supplement`, {}, 'submitted');
    await expectState(chief, `/api/v1/cases/${s}/pause`, { kind: 'hearing' }, 'submitted');
    assert.equal((await getCase(company.token, no)).status, 'approved');
    assert.equal((await getCase(alice.token, s)).status, 'submitted');
  });

  test('withdraw before a decision cancels the pending tasks', async () => {
    const k0 = await accept((await clinic()).case_no);
    assertError(await post(clerk, `/api/v1/cases/${k0.case_no}/withdraw`, {}), 403, 'forbidden');
    assertError(await post(alice.token, `/api/v1/cases/${k0.case_no}/withdraw`, {}), 404, 'not_found');
    let r = await decide(wjw, task(k0, 'XH-WJW').id, 'approve');
    assert.equal(r.json.status, 'accepted');
    r = await post(company.token, `/api/v1/cases/${k0.case_no}/withdraw`, { reason: '经营计划调整' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'withdrawn');
    assert.deepEqual(r.json.tasks.map((x) => [x.dept, x.status]), [['XH-WJW', 'approved'], ['XH-SCJ', 'cancelled']]);
    assert.deepEqual([r.json.timeline.at(-1).action, r.json.timeline.at(-1).note], ['case.withdraw', '经营计划调整']);
    assertError(await decide(scj, task(k0, 'XH-SCJ').id, 'approve'), 409, 'conflict');
    const again = await post(company.token, `/api/v1/cases/${k0.case_no}/withdraw`, {});
    assertError(again, 409, 'invalid_state');
    assert.match(again.json.error.message, /'withdrawn'/);
    // a submitted case (no tasks yet) can be withdrawn too
    const s = (await applyAs(alice, { item_code: 'T-SWJ-D2' })).case_no;
    r = await post(alice.token, `/api/v1/cases/${s}/withdraw`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'withdrawn');
  });

  test('the timeline lists every transition; staff names are masked to the applicant, not to staff', async () => {
    const k0 = await accept((await clinic()).case_no, '受理');
    await decide(wjw, task(k0, 'XH-WJW').id, 'approve', '同意');
    await decide(scj, task(k0, 'XH-SCJ').id, 'approve', '同意');
    const staffView = await getCase(clerk, k0.case_no);
    const appView = await getCase(company.token, k0.case_no);
    const expect = [
      ['case.submit', company.name, company.name, 'enterprise', 'submitted'],
      ['case.accept', '王窗口', '王*', 'window_clerk', 'accepted'],
      ['task.decide', '周卫健', '周*', 'reviewer', 'accepted'],
      ['task.decide', '李审核', '李*', 'reviewer', 'accepted'],
      ['case.approve', '李审核', '李*', 'reviewer', 'approved'],
    ];
    assert.deepEqual(staffView.timeline.map((e) => [e.action, e.actor, e.role, e.to]), expect.map(([a, s, , r, t]) => [a, s, r, t]));
    assert.deepEqual(appView.timeline.map((e) => [e.action, e.actor, e.role, e.to]), expect.map(([a, , m, r, t]) => [a, m, r, t]));
    for (const e of staffView.timeline) assert.equal(typeof e.actor_id, 'number');
    for (const e of appView.timeline) {
      assert.equal(e.actor_id, undefined, 'no staff ids for the applicant');
      assert.ok(e.at);
    }
    // the supervisor sees the names too
    const sup = await getCase(supervisor, k0.case_no);
    assert.equal(sup.timeline[1].actor, '王窗口');
  });

  test('the supplement notice does not reveal the clerk\'s full name to the applicant', async () => {
    const no = (await applyAs(alice, { item_code: 'T-SWJ-D5' })).case_no;
    const r = await post(clerk, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'form', reason: '请补充' }] });
    assert.equal(r.status, 200, r.text);
    const text = JSON.stringify(await getCase(alice.token, no));
    assert.ok(!text.includes('王窗口'), `the applicant's view names the clerk: ${text}`);
  });

  test('refused requests change nothing: the case and the audit chain are as before', async () => {
    const k0 = await accept((await clinic()).case_no);
    const no = k0.case_no;
    const tw = task(k0, 'XH-WJW');
    const ts = task(k0, 'XH-SCJ');
    const before = await getCase(clerk, no);
    const auditBefore = srv.verifyAudit();
    assert.ok(auditBefore.intact, auditBefore.stdout + auditBefore.stderr);
    const caseAuditBefore = caseAuditCount(srv, no);
    assert.ok(caseAuditBefore > 0, 'the case has its audit records');
    const refused = [
      [clerk, `/api/v1/cases/${no}/accept`, {}, 409],
      [clerk, `/api/v1/cases/${no}/reject`, { reason: 'x' }, 409],
      [clerk, `/api/v1/cases/${no}/request-supplement`, { items: [{ what: 'x', reason: 'y' }] }, 409],
      [company.token, `/api/v1/cases/${no}/supplement`, {}, 409],
      [bob.token, `/api/v1/cases/${no}/withdraw`, {}, 404],
      [clerk, `/api/v1/cases/${no}/withdraw`, {}, 403],
      [scj, `/api/v1/tasks/${tw.id}/decide`, { decision: 'approve' }, 403],
      [wjw, `/api/v1/tasks/${tw.id}/decide`, { decision: 'deny' }, 422],
      [wjw, `/api/v1/tasks/${tw.id}/decide`, { decision: 'approve', extra: 1 }, 400],
      [wjw, `/api/v1/tasks/${tw.id}/decide`, { decision: 'later' }, 422],
      [wjw, `/api/v1/tasks/${tw.id}/consult`, { dept: 'XH-WJW' }, 422],
      [wjw, `/api/v1/tasks/${tw.id}/reroute`, { dept: 'XH-404' }, 422],
      [wjw, `/api/v1/tasks/${tw.id}/reassign`, { dept: 'XH-RSJ' }, 403],
      [chief, `/api/v1/tasks/${ts.id}/reassign`, { dept: 'XH-SCJ' }, 422],
      [scj, `/api/v1/cases/${no}/pause`, { kind: 'holiday' }, 422],
      [scj, `/api/v1/cases/${no}/resume`, {}, 409],
      [company.token, `/api/v1/tasks/${ts.id}/decide`, { decision: 'approve' }, 403],
    ];
    for (const [token, p, body, status] of refused) {
      const r = await post(token, p, body);
      assert.equal(r.status, status, `${p} ${JSON.stringify(body)}: ${r.text}`);
    }
    const after = await getCase(clerk, no);
    assert.deepEqual(after, before);
    const auditAfter = srv.verifyAudit();
    assert.ok(auditAfter.intact);
    assert.equal(caseAuditCount(srv, no), caseAuditBefore, 'no audit record for a refused request');
  });

  describe('bundle 企业开办: one form, one set of materials, steps in order', () => {
    let parent;
    const FORM = { reg_capital: 100, address: '徐汇区虹漕路1号', seal_count: 3, invoice_kind: '增值税普通发票', employees: 12 };
    const subs = (k) => Object.fromEntries(k.sub_cases.map((s) => [s.code, s]));

    test('the one form and the one set of materials are checked for every item', async () => {
      const articles = await uploadPdf(srv, company.token, 'articles');
      const legalId = await uploadPdf(srv, company.token, 'legal-id');
      const mats = [{ material_code: 'T-KB-ARTICLES', file_id: articles }, { material_code: 'T-KB-LEGALID', file_id: legalId }];
      const post1 = (body) => srv.api('POST', '/api/v1/cases', { token: company.token, body: { bundle_code: 'T-QYKB', ...body } });
      let r = await post1({ form: FORM, materials: mats.slice(1) });
      assertError(r, 422, 'missing_field', 'materials.T-KB-ARTICLES');
      const { seal_count, ...noSeal } = FORM;
      r = await post1({ form: noSeal, materials: mats });
      assertError(r, 422, 'missing_field', 'form.seal_count');
      r = await post1({ form: { ...FORM, invoice_kind: '收据' }, materials: mats });
      assertError(r, 422, 'invalid_field', 'form.invoice_kind');
      r = await post1({ form: { ...FORM, bank: '工行' }, materials: mats });
      assertError(r, 400, 'unknown_field', 'form');
      r = await post1({ form: FORM, materials: [...mats, { material_code: 'T-SCJ-FOOD-M01', file_id: articles }] });
      assertError(r, 422, 'invalid_field', 'materials');
      r = await srv.api('POST', '/api/v1/cases', { token: alice.token, body: { bundle_code: 'T-QYKB', form: FORM } });
      assertError(r, 403, 'forbidden', 'item_code');
      r = await post1({ form: FORM, materials: mats });
      assert.equal(r.status, 201, r.text);
      parent = r.json;
      assert.match(parent.case_no, CASE_NO);
      assert.equal(parent.kind, 'bundle');
      assert.equal(parent.code, 'T-QYKB');
      assert.equal(parent.title, '企业开办');
      assert.equal(parent.status, 'submitted');
      assert.equal(parent.promised_days, 3);
      assert.deepEqual(parent.progress, { done: 0, total: 4 });
      assert.deepEqual(parent.sub_cases.map((s) => [s.code, s.bundle_step, s.status, s.dept]), [
        ['T-KB-SCJ', 1, 'submitted', 'XH-SCJ'],
        ['T-KB-GAFJ', 2, 'submitted', 'XH-GAFJ'],
        ['T-KB-SWJ', 2, 'submitted', 'XH-SWJ'],
        ['T-KB-RSJ', 3, 'submitted', 'XH-RSJ'],
      ]);
      for (const s of parent.sub_cases) assert.match(s.case_no, CASE_NO);
      // each item gets its part of the one form and the shared material
      const gafj = await getCase(company.token, subs(parent)['T-KB-GAFJ'].case_no);
      assert.deepEqual(gafj.form, { seal_count: 3 });
      assert.deepEqual(gafj.bundle, { case_no: parent.case_no, title: '企业开办' });
      assert.deepEqual(gafj.materials.map((m) => [m.material_code, m.file_id]), [['T-KB-LEGALID', legalId]]);
      const scjSub = await getCase(company.token, subs(parent)['T-KB-SCJ'].case_no);
      assert.deepEqual(scjSub.form, { reg_capital: 100, address: '徐汇区虹漕路1号' });
      assert.deepEqual(scjSub.materials.map((m) => [m.material_code, m.file_id]), [['T-KB-ARTICLES', articles], ['T-KB-LEGALID', legalId]]);
      // only the bundle appears in the applicant's list
      const list = await srv.api('GET', '/api/v1/cases?limit=100', { token: company.token });
      assert.ok(list.json.items.some((c) => c.case_no === parent.case_no));
      assert.ok(!list.json.items.some((c) => parent.sub_cases.some((s) => s.case_no === c.case_no)));
    });

    test('accept: the bundle clock starts and only step 1 gets tasks', async () => {
      assert.ok(parent, 'the bundle was created');
      const sub = subs(parent)['T-KB-SCJ'].case_no;
      const r0 = await post(clerk, `/api/v1/cases/${sub}/accept`);
      assertError(r0, 409, 'invalid_state');
      const k = await accept(parent.case_no);
      assert.equal(k.clock.due_date, '2026-06-04');
      const s = subs(k);
      assert.equal(s['T-KB-SCJ'].status, 'accepted');
      assert.deepEqual(s['T-KB-SCJ'].tasks.map((t) => [t.dept, t.status, t.due_date]), [['XH-SCJ', 'pending', '2026-06-02']]);
      assert.equal(s['T-KB-SCJ'].clock.due_date, '2026-06-02');
      for (const c of ['T-KB-GAFJ', 'T-KB-SWJ', 'T-KB-RSJ']) {
        assert.equal(s[c].status, 'accepted', c);
        assert.deepEqual(s[c].tasks, [], `${c} waits for its step`);
        assert.equal(s[c].clock.started, false, c);
      }
      const q = await srv.api('GET', '/api/v1/tasks', { token: gafj });
      assert.ok(!q.json.items.some((t) => t.case_no === s['T-KB-GAFJ'].case_no));
      parent = k;
    });

    test('after step 1 is approved, step 2 runs in parallel; step 3 after both; then the bundle is approved', async () => {
      assert.equal(parent?.status, 'accepted', 'the bundle was accepted');
      const scjTask = subs(parent)['T-KB-SCJ'].tasks[0];
      let r = await decide(scj, scjTask.id, 'approve', '准予设立登记');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'approved', 'the sub-case');
      let k = await getCase(company.token, parent.case_no);
      assert.equal(k.status, 'accepted');
      assert.deepEqual(k.progress, { done: 1, total: 4 });
      let s = subs(k);
      assert.deepEqual(s['T-KB-GAFJ'].tasks.map((t) => [t.dept, t.status, t.step]), [['XH-GAFJ', 'pending', 1]]);
      assert.deepEqual(s['T-KB-SWJ'].tasks.map((t) => [t.dept, t.status]), [['XH-SWJ', 'pending']]);
      assert.deepEqual(s['T-KB-RSJ'].tasks, []);
      assert.equal(s['T-KB-GAFJ'].clock.started, true);
      assert.ok(s['T-KB-GAFJ'].tasks[0].due_date);
      // the step-2 departments find their tasks, marked as part of a bundle
      const q = await srv.api('GET', '/api/v1/tasks', { token: gafj });
      const row = q.json.items.find((t) => t.case_no === s['T-KB-GAFJ'].case_no);
      assert.ok(row);
      assert.equal(row.in_bundle, true);

      r = await decide(gafj, s['T-KB-GAFJ'].tasks[0].id, 'approve');
      assert.equal(r.status, 200, r.text);
      k = await getCase(company.token, parent.case_no);
      assert.deepEqual(k.progress, { done: 2, total: 4 });
      assert.deepEqual(subs(k)['T-KB-RSJ'].tasks, [], 'step 3 waits for the whole of step 2');

      r = await decide(swj, s['T-KB-SWJ'].tasks[0].id, 'approve');
      assert.equal(r.status, 200, r.text);
      k = await getCase(company.token, parent.case_no);
      assert.deepEqual(k.progress, { done: 3, total: 4 });
      assert.equal(k.status, 'accepted');
      s = subs(k);
      assert.deepEqual(s['T-KB-RSJ'].tasks.map((t) => [t.dept, t.status]), [['XH-RSJ', 'pending']]);

      r = await decide(rsj, s['T-KB-RSJ'].tasks[0].id, 'approve');
      assert.equal(r.status, 200, r.text);
      k = await getCase(company.token, parent.case_no);
      assert.equal(k.status, 'approved');
      assert.deepEqual(k.progress, { done: 4, total: 4 });
      assert.ok(k.decided_at);
      assert.deepEqual(k.sub_cases.map((x) => x.status), ['approved', 'approved', 'approved', 'approved']);
      const last = k.timeline.at(-1);
      assert.deepEqual([last.action, last.from, last.to], ['case.approve', 'accepted', 'approved']);
    });

    test('an item of a bundle cannot be returned alone (409, nothing changes); a denial ends the whole bundle', async () => {
      const r0 = await srv.api('POST', '/api/v1/cases', {
        token: company.token,
        body: { bundle_code: 'T-QYKB', form: FORM, materials: [
          { material_code: 'T-KB-ARTICLES', file_id: await uploadPdf(srv, company.token) },
          { material_code: 'T-KB-LEGALID', file_id: await uploadPdf(srv, company.token) },
        ] },
      });
      assert.equal(r0.status, 201, r0.text);
      let k = await accept(r0.json.case_no);
      let r = await decide(scj, subs(k)['T-KB-SCJ'].tasks[0].id, 'approve');
      assert.equal(r.status, 200, r.text);
      k = await getCase(clerk, k.case_no);
      const before = await getCase(clerk, subs(k)['T-KB-GAFJ'].case_no);
      r = await decide(gafj, subs(k)['T-KB-GAFJ'].tasks[0].id, 'return', '请窗口核实印章样式');
      assertError(r, 409, 'invalid_state');
      assert.deepEqual(await getCase(clerk, subs(k)['T-KB-GAFJ'].case_no), before, 'the refused return changed nothing');

      r = await decide(swj, subs(k)['T-KB-SWJ'].tasks[0].id, 'deny', '存在未结清税款，依法不予办理');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'denied');
      k = await getCase(company.token, k.case_no);
      assert.equal(k.status, 'denied');
      assert.equal(k.result_note, '存在未结清税款，依法不予办理');
      const s = subs(k);
      assert.equal(s['T-KB-SCJ'].status, 'approved');
      assert.equal(s['T-KB-SWJ'].status, 'denied');
      assert.equal(s['T-KB-GAFJ'].status, 'withdrawn');
      assert.deepEqual(s['T-KB-GAFJ'].tasks.map((t) => t.status), ['cancelled']);
      assert.equal(s['T-KB-RSJ'].status, 'withdrawn');
      assert.deepEqual(s['T-KB-RSJ'].tasks, []);
      assert.deepEqual(k.progress, { done: 1, total: 4 });
      assertError(await decide(gafj, s['T-KB-GAFJ'].tasks[0].id, 'approve'), 409, 'conflict');
    });
  });
});
