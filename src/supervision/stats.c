/*
 * stats.c - the district's figures from rollups kept by feed.c in the
 * events' transactions, so that a dashboard request reads O(days) small rows
 * and never a case, whatever the number of cases:
 *
 *   sup_stats_day         (day, metric)          the district's totals and days
 *   sup_stats_dept        (day, dept, metric)    a department's days; the
 *                                                partial months of a period
 *   sup_stats_dept_month  (month, dept, metric)  the period's whole months
 *   sup_stats_daily       (day, dept, item, metric) and
 *   sup_stats_item_month  (month, metric, dept, item)  the top items
 *
 * A year's dashboard sums ~365 x 25 day rows, ~13 x departments x 25 month
 * rows and at most about a month of per-department and per-item daily rows
 * at its ends (split_period: an end's days added, or its month's days
 * outside the period taken away, whichever is fewer).  The adds of a
 * transaction are summed and written once before its COMMIT (db/tally.h),
 * with one bump of sup_stats_version, the token of the answer cache (cache.c).
 *
 * Metrics: received, accepted, not_accepted, approved, denied, withdrawn
 * (cases, by their item's department; a bundle's own events under dept "");
 * received_online / _window / _kiosk (the channel); licenses_used (e-licenses
 * named instead of paper copies at submission); licenses_issued (by the
 * issuing department, under the license type as "item"); tasks_done,
 * tasks_on_time, days_used (tasks decided: how many, how many by their due
 * day, the working days from acceptance to decision); ratings,
 * rating_points, ratings_good (4-5), ratings_bad (1-2) (the 好差评 of
 * rating.submitted, by the department and item rated); visits (a window
 * finished a called number: visit.finished), cases_visited (cases seen at a
 * window the first time), cases_revisited (cases whose applicant came a
 * second time: not "at most one trip").  Derived: on_time_rate,
 * avg_days_used, online_share, satisfaction (good / ratings), avg_rating,
 * revisit_share (cases_revisited / cases_visited).
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "db/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* YYYYMM of a day number. */
static int64_t
month_of(int64_t day)
{
    int y, m, d;
    yw_civil_from_days(day, &y, &m, &d);
    return (int64_t)y * 100 + m;
}

/* Write the summed adds of a transaction (db/tally.h): each (day, dept, item,
 * metric) once into the five rollups, and the answer cache's token once. */
static int
stat_flush(struct yw_dbc *c, const struct yw_db_tally_sum *sums, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char key[256];
        snprintf(key, sizeof key, "%s", sums[i].key);
        char *f[4] = { key, NULL, NULL, NULL };
        for (int k = 1; k < 4; k++) {
            char *sep = strchr(f[k - 1], '\x1f');
            if (sep == NULL)
                return YW_EINVAL; /* a bug: stat_add wrote every key */
            *sep = '\0';
            f[k] = sep + 1;
        }
        int64_t day = strtoll(f[0], NULL, 10), month = month_of(day), v = sums[i].n;
        const char *d = f[1], *k = f[2], *metric = f[3];
        rc = yw_db_run(c,
                       "INSERT INTO sup_stats_daily (day, dept, code, metric, n) VALUES (?, ?, ?, "
                       "?, ?) ON CONFLICT (day, dept, code, metric) DO UPDATE SET n = "
                       "sup_stats_daily.n + excluded.n",
                       "isssi", day, d, k, metric, v);
        if (rc == 0)
            rc = yw_db_run(
                c,
                "INSERT INTO sup_stats_dept (day, dept, metric, n) VALUES (?, ?, ?, ?) ON "
                "CONFLICT (day, dept, metric) DO UPDATE SET n = sup_stats_dept.n + excluded.n",
                "issi", day, d, metric, v);
        if (rc == 0)
            rc = yw_db_run(c,
                           "INSERT INTO sup_stats_day (day, metric, n) VALUES (?, ?, ?) ON "
                           "CONFLICT (day, metric) DO UPDATE SET n = sup_stats_day.n + excluded.n",
                           "isi", day, metric, v);
        if (rc == 0)
            rc = yw_db_run(c,
                           "INSERT INTO sup_stats_dept_month (month, dept, metric, n) VALUES (?, "
                           "?, ?, ?) ON CONFLICT (month, dept, metric) DO UPDATE SET n = "
                           "sup_stats_dept_month.n + excluded.n",
                           "issi", month, d, metric, v);
        if (rc == 0)
            rc = yw_db_run(c,
                           "INSERT INTO sup_stats_item_month (month, metric, dept, code, n) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (month, metric, dept, code) DO "
                           "UPDATE SET n = sup_stats_item_month.n + excluded.n",
                           "isssi", month, metric, d, k, v);
    }
    if (rc == 0 && n > 0)
        rc = yw_db_run(c, "UPDATE sup_stats_version SET v = v + 1 WHERE id = 1", "");
    return rc;
}

int
yw_sup__stat_add(struct yw_dbc *c, int64_t day, const char *dept, const char *code,
                 const char *metric, int64_t n)
{
    if (n == 0 && strcmp(metric, "tasks_on_time") != 0)
        return 0;
    /* summed over the transaction and written once before its COMMIT: a group
     * commit of thirty submissions updates each rollup row once */
    char key[256];
    int len = snprintf(key, sizeof key, "%lld\x1f%s\x1f%s\x1f%s", (long long)day, dept ? dept : "",
                       code ? code : "", metric);
    if (len < 0 || (size_t)len >= sizeof key)
        return YW_EINVAL;
    return yw_db_tally(c, stat_flush, key, n);
}

/* obj[key][metric] += n */
static void
add_to(json_t *obj, const char *key, const char *metric, int64_t n)
{
    json_t *o = json_object_get(obj, key);
    if (o == NULL) {
        o = json_object();
        json_object_set_new(obj, key, o);
    }
    json_object_set_new(o, metric,
                        json_integer(json_integer_value(json_object_get(o, metric)) + n));
}

/* The derived figures of one group of metrics. */
static void
derive(json_t *o)
{
    static const char *const names[] = { "received",        "accepted",
                                         "not_accepted",    "approved",
                                         "denied",          "withdrawn",
                                         "tasks_done",      "tasks_on_time",
                                         "days_used",       "received_online",
                                         "received_window", "received_kiosk",
                                         "licenses_used",   "licenses_issued",
                                         "ratings",         "rating_points",
                                         "ratings_good",    "ratings_bad",
                                         "visits",          "cases_visited",
                                         "cases_revisited", NULL };
    for (const char *const *p = names; *p; p++)
        if (!json_object_get(o, *p))
            json_object_set_new(o, *p, json_integer(0));
    double done = (double)json_integer_value(json_object_get(o, "tasks_done"));
    json_object_set_new(
        o, "on_time_rate",
        done > 0 ? json_real(json_integer_value(json_object_get(o, "tasks_on_time")) / done)
                 : json_null());
    double received = (double)json_integer_value(json_object_get(o, "received"));
    json_object_set_new(
        o, "online_share",
        received > 0
            ? json_real(json_integer_value(json_object_get(o, "received_online")) / received)
            : json_null());
    double rated = (double)json_integer_value(json_object_get(o, "ratings"));
    json_object_set_new(
        o, "satisfaction",
        rated > 0 ? json_real(json_integer_value(json_object_get(o, "ratings_good")) / rated)
                  : json_null());
    json_object_set_new(
        o, "avg_rating",
        rated > 0 ? json_real(json_integer_value(json_object_get(o, "rating_points")) / rated)
                  : json_null());
    double visited = (double)json_integer_value(json_object_get(o, "cases_visited"));
    json_object_set_new(
        o, "revisit_share",
        visited > 0 ? json_real(json_integer_value(json_object_get(o, "cases_revisited")) / visited)
                    : json_null());
    json_object_set_new(o, "avg_days_used",
                        done > 0
                            ? json_real(json_integer_value(json_object_get(o, "days_used")) / done)
                            : json_null());
}

/* A period as month rollups and signed day ranges: the sum over [from, to]
 * is the months m0..m1 (YYYYMM; none when m0 > m1) plus sa x the days
 * [a0, a1] plus sb x the days [b0, b1] (sa, sb = +1 or -1; a range with
 * a0 > a1 is empty).  At each end whose month the period covers only in
 * part, the days inside the period are added, or the whole month is taken
 * and the days of it outside the period taken away, whichever reads fewer
 * days (days after today have no rows and cost nothing): so an end costs at
 * most about half a month of daily rows. */
struct sup_split {
    int64_t m0, m1, a0, a1, b0, b1, sa, sb;
};

static int64_t
ym(int y, int m)
{
    return (int64_t)y * 100 + m;
}

/* Days of [lo, hi] on or before today: the daily rows such a range reads. */
static int64_t
cost(int64_t lo, int64_t hi, int64_t today)
{
    if (hi > today)
        hi = today;
    return hi >= lo ? hi - lo + 1 : 0;
}

static void
split_period(int64_t from, int64_t to, int64_t today, struct sup_split *p)
{
    int fy, fm, fd, ty, tm, td;
    yw_civil_from_days(from, &fy, &fm, &fd);
    yw_civil_from_days(to, &ty, &tm, &td);
    int64_t fstart = yw_days_from_civil(fy, fm, 1);
    int64_t fend =
        (fm == 12 ? yw_days_from_civil(fy + 1, 1, 1) : yw_days_from_civil(fy, fm + 1, 1)) - 1;
    int64_t tstart = yw_days_from_civil(ty, tm, 1);
    int64_t tend =
        (tm == 12 ? yw_days_from_civil(ty + 1, 1, 1) : yw_days_from_civil(ty, tm + 1, 1)) - 1;
    *p = (struct sup_split){
        .m0 = 1, .m1 = 0, .a0 = 1, .a1 = 0, .b0 = 1, .b1 = 0, .sa = 1, .sb = 1
    };
    if (fstart == tstart) { /* one month: its days, or the month less the days outside */
        if (cost(from, to, today) <= cost(fstart, from - 1, today) + cost(to + 1, fend, today)) {
            p->a0 = from, p->a1 = to;
        } else {
            p->m0 = p->m1 = ym(fy, fm);
            p->a0 = fstart, p->a1 = from - 1, p->sa = -1;
            p->b0 = to + 1, p->b1 = fend, p->sb = -1;
        }
        return;
    }
    /* the months strictly between, then each end */
    p->m0 = fm == 12 ? ym(fy + 1, 1) : ym(fy, fm + 1);
    p->m1 = tm == 1 ? ym(ty - 1, 12) : ym(ty, tm - 1);
    if (from == fstart || cost(fstart, from - 1, today) < cost(from, fend, today)) {
        p->m0 = ym(fy, fm); /* the first month whole, less its days before from */
        p->a0 = fstart, p->a1 = from - 1, p->sa = -1;
    } else {
        p->a0 = from, p->a1 = fend;
    }
    if (to == tend || cost(to + 1, tend, today) < cost(tstart, to, today)) {
        p->m1 = ym(ty, tm); /* the last month whole, less its days after to */
        p->b0 = to + 1, p->b1 = tend, p->sb = -1;
    } else {
        p->b0 = tstart, p->b1 = to;
    }
}

json_t *
yw_sup__stats(struct yw_dbc *c, struct yw_arena *a, int64_t from, int64_t to, const char *dept,
              int64_t top)
{
    const char *d = dept ? dept : "";
    json_t *total = json_object(), *by_dept = json_object(), *by_day = json_object();
    json_t *items = json_array();
    struct sup_split sp;
    split_period(from, to, yw_sup__today(), &sp);
    int rc;
    /* the days (and the totals): the district's day rows, or one department's */
    struct yw_stmt *s =
        *d ? yw_db_query(c,
                         "SELECT day, metric, n FROM sup_stats_dept WHERE dept = ? AND day >= ? "
                         "AND day <= ? ORDER BY day, metric",
                         "sii", d, from, to)
           : yw_db_query(c,
                         "SELECT day, metric, n FROM sup_stats_day WHERE day >= ? AND day <= ? "
                         "ORDER BY day, metric",
                         "ii", from, to);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *metric = yw_db_col_text(s, 1);
        int64_t n = yw_db_col_int(s, 2);
        add_to(by_day, yw_sup__day_text(a, yw_db_col_int(s, 0)), metric, n);
        json_object_set_new(total, metric,
                            json_integer(json_integer_value(json_object_get(total, metric)) + n));
    }
    if (yw_db_finish(s, rc))
        goto fail;
    /* the departments: months, and the days at the ends added or taken away */
    s = yw_db_query(
        c,
        "SELECT dept, metric, SUM(n) FROM (SELECT dept, metric, n FROM sup_stats_dept_month "
        "WHERE month >= ? AND month <= ? AND (? = '' OR dept = ?) UNION ALL SELECT dept, metric, "
        "? * n FROM sup_stats_dept WHERE day >= ? AND day <= ? AND (? = '' OR dept = ?) UNION ALL "
        "SELECT dept, metric, ? * n FROM sup_stats_dept WHERE day >= ? AND day <= ? AND (? = '' "
        "OR dept = ?)) x GROUP BY dept, metric HAVING SUM(n) <> 0 "
        "ORDER BY dept, metric",
        "iissiiissiiiss", sp.m0, sp.m1, d, d, sp.sa, sp.a0, sp.a1, d, d, sp.sb, sp.b0, sp.b1, d, d);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW)
        add_to(by_dept, yw_db_col_text(s, 0), yw_db_col_text(s, 1), yw_db_col_int(s, 2));
    if (yw_db_finish(s, rc))
        goto fail;
    s = yw_db_query(
        c,
        "SELECT code, dept, SUM(n) FROM (SELECT code, dept, n FROM sup_stats_item_month WHERE "
        "metric = 'received' AND month >= ? AND month <= ? AND (? = '' OR dept = ?) UNION ALL "
        "SELECT code, dept, ? * n FROM sup_stats_daily WHERE metric = 'received' AND day >= ? AND "
        "day <= ? AND (? = '' OR dept = ?) UNION ALL SELECT code, dept, ? * n FROM "
        "sup_stats_daily WHERE metric = 'received' AND day >= ? AND day <= ? AND (? = '' OR dept "
        "= ?)) x GROUP BY code, dept HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, code LIMIT ?",
        "iissiiissiiissi", sp.m0, sp.m1, d, d, sp.sa, sp.a0, sp.a1, d, d, sp.sb, sp.b0, sp.b1, d, d,
        top);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "code", yw_db_col_text(s, 0),
                                               "dept", yw_db_col_text(s, 1), "received",
                                               (json_int_t)yw_db_col_int(s, 2)));
    if (yw_db_finish(s, rc))
        goto fail;
    /* the cases of the period whose applicant came more than once, most visits first */
    json_t *revisited = json_array();
    s = yw_db_query(c,
                    "SELECT case_no, dept, code, visits, first_day, last_day FROM sup_case_visits "
                    "WHERE visits > 1 AND last_day >= ? AND last_day <= ? AND (? = '' OR dept = ?) "
                    "ORDER BY visits DESC, last_day DESC, case_no LIMIT 100",
                    "iiss", from, to, d, d);
    if (s == NULL) {
        json_decref(revisited);
        goto fail;
    }
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            revisited, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "case_no", yw_db_col_text(s, 0),
                                 "dept", yw_db_col_text(s, 1), "code", yw_db_col_text(s, 2),
                                 "visits", (json_int_t)yw_db_col_int(s, 3), "first_visit",
                                 yw_sup__day_text(a, yw_db_col_int(s, 4)), "last_visit",
                                 yw_sup__day_text(a, yw_db_col_int(s, 5))));
    if (yw_db_finish(s, rc)) {
        json_decref(revisited);
        goto fail;
    }
    derive(total);
    json_t *dl = json_array(), *tl = json_array(), *v;
    const char *k;
    json_object_foreach(by_dept, k, v)
    {
        derive(v);
        struct yw_catalog_dept cd = { 0 };
        json_object_set_new(v, "dept", json_string(k));
        json_object_set_new(
            v, "dept_name",
            json_string(yw_catalog_dept(c, a, k, &cd) == 0 && cd.name ? cd.name : ""));
        json_array_append(dl, v);
    }
    json_object_foreach(by_day, k, v)
    {
        derive(v);
        json_object_set_new(v, "day", json_string(k));
        json_array_append(tl, v);
    }
    json_decref(by_dept);
    json_decref(by_day);
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "from", yw_sup__day_text(a, from), "to",
                     yw_sup__day_text(a, to), "total", total, "departments", dl, "days", tl,
                     "top_items", items, "revisited_cases", revisited);
fail:
    json_decref(total);
    json_decref(by_dept);
    json_decref(by_day);
    json_decref(items);
    return NULL;
}
