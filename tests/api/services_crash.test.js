// services_crash.test.js - a notification email across a kill -9 of its
// sender in the middle of the SMTP exchange (src/services/mailer.c): never
// lost, never delivered twice.  The SMTP sink (smtp_sink.js) holds the
// DATA of one message without answering, so the server is killed exactly
// while the message is in flight:
//   - the relay had accepted it (its 250 was lost with the sender): after
//     the restart the sender asks the relay's delivery record
//     (--notify-smtp-check-url) for the message's Message-ID, learns it was
//     accepted, records it as sent and does not send it again;
//   - the relay had not (it died first): the check says no and the message
//     is sent, once.
// And a relay that cannot be asked leaves the message queued (in doubt), not
// sent blind.  Every attempt of a message carries the same Message-ID.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freePort } from './harness.js';
import { registerPerson, APPLICANT_PASSWORD } from './case_fixtures.js';
import { startSmtpSink } from './smtp_sink.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('services: an email in flight across kill -9', () => {
  let srv, sink, admin, person, badCheck;
  let crashes = 0;
  const base = (backoff = 100) => ['--notify-smtp-url', `smtp://127.0.0.1:${sink.port}`, '--notify-smtp-from', 'hall@ywtb.test',
    '--notify-backoff-ms', String(backoff), '--notify-interval-ms', '100'];
  const outbox = async (status) => (await srv.api('GET', `/api/v1/admin/outbox?status=${status}`, { token: admin })).json.items;
  /* A consultation answered: one email to the person. */
  async function oneEmail(question) {
    const tok = await srv.login(person.login, APPLICANT_PASSWORD);
    const q = await srv.api('POST', '/api/v1/consultations', { token: tok, body: { item_code: 'SCJ-01-0001', question } });
    assert.equal(q.status, 201, q.text);
    const rev = await srv.login('reviewer');
    const a = await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: rev, body: { answer: `答复：${question}` } });
    assert.equal(a.status, 200, a.text);
  }
  /* kill -9 now, start again, and move the restarted clock (it starts again at
   * --clock) past everything before and the dead claim's one-minute lock. */
  async function crash(args) {
    await srv.kill9();
    await srv.restart({ args });
    const mv = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 900 * ++crashes } });
    assert.equal(mv.status, 200, mv.text);
    admin = await srv.login('admin');
  }

  before(async () => {
    sink = await startSmtpSink({ check: true });
    badCheck = `http://127.0.0.1:${await freePort()}/accepted`; // nobody answers there
    srv = await startServer({ clock: '2026-09-28T10:00:00+08:00', args: [...base(), '--notify-smtp-check-url', sink.checkUrl] });
    admin = await srv.login('admin');
    person = await registerPerson(srv, '断电人', '19880808', 71);
    const s = await srv.api('PUT', '/api/v1/me/notify-settings', { token: person.token, body: { email: 'crash@mail.test' } });
    assert.equal(s.status, 200, s.text);
  });
  after(async () => {
    await srv?.close();
    await sink?.close();
  });

  test('accepted by the relay, then the sender killed before it heard so: recorded as sent, not sent again', async () => {
    sink.stall('accept');
    await oneEmail('营业执照可以邮寄吗？');
    await sink.waitFor(1);
    assert.equal(sink.stalled, 1, 'the relay kept the message and has not answered');
    const mid = sink.messages[0].messageId;
    assert.match(mid, /^\d+\.email\.outbox@ywtb\.test$/, 'a Message-ID made of the outbox id and the channel');
    await crash([...base(), '--notify-smtp-check-url', sink.checkUrl]);
    const sent = await until(async () => {
      const l = await outbox('sent');
      return l.length === 1 ? l : null;
    }, 'the recovered message recorded as sent');
    assert.match(sent[0].last_error, /accepted by an attempt before a restart/);
    assert.ok(sink.checks >= 1, 'the sender asked the relay');
    await sleep(500); // a few more rounds of the sender: nothing more goes out
    assert.equal(sink.messages.length, 1, 'delivered once');
    assert.equal((await outbox('pending')).length, 0);
  });

  test('the relay died before accepting: the check says no, and it is sent once, with the same Message-ID', async () => {
    sink.stall('drop');
    await oneEmail('可以网上领取吗？');
    await until(() => sink.stalled === 2, 'the second message in flight');
    assert.equal(sink.messages.length, 1, 'not kept by the relay');
    await crash([...base(), '--notify-smtp-check-url', sink.checkUrl]);
    await sink.waitFor(2);
    await until(async () => (await outbox('sent')).length === 2, 'two sent');
    await sleep(500);
    assert.equal(sink.messages.length, 2);
    assert.equal(new Set(sink.messages.map((m) => m.messageId)).size, 2, 'two messages, each once');
    assert.match(sink.messages[1].messageId, /^\d+\.email\.outbox@ywtb\.test$/);
  });

  test('a relay that cannot be asked: the message stays queued in doubt, never sent blind', async () => {
    sink.stall('accept');
    await oneEmail('需要带原件吗？');
    await sink.waitFor(3);
    await crash([...base(60000), '--notify-smtp-check-url', badCheck]); // a slow retry: it stays pending
    const pend = await until(async () => {
      const l = await outbox('pending');
      return l.length === 1 && /cannot ask whether an earlier attempt was accepted/.test(l[0].last_error) ? l : null;
    }, 'the failed check recorded');
    assert.ok(pend[0].attempts >= 1);
    assert.equal(sink.messages.length, 3, 'not sent again while the relay cannot tell');
    // the relay's record is back: it was accepted, so it is marked sent, still once
    await crash([...base(), '--notify-smtp-check-url', sink.checkUrl]);
    await until(async () => (await outbox('sent')).length === 3, 'three sent');
    await sleep(500);
    assert.equal(sink.messages.length, 3);
  });
});
