// reset.js - reset.html: a forgotten password, reset with a code sent by SMS
// to the account's verified mobile number (issue 15).  Step one asks for the
// login and POSTs /api/v1/auth/password-reset/code (answered alike whether or
// not the login has a verified number); step two takes the code and the new
// password and POSTs /api/v1/auth/password-reset, which ends every session.
// Without a verified number the page says how to reset at a window.
import { h, fill, params } from '../dom.js';
import { initPage } from '../layout.js';
import * as api from '../api.js';
import { normalize, checkUscc } from '../cnid.js';
import { field, setError, clearField, formAlert, showAlert } from '../forms.js';
import { codeProblem, showCodeError, resendButton } from '../phonecode.js';

const main = document.getElementById('main');

function passwordProblem(pw) {
  if (!pw) return 'err.required';
  if (pw.length < 8) return 'err.passwordShort';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return classes < 2 ? 'err.passwordMix' : null;
}

/** ID numbers and credit codes as the server stores them (full-width, blanks, lower case folded). */
function loginOf(v) {
  const s = normalize(v);
  return s.length === 18 && checkUscc(s).ok ? s.toUpperCase() : s;
}

const alertBox = formAlert('reset-alert');
const sendBtn = h('button', { type: 'submit', class: 'btn', i18n: 'reset.send', 'data-testid': 'reset-send' });
const askForm = h('form', { id: 'form-reset-ask', novalidate: true, 'aria-labelledby': 'reset-title' },
  field({ prefix: 'r', name: 'login', label: 'reset.login', autocomplete: 'username', maxlength: 64, autocapitalize: 'none', value: params().get('login') || '' }),
  h('div', { class: 'form-actions' }, sendBtn));

const submit = h('button', { type: 'submit', class: 'btn', i18n: 'reset.submit', 'data-testid': 'reset-submit' });
let login = '';
const resend = resendButton(() => ask());
const setForm = h('form', { id: 'form-reset', novalidate: true, hidden: true, 'data-testid': 'reset-form' },
  field({ prefix: 'r', name: 'code', label: 'phone.code', hint: 'phone.code.hint', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }),
  field({ prefix: 'r', name: 'new_password', label: 'reset.new', hint: 'reg.password.hint', type: 'password', autocomplete: 'new-password', maxlength: 128 }),
  field({ prefix: 'r', name: 'new_password2', label: 'reset.new2', type: 'password', autocomplete: 'new-password', maxlength: 128 }),
  h('div', { class: 'form-actions' }, submit, ' ', resend));

async function ask() {
  alertBox.replaceChildren();
  const r = await api.post('/api/v1/auth/password-reset/code', { login });
  if (!r.ok) {
    showCodeError(askForm, alertBox, r);
    return false;
  }
  showAlert(alertBox, 'reset.sent', null, null, 'info');
  setForm.hidden = false;
  resend.start(r.data.resend_after || 60);
  setForm.elements.code.focus();
  return true;
}

askForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  login = loginOf(askForm.elements.login.value);
  if (!login) {
    setError(askForm, 'login', 'err.required');
    askForm.elements.login.focus();
    return;
  }
  clearField(askForm, 'login');
  sendBtn.disabled = true;
  const ok = await ask();
  sendBtn.disabled = false;
  if (ok) {
    askForm.elements.login.readOnly = true;
    sendBtn.hidden = true; /* "send again" below takes over */
  }
});

setForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  alertBox.replaceChildren();
  const el = setForm.elements;
  let first = null;
  const check = (name, key) => {
    if (key) {
      setError(setForm, name, key);
      first = first || name;
    } else clearField(setForm, name);
  };
  check('code', codeProblem(el.code.value.trim()));
  check('new_password', passwordProblem(el.new_password.value));
  check('new_password2', el.new_password2.value !== el.new_password.value ? 'err.passwordMatch' : null);
  if (first) {
    el[first].focus();
    return;
  }
  submit.disabled = true;
  const r = await api.post('/api/v1/auth/password-reset', { login, code: el.code.value.trim(), new_password: el.new_password.value });
  submit.disabled = false;
  if (!r.ok) {
    showCodeError(setForm, alertBox, r);
    return;
  }
  fill(done, h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'reset-done' },
    h('p', { i18n: 'reset.done' }),
    h('p', null, h('a', { class: 'btn', href: 'login.html', i18n: 'reset.toLogin' }))));
  askForm.hidden = true;
  setForm.hidden = true;
  alertBox.replaceChildren();
});

const done = h('div', { id: 'reset-result' });
fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'auth-layout' },
    h('div', { class: 'page-head' },
      h('h1', { id: 'reset-title', i18n: 'reset.title' }),
      h('p', { i18n: 'reset.intro' })),
    h('div', { class: 'panel' }, alertBox, done, askForm, setForm,
      h('p', { class: 'muted small', i18n: 'reset.window', 'data-testid': 'reset-window' })))));

await initPage({ active: '' });
