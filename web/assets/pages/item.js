// item.js - item.html?code= : the guide (办事指南) of one service item, with
// everything an applicant needs before applying: conditions, the materials
// table (required or conditional, original or copy, copies, e-licence
// instead of paper), statutory and promised time limits in working days, fee,
// visits, online level, where and when, steps, questions, legal basis.
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { initPage, failure, setTitleExtra, message } from '../layout.js';
import { isEn } from '../i18n.js';
import * as api from '../api.js';
import { days, visits, online, target, itemType, fee, paragraphs, textOf, badge } from '../format.js';
import { applyBox } from '../applybox.js';

const main = document.getElementById('main');
const code = params().get('code') || '';

function section(id, titleKey, ...content) {
  return h('section', { class: 'guide-section', id, 'aria-labelledby': `${id}-title`, tabindex: '-1' },
    h('h2', { id: `${id}-title`, i18n: titleKey }), content);
}

function row(labelKey, value) {
  return [h('dt', { i18n: labelKey }), h('dd', null, value)];
}

/* a material that is a form to fill in (the server's yw_catalog_fillable): a blank form and an example */
const FILLABLE = /(申请书|申请表|登记表|确认表|申报表|信息表|承诺书|登记表（单位）)$/;
function formLinks(code, m) {
  if (!FILLABLE.test(m.name || '')) return null;
  const base = `/api/v1/items/${encodeURIComponent(code)}/materials/${encodeURIComponent(m.code)}/form.pdf`;
  return h('span', { class: 'mat-forms', 'data-testid': `mat-forms-${m.code}` },
    h('a', { href: base, target: '_blank', rel: 'noopener', class: 'pdf-link', i18n: 'item.mat.blank' }), ' ',
    h('a', { href: `${base}?example=1`, target: '_blank', rel: 'noopener', class: 'pdf-link', i18n: 'item.mat.example' }));
}

function materialsTable(mats, code) {
  if (!mats || !mats.length) return h('p', { class: 'muted', i18n: 'item.mat.none' });
  const required = mats.filter((m) => m.required === 'required').length;
  const cell = (labelKey, props, ...c) => h('td', { ...props, i18nAttr: `data-label:${labelKey}` }, c);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'materials', 'data-testid': 'materials' },
      h('caption', { i18n: 'item.materials.caption', args: { n: mats.length, r: required } }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'num', i18n: 'item.mat.no' }),
        h('th', { scope: 'col', i18n: 'item.mat.name' }),
        h('th', { scope: 'col', i18n: 'item.mat.required' }),
        h('th', { scope: 'col', i18n: 'item.mat.form' }),
        h('th', { scope: 'col', i18n: 'item.mat.copies' }),
        h('th', { scope: 'col', i18n: 'item.mat.elic' }))),
      h('tbody', null, mats.map((m, i) => h('tr', { 'data-code': m.code },
        cell('item.mat.no', { class: 'num' }, String(i + 1)),
        cell('item.mat.name', { class: 'mat-name', 'data-num': `${i + 1}.` }, bi(m.name, m.name_en),
          m.required === 'conditional' && m.condition ? h('span', { class: 'mat-condition', i18n: 'item.mat.condition', args: { c: (isEn() && m.condition_en) || m.condition } }) : null,
          code ? formLinks(code, m) : null),
        cell('item.mat.required', null,
          m.required === 'required'
            ? badge(T('item.mat.req.required'), 'red')
            : badge(T('item.mat.req.conditional'), 'warn')),
        cell('item.mat.form', null, ['original', 'copy', 'electronic'].includes(m.form) ? T(`item.mat.form.${m.form}`) : textOf(m.form)),
        cell('item.mat.copies', null, Number(m.copies) > 0 ? T('unit.copies', { n: Number(m.copies) }) : T('item.mat.noCopies')),
        cell('item.mat.elic', null, m.license_type
          ? h('span', { class: 'elic' }, T('item.mat.elicFree'), bi(m.license_type_name || m.license_type, m.license_type_name_en, 'span', { class: 'elic-name' }))
          : T('item.mat.noCopies')))))));
}

function keyfacts(it) {
  const legal = Number(it.legal_days) || 0;
  const promised = Number(it.promised_days) || 0;
  const speedup = legal > 0 && promised < legal ? Math.round(((legal - promised) / legal) * 100) : 0;
  const fact = (key, value, testid) => h('div', { class: 'keyfact', 'data-testid': testid }, h('dt', { i18n: key }), h('dd', null, value));
  return h('dl', { class: 'keyfacts' },
    fact('item.legalDays', days(legal), 'legal-days'),
    fact('item.promisedDays', [days(promised), speedup ? h('small', { i18n: 'item.speedup', args: { n: speedup } }) : null], 'promised-days'),
    fact('item.visits', visits(it.max_visits), 'visits'),
    fact('item.fee', fee(it.fee), 'fee'));
}

function render(it, depts, account) {
  const dept = depts.find((d) => d.code === it.dept);
  const deptLabel = dept ? bi(dept.name, dept.name_en) : document.createTextNode(it.dept_name || it.dept);
  const sections = [];
  const toc = [];
  const add = (id, key, ...content) => {
    toc.push([id, key]);
    sections.push(section(id, key, ...content));
  };

  add('s-basic', 'item.basic',
    h('dl', { class: 'dl-grid' },
      row('item.dept', dept ? h('a', { href: pageUrl('dept.html', { code: dept.code }) }, bi(dept.name, dept.name_en)) : (it.dept_name || it.dept)),
      row('item.type', itemType(it.type)),
      row('item.target', target(it.target, true)),
      row('item.online', [online(it.online_level), ' · ', h('span', { class: 'muted' }, online(it.online_level, true))]),
      row('item.visits', visits(it.max_visits)),
      row('item.fee', fee(it.fee)),
      it.fee_basis ? row('item.feeBasis', textOf(it.fee_basis)) : null,
      it.realname_level ? row('item.realname', T('item.realnameLevel', { n: it.realname_level })) : null,
      row('item.code', h('span', { class: 'mono' }, it.code)),
      it.version ? row('item.version', String(it.version)) : null));

  add('s-time', 'item.time',
    h('dl', { class: 'dl-grid' },
      row('item.legalDays', days(it.legal_days)),
      row('item.promisedDays', days(it.promised_days))));

  add('s-conditions', 'item.conditions',
    h('div', { class: 'conditions' }, textOf(it.conditions).trim() ? paragraphs(it.conditions) : h('p', { class: 'muted', i18n: 'item.noConditions' })));

  add('s-materials', 'item.materials', materialsTable(it.materials, it.code));

  const steps = Array.isArray(it.steps) ? it.steps : [];
  add('s-steps', 'item.steps', steps.length
    ? h('ol', { class: 'steps' }, steps.map((s) => h('li', null, textOf(s))))
    : h('p', { class: 'muted', i18n: 'item.none' }));

  add('s-where', 'item.where',
    h('dl', { class: 'dl-grid' },
      row('item.whereLabel', textOf(it.where) || (dept && dept.address) || T('item.none')),
      row('item.hours', textOf(it.hours) || T('item.none')),
      dept && dept.phone ? row('depts.phone', dept.phone) : null));

  if (Array.isArray(it.form) && it.form.length) {
    add('s-form', 'item.form',
      h('p', { class: 'muted', i18n: 'item.form.text' }),
      h('ul', { class: 'form-fields' }, it.form.map((f) => h('li', { 'data-key': f.key }, bi(f.label || f.key, f.label_en),
        f.type && f.type !== 'text' ? [' ', h('span', { class: 'badge' }, T(`field.${f.type}`))] : null))));
  }

  if (it.produces || it.produces_name) {
    add('s-result', 'item.result', h('p', { i18n: 'item.produces', args: { name: it.produces_name || it.produces } }));
  }

  const faqs = Array.isArray(it.faqs) ? it.faqs : [];
  add('s-faqs', 'item.faqs', faqs.length
    ? h('div', { class: 'faq' }, faqs.map((f) => h('details', null, h('summary', null, f.q), h('p', null, f.a))))
    : h('p', { class: 'muted', i18n: 'item.none' }));

  add('s-legal', 'item.legal', textOf(it.legal_basis).trim() ? paragraphs(it.legal_basis) : h('p', { class: 'muted', i18n: 'item.none' }));

  const printBtn = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'item.print' });
  printBtn.addEventListener('click', () => window.print());

  fill(main, h('div', { class: 'wrap page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'nav.home' })),
        h('li', null, h('a', { href: pageUrl('search.html', { target: it.target }), i18n: `target.${it.target}.long` })),
        h('li', null, dept ? h('a', { href: pageUrl('dept.html', { code: dept.code }) }, bi(dept.short || dept.name, dept.name_en)) : deptLabel),
        h('li', { 'aria-current': 'page' }, bi(it.name, it.name_en)))),
    h('header', { class: 'item-head' },
      h('div', { class: 'item-badges' },
        badge(itemType(it.type), 'type'),
        badge(target(it.target, true), it.target === 'enterprise' ? 'ent' : 'person'),
        badge(online(it.online_level), Number(it.online_level) >= 4 ? 'good' : ''),
        Number(it.max_visits) <= 1 ? badge(visits(it.max_visits), 'good') : null),
      h('h1', { 'data-testid': 'item-name' }, bi(it.name, it.name_en)),
      h('p', { class: 'item-dept' }, deptLabel),
      keyfacts(it),
      h('div', { class: 'item-tools' },
        h('a', { class: 'btn btn-ghost', href: pageUrl('appointments.html', { item: it.code }), 'data-testid': 'item-book', i18n: 'svc.item.book' }),
        ' ', printBtn)),
    h('div', { class: 'guide-layout' },
      h('nav', { class: 'toc', 'aria-labelledby': 'toc-title' },
        h('h2', { id: 'toc-title', i18n: 'item.toc' }),
        h('ol', null, toc.map(([id, key]) => h('li', null, h('a', { href: `#${id}`, i18n: key }))))),
      h('div', null,
        h('section', { class: 'guide-section apply-box', 'aria-labelledby': 'apply-title', 'data-testid': 'apply-box' },
          h('h2', { id: 'apply-title', i18n: 'item.apply' }),
          h('p', null, online(it.online_level, true)),
          applyBox(it.target, pageUrl('apply.html', { item: it.code }), account, Number(it.online_level) >= 3, Number(it.realname_level) || 0)),
        sections))));
}

fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
const account = await initPage({ active: '' });
if (!code) {
  fill(main, h('div', { class: 'wrap page' }, message('info', 'item.missing')));
} else {
  const [r, d] = await Promise.all([api.item(code), api.departments()]);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(r, 'item.notfound')));
  } else {
    setTitleExtra(isEn() && r.data.name_en ? r.data.name_en : r.data.name);
    render(r.data, d.ok ? d.data.items : [], account);
    if (location.hash) {
      const el = document.getElementById(location.hash.slice(1));
      if (el) el.scrollIntoView();
    }
  }
}
