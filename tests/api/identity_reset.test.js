// identity_reset.test.js - a forgotten password (issue 15): the integrated
// window checks the applicant in person and resets it (POST
// /api/v1/accounts/{id}/password-reset): a temporary password that works once
// handed over, every old session ended, the old password refused, the
// account's failed logins forgotten; staff accounts, other roles and unknown
// accounts refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.js';

const CITIZEN = '310104199003072013';

describe('identity: a password reset at the window', () => {
  let srv, clerk, citizenId;
  before(async () => {
    srv = await startServer();
    clerk = await srv.login('clerk');
    const r = await srv.api('GET', `/api/v1/accounts?q=${CITIZEN}`, { token: clerk });
    citizenId = r.json.items[0].id;
  });
  after(() => srv?.close());

  test('the clerk resets a citizen\'s password: the temporary one works, the old one and the old session do not', async () => {
    const old = await srv.login(CITIZEN);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: old })).status, 200);
    // a few wrong tries first: the reset forgives them
    for (let i = 0; i < 3; i++) {
      const w = await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: 'Wrong@2026x' } });
      assert.equal(w.status, 401);
    }
    const r = await srv.api('POST', `/api/v1/accounts/${citizenId}/password-reset`, { token: clerk, body: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const temp = r.json.temporary_password;
    assert.match(temp, /^[A-Za-z2-9]{12}$/);
    assert.match(temp, /[A-Z]/);
    assert.match(temp, /[a-z]/);
    assert.match(temp, /[2-9]/);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: old })).status, 401, 'the old session ended');
    const bad = await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: DEMO_PASSWORD } });
    assert.equal(bad.status, 401, 'the old password no longer works');
    const ok = await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: temp } });
    assert.equal(ok.status, 200, ok.text);
    // the citizen sets their own again
    const ch = await srv.api('POST', '/api/v1/me/password', {
      token: ok.json.token, headers: { 'X-CSRF-Token': ok.json.csrf_token }, body: { old_password: temp, new_password: DEMO_PASSWORD },
    });
    assert.equal(ch.status, 200, ch.text);
    const again = await srv.api('POST', '/api/v1/auth/login', { body: { login: CITIZEN, password: DEMO_PASSWORD } });
    assert.equal(again.status, 200);
  });

  test('staff accounts, unknown accounts and other roles are refused', async () => {
    const staff = await srv.api('GET', '/api/v1/me', { token: await srv.login('reviewer') });
    const r1 = await srv.api('POST', `/api/v1/accounts/${staff.json.account.id}/password-reset`, { token: clerk, body: {} });
    assert.equal(r1.status, 404, r1.text);
    assert.equal((await srv.api('POST', '/api/v1/accounts/999999/password-reset', { token: clerk, body: {} })).status, 404);
    assert.equal((await srv.api('POST', '/api/v1/accounts/abc/password-reset', { token: clerk, body: {} })).status, 404);
    const rev = await srv.api('POST', `/api/v1/accounts/${citizenId}/password-reset`, { token: await srv.login('reviewer'), body: {} });
    assert.equal(rev.status, 403);
    const self = await srv.api('POST', `/api/v1/accounts/${citizenId}/password-reset`, { token: await srv.login(CITIZEN), body: {} });
    assert.equal(self.status, 403);
    assert.equal((await srv.api('POST', `/api/v1/accounts/${citizenId}/password-reset`, { body: {} })).status, 401);
    const extra = await srv.api('POST', `/api/v1/accounts/${citizenId}/password-reset`, { token: clerk, body: { password: 'x' } });
    assert.ok(extra.status >= 400 && extra.status < 500, 'an unknown field is refused');
  });
});
