// apply.js - apply.html?item=CODE | ?bundle=CODE | ?case=NO (a saved draft):
// applying online in four steps.
//   1 表单  the item's form fields, typed; prefilled ones shown filled and read-only
//   2 材料  each material: upload (PDF/JPEG/PNG/OFD, at most 20 MiB, with progress and
//           errors) or 已由电子证照免于提交 when the server says (POST /cases/precheck)
//           that one of the applicant's own valid e-licenses satisfies it; a bundle's
//           materials once each, the 营业执照 its first step issues not asked at all
//   3 确认  everything once more, the missing materials listed live
//   4 提交  POST /api/v1/cases with an Idempotency-Key made once per wizard session
// 保存草稿 creates a draft (draft: true) and then updates it (PUT).  A person
// authorized by companies (account.agent_for) may apply for one of them
// (代表企业办理, on_behalf_of).
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, message, setTitleExtra, loginHref } from '../layout.js';
import { t, isEn } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey } from '../forms.js';
import { days } from '../format.js';
import {
  loadSpec, prefillFrom, formFields, materialsPanel, missingMaterials, materialsBody, newMaterialsState,
  setServerMaterials, loadFileNames, caseMaterials, satisfied, answerText, precheck, materialGroups, cardCode,
} from '../applyform.js';
import { size as fmtSize, deptName } from '../casefmt.js';

const main = document.getElementById('main');
const p = params();
let depts = [];
const STEPS = ['apply.step.form', 'apply.step.materials', 'apply.step.confirm', 'apply.step.submit'];

function page(...content) {
  return fill(main, h('div', { class: 'wrap page' }, content));
}

/** The wizard's Idempotency-Key: one per wizard session (kept across a reload of the tab). */
function wizardKey(code) {
  const k = `ywtb.apply.${code}`;
  try {
    let v = sessionStorage.getItem(k);
    if (!v) {
      v = api.newKey();
      sessionStorage.setItem(k, v);
    }
    return { value: v, done: () => sessionStorage.removeItem(k) };
  } catch {
    const v = api.newKey();
    return { value: v, done() {} };
  }
}

function guideLink(spec) {
  return spec.kind === 'bundle' ? pageUrl('bundle.html', { code: spec.code }) : pageUrl('item.html', { code: spec.code });
}

async function start() {
  page(h('p', { class: 'loading', i18n: 'loading' }));
  const account = await initPage({ active: '' });
  const caseNo = p.get('case') || '';
  let itemCode = p.get('item') || '';
  let bundleCode = p.get('bundle') || '';
  if (!account) {
    page(h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'apply-login' },
      h('p', { i18n: 'apply.needLogin' }),
      h('p', null, h('a', { class: 'btn', href: loginHref(), i18n: 'item.apply.login' }))));
    return;
  }
  if (account.kind === 'staff') {
    page(message('info', 'apply.staff', null, h('p', null, h('a', { href: pageUrl('workbench/window.html', { item: itemCode, bundle: bundleCode }), i18n: 'apply.toWorkbench' }))));
    return;
  }
  let draft = null;
  if (caseNo) {
    const r = await api.get(`/api/v1/cases/${encodeURIComponent(caseNo)}`);
    if (!r.ok) {
      page(failure(r, 'case.notfound'));
      return;
    }
    if (r.data.status !== 'draft') {
      location.replace(pageUrl('case.html', { no: caseNo }));
      return;
    }
    draft = r.data;
    if (draft.kind === 'bundle') bundleCode = draft.code;
    else itemCode = draft.code;
  }
  if (!itemCode && !bundleCode) {
    page(message('info', 'apply.missing', null, h('p', null, h('a', { href: 'search.html', i18n: 'search.all' }))));
    return;
  }
  const [spec, d] = await Promise.all([loadSpec(itemCode ? { item: itemCode } : { bundle: bundleCode }), api.departments()]);
  depts = d.ok ? d.data.items : [];
  if (spec.error) {
    page(failure(spec.error, itemCode ? 'item.notfound' : 'bundle.notfound'));
    return;
  }
  setTitleExtra(isEn() && spec.name_en ? spec.name_en : spec.name);

  /* who may apply: the item's target, an agent for a company, the real-name level */
  const agentFor = Array.isArray(account.agent_for) ? account.agent_for : [];
  let agent = false;
  if (spec.target === 'person' && account.kind !== 'person') {
    page(head(spec), message('info', 'apply.wrongKind.person', null, h('p', null, h('a', { href: guideLink(spec), i18n: 'apply.backToGuide' }))));
    return;
  }
  if (spec.target === 'enterprise' && account.kind !== 'enterprise') {
    if (account.kind === 'person' && agentFor.length) agent = true;
    else {
      page(head(spec), h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'apply-refused' },
        h('p', { i18n: 'apply.wrongKind.enterprise' }),
        h('p', null, h('a', { href: guideLink(spec), i18n: 'apply.backToGuide' }))));
      return;
    }
  }
  const level = Number(account.profile && account.profile.realname_level) || 0;
  if (!agent && level < spec.realname_level) {
    page(head(spec), h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'apply-realname' },
      h('p', { i18n: 'apply.realname', args: { need: spec.realname_level, have: level } }),
      h('p', { i18n: 'apply.realname.how' }),
      h('p', null, h('a', { href: guideLink(spec), i18n: 'apply.backToGuide' }), ' · ', h('a', { href: 'me.html', i18n: 'account.me' }))));
    return;
  }
  wizard(account, spec, draft, agent ? agentFor : null);
}

function head(spec) {
  return [
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', null, h('a', { href: guideLink(spec) }, bi(spec.name, spec.name_en))),
        h('li', { 'aria-current': 'page', i18n: 'apply.title' }))),
    h('header', { class: 'page-head apply-head' },
      h('h1', { 'data-testid': 'apply-title' }, h('span', { i18n: 'apply.titleFor' }), bi(spec.name, spec.name_en)),
      h('p', { class: 'muted' },
        spec.kind === 'bundle' ? T('apply.bundleFacts', { n: spec.groups.length }) : deptName(depts, spec.dept, spec.dept_name),
        ' · ', h('span', { i18n: 'item.promisedDays' }), ' ', days(spec.promised_days))),
  ];
}

function wizard(account, spec, initialDraft, agentFor) {
  let draft = initialDraft;
  let step = 0;
  const key = wizardKey(spec.code);
  const state = newMaterialsState();
  const alertBox = formAlert('apply-alert');
  const codeField = spec.kind === 'bundle' ? 'bundle_code' : 'item_code';

  /* 代表企业办理: which company (agents only) */
  let behalf = null;
  let behalfSelect = null;
  if (agentFor) {
    behalfSelect = h('select', { id: 'behalf', name: 'behalf', required: true, 'aria-describedby': 'behalf-hint' },
      h('option', { value: '', i18n: 'apply.choose' }),
      agentFor.map((c) => h('option', { value: String(c.id) }, `${c.name}（${c.uscc}）`)));
    const fromDraft = draft && agentFor.find((c) => draft.applicant && c.id === draft.applicant.id);
    if (fromDraft || agentFor.length === 1) {
      behalf = fromDraft || agentFor[0];
      behalfSelect.value = String(behalf.id);
    }
    if (draft) behalfSelect.disabled = true; /* a draft's applicant is fixed */
  }
  const prefillFor = () => (behalf ? { name: behalf.name, company_name: behalf.name, id_number: behalf.uscc, uscc: behalf.uscc } : prefillFrom(account));
  const fields = formFields(spec.fields, { prefix: 'f', prefill: prefillFor(), auto: !!agentFor, values: draft ? draft.form : {} });
  if (behalfSelect) {
    behalfSelect.addEventListener('change', () => {
      behalf = agentFor.find((c) => String(c.id) === behalfSelect.value) || null;
      fields.setPrefill(prefillFor());
      askServer();
    });
  }

  const missingNote = h('div', { class: 'missing-live', 'aria-live': 'polite', 'data-testid': 'missing-live' });
  const matsBox = h('div', { class: 'mats-box', 'data-testid': 'mats-box' });
  let mats = null;
  function buildMats() {
    mats = materialsPanel(materialGroups(spec, state), state, { onChange: () => renderMissing(), prefix: 'm' });
    fill(matsBox, mats.el);
  }
  buildMats();

  /* ask the server what it fills in for this applicant: prefilled values and the
   * materials their own valid e-licenses satisfy (or an earlier step issues) */
  let checked = false;
  async function askServer() {
    if (agentFor && !behalf) return;
    const pre = await precheck(spec, state, behalf ? { on_behalf_of: behalf.id } : {});
    checked = !!pre;
    if (pre) {
      const known = {};
      for (const f of spec.fields) if (f.prefill && pre.form[f.key] !== undefined) known[f.prefill] = pre.form[f.key];
      fields.setPrefill(known);
    }
    buildMats();
    renderMissing();
    matsBox.setAttribute('data-checked', checked ? 'true' : 'false');
  }

  function renderMissing() {
    const miss = missingMaterials(materialGroups(spec, state), state);
    const hard = miss.filter((x) => !x.license);
    fill(missingNote, hard.length
      ? h('p', { class: 'missing-count' }, T('apply.missingCount', { n: hard.length }))
      : h('p', { class: 'missing-none' }, T('apply.missingNone')));
  }
  renderMissing();

  const stepper = h('ol', { class: 'stepper', 'data-testid': 'stepper' });
  const panels = [
    h('section', { class: 'panel wiz-panel', 'data-step': '1', 'aria-labelledby': 'wiz-h1' },
      h('h2', { id: 'wiz-h1', tabindex: '-1', i18n: 'apply.step.form.title' }),
      agentFor ? h('div', { class: 'field behalf', 'data-field': 'behalf' },
        h('div', { class: 'label-row' }, h('label', { for: 'behalf', i18n: 'apply.behalf' }), h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
        behalfSelect,
        h('p', { class: 'hint', id: 'behalf-hint', i18n: 'apply.behalf.hint' }),
        h('p', { class: 'field-ok' }),
        h('p', { class: 'field-error', id: 'behalf-error', 'aria-live': 'polite' })) : null,
      spec.fields.length ? h('p', { class: 'muted', i18n: 'apply.form.intro' }) : h('p', { class: 'muted', i18n: 'apply.form.none' }),
      fields.el),
    h('section', { class: 'panel wiz-panel', 'data-step': '2', 'aria-labelledby': 'wiz-h2', hidden: true },
      h('h2', { id: 'wiz-h2', tabindex: '-1', i18n: 'apply.step.materials.title' }),
      h('p', { class: 'muted', i18n: 'apply.materials.intro' }),
      missingNote,
      matsBox),
    h('section', { class: 'panel wiz-panel', 'data-step': '3', 'aria-labelledby': 'wiz-h3', hidden: true },
      h('h2', { id: 'wiz-h3', tabindex: '-1', i18n: 'apply.step.confirm.title' }),
      h('div', { class: 'confirm', 'data-testid': 'confirm' })),
    h('section', { class: 'panel wiz-panel', 'data-step': '4', 'aria-labelledby': 'wiz-h4', hidden: true },
      h('h2', { id: 'wiz-h4', tabindex: '-1', i18n: 'apply.step.submit.title' }),
      h('div', { class: 'result', 'data-testid': 'result' })),
  ];

  const back = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'apply.back', 'data-testid': 'wiz-back' });
  const next = h('button', { type: 'button', class: 'btn', i18n: 'apply.next', 'data-testid': 'wiz-next' });
  const submit = h('button', { type: 'button', class: 'btn btn-submit', i18n: 'apply.submit', 'data-testid': 'wiz-submit' });
  const save = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'apply.saveDraft', 'data-testid': 'wiz-save' });
  const nav = h('div', { class: 'wiz-nav' }, back, next, submit, h('span', { class: 'wiz-spacer' }), save);
  const draftNote = h('p', { class: 'draft-note muted', 'data-testid': 'draft-note' });

  function renderStepper() {
    fill(stepper, STEPS.map((k, i) => h('li', {
      class: i < step ? 'done' : i === step ? 'current' : '',
      'aria-current': i === step ? 'step' : null,
    }, h('span', { class: 'stepper-no', 'aria-hidden': 'true' }, i < step ? '✓' : String(i + 1)), h('span', { class: 'stepper-label', i18n: k }))));
  }

  function go(n, focus = true) {
    step = n;
    panels.forEach((el, i) => {
      el.hidden = i !== n;
    });
    back.hidden = n === 0 || n === 3;
    next.hidden = n >= 2;
    submit.hidden = n !== 2;
    save.hidden = n === 3;
    renderStepper();
    if (n === 2) renderConfirm();
    if (focus) {
      const hd = panels[n].querySelector('h2');
      hd.focus();
      window.scrollTo(0, 0);
    }
  }

  function behalfOk() {
    if (!agentFor) return true;
    const err = document.getElementById('behalf-error');
    if (!behalf) {
      fill(err, h('span', { i18n: 'apply.behalf.required' }));
      behalfSelect.setAttribute('aria-invalid', 'true');
      behalfSelect.focus();
      return false;
    }
    err.replaceChildren();
    behalfSelect.removeAttribute('aria-invalid');
    return true;
  }

  next.addEventListener('click', () => {
    alertBox.replaceChildren();
    if (step === 0) {
      if (!behalfOk()) return;
      if (fields.validate()) {
        fields.summarize(alertBox);
        return;
      }
    }
    go(step + 1);
  });
  back.addEventListener('click', () => {
    alertBox.replaceChildren();
    go(Math.max(0, step - 1));
  });

  function renderConfirm() {
    const box = panels[2].querySelector('.confirm');
    const values = fields.read();
    const miss = missingMaterials(materialGroups(spec, state), state);
    const hard = miss.filter((x) => !x.license);
    const soft = miss.filter((x) => x.license);
    const merged = state.groups && state.groups !== spec.groups;
    const applicant = behalf ? `${behalf.name}（${behalf.uscc}）` : `${account.name}（${account.login}）`;
    fill(box,
      hard.length ? h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'missing' },
        h('p', { i18n: 'apply.missing.list', args: { n: hard.length } }),
        h('ul', null, hard.map((x) => h('li', { 'data-code': x.m.code },
          h('a', { href: `#m-${x.m.code}`, class: 'missing-link', onclick: (ev) => { ev.preventDefault(); toMaterial(x.m.code); } }, bi(x.m.name, x.m.name_en)),
          spec.kind === 'bundle' && !merged ? h('span', { class: 'muted' }, T('punct.open'), bi(x.group.name, x.group.name_en), T('punct.close')) : null))),
        h('p', null, h('button', { type: 'button', class: 'linkish', i18n: 'apply.missing.go', onclick: () => go(1) })))
        : h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'missing' }, h('p', { i18n: 'apply.missing.none' })),
      soft.length ? h('div', { class: 'notice notice-info', 'data-testid': 'license-pending' },
        h('p', { i18n: 'apply.missing.license' }),
        h('ul', null, soft.map((x) => h('li', { 'data-code': x.m.code }, bi(x.m.name, x.m.name_en), ' — ', T('mat.licenseHint', { name: (isEn() && x.m.license_type_name_en) || x.m.license_type_name || x.m.license_type }))))) : null,
      h('h3', { i18n: 'apply.confirm.who' }),
      h('dl', { class: 'dl-grid' },
        h('dt', { i18n: 'apply.confirm.item' }), h('dd', null, bi(spec.name, spec.name_en)),
        h('dt', { i18n: 'apply.confirm.applicant' }), h('dd', { 'data-testid': 'confirm-applicant' }, applicant),
        behalf ? [h('dt', { i18n: 'apply.confirm.agent' }), h('dd', null, account.name)] : null),
      h('h3', { i18n: 'apply.confirm.form' }),
      spec.fields.length ? h('dl', { class: 'dl-grid confirm-form', 'data-testid': 'confirm-form' }, spec.fields.map((f) => [
        bi(f.label || f.key, f.label_en, 'dt'),
        h('dd', { 'data-key': f.key }, values[f.key] !== undefined ? answerText(spec.fields, f.key, values[f.key]) : h('span', { class: 'muted', i18n: f.prefill && agentFor ? 'apply.auto' : 'apply.empty' }))]))
        : h('p', { class: 'muted', i18n: 'apply.form.none' }),
      h('h3', { i18n: 'apply.confirm.materials' }),
      h('ul', { class: 'confirm-mats', 'data-testid': 'confirm-mats' }, materialGroups(spec, state).flatMap((g) => g.materials.map((m) => {
        const src = satisfied(state, m.code);
        const up = state.uploads.get(m.code);
        return h('li', { 'data-code': m.code, 'data-state': src || (m.required === 'required' ? 'missing' : 'optional') },
          bi(m.name, m.name_en, 'span', { class: 'mat-name' }),
          spec.kind === 'bundle' && !merged ? h('span', { class: 'muted' }, T('punct.open'), bi(g.name, g.name_en), T('punct.close')) : null, ' ',
          src === 'license' ? h('span', { class: 'mat-state mat-license' }, T('mat.byLicense'))
            : src === 'produced' || src === 'step' ? h('span', { class: 'mat-state mat-license' }, T('mat.producedShort'))
              : src === 'form' ? h('span', { class: 'mat-state mat-license' }, T('mat.byForm'))
            : up ? h('span', { class: 'mat-state mat-file' }, T('mat.uploadedName', { name: up.filename, size: fmtSize(up.size) }))
              : src ? h('span', { class: 'mat-state mat-file' }, T('mat.uploaded'))
                : m.required === 'required' && m.license_type && !state.server.has(m.code)
                  ? h('span', { class: 'mat-state mat-optional' }, T('mat.licensePending'))
                  : h('span', { class: `mat-state ${m.required === 'required' ? 'mat-missing' : 'mat-optional'}` }, T(m.required === 'required' ? 'mat.missing' : 'mat.notNeeded')));
      }))));
  }

  function body(extra) {
    const b = { form: fields.read(), materials: materialsBody(state), ...extra };
    return b;
  }

  /** After the server answered with the case: its form (prefilled values) and materials. */
  async function sync(k) {
    draft = k;
    if (behalfSelect) behalfSelect.disabled = true;
    fields.setValues(k.form || {});
    setServerMaterials(state, await caseMaterials(k));
    await loadFileNames(state);
    mats.refresh();
    renderMissing();
    draftNote.replaceChildren(T('apply.draftNo', { no: k.case_no }));
    history.replaceState(null, '', pageUrl('apply.html', { case: k.case_no }));
  }

  /** Go to the materials step and to one material's card, named in the alert. */
  function toMaterial(code) {
    go(1, false);
    const m = materialGroups(spec, state).flatMap((g) => g.materials).find((x) => x.code === cardCode(state, code));
    if (mats.markError(code, 'mat.err.required')) {
      showAlert(alertBox, 'apply.err.material', { name: m ? (isEn() && m.name_en) || m.name : code });
    }
  }

  /** Show an error of the server where it belongs: a form field, a material, or the alert box. */
  function placeError(r) {
    const err = r.error || {};
    const f = err.field || '';
    if (f.startsWith('form.')) {
      go(0, false);
      if (fields.showError(f.slice(5), err)) {
        showAlert(alertBox, 'apply.fixForm', null, err.message);
        return;
      }
    }
    if (f.startsWith('materials.')) {
      const code = f.slice(10);
      go(1, false);
      if (mats.markError(code, 'mat.err.required', err.message)) {
        showAlert(alertBox, 'apply.err.material', { name: ((mm) => (isEn() && mm.name_en) || mm.name)(spec.groups.flatMap((g) => g.materials).find((m) => m.code === code) || {}) || code }, err.message);
        mats.markError(code, 'mat.err.required', err.message); /* in view under the alert */
        return;
      }
    }
    if (f === 'on_behalf_of') {
      go(0, false);
      showAlert(alertBox, 'apply.err.behalf', null, err.message);
      return;
    }
    showAlert(alertBox, r.status === 403 ? 'apply.err.forbidden' : errorKey(err), null, err.code !== 'network' ? err.message : '');
    alertBox.scrollIntoView({ block: 'center' });
  }

  function busy(on) {
    for (const b of [back, next, submit, save]) b.disabled = on;
  }

  save.addEventListener('click', async () => {
    alertBox.replaceChildren();
    if (!behalfOk()) return;
    busy(true);
    let r;
    if (!draft) {
      r = await api.post('/api/v1/cases', body({ [codeField]: spec.code, draft: true, channel: 'online', on_behalf_of: behalf ? behalf.id : undefined }),
        { 'Idempotency-Key': key.value });
      if (r.ok) key.done();
    } else {
      r = await api.put(`/api/v1/cases/${encodeURIComponent(draft.case_no)}`, body());
    }
    busy(false);
    if (!r.ok) {
      placeError(r);
      return;
    }
    await sync(r.data);
    showAlert(alertBox, 'apply.saved', { no: r.data.case_no }, null, 'ok');
  });

  submit.addEventListener('click', async () => {
    alertBox.replaceChildren();
    const hard = missingMaterials(materialGroups(spec, state), state).filter((x) => !x.license);
    if (hard.length) {
      toMaterial(hard[0].m.code);
      return;
    }
    busy(true);
    submit.setAttribute('data-i18n', 'apply.submitting');
    submit.textContent = t('apply.submitting');
    let r;
    if (!draft) {
      r = await api.post('/api/v1/cases', body({ [codeField]: spec.code, channel: 'online', on_behalf_of: behalf ? behalf.id : undefined }),
        { 'Idempotency-Key': key.value });
    } else {
      r = await api.put(`/api/v1/cases/${encodeURIComponent(draft.case_no)}`, body({ submit: true }));
    }
    busy(false);
    submit.setAttribute('data-i18n', 'apply.submit');
    submit.textContent = t('apply.submit');
    if (!r.ok) {
      placeError(r);
      return;
    }
    key.done();
    done(r.data);
  });

  function done(k) {
    history.replaceState(null, '', pageUrl('case.html', { no: k.case_no }));
    fill(panels[3].querySelector('.result'),
      h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'submitted' },
        h('p', { class: 'result-title', i18n: 'apply.done' }),
        h('p', null, h('span', { i18n: 'case.no' }), T('punct.colon'), h('strong', { class: 'mono', 'data-testid': 'case-no' }, k.case_no)),
        h('p', { i18n: 'apply.done.next', args: { n: Number(spec.promised_days) || 0 } })),
      h('p', { class: 'result-links' },
        h('a', { class: 'btn', href: pageUrl('case.html', { no: k.case_no }), i18n: 'apply.done.view' }), ' ',
        h('a', { class: 'btn btn-ghost', href: `/api/v1/cases/${encodeURIComponent(k.case_no)}/notices/receipt.pdf`, target: '_blank', rel: 'noopener', i18n: 'apply.done.receipt' }), ' ',
        h('a', { class: 'btn btn-ghost', href: 'cases.html', i18n: 'apply.done.mine' })));
    draftNote.replaceChildren();
    go(3);
  }

  page(head(spec),
    stepper,
    alertBox,
    h('div', { class: 'wizard', 'data-testid': 'wizard' }, panels),
    nav,
    draftNote);
  askServer().then(() => (draft ? sync(draft) : null));
  go(0, false);
}

start();
