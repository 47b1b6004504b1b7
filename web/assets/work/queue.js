// work/queue.js - workbench/queue.html?dept=&status= : review tasks sorted by
// working days left (GET /api/v1/tasks), each with its light: green, yellow
// (due soon), red (overdue), paused (special procedure).  Reviewers see their
// own department; the chief approval officer and supervisors choose one (empty
// = every department).
import { h, T, fill, params } from '../dom.js';
import * as api from '../api.js';
import { initWork, hasRole, depts, deptSelect, taskTable, lightCounts } from '../work-layout.js';
import { deptName } from '../casefmt.js';

const main = document.getElementById('main');
const p = params();
const STATUSES = ['pending', 'approved', 'denied', 'returned', 'rerouted', 'done', 'cancelled'];

const account = await initWork({ active: 'queue', roles: ['reviewer', 'chief_approver', 'supervisor'] });
if (account) {
  const any = hasRole(account, 'chief_approver', 'supervisor');
  const dept = any ? p.get('dept') || '' : account.dept;
  const status = STATUSES.includes(p.get('status')) ? p.get('status') : 'pending';
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const [r, sr] = await Promise.all([
    api.get(`/api/v1/tasks${api.qs({ dept: any ? dept : '', status, limit: 200 })}`),
    status === 'pending' ? api.get(`/api/v1/tasks/stats${api.qs({ dept: any ? dept : '' })}`) : null,
  ]);
  const items = r.ok ? r.data.items || [] : [];
  const deptSel = any ? deptSelect('dept', { allowAll: true, value: dept }) : null;
  const statusSel = h('select', { id: 'status', name: 'status' }, STATUSES.map((s) => h('option', { value: s, i18n: `work.taskStatus.${s}` })));
  statusSel.value = status;
  const filter = h('form', { class: 'queue-filter', method: 'get', action: 'queue.html' },
    deptSel ? h('div', { class: 'field' }, h('label', { for: 'dept', i18n: 'work.col.dept' }), deptSel) : null,
    h('div', { class: 'field' }, h('label', { for: 'status', i18n: 'work.col.status' }), statusSel),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', i18n: 'search.apply' })));
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' },
      h('h1', { i18n: any ? 'work.queue.titleAll' : 'work.queue.title' }),
      h('p', { class: 'muted' }, any ? (dept ? deptName(depts(), dept) : T('work.allDepts')) : deptName(depts(), account.dept),
        ' · ', T('work.queue.sorted'), hasRole(account, 'supervisor') && !hasRole(account, 'chief_approver', 'reviewer') ? [' · ', T('work.readOnlyShort')] : null)),
    filter,
    sr?.ok ? lightCounts(sr.data) : null,
    r.ok ? taskTable(items) : h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { i18n: 'error.load' }))));
}
