// self.js - kiosk/self.html: the 24-hour self-service hall's terminal.
// 扫码登录: the kiosk asks for a login request (POST
// /api/v1/public/kiosk/login-requests), shows its QR code and polls with its
// poll token until the person confirms on their phone.  身份证登录: the ID
// number on the keypad sends a one-time code to the account's phone (POST
// /api/v1/public/kiosk/otp), typed back to log in (.../otp/verify).  Either
// answer sets the session cookies, and the screen shows 我的办件 (with their
// notices and the public status sheet to print), 我的结果领取 (a result in a locker opens with the login),
// 我的证照 (to print) and 办理事项 (kapply.js).  60 s without a touch, or
// 离开, logs out, turns the aids (aids.js: 长者模式, 语音朗读) off and clears
// the screen.  凭码取件: the locker and the 6-digit code on the on-screen
// keypad open the compartment (POST /api/v1/public/kiosk/pickup).  The kiosk's
// name comes from ?kiosk= (default K01).
import { h, T, fill } from '../assets/dom.js';
import { apply, getLang, setLang, t, has } from '../assets/i18n.js';
import '../assets/i18n-cases.js';
import '../assets/i18n-selfservice.js';
import * as api from '../assets/api.js';
import { statusBadge } from '../assets/casefmt.js';
import { aidButtons, resetAids, readScreen, aloud } from './aids.js';
import { printPdf } from './kprint.js';
import { applyScreen } from './kapply.js';

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
  if (aloud()) readScreen(main);
}

let aids = [];

function header() {
  const lang = h('button', { type: 'button', class: 'k-lang', i18n: 'lang.switch', 'data-testid': 'lang-toggle' });
  lang.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  aids = aidButtons(main);
  fill(document.getElementById('kiosk-header'),
    h('div', { class: 'k-brand' },
      h('img', { src: '../assets/logo.svg', alt: '', width: 56, height: 56 }),
      h('div', null, h('p', { class: 'k-name', i18n: 'site.name' }), h('p', { class: 'k-sub', i18n: 'ss.k.welcome' }))),
    h('div', { class: 'k-aids' }, aids, lang));
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
      h('button', { type: 'button', class: 'k-big', 'data-testid': 'ss-otp-login', onclick: otpLogin },
        h('span', { class: 'k-big-label', i18n: 'ss.k.otp' }), h('span', { class: 'k-big-text', i18n: 'ss.k.otp.text' })),
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
      return signedInNow();
    }
    if (!p.ok) {
      clearInterval(poller);
      fill(status, h('span', { i18n: 'ss.k.expired' }), ' ', h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.retry', onclick: qrLogin }));
      apply(status);
    }
  }, 1500);
}

async function signedInNow() {
  signedIn = true;
  await api.me(true);
  resetIdle();
  return mine();
}

/* the screen's words for an API error: this screen's, the kiosk's, the portal's, else the server's */
const errText = (e, scope = '') => {
  for (const k of [`ss.err.${scope}.${e.code}`, `ss.err.${e.code}`, `err.${e.code}`]) if ((scope || !k.startsWith('ss.err..')) && has(k)) return t(k);
  return e.message;
};

/** An on-screen keypad typing into whichever of `inputs` has the focus (first by default). */
function keypad(inputs, keys) {
  let target = inputs[0];
  for (const el of inputs) el.addEventListener('focus', () => { target = el; });
  const press = (k) => {
    if (k === 'back') target.value = target.value.slice(0, -1);
    else if (k === 'clear') target.value = '';
    else if (target.value.length < Number(target.maxLength)) target.value += k;
    target.focus();
  };
  return h('div', { class: 'k-keypad', role: 'group', 'data-testid': 'ss-keypad' }, keys.map((k) => {
    const b = h('button', { type: 'button', class: `k-key${k.length > 1 ? ' k-key-fn' : ''}`, 'data-key': k }, k.length > 1 ? h('span', { i18n: `ss.k.key.${k}` }) : k);
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => press(k));
    return b;
  }));
}
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'];

/** 身份证登录: the ID number, then the code the account's phone received. */
function otpLogin() {
  const id = h('input', { id: 'ss-id', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '18', 'data-testid': 'ss-id' });
  const out = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-otp-result' });
  const send = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.otp.send', 'data-testid': 'ss-otp-send' });
  send.addEventListener('click', async () => {
    const r = await api.post('/api/v1/public/kiosk/otp', { kiosk: KIOSK, id_number: id.value.trim().toUpperCase() });
    if (!r.ok) {
      fill(out, h('p', { class: 'k-error', 'data-code': r.error.code }, errText(r.error, 'otp')));
      return;
    }
    codeStep(r.data.otp_token);
  });
  show(h('div', { class: 'ss-pickup ss-otp' },
    h('h1', { class: 'k-title', i18n: 'ss.k.otp' }),
    h('div', { class: 'k-field k-active' }, h('label', { for: 'ss-id', i18n: 'ss.k.otp.id' }), id),
    keypad([id], [...DIGITS.slice(0, 9), 'X', '0', 'back']), send, out, backButton()));
  id.focus();
  resetIdle();
}

function codeStep(token) {
  const code = h('input', { id: 'ss-otp-code', class: 'k-input', inputmode: 'none', autocomplete: 'one-time-code', maxlength: '6', 'data-testid': 'ss-otp-code' });
  const out = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-otp-result' });
  const go = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.otp.login', 'data-testid': 'ss-otp-verify' });
  go.addEventListener('click', async () => {
    const r = await api.post('/api/v1/public/kiosk/otp/verify', { otp_token: token, code: code.value.trim() });
    if (r.ok && r.data.status === 'signed_in') return signedInNow();
    code.value = '';
    fill(out, h('p', { class: 'k-error', 'data-code': r.error.code }, errText(r.error, 'otp')));
  });
  show(h('div', { class: 'ss-pickup ss-otp' },
    h('h1', { class: 'k-title', i18n: 'ss.k.otp.sent' }),
    h('div', { class: 'k-field k-active' }, h('label', { for: 'ss-otp-code', i18n: 'ss.k.otp.code' }), code),
    keypad([code], DIGITS), go, out, backButton()));
  code.focus();
}

const methodText = (d) => t(`ss.d.m.${d.method}`);
function resultLine(d, flash) {
  let extra = '';
  if (d.status === 'shipped') extra = t('ss.d.tracking', { carrier: d.carrier, tracking_no: d.tracking_no });
  else if (d.status === 'in_locker') extra = t('ss.d.inlocker.kiosk', { locker: d.locker, compartment: d.compartment });
  const open = d.status === 'in_locker' ? h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.openmine', 'data-testid': 'ss-open-mine', onclick: async () => {
    const r = await api.post(`/api/v1/deliveries/${encodeURIComponent(d.case_no)}/pickup`, {});
    fill(flash, h('p', { class: r.ok ? 'ss-opened' : 'k-error' }, r.ok ? t('ss.k.opened', r.data) : errText(r.error, 'mine')));
  } }) : null;
  return h('li', { class: 'ss-row', 'data-case': d.case_no },
    h('strong', null, d.title), h('span', null, d.case_no), h('span', null, `${methodText(d)} · ${t(`ss.d.s.${d.status}`)}`), extra ? h('span', null, extra) : null, open);
}

/** A print button: the PDF at url goes to the kiosk's printer and is recorded. */
function printButton(key, url, what, ref, flash, testid) {
  return h('button', { type: 'button', class: 'k-btn k-btn-ghost', i18n: key, 'data-testid': testid, 'data-ref': ref, onclick: async () => {
    const r = await printPdf(url, what, ref);
    fill(flash, h('p', { class: r.ok ? 'ss-opened' : 'k-error' }, r.ok ? t('ss.k.printed') : errText(r.error, 'mine')));
  } });
}

async function mine() {
  const me = await api.me();
  const [cases, dels, lics] = await Promise.all([api.get('/api/v1/cases?limit=10'), api.get('/api/v1/deliveries'), api.get('/api/v1/licenses?limit=10')]);
  const caseItems = cases.ok ? cases.data.items : [];
  const delItems = dels.ok ? dels.data.items : [];
  const licItems = lics.ok ? lics.data.items : [];
  const flash = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-flash' });
  show(h('div', { class: 'ss-mine', 'data-testid': 'ss-mine' },
    h('h1', { class: 'k-title', 'data-testid': 'ss-hello' }, t('ss.k.hello', { name: me ? me.name : '' })),
    h('div', { class: 'k-choices' },
      h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.apply', 'data-testid': 'ss-apply-open', onclick: () => applyScreen(main, me, mine, show) })),
    flash,
    h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.mycases' }),
      h('ul', { class: 'ss-list', 'data-testid': 'ss-cases' }, caseItems.length ? caseItems.map((c) => h('li', { class: 'ss-row', 'data-case': c.case_no },
        h('strong', null, c.title), h('span', null, c.case_no), statusBadge(c.status),
        c.status === 'draft' ? null : printButton('ss.k.print.notice', `/api/v1/cases/${encodeURIComponent(c.case_no)}/receipt.pdf`, 'notice', c.case_no, flash, 'ss-print-notice'),
        c.status === 'draft' || !me ? null : printButton('ss.k.print.status', `/api/v1/public/case-status.pdf?case_no=${encodeURIComponent(c.case_no)}&${me.kind === 'enterprise' ? 'uscc' : 'id_number'}=${encodeURIComponent(me.login)}`, 'status', c.case_no, flash, 'ss-print-status'))) : h('li', { i18n: 'ss.k.none' }))),
    h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.myresults' }),
      h('ul', { class: 'ss-list', 'data-testid': 'ss-results' }, delItems.length ? delItems.map((d) => resultLine(d, flash)) : h('li', { i18n: 'ss.k.none' }))),
    h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.mylicenses' }),
      h('ul', { class: 'ss-list', 'data-testid': 'ss-licenses' }, licItems.length ? licItems.map((l) => h('li', { class: 'ss-row', 'data-license': l.id },
        h('strong', null, l.type_name || l.type), h('span', { class: 'mono' }, l.id),
        printButton('ss.k.print.license', `/api/v1/licenses/${encodeURIComponent(l.id)}/print.pdf`, 'license', l.id, flash, 'ss-print-license'))) : h('li', { i18n: 'ss.k.none' }))),
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
  resetAids(aids);
  home();
}

function pickup() {
  const locker = h('input', { id: 'ss-locker', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '16', value: 'G01', 'data-testid': 'ss-locker' });
  const code = h('input', { id: 'ss-code', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '6', 'data-testid': 'ss-code' });
  const out = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-pickup-result' });
  const pad = keypad([code, locker], DIGITS);
  const open = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.open', 'data-testid': 'ss-open' });
  open.addEventListener('click', async () => {
    const r = await api.post('/api/v1/public/kiosk/pickup', { locker: locker.value.trim().toUpperCase(), code: code.value.trim() });
    if (r.ok) fill(out, h('p', { class: 'ss-opened' }, t('ss.k.opened', r.data)));
    else fill(out, h('p', { class: 'k-error', 'data-code': r.error.code }, errText(r.error)));
    code.value = '';
  });
  show(h('div', { class: 'ss-pickup' },
    h('h1', { class: 'k-title', i18n: 'ss.k.pickup' }),
    h('div', { class: 'k-field' }, h('label', { for: 'ss-locker', i18n: 'ss.k.locker' }), locker),
    h('div', { class: 'k-field k-active' }, h('label', { for: 'ss-code', i18n: 'ss.k.code' }), code),
    pad, open, out, backButton()));
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
