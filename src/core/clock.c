/*
 * clock.c - the settable server clock (see clock.h).
 */
#include "core/clock.h"

#include "core/err.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_ms;
static atomic_bool clock_set;

int64_t
yw_clock_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
yw_clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
yw_clock_now_ms(void)
{
    return yw_clock_real_ms() + atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

void
yw_clock_set(int64_t instant_ms)
{
    atomic_store(&offset_ms, instant_ms - yw_clock_real_ms());
    atomic_store(&clock_set, true);
}

void
yw_clock_advance(int64_t ms)
{
    if (ms > 0)
        atomic_fetch_add(&offset_ms, ms);
}

int64_t
yw_clock_offset(void)
{
    return atomic_load(&offset_ms);
}

void
yw_clock_set_offset(int64_t ms)
{
    atomic_store(&offset_ms, ms);
    atomic_store(&clock_set, true);
}

bool
yw_clock_is_set(void)
{
    return atomic_load(&clock_set);
}

/* Howard Hinnant's civil-date algorithms. */
int64_t
yw_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
yw_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int
digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int
month_days(int y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return md[m - 1];
}

int
yw_clock_parse(const char *s, int64_t *out_ms)
{
    int y, mo, d, h, mi, se, ms = 0;
    size_t len = strlen(s);
    if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return YW_EINVAL;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return YW_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || se > 60)
        return YW_EINVAL;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        int nd = 0, frac = 0;
        while (*p >= '0' && *p <= '9') {
            if (nd < 3) {
                frac = frac * 10 + (*p - '0');
                nd++;
            }
            p++;
        }
        if (nd == 0)
            return YW_EINVAL;
        while (nd++ < 3)
            frac *= 10;
        ms = frac;
    }
    int off_min = 0;
    if (*p == 'Z' && p[1] == '\0') {
        off_min = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return YW_EINVAL;
        off_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
    } else {
        return YW_EINVAL;
    }
    int64_t days = yw_days_from_civil(y, mo, d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - (int64_t)off_min * 60;
    *out_ms = secs * 1000 + ms;
    return 0;
}

void
yw_clock_format(int64_t ms, char buf[32])
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int msec = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int sod = (int)(secs - days * 86400);
    int y, m, d;
    yw_civil_from_days(days, &y, &m, &d);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, sod / 3600, sod / 60 % 60,
             sod % 60, msec);
}
