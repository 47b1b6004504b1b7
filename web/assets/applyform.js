// applyform.js - the parts of an application that the portal's wizard
// (apply.html), the supplement form (case.html) and the window clerk's
// application (workbench/window.html) share:
//
//   loadSpec({item | bundle})     the item's (or the bundle's items') form fields and materials
//   prefillFrom(account)          what the server fills in from the applicant's record
//   formFields(fields, opts)      typed inputs (text, date, number, choice, id_number, uscc,
//                                 address, phone), prefilled ones read-only; checks like the server
//   materialsPanel(groups, state) each material: required or conditional, upload with progress
//                                 and errors, or 已由电子证照免于提交 when the server used an e-license
//   missingMaterials(...)         required materials not yet satisfied, live
//   precheck(spec, state, who)    asks the server (POST /cases/precheck) which materials the
//                                 applicant's own valid e-licenses satisfy and what it prefills;
//                                 a bundle's materials are then merged by what they are
import { h, T, fill, bi } from './dom.js';
import { t, isEn } from './i18n.js';
import * as api from './api.js';
import { checkId, checkUscc, normalize, mobileOk, landlineOk } from './cnid.js';
import { setError, setOk, clearField, errorKey } from './forms.js';
import { requiredBadge, size as fmtSize } from './casefmt.js';
import './i18n-datahub.js';

export const MAX_BYTES = 20 * 1024 * 1024;
const EXT = /\.(pdf|jpe?g|png|ofd)$/i;
const MIMES = ['application/pdf', 'image/jpeg', 'image/png', 'application/ofd'];
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png';

/**
 * The form fields and materials of an item, or of every item of a bundle (one
 * form whose fields are the union of the items' fields, each key once, as the
 * server builds it).  Resolves to a spec or { error: response }.
 */
/* A field whose prefill source is RESOURCE.field is answered by the data hub
 * (GET /api/v1/datahub/prefill?item=, each read in the applicant's ledger):
 * it carries its item so the form can ask, and is shown locked. */
const isHub = (f) => typeof f.prefill === 'string' && f.prefill.includes('.');
function hubTagged(form, code) {
  return form.map((f) => (isHub(f) ? { ...f, item: code } : f));
}

/* English names of the items loadSpec has read, by code (a material one step issues names it) */
const ITEM_NAMES_EN = new Map();

export async function loadSpec({ item, bundle }) {
  if (item) {
    const r = await api.item(item);
    if (!r.ok) return { error: r };
    const it = r.data;
    if (it.name_en) ITEM_NAMES_EN.set(it.code, it.name_en);
    return {
      kind: 'item',
      code: it.code,
      name: it.name,
      name_en: it.name_en,
      target: it.target,
      realname_level: Number(it.realname_level) || 1,
      promised_days: it.promised_days,
      dept: it.dept,
      dept_name: it.dept_name,
      fields: hubTagged(Array.isArray(it.form) ? it.form : [], it.code),
      groups: [{ code: it.code, name: it.name, name_en: it.name_en, dept: it.dept, dept_name: it.dept_name, step: 0, materials: it.materials || [] }],
    };
  }
  const r = await api.bundle(bundle);
  if (!r.ok) return { error: r };
  const b = r.data;
  const refs = (b.steps || []).flatMap((s, i) => (s.items || []).map((x) => ({ ...x, step: s.step || i + 1 })));
  const items = await Promise.all(refs.map((x) => api.item(x.code)));
  const bad = items.find((x) => !x.ok);
  if (bad) return { error: bad };
  for (const x of items) if (x.data.name_en) ITEM_NAMES_EN.set(x.data.code, x.data.name_en);
  const fields = [];
  const seen = new Set();
  for (const x of items) {
    for (const f of hubTagged(x.data.form || [], x.data.code)) {
      if (!seen.has(f.key)) {
        seen.add(f.key);
        fields.push(f);
      }
    }
  }
  const first = items[0] && items[0].data;
  return {
    kind: 'bundle',
    code: b.code,
    name: b.name,
    name_en: b.name_en,
    target: b.target,
    realname_level: first ? Number(first.realname_level) || 1 : 1,
    promised_days: b.promised_days,
    fields,
    groups: items.map((x, i) => ({
      code: x.data.code, name: x.data.name, name_en: x.data.name_en, dept: x.data.dept, dept_name: x.data.dept_name, step: refs[i].step, materials: x.data.materials || [],
    })),
  };
}

/** Every material of a spec, by code. */
export function materialIndex(spec) {
  const m = new Map();
  for (const g of spec.groups) for (const x of g.materials) m.set(x.code, { ...x, group: g });
  return m;
}

/**
 * What the server takes from the applicant's record for a field's `prefill`
 * source (src/cases/apply.c prefill_value): the name, the ID number or credit
 * code, sex, birth date, phone, legal representative.
 */
export function prefillFrom(account) {
  if (!account) return {};
  const p = account.profile || {};
  const ident = p.id_number || p.uscc || account.login || '';
  return {
    name: account.name || '',
    company_name: account.name || '',
    id_number: ident,
    uscc: ident,
    sex: p.sex === 'M' ? '男' : p.sex === 'F' ? '女' : '',
    birth_date: p.birth_date || '',
    phone: account.phone || '',
    legal_rep: p.legal_rep_name || '',
  };
}

const HINTS = {
  id_number: 'apply.hint.id_number',
  uscc: 'apply.hint.uscc',
  phone: 'apply.hint.phone',
  date: 'apply.hint.date',
  number: 'apply.hint.number',
};

function control(f, id, describedBy, readonly) {
  const common = {
    id,
    name: f.key,
    'aria-describedby': describedBy,
    'aria-required': f.required ? 'true' : null,
    required: !readonly && !!f.required,
    readonly: readonly || null,
    'data-type': f.type,
  };
  if (f.type === 'choice' && !readonly) {
    return h('select', common,
      h('option', { value: '', i18n: 'apply.choose' }),
      // the value stays the Chinese option (what is stored); the text is
      // options_en[i] in English, switched in place like any bi() element
      (f.options || []).map((o, i) => bi(o, optionEn(f, i), 'option', { value: o })));
  }
  if (!readonly && longText(f)) {
    return h('textarea', { ...common, rows: '3', maxlength: 500, spellcheck: 'false', class: 'wide' });
  }
  const types = { date: 'date', number: 'number', phone: 'tel' };
  return h('input', {
    ...common,
    type: readonly ? 'text' : types[f.type] || 'text',
    inputmode: f.type === 'number' ? 'decimal' : f.type === 'phone' ? 'tel' : null,
    step: f.type === 'number' && !readonly ? 'any' : null,
    maxlength: f.type === 'id_number' || f.type === 'uscc' ? 18 : f.type === 'phone' ? 20 : 500,
    autocomplete: f.type === 'address' ? 'street-address' : 'off',
    autocapitalize: f.type === 'id_number' || f.type === 'uscc' ? 'characters' : null,
    spellcheck: 'false',
    class: f.type === 'address' ? 'wide' : null,
  });
}

/** A text field whose answer runs to sentences (经营范围, 变更事项及内容, 说明…): a text area. */
function longText(f) {
  return f.type === 'text' && /范围|内容|说明|理由|原因|备注|情况|描述|事由|项目$|科目/.test(f.label || '');
}

/** Check one value the way the server does: null when fine, else [dictionary key, args]. */
export function checkValue(f, raw) {
  const v = String(raw ?? '').trim();
  if (!v) return f.required ? ['err.required'] : null;
  switch (f.type) {
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())) return ['err.date'];
      return null;
    case 'number':
      if (!Number.isFinite(Number(v))) return ['err.number'];
      return Number(v) < 0 ? ['err.negative'] : null;
    case 'id_number': {
      const r = checkId(v);
      return r.ok ? null : [`err.${r.code}`];
    }
    case 'uscc': {
      const r = checkUscc(v);
      return r.ok ? null : [`err.${r.code}`];
    }
    case 'phone':
      return mobileOk(v) || landlineOk(v) ? null : ['err.phone'];
    case 'choice':
      return (f.options || []).includes(v) ? null : ['err.choice'];
    default:
      return [...v].length > 500 ? ['err.tooLong'] : null;
  }
}

/**
 * The form's fields.  opts: { prefix, prefill (from prefillFrom), auto (prefilled
 * fields the server fills although we do not know the value: an agent applying
 * for a company), values (saved answers), only (keys to show) }.
 * Returns { el, read(), validate(), showError(key, err), setValues(values), setPrefill(prefill) }.
 */
export function formFields(fields, opts = {}) {
  const prefix = opts.prefix || 'f';
  let prefill = opts.prefill || {};
  const list = opts.only ? fields.filter((f) => opts.only.includes(f.key)) : fields;
  const form = h('div', { class: 'apply-fields', 'data-testid': opts.testid || 'form-fields' });
  const inputs = new Map();

  const isPre = (f) => !!(f.prefill && (prefill[f.prefill] || opts.auto));

  function build() {
    inputs.clear();
    fill(form, list.map((f) => {
      const id = `${prefix}-${f.key}`;
      const pre = isPre(f);
      const hintKey = pre ? (prefill[f.prefill] ? 'apply.prefilled' : 'apply.auto') : HINTS[f.type];
      const locked = pre && isHub(f) && prefill[f.prefill] !== undefined;
      const describedBy = [`${id}-hint`, `${id}-ok`, `${id}-error`].join(' ');
      const input = control(f, id, describedBy, pre);
      if (pre) input.value = prefill[f.prefill] || '';
      else if (opts.values && opts.values[f.key] !== undefined && opts.values[f.key] !== null) input.value = String(opts.values[f.key]);
      if (pre && !prefill[f.prefill]) input.setAttribute('data-i18n-attr', 'placeholder:apply.autoPlaceholder');
      if (pre && !prefill[f.prefill]) input.setAttribute('placeholder', t('apply.autoPlaceholder'));
      inputs.set(f.key, input);
      if (!pre) {
        const check = (typing) => {
          if (typing && (f.type === 'id_number' || f.type === 'uscc') && normalize(input.value).length < 18) return;
          const bad = checkValue(f, input.value);
          if (bad && !(typing && bad[0] === 'err.required')) setError(form, f.key, bad[0], bad[1]);
          else if (!bad && input.value.trim() && f.type === 'id_number') {
            const r = checkId(input.value);
            setOk(form, f.key, 'reg.idOk', { sex: t(`sex.${r.sex}`), birth: r.birth });
          } else clearField(form, f.key);
        };
        input.addEventListener('input', () => check(true));
        input.addEventListener('change', () => check(false));
        input.addEventListener('blur', () => check(false));
      }
      return h('div', { class: `field${pre ? ' field-prefilled' : ''}`, 'data-field': f.key, 'data-type': f.type },
        h('div', { class: 'label-row' },
          bi(f.label || f.key, f.label_en, 'label', { for: id }),
          f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
        input,
        locked ? h('p', { class: 'hint dh-locked-note', id: `${id}-hint`, 'data-testid': `locked-${f.key}` },
          h('span', { i18n: 'dh.locked.short' }), ' · ',
          h('a', { href: `mydata.html?report=${encodeURIComponent(f.prefill)}`, i18n: 'dh.locked.report', 'data-testid': `report-${f.key}` }))
          : h('p', { class: 'hint', id: `${id}-hint`, i18n: hintKey || 'apply.hint.text' }),
        h('p', { class: 'field-ok', id: `${id}-ok`, 'aria-live': 'polite' }),
        h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite', 'data-testid': `error-${f.key}` }));
    }));
  }
  build();

  /* the data hub's values for hub-sourced fields: the applicant's own (not an agent's for a company) */
  const hubItems = [...new Set(list.filter((f) => isHub(f) && f.item).map((f) => f.item))];
  if (hubItems.length && !opts.auto) {
    Promise.all(hubItems.map((code) => api.get(`/api/v1/datahub/prefill${api.qs({ item: code })}`))).then((rs) => {
      const hub = {};
      for (const r of rs) if (r.ok) Object.assign(hub, r.data.values);
      if (!Object.keys(hub).length) return;
      const typed = {};
      for (const f of list) if (!isPre(f) && inputs.get(f.key).value.trim()) typed[f.key] = inputs.get(f.key).value;
      opts.values = { ...(opts.values || {}), ...typed };
      prefill = { ...prefill, ...hub };
      build();
      form.dispatchEvent(new CustomEvent('ywtb:hubprefill', { bubbles: true }));
    });
  }

  return {
    el: form,
    /** The answers: typed ones (numbers as numbers), plus the prefilled values we know. */
    read() {
      const out = {};
      for (const f of list) {
        const input = inputs.get(f.key);
        const v = input.value.trim();
        if (!v) continue;
        if (isPre(f) && !prefill[f.prefill]) continue;
        if (f.type === 'number' && !isPre(f)) out[f.key] = Number(v);
        else if (f.type === 'id_number' || f.type === 'uscc') out[f.key] = normalize(v);
        else out[f.key] = v;
      }
      return out;
    },
    /** Check every editable field; focus and return the first bad key (null when all are fine). */
    validate() {
      let first = null;
      this.errors = [];
      for (const f of list) {
        if (isPre(f)) continue;
        const bad = checkValue(f, inputs.get(f.key).value);
        if (bad) {
          setError(form, f.key, bad[0], bad[1]);
          this.errors.push({ f, input: inputs.get(f.key), key: bad[0], args: bad[1] });
          first = first || f.key;
        } else clearField(form, f.key);
      }
      if (first) inputs.get(first).focus();
      return first;
    },
    /**
     * The error summary (GOV.UK's pattern) in box: how many problems, then each
     * one as a link to its field - the field's label and what is wrong.
     */
    summarize(box) {
      const errs = this.errors || [];
      if (!errs.length) return;
      box.replaceChildren(h('div', { class: 'notice notice-error error-summary', 'data-testid': 'error-summary', tabindex: '-1' },
        h('p', { class: 'error-summary-title', i18n: 'apply.errorSummary', args: { n: errs.length } }),
        h('ul', null, errs.map((e) => h('li', null,
          h('a', {
            href: `#${e.input.id}`,
            onclick: (ev) => {
              ev.preventDefault();
              e.input.focus();
              e.input.scrollIntoView({ block: 'center' });
            },
          }, bi(e.f.label || e.f.key, e.f.label_en), '：', h('span', { i18n: e.key, args: e.args })))))));
      box.firstChild.focus();
    },
    /** Show the server's error under the field it names (form.KEY); false when no such field. */
    showError(key, err) {
      if (!inputs.has(key)) return false;
      setError(form, key, errorKey(err), null, err && err.message);
      inputs.get(key).focus();
      return true;
    },
    setValues(values) {
      for (const f of list) {
        const input = inputs.get(f.key);
        if (values && values[f.key] !== undefined && values[f.key] !== null && (!isPre(f) || !input.value)) {
          input.value = String(values[f.key]);
        }
      }
    },
    setPrefill(p) {
      prefill = p || {};
      const vals = this.read();
      opts.values = { ...(opts.values || {}), ...vals };
      build();
    },
    fields: list,
  };
}

/** The English text of a choice field's i-th option (options_en, same order as options), or undefined. */
function optionEn(f, i) {
  return Array.isArray(f.options_en) && f.options_en.length === (f.options || []).length && typeof f.options_en[i] === 'string'
    ? f.options_en[i] : undefined;
}

/**
 * A stored answer as shown: for a choice field whose value is one of its
 * (Chinese) options, a <span> with the option and its English text (options_en)
 * by the language, switched in place; anything else as text.
 */
export function answerText(fields, key, value) {
  const f = (fields || []).find((x) => x.key === key);
  const s = String(value);
  if (f && f.type === 'choice') {
    const i = (f.options || []).indexOf(s);
    if (i >= 0 && optionEn(f, i)) return bi(s, optionEn(f, i));
  }
  return s;
}

/** The label of a form field by key (a <span> with label / label_en by the language, switched in place), or the key. */
export function fieldLabel(fields, key) {
  const f = fields.find((x) => x.key === key);
  return f ? bi(f.label || key, f.label_en) : key;
}

/* ---- materials ---- */

/**
 * Ask the server, before anything is handed in, what the submission would
 * fill in for this applicant (POST /api/v1/cases/precheck, the same e-license
 * providers and prefill the submission uses).  who: { applicant_id } (the
 * window) or { on_behalf_of } (an agent).  Puts each material's status into
 * state.pre and, for a bundle, merges its materials by what they are
 * (state.groups).  Resolves to the answer ({ form, rules, materials, applicant })
 * or null when the server could not tell (the page then promises nothing).
 */
export async function precheck(spec, state, who = {}) {
  const r = await api.post('/api/v1/cases/precheck', { [spec.kind === 'bundle' ? 'bundle_code' : 'item_code']: spec.code, ...who });
  state.pre = null;
  state.alias = new Map();
  state.groups = spec.groups;
  if (!r.ok || !r.data) return null;
  state.pre = new Map(r.data.materials.map((m) => [m.material_code, m]));
  if (spec.kind === 'bundle') state.groups = mergeGroups(spec, state);
  return r.data;
}

/**
 * A bundle's materials asked once: the same material (by e-license type, else
 * by name) asked by several items is one card whose upload serves them all;
 * a 营业执照 an earlier step issues is one card that asks for nothing.
 */
function mergeGroups(spec, state) {
  const merged = new Map();
  for (const g of spec.groups) {
    for (const m of g.materials) {
      const pre = state.pre.get(m.code) || {};
      const key = pre.status === 'produced' ? `produced:${m.license_type}` : m.license_type || m.name;
      let x = merged.get(key);
      if (!x) {
        x = { ...m, codes: [], asked_by: [] };
        merged.set(key, x);
      }
      x.codes.push(m.code);
      x.asked_by.push({ code: g.code, name: g.name, name_en: g.name_en, step: g.step });
      if (m.required === 'required' && x.required !== 'required') {
        x.required = 'required';
        x.condition = '';
      }
    }
  }
  /* what there is to hand in first, what is not needed last */
  const rank = (x) => {
    const st = (state.pre.get(x.code) || {}).status;
    return st && st !== 'none' ? 2 : x.required === 'required' ? 0 : 1;
  };
  const list = Array.from(merged.values()).map((x, i) => [rank(x), i, x]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((e) => e[2]);
  for (const x of list) state.alias.set(x.code, x.codes);
  return [{ code: spec.code, name: spec.name, step: 0, materials: list }];
}

/** The groups to show: merged when the server was asked (a bundle), else the spec's. */
export function materialGroups(spec, state) {
  return state.groups || spec.groups;
}

/** The precheck answer of a material (of any code a merged card stands for), or null. */
function preOf(state, code) {
  return (state.pre && state.pre.get(code)) || null;
}

/**
 * Is a material satisfied: uploaded here, (per the server) by a file or an
 * e-license of a saved case, or (per precheck) by the applicant's own valid
 * e-license ('license') or by the e-license an earlier bundle step issues
 * ('produced') or by the bundle's one form ('form')?
 */
export function satisfied(state, code) {
  if (state.uploads.has(code)) return 'file';
  const codes = (state.alias && state.alias.get(code)) || [code];
  for (const c of codes) {
    const s = state.server.get(c);
    if (s && s.source && s.source !== 'none') return s.source;
  }
  const pre = preOf(state, code);
  if (pre && ['license', 'produced', 'form'].includes(pre.status)) return pre.status;
  return null;
}

/** The code of the card that stands for material `code` (a merged bundle card), or code. */
export function cardCode(state, code) {
  if (state.alias) for (const [k, v] of state.alias) if (v.includes(code)) return k;
  return code;
}

/**
 * Required materials not satisfied yet: [{ m, group, license }] where license
 * means an e-license of its type might still satisfy it at submission.
 */
export function missingMaterials(groups, state) {
  const out = [];
  for (const g of groups) {
    for (const m of g.materials) {
      if (m.required !== 'required' || satisfied(state, m.code)) continue;
      /* without the server's answer an e-license may still be found at submission */
      out.push({ m, group: g, license: !state.pre && !!m.license_type && !state.server.has(m.code) });
    }
  }
  return out;
}

/** The materials a request sends: every upload made here. */
export function materialsBody(state) {
  return Array.from(state.uploads.entries()).flatMap(([code, u]) => ((state.alias && state.alias.get(code)) || [code])
    .map((c) => ({ material_code: c, file_id: u.file_id })));
}

/** A new materials state: uploads made here and the server's view of the case's materials. */
export function newMaterialsState() {
  return { uploads: new Map(), server: new Map(), names: new Map(), pre: null, alias: new Map(), groups: null };
}

/** Put a case's materials (from the server) into the state. */
export function setServerMaterials(state, list) {
  for (const m of list || []) state.server.set(m.material_code, m);
}

function formText(m) {
  const parts = [];
  if (['original', 'copy', 'electronic'].includes(m.form)) parts.push(T(`item.mat.form.${m.form}`));
  if (Number(m.copies) > 0) parts.push(T('unit.copies', { n: Number(m.copies) }));
  return parts.flatMap((p, i) => (i ? [' · ', p] : [p]));
}

/**
 * The materials, one card each, grouped by item for bundles.  opts: { onChange,
 * only (codes to show), replace (allow replacing what is satisfied), prefix }.
 * Returns { el, refresh(), markError(code, key, message) }.
 */
export function materialsPanel(groups, state, opts = {}) {
  const el = h('div', { class: 'materials-panel', 'data-testid': opts.testid || 'materials-panel' });
  const cards = new Map();
  const multi = groups.length > 1;

  function card(m, g) {
    const li = h('li', { class: 'mat-card', 'data-code': m.code });
    cards.set(m.code, { li, m, g });
    renderCard(m.code);
    return li;
  }

  /* data in the page's language where the catalog has it in English (issue 15) */
  const pick2 = (zh, en) => (isEn() && en ? en : zh);
  const lt = (m) => pick2(m.license_type_name || m.license_type, m.license_type_name_en);
  const itemName = (code, zh) => pick2(zh || code, ITEM_NAMES_EN.get(code));

  function renderCard(code) {
    const { li, m } = cards.get(code);
    const src = satisfied(state, code);
    const up = state.uploads.get(code);
    const server = state.server.get(code);
    const pre = preOf(state, code);
    const stateName = ['license', 'produced', 'form', 'step'].includes(src) && !up ? (src === 'step' ? 'produced' : src) : src ? 'file' : m.required === 'required' ? 'missing' : 'optional';
    li.setAttribute('data-state', stateName);
    const inputId = `${opts.prefix || 'mat'}-${code}`;
    const input = h('input', {
      type: 'file',
      id: inputId,
      class: 'file-input',
      accept: ACCEPT,
      'data-code': code,
      i18nAttr: 'aria-label:mat.uploadFor',
      args: { name: pick2(m.name, m.name_en) },
    });
    const progress = h('progress', { class: 'mat-progress', max: '100', value: '0', hidden: true, i18nAttr: 'aria-label:mat.progress', args: { name: pick2(m.name, m.name_en) } });
    const progressText = h('span', { class: 'mat-progress-text', 'aria-live': 'polite' });
    const error = h('p', { class: 'mat-error', role: 'alert', 'data-testid': `mat-error-${code}` });
    input.addEventListener('change', () => pick(code, input, progress, progressText, error));
    let stateLine;
    if (stateName === 'license') {
      const ref = (server && server.license_id) || (pre && pre.license_id);
      stateLine = h('p', { class: 'mat-state mat-license', 'data-testid': `mat-state-${code}` },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'), T('mat.byLicense'),
        ref ? h('span', { class: 'muted mono mat-ref' }, ref) : null);
    } else if (stateName === 'produced') {
      stateLine = h('p', { class: 'mat-state mat-license mat-produced', 'data-testid': `mat-state-${code}` },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'),
        pre ? T('mat.produced', { n: pre.produced_step, item: itemName(pre.produced_by, pre.produced_by_name), name: lt(m) }) : T('mat.byStep'));
    } else if (stateName === 'form') {
      stateLine = h('p', { class: 'mat-state mat-license mat-by-form', 'data-testid': `mat-state-${code}` },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'), T('mat.byForm'));
    } else if (up) {
      stateLine = h('p', { class: 'mat-state mat-file', 'data-testid': `mat-state-${code}` },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'), T('mat.uploadedName', { name: up.filename || '', size: fmtSize(up.size) }));
    } else if (src === 'file') {
      const nm = state.names.get(server && server.file_id);
      stateLine = h('p', { class: 'mat-state mat-file', 'data-testid': `mat-state-${code}` },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓'), nm ? T('mat.uploadedName', { name: nm.filename, size: fmtSize(nm.size) }) : T('mat.uploaded'));
    } else if (state.redo && state.redo.has(code)) {
      stateLine = h('p', { class: 'mat-state mat-missing mat-redo', 'data-testid': `mat-state-${code}` },
        T('mat.redo', { reason: state.redo.get(code) || '' }));
    } else {
      stateLine = h('p', { class: `mat-state ${m.required === 'required' ? 'mat-missing' : 'mat-optional'}`, 'data-testid': `mat-state-${code}` },
        T(m.required === 'required' ? 'mat.notYet' : 'mat.ifApplies'));
    }
    const canUpload = !['license', 'produced', 'form'].includes(stateName) || opts.replace;
    fill(li,
      h('div', { class: 'mat-main' },
        h('p', { class: 'mat-title' }, bi(m.name, m.name_en, 'span', { class: 'mat-name' }), ' ', requiredBadge(m.required)),
        m.required === 'conditional' && m.condition ? h('p', { class: 'mat-condition', i18n: 'item.mat.condition', args: { c: pick2(m.condition, m.condition_en) } }) : null,
        h('p', { class: 'mat-meta muted' }, formText(m)),
        m.license_type && !['license', 'produced', 'form'].includes(stateName)
          ? h('p', { class: 'mat-elic-hint', 'data-testid': `mat-hint-${code}` },
            T(state.pre ? 'mat.noLicense' : 'mat.licenseHint', { name: lt(m) })) : null,
        m.asked_by && m.asked_by.length > 1
          ? h('p', { class: 'mat-asked-by muted small', 'data-testid': `mat-for-${code}` }, T('mat.askedBy', { n: m.asked_by.length, items: m.asked_by.map((x) => (isEn() && x.name_en ? x.name_en : x.name)).join(isEn() ? '; ' : '、') })) : null),
      h('div', { class: 'mat-action' },
        stateLine,
        canUpload ? h('label', { class: `btn ${src ? 'btn-ghost' : ''} btn-file`, for: inputId },
          h('span', { i18n: src ? 'mat.replace' : 'mat.upload' })) : null,
        canUpload ? input : null,
        h('div', { class: 'mat-progress-row' }, progress, progressText),
        error));
  }

  async function pick(code, input, progress, progressText, error) {
    const file = input.files && input.files[0];
    if (!file) return;
    error.replaceChildren();
    const { li } = cards.get(code);
    li.classList.remove('mat-card-error');
    const fail = (key, args, server) => {
      li.classList.add('mat-card-error');
      fill(error, h('span', { i18n: key, args }), server ? h('span', { class: 'server', i18n: 'err.serverSaid', args: { message: server } }) : null);
    };
    if (file.size === 0) return fail('mat.err.empty');
    if (file.size > MAX_BYTES) return fail('mat.err.size', { size: fmtSize(file.size) });
    if (!EXT.test(file.name) && !MIMES.includes(file.type)) return fail('mat.err.type');
    input.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    progressText.textContent = t('mat.uploading', { pct: 0 });
    const r = await api.upload(file, (loaded, total) => {
      const pct = total ? Math.round((loaded / total) * 100) : 0;
      progress.value = pct;
      progressText.textContent = t('mat.uploading', { pct });
    });
    input.disabled = false;
    progress.hidden = true;
    progressText.textContent = '';
    if (!r.ok) {
      const key = r.status === 415 ? 'mat.err.type' : r.status === 413 ? 'mat.err.size' : errorKey(r.error);
      return fail(key, { size: fmtSize(file.size) }, r.error && r.error.code !== 'network' ? r.error.message : '');
    }
    state.uploads.set(code, { file_id: r.data.file_id, filename: r.data.filename || file.name, size: r.data.size || file.size, mime: r.data.mime });
    renderCard(code);
    const again = cards.get(code).li.querySelector('.mat-state');
    if (again) again.setAttribute('tabindex', '-1');
    if (opts.onChange) opts.onChange(code);
  }

  function build() {
    cards.clear();
    const shown = (g) => g.materials.filter((m) => !opts.only || opts.only.includes(m.code));
    fill(el, groups.filter((g) => shown(g).length).map((g) => h('section', { class: 'mat-group', 'data-item': g.code },
      multi ? h('h3', { class: 'mat-group-title' },
        g.step ? h('span', { class: 'step-no', i18n: 'bundle.step', args: { n: g.step } }) : null, ' ', bi(g.name, g.name_en),
        g.dept_name ? h('span', { class: 'muted mat-group-dept' }, ' · ', g.dept_name) : null) : null,
      h('ul', { class: 'mat-cards' }, shown(g).map((m) => card(m, g))))));
  }
  build();

  return {
    el,
    refresh() {
      for (const code of cards.keys()) renderCard(code);
    },
    rebuild: build,
    markError(code, key, message) {
      const c = cards.get(code) || cards.get(cardCode(state, code));
      if (!c) return false;
      c.li.classList.add('mat-card-error');
      const err = c.li.querySelector('.mat-error');
      fill(err, h('span', { i18n: key }), message ? h('span', { class: 'server', i18n: 'err.serverSaid', args: { message } }) : null);
      c.li.scrollIntoView({ block: 'center' });
      return true;
    },
  };
}

/** Learn the names of files the server lists: from the case (m.file, for everyone who sees it), else GET /files/{id}. */
export async function loadFileNames(state) {
  for (const m of state.server.values()) {
    if (m.source === 'file' && m.file_id && m.file && !state.names.has(m.file_id)) state.names.set(m.file_id, { filename: m.file.filename || m.file_id, size: m.file.size });
  }
  const ids = Array.from(state.server.values()).filter((m) => m.source === 'file' && m.file_id && !state.names.has(m.file_id)).map((m) => m.file_id);
  await Promise.all(ids.map(async (id) => {
    const r = await api.get(`/api/v1/files/${encodeURIComponent(id)}`);
    if (r.ok && r.data) state.names.set(id, { filename: r.data.filename || id, size: r.data.size });
  }));
}

/** A case's materials, with a bundle's read from its sub-cases. */
export async function caseMaterials(k) {
  if (k.kind !== 'bundle') return k.materials || [];
  const subs = await Promise.all((k.sub_cases || []).map((s) => api.get(`/api/v1/cases/${encodeURIComponent(s.case_no)}`)));
  return subs.filter((r) => r.ok).flatMap((r) => r.data.materials || []);
}
