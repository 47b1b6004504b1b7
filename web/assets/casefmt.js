// casefmt.js - a case as page content, shared by the portal (我的办件, the case
// page, the public status page), the workbench and the kiosk: its status, its
// working-day clock (light, days left, due date), the timeline, materials,
// the bundle progress bar and the notice PDFs that apply.
import { h, T, bi } from './dom.js';
import { has } from './i18n.js';

export const STATUSES = ['draft', 'submitted', 'on_hold', 'supplement_requested', 'accepted', 'approved', 'denied', 'not_accepted', 'withdrawn'];
export const FINAL = ['approved', 'denied', 'not_accepted', 'withdrawn'];
export const LIGHTS = ['green', 'yellow', 'red', 'paused', 'not_started', 'stopped'];
export const PAUSE_KINDS = ['supplement', 'public_notice', 'inspection', 'hearing', 'expert_review'];

export const isFinal = (status) => FINAL.includes(status);

/** The case's status as a badge (data-status for tests and styles). */
export function statusBadge(status, extraClass = '', clock = null) {
  /* a bundle's later step, accepted with the bundle but not started: it waits for the step before */
  if (status === 'accepted' && clock && !clock.started) status = 'waiting';
  const key = has(`case.status.${status}`) ? `case.status.${status}` : null;
  return h('span', { class: `status status-${status}${extraClass ? ` ${extraClass}` : ''}`, 'data-status': status },
    key ? T(key) : status);
}

/** A traffic light: a coloured dot and its meaning in words (never colour alone). */
export function lightMark(light, opts = {}) {
  let l = LIGHTS.includes(light) ? light : 'not_started';
  if (opts.sameDay && l === 'yellow') l = 'green'; /* 即办 is on time all day, not a warning */
  return h('span', { class: `light light-${l}${opts.large ? ' light-lg' : ''}`, 'data-light': l },
    h('span', { class: 'light-dot', 'aria-hidden': 'true' }),
    T(`clock.light.${l}`));
}

/** "剩余 3 个工作日" / "今天到期" / "已超期 2 个工作日" / "暂停计时" / "受理后开始计时". */
export function daysLeftText(clock, opts = {}) {
  if (!clock || !clock.started) return T(opts.waiting ? 'clock.afterPrevious' : 'clock.notStarted');
  /* 即办: done the same day - not a deadline running out */
  if (Number(clock.promised_days) === 0 && clock.light !== 'stopped' && !clock.overdue && Number(clock.days_left) >= 0) return T('clock.sameDay');
  if (clock.light === 'paused') return T('clock.pausedLeft', { n: Math.max(0, Number(clock.days_left) || 0) });
  const n = Number(clock.days_left) || 0;
  if (clock.light === 'stopped') {
    if (clock.on_time === false) return T('clock.late');
    return T('clock.onTime');
  }
  if (clock.overdue || n < 0) return T('clock.overdue', { n: Math.abs(n) });
  if (n === 0) return T('clock.dueToday');
  return T('clock.left', { n });
}

/** The clock in one line: light, days left, due date (for lists). */
export function clockLine(clock, opts = {}) {
  if (!clock) return null;
  const sameDay = Number(clock.promised_days) === 0;
  return h('span', { class: 'clock-line', 'data-testid': 'clock' },
    opts.waiting && !clock.started ? null : lightMark(clock.light, { sameDay }),
    h('span', { class: 'clock-left' }, daysLeftText(clock, opts)),
    clock.started && clock.due_date ? h('span', { class: 'clock-due' }, T('clock.dueOn', { d: clock.due_date })) : null);
}

/** The clock as a box: light, days left, promised and legal due dates, pauses. */
export function clockBox(clock, opts = {}) {
  if (!clock) return null;
  const rows = [];
  const row = (key, value, args) => rows.push(h('div', null, h('dt', { i18n: key, args }), h('dd', null, value)));
  row('clock.promised', Number(clock.promised_days) > 0 ? T('unit.days', { n: Number(clock.promised_days) }) : T('clock.sameDayShort'));
  if (clock.started) {
    row('clock.start', clock.start_date || '');
    row('clock.due', h('strong', null, clock.due_date || ''));
    if (clock.legal_due_date) row('clock.legalDue', clock.legal_due_date);
  }
  if (Number(clock.paused_days) > 0) row('clock.pausedDays', T('unit.days', { n: clock.paused_days }));
  if (clock.paused && clock.pause_kind) row('clock.pauseKind', T(`pause.${clock.pause_kind}`));
  const sameDay = Number(clock.promised_days) === 0 && clock.light === 'yellow';
  const shown = sameDay ? 'green' : clock.light || 'not_started';
  return h('div', { class: `clock-box clock-${shown}`, 'data-testid': opts.testid || 'clock-box', 'data-light': clock.light },
    h('p', { class: 'clock-head' }, lightMark(clock.light, { large: true, sameDay: true }), h('span', { class: 'clock-left' }, daysLeftText(clock))),
    h('dl', { class: 'clock-facts' }, rows));
}

/** A bundle's progress: one bar, done of total. */
export function progressBar(progress, label = 'case.progress') {
  const done = Number(progress && progress.done) || 0;
  const total = Number(progress && progress.total) || 0;
  const pct = total ? Math.round((done / total) * 100) : 0;
  return h('div', { class: 'progress', 'data-testid': 'progress', 'data-done': String(done), 'data-total': String(total) },
    h('div', { class: 'progress-label' }, h('span', { i18n: label }), h('strong', { i18n: 'case.progressValue', args: { done, total, pct } })),
    h('progress', { max: String(total || 1), value: String(done), i18nAttr: 'aria-label:case.progress' }));
}

/** An instant as Shanghai local time: 2026-09-24 10:00. */
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = new Date(d.getTime() + 8 * 3600 * 1000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** An instant as a Shanghai date: 2026-09-24. */
export function fmtDate(iso) {
  return fmtTime(iso).slice(0, 10);
}

/** A department's name in the current language, from the departments list. */
export function deptName(depts, code, fallback) {
  const d = (depts || []).find((x) => x.code === code);
  if (d) return bi(d.name, d.name_en);
  return document.createTextNode(fallback || code || '');
}

const DECIDED = /^(approved|denied|returned|done|rerouted) \(([A-Z0-9-]+)\): ?([\s\S]*)$/;
const ROUTED = /^([A-Z0-9-]+) -> ([A-Z0-9-]+): ?([\s\S]*)$/;
const ASKS = /^([A-Z0-9-]+) asks ([A-Z0-9-]+): ?([\s\S]*)$/;
const PAUSED = /^(supplement|public_notice|inspection|hearing|expert_review): ?([\s\S]*)$/;
const RESUMED = /^(supplement|public_notice|inspection|hearing|expert_review) ended after (\d+) working days$/;

/** A timeline note, with the server's machine-made notes put in words. */
export function noteText(ev, depts) {
  const n = ev.note || '';
  if (!n) return null;
  let m = /^channel: (online|window|kiosk)$/.exec(n);
  if (m) return h('span', null, T('tl.note.channelLabel'), T(`channel.${m[1]}`));
  m = DECIDED.exec(n);
  if (m) return h('span', null, deptName(depts, m[2]), ' ', T(`task.status.${m[1]}`), m[3] ? [T('punct.colon'), m[3]] : null);
  m = ROUTED.exec(n);
  if (m) return h('span', null, deptName(depts, m[1]), ' → ', deptName(depts, m[2]), m[3] ? [T('punct.colon'), m[3]] : null);
  m = ASKS.exec(n);
  if (m) return h('span', null, T('tl.note.asks', null), deptName(depts, m[2]), m[3] ? [T('punct.colon'), m[3]] : null);
  m = RESUMED.exec(n);
  if (m) return h('span', null, T(`pause.${m[1]}`), ' · ', T('tl.note.pausedFor', { n: m[2] }));
  m = PAUSED.exec(n);
  if (m) return h('span', null, T(`pause.${m[1]}`), m[2] ? [T('punct.colon'), m[2]] : null);
  if (n === 'every department approved') return T('tl.note.allApproved');
  if (n === 'every item of the bundle is done') return T('tl.note.bundleDone');
  if (n === 'accepted with the bundle') return T('tl.note.withBundle');
  if (n === 'another item of the bundle was denied') return T('tl.note.bundleDenied');
  m = /^一次性告知：(\d+) 项需补正$/.exec(n);
  if (m) return T('tl.note.supplement', { n: m[1] });
  return h('span', null, n);
}

/** Who did it: the (masked, for applicants) name and the role. */
function actor(ev) {
  const role = has(`role.${ev.role}`) ? T(`role.${ev.role}`) : document.createTextNode(ev.role || '');
  return h('span', { class: 'tl-actor' }, ev.actor || '', ' ', h('span', { class: 'tl-role' }, T('punct.open'), role, T('punct.close')));
}

/** The timeline: who, when, what and why, oldest first. */
export function timeline(events, depts, opts = {}) {
  const list = (events || []).filter((e) => opts.all || !/^case\.draft(_saved)?$/.test(e.action));
  if (!list.length) return h('p', { class: 'muted', i18n: 'case.timeline.empty' });
  return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, list.map((e) => h('li', { class: `tl-item tl-${e.action.replace(/\./g, '-')}`, 'data-action': e.action },
    h('div', { class: 'tl-when' }, h('time', { datetime: e.at }, fmtTime(e.at))),
    h('div', { class: 'tl-body' },
      h('p', { class: 'tl-what' }, has(`tl.${e.action}`) ? T(`tl.${e.action}`) : e.action,
        e.to && e.from !== e.to && has(`case.status.${e.to}`) ? [' ', statusBadge(e.to, 'status-sm')] : null),
      e.actor ? h('p', { class: 'tl-who' }, actor(e)) : null,
      e.note ? h('p', { class: 'tl-note' }, noteText(e, depts)) : null))));
}

/** The public steps (status page, kiosk): what, when and which department, no names. */
export function publicSteps(steps) {
  if (!steps || !steps.length) return h('p', { class: 'muted', i18n: 'case.timeline.empty' });
  return h('ol', { class: 'timeline timeline-public', 'data-testid': 'steps' }, steps.map((s) => h('li', { class: 'tl-item', 'data-action': s.action },
    h('div', { class: 'tl-when' }, h('time', { datetime: s.at }, fmtTime(s.at))),
    h('div', { class: 'tl-body' },
      h('p', { class: 'tl-what' }, has(`tl.${s.action}`) ? T(`tl.${s.action}`) : s.text || s.action),
      s.dept_name ? h('p', { class: 'tl-who muted', 'data-testid': 'step-dept' }, bi(s.dept_name, s.dept_name_en)) : null))));
}

/** The notice PDFs that exist for a case now: [{kind, href}]. */
export function notices(k) {
  if (!k || k.status === 'draft') return [];
  const base = `/api/v1/cases/${encodeURIComponent(k.case_no)}/notices/`;
  const list = [{ kind: 'receipt' }];
  if (k.supplement_notice) list.push({ kind: 'supplement' });
  if (k.accepted_at) list.push({ kind: 'acceptance' });
  if (k.status === 'not_accepted') list.push({ kind: 'not_accepted' });
  if (k.status === 'approved' || k.status === 'denied') list.push({ kind: 'decision' });
  return list.map((n) => ({ ...n, href: `${base}${n.kind}.pdf` }));
}

/** Links to the notices, each opening the PDF in a new tab. */
export function noticeLinks(k) {
  const list = notices(k);
  if (!list.length) return h('p', { class: 'muted', i18n: 'case.notices.none' });
  return h('ul', { class: 'notice-links', 'data-testid': 'notices' }, list.map((n) => h('li', null,
    h('a', { href: n.href, target: '_blank', rel: 'noopener', class: 'pdf-link', 'data-notice': n.kind },
      h('span', { class: 'pdf-icon', 'aria-hidden': 'true' }, 'PDF'), T(`notice.${n.kind}`)))));
}

/** A material's state: satisfied by an upload or an e-license, missing, or optional. */
export function materialState(m) {
  if (m.source === 'license') return h('span', { class: 'mat-state mat-license', 'data-state': 'license' }, T('mat.byLicense'));
  if (m.source === 'file') return h('span', { class: 'mat-state mat-file', 'data-state': 'file' }, T('mat.uploaded'));
  if (m.source === 'form') return h('span', { class: 'mat-state mat-license', 'data-state': 'form' }, T('mat.byForm'));
  if (m.source === 'step') return h('span', { class: 'mat-state mat-license', 'data-state': 'step' }, T('mat.byStep'));
  if (m.status === 'missing') return h('span', { class: 'mat-state mat-missing', 'data-state': 'missing' }, T('mat.missing'));
  return h('span', { class: 'mat-state mat-optional', 'data-state': 'optional' }, T('mat.optional'));
}

/** Required / conditional as a badge. */
export function requiredBadge(required) {
  return h('span', { class: `badge ${required === 'required' ? 'badge-red' : 'badge-warn'}` },
    T(required === 'required' ? 'item.mat.req.required' : 'item.mat.req.conditional'));
}

/** A case's channel in words. */
export function channel(c) {
  return has(`channel.${c}`) ? T(`channel.${c}`) : document.createTextNode(c || '');
}

/** Bytes as KB / MB. */
export function size(n) {
  const v = Number(n) || 0;
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`;
  if (v >= 1024) return `${Math.round(v / 1024)} KB`;
  return `${v} B`;
}
