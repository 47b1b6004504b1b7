// cnid.js - Chinese identifiers checked in the browser, as the user types:
//   GB 11643-1999 公民身份号码 (resident identity number), ISO 7064 MOD 11-2 check;
//   GB 32100-2015 统一社会信用代码 (unified social credit code), MOD 31 check,
//     with its embedded GB 11714 组织机构代码 (organization code), MOD 11 check;
//   mobile and landline numbers.
// The rules and error codes mirror the server's (src/core/cnid.c), so a number
// that passes here passes there; the server's answer stays authoritative.
// Failures return { ok: false, code } with the server's error code names.
//
// Input is folded exactly as the server folds it (yw_cnid_normalize), so the
// same typing passes on the page and by the API: full-width forms U+FF01-U+FF5E
// to ASCII, white space (\s) removed anywhere, a-z upper-cased, and in a credit
// code hyphens and dashes removed too.  Nothing else is folded (no NFKC: ① or Ⅹ
// stay what they are and are refused on both sides).

/* ECMA-262 \s spelled out: the same list as blank() in src/core/cnid.c. */
const BLANKS = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
/* '-' (full-width U+FF0D is folded to it first), U+2010-U+2015 and U+2212: hyphen() in cnid.c. */
const HYPHENS = /[-\u2010-\u2015\u2212]/g;

/** Full-width forms to ASCII, white space removed, a-z upper-cased (yw_cnid_normalize). */
export function normalize(s) {
  return String(s ?? '')
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(BLANKS, '')
    .replace(/[a-z]+/g, (w) => w.toUpperCase());
}

/** normalize() and hyphens and dashes removed: a credit code typed in groups (YW_CNID_NO_HYPHENS). */
export function normalizeUscc(s) {
  return normalize(s).replace(HYPHENS, '');
}

/* GB 11643-1999: weights W_i = 2^(18-i) mod 11 for positions 1..17. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of 17 digits ('' if they are not 17 digits). */
export function idCheckChar(body17) {
  if (!/^\d{17}$/.test(body17)) return '';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/* GB/T 2260 province-level codes (first two digits). */
function provinceOk(p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
    (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p === 71 || p === 81 || p === 82;
}

/* GB 11643 address code: a province, or 830000 - the residence permits of Hong Kong,
 * Macao and Taiwan residents (港澳台居民居住证申领发放办法, 国办发〔2018〕81号) carry
 * 810000, 820000 or 830000, and 83 is no GB/T 2260 province. */
function regionOk(s) {
  return provinceOk(Number(s.slice(0, 2))) || s.startsWith('830000');
}

function leap(y) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthDays(y, m) {
  return [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Today in China Standard Time as 'YYYY-MM-DD'. */
export function todayCST(now = new Date()) {
  const t = new Date(now.getTime() + 8 * 3600 * 1000);
  return t.toISOString().slice(0, 10);
}

/**
 * Check a resident identity number.
 * Returns { ok: true, id, sex: 'M'|'F', birth: 'YYYY-MM-DD', region } or
 * { ok: false, code } with code invalid_id_length | invalid_id_chars |
 * invalid_id_region | invalid_id_birth_date | invalid_id_checksum.
 */
export function checkId(input, now = new Date()) {
  const s = normalize(input);
  const n = [...s].length; /* characters (code points), as the server counts them */
  if (n !== 18) return { ok: false, code: 'invalid_id_length', length: n };
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, code: 'invalid_id_chars' };
  if (!regionOk(s)) return { ok: false, code: 'invalid_id_region' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (m < 1 || m > 12 || d < 1 || d > monthDays(y, m) || y < 1900) return { ok: false, code: 'invalid_id_birth_date' };
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (birth > todayCST(now)) return { ok: false, code: 'invalid_id_birth_date' };
  if (idCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, code: 'invalid_id_checksum' };
  return { ok: true, id: s, sex: Number(s[16]) % 2 ? 'M' : 'F', birth, region: s.slice(0, 6) };
}

/** Whole years between a birth date 'YYYY-MM-DD' and today (CST). */
export function ageOn(birth, now = new Date()) {
  const today = todayCST(now);
  let age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  if (today.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

/* GB 32100-2015: 31 characters, no I O Z S V; a character's value is its index. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The GB 32100 check character of 17 code characters ('' if any is not allowed). */
export function usccCheckChar(body17) {
  if (body17.length !== 17) return '';
  let sum = 0;
  let w = 1; /* W_i = 3^(i-1) mod 31 */
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(body17[i]);
    if (v < 0) return '';
    sum += v * w;
    w = (w * 3) % 31;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/* GB 11714: weights 3 7 9 10 5 8 4 2; values 0-9 and A=10 .. Z=35. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11714 check character of an 8-character organization code body. */
export function orgCheckChar(body8) {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return '';
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/* Registration authority + organization category (characters 1-2) of issued
 * codes; their names are in i18n.js as uscc.cat.<prefix> and uscc.auth.<char>. */
export const USCC_CATEGORIES = ['11', '12', '13', '19', '51', '52', '53', '54', '59', '91', '92', '93', 'Y1'];
/* Prefixes seen on issued codes whose meaning is not confirmed (the server accepts them too). */
const OTHER_PREFIXES = ['21', '31', '32', '33', '34', '35', '41', '55', '61', '62', '71', '72', '81', 'A1', 'G1', 'J1', 'N1', 'N2', 'N3'];

/**
 * Check a unified social credit code.
 * Returns { ok: true, code, prefix, known, region, orgCode } (known: the prefix
 * has a confirmed meaning) or { ok: false, code } with code invalid_uscc_length |
 * invalid_uscc_chars | invalid_uscc_category | invalid_uscc_region |
 * invalid_uscc_org_code | invalid_uscc_checksum.
 */
export function checkUscc(input) {
  const s = normalizeUscc(input);
  const n = [...s].length;
  if (n !== 18) return { ok: false, code: 'invalid_uscc_length', length: n };
  for (const c of s) if (!USCC_ALPHABET.includes(c)) return { ok: false, code: 'invalid_uscc_chars' };
  const prefix = s.slice(0, 2);
  const known = USCC_CATEGORIES.includes(prefix);
  if (!known && !OTHER_PREFIXES.includes(prefix)) return { ok: false, code: 'invalid_uscc_category' };
  if (!/^\d{6}$/.test(s.slice(2, 8))) return { ok: false, code: 'invalid_uscc_region' };
  if (orgCheckChar(s.slice(8, 16)) !== s[16]) return { ok: false, code: 'invalid_uscc_org_code' };
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, code: 'invalid_uscc_checksum' };
  return {
    ok: true,
    code: s,
    prefix,
    known,
    region: s.slice(2, 8),
    orgCode: s.slice(8, 17),
  };
}

/**
 * The stored form of a typed identifier (yw_cnid_ident_normalize): the
 * normalised number when the input is a valid identity number (tried first) or
 * credit code, else null (a staff username, a name).
 */
export function identNormalize(input) {
  const id = checkId(input);
  if (id.ok) return id.id;
  const org = checkUscc(input);
  return org.ok ? org.code : null;
}

/** Mainland mobile number: 11 digits, 1 then 3-9. */
export function mobileOk(s) {
  return /^1[3-9]\d{9}$/.test(String(s ?? ''));
}

/** Landline with area code: 0 + 9..11 more digits, dashes allowed (021-64872222). */
export function landlineOk(s) {
  const v = String(s ?? '');
  if (!/^0[\d-]+$/.test(v)) return false;
  const digits = v.replace(/-/g, '').length;
  return digits >= 10 && digits <= 12;
}
