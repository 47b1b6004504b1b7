// bench/services_hall.mjs - the hall screen's server-sent events with many
// screens: `listeners` connections to GET /api/v1/public/hall/events (one
// socket each, from this one node.js process), then `calls` numbers taken
// and called one after another; for each call, the time from sending the
// call-next request until each listener has read an event naming that number.
//
//   YWTB_BIN=build/ywtb node bench/services_hall.mjs [listeners=1000] [calls=10]
//
// Prints JSON: p50/p99/max latency over listeners x calls samples, events
// missed (a listener that never saw a call within 10 s), and the server's
// resident memory with the listeners connected.  Not a test: asserts nothing.
import http from 'node:http';
import fs from 'node:fs';
import { startServer } from '../tests/api/harness.js';

const L = Number(process.argv[2] || 1000);
const CALLS = Number(process.argv[3] || 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const srv = await startServer({ clock: '2026-09-28T10:00:00+08:00', args: ['--conn-per-ip', '0', '--threads', '2'] });
const seen = new Map(); // number -> array of receive times (ns)
let opened = 0;
const reqs = [];
function listen() {
  return new Promise((resolve, reject) => {
    const req = http.get(`${srv.base}/api/v1/public/hall/events`, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      let first = true;
      const mine = new Set();
      res.on('data', (chunk) => {
        const now = process.hrtime.bigint();
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m = /^data: (.*)$/m.exec(block);
          if (!m) continue;
          if (first) {
            first = false;
            opened++;
            resolve();
          }
          for (const c of JSON.parse(m[1]).called) {
            if (mine.has(c.number)) continue;
            mine.add(c.number);
            if (!seen.has(c.number)) seen.set(c.number, []);
            seen.get(c.number).push(now);
          }
        }
      });
    });
    req.on('error', reject);
    reqs.push(req);
  });
}

try {
  const clerk = await srv.login('clerk');
  for (let i = 0; i < L; i += 100) await Promise.all(Array.from({ length: Math.min(100, L - i) }, listen));
  await sleep(500);
  const m = (await srv.metrics()).values;
  const listening = m.get('ywtb_hall_screen_listeners');
  const rss = Number(fs.readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
  const lat = [];
  let missed = 0;
  for (let k = 0; k < CALLS; k++) {
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'SCJ-01-0001' } });
    if (t.status !== 201) throw new Error(`take: ${t.status} ${t.text}`);
    await sleep(300);
    const t0 = process.hrtime.bigint();
    const c = await srv.api('POST', `/api/v1/hall/windows/W0${1 + (k % 4)}/call-next`, { token: clerk, body: {} });
    if (c.status !== 200) throw new Error(`call: ${c.status} ${c.text}`);
    const end = Date.now() + 10000;
    while ((seen.get(c.json.number)?.length || 0) < L && Date.now() < end) await sleep(20);
    const got = seen.get(c.json.number) || [];
    missed += L - got.length;
    for (const r of got) lat.push(Number(r - t0) / 1e6);
    if (k % 4 === 3) { // finish the four windows' numbers so they call again
      for (let w = 1; w <= 4; w++) {
        const q = await srv.api('GET', `/api/v1/hall/windows/W0${w}/queue`, { token: clerk });
        const cur = q.json.current;
        if (cur) {
          await srv.api('POST', `/api/v1/hall/windows/W0${w}/tickets/${cur.id}/start`, { token: clerk, body: {} });
          await srv.api('POST', `/api/v1/hall/windows/W0${w}/tickets/${cur.id}/finish`, { token: clerk, body: {} });
        }
      }
    }
    await sleep(200);
  }
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? +lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1) : null);
  console.log(JSON.stringify({ listeners: L, connected: opened, server_listeners: listening, calls: CALLS, samples: lat.length, missed,
    p50_ms: q(0.5), p99_ms: q(0.99), max_ms: lat.length ? +lat[lat.length - 1].toFixed(1) : null, rss_mb: +(rss / 1048576).toFixed(1) }));
} finally {
  for (const r of reqs) r.destroy();
  await srv.close();
}
