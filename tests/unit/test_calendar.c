/*
 * test_calendar.c - unit tests of core/calendar: the working-day calendar used
 * for administrative time limits (法定时限 / 承诺时限).
 *
 * The expected values are the facts of shared/reference/CN-STANDARDS.md §7:
 * the 2026 schedule of the State Council notice of 2025-11-04 (§7.2) with its
 * derived counts (248 working days; per month Jan 21 ... Dec 23, marked [C]
 * there), the 2025 schedule of the notice of 2024-11-12 (§7.3), and the counting
 * convention of §7.4 (《行政许可法》第八十二条: the day of acceptance does not
 * count, counting starts on the next working day).  Due dates around National
 * Day and Spring Festival 2026 were worked out by hand from those tables, day by
 * day, and are written out next to each assertion.
 *
 * The real data is loaded from data/calendar, found relative to this source file
 * (__FILE__), so the test runs from the repository top (as scripts/test.sh does).
 * Loading errors are checked on files written into a private temporary directory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"

static struct yw_calendar *cal; /* data/calendar, loaded once by the group setup */

/* ---- helpers ---- */

/* "YYYY-MM-DD" -> day number; the test fails on a bad literal. */
static int64_t
D(const char *s)
{
    int64_t d = 0;
    assert_int_equal(yw_cal_parse_day(s, &d), 0);
    return d;
}

/* Assert that `day` is the date `want`, printing both on failure. */
static void
assert_day(int64_t day, const char *want)
{
    char got[11];
    yw_cal_day_text(day, got);
    assert_string_equal(got, want);
}

/* Assert an accepted-on + n working days -> due date case. */
static void
assert_due(const char *accepted, int n, const char *due)
{
    int64_t a = D(accepted);
    int64_t d = yw_cal_add_workdays(cal, a, n);
    char got[11];
    yw_cal_day_text(d, got);
    if (strcmp(got, due) != 0)
        fail_msg("accepted %s + %d working days: got %s, want %s", accepted, n, got, due);
    if (n > 0) {
        assert_true(yw_cal_is_workday(cal, d));
        assert_int_equal(yw_cal_workdays_between(cal, a, d), n);
    }
}

static void
calendar_dir(char *out, size_t n)
{
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    int len = slash ? (int)(slash - file) : 1;
    snprintf(out, n, "%.*s/../../data/calendar", len, slash ? file : ".");
}

static int
load_real(void **state)
{
    char dir[4096];
    struct yw_err err = { 0 };
    calendar_dir(dir, sizeof dir);
    int rc = yw_cal_load(dir, &cal, &err);
    if (rc != 0)
        fprintf(stderr, "cannot load %s: %s\n", dir, err.msg);
    return rc;
}

static int
free_real(void **state)
{
    yw_cal_free(cal);
    cal = NULL;
    return 0;
}

/* Working days in the closed range [first, last], by testing each day. */
static int
count_days(const char *first, const char *last)
{
    int n = 0;
    for (int64_t d = D(first); d <= D(last); d++)
        n += yw_cal_is_workday(cal, d);
    return n;
}

/* ---- the loaded data ---- */

static void
test_loaded_years(void **state)
{
    int first, last;
    yw_cal_years(cal, &first, &last);
    assert_int_equal(first, 2025);
    assert_true(last >= 2026);
    assert_true(yw_cal_covers(cal, D("2025-01-01")));
    assert_true(yw_cal_covers(cal, D("2025-12-31")));
    assert_true(yw_cal_covers(cal, D("2026-01-01")));
    assert_true(yw_cal_covers(cal, D("2026-12-31")));
    assert_false(yw_cal_covers(cal, D("2024-12-31")));
    assert_false(yw_cal_covers(NULL, D("2026-01-01")));
}

/* CN-STANDARDS.md §7.2 [C]: 2026 has 248 working days. */
static void
test_2026_total(void **state)
{
    assert_int_equal(count_days("2026-01-01", "2026-12-31"), 248);
    assert_int_equal(yw_cal_workdays_between(cal, D("2025-12-31"), D("2026-12-31")), 248);
}

/* CN-STANDARDS.md §7.2 [C]: per month Jan 21, Feb 16, Mar 22, Apr 21, May 19,
 * Jun 21, Jul 23, Aug 21, Sep 22, Oct 18, Nov 21, Dec 23. */
static void
test_2026_months(void **state)
{
    static const int want[12] = { 21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23 };
    for (int m = 1; m <= 12; m++) {
        int64_t first = yw_days_from_civil(2026, m, 1);
        int64_t next = m < 12 ? yw_days_from_civil(2026, m + 1, 1) : yw_days_from_civil(2027, 1, 1);
        int n = 0;
        for (int64_t d = first; d < next; d++)
            n += yw_cal_is_workday(cal, d);
        if (n != want[m - 1])
            fail_msg("2026-%02d: %d working days, want %d", m, n, want[m - 1]);
        assert_int_equal(yw_cal_workdays_between(cal, first - 1, next - 1), want[m - 1]);
    }
}

/* CN-STANDARDS.md §7.3 (notice of 2024-11-12); totals recomputed here from that
 * table (248 days: Jan 19, Feb 19, Mar 21, Apr 22, May 19, Jun 20, Jul 23,
 * Aug 21, Sep 23, Oct 18, Nov 20, Dec 23). */
static void
test_2025_counts(void **state)
{
    static const int want[12] = { 19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23 };
    for (int m = 1; m <= 12; m++) {
        int64_t first = yw_days_from_civil(2025, m, 1);
        int64_t next = m < 12 ? yw_days_from_civil(2025, m + 1, 1) : yw_days_from_civil(2026, 1, 1);
        assert_int_equal(yw_cal_workdays_between(cal, first - 1, next - 1), want[m - 1]);
    }
    assert_int_equal(count_days("2025-01-01", "2025-12-31"), 248);
}

/* §7.2 / §7.3: the make-up working days (调休上班) are weekend days that are
 * working days. */
static void
test_makeup_days(void **state)
{
    static const struct {
        const char *day;
        int weekday; /* 0 = Sunday, 6 = Saturday */
    } make_up[] = {
        { "2026-01-04", 0 }, { "2026-02-14", 6 }, { "2026-02-28", 6 }, { "2026-05-09", 6 },
        { "2026-09-20", 0 }, { "2026-10-10", 6 }, { "2025-01-26", 0 }, { "2025-02-08", 6 },
        { "2025-04-27", 0 }, { "2025-09-28", 0 }, { "2025-10-11", 6 },
    };
    for (size_t i = 0; i < sizeof make_up / sizeof make_up[0]; i++) {
        int64_t d = D(make_up[i].day);
        assert_int_equal(yw_cal_weekday(d), make_up[i].weekday);
        if (!yw_cal_is_workday(cal, d))
            fail_msg("make-up day %s is not a working day", make_up[i].day);
        assert_null(yw_cal_holiday_name(cal, d));
    }
    /* The weekend days next to them stay days off. */
    assert_false(yw_cal_is_workday(cal, D("2026-01-10")));
    assert_false(yw_cal_is_workday(cal, D("2026-10-11")));
    assert_false(yw_cal_is_workday(cal, D("2026-09-19")));
}

/* §7.2 / §7.3: the weekdays inside a holiday block are days off. */
static void
test_holiday_weekdays(void **state)
{
    static const struct {
        const char *day, *name;
    } off[] = {
        { "2026-01-01", "元旦" },           { "2026-01-02", "元旦" },
        { "2026-02-16", "春节" },           { "2026-02-17", "春节" },
        { "2026-02-20", "春节" },           { "2026-02-23", "春节" },
        { "2026-04-06", "清明节" },         { "2026-05-01", "劳动节" },
        { "2026-05-04", "劳动节" },         { "2026-05-05", "劳动节" },
        { "2026-06-19", "端午节" },         { "2026-09-25", "中秋节" },
        { "2026-10-01", "国庆节" },         { "2026-10-02", "国庆节" },
        { "2026-10-05", "国庆节" },         { "2026-10-06", "国庆节" },
        { "2026-10-07", "国庆节" },         { "2025-01-01", "元旦" },
        { "2025-01-28", "春节" },           { "2025-02-04", "春节" },
        { "2025-04-04", "清明节" },         { "2025-05-05", "劳动节" },
        { "2025-06-02", "端午节" },         { "2025-10-06", "国庆节、中秋节" },
        { "2025-10-08", "国庆节、中秋节" },
    };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        int64_t d = D(off[i].day);
        int w = yw_cal_weekday(d);
        assert_true(w >= 1 && w <= 5);
        if (yw_cal_is_workday(cal, d))
            fail_msg("holiday weekday %s is a working day", off[i].day);
        assert_non_null(yw_cal_holiday_name(cal, d));
        assert_string_equal(yw_cal_holiday_name(cal, d), off[i].name);
    }
    /* Weekend days inside a block are named too; ordinary days are not. */
    assert_string_equal(yw_cal_holiday_name(cal, D("2026-02-15")), "春节");
    assert_string_equal(yw_cal_holiday_name(cal, D("2026-10-04")), "国庆节");
    assert_null(yw_cal_holiday_name(cal, D("2026-10-08")));
    assert_null(yw_cal_holiday_name(cal, D("2026-10-11")));
    assert_true(yw_cal_is_workday(cal, D("2026-10-08")));
    assert_true(yw_cal_is_workday(cal, D("2026-02-24")));
}

/* ---- due dates (§7.4: the acceptance day does not count) ---- */

/* National Day 2026 (§7.2): Sun 09-20 works; Fri 09-25 中秋 and the weekend
 * 09-26/27 are off; Mon 09-28 - Wed 09-30 work; 10-01 - 10-07 are off;
 * Thu 10-08, Fri 10-09 and Sat 10-10 work; Sun 10-11 is off. */
static void
test_due_national_day_2026(void **state)
{
    assert_due("2026-09-24", 1, "2026-09-28"); /* Fri 25 is 中秋 */
    assert_due("2026-09-24", 3, "2026-09-30");
    /* 28, 29, 30, Oct 8, Oct 9 */
    assert_due("2026-09-24", 5, "2026-10-09");
    assert_due("2026-09-30", 1, "2026-10-08");
    assert_due("2026-09-30", 3, "2026-10-10"); /* the Saturday make-up day */
    assert_due("2026-09-30", 4, "2026-10-12"); /* Sun 10-11 is off */
    /* Fri 09-18 + 2: Sun 09-20 is the make-up day, then Mon 09-21. */
    assert_due("2026-09-18", 1, "2026-09-20");
    assert_due("2026-09-18", 2, "2026-09-21");
    /* Accepted on a holiday: counting starts at the next working day. */
    assert_due("2026-10-03", 1, "2026-10-08");
    /* 二十日 (行政许可法 第四十二条) from Thu 09-24: 28, 29, 30, Oct 8, 9, 10,
     * 12-16, 19-23, 26, 27, 28, 29. */
    assert_due("2026-09-24", 20, "2026-10-29");
}

/* Spring Festival 2026 (§7.2): Sat 02-14 works; 02-15 - 02-23 are off;
 * Tue 02-24 works; Sat 02-28 works. */
static void
test_due_spring_festival_2026(void **state)
{
    /* Thu 02-12 + 3: Fri 02-13, Sat 02-14, Tue 02-24. */
    assert_due("2026-02-12", 1, "2026-02-13");
    assert_due("2026-02-12", 2, "2026-02-14");
    assert_due("2026-02-12", 3, "2026-02-24");
    assert_due("2026-02-14", 1, "2026-02-24");
    assert_due("2026-02-16", 1, "2026-02-24");
    assert_due("2026-02-23", 1, "2026-02-24");
    /* Fri 02-27 + 1 is the make-up Saturday 02-28; + 2 is Mon 03-02. */
    assert_due("2026-02-27", 1, "2026-02-28");
    assert_due("2026-02-27", 2, "2026-03-02");
    /* 20 working days from 02-12: 13, 14, 24-28, Mar 2-6, 9-13, 16, 17, 18. */
    assert_due("2026-02-12", 20, "2026-03-18");
}

/* Across the year boundary and 2025's combined National Day + Mid-Autumn (§7.3). */
static void
test_due_other(void **state)
{
    /* 2026-01-01 - 01-03 are off, Sun 01-04 is the make-up day. */
    assert_due("2025-12-31", 1, "2026-01-04");
    assert_due("2025-12-31", 2, "2026-01-05");
    /* 2025: Sun 09-28 works, 10-01 - 10-08 off, Sat 10-11 works. */
    assert_due("2025-09-26", 1, "2025-09-28");
    assert_due("2025-09-26", 2, "2025-09-29");
    assert_due("2025-09-30", 1, "2025-10-09");
    assert_due("2025-09-30", 3, "2025-10-11");
    /* n = 0 is the start day itself, even on a holiday. */
    assert_due("2026-10-01", 0, "2026-10-01");
    assert_due("2026-09-24", 0, "2026-09-24");
    /* n < 0 counts back. */
    assert_due("2026-10-08", -1, "2026-09-30");
    assert_due("2026-02-24", -1, "2026-02-14");
    assert_due("2026-02-24", -2, "2026-02-13");
}

/* ---- counting ---- */

static void
test_between(void **state)
{
    /* days_left = workdays_between(today, due). */
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-09-30"), D("2026-10-08")), 1);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-08"), D("2026-09-30")), -1);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-08"), D("2026-10-08")), 0);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-01"), D("2026-10-07")), 0);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-02-12"), D("2026-02-24")), 3);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-02-24"), D("2026-02-12")), -3);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-09-24"), D("2026-10-09")), 5);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-09"), D("2026-09-24")), -5);
    /* Overdue: due Fri 10-09, today Sat 10-10 (a make-up working day) is -1,
     * Sun 10-11 still -1, Mon 10-12 -2. */
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-10"), D("2026-10-09")), -1);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-11"), D("2026-10-09")), -1);
    assert_int_equal(yw_cal_workdays_between(cal, D("2026-10-12"), D("2026-10-09")), -2);
    /* Across loaded and fallback years at once: 2024 (not loaded, Mon-Fri:
     * 262 days in a leap year starting on a Monday) + 2025 + 2026. */
    assert_int_equal(yw_cal_workdays_between(cal, D("2023-12-31"), D("2026-12-31")),
                     262 + 248 + 248);
}

/* The closed form agrees with counting day by day, across loaded and fallback
 * years, and add_workdays is its inverse. */
static void
test_between_matches_days(void **state)
{
    int64_t lo = D("2024-11-01"), hi = D("2027-03-01");
    int n = (int)(hi - lo + 1);
    int *through = calloc((size_t)n, sizeof *through); /* workdays in (lo, lo + i] */
    assert_non_null(through);
    for (int i = 1; i < n; i++)
        through[i] = through[i - 1] + yw_cal_is_workday(cal, lo + i);
    unsigned seed = 12345;
    for (int k = 0; k < 20000; k++) {
        seed = seed * 1103515245u + 12345u;
        int a = (int)((seed >> 8) % (unsigned)n);
        seed = seed * 1103515245u + 12345u;
        int b = (int)((seed >> 8) % (unsigned)n);
        int want = through[b] - through[a];
        assert_int_equal(yw_cal_workdays_between(cal, lo + a, lo + b), want);
        assert_int_equal(yw_cal_workdays_between(cal, lo + b, lo + a), -want);
    }
    free(through);
    for (int64_t s = D("2024-12-01"); s <= D("2026-12-31"); s++) {
        for (int k = 1; k <= 25; k += 3) {
            int64_t due = yw_cal_add_workdays(cal, s, k);
            assert_true(due > s);
            assert_true(yw_cal_is_workday(cal, due));
            assert_int_equal(yw_cal_workdays_between(cal, s, due), k);
            assert_int_equal(yw_cal_workdays_between(cal, s, due - 1), k - 1);
        }
    }
}

/* Years not loaded fall back to Monday-Friday (calendar.h). */
static void
test_fallback(void **state)
{
    assert_false(yw_cal_covers(cal, D("2027-10-01")));
    assert_true(yw_cal_is_workday(cal, D("2027-10-01"))); /* a Friday; holidays unknown */
    assert_null(yw_cal_holiday_name(cal, D("2027-10-01")));
    assert_false(yw_cal_is_workday(cal, D("2027-10-02"))); /* Saturday */
    assert_true(yw_cal_is_workday(cal, D("2024-01-01")));  /* a Monday */
    assert_due("2027-01-01", 1, "2027-01-04");             /* Fri + 1 = Mon */
    assert_due("2026-12-31", 1, "2027-01-01");             /* into the fallback year */
    assert_due("2024-12-31", 1, "2025-01-02");             /* out of it: 01-01 is 元旦 */
    /* A NULL calendar is all fallback. */
    assert_true(yw_cal_is_workday(NULL, D("2026-10-01")));
    assert_int_equal(yw_cal_workdays_between(NULL, D("2023-12-31"), D("2024-12-31")), 262);
    assert_int_equal(yw_cal_add_workdays(NULL, D("2026-10-02"), 1), D("2026-10-05"));
    /* Far away still answers (and saturates rather than overflows). */
    assert_int_equal(yw_cal_workdays_between(cal, 0, 7), 5);
    assert_int_equal(yw_cal_workdays_between(cal, INT64_MIN, INT64_MAX), INT32_MAX);
    assert_int_equal(yw_cal_workdays_between(cal, INT64_MAX, INT64_MIN), INT32_MIN);
}

/* ---- days and instants: Asia/Shanghai is UTC+8 ---- */

static void
test_day_of_ms(void **state)
{
    int64_t ms;
    char buf[32];
    /* Shanghai midnight is 16:00 UTC the day before. */
    assert_int_equal(yw_clock_parse("2026-09-30T15:59:59.999Z", &ms), 0);
    assert_day(yw_cal_day_of_ms(ms), "2026-09-30");
    assert_int_equal(yw_clock_parse("2026-09-30T16:00:00Z", &ms), 0);
    assert_day(yw_cal_day_of_ms(ms), "2026-10-01");
    assert_int_equal(yw_clock_parse("2026-10-01T00:00:00+08:00", &ms), 0);
    assert_day(yw_cal_day_of_ms(ms), "2026-10-01");
    assert_int_equal(yw_clock_parse("2026-10-01T23:59:59.999+08:00", &ms), 0);
    assert_day(yw_cal_day_of_ms(ms), "2026-10-01");
    /* Before 1970 and around it. */
    assert_int_equal(yw_cal_day_of_ms(0), 0);
    assert_int_equal(yw_cal_day_of_ms(-8 * 3600 * 1000LL), 0);
    assert_int_equal(yw_cal_day_of_ms(-8 * 3600 * 1000LL - 1), -1);
    assert_int_equal(yw_cal_day_of_ms(16 * 3600 * 1000LL - 1), 0);
    assert_int_equal(yw_cal_day_of_ms(16 * 3600 * 1000LL), 1);

    yw_clock_format(yw_cal_end_of_day_ms(D("2026-10-08")), buf);
    assert_string_equal(buf, "2026-10-08T15:59:59.999Z");
    yw_clock_format(yw_cal_start_of_day_ms(D("2026-10-08")), buf);
    assert_string_equal(buf, "2026-10-07T16:00:00.000Z");
    for (int64_t d = D("2025-12-25"); d <= D("2026-01-05"); d++) {
        assert_int_equal(yw_cal_day_of_ms(yw_cal_start_of_day_ms(d)), d);
        assert_int_equal(yw_cal_day_of_ms(yw_cal_end_of_day_ms(d)), d);
        assert_int_equal(yw_cal_day_of_ms(yw_cal_end_of_day_ms(d) + 1), d + 1);
    }
}

static void
test_day_text_parse(void **state)
{
    char t[11];
    int64_t d = 0;
    yw_cal_day_text(0, t);
    assert_string_equal(t, "1970-01-01");
    yw_cal_day_text(-1, t);
    assert_string_equal(t, "1969-12-31");
    assert_int_equal(D("2026-01-01"), 20454);
    assert_int_equal(D("2026-01-01"), yw_days_from_civil(2026, 1, 1));
    assert_int_equal(yw_cal_parse_day("2024-02-29", &d), 0);
    assert_day(d, "2024-02-29");
    for (int64_t x = D("2025-12-01"); x < D("2027-03-05"); x++) {
        yw_cal_day_text(x, t);
        assert_int_equal(yw_cal_parse_day(t, &d), 0);
        assert_int_equal(d, x);
    }
    static const char *bad[] = {
        "",
        "2026-02-29",
        "2025-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-01-00",
        "2026-2-01",
        "2026-02-1",
        "2026-02-010",
        "2026/02/01",
        "2026-02-01 ",
        " 2026-02-01",
        "2026-02-01T00:00:00Z",
        "20260201",
        "２０２６-02-01",
        "2026-0a-01",
        "+026-02-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = 777;
        if (yw_cal_parse_day(bad[i], &d) != YW_EINVAL)
            fail_msg("'%s' was accepted as a day", bad[i]);
        assert_int_equal(d, 777);
    }
    assert_int_equal(yw_cal_parse_day(NULL, &d), YW_EINVAL);
    /* Out-of-range days print a placeholder, never overflow. */
    yw_cal_day_text(INT64_MAX, t);
    assert_string_equal(t, "0000-00-00");
    yw_cal_day_text(yw_days_from_civil(10000, 1, 1), t);
    assert_string_equal(t, "0000-00-00");
    yw_cal_day_text(yw_days_from_civil(9999, 12, 31), t);
    assert_string_equal(t, "9999-12-31");
}

static void
test_weekday(void **state)
{
    assert_int_equal(yw_cal_weekday(0), 4);  /* 1970-01-01 Thursday */
    assert_int_equal(yw_cal_weekday(-1), 3); /* 1969-12-31 Wednesday */
    assert_int_equal(yw_cal_weekday(-7), 4);
    assert_int_equal(yw_cal_weekday(D("2026-10-01")), 4); /* §7.2: Thu */
    assert_int_equal(yw_cal_weekday(D("2026-02-15")), 0); /* §7.2: Sun */
    assert_int_equal(yw_cal_weekday(D("2026-02-23")), 1); /* §7.2: Mon */
    assert_int_equal(yw_cal_weekday(D("2026-10-07")), 3); /* §7.2: Wed */
}

/* ---- loading errors ---- */

struct tmp {
    char dir[64];
};

static void
tmp_make(struct tmp *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/ywtb-unit-cal-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
}

static void
tmp_write(struct tmp *t, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void
tmp_remove(struct tmp *t)
{
    DIR *d = opendir(t->dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", t->dir, de->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(t->dir), 0);
}

/* A valid 2031 file: 2031-01-01 is a Wednesday, 01-04 Sat, 01-05 Sun, 01-06 Mon. */
#define GOOD_2031                                                                                  \
    "{\"year\": 2031, \"source\": \"test\",\n"                                                     \
    " \"holidays\": [{\"name\": \"元旦\", \"days\": [\"2031-01-01\", \"2031-01-02\", "           \
    "\"2031-01-03\"]}],\n"                                                                         \
    " \"workdays\": [{\"name\": \"元旦调休\", \"days\": [\"2031-01-04\"]}]}\n"

/* Load a directory with GOOD 2030.json and the given 2031.json; expect rc and
 * both `file` and `entry` in the message. */
static void
expect_load_error(const char *text, int want_rc, const char *entry)
{
    struct tmp t;
    tmp_make(&t);
    tmp_write(
        &t, "2030.json",
        "{\"year\": 2030, \"source\": \"test\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2030-01-01\"]}], \"workdays\": []}");
    tmp_write(&t, "2031.json", text);
    struct yw_calendar *c = (struct yw_calendar *)&t; /* must be reset to NULL */
    struct yw_err err = { 0 };
    int rc = yw_cal_load(t.dir, &c, &err);
    tmp_remove(&t);
    if (rc != want_rc)
        fail_msg("rc %d, want %d (%s)", rc, want_rc, err.msg);
    assert_null(c);
    if (strstr(err.msg, "2031.json") == NULL)
        fail_msg("message does not name the file: %s", err.msg);
    if (entry && strstr(err.msg, entry) == NULL)
        fail_msg("message does not name '%s': %s", entry, err.msg);
}

static void
test_load_good_tmp(void **state)
{
    struct tmp t;
    tmp_make(&t);
    tmp_write(&t, "2031.json", GOOD_2031);
    tmp_write(&t, "README.md", "not a year");
    tmp_write(&t, "2031.json.bak", "not json");
    struct yw_calendar *c = NULL;
    struct yw_err err = { 0 };
    int rc = yw_cal_load(t.dir, &c, &err);
    tmp_remove(&t);
    if (rc != 0)
        fail_msg("load failed: %s", err.msg);
    assert_true(yw_cal_covers(c, D("2031-06-01")));
    assert_false(yw_cal_covers(c, D("2030-12-31")));
    assert_false(yw_cal_is_workday(c, D("2031-01-02")));
    assert_true(yw_cal_is_workday(c, D("2031-01-04")));
    assert_string_equal(yw_cal_holiday_name(c, D("2031-01-03")), "元旦");
    assert_int_equal(yw_cal_add_workdays(c, D("2030-12-31"), 1), D("2031-01-04"));
    yw_cal_free(c);
    yw_cal_free(NULL);
}

/* A deadline that reaches a year the calendar does not have is refused, not
 * guessed (issue 21); one inside the loaded years is yw_cal_add_workdays'. */
static void
test_checked_deadline(void **state)
{
    struct yw_err err = { 0 };
    int64_t due = 0;
    /* data/calendar has 2025 and 2026: 2026-12-07 + 10 working days stays in 2026 */
    assert_int_equal(yw_cal_add_workdays_checked(cal, D("2026-12-07"), 10, &due, &err), 0);
    assert_int_equal(due, yw_cal_add_workdays(cal, D("2026-12-07"), 10));
    /* + 20 working days ends in January 2027, which is not loaded */
    due = 42;
    assert_int_equal(yw_cal_add_workdays_checked(cal, D("2026-12-07"), 20, &due, &err),
                     YW_EUNAVAIL);
    assert_int_equal(due, 42);
    if (strstr(err.msg, "no year 2027") == NULL || strstr(err.msg, "2026-12-07") == NULL ||
        strstr(err.msg, "缺少2027年工作日历") == NULL)
        fail_msg("message: %s", err.msg);
    assert_string_equal(err.field, "calendar");
    /* backwards into 2024, also not loaded */
    assert_int_equal(yw_cal_add_workdays_checked(cal, D("2025-01-03"), -5, &due, &err),
                     YW_EUNAVAIL);
    /* 0 days is the start day, whatever the year */
    assert_int_equal(yw_cal_add_workdays_checked(cal, D("2040-01-01"), 0, &due, &err), 0);
    assert_int_equal(due, D("2040-01-01"));
    /* no calendar at all: nothing is covered */
    assert_int_equal(yw_cal_add_workdays_checked(NULL, D("2026-03-02"), 1, &due, &err),
                     YW_EUNAVAIL);
    assert_string_equal(yw_cal_source(cal, 2026),
                        "国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)");
    assert_null(yw_cal_source(cal, 2027));
}

/* One file at any path, its year read from the file (ywtb calendar import). */
static void
test_load_file(void **state)
{
    struct tmp t;
    tmp_make(&t);
    tmp_write(&t, "notice.json", GOOD_2031);
    tmp_write(&t, "bad.json",
              "{\"year\": 2031, \"source\": \"t\", \"holidays\": "
              "[{\"name\": \"元旦\", \"days\": [\"2031-01-06\", "
              "\"2031-01-08\"]}], \"workdays\": []}");
    tmp_write(&t, "noyear.json", "{\"source\": \"t\"}");
    char path[128];
    struct yw_calendar *c = NULL;
    struct yw_err err = { 0 };
    snprintf(path, sizeof path, "%s/notice.json", t.dir);
    assert_int_equal(yw_cal_load_file(path, &c, &err), 0);
    int first, last;
    yw_cal_years(c, &first, &last);
    assert_int_equal(first, 2031);
    assert_int_equal(last, 2031);
    assert_false(yw_cal_is_workday(c, D("2031-01-02")));
    assert_true(yw_cal_is_workday(c, D("2031-01-04")));
    assert_string_equal(yw_cal_source(c, 2031), "test");
    yw_cal_free(c);
    snprintf(path, sizeof path, "%s/bad.json", t.dir);
    assert_int_equal(yw_cal_load_file(path, &c, &err), YW_ECONFIG);
    assert_null(c);
    if (strstr(err.msg, "bad.json") == NULL || strstr(err.msg, "holidays[0]") == NULL)
        fail_msg("message: %s", err.msg);
    snprintf(path, sizeof path, "%s/noyear.json", t.dir);
    assert_int_equal(yw_cal_load_file(path, &c, &err), YW_ECONFIG);
    snprintf(path, sizeof path, "%s/missing.json", t.dir);
    assert_int_equal(yw_cal_load_file(path, &c, &err), YW_EIO);
    tmp_remove(&t);
}

static void
test_load_errors(void **state)
{
    /* Dates must be real. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\", \"2031-02-30\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0].days[1]");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-1-01\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0].days[0]");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[20310101]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0].days[0]");
    /* ... and in the file's year. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2030-12-31\"]}], \"workdays\": []}",
        YW_ECONFIG, "not in 2031");
    /* A make-up working day must be a Saturday or Sunday: 2031-01-06 is a Monday. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\"]}], \"workdays\": [{\"name\": \"调休\", \"days\": [\"2031-01-06\"]}]}",
        YW_ECONFIG, "workdays[0].days[0]");
    /* A day listed twice: two holiday entries, or twice in the workdays. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\"]}, {\"name\": \"又一个\", \"days\": [\"2031-01-01\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[1].days[0]");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\"]}], \"workdays\": [{\"name\": \"a\", \"days\": [\"2031-01-04\"]}, "
        "{\"name\": \"b\", \"days\": [\"2031-01-05\", \"2031-01-04\"]}]}",
        YW_ECONFIG, "workdays[1].days[1]");
    /* A day both a holiday and a working day. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\", \"2031-01-02\", \"2031-01-03\", \"2031-01-04\"]}], \"workdays\": "
        "[{\"name\": \"调休\", \"days\": [\"2031-01-04\"]}]}",
        YW_ECONFIG, "workdays[0].days[0]");
    /* A holiday block lists every day, in order. */
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\", \"2031-01-03\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0].days[1]");
    /* The shape of the file. */
    expect_load_error(
        "{\"year\": 2032, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": "
        "[\"2031-01-01\"]}], \"workdays\": []}",
        YW_ECONFIG, "\"year\"");
    expect_load_error("{\"year\": 2031, \"source\": \"t\", \"holiday\": [], \"workdays\": []}",
                      YW_ECONFIG, "'holiday'");
    expect_load_error(
        "{\"year\": 2031, \"holidays\": [{\"name\": \"元旦\", \"days\": [\"2031-01-01\"]}], "
        "\"workdays\": []}",
        YW_ECONFIG, "\"source\"");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"\", \"days\": "
        "[\"2031-01-01\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0]");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"days\": []}], "
        "\"workdays\": []}",
        YW_ECONFIG, "holidays[0]");
    expect_load_error(
        "{\"year\": 2031, \"source\": \"t\", \"holidays\": [{\"name\": \"元旦\", \"day\": "
        "[\"2031-01-01\"]}], \"workdays\": []}",
        YW_ECONFIG, "holidays[0]");
    expect_load_error("{\"year\": 2031, \"year\": 2031}", YW_ECONFIG, "JSON");
    expect_load_error("{\"year\": 2031,", YW_ECONFIG, "JSON");
    expect_load_error("[]", YW_ECONFIG, NULL);
}

static void
test_load_dir_errors(void **state)
{
    struct yw_calendar *c = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_cal_load("/nonexistent/ywtb-calendar", &c, &err), YW_EIO);
    assert_null(c);
    assert_non_null(strstr(err.msg, "/nonexistent/ywtb-calendar"));
    assert_int_equal(yw_cal_load("", &c, NULL), YW_EINVAL);

    struct tmp t;
    tmp_make(&t);
    tmp_write(&t, "README.md", "no years here");
    int rc = yw_cal_load(t.dir, &c, &err);
    tmp_remove(&t);
    assert_int_equal(rc, YW_ECONFIG);
    assert_null(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaded_years),
        cmocka_unit_test(test_2026_total),
        cmocka_unit_test(test_2026_months),
        cmocka_unit_test(test_2025_counts),
        cmocka_unit_test(test_makeup_days),
        cmocka_unit_test(test_holiday_weekdays),
        cmocka_unit_test(test_due_national_day_2026),
        cmocka_unit_test(test_due_spring_festival_2026),
        cmocka_unit_test(test_due_other),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_between_matches_days),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_day_of_ms),
        cmocka_unit_test(test_day_text_parse),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_load_good_tmp),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_checked_deadline),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_dir_errors),
    };
    return cmocka_run_group_tests(tests, load_real, free_real);
}
