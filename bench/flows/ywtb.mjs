// bench/flows/ywtb.mjs - full case flows per second through ywtb's API, durable:
//
//   the citizen submits (every required material uploaded) -> the window accepts -> two departments
//   approve in parallel -> the case is approved
//
// on item CL-07-0001 残疾人证办理 (reviewed by XH-CL and XH-WJW), with the demo
// accounts of `ywtb seed --demo`.  Every step is a real HTTP request that the
// server acknowledges only after its durable commit.  Prints one line:
// "ywtb: N flows in S s = R flows/s (M requests)".
//
// The client shares the machine with the server, so the flow's requests go
// through node:http with a keep-alive agent (about a third of the CPU that
// fetch() spends per request); set-up (logins, the upload) uses fetch.
//
//   node bench/flows/ywtb.mjs BASE_URL [seconds=10] [concurrency=16]
import http from 'node:http';
import { pdf } from '../../tests/api/file_fixtures.js';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const seconds = Number(process.argv[3] || 10);
const concurrency = Number(process.argv[4] || 16);
const ITEM = 'CL-07-0001';
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 2 });

// One JSON request on a kept-alive connection; rejects on a status >= 300.
function fast(method, path, token, body, headers = {}) {
  const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent, host: url.hostname, port: url.port, method, path,
      headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
                 ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300) return reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
        try { resolve(JSON.parse(text)); } catch { resolve(null); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function call(method, path, token, body, headers = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
               ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
  return json;
}

async function login(l) {
  return (await call('POST', '/api/v1/auth/login', null, { login: l, password: 'Demo@2026' })).token;
}

const citizen = await login('310104199003072013');
const clerk = await login('clerk');
const revs = { 'XH-CL': await login('rev.cl'), 'XH-WJW': await login('rev.wjw') };
const item = await call('GET', `/api/v1/items/${ITEM}`);
const fd = new FormData();
// a real one-page PDF: uploads are checked for their structure (qpdf --check)
fd.append('file', new Blob([pdf('bench material')], { type: 'application/pdf' }), 'm.pdf');
const file = (await call('POST', '/api/v1/files', citizen, fd)).file_id;
const sample = { text: '测试', address: '漕溪北路336号', phone: '13900000000', date: '2026-01-01', number: 1,
                 id_number: '310104199003072013' };
const form = {};
for (const f of item.form) {
  if (f.prefill || !f.required) continue;
  form[f.key] = f.type === 'choice' ? f.options[0] : sample[f.type] ?? '测试';
}
const materials = item.materials.filter((m) => m.required === 'required')
  .map((m) => ({ material_code: m.code, file_id: file }));

let flows = 0, requests = 0, n = 0;
async function flow() {
  const k = await fast('POST', '/api/v1/cases', citizen, { item_code: ITEM, form, materials },
                       { 'idempotency-key': `bench-${process.pid}-${n++}` });
  const a = await fast('POST', `/api/v1/cases/${k.case_no}/accept`, clerk, {});
  const tasks = a.tasks.filter((t) => t.status === 'pending');
  const results = await Promise.all(tasks.map((t) =>
    fast('POST', `/api/v1/tasks/${t.id}/decide`, revs[t.dept], { decision: 'approve', opinion: '同意' })));
  requests += 2 + tasks.length;
  const last = results.find((r) => r.status === 'approved');
  if (!last) throw new Error(`case ${k.case_no} not approved after both decisions`);
  flows++;
}

const deadline = Date.now() + seconds * 1000;
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (Date.now() < deadline) await flow();
}));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`ywtb: ${flows} flows in ${s.toFixed(2)} s = ${(flows / s).toFixed(1)} flows/s (${requests} requests)`);
agent.destroy();
