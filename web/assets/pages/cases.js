// cases.js - cases.html?status=&cursor= : 我的办件, the applicant's cases (and
// those of companies that made them their agent), newest first, with the
// status and the clock (light, working days left, due date), a page at a time.
import { h, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, loginHref } from '../layout.js';
import * as api from '../api.js';
import { statusBadge, clockLine, fmtTime, STATUSES } from '../casefmt.js';

const main = document.getElementById('main');
const p = params();
const PAGE = 10;
const FILTERS = ['', 'draft', 'submitted', 'on_hold', 'supplement_requested', 'accepted', 'approved', 'denied', 'not_accepted', 'withdrawn'];

function link(k) {
  return k.status === 'draft' ? pageUrl('apply.html', { case: k.case_no }) : pageUrl('case.html', { no: k.case_no });
}

function row(k, account) {
  return h('li', { class: 'case-row', 'data-case': k.case_no, 'data-status': k.status },
    h('div', { class: 'case-row-main' },
      h('h2', { class: 'case-row-title' }, h('a', { href: link(k) }, k.title)),
      h('p', { class: 'case-row-meta muted' },
        h('span', { class: 'mono' }, k.case_no), ' · ',
        k.kind === 'bundle' ? [h('span', { class: 'badge badge-type', i18n: 'nav.bundles' }), ' · '] : null,
        k.applicant_name && k.applicant_name !== account.name ? [h('span', { class: 'case-row-for' }, k.applicant_name), ' · '] : null,
        h('span', { i18n: 'cases.created', args: { t: fmtTime(k.created_at) } }))),
    h('div', { class: 'case-row-side' },
      statusBadge(k.status),
      k.status !== 'draft' ? clockLine(k.clock) : h('a', { class: 'case-row-continue', href: link(k), i18n: 'cases.continue' })));
}

async function render(account) {
  const status = STATUSES.includes(p.get('status')) ? p.get('status') : '';
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  const prev = (p.get('prev') || '').split(',').filter((x) => /^\d+$/.test(x));
  const r = await api.get(`/api/v1/cases${api.qs({ status, limit: PAGE, cursor })}`);
  const chips = h('nav', { class: 'chips case-filters', i18nAttr: 'aria-label:cases.filter' },
    FILTERS.map((s) => h('a', { href: pageUrl('cases.html', { status: s }), 'aria-current': s === status ? 'page' : null, i18n: s ? `case.status.${s}` : 'cases.all' })));
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, h('h1', { i18n: 'cases.title' }), failure(r)));
    return;
  }
  const list = r.data.items || [];
  const pager = h('nav', { class: 'pager', i18nAttr: 'aria-label:search.pager' },
    h('div', { class: 'pager-links' },
      cursor ? h('a', { class: 'btn btn-ghost', 'data-testid': 'prev', href: pageUrl('cases.html', { status, cursor: prev[prev.length - 1] || '', prev: prev.slice(0, -1).join(',') }), i18n: 'search.prev' }) : null,
      r.data.next_cursor ? h('a', { class: 'btn btn-ghost', 'data-testid': 'next', href: pageUrl('cases.html', { status, cursor: r.data.next_cursor, prev: cursor ? [...prev, cursor].join(',') : '' }), i18n: 'search.next' }) : null));
  fill(main, h('div', { class: 'wrap page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null, h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })), h('li', { 'aria-current': 'page', i18n: 'cases.title' }))),
    h('div', { class: 'page-head page-head-row' },
      h('h1', { i18n: 'cases.title' }),
      h('a', { class: 'btn btn-ghost', href: 'search.html', i18n: 'cases.new' })),
    chips,
    list.length
      ? h('ul', { class: 'case-list', 'data-testid': 'case-list' }, list.map((k) => row(k, account)))
      : h('div', { class: 'notice notice-info', 'data-testid': 'cases-empty' }, h('p', { i18n: status ? 'cases.emptyStatus' : 'cases.empty' }),
        h('p', null, h('a', { href: 'search.html', i18n: 'cases.new' }))),
    cursor || r.data.next_cursor ? pager : null));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: '' });
if (!account) location.replace(loginHref());
else if (account.kind === 'staff') location.replace('workbench/index.html');
else await render(account);
