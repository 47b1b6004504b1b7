// search.js - search.html?q=&target=&dept=&type=&cursor= : find items by
// keyword, audience (个人办事 / 法人办事), department and item type, sorted by
// popularity, 20 to a page.  The filter form is a plain GET form, so every
// result page has its own address.
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, setTitleExtra } from '../layout.js';
import * as api from '../api.js';
import { ITEM_TYPES, itemCard } from '../format.js';

const LIMIT = 20;
const main = document.getElementById('main');
const p = params();
const state = {
  q: (p.get('q') || '').trim(),
  target: ['person', 'enterprise'].includes(p.get('target')) ? p.get('target') : '',
  dept: p.get('dept') || '',
  type: p.get('type') || '',
  cursor: Math.max(0, parseInt(p.get('cursor') || '0', 10) || 0),
};

const active = state.target || 'search';
const headingKey = state.q ? 'search.results' : state.target ? `target.${state.target}.long` : 'search.all';

/* An <option> holds text only: translated by key, or a Chinese/English name pair. */
function option(value, label, selected) {
  if (typeof label === 'string') return h('option', { value, selected: value === selected, i18n: label });
  const o = bi(label.zh, label.en, 'option');
  o.value = value;
  o.selected = value === selected;
  return o;
}

function filterForm() {
  // on a phone only the keyword shows; the other filters fold away
  const wide = window.matchMedia('(min-width: 961px)').matches;
  const chosen = [state.target, state.dept, state.type].filter(Boolean).length;
  return h('form', { class: 'panel filters', action: 'search.html', method: 'get', role: 'search', 'aria-labelledby': 'filters-title' },
    h('h2', { id: 'filters-title', class: 'filters-title', i18n: 'search.filters' }),
    h('div', { class: 'field' },
      h('label', { for: 'f-q', i18n: 'search.q' }),
      h('input', { id: 'f-q', name: 'q', type: 'search', value: state.q, maxlength: 100, i18nAttr: 'placeholder:search.placeholder' })),
    h('details', { class: 'more-filters', open: wide || null },
      h('summary', null, h('span', { i18n: 'search.more' }),
        chosen ? [' ', h('span', { class: 'badge badge-type', i18n: 'search.chosen', args: { n: chosen } })] : null),
      h('div', { class: 'field' },
        h('label', { for: 'f-target', i18n: 'search.target' }),
        h('select', { id: 'f-target', name: 'target' },
          option('', 'target.all', state.target),
          option('person', 'target.person.long', state.target),
          option('enterprise', 'target.enterprise.long', state.target))),
      h('div', { class: 'field' },
        h('label', { for: 'f-dept', i18n: 'search.dept' }),
        h('select', { id: 'f-dept', name: 'dept' }, option('', 'search.anyDept', state.dept))),
      h('div', { class: 'field' },
        h('label', { for: 'f-type', i18n: 'search.type' }),
        h('select', { id: 'f-type', name: 'type' },
          option('', 'search.anyType', state.type),
          ITEM_TYPES.map((ty) => option(ty, `type.${ty}`, state.type))))),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn', i18n: 'search.apply' }),
      h('a', { class: 'btn btn-ghost', href: 'search.html', i18n: 'search.reset' })));
}

function audienceTabs() {
  const tab = (tg, key) => h('li', null, h('a', {
    href: pageUrl('search.html', { q: state.q, dept: state.dept, type: state.type, target: tg }),
    'aria-current': state.target === tg ? 'page' : null,
    i18n: key,
  }));
  return h('ul', { class: 'tabs-links', i18nAttr: 'aria-label:search.target' },
    tab('', 'search.any'), tab('person', 'target.person.long'), tab('enterprise', 'target.enterprise.long'));
}

function skeleton() {
  fill(main, h('div', { class: 'wrap page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', { 'aria-current': 'page', i18n: headingKey }))),
    h('div', { class: 'page-head' }, h('h1', { i18n: headingKey })),
    h('div', { class: 'layout-side' },
      filterForm(),
      h('section', { 'aria-labelledby': 'results-title' },
        h('h2', { id: 'results-title', class: 'visually-hidden', i18n: 'search.results' }),
        audienceTabs(),
        h('p', { class: 'result-count', id: 'result-count', role: 'status', 'aria-live': 'polite' }),
        h('div', { id: 'results' }, h('p', { class: 'loading', i18n: 'loading' })),
        h('nav', { class: 'pager', id: 'pager', i18nAttr: 'aria-label:search.pager' })))));
}

async function load() {
  const [r, d] = await Promise.all([
    api.items({ q: state.q, target: state.target, dept: state.dept, type: state.type, limit: LIMIT, cursor: state.cursor || '' }),
    api.departments(),
  ]);
  const depts = d.ok ? d.data.items : [];
  const sel = document.getElementById('f-dept');
  for (const x of depts) sel.appendChild(option(x.code, { zh: x.name, en: x.name_en }, state.dept));
  const results = document.getElementById('results');
  if (!r.ok) {
    if (r.error && r.error.field === 'q') return fill(results, h('div', { class: 'notice notice-error', role: 'alert', i18n: 'search.tooLong' }));
    return fill(results, failure(r));
  }
  const { items, total } = r.data;
  fill(document.getElementById('result-count'),
    state.q ? T('search.totalFor', { q: state.q, n: total }) : T('search.total', { n: total }));
  if (!items.length) {
    fill(results, h('div', { class: 'notice notice-info', 'data-testid': 'no-results' }, h('p', { i18n: 'search.none' })));
    return;
  }
  fill(results, h('ul', { class: 'item-list', 'data-testid': 'results' }, items.map((it) => itemCard(it, depts))));
  const pager = document.getElementById('pager');
  const base = { q: state.q, target: state.target, dept: state.dept, type: state.type };
  const links = [];
  if (state.cursor > 0) {
    links.push(h('a', { class: 'btn btn-ghost', rel: 'prev', href: pageUrl('search.html', { ...base, cursor: Math.max(0, state.cursor - LIMIT) || '' }), i18n: 'search.prev' }));
  }
  if (r.data.next_cursor) {
    links.push(h('a', { class: 'btn btn-ghost', rel: 'next', href: pageUrl('search.html', { ...base, cursor: r.data.next_cursor }), i18n: 'search.next' }));
  }
  fill(pager,
    h('span', { class: 'muted', i18n: 'search.page', args: { from: state.cursor + 1, to: state.cursor + items.length } }),
    h('span', { class: 'pager-links' }, links));
}

skeleton();
if (state.q) setTitleExtra(state.q);
await initPage({ active });
await load();
