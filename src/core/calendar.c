/*
 * calendar.c - the working-day calendar: loading the per-year JSON files of
 * official holidays and make-up working days, and counting working days.
 *
 * Each loaded year becomes one flat table of its 365/366 days (working-day flag,
 * holiday name index) plus a prefix sum of "official minus Monday-Friday", so a
 * day lookup is O(1) and counting working days between two days is O(loaded
 * years) whatever their distance: the Monday-Friday count has a closed form and
 * each loaded year only corrects it.  The format of the files and how to add a
 * year are in data/calendar/README.md; the facts for 2025 and 2026 come from the
 * State Council notices quoted in shared/reference/CN-STANDARDS.md §7.
 */
#include "core/calendar.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/mem.h"

#define MS_PER_DAY    86400000LL
#define SHANGHAI_SECS (8 * 3600) /* China Standard Time, UTC+8, no DST */
#define MAX_HOLIDAYS  255        /* name index is a uint8_t, 0 meaning none */
/* Days beyond this distance from 1970 are clamped when counting, so the closed
 * forms below cannot overflow (2^40 days is about three billion years). */
#define DAY_LIMIT ((int64_t)1 << 40)

struct cal_year {
    int year;
    int ndays;          /* 365 or 366 */
    int64_t first;      /* day number of January 1st */
    uint8_t work[366];  /* 1 = working day */
    uint8_t hol[366];   /* 0, or 1 + index into names */
    int32_t delta[367]; /* delta[i]: sum over the first i days of work - (Mon..Fri) */
    char *names[MAX_HOLIDAYS];
    int nnames;
    char *source; /* the notice it was copied from ("source") */
};

struct yw_calendar {
    int first_year, last_year;
    struct cal_year **slot;  /* last_year - first_year + 1 entries, NULL for gaps */
    struct cal_year **years; /* the loaded years in order */
    size_t nyears;
};

/* ---- days ---- */

static int64_t
floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int
yw_cal_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    return (int)(day - floordiv(day + 4, 7) * 7 + 4);
}

static bool
is_weekday(int64_t day)
{
    int w = yw_cal_weekday(day);
    return w >= 1 && w <= 5;
}

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t
yw_cal_day_of_ms(int64_t utc_ms)
{
    int64_t secs = floordiv(utc_ms, 1000);
    return floordiv(secs + SHANGHAI_SECS, 86400);
}

int64_t
yw_cal_start_of_day_ms(int64_t day)
{
    return day * MS_PER_DAY - SHANGHAI_SECS * 1000LL;
}

int64_t
yw_cal_end_of_day_ms(int64_t day)
{
    return yw_cal_start_of_day_ms(day) + MS_PER_DAY - 1;
}

void
yw_cal_day_text(int64_t day, char out[11])
{
    int y = 0, m = 0, d = 0;
    if (day > -DAY_LIMIT && day < DAY_LIMIT)
        yw_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999 || m == 0)
        y = m = d = 0;
    int v[3] = { y, m, d }, w[3] = { 4, 2, 2 };
    char *p = out;
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            *p++ = '-';
        for (int k = w[i] - 1; k >= 0; k--) {
            p[k] = (char)('0' + v[i] % 10);
            v[i] /= 10;
        }
        p += w[i];
    }
    *p = '\0';
}

int
yw_cal_parse_day(const char *s, int64_t *day)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return YW_EINVAL;
    int v[3] = { 0, 0, 0 };
    static const int at[3] = { 0, 5, 8 }, len[3] = { 4, 2, 2 };
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < len[i]; k++) {
            char c = s[at[i] + k];
            if (c < '0' || c > '9')
                return YW_EINVAL;
            v[i] = v[i] * 10 + (c - '0');
        }
    }
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        return YW_EINVAL;
    *day = yw_days_from_civil(v[0], v[1], v[2]);
    return 0;
}

/* ---- lookups ---- */

static const struct cal_year *
year_of(const struct yw_calendar *cal, int64_t day)
{
    if (cal == NULL || cal->nyears == 0)
        return NULL;
    const struct cal_year *lo = cal->years[0], *hi = cal->years[cal->nyears - 1];
    if (day < lo->first || day >= hi->first + hi->ndays)
        return NULL;
    int y, m, d;
    yw_civil_from_days(day, &y, &m, &d);
    return cal->slot[y - cal->first_year];
}

bool
yw_cal_covers(const struct yw_calendar *cal, int64_t day)
{
    return year_of(cal, day) != NULL;
}

void
yw_cal_years(const struct yw_calendar *cal, int *first, int *last)
{
    *first = cal ? cal->first_year : 0;
    *last = cal ? cal->last_year : 0;
}

bool
yw_cal_is_workday(const struct yw_calendar *cal, int64_t day)
{
    const struct cal_year *cy = year_of(cal, day);
    if (cy == NULL)
        return is_weekday(day); /* year not loaded: Monday-Friday */
    return cy->work[day - cy->first];
}

const char *
yw_cal_holiday_name(const struct yw_calendar *cal, int64_t day)
{
    const struct cal_year *cy = year_of(cal, day);
    if (cy == NULL || cy->hol[day - cy->first] == 0)
        return NULL;
    return cy->names[cy->hol[day - cy->first] - 1];
}

int64_t
yw_cal_add_workdays(const struct yw_calendar *cal, int64_t start_day, int n)
{
    /* 《行政许可法》第八十二条: the start day is not counted. */
    int64_t d = start_day;
    while (n > 0) {
        d++;
        if (yw_cal_is_workday(cal, d))
            n--;
    }
    while (n < 0) {
        d--;
        if (yw_cal_is_workday(cal, d))
            n++;
    }
    return d;
}

int
yw_cal_add_workdays_checked(const struct yw_calendar *cal, int64_t start_day, int n, int64_t *out,
                            struct yw_err *err)
{
    int64_t d = yw_cal_add_workdays(cal, start_day, n);
    int64_t lo = n >= 0 ? start_day + 1 : d, hi = n >= 0 ? d : start_day - 1;
    int y0, y1, m, dd;
    if (lo > hi) {
        *out = d;
        return 0;
    }
    yw_civil_from_days(lo, &y0, &m, &dd);
    yw_civil_from_days(hi, &y1, &m, &dd);
    for (int y = y0; y <= y1; y++) {
        if (yw_cal_covers(cal, yw_days_from_civil(y, 1, 1)))
            continue;
        char from[11];
        yw_cal_day_text(start_day, from);
        return yw_fail(err, YW_EUNAVAIL, "calendar",
                       "cannot count %d working days from %s: the calendar has no year %d and "
                       "does not guess its holidays (ywtb calendar import) / 缺少%d年工作日历，"
                       "无法计算期限",
                       n, from, y, y);
    }
    *out = d;
    return 0;
}

const char *
yw_cal_source(const struct yw_calendar *cal, int year)
{
    if (cal == NULL || year < cal->first_year || year > cal->last_year)
        return NULL;
    const struct cal_year *cy = cal->slot[year - cal->first_year];
    return cy ? cy->source : NULL;
}

/* Monday-Friday days among the first n days from day 0 (1970-01-01, a Thursday);
 * for n < 0, minus those among days n..-1.  So weekdays_before(b) -
 * weekdays_before(a) counts Monday-Friday in [a, b). */
static int64_t
weekdays_before(int64_t n)
{
    static const int64_t pref[7] = { 0, 1, 2, 2, 2, 3, 4 }; /* Thu Fri Sat Sun Mon Tue Wed */
    int64_t q = floordiv(n, 7);
    return 5 * q + pref[n - 7 * q];
}

/* A running count of working days: F(b) - F(a) counts working days in (a, b]. */
static int64_t
workdays_through(const struct yw_calendar *cal, int64_t x)
{
    int64_t f = weekdays_before(x + 1);
    for (size_t i = 0; cal && i < cal->nyears; i++) {
        const struct cal_year *cy = cal->years[i];
        if (x < cy->first)
            break;
        int64_t k = x - cy->first + 1;
        f += cy->delta[k < cy->ndays ? k : cy->ndays];
    }
    return f;
}

static int64_t
clamp_day(int64_t d)
{
    return d < -DAY_LIMIT ? -DAY_LIMIT : d > DAY_LIMIT ? DAY_LIMIT : d;
}

int
yw_cal_workdays_between(const struct yw_calendar *cal, int64_t from_day, int64_t to_day)
{
    int64_t n =
        workdays_through(cal, clamp_day(to_day)) - workdays_through(cal, clamp_day(from_day));
    return n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : (int)n;
}

/* ---- loading ---- */

static void
year_free(struct cal_year *cy)
{
    if (cy == NULL)
        return;
    for (int i = 0; i < cy->nnames; i++)
        free(cy->names[i]);
    free(cy->source);
    free(cy);
}

void
yw_cal_free(struct yw_calendar *cal)
{
    if (cal == NULL)
        return;
    for (size_t i = 0; i < cal->nyears; i++)
        year_free(cal->years[i]);
    free(cal->years);
    free(cal->slot);
    free(cal);
}

/* Fail unless every key of object `o` is one of the NULL-terminated `keys`;
 * `where` is the object's JSON path, NULL for the top level. */
static int
known_keys(json_t *o, const char *const *keys, const char *path, const char *where,
           struct yw_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (size_t i = 0; keys[i] && !ok; i++)
            ok = strcmp(k, keys[i]) == 0;
        if (!ok)
            return yw_fail(err, YW_ECONFIG, where ? where : k,
                           "calendar file '%s': %s%sunknown key '%s'", path, where ? where : "",
                           where ? ": " : "", k);
    }
    return 0;
}

/* Read one list ("holidays" or "workdays") of a year's file into cy.  Holidays
 * must be read first: the workdays check against them. */
static int
read_list(struct cal_year *cy, json_t *list, bool holidays, const char *path, struct yw_err *err)
{
    static const char *const entry_keys[] = { "name", "days", NULL };
    const char *what = holidays ? "holidays" : "workdays";
    uint8_t seen[366] = { 0 }; /* 1 + entry index that listed the day, in this list */
    char where[64];
    size_t i, j;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        snprintf(where, sizeof where, "%s[%zu]", what, i);
        if (!json_is_object(e))
            return yw_fail(err, YW_ECONFIG, where, "calendar file '%s': %s is not an object", path,
                           where);
        int rc = known_keys(e, entry_keys, path, where, err);
        if (rc)
            return rc;
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *days = json_object_get(e, "days");
        if (name == NULL || name[0] == '\0')
            return yw_fail(err, YW_ECONFIG, where, "calendar file '%s': %s has no \"name\" string",
                           path, where);
        if (!json_is_array(days) || json_array_size(days) == 0)
            return yw_fail(err, YW_ECONFIG, where,
                           "calendar file '%s': %s ('%s') needs a non-empty \"days\" array", path,
                           where, name);
        if (i >= MAX_HOLIDAYS)
            return yw_fail(err, YW_ECONFIG, where, "calendar file '%s': more than %d %s entries",
                           path, MAX_HOLIDAYS, what);
        if (holidays) {
            cy->names[cy->nnames++] = yw_xstrdup(name);
        }
        int64_t prev = 0;
        json_t *dv;
        json_array_foreach(days, j, dv)
        {
            snprintf(where, sizeof where, "%s[%zu].days[%zu]", what, i, j);
            const char *s = json_string_value(dv);
            int64_t day;
            if (s == NULL || yw_cal_parse_day(s, &day) != 0)
                return yw_fail(
                    err, YW_ECONFIG, where,
                    "calendar file '%s': %s ('%s') day '%s' is not a real date YYYY-MM-DD", path,
                    where, name, s ? s : "(not a string)");
            if (day < cy->first || day >= cy->first + cy->ndays)
                return yw_fail(err, YW_ECONFIG, where,
                               "calendar file '%s': %s ('%s') day '%s' is not in %d", path, where,
                               name, s, cy->year);
            int64_t k = day - cy->first;
            if (seen[k])
                return yw_fail(
                    err, YW_ECONFIG, where,
                    "calendar file '%s': %s ('%s') day '%s' is listed twice (also %s[%d])", path,
                    where, name, s, what, seen[k] - 1);
            seen[k] = (uint8_t)(i + 1);
            if (holidays) {
                /* A holiday block lists every day off, in order, without gaps. */
                if (j > 0 && day != prev + 1)
                    return yw_fail(
                        err, YW_ECONFIG, where,
                        "calendar file '%s': %s ('%s') day '%s' does not follow the day before it "
                        "(list every day of the block, in order)",
                        path, where, name, s);
                cy->hol[k] = (uint8_t)cy->nnames;
                cy->work[k] = 0;
            } else {
                if (cy->hol[k])
                    return yw_fail(
                        err, YW_ECONFIG, where,
                        "calendar file '%s': %s ('%s') day '%s' is also a holiday ('%s')", path,
                        where, name, s, cy->names[cy->hol[k] - 1]);
                /* 调休上班 moves work onto a weekend day; a weekday is working anyway. */
                if (is_weekday(day))
                    return yw_fail(
                        err, YW_ECONFIG, where,
                        "calendar file '%s': %s ('%s') day '%s' is a weekday, not a Saturday or "
                        "Sunday",
                        path, where, name, s);
                cy->work[k] = 1;
            }
            prev = day;
        }
    }
    return 0;
}

/* Load and validate one year's file; `year` comes from its name. */
static int
load_year(const char *path, int year, struct cal_year **out, struct yw_err *err)
{
    static const char *const top_keys[] = {
        "year", "source", "notes", "holidays", "workdays", NULL
    };
    struct cal_year *cy = NULL;
    json_t *doc = NULL;
    FILE *f = NULL;
    int rc = YW_ECONFIG;

    if ((f = fopen(path, "r")) == NULL) {
        rc = yw_fail(err, YW_EIO, "calendar", "cannot open calendar file '%s': %s", path,
                     strerror(errno));
        goto out;
    }
    json_error_t je;
    if ((doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je)) == NULL) {
        yw_fail(err, YW_ECONFIG, "calendar", "calendar file '%s' is not valid JSON: %s (line %d)",
                path, je.text, je.line);
        goto out;
    }
    if (!json_is_object(doc)) {
        yw_fail(err, YW_ECONFIG, "calendar", "calendar file '%s' must hold a JSON object", path);
        goto out;
    }
    if ((rc = known_keys(doc, top_keys, path, NULL, err)) != 0)
        goto out;
    rc = YW_ECONFIG;
    json_t *jy = json_object_get(doc, "year"), *src = json_object_get(doc, "source");
    json_t *notes = json_object_get(doc, "notes");
    json_t *hol = json_object_get(doc, "holidays"), *work = json_object_get(doc, "workdays");
    if (!json_is_integer(jy) || json_integer_value(jy) != year) {
        yw_fail(err, YW_ECONFIG, "year",
                "calendar file '%s': \"year\" must be the integer %d (the file name)", path, year);
        goto out;
    }
    if (!json_is_string(src) || json_string_length(src) == 0) {
        yw_fail(err, YW_ECONFIG, "source",
                "calendar file '%s': \"source\" must name the State Council notice", path);
        goto out;
    }
    if (notes && !json_is_string(notes)) {
        yw_fail(err, YW_ECONFIG, "notes", "calendar file '%s': \"notes\" must be a string", path);
        goto out;
    }
    if (!json_is_array(hol) || json_array_size(hol) == 0) {
        yw_fail(err, YW_ECONFIG, "holidays",
                "calendar file '%s': \"holidays\" must be a non-empty array", path);
        goto out;
    }
    if (!json_is_array(work)) {
        yw_fail(err, YW_ECONFIG, "workdays", "calendar file '%s': \"workdays\" must be an array",
                path);
        goto out;
    }

    cy = yw_xcalloc(1, sizeof *cy);
    cy->year = year;
    cy->first = yw_days_from_civil(year, 1, 1);
    cy->ndays = is_leap(year) ? 366 : 365;
    for (int k = 0; k < cy->ndays; k++)
        cy->work[k] = is_weekday(cy->first + k);
    if ((rc = read_list(cy, hol, true, path, err)) != 0 ||
        (rc = read_list(cy, work, false, path, err)) != 0)
        goto out;
    for (int k = 0; k < cy->ndays; k++)
        cy->delta[k + 1] = cy->delta[k] + cy->work[k] - (is_weekday(cy->first + k) ? 1 : 0);
    cy->source = yw_xstrdup(json_string_value(src));
    *out = cy;
    cy = NULL;
    rc = 0;
out:
    year_free(cy);
    json_decref(doc);
    if (f)
        fclose(f);
    return rc;
}

/* "YYYY.json" -> year, or -1 for any other name. */
static int
year_file(const char *name)
{
    if (strlen(name) != 9 || strcmp(name + 4, ".json") != 0)
        return -1;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        y = y * 10 + (name[i] - '0');
    }
    return y;
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int
yw_cal_load(const char *dir, struct yw_calendar **out, struct yw_err *err)
{
    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        return yw_fail(err, YW_EINVAL, "calendar", "no calendar directory given");

    struct yw_calendar *cal = NULL;
    int *years = NULL;
    size_t n = 0, cap = 0;
    DIR *d = NULL;
    int rc = YW_EIO;

    if ((d = opendir(dir)) == NULL) {
        yw_fail(err, YW_EIO, "calendar", "cannot read calendar directory '%s': %s", dir,
                strerror(errno));
        goto out;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int y = year_file(de->d_name);
        if (y < 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            years = yw_xrealloc(years, cap * sizeof *years);
        }
        years[n++] = y;
    }
    if (n == 0) {
        rc =
            yw_fail(err, YW_ECONFIG, "calendar", "no calendar year files (YYYY.json) in '%s'", dir);
        goto out;
    }
    /* In order, so that the first bad file reported does not depend on readdir. */
    qsort(years, n, sizeof *years, cmp_int);

    cal = yw_xcalloc(1, sizeof *cal);
    cal->first_year = years[0];
    cal->last_year = years[n - 1];
    cal->slot = yw_xcalloc((size_t)(cal->last_year - cal->first_year + 1), sizeof *cal->slot);
    cal->years = yw_xcalloc(n, sizeof *cal->years);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%04d.json", dir, years[i]);
        struct cal_year *cy = NULL;
        if ((rc = load_year(path, years[i], &cy, err)) != 0)
            goto out;
        cal->years[cal->nyears++] = cy;
        cal->slot[years[i] - cal->first_year] = cy;
    }
    *out = cal;
    cal = NULL;
    rc = 0;
out:
    yw_cal_free(cal);
    free(years);
    if (d)
        closedir(d);
    return rc;
}

int
yw_cal_load_file(const char *path, struct yw_calendar **out, struct yw_err *err)
{
    *out = NULL;
    /* the year comes from the file itself (an import's name is the operator's) */
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL) {
        if (access(path, R_OK) != 0)
            return yw_fail(err, YW_EIO, "calendar", "cannot open calendar file '%s': %s", path,
                           strerror(errno));
        return yw_fail(err, YW_ECONFIG, "calendar",
                       "calendar file '%s' is not valid JSON: %s (line %d)", path, je.text,
                       je.line);
    }
    json_t *jy = json_object_get(doc, "year");
    json_int_t year = json_is_integer(jy) ? json_integer_value(jy) : 0;
    json_decref(doc);
    if (year < 1949 || year > 9999)
        return yw_fail(err, YW_ECONFIG, "year",
                       "calendar file '%s': \"year\" must be an integer year (1949-9999)", path);
    struct cal_year *cy = NULL;
    int rc = load_year(path, (int)year, &cy, err);
    if (rc)
        return rc;
    struct yw_calendar *cal = yw_xcalloc(1, sizeof *cal);
    cal->first_year = cal->last_year = (int)year;
    cal->slot = yw_xcalloc(1, sizeof *cal->slot);
    cal->years = yw_xcalloc(1, sizeof *cal->years);
    cal->slot[0] = cal->years[0] = cy;
    cal->nyears = 1;
    *out = cal;
    return 0;
}
