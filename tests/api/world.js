// world.js - a server on the real catalog (data/catalog) with one object of
// every kind a route can name in its path, owned by known accounts, for the
// tests that walk every route: the fuzzer (fuzz.test.js) and the role matrix
// (roles.test.js).  Not a test file itself: node --test only runs *.test.js.
//
//   import { buildWorld } from './world.js';
//   const w = await buildWorld(srv);   // srv from startServer() (demo seed)
//   w.tokens.person, w.ids.caseNo, ...
//
// Accounts: the demo citizen (person) and company (enterprise), a second
// citizen (person2) and company (enterprise2) registered here, an agent the
// demo company authorized, and the demo staff (every staff role).  Objects:
// a submitted and accepted case of the demo company (with its review task of
// XH-SCJ), a draft case and a submitted case of the demo citizen, uploads of
// both, a 营业执照 of the demo company and a 社会保障卡 of the demo citizen, and
// a view grant on the company's license.  A department system of XH-SCJ
// (dept_system: a registered client with a client_credentials token); its
// client is ids.client, and freshDeptSystem() gives it another token.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './harness.js';
import { registerPerson, registerCompany, uploadPdf } from './case_fixtures.js';
import { registerClient, clientToken } from './clients.js';

export const CITIZEN = '310104199003072013';
export const COMPANY = '91310104MA1FL8XQ10';
export const COMPANY_NAME = '上海徐汇示范科技有限公司';

/* The staff principals: the demo accounts and what they stand for. */
export const STAFF = {
  admin: 'admin',
  window_clerk: 'clerk',
  reviewer: 'reviewer', // XH-SCJ
  chief_approver: 'chief', // also reviewer
  supervisor: 'supervisor',
  data_officer: 'dataofficer',
  hotline_operator: 'hotline',
  grid_worker: 'grid',
  finance: 'finance',
};

/** A form for a catalog item: every required field without prefill gets a value of its type. */
export function fillForm(item, values = {}) {
  const form = {};
  for (const f of item.form || []) {
    if (values[f.key] !== undefined) form[f.key] = values[f.key];
    else if (f.required && !f.prefill) {
      form[f.key] = f.type === 'choice' ? f.options[0] : f.type === 'number' ? 10 : f.type === 'id_number' ? CITIZEN
        : f.type === 'uscc' ? COMPANY : f.type === 'date' ? '2026-01-01' : f.type === 'phone' ? '13912345678' : `测试${f.key}`;
    }
  }
  return form;
}

/** Uploads for the required materials of an item. */
async function uploads(srv, item, token) {
  const out = [];
  for (const m of item.materials || []) {
    if (m.required !== 'required') continue;
    out.push({ material_code: m.code, file_id: await uploadPdf(srv, token, m.code) });
  }
  return out;
}

async function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

/** Log in and return { token, cookie, csrf } (a bearer token and a cookie session). */
export async function session(srv, login, password = DEMO_PASSWORD) {
  const r = await srv.loginResponse(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  const set = r.headers.get('set-cookie') || '';
  const m = /ywtb_session=([^;]+)/.exec(set);
  return { token: r.json.token, cookie: m ? `ywtb_session=${m[1]}` : null, csrf: r.json.account?.csrf_token ?? null };
}

/**
 * Populate srv (seeded with the demo data, real catalog).  Returns
 * { tokens: {name: bearer}, accounts: {name: id}, ids: {...} }.
 */
export async function buildWorld(srv) {
  const tokens = { anonymous: null };
  const accounts = {};
  tokens.person = await srv.login(CITIZEN);
  tokens.enterprise = await srv.login(COMPANY);
  for (const [role, login] of Object.entries(STAFF)) tokens[role] = await srv.login(login);
  tokens.reviewer_swj = await srv.login('rev.swj'); // a reviewer of another department (XH-SWJ)
  const p2 = await registerPerson(srv, '林第二', '19880312', 101);
  tokens.person2 = p2.token;
  accounts.person2 = p2.id;
  const agent = await registerPerson(srv, '钱经办', '19930909', 405);
  tokens.agent = agent.token;
  accounts.agent = agent.id;
  const c2 = await registerCompany(srv, '上海徐汇第二测试有限公司', 20000002);
  tokens.enterprise2 = c2.token;
  accounts.enterprise2 = c2.id;
  accounts.person = (await ok(await srv.api('GET', '/api/v1/me', { token: tokens.person }))).account.id;
  accounts.enterprise = (await ok(await srv.api('GET', '/api/v1/me', { token: tokens.enterprise }))).account.id;

  const ids = {};
  // the company authorizes an agent
  await ok(await srv.api('POST', '/api/v1/enterprise/agents', {
    token: tokens.enterprise, body: { id_number: agent.id_number, name: agent.name },
  }), 201);
  ids.agentId = agent.id;

  // uploads
  ids.personFile = await uploadPdf(srv, tokens.person, 'person-file');
  ids.companyFile = await uploadPdf(srv, tokens.enterprise, 'company-file');

  // the company's 企业设立登记: submitted, accepted: a review task of XH-SCJ
  const item = await ok(await srv.api('GET', '/api/v1/items/SCJ-01-0001'));
  let k = await ok(await srv.api('POST', '/api/v1/cases', {
    token: tokens.enterprise,
    body: {
      item_code: 'SCJ-01-0001',
      form: fillForm(item, { legal_rep_name: '张小明', legal_rep_id: CITIZEN, registered_capital: 500 }),
      materials: await uploads(srv, item, tokens.enterprise),
    },
  }), 201);
  ids.companyCase = k.case_no;
  ids.companyCaseFile = k.materials.find((m) => m.file_id)?.file_id;
  k = await ok(await srv.api('POST', `/api/v1/cases/${ids.companyCase}/accept`, { token: tokens.window_clerk, body: { note: '受理' } }));
  ids.task = k.tasks.find((t) => t.dept === 'XH-SCJ' && t.status === 'pending').id;

  // the citizen: a draft and a submitted case
  const personItems = (await ok(await srv.api('GET', '/api/v1/items?target=person&limit=50'))).items;
  ids.personDraft = (await ok(await srv.api('POST', '/api/v1/cases', {
    token: tokens.person, body: { item_code: personItems[0].code, draft: true },
  }), 201)).case_no;
  for (const s of personItems) {
    const it = await ok(await srv.api('GET', `/api/v1/items/${s.code}`));
    if (it.realname_level > 3) continue;
    const r = await srv.api('POST', '/api/v1/cases', {
      token: tokens.person, body: { item_code: it.code, form: fillForm(it), materials: await uploads(srv, it, tokens.person) },
    });
    if (r.status === 201) {
      ids.personCase = r.json.case_no;
      ids.personCaseFile = r.json.materials.find((m) => m.file_id)?.file_id;
      break;
    }
  }
  assert.ok(ids.personCase, 'the citizen could apply for one of the first 50 person items');

  // licenses: a 营业执照 of the company (issued by XH-SCJ), a 社会保障卡 of the citizen (XH-RSJ)
  ids.companyLicense = (await ok(await srv.api('POST', '/api/v1/licenses', {
    token: tokens.reviewer,
    body: { type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME, fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明' } },
  }), 201)).id;
  const rsj = await srv.login('rev.rsj');
  ids.personLicense = (await ok(await srv.api('POST', '/api/v1/licenses', {
    token: rsj,
    body: { type: 'LT-014', holder_ident: CITIZEN, holder_name: '张小明', fields: { name: '张小明', id_number: CITIZEN, card_no: 'SH0001' } },
  }), 201)).id;
  ids.grant = (await ok(await srv.api('POST', `/api/v1/licenses/${ids.companyLicense}/grants`, {
    token: tokens.enterprise, body: { grantee: '中国银行上海市徐汇支行', purpose: '开立对公账户', hours: 24 },
  }), 201)).code;
  ids.companyLicenseDoc = (await ok(await srv.api('GET', `/api/v1/licenses/${ids.companyLicense}/document`, { token: tokens.enterprise })));

  // a department system of XH-SCJ (identity's client registry)
  const sys = await registerClient(srv, { name: '市场监管局业务系统', dept: 'XH-SCJ' }, { adminToken: tokens.admin });
  ids.client = sys.client_id;
  tokens.dept_system = await clientToken(srv, sys.client_id, sys.client_secret);
  const freshDeptSystem = () => clientToken(srv, sys.client_id, sys.client_secret);
  return { tokens, accounts, ids, freshDeptSystem };
}
