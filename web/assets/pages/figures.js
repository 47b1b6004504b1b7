// figures.js - figures.html : the district's headline figures this year, as
// Chinese government sites publish them (办件量、办结量、按时办结率、热门事项),
// from GET /api/v1/public/statistics (no login; supervision's daily rollups).
import { h, T, fill } from '../dom.js';
import { initPage, failure } from '../layout.js';
import * as api from '../api.js';
import '../i18n-supervision.js';

const main = document.getElementById('main');
await initPage({ active: 'figures' });
fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const r = await api.get('/api/v1/public/statistics');
if (!r.ok) {
  fill(main, h('div', { class: 'wrap page' }, failure(r)));
} else {
  const f = r.data;
  const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  fill(main, h('div', { class: 'wrap page' },
    h('h1', { i18n: 'fg.title', args: { year: f.year } }),
    h('p', { class: 'muted', i18n: 'fg.asOf', args: { d: f.as_of } }),
    h('ul', { class: 'sv-kpis', 'data-testid': 'figures' },
      h('li', { 'data-metric': 'received' }, T('fg.received'), h('strong', null, String(f.received))),
      h('li', { 'data-metric': 'accepted' }, T('fg.accepted'), h('strong', null, String(f.accepted))),
      h('li', { 'data-metric': 'approved' }, T('fg.approved'), h('strong', null, String(f.approved))),
      h('li', { 'data-metric': 'on_time_rate' }, T('fg.onTime'), h('strong', null, pct(f.on_time_rate)))),
    f.top_items.length ? [h('h2', { i18n: 'fg.top' }),
      h('ol', { 'data-testid': 'top-items' }, f.top_items.map((i) => h('li', null, h('a', { href: `item.html?code=${encodeURIComponent(i.code)}` }, i.code), ' · ', T('fg.count', { n: i.received }))))] : null));
}
