// hotline.test.js - 12345 work orders (src/hotline/): an order taken by phone
// is dispatched, returned once, re-dispatched, signed, extended, answered,
// closed, called back and rated, on the test clock (serve --clock) across the
// 2026 Qingming holiday, with its light going green -> yellow -> red ->
// stopped; the limits of CN-STANDARDS.md §6.1 (help requests 5 working
// days); citizens online and anonymous callers with a callback number; and the
// refusals: unknown category, a location outside Xuhui, a step out of order
// (409 naming the state), a department acting on another's order, another
// citizen reading an order, a late return - each changing nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { CITIZEN, COMPANY } from './world.js';

const START = '2026-03-30T10:00:00+08:00'; // a Monday; Qingming is Sat 04-04 to Mon 04-06

describe('hotline: the work-order loop on the working-day clock', () => {
  let srv;
  const tok = {};
  const login = async (who) => (tok[who] = await srv.login(who));
  const relogin = async () => {
    for (const who of Object.keys(tok)) await login(who);
  };
  const api = (method, p, who, body) => srv.api(method, p, { token: who ? tok[who] : undefined, body });
  const step = (no, action, who, body = {}) => api('POST', `/api/v1/hotline/orders/${no}/${action}`, who, body);
  const get = (no, who) => api('GET', `/api/v1/hotline/orders/${no}`, who);
  const advance = async (days) => {
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: days } });
    assert.equal(r.status, 200, r.text);
    await relogin(); // sessions end after 30 idle minutes of the server's clock
  };
  const count = async () => (await api('GET', '/api/v1/hotline/orders?limit=200', 'hotline')).json.items.length;

  before(async () => {
    srv = await startServer({ clock: START });
    for (const who of ['hotline', 'reviewer', 'rev.jsglw', 'rev.swj', 'supervisor', CITIZEN, COMPANY, 'grid']) await login(who);
  });
  after(() => srv?.close());

  let A, B;

  test('the categories carry their type and limit (§6.1: help 5, general 1 working days)', async () => {
    const r = await api('GET', '/api/v1/hotline/categories');
    assert.equal(r.status, 200);
    const road = r.json.items.find((c) => c.code === 'HL-101');
    assert.equal(road.type, 'help');
    assert.equal(road.limit_days, 5);
    assert.equal(road.dept, 'XH-JSGLW');
    assert.equal(r.json.items.find((c) => c.code === 'HL-001').limit_days, 1);
  });

  test('an operator takes a call: order number, channel phone, due in 5 working days past Qingming, light green', async () => {
    const r = await api('POST', '/api/v1/hotline/orders', 'hotline', {
      category: 'HL-101', content: '人行道地砖松动，老人险些绊倒', address: '徐汇区肇嘉浜路 500 号',
      lat: 31.2010, lng: 121.4520, caller_name: '刘先生', caller_phone: '13812345678',
    });
    assert.equal(r.status, 201, r.text);
    A = r.json.order_no;
    assert.match(A, /^HL20260330\d{6}$/);
    assert.equal(r.json.channel, 'phone');
    assert.equal(r.json.status, 'received');
    assert.equal(r.json.type, 'help');
    assert.equal(r.json.clock.start_date, '2026-03-30');
    assert.equal(r.json.clock.due_date, '2026-04-07', '31, 1, 2, 3 April, then Tue 7 April after the holiday');
    assert.equal(r.json.clock.light, 'green');
    assert.equal(r.json.caller.phone, '13812345678', 'the hotline centre sees the whole number');
    assert.deepEqual(r.json.steps.map((s) => s.action), ['intake']);

    const b = await api('POST', '/api/v1/hotline/orders', 'hotline', {
      category: 'HL-108', content: '面馆后厨卫生差', caller_phone: '021-64870000',
    });
    assert.equal(b.status, 201, b.text);
    B = b.json.order_no;
  });

  test('bad intakes are refused and write nothing', async () => {
    const before = await count();
    const cases = [
      [{ category: 'HL-999', content: 'x', caller_phone: '13812345678' }, 422, 'category'],
      [{ category: 'HL-101', content: 'x', caller_phone: '13812345678', lat: 39.9, lng: 116.4 }, 422, 'lat'],
      [{ category: 'HL-101', content: 'x', caller_phone: '13812345678', lat: 31.2 }, 422, 'lng'],
      [{ category: 'HL-101', content: 'x', caller_phone: '12345' }, 422, 'caller_phone'],
      [{ category: 'HL-101', content: 'x' }, 422, 'caller_phone'],
      [{ category: 'HL-101', content: 'x', caller_phone: '13812345678', type: 'urgent-ish' }, 422, 'type'],
      [{ category: 'HL-101', caller_phone: '13812345678' }, 422, 'content'],
      [{ category: 'HL-101', content: 'x', caller_phone: '13812345678', media_url: 'javascript:alert(1)' }, 422, 'media_url'],
      [{ category: 'HL-101', content: 'x', caller_phone: '13812345678', media_url: 'https://x.example/a"onmouseover=1' }, 422, 'media_url'],
    ];
    for (const [body, status, field] of cases) {
      const r = await api('POST', '/api/v1/hotline/orders', 'hotline', body);
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.field, field, r.text);
    }
    const anon = await api('POST', '/api/v1/hotline/orders', null, { category: 'HL-103', content: '垃圾' });
    assert.equal(anon.status, 422, 'an anonymous report needs a callback number');
    assert.equal(anon.json.error.field, 'caller_phone');
    assert.equal(await count(), before, 'nothing was written');
  });

  test('dispatch to the wrong department; it sees the order with the number masked; another department does not', async () => {
    let r = await step(A, 'dispatch', 'hotline', { dept: 'XH-SCJ', note: '食药监?' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'dispatched');
    assert.equal(r.json.dept, 'XH-SCJ');
    r = await get(A, 'reviewer');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.caller.phone, '138****5678', 'masked for the department');
    const list = await api('GET', '/api/v1/hotline/orders', 'reviewer');
    assert.equal(list.json.scope, 'dept');
    assert.ok(list.json.items.some((o) => o.order_no === A));
    assert.equal((await get(A, 'rev.swj')).status, 404);
    r = await step(A, 'sign', 'rev.swj');
    assert.equal(r.status, 404, 'a department cannot act on another department\'s order');
    assert.equal((await get(A, COMPANY)).status, 404, 'a citizen who is not the caller gets 404');
    r = await step(A, 'dispatch', 'hotline', { dept: 'XH-NOPE' });
    assert.equal(r.status, 409, 'dispatching a dispatched order is out of order');
    assert.match(r.json.error.message, /'dispatched'/);
  });

  test('the department returns it (退回) with a reason; the operator re-dispatches to the right one', async () => {
    let r = await step(A, 'return', 'reviewer', {});
    assert.equal(r.status, 422, 'a return needs its reason');
    r = await step(A, 'return', 'reviewer', { reason: '道路设施不属本局职责，应派建管委' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'returned');
    assert.equal(r.json.returns, 1);
    assert.equal(r.json.dept, '');
    assert.equal((await get(A, 'reviewer')).status, 404, 'returned: no longer the department\'s');
    r = await step(A, 'close', 'hotline', { answer: 'x' });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /is 'returned'/);
    r = await step(A, 'dispatch', 'hotline', { dept: 'XH-12345' });
    assert.equal(r.status, 422, 'not to the hotline itself');
    r = await step(A, 'dispatch', 'hotline', { dept: 'XH-NOPE' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'dept');
    r = await step(A, 'dispatch', 'hotline', {}); // the category's department: XH-JSGLW
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dept, 'XH-JSGLW');
    assert.equal(r.json.dept_name, '上海市徐汇区建设和管理委员会');
    r = await step(B, 'dispatch', 'hotline', { dept: 'XH-SCJ' });
    assert.equal(r.status, 200, r.text);
  });

  test('answer before signing is out of order; sign, then one extension approved by the centre', async () => {
    let r = await step(A, 'answer', 'rev.jsglw', { answer: '已修复' });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /'dispatched', not 'signed'/);
    r = await step(A, 'sign', 'rev.jsglw', { note: '签收' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'signed');
    r = await step(A, 'extend', 'rev.jsglw', { days: 30, reason: '需采购材料' });
    assert.equal(r.status, 422, 'at most hotline_max_extension_days');
    r = await step(A, 'extend', 'rev.jsglw', { days: 3, reason: '需采购地砖材料' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.extension_request, { days: 3, reason: '需采购地砖材料' });
    assert.equal(r.json.clock.due_date, '2026-04-07', 'not moved until approved');
    r = await step(A, 'extend', 'rev.jsglw', { days: 2, reason: '再延' });
    assert.equal(r.status, 409, 'one request at a time');
    r = await step(A, 'extension-decision', 'rev.jsglw', { approve: true });
    assert.equal(r.status, 403, 'the centre decides, not the department');
    r = await step(A, 'extension-decision', 'hotline', { approve: true, note: '同意' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.clock.due_date, '2026-04-10', '8, 9, 10 April');
    assert.equal(r.json.extensions, 1);
    assert.equal(r.json.extension_request, null);
    r = await step(A, 'extend', 'rev.jsglw', { days: 1, reason: '还要延' });
    assert.equal(r.status, 409, 'at most one extension by default');
    r = await step(A, 'press', 'supervisor', { note: '请加快处理' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.presses, 1);
  });

  test('the light changes with the test clock: yellow one working day before, red once overdue', async () => {
    let r = await get(A, 'hotline');
    assert.equal(r.json.clock.light, 'green');
    await advance(10); // Thu 9 April
    r = await get(A, 'hotline');
    assert.equal(r.json.clock.days_left, 1);
    assert.equal(r.json.clock.light, 'yellow');
    // B was dispatched on 30 March: six working days ago, too late to return
    r = await step(B, 'return', 'reviewer', { reason: '不属本局' });
    assert.equal(r.status, 409, r.text);
    assert.match(r.json.error.message, /within 2/);
    assert.equal((await get(B, 'reviewer')).json.status, 'dispatched', 'unchanged');
    await advance(2); // Sat 11 April
    r = await get(A, 'hotline');
    assert.equal(r.json.clock.light, 'red');
    assert.equal(r.json.clock.overdue, true);
  });

  test('answer, close, call back and rate: the clock stops, the steps are all there', async () => {
    let r = await step(A, 'answer', 'rev.jsglw', { answer: '已更换松动地砖并设置警示' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'answered');
    assert.equal(r.json.clock.light, 'stopped');
    assert.equal(r.json.clock.on_time, false);
    r = await step(A, 'rate', 'hotline', { rating: 5 });
    assert.equal(r.status, 409, 'rated only once closed');
    r = await step(A, 'close', 'hotline', { note: '办结' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.ok(r.json.closed_at);
    r = await step(A, 'callback', 'hotline', {});
    assert.equal(r.status, 422, 'a call back notes what the caller said');
    r = await step(A, 'callback', 'hotline', { note: '来电人确认已修复' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'visited');
    for (const rating of [0, 6]) assert.equal((await step(A, 'rate', 'hotline', { rating })).status, 422);
    r = await step(A, 'rate', 'reviewer', { rating: 1 });
    assert.equal(r.status, 404, 'the old department no longer sees it');
    r = await step(A, 'rate', 'hotline', { rating: 4, comment: '满意' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'rated');
    assert.equal(r.json.rating, 4);
    r = await step(A, 'rate', 'hotline', { rating: 5 });
    assert.equal(r.status, 409);
    assert.deepEqual((await get(A, 'hotline')).json.steps.map((x) => x.action), [
      'intake', 'dispatch', 'return', 'dispatch', 'sign', 'extend', 'extend_approved', 'press', 'answer', 'close', 'callback', 'rate',
    ]);
    const audit = srv.verifyAudit();
    assert.ok(audit.intact, audit.stdout + audit.stderr);
  });

  test('a citizen reports online and follows it; another citizen cannot see it', async () => {
    let r = await api('POST', '/api/v1/hotline/orders', CITIZEN, { category: 'HL-103', content: '小区门口垃圾三天未清运', lat: '31.189', lng: '121.437' });
    assert.equal(r.status, 201, r.text);
    const no = r.json.order_no;
    assert.equal(r.json.channel, 'web');
    assert.equal(r.json.caller.anonymous, false);
    r = await api('GET', '/api/v1/hotline/orders', CITIZEN);
    assert.equal(r.json.scope, 'caller');
    assert.ok(r.json.items.some((o) => o.order_no === no));
    assert.ok(r.json.items.every((o) => o.caller.anonymous === false));
    assert.equal((await get(no, COMPANY)).status, 404);
    r = await api('GET', '/api/v1/hotline/orders', COMPANY);
    assert.ok(!r.json.items.some((o) => o.order_no === no));
    r = await step(no, 'dispatch', CITIZEN, {});
    assert.equal(r.status, 403, 'citizens do not dispatch');
  });

  test('an anonymous report with a callback number, and progress by that number only', async () => {
    let r = await api('POST', '/api/v1/hotline/orders', null, { category: 'HL-105', content: '夜间施工噪声', caller_phone: '13900001111' });
    assert.equal(r.status, 201, r.text);
    const no = r.json.order_no;
    assert.equal(r.json.caller.anonymous, true);
    r = await srv.api('GET', `/api/v1/public/hotline-orders/${no}?phone=13900001111`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'received');
    assert.equal(r.json.caller.phone, '139****1111');
    assert.ok(r.json.steps.every((s) => s.actor === undefined), 'no staff names outside');
    r = await srv.api('GET', `/api/v1/public/hotline-orders/${no}?phone=13900002222`);
    assert.equal(r.status, 404, 'another number sees nothing');
    r = await srv.api('GET', `/api/v1/public/hotline-orders/${no}`);
    assert.equal(r.status, 404);
    assert.equal((await get(no, CITIZEN)).status, 404, 'a logged-in citizen is not this anonymous caller');
    r = await step(no, 'close', 'hotline', { answer: '已告知施工许可时段' });
    assert.equal(r.status, 200, 'a question answered on the call is closed at once');
    assert.equal(r.json.status, 'closed');
  });
});
