// work/payments.js - workbench/payments.html : fees and payments for staff.
//   window clerks: find a case's fee orders (?case_no=), record a payment taken
//                  at the POS (reference and the exact amount), waive a fee with
//                  a reason, reissue an expired order, ask for a refund
//   finance:       the same orders, the refunds waiting for approval (approve /
//                  reject), and the day's reconciliation: import the gateway's
//                  settlement file, read the mismatches, export them as XLSX
import { h, fill, params } from '../dom.js';
import { apply, t } from '../i18n.js';
import * as api from '../api.js';
import { initWork, hasRole } from '../work-layout.js';
import { fmtTime } from '../casefmt.js';
import { yuan } from '../payments-step.js';

const main = document.getElementById('main');
let account = null;
/* the orders panel's message: outside the list, so it outlives the reload an action triggers */
let ordersMsg = null;

function section(id, key, ...content) {
  return h('section', { class: 'panel case-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: key }), content);
}

function msgBox() {
  return h('p', { class: 'payw-msg', 'aria-live': 'polite', role: 'status' });
}

function say(box, r, okKey, args) {
  box.textContent = r.ok ? t(okKey, args) : t('payw.error', { m: r.error.message });
  box.className = `payw-msg ${r.ok ? 'ok' : 'field-error'}`;
}

function labelled(key, control) {
  return h('label', null, h('span', { i18n: key }), control);
}

function orderActions(o, reload) {
  const box = ordersMsg || msgBox();
  const forms = [];
  if (o.status === 'unpaid' && hasRole(account, 'window_clerk')) {
    const ref = h('input', { name: 'terminal_ref', maxlength: 64, required: true, 'data-testid': 'pos-ref' });
    const amt = h('input', { name: 'amount', value: (o.amount_fen / 100).toFixed(2), inputmode: 'decimal', 'data-testid': 'pos-amount' });
    const f = h('form', { class: 'payw-form' }, labelled('payw.terminalRef', ref), labelled('pay.amount', amt),
      h('button', { type: 'submit', class: 'btn btn-primary', i18n: 'payw.record', 'data-testid': 'pos-record' }));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const r = await api.post(`/api/v1/payments/orders/${o.order_no}/window`, { terminal_ref: ref.value.trim(), amount_fen: Math.round(Number(amt.value) * 100) });
      say(box, r, 'payw.recorded');
      if (r.ok) reload();
    });
    const reason = h('input', { name: 'reason', maxlength: 500, required: true });
    const w = h('form', { class: 'payw-form' }, labelled('payw.waiveReason', reason), h('button', { type: 'submit', class: 'btn', i18n: 'payw.waive' }));
    w.addEventListener('submit', async (e) => {
      e.preventDefault();
      const r = await api.post(`/api/v1/payments/orders/${o.order_no}/waive`, { reason: reason.value.trim() });
      say(box, r, 'payw.waived');
      if (r.ok) reload();
    });
    forms.push(f, w);
  }
  if (o.status === 'expired' && hasRole(account, 'window_clerk')) {
    const btn = h('button', { type: 'button', class: 'btn', i18n: 'payw.reissue', 'data-testid': 'pay-reissue' });
    btn.addEventListener('click', async () => {
      const r = await api.post(`/api/v1/payments/orders/${o.order_no}/reissue`);
      say(box, r, 'payw.reissued');
      if (r.ok) reload();
    });
    forms.push(h('div', { class: 'payw-form' }, btn));
  }
  if (o.status === 'paid' && o.paid_fen > o.refunded_fen) {
    const amt = h('input', { name: 'refund', inputmode: 'decimal', value: ((o.paid_fen - o.refunded_fen) / 100).toFixed(2) });
    const reason = h('input', { name: 'refund_reason', maxlength: 500, required: true });
    const f = h('form', { class: 'payw-form' }, labelled('payw.refundAmount', amt), labelled('payw.refundReason', reason),
      h('button', { type: 'submit', class: 'btn', i18n: 'payw.refund' }));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const r = await api.post(`/api/v1/payments/orders/${o.order_no}/refunds`, { amount_fen: Math.round(Number(amt.value) * 100), reason: reason.value.trim() });
      say(box, r, 'payw.refundAsked');
      if (r.ok) reload();
    });
    forms.push(f);
  }
  /* the window pays an approved refund of a POS payment back at its POS */
  if (o.channel === 'window' && o.refunded_fen > 0 && hasRole(account, 'window_clerk')) {
    const holder = h('div', { 'data-testid': 'pay-payouts' });
    forms.push(holder);
    api.get(`/api/v1/payments/orders/${o.order_no}`).then((r) => {
      if (!r.ok) return;
      fill(holder, (r.data.refunds || []).filter((x) => x.status === 'approved').map((x) => {
        const ref = h('input', { name: 'payout_ref', maxlength: 64, required: true });
        const f = h('form', { class: 'payw-form', 'data-refund': x.refund_no },
          h('p', { class: 'muted', i18n: 'payw.payoutDue', args: { a: yuan(x.amount_fen), n: x.refund_no } }),
          labelled('payw.payoutRef', ref), h('button', { type: 'submit', class: 'btn', i18n: 'payw.payout' }));
        f.addEventListener('submit', async (e) => {
          e.preventDefault();
          const d = await api.post(`/api/v1/payments/refunds/${x.refund_no}/window`, { terminal_ref: ref.value.trim() });
          say(box, d, 'payw.paidOut');
          if (d.ok) reload();
        });
        return f;
      }));
      apply(holder);
    });
  }
  return h('div', null, forms, box === ordersMsg ? null : box);
}

function orderCard(o, reload) {
  return h('div', { class: 'pay-order', 'data-order': o.order_no },
    h('p', { class: 'pay-amount' }, h('span', { class: 'mono' }, o.order_no), ' · ', h('strong', null, yuan(o.amount_fen)), ' ',
      h('span', { class: `status pay-${o.status}`, 'data-testid': 'order-status', i18n: `pay.status.${o.status}` })),
    h('p', { class: 'muted' }, o.title, ' · ', h('a', { href: `case.html?no=${encodeURIComponent(o.case_no)}`, class: 'mono' }, o.case_no), ' · ', o.payer.name, ' ', o.payer.ident),
    o.channel ? h('p', { class: 'muted' }, h('span', { i18n: `pay.channel.${o.channel}` }), o.provider_ref ? ` ${o.provider_ref}` : '', o.paid_at ? ` · ${fmtTime(o.paid_at)}` : '',
      o.status === 'paid' ? [' · ', h('a', { href: `/api/v1/payments/orders/${o.order_no}/receipt.pdf`, target: '_blank', i18n: 'pay.receipt' })] : null) : null,
    o.refunded_fen ? h('p', { class: 'muted', i18n: 'pay.refunded', args: { a: yuan(o.refunded_fen) } }) : null,
    orderActions(o, reload));
}

function ordersPanel() {
  const input = h('input', { name: 'case_no', value: params().get('case_no') || '', placeholder: 'XH…', 'data-testid': 'pay-case-no' });
  ordersMsg = msgBox();
  const list = h('div');
  const out = h('div', { 'data-testid': 'pay-orders' }, ordersMsg, list);
  async function load() {
    const q = input.value.trim();
    const r = await api.get(`/api/v1/payments/orders${q ? `?case_no=${encodeURIComponent(q)}` : '?status=unpaid'}`);
    if (!r.ok) return fill(list, h('p', { class: 'field-error' }, r.error.message));
    fill(list, r.data.items.length ? r.data.items.map((o) => orderCard(o, load)) : h('p', { class: 'muted', i18n: q ? 'payw.notFound' : 'payw.noUnpaid' }));
    apply(out);
  }
  const f = h('form', { class: 'payw-form' }, labelled('payw.caseNo', input), h('button', { type: 'submit', class: 'btn btn-primary', i18n: 'payw.find' }));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  load();
  return section('s-orders', 'payw.orders', h('p', { class: 'muted', i18n: 'payw.intro' }), f, out);
}

function refundsPanel() {
  const out = h('div', { 'data-testid': 'pay-refunds' });
  async function load() {
    const r = await api.get('/api/v1/payments/refunds?status=requested');
    if (!r.ok) return fill(out, h('p', { class: 'field-error' }, r.error.message));
    if (!r.data.items.length) return fill(out, h('p', { class: 'muted', i18n: 'payw.noRefunds' })), apply(out);
    fill(out, h('table', { class: 'payw-table' },
      h('thead', null, h('tr', null, ['payw.col.order', 'payw.col.case', 'payw.col.amount', 'payw.col.reason', ''].map((k) => h('th', k ? { i18n: k } : null)))),
      h('tbody', null, r.data.items.map((x) => {
        const box = msgBox();
        const act = (approve) => async () => {
          const d = await api.post(`/api/v1/payments/refunds/${x.refund_no}/decide`, { approve });
          say(box, d, approve ? 'payw.approve' : 'payw.reject');
          if (d.ok) load();
        };
        const yes = h('button', { type: 'button', class: 'btn btn-primary', i18n: 'payw.approve' });
        const no = h('button', { type: 'button', class: 'btn', i18n: 'payw.reject' });
        yes.addEventListener('click', act(true));
        no.addEventListener('click', act(false));
        return h('tr', null, h('td', { class: 'mono' }, x.order_no), h('td', { class: 'mono' }, x.case_no), h('td', null, yuan(x.amount_fen)), h('td', null, x.reason), h('td', null, yes, ' ', no, box));
      }))));
    apply(out);
  }
  load();
  return section('s-refunds', 'payw.refunds', out);
}

/* POST a file as multipart/form-data (part "file"), with the session's CSRF token. */
async function upload(path, file) {
  const me = await api.me();
  const fd = new FormData();
  fd.append('file', file, file.name);
  const r = await fetch(path, { method: 'POST', body: fd, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-CSRF-Token': (me && me.csrf_token) || '' } });
  const data = await r.json().catch(() => null);
  return r.ok ? { ok: true, status: r.status, data, error: null } : { ok: false, status: r.status, data, error: (data && data.error) || { code: `http_${r.status}`, message: r.statusText } };
}

function reconPanel() {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const day = h('input', { type: 'date', name: 'day', value: today, 'data-testid': 'recon-day' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': 'recon-file' });
  const source = h('select', { name: 'source', 'data-testid': 'recon-source' },
    ['gateway', 'pos'].map((v) => h('option', { value: v, i18n: `payw.source.${v}` })));
  const box = msgBox();
  const out = h('div', { 'data-testid': 'recon-report' });
  async function show() {
    const r = await api.get(`/api/v1/payments/reconciliation?day=${day.value}`);
    if (!r.ok) return fill(out, h('p', { class: 'field-error' }, r.error.message));
    const rep = r.data;
    fill(out,
      h('p', null, h('span', { i18n: 'payw.matched', args: { n: rep.matched } }), ' · ',
        h('a', { href: `/api/v1/payments/reconciliation.xlsx?day=${rep.day}`, i18n: 'payw.xlsx', 'data-testid': 'recon-xlsx' })),
      rep.mismatches.length ? h('table', { class: 'payw-table' },
        h('thead', null, h('tr', null, ['payw.col.source', 'payw.col.kind', 'payw.col.order', 'payw.col.trade', 'payw.col.ours', 'payw.col.theirs'].map((k) => h('th', { i18n: k })))),
        h('tbody', null, rep.mismatches.map((m) => h('tr', { 'data-kind': m.kind, 'data-source': m.source }, h('td', { i18n: `payw.source.${m.source}` }), h('td', { i18n: `payw.kind.${m.kind}` }), h('td', { class: 'mono' }, m.order_no),
          h('td', { class: 'mono' }, m.trade_no), h('td', null, yuan(m.ours_fen)), h('td', null, yuan(m.theirs_fen)))))) : h('p', { class: 'muted', i18n: 'payw.noMismatch' }));
    apply(out);
  }
  const imp = h('button', { type: 'button', class: 'btn btn-primary', i18n: 'payw.import', 'data-testid': 'recon-import' });
  imp.addEventListener('click', async () => {
    const f = file.files[0];
    if (!f) return;
    const r = await upload(`/api/v1/payments/settlements?day=${encodeURIComponent(day.value)}&source=${source.value}`, f);
    say(box, r, 'payw.imported', { n: r.ok ? r.data.lines : 0 });
    if (r.ok) show();
  });
  const sh = h('button', { type: 'button', class: 'btn', i18n: 'payw.show' });
  sh.addEventListener('click', show);
  return section('s-recon', 'payw.recon', h('div', { class: 'payw-form' }, labelled('payw.day', day), labelled('payw.source', source), labelled('payw.csv', file), imp, sh), box, out);
}

async function start() {
  account = await initWork({ active: 'payments', roles: ['window_clerk', 'finance'] });
  if (!account) return;
  fill(main, h('div', { class: 'wrap page' },
    h('h1', { i18n: 'title.work.payments' }),
    ordersPanel(),
    hasRole(account, 'finance') ? refundsPanel() : null,
    hasRole(account, 'finance') ? reconPanel() : null));
  apply(main);
}

start();
