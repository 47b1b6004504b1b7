// files_access.test.js - who may read an upload (issue 16, item 2).
//
// An upload is its uploader's; anyone else sees it only through a case (or
// license) it belongs to that they may see - the rule of the case itself, so
// whoever gets 404 for the case gets 404 for its files.  Every staff read of
// a file (metadata or bytes) is audited in the transaction that reads it; a
// refused read writes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fixtureServer, registerPerson, registerCompany, addStaff, uploadPdf, assertError } from './case_fixtures.js';

/* The newest audit records of the server's database, oldest first. */
function auditTail(srv, n) {
  const sql = `SELECT seq, actor, role, action, obj_type, obj_id, summary FROM audit_log ORDER BY seq DESC LIMIT ${n}`;
  let out;
  if (srv.url.startsWith('sqlite:')) {
    out = execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', '\t', srv.url.slice('sqlite:'.length), sql], { encoding: 'utf8' });
  } else {
    out = execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-d', srv.url, '-c', sql], { encoding: 'utf8' });
  }
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [seq, actor, role, action, obj_type, obj_id, summary] = l.split('\t');
      return { seq: Number(seq), actor, role, action, obj_type, obj_id, summary: JSON.parse(summary) };
    })
    .reverse();
}

describe('files: who may read an upload', () => {
  let srv, admin, clerk, scj, wjw, hotline, dataofficer, supervisor, company, agent, alice, bob;
  let staffIds = {};
  let caseNo, companyFile, clerkFile, privateFile;

  const meta = (token, id) => srv.api('GET', `/api/v1/files/${id}`, { token });
  const content = (token, id) => srv.api('GET', `/api/v1/files/${id}/content`, { token });
  const getCase = (token, no) => srv.api('GET', `/api/v1/cases/${no}`, { token });
  const me = async (token) => (await srv.api('GET', '/api/v1/me', { token })).json.account.id;

  async function assertSees(token, id, what) {
    const m = await meta(token, id);
    assert.equal(m.status, 200, `${what}: metadata ${m.text}`);
    assert.equal(m.json.file_id, id);
    const c = await content(token, id);
    assert.equal(c.status, 200, `${what}: content ${c.text}`);
    assert.equal(c.headers.get('content-type'), 'application/pdf');
    assert.ok(c.text.startsWith('%PDF-'), what);
  }
  async function assertHidden(token, id, what) {
    for (const r of [await meta(token, id), await content(token, id)]) {
      assert.equal(r.status, 404, `${what}: expected 404, got ${r.status}: ${r.text}`);
      assertError(r, 404, 'not_found');
    }
  }

  before(async () => {
    srv = await fixtureServer({ clock: '2026-06-01T10:00:00+08:00' });
    admin = await srv.login('admin');
    clerk = await srv.login('clerk');
    scj = await srv.login('reviewer'); // 李审核, XH-SCJ: the food licence's department
    supervisor = await srv.login('supervisor');
    hotline = await srv.login('hotline');
    dataofficer = await srv.login('dataofficer');
    wjw = (await addStaff(srv, admin, 'wjw.files', '周卫健', 'XH-WJW', ['reviewer'])).token;
    for (const [k, t] of Object.entries({ clerk, scj, supervisor })) staffIds[k] = String(await me(t));
    company = await registerCompany(srv, '上海徐汇文件测试餐饮有限公司', 30000011);
    alice = await registerPerson(srv, '林小文', '19880312', 101);
    bob = await registerPerson(srv, '陈大明', '19910705', 202);
    agent = alice; // alice becomes the company's agent
    const ag = await srv.api('POST', '/api/v1/enterprise/agents', { token: company.token, body: { id_number: alice.id_number, name: alice.name } });
    assert.equal(ag.status, 201, ag.text);

    // the window applies for the company with one upload of its own and one of the company's
    companyFile = await uploadPdf(srv, company.token, 'company-own');
    clerkFile = await uploadPdf(srv, clerk, 'window-scan');
    privateFile = await uploadPdf(srv, company.token, 'never-a-material');
    const r = await srv.api('POST', '/api/v1/cases', {
      token: clerk,
      body: {
        item_code: 'T-SCJ-FOOD', applicant_id: company.id, form: { shop_address: '徐汇区衡山路10号' },
        materials: [
          { material_code: 'T-SCJ-FOOD-M01', file_id: clerkFile },
          { material_code: 'T-SCJ-FOOD-M02', file_id: companyFile },
        ],
      },
    });
    assert.equal(r.status, 201, r.text);
    caseNo = r.json.case_no;
  });
  after(() => srv?.close());

  test('the uploader sees their upload, a material or not', async () => {
    await assertSees(company.token, companyFile, 'company, its own upload');
    await assertSees(company.token, privateFile, 'company, an upload in no case');
    await assertSees(clerk, clerkFile, 'clerk, its own upload');
  });

  test("the case's applicant (and the company's agent) see the window's upload for them", async () => {
    await assertSees(company.token, clerkFile, 'the applicant');
    await assertSees(agent.token, clerkFile, "the company's agent");
    await assertSees(agent.token, companyFile, "the company's agent");
  });

  test('a reviewer sees a case\'s materials once their department has a task on it, not before', async () => {
    assert.equal((await getCase(scj, caseNo)).status, 404, 'no task yet: the case is hidden');
    await assertHidden(scj, companyFile, 'reviewer before acceptance');
    const a = await srv.api('POST', `/api/v1/cases/${caseNo}/accept`, { token: clerk, body: {} });
    assert.equal(a.status, 200, a.text);
    assert.equal((await getCase(scj, caseNo)).status, 200);
    await assertSees(scj, companyFile, 'the reviewer of the case\'s department');
    await assertSees(scj, clerkFile, 'the reviewer of the case\'s department');
    await assertSees(clerk, companyFile, 'the window (sees every case)');
    await assertSees(supervisor, companyFile, 'the supervisor (sees every case)');
  });

  test('whoever gets 404 for the case gets 404 for its files', async () => {
    for (const [who, token] of [['a reviewer of another department', wjw], ['the hotline', hotline],
      ['the data officer', dataofficer], ['another citizen', bob.token]]) {
      assert.equal((await getCase(token, caseNo)).status, 404, `${who}: the case is hidden`);
      await assertHidden(token, companyFile, who);
      await assertHidden(token, clerkFile, who);
    }
  });

  test('an upload that is in no case is its uploader\'s alone: staff who see every case get 404', async () => {
    for (const [who, token] of [['the window', clerk], ['the supervisor', supervisor], ['the reviewer', scj],
      ['the admin', admin], ['the agent', agent.token]]) {
      await assertHidden(token, privateFile, who);
    }
  });

  test('every staff read is audited with the reader, the file and why they may; refused and own reads are not', async () => {
    let before = srv.verifyAudit();
    assert.ok(before.intact, before.stdout + before.stderr);
    assert.equal((await content(scj, companyFile)).status, 200);
    assert.equal((await meta(scj, companyFile)).status, 200);
    let after = srv.verifyAudit();
    assert.ok(after.intact);
    assert.equal(after.records, before.records + 2, 'one record per staff read');
    const [bytes, metaRead] = auditTail(srv, 2);
    assert.equal(bytes.action, 'file.view_content');
    assert.equal(metaRead.action, 'file.view');
    for (const rec of [bytes, metaRead]) {
      assert.equal(rec.actor, staffIds.scj);
      assert.equal(rec.role, 'reviewer');
      assert.equal(rec.obj_type, 'file');
      assert.equal(rec.obj_id, companyFile);
      assert.equal(rec.summary.via, 'cases');
      assert.match(rec.summary.sha256, /^[0-9a-f]{64}$/);
    }
    // the window reading its own upload is a staff read too
    assert.equal((await content(clerk, clerkFile)).status, 200);
    const [own] = auditTail(srv, 1);
    assert.equal(own.action, 'file.view_content');
    assert.equal(own.actor, staffIds.clerk);
    assert.equal(own.role, 'window_clerk');
    assert.equal(own.summary.via, 'uploader');

    // applicants' reads and refused reads write nothing
    before = srv.verifyAudit();
    assert.equal((await content(company.token, clerkFile)).status, 200);
    assert.equal((await content(agent.token, companyFile)).status, 200);
    assert.equal((await content(wjw, companyFile)).status, 404);
    assert.equal((await meta(hotline, companyFile)).status, 404);
    assert.equal((await content(dataofficer, privateFile)).status, 404);
    assert.equal((await content(clerk, 'no-such-upload')).status, 404);
    after = srv.verifyAudit();
    assert.equal(after.records, before.records, 'no audit record for an applicant\'s or a refused read');
  });

  test('no login is 401', async () => {
    assertError(await srv.api('GET', `/api/v1/files/${companyFile}`), 401, 'unauthenticated');
    assertError(await srv.api('GET', `/api/v1/files/${companyFile}/content`), 401, 'unauthenticated');
  });
});
