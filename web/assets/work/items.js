// work/items.js - workbench/items.html : editing catalog items (issue 21), for
// administrators (any item) and a department's data officers (its own items).
//
// The edit is guarded against lost updates: the page reads the item with its
// ETag and sends that ETag back in If-Match when saving.  Had someone else
// saved a newer version in between (on this node or another), the server
// answers 412 precondition_failed and changes nothing; the page then says so,
// in Chinese and English, and offers to load the latest version instead of
// overwriting it.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { apply } from '../i18n.js';
import * as api from '../api.js';
import { initWork, depts, hasRole, setWorkTitle } from '../work-layout.js';
import { deptName } from '../casefmt.js';
import '../i18n-catalog.js';

const main = document.getElementById('main');

/* The fields the form edits: [key, kind, max length] */
const FIELDS = [
  ['name', 'text', 100],
  ['promised_days', 'int', 0],
  ['legal_days', 'int', 0],
  ['fee', 'text', 500],
  ['where', 'text', 500],
  ['hours', 'text', 200],
  ['conditions', 'area', 4000],
];

/** The item and its ETag, read past any cache (an editor must see the current version). */
async function readItem(code) {
  let r;
  try {
    r = await fetch(`/api/v1/items/${encodeURIComponent(code)}`, {
      headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0 };
  }
  if (!r.ok) return { ok: false, status: r.status };
  return { ok: true, doc: await r.json(), etag: r.headers.get('ETag') };
}

function note(kind, ...children) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': `wi-${kind}` }, children);
}

function control(key, kind, max, value) {
  const id = `wi-${key}`;
  const input = kind === 'area'
    ? h('textarea', { id, name: key, rows: 4, maxlength: max })
    : h('input', { id, name: key, type: kind === 'int' ? 'number' : 'text', min: kind === 'int' ? 0 : null, max: kind === 'int' ? 365 : null, maxlength: max || null });
  input.value = value === undefined || value === null ? '' : String(value);
  return h('div', { class: 'field', 'data-field': key },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: `wi.f.${key}` })),
    input);
}

/** The edit form of one item. */
async function editor(code, message) {
  const got = await readItem(code);
  if (!got.ok) {
    fill(main, h('div', { class: 'wrap page' },
      note('error', h('p', { i18n: got.status === 404 ? 'wi.notFound' : 'wi.failed' })),
      h('p', null, h('a', { href: 'items.html', i18n: 'wi.back' }))));
    apply(main);
    return;
  }
  const { doc } = got;
  let etag = got.etag;
  const alertBox = h('div', { id: 'wi-alert' }, message || null);
  const save = h('button', { type: 'submit', class: 'btn', 'data-testid': 'wi-save', i18n: 'wi.save' });
  const f = h('form', { id: 'form-item', novalidate: true, 'data-etag': etag },
    FIELDS.map(([key, kind, max]) => control(key, kind, max, doc[key])),
    h('div', { class: 'form-actions' }, save));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { ...doc };
    for (const [key, kind] of FIELDS) {
      const v = f.querySelector(`[name=${key}]`).value;
      body[key] = kind === 'int' ? Number(v) : v.trim();
    }
    save.disabled = true;
    fill(save, T('wi.saving'));
    const r = await api.request('PUT', `/api/v1/items/${encodeURIComponent(code)}`, body, { 'If-Match': etag });
    save.disabled = false;
    fill(save, T('wi.save'));
    if (r.ok) {
      await editor(code, note('ok', h('p', { i18n: 'wi.saved', args: { n: r.data.version } })));
      return;
    }
    if (r.status === 412) {
      /* someone saved first: say which version is current, keep what was typed */
      const now = await readItem(code);
      const reload = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'wi-reload', i18n: 'wi.reload' });
      reload.addEventListener('click', () => editor(code));
      fill(alertBox, h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'wi-conflict' },
        h('p', { i18n: 'wi.conflict', args: { n: now.ok ? now.doc.version : '?' } }),
        h('p', { i18n: 'wi.conflict.how' }),
        h('p', null, reload)));
    } else if (r.status === 403) {
      fill(alertBox, note('error', h('p', { i18n: 'wi.forbidden' })));
    } else if (r.status === 422 || r.status === 400) {
      fill(alertBox, note('error', h('p', { i18n: 'wi.invalid', args: { field: (r.error && r.error.field) || '' } })));
    } else {
      fill(alertBox, note('error', h('p', { i18n: 'wi.failed' })));
    }
    apply(alertBox);
    alertBox.scrollIntoView({ block: 'nearest' });
  });
  fill(main, h('div', { class: 'wrap page' },
    h('p', null, h('a', { href: 'items.html', i18n: 'wi.back' })),
    h('div', { class: 'page-head' },
      h('h1', { 'data-testid': 'wi-title' }, doc.name),
      h('p', { class: 'muted' }, h('span', { class: 'mono' }, doc.code), ' · ', deptName(depts(), doc.dept, doc.dept_name), ' · ',
        h('span', { 'data-testid': 'wi-version', i18n: 'wi.version', args: { n: doc.version } }))),
    alertBox,
    h('section', { class: 'panel' }, f)));
  apply(main);
  setWorkTitle(doc.name);
}

/** The items this person may edit: an administrator searches all, a data officer lists its department's. */
async function list(account) {
  const p = params();
  const officer = !hasRole(account, 'admin');
  const q = p.get('q') || '';
  const r = await api.get(`/api/v1/items${api.qs({ q, dept: officer ? account.dept : p.get('dept'), limit: 100 })}`);
  const items = r.ok ? r.data.items : [];
  const search = h('form', { class: 'search-inline', method: 'get', action: 'items.html', role: 'search' },
    h('label', { for: 'wi-q', i18n: 'wi.search' }), ' ',
    h('input', { id: 'wi-q', name: 'q', type: 'search', value: q, maxlength: 100, i18nAttr: 'placeholder:wi.search.placeholder' }), ' ',
    h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'wi.search.go' }));
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'title.work.items' }), h('p', { i18n: 'wi.intro' }),
      officer ? h('p', { 'data-testid': 'wi-own-dept' }, T('wi.introOfficer'), deptName(depts(), account.dept)) : null),
    search,
    !r.ok ? note('error', h('p', { i18n: 'wi.failed' }))
      : !items.length ? h('p', { class: 'notice notice-info', 'data-testid': 'wi-none', i18n: 'wi.none' })
        : h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'wi-items' },
          h('thead', null, h('tr', null, ['wi.col.code', 'wi.col.name', 'wi.col.dept', 'wi.edit'].map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', null, items.map((it) => h('tr', { 'data-item': it.code },
            h('td', { class: 'mono' }, it.code),
            h('td', null, it.name),
            h('td', null, deptName(depts(), it.dept, it.dept_name)),
            h('td', null, h('a', { class: 'btn btn-ghost btn-sm', href: pageUrl('items.html', { code: it.code }), i18n: 'wi.edit' })))))))));
  apply(main);
}

const account = await initWork({ active: 'items', roles: ['admin', 'data_officer'] });
if (account) {
  const code = params().get('code');
  if (code) await editor(code);
  else await list(account);
}
