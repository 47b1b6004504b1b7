// svc-inbox.js - inbox.html : 我的消息, the in-app messages made from what
// happened to my cases, licenses, bookings, ratings and questions (GET
// /api/v1/me/inbox), mark read, and how to reach me (GET/PUT
// /api/v1/me/notify-settings: email address, channels, language).
import { h, T, fill } from '../dom.js';
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';
import { t } from '../i18n.js';

const main = document.getElementById('main');

async function render() {
  const list = h('ul', { class: 'svc-inbox', 'data-testid': 'inbox' });
  const count = h('p', { class: 'muted', 'data-testid': 'unread' });
  async function load() {
    const r = await api.get('/api/v1/me/inbox');
    if (!r.ok) return;
    fill(count, T('svc.inbox.unread', { n: r.data.unread }));
    fill(list, r.data.items.length ? r.data.items.map((m) => {
      const read = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'svc.inbox.read', hidden: m.read });
      read.addEventListener('click', async () => { if ((await api.post(`/api/v1/me/inbox/${m.id}/read`, {})).ok) load(); });
      return h('li', { class: `svc-msg${m.read ? '' : ' svc-msg-unread'}`, 'data-template': m.template },
        h('div', null, h('strong', null, m.link ? h('a', { href: m.link.replace(/^\//, '') }, m.title) : m.title),
          h('p', null, m.body), h('p', { class: 'muted small' }, m.created_at.replace('T', ' ').slice(0, 16), ' UTC')),
        read);
    }) : h('li', { class: 'muted', i18n: 'svc.inbox.empty' }));
  }
  const s = await api.get('/api/v1/me/notify-settings');
  const email = h('input', { id: 'svc-email', type: 'email', value: s.ok ? s.data.email : '', maxlength: '254' });
  const byEmail = h('input', { id: 'svc-by-email', type: 'checkbox', checked: s.ok && s.data.channels.includes('email') });
  const lang = h('select', { id: 'svc-lang' }, h('option', { value: 'zh' }, '中文'), h('option', { value: 'en' }, 'English'));
  lang.value = s.ok ? s.data.lang : 'zh';
  const flash = h('p', { role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'svc-form', 'data-testid': 'notify-settings' },
    h('h2', { i18n: 'svc.inbox.settings' }),
    s.ok && !s.data.email_enabled ? h('p', { class: 'muted small', i18n: 'svc.inbox.noSmtp' }) : null,
    h('div', { class: 'field' }, h('label', { for: 'svc-email', i18n: 'svc.inbox.email' }), email),
    h('div', { class: 'field' }, h('label', null, byEmail, ' ', T('svc.inbox.byEmail'))),
    h('div', { class: 'field' }, h('label', { for: 'svc-lang', i18n: 'svc.inbox.lang' }), lang),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'svc.inbox.save' })), flash);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api.put('/api/v1/me/notify-settings', { email: email.value.trim(), channels: byEmail.checked ? ['inbox', 'email'] : ['inbox'], lang: lang.value });
    flash.textContent = r.ok ? t('svc.inbox.saved') : r.error.message;
  });
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'svc.inbox.title' }), count),
    h('section', { class: 'panel' }, list),
    h('section', { class: 'panel' }, form)));
  load();
}

const account = await initPage({ active: 'svc-inbox' });
if (!account) location.replace(loginHref());
else render();
