// self.js - kiosk/self.html: the 24-hour self-service hall's terminal.
// 扫码登录: the kiosk asks for a login request (POST
// /api/v1/public/kiosk/login-requests), shows its QR code and polls with its
// poll token until the person confirms on their phone; the answer sets the
// session cookies, and the screen shows 我的办件 (GET /api/v1/cases) and 我的
// 结果领取 (GET /api/v1/deliveries).  60 s without a touch, or 离开, logs out
// and clears the screen.  凭码取件: the locker and the 6-digit code on the
// on-screen keypad open the compartment (POST /api/v1/public/kiosk/pickup).
// The kiosk's name comes from ?kiosk= (default K01).
import { h, T, fill } from '../assets/dom.js';
import { apply, getLang, setLang, t, has } from '../assets/i18n.js';
import '../assets/i18n-cases.js';
import '../assets/i18n-selfservice.js';
import * as api from '../assets/api.js';
import { statusBadge } from '../assets/casefmt.js';

const main = document.getElementById('main');
const KIOSK = (new URLSearchParams(location.search).get('kiosk') || 'K01').replace(/[^A-Za-z0-9-]/g, '').slice(0, 16) || 'K01';
const IDLE_MS = 60000;
let idle = null;
let poller = null;
let signedIn = false;

function resetIdle() {
  clearTimeout(idle);
  idle = setTimeout(() => leave(), IDLE_MS);
}
for (const ev of ['pointerdown', 'keydown']) document.addEventListener(ev, resetIdle, { passive: true });

function show(...children) {
  fill(main, ...children);
  apply(main);
  main.focus();
}

function header() {
  const lang = h('button', { type: 'button', class: 'k-lang', i18n: 'lang.switch', 'data-testid': 'lang-toggle' });
  lang.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  fill(document.getElementById('kiosk-header'),
    h('div', { class: 'k-brand' },
      h('img', { src: '../assets/logo.svg', alt: '', width: 56, height: 56 }),
      h('div', null, h('p', { class: 'k-name', i18n: 'site.name' }), h('p', { class: 'k-sub', i18n: 'ss.k.welcome' }))),
    lang);
  fill(document.getElementById('kiosk-footer'), h('p', { i18n: 'ss.k.idle' }));
  apply(document);
}

function home() {
  clearInterval(poller);
  show(h('div', { class: 'k-home' },
    h('h1', { class: 'k-title', i18n: 'ss.k.welcome' }),
    h('div', { class: 'k-choices' },
      h('button', { type: 'button', class: 'k-big', 'data-testid': 'ss-login', onclick: qrLogin },
        h('span', { class: 'k-big-label', i18n: 'ss.k.login' }), h('span', { class: 'k-big-text', i18n: 'ss.k.login.text' })),
      h('button', { type: 'button', class: 'k-big k-big-alt', 'data-testid': 'ss-pickup', onclick: pickup },
        h('span', { class: 'k-big-label', i18n: 'ss.k.pickup' }), h('span', { class: 'k-big-text', i18n: 'ss.k.pickup.text' })))));
}

const backButton = () => h('button', { type: 'button', class: 'k-btn k-btn-ghost', i18n: 'ss.k.back', 'data-testid': 'ss-back', onclick: home });

async function qrLogin() {
  const r = await api.post('/api/v1/public/kiosk/login-requests', { kiosk: KIOSK });
  if (!r.ok) return show(h('div', { class: 'k-error', role: 'alert' }, r.error.message), backButton());
  const { code, poll_token, confirm_url } = r.data;
  const status = h('p', { class: 'ss-wait', role: 'status', 'aria-live': 'polite', i18n: 'ss.k.waiting' });
  show(h('div', { class: 'ss-qr-box' },
    h('h1', { class: 'k-title', i18n: 'ss.k.scan' }),
    h('img', { class: 'ss-qr', src: `/api/v1/public/kiosk/login-requests/${encodeURIComponent(code)}/qr.svg`, alt: confirm_url, 'data-testid': 'ss-qr', 'data-url': confirm_url }),
    status, backButton()));
  clearInterval(poller);
  poller = setInterval(async () => {
    const p = await api.post('/api/v1/public/kiosk/login-requests/poll', { poll_token });
    if (p.ok && p.data.status === 'signed_in') {
      clearInterval(poller);
      signedIn = true;
      await api.me(true);
      resetIdle();
      return mine();
    }
    if (!p.ok) {
      clearInterval(poller);
      fill(status, h('span', { i18n: 'ss.k.expired' }), ' ', h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.retry', onclick: qrLogin }));
      apply(status);
    }
  }, 1500);
}

const methodText = (d) => t(`ss.d.m.${d.method}`);
function resultLine(d) {
  let extra = '';
  if (d.status === 'shipped') extra = t('ss.d.tracking', { carrier: d.carrier, tracking_no: d.tracking_no });
  else if (d.status === 'in_locker') extra = t('ss.d.inlocker', { locker: d.locker, compartment: d.compartment });
  return h('li', { class: 'ss-row', 'data-case': d.case_no },
    h('strong', null, d.title), h('span', null, d.case_no), h('span', null, `${methodText(d)} · ${t(`ss.d.s.${d.status}`)}`), extra ? h('span', null, extra) : null);
}

async function mine() {
  const me = await api.me();
  const [cases, dels] = await Promise.all([api.get('/api/v1/cases?limit=10'), api.get('/api/v1/deliveries')]);
  const caseItems = cases.ok ? cases.data.items : [];
  const delItems = dels.ok ? dels.data.items : [];
  show(h('div', { class: 'ss-mine', 'data-testid': 'ss-mine' },
    h('h1', { class: 'k-title', 'data-testid': 'ss-hello' }, t('ss.k.hello', { name: me ? me.name : '' })),
    h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.mycases' }),
      h('ul', { class: 'ss-list', 'data-testid': 'ss-cases' }, caseItems.length ? caseItems.map((c) => h('li', { class: 'ss-row', 'data-case': c.case_no },
        h('strong', null, c.title), h('span', null, c.case_no), statusBadge(c.status))) : h('li', { i18n: 'ss.k.none' }))),
    h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.myresults' }),
      h('ul', { class: 'ss-list', 'data-testid': 'ss-results' }, delItems.length ? delItems.map(resultLine) : h('li', { i18n: 'ss.k.none' }))),
    h('button', { type: 'button', class: 'k-btn k-btn-leave', i18n: 'ss.k.leave', 'data-testid': 'ss-leave', onclick: leave })));
}

/** Log out (when signed in) and clear the screen. */
async function leave() {
  clearTimeout(idle);
  clearInterval(poller);
  if (signedIn) {
    signedIn = false;
    await api.logout();
  }
  home();
}

function pickup() {
  const locker = h('input', { id: 'ss-locker', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '16', value: 'G01', 'data-testid': 'ss-locker' });
  const code = h('input', { id: 'ss-code', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '6', 'data-testid': 'ss-code' });
  const out = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-pickup-result' });
  let target = code;
  for (const el of [locker, code]) el.addEventListener('focus', () => { target = el; });
  const press = (k) => {
    if (k === 'back') target.value = target.value.slice(0, -1);
    else if (k === 'clear') target.value = '';
    else if (target.value.length < Number(target.maxLength)) target.value += k;
    target.focus();
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'];
  const keypad = h('div', { class: 'k-keypad', role: 'group', 'data-testid': 'ss-keypad' }, keys.map((k) => {
    const b = h('button', { type: 'button', class: `k-key${k.length > 1 ? ' k-key-fn' : ''}`, 'data-key': k }, k.length > 1 ? h('span', { i18n: `ss.k.key.${k}` }) : k);
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => press(k));
    return b;
  }));
  const open = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.open', 'data-testid': 'ss-open' });
  open.addEventListener('click', async () => {
    const r = await api.post('/api/v1/public/kiosk/pickup', { locker: locker.value.trim().toUpperCase(), code: code.value.trim() });
    if (r.ok) fill(out, h('p', { class: 'ss-opened' }, t('ss.k.opened', r.data)));
    else fill(out, h('p', { class: 'k-error', 'data-code': r.error.code }, has(`ss.err.${r.error.code}`) ? t(`ss.err.${r.error.code}`) : r.error.message));
    code.value = '';
  });
  show(h('div', { class: 'ss-pickup' },
    h('h1', { class: 'k-title', i18n: 'ss.k.pickup' }),
    h('div', { class: 'k-field' }, h('label', { for: 'ss-locker', i18n: 'ss.k.locker' }), locker),
    h('div', { class: 'k-field k-active' }, h('label', { for: 'ss-code', i18n: 'ss.k.code' }), code),
    keypad, open, out, backButton()));
  code.focus();
  resetIdle();
}

header();
if (await api.me()) { /* a session left on this kiosk: never show it to the next person */
  signedIn = true;
  await leave();
} else {
  home();
}
