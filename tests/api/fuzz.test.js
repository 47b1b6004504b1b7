// fuzz.test.js - a schema-driven fuzzer over the OpenAPI document the server
// serves (GET /api/v1/openapi.json).  For every operation it generates bodies
// from the request schemas, valid and mutated (wrong types, missing required
// and unknown fields, huge strings, deep nesting, odd UTF-8 sent as raw bytes -
// overlong, surrogates, truncated - Chinese text, NUL), odd path parameters
// (Chinese, percent-encoded, NUL, very long), odd query strings and headers,
// and sends them as nobody, a citizen, a company and every staff role, over
// raw sockets so the bytes reach the server exactly as generated.
//
// Every answer must be a response (no reset, no hang: a per-request timeout),
// never a 5xx, with a JSON body that parses as valid UTF-8 where the content
// type says JSON, and errors of the shape {"error":{"code","message"}}.  The
// server must still be ready at the end, and its log free of sanitizer
// reports (harness.js checks that at close() for the asan build).
//
// Deterministic: the requests come from a seeded PRNG (no Math.random), so a
// failure names its request number and the seed reproduces it.
//   YWTB_FUZZ_REQUESTS  how many requests (default 2000: about 10 s on one engine
//                       here, 40 s against the ASan build)
//   YWTB_FUZZ_SEED      the PRNG seed (default 16)
//   YWTB_FUZZ_TIMEOUT   per-request timeout in ms (default 30000)
//   YWTB_FUZZ_ONLY=N    send only request number N (to replay a failure)
//   YWTB_FUZZ_SCHEMA=1  also fail when a 2xx body does not match its documented
//                       schema or an error code is not in the Error enum
//                       (reported as diagnostics otherwise)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE } from './harness.js';
import { buildWorld, session, CITIZEN, COMPANY, fillForm } from './world.js';
import { rawRequest } from './rawhttp.js';

const REQUESTS = Number(process.env.YWTB_FUZZ_REQUESTS || 2000);
const SEED = Number(process.env.YWTB_FUZZ_SEED || 16);
const TIMEOUT = Number(process.env.YWTB_FUZZ_TIMEOUT || 30000);
const STRICT_SCHEMA = process.env.YWTB_FUZZ_SCHEMA === '1';
const ONLY = process.env.YWTB_FUZZ_ONLY ? Number(process.env.YWTB_FUZZ_ONLY) : null;
const CONCURRENCY = 4;

/* ---- a deterministic PRNG (sfc32 seeded through splitmix32) ---- */
function prng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
  return r;
}

/* ---- values ---- */
const CHINESE = ['测试', '上海市徐汇区漕溪北路88号', '营业执照', '张小明', '中华人民共和国', '𠀀𠀁𠀂', '龘', '〇一二三'];
const ODD_TEXT = [
  '', ' ', 'a', 'x'.repeat(1001), '测'.repeat(1001), '\u0000', 'a\u0000b', '\u202e\u202d', '\ufeff', '\ud83d\ude00',
  '<script>alert(1)</script>', "' OR 1=1 --", '%s%n%x', '../../etc/passwd', '\r\nSet-Cookie: x=y', '\\', '"',
  '１２３４５', '０９１３', '310104199003072013 ', '   ', '\t\n', 'NaN', 'null', '{}', '[]', '\u001f', '\u007f\u0080\u009f',
];
const NOTICE_KINDS = ['receipt.pdf', 'acceptance.pdf', 'supplement.pdf', 'not_accepted.pdf', 'decision.pdf', 'x.pdf', 'receipt'];

/* Bytes that are not UTF-8 (sent raw inside a JSON string, a path or a query). */
const BAD_UTF8 = [
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong, 3 bytes
  [0xf0, 0x80, 0x80, 0xaf], // overlong, 4 bytes
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // a surrogate
  [0xed, 0xbf, 0xbf], // a surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf5, 0x80, 0x80, 0x80], // never valid
  [0xff], [0xfe], [0x80], [0xbf], // lone bytes
  [0xe4, 0xb8], // a cut '中'
  [0xe4], // a cut '中'
];
const badUtf8 = (rng) => Buffer.from(rng.pick(BAD_UTF8));

/* ---- the OpenAPI document: $ref, allOf ---- */
function resolver(doc) {
  const seen = new Map();
  function resolve(s, depth = 0) {
    if (!s || typeof s !== 'object' || depth > 20) return s || {};
    if (s.$ref) {
      if (seen.has(s.$ref)) return seen.get(s.$ref);
      const parts = s.$ref.replace(/^#\//, '').split('/');
      let t = doc;
      for (const p of parts) t = t?.[p];
      const r = resolve(t || {}, depth + 1);
      seen.set(s.$ref, r);
      return r;
    }
    if (Array.isArray(s.allOf)) {
      const out = { type: 'object', properties: {}, required: [] };
      for (const sub of s.allOf) {
        const r = resolve(sub, depth + 1);
        Object.assign(out.properties, r.properties || {});
        out.required.push(...(r.required || []));
        if (r.additionalProperties === false) out.additionalProperties = false;
      }
      return { ...s, ...out, allOf: undefined };
    }
    return s;
  }
  return resolve;
}

/* ---- the generator ---- */
class Gen {
  constructor(rng, doc, world, routes) {
    this.rng = rng;
    this.resolve = resolver(doc);
    this.w = world;
    this.routes = routes;
    this.userSeq = 0;
    const { ids, accounts } = world;
    this.hints = {
      item_code: ['SCJ-01-0001', 'SCJ-01-0023', 'T-NONE', ...world.itemCodes.slice(0, 5)],
      bundle_code: [...world.bundleCodes, 'B-NONE'],
      material_code: ['SCJ-01-0001-M01', 'SCJ-01-0001-M05', 'NOPE'],
      file_id: [ids.personFile, ids.companyFile, ids.personCaseFile, 'AAAAAAAAAAAAAAAAAAAAAAAA'],
      license_id: [ids.personLicense, ids.companyLicense],
      applicant_id: Object.values(accounts),
      on_behalf_of: [accounts.enterprise, accounts.enterprise2, 1],
      id_number: [CITIZEN, '11010519491231002X', '310104199003072014', '830000199001010012'],
      legal_rep_id: [CITIZEN],
      uscc: [COMPANY, '91350100M000100Y43'],
      holder_ident: [CITIZEN, COMPANY],
      holder_name: ['张小明', '上海徐汇示范科技有限公司'],
      login: [CITIZEN, 'nobody.here', COMPANY.toLowerCase()],
      password: ['Wrong#2026x', 'short'],
      old_password: ['Wrong#2026x', ''],
      new_password: ['Fuzz#2026abc', 'short'],
      phone: ['13912345678', '021-64872222', '+8613912345678'],
      dept: ['XH-SCJ', 'XH-SWJ', 'XH-NONE', 'xh-scj'],
      type: ['LT-001', 'LT-014', 'LT-999'],
      method: ['window', 'face'],
      valid_from: ['2026-01-01', '2026-02-30', '2026/01/01'],
      valid_until: ['', '2030-12-31', '2025-01-01'],
      case_no: [ids.companyCase, ids.personCase],
    };
  }

  string(schema, name) {
    const rng = this.rng;
    if (this.hints[name] && rng.chance(0.7)) return rng.pick(this.hints[name]);
    if (schema.format === 'date') return rng.pick(['2026-03-01', '2026-12-31', '1900-01-01']);
    if (schema.format === 'date-time') return '2026-03-01T08:00:00.000Z';
    if (name === 'username') return `fz.${SEED}.${++this.userSeq}`;
    if (schema.example !== undefined && rng.chance(0.3)) return String(schema.example);
    return rng.chance(0.6) ? rng.pick(CHINESE) : `fz${rng.int(0, 99999)}`;
  }

  /** A value valid for schema (as far as the schema says). */
  value(schema0, name = '', depth = 0) {
    const rng = this.rng;
    const schema = this.resolve(schema0);
    if (Array.isArray(schema.enum) && schema.enum.length) return rng.pick(schema.enum);
    if (schema.oneOf || schema.anyOf) return this.value(rng.pick(schema.oneOf || schema.anyOf), name, depth);
    if (name === 'document' && this.w.ids.companyLicenseDoc) return structuredClone(this.w.ids.companyLicenseDoc);
    if (name === 'form' && (!schema.properties || !Object.keys(schema.properties).length))
      return fillForm(this.w.scj0001, { legal_rep_id: CITIZEN });
    if (name === 'materials' && rng.chance(0.5))
      return [{ material_code: 'SCJ-01-0001-M01', file_id: rng.pick(this.hints.file_id) }];
    const type = schema.type || (schema.properties ? 'object' : schema.items ? 'array' : null);
    switch (type) {
      case 'string': return this.string(schema, name);
      case 'integer': {
        if (this.hints[name] && rng.chance(0.7)) return rng.pick(this.hints[name]);
        const lo = schema.minimum ?? 0, hi = schema.maximum ?? Math.max(lo, 100);
        return rng.int(lo, Math.min(hi, lo + 1000));
      }
      case 'number': return rng.chance(0.5) ? rng.int(0, 1000) : rng.int(0, 100000) / 100;
      case 'boolean': return rng.chance(0.5);
      case 'array': {
        if (depth > 4) return [];
        const n = rng.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3));
        return Array.from({ length: n }, () => this.value(schema.items || {}, name, depth + 1));
      }
      case 'object': {
        if (depth > 4) return {};
        const o = {};
        const req = new Set(schema.required || []);
        for (const [k, s] of Object.entries(schema.properties || {}))
          if (req.has(k) || rng.chance(0.5)) o[k] = this.value(s, k, depth + 1);
        return o;
      }
      default:
        return rng.pick([rng.pick(CHINESE), rng.int(0, 100), true, null]);
    }
  }

  /** A value of another JSON type than the schema's. */
  wrongType(schema0) {
    const schema = this.resolve(schema0);
    const t = schema.type || (schema.properties ? 'object' : 'string');
    const others = {
      string: [1, 1.5, true, [], {}, ['a'], -1],
      integer: ['1', 1.5, true, [], {}, 1e300, 9223372036854775808, -9223372036854775809, '１'],
      number: ['1', true, [], {}],
      boolean: ['true', 1, 0, [], {}],
      array: ['a', 1, {}, true],
      object: ['a', 1, [], true, [{}]],
    };
    return this.rng.pick(others[t] || ['a', 1, [], {}]);
  }

  deep(n, kind) {
    return kind === 'array' ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  }

  /**
   * A JSON body for an operation's schema: { body: Buffer, contentType, note }.
   */
  jsonBody(schema0) {
    const rng = this.rng;
    const schema = this.resolve(schema0);
    const ct = 'application/json';
    const valid = this.value(schema);
    const props = Object.keys(schema.properties || {});
    const required = schema.required || [];
    const obj = valid && typeof valid === 'object' && !Array.isArray(valid) ? valid : {};
    const text = (v) => Buffer.from(JSON.stringify(v), 'utf8');
    const some = () => (props.length ? rng.pick(props) : 'x');
    const r = rng.int(0, 21);
    switch (r) {
      case 0: case 1: case 2: case 3: case 4:
        return { body: text(valid), contentType: ct, note: 'valid' };
      case 5: { // wrong type
        const k = some();
        return { body: text({ ...obj, [k]: this.wrongType(schema.properties?.[k] || {}) }), contentType: ct, note: `wrong type ${k}` };
      }
      case 6: { // missing required
        const o = { ...obj };
        if (required.length) delete o[rng.pick(required)];
        else for (const k of Object.keys(o)) if (rng.chance(0.5)) delete o[k];
        return { body: text(o), contentType: ct, note: 'missing required' };
      }
      case 7: { // extra field
        const k = rng.pick(['extra', '__proto__', 'constructor', '额外字段', 'a'.repeat(200), '', 'x\u0000y']);
        return { body: Buffer.from(JSON.stringify(obj).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(rng.pick(CHINESE))}${Object.keys(obj).length ? ',' : ''}`)), contentType: ct, note: `extra field ${k.slice(0, 20)}` };
      }
      case 8: { // a huge string in a field
        const k = some();
        const n = rng.pick([1001, 5000, 65536, 300000]);
        const s = rng.chance(0.5) ? '测'.repeat(n) : 'A'.repeat(n);
        return { body: text({ ...obj, [k]: s }), contentType: ct, note: `huge string ${k} (${n})` };
      }
      case 9: { // deep nesting, in a field or the whole body
        const n = rng.pick([100, 2000, 2100, 20000]);
        const kind = rng.pick(['array', 'object']);
        const k = some();
        const body = rng.chance(0.5) ? this.deep(n, kind)
          : JSON.stringify({ ...obj, [k]: null }).replace(/null\}$/, `${this.deep(n, kind)}}`);
        return { body: Buffer.from(body), contentType: ct, note: `deep ${kind} ${n}` };
      }
      case 10: { // invalid UTF-8 bytes inside a string
        const k = some();
        const s = JSON.stringify({ ...obj, [k]: 'BAD' });
        const i = s.lastIndexOf('BAD');
        return { body: Buffer.concat([Buffer.from(s.slice(0, i)), badUtf8(rng), Buffer.from(s.slice(i + 3))]), contentType: ct, note: `raw invalid UTF-8 in ${k}` };
      }
      case 11: { // invalid UTF-8 in a key, or the whole body
        const b = badUtf8(rng);
        return rng.chance(0.5)
          ? { body: Buffer.concat([Buffer.from('{"'), b, Buffer.from('":1}')]), contentType: ct, note: 'raw invalid UTF-8 key' }
          : { body: Buffer.concat([b, text(obj)]), contentType: ct, note: 'raw invalid UTF-8 before the body' };
      }
      case 12: { // NUL: escaped, and as a raw byte
        const k = some();
        return rng.chance(0.5)
          ? { body: text({ ...obj, [k]: `a\u0000${rng.pick(CHINESE)}` }), contentType: ct, note: `\\u0000 in ${k}` }
          : { body: Buffer.concat([text(obj).subarray(0, 1), Buffer.from([0]), text(obj).subarray(1)]), contentType: ct, note: 'raw NUL' };
      }
      case 13: { // odd but valid text in every string field
        const o = { ...obj };
        for (const k of props) o[k] = rng.pick(ODD_TEXT);
        return { body: text(o), contentType: ct, note: 'odd text everywhere' };
      }
      case 14: // not an object
        return { body: Buffer.from(rng.pick(['[]', 'null', '"x"', '1', 'true', '', ' ', '\ufeff{}', '{', '{"a":1', '{"a":1}}', '{}x', '{"a":1,}', "{'a':1}", 'NaN', '[1,2'])), contentType: ct, note: 'not an object' };
      case 15: { // duplicate key
        const k = some();
        return { body: Buffer.from(`{${JSON.stringify(k)}:1,${JSON.stringify(k)}:2}`), contentType: ct, note: 'duplicate key' };
      }
      case 16: { // number edges
        const k = some();
        const v = rng.pick(['1e400', '-0', '9223372036854775808', '-9223372036854775809', '1.5', '1e-400', '0.1e1', '-1', '00', '1E2']);
        return { body: Buffer.from(JSON.stringify({ ...obj, [k]: 0 }).replace(new RegExp(`${JSON.stringify(k).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:0`), `${JSON.stringify(k)}:${v}`)), contentType: ct, note: `number ${v} in ${k}` };
      }
      case 17: // the wrong content type
        return { body: text(valid), contentType: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'application/json\u0000']), note: 'content type' };
      case 18: { // unicode escapes
        const k = some();
        const v = rng.pick(['\\ud800', '\\udfff', '\\ud800\\u0041', '\\u0000', '\\uffff', '\\u202e', '\\ud83d\\ude00', '\\u00']);
        return { body: Buffer.from(JSON.stringify({ ...obj, [k]: 'U' }).replace('"U"', `"${v}"`)), contentType: ct, note: `escape ${v} in ${k}` };
      }
      case 19: { // many items or keys
        const k = some();
        const n = rng.pick([1001, 20000]);
        const v = rng.chance(0.5) ? Array.from({ length: n }, (_, i) => i) : Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
        return { body: text({ ...obj, [k]: v }), contentType: ct, note: `${n} items in ${k}` };
      }
      case 20: // nested valid values of the wrong shape in every field
        return { body: text(Object.fromEntries(props.map((k) => [k, this.wrongType(schema.properties[k])]))), contentType: ct, note: 'every field wrong' };
      default: { // Chinese everywhere, long
        const o = { ...obj };
        for (const k of props) o[k] = rng.pick(CHINESE).repeat(rng.int(1, 300));
        return { body: text(o), contentType: ct, note: 'Chinese everywhere' };
      }
    }
  }

  /** A multipart/form-data upload, valid or mangled. */
  multipart() {
    const rng = this.rng;
    const bd = rng.pick(['----fz', 'x', 'a'.repeat(70), '测试边界', '"quoted"']);
    const files = [
      Buffer.from('%PDF-1.4\n% fuzz\n%%EOF\n'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      Buffer.from('PK\x03\x04OFD.xml'),
      Buffer.from('<html><script>alert(1)</script>'),
      Buffer.from('%PDF-\x7fELF'),
      Buffer.alloc(0),
      Buffer.alloc(rng.pick([10, 70000]), 0x41),
    ];
    const data = rng.pick(files);
    const fname = rng.pick(['a.pdf', '营业执照.pdf', '../../x.pdf', 'a\u0000.pdf', 'x'.repeat(400), '', 'a";name="b']);
    const name = rng.pick(['file', 'file', 'file', 'other', '', 'FILE']);
    const part = (n, fn, d) => Buffer.concat([Buffer.from(`--${bd}\r\nContent-Disposition: form-data; name="${n}"; filename="${fn}"\r\nContent-Type: application/pdf\r\n\r\n`), d, Buffer.from('\r\n')]);
    const close = Buffer.from(`--${bd}--\r\n`);
    const ct = `multipart/form-data; boundary=${bd}`;
    switch (rng.int(0, 9)) {
      case 0: case 1: case 2: return { body: Buffer.concat([part(name, fname, data), close]), contentType: ct, note: 'upload' };
      case 3: return { body: Buffer.concat([part('file', 'a.pdf', data), close]), contentType: 'multipart/form-data', note: 'no boundary' };
      case 4: return { body: Buffer.concat([part('file', 'a.pdf', data)]), contentType: ct, note: 'not closed' };
      case 5: return { body: Buffer.from(`--${bd}\r\nContent-Disposition: form-data; name="file"\r\n`), contentType: ct, note: 'no end of headers' };
      case 6: return { body: Buffer.concat([...Array.from({ length: 200 }, (_, i) => part(`p${i}`, 'a', Buffer.from('x'))), part('file', 'a.pdf', data), close]), contentType: ct, note: 'many parts' };
      case 7: return { body: Buffer.concat([Buffer.from(`--${bd}\r\nContent-Disposition: form-data; name="file"; filename="`), badUtf8(rng), Buffer.from(`"\r\n\r\n`), data, Buffer.from(`\r\n--${bd}--\r\n`)]), contentType: ct, note: 'invalid UTF-8 file name' };
      case 8: return { body: data, contentType: rng.pick(['application/pdf', 'application/octet-stream', 'text/plain']), note: 'not multipart' };
      default: return { body: Buffer.concat([Buffer.from(`--${bd}\r\n`), Buffer.from(`Content-Disposition: form-data; name="file"; filename="a.pdf"\r\n${'X-Pad: '.padEnd(9000, 'p')}\r\n\r\n`), data, Buffer.from(`\r\n--${bd}--\r\n`)]), contentType: ct, note: 'long part header' };
    }
  }

  /** Valid values for a path parameter of a path. */
  paramValues(path, name) {
    const { ids, accounts } = this.w;
    if (name === 'case_no') return [ids.companyCase, ids.personCase, ids.personDraft];
    if (name === 'kind') return NOTICE_KINDS;
    if (name === 'dept') return ['XH-SCJ', 'XH-RSJ'];
    if (path.startsWith('/api/v1/files/')) return [ids.personFile, ids.companyFile, ids.personCaseFile];
    if (path.includes('/grants/') || path.startsWith('/api/v1/public/license-grants/')) return [ids.grant];
    if (path.includes('licenses/')) return [ids.companyLicense, ids.personLicense];
    if (path.startsWith('/api/v1/tasks/')) return [String(ids.task), '1', '2'];
    if (path.startsWith('/api/v1/accounts/')) return Object.values(accounts).map(String);
    if (path.startsWith('/api/v1/enterprise/agents/')) return [String(ids.agentId)];
    if (path.startsWith('/api/v1/items/')) return ['SCJ-01-0001', 'scj-01-0001', ...this.w.itemCodes.slice(0, 3)];
    if (path.startsWith('/api/v1/bundles/')) return this.w.bundleCodes;
    if (path.startsWith('/api/v1/license-types/')) return ['LT-001', 'LT-014'];
    return ['1'];
  }

  /** A path parameter: valid, or odd; as raw bytes for the request target. */
  param(path, name) {
    const rng = this.rng;
    if (rng.chance(0.65)) return Buffer.from(encodeURIComponent(rng.pick(this.paramValues(path, name))));
    const odd = [
      () => Buffer.from(encodeURIComponent(rng.pick(CHINESE).repeat(rng.int(1, 30)))), // percent-encoded Chinese
      () => Buffer.from(rng.pick(CHINESE).repeat(rng.int(1, 30)), 'utf8'), // raw UTF-8 in the target
      () => Buffer.from(rng.pick(['%00', 'a%00b', '%00.pdf', `${rng.pick(this.paramValues(path, name))}%00`])),
      () => Buffer.from(rng.pick(['%FF', '%C0%AF', '%ED%A0%80', '%E4%B8', '%F4%90%80%80', '%', '%%', '%G1', '%2', '%2F', '%2e%2e', '..', '.', '%20', '+'])),
      () => Buffer.concat([Buffer.from('a'), badUtf8(rng)]), // raw invalid bytes
      () => Buffer.from('9'.repeat(rng.pick([19, 20, 40]))),
      () => Buffer.from(rng.pick(['-1', '0', '1.5', '1e3', '0x10', ' 1', '00001', '-0'])),
      () => Buffer.from('A'.repeat(rng.pick([300, 5000, 60000]))), // very long
      () => Buffer.from(encodeURIComponent('测'.repeat(rng.pick([40, 41, 100, 3000])))),
      () => Buffer.from(encodeURIComponent(rng.pick(ODD_TEXT))),
      () => Buffer.from([0x41, 0x00, 0x42]), // a raw NUL in the request line
    ];
    return rng.pick(odd)();
  }

  /** A query string for the declared parameters, odd at times: raw bytes. */
  query(op) {
    const rng = this.rng;
    const declared = (op.parameters || []).map((p) => this.resolve(p)).filter((p) => p.in === 'query');
    const parts = [];
    for (const p of declared) {
      if (!rng.chance(0.5)) continue;
      const s = this.resolve(p.schema || {});
      let v;
      if (rng.chance(0.7)) {
        v = p.name === 'case_no' ? rng.pick([this.w.ids.companyCase, this.w.ids.personCase])
          : p.name === 'id_number' ? CITIZEN : p.name === 'uscc' ? COMPANY : p.name === 'cursor' ? rng.pick(['', 'abc', '2026-01-01.1'])
            : String(this.value(s, p.name));
        parts.push(Buffer.from(`${p.name}=${encodeURIComponent(v)}`));
      } else {
        parts.push(Buffer.concat([Buffer.from(`${p.name}=`), this.oddQueryValue()]));
      }
    }
    if (rng.chance(0.2)) parts.push(Buffer.concat([Buffer.from(rng.pick(['x', 'limit', '测试', '%00', '', 'a[]', 'limit'])), Buffer.from('='), this.oddQueryValue()]));
    if (rng.chance(0.05)) parts.push(Buffer.from(rng.pick(['&&&', '=', '==', 'a', '?', '#frag'])));
    return parts.length ? Buffer.concat([Buffer.from('?'), Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from('&'), p] : [p])))]) : Buffer.alloc(0);
  }

  oddQueryValue() {
    const rng = this.rng;
    return rng.pick([
      () => Buffer.from(rng.pick(['-1', '0', '1e9', 'abc', '99999999999999999999999', '1.5', '', '+', '%20', '%2B', '0x10'])),
      () => Buffer.from(rng.pick(['%FF', '%00', '%C0%AF', '%ED%A0%80', '%E4%B8', '%', '%G1', 'a%00b'])),
      () => Buffer.from(encodeURIComponent(rng.pick(CHINESE).repeat(rng.int(1, 60)))),
      () => Buffer.from(rng.pick(CHINESE), 'utf8'),
      () => badUtf8(rng),
      () => Buffer.from('q'.repeat(rng.pick([101, 2000, 20000]))),
      () => Buffer.from(encodeURIComponent(rng.pick(ODD_TEXT))),
    ])();
  }

  oddHeaders(op, method, path) {
    const rng = this.rng;
    const h = [];
    if (path === '/api/v1/cases' && method === 'POST' && rng.chance(0.3))
      h.push(['Idempotency-Key', rng.pick([Buffer.from(`fz-${rng.int(0, 20)}`), Buffer.from('k'.repeat(65)), Buffer.from('测试键'), Buffer.from(''), badUtf8(rng)])]);
    if (rng.chance(0.05)) h.push(['X-Request-Id', rng.pick(['x'.repeat(300), '测试', '\u0001', 'ok-123'])]);
    if (rng.chance(0.05)) h.push(['Accept-Language', rng.pick(['zh-CN', 'en', 'x'.repeat(2000)])]);
    if (rng.chance(0.03)) h.push(['X-Forwarded-For', rng.pick(['1.2.3.4', 'garbage', '::1, 1.1.1.1', '测试'])]);
    return h;
  }
}

/* ---- checking a response against the document ---- */
function schemaErrors(resolve, schema0, v, where = '$', out = [], depth = 0) {
  const s = resolve(schema0);
  if (!s || depth > 30 || out.length > 3) return out;
  if (v === null) {
    if (s.nullable) return out;
  }
  const t = s.type;
  const is = {
    string: typeof v === 'string', integer: Number.isInteger(v), number: typeof v === 'number', boolean: typeof v === 'boolean',
    array: Array.isArray(v), object: v !== null && typeof v === 'object' && !Array.isArray(v),
  };
  if (t && is[t] === false) {
    out.push(`${where}: ${JSON.stringify(v)?.slice(0, 60)} is not ${t}`);
    return out;
  }
  if (Array.isArray(s.enum) && !s.enum.includes(v)) out.push(`${where}: ${JSON.stringify(v)?.slice(0, 60)} is not in ${JSON.stringify(s.enum).slice(0, 200)}`);
  if (is.object) {
    for (const r of s.required || []) if (!(r in v)) out.push(`${where}: no required ${r}`);
    for (const [k, ps] of Object.entries(s.properties || {})) if (k in v) schemaErrors(resolve, ps, v[k], `${where}.${k}`, out, depth + 1);
  }
  if (is.array && s.items) v.slice(0, 5).forEach((x, i) => schemaErrors(resolve, s.items, x, `${where}[${i}]`, out, depth + 1));
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What is wrong with a response: [] when nothing. */
function check(resp, req) {
  if (resp.error) return [{ kind: 'transport', msg: resp.error }];
  const bad = [];
  if (resp.status >= 500) bad.push({ kind: '5xx', msg: `status ${resp.status}` });
  const ct = resp.headers['content-type'] || '';
  if (req.method !== 'HEAD' && /^application\/json/i.test(ct)) {
    let text;
    try {
      text = utf8.decode(resp.body);
    } catch {
      bad.push({ kind: 'utf8', msg: 'the JSON body is not valid UTF-8' });
      text = null;
    }
    let json;
    if (text !== null) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        bad.push({ kind: 'json', msg: `the body is not JSON: ${e.message}` });
      }
    }
    // the OAuth endpoints answer RFC 6749 5.2's {"error": "<code>", "error_description"} (issue 13)
    const oauthError = req.path.startsWith('/oauth2/') && typeof json?.error === 'string' && /^[a-z_]+$/.test(json.error);
    // Open311 GeoReport v2 answers its own error list [{"code": <status>, "description"}] (issue 12)
    const open311Error = req.path.startsWith('/open311/') && Array.isArray(json) && json.length > 0 &&
      json.every((e) => e && e.code === resp.status && typeof e.description === 'string' && e.description);
    if (json !== undefined && resp.status >= 400 && !oauthError && !open311Error) {
      const e = json?.error;
      if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !e.code || typeof e.message !== 'string' || !e.message)
        bad.push({ kind: 'error-shape', msg: 'an error body without {"error":{"code","message"}}' });
    }
    resp.json = json;
  } else if (req.method !== 'HEAD' && resp.status >= 400 && req.path.startsWith('/api/') && resp.status !== 400 && resp.status !== 414 && resp.status !== 431) {
    // errors of the API are JSON; only libmicrohttpd's own refusals of a malformed request line are not
    bad.push({ kind: 'error-type', msg: `a ${resp.status} with content type '${ct}'` });
  }
  return bad;
}

/*
 * Failures already filed: they are reported as diagnostics and do not fail the
 * run.  Each entry names its item of issue 16; the helper fixing it removes the
 * entry (and the `skip` of its test below), so the fuzzer then guards the fix.
 */
const KNOWN = [
  // known: not in issue 16 yet (reported with it) - libmicrohttpd keeps a request's head (request line and
  // headers) and the response's headers in one pool per connection (`conn_memory`, 16 KiB): a head within
  // about 5.7 KiB of it leaves no room for the response ("Closing connection (failed to create response
  // header)": closed with no answer), and over the pool it answers 414/431 and closes at once, without the lingering close of
  // RFC 9112 section 9.6, so a client that sent a body gets a reset instead of the answer
  { item: 'new: request head near the 16 KiB pool', match: (f, r) => f.kind === 'transport' && /^(reset|closed without a response)$/.test(f.msg) && headSize(r) > 16384 - 5800 },
];
const knownItem = (f, r) => KNOWN.find((k) => k.match(f, r));
/* The path of a request target with %XX decoded, as bytes. */
function percentDecode(target) {
  const q = target.indexOf(0x3f); // '?'
  const p = q < 0 ? target : target.subarray(0, q);
  const out = [];
  for (let i = 0; i < p.length; i++) {
    const h = p[i] === 0x25 && i + 2 < p.length ? parseInt(p.subarray(i + 1, i + 3).toString('latin1'), 16) : NaN;
    if (!Number.isNaN(h) && /^[0-9a-f]{2}$/i.test(p.subarray(i + 1, i + 3).toString('latin1'))) {
      out.push(h);
      i += 2;
    } else out.push(p[i]);
  }
  return Buffer.from(out);
}
function validUtf8(b) {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}
const headSize = (r) => r.target.length + r.headers.reduce((n, [k, v]) => n + k.length + 4 + Buffer.byteLength(v), 0);

describe(`fuzz: the served OpenAPI document, ${REQUESTS} requests (seed ${SEED}, ${ENGINE})`, () => {
  let srv, doc, routes, world, gen, principals;
  const stats = { sent: 0, byStatus: {}, byOp: {}, known: {}, schema: new Map(), undocumented: new Map(), errorCodes: new Map(), validated: 0 };

  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): the fuzzer is aimed at
    // ywtb's own HTTP parsing; nginx in front answers some requests itself with
    // its HTML pages (TRACE is its 405, a request line over its 8 KiB buffers
    // its 414), which are not what this test checks
    srv = await startServer({ nodes: 1 });
    const admin = await srv.login('admin');
    const rt = await srv.api('GET', '/api/v1/admin/routes', { token: admin });
    assert.equal(rt.status, 200, rt.text);
    routes = rt.json.routes;
    const d = await srv.api('GET', '/api/v1/openapi.json');
    assert.equal(d.status, 200, d.text);
    doc = d.json;
    world = await buildWorld(srv);
    world.itemCodes = (await srv.api('GET', '/api/v1/items?limit=20')).json.items.map((i) => i.code);
    world.bundleCodes = (await srv.api('GET', '/api/v1/bundles')).json.items.map((b) => b.code);
    world.scj0001 = (await srv.api('GET', '/api/v1/items/SCJ-01-0001')).json;
    // principals: bearer tokens, and a cookie session with and without its CSRF token
    principals = Object.entries(world.tokens).map(([name, token]) => ({ name, roles: roleSet(name), token }));
    const ck = await session(srv, CITIZEN);
    principals.push({ name: 'person-cookie', roles: ['person'], cookie: ck.cookie, csrf: ck.csrf });
    principals.push({ name: 'person-cookie-nocsrf', roles: ['person'], cookie: ck.cookie });
    principals.push({ name: 'bogus-token', roles: [], token: 'x'.repeat(43) });
    // spare sessions for POST /auth/logout, which ends the session it is sent with
    for (const p of principals) {
      if (!p.token || p.name === 'bogus-token') continue;
      const login = { person: CITIZEN, enterprise: COMPANY }[p.name] ?? STAFF_LOGIN[p.name];
      if (login) p.spare = await srv.login(login);
    }
    gen = new Gen(prng(SEED), doc, world, routes);
  });
  after(() => srv?.close());

  const STAFF_LOGIN = { admin: 'admin', window_clerk: 'clerk', reviewer: 'reviewer', chief_approver: 'chief', supervisor: 'supervisor', data_officer: 'dataofficer', hotline_operator: 'hotline', reviewer_swj: 'rev.swj' };
  function roleSet(name) {
    if (name === 'anonymous') return [];
    if (name === 'person' || name === 'person2' || name === 'agent') return ['person'];
    if (name === 'enterprise' || name === 'enterprise2') return ['enterprise'];
    if (name === 'chief_approver') return ['chief_approver', 'reviewer'];
    if (name === 'reviewer_swj') return ['reviewer'];
    return [name];
  }

  /** Every operation of the document: { method, path, op, route }. */
  function operations() {
    const out = [];
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'delete', 'patch'].includes(m)) continue;
        const route = routes.find((r) => r.method === m.toUpperCase() && r.path === p);
        if (!route) continue; // documented test-only routes are not served here
        out.push({ method: m.toUpperCase(), path: p, op, route });
      }
    return out;
  }

  /** Build request number i. */
  function makeRequest(ops, i) {
    const rng = gen.rng;
    // every operation once with a valid request first, then at random
    const o = i < ops.length ? ops[i] : rng.pick(ops);
    const firstPass = i < ops.length;
    let method = o.method;
    if (!firstPass && rng.chance(0.03)) method = rng.pick(['PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'PUT', 'TRACE', 'FOO']);
    const allowed = principals.filter((p) => o.route.roles.length === 0 ? p.name !== 'anonymous' || o.route.flags.includes('public')
      : p.roles.some((r) => o.route.roles.includes(r)));
    const who = (firstPass || rng.chance(0.65)) && allowed.length ? rng.pick(allowed) : rng.pick(principals);
    // the path
    const segs = [];
    for (const seg of o.path.split('/').slice(1)) {
      const m = /^\{(.+)\}$/.exec(seg);
      segs.push(Buffer.from('/'), m ? (firstPass ? Buffer.from(encodeURIComponent(gen.paramValues(o.path, m[1])[0])) : gen.param(o.path, m[1])) : Buffer.from(seg));
    }
    const target = Buffer.concat([...segs, firstPass ? Buffer.alloc(0) : gen.query(o.op)]);
    const headers = firstPass ? [] : gen.oddHeaders(o.op, method, o.path);
    let token = who.token;
    if (o.path === '/api/v1/auth/logout' && who.spare) token = who.spare;
    if (token) headers.push(['Authorization', `Bearer ${token}`]);
    if (who.cookie) headers.push(['Cookie', who.cookie]);
    if (who.csrf) headers.push(['X-CSRF-Token', who.csrf]);
    if (!firstPass && rng.chance(0.03)) headers.push(['Authorization', rng.pick(['Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${'x'.repeat(5000)}`, Buffer.concat([Buffer.from('Bearer '), badUtf8(rng)])])]);
    let body = null, note = 'no body', contentType = null, chunked = false;
    const content = o.op.requestBody?.content || {};
    if (content['application/json']) {
      ({ body, contentType, note } = firstPass ? { body: Buffer.from(JSON.stringify(gen.value(content['application/json'].schema))), contentType: 'application/json', note: 'valid' }
        : gen.jsonBody(content['application/json'].schema));
    } else if (content['multipart/form-data']) {
      ({ body, contentType, note } = gen.multipart());
    } else if (!firstPass && rng.chance(0.1)) {
      ({ body, contentType, note } = gen.jsonBody({ type: 'object', properties: { x: { type: 'string' } } }));
      note = `unexpected body: ${note}`;
    }
    if (!firstPass && body && rng.chance(0.1)) chunked = true;
    if (!firstPass && rng.chance(0.02)) {
      // a body announced larger than any limit, never sent: refused before it is read
      headers.push(['Content-Length', '104857600'], ['Expect', '100-continue']);
      body = null;
      note = 'announced 100 MiB';
    }
    if (contentType !== null && contentType !== '') headers.push(['Content-Type', contentType]);
    return { i, method, path: o.path, target, headers, body, chunked, note, who: who.name, route: o.route };
  }

  function describeReq(r) {
    const t = r.target.length > 160 ? `${r.target.subarray(0, 160).toString()}... (${r.target.length} bytes)` : r.target.toString();
    const b = r.body ? (r.body.length > 200 ? `${r.body.subarray(0, 200).toString()}... (${r.body.length} bytes)` : r.body.toString()) : '';
    return `#${r.i} ${r.method} ${JSON.stringify(t)} as ${r.who} [${r.note}]${b ? ` body ${JSON.stringify(b)}` : ''}`;
  }

  // issue 16 item 4 (before the run below, which may end the citizen's sessions: a clerk's
  // password reset for the applicant, an OIDC end_session)
  test('a Chinese path parameter longer than the echo is answered with valid UTF-8 JSON', async () => {
    const target = `/api/v1/cases/${encodeURIComponent('中文'.repeat(30))}`;
    const resp = await rawRequest(srv.port, { target, headers: [['Authorization', `Bearer ${world.tokens.person}`]], timeout: TIMEOUT });
    assert.equal(resp.status, 404);
    const text = utf8.decode(resp.body);
    assert.equal(JSON.parse(text).error.code, 'not_found');
  });
  test('every operation, valid and mutated, as every kind of caller: no 5xx, no reset or hang, JSON errors', async (t) => {
    const ops = operations();
    assert.ok(ops.length > 50, `only ${ops.length} operations in the document`);
    let reqs = Array.from({ length: Math.max(REQUESTS, ops.length, (ONLY ?? 0) + 1) }, (_, i) => makeRequest(ops, i));
    if (ONLY !== null) {
      reqs = [reqs[ONLY]];
      t.diagnostic(`only ${describeReq(reqs[0])}\nheaders ${JSON.stringify(reqs[0].headers.map(([n, v]) => [n, String(v).slice(0, 100) + (String(v).length > 100 ? `... (${String(v).length})` : '')]))}`);
    }
    const failures = [];
    const known = [];
    let next = 0;
    const t0 = Date.now();
    async function worker() {
      while (next < reqs.length) {
        const r = reqs[next++];
        const resp = await rawRequest(srv.port, { method: r.method, target: r.target, headers: r.headers, body: r.body, chunked: r.chunked, timeout: TIMEOUT, head: r.method === 'HEAD' });
        stats.sent++;
        const key = `${r.route.method} ${r.route.path}`;
        stats.byStatus[resp.status ?? resp.error] = (stats.byStatus[resp.status ?? resp.error] || 0) + 1;
        stats.byOp[key] = stats.byOp[key] || new Set();
        stats.byOp[key].add(resp.status ?? 'x');
        for (const f of check(resp, r)) {
          const line = `${describeReq(r)}\n    -> ${resp.status ?? ''} ${f.kind}: ${f.msg}${resp.body ? `: ${JSON.stringify(resp.body.subarray(0, 300).toString())}` : ''}`;
          const k = knownItem(f, r);
          if (k) {
            known.push({ item: k.item, line });
            stats.known[k.item] = (stats.known[k.item] || 0) + 1;
          } else failures.push(line);
        }
        // the document's view of the answer (reported; fatal with YWTB_FUZZ_SCHEMA=1)
        if (resp.json !== undefined && r.method === r.route.method) {
          const op = doc.paths[r.path][r.method.toLowerCase()];
          const resolve = gen.resolve;
          if (resp.status >= 400) {
            const enumCodes = resolve(doc.components.schemas.Error).properties.error.properties.code.enum;
            const code = resp.json?.error?.code;
            if (code && !enumCodes.includes(code)) stats.errorCodes.set(code, `${key} -> ${resp.status}`);
          }
          const rs = op.responses?.[String(resp.status)];
          if (rs === undefined) {
            if (!stats.undocumented.has(key)) stats.undocumented.set(key, new Set());
            stats.undocumented.get(key).add(resp.status);
          } else if (resp.status < 300) {
            const sch = resolve(rs)?.content?.['application/json']?.schema;
            if (sch) stats.validated++;
            const errs = sch ? schemaErrors(resolve, sch, resp.json) : [];
            if (errs.length) stats.schema.set(`${key} ${resp.status}`, errs.join('; '));
          }
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const secs = (Date.now() - t0) / 1000;
    t.diagnostic(`${stats.sent} requests over ${ops.length} operations in ${secs.toFixed(1)} s; statuses ${JSON.stringify(stats.byStatus)}; ` +
      `${stats.validated} 2xx bodies checked against their documented schema`);
    for (const [item, n] of Object.entries(stats.known)) t.diagnostic(`known (${item.startsWith('new') ? item : `issue 16 item ${item}`}): ${n} responses, e.g.\n${known.filter((l) => l.item === item).slice(0, 2).map((l) => l.line).join('\n')}`);
    const docNotes = [...stats.schema].map(([k, v]) => `${k}: ${v}`);
    docNotes.push(...[...stats.errorCodes].map(([c, w]) => `error code ${c} not in the Error enum (${w})`));
    if (docNotes.length) t.diagnostic(`answers that do not match the document's schemas (${docNotes.length}):\n${docNotes.join('\n')}`);
    const undoc = [...stats.undocumented].map(([k, v]) => `${k}: ${[...v].sort().join(' ')}`).sort();
    if (undoc.length) t.diagnostic(`statuses answered but not documented (${undoc.length} operations):\n${undoc.join('\n')}`);
    if (STRICT_SCHEMA) docNotes.push(...undoc.map((u) => `undocumented statuses ${u}`));
    assert.equal(stats.sent, reqs.length);
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} bad answers (seed ${SEED}):\n${failures.slice(0, 25).join('\n')}`);
    if (STRICT_SCHEMA) assert.deepEqual(docNotes, [], docNotes.join('\n'));
    // the server still serves, and every operation was reached
    assert.equal((await srv.api('GET', '/readyz')).status, 200);
    if (ONLY === null) assert.equal(Object.keys(stats.byOp).length, ops.length);
  });


});
