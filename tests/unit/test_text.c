/*
 * test_text.c - every text ywtb writes stays valid UTF-8 whatever came in
 * (issue 16, item 4): the UTF-8 helpers (core/utf8.h), yw_fail's formatting
 * that counts characters in `%.Ns` and never cuts one (core/err.h), the JSON
 * error body that repairs any invalid byte (http/response.c), and the router
 * that refuses a path that is not UTF-8 (http/router.h).
 */
#include "testutil.h"

#include "core/err.h"
#include "core/utf8.h"
#include "http/internal.h"
#include "http/router.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define ZHONG   "\xe4\xb8\xad"     /* 中, 3 bytes */
#define E_ACUTE "\xc3\xa9"         /* é, 2 bytes */
#define GRIN    "\xf0\x9f\x98\x80" /* U+1F600, 4 bytes */

static char *
repeat(const char *s, size_t times)
{
    size_t n = strlen(s);
    char *r = malloc(n * times + 1);
    assert_non_null(r);
    for (size_t i = 0; i < times; i++)
        memcpy(r + i * n, s, n);
    r[n * times] = '\0';
    return r;
}

/* yw_err_vformat without the format attribute, for formats the compiler
 * would refuse (a NULL %s, a trailing %, an unknown directive). */
static size_t
format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = yw_err_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void
assert_utf8(const char *s)
{
    if (!yw_utf8_valid(s, strlen(s)))
        fail_msg("not valid UTF-8: '%s'", s);
}

/* ---- utf8.h ---- */

static void
test_utf8_char(void **state)
{
    (void)state;
    assert_int_equal(yw_utf8_char("a", 1), 1);
    assert_int_equal(yw_utf8_char(E_ACUTE, 2), 2);
    assert_int_equal(yw_utf8_char(ZHONG, 3), 3);
    assert_int_equal(yw_utf8_char(GRIN, 4), 4);
    assert_int_equal(yw_utf8_char(ZHONG, 2), 0);              /* cut short */
    assert_int_equal(yw_utf8_char("\xb8", 1), 0);             /* stray continuation */
    assert_int_equal(yw_utf8_char("\xc0\xaf", 2), 0);         /* overlong '/' */
    assert_int_equal(yw_utf8_char("\xed\xa0\x80", 3), 0);     /* surrogate U+D800 */
    assert_int_equal(yw_utf8_char("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    assert_int_equal(yw_utf8_char("\xff", 1), 0);
    assert_int_equal(yw_utf8_char("", 1), 0); /* NUL */
    assert_int_equal(yw_utf8_char("a", 0), 0);

    assert_int_equal(yw_utf8_valid_prefix("ab" ZHONG "\xff"
                                          "c",
                                          7),
                     5);
    assert_int_equal(yw_utf8_valid_prefix("ab" ZHONG, 4), 2);
    assert_int_equal(yw_utf8_valid_prefix("abc", 3), 3);
    assert_true(yw_utf8_valid(ZHONG GRIN E_ACUTE, 9));
    assert_false(yw_utf8_valid("a\0b", 3));
}

static void
test_utf8_prefix_and_clip(void **state)
{
    (void)state;
    const char *s = "a" ZHONG "b" GRIN; /* 4 characters, 9 bytes */
    assert_int_equal(yw_utf8_prefix(s, 9, 0), 0);
    assert_int_equal(yw_utf8_prefix(s, 9, 1), 1);
    assert_int_equal(yw_utf8_prefix(s, 9, 2), 4);
    assert_int_equal(yw_utf8_prefix(s, 9, 3), 5);
    assert_int_equal(yw_utf8_prefix(s, 9, 4), 9);
    assert_int_equal(yw_utf8_prefix(s, 9, 40), 9);
    /* a byte that begins no character counts as one */
    assert_int_equal(yw_utf8_prefix("\xff\xfe" ZHONG, 5, 2), 2);
    assert_int_equal(yw_utf8_prefix("\xff\xfe" ZHONG, 5, 3), 5);
    /* clip: never end inside a character */
    assert_int_equal(yw_utf8_clip(s, 9), 9);
    assert_int_equal(yw_utf8_clip(s, 8), 5);
    assert_int_equal(yw_utf8_clip(s, 6), 5);
    assert_int_equal(yw_utf8_clip(s, 5), 5);
    assert_int_equal(yw_utf8_clip(s, 3), 1);
    assert_int_equal(yw_utf8_clip(s, 2), 1);
    assert_int_equal(yw_utf8_clip(s, 1), 1);
    assert_int_equal(yw_utf8_clip(s, 0), 0);
    assert_int_equal(yw_utf8_clip("ab\xb8", 3), 3); /* a stray byte stays (the body repairs it) */
}

/* ---- yw_fail ---- */

static void
test_fail_precision_counts_characters(void **state)
{
    (void)state;
    struct yw_err err;
    char *zh50 = repeat(ZHONG, 50);
    char *zh40 = repeat(ZHONG, 40);
    yw_fail(&err, YW_ENOTFOUND, "", "no item '%.40s'", zh50);
    char want[200];
    snprintf(want, sizeof want, "no item '%s'", zh40);
    assert_string_equal(err.msg, want);
    /* shorter than the precision: all of it */
    yw_fail(&err, YW_ENOTFOUND, "", "no item '%.40s'", "XH" ZHONG);
    assert_string_equal(err.msg, "no item 'XH" ZHONG "'");
    yw_fail(&err, YW_EINVAL, "", "[%.2s][%.3s][%.0s]", "a" ZHONG "b", "a" ZHONG "b" GRIN, ZHONG);
    assert_string_equal(err.msg, "[a" ZHONG "][a" ZHONG "b][]");
    yw_fail(&err, YW_EINVAL, "", "%.2s", GRIN GRIN GRIN);
    assert_string_equal(err.msg, GRIN GRIN);
    /* invalid bytes count one each and are passed through (the body repairs them) */
    yw_fail(&err, YW_EINVAL, "", "%.2s", "\xff" ZHONG "x");
    assert_string_equal(err.msg, "\xff" ZHONG);
    free(zh50);
    free(zh40);
}

static void
test_fail_star_precision_is_bytes(void **state)
{
    (void)state;
    struct yw_err err;
    /* %.*s keeps C's meaning (bytes), cut back to a whole character */
    yw_fail(&err, YW_EINVAL, "", "<%.*s>", 4, ZHONG ZHONG);
    assert_string_equal(err.msg, "<" ZHONG ">");
    yw_fail(&err, YW_EINVAL, "", "<%.*s>", 6, ZHONG ZHONG "x");
    assert_string_equal(err.msg, "<" ZHONG ZHONG ">");
    /* a buffer that is not NUL-terminated is never read past its length */
    char *raw = malloc(3);
    assert_non_null(raw);
    memcpy(raw, "abc", 3);
    yw_fail(&err, YW_EINVAL, "", "<%.*s>", 3, raw);
    assert_string_equal(err.msg, "<abc>");
    free(raw);
    /* a negative precision is as if there were none */
    yw_fail(&err, YW_EINVAL, "", "<%.*s>", -1, "abc");
    assert_string_equal(err.msg, "<abc>");
}

static void
test_fail_width_and_other_directives(void **state)
{
    (void)state;
    struct yw_err err;
    yw_fail(&err, YW_EINVAL, "", "[%-6s][%5s][%*s][%-*s]", ZHONG "a", ZHONG, 3, "b", 3, ZHONG);
    assert_string_equal(err.msg, "[" ZHONG "a    ][    " ZHONG "][  b][" ZHONG "  ]");
    /* everything else is printf's */
    char want[256];
    long long big = -1234567890123LL;
    snprintf(
        want, sizeof want,
        "%d %i %u %x %X %o %02x %06lld %llu %lld %zu %ld %hd %hhu %5.2f %.1f %e %g %c %% %-5d| %+d %*d %p",
        -7, 42, 7u, 255u, 255u, 8u, 10u, 42LL, 18446744073709551615ULL, big, (size_t)99, -5L,
        (short)-3, (unsigned char)250, 3.14159, 2.25, 12345.678, 0.0001, 'Z', 12, 5, 4, 7,
        (void *)&err);
    yw_fail(
        &err, YW_EINVAL, "",
        "%d %i %u %x %X %o %02x %06lld %llu %lld %zu %ld %hd %hhu %5.2f %.1f %e %g %c %% %-5d| %+d %*d %p",
        -7, 42, 7u, 255u, 255u, 8u, 10u, 42LL, 18446744073709551615ULL, big, (size_t)99, -5L,
        (short)-3, (unsigned char)250, 3.14159, 2.25, 12345.678, 0.0001, 'Z', 12, 5, 4, 7,
        (void *)&err);
    assert_string_equal(err.msg, want);
    char buf[8];
    /* formats the compiler would refuse: through a wrapper it cannot check */
    char out[64];
    format_unchecked(out, sizeof out, "%s and %s", (const char *)NULL, "x");
    assert_string_equal(out, "(null) and x");
    format_unchecked(out, sizeof out, "100%");
    assert_string_equal(out, "100%");
    format_unchecked(out, sizeof out, "%q%d", 5);
    assert_string_equal(out, "%q5");
    assert_int_equal(yw_err_format(buf, sizeof buf, "%s", "abcdefghij"), 7);
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(yw_err_format(buf, sizeof buf, "%s", ZHONG ZHONG ZHONG), 6);
    assert_string_equal(buf, ZHONG ZHONG);
}

static void
test_fail_truncation_at_character_boundary(void **state)
{
    (void)state;
    struct yw_err err;
    /* 2-byte characters past the 255 bytes of msg: 127 of them (254 bytes), not 127.5 */
    char *e200 = repeat(E_ACUTE, 200);
    yw_fail(&err, YW_EINVAL, e200, "%s", e200);
    assert_int_equal(strlen(err.msg), 254);
    assert_utf8(err.msg);
    assert_int_equal(yw_utf8_len(err.msg, strlen(err.msg)), 127);
    /* the field (63 bytes): 31 characters */
    assert_int_equal(strlen(err.field), 62);
    assert_utf8(err.field);
    /* 3- and 4-byte characters after an odd prefix */
    char *zh = repeat(ZHONG, 120);
    yw_fail(&err, YW_EINVAL, "", "x%s", zh);
    assert_int_equal(strlen(err.msg), 253); /* 'x' + 84 characters */
    assert_utf8(err.msg);
    char *grin = repeat(GRIN, 80);
    yw_fail(&err, YW_EINVAL, "", "xy%sz", grin);
    assert_int_equal(strlen(err.msg), 254); /* "xy" + 63 characters */
    assert_utf8(err.msg);
    free(e200);
    free(zh);
    free(grin);
}

/* ---- the JSON error body ---- */

static void
test_error_body_repairs_invalid_text(void **state)
{
    (void)state;
    struct yw_req req;
    memset(&req, 0, sizeof req);
    req.resp_fd = -1;
    req.request_id = "0a1b2c3d0000000001";
    yw_arena_init(&req.arena, 0);
    /* bytes that are not UTF-8, however they got into the message and field */
    yw_fail(&req.err, YW_ENOTFOUND, "na\xffme", "no item '%s' (%s)",
            "\xff\xfe"
            "abc" ZHONG,
            "\xe4\xb8");
    yw_http__error_body(&req, YW_ENOTFOUND);
    assert_true(yw_utf8_valid(req.resp_body, req.resp_len));
    json_error_t jerr;
    json_t *o = json_loadb(req.resp_body, req.resp_len, JSON_REJECT_DUPLICATES, &jerr);
    if (o == NULL)
        fail_msg("error body is not JSON (%s): %.*s", jerr.text, (int)req.resp_len, req.resp_body);
    json_t *e = json_object_get(o, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "not_found");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "no item '\xef\xbf\xbd\xef\xbf\xbd"
                        "abc" ZHONG "' (\xef\xbf\xbd\xef\xbf\xbd)");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "na\xef\xbf\xbdme");
    json_decref(o);
    yw_http__resp_clear(&req);
    yw_arena_release(&req.arena);
}

/* ---- the router ---- */

static int
h_ok(struct yw_req *req)
{
    (void)req;
    return 0;
}

static void
test_router_refuses_paths_not_utf8(void **state)
{
    (void)state;
    static const struct yw_route routes[] = {
        { "GET", "/items/{code}", h_ok, 0, YW_R_PUBLIC, NULL, "one item" },
    };
    static const struct yw_module mod = { "fake", NULL, NULL, routes, 1 };
    static const struct yw_module *const mods[] = { &mod };
    struct yw_router *r = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_router_build(mods, 1, false, &r, &err), 0);
    struct yw_req req;
    memset(&req, 0, sizeof req);
    yw_arena_init(&req.arena, 0);
    assert_int_equal(yw_router_match(r, &req, "GET", "/items/" ZHONG "a", NULL), YW_MATCH_OK);
    assert_string_equal(yw_req_param(&req, "code"), ZHONG "a");
    static const char *const bad[] = {
        "/items/\xff",
        "/items/\xe4\xb8",
        "/items/\xc0\xaf",
        "/items/\xed\xa0\x80",
        "/items/\xf4\x90\x80\x80",
        "/nowhere/\xfe",
        "/\xb8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        req.route = NULL;
        req.nparams = 0;
        assert_int_equal(yw_router_match(r, &req, "GET", bad[i], NULL), YW_MATCH_BAD_TEXT);
        assert_null(req.route);
        assert_int_equal(req.nparams, 0);
    }
    yw_arena_release(&req.arena);
    yw_router_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_char),
        cmocka_unit_test(test_utf8_prefix_and_clip),
        cmocka_unit_test(test_fail_precision_counts_characters),
        cmocka_unit_test(test_fail_star_precision_is_bytes),
        cmocka_unit_test(test_fail_width_and_other_directives),
        cmocka_unit_test(test_fail_truncation_at_character_boundary),
        cmocka_unit_test(test_error_body_repairs_invalid_text),
        cmocka_unit_test(test_router_refuses_paths_not_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
