// mydata.js - mydata.html : 我的数据, what the data hub holds about the
// logged-in person or company and who used it.  Three tabs: my file
// (一人一档 / 一企一档: the records of every self-viewable resource), my ledger
// (用数记录: every read - department, person or system, data items, purpose -
// with a dispute button) and data corrections (数据纠错: report a wrong value,
// follow the answer).  ?report=RESOURCE.field opens the correction form for
// that item (the apply form's "report as wrong" link).
import { h, T, bi, fill, params } from '../dom.js';
import { initPage, failure, loginHref } from '../layout.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtTime, deptName } from '../casefmt.js';
import '../i18n-datahub.js';

const main = document.getElementById('main');
const TABS = ['file', 'ledger', 'corrections'];
let depts = [];
let fileData = null;

function value(v) {
  return v === null || v === undefined ? '' : String(v);
}

function fieldName(fields, key) {
  const f = (fields || []).find((x) => x.key === key);
  return f ? bi(f.name, f.name_en) : key;
}

async function fileTab(box) {
  const r = await api.get('/api/v1/datahub/me/file');
  if (!r.ok) return fill(box, failure(r));
  fileData = r.data;
  const list = r.data.resources || [];
  fill(box,
    h('p', { class: 'muted', i18n: r.data.kind === 'enterprise' ? 'dh.file.intro.enterprise' : 'dh.file.intro.person' }),
    /* the rest of the file lives on its own pages */
    h('p', { class: 'dh-inline', 'data-testid': 'file-links' },
      h('a', { class: 'btn btn-ghost btn-sm', href: 'me.html', i18n: 'me.title' }),
      h('a', { class: 'btn btn-ghost btn-sm', href: 'licenses.html', i18n: 'wallet.title' }),
      h('a', { class: 'btn btn-ghost btn-sm', href: 'cases.html', i18n: 'account.cases' })),
    list.length ? list.map((res) => h('section', { class: 'panel dh-res', 'data-resource': res.resource },
      h('h3', null, bi(res.name, res.name_en), ' ', h('span', { class: 'dh-meta' }, deptName(depts, res.dept))),
      res.records.map((rec) => h('div', null,
        h('dl', null, (res.fields || []).filter((f) => rec.data[f.key] !== undefined).map((f) => [
          h('dt', null, bi(f.name, f.name_en)),
          h('dd', { 'data-field': f.key }, value(rec.data[f.key]), ' ',
            h('a', { href: `#corrections`, class: 'small', 'data-report': `${res.resource}.${f.key}`, onclick: () => openReport(res.resource, f.key, rec.record_key), i18n: 'dh.file.report' })),
        ])),
        h('p', { class: 'dh-meta', i18n: 'dh.file.updated', args: { t: fmtTime(rec.updated_at) } }))))) : h('div', { class: 'notice notice-info' }, h('p', { i18n: 'dh.file.empty' })));
}

function readerText(e) {
  const dept = deptName(depts, e.reader_dept) || e.reader_dept;
  if (e.reader_kind === 'system') return t('dh.reader.system', { dept, client: e.reader || '' });
  if (e.reader_kind === 'prefill') return t('dh.reader.prefill', { dept });
  if (e.reader_kind === 'sso') return t('dh.reader.sso', { dept, name: e.reader_name });
  return t('dh.reader.staff', { dept, name: e.reader_name });
}

function purposeText(e) {
  const main = t(`dh.purpose.${e.purpose}`, { case_no: e.case_no });
  if (e.purpose === 'login') return main;
  // a submission's prefill read: the service item and its case number
  if (e.purpose === 'prefill' && e.case_no) return `${main}：${e.purpose_text}（${e.case_no}）`;
  return e.purpose_text && e.purpose !== 'case' ? `${main}：${e.purpose_text}` : e.purpose_text ? `${main}（${e.purpose_text}）` : main;
}

async function ledgerTab(box) {
  const r = await api.get('/api/v1/datahub/me/ledger?limit=200');
  if (!r.ok) return fill(box, failure(r));
  const items = r.data.items || [];
  const rows = items.map((e) => {
    const cell = h('td');
    const disputeBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'dh.ledger.dispute', 'data-testid': 'dispute' });
    disputeBtn.addEventListener('click', async () => {
      const reason = window.prompt(t('dh.ledger.disputeReason'));
      if (!reason) return;
      const d = await api.post(`/api/v1/datahub/me/ledger/${e.id}/dispute`, { reason });
      fill(cell, d.ok ? h('span', { i18n: 'dh.ledger.disputeSent' }) : h('span', { class: 'notice-error' }, d.error.message));
    });
    if (!e.dispute) fill(cell, disputeBtn);
    else if (e.dispute.status === 'open') fill(cell, T('dh.ledger.disputed'));
    else fill(cell, h('span', { i18n: 'dh.ledger.answered', args: { answer: e.dispute.answer } }));
    return h('tr', { 'data-ledger': e.id },
      h('td', { class: 'nowrap' }, fmtTime(e.at)),
      h('td', null, readerText(e)),
      h('td', null, e.resource_name, h('div', { class: 'dh-meta' }, deptName(depts, e.owner_dept))),
      h('td', null, (e.fields || []).map((f) => h('span', { class: 'dh-chip' }, f))),
      h('td', null, purposeText(e), e.seal_basis ? h('div', { class: 'dh-sealed small', i18n: 'dh.ledger.sealed', args: { basis: e.seal_basis } }) : null),
      cell);
  });
  fill(box,
    h('p', { class: 'muted', i18n: 'dh.ledger.intro' }),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'dh-table', 'data-testid': 'ledger' },
      h('thead', null, h('tr', null, ['dh.ledger.at', 'dh.ledger.who', 'dh.ledger.resource', 'dh.ledger.fields', 'dh.ledger.purpose'].map((k) => h('th', { i18n: k })), h('th'))),
      h('tbody', null, rows))) : h('div', { class: 'notice notice-info', 'data-testid': 'ledger-empty' }, h('p', { i18n: 'dh.ledger.empty' })));
}

let reportPreset = null;
function openReport(resource, field, recordKey) {
  reportPreset = { resource, field, record_key: recordKey };
  select('corrections');
}

async function correctionsTab(box) {
  if (!fileData) {
    const f = await api.get('/api/v1/datahub/me/file');
    fileData = f.ok ? f.data : { resources: [] };
  }
  const r = await api.get('/api/v1/datahub/me/corrections');
  if (!r.ok) return fill(box, failure(r));
  const res = fileData.resources || [];
  const resSel = h('select', { name: 'resource', 'data-testid': 'corr-resource' }, res.map((x) => h('option', { value: x.resource }, x.name)));
  const fieldSel = h('select', { name: 'field', 'data-testid': 'corr-field' });
  const fillFields = () => {
    const x = res.find((y) => y.resource === resSel.value);
    fill(fieldSel, (x ? x.fields : []).map((f) => h('option', { value: f.key }, f.name)));
  };
  resSel.addEventListener('change', fillFields);
  if (reportPreset) resSel.value = reportPreset.resource;
  fillFields();
  if (reportPreset) fieldSel.value = reportPreset.field;
  const proposed = h('input', { name: 'proposed', maxlength: 500, required: true, 'data-testid': 'corr-proposed' });
  const reason = h('textarea', { name: 'reason', maxlength: 500, rows: 2, required: true, 'data-testid': 'corr-reason' });
  const out = h('div', { role: 'status' });
  const form = h('form', { class: 'dh-form panel', 'data-testid': 'corr-form' },
    h('label', null, T('dh.corr.resource'), resSel),
    h('label', null, T('dh.corr.field'), fieldSel),
    h('label', null, T('dh.corr.proposed'), proposed),
    h('label', null, T('dh.corr.reason'), reason),
    h('div', null, h('button', { type: 'submit', class: 'btn', i18n: 'dh.corr.submit' })), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const c = await api.post('/api/v1/datahub/me/corrections', {
      resource: resSel.value, field: fieldSel.value, proposed: proposed.value, reason: reason.value,
      ...(reportPreset && reportPreset.record_key ? { record_key: reportPreset.record_key } : {}),
    });
    if (!c.ok) return fill(out, h('p', { class: 'notice notice-error' }, c.error.message));
    reportPreset = null;
    await correctionsTab(box);
    box.prepend(h('p', { class: 'notice notice-ok', 'data-testid': 'corr-sent', i18n: 'dh.corr.sent', args: { due: c.data.due } }));
  });
  const items = r.data.items || [];
  fill(box,
    h('p', { class: 'muted', i18n: 'dh.corr.intro' }),
    res.length ? form : null,
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'dh-table', 'data-testid': 'corrections' },
      h('thead', null, h('tr', null, ['dh.corr.resource', 'dh.corr.field', 'dh.corr.current', 'dh.corr.proposed', 'dh.corr.reason'].map((k) => h('th', { i18n: k })), h('th'))),
      h('tbody', null, items.map((c) => h('tr', { 'data-correction': c.id, 'data-status': c.status },
        h('td', null, c.resource_name), h('td', null, c.field), h('td', null, c.current), h('td', null, c.proposed), h('td', null, c.reason),
        h('td', null, T(`dh.corr.status.${c.status}`), c.status === 'open' ? h('div', { class: 'dh-meta', i18n: 'dh.corr.due', args: { due: c.due } }) : h('div', { class: 'dh-meta' }, c.answer))))))) : h('p', { class: 'muted', i18n: 'dh.corr.empty' }));
}

let tabButtons = {};
let panel;
function select(tab) {
  for (const [k, b] of Object.entries(tabButtons)) b.setAttribute('aria-selected', k === tab ? 'true' : 'false');
  if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  fill(panel, h('p', { class: 'loading', i18n: 'loading' }));
  ({ file: fileTab, ledger: ledgerTab, corrections: correctionsTab })[tab](panel);
}

async function render(account) {
  depts = (await api.departments()).data?.items || [];
  panel = h('div', { role: 'tabpanel', id: 'dh-panel' });
  tabButtons = Object.fromEntries(TABS.map((k) => [k, h('button', { type: 'button', role: 'tab', i18n: `dh.tab.${k}`, 'data-tab': k, onclick: () => select(k) })]));
  fill(main, h('div', { class: 'wrap page dh-page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'title.mydata' }), h('p', { class: 'muted' }, account.name, ' · ', account.login)),
    h('div', { class: 'dh-tabs', role: 'tablist' }, Object.values(tabButtons)),
    panel));
  const rep = params().get('report');
  if (rep && rep.includes('.')) {
    const [resource, field] = rep.split('.');
    reportPreset = { resource, field };
  }
  const want = location.hash.slice(1);
  select(reportPreset ? 'corrections' : TABS.includes(want) ? want : 'file');
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: 'mydata' });
if (!account) location.replace(loginHref());
else if (account.kind === 'staff') location.replace('workbench/data.html');
else await render(account);
