// work/svc-templates.js - workbench/templates.html : an administrator edits
// the message templates, per event and language (GET/PUT
// /api/v1/admin/notify-templates).  Each shows the {placeholders} its event
// provides; a placeholder it lacks is refused by the server (422, shown
// next to the form) and nothing changes.  Messages queued after a save use
// the new text.
import { h, T, fill } from '../dom.js';
import * as api from '../api.js';
import { initWork } from '../work-layout.js';

const main = document.getElementById('main');

function editor(t) {
  const id = `${t.name}-${t.lang}`.replace(/[^a-z0-9-]/gi, '-');
  const title = h('input', { id: `tpl-t-${id}`, value: t.title, maxlength: '200', 'data-field': 'title' });
  const body = h('textarea', { id: `tpl-b-${id}`, rows: '3', maxlength: '2000', 'data-field': 'body' });
  body.value = t.body;
  const flash = h('p', { class: 'svc-flash', role: 'status', 'aria-live': 'polite' });
  const when = h('span', { class: 'muted small' });
  const stamp = (x) => fill(when, x.updated_by ? T('svc.tpl.edited', { at: x.updated_at.slice(0, 16).replace('T', ' ') }) : T('svc.tpl.builtin'));
  stamp(t);
  const save = h('button', { type: 'button', class: 'btn btn-apply btn-sm', i18n: 'svc.tpl.save' });
  save.addEventListener('click', async () => {
    const r = await api.put(`/api/v1/admin/notify-templates/${encodeURIComponent(t.name)}/${t.lang}`, { title: title.value, body: body.value });
    flash.className = r.ok ? 'svc-flash' : 'svc-flash notice notice-error';
    fill(flash, r.ok ? T('svc.tpl.saved') : r.error.message);
    if (r.ok) stamp(r.data);
  });
  return h('div', { class: 'svc-tpl', 'data-template': t.name, 'data-lang': t.lang },
    h('h3', null, t.lang === 'zh' ? '中文' : 'English', ' ', when),
    h('label', { for: title.id, i18n: 'svc.tpl.title' }), title,
    h('label', { for: body.id, i18n: 'svc.tpl.body' }), body,
    h('p', { class: 'small muted' }, T('svc.tpl.vars'), ' ', t.vars.map((v) => [h('code', null, `{${v}}`), ' '])),
    save, flash);
}

async function render() {
  const r = await api.get('/api/v1/admin/notify-templates');
  if (!r.ok) { fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'notice notice-error' }, r.error.message))); return; }
  const byName = new Map();
  for (const t of r.data.items) {
    if (!byName.has(t.name)) byName.set(t.name, []);
    byName.get(t.name).push(t);
  }
  fill(main, h('div', { class: 'wrap page svc-page', 'data-testid': 'templates' },
    h('h1', { i18n: 'title.work.templates' }),
    h('p', { class: 'muted', i18n: 'svc.tpl.intro' }),
    [...byName].map(([name, list]) => h('section', { class: 'panel', 'data-name': name },
      h('h2', null, T(`svc.tpl.ev.${name}`), ' ', h('code', { class: 'small' }, name)),
      list.map(editor)))));
}

if (await initWork({ active: 'templates', roles: ['admin'] })) render();
