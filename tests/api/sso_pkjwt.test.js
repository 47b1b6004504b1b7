// sso_pkjwt.test.js - private_key_jwt client authentication (RFC 7523 2.2,
// OpenID Connect Core 9): a department system registered with its public
// JWK Set gets tokens with openid-client's PrivateKeyJwt (a certified
// library signing the assertion), and every assertion that is not exactly
// right - built with jose - is refused with the standard OAuth error and
// gives nothing: another key, wrong iss/sub/aud, expired or too long-lived,
// no jti, a jti used before, alg none or HS256.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import * as jose from 'jose';
import { startServer } from './harness.js';
import { registerClient } from './clients.js';

const FORM = 'application/x-www-form-urlencoded';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function isOAuthError(r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error, error, r.text);
  assert.equal(typeof r.json.error_description, 'string');
  assert.equal(r.json.access_token, undefined);
}

async function keyPair(kid) {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg: 'ES256' };
  return { jwk, privateKey };
}

describe('private_key_jwt client authentication', () => {
  let srv, admin, issuer, k1, c;
  before(async () => {
    srv = await startServer();
    issuer = new URL(srv.base);
    admin = await srv.login('admin');
    k1 = await keyPair('k1');
    c = await registerClient(srv, {
      name: '公安局人口系统', dept: 'XH-GAJ', scopes: ['datahub.read', 'licenses.verify'], jwks: { keys: [k1.jwk] },
    });
  });
  after(() => srv?.close());

  const post = (params) => srv.api('POST', '/oauth2/token', { raw: new URLSearchParams(params).toString(), contentType: FORM });
  /** An assertion signed by key (default k1) with these claims over the good ones. */
  async function assertion(claims = {}, { key, kid = 'k1', alg = 'ES256', omit = [] } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const body = { iss: c.client_id, sub: c.client_id, aud: srv.base, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...claims };
    for (const o of omit) delete body[o];
    return new jose.SignJWT(body).setProtectedHeader({ alg, kid }).sign(key || k1.privateKey);
  }
  const withAssertion = (a, extra = {}) => post({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: a, ...extra });

  test('registered with its public keys; openid-client PrivateKeyJwt gets a token that makes a dept_system principal', async () => {
    assert.equal(c.client.token_endpoint_auth_method, 'private_key_jwt');
    assert.deepEqual(c.client.jwks.keys.map((k) => k.kid), ['k1']);
    const m = (await srv.api('GET', '/.well-known/openid-configuration')).json;
    assert.ok(m.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    const cfg = await client.discovery(issuer, c.client_id, undefined, client.PrivateKeyJwt({ key: k1.privateKey, kid: 'k1' }),
      { execute: [client.allowInsecureRequests] });
    const t = await client.clientCredentialsGrant(cfg, { scope: 'datahub.read' });
    assert.equal(t.token_type.toLowerCase(), 'bearer');
    assert.equal(t.scope, 'datahub.read');
    const who = await srv.api('GET', '/api/v1/me', { token: t.access_token });
    assert.equal(who.status, 200, who.text);
    assert.equal(who.json.system.client_id, c.client_id);
    assert.equal(who.json.system.dept, 'XH-GAJ');
    // twice in a row: each call signs a new assertion (new jti)
    const t2 = await client.clientCredentialsGrant(cfg, { scope: 'licenses.verify' });
    assert.notEqual(t2.access_token, t.access_token);
    // revocation authenticates the same way
    await client.tokenRevocation(cfg, t2.access_token);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t2.access_token })).status, 401);
    // the token endpoint's URL as aud is accepted too
    const r = await withAssertion(await assertion({ aud: `${srv.base}/oauth2/token` }));
    assert.equal(r.status, 200, r.text);
  });

  test('a jti is single-use: the same assertion twice is refused the second time', async () => {
    const a = await assertion();
    assert.equal((await withAssertion(a)).status, 200);
    const again = await withAssertion(a);
    isOAuthError(again, 401, 'invalid_client');
    assert.match(again.json.error_description, /jti/);
  });

  test('bad assertions are refused with invalid_client and give no token', async () => {
    const other = await keyPair('k1');
    const hs = new TextEncoder().encode('x'.repeat(32));
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      ['another key under the same kid', await assertion({}, { key: other.privateKey }), /signature/],
      ['an unknown kid', await assertion({}, { kid: 'k9' }), /signature/],
      ['iss is not the client', await assertion({ iss: 'someone-else' }), /iss and sub/],
      ['aud is another server', await assertion({ aud: 'https://idp.example.com' }), /aud/],
      ['expired', await assertion({ iat: now - 600, exp: now - 120 }), /expired/],
      ['lives for a day', await assertion({ exp: now + 86400 }), /too long/],
      ['no exp', await assertion({}, { omit: ['exp'] }), /no exp/],
      ['no jti', await assertion({}, { omit: ['jti'] }), /jti/],
      ['not valid yet', await assertion({ nbf: now + 300, exp: now + 400 }), /not valid yet/],
      ['HS256 with a guessed secret', await new jose.SignJWT({ iss: c.client_id, sub: c.client_id, aud: srv.base, exp: now + 60, jti: 'h1' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(hs), /signature/],
      ['alg none', `${jose.base64url.encode(JSON.stringify({ alg: 'none' }))}.${jose.base64url.encode(JSON.stringify({ iss: c.client_id, sub: c.client_id, aud: srv.base, exp: now + 60, jti: 'n1' }))}.`, /signature|client_assertion/],
    ];
    for (const [what, a, why] of cases) {
      const r = await withAssertion(a);
      assert.equal(r.status, 401, `${what}: ${r.text}`);
      assert.equal(r.json.error, 'invalid_client', what);
      assert.equal(r.json.access_token, undefined, what);
      assert.match(r.json.error_description, why, what);
    }
    // malformed requests: 400 invalid_request
    isOAuthError(await post({ grant_type: 'client_credentials', client_assertion: await assertion() }), 400, 'invalid_request');
    isOAuthError(await post({ grant_type: 'client_credentials', client_assertion_type: 'urn:x', client_assertion: await assertion() }), 400, 'invalid_request');
    isOAuthError(await withAssertion('not-a-jwt'), 400, 'invalid_request');
    isOAuthError(await withAssertion(await assertion(), { client_id: 'ywc-other' }), 400, 'invalid_request');
    isOAuthError(await withAssertion(await assertion(), { client_secret: c.client_secret }), 400, 'invalid_request');
  });

  test('a client with keys no longer authenticates with its secret; one without keys cannot use an assertion', async () => {
    const basic = `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
    const r = await srv.api('POST', '/oauth2/token', { raw: 'grant_type=client_credentials', contentType: FORM, headers: { Authorization: basic } });
    isOAuthError(r, 401, 'invalid_client');
    assert.match(r.json.error_description, /private_key_jwt/);
    const plain = await registerClient(srv, { scopes: ['datahub.read'] });
    assert.equal(plain.client.token_endpoint_auth_method, 'client_secret_basic');
    const now = Math.floor(Date.now() / 1000);
    const a = await new jose.SignJWT({ iss: plain.client_id, sub: plain.client_id, aud: srv.base, exp: now + 60, jti: 'p1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(k1.privateKey);
    isOAuthError(await withAssertion(a), 401, 'invalid_client');
    // keys added by a change, then removed again: back to the secret
    const k2 = await keyPair('k2');
    const put = await srv.api('PUT', `/api/v1/admin/clients/${plain.client_id}`, { token: admin, body: { jwks: { keys: [k2.jwk] } } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.client.token_endpoint_auth_method, 'private_key_jwt');
    const a2 = await new jose.SignJWT({ iss: plain.client_id, sub: plain.client_id, aud: srv.base, exp: now + 60, jti: 'p2' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' }).sign(k2.privateKey);
    assert.equal((await withAssertion(a2)).status, 200);
    const off = await srv.api('PUT', `/api/v1/admin/clients/${plain.client_id}`, { token: admin, body: { jwks: { keys: [] } } });
    assert.equal(off.json.client.token_endpoint_auth_method, 'client_secret_basic');
    const b = `Basic ${Buffer.from(`${plain.client_id}:${plain.client_secret}`).toString('base64')}`;
    assert.equal((await srv.api('POST', '/oauth2/token', { raw: 'grant_type=client_credentials', contentType: FORM, headers: { Authorization: b } })).status, 200);
  });

  test('registration refuses keys that are not public EC P-256 keys, and keys on a public client', async () => {
    const before = (await srv.api('GET', '/api/v1/admin/clients', { token: admin })).json.items.length;
    const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const priv = await jose.exportJWK(privateKey);
    const rsa = await jose.exportJWK((await jose.generateKeyPair('RS256', { extractable: true })).publicKey);
    const good = (await keyPair('g')).jwk;
    const bad = [
      { jwks: { keys: [priv] } },
      { jwks: { keys: [rsa] } },
      { jwks: { keys: [{ ...good, x: good.y }] } },
      { jwks: { keys: [{ ...good, alg: 'RS256' }] } },
      { jwks: { keys: [good, good] } },
      { jwks: [good] },
      { jwks: { keys: [good], extra: 1 } },
      { kind: 'public', grant_types: ['authorization_code'], scopes: ['openid'], redirect_uris: ['http://127.0.0.1:9/cb'], jwks: { keys: [good] } },
    ];
    for (const fields of bad) {
      const r = await srv.api('POST', '/api/v1/admin/clients', {
        token: admin, body: { name: '坏', dept: 'XH-SCJ', kind: 'confidential', grant_types: ['client_credentials'], ...fields },
      });
      assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(fields).slice(0, 80)}: ${r.status} ${r.text}`);
    }
    const after = (await srv.api('GET', '/api/v1/admin/clients', { token: admin })).json.items.length;
    assert.equal(after, before, 'nothing registered');
  });
});
