// hall.js - hall/index.html : the hall's TV screen.  The numbers being called
// and at which window, in large text, the newest first; the waiting count
// per department and, per item, the estimated wait of a number taken now
// (from the item's recent service times); a new call is announced (speech, when
// the browser has it).  It listens to GET /api/v1/public/hall/events
// (server-sent events: each change is pushed within a second); without
// EventSource, or while the stream is down, it asks
// GET /api/v1/public/hall/screen?since=VERSION every two seconds.
import { h, T, fill } from '../assets/dom.js';
import { apply, t, getLang } from '../assets/i18n.js';
import '../assets/i18n-services.js';

const main = document.getElementById('main');
let version = '';
let lastCall = '';
let depts = {};

async function loadDepts() {
  try {
    const r = await fetch('/api/v1/departments');
    const d = await r.json();
    for (const x of d.items || []) depts[x.code] = getLang() === 'en' ? x.name_en || x.name : x.short || x.name;
  } catch {
    depts = {};
  }
}

function announce(c) {
  const text = t('svc.hall.calling', { number: c.number, window: c.window_name });
  try {
    if ('speechSynthesis' in window) {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = getLang() === 'en' ? 'en-US' : 'zh-CN';
      window.speechSynthesis.speak(u);
    }
  } catch {
    /* no speech here */
  }
}

function render(s) {
  const first = s.called[0];
  fill(main,
    h('header', { class: 'svc-screen-head' }, h('h1', { i18n: 'svc.hall.title' }), h('p', { class: 'svc-clock' }, new Date(Date.parse(s.now) + 8 * 3600000).toISOString().slice(11, 16))),
    h('section', { class: 'svc-screen-now', 'data-testid': 'now-calling' },
      first ? h('p', { class: 'svc-big' }, T('svc.hall.calling', { number: first.number, window: first.window_name }))
        : h('p', { class: 'svc-big muted', i18n: 'svc.hall.none' })),
    h('div', { class: 'svc-screen-grid' },
      h('section', null, h('h2', { i18n: 'svc.hall.called' }),
        h('table', { class: 'svc-called', 'data-testid': 'called' }, h('tbody', null, s.called.map((c) => h('tr', { 'data-number': c.number },
          h('td', { class: 'svc-num' }, c.number), h('td', null, c.window_name)))))),
      h('section', null, h('h2', { i18n: 'svc.hall.waiting' }), h('p', { i18n: 'svc.hall.total', args: { n: s.total_waiting } }),
        h('ul', { class: 'svc-waiting' }, s.waiting.map((w) => h('li', null, h('span', null, depts[w.dept] || w.dept), ' ', h('strong', null, String(w.waiting))))),
        (s.items || []).length ? [h('h2', { i18n: 'svc.hall.byItem' }),
          h('ul', { class: 'svc-waiting svc-items', 'data-testid': 'item-waits' }, s.items.map((x) => h('li', { 'data-item': x.item_code },
            h('span', null, x.item_name), ' ', h('strong', null, String(x.waiting)), ' · ',
            x.est_minutes === null ? T('svc.hall.noWindow') : T('svc.hall.est', { n: x.est_minutes }))))] : null)));
  apply(main);
  if (first && `${first.number}|${first.called_at}` !== lastCall) {
    if (lastCall) announce(first);
    lastCall = `${first.number}|${first.called_at}`;
  }
}

function show(s) {
  if (s.version !== version) {
    version = s.version;
    render(s);
  }
}

/* The fallback: ask every two seconds (a small answer when nothing changed). */
let polling = false;
async function tick() {
  if (live) {
    polling = false;
    return;
  }
  polling = true;
  try {
    const r = await fetch(`/api/v1/public/hall/screen${version ? `?since=${encodeURIComponent(version)}` : ''}`);
    if (r.ok) {
      const s = await r.json();
      if (!s.unchanged) show(s);
    }
  } catch {
    /* the network will be back */
  }
  setTimeout(tick, 2000);
}

/* Server-sent events: the server pushes each change; the browser reconnects
 * by itself.  While the stream is down the screen polls. */
let live = false;
function stream() {
  if (!('EventSource' in window)) return false;
  const es = new EventSource('/api/v1/public/hall/events');
  es.addEventListener('screen', (e) => {
    try {
      show(JSON.parse(e.data));
    } catch {
      /* a broken event: the next one repairs it */
    }
  });
  es.addEventListener('open', () => {
    live = true;
  });
  es.addEventListener('error', () => {
    live = false;
    if (!polling) {
      polling = true;
      setTimeout(tick, 2000);
    }
  });
  return true;
}

apply(document);
await loadDepts();
if (!stream()) tick();
else setTimeout(() => {
  if (!live && !polling) tick();
}, 3000);
