// work/clients.js - workbench/clients.html : the client registry (issue 13),
// for administrators.  Every system that calls ywtb with credentials of its
// own: a department system reading APIs (client_credentials) or a department's
// web app signing people in (authorization code).  Register one (its secret is
// shown once, here, and never again), rotate the secret, disable or enable it.
import { h, T, fill } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert } from '../forms.js';
import { initWork, deptSelect, depts } from '../work-layout.js';
import { deptName } from '../casefmt.js';

const main = document.getElementById('main');
const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'];

const lines = (s) => s.split(/\s+/).map((x) => x.trim()).filter(Boolean);

function labelled(id, key, control, hint) {
  return h('div', { class: 'field', 'data-field': id },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key })),
    control,
    hint ? h('p', { class: 'hint', i18n: hint }) : null);
}

/** The secret, shown once. */
function secretBox(c, secret) {
  return h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'client-secret-box' },
    h('p', null, T('wc.secret.once', { name: c.name })),
    h('p', null, h('span', { i18n: 'wc.clientId' }), '：', h('code', { 'data-testid': 'client-id' }, c.client_id)),
    h('p', null, h('span', { i18n: 'wc.secret' }), '：', h('code', { 'data-testid': 'client-secret' }, secret)));
}

function table(items, onChange) {
  if (!items.length) return h('p', { class: 'notice notice-info', 'data-testid': 'clients-empty', i18n: 'wc.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'clients' },
    h('thead', null, h('tr', null, ['wc.name', 'wc.dept', 'wc.clientId', 'wc.grants', 'wc.status', 'wc.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
    h('tbody', null, items.map((c) => {
      const act = (path, key) => {
        const b = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-action': path, i18n: key });
        b.addEventListener('click', async () => {
          b.disabled = true;
          const r = await api.post(`/api/v1/admin/clients/${encodeURIComponent(c.client_id)}/${path}`);
          onChange(r, c);
        });
        return b;
      };
      return h('tr', { 'data-client': c.client_id, 'data-status': c.status },
        h('td', null, h('strong', null, c.name), h('div', { class: 'muted small', i18n: `wc.kind.${c.kind}` }),
          c.subject_type === 'pairwise' ? h('div', { class: 'muted small', 'data-subject': 'pairwise', i18n: 'wc.pairwise' }) : null),
        h('td', null, deptName(depts(), c.dept)),
        h('td', { class: 'mono small' }, c.client_id),
        h('td', { class: 'small' }, c.grant_types.join(' ')),
        h('td', null, T(c.status === 'active' ? 'wc.active' : 'wc.disabled')),
        h('td', null, c.kind === 'confidential' ? act('secret', 'wc.rotate') : null, ' ',
          c.status === 'active' ? act('disable', 'wc.disable') : act('enable', 'wc.enable')));
    }))));
}

function form(onDone) {
  const alertBox = formAlert('wc-alert');
  const kind = h('select', { id: 'wc-kind' }, ['confidential', 'public'].map((k) => h('option', { value: k, i18n: `wc.kind.${k}` })));
  const grants = h('div', { class: 'checks', id: 'wc-grants' }, GRANTS.map((g) => h('label', null,
    h('input', { type: 'checkbox', name: 'grant', value: g, checked: g === 'client_credentials' ? true : null }), ' ', g)));
  const f = h('form', { id: 'form-client', novalidate: true },
    alertBox,
    labelled('wc-name', 'wc.name', h('input', { id: 'wc-name', maxlength: 100 })),
    labelled('wc-dept', 'wc.dept', deptSelect('wc-dept')),
    labelled('wc-kind', 'wc.kind', kind, 'wc.kind.hint'),
    labelled('wc-grants', 'wc.grants', grants),
    labelled('wc-scopes', 'wc.scopes', h('input', { id: 'wc-scopes', maxlength: 600 }), 'wc.scopes.hint'),
    labelled('wc-redirects', 'wc.redirects', h('textarea', { id: 'wc-redirects', rows: 2 }), 'wc.redirects.hint'),
    labelled('wc-logouts', 'wc.logouts', h('textarea', { id: 'wc-logouts', rows: 2 })),
    labelled('wc-acr', 'wc.minAcr', h('select', { id: 'wc-acr' }, [0, 1, 2, 3].map((n) => h('option', { value: String(n) }, String(n)))), 'wc.minAcr.hint'),
    labelled('wc-alg', 'wc.alg', h('select', { id: 'wc-alg' }, ['ES256', 'SM2SM3'].map((a) => h('option', { value: a }, a)))),
    labelled('wc-subject', 'wc.subject', h('select', { id: 'wc-subject' }, ['public', 'pairwise'].map((k) => h('option', { value: k, i18n: `wc.subject.${k}` }))), 'wc.subject.hint'),
    labelled('wc-sector', 'wc.sector', h('input', { id: 'wc-sector', maxlength: 253 }), 'wc.sector.hint'),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', 'data-testid': 'client-register', i18n: 'wc.register' })));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {
      name: f.querySelector('#wc-name').value.trim(),
      dept: f.querySelector('#wc-dept').value,
      kind: kind.value,
      grant_types: [...grants.querySelectorAll('input:checked')].map((i) => i.value),
      scopes: lines(f.querySelector('#wc-scopes').value),
      redirect_uris: lines(f.querySelector('#wc-redirects').value),
      post_logout_redirect_uris: lines(f.querySelector('#wc-logouts').value),
      min_acr: Number(f.querySelector('#wc-acr').value),
      id_token_alg: f.querySelector('#wc-alg').value,
      subject_type: f.querySelector('#wc-subject').value,
    };
    const sector = f.querySelector('#wc-sector').value.trim();
    if (sector) body.sector_identifier = sector;
    const r = await api.post('/api/v1/admin/clients', body);
    if (!r.ok) {
      showAlert(alertBox, 'wc.failed', { field: (r.error && r.error.field) || '' }, r.error && r.error.message);
      return;
    }
    f.reset();
    onDone(r.data);
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'wc-form-h' }, h('h2', { id: 'wc-form-h', i18n: 'wc.new' }), f);
}

async function render(note) {
  const r = await api.get('/api/v1/admin/clients');
  const items = r.ok ? r.data.items : [];
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'title.work.clients' }), h('p', { i18n: 'wc.intro' })),
    note || null,
    r.ok ? table(items, (res, c) => {
      if (res.ok && res.data.client_secret) render(secretBox(res.data.client, res.data.client_secret));
      else if (res.ok) render();
      else render(h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, `${c.client_id}: ${res.error && res.error.message}`)));
    }) : h('div', { class: 'notice notice-error', role: 'alert' }, h('p', null, r.error && r.error.message)),
    form((data) => render(secretBox(data.client, data.client_secret || t('wc.noSecret'))))));
}

const account = await initWork({ active: 'clients', roles: ['admin'] });
if (account) await render();
