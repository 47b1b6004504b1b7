// bench/payments/run.mjs - the figures of issue 18 (bench/payments.sh runs it
// and prints them next to the raw commit rate; `make bench` runs that): gateway notifications handled per second - each one's SM2
// signature verified and its row committed durably - and the reconciliation
// of a 100,000-line settlement file (import, then the report).
//
//   node bench/payments/run.mjs            (SQLite; YWTB_TEST_ENGINE=postgres
//                                           with YWTB_TEST_PG_ADMIN for PostgreSQL)
//
// The notifications are the simulator's genuine one for a paid order, sent
// again and again at 16 connections: each is verified, checked against the
// order and logged in pay_notifications in its own durable transaction (a
// repeat changes no order, which is the only step a first notification adds).
import { startServer } from '../../tests/api/harness.js';
import { startPaysim } from '../../tests/api/paysim.js';
import { fillForm, CITIZEN } from '../../tests/api/world.js';
import { uploadPdf } from '../../tests/api/case_fixtures.js';

const N = Number(process.env.BENCH_NOTIFY || 4000);
const C = 16;
const LINES = 100000;

const sim = await startPaysim();
const srv = await startServer({ args: sim.ywtbArgs() });
try {
  const person = await srv.login(CITIZEN);
  const finance = await srv.login('finance');
  const clerk = await srv.login('clerk');
  const item = (await srv.api('GET', '/api/v1/items/GAFJ-01-0003')).json;
  const materials = [];
  for (const m of item.materials) if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, person, m.code) });
  const k = (await srv.api('POST', '/api/v1/cases', { token: person, body: { item_code: item.code, form: fillForm(item), materials } })).json;
  const order = (await srv.api('GET', `/api/v1/payments/orders?case_no=${k.case_no}`, { token: clerk })).json.items[0];
  const pay = (await srv.api('POST', `/api/v1/payments/orders/${order.order_no}/pay`, { token: person, body: {} })).json;
  const q = new URL(pay.pay_url).searchParams;
  q.delete('return_url');
  await fetch(`${sim.base}/pay/confirm?${q}`);
  let note;
  for (let i = 0; i < 100 && !note; i++) {
    const r = await sim.get(`/sim/last?order_no=${order.order_no}`);
    if (r.status === 200) note = r.json;
    else await new Promise((r2) => setTimeout(r2, 50));
  }
  const body = JSON.stringify(note);
  let sent = 0, okN = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    while (sent < N) {
      sent++;
      const r = await fetch(`${srv.base}/api/v1/payments/notify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      await r.text();
      if (r.status === 200) okN++;
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  const notify = { ok: okN, n: N, secs, rate: okN / secs, conns: C };
  console.log(`notifications: ${okN}/${N} acknowledged in ${secs.toFixed(2)} s = ${(okN / secs).toFixed(0)}/s (${C} connections)`);

  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const lines = ['order_no,trade_no,amount_fen'];
  for (let i = 0; i < LINES; i++) lines.push(`PO${day.replace(/-/g, '')}${String(90000000 + i).padStart(8, '0')},T${i},${1000 + (i % 500)}`);
  const csv = `${lines.join('\n')}\n`;
  const B = '----bench';
  const raw = Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(csv), Buffer.from(`\r\n--${B}--\r\n`)]);
  const t1 = performance.now();
  const imp = await srv.api('POST', `/api/v1/payments/settlements?day=${day}`, { token: finance, raw, contentType: `multipart/form-data; boundary=${B}` });
  const t2 = performance.now();
  const rep = await srv.api('GET', `/api/v1/payments/reconciliation?day=${day}`, { token: finance });
  const t3 = performance.now();
  console.log(`RESULT ${JSON.stringify({ notify, recon: { lines: LINES, mb: csv.length / 1e6, import_status: imp.status, import_s: (t2 - t1) / 1000, report_status: rep.status, report_s: (t3 - t2) / 1000, mismatches: rep.json?.mismatches?.length } })}`);
  console.log(`reconciliation of ${LINES} lines (${(csv.length / 1e6).toFixed(1)} MB): import ${imp.status} ${((t2 - t1) / 1000).toFixed(2)} s, report ${rep.status} ${((t3 - t2) / 1000).toFixed(2)} s (${rep.json?.mismatches?.length} mismatches), together ${((t3 - t1) / 1000).toFixed(2)} s`);
} finally {
  await srv.close();
  sim.close();
}
