// svc-ratings.js - ratings.html : 好差评.  Every rating request of mine (a
// finished case, a hall visit, a department's rectification) with the five
// levels while its window is open (POST /api/v1/ratings/{id}), the ratings I
// gave, and for a bad one the department's rectification: due day, outcome.
import { h, T, fill } from '../dom.js';
import { initPage, loginHref } from '../layout.js';
import * as api from '../api.js';

const main = document.getElementById('main');
const STARS = (n) => '★'.repeat(n) + '☆'.repeat(5 - n);

function rectBox(x) {
  if (!x) return null;
  return h('div', { class: 'svc-rect', 'data-testid': 'rectification', 'data-status': x.status },
    h('strong', { i18n: 'svc.rect.title' }), ' ',
    x.status === 'open' ? T('svc.rect.open', { due: x.due_day }) : T(`svc.rect.${x.status}`),
    x.outcome ? h('p', null, h('span', { class: 'fact-label', i18n: 'svc.rect.outcome' }), '：', x.outcome) : null);
}

function rateForm(r, reload) {
  const name = `lvl-${r.id}`;
  const comment = h('input', { maxlength: '500', i18nAttr: 'placeholder:svc.rate.comment;aria-label:svc.rate.comment' });
  const form = h('form', { class: 'svc-rate', 'data-testid': 'rate-form' },
    h('fieldset', null, [5, 4, 3, 2, 1].map((l) => h('label', { class: 'svc-level' },
      h('input', { type: 'radio', name, value: String(l), required: true }), ' ', h('span', { class: 'svc-stars', 'aria-hidden': 'true' }, STARS(l)), ' ', T(`svc.rate.${l}`)))),
    comment, h('button', { type: 'submit', class: 'btn btn-sm', i18n: 'svc.rate.submit' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = form.querySelector(`input[name="${name}"]:checked`);
    if (!v) return;
    const res = await api.post(`/api/v1/ratings/${r.id}`, { level: Number(v.value), comment: comment.value });
    if (res.ok) reload();
  });
  return form;
}

async function render() {
  const list = h('ul', { class: 'svc-ratings', 'data-testid': 'ratings' });
  async function reload() {
    const r = await api.get('/api/v1/ratings');
    if (!r.ok) return;
    fill(list, r.data.items.length ? r.data.items.map((x) => h('li', { class: 'svc-rating', 'data-kind': x.kind, 'data-level': String(x.level) },
      h('div', null, h('span', { class: 'badge', i18n: `svc.rate.kind.${x.kind}` }), ' ', h('strong', null, x.title || x.target),
        x.kind === 'case' ? h('span', { class: 'mono small muted' }, ' ', x.target) : null),
      x.level ? h('p', null, h('span', { class: 'svc-stars' }, STARS(x.level)), ' ', T('svc.rate.given', { level: '' }), T(`svc.rate.${x.level}`), x.comment ? ` · ${x.comment}` : '')
        : x.open ? [h('p', { class: 'muted small' }, T('svc.rate.closes', { t: x.closes_at.slice(0, 10) })), rateForm(x, reload)]
          : h('p', { class: 'muted', i18n: 'svc.rate.closed' }),
      rectBox(x.rectification))) : h('li', { class: 'muted', i18n: 'svc.rate.empty' }));
  }
  fill(main, h('div', { class: 'wrap page svc-page' },
    h('div', { class: 'page-head' }, h('h1', { i18n: 'svc.rate.title' }), h('p', { i18n: 'svc.rate.intro' })),
    h('section', { class: 'panel' }, list)));
  reload();
}

const account = await initPage({ active: 'svc-ratings' });
if (!account) location.replace(loginHref());
else render();
