// services_notify.test.js - notifications made from other modules' events
// (case accepted and approved, license issued) and from the hall (booking):
// the in-app inbox, and email through a real SMTP exchange with a sink
// started here (smtp_sink.js) that refuses the first messages, so the
// sender's retries are exercised; every event is delivered, and delivered
// once.  Then a dead SMTP server: the message is not lost, fails visibly
// after its attempts, is requeued by an operator and sent, and a killed and
// restarted server does not send it again.  A finished case asks for a
// rating (一事一评) that its applicant, and only they, can give.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { startServer, freePort } from './harness.js';
import { buildWorld, COMPANY, CITIZEN } from './world.js';
import { registerPerson, assertError, uscc, APPLICANT_PASSWORD } from './case_fixtures.js';
import { startSmtpSink, parseMail } from './smtp_sink.js';
import { eventually } from './eventually.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/* A local SMS gateway: records each POSTed JSON body; answers 503 to the first one. */
async function startSmsGateway() {
  const got = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      calls++;
      if (calls === 1) { res.writeHead(503); res.end('busy'); return; }
      got.push({ type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/send`, got, get calls() { return calls; }, close: () => new Promise((r) => server.close(r)) };
}

describe('services: notifications by inbox and email', () => {
  let srv, sink, world, sms;

  before(async () => {
    sink = await startSmtpSink({ failFirst: 2 });
    sms = await startSmsGateway();
    srv = await startServer({
      clock: '2026-09-28T10:00:00+08:00',
      args: ['--notify-smtp-url', `smtp://127.0.0.1:${sink.port}`, '--notify-backoff-ms', '100',
        '--notify-interval-ms', '100', '--notify-smtp-from', 'hall@ywtb.test', '--notify-sms-url', sms.url],
    });
    // the demo company wants email
    const t = await srv.login(COMPANY);
    const s = await srv.api('PUT', '/api/v1/me/notify-settings', { token: t, body: { email: 'office@company.test', channels: ['inbox', 'email'] } });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.email_enabled, true);
    assertError(await srv.api('PUT', '/api/v1/me/notify-settings', { token: t, body: { email: 'not an address' } }), 422, 'invalid_field', 'email');
    assertError(await srv.api('PUT', '/api/v1/me/notify-settings', { token: t, body: { channels: ['pigeon'] } }), 422, 'invalid_field', 'channels');
    world = await buildWorld(srv); // the company's case is accepted and a 营业执照 issued to it
  });
  after(async () => {
    await srv?.close();
    await sink?.close();
    await sms?.close();
  });

  test('SMS through the HTTP gateway to the account\'s mobile number, retried after a 503', async () => {
    const p = await registerPerson(srv, '短信人', '19860606', 71);
    const set = await srv.api('PUT', '/api/v1/me/notify-settings', { token: p.token, body: { channels: ['inbox', 'sms'] } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.sms_enabled, true);
    const q = await srv.api('POST', '/api/v1/consultations', { token: p.token, body: { item_code: 'SCJ-01-0001', question: '可以用手机办理吗？' } });
    assert.equal(q.status, 201, q.text);
    const rev = await srv.login('reviewer');
    assert.equal((await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: rev, body: { answer: '可以在随申办办理。' } })).status, 200);
    await until(() => sms.got.length >= 1, 'the SMS');
    assert.equal(sms.got[0].type, 'application/json');
    assert.equal(sms.got[0].body.to, p.phone);
    assert.equal(sms.got[0].body.event, `consultation:${q.json.id}`);
    assert.match(sms.got[0].body.text, /^【徐汇一网通办】.*随申办/);
    assert.ok(sms.calls >= 2, 'the first attempt was refused and retried');
    const admin = await srv.login('admin');
    const sent = (await srv.api('GET', '/api/v1/admin/outbox?status=sent', { token: admin })).json.items.find((m) => m.channel === 'sms');
    assert.match(sent.to, /^\d{3}\*{4}\d{4}$/, 'the number is masked for operators');
  });

  test('case accepted and license issued: in the inbox and by email, after the SMTP server refused twice', async () => {
    const { tokens, ids } = world;
    // the messages follow their events after the commits (after-commit subscribers)
    const inbox = await eventually(async () => {
      const r = await srv.api('GET', '/api/v1/me/inbox', { token: tokens.enterprise });
      const tpls = r.json.items.map((m) => m.template);
      assert.ok(tpls.includes('case.accepted'), tpls.join(','));
      assert.ok(tpls.includes('license.issued'), tpls.join(','));
      return r;
    });
    assert.match(inbox.json.items.find((m) => m.template === 'case.accepted').body, new RegExp(ids.companyCase));
    await sink.waitFor(2);
    assert.equal(sink.refused, 2, 'the sink refused the first two attempts');
    const mails = sink.messages.map((m) => ({ ...m, ...parseMail(m.data) }));
    const keys = mails.map((m) => m.headers['x-ywtb-event']);
    assert.ok(keys.includes(`case.accepted:${ids.companyCase}`), keys.join(','));
    assert.ok(keys.some((k) => k.startsWith('license.issued:')));
    const acc = mails.find((m) => m.headers['x-ywtb-event'] === `case.accepted:${ids.companyCase}`);
    assert.deepEqual(acc.to, ['<office@company.test>']);
    assert.equal(acc.from, '<hall@ywtb.test>');
    assert.match(acc.subject, /^办件已受理：/);
    assert.match(acc.text, new RegExp(`您的办件 ${ids.companyCase}`));
    // the citizen chose no email: inbox only
    await eventually(async () => {
      const p = await srv.api('GET', '/api/v1/me/inbox', { token: tokens.person });
      assert.ok(p.json.items.some((m) => m.template === 'license.issued'));
    });
    assert.ok(!mails.some((m) => m.to.some((x) => !x.includes('office@company.test'))));
  });

  test('a booking: the confirmation email carries the .ics; reminder the day before', async () => {
    const { tokens } = world;
    const before = sink.messages.length;
    const r = await srv.api('POST', '/api/v1/appointments', { token: tokens.enterprise, body: { item_code: 'SCJ-01-0001', slot: 'W02.20260930.1430' } });
    assert.equal(r.status, 201, r.text);
    await sink.waitFor(before + 1);
    const m = sink.messages.map((x) => parseMail(x.data)).find((x) => x.headers['x-ywtb-event'] === `appointment.confirmed:${r.json.code}:0`);
    assert.ok(m, 'the confirmation was mailed');
    assert.match(m.subject, /^预约成功：企业设立登记/);
    assert.match(m.ics, /^BEGIN:VCALENDAR\r\n/);
    assert.match(m.ics, /\r\nMETHOD:REQUEST\r\n/);
    assert.match(m.ics, /\r\nDTSTART:20260930T063000Z\r\n/);
    // a day later, 2026-09-29 is the day before: the reminder goes out (the sender's periodic job)
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 1 } })).status, 200);
    await until(async () => sink.messages.some((x) => parseMail(x.data).headers['x-ywtb-event'] === `appointment.reminder:${r.json.code}:2026-09-30`), 'the reminder');
    /* sessions ended with the day: log the world in again */
    tokens.enterprise = await srv.login(COMPANY);
    tokens.enterprise2 = await srv.login(uscc(20000002), APPLICANT_PASSWORD);
    tokens.person = await srv.login(CITIZEN);
    tokens.reviewer = await srv.login('reviewer');
    const inbox = await srv.api('GET', '/api/v1/me/inbox', { token: tokens.enterprise });
    assert.ok(inbox.json.items.some((x) => x.template === 'appointment.reminder'));
  });

  test('never twice: each event and channel was mailed exactly once', async () => {
    const admin = await srv.login('admin');
    const out = await srv.api('GET', '/api/v1/admin/outbox', { token: admin });
    assert.equal(out.status, 200, out.text);
    await until(async () => (await srv.api('GET', '/api/v1/admin/outbox?status=pending', { token: admin })).json.items.length === 0, 'an empty queue');
    const sent = (await srv.api('GET', '/api/v1/admin/outbox?status=sent', { token: admin })).json.items.filter((m) => m.channel === 'email');
    assert.ok(sent.length >= 4);
    assert.ok(sent.every((m) => /^o\*\*\*@company\.test$/.test(m.to)), 'operators see masked addresses');
    assert.ok(sent.some((m) => m.attempts >= 2), 'the refused ones were retried');
    const keys = sink.messages.map((x) => parseMail(x.data).headers['x-ywtb-event']);
    assert.equal(new Set(keys).size, keys.length, `no event mailed twice: ${keys.join(', ')}`);
    assert.equal(keys.length, sent.length);
    assertError(await srv.api('GET', '/api/v1/admin/outbox?status=lost', { token: admin }), 422, 'invalid_field', 'status');
  });

  test('a case accepted while the applicant is served at a window links to the visit', async () => {
    const { tokens, ids } = world;
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'SCJ-01-0001', id_number: CITIZEN } });
    assert.equal(t.status, 201, t.text);
    const clerk = await srv.login('clerk');
    let c;
    do {
      c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
      assert.equal(c.status, 200, c.text);
      if (c.json.id !== t.json.id) await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${c.json.id}/finish`, { token: clerk, body: {} });
    } while (c.json.id !== t.json.id);
    assert.equal((await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/start`, { token: clerk, body: {} })).status, 200);
    const acc = await srv.api('POST', `/api/v1/cases/${ids.personCase}/accept`, { token: clerk, body: { note: '窗口受理' } });
    assert.equal(acc.status, 200, acc.text);
    const f = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/finish`, { token: clerk, body: {} });
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.case_no, ids.personCase, 'the visit links the case accepted there');
    await eventually(async () => {
      const inbox = (await srv.api('GET', '/api/v1/me/inbox', { token: tokens.person })).json.items;
      assert.ok(inbox.some((m) => m.template === 'case.accepted' && m.body.includes(ids.personCase)));
      assert.ok(inbox.some((m) => m.template === 'rating.requested'), 'the visit asks for a rating');
    });
  });

  test('一事一评: the approved case asks its applicant for a rating; nobody else can give it', async () => {
    const { tokens, ids } = world;
    const d = await srv.api('POST', `/api/v1/tasks/${ids.task}/decide`, { token: tokens.reviewer, body: { decision: 'approve', opinion: '同意' } });
    assert.equal(d.status, 200, d.text);
    // the invitation follows the approval after its commit (an after-commit subscriber)
    const req = await eventually(async () => {
      const mine = (await srv.api('GET', '/api/v1/ratings', { token: tokens.enterprise })).json.items;
      const x = mine.find((y) => y.kind === 'case' && y.target === ids.companyCase);
      assert.ok(x, JSON.stringify(mine));
      return x;
    });
    assert.equal(req.dept, 'XH-SCJ');
    assert.equal(req.open, true);
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: tokens.enterprise2, body: { level: 1 } }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: tokens.person, body: { level: 1 } }), 404, 'not_found');
    const r = await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: tokens.enterprise, body: { level: 2, comment: '材料要求反复' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rectification.dept, 'XH-SCJ');
    await eventually(async () => {
      const inbox = (await srv.api('GET', '/api/v1/me/inbox', { token: tokens.enterprise })).json.items;
      assert.ok(inbox.some((m) => m.template === 'case.approved'));
    });
  });

  test('outside the rating window: refused, nothing written', async () => {
    const p = await registerPerson(srv, '迟评价', '19800808', 51);
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'SCJ-01-0001', id_number: p.id_number } });
    assert.equal(t.status, 201, t.text);
    const clerk = await srv.login('clerk');
    let c;
    do {
      c = await srv.api('POST', '/api/v1/hall/windows/W03/call-next', { token: clerk, body: {} });
      assert.equal(c.status, 200, c.text);
      await srv.api('POST', `/api/v1/hall/windows/W03/tickets/${c.json.id}/finish`, { token: clerk, body: {} });
    } while (c.json.id !== t.json.id);
    // 16 days later: the 15-day window closed
    await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 16 } });
    const tok = await srv.login(p.login, 'Apply@2026');
    const req = (await srv.api('GET', '/api/v1/ratings', { token: tok })).json.items[0];
    assert.equal(req.open, false);
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: tok, body: { level: 5 } }), 409, 'invalid_state');
    assert.equal((await srv.api('GET', '/api/v1/ratings', { token: tok })).json.items[0].level, 0);
  });
});

describe('services: a dead SMTP server loses nothing', () => {
  let srv, sink, port;
  before(async () => {
    port = await freePort(); // nobody listens yet
    srv = await startServer({
      args: ['--notify-smtp-url', `smtp://127.0.0.1:${port}`, '--notify-backoff-ms', '50',
        '--notify-interval-ms', '100', '--notify-retry-max', '2'],
    });
  });
  after(async () => {
    await srv?.close();
    await sink?.close();
  });

  test('failed after its attempts, visible to operators, requeued and sent once; a restart sends nothing again', async () => {
    const p = await registerPerson(srv, '邮件人', '19870707', 61);
    assert.equal((await srv.api('PUT', '/api/v1/me/notify-settings', { token: p.token, body: { email: 'p@mail.test' } })).status, 200);
    const q = await srv.api('POST', '/api/v1/consultations', { token: p.token, body: { item_code: 'SCJ-01-0001', question: '营业执照可以邮寄吗？' } });
    assert.equal(q.status, 201, q.text);
    const rev = await srv.login('reviewer');
    assert.equal((await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: rev, body: { answer: '可以，免费邮寄。' } })).status, 200);
    const admin = await srv.login('admin');
    const failed = await until(async () => {
      const l = (await srv.api('GET', '/api/v1/admin/outbox?status=failed', { token: admin })).json.items;
      return l.length ? l : null;
    }, 'the message to fail');
    assert.equal(failed[0].attempts, 2);
    let m = (await srv.metrics()).values;
    assert.equal(m.get('ywtb_notify_outbox_messages{status="failed"}'), 1, 'failures are visible on /metrics');
    assert.equal(m.get('ywtb_notify_outbox_messages{status="queued"}'), 0);
    assert.match(failed[0].last_error, /connect|Couldn't|refused/i);
    assertError(await srv.api('POST', '/api/v1/admin/outbox/999999/retry', { token: admin, body: {} }), 404, 'not_found');
    sink = await startSmtpSink({ port });
    const rq = await srv.api('POST', `/api/v1/admin/outbox/${failed[0].id}/retry`, { token: admin, body: {} });
    assert.equal(rq.status, 200, rq.text);
    await sink.waitFor(1);
    assert.match(parseMail(sink.messages[0].data).text, /免费邮寄/);
    await until(async () => (await srv.api('GET', '/api/v1/admin/outbox?status=sent', { token: admin })).json.items.length === 1, 'the sent mark');
    assertError(await srv.api('POST', `/api/v1/admin/outbox/${failed[0].id}/retry`, { token: admin, body: {} }), 409, 'invalid_state');
    m = (await srv.metrics()).values;
    assert.equal(m.get('ywtb_notify_outbox_messages{status="failed"}'), 0);
    assert.equal(m.get('ywtb_notify_outbox_messages{status="sent"}'), 1);
    // kill -9 and start again: the sent message stays sent; a new one goes out alone
    await srv.kill9();
    await srv.restart();
    const p2 = await srv.login(p.login, 'Apply@2026');
    const q2 = await srv.api('POST', '/api/v1/consultations', { token: p2, body: { item_code: 'SCJ-01-0001', question: '可以网上领取吗？' } });
    const rev2 = await srv.login('reviewer');
    await srv.api('POST', `/api/v1/consultations/${q2.json.id}/answer`, { token: rev2, body: { answer: '可以网上领取电子营业执照。' } });
    await sink.waitFor(2);
    await until(async () => (await srv.api('GET', '/api/v1/admin/outbox?status=sent', { token: await srv.login('admin') })).json.items.length === 2, 'two sent');
    assert.equal(sink.messages.length, 2);
    assert.match(parseMail(sink.messages[1].data).text, /网上领取/);
  });
});

describe('services: the outbox on /metrics', () => {
  let srv;
  const M = (m, s) => m.get(`ywtb_notify_outbox_messages{status="${s}"}`);
  before(async () => {
    const port = await freePort(); // nobody listens: messages stay queued
    srv = await startServer({
      clock: '2026-09-28T10:00:00+08:00',
      args: ['--notify-smtp-url', `smtp://127.0.0.1:${port}`, '--notify-backoff-ms', '600000', '--notify-interval-ms', '100'],
    });
  });
  after(() => srv?.close());

  test('queued, sent and failed counts and the oldest queued message\'s age', async () => {
    let m = (await srv.metrics()).values;
    assert.equal(M(m, 'queued'), 0);
    assert.equal(M(m, 'sent'), 0);
    assert.equal(M(m, 'failed'), 0);
    assert.equal(m.get('ywtb_notify_outbox_oldest_queued_seconds'), 0);
    assert.equal(m.get('ywtb_hall_screen_listeners'), 0);
    const p = await registerPerson(srv, '指标人', '19860606', 71);
    assert.equal((await srv.api('PUT', '/api/v1/me/notify-settings', { token: p.token, body: { email: 'm@mail.test' } })).status, 200);
    const q = await srv.api('POST', '/api/v1/consultations', { token: p.token, body: { item_code: 'SCJ-01-0001', question: '需要带公章吗？' } });
    assert.equal(q.status, 201, q.text);
    const rev = await srv.login('reviewer');
    assert.equal((await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: rev, body: { answer: '需要。' } })).status, 200);
    const admin = await srv.login('admin');
    const pending = (await srv.api('GET', '/api/v1/admin/outbox?status=pending', { token: admin })).json.items;
    assert.ok(pending.length >= 1);
    // the server's clock moves two minutes on; the SMTP server is still down
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 120 } })).status, 200);
    m = (await srv.metrics()).values;
    assert.equal(M(m, 'queued'), pending.length);
    assert.equal(M(m, 'sent'), 0);
    assert.ok(m.get('ywtb_notify_outbox_oldest_queued_seconds') >= 120, String(m.get('ywtb_notify_outbox_oldest_queued_seconds')));
  });
});
