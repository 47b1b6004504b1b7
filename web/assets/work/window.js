// work/window.js - workbench/window.html?item=|bundle= : the integrated window
// applies for a walk-in applicant.  1 look the applicant up (GET
// /api/v1/accounts?q= ID number, credit code or name: a masked list; opening
// one reads the whole record, which is audited), 2 choose the item or bundle
// (search), 3 fill the form and upload the materials on their behalf, then
// POST /api/v1/cases with applicant_id (channel window).  Before anything is
// handed in, POST /api/v1/cases/precheck says what the server prefills for
// this applicant and which materials their own valid e-licenses satisfy.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey } from '../forms.js';
import { initWork, accountRecord, depts } from '../work-layout.js';
import {
  loadSpec, prefillFrom, formFields, materialsPanel, missingMaterials, materialsBody, newMaterialsState,
  precheck, materialGroups, cardCode,
} from '../applyform.js';
import { deptName } from '../casefmt.js';
import { normalize } from '../cnid.js';

const main = document.getElementById('main');
const p = params();
let applicant = null;
let spec = null;
let idem = api.newKey();

const s1 = h('section', { class: 'panel', 'aria-labelledby': 'w1', 'data-testid': 'step-applicant' });
const s2 = h('section', { class: 'panel', 'aria-labelledby': 'w2', 'data-testid': 'step-item', hidden: true });
const s3 = h('section', { class: 'panel', 'aria-labelledby': 'w3', 'data-testid': 'step-form', hidden: true });

function stepOne() {
  const box = formAlert('lookup-alert');
  const q = h('input', { id: 'lookup-q', type: 'search', maxlength: '64', autocomplete: 'off', 'aria-describedby': 'lookup-hint' });
  const results = h('div', { class: 'lookup-results', 'aria-live': 'polite', 'data-testid': 'lookup-results' });
  const form = h('form', { class: 'lookup-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'lookup-q', i18n: 'work.lookup.q' }), q, h('p', { class: 'hint', id: 'lookup-hint', i18n: 'work.lookup.hint' })),
    h('div', { class: 'field field-btn' }, h('button', { type: 'submit', class: 'btn', i18n: 'work.lookup.do', 'data-testid': 'lookup' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    const v = q.value.trim();
    const query = /^[0-9A-Za-z]{18}$/.test(normalize(v)) ? normalize(v) : v;
    if ([...query].length < 2) {
      showAlert(box, 'work.lookup.short');
      return;
    }
    const r = await api.get(`/api/v1/accounts${api.qs({ q: query })}`);
    if (!r.ok) {
      showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    const items = r.data.items || [];
    fill(results, items.length ? h('ul', { class: 'lookup-list' }, items.map((a) => h('li', { 'data-account': String(a.id) },
      h('span', { class: 'lookup-name' }, a.name), ' ',
      h('span', { class: 'badge' }, T(`me.kind.${a.kind}`)), ' ',
      h('span', { class: 'mono muted' }, a.login), ' ',
      a.phone ? h('span', { class: 'mono muted' }, a.phone) : null,
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.lookup.choose', 'data-testid': `choose-${a.id}`, onclick: () => choose(a.id, box) }))))
      : h('p', { class: 'notice notice-info', i18n: 'work.lookup.none' }));
  });
  fill(s1, h('h2', { id: 'w1', i18n: 'work.window.s1' }), box, form, results);
}

async function choose(id, box) {
  const r = await api.get(`/api/v1/accounts/${id}`);
  if (!r.ok) {
    showAlert(box, errorKey(r.error), null, r.error && r.error.message);
    return;
  }
  applicant = r.data.account;
  showApplicant();
}

/** The chosen applicant's record, with the in-person identity check (实名核验) when below level 3. */
function showApplicant() {
  const level = Number(applicant.profile && applicant.profile.realname_level) || 0;
  const box = formAlert('realname-alert');
  let verify = null;
  if (level < 3) {
    const method = h('select', { id: 'realname-method' },
      ['window', 'face'].map((m) => h('option', { value: m, i18n: `work.realname.method.${m}` })));
    const btn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.realname.do', 'data-testid': 'realname-raise' });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      const rr = await api.post(`/api/v1/accounts/${applicant.id}/realname`, { level: 3, method: method.value });
      btn.disabled = false;
      if (!rr.ok) {
        showAlert(box, errorKey(rr.error), null, rr.error && rr.error.message);
        return;
      }
      if (rr.data && rr.data.account) applicant = rr.data.account;
      else applicant.profile = { ...(applicant.profile || {}), realname_level: 3 };
      showApplicant();
      showAlert(document.getElementById('realname-alert'), 'work.realname.done', null, null, 'ok');
    });
    verify = h('div', { class: 'realname-check', 'data-testid': 'realname-check' },
      h('p', { i18n: 'work.realname.text', args: { n: level } }),
      h('div', { class: 'field' }, h('label', { for: 'realname-method', i18n: 'work.realname.method' }), method),
      btn);
  }
  /* a forgotten password, after the same in-person check: a temporary one, shown once */
  const resetBox = h('div', { class: 'pw-reset', 'data-testid': 'pw-reset-result', 'aria-live': 'polite' });
  const resetBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.pwreset.do', 'data-testid': 'pw-reset' });
  resetBtn.addEventListener('click', async () => {
    if (!window.confirm(t('work.pwreset.confirm', { name: applicant.name }))) return;
    resetBtn.disabled = true;
    const rr = await api.post(`/api/v1/accounts/${applicant.id}/password-reset`, {});
    resetBtn.disabled = false;
    if (!rr.ok) {
      showAlert(box, errorKey(rr.error), null, rr.error && rr.error.message);
      return;
    }
    fill(resetBox, h('div', { class: 'notice notice-ok', role: 'status' },
      h('p', { i18n: 'work.pwreset.done' }),
      h('p', { class: 'pw-temp' }, h('span', { i18n: 'work.pwreset.temp' }), '：', h('strong', { class: 'mono', 'data-testid': 'pw-temp' }, rr.data.temporary_password)),
      h('p', { class: 'muted', i18n: 'work.pwreset.hand' })));
  });
  fill(s1, h('h2', { id: 'w1', i18n: 'work.window.s1' }),
    box,
    h('div', { class: 'chosen', 'data-testid': 'applicant' }, accountRecord(applicant),
      verify,
      h('p', null, resetBtn), resetBox,
      h('p', { class: 'muted small', i18n: 'work.applicant.audit' }),
      h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.window.other', onclick: () => { applicant = null; spec = null; s2.hidden = true; s3.hidden = true; stepOne(); } })));
  if (s2.hidden) {
    s2.hidden = false;
    stepTwo();
  }
}

function stepTwo() {
  const box = formAlert('item-alert');
  const q = h('input', { id: 'item-q', type: 'search', maxlength: '100', autocomplete: 'off' });
  const results = h('div', { class: 'item-results', 'aria-live': 'polite', 'data-testid': 'item-results' });
  const form = h('form', { class: 'lookup-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'item-q', i18n: 'work.item.q' }), q),
    h('div', { class: 'field field-btn' }, h('button', { type: 'submit', class: 'btn', i18n: 'search.button', 'data-testid': 'item-search' })));
  const target = applicant.kind === 'enterprise' ? 'enterprise' : 'person';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    const [r, b] = await Promise.all([api.items({ q: q.value.trim(), target, limit: 10 }), api.bundles()]);
    if (!r.ok) {
      showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    const qv = q.value.trim();
    const bundles = b.ok ? (b.data.items || []).filter((x) => x.target === target && (!qv || x.name.includes(qv))) : [];
    const items = r.data.items || [];
    fill(results, !items.length && !bundles.length ? h('p', { class: 'notice notice-info', i18n: 'search.none' }) : h('ul', { class: 'lookup-list' },
      bundles.map((x) => h('li', { 'data-bundle': x.code }, h('span', { class: 'badge badge-type', i18n: 'nav.bundles' }), ' ', h('span', { class: 'lookup-name' }, x.name),
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.lookup.choose', onclick: () => pick({ bundle: x.code }) }))),
      items.map((x) => h('li', { 'data-item': x.code }, h('span', { class: 'lookup-name' }, x.name), ' ', h('span', { class: 'muted' }, deptName(depts(), x.dept, x.dept_name)), ' ',
        h('span', { class: 'mono muted small' }, x.code),
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.lookup.choose', 'data-testid': `pick-${x.code}`, onclick: () => pick({ item: x.code }) })))));
  });
  fill(s2, h('h2', { id: 'w2', i18n: 'work.window.s2' }), box, form, results);
  if (p.get('item') || p.get('bundle')) pick({ item: p.get('item') || undefined, bundle: p.get('bundle') || undefined });
}

async function pick(which) {
  spec = await loadSpec(which);
  if (spec.error) {
    fill(s3, h('p', { class: 'notice notice-error', i18n: 'item.notfound' }));
    s3.hidden = false;
    return;
  }
  idem = api.newKey();
  const box = formAlert('window-apply-alert');
  if (spec.target && spec.target !== applicant.kind) {
    fill(s3, h('h2', { id: 'w3', i18n: 'work.window.s3' }), h('p', { class: 'notice notice-error', i18n: spec.target === 'enterprise' ? 'apply.wrongKind.enterprise' : 'apply.wrongKind.person' }));
    s3.hidden = false;
    return;
  }
  const state = newMaterialsState();
  const pre = await precheck(spec, state, { applicant_id: applicant.id });
  let known = prefillFrom(applicant);
  if (pre) {
    known = {};
    for (const f of spec.fields) if (f.prefill && pre.form[f.key] !== undefined) known[f.prefill] = pre.form[f.key];
  }
  const groups = materialGroups(spec, state);
  const fields = formFields(spec.fields, { prefix: 'wf', prefill: known });
  const missing = h('div', { class: 'missing-live', 'aria-live': 'polite' });
  const renderMissing = () => {
    const n = missingMaterials(groups, state).filter((x) => !x.license).length;
    fill(missing, h('p', { class: n ? 'missing-count' : 'missing-none' }, n ? T('apply.missingCount', { n }) : T('apply.missingNone')));
  };
  const mats = materialsPanel(groups, state, { prefix: 'wm', onChange: renderMissing });
  const nameOf = (code) => (groups.flatMap((g) => g.materials).find((m) => m.code === cardCode(state, code)) || {}).name || code;
  renderMissing();
  const submit = h('button', { type: 'button', class: 'btn', i18n: 'work.window.submit', 'data-testid': 'window-submit' });
  const result = h('div', { class: 'window-result', 'data-testid': 'window-result' });
  submit.addEventListener('click', async () => {
    box.replaceChildren();
    if (fields.validate()) {
      fields.summarize(box);
      return;
    }
    const miss = missingMaterials(groups, state).filter((x) => !x.license);
    if (miss.length) { /* before submit, never after: name it and go to it */
      showAlert(box, 'apply.err.material', { name: miss[0].m.name });
      mats.markError(miss[0].m.code, 'mat.err.required');
      return;
    }
    submit.disabled = true;
    const r = await api.post('/api/v1/cases', {
      [spec.kind === 'bundle' ? 'bundle_code' : 'item_code']: spec.code,
      applicant_id: applicant.id,
      form: fields.read(),
      materials: materialsBody(state),
    }, { 'Idempotency-Key': idem });
    submit.disabled = false;
    if (!r.ok) {
      const f = (r.error && r.error.field) || '';
      if (f.startsWith('form.') && fields.showError(f.slice(5), r.error)) showAlert(box, 'apply.fixForm', null, r.error.message);
      else if (f.startsWith('materials.') && mats.markError(f.slice(10), 'mat.err.required', r.error.message)) showAlert(box, 'apply.err.material', { name: nameOf(f.slice(10)) }, r.error.message);
      else showAlert(box, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    submit.hidden = true;
    fill(result, h('div', { class: 'notice notice-ok', role: 'status' },
      h('p', { class: 'result-title', i18n: 'work.window.done' }),
      h('p', null, h('span', { i18n: 'case.no' }), '：', h('strong', { class: 'mono', 'data-testid': 'case-no' }, r.data.case_no)),
      h('p', null, h('a', { class: 'btn', href: pageUrl('case.html', { no: r.data.case_no }), i18n: 'work.window.open' }), ' ',
        h('a', { class: 'btn btn-ghost', href: `/api/v1/cases/${encodeURIComponent(r.data.case_no)}/notices/receipt.pdf`, target: '_blank', rel: 'noopener', i18n: 'work.window.receipt' }))));
  });
  fill(s3, h('h2', { id: 'w3', i18n: 'work.window.s3' }),
    h('p', { class: 'chosen-item' }, h('strong', { 'data-testid': 'chosen-item' }, spec.name), ' ', h('span', { class: 'mono muted' }, spec.code)),
    box,
    h('h3', { i18n: 'apply.step.form' }), fields.el,
    h('h3', { i18n: 'apply.step.materials' }), missing, mats.el,
    h('div', { class: 'form-actions' }, submit),
    result);
  s3.hidden = false;
  s3.scrollIntoView({ block: 'start' });
}

const account = await initWork({ active: 'window', roles: ['window_clerk'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'work.window.title2' }), h('p', { class: 'muted', i18n: 'work.window.text' })),
    h('div', { class: 'window-steps' }, s1, s2, s3)));
  stepOne();
}
