// bench/services_notify.mjs - email notifications per second through a local
// SMTP sink (tests/api/smtp_sink.js), and none lost or doubled across a
// kill -9 of the sender.
//
//   YWTB_BIN=build/ywtb node bench/services_notify.mjs [messages=400]
//
// A fresh server (SQLite, demo seed, test clock) whose sender is idle
// (notify_interval_ms ten minutes): `messages` citizens with an email address
// each book a slot, which queues one confirmation email (with its .ics)
// each.  Then the server is killed (-9) and started with the sender looking
// every 50 ms: the messages go out to the sink; when half have arrived the
// server is killed -9 again and restarted, the test clock (which starts again
// at --clock on each start) is moved past the messages' times and past the
// one-minute claim of messages taken but not recorded, and the rest go out.
// The sink keeps a record of the Message-IDs it accepted and answers
// GET ?message_id= (--notify-smtp-check-url), as a relay's delivery log
// would: a message the killed sender had handed over but not yet recorded
// is looked up there after the restart instead of being sent again.
// Prints JSON: the send rate before the kill, the rate over the whole run
// (restart included), messages lost (never reached the sink), doubled
// (reached it twice), and how many recovered messages the sender checked.
// Not a test: asserts nothing.
import { startServer } from '../tests/api/harness.js';
import { idNumber } from '../tests/api/case_fixtures.js';
import { startSmtpSink, parseMail } from '../tests/api/smtp_sink.js';

const N = Number(process.argv[2] || 400);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function pool(n, c, fn) {
  let next = 0;
  const out = new Array(n);
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

const sink = await startSmtpSink({ check: true });
const base = ['--trust-proxy', 'true', '--notify-smtp-url', `smtp://127.0.0.1:${sink.port}`, '--notify-smtp-from', 'hall@ywtb.test', '--notify-smtp-check-url', sink.checkUrl];
const srv = await startServer({ clock: '2026-09-28T08:00:00+08:00', args: [...base, '--notify-interval-ms', '600000'] });
const from = (i) => ({ 'X-Forwarded-For': `10.8.${i >> 8}.${i & 255}` });
const M = async () => {
  const m = (await srv.metrics()).values;
  return { queued: m.get('ywtb_notify_outbox_messages{status="queued"}'), sent: m.get('ywtb_notify_outbox_messages{status="sent"}') };
};
try {
  const days = ['20260929', '20260930', '20261008', '20261009', '20261010', '20261012'];
  const times = ['0900', '0930', '1000', '1030', '1100', '1130', '1330', '1400', '1430', '1500', '1530', '1600', '1630'];
  const slots = [];
  for (const d of days) for (const w of ['W01', 'W02', 'W03', 'W04']) for (const t of times) slots.push(`${w}.${d}.${t}`);
  await pool(N, 16, async (i) => {
    const id_number = idNumber(`19${String(50 + (i % 40)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}`, 101 + 2 * Math.floor(i / 360));
    const r = await srv.api('POST', '/api/v1/auth/register', { headers: from(i), body: { kind: 'person', id_number, name: `通知${i}`, phone: `138${String(10000000 + i).slice(-8)}`, password: 'Bench@2026x' } });
    if (r.status !== 201) throw new Error(`register ${i}: ${r.status} ${r.text}`);
    const l = await srv.api('POST', '/api/v1/auth/login', { headers: from(i), body: { login: id_number, password: 'Bench@2026x' } });
    const token = l.json.token;
    const s = await srv.api('PUT', '/api/v1/me/notify-settings', { token, body: { email: `p${i}@mail.test` } });
    if (s.status !== 200) throw new Error(`settings ${i}: ${s.status} ${s.text}`);
    const b = await srv.api('POST', '/api/v1/appointments', { token, body: { item_code: 'SCJ-01-0047', slot: slots[i % slots.length] } });
    if (b.status !== 201) throw new Error(`book ${i}: ${b.status} ${b.text}`);
  });
  const queued = (await M()).queued;
  await srv.kill9();
  await srv.restart({ args: [...base, '--notify-interval-ms', '50'] });
  // a restarted server's test clock starts again at --clock: move it past the messages' times
  const t0 = process.hrtime.bigint();
  await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 600 } });
  await sink.waitFor(Math.floor(queued / 2), 120000);
  const half = sink.messages.length;
  const tk = process.hrtime.bigint();
  await srv.kill9();
  await srv.restart();
  await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 720 } });
  const end = Date.now() + 180000;
  for (;;) {
    const m = await M();
    if ((m.queued === 0 && m.sent >= queued) || Date.now() > end) break;
    await sleep(50);
  }
  const t1 = process.hrtime.bigint();
  await sleep(500);
  const keys = sink.messages.map((x) => `${parseMail(x.data).headers['x-ywtb-event']}|${x.to.join(',')}`);
  const ids = new Set(sink.messages.map((x) => x.messageId)).size;
  const unique = new Set(keys).size;
  const sec0 = Number(tk - t0) / 1e9, sec = Number(t1 - t0) / 1e9;
  console.log(JSON.stringify({ queued, before_kill: half, before_kill_seconds: +sec0.toFixed(3), rate_before_kill: Math.round(half / sec0),
    received: sink.messages.length, unique, seconds_total: +sec.toFixed(3), rate_total: Math.round(unique / sec), lost: queued - unique, doubled: sink.messages.length - unique, message_ids: ids, checks: sink.checks, checked_accepted: sink.checkHits, final: await M() }));
} finally {
  await srv.close();
  await sink.close();
}
