// work/statistics.js - workbench/statistics.html : the district's figures
// (GET /api/v1/supervision/stats, kept from daily rollups of the case events):
// headline numbers, departments compared, day by day, a heat table of on-time
// rates and the top items, each table exportable as CSV.  The charts are
// Apache ECharts (npm "echarts", copied into web/vendor/ by `make` and loaded
// by statistics.html as a classic script: window.echarts): the day-by-day
// trend, the departments compared, and a heat map of on-time rates per
// department and day (month for long periods) from one stats request per
// department.  Visits per case ("at most one trip", from visit.finished):
// the cases whose applicant came to a window more than once, counted and
// listed.  The tables stay under the charts: they are the figures for
// screen readers, CSV export and anyone who reads numbers.  Tooltips are drawn
// on the canvas (renderMode richText): the page's CSP allows no inline styles.
import { h, T, fill, params } from '../dom.js';
import * as api from '../api.js';
import { t, getLang } from '../i18n.js';
import '../i18n-supervision.js';
import { initWork, depts, deptSelect, hasRole } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();
const METRICS = ['received', 'accepted', 'approved', 'denied', 'not_accepted', 'withdrawn', 'tasks_done', 'received_online', 'licenses_used', 'licenses_issued', 'ratings', 'visits', 'cases_visited', 'cases_revisited'];

/** A department's name as text, in the page's language. */
function deptText(code, fallback) {
  const d = depts().find((x) => x.code === code);
  if (!d) return fallback || code || '';
  return getLang() === 'en' && d.name_en ? d.name_en : d.name;
}

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v) => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));

const CHARTS = [];
/** An ECharts chart in a new box; drawn once the box is in the page (draw()). */
function chartBox(testid, label, height, option) {
  const el = h('div', { class: 'sv-chart', role: 'img', 'aria-label': label, 'data-testid': testid });
  if (height) el.style.height = `${height}px`;
  CHARTS.push({ el, option });
  return el;
}
function draw() {
  for (const { el, option } of CHARTS.splice(0)) {
    const chart = echarts.init(el, null, { locale: getLang() === 'en' ? 'EN' : 'ZH' });
    chart.on('finished', () => el.setAttribute('data-rendered', 'true'));
    chart.setOption({ textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", sans-serif' }, tooltip: { renderMode: 'richText' }, ...option });
    window.addEventListener('resize', () => chart.resize());
  }
}
const BLUE = '#1f5fa8', LIGHT = '#7aa7d9', GREEN = '#2e8b57';

function trendChart(days) {
  return chartBox('chart-trend', t('st.trend'), 320, {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } }],
    series: [
      { name: t('st.received'), type: 'line', smooth: true, data: days.map((d) => d.received), itemStyle: { color: BLUE } },
      { name: t('st.approved'), type: 'line', smooth: true, data: days.map((d) => d.approved), itemStyle: { color: LIGHT } },
      { name: t('st.on_time_rate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: days.map((d) => (d.on_time_rate == null ? null : +(d.on_time_rate * 100).toFixed(1))), itemStyle: { color: GREEN }, lineStyle: { type: 'dashed' } },
    ],
  });
}

function deptChart(rows) {
  const shown = rows.slice().sort((x, y) => x.received - y.received); // largest on top
  return chartBox('chart-depts', t('st.byDept'), Math.max(160, 48 + shown.length * 30), {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
    legend: { top: 0 },
    grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((d) => d.name), axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      { name: t('st.received'), type: 'bar', data: shown.map((d) => d.received), itemStyle: { color: BLUE }, label: { show: true, position: 'right' } },
      { name: t('st.approved'), type: 'bar', data: shown.map((d) => d.approved), itemStyle: { color: LIGHT } },
    ],
  });
}

/** On-time rates per department and day (or month when the period is long), from per-department requests. */
async function heatChart(q, rows) {
  const list = rows.filter((d) => d.dept);
  const per = await Promise.all(list.map((d) => api.get(`/api/v1/supervision/stats${api.qs({ ...q, dept: d.dept, top: 1 })}`)));
  const span = (Date.parse(q.to) - Date.parse(q.from)) / 86400000;
  const key = span > 45 ? (day) => day.slice(0, 7) : (day) => day.slice(5);
  const cols = new Set();
  const cells = new Map();
  per.forEach((r, y) => {
    if (!r.ok) return;
    for (const d of r.data.days) {
      if (!d.tasks_done) continue;
      const k = key(d.day);
      cols.add(k);
      const c = cells.get(`${y}|${k}`) || { done: 0, on: 0 };
      c.done += d.tasks_done;
      c.on += d.tasks_on_time || 0;
      cells.set(`${y}|${k}`, c);
    }
  });
  const xs = [...cols].sort();
  const data = [];
  for (const [k, c] of cells) {
    const [y, col] = k.split('|');
    data.push([xs.indexOf(col), Number(y), +((c.on / c.done) * 100).toFixed(1)]);
  }
  return { xs, data, option: {
    tooltip: { position: 'top', renderMode: 'richText' },
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: xs, splitArea: { show: true } },
    yAxis: { type: 'category', data: list.map((d) => d.name), splitArea: { show: true }, axisLabel: { width: 180, overflow: 'truncate' } },
    visualMap: { type: 'piecewise', orient: 'horizontal', left: 'center', bottom: 0,
      pieces: [{ min: 95, label: '≥ 95%', color: '#52a36b' }, { min: 80, max: 95, label: '80–95%', color: '#f2c94c' }, { max: 80, label: '< 80%', color: '#e05a4f' }] },
    series: [{ name: t('st.on_time_rate'), type: 'heatmap', data, label: { show: xs.length <= 31, formatter: (p) => `${Math.round(p.value[2])}` } }],
  }, height: Math.max(140, 96 + list.length * 28) };
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

function render(s, q) {
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
        h('li', { 'data-metric': 'avg_rating' }, T('st.avg_rating'), h('strong', null, num(tot.avg_rating))),
        h('li', { 'data-metric': 'cases_revisited' }, T('st.cases_revisited'), h('strong', null, String(tot.cases_revisited))),
        h('li', { 'data-metric': 'revisit_share' }, T('st.revisit_share'), h('strong', null, pct(tot.revisit_share)))),
      ),
    s.days.length ? null : h('p', { class: 'notice notice-info', 'data-testid': 'stats-empty', i18n: 'st.none' }),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.byDept' }),
      deptRows.length ? deptChart(deptRows) : null,
      table('dept-figures', head, deptCells), csvButton('departments', head.map((k) => t(k)), deptCells)),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.trend' }),
      s.days.length ? trendChart(s.days) : null,
      table('day-figures', ['st.col.day', ...head.slice(1)], dayCells), csvButton('days', [t('st.col.day'), ...head.slice(1).map((k) => t(k))], dayCells)),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.heat' }),
      deptRows.some((d) => d.dept && d.tasks_done) ? heatBox(q, deptRows) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'heat' },
        h('thead', null, h('tr', null, h('th', { i18n: 'work.col.dept' }), h('th', { i18n: 'st.tasks_done' }), h('th', { i18n: 'st.on_time_rate' }))),
        h('tbody', null, deptRows.map((d) => h('tr', null, h('th', { scope: 'row' }, d.name), h('td', { class: 'num' }, String(d.tasks_done)),
          h('td', { class: heatClass(d.on_time_rate) }, pct(d.on_time_rate)))))))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.top' }),
      table('top-items', ['st.col.item', 'work.col.dept', 'st.received'], s.top_items.map((i) => [i.code, deptText(i.dept), String(i.received)])),
      csvButton('top-items', [t('st.col.item'), t('work.col.dept'), t('st.received')], s.top_items.map((i) => [i.code, i.dept, i.received]))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'st.revisited' }), h('p', { class: 'muted', i18n: 'st.revisited.text' }),
      (s.revisited_cases || []).length
        ? [table('revisited-cases', ['st.col.case', 'work.col.dept', 'st.col.item', 'st.col.visits', 'st.col.firstVisit', 'st.col.lastVisit'],
          s.revisited_cases.map((c) => [c.case_no, deptText(c.dept), c.code, String(c.visits), c.first_visit, c.last_visit])),
        csvButton('revisited-cases', ['st.col.case', 'work.col.dept', 'st.col.item', 'st.col.visits', 'st.col.firstVisit', 'st.col.lastVisit'].map((k) => t(k)),
          s.revisited_cases.map((c) => [c.case_no, c.dept, c.code, c.visits, c.first_visit, c.last_visit]))]
        : h('p', { class: 'notice notice-info', 'data-testid': 'revisited-none', i18n: 'st.revisited.none' })),
  ];
}

/** The heat map's box: filled once the per-department figures are in. */
function heatBox(q, rows) {
  const el = h('div', { class: 'sv-chart', role: 'img', 'aria-label': t('st.heat'), 'data-testid': 'chart-heat' });
  heatChart(q, rows).then(({ xs, data, option, height }) => {
    el.style.height = `${height}px`;
    el.setAttribute('data-cells', String(data.length));
    el.setAttribute('data-cols', String(xs.length));
    CHARTS.push({ el, option });
    draw();
  });
  return el;
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
    r.ok ? render(r.data, { from: r.data.from, to: r.data.to }) : h('p', { class: 'notice notice-error', role: 'alert', 'data-testid': 'stats-error' },
      T('error.server', { message: r.error && r.error.message }))));
  draw();
}
