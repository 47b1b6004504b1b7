// work/cases.js - workbench/cases.html?status= : cases, newest first.  For the
// window clerk the intake queue (待受理: GET /api/v1/cases?status=submitted) is
// the first tab; the chief and supervisors see every case, reviewers their
// department's.  Applicants' ID numbers are masked by the server.
import { h, fill, params, pageUrl } from '../dom.js';
import * as api from '../api.js';
import { initWork, hasRole, caseTable, cursorPager } from '../work-layout.js';

const main = document.getElementById('main');
const p = params();
const TABS = ['submitted', 'on_hold', 'supplement_requested', 'accepted', 'approved', 'denied', 'not_accepted', 'withdrawn', 'all'];

const account = await initWork({ active: 'cases', roles: ['window_clerk', 'chief_approver', 'supervisor', 'reviewer'] });
if (account) {
  const clerk = hasRole(account, 'window_clerk');
  let status = p.get('status') || (clerk ? 'submitted' : 'all');
  if (!TABS.includes(status)) status = 'all';
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  const prev = (p.get('prev') || '').split(',').filter((x) => /^\d+$/.test(x));
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const r = await api.get(`/api/v1/cases${api.qs({ status: status === 'all' ? '' : status, limit: 20, cursor })}`);
  const tabs = h('nav', { class: 'chips work-tabs', i18nAttr: 'aria-label:cases.filter' },
    TABS.map((s) => h('a', { href: pageUrl('cases.html', { status: s }), 'aria-current': s === status ? 'page' : null, 'data-status': s, i18n: s === 'all' ? 'cases.all' : `work.tab.${s}` })));
  const items = r.ok ? r.data.items || [] : [];
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head page-head-row' },
      h('h1', { i18n: clerk && status === 'submitted' ? 'work.intake.title' : 'work.cases.title' }),
      clerk ? h('a', { class: 'btn', href: 'window.html', i18n: 'work.card.window.go' }) : null),
    tabs,
    r.ok ? caseTable(items, { testid: 'case-table', empty: status === 'submitted' ? 'work.intake.empty' : 'work.cases.empty' })
      : h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { i18n: 'error.load' })),
    r.ok ? cursorPager('cases.html', { status }, cursor, prev, r.data.next_cursor) : null));
}
