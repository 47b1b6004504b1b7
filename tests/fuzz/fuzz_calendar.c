/*
 * fuzz_calendar.c - libFuzzer harness for the working-day calendar
 * (src/core/calendar.c): the input is written as 2026.json into a scratch
 * directory and loaded with yw_cal_load, as the server loads data/calendar;
 * the input is also parsed as one "YYYY-MM-DD" day (yw_cal_parse_day).
 *
 * A calendar that loads keeps the promises of calendar.h: the n-th working
 * day after any day of the year is a working day with exactly n working days
 * between (add_workdays and workdays_between agree), the count is
 * antisymmetric, a day of a named holiday is not a working day, and the year
 * is covered.  A day that parses prints back as the same text.
 */
#include "core/calendar.h"
#include "core/clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char file[96];

static void
cleanup(void)
{
    unlink(file);
    rmdir(dir);
}

static void
fail(const char *what, int64_t day, int n)
{
    char t[11];
    yw_cal_day_text(day, t);
    fprintf(stderr, "calendar: %s (day %s, n %d)\n", what, t, n);
    abort();
}

static void
check(const struct yw_calendar *cal)
{
    int64_t first = yw_days_from_civil(2026, 1, 1), last = yw_days_from_civil(2026, 12, 31);
    static const int ns[] = { 1, 2, 5, 22, -3 };
    for (int64_t d = first; d <= last; d++) {
        if (!yw_cal_covers(cal, d))
            fail("a day of the loaded year is not covered", d, 0);
        if (yw_cal_holiday_name(cal, d) && yw_cal_is_workday(cal, d))
            fail("a holiday is a working day", d, 0);
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            int64_t r = yw_cal_add_workdays(cal, d, ns[i]);
            if (ns[i] > 0 &&
                (!yw_cal_is_workday(cal, r) || yw_cal_workdays_between(cal, d, r) != ns[i]))
                fail("add_workdays and workdays_between disagree", d, ns[i]);
            if (ns[i] < 0 && (r >= d || !yw_cal_is_workday(cal, r)))
                fail("add_workdays backwards is not an earlier working day", d, ns[i]);
        }
        int64_t e = d + (d * 7919) % 400 - 200;
        if (yw_cal_workdays_between(cal, d, e) != -yw_cal_workdays_between(cal, e, d))
            fail("workdays_between is not antisymmetric", d, (int)(e - d));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/ywtb-fuzzcal-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            abort();
        }
        snprintf(file, sizeof file, "%s/2026.json", dir);
        atexit(cleanup);
    }
    FILE *f = fopen(file, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(file);
        abort();
    }
    struct yw_calendar *cal = NULL;
    struct yw_err err = { 0 };
    int rc = yw_cal_load(dir, &cal, &err);
    if (rc == 0) {
        if (cal == NULL)
            fail("loaded, but no calendar", 0, 0);
        check(cal);
        yw_cal_free(cal);
    } else if (cal != NULL || err.msg[0] == '\0') {
        fail("refused, but a calendar or no message", 0, rc);
    }

    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t day = 12345;
    if (yw_cal_parse_day(s, &day) == 0) {
        char t[11];
        yw_cal_day_text(day, t);
        if (strcmp(t, s) != 0)
            fail("a parsed day does not print back as its text", day, 0);
    } else if (day != 12345) {
        fail("a refused day changed the output", day, 0);
    }
    free(s);
    return 0;
}
