/*
 * test_core.c - unit tests of src/core: the error table (and the JSON error
 * body built from it), the arena and yw_buf, UTF-8 validation, the settable
 * clock and ISO-8601 parsing, configuration, role names and the crypto
 * wrappers (SM3 per GB/T 32905, Argon2id, tokens).
 */
#include "testutil.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/roles.h"
#include "core/utf8.h"
#include "http/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- err.h ---- */

/* Every code of the table, through the enum (the values, not the rows'
 * texts: comparing the table with its own expansion could not fail). */
static const int all_codes[] = {
#define CODE(name, val, http, code, msg) YW_##name,
    YW_ERRORS(CODE)
#undef CODE
};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

/* The error table's promises: codes negative and unique, each with a stable
 * snake_case code string of its own, an HTTP status among those the API
 * documents (DESIGN.md, HTTP API conventions: 4xx for the caller's mistakes,
 * 5xx only for ours), a default message written the STYLE way (lower-case
 * start, no full stop); unknown codes still answer. */
static void
test_err_table(void **state)
{
    (void)state;
    /* 412: a stale If-Match (RFC 9110 13.1.1; catalog edits, issue 21 item 8) */
    static const int statuses[] = {
        400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429, 500, 503
    };
    assert_true(NCODES >= 20);
    for (size_t i = 0; i < NCODES; i++) {
        int rc = all_codes[i];
        assert_true(rc < 0);
        int http = yw_errhttp(rc);
        bool known = false;
        for (size_t k = 0; k < sizeof statuses / sizeof statuses[0]; k++)
            known = known || statuses[k] == http;
        if (!known)
            fail_msg("%s maps to HTTP %d, not a documented status", yw_errcode(rc), http);
        const char *code = yw_errcode(rc);
        assert_non_null(code);
        assert_true(strlen(code) > 0);
        for (const char *p = code; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        /* only YW_EINTERNAL may look like an unknown code */
        if (rc != YW_EINTERNAL)
            assert_string_not_equal(code, yw_errcode(-999));
        const char *msg = yw_strerror(rc);
        assert_non_null(msg);
        assert_true(strlen(msg) > 0);
        assert_string_not_equal(msg, yw_strerror(-999));
        assert_true(msg[0] >= 'a' && msg[0] <= 'z');
        assert_int_not_equal(msg[strlen(msg) - 1], '.');
        for (size_t j = i + 1; j < NCODES; j++) {
            assert_int_not_equal(rc, all_codes[j]);
            assert_string_not_equal(code, yw_errcode(all_codes[j]));
        }
    }
    /* spot checks of the mapping the API promises (DESIGN.md, HTTP API conventions) */
    assert_int_equal(yw_errhttp(YW_ENOTFOUND), 404);
    assert_int_equal(yw_errhttp(YW_ECONFLICT), 409);
    assert_int_equal(yw_errhttp(YW_EFIELD), 422);
    assert_int_equal(yw_errhttp(YW_EAUTH), 401);
    assert_int_equal(yw_errhttp(YW_EFORBIDDEN), 403);
    assert_int_equal(yw_errhttp(YW_ETOOBIG), 413);
    assert_int_equal(yw_errhttp(YW_ERATE), 429);
    assert_string_equal(yw_errcode(YW_EJSON), "invalid_json");
    /* success and unknown codes (negative and positive) */
    assert_int_equal(yw_errhttp(0), 200);
    assert_string_equal(yw_errcode(0), "ok");
    for (int rc = -999; rc <= 999; rc += 1998) {
        assert_int_equal(yw_errhttp(rc), 500);
        assert_string_equal(yw_errcode(rc), "internal_error");
        assert_non_null(yw_strerror(rc));
        assert_string_equal(yw_strerror(rc), "unknown error");
    }
}

/* The JSON error body (http/response.c, the one place it is built) of code rc
 * with err's message and field: parsed strictly, checked, returned (new ref). */
static json_t *
error_body(int rc, const char *field, const char *msg)
{
    struct yw_req req;
    memset(&req, 0, sizeof req);
    req.resp_fd = -1;
    req.request_id = "0a1b2c3d0000000001";
    yw_arena_init(&req.arena, 0);
    if (msg)
        yw_fail(&req.err, rc, field, "%s", msg);
    yw_http__error_body(&req, rc);
    assert_int_equal(req.status, yw_errhttp(rc));
    assert_string_equal(req.content_type, "application/json; charset=utf-8");
    json_error_t jerr;
    json_t *o = json_loadb(req.resp_body, req.resp_len, JSON_REJECT_DUPLICATES, &jerr);
    if (o == NULL)
        fail_msg("error body of %s is not JSON (%s): %.*s", yw_errcode(rc), jerr.text,
                 (int)req.resp_len, req.resp_body);
    yw_http__resp_clear(&req);
    yw_arena_release(&req.arena);
    json_t *e = json_object_get(o, "error");
    assert_true(json_is_object(e));
    assert_int_equal(json_object_size(o), 1);
    assert_string_equal(json_string_value(json_object_get(e, "code")), yw_errcode(rc));
    assert_string_equal(json_string_value(json_object_get(e, "request_id")), "0a1b2c3d0000000001");
    return o;
}

/* Every code renders as a valid JSON error body with its code, status and
 * default message; a message and field with quotes, backslashes, control
 * characters and Chinese text come back unchanged. */
static void
test_err_json_body(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        json_t *o = error_body(all_codes[i], NULL, NULL);
        json_t *e = json_object_get(o, "error");
        assert_string_equal(json_string_value(json_object_get(e, "message")),
                            yw_strerror(all_codes[i]));
        assert_null(json_object_get(e, "field"));
        json_decref(o);
    }
    const char *hostile = "cannot read \"a\\b\"\n\t\x01 申请人 '<script>'";
    json_t *o = error_body(YW_EFIELD, "name\"x", hostile);
    json_t *e = json_object_get(o, "error");
    assert_string_equal(json_string_value(json_object_get(e, "message")), hostile);
    assert_string_equal(json_string_value(json_object_get(e, "field")), "name\"x");
    json_decref(o);
}

static void
test_err_fail(void **state)
{
    (void)state;
    struct yw_err err;
    memset(&err, 'x', sizeof err);
    assert_int_equal(yw_fail(&err, YW_EFIELD, "id_number", "bad '%s' (%d)", "3101", 7), YW_EFIELD);
    assert_string_equal(err.field, "id_number");
    assert_string_equal(err.msg, "bad '3101' (7)");

    /* NULL field and NULL format give empty strings */
    assert_int_equal(yw_fail(&err, YW_EINVAL, NULL, NULL), YW_EINVAL);
    assert_string_equal(err.field, "");
    assert_string_equal(err.msg, "");

    /* no err: just the code */
    assert_int_equal(yw_fail(NULL, YW_EDB, "f", "m"), YW_EDB);

    /* truncated, never overflowed */
    char longf[200], longm[600];
    memset(longf, 'f', sizeof longf - 1);
    longf[sizeof longf - 1] = '\0';
    memset(longm, 'm', sizeof longm - 1);
    longm[sizeof longm - 1] = '\0';
    yw_fail(&err, YW_EINVAL, longf, "%s", longm);
    assert_int_equal(strlen(err.field), sizeof err.field - 1);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
}

/* ---- mem.h: arena ---- */

static int hook_order[8];
static int hook_n;

static void
hook_record(void *data)
{
    /* data lives in the arena itself: hooks must run before the chunks are freed */
    int *v = data;
    hook_order[hook_n++] = *v;
}

static void
test_arena_alloc(void **state)
{
    (void)state;
    struct yw_arena a;
    yw_arena_init(&a, 256);
    assert_int_equal(a.chunk_size, 256);

    /* alignment and no overlap across many odd sizes, spanning several chunks */
    unsigned char *ptrs[200];
    size_t sizes[200];
    for (int i = 0; i < 200; i++) {
        sizes[i] = (size_t)(i % 37) + 1;
        ptrs[i] = yw_arena_alloc(&a, sizes[i]);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], i & 0xff, sizes[i]);
    }
    for (int i = 0; i < 200; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);

    /* allocations larger than a chunk */
    unsigned char *big = yw_arena_alloc(&a, 100000);
    assert_int_equal((uintptr_t)big % 16, 0);
    memset(big, 0xab, 100000);
    assert_int_equal(big[0], 0xab);
    assert_int_equal(big[99999], 0xab);
    unsigned char *after = yw_arena_alloc(&a, 8);
    assert_int_equal((uintptr_t)after % 16, 0);
    memset(after, 1, 8);
    assert_int_equal(big[99999], 0xab);

    /* zero-size allocations still give a non-NULL pointer */
    void *z1 = yw_arena_alloc(&a, 0);
    assert_non_null(z1);

    unsigned char *zz = yw_arena_zalloc(&a, 300);
    for (int i = 0; i < 300; i++)
        assert_int_equal(zz[i], 0);

    char *s = yw_arena_strdup(&a, "徐汇区");
    assert_string_equal(s, "徐汇区");
    char *sn = yw_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(sn, "abc");
    char *pf = yw_arena_printf(&a, "%s-%05d-%c", "case", 42, 'Z');
    assert_string_equal(pf, "case-00042-Z");
    /* a formatted string longer than a chunk */
    char *lp = yw_arena_printf(&a, "%0600d", 7);
    assert_int_equal(strlen(lp), 600);
    assert_int_equal(lp[599], '7');

    yw_arena_release(&a);
    assert_null(a.head);
    assert_null(a.hooks);

    /* default chunk size; reuse after release */
    yw_arena_init(&a, 0);
    assert_true(a.chunk_size > 0);
    assert_string_equal(yw_arena_strdup(&a, "again"), "again");
    yw_arena_release(&a);
}

static void
test_arena_hooks(void **state)
{
    (void)state;
    struct yw_arena a;
    yw_arena_init(&a, 64);
    hook_n = 0;
    for (int i = 1; i <= 5; i++) {
        int *v = yw_arena_alloc(&a, sizeof *v);
        *v = i;
        yw_arena_on_release(&a, hook_record, v);
        /* fill chunks between hooks so hooks and data sit in different chunks */
        memset(yw_arena_alloc(&a, 100), 0, 100);
    }
    assert_int_equal(hook_n, 0);
    yw_arena_release(&a);
    assert_int_equal(hook_n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(hook_order[i], 5 - i); /* last registered first */
    /* release of an already released arena runs nothing again */
    yw_arena_release(&a);
    assert_int_equal(hook_n, 5);
}

/* ---- mem.h: buffers ---- */

static void
test_buf_growth(void **state)
{
    (void)state;
    struct yw_buf b;
    yw_buf_init(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);

    yw_buf_add(&b, "", 0);
    assert_non_null(b.p);
    assert_string_equal(b.p, "");

    for (int i = 0; i < 10000; i++)
        yw_buf_addc(&b, (char)('a' + i % 26));
    assert_int_equal(b.n, 10000);
    assert_true(b.cap >= b.n + 1);
    assert_int_equal(b.p[10000], '\0');
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.p[i], 'a' + i % 26);

    size_t cap = b.cap;
    yw_buf_reset(&b);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.p, "");

    yw_buf_adds(&b, "一网");
    yw_buf_add(&b, "通办XYZ", 6); /* bytes, not characters */
    assert_string_equal(b.p, "一网通办");
    assert_int_equal(b.n, 12);

    yw_buf_reset(&b);
    yw_buf_printf(&b, "%s=%d;", "seq", 12);
    yw_buf_printf(&b, "%s", "");
    yw_buf_printf(&b, "[%0300d]", 5);
    assert_int_equal(b.n, 7 + 302);
    assert_memory_equal(b.p, "seq=12;[000", 11);
    assert_int_equal(b.p[b.n - 2], '5');
    assert_int_equal(b.p[b.n - 1], ']');
    assert_int_equal(b.p[b.n], '\0');

    yw_buf_grow(&b, 5000);
    assert_true(b.cap >= b.n + 5001);

    yw_buf_release(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.cap, 0);

    char *d = yw_xstrndup("hello", 4);
    assert_string_equal(d, "hell");
    yw_wipe(d, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(d[i], 0);
    free(d);
}

/* XML text: the five specials escaped, the control characters XML 1.0 forbids
 * dropped (an Open311 answer and an XLSX cell must stay well-formed). */
static void
test_buf_xml(void **state)
{
    (void)state;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_add_xml(&b, "a&b<c>d\"e'f 中文\t\n\r\x01\x1f!");
    assert_string_equal(b.p, "a&amp;b&lt;c&gt;d&quot;e&apos;f 中文\t\n\r!");
    yw_buf_add_xml(&b, NULL);
    assert_string_equal(b.p, "a&amp;b&lt;c&gt;d&quot;e&apos;f 中文\t\n\r!");
    yw_buf_release(&b);
}

static void
test_buf_json(void **state)
{
    (void)state;
    struct yw_buf b;
    yw_buf_init(&b);

    const char in[] = "a\"b\\c/\n\r\t\x01\x1f\x7f 一网通办 😀";
    yw_buf_add_json_str(&b, in, sizeof in - 1);
    assert_string_equal(b.p, "\"a\\\"b\\\\c/\\n\\r\\t\\u0001\\u001f\x7f 一网通办 😀\"");

    /* length-delimited: an embedded NUL is escaped, not a terminator */
    yw_buf_reset(&b);
    yw_buf_add_json_str(&b, "x\0y", 3);
    assert_int_equal(b.n, 10);
    assert_string_equal(b.p, "\"x\\u0000y\"");

    /* appends after existing content; empty string */
    yw_buf_reset(&b);
    yw_buf_adds(&b, "{\"k\":");
    yw_buf_add_json_str(&b, "", 0);
    yw_buf_addc(&b, '}');
    assert_string_equal(b.p, "{\"k\":\"\"}");

    /* every control character is escaped */
    yw_buf_reset(&b);
    char ctl[31];
    for (int i = 1; i < 32; i++)
        ctl[i - 1] = (char)i;
    yw_buf_add_json_str(&b, ctl, sizeof ctl);
    for (size_t i = 1; i + 1 < b.n; i++)
        assert_true((unsigned char)b.p[i] >= 0x20);
    assert_non_null(strstr(b.p, "\\u000b"));
    assert_non_null(strstr(b.p, "\\u0008"));
    assert_non_null(strstr(b.p, "\\n"));
    yw_buf_release(&b);
}

/* ---- utf8.h ---- */

static void
test_utf8(void **state)
{
    (void)state;
#define VALID(s)   assert_true(yw_utf8_valid((s), sizeof(s) - 1))
#define INVALID(s) assert_false(yw_utf8_valid((s), sizeof(s) - 1))
    VALID("");
    VALID("plain ASCII ~!@#");
    VALID("一网通办 徐汇区行政服务中心");
    VALID("\xc2\x80");         /* U+0080, smallest 2-byte */
    VALID("\xdf\xbf");         /* U+07FF */
    VALID("\xe0\xa0\x80");     /* U+0800, smallest 3-byte */
    VALID("\xed\x9f\xbf");     /* U+D7FF, just below the surrogates */
    VALID("\xee\x80\x80");     /* U+E000, just above */
    VALID("\xef\xbf\xbf");     /* U+FFFF */
    VALID("\xf0\x90\x80\x80"); /* U+10000 */
    VALID("\xf0\x9f\x98\x80"); /* emoji */
    VALID("\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last code point */
    VALID("\xf0\xa0\x80\x80"); /* CJK Extension B (U+20000), used in names */

    /* overlongs */
    INVALID("\xc0\xaf");
    INVALID("\xc1\xbf");
    INVALID("\xe0\x80\xaf");
    INVALID("\xe0\x9f\xbf");
    INVALID("\xf0\x80\x80\xaf");
    INVALID("\xf0\x8f\xbf\xbf");
    /* UTF-16 surrogates */
    INVALID("\xed\xa0\x80");
    INVALID("\xed\xbf\xbf");
    INVALID("a\xed\xb0\x80z");
    /* beyond U+10FFFF and bytes that never appear */
    INVALID("\xf4\x90\x80\x80");
    INVALID("\xf5\x80\x80\x80");
    INVALID("\xf7\xbf\xbf\xbf");
    INVALID("\xf8\x88\x80\x80\x80");
    INVALID("\xfc\x84\x80\x80\x80\x80");
    INVALID("\xfe");
    INVALID("\xff");
    /* lone continuation bytes and bad continuations */
    INVALID("\x80");
    INVALID("abc\xbf");
    INVALID("\xe4\x41\x41");
    INVALID("\xe4\xb8\x41");
    /* truncated sequences */
    INVALID("\xe4\xb8");
    INVALID("\xf0\x9f\x98");
    INVALID("\xc3");
    INVALID("一网通\xe5\x8a");
    /* NUL is refused, even inside otherwise valid text */
    INVALID("a\0b");
    INVALID("\0");
#undef VALID
#undef INVALID

    /* n bounds the check: a valid prefix of a longer buffer */
    assert_true(yw_utf8_valid("一网\xff", 6));
    assert_false(yw_utf8_valid("一网\xff", 7));
    /* truncation by n inside a sequence */
    assert_false(yw_utf8_valid("一网", 5));

    assert_int_equal(yw_utf8_len("", 0), 0);
    assert_int_equal(yw_utf8_len("abc", 3), 3);
    assert_int_equal(yw_utf8_len("一网通办a", strlen("一网通办a")), 5);
    assert_int_equal(yw_utf8_len("\xf0\x9f\x98\x80!", 5), 2);
}

/* ---- clock.h ---- */

static int64_t
parse_ok(const char *s)
{
    int64_t ms = -12345;
    int rc = yw_clock_parse(s, &ms);
    if (rc != 0)
        fail_msg("yw_clock_parse('%s') = %d, expected 0", s, rc);
    return ms;
}

static void
parse_bad(const char *s)
{
    int64_t ms = -12345;
    int rc = yw_clock_parse(s, &ms);
    if (rc != YW_EINVAL)
        fail_msg("yw_clock_parse('%s') = %d, expected YW_EINVAL", s, rc);
    assert_int_equal(ms, -12345); /* output untouched on failure */
}

static void
test_clock_parse(void **state)
{
    (void)state;
    const int64_t day = 86400000;
    int64_t base = yw_days_from_civil(2026, 9, 24) * day; /* 2026-09-24T00:00:00Z */
    assert_int_equal(base, INT64_C(20720) * day);

    assert_int_equal(parse_ok("2026-09-24T02:00:00Z"), base + 2 * 3600000);
    assert_int_equal(parse_ok("2026-09-24T10:00:00+08:00"), base + 2 * 3600000);
    assert_int_equal(parse_ok("2026-09-24 10:00:00+08:00"), base + 2 * 3600000);
    assert_int_equal(parse_ok("2026-09-23T21:00:00-05:00"), base + 2 * 3600000);
    assert_int_equal(parse_ok("2026-09-24T05:30:00+05:30"), base);
    assert_int_equal(parse_ok("2026-09-24T00:00:00+00:00"), base);
    /* an offset that crosses the date line back into the previous day */
    assert_int_equal(parse_ok("2026-09-24T07:59:59+08:00"), base - 1000);
    /* fractions: 1..3 digits scaled to ms, extra digits truncated */
    assert_int_equal(parse_ok("2026-09-24T00:00:00.5Z"), base + 500);
    assert_int_equal(parse_ok("2026-09-24T00:00:00.05Z"), base + 50);
    assert_int_equal(parse_ok("2026-09-24T00:00:00.123Z"), base + 123);
    assert_int_equal(parse_ok("2026-09-24T00:00:00.123999Z"), base + 123);
    assert_int_equal(parse_ok("2026-09-24T08:00:00.250+08:00"), base + 250);
    /* the epoch and leap days */
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("1970-01-01T08:00:00+08:00"), 0);
    assert_int_equal(parse_ok("2024-02-29T00:00:00Z"), INT64_C(19782) * day);
    assert_int_equal(parse_ok("2000-02-29T12:00:00Z"), INT64_C(11016) * day + day / 2);
    assert_int_equal(parse_ok("1969-12-31T23:59:59.999Z"), -1);

    parse_bad("2026-02-29T00:00:00Z"); /* 2026 is not a leap year */
    parse_bad("1900-02-29T00:00:00Z"); /* century rule */
    parse_bad("2026-13-01T00:00:00Z");
    parse_bad("2026-00-10T00:00:00Z");
    parse_bad("2026-04-31T00:00:00Z");
    parse_bad("2026-09-00T00:00:00Z");
    parse_bad("2026-09-32T00:00:00Z");
    parse_bad("2026-09-24T24:00:00Z");
    parse_bad("2026-09-24T23:60:00Z");
    parse_bad("2026-09-24T23:00:61Z");
    parse_bad("2026-09-24T10:00:00");      /* missing offset */
    parse_bad("2026-09-24T10:00:00.123");  /* missing offset after a fraction */
    parse_bad("2026-09-24T10:00:00+0800"); /* offset without colon */
    parse_bad("2026-09-24T10:00:00+08");
    parse_bad("2026-09-24T10:00:00+24:00");
    parse_bad("2026-09-24T10:00:00+08:60");
    parse_bad("2026-09-24T10:00:00Zjunk");
    parse_bad("2026-09-24T10:00:00+08:00 ");
    parse_bad("2026-09-24T10:00:00.Z");
    parse_bad("2026-09-24X10:00:00Z");
    parse_bad("2026/09/24T10:00:00Z");
    parse_bad("2026-9-24T10:00:00Z");
    parse_bad("20a6-09-24T10:00:00Z");
    parse_bad("2026-09-24T1a:00:00Z");
    parse_bad("2026-09-24");
    parse_bad("");
    parse_bad("not a date at all....");
}

static void
test_clock_format(void **state)
{
    (void)state;
    char buf[32];
    yw_clock_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    yw_clock_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    yw_clock_format(-86400000, buf);
    assert_string_equal(buf, "1969-12-31T00:00:00.000Z");
    yw_clock_format(parse_ok("2026-09-24T10:00:00.007+08:00"), buf);
    assert_string_equal(buf, "2026-09-24T02:00:00.007Z");
    yw_clock_format(INT64_C(253402300799999), buf);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
    assert_int_equal(strlen(buf), 24);

    /* round trip format -> parse over a wide span, including before 1970 */
    const int64_t samples[] = { 0,
                                1,
                                999,
                                1000,
                                -1,
                                -1001,
                                INT64_C(1790000000123),
                                INT64_C(951782400000),
                                INT64_C(-2208988800000),
                                INT64_C(253402300799999),
                                INT64_C(4102444799999) };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        yw_clock_format(samples[i], buf);
        assert_int_equal(parse_ok(buf), samples[i]);
    }
    for (int64_t ms = INT64_C(-3000000000000); ms < INT64_C(5000000000000);
         ms += INT64_C(7777777777)) {
        yw_clock_format(ms, buf);
        assert_int_equal(parse_ok(buf), ms);
    }
    /* text order is time order (the storage format relies on it) */
    char a[32], b[32];
    yw_clock_format(INT64_C(1790000000000), a);
    yw_clock_format(INT64_C(1790000000001), b);
    assert_true(strcmp(a, b) < 0);
}

static void
test_clock_civil(void **state)
{
    (void)state;
    assert_int_equal(yw_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(yw_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(yw_days_from_civil(2000, 1, 1), 10957);
    assert_int_equal(yw_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(yw_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(yw_days_from_civil(2026, 9, 24), 20720);
    assert_int_equal(yw_days_from_civil(1900, 3, 1), -25508);
    assert_int_equal(yw_days_from_civil(1, 1, 1), -719162);
    assert_int_equal(yw_days_from_civil(9999, 12, 31), 2932896);

    int y, m, d;
    yw_civil_from_days(20720, &y, &m, &d);
    assert_int_equal(y, 2026);
    assert_int_equal(m, 9);
    assert_int_equal(d, 24);
    yw_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    for (int64_t z = -800000; z <= 3000000; z += 997) {
        yw_civil_from_days(z, &y, &m, &d);
        assert_in_range(m, 1, 12);
        assert_in_range(d, 1, 31);
        assert_int_equal(yw_days_from_civil(y, m, d), z);
    }
    /* consecutive days advance the date by one */
    int py, pm, pd;
    yw_civil_from_days(19781, &py, &pm, &pd);
    yw_civil_from_days(19782, &y, &m, &d);
    assert_int_equal(pm, 2);
    assert_int_equal(pd, 28);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
}

static void
test_clock_set(void **state)
{
    (void)state;
    const int64_t minute = 60000;
    int64_t start = parse_ok("2026-09-24T10:00:00+08:00");
    yw_clock_set(start);
    assert_true(yw_clock_is_set());
    int64_t now = yw_clock_now_ms();
    /* the clock runs on from `start`; a minute of slack keeps this timing-free */
    assert_true(now >= start);
    assert_true(now < start + minute);
    /* the real clock is not shifted */
    assert_true(yw_clock_real_ms() > parse_ok("2020-01-01T00:00:00Z"));

    yw_clock_advance(3 * 86400000);
    int64_t later = yw_clock_now_ms();
    assert_true(later >= start + 3 * 86400000);
    assert_true(later < start + 3 * 86400000 + minute);

    /* negative or zero advances never move it back */
    yw_clock_advance(-86400000);
    yw_clock_advance(0);
    int64_t after = yw_clock_now_ms();
    assert_true(after >= later);
    assert_true(after < start + 3 * 86400000 + minute);

    /* setting again jumps, also backwards */
    int64_t early = parse_ok("2025-01-01T00:00:00Z");
    yw_clock_set(early);
    now = yw_clock_now_ms();
    assert_true(now >= early && now < early + minute);

    int64_t t1 = yw_clock_mono_ns(), t2 = yw_clock_mono_ns();
    assert_true(t2 >= t1);
}

/* ---- config.h ---- */

static char *
write_tmp(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void
test_config_defaults_and_set(void **state)
{
    (void)state;
    struct yw_config c;
    struct yw_err err = { 0 };
    yw_config_init(&c);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.db, "sqlite:var/ywtb.db");
    assert_string_equal(c.clock, "");
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.body_limit, 1048576);
    assert_false(c.test_api);
    assert_false(c.trust_proxy);
    assert_null(c.config_file);
    assert_string_equal(c.origin[0], "default");

    assert_int_equal(yw_config_set(&c, "threads", "4", "flag", &err), 0);
    assert_int_equal(c.threads, 4);
    assert_int_equal(yw_config_set(&c, "body-limit", "2048", "flag", &err),
                     0); /* dashes as in flags */
    assert_int_equal(c.body_limit, 2048);
    assert_int_equal(yw_config_set(&c, "UPLOAD_LIMIT", "60", "env", &err), 0); /* any case */
    assert_int_equal(c.upload_limit, 60);
    assert_int_equal(yw_config_set(&c, "test_api", "yes", "flag", &err), 0);
    assert_true(c.test_api);
    assert_int_equal(yw_config_set(&c, "test_api", "off", "flag", &err), 0);
    assert_false(c.test_api);
    assert_int_equal(yw_config_set(&c, "trust_proxy", "1", "flag", &err), 0);
    assert_true(c.trust_proxy);
    assert_int_equal(yw_config_set(&c, "listen", "0.0.0.0:9", "flag", &err), 0);
    assert_string_equal(c.listen, "0.0.0.0:9");
    assert_int_equal(yw_config_set(&c, "web_root", "/srv/网站", "flag", &err), 0);
    assert_string_equal(c.web_root, "/srv/网站");

    /* bad integers are refused and leave the value alone */
    const char *bad_ints[] = { "4x", "", "-1", "x", "1.5", "99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad_ints / sizeof bad_ints[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(yw_config_set(&c, "threads", bad_ints[i], "flag", &err), YW_EINVAL);
        assert_string_equal(err.field, "threads");
        assert_non_null(strstr(err.msg, "threads"));
        assert_int_equal(c.threads, 4);
    }
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_set(&c, "test_api", "maybe", "flag", &err), YW_EINVAL);
    assert_string_equal(err.field, "test_api");
    assert_false(c.test_api);

    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_set(&c, "no_such_key", "1", "flag", &err), YW_ENOTFOUND);
    assert_string_equal(err.field, "no_such_key");
    assert_non_null(strstr(err.msg, "no_such_key"));
    assert_int_equal(yw_config_set(&c, "no_such_key", "1", "flag", NULL), YW_ENOTFOUND);

    assert_true(yw_config_is_key(&c, "conn-timeout"));
    assert_true(yw_config_is_key(&c, "conn_timeout"));
    assert_true(yw_config_is_key(&c, "listen"));
    assert_false(yw_config_is_key(&c, "listenx"));
    assert_false(yw_config_is_key(&c, ""));

    /* print masks the secret, shows values and origins */
    assert_int_equal(yw_config_set(&c, "secret_key", "deadbeefcafe", "file", &err), 0);
    char *out = NULL;
    size_t outn = 0;
    FILE *f = open_memstream(&out, &outn);
    assert_non_null(f);
    yw_config_print(&c, f);
    fclose(f);
    assert_null(strstr(out, "deadbeefcafe"));
    assert_non_null(strstr(out, "********"));
    assert_non_null(strstr(out, "\"0.0.0.0:9\""));
    assert_non_null(strstr(out, "# flag"));
    assert_non_null(strstr(out, "# default"));
    assert_non_null(strstr(out, "# env"));
    free(out);

    yw_config_release(&c);
    assert_null(c.listen);
    assert_null(c.secret_key);
    yw_config_release(&c); /* twice is harmless */
}

static void
test_config_file_env(void **state)
{
    (void)state;
    char *dir = yw_test_tmpdir();
    assert_non_null(dir);
    char *good = write_tmp(dir, "good.conf",
                           "# ywtb test configuration\n"
                           "\n"
                           "   # an indented comment\n"
                           "listen = \"10.1.2.3:8081\"\n"
                           "threads=3\n"
                           "  web_root   =   /srv/web  \n"
                           "clock = \"2026-09-24T10:00:00+08:00\"\n"
                           "access_log = \"\"\n"
                           "test_api = true\n");
    char *badline = write_tmp(dir, "badline.conf",
                              "listen = 1.1.1.1:1\nthis line has no equals\nthreads = 2\n");
    char *badval = write_tmp(dir, "badval.conf", "# c\nthreads = many\n");
    char *badkey = write_tmp(dir, "badkey.conf", "colour = blue\n");

    struct yw_config c;
    struct yw_err err = { 0 };
    yw_config_init(&c);
    assert_int_equal(yw_config_load_file(&c, good, &err), 0);
    assert_string_equal(c.listen, "10.1.2.3:8081");
    assert_int_equal(c.threads, 3);
    assert_string_equal(c.web_root, "/srv/web");
    assert_string_equal(c.clock, "2026-09-24T10:00:00+08:00");
    assert_string_equal(c.access_log, "");
    assert_true(c.test_api);
    assert_string_equal(c.config_file, good);
    assert_string_equal(c.origin[0], "file"); /* listen is the first setting */
    assert_string_equal(c.db, "sqlite:var/ywtb.db");

    /* the environment overrides the file (the caller's own YWTB_LISTEN is restored after) */
    const char *prev_listen = getenv("YWTB_LISTEN");
    char *prev_listen_copy = prev_listen ? strdup(prev_listen) : NULL;
    setenv("YWTB_LISTEN", "192.168.0.9:7000", 1);
    assert_int_equal(yw_config_load_env(&c, &err), 0);
    assert_string_equal(c.listen, "192.168.0.9:7000");
    assert_string_equal(c.origin[0], "env");
    if (getenv("YWTB_THREADS") == NULL)
        assert_int_equal(c.threads,
                         3); /* what the environment does not name keeps the file's value */
    if (prev_listen_copy)
        setenv("YWTB_LISTEN", prev_listen_copy, 1);
    else
        unsetenv("YWTB_LISTEN");
    free(prev_listen_copy);

    /* a bad value in the environment is refused */
    const char *saved = getenv("YWTB_CONN_TIMEOUT");
    char *saved_copy = saved ? strdup(saved) : NULL;
    setenv("YWTB_CONN_TIMEOUT", "soon", 1);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_load_env(&c, &err), YW_EINVAL);
    assert_string_equal(err.field, "conn_timeout");
    if (saved_copy)
        setenv("YWTB_CONN_TIMEOUT", saved_copy, 1);
    else
        unsetenv("YWTB_CONN_TIMEOUT");
    free(saved_copy);
    yw_config_release(&c);

    /* a line without '=' names the file and line */
    yw_config_init(&c);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_load_file(&c, badline, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "badline.conf:2"));
    assert_null(c.config_file);
    yw_config_release(&c);

    /* a bad value: YW_ECONFIG, the file, line and setting named */
    yw_config_init(&c);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_load_file(&c, badval, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "badval.conf:2"));
    assert_non_null(strstr(err.msg, "threads"));
    assert_int_equal(c.threads, 0);
    yw_config_release(&c);

    /* an unknown key in a file is an error too */
    yw_config_init(&c);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_load_file(&c, badkey, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "colour"));
    yw_config_release(&c);

    /* a missing file */
    yw_config_init(&c);
    memset(&err, 0, sizeof err);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.conf", dir);
    assert_int_equal(yw_config_load_file(&c, missing, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "none.conf"));
    yw_config_release(&c);

    free(good);
    free(badline);
    free(badval);
    free(badkey);
    yw_test_rmtree(dir);
    assert_int_equal(access(dir, F_OK), -1);
    free(dir);
}

/* ---- roles.h ---- */

static void
test_roles(void **state)
{
    (void)state;
    uint32_t bits = 0;
    char bad[64] = "";
    assert_int_equal(yw_roles_parse_list("window_clerk, reviewer ,admin", &bits, bad), 0);
    assert_int_equal(bits, YW_ROLE_WINDOW_CLERK | YW_ROLE_REVIEWER | YW_ROLE_ADMIN);
    assert_int_equal(yw_roles_parse_list("", &bits, bad), 0);
    assert_int_equal(bits, 0);
    assert_int_equal(yw_roles_parse_list("supervisor,,supervisor, ", &bits, bad), 0);
    assert_int_equal(bits, YW_ROLE_SUPERVISOR);

    assert_int_equal(yw_roles_parse_list("reviewer,boss,admin", &bits, bad), -1);
    assert_string_equal(bad, "boss");
    assert_int_equal(yw_roles_parse_list("Reviewer", &bits, bad),
                     -1); /* names are case-sensitive */
    assert_string_equal(bad, "Reviewer");
    assert_int_equal(yw_roles_parse_list("admin,reviewerx", &bits, bad), -1);
    assert_string_equal(bad, "reviewerx");

    /* every role round-trips name <-> bit, and bits are distinct */
    uint32_t all = 0;
#define RT(rname, bit, str)                                                                        \
    assert_int_equal(yw_role_parse(str, strlen(str)), YW_ROLE_##rname);                            \
    assert_string_equal(yw_role_name(YW_ROLE_##rname), str);                                       \
    assert_int_equal(all &YW_ROLE_##rname, 0);                                                     \
    all |= YW_ROLE_##rname;
    YW_ROLES(RT)
#undef RT
    assert_int_equal(all, YW_ROLE_APPLICANT | YW_ROLE_STAFF | YW_ROLE_DEPT_SYSTEM);
    assert_int_equal(YW_ROLE_STAFF & YW_ROLE_DEPT_SYSTEM, 0); /* a system is not a person */
    assert_true(YW_ROLE_LAST >= all - YW_ROLE_LAST);          /* the highest bit */
    assert_int_equal(yw_role_parse("admin", 4), 0);           /* "admi" */
    assert_int_equal(yw_role_parse("administrator", 13), 0);
    assert_null(yw_role_name(0));
    assert_null(yw_role_name(YW_ROLE_ADMIN | YW_ROLE_PERSON));
    assert_null(yw_role_name(1u << 30));
}

/* ---- crypto.h ---- */

static void
test_crypto_sm3(void **state)
{
    (void)state;
    assert_int_equal(yw_crypto_init(), 0);
    char hex[2 * YW_SM3_LEN + 1];
    /* GB/T 32905-2016 Annex A, example 1: "abc" */
    assert_int_equal(yw_sm3_hex("abc", 3, hex), 0);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    /* GB/T 32905-2016 Annex A, example 2: "abcd" repeated 16 times (512 bits) */
    char m[65];
    for (int i = 0; i < 16; i++)
        memcpy(m + 4 * i, "abcd", 4);
    assert_int_equal(yw_sm3_hex(m, 64, hex), 0);
    assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");

    unsigned char raw[YW_SM3_LEN];
    assert_int_equal(yw_sm3("abc", 3, raw), 0);
    assert_int_equal(raw[0], 0x66);
    assert_int_equal(raw[31], 0xe0);
    char h2[2 * YW_SM3_LEN + 1];
    yw_hex(raw, sizeof raw, h2);
    assert_string_equal(h2, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");

    /* SHA-256 through the same once-fetched digests (FIPS 180-2, "abc") */
    unsigned char sha[32];
    char sh[65];
    assert_int_equal(yw_sha256("abc", 3, sha), 0);
    yw_hex(sha, sizeof sha, sh);
    assert_string_equal(sh, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    /* empty input is defined */
    assert_int_equal(yw_sm3_hex("", 0, hex), 0);
    assert_int_equal(strlen(hex), 64);
    assert_string_not_equal(hex, h2);

    char hx[7];
    yw_hex((const unsigned char *)"\x00\x0f\xff", 3, hx);
    assert_string_equal(hx, "000fff");

    assert_true(yw_ct_equal("same", "same", 4));
    assert_false(yw_ct_equal("same", "sane", 4));
    assert_true(yw_ct_equal("ab", "ac", 1));
}

static void
test_crypto_password(void **state)
{
    (void)state;
    assert_int_equal(yw_crypto_init(), 0);
    const unsigned long long ops = 1;
    const size_t mem = 8192 * 1024;
    const char *pw = "正确的马电池订书钉 correct horse";
    char h1[128], h2[128];
    assert_int_equal(yw_password_hash(pw, strlen(pw), ops, mem, h1), 0);
    assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
    assert_non_null(strstr(h1, "m=8192,t=1"));
    assert_true(yw_password_verify(h1, pw, strlen(pw)));
    assert_false(yw_password_verify(h1, "wrong", 5));
    assert_false(yw_password_verify(h1, pw, strlen(pw) - 1));
    assert_false(yw_password_verify(h1, "", 0));
    assert_false(yw_password_verify("$argon2id$garbage", pw, strlen(pw)));

    /* the same password hashes differently (random salt) and both verify */
    assert_int_equal(yw_password_hash(pw, strlen(pw), ops, mem, h2), 0);
    assert_string_not_equal(h1, h2);
    assert_true(yw_password_verify(h2, pw, strlen(pw)));

    /* stronger parameters ask for a rehash; the same ones do not */
    assert_false(yw_password_needs_rehash(h1, ops, mem));
    assert_true(yw_password_needs_rehash(h1, 2, 19922944));
}

static void
test_crypto_random(void **state)
{
    (void)state;
    assert_int_equal(yw_crypto_init(), 0);
    char t1[64], t2[64];
    yw_random_token(32, t1, sizeof t1);
    yw_random_token(32, t2, sizeof t2);
    assert_int_equal(strlen(t1), 43); /* 256 bits, URL-safe base64 without padding */
    assert_int_equal(strlen(t2), 43);
    assert_string_not_equal(t1, t2);
    for (const char *p = t1; *p; p++)
        assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_');

    unsigned char r1[32] = { 0 }, r2[32] = { 0 }, zero[32] = { 0 };
    yw_random(r1, sizeof r1);
    yw_random(r2, sizeof r2);
    assert_memory_not_equal(r1, r2, sizeof r1);
    assert_memory_not_equal(r1, zero, sizeof r1);
}

int
main(void)
{
    yw_log_set_level(YW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_table),
        cmocka_unit_test(test_err_json_body),
        cmocka_unit_test(test_err_fail),
        cmocka_unit_test(test_arena_alloc),
        cmocka_unit_test(test_arena_hooks),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_json),
        cmocka_unit_test(test_buf_xml),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_clock_parse),
        cmocka_unit_test(test_clock_format),
        cmocka_unit_test(test_clock_civil),
        cmocka_unit_test(test_clock_set),
        cmocka_unit_test(test_config_defaults_and_set),
        cmocka_unit_test(test_config_file_env),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_crypto_sm3),
        cmocka_unit_test(test_crypto_password),
        cmocka_unit_test(test_crypto_random),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
