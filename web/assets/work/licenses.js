// work/licenses.js - workbench/licenses.html : e-licenses as a department sees
// them.
//   (no query) | ?holder= | ?dept=&type=   look licenses up by holder (ID number or
//                                         credit code) or by issuing department
//   ?id=                                  one license: its fields, the signed
//                                         document and its verification (POST
//                                         /licenses/verify), the use log, the print;
//                                         the issuing department suspends, revokes
//                                         (final) or reinstates it with a reason
//   ?issue=1[&type=]                      issue one directly (licenses from before
//                                         ywtb): a type of the own department, the
//                                         holder, the type's typed fields, validity
// Every staff member may look up; reviewers, data officers, chief approvers and
// admins act for their own department (admins for any).
import { h, T, fill, params, pageUrl } from '../dom.js';
import { t, getLang } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey, setError, clearField } from '../forms.js';
import { initWork, hasRole, depts, setWorkTitle } from '../work-layout.js';
import { fmtTime } from '../casefmt.js';
import { formFields } from '../applyform.js';
import { checkId, checkUscc, normalize } from '../cnid.js';
import {
  licBadge, licState, validity, licenseTypes, typeName, issuerName, fieldList, sourceText, checkUrl, verdictBox,
  verifyById, usesTable, maskIdent, documentView,
} from '../licfmt.js';

const main = document.getElementById('main');
const p = params();
const ISSUERS = ['reviewer', 'data_officer', 'chief_approver', 'admin'];
const PAGE = 50;
let account = null;
let types = [];

const isAdmin = () => hasRole(account, 'admin');
const canIssue = () => hasRole(account, ...ISSUERS);
/** The types this account issues: its department's (an admin: all). */
const myTypes = () => (isAdmin() ? types : types.filter((x) => x.dept === account.dept));
const canChange = (lic) => canIssue() && (isAdmin() || lic.issuer_dept === account.dept);

function section(id, key, ...content) {
  return h('section', { class: 'panel case-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: key }), content);
}

function labelled(id, key, control, opts = {}) {
  return h('div', { class: 'field', 'data-field': opts.name || id },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key }), opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    opts.hint ? h('p', { class: 'hint', id: `${id}-hint`, i18n: opts.hint, args: opts.hintArgs }) : null,
    h('p', { class: 'field-ok', id: `${id}-ok` }),
    h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
}

function deptOptions(sel, value, allowAll) {
  sel.append(h('option', { value: '', i18n: allowAll ? 'work.allDepts' : 'apply.choose' }));
  const withTypes = new Set(types.map((x) => x.dept));
  for (const d of depts()) {
    if (!withTypes.has(d.code)) continue;
    sel.append(h('option', { value: d.code, 'data-zh': d.name, 'data-en': d.name_en || d.name }, getLang() === 'en' && d.name_en ? d.name_en : d.name));
  }
  sel.value = value || '';
}

function typeOptions(sel, list, value, firstKey = 'wl.anyType') {
  sel.replaceChildren(h('option', { value: '', i18n: firstKey }));
  for (const x of list) sel.append(h('option', { value: x.code, 'data-zh': `${x.name}（${x.code}）`, 'data-en': `${x.name_en || x.name} (${x.code})` }, getLang() === 'en' && x.name_en ? `${x.name_en} (${x.code})` : `${x.name}（${x.code}）`));
  sel.value = value || '';
}

function head(titleKey, extra) {
  return [
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'work.nav.home' })),
        h('li', null, h('a', { href: 'licenses.html', i18n: 'wl.title' })),
        extra ? h('li', { 'aria-current': 'page' }, extra) : null)),
    h('div', { class: 'page-head page-head-row' },
      h('h1', { 'data-testid': 'wl-title', i18n: titleKey }),
      canIssue() && myTypes().length && !p.get('issue') ? h('a', { class: 'btn', href: pageUrl('licenses.html', { issue: 1 }), 'data-testid': 'to-issue', i18n: 'wl.issue' }) : null),
  ];
}

/* ---- look-up ---- */

function lookupPanel() {
  const box = formAlert('lookup-alert');
  const holder = h('input', { id: 'q-holder', name: 'holder', type: 'search', maxlength: '24', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'aria-describedby': 'q-holder-hint q-holder-error' });
  holder.value = p.get('holder') || '';
  const byHolder = h('form', { class: 'lookup-form', novalidate: true, 'data-testid': 'by-holder' },
    labelled('q-holder', 'wl.q.holder', holder, { name: 'holder', hint: 'wl.q.holder.hint' }),
    h('div', { class: 'field field-btn' }, h('button', { type: 'submit', class: 'btn', i18n: 'wl.q.do', 'data-testid': 'lookup-holder' })));
  byHolder.addEventListener('submit', (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    const v = normalize(holder.value);
    if (!checkId(v).ok && !checkUscc(v).ok) {
      setError(byHolder, 'holder', 'wl.err.holder');
      holder.focus();
      return;
    }
    location.href = pageUrl('licenses.html', { holder: v });
  });
  const dept = h('select', { id: 'q-dept', name: 'dept' });
  deptOptions(dept, p.get('dept') || (!p.get('holder') ? account.dept : ''), false);
  const type = h('select', { id: 'q-type', name: 'type' });
  const syncTypes = () => typeOptions(type, types.filter((x) => x.dept === dept.value), p.get('type') && types.some((x) => x.code === p.get('type') && x.dept === dept.value) ? p.get('type') : '');
  syncTypes();
  dept.addEventListener('change', syncTypes);
  const byDept = h('form', { class: 'lookup-form', novalidate: true, 'data-testid': 'by-dept' },
    labelled('q-dept', 'wl.q.dept', dept, { name: 'dept' }),
    labelled('q-type', 'wl.q.type', type, { name: 'type' }),
    h('div', { class: 'field field-btn' }, h('button', { type: 'submit', class: 'btn btn-ghost', i18n: 'wl.q.do', 'data-testid': 'lookup-dept' })));
  byDept.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!dept.value) {
      setError(byDept, 'dept', 'err.required');
      dept.focus();
      return;
    }
    location.href = pageUrl('licenses.html', { dept: dept.value, type: type.value });
  });
  return section('s-lookup', 'wl.lookup', box,
    h('div', { class: 'lookup-grid' },
      h('div', null, h('h3', { i18n: 'wl.q.byHolder' }), byHolder),
      h('div', null, h('h3', { i18n: 'wl.q.byDept' }), byDept)));
}

function resultTable(list) {
  if (!list.length) return h('p', { class: 'notice notice-info', 'data-testid': 'wl-empty', i18n: 'wl.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table lic-results', 'data-testid': 'wl-results' },
    h('thead', null, h('tr', null, ['lic.type', 'lic.holder', 'lic.issuer', 'lic.validity', 'lic.state', 'lic.id'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, list.map((lic) => h('tr', { 'data-license': lic.id, 'data-type': lic.type, 'data-state': licState(lic) },
      h('td', null, h('a', { href: pageUrl('licenses.html', { id: lic.id }) }, typeName(types, lic.type, lic.type_name))),
      h('td', null, lic.holder.name, h('div', { class: 'muted mono small' }, lic.holder.kind === 'person' ? maskIdent(lic.holder.ident) : lic.holder.ident)),
      h('td', null, issuerName(depts(), lic.issuer_dept, lic.issuer_name)),
      h('td', { class: 'nowrap' }, validity(lic)),
      h('td', null, licBadge(lic)),
      h('td', { class: 'mono small lic-id-cell' }, lic.id))))));
}

async function listView() {
  const holder = normalize(p.get('holder') || '');
  const dept = p.get('dept') || (holder ? '' : account.dept || '');
  const type = p.get('type') || '';
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  let results = null;
  if (holder || dept) {
    const r = await api.get(`/api/v1/licenses${api.qs({ holder, dept: holder ? '' : dept, type, limit: PAGE, cursor })}`);
    const what = holder
      ? h('p', { class: 'muted', 'data-testid': 'wl-query' }, T('wl.q.holderIs', { v: holder }))
      : h('p', { class: 'muted', 'data-testid': 'wl-query' }, T('wl.q.deptIs'), ' ', issuerName(depts(), dept), type ? [' · ', typeName(types, type)] : null);
    results = section('s-results', 'wl.results', what,
      r.ok ? [resultTable(r.data.items || []),
        cursor || r.data.next_cursor ? h('nav', { class: 'pager', i18nAttr: 'aria-label:search.pager' }, h('div', { class: 'pager-links' },
          cursor ? h('a', { class: 'btn btn-ghost btn-sm', href: pageUrl('licenses.html', { holder, dept: holder ? '' : dept, type, cursor: Math.max(0, Number(cursor) - PAGE) || '' }), i18n: 'search.prev' }) : null,
          r.data.next_cursor ? h('a', { class: 'btn btn-ghost btn-sm', href: pageUrl('licenses.html', { holder, dept: holder ? '' : dept, type, cursor: r.data.next_cursor }), i18n: 'search.next' }) : null)) : null]
        : h('p', { class: 'notice notice-error', i18n: errorKey(r.error) }));
  }
  setWorkTitle('');
  fill(main, h('div', { class: 'wrap page' }, head('wl.title'), lookupPanel(), results));
}

/* ---- one license ---- */

function statusPanel(lic) {
  const st = licState(lic);
  const box = formAlert('status-alert');
  if (lic.status === 'revoked') return section('s-status', 'wl.status', h('p', { class: 'muted', 'data-testid': 'revoked-final', i18n: 'wl.status.final' }));
  const actions = lic.status === 'suspended' ? ['reinstate', 'revoke'] : ['suspend', 'revoke'];
  const radios = h('fieldset', { class: 'radio-row', 'data-testid': 'status-actions' },
    h('legend', { i18n: 'wl.status.action' }),
    actions.map((a, i) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'lic-action', value: a, checked: i === 0 ? true : null, 'data-testid': `action-${a}` }), ' ', T(`wl.action.${a}`))));
  const reason = h('textarea', { id: 'status-reason', rows: '3', maxlength: '500', 'aria-describedby': 'status-reason-hint status-reason-error' });
  const sure = h('input', { type: 'checkbox', id: 'revoke-sure', 'data-testid': 'revoke-sure' });
  const sureRow = h('p', { class: 'check-row', hidden: true }, sure, ' ', h('label', { for: 'revoke-sure', i18n: 'wl.revoke.sure' }));
  const btn = h('button', { type: 'button', class: 'btn', 'data-testid': 'status-do', i18n: `wl.action.${actions[0]}.do` });
  const form = h('div', { class: 'status-form-box' }, box, radios,
    labelled('status-reason', 'wl.status.reason', reason, { name: 'reason', hint: 'wl.status.reason.hint' }),
    sureRow, h('div', { class: 'form-actions' }, btn));
  const chosen = () => (radios.querySelector('input:checked') || {}).value;
  radios.addEventListener('change', () => {
    const a = chosen();
    sureRow.hidden = a !== 'revoke';
    btn.className = a === 'revoke' ? 'btn btn-danger' : 'btn';
    btn.setAttribute('data-i18n', `wl.action.${a}.do`);
    btn.textContent = t(`wl.action.${a}.do`);
  });
  btn.addEventListener('click', async () => {
    box.replaceChildren();
    const a = chosen();
    const why = reason.value.trim();
    if (a !== 'reinstate' && !why) {
      setError(form, 'reason', 'wl.err.reason');
      reason.focus();
      return;
    }
    clearField(form, 'reason');
    if (a === 'revoke' && !sure.checked) {
      showAlert(box, 'wl.revoke.needSure');
      sure.focus();
      return;
    }
    btn.disabled = true;
    const r = await api.post(`/api/v1/licenses/${encodeURIComponent(lic.id)}/${a}`, why ? { reason: why } : {});
    btn.disabled = false;
    if (!r.ok) {
      showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    await detailView(lic.id, { flash: `wl.action.${a}.done` });
  });
  return section('s-status', 'wl.status',
    h('p', { class: 'muted', i18n: st === 'suspended' ? 'wl.status.suspendedText' : 'wl.status.text' }),
    form);
}

function facts(lic) {
  const row = (key, value, opts = {}) => [h('dt', { i18n: key }), h('dd', { class: opts.mono ? 'mono' : null, 'data-testid': opts.testid || null }, value)];
  return h('dl', { class: 'dl-grid', 'data-testid': 'lic-facts' },
    row('lic.type', [typeName(types, lic.type, lic.type_name), ' ', h('span', { class: 'muted mono small' }, lic.type)]),
    row('lic.issuer', issuerName(depts(), lic.issuer_dept, lic.issuer_name)),
    row('lic.holder', lic.holder.name, { testid: 'lic-holder' }),
    row(lic.holder.kind === 'enterprise' ? 'me.uscc' : 'me.id_number', lic.holder.ident, { mono: true }),
    row('lic.state', [licBadge(lic), lic.status_reason ? h('span', { class: 'muted' }, ' ', lic.status_reason) : null], { testid: 'lic-state' }),
    lic.status_at ? row('lic.statusAtLabel', fmtTime(lic.status_at)) : null,
    row('lic.validity', validity(lic)),
    row('lic.issuedAt', fmtTime(lic.issued_at)),
    row('lic.source', sourceText(lic, (no) => pageUrl('case.html', { no }))),
    row('lic.key', lic.key_id, { mono: true }),
    row('lic.id', h('span', { class: 'lic-id', 'data-testid': 'lic-id' }, lic.id), { mono: true }));
}

async function detailView(id, opts = {}) {
  const r = await api.get(`/api/v1/licenses/${encodeURIComponent(id)}`);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, head('wl.title'),
      h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'wl-notfound' }, h('p', { i18n: r.status === 404 ? 'wl.notfound' : 'error.load' }))));
    return;
  }
  const lic = r.data;
  const type = types.find((x) => x.code === lic.type) || null;
  setWorkTitle(lic.type_name);
  const verdict = h('div', { 'aria-live': 'polite', 'data-testid': 'verify-box' }, h('p', { class: 'loading', i18n: 'loading' }));
  const doc = h('div', { 'data-testid': 'doc-box' });
  const uses = h('div', { 'data-testid': 'uses-box' }, h('p', { class: 'loading', i18n: 'loading' }));
  fill(main, h('div', { class: 'wrap page case-page' },
    head('wl.title', typeName(types, lic.type, lic.type_name)),
    opts.flash ? h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'flash' }, h('p', { i18n: opts.flash })) : null,
    h('header', { class: 'case-head' },
      h('div', { class: 'case-head-main' },
        h('h2', { class: 'lic-head-title', 'data-testid': 'lic-title' }, typeName(types, lic.type, lic.type_name), ' · ', lic.holder.name),
        h('p', { class: 'muted' }, issuerName(depts(), lic.issuer_dept, lic.issuer_name), ' · ', validity(lic))),
      h('div', { class: 'case-head-status', 'data-testid': 'lic-status' }, licBadge(lic, 'lic-status-lg'))),
    h('div', { class: 'case-grid' },
      h('div', { class: 'case-col-main' },
        section('s-fields', 'wallet.fields', fieldList(type, lic.fields)),
        section('s-facts', 'wallet.facts', facts(lic)),
        section('s-doc', 'wl.document', h('p', { class: 'muted', i18n: 'wl.document.text' }), doc),
        section('s-uses', 'wallet.uses', uses)),
      h('aside', { class: 'case-col-side' },
        section('s-verify', 'wl.verify', verdict),
        section('s-print', 'wl.print',
          h('p', null, h('a', { class: 'pdf-link', href: `/api/v1/licenses/${encodeURIComponent(lic.id)}/print.pdf`, target: '_blank', rel: 'noopener', 'data-testid': 'print-pdf' },
            h('span', { class: 'pdf-icon', 'aria-hidden': 'true' }, 'PDF'), T('wallet.print'))),
          h('p', { class: 'small' }, h('span', { i18n: 'wallet.checkUrl' }), '：'),
          h('p', { class: 'lic-url small' }, h('a', { href: `/verify.html?id=${encodeURIComponent(lic.id)}`, target: '_blank', rel: 'noopener', 'data-testid': 'check-url' }, checkUrl(lic.id)))),
        canChange(lic) ? statusPanel(lic) : h('p', { class: 'notice notice-info small', 'data-testid': 'read-only', i18n: canIssue() ? 'wl.otherDept' : 'wl.readOnly' })))));
  const [d, u, v] = await Promise.all([
    api.get(`/api/v1/licenses/${encodeURIComponent(id)}/document`),
    api.get(`/api/v1/licenses/${encodeURIComponent(id)}/uses`),
    verifyById(id),
  ]);
  fill(doc, d.ok ? [documentView(d.data), h('p', { class: 'small' }, h('a', { href: `/api/v1/licenses/${encodeURIComponent(id)}/document`, target: '_blank', rel: 'noopener', i18n: 'wl.document.open' }))] : h('p', { class: 'notice notice-error', i18n: 'error.load' }));
  fill(uses, u.ok ? usesTable(u.data.items, { depts: depts(), caseHref: (no) => pageUrl('case.html', { no }) }) : h('p', { class: 'notice notice-error', i18n: 'error.load' }));
  fill(verdict, v ? verdictBox(v, { testid: 'verdict', reason: lic.status_reason, server: true }) : h('p', { class: 'notice notice-error', i18n: 'error.load' }));
  if (opts.flash) {
    const f = document.querySelector('[data-testid=flash]');
    if (f) f.scrollIntoView({ block: 'center' });
  }
}

/* ---- issue directly ---- */

function issueView() {
  const mine = myTypes();
  setWorkTitle(t('wl.issue'));
  if (!canIssue()) {
    fill(main, h('div', { class: 'wrap page' }, head('wl.issue'), h('p', { class: 'notice notice-info', 'data-testid': 'no-role', i18n: 'wl.issue.noRole' })));
    return;
  }
  if (!mine.length) {
    fill(main, h('div', { class: 'wrap page' }, head('wl.issue'), h('p', { class: 'notice notice-info', 'data-testid': 'no-types', i18n: 'wl.issue.noTypes' })));
    return;
  }
  const box = formAlert('issue-alert');
  const type = h('select', { id: 'i-type', name: 'type', required: true });
  if (isAdmin()) {
    type.append(h('option', { value: '', i18n: 'apply.choose' }));
    for (const d of depts()) {
      const list = mine.filter((x) => x.dept === d.code);
      if (!list.length) continue;
      const g = h('optgroup', { label: getLang() === 'en' && d.name_en ? d.name_en : d.name });
      const tmp = h('select');
      typeOptions(tmp, list);
      for (const o of Array.from(tmp.options).slice(1)) g.append(o);
      type.append(g);
    }
  } else typeOptions(type, mine, '', 'apply.choose');
  if (mine.some((x) => x.code === p.get('type'))) type.value = p.get('type');
  const ident = h('input', { id: 'i-holder_ident', name: 'holder_ident', type: 'text', maxlength: '24', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'aria-describedby': 'i-holder_ident-hint i-holder_ident-ok i-holder_ident-error' });
  const name = h('input', { id: 'i-holder_name', name: 'holder_name', type: 'text', maxlength: '100', autocomplete: 'off', 'aria-describedby': 'i-holder_name-error' });
  const from = h('input', { id: 'i-valid_from', name: 'valid_from', type: 'date' });
  const until = h('input', { id: 'i-valid_until', name: 'valid_until', type: 'date', disabled: true });
  const mode = h('fieldset', { class: 'radio-row', 'data-testid': 'validity-mode' },
    h('legend', { i18n: 'wl.issue.until' }),
    ['default', 'date', 'none'].map((m, i) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'until-mode', value: m, checked: i === 0 ? true : null }), ' ', h('span', { i18n: `wl.issue.until.${m}`, 'data-mode': m }))));
  const untilField = labelled('i-valid_until', 'wl.issue.untilDate', until, { name: 'valid_until', required: true });
  untilField.hidden = true;
  mode.addEventListener('change', () => {
    until.disabled = (mode.querySelector('input:checked') || {}).value !== 'date';
    untilField.hidden = until.disabled;
  });
  const fieldsBox = h('div', { class: 'issue-fields', 'data-testid': 'issue-fields' });
  const holderHint = h('p', { class: 'hint', id: 'i-holder_ident-hint' });
  let fieldsForm = null;
  const current = () => mine.find((x) => x.code === type.value) || null;
  function syncType() {
    const tp = current();
    if (!tp) {
      fill(fieldsBox, h('p', { class: 'muted', i18n: 'wl.issue.chooseType' }));
      fieldsForm = null;
      holderHint.replaceChildren();
      return;
    }
    fill(holderHint, T(tp.holder === 'person' ? 'wl.issue.holder.person' : 'wl.issue.holder.enterprise'));
    fieldsForm = formFields(tp.fields.map((f) => ({ ...f, required: false })), { prefix: 'if', testid: 'type-fields' });
    fill(fieldsBox, h('h3', null, T('wl.issue.fieldsOf', { name: getLang() === 'en' && tp.name_en ? tp.name_en : tp.name })), fieldsForm.el);
    const def = mode.querySelector('[data-mode=default]');
    const key = tp.validity_years > 0 ? 'wl.issue.until.years' : 'wl.issue.until.permanent';
    def.setAttribute('data-i18n', key);
    def.setAttribute('data-i18n-args', JSON.stringify({ n: tp.validity_years }));
    def.textContent = t(key, { n: tp.validity_years });
  }
  type.addEventListener('change', syncType);
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'wl.issue.do', 'data-testid': 'issue-do' });
  const form = h('form', { class: 'issue-form', novalidate: true, 'data-testid': 'issue-form' },
    box,
    h('div', { class: 'apply-fields' },
      labelled('i-type', 'lic.type', type, { name: 'type', required: true }),
      h('div', { class: 'field', 'data-field': 'holder_ident' },
        h('div', { class: 'label-row' }, h('label', { for: 'i-holder_ident', i18n: 'wl.issue.holderIdent' }), h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
        ident, holderHint,
        h('p', { class: 'field-ok', id: 'i-holder_ident-ok' }),
        h('p', { class: 'field-error', id: 'i-holder_ident-error', 'aria-live': 'polite' })),
      labelled('i-holder_name', 'wl.issue.holderName', name, { name: 'holder_name', required: true }),
      labelled('i-valid_from', 'wl.issue.from', from, { name: 'valid_from', hint: 'wl.issue.from.hint' })),
    mode,
    untilField,
    fieldsBox,
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    const tp = current();
    let first = null;
    const bad = (fname, key, el) => {
      setError(form, fname, key);
      first = first || el;
    };
    if (!tp) bad('type', 'err.required', type);
    else clearField(form, 'type');
    const iv = normalize(ident.value);
    if (!iv) bad('holder_ident', 'err.required', ident);
    else if (tp && tp.holder === 'person' && !checkId(iv).ok) bad('holder_ident', `err.${checkId(iv).code}`, ident);
    else if (tp && tp.holder !== 'person' && !checkUscc(iv).ok) bad('holder_ident', `err.${checkUscc(iv).code}`, ident);
    else clearField(form, 'holder_ident');
    if (!name.value.trim()) bad('holder_name', 'err.required', name);
    else clearField(form, 'holder_name');
    const m = (mode.querySelector('input:checked') || {}).value;
    if (m === 'date' && !until.value) bad('valid_until', 'err.required', until);
    else clearField(form, 'valid_until');
    if (fieldsForm && fieldsForm.validate()) first = first || form.querySelector('[data-testid=type-fields] [aria-invalid=true]');
    if (first) {
      showAlert(box, 'apply.fixForm');
      first.focus();
      return;
    }
    const fields = {};
    for (const [k, v] of Object.entries(fieldsForm ? fieldsForm.read() : {})) fields[k] = String(v);
    const body = { type: tp.code, holder_ident: iv, holder_name: name.value.trim(), fields };
    if (from.value) body.valid_from = from.value;
    if (m === 'date') body.valid_until = until.value;
    if (m === 'none') body.valid_until = '';
    submit.disabled = true;
    const r = await api.post('/api/v1/licenses', body);
    submit.disabled = false;
    if (!r.ok) {
      const f = (r.error && r.error.field) || '';
      if (f && f !== 'fields' && setError(form, f, errorKey(r.error), null, r.error.message)) {
        showAlert(box, 'apply.fixForm');
        return;
      }
      showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    history.pushState(null, '', pageUrl('licenses.html', { id: r.data.id }));
    await detailView(r.data.id, { flash: 'wl.issue.done' });
  });
  fill(main, h('div', { class: 'wrap page' }, head('wl.issue'),
    h('section', { class: 'panel', 'aria-labelledby': 'issue-h' },
      h('h2', { id: 'issue-h', class: 'visually-hidden', i18n: 'wl.issue' }),
      h('p', { class: 'muted', i18n: isAdmin() ? 'wl.issue.introAdmin' : 'wl.issue.intro' }),
      form)));
  syncType();
}

account = await initWork({ active: 'licenses' });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  types = await licenseTypes();
  if (p.get('id')) await detailView(p.get('id'));
  else if (p.get('issue')) issueView();
  else await listView();
}
