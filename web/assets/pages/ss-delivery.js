// ss-delivery.js - delivery.html: 办件结果领取方式.  The applicant's approved
// cases with a paper result (GET /api/v1/deliveries), where each one stands
// (in a locker, mailed with its tracking number, received, back at the window
// when left uncollected), and the choice of window, locker or mail with
// recipient, phone and address (PUT /api/v1/deliveries/{case_no}/choice)
// while the result has not left.  A result in a locker: 获取取件码 asks for
// its pickup code (POST .../pickup-code), shown here once and kept nowhere -
// the inbox message points here; asking again makes the old code void.
// ?case=NO (the message's link) marks that case's section.
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';
import { apply, t } from '../i18n.js';
import { h, fill, params } from '../dom.js';
import '../i18n-selfservice.js';

const main = document.getElementById('main');

function statusText(d) {
  if (d.status === 'shipped' || (d.status === 'done' && d.tracking_no)) return `${t(`ss.d.s.${d.status}`)} · ${t('ss.d.tracking', d)}`;
  if (d.status === 'in_locker') return `${t('ss.d.s.in_locker')} · ${t('ss.d.inlocker', d)}`;
  return t(`ss.d.s.${d.status}`);
}

function codeBox(d) {
  const out = h('p', { class: 'ss-code', role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-code-shown' });
  const btn = h('button', { type: 'button', class: 'btn', i18n: 'ss.d.getcode', 'data-testid': 'ss-getcode' });
  btn.addEventListener('click', async () => {
    const r = await api.post(`/api/v1/deliveries/${encodeURIComponent(d.case_no)}/pickup-code`, {});
    fill(out, r.ok ? [t('ss.d.code', r.data), h('strong', { class: 'ss-code-digits', 'data-testid': 'ss-code-digits' }, r.data.code), h('br'), t('ss.d.code.once')] : r.error.message);
  });
  return h('div', { class: 'ss-codebox' }, btn, out);
}

function choiceForm(d, reload) {
  const id = (k) => `ss-${k}-${d.case_no}`;
  const radios = ['window', 'locker', 'mail'].map((m) => h('label', { class: 'ss-radio' },
    h('input', { type: 'radio', name: `m-${d.case_no}`, value: m, checked: d.method === m, 'data-testid': `ss-m-${m}` }), ' ', t(`ss.d.m.${m}`)));
  const recipient = h('input', { id: id('recipient'), value: d.recipient, maxlength: '40', 'data-testid': 'ss-recipient' });
  const phone = h('input', { id: id('phone'), value: d.phone, maxlength: '11', inputmode: 'tel', 'data-testid': 'ss-phone' });
  const address = h('input', { id: id('address'), value: d.address, maxlength: '200', 'data-testid': 'ss-address' });
  const mailBox = h('div', { class: 'ss-mail' },
    h('div', { class: 'field' }, h('label', { for: id('recipient'), i18n: 'ss.d.recipient' }), recipient),
    h('div', { class: 'field' }, h('label', { for: id('phone'), i18n: 'ss.d.phone' }), phone),
    h('div', { class: 'field' }, h('label', { for: id('address'), i18n: 'ss.d.address' }), address));
  const flash = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-flash' });
  const form = h('form', { class: 'ss-choice', 'data-testid': 'ss-choice' },
    h('fieldset', null, h('legend', { i18n: 'ss.d.method' }), radios), mailBox,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'ss.d.save', 'data-testid': 'ss-save' })), flash);
  const sync = () => { mailBox.hidden = form.querySelector('input[type=radio]:checked')?.value !== 'mail'; };
  form.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const method = form.querySelector('input[type=radio]:checked')?.value;
    if (!method) return;
    const body = method === 'mail' ? { method, recipient: recipient.value.trim(), phone: phone.value.trim(), address: address.value.trim() } : { method };
    const r = await api.put(`/api/v1/deliveries/${encodeURIComponent(d.case_no)}/choice`, body);
    flash.textContent = r.ok ? t('ss.d.saved') : r.error.message;
    if (r.ok) setTimeout(reload, 300);
  });
  return form;
}

async function render() {
  const r = await api.get('/api/v1/deliveries');
  const items = r.ok ? r.data.items : [];
  fill(main, h('div', { class: 'wrap page' },
    h('h1', { i18n: 'ss.d.title' }), h('p', { class: 'muted', i18n: 'ss.d.intro' }),
    items.length ? items.map((d) => h('section', { class: 'panel', 'data-testid': 'ss-delivery', 'data-case': d.case_no },
      h('h2', null, `${d.title} · ${d.result}`),
      h('p', null, `${t('ss.d.case')}: ${d.case_no}`),
      h('p', { 'data-testid': 'ss-state' }, `${t('ss.d.method')}: ${t(`ss.d.m.${d.method}`)} · ${statusText(d)}`),
      d.returned_at ? h('p', { class: 'notice notice-info', 'data-testid': 'ss-returned' }, t('ss.d.returned')) : null,
      d.status === 'in_locker' ? codeBox(d) : null,
      d.status === 'pending' ? choiceForm(d, render) : null))
      : h('p', { class: 'muted', i18n: 'ss.d.none', 'data-testid': 'ss-none' })));
  apply(main);
  const marked = params().case && main.querySelector(`[data-case="${CSS.escape(params().case)}"]`);
  if (marked) {
    marked.classList.add('ss-marked');
    marked.scrollIntoView({ block: 'start' });
  }
}

const account = await initPage({ active: 'ss-delivery' });
if (!account) location.replace(loginHref());
else render();
