// services_templates.test.js - message templates per event and language
// (svc_templates, migration 0026; src/services/notify.c): seeded with the
// built-in texts, listed and edited by an administrator
// (GET/PUT /api/v1/admin/notify-templates), and used for every message
// queued after the edit - the inbox entry and the email alike, in the
// person's language.  An unknown template or language is 404, a placeholder
// the event does not provide or a stray brace is 422, and a refused edit
// changes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from './harness.js';
import { registerPerson, assertError } from './case_fixtures.js';
import { startSmtpSink, parseMail } from './smtp_sink.js';

function sql(srv, q) {
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe('services: message templates', () => {
  let srv, sink, admin;
  const T = '/api/v1/admin/notify-templates';
  before(async () => {
    sink = await startSmtpSink();
    srv = await startServer({
      clock: '2026-09-28T10:00:00+08:00',
      args: ['--notify-smtp-url', `smtp://127.0.0.1:${sink.port}`, '--notify-smtp-from', 'hall@ywtb.test', '--notify-interval-ms', '100'],
    });
    admin = await srv.login('admin');
  });
  after(async () => {
    await srv?.close();
    await sink?.close();
  });

  test('seeded with the built-in texts, both languages, with the placeholders each may use', async () => {
    const r = await srv.api('GET', T, { token: admin });
    assert.equal(r.status, 200, r.text);
    const items = r.json.items;
    assert.equal(items.length, 38, '19 events x zh, en (delivery.returned: migration 0034)');
    assert.ok(items.some((t) => t.name === 'delivery.returned' && t.lang === 'en'));
    assert.doesNotMatch(items.find((t) => t.name === 'delivery.locker_ready' && t.lang === 'zh').body, /{code}/, 'no pickup code in a message');
    const acc = items.find((t) => t.name === 'case.accepted' && t.lang === 'zh');
    assert.equal(acc.title, '办件已受理：{title}');
    assert.equal(acc.body, '您的办件 {case_no}（{title}）已受理。');
    assert.deepEqual(acc.vars, ['case_no', 'title']);
    assert.equal(acc.updated_by, '');
    const en = items.find((t) => t.name === 'consultation.answered' && t.lang === 'en');
    assert.equal(en.body, 'Your question about {item} was answered: {answer}');
    assert.equal((await srv.api('GET', T, { token: await srv.login('clerk') })).status, 403);
  });

  test('bad edits: 404 for an unknown template or language, 422 for a placeholder it lacks; nothing changed', async () => {
    const put = (name, lang, body) => srv.api('PUT', `${T}/${name}/${lang}`, { token: admin, body });
    assertError(await put('no.such', 'zh', { title: 'x', body: 'y' }), 404, 'not_found');
    assertError(await put('case.accepted', 'fr', { title: 'x', body: 'y' }), 404, 'not_found');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: '您的办件 {case_number} 已受理' }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '受理 {answer}', body: '已受理' }), 422, 'invalid_field', 'title');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: '已受理 {case_no' }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: '已受理 case_no}' }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: '已受理 {Case_No}' }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '', body: '已受理' }), 422, 'missing_field', 'title');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: 42 }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '受理', body: 'x'.repeat(2001) }), 422, 'invalid_field', 'body');
    assertError(await put('case.accepted', 'zh', { title: '受理' }), 422, 'missing_field', 'body');
    const acc = (await srv.api('GET', T, { token: admin })).json.items.find((t) => t.name === 'case.accepted' && t.lang === 'zh');
    assert.equal(acc.body, '您的办件 {case_no}（{title}）已受理。', 'unchanged');
    assert.equal(sql(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'notify.template'")[0][0], '0');
  });

  test('an edited template is what the next message says, in the inbox and by email', async () => {
    const zh = { title: '【咨询答复】{item}', body: '您好！关于“{item}”的问题，答复如下：{answer}（如有疑问请致电 12345）' };
    const r = await srv.api('PUT', `${T}/consultation.answered/zh`, { token: admin, body: zh });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.body, zh.body);
    assert.match(r.json.updated_by, /^\d+$/);
    assert.notEqual(r.json.updated_at, '');
    const en = await srv.api('PUT', `${T}/consultation.answered/en`, { token: admin, body: { title: '[Answer] {item}', body: 'Dear applicant, about {item}: {answer}' } });
    assert.equal(en.status, 200, en.text);
    assert.deepEqual(sql(srv, "SELECT obj_id FROM audit_log WHERE action = 'notify.template' ORDER BY seq").map((x) => x[0]),
      ['consultation.answered/zh', 'consultation.answered/en'], 'each edit audited');

    const zhP = await registerPerson(srv, '模板人', '19890909', 81);
    const enP = await registerPerson(srv, '英文人', '19890910', 83);
    assert.equal((await srv.api('PUT', '/api/v1/me/notify-settings', { token: zhP.token, body: { email: 'zh@mail.test' } })).status, 200);
    assert.equal((await srv.api('PUT', '/api/v1/me/notify-settings', { token: enP.token, body: { email: 'en@mail.test', lang: 'en' } })).status, 200);
    const rev = await srv.login('reviewer');
    for (const p of [zhP, enP]) {
      const q = await srv.api('POST', '/api/v1/consultations', { token: p.token, body: { item_code: 'SCJ-01-0001', question: '营业执照可以邮寄吗？' } });
      assert.equal(q.status, 201, q.text);
      const a = await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: rev, body: { answer: '可以，免费邮寄。' } });
      assert.equal(a.status, 200, a.text);
    }
    const inbox = (await srv.api('GET', '/api/v1/me/inbox', { token: zhP.token })).json.items.find((m) => m.template === 'consultation.answered');
    assert.match(inbox.title, /^【咨询答复】/);
    assert.equal(inbox.body, `您好！关于“${inbox.title.slice('【咨询答复】'.length)}”的问题，答复如下：可以，免费邮寄。（如有疑问请致电 12345）`);
    const enInbox = (await srv.api('GET', '/api/v1/me/inbox', { token: enP.token })).json.items.find((m) => m.template === 'consultation.answered');
    assert.match(enInbox.title, /^\[Answer\] /);
    assert.match(enInbox.body, /^Dear applicant, about .+: 可以，免费邮寄。$/);
    await sink.waitFor(2);
    const mails = Object.fromEntries(sink.messages.map((m) => [m.to[0], parseMail(m.data)]));
    assert.equal(mails['<zh@mail.test>'].subject, inbox.title);
    assert.equal(mails['<zh@mail.test>'].text, inbox.body);
    assert.equal(mails['<en@mail.test>'].text, enInbox.body);
  });
});
