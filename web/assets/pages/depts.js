// depts.js - depts.html: every department with its item counts for
// individuals and businesses, phone and address.
import { h, bi, fill, pageUrl } from '../dom.js';
import { initPage, failure } from '../layout.js';
import * as api from '../api.js';

const main = document.getElementById('main');

fill(main, h('div', { class: 'wrap page' },
  h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
    h('ol', null,
      h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
      h('li', { 'aria-current': 'page', i18n: 'depts.title' }))),
  h('div', { class: 'page-head' },
    h('h1', { i18n: 'depts.title' }),
    h('p', { i18n: 'depts.intro' })),
  h('div', { id: 'depts' }, h('p', { class: 'loading', i18n: 'loading' }))));

await initPage({ active: 'depts' });
const box = document.getElementById('depts');
const r = await api.departments();
if (!r.ok) {
  fill(box, failure(r));
} else if (!r.data.items.length) {
  fill(box, h('div', { class: 'notice notice-info', i18n: 'depts.none' }));
} else {
  fill(box, h('ul', { class: 'dept-grid', 'data-testid': 'depts' },
    r.data.items.map((d) => h('li', null,
      h('article', { class: 'dept-card' },
        h('h2', null, h('a', { href: pageUrl('dept.html', { code: d.code }) }, bi(d.name, d.name_en))),
        h('p', { class: 'dept-count', i18n: 'depts.count', args: { p: d.item_count?.person ?? 0, e: d.item_count?.enterprise ?? 0 } }),
        d.phone ? h('p', { i18n: 'depts.phoneLine', args: { v: d.phone } }) : null,
        d.address ? h('p', { i18n: 'depts.addressLine', args: { v: d.address } }) : null)))));
}
