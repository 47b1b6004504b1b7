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
 * A year's dashboard sums ~365 x 25 day rows, ~12 x departments x 25 month
 * rows and at most ~60 days of per-department rows at its ends.  Every add
 * also bumps sup_stats_version, the token of the answer cache (cache.c).
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

#include <string.h>

/* YYYYMM of a day number. */
static int64_t
month_of(int64_t day)
{
    int y, m, d;
    yw_civil_from_days(day, &y, &m, &d);
    return (int64_t)y * 100 + m;
}

int
yw_sup__stat_add(struct yw_dbc *c, int64_t day, const char *dept, const char *code,
                 const char *metric, int64_t n)
{
    if (n == 0 && strcmp(metric, "tasks_on_time") != 0)
        return 0;
    const char *d = dept ? dept : "", *k = code ? code : "";
    int64_t month = month_of(day);
    int rc =
        yw_db_run(c,
                  "INSERT INTO sup_stats_daily (day, dept, code, metric, n) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (day, dept, code, metric) DO UPDATE SET n = sup_stats_daily.n + "
                  "excluded.n",
                  "isssi", day, d, k, metric, n);
    if (rc == 0)
        rc = yw_db_run(
            c,
            "INSERT INTO sup_stats_dept (day, dept, metric, n) VALUES (?, ?, ?, ?) ON "
            "CONFLICT (day, dept, metric) DO UPDATE SET n = sup_stats_dept.n + excluded.n",
            "issi", day, d, metric, n);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO sup_stats_day (day, metric, n) VALUES (?, ?, ?) ON CONFLICT "
                       "(day, metric) DO UPDATE SET n = sup_stats_day.n + excluded.n",
                       "isi", day, metric, n);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO sup_stats_dept_month (month, dept, metric, n) VALUES (?, ?, ?, "
                       "?) ON CONFLICT (month, dept, metric) DO UPDATE SET n = "
                       "sup_stats_dept_month.n + excluded.n",
                       "issi", month, d, metric, n);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO sup_stats_item_month (month, metric, dept, code, n) VALUES (?, "
                       "?, ?, ?, ?) ON CONFLICT (month, metric, dept, code) DO UPDATE SET n = "
                       "sup_stats_item_month.n + excluded.n",
                       "isssi", month, metric, d, k, n);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE sup_stats_version SET v = v + 1 WHERE id = 1", "");
    return rc;
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
    static const char *const names[] = { "received",
                                         "accepted",
                                         "not_accepted",
                                         "approved",
                                         "denied",
                                         "withdrawn",
                                         "tasks_done",
                                         "tasks_on_time",
                                         "days_used",
                                         "received_online",
                                         "received_window",
                                         "received_kiosk",
                                         "licenses_used",
                                         "licenses_issued",
                                         "ratings",
                                         "rating_points",
                                         "ratings_good",
                                         "ratings_bad",
                                         "visits",
                                         "cases_visited",
                                         "cases_revisited",
                                         NULL };
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
        visited > 0
            ? json_real(json_integer_value(json_object_get(o, "cases_revisited")) / visited)
            : json_null());
    json_object_set_new(o, "avg_days_used",
                        done > 0
                            ? json_real(json_integer_value(json_object_get(o, "days_used")) / done)
                            : json_null());
}

/* The whole months inside [from, to] as [*m0, *m1] (YYYYMM; *m0 > *m1 when
 * none), and the days at either end outside them: [from, *a1] and [*b0, to]
 * (empty when *a1 < from, *b0 > to). */
static void
split_period(int64_t from, int64_t to, int64_t *m0, int64_t *m1, int64_t *a1, int64_t *b0)
{
    int y, m, d;
    yw_civil_from_days(from, &y, &m, &d);
    int64_t first = from; /* the first day of the first whole month */
    if (d != 1) {
        if (++m > 12)
            m = 1, y++;
        first = yw_days_from_civil(y, m, 1);
    }
    *m0 = (int64_t)y * 100 + m;
    yw_civil_from_days(to + 1, &y, &m, &d);
    int64_t end = to + 1; /* the day after the last whole month */
    if (d != 1)
        end = yw_days_from_civil(y, m, 1);
    if (--m < 1)
        m = 12, y--;
    *m1 = (int64_t)y * 100 + m;
    if (first >= end) { /* no whole month: every day from the daily rows */
        *m0 = 1, *m1 = 0, *a1 = to, *b0 = to + 1;
        return;
    }
    *a1 = first - 1;
    *b0 = end;
}

json_t *
yw_sup__stats(struct yw_dbc *c, struct yw_arena *a, int64_t from, int64_t to, const char *dept,
              int64_t top)
{
    const char *d = dept ? dept : "";
    json_t *total = json_object(), *by_dept = json_object(), *by_day = json_object();
    json_t *items = json_array();
    int64_t m0, m1, a1, b0;
    split_period(from, to, &m0, &m1, &a1, &b0);
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
    /* the departments: whole months, then the days at the ends */
    s = yw_db_query(
        c,
        "SELECT dept, metric, SUM(n) FROM (SELECT dept, metric, n FROM sup_stats_dept_month "
        "WHERE month >= ? AND month <= ? AND (? = '' OR dept = ?) UNION ALL SELECT dept, metric, "
        "n FROM sup_stats_dept WHERE day >= ? AND day <= ? AND (? = '' OR dept = ?) UNION ALL "
        "SELECT dept, metric, n FROM sup_stats_dept WHERE day >= ? AND day <= ? AND (? = '' OR "
        "dept = ?)) x GROUP BY dept, metric ORDER BY dept, metric",
        "iissiissiiss", m0, m1, d, d, from, a1, d, d, b0, to, d, d);
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
        "SELECT code, dept, n FROM sup_stats_daily WHERE metric = 'received' AND day >= ? AND "
        "day <= ? AND (? = '' OR dept = ?) UNION ALL SELECT code, dept, n FROM sup_stats_daily "
        "WHERE metric = 'received' AND day >= ? AND day <= ? AND (? = '' OR dept = ?)) x "
        "GROUP BY code, dept ORDER BY SUM(n) DESC, code LIMIT ?",
        "iissiissiissi", m0, m1, d, d, from, a1, d, d, b0, to, d, d, top);
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
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "from", yw_sup__day_text(a, from),
                     "to", yw_sup__day_text(a, to), "total", total, "departments", dl, "days", tl,
                     "top_items", items, "revisited_cases", revisited);
fail:
    json_decref(total);
    json_decref(by_dept);
    json_decref(by_day);
    json_decref(items);
    return NULL;
}
