/*
 * test_services.c - unit tests of the service hall's pure parts: the
 * iCalendar event of an appointment (RFC 5545: CRLF line ends, text escaped
 * by §3.3.11, lines folded at 75 octets by §3.1 without splitting a UTF-8
 * character, METHOD/STATUS for a cancellation, times in UTC) and which items
 * a window serves (its department, or every department for an integrated
 * window, narrowed by a list of item codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "services/internal.h"

/* The unfolded content lines of an .ics (RFC 5545 §3.1: CRLF + space continues). */
static char *
unfold(struct yw_arena *a, const char *ics)
{
    size_t n = strlen(ics);
    char *out = yw_arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (ics[i] == '\r' && ics[i + 1] == '\n' && ics[i + 2] == ' ') {
            i += 2;
            continue;
        }
        *o++ = ics[i];
    }
    *o = '\0';
    return out;
}

static void
test_ics_event(void **state)
{
    (void)state;
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    /* 2026-12-08 09:00 China time = 01:00Z */
    struct yw_svc__ics e = {
        .uid = "YYABCDEFGH23@ywtb.xuhui.gov.cn",
        .seq = 2,
        .start_ms = 1796691600000LL,
        .end_ms = 1796693400000LL,
        .stamp_ms = 1796600000000LL,
        .summary = "徐汇区行政服务中心预约：企业设立登记",
        .location = "上海市徐汇区行政服务中心 1号综合窗口",
        .description = "预约号 YY; 携带身份证, 提前签到\\取号\n第二行",
    };
    char *ics = yw_svc__ics_build(&a, &e);
    assert_non_null(ics);
    assert_true(strncmp(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    assert_non_null(strstr(ics, "\r\nMETHOD:REQUEST\r\n"));
    assert_non_null(strstr(ics, "\r\nDTSTART:20261208T010000Z\r\n"));
    assert_non_null(strstr(ics, "\r\nDTEND:20261208T013000Z\r\n"));
    assert_non_null(strstr(ics, "\r\nSEQUENCE:2\r\n"));
    assert_non_null(strstr(ics, "\r\nUID:YYABCDEFGH23@ywtb.xuhui.gov.cn\r\n"));
    assert_non_null(strstr(ics, "\r\nSTATUS:CONFIRMED\r\n"));
    assert_non_null(strstr(ics, "BEGIN:VALARM"));
    /* every line ends in CRLF and is at most 75 octets; no bare LF */
    for (const char *p = ics; *p;) {
        const char *nl = strstr(p, "\r\n");
        assert_non_null(nl);
        assert_true(nl - p <= 75);
        for (const char *q = p; q < nl; q++)
            assert_true(*q != '\n' && *q != '\r');
        /* a continuation never starts inside a UTF-8 character */
        if (nl[2] == ' ')
            assert_true(((unsigned char)nl[3] & 0xC0) != 0x80);
        p = nl + 2;
    }
    /* unfolded, the text values are escaped (§3.3.11) */
    char *u = unfold(&a, ics);
    assert_non_null(strstr(u, "\r\nDESCRIPTION:预约号 YY\\; 携带身份证\\, 提前签到\\\\取号\\n第二行\r\n"));
    assert_non_null(strstr(u, "\r\nSUMMARY:徐汇区行政服务中心预约：企业设立登记\r\n"));
    assert_true(strlen(ics) > 0 && strcmp(ics + strlen(ics) - 15, "END:VCALENDAR\r\n") == 0);
    yw_arena_release(&a);
}

static void
test_ics_cancel(void **state)
{
    (void)state;
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_svc__ics e = { .uid = "u@x",
                             .seq = 3,
                             .cancelled = true,
                             .start_ms = 0,
                             .end_ms = 1800000,
                             .stamp_ms = 0,
                             .summary = "s",
                             .location = "l",
                             .description = "d" };
    char *ics = yw_svc__ics_build(&a, &e);
    assert_non_null(strstr(ics, "\r\nMETHOD:CANCEL\r\n"));
    assert_non_null(strstr(ics, "\r\nSTATUS:CANCELLED\r\n"));
    assert_null(strstr(ics, "VALARM"));
    assert_non_null(strstr(ics, "\r\nDTSTART:19700101T000000Z\r\n"));
    yw_arena_release(&a);
}

static void
test_window_serves(void **state)
{
    (void)state;
    struct yw_svc__window w = { .code = "W01", .dept = "", .items = "[]", .open = true };
    assert_true(yw_svc__window_serves(&w, "SCJ-01-0001", "XH-SCJ"));
    assert_true(yw_svc__window_serves(&w, "GAFJ-07-0005", "XH-GAFJ"));
    snprintf(w.dept, sizeof w.dept, "XH-GAFJ");
    assert_false(yw_svc__window_serves(&w, "SCJ-01-0001", "XH-SCJ"));
    assert_true(yw_svc__window_serves(&w, "GAFJ-07-0005", "XH-GAFJ"));
    snprintf(w.items, sizeof w.items, "[\"GAFJ-07-0001\"]");
    assert_false(yw_svc__window_serves(&w, "GAFJ-07-0005", "XH-GAFJ"));
    assert_true(yw_svc__window_serves(&w, "GAFJ-07-0001", "XH-GAFJ"));
    w.open = false;
    assert_false(yw_svc__window_serves(&w, "GAFJ-07-0001", "XH-GAFJ"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ics_event),
        cmocka_unit_test(test_ics_cancel),
        cmocka_unit_test(test_window_serves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
