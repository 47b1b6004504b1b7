/*
 * jcs.h - RFC 8785 JSON Canonicalization Scheme (JCS) for the JSON that ywtb
 * signs (license documents and status lists, src/licenses/).
 *
 * A signature covers bytes, and a verifier written in another language must
 * produce the same bytes from the same JSON value.  "Keys sorted, compact,
 * UTF-8" did not say how strings are escaped (jansson writes \u001F where
 * every JavaScript engine and RFC 8785 write \u001f) nor in which order keys
 * sort; RFC 8785 says both, and every mainstream language has an
 * implementation.  The rules, as implemented here:
 *
 *  - no white space between tokens; literals null, true, false;
 *  - strings (RFC 8785 §3.2.2.2, ECMAScript JSON.stringify): `"` and `\` are
 *    escaped as \" and \\; U+0008, U+0009, U+000A, U+000C, U+000D as \b, \t,
 *    \n, \f, \r; every other code point below U+0020 as \u00XX with lower-case
 *    hex; everything else - `/`, DEL, U+2028, U+2029, all non-ASCII - is the
 *    character itself in UTF-8;
 *  - object members sorted by their names as arrays of UTF-16 code units,
 *    compared unit by unit (§3.2.3): not by UTF-8 bytes, which order U+E000-
 *    U+FFFF after characters outside the BMP where UTF-16 puts them before;
 *  - array elements in their order;
 *  - numbers (§3.2.2.3) in the ECMAScript Number-to-String form.  ywtb's signed
 *    documents hold only integers and strings, so this implementation takes
 *    integers whose magnitude is at most 2^53 (exact as IEEE 754 doubles, and
 *    written as plain decimal digits) and refuses every other number rather
 *    than implement shortest round-trip double formatting.
 */
#ifndef YW_CORE_JCS_H
#define YW_CORE_JCS_H

#include "core/err.h"
#include "core/mem.h"

#include <jansson.h>

/* Deepest nesting accepted (objects and arrays). */
#define YW_JCS_MAX_DEPTH 32

/* Append the canonical form of v to out.  Returns 0, or YW_EINVAL - out then
 * holds a partial form the caller discards - for a number that is not an
 * integer within +-2^53, a string or name that is not UTF-8, or nesting deeper
 * than YW_JCS_MAX_DEPTH; err (may be NULL) says which and where, with `field`
 * the member path ("fields.amount", "entries[3].id"). */
int yw_jcs(json_t *v, struct yw_buf *out, struct yw_err *err);

/* Append s[0..n) as a JCS string literal (quotes included).  YW_EINVAL, with
 * nothing appended, when s is not UTF-8. */
int yw_jcs_string(const char *s, size_t n, struct yw_buf *out);

/* Order of two member names as RFC 8785 sorts them (UTF-16 code units):
 * negative, 0 or positive.  Both must be UTF-8. */
int yw_jcs_name_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
