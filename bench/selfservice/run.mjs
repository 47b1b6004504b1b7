// bench/selfservice/run.mjs - the self-service hall's figures (issue 20;
// bench/selfservice.sh runs it and prints them next to their yardsticks):
//   - shipping labels rendered per second (GET .../label.pdf, 4 connections)
//     next to cases' receipt.pdf of the same case in the same run (the same
//     PDF engine: the yardstick of what a printed page costs here);
//   - lockers opened per second by their owner signed in at a kiosk (POST
//     .../pickup: the delivery done, the compartment free, the audit record and
//     the notice, one durable transaction each; 8 connections), for the
//     shell script to set next to the raw durable commit rate;
//   - the return job: 2,000 results left in lockers past ss_locker_days, the
//     time one background pass takes to send them all back to the window
//     (from the first to the last returned_at) and its rate.
// The deliveries the pickups and the return job work on are written straight
// into ss_deliveries / ss_compartments (SQLite) before the measurement: making
// 2,300 approved cases through the API would measure cases, not this.
//
//   node bench/selfservice/run.mjs       (SQLite)
import { execFileSync } from 'node:child_process';
import { startServer } from '../../tests/api/harness.js';
import { COMPANY } from '../../tests/api/world.js';
import { approvedCase } from '../../tests/api/selfservice_fixtures.js';

const PDFS = Number(process.env.BENCH_SS_PDFS || 60);
const PICKUPS = Number(process.env.BENCH_SS_PICKUPS || 300);
const RETURNS = Number(process.env.BENCH_SS_RETURNS || 2000);

const srv = await startServer({ clock: new Date().toISOString(), args: ['--ss-return-seconds', '1', '--ss-locker-days', '1'] });
const db = srv.url.slice('sqlite:'.length);
const sqlite = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', db], { input: q, encoding: 'utf8', maxBuffer: 1 << 24 });

async function hammer(n, conns, one) {
  let next = 0, ok = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (next < n) {
      const i = next++;
      if (await one(i)) ok++;
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  return { n, ok, secs, rate: ok / secs, conns };
}

/* n deliveries of account `who` in locker `locker`, in_locker, placed at placedMs */
function place(locker, n, who, placedMs, tag) {
  const now = new Date().toISOString();
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const no = `XB${tag}${String(i).padStart(8, '0')}`;
    rows.push(`INSERT INTO ss_compartments (locker, slot, delivery_id) VALUES ('${locker}', ${i}, 0);`);
    rows.push(`INSERT INTO ss_deliveries (case_id, case_no, applicant_id, title, result, method, status, locker, compartment, placed_ms, created_at, updated_at) VALUES (${9e8 + tag * 1e5 + i}, '${no}', ${who}, '企业设立登记', '营业执照', 'locker', 'in_locker', '${locker}', ${i}, ${placedMs}, '${now}', '${now}');`);
    rows.push(`UPDATE ss_compartments SET delivery_id = (SELECT id FROM ss_deliveries WHERE case_no = '${no}') WHERE locker = '${locker}' AND slot = ${i};`);
  }
  sqlite(`BEGIN;${rows.join('')}COMMIT;`);
}

try {
  const t = { company: await srv.login(COMPANY), clerk: await srv.login('clerk'), reviewer: await srv.login('reviewer') };
  const who = (await srv.api('GET', '/api/v1/me', { token: t.company })).json.account.id;

  // labels next to receipts of the same case
  const no = await approvedCase(srv, t, '上海徐汇面单基准科技有限公司');
  await srv.api('PUT', `/api/v1/deliveries/${no}/choice`, { token: t.company, body: { method: 'mail', recipient: '张小明', phone: '13912345678', address: '上海市徐汇区虹桥路1号' } });
  const get = (p, token) => async () => {
    const r = await fetch(`${srv.base}${p}`, { headers: { Authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    return r.status === 200;
  };
  const receipt = await hammer(PDFS, 4, get(`/api/v1/cases/${no}/receipt.pdf`, t.company));
  const label = await hammer(PDFS, 4, get(`/api/v1/deliveries/${no}/label.pdf`, t.clerk));
  console.log(`receipt.pdf ${receipt.rate.toFixed(1)}/s, label.pdf ${label.rate.toFixed(1)}/s`);

  // the owner opens lockers at a kiosk (a kiosk session by QR)
  place('P01', PICKUPS, who, 0, 1);
  let r = await srv.api('POST', '/api/v1/public/kiosk/login-requests', { body: { kiosk: 'KB1' } });
  await srv.api('POST', `/api/v1/kiosk/login-requests/${r.json.code}/confirm`, { token: t.company, body: {} });
  r = await srv.api('POST', '/api/v1/public/kiosk/login-requests/poll', { body: { poll_token: r.json.poll_token } });
  const kiosk = r.json.token;
  const pickup = await hammer(PICKUPS, 8, async (i) => {
    const res = await fetch(`${srv.base}/api/v1/deliveries/XB1${String(i + 1).padStart(8, '0')}/pickup`, {
      method: 'POST', headers: { Authorization: `Bearer ${kiosk}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    await res.text();
    return res.status === 200;
  });
  console.log(`pickups by login: ${pickup.ok}/${pickup.n} in ${pickup.secs.toFixed(2)} s = ${pickup.rate.toFixed(0)}/s`);

  // the return job: RETURNS results past their days, one background pass
  const clock = (await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } })).json.clock;
  const nowMs = Date.parse(clock.now || clock.instant || new Date().toISOString());
  place('R01', RETURNS, who, nowMs, 2);
  await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 2 } });
  const t0 = performance.now();
  let left = RETURNS;
  while (left > 0 && performance.now() - t0 < 300000) {
    await new Promise((res) => setTimeout(res, 200));
    left = Number(sqlite("SELECT COUNT(*) FROM ss_deliveries WHERE locker = 'R01' AND status = 'in_locker'").trim());
  }
  const span = sqlite("SELECT MIN(returned_at), MAX(returned_at), COUNT(*) FROM ss_deliveries WHERE case_no LIKE 'XB2%' AND returned_at <> ''").trim().split('|');
  const spanS = (Date.parse(span[1]) - Date.parse(span[0])) / 1000;
  const returned = { n: RETURNS, returned: Number(span[2]), secs: spanS, rate: Number(span[2]) / Math.max(spanS, 0.001) };
  console.log(`return job: ${returned.returned}/${RETURNS} back to the window in ${spanS.toFixed(2)} s (first to last returned_at)`);
  console.log(`RESULT ${JSON.stringify({ receipt, label, pickup, returned })}`);
} finally {
  await srv.close();
}
