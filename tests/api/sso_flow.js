// sso_flow.js - the relying party's and the browser's part of a login through
// ywtb's OpenID Connect provider, for the sso tests that need whole logins
// (sso_pairwise, sso_keys): the portal login cookie, following the
// authorization redirect, the consent page's two API calls and openid-client's
// code exchange.  Not a test file itself: node --test only runs *.test.js.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { DEMO_PASSWORD } from './harness.js';

export const RP = 'http://127.0.0.1:9/cb'; // never contacted: the test reads the redirect

/** A browser's login at the portal: its cookie and CSRF token. */
export async function session(srv, login, password = DEMO_PASSWORD) {
  const r = await srv.loginResponse(login, password);
  assert.equal(r.status, 200, r.text);
  const m = /ywtb_session=([^;]+)/.exec(r.headers.get('set-cookie') || '');
  return { token: r.json.token, cookie: `ywtb_session=${m[1]}`, csrf: r.json.csrf_token };
}

/** GET url with the portal's cookie: the Location it is sent to. */
export async function follow(srv, url, cookie) {
  const u = new URL(url, srv.base);
  const r = await fetch(u, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  assert.equal(r.status, 302, `${u.pathname}: ${r.status} ${await r.text()}`);
  return r.headers.get('location');
}

/** openid-client's view of ywtb for one registered client. */
export function discover(srv, reg) {
  return client.discovery(new URL(srv.base), reg.client_id, reg.client_secret, undefined, { execute: [client.allowInsecureRequests] });
}

/** The whole code flow with PKCE (consent allowed when asked): openid-client's token response. */
export async function codeLogin(srv, cfg, sess, { redirectUri = RP, scope = 'openid profile' } = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: redirectUri, scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  let loc = await follow(srv, url.href, sess.cookie);
  if (loc.startsWith('/consent.html')) {
    const u = new URL(loc, srv.base);
    const show = await srv.api('GET', `/api/v1/sso/authorization${u.search}`, { cookie: sess.cookie });
    assert.equal(show.status, 200, show.text);
    const r = await srv.api('POST', '/api/v1/sso/authorization', {
      cookie: sess.cookie, csrf: sess.csrf, body: { params: Object.fromEntries(u.searchParams), decision: 'allow' },
    });
    assert.equal(r.status, 200, r.text);
    loc = r.json.redirect_to;
  }
  assert.ok(loc.startsWith(redirectUri), `back at the relying party: ${loc}`);
  return client.authorizationCodeGrant(cfg, new URL(loc), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
}
