// licenses_ahead.test.js - the e-license of an approval is signed on the HTTP
// worker before the approval joins the batch (licenses/ahead.c, issue 19), and
// only written in the approval's transaction when it still fits:
//   - a department's first license makes its key, in the approval (nothing
//     is signed ahead without a key: making one is a write with its audit);
//   - an approval that completes a case writes the license prepared ahead
//     (/metrics: prepared and used), with a good signature and the case's data;
//   - a license prepared for a case that is then denied is never written, and
//     the next case's license is still issued with an identifier of its own;
//   - a key rotated between the first approval and the last: the prepared one
//     no longer fits (stale) and the approval signs with the new key itself.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { uploadPdf } from './case_fixtures.js';
import { fillForm, CITIZEN } from './world.js';

const ITEM = 'CL-07-0001'; /* 残疾人证: reviewed by XH-CL and XH-WJW in parallel, issues a license */

async function aheadCounts(srv) {
  const text = (await srv.api('GET', '/metrics')).text;
  const out = {};
  for (const k of ['prepared', 'used', 'stale', 'inline']) {
    const m = text.match(new RegExp(`^ywtb_licenses_ahead_total\\{outcome="${k}"\\} (\\d+)$`, 'm'));
    assert.ok(m, `ywtb_licenses_ahead_total{outcome="${k}"} in /metrics`);
    out[k] = Number(m[1]);
  }
  return out;
}

describe('the approval\'s e-license signed ahead', () => {
  let srv, citizen, clerk, revs, item, produces;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): what is prepared ahead is
    // kept by the node that prepared it, and the counts read are that node's
    // /metrics (on several nodes an approval on another node signs inline)
    srv = await startServer({ nodes: 1 });
    citizen = await srv.login(CITIZEN);
    clerk = await srv.login('clerk');
    revs = { 'XH-CL': await srv.login('rev.cl'), 'XH-WJW': await srv.login('rev.wjw') };
    item = (await srv.api('GET', `/api/v1/items/${ITEM}`)).json;
    produces = item.produces;
    assert.ok(produces, 'the item issues a license');
  });
  after(async () => {
    await srv?.close();
  });

  async function acceptedCase() {
    const materials = [];
    for (const m of item.materials)
      if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, citizen, m.code) });
    const k = await srv.api('POST', '/api/v1/cases', { token: citizen, body: { item_code: ITEM, form: fillForm(item), materials } });
    assert.equal(k.status, 201, k.text);
    const acc = await srv.api('POST', `/api/v1/cases/${k.json.case_no}/accept`, { token: clerk, body: { note: '受理' } });
    assert.equal(acc.status, 200, acc.text);
    const tasks = acc.json.tasks.filter((t) => t.status === 'pending');
    assert.equal(tasks.length, 2, JSON.stringify(acc.json.tasks));
    return { caseNo: k.json.case_no, tasks };
  }
  async function acceptedAndApproved() {
    const k = await acceptedCase();
    for (const t of k.tasks) assert.equal((await decide(t, 'approve')).status, 200);
    return k;
  }
  const decide = (t, decision, opinion = '同意') =>
    srv.api('POST', `/api/v1/tasks/${t.id}/decide`, { token: revs[t.dept], body: { decision, opinion } });
  /* the signed document of the license issued on caseNo, or null */
  async function licenseOf(caseNo) {
    const mine = (await srv.api('GET', '/api/v1/licenses', { token: citizen })).json;
    const list = mine.items || mine;
    const lic = list.find((x) => JSON.stringify(x).includes(caseNo));
    if (!lic) return null;
    const r = await srv.api('GET', `/api/v1/licenses/${encodeURIComponent(lic.id)}/document`, { token: citizen });
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function verified(document) {
    const v = await srv.api('POST', '/api/v1/licenses/verify', { body: { document } });
    assert.equal(v.status, 200, v.text);
    return v.json;
  }

  test('the department\'s first license makes its key in the approval; later ones are signed ahead', async () => {
    const before = await aheadCounts(srv);
    const first = await acceptedAndApproved();
    const after = await aheadCounts(srv);
    assert.equal(after.prepared - before.prepared, 0, 'no key yet: nothing signed ahead');
    assert.equal(after.inline - before.inline, 1);
    assert.equal((await verified(await licenseOf(first.caseNo))).valid, true);
  });

  test('the last approval writes the license signed ahead, with a good signature', async () => {
    const before = await aheadCounts(srv);
    const { caseNo, tasks } = await acceptedCase();
    for (const t of tasks) assert.equal((await decide(t, 'approve')).status, 200);
    const after = await aheadCounts(srv);
    assert.equal(after.prepared - before.prepared, 1, 'one preparation per case, not one per approval');
    assert.equal(after.used - before.used, 1);
    assert.equal(after.inline - before.inline, 0);
    const lic = await licenseOf(caseNo);
    assert.ok(lic, 'the approved case has its license');
    const v = await verified(lic);
    assert.equal(v.valid, true, JSON.stringify(v));
    assert.equal(lic.license.holder.ident, CITIZEN);
    assert.equal(lic.license.type, produces);
  });

  test('a case denied after its first approval gets no license; the next one does, under its own identifier', async () => {
    const before = await aheadCounts(srv);
    const denied = await acceptedCase();
    assert.equal((await decide(denied.tasks[0], 'approve')).status, 200);
    const d = await decide(denied.tasks[1], 'deny', '不符合条件：测试');
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.status, 'denied');
    const mid = await aheadCounts(srv);
    assert.equal(mid.prepared - before.prepared, 1);
    assert.equal(mid.used - before.used, 0, 'nothing written for a denied case');
    assert.equal(await licenseOf(denied.caseNo), null);

    const next = await acceptedCase();
    for (const t of next.tasks) assert.equal((await decide(t, 'approve')).status, 200);
    const lic = await licenseOf(next.caseNo);
    assert.ok(lic);
    assert.equal((await verified(lic)).valid, true);
    const ids = ((await srv.api('GET', '/api/v1/licenses', { token: citizen })).json.items || []).map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'identifiers are unique');
  });

  test('a key rotated between the approvals: the prepared license is stale and the approval signs with the new key', async () => {
    const admin = await srv.login('admin');
    const dept = (await licenseOf((await acceptedAndApproved()).caseNo)).license.issuer.dept;
    assert.ok(dept);
    const { caseNo, tasks } = await acceptedCase();
    assert.equal((await decide(tasks[0], 'approve')).status, 200);
    const before = await aheadCounts(srv);
    const rot = await srv.api('POST', '/api/v1/keys/rotate', { token: admin, body: { dept } });
    assert.equal(rot.status, 200, rot.text);
    assert.equal((await decide(tasks[1], 'approve')).status, 200);
    const after = await aheadCounts(srv);
    assert.equal(after.used - before.used, 0);
    assert.equal(after.stale - before.stale, 1);
    const lic = await licenseOf(caseNo);
    assert.ok(lic);
    assert.equal(lic.signature.key_id, rot.json.key_id, 'signed with the new key');
    assert.equal((await verified(lic)).valid, true);
  });
});
