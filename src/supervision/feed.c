/*
 * feed.c - what supervision learns from the events (core/events.h).
 *
 * In the publisher's transaction (synchronous subscribers): the open
 * deadline of every pending task (task.opened / task.closed), held and moved
 * by the clock's pauses (case.clock), ended with its case (approved, denied,
 * withdrawn), and the task rollups a closed deadline carries (tasks done, on
 * time, working days used: the deadline row that knows them goes with it).
 * The board's cards must never lag the cases, and a deadline's events must
 * be applied in order.
 *
 * After the commit, from the outbox (db/events.h): the case rollups of the
 * dashboard (received, accepted, approved, denied, withdrawn, not accepted,
 * by channel, e-licenses used), e-licenses issued, the 好差评 ratings of
 * rating.submitted and the visits per case of visit.finished.  They only
 * add, so the order of events does not matter, and they count on the day
 * the event happened (yw_events_time_ms), not the day of the dispatch.
 * No table of another module is read: a deadline carries what its card will
 * need.
 */
#include "supervision/internal.h"

#include "core/log.h"
#include "db/events.h"

#include <stdio.h>
#include <string.h>

static int64_t
iget(json_t *p, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(p, k));
}

static const char *
sget(json_t *p, const char *k)
{
    const char *s = json_string_value(json_object_get(p, k));
    return s ? s : "";
}

static int
on_task_opened(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    int64_t due = iget(p, "due_day");
    int limit = (int)iget(p, "limit_days");
    char now[32];
    yw_db_now_text(now);
    return yw_db_run(
        c,
        "INSERT INTO sup_deadlines (task_id, case_id, parent_id, case_no, code, title, dept, kind, "
        "assignee_id, start_day, due_day, limit_days, stage, next_day, paused, opened_at, "
        "opened_by, opened_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'green', ?, 0, ?, "
        "?, ?) ON CONFLICT (task_id) DO NOTHING",
        "iiisssssiiidisis", iget(p, "task_id"), iget(p, "case_id"), iget(p, "parent_id"),
        sget(p, "case_no"), sget(p, "code"), sget(p, "title"), sget(p, "dept"), sget(p, "kind"),
        iget(p, "assignee_id"), iget(p, "start_day"), due, limit,
        yw_sup__next_day("green", due, limit), now, iget(p, "opened_by"),
        sget(p, "opened_by_name"));
}

/* End the deadline of one task: its cards hear of it, the row goes; a task
 * decided (not cancelled, not re-routed) counts in the rollups. */
/* Add n to a person's metric of the day (sup_person_daily). */
static int
person_add(struct yw_dbc *c, int64_t day, int64_t account, const char *name, const char *dept,
           const char *metric, int64_t n)
{
    if (account <= 0 || n == 0)
        return 0;
    return yw_db_run(c,
                     "INSERT INTO sup_person_daily (day, account_id, metric, dept, name, n) VALUES "
                     "(?, ?, ?, ?, ?, ?) ON CONFLICT (day, account_id, metric, dept) DO UPDATE SET "
                     "n = sup_person_daily.n + excluded.n, name = excluded.name",
                     "iisssi", day, account, metric, dept, name ? name : "", n);
}

static int
end_deadline(struct yw_dbc *c, int64_t task_id, const char *status, int64_t by, const char *by_name)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s, "SELECT dept, code, start_day, due_day FROM sup_deadlines WHERE task_id = ?", "i",
        task_id);
    if (rc == YW_ENOTFOUND)
        return 0; /* opened before supervision existed, or already ended */
    if (rc)
        return rc;
    char dept[64], code[64];
    snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 0));
    snprintf(code, sizeof code, "%s", yw_db_col_text(s, 1));
    int64_t start = yw_db_col_int(s, 2), due = yw_db_col_int(s, 3);
    yw_db_reset(s);
    if (status &&
        (!strcmp(status, "approved") || !strcmp(status, "denied") || !strcmp(status, "done"))) {
        int64_t today = yw_sup__today();
        int used = start > 0 ? yw_cal_workdays_between(yw_sup__calendar(), start, today) : 0;
        if (used < 0)
            used = 0;
        if ((rc = yw_sup__stat_add(c, today, dept, code, "tasks_done", 1)) ||
            (rc = yw_sup__stat_add(c, today, dept, code, "tasks_on_time",
                                   due <= 0 || today <= due)) ||
            (rc = yw_sup__stat_add(c, today, dept, code, "days_used", used)) ||
            (rc = person_add(c, today, by, by_name, dept, "tasks_done", 1)) ||
            (rc = person_add(c, today, by, by_name, dept, "tasks_late", due > 0 && today > due)))
            return rc;
    }
    if ((rc = yw_sup__cards_task_closed(c, task_id)))
        return rc;
    return yw_db_run(c, "DELETE FROM sup_deadlines WHERE task_id = ?", "i", task_id);
}

/* End every deadline of a case and of its sub-cases (the case ended, or its
 * other tasks were cancelled with a denial or a return). */
static int
end_case(struct yw_dbc *c, int64_t case_id)
{
    for (;;) {
        int64_t task_id = 0;
        int rc = yw_db_one_int(
            c, &task_id,
            "SELECT task_id FROM sup_deadlines WHERE case_id = ? OR parent_id = ? ORDER BY task_id",
            "ii", case_id, case_id);
        if (rc == YW_ENOTFOUND)
            return 0;
        if (rc == 0)
            rc = end_deadline(c, task_id, "cancelled", 0, NULL);
        if (rc)
            return rc;
    }
}

static int
on_task_closed(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    const char *status = sget(p, "status");
    int rc = end_deadline(c, iget(p, "task_id"), status, iget(p, "by"), sget(p, "by_name"));
    if (rc == 0 && (!strcmp(status, "denied") || !strcmp(status, "returned")))
        rc = end_case(c, iget(p, "case_id"));
    return rc;
}

static int
on_case_clock(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    int64_t case_id = iget(p, "case_id");
    if (json_is_true(json_object_get(p, "paused")))
        return yw_db_run(c, "UPDATE sup_deadlines SET paused = 1 WHERE case_id = ?", "i", case_id);
    /* resumed: the due day moved on by the working days of the pause */
    int64_t due = iget(p, "due_day");
    struct yw_stmt *s = yw_db_query(
        c, "SELECT task_id, stage, limit_days FROM sup_deadlines WHERE case_id = ?", "i", case_id);
    if (s == NULL)
        return YW_EDB;
    int64_t ids[64], next[64];
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && n < 64) {
        ids[n] = yw_db_col_int(s, 0);
        next[n++] = yw_sup__next_day(yw_db_col_text(s, 1), due, (int)yw_db_col_int(s, 2));
    }
    if (rc == YW_ROW)
        yw_db_reset(s);
    else if ((rc = yw_db_finish(s, rc)))
        return rc;
    for (int i = 0; i < n; i++)
        if ((rc = yw_db_run(c,
                            "UPDATE sup_deadlines SET paused = 0, due_day = ?, next_day = ? "
                            "WHERE task_id = ?",
                            "iii", due, next[i], ids[i])))
            return rc;
    return 0;
}

/* The day an after-commit subscriber counts its event on. */
static int64_t
event_day(void)
{
    return yw_cal_day_of_ms(yw_events_time_ms());
}

/* A case that ended (approved, denied, withdrawn, not accepted) ends its
 * deadlines, in the case's transaction. */
static int
on_case_ended(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    return end_case(c, iget(p, "case_id"));
}

/* A case event's rollup (after the commit). */
static int
on_case(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    const char *metric = strchr(name, '.') + 1; /* "case.approved" -> "approved" */
    if (!strcmp(metric, "submitted"))
        metric = "received";
    int64_t today = event_day();
    const char *dept = sget(p, "dept"), *code = sget(p, "code");
    int rc = yw_sup__stat_add(c, today, dept, code, metric, 1);
    if (rc == 0 && !strcmp(metric, "received")) {
        /* the channel it came by (a payload field beyond the declared ones: may be absent) */
        const char *ch = sget(p, "channel");
        if (!strcmp(ch, "online") || !strcmp(ch, "window") || !strcmp(ch, "kiosk")) {
            char m[32];
            snprintf(m, sizeof m, "received_%s", ch);
            rc = yw_sup__stat_add(c, today, dept, code, m, 1);
        }
        /* e-licenses used instead of paper copies */
        size_t used = json_array_size(json_object_get(p, "licenses_used"));
        if (rc == 0 && used)
            rc = yw_sup__stat_add(c, today, dept, code, "licenses_used", (int64_t)used);
    }
    return rc;
}

/* license.issued: e-licenses issued, by the issuing department. */
static int
on_license_issued(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    return yw_sup__stat_add(c, event_day(), sget(p, "dept"), sget(p, "type"), "licenses_issued", 1);
}

/* rating.submitted: a 好差评 rating (level 1..5) of a case, a window or a
 * service, by the department and item it names: counted, summed, and
 * counted as good (4-5, 满意) or bad (1-2, 不满意). */
static int
on_rating(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    int64_t level = iget(p, "level");
    if (level < 1 || level > 5)
        return 0; /* not a rating the services module gives: nothing to count */
    int64_t today = event_day();
    const char *dept = sget(p, "dept"), *code = sget(p, "item_code");
    int rc = yw_sup__stat_add(c, today, dept, code, "ratings", 1);
    if (rc == 0)
        rc = yw_sup__stat_add(c, today, dept, code, "rating_points", level);
    if (rc == 0 && level >= 4)
        rc = yw_sup__stat_add(c, today, dept, code, "ratings_good", 1);
    if (rc == 0 && level <= 2)
        rc = yw_sup__stat_add(c, today, dept, code, "ratings_bad", 1);
    return rc;
}

/* visit.finished: a window finished a called number.  Every visit counts
 * (visits); a visit naming its case counts on the case (sup_case_visits):
 * its first as cases_visited, its second as cases_revisited - a case whose
 * applicant came more than once ("at most one trip" not kept). */
static int
on_visit(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    int64_t today = event_day();
    const char *dept = sget(p, "dept"), *code = sget(p, "item_code"), *case_no = sget(p, "case_no");
    int rc = yw_sup__stat_add(c, today, dept, code, "visits", 1);
    if (rc || !*case_no)
        return rc;
    int64_t visits = 0;
    rc = yw_db_one_int(
        c, &visits,
        "INSERT INTO sup_case_visits (case_no, dept, code, visits, first_day, last_day) VALUES (?, "
        "?, ?, 1, ?, ?) ON CONFLICT (case_no) DO UPDATE SET visits = sup_case_visits.visits + 1, "
        "last_day = excluded.last_day RETURNING visits",
        "sssii", case_no, dept, code, today, today);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    if (visits == 1)
        return yw_sup__stat_add(c, today, dept, code, "cases_visited", 1);
    if (visits == 2)
        return yw_sup__stat_add(c, today, dept, code, "cases_revisited", 1);
    return 0;
}

void
yw_sup__feed_register(void)
{
    /* synchronous: deadlines and cards */
    yw_events_subscribe(YW_EV_TASK_OPENED, on_task_opened, NULL);
    yw_events_subscribe(YW_EV_TASK_CLOSED, on_task_closed, NULL);
    yw_events_subscribe(YW_EV_CASE_CLOCK, on_case_clock, NULL);
    yw_events_subscribe(YW_EV_CASE_NOT_ACCEPTED, on_case_ended, NULL);
    yw_events_subscribe(YW_EV_CASE_APPROVED, on_case_ended, NULL);
    yw_events_subscribe(YW_EV_CASE_DENIED, on_case_ended, NULL);
    yw_events_subscribe(YW_EV_CASE_WITHDRAWN, on_case_ended, NULL);
    /* after the commit: the dashboard's rollups */
    yw_events_subscribe_after(YW_EV_VISIT_FINISHED, on_visit, NULL);
    yw_events_subscribe_after(YW_EV_RATING_SUBMITTED, on_rating, NULL);
    yw_events_subscribe_after(YW_EV_LICENSE_ISSUED, on_license_issued, NULL);
    yw_events_subscribe_after(YW_EV_CASE_SUBMITTED, on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_ACCEPTED, on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_NOT_ACCEPTED, on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_APPROVED, on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_DENIED, on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_WITHDRAWN, on_case, NULL);
}
