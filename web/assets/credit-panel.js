// credit-panel.js - the credit checks made on a case (联合奖惩: at submission
// and at acceptance, GET /api/v1/credit/checks), as a panel the workbench's
// case page adds to its side column, so the window clerk and the reviewer see
// why a case was flagged for careful review or may be fast-tracked.  Owned by
// supervision; the case page only calls attach(k).
import { h, T, pageUrl } from './dom.js';
import * as api from './api.js';
import './i18n-supervision.js';
import { deptName, fmtTime } from './casefmt.js';
import { depts } from './work-layout.js';

/** Add the panel of case k's credit checks to the page when a measure applies. */
export async function attach(k) {
  const side = document.querySelector('.case-col-side');
  if (!side || !k || !k.case_no) return;
  const r = await api.get(`/api/v1/credit/checks${api.qs({ case_no: k.case_no })}`);
  /* nothing to say when every check passed (or none was made, or the role may not read them) */
  if (!r.ok || r.data.items.every((c) => c.result === 'pass')) return;
  const items = r.data.items;
  const last = items[items.length - 1];
  side.prepend(h('section', { class: 'panel case-section', id: 's-credit', 'data-testid': 'case-credit', 'data-result': last.result, 'aria-labelledby': 's-credit-h' },
    h('h2', { id: 's-credit-h', i18n: 'cr.checks' }),
    h('p', null, h('strong', { class: `flag-${last.result}`, i18n: `cr.result.${last.result}` })),
    last.flags.length ? h('ul', null, last.flags.map((f) => h('li', { 'data-measure': f.measure },
      h('span', { class: `flag-${f.measure}`, i18n: `cr.measure.${f.measure}` }), ' · ', f.record.category, ' · ',
      deptName(depts(), f.record.dept), h('div', { class: 'muted small' }, f.record.basis), f.note ? h('div', { class: 'muted small' }, f.note) : null))) : null,
    h('ul', { class: 'muted small' }, items.map((c) => h('li', null, T(`cr.stage.${c.stage}`), ' · ', T(`cr.result.${c.result}`), ' · ', fmtTime(c.at)))),
    h('p', { class: 'small' }, h('a', { href: pageUrl('credit.html', { case: k.case_no }) }, T('cr.title')))));
}
