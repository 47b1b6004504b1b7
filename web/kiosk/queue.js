// queue.js - kiosk/queue.html : take a number or check a booking in at the
// hall's kiosk (no login).  预约签到: the booking code (scanned from its QR) or
// the ID number gives an A number (POST /api/v1/hall/checkin); 现场取号: an
// item code, and optionally the ID number (70 or older are called first) or
// "I need help", gives a B or V number (POST /api/v1/hall/tickets).  The
// number is shown large; after a minute the screen clears itself.
import { h, T, fill } from '../assets/dom.js';
import { apply, getLang, setLang } from '../assets/i18n.js';
import '../assets/i18n-services.js';
import * as api from '../assets/api.js';

const main = document.getElementById('main');
let idle = null;

function ticket(tk) {
  clearTimeout(idle);
  idle = setTimeout(home, 60000);
  const done = h('button', { type: 'button', class: 'btn btn-apply k-big', i18n: 'svc.kiosk.again' });
  done.addEventListener('click', home);
  fill(main, h('section', { class: 'svc-ticket', 'data-testid': 'ticket' },
    h('p', { i18n: 'svc.kiosk.number' }),
    h('p', { class: 'svc-ticket-number', 'data-testid': 'ticket-number' }, tk.number),
    h('p', null, tk.item_name),
    h('p', { i18n: 'svc.kiosk.ahead', args: { n: tk.ahead } }),
    h('p', { 'data-testid': 'ticket-est' }, tk.est_minutes === null || tk.est_minutes === undefined
      ? T('svc.hall.noWindow') : T('svc.kiosk.est', { n: tk.est_minutes })),
    done));
}

function home() {
  clearTimeout(idle);
  const flash = h('p', { class: 'svc-flash', role: 'alert', 'data-testid': 'kiosk-error' });
  const code = h('input', { id: 'k-code', maxlength: '32', autocomplete: 'off', class: 'k-input' });
  const checkin = h('form', { class: 'panel', 'data-testid': 'checkin-form' },
    h('h2', { i18n: 'svc.kiosk.checkin' }),
    h('label', { for: 'k-code', i18n: 'svc.kiosk.checkinHint' }), code,
    h('button', { type: 'submit', class: 'btn btn-apply', i18n: 'svc.kiosk.go' }));
  checkin.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = code.value.trim().toUpperCase();
    const body = /^YY/.test(v) ? { code: v } : { id_number: v };
    const r = await api.post('/api/v1/hall/checkin', body);
    if (r.ok) ticket(r.data);
    else flash.textContent = r.error.message;
  });
  const item = h('input', { id: 'k-item', maxlength: '40', autocomplete: 'off', class: 'k-input' });
  const idn = h('input', { id: 'k-id', maxlength: '18', autocomplete: 'off', class: 'k-input' });
  const help = h('input', { id: 'k-help', type: 'checkbox' });
  const take = h('form', { class: 'panel', 'data-testid': 'take-form' },
    h('h2', { i18n: 'svc.kiosk.take' }),
    h('label', { for: 'k-item', i18n: 'svc.kiosk.item' }), item,
    h('label', { for: 'k-id', i18n: 'svc.kiosk.idOptional' }), idn,
    h('label', null, help, ' ', T('svc.kiosk.help')),
    h('button', { type: 'submit', class: 'btn btn-apply', i18n: 'svc.kiosk.go' }));
  take.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { item_code: item.value.trim() };
    if (idn.value.trim()) body.id_number = idn.value.trim();
    if (help.checked) body.help = true;
    const r = await api.post('/api/v1/hall/tickets', body);
    if (r.ok) ticket(r.data);
    else flash.textContent = r.error.message;
  });
  const lang = h('button', { type: 'button', class: 'k-lang', i18n: 'lang.switch' });
  lang.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  fill(main, h('div', { class: 'svc-kiosk' }, h('div', { class: 'page-head-row' }, h('h1', { i18n: 'svc.kiosk.title' }), lang),
    flash, h('div', { class: 'svc-kiosk-grid' }, checkin, take)));
  apply(main);
}

apply(document);
home();
