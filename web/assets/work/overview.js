// work/overview.js - workbench/overview.html : the supervisor's read-only view
// of every clock (效能监察).  Pending review tasks of every department by light
// and a department × light table (GET /api/v1/tasks/stats: every task), the
// overdue and near-due tasks first (GET /api/v1/tasks) and the newest cases
// (GET /api/v1/cases).
import { h, T, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import { initWork, depts, taskTable, lightCounts, caseTable, cursorPager } from '../work-layout.js';
import { lightMark, deptName } from '../casefmt.js';

const main = document.getElementById('main');
const p = params();
const LIGHTS = ['red', 'yellow', 'green', 'paused'];

function byDept(stats) {
  const rows = new Map((stats.depts || []).filter((d) => d.total > 0).map((d) => [d.dept, d]));
  if (!rows.size) return h('p', { class: 'notice notice-info', 'data-testid': 'dept-lights-empty', i18n: 'work.queue.emptyAll' });
  const list = Array.from(rows.entries()).sort((a, b) => b[1].red - a[1].red || b[1].yellow - a[1].yellow || a[0].localeCompare(b[0]));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'dept-lights' },
    h('thead', null, h('tr', null, h('th', { scope: 'col', i18n: 'work.col.dept' }), LIGHTS.map((l) => h('th', { scope: 'col' }, lightMark(l))), h('th', { scope: 'col', i18n: 'work.col.total' }))),
    h('tbody', null, list.map(([code, c]) => h('tr', { 'data-dept': code },
      h('th', { scope: 'row' }, h('a', { href: pageUrl('queue.html', { dept: code }) }, deptName(depts(), code))),
      LIGHTS.map((l) => h('td', { class: `num${c[l] && (l === 'red' || l === 'yellow') ? ` cell-${l}` : ''}`, 'data-light': l }, String(c[l]))),
      h('td', { class: 'num' }, String(c.total)))))));
}

const account = await initWork({ active: 'overview', roles: ['supervisor', 'chief_approver'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  const prev = (p.get('prev') || '').split(',').filter((x) => /^\d+$/.test(x));
  const [sr, tr, cr] = await Promise.all([api.get('/api/v1/tasks/stats'), api.get('/api/v1/tasks?limit=200'),
    api.get(`/api/v1/cases${api.qs({ limit: 20, cursor })}`)]);
  const stats = sr.ok ? sr.data : null;
  const tasks = tr.ok ? tr.data.items || [] : [];
  const urgent = tasks.filter((tk) => tk.light === 'red' || tk.light === 'yellow');
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' },
      h('h1', { i18n: 'work.overview.title' }),
      h('p', { class: 'muted' }, T('work.overview.text'), ' · ', T('work.readOnlyShort'))),
    h('section', { class: 'panel', 'aria-labelledby': 'ov-lights' },
      h('h2', { id: 'ov-lights', i18n: 'work.overview.lights' }),
      stats ? [h('p', { class: 'muted', i18n: 'work.count.tasks', args: { n: stats.total } }), lightCounts(stats), byDept(stats)]
        : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' })),
    h('section', { class: 'panel', 'aria-labelledby': 'ov-urgent' },
      h('h2', { id: 'ov-urgent', i18n: 'work.overview.urgent' }),
      taskTable(urgent, { empty: 'work.overview.noUrgent' })),
    h('section', { class: 'panel', 'aria-labelledby': 'ov-cases' },
      h('h2', { id: 'ov-cases', i18n: 'work.overview.cases' }),
      cr.ok ? caseTable(cr.data.items || []) : h('p', { class: 'notice notice-error', i18n: 'error.load' }),
      cr.ok ? cursorPager('overview.html', {}, cursor, prev, cr.data.next_cursor) : null)));
}
