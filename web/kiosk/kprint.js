// kprint.js - self-print at the kiosk: the PDF (a license print, a case's
// notice, the public status sheet) is fetched with the kiosk session from the
// module that owns it (licenses and cases check the person may see it: a
// refusal is shown, nothing printed), then opened in the kiosk browser's
// print window (every page of ywtb refuses to be framed - frame-ancestors
// 'none' - so the PDF gets a window of its own; the kiosk's browser runs in
// kiosk-printing mode and prints it without a dialog, and the window's print
// is asked for where the browser allows it).  Then the print is recorded
// (POST /api/v1/kiosk/actions, action print) with the session's kiosk.
import * as api from '../assets/api.js';

/** Print the PDF at url; what: license | notice | status; ref: its identifier.
 * Resolves to { ok, bytes, error } (error: the API's, for the screen). */
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
  const bytes = (await r.blob()).size;
  const w = window.open(url, 'ywtb-kiosk-print');
  if (w) {
    w.addEventListener('load', () => {
      try {
        w.print();
      } catch {
        /* a PDF viewer that prints by itself (kiosk-printing) */
      }
    });
  }
  const rec = await api.post('/api/v1/kiosk/actions', { action: 'print', ref, what });
  return rec.ok ? { ok: true, bytes } : { ok: false, error: rec.error };
}
