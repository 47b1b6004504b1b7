// delivery.js - workbench/delivery.html: 取件柜与寄递, for the hall's window
// clerks, supervisors and admins.  The lockers and their free compartments
// (GET /api/v1/lockers); the results waiting (GET /api/v1/deliveries): put one
// chosen for a locker into a compartment (the applicant is told, and asks for
// the pickup code on their own page), print the shipping label of one going by
// mail (GET .../label.pdf) and mail it (the carrier gives the tracking number,
// or staff type it), record a window handover or a mailed result delivered.
// The lockers' compartments are managed on lockers.html.
import { h, fill } from '../dom.js';
import { apply, t } from '../i18n.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';
import '../i18n-selfservice.js';

const main = document.getElementById('main');

function actions(d, lockers, reload, flash) {
  const act = async (path, body) => {
    const r = await api.post(`/api/v1/deliveries/${encodeURIComponent(d.case_no)}/${path}`, body);
    const msg = r.ok ? `${d.case_no}: ${t(`ss.d.s.${r.data.delivery.status}`)}` : r.error.message;
    if (r.ok) reload(msg);
    else flash.textContent = msg;
  };
  if (d.status === 'pending' && d.method === 'locker') {
    const sel = h('select', { 'data-testid': 'ss-w-locker', 'aria-label': t('ss.k.locker') },
      lockers.map((l) => h('option', { value: l.locker }, `${l.locker} (${l.free})`)));
    return h('div', null, sel, ' ', h('button', { type: 'button', class: 'btn btn-sm', i18n: 'ss.w.put', 'data-testid': 'ss-w-put', onclick: () => act('locker', { locker: sel.value }) }));
  }
  const label = () => h('a', { class: 'btn btn-sm btn-ghost', href: `/api/v1/deliveries/${encodeURIComponent(d.case_no)}/label.pdf`, target: '_blank', rel: 'noopener', i18n: 'ss.w.label', 'data-testid': 'ss-w-label' });
  if (d.status === 'pending' && d.method === 'mail') {
    const no = h('input', { size: 18, maxlength: '32', placeholder: t('ss.w.tracking'), 'aria-label': t('ss.w.tracking'), 'data-testid': 'ss-w-tracking' });
    return h('div', null, label(), ' ', no, ' ', h('button', { type: 'button', class: 'btn btn-sm', i18n: 'ss.w.ship', 'data-testid': 'ss-w-ship', onclick: () => act('ship', no.value.trim() ? { tracking_no: no.value.trim() } : {}) }));
  }
  if (d.status === 'pending' && d.method === 'window')
    return h('button', { type: 'button', class: 'btn btn-sm', i18n: 'ss.w.handover', 'data-testid': 'ss-w-handover', onclick: () => act('handover', {}) });
  if (d.status === 'shipped')
    return h('div', null, label(), ' ', h('button', { type: 'button', class: 'btn btn-sm', i18n: 'ss.w.delivered', 'data-testid': 'ss-w-delivered', onclick: () => act('handover', {}) }));
  return '';
}

async function render(message = '') {
  const [l, d] = await Promise.all([api.get('/api/v1/lockers'), api.get('/api/v1/deliveries')]);
  const lockers = l.ok ? l.data.items : [];
  const items = (d.ok ? d.data.items : []).filter((x) => x.status !== 'done');
  const flash = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-w-flash' }, message);
  fill(main, h('div', { class: 'wrap page' },
    h('h1', { i18n: 'ss.w.title' }),
    h('section', { class: 'panel' }, h('h2', { i18n: 'ss.w.lockers' }),
      h('p', null, h('a', { href: 'lockers.html', i18n: 'ss.w.manage', 'data-testid': 'ss-w-manage' })),
      h('ul', { class: 'ss-lockers', 'data-testid': 'ss-w-lockers' }, lockers.map((x) => h('li', null, h('strong', null, x.locker), ' ', t('ss.w.free', { free: x.free, n: x.compartments }))))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'ss.w.todo' }), flash,
      h('table', { class: 'ss-table', 'data-testid': 'ss-w-todo' },
        h('thead', null, h('tr', null, ['ss.d.case', 'ss.d.result', 'ss.d.method', 'ss.d.status', 'ss.d.address'].map((k) => h('th', { i18n: k })), h('th'))),
        h('tbody', null, items.length ? items.map((x) => h('tr', { 'data-case': x.case_no },
          h('td', null, x.case_no, h('br'), x.title), h('td', null, x.result), h('td', null, t(`ss.d.m.${x.method}`)),
          h('td', null, t(`ss.d.s.${x.status}`), x.tracking_no ? ` ${x.tracking_no}` : ''),
          h('td', null, x.method === 'mail' ? `${x.recipient} ${x.phone} ${x.address}` : ''),
          h('td', null, actions(x, lockers, render, flash)))) : h('tr', null, h('td', { colspan: 6, i18n: 'ss.k.none' })))))));
  apply(main);
}

if (await initWork({ active: 'delivery', roles: ['window_clerk', 'supervisor', 'admin'] })) render();
