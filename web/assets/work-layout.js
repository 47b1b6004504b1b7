// work-layout.js - what every workbench page (web/workbench/*.html) shares:
// the staff header (navigation by role, who is logged in and in which
// department, language switch, logout), the login gate (staff only), and small
// helpers for roles, departments and lists of cases.
import { h, T, fill, pageUrl } from './dom.js';
import { apply, getLang, setLang, t } from './i18n.js';
import * as api from './api.js';
import { statusBadge, clockLine, fmtTime, deptName, channel, lightMark } from './casefmt.js';

/** [key, page, label, roles that see it (null: everyone)] */
const NAV = [
  ['home', 'index.html', 'work.nav.home', null],
  ['cases', 'cases.html', 'work.nav.cases', ['window_clerk', 'chief_approver', 'supervisor', 'reviewer']],
  ['window', 'window.html', 'work.nav.window', ['window_clerk']],
  ['queue', 'queue.html', 'work.nav.queue', ['reviewer', 'chief_approver', 'supervisor']],
  ['overview', 'overview.html', 'work.nav.overview', ['supervisor', 'chief_approver']],
  ['licenses', 'licenses.html', 'work.nav.licenses', ['reviewer', 'data_officer', 'chief_approver', 'admin']],
  // ---- sso ----
  ['clients', 'clients.html', 'work.nav.clients', ['admin']],
  // ---- datahub ----
  ...(await import('./i18n-datahub.js')).workNav,
  // ---- supervision ----
  ...(await import('./i18n-supervision.js')).WORK_NAV,
  // ---- services ----
  ...(await import('./i18n-services.js')).WORK_NAV,
  // ---- hotline ----
  ['hotline', 'hotline.html', 'work.nav.hotline', ['hotline_operator', 'reviewer', 'chief_approver', 'supervisor']],
  ['grid', 'grid.html', 'work.nav.grid', ['grid_worker', 'hotline_operator', 'supervisor', 'reviewer', 'chief_approver']],
  // ---- payments ----
  ['payments', 'payments.html', 'work.nav.payments', ['window_clerk', 'finance']],
  // ---- selfservice ----
  ...(await import('./i18n-selfservice.js')).WORK_NAV,
  // ---- catalog ----
  ...(await import('./i18n-catalog.js')).WORK_NAV,
];

export const hasRole = (account, ...roles) => !!account && roles.some((r) => (account.roles || []).includes(r));

let departments = [];
export const depts = () => departments;

function header(account, active) {
  const langBtn = h('button', {
    type: 'button', class: 'lang-toggle', i18n: 'lang.switch', i18nAttr: 'aria-label:lang.switch.label;title:lang.switch.label', 'data-testid': 'lang-toggle',
  });
  langBtn.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  const out = h('button', { type: 'button', class: 'linkish', i18n: 'account.logout', 'data-testid': 'logout' });
  out.addEventListener('click', async () => {
    out.disabled = true;
    await api.logout();
    location.href = '../login.html';
  });
  const nav = NAV.filter(([, , , roles]) => !roles || hasRole(account, ...roles));
  return [
    h('div', { class: 'work-top' },
      h('div', { class: 'wrap work-top-inner' },
        h('a', { class: 'work-brand', href: 'index.html' },
          h('img', { src: '../assets/logo.svg', alt: '', width: 32, height: 32 }),
          h('span', null, h('span', { class: 'work-brand-name', i18n: 'site.name' }), h('span', { class: 'work-brand-sub', i18n: 'work.brand' }))),
        h('div', { class: 'work-user', id: 'work-user' },
          account ? [
            h('span', { class: 'work-user-name', 'data-testid': 'work-user' }, account.name),
            account.dept ? h('span', { class: 'work-user-dept' }, deptName(departments, account.dept)) : null,
            h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
            h('a', { href: '../index.html', class: 'work-portal', i18n: 'work.portal' }),
            h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
            out] : null,
          langBtn))),
    account ? h('nav', { class: 'work-nav', i18nAttr: 'aria-label:nav.label' },
      h('div', { class: 'wrap' }, h('ul', null, nav.map(([key, href, label]) => h('li', null,
        h('a', { href, i18n: label, 'aria-current': key === active ? 'page' : null })))))) : null,
  ];
}

/**
 * Start a workbench page.  Resolves to the staff account, or null after sending
 * a visitor to the login page (or telling an applicant this is for staff).
 */
export async function initWork(opts = {}) {
  if (!document.querySelector('.skip-link')) document.body.prepend(h('a', { class: 'skip-link', href: '#main', i18n: 'skip' }));
  const hd = document.getElementById('site-header');
  const main = document.getElementById('main');
  apply(document);
  const [account, d] = await Promise.all([api.me(), api.departments()]);
  departments = d.ok ? d.data.items : [];
  if (hd) fill(hd, header(account && account.kind === 'staff' ? account : null, opts.active));
  apply(document);
  if (!account) {
    const here = `workbench/${location.pathname.replace(/^.*\//, '') || 'index.html'}${location.search}`;
    location.replace(`../login.html?next=${encodeURIComponent(here)}`);
    return null;
  }
  if (account.kind !== 'staff') {
    fill(main, h('div', { class: 'wrap page' }, h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'not-staff' },
      h('p', { i18n: 'work.notStaff' }), h('p', null, h('a', { href: '../index.html', i18n: 'back.home' })))));
    return null;
  }
  if (opts.roles && !hasRole(account, ...opts.roles)) {
    fill(main, h('div', { class: 'wrap page' }, h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'no-role' },
      h('p', { i18n: 'work.noRole' }), h('p', null, h('a', { href: 'index.html', i18n: 'work.nav.home' })))));
    return null;
  }
  return account;
}

export function setWorkTitle(extra) {
  document.title = `${extra ? `${extra} - ` : ''}${t(document.body.getAttribute('data-title') || 'title.work')} - ${t('site.name')}`;
}

/** A department <select>: every department, "all" first when allowAll. */
export function deptSelect(id, opts = {}) {
  const sel = h('select', { id, name: id });
  if (opts.allowAll) sel.append(h('option', { value: '', i18n: 'work.allDepts' }));
  else sel.append(h('option', { value: '', i18n: 'apply.choose' }));
  for (const d of departments) {
    if (opts.exclude && opts.exclude.includes(d.code)) continue;
    sel.append(h('option', { value: d.code, 'data-zh': d.name, 'data-en': d.name_en || d.name }, getLang() === 'en' && d.name_en ? d.name_en : d.name));
  }
  if (opts.value !== undefined) sel.value = opts.value;
  return sel;
}

/** A table of cases (GET /api/v1/cases items), each linking to the workbench case page. */
export function caseTable(all, opts = {}) {
  /* an applicant's unsubmitted draft is not the office's business (the API lists them to staff too) */
  const list = all.filter((k) => k.status !== 'draft');
  if (!list.length) return h('p', { class: 'notice notice-info', 'data-testid': opts.emptyTestid || 'cases-empty', i18n: opts.empty || 'work.cases.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': opts.testid || 'case-table' },
    h('thead', null, h('tr', null,
      ['work.col.caseNo', 'work.col.title', 'work.col.applicant', 'work.col.channel', 'work.col.created', 'work.col.status', 'work.col.clock']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, list.map((k) => h('tr', { 'data-case': k.case_no, 'data-status': k.status },
      h('td', { class: 'mono', 'data-label': t('work.col.caseNo') }, h('a', { href: pageUrl('case.html', { no: k.case_no }) }, k.case_no)),
      h('td', null, k.title, k.kind === 'bundle' ? [' ', h('span', { class: 'badge badge-type', i18n: 'nav.bundles' })] : null,
        k.dept ? h('div', { class: 'muted small' }, deptName(departments, k.dept)) : null),
      h('td', null, k.applicant_name, h('div', { class: 'muted mono small' }, k.applicant_ident)),
      h('td', null, channel(k.channel)),
      h('td', null, fmtTime(k.created_at)),
      h('td', null, statusBadge(k.status)),
      h('td', null, clockLine(k.clock)))))));
}

/** Pager links for cursor paging: prev keeps the cursors seen so far in ?prev=. */
export function cursorPager(page, query, cursor, prev, next) {
  if (!cursor && !next) return null;
  return h('nav', { class: 'pager', i18nAttr: 'aria-label:search.pager' }, h('div', { class: 'pager-links' },
    cursor ? h('a', { class: 'btn btn-ghost btn-sm', 'data-testid': 'prev', href: pageUrl(page, { ...query, cursor: prev[prev.length - 1] || '', prev: prev.slice(0, -1).join(',') }), i18n: 'search.prev' }) : null,
    next ? h('a', { class: 'btn btn-ghost btn-sm', 'data-testid': 'next', href: pageUrl(page, { ...query, cursor: next, prev: cursor ? [...prev, cursor].join(',') : '' }), i18n: 'search.next' }) : null));
}

/** An applicant's whole record (GET /api/v1/accounts/{id}, audited). */
export function accountRecord(a) {
  const p = a.profile || {};
  const row = (key, v, mono) => (v ? [h('dt', { i18n: key }), h('dd', { class: mono ? 'mono' : null }, v)] : null);
  return h('dl', { class: 'dl-grid record' },
    row('me.name', a.name),
    row('me.kind', T(`me.kind.${a.kind}`)),
    row('me.id_number', p.id_number, true),
    row('me.uscc', p.uscc, true),
    row('me.sex', p.sex ? T(`sex.${p.sex}`) : null),
    row('me.birth', p.birth_date),
    row('me.legal_rep_name', p.legal_rep_name),
    row('me.legal_rep_id', p.legal_rep_id, true),
    row('me.phone', a.phone, true),
    row('me.realname', p.realname_level ? T('item.realnameLevel', { n: p.realname_level }) : null));
}

/* ---- review tasks (GET /api/v1/tasks items) ---- */

const LIGHTS = ['red', 'yellow', 'green', 'paused'];

function daysLeft(tk) {
  if (tk.status !== 'pending') return '';
  if (tk.light === 'paused') return T('clock.light.paused');
  const n = Number(tk.days_left) || 0;
  if (n < 0) return T('clock.overdue', { n: -n });
  if (n === 0) return T('clock.dueToday');
  return T('clock.left', { n });
}

export function taskTable(items, opts = {}) {
  if (!items.length) return h('p', { class: 'notice notice-info', 'data-testid': 'queue-empty', i18n: opts.empty || 'work.queue.empty' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table queue-table', 'data-testid': 'queue' },
    h('thead', null, h('tr', null, ['work.col.light', 'work.col.caseNo', 'work.col.title', 'work.col.applicant', 'work.col.dept', 'work.col.kind', 'work.col.due', 'work.col.left']
      .map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((tk) => h('tr', { 'data-task': String(tk.id), 'data-case': tk.case_no, 'data-light': tk.light, 'data-dept': tk.dept, class: `row-${tk.light}` },
      h('td', null, lightMark(tk.light)),
      h('td', { class: 'mono' }, h('a', { href: pageUrl('case.html', { no: tk.case_no }) }, tk.case_no)),
      h('td', null, tk.title, tk.in_bundle ? [' ', h('span', { class: 'badge badge-type', i18n: 'nav.bundles' })] : null),
      h('td', null, tk.applicant_name, h('div', { class: 'muted mono small' }, tk.applicant_ident)),
      h('td', null, deptName(departments, tk.dept)),
      h('td', { class: 'nowrap', i18n: `task.kind.${tk.kind}` }),
      h('td', { class: 'nowrap' }, tk.due_date || ''),
      h('td', null, daysLeft(tk)))))));
}

/** Pending tasks by light, from GET /api/v1/tasks/stats (every task, not a page of them). */
export function lightCounts(stats) {
  return h('ul', { class: 'light-counts', 'data-testid': 'light-counts' }, LIGHTS.map((l) => h('li', { 'data-light': l }, lightMark(l), h('strong', null, String(stats?.[l] ?? 0)))));
}
