// selfservice.test.js - the 24-hour self-service hall in the browser, with
// two browser contexts (two cookie jars): the kiosk (kiosk/self.html at a
// kiosk's screen size) shows a QR login; the demo citizen's phone, logged in
// to the portal, opens the link the QR carries (kiosklogin.html) and
// confirms; the kiosk greets the citizen with their cases; 离开 logs out and
// clears the screen, and the kiosk's session is gone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, PHONE } from './browser.js';
import { loginUi, applyApi, DEMO } from './journey.js';

const ITEM = 'GAFJ-07-0005'; // an item the demo citizen applies for with no form (as status.test.js)
const KIOSK_SCREEN = { width: 1080, height: 1920 };

describe('self-service hall: QR login from the phone', () => {
  let srv, kioskB, phoneB;
  before(async () => {
    srv = await startPortal();
    kioskB = await openBrowser({ viewport: KIOSK_SCREEN });
    phoneB = await openBrowser({ viewport: PHONE });
  });
  after(async () => {
    await kioskB?.close();
    await phoneB?.close();
    await srv?.close();
  });

  test('scan, confirm on the phone, the kiosk signs in; leaving clears it', async () => {
    const mine = await applyApi(srv, await srv.login(DEMO.citizen), ITEM); // a case the kiosk will list
    const kiosk = await kioskB.page();
    await kiosk.goto(`${srv.base}/kiosk/self.html?kiosk=K07`);
    await kiosk.getByTestId('ss-login').click();
    const qr = kiosk.getByTestId('ss-qr');
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loaded');
    const url = await qr.getAttribute('data-url');
    assert.match(url, /\/kiosklogin\.html\?c=[A-Za-z0-9_-]{20,}$/);
    await shot(kiosk, 'selfservice-kiosk-qr');

    const phone = await phoneB.page();
    const next = url.replace(/^https?:\/\/[^/]+\//, '');
    await loginUi(phone, srv, DEMO.citizen, { next });
    await waitText(phone, '[data-testid=ss-confirm-kiosk]', /K07/);
    await phone.getByTestId('ss-confirm').click();
    await waitText(phone, '[data-testid=ss-confirm-result]', /已确认/);
    await shot(phone, 'selfservice-phone-confirmed');
    phoneB.assertClean(phone);

    await waitText(kiosk, '[data-testid=ss-hello]', new RegExp(DEMO.citizenName));
    await waitText(kiosk, '[data-testid=ss-cases]', new RegExp(mine.case_no));
    const cookies = await kioskB.context.cookies();
    assert.ok(cookies.some((c) => c.name === 'ywtb_in' && c.value === '1'), 'the marker cookie of a login');
    assert.ok(cookies.some((c) => c.name === 'ywtb_session' && c.httpOnly), 'an HttpOnly session cookie');
    await shot(kiosk, 'selfservice-kiosk-signed-in');

    await kiosk.getByTestId('ss-leave').click();
    await kiosk.getByTestId('ss-login').waitFor();
    const me = await kiosk.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401, 'the kiosk session ended');
    kioskB.assertClean(kiosk);
  });
});
