// licenses.js - licenses.html : 我的证照, the holder's e-license wallet (a
// person's or a company's): every license with its type, issuing department,
// state (有效 / 已暂停 / 已吊销 / 已过期) and validity, each opening its page
// (license.html?id=).  Licenses arrive when a case whose item produces one is
// approved, or from the issuing department directly.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, loginHref } from '../layout.js';
import * as api from '../api.js';
import { licBadge, licState, validity, licenseTypes, typeName, issuerName } from '../licfmt.js';

const main = document.getElementById('main');
const p = params();
const PAGE = 50;

function card(lic, types, depts) {
  const st = licState(lic);
  return h('li', { class: `lic-card lic-card-${st}`, 'data-license': lic.id, 'data-type': lic.type, 'data-state': st },
    h('div', { class: 'lic-card-main' },
      h('h2', { class: 'lic-card-title' }, h('a', { href: pageUrl('license.html', { id: lic.id }) }, typeName(types, lic.type, lic.type_name))),
      h('p', { class: 'lic-card-issuer muted' }, issuerName(depts, lic.issuer_dept, lic.issuer_name)),
      h('p', { class: 'lic-card-validity' }, h('span', { class: 'fact-label', i18n: 'lic.validity' }), ' ', validity(lic)),
      h('p', { class: 'lic-card-id mono small muted' }, lic.id),
      lic.status_reason && st !== 'valid' ? h('p', { class: 'small lic-card-reason' }, h('span', { i18n: 'lic.statusReason' }), '：', lic.status_reason) : null),
    h('div', { class: 'lic-card-side' }, licBadge(lic)));
}

async function render(account) {
  const cursor = /^\d+$/.test(p.get('cursor') || '') ? p.get('cursor') : '';
  const [r, types, d] = await Promise.all([api.get(`/api/v1/licenses${api.qs({ limit: PAGE, cursor })}`), licenseTypes(), api.departments()]);
  const depts = d.ok ? d.data.items : [];
  const head = [
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null, h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })), h('li', { 'aria-current': 'page', i18n: 'wallet.title' }))),
    h('div', { class: 'page-head' },
      h('h1', { i18n: 'wallet.title' }),
      h('p', { i18n: account.kind === 'enterprise' ? 'wallet.intro.enterprise' : 'wallet.intro.person', args: { name: account.name } })),
  ];
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, head, failure(r)));
    return;
  }
  const list = r.data.items || [];
  const counts = {};
  for (const lic of list) counts[licState(lic)] = (counts[licState(lic)] || 0) + 1;
  fill(main, h('div', { class: 'wrap page wallet-page' },
    head,
    list.length ? h('p', { class: 'wallet-summary', 'data-testid': 'wallet-summary' },
      T('wallet.count', { n: list.length }),
      ['valid', 'suspended', 'revoked', 'expired'].filter((s) => counts[s]).map((s) => [' · ', h('span', { class: `lic-count lic-count-${s}` }, T(`lic.state.${s}`), ' ', String(counts[s]))])) : null,
    list.length
      ? h('ul', { class: 'lic-list', 'data-testid': 'wallet' }, list.map((lic) => card(lic, types, depts)))
      : h('div', { class: 'notice notice-info', 'data-testid': 'wallet-empty' },
        h('p', { i18n: 'wallet.empty' }),
        h('p', null, h('a', { href: 'search.html', i18n: 'cases.new' }))),
    cursor || r.data.next_cursor ? h('nav', { class: 'pager', i18nAttr: 'aria-label:search.pager' }, h('div', { class: 'pager-links' },
      cursor ? h('a', { class: 'btn btn-ghost', href: pageUrl('licenses.html', { cursor: Math.max(0, Number(cursor) - PAGE) || '' }), i18n: 'search.prev' }) : null,
      r.data.next_cursor ? h('a', { class: 'btn btn-ghost', href: pageUrl('licenses.html', { cursor: r.data.next_cursor }), i18n: 'search.next' }) : null)) : null,
    h('aside', { class: 'panel wallet-help' },
      h('h2', { i18n: 'wallet.help.title' }),
      h('ul', null,
        h('li', { i18n: 'wallet.help.reuse' }),
        h('li', { i18n: 'wallet.help.grant' }),
        h('li', null, T('wallet.help.verify'), ' ', h('a', { href: 'verify.html', i18n: 'verify.title' }))))));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: 'licenses' });
if (!account) location.replace(loginHref());
else if (account.kind === 'staff') location.replace('workbench/licenses.html');
else await render(account);
