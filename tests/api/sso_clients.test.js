// sso_clients.test.js - the client registry (issue 13, step 1): an admin
// registers a department system, its secret is shown once and works with
// client_secret_basic and client_secret_post, the access token makes the
// system a dept_system principal of its department on ywtb's APIs, and
// rotation, disabling, bad secrets (rate-limited like logins) and bad token
// requests answer as RFC 6749 says, changing nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { registerClient, clientToken, clientTokenResponse } from './clients.js';

const form = (o) => new URLSearchParams(o).toString();
const FORM = 'application/x-www-form-urlencoded';

function isOAuthError(r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error, error, r.text);
  assert.equal(typeof r.json.error_description, 'string');
  assert.equal(r.headers.get('cache-control'), 'no-store');
}

describe('client registry and client_credentials', () => {
  let srv, admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  test('register: the secret is shown once, stored hashed; the listing never shows it', async () => {
    const c = await registerClient(srv, { name: '税务局征管系统', dept: 'XH-SWJ', scopes: ['datahub.read', 'licenses.verify'] });
    assert.match(c.client_id, /^ywc[0-9a-f]{20}$/);
    assert.ok(c.client_secret.length >= 43);
    assert.equal(c.client.dept, 'XH-SWJ');
    assert.equal(c.client.kind, 'confidential');
    assert.deepEqual(c.client.grant_types, ['client_credentials']);
    assert.deepEqual(c.client.scopes, ['datahub.read', 'licenses.verify']);
    assert.equal(c.client.status, 'active');
    const one = await srv.api('GET', `/api/v1/admin/clients/${c.client_id}`, { token: admin });
    assert.equal(one.status, 200);
    assert.equal(one.json.client.name, '税务局征管系统');
    assert.ok(!one.text.includes(c.client_secret), 'the secret is never shown again');
    const list = await srv.api('GET', '/api/v1/admin/clients?dept=XH-SWJ', { token: admin });
    assert.ok(list.json.items.some((x) => x.client_id === c.client_id));
    assert.ok(!list.text.includes(c.client_secret));
    assert.ok(list.json.items.every((x) => x.dept === 'XH-SWJ'));
  });

  test('client_credentials with Basic and with the body; the token makes a dept_system principal', async () => {
    const c = await registerClient(srv, { name: '市场监管局审批系统', dept: 'XH-SCJ', scopes: ['datahub.read', 'licenses.verify'] });
    const r = await clientTokenResponse(srv, c.client_id, c.client_secret);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(r.json.expires_in, 900);
    assert.equal(r.json.scope, 'datahub.read licenses.verify');
    const post = await clientToken(srv, c.client_id, c.client_secret, { method: 'post', scope: 'datahub.read' });
    assert.notEqual(post, r.json.access_token);

    // a protected API: the department system is admitted where dept_system is, refused elsewhere
    const routes = (await srv.api('GET', '/api/v1/admin/routes', { token: admin })).json.routes;
    const me = await srv.api('GET', '/api/v1/admin/clients', { token: r.json.access_token });
    assert.equal(me.status, 403, 'a department system is not an admin');
    assert.equal(me.json.error.code, 'forbidden');
    assert.ok(routes.some((x) => x.method === 'GET' && x.path === '/api/v1/me' && !x.flags.includes('public')));
    const who = await srv.api('GET', '/api/v1/me', { token: r.json.access_token });
    assert.equal(who.status, 200, who.text);
    assert.deepEqual(who.json.system, {
      client_id: c.client_id, name: '市场监管局审批系统', dept: 'XH-SCJ', roles: ['dept_system'], scope: 'datahub.read licenses.verify',
    });
    const narrow = await srv.api('GET', '/api/v1/me', { token: post });
    assert.equal(narrow.json.system.scope, 'datahub.read');
    // an unknown token of the same shape is refused by the router
    const fake = await srv.api('GET', '/api/v1/admin/clients', { token: `ywat.${'A'.repeat(43)}` });
    assert.equal(fake.status, 401);
    assert.equal(fake.json.error.code, 'unauthenticated');
  });

  test('scopes: only what the client is allowed; OpenID scopes mean nothing to a system', async () => {
    const c = await registerClient(srv, { scopes: ['datahub.read'] });
    isOAuthError(await clientTokenResponse(srv, c.client_id, c.client_secret, { scope: 'datahub.write' }), 400, 'invalid_scope');
    isOAuthError(await clientTokenResponse(srv, c.client_id, c.client_secret, { scope: 'openid' }), 400, 'invalid_scope');
    const r = await clientTokenResponse(srv, c.client_id, c.client_secret, { scope: 'datahub.read' });
    assert.equal(r.status, 200);
  });

  test('rotate: the old secret stops working at once, the new one works', async () => {
    const c = await registerClient(srv);
    const rot = await srv.api('POST', `/api/v1/admin/clients/${c.client_id}/secret`, { token: admin });
    assert.equal(rot.status, 200, rot.text);
    assert.notEqual(rot.json.client_secret, c.client_secret);
    assert.ok(rot.json.client.secret_rotated_at);
    isOAuthError(await clientTokenResponse(srv, c.client_id, c.client_secret), 401, 'invalid_client');
    await clientToken(srv, c.client_id, rot.json.client_secret);
  });

  test('disable: its tokens stop working and it gets no new ones; enable lets it ask again', async () => {
    const c = await registerClient(srv);
    const tok = await clientToken(srv, c.client_id, c.client_secret);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: tok })).status, 200);
    const d = await srv.api('POST', `/api/v1/admin/clients/${c.client_id}/disable`, { token: admin });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.client.status, 'disabled');
    const after = await srv.api('GET', '/api/v1/me', { token: tok });
    assert.equal(after.status, 401);
    isOAuthError(await clientTokenResponse(srv, c.client_id, c.client_secret), 401, 'invalid_client');
    const e = await srv.api('POST', `/api/v1/admin/clients/${c.client_id}/enable`, { token: admin });
    assert.equal(e.json.client.status, 'active');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: tok })).status, 401, 'revoked tokens stay revoked');
    await clientToken(srv, c.client_id, c.client_secret);
  });

  test('registration is checked field by field and a refused one registers nothing', async () => {
    const before = (await srv.api('GET', '/api/v1/admin/clients', { token: admin })).json.items.length;
    const bad = [
      [{ kind: 'secret' }, 'kind'],
      [{ dept: 'no space' }, 'dept'],
      [{ name: '' }, 'name'],
      [{ grant_types: ['password'] }, 'grant_types'],
      [{ grant_types: [] }, 'grant_types'],
      [{ kind: 'public', grant_types: ['client_credentials'] }, 'grant_types'],
      [{ grant_types: ['authorization_code'], scopes: ['openid'] }, 'redirect_uris'],
      [{ grant_types: ['authorization_code'], scopes: ['openid'], redirect_uris: ['http://evil.example/cb'] }, 'redirect_uris'],
      [{ grant_types: ['authorization_code'], scopes: ['openid'], redirect_uris: ['https://a.example/cb#x'] }, 'redirect_uris'],
      [{ grant_types: ['authorization_code'], scopes: ['profile'], redirect_uris: ['https://a.example/cb'] }, 'scopes'],
      [{ scopes: ['Bad Scope'] }, 'scopes'],
      [{ access_token_ttl: 5 }, 'access_token_ttl'],
      [{ min_acr: 9 }, 'min_acr'],
      [{ id_token_alg: 'none' }, 'id_token_alg'],
    ];
    for (const [fields, field] of bad) {
      const r = await srv.api('POST', '/api/v1/admin/clients', {
        token: admin, body: { name: '坏', dept: 'XH-SCJ', kind: 'confidential', grant_types: ['client_credentials'], ...fields },
      });
      assert.ok(r.status === 422 || r.status === 400, `${JSON.stringify(fields)}: ${r.status} ${r.text}`);
      assert.equal(r.json.error.field, field, `${JSON.stringify(fields)}: ${r.text}`);
    }
    const after = (await srv.api('GET', '/api/v1/admin/clients', { token: admin })).json.items.length;
    assert.equal(after, before);
  });

  test('change: settings change, the kind cannot; an unknown client is 404', async () => {
    const c = await registerClient(srv, { scopes: ['datahub.read'] });
    const r = await srv.api('PUT', `/api/v1/admin/clients/${c.client_id}`, {
      token: admin, body: { name: '改名系统', scopes: ['datahub.read', 'licenses.verify'], access_token_ttl: 300 },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.client.name, '改名系统');
    assert.equal(r.json.client.access_token_ttl, 300);
    assert.equal(r.json.client.dept, 'XH-SCJ');
    const k = await srv.api('PUT', `/api/v1/admin/clients/${c.client_id}`, { token: admin, body: { kind: 'public' } });
    assert.equal(k.status, 400);
    assert.equal((await srv.api('GET', '/api/v1/admin/clients/ywc00000000000000000000', { token: admin })).status, 404);
    assert.equal((await srv.api('POST', '/api/v1/admin/clients/nope/secret', { token: admin })).status, 404);
    const t = await clientTokenResponse(srv, c.client_id, c.client_secret);
    assert.equal(t.json.expires_in, 300);
  });

  test('bad token requests: the standard OAuth error JSON, never a redirect or a token', async () => {
    const c = await registerClient(srv);
    const basic = `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
    const post = (body, headers = {}, contentType = FORM) => srv.api('POST', '/oauth2/token', { raw: body, contentType, headers });
    isOAuthError(await post(form({ client_id: c.client_id, client_secret: c.client_secret })), 400, 'invalid_request');
    isOAuthError(await post(form({ grant_type: 'password', client_id: c.client_id, client_secret: c.client_secret })), 400, 'unsupported_grant_type');
    isOAuthError(await post('{"grant_type":"client_credentials"}', {}, 'application/json'), 400, 'invalid_request');
    isOAuthError(await post('grant_type=client_credentials&grant_type=client_credentials', { Authorization: basic }), 400, 'invalid_request');
    isOAuthError(await post('grant_type=client_credentials&x=%zz', { Authorization: basic }), 400, 'invalid_request');
    isOAuthError(await post(form({ grant_type: 'client_credentials', client_secret: c.client_secret }), { Authorization: basic }), 400, 'invalid_request');
    isOAuthError(await post(form({ grant_type: 'client_credentials' })), 401, 'invalid_client');
    const wrong = await post(form({ grant_type: 'client_credentials' }), { Authorization: `Basic ${Buffer.from(`${c.client_id}:nope`).toString('base64')}` });
    isOAuthError(wrong, 401, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') || '', /^Basic/);
    isOAuthError(await post(form({ grant_type: 'client_credentials', client_id: 'no-such', client_secret: 'x' })), 401, 'invalid_client');
    isOAuthError(await post('grant_type=client_credentials', { Authorization: 'Basic !!!' }), 400, 'invalid_request');
  });

  test('guessing a secret is slowed like guessing a password: 429 with Retry-After, even for the right one', async () => {
    const c = await registerClient(srv);
    let refused = null;
    for (let i = 0; i < 20 && !refused; i++) {
      const r = await clientTokenResponse(srv, c.client_id, `wrong-${i}`);
      if (r.status === 429) refused = r;
      else isOAuthError(r, 401, 'invalid_client');
    }
    assert.ok(refused, 'the lockout answered 429');
    assert.equal(refused.json.error, 'invalid_client');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const right = await clientTokenResponse(srv, c.client_id, c.client_secret);
    assert.equal(right.status, 429, 'while the pair waits, even the right secret is not checked');
    // another client is not affected
    const other = await registerClient(srv);
    await clientToken(srv, other.client_id, other.client_secret);
  });
});
