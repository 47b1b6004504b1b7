// work/credit.js - workbench/credit.html : credit records (信用) and the
// rules of joint punishment and reward (联合奖惩).  The window clerk and the
// reviewer check a subject (GET /api/v1/credit/flags: block, careful review
// or fast-track for an item) and read the checks made on a case (?case=);
// departments and supervisors enter records (POST /api/v1/credit/records) and
// end them by credit repair; supervisors add rules.
import { h, T, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { initWork, depts, hasRole, deptSelect } from '../work-layout.js';
import { deptName, fmtTime } from '../casefmt.js';
import { errorKey, formAlert, showAlert } from '../forms.js';

const main = document.getElementById('main');
const p = params();

const input = (id, name, attrs = {}) => h('input', { id, name, ...attrs });
const labelled = (key, el) => h('label', { for: el.id }, T(key), el);

/** A form that posts its fields as JSON, then reloads with ?done=1. */
function postForm(testid, path, fields, submitKey, extra = () => ({})) {
  const alert = formAlert(`${testid}-alert`);
  const form = h('form', { class: 'sv-filters', 'data-testid': testid, novalidate: true }, alert, fields.map(([k, el]) => labelled(k, el)),
    h('button', { type: 'submit', class: 'btn btn-sm', i18n: submitKey }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    for (const [, el] of fields) if (el.value.trim()) body[el.name] = el.value.trim();
    const r = await api.post(typeof path === 'function' ? path() : path, { ...body, ...extra() });
    if (!r.ok) return showAlert(alert, errorKey(r.error), null, r.error && r.error.message);
    location.replace(pageUrl('credit.html', { subject: p.get('subject') || body.subject_ident || '', done: 1 }));
    return null;
  });
  return form;
}

function flagsView(f) {
  return h('div', { 'data-testid': 'credit-flags', 'data-result': f.result },
    h('p', null, h('strong', { class: `flag-${f.result}`, i18n: `cr.result.${f.result}` })),
    f.flags.length ? h('ul', null, f.flags.map((x) => h('li', { 'data-measure': x.measure },
      h('span', { class: `flag-${x.measure}`, i18n: `cr.measure.${x.measure}` }), ' · ', x.record.category, ' · ',
      deptName(depts(), x.record.dept), ' · ', x.record.basis, x.note ? h('div', { class: 'muted' }, x.note) : null))) : null);
}

function recordTable(items, account) {
  if (!items.length) return h('p', { class: 'notice notice-info', 'data-testid': 'records-empty', i18n: 'cr.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'records' },
    h('thead', null, h('tr', null, ['cr.col.subject', 'cr.col.kind', 'cr.col.category', 'cr.col.dept', 'cr.col.basis', 'cr.col.valid', 'cr.col.status', 'cr.repair']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((r) => {
      const mayRepair = r.status === 'active' && r.kind === 'dishonest' &&
        (hasRole(account, 'supervisor', 'admin') || (hasRole(account, 'reviewer') && account.dept === r.dept));
      const note = input(`repair-${r.id}`, 'note', { maxlength: 1000 });
      return h('tr', { 'data-record': String(r.id), 'data-status': r.status },
        h('td', null, r.subject_name, h('div', { class: 'muted mono small' }, r.subject_ident)),
        h('td', { i18n: `cr.kind.${r.kind}` }),
        h('td', null, r.category, r.measures ? h('div', { class: 'muted small' }, r.measures) : null),
        h('td', null, deptName(depts(), r.dept)),
        h('td', null, r.basis),
        h('td', { class: 'nowrap' }, `${r.valid_from} – ${r.valid_to || ''}`),
        h('td', null, T(`cr.status.${r.status}`), r.repair_note ? h('div', { class: 'muted small' }, r.repair_note) : null,
          r.repair_request && r.status === 'active' ? h('div', { class: 'flag-flag small', 'data-testid': 'repair-request' }, T('cr.repairAsked'), '：', r.repair_request) : null),
        h('td', null, mayRepair ? postForm(`repair-form-${r.id}`, `/api/v1/credit/records/${r.id}/repair`, [['cr.repair.note', note]], 'cr.repair') : null));
    }))));
}

function rulesTable(items) {
  if (!items.length) return h('p', { class: 'notice notice-info', i18n: 'cr.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'rules' },
    h('thead', null, h('tr', null, ['cr.col.kind', 'cr.col.category', 'cr.col.target', 'cr.col.measure', 'cr.col.note'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((r) => h('tr', { 'data-rule': String(r.id) },
      h('td', { i18n: `cr.kind.${r.record_kind}` }), h('td', null, r.category || '—'),
      h('td', null, T(`cr.target.${r.target_kind}`), ' ', r.target_kind === 'dept' ? deptName(depts(), r.target) : r.target),
      h('td', { class: `flag-${r.measure}` }, T(`cr.measure.${r.measure}`), r.material ? h('div', { class: 'muted small mono' }, r.material) : null), h('td', null, r.note))))));
}

function checksView(caseNo, items) {
  return h('section', { class: 'panel', 'data-testid': 'credit-checks' }, h('h2', null, T('cr.checks'), ' ', h('span', { class: 'mono' }, caseNo)),
    items.length ? h('ul', null, items.map((c) => h('li', { 'data-result': c.result },
      T(`cr.stage.${c.stage}`), ' · ', h('strong', { class: `flag-${c.result}`, i18n: `cr.result.${c.result}` }), ' · ', fmtTime(c.at))))
      : h('p', { class: 'muted', i18n: 'cr.none' }));
}

const account = await initWork({ active: 'credit', roles: ['supervisor', 'window_clerk', 'reviewer', 'chief_approver', 'admin'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const subject = p.get('subject') || '';
  const item = p.get('item') || '';
  const caseNo = p.get('case') || '';
  const [fr, rr, ru, ch] = await Promise.all([
    subject ? api.get(`/api/v1/credit/flags${api.qs({ subject, item })}`) : null,
    api.get(`/api/v1/credit/records${api.qs({ subject })}`),
    api.get('/api/v1/credit/rules'),
    caseNo ? api.get(`/api/v1/credit/checks${api.qs({ case_no: caseNo })}`) : null]);
  const canRecord = hasRole(account, 'supervisor', 'reviewer', 'admin');
  const canRule = hasRole(account, 'supervisor', 'admin');
  const kind = h('select', { id: 'r-kind', name: 'kind' }, ['dishonest', 'honest'].map((k) => h('option', { value: k, i18n: `cr.kind.${k}` })));
  const rdept = hasRole(account, 'supervisor', 'admin') ? deptSelect('r-dept') : null;
  if (rdept) rdept.name = 'dept';
  const rkind = h('select', { id: 'u-kind', name: 'record_kind' }, ['dishonest', 'honest'].map((k) => h('option', { value: k, i18n: `cr.kind.${k}` })));
  const tkind = h('select', { id: 'u-tkind', name: 'target_kind' }, ['item', 'dept'].map((k) => h('option', { value: k, i18n: `cr.target.${k}` })));
  const measure = h('select', { id: 'u-measure', name: 'measure' }, ['block', 'flag', 'fast_track'].map((k) => h('option', { value: k, i18n: `cr.measure.${k}` })));
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'cr.title' }), h('p', { class: 'muted', i18n: 'cr.text' })),
    p.get('done') ? h('p', { class: 'notice notice-ok', role: 'status', i18n: 'cr.added' }) : null,
    h('section', { class: 'panel' }, h('h2', { i18n: 'cr.lookup' }),
      h('form', { class: 'sv-filters', method: 'get', action: 'credit.html', 'data-testid': 'lookup' },
        labelled('cr.subject', input('q-subject', 'subject', { value: subject, maxlength: 32 })),
        labelled('cr.item', input('q-item', 'item', { value: item, maxlength: 40 })),
        h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'cr.check' })),
      fr ? (fr.ok ? flagsView(fr.data) : h('p', { class: 'notice notice-error', role: 'alert' }, T(errorKey(fr.error)), ' ', fr.error.message)) : null),
    ch ? (ch.ok ? checksView(caseNo, ch.data.items) : h('p', { class: 'notice notice-error', role: 'alert' }, ch.error.message)) : null,
    h('section', { class: 'panel' }, h('h2', { i18n: 'cr.records' }),
      rr.ok ? recordTable(rr.data.items, account) : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' }),
      canRecord ? [h('h3', { i18n: 'cr.add' }), postForm('record-form', '/api/v1/credit/records', [
        ['cr.subject', input('r-ident', 'subject_ident', { maxlength: 32 })],
        ['cr.add.name', input('r-name', 'subject_name', { maxlength: 100 })],
        ['cr.col.kind', kind],
        ['cr.col.category', input('r-cat', 'category', { maxlength: 100 })],
        rdept ? ['cr.col.dept', rdept] : null,
        ['cr.col.basis', input('r-basis', 'basis', { maxlength: 500 })],
        ['cr.add.measures', input('r-measures', 'measures', { maxlength: 1000 })],
        ['cr.add.from', input('r-from', 'valid_from', { type: 'date' })],
        ['cr.add.to', input('r-to', 'valid_to', { type: 'date' })],
      ].filter(Boolean), 'cr.add.do')] : null),
    h('section', { class: 'panel' }, h('h2', { i18n: 'cr.rules' }),
      ru.ok ? rulesTable(ru.data.items) : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' }),
      canRule ? [h('h3', { i18n: 'cr.rule.add' }), postForm('rule-form', '/api/v1/credit/rules', [
        ['cr.col.kind', rkind],
        ['cr.rule.category', input('u-cat', 'category', { maxlength: 100 })],
        ['cr.col.target', tkind],
        ['cr.col.target', input('u-target', 'target', { maxlength: 40 })],
        ['cr.col.measure', measure],
        ['cr.col.material', input('u-material', 'material', { maxlength: 64 })],
        ['cr.col.note', input('u-note', 'note', { maxlength: 500 })],
      ], 'cr.add.do')] : null)));
}
