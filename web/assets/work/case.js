// work/case.js - workbench/case.html?no= : a case as staff see it (names in the
// timeline, the applicant's number masked unless the audited full record is
// opened), with what the viewer's roles allow:
//   window clerk   受理 accept, 不予受理 reject with the reason, 一次性告知补正 (every
//                  missing or wrong material and field with its reason, at once),
//                  print the notices
//   reviewer       decide the department's task: approve, deny with the legal reason,
//                  return to the window; 加签 ask another department, 转办 reroute;
//                  pause / resume the clock for a special procedure
//   chief          the same for any department's task, and 改派 reassign
//   supervisor     read only
import { h, T, bi, fill, params, pageUrl } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { formAlert, showAlert, errorKey } from '../forms.js';
import { initWork, hasRole, depts, deptSelect, setWorkTitle, accountRecord } from '../work-layout.js';
import {
  statusBadge, clockBox, clockLine, progressBar, timeline, noticeLinks, requiredBadge, channel, fmtTime, deptName, isFinal,
  PAUSE_KINDS,
} from '../casefmt.js';
import { loadSpec, newMaterialsState, setServerMaterials, loadFileNames, caseMaterials, materialIndex, fieldLabel, answerText } from '../applyform.js';
import { size as fmtSize } from '../casefmt.js';
import { verifyById } from '../licfmt.js';

const main = document.getElementById('main');
const no = params().get('no') || '';
let account = null;
let revealed = false;

/** An ID number as staff lists show it (3101**********2013) until the audited record is opened. */
function maskId(v) {
  const s = String(v || '');
  return s.length === 18 ? `${s.slice(0, 4)}${'*'.repeat(10)}${s.slice(14)}` : s;
}

function section(id, key, ...content) {
  return h('section', { class: 'panel case-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: key }), content);
}

function labelled(id, key, control, opts = {}) {
  return h('div', { class: 'field' },
    h('div', { class: 'label-row' }, h('label', { for: id, i18n: key, args: opts.args }), opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    opts.hint ? h('p', { class: 'hint', i18n: opts.hint }) : null);
}

/** Run an action and reload the case, or show the server's words in the box. */
async function act(box, button, call, flash) {
  box.replaceChildren();
  button.disabled = true;
  const r = await call();
  button.disabled = false;
  if (!r.ok) {
    showAlert(box, errorKey(r.error), null, r.error && r.error.code !== 'network' ? r.error.message : '');
    return false;
  }
  await load({ flash });
  return true;
}

/* ---- the window: accept, reject, one-time supplement notice ---- */

function windowPanel(k, spec, state) {
  const box = formAlert('window-alert');
  const modes = ['accept', 'supplement', 'reject'];
  const forms = {};

  const note = h('textarea', { id: 'accept-note', rows: '2', maxlength: '500' });
  const acceptBtn = h('button', { type: 'button', class: 'btn', i18n: 'work.accept.do', 'data-testid': 'accept' });
  acceptBtn.addEventListener('click', () => act(box, acceptBtn,
    () => api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/accept`, note.value.trim() ? { note: note.value.trim() } : {}), 'work.accept.done'));
  const missing = Number(k.missing_materials) || 0;
  forms.accept = h('div', { class: 'wform', 'data-mode': 'accept' },
    missing ? h('p', { class: 'notice notice-error', i18n: 'work.accept.missing', args: { n: missing } }) : h('p', { class: 'notice notice-ok', i18n: 'work.accept.complete' }),
    labelled('accept-note', 'work.accept.note', note),
    h('div', { class: 'form-actions' }, acceptBtn));

  const reason = h('textarea', { id: 'reject-reason', rows: '3', maxlength: '500', required: true });
  const rejectBtn = h('button', { type: 'button', class: 'btn btn-danger', i18n: 'work.reject.do', 'data-testid': 'reject' });
  rejectBtn.addEventListener('click', () => {
    if (!reason.value.trim()) {
      showAlert(box, 'work.reject.need');
      reason.focus();
      return;
    }
    act(box, rejectBtn, () => api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/reject`, { reason: reason.value.trim() }), 'work.reject.done');
  });
  forms.reject = h('div', { class: 'wform', 'data-mode': 'reject', hidden: true },
    h('p', { class: 'muted', i18n: 'work.reject.text' }),
    labelled('reject-reason', 'work.reject.reason', reason, { required: true }),
    h('div', { class: 'form-actions' }, rejectBtn));

  forms.supplement = h('div', { class: 'wform', 'data-mode': 'supplement', hidden: true },
    k.supplement_notice ? h('p', { class: 'notice notice-info', 'data-testid': 'supp-once', i18n: 'work.supp.once' }) : supplementForm(k, spec, state, box));

  const switcher = h('div', { class: 'segmented', role: 'group', i18nAttr: 'aria-label:work.window.actions' }, modes.map((m) => {
    const b = h('button', { type: 'button', class: 'seg', 'aria-pressed': m === 'accept' ? 'true' : 'false', 'data-testid': `mode-${m}`, i18n: `work.mode.${m}` });
    b.addEventListener('click', () => {
      box.replaceChildren();
      for (const x of modes) forms[x].hidden = x !== m;
      switcher.querySelectorAll('.seg').forEach((s) => s.setAttribute('aria-pressed', s === b ? 'true' : 'false'));
    });
    return b;
  }));
  return section('s-window', 'work.window.title', switcher, box, forms.accept, forms.supplement, forms.reject);
}

function supplementForm(k, spec, state, box) {
  const rows = [];
  const row = (what, label, extra, pre, labelEn) => {
    const id = `supp-${rows.length}`;
    const check = h('input', { type: 'checkbox', id: `${id}-c`, 'data-what': what });
    const reason = h('input', { type: 'text', id: `${id}-r`, maxlength: '200', i18nAttr: 'aria-label:work.supp.reasonFor', args: { name: label }, disabled: !pre, 'data-what': what });
    if (pre) {
      check.checked = true;
      reason.value = t('work.supp.defaultMissing');
    }
    check.addEventListener('change', () => {
      reason.disabled = !check.checked;
      if (check.checked) reason.focus();
    });
    rows.push({ what, check, reason, label });
    return h('li', { class: 'supp-row', 'data-what': what },
      h('label', { class: 'supp-check', for: `${id}-c` }, check, bi(label, labelEn), extra ? h('span', { class: 'supp-extra' }, extra) : null),
      reason);
  };
  const mats = spec ? spec.groups.map((g) => h('div', { class: 'supp-group' },
    spec.kind === 'bundle' ? h('h4', null, g.name) : null,
    h('ul', { class: 'supp-rows' }, g.materials.map((m) => {
      const s = state.server.get(m.code);
      const have = s && s.source !== 'none';
      return row(m.code, m.name, have ? T({ license: 'mat.byLicense', form: 'mat.byForm', step: 'mat.byStep' }[s.source] || 'mat.uploaded') : T(m.required === 'required' ? 'mat.missing' : 'mat.optional'),
        !have && m.required === 'required');
    })))) : [];
  const fields = spec && spec.fields.length ? h('ul', { class: 'supp-rows' }, spec.fields.map((f) => row(`form.${f.key}`, f.label || f.key,
    k.form && k.form[f.key] !== undefined ? answerText(spec.fields, f.key, k.form[f.key]) : t('apply.empty'), false, f.label_en))) : null;
  const note = h('textarea', { id: 'supp-note', rows: '2', maxlength: '500' });
  const send = h('button', { type: 'button', class: 'btn btn-warn', i18n: 'work.supp.do', 'data-testid': 'request-supplement' });
  send.addEventListener('click', () => {
    const chosen = rows.filter((r) => r.check.checked);
    if (!chosen.length) {
      showAlert(box, 'work.supp.none');
      return;
    }
    const empty = chosen.find((r) => !r.reason.value.trim());
    if (empty) {
      showAlert(box, 'work.supp.needReason', { name: empty.label });
      empty.reason.focus();
      return;
    }
    act(box, send, () => api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/request-supplement`, {
      items: chosen.map((r) => ({ what: r.what, reason: r.reason.value.trim() })),
      ...(note.value.trim() ? { note: note.value.trim() } : {}),
    }), 'work.supp.done');
  });
  return h('div', { class: 'supp-request', 'data-testid': 'supp-request' },
    h('p', { class: 'muted', i18n: 'work.supp.text' }),
    h('h3', { i18n: 'case.materials' }), mats,
    fields ? [h('h3', { i18n: 'case.answers' }), fields] : null,
    labelled('supp-note', 'work.supp.note', note),
    h('div', { class: 'form-actions' }, send));
}

/* ---- review: decide, consult, reroute, reassign; pause / resume ---- */

function canAct(tk) {
  if (tk.status !== 'pending') return false;
  if (hasRole(account, 'chief_approver')) return true;
  return hasRole(account, 'reviewer') && tk.dept === account.dept;
}

function taskPanel(k, tk) {
  const box = formAlert(`task-${tk.id}-alert`);
  const opinionTask = tk.kind === 'opinion';
  const decisions = opinionTask ? ['opinion'] : ['approve', 'deny', ...(k.bundle ? [] : ['return'])];
  const name = `decision-${tk.id}`;
  const opinion = h('textarea', { id: `opinion-${tk.id}`, rows: '3', maxlength: '1000', 'data-testid': `opinion-${tk.id}` });
  const opinionLabel = h('label', { for: `opinion-${tk.id}`, i18n: opinionTask ? 'work.decide.opinionText' : 'work.decide.opinion' });
  const radios = h('div', { class: 'decision-radios', role: 'radiogroup', i18nAttr: 'aria-label:work.decide.choose' }, decisions.map((d, i) => {
    const input = h('input', { type: 'radio', name, id: `${name}-${d}`, value: d, checked: i === 0 });
    input.addEventListener('change', () => {
      opinionLabel.setAttribute('data-i18n', d === 'deny' ? 'work.decide.denyReason' : d === 'return' ? 'work.decide.returnReason' : opinionTask ? 'work.decide.opinionText' : 'work.decide.opinion');
      opinionLabel.textContent = t(opinionLabel.getAttribute('data-i18n'));
    });
    return h('label', { class: `radio radio-${d}`, for: `${name}-${d}` }, input, h('span', { i18n: `work.decision.${d}` }));
  }));
  const decide = h('button', { type: 'button', class: 'btn', i18n: 'work.decide.do', 'data-testid': `decide-${tk.id}` });
  /* approve, deny and return say what will happen and ask once more */
  const confirmBox = h('div', { class: 'decide-confirm', 'data-testid': `confirm-${tk.id}`, role: 'alertdialog', 'aria-live': 'assertive', hidden: true });
  decide.addEventListener('click', () => {
    const d = radios.querySelector('input:checked').value;
    if (d !== 'approve' && !opinion.value.trim()) {
      showAlert(box, d === 'deny' ? 'work.decide.needReason' : d === 'return' ? 'work.decide.needReturn' : 'work.decide.needOpinion');
      opinion.focus();
      return;
    }
    const run = () => act(box, decide, () => api.post(`/api/v1/tasks/${tk.id}/decide`, { decision: d, ...(opinion.value.trim() ? { opinion: opinion.value.trim() } : {}) }), `work.decided.${d}`);
    if (d === 'opinion') {
      run();
      return;
    }
    const yes = h('button', { type: 'button', class: `btn${d === 'approve' ? '' : ' btn-danger'}`, i18n: `work.confirm.do.${d}`, 'data-testid': `confirm-yes-${tk.id}` });
    const no = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'work.confirm.cancel' });
    yes.addEventListener('click', () => {
      confirmBox.hidden = true;
      run();
    });
    no.addEventListener('click', () => {
      confirmBox.hidden = true;
      decide.hidden = false;
      decide.focus();
    });
    fill(confirmBox,
      h('p', { class: 'confirm-title', i18n: `work.confirm.title.${d}` }),
      h('p', { i18n: `work.confirm.what.${d}${k.bundle ? '.bundle' : ''}` }),
      opinion.value.trim() ? h('p', { class: 'muted' }, h('span', { i18n: d === 'return' ? 'work.decide.returnReason' : 'work.decide.opinion' }), '：', opinion.value.trim()) : null,
      h('div', { class: 'form-actions' }, yes, ' ', no));
    confirmBox.hidden = false;
    decide.hidden = true;
    yes.focus();
  });

  const routeForm = (kind, key, bodyKey) => {
    const sel = deptSelect(`${kind}-${tk.id}-dept`, { exclude: [tk.dept] });
    const text = h('input', { type: 'text', id: `${kind}-${tk.id}-text`, maxlength: '500' });
    const btn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: `work.${kind}.do`, 'data-testid': `${kind}-${tk.id}` });
    btn.addEventListener('click', () => {
      if (!sel.value) {
        showAlert(box, 'work.route.needDept');
        sel.focus();
        return;
      }
      act(box, btn, () => api.post(`/api/v1/tasks/${tk.id}/${kind}`, { dept: sel.value, ...(text.value.trim() ? { [bodyKey]: text.value.trim() } : {}) }), `work.${kind}.done`);
    });
    return h('div', { class: 'route-form', 'data-kind': kind },
      h('h4', { i18n: key }),
      labelled(`${kind}-${tk.id}-dept`, 'work.route.dept', sel),
      labelled(`${kind}-${tk.id}-text`, kind === 'consult' ? 'work.consult.note' : 'work.route.reason', text),
      btn);
  };
  return h('section', { class: 'panel case-section task-panel', 'data-task': String(tk.id), 'data-testid': `task-panel-${tk.dept}`, 'aria-labelledby': `task-${tk.id}-h` },
    h('h2', { id: `task-${tk.id}-h` }, T(opinionTask ? 'work.task.opinionTitle' : 'work.task.title'), ' · ', deptName(depts(), tk.dept, tk.dept_name)),
    h('p', { class: 'muted' }, tk.due_date ? T('clock.dueOn', { d: tk.due_date }) : null,
      tk.days_left !== undefined ? [' · ', T(tk.days_left < 0 ? 'clock.overdue' : tk.days_left === 0 ? 'clock.dueToday' : 'clock.left', { n: Math.abs(tk.days_left) })] : null),
    box,
    radios,
    h('div', { class: 'field' }, opinionLabel, opinion),
    h('div', { class: 'form-actions' }, decide),
    confirmBox,
    opinionTask ? null : h('details', { class: 'task-more' },
      h('summary', { i18n: 'work.task.more' }),
      h('div', { class: 'route-forms' },
        routeForm('consult', 'work.consult.title', 'note'),
        routeForm('reroute', 'work.reroute.title', 'reason'),
        hasRole(account, 'chief_approver') ? routeForm('reassign', 'work.reassign.title', 'reason') : null)));
}

function clockPanel(k) {
  const box = formAlert('clock-alert');
  const reason = h('input', { type: 'text', id: 'pause-reason', maxlength: '500' });
  if (k.clock.paused) {
    const btn = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'work.resume.do', 'data-testid': 'resume' });
    btn.addEventListener('click', () => act(box, btn, () => api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/resume`, reason.value.trim() ? { reason: reason.value.trim() } : {}), 'work.resume.done'));
    return section('s-pause', 'work.pause.title', box,
      h('p', null, T('work.pause.now', null), ' ', h('strong', null, T(`pause.${k.clock.pause_kind}`))),
      labelled('pause-reason', 'work.resume.reason', reason), btn);
  }
  const kind = h('select', { id: 'pause-kind' }, h('option', { value: '', i18n: 'apply.choose' }), PAUSE_KINDS.map((p) => h('option', { value: p, i18n: `pause.${p}` })));
  const btn = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'work.pause.do', 'data-testid': 'pause' });
  btn.addEventListener('click', () => {
    if (!kind.value) {
      showAlert(box, 'work.pause.needKind');
      kind.focus();
      return;
    }
    act(box, btn, () => api.post(`/api/v1/cases/${encodeURIComponent(k.case_no)}/pause`, { kind: kind.value, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) }), 'work.pause.done');
  });
  return section('s-pause', 'work.pause.title', box,
    h('p', { class: 'muted', i18n: 'work.pause.text' }),
    labelled('pause-kind', 'work.pause.kind', kind),
    labelled('pause-reason', 'work.pause.reason', reason), btn);
}

/* ---- what the case holds ---- */

function materialsCheck(k, spec, state) {
  const list = Array.from(state.server.values());
  if (!list.length) return h('p', { class: 'muted', i18n: 'item.mat.none' });
  const idx = spec ? materialIndex(spec) : new Map();
  const required = list.filter((m) => m.required === 'required');
  const ok = required.filter((m) => m.source !== 'none').length;
  return [
    h('p', { class: ok === required.length ? 'check-ok' : 'check-bad', 'data-testid': 'mat-summary', i18n: 'work.mat.summary', args: { ok, n: required.length } }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'work-table mat-check', 'data-testid': 'mat-check' },
      h('thead', null, h('tr', null, ['work.mat.name', 'item.mat.required', 'work.mat.state', 'work.mat.view'].map((key) => h('th', { scope: 'col', i18n: key })))),
      h('tbody', null, list.flatMap((m, i) => {
        const nm = m.file_id && state.names.get(m.file_id);
        const g = idx.get(m.material_code);
        const prev = i > 0 ? idx.get(list[i - 1].material_code) : null;
        const head = k.kind === 'bundle' && g && (!prev || prev.group.code !== g.group.code)
          ? h('tr', { class: 'group-row' }, h('th', { colspan: '4', scope: 'colgroup' }, g.group.name)) : null;
        return [head, h('tr', { 'data-code': m.material_code, 'data-state': m.source !== 'none' ? m.source : m.status },
          h('td', null, m.name),
          h('td', null, requiredBadge(m.required)),
          h('td', null,
            m.source === 'license' ? [h('span', { class: 'mat-state mat-license' }, '✓ ', T('work.mat.license')), m.license_id ? [licenseCheck(m.license_id), h('div', { class: 'mono small muted lic-id' }, m.license_id)] : null]
              : m.source === 'file' ? h('span', { class: 'mat-state mat-file' }, '✓ ', T('work.mat.file'), nm ? h('span', { class: 'small muted' }, ` ${nm.filename}（${fmtSize(nm.size)}）`) : null)
                : m.source === 'form' || m.source === 'step' ? h('span', { class: 'mat-state mat-license' }, '✓ ', T(m.source === 'form' ? 'mat.byForm' : 'mat.byStep'))
                  : m.status === 'missing' ? h('span', { class: 'mat-state mat-missing-red' }, '✗ ', T('mat.missing'))
                  : h('span', { class: 'mat-state mat-optional' }, T('mat.optional'))),
          h('td', { class: 'nowrap' }, m.source === 'file' && m.file_id
            ? h('a', { href: `/api/v1/files/${encodeURIComponent(m.file_id)}/content`, target: '_blank', rel: 'noopener', 'data-testid': `preview-${m.material_code}`, i18n: 'work.mat.preview' })
            : m.source === 'license' && m.license_id
              ? h('a', { href: pageUrl('licenses.html', { id: m.license_id }), 'data-testid': `license-${m.material_code}`, i18n: 'work.mat.viewLicense' })
              : null))];
      })))),
  ];
}

/* The verification of an e-license that satisfied a material (one check per license and page). */
const checks = new Map();
function licenseCheck(id) {
  if (!checks.has(id)) checks.set(id, verifyById(id));
  const out = h('span', { class: 'lic-check', 'data-testid': 'lic-check', 'data-license': id }, ' ', T('work.mat.checking'));
  checks.get(id).then((v) => {
    const code = v ? v.code : 'error';
    out.setAttribute('data-code', code);
    out.classList.add(v && v.valid ? 'lic-check-ok' : 'lic-check-bad');
    fill(out, ' ', h('span', { class: 'lic-check-mark', 'aria-hidden': 'true' }, v && v.valid ? '✓' : '✗'), ' ',
      v ? T(`lic.verdict.${code}`) : T('error.load'));
  });
  return out;
}

function answers(k, spec) {
  const form = k.form || {};
  const keys = spec ? spec.fields.map((f) => f.key) : Object.keys(form);
  if (!keys.length) return h('p', { class: 'muted', i18n: 'apply.form.none' });
  const type = (key) => ((spec && spec.fields.find((f) => f.key === key)) || {}).type;
  const shown = (key) => (type(key) === 'id_number' && !revealed ? maskId(form[key]) : spec ? answerText(spec.fields, key, form[key]) : String(form[key]));
  return h('dl', { class: 'dl-grid', 'data-testid': 'answers' }, keys.map((key) => [
    h('dt', null, spec ? fieldLabel(spec.fields, key) : key),
    h('dd', { 'data-key': key }, form[key] !== undefined && form[key] !== '' ? shown(key) : h('span', { class: 'muted', i18n: 'apply.empty' }))]));
}

function tasksTable(tasks) {
  if (!tasks || !tasks.length) return h('p', { class: 'muted', i18n: 'work.tasks.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'tasks' },
    h('thead', null, h('tr', null, ['work.col.dept', 'work.col.kind', 'work.col.status', 'work.col.opinion', 'work.col.due'].map((key) => h('th', { scope: 'col', i18n: key })))),
    h('tbody', null, tasks.map((tk) => h('tr', { 'data-task': String(tk.id), 'data-dept': tk.dept, 'data-status': tk.status },
      h('td', null, deptName(depts(), tk.dept, tk.dept_name)),
      h('td', { class: 'nowrap', i18n: `task.kind.${tk.kind}` }),
      h('td', null, h('span', { class: `task-status task-${tk.status}`, i18n: `task.status.${tk.status}` })),
      h('td', null, tk.opinion || ''),
      h('td', { class: 'nowrap' }, tk.decided_at ? fmtTime(tk.decided_at) : tk.due_date || ''))))));
}

function subCases(k) {
  const subs = k.sub_cases || [];
  return [
    progressBar(k.progress, 'case.bundleProgress'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'work-table', 'data-testid': 'sub-cases' },
      h('thead', null, h('tr', null, ['work.col.step', 'work.col.caseNo', 'work.col.title', 'work.col.dept', 'work.col.status', 'work.col.clock'].map((key) => h('th', { scope: 'col', i18n: key })))),
      h('tbody', null, subs.map((s) => h('tr', { 'data-case': s.case_no, 'data-status': s.status, 'data-code': s.code },
        h('td', null, String(s.bundle_step)),
        h('td', { class: 'mono' }, h('a', { href: pageUrl('case.html', { no: s.case_no }) }, s.case_no)),
        h('td', null, s.title),
        h('td', null, deptName(depts(), s.dept)),
        h('td', null, statusBadge(s.status, '', s.clock)),
        h('td', null, clockLine(s.clock, { waiting: s.status === 'accepted' }))))))),
  ];
}

function applicantPanel(k, spec) {
  const out = h('div', { class: 'applicant-record', 'aria-live': 'polite', 'data-testid': 'applicant-record' });
  const btn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', i18n: 'work.applicant.view', 'data-testid': 'view-applicant' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    const r = await api.get(`/api/v1/accounts/${k.applicant.id}`);
    btn.disabled = false;
    if (!r.ok) {
      fill(out, h('p', { class: 'notice notice-error', i18n: errorKey(r.error) }));
      return;
    }
    fill(out, accountRecord(r.data.account));
    btn.hidden = true;
    revealed = true;
    const form = document.getElementById('s-form');
    if (form) form.replaceWith(section('s-form', 'case.answers', answers(k, spec)));
  });
  return section('s-applicant', 'work.applicant.title',
    h('dl', { class: 'dl-grid' },
      h('dt', { i18n: 'case.applicant' }), h('dd', null, k.applicant.name),
      h('dt', { i18n: k.applicant.kind === 'enterprise' ? 'me.uscc' : 'me.id_number' }), h('dd', { class: 'mono' }, k.applicant.ident)),
    h('p', { class: 'muted small', i18n: 'work.applicant.audit' }),
    btn, out);
}

function noticeView(k, spec) {
  const n = k.supplement_notice;
  const idx = spec ? materialIndex(spec) : new Map();
  return section('s-notice', 'supp.title', h('div', { class: 'supp-notice', 'data-testid': 'supplement-notice' },
    h('p', { class: 'muted', i18n: 'supp.introDone', args: { t: fmtTime(n.at) } }),
    h('ol', { class: 'supp-items' }, (n.items || []).map((it) => h('li', { 'data-what': it.what },
      h('p', { class: 'supp-what' }, idx.has(it.what) ? idx.get(it.what).name : it.what.startsWith('form.') && spec ? fieldLabel(spec.fields, it.what.slice(5)) : it.what),
      h('p', null, h('span', { i18n: 'supp.reason' }), '：', it.reason)))),
    n.note ? h('p', null, h('span', { i18n: 'supp.note' }), '：', n.note) : null));
}

async function render(k, opts) {
  const spec = await loadSpec(k.kind === 'bundle' ? { bundle: k.code } : { item: k.code });
  const sp = spec.error ? null : spec;
  const state = newMaterialsState();
  setServerMaterials(state, await caseMaterials(k));
  await loadFileNames(state);
  setWorkTitle(`${k.case_no} ${k.title}`);
  const clerk = hasRole(account, 'window_clerk') && k.status === 'submitted' && !k.bundle;
  const tasks = (k.tasks || []).filter(canAct);
  const reviewer = hasRole(account, 'reviewer', 'chief_approver');
  const canPause = reviewer && k.status === 'accepted' && k.clock && k.clock.started && ((k.tasks || []).some(canAct) || hasRole(account, 'chief_approver'));
  const readOnly = !clerk && !tasks.length && !canPause;
  fill(main, h('div', { class: 'wrap page case-page' },
    h('nav', { class: 'breadcrumb', i18nAttr: 'aria-label:breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: 'index.html', i18n: 'work.nav.home' })),
        h('li', null, h('a', { href: hasRole(account, 'reviewer', 'chief_approver') && !hasRole(account, 'window_clerk') ? 'queue.html' : 'cases.html', i18n: hasRole(account, 'reviewer', 'chief_approver') && !hasRole(account, 'window_clerk') ? 'work.nav.queue' : 'work.nav.cases' })),
        k.bundle ? h('li', null, h('a', { class: 'mono', href: pageUrl('case.html', { no: k.bundle.case_no }) }, k.bundle.case_no)) : null,
        h('li', { 'aria-current': 'page', class: 'mono' }, k.case_no))),
    h('header', { class: 'case-head' },
      h('div', { class: 'case-head-main' },
        h('p', { class: 'case-no' }, h('span', { i18n: 'case.no' }), '：', h('span', { class: 'mono', 'data-testid': 'case-no' }, k.case_no),
          k.bundle ? [' · ', h('span', { i18n: 'work.partOf' }), ' ', h('a', { href: pageUrl('case.html', { no: k.bundle.case_no }) }, k.bundle.title)] : null),
        h('h1', { 'data-testid': 'case-title' }, k.title),
        h('p', { class: 'muted' },
          k.dept ? [deptName(depts(), k.dept), ' · '] : null,
          h('span', { i18n: 'case.applicant' }), '：', k.applicant.name, ' ', h('span', { class: 'mono' }, k.applicant.ident), ' · ',
          channel(k.channel), k.submitted_at ? [' · ', h('span', { i18n: 'case.submittedAt', args: { t: fmtTime(k.submitted_at) } })] : null)),
      h('div', { class: 'case-head-status', 'data-testid': 'case-status' }, statusBadge(k.status, 'status-lg'))),
    opts.flash ? h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'flash' }, h('p', { i18n: opts.flash })) : null,
    isFinal(k.status) && k.result_note ? h('div', { class: 'notice notice-info outcome' }, h('p', null, h('span', { i18n: 'case.resultNote' }), '：', k.result_note)) : null,
    h('div', { class: 'case-grid' },
      h('div', { class: 'case-col-main' },
        clerk ? windowPanel(k, sp, state) : null,
        tasks.map((tk) => taskPanel(k, tk)),
        readOnly ? h('p', { class: 'notice notice-info read-only', 'data-testid': 'read-only', i18n: 'work.readOnly' }) : null,
        k.supplement_notice ? noticeView(k, sp) : null,
        k.kind === 'bundle' ? section('s-subs', 'work.subCases', subCases(k)) : null,
        section('s-materials', 'work.mat.title', materialsCheck(k, sp, state)),
        section('s-form', 'case.answers', answers(k, sp)),
        k.kind === 'bundle' ? null : section('s-tasks', 'work.tasks', tasksTable(k.tasks)),
        section('s-timeline', 'case.timeline', timeline(k.timeline, depts(), { all: true }))),
      h('aside', { class: 'case-col-side' },
        section('s-clock', 'case.clock', clockBox(k.clock)),
        canPause ? clockPanel(k) : null,
        section('s-notices', 'work.notices', h('p', { class: 'muted small', i18n: 'work.notices.text' }), noticeLinks(k)),
        applicantPanel(k, sp)))));
  import('../credit-panel.js').then((m) => m.attach(k)); /* supervision: the credit checks of the case */
  if (opts.flash) {
    const f = document.querySelector('[data-testid=flash]');
    if (f) f.scrollIntoView({ block: 'center' });
  }
}

async function load(opts = {}) {
  const r = await api.get(`/api/v1/cases/${encodeURIComponent(no)}`);
  if (!r.ok) {
    fill(main, h('div', { class: 'wrap page' }, h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'case-notfound' },
      h('p', { i18n: r.status === 404 ? 'work.case.notfound' : 'error.load' }), h('p', null, h('a', { href: 'index.html', i18n: 'work.nav.home' })))));
    return;
  }
  await render(r.data, opts);
}

account = await initWork({ active: '' });
if (account) {
  fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'loading', i18n: 'loading' })));
  if (!no) fill(main, h('div', { class: 'wrap page' }, h('p', { class: 'notice notice-info', i18n: 'case.missing' })));
  else await load();
}

