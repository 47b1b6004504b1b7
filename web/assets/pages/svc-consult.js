// svc-consult.js - consult.html?item= : 咨询.  While the question is typed,
// the item guide's FAQ and published answers that match are suggested (GET
// /api/v1/public/consultations/suggest); if none helps, ask (POST
// /api/v1/consultations); below, my questions and their answers.
import { h, T, fill, params } from '../dom.js';
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';
import { t } from '../i18n.js';

const main = document.getElementById('main');
const p = params();

async function render() {
  const item = h('input', { id: 'svc-citem', value: p.get('item') || '', maxlength: '40', required: true });
  const q = h('textarea', { id: 'svc-q', rows: '3', maxlength: '2000', required: true });
  const file = h('input', { id: 'svc-file', type: 'file', accept: 'application/pdf,image/jpeg,image/png,.ofd' });
  const sug = h('ul', { class: 'svc-suggest', 'aria-live': 'polite', 'data-testid': 'suggestions' });
  const flash = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'consult-flash' });
  const mine = h('ul', { class: 'svc-consults', 'data-testid': 'my-questions' });
  let timer = null;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = q.value.trim();
      if (!text || !item.value.trim()) { fill(sug); return; }
      const r = await api.get(`/api/v1/public/consultations/suggest${api.qs({ item: item.value.trim(), q: text })}`);
      fill(sug, r.ok && r.data.items.length ? [h('li', { class: 'muted small', i18n: 'svc.consult.suggest' }),
        r.data.items.map((x) => h('li', { class: 'svc-faq' }, h('strong', null, x.q), h('p', null, x.a)))] : null);
    }, 300);
  });
  async function load() {
    const r = await api.get('/api/v1/consultations');
    if (!r.ok) return;
    fill(mine, r.data.items.length ? r.data.items.map((c) => h('li', { class: 'svc-consult', 'data-status': c.status },
      h('strong', null, c.question), h('p', { class: 'muted small' }, c.item_name, ' · ',
        c.status === 'open' ? T('svc.consult.open', { due: c.due_day }) : T('svc.consult.answered')),
      c.answer ? h('p', { class: 'svc-answer' }, c.answer) : null)) : h('li', { class: 'muted', i18n: 'svc.consult.none' }));
  }
  const form = h('form', { class: 'svc-form', 'data-testid': 'consult-form' },
    h('div', { class: 'field' }, h('label', { for: 'svc-citem', i18n: 'svc.consult.item' }), item),
    h('div', { class: 'field' }, h('label', { for: 'svc-q', i18n: 'svc.consult.question' }), q),
    sug,
    h('div', { class: 'field' }, h('label', { for: 'svc-file', i18n: 'svc.consult.file' }), file),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'svc.consult.ask' })), flash);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { item_code: item.value.trim(), question: q.value.trim() };
    if (file.files && file.files[0]) {
      const up = await api.upload(file.files[0]);
      if (!up.ok) { flash.textContent = up.error.message; return; }
      body.file_id = up.data.file_id;
    }
    const r = await api.post('/api/v1/consultations', body);
    flash.textContent = r.ok ? t('svc.consult.asked') : r.error.message;
    if (r.ok) { q.value = ''; file.value = ''; fill(sug); load(); }
  });
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'svc.consult.title' }), h('p', { i18n: 'svc.consult.intro' })),
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel' }, h('h2', { i18n: 'svc.consult.mine' }), mine)));
  load();
}

const account = await initPage({ active: 'svc-consult' });
if (!account) location.replace(loginHref());
else render();
