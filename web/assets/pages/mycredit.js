// mycredit.js - mycredit.html : a person's or company's own credit records
// (信用记录: 失信 / 守信, who recorded them, the legal basis, validity, repair),
// from GET /api/v1/me/credit, so the subject sees why an application was
// blocked or flagged.
import { h, T, fill } from '../dom.js';
import { initPage, failure, loginHref } from '../layout.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { deptName } from '../casefmt.js';

const main = document.getElementById('main');
const account = await initPage({ active: 'mycredit' });
if (!account) {
  location.replace(loginHref());
} else {
  const [r, d] = await Promise.all([api.get('/api/v1/me/credit'), api.departments()]);
  const depts = d.ok ? d.data.items : [];
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(r)));
  } else {
    const items = r.data.items;
    fill(main, h('div', { class: 'wrap page' },
      h('h1', { i18n: 'mc.title' }),
      h('p', { class: 'muted', i18n: 'mc.text' }),
      items.length ? h('ul', { class: 'card-list', 'data-testid': 'my-credit' }, items.map((x) => h('li', { class: 'panel', 'data-kind': x.kind, 'data-status': x.status },
        h('h2', null, h('span', { class: x.kind === 'dishonest' ? 'flag-block' : 'flag-fast_track', i18n: `cr.kind.${x.kind}` }), ' · ', x.category),
        h('dl', { class: 'dl-grid' },
          h('dt', { i18n: 'cr.col.dept' }), h('dd', null, deptName(depts, x.dept)),
          h('dt', { i18n: 'cr.col.basis' }), h('dd', null, x.basis),
          x.measures ? [h('dt', { i18n: 'cr.add.measures' }), h('dd', null, x.measures)] : null,
          h('dt', { i18n: 'cr.col.valid' }), h('dd', null, `${x.valid_from} – ${x.valid_to || ''}`),
          h('dt', { i18n: 'cr.col.status' }), h('dd', null, T(`cr.status.${x.status}`), x.repair_note ? ` · ${x.repair_note}` : ''))))) :
        h('p', { class: 'notice notice-info', 'data-testid': 'my-credit-empty', i18n: 'mc.none' })));
  }
}
