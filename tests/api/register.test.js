// register.test.js - citizens and companies sign up (POST /api/v1/auth/register)
// and use their accounts: every rule of the GB 11643 resident identity number
// and of the GB 32100 unified social credit code with its own error code, the
// derived sex and birth date, one account per identifier, phone and password
// rules, hostile input that must write nothing, login by identifier, password
// changes, a company's agents, staff look-ups (masked, and the audited full
// read), the real-name level, and the registration rate limit.
//
// Registrations are limited to 20 a minute per address, and every request to
// the route counts, refused ones too; so each group of tests has its own server
// and stays below 20.  The rate-limit test comes last, on its own server.
//
// The test vectors are built here from the standards' rules
// (shared/reference/CN-STANDARDS.md §1-2), and the builders are checked against
// the standards' own worked examples first.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

const REGISTER = '/api/v1/auth/register';
const PASSWORD = 'Xuhui#2026';

/* ---- GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check character ---- */
const ID_WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11); /* W_i = 2^(18-i) mod 11 */
function idCheck(body17) {
  const s = [...body17].reduce((a, c, i) => a + Number(c) * ID_WEIGHTS[i], 0);
  return '10X98765432'[s % 11];
}
const idOf = (body17) => body17 + idCheck(body17);
/** A valid number: region, birth date YYYYMMDD, 3-digit sequence. */
const idNumber = (region, birth, seq) => idOf(`${region}${birth}${String(seq).padStart(3, '0')}`);
/** The same number with another check character: only the checksum is wrong. */
function wrongCheck(id) {
  const right = id[17];
  return id.slice(0, 17) + (right === '1' ? '2' : '1');
}
/** A Xuhui number with sequence `seq` whose check character is X (searching birth dates from `from`). */
function idEndingInX(seq, from = '19900101') {
  let day = Date.UTC(+from.slice(0, 4), +from.slice(4, 6) - 1, +from.slice(6, 8));
  for (;;) {
    const birth = new Date(day).toISOString().slice(0, 10).replaceAll('-', '');
    const id = idNumber('310104', birth, seq);
    if (id.endsWith('X')) return id;
    day += 86400000;
  }
}

/* ---- GB 32100-2015: 31-character alphabet, GB 11714 org code check, MOD 31 check ---- */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function usccCheck(body17) {
  let s = 0;
  let w = 1; /* W_i = 3^(i-1) mod 31 */
  for (const c of body17) {
    s += USCC_ALPHABET.indexOf(c) * w;
    w = (w * 3) % 31;
  }
  return USCC_ALPHABET[(31 - (s % 31)) % 31];
}
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
function orgCheck(body8) {
  const s = [...body8].reduce((a, c, i) => a + parseInt(c, 36) * ORG_WEIGHTS[i], 0); /* 0-9, A=10 .. Z=35 */
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
/** A valid code from authority+category (2), region (6) and the 8-character organization body. */
function uscc(cat, region, org8) {
  assert.match(cat + region + org8, /^[0-9A-HJ-NPQRTUWXY]{16}$/, 'a body in the GB 32100 alphabet');
  const b17 = cat + region + org8 + orgCheck(org8);
  return b17 + usccCheck(b17);
}

const ident = {
  person: (id, over = {}) => ({ kind: 'person', id_number: id, name: '李华', phone: '13800000000', password: PASSWORD, ...over }),
  company: (code, over = {}) => ({
    kind: 'enterprise', uscc: code, name: '上海徐汇测试有限公司', phone: '021-64870000', password: PASSWORD,
    legal_rep_name: '陈立', legal_rep_id: idNumber('310104', '19750304', 15), ...over,
  }),
};

function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

const register = (srv, body, headers) => srv.api('POST', REGISTER, { body, headers });

/** GET /api/v1/accounts?q= as staff: the matching applicants (masked). */
async function lookup(srv, token, q) {
  const r = await srv.api('GET', `/api/v1/accounts?q=${encodeURIComponent(q)}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('the builders reproduce the standards\' worked examples', () => {
  assert.deepEqual(ID_WEIGHTS, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);
  assert.equal(idOf('11010519491231002'), '11010519491231002X'); /* GB 11643 annex, sum 167 */
  assert.equal(idOf('31010419900307201'), '310104199003072013'); /* the demo citizen */
  assert.equal(orgCheck('71526726'), 'X'); /* GB 11714: S = 199 */
  assert.equal(orgCheck('M000100Y'), '4');
  assert.equal(uscc('91', '350100', 'M000100Y'), '91350100M000100Y43'); /* GB 32100 annex, sum 1640 */
  assert.equal(idEndingInX(2).slice(-4), '002X');
});

describe('register: resident identity numbers (GB 11643-1999)', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  const base = idNumber('310104', '19850615', 123); /* a valid Xuhui number, a man born 1985-06-15 */
  const nextYear = new Date().getUTCFullYear() + 1;
  const lowerX = idEndingInX(101, '19820101');
  const rows = [
    ['17 characters', base.slice(0, 17), 'invalid_id_length'],
    ['19 characters', `${base}0`, 'invalid_id_length'],
    ['a letter in the body', `${base.slice(0, 10)}A${base.slice(11)}`, 'invalid_id_chars'],
    ['X inside the body', `X${base.slice(1)}`, 'invalid_id_chars'],
    ['a last character other than a digit or X', `${base.slice(0, 17)}Y`, 'invalid_id_chars'],
    ['a circled digit (not folded: only full-width forms are, identifiers.test.js)', `\u2460${base.slice(1)}`, 'invalid_id_chars'],
    ['province 99', idNumber('990104', '19850615', 123), 'invalid_id_region'],
    ['province 00', idNumber('000000', '19850615', 123), 'invalid_id_region'],
    ['province 72 (between Taiwan 71 and Hong Kong 81)', idNumber('720104', '19850615', 123), 'invalid_id_region'],
    ['the birth date 19990230', idNumber('310104', '19990230', 123), 'invalid_id_birth_date'],
    ['the birth date 20230229 (2023 is no leap year)', idNumber('310104', '20230229', 123), 'invalid_id_birth_date'],
    ['the birth date 19000229 (1900 is no leap year)', idNumber('310104', '19000229', 123), 'invalid_id_birth_date'],
    ['month 13', idNumber('310104', '19851315', 123), 'invalid_id_birth_date'],
    ['a birth date in the future', idNumber('310104', `${nextYear}1231`, 123), 'invalid_id_birth_date'],
    ['a birth year before 1900', idNumber('310104', '18991231', 123), 'invalid_id_birth_date'],
    ['a wrong check character', wrongCheck(base), 'invalid_id_checksum'],
  ];
  for (const [what, id, code] of rows) {
    test(`${what}: 422 ${code} on id_number`, async () => {
      const r = await register(srv, ident.person(id));
      assertError(r, 422, code, 'id_number');
    });
  }

  test('a lower-case x is accepted and stored upper case', async () => {
    assert.ok(lowerX.endsWith('X'));
    const r = await register(srv, ident.person(lowerX.toLowerCase(), { name: '赵小雪', phone: '13700000001' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.login, lowerX);
    assert.equal(r.json.account.profile.id_number, lowerX);
    const t = await srv.login(lowerX.toLowerCase(), PASSWORD);
    const me = (await srv.api('GET', '/api/v1/me', { token: t })).json.account;
    assert.equal(me.login, lowerX);
    assert.equal(me.profile.id_number, lowerX);
  });

  test('the standard\'s example 11010519491231002X registers; sex and birth date come from the number', async () => {
    const id = '11010519491231002X';
    const r = await register(srv, ident.person(id, { name: '王秀英', phone: '13900000002' }));
    assert.equal(r.status, 201, r.text);
    const a = r.json.account;
    assert.equal(a.kind, 'person');
    assert.equal(a.login, id);
    assert.equal(a.name, '王秀英');
    assert.equal(a.phone, '13900000002');
    assert.deepEqual(a.roles, ['person']);
    assert.equal(a.password_hash, undefined);
    assert.equal(a.password, undefined);
    assert.deepEqual(a.profile, { id_number: id, sex: 'F', birth_date: '1949-12-31', region: '110105', realname_level: 2 });
    const t = await srv.login(id, PASSWORD);
    const me = await srv.api('GET', '/api/v1/me', { token: t });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json.account.profile, a.profile, '/me: sequence 002 is even (a woman), born 1949-12-31');
    assert.equal(me.json.account.id, a.id);
  });

  test('29 February 2000 (a leap century) is a birth date; an odd sequence is a man', async () => {
    const id = idNumber('310104', '20000229', 7);
    const r = await register(srv, ident.person(id, { name: '周一鸣', phone: '15000000003' }));
    assert.equal(r.status, 201, r.text);
    const t = await srv.login(id, PASSWORD);
    const p = (await srv.api('GET', '/api/v1/me', { token: t })).json.account.profile;
    assert.deepEqual([p.sex, p.birth_date, p.region], ['M', '2000-02-29', '310104']);
  });
});

describe('register: unified social credit codes (GB 32100-2015)', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  const base = uscc('91', '310104', 'MA1XH8TQ');
  const withChar = (code, i, c) => code.slice(0, i) + c + code.slice(i + 1);
  const badOrg = (() => {
    const org8 = 'MA1XH8TQ';
    const right = orgCheck(org8);
    const b17 = `91310104${org8}${right === '1' ? '2' : '1'}`;
    return b17 + usccCheck(b17); /* the final check is right, the organization code's is not */
  })();
  const rows = [
    ['17 characters', base.slice(0, 17), 'invalid_uscc_length'],
    ['19 characters', `${base}1`, 'invalid_uscc_length'],
    ...['I', 'O', 'Z', 'S', 'V'].map((c) => [`the letter ${c}`, withChar(base, 10, c), 'invalid_uscc_chars']),
    ['the annex\'s failing example 91350100M000100Y4Z', '91350100M000100Y4Z', 'invalid_uscc_chars'],
    ['a punctuation mark (a hyphen is removed as typing, identifiers.test.js)', withChar(base, 12, '.'), 'invalid_uscc_chars'],
    ['the unknown category 99', uscc('99', '310104', 'MA1XH8TQ'), 'invalid_uscc_category'],
    ['the unknown category 28', uscc('28', '310104', 'MA1XH8TQ'), 'invalid_uscc_category'],
    ['a letter in the region', uscc('91', '3101A4', 'MA1XH8TQ'), 'invalid_uscc_region'],
    ['a wrong organization-code check', badOrg, 'invalid_uscc_org_code'],
    ['a wrong final check', withChar(base, 17, base[17] === '1' ? '2' : '1'), 'invalid_uscc_checksum'],
  ];
  for (const [what, code, err] of rows) {
    test(`${what}: 422 ${err} on uscc`, async () => {
      assertError(await register(srv, ident.company(code)), 422, err, 'uscc');
    });
  }

  test('the standard\'s example 91350100M000100Y43 registers, with a landline', async () => {
    const code = '91350100M000100Y43';
    const r = await register(srv, ident.company(code, { name: '福州示例有限公司', phone: '0591-87654321' }));
    assert.equal(r.status, 201, r.text);
    const a = r.json.account;
    assert.equal(a.kind, 'enterprise');
    assert.equal(a.login, code);
    assert.deepEqual(a.roles, ['enterprise']);
    assert.equal(a.profile.uscc, code);
    assert.equal(a.profile.region, '350100');
    assert.match(a.profile.category, /企业/);
    assert.equal(a.profile.legal_rep_name, '陈立');
    assert.equal(a.profile.realname_level, 2);
  });

  test('lower case is accepted and stored upper case; a mobile number is fine for a company', async () => {
    const code = uscc('92', '310104', 'MA1NW7K3');
    const r = await register(srv, ident.company(code.toLowerCase(), { name: '徐汇区小笼包店', phone: '13812345678' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.login, code);
    assert.equal(r.json.account.profile.uscc, code);
    assert.match(r.json.account.profile.category, /个体工商户/);
    const t = await srv.login(code.toLowerCase(), PASSWORD);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t })).json.account.login, code);
  });

  test('the legal representative\'s ID number is stored normalized (upper-case X)', async () => {
    const rep = idEndingInX(31, '19660101');
    const code = uscc('91', '310104', 'MA1REPXX');
    const r = await register(srv, ident.company(code, { legal_rep_id: rep.toLowerCase() }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.profile.legal_rep_id, rep);
  });
});

describe('register: one account per identifier, company, phone, password and kind rules', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  test('a second account for an ID number is 409 conflict on id_number, in either case of x', async () => {
    const id = idEndingInX(55, '19700101');
    const r = await register(srv, ident.person(id, { name: '孙悦' }));
    assert.equal(r.status, 201, r.text);
    assertError(await register(srv, ident.person(id.toLowerCase(), { name: '孙悦悦', phone: '13900000000' })), 409, 'conflict', 'id_number');
  });

  test('a second account for a credit code is 409 conflict on uscc', async () => {
    const code = uscc('91', '310104', 'MA1DUP01');
    assert.equal((await register(srv, ident.company(code))).status, 201);
    assertError(await register(srv, ident.company(code.toLowerCase(), { name: '另一家公司' })), 409, 'conflict', 'uscc');
  });

  test('a company needs its legal representative\'s name and a valid ID number', async () => {
    const code = uscc('91', '310104', 'MA1LEGAL');
    const body = ident.company(code);
    const { legal_rep_name: _n, ...noName } = body;
    assertError(await register(srv, noName), 422, 'missing_field', 'legal_rep_name');
    const { legal_rep_id: _i, ...noId } = body;
    assertError(await register(srv, noId), 422, 'missing_field', 'legal_rep_id');
    assertError(await register(srv, { ...body, legal_rep_id: wrongCheck(idNumber('310104', '19750304', 15)) }),
      422, 'invalid_id_checksum', 'legal_rep_id');
    assertError(await register(srv, { ...body, legal_rep_id: idNumber('310104', '19750231', 15) }),
      422, 'invalid_id_birth_date', 'legal_rep_id');
  });

  test('phones: a person needs a mobile number; a company a mobile or a landline', async () => {
    const id = idNumber('310104', '19880808', 21);
    assertError(await register(srv, ident.person(id, { phone: '021-64870000' })), 422, 'invalid_field', 'phone');
    assertError(await register(srv, ident.person(id, { phone: '12800000000' })), 422, 'invalid_field', 'phone');
    assertError(await register(srv, ident.person(id, { phone: '1380000000' })), 422, 'invalid_field', 'phone');
    const code = uscc('91', '310104', 'MA1PH0NE');
    assertError(await register(srv, ident.company(code, { phone: '64870000' })), 422, 'invalid_field', 'phone');
  });

  test('kind must be person or enterprise; identifiers of the other kind are refused', async () => {
    const id = idNumber('310104', '19880808', 25);
    assertError(await register(srv, ident.person(id, { kind: 'staff' })), 422, 'invalid_field', 'kind');
    const { kind: _k, ...noKind } = ident.person(id);
    assertError(await register(srv, noKind), 422, 'missing_field', 'kind');
    assertError(await register(srv, ident.person(id, { uscc: '91350100M000100Y43' })), 400, 'unknown_field', 'uscc');
    assertError(await register(srv, ident.company(uscc('91', '310104', 'MA1KNDXX'), { id_number: id })), 400, 'unknown_field', 'id_number');
    const { id_number: _i, ...noId } = ident.person(id);
    assertError(await register(srv, noId), 422, 'missing_field', 'id_number');
    // none of these made an account
    const clerk = await srv.login('clerk');
    assert.deepEqual(await lookup(srv, clerk, id), []);
  });
});

describe('register: passwords and hostile input', () => {
  let srv, clerk;
  before(async () => {
    srv = await startServer();
    clerk = await srv.login('clerk');
  });
  after(() => srv?.close());

  test('passwords: too short or of one kind of character is 422 on password', async () => {
    const id = idNumber('310104', '19880808', 23);
    for (const pw of ['Ab1!x', 'abcdefghijkl', '1234567890'])
      assertError(await register(srv, ident.person(id, { password: pw })), 422, 'invalid_field', 'password');
  });

  test('a person body with a company field names that field', async () => {
    const id = idNumber('310104', '19880808', 27);
    assertError(await register(srv, ident.person(id, { legal_rep_name: '陈立' })), 400, 'unknown_field', 'legal_rep_name');
  });

  test('a name of blanks only is refused', async () => {
    const id = idNumber('310104', '19880808', 29);
    assertError(await register(srv, ident.person(id, { name: '\u3000\u3000' })), 422, 'invalid_field', 'name');
  });

  test('SQL and HTML metacharacters, overlong strings and bad text are 4xx; no account, no audit record', async () => {
    const audit0 = srv.verifyAudit();
    assert.ok(audit0.intact, audit0.stdout + audit0.stderr);
    const ids = [];
    const id = () => {
      const n = idNumber('310104', '19920202', 301 + ids.length);
      ids.push(n);
      return n;
    };
    const cases = [
      [ident.person(id(), { name: '<script>alert(1)</script>' }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { name: "' OR 1=1 --" }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { name: '李华"); DROP TABLE accounts; --' }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { name: '李'.repeat(33) }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { name: '李'.repeat(101) }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { name: '李\u0007华' }), 422, 'invalid_field', 'name'],
      [ident.person(id(), { phone: "13800000000' OR '1'='1" }), 422, 'invalid_field', 'phone'],
      [ident.person(id(), { phone: '<b>13800000000</b>' }), 422, 'invalid_field', 'phone'],
      [ident.person(id(), { phone: '1'.repeat(21) }), 422, 'invalid_field', 'phone'],
      [ident.person(id(), { password: `Aa1${'x'.repeat(126)}` }), 422, 'invalid_field', 'password'],
    ];
    for (const [body, status, code, field] of cases) assertError(await register(srv, body), status, code, field);
    // NUL inside a string and invalid UTF-8 in the body
    const nulId = id();
    const nul = await srv.api('POST', REGISTER, {
      raw: `{"kind":"person","id_number":"${nulId}","name":"李\\u0000华","phone":"13800000000","password":"${PASSWORD}"}`,
      contentType: 'application/json',
    });
    assert.ok(nul.status >= 400 && nul.status < 500, `NUL: ${nul.status} ${nul.text}`);
    const utfId = id();
    const bad = Buffer.concat([
      Buffer.from(`{"kind":"person","id_number":"${utfId}","name":"`),
      Buffer.from([0xe6, 0x9d, 0xff, 0xfe]),
      Buffer.from(`","phone":"13800000000","password":"${PASSWORD}"}`),
    ]);
    assertError(await srv.api('POST', REGISTER, { raw: bad, contentType: 'application/json' }), 400, 'invalid_utf8');
    // nothing written: no account under any of these numbers or names, no audit record
    for (const n of ids) assert.deepEqual(await lookup(srv, clerk, n), [], n);
    for (const q of ['<script>', "' OR", '李华"', '李李']) assert.deepEqual(await lookup(srv, clerk, q), [], q);
    const audit1 = srv.verifyAudit();
    assert.ok(audit1.intact);
    assert.equal(audit1.records, audit0.records, 'no audit record for refused registrations');
    // a good registration afterwards: one account, one audit record
    const ok = await register(srv, ident.person(ids[0], { name: '李华' }));
    assert.equal(ok.status, 201, ok.text);
    const found = await lookup(srv, clerk, ids[0]);
    assert.equal(found.length, 1);
    assert.equal(found[0].id, ok.json.account.id);
    assert.equal(srv.verifyAudit().records, audit0.records + 1);
  });
});

describe('accounts: login, /me, password, agents, staff look-up and real-name level', () => {
  let srv, clerk;
  /* a Xuhui woman whose number ends in 002X: masked 3101**********002X */
  const agentId = idEndingInX(2);
  const ownerId = idNumber('310104', '19780512', 33);
  const pwId = idNumber('310104', '19930303', 45);
  const companyCode = uscc('91', '310104', 'MA1AG7NT');
  let agent, company;

  before(async () => {
    srv = await startServer();
    clerk = await srv.login('clerk');
    let r = await register(srv, ident.person(agentId, { name: '林晓', phone: '13800000000' }));
    assert.equal(r.status, 201, r.text);
    agent = r.json.account;
    r = await register(srv, ident.company(companyCode, { name: '徐汇代办测试有限公司', phone: '021-64871234', legal_rep_name: '钱多', legal_rep_id: ownerId }));
    assert.equal(r.status, 201, r.text);
    company = r.json.account;
  });
  after(() => srv?.close());

  test('log in by ID number (lower-case x) and by credit code (lower case); /me of each', async () => {
    const l = await srv.loginResponse(agentId.toLowerCase(), PASSWORD);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.json.account.id, agent.id);
    const me = (await srv.api('GET', '/api/v1/me', { token: l.json.token })).json.account;
    assert.equal(me.kind, 'person');
    assert.equal(me.login, agentId);
    assert.equal(me.name, '林晓');
    assert.equal(me.phone, '13800000000', 'the owner sees the whole number');
    assert.deepEqual(me.roles, ['person']);
    assert.deepEqual(me.profile, { id_number: agentId, sex: 'F', birth_date: `${agentId.slice(6, 10)}-${agentId.slice(10, 12)}-${agentId.slice(12, 14)}`, region: '310104', realname_level: 2 });
    assert.deepEqual(me.agent_for, []);
    assert.ok(me.csrf_token);

    const c = await srv.loginResponse(companyCode.toLowerCase(), PASSWORD);
    assert.equal(c.status, 200, c.text);
    const cme = (await srv.api('GET', '/api/v1/me', { token: c.json.token })).json.account;
    assert.equal(cme.kind, 'enterprise');
    assert.equal(cme.id, company.id);
    assert.equal(cme.login, companyCode);
    assert.equal(cme.name, '徐汇代办测试有限公司');
    assert.equal(cme.phone, '021-64871234');
    assert.deepEqual(cme.roles, ['enterprise']);
    assert.deepEqual({ ...cme.profile, category: undefined },
      { uscc: companyCode, legal_rep_name: '钱多', legal_rep_id: ownerId, region: '310104', category: undefined, realname_level: 2 });
    assert.match(cme.profile.category, /企业/);
    assert.equal(cme.agent_for, undefined, 'only persons act for companies');
    // the wrong password and an unregistered number are the same 401
    assertError(await srv.loginResponse(agentId, 'Wrong#2026'), 401, 'invalid_credentials');
    assertError(await srv.loginResponse(idNumber('310104', '19800101', 999), PASSWORD), 401, 'invalid_credentials');
  });

  test('password change: wrong old 401, same as old 422, weak 422; success ends the other sessions only', async () => {
    const r = await register(srv, ident.person(pwId, { name: '郑改密', phone: '13600000000' }));
    assert.equal(r.status, 201, r.text);
    const t1 = await srv.login(pwId, PASSWORD);
    const t2 = await srv.login(pwId, PASSWORD);
    const change = (token, old_password, new_password) =>
      srv.api('POST', '/api/v1/me/password', { token, body: { old_password, new_password } });
    assertError(await change(t1, 'Wrong#2026', 'Brand#New2026'), 401, 'invalid_credentials', 'old_password');
    assertError(await change(t1, PASSWORD, PASSWORD), 422, 'invalid_field', 'new_password');
    assertError(await change(t1, PASSWORD, 'short1'), 422, 'invalid_field', 'new_password');
    assertError(await change(t1, PASSWORD, 'onlylowercase'), 422, 'invalid_field', 'new_password');
    // nothing changed yet: both sessions live, the old password works
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t2 })).status, 200);
    const ok = await change(t1, PASSWORD, 'Brand#New2026');
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t1 })).status, 200, 'this session goes on');
    assertError(await srv.api('GET', '/api/v1/me', { token: t2 }), 401, 'unauthenticated');
    assertError(await srv.loginResponse(pwId, PASSWORD), 401, 'invalid_credentials');
    assert.equal((await srv.loginResponse(pwId, 'Brand#New2026')).status, 200);
    assertError(await srv.api('POST', '/api/v1/me/password', { body: { old_password: 'x', new_password: 'Brand#New2027' } }),
      401, 'unauthenticated');
  });

  test('a company authorizes a registered person as agent; listed masked; the person sees it; revoked', async () => {
    const ct = await srv.login(companyCode, PASSWORD);
    const pt = await srv.login(agentId, PASSWORD);
    const add = (body, token = ct) => srv.api('POST', '/api/v1/enterprise/agents', { token, body });
    // the name must match the registered person's; an unregistered number answers the same
    assertError(await add({ id_number: agentId, name: '林小晓' }), 404, 'not_found', 'id_number');
    assertError(await add({ id_number: idNumber('310104', '19800101', 999), name: '林晓' }), 404, 'not_found', 'id_number');
    assertError(await add({ id_number: wrongCheck(agentId), name: '林晓' }), 422, 'invalid_id_checksum', 'id_number');
    assert.deepEqual((await srv.api('GET', '/api/v1/enterprise/agents', { token: ct })).json.items, []);
    // a person cannot appoint agents
    assertError(await add({ id_number: agentId, name: '林晓' }, pt), 403, 'forbidden');
    const r = await add({ id_number: agentId.toLowerCase(), name: '林晓' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.agent_id, agent.id);
    const list = (await srv.api('GET', '/api/v1/enterprise/agents', { token: ct })).json.items;
    assert.equal(list.length, 1);
    assert.equal(list[0].id, agent.id);
    assert.equal(list[0].name, '林晓');
    assert.equal(list[0].id_number, '3101**********002X');
    assert.equal(list[0].phone, '138****0000');
    assert.deepEqual(r.json.items, list);
    assertError(await add({ id_number: agentId, name: '林晓' }), 409, 'conflict', 'id_number');
    // the person sees the company in /me
    let me = (await srv.api('GET', '/api/v1/me', { token: pt })).json.account;
    assert.deepEqual(me.agent_for, [{ id: company.id, name: '徐汇代办测试有限公司', uscc: companyCode }]);
    // revoke: gone from both sides; revoking again is 404
    const del = await srv.api('DELETE', `/api/v1/enterprise/agents/${agent.id}`, { token: ct });
    assert.equal(del.status, 200, del.text);
    assert.deepEqual((await srv.api('GET', '/api/v1/enterprise/agents', { token: ct })).json.items, []);
    me = (await srv.api('GET', '/api/v1/me', { token: pt })).json.account;
    assert.deepEqual(me.agent_for, []);
    assertError(await srv.api('DELETE', `/api/v1/enterprise/agents/${agent.id}`, { token: ct }), 404, 'not_found');
    assertError(await srv.api('DELETE', '/api/v1/enterprise/agents/abc', { token: ct }), 404, 'not_found');
  });

  test('staff look-up masks ID numbers and phones; applicants are refused', async () => {
    let items = await lookup(srv, clerk, agentId.toLowerCase());
    assert.deepEqual(items, [{ id: agent.id, kind: 'person', login: '3101**********002X', name: '林晓', phone: '138****0000' }]);
    items = await lookup(srv, clerk, '林晓');
    assert.deepEqual(items.map((i) => [i.id, i.login, i.phone]), [[agent.id, '3101**********002X', '138****0000']]);
    items = await lookup(srv, clerk, companyCode.toLowerCase());
    assert.equal(items.length, 1);
    assert.deepEqual({ ...items[0], phone: undefined },
      { id: company.id, kind: 'enterprise', login: companyCode, name: '徐汇代办测试有限公司', phone: undefined }, 'a credit code is public');
    assert.ok(!items[0].phone.includes('6487'), `a company's phone is masked too: ${items[0].phone}`);
    assert.equal(items[0].phone, '021-****1234', 'a landline keeps its area code and last 4 digits');
    // no staff in the results, no partial-number search, and LIKE wildcards are literal
    assert.deepEqual(await lookup(srv, clerk, 'admin'), []);
    assert.deepEqual(await lookup(srv, clerk, agentId.slice(0, 10)), []);
    assert.deepEqual(await lookup(srv, clerk, '%%'), []);
    assert.deepEqual(await lookup(srv, clerk, '_晓'), []);
    assertError(await srv.api('GET', '/api/v1/accounts?q=a', { token: clerk }), 422, 'invalid_field', 'q');
    assertError(await srv.api('GET', `/api/v1/accounts?q=${'9'.repeat(65)}`, { token: clerk }), 422, 'invalid_field', 'q');
    const pt = await srv.login(agentId, PASSWORD);
    const ct = await srv.login(companyCode, PASSWORD);
    for (const t of [pt, ct]) {
      assertError(await srv.api('GET', '/api/v1/accounts?q=林晓', { token: t }), 403, 'forbidden');
      assertError(await srv.api('GET', `/api/v1/accounts/${agent.id}`, { token: t }), 403, 'forbidden');
    }
    assertError(await srv.api('GET', '/api/v1/accounts?q=林晓'), 401, 'unauthenticated');
  });

  test('a clerk\'s full read of an account shows the whole number and is audited', async () => {
    const a0 = srv.verifyAudit();
    assert.ok(a0.intact, a0.stdout + a0.stderr);
    const r = await srv.api('GET', `/api/v1/accounts/${agent.id}`, { token: clerk });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account.login, agentId);
    assert.equal(r.json.account.profile.id_number, agentId);
    assert.equal(r.json.account.phone, '13800000000');
    const a1 = srv.verifyAudit();
    assert.ok(a1.intact);
    assert.equal(a1.records, a0.records + 1, 'one account.view record');
    // staff accounts and unknown ids are not applicants: 404, and not audited
    const admin = (await srv.api('GET', '/api/v1/me', { token: await srv.login('admin') })).json.account;
    const a2 = srv.verifyAudit().records; /* the admin's login above is audited */
    assertError(await srv.api('GET', `/api/v1/accounts/${admin.id}`, { token: clerk }), 404, 'not_found');
    assertError(await srv.api('GET', '/api/v1/accounts/999999', { token: clerk }), 404, 'not_found');
    assert.equal(srv.verifyAudit().records, a2);
  });

  test('a clerk raises the real-name level after an in-person check; an applicant cannot', async () => {
    const pt = await srv.login(agentId, PASSWORD);
    const path = `/api/v1/accounts/${agent.id}/realname`;
    const body = { level: 3, method: '窗口核验居民身份证原件' };
    assertError(await srv.api('POST', path, { token: pt, body }), 403, 'forbidden');
    assertError(await srv.api('POST', path, { token: clerk, body: { ...body, level: 4 } }), 422, 'invalid_field', 'level');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: pt })).json.account.profile.realname_level, 2);
    const r = await srv.api('POST', path, { token: clerk, body });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.account.profile.realname_level, 3);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: pt })).json.account.profile.realname_level, 3);
    // a company's level too
    const cr = await srv.api('POST', `/api/v1/accounts/${company.id}/realname`, { token: clerk, body: { level: 3, method: '法定代表人现场核验' } });
    assert.equal(cr.status, 200, cr.text);
    assert.equal(cr.json.account.profile.realname_level, 3);
  });
});

/* Last: this uses up the address's allowance. */
describe('register: rate limit', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--trust-proxy', 'true'] });
  });
  after(() => srv?.close());

  test('the 21st registration within a minute from one address is 429; another address is not limited', async () => {
    const from = { 'X-Forwarded-For': '203.0.113.7' };
    const ids = Array.from({ length: 22 }, (_, i) => idNumber('310104', '19950505', 501 + i));
    // sent at once, so the bucket (20, refilled at one every three seconds) is
    // emptied before it refills
    const rs = await Promise.all(ids.slice(0, 20).map((id, i) =>
      register(srv, ident.person(id, { name: `限流${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}` }), from)));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    const r21 = await register(srv, ident.person(ids[20]), from);
    assertError(r21, 429, 'rate_limited');
    const retry = Number(r21.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After: ${r21.headers.get('retry-after')}`);
    const clerk = await srv.login('clerk');
    assert.deepEqual(await lookup(srv, clerk, ids[20]), [], 'the refused registration wrote nothing');
    assertError(await srv.loginResponse(ids[20], PASSWORD, { headers: from }), 401, 'invalid_credentials');
    // another address still registers
    const other = await register(srv, ident.person(ids[21]), { 'X-Forwarded-For': '203.0.113.8' });
    assert.equal(other.status, 201, other.text);
  });
});
