// bench/services_book.mjs - bookings per second under contention and spread,
// and the proof that a slot is never overbooked.
//
//   YWTB_BIN=build/ywtb node bench/services_book.mjs [people=640] [concurrency=64]
//
// A fresh server (SQLite, demo seed, test clock on a Monday 08:00 China
// time); `people` citizens registered; then (A) everybody books one of the
// four integrated windows' 09:00 slots of the next day at once, 64 requests
// in flight: exactly 4 x 4 places may be won, the rest answer 409 slot_full;
// (B) everybody books another item in a slot of their own (spread over ten
// days): all succeed.  Prints requests/s of each phase and the counts.
// Not a test: it asserts no timing, only the counts.
import { startServer } from '../tests/api/harness.js';
import { idNumber } from '../tests/api/case_fixtures.js';

const N = Number(process.argv[2] || 640);
const C = Number(process.argv[3] || 64);

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

/* registrations and logins are rate-limited per address: each person comes from their own */
const srv = await startServer({ clock: '2026-09-28T08:00:00+08:00', args: ['--trust-proxy', 'true'] });
const from = (i) => ({ 'X-Forwarded-For': `10.9.${i >> 8}.${i & 255}` });
try {
  const people = await pool(N, 16, async (i) => {
    const id_number = idNumber(`19${String(50 + (i % 40)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}`, 101 + 2 * Math.floor(i / 360));
    const r = await srv.api('POST', '/api/v1/auth/register', { headers: from(i), body: { kind: 'person', id_number, name: `压测${i}`, phone: `139${String(10000000 + i).slice(-8)}`, password: 'Bench@2026x' } });
    if (r.status !== 201) throw new Error(`register ${i}: ${r.status} ${r.text}`);
    const l = await srv.api('POST', '/api/v1/auth/login', { headers: from(i), body: { login: id_number, password: 'Bench@2026x' } });
    if (l.status !== 200) throw new Error(`login ${i}: ${l.status} ${l.text}`);
    return l.json.token;
  });
  // A: contention on 16 places
  const slots = ['W01', 'W02', 'W03', 'W04'].map((w) => `${w}.20260929.0900`);
  let t0 = process.hrtime.bigint();
  const a = await pool(N, C, (i) => srv.api('POST', '/api/v1/appointments', { token: people[i], body: { item_code: 'SCJ-20-0006', slot: slots[i % 4] } }));
  const ta = Number(process.hrtime.bigint() - t0) / 1e9;
  const won = a.filter((r) => r.status === 201).length;
  const full = a.filter((r) => r.status === 409 && r.json?.error?.code === 'slot_full').length;
  const other = a.filter((r) => r.status !== 201 && r.status !== 409);
  // B: spread, one slot each
  const days = ['20260929', '20260930', '20261008', '20261009', '20261010', '20261012'];
  const times = ['0900', '0930', '1000', '1030', '1100', '1130', '1330', '1400', '1430', '1500', '1530', '1600', '1630'];
  const spread = [];
  for (const d of days) for (const w of ['W01', 'W02', 'W03', 'W04']) for (const t of times) if (d !== '20260929' || t !== '0900') spread.push(`${w}.${d}.${t}`); // A filled the 09:00 slots
  t0 = process.hrtime.bigint();
  const b = await pool(N, C, (i) => srv.api('POST', '/api/v1/appointments', { token: people[i], body: { item_code: 'SCJ-01-0047', slot: spread[i % spread.length] } }));
  const tb = Number(process.hrtime.bigint() - t0) / 1e9;
  const okB = b.filter((r) => r.status === 201).length;
  const badB = [...new Set(b.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.json?.error?.message}`))];
  // the counts the server keeps
  const counts = await Promise.all(slots.map(async (s) => {
    const d = await srv.api('GET', '/api/v1/hall/slots?item=SCJ-20-0006&day=2026-09-29');
    return d.json.windows.find((w) => w.code === s.slice(0, 3)).slots.find((x) => x.slot === s).booked;
  }));
  console.log(JSON.stringify({
    people: N, concurrency: C,
    contention: { requests: N, seconds: +ta.toFixed(3), per_second: Math.round(N / ta), won, slot_full: full, other: other.length, booked_counts: counts },
    spread: { requests: N, seconds: +tb.toFixed(3), per_second: Math.round(N / tb), booked: okB, refused: badB },
    overbooked: won > 16 || counts.some((n) => n > 4),
  }, null, 2));
  if (won !== 16 || other.length || counts.some((n) => n !== 4) || okB !== N) process.exitCode = 1;
} finally {
  await srv.close();
}
