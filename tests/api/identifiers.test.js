// identifiers.test.js - resident identity numbers (GB 11643-1999) and unified
// social credit codes (GB 32100-2015) as people type them, the same on the page
// and by the API: the server folds input exactly as the portal's
// web/assets/cnid.js does (full-width forms to ASCII, white space removed,
// lower case upper-cased, and in a credit code hyphens removed), stores and
// compares the ASCII form, and accepts the residence permits of Hong Kong,
// Macao and Taiwan residents (address codes 810000, 820000, 830000:
// 港澳台居民居住证申领发放办法, 国办发〔2018〕81号).
//
// Every row is checked twice: by the page's own cnid.js (imported here) and by
// the server, and the two must agree.  Registrations are limited to 20 a
// minute per address, so each group has its own server and stays below 20.
//
// The first groups run on the fixture catalog (tests/fixtures/data/catalog),
// whose T-RSJ-SUBSIDY form has an optional id_number field (spouse_id); the
// license group on the real catalog (LT-001 营业执照 has a uscc field).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { fixtureServer, idNumber, uscc, registerPerson, assertError, APPLICANT_PASSWORD } from './case_fixtures.js';
import { checkId, checkUscc, normalize, normalizeUscc, identNormalize } from '../../web/assets/cnid.js';

const REGISTER = '/api/v1/auth/register';
let phoneSeq = 0;
const phone = () => `1370000${String(++phoneSeq).padStart(4, '0')}`;

/* GB 11643-1999 with any address code: 17 digits + ISO 7064 MOD 11-2 check. */
const ID_W = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11); /* W_i = 2^(18-i) mod 11 */
function anyId(region, birth, seq) {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const s = [...body].reduce((a, c, i) => a + Number(c) * ID_W[i], 0);
  return body + '10X98765432'[s % 11];
}
/** A Xuhui number whose check character is X (searching sequence codes from `seq`). */
function idEndingInX(birth, seq) {
  for (let q = seq; q < 1000; q++) if (idNumber(birth, q).endsWith('X')) return idNumber(birth, q);
  throw new Error('no X');
}
/** Full-width forms of ASCII (U+FF01-U+FF5E) */
const wide = (s) => [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

const person = (id_number, over = {}) => ({ kind: 'person', id_number, name: '李华', phone: phone(), password: APPLICANT_PASSWORD, ...over });
const company = (code, over = {}) => ({
  kind: 'enterprise', uscc: code, name: '上海徐汇测试有限公司', phone: phone(), password: APPLICANT_PASSWORD,
  legal_rep_name: '陈立', legal_rep_id: idNumber('19750304', 15), ...over,
});

/** What the page says about an input, in the server's terms: the stored form or the error code. */
const pageSaysId = (v) => {
  const r = checkId(v);
  return r.ok ? r.id : r.code;
};
const pageSaysUscc = (v) => checkUscc(v).code; /* the code when ok, else the error code */
/** What the server says when registering with it: the stored login or the error code. */
async function serverSays(srv, body, field) {
  const r = await srv.api('POST', REGISTER, { body });
  if (r.status === 201) return r.json.account.login;
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, field, r.text);
  return r.json.error.code;
}

test('cnid.js folds as the server documents: full-width forms, white space, case; hyphens in credit codes only', () => {
  assert.equal(normalize('１１０１０５１９４９１２３１００２ｘ'), '11010519491231002X');
  assert.equal(normalize('\u3000110105 1949\u00a01231\t002x\n'), '11010519491231002X');
  assert.equal(normalize('9135-0100'), '9135-0100');
  assert.equal(normalizeUscc('91-350100\uff0dM000100Y4\u20143'), '91350100M000100Y43');
  /* no NFKC: a circled digit or the Roman numeral ten stay and are refused */
  assert.equal(normalize('\u2460\u2169'), '\u2460\u2169');
  assert.equal(checkId(`${'11010519491231002'}\u2169`).code, 'invalid_id_chars');
  /* the GB 11643 and GB 32100 annex examples, typed full-width */
  assert.equal(identNormalize(wide('11010519491231002X')), '11010519491231002X');
  assert.equal(identNormalize(wide('91350100M000100Y43')), '91350100M000100Y43');
  assert.equal(identNormalize('admin'), null);
});

describe('identity numbers as typed (GB 11643-1999): the page and the API agree', () => {
  let srv;
  before(async () => {
    srv = await fixtureServer();
  });
  after(() => srv?.close());

  test('a full-width number registers, is stored in ASCII and logs in however typed', async () => {
    const id = idEndingInX('19860203', 100);
    const typed = wide(id.toLowerCase());
    assert.equal(pageSaysId(typed), id, 'the page accepts it');
    const r = await srv.api('POST', REGISTER, { body: person(typed, { name: '全角号' }) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.login, id);
    assert.equal(r.json.account.profile.id_number, id);
    assert.equal(r.json.account.profile.birth_date, '1986-02-03');
    for (const login of [typed, ` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()} `, id]) {
      const t = await srv.login(login, APPLICANT_PASSWORD);
      const me = await srv.api('GET', '/api/v1/me', { token: t });
      assert.equal(me.json.account.login, id, `logged in as ${JSON.stringify(login)}`);
    }
    /* the same number typed another way is the same account */
    assertError(await srv.api('POST', REGISTER, { body: person(` ${id} `) }), 409, 'conflict', 'id_number');
  });

  test('residence permits of Hong Kong (810000), Macao (820000) and Taiwan (830000) residents register', async () => {
    for (const [region, name] of [['810000', '香港居民'], ['820000', '澳门居民'], ['830000', '台湾居民']]) {
      const id = anyId(region, '19900101', 21);
      assert.equal(pageSaysId(id), id, `the page accepts ${region}`);
      const r = await srv.api('POST', REGISTER, { body: person(id, { name }) });
      assert.equal(r.status, 201, `${region}: ${r.text}`);
      assert.equal(r.json.account.profile.region, region);
      assert.equal(r.json.account.profile.sex, 'M');
    }
    /* 83 is no GB/T 2260 province: only 830000 itself */
    const bad = anyId('830100', '19900101', 21);
    assert.equal(pageSaysId(bad), 'invalid_id_region');
    assertError(await srv.api('POST', REGISTER, { body: person(bad) }), 422, 'invalid_id_region', 'id_number');
  });

  const rows = [
    ['blanks between the groups', ((a) => ` ${a.slice(0, 6)} ${a.slice(6, 14)} ${a.slice(14)} `)(idNumber('19850615', 123))],
    ['ideographic spaces', `\u3000${idNumber('19850615', 125)}\u3000`],
    ['a tab, a no-break space and a newline', `\t${idNumber('19850615', 127).slice(0, 6)}\u00a0${idNumber('19850615', 127).slice(6)}\n`],
    ['full-width digits, half-width blanks', ((a) => `${wide(a.slice(0, 6))} ${wide(a.slice(6))}`)(idNumber('19850615', 129))],
    ['a circled digit', `\u2462${idNumber('19850615', 131).slice(1)}`],
    ['the Roman numeral ten for X', `${idEndingInX('19850615', 133).slice(0, 17)}\u2169`],
    ['a hyphen (not removed from ID numbers)', `${idNumber('19850615', 135).slice(0, 6)}-${idNumber('19850615', 135).slice(6)}`],
    ['17 full-width digits', wide(idNumber('19850615', 137).slice(0, 17))],
    ['a full-width hyphen', `${idNumber('19850615', 139).slice(0, 17)}\uff0d`],
  ];
  for (const [what, typed] of rows) {
    test(`${what}: the same answer on the page and by the API`, async () => {
      const page = pageSaysId(typed);
      const server = await serverSays(srv, person(typed), 'id_number');
      assert.equal(server, page, `${JSON.stringify(typed)}: the page says ${page}, the server ${server}`);
    });
  }
});

describe('credit codes as typed (GB 32100-2015), and look-ups by a typed identifier', () => {
  let srv, clerk, alice;
  before(async () => {
    srv = await fixtureServer();
    clerk = await srv.login('clerk');
    alice = await registerPerson(srv, '林小文', '19880312', 101);
  });
  after(() => srv?.close());

  test('a credit code typed in groups, full-width, lower case registers in its ASCII form; so does the representative', async () => {
    const code = uscc(20000001);
    const rep = idEndingInX('19660101', 31);
    const typed = `${wide(code.slice(0, 2))}-${code.slice(2, 8)}\u3000${code.slice(8, 17).toLowerCase()}\u2014${code[17]}`;
    assert.equal(pageSaysUscc(typed), code, 'the page accepts it');
    const r = await srv.api('POST', REGISTER, { body: company(typed, { legal_rep_id: wide(rep.toLowerCase()) }) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.account.login, code);
    assert.equal(r.json.account.profile.uscc, code);
    assert.equal(r.json.account.profile.legal_rep_id, rep);
    const t = await srv.login(`${code.slice(0, 8)}-${code.slice(8)}`, APPLICANT_PASSWORD);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: t })).json.account.login, code);
  });

  const rows = [
    ['blanks and hyphens', (c) => ` ${c.slice(0, 2)} ${c.slice(2, 8)}-${c.slice(8)} `],
    ['full-width', (c) => wide(c)],
    ['a minus sign and a full-width hyphen', (c) => `${c.slice(0, 8)}\u2212${c.slice(8, 12)}\uff0d${c.slice(12)}`],
    ['a full stop', (c) => `${c.slice(0, 8)}.${c.slice(9)}`],
    ['a circled digit', (c) => `\u2468${c.slice(1)}`],
    ['an underscore', (c) => `${c.slice(0, 8)}_${c.slice(8, 17)}`],
  ];
  rows.forEach(([what, typing], i) => {
    test(`${what}: the same answer on the page and by the API`, async () => {
      const typed = typing(uscc(20000010 + i));
      const page = pageSaysUscc(typed);
      const server = await serverSays(srv, company(typed), 'uscc');
      assert.equal(server, page, `${JSON.stringify(typed)}: the page says ${page}, the server ${server}`);
    });
  });

  test('staff find an applicant by a full-width ID number', async () => {
    const r = await srv.api('GET', `/api/v1/accounts?q=${encodeURIComponent(wide(alice.id_number))}`, { token: clerk });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((a) => a.id), [alice.id]);
  });

  test('an id_number form field is stored in ASCII; the public status query takes the number as typed', async () => {
    const spouse = idEndingInX('19900101', 124);
    const r = await srv.api('POST', '/api/v1/cases', {
      token: alice.token,
      body: {
        item_code: 'T-RSJ-SUBSIDY',
        form: { start_date: '2026-03-01', months: 6, category: '灵活就业人员', phone: '13912345678', spouse_id: ` ${wide(spouse.toLowerCase())} ` },
      },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.form.spouse_id, spouse);
    const got = await srv.api('GET', `/api/v1/cases/${r.json.case_no}`, { token: alice.token });
    assert.equal(got.json.form.spouse_id, spouse);
    const typed = `${wide(alice.id_number.slice(0, 6))} ${alice.id_number.slice(6).toLowerCase()}`;
    const q = await srv.api('GET', `/api/v1/public/case-status?case_no=${r.json.case_no}&id_number=${encodeURIComponent(typed)}`);
    assert.equal(q.status, 200, q.text);
    assert.equal(q.json.case_no, r.json.case_no);
  });
});

describe('licenses: a holder and a field typed any way are issued, signed and found in their ASCII form', () => {
  let srv, reviewer;
  const code = uscc(30000001);
  before(async () => {
    srv = await startServer();
    reviewer = await srv.login('reviewer'); /* XH-SCJ issues the 营业执照 (LT-001) */
    const r = await srv.api('POST', REGISTER, { body: company(code, { name: '上海全角测试有限公司' }) });
    assert.equal(r.status, 201, r.text);
  });
  after(() => srv?.close());

  test('holder_ident and a uscc field typed full-width and in groups', async () => {
    const typed = `${wide(code.slice(0, 8))}-${code.slice(8).toLowerCase()}`;
    let r = await srv.api('POST', '/api/v1/licenses', {
      token: reviewer,
      body: {
        type: 'LT-001', holder_ident: typed, holder_name: '上海全角测试有限公司',
        fields: { name: '上海全角测试有限公司', uscc: ` ${typed} `, legal_rep: '陈立', established: '2019-03-01' },
      },
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    assert.equal(r.json.holder.ident, code);
    assert.equal(r.json.fields.uscc, code, 'the field is signed in its normalized form');
    assert.equal(r.json.document.license.fields.uscc, code);
    const v = await srv.api('POST', '/api/v1/licenses/verify', { body: { document: r.json.document } });
    assert.equal(v.json.valid, true, v.text);
    r = await srv.api('GET', `/api/v1/licenses?holder=${encodeURIComponent(wide(code))}`, { token: reviewer });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((l) => l.id), [id]);
  });
});
