// case.js - case.html?no= : one of my cases.  Its status and result, the
// working-day clock, progress (a bundle: one bar and one clock for the bundle,
// then each item's department, status and clock), the one-time supplement
// notice with the form to supplement (upload or replace materials, correct the
// form) while it is supplement_requested, materials, my answers, the notice
// PDFs, the timeline (staff names masked by the server) and withdrawal (with a
// confirmation) before a decision.
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, setTitleExtra, loginHref, message } from '../layout.js';
import { t, isEn } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey } from '../forms.js';
import {
  statusBadge, clockBox, clockLine, progressBar, timeline, noticeLinks, materialState, requiredBadge, channel, fmtTime,
  deptName, isFinal,
} from '../casefmt.js';
import {
  loadSpec, prefillFrom, formFields, materialsPanel, materialsBody, newMaterialsState, setServerMaterials, loadFileNames,
  caseMaterials, materialIndex, fieldLabel, answerText,
} from '../applyform.js';
import { payStep } from '../payments-step.js';

const main = document.getElementById('main');
const no = params().get('no') || '';
let account = null;
let depts = [];

function section(id, key, ...content) {
  return h('section', { class: 'panel case-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: key }), content);
}

/** The outcome in words, for final cases. */
function outcome(k) {
  if (!isFinal(k.status)) return null;
  const kind = k.status === 'approved' ? 'ok' : k.status === 'withdrawn' ? 'info' : 'error';
  return h('div', { class: `notice notice-${kind} outcome`, role: 'status', 'data-testid': 'outcome' },
    h('p', { class: 'outcome-title', i18n: `case.outcome.${k.status}` }),
    k.result_note ? h('p', null, h('span', { i18n: k.status === 'not_accepted' ? 'case.reason' : 'case.resultNote' }), T('punct.colon'), k.result_note) : null,
    k.decided_at ? h('p', { class: 'muted', i18n: 'case.decidedAt', args: { t: fmtTime(k.decided_at) } }) : null);
}

function taskList(tasks) {
  if (!tasks || !tasks.length) return null;
  return h('ul', { class: 'task-list' }, tasks.map((tk) => h('li', { class: 'task-row', 'data-dept': tk.dept, 'data-status': tk.status },
    h('span', { class: 'task-dept' }, deptName(depts, tk.dept, tk.dept_name)),
    tk.kind === 'opinion' ? h('span', { class: 'badge', i18n: 'task.kind.opinion' }) : null,
    h('span', { class: `task-status task-${tk.status}`, i18n: `task.status.${tk.status}` }),
    tk.decided_at ? h('span', { class: 'muted' }, fmtTime(tk.decided_at)) : tk.due_date ? h('span', { class: 'muted', i18n: 'clock.dueOn', args: { d: tk.due_date } }) : null)));
}

/** Where the case is: submitted → accepted → review by each department → done. */
function itemProgress(k) {
  const accepted = !!k.accepted_at;
  const final = isFinal(k.status);
  const steps = [
    ['case.step.submitted', !!k.submitted_at, k.submitted_at],
    ['case.step.accepted', accepted || k.status === 'not_accepted', k.accepted_at],
    ['case.step.review', final && accepted, null],
    ['case.step.done', final, k.decided_at],
  ];
  const current = steps.findIndex((s) => !s[1]);
  return h('div', { class: 'case-progress' },
    h('ol', { class: 'stepper stepper-case', 'data-testid': 'case-steps' }, steps.map(([key, done, at], i) => h('li', {
      class: done ? 'done' : i === current ? 'current' : '',
      'aria-current': i === current ? 'step' : null,
    },
    h('span', { class: 'stepper-no', 'aria-hidden': 'true' }, done ? '✓' : String(i + 1)),
    h('span', { class: 'stepper-label' }, T(key), at ? h('small', null, fmtTime(at)) : null)))),
    taskList(k.tasks));
}

/* the English names the catalog has (issue 15): a case keeps the Chinese title it was filed under */
function titleBi(k, sp) {
  return bi(k.title, sp && k.title === sp.name ? sp.name_en : null);
}
function itemBi(code, zh, sp) {
  const g = sp && sp.groups.find((x) => x.code === code);
  return bi(zh, g && g.name === zh ? g.name_en : null);
}

function bundleProgress(k, sp) {
  const subs = k.sub_cases || [];
  const steps = [...new Set(subs.map((s) => s.bundle_step))].sort((a, b) => a - b);
  return h('div', { class: 'bundle-progress' },
    progressBar(k.progress, 'case.bundleProgress'),
    steps.map((n) => h('div', { class: 'sub-step' },
      h('h3', { i18n: 'bundle.step', args: { n } }),
      h('ul', { class: 'sub-cases', 'data-testid': `sub-cases-${n}` }, subs.filter((s) => s.bundle_step === n).map((s) => h('li', { class: 'sub-case', 'data-case': s.case_no, 'data-status': s.status, 'data-code': s.code },
        h('div', { class: 'sub-case-main' },
          h('p', { class: 'sub-case-title' }, itemBi(s.code, s.title, sp)),
          h('p', { class: 'muted' }, deptName(depts, s.dept), ' · ', h('span', { class: 'mono' }, s.case_no))),
        h('div', { class: 'sub-case-side' }, statusBadge(s.status, '', s.clock), clockLine(s.clock, { waiting: s.status === 'accepted' }))))))));
}

function answers(k, spec) {
  const form = k.form || {};
  const keys = spec ? spec.fields.map((f) => f.key) : Object.keys(form);
  if (!keys.length) return h('p', { class: 'muted', i18n: 'apply.form.none' });
  return h('dl', { class: 'dl-grid', 'data-testid': 'answers' }, keys.map((key) => [
    h('dt', null, spec ? fieldLabel(spec.fields, key) : key),
    h('dd', { 'data-key': key }, form[key] !== undefined && form[key] !== '' ? (spec ? answerText(spec.fields, key, form[key]) : String(form[key])) : h('span', { class: 'muted', i18n: 'apply.empty' }))]));
}

/** The e-license that satisfied a material: its page (my own licenses) and its public check. */
function licenseLinks(k, id) {
  const mine = !k.applicant || k.applicant.id === account.id;
  return h('span', { class: 'case-mat-license' },
    h('span', { class: 'muted mono small lic-id' }, id),
    h('span', { class: 'case-mat-links' },
      mine ? h('a', { href: pageUrl('license.html', { id }), 'data-testid': 'mat-license-link', i18n: 'case.mat.viewLicense' }) : null,
      h('a', { href: pageUrl('verify.html', { id }), 'data-testid': 'mat-license-verify', i18n: 'case.mat.verifyLicense' })));
}

function materialsList(k, spec, state) {
  const list = Array.from(state.server.values());
  if (!list.length) return h('p', { class: 'muted', i18n: 'item.mat.none' });
  const idx = spec ? materialIndex(spec) : new Map();
  const li = (m) => {
    const nm = m.file_id && state.names.get(m.file_id);
    return h('li', { 'data-code': m.material_code, 'data-state': m.source !== 'none' ? m.source : m.status },
      h('div', { class: 'case-mat-name' }, bi(m.name, idx.has(m.material_code) && idx.get(m.material_code).name === m.name ? idx.get(m.material_code).name_en : null), ' ', requiredBadge(m.required)),
      h('div', { class: 'case-mat-state' }, materialState(m),
        nm ? h('span', { class: 'muted' }, ` ${nm.filename}`) : null,
        m.source === 'license' && m.license_id ? licenseLinks(k, m.license_id) : null));
  };
  if (k.kind !== 'bundle' || !spec) return h('ul', { class: 'case-mats', 'data-testid': 'case-materials' }, list.map(li));
  /* a bundle: one list per item, in the bundle's order */
  return h('div', { 'data-testid': 'case-materials' }, spec.groups.map((g) => {
    const mine = list.filter((m) => idx.has(m.material_code) && idx.get(m.material_code).group.code === g.code);
    return mine.length ? h('div', { class: 'mat-group' }, h('h3', { class: 'mat-group-title' }, bi(g.name, g.name_en)), h('ul', { class: 'case-mats' }, mine.map(li))) : null;
  }));
}

/** What a notice item names: a material, a form field, or something else. */
function noticeWhat(what, spec) {
  const idx = spec ? materialIndex(spec) : new Map();
  if (idx.has(what)) return [h('span', { class: 'badge', i18n: 'supp.material' }), ' ', idx.get(what).name];
  const key = what.startsWith('form.') ? what.slice(5) : what;
  if (spec && spec.fields.some((f) => f.key === key)) return [h('span', { class: 'badge', i18n: 'supp.field' }), ' ', fieldLabel(spec.fields, key)];
  return [what];
}

function noticePanel(k, spec) {
  const n = k.supplement_notice;
  return section('s-notice', 'supp.title',
    h('div', { class: 'supp-notice', 'data-testid': 'supplement-notice' },
      h('p', { i18n: k.status === 'supplement_requested' ? 'supp.intro' : 'supp.introDone', args: { t: fmtTime(n.at) } }),
      h('ol', { class: 'supp-items' }, (n.items || []).map((it) => h('li', { 'data-what': it.what },
        h('p', { class: 'supp-what' }, noticeWhat(it.what, spec)),
        h('p', { class: 'supp-reason' }, h('span', { i18n: 'supp.reason' }), T('punct.colon'), it.reason)))),
      n.note ? h('p', { class: 'supp-note' }, h('span', { i18n: 'supp.note' }), T('punct.colon'), n.note) : null,
      h('p', null, h('a', { href: `/api/v1/cases/${encodeURIComponent(k.case_no)}/notices/supplement.pdf`, target: '_blank', rel: 'noopener', class: 'pdf-link' },
        h('span', { class: 'pdf-icon', 'aria-hidden': 'true' }, 'PDF'), T('notice.supplement')))));
}

/** The supplement form: what the notice lists first, everything else folded away. */
function supplementForm(k, spec, state) {
  const n = k.supplement_notice || { items: [] };
  const idx = materialIndex(spec);
  const listedMats = [];
  const listedFields = [];
  for (const it of n.items || []) {
    if (idx.has(it.what)) listedMats.push(it.what);
    else {
      const key = it.what.startsWith('form.') ? it.what.slice(5) : it.what;
      if (spec.fields.some((f) => f.key === key)) listedFields.push(key);
    }
  }
  const agentCase = k.applicant && k.applicant.id !== account.id;
  /* prefilled fields show what the server filled in for this case (the same values the window sees) */
  const prefill = {};
  for (const f of spec.fields) if (f.prefill && k.form && k.form[f.key] !== undefined) prefill[f.prefill] = k.form[f.key];
  if (!Object.keys(prefill).length && !agentCase) Object.assign(prefill, prefillFrom(account));
  const supState = newMaterialsState();
  /* a material the window asks again is not "✓ uploaded": the file it refused is gone from this form */
  supState.redo = new Map((n.items || []).filter((it) => idx.has(it.what)).map((it) => [it.what, it.reason]));
  for (const [c, m] of state.server) supState.server.set(c, supState.redo.has(c) ? { ...m, source: 'none' } : m);
  supState.names = state.names;
  const alertBox = formAlert('supp-alert');
  const listedPanel = materialsPanel(spec.groups, supState, { only: listedMats, replace: true, prefix: 'sm', testid: 'supp-materials' });
  const otherMats = spec.groups.flatMap((g) => g.materials.map((m) => m.code)).filter((c) => !listedMats.includes(c));
  const otherPanel = materialsPanel(spec.groups, supState, { only: otherMats, replace: true, prefix: 'so', testid: 'supp-other-materials' });
  const listedForm = listedFields.length ? formFields(spec.fields, { prefix: 'sf', only: listedFields, values: k.form, prefill, auto: agentCase, testid: 'supp-fields' }) : null;
  const otherKeys = spec.fields.map((f) => f.key).filter((key) => !listedFields.includes(key));
  const otherForm = otherKeys.length ? formFields(spec.fields, { prefix: 'so', only: otherKeys, values: k.form, prefill, auto: agentCase, testid: 'supp-other-fields' }) : null;
  const send = h('button', { type: 'button', class: 'btn', i18n: 'supp.submit', 'data-testid': 'supp-submit' });
  send.addEventListener('click', async () => {
    alertBox.replaceChildren();
    const missing = listedMats.filter((c) => !supState.uploads.has(c));
    if (missing.length) {
      showAlert(alertBox, 'supp.needUploads', { names: missing.map((c) => idx.get(c).name).join(t('list.sep')) });
      return;
    }
    if ((listedForm && listedForm.validate()) || (otherForm && otherForm.validate())) {
      showAlert(alertBox, 'apply.fixForm');
      return;
    }
    send.disabled = true;
    const r = await api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/supplement`, {
      form: { ...(otherForm ? otherForm.read() : {}), ...(listedForm ? listedForm.read() : {}) },
      materials: materialsBody(supState),
    });
    send.disabled = false;
    if (!r.ok) {
      const f = (r.error && r.error.field) || '';
      if (f.startsWith('form.') && ((listedForm && listedForm.showError(f.slice(5), r.error)) || (otherForm && otherForm.showError(f.slice(5), r.error)))) {
        showAlert(alertBox, 'apply.fixForm', null, r.error.message);
        return;
      }
      if (f.startsWith('materials.') && (listedPanel.markError(f.slice(10), 'mat.err.required', r.error.message) || otherPanel.markError(f.slice(10), 'mat.err.required', r.error.message))) {
        showAlert(alertBox, 'apply.err.material', { name: (idx.get(f.slice(10)) || {}).name || f.slice(10) }, r.error.message);
        return;
      }
      showAlert(alertBox, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    await load({ flash: 'supp.sent' });
  });
  return section('s-supplement', 'supp.formTitle',
    h('p', { class: 'muted', i18n: 'supp.formIntro' }),
    alertBox,
    listedMats.length ? [h('h3', { i18n: 'supp.listedMaterials' }), listedPanel.el] : null,
    listedForm ? [h('h3', { i18n: 'supp.listedFields' }), listedForm.el] : null,
    h('details', { class: 'supp-more' },
      h('summary', { i18n: 'supp.more' }),
      otherPanel.el,
      otherForm ? [h('h3', { i18n: 'supp.otherFields' }), otherForm.el] : null),
    h('div', { class: 'form-actions' }, send));
}

function withdrawBox(k) {
  const reason = h('textarea', { id: 'withdraw-reason', rows: '3', maxlength: '500' });
  const alertBox = formAlert('withdraw-alert');
  const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger', i18n: 'withdraw.confirm', 'data-testid': 'withdraw-confirm' });
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'withdraw.cancel' });
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'withdraw-h', 'data-testid': 'withdraw-dialog' },
    h('h2', { id: 'withdraw-h', i18n: 'withdraw.title' }),
    h('p', { i18n: 'withdraw.text', args: { no: k.case_no, title: k.title } }),
    alertBox,
    h('div', { class: 'field' }, h('label', { for: 'withdraw-reason', i18n: 'withdraw.reason' }), reason),
    h('div', { class: 'form-actions' }, confirmBtn, cancel));
  const open = h('button', { type: 'button', class: 'btn btn-ghost btn-danger-ghost', i18n: 'withdraw.open', 'data-testid': 'withdraw' });
  open.addEventListener('click', () => dialog.showModal());
  cancel.addEventListener('click', () => dialog.close());
  confirmBtn.addEventListener('click', async () => {
    confirmBtn.disabled = true;
    const r = await api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/withdraw`, reason.value.trim() ? { reason: reason.value.trim() } : {});
    confirmBtn.disabled = false;
    if (!r.ok) {
      showAlert(alertBox, errorKey(r.error), null, r.error && r.error.message);
      return;
    }
    dialog.close();
    await load({ flash: 'withdraw.done' });
  });
  return h('div', { class: 'case-actions' }, h('p', { class: 'muted', i18n: 'withdraw.hint' }), open, dialog);
}

async function render(k, opts = {}) {
  const spec = await loadSpec(k.kind === 'bundle' ? { bundle: k.code } : { item: k.code });
  const sp = spec.error ? null : spec;
  const state = newMaterialsState();
  setServerMaterials(state, await caseMaterials(k));
  await loadFileNames(state);
  setTitleExtra(isEn() && sp && k.title === sp.name && sp.name_en ? sp.name_en : k.title);
  const flash = opts.flash ? h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'flash' }, h('p', { i18n: opts.flash })) : null;
  fill(main, h('div', { class: 'wrap page case-page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', null, h('a', { href: 'cases.html', i18n: 'cases.title' })),
        h('li', { 'aria-current': 'page', class: 'mono' }, k.case_no))),
    h('header', { class: 'case-head' },
      h('div', { class: 'case-head-main' },
        h('p', { class: 'case-no' }, h('span', { i18n: 'case.no' }), T('punct.colon'), h('span', { class: 'mono', 'data-testid': 'case-no' }, k.case_no)),
        h('h1', { 'data-testid': 'case-title' }, titleBi(k, sp)),
        h('p', { class: 'muted' },
          h('span', { i18n: 'case.applicant' }), T('punct.colon'), k.applicant ? k.applicant.name : '', ' · ',
          channel(k.channel), k.submitted_at ? [' · ', h('span', { i18n: 'case.submittedAt', args: { t: fmtTime(k.submitted_at) } })] : null)),
      h('div', { class: 'case-head-status', 'data-testid': 'case-status' }, statusBadge(k.status, 'status-lg'))),
    flash,
    outcome(k),
    h('div', { class: 'case-grid' },
      h('div', { class: 'case-col-main' },
        k.supplement_notice ? noticePanel(k, sp) : null,
        k.status === 'supplement_requested' && sp ? supplementForm(k, sp, state) : null,
        payStep(k),
        section('s-progress', 'case.progressTitle', k.kind === 'bundle' ? bundleProgress(k, sp) : itemProgress(k)),
        section('s-materials', 'case.materials', materialsList(k, sp, state)),
        section('s-form', 'case.answers', answers(k, sp)),
        section('s-timeline', 'case.timeline', timeline(k.timeline, depts))),
      h('aside', { class: 'case-col-side' },
        section('s-clock', k.kind === 'bundle' ? 'case.bundleClock' : 'case.clock', clockBox(k.clock)),
        section('s-notices', 'case.notices', noticeLinks(k)),
        section('s-help', 'case.help',
          h('p', { i18n: 'case.help.status' }),
          h('p', null, h('a', { href: pageUrl('status.html', { case_no: k.case_no }), i18n: 'case.help.statusLink' }))),
        !isFinal(k.status) && k.status !== 'draft' ? section('s-withdraw', 'withdraw.title', withdrawBox(k)) : null))));
}

async function load(opts = {}) {
  const r = await api.get(`/api/v1/cases/${encodeURIComponent(no)}`);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(r, 'case.notfound')));
    return;
  }
  if (r.data.status === 'draft') {
    location.replace(pageUrl('apply.html', { case: no }));
    return;
  }
  await render(r.data, opts);
  if (opts.flash) {
    const f = document.querySelector('[data-testid=flash]');
    if (f) f.scrollIntoView({ block: 'center' });
  }
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
account = await initPage({ active: '' });
if (!account) location.replace(loginHref());
else if (!no) fill(main, h('div', { class: 'wrap page' }, message('info', 'case.missing')));
else {
  const d = await api.departments();
  depts = d.ok ? d.data.items : [];
  await load();
}
