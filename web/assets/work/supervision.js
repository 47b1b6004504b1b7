// work/supervision.js - workbench/supervision.html : efficiency supervision
// (效能监察).  Supervisors and the chief see the board (GET
// /api/v1/supervision/board: open tasks by light and open cards per
// department and person, the oldest open cards) and every card; a reviewer
// sees their own department's cards.  ?card=ID shows one card with its
// history: the department answers it, the supervisor accepts or escalates.
import { h, T, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { initWork, depts, hasRole, lightCounts, cursorPager } from '../work-layout.js';
import { lightMark, deptName, fmtTime } from '../casefmt.js';
import { errorKey, formAlert, showAlert } from '../forms.js';

const main = document.getElementById('main');
const p = params();

const levelMark = (level) => h('span', { class: `sv-card-level level-${level}`, 'data-level': level, i18n: `sv.level.${level}` });
/** Working days left (negative: overdue) in words. */
function leftText(n) {
  if (n === undefined || n === null) return null;
  if (n < 0) return T('clock.overdue', { n: -n });
  return n === 0 ? T('clock.dueToday') : T('clock.left', { n });
}

const statusText = (c) => [T(`sv.status.${c.status}`), c.resolution ? [' · ', T(`sv.resolution.${c.resolution}`)] : null];

function cardTable(cards, testid = 'card-table') {
  if (!cards.length) return h('p', { class: 'notice notice-info', 'data-testid': `${testid}-empty`, i18n: 'sv.cards.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': testid },
    h('thead', null, h('tr', null, ['sv.col.level', 'sv.col.case', 'work.col.dept', 'sv.col.due', 'sv.col.status', 'sv.col.created']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, cards.map((c) => h('tr', { 'data-card': String(c.id), 'data-case': c.case_no, 'data-level': c.level, 'data-status': c.status, class: c.status === 'closed' ? '' : `row-${c.level}` },
      h('td', null, h('a', { href: pageUrl('supervision.html', { card: c.id }) }, levelMark(c.level))),
      h('td', { class: 'mono' }, h('a', { href: pageUrl('case.html', { no: c.case_no }) }, c.case_no), h('div', { class: 'muted small' }, c.title)),
      h('td', null, deptName(depts(), c.dept)),
      h('td', { class: 'nowrap' }, c.due_date, c.days_left !== undefined ? h('div', { class: 'muted small' }, leftText(c.days_left)) : null),
      h('td', null, statusText(c)),
      h('td', { class: 'nowrap' }, fmtTime(c.created_at)))))));
}

function deptTable(board) {
  const rows = (board.departments || []).slice().sort((a, b) => b.tasks.red - a.tasks.red || b.cards.red - a.cards.red || b.tasks.yellow - a.tasks.yellow || a.dept.localeCompare(b.dept));
  if (!rows.length) return h('p', { class: 'notice notice-info', i18n: 'work.queue.emptyAll' });
  const LIGHTS = ['red', 'yellow', 'green', 'paused'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'board-depts' },
    h('thead', null, h('tr', null, h('th', { scope: 'col', i18n: 'work.col.dept' }), LIGHTS.map((l) => h('th', { scope: 'col' }, lightMark(l))),
      h('th', { scope: 'col', i18n: 'sv.col.cards' }), h('th', { scope: 'col', i18n: 'sv.col.cardStatus' }))),
    h('tbody', null, rows.map((d) => h('tr', { 'data-dept': d.dept },
      h('th', { scope: 'row' }, h('a', { href: pageUrl('supervision.html', { dept: d.dept }) }, deptName(depts(), d.dept, d.dept_name))),
      LIGHTS.map((l) => h('td', { class: `num${d.tasks[l] && (l === 'red' || l === 'yellow') ? ` cell-${l}` : ''}`, 'data-light': l }, String(d.tasks[l]))),
      h('td', { class: 'num', 'data-cards': `${d.cards.yellow}/${d.cards.red}` }, `${d.cards.yellow} / ${d.cards.red}`),
      h('td', { class: 'num' }, `${d.card_status.open} / ${d.card_status.answered} / ${d.card_status.escalated}`))))));
}

/* Per person: the open tasks by light and the open cards of the cases each
 * put in the queue (the accepting clerk ...), and today's decisions. */
function personTable(board) {
  const rows = (board.people || []).slice().sort((a, b) => b.tasks.red - a.tasks.red || b.cards.red - a.cards.red || b.tasks.yellow - a.tasks.yellow || a.dept.localeCompare(b.dept) || a.account_id - b.account_id);
  if (!rows.length) return null;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'board-people' },
    h('thead', null, h('tr', null, ['work.col.dept', 'sv.col.person', 'sv.col.personTasks', 'sv.col.cards', 'sv.col.decided'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, rows.map((r) => h('tr', { 'data-dept': r.dept, 'data-person': String(r.account_id) },
      h('td', null, deptName(depts(), r.dept)),
      h('th', { scope: 'row' }, r.account_id ? (r.name || T('sv.board.person', { id: r.account_id })) : T('sv.board.queue')),
      h('td', { class: 'num', 'data-tasks': `${r.tasks.red}/${r.tasks.yellow}/${r.tasks.green}` }, `${r.tasks.red} / ${r.tasks.yellow} / ${r.tasks.green}`),
      h('td', { class: 'num', 'data-cards': `${r.cards.yellow}/${r.cards.red}` }, `${r.cards.yellow} / ${r.cards.red}`),
      h('td', { class: 'num', 'data-decided': `${r.decided_today}/${r.late_today}` }, `${r.decided_today} / ${r.late_today}`))))));
}

function filters(dept) {
  const st = h('select', { name: 'status', id: 'f-status' }, ['active', 'open', 'answered', 'escalated', 'closed'].map((s) => h('option', { value: s, i18n: `sv.status.${s}` })));
  st.value = p.get('status') || 'active';
  const lv = h('select', { name: 'level', id: 'f-level' }, h('option', { value: '', i18n: 'sv.filter.all' }), ['yellow', 'red'].map((l) => h('option', { value: l, i18n: `sv.level.${l}` })));
  lv.value = p.get('level') || '';
  return h('form', { class: 'sv-filters', method: 'get', action: 'supervision.html', 'data-testid': 'card-filters' },
    dept ? h('input', { type: 'hidden', name: 'dept', value: dept }) : null,
    h('label', null, T('sv.filter.status'), st),
    h('label', null, T('sv.filter.level'), lv),
    h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'sv.filter.go' }));
}

async function listPage(account) {
  const all = hasRole(account, 'supervisor', 'chief_approver');
  const dept = all ? p.get('dept') || '' : '';
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  const prev = (p.get('prev') || '').split(',').filter((x) => /^\d+$/.test(x));
  const query = { status: p.get('status') || '', level: p.get('level') || '', dept };
  const [br, cr] = await Promise.all([
    all ? api.get(`/api/v1/supervision/board${api.qs({ dept })}`) : Promise.resolve(null),
    api.get(`/api/v1/supervision/cards${api.qs({ ...query, cursor })}`)]);
  const board = br && br.ok ? br.data : null;
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'sv.board.title' }),
      h('p', { class: 'muted', i18n: all ? 'sv.board.text' : 'sv.board.deptText' }),
      board ? h('p', { class: 'muted small', i18n: 'sv.board.today', args: { d: board.today } }) : null),
    all ? h('section', { class: 'panel', 'aria-labelledby': 'sv-lights' },
      h('h2', { id: 'sv-lights', i18n: 'sv.board.tasks' }),
      board ? [lightCounts(board.tasks), h('h3', { i18n: 'sv.board.byDept' }), deptTable(board),
        personTable(board) ? [h('h3', { i18n: 'sv.board.byPerson' }), h('p', { class: 'muted small', i18n: 'sv.board.personText' }), personTable(board)] : null]
        : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' })) : null,
    all && board ? h('section', { class: 'panel', 'aria-labelledby': 'sv-oldest' },
      h('h2', { id: 'sv-oldest', i18n: 'sv.board.oldest' }),
      board.oldest_cards.length ? cardTable(board.oldest_cards, 'oldest-cards') : h('p', { class: 'notice notice-info', 'data-testid': 'no-cards', i18n: 'sv.board.none' })) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'sv-cards' },
      h('h2', { id: 'sv-cards', i18n: 'sv.cards.title' }),
      filters(dept),
      cr.ok ? [cardTable(cr.data.items || []), cursorPager('supervision.html', query, cursor, prev, cr.data.next_cursor)]
        : h('p', { class: 'notice notice-error', role: 'alert', i18n: 'error.load' }))));
}

function actionForm(id, label, fieldName, labelKey, required, onSubmit, testid) {
  const alert = formAlert(`${testid}-alert`);
  const ta = h('textarea', { id: `${testid}-text`, name: fieldName, maxlength: 2000, required: required || null });
  const form = h('form', { class: 'sv-form', 'data-testid': testid, novalidate: true },
    alert, h('label', { for: `${testid}-text`, i18n: labelKey }), ta,
    h('div', { class: 'form-actions' }, label));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const btn = e.submitter || form.querySelector('button');
    form.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    const r = await onSubmit(btn ? btn.value : '', ta.value.trim());
    form.querySelectorAll('button').forEach((b) => { b.disabled = false; });
    if (!r.ok) return showAlert(alert, errorKey(r.error), null, r.error && r.error.message);
    location.replace(pageUrl('supervision.html', { card: id, done: 1 }));
    return null;
  });
  return form;
}

async function cardPage(account, id) {
  const r = await api.get(`/api/v1/supervision/cards/${encodeURIComponent(id)}`);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'notice notice-error', role: 'alert', 'data-testid': 'card-missing', i18n: r.status === 404 ? 'sv.card.missing' : 'error.load' }),
      h('p', null, h('a', { href: 'supervision.html', i18n: 'sv.card.back' }))));
    return;
  }
  const c = r.data;
  const row = (key, v) => (v === undefined || v === null || v === '' ? null : [h('dt', { i18n: key }), h('dd', null, v)]);
  const canAnswer = (c.status === 'open' || c.status === 'escalated') &&
    (hasRole(account, 'chief_approver') || (hasRole(account, 'reviewer') && account.dept === c.dept));
  const canDecide = hasRole(account, 'supervisor') && c.status !== 'closed' && c.status !== 'escalated';
  fill(main, h('div', { class: 'wrap page', 'data-testid': 'card', 'data-card': String(c.id), 'data-status': c.status },
    h('p', null, h('a', { href: 'supervision.html', i18n: 'sv.card.back' })),
    h('div', { class: 'page-head' }, h('h1', null, levelMark(c.level), ' ', c.title),
      h('p', { class: 'muted', 'data-testid': 'card-status' }, statusText(c))),
    p.get('done') ? h('p', { class: 'notice notice-ok', role: 'status', i18n: 'sv.decided' }) : null,
    h('section', { class: 'panel' }, h('dl', { class: 'dl-grid' },
      row('sv.card.case', h('a', { class: 'mono', href: pageUrl('case.html', { no: c.case_no }) }, c.case_no)),
      row('sv.card.task', `#${c.task_id}`),
      row('sv.card.dept', deptName(depts(), c.dept, c.dept_name)),
      row('sv.card.due', c.due_date),
      row('sv.card.left', c.days_left !== undefined ? leftText(c.days_left) : null),
      row('sv.card.taskClosed', c.task_closed ? '✓' : null),
      row('sv.card.answer', c.answer ? h('span', { 'data-testid': 'card-answer' }, c.answer) : null),
      row('sv.card.decision', c.decision_note || null))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'sv.card.history' }),
      h('ol', { class: 'sv-history', 'data-testid': 'card-history' }, (c.history || []).map((e) => h('li', { 'data-action': e.action },
        h('span', { class: 'when' }, fmtTime(e.at)), T(`sv.action.${e.action}`), ' · ', e.actor_name || T('sv.system'),
        e.note ? h('div', { class: 'muted' }, e.note) : null)))),
    canAnswer ? h('section', { class: 'panel' },
      actionForm(c.id, h('button', { type: 'submit', class: 'btn', i18n: 'sv.answer.do' }), 'explanation', 'sv.answer.label', true,
        (_, text) => api.post(`/api/v1/supervision/cards/${c.id}/answer`, { explanation: text }), 'answer-form')) : null,
    canDecide ? h('section', { class: 'panel' },
      actionForm(c.id, [
        c.status === 'answered' ? h('button', { type: 'submit', class: 'btn', value: 'accept', 'data-testid': 'accept', i18n: 'sv.accept.do' }) : null,
        h('button', { type: 'submit', class: 'btn btn-ghost', value: 'escalate', 'data-testid': 'escalate', i18n: 'sv.escalate.do' })],
      'note', 'sv.note.label', false,
      (which, text) => api.post(`/api/v1/supervision/cards/${c.id}/${which === 'accept' ? 'accept' : 'escalate'}`, text ? { note: text } : {}), 'decide-form')) : null));
}

const account = await initWork({ active: 'supervision', roles: ['supervisor', 'chief_approver', 'reviewer'] });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const id = p.get('card');
  if (id && /^\d+$/.test(id)) await cardPage(account, id);
  else await listPage(account);
}
