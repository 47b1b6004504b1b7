// hotline-fmt.js - what the two 12345 pages share: an order's status, its
// steps and its clock in words (the strings are in i18n-hotline.js).
import { h, T } from './dom.js';
import { has, t } from './i18n.js';
import { clockLine, fmtTime } from './casefmt.js';

/*
 * The server's messages are English; the Chinese UI shows only those it knows
 * in Chinese (i18n-cases.js), so the 12345 forms say the ones a caller or an
 * operator meets in the page's language (hl.err.* in i18n-hotline.js).
 */
const SERVER = [
  [/^the location is outside Xuhui district/, 'hl.err.outside'],
  [/is not a number of degrees$/, 'hl.err.degrees'],
  [/^an event needs its location/, 'hl.err.noLocation'],
  [/is not a mobile number or a landline/, 'hl.err.phone'],
  [/^a callback number is needed/, 'hl.err.callback'],
  [/^say what the call is about/, 'hl.err.content'],
  [/^describe what was found/, 'hl.err.describe'],
  [/^a photo link starts with/, 'hl.err.mediaUrl'],
];
/** The API error with its message in the page's language when it is one of the above. */
export function hlError(err) {
  const hit = err && err.message && SERVER.find(([re]) => re.test(err.message));
  return hit ? { ...err, message: t(hit[1]) } : err;
}

export const STATUSES = ['received', 'dispatched', 'signed', 'returned', 'merged', 'answered', 'closed', 'visited', 'rated'];

export function hlStatus(status) {
  return h('span', { class: `status status-hl-${status}`, 'data-status': status }, has(`hl.status.${status}`) ? T(`hl.status.${status}`) : status);
}

export function hlSteps(steps) {
  return h('ol', { class: 'hl-steps', 'data-testid': 'hl-steps' }, (steps || []).map((s) => h('li', { 'data-action': s.action },
    h('span', { class: 'when' }, fmtTime(s.at)),
    has(`hl.step.${s.action}`) ? T(`hl.step.${s.action}`) : s.action,
    s.actor ? h('span', { class: 'muted' }, ` · ${s.actor}`) : null,
    s.dept ? h('span', { class: 'muted mono' }, ` · ${s.dept}`) : null,
    s.note && s.action !== 'intake' ? h('div', { class: 'muted small' }, s.note) : null)));
}

/** An order as a card: number, category, status, clock, content, answer. */
export function hlCard(o, opts = {}) {
  return h('article', { class: 'hl-order', 'data-order': o.order_no, 'data-status': o.status },
    h('h3', null, opts.href ? h('a', { href: opts.href, class: 'mono' }, o.order_no) : h('span', { class: 'mono' }, o.order_no), ' · ', o.category_name, ' ', hlStatus(o.status)),
    h('div', { class: 'hl-meta' },
      h('span', null, fmtTime(o.created_at)),
      o.address ? h('span', null, o.address) : null,
      o.dept_name ? h('span', null, o.dept_name) : null,
      clockLine(o.clock)),
    h('p', null, o.content),
    o.answer ? [h('h4', { i18n: 'hl.answer' }), h('p', { class: 'hl-answer', 'data-testid': 'hl-answer' }, o.answer)] : null,
    o.rating ? h('p', null, T('hl.rating'), ': ', T(`hl.rating.${o.rating}`)) : null,
    opts.steps && o.steps ? [h('h4', { i18n: 'hl.steps' }), hlSteps(o.steps)] : null);
}
