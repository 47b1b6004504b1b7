// ss-confirm.js - kiosklogin.html: the page the kiosk's QR code opens on
// the person's phone.  Logged in to the portal (else to the login page and
// back), the person sees which kiosk asks (GET
// /api/v1/kiosk/login-requests/{code}) and confirms (POST .../confirm); the
// kiosk's next poll then starts its session.
import { h, fill } from '../dom.js';
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';
import { apply, t } from '../i18n.js';
import '../i18n-selfservice.js';

const main = document.getElementById('main');
const code = new URLSearchParams(location.search).get('c') || '';

async function render() {
  const r = await api.get(`/api/v1/kiosk/login-requests/${encodeURIComponent(code)}`);
  if (!r.ok || r.data.status !== 'pending') {
    fill(main, h('div', { class: 'wrap page' }, h('h1', { i18n: 'ss.c.title' }),
      h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'ss-confirm-bad', i18n: 'ss.c.bad' })));
    apply(main);
    return;
  }
  const out = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-confirm-result' });
  const btn = h('button', { type: 'button', class: 'btn btn-lg', i18n: 'ss.c.confirm', 'data-testid': 'ss-confirm' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    const c = await api.post(`/api/v1/kiosk/login-requests/${encodeURIComponent(code)}/confirm`, {});
    fill(out, h('p', { class: c.ok ? 'notice notice-ok' : 'notice notice-error' }, c.ok ? t('ss.c.done') : c.error.message));
  });
  fill(main, h('div', { class: 'wrap page' }, h('h1', { i18n: 'ss.c.title' }),
    h('p', { 'data-testid': 'ss-confirm-kiosk' }, t('ss.c.text', { kiosk: r.data.kiosk })), btn, out));
  apply(main);
}

const account = await initPage({ active: '' });
if (!account) location.replace(loginHref());
else render();
