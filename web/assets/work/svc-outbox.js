// work/svc-outbox.js - workbench/outbox.html?status= : the operators' view of
// outgoing email and SMS (GET /api/v1/admin/outbox): what waits, what was
// sent, what failed after its attempts with the last error; a failed message
// is requeued with one click (POST /api/v1/admin/outbox/{id}/retry).
import { h, T, fill, params } from '../dom.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();

async function render() {
  const status = ['failed', 'pending', 'sent'].includes(p.get('status')) ? p.get('status') : 'failed';
  const box = h('div', { 'data-testid': 'outbox' });
  async function load() {
    const r = await api.get(`/api/v1/admin/outbox?status=${status}`);
    if (!r.ok) { fill(box, h('p', { class: 'notice notice-error' }, r.error.message)); return; }
    fill(box, r.data.items.length ? h('table', { class: 'svc-outbox' },
      h('thead', null, h('tr', null, ['svc.out.id', 'svc.out.channel', 'svc.out.to', 'svc.out.subject', 'svc.out.attempts', 'svc.out.error', ''].map((k) => h('th', null, k ? T(k) : '')))),
      h('tbody', null, r.data.items.map((m) => {
        const retry = m.status === 'failed' ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'svc.out.retry' }) : null;
        if (retry) retry.addEventListener('click', async () => { if ((await api.post(`/api/v1/admin/outbox/${m.id}/retry`, {})).ok) load(); });
        return h('tr', { 'data-id': String(m.id) }, h('td', null, String(m.id)), h('td', null, m.channel), h('td', { class: 'mono' }, m.to),
          h('td', null, m.subject), h('td', null, String(m.attempts)), h('td', { class: 'small' }, m.last_error), h('td', null, retry));
      }))) : h('p', { class: 'muted', i18n: 'svc.work.nothing' }));
  }
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('h1', { i18n: 'title.work.outbox' }),
    h('p', { class: 'chips' }, ['failed', 'pending', 'sent'].map((s) => [h('a', { href: `outbox.html?status=${s}`, class: `btn btn-sm${s === status ? '' : ' btn-ghost'}`, i18n: `svc.out.${s}` }), ' '])),
    box));
  load();
}

if (await initWork({ active: 'outbox', roles: ['admin'] })) render();
