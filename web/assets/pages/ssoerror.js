// ssoerror.js - ssoerror.html?error=&error_description= : a sign-in request
// ywtb must not send back to the system that made it (an unknown or disabled
// system, a redirect URI it did not register), shown to the person instead.
import { h, T, fill, params } from '../dom.js';
import { initPage } from '../layout.js';

const main = document.getElementById('main');
const p = params();
const code = p.get('error') || '';
const known = ['invalid_client', 'unauthorized_client', 'invalid_request'].includes(code);
await initPage({ active: '' });
fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'page-head' }, h('h1', { i18n: 'sso.error.title' })),
  h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'sso-error', 'data-error': code },
    h('p', { i18n: known ? `sso.error.${code}` : 'sso.error.other' }),
    p.get('error_description') ? h('p', { class: 'muted small' }, T('sso.error.detail', { message: p.get('error_description') })) : null),
  h('p', null, h('a', { class: 'btn btn-ghost', href: 'index.html', i18n: 'sso.error.home' }))));
