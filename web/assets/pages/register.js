// register.js - register.html (#enterprise opens the company tab): a citizen
// registers with the resident ID number, a company with its unified social
// credit code and legal representative.  Numbers are checked as they are typed
// (cnid.js: GB 11643 MOD 11-2, GB 32100 MOD 31 and GB 11714); the server checks
// again and its answer, shown under the field it names, is the one that counts.
import { h, fill } from '../dom.js';
import { initPage } from '../layout.js';
import { t as tr } from '../i18n.js';
import * as api from '../api.js';
import { checkId, checkUscc, normalize, mobileOk, landlineOk } from '../cnid.js';
import { field, setError, setOk, clearField, formAlert, showAlert, showApiError } from '../forms.js';

const main = document.getElementById('main');

const PERSON = [
  { name: 'name', label: 'reg.name', hint: 'reg.name.hint', autocomplete: 'name', maxlength: 32 },
  { name: 'id_number', label: 'reg.id_number', hint: 'reg.id_number.hint', maxlength: 24, autocapitalize: 'characters', kind: 'id' },
  { name: 'phone', label: 'reg.phone', hint: 'reg.phone.hint', type: 'tel', inputmode: 'numeric', autocomplete: 'tel', maxlength: 11, kind: 'mobile' },
  { name: 'password', label: 'reg.password', hint: 'reg.password.hint', type: 'password', autocomplete: 'new-password', maxlength: 128, kind: 'password' },
  { name: 'password2', label: 'reg.password2', type: 'password', autocomplete: 'new-password', maxlength: 128, kind: 'password2' },
];
const ENTERPRISE = [
  { name: 'name', label: 'reg.ent.name', hint: 'reg.ent.name.hint', autocomplete: 'organization', maxlength: 100 },
  { name: 'uscc', label: 'reg.uscc', hint: 'reg.uscc.hint', maxlength: 24, autocapitalize: 'characters', kind: 'uscc' },
  { name: 'legal_rep_name', label: 'reg.legal_rep_name', maxlength: 32 },
  { name: 'legal_rep_id', label: 'reg.legal_rep_id', hint: 'reg.id_number.hint', maxlength: 24, autocapitalize: 'characters', kind: 'id' },
  { name: 'phone', label: 'reg.ent.phone', hint: 'reg.ent.phone.hint', type: 'tel', autocomplete: 'tel', maxlength: 20, kind: 'phone' },
  { name: 'password', label: 'reg.password', hint: 'reg.password.hint', type: 'password', autocomplete: 'new-password', maxlength: 128, kind: 'password' },
  { name: 'password2', label: 'reg.password2', type: 'password', autocomplete: 'new-password', maxlength: 128, kind: 'password2' },
];

function passwordProblem(pw) {
  if (pw.length < 8) return 'err.passwordShort';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return classes < 2 ? 'err.passwordMix' : null;
}

/**
 * Check one field; show its error or its ok note.  `typing` is true while the
 * user is still typing: incomplete numbers are then not reported yet.
 * Returns true when the value is acceptable.
 */
function check(form, spec, typing) {
  const input = form.elements[spec.name];
  const v = input.value;
  if (!v.trim()) {
    if (typing) clearField(form, spec.name);
    else setError(form, spec.name, 'err.required');
    return false;
  }
  switch (spec.kind) {
    case 'id': {
      const n = normalize(v);
      if (typing && n.length < 18) {
        clearField(form, spec.name);
        return false;
      }
      const r = checkId(n);
      if (!r.ok) return !setError(form, spec.name, `err.${r.code}`);
      setOk(form, spec.name, 'reg.idOk', { sex: tr(`sex.${r.sex}`), birth: r.birth });
      return true;
    }
    case 'uscc': {
      const n = normalize(v);
      if (typing && n.length < 18) {
        clearField(form, spec.name);
        return false;
      }
      const r = checkUscc(n);
      if (!r.ok) return !setError(form, spec.name, `err.${r.code}`);
      const category = r.known ? `${tr(`uscc.auth.${r.prefix[0]}`)} · ${tr(`uscc.cat.${r.prefix}`)}` : r.prefix;
      setOk(form, spec.name, 'reg.usccOk', { category });
      return true;
    }
    case 'mobile':
      if (typing && v.length < 11) return false;
      if (!mobileOk(v.trim())) return !setError(form, spec.name, 'err.mobile');
      break;
    case 'phone':
      if (typing) return false;
      if (!mobileOk(v.trim()) && !landlineOk(v.trim())) return !setError(form, spec.name, 'err.phone');
      break;
    case 'password': {
      if (typing) return false;
      const problem = passwordProblem(v);
      if (problem) return !setError(form, spec.name, problem);
      break;
    }
    case 'password2':
      if (typing && v.length < form.elements.password.value.length) return false;
      if (v !== form.elements.password.value) return !setError(form, spec.name, 'err.passwordMatch');
      break;
    default:
      if (typing) return false;
      if ([...v.trim()].length < 2) return !setError(form, spec.name, 'err.nameShort');
  }
  clearField(form, spec.name);
  return true;
}

function body(kind, form) {
  const v = (n) => form.elements[n].value.trim();
  if (kind === 'person') {
    return { kind, name: v('name'), id_number: normalize(v('id_number')), phone: v('phone'), password: form.elements.password.value };
  }
  return {
    kind,
    uscc: normalize(v('uscc')),
    name: v('name'),
    legal_rep_name: v('legal_rep_name'),
    legal_rep_id: normalize(v('legal_rep_id')),
    phone: v('phone'),
    password: form.elements.password.value,
  };
}

function success(panel, login) {
  try {
    sessionStorage.setItem('ywtb.login', login);
  } catch {
    /* no prefill then */
  }
  const head = h('h2', { tabindex: '-1', i18n: 'reg.success' });
  fill(panel, h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'register-success' },
    head,
    h('p', { i18n: 'reg.success.text', args: { login } }),
    h('p', null, h('a', { class: 'btn', href: 'login.html?registered=1', i18n: 'reg.toLogin' }))));
  head.focus();
}

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('data-i18n', on ? 'reg.submitting' : 'reg.submit');
  button.textContent = tr(on ? 'reg.submitting' : 'reg.submit');
}

function buildForm(kind, specs) {
  const prefix = kind === 'person' ? 'p' : 'e';
  const alertBox = formAlert(`${prefix}-alert`);
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'reg.submit' });
  const form = h('form', { id: `form-${kind}`, novalidate: true, 'aria-labelledby': `tab-${kind}` },
    alertBox,
    specs.map((s) => field({ ...s, prefix })),
    h('div', { class: 'form-actions' }, submit));
  for (const s of specs) {
    const input = form.elements[s.name];
    input.addEventListener('input', () => {
      check(form, s, true);
    });
    input.addEventListener('blur', () => {
      if (s.kind === 'id' || s.kind === 'uscc') {
        const n = normalize(input.value);
        if (n !== input.value && input.value.trim()) input.value = n;
      }
      if (input.value.trim()) check(form, s, false);
    });
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alertBox.replaceChildren();
    let first = null;
    for (const s of specs) {
      if (!check(form, s, false) && !first) first = form.elements[s.name];
    }
    if (first) {
      showAlert(alertBox, 'reg.fixErrors');
      first.focus();
      return;
    }
    busy(submit, true);
    const b = body(kind, form);
    const r = await api.register(b);
    busy(submit, false);
    if (r.ok) {
      success(form.parentElement, (r.data && r.data.account && r.data.account.login) || b.id_number || b.uscc);
      return;
    }
    showApiError(form, alertBox, r.error);
  });
  return form;
}

function tabs() {
  const list = h('div', { class: 'tabs', role: 'tablist', i18nAttr: 'aria-label:reg.tabs' });
  const kinds = ['person', 'enterprise'];
  const buttons = kinds.map((k) => h('button', {
    type: 'button',
    role: 'tab',
    id: `tab-${k}`,
    'aria-controls': `panel-${k}`,
    i18n: k === 'person' ? 'reg.person' : 'reg.enterprise',
  }));
  const select = (k, focus) => {
    buttons.forEach((b, i) => {
      const on = kinds[i] === k;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      document.getElementById(`panel-${kinds[i]}`).hidden = !on;
      if (on && focus) b.focus();
    });
    history.replaceState(null, '', k === 'enterprise' ? '#enterprise' : location.pathname + location.search);
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => select(kinds[i], false));
    b.addEventListener('keydown', (ev) => {
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % kinds.length;
      else if (ev.key === 'ArrowLeft') j = (i + kinds.length - 1) % kinds.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = kinds.length - 1;
      if (j !== null) {
        ev.preventDefault();
        select(kinds[j], true);
      }
    });
    list.appendChild(b);
  });
  return { list, select };
}

const t = tabs();
fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'auth-layout' },
    h('div', { class: 'page-head' },
      h('h1', { i18n: 'reg.title' }),
      h('p', { i18n: 'reg.intro' })),
    h('div', { class: 'panel' },
      t.list,
      h('div', { role: 'tabpanel', id: 'panel-person', 'aria-labelledby': 'tab-person' }, buildForm('person', PERSON)),
      h('div', { role: 'tabpanel', id: 'panel-enterprise', 'aria-labelledby': 'tab-enterprise' }, buildForm('enterprise', ENTERPRISE)),
      h('p', { class: 'form-foot' },
        h('span', { i18n: 'reg.haveAccount' }), ' ',
        h('a', { href: 'login.html', i18n: 'reg.loginLink' }))))));
t.select(location.hash === '#enterprise' ? 'enterprise' : 'person', false);
await initPage({ active: '' });

// re-check shown notes (sex, category) in the new language
document.addEventListener('ywtb:lang', () => {
  for (const form of document.querySelectorAll('form')) {
    const specs = form.id === 'form-person' ? PERSON : ENTERPRISE;
    for (const s of specs) if ((s.kind === 'id' || s.kind === 'uscc') && form.elements[s.name].classList.contains('valid')) check(form, s, false);
  }
});
