/*
 * cnid.h - validation of Chinese identifiers that ywtb forms take: the resident
 * identity number (公民身份号码, GB 11643-1999), the unified social credit code
 * (统一社会信用代码, GB 32100-2015) with its embedded organization code (GB 11714),
 * and mainland mobile numbers; plus the check-character helpers the tests and the
 * demo-data generator use to build valid numbers, and the masks used in lists.
 *
 * The rules and their sources are collected in shared/reference/CN-STANDARDS.md
 * §1-§3.  Everything here is pure computation: no allocation, no locks, no I/O
 * (yw_cnid_check_id reads the server clock to refuse future birth dates).
 */
#ifndef YW_CORE_CNID_H
#define YW_CORE_CNID_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

/* What a valid identity number says about its holder.  All strings are
 * NUL-terminated and owned by the struct. */
struct yw_cnid_person {
    char id[19];    /* normalised number: 18 chars, check character upper-case */
    char sex;       /* 'M' when the 17th digit (sequence code) is odd, else 'F' */
    char birth[11]; /* "YYYY-MM-DD" */
    char region[7]; /* GB/T 2260 code where the number was issued, e.g. "310104" */
};

/* What a valid unified social credit code says about its holder. */
struct yw_cnid_org {
    char code[19];     /* normalised code: 18 chars, upper-case */
    char region[7];    /* GB/T 2260 code of the registering office ("100000" national) */
    char org_code[10]; /* embedded GB 11714 organization code, chars 9-17 */
    /* Static Chinese names of the registration authority and the category, e.g.
     * "工商" / "企业" for 91.  Both are "" for prefixes that are accepted (they occur
     * in issued codes) but whose meaning is not confirmed (CN-STANDARDS.md §2). */
    const char *authority;
    const char *category;
};

/* yw_cnid_normalize flag: remove hyphens and dashes too (credit codes). */
#define YW_CNID_NO_HYPHENS 1u

/*
 * Fold identifier input s[0..n) as people type it into the one form that is
 * checked, stored and compared.  The portal folds the same way (normalize() and
 * normalizeUscc() in web/assets/cnid.js), so what the page accepts, the API
 * accepts:
 *   - full-width forms U+FF01-U+FF5E become ASCII U+0021-U+007E (１ -> 1, Ｘ -> X);
 *   - white space is removed anywhere, which also trims: U+0009-U+000D, U+0020,
 *     U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000
 *     (ideographic space) and U+FEFF - the characters of JavaScript's \s;
 *   - with YW_CNID_NO_HYPHENS, hyphens and dashes are removed too: '-' (and its
 *     full-width form), U+2010-U+2015 and U+2212;
 *   - a-z become A-Z.
 * Nothing else changes: other characters (①, Ⅹ), bytes that are not UTF-8 and
 * NUL bytes are copied, so the checks still refuse them.  s may be NULL (n is
 * then 0).  Writes at most cap - 1 bytes and a NUL to out (when cap > 0) and
 * returns the length of the whole result, like snprintf: a result >= cap was
 * cut.  The result is never longer than n.
 */
size_t yw_cnid_normalize(const char *s, size_t n, unsigned flags, char *out, size_t cap);

/*
 * Validate an 18-character resident identity number s[0..n) (GB 11643-1999).
 * The input is first folded by yw_cnid_normalize (no flags): full-width digits
 * and X, blanks anywhere and a lower-case x are accepted, and out->id is the
 * ASCII form.  Then checks, in this order: length (YW_EIDLEN), characters
 * (YW_EIDCHARS; non-ASCII characters left after folding are counted as
 * characters, not bytes, when the text is UTF-8), province of the region code
 * (YW_EIDREGION), birth date: a real date, year >= 1900 and not after today in
 * China Standard Time by yw_clock_now_ms() (YW_EIDBIRTH), and the ISO 7064
 * MOD 11-2 check character (YW_EIDCHECK).  Historical region codes (310108
 * 闸北区) are accepted: only the province is checked; so are the numbers of the
 * residence permits of Hong Kong, Macao and Taiwan residents (address codes
 * 810000, 820000, 830000).
 *
 * Returns 0 and fills `out` (may be NULL) on success; otherwise a negative code,
 * `out` untouched and `err` (may be NULL) filled with field "id_number" and a
 * message saying what is wrong.
 */
int yw_cnid_check_id(const char *s, size_t n, struct yw_cnid_person *out, struct yw_err *err);

/*
 * Validate an 18-character unified social credit code s[0..n) (GB 32100-2015).
 * The input is first folded by yw_cnid_normalize with YW_CNID_NO_HYPHENS:
 * full-width characters, blanks and hyphens anywhere and lower case are
 * accepted, and out->code is the ASCII upper-case form.  Then checks, in this
 * order: length (YW_EUSCCLEN), alphabet 0-9 A-Z without I O Z S V
 * (YW_EUSCCCHARS; non-ASCII left after folding is refused), authority +
 * category pair against the list of issued prefixes (YW_EUSCCCAT), region
 * chars 3-8 all digits (YW_EUSCCREGION), the GB 11714 check of the embedded
 * organization code (YW_EUSCCORG) and the MOD 31 check character
 * (YW_EUSCCCHECK).
 *
 * Returns 0 and fills `out` (may be NULL) on success; otherwise a negative code,
 * `out` untouched and `err` (may be NULL) filled with field "uscc".
 */
int yw_cnid_check_uscc(const char *s, size_t n, struct yw_cnid_org *out, struct yw_err *err);

/*
 * The stored form of an identifier someone typed, for every place that looks
 * one up (login, staff search, public case status, license lists): true when
 * s (NUL-terminated, may be NULL) is a valid identity number (tried first) or
 * else a valid credit code, however it was typed (see yw_cnid_normalize), with
 * its 18 normalised characters in out.  Otherwise false and out is "": the
 * caller compares what it was given (a staff username, a name, a number that
 * matches nothing).
 */
bool yw_cnid_ident_normalize(const char *s, char out[19]);

/* True when s (NUL-terminated, may be NULL) is a mainland mobile number: exactly
 * 11 digits, the first '1', the second '3'-'9'.  No "+86", spaces or dashes. */
bool yw_cnid_mobile_ok(const char *s);

/* Check character ('0'-'9' or 'X') of a GB 11643 identity number whose first 17
 * characters are body17 (not NUL-terminated).  Returns '\0' when a body
 * character is not a digit. */
char yw_cnid_id_check_char(const char body17[17]);
/* Check character (one of 0-9 A-H J-N P Q R T U W X Y) of a GB 32100 code whose
 * first 17 characters are body17.  Lower case is read as upper case.  Returns '\0'
 * when a body character is outside the code's alphabet. */
char yw_cnid_uscc_check_char(const char body17[17]);
/* Check character ('0'-'9' or 'X') of a GB 11714 organization code whose first 8
 * characters are body8 (digits and letters A-Z, lower case read as upper case).
 * Returns '\0' when a body character is neither. */
char yw_cnid_org_check_char(const char body8[8]);

/* Mask an identity number for lists: first 4 + 10 '*' + last 4, e.g.
 * "3101**********002X", NUL-terminated in out.  When id is NULL or not 18
 * characters long, out is 18 '*', so nothing leaks from malformed data. */
void yw_cnid_mask_id(const char *id, char out[19]);
/* Mask a phone number for lists.  A mobile number: first 3 + 4 '*' + last 4,
 * "138****0000".  A landline (0 + area code, 10 to 12 digits, with or without
 * one '-' after the area code): the area code, the '-' if any, the local
 * number's last 4 digits, '*' between: "021-****1234", "0571****8888" (area
 * codes without '-': 3 digits for 010 and 02x, else 4).  Anything else - NULL,
 * malformed - is 11 '*', so nothing leaks from bad data. */
#define YW_CNID_PHONE_MASK 24
void yw_cnid_mask_phone(const char *p, char out[YW_CNID_PHONE_MASK]);

#endif
