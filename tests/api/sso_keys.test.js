// sso_keys.test.js - rotating the OpenID Connect provider's signing keys
// (issue 13): by the admin API and by `ywtb oidc keys rotate`, each audited
// (oidc.key_rotate); the retired key stays in the JWKS, so an ID token signed
// before the rotation still verifies through the JWKS (jose's remote JWKS,
// what relying parties use), until published_until - the moment the last
// token it can have signed expires - and then drops out ("retired").  The
// server runs on a test clock started at the real time, so the command's
// times and the server's agree and the test can move past published_until.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as jose from 'jose';
import { startServer, cli } from './harness.js';
import { registerClient } from './clients.js';
import { CITIZEN } from './world.js';
import { RP, session, discover, codeLogin } from './sso_flow.js';

/** Audit records of one action (engine-agnostic: the engine's own client). */
function auditRows(srv, action) {
  const sql = `SELECT actor || ' ' || obj_id FROM audit_log WHERE action = '${action}' ORDER BY seq`;
  const out = srv.url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** `ywtb oidc keys list` as rows { kid, alg, state, created, until }. */
function listKeys(srv) {
  const r = cli(['oidc', 'keys', 'list', '--db', srv.url], { cwd: srv.dir });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').slice(1).map((l) => {
    const [kid, alg, state, created, until] = l.trim().split(/\s+/);
    return { kid, alg, state, created, until };
  });
}

describe('signing key rotation', () => {
  let srv, admin, cfg, citizen;
  const jwksKids = async () => (await (await fetch(`${srv.base}/oauth2/jwks`)).json()).keys.map((k) => k.kid);
  /** Verified through the published JWKS, as a relying party does: the kid it was signed with. */
  const verify = async (idToken) => {
    const jwks = jose.createRemoteJWKSet(new URL(`${srv.base}/oauth2/jwks`));
    const { protectedHeader } = await jose.jwtVerify(idToken, jwks, { issuer: srv.base, audience: cfg.clientMetadata().client_id });
    return protectedHeader.kid;
  };
  before(async () => {
    srv = await startServer({ clock: new Date().toISOString() });
    admin = await srv.login('admin');
    const rp = await registerClient(srv, {
      name: '人社局社保系统', dept: 'XH-RSJ', grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
      redirect_uris: [RP], access_token_ttl: 600,
    });
    cfg = await discover(srv, rp);
    citizen = await session(srv, CITIZEN);
  });
  after(() => srv?.close());

  test('by the admin API: the new key signs, a token signed before still verifies through the JWKS', async () => {
    const t0 = await codeLogin(srv, cfg, citizen);
    const k0 = await verify(t0.id_token);
    // the JWKS and the discovery document carry an ETag; asking with it gets 304 and no body
    const j0 = await fetch(`${srv.base}/oauth2/jwks`);
    const etag0 = j0.headers.get('etag');
    assert.match(etag0, /^"[0-9a-f]{16}"$/);
    assert.match(j0.headers.get('cache-control'), /max-age=300/);
    const same = await fetch(`${srv.base}/oauth2/jwks`, { headers: { 'If-None-Match': etag0 } });
    assert.equal(same.status, 304);
    assert.equal(await same.text(), '');
    const d0 = await fetch(`${srv.base}/.well-known/openid-configuration`);
    assert.equal((await fetch(`${srv.base}/.well-known/openid-configuration`, { headers: { 'If-None-Match': d0.headers.get('etag') } })).status, 304);
    assert.equal((await fetch(`${srv.base}/oauth2/jwks`, { headers: { 'If-None-Match': '"0000000000000000"' } })).status, 200);
    const rot = await srv.api('POST', '/api/v1/admin/oidc/keys/rotate', { token: admin, body: { alg: 'ES256' } });
    assert.equal(rot.status, 200, rot.text);
    assert.notEqual(rot.json.kid, k0);
    const kids = await jwksKids();
    assert.ok(kids.includes(k0) && kids.includes(rot.json.kid), 'both keys published');
    const j1 = await fetch(`${srv.base}/oauth2/jwks`, { headers: { 'If-None-Match': etag0 } });
    assert.equal(j1.status, 200, 'a new key set is a new ETag');
    assert.notEqual(j1.headers.get('etag'), etag0);
    assert.equal(await verify(t0.id_token), k0, 'the old token verifies through the JWKS');
    const t1 = await codeLogin(srv, cfg, citizen);
    assert.equal(await verify(t1.id_token), rot.json.kid, 'new tokens are signed with the new key');
    const keys = listKeys(srv).filter((k) => k.alg === 'ES256');
    assert.deepEqual(keys.filter((k) => k.state === 'active').map((k) => k.kid), [rot.json.kid], 'one active key');
    assert.equal(keys.find((k) => k.kid === k0).state, 'published');
    const rows = auditRows(srv, 'oidc.key_rotate');
    assert.ok(rows.some((r) => r.endsWith(` ${rot.json.kid}`)), `audited: ${rows}`);
    for (const alg of ['RS256', 5]) {
      const r = await srv.api('POST', '/api/v1/admin/oidc/keys/rotate', { token: admin, body: { alg } });
      assert.equal(r.status, 422, r.text);
    }
    assert.deepEqual(listKeys(srv).filter((k) => k.state === 'active').map((k) => k.kid), [rot.json.kid], 'a refused rotation changes nothing');
  });

  test('by `ywtb oidc keys rotate`: audited as the command, published to running servers, old tokens keep verifying', async () => {
    const before1 = await codeLogin(srv, cfg, citizen);
    const kOld = await verify(before1.id_token);
    const bad = cli(['oidc', 'keys', 'rotate', '--db', srv.url, '--alg', 'HS256'], { cwd: srv.dir });
    assert.equal(bad.code, 2, bad.stdout);
    const r = cli(['oidc', 'keys', 'rotate', '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stderr);
    const kid = /rotated the ES256 signing key: ([0-9a-f]{16}) signs/.exec(r.stdout)?.[1];
    assert.ok(kid, r.stdout);
    const keys = listKeys(srv);
    assert.equal(keys.find((k) => k.kid === kid).state, 'active');
    assert.equal(keys.find((k) => k.kid === kOld).state, 'published');
    assert.ok(auditRows(srv, 'oidc.key_rotate').includes(`cli ${kid}`), 'audited, by the command');
    // the server learns of it by itself (its rendered JWKS is at most 5 s old)
    let kids = [];
    for (let i = 0; i < 40 && !kids.includes(kid); i++) {
      kids = await jwksKids();
      if (!kids.includes(kid)) await new Promise((res) => setTimeout(res, 250));
    }
    assert.ok(kids.includes(kid), `the running server publishes the new key: ${kids}`);
    assert.ok(kids.includes(kOld), 'and still the old one');
    assert.equal(await verify(before1.id_token), kOld, 'a token signed before the rotation verifies through the JWKS');
  });

  test('a retired key leaves the JWKS when the last token it can have signed has expired', async () => {
    const keys = listKeys(srv);
    const retiring = keys.filter((k) => k.state === 'published');
    assert.ok(retiring.length >= 2);
    const until = Math.max(...retiring.map((k) => Date.parse(k.until)));
    // published_until = the rotation (its successor's creation, within a few ms) + the minute a
    // node keeps its key + the longest ID token of any client + a minute of skew
    const all = await srv.api('GET', '/api/v1/admin/clients', { token: admin });
    const longest = Math.max(...all.json.items.map((c) => c.access_token_ttl));
    const span = (60 + longest + 60) * 1000;
    for (const k of retiring) {
      const next = keys[keys.indexOf(k) + 1];
      const d = Date.parse(k.until) - Date.parse(next.created);
      assert.ok(d >= span - 1000 && d <= span, `${k.kid}: published ${d} ms past its rotation, not ${span}`);
    }
    // each key at its own moment: published 5 s before it, gone 5 s after
    const clockNow = async () => Date.parse((await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: 0 } })).json.clock.now);
    const moveTo = async (ms) => {
      const step = Math.ceil((ms - (await clockNow())) / 1000);
      if (step <= 0) return false;
      const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_seconds: step } });
      assert.equal(r.status, 200, r.text);
      return true;
    };
    let kids;
    for (const k of [...retiring].sort((x, y) => Date.parse(x.until) - Date.parse(y.until))) {
      if (await moveTo(Date.parse(k.until) - 5000)) {
        kids = await jwksKids();
        assert.ok(kids.includes(k.kid), `${k.kid} still published just before ${k.until}`);
      }
      await moveTo(Date.parse(k.until) + 5000);
      kids = await jwksKids();
      assert.ok(!kids.includes(k.kid), `${k.kid} dropped out after ${k.until}`);
    }
    assert.equal(kids.length, 1, 'only the active key is left');
  });
});
