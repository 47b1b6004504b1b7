// opendata.js - opendata.html : 公共数据开放, the data resources open to the
// public (no login): each with its department, update frequency, legal basis,
// data items and a CSV download of its records (never personal data: only
// resources without subjects can be open).
import { h, bi, fill } from '../dom.js';
import { initPage, failure } from '../layout.js';
import * as api from '../api.js';
import { deptName } from '../casefmt.js';
import '../i18n-datahub.js';

const main = document.getElementById('main');

async function render() {
  const [r, d] = await Promise.all([api.get('/api/v1/public/open-data'), api.departments()]);
  const depts = d.ok ? d.data.items : [];
  const head = h('div', { class: 'page-head' }, h('h1', { i18n: 'title.opendata' }), h('p', { class: 'muted', i18n: 'dh.open.intro' }));
  if (!r.ok) return fill(main, h('div', { class: 'wrap page' }, head, failure(r)));
  const list = r.data.items || [];
  fill(main, h('div', { class: 'wrap page dh-page' }, head,
    list.length ? list.map((res) => h('section', { class: 'panel dh-res', 'data-resource': res.code },
      h('h2', null, bi(res.name, res.name_en)),
      h('p', { class: 'dh-meta' }, deptName(depts, res.dept), ' · ', h('span', { i18n: `dh.freq.${res.frequency}` }), ' · ', h('span', { i18n: 'dh.basis' }), '：', res.legal_basis),
      h('p', null, h('span', { class: 'fact-label', i18n: 'dh.open.fields' }), ' ', res.fields.map((f) => h('span', { class: 'dh-chip' }, bi(f.name, f.name_en)))),
      h('p', null, h('a', { class: 'btn btn-ghost btn-sm', href: `/api/v1/public/open-data/${encodeURIComponent(res.code)}/data.csv`, download: `${res.code}.csv`, i18n: 'dh.open.download', 'data-testid': 'csv' }))))
      : h('div', { class: 'notice notice-info' }, h('p', { i18n: 'dh.open.empty' }))));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
await initPage({ active: 'opendata' });
await render();
