// sso.js - sso.html : 已授权的系统, the departments' systems a person (or a
// company) signed in to with their ywtb account: what each was allowed to
// know, withdrawable here (its tokens end at once), and every sign-in with
// its time.  Single sign-on, issue 13.
import { h, T, fill } from '../dom.js';
import { initPage, failure, loginHref, message } from '../layout.js';
import { has } from '../i18n.js';
import * as api from '../api.js';
import { issuerName } from '../licfmt.js';

const main = document.getElementById('main');

const scopeText = (s) => (has(`sso.scope.${s}`) ? T(`sso.scope.${s}`) : h('span', { class: 'mono' }, s));
const when = (s) => h('time', { datetime: s }, new Date(s).toLocaleString(document.documentElement.lang === 'en' ? 'en' : 'zh-CN', { hour12: false }));

async function render(note) {
  const [r, d] = await Promise.all([api.get('/api/v1/me/sso'), api.departments()]);
  const depts = d.ok ? d.data.items : [];
  const head = h('div', { class: 'page-head' }, h('h1', { i18n: 'sso.my.title' }), h('p', { i18n: 'sso.my.intro' }));
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, head, failure(r)));
    return;
  }
  const { consents, logins } = r.data;
  fill(main, h('div', { class: 'wrap page sso-my' },
    head,
    note || null,
    h('section', { class: 'panel', 'aria-labelledby': 'sso-consents' },
      h('h2', { id: 'sso-consents', i18n: 'sso.my.consents' }),
      consents.length
        ? h('ul', { class: 'sso-list', 'data-testid': 'sso-consents' }, consents.map((c) => h('li', { 'data-client': c.client_id },
          h('div', { class: 'sso-item-main' },
            h('strong', null, c.name), ' · ', issuerName(depts, c.dept, c.dept),
            h('ul', { class: 'sso-scopes small' }, c.scopes.map((s) => h('li', null, scopeText(s)))),
            h('p', { class: 'muted small' }, T('sso.my.grantedAt'), ' ', when(c.granted_at))),
          withdrawButton(c))))
        : h('p', { class: 'muted', 'data-testid': 'sso-consents-none', i18n: 'sso.my.none' })),
    h('section', { class: 'panel', 'aria-labelledby': 'sso-logins' },
      h('h2', { id: 'sso-logins', i18n: 'sso.my.logins' }),
      logins.length
        ? h('table', { class: 'table', 'data-testid': 'sso-logins' },
          h('thead', null, h('tr', null, ['sso.my.at', 'sso.my.system', 'sso.my.scopes', 'sso.my.state'].map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', null, logins.map((l) => h('tr', { 'data-client': l.client_id },
            h('td', null, when(l.at)),
            h('td', null, h('strong', null, l.name), h('br'), h('span', { class: 'muted small' }, issuerName(depts, l.dept, l.dept))),
            h('td', { class: 'small' }, l.scopes.map((s, i) => [i ? '、' : '', scopeText(s)])),
            h('td', null, T(l.active ? 'sso.my.active' : 'sso.my.ended'))))))
        : h('p', { class: 'muted', i18n: 'sso.my.noLogins' }))));
}

function withdrawButton(c) {
  const b = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'sso-withdraw', i18n: 'sso.my.withdraw' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    const r = await api.del(`/api/v1/me/sso/consents/${encodeURIComponent(c.client_id)}`);
    await render(r.ok ? message('ok', 'sso.my.withdrawn', { name: c.name }) : failure(r));
  });
  return b;
}

const account = await initPage({ active: '' });
if (!account) location.href = loginHref();
else await render();
