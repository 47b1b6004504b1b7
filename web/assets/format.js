// format.js - catalog values as translated page content: time limits in
// working days, visits (零跑动 / 最多跑一次), online service level, audience,
// item type, fee, and the item card used by every list.
import { h, T, bi, pageUrl } from './dom.js';
import { has } from './i18n.js';

/** The 11 item types of the national catalog, in their usual order. */
export const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励',
  '行政裁决', '其他行政权力', '公共服务'];

/** "5 个工作日", or 即办 for 0. */
export function days(n) {
  const v = Number(n);
  if (!Number.isFinite(v) || v <= 0) return T('unit.onSpot');
  return T('unit.days', { n: v });
}

/** 零跑动 / 最多跑一次 / 最多跑 n 次. */
export function visits(n) {
  const v = Number(n) || 0;
  if (v === 0) return T('visits.0');
  if (v === 1) return T('visits.1');
  return T('visits.n', { n: v });
}

export function online(level, long = false) {
  const v = Math.min(4, Math.max(1, Number(level) || 1));
  return T(`online.${v}${long ? '.long' : ''}`);
}

export function target(tg, long = false) {
  if (tg !== 'person' && tg !== 'enterprise') return document.createTextNode(tg || '');
  return T(`target.${tg}${long ? '.long' : ''}`);
}

export function itemType(type) {
  return has(`type.${type}`) ? T(`type.${type}`) : document.createTextNode(type || '');
}

/** A fee: 不收费 for nothing, a number as yuan, text as written. */
export function fee(v) {
  if (v === undefined || v === null || v === '' || v === 0 || v === '0' || v === false) return T('fee.free');
  if (typeof v === 'number') return T('fee.amount', { n: v });
  if (typeof v === 'object') return document.createTextNode(textOf(v));
  if (/^(不收费|免费|无)$/.test(String(v).trim())) return T('fee.free');
  return document.createTextNode(String(v));
}

/** Any catalog value as text (strings as they are, lists joined, objects' values). */
export function textOf(v) {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(textOf).filter(Boolean).join('；');
  if (typeof v === 'object') return Object.values(v).map(textOf).filter(Boolean).join('；');
  return String(v);
}

/** Text with line breaks kept as separate paragraphs. */
export function paragraphs(v, cls = '') {
  const list = Array.isArray(v) ? v.map(textOf) : textOf(v).split(/\n+/);
  return list.filter((s) => s.trim()).map((s) => h('p', { class: cls || null }, s.trim()));
}

/** A department's name in the current language, from the departments list. */
export function deptName(depts, code, fallback) {
  const d = depts && depts.find((x) => x.code === code);
  return d ? bi(d.name, d.name_en) : bi(fallback || code, '');
}

/** A badge. */
export function badge(content, kind = '') {
  return h('span', { class: `badge${kind ? ` badge-${kind}` : ''}` }, content);
}

/** The card of an item in a list (search results, popular items, a department's items). */
export function itemCard(it, depts, opts = {}) {
  const hTag = opts.heading || 'h3';
  return h('li', { class: 'item-card' },
    h(hTag, { class: 'item-card-title' }, h('a', { href: pageUrl('item.html', { code: it.code }) }, bi(it.name, it.name_en))),
    h('p', { class: 'item-card-meta' },
      h('span', { class: 'item-card-dept' }, deptName(depts, it.dept, it.dept_name)),
      badge(itemType(it.type), 'type'),
      badge(target(it.target), it.target === 'enterprise' ? 'ent' : 'person')),
    h('ul', { class: 'item-card-facts' },
      h('li', null, h('span', { class: 'fact-label', i18n: 'item.promisedDays' }), ' ', h('strong', null, days(it.promised_days))),
      h('li', { class: Number(it.max_visits) === 0 ? 'fact-good' : null }, visits(it.max_visits)),
      h('li', { class: Number(it.online_level) >= 4 ? 'fact-good' : null }, online(it.online_level))));
}
