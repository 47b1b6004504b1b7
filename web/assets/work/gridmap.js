// work/gridmap.js - workbench/gridmap.html: the unit grids and the grid events
// on a map (issue 12).  Leaflet (npm, served from /vendor/) draws the grid
// polygons of GET /api/v1/grids, shaded by their open events, and a marker
// for every event of GET /api/v1/grid-events at its reported place; no tile
// server is used - the grid itself is the map.  Clicking a cell shows its
// counts, clicking a marker links to the event; the per-grid counts are also
// a table below for those who do not use the map.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();
await initWork({ active: 'grid', roles: ['grid_worker', 'hotline_operator', 'supervisor', 'reviewer', 'chief_approver'] });
const STATUSES = ['reported', 'opened', 'dispatched', 'handled', 'verified', 'closed', 'rejected'];
const OPEN = new Set(['reported', 'opened', 'dispatched', 'handled', 'verified']);
/** Marker colours by state: open ones warm, closed green, rejected grey. */
const COLOUR = { reported: '#d4380d', opened: '#d46b08', dispatched: '#d48806', handled: '#1d39c4', verified: '#531dab', closed: '#389e0d', rejected: '#8c8c8c' };
/** Cell shading by open events: none, 1, 2-3, 4 and more. */
const shade = (n) => (n >= 4 ? 0.6 : n >= 2 ? 0.4 : n >= 1 ? 0.22 : 0.04);

const st = STATUSES.includes(p.get('status')) ? p.get('status') : '';
/** The newest events, page by page (200 a page), up to MAX_EVENTS. */
const MAX_EVENTS = 2000;
async function loadEvents() {
  const all = [];
  let cursor = 0;
  for (;;) {
    const r = await api.get(`/api/v1/grid-events${api.qs({ status: st, limit: 200, cursor: cursor || '' })}`);
    if (!r.ok) return { items: all, ok: false };
    all.push(...r.data.items);
    if (r.data.next_cursor == null || all.length >= MAX_EVENTS) return { items: all, ok: true, more: r.data.next_cursor != null };
    cursor = r.data.next_cursor;
  }
}
const [g, r] = await Promise.all([api.get('/api/v1/grids'), loadEvents()]);
const features = g.ok ? g.data.features : [];
const events = r.items.filter((e) => Number.isFinite(e.lat) && Number.isFinite(e.lng));

const sel = h('select', { id: 'status', name: 'status' }, h('option', { value: '', i18n: 'hl.status.all' }), STATUSES.map((s) => h('option', { value: s, i18n: `ge.status.${s}` })));
sel.value = st;
const box = h('div', { id: 'ge-map', class: 'ge-map', role: 'region', 'aria-label': t('ge.map'), 'data-testid': 'ge-map' });
const legend = h('ul', { class: 'ge-legend', 'aria-label': t('ge.map.legend') },
  STATUSES.map((s) => h('li', null, h('span', { class: `ge-dot ge-dot-${s}`, 'aria-hidden': 'true' }), T(`ge.status.${s}`))));
const busy = features.filter((f) => f.properties.events > 0);
fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'page-head' }, h('h1', { i18n: 'ge.map.title' }),
    h('p', null, h('a', { href: 'grid.html', i18n: 'ge.map.toList' }), ' · ', h('a', { href: 'hotline.html', i18n: 'title.work.hotline' }))),
  h('form', { class: 'queue-filter', method: 'get', action: 'gridmap.html' },
    h('div', { class: 'field' }, h('label', { for: 'status', i18n: 'hl.col.status' }), sel),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', i18n: 'search.apply' }))),
  g.ok && r.ok ? null : h('p', { class: 'notice notice-error', i18n: 'ge.map.failed' }),
  r.more ? h('p', { class: 'notice notice-info', i18n: 'ge.map.more', args: { n: MAX_EVENTS } }) : null,
  h('p', { class: 'muted small', 'data-testid': 'ge-map-summary' }, t('ge.map.summary', { grids: features.length, events: events.length })),
  box, legend,
  h('h2', { i18n: 'ge.counts' }),
  busy.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'ge-counts' },
    h('thead', null, h('tr', null, ['ge.grid', 'ge.counts.open', 'ge.counts.all'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, busy.map((f) => h('tr', { 'data-grid': f.id },
      h('td', null, h('span', { class: 'mono' }, f.id), h('div', { class: 'muted small' }, f.properties.name)),
      h('td', { class: 'num' }, String(f.properties.open_events)),
      h('td', { class: 'num' }, String(f.properties.events))))))) : h('p', { class: 'notice notice-info', i18n: 'ge.empty' })));

// The map: plain Leaflet with no tile layer; the cells and markers are SVG paths.
const map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
const cellInfo = (f) => h('div', { class: 'ge-pop' }, h('strong', { class: 'mono' }, f.id), h('div', null, f.properties.name || ''),
  h('div', null, `${t('ge.counts.open')}: ${f.properties.open_events} · ${t('ge.counts.all')}: ${f.properties.events}`));
const cells = L.geoJSON({ type: 'FeatureCollection', features }, {
  style: (f) => ({ className: 'ge-cell', color: '#3f5f8f', weight: 1, fillColor: '#cf1322', fillOpacity: shade(f.properties.open_events) }),
  onEachFeature: (f, layer) => {
    layer.bindPopup(() => cellInfo(f));
    layer.on('add', () => {
      const el = layer.getElement();
      if (el) {
        el.setAttribute('data-grid', f.id);
        el.setAttribute('data-open', String(f.properties.open_events));
      }
    });
  },
}).addTo(map);
const eventInfo = (e) => h('div', { class: 'ge-pop' },
  h('a', { class: 'mono', href: pageUrl('grid.html', { no: e.event_no }) }, e.event_no),
  h('div', null, T(`ge.kind.${e.kind}`), ' · ', e.major, e.minor ? ` · ${e.minor}` : ''),
  h('div', null, T(`ge.status.${e.status}`)), h('div', { class: 'muted small' }, e.description));
const marks = L.featureGroup(events.map((e) => {
  const m = L.circleMarker([e.lat, e.lng], { className: `ge-marker ge-marker-${e.status}`, radius: OPEN.has(e.status) ? 7 : 5, color: '#fff', weight: 1.5, fillColor: COLOUR[e.status] || '#595959', fillOpacity: 0.95 });
  m.bindPopup(() => eventInfo(e));
  m.on('add', () => m.getElement()?.setAttribute('data-event', e.event_no));
  return m;
})).addTo(map);
const bounds = features.length ? cells.getBounds() : marks.getBounds();
if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
else map.setView([31.17, 121.44], 12);
box.setAttribute('data-grids', String(features.length));
box.setAttribute('data-events', String(events.length));
box.setAttribute('data-ready', 'true');
