// services_hotline.test.js - the service hall's messages for 12345 reports:
// the hotline publishes hotline.order_answered and hotline.order_closed
// (src/hotline/), the service hall turns them into an inbox message for the
// citizen who reported on the web (logged in), once per event; an order taken
// by phone is answered by calling back, so nobody's inbox gets it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { CITIZEN } from './world.js';
import { eventually } from './eventually.js';

describe('services: 12345 answers reach the reporter\'s inbox', () => {
  let srv;
  const tok = {};
  const api = (method, p, who, body) => srv.api(method, p, { token: who ? tok[who] : undefined, body });
  const step = (no, action, who, body = {}) => api('POST', `/api/v1/hotline/orders/${no}/${action}`, who, body);
  const inbox = async () => (await api('GET', '/api/v1/me/inbox', CITIZEN)).json.items.filter((m) => m.template.startsWith('hotline.'));

  before(async () => {
    srv = await startServer({ clock: '2026-03-30T10:00:00+08:00' });
    for (const who of ['hotline', 'rev.jsglw', CITIZEN]) tok[who] = await srv.login(who);
  });
  after(() => srv?.close());

  test('a web report answered and closed: two messages in the reporter\'s inbox, each once', async () => {
    assert.deepEqual(await inbox(), []);
    let r = await api('POST', '/api/v1/hotline/orders', CITIZEN, { category: 'HL-101', content: '人行道地砖松动', lat: '31.189', lng: '121.437' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, 'web');
    const no = r.json.order_no;
    // and one taken by phone for someone else, answered too: nobody is messaged for it
    r = await api('POST', '/api/v1/hotline/orders', 'hotline', { category: 'HL-101', content: '路灯不亮', caller_phone: '13812345678' });
    assert.equal(r.status, 201, r.text);
    const phone = r.json.order_no;
    for (const o of [no, phone]) {
      assert.equal((await step(o, 'dispatch', 'hotline', { dept: 'XH-JSGLW' })).status, 200);
      assert.equal((await step(o, 'sign', 'rev.jsglw', { note: '签收' })).status, 200);
    }
    assert.deepEqual(await inbox(), [], 'nothing before the answer');
    for (const o of [no, phone]) {
      r = await step(o, 'answer', 'rev.jsglw', { answer: '已更换松动地砖' });
      assert.equal(r.status, 200, r.text);
    }
    // the message follows the answer after its commit (an after-commit subscriber)
    let msgs = await eventually(async () => {
      const m = await inbox();
      assert.equal(m.length, 1, JSON.stringify(m));
      return m;
    });
    assert.equal(msgs[0].template, 'hotline.order_answered');
    assert.ok(msgs[0].body.includes(no), msgs[0].body);
    assert.match(msgs[0].title, /已答复/);
    assert.equal(msgs[0].link, '/hotline.html');
    assert.equal(msgs[0].read, false);
    r = await step(no, 'close', 'hotline', { note: '办结' });
    assert.equal(r.status, 200, r.text);
    msgs = await eventually(async () => {
      const m = await inbox();
      assert.deepEqual(m.map((x) => x.template).sort(), ['hotline.order_answered', 'hotline.order_closed']);
      return m;
    });
    assert.ok(msgs.every((m) => m.body.includes(no) && !m.body.includes(phone)));
    // an unread count the header shows
    const all = await api('GET', '/api/v1/me/inbox', CITIZEN);
    assert.ok(all.json.unread >= 2);
  });
});
