// work/statistics.js - workbench/statistics.html : the district's figures
// (GET /api/v1/supervision/stats, kept from daily rollups of the case events):
// headline numbers, departments compared, day by day, a heat table of on-time
// rates and the top items, each table exportable as CSV.  Charts are drawn as
// plain SVG: Apache ECharts (npm "echarts") is the intended library once it is
// installed and served from web/vendor.
import { h, T, fill, params } from '../dom.js';
import * as api from '../api.js';
import { t, getLang } from '../i18n.js';
import '../i18n-supervision.js';
import { initWork, depts, deptSelect, hasRole } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();
const SVG = 'http://www.w3.org/2000/svg';
const METRICS = ['received', 'accepted', 'approved', 'denied', 'not_accepted', 'withdrawn', 'tasks_done', 'received_online', 'licenses_used', 'licenses_issued', 'ratings'];

/** A department's name as text, in the page's language. */
function deptText(code, fallback) {
  const d = depts().find((x) => x.code === code);
  if (!d) return fallback || code || '';
  return getLang() === 'en' && d.name_en ? d.name_en : d.name;
}

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v) => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const k of kids) if (k) el.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
  return el;
}

/** Horizontal bars, two series: [{label, a, b}]. */
function bars(rows, testid) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.a, r.b)));
  const rowH = 26;
  const w = 680;
  const left = 200;
  const el = svg('svg', { class: 'sv-bars', viewBox: `0 0 ${w} ${rows.length * rowH + 10}`, role: 'img', 'data-testid': testid });
  rows.forEach((r, i) => {
    const y = i * rowH + 5;
    el.appendChild(svg('text', { x: 0, y: y + 14 }, r.label.slice(0, 16)));
    el.appendChild(svg('rect', { class: 'bar', x: left, y, width: ((w - left - 60) * r.a) / max, height: 10 }));
    el.appendChild(svg('rect', { class: 'bar2', x: left, y: y + 11, width: ((w - left - 60) * r.b) / max, height: 10 }));
    el.appendChild(svg('text', { x: left + ((w - left - 60) * Math.max(r.a, r.b)) / max + 4, y: y + 14 }, `${r.a} / ${r.b}`));
  });
  return el;
}

function csvButton(name, header, rows) {
  const b = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': `csv-${name}`, i18n: 'st.csv' });
  b.addEventListener('click', () => {
    const esc = (v) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    const text = `\ufeff${[header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' })), download: `${name}.csv` });
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  return b;
}

function table(testid, headKeys, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': testid },
    h('thead', null, h('tr', null, headKeys.map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => h(i ? 'td' : 'th', { class: i ? 'num' : null, scope: i ? null : 'row' }, c)))))));
}

function heatClass(v) {
  if (v === null || v === undefined) return '';
  return v >= 0.95 ? 'heat-cell' : v >= 0.8 ? 'heat-cell cell-yellow' : 'heat-cell cell-red';
}

function render(s) {
  const tot = s.total;
  const deptRows = s.departments.map((d) => ({ ...d, name: d.dept ? deptText(d.dept, d.dept_name) : t('nav.bundles') }));
  const head = ['work.col.dept', ...METRICS.map((m) => `st.${m}`), 'st.on_time_rate', 'st.avg_days_used', 'st.satisfaction'];
  const deptCells = deptRows.map((d) => [d.name, ...METRICS.map((m) => String(d[m])), pct(d.on_time_rate), num(d.avg_days_used), pct(d.satisfaction)]);
  const dayCells = s.days.map((d) => [d.day, ...METRICS.map((m) => String(d[m])), pct(d.on_time_rate), num(d.avg_days_used), pct(d.satisfaction)]);
  return [
    h('section', { class: 'panel' },
      h('ul', { class: 'sv-kpis', 'data-testid': 'kpis' },
        ['received', 'accepted', 'approved', 'tasks_done'].map((m) => h('li', { 'data-metric': m }, T(`st.${m}`), h('strong', null, String(tot[m])))),
        h('li', { 'data-metric': 'on_time_rate' }, T('st.on_time_rate'), h('strong', null, pct(tot.on_time_rate))),
        h('li', { 'data-metric': 'avg_days_used' }, T('st.avg_days_used'), h('strong', null, num(tot.avg_days_used))),
        h('li', { 'data-metric': 'online_share' }, T('st.online_share'), h('strong', null, pct(tot.online_share))),
        h('li', { 'data-metric': 'licenses_used' }, T('st.licenses_used'), h('strong', null, String(tot.licenses_used))),
        h('li', { 'data-metric': 'licenses_issued' }, T('st.licenses_issued'), h('strong', null, String(tot.licenses_issued))),
        h('li', { 'data-metric': 'satisfaction' }, T('st.satisfaction'), h('strong', null, pct(tot.satisfaction))),
        h('li', { 'data-metric': 'avg_rating' }, T('st.avg_rating'), h('strong', null, num(tot.avg_rating)))),
      h('p', { class: 'muted small', i18n: 'st.noCharts' })),
    s.days.length ? null : h('p', { class: 'notice notice-info', 'data-testid': 'stats-empty', i18n: 'st.none' }),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.byDept' }),
      bars(deptRows.map((d) => ({ label: d.name, a: d.received, b: d.approved })), 'dept-bars'),
      table('dept-figures', head, deptCells), csvButton('departments', head.map((k) => t(k)), deptCells)),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.trend' }),
      bars(s.days.map((d) => ({ label: d.day, a: d.received, b: d.approved })), 'day-bars'),
      table('day-figures', ['st.col.day', ...head.slice(1)], dayCells), csvButton('days', [t('st.col.day'), ...head.slice(1).map((k) => t(k))], dayCells)),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.heat' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'heat' },
        h('thead', null, h('tr', null, h('th', { i18n: 'work.col.dept' }), h('th', { i18n: 'st.tasks_done' }), h('th', { i18n: 'st.on_time_rate' }))),
        h('tbody', null, deptRows.map((d) => h('tr', null, h('th', { scope: 'row' }, d.name), h('td', { class: 'num' }, String(d.tasks_done)),
          h('td', { class: heatClass(d.on_time_rate) }, pct(d.on_time_rate)))))))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.top' }),
      table('top-items', ['st.col.item', 'work.col.dept', 'st.received'], s.top_items.map((i) => [i.code, deptText(i.dept), String(i.received)])),
      csvButton('top-items', [t('st.col.item'), t('work.col.dept'), t('st.received')], s.top_items.map((i) => [i.code, i.dept, i.received]))),
  ];
}

const account = await initWork({ active: 'statistics', roles: ['supervisor', 'chief_approver', 'reviewer'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const all = hasRole(account, 'supervisor', 'chief_approver');
  const q = { from: p.get('from') || '', to: p.get('to') || '', dept: all ? p.get('dept') || '' : '' };
  const r = await api.get(`/api/v1/supervision/stats${api.qs(q)}`);
  const from = h('input', { type: 'date', name: 'from', id: 'f-from', value: r.ok ? r.data.from : q.from });
  const to = h('input', { type: 'date', name: 'to', id: 'f-to', value: r.ok ? r.data.to : q.to });
  const ds = all ? deptSelect('f-dept', { allowAll: true, value: q.dept }) : null;
  if (ds) ds.name = 'dept';
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'st.title' }), h('p', { class: 'muted', i18n: 'st.text' })),
    h('form', { class: 'sv-filters', method: 'get', action: 'statistics.html' },
      h('label', null, T('st.from'), from), h('label', null, T('st.to'), to),
      ds ? h('label', null, T('work.col.dept'), ds) : null,
      h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'st.go' }),
      h('a', { class: 'btn btn-ghost btn-sm', 'data-testid': 'xlsx', href: `/api/v1/supervision/stats.xlsx${api.qs(q)}`, download: 'ywtb-statistics.xlsx', i18n: 'st.xlsx' })),
    r.ok ? render(r.data) : h('p', { class: 'notice notice-error', role: 'alert', 'data-testid': 'stats-error' },
      T('error.server', { message: r.error && r.error.message }))));
}
