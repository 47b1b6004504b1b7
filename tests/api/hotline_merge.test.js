// hotline_merge.test.js - similar orders and the knowledge base.  Orders of
// the same category reported near the same place within a day are suggested
// for merging (合并); a merged order is answered and closed with the order it
// was merged into, so one answer reaches every caller, each of whom is then
// called back and rates on their own.  Orders elsewhere, of another
// category, or a day apart are not suggested.  The knowledge base (知识库)
// answers general questions, found by two-character Chinese queries, and an
// operator closes a question on the call with its answer.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

describe('hotline: merging similar orders, and the knowledge base', () => {
  let srv;
  const tok = {};
  const relogin = async () => {
    for (const who of ['hotline', 'rev.lrj', 'reviewer', '310104199003072013']) tok[who] = await srv.login(who);
  };
  const api = (method, p, who, body) => srv.api(method, p, { token: who ? tok[who] : undefined, body });
  const step = (no, action, who, body = {}) => api('POST', `/api/v1/hotline/orders/${no}/${action}`, who, body);
  const take = async (body) => {
    const r = await api('POST', '/api/v1/hotline/orders', 'hotline', { caller_phone: '13800001111', ...body });
    assert.equal(r.status, 201, r.text);
    return r.json.order_no;
  };

  before(async () => {
    srv = await startServer({ clock: '2026-06-01T09:00:00+08:00' });
    await relogin();
  });
  after(() => srv?.close());

  let A, B, C, far, other, late;
  test('similar orders: same category, within about 300 m, within a day', async () => {
    A = await take({ category: 'HL-103', content: '天钥桥路垃圾满溢', lat: 31.1950, lng: 121.4380, caller_phone: '13800000001' });
    B = await take({ category: 'HL-103', content: '天钥桥路 100 号垃圾没人收', lat: 31.1962, lng: 121.4391, caller_phone: '13800000002' });
    C = await take({ category: 'HL-103', content: '垃圾桶满了', address: '徐汇区天钥桥路 100 号', caller_phone: '13800000003' });
    far = await take({ category: 'HL-103', content: '另一处垃圾', lat: 31.1500, lng: 121.4300 });
    other = await take({ category: 'HL-105', content: '噪声', lat: 31.1950, lng: 121.4380 });
    const r = await api('GET', `/api/v1/hotline/orders/${A}/similar`, 'hotline');
    assert.equal(r.status, 200, r.text);
    const nos = r.json.items.map((o) => o.order_no);
    assert.deepEqual(nos, [B], 'near, same category; not the far one, not another category, not one without a place');
    assert.equal((await api('GET', `/api/v1/hotline/orders/${A}/similar`, 'reviewer')).status, 403);
    await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 2 } });
    await relogin();
    late = await take({ category: 'HL-103', content: '两天后又满了', lat: 31.1951, lng: 121.4381 });
    const r2 = await api('GET', `/api/v1/hotline/orders/${late}/similar`, 'hotline');
    assert.deepEqual(r2.json.items.map((o) => o.order_no), [], 'a day apart is not similar');
    assert.ok(far && other);
  });

  test('bad merges are refused', async () => {
    let r = await step(B, 'merge', 'hotline', { into: B });
    assert.equal(r.status, 422);
    r = await step(B, 'merge', 'hotline', { into: other });
    assert.equal(r.status, 422, 'another category');
    r = await step(B, 'merge', 'hotline', { into: 'HL20000101999999' });
    assert.equal(r.status, 422);
    r = await step(B, 'merge', 'rev.lrj', { into: A });
    assert.equal(r.status, 403);
    assert.equal((await api('GET', `/api/v1/hotline/orders/${B}`, 'hotline')).json.status, 'received', 'unchanged');
  });

  test('merged orders get the answer and the closing of the order they were merged into', async () => {
    let r = await step(B, 'merge', 'hotline', { into: A });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'merged');
    assert.equal(r.json.merged_into, A);
    r = await step(C, 'merge', 'hotline', { into: A });
    assert.equal(r.status, 200, r.text);
    r = await step(B, 'dispatch', 'hotline', {});
    assert.equal(r.status, 409, 'a merged order is not dispatched on its own');
    r = await step(late, 'merge', 'hotline', { into: B });
    assert.equal(r.status, 409, 'nothing merges into a merged order');

    assert.equal((await step(A, 'dispatch', 'hotline', {})).status, 200);
    assert.equal((await step(A, 'sign', 'rev.lrj')).status, 200);
    r = await step(A, 'answer', 'rev.lrj', { answer: '已增加清运频次' });
    assert.equal(r.status, 200, r.text);
    r = await api('GET', `/api/v1/hotline/orders/${B}`, 'hotline');
    assert.equal(r.json.answer, '已增加清运频次', 'the answer reaches the merged caller');
    assert.equal(r.json.status, 'merged');
    assert.equal((await step(A, 'close', 'hotline')).status, 200);
    for (const no of [B, C]) {
      r = await api('GET', `/api/v1/hotline/orders/${no}`, 'hotline');
      assert.equal(r.json.status, 'closed', `${no} closed with ${A}`);
      assert.equal(r.json.answer, '已增加清运频次');
      assert.ok(r.json.steps.some((s) => s.action === 'merge' && s.note === A));
    }
    r = await api('GET', `/api/v1/hotline/orders/${A}`, 'hotline');
    assert.equal(r.json.steps.filter((s) => s.action === 'merge_in').length, 2);
    assert.equal((await step(B, 'callback', 'hotline', { note: '已告知' })).status, 200, 'each caller is called back');
    assert.equal((await step(B, 'rate', 'hotline', { rating: 4 })).status, 200, 'and rates');
    const audit = srv.verifyAudit();
    assert.ok(audit.intact, audit.stdout + audit.stderr);
  });

  test('the knowledge base: two-character Chinese search, adding answers, closing a question on the call', async () => {
    let r = await api('GET', `/api/v1/hotline/knowledge?q=${encodeURIComponent('积分')}`, 'hotline');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1);
    assert.match(r.json.items[0].answer, /一网通办/);
    r = await api('GET', `/api/v1/hotline/knowledge?q=${encodeURIComponent('社保')}`, 'hotline');
    assert.ok(r.json.items.some((k) => /社保卡/.test(k.question)));
    r = await api('GET', '/api/v1/hotline/knowledge?category=HL-003', 'reviewer');
    assert.equal(r.status, 200, 'staff may read it');
    assert.ok(r.json.items.every((k) => k.category === 'HL-003'));
    assert.equal((await api('GET', '/api/v1/hotline/knowledge', '310104199003072013')).status, 403);

    r = await api('POST', '/api/v1/hotline/knowledge', 'hotline', { category: 'HL-999', question: 'x', answer: 'y' });
    assert.equal(r.status, 422);
    r = await api('POST', '/api/v1/hotline/knowledge', 'reviewer', { category: 'HL-001', question: 'x', answer: 'y' });
    assert.equal(r.status, 403);
    r = await api('POST', '/api/v1/hotline/knowledge', 'hotline', { category: 'HL-001', question: '护照到期怎么换？', answer: '可在出入境窗口或“一网通办”预约换发。' });
    assert.equal(r.status, 201, r.text);
    r = await api('GET', `/api/v1/hotline/knowledge?q=${encodeURIComponent('护照')}`, 'hotline');
    assert.equal(r.json.items.length, 1);

    const q = await take({ category: 'HL-001', content: '护照到期怎么换' });
    r = await step(q, 'close', 'hotline', { answer: r.json.items[0].answer });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.equal(r.json.clock.light, 'stopped');
    assert.equal(r.json.clock.on_time, true);
  });
});
