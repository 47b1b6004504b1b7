// services.test.js - service hall 2.0 (src/services/): windows and slots on
// the working-day calendar, booking with its .ics, one active booking per
// item and person, the capacity of a slot under concurrent bookings, the
// kiosk's numbers and check-in, calling at a window, the hall screen,
// 好差评 ratings of a visit with the rectification of a bad one, the
// no-show rule, and consultations.
//
// The server's clock starts on Monday 2026-09-28 10:00 China time: National
// Day (2026-10-01..07) is closed, Saturday 2026-10-10 is a make-up working
// day (CN-STANDARDS.md §7).  Steps run in order and share state; the clock
// only moves forward.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { registerPerson, addStaff, assertError, APPLICANT_PASSWORD, uploadPdf } from './case_fixtures.js';

const ITEM = 'SCJ-01-0001'; // 企业设立登记, XH-SCJ: integrated windows only
const ITEM2 = 'SCJ-01-0002';

describe('services: hall, appointments, queue, ratings', () => {
  let srv, admin, clerk, reviewer, supervisor, alice, bob, elder;
  const st = {};
  /* Move the clock; sessions end with idle time on the server clock, so log in again. */
  async function advance(_srv, seconds) {
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: seconds } });
    assert.equal(r.status, 200, r.text);
    [admin, clerk, reviewer, supervisor] = await Promise.all(['admin', 'clerk', 'reviewer', 'supervisor'].map((u) => srv.login(u)));
    for (const p of [alice, bob, elder]) p.token = await srv.login(p.login, APPLICANT_PASSWORD);
  }

  before(async () => {
    srv = await startServer({ clock: '2026-09-28T10:00:00+08:00' });
    admin = await srv.login('admin');
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer');
    supervisor = await srv.login('supervisor');
    alice = await registerPerson(srv, '陈预约', '19900101', 21);
    bob = await registerPerson(srv, '林别人', '19910202', 31);
    elder = await registerPerson(srv, '王长者', '19500505', 41);
  });
  after(() => srv?.close());

  test('windows are public; slots follow the working-day calendar', async () => {
    const w = await srv.api('GET', '/api/v1/hall/windows');
    assert.equal(w.status, 200, w.text);
    assert.deepEqual(w.json.items.map((x) => x.code), ['W01', 'W02', 'W03', 'W04', 'W05', 'W06']);
    const mon = await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-09-29`);
    assert.equal(mon.status, 200, mon.text);
    assert.equal(mon.json.workday, true);
    // an XH-SCJ item: the four integrated windows, not the police or HR window
    assert.deepEqual(mon.json.windows.map((x) => x.code), ['W01', 'W02', 'W03', 'W04']);
    const w1 = mon.json.windows[0];
    assert.equal(w1.slots.length, 13); // 09:00-12:00 and 13:30-17:00 in half hours
    assert.equal(w1.slots[0].slot, 'W01.20260929.0900');
    assert.equal(w1.slots[0].start, '2026-09-29T01:00:00.000Z');
    assert.equal(w1.slots[0].free, 4);
    const today = await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-09-28`);
    assert.equal(today.json.windows[0].slots[0].time, '10:30', 'slots that began are not offered');
    const holiday = await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-10-01`);
    assert.equal(holiday.json.workday, false);
    assert.equal(holiday.json.holiday, '国庆节');
    assert.ok(holiday.json.windows.every((x) => x.slots.length === 0));
    const makeup = await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-10-10`);
    assert.equal(makeup.json.workday, true, '2026-10-10 is a make-up working day (调休上班)');
    assert.equal(makeup.json.windows[0].slots.length, 13);
    const sunday = await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-10-11`);
    assert.ok(sunday.json.windows.every((x) => x.slots.length === 0));
    assertError(await srv.api('GET', '/api/v1/hall/slots?item=NO-SUCH&day=2026-09-29'), 422, 'invalid_field', 'item');
    assertError(await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-13-01`), 422, 'invalid_field', 'day');
  });

  test('booking: confirmation with an .ics in the inbox; bad slots refused, nothing written', async () => {
    const bad = [
      ['W01.20261001.0900', /closed that day: 国庆节/],
      ['W01.20260928.0900', /already begun|past/],
      ['W01.20260929.0910', /no slot at 09:10/],
      ['W01.20260929.1200', /no slot at 12:00/],
      ['W09.20260929.0900', /no window/],
      ['W05.20260929.0900', /does not serve/],
      ['W01.20261030.0900', /at most 14 days ahead/],
      ['W01-20260929-0900', /WINDOW\.YYYYMMDD\.HHMM/],
    ];
    for (const [slot, msg] of bad) {
      const r = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: ITEM, slot } });
      assertError(r, 422, 'invalid_field', 'slot');
      assert.match(r.json.error.message, msg, slot);
    }
    assertError(await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: 'NO-SUCH', slot: 'W01.20260929.0900' } }), 422, 'invalid_field', 'item_code');
    assert.deepEqual((await srv.api('GET', '/api/v1/appointments', { token: alice.token })).json.items, []);

    const r = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: ITEM, slot: 'W01.20260929.0900' } });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.code, /^YY[A-Z2-9]{10}$/);
    assert.equal(r.json.status, 'booked');
    assert.equal(r.json.start, '2026-09-29T01:00:00.000Z');
    st.code = r.json.code;
    // one active booking per item and person
    const again = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: ITEM, slot: 'W02.20260930.0900' } });
    assertError(again, 409, 'conflict', 'item_code');
    // the .ics (RFC 5545)
    const ics = await srv.api('GET', `/api/v1/appointments/${st.code}/calendar.ics`, { token: alice.token });
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type'), /^text\/calendar/);
    assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
    assert.match(ics.text, /\r\nUID:[A-Z0-9]+@ywtb\.xuhui\.gov\.cn\r\n/);
    assert.match(ics.text, /\r\nDTSTART:20260929T010000Z\r\n/);
    assert.match(ics.text, /\r\nDTEND:20260929T013000Z\r\n/);
    assert.match(ics.text, /\r\nSEQUENCE:0\r\n/);
    assert.ok(ics.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
    // the booking code as a QR symbol for the kiosk's scanner
    const qr = await srv.api('GET', `/api/v1/appointments/${st.code}/qr.svg`, { token: alice.token });
    assert.equal(qr.status, 200);
    assert.match(qr.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(qr.text, /<svg[\s\S]*<\/svg>/);
    assertError(await srv.api('GET', `/api/v1/appointments/${st.code}/qr.svg`, { token: bob.token }), 404, 'not_found');
    // the confirmation in the inbox
    const inbox = await srv.api('GET', '/api/v1/me/inbox', { token: alice.token });
    assert.equal(inbox.json.unread, 1, 'booked for tomorrow: the confirmation and no separate reminder');
    assert.equal(inbox.json.items[0].template, 'appointment.confirmed');
    assert.match(inbox.json.items[0].body, new RegExp(st.code));
    // another person sees none of it
    assertError(await srv.api('GET', `/api/v1/appointments/${st.code}`, { token: bob.token }), 404, 'not_found');
    assertError(await srv.api('GET', `/api/v1/appointments/${st.code}/calendar.ics`, { token: bob.token }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/appointments/${st.code}/cancel`, { token: bob.token, body: {} }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/me/inbox/${inbox.json.items[0].id}/read`, { token: bob.token, body: {} }), 404, 'not_found');
    const read = await srv.api('POST', `/api/v1/me/inbox/${inbox.json.items[0].id}/read`, { token: alice.token, body: {} });
    assert.equal(read.status, 200, read.text);
    assert.equal((await srv.api('GET', '/api/v1/me/inbox', { token: alice.token })).json.unread, 0);
  });

  test('reschedule and cancel give the place back; the .ics sequence goes up', async () => {
    const r = await srv.api('POST', `/api/v1/appointments/${st.code}/reschedule`, { token: alice.token, body: { slot: 'W02.20260929.0900' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.window, 'W02');
    assert.equal(r.json.seq, 1);
    const slots = (await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-09-29`)).json.windows;
    assert.equal(slots.find((w) => w.code === 'W01').slots[0].booked, 0);
    assert.equal(slots.find((w) => w.code === 'W02').slots[0].booked, 1);
    // a second booking of another item to cancel
    const b = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: ITEM2, slot: 'W03.20260929.1000' } });
    assert.equal(b.status, 201, b.text);
    const c = await srv.api('POST', `/api/v1/appointments/${b.json.code}/cancel`, { token: alice.token, body: {} });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.status, 'cancelled');
    assertError(await srv.api('POST', `/api/v1/appointments/${b.json.code}/cancel`, { token: alice.token, body: {} }), 409, 'invalid_state');
    const ics = await srv.api('GET', `/api/v1/appointments/${b.json.code}/calendar.ics`, { token: alice.token });
    assert.match(ics.text, /\r\nMETHOD:CANCEL\r\n/);
    assert.match(ics.text, /\r\nSTATUS:CANCELLED\r\n/);
    const w3 = (await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-09-29`)).json.windows.find((w) => w.code === 'W03');
    assert.equal(w3.slots.find((s) => s.time === '10:00').booked, 0);
  });

  test('the last places of a slot under concurrent bookings: never more than its capacity', async () => {
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await registerPerson(srv, `并发${i}`, '19850101', 100 + i * 2));
    const slot = 'W04.20260930.1400';
    const rs = await Promise.all(people.map((p) => srv.api('POST', '/api/v1/appointments', { token: p.token, body: { item_code: ITEM, slot } })));
    const ok = rs.filter((r) => r.status === 201);
    const full = rs.filter((r) => r.status === 409);
    assert.equal(ok.length, 4, rs.map((r) => r.status).join(','));
    assert.equal(full.length, 6);
    for (const r of full) assert.equal(r.json.error.code, 'slot_full');
    const w4 = (await srv.api('GET', `/api/v1/hall/slots?item=${ITEM}&day=2026-09-30`)).json.windows.find((w) => w.code === 'W04');
    const s = w4.slots.find((x) => x.slot === slot);
    assert.equal(s.booked, 4);
    assert.equal(s.free, 0);
    // the losers wrote nothing
    for (const [i, r] of rs.entries()) {
      const mine = (await srv.api('GET', '/api/v1/appointments', { token: people[i].token })).json.items;
      assert.equal(mine.length, r.status === 201 ? 1 : 0);
    }
  });

  test('kiosk: check in a booking, take walk-in and priority numbers', async () => {
    // Tuesday 08:45: check-in opens an hour before the 09:00 slot
    await advance(srv, 22 * 3600 + 45 * 60);
    assertError(await srv.api('POST', '/api/v1/hall/checkin', { body: {} }), 422, 'missing_field');
    assertError(await srv.api('POST', '/api/v1/hall/checkin', { body: { code: 'YYNOSUCHCODE' } }), 404, 'not_found');
    const a = await srv.api('POST', '/api/v1/hall/checkin', { body: { id_number: alice.id_number } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.number, 'A001');
    assert.equal(a.json.booked, true);
    assert.equal(a.json.name, undefined, 'a kiosk shows no name');
    st.a = a.json;
    assertError(await srv.api('POST', '/api/v1/hall/checkin', { body: { code: st.code } }), 409, 'invalid_state');
    const b = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json.number, 'B001');
    assert.equal(b.json.priority, false);
    st.b = b.json;
    // 70 or older by the ID number's birth date (GB 11643): a V number
    const v = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM, id_number: elder.id_number } });
    assert.equal(v.status, 201, v.text);
    assert.equal(v.json.number, 'V001');
    assert.equal(v.json.priority, true);
    st.v = v.json;
    const h = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM2, help: true } });
    assert.equal(h.json.number, 'V002');
    st.h = h.json;
    assertError(await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM, id_number: '310104199001010000' } }), 422, 'invalid_id_checksum');
    assertError(await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'NO-SUCH' } }), 422, 'invalid_field', 'item_code');
  });

  test('calling: priority first, then bookings; recall, no-show, start, finish; the hall screen', async () => {
    const q = await srv.api('GET', '/api/v1/hall/windows/W01/queue', { token: clerk });
    assert.equal(q.status, 200, q.text);
    assert.equal(q.json.current, null);
    assert.deepEqual(q.json.waiting.map((t) => t.number), ['V001', 'V002', 'A001', 'B001']);
    const c1 = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
    assert.equal(c1.status, 200, c1.text);
    assert.equal(c1.json.number, 'V001');
    assert.equal(c1.json.window, 'W01');
    assertError(await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} }), 409, 'invalid_state');
    // another window cannot act on W01's number
    assertError(await srv.api('POST', `/api/v1/hall/windows/W02/tickets/${st.v.id}/start`, { token: clerk, body: {} }), 409, 'invalid_state');
    // two windows calling at once never get the same number
    const [c2, c3] = await Promise.all(['W02', 'W03'].map((w) => srv.api('POST', `/api/v1/hall/windows/${w}/call-next`, { token: clerk, body: {} })));
    assert.equal(c2.status, 200, c2.text);
    assert.equal(c3.status, 200, c3.text);
    assert.notEqual(c2.json.number, c3.json.number);
    assert.deepEqual([c2.json.number, c3.json.number].sort(), ['A001', 'V002']);
    // the screen shows who is called where
    const scr = await srv.api('GET', '/api/v1/public/hall/screen');
    assert.equal(scr.status, 200, scr.text);
    assert.deepEqual(scr.json.called.map((x) => x.number).sort(), ['A001', 'V001', 'V002']);
    assert.equal(scr.json.called.find((x) => x.number === 'V001').window, 'W01');
    assert.equal(scr.json.total_waiting, 1);
    const same = await srv.api('GET', `/api/v1/public/hall/screen?since=${encodeURIComponent(scr.json.version)}`);
    assert.equal(same.json.unchanged, true, 'nothing new: a short answer');
    const rec = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/recall`, { token: clerk, body: {} });
    assert.equal(rec.json.calls, 2);
    const s1 = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/start`, { token: clerk, body: {} });
    assert.equal(s1.json.status, 'serving');
    assertError(await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/no-show`, { token: clerk, body: {} }), 409, 'invalid_state');
    assertError(await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/finish`, { token: clerk, body: { case_no: 'xh-bad' } }), 422, 'invalid_field', 'case_no');
    const f1 = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/finish`, { token: clerk, body: { case_no: 'XH20260929000123' } });
    assert.equal(f1.status, 200, f1.text);
    assert.equal(f1.json.status, 'done');
    assert.equal(f1.json.case_no, 'XH20260929000123', 'the visit links the case accepted there');
    assertError(await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${st.v.id}/teleport`, { token: clerk, body: {} }), 404, 'not_found');
    // the booked number at its window: a no-show marks the booking
    const aw = c2.json.number === 'A001' ? 'W02' : 'W03';
    const ns = await srv.api('POST', `/api/v1/hall/windows/${aw}/tickets/${st.a.id}/no-show`, { token: clerk, body: {} });
    assert.equal(ns.json.status, 'no_show');
    const appt = await srv.api('GET', `/api/v1/appointments/${st.code}`, { token: alice.token });
    assert.equal(appt.json.status, 'no_show');
    // a clerk of another department cannot work an integrated window
    const hr = await addStaff(srv, admin, 'clerk.rsj', '人社窗口', 'XH-RSJ', ['window_clerk']);
    assertError(await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: hr.token, body: {} }), 403, 'forbidden');
    assertError(await srv.api('GET', '/api/v1/hall/windows/W09/queue', { token: clerk }), 404, 'not_found');
  });

  test('好差评: the visitor rates once, within the window; a bad rating opens a rectification', async () => {
    const mine = await srv.api('GET', '/api/v1/ratings', { token: elder.token });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.items.length, 1);
    const req = mine.json.items[0];
    assert.equal(req.kind, 'visit');
    assert.equal(req.level, 0);
    assert.equal(req.open, true);
    assert.equal(req.window, 'W01');
    const inbox = await srv.api('GET', '/api/v1/me/inbox', { token: elder.token });
    assert.ok(inbox.json.items.some((m) => m.template === 'rating.requested'));
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: bob.token, body: { level: 5 } }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: elder.token, body: { level: 6 } }), 422, 'invalid_field', 'level');
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: elder.token, body: { level: 0 } }), 422, 'invalid_field', 'level');
    const r = await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: elder.token, body: { level: 2, comment: '等候太久' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.level, 2);
    assert.equal(r.json.rectification.status, 'open');
    // 15 working days from Tuesday 2026-09-29, across National Day: 2026-10-26
    assert.equal(r.json.rectification.due_day, '2026-10-26');
    assertError(await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: elder.token, body: { level: 5 } }), 409, 'invalid_state');
    // the department sees it
    const list = await srv.api('GET', '/api/v1/rectifications', { token: reviewer });
    assert.equal(list.status, 200, list.text);
    const rect = list.json.items.find((x) => x.rating_id === req.id);
    assert.ok(rect, 'the XH-SCJ reviewer sees the rectification');
    st.rect = rect.id;
    const other = await addStaff(srv, admin, 'rev.other', '别部门', 'XH-SWJ', ['reviewer']);
    assert.ok(!(await srv.api('GET', '/api/v1/rectifications', { token: other.token })).json.items.some((x) => x.id === rect.id));
    assertError(await srv.api('POST', `/api/v1/rectifications/${rect.id}/report`, { token: other.token, body: { verified: 'x', contacted: 'x', outcome: 'x' } }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/rectifications/${rect.id}/decide`, { token: supervisor, body: { result: 'upheld' } }), 409, 'invalid_state');
    const rep = await srv.api('POST', `/api/v1/rectifications/${rect.id}/report`, {
      token: reviewer, body: { verified: '属实，高峰时段窗口不足', contacted: '已电话联系', outcome: '高峰时段增开两个综合窗口' },
    });
    assert.equal(rep.status, 200, rep.text);
    assert.equal(rep.json.status, 'reported');
    assertError(await srv.api('POST', `/api/v1/rectifications/${rect.id}/report`, { token: reviewer, body: { verified: 'x', contacted: 'x', outcome: 'x' } }), 409, 'invalid_state');
    // the rater sees the outcome and may rate the rectification
    const after = (await srv.api('GET', '/api/v1/ratings', { token: elder.token })).json.items;
    const orig = after.find((x) => x.id === req.id);
    assert.equal(orig.rectification.outcome, '高峰时段增开两个综合窗口');
    const rr = after.find((x) => x.kind === 'rectification');
    assert.ok(rr && rr.open, 'a rating request for the rectification');
    assert.equal((await srv.api('POST', `/api/v1/ratings/${rr.id}`, { token: elder.token, body: { level: 4 } })).status, 200);
    const msgs = (await srv.api('GET', '/api/v1/me/inbox', { token: elder.token })).json.items;
    assert.ok(msgs.some((m) => m.template === 'rectification.reported'));
    // aggregates are public
    const sum = await srv.api('GET', '/api/v1/public/ratings/summary?by=window');
    assert.equal(sum.status, 200, sum.text);
    const w1 = sum.json.items.find((x) => x.key === 'W01');
    assert.equal(w1.count, 1);
    assert.deepEqual(w1.levels, [0, 1, 0, 0, 0]);
    assert.equal(w1.satisfaction, 0);
    assertError(await srv.api('GET', '/api/v1/public/ratings/summary?by=planet'), 422, 'invalid_field', 'by');
  });

  test('appeal: the department appeals, a supervisor upholds it and the rating leaves the figures', async () => {
    // finish B001 (a walk-in without an account: no rating) and V002's visit for bob's sake is not his:
    // make a fresh visit by bob: walk-in with his ID number
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM, id_number: bob.id_number } });
    assert.equal(t.status, 201, t.text);
    const w = 'W04';
    const call = await srv.api('POST', `/api/v1/hall/windows/${w}/call-next`, { token: clerk, body: {} });
    assert.equal(call.status, 200, call.text);
    // B001 came first; finish it, then call bob
    assert.equal(call.json.number, 'B001');
    await srv.api('POST', `/api/v1/hall/windows/${w}/tickets/${call.json.id}/finish`, { token: clerk, body: {} });
    const call2 = await srv.api('POST', `/api/v1/hall/windows/${w}/call-next`, { token: clerk, body: {} });
    assert.equal(call2.json.id, t.json.id);
    await srv.api('POST', `/api/v1/hall/windows/${w}/tickets/${t.json.id}/finish`, { token: clerk, body: {} });
    const req = (await srv.api('GET', '/api/v1/ratings', { token: bob.token })).json.items[0];
    const r = await srv.api('POST', `/api/v1/ratings/${req.id}`, { token: bob.token, body: { level: 1, comment: '恶意差评' } });
    assert.equal(r.json.rectification.status, 'open');
    const id = r.json.rectification.id;
    const ap = await srv.api('POST', `/api/v1/rectifications/${id}/appeal`, { token: reviewer, body: { reason: '评价人未到窗口办理' } });
    assert.equal(ap.status, 200, ap.text);
    assert.equal(ap.json.status, 'appealed');
    assertError(await srv.api('POST', `/api/v1/rectifications/${id}/decide`, { token: supervisor, body: { result: 'maybe' } }), 422, 'invalid_field', 'result');
    const d = await srv.api('POST', `/api/v1/rectifications/${id}/decide`, { token: supervisor, body: { result: 'upheld', note: '核实属误评' } });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.status, 'annulled');
    assert.equal(d.json.rating.status, 'annulled');
    const sum = (await srv.api('GET', '/api/v1/public/ratings/summary?by=window')).json.items;
    assert.equal(sum.find((x) => x.key === 'W04'), undefined, 'an annulled rating is not counted');
  });

  test('no-shows: three within 90 days block new bookings for 30 days, and say until when', async () => {
    // alice has one no-show (A001).  Two more bookings on Wednesday that she never comes to.
    for (const [item, slot] of [[ITEM2, 'W01.20260930.0900'], ['SCJ-01-0003', 'W01.20260930.0930']]) {
      const r = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: item, slot } });
      assert.equal(r.status, 201, r.text);
    }
    // Wednesday 11:00: both slots ended more than the grace ago
    await advance(srv, 26 * 3600 + 15 * 60);
    const r = await srv.api('POST', '/api/v1/appointments', { token: alice.token, body: { item_code: ITEM, slot: 'W01.20261009.0900' } });
    assertError(r, 403, 'booking_blocked');
    assert.match(r.json.error.message, /blocked until 2026-10-30/);
    const mine = await srv.api('GET', '/api/v1/appointments', { token: alice.token });
    assert.equal(mine.json.blocked_until, '2026-10-30');
    assert.equal(mine.json.items.filter((a) => a.status === 'no_show').length, 3);
  });

  test('consultations: ask, suggestions, the department answers, the asker is told', async () => {
    const sug = await srv.api('GET', `/api/v1/public/consultations/suggest?item=${ITEM}&q=${encodeURIComponent('电子营业执照')}`);
    assert.equal(sug.status, 200, sug.text);
    assert.ok(sug.json.items.some((x) => x.source === 'guide' && /电子营业执照/.test(x.q + x.a)), 'the guide FAQ matches a short Chinese query');
    assertError(await srv.api('POST', '/api/v1/consultations', { token: bob.token, body: { item_code: ITEM, question: '?' } }), 422, 'invalid_field', 'question');
    // an attachment must be the asker's own upload
    const alicesFile = await uploadPdf(srv, alice.token, 'alice');
    assertError(await srv.api('POST', '/api/v1/consultations', { token: bob.token, body: { item_code: ITEM, question: '外资企业设立登记需要公证吗？', file_id: alicesFile } }), 422, 'invalid_field', 'file_id');
    const bobsFile = await uploadPdf(srv, bob.token, 'bob');
    const q = await srv.api('POST', '/api/v1/consultations', { token: bob.token, body: { item_code: ITEM, question: '外资企业设立登记需要公证吗？', file_id: bobsFile } });
    assert.equal(q.status, 201, q.text);
    assert.equal(q.json.file_id, bobsFile);
    // the department that answers may read the attachment; another department may not
    assert.equal((await srv.api('GET', `/api/v1/files/${bobsFile}/content`, { token: reviewer })).status, 200);
    const swj = await srv.login('rev.swj');
    assertError(await srv.api('GET', `/api/v1/files/${bobsFile}/content`, { token: swj }), 404, 'not_found');
    assertError(await srv.api('GET', `/api/v1/files/${bobsFile}/content`, { token: alice.token }), 404, 'not_found');
    assert.equal(q.json.status, 'open');
    assert.equal(q.json.dept, 'XH-SCJ');
    assertError(await srv.api('GET', `/api/v1/consultations/${q.json.id}`, { token: alice.token }), 404, 'not_found');
    const staffList = await srv.api('GET', '/api/v1/consultations?status=open', { token: reviewer });
    assert.ok(staffList.json.items.some((x) => x.id === q.json.id));
    const a = await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: reviewer, body: { answer: '境外主体资格证明需经公证认证。', publish: true } });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.status, 'answered');
    assertError(await srv.api('POST', `/api/v1/consultations/${q.json.id}/answer`, { token: reviewer, body: { answer: '再答' } }), 409, 'invalid_state');
    const msgs = (await srv.api('GET', '/api/v1/me/inbox', { token: bob.token })).json.items;
    assert.ok(msgs.some((m) => m.template === 'consultation.answered' && /公证认证/.test(m.body)));
    const sug2 = await srv.api('GET', `/api/v1/public/consultations/suggest?item=${ITEM}&q=${encodeURIComponent('公证')}`);
    assert.ok(sug2.json.items.some((x) => x.source === 'answered'), 'a published answer is suggested');
    // overdue: a question left open past its one working day shows to supervisors
    const q2 = await srv.api('POST', '/api/v1/consultations', { token: bob.token, body: { item_code: ITEM, question: '可以委托代理人办理吗？' } });
    assert.equal(q2.status, 201);
    // asked on Wednesday 2026-09-30: due the next working day, 2026-10-08 after National Day
    assert.equal(q2.json.due_day, '2026-10-08');
    await advance(srv, 9 * 86400);
    const od = await srv.api('GET', '/api/v1/consultations?overdue=1', { token: supervisor });
    assert.ok(od.json.items.some((x) => x.id === q2.json.id && x.overdue));
  });
});
