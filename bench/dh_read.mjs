// dh_read.mjs - authorized subject reads per second through the data hub:
// CONC keep-alive connections each reading GA-HJRK records of the generated
// subjects with a purpose (every answer comes after its ledger entry is
// durable), for SECONDS.  `node bench/dh_read.mjs BASE TOKEN ROWS.ndjson SECONDS CONC`
// prints: reads=N seconds=S rate=R p50_ms=X p99_ms=Y errors=E
import fs from 'node:fs';
import http from 'node:http';

const [base, token, file, secs = '10', conc = '64'] = process.argv.slice(2);
const ids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 20000).map((l) => JSON.parse(l).id_number);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
const url = new URL(base);
const lat = [];
let errors = 0;
let i = 0;
const end = Date.now() + Number(secs) * 1000;
function one() {
  return new Promise((resolve) => {
    const id = ids[i++ % ids.length];
    const t = process.hrtime.bigint();
    const req = http.request({ host: url.hostname, port: url.port, agent, method: 'GET',
      path: `/api/v1/datahub/resources/GA-HJRK/subjects/${id}?purpose=case&case_no=XH20261207000001`,
      headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        lat.push(Number(process.hrtime.bigint() - t) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
}
async function worker() {
  while (Date.now() < end) await one();
}
const t0 = Date.now();
await Promise.all(Array.from({ length: Number(conc) }, worker));
const dt = (Date.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log(`reads=${lat.length} seconds=${dt.toFixed(2)} rate=${(lat.length / dt).toFixed(0)} p50_ms=${lat[lat.length >> 1]?.toFixed(2)} p99_ms=${lat[Math.floor(lat.length * 0.99)]?.toFixed(2)} errors=${errors}`);
agent.destroy();
