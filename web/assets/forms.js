// forms.js - labelled form fields with a hint, a "checked" note and an error
// that screen readers announce (aria-live), and the mapping of an API error
// {code, message, field} onto the field it names.
import { h, fill } from './dom.js';
import { has } from './i18n.js';

/**
 * A field: <label>, <input>, hint, ok note, error.
 * o: { prefix, name, label, hint, type, autocomplete, inputmode, maxlength, required, value }
 */
export function field(o) {
  const id = `${o.prefix}-${o.name}`;
  const describedBy = [o.hint ? `${id}-hint` : null, `${id}-ok`, `${id}-error`].filter(Boolean).join(' ');
  const input = h('input', {
    id,
    name: o.name,
    type: o.type || 'text',
    autocomplete: o.autocomplete || 'off',
    inputmode: o.inputmode || null,
    maxlength: o.maxlength || null,
    required: o.required !== false,
    'aria-required': o.required !== false ? 'true' : null,
    'aria-describedby': describedBy,
    spellcheck: 'false',
    autocapitalize: o.autocapitalize || null,
  });
  if (o.value) input.value = o.value;
  return h('div', { class: 'field', 'data-field': o.name },
    h('div', { class: 'label-row' },
      h('label', { for: id, i18n: o.label }),
      o.required !== false ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    input,
    o.hint ? h('p', { class: 'hint', id: `${id}-hint`, i18n: o.hint }) : null,
    h('p', { class: 'field-ok', id: `${id}-ok`, 'aria-live': 'polite' }),
    h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite', 'data-testid': `error-${o.name}` }));
}

function parts(form, name) {
  const wrap = form.querySelector(`[data-field="${name}"]`);
  if (!wrap) return null;
  return {
    input: wrap.querySelector('input, select, textarea'),
    ok: wrap.querySelector('.field-ok'),
    error: wrap.querySelector('.field-error'),
  };
}

/** Show an error under a field: a dictionary key (with args) and, optionally, the server's own words. */
export function setError(form, name, key, args, serverMessage) {
  const p = parts(form, name);
  if (!p) return false;
  p.input.setAttribute('aria-invalid', 'true');
  p.input.classList.remove('valid');
  p.ok.replaceChildren();
  fill(p.error,
    h('span', { i18n: key, args }),
    serverMessage ? h('span', { class: 'server', i18n: 'err.serverSaid', args: { message: serverMessage } }) : null);
  return true;
}

/** Mark a field as fine, with an optional note (a dictionary key). */
export function setOk(form, name, key, args) {
  const p = parts(form, name);
  if (!p) return;
  p.input.removeAttribute('aria-invalid');
  p.error.replaceChildren();
  if (key) {
    p.input.classList.add('valid');
    p.ok.replaceChildren(h('span', { i18n: key, args }));
  } else {
    p.input.classList.remove('valid');
    p.ok.replaceChildren();
  }
}

export function clearField(form, name) {
  setOk(form, name, null);
}

export function hasError(form, name) {
  const p = parts(form, name);
  return !!p && p.input.getAttribute('aria-invalid') === 'true';
}

/** The dictionary key for an API error, most specific first. */
export function errorKey(err) {
  if (!err) return 'err.generic';
  if (err.code === 'network') return 'error.network';
  if (err.field && has(`err.${err.code}.${err.field}`)) return `err.${err.code}.${err.field}`;
  if (has(`err.${err.code}`)) return `err.${err.code}`;
  return 'err.generic';
}

/** The form's alert box (role=alert) above the fields. */
export function formAlert(id) {
  return h('div', { class: 'form-alert', id, role: 'alert' });
}

export function showAlert(box, key, args, serverMessage, kind = 'error') {
  box.replaceChildren(h('div', { class: `notice notice-${kind}` },
    h('p', { i18n: key, args }),
    serverMessage ? h('p', { class: 'muted', i18n: 'err.serverSaid', args: { message: serverMessage } }) : null));
}

/**
 * Put an API error where it belongs: under the field it names (focused), or in
 * the alert box when it names none of the form's fields.
 */
export function showApiError(form, alertBox, err) {
  const key = errorKey(err);
  const server = err && err.code !== 'network' ? err.message : '';
  if (err && err.field && setError(form, err.field, key, null, server)) {
    alertBox.replaceChildren();
    const p = parts(form, err.field);
    p.input.focus();
    return;
  }
  showAlert(alertBox, key, null, server);
}
