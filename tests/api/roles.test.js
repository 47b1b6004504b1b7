// roles.test.js - the role x route matrix, generated from the route table
// (GET /api/v1/admin/routes: every route with its roles and flags), and owner /
// non-owner pairs for every route with an object in its path.
//
// Matrix: every route x every caller (nobody, a citizen, a company and each
// staff role).  A route that is not public answers 401 to nobody; a route that
// lists roles answers 403 to a caller with none of them - never 2xx, and the
// refusal is the router's (unauthenticated / forbidden "your role does not
// allow").  A caller the route admits is sent a harmless probe (an object that
// does not exist, a body the handler refuses) and must not get the router's
// refusal.  Pairs: the object is created by one citizen (or department) and
// asked for by another: 404 (403 where the API documents it), never the
// object, and a refused write changes nothing.
//
// Each route has a row in ROWS below.  A route of the table without a row
// fails the test with its name, so a new route needs a row: how to name its
// objects, what body to send and who owns what it names.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.js';
import { buildWorld, CITIZEN, COMPANY, STAFF } from './world.js';
import { idNumber } from './case_fixtures.js';

/* The callers, and the roles each one has. */
const CALLERS = {
  anonymous: [],
  person: ['person'],
  enterprise: ['enterprise'],
  window_clerk: ['window_clerk'],
  reviewer: ['reviewer'],
  chief_approver: ['chief_approver', 'reviewer'], // the demo chief is a reviewer too
  supervisor: ['supervisor'],
  data_officer: ['data_officer'],
  hotline_operator: ['hotline_operator'],
  grid_worker: ['grid_worker'],
  finance: ['finance'],
  admin: ['admin'],
  dept_system: ['dept_system'], // a registered client's client_credentials token
};
const LOGINS = { person: CITIZEN, enterprise: COMPANY, ...STAFF };

const NO_CASE = 'XH20000101999999';
const NO_LICENSE = '1.2.156.3005.2.113101044259256669001.113101044259256669.2026999999.001.0';
const NO_ID = '999999';
const NO_FILE = 'AAAAAAAAAAAAAAAAAAAAAAAA';
const UNREGISTERED = idNumber('19800101', 999);

const BOUNDARY = '----ywtbRolesBoundary';
const upload = (name = 'roles.pdf') => ({
  raw: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
    `Content-Type: application/pdf\r\n\r\n%PDF-1.4\n% roles\n%%EOF\n\r\n--${BOUNDARY}--\r\n`),
  contentType: `multipart/form-data; boundary=${BOUNDARY}`,
});

/*
 * One row per route, by "METHOD path":
 *   path(ids)    the path naming real objects (for refused callers and the pairs)
 *   probe(ids)   the path for admitted callers: a harmless request (default: path)
 *   body         a body the router accepts (refusals come after body checks)
 *   probeBody    the body of the probe (default: body)
 *   raw          a raw body { raw, contentType } instead of JSON
 *   fresh        admitted callers use a fresh session (logout ends the one it is sent with)
 *   owner        for a path that names an object: who may see it
 *                'public'   anyone, by design (catalog, published keys, a grant code's bearer)
 *                'staff'    only staff roles reach it: no citizen owns what it names
 *                { owner, others: [callers], expect: [statuses], object }  a pair: `others` ask
 *                           for what `owner` has and get one of `expect`
 */
const ROWS = {
  'GET /healthz': {},
  'GET /readyz': {},
  'GET /metrics': {},
  'GET /api/v1/openapi.json': {},
  'GET /api/v1/admin/routes': {},
  /* ---- ops: the audit log's signed tree ---- */
  'GET /api/v1/public/audit/sth': {},
  'GET /api/v1/public/audit/sths': {},
  'GET /api/v1/public/audit/keys': {},
  'GET /api/v1/public/audit/proof/inclusion': { probe: () => '/api/v1/public/audit/proof/inclusion?seq=999999999' },
  'GET /api/v1/public/audit/proof/consistency': { probe: () => '/api/v1/public/audit/proof/consistency?first=1' },
  'POST /api/v1/auth/register': { body: { kind: 'person', id_number: '310104199003072014', name: '角色', phone: '13900000001', password: 'Roles#2026x' } },
  'POST /api/v1/auth/login': { body: { login: 'hotline', password: DEMO_PASSWORD } },
  'POST /api/v1/auth/logout': { fresh: true },
  'GET /api/v1/me': {},
  'POST /api/v1/me/password': { body: { old_password: 'Wrong#2026x', new_password: 'Another#2026x' } },
  'GET /api/v1/enterprise/agents': {},
  'POST /api/v1/enterprise/agents': { body: { id_number: UNREGISTERED, name: '无此人' } },
  'DELETE /api/v1/enterprise/agents/{id}': {
    path: (i) => `/api/v1/enterprise/agents/${i.agentId}`, probe: () => `/api/v1/enterprise/agents/${NO_ID}`,
    owner: { owner: 'enterprise', others: ['enterprise2'], expect: [404], object: 'agent' },
  },
  'GET /api/v1/accounts': {},
  'POST /api/v1/accounts/{id}/realname': {
    path: (i, a) => `/api/v1/accounts/${a.person2}/realname`, probe: () => `/api/v1/accounts/${NO_ID}/realname`,
    body: { level: 3, method: 'window' }, owner: 'staff',
  },
  'POST /api/v1/accounts/{id}/password-reset': {
    path: (i, a) => `/api/v1/accounts/${a.person2}/password-reset`, probe: () => `/api/v1/accounts/${NO_ID}/password-reset`,
    body: {}, owner: 'staff',
  },
  'GET /api/v1/accounts/{id}': { path: (i, a) => `/api/v1/accounts/${a.person}`, probe: () => `/api/v1/accounts/${NO_ID}`, owner: 'staff' },
  'POST /api/v1/admin/users': { body: { username: 'ab', password: 'x', name: '角色', roles: ['no_such_role'] } },
  'GET /api/v1/admin/users': {},
  'GET /api/v1/departments': {},
  'GET /api/v1/items': {},
  'GET /api/v1/items/{code}': { path: () => '/api/v1/items/SCJ-01-0001', owner: 'public' },
  'GET /api/v1/items/{code}/versions': { path: () => '/api/v1/items/SCJ-01-0001/versions', owner: 'public' },
  'PUT /api/v1/items/{code}': { path: () => '/api/v1/items/SCJ-01-0001', probe: () => '/api/v1/items/NO-SUCH-ITEM', body: { name: '角色测试' }, owner: 'staff' },
  'GET /api/v1/bundles': {},
  'GET /api/v1/bundles/{code}': { path: (i) => `/api/v1/bundles/${i.bundle}`, owner: 'public' },
  'GET /api/v1/license-types': {},
  'GET /api/v1/license-types/{code}': { path: () => '/api/v1/license-types/LT-001', owner: 'public' },
  'POST /api/v1/files': { raw: upload() },
  'GET /api/v1/files/{id}': {
    path: (i) => `/api/v1/files/${i.personFile}`, probe: () => `/api/v1/files/${NO_FILE}`,
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'file' },
  },
  'GET /api/v1/files/{id}/content': {
    path: (i) => `/api/v1/files/${i.personFile}/content`, probe: () => `/api/v1/files/${NO_FILE}/content`,
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'file' },
  },
  'POST /api/v1/cases': { body: { item_code: 'NO-SUCH-ITEM' } },
  'GET /api/v1/cases': {},
  'GET /api/v1/items/{code}/materials/{mcode}/form.pdf': { path: () => '/api/v1/items/SCJ-01-0001/materials/SCJ-01-0001-M01/form.pdf', owner: 'public' },
  'POST /api/v1/cases/precheck': { body: { item_code: 'NO-SUCH-ITEM' } },
  'GET /api/v1/cases/{case_no}': {
    path: (i) => `/api/v1/cases/${i.personCase}`, probe: () => `/api/v1/cases/${NO_CASE}`,
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'case' },
  },
  'PUT /api/v1/cases/{case_no}': {
    path: (i) => `/api/v1/cases/${i.personDraft}`, probe: () => `/api/v1/cases/${NO_CASE}`, body: { form: {} },
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'draft' },
  },
  'POST /api/v1/cases/{case_no}/accept': { path: (i) => `/api/v1/cases/${i.personCase}/accept`, probe: () => `/api/v1/cases/${NO_CASE}/accept`, body: {}, owner: 'staff' },
  'POST /api/v1/cases/{case_no}/reject': { path: (i) => `/api/v1/cases/${i.personCase}/reject`, probe: () => `/api/v1/cases/${NO_CASE}/reject`, body: { reason: '角色' }, owner: 'staff' },
  'POST /api/v1/cases/{case_no}/request-supplement': {
    path: (i) => `/api/v1/cases/${i.personCase}/request-supplement`, probe: () => `/api/v1/cases/${NO_CASE}/request-supplement`,
    body: { items: [{ what: '身份证', reason: '不清楚' }] }, owner: 'staff',
  },
  'POST /api/v1/cases/{case_no}/supplement': {
    path: (i) => `/api/v1/cases/${i.personCase}/supplement`, probe: () => `/api/v1/cases/${NO_CASE}/supplement`, body: {},
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'case' },
  },
  'POST /api/v1/cases/{case_no}/withdraw': {
    path: (i) => `/api/v1/cases/${i.personCase}/withdraw`, probe: () => `/api/v1/cases/${NO_CASE}/withdraw`, body: { reason: '角色' },
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'case' },
  },
  'POST /api/v1/cases/{case_no}/pause': {
    path: (i) => `/api/v1/cases/${i.companyCase}/pause`, probe: () => `/api/v1/cases/${NO_CASE}/pause`, body: { kind: '听证', reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'companyCase' },
  },
  'POST /api/v1/cases/{case_no}/resume': {
    path: (i) => `/api/v1/cases/${i.companyCase}/resume`, probe: () => `/api/v1/cases/${NO_CASE}/resume`, body: { reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404, 409], object: 'companyCase' },
  },
  'GET /api/v1/public/case-status': {},
  'GET /api/v1/public/case-status.pdf': {},
  'GET /api/v1/cases/{case_no}/receipt.pdf': {
    path: (i) => `/api/v1/cases/${i.personCase}/receipt.pdf`, probe: () => `/api/v1/cases/${NO_CASE}/receipt.pdf`,
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'case' },
  },
  'GET /api/v1/cases/{case_no}/notices/{kind}': {
    path: (i) => `/api/v1/cases/${i.personCase}/notices/receipt.pdf`, probe: () => `/api/v1/cases/${NO_CASE}/notices/receipt.pdf`,
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'case' },
  },
  'GET /api/v1/tasks': {},
  'GET /api/v1/tasks/stats': {},
  'POST /api/v1/tasks/{id}/decide': {
    path: (i) => `/api/v1/tasks/${i.task}/decide`, probe: () => `/api/v1/tasks/${NO_ID}/decide`, body: { decision: 'approve', opinion: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'task' },
  },
  'POST /api/v1/tasks/{id}/consult': {
    path: (i) => `/api/v1/tasks/${i.task}/consult`, probe: () => `/api/v1/tasks/${NO_ID}/consult`, body: { dept: 'XH-SWJ', note: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'task' },
  },
  'POST /api/v1/tasks/{id}/reroute': {
    path: (i) => `/api/v1/tasks/${i.task}/reroute`, probe: () => `/api/v1/tasks/${NO_ID}/reroute`, body: { dept: 'XH-SWJ', reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'task' },
  },
  'POST /api/v1/tasks/{id}/reassign': {
    // the chief's own: any department's task; no other caller has the role
    path: (i) => `/api/v1/tasks/${i.task}/reassign`, probe: () => `/api/v1/tasks/${NO_ID}/reassign`, body: { dept: 'XH-SWJ', reason: '角色' }, owner: 'staff',
  },
  'GET /api/v1/keys': {},
  'POST /api/v1/keys/rotate': { body: { dept: 'XH-SCJ' }, probeBody: { dept: 'XH-NONE' } },
  'GET /api/v1/licenses': {},
  'POST /api/v1/licenses': { body: { type: 'LT-NONE', holder_ident: CITIZEN, holder_name: '张小明' } },
  'POST /api/v1/licenses/verify': { body: { document: {} } },
  'GET /api/v1/licenses/status-lists/{dept}': { path: () => '/api/v1/licenses/status-lists/XH-SCJ', owner: 'public' },
  'GET /api/v1/licenses/{id}': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}`, probe: () => `/api/v1/licenses/${NO_LICENSE}`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'GET /api/v1/licenses/{id}/document': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/document`, probe: () => `/api/v1/licenses/${NO_LICENSE}/document`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'GET /api/v1/licenses/{id}/uses': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/uses`, probe: () => `/api/v1/licenses/${NO_LICENSE}/uses`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'GET /api/v1/licenses/{id}/print.pdf': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/print.pdf`, probe: () => `/api/v1/licenses/${NO_LICENSE}/print.pdf`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'GET /api/v1/licenses/{id}/qr.svg': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/qr.svg`, probe: () => `/api/v1/licenses/${NO_LICENSE}/qr.svg`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'GET /api/v1/public/licenses/{id}': { path: (i) => `/api/v1/public/licenses/${i.companyLicense}`, owner: 'public' },
  'POST /api/v1/licenses/{id}/revoke': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/revoke`, probe: () => `/api/v1/licenses/${NO_LICENSE}/revoke`, body: { reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'license' },
  },
  'POST /api/v1/licenses/{id}/suspend': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/suspend`, probe: () => `/api/v1/licenses/${NO_LICENSE}/suspend`, body: { reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'license' },
  },
  'POST /api/v1/licenses/{id}/reinstate': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/reinstate`, probe: () => `/api/v1/licenses/${NO_LICENSE}/reinstate`, body: { reason: '角色' },
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404, 409], object: 'license' },
  },
  'GET /api/v1/licenses/{id}/grants': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/grants`, probe: () => `/api/v1/licenses/${NO_LICENSE}/grants`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'POST /api/v1/licenses/{id}/grants': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/grants`, probe: () => `/api/v1/licenses/${NO_LICENSE}/grants`,
    body: { grantee: '角色银行', purpose: '角色' },
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'license' },
  },
  'DELETE /api/v1/licenses/{id}/grants/{code}': {
    path: (i) => `/api/v1/licenses/${i.companyLicense}/grants/${i.grant}`, probe: () => `/api/v1/licenses/${NO_LICENSE}/grants/ABCDEFGHJK`,
    owner: { owner: 'enterprise', others: ['enterprise2', 'person2'], expect: [404], object: 'grant' },
  },
  'GET /api/v1/public/license-grants/{code}': { path: (i) => `/api/v1/public/license-grants/${i.grant}`, owner: 'public' },
  // served only with the test clock (serve --clock): not in this server's table
  'POST /api/v1/test/clock': { testOnly: true, owner: 'public' },
  // ---- sso (issue 13) ----
  'POST /api/v1/admin/clients': { body: { name: '角色', dept: 'XH-SCJ', kind: 'bogus', grant_types: ['client_credentials'] } },
  'GET /api/v1/admin/clients': {},
  'GET /api/v1/admin/clients/{client_id}': {
    path: (i) => `/api/v1/admin/clients/${i.client}`, probe: () => '/api/v1/admin/clients/ywc-none', owner: 'staff',
  },
  'PUT /api/v1/admin/clients/{client_id}': {
    path: (i) => `/api/v1/admin/clients/${i.client}`, probe: () => '/api/v1/admin/clients/ywc-none', body: { name: '角色' }, owner: 'staff',
  },
  'POST /api/v1/admin/clients/{client_id}/secret': {
    path: (i) => `/api/v1/admin/clients/${i.client}/secret`, probe: () => '/api/v1/admin/clients/ywc-none/secret', owner: 'staff',
  },
  'POST /api/v1/admin/clients/{client_id}/disable': {
    path: (i) => `/api/v1/admin/clients/${i.client}/disable`, probe: () => '/api/v1/admin/clients/ywc-none/disable', owner: 'staff',
  },
  'POST /api/v1/admin/clients/{client_id}/enable': {
    path: (i) => `/api/v1/admin/clients/${i.client}/enable`, probe: () => '/api/v1/admin/clients/ywc-none/enable', owner: 'staff',
  },
  'POST /oauth2/token': { raw: { raw: 'grant_type=password', contentType: 'application/x-www-form-urlencoded' } },
  'POST /oauth2/revoke': { raw: { raw: 'token=ywat.none', contentType: 'application/x-www-form-urlencoded' } },
  'GET /.well-known/openid-configuration': {},
  'GET /oauth2/jwks': {},
  'GET /oauth2/authorize': {},
  'GET /oauth2/userinfo': {},
  'POST /oauth2/userinfo': { raw: { raw: 'access_token=ywat.none', contentType: 'application/x-www-form-urlencoded' } },
  'GET /oauth2/logout': {},
  'GET /api/v1/sso/authorization': {},
  'POST /api/v1/sso/authorization': { body: { params: {}, decision: 'deny' } },
  'GET /api/v1/me/sso': {},
  'DELETE /api/v1/me/sso/consents/{client_id}': {
    path: (i) => `/api/v1/me/sso/consents/${i.client}`, probe: () => '/api/v1/me/sso/consents/ywc-none',
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'consent' },
  },
  'POST /api/v1/admin/oidc/keys/rotate': { body: { alg: 'ES256' }, probeBody: { alg: 'none' } },
  // ---- end sso ----
  // ---- datahub (issue 9) ----
  'GET /api/v1/datahub/resources': {},
  'POST /api/v1/datahub/resources': {
    body: { code: 'bad code', dept: 'XH-GAFJ', name: '角色', subject_kind: 'none', share_type: 'none', frequency: 'daily', legal_basis: '角色', fields: [{ key: 'a', name: '甲' }] },
  },
  'GET /api/v1/datahub/resources/{code}': { path: () => '/api/v1/datahub/resources/GA-HJRK', probe: () => '/api/v1/datahub/resources/NO-SUCH', owner: 'staff' },
  'PUT /api/v1/datahub/resources/{code}': {
    path: () => '/api/v1/datahub/resources/GA-HJRK', probe: () => '/api/v1/datahub/resources/NO-SUCH',
    body: { name: '角色', subject_kind: 'none', share_type: 'none', frequency: 'daily', legal_basis: '角色', fields: [{ key: 'a', name: '甲' }] },
    owner: 'staff',
  },
  'POST /api/v1/datahub/resources/{code}/records': {
    path: () => '/api/v1/datahub/resources/GA-HJRK/records', probe: () => '/api/v1/datahub/resources/NO-SUCH/records',
    body: { records: [{ name: '角色' }] }, owner: 'staff',
  },
  'GET /api/v1/datahub/resources/{code}/subjects/{subject}': {
    path: () => `/api/v1/datahub/resources/GA-HJRK/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001`,
    probe: () => `/api/v1/datahub/resources/NO-SUCH/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001`,
    owner: 'staff',
  },
  'GET /api/v1/datahub/subjects/{subject}': {
    path: () => `/api/v1/datahub/subjects/${CITIZEN}?purpose=case&case_no=XH20261207000001`, probe: () => `/api/v1/datahub/subjects/${CITIZEN}`,
    owner: 'staff',
  },
  'GET /api/v1/datahub/grants': {},
  'POST /api/v1/datahub/grants': { body: { resource: 'NO-SUCH', fields: ['name'], purpose: '角色', legal_basis: '角色', until: '2027-01-01' } },
  // grant 1 is the demo's (GA-HJRK to XH-SCJ, approved)
  'POST /api/v1/datahub/grants/{id}/approve': { path: () => '/api/v1/datahub/grants/1/approve', probe: () => `/api/v1/datahub/grants/${NO_ID}/approve`, body: {}, owner: 'staff' },
  'POST /api/v1/datahub/grants/{id}/deny': { path: () => '/api/v1/datahub/grants/1/deny', probe: () => `/api/v1/datahub/grants/${NO_ID}/deny`, body: { reason: '角色' }, owner: 'staff' },
  'POST /api/v1/datahub/grants/{id}/revoke': { path: () => '/api/v1/datahub/grants/1/revoke', probe: () => `/api/v1/datahub/grants/${NO_ID}/revoke`, body: { reason: '角色' }, owner: 'staff' },
  'GET /api/v1/datahub/me/file': {},
  'GET /api/v1/datahub/me/ledger': {},
  // ledger entry 1 is the demo's: the demo citizen's, read by XH-SCJ
  'POST /api/v1/datahub/me/ledger/{id}/dispute': {
    path: () => '/api/v1/datahub/me/ledger/1/dispute', probe: () => `/api/v1/datahub/me/ledger/${NO_ID}/dispute`, body: { reason: '角色测试' },
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'ledger entry' },
  },
  'GET /api/v1/datahub/me/corrections': {},
  'POST /api/v1/datahub/me/corrections': { body: { resource: 'NO-SUCH', field: 'name', proposed: '角色', reason: '角色测试' } },
  'GET /api/v1/datahub/corrections': {},
  'POST /api/v1/datahub/corrections/{id}/answer': {
    path: () => '/api/v1/datahub/corrections/1/answer', probe: () => `/api/v1/datahub/corrections/${NO_ID}/answer`,
    body: { decision: 'rejected', answer: '角色测试' }, owner: 'staff',
  },
  'GET /api/v1/datahub/disputes': {},
  'POST /api/v1/datahub/disputes/{id}/answer': {
    path: () => '/api/v1/datahub/disputes/1/answer', probe: () => `/api/v1/datahub/disputes/${NO_ID}/answer`,
    body: { answer: '角色测试' }, owner: 'staff',
  },
  'GET /api/v1/datahub/prefill': { probe: () => '/api/v1/datahub/prefill?item=NO-SUCH' },
  'GET /api/v1/public/open-data': {},
  'GET /api/v1/public/open-data/{code}/data.csv': { path: () => '/api/v1/public/open-data/ZW-FWWD/data.csv', owner: 'public' },
  // ---- end datahub ----
  // ---- supervision (issue 10) ----
  'GET /api/v1/supervision/board': {},
  'GET /api/v1/supervision/queue': {},
  'GET /api/v1/supervision/cards': {},
  // no citizen owns a card; another department's card is 404 (tests/api/supervision.test.js)
  'GET /api/v1/supervision/cards/{id}': { path: () => `/api/v1/supervision/cards/${NO_ID}`, owner: 'staff' },
  'POST /api/v1/supervision/cards/{id}/answer': { path: () => `/api/v1/supervision/cards/${NO_ID}/answer`, body: { explanation: '角色' }, owner: 'staff' },
  'POST /api/v1/supervision/cards/{id}/accept': { path: () => `/api/v1/supervision/cards/${NO_ID}/accept`, body: {}, owner: 'staff' },
  'POST /api/v1/supervision/cards/{id}/escalate': { path: () => `/api/v1/supervision/cards/${NO_ID}/escalate`, body: { note: '角色' }, owner: 'staff' },
  'POST /api/v1/supervision/sweep': {},
  'GET /api/v1/supervision/stats': {},
  'GET /api/v1/supervision/stats.xlsx': {},
  'GET /api/v1/supervision/audit': {},
  'GET /api/v1/supervision/audit.csv': { probe: () => '/api/v1/supervision/audit.csv?limit=1' },
  'GET /api/v1/supervision/audit/verify': {},
  'GET /api/v1/public/statistics': {},
  'GET /api/v1/credit/records': {},
  'POST /api/v1/credit/records': { body: { subject_ident: '123', subject_name: '角色', kind: 'dishonest', category: '角色', basis: '角色' } },
  'POST /api/v1/credit/records/{id}/repair': { path: () => `/api/v1/credit/records/${NO_ID}/repair`, body: { note: '角色' }, owner: 'staff' },
  'GET /api/v1/credit/rules': {},
  'POST /api/v1/credit/rules': { body: { record_kind: 'dishonest', target_kind: 'item', target: 'NO-SUCH-ITEM', measure: 'block' } },
  'GET /api/v1/credit/flags': { path: () => `/api/v1/credit/flags?subject=${UNREGISTERED}` },
  'GET /api/v1/credit/checks': { path: () => `/api/v1/credit/checks?case_no=${NO_CASE}` },
  'GET /api/v1/me/credit': {},
  // the world has no credit record: another subject's record is 404 in supervision_credit.test.js
  'POST /api/v1/me/credit/{id}/repair-request': { path: () => `/api/v1/me/credit/${NO_ID}/repair-request`, body: { reason: '角色' }, owner: 'staff' },
  // ---- end supervision ----
  // ---- services (issue 11) ----
  // the demo seed gives the demo citizen booking YYDEMO000001, inbox message 1, consultation 1
  // (XH-SCJ), rating request 1 and rectification 1 (XH-SCJ): see src/services/seed.c
  'GET /api/v1/hall/windows': {},
  'GET /api/v1/hall/slots': {},
  'GET /api/v1/appointments': {},
  'POST /api/v1/appointments': { body: { item_code: 'NO-SUCH-ITEM', slot: 'W01.20000103.0900' } },
  'GET /api/v1/appointments/{code}': {
    path: () => '/api/v1/appointments/YYDEMO000001', probe: () => '/api/v1/appointments/YYNOSUCHCODE',
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'appointment' },
  },
  'GET /api/v1/appointments/{code}/calendar.ics': {
    path: () => '/api/v1/appointments/YYDEMO000001/calendar.ics', probe: () => '/api/v1/appointments/YYNOSUCHCODE/calendar.ics',
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'appointment' },
  },
  'GET /api/v1/appointments/{code}/qr.svg': {
    path: () => '/api/v1/appointments/YYDEMO000001/qr.svg', probe: () => '/api/v1/appointments/YYNOSUCHCODE/qr.svg',
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'appointment' },
  },
  'POST /api/v1/appointments/{code}/reschedule': {
    path: () => '/api/v1/appointments/YYDEMO000001/reschedule', probe: () => '/api/v1/appointments/YYNOSUCHCODE/reschedule',
    body: { slot: 'W01.20000103.0900' }, owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'appointment' },
  },
  'POST /api/v1/appointments/{code}/cancel': {
    path: () => '/api/v1/appointments/YYDEMO000001/cancel', probe: () => '/api/v1/appointments/YYNOSUCHCODE/cancel',
    body: {}, owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'appointment' },
  },
  'POST /api/v1/hall/tickets': { body: { item_code: 'NO-SUCH-ITEM' } },
  'POST /api/v1/hall/checkin': { body: { code: 'YYNOSUCHCODE' } },
  'GET /api/v1/public/hall/screen': {},
  'GET /api/v1/public/hall/events': {},
  'GET /api/v1/hall/windows/{code}/queue': { path: () => '/api/v1/hall/windows/W01/queue', probe: () => '/api/v1/hall/windows/W99/queue', owner: 'staff' },
  'POST /api/v1/hall/windows/{code}/call-next': { path: () => '/api/v1/hall/windows/W01/call-next', probe: () => '/api/v1/hall/windows/W99/call-next', body: {}, owner: 'staff' },
  'POST /api/v1/hall/windows/{code}/tickets/{id}/{action}': {
    path: () => `/api/v1/hall/windows/W01/tickets/${NO_ID}/recall`, probe: () => `/api/v1/hall/windows/W99/tickets/${NO_ID}/recall`, body: {}, owner: 'staff',
  },
  'GET /api/v1/ratings': {},
  'POST /api/v1/ratings/{id}': {
    path: () => '/api/v1/ratings/1', probe: () => `/api/v1/ratings/${NO_ID}`, body: { level: 5 },
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'rating' },
  },
  'GET /api/v1/public/ratings/summary': {},
  'GET /api/v1/rectifications': {},
  'GET /api/v1/rectifications/{id}': {
    path: () => '/api/v1/rectifications/1', probe: () => `/api/v1/rectifications/${NO_ID}`,
    owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [404], object: 'rectification' },
  },
  'POST /api/v1/rectifications/{id}/report': {
    path: () => '/api/v1/rectifications/1/report', probe: () => `/api/v1/rectifications/${NO_ID}/report`,
    body: { verified: '角色', contacted: '角色', outcome: '角色' }, owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [404], object: 'rectification' },
  },
  'POST /api/v1/rectifications/{id}/appeal': {
    path: () => '/api/v1/rectifications/1/appeal', probe: () => `/api/v1/rectifications/${NO_ID}/appeal`,
    body: { reason: '角色' }, owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [404], object: 'rectification' },
  },
  'POST /api/v1/rectifications/{id}/decide': {
    path: () => '/api/v1/rectifications/1/decide', probe: () => `/api/v1/rectifications/${NO_ID}/decide`, body: { result: 'upheld' }, owner: 'staff',
  },
  'GET /api/v1/me/inbox': {},
  'POST /api/v1/me/inbox/{id}/read': {
    path: () => '/api/v1/me/inbox/1/read', probe: () => `/api/v1/me/inbox/${NO_ID}/read`, body: {},
    owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'message' },
  },
  'GET /api/v1/me/notify-settings': {},
  'PUT /api/v1/me/notify-settings': { body: { email: 'not an address' } },
  'GET /api/v1/admin/outbox': {},
  'POST /api/v1/admin/outbox/{id}/retry': { path: () => '/api/v1/admin/outbox/1/retry', probe: () => `/api/v1/admin/outbox/${NO_ID}/retry`, body: {}, owner: 'staff' },
  'GET /api/v1/admin/notify-templates': {},
  'PUT /api/v1/admin/notify-templates/{name}/{lang}': {
    path: () => '/api/v1/admin/notify-templates/case.accepted/zh', probe: () => '/api/v1/admin/notify-templates/no.such.template/zh',
    body: { title: '角色 {title}', body: '角色 {case_no}' }, owner: 'staff',
  },
  'GET /api/v1/consultations': {},
  'POST /api/v1/consultations': { body: { item_code: 'NO-SUCH-ITEM', question: '角色测试的问题' } },
  'GET /api/v1/consultations/{id}': {
    path: () => '/api/v1/consultations/1', probe: () => `/api/v1/consultations/${NO_ID}`,
    owner: { owner: 'person', others: ['person2', 'enterprise2', 'reviewer_swj'], expect: [404], object: 'consultation' },
  },
  'POST /api/v1/consultations/{id}/answer': {
    path: () => '/api/v1/consultations/1/answer', probe: () => `/api/v1/consultations/${NO_ID}/answer`,
    body: { answer: '角色' }, owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [404], object: 'consultation' },
  },
  'GET /api/v1/public/consultations/suggest': {},
  // ---- end services ----
  // ---- hotline (issue 12) ----
  ...(() => {
    /* the demo seed's work orders are numbered HL + the seed's day in China + the row id */
    const hlNo = (n) => `HL${new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10).replace(/-/g, '')}${String(n).padStart(6, '0')}`;
    const NO_ORDER = 'HL20000101999999';
    const geNo = (n) => `GE${hlNo(n).slice(2)}`;
    const NO_EVENT = 'GE20000101999999';
    return {
      // the demo seed's work orders (src/hotline/seed.c): 1 the demo citizen's (received),
      // 2 dispatched to XH-SCJ (the demo reviewer's department), 3 signed by XH-JSGLW
      'GET /api/v1/hotline/categories': {},
      'POST /api/v1/hotline/orders': { body: { category: 'HL-999', content: '角色', caller_phone: '13800000000' } },
      'GET /api/v1/hotline/orders': {},
      'GET /api/v1/hotline/orders/{order_no}': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}`,
        owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'hotline order' },
      },
      'POST /api/v1/hotline/orders/{order_no}/dispatch': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/dispatch`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/dispatch`, body: { dept: 'XH-NONE' }, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/extension-decision': {
        path: () => `/api/v1/hotline/orders/${hlNo(3)}/extension-decision`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/extension-decision`, body: { approve: true }, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/close': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/close`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/close`, body: { answer: '角色' }, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/callback': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/callback`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/callback`, body: { note: '角色' }, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/press': {
        path: () => `/api/v1/hotline/orders/${hlNo(2)}/press`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/press`, body: { note: '角色' }, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/sign': {
        path: () => `/api/v1/hotline/orders/${hlNo(2)}/sign`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/sign`, body: {},
        owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'hotline order' },
      },
      'POST /api/v1/hotline/orders/{order_no}/return': {
        path: () => `/api/v1/hotline/orders/${hlNo(2)}/return`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/return`, body: { reason: '角色' },
        owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'hotline order' },
      },
      'POST /api/v1/hotline/orders/{order_no}/extend': {
        path: () => `/api/v1/hotline/orders/${hlNo(2)}/extend`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/extend`, body: { days: 1, reason: '角色' },
        owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'hotline order' },
      },
      'POST /api/v1/hotline/orders/{order_no}/answer': {
        path: () => `/api/v1/hotline/orders/${hlNo(2)}/answer`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/answer`, body: { answer: '角色' },
        owner: { owner: 'reviewer', others: ['reviewer_swj'], expect: [403, 404], object: 'hotline order' },
      },
      'POST /api/v1/hotline/orders/{order_no}/rate': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/rate`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/rate`, body: { rating: 5 },
        owner: { owner: 'person', others: ['person2', 'enterprise2'], expect: [404], object: 'hotline order' },
      },
      'GET /api/v1/hotline/orders/{order_no}/similar': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/similar`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/similar`, owner: 'staff',
      },
      'POST /api/v1/hotline/orders/{order_no}/merge': {
        path: () => `/api/v1/hotline/orders/${hlNo(4)}/merge`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/merge`, body: { into: NO_ORDER }, owner: 'staff',
      },
      'GET /api/v1/hotline/knowledge': {},
      'POST /api/v1/hotline/knowledge': { body: { category: 'HL-999', question: '角色', answer: '角色' } },
      'POST /api/v1/hotline/orders/{order_no}/to-grid': {
        path: () => `/api/v1/hotline/orders/${hlNo(1)}/to-grid`, probe: () => `/api/v1/hotline/orders/${NO_ORDER}/to-grid`, body: { major: '外星来客' }, owner: 'staff',
      },
      // unit grids and grid events (the demo seed's event 1, reported)
      'GET /api/v1/grids': {},
      'GET /api/v1/grids/locate': {},
      'POST /api/v1/grid-events': { body: { major: '外星来客', description: '角色', lat: 31.2, lng: 121.44 } },
      'GET /api/v1/grid-events': {},
      'GET /api/v1/grid-events/{event_no}': {
        path: () => `/api/v1/grid-events/${geNo(1)}`, probe: () => `/api/v1/grid-events/${NO_EVENT}`, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/open': {
        path: () => `/api/v1/grid-events/${geNo(1)}/open`, probe: () => `/api/v1/grid-events/${NO_EVENT}/open`, body: {}, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/dispatch': {
        path: () => `/api/v1/grid-events/${geNo(1)}/dispatch`, probe: () => `/api/v1/grid-events/${NO_EVENT}/dispatch`, body: { dept: 'XH-NONE' }, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/handle': {
        path: () => `/api/v1/grid-events/${geNo(1)}/handle`, probe: () => `/api/v1/grid-events/${NO_EVENT}/handle`, body: { photo: 'AAAAAAAAAAAAAAAAAAAAAAAA', note: '角色' }, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/verify': {
        path: () => `/api/v1/grid-events/${geNo(1)}/verify`, probe: () => `/api/v1/grid-events/${NO_EVENT}/verify`, body: { ok: true }, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/close': {
        path: () => `/api/v1/grid-events/${geNo(1)}/close`, probe: () => `/api/v1/grid-events/${NO_EVENT}/close`, body: {}, owner: 'staff',
      },
      'POST /api/v1/grid-events/{event_no}/reject': {
        path: () => `/api/v1/grid-events/${geNo(1)}/reject`, probe: () => `/api/v1/grid-events/${NO_EVENT}/reject`, body: { reason: '角色' }, owner: 'staff',
      },
      'GET /api/v1/public/hotline-orders/{order_no}': { path: () => `/api/v1/public/hotline-orders/${hlNo(1)}`, owner: 'public' },
      'GET /open311/v2/discovery.json': {},
      'GET /open311/v2/services.json': {},
      'GET /open311/v2/services.xml': {},
      'GET /open311/v2/services/{code}': { path: () => '/open311/v2/services/HL-101.json', owner: 'public' },
      'GET /open311/v2/requests.json': {},
      'GET /open311/v2/requests.xml': {},
      'POST /open311/v2/requests.json': { body: { service_code: 'HL-999' } },
      'POST /open311/v2/requests.xml': { body: { service_code: 'HL-999' } },
      'GET /open311/v2/requests/{id}': { path: () => `/open311/v2/requests/${hlNo(3)}.json`, owner: 'public' },
      'GET /open311/v2/tokens/{token}': { path: () => `/open311/v2/tokens/${hlNo(3)}.json`, owner: 'public' },
    };
  })(),
  // ---- end hotline ----
  // ---- payments (issue 18) ----
  // orders and refunds exist only once a fee is due: the paths name none, and
  // payments.test.js asks for one citizen's order as another (404) and for
  // every staff-only action as the wrong role
  'GET /api/v1/payments/orders': {},
  'GET /api/v1/payments/orders/{no}': { path: () => '/api/v1/payments/orders/PO20000101999999', owner: 'payments.test.js' },
  'POST /api/v1/payments/orders/{no}/pay': { path: () => '/api/v1/payments/orders/PO20000101999999/pay', body: {}, owner: 'payments.test.js' },
  'POST /api/v1/payments/orders/{no}/window': {
    path: () => '/api/v1/payments/orders/PO20000101999999/window', body: { terminal_ref: 'POS-ROLES', amount_fen: 1 }, owner: 'payments.test.js',
  },
  'POST /api/v1/payments/orders/{no}/waive': { path: () => '/api/v1/payments/orders/PO20000101999999/waive', body: { reason: '角色' }, owner: 'payments.test.js' },
  'POST /api/v1/payments/orders/{no}/reissue': { path: () => '/api/v1/payments/orders/PO20000101999999/reissue', owner: 'payments.test.js' },
  'GET /api/v1/payments/orders/{no}/receipt.pdf': { path: () => '/api/v1/payments/orders/PO20000101999999/receipt.pdf', owner: 'payments.test.js' },
  'POST /api/v1/payments/orders/{no}/refunds': {
    path: () => '/api/v1/payments/orders/PO20000101999999/refunds', body: { amount_fen: 1, reason: '角色' }, owner: 'payments.test.js',
  },
  'GET /api/v1/payments/refunds': {},
  'POST /api/v1/payments/refunds/{no}/decide': { path: () => '/api/v1/payments/refunds/RF20000101999999/decide', body: { approve: false }, owner: 'payments.test.js' },
  'POST /api/v1/payments/refunds/{no}/window': {
    path: () => '/api/v1/payments/refunds/RF20000101999999/window', body: { terminal_ref: 'POS-ROLES' }, owner: 'payments.test.js',
  },
  'POST /api/v1/payments/refund-notify': {
    body: { notify_id: 'roles', refund_no: 'RF20000101999999', order_no: 'PO20000101999999', refund_id: 'R-ROLES', amount_fen: 1, status: 'SUCCESS', sign_type: 'SM2', sign: 'AAAA' },
  },
  'POST /api/v1/payments/notify': {
    body: { notify_id: 'roles', order_no: 'PO20000101999999', trade_no: 'T-ROLES', amount_fen: 1, status: 'SUCCESS', sign_type: 'SM2', sign: 'AAAA' },
  },
  'POST /api/v1/payments/settlements': {
    path: () => '/api/v1/payments/settlements?day=2000-01-01', probe: () => '/api/v1/payments/settlements?day=2000-13-01', raw: upload('settlement.csv'),
  },
  'GET /api/v1/payments/reconciliation': {},
  'GET /api/v1/payments/reconciliation.xlsx': {},
  // ---- end payments ----
  // ---- selfservice (issue 20) ----
  // login requests and deliveries exist only once a kiosk asks or a case is
  // approved: the paths name none, and selfservice.test.js asks for the
  // company's delivery as the citizen (404) and for staff actions as applicants
  'POST /api/v1/public/kiosk/login-requests': { body: { kiosk: 'bad kiosk!' } },
  'POST /api/v1/public/kiosk/login-requests/poll': { body: { poll_token: 'NOSUCHPOLLTOKEN0000000000' } },
  'GET /api/v1/public/kiosk/login-requests/{code}/qr.svg': { path: () => '/api/v1/public/kiosk/login-requests/NOSUCHCODE00000000000000/qr.svg', owner: 'selfservice.test.js' },
  'GET /api/v1/kiosk/login-requests/{code}': { path: () => '/api/v1/kiosk/login-requests/NOSUCHCODE00000000000000', owner: 'selfservice.test.js' },
  'POST /api/v1/kiosk/login-requests/{code}/confirm': {
    path: () => '/api/v1/kiosk/login-requests/NOSUCHCODE00000000000000/confirm', body: {}, owner: 'selfservice.test.js',
  },
  'POST /api/v1/public/kiosk/pickup': { body: { locker: 'NOPE', code: '000000' } },
  'GET /api/v1/deliveries': {},
  'GET /api/v1/deliveries/{case_no}': { path: () => `/api/v1/deliveries/${NO_CASE}`, owner: 'selfservice.test.js' },
  'PUT /api/v1/deliveries/{case_no}/choice': { path: () => `/api/v1/deliveries/${NO_CASE}/choice`, body: { method: 'window' }, owner: 'selfservice.test.js' },
  'POST /api/v1/deliveries/{case_no}/locker': { path: () => `/api/v1/deliveries/${NO_CASE}/locker`, body: { locker: 'G01' }, owner: 'selfservice.test.js' },
  'POST /api/v1/deliveries/{case_no}/ship': { path: () => `/api/v1/deliveries/${NO_CASE}/ship`, body: {}, owner: 'selfservice.test.js' },
  'POST /api/v1/deliveries/{case_no}/handover': { path: () => `/api/v1/deliveries/${NO_CASE}/handover`, body: {}, owner: 'selfservice.test.js' },
  'GET /api/v1/lockers': {},
  // selfservice_kiosk.test.js: the code login, kiosk actions (403 from any
  // session not opened at a kiosk), the label, the locker admin
  'POST /api/v1/public/kiosk/otp': { body: { kiosk: 'bad kiosk!', id_number: CITIZEN } },
  'POST /api/v1/public/kiosk/otp/verify': { body: { otp_token: 'NOSUCHOTPTOKEN000000000000', code: '000000' } },
  'POST /api/v1/kiosk/actions': { body: { action: 'print', ref: 'x', what: 'status' } },
  'POST /api/v1/deliveries/{case_no}/pickup-code': { path: () => `/api/v1/deliveries/${NO_CASE}/pickup-code`, body: {}, owner: 'selfservice.test.js' },
  'POST /api/v1/deliveries/{case_no}/pickup': { path: () => `/api/v1/deliveries/${NO_CASE}/pickup`, body: {}, owner: 'selfservice_kiosk.test.js' },
  'GET /api/v1/deliveries/{case_no}/label.pdf': { path: () => `/api/v1/deliveries/${NO_CASE}/label.pdf`, owner: 'selfservice_kiosk.test.js' },
  'GET /api/v1/lockers/{locker}/compartments': { path: () => '/api/v1/lockers/NOPE/compartments', owner: 'selfservice_kiosk.test.js' },
  'POST /api/v1/lockers/{locker}/compartments/{slot}/open': { path: () => '/api/v1/lockers/NOPE/compartments/1/open', body: { reason: '角色' }, owner: 'selfservice_kiosk.test.js' },
  'POST /api/v1/lockers/{locker}/compartments/{slot}/release': { path: () => '/api/v1/lockers/NOPE/compartments/1/release', body: { reason: '角色' }, owner: 'selfservice_kiosk.test.js' },
  'PUT /api/v1/lockers/{locker}/compartments/{slot}/state': { path: () => '/api/v1/lockers/NOPE/compartments/1/state', body: { state: 'ok', reason: '角色' }, owner: 'selfservice_kiosk.test.js' },
  // ---- end selfservice ----
  // ---- journeys2 (issue 15): one-time codes by SMS ----
  'POST /api/v1/me/phone/code': { body: {} },
  'POST /api/v1/me/phone/verify': { body: { code: '000000' } },
  'POST /api/v1/auth/password-reset/code': { body: { login: UNREGISTERED } },
  'POST /api/v1/auth/password-reset': { body: { login: UNREGISTERED, code: '000000', new_password: 'Roles#2026x' } },
  // ---- end journeys2 ----
};

const key = (r) => `${r.method} ${r.path}`;
const refusedByRouter = (r) =>
  (r.status === 401 && r.json?.error?.code === 'unauthenticated') ||
  (r.status === 403 && r.json?.error?.code === 'forbidden' && /^your role does not allow/.test(r.json.error.message));

describe('roles: every route x every caller, and owners against non-owners', () => {
  let srv, routes, world, tokens;

  before(async () => {
    srv = await startServer();
    const admin = await srv.login('admin');
    const r = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    assert.equal(r.status, 200, r.text);
    routes = r.json.routes;
    world = await buildWorld(srv);
    world.ids.bundle = (await srv.api('GET', '/api/v1/bundles')).json.items[0].code;
    tokens = world.tokens;
  });
  after(() => srv?.close());

  function send(row, route, token, probe) {
    const p = probe ? (row.probe || row.path) : row.path;
    const url = p ? p(world.ids, world.accounts) : route.path;
    const body = probe && row.probeBody !== undefined ? row.probeBody : row.body;
    const opts = { token };
    if (row.raw) Object.assign(opts, row.raw);
    else if (body !== undefined) opts.body = body;
    return srv.api(route.method, url, opts);
  }

  test('every route of the table has a row, and every row a route', () => {
    const have = new Set(routes.map(key));
    const missing = routes.filter((r) => !ROWS[key(r)]).map(key);
    assert.deepEqual(missing, [], `routes without a row in roles.test.js ROWS (add one: path, body, owner):\n${missing.join('\n')}`);
    const stale = Object.keys(ROWS).filter((k) => !have.has(k) && !ROWS[k].testOnly);
    assert.deepEqual(stale, [], `rows for routes the server does not have:\n${stale.join('\n')}`);
    const noOwner = routes.filter((r) => r.path.includes('{') && !ROWS[key(r)].owner).map(key);
    assert.deepEqual(noOwner, [], `routes naming an object without an owner rule:\n${noOwner.join('\n')}`);
    const noPath = routes.filter((r) => r.path.includes('{') && !ROWS[key(r)].path).map(key);
    assert.deepEqual(noPath, [], `routes naming an object without a path to a real one:\n${noPath.join('\n')}`);
  });

  test('the matrix: nobody 401, a role not listed 403, never 2xx; admitted callers pass the router', async (t) => {
    const bad = [];
    let cells = 0;
    for (const route of routes) {
      const row = ROWS[key(route)];
      if (!row) continue; // reported by the test above
      const isPublic = route.flags.includes('public');
      for (const [caller, roles] of Object.entries(CALLERS)) {
        cells++;
        const admitted = isPublic || (caller !== 'anonymous' && (route.roles.length === 0 || roles.some((x) => route.roles.includes(x))));
        let token = tokens[caller];
        if (admitted && row.fresh && caller !== 'anonymous')
          token = caller === 'dept_system' ? await world.freshDeptSystem() : await srv.login(LOGINS[caller]);
        const r = await send(row, route, token, admitted);
        const where = `${key(route)} as ${caller}: ${r.status} ${r.text.slice(0, 200)}`;
        if (r.status >= 500) bad.push(`${where} (5xx)`);
        if (!admitted) {
          const want = caller === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
          if (r.status !== want[0] || r.json?.error?.code !== want[1]) bad.push(`${where} (want ${want.join(' ')})`);
        } else if (refusedByRouter(r)) {
          bad.push(`${where} (the route admits ${isPublic ? 'everybody' : route.roles.join(',') || 'any login'})`);
        }
      }
    }
    t.diagnostic(`${routes.length} routes x ${Object.keys(CALLERS).length} callers = ${cells} cells`);
    assert.deepEqual(bad, [], bad.join('\n'));
  });

  test('owner / non-owner: another citizen (or department) gets 404 or the documented 403, never the object', async (t) => {
    const bad = [];
    const forbidden = [];
    let pairs = 0;
    for (const route of routes) {
      const row = ROWS[key(route)];
      if (!row || typeof row.owner !== 'object') continue;
      const { owner, others, expect } = row.owner;
      // the owner sees what a read names (a write would change the fixture)
      if (route.method === 'GET') {
        const r = await send(row, route, tokens[owner], false);
        if (r.status !== 200) bad.push(`${key(route)} as the owner ${owner}: ${r.status} ${r.text.slice(0, 200)} (the fixture is wrong)`);
      }
      for (const other of others) {
        pairs++;
        const r = await send(row, route, tokens[other], false);
        if (r.status === 403) forbidden.push(`${key(route)} as ${other}: 403 ${r.json?.error?.message}`);
        if (!expect.includes(r.status) || r.json?.error?.code === undefined)
          bad.push(`${key(route)} as ${other} (owner ${owner}): ${r.status} ${r.text.slice(0, 200)} (want ${expect.join(' or ')})`);
      }
    }
    t.diagnostic(`${pairs} non-owner requests; answered 403 rather than 404 (the object's existence shows):\n${forbidden.join('\n')}`);
    assert.deepEqual(bad, [], bad.join('\n'));

    // the refused writes changed nothing
    const { ids } = world;
    const k = await srv.api('GET', `/api/v1/cases/${ids.personCase}`, { token: tokens.person });
    assert.equal(k.json.status, 'submitted', 'the citizen\'s case is as it was');
    const d = await srv.api('GET', `/api/v1/cases/${ids.personDraft}`, { token: tokens.person });
    assert.equal(d.json.status, 'draft');
    const g = await srv.api('GET', `/api/v1/public/license-grants/${ids.grant}`);
    assert.equal(g.status, 200, `the grant still opens: ${g.text}`);
    const lic = await srv.api('GET', `/api/v1/licenses/${ids.companyLicense}`, { token: tokens.enterprise });
    assert.equal(lic.json.status, 'valid');
    const agents = await srv.api('GET', '/api/v1/enterprise/agents', { token: tokens.enterprise });
    assert.ok(agents.json.items.some((a) => a.id === ids.agentId), 'the agent is still authorized');
    const c = await srv.api('GET', `/api/v1/cases/${ids.companyCase}`, { token: tokens.enterprise });
    assert.equal(c.json.tasks.find((x) => x.id === ids.task).status, 'pending', 'the task is still pending');
    assert.equal(c.json.clock.paused, false, 'the clock was not paused');
  });

  // issue 16 item 2
  test('staff who cannot see a case cannot read its uploads either', async () => {
    const { ids } = world;
    // the citizen's case has no task of XH-SWJ; the hotline and the data officer see no case
    for (const who of ['reviewer_swj', 'hotline_operator', 'data_officer']) {
      const k = await srv.api('GET', `/api/v1/cases/${ids.personCase}`, { token: tokens[who] });
      assert.equal(k.status, 404, `${who} cannot see the case`);
      for (const p of [`/api/v1/files/${ids.personCaseFile}`, `/api/v1/files/${ids.personCaseFile}/content`, `/api/v1/files/${ids.personFile}/content`]) {
        const r = await srv.api('GET', p, { token: tokens[who] });
        assert.equal(r.status, 404, `${p} as ${who}: ${r.status}`);
      }
    }
  });
});
