// work/audit.js - workbench/audit.html : the supervisors' audit viewer
// (审计查询).  The audit chain searched by actor, subject (object type and
// id), action and day (GET /api/v1/supervision/audit), newest first, each
// record with its place in the chain (sequence number, the hash before it,
// its own hash, whether both check); the whole chain verified on demand
// (GET /api/v1/supervision/audit/verify); what was found exported as CSV.
import { h, T, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { initWork } from '../work-layout.js';
import { fmtTime } from '../casefmt.js';
import { errorKey } from '../forms.js';

const main = document.getElementById('main');
const p = params();
const FIELDS = [['actor', 64], ['obj_type', 32], ['obj_id', 128], ['action', 64]];

function chainCell(r) {
  const key = !r.hash_ok ? 'au.chain.changed' : !r.linked ? 'au.chain.unlinked' : 'au.chain.ok';
  return h('td', { class: r.hash_ok && r.linked ? 'flag-pass' : 'flag-block', 'data-testid': 'chain', 'data-ok': String(r.hash_ok && r.linked), i18n: key });
}

function recordsTable(records) {
  if (!records.length) return h('p', { class: 'notice notice-info', 'data-testid': 'audit-empty', i18n: 'au.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'audit-records' },
    h('thead', null, h('tr', null, ['au.col.seq', 'au.col.at', 'au.col.actor', 'au.col.action', 'au.col.subject', 'au.col.chain', 'au.col.detail']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, records.map((r) => h('tr', { 'data-seq': String(r.seq) },
      h('td', { class: 'mono' }, String(r.seq)),
      h('td', { class: 'nowrap' }, fmtTime(r.at)),
      h('td', null, h('a', { href: pageUrl('audit.html', { actor: r.actor }) }, r.actor), r.role ? h('div', { class: 'muted small' }, r.role) : null),
      h('td', { class: 'mono' }, r.action),
      h('td', null, h('a', { href: pageUrl('audit.html', { obj_type: r.obj_type, obj_id: r.obj_id }) }, `${r.obj_type} ${r.obj_id}`)),
      chainCell(r),
      h('td', null, h('details', null, h('summary', { i18n: 'au.show' }),
        h('pre', { class: 'small' }, JSON.stringify(r.summary, null, 1)),
        h('div', { class: 'mono small' }, T('au.prev'), ' ', r.prev_hash),
        h('div', { class: 'mono small' }, T('au.hash'), ' ', r.hash))))))));
}

function verifyPanel() {
  const out = h('div', { 'data-testid': 'verify-result', role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'verify', i18n: 'au.verify' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    fill(out, h('p', { class: 'loading', i18n: 'loading' }));
    const r = await api.get('/api/v1/supervision/audit/verify');
    btn.disabled = false;
    if (!r.ok) return fill(out, h('p', { class: 'notice notice-error', role: 'alert' }, T(errorKey(r.error)), ' ', r.error.message));
    const v = r.data;
    return fill(out, v.intact
      ? h('p', { class: 'notice notice-ok', 'data-intact': 'true' }, T('au.intact', { n: v.records }))
      : h('p', { class: 'notice notice-error', 'data-intact': 'false' }, T('au.broken', { seq: v.bad_seq, n: v.records }), ' ', v.problem,
        ' ', h('a', { href: pageUrl('audit.html', { before: v.bad_seq + 1 }) }, T('au.goto'))));
  });
  return h('section', { class: 'panel' }, h('h2', { i18n: 'au.verify.title' }), h('p', { class: 'muted', i18n: 'au.verify.text' }), btn, out);
}

const account = await initWork({ active: 'audit', roles: ['supervisor'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const q = {};
  for (const [k] of FIELDS) if (p.get(k)) q[k] = p.get(k);
  for (const k of ['from', 'to', 'before']) if (p.get(k)) q[k] = p.get(k);
  const r = await api.get(`/api/v1/supervision/audit${api.qs({ ...q, limit: 50 })}`);
  const exportQ = { ...q };
  delete exportQ.before;
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'au.title' }), h('p', { class: 'muted', i18n: 'au.text' })),
    h('section', { class: 'panel' },
      h('form', { class: 'sv-filters', method: 'get', action: 'audit.html', 'data-testid': 'audit-filter' },
        FIELDS.map(([k, max]) => h('label', { for: `f-${k}` }, T(`au.f.${k}`), h('input', { id: `f-${k}`, name: k, value: q[k] || '', maxlength: max }))),
        h('label', { for: 'f-from' }, T('au.f.from'), h('input', { id: 'f-from', name: 'from', type: 'date', value: q.from || '' })),
        h('label', { for: 'f-to' }, T('au.f.to'), h('input', { id: 'f-to', name: 'to', type: 'date', value: q.to || '' })),
        h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'au.search' })),
      h('p', null, h('a', { class: 'btn btn-ghost btn-sm', 'data-testid': 'audit-csv', href: `/api/v1/supervision/audit.csv${api.qs(exportQ)}`, download: 'ywtb-audit.csv', i18n: 'au.csv' }))),
    verifyPanel(),
    h('section', { class: 'panel' },
      r.ok ? [h('p', { class: 'muted', 'data-testid': 'audit-head' }, T('au.head', { n: r.data.head })),
        recordsTable(r.data.records),
        r.data.next_before ? h('a', { class: 'btn btn-ghost btn-sm', 'data-testid': 'audit-older', href: pageUrl('audit.html', { ...q, before: r.data.next_before }), i18n: 'au.older' }) : null]
        : h('p', { class: 'notice notice-error', role: 'alert', 'data-testid': 'audit-error' }, T(errorKey(r.error)), ' ', r.error.message))));
}
