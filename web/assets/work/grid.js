// work/grid.js - workbench/grid.html: urban grid management (GB/T 30428).
//   (no query)   grid workers report an event or component from the street (kind,
//                category, description, a photo taken with the phone, the phone's
//                location - placed in its unit grid by the server); everyone with
//                the page sees the events and the per-grid counts
//   ?no=         one event: its photos and steps, and the actions the account may
//                take: the centre opens (立案), dispatches (派遣), closes (结案) or
//                rejects; the department handles it with an after-photo (处置);
//                grid workers check it on site (核查)
// The map of the grid and its events is gridmap.html (Leaflet), linked from here.
import { h, T, fill, params, pageUrl } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, showApiError } from '../forms.js';
import { initWork, hasRole, deptSelect } from '../work-layout.js';
import { fmtTime } from '../casefmt.js';
import { hlError } from '../hotline-fmt.js';

const main = document.getElementById('main');
const p = params();
const account = await initWork({ active: 'grid', roles: ['grid_worker', 'hotline_operator', 'supervisor', 'reviewer', 'chief_approver'] });
const MAJORS = {
  event: ['市容环境', '宣传广告', '施工管理', '突发事件', '街面秩序', '其他事件'],
  component: ['公用设施', '道路交通', '市容环境', '园林绿化', '房屋土地', '其他设施'],
};
const STATUSES = ['reported', 'opened', 'dispatched', 'handled', 'verified', 'closed', 'rejected'];

const status = (s) => h('span', { class: `status status-ge-${s}`, 'data-status': s }, T(`ge.status.${s}`));

function labelled(id, key, control, required) {
  control.id = id;
  return h('div', { class: 'field', 'data-field': control.name },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key }), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control, h('p', { class: 'field-ok' }), h('p', { class: 'field-error', 'aria-live': 'polite', 'data-testid': `error-${control.name}` }));
}

/** Upload the chosen photo; resolves to its id, '' when none was chosen, or null after showing the error. */
async function uploadPhoto(input, form, box) {
  const file = input.files && input.files[0];
  if (!file) return '';
  showAlert(box, 'ge.uploading', null, null, 'info');
  const r = await api.upload(file);
  if (!r.ok) {
    showApiError(form, box, hlError({ ...r.error, field: 'photo' }));
    return null;
  }
  box.replaceChildren();
  return r.data.file_id;
}

function reportForm() {
  const box = formAlert('ge-alert');
  const kind = h('select', { name: 'kind', 'data-testid': 'ge-kind' }, ['event', 'component'].map((k) => h('option', { value: k, i18n: `ge.kind.${k}` })));
  const major = h('select', { name: 'major', 'data-testid': 'ge-major' });
  const fillMajors = () => major.replaceChildren(...MAJORS[kind.value].map((m) => h('option', { value: m }, m)));
  kind.addEventListener('change', fillMajors);
  fillMajors();
  const lat = h('input', { name: 'lat', inputmode: 'decimal', 'data-testid': 'ge-lat' });
  const lng = h('input', { name: 'lng', inputmode: 'decimal', 'data-testid': 'ge-lng' });
  const locate = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'hl.locate' });
  locate.addEventListener('click', () => navigator.geolocation && navigator.geolocation.getCurrentPosition((pos) => {
    lat.value = pos.coords.latitude.toFixed(6);
    lng.value = pos.coords.longitude.toFixed(6);
  }, () => showAlert(box, 'hl.locateFailed', null, null, 'info'), { timeout: 10000 }));
  const photo = h('input', { name: 'photo', type: 'file', accept: 'image/*', capture: 'environment', 'data-testid': 'ge-photo' });
  const form = h('form', { class: 'hl-form wform', novalidate: true, 'data-testid': 'ge-report' }, box,
    labelled('ge-kind', 'ge.kind', kind),
    labelled('ge-major', 'ge.major', major, true),
    labelled('ge-minor', 'ge.minor', h('input', { name: 'minor', maxlength: 50 })),
    labelled('ge-description', 'ge.description', h('textarea', { name: 'description', maxlength: 1000, 'data-testid': 'ge-description' }), true),
    labelled('ge-photo', 'ge.photo', photo),
    h('div', { class: 'hl-coords' }, labelled('ge-lat', 'hl.lat', lat, true), labelled('ge-lng', 'hl.lng', lng, true), h('div', { class: 'field' }, locate)),
    h('p', { class: 'hint', i18n: 'hl.noMap' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', i18n: 'hl.submit', 'data-testid': 'ge-submit' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = await uploadPhoto(photo, form, box);
    if (id === null) return;
    const body = { kind: kind.value, major: major.value, description: form.elements.description.value.trim(), lat: lat.value.trim(), lng: lng.value.trim() };
    if (form.elements.minor.value.trim()) body.minor = form.elements.minor.value.trim();
    if (id) body.photo = id;
    const r = await api.post('/api/v1/grid-events', body);
    if (!r.ok) return showApiError(form, box, hlError(r.error));
    location.href = pageUrl('grid.html', { no: r.data.event_no });
  });
  return form;
}

async function showList() {
  const st = STATUSES.includes(p.get('status')) ? p.get('status') : '';
  const [r, g] = await Promise.all([api.get(`/api/v1/grid-events${api.qs({ status: st, limit: 200 })}`), api.get('/api/v1/grids')]);
  const items = r.ok ? r.data.items : [];
  const busy = g.ok ? g.data.features.filter((f) => f.properties.events > 0) : [];
  const sel = h('select', { id: 'status', name: 'status' }, h('option', { value: '', i18n: 'hl.status.all' }), STATUSES.map((s) => h('option', { value: s, i18n: `ge.status.${s}` })));
  sel.value = st;
  fill(main, h('div', { class: 'wrap page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'ge.title' }), h('p', null, h('a', { href: 'gridmap.html', i18n: 'ge.map.open', 'data-testid': 'ge-map-link' }))),
    h('div', { class: hasRole(account, 'grid_worker') ? 'hl-grid' : null },
      h('section', null,
        h('h2', { i18n: 'ge.list' }),
        h('form', { class: 'queue-filter', method: 'get', action: 'grid.html' },
          h('div', { class: 'field' }, h('label', { for: 'status', i18n: 'hl.col.status' }), sel),
          h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', i18n: 'search.apply' }))),
        items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'ge-table' },
          h('thead', null, h('tr', null, ['ge.col.no', 'ge.major', 'ge.description', 'ge.grid', 'hl.col.dept', 'hl.col.status'].map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', null, items.map((e) => h('tr', { 'data-event': e.event_no, 'data-status': e.status },
            h('td', { class: 'mono' }, h('a', { href: pageUrl('grid.html', { no: e.event_no }) }, e.event_no), h('div', { class: 'muted small' }, fmtTime(e.created_at))),
            h('td', null, T(`ge.kind.${e.kind}`), ' · ', e.major, e.minor ? ` · ${e.minor}` : ''),
            h('td', null, e.description),
            h('td', { class: 'mono' }, e.grid_code || T('ge.noGrid')),
            h('td', null, e.dept_name || ''),
            h('td', null, status(e.status))))))) : h('p', { class: 'notice notice-info', i18n: 'ge.empty' }),
        h('h2', { i18n: 'ge.counts' }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'ge-counts' },
          h('thead', null, h('tr', null, ['ge.grid', 'ge.counts.open', 'ge.counts.all'].map((k) => h('th', { scope: 'col', i18n: k })))),
          h('tbody', null, busy.map((f) => h('tr', { 'data-grid': f.id },
            h('td', null, h('span', { class: 'mono' }, f.id), h('div', { class: 'muted small' }, f.properties.name)),
            h('td', { class: 'num' }, String(f.properties.open_events)),
            h('td', { class: 'num' }, String(f.properties.events)))))))),
      hasRole(account, 'grid_worker') ? h('section', { class: 'panel', 'aria-labelledby': 'ge-report-h' }, h('h2', { id: 'ge-report-h', i18n: 'ge.report' }), reportForm()) : null)));
}

function actionForm(ev, action, key, controls, toBody, testid) {
  const box = formAlert(`ge-${testid}-alert`);
  const form = h('form', { class: 'hl-form', novalidate: true, 'data-testid': `ge-act-${testid}` }, h('h3', { i18n: key }), box, controls,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-sm', i18n: key })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = await toBody(form, box);
    if (body === null) return;
    const r = await api.post(`/api/v1/grid-events/${encodeURIComponent(ev.event_no)}/${action}`, body);
    if (!r.ok) return showApiError(form, box, hlError(r.error));
    showEvent(r.data);
  });
  return form;
}
const note = (key = 'hl.act.note', required) => labelled(`f-note-${Math.random().toString(36).slice(2, 7)}`, key, h('textarea', { name: 'note', maxlength: 1000 }), required);
const val = (f, n) => f.elements[n].value.trim();
const withNote = (f, extra = {}) => (val(f, 'note') ? { ...extra, note: val(f, 'note') } : extra);

function actions(ev) {
  const centre = hasRole(account, 'hotline_operator');
  const worker = hasRole(account, 'grid_worker');
  const mine = hasRole(account, 'reviewer', 'chief_approver') && ev.dept && ev.dept === account.dept;
  const list = [];
  if (centre && ev.status === 'reported') list.push(actionForm(ev, 'open', 'ge.act.open', [note()], (f) => withNote(f), 'open'));
  if (centre && ev.status === 'opened') {
    const dept = deptSelect('f-dept', { exclude: ['XH-12345'] });
    dept.name = 'dept';
    list.push(actionForm(ev, 'dispatch', 'ge.act.dispatch', [labelled('f-dept', 'hl.act.dispatchDept', dept, true), note()], (f) => withNote(f, { dept: val(f, 'dept') }), 'dispatch'));
  }
  if (mine && ev.status === 'dispatched') {
    const photo = h('input', { name: 'photo', type: 'file', accept: 'image/*', capture: 'environment' });
    list.push(actionForm(ev, 'handle', 'ge.act.handle', [labelled('f-after', 'ge.photoAfter', photo, true), note('hl.act.note', true)], async (f, box) => {
      const id = await uploadPhoto(photo, f, box);
      return id === null ? null : withNote(f, { photo: id });
    }, 'handle'));
  }
  if (worker && ev.status === 'handled') {
    list.push(actionForm(ev, 'verify', 'ge.act.verifyOk', [note()], (f) => withNote(f, { ok: true }), 'verify-ok'));
    list.push(actionForm(ev, 'verify', 'ge.act.verifyFail', [note('hl.act.note', true)], (f) => withNote(f, { ok: false }), 'verify-fail'));
  }
  if (centre && ev.status === 'verified') list.push(actionForm(ev, 'close', 'ge.act.close', [note()], (f) => withNote(f), 'close'));
  if (centre && !['closed', 'rejected'].includes(ev.status)) {
    list.push(actionForm(ev, 'reject', 'ge.act.reject', [labelled('f-reason', 'hl.act.reason', h('input', { name: 'reason', maxlength: 500 }), true)], (f) => ({ reason: val(f, 'reason') }), 'reject'));
  }
  return list.length ? h('div', { class: 'hl-actions' }, list) : null;
}

function photoLink(id, key) {
  return id ? [h('dt', { i18n: key }), h('dd', null, h('a', { href: `/api/v1/files/${encodeURIComponent(id)}/content`, target: '_blank', rel: 'noopener', 'data-testid': `ge-${key.replace('ge.', '')}` },
    h('img', { src: `/api/v1/files/${encodeURIComponent(id)}/content`, alt: t(key), class: 'ge-photo' })))] : null;
}

function showEvent(ev) {
  const dl = (key, v) => (v ? [h('dt', { i18n: key }), h('dd', null, v)] : null);
  fill(main, h('div', { class: 'wrap page', 'data-testid': 'ge-event', 'data-event': ev.event_no, 'data-status': ev.status },
    h('p', null, h('a', { href: 'grid.html', i18n: 'ge.back' })),
    h('div', { class: 'page-head' }, h('h1', { class: 'mono' }, ev.event_no), h('p', null, T(`ge.kind.${ev.kind}`), ' · ', ev.major, ev.minor ? ` · ${ev.minor}` : '', ' ', status(ev.status))),
    h('section', { class: 'panel' }, h('dl', { class: 'dl-grid record' },
      dl('ge.description', ev.description),
      dl('ge.grid', h('span', { class: 'mono', 'data-testid': 'ge-grid' }, ev.grid_code || t('ge.noGrid'))),
      dl('hl.address', h('span', { class: 'mono' }, `${ev.lat}, ${ev.lng}`)),
      dl('ge.reporter', ev.reporter_name),
      dl('hl.col.dept', ev.dept_name),
      dl('hl.act.note', ev.note),
      ev.order_no ? dl('hl.col.no', h('a', { href: pageUrl('hotline.html', { no: ev.order_no }), class: 'mono' }, ev.order_no)) : null,
      photoLink(ev.photo_before, 'ge.photo'),
      photoLink(ev.photo_after, 'ge.photoAfter'))),
    actions(ev),
    h('section', { class: 'panel' }, h('h2', { i18n: 'hl.steps' }), h('ol', { class: 'hl-steps', 'data-testid': 'ge-steps' }, (ev.steps || []).map((s) => h('li', { 'data-action': s.action },
      h('span', { class: 'when' }, fmtTime(s.at)), T(`ge.step.${s.action}`), s.actor ? h('span', { class: 'muted' }, ` · ${s.actor}`) : null,
      s.note ? h('div', { class: 'muted small' }, s.note) : null))))));
}

if (account) {
  if (p.get('no')) {
    const r = await api.get(`/api/v1/grid-events/${encodeURIComponent(p.get('no'))}`);
    if (r.ok) showEvent(r.data);
    else fill(main, h('div', { class: 'wrap page' }, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { i18n: 'error.load' }))));
  } else {
    await showList();
  }
}
