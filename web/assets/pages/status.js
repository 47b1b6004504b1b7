// status.js - status.html?case_no= : the public status query (no login).  The
// case number and the applicant's ID number or credit code show the status,
// the steps with their dates and the clock, and nothing personal.  The QR
// codes on the notice PDFs point here with case_no filled in.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { initPage, setTitleExtra } from '../layout.js';
import * as api from '../api.js';
import { normalize, checkId, checkUscc } from '../cnid.js';
import { field, setError, clearField, formAlert, showAlert, errorKey } from '../forms.js';
import { statusBadge, clockBox, publicSteps, fmtTime, deptName } from '../casefmt.js';

const main = document.getElementById('main');
const p = params();
let depts = [];

const CASE_NO = /^XH\d{14,}$/;

export function normalizeCaseNo(v) {
  return normalize(v).replace(/[^0-9A-Z]/g, '');
}

const alertBox = formAlert('status-alert');
const result = h('div', { class: 'status-result', 'aria-live': 'polite', 'data-testid': 'status-result' });
const submit = h('button', { type: 'submit', class: 'btn', i18n: 'status.query' });
const form = h('form', { id: 'form-status', class: 'status-form', novalidate: true, 'aria-labelledby': 'status-title' },
  alertBox,
  field({ prefix: 'q', name: 'case_no', label: 'status.caseNo', hint: 'status.caseNo.hint', maxlength: 40, autocapitalize: 'characters', value: p.get('case_no') || '' }),
  field({ prefix: 'q', name: 'ident', label: 'status.ident', hint: 'status.ident.hint', maxlength: 24, autocapitalize: 'characters' }),
  h('div', { class: 'form-actions' }, submit));

function show(d, caseNo, ident) {
  setTitleExtra(d.title);
  const sheet = `/api/v1/public/case-status.pdf${api.qs({ case_no: caseNo, [ident.kind]: ident.value })}`;
  fill(result, h('section', { class: 'panel status-card', 'aria-labelledby': 'status-case' },
    h('div', { class: 'case-head' },
      h('div', { class: 'case-head-main' },
        h('p', { class: 'case-no' }, h('span', { i18n: 'case.no' }), '：', h('span', { class: 'mono', 'data-testid': 'status-case-no' }, d.case_no)),
        h('h2', { id: 'status-case', 'data-testid': 'status-title' }, d.title),
        h('p', { class: 'muted' }, deptName(depts, d.dept), d.submitted_at ? [' · ', h('span', { i18n: 'case.submittedAt', args: { t: fmtTime(d.submitted_at) } })] : null)),
      h('div', { class: 'case-head-status', 'data-testid': 'status-status' }, statusBadge(d.status, 'status-lg'))),
    h('div', { class: 'status-grid' },
      h('div', null, h('h3', { i18n: 'status.steps' }), publicSteps(d.steps)),
      h('div', null, h('h3', { i18n: 'case.clock' }), clockBox(d.clock))),
    h('p', { class: 'status-tools' },
      h('a', { class: 'btn btn-ghost', href: sheet, target: '_blank', rel: 'noopener', 'data-testid': 'status-pdf', i18n: 'status.print' }))));
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  alertBox.replaceChildren();
  result.replaceChildren();
  const caseNo = normalizeCaseNo(form.elements.case_no.value);
  const identRaw = normalize(form.elements.ident.value);
  let first = null;
  if (!caseNo) {
    setError(form, 'case_no', 'err.required');
    first = first || 'case_no';
  } else if (!CASE_NO.test(caseNo)) {
    setError(form, 'case_no', 'status.err.caseNo');
    first = first || 'case_no';
  } else clearField(form, 'case_no');
  let ident = null;
  if (!identRaw) {
    setError(form, 'ident', 'err.required');
    first = first || 'ident';
  } else if (checkId(identRaw).ok) {
    ident = { kind: 'id_number', value: identRaw };
    clearField(form, 'ident');
  } else if (checkUscc(identRaw).ok) {
    ident = { kind: 'uscc', value: identRaw };
    clearField(form, 'ident');
  } else {
    setError(form, 'ident', 'status.err.ident');
    first = first || 'ident';
  }
  if (first) {
    form.elements[first].focus();
    return;
  }
  form.elements.case_no.value = caseNo;
  submit.disabled = true;
  const r = await api.get(`/api/v1/public/case-status${api.qs({ case_no: caseNo, [ident.kind]: ident.value })}`);
  submit.disabled = false;
  if (r.ok) {
    history.replaceState(null, '', pageUrl('status.html', { case_no: caseNo }));
    show(r.data, caseNo, ident);
    return;
  }
  if (r.status === 404) showAlert(alertBox, 'status.notFound');
  else if (r.status === 429) showAlert(alertBox, 'err.rate_limited');
  else showAlert(alertBox, errorKey(r.error), null, r.error && r.error.message);
});

fill(main, h('div', { class: 'wrap page' },
  h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
    h('ol', null, h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })), h('li', { 'aria-current': 'page', i18n: 'status.title' }))),
  h('div', { class: 'status-layout' },
    h('div', { class: 'page-head' },
      h('h1', { id: 'status-title', i18n: 'status.title' }),
      h('p', { i18n: 'status.intro' })),
    h('div', { class: 'panel' }, form),
    result,
    h('p', { class: 'muted status-privacy' }, T('status.privacy')))));

await initPage({ active: '' });
const d = await api.departments();
depts = d.ok ? d.data.items : [];
if (p.get('case_no')) form.elements.ident.focus();
