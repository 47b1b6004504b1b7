// kiosk.js - kiosk/index.html: the self-service terminal in the hall.  Large
// touch buttons, high contrast, Chinese first.  查询办件: the case number and
// the applicant's ID number (or credit code), typed on the on-screen keypad or
// a keyboard, show the status, the steps and the due date (GET
// /api/v1/public/case-status, no login); 打印: the printable status sheet
// (GET /api/v1/public/case-status.pdf).  After two idle minutes the screen
// clears itself, so the next person sees nothing of the last one.
import { h, T, fill } from '../assets/dom.js';
import { apply, getLang, setLang } from '../assets/i18n.js';
import '../assets/i18n-services.js';
import * as api from '../assets/api.js';
import { normalize, checkId, checkUscc } from '../assets/cnid.js';
import { statusBadge, lightMark, daysLeftText, publicSteps, fmtTime, deptName } from '../assets/casefmt.js';

const main = document.getElementById('main');
const IDLE_MS = 120000;
let depts = [];
let mode = 'query';
let idle = null;

function resetIdle() {
  clearTimeout(idle);
  idle = setTimeout(() => home(), IDLE_MS);
}
for (const ev of ['pointerdown', 'keydown']) document.addEventListener(ev, resetIdle, { passive: true });

function header() {
  const lang = h('button', { type: 'button', class: 'k-lang', i18n: 'lang.switch', i18nAttr: 'aria-label:lang.switch.label', 'data-testid': 'lang-toggle' });
  lang.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  fill(document.getElementById('kiosk-header'),
    h('div', { class: 'k-brand' },
      h('img', { src: '../assets/logo.svg', alt: '', width: 56, height: 56 }),
      h('div', null, h('p', { class: 'k-name', i18n: 'site.name' }), h('p', { class: 'k-sub', i18n: 'kiosk.sub' }))),
    lang);
  fill(document.getElementById('kiosk-footer'), h('p', { i18n: 'kiosk.footer' }));
}

function home() {
  mode = 'query';
  fill(main, h('div', { class: 'k-home' },
    h('h1', { class: 'k-title', i18n: 'kiosk.welcome' }),
    h('div', { class: 'k-choices' },
      h('button', { type: 'button', class: 'k-big', 'data-testid': 'kiosk-query', onclick: () => form('query') },
        h('img', { class: 'k-big-icon', src: 'search.svg', alt: '', width: 88, height: 88 }), h('span', { class: 'k-big-label', i18n: 'kiosk.query' }), h('span', { class: 'k-big-text', i18n: 'kiosk.query.text' })),
      h('button', { type: 'button', class: 'k-big k-big-alt', 'data-testid': 'kiosk-print', onclick: () => form('print') },
        h('img', { class: 'k-big-icon', src: 'print.svg', alt: '', width: 88, height: 88 }), h('span', { class: 'k-big-label', i18n: 'kiosk.print' }), h('span', { class: 'k-big-text', i18n: 'kiosk.print.text' }))),
    // the service hall's numbers (kiosk/queue.html): take one, or check a booking in
    h('a', { class: 'k-big k-big-wide', href: 'queue.html', 'data-testid': 'kiosk-queue' },
      h('span', { class: 'k-big-label', i18n: 'svc.kiosk.title' }), h('span', { class: 'k-big-text', i18n: 'svc.kiosk.go.text' }))));
  main.focus();
}

/** The case number and ID number, with the on-screen keypad. */
function form(m) {
  mode = m;
  const caseNo = h('input', { id: 'k-case', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '24', spellcheck: 'false', autocapitalize: 'characters', 'data-testid': 'kiosk-case-no' });
  const ident = h('input', { id: 'k-ident', class: 'k-input', inputmode: 'none', autocomplete: 'off', maxlength: '18', spellcheck: 'false', autocapitalize: 'characters', 'data-testid': 'kiosk-ident' });
  let target = caseNo;
  const mark = () => {
    for (const el of [caseNo, ident]) el.closest('.k-field').classList.toggle('k-active', el === target);
  };
  for (const el of [caseNo, ident]) el.addEventListener('focus', () => {
    target = el;
    mark();
  });
  const error = h('div', { class: 'k-error', role: 'alert', 'data-testid': 'kiosk-error' });
  const press = (key) => {
    error.replaceChildren();
    if (key === 'back') target.value = target.value.slice(0, -1);
    else if (key === 'clear') target.value = '';
    else if (target.value.length < Number(target.maxLength)) target.value += key;
    target.focus();
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0', 'back'];
  const keypad = h('div', { class: 'k-keypad', role: 'group', i18nAttr: 'aria-label:kiosk.keypad', 'data-testid': 'kiosk-keypad' },
    keys.map((k) => {
      const b = h('button', { type: 'button', class: `k-key${k === 'back' ? ' k-key-fn' : ''}`, 'data-key': k },
        k === 'back' ? h('span', { i18n: 'kiosk.key.back' }) : k);
      if (k === 'back') b.setAttribute('data-i18n-attr', 'aria-label:kiosk.key.back');
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => press(k));
      return b;
    }),
    h('button', { type: 'button', class: 'k-key k-key-fn', 'data-key': 'XH', onmousedown: (e) => e.preventDefault(), onclick: () => press('XH') }, 'XH'),
    h('button', { type: 'button', class: 'k-key k-key-fn k-key-wide', 'data-key': 'clear', onmousedown: (e) => e.preventDefault(), onclick: () => press('clear'), i18n: 'kiosk.key.clear' }));
  const go = h('button', { type: 'submit', class: 'k-go', 'data-testid': 'kiosk-go', i18n: m === 'print' ? 'kiosk.go.print' : 'kiosk.go.query' });
  const f = h('form', { class: 'k-form', novalidate: true },
    h('h1', { class: 'k-title', i18n: m === 'print' ? 'kiosk.print' : 'kiosk.query' }),
    h('div', { class: 'k-form-grid' },
      h('div', { class: 'k-fields' },
        h('div', { class: 'k-field k-active' }, h('label', { for: 'k-case', i18n: 'status.caseNo' }), caseNo, h('p', { class: 'k-hint', i18n: 'status.caseNo.hint' })),
        h('div', { class: 'k-field' }, h('label', { for: 'k-ident', i18n: 'status.ident' }), ident, h('p', { class: 'k-hint', i18n: 'status.ident.hint' })),
        error),
      keypad),
    h('div', { class: 'k-actions' },
      h('button', { type: 'button', class: 'k-back', i18n: 'kiosk.home', 'data-testid': 'kiosk-home', onclick: () => home() }),
      go));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const no = normalize(caseNo.value).replace(/[^0-9A-Z]/g, '');
    const id = normalize(ident.value);
    caseNo.value = no;
    ident.value = id;
    if (!/^XH\d{14,}$/.test(no)) {
      fill(error, h('p', { i18n: 'status.err.caseNo' }));
      caseNo.focus();
      return;
    }
    const kind = checkId(id).ok ? 'id_number' : checkUscc(id).ok ? 'uscc' : null;
    if (!kind) {
      fill(error, h('p', { i18n: 'status.err.ident' }));
      ident.focus();
      return;
    }
    go.disabled = true;
    const r = await api.get(`/api/v1/public/case-status${api.qs({ case_no: no, [kind]: id })}`);
    go.disabled = false;
    if (!r.ok) {
      fill(error, h('p', { i18n: r.status === 404 ? 'status.notFound' : r.status === 429 ? 'err.rate_limited' : 'error.load' }));
      return;
    }
    result(r.data, `/api/v1/public/case-status.pdf${api.qs({ case_no: no, [kind]: id })}`);
  });
  fill(main, f);
  caseNo.focus();
}

function result(d, pdf) {
  const c = d.clock || {};
  fill(main, h('div', { class: 'k-result', 'data-testid': 'kiosk-result' },
    h('p', { class: 'k-case-no' }, h('span', { i18n: 'case.no' }), '：', h('span', { class: 'mono', 'data-testid': 'kiosk-result-no' }, d.case_no)),
    h('h1', { class: 'k-title', 'data-testid': 'kiosk-result-title' }, d.title),
    h('p', { class: 'k-dept' }, deptName(depts, d.dept)),
    h('div', { class: 'k-status-row' },
      h('div', { class: 'k-status', 'data-testid': 'kiosk-status' }, statusBadge(d.status, 'status-lg')),
      h('div', { class: 'k-clock' }, lightMark(c.light, { large: true }), h('span', { class: 'k-left' }, daysLeftText(c)),
        c.due_date ? h('span', { class: 'k-due', i18n: 'clock.dueOn', args: { d: c.due_date } }) : null)),
    d.submitted_at ? h('p', { class: 'k-sub-at', i18n: 'case.submittedAt', args: { t: fmtTime(d.submitted_at) } }) : null,
    h('h2', { i18n: 'status.steps' }),
    publicSteps(d.steps),
    h('div', { class: 'k-actions' },
      h('button', { type: 'button', class: 'k-back', i18n: 'kiosk.home', 'data-testid': 'kiosk-home', onclick: () => home() }),
      h('a', { class: `k-go${mode === 'print' ? ' k-go-hot' : ''}`, href: pdf, target: '_blank', rel: 'noopener', 'data-testid': 'kiosk-pdf', i18n: 'kiosk.printSheet' }))));
  main.focus();
}

header();
apply(document);
home();
resetIdle();
const r = await api.departments();
depts = r.ok ? r.data.items : [];
document.addEventListener('ywtb:lang', () => apply(document));

