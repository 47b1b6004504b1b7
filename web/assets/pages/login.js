// login.js - login.html?next= : log in with a resident ID number, a unified
// social credit code or a staff username.  The session is an HttpOnly cookie;
// afterwards the page goes back to `next` (a page of this site) or to me.html.
import { h, fill, params } from '../dom.js';
import { initPage } from '../layout.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { checkUscc } from '../cnid.js';
import { field, setError, clearField, formAlert, showAlert, showApiError } from '../forms.js';

const main = document.getElementById('main');
const p = params();

/** Only pages of this site, never another origin; staff land on the workbench. */
function nextPage(account) {
  const n = p.get('next') || '';
  if (/^(workbench\/)?[a-z]+\.html(\?[^#\\/]*)?$/.test(n)) return n;
  /* single sign-on: back to the authorization request of the system that asked (issue 13) */
  if (/^\/oauth2\/authorize\?[^#\\]*$/.test(n)) return n;
  return account && account.kind === 'staff' ? 'workbench/index.html' : 'me.html';
}

/** ID numbers and credit codes in capitals (a valid code typed in lower case); usernames as typed. */
function normalizeLogin(v) {
  const s = v.trim();
  if (/^\d{17}[xX]$/.test(s)) return s.toUpperCase();
  if (s.length === 18 && checkUscc(s).ok) return s.toUpperCase();
  return s;
}

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('data-i18n', on ? 'login.submitting' : 'login.submit');
  button.textContent = t(on ? 'login.submitting' : 'login.submit');
}

let remembered = '';
try {
  remembered = sessionStorage.getItem('ywtb.login') || '';
} catch {
  /* none */
}

const alertBox = formAlert('login-alert');
const already = h('div', { id: 'already' });
const submit = h('button', { type: 'submit', class: 'btn', i18n: 'login.submit' });
const form = h('form', { id: 'form-login', novalidate: true, 'aria-labelledby': 'login-title' },
  alertBox,
  field({ prefix: 'l', name: 'login', label: 'login.login', hint: 'login.login.hint', autocomplete: 'username', maxlength: 64, value: remembered, autocapitalize: 'none' }),
  field({ prefix: 'l', name: 'password', label: 'login.password', type: 'password', autocomplete: 'current-password', maxlength: 1024 }),
  h('div', { class: 'form-actions' }, submit));

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  alertBox.replaceChildren();
  const login = normalizeLogin(form.elements.login.value);
  const password = form.elements.password.value;
  let first = null;
  for (const [name, v] of [['login', login], ['password', password]]) {
    if (!v) {
      setError(form, name, 'err.required');
      first = first || form.elements[name];
    } else clearField(form, name);
  }
  if (first) {
    first.focus();
    return;
  }
  busy(submit, true);
  const r = await api.login(login, password);
  if (r.ok) {
    try {
      sessionStorage.removeItem('ywtb.login');
    } catch {
      /* fine */
    }
    location.href = nextPage(r.data && r.data.account);
    return;
  }
  busy(submit, false);
  if (r.error && r.error.code === 'invalid_credentials') {
    form.elements.password.value = '';
    showAlert(alertBox, 'err.invalid_credentials', null, r.error.message);
    form.elements.password.focus();
    return;
  }
  showApiError(form, alertBox, r.error);
});

fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'auth-layout' },
    h('div', { class: 'page-head' },
      h('h1', { id: 'login-title', i18n: 'login.title' }),
      h('p', { i18n: 'login.intro' })),
    already,
    h('div', { class: 'panel' },
      form,
      h('p', { class: 'form-foot' },
        h('span', { i18n: 'login.noAccount' }), ' ',
        h('a', { href: 'register.html', i18n: 'login.registerLink' })),
      /* a forgotten password: reset at the window after an in-person check */
      h('details', { class: 'forgot', 'data-testid': 'forgot' },
        h('summary', { i18n: 'login.forgot' }),
        /* with a verified mobile number: by SMS code (reset.html, issue 15) */
        h('p', null, h('a', { href: 'reset.html', i18n: 'reset.link', 'data-testid': 'reset-link' })),
        h('p', { i18n: 'login.forgot.text' }),
        h('p', { i18n: 'footer.address' }),
        h('p', { i18n: 'footer.hours' }),
        h('p', { class: 'muted', i18n: 'login.forgot.lock' }))))));

if (p.get('registered') && remembered) {
  showAlert(alertBox, 'login.registered', null, null, 'ok');
  form.elements.password.focus();
} else if (p.get('next')) {
  showAlert(alertBox, 'login.needed', null, null, 'info');
}

const account = await initPage({ active: '' });
if (account) {
  fill(already, h('div', { class: 'notice notice-info', role: 'status' },
    h('p', null, h('span', { i18n: 'login.already', args: { name: account.name } }), ' ',
      h('a', { href: 'me.html', i18n: 'account.me' }))));
}
