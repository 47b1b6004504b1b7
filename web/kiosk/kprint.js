// kprint.js - self-print at the kiosk: the PDF (a license print, a case's
// notice, the public status sheet) is fetched with the kiosk session from the
// module that owns it (licenses and cases check the person may see it), put in
// a hidden frame and sent to the kiosk's printer (the kiosk's browser runs in
// kiosk-printing mode, so print() needs no dialog); then the print is recorded
// (POST /api/v1/kiosk/actions, action print) with the session's kiosk.
import { h } from '../assets/dom.js';
import * as api from '../assets/api.js';

let frame = null;

/** Print the PDF at url; what: license | notice | status; ref: its identifier.
 * Resolves to { ok, error } (error: the API's, for the screen). */
export async function printPdf(url, what, ref) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok || !(r.headers.get('content-type') || '').startsWith('application/pdf')) {
    let error = { code: 'print_failed', message: `HTTP ${r.status}` };
    try {
      error = (await r.json()).error || error;
    } catch {
      /* not JSON */
    }
    return { ok: false, error };
  }
  const blob = await r.blob();
  if (!frame) {
    frame = h('iframe', { class: 'k-print-frame', title: 'print', 'aria-hidden': 'true', tabindex: '-1', 'data-testid': 'ss-print-frame' });
    document.body.appendChild(frame);
  }
  const old = frame.getAttribute('src');
  if (old && old.startsWith('blob:')) URL.revokeObjectURL(old);
  frame.setAttribute('data-bytes', String(blob.size));
  frame.setAttribute('data-what', what);
  frame.src = URL.createObjectURL(blob);
  frame.onload = () => {
    try {
      frame.contentWindow.print();
    } catch {
      /* a browser that cannot print a frame's PDF: the kiosk's printer service picks it up */
    }
  };
  const rec = await api.post('/api/v1/kiosk/actions', { action: 'print', ref, what });
  return rec.ok ? { ok: true } : { ok: false, error: rec.error };
}
