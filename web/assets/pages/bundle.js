// bundle.js - bundle.html?code= : a "一件事" bundle, its steps and the items in
// each, with the time saved against applying for each item on its own.
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, message, setTitleExtra } from '../layout.js';
import { isEn } from '../i18n.js';
import * as api from '../api.js';
import { days, target, badge } from '../format.js';
import { applyBox } from '../applybox.js';

const main = document.getElementById('main');
const code = params().get('code') || '';

function render(b, depts, account) {
  const steps = Array.isArray(b.steps) ? b.steps : [];
  const all = steps.flatMap((s) => s.items || []);
  const deptCodes = new Set(all.map((i) => i.dept).filter(Boolean));
  const sum = all.reduce((a, i) => a + (Number(i.promised_days) || 0), 0);
  const deptOf = (i) => {
    const d = depts.find((x) => x.code === i.dept);
    return d ? bi(d.name, d.name_en) : i.dept_name || i.dept || '';
  };
  fill(main, h('div', { class: 'wrap page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', null, h('a', { href: 'index.html#bundles', i18n: 'nav.bundles' })),
        h('li', { 'aria-current': 'page' }, bi(b.name, b.name_en)))),
    h('header', { class: 'item-head' },
      h('div', { class: 'item-badges' },
        badge(T('nav.bundles'), 'type'),
        badge(target(b.target, true), b.target === 'enterprise' ? 'ent' : 'person')),
      h('h1', { 'data-testid': 'bundle-name' }, bi(b.name, b.name_en)),
      b.description ? bi(b.description, b.description_en, 'p') : null,
      h('dl', { class: 'keyfacts' },
        h('div', { class: 'keyfact' }, h('dt', { i18n: 'bundle.promised' }), h('dd', null, days(b.promised_days))),
        h('div', { class: 'keyfact' }, h('dt', { i18n: 'bundle.items' }), h('dd', null, T('unit.items', { n: all.length }))),
        h('div', { class: 'keyfact' }, h('dt', { i18n: 'item.dept' }), h('dd', null, T('unit.depts', { n: deptCodes.size }))),
        h('div', { class: 'keyfact' }, h('dt', { i18n: 'bundle.target' }), h('dd', null, target(b.target, true))))),
    h('section', { class: 'guide-section section apply-box', 'aria-labelledby': 'apply-title', 'data-testid': 'apply-box' },
      h('h2', { id: 'apply-title', i18n: 'bundle.apply' }),
      h('p', { i18n: 'bundle.apply.text' }),
      applyBox(b.target, pageUrl('apply.html', { bundle: b.code }), account, true)),
    h('section', { class: 'guide-section section', 'aria-labelledby': 'steps-title' },
      h('h2', { id: 'steps-title', i18n: 'bundle.steps' }),
      h('p', { i18n: 'bundle.summary', args: { items: all.length, depts: deptCodes.size } }),
      sum > (Number(b.promised_days) || 0) ? h('p', { class: 'saving', i18n: 'bundle.saving', args: { sum, n: Number(b.promised_days) || 0 } }) : null,
      h('ol', { class: 'bundle-steps', 'data-testid': 'bundle-steps' }, steps.map((s, i) => h('li', { class: 'bundle-step', 'data-step': String(s.step || i + 1) },
        h('h3', null, s.name ? T('bundle.stepNamed', { n: s.step || i + 1, name: s.name }) : T('bundle.step', { n: s.step || i + 1 })),
        h('ul', { class: 'bundle-items' }, (s.items || []).map((it) => h('li', null,
          h('a', { href: pageUrl('item.html', { code: it.code }) }, it.name ? bi(it.name, it.name_en) : it.code),
          h('p', null, deptOf(it), ' · ', h('span', { i18n: 'item.promisedDays' }), ' ', days(it.promised_days)))))))))));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: 'bundles' });
if (!code) {
  fill(main, h('div', { class: 'wrap page' }, message('info', 'bundle.missing')));
} else {
  const [r, d] = await Promise.all([api.bundle(code), api.departments()]);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(r, 'bundle.notfound')));
  } else {
    setTitleExtra(isEn() && r.data.name_en ? r.data.name_en : r.data.name);
    render(r.data, d.ok ? d.data.items : [], account);
  }
}
