/*
 * test_cnid.c - unit tests of core/cnid: GB 11643-1999 identity numbers,
 * GB 32100-2015 unified social credit codes with their GB 11714 organization
 * codes, mobile numbers and masks.
 *
 * Vectors are the standards' own annex examples (as reproduced in
 * shared/reference/CN-STANDARDS.md §1-§2) and numbers built here from the rules
 * with the check-character helpers; the helpers themselves are checked against
 * an independent restatement of each rule (the weights computed as powers, the
 * check verified by the ISO 7064 sum property), not against copied vectors.
 * The server clock is fixed in the group setup so "future" is deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/cnid.h"
#include "core/err.h"

/* 2026-03-01T17:00:00Z is 2026-03-02 01:00 in China Standard Time (UTC+8). */
#define NOW_UTC "2026-03-01T17:00:00Z"

static int
fix_clock(void **state)
{
    int64_t ms;
    if (yw_clock_parse(NOW_UTC, &ms) != 0)
        return -1;
    yw_clock_set(ms);
    return 0;
}

/* body17 + its computed check character -> out (NUL-terminated). */
static void
make_id(const char *body17, char out[19])
{
    assert_int_equal(strlen(body17), 17);
    memcpy(out, body17, 17);
    out[17] = yw_cnid_id_check_char(body17);
    assert_true(out[17] != '\0');
    out[18] = '\0';
}

/* prefix8 (authority, category, region) + org body8 + org check + final check. */
static void
make_uscc(const char *prefix8, const char *org8, char out[19])
{
    assert_int_equal(strlen(prefix8), 8);
    assert_int_equal(strlen(org8), 8);
    memcpy(out, prefix8, 8);
    memcpy(out + 8, org8, 8);
    out[16] = yw_cnid_org_check_char(org8);
    assert_true(out[16] != '\0');
    out[17] = yw_cnid_uscc_check_char(out);
    assert_true(out[17] != '\0');
    out[18] = '\0';
}

static int
check_id(const char *s, struct yw_cnid_person *p, struct yw_err *e)
{
    return yw_cnid_check_id(s, strlen(s), p, e);
}

static int
check_uscc(const char *s, struct yw_cnid_org *o, struct yw_err *e)
{
    return yw_cnid_check_uscc(s, strlen(s), o, e);
}

/* ---- error table ------------------------------------------------------- */

/* err.h: every cnid code is a 422 with its stable machine code. */
static void
test_error_codes(void **state)
{
    static const struct {
        int rc;
        const char *code;
    } rows[] = {
        { YW_EIDLEN, "invalid_id_length" },         { YW_EIDCHARS, "invalid_id_chars" },
        { YW_EIDREGION, "invalid_id_region" },      { YW_EIDBIRTH, "invalid_id_birth_date" },
        { YW_EIDCHECK, "invalid_id_checksum" },     { YW_EUSCCLEN, "invalid_uscc_length" },
        { YW_EUSCCCHARS, "invalid_uscc_chars" },    { YW_EUSCCCAT, "invalid_uscc_category" },
        { YW_EUSCCREGION, "invalid_uscc_region" },  { YW_EUSCCORG, "invalid_uscc_org_code" },
        { YW_EUSCCCHECK, "invalid_uscc_checksum" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(rows[i].rc <= -40 && rows[i].rc >= -59);
        assert_string_equal(yw_errcode(rows[i].rc), rows[i].code);
        assert_int_equal(yw_errhttp(rows[i].rc), 422);
        assert_string_not_equal(yw_strerror(rows[i].rc), "unknown error");
    }
}

/* ---- GB 11643-1999 ----------------------------------------------------- */

/* GB 11643-1999 annex example 11010519491231002X (北京市朝阳区): sum 167,
 * 167 mod 11 = 2 -> 'X'; sequence 002 is even -> female. */
static void
test_id_standard_example(void **state)
{
    struct yw_cnid_person p;
    struct yw_err e = { 0 };
    assert_int_equal(yw_cnid_id_check_char("11010519491231002"), 'X');
    assert_int_equal(check_id("11010519491231002X", &p, &e), 0);
    assert_string_equal(p.id, "11010519491231002X");
    assert_int_equal(p.sex, 'F');
    assert_string_equal(p.birth, "1949-12-31");
    assert_string_equal(p.region, "110105");
}

/* GB 11643-1999 / ISO 7064 MOD 11-2, restated: with W_i = 2^(18-i) mod 11 for
 * i = 1..18 and X = 10, a complete number has Σ a_i·W_i ≡ 1 (mod 11).  The helper
 * (which uses the weight table) must agree on many pseudo-random bodies, and
 * every other check character must fail. */
static void
test_id_check_char_rule(void **state)
{
    uint32_t x = 2463534242u;
    for (int round = 0; round < 2000; round++) {
        char body[18];
        for (int i = 0; i < 17; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            body[i] = (char)('0' + x % 10);
        }
        body[17] = '\0';
        char c = yw_cnid_id_check_char(body);
        assert_true((c >= '0' && c <= '9') || c == 'X');
        int sum = 0;
        for (int i = 1; i <= 18; i++) {
            int w = 1;
            for (int k = 0; k < 18 - i; k++)
                w = w * 2 % 11;
            int a = i == 18 ? (c == 'X' ? 10 : c - '0') : body[i - 1] - '0';
            sum += a * w;
        }
        assert_int_equal(sum % 11, 1);
    }
    /* a non-digit body has no check character */
    assert_int_equal(yw_cnid_id_check_char("1101051949123100A"), '\0');
}

/* GB 11643-1999: a number built for Xuhui (310104), with each part derived:
 * 地址码 -> region, 出生日期码 -> birth, odd 顺序码 -> male, even -> female. */
static void
test_id_constructed_xuhui(void **state)
{
    char id[19];
    struct yw_cnid_person p;
    struct yw_err e = { 0 };

    make_id("31010419850615123", id);
    assert_int_equal(check_id(id, &p, &e), 0);
    assert_string_equal(p.id, id);
    assert_int_equal(p.sex, 'M');
    assert_string_equal(p.birth, "1985-06-15");
    assert_string_equal(p.region, "310104");

    /* leap day of a year divisible by 400 (GB/T 7408 Gregorian calendar) */
    make_id("31010420000229244", id);
    assert_int_equal(check_id(id, &p, &e), 0);
    assert_int_equal(p.sex, 'F');
    assert_string_equal(p.birth, "2000-02-29");

    /* earliest accepted year */
    make_id("31010419000101011", id);
    assert_int_equal(check_id(id, &p, &e), 0);
    assert_string_equal(p.birth, "1900-01-01");
}

/* GB 11643-1999 校验码 is written X; lower-case x is accepted and normalised. */
static void
test_id_lowercase_x(void **state)
{
    struct yw_cnid_person p;
    struct yw_err e = { 0 };
    assert_int_equal(check_id("11010519491231002x", &p, &e), 0);
    assert_string_equal(p.id, "11010519491231002X");

    /* find a Xuhui sequence code whose check character is X */
    char body[18] = "31010419900101000";
    int seq;
    for (seq = 0; seq < 1000; seq++) {
        body[14] = (char)('0' + seq / 100);
        body[15] = (char)('0' + seq / 10 % 10);
        body[16] = (char)('0' + seq % 10);
        if (yw_cnid_id_check_char(body) == 'X')
            break;
    }
    assert_true(seq < 1000);
    char id[19];
    memcpy(id, body, 17);
    id[17] = 'x';
    id[18] = '\0';
    assert_int_equal(check_id(id, &p, &e), 0);
    assert_int_equal(p.id[17], 'X');
    assert_memory_equal(p.id, body, 17);
}

/* GB 11643-1999 地址码 is the code in force when the number was issued: the
 * abolished 310108 闸北区 and 310230 崇明县 (CN-STANDARDS.md §3) stay valid. */
static void
test_id_historical_region(void **state)
{
    char id[19];
    struct yw_err e = { 0 };
    make_id("31010819700101001", id);
    assert_int_equal(check_id(id, NULL, &e), 0);
    make_id("31023019700101002", id);
    assert_int_equal(check_id(id, NULL, &e), 0);
    make_id("82000019700101003", id); /* Macao: last of the province list */
    assert_int_equal(check_id(id, NULL, &e), 0);
}

/* Birth dates relative to the fixed clock (2026-03-02 01:00 CST): today in China
 * is accepted although UTC still reads 2026-03-01; tomorrow is not. */
static void
test_id_birth_today_cst(void **state)
{
    char id[19];
    struct yw_err e = { 0 };
    make_id("31010420260301001", id);
    assert_int_equal(check_id(id, NULL, &e), 0);
    make_id("31010420260302001", id);
    assert_int_equal(check_id(id, NULL, &e), 0);
    make_id("31010420260303001", id);
    assert_int_equal(check_id(id, NULL, &e), YW_EIDBIRTH);
    assert_non_null(strstr(e.msg, "in the future"));
}

/* One row per failure of yw_cnid_check_id, each naming the rule it breaks.
 * Bodies marked "+check" get their correct check character appended, so the row
 * fails for its own reason only. */
static void
test_id_errors(void **state)
{
    static const struct {
        const char *in;
        bool add_check;
        int rc;
        const char *msg; /* expected substring of err.msg */
    } rows[] = {
        /* GB 11643-1999: 18 characters */
        { "", false, YW_EIDLEN, "not 0" },
        { "11010519491231002", false, YW_EIDLEN, "not 17" },
        { "11010519491231002X0", false, YW_EIDLEN, "not 19" },
        { "１１０１０５１９４９１２３１００２", false, YW_EIDLEN, "not 17" }, /* 17 full-width */
        { "110105 1949 1231 002", false, YW_EIDLEN, "not 17" }, /* blanks do not count */
        /* GB 11643-1999: 17 digits then a digit or X */
        { "公民身份号码", false, YW_EIDLEN, "not 6" }, /* 6 characters in 18 bytes */
        { "11010519491231002\xe2\x85\xa9", false, YW_EIDCHARS, "half-width" }, /* Ⅹ U+2169 */
        { "\xe2\x91\xa0"
          "1010519491231002X",
          false, YW_EIDCHARS, "half-width" },                                    /* ① */
        { "11010519491231002\xef\xbd\x98\xcc\x81", false, YW_EIDLEN, "not 19" }, /* ｘ + accent */
        { "1101051949123100\xff", false, YW_EIDLEN, "not 17" }, /* not UTF-8: bytes */
        { "1101051949123100\xff\xfe", false, YW_EIDCHARS, "half-width" },
        { "1101051949123100A2", false, YW_EIDCHARS, "character 17 ('A')" },
        { "x1010519491231002X", false, YW_EIDCHARS, "character 1 ('X')" },
        { "11010519491231002Y", false, YW_EIDCHARS, "last character ('Y')" },
        { "110105-9491231002X", false, YW_EIDCHARS, "character 7 ('-') is not a digit" },
        { "11010519491231002-", false, YW_EIDCHARS, "last character ('-')" },
        { "1101051949123100\xef\xbc\x8dX", false, YW_EIDCHARS, "character 17 ('-')" }, /* － */
        /* GB 11643-1999 地址码: GB/T 2260 province 11-15 21-23 31-37 41-46 50-54
         * 61-65 71 81 82, and 830000 only (Taiwan residents' residence permits) */
        { "00000019700101001", true, YW_EIDREGION, "'000000'" },
        { "10010119700101001", true, YW_EIDREGION, "'100101'" },
        { "16010119700101001", true, YW_EIDREGION, "province" },
        { "38010119700101001", true, YW_EIDREGION, "province" },
        { "55010119700101001", true, YW_EIDREGION, "province" },
        { "72010119700101001", true, YW_EIDREGION, "province" },
        { "83010119700101001", true, YW_EIDREGION, "province" },
        { "83000119700101001", true, YW_EIDREGION, "'830001'" },
        { "84000019700101001", true, YW_EIDREGION, "'840000'" },
        { "99010119700101001", true, YW_EIDREGION, "province" },
        /* GB 11643-1999 出生日期码: a real date (GB/T 7408), >= 1900, not future */
        { "31010419990230001", true, YW_EIDBIRTH, "'19990230' (characters 7-14) is not a" },
        { "31010419991301001", true, YW_EIDBIRTH, "not a calendar date" },
        { "31010419990000001", true, YW_EIDBIRTH, "not a calendar date" },
        { "31010419990100001", true, YW_EIDBIRTH, "not a calendar date" },
        { "31010419990431001", true, YW_EIDBIRTH, "not a calendar date" },
        { "31010419000229001", true, YW_EIDBIRTH, "not a calendar date" }, /* 1900 not leap */
        { "31010420230229001", true, YW_EIDBIRTH, "not a calendar date" },
        { "31010418991231001", true, YW_EIDBIRTH, "before 1900" },
        { "31010400010101001", true, YW_EIDBIRTH, "before 1900" },
        { "31010420270101001", true, YW_EIDBIRTH, "in the future" },
        { "31010499991231001", true, YW_EIDBIRTH, "in the future" },
        /* GB 11643-1999 校验码 (ISO 7064 MOD 11-2) */
        { "110105194912310023", false, YW_EIDCHECK, "does not match" },
        { "110105194912310020", false, YW_EIDCHECK, "does not match" },
        { "11010519491231020X", false, YW_EIDCHECK, "does not match" }, /* 0 2 swapped */
        { "11010519941231002X", false, YW_EIDCHECK, "does not match" }, /* 4 9 swapped */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char id[32];
        const char *in = rows[i].in;
        if (rows[i].add_check) {
            make_id(in, id);
            in = id;
        }
        struct yw_cnid_person p;
        memset(&p, 0x5a, sizeof p);
        struct yw_err e = { 0 };
        int rc = check_id(in, &p, &e);
        if (rc != rows[i].rc || strstr(e.msg, rows[i].msg) == NULL)
            print_message("row %zu '%s': rc %d (%s), msg '%s'\n", i, in, rc, yw_errcode(rc), e.msg);
        assert_int_equal(rc, rows[i].rc);
        assert_string_equal(e.field, "id_number");
        assert_non_null(strstr(e.msg, rows[i].msg));
        assert_int_equal(p.sex, 0x5a); /* out untouched on failure */
    }
}

/* Input carries its length: an embedded NUL is a bad character, not an end;
 * NULL input is an empty number; out and err may both be NULL. */
static void
test_id_edges(void **state)
{
    struct yw_err e = { 0 };
    assert_int_equal(yw_cnid_check_id("110105\0"
                                      "9491231002X",
                                      18, NULL, &e),
                     YW_EIDCHARS);
    assert_string_equal(e.msg, "character 7 is not a digit");
    assert_int_equal(yw_cnid_check_id(NULL, 0, NULL, &e), YW_EIDLEN);
    assert_int_equal(yw_cnid_check_id("11010519491231002X", 18, NULL, NULL), 0);
    assert_int_equal(yw_cnid_check_id("11010519491231002Y", 18, NULL, NULL), YW_EIDCHARS);
    /* a longer buffer is cut at n */
    assert_int_equal(yw_cnid_check_id("11010519491231002XYZ", 18, NULL, NULL), 0);
}

/* ---- GB 11714 / GB 32100-2015 ------------------------------------------ */

/* GB 11714 example of CN-STANDARDS.md §2: 71526726 -> S = 199, 199 mod 11 = 1,
 * 11 - 1 = 10 -> 'X'; and the rule restated: S + value(C9) ≡ 0 (mod 11), where
 * 'X' is 10 and '0' stands for 11. */
static void
test_org_check_char_rule(void **state)
{
    static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const int w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
    assert_int_equal(yw_cnid_org_check_char("71526726"), 'X');
    assert_int_equal(yw_cnid_org_check_char("M000100Y"), '4'); /* inside the GB 32100 example */
    assert_int_equal(yw_cnid_org_check_char("m000100y"), '4');
    assert_int_equal(yw_cnid_org_check_char("7152672-"), '\0');

    uint32_t x = 88172645u;
    int seen_x = 0, seen_0 = 0;
    for (int round = 0; round < 3000; round++) {
        char body[9];
        int s = 0;
        for (int i = 0; i < 8; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            body[i] = alnum[x % 36];
            s += (int)(x % 36) * w[i];
        }
        body[8] = '\0';
        char c = yw_cnid_org_check_char(body);
        int v = c == 'X' ? 10 : c == '0' ? 11 : c - '0';
        assert_true(v >= 1 && v <= 11);
        assert_int_equal((s + v) % 11, 0);
        seen_x += c == 'X';
        seen_0 += c == '0';
    }
    assert_true(seen_x > 0 && seen_0 > 0); /* both special mappings exercised */
}

/* GB 32100-2015 校验码, restated: with W_i = 3^(i-1) mod 31 (i = 1..17) and
 * alphabet values 0..30, S + value(C18) ≡ 0 (mod 31). */
static void
test_uscc_check_char_rule(void **state)
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    uint32_t x = 1234567u;
    int seen_0 = 0;
    for (int round = 0; round < 3000; round++) {
        char body[18];
        int s = 0, w = 1;
        for (int i = 0; i < 17; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            body[i] = alpha[x % 31];
            s += (int)(x % 31) * w;
            w = w * 3 % 31;
        }
        body[17] = '\0';
        char c = yw_cnid_uscc_check_char(body);
        const char *p = strchr(alpha, c);
        assert_non_null(p);
        assert_int_equal((s + (int)(p - alpha)) % 31, 0);
        seen_0 += c == '0';
    }
    assert_true(seen_0 > 0); /* 31 - 0 = 31 is written 0 */
    /* I O Z S V are not in the alphabet */
    assert_int_equal(yw_cnid_uscc_check_char("91350100M000100I4"), '\0');
}

/* GB 32100-2015 annex example 91350100M000100Y43: sum 1640, 1640 mod 31 = 28,
 * 31 - 28 = 3.  91 = 工商 / 企业, registered in 350100. */
static void
test_uscc_standard_example(void **state)
{
    struct yw_cnid_org o;
    struct yw_err e = { 0 };
    assert_int_equal(yw_cnid_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(check_uscc("91350100M000100Y43", &o, &e), 0);
    assert_string_equal(o.code, "91350100M000100Y43");
    assert_string_equal(o.region, "350100");
    assert_string_equal(o.org_code, "M000100Y4");
    assert_string_equal(o.authority, "工商");
    assert_string_equal(o.category, "企业");

    /* the annex's failing variant: Z is outside the alphabet, so it fails as a
     * character before any check is computed */
    assert_int_equal(check_uscc("91350100M000100Y4Z", &o, &e), YW_EUSCCCHARS);
    assert_string_equal(e.field, "uscc");
    assert_non_null(strstr(e.msg, "character 18 ('Z')"));
    /* a wrong check character from the alphabet fails the MOD 31 check */
    assert_int_equal(check_uscc("91350100M000100Y44", &o, &e), YW_EUSCCCHECK);
}

/* GB 32100-2015: lower case is accepted and upper-cased. */
static void
test_uscc_lowercase(void **state)
{
    struct yw_cnid_org o;
    struct yw_err e = { 0 };
    assert_int_equal(check_uscc("91350100m000100y43", &o, &e), 0);
    assert_string_equal(o.code, "91350100M000100Y43");
    assert_string_equal(o.org_code, "M000100Y4");
}

/* GB 32100-2015: codes built from the rules for each known authority/category
 * pair; the Chinese names follow CN-STANDARDS.md §2. */
static void
test_uscc_constructed(void **state)
{
    static const struct {
        const char *prefix;
        const char *authority;
        const char *category;
    } rows[] = {
        { "91310104", "工商", "企业" },
        { "92310104", "工商", "个体工商户" },
        { "93310104", "工商", "农民专业合作社" },
        { "11310104", "机构编制", "机关" },
        { "12100000", "机构编制", "事业单位" }, /* national registration */
        { "13100000", "机构编制", "群众团体" },
        { "19310104", "机构编制", "其他" },
        { "51310104", "民政", "社会团体" },
        { "52310104", "民政", "民办非企业单位" },
        { "53310104", "民政", "基金会" },
        { "54310104", "民政", "村民委员会" },
        { "59310104", "民政", "其他" },
        { "Y1310104", "其他", "其他" },
        /* issued prefixes whose meaning is unconfirmed: accepted, names empty */
        { "21310104", "", "" },
        { "31310104", "", "" },
        { "35310104", "", "" },
        { "41310104", "", "" },
        { "55310104", "", "" },
        { "61310104", "", "" },
        { "62310104", "", "" },
        { "71310104", "", "" },
        { "72310104", "", "" },
        { "81310104", "", "" },
        { "A1310104", "", "" },
        { "G1310104", "", "" },
        { "J1310104", "", "" },
        { "N1310104", "", "" },
        { "N2310104", "", "" },
        { "N3310104", "", "" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char code[19];
        struct yw_cnid_org o;
        struct yw_err e = { 0 };
        make_uscc(rows[i].prefix, "MA1FL3AB", code);
        int rc = check_uscc(code, &o, &e);
        if (rc != 0)
            print_message("row %zu '%s': %s\n", i, code, e.msg);
        assert_int_equal(rc, 0);
        assert_string_equal(o.code, code);
        assert_memory_equal(o.region, rows[i].prefix + 2, 6);
        assert_string_equal(o.authority, rows[i].authority);
        assert_string_equal(o.category, rows[i].category);
    }
}

/* One row per failure of yw_cnid_check_uscc.  Rows built with make_uscc have both
 * check characters right, so each fails for its own reason only. */
static void
test_uscc_errors(void **state)
{
    char built[9][19];
    char tmp[19];
    /* GB 32100-2015 登记管理部门代码 + 机构类别代码: unknown pairs */
    make_uscc("99310104", "MA1FL3AB", built[0]);
    make_uscc("14310104", "MA1FL3AB", built[1]);
    make_uscc("A2310104", "MA1FL3AB", built[2]);
    make_uscc("00310104", "MA1FL3AB", built[3]);
    /* GB 32100-2015 登记管理机关行政区划码: 6 digits */
    make_uscc("9131A104", "MA1FL3AB", built[4]);
    make_uscc("91310Y04", "MA1FL3AB", built[5]);
    make_uscc("9131010A", "MA1FL3AB", built[8]);
    /* GB 11714: org check char wrong (the right one is computed, then replaced),
     * final check recomputed so only the org code is wrong */
    make_uscc("91310104", "MA1FL3AB", tmp);
    tmp[16] = tmp[16] == '1' ? '2' : '1';
    tmp[17] = yw_cnid_uscc_check_char(tmp);
    memcpy(built[6], tmp, 19);
    /* GB 32100-2015 校验码: final check wrong */
    make_uscc("91310104", "MA1FL3AB", tmp);
    tmp[17] = tmp[17] == 'Y' ? 'X' : 'Y';
    memcpy(built[7], tmp, 19);

    const struct {
        const char *in;
        int rc;
        const char *msg;
    } rows[] = {
        /* GB 32100-2015: 18 characters */
        { "", YW_EUSCCLEN, "not 0" },
        { "91350100M000100Y4", YW_EUSCCLEN, "not 17" },
        { "91350100M000100Y430", YW_EUSCCLEN, "not 19" },
        /* GB 32100-2015: digits and capitals except I O Z S V (any case) */
        { "91350100I000100Y43", YW_EUSCCCHARS, "character 9 ('I')" },
        { "91350100O000100Y43", YW_EUSCCCHARS, "character 9 ('O')" },
        { "91350100Z000100Y43", YW_EUSCCCHARS, "character 9 ('Z')" },
        { "91350100S000100Y43", YW_EUSCCCHARS, "character 9 ('S')" },
        { "91350100V000100Y43", YW_EUSCCCHARS, "character 9 ('V')" },
        { "91350100i000100Y43", YW_EUSCCCHARS, "character 9 ('I')" },
        { "91350100v000100Y43", YW_EUSCCCHARS, "character 9 ('V')" },
        { "91350100M000100Y4-", YW_EUSCCLEN, "not 17" }, /* hyphens do not count */
        { "9135 100M000100Y43", YW_EUSCCLEN, "not 17" }, /* nor blanks */
        { "91350100M000100Y4.", YW_EUSCCCHARS, "character 18 ('.')" },
        { "9135/0100M000100Y43", YW_EUSCCLEN, "not 19" },
        { "9135_100M000100Y43", YW_EUSCCCHARS, "character 5 ('_') is not allowed" },
        { "９１３５０１００Ｍ０００１００Ｙ４\xe2\x91\xa2", YW_EUSCCCHARS, "half-width" }, /* ③ */
        { "统一社会信用代码号", YW_EUSCCLEN, "not 9" },
        { "统一社会信用", YW_EUSCCLEN, "not 6" },
        { built[0], YW_EUSCCCAT, "'99' (characters 1-2)" },
        { built[1], YW_EUSCCCAT, "'14'" },
        { built[2], YW_EUSCCCAT, "'A2'" },
        { built[3], YW_EUSCCCAT, "'00'" },
        { built[4], YW_EUSCCREGION, "'31A104' (characters 3-8)" },
        { built[5], YW_EUSCCREGION, "'310Y04'" },
        { built[8], YW_EUSCCREGION, "'31010A'" },
        { built[6], YW_EUSCCORG, "(characters 9-17)" },
        { built[7], YW_EUSCCCHECK, "does not match" },
        /* the GB 32100 example with a digit changed in the organization code */
        { "91350100M000200Y43", YW_EUSCCORG, "'M000200Y4'" },
        /* ... and in the region, where only the final check catches it */
        { "91350200M000100Y43", YW_EUSCCCHECK, "does not match" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct yw_cnid_org o;
        memset(&o, 0x5a, sizeof o);
        struct yw_err e = { 0 };
        int rc = check_uscc(rows[i].in, &o, &e);
        if (rc != rows[i].rc || strstr(e.msg, rows[i].msg) == NULL)
            print_message("row %zu '%s': rc %d (%s), msg '%s'\n", i, rows[i].in, rc, yw_errcode(rc),
                          e.msg);
        assert_int_equal(rc, rows[i].rc);
        assert_string_equal(e.field, "uscc");
        assert_non_null(strstr(e.msg, rows[i].msg));
        assert_int_equal((unsigned char)o.code[0], 0x5a); /* out untouched on failure */
    }
    assert_int_equal(yw_cnid_check_uscc(NULL, 0, NULL, NULL), YW_EUSCCLEN);
}

/* ---- input as typed: yw_cnid_normalize and the checks after it ---------- */

/* The folding that cnid.js applies in the portal, row by row: full-width forms
 * U+FF01-U+FF5E to ASCII, JavaScript's \s removed anywhere, hyphens and dashes
 * only with YW_CNID_NO_HYPHENS, a-z upper-cased, everything else kept. */
static void
test_normalize_fold(void **state)
{
    static const struct {
        const char *in;
        unsigned flags;
        const char *out;
    } rows[] = {
        { "", 0, "" },
        { "11010519491231002x", 0, "11010519491231002X" },
        { "１１０１０５１９４９１２３１００２Ｘ", 0, "11010519491231002X" },
        { "１１０１０５１９４９１２３１００２ｘ", 0, "11010519491231002X" },
        { "  110105 19491231 002X\t\r\n", 0, "11010519491231002X" },
        /* U+3000 ideographic space, U+00A0, U+2002, U+202F, U+FEFF, U+2028 */
        { "\xe3\x80\x80"
          "110105\xc2\xa0"
          "19491231\xe2\x80\x82"
          "002\xe2\x80\xaf"
          "X\xef\xbb\xbf\xe2\x80\xa8",
          0, "11010519491231002X" },
        { "abc-def", 0, "ABC-DEF" },
        { "abc-def", YW_CNID_NO_HYPHENS, "ABCDEF" },
        /* '-', full-width '－', U+2010 hyphen, U+2014 em dash, U+2212 minus */
        { "9135-0100\xef\xbc\x8dM000\xe2\x80\x90"
          "100\xe2\x80\x94Y4\xe2\x88\x92"
          "3",
          YW_CNID_NO_HYPHENS, "91350100M000100Y43" },
        { "9135\xef\xbc\x8d"
          "0100",
          0, "9135-0100" },
        /* not folded: ① (U+2460), Ⅹ (U+2169), ｶ (U+FF76, half-width katakana), 公 */
        { "\xe2\x91\xa0\xe2\x85\xa9\xef\xbd\xb6\xe5\x85\xac", 0,
          "\xe2\x91\xa0\xe2\x85\xa9\xef\xbd\xb6\xe5\x85\xac" },
        /* bytes that are not UTF-8 are kept, one by one */
        { "1\xff 2\xe3\x80", 0,
          "1\xff"
          "2\xe3\x80" },
        /* ～ U+FF5E is the last full-width form, ｟ U+FF5F is not one */
        { "\xef\xbd\x9e\xef\xbd\x9f", 0, "~\xef\xbd\x9f" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[80];
        size_t n =
            yw_cnid_normalize(rows[i].in, strlen(rows[i].in), rows[i].flags, out, sizeof out);
        if (strcmp(out, rows[i].out) != 0)
            print_message("row %zu: '%s' -> '%s'\n", i, rows[i].in, out);
        assert_string_equal(out, rows[i].out);
        assert_int_equal(n, strlen(rows[i].out));
    }
    /* a NUL inside the input is kept (the length is given), NULL is empty */
    char out[8];
    assert_int_equal(yw_cnid_normalize("a\0 b", 4, 0, out, sizeof out), 3);
    assert_memory_equal(out, "A\0B", 4);
    assert_int_equal(yw_cnid_normalize(NULL, 5, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* snprintf contract: cut at cap - 1, the whole length returned */
    assert_int_equal(yw_cnid_normalize("１２３４５６７８９", 27, 0, out, sizeof out), 9);
    assert_string_equal(out, "1234567");
    assert_int_equal(yw_cnid_normalize("１２", 6, 0, NULL, 0), 2);
}

/* GB 11643-1999 numbers as people type them, and as the portal accepts them:
 * full-width digits and X, blanks between the groups (地址码 出生日期码 顺序码),
 * a lower-case x; the normalised number is what the check returns. */
static void
test_id_as_typed(void **state)
{
    static const char *const typed[] = {
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "11010519491231002\xef\xbc\xb8", /* Ｘ */
        " 110105 19491231 002x ",
        "\xe3\x80\x80"
        "110105\xe3\x80\x80"
        "19491231\xe3\x80\x80"
        "002X\xe3\x80\x80",
        "\t110105\xc2\xa0"
        "19491231002X\n",
    };
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        struct yw_cnid_person p;
        struct yw_err e = { 0 };
        int rc = check_id(typed[i], &p, &e);
        if (rc != 0)
            print_message("row %zu '%s': %s\n", i, typed[i], e.msg);
        assert_int_equal(rc, 0);
        assert_string_equal(p.id, "11010519491231002X");
        assert_string_equal(p.region, "110105");
        assert_string_equal(p.birth, "1949-12-31");
    }
    /* only the 18 characters count: blanks do not make it too long */
    assert_int_equal(yw_cnid_check_id("11010519491231002X  ", 20, NULL, NULL), 0);
}

/* Residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证,
 * 国办发〔2018〕81号) carry a GB 11643-1999 number whose address code is 810000,
 * 820000 or 830000; all three are accepted and keep their code as the region. */
static void
test_id_residence_permits(void **state)
{
    static const char *const bodies[] = {
        "81000019900101002", /* Hong Kong */
        "82000019900101004", /* Macao */
        "83000019900101006", /* Taiwan */
        "83000020000229003",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char id[19];
        struct yw_cnid_person p;
        struct yw_err e = { 0 };
        make_id(bodies[i], id);
        int rc = check_id(id, &p, &e);
        if (rc != 0)
            print_message("'%s': %s\n", id, e.msg);
        assert_int_equal(rc, 0);
        assert_memory_equal(p.region, bodies[i], 6);
        assert_int_equal(p.region[6], '\0');
    }
    /* 83 is no GB/T 2260 province: only the permit code 830000 itself */
    char id[19];
    struct yw_err e = { 0 };
    make_id("83010019900101006", id);
    assert_int_equal(check_id(id, NULL, &e), YW_EIDREGION);
    assert_non_null(strstr(e.msg, "'830100'"));
}

/* GB 32100-2015 codes as people type them: full-width, lower case, blanks and
 * hyphens between groups (authority+category, region, organization code). */
static void
test_uscc_as_typed(void **state)
{
    static const char *const typed[] = {
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "９１３５０１００ｍ０００１００ｙ４３",
        " 91 350100 M000100Y4 3 ",
        "91-350100-M000100Y4-3",
        "91\xef\xbc\x8d"
        "350100\xe2\x80\x94M000100Y4\xe3\x80\x80"
        "3", /* － — U+3000 */
        "91350100-m000100y4-3\n",
    };
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        struct yw_cnid_org o;
        struct yw_err e = { 0 };
        int rc = check_uscc(typed[i], &o, &e);
        if (rc != 0)
            print_message("row %zu '%s': %s\n", i, typed[i], e.msg);
        assert_int_equal(rc, 0);
        assert_string_equal(o.code, "91350100M000100Y43");
        assert_string_equal(o.org_code, "M000100Y4");
    }
}

/* The stored form for look-ups: an identity number (GB 11643-1999) or a credit
 * code (GB 32100-2015) however typed; anything else is not one. */
static void
test_ident_normalize(void **state)
{
    char out[19];
    assert_true(yw_cnid_ident_normalize("１１０１０５１９４９１２３１００２ｘ", out));
    assert_string_equal(out, "11010519491231002X");
    assert_true(yw_cnid_ident_normalize(" 11010519491231002x", out));
    assert_string_equal(out, "11010519491231002X");
    assert_true(yw_cnid_ident_normalize("91350100-m000100y4-3", out));
    assert_string_equal(out, "91350100M000100Y43");
    /* a Taiwan resident's permit number typed full-width */
    char id[19], wide[18 * 3 + 1];
    make_id("83000019900101006", id);
    for (int i = 0; i < 18; i++) {
        unsigned cp = 0xFEE0u + (unsigned char)id[i]; /* U+FF10.. digits, U+FF38 X */
        wide[3 * i] = (char)(0xE0 | cp >> 12);
        wide[3 * i + 1] = (char)(0x80 | (cp >> 6 & 0x3F));
        wide[3 * i + 2] = (char)(0x80 | (cp & 0x3F));
    }
    wide[54] = '\0';
    assert_true(yw_cnid_ident_normalize(wide, out));
    assert_string_equal(out, id);
    /* hyphens are only dropped from credit codes */
    assert_false(yw_cnid_ident_normalize("110105-19491231002X", out));
    assert_string_equal(out, "");
    assert_false(yw_cnid_ident_normalize("admin", out));
    assert_string_equal(out, "");
    assert_false(yw_cnid_ident_normalize("11010519491231002Y", out));
    assert_false(yw_cnid_ident_normalize("", out));
    assert_false(yw_cnid_ident_normalize(NULL, out));
    assert_string_equal(out, "");
}

/* ---- mobile numbers and masks ------------------------------------------ */

/* Mainland mobile numbers: 11 digits, '1' then '3'-'9'. */
static void
test_mobile(void **state)
{
    assert_true(yw_cnid_mobile_ok("13800000000"));
    assert_true(yw_cnid_mobile_ok("19912345678"));
    assert_true(yw_cnid_mobile_ok("14700000000"));
    assert_false(yw_cnid_mobile_ok("12800000000")); /* second digit 2 */
    assert_false(yw_cnid_mobile_ok("10800000000"));
    assert_false(yw_cnid_mobile_ok("23800000000"));  /* first digit not 1 */
    assert_false(yw_cnid_mobile_ok("1380000000"));   /* 10 digits */
    assert_false(yw_cnid_mobile_ok("138000000000")); /* 12 digits */
    assert_false(yw_cnid_mobile_ok("1380000000a"));
    assert_false(yw_cnid_mobile_ok("+8613800000000"));
    assert_false(yw_cnid_mobile_ok("138 0000 000"));
    assert_false(yw_cnid_mobile_ok(""));
    assert_false(yw_cnid_mobile_ok(NULL));
}

/* List masks: identity number 4 + 10 '*' + 4, mobile 3 + 4 '*' + 4, landline area code + last 4; malformed
 * input is starred out entirely. */
static void
test_masks(void **state)
{
    char id[19], ph[YW_CNID_PHONE_MASK];
    yw_cnid_mask_id("31010119900101002X", id);
    assert_string_equal(id, "3101**********002X");
    yw_cnid_mask_id("11010519491231002X", id);
    assert_string_equal(id, "1101**********002X");
    yw_cnid_mask_id("1101051949123100", id);
    assert_string_equal(id, "******************");
    yw_cnid_mask_id("11010519491231002X0", id);
    assert_string_equal(id, "******************");
    yw_cnid_mask_id(NULL, id);
    assert_string_equal(id, "******************");

    yw_cnid_mask_phone("13800000000", ph);
    assert_string_equal(ph, "138****0000");
    yw_cnid_mask_phone("19912345678", ph);
    assert_string_equal(ph, "199****5678");
    yw_cnid_mask_phone("1380000", ph);
    assert_string_equal(ph, "***********");
    yw_cnid_mask_phone(NULL, ph);
    assert_string_equal(ph, "***********");
    /* landlines: the area code and the last 4 digits */
    yw_cnid_mask_phone("021-64871234", ph);
    assert_string_equal(ph, "021-****1234");
    yw_cnid_mask_phone("02164871234", ph);
    assert_string_equal(ph, "021****1234");
    yw_cnid_mask_phone("0571-8888777", ph);
    assert_string_equal(ph, "0571-***8777");
    yw_cnid_mask_phone("057188887777", ph);
    assert_string_equal(ph, "0571****7777");
    yw_cnid_mask_phone("010-12345678", ph);
    assert_string_equal(ph, "010-****5678");
    /* not a landline: nothing shown */
    yw_cnid_mask_phone("021-6487-1234", ph);
    assert_string_equal(ph, "***********");
    yw_cnid_mask_phone("021-123", ph);
    assert_string_equal(ph, "***********");
    yw_cnid_mask_phone("0216487123456789", ph);
    assert_string_equal(ph, "***********");
    yw_cnid_mask_phone("0X1-64871234", ph);
    assert_string_equal(ph, "***********");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_id_standard_example),
        cmocka_unit_test(test_id_check_char_rule),
        cmocka_unit_test(test_id_constructed_xuhui),
        cmocka_unit_test(test_id_lowercase_x),
        cmocka_unit_test(test_id_historical_region),
        cmocka_unit_test(test_id_birth_today_cst),
        cmocka_unit_test(test_id_errors),
        cmocka_unit_test(test_id_edges),
        cmocka_unit_test(test_org_check_char_rule),
        cmocka_unit_test(test_uscc_check_char_rule),
        cmocka_unit_test(test_uscc_standard_example),
        cmocka_unit_test(test_uscc_lowercase),
        cmocka_unit_test(test_uscc_constructed),
        cmocka_unit_test(test_uscc_errors),
        cmocka_unit_test(test_normalize_fold),
        cmocka_unit_test(test_id_as_typed),
        cmocka_unit_test(test_id_residence_permits),
        cmocka_unit_test(test_uscc_as_typed),
        cmocka_unit_test(test_ident_normalize),
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_masks),
    };
    return cmocka_run_group_tests(tests, fix_clock, NULL);
}
