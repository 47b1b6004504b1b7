// layout.js - what every page shares: the header (site name, navigation,
// login state, language switch), the footer, and page start-up.
//
// A page's HTML holds <header id="site-header">, <main id="main"> and
// <footer id="site-footer">; its module calls initPage() first.
import { h, T, fill } from './dom.js';
import { apply, getLang, setLang, t } from './i18n.js';
import * as api from './api.js';

const NAV = [
  ['home', 'index.html', 'nav.home'],
  ['person', 'search.html?target=person', 'nav.person'],
  ['enterprise', 'search.html?target=enterprise', 'nav.enterprise'],
  ['depts', 'depts.html', 'nav.depts'],
  ['bundles', 'index.html#bundles', 'nav.bundles'],
  // ---- sso ----
  // ---- datahub ----
  ...(await import('./i18n-datahub.js')).portalNav,
  // ---- supervision ----
  ...(await import('./i18n-supervision.js')).NAV,
  // ---- services ----
  ...(await import('./i18n-services.js')).NAV,
  // ---- hotline ----
  ['hotline', 'hotline.html', 'nav.hotline'],
  // ---- payments ----
  // ---- selfservice ----
];
await import('./i18n-auditlog.js'); // ---- auditlog ---- (the footer's link)

function langButton() {
  const b = h('button', {
    type: 'button',
    class: 'lang-toggle',
    i18n: 'lang.switch',
    i18nAttr: 'aria-label:lang.switch.label;title:lang.switch.label',
    lang: getLang() === 'en' ? 'zh-CN' : 'en',
    'data-testid': 'lang-toggle',
  });
  b.addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  document.addEventListener('ywtb:lang', () => b.setAttribute('lang', getLang() === 'en' ? 'zh-CN' : 'en'));
  return b;
}

/* 长辈版 (elderly-friendly mode): large text, larger controls, high contrast;
 * kept across pages in localStorage and applied before the header is drawn */
const ELDER_KEY = 'ywtb.elder';
function elderOn() {
  try {
    return localStorage.getItem(ELDER_KEY) === '1';
  } catch {
    return false;
  }
}
document.documentElement.classList.toggle('elder', elderOn());

function elderButton() {
  const b = h('button', {
    type: 'button',
    class: 'elder-toggle',
    'aria-pressed': elderOn() ? 'true' : 'false',
    i18n: elderOn() ? 'elder.off' : 'elder.on',
    i18nAttr: 'title:elder.label',
    'data-testid': 'elder-toggle',
  });
  b.addEventListener('click', () => {
    const on = !document.documentElement.classList.contains('elder');
    document.documentElement.classList.toggle('elder', on);
    try {
      localStorage.setItem(ELDER_KEY, on ? '1' : '0');
    } catch {
      /* not kept */
    }
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
    b.setAttribute('data-i18n', on ? 'elder.off' : 'elder.on');
    b.textContent = t(on ? 'elder.off' : 'elder.on');
  });
  return b;
}

function accountArea(account) {
  const box = h('div', { class: 'account', id: 'account-area' });
  if (!account) {
    fill(box,
      h('a', { href: loginHref(), class: 'account-link', i18n: 'account.login' }),
      h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
      h('a', { href: 'register.html', class: 'account-link', i18n: 'account.register' }));
    return box;
  }
  const out = h('button', { type: 'button', class: 'linkish', i18n: 'account.logout', 'data-testid': 'logout' });
  out.addEventListener('click', async () => {
    out.disabled = true;
    await api.logout();
    location.href = 'index.html';
  });
  const staff = account.kind === 'staff';
  fill(box,
    h('a', { href: staff ? 'workbench/index.html' : 'cases.html', class: 'account-link account-cases', 'data-testid': staff ? 'to-workbench' : 'my-cases', i18n: staff ? 'account.workbench' : 'account.cases' }),
    h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
    h('a', { href: 'me.html', class: 'account-link account-name', 'data-testid': 'account-name', title: account.name },
      T('account.greeting', { name: account.name })),
    h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
    out);
  return box;
}

/** login.html with a way back to this page. */
export function loginHref() {
  const here = location.pathname.replace(/^.*\//, '') + location.search;
  if (!here || /^(login|register)\.html/.test(here) || here === 'index.html') return 'login.html';
  return `login.html?next=${encodeURIComponent(here)}`;
}

function header(active) {
  const nav = h('ul', { class: 'nav-list' },
    NAV.map(([key, href, label]) => h('li', null,
      h('a', { href, i18n: label, 'aria-current': key === active ? 'page' : null }))));
  return [
    h('div', { class: 'topbar' },
      h('div', { class: 'wrap topbar-inner' },
        h('span', { class: 'topbar-gov', i18n: 'site.sub' }),
        h('div', { class: 'topbar-tools' }, h('div', { class: 'account', id: 'account-area' }), elderButton(), langButton()))),
    h('div', { class: 'masthead' },
      h('div', { class: 'wrap masthead-inner' },
        h('a', { class: 'brand', href: 'index.html' },
          h('img', { src: 'assets/logo.svg', alt: '', width: 44, height: 44, class: 'brand-logo' }),
          h('span', { class: 'brand-text' },
            h('span', { class: 'brand-name', i18n: 'site.name' }),
            h('span', { class: 'brand-slogan', i18n: 'site.slogan' }))))),
    h('nav', { class: 'mainnav', i18nAttr: 'aria-label:nav.label' }, h('div', { class: 'wrap' }, nav)),
  ];
}

function footer() {
  return h('div', { class: 'wrap footer-inner' },
    h('ul', { class: 'footer-links' },
      h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
      h('li', null, h('a', { href: 'depts.html', i18n: 'nav.depts' })),
      h('li', null, h('a', { href: 'register.html', i18n: 'account.register' })),
      h('li', null, h('a', { href: 'figures.html', 'data-testid': 'footer-figures', i18n: 'sup.link.figures' })),
      h('li', null, h('a', { href: 'mycredit.html', 'data-testid': 'footer-mycredit', i18n: 'sup.link.mycredit' })),
      // ---- auditlog ----
      h('li', null, h('a', { href: 'auditlog.html', 'data-testid': 'footer-auditlog', i18n: 'al.link' })),
      h('li', null, h('a', { href: '/api/v1/openapi.json', i18n: 'footer.api' }))),
    h('p', { i18n: 'footer.hotline' }),
    h('p', { i18n: 'footer.address' }),
    h('p', { i18n: 'footer.hours' }),
    h('p', { class: 'footer-org', i18n: 'footer.org' }),
    h('p', { class: 'footer-note', i18n: 'footer.note' }));
}

/**
 * Start a page: header, footer, translations, login state.
 * opts.active: which navigation entry is current.  Resolves to the account or null.
 */
export async function initPage(opts = {}) {
  const hd = document.getElementById('site-header');
  const ft = document.getElementById('site-footer');
  if (!document.querySelector('.skip-link')) {
    document.body.prepend(h('a', { class: 'skip-link', href: '#main', i18n: 'skip' }));
  }
  if (hd) fill(hd, header(opts.active));
  if (ft) fill(ft, footer());
  apply(document);
  const account = await api.me();
  const area = document.getElementById('account-area');
  if (area) area.replaceWith(accountArea(account));
  /* a holder's e-license wallet, for persons and companies */
  const list = hd && hd.querySelector('.nav-list');
  if (list && account && account.kind !== 'staff') {
    const a = h('a', { href: 'licenses.html', i18n: 'nav.licenses', 'data-testid': 'nav-licenses', 'aria-current': opts.active === 'licenses' ? 'page' : null });
    list.append(h('li', { class: 'nav-mine' }, a));
  }
  return account;
}

/** Set the extra part of the document title (an item's name) and re-apply. */
export function setTitleExtra(text) {
  if (text) document.body.setAttribute('data-title-extra', text);
  else document.body.removeAttribute('data-title-extra');
  document.title = `${text ? `${text} - ` : ''}${t(document.body.getAttribute('data-title') || 'title.home')} - ${t('site.name')}`;
}

/** A message box in place of the page's content (not found, load failed). */
export function message(kind, key, args, extra) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', { i18n: key, args }), extra || null);
}

/** The message for a failed API call. */
export function failure(r, notFoundKey) {
  if (r.status === 404 && notFoundKey) return message('info', notFoundKey, null, h('p', null, h('a', { href: 'index.html', i18n: 'back.home' })));
  if (r.error && r.error.code === 'network') return message('error', 'error.network');
  if (r.status === 503) return message('error', 'error.catalog_empty');
  return message('error', 'error.load', null, r.error && r.error.message ? h('p', { class: 'muted', i18n: 'error.server', args: { message: r.error.message } }) : null);
}
