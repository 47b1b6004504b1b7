// consent.js - consent.html?<the authorization request> : a department's
// system asks to sign the person in with their ywtb account (single sign-on,
// issue 13).  The page shows which system (name, department), what it asks to
// know (its scopes in words) and, when the system needs a higher real-name
// level than the person has, how to raise it instead of letting them in.  The
// person allows or refuses; the server checks the request again and says
// where the browser goes next (back to the system with a code, or an error).
import { h, T, fill, params } from '../dom.js';
import { initPage, message } from '../layout.js';
import { has } from '../i18n.js';
import * as api from '../api.js';
import { issuerName } from '../licfmt.js';

const main = document.getElementById('main');
const p = params();

function scopeItem(s) {
  const key = `sso.scope.${s}`;
  return h('li', { 'data-scope': s }, has(key) ? T(key) : T('sso.scope.other', { scope: s }));
}

async function decide(decision, buttons) {
  for (const b of buttons) b.disabled = true;
  const r = await api.post('/api/v1/sso/authorization', { params: Object.fromEntries(p), decision });
  if (r.ok && r.data && r.data.redirect_to) {
    location.href = r.data.redirect_to;
    return;
  }
  for (const b of buttons) b.disabled = false;
  main.querySelector('#consent-alert')?.replaceChildren(
    message('error', 'sso.consent.bad', { message: (r.error && r.error.message) || r.status }));
}

const account = await initPage({ active: '' });
if (!account) {
  location.href = `login.html?next=${encodeURIComponent(`consent.html${location.search}`)}`;
} else {
  const [r, d] = await Promise.all([api.get(`/api/v1/sso/authorization${location.search}`), api.departments()]);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' },
      h('h1', { i18n: 'sso.consent.title' }),
      message('error', 'sso.consent.bad', { message: (r.error && r.error.message) || r.status })));
  } else {
    const x = r.data;
    const depts = d.ok ? d.data.items : [];
    const alertBox = h('div', { id: 'consent-alert' });
    const allow = h('button', { type: 'button', class: 'btn', 'data-testid': 'consent-allow', i18n: 'sso.consent.allow' });
    const deny = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'consent-deny', i18n: 'sso.consent.deny' });
    const back = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'consent-back', i18n: 'sso.realname.back' });
    allow.addEventListener('click', () => decide('allow', [allow, deny]));
    deny.addEventListener('click', () => decide('deny', [allow, deny]));
    back.addEventListener('click', () => decide('allow', [back])); // the server answers unmet_authentication_requirements
    const enough = x.realname.enough;
    fill(main, h('div', { class: 'wrap page sso-consent' },
      h('div', { class: 'page-head' }, h('h1', { i18n: 'sso.consent.title' })),
      h('section', { class: 'panel', 'data-testid': 'consent', 'data-client': x.client.client_id },
        h('p', { class: 'sso-asks' }, T('sso.consent.asks', { name: x.client.name })),
        h('dl', { class: 'sso-facts' },
          h('dt', { i18n: 'sso.consent.dept' }), h('dd', { 'data-testid': 'consent-dept' }, issuerName(depts, x.client.dept, x.client.dept)),
          h('dt', { i18n: 'sso.consent.client' }), h('dd', { class: 'mono' }, x.client.client_id)),
        h('ul', { class: 'sso-scopes', 'data-testid': 'consent-scopes' }, x.scopes.map(scopeItem)),
        alertBox,
        enough
          ? [x.consented ? h('p', { class: 'muted', i18n: 'sso.consent.already' }) : null,
            h('div', { class: 'form-actions' }, allow, ' ', deny),
            h('p', { class: 'muted small', i18n: 'sso.consent.remember' })]
          : [h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'consent-realname' },
            h('p', null, T('sso.realname.low', { required: x.realname.required, level: x.realname.level })),
            h('p', { i18n: 'sso.realname.how' })),
          h('div', { class: 'form-actions' }, back)])));
  }
}
