// work/hotline.js - workbench/hotline.html: 12345 work orders.
//   (no query) [?status=]   the orders the account may see, newest first, each with
//                           its light; the hotline operator takes a call here
//                           (intake form: caller, callback number, category,
//                           content, place, urgency)
//   ?no=                    one order: its steps and the actions the account may
//                           take in its state - the centre dispatches (派单),
//                           decides extensions, closes (办结, or answers a question on
//                           the call), calls back (回访) and records the rating
//                           (评价); the department it is dispatched to signs for it
//                           (签收), returns it (退回), asks for an extension (延期)
//                           and answers (答复); the centre and supervisors press (督办)
import { h, T, fill, params, pageUrl } from '../dom.js';
import { t, getLang } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showApiError, field } from '../forms.js';
import { initWork, hasRole, deptSelect } from '../work-layout.js';
import { clockLine, fmtTime } from '../casefmt.js';
import { STATUSES, hlStatus, hlSteps, hlError } from '../hotline-fmt.js';

const main = document.getElementById('main');
const p = params();
const account = await initWork({ active: 'hotline', roles: ['hotline_operator', 'reviewer', 'chief_approver', 'supervisor'] });
const cats = await api.get('/api/v1/hotline/categories');
const categories = cats.ok ? cats.data.items : [];
const isOperator = () => hasRole(account, 'hotline_operator');

function labelled(id, key, control, required) {
  return h('div', { class: 'field', 'data-field': control.name || id },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key }), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control, h('p', { class: 'field-ok' }), h('p', { class: 'field-error', 'aria-live': 'polite', 'data-testid': `error-${control.name || id}` }));
}

function categorySelect(id) {
  return h('select', { id, name: 'category', 'data-testid': 'hl-category' }, h('option', { value: '', i18n: 'apply.choose' }),
    categories.map((c) => h('option', { value: c.code, 'data-zh': c.name, 'data-en': c.name_en }, getLang() === 'en' ? c.name_en : c.name)));
}

/* ---- the intake of a call ---- */
function intakeForm() {
  const box = formAlert('hl-intake-alert');
  const content = h('textarea', { id: 'in-content', name: 'content', maxlength: 2000, 'data-testid': 'hl-content' });
  const urgency = h('select', { id: 'in-urgency', name: 'urgency' }, ['normal', 'urgent'].map((u) => h('option', { value: u, i18n: `hl.urgency.${u}` })));
  const form = h('form', { class: 'hl-form wform', novalidate: true, 'data-testid': 'hl-intake' }, box,
    field({ prefix: 'in', name: 'caller_name', label: 'hl.callerName', required: false, maxlength: 50 }),
    field({ prefix: 'in', name: 'caller_phone', label: 'hl.callerPhone', inputmode: 'tel', maxlength: 20 }),
    labelled('in-category', 'hl.category', categorySelect('in-category'), true),
    labelled('in-content', 'hl.content', content, true),
    field({ prefix: 'in', name: 'address', label: 'hl.address', required: false, maxlength: 200 }),
    h('div', { class: 'hl-coords' },
      field({ prefix: 'in', name: 'lat', label: 'hl.lat', required: false, inputmode: 'decimal' }),
      field({ prefix: 'in', name: 'lng', label: 'hl.lng', required: false, inputmode: 'decimal' })),
    h('p', { class: 'hint', i18n: 'hl.noMap' }),
    labelled('in-urgency', 'hl.urgency', urgency),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'hl.submit', 'data-testid': 'hl-intake-submit' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    for (const n of ['caller_name', 'caller_phone', 'category', 'content', 'address', 'lat', 'lng', 'urgency']) {
      const v = form.elements[n].value.trim();
      if (v) body[n] = v;
    }
    const r = await api.post('/api/v1/hotline/orders', body);
    if (!r.ok) return showApiError(form, box, hlError(r.error));
    location.href = pageUrl('hotline.html', { no: r.data.order_no });
  });
  return form;
}

/* ---- the list ---- */
async function showList() {
  const status = STATUSES.includes(p.get('status')) ? p.get('status') : '';
  const r = await api.get(`/api/v1/hotline/orders${api.qs({ status, limit: 200 })}`);
  const items = r.ok ? r.data.items : [];
  const sel = h('select', { id: 'status', name: 'status' }, h('option', { value: '', i18n: 'hl.status.all' }), STATUSES.map((s) => h('option', { value: s, i18n: `hl.status.${s}` })));
  sel.value = status;
  const table = items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'hl-table' },
    h('thead', null, h('tr', null, ['hl.col.no', 'hl.col.category', 'hl.col.content', 'hl.col.caller', 'hl.col.dept', 'hl.col.status', 'hl.col.clock'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((o) => h('tr', { 'data-order': o.order_no, 'data-status': o.status, class: `row-${o.clock.light}` },
      h('td', { class: 'mono' }, h('a', { href: pageUrl('hotline.html', { no: o.order_no }) }, o.order_no), h('div', { class: 'muted small' }, fmtTime(o.created_at), ' · ', T(`hl.channel.${o.channel}`))),
      h('td', null, o.category_name, o.urgency === 'urgent' ? [' ', h('span', { class: 'badge badge-red', i18n: 'hl.urgency.urgent' })] : null),
      h('td', null, o.content.length > 40 ? `${o.content.slice(0, 40)}…` : o.content),
      h('td', null, o.caller.name || T('hl.anonymousCaller'), h('div', { class: 'muted mono small' }, o.caller.phone)),
      h('td', null, o.dept_name || ''),
      h('td', null, hlStatus(o.status)),
      h('td', null, clockLine(o.clock))))))) : h('p', { class: 'notice notice-info', i18n: 'hl.work.empty', 'data-testid': 'hl-empty' });
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: isOperator() || hasRole(account, 'supervisor') ? 'hl.work.title' : 'hl.work.dept' }),
      h('p', null, h('a', { href: 'grid.html', i18n: 'title.work.grid' }), ' · ', h('a', { href: 'gridmap.html', i18n: 'ge.map.open', 'data-testid': 'hl-map-link' }))),
    h('div', { class: isOperator() ? 'hl-grid' : null },
      h('section', null,
        h('form', { class: 'queue-filter', method: 'get', action: 'hotline.html' },
          h('div', { class: 'field' }, h('label', { for: 'status', i18n: 'hl.col.status' }), sel),
          h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', i18n: 'search.apply' }))),
        r.ok ? table : h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { i18n: 'error.load' }))),
      isOperator() ? h('section', { class: 'panel', 'aria-labelledby': 'hl-intake-h' }, h('h2', { id: 'hl-intake-h', i18n: 'hl.work.intake' }), intakeForm()) : null)));
}

/* ---- one order and its actions ---- */
function actionForm(order, action, titleKey, controls, toBody, testid) {
  const box = formAlert(`hl-${action}-alert`);
  const form = h('form', { class: 'hl-form', novalidate: true, 'data-testid': testid || `hl-act-${action}` },
    h('h3', { i18n: titleKey }), box, controls,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-sm', i18n: titleKey })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api.post(`/api/v1/hotline/orders/${encodeURIComponent(order.order_no)}/${action}`, toBody(form));
    if (!r.ok) return showApiError(form, box, hlError(r.error));
    showOrder(r.data, titleKey);
  });
  return form;
}
const text = (name, key, required, area) => labelled(`f-${name}-${Math.random().toString(36).slice(2, 7)}`, key,
  area ? h('textarea', { name, maxlength: 2000 }) : h('input', { name, maxlength: 500 }), required);
const val = (form, n) => form.elements[n].value.trim();

function actions(o) {
  const list = [];
  const op = isOperator();
  const mine = hasRole(account, 'reviewer', 'chief_approver') && o.dept && o.dept === account.dept;
  const open = !['answered', 'closed', 'visited', 'rated'].includes(o.status);
  if (op && ['received', 'returned'].includes(o.status)) {
    const dept = deptSelect(`f-dept`, { exclude: ['XH-12345'] });
    dept.name = 'dept';
    dept.options[0].textContent = t('hl.act.dispatchDefault');
    const urgency = h('select', { name: 'urgency' }, ['normal', 'urgent'].map((u) => h('option', { value: u, i18n: `hl.urgency.${u}` })));
    urgency.value = o.urgency;
    const type = h('select', { name: 'type' }, ['consult', 'suggestion', 'help', 'complaint', 'supervision', 'complex'].map((x) => h('option', { value: x, i18n: `hl.type.${x}` })));
    type.value = o.type;
    list.push(actionForm(o, 'dispatch', 'hl.act.dispatch', [labelled('f-dept', 'hl.act.dispatchDept', dept), labelled('f-urg', 'hl.urgency', urgency), labelled('f-type', 'hl.type', type)],
      (f) => ({ ...(val(f, 'dept') ? { dept: val(f, 'dept') } : {}), urgency: val(f, 'urgency'), ...(val(f, 'type') !== o.type ? { type: val(f, 'type') } : {}) })));
  }
  if (op && o.status === 'received' && o.lat !== null) {
    const major = h('select', { name: 'major' }, ['市容环境', '宣传广告', '施工管理', '突发事件', '街面秩序', '其他事件'].map((m) => h('option', { value: m }, m)));
    const box = formAlert('hl-to-grid-alert');
    const form = h('form', { class: 'hl-form', novalidate: true, 'data-testid': 'hl-act-to-grid' }, h('h3', { i18n: 'hl.act.toGrid' }), box,
      labelled('f-major', 'ge.major', major, true),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'hl.act.toGrid' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const r = await api.post(`/api/v1/hotline/orders/${encodeURIComponent(o.order_no)}/to-grid`, { major: major.value });
      if (!r.ok) return showApiError(form, box, hlError(r.error));
      location.href = pageUrl('grid.html', { no: r.data.event_no });
    });
    list.push(form);
  }
  if (op && o.status === 'received')
    list.push(actionForm(o, 'close', 'hl.act.closeOnCall', [text('answer', 'hl.answer', true, true)], (f) => ({ answer: val(f, 'answer') }), 'hl-act-close-on-call'));
  if (mine && o.status === 'dispatched') list.push(actionForm(o, 'sign', 'hl.act.sign', [text('note', 'hl.act.note')], (f) => (val(f, 'note') ? { note: val(f, 'note') } : {})));
  if (mine && ['dispatched', 'signed'].includes(o.status)) list.push(actionForm(o, 'return', 'hl.act.return', [text('reason', 'hl.act.reason', true)], (f) => ({ reason: val(f, 'reason') })));
  if (mine && o.status === 'signed' && !o.extension_request) {
    list.push(actionForm(o, 'extend', 'hl.act.extend', [labelled('f-days', 'hl.act.days', h('input', { name: 'days', type: 'number', min: 1, max: 60, value: '3' }), true), text('reason', 'hl.act.reason', true)],
      (f) => ({ days: Number(val(f, 'days')), reason: val(f, 'reason') })));
  }
  if (mine && o.status === 'signed') list.push(actionForm(o, 'answer', 'hl.act.answer', [text('answer', 'hl.answer', true, true)], (f) => ({ answer: val(f, 'answer') })));
  if (op && o.extension_request) {
    list.push(actionForm(o, 'extension-decision', 'hl.act.approve', [text('note', 'hl.act.note')], (f) => ({ approve: true, ...(val(f, 'note') ? { note: val(f, 'note') } : {}) }), 'hl-act-approve'));
    list.push(actionForm(o, 'extension-decision', 'hl.act.refuse', [text('note', 'hl.act.note')], (f) => ({ approve: false, ...(val(f, 'note') ? { note: val(f, 'note') } : {}) }), 'hl-act-refuse'));
  }
  if (op && o.status === 'answered') list.push(actionForm(o, 'close', 'hl.act.close', [text('note', 'hl.act.note')], (f) => (val(f, 'note') ? { note: val(f, 'note') } : {})));
  if (op && o.status === 'closed') list.push(actionForm(o, 'callback', 'hl.act.callback', [text('note', 'hl.visit', true, true)], (f) => ({ note: val(f, 'note') })));
  if (op && ['closed', 'visited'].includes(o.status)) {
    const sel = h('select', { name: 'rating' }, [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n), i18n: `hl.rating.${n}` })));
    list.push(actionForm(o, 'rate', 'hl.act.rate', [labelled('f-rating', 'hl.rating', sel, true), text('comment', 'hl.comment')], (f) => ({ rating: Number(val(f, 'rating')), ...(val(f, 'comment') ? { comment: val(f, 'comment') } : {}) })));
  }
  if ((op || hasRole(account, 'supervisor')) && open && o.status !== 'received')
    list.push(actionForm(o, 'press', 'hl.act.press', [text('note', 'hl.act.note', true)], (f) => ({ note: val(f, 'note') })));
  return list.length ? h('div', { class: 'hl-actions' }, list) : null;
}

function showOrder(o, doneKey) {
  const dl = (key, v, mono) => (v || v === 0 ? [h('dt', { i18n: key }), h('dd', { class: mono ? 'mono' : null }, v)] : null);
  fill(main, h('div', { class: 'wrap page', 'data-testid': 'hl-order', 'data-order': o.order_no, 'data-status': o.status },
    h('p', null, h('a', { href: 'hotline.html', i18n: 'hl.work.back' })),
    h('div', { class: 'page-head' }, h('h1', { class: 'mono' }, o.order_no), h('p', null, o.category_name, ' ', hlStatus(o.status), ' ', clockLine(o.clock))),
    doneKey ? h('div', { class: 'notice notice-success hl-done', role: 'status', 'data-testid': 'hl-done' }, h('p', { i18n: 'hl.act.done', args: { step: t(doneKey) } })) : null,
    h('section', { class: 'panel' },
      h('dl', { class: 'dl-grid record' },
        dl('hl.col.caller', [o.caller.name || T('hl.anonymousCaller'), ' ', h('span', { class: 'mono', 'data-testid': 'hl-phone' }, o.caller.phone)]),
        dl('hl.type', T(`hl.type.${o.type}`)),
        dl('hl.urgency', T(`hl.urgency.${o.urgency}`)),
        dl('hl.address', [o.address, o.lat !== null ? h('span', { class: 'muted mono' }, ` (${o.lat}, ${o.lng})`) : null]),
        dl('hl.col.dept', o.dept_name),
        dl('hl.content', o.content),
        o.media_url ? dl('hl.media', h('a', { href: o.media_url, rel: 'noopener noreferrer', target: '_blank' }, o.media_url)) : null,
        o.extension_request ? dl('hl.act.extend', T('hl.extRequest', o.extension_request)) : null,
        dl('hl.answer', o.answer ? h('span', { class: 'hl-answer', 'data-testid': 'hl-answer' }, o.answer) : null),
        dl('hl.visit', o.visit_note),
        dl('hl.rating', o.rating ? T(`hl.rating.${o.rating}`) : null)),
      h('p', { class: 'muted' }, T('hl.returns', { n: o.returns }), ' · ', T('hl.extensions', { n: o.extensions }), ' · ', T('hl.presses', { n: o.presses }))),
    actions(o),
    isOperator() && o.status === 'received' ? [knowledgePanel(o), similarPanel(o)] : null,
    h('section', { class: 'panel' }, h('h2', { i18n: 'hl.steps' }), hlSteps(o.steps))));
}

/* The knowledge base: find an answer and read it out, then close on the call. */
function knowledgePanel(o) {
  const out = h('ul', { class: 'hl-kb', 'data-testid': 'hl-kb' });
  const q = h('input', { name: 'q', maxlength: 50, 'aria-label': t('hl.kb.search') });
  const form = h('form', { class: 'queue-filter', 'data-testid': 'hl-kb-search' }, h('div', { class: 'field' }, q),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'hl.kb.search' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api.get(`/api/v1/hotline/knowledge${api.qs({ q: q.value.trim(), limit: 10 })}`);
    const items = r.ok ? r.data.items : [];
    fill(out, items.length ? items.map((k) => {
      const use = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'hl.kb.use' });
      use.addEventListener('click', () => {
        const ta = document.querySelector('[data-testid=hl-act-close-on-call] textarea[name=answer]');
        if (ta) {
          ta.value = k.answer;
          ta.focus();
        }
      });
      return h('li', { 'data-kb': String(k.id) }, h('strong', null, k.question), h('p', null, k.answer), use);
    }) : h('li', { class: 'muted', i18n: 'hl.kb.none' }));
  });
  return h('section', { class: 'panel' }, h('h2', { i18n: 'hl.kb.title' }), form, out);
}

/* Similar orders at the same place: merge this one into one of them. */
function similarPanel(o) {
  const box = h('div', { 'data-testid': 'hl-similar' }, h('p', { class: 'loading', i18n: 'loading' }));
  api.get(`/api/v1/hotline/orders/${encodeURIComponent(o.order_no)}/similar`).then((r) => {
    const items = r.ok ? r.data.items : [];
    fill(box, items.length ? h('ul', { class: 'hl-kb' }, items.map((x) => {
      const btn = h('button', { type: 'button', class: 'btn btn-sm', i18n: 'hl.merge', 'data-into': x.order_no });
      btn.addEventListener('click', async () => {
        const m = await api.post(`/api/v1/hotline/orders/${encodeURIComponent(o.order_no)}/merge`, { into: x.order_no });
        if (m.ok) showOrder(m.data, 'hl.merge');
      });
      return h('li', { 'data-order': x.order_no }, h('span', { class: 'mono' }, x.order_no), ' ', hlStatus(x.status), h('p', null, x.content), btn);
    })) : h('p', { class: 'muted', i18n: 'hl.similar.none' }));
  });
  return h('section', { class: 'panel' }, h('h2', { i18n: 'hl.similar' }), box);
}

if (account) {
  if (p.get('no')) {
    const r = await api.get(`/api/v1/hotline/orders/${encodeURIComponent(p.get('no'))}`);
    if (r.ok) showOrder(r.data);
    else fill(main, h('div', { class: 'wrap page' }, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { i18n: r.status === 404 ? 'hl.lookup.none' : 'error.load' }))));
  } else {
    await showList();
  }
}
