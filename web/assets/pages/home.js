// home.js - index.html: search box, entries by audience and department,
// popular items (by popularity), the "一件事" bundles, item types.
import { h, T, bi, fill, pageUrl } from '../dom.js';
import { initPage, failure } from '../layout.js';
import * as api from '../api.js';
import { ITEM_TYPES, itemType, target, days } from '../format.js';

const main = document.getElementById('main');

function searchForm() {
  return h('form', { class: 'search-box', role: 'search', action: 'search.html', method: 'get' },
    h('label', { for: 'home-q', class: 'visually-hidden', i18n: 'search.label' }),
    h('input', { id: 'home-q', name: 'q', type: 'search', maxlength: 100, autocomplete: 'off', i18nAttr: 'placeholder:search.placeholder' }),
    h('button', { type: 'submit', class: 'btn', i18n: 'search.button' }));
}

function entry(href, cls, titleKey, textKey, countId) {
  return h('a', { class: `entry ${cls}`, href },
    h('span', { class: 'entry-title', i18n: titleKey }),
    h('span', { class: 'entry-count', id: countId }),
    h('span', { class: 'entry-text', i18n: textKey }));
}

function skeleton() {
  fill(main,
    h('section', { class: 'hero', 'aria-labelledby': 'hero-title' },
      h('div', { class: 'wrap' },
        h('h1', { id: 'hero-title', i18n: 'home.heroTitle' }),
        h('p', { i18n: 'home.heroText' }),
        searchForm())),
    h('div', { class: 'wrap' },
      h('nav', { class: 'entries', i18nAttr: 'aria-label:home.entries' },
        entry('search.html?target=person', 'entry-person', 'home.entry.person', 'home.entry.person.text', 'count-person'),
        entry('search.html?target=enterprise', 'entry-ent', 'home.entry.enterprise', 'home.entry.enterprise.text', 'count-enterprise'),
        entry('depts.html', 'entry-dept', 'home.entry.depts', 'home.entry.depts.text', 'count-depts'),
        entry('#bundles', 'entry-bundle', 'home.entry.bundles', 'home.entry.bundles.text', 'count-bundles')),
      h('div', { class: 'home-grid section' },
        h('section', { class: 'panel', 'aria-labelledby': 'popular-title' },
          h('div', { class: 'section-head' },
            h('h2', { id: 'popular-title', i18n: 'home.popular' }),
            h('a', { href: 'search.html', i18n: 'home.more' })),
          h('div', { id: 'popular' }, h('p', { class: 'loading', i18n: 'loading' }))),
        h('div', null,
          h('section', { class: 'panel', 'aria-labelledby': 'types-title' },
            h('div', { class: 'section-head' }, h('h2', { id: 'types-title', i18n: 'home.types' })),
            h('ul', { class: 'chips' },
              ITEM_TYPES.map((ty) => h('li', null, h('a', { href: pageUrl('search.html', { type: ty }) }, itemType(ty)))))),
          h('section', { class: 'panel', 'aria-labelledby': 'depts-title' },
            h('div', { class: 'section-head' },
              h('h2', { id: 'depts-title', i18n: 'home.depts' }),
              h('a', { href: 'depts.html', i18n: 'home.allDepts' })),
            h('div', { id: 'dept-chips' }, h('p', { class: 'loading', i18n: 'loading' }))))),
      h('section', { class: 'section', id: 'bundles', 'aria-labelledby': 'bundles-title', tabindex: '-1' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'bundles-title', i18n: 'home.bundles' }),
          h('p', { i18n: 'home.bundles.text' })),
        h('div', { id: 'bundle-list' }, h('p', { class: 'loading', i18n: 'loading' })))));
}

async function popular() {
  const box = document.getElementById('popular');
  const r = await api.items({ limit: 10 });
  if (!r.ok) return fill(box, failure(r));
  if (!r.data.items.length) return fill(box, h('p', { class: 'muted', i18n: 'home.noItems' }));
  const [depts] = await Promise.all([api.departments()]);
  const list = depts.ok ? depts.data.items : [];
  fill(box, h('ol', { class: 'popular-list', 'data-testid': 'popular' },
    r.data.items.map((it, i) => {
      const d = list.find((x) => x.code === it.dept);
      return h('li', null,
        h('span', { class: 'rank', 'aria-hidden': 'true' }, String(i + 1)),
        h('a', { class: 'popular-name', href: pageUrl('item.html', { code: it.code }) }, bi(it.name, it.name_en)),
        h('span', { class: 'popular-dept' }, d ? bi(d.short || d.name, d.name_en) : it.dept_name));
    })));
}

async function departments() {
  const box = document.getElementById('dept-chips');
  const r = await api.departments();
  if (!r.ok) return fill(box, failure(r));
  const ds = r.data.items;
  let person = 0;
  let ent = 0;
  for (const d of ds) {
    person += (d.item_count && d.item_count.person) || 0;
    ent += (d.item_count && d.item_count.enterprise) || 0;
  }
  fill(document.getElementById('count-person'), T('unit.items', { n: person }));
  fill(document.getElementById('count-enterprise'), T('unit.items', { n: ent }));
  fill(document.getElementById('count-depts'), T('unit.depts', { n: ds.length }));
  fill(box, h('ul', { class: 'chips dept-chips' },
    ds.slice(0, 12).map((d) => h('li', null, h('a', { href: pageUrl('dept.html', { code: d.code }) }, bi(d.short || d.name, d.name_en))))));
}

async function bundleList() {
  const box = document.getElementById('bundle-list');
  const r = await api.bundles();
  if (!r.ok) return fill(box, failure(r));
  const bs = r.data.items;
  fill(document.getElementById('count-bundles'), T('unit.items', { n: bs.length }));
  fill(box, h('ul', { class: 'bundle-grid', 'data-testid': 'bundles' },
    bs.map((b) => {
      const n = (b.steps || []).reduce((a, s) => a + ((s.items && s.items.length) || 0), 0);
      return h('li', null,
        h('article', { class: 'bundle-card' },
          h('h3', null, h('a', { href: pageUrl('bundle.html', { code: b.code }) }, bi(b.name, b.name_en))),
          b.description ? h('p', null, b.description) : h('p'),
          h('div', { class: 'bundle-facts' },
            h('span', { class: 'badge badge-lg' }, target(b.target, true)),
            h('span', { class: 'badge badge-lg badge-type' }, T('bundle.itemCount', { n })),
            h('span', { class: 'badge badge-lg badge-good' }, days(b.promised_days)))));
    })));
  if (location.hash === '#bundles') document.getElementById('bundles').scrollIntoView();
}

skeleton();
await initPage({ active: location.hash === '#bundles' ? 'bundles' : 'home' });
await Promise.all([popular(), departments(), bundleList()]);
