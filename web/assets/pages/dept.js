// dept.js - dept.html?code=&target=&cursor= : one department, its contacts and
// its items (all, for individuals, for businesses), by popularity.
import { h, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, message, setTitleExtra } from '../layout.js';
import * as api from '../api.js';
import { itemCard } from '../format.js';

const LIMIT = 20;
const main = document.getElementById('main');
const p = params();
const code = p.get('code') || '';
const tg = ['person', 'enterprise'].includes(p.get('target')) ? p.get('target') : '';
const cursor = Math.max(0, parseInt(p.get('cursor') || '0', 10) || 0);

function tabs() {
  const tab = (value, key) => h('li', null, h('a', {
    href: pageUrl('dept.html', { code, target: value }),
    'aria-current': tg === value ? 'page' : null,
    i18n: key,
  }));
  return h('ul', { class: 'tabs-links', i18nAttr: 'aria-label:search.target' },
    tab('', 'search.any'), tab('person', 'target.person.long'), tab('enterprise', 'target.enterprise.long'));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
await initPage({ active: 'depts' });

if (!code) {
  fill(main, h('div', { class: 'wrap page' }, message('info', 'dept.missing')));
} else {
  const d = await api.departments();
  const dept = d.ok ? d.data.items.find((x) => x.code === code) : null;
  if (!d.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(d)));
  } else if (!dept) {
    fill(main, h('div', { class: 'wrap page' }, message('info', 'dept.notfound', null, h('p', null, h('a', { href: 'depts.html', i18n: 'depts.title' })))));
  } else {
    setTitleExtra(dept.name);
    fill(main, h('div', { class: 'wrap page' },
      h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
        h('ol', null,
          h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
          h('li', null, h('a', { href: 'depts.html', i18n: 'depts.title' })),
          h('li', { 'aria-current': 'page' }, bi(dept.name, dept.name_en)))),
      h('div', { class: 'panel dept-head' },
        h('div', null,
          h('h1', { 'data-testid': 'dept-name' }, bi(dept.name, dept.name_en)),
          h('p', { class: 'dept-count', i18n: 'depts.count', args: { p: dept.item_count?.person ?? 0, e: dept.item_count?.enterprise ?? 0 } })),
        h('div', { class: 'muted' },
          dept.phone ? h('p', { i18n: 'depts.phoneLine', args: { v: dept.phone } }) : null,
          dept.address ? h('p', { i18n: 'depts.addressLine', args: { v: dept.address } }) : null)),
      h('section', { class: 'section', 'aria-labelledby': 'dept-items' },
        h('div', { class: 'section-head' }, h('h2', { id: 'dept-items', i18n: 'dept.items' })),
        tabs(),
        h('p', { class: 'result-count', id: 'result-count', role: 'status' }),
        h('div', { id: 'results' }, h('p', { class: 'loading', i18n: 'loading' })),
        h('nav', { class: 'pager', id: 'pager', i18nAttr: 'aria-label:search.pager' }))));
    const r = await api.items({ dept: code, target: tg, limit: LIMIT, cursor: cursor || '' });
    const results = document.getElementById('results');
    if (!r.ok) {
      fill(results, failure(r));
    } else {
      fill(document.getElementById('result-count'), h('span', { i18n: 'search.total', args: { n: r.data.total } }));
      if (!r.data.items.length) {
        fill(results, h('div', { class: 'notice notice-info' }, h('p', { i18n: 'search.none' })));
      } else {
        fill(results, h('ul', { class: 'item-list', 'data-testid': 'results' }, r.data.items.map((it) => itemCard(it, d.data.items))));
        const links = [];
        if (cursor > 0) links.push(h('a', { class: 'btn btn-ghost', rel: 'prev', href: pageUrl('dept.html', { code, target: tg, cursor: Math.max(0, cursor - LIMIT) || '' }), i18n: 'search.prev' }));
        if (r.data.next_cursor) links.push(h('a', { class: 'btn btn-ghost', rel: 'next', href: pageUrl('dept.html', { code, target: tg, cursor: r.data.next_cursor }), i18n: 'search.next' }));
        fill(document.getElementById('pager'),
          h('span', { class: 'muted', i18n: 'search.page', args: { from: cursor + 1, to: cursor + r.data.items.length } }),
          h('span', { class: 'pager-links' }, links));
      }
    }
  }
}
