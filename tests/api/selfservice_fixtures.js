// selfservice_fixtures.js - what the self-service hall's API tests share: a
// local SMS gateway and carrier on 127.0.0.1, an approved 企业设立登记 of the
// demo company (its paper 营业执照 makes a delivery), a look at the server's
// database, and a valid identity number nobody registered.
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { uploadPdf } from './case_fixtures.js';
import { fillForm, CITIZEN } from './world.js';
import { eventually } from './eventually.js';

/* A local server that records each POSTed JSON body and answers `answer(body, n)`. */
function recorder(answer) {
  const got = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const body = JSON.parse(data);
      got.push(body);
      const out = answer(body, got.length);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/send`, got, close: () => server.close(),
  })));
}

/** The SMS gateway: { url, got: [{to, text, event}], close }. */
export const startSmsGateway = () => recorder(() => ({ ok: true }));
/** The carrier's waybill API: answers EMS-style tracking numbers. */
export const startCarrier = () => recorder((b, n) => ({ tracking_no: `EA${String(100000000 + n).padStart(9, '0')}CN` }));

/** One query on the server's database, rows as tab-separated text. */
export function sql(srv, q) {
  const o = { input: q, encoding: 'utf8', maxBuffer: 1 << 26 }; /* on stdin: a batch is long */
  return srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length)], o)
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', srv.url], o);
}

/** A GB 11643 identity number with a right check character, from a 17-digit body. */
export function idNumber(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * w[i];
  return body17 + '10X98765432'[s % 11];
}

/** An approved 企业设立登记 of the company (tokens: company, clerk, reviewer): its case number. */
export async function approvedCase(srv, t, name) {
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
  const materials = [];
  for (const m of item.materials) {
    if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, t.company, m.code) });
  }
  let r = await post(t.company, '/api/v1/cases', {
    item_code: 'SCJ-01-0001',
    form: fillForm(item, { proposed_name: name, legal_rep_name: '张小明', legal_rep_id: CITIZEN, registered_capital: 100 }),
    materials,
  });
  assert.equal(r.status, 201, r.text);
  const no = r.json.case_no;
  r = await post(t.clerk, `/api/v1/cases/${no}/accept`, { note: '材料齐全' });
  assert.equal(r.status, 200, r.text);
  const task = r.json.tasks.find((x) => x.dept === 'XH-SCJ' && x.status === 'pending');
  r = await post(t.reviewer, `/api/v1/tasks/${task.id}/decide`, { decision: 'approve', opinion: '准予' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  // the delivery row follows the approval after its commit (an after-commit subscriber)
  await eventually(async () => {
    const d = await srv.api('GET', `/api/v1/deliveries/${no}`, { token: t.company });
    assert.equal(d.status, 200, d.text);
  });
  return no;
}
