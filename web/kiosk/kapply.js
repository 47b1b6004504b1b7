// kapply.js - applying at the kiosk: search an item, then the same form,
// prefill and e-licenses as online (applyform.js: the server's precheck fills
// what it knows and names the materials the person's own e-licenses satisfy),
// each paper material scanned by the kiosk's scanner or camera (a file input
// with capture, uploaded to POST /api/v1/files), and the case submitted with
// channel "kiosk" (POST /api/v1/cases, cases' own API).  Each scan and the
// application are recorded with the session's kiosk (POST /api/v1/kiosk/actions).
import { h, fill } from '../assets/dom.js';
import { apply, t } from '../assets/i18n.js';
import * as api from '../assets/api.js';
import {
  loadSpec, prefillFrom, formFields, materialsPanel, missingMaterials, materialsBody, newMaterialsState,
  precheck, materialGroups,
} from '../assets/applyform.js';
import { printPdf } from './kprint.js';

/** The apply screen in `box`; back() returns to the person's screen. */
export function applyScreen(box, account, back, show) {
  const q = h('input', { id: 'ss-q', class: 'k-input', type: 'search', maxlength: '40', 'data-testid': 'ss-apply-q' });
  const list = h('ul', { class: 'ss-list', 'data-testid': 'ss-apply-items' });
  const search = async () => {
    const r = await api.items({ q: q.value.trim(), limit: 8 });
    const items = r.ok ? r.data.items : [];
    fill(list, items.length ? items.map((it) => h('li', { class: 'ss-row' },
      h('strong', null, it.name), h('span', null, it.code),
      h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.apply.this', 'data-code': it.code, onclick: () => itemScreen(it.code) })))
      : h('li', { i18n: 'ss.k.none' }));
    apply(list);
  };
  const go = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.apply.search', 'data-testid': 'ss-apply-search', onclick: search });
  show(h('div', { class: 'ss-apply', 'data-testid': 'ss-apply' },
    h('h1', { class: 'k-title', i18n: 'ss.k.apply' }),
    h('div', { class: 'k-field' }, h('label', { for: 'ss-q', i18n: 'ss.k.apply.q' }), q), go, list,
    h('button', { type: 'button', class: 'k-btn k-btn-ghost', i18n: 'ss.k.back', onclick: back })));
  search();

  async function itemScreen(code) {
    const spec = await loadSpec({ item: code });
    if (spec.error) return;
    const state = newMaterialsState();
    const fields = formFields(spec.fields, { prefix: 'kf', prefill: prefillFrom(account) });
    const matsBox = h('div', { class: 'mats-box' });
    const note = h('p', { class: 'k-error', role: 'alert', 'data-testid': 'ss-apply-error' });
    const build = () => {
      const panel = materialsPanel(materialGroups(spec, state), state, { prefix: 'km' });
      /* the kiosk's scanner is its camera: paper is scanned, not picked from a disk */
      for (const input of panel.el.querySelectorAll('input[type=file]')) {
        input.setAttribute('capture', 'environment');
        input.setAttribute('accept', 'image/jpeg,image/png,application/pdf');
      }
      fill(matsBox, panel.el);
    };
    build();
    const pre = await precheck(spec, state);
    if (pre) {
      const known = {};
      for (const f of spec.fields) if (f.prefill && pre.form[f.key] !== undefined) known[f.prefill] = pre.form[f.key];
      fields.setPrefill(known);
      build();
    }
    const submit = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.apply.submit', 'data-testid': 'ss-apply-submit' });
    submit.addEventListener('click', async () => {
      note.textContent = '';
      if (fields.validate()) return; /* the first field in error, focused */
      const missing = missingMaterials(materialGroups(spec, state), state).filter((x) => !x.license);
      if (missing.length) {
        note.textContent = t('ss.k.apply.missing', { name: missing[0].m.name });
        return;
      }
      submit.disabled = true;
      const r = await api.post('/api/v1/cases', { item_code: spec.code, channel: 'kiosk', form: fields.read(), materials: materialsBody(state) },
        { 'Idempotency-Key': api.newKey() });
      submit.disabled = false;
      if (!r.ok) {
        note.textContent = r.error.message;
        return;
      }
      for (const [mcode, u] of state.uploads) await api.post('/api/v1/kiosk/actions', { action: 'scan', ref: u.file_id, what: mcode });
      await api.post('/api/v1/kiosk/actions', { action: 'apply', ref: r.data.case_no });
      doneScreen(r.data);
    });
    show(h('div', { class: 'ss-apply ss-apply-form', 'data-testid': 'ss-apply-form', 'data-item': spec.code },
      h('h1', { class: 'k-title' }, spec.name),
      h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.apply.form' }), fields.el),
      h('section', { class: 'ss-panel' }, h('h2', { i18n: 'ss.k.apply.scan' }), h('p', { i18n: 'ss.k.apply.scan.text' }), matsBox),
      note, submit,
      h('button', { type: 'button', class: 'k-btn k-btn-ghost', i18n: 'ss.k.back', onclick: back })));
  }

  function doneScreen(k) {
    const out = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'ss-print-result' });
    const print = h('button', { type: 'button', class: 'k-btn', i18n: 'ss.k.print.receipt', 'data-testid': 'ss-print-receipt' });
    print.addEventListener('click', async () => {
      const r = await printPdf(`/api/v1/cases/${encodeURIComponent(k.case_no)}/receipt.pdf`, 'notice', k.case_no);
      out.textContent = r.ok ? t('ss.k.printed') : r.error.message;
      if (r.ok) out.setAttribute('data-bytes', String(r.bytes));
    });
    show(h('div', { class: 'ss-apply-done', 'data-testid': 'ss-apply-done' },
      h('h1', { class: 'k-title', i18n: 'ss.k.apply.done' }),
      h('p', { class: 'ss-opened', 'data-testid': 'ss-apply-case' }, k.case_no),
      print, out,
      h('button', { type: 'button', class: 'k-btn k-btn-ghost', i18n: 'ss.k.back', onclick: back })));
  }
}
