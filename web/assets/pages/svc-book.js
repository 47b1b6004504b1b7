// svc-book.js - appointments.html?item= : 预约办事.  Choose an item and a day,
// see the free slots of every window that serves it (GET /api/v1/hall/slots:
// none on holidays, slots on make-up working days), book one (POST
// /api/v1/appointments); below, my bookings with their .ics, reschedule to
// the chosen slot and cancel.  A booking blocked after repeated no-shows
// says until when.
import { h, T, fill, params } from '../dom.js';
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';
import { t } from '../i18n.js';

const main = document.getElementById('main');
const p = params();
let chosen = null;

function today() {
  const d = new Date(Date.now() + 8 * 3600000);
  return d.toISOString().slice(0, 10);
}

function errText(r) {
  const code = r.error && r.error.code;
  if (code && t(`svc.err.${code}`) !== `svc.err.${code}`) return t(`svc.err.${code}`);
  return r.error ? r.error.message : t('error.load');
}

async function showSlots(box, item, day, flash) {
  chosen = null;
  const r = await api.get(`/api/v1/hall/slots${api.qs({ item, day })}`);
  if (!r.ok) {
    fill(box, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, errText(r))));
    return;
  }
  const d = r.data;
  if (!d.workday) {
    fill(box, h('div', { class: 'notice notice-info', 'data-testid': 'hall-closed' },
      d.holiday ? T('svc.book.closed', { holiday: d.holiday }) : T('svc.book.closedPlain')));
    return;
  }
  const wins = d.windows.filter((w) => w.slots.length);
  if (!wins.length) {
    fill(box, h('div', { class: 'notice notice-info' }, T('svc.book.none')));
    return;
  }
  fill(box, wins.map((w) => h('section', { class: 'svc-window', 'data-window': w.code },
    h('h3', null, w.name),
    h('div', { class: 'svc-slots' }, w.slots.map((s) => {
      const b = h('button', {
        type: 'button', class: `svc-slot${s.free ? '' : ' svc-slot-full'}`, disabled: !s.free, 'data-slot': s.slot, 'aria-pressed': 'false',
      }, h('span', { class: 'svc-slot-time' }, s.time), ' ', s.free ? T('svc.book.free', { n: s.free }) : T('svc.book.full'));
      b.addEventListener('click', () => {
        chosen = s.slot;
        for (const x of box.querySelectorAll('.svc-slot')) x.setAttribute('aria-pressed', String(x === b));
        flash.textContent = '';
      });
      return b;
    })))));
}

function apptRow(a, reload, flash) {
  const ics = h('a', { href: `/api/v1/appointments/${encodeURIComponent(a.code)}/calendar.ics`, class: 'btn btn-ghost btn-sm', download: 'appointment.ics', i18n: 'svc.book.ics' });
  const actions = [];
  if (a.status === 'booked') {
    const move = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'svc.book.move', 'data-testid': 'move' });
    move.addEventListener('click', async () => {
      if (!chosen) { flash.textContent = t('svc.book.pick'); return; }
      const r = await api.post(`/api/v1/appointments/${encodeURIComponent(a.code)}/reschedule`, { slot: chosen });
      flash.textContent = r.ok ? '' : errText(r);
      if (r.ok) reload();
    });
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost btn-sm svc-cancel', i18n: 'svc.book.cancel', 'data-testid': 'cancel' });
    cancel.addEventListener('click', async () => {
      const r = await api.post(`/api/v1/appointments/${encodeURIComponent(a.code)}/cancel`, {});
      flash.textContent = r.ok ? '' : errText(r);
      if (r.ok) reload();
    });
    actions.push(move, cancel);
  }
  const local = new Date(Date.parse(a.start) + 8 * 3600000).toISOString();
  return h('li', { class: `svc-appt svc-appt-${a.status}`, 'data-code': a.code, 'data-status': a.status },
    h('div', null,
      h('strong', null, a.item_name), ' ',
      h('span', { class: `badge svc-badge-${a.status}`, i18n: `svc.appt.${a.status}` }),
      h('p', { class: 'muted small' }, `${local.slice(0, 10)} ${local.slice(11, 16)} · ${a.window} · `, h('span', { class: 'mono' }, a.code))),
    a.status === 'booked' ? h('img', { class: 'svc-qr', src: `/api/v1/appointments/${encodeURIComponent(a.code)}/qr.svg`, alt: a.code, width: 96, height: 96 }) : null,
    h('div', { class: 'svc-actions' }, ics, actions));
}

async function render(account) {
  const flash = h('p', { class: 'svc-flash', role: 'status', 'aria-live': 'polite', 'data-testid': 'book-flash' });
  const item = h('input', { id: 'svc-item', value: p.get('item') || '', maxlength: '40', required: true, autocomplete: 'off' });
  const day = h('input', { id: 'svc-day', type: 'date', value: p.get('day') || today() });
  const slots = h('div', { class: 'svc-slot-box', 'data-testid': 'slots' });
  const show = h('button', { type: 'submit', class: 'btn btn-ghost', i18n: 'svc.book.show' });
  const book = h('button', { type: 'button', class: 'btn btn-apply', i18n: 'svc.book.do', 'data-testid': 'book' });
  const mine = h('ul', { class: 'svc-appts', 'data-testid': 'my-appointments' });
  const blocked = h('div');
  const form = h('form', { class: 'svc-form', 'data-testid': 'book-form' },
    h('div', { class: 'field' }, h('label', { for: 'svc-item', i18n: 'svc.book.item' }), item),
    h('div', { class: 'field' }, h('label', { for: 'svc-day', i18n: 'svc.book.day' }), day),
    h('div', { class: 'form-actions' }, show));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    showSlots(slots, item.value.trim(), day.value, flash);
  });
  async function reload() {
    const r = await api.get('/api/v1/appointments');
    if (!r.ok) return;
    fill(blocked, r.data.blocked_until ? h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'blocked' }, T('svc.book.blocked', { until: r.data.blocked_until })) : null);
    fill(mine, r.data.items.length ? r.data.items.map((a) => apptRow(a, reload, flash)) : h('li', { class: 'muted', i18n: 'svc.book.empty' }));
    if (item.value.trim()) showSlots(slots, item.value.trim(), day.value, flash);
  }
  book.addEventListener('click', async () => {
    if (!chosen) { flash.textContent = t('svc.book.pick'); return; }
    book.disabled = true;
    const r = await api.post('/api/v1/appointments', { item_code: item.value.trim(), slot: chosen });
    book.disabled = false;
    flash.textContent = r.ok ? t('svc.book.done', { code: r.data.code }) : errText(r);
    if (r.ok) reload();
    else if (r.error && r.error.code === 'slot_full') showSlots(slots, item.value.trim(), day.value, flash);
  });
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'svc.book.title' }), h('p', { i18n: 'svc.book.intro' })),
    blocked,
    h('section', { class: 'panel' }, form, slots, h('div', { class: 'form-actions' }, book), flash),
    h('section', { class: 'panel' }, h('h2', { i18n: 'svc.book.mine' }), mine),
    h('p', { class: 'small' }, h('a', { href: 'inbox.html', i18n: 'nav.svc.inbox' }), ' · ', h('a', { href: 'ratings.html', i18n: 'title.svc.ratings' }), ' · ', h('a', { href: 'consult.html', i18n: 'title.svc.consult' }))));
  reload();
}

const account = await initPage({ active: 'svc-book' });
if (!account) location.replace(loginHref());
else render(account);
