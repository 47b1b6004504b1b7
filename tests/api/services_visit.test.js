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
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), q], { encoding: 'utf8' })
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

// Estimated waits per item (queue.c): each item's own recent service time
// (its last 20 measured visits; its department's with fewer than 3; 10
// minutes with no history), and a number's wait is the service time of
// everyone waiting ahead for its department divided among the open windows
// that serve the item - on the hall screen per item, and on the kiosk's
// ticket.  The test clock makes the service times exact.
describe('services: estimated wait per item', () => {
  let srv, clerk;
  const A = 'SCJ-01-0001'; // XH-SCJ: the four integrated windows
  const B = 'SCJ-01-0002'; // XH-SCJ too
  const HR = 'RSJ-07-0001'; // XH-RSJ: the integrated windows and window 6
  before(async () => {
    srv = await startServer({ clock: '2026-09-28T09:00:00+08:00' });
    clerk = await srv.login('clerk');
  });
  after(() => srv?.close());

  async function serve(item, minutes) {
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: item } });
    assert.equal(t.status, 201, t.text);
    const c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
    assert.equal(c.json.id, t.json.id, c.text);
    assert.equal((await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/start`, { token: clerk, body: {} })).status, 200);
    assert.equal((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: minutes * 60 } })).status, 200);
    clerk = await srv.login('clerk');
    const f = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/finish`, { token: clerk, body: {} });
    assert.equal(f.status, 200, f.text);
  }

  test('each item\'s own service time; the kiosk ticket and the hall screen show the wait', async () => {
    for (let i = 0; i < 3; i++) await serve(A, 6);
    for (let i = 0; i < 3; i++) await serve(B, 30);
    const take = async (item) => {
      const r = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: item } });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    // four windows serve them; each number waits for those ahead at their own item's pace
    const a1 = await take(A);
    assert.equal(a1.est_minutes, 0, 'nobody ahead');
    const b1 = await take(B);
    assert.equal(b1.est_minutes, 2, 'one A (6 min) ahead, four windows: 1.5');
    const a2 = await take(A);
    assert.equal(a2.est_minutes, 9, 'A + B ahead: 36 min over four windows');
    const b2 = await take(B);
    assert.equal(b2.est_minutes, 11, 'A + B + A ahead: 42 min over four windows');
    const hr = await take(HR);
    assert.equal(hr.est_minutes, 0);
    const hr2 = await take(HR);
    assert.equal(hr2.est_minutes, 2, 'no history: 10 minutes, five windows serve it');

    const scr = await srv.api('GET', '/api/v1/public/hall/screen');
    assert.equal(scr.status, 200, scr.text);
    const it = Object.fromEntries(scr.json.items.map((x) => [x.item_code, x]));
    assert.deepEqual(Object.keys(it).sort(), [HR, A, B].sort());
    assert.equal(it[A].waiting, 2);
    assert.equal(it[A].service_minutes, 6);
    assert.equal(it[A].samples, 3);
    assert.equal(it[B].service_minutes, 30);
    assert.equal(it[A].est_minutes, 18, '2 x 6 + 2 x 30 over four windows');
    assert.equal(it[B].est_minutes, 18);
    assert.equal(it[HR].service_minutes, 10);
    assert.equal(it[HR].samples, 0);
    assert.equal(it[HR].est_minutes, 4, '2 x 10 over five windows');
    assert.ok(it[A].item_name.length > 0);
    assert.equal(scr.json.waiting.find((w) => w.dept === 'XH-SCJ').est_minutes, 18, 'a department shows its longest item wait');
  });
});
