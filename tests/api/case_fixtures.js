// case_fixtures.js - what the case tests (cases.test.js, cases_review.test.js,
// clock.test.js) share: a server on the fixture catalog, valid ID numbers and
// credit codes, registered applicants and staff, PDF uploads and the error
// assertion.  Not a test file itself: node --test only runs *.test.js here.
//
//   import { fixtureServer, registerPerson, uploadPdf, assertError } from './case_fixtures.js';
//
// The counters behind nextPhone() and uploadPdf() are per test file (each file
// runs in its own process), as they were when every file had its own copy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, REPO } from './harness.js';
import { pdf as makePdf } from './file_fixtures.js';

/* A data dir per server: the fixture catalog and the real working-day calendar. */
const FIXTURE_CATALOG = path.join(REPO, 'tests', 'fixtures', 'data', 'catalog');
function fixtureDataDir() {
  const d = tempDir('ywtb-data-');
  fs.symlinkSync(FIXTURE_CATALOG, path.join(d, 'catalog'));
  fs.symlinkSync(path.join(REPO, 'data', 'calendar'), path.join(d, 'calendar'));
  return d;
}
export async function fixtureServer(opts = {}) {
  const dataDir = fixtureDataDir();
  let srv;
  try {
    srv = await startServer({ ...opts, dataDir });
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const close = srv.close.bind(srv);
  srv.close = async () => {
    try {
      await close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  return srv;
}

/* GB 11643 ID number: 310104 + birth (YYYYMMDD) + sequence (odd = man) + check. */
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function idNumber(birth, seq) {
  const body = `310104${birth}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * ID_W[i];
  return body + '10X98765432'[s % 11];
}
/* GB 32100 credit code: 91 + 310104 + GB 11714 org code (8 digits + check) + check. */
const USCC_ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export function uscc(n) {
  const org = String(n).padStart(8, '0');
  const OW = [3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 8; i++) s += parseInt(org[i], 36) * OW[i];
  const c9 = 11 - (s % 11);
  const body = `91310104${org}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  let t = 0;
  for (let i = 0, w = 1; i < 17; i++, w = (w * 3) % 31) t += USCC_ALPHA.indexOf(body[i]) * w;
  return body + USCC_ALPHA[(31 - (t % 31)) % 31];
}

export const APPLICANT_PASSWORD = 'Apply@2026';
let phoneSeq = 0;
const nextPhone = () => `1390000${String(++phoneSeq).padStart(4, '0')}`;

/** Register and log in a person: { id, token, login, name, id_number, phone }. */
export async function registerPerson(srv, name, birth, seq) {
  const id_number = idNumber(birth, seq);
  const phone = nextPhone();
  const r = await srv.api('POST', '/api/v1/auth/register', {
    body: { kind: 'person', id_number, name, phone, password: APPLICANT_PASSWORD },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.account.id, token: await srv.login(id_number, APPLICANT_PASSWORD), login: id_number, name, id_number, phone };
}

/** Register and log in a company: { id, token, login, name, uscc }. */
export async function registerCompany(srv, name, n, rep = '周法人') {
  const code = uscc(n);
  const r = await srv.api('POST', '/api/v1/auth/register', {
    body: { kind: 'enterprise', uscc: code, name, phone: nextPhone(), password: APPLICANT_PASSWORD,
      legal_rep_name: rep, legal_rep_id: idNumber('19700101', 11) },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.account.id, token: await srv.login(code, APPLICANT_PASSWORD), login: code, name, uscc: code };
}

/** Create a staff account as admin and log it in. */
export async function addStaff(srv, adminToken, username, name, dept, roles) {
  const r = await srv.api('POST', '/api/v1/admin/users', {
    token: adminToken, body: { username, password: 'Staff@2026', name, dept, roles },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.account.id, token: await srv.login(username, 'Staff@2026'), name };
}

const BOUNDARY = '----ywtbCasesTestBoundary';
let pdfSeq = 0;
/** Upload a small, distinct PDF: its file_id. */
export async function uploadPdf(srv, token, label = 'material') {
  const data = makePdf(`${label} ${++pdfSeq} ${Math.random()}`); /* a real PDF: uploads are checked */
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${pdfSeq}.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n'),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const r = await srv.api('POST', '/api/v1/files', { raw: body, token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
  assert.equal(r.status, 201, r.text);
  return r.json.file_id;
}

export function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

export const CASE_NO = /^XH\d{8}\d{6,}$/;
