// dom.js - building page content without innerHTML: every text from the API
// goes in as a text node, so nothing it holds can become markup.
//
//   h('a', { href: 'x.html', class: 'btn' }, 'text', child, [more])
//   T('unit.days', { n: 5 })            a <span> translated now and on every language switch
//   bi('徐汇区民政局', 'Civil Affairs')  a <span> showing the Chinese or the English name
import { t, getLang } from './i18n.js';

/** Create an element. props: class, text, i18n, args, attr-like keys; on* keys add listeners. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'i18n') {
        el.setAttribute('data-i18n', v);
        if (props.args) el.setAttribute('data-i18n-args', JSON.stringify(props.args));
        el.textContent = t(v, props.args || {});
      } else if (k === 'args') continue;
      else if (k === 'i18nAttr') {
        el.setAttribute('data-i18n-attr', v);
        for (const pair of v.split(';')) {
          const i = pair.indexOf(':');
          if (i > 0) el.setAttribute(pair.slice(0, i).trim(), t(pair.slice(i + 1).trim(), props.args || {}));
        }
      } else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** A translated span. */
export function T(key, args, tag = 'span') {
  return h(tag, { i18n: key, args });
}

/** A span with a Chinese and an English name (English falls back to Chinese). */
export function bi(zh, en, tag = 'span', props = {}) {
  const el = h(tag, props);
  el.setAttribute('data-zh', zh ?? '');
  if (en) el.setAttribute('data-en', en);
  el.textContent = getLang() === 'en' && en ? en : zh ?? '';
  return el;
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The page's query parameters. */
export function params() {
  return new URLSearchParams(location.search);
}

/** A link to a page with query parameters (empty values left out). */
export function pageUrl(page, q = {}) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `${page}?${s}` : page;
}
