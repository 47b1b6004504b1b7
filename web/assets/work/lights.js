// work/lights.js - workbench/lights.html : the chief approval officer's board
// (首席审批官).  Every department's open tasks by light, most urgent first
// (GET /api/v1/supervision/queue, supervision's own event-fed deadlines), the
// counts per department (GET /api/v1/supervision/board), and reassigning a
// task to another department from its row (POST /api/v1/tasks/{id}/reassign).
import { h, T, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { initWork, depts, hasRole, lightCounts, deptSelect } from '../work-layout.js';
import { lightMark, deptName } from '../casefmt.js';
import { errorKey, formAlert, showAlert } from '../forms.js';

const main = document.getElementById('main');
const p = params();

function reassignForm(tk) {
  const alert = formAlert(`ra-alert-${tk.task_id}`);
  const sel = deptSelect(`ra-dept-${tk.task_id}`, { exclude: [tk.dept] });
  const reason = h('input', { id: `ra-reason-${tk.task_id}`, name: 'reason', maxlength: 500 });
  const form = h('form', { class: 'sv-filters', 'data-testid': 'reassign-form', hidden: true },
    alert,
    h('label', null, T('lt.reassign.to'), sel),
    h('label', null, T('lt.reassign.reason'), reason),
    h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'lt.reassign.do' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const btn = form.querySelector('button');
    btn.disabled = true;
    const r = await api.post(`/api/v1/tasks/${tk.task_id}/reassign`, { dept: sel.value, reason: reason.value.trim() });
    btn.disabled = false;
    if (!r.ok) return showAlert(alert, errorKey(r.error), null, r.error && r.error.message);
    location.replace(pageUrl('lights.html', { ...Object.fromEntries(p.entries()), done: 1 }));
    return null;
  });
  return form;
}

function taskRows(items, canReassign) {
  if (!items.length) return h('p', { class: 'notice notice-info', 'data-testid': 'lights-empty', i18n: 'lt.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table queue-table', 'data-testid': 'lights' },
    h('thead', null, h('tr', null, ['work.col.light', 'work.col.caseNo', 'work.col.title', 'work.col.dept', 'work.col.due', 'work.col.left', 'lt.col.limit', 'lt.reassign']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((tk) => {
      const form = canReassign ? reassignForm(tk) : null;
      const toggle = canReassign ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'reassign', i18n: 'lt.reassign' }) : null;
      if (toggle) toggle.addEventListener('click', () => { form.hidden = !form.hidden; });
      return h('tr', { 'data-task': String(tk.task_id), 'data-case': tk.case_no, 'data-light': tk.light, 'data-dept': tk.dept, class: `row-${tk.light}` },
        h('td', null, lightMark(tk.light)),
        h('td', { class: 'mono' }, h('a', { href: pageUrl('case.html', { no: tk.case_no }) }, tk.case_no)),
        h('td', null, tk.title, h('div', { class: 'muted small', i18n: `task.kind.${tk.kind}` })),
        h('td', null, deptName(depts(), tk.dept)),
        h('td', { class: 'nowrap' }, tk.due_date),
        h('td', null, tk.light === 'paused' ? T('clock.light.paused') : tk.days_left < 0 ? T('clock.overdue', { n: -tk.days_left }) : tk.days_left === 0 ? T('clock.dueToday') : T('clock.left', { n: tk.days_left })),
        h('td', { class: 'num' }, String(tk.limit_days)),
        h('td', null, toggle, form));
    }))));
}

const account = await initWork({ active: 'lights', roles: ['chief_approver', 'supervisor'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const dept = p.get('dept') || '';
  const light = ['green', 'yellow', 'red', 'paused'].includes(p.get('light')) ? p.get('light') : '';
  const [br, qr] = await Promise.all([api.get(`/api/v1/supervision/board${api.qs({ dept })}`),
    api.get(`/api/v1/supervision/queue${api.qs({ dept, light })}`)]);
  const sel = deptSelect('f-dept', { allowAll: true, value: dept });
  sel.name = 'dept';
  const ls = h('select', { id: 'f-light', name: 'light' }, h('option', { value: '', i18n: 'sv.filter.all' }),
    ['red', 'yellow', 'green', 'paused'].map((l) => h('option', { value: l, i18n: `clock.light.${l}` })));
  ls.value = light;
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'lt.title' }), h('p', { class: 'muted', i18n: 'lt.text' })),
    p.get('done') ? h('p', { class: 'notice notice-ok', role: 'status', i18n: 'lt.reassign.done' }) : null,
    h('section', { class: 'panel' },
      br.ok ? lightCounts(br.data.tasks) : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' }),
      h('form', { class: 'sv-filters', method: 'get', action: 'lights.html' },
        h('label', null, T('work.col.dept'), sel), h('label', null, T('lt.filter.light'), ls),
        h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'sv.filter.go' }))),
    h('section', { class: 'panel' },
      qr.ok ? taskRows(qr.data.items || [], hasRole(account, 'chief_approver')) : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' }))));
}
