// payments-step.js - the pay step of a case page (case.html): the case's fee
// orders (GET /api/v1/payments/orders?case_no=), and for an unpaid one the
// amount, the fee and its basis and the button that opens the payment
// platform (POST .../pay answers its address); a paid one links its receipt.
// The section stays empty for a case without a fee.
import { h, fill } from './dom.js';
import { apply, t } from './i18n.js';
import * as api from './api.js';
import { fmtTime } from './casefmt.js';

export const yuan = (fen) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function order(o) {
  const rows = [
    h('p', { class: 'pay-amount' }, h('span', { i18n: 'pay.amount' }), '：', h('strong', { 'data-testid': 'pay-amount' }, yuan(o.amount_fen)),
      ' ', h('span', { class: `status pay-${o.status}`, 'data-testid': 'pay-status', i18n: `pay.status.${o.status}` })),
    h('p', { class: 'muted' }, h('span', { i18n: 'pay.fee' }), '：', o.fee_text, ' · ', h('span', { i18n: `pay.point.${o.point}` })),
    o.fee_basis ? h('p', { class: 'muted' }, h('span', { i18n: 'pay.basis' }), '：', o.fee_basis) : null,
    h('p', { class: 'muted mono' }, h('span', { i18n: 'pay.order' }), '：', o.order_no),
  ];
  if (o.status === 'unpaid') {
    const box = h('div', { class: 'pay-actions' });
    const msg = h('p', { class: 'field-error', 'aria-live': 'polite' });
    const btn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'pay-online', i18n: 'pay.online' });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      msg.textContent = t('pay.going');
      const r = await api.post(`/api/v1/payments/orders/${encodeURIComponent(o.order_no)}/pay`, {});
      if (r.ok) {
        location.href = r.data.pay_url;
        return;
      }
      btn.disabled = false;
      msg.textContent = t('pay.failed', { m: r.error.message });
    });
    box.append(h('p', { i18n: 'pay.due' }), h('p', { class: 'muted', i18n: 'pay.expires', args: { t: fmtTime(o.expires_at) } }), btn, msg);
    rows.push(box);
  } else if (o.status === 'paid') {
    rows.push(h('p', null, h('span', { i18n: 'pay.paidAt', args: { t: fmtTime(o.paid_at) } }), ' · ',
      h('a', { href: `/api/v1/payments/orders/${encodeURIComponent(o.order_no)}/receipt.pdf`, target: '_blank', rel: 'noopener', 'data-testid': 'pay-receipt', i18n: 'pay.receipt' })));
    if (o.refunded_fen) rows.push(h('p', { class: 'muted', i18n: 'pay.refunded', args: { a: yuan(o.refunded_fen) } }));
  } else if (o.status === 'waived' && o.note) {
    rows.push(h('p', { class: 'muted' }, o.note));
  }
  return h('div', { class: 'pay-order', 'data-order': o.order_no }, rows);
}

/** The pay step of case k: a section filled once the orders are read (nothing for a case without a fee). */
export function payStep(k) {
  const el = h('section', { class: 'panel case-section pay-step', id: 's-pay', 'aria-labelledby': 's-pay-h', hidden: true, 'data-testid': 'pay-step' });
  api.get(`/api/v1/payments/orders?case_no=${encodeURIComponent(k.case_no)}`).then((r) => {
    if (!r.ok || !r.data.items.length) return;
    fill(el, h('h2', { id: 's-pay-h', i18n: 'pay.title' }), r.data.items.map(order));
    el.hidden = false;
    apply(el);
  });
  return el;
}
