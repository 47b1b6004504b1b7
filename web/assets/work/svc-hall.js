// work/svc-hall.js - workbench/hall.html?window= : a clerk at a window calls
// the next number (POST .../call-next), recalls, marks a no-show, starts
// and finishes the service, linking the case accepted there; the queue
// the window serves is shown below and refreshed every few seconds.
import { h, T, fill, params } from '../dom.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();

async function render() {
  const wins = (await api.get('/api/v1/hall/windows')).data?.items || [];
  const sel = h('select', { id: 'svc-win', 'data-testid': 'window-select' }, wins.map((w) => h('option', { value: w.code }, `${w.code} ${w.name}`)));
  sel.value = p.get('window') || localStorage.getItem('ywtb.window') || (wins[0] && wins[0].code) || '';
  const flash = h('p', { class: 'svc-flash', role: 'status', 'aria-live': 'polite', 'data-testid': 'hall-flash' });
  const cur = h('section', { class: 'panel svc-current', 'data-testid': 'current' });
  const waiting = h('section', { class: 'panel', 'data-testid': 'waiting' });
  const base = () => `/api/v1/hall/windows/${encodeURIComponent(sel.value)}`;
  async function act(path, body = {}) {
    const r = await api.post(`${base()}${path}`, body);
    flash.textContent = r.ok ? '' : r.error.message;
    load();
  }
  async function load() {
    const r = await api.get(`${base()}/queue`);
    if (!r.ok) { flash.textContent = r.error.message; return; }
    const c = r.data.current;
    const next = h('button', { type: 'button', class: 'btn btn-apply', i18n: 'svc.work.callNext', 'data-testid': 'call-next', disabled: !!c });
    next.addEventListener('click', () => act('/call-next'));
    if (c) {
      const caseNo = h('input', { id: 'svc-caseno', maxlength: '32', i18nAttr: 'placeholder:svc.work.caseNo;aria-label:svc.work.caseNo' });
      const b = (key, action, body) => {
        const x = h('button', { type: 'button', class: 'btn btn-ghost', i18n: key, 'data-action': action });
        x.addEventListener('click', () => act(`/tickets/${c.id}/${action}`, body ? body() : {}));
        return x;
      };
      fill(cur, h('h2', { i18n: 'svc.work.current' }),
        h('p', { class: 'svc-big', 'data-testid': 'current-number' }, c.number), h('p', null, c.item_name, ' · ', c.status),
        h('div', { class: 'svc-actions' },
          c.status === 'called' ? [b('svc.work.recall', 'recall'), b('svc.work.noShow', 'no-show'), b('svc.work.start', 'start')] : null,
          caseNo, b('svc.work.finish', 'finish', () => (caseNo.value.trim() ? { case_no: caseNo.value.trim() } : {}))), next);
    } else {
      fill(cur, h('h2', { i18n: 'svc.work.current' }), h('p', { class: 'muted', i18n: 'svc.work.none' }), next);
    }
    fill(waiting, h('h2', null, T('svc.work.waiting', { n: r.data.waiting.length })),
      r.data.waiting.length ? h('ol', { class: 'svc-queue' }, r.data.waiting.map((x) => h('li', { 'data-number': x.number },
        h('strong', null, x.number), ' ', x.item_name, x.priority ? ' ★' : ''))) : h('p', { class: 'muted', i18n: 'svc.work.empty' }));
  }
  sel.addEventListener('change', () => { localStorage.setItem('ywtb.window', sel.value); load(); });
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('div', { class: 'page-head-row' }, h('h1', { i18n: 'title.work.hall' }), h('label', { for: 'svc-win', i18n: 'svc.work.window' }), sel),
    flash, cur, waiting));
  load();
  setInterval(load, 5000);
}

if (await initWork({ active: 'hall', roles: ['window_clerk', 'admin'] })) render();
