// work/index.js - workbench/index.html: where staff land after logging in.  A
// card per job the account's roles allow, with what is waiting: the window's
// cases to accept, the department's review queue by light, the supervisor's
// overview.
import { h, T, fill, pageUrl } from '../dom.js';
import * as api from '../api.js';
import { initWork, hasRole, depts } from '../work-layout.js';
import { lightMark, deptName } from '../casefmt.js';

const main = document.getElementById('main');

function card(testid, titleKey, textKey, href, linkKey, extra) {
  return h('section', { class: 'panel work-card', 'data-testid': testid },
    h('h2', { i18n: titleKey }),
    h('p', { class: 'muted', i18n: textKey }),
    extra || null,
    h('p', null, h('a', { class: 'btn', href, i18n: linkKey })));
}

async function count(path) {
  const r = await api.get(path);
  if (!r.ok) return null;
  const n = (r.data.items || []).length;
  return { n, more: !!r.data.next_cursor };
}

function lights(items) {
  const by = { green: 0, yellow: 0, red: 0, paused: 0 };
  for (const it of items) if (by[it.light] !== undefined) by[it.light]++;
  return h('ul', { class: 'light-counts' }, Object.entries(by).map(([l, n]) => h('li', { 'data-light': l }, lightMark(l), h('strong', null, String(n)))));
}

const account = await initWork({ active: 'home' });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  const cards = [];
  if (hasRole(account, 'window_clerk')) {
    const [sub, supp] = await Promise.all([count('/api/v1/cases?status=submitted&limit=100'), count('/api/v1/cases?status=supplement_requested&limit=100')]);
    cards.push(card('card-intake', 'work.card.intake', 'work.card.intake.text', pageUrl('cases.html', { status: 'submitted' }), 'work.card.intake.go',
      h('p', { class: 'work-count' },
        h('span', { i18n: 'work.count.submitted', args: { n: sub ? `${sub.n}${sub.more ? '+' : ''}` : '-' } }), ' · ',
        h('span', { i18n: 'work.count.supplement', args: { n: supp ? `${supp.n}${supp.more ? '+' : ''}` : '-' } }))));
    cards.push(card('card-window', 'work.card.window', 'work.card.window.text', 'window.html', 'work.card.window.go'));
  }
  if (hasRole(account, 'reviewer', 'chief_approver')) {
    const mine = hasRole(account, 'chief_approver') ? '' : account.dept;
    const r = await api.get(`/api/v1/tasks${api.qs({ dept: mine, limit: 200 })}`);
    const items = r.ok ? r.data.items || [] : [];
    cards.push(card('card-queue', hasRole(account, 'chief_approver') ? 'work.card.chief' : 'work.card.queue',
      hasRole(account, 'chief_approver') ? 'work.card.chief.text' : 'work.card.queue.text', 'queue.html', 'work.card.queue.go',
      [h('p', { class: 'work-count' }, h('span', { i18n: 'work.count.tasks', args: { n: items.length } }),
        !hasRole(account, 'chief_approver') && account.dept ? [' · ', deptName(depts(), account.dept)] : null), lights(items)]));
  }
  if (hasRole(account, 'supervisor')) {
    cards.push(card('card-overview', 'work.card.overview', 'work.card.overview.text', 'overview.html', 'work.card.overview.go'));
  }
  if (hasRole(account, 'reviewer', 'data_officer', 'chief_approver', 'admin')) {
    cards.push(card('card-licenses', 'work.card.licenses', hasRole(account, 'admin') ? 'work.card.licenses.textAdmin' : 'work.card.licenses.text', 'licenses.html', 'work.card.licenses.go',
      account.dept && !hasRole(account, 'admin') ? h('p', { class: 'work-count' }, deptName(depts(), account.dept)) : null));
  }
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' },
      h('h1', { 'data-testid': 'work-title' }, T('work.hello', { name: account.name })),
      h('p', { class: 'muted' }, (account.roles || []).map((r) => T(`role.${r}`)).flatMap((x, i) => (i ? [T('list.sep'), x] : [x])),
        account.dept ? [' · ', deptName(depts(), account.dept)] : null)),
    cards.length ? h('div', { class: 'work-cards' }, cards) : h('p', { class: 'notice notice-info', i18n: 'work.noRole' })));
}
