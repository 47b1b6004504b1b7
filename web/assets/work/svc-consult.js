// work/svc-consult.js - workbench/consult.html : the department's open
// consultations to answer (optionally publishing the answer to the item's
// FAQ), the rectifications of bad ratings to report or appeal, and for
// supervisors the appeals to decide and what is overdue.
import { h, T, fill } from '../dom.js';
import * as api from '../api.js';
import { initWork, hasRole } from '../work-layout.js';

const main = document.getElementById('main');

async function render(account) {
  const sup = hasRole(account, 'supervisor', 'admin');
  const qs = h('section', { class: 'panel', 'data-testid': 'consultations' });
  const rs = h('section', { class: 'panel', 'data-testid': 'rectifications' });
  async function load() {
    const c = await api.get('/api/v1/consultations?status=open');
    fill(qs, h('h2', { i18n: 'svc.work.consults' }), c.ok && c.data.items.length ? h('ul', { class: 'svc-consults' }, c.data.items.map((q) => {
      const ans = h('textarea', { rows: '2', maxlength: '4000', i18nAttr: 'aria-label:svc.work.answer' });
      const pub = h('input', { type: 'checkbox' });
      const f = h('form', { class: 'svc-form', 'data-id': String(q.id) }, h('p', null, h('strong', null, q.question)),
        h('p', { class: 'muted small' }, q.item_name, ' · ', q.due_day, q.overdue ? [' · ', T('svc.work.overdue')] : null),
        ans, h('label', null, pub, ' ', T('svc.work.publish')), h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'svc.work.send' }));
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        if ((await api.post(`/api/v1/consultations/${q.id}/answer`, { answer: ans.value.trim(), publish: pub.checked })).ok) load();
      });
      return h('li', null, f);
    })) : h('p', { class: 'muted', i18n: 'svc.work.nothing' }));
    const r = await api.get('/api/v1/rectifications');
    fill(rs, h('h2', { i18n: 'svc.work.rects' }), r.ok && r.data.items.length ? h('ul', { class: 'svc-rects' }, r.data.items.map((x) => {
      const parts = [h('p', null, h('strong', null, `#${x.id}`), ' ', x.dept, ' · ', x.status, ' · ', x.due_day, x.overdue ? [' · ', T('svc.work.overdue')] : null)];
      if (x.status === 'open' && !sup) {
        const v = h('input', { maxlength: '2000', i18nAttr: 'placeholder:svc.work.verified;aria-label:svc.work.verified' });
        const ct = h('input', { maxlength: '2000', i18nAttr: 'placeholder:svc.work.contacted;aria-label:svc.work.contacted' });
        const o = h('input', { maxlength: '2000', i18nAttr: 'placeholder:svc.work.outcome;aria-label:svc.work.outcome' });
        const f = h('form', { class: 'svc-form' }, v, ct, o, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'svc.work.report' }));
        f.addEventListener('submit', async (e) => {
          e.preventDefault();
          if ((await api.post(`/api/v1/rectifications/${x.id}/report`, { verified: v.value, contacted: ct.value, outcome: o.value })).ok) load();
        });
        const reason = h('input', { maxlength: '2000', i18nAttr: 'placeholder:svc.work.appealReason;aria-label:svc.work.appealReason' });
        const a = h('form', { class: 'svc-form' }, reason, h('button', { type: 'submit', class: 'btn btn-ghost btn-sm', i18n: 'svc.work.appeal' }));
        a.addEventListener('submit', async (e) => {
          e.preventDefault();
          if ((await api.post(`/api/v1/rectifications/${x.id}/appeal`, { reason: reason.value })).ok) load();
        });
        parts.push(f, a);
      } else if (x.status === 'appealed' && sup) {
        parts.push(h('p', null, x.appeal_reason));
        for (const [key, result] of [['svc.work.decideUp', 'upheld'], ['svc.work.decideNo', 'rejected']]) {
          const b = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: key });
          b.addEventListener('click', async () => { if ((await api.post(`/api/v1/rectifications/${x.id}/decide`, { result })).ok) load(); });
          parts.push(b);
        }
      } else if (x.outcome) parts.push(h('p', null, x.outcome));
      return h('li', { 'data-id': String(x.id) }, parts);
    })) : h('p', { class: 'muted', i18n: 'svc.work.nothing' }));
  }
  fill(main, h('div', { class: 'wrap page svc-page' }, h('h1', { i18n: 'title.work.consult' }), qs, rs));
  load();
}

const account = await initWork({ active: 'consult', roles: ['reviewer', 'chief_approver', 'window_clerk', 'supervisor', 'admin'] });
if (account) render(account);
