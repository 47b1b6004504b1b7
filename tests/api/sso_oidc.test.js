// sso_oidc.test.js - ywtb as an OpenID Connect provider, driven by a
// certified relying-party library (openid-client): discovery, the code flow
// with PKCE, the ID token checked against the JWKS with jose, userinfo with
// the claims each scope releases, refresh with rotation and reuse detection,
// revocation and RP-initiated logout ending the ywtb session.  The browser's
// part - the portal login cookie, following redirects, the consent page's two
// API calls - is done here with fetch; tests/e2e/sso.test.js does it in a
// real browser.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import * as jose from 'jose';
import smCrypto from 'sm-crypto';
import { startServer, DEMO_PASSWORD } from './harness.js';
import { registerClient } from './clients.js';
import { registerPerson, APPLICANT_PASSWORD } from './case_fixtures.js';
import { CITIZEN, COMPANY } from './world.js';

/** A browser's login at the portal: its cookie and CSRF token (and the bearer token). */
async function session(srv, login, password = DEMO_PASSWORD) {
  const r = await srv.loginResponse(login, password);
  assert.equal(r.status, 200, r.text);
  const m = /ywtb_session=([^;]+)/.exec(r.headers.get('set-cookie') || '');
  return { token: r.json.token, cookie: `ywtb_session=${m[1]}`, csrf: r.json.csrf_token };
}

const RP = 'http://127.0.0.1:9/cb'; // never contacted: the test reads the redirect
const RP_LOGOUT = 'http://127.0.0.1:9/bye';

/** The browser: GET url with the portal's cookie, return the Location it is sent to. */
async function follow(srv, url, cookie) {
  const u = new URL(url, srv.base);
  const r = await fetch(u, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  assert.equal(r.status, 302, `${u.pathname}: ${r.status} ${await r.text()}`);
  return r.headers.get('location');
}

/** Allow (or deny) on the consent page: the page's own API calls. */
async function consent(srv, consentUrl, sess, decision = 'allow') {
  const u = new URL(consentUrl, srv.base);
  assert.equal(u.pathname, '/consent.html');
  const show = await srv.api('GET', `/api/v1/sso/authorization${u.search}`, { cookie: sess.cookie });
  assert.equal(show.status, 200, show.text);
  const params = Object.fromEntries(u.searchParams);
  const r = await srv.api('POST', '/api/v1/sso/authorization', {
    cookie: sess.cookie, csrf: sess.csrf, body: { params, decision },
  });
  assert.equal(r.status, 200, r.text);
  return { show: show.json, redirect: r.json.redirect_to };
}

describe('OpenID Connect provider with openid-client as the relying party', () => {
  let srv, admin, rp, config, publicRp, publicConfig, citizen, issuer;
  before(async () => {
    srv = await startServer();
    issuer = new URL(srv.base);
    admin = await srv.login('admin');
    rp = await registerClient(srv, {
      name: '人社局社保系统', dept: 'XH-RSJ', kind: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'id_number', 'phone', 'company'],
      redirect_uris: [RP], post_logout_redirect_uris: [RP_LOGOUT],
    });
    config = await client.discovery(issuer, rp.client_id, rp.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    publicRp = await registerClient(srv, {
      name: '一网通办小程序', dept: 'XH-ZWB', kind: 'public',
      grant_types: ['authorization_code'], scopes: ['openid', 'profile'], redirect_uris: [RP],
    });
    publicConfig = await client.discovery(issuer, publicRp.client_id, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    citizen = await session(srv, CITIZEN);
  });
  after(() => srv?.close());

  /** The whole code flow as the RP and the citizen's browser: returns the token response. */
  async function login(cfg, sess, scope = 'openid profile id_number phone company', extra = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(cfg, {
      redirect_uri: RP, scope, state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    let loc = await follow(srv, url.href, sess.cookie);
    let shown = null;
    if (loc.startsWith('/consent.html')) {
      const c = await consent(srv, loc, sess);
      shown = c.show;
      loc = c.redirect;
    }
    assert.ok(loc.startsWith(RP), `back at the RP: ${loc}`);
    const tokens = await client.authorizationCodeGrant(cfg, new URL(loc), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    return { tokens, shown, back: new URL(loc) };
  }

  test('discovery: the endpoints, S256 only, ES256 and SM2SM3', async () => {
    const m = config.serverMetadata();
    assert.equal(m.issuer, srv.base);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.ok(m.id_token_signing_alg_values_supported.includes('ES256'));
    assert.equal(m.end_session_endpoint, `${srv.base}/oauth2/logout`);
    assert.deepEqual(m.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none', 'private_key_jwt']);
    assert.deepEqual(m.token_endpoint_auth_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(m.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials']);
    assert.deepEqual(m.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
    assert.deepEqual(m.acr_values_supported, ['1', '2', '3']);
    assert.equal(m.authorization_response_iss_parameter_supported, true);
    const jwks = await (await fetch(m.jwks_uri)).json();
    assert.ok(jwks.keys.length >= 1);
    assert.ok(jwks.keys.every((k) => k.kty === 'EC' && k.kid && !k.d), 'public keys only');
  });

  test('code flow with PKCE: consent once, ID token valid against the JWKS, userinfo by scope', async () => {
    const { tokens, shown, back } = await login(config, citizen);
    assert.equal(back.searchParams.get('iss'), srv.base, 'RFC 9207 iss in the response');
    assert.equal(shown.client.name, '人社局社保系统');
    assert.equal(shown.client.dept, 'XH-RSJ');
    assert.deepEqual(shown.scopes, ['openid', 'profile', 'id_number', 'phone', 'company']);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token);
    const claims = tokens.claims();
    assert.equal(claims.iss, srv.base);
    assert.equal(claims.aud, rp.client_id);
    assert.equal(claims.name, '张小明');
    assert.match(claims.acr, /^[123]$/);
    // the signature, independently of openid-client: jose with the published keys
    const keys = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.id_token, keys, { issuer: srv.base, audience: rp.client_id });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.sub, claims.sub);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.name, '张小明');
    assert.equal(info.id_number, `${CITIZEN.slice(0, 4)}${'*'.repeat(10)}${CITIZEN.slice(-4)}`, 'masked unless allowed');
    assert.equal(info.id_number_masked, true);
    assert.ok(info.phone_number);
    assert.ok(Array.isArray(info.company));
    assert.equal(info.realname_level, Number(claims.acr));

    // remembered: the second login goes straight back with a code
    const again = await login(config, citizen);
    assert.equal(again.shown, null, 'no consent page the second time');

    // the portal lists the consent and the logins
    const mine = await srv.api('GET', '/api/v1/me/sso', { cookie: citizen.cookie });
    assert.equal(mine.status, 200, mine.text);
    assert.ok(mine.json.consents.some((c) => c.client_id === rp.client_id && c.name === '人社局社保系统'));
    assert.ok(mine.json.logins.filter((l) => l.client_id === rp.client_id).length >= 2);
  });

  test('a public client must use PKCE; with it, it logs in without a secret', async () => {
    const url = client.buildAuthorizationUrl(publicConfig, { redirect_uri: RP, scope: 'openid', state: 'x' });
    const loc = await follow(srv, url.href, citizen.cookie);
    const back = new URL(loc);
    assert.equal(back.origin + back.pathname, RP);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.equal(back.searchParams.get('state'), 'x');
    const { tokens } = await login(publicConfig, citizen, 'openid profile');
    assert.equal(tokens.refresh_token, undefined, 'no refresh_token grant registered');
    assert.equal(tokens.claims().name, '张小明');
  });

  test('the company: id_number is the credit code, company its own', async () => {
    const company = await session(srv, COMPANY);
    const { tokens } = await login(config, company);
    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    assert.equal(info.id_type, 'uscc');
    assert.equal(info.company[0].role, 'self');
  });

  test('refresh rotates; a reused refresh token revokes the whole login', async () => {
    const { tokens } = await login(config, citizen);
    const r1 = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(r1.refresh_token && r1.refresh_token !== tokens.refresh_token);
    assert.ok(r1.access_token !== tokens.access_token);
    await client.fetchUserInfo(config, r1.access_token, tokens.claims().sub);
    // the old refresh token again: reuse
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    // everything of that login is revoked now, the newest tokens too
    await assert.rejects(client.refreshTokenGrant(config, r1.refresh_token), (e) => e.error === 'invalid_grant');
    await assert.rejects(client.fetchUserInfo(config, r1.access_token, tokens.claims().sub));
  });

  test('a code is single-use and what its first exchange gave is revoked on reuse', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: RP, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const loc = await follow(srv, url.href, citizen.cookie);
    const code = new URL(loc).searchParams.get('code');
    assert.ok(code, loc);
    const basic = `Basic ${Buffer.from(`${rp.client_id}:${rp.client_secret}`).toString('base64')}`;
    const exchange = (v = verifier) => fetch(`${srv.base}/oauth2/token`, {
      method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP, code_verifier: v }),
    });
    const wrong = await exchange(client.randomPKCECodeVerifier());
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).error, 'invalid_grant');
    const first = await exchange();
    assert.equal(first.status, 200);
    const t = await first.json();
    const second = await exchange();
    assert.equal(second.status, 400);
    assert.equal((await second.json()).error, 'invalid_grant');
    const ui = await fetch(`${srv.base}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(ui.status, 401, 'the first exchange\'s access token is revoked');
    assert.match(ui.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);
  });

  test('one code sent several times at once: one exchange wins, and what it gave is revoked (RFC 9700 4.5)', async () => {
    // the exchange's checks run before its transaction (on the HTTP worker);
    // the code's one use is decided inside it, so however the requests
    // interleave, exactly one gets tokens and a loser revokes them
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: RP, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const code = new URL(await follow(srv, url.href, citizen.cookie)).searchParams.get('code');
    assert.ok(code);
    const basic = `Basic ${Buffer.from(`${rp.client_id}:${rp.client_secret}`).toString('base64')}`;
    const answers = await Promise.all([0, 1, 2, 3].map(() => fetch(`${srv.base}/oauth2/token`, {
      method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP, code_verifier: verifier }),
    }).then(async (r) => ({ status: r.status, json: await r.json() }))));
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, JSON.stringify(answers.map((a) => a.status)));
    for (const a of answers.filter((x) => x.status !== 200)) {
      assert.equal(a.status, 400);
      assert.equal(a.json.error, 'invalid_grant');
    }
    const ui = await fetch(`${srv.base}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${won[0].json.access_token}` } });
    assert.equal(ui.status, 401, 'the winner\'s access token is revoked');
  });

  test('revocation (RFC 7009) and a withdrawn consent end the tokens', async () => {
    const { tokens } = await login(config, citizen);
    // userinfo answers are kept in memory per access token: each revocation must end them too
    for (let i = 0; i < 2; i++) assert.equal((await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub)).name, '张小明');
    await client.tokenRevocation(config, tokens.refresh_token);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub), 'revoking the refresh token ends its login');

    const again = await login(config, citizen);
    for (let i = 0; i < 2; i++) await client.fetchUserInfo(config, again.tokens.access_token, again.tokens.claims().sub);
    const w = await srv.api('DELETE', `/api/v1/me/sso/consents/${rp.client_id}`, { cookie: citizen.cookie, csrf: citizen.csrf });
    assert.equal(w.status, 200, w.text);
    await assert.rejects(client.fetchUserInfo(config, again.tokens.access_token, again.tokens.claims().sub));
    const next = await login(config, citizen);
    assert.ok(next.shown, 'the consent page again after withdrawing');
    // the access token itself revoked
    for (let i = 0; i < 2; i++) await client.fetchUserInfo(config, next.tokens.access_token, next.tokens.claims().sub);
    await client.tokenRevocation(config, next.tokens.access_token);
    await assert.rejects(client.fetchUserInfo(config, next.tokens.access_token, next.tokens.claims().sub), 'a revoked access token gets no userinfo');
    // the client disabled, then enabled again: its tokens stay revoked
    const last = await login(config, citizen);
    for (let i = 0; i < 2; i++) await client.fetchUserInfo(config, last.tokens.access_token, last.tokens.claims().sub);
    assert.equal((await srv.api('POST', `/api/v1/admin/clients/${rp.client_id}/disable`, { token: admin })).status, 200);
    assert.equal((await srv.api('POST', `/api/v1/admin/clients/${rp.client_id}/enable`, { token: admin })).status, 200);
    await assert.rejects(client.fetchUserInfo(config, last.tokens.access_token, last.tokens.claims().sub), 'the tokens of a disabled client end');
    const none = await srv.api('DELETE', `/api/v1/me/sso/consents/${rp.client_id}`, { token: (await session(srv, '310104199003072013')).token });
    assert.equal(none.status, 200);
    const gone = await srv.api('DELETE', '/api/v1/me/sso/consents/ywcnone', { cookie: citizen.cookie, csrf: citizen.csrf });
    assert.equal(gone.status, 404);
  });

  test('prompt=none answers without a page; prompt=login and max_age send the person to log in again', async () => {
    const fresh = await session(srv, CITIZEN);
    const other = await registerClient(srv, {
      name: '住建局系统', dept: 'XH-ZJW', grant_types: ['authorization_code'], scopes: ['openid'], redirect_uris: [RP],
    });
    const cfg = await client.discovery(issuer, other.client_id, other.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    const ask = async (sess, extra) => {
      const v = client.randomPKCECodeVerifier();
      const u = client.buildAuthorizationUrl(cfg, {
        redirect_uri: RP, scope: 'openid', state: 's1', code_challenge: await client.calculatePKCECodeChallenge(v), code_challenge_method: 'S256', ...extra,
      });
      return follow(srv, u.href, sess?.cookie);
    };
    let loc = new URL(await ask(null, { prompt: 'none' }), srv.base);
    assert.equal(loc.searchParams.get('error'), 'login_required');
    assert.equal(loc.searchParams.get('state'), 's1');
    loc = new URL(await ask(fresh, { prompt: 'none' }), srv.base);
    assert.equal(loc.searchParams.get('error'), 'consent_required');
    loc = new URL(await ask(null, {}), srv.base);
    assert.equal(loc.pathname, '/login.html');
    assert.match(loc.searchParams.get('next'), /^\/oauth2\/authorize\?/);
    loc = new URL(await ask(fresh, { prompt: 'login' }), srv.base);
    assert.equal(loc.pathname, '/login.html', 'prompt=login: log in again');
    const next = loc.searchParams.get('next');
    assert.ok(!/prompt=login/.test(next) && /auth_after=\d+/.test(next), next);
    // the old session comes back with it: still too old; a new login passes
    assert.equal(new URL(await follow(srv, next, fresh.cookie), srv.base).pathname, '/login.html');
    await new Promise((r) => setTimeout(r, 5));
    const relogged = await session(srv, CITIZEN);
    assert.equal(new URL(await follow(srv, next, relogged.cookie), srv.base).pathname, '/consent.html');
    loc = new URL(await ask(fresh, { max_age: '0' }), srv.base);
    assert.equal(loc.pathname, '/login.html', 'max_age=0: log in again');
  });

  test('acr_values above the person\'s real-name level: not let in, told how to raise it', async () => {
    const strict = await registerClient(srv, {
      name: '公积金中心', dept: 'XH-GJJ', grant_types: ['authorization_code'], scopes: ['openid', 'profile'], redirect_uris: [RP], min_acr: 3,
    });
    const cfg = await client.discovery(issuer, strict.client_id, strict.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    // a citizen who registered online: below level 3 until seen at the window
    const p = await registerPerson(srv, '赵新', '19920505', 321);
    const fresh = await session(srv, p.login, APPLICANT_PASSWORD);
    const level = (await srv.api('GET', '/api/v1/me', { token: fresh.token })).json.account.profile?.realname_level ?? 1;
    assert.ok(level < 3);
    const v = client.randomPKCECodeVerifier();
    const u = client.buildAuthorizationUrl(cfg, { redirect_uri: RP, scope: 'openid profile', state: 'q', code_challenge: await client.calculatePKCECodeChallenge(v), code_challenge_method: 'S256' });
    const loc = await follow(srv, u.href, fresh.cookie);
    assert.match(loc, /^\/consent\.html/);
    const c = await consent(srv, loc, fresh);
    assert.equal(c.show.realname.enough, false);
    assert.equal(c.show.realname.level, level);
    assert.equal(c.show.realname.required, 3);
    const back = new URL(c.redirect);
    assert.equal(back.searchParams.get('error'), 'unmet_authentication_requirements');
    const none = new URL(await follow(srv, `${u.href}&prompt=none`, fresh.cookie));
    assert.equal(none.searchParams.get('error'), 'unmet_authentication_requirements');
    // acr_values on a lenient client raises the bar the same way
    const v2 = client.randomPKCECodeVerifier();
    const u2 = client.buildAuthorizationUrl(config, { redirect_uri: RP, scope: 'openid', acr_values: '3', prompt: 'none', code_challenge: await client.calculatePKCECodeChallenge(v2), code_challenge_method: 'S256' });
    assert.equal(new URL(await follow(srv, u2.href, fresh.cookie)).searchParams.get('error'), 'unmet_authentication_requirements');
    // seen at the window: level 3, and the same request lets them in
    const clerk = await srv.login('clerk');
    const up = await srv.api('POST', `/api/v1/accounts/${p.id}/realname`, { token: clerk, body: { level: 3, method: 'window' } });
    assert.equal(up.status, 200, up.text);
    const ok = await follow(srv, u.href, fresh.cookie);
    assert.match(ok, /^\/consent\.html/);
    const allowed = await consent(srv, ok, fresh);
    assert.ok(new URL(allowed.redirect).searchParams.get('code'));
    assert.equal(allowed.show.realname.enough, true);
  });

  test('bad authorization requests: an unknown client or redirect_uri never redirects to it', async () => {
    const base = `${srv.base}/oauth2/authorize?response_type=code&scope=openid`;
    let loc = await follow(srv, `${base}&client_id=nope&redirect_uri=${encodeURIComponent(RP)}`, citizen.cookie);
    assert.match(loc, /^\/ssoerror\.html\?error=invalid_client/);
    loc = await follow(srv, `${base}&client_id=${rp.client_id}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/evil')}`, citizen.cookie);
    assert.match(loc, /^\/ssoerror\.html\?error=invalid_request/);
    loc = await follow(srv, `${base}&client_id=${rp.client_id}&redirect_uri=${encodeURIComponent(`${RP}/`)}`, citizen.cookie);
    assert.match(loc, /^\/ssoerror\.html/, 'exact match: a trailing slash is another URI');
    const rpErr = async (q) => new URL(await follow(srv, `${srv.base}/oauth2/authorize?client_id=${rp.client_id}&redirect_uri=${encodeURIComponent(RP)}&state=z&${q}`, citizen.cookie));
    assert.equal((await rpErr('response_type=token&scope=openid')).searchParams.get('error'), 'unsupported_response_type');
    assert.equal((await rpErr('response_type=code&scope=profile')).searchParams.get('error'), 'invalid_scope');
    assert.equal((await rpErr('response_type=code&scope=openid%20datahub.read')).searchParams.get('error'), 'invalid_scope');
    assert.equal((await rpErr('response_type=code&scope=openid&code_challenge=abc&code_challenge_method=plain')).searchParams.get('error'), 'invalid_request');
    const e = await rpErr('response_type=code&scope=openid&prompt=none%20login');
    assert.equal(e.searchParams.get('error'), 'invalid_request');
    assert.equal(e.searchParams.get('state'), 'z');
    assert.equal(e.searchParams.get('iss'), srv.base);
  });

  test('RP-initiated logout with id_token_hint ends the ywtb session and the system\'s tokens', async () => {
    const sess = await session(srv, CITIZEN);
    const { tokens } = await login(config, sess);
    // without a hint nothing ends: the page asks
    assert.equal(await follow(srv, `${srv.base}/oauth2/logout`, sess.cookie), '/signout.html');
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: sess.cookie })).status, 200);
    // a post-logout URI the client did not register is refused
    const bad = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://127.0.0.1:9/other' });
    assert.match(await follow(srv, bad.href, sess.cookie), /^\/ssoerror\.html/);
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: sess.cookie })).status, 200);
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: RP_LOGOUT, state: 'bye1' });
    const r = await fetch(url, { redirect: 'manual', headers: { Cookie: sess.cookie } });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), `${RP_LOGOUT}?state=bye1`);
    assert.match(r.headers.get('set-cookie'), /ywtb_session=;/);
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: sess.cookie })).status, 401, 'the ywtb session ended');
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub));
  });

  test('a login is audited (and its oidc.login event published with it); a refused exchange writes nothing', async () => {
    const sess = await session(srv, CITIZEN);
    const before = srv.verifyAudit();
    assert.ok(before.intact, before.stdout + before.stderr);
    const { tokens } = await login(config, sess); // publishing oidc.login checks its payload: a gap would fail the exchange
    assert.ok(tokens.access_token);
    const mid = srv.verifyAudit();
    assert.ok(mid.intact);
    assert.ok(mid.records >= before.records + 2, 'the code and the login are audited');
    // refused: a wrong verifier, an unknown code, a bad grant type
    const basic = `Basic ${Buffer.from(`${rp.client_id}:${rp.client_secret}`).toString('base64')}`;
    for (const body of [{ grant_type: 'authorization_code', code: 'nope', redirect_uri: RP, code_verifier: client.randomPKCECodeVerifier() },
      { grant_type: 'refresh_token', refresh_token: 'ywrt.nope' }, { grant_type: 'password', username: 'x', password: 'y' }]) {
      const r = await fetch(`${srv.base}/oauth2/token`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
      assert.equal(r.status, 400);
    }
    const after = srv.verifyAudit();
    assert.equal(after.records, mid.records, 'refused requests wrote no audit record');
  });

  test('key rotation: the old key stays published, new tokens use the new one', async () => {
    const before = (await (await fetch(`${srv.base}/oauth2/jwks`)).json()).keys.map((k) => k.kid);
    const rot = await srv.api('POST', '/api/v1/admin/oidc/keys/rotate', { token: admin, body: { alg: 'ES256' } });
    assert.equal(rot.status, 200, rot.text);
    const after = (await (await fetch(`${srv.base}/oauth2/jwks`)).json()).keys.map((k) => k.kid);
    for (const k of before) assert.ok(after.includes(k), 'the retired key is still published');
    assert.ok(after.includes(rot.json.kid));
    const { tokens } = await login(config, citizen);
    const { protectedHeader } = await jose.jwtVerify(tokens.id_token, jose.createLocalJWKSet({ keys: (await (await fetch(`${srv.base}/oauth2/jwks`)).json()).keys }));
    assert.equal(protectedHeader.kid, rot.json.kid);
  });
  test('a client registered for SM2SM3 gets ID tokens signed with SM2 over SM3 that an independent verifier (sm-crypto) accepts', async () => {
    const gm = await registerClient(srv, {
      name: '国密业务系统', dept: 'XH-SCJ', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
      redirect_uris: [RP], id_token_alg: 'SM2SM3',
    });
    const verifier = client.randomPKCECodeVerifier();
    const url = `${srv.base}/oauth2/authorize?${new URLSearchParams({
      client_id: gm.client_id, redirect_uri: RP, response_type: 'code', scope: 'openid profile', nonce: 'n-sm2',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    })}`;
    const sess = await session(srv, CITIZEN);
    const c = await consent(srv, await follow(srv, url, sess.cookie), sess);
    const code = new URL(c.redirect).searchParams.get('code');
    const r = await fetch(`${srv.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP, code_verifier: verifier, client_id: gm.client_id, client_secret: gm.client_secret }),
    });
    assert.equal(r.status, 200);
    const { id_token: idt } = await r.json();
    const [h64, p64, s64] = idt.split('.');
    const header = JSON.parse(Buffer.from(h64, 'base64url'));
    const payload = JSON.parse(Buffer.from(p64, 'base64url'));
    assert.equal(header.alg, 'SM2SM3');
    assert.equal(payload.nonce, 'n-sm2');
    assert.equal(payload.aud, gm.client_id);
    const jwk = (await (await fetch(`${srv.base}/oauth2/jwks`)).json()).keys.find((k) => k.kid === header.kid);
    assert.equal(jwk.crv, 'SM2');
    const pub = `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`;
    const sig = Buffer.from(s64, 'base64url').toString('hex');
    const opts = { der: false, hash: true, userId: '1234567812345678' };
    assert.equal(smCrypto.sm2.doVerifySignature(`${h64}.${p64}`, sig, pub, opts), true, 'sm-crypto verifies the SM2 signature');
    assert.equal(smCrypto.sm2.doVerifySignature(`${h64}.${p64}x`, sig, pub, opts), false, 'and refuses other bytes');
    // ES256 clients are not affected
    const es = await login(config, citizen, 'openid');
    assert.equal(JSON.parse(Buffer.from(es.tokens.id_token.split('.')[0], 'base64url')).alg, 'ES256');
  });
});
