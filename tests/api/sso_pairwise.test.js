// sso_pairwise.test.js - pairwise subject identifiers (OpenID Connect Core
// 8.1; issue 13): a client registered with subject_type "pairwise" learns a
// sub of its sector - stable per person and sector, different between
// sectors, never the account id nor the ID number - in the ID token and at
// userinfo alike (openid-client checks that they agree), and RP-initiated
// logout accepts its ID tokens as the hint.  Registration refuses what would
// make the sector ambiguous.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { startServer } from './harness.js';
import { registerClient } from './clients.js';
import { CITIZEN, COMPANY } from './world.js';
import { RP, session, discover, codeLogin } from './sso_flow.js';

const LOCAL_RP = 'http://localhost:9/cb'; // another host: another sector

describe('pairwise subject identifiers', () => {
  let srv, admin, citizen, company;
  const rpFields = (extra = {}) => ({
    name: '人社局社保系统', dept: 'XH-RSJ', kind: 'confidential', grant_types: ['authorization_code'],
    scopes: ['openid', 'profile', 'id_number'], redirect_uris: [RP], ...extra,
  });
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    citizen = await session(srv, CITIZEN);
    company = await session(srv, COMPANY);
  });
  after(() => srv?.close());

  test('discovery offers pairwise next to public', async () => {
    const m = (await discover(srv, await registerClient(srv, rpFields()))).serverMetadata();
    assert.deepEqual(m.subject_types_supported, ['public', 'pairwise']);
  });

  test('a sub per sector: stable for the person, the same in the ID token and at userinfo, nothing personal in it', async () => {
    const pub = await registerClient(srv, rpFields());
    assert.equal(pub.client.subject_type, 'public');
    const a = await registerClient(srv, rpFields({ subject_type: 'pairwise' }));
    assert.equal(a.client.subject_type, 'pairwise');
    assert.equal(a.client.sector_identifier, undefined, 'the sector is its redirect URIs\' host');
    const b = await registerClient(srv, rpFields({ name: '人社局就业系统', subject_type: 'pairwise' })); // same host: same sector
    const c = await registerClient(srv, rpFields({ name: '卫健委系统', dept: 'XH-WJW', subject_type: 'pairwise', redirect_uris: [LOCAL_RP] }));
    const d = await registerClient(srv, rpFields({ name: '医保局系统', dept: 'XH-YBJ', subject_type: 'pairwise', sector_identifier: 'ybj.xuhui.example' }));
    assert.equal(d.client.sector_identifier, 'ybj.xuhui.example');

    const subOf = async (reg, sess, redirectUri = RP) => {
      const cfg = await discover(srv, reg);
      const tokens = await codeLogin(srv, cfg, sess, { redirectUri, scope: 'openid profile id_number' });
      const sub = tokens.claims().sub;
      // openid-client refuses a userinfo answer whose sub is not the expected one
      const info = await client.fetchUserInfo(cfg, tokens.access_token, sub);
      assert.equal(info.sub, sub);
      return { sub, tokens, cfg, info };
    };
    const p = await subOf(pub, citizen);
    assert.match(p.sub, /^[0-9]+$/, 'public: the account id');
    const a1 = await subOf(a, citizen);
    assert.match(a1.sub, /^[A-Za-z0-9_-]{43}$/, 'pairwise: 256 bits, base64url');
    assert.notEqual(a1.sub, p.sub);
    assert.ok(!a1.sub.includes(CITIZEN) && !a1.sub.includes(CITIZEN.slice(-8)), 'the ID number never leaves as sub');
    assert.notEqual(a1.info.id_number, CITIZEN, 'and the id_number claim stays masked');
    assert.equal((await subOf(a, citizen)).sub, a1.sub, 'stable: the same sub at the next login');
    assert.equal((await subOf(b, citizen)).sub, a1.sub, 'one sector, one sub');
    const c1 = await subOf(c, citizen, LOCAL_RP);
    const d1 = await subOf(d, citizen);
    assert.equal(new Set([p.sub, a1.sub, c1.sub, d1.sub]).size, 4, 'another sector, another sub');
    const other = await subOf(a, company);
    assert.notEqual(other.sub, a1.sub, 'another person, another sub in the same sector');

    // a client changed to pairwise (and back) changes what it sees
    const put = await srv.api('PUT', `/api/v1/admin/clients/${pub.client_id}`, { token: admin, body: { subject_type: 'pairwise' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.client.subject_type, 'pairwise');
    assert.equal((await subOf(pub, citizen)).sub, a1.sub, 'its sector is its host');
    const back = await srv.api('PUT', `/api/v1/admin/clients/${pub.client_id}`, { token: admin, body: { subject_type: 'public' } });
    assert.equal(back.status, 200, back.text);
    assert.equal((await subOf(pub, citizen)).sub, p.sub);
  });

  test('RP-initiated logout takes a pairwise ID token as its hint', async () => {
    const reg = await registerClient(srv, rpFields({ subject_type: 'pairwise', post_logout_redirect_uris: ['http://127.0.0.1:9/bye'] }));
    const sess = await session(srv, CITIZEN);
    const cfg = await discover(srv, reg);
    const tokens = await codeLogin(srv, cfg, sess);
    const url = client.buildEndSessionUrl(cfg, { id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://127.0.0.1:9/bye', state: 's9' });
    const r = await fetch(url, { redirect: 'manual', headers: { Cookie: sess.cookie } });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), 'http://127.0.0.1:9/bye?state=s9');
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: sess.cookie })).status, 401, 'the ywtb session ended');
    // another person's pairwise ID token proves nothing about this browser
    const mine = await session(srv, CITIZEN);
    const theirs = await codeLogin(srv, cfg, await session(srv, COMPANY));
    const u2 = client.buildEndSessionUrl(cfg, { id_token_hint: theirs.id_token });
    const r2 = await fetch(u2, { redirect: 'manual', headers: { Cookie: mine.cookie } });
    assert.equal(r2.headers.get('location'), '/signout.html');
    assert.equal((await srv.api('GET', '/api/v1/me', { cookie: mine.cookie })).status, 200, 'nothing ended');
  });

  test('registration refuses an unknown subject type, a bad sector, and a pairwise client without one sector', async () => {
    const bad = async (body, field) => {
      const r = await srv.api('POST', '/api/v1/admin/clients', { token: admin, body });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.error.field, field, r.text);
    };
    await bad(rpFields({ subject_type: 'secret' }), 'subject_type');
    await bad(rpFields({ subject_type: 'pairwise', sector_identifier: 'not a host' }), 'sector_identifier');
    await bad(rpFields({ subject_type: 'pairwise', sector_identifier: '..' }), 'sector_identifier');
    await bad(rpFields({ subject_type: 'pairwise', redirect_uris: [RP, LOCAL_RP] }), 'sector_identifier');
    await bad({ name: '统计系统', dept: 'XH-TJJ', kind: 'confidential', grant_types: ['client_credentials'], scopes: [], subject_type: 'pairwise' }, 'sector_identifier');
    const r = await srv.api('POST', '/api/v1/admin/clients', { token: admin, body: rpFields({ subject_type: 1 }) });
    assert.equal(r.status, 422, r.text);
    // two hosts are fine with a sector named
    const ok = await registerClient(srv, rpFields({ subject_type: 'pairwise', redirect_uris: [RP, LOCAL_RP], sector_identifier: 'rsj.xuhui.example' }));
    assert.equal(ok.client.sector_identifier, 'rsj.xuhui.example');
  });
});
