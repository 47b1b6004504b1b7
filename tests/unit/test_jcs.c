/*
 * test_jcs.c - unit tests of core/jcs: RFC 8785 JSON Canonicalization Scheme,
 * the canonical bytes of license documents (docs/LICENSES.md).
 *
 * Vectors: the RFC's own examples (§3.2.2 the string and literal parts, §3.2.3
 * the sorting of names by UTF-16 code units, Appendix B's integers at 2^53),
 * then each escaping rule of §3.2.2.2 restated independently (every code point
 * below U+0020, the characters that are *not* escaped) and the refusals this
 * implementation adds for values licenses never hold (non-integer numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jcs.h"

/* The canonical form of JSON text `in` (parsed by jansson) into a new
 * string, or NULL when yw_jcs refuses it (err then filled). */
static char *
canon(const char *in, struct yw_err *err)
{
    json_error_t je;
    json_t *v = json_loads(in, JSON_DECODE_ANY, &je);
    if (v == NULL)
        fail_msg("test input does not parse: %s: %s", in, je.text);
    struct yw_buf b;
    yw_buf_init(&b);
    int rc = yw_jcs(v, &b, err);
    json_decref(v);
    if (rc) {
        assert_int_equal(rc, YW_EINVAL);
        yw_buf_release(&b);
        return NULL;
    }
    return b.p; /* the buffer's bytes, NUL-terminated; freed by the caller */
}

static void
expect(const char *in, const char *want)
{
    struct yw_err err = { 0 };
    char *got = canon(in, &err);
    if (got == NULL)
        fail_msg("refused %s: %s", in, err.msg);
    assert_string_equal(got, want);
    free(got);
}

static void
expect_refused(const char *in, const char *field)
{
    struct yw_err err = { 0 };
    char *got = canon(in, &err);
    if (got != NULL)
        fail_msg("accepted %s as %s", in, got);
    assert_string_equal(err.field, field);
    assert_non_null(strstr(err.msg, "RFC 8785"));
}

/* RFC 8785 §3.2.2: the example's literals and string, byte for byte; its
 * numbers (non-integers) are what this implementation refuses. */
static void
test_rfc_example_strings(void **state)
{
    (void)state;
    expect(
        "{\"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", \"literals\": [null, true, false]}",
        "{\"literals\":[null,true,false],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    expect_refused(
        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "
        "\"literals\": [null, true, false]}",
        "numbers[0]");
}

/* RFC 8785 §3.2.3: names sorted as UTF-16 code units.  In UTF-8 byte order
 * U+FB33 (EF AC B3) would come before the emoji U+1F600 (F0 9F 98 80); as
 * UTF-16 the emoji's high surrogate D83D comes before FB33. */
static void
test_rfc_example_sorting(void **state)
{
    (void)state;
    expect(
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
        "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
        "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
        "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
        "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
    /* the comparison itself: a prefix first, then unit by unit */
    assert_true(yw_jcs_name_cmp("a", 1, "ab", 2) < 0);
    assert_true(yw_jcs_name_cmp("ab", 2, "a", 1) > 0);
    assert_int_equal(yw_jcs_name_cmp("", 0, "", 0), 0);
    assert_true(yw_jcs_name_cmp("B", 1, "a", 1) < 0); /* code units, not letters */
    /* U+FFFD (FFFD) after U+10000 (D800 DC00); UTF-8 bytes would say before */
    assert_true(yw_jcs_name_cmp("\xef\xbf\xbd", 3, "\xf0\x90\x80\x80", 4) > 0);
    assert_true(strcmp("\xef\xbf\xbd", "\xf0\x90\x80\x80") < 0);
    /* nested objects are sorted too; arrays keep their order */
    expect("{\"b\":[3,1,2],\"a\":{\"y\":1,\"x\":{\"d\":true,\"c\":null}}}",
           "{\"a\":{\"x\":{\"c\":null,\"d\":true},\"y\":1},\"b\":[3,1,2]}");
}

/* §3.2.2.2: every code point below U+0020, restated: the five with short forms,
 * the rest \u00XX in lower-case hex. */
static void
test_control_characters(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 0x20; c++) {
        char in[16], want[16];
        snprintf(in, sizeof in, "\"\\u%04X\"", c); /* upper-case hex in, whatever the input */
        const char *shortform = c == 8    ? "\\b"
                                : c == 9  ? "\\t"
                                : c == 10 ? "\\n"
                                : c == 12 ? "\\f"
                                : c == 13 ? "\\r"
                                          : NULL;
        if (shortform)
            snprintf(want, sizeof want, "\"%s\"", shortform);
        else
            snprintf(want, sizeof want, "\"\\u00%x%x\"", c >> 4, c & 0xf);
        if (c == 0) {
            /* jansson refuses \u0000 unless asked: build the string directly */
            json_t *v = json_stringn("\0", 1);
            struct yw_buf b;
            yw_buf_init(&b);
            assert_int_equal(yw_jcs(v, &b, NULL), 0);
            assert_string_equal(b.p, "\"\\u0000\"");
            yw_buf_release(&b);
            json_decref(v);
            continue;
        }
        expect(in, want);
    }
    /* the reason for all this: jansson's form writes upper-case hex */
    json_t *v = json_pack("{s:s}", "a", "\x1f");
    char *old = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(old, "{\"a\":\"\\u001F\"}");
    struct yw_buf b;
    yw_buf_init(&b);
    assert_int_equal(yw_jcs(v, &b, NULL), 0);
    assert_string_equal(b.p, "{\"a\":\"\\u001f\"}");
    yw_buf_release(&b);
    free(old);
    json_decref(v);
}

/* What is not escaped: '/', DEL, U+2028, U+2029, any non-ASCII character,
 * characters outside the BMP (as UTF-8, never as surrogate escapes). */
static void
test_not_escaped(void **state)
{
    (void)state;
    expect("\"a/b\\u007f\\u2028\\u2029\\u4e2d\\ud83d\\ude00\"",
           "\"a/b\x7f\xe2\x80\xa8\xe2\x80\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"");
    expect("\"\\\"quoted\\\" back\\\\slash\"", "\"\\\"quoted\\\" back\\\\slash\"");
    expect("\"\"", "\"\"");
    expect("{\"\":\"\"}", "{\"\":\"\"}");
    expect("{}", "{}");
    expect("[]", "[]");
    expect("[null,true,false]", "[null,true,false]");
    /* yw_jcs_string on its own */
    struct yw_buf b;
    yw_buf_init(&b);
    assert_int_equal(yw_jcs_string("x\ty", 3, &b), 0);
    assert_string_equal(b.p, "\"x\\ty\"");
    assert_int_equal(yw_jcs_string("\xc0\xaf", 2, &b), YW_EINVAL);         /* overlong '/' */
    assert_int_equal(yw_jcs_string("\xed\xa0\x80", 3, &b), YW_EINVAL);     /* a surrogate */
    assert_int_equal(yw_jcs_string("\xf4\x90\x80\x80", 4, &b), YW_EINVAL); /* beyond U+10FFFF */
    assert_int_equal(yw_jcs_string("\xe4\xb8", 2, &b), YW_EINVAL);         /* cut short */
    assert_string_equal(b.p, "\"x\\ty\"");
    yw_buf_release(&b);
}

/* Numbers: integers within 2^53 as their digits (Appendix B: 4340000000000000
 * is 9007199254740992, c340000000000000 is -9007199254740992); everything else
 * refused, naming where. */
static void
test_numbers(void **state)
{
    (void)state;
    expect("[0,-0,1,-1,42,1000000]", "[0,0,1,-1,42,1000000]");
    expect("[9007199254740992,-9007199254740992,9007199254740991]",
           "[9007199254740992,-9007199254740992,9007199254740991]");
    expect_refused("[9007199254740993]", "[0]");
    expect_refused("{\"a\":{\"b\":[1,-9007199254740993]}}", "a.b[1]");
    expect_refused("{\"version\":1.0}", "version");
    expect_refused("{\"fields\":{\"amount\":2.5}}", "fields.amount");
    expect_refused("1e3", "");
}

/* Strings that are not UTF-8 (jansson can be made to hold them) and nesting
 * beyond the limit are refused. */
static void
test_refusals(void **state)
{
    (void)state;
    json_t *v = json_object();
    json_object_set_new(v, "bad", json_stringn_nocheck("\xff", 1));
    struct yw_buf b;
    yw_buf_init(&b);
    struct yw_err err = { 0 };
    assert_int_equal(yw_jcs(v, &b, &err), YW_EINVAL);
    assert_string_equal(err.field, "bad");
    json_decref(v);

    json_t *deep = json_array(), *cur = deep;
    for (int i = 0; i < YW_JCS_MAX_DEPTH + 1; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    yw_buf_reset(&b);
    assert_int_equal(yw_jcs(deep, &b, NULL), YW_EINVAL);
    json_decref(deep);
    assert_int_equal(yw_jcs(NULL, &b, NULL), YW_EINVAL);
    yw_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example_strings),
        cmocka_unit_test(test_rfc_example_sorting),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_not_escaped),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
