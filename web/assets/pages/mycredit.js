// mycredit.js - mycredit.html : a person's or company's own credit records
// (信用记录: 失信 / 守信, who recorded them, the legal basis, validity, repair),
// from GET /api/v1/me/credit, so the subject sees why an application was
// blocked or flagged.
import { h, T, fill } from '../dom.js';
import { initPage, failure, loginHref } from '../layout.js';
import * as api from '../api.js';
import '../i18n-supervision.js';
import { deptName } from '../casefmt.js';
import { formAlert, showAlert, errorKey } from '../forms.js';

/** The subject's application for credit repair of an active dishonest record. */
function repairForm(x) {
  const alert = formAlert(`rq-alert-${x.id}`);
  const ta = h('textarea', { id: `rq-${x.id}`, name: 'reason', maxlength: 1000 });
  const form = h('form', { class: 'sv-form', 'data-testid': 'repair-request-form', novalidate: true }, alert,
    h('label', { for: `rq-${x.id}`, i18n: 'mc.repair.label' }), ta,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'mc.repair.do' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api.post(`/api/v1/me/credit/${x.id}/repair-request`, { reason: ta.value.trim() });
    if (!r.ok) return showAlert(alert, errorKey(r.error), null, r.error && r.error.message);
    location.reload();
    return null;
  });
  return form;
}

const main = document.getElementById('main');
const account = await initPage({ active: 'mycredit' });
if (!account) {
  location.replace(loginHref());
} else {
  const [r, d] = await Promise.all([api.get('/api/v1/me/credit'), api.departments()]);
  const depts = d.ok ? d.data.items : [];
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, failure(r)));
  } else {
    const items = r.data.items;
    fill(main, h('div', { class: 'wrap page' },
      h('h1', { i18n: 'mc.title' }),
      h('p', { class: 'muted', i18n: 'mc.text' }),
      items.length ? h('ul', { class: 'card-list', 'data-testid': 'my-credit' }, items.map((x) => h('li', { class: 'panel', 'data-kind': x.kind, 'data-status': x.status },
        h('h2', null, h('span', { class: x.kind === 'dishonest' ? 'flag-block' : 'flag-fast_track', i18n: `cr.kind.${x.kind}` }), ' · ', x.category),
        h('dl', { class: 'dl-grid' },
          h('dt', { i18n: 'cr.col.dept' }), h('dd', null, deptName(depts, x.dept)),
          h('dt', { i18n: 'cr.col.basis' }), h('dd', null, x.basis),
          x.measures ? [h('dt', { i18n: 'cr.add.measures' }), h('dd', null, x.measures)] : null,
          h('dt', { i18n: 'cr.col.valid' }), h('dd', null, `${x.valid_from} – ${x.valid_to || ''}`),
          h('dt', { i18n: 'cr.col.status' }), h('dd', null, T(`cr.status.${x.status}`), x.repair_note ? ` · ${x.repair_note}` : '')),
        x.status === 'active' && x.kind === 'dishonest' ? (x.repair_request
          ? h('p', { class: 'notice notice-info', 'data-testid': 'repair-asked' }, T('cr.repairAsked'), '：', x.repair_request)
          : repairForm(x)) : null))) :
        h('p', { class: 'notice notice-info', 'data-testid': 'my-credit-empty', i18n: 'mc.none' })));
  }
}
