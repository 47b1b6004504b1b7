/*
 * stats.c - the district's figures from daily rollups kept by feed.c in the
 * events' transactions: sup_stats_dept (one row per day, department and
 * metric) for the totals, the departments and the days, and sup_stats_daily
 * (the same per item) for the top items.  A dashboard request sums rollup
 * rows and never reads a case.
 *
 * Metrics: received, accepted, not_accepted, approved, denied, withdrawn
 * (cases, by their item's department; a bundle's own events under dept "");
 * received_online / _window / _kiosk (the channel); licenses_used (e-licenses
 * named instead of paper copies at submission); licenses_issued (by the
 * issuing department, under the license type as "item"); tasks_done,
 * tasks_on_time, days_used (tasks decided: how many, how many by their due
 * day, the working days from acceptance to decision); ratings,
 * rating_points, ratings_good (4-5), ratings_bad (1-2) (the 好差评 of
 * rating.submitted, by the department and item rated).  Derived:
 * on_time_rate, avg_days_used, online_share, satisfaction (good / ratings),
 * avg_rating.
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"

#include <string.h>

int
yw_sup__stat_add(struct yw_dbc *c, int64_t day, const char *dept, const char *code,
                 const char *metric, int64_t n)
{
    if (n == 0 && strcmp(metric, "tasks_on_time") != 0)
        return 0;
    int rc =
        yw_db_run(c,
                  "INSERT INTO sup_stats_daily (day, dept, code, metric, n) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (day, dept, code, metric) DO UPDATE SET n = sup_stats_daily.n + "
                  "excluded.n",
                  "isssi", day, dept ? dept : "", code ? code : "", metric, n);
    if (rc == 0)
        rc = yw_db_run(
            c,
            "INSERT INTO sup_stats_dept (day, dept, metric, n) VALUES (?, ?, ?, ?) ON "
            "CONFLICT (day, dept, metric) DO UPDATE SET n = sup_stats_dept.n + excluded.n",
            "issi", day, dept ? dept : "", metric, n);
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
    json_object_set_new(o, "avg_days_used",
                        done > 0
                            ? json_real(json_integer_value(json_object_get(o, "days_used")) / done)
                            : json_null());
}

json_t *
yw_sup__stats(struct yw_dbc *c, struct yw_arena *a, int64_t from, int64_t to, const char *dept,
              int64_t top)
{
    const char *d = dept ? dept : "";
    json_t *total = json_object(), *by_dept = json_object(), *by_day = json_object();
    json_t *items = json_array();
    int rc;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT day, dept, metric, SUM(n) FROM sup_stats_dept WHERE day >= ? AND day <= ? AND "
        "(? = '' OR dept = ?) GROUP BY day, dept, metric ORDER BY day, dept, metric",
        "iiss", from, to, d, d);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *metric = yw_db_col_text(s, 2);
        int64_t n = yw_db_col_int(s, 3);
        add_to(by_day, yw_sup__day_text(a, yw_db_col_int(s, 0)), metric, n);
        add_to(by_dept, yw_db_col_text(s, 1), metric, n);
        json_object_set_new(total, metric,
                            json_integer(json_integer_value(json_object_get(total, metric)) + n));
    }
    if (yw_db_finish(s, rc))
        goto fail;
    s = yw_db_query(c,
                    "SELECT code, dept, SUM(n) FROM sup_stats_daily WHERE metric = 'received' AND "
                    "day >= ? AND day <= ? AND (? = '' OR dept = ?) GROUP BY code, dept "
                    "ORDER BY SUM(n) DESC, code LIMIT ?",
                    "iissi", from, to, d, d, top);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "code", yw_db_col_text(s, 0),
                                               "dept", yw_db_col_text(s, 1), "received",
                                               (json_int_t)yw_db_col_int(s, 2)));
    if (yw_db_finish(s, rc))
        goto fail;
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
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", yw_sup__day_text(a, from), "to",
                     yw_sup__day_text(a, to), "total", total, "departments", dl, "days", tl,
                     "top_items", items);
fail:
    json_decref(total);
    json_decref(by_dept);
    json_decref(by_day);
    json_decref(items);
    return NULL;
}
