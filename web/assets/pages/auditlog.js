// auditlog.js - auditlog.html : the audit log's signed tree heads for anyone
// (GET /api/v1/public/audit/sth, /sths, /keys; no login), and the inclusion
// proof of one record (/proof/inclusion?seq=) - what an outside auditor keeps
// and asks for (docs/OPERATIONS.md "The audit log's signed tree heads").
import { h, T, fill } from '../dom.js';
import { initPage, failure } from '../layout.js';
import * as api from '../api.js';
import '../i18n-auditlog.js';

const main = document.getElementById('main');
await initPage({ active: 'auditlog' });
fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));

const when = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const mono = (s) => h('code', { class: 'al-hash' }, s);

function proofForm() {
  const out = h('div', { 'data-testid': 'al-proof', 'aria-live': 'polite' });
  const input = h('input', { id: 'al-seq', type: 'text', inputmode: 'numeric', 'data-testid': 'al-seq' });
  const form = h('form', { class: 'form-row' },
    h('label', { for: 'al-seq', i18n: 'al.seq' }), ' ', input, ' ',
    h('button', { type: 'submit', class: 'btn', i18n: 'al.prove.go', 'data-testid': 'al-prove' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const seq = input.value.trim();
    if (!/^[1-9]\d{0,15}$/.test(seq)) {
      fill(out, h('p', { class: 'error', i18n: 'al.proof.invalid' }));
      return;
    }
    const r = await api.get(`/api/v1/public/audit/proof/inclusion${api.qs({ seq })}`);
    if (r.status === 404) return fill(out, h('p', { class: 'error', i18n: 'al.proof.notFound' }));
    if (r.status === 409) return fill(out, h('p', { class: 'error', i18n: 'al.proof.notYet' }));
    if (!r.ok) return fill(out, failure(r));
    const p = r.data;
    fill(out, h('dl', { class: 'al-dl' },
      h('dt', { i18n: 'al.proof.leaf' }), h('dd', { 'data-testid': 'al-leaf' }, String(p.leaf_index)),
      h('dt', { i18n: 'al.size' }), h('dd', null, String(p.tree_size)),
      h('dt', { i18n: 'al.proof.hash' }), h('dd', null, mono(p.record_hash)),
      h('dt', { i18n: 'al.proof.path', args: { n: p.audit_path.length } }),
      h('dd', null, h('ol', { 'data-testid': 'al-path' }, p.audit_path.map((x) => h('li', null, mono(x)))))));
  });
  return h('section', null, h('h2', { i18n: 'al.prove' }), h('p', { class: 'muted', i18n: 'al.prove.help' }), form, out);
}

const [sth, keys, heads] = await Promise.all([
  api.get('/api/v1/public/audit/sth'),
  api.get('/api/v1/public/audit/keys'),
  api.get('/api/v1/public/audit/sths?limit=1000'),
]);
const intro = [h('h1', { i18n: 'al.title' }), h('p', { i18n: 'al.intro' })];
if (sth.status === 404) {
  fill(main, h('div', { class: 'wrap page' }, intro, h('p', { class: 'muted', 'data-testid': 'al-none', i18n: 'al.none' })));
} else if (!sth.ok || !keys.ok || !heads.ok) {
  fill(main, h('div', { class: 'wrap page' }, intro, failure(!sth.ok ? sth : !keys.ok ? keys : heads)));
} else {
  const s = sth.data;
  const key = keys.data.keys.find((k) => k.key_id === s.key_id);
  const list = heads.data.heads.slice(-20).reverse();
  fill(main, h('div', { class: 'wrap page' }, intro,
    h('section', null, h('h2', { i18n: 'al.latest' }),
      h('dl', { class: 'al-dl', 'data-testid': 'al-sth' },
        h('dt', { i18n: 'al.size' }), h('dd', { 'data-testid': 'al-size' }, String(s.tree_size)),
        h('dt', { i18n: 'al.time' }), h('dd', null, when(s.timestamp)),
        h('dt', { i18n: 'al.root' }), h('dd', { 'data-testid': 'al-root' }, mono(s.root_hash)),
        h('dt', { i18n: 'al.key' }), h('dd', null, mono(s.key_id)),
        h('dt', { i18n: 'al.sig' }), h('dd', null, mono(s.signature)))),
    key ? h('section', null, h('h2', { i18n: 'al.pubkey' }), h('pre', { class: 'al-pem', 'data-testid': 'al-pem' }, key.public_pem)) : null,
    h('section', null, h('h2', { i18n: 'al.heads' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'al-heads' },
        h('thead', null, h('tr', null, h('th', { i18n: 'al.col.size' }), h('th', { i18n: 'al.col.time' }), h('th', { i18n: 'al.col.root' }))),
        h('tbody', null, list.map((x) => h('tr', null, h('td', null, String(x.tree_size)), h('td', null, when(x.timestamp)), h('td', null, mono(`${x.root_hash.slice(0, 16)}…`)))))))),
    proofForm()));
}
