// catalog_edit.test.js - who edits a catalog item (issue 21): an administrator
// any item, a department's data officer only its own department's items (the
// workbench page workbench/items.html), never moving one to another
// department; and the ETag a reader got guards the edit for them too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { assertError } from './case_fixtures.js';

const OWN = 'DSJ-20-0001'; // 公共数据开放申请, XH-DSJ - the demo data officer's department
const OTHER = 'SCJ-01-0001'; // 企业设立登记, XH-SCJ

describe('catalog: a department edits its own items', () => {
  let srv, officer, admin;
  const item = async (code) => {
    const r = await srv.api('GET', `/api/v1/items/${code}`);
    assert.equal(r.status, 200, r.text);
    return { doc: r.json, etag: r.headers.get('etag') };
  };
  const put = (token, code, body, etag) =>
    srv.api('PUT', `/api/v1/items/${code}`, { token, body, headers: etag ? { 'If-Match': etag } : {} });

  before(async () => {
    srv = await startServer();
    officer = await srv.login('dataofficer');
    admin = await srv.login('admin');
  });
  after(() => srv?.close());

  test('a data officer edits an item of its department: a new version with its ETag', async () => {
    const { doc, etag } = await item(OWN);
    assert.equal(doc.dept, 'XH-DSJ');
    const r = await put(officer, OWN, { ...doc, hours: '周一至周五 9:00-17:00（数据专员修改）' }, etag);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, doc.version + 1);
    assert.equal(r.json.hours, '周一至周五 9:00-17:00（数据专员修改）');
    const now = await item(OWN);
    assert.equal(now.etag, `"${doc.version + 1}"`);
  });

  test('another department\'s item is 403, and nothing changes', async () => {
    const { doc, etag } = await item(OTHER);
    assertError(await put(officer, OTHER, { ...doc, hours: '不该出现' }, etag), 403, 'forbidden');
    const now = await item(OTHER);
    assert.equal(now.etag, etag);
    assert.equal(now.doc.hours, doc.hours);
    assertError(await put(officer, 'NO-SUCH-ITEM', { ...doc, code: 'NO-SUCH-ITEM' }), 404, 'not_found');
  });

  test('a data officer cannot give its item to another department', async () => {
    const { doc, etag } = await item(OWN);
    assertError(await put(officer, OWN, { ...doc, dept: 'XH-SCJ' }, etag), 422, 'invalid_field', 'dept');
    assert.equal((await item(OWN)).etag, etag);
  });

  test('an edit from a stale copy is 412 for a data officer too; an admin edits any item', async () => {
    const stale = await item(OWN);
    const a = await put(admin, OWN, { ...stale.doc, hours: '管理员先改了' }, stale.etag);
    assert.equal(a.status, 200, a.text);
    assertError(await put(officer, OWN, { ...stale.doc, hours: '数据专员后改' }, stale.etag), 412, 'precondition_failed', 'If-Match');
    assert.equal((await item(OWN)).doc.hours, '管理员先改了');
    const other = await item(OTHER);
    assert.equal((await put(admin, OTHER, { ...other.doc, hours: other.doc.hours }, other.etag)).status, 200);
  });
});
