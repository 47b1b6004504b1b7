// licenses_jcs.test.js - license documents checked by an implementation that
// shares no code with ywtb, written from docs/LICENSES.md alone: RFC 8785 (JCS)
// as the RFC writes it in JavaScript, SM2 with SM3 and the distinguishing ID
// from the npm package sm-crypto, the public key taken out of the PEM that
// GET /api/v1/keys publishes.
//
//  - documents ywtb issues verify there, including fields with characters that
//    need escaping or care (quotes, backslash, Chinese, an emoji outside the
//    BMP, U+2028, '/');
//  - documents signed there (sm-crypto, RFC 8785 form, canon "jcs") verify in
//    `ywtb verify license` - with a control character in a field, which is
//    where the form before RFC 8785 (jansson's \u001F) and RFC 8785 (\u001f)
//    differ: a ywtb that verified in the old form fails this test;
//  - documents in the old form (no canon) still verify in ywtb, and the
//    independent verifier shows why the old form had to go;
//  - a signature claiming another alg, distid or canon is refused;
//  - the worked example of docs/LICENSES.md is true to the letter;
//  - at issue: no control characters in a field or the holder's name (from a
//    case form on approval, line breaks and tabs become spaces), and a holder
//    with an account is named as the account is.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import smCrypto from 'sm-crypto';
import { startServer, cli, tempDir, REPO } from './harness.js';
import { pdf } from './file_fixtures.js';

const { sm2 } = smCrypto;

const COMPANY = '91310104MA1FL8XQ10';
const COMPANY_NAME = '上海徐汇示范科技有限公司';
const COMPANY2 = '91310104100000016R'; /* valid, not registered */
const CITIZEN = '310104199003072013';
const CITIZEN_NAME = '张小明';
const SCJ_USCC = '113101044259256669';
const LT001_CODE = '113101044259256669001';
const DISTID = '1234567812345678';

/* Text that needs escaping or care in every canonical form. */
const TRICKY = '他说："你好\\世界" 😀 a/b\u2028end\u2029 \u007f';

/* ---- the independent verifier, from docs/LICENSES.md ---- */

/**
 * RFC 8785: literals and numbers as ECMAScript writes them, strings as
 * JSON.stringify quotes them (RFC 8785 §3.2.2.2 is that algorithm), object
 * members sorted by their names as UTF-16 code units - which is what
 * Array.prototype.sort does with no comparator - arrays in order, no white space.
 */
function jcs(v) {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('not a JSON number');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`;
}

/** The form of documents signed before RFC 8785 (jansson, JSON_SORT_KEYS|JSON_COMPACT): control characters as \u00XX in upper case. */
function jansson(v) {
  if (typeof v === 'string') {
    return `"${[...v].map((ch) => {
      const c = ch.codePointAt(0);
      if (ch === '"') return '\\"';
      if (ch === '\\') return '\\\\';
      const short = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[c];
      if (short) return short;
      if (c < 0x20) return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
      return ch;
    }).join('')}"`;
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jansson).join(',')}]`;
  const byUtf8 = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return `{${Object.keys(v).sort(byUtf8).map((k) => `${jansson(k)}:${jansson(v[k])}`).join(',')}}`;
}

/** DER reader enough for a SubjectPublicKeyInfo: [tag, contents, rest]. */
function tlv(buf) {
  const tag = buf[0];
  let len = buf[1], off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i];
    off = 2 + n;
  }
  return [tag, buf.subarray(off, off + len), buf.subarray(off + len)];
}
const ID_EC_PUBLIC_KEY = '06072a8648ce3d0201'; /* 1.2.840.10045.2.1 */
const CURVE_SM2 = '06082a811ccf5501822d'; /* 1.2.156.10197.1.301 */
/** The public key point 04||X||Y (hex) of an SM2 public key PEM (SubjectPublicKeyInfo). */
function sm2Point(pem) {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const [t0, spki] = tlv(der);
  assert.equal(t0, 0x30);
  const [t1, alg, rest] = tlv(spki);
  assert.equal(t1, 0x30);
  assert.equal(alg.toString('hex'), ID_EC_PUBLIC_KEY + CURVE_SM2, 'id-ecPublicKey on the SM2 curve');
  const [t2, bits] = tlv(rest);
  assert.equal(t2, 0x03);
  assert.equal(bits[0], 0, 'no unused bits');
  assert.equal(bits.length, 66);
  assert.equal(bits[1], 4, 'an uncompressed point');
  return bits.subarray(1).toString('hex');
}
/** The PEM of a point, the same way round (what ywtb publishes for its keys). */
function pemOf(pointHex) {
  const der = Buffer.concat([Buffer.from(`3059301306${ID_EC_PUBLIC_KEY.slice(2)}${CURVE_SM2}034200`, 'hex'), Buffer.from(pointHex, 'hex')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/**
 * Verify a license document with the published keys: ywtb's alg and distid,
 * the canonical form the signature names ("jcs", or none: the old form), and
 * SM2-SM3 with the distinguishing ID over those bytes.  `form` forces a form.
 */
function independentVerify(doc, keys, form) {
  const sig = doc.signature;
  if (sig.alg !== 'SM2-SM3' || sig.distid !== DISTID) return false;
  const key = keys[sig.key_id];
  if (!key || key.dept !== doc.license.issuer.dept) return false;
  const bytes = (form ?? (sig.canon === 'jcs' ? jcs : jansson))(doc.license);
  const sigHex = Buffer.from(sig.value, 'base64').toString('hex');
  return sm2.doVerifySignature(bytes, sigHex, sm2Point(key.public_pem), { der: true, hash: true, userId: sig.distid });
}

/** ISO/IEC 7064 MOD 37,36 (GB/T 36904 check character). */
function mod3736(s) {
  let p = 36;
  for (const ch of s) {
    let t = (p + parseInt(ch, 36)) % 36;
    if (t === 0) t = 36;
    p = (2 * t) % 37;
  }
  return ((37 - p) % 36).toString(36).toUpperCase();
}

describe('licenses: the canonical form (RFC 8785) and an independent verifier (sm-crypto)', () => {
  let srv, reviewer, revRsj, work, keys;
  const post = (token, p, body) => srv.api('POST', p, { token, body: body ?? {} });
  const get = (token, p) => srv.api('GET', p, { token });
  const verifyOnline = (document) => srv.api('POST', '/api/v1/licenses/verify', { body: { document } });
  const file = (name, content) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const verifyCli = (...args) => cli(['verify', 'license', ...args], { cwd: work });
  async function issue(token, body) {
    const r = await post(token, '/api/v1/licenses', body);
    assert.equal(r.status, 201, r.text);
    return r.json.document;
  }

  before(async () => {
    srv = await startServer();
    work = tempDir('ywtb-lic-jcs-');
    reviewer = await srv.login('reviewer');
    revRsj = await srv.login('rev.rsj');
  });
  after(async () => {
    await srv?.close();
    if (work && !process.env.YWTB_TEST_KEEP) fs.rmSync(work, { recursive: true, force: true });
  });

  test('freshly issued documents verify with sm-crypto over the RFC 8785 bytes, tricky text included', async () => {
    const docs = [
      await issue(reviewer, {
        type: 'LT-001', holder_ident: COMPANY, holder_name: COMPANY_NAME,
        fields: { name: COMPANY_NAME, uscc: COMPANY, legal_rep: '张小明', business_scope: TRICKY, address: '徐汇区"漕溪北路"\\88号', registered_capital: '100' },
      }),
      await issue(reviewer, { type: 'LT-002', holder_ident: COMPANY2, holder_name: '上海"测试"二号\\有限公司😀\u2028', valid_from: '2026-01-01' }),
      await issue(revRsj, { type: 'LT-014', holder_ident: CITIZEN, holder_name: CITIZEN_NAME, fields: { name: CITIZEN_NAME, id_number: CITIZEN, card_no: 'SH/0001😀' } }),
    ];
    const published = (await srv.api('GET', '/api/v1/keys')).json;
    assert.equal(published.distid, DISTID);
    keys = published.keys;
    for (const doc of docs) {
      assert.deepEqual(Object.keys(doc.signature).sort(), ['alg', 'canon', 'distid', 'key_id', 'value']);
      assert.equal(doc.signature.alg, 'SM2-SM3');
      assert.equal(doc.signature.distid, DISTID);
      assert.equal(doc.signature.canon, 'jcs');
      assert.ok(keys[doc.signature.key_id], 'the key is published');
      assert.equal(independentVerify(doc, keys), true, `sm-crypto verifies ${doc.license.id} over ${jcs(doc.license)}`);
      // with another distinguishing ID, or the content changed, it does not
      assert.equal(sm2.doVerifySignature(jcs(doc.license), Buffer.from(doc.signature.value, 'base64').toString('hex'),
        sm2Point(keys[doc.signature.key_id].public_pem), { der: true, hash: true, userId: '1234567812345679' }), false);
      assert.equal(independentVerify({ ...doc, license: { ...doc.license, type_name: `${doc.license.type_name}X` } }, keys), false);
      // and ywtb agrees, online and offline
      const v = await verifyOnline(doc);
      assert.equal(v.json.valid, true, v.text);
    }
    assert.equal(docs[0].license.fields.business_scope, TRICKY, 'the text is signed as given');
    assert.ok(jcs(docs[0].license).includes('\u2028'), 'U+2028 is not escaped');
    assert.ok(jcs(docs[0].license).includes('😀'), 'nor characters outside the BMP');
    const keysPath = file('keys.json', published);
    const paths = docs.map((d, i) => file(`issued-${i}.json`, d));
    const r = verifyCli(...paths, '--keys', keysPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 of 3 documents valid/);
  });

  test('documents signed by sm-crypto in the RFC 8785 form verify in ywtb, a control character included; the old form verifies too', () => {
    const pair = sm2.generateKeyPairHex();
    const keyId = 'f00dfacef00dface';
    assert.equal(pemOf(pair.publicKey).length > 0 && sm2Point(pemOf(pair.publicKey)), pair.publicKey, 'the PEM round trip');
    // the published PEM has exactly this layout: the same 27 bytes before the point
    const theirs = Buffer.from(keys[Object.keys(keys)[0]].public_pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64');
    assert.equal(theirs.subarray(0, 27).toString('hex'), Buffer.from(pemOf(pair.publicKey).replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64').subarray(0, 27).toString('hex'));
    const ourKeys = { [keyId]: { dept: 'XH-SCJ', dept_name: '上海市徐汇区市场监督管理局', issuer_uscc: SCJ_USCC, algorithm: 'SM2-SM3', public_pem: pemOf(pair.publicKey), status: 'active' } };
    const keysPath = file('our-keys.json', { distid: DISTID, keys: ourKeys });
    const serial = '2026999001';
    const body = `${LT001_CODE}${SCJ_USCC}${serial}001`;
    const license = {
      id: `1.2.156.3005.2.${LT001_CODE}.${SCJ_USCC}.${serial}.001.${mod3736(body)}`,
      type: 'LT-001', type_code: LT001_CODE, type_name: '营业执照',
      issuer: { dept: 'XH-SCJ', name: '上海市徐汇区市场监督管理局', uscc: SCJ_USCC },
      holder: { kind: 'enterprise', ident: COMPANY2, name: '上海测试二号有限公司' },
      fields: { name: '上海测试二号有限公司', business_scope: `一\u001f二\u0001三\t四\n${TRICKY}` },
      issued_at: '2026-01-01T00:00:00.000Z', valid_from: '2026-01-01', valid_until: '', version: 1, key_id: keyId,
    };
    assert.notEqual(jcs(license), jansson(license), 'the forms differ on a control character');
    assert.ok(jcs(license).includes('\\u001f') && jansson(license).includes('\\u001F'));
    const sign = (bytes) => Buffer.from(sm2.doSignature(bytes, pair.privateKey, { der: true, hash: true, publicKey: pair.publicKey, userId: DISTID }), 'hex').toString('base64');
    const jcsDoc = { license, signature: { alg: 'SM2-SM3', key_id: keyId, distid: DISTID, canon: 'jcs', value: sign(jcs(license)) } };
    const oldDoc = { license, signature: { alg: 'SM2-SM3', key_id: keyId, distid: DISTID, value: sign(jansson(license)) } };
    assert.equal(independentVerify(jcsDoc, ourKeys), true);

    // ywtb verifies the RFC 8785 document: a verifier still on the old form would not
    let r = verifyCli(file('jcs.json', jcsDoc), '--keys', keysPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: .*\(ok; status unknown\)/);
    // ... and documents signed before RFC 8785 (no canon) in their own form
    r = verifyCli(file('old.json', oldDoc), '--keys', keysPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: /);
    // why the old form had to go: a verifier written from a spec in RFC 8785's
    // terms cannot check the old document, and no single form checks both
    assert.equal(independentVerify(oldDoc, ourKeys, jcs), false);
    assert.equal(independentVerify(jcsDoc, ourKeys, jansson), false);
    // a document cannot switch forms: each signature covers its own bytes only
    const swapped = [
      { ...oldDoc, signature: { ...oldDoc.signature, canon: 'jcs' } },
      { ...jcsDoc, signature: { ...jcsDoc.signature, canon: undefined } },
    ];
    r = verifyCli(...swapped.map((d, i) => file(`swapped-${i}.json`, JSON.parse(JSON.stringify(d)))), '--keys', keysPath);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /0 of 2 documents valid/);
    assert.equal((r.stdout.match(/INVALID: .*bad_signature/g) || []).length, 2, r.stdout);
  });

  test('a signature claiming another alg, distid or canonical form is invalid, online and offline', async () => {
    const doc = await issue(reviewer, { type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司' });
    const keysPath = file('keys-now.json', (await srv.api('GET', '/api/v1/keys')).json);
    assert.equal((await verifyOnline(doc)).json.valid, true);
    const cases = [
      [(s) => { s.distid = '1234567812345679'; }, 'bad_signature', /distinguishing ID '1234567812345679'/],
      [(s) => { s.distid = ''; }, 'bad_signature', /distinguishing ID/],
      [(s) => { delete s.distid; }, 'bad_signature', /distinguishing ID/],
      [(s) => { s.distid = 1234567812345678; }, 'bad_signature', /distinguishing ID/],
      [(s) => { s.alg = 'SM2'; }, 'bad_signature', /algorithm is 'SM2'/],
      [(s) => { s.alg = 'ECDSA-SHA256'; }, 'bad_signature', /algorithm/],
      [(s) => { delete s.alg; }, 'bad_signature', /algorithm/],
      [(s) => { s.canon = 'jcs2'; }, 'malformed', /canonical form 'jcs2'/],
      [(s) => { s.canon = null; }, 'malformed', /canonical form/],
    ];
    for (const [change, code, reason] of cases) {
      const d = structuredClone(doc);
      change(d.signature);
      const v = await verifyOnline(d);
      assert.equal(v.status, 200, v.text);
      assert.equal(v.json.valid, false, `${change}: ${v.text}`);
      assert.equal(v.json.code, code, `${change}: ${v.text}`);
      assert.match(v.json.reason, reason, `${change}: ${v.text}`);
      const r = verifyCli(file('changed.json', d), '--keys', keysPath);
      assert.equal(r.code, 1, `${change}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^INVALID: .*\\(${code}; `), `${change}: ${r.stdout}`);
    }
  });

  test('the worked example of docs/LICENSES.md holds: canonical bytes, SM3, signature, and ywtb verify license', () => {
    const page = fs.readFileSync(path.join(REPO, 'docs', 'LICENSES.md'), 'utf8');
    const block = (name) => {
      const m = new RegExp(`<!-- example:${name} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
      assert.ok(m, `docs/LICENSES.md has the example block ${name}`);
      return m[1];
    };
    const doc = JSON.parse(block('document'));
    const pem = `${block('key')}\n`;
    const canonical = block('canonical');
    const sm3 = /<!-- example:sm3 -->`([0-9a-f]{64})`/.exec(page)[1];
    assert.equal(jcs(doc.license), canonical);
    assert.equal(Buffer.byteLength(canonical), 668);
    assert.equal(smCrypto.sm3(canonical), sm3);
    const exampleKeys = { [doc.signature.key_id]: { dept: 'XH-SCJ', issuer_uscc: SCJ_USCC, public_pem: pem } };
    assert.equal(independentVerify(doc, exampleKeys), true);
    const r = verifyCli(file('example.json', doc), '--keys', file('example-keys.json', exampleKeys));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^VALID: /);
  });

  test('at issue: control characters in a field or the holder\'s name are refused, naming the field', async () => {
    const base = { type: 'LT-001', holder_ident: COMPANY2, holder_name: '上海测试二号有限公司' };
    const bad = [
      [{ fields: { business_scope: '软件开发\n技术服务' } }, 'fields.business_scope'],
      [{ fields: { name: '上海测试二号有限公司', address: '徐汇区\t1号' } }, 'fields.address'],
      [{ fields: { legal_rep: '王\u001f五' } }, 'fields.legal_rep'],
      [{ fields: { legal_rep: '\u0001' } }, 'fields.legal_rep'],
      [{ holder_name: '上海测试二号\r有限公司' }, 'holder_name'],
      [{ holder_name: '上海测试二号有限公司\u001b' }, 'holder_name'],
    ];
    const before = (await get(reviewer, `/api/v1/licenses?holder=${COMPANY2}&limit=200`)).json.items.length;
    for (const [change, field] of bad) {
      const r = await post(reviewer, '/api/v1/licenses', { ...base, ...change });
      assert.equal(r.status, 422, `${JSON.stringify(change)}: ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_field', r.text);
      assert.equal(r.json.error.field, field, r.text);
      assert.match(r.json.error.message, /control characters/, r.text);
    }
    // a NUL never gets as far: the JSON parser refuses it
    const nul = await srv.api('POST', '/api/v1/licenses', { token: reviewer, raw: `{"type":"LT-001","holder_ident":"${COMPANY2}","holder_name":"a\\u0000b"}`, contentType: 'application/json' });
    assert.equal(nul.status, 400, nul.text);
    // DEL, U+2028 and the rest are text
    await issue(reviewer, { ...base, fields: { legal_rep: '王\u007f五\u2028' } });
    assert.equal((await get(reviewer, `/api/v1/licenses?holder=${COMPANY2}&limit=200`)).json.items.length, before + 1);
  });

  test('issued on approval: a case form\'s line breaks and tabs become spaces in the license, which verifies independently', async () => {
    const company = await srv.login(COMPANY);
    const clerk = await srv.login('clerk');
    const item = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    const values = {
      proposed_name: '上海徐汇换行科技有限公司', company_type: '有限责任公司', registered_capital: 500,
      address: '上海市徐汇区\r\n虹桥路1号', business_scope: '软件开发\n技术服务\t咨询\u0007', legal_rep_name: CITIZEN_NAME, legal_rep_id: CITIZEN,
    };
    const form = {};
    for (const f of item.form) {
      if (values[f.key] !== undefined) form[f.key] = values[f.key];
      else if (f.required && !f.prefill) form[f.key] = f.type === 'choice' ? f.options[0] : f.type === 'date' ? '2026-01-01' : `测试${f.key}`;
    }
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required')) {
      const boundary = '----ywtbJcs';
      const raw = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        pdf(`${m.code} ${Math.random()}`), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const up = await srv.api('POST', '/api/v1/files', { raw, token: company, contentType: `multipart/form-data; boundary=${boundary}` });
      assert.equal(up.status, 201, up.text);
      materials.push({ material_code: m.code, file_id: up.json.file_id });
    }
    let r = await post(company, '/api/v1/cases', { item_code: 'SCJ-01-0001', form, materials });
    assert.equal(r.status, 201, r.text);
    const caseNo = r.json.case_no;
    r = await post(clerk, `/api/v1/cases/${caseNo}/accept`, { note: '材料齐全' });
    assert.equal(r.status, 200, r.text);
    const task = r.json.tasks.find((t) => t.dept === 'XH-SCJ' && t.status === 'pending');
    r = await post(reviewer, `/api/v1/tasks/${task.id}/decide`, { decision: 'approve', opinion: '准予' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'approved');
    const lic = (await get(company, '/api/v1/licenses?limit=200')).json.items.find((l) => l.source === caseNo);
    assert.ok(lic, 'the license of the case is in the wallet');
    assert.equal(lic.fields.business_scope, '软件开发 技术服务 咨询');
    assert.equal(lic.fields.address, '上海市徐汇区  虹桥路1号');
    const doc = (await get(company, `/api/v1/licenses/${lic.id}/document`)).json;
    assert.equal(independentVerify(doc, (await srv.api('GET', '/api/v1/keys')).json.keys), true);
  });

  test('at issue: a holder with an account is named as the account is; one without is named as given', async () => {
    let r = await post(reviewer, '/api/v1/licenses', { type: 'LT-001', holder_ident: COMPANY, holder_name: '上海徐汇示范科技公司' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'invalid_field');
    assert.equal(r.json.error.field, 'holder_name');
    assert.match(r.json.error.message, /not the name of the account/);
    assert.doesNotMatch(r.json.error.message, new RegExp(COMPANY_NAME), 'the account\'s name is not told');
    // typed otherwise (lower case), the credit code finds the same account
    r = await post(reviewer, '/api/v1/licenses', { type: 'LT-001', holder_ident: COMPANY.toLowerCase(), holder_name: `${COMPANY_NAME} ` });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'holder_name');
    r = await post(revRsj, '/api/v1/licenses', { type: 'LT-014', holder_ident: CITIZEN, holder_name: '张晓明', fields: { card_no: 'SH0002' } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'holder_name');
    // the account's own names pass
    await issue(reviewer, { type: 'LT-001', holder_ident: COMPANY.toLowerCase(), holder_name: COMPANY_NAME });
    await issue(revRsj, { type: 'LT-014', holder_ident: CITIZEN, holder_name: CITIZEN_NAME, fields: { card_no: 'SH0003' } });
    // a holder who never registered is named as the issuer says
    await issue(reviewer, { type: 'LT-001', holder_ident: COMPANY2, holder_name: '任何名称有限公司' });
  });
});
