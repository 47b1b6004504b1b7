// applybox.js - the "在线办理" box of a guide page (item.html, bundle.html): a
// button to the application wizard for the right kind of account (a person for
// personal items; a company, or a person the company made its agent, for
// company items), a login link that comes back to the wizard, or a word on why
// this account cannot apply here.
import { h, T, pageUrl } from './dom.js';

/**
 * target: 'person' | 'enterprise'; applyUrl: apply.html?item=… ; online: whether
 * online application is offered (online level 3 or 4; bundles always); need:
 * the real-name level (实名认证等级) the item requires, shown beside the
 * account's own before they start, with how to raise it when it is too low.
 */
export function applyBox(target, applyUrl, account, online = true, need = 0) {
  let body;
  if (!online) {
    body = h('p', { class: 'muted', 'data-testid': 'apply-offline', i18n: 'apply.offline' });
  } else if (!account) {
    body = [
      h('p', { i18n: 'apply.loginFirst' }),
      h('p', null, h('a', { class: 'btn', href: pageUrl('login.html', { next: applyUrl }), 'data-testid': 'apply-login', i18n: 'item.apply.login' })),
    ];
  } else if (account.kind === 'staff') {
    body = [
      h('p', { class: 'muted', i18n: 'apply.staff' }),
      h('p', null, h('a', { class: 'btn btn-ghost', href: `workbench/window.html${applyUrl.slice(applyUrl.indexOf('?'))}`, 'data-testid': 'apply-window', i18n: 'apply.toWorkbench' })),
    ];
  } else {
    const agent = target === 'enterprise' && account.kind === 'person' && Array.isArray(account.agent_for) && account.agent_for.length > 0;
    const ok = target === account.kind || agent || !target;
    const have = Number(account.profile && account.profile.realname_level) || 0;
    const levels = ok && need > 0 && !agent ? h('p', { class: 'realname-levels', 'data-testid': 'realname-levels' }, T('apply.levels', { need, have })) : null;
    if (!ok) {
      body = h('p', { class: 'notice notice-info', 'data-testid': 'apply-wrong-kind', i18n: target === 'enterprise' ? 'apply.wrongKind.enterprise' : 'apply.wrongKind.person' });
    } else if (levels && have < need) {
      /* no dead end after 在线办理: how to raise the level, where and when */
      body = [levels,
        h('div', { class: 'notice notice-info', 'data-testid': 'apply-realname-how' },
          h('p', { i18n: 'apply.realname.raise', args: { need } }),
          h('p', { i18n: 'footer.address' }),
          h('p', { i18n: 'footer.hours' }),
          h('p', { i18n: 'apply.realname.window' }))];
    } else {
      body = [levels,
        agent ? h('p', { class: 'muted', i18n: 'apply.asAgent' }) : h('p', { class: 'muted', i18n: 'apply.ready' }),
        h('p', null, h('a', { class: 'btn btn-apply', href: applyUrl, 'data-testid': 'apply-online' }, T('apply.online')))];
    }
  }
  return body;
}
