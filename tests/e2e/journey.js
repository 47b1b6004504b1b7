// tests/e2e/journey.js - what the case-handling journeys share: the demo
// accounts, logging in through the login page, small valid PDF files, the
// demo reviewer of a department, and case set-up through the API.
//
//   await loginUi(page, srv, 'clerk');                 // lands on the workbench
//   const file = pdfFile('application form');          // { name, mimeType, buffer }
//   reviewerFor(srv, 'XH-GAFJ')                        // 'rev.gafj' (from the seed's own listing)
//   await raiseRealname(srv, DEMO.company)            // the window's in-person check, by API
import assert from 'node:assert/strict';

export const DEMO = {
  citizen: '310104199003072013',
  citizenName: '张小明',
  company: '91310104MA1FL8XQ10',
  companyName: '上海徐汇示范科技有限公司',
  password: 'Demo@2026',
};

/**
 * A small but valid one-page PDF (catalog, pages, page, content stream, font,
 * and a cross-reference table with the right byte offsets).  label: ASCII.
 */
export function pdfBytes(label = 'ywtb test') {
  const text = String(label).replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A file for setInputFiles. */
export function pdfFile(label, name) {
  return { name: name || `${label.replace(/\W+/g, '-')}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(label) };
}

/** Log in through login.html (optionally with ?next=); resolves once the page has left the login page. */
export async function loginUi(page, srv, login, opts = {}) {
  const url = `${srv.base}/login.html${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`;
  if (!opts.here) await page.goto(url);
  await page.locator('#l-login').fill(login);
  await page.locator('#l-password').fill(opts.password || DEMO.password);
  await Promise.all([
    page.waitForURL((u) => !/\/login\.html/.test(u.pathname)),
    page.locator('#form-login button[type=submit]').click(),
  ]);
}

/** The demo reviewer (rev.*) of a department, from `ywtb seed --demo`'s own listing; null when there is none. */
export function reviewerFor(srv, dept) {
  for (const line of (srv.seedOutput || '').split('\n')) {
    const m = /^\s+(rev\.\S+)\s+(\S+)\s+.*\((XH-[A-Z0-9]+)\)\s*$/.exec(line);
    if (m && m[3] === dept && m[2].split(',').includes('reviewer')) return m[1];
  }
  return null;
}

/** Every demo staff account of the seed listing with its roles and department. */
export function demoStaff(srv) {
  const out = [];
  for (const line of (srv.seedOutput || '').split('\n')) {
    const m = /^\s+([a-z][\w.]*)\s+([a-z_,]+)\s+.*\((XH-[A-Z0-9]+)\)\s*$/.exec(line);
    if (m) out.push({ login: m[1], roles: m[2].split(','), dept: m[3] });
  }
  return out;
}

/**
 * Raise an applicant's real-name level (实名认证等级) as the window does after
 * checking documents in person (POST /api/v1/accounts/{id}/realname, clerk).
 * 居住证办理 and 企业设立登记 need level 3; an account registered online has 2.
 */
export async function raiseRealname(srv, login, level = 3) {
  const clerk = await srv.login('clerk');
  const found = await srv.api('GET', `/api/v1/accounts?q=${encodeURIComponent(login)}`, { token: clerk });
  assert.equal(found.status, 200, found.text);
  assert.equal(found.json.items.length, 1, `one account for ${login}`);
  const me = await srv.api('GET', `/api/v1/accounts/${found.json.items[0].id}`, { token: clerk });
  if (Number(me.json.account.profile.realname_level) >= level) return;
  const r = await srv.api('POST', `/api/v1/accounts/${found.json.items[0].id}/realname`, { token: clerk, body: { level, method: 'window' } });
  assert.equal(r.status, 200, r.text);
}

const BOUNDARY = '----ywtb-e2e-boundary';

/** Upload a PDF through the API (set-up only): the file id. */
export async function uploadApi(srv, token, label) {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${label.replace(/\W+/g, '-')}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), pdfBytes(label), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
  const r = await srv.api('POST', '/api/v1/files', { raw: body, token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
  assert.equal(r.status, 201, r.text);
  return r.json.file_id;
}

/** Apply through the API (set-up only) with an upload for every required material: the case. */
export async function applyApi(srv, token, itemCode) {
  const it = await srv.api('GET', `/api/v1/items/${itemCode}`);
  assert.equal(it.status, 200, it.text);
  const materials = [];
  for (const m of it.json.materials.filter((x) => x.required === 'required')) {
    materials.push({ material_code: m.code, file_id: await uploadApi(srv, token, m.code) });
  }
  const r = await srv.api('POST', '/api/v1/cases', { token, body: { item_code: itemCode, form: {}, materials } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

/** GET a URL with the page's cookies: { status, type, head } (the first bytes as latin1 text). */
export async function fetchWithPage(page, url) {
  const r = await page.request.get(url);
  const body = await r.body();
  return { status: r.status(), type: r.headers()['content-type'] || '', head: body.subarray(0, 8).toString('latin1'), size: body.length };
}

/** A value of the right type for a form field the applicant fills in (not prefilled). */
export function sampleValue(f, ctx = {}) {
  switch (f.type) {
    case 'date':
      return '2026-06-01';
    case 'number':
      return '120';
    case 'choice':
      return (f.options || [])[0];
    case 'id_number':
      return ctx.idNumber || DEMO.citizen;
    case 'uscc':
      return ctx.uscc || DEMO.company;
    case 'address':
      return '上海市徐汇区漕溪北路336号';
    case 'phone':
      return '13800138000';
    default:
      return `测试${f.label || f.key}`.slice(0, 40);
  }
}
