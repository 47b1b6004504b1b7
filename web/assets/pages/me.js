// me.js - me.html: the logged-in account as its owner sees it, in full: name,
// phone, login; for a person the ID number with the sex and birth date it
// encodes; for a company the credit code with what it encodes (registration
// authority, category, region, organization code) and the legal representative.
// A company also authorizes its staff as agents (经办人) here: GET, POST and
// DELETE /api/v1/enterprise/agents - an agent applies for the company with
// their own login.
import { h, T, bi, fill } from '../dom.js';
import { initPage } from '../layout.js';
import { t, isEn, has } from '../i18n.js';
import * as api from '../api.js';
import { checkId, checkUscc, ageOn, mobileOk } from '../cnid.js';
import { codeProblem, showCodeError, resendButton } from '../phonecode.js';
import { field, setError, clearField, formAlert, showAlert, showApiError } from '../forms.js';

const main = document.getElementById('main');

function row(labelKey, value, opts = {}) {
  if (value === undefined || value === null || value === '') return null;
  return [
    h('dt', { i18n: labelKey }),
    h('dd', { 'data-testid': opts.testid || null, class: opts.mono ? 'mono' : null },
      value, opts.derived ? h('span', { class: 'derived', i18n: 'me.derived' }) : null),
  ];
}

function region(code) {
  if (has(`region.${code}`)) return [T(`region.${code}`), ' ', h('span', { class: 'muted mono' }, `(${code})`)];
  return h('span', { class: 'mono' }, code);
}

function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(isEn() ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}

function personPanel(a) {
  const pr = a.profile || {};
  const id = pr.id_number || a.login;
  const c = checkId(id);
  const sex = c.ok ? c.sex : pr.sex;
  const birth = c.ok ? c.birth : pr.birth_date;
  return h('section', { class: 'panel', 'aria-labelledby': 'me-person' },
    h('h2', { id: 'me-person', i18n: 'me.person' }),
    h('dl', { class: 'dl-grid' },
      row('me.name', a.name, { testid: 'me-name' }),
      row('me.id_number', id, { testid: 'me-id', mono: true }),
      row('me.sex', sex ? T(`sex.${sex}`) : null, { testid: 'me-sex', derived: c.ok }),
      row('me.birth', birth, { testid: 'me-birth', derived: c.ok }),
      row('me.age', birth ? T('me.ageValue', { n: ageOn(birth) }) : null, { derived: c.ok }),
      row('me.region', c.ok ? region(c.region) : pr.region ? region(pr.region) : null, { derived: c.ok }),
      row('me.realname', pr.realname_level ? T('item.realnameLevel', { n: pr.realname_level }) : null)));
}

function enterprisePanel(a) {
  const pr = a.profile || {};
  const code = pr.uscc || a.login;
  const c = checkUscc(code);
  return h('section', { class: 'panel', 'aria-labelledby': 'me-ent' },
    h('h2', { id: 'me-ent', i18n: 'me.enterprise' }),
    h('dl', { class: 'dl-grid' },
      row('me.entName', a.name, { testid: 'me-name' }),
      row('me.uscc', code, { testid: 'me-uscc', mono: true }),
      row('me.authority', c.ok && c.known ? T(`uscc.auth.${c.prefix[0]}`) : null, { derived: true }),
      row('me.category', c.ok && c.known ? T(`uscc.cat.${c.prefix}`) : pr.category || null, { testid: 'me-category', derived: c.ok && c.known }),
      row('me.regRegion', c.ok ? region(c.region) : null, { derived: true }),
      row('me.orgCode', c.ok ? c.orgCode : null, { mono: true, derived: true }),
      row('me.legal_rep_name', pr.legal_rep_name, { testid: 'me-rep' }),
      row('me.legal_rep_id', pr.legal_rep_id, { mono: true, testid: 'me-rep-id' }),
      row('me.realname', pr.realname_level ? T('item.realnameLevel', { n: pr.realname_level }) : null)));
}

let depts = [];

function passwordProblem(pw) {
  if (pw.length < 8) return 'err.passwordShort';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return classes < 2 ? 'err.passwordMix' : null;
}

/** Change the password (POST /api/v1/me/password): every other session of the account ends. */
function passwordPanel() {
  const alertBox = formAlert('pw-alert');
  const submit = h('button', { type: 'submit', class: 'btn', i18n: 'pw.submit', 'data-testid': 'pw-submit' });
  const form = h('form', { id: 'form-password', novalidate: true, 'aria-labelledby': 'me-pw' },
    alertBox,
    field({ prefix: 'pw', name: 'old_password', label: 'pw.old', type: 'password', autocomplete: 'current-password', maxlength: 1024 }),
    field({ prefix: 'pw', name: 'new_password', label: 'pw.new', hint: 'reg.password.hint', type: 'password', autocomplete: 'new-password', maxlength: 128 }),
    field({ prefix: 'pw', name: 'new_password2', label: 'pw.new2', type: 'password', autocomplete: 'new-password', maxlength: 128 }),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alertBox.replaceChildren();
    const el = form.elements;
    let first = null;
    const bad = (name, key) => {
      setError(form, name, key);
      first = first || name;
    };
    if (!el.old_password.value) bad('old_password', 'err.required');
    else clearField(form, 'old_password');
    const problem = el.new_password.value ? passwordProblem(el.new_password.value) : 'err.required';
    if (problem) bad('new_password', problem);
    else if (el.new_password.value === el.old_password.value) bad('new_password', 'pw.same');
    else clearField(form, 'new_password');
    if (el.new_password2.value !== el.new_password.value) bad('new_password2', 'err.passwordMatch');
    else clearField(form, 'new_password2');
    if (first) {
      el[first].focus();
      return;
    }
    submit.disabled = true;
    const r = await api.changePassword(el.old_password.value, el.new_password.value);
    submit.disabled = false;
    if (r.ok) {
      form.reset();
      showAlert(alertBox, 'pw.changed', null, null, 'ok');
      return;
    }
    if (r.error && r.error.code === 'invalid_credentials') {
      el.old_password.value = '';
      setError(form, 'old_password', 'pw.wrongOld', null, r.error.message);
      el.old_password.focus();
      return;
    }
    showApiError(form, alertBox, r.error);
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'me-pw', 'data-testid': 'password-panel' },
    h('h2', { id: 'me-pw', i18n: 'pw.title' }),
    h('p', { class: 'muted', i18n: 'pw.intro' }),
    form);
}

function deptLabel(code) {
  const d = depts.find((x) => x.code === code);
  return d ? bi(d.name, d.name_en) : code;
}

/** A company's agents (经办人): who may apply for it with their own login; add by ID number and name, revoke. */
function agentsPanel() {
  const box = formAlert('agents-alert');
  const list = h('div', { 'data-testid': 'agents-list', 'aria-live': 'polite' });
  const form = h('form', { class: 'agents-form', novalidate: true, 'data-testid': 'agents-form' },
    field({ prefix: 'ag', name: 'id_number', label: 'agents.id_number', hint: 'agents.id_number.hint', maxlength: 18, autocapitalize: 'characters' }),
    field({ prefix: 'ag', name: 'name', label: 'agents.name', maxlength: 32 }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'agents.add', 'data-testid': 'agents-add' })));
  async function load() {
    const r = await api.get('/api/v1/enterprise/agents');
    if (!r.ok) {
      showAlert(box, 'error.load');
      return;
    }
    const items = r.data.items || [];
    fill(list, items.length ? h('ul', { class: 'agents' }, items.map((x) => {
      const revoke = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'agents.revoke', 'data-testid': `agent-revoke-${x.id}` });
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t('agents.revoke.confirm', { name: x.name }))) return;
        revoke.disabled = true;
        const d = await api.del(`/api/v1/enterprise/agents/${x.id}`);
        if (!d.ok) {
          revoke.disabled = false;
          showAlert(box, 'error.load');
          return;
        }
        showAlert(box, 'agents.revoked', { name: x.name }, null, 'ok');
        load();
      });
      return h('li', { class: 'agent', 'data-agent': String(x.id) },
        h('span', { class: 'agent-name' }, x.name), ' ', h('span', { class: 'mono muted' }, x.id_number), ' ',
        x.authorized_at ? h('span', { class: 'muted small' }, T('agents.since', { t: formatTime(x.authorized_at) })) : null, ' ', revoke);
    })) : h('p', { class: 'muted', i18n: 'agents.none' }));
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.replaceChildren();
    const idv = form.querySelector('#ag-id_number').value.trim().toUpperCase();
    const name = form.querySelector('#ag-name').value.trim();
    let bad = false;
    const c = checkId(idv);
    if (!c.ok) {
      setError(form, 'id_number', `err.${c.code}`);
      bad = true;
    } else clearField(form, 'id_number');
    if ([...name].length < 2) {
      setError(form, 'name', 'err.nameShort');
      bad = true;
    } else clearField(form, 'name');
    if (bad) return;
    const r = await api.post('/api/v1/enterprise/agents', { id_number: idv, name });
    if (!r.ok) {
      const key = r.status === 404 ? 'agents.err.notFound' : r.status === 409 ? 'agents.err.already' : null;
      if (key) setError(form, 'id_number', key);
      else showApiError(form, box, r.error);
      return;
    }
    form.reset();
    showAlert(box, 'agents.added', { name }, null, 'ok');
    load();
  });
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'me-agents', 'data-testid': 'agents' },
    h('h2', { id: 'me-agents', i18n: 'agents.title' }),
    h('p', { class: 'muted', i18n: 'agents.intro' }),
    box, list, form);
}

/* Verify the mobile number by an SMS code (POST /api/v1/me/phone/code, /verify;
 * issue 15): a verified number lets its holder reset a forgotten password. */
function phonePanel(a) {
  const alertBox = formAlert('phone-alert');
  const status = h('span', { class: `badge ${a.phone_verified ? 'badge-good' : 'badge-warn'}`, 'data-testid': 'phone-status', i18n: a.phone_verified ? 'phone.verified' : 'phone.unverified' });
  const head = [h('h2', { id: 'me-phone-v', i18n: 'phone.title' }), h('p', { class: 'muted', i18n: 'phone.intro' }),
    h('dl', { class: 'dl-grid' }, h('dt', { i18n: 'phone.number' }), h('dd', null, h('span', { class: 'mono' }, a.phone || ''), ' ', status))];
  const section = (...rest) => h('section', { class: 'panel', 'aria-labelledby': 'me-phone-v', 'data-testid': 'phone-panel' }, ...head, alertBox, ...rest);
  if (a.phone_verified) return section();
  if (!mobileOk(a.phone || '')) return section(h('p', { class: 'muted', i18n: 'phone.landline' }));
  const send = h('button', { type: 'button', class: 'btn', i18n: 'phone.send', 'data-testid': 'phone-send' });
  const confirm = h('button', { type: 'submit', class: 'btn', i18n: 'phone.confirm', 'data-testid': 'phone-confirm' });
  const form = h('form', { id: 'form-phone', novalidate: true, hidden: true },
    field({ prefix: 'ph', name: 'code', label: 'phone.code', hint: 'phone.code.hint', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }));
  const ask = async () => {
    alertBox.replaceChildren();
    send.disabled = true;
    const r = await api.post('/api/v1/me/phone/code', {});
    send.disabled = false;
    if (!r.ok) return showCodeError(form, alertBox, r);
    showAlert(alertBox, 'phone.sent', { phone: r.data.phone }, null, 'info');
    send.hidden = true;
    form.hidden = false;
    resend.start(r.data.resend_after || 60);
    form.elements.code.focus();
    return undefined;
  };
  const resend = resendButton(ask);
  form.append(h('div', { class: 'form-actions' }, confirm, ' ', resend));
  send.addEventListener('click', ask);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = form.elements.code.value.trim();
    const problem = codeProblem(code);
    if (problem) {
      setError(form, 'code', problem);
      form.elements.code.focus();
      return;
    }
    clearField(form, 'code');
    confirm.disabled = true;
    const r = await api.post('/api/v1/me/phone/verify', { code });
    confirm.disabled = false;
    if (!r.ok) {
      showCodeError(form, alertBox, r);
      return;
    }
    a.phone_verified = true;
    const fresh = phonePanel(a);
    phone.replaceWith(fresh);
    phone = fresh;
    showAlert(fresh.querySelector('.form-alert'), 'phone.done', null, null, 'ok');
  });
  return section(h('p', null, send), form);
}

let pw = null;
let agents = null;
let phone = null;

function render(a) {
  pw = pw || passwordPanel();
  if (a.kind !== 'staff') phone = phone || phonePanel(a);
  if (a.kind === 'enterprise') agents = agents || agentsPanel();
  const logout = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'me.logout', 'data-testid': 'me-logout' });
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    await api.logout();
    location.href = 'index.html';
  });
  const kind = ['person', 'enterprise', 'staff'].includes(a.kind) ? a.kind : 'person';
  const roles = (a.roles || []).map((r) => (t(`role.${r}`) !== `role.${r}` ? T(`role.${r}`) : r));
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'me-head' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, [...(a.name || '?')][0]),
      h('div', null,
        h('h1', { i18n: 'me.title' }),
        h('p', { class: 'muted' }, a.name)),
      h('div', { class: 'me-actions' }, logout)),
    h('div', { class: 'me-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'me-account' },
        h('h2', { id: 'me-account', i18n: 'me.account' }),
        h('dl', { class: 'dl-grid' },
          row('me.kind', T(`me.kind.${kind}`), { testid: 'me-kind' }),
          row('me.login', a.login, { mono: true, testid: 'me-login' }),
          row('me.phone', a.phone, { testid: 'me-phone' }),
          row('me.roles', roles.length ? roles.flatMap((r, i) => (i ? [T('list.sep'), r] : [r])) : null),
          row('me.dept', a.dept ? deptLabel(a.dept) : null),
          row('me.created', a.created_at ? formatTime(a.created_at) : null))),
      kind === 'person' ? personPanel(a) : kind === 'enterprise' ? enterprisePanel(a) : null),
    h('div', { class: 'me-grid me-grid-2' },
      kind !== 'staff' ? h('section', { class: 'panel', 'aria-labelledby': 'me-cases' },
        h('h2', { id: 'me-cases', i18n: 'me.cases' }),
        h('p', { class: 'muted', i18n: 'me.cases.text' }),
        h('p', null, h('a', { class: 'btn btn-ghost', href: 'cases.html', 'data-testid': 'me-to-cases', i18n: 'cases.title' }), ' ',
          h('a', { class: 'btn btn-ghost', href: 'status.html', i18n: 'status.title' }), ' ',
          h('a', { class: 'btn btn-ghost', href: 'sso.html', 'data-testid': 'me-to-sso', i18n: 'sso.my.title' }), ' ',
          h('a', { class: 'btn btn-ghost', href: 'mycredit.html', 'data-testid': 'me-to-credit', i18n: 'sup.link.mycredit' })))
        : h('section', { class: 'panel', 'aria-labelledby': 'me-work' },
          h('h2', { id: 'me-work', i18n: 'account.workbench' }),
          h('p', null, h('a', { class: 'btn btn-ghost', href: 'workbench/index.html', i18n: 'account.workbench' }))),
      pw),
    phone,
    agents));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: '' });
if (!account) {
  location.replace('login.html?next=me.html');
} else {
  if (account.dept) {
    const r = await api.departments();
    if (r.ok) depts = r.data.items;
  }
  render(account);
  document.addEventListener('ywtb:lang', () => render(account));
}
