// pages/hotline.js - hotline.html: the public 12345 reporting page.  Anyone
// reports a problem (logged in: as themselves; otherwise anonymously with a
// callback number), with its place (the phone's location or typed
// coordinates; no map: Leaflet is not installed); a logged-in citizen sees
// their own orders and rates a closed one; anyone follows an order by its
// number and callback number.
import { h, T, fill, params } from '../dom.js';
import { t, getLang } from '../i18n.js';
import * as api from '../api.js';
import { initPage } from '../layout.js';
import { field, formAlert, showAlert, showApiError } from '../forms.js';
import { hlCard, hlError } from '../hotline-fmt.js';

const main = document.getElementById('main');
const account = await initPage({ active: 'hotline' });
const cats = await api.get('/api/v1/hotline/categories');
const categories = cats.ok ? cats.data.items : [];
const p = params();

function labelled(id, key, control, opts = {}) {
  return h('div', { class: 'field', 'data-field': opts.name || id },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key }), opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    opts.hint ? h('p', { class: 'hint', i18n: opts.hint }) : null,
    h('p', { class: 'field-ok' }),
    h('p', { class: 'field-error', 'aria-live': 'polite', 'data-testid': `error-${opts.name || id}` }));
}

function reportForm() {
  const sel = h('select', { id: 'hl-category', name: 'category', required: true, 'data-testid': 'hl-category' },
    h('option', { value: '', i18n: 'apply.choose' }),
    categories.map((c) => h('option', { value: c.code, 'data-zh': `${c.name}（${c.group}）`, 'data-en': c.name_en }, getLang() === 'en' ? c.name_en : `${c.name}（${c.group}）`)));
  const content = h('textarea', { id: 'hl-content', name: 'content', maxlength: 2000, required: true, 'data-testid': 'hl-content' });
  const lat = h('input', { id: 'hl-lat', name: 'lat', inputmode: 'decimal', 'data-testid': 'hl-lat' });
  const lng = h('input', { id: 'hl-lng', name: 'lng', inputmode: 'decimal', 'data-testid': 'hl-lng' });
  const locate = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'hl.locate' });
  const alertBox = formAlert('hl-alert');
  locate.addEventListener('click', () => {
    if (!navigator.geolocation) return showAlert(alertBox, 'hl.locateFailed', null, null, 'info');
    locate.textContent = t('hl.locating');
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      locate.textContent = t('hl.locate');
    }, () => {
      locate.textContent = t('hl.locate');
      showAlert(alertBox, 'hl.locateFailed', null, null, 'info');
    }, { timeout: 10000 });
  });
  const form = h('form', { class: 'hl-form wform', novalidate: true, 'data-testid': 'hl-report' },
    alertBox,
    h('p', { class: 'muted' }, account ? T('hl.loggedIn', { name: account.name }) : T('hl.anonymous')),
    labelled('hl-category', 'hl.category', sel, { name: 'category', required: true }),
    labelled('hl-content', 'hl.content', content, { name: 'content', required: true, hint: 'hl.content.hint' }),
    field({ prefix: 'hl', name: 'address', label: 'hl.address', required: false, maxlength: 200 }),
    h('div', { class: 'hl-coords' },
      labelled('hl-lat', 'hl.lat', lat, { name: 'lat' }),
      labelled('hl-lng', 'hl.lng', lng, { name: 'lng' }),
      h('div', { class: 'field' }, locate)),
    h('p', { class: 'hint', i18n: 'hl.location.hint' }),
    field({ prefix: 'hl', name: 'media_url', label: 'hl.media', required: false, maxlength: 500 }),
    field({ prefix: 'hl', name: 'caller_name', label: 'hl.callerName', required: false, maxlength: 50, value: account ? account.name : '' }),
    field({ prefix: 'hl', name: 'caller_phone', label: 'hl.callerPhone', required: !account, hint: 'hl.callerPhone.hint', inputmode: 'tel', maxlength: 20 }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'hl.submit', 'data-testid': 'hl-submit' })),
    h('div', { id: 'hl-result', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { category: sel.value, content: content.value.trim() };
    for (const n of ['address', 'media_url', 'caller_name', 'caller_phone']) {
      const v = form.elements[n].value.trim();
      if (v) body[n] = v;
    }
    if (lat.value.trim()) body.lat = lat.value.trim();
    if (lng.value.trim()) body.lng = lng.value.trim();
    if (!body.category) delete body.category;
    const r = await api.post('/api/v1/hotline/orders', body);
    if (!r.ok) return showApiError(form, alertBox, hlError(r.error));
    alertBox.replaceChildren();
    fill(form.querySelector('#hl-result'), h('div', { class: 'notice notice-success', role: 'status', 'data-testid': 'hl-submitted', 'data-order': r.data.order_no },
      h('p', { i18n: 'hl.submitted', args: { no: r.data.order_no } }),
      h('p', { i18n: 'hl.limit', args: { n: r.data.clock.limit_days } })));
    form.reset();
    if (account) showMine();
  });
  return form;
}

function rateForm(o) {
  const sel = h('select', { name: 'rating', 'aria-label': t('hl.rating') }, [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n), i18n: `hl.rating.${n}` })));
  const comment = h('input', { name: 'comment', maxlength: 500, 'aria-label': t('hl.comment'), placeholder: t('hl.comment') });
  const box = formAlert(`hl-rate-${o.order_no}`);
  const form = h('form', { class: 'hl-form', 'data-testid': 'hl-rate' }, box, sel, comment, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'hl.rate' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api.post(`/api/v1/hotline/orders/${encodeURIComponent(o.order_no)}/rate`, { rating: Number(sel.value), comment: comment.value.trim() });
    if (!r.ok) return showApiError(form, box, hlError(r.error));
    showMine();
  });
  return form;
}

const mine = h('section', { class: 'panel', 'aria-labelledby': 'hl-mine-h', 'data-testid': 'hl-mine' });
async function showMine() {
  if (!account) return;
  const r = await api.get('/api/v1/hotline/orders?limit=50');
  const items = r.ok ? r.data.items : [];
  fill(mine, h('h2', { id: 'hl-mine-h', i18n: 'hl.mine' }),
    items.length ? items.map((o) => h('div', null, hlCard(o), ['closed', 'visited'].includes(o.status) ? rateForm(o) : null))
      : h('p', { class: 'muted', i18n: 'hl.mine.empty' }));
}

function lookupForm() {
  const box = formAlert('hl-lookup-alert');
  const out = h('div', { 'data-testid': 'hl-lookup-result' });
  const form = h('form', { class: 'hl-form wform', 'data-testid': 'hl-lookup' }, box,
    field({ prefix: 'lk', name: 'order_no', label: 'hl.lookup.no', value: p.get('no') || '', maxlength: 20 }),
    field({ prefix: 'lk', name: 'phone', label: 'hl.callerPhone', inputmode: 'tel', maxlength: 20 }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-ghost', i18n: 'hl.lookup.go' })), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const no = form.elements.order_no.value.trim();
    const phone = form.elements.phone.value.trim();
    const r = await api.get(`/api/v1/public/hotline-orders/${encodeURIComponent(no)}${api.qs({ phone })}`);
    if (!r.ok) {
      out.replaceChildren();
      return showAlert(box, r.status === 404 ? 'hl.lookup.none' : 'err.generic');
    }
    box.replaceChildren();
    fill(out, hlCard(r.data, { steps: true }));
  });
  return form;
}

fill(main, h('div', { class: 'wrap page' },
  h('div', { class: 'page-head' }, h('h1', { i18n: 'title.hotline' }), h('p', { class: 'muted', i18n: 'hl.intro' })),
  h('div', { class: 'hl-grid' },
    h('section', { class: 'panel', 'aria-labelledby': 'hl-report-h' }, h('h2', { id: 'hl-report-h', i18n: 'hl.report' }), reportForm()),
    h('div', null,
      account ? mine : null,
      h('section', { class: 'panel', 'aria-labelledby': 'hl-lookup-h' }, h('h2', { id: 'hl-lookup-h', i18n: 'hl.lookup' }), lookupForm())))));
showMine();
