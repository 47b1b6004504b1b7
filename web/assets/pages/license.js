// license.js - license.html?id= : one of my e-licenses.  Its state, every field
// labelled as its type names them, the GB/T 36904 identifier, the public check
// address with its QR code (drawn by the server: the same symbol as on the
// print, GET /api/v1/licenses/{id}/qr.svg) and the print PDF, an online
// check of its signed document, 用证记录 (which case, which department, when,
// why - and every view through a grant code), and 授权查看: codes that let
// someone else (a bank, a landlord) see this one license for a while, listed
// with their views, each revocable.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, loginHref, message, setTitleExtra } from '../layout.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey, setError, clearField } from '../forms.js';
import { fmtTime } from '../casefmt.js';
import {
  licBadge, licState, validity, licenseTypes, typeName, issuerName, fieldList, sourceText, checkUrl, verdictBox,
  verifyById, usesTable,
} from '../licfmt.js';

const main = document.getElementById('main');
const id = params().get('id') || '';
const HOURS = [1, 24, 72, 168, 720];
let depts = [];
let types = [];

function section(sid, key, ...content) {
  return h('section', { class: 'panel case-section', id: sid, 'aria-labelledby': `${sid}-h` }, h('h2', { id: `${sid}-h`, i18n: key }), content);
}

function stateNotice(lic) {
  const st = licState(lic);
  if (st === 'valid') return null;
  const kind = st === 'suspended' || st === 'pending' ? 'warn' : 'error';
  return h('div', { class: `notice notice-${kind === 'warn' ? 'info' : 'error'} lic-state-notice`, role: 'status', 'data-testid': 'state-notice' },
    h('p', { class: 'outcome-title', i18n: `wallet.state.${st}`, args: { from: lic.valid_from, until: lic.valid_until } }),
    lic.status_reason ? h('p', null, h('span', { i18n: 'lic.statusReason' }), '：', h('span', { 'data-testid': 'status-reason' }, lic.status_reason)) : null,
    lic.status_at && (st === 'revoked' || st === 'suspended') ? h('p', { class: 'muted', i18n: 'lic.statusAt', args: { t: fmtTime(lic.status_at) } }) : null,
    h('p', { class: 'muted', i18n: st === 'pending' ? 'wallet.state.pending.use' : 'wallet.state.noUse' }));
}

function facts(lic) {
  const row = (key, value, opts = {}) => [h('dt', { i18n: key }), h('dd', { class: opts.mono ? 'mono' : null, 'data-testid': opts.testid || null }, value)];
  return h('dl', { class: 'dl-grid', 'data-testid': 'lic-facts' },
    row('lic.type', typeName(types, lic.type, lic.type_name)),
    row('lic.issuer', issuerName(depts, lic.issuer_dept, lic.issuer_name)),
    row('lic.holder', lic.holder ? lic.holder.name : ''),
    row(lic.holder && lic.holder.kind === 'enterprise' ? 'me.uscc' : 'me.id_number', lic.holder ? lic.holder.ident : '', { mono: true }),
    row('lic.state', licBadge(lic), { testid: 'lic-state' }),
    row('lic.validity', validity(lic), { testid: 'lic-validity' }),
    row('lic.issuedAt', fmtTime(lic.issued_at)),
    row('lic.source', sourceText(lic, (no) => pageUrl('case.html', { no }))),
    row('lic.id', h('span', { class: 'lic-id', 'data-testid': 'lic-id' }, lic.id), { mono: true }));
}

/** The print, the public check address (and its QR code), an online check of the signed document. */
function checkPanel(lic) {
  const url = checkUrl(lic.id);
  const out = h('div', { class: 'lic-verify-out', 'aria-live': 'polite', 'data-testid': 'verify-out' });
  const btn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'wallet.verifyNow', 'data-testid': 'verify-now' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    fill(out, h('p', { class: 'loading', i18n: 'loading' }));
    const v = await verifyById(lic.id);
    btn.disabled = false;
    fill(out, v ? verdictBox(v) : message('error', 'error.load'));
  });
  /* the server draws the code of this address, as on the print; where it
   * cannot be shown the figure goes, the address and the print stay */
  const img = h('img', {
    src: `/api/v1/licenses/${encodeURIComponent(lic.id)}/qr.svg`, width: '180', height: '180', i18nAttr: 'alt:wallet.qr.label',
  });
  const qr = h('figure', { class: 'lic-qr', 'data-testid': 'qr' }, img, h('figcaption', { class: 'muted small', i18n: 'wallet.qr.caption' }));
  img.addEventListener('error', () => qr.remove());
  return section('s-check', 'wallet.check',
    h('p', null, h('a', {
      class: 'btn', href: `/api/v1/licenses/${encodeURIComponent(lic.id)}/print.pdf`, target: '_blank', rel: 'noopener', 'data-testid': 'print-pdf',
    }, h('span', { class: 'pdf-icon', 'aria-hidden': 'true' }, 'PDF'), ' ', T('wallet.print'))),
    h('p', { class: 'muted small', i18n: 'wallet.print.text' }),
    qr,
    h('p', { class: 'small' }, h('span', { i18n: 'wallet.checkUrl' }), '：'),
    h('p', { class: 'lic-url' }, h('a', { href: pageUrl('verify.html', { id: lic.id }), 'data-testid': 'check-url' }, url)),
    h('p', null, btn), out);
}

/* ---- 授权查看 ---- */

function grantState(g) {
  if (g.active) return 'active';
  if (g.revoked_at) return 'revoked';
  return 'expired';
}

function grantsPanel(lic) {
  const box = formAlert('grant-alert');
  const made = h('div', { class: 'grant-made', 'aria-live': 'polite', 'data-testid': 'grant-made' });
  const list = h('div', { 'data-testid': 'grants-list' });
  const grantee = h('input', { id: 'g-grantee', name: 'grantee', type: 'text', maxlength: '100', required: true, 'aria-describedby': 'g-grantee-hint g-grantee-error', autocomplete: 'off' });
  const purpose = h('input', { id: 'g-purpose', name: 'purpose', type: 'text', maxlength: '200', required: true, 'aria-describedby': 'g-purpose-hint g-purpose-error', autocomplete: 'off' });
  const hours = h('select', { id: 'g-hours', name: 'hours' }, HOURS.map((n) => h('option', { value: String(n), i18n: `wallet.grant.hours.${n}` })));
  hours.value = '24';
  const fieldBox = (fid, name, key, control, hint) => h('div', { class: 'field', 'data-field': name },
    h('div', { class: 'label-row' }, h('label', { for: fid, i18n: key }), control.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    hint ? h('p', { class: 'hint', id: `${fid}-hint`, i18n: hint }) : null,
    h('p', { class: 'field-ok', id: `${fid}-ok` }),
    h('p', { class: 'field-error', id: `${fid}-error`, 'aria-live': 'polite' }));
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'wallet.grant.create', 'data-testid': 'grant-create' });
  const form = h('form', { class: 'grant-form', novalidate: true, 'data-testid': 'grant-form' },
    box,
    h('div', { class: 'grant-fields' },
      fieldBox('g-grantee', 'grantee', 'wallet.grant.grantee', grantee, 'wallet.grant.grantee.hint'),
      fieldBox('g-purpose', 'purpose', 'wallet.grant.purpose', purpose, 'wallet.grant.purpose.hint'),
      fieldBox('g-hours', 'hours', 'wallet.grant.hours', hours)),
    h('div', { class: 'form-actions' }, submit));

  async function refresh() {
    const r = await api.get(`/api/v1/licenses/${encodeURIComponent(lic.id)}/grants`);
    if (!r.ok) {
      fill(list, message('error', 'error.load'));
      return;
    }
    const items = r.data.items || [];
    if (!items.length) {
      fill(list, h('p', { class: 'muted', 'data-testid': 'grants-empty', i18n: 'wallet.grant.none' }));
      return;
    }
    fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'lic-table grants-table', 'data-testid': 'grants' },
      h('thead', null, h('tr', null, ['wallet.grant.code', 'wallet.grant.grantee', 'wallet.grant.purpose', 'wallet.grant.expires', 'wallet.grant.views', 'wallet.grant.state', 'wallet.grant.action']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', null, items.map((g) => {
        const st = grantState(g);
        const revoke = st === 'active' ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-danger-ghost', i18n: 'wallet.grant.revoke', 'data-testid': `grant-revoke-${g.code}` }) : null;
        if (revoke) {
          revoke.addEventListener('click', async () => {
            if (!window.confirm(t('wallet.grant.revokeConfirm', { code: g.code, grantee: g.grantee }))) return;
            revoke.disabled = true;
            const rr = await api.del(`/api/v1/licenses/${encodeURIComponent(lic.id)}/grants/${encodeURIComponent(g.code)}`);
            revoke.disabled = false;
            if (!rr.ok) {
              showAlert(box, errorKey(rr.error), null, rr.error && rr.error.message);
              return;
            }
            showAlert(box, 'wallet.grant.revoked', { code: g.code }, null, 'ok');
            made.replaceChildren();
            await refresh();
            await refreshUses();
          });
        }
        return h('tr', { 'data-code': g.code, 'data-state': st },
          h('td', { class: 'mono', 'data-label': t('wallet.grant.code') }, g.code),
          h('td', { 'data-label': t('wallet.grant.grantee') }, g.grantee),
          h('td', { 'data-label': t('wallet.grant.purpose') }, g.purpose),
          h('td', { class: 'nowrap', 'data-label': t('wallet.grant.expires') }, fmtTime(g.expires_at)),
          h('td', { class: 'num', 'data-label': t('wallet.grant.views') }, String(g.views || 0)),
          h('td', { 'data-label': t('wallet.grant.state') }, h('span', { class: `grant-state grant-${st}`, i18n: `wallet.grant.state.${st}` })),
          h('td', null, revoke));
      })))));
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    let first = null;
    for (const [name, input] of [['grantee', grantee], ['purpose', purpose]]) {
      if (!input.value.trim()) {
        setError(form, name, 'err.required');
        first = first || input;
      } else clearField(form, name);
    }
    if (first) {
      first.focus();
      return;
    }
    submit.disabled = true;
    const r = await api.post(`/api/v1/licenses/${encodeURIComponent(lic.id)}/grants`, { grantee: grantee.value.trim(), purpose: purpose.value.trim(), hours: Number(hours.value) });
    submit.disabled = false;
    if (!r.ok) {
      const f = r.error && r.error.field;
      if (f && setError(form, f, errorKey(r.error), null, r.error.message)) return;
      showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    const link = `${location.origin}/${pageUrl('verify.html', { grant: r.data.code })}`;
    const copy = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'wallet.grant.copy' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(`${r.data.code} ${link}`);
        copy.setAttribute('data-i18n', 'wallet.grant.copied');
        copy.textContent = t('wallet.grant.copied');
      } catch {
        /* no clipboard: the code is on the screen */
      }
    });
    fill(made, h('div', { class: 'notice notice-ok grant-result', role: 'status' },
      h('p', { i18n: 'wallet.grant.made', args: { grantee: grantee.value.trim() } }),
      h('p', { class: 'grant-code', 'data-testid': 'grant-code' }, r.data.code),
      h('p', { i18n: 'wallet.grant.until', args: { t: fmtTime(r.data.expires_at) } }),
      h('p', { class: 'small' }, h('span', { i18n: 'wallet.grant.link' }), ' ', h('a', { href: link, 'data-testid': 'grant-link', class: 'lic-url' }, link)),
      h('p', null, copy)));
    grantee.value = '';
    purpose.value = '';
    await refresh();
  });
  refresh();
  return section('s-grants', 'wallet.grants',
    h('p', { class: 'muted', i18n: 'wallet.grant.intro' }),
    form, made,
    h('h3', { i18n: 'wallet.grant.list' }),
    list);
}

let refreshUses = async () => {};

function usesPanel(lic) {
  const box = h('div', { 'data-testid': 'uses-box' });
  refreshUses = async () => {
    const r = await api.get(`/api/v1/licenses/${encodeURIComponent(lic.id)}/uses`);
    fill(box, r.ok ? usesTable(r.data.items, { depts, caseHref: (no) => pageUrl('case.html', { no }) }) : message('error', 'error.load'));
  };
  refreshUses();
  return section('s-uses', 'wallet.uses', h('p', { class: 'muted', i18n: 'wallet.uses.intro' }), box);
}

async function render(lic) {
  const type = types.find((x) => x.code === lic.type) || null;
  setTitleExtra(lic.type_name);
  fill(main, h('div', { class: 'wrap page case-page lic-page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', null, h('a', { href: 'licenses.html', i18n: 'wallet.title' })),
        h('li', { 'aria-current': 'page' }, typeName(types, lic.type, lic.type_name)))),
    h('header', { class: 'case-head' },
      h('div', { class: 'case-head-main' },
        h('h1', { 'data-testid': 'lic-title' }, typeName(types, lic.type, lic.type_name)),
        h('p', { class: 'muted' }, issuerName(depts, lic.issuer_dept, lic.issuer_name), ' · ', validity(lic))),
      h('div', { class: 'case-head-status', 'data-testid': 'lic-status' }, licBadge(lic, 'lic-status-lg'))),
    stateNotice(lic),
    h('div', { class: 'case-grid' },
      h('div', { class: 'case-col-main' },
        section('s-fields', 'wallet.fields', fieldList(type, lic.fields)),
        section('s-facts', 'wallet.facts', facts(lic)),
        usesPanel(lic),
        grantsPanel(lic)),
      h('aside', { class: 'case-col-side' }, checkPanel(lic)))));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: 'licenses' });
if (!account) location.replace(loginHref());
else if (account.kind === 'staff') location.replace(pageUrl('workbench/licenses.html', { id }));
else if (!id) fill(main, h('div', { class: 'wrap page' }, message('info', 'wallet.missing', null, h('p', null, h('a', { href: 'licenses.html', i18n: 'wallet.title' })))));
else {
  const [r, tp, d] = await Promise.all([api.get(`/api/v1/licenses/${encodeURIComponent(id)}`), licenseTypes(), api.departments()]);
  types = tp;
  depts = d.ok ? d.data.items : [];
  if (!r.ok) fill(main, h('div', { class: 'wrap page' }, failure(r, 'wallet.notfound')));
  else await render(r.data);
}
