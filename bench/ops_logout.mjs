// bench/ops_logout.mjs - what the acknowledged logout costs (issue 21): on one
// PostgreSQL, the time of POST /api/v1/auth/logout on node a while node b
// listens (a waits until b confirmed it dropped the session) next to the same
// with b stopped (a finds no other listener and does not wait), and GET
// /api/v1/me on a for scale; ROUNDS sequential requests each, one client, in
// one run, so the figures are ratios on the same machine.  Prints a Markdown
// table; asserts nothing.  Run by bench/ops.sh (which starts PostgreSQL).
import { performance } from 'node:perf_hooks';
import { startServer, Server, tempDir } from '../tests/api/harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 300);
const CITIZEN = '310104199003072013';

const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function timeLogouts(a) {
  const ms = [];
  for (let i = 0; i < ROUNDS; i++) {
    const token = await a.login(CITIZEN);
    const t0 = performance.now();
    const r = await a.api('POST', '/api/v1/auth/logout', { token });
    ms.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`logout: ${r.status} ${r.text}`);
  }
  return ms;
}

async function timeMe(a) {
  const token = await a.login(CITIZEN);
  const ms = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await a.api('GET', '/api/v1/me', { token });
    ms.push(performance.now() - t0);
  }
  return ms;
}

const a = await startServer();
const b = new Server({ db: { url: a.url, drop() {} }, dir: tempDir() });
await b.start();
const rows = [];
try {
  await timeLogouts(a); // warm-up
  const me = await timeMe(a);
  const withPeer = await timeLogouts(a);
  const acks = (await a.metrics()).values;
  await b.close();
  const alone = await timeLogouts(a);
  rows.push(['GET /api/v1/me (cached)', me]);
  rows.push(['POST /auth/logout, node b listening (waits for its confirmation)', withPeer]);
  rows.push(['POST /auth/logout, no other node (no wait)', alone]);
  console.log(`| request (${ROUNDS} sequential, PostgreSQL, 2 nodes) | median ms | p95 ms |`);
  console.log('| --- | --- | --- |');
  for (const [name, xs] of rows) console.log(`| ${name} | ${pct(xs, 50).toFixed(2)} | ${pct(xs, 95).toFixed(2)} |`);
  console.log(`\nratio of medians, logout with b / alone: ${(pct(withPeer, 50) / pct(alone, 50)).toFixed(2)}`);
  console.log(`confirmations waited for: ${acks.get('ywtb_db_notify_acks_total')}, timeouts: ${acks.get('ywtb_db_notify_ack_timeouts_total')}, wait total ${acks.get('ywtb_db_notify_ack_wait_seconds_total').toFixed(3)} s`);
} finally {
  await b.close().catch(() => {});
  await a.close();
}
