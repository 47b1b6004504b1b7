// licfmt.js - an e-license (电子证照) as page content, shared by the holder's
// wallet (licenses.html, license.html), the public check (verify.html) and
// the workbench (workbench/licenses.html): its state in words (有效 / 已暂停 /
// 已吊销 / 已过期 / 尚未生效), validity, the type's fields with their labels,
// a verification verdict, the use log and where it came from.
import { h, T, bi } from './dom.js';
import { has } from './i18n.js';
import * as api from './api.js';
import { fmtTime } from './casefmt.js';

export const LIC_STATES = ['valid', 'suspended', 'revoked', 'expired', 'pending'];

/**
 * The one state a reader needs: revoked and suspended as the issuer set them;
 * a valid license past its end date is expired, one before its start date
 * is not yet valid (pending).
 */
export function licState(lic) {
  if (!lic) return 'valid';
  if (lic.status === 'revoked' || lic.status === 'suspended') return lic.status;
  if (lic.expired) return 'expired';
  if (lic.usable === false) return 'pending';
  return 'valid';
}

/** The state as a badge (data-state for tests and styles). */
export function licBadge(lic, extra = '') {
  const s = typeof lic === 'string' ? lic : licState(lic);
  return h('span', { class: `lic-status lic-${s}${extra ? ` ${extra}` : ''}`, 'data-state': s }, T(`lic.state.${s}`));
}

/** "2026-11-27 至 2031-11-26" or "2026-11-27 起长期有效". */
export function validity(lic) {
  if (!lic.valid_until) return T('lic.validity.open', { from: lic.valid_from || '' });
  return T('lic.validity.range', { from: lic.valid_from || '', until: lic.valid_until });
}

/* The 78 types and the departments, read once per page. */
let typesPromise = null;
export function licenseTypes() {
  if (!typesPromise) typesPromise = api.get('/api/v1/license-types').then((r) => (r.ok ? r.data.items || [] : []));
  return typesPromise;
}

/** A type's name in the current language (the license's own type_name as the fallback). */
export function typeName(types, code, fallback) {
  const tp = (types || []).find((x) => x.code === code);
  if (tp) return bi(tp.name, tp.name_en);
  return document.createTextNode(fallback || code || '');
}

/** The department's name in the current language (the license's issuer_name as the fallback). */
export function issuerName(depts, code, fallback) {
  const d = (depts || []).find((x) => x.code === code);
  if (d) return bi(d.name, d.name_en);
  return document.createTextNode(fallback || code || '');
}

/** An ID number masked as lists show it (3101**********2013); credit codes are public. */
export function maskIdent(v) {
  const s = String(v || '');
  return /^\d{17}[\dX]$/.test(s) ? `${s.slice(0, 4)}${'*'.repeat(10)}${s.slice(14)}` : s;
}

/** The license's fields, labelled as its type names them (label / label_en by the language; in the type's order, unknown keys last). */
export function fieldList(type, fields, opts = {}) {
  const f = fields || {};
  const spec = (type && type.fields) || [];
  const keys = [...spec.map((x) => x.key).filter((k) => k in f), ...Object.keys(f).filter((k) => !spec.some((x) => x.key === k))];
  if (!keys.length) return h('p', { class: 'muted', i18n: 'lic.fields.none' });
  return h('dl', { class: 'dl-grid lic-fields', 'data-testid': opts.testid || 'lic-fields' }, keys.map((k) => {
    const s = spec.find((x) => x.key === k);
    const v = f[k];
    return [
      s ? bi(s.label || k, s.label_en, 'dt') : h('dt', null, k),
      h('dd', { 'data-key': k, class: s && (s.type === 'uscc' || s.type === 'id_number') ? 'mono' : null },
        v === '' || v === null || v === undefined ? h('span', { class: 'muted', i18n: 'apply.empty' }) : String(v)),
    ];
  }));
}

/** Where the license came from: a case (linked), direct issue or bulk import. */
export function sourceText(lic, caseHref) {
  const s = lic.source || '';
  if (/^XH\d{8,}$/.test(s)) return h('span', null, T('lic.source.case'), ' ', caseHref ? h('a', { class: 'mono', href: caseHref(s) }, s) : h('span', { class: 'mono' }, s));
  if (s === 'api') return T('lic.source.api');
  if (s === 'import') return T('lic.source.import');
  return document.createTextNode(s);
}

/** The public check page of a license (what the QR code on its print opens). */
export function checkUrl(id) {
  return `${location.origin}/verify.html?id=${encodeURIComponent(id)}`;
}

/** The verdict of POST /licenses/verify (or of the public status) as a box: what it means, in words. */
export function verdictBox(v, opts = {}) {
  const code = v && v.code ? v.code : 'malformed';
  const ok = !!(v && v.valid);
  const kind = ok ? 'ok' : code === 'suspended' || code === 'not_yet_valid' ? 'warn' : 'error';
  return h('div', { class: `verdict verdict-${kind}`, role: 'status', 'data-testid': opts.testid || 'verdict', 'data-code': code, 'data-valid': String(ok) },
    h('p', { class: 'verdict-mark', 'aria-hidden': 'true' }, ok ? '✓' : kind === 'warn' ? '!' : '✗'),
    h('div', { class: 'verdict-body' },
      h('p', { class: 'verdict-title', i18n: has(`lic.verdict.${code}`) ? `lic.verdict.${code}` : 'lic.verdict.other' }),
      opts.text || has(`lic.verdict.${code}.text`) ? h('p', { class: 'verdict-text', i18n: opts.text || `lic.verdict.${code}.text` }) : null,
      opts.reason ? h('p', { class: 'verdict-reason' }, h('span', { i18n: 'lic.statusReason' }), '：', opts.reason) : null,
      v && v.reason && (opts.server || !has(`lic.verdict.${code}`)) ? h('p', { class: 'muted small verdict-server', i18n: 'lic.verdict.server', args: { reason: v.reason } }) : null));
}

/** GET the document, then POST it to /verify: the verdict, or null when either failed. */
export async function verifyById(id) {
  const d = await api.get(`/api/v1/licenses/${encodeURIComponent(id)}/document`);
  if (!d.ok) return null;
  const r = await api.post('/api/v1/licenses/verify', { document: d.data });
  return r.ok ? r.data : null;
}

/** One use-log entry's kind: a case that used it, or a view through a grant code. */
function useKind(u) {
  if (u.case_no) return 'case';
  if (/^授权查看/.test(u.purpose || '')) return 'grant';
  return 'other';
}

/** The use log (用证记录): when, what for (case or grant), which department, why. */
export function usesTable(items, opts = {}) {
  if (!items || !items.length) return h('p', { class: 'muted', 'data-testid': 'uses-empty', i18n: 'lic.uses.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'lic-table uses-table', 'data-testid': 'uses' },
    h('thead', null, h('tr', null, ['lic.uses.at', 'lic.uses.kind', 'lic.uses.case', 'lic.uses.dept', 'lic.uses.purpose'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((u) => h('tr', { 'data-kind': useKind(u), 'data-case': u.case_no || null },
      h('td', { class: 'nowrap' }, h('time', { datetime: u.at }, fmtTime(u.at))),
      h('td', null, h('span', { class: `badge use-${useKind(u)}`, i18n: `lic.uses.kind.${useKind(u)}` })),
      h('td', { class: u.case_no ? 'mono' : 'mono empty' }, u.case_no ? (opts.caseHref ? h('a', { href: opts.caseHref(u.case_no) }, u.case_no) : u.case_no) : '—'),
      h('td', { class: u.dept ? null : 'empty' }, u.dept ? issuerName(opts.depts, u.dept, u.dept_name) : '—'),
      h('td', null, u.purpose || (u.material ? u.material : '')))))));
}

/** A <pre> of the signed document, folded away. */
export function documentView(doc) {
  return h('details', { class: 'lic-doc', 'data-testid': 'lic-document' },
    h('summary', { i18n: 'lic.doc.show' }),
    h('pre', { class: 'lic-doc-json', tabindex: '0' }, JSON.stringify(doc, null, 2)));
}
