// setup.mjs BASE - prepare ywtb for bench/sso.sh: as the demo admin, register a
// department system (client_credentials) and a relying party; walk the demo
// citizen through the code flow with PKCE (login, authorize, consent, token)
// as a browser would.  Prints JSON: { cc_id, cc_secret, rp_id, rp_secret,
// access_token, cookie, authorize, verifier } - access_token a person's token
// for userinfo; cookie the citizen's session, authorize the path of an
// authorization request that (consent given) answers with a fresh code at
// once, verifier its PKCE code_verifier - what the authorization_code
// measurement mints its codes with.
import { createHash, randomBytes } from 'node:crypto';

const base = process.argv[2];
const RP = 'http://127.0.0.1:9/cb';
async function call(method, path, { body, token, cookie, csrf } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(base + path, { method, headers, body: body && JSON.stringify(body), redirect: 'manual' });
  const text = await r.text();
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return { r, json: text && r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null };
}
const admin = (await call('POST', '/api/v1/auth/login', { body: { login: 'admin', password: 'Demo@2026' } })).json.token;
const cc = (await call('POST', '/api/v1/admin/clients', { token: admin, body: {
  name: '压测部门系统', dept: 'XH-SCJ', kind: 'confidential', grant_types: ['client_credentials'], scopes: ['bench.read'] } })).json;
const rp = (await call('POST', '/api/v1/admin/clients', { token: admin, body: {
  name: '压测依赖方', dept: 'XH-RSJ', kind: 'confidential', grant_types: ['authorization_code'],
  scopes: ['openid', 'profile', 'id_number', 'phone'], redirect_uris: [RP], access_token_ttl: 86400 } })).json;
const login = await call('POST', '/api/v1/auth/login', { body: { login: '310104199003072013', password: 'Demo@2026' } });
const cookie = /ywtb_session=[^;]+/.exec(login.r.headers.get('set-cookie'))[0];
const csrf = login.json.csrf_token;
const verifier = randomBytes(32).toString('base64url');
const params = {
  client_id: rp.client.client_id, redirect_uri: RP, response_type: 'code', scope: 'openid profile id_number phone',
  state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
};
const a = await call('GET', `/oauth2/authorize?${new URLSearchParams(params)}`, { cookie });
const loc = a.r.headers.get('location');
if (!loc.startsWith('/consent.html')) throw new Error(`authorize went to ${loc}`);
const d = await call('POST', '/api/v1/sso/authorization', { cookie, csrf, body: { params, decision: 'allow' } });
const code = new URL(d.json.redirect_to).searchParams.get('code');
const t = await fetch(`${base}/oauth2/token`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded',
    Authorization: `Basic ${Buffer.from(`${rp.client.client_id}:${rp.client_secret}`).toString('base64')}` },
  body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP, code_verifier: verifier }),
});
const tok = await t.json();
if (!tok.access_token) throw new Error(JSON.stringify(tok));
console.log(JSON.stringify({ cc_id: cc.client.client_id, cc_secret: cc.client_secret, rp_id: rp.client.client_id,
  rp_secret: rp.client_secret, access_token: tok.access_token, cookie, verifier,
  authorize: `/oauth2/authorize?${new URLSearchParams(params)}` }));
