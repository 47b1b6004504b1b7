// svc-badge.js - the unread count of the in-app inbox on the portal's 消息
// link (the header's navigation), for a logged-in citizen or company.
// Loaded by i18n-services.js once a page has started, so every portal page
// shows it without the shared layout knowing the service hall.
import * as api from './api.js';
import { t } from './i18n.js';

async function mark() {
  const link = document.querySelector('.mainnav a[href="inbox.html"]');
  if (!link) return;
  const me = await api.me();
  if (!me || me.kind === 'staff') return;
  const r = await api.get('/api/v1/me/inbox');
  if (!r.ok) return;
  link.querySelector('.svc-unread')?.remove();
  const n = r.data.unread;
  if (!n) return;
  const b = document.createElement('span');
  b.className = 'badge badge-red svc-unread';
  b.textContent = n > 99 ? '99+' : String(n);
  b.setAttribute('aria-label', t('svc.inbox.unread', { n }));
  b.setAttribute('data-testid', 'inbox-unread');
  link.append(' ', b);
}

mark();
