// lockers.js - workbench/lockers.html: 取件柜管理, for the hall's window
// clerks, supervisors and admins.  Each locker's compartments (GET
// /api/v1/lockers/{locker}/compartments): free, occupied (the case, since
// when, whether its owner has asked for the code) or out of service.  With a
// reason each time: open one (to put in or check), force-release one (its
// result goes back to the window and the applicant is told), take one out of
// service or back.  Every act is audited by the server.  Results left longer
// than the return days go back to the window by themselves.
import { h, fill } from '../dom.js';
import { apply, t } from '../i18n.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';
import '../i18n-selfservice.js';

const main = document.getElementById('main');

function compartment(locker, c, reason, flash, reload) {
  const act = async (method, path, body) => {
    if (!reason.value.trim()) {
      flash.textContent = t('ss.w.needreason');
      reason.focus();
      return;
    }
    const r = await api.request(method, `/api/v1/lockers/${encodeURIComponent(locker)}/compartments/${c.slot}/${path}`, { reason: reason.value.trim(), ...body });
    const msg = r.ok ? t(`ss.w.done.${path === 'state' ? body.state : path}`, { locker, slot: c.slot }) : r.error.message;
    if (r.ok) reload(msg);
    else flash.textContent = msg;
  };
  const state = c.state !== 'ok' ? 'disabled' : c.occupied ? 'occupied' : 'free';
  const btn = (key, testid, fn) => h('button', { type: 'button', class: 'btn btn-sm btn-ghost', i18n: key, 'data-testid': testid, onclick: fn });
  return h('li', { class: `ss-slot ss-slot-${state}`, 'data-slot': c.slot, 'data-state': state },
    h('strong', null, `${locker}-${String(c.slot).padStart(2, '0')}`),
    h('span', { class: 'ss-slot-state' }, t(`ss.w.slot.${state}`)),
    c.occupied ? h('span', { class: 'mono' }, c.case_no) : null,
    c.occupied ? h('span', { class: 'small' }, t('ss.w.since', { at: c.placed_at.slice(0, 16).replace('T', ' ') }), ' · ', t(c.code_issued ? 'ss.w.codeasked' : 'ss.w.codenot')) : null,
    h('span', { class: 'ss-slot-acts' },
      btn('ss.w.open', 'ss-w-open', () => act('POST', 'open', {})),
      c.occupied ? btn('ss.w.release', 'ss-w-release', () => act('POST', 'release', {})) : null,
      !c.occupied && c.state === 'ok' ? btn('ss.w.disable', 'ss-w-disable', () => act('PUT', 'state', { state: 'disabled' })) : null,
      c.state !== 'ok' ? btn('ss.w.enable', 'ss-w-enable', () => act('PUT', 'state', { state: 'ok' })) : null));
}

async function render(message = '') {
  const l = await api.get('/api/v1/lockers');
  const lockers = l.ok ? l.data.items : [];
  const slots = await Promise.all(lockers.map((x) => api.get(`/api/v1/lockers/${encodeURIComponent(x.locker)}/compartments`)));
  const flash = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-w-flash' }, message);
  const reason = h('input', { id: 'ss-w-reason', maxlength: '200', size: 40, 'data-testid': 'ss-w-reason' });
  fill(main, h('div', { class: 'wrap page' },
    h('h1', { i18n: 'ss.w.lockers.title' }),
    h('p', { class: 'muted' }, t('ss.w.lockers.intro', { days: l.ok ? l.data.return_days : '' })),
    h('div', { class: 'field' }, h('label', { for: 'ss-w-reason', i18n: 'ss.w.reason' }), reason),
    flash,
    lockers.map((x, i) => h('section', { class: 'panel', 'data-locker': x.locker, 'data-testid': 'ss-w-locker' },
      h('h2', null, x.locker, ' ', h('span', { class: 'muted small' }, t('ss.w.free', { free: x.free, n: x.compartments }))),
      h('ul', { class: 'ss-slots' }, slots[i].ok ? slots[i].data.items.map((c) => compartment(x.locker, c, reason, flash, render)) : null))),
    h('p', null, h('a', { href: 'delivery.html', i18n: 'ss.w.back' }))));
  apply(main);
}

if (await initWork({ active: 'delivery', roles: ['window_clerk', 'supervisor', 'admin'] })) render();
