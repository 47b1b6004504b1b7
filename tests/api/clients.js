// clients.js - register a client through the admin API and get a token for
// it, for any module's tests: a department system calling ywtb's APIs with
// its own credentials (identity's client registry, issue 13).  Not a test
// file itself: node --test only runs *.test.js.
//
//   import { registerClient, clientToken, deptSystemToken } from './clients.js';
//   const { client_id, client_secret } = await registerClient(srv, { dept: 'XH-SWJ', scopes: ['datahub.read'] });
//   const token = await clientToken(srv, client_id, client_secret);        // client_secret_basic
//   await srv.api('GET', '/api/v1/...', { token });                         // principal: dept_system of XH-SWJ
//   const t2 = await deptSystemToken(srv, 'XH-SCJ', ['datahub.read']);     // both steps at once
import assert from 'node:assert/strict';

/**
 * Register a client as the demo admin (or opts.adminToken).  fields: any of the
 * registration body (name, dept, kind, scopes, grant_types, redirect_uris, ...);
 * defaults make a confidential department system with client_credentials.
 * Returns the answer's { client, client_secret, client_id }.
 */
export async function registerClient(srv, fields = {}, opts = {}) {
  const admin = opts.adminToken || (await srv.login('admin'));
  const body = {
    name: '测试部门系统',
    dept: 'XH-SCJ',
    kind: 'confidential',
    grant_types: ['client_credentials'],
    scopes: [],
    ...fields,
  };
  const r = await srv.api('POST', '/api/v1/admin/clients', { token: admin, body });
  assert.equal(r.status, 201, `register client: ${r.text}`);
  return { ...r.json, client_id: r.json.client.client_id };
}

/**
 * POST /oauth2/token with grant_type=client_credentials.  opts.method 'basic'
 * (default) or 'post'; opts.scope a space-separated string.  Returns the whole
 * response ({ status, json, headers, text }).
 */
export function clientTokenResponse(srv, clientId, secret, opts = {}) {
  const params = new URLSearchParams({ grant_type: 'client_credentials' });
  if (opts.scope !== undefined) params.set('scope', opts.scope);
  const headers = {};
  if ((opts.method || 'basic') === 'basic') {
    const enc = (s) => encodeURIComponent(s);
    headers.Authorization = `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`;
  } else {
    params.set('client_id', clientId);
    params.set('client_secret', secret);
  }
  return srv.api('POST', '/oauth2/token', {
    raw: params.toString(), contentType: 'application/x-www-form-urlencoded', headers,
  });
}

/** The access token of a client_credentials grant (asserts it was issued). */
export async function clientToken(srv, clientId, secret, opts = {}) {
  const r = await clientTokenResponse(srv, clientId, secret, opts);
  assert.equal(r.status, 200, `client_credentials token: ${r.text}`);
  assert.equal(r.json.token_type, 'Bearer');
  return r.json.access_token;
}

/** Register a department system of dept allowed `scopes` and return its access token. */
export async function deptSystemToken(srv, dept = 'XH-SCJ', scopes = [], opts = {}) {
  const c = await registerClient(srv, { dept, scopes, name: opts.name || `${dept} 业务系统` }, opts);
  return clientToken(srv, c.client_id, c.client_secret);
}
