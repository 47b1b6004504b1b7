// sso.test.js - single sign-on in a real browser (issue 13): a department's
// own web app - a small relying party built with openid-client, served from
// another port - logs the portal's citizen in through ywtb: the consent page
// the first time (the system, its department, what it asks for), then one
// click once the citizen is logged in to the portal; the app shows the
// citizen's name and real-name level from ywtb; its logout ends both the app's
// and the portal's session.  The portal's list of connected systems shows the
// app and withdraws the consent; the consent page in English; a system that
// needs a higher real-name level tells a new citizen how to raise it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { loginUi, DEMO } from './journey.js';
import { freePort } from '../api/harness.js';
import { registerClient, clientTokenResponse } from '../api/clients.js';

/** The department's app: openid-client, sessions in memory, plain HTML. */
async function startRelyingParty(issuer, { clientId, clientSecret, port, scope = 'openid profile id_number' }) {
  const base = `http://127.0.0.1:${port}`;
  const config = await client.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [client.allowInsecureRequests] });
  const sessions = new Map();
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const page = (body) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>人社局业务系统</title><body>${body}</body></html>`;
  const sidOf = (req) => /rp_sid=([\w-]+)/.exec(req.headers.cookie || '')?.[1];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, base);
    const sid = sidOf(req);
    const s = sid && sessions.get(sid);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    try {
      if (url.pathname === '/') {
        if (s?.user) {
          send(200, page(`<h1>人社局业务系统</h1><p id="who">${esc(s.user.name)}</p><p id="level">实名等级 ${esc(s.user.realname_level)}</p>`
            + `<p id="ident">${esc(s.user.id_number)}</p><a id="logout" href="/logout">退出</a>`));
        } else {
          send(200, page('<h1>人社局业务系统</h1><a id="sso" href="/login">使用一网通办账户登录</a>'));
        }
      } else if (url.pathname === '/login') {
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const id = randomBytes(16).toString('hex');
        sessions.set(id, { verifier, state, nonce });
        const to = client.buildAuthorizationUrl(config, {
          redirect_uri: `${base}/cb`, scope, state, nonce,
          code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
        });
        send(302, '', { Location: to.href, 'Set-Cookie': `rp_sid=${id}; Path=/; HttpOnly` });
      } else if (url.pathname === '/cb') {
        if (!s) return send(400, page('no session'));
        if (url.searchParams.get('error')) return send(200, page(`<p id="rp-error">${esc(url.searchParams.get('error'))}</p>`));
        const tokens = await client.authorizationCodeGrant(config, url, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
        s.tokens = tokens;
        s.user = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
        send(302, '', { Location: '/' });
      } else if (url.pathname === '/logout') {
        const hint = s?.tokens?.id_token;
        sessions.delete(sid);
        const to = client.buildEndSessionUrl(config, { id_token_hint: hint, post_logout_redirect_uri: `${base}/bye`, state: 'rp-bye' });
        send(302, '', { Location: to.href });
      } else if (url.pathname === '/bye') {
        send(200, page(`<p id="bye">已退出 ${esc(url.searchParams.get('state'))}</p><a id="again" href="/">返回</a>`));
      } else {
        send(404, page('not found'));
      }
    } catch (e) {
      send(500, page(`<pre id="rp-fail">${esc(e.message)}</pre>`));
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { base, sessions, close: () => new Promise((r) => server.close(r)) };
}

describe('a department\'s app logs the portal\'s citizen in through ywtb, and out of both', () => {
  let srv, b, rp, rpClient;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
    const port = await freePort();
    rpClient = await registerClient(srv, {
      name: '人社局业务系统', dept: 'XH-RSJ', kind: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'id_number'],
      redirect_uris: [`http://127.0.0.1:${port}/cb`], post_logout_redirect_uris: [`http://127.0.0.1:${port}/bye`],
    });
    rp = await startRelyingParty(srv.base, { clientId: rpClient.client_id, clientSecret: rpClient.client_secret, port });
  });
  after(async () => {
    await rp?.close();
    await b?.close();
    await srv?.close();
  });

  test('first time: the consent page names the system and what it asks; allowed, the app shows name and level', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen);
    await page.goto(`${rp.base}/`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/consent.html'), page.locator('#sso').click()]);
    await waitText(page, '[data-testid=consent]', /人社局业务系统/);
    const consent = await text(page, '[data-testid=consent]');
    assert.match(consent, /身份证号码/, 'what it asks for, in words');
    assert.match(await text(page, '[data-testid=consent-dept]'), /人力资源|人社/);
    await shot(page, 'sso-consent');
    b.assertClean(page);
    await Promise.all([page.waitForURL((u) => u.origin === rp.base && u.pathname === '/'), page.locator('[data-testid=consent-allow]').click()]);
    assert.equal(await text(page, '#who'), DEMO.citizenName);
    assert.match(await text(page, '#level'), /实名等级 [123]/);
    assert.match(await text(page, '#ident'), /^3101\*+2013$/, 'the ID number masked');
  });

  test('logout at the app ends the portal session too', async () => {
    const page = await b.page();
    await page.goto(`${rp.base}/`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/bye'), page.locator('#logout').click()]);
    assert.match(await text(page, '#bye'), /已退出 rp-bye/);
    await page.goto(`${srv.base}/me.html`);
    await page.waitForURL((u) => u.pathname === '/login.html');
  });

  test('logged in to the portal again: one click at the app and the citizen is in (consent remembered)', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen);
    await page.goto(`${rp.base}/`);
    await Promise.all([page.waitForURL((u) => u.origin === rp.base && u.pathname === '/'), page.locator('#sso').click()]);
    assert.equal(await text(page, '#who'), DEMO.citizenName);
  });

  test('not logged in to the portal: the app sends the citizen to the portal\'s login, and back', async () => {
    await b.reset();
    const page = await b.page();
    await page.goto(`${rp.base}/`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/login.html'), page.locator('#sso').click()]);
    await loginUi(page, srv, DEMO.citizen, { here: true });
    await page.waitForURL((u) => u.origin === rp.base && u.pathname === '/');
    assert.equal(await text(page, '#who'), DEMO.citizenName);
  });

  test('the portal lists the connected system and its sign-ins; withdrawing brings the consent page back', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/me.html`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/sso.html'), page.locator('[data-testid=me-to-sso]').click()]);
    await waitText(page, '[data-testid=sso-consents]', /人社局业务系统/);
    const logins = await text(page, '[data-testid=sso-logins]');
    assert.ok((logins.match(/人社局业务系统/g) || []).length >= 3, logins);
    b.assertClean(page);
    await page.locator('[data-testid=sso-withdraw]').click();
    await page.locator('[data-testid=sso-consents-none]').waitFor();
    // the app's own session is still open: it starts a new sign-in
    await page.goto(`${rp.base}/login`);
    await page.waitForURL((u) => u.pathname === '/consent.html');
    await page.locator('[data-testid=consent-deny]').click();
    await page.waitForURL((u) => u.origin === rp.base && u.pathname === '/cb');
    assert.equal(await text(page, '#rp-error'), 'access_denied');
  });

  test('the consent page in English', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.goto(`${rp.base}/login`);
    await page.waitForURL((u) => u.pathname === '/consent.html');
    await waitText(page, '[data-testid=consent]', /asks to sign you in/);
    assert.match(await text(page, '[data-testid=consent-scopes]'), /ID number/);
    assert.deepEqual(await untranslated(page), []);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'zh-CN'));
  });

  test('an unknown system is never sent back to: ywtb\'s own error page', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'zh-CN'));
    await page.goto(`${srv.base}/oauth2/authorize?client_id=nope&redirect_uri=${encodeURIComponent(`${rp.base}/cb`)}&response_type=code&scope=openid`);
    await page.waitForURL((u) => u.pathname === '/ssoerror.html');
    assert.match(await text(page, '[data-testid=sso-error]'), /未在一网通办登记/);
    b.assertClean(page);
  });

  test('the administrator registers a department system on the workbench: its secret is shown once and works', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'admin', { next: 'workbench/clients.html' });
    await page.waitForURL((u) => u.pathname === '/workbench/clients.html');
    await page.locator('#wc-name').fill('税务局征管系统');
    await page.locator('#wc-dept').selectOption('XH-SWJ');
    await page.locator('#wc-scopes').fill('datahub.read');
    await page.locator('[data-testid=client-register]').click();
    const id = await text(page, '[data-testid=client-id]');
    const secret = await text(page, '[data-testid=client-secret]');
    assert.match(id, /^ywc[0-9a-f]{20}$/);
    await shot(page, 'sso-workbench-clients');
    b.assertClean(page);
    const ok = await clientTokenResponse(srv, id, secret);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.scope, 'datahub.read');
    // listed, never with its secret; a reload does not show it again
    await page.reload();
    await waitText(page, `[data-client="${id}"]`, /税务局征管系统/);
    assert.ok(!(await page.content()).includes(secret));
    // rotate: a new secret once, the old one refused
    await page.locator(`[data-client="${id}"] [data-action=secret]`).click();
    const fresh = await text(page, '[data-testid=client-secret]');
    assert.notEqual(fresh, secret);
    assert.equal((await clientTokenResponse(srv, id, secret)).status, 401);
    assert.equal((await clientTokenResponse(srv, id, fresh)).status, 200);
    // disable: its tokens stop
    await page.locator(`[data-client="${id}"] [data-action=disable]`).click();
    await page.locator(`[data-client="${id}"][data-status=disabled]`).waitFor();
    assert.equal((await clientTokenResponse(srv, id, fresh)).status, 401);
  });

  test('the administrator registers a web app with a sub per sector (pairwise); the form says why it refuses one without a sector', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'admin', { next: 'workbench/clients.html' });
    await page.waitForURL((u) => u.pathname === '/workbench/clients.html');
    const fill = async (name, redirects, sector) => {
      await page.locator('#wc-name').fill(name);
      await page.locator('#wc-dept').selectOption('XH-RSJ');
      await page.locator('#wc-grants input[value=client_credentials]').uncheck();
      await page.locator('#wc-grants input[value=authorization_code]').check();
      await page.locator('#wc-scopes').fill('openid profile');
      await page.locator('#wc-redirects').fill(redirects);
      await page.locator('#wc-subject').selectOption('pairwise');
      await page.locator('#wc-sector').fill(sector);
      await page.locator('[data-testid=client-register]').click();
    };
    // redirect URIs on two hosts and no sector: refused, and the form names the field
    await fill('人社局就业系统', 'http://127.0.0.1:9/cb\nhttp://localhost:9/cb', '');
    await waitText(page, '#wc-alert', /sector_identifier/);
    assert.deepEqual(await untranslated(page), []);
    await fill('人社局就业系统', 'http://127.0.0.1:9/cb\nhttp://localhost:9/cb', 'rsj.xuhui.example');
    const id = await text(page, '[data-testid=client-id]');
    await shot(page, 'sso-workbench-pairwise');
    b.assertClean(page);
    const admin = await srv.login('admin');
    const got = await srv.api('GET', `/api/v1/admin/clients/${id}`, { token: admin });
    assert.equal(got.json.client.subject_type, 'pairwise');
    assert.equal(got.json.client.sector_identifier, 'rsj.xuhui.example');
    await page.reload();
    await page.locator(`[data-client="${id}"] [data-subject=pairwise]`).waitFor();
  });
});
