/*
 * cnid.c - Chinese identifiers: resident identity numbers (GB 11643-1999),
 * unified social credit codes (GB 32100-2015) with their organization codes
 * (GB 11714), mobile numbers, and the masks shown in lists (see cnid.h); and the
 * one folding of typed input (full-width, blanks, hyphens, case) that the checks
 * apply first and that web/assets/cnid.js applies the same way in the portal.
 *
 * Each rule cites its standard; the facts and worked examples are in
 * shared/reference/CN-STANDARDS.md §1-§3.  Messages go to citizens filling in a
 * form, so they say which part is wrong without revealing the right check
 * character (that would turn the validator into a generator of valid numbers).
 */
#include "core/cnid.h"

#include "core/clock.h"
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

#define CN_LEN 18 /* both GB 11643 numbers and GB 32100 codes have 18 characters */

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char
upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Only printable ASCII is quoted back in a message: the message ends up in a JSON
 * body, and a lone byte of a multi-byte character is not valid UTF-8 there. */
static bool
quotable(char c)
{
    return c > ' ' && c < 0x7f && c != '\'';
}

/* ------------------------------------------------------------------------ */
/* Normalization: one folding for the API and the portal                   */
/* ------------------------------------------------------------------------ */

/* The code point of the UTF-8 sequence at s[0..n), its length in *len; -1 (and
 * *len = 1) for a byte that does not start a well-formed sequence (RFC 3629: no
 * overlongs, no surrogates, <= U+10FFFF), as yw_utf8_valid() judges. */
static long
decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0], min, cp;
    size_t k;
    *len = 1;
    if (c < 0x80)
        return (long)c;
    if ((c & 0xE0) == 0xC0)
        k = 2, min = 0x80, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        k = 3, min = 0x800, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        k = 4, min = 0x10000, cp = c & 0x07;
    else
        return -1;
    if (k > n)
        return -1;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = k;
    return (long)cp;
}

/* White space as JavaScript's \s matches it (ECMA-262 WhiteSpace and
 * LineTerminator), so that cnid.js removes exactly the same characters. */
static bool
blank(long cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Hyphen-minus (full-width already folded to it), the Unicode hyphens and
 * dashes U+2010-U+2015 and the minus sign U+2212: what people type between the
 * groups of a credit code. */
static bool
hyphen(long cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* The folded form of some input: the first bytes of the result in s (NUL-
 * terminated), the whole result's length in n and its character count in
 * chars (code points when the result is valid UTF-8 without NUL, else bytes,
 * as the length checks have always counted). */
struct folded {
    char s[80]; /* 18 characters of at most 4 bytes fit: a longer result is a length error */
    size_t n, chars;
};

static void
fold(const char *in, size_t n, unsigned flags, char *out, size_t cap, struct folded *f)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t k = 0, cps = 0;
    bool valid = true;
    for (size_t i = 0; i < n;) {
        size_t len;
        long cp = decode(s + i, n - i, &len);
        /* full-width forms (Unicode Halfwidth and Fullwidth Forms block) */
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp >= 0 && (blank(cp) || ((flags & YW_CNID_NO_HYPHENS) && hyphen(cp)))) {
            i += len;
            continue;
        }
        if (cp < 0x80 && cp >= 0) {
            char c = (char)cp;
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c == '\0')
                valid = false;
            if (k + 1 < cap)
                out[k] = c;
            k++;
        } else {
            if (cp < 0)
                valid = false;
            for (size_t j = 0; j < len; j++, k++)
                if (k + 1 < cap)
                    out[k] = (char)s[i + j];
        }
        cps++;
        i += len;
    }
    if (cap > 0)
        out[k < cap ? k : cap - 1] = '\0';
    if (f) {
        f->n = k;
        f->chars = valid ? cps : k;
    }
}

size_t
yw_cnid_normalize(const char *s, size_t n, unsigned flags, char *out, size_t cap)
{
    struct folded f;
    if (s == NULL)
        n = 0, s = "";
    fold(s, n, flags, out, cap, &f);
    return f.n;
}

/*
 * Check that the folded input has CN_LEN characters, all ASCII.  Characters are
 * counted as code points when the text is valid UTF-8, so a Chinese word (6
 * characters in 18 bytes) is reported by its length in characters, and
 * later messages can number characters by byte.  Returns 0, len_rc or chars_rc.
 */
static int
check_length(const struct folded *f, const char *what, const char *field, int len_rc, int chars_rc,
             struct yw_err *err)
{
    if (f->chars != CN_LEN)
        return yw_fail(err, len_rc, field, "%s must have %d characters, not %zu", what, CN_LEN,
                       f->chars);
    for (size_t i = 0; i < f->n && i < sizeof f->s; i++)
        if ((unsigned char)f->s[i] >= 0x80)
            return yw_fail(err, chars_rc, field,
                           "%s must be written with half-width (ASCII) letters and digits", what);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* GB 11643-1999 公民身份号码                                                 */
/* ------------------------------------------------------------------------ */

/* GB 11643-1999 校验码, ISO 7064:1983 MOD 11-2: weight W_i = 2^(18-i) mod 11 of
 * position i = 1..17, and the character for S mod 11 (S = Σ a_i·W_i) is chosen so
 * that the sum including the check value (X = 10, weight 1) is ≡ 1 (mod 11). */
static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_check_chars[] = "10X98765432";

char
yw_cnid_id_check_char(const char body17[17])
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(body17[i]))
            return '\0';
        sum += (body17[i] - '0') * id_weights[i];
    }
    return id_check_chars[sum % 11];
}

/* GB/T 2260: first two digits of a division code are the province-level unit.
 * 11-15 North, 21-23 North-east, 31-37 East, 41-46 Central-South, 50-54
 * South-west, 61-65 North-west, 71 Taiwan, 81 Hong Kong, 82 Macao. */
static bool
province_ok(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82;
}

static bool
leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y, proleptic Gregorian (GB/T 7408 dates). */
static int
month_days(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

static int
digits_value(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* Today's day number (days since 1970-01-01) in China Standard Time, UTC+8: a
 * child born just after midnight in Shanghai has today's date on its number
 * while UTC still reads yesterday. */
static int64_t
today_cst(void)
{
    const int64_t day_ms = 86400000, cst_ms = 8 * 3600000;
    int64_t t = yw_clock_now_ms() + cst_ms;
    return t >= 0 ? t / day_ms : -((-t + day_ms - 1) / day_ms);
}

int
yw_cnid_check_id(const char *s, size_t n, struct yw_cnid_person *out, struct yw_err *err)
{
    static const char field[] = "id_number";
    int rc;

    if (s == NULL)
        n = 0, s = "";
    /* As typed: full-width digits and X, blanks anywhere, a lower-case x. */
    struct folded f;
    fold(s, n, 0, f.s, sizeof f.s, &f);
    s = f.s;
    /* GB 11643-1999: 17-digit body (本体码) + 1 check character (校验码). */
    rc = check_length(&f, "the identity number", field, YW_EIDLEN, YW_EIDCHARS, err);
    if (rc != 0)
        return rc;

    /* GB 11643-1999: positions 1-17 are digits; the check character is a digit
     * or X (the Roman numeral ten); a lower-case x was upper-cased by fold(). */
    char id[CN_LEN + 1];
    for (size_t i = 0; i < CN_LEN; i++) {
        char c = s[i];
        bool ok = is_digit(c) || (i == CN_LEN - 1 && c == 'X');
        if (!ok) {
            if (i == CN_LEN - 1)
                return quotable(c) ? yw_fail(err, YW_EIDCHARS, field,
                                             "the last character ('%c') must be a digit or X", c)
                                   : yw_fail(err, YW_EIDCHARS, field,
                                             "the last character must be a digit or X");
            return quotable(c)
                       ? yw_fail(err, YW_EIDCHARS, field, "character %zu ('%c') is not a digit",
                                 i + 1, c)
                       : yw_fail(err, YW_EIDCHARS, field, "character %zu is not a digit", i + 1);
        }
        id[i] = c;
    }
    id[CN_LEN] = '\0';

    /* GB 11643-1999 地址码 (address code): a GB/T 2260 county-level code of where the
     * number was issued.  Codes abolished since (310108 闸北区) stay valid on old
     * numbers, so only the province is checked, not the current code list.  The
     * residence permits of Hong Kong, Macao and Taiwan residents carry a number
     * of the same GB 11643 form (港澳台居民居住证申领发放办法, 国办发〔2018〕81号)
     * whose address code is 810000, 820000 or 830000 (Ministry of Public
     * Security numbering, 2018): 81 and 82 are GB/T 2260 provinces, 83 is none,
     * so 830000 is accepted as a whole. */
    if (!province_ok(digits_value(id, 2)) && memcmp(id, "830000", 6) != 0)
        return yw_fail(err, YW_EIDREGION, field,
                       "the region code '%.6s' does not start with a province code (GB/T 2260)",
                       id);

    /* GB 11643-1999 出生日期码 (birth date code) YYYYMMDD (GB/T 7408): a real calendar
     * date, not before 1900 and not in the future. */
    int y = digits_value(id + 6, 4), m = digits_value(id + 10, 2), d = digits_value(id + 12, 2);
    if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return yw_fail(err, YW_EIDBIRTH, field,
                       "the birth date '%.8s' (characters 7-14) is not a calendar date", id + 6);
    if (y < 1900)
        return yw_fail(err, YW_EIDBIRTH, field,
                       "the birth date '%.8s' (characters 7-14) is before 1900", id + 6);
    if (yw_days_from_civil(y, m, d) > today_cst())
        return yw_fail(err, YW_EIDBIRTH, field,
                       "the birth date '%.8s' (characters 7-14) is in the future", id + 6);

    /* GB 11643-1999 校验码 (check character), ISO 7064 MOD 11-2. */
    if (yw_cnid_id_check_char(id) != id[17])
        return yw_fail(err, YW_EIDCHECK, field,
                       "the check character does not match the number (a digit may be "
                       "mistyped)");

    if (out) {
        memcpy(out->id, id, sizeof out->id);
        /* GB 11643-1999 顺序码 (sequence code): odd for men, even for women. */
        out->sex = (id[16] - '0') % 2 ? 'M' : 'F';
        memcpy(out->birth, id + 6, 4);
        out->birth[4] = '-';
        memcpy(out->birth + 5, id + 10, 2);
        out->birth[7] = '-';
        memcpy(out->birth + 8, id + 12, 2);
        out->birth[10] = '\0';
        memcpy(out->region, id, 6);
        out->region[6] = '\0';
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* GB 11714 组织机构代码 (embedded in the credit code)                           */
/* ------------------------------------------------------------------------ */

/* GB 11714: weights 3 7 9 10 5 8 4 2 on the 8 body characters, values 0-9 and
 * A=10 .. Z=35; C9 = 11 - (S mod 11), where 10 is written X and 11 is written 0. */
static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };

char
yw_cnid_org_check_char(const char body8[8])
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = upper(body8[i]);
        int v;
        if (is_digit(c))
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return '\0';
        sum += v * org_weights[i];
    }
    int c9 = 11 - sum % 11;
    return c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
}

/* ------------------------------------------------------------------------ */
/* GB 32100-2015 统一社会信用代码                                               */
/* ------------------------------------------------------------------------ */

/* GB 32100-2015: digits and capital letters without I, O, Z, S, V; a
 * character's value is its index here (0..30). */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100-2015 校验码: weight W_i = 3^(i-1) mod 31 of position i = 1..17;
 * C18 = 31 - (S mod 31), with 31 written 0. */
static const int uscc_weights[17] = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

static int
uscc_value(char c)
{
    c = upper(c);
    if (c == '\0')
        return -1;
    const char *p = strchr(uscc_alphabet, c);
    return p ? (int)(p - uscc_alphabet) : -1;
}

char
yw_cnid_uscc_check_char(const char body17[17])
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(body17[i]);
        if (v < 0)
            return '\0';
        sum += v * uscc_weights[i];
    }
    return uscc_alphabet[(31 - sum % 31) % 31];
}

/* GB 32100-2015 登记管理部门代码 + 机构类别代码: registration authority (char 1) and organization
 * category (char 2) pairs in issued codes.  The standard's own 1/2/3 numbering of
 * 机构编制/民政/工商 is only an illustration; codes in use are 1, 5, 9 and Y.  The
 * rows with empty names are prefixes that issued codes carry but whose meaning
 * has not been confirmed (CN-STANDARDS.md §2, marked [U]). */
static const struct uscc_category {
    char code[3];
    const char *authority;
    const char *category;
} uscc_categories[] = {
    { "11", "机构编制", "机关" },
    { "12", "机构编制", "事业单位" },
    { "13", "机构编制", "群众团体" },
    { "19", "机构编制", "其他" },
    { "51", "民政", "社会团体" },
    { "52", "民政", "民办非企业单位" },
    { "53", "民政", "基金会" },
    { "54", "民政", "村民委员会" },
    { "59", "民政", "其他" },
    { "91", "工商", "企业" },
    { "92", "工商", "个体工商户" },
    { "93", "工商", "农民专业合作社" },
    { "Y1", "其他", "其他" },
    { "21", "", "" },
    { "31", "", "" },
    { "32", "", "" },
    { "33", "", "" },
    { "34", "", "" },
    { "35", "", "" },
    { "41", "", "" },
    { "55", "", "" },
    { "61", "", "" },
    { "62", "", "" },
    { "71", "", "" },
    { "72", "", "" },
    { "81", "", "" },
    { "A1", "", "" },
    { "G1", "", "" },
    { "J1", "", "" },
    { "N1", "", "" },
    { "N2", "", "" },
    { "N3", "", "" },
};

static const struct uscc_category *
uscc_category(const char *code)
{
    for (size_t i = 0; i < sizeof uscc_categories / sizeof uscc_categories[0]; i++)
        if (memcmp(uscc_categories[i].code, code, 2) == 0)
            return &uscc_categories[i];
    return NULL;
}

int
yw_cnid_check_uscc(const char *s, size_t n, struct yw_cnid_org *out, struct yw_err *err)
{
    static const char field[] = "uscc";
    int rc;

    if (s == NULL)
        n = 0, s = "";
    /* As typed: full-width characters, blanks and hyphens between the groups
     * anywhere, lower case. */
    struct folded f;
    fold(s, n, YW_CNID_NO_HYPHENS, f.s, sizeof f.s, &f);
    s = f.s;
    /* GB 32100-2015: 18 characters. */
    rc = check_length(&f, "the unified social credit code", field, YW_EUSCCLEN, YW_EUSCCCHARS, err);
    if (rc != 0)
        return rc;

    /* GB 32100-2015: the 31-character alphabet (no I, O, Z, S, V); lower case
     * was upper-cased by fold(). */
    char code[CN_LEN + 1];
    for (size_t i = 0; i < CN_LEN; i++) {
        char c = s[i];
        if (uscc_value(c) < 0)
            return quotable(c)
                       ? yw_fail(err, YW_EUSCCCHARS, field,
                                 "character %zu ('%c') is not allowed: the code uses digits and "
                                 "capital letters except I, O, S, V and Z",
                                 i + 1, c)
                       : yw_fail(err, YW_EUSCCCHARS, field,
                                 "character %zu is not allowed: the code uses digits and capital "
                                 "letters except I, O, S, V and Z",
                                 i + 1);
        code[i] = c;
    }
    code[CN_LEN] = '\0';

    /* GB 32100-2015 登记管理部门代码 + 机构类别代码 (characters 1-2). */
    const struct uscc_category *cat = uscc_category(code);
    if (cat == NULL)
        return yw_fail(err, YW_EUSCCCAT, field,
                       "the registration authority and category '%.2s' (characters 1-2) are not "
                       "known",
                       code);

    /* GB 32100-2015 登记管理机关行政区划码: characters 3-8 are the GB/T 2260 code of the registering
     * office (100000 for national registration). */
    for (int i = 2; i < 8; i++)
        if (!is_digit(code[i]))
            return yw_fail(err, YW_EUSCCREGION, field,
                           "the region code '%.6s' (characters 3-8) must be 6 digits", code + 2);

    /* GB 32100-2015 主体标识码: characters 9-17 are the GB 11714 organization code,
     * 8 characters and its own check character. */
    if (yw_cnid_org_check_char(code + 8) != code[16])
        return yw_fail(err, YW_EUSCCORG, field,
                       "the organization code '%.9s' (characters 9-17) does not pass its check "
                       "(a character may be mistyped)",
                       code + 8);

    /* GB 32100-2015 校验码: the MOD 31 check character. */
    if (yw_cnid_uscc_check_char(code) != code[17])
        return yw_fail(err, YW_EUSCCCHECK, field,
                       "the check character does not match the code (a character may be "
                       "mistyped)");

    if (out) {
        memcpy(out->code, code, sizeof out->code);
        memcpy(out->region, code + 2, 6);
        out->region[6] = '\0';
        memcpy(out->org_code, code + 8, 9);
        out->org_code[9] = '\0';
        out->authority = cat->authority;
        out->category = cat->category;
    }
    return 0;
}

bool
yw_cnid_ident_normalize(const char *s, char out[19])
{
    struct yw_cnid_person p;
    struct yw_cnid_org o;
    size_t n = s ? strlen(s) : 0;
    out[0] = '\0';
    if (yw_cnid_check_id(s, n, &p, NULL) == 0)
        memcpy(out, p.id, sizeof p.id);
    else if (yw_cnid_check_uscc(s, n, &o, NULL) == 0)
        memcpy(out, o.code, sizeof o.code);
    return out[0] != '\0';
}

/* ------------------------------------------------------------------------ */
/* Mobile numbers and masks                                                 */
/* ------------------------------------------------------------------------ */

/* Mainland mobile numbers (MIIT numbering plan): 11 digits, 1 then 3-9. */
bool
yw_cnid_mobile_ok(const char *s)
{
    if (s == NULL || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
        return false;
    for (int i = 2; i < 11; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* Keep `head` and `tail` characters of a `len`-character string, star the rest;
 * star everything when s is NULL or has another length. */
static void
mask(const char *s, size_t len, size_t head, size_t tail, char *out)
{
    bool keep = s != NULL && strnlen(s, len + 1) == len;
    for (size_t i = 0; i < len; i++)
        out[i] = keep && (i < head || i >= len - tail) ? s[i] : '*';
    out[len] = '\0';
}

void
yw_cnid_mask_id(const char *id, char out[19])
{
    mask(id, 18, 4, 4, out);
}

static bool
landline_mask(const char *p, char out[YW_CNID_PHONE_MASK])
{
    size_t n = strnlen(p, YW_CNID_PHONE_MASK), digits = 0, dash = 0, dash_at = 0;
    if (n >= YW_CNID_PHONE_MASK || p[0] != '0')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            digits++;
        } else if (p[i] == '-' && dash == 0) {
            dash = 1;
            dash_at = i;
        } else {
            return false;
        }
    }
    if (digits < 10 || digits > 12)
        return false;
    size_t area = dash ? dash_at : (p[1] == '1' || p[1] == '2') ? 3 : 4;
    if (area < 3 || area > 4 || n - area - dash < 7)
        return false;
    memcpy(out, p, area + dash);
    size_t k = area + dash;
    for (; k < n - 4; k++)
        out[k] = '*';
    memcpy(out + k, p + n - 4, 4);
    out[n] = '\0';
    return true;
}

void
yw_cnid_mask_phone(const char *p, char out[YW_CNID_PHONE_MASK])
{
    if (p && p[0] == '0' && landline_mask(p, out))
        return;
    mask(p, 11, 3, 4, out);
}
