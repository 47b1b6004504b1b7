// phonecode.js - what the two pages that take an SMS code share (issue 15):
// me.html verifies the account's mobile number, reset.html resets a forgotten
// password.  The server's refusals (identity/phone.c) are shown in the page's
// language from their code and field, never as the server's English text.
import { h } from './dom.js';
import { t } from './i18n.js';
import { setError, showAlert, showApiError } from './forms.js';

/** A typed code's problem (a dictionary key), or null when it is 6 digits. */
export function codeProblem(v) {
  return /^\d{6}$/.test(v) ? null : 'phone.err.codeFormat';
}

/** Seconds the server asked to wait (Retry-After, else the message), or 60. */
function waitSeconds(r) {
  const ra = Number(r.headers && r.headers.get ? r.headers.get('Retry-After') : NaN);
  if (ra > 0) return ra;
  const m = /in (\d+) seconds/.exec((r.error && r.error.message) || '');
  return m ? Number(m[1]) : 60;
}

/** Show a refusal of an SMS-code request or check on form / alertBox. */
export function showCodeError(form, alertBox, r) {
  const err = r.error || {};
  if (err.code === 'rate_limited') return showAlert(alertBox, 'phone.err.rate', { n: waitSeconds(r) });
  if (err.code === 'invalid_state' && err.field === 'phone' && /SMS/.test(err.message || ''))
    return showAlert(alertBox, 'phone.err.noSms');
  if (err.code === 'invalid_field' && err.field === 'code') {
    const m = /\((\d+) tries left\)/.exec(err.message || '');
    if (!setError(form, 'code', m ? 'phone.err.codeTries' : 'phone.err.code', m ? { n: Number(m[1]) } : null))
      showAlert(alertBox, m ? 'phone.err.codeTries' : 'phone.err.code', m ? { n: Number(m[1]) } : null);
    const input = form.querySelector('[name="code"]');
    if (input) input.focus();
    return undefined;
  }
  return showApiError(form, alertBox, err);
}

/** A "send again" button that counts down `seconds` before it can be pressed. */
export function resendButton(onClick) {
  const b = h('button', { type: 'button', class: 'btn btn-ghost', i18n: 'phone.resend', 'data-testid': 'code-resend' });
  let timer = null;
  b.start = (seconds) => {
    let left = seconds;
    b.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(timer);
        b.disabled = false;
        b.setAttribute('data-i18n', 'phone.resend');
        b.removeAttribute('data-i18n-args');
        b.textContent = t('phone.resend');
      } else {
        b.setAttribute('data-i18n', 'phone.resendIn');
        b.setAttribute('data-i18n-args', JSON.stringify({ n: left }));
        b.textContent = t('phone.resendIn', { n: left });
      }
      left--;
    };
    clearInterval(timer);
    tick();
    timer = setInterval(tick, 1000);
  };
  b.addEventListener('click', onClick);
  return b;
}
