// signout.js - signout.html : where single sign-on's logout lands.  ?done=1:
// the ywtb session has ended (a system logged the person out with proof of
// who they are).  Otherwise a link asked to log out without that proof, so
// the person is asked; logging out of ywtb ends the systems' sign-ins made in
// this session too.
import { h, fill, params } from '../dom.js';
import { initPage } from '../layout.js';
import * as api from '../api.js';

const main = document.getElementById('main');
const p = params();

function done() {
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'signout-done' }, h('p', { i18n: 'sso.signout.done' })),
    h('p', null, h('a', { class: 'btn', href: 'login.html', i18n: 'sso.signout.login' }))));
}

const account = await initPage({ active: '' });
if (p.get('done') || !account) {
  done();
} else {
  const b = h('button', { type: 'button', class: 'btn', 'data-testid': 'signout-confirm', i18n: 'sso.signout.confirm' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    await api.logout();
    await initPage({ active: '' });
    done();
  });
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'title.signout' })),
    h('section', { class: 'panel' }, h('p', { i18n: 'sso.signout.ask' }), h('div', { class: 'form-actions' }, b))));
}
