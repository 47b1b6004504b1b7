// work/data.js - workbench/data.html : 数据共享, the data hub as staff use it.
//   #catalog   browse and search the data resource catalog; a resource's data
//              items, quality and freshness; request a conditional one for the
//              own department; data officers of the owning department edit it
//              (a new version)
//   #grants    sharing requests and grants of the own department and for its
//              resources: the owning department's data officer approves
//              (ticked items only), denies or revokes
//   #read      read a subject's records with a purpose (a case number or a
//              purpose and what for): the read goes to their ledger first
//   #tasks     data corrections to check (data officers) and disputed reads
//              (the reading department, supervisors)
import { h, T, bi, fill } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { initWork, hasRole, depts } from '../work-layout.js';
import { fmtTime, deptName } from '../casefmt.js';
import '../i18n-datahub.js';

const main = document.getElementById('main');
const D = '/api/v1/datahub';
const TABS = ['catalog', 'grants', 'read', 'tasks'];
let account = null;
let panel;
let tabs = {};

const manages = (dept) => hasRole(account, 'admin') || (hasRole(account, 'data_officer') && (account.dept === dept || account.dept === 'XH-DSJ'));
const dn = (code) => deptName(depts(), code) || code;
const errorBox = (r) => h('p', { class: 'notice notice-error', role: 'alert' }, r.error ? r.error.message : String(r.status));
const okBox = (key, args) => h('p', { class: 'notice notice-ok', role: 'status', i18n: key, args });

function select(tab) {
  for (const [k, b] of Object.entries(tabs)) b.setAttribute('aria-selected', k === tab ? 'true' : 'false');
  if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  fill(panel, h('p', { class: 'loading', i18n: 'loading' }));
  ({ catalog, grants, read, tasks })[tab](panel);
}

/* ---- catalog ---- */

async function catalog(box, q = '') {
  const input = h('input', { type: 'search', value: q, i18nAttr: 'placeholder:work.dh.search;aria-label:work.dh.search', 'data-testid': 'dh-search' });
  const list = h('div');
  const detail = h('div', { 'data-testid': 'dh-detail' });
  const load = async () => {
    const r = await api.get(`${D}/resources${api.qs({ q: input.value.trim(), limit: 200 })}`);
    if (!r.ok) return fill(list, errorBox(r));
    fill(list, h('p', { class: 'muted', i18n: 'work.dh.count', args: { n: r.data.items.length } }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'dh-table', 'data-testid': 'dh-catalog' },
        h('tbody', null, r.data.items.map((res) => h('tr', { 'data-resource': res.code },
          h('td', { class: 'mono' }, res.code),
          h('td', null, h('a', { href: `#catalog`, onclick: (e) => { e.preventDefault(); resource(detail, res.code); } }, bi(res.name, res.name_en))),
          h('td', null, dn(res.dept)),
          h('td', null, T(`dh.share.${res.share_type}`)),
          h('td', null, T(`work.dh.subjectKind.${res.subject_kind}`))))))));
  };
  input.addEventListener('change', load);
  fill(box, h('div', { class: 'dh-inline' }, input), detail, list);
  await load();
}

async function resource(box, code) {
  const r = await api.get(`${D}/resources/${encodeURIComponent(code)}`);
  if (!r.ok) return fill(box, errorBox(r));
  const res = r.data;
  const q = res.quality || {};
  const out = h('div');
  const requestForm = () => {
    const checks = res.fields.map((f) => h('label', { class: 'dh-inline' }, h('input', { type: 'checkbox', value: f.key, 'data-field': f.key }), bi(f.name, f.name_en)));
    const purpose = h('input', { required: true, maxlength: 500, 'data-testid': 'req-purpose' });
    const basis = h('input', { required: true, maxlength: 500, 'data-testid': 'req-basis' });
    const until = h('input', { type: 'date', required: true, 'data-testid': 'req-until' });
    const f = h('form', { class: 'dh-form panel', 'data-testid': 'dh-request' },
      h('fieldset', null, h('legend', { i18n: 'work.dh.requestFields' }), checks),
      h('label', null, T('work.dh.requestPurpose'), purpose),
      h('label', null, T('work.dh.requestBasis'), basis),
      h('label', null, T('work.dh.requestUntil'), until),
      h('div', null, h('button', { type: 'submit', class: 'btn', i18n: 'work.dh.request' })));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const fields = checks.map((c) => c.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
      const g = await api.post(`${D}/grants`, { resource: res.code, fields, purpose: purpose.value, legal_basis: basis.value, until: until.value });
      fill(out, g.ok ? okBox('work.dh.requestSent') : errorBox(g));
    });
    fill(out, f);
  };
  const editForm = () => {
    const text = h('textarea', { rows: 16, class: 'mono', 'data-testid': 'dh-edit-json' });
    const { quality, version, updated_at, ...doc } = res;
    text.value = JSON.stringify(doc, null, 1);
    const f = h('form', { class: 'dh-form panel' }, text, h('div', null, h('button', { type: 'submit', class: 'btn', i18n: 'work.dh.save' })));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      let body;
      try {
        body = JSON.parse(text.value);
      } catch (x) {
        return fill(out, h('p', { class: 'notice notice-error' }, String(x.message)));
      }
      const u = await api.put(`${D}/resources/${encodeURIComponent(res.code)}`, body);
      fill(out, u.ok ? okBox('work.dh.saved', { v: u.data.version }) : errorBox(u));
    });
    fill(out, f);
  };
  const canRequest = res.share_type === 'conditional' && res.dept !== account.dept && hasRole(account, 'data_officer', 'reviewer', 'chief_approver', 'admin');
  fill(box, h('section', { class: 'panel dh-res', 'data-resource': res.code },
    h('h2', null, bi(res.name, res.name_en), ' ', h('span', { class: 'mono dh-meta' }, `${res.code} v${res.version}`)),
    h('p', { class: 'dh-meta' }, dn(res.dept), ' · ', T(`dh.share.${res.share_type}`), ' · ', T(`dh.freq.${res.frequency}`), ' · ', h('span', { i18n: 'dh.basis' }), '：', res.legal_basis),
    res.description ? h('p', null, res.description) : null,
    h('p', { class: 'dh-meta', 'data-testid': 'dh-quality', i18n: 'work.dh.quality', args: { rows: q.rows, subjects: q.subjects, refused: q.rows_refused, fresh: t(`work.dh.fresh.${q.freshness}`) } }),
    h('table', { class: 'dh-table' }, h('tbody', null, res.fields.map((f) => h('tr', null,
      h('td', { class: 'mono' }, f.key), h('td', null, bi(f.name, f.name_en)), h('td', null, f.type), h('td', null, `L${f.sensitivity}`), h('td', null, f.masked ? '***' : ''))))),
    h('div', { class: 'dh-inline' },
      canRequest ? h('button', { type: 'button', class: 'btn', i18n: 'work.dh.request', onclick: requestForm, 'data-testid': 'dh-request-open' }) : null,
      manages(res.dept) ? h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'work.dh.edit', onclick: editForm }) : null),
    out));
}

/* ---- grants ---- */

async function grants(box) {
  const r = await api.get(`${D}/grants`);
  if (!r.ok) return fill(box, errorBox(r));
  if (!r.data.items.length) return fill(box, h('p', { class: 'muted', i18n: 'work.dh.grant.empty' }));
  fill(box, h('div', { class: 'table-wrap' }, h('table', { class: 'dh-table', 'data-testid': 'dh-grants' }, h('tbody', null, r.data.items.map((g) => {
    const act = h('td');
    const note = h('div');
    if (manages(g.owner_dept) && g.status === 'pending') {
      const checks = g.requested.map((k) => h('label', { class: 'dh-inline' }, h('input', { type: 'checkbox', value: k, checked: true }), k));
      const reason = h('input', { i18nAttr: 'placeholder:work.dh.grant.reason', maxlength: 500 });
      const approve = h('button', { type: 'button', class: 'btn btn-sm', i18n: 'work.dh.grant.approve', 'data-testid': 'grant-approve' });
      const deny = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.dh.grant.deny' });
      approve.addEventListener('click', async () => {
        const fields = checks.map((c) => c.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
        const x = await api.post(`${D}/grants/${g.id}/approve`, { fields });
        if (x.ok) grants(box); else fill(note, errorBox(x));
      });
      deny.addEventListener('click', async () => {
        const x = await api.post(`${D}/grants/${g.id}/deny`, { reason: reason.value });
        if (x.ok) grants(box); else fill(note, errorBox(x));
      });
      fill(act, checks, reason, h('div', { class: 'dh-inline' }, approve, deny), note);
    } else if (manages(g.owner_dept) && g.status === 'approved') {
      const reason = h('input', { i18nAttr: 'placeholder:work.dh.grant.reason', maxlength: 500 });
      const revoke = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.dh.grant.revoke' });
      revoke.addEventListener('click', async () => {
        const x = await api.post(`${D}/grants/${g.id}/revoke`, { reason: reason.value });
        if (x.ok) grants(box); else fill(note, errorBox(x));
      });
      fill(act, reason, revoke, note);
    }
    return h('tr', { 'data-grant': g.id, 'data-status': g.status },
      h('td', null, g.resource_name, h('div', { class: 'dh-meta mono' }, g.resource)),
      h('td', null, dn(g.dept), ' → ', dn(g.owner_dept)),
      h('td', null, g.purpose, h('div', { class: 'dh-meta' }, g.legal_basis), h('div', { class: 'dh-meta' }, g.until)),
      h('td', null, (g.status === 'approved' ? g.fields : g.requested).map((k) => h('span', { class: 'dh-chip' }, k))),
      h('td', null, T(`work.dh.grant.status.${g.status}`), g.reason ? h('div', { class: 'dh-meta' }, g.reason) : null),
      act);
  })))));
}

/* ---- read with a purpose ---- */

async function read(box) {
  const resIn = h('input', { maxlength: 32, 'data-testid': 'read-resource', class: 'mono', i18nAttr: 'placeholder:work.dh.read.all' });
  const subj = h('input', { required: true, maxlength: 18, 'data-testid': 'read-subject', class: 'mono' });
  const purpose = h('select', { 'data-testid': 'read-purpose' }, ['case', 'service', 'inspection', 'investigation', 'emergency'].map((p) => h('option', { value: p, i18n: `dh.purpose.${p}`, args: { case_no: '' } })));
  const caseNo = h('input', { maxlength: 40, 'data-testid': 'read-case' });
  const text = h('input', { maxlength: 200, 'data-testid': 'read-text' });
  const out = h('div', { 'data-testid': 'read-out' });
  const f = h('form', { class: 'dh-form panel' },
    h('label', null, T('work.dh.read.resource'), resIn),
    h('label', null, T('work.dh.read.subject'), subj),
    h('label', null, T('work.dh.read.purpose'), purpose),
    h('label', null, T('work.dh.read.caseNo'), caseNo),
    h('label', null, T('work.dh.read.text'), text),
    h('p', { class: 'muted small', i18n: 'work.dh.read.note' }),
    h('div', null, h('button', { type: 'submit', class: 'btn', i18n: 'work.dh.read.go' })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = api.qs({ purpose: purpose.value, case_no: caseNo.value.trim(), purpose_text: text.value.trim() });
    const code = resIn.value.trim();
    const r = await api.get(code ? `${D}/resources/${encodeURIComponent(code)}/subjects/${encodeURIComponent(subj.value.trim())}${q}`
      : `${D}/subjects/${encodeURIComponent(subj.value.trim())}${q}`);
    if (!r.ok) return fill(out, errorBox(r));
    const one = (x) => [h('h3', null, x.resource_name, ' · ', r.data.subject),
      x.records.length ? h('table', { class: 'dh-table', 'data-testid': 'read-records', 'data-resource': x.resource },
        h('thead', null, h('tr', null, x.fields.map((k) => h('th', { class: 'mono' }, k)))),
        h('tbody', null, x.records.map((rec) => h('tr', null, x.fields.map((k) => h('td', { 'data-field': k }, rec.data[k] === undefined ? '' : String(rec.data[k]))))))) : h('p', { class: 'muted', i18n: 'work.dh.read.none' })];
    fill(out, code ? one(r.data) : [r.data.resources.map(one), r.data.withheld ? h('p', { class: 'muted', i18n: 'work.dh.read.withheld', args: { n: r.data.withheld } }) : null]);
  });
  fill(box, f, out);
}

/* ---- corrections and disputes ---- */

async function tasks(box) {
  const parts = [];
  if (hasRole(account, 'data_officer', 'admin')) {
    const r = await api.get(`${D}/corrections`);
    const open = r.ok ? r.data.items.filter((c) => c.status === 'open') : [];
    parts.push(h('h2', { i18n: 'work.dh.tasks.corrections' }), !r.ok ? errorBox(r) : open.length ? h('table', { class: 'dh-table', 'data-testid': 'dh-corrections' }, h('tbody', null, open.map((c) => {
      const answer = h('input', { maxlength: 1000, i18nAttr: 'placeholder:work.dh.tasks.answer' });
      const cell = h('td');
      const decide = (decision) => async () => {
        const x = await api.post(`${D}/corrections/${c.id}/answer`, { decision, answer: answer.value });
        fill(cell, x.ok ? okBox('dh.done') : errorBox(x));
      };
      fill(cell, answer, h('button', { type: 'button', class: 'btn btn-sm', i18n: 'work.dh.tasks.correct', onclick: decide('corrected') }),
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.dh.tasks.reject', onclick: decide('rejected') }));
      return h('tr', { 'data-correction': c.id }, h('td', null, c.resource_name, h('div', { class: 'dh-meta mono' }, c.subject)), h('td', null, c.field),
        h('td', null, c.current, ' → ', h('strong', null, c.proposed), h('div', { class: 'dh-meta' }, c.reason)), h('td', { i18n: 'dh.corr.due', args: { due: c.due } }), cell);
    }))) : h('p', { class: 'muted', i18n: 'work.dh.tasks.empty' }));
  }
  if (hasRole(account, 'data_officer', 'supervisor', 'admin')) {
    const r = await api.get(`${D}/disputes`);
    const open = r.ok ? r.data.items.filter((d) => d.status === 'open') : [];
    parts.push(h('h2', { i18n: 'work.dh.tasks.disputes' }), !r.ok ? errorBox(r) : open.length ? h('table', { class: 'dh-table', 'data-testid': 'dh-disputes' }, h('tbody', null, open.map((d) => {
      const answer = h('input', { maxlength: 1000, i18nAttr: 'placeholder:work.dh.tasks.answer' });
      const cell = h('td');
      fill(cell, answer, h('button', { type: 'button', class: 'btn btn-sm', i18n: 'work.dh.tasks.answer', onclick: async () => {
        const x = await api.post(`${D}/disputes/${d.id}/answer`, { answer: answer.value });
        fill(cell, x.ok ? okBox('dh.done') : errorBox(x));
      } }));
      return h('tr', { 'data-dispute': d.id }, h('td', null, fmtTime(d.read_at)), h('td', null, dn(d.reader_dept), ' ', d.reader_name),
        h('td', null, d.resource_name, h('div', { class: 'dh-meta' }, d.purpose, ' ', d.case_no || d.purpose_text)), h('td', null, d.reason), cell);
    }))) : h('p', { class: 'muted', i18n: 'work.dh.tasks.empty' }));
  }
  fill(box, parts.length ? parts : h('p', { class: 'muted', i18n: 'work.dh.tasks.empty' }));
}

account = await initWork({ active: 'data' });
if (account) {
  panel = h('div', { role: 'tabpanel' });
  tabs = Object.fromEntries(TABS.map((k) => [k, h('button', { type: 'button', role: 'tab', i18n: `work.dh.tab.${k}`, 'data-tab': k, onclick: () => select(k) })]));
  fill(main, h('div', { class: 'wrap page dh-page' }, h('h1', { i18n: 'title.work.data' }), h('div', { class: 'dh-tabs', role: 'tablist' }, Object.values(tabs)), panel));
  const want = location.hash.slice(1);
  select(TABS.includes(want) ? want : 'catalog');
}
