// verify.js - verify.html?id= | ?grant= : 电子证照核验, for anyone, no login.
// The QR code on a license print opens it with the identifier: the license's
// public status (type, issuing department, validity, the holder masked) under
// one clear verdict - 有效 / 已暂停 / 已吊销 / 已过期.  Two more ways to check:
// paste (or load) a license document and have its signature, key, issuer,
// dates and revocation checked (POST /licenses/verify); or open the license
// with a grant code its holder handed over (each view goes to the holder's
// use log) - the whole license, with its document checked the same way.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { initPage, setTitleExtra } from '../layout.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey, setError, clearField } from '../forms.js';
import { fmtTime } from '../casefmt.js';
import { licState, licBadge, validity, licenseTypes, issuerName, fieldList, verdictBox, typeName } from '../licfmt.js';

const main = document.getElementById('main');
const p = params();
let depts = [];
let types = [];

/* a GB/T 36904 identifier: the root, then the type code, issuer code, serial, version and check character */
const LIC_ID = /^1\.2\.156\.3005\.2\.[0-9A-Z*.]{20,100}$/;
const GRANT = /^[0-9A-Z]{6,20}$/;

const VERDICT_OF = { valid: 'ok', revoked: 'revoked', suspended: 'suspended', expired: 'expired', pending: 'not_yet_valid' };

/** A type's name in the current language, found by its Chinese name (the public status carries only that). */
function typeByName(name) {
  const tp = types.find((x) => x.name === name);
  return tp ? typeName(types, tp.code) : document.createTextNode(name || '');
}

function row(key, value, opts = {}) {
  return [h('dt', { i18n: key }), h('dd', { class: opts.mono ? 'mono' : null, 'data-testid': opts.testid || null }, value)];
}

/* ---- 1 the identifier (what the QR code carries) ---- */

const idAlert = formAlert('id-alert');
const idResult = h('div', { class: 'verify-result', 'aria-live': 'polite', 'data-testid': 'status-result' });
const idInput = h('textarea', {
  id: 'v-id', name: 'id', rows: '2', maxlength: '120', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'v-id-hint v-id-error', class: 'mono',
});
idInput.value = p.get('id') || '';
const idForm = h('form', { class: 'verify-form', novalidate: true, 'data-testid': 'id-form' },
  idAlert,
  h('div', { class: 'field', 'data-field': 'id' },
    h('div', { class: 'label-row' }, h('label', { for: 'v-id', i18n: 'verify.id' })),
    idInput,
    h('p', { class: 'hint', id: 'v-id-hint', i18n: 'verify.id.hint' }),
    h('p', { class: 'field-ok', id: 'v-id-ok' }),
    h('p', { class: 'field-error', id: 'v-id-error', 'aria-live': 'polite' })),
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'verify.id.do', 'data-testid': 'id-check' })));

function showStatus(s) {
  const st = licState(s);
  setTitleExtra(s.type_name);
  fill(idResult, h('section', { class: 'panel verify-card', 'aria-labelledby': 'verify-status-h', 'data-state': st },
    h('h2', { id: 'verify-status-h', class: 'visually-hidden', i18n: 'verify.status.title' }),
    verdictBox({ valid: st === 'valid', code: VERDICT_OF[st] }, { testid: 'verdict', reason: s.status_reason, server: false, text: `verify.status.${st}` }),
    h('dl', { class: 'dl-grid', 'data-testid': 'public-facts' },
      row('lic.type', typeByName(s.type_name), { testid: 'pub-type' }),
      row('lic.issuer', issuerName(depts, s.issuer_dept, s.issuer_name)),
      row('lic.holder', s.holder ? s.holder.name : '', { testid: 'pub-holder' }),
      row('verify.holderIdent', s.holder ? s.holder.ident : '', { mono: true, testid: 'pub-ident' }),
      row('lic.validity', validity(s)),
      row('lic.state', licBadge(s)),
      row('lic.id', h('span', { class: 'lic-id' }, s.id), { mono: true }),
      row('verify.checkedAt', fmtTime(new Date().toISOString()))),
    h('p', { class: 'muted small', i18n: 'verify.status.note' })));
}

async function checkId(id, opts = {}) {
  idAlert.replaceChildren();
  idResult.replaceChildren();
  const v = id.replace(/\s+/g, '').toUpperCase().replace(/^.*[?&]ID=/, '');
  if (!v) {
    setError(idForm, 'id', 'err.required');
    return;
  }
  if (!LIC_ID.test(v)) {
    setError(idForm, 'id', 'verify.err.id');
    return;
  }
  clearField(idForm, 'id');
  idInput.value = v;
  fill(idResult, h('p', { class: 'loading', i18n: 'loading' }));
  const r = await api.get(`/api/v1/public/licenses/${encodeURIComponent(v)}`);
  if (!opts.keepUrl) history.replaceState(null, '', pageUrl('verify.html', { id: v }));
  if (r.ok) {
    showStatus(r.data);
    return;
  }
  idResult.replaceChildren();
  if (r.status === 404) fill(idResult, h('div', { class: 'verdict verdict-error', role: 'status', 'data-testid': 'verdict', 'data-code': 'unknown_license' },
    h('p', { class: 'verdict-mark', 'aria-hidden': 'true' }, '✗'),
    h('div', { class: 'verdict-body' }, h('p', { class: 'verdict-title', i18n: 'lic.verdict.unknown_license' }), h('p', { class: 'verdict-text', i18n: 'verify.notFound' }))));
  else if (r.status === 429) showAlert(idAlert, 'err.rate_limited');
  else showAlert(idAlert, errorKey(r.error), null, r.error && r.error.message);
}

idForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  checkId(idInput.value);
});

/* ---- 2 a license document ---- */

const docAlert = formAlert('doc-alert');
const docResult = h('div', { class: 'verify-result', 'aria-live': 'polite', 'data-testid': 'doc-result' });
const docInput = h('textarea', {
  id: 'v-doc', name: 'document', rows: '8', spellcheck: 'false', autocomplete: 'off', class: 'mono doc-input', 'aria-describedby': 'v-doc-hint v-doc-error',
});
const docFile = h('input', { type: 'file', id: 'v-doc-file', class: 'file-input', accept: '.json,application/json', i18nAttr: 'aria-label:verify.doc.file' });
docFile.addEventListener('change', async () => {
  const f = docFile.files && docFile.files[0];
  if (!f) return;
  if (f.size > 1024 * 1024) {
    setError(docForm, 'document', 'verify.err.docSize');
    return;
  }
  docInput.value = await f.text();
  clearField(docForm, 'document');
});
const docForm = h('form', { class: 'verify-form', novalidate: true, 'data-testid': 'doc-form' },
  docAlert,
  h('div', { class: 'field', 'data-field': 'document' },
    h('div', { class: 'label-row' }, h('label', { for: 'v-doc', i18n: 'verify.doc' })),
    docInput,
    h('p', { class: 'hint', id: 'v-doc-hint', i18n: 'verify.doc.hint' }),
    h('p', { class: 'field-ok', id: 'v-doc-ok' }),
    h('p', { class: 'field-error', id: 'v-doc-error', 'aria-live': 'polite' })),
  h('div', { class: 'form-actions' },
    h('button', { type: 'submit', class: 'btn', i18n: 'verify.doc.do', 'data-testid': 'doc-check' }),
    h('label', { class: 'btn btn-ghost btn-file', for: 'v-doc-file' }, h('span', { i18n: 'verify.doc.file' })), docFile));

/** What a document says about itself (before anyone trusts it). */
function docSummary(doc) {
  const l = doc && doc.license;
  if (!l || typeof l !== 'object') return null;
  const tp = types.find((x) => x.code === l.type) || null;
  return h('div', { class: 'doc-summary' },
    h('h3', { i18n: 'verify.doc.says' }),
    h('dl', { class: 'dl-grid', 'data-testid': 'doc-facts' },
      row('lic.type', typeName(types, l.type, l.type_name)),
      row('lic.issuer', l.issuer ? issuerName(depts, l.issuer.dept, l.issuer.name) : ''),
      row('lic.holder', l.holder ? `${l.holder.name || ''}` : ''),
      row('verify.holderIdent', l.holder ? l.holder.ident || '' : '', { mono: true }),
      row('lic.validity', validity(l)),
      row('lic.id', h('span', { class: 'lic-id' }, l.id || ''), { mono: true })),
    l.fields ? h('details', { class: 'doc-fields' }, h('summary', { i18n: 'verify.doc.fields' }), fieldList(tp, l.fields, { testid: 'doc-fields' })) : null);
}

docForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  docAlert.replaceChildren();
  docResult.replaceChildren();
  const raw = docInput.value.trim();
  if (!raw) {
    setError(docForm, 'document', 'err.required');
    docInput.focus();
    return;
  }
  let doc;
  try {
    doc = JSON.parse(raw);
  } catch {
    setError(docForm, 'document', 'verify.err.json');
    docInput.focus();
    return;
  }
  /* a whole license answer (with its document inside) is accepted too */
  if (doc && doc.document && !doc.signature) doc = doc.document;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    setError(docForm, 'document', 'verify.err.notDoc');
    return;
  }
  clearField(docForm, 'document');
  const r = await api.post('/api/v1/licenses/verify', { document: doc });
  if (!r.ok) {
    if (r.status === 429) showAlert(docAlert, 'err.rate_limited');
    else showAlert(docAlert, errorKey(r.error), null, r.error && r.error.message);
    return;
  }
  fill(docResult, verdictBox(r.data, { testid: 'doc-verdict' }), docSummary(doc));
});

/* ---- 3 a grant code ---- */

const grantAlert = formAlert('grant-alert');
const grantResult = h('div', { class: 'verify-result', 'aria-live': 'polite', 'data-testid': 'grant-result' });
const grantInput = h('input', {
  id: 'v-grant', name: 'grant', type: 'text', maxlength: '20', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'characters', class: 'mono', 'aria-describedby': 'v-grant-hint v-grant-error',
});
grantInput.value = p.get('grant') || '';
const grantForm = h('form', { class: 'verify-form', novalidate: true, 'data-testid': 'grant-form' },
  grantAlert,
  h('div', { class: 'field', 'data-field': 'grant' },
    h('div', { class: 'label-row' }, h('label', { for: 'v-grant', i18n: 'verify.grant' })),
    grantInput,
    h('p', { class: 'hint', id: 'v-grant-hint', i18n: 'verify.grant.hint' }),
    h('p', { class: 'field-ok', id: 'v-grant-ok' }),
    h('p', { class: 'field-error', id: 'v-grant-error', 'aria-live': 'polite' })),
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'verify.grant.do', 'data-testid': 'grant-open' })));

async function openGrant(code) {
  grantAlert.replaceChildren();
  grantResult.replaceChildren();
  const v = code.replace(/\s+/g, '').toUpperCase();
  if (!v) {
    setError(grantForm, 'grant', 'err.required');
    return;
  }
  if (!GRANT.test(v)) {
    setError(grantForm, 'grant', 'verify.err.grant');
    return;
  }
  clearField(grantForm, 'grant');
  grantInput.value = v;
  fill(grantResult, h('p', { class: 'loading', i18n: 'loading' }));
  const r = await api.get(`/api/v1/public/license-grants/${encodeURIComponent(v)}`);
  if (!r.ok) {
    grantResult.replaceChildren();
    if (r.status === 404) showAlert(grantAlert, 'verify.grant.notFound');
    else if (r.status === 429) showAlert(grantAlert, 'err.rate_limited');
    else showAlert(grantAlert, errorKey(r.error), null, r.error && r.error.message);
    return;
  }
  const lic = r.data;
  const tp = types.find((x) => x.code === lic.type) || null;
  const verdict = h('div', { 'data-testid': 'grant-verdict-box' }, h('p', { class: 'loading', i18n: 'loading' }));
  fill(grantResult, h('section', { class: 'panel verify-card', 'aria-labelledby': 'grant-lic-h', 'data-testid': 'grant-license' },
    h('div', { class: 'verify-head' },
      h('div', null,
        h('h3', { id: 'grant-lic-h', class: 'verify-head-title', 'data-testid': 'grant-title' }, typeName(types, lic.type, lic.type_name)),
        h('p', { class: 'muted' }, issuerName(depts, lic.issuer_dept, lic.issuer_name), ' · ', validity(lic))),
      licBadge(lic, 'lic-status-lg')),
    verdict,
    h('h3', { i18n: 'wallet.fields' }),
    fieldList(tp, lic.fields, { testid: 'grant-fields' }),
    h('h3', { i18n: 'wallet.facts' }),
    h('dl', { class: 'dl-grid' },
      row('lic.holder', lic.holder ? lic.holder.name : '', { testid: 'grant-holder' }),
      row(lic.holder && lic.holder.kind === 'enterprise' ? 'me.uscc' : 'me.id_number', lic.holder ? lic.holder.ident : '', { mono: true }),
      row('lic.issuedAt', fmtTime(lic.issued_at)),
      row('lic.id', h('span', { class: 'lic-id' }, lic.id), { mono: true })),
    h('p', { class: 'muted small', i18n: 'verify.grant.logged' })));
  if (lic.document) {
    const vr = await api.post('/api/v1/licenses/verify', { document: lic.document });
    fill(verdict, vr.ok ? verdictBox(vr.data, { testid: 'grant-verdict', reason: lic.status_reason }) : null);
  } else {
    verdict.replaceChildren();
  }
}

grantForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  openGrant(grantInput.value);
});

function panel(sid, key, introKey, ...content) {
  return h('section', { class: 'panel verify-panel', id: sid, 'aria-labelledby': `${sid}-h` },
    h('h2', { id: `${sid}-h`, i18n: key }),
    introKey ? h('p', { class: 'muted', i18n: introKey }) : null,
    content);
}

const fromQr = !!p.get('id');
fill(main, h('div', { class: 'wrap page verify-page' },
  h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
    h('ol', null, h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })), h('li', { 'aria-current': 'page', i18n: 'verify.title' }))),
  h('div', { class: 'page-head' },
    h('h1', { i18n: 'verify.title' }),
    fromQr ? null : h('p', { i18n: 'verify.intro' })),
  /* opened from a license's QR code: the verdict first, the rest below */
  fromQr ? h('div', { class: 'verify-first', 'data-testid': 'verify-first' }, idResult) : null,
  h('div', { class: 'verify-layout' },
    h('div', { class: 'verify-main' },
      panel('s-id', 'verify.byId', 'verify.byId.intro', idForm, fromQr ? null : idResult),
      panel('s-grant', 'verify.byGrant', 'verify.byGrant.intro', grantForm, grantResult)),
    /* checking a signed JSON document is for department systems and developers */
    h('details', { class: 'verify-side verify-dev', 'data-testid': 'verify-dev', open: p.get('doc') ? true : null },
      h('summary', { i18n: 'verify.dev' }),
      panel('s-doc', 'verify.byDoc', 'verify.byDoc.intro', docForm, docResult)))));

await initPage({ active: '' });
const [d, tp] = await Promise.all([api.departments(), licenseTypes()]);
depts = d.ok ? d.data.items : [];
types = tp;
if (p.get('id')) await checkId(p.get('id'), { keepUrl: true });
if (p.get('grant')) {
  await openGrant(p.get('grant'));
  document.getElementById('s-grant').scrollIntoView({ block: 'start' });
}
