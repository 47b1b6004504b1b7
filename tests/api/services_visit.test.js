// services_visit.test.js - visit.finished (core/events.h): a window clerk
// finishing a called hall number publishes it in the same transaction, with
// the ticket, the window, the item and its department, the applicant's ID
// number ("" for an anonymous walk-in), the case served (the optional
// case_no of the finish request, checked as a case number) and the service
// time.  Read here from outbox_events, where every published event lands.
// A refused finish (a bad case number, a wrong type) writes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from './harness.js';
import { assertError } from './case_fixtures.js';

const ITEM = 'SCJ-01-0001'; // 企业设立登记, XH-SCJ
const ELDER = '110101195005050016'; // 76 on the test day: a V number

function sql(srv, q) {
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-separator', '\t', srv.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', q], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}
const finishedEvents = (srv) => sql(srv, "SELECT payload FROM outbox_events WHERE name = 'visit.finished' ORDER BY id").map((r) => JSON.parse(r[0]));

describe('services: visit.finished', () => {
  let srv, clerk;
  before(async () => {
    srv = await startServer({ clock: '2026-09-28T10:00:00+08:00' });
    clerk = await srv.login('clerk');
  });
  after(() => srv?.close());

  test('finishing a number publishes visit.finished with the case served', async () => {
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM, id_number: ELDER } });
    assert.equal(t.status, 201, t.text);
    const c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.id, t.json.id);
    const s = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/start`, { token: clerk, body: {} });
    assert.equal(s.status, 200, s.text);
    const mv = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 600 } });
    assert.equal(mv.status, 200, mv.text);
    clerk = await srv.login('clerk');
    const fin = (body) => srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/finish`, { token: clerk, body });

    // refused, and nothing written: not the format, not a real date, not text; case_no on another action
    for (const bad of ['XH2026092900012', 'xh20260929000123', 'XH20260230000123', 'XH2026092900012X', 'AB20260929000123', `XH20260929${'1'.repeat(20)}`])
      assertError(await fin({ case_no: bad }), 422, 'invalid_field', 'case_no');
    assertError(await fin({ case_no: 20260929000123 }), 422, 'invalid_field', 'case_no');
    assertError(await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/recall`, { token: clerk, body: { case_no: 'XH20260929000123' } }), 422, 'invalid_field', 'case_no');
    assert.deepEqual(finishedEvents(srv), []);
    const still = await srv.api('GET', '/api/v1/hall/windows/W01/queue', { token: clerk });
    assert.equal(still.json.current.status, 'serving', 'the refused finishes changed nothing');

    const f = await fin({ case_no: 'XH20260928000042' });
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.case_no, 'XH20260928000042');
    const evs = finishedEvents(srv);
    assert.equal(evs.length, 1);
    const ev = evs[0];
    assert.equal(ev.ticket_id, t.json.id);
    assert.equal(ev.ticket_no, t.json.number);
    assert.match(ev.ticket_no, /^V\d{3}$/);
    assert.equal(ev.window_code, 'W01');
    assert.equal(ev.item_code, ITEM);
    assert.equal(ev.dept, 'XH-SCJ');
    assert.equal(ev.applicant_ident, ELDER);
    assert.equal(ev.case_no, 'XH20260928000042');
    assert.equal(typeof ev.served_ms, 'number');
    assert.ok(ev.served_ms >= 600000, `served ${ev.served_ms} ms: the ten minutes between start and finish`);
    // finished once: a second finish is refused and publishes nothing
    assertError(await fin({}), 409, 'invalid_state');
    assert.equal(finishedEvents(srv).length, 1);
  });

  test('an anonymous walk-in finished from "called" without a case: empty ident and case', async () => {
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(t.status, 201, t.text);
    const c = await srv.api('POST', '/api/v1/hall/windows/W02/call-next', { token: clerk, body: {} });
    assert.equal(c.json.id, t.json.id);
    const f = await srv.api('POST', `/api/v1/hall/windows/W02/tickets/${t.json.id}/finish`, { token: clerk, body: { case_no: null } });
    assert.equal(f.status, 200, f.text);
    const ev = finishedEvents(srv).at(-1);
    assert.equal(ev.ticket_id, t.json.id);
    assert.equal(ev.window_code, 'W02');
    assert.equal(ev.applicant_ident, '');
    assert.equal(ev.case_no, '');
    assert.equal(ev.served_ms, 0, 'never started: finished at once');
  });
});
