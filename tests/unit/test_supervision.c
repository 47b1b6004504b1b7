/*
 * test_supervision.c - when a deadline turns yellow and when red
 * (src/supervision/clock.c): the day the card sweep acts next for each stage,
 * and the light a board shows, on the real working-day calendar
 * (data/calendar) with the default thresholds: yellow when at most
 * max(2 working days, 20 % of the limit) are left, red the day after the due
 * day (《行政许可法》第八十二条: time limits count working days).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka after the headers it needs */
#include <cmocka.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "supervision/internal.h"

#include <stdio.h>
#include <string.h>

static struct yw_calendar *cal;

static int64_t
day(int y, int m, int d)
{
    return yw_days_from_civil(y, m, d);
}

static int
load(void **state)
{
    (void)state;
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s/../../data/calendar", slash ? (int)(slash - file) : 1,
             slash ? file : ".");
    struct yw_err err = { 0 };
    int rc = yw_cal_load(dir, &cal, &err);
    if (rc)
        fprintf(stderr, "cannot load %s: %s\n", dir, err.msg);
    yw_sup__calendar_use(cal);
    return rc;
}

static int
unload(void **state)
{
    (void)state;
    yw_sup__calendar_use(NULL);
    yw_cal_free(cal);
    return 0;
}

/* A 5-day task due Mon 2026-11-09: yellow from Thu 11-05 (2 working days
 * left), red from Tue 11-10; nothing after red. */
static void
test_next_day_plain_week(void **state)
{
    (void)state;
    int64_t due = day(2026, 11, 9);
    assert_int_equal(yw_sup__next_day("green", due, 5), day(2026, 11, 5));
    assert_int_equal(yw_sup__next_day("yellow", due, 5), day(2026, 11, 10));
    assert_int_equal(yw_sup__next_day("red", due, 5), YW_SUP_NEVER);
    assert_int_equal(yw_sup__next_day("green", 0, 5), YW_SUP_NEVER); /* no clock */
}

/* 20 % of a 20-day limit is 4 working days, more than 2: yellow 4 working
 * days before a due day of Mon 2026-11-30, i.e. on Tue 11-24. */
static void
test_next_day_percent(void **state)
{
    (void)state;
    assert_int_equal(yw_sup__next_day("green", day(2026, 11, 30), 20), day(2026, 11, 24));
}

/* Across National Day 2026 (10-01..10-07 off): a task due Fri 10-09 has 2
 * working days left already on Wed 09-30, before the holiday. */
static void
test_next_day_holiday(void **state)
{
    (void)state;
    assert_int_equal(yw_sup__next_day("green", day(2026, 10, 9), 5), day(2026, 9, 30));
}

static void
test_light(void **state)
{
    (void)state;
    int64_t due = day(2026, 11, 9);
    assert_string_equal(yw_sup__light(day(2026, 11, 4), due, 5, false), "green");
    assert_string_equal(yw_sup__light(day(2026, 11, 5), due, 5, false), "yellow");
    assert_string_equal(yw_sup__light(day(2026, 11, 9), due, 5, false), "yellow"); /* due today */
    assert_string_equal(yw_sup__light(day(2026, 11, 10), due, 5, false), "red");
    /* due on a Friday, seen on the Saturday after: overdue though no working day passed */
    assert_string_equal(yw_sup__light(day(2026, 11, 14), day(2026, 11, 13), 5, false), "red");
    assert_string_equal(yw_sup__light(day(2026, 11, 10), due, 5, true), "paused");
    /* the light and the sweep agree: yellow exactly from the yellow day */
    int64_t y = yw_sup__next_day("green", due, 5);
    assert_string_equal(yw_sup__light(y - 1, due, 5, false), "green");
    assert_string_equal(yw_sup__light(y, due, 5, false), "yellow");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_day_plain_week),
        cmocka_unit_test(test_next_day_percent),
        cmocka_unit_test(test_next_day_holiday),
        cmocka_unit_test(test_light),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
