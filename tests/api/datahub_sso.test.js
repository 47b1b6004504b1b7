// datahub_sso.test.js - a person's login to a department's system through
// ywtb's single sign-on (identity's oidc.login event) shows in their ledger
// (用数记录) as that system's use of their identity, with the scopes it was
// given; driven by openid-client as the relying party, like sso_oidc.test.js.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { startServer, DEMO_PASSWORD } from './harness.js';
import { registerClient } from './clients.js';
import { CITIZEN } from './world.js';

const RP = 'http://127.0.0.1:9/cb'; // never contacted: the test reads the redirect

async function session(srv, login) {
  const r = await srv.loginResponse(login, DEMO_PASSWORD);
  assert.equal(r.status, 200, r.text);
  const m = /ywtb_session=([^;]+)/.exec(r.headers.get('set-cookie') || '');
  return { token: r.json.token, cookie: `ywtb_session=${m[1]}`, csrf: r.json.csrf_token };
}

async function follow(srv, url, cookie) {
  const r = await fetch(new URL(url, srv.base), { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  assert.equal(r.status, 302, `${url}: ${r.status} ${await r.text()}`);
  return r.headers.get('location');
}

describe('datahub: logins through ywtb in the ledger', () => {
  let srv, rp, config, citizen;
  before(async () => {
    srv = await startServer();
    rp = await registerClient(srv, {
      name: '公积金网上服务', dept: 'XH-GJJ', kind: 'confidential',
      grant_types: ['authorization_code'], scopes: ['openid', 'profile', 'id_number'], redirect_uris: [RP],
    });
    config = await client.discovery(new URL(srv.base), rp.client_id, rp.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    citizen = await session(srv, CITIZEN);
  });
  after(() => srv?.close());

  test('the login is in the citizen\'s ledger: which system, which department, which scopes', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: RP, scope: 'openid profile id_number', state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    let loc = await follow(srv, url.href, citizen.cookie);
    if (loc.startsWith('/consent.html')) {
      const u = new URL(loc, srv.base);
      const r = await srv.api('POST', '/api/v1/sso/authorization', {
        cookie: citizen.cookie, csrf: citizen.csrf, body: { params: Object.fromEntries(u.searchParams), decision: 'allow' },
      });
      assert.equal(r.status, 200, r.text);
      loc = r.json.redirect_to;
    }
    assert.ok(loc.startsWith(RP), loc);
    await client.authorizationCodeGrant(config, new URL(loc), { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
    const l = await srv.api('GET', '/api/v1/datahub/me/ledger', { token: citizen.token });
    assert.equal(l.status, 200, l.text);
    const e = l.json.items.find((x) => x.reader_kind === 'sso');
    assert.ok(e, `a login entry in ${l.text}`);
    assert.deepEqual([e.reader_dept, e.reader_name, e.purpose], ['XH-GJJ', '公积金网上服务', 'login']);
    assert.ok(e.fields.includes('id_number'), e.fields.join());
  });
});
