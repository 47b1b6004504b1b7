/*
 * board.c - the supervisor's board and the chief approval officer's board,
 * read from supervision's own tables (never the cases'):
 *
 *   board  live counts of open deadlines by light per department, open cards
 *          by level and status per department, and per person: the open
 *          tasks by light and the open cards of the cases each person put in
 *          the queue (the clerk who accepted, the reviewer who asked or
 *          re-routed, the chief who reassigned: task.opened's opened_by; 0
 *          for tasks from before it was carried), and the tasks each person
 *          decided today and of them late (task.closed's by); the oldest open
 *          cards first;
 *   queue  the open deadlines of one department or all, most urgent first,
 *          each with its light, for reassigning from the chief's board.
 *
 * Lights are computed here as the sweep sees them (clock.c): green, yellow,
 * red, paused.
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"

#include <stdio.h>
#include <string.h>

static const char *
dept_name(struct yw_dbc *c, struct yw_arena *a, const char *code)
{
    struct yw_catalog_dept d = { 0 };
    return yw_catalog_dept(c, a, code, &d) == 0 && d.name ? d.name : "";
}

static json_t *
dept_entry(json_t *depts, struct yw_dbc *c, struct yw_arena *a, const char *code)
{
    json_t *o = json_object_get(depts, code);
    if (o == NULL) {
        o = json_pack("{s:s, s:s, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i}, s:{s:i, s:i, s:i}}", "dept",
                      code, "dept_name", dept_name(c, a, code), "tasks", "green", 0, "yellow", 0,
                      "red", 0, "paused", 0, "cards", "yellow", 0, "red", 0, "card_status", "open",
                      0, "answered", 0, "escalated", 0);
        json_object_set_new(depts, code, o);
    }
    return o;
}

static void
bump(json_t *o, const char *group, const char *key, int64_t n)
{
    json_t *g = json_object_get(o, group);
    json_object_set_new(g, key, json_integer(json_integer_value(json_object_get(g, key)) + n));
}

/* The entry of one person in one department on the board. */
static json_t *
person_entry(json_t *people, const char *dept, int64_t account, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "%s/%lld", dept, (long long)account);
    json_t *p = json_object_get(people, key);
    if (p == NULL) {
        p = json_pack("{s:s, s:I, s:I, s:s, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i}, s:i, s:i}",
                      "dept", dept, "account_id", (json_int_t)account, "assignee_id",
                      (json_int_t)account, "name", name, "tasks", "green", 0, "yellow", 0, "red", 0,
                      "paused", 0, "cards", "yellow", 0, "red", 0, "decided_today", 0, "late_today",
                      0);
        json_object_set_new(people, key, p);
    }
    if (*name && !*json_string_value(json_object_get(p, "name")))
        json_object_set_new(p, "name", json_string(name));
    return p;
}

json_t *
yw_sup__board(struct yw_dbc *c, struct yw_arena *a, const char *dept)
{
    const char *d = dept ? dept : "";
    int64_t today = yw_sup__today();
    json_t *depts = json_object(), *people = json_object(),
           *total =
               json_pack("{s:i, s:i, s:i, s:i}", "green", 0, "yellow", 0, "red", 0, "paused", 0);
    int rc;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT dept, due_day, limit_days, paused, opened_by, opened_by_name, COUNT(*) FROM "
        "sup_deadlines WHERE (? = '' OR dept = ?) GROUP BY dept, due_day, limit_days, paused, "
        "opened_by, opened_by_name",
        "ss", d, d);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *light = yw_sup__light(today, yw_db_col_int(s, 1), (int)yw_db_col_int(s, 2),
                                          yw_db_col_int(s, 3) != 0);
        const char *code = yw_db_col_text(s, 0);
        int64_t n = yw_db_col_int(s, 6);
        bump(dept_entry(depts, c, a, code), "tasks", light, n);
        bump(person_entry(people, code, yw_db_col_int(s, 4), yw_db_col_text(s, 5)), "tasks", light,
             n);
        json_object_set_new(total, light,
                            json_integer(json_integer_value(json_object_get(total, light)) + n));
    }
    if (yw_db_finish(s, rc))
        goto fail;
    s = yw_db_query(
        c,
        "SELECT dept, opened_by, opened_by_name, level, status, COUNT(*) FROM sup_cards "
        "WHERE status <> 'closed' AND (? = '' OR dept = ?) GROUP BY dept, opened_by, "
        "opened_by_name, level, status",
        "ss", d, d);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *code = yw_db_col_text(s, 0);
        int64_t n = yw_db_col_int(s, 5);
        json_t *o = dept_entry(depts, c, a, code);
        bump(o, "cards", yw_db_col_text(s, 3), n);
        bump(o, "card_status", yw_db_col_text(s, 4), n);
        bump(person_entry(people, code, yw_db_col_int(s, 1), yw_db_col_text(s, 2)), "cards",
             yw_db_col_text(s, 3), n);
    }
    if (yw_db_finish(s, rc))
        goto fail;
    /* decided today, per person (task.closed's by) */
    s = yw_db_query(c,
                    "SELECT dept, account_id, name, metric, n FROM sup_person_daily WHERE day = ? "
                    "AND (? = '' OR dept = ?) ORDER BY dept, account_id",
                    "iss", today, d, d);
    if (s == NULL)
        goto fail;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *metric = yw_db_col_text(s, 3);
        const char *field = !strcmp(metric, "tasks_done")   ? "decided_today"
                            : !strcmp(metric, "tasks_late") ? "late_today"
                                                            : NULL;
        if (field == NULL)
            continue;
        json_t *p =
            person_entry(people, yw_db_col_text(s, 0), yw_db_col_int(s, 1), yw_db_col_text(s, 2));
        json_object_set_new(
            p, field,
            json_integer(json_integer_value(json_object_get(p, field)) + yw_db_col_int(s, 4)));
    }
    if (yw_db_finish(s, rc))
        goto fail;
    int64_t next = 0;
    json_t *oldest = yw_sup__cards_list(c, a, &(struct yw_sup_scope){ .dept = dept }, "active", "",
                                        20, 0, &next);
    if (oldest == NULL)
        goto fail;
    json_t *dl = json_array(), *pl = json_array(), *v;
    const char *k;
    json_object_foreach(depts, k, v) json_array_append(dl, v);
    json_object_foreach(people, k, v) json_array_append(pl, v);
    json_decref(depts);
    json_decref(people);
    return json_pack("{s:s, s:o, s:o, s:o, s:o}", "today", yw_sup__day_text(a, today), "tasks",
                     total, "departments", dl, "people", pl, "oldest_cards", oldest);
fail:
    json_decref(depts);
    json_decref(people);
    json_decref(total);
    return NULL;
}

json_t *
yw_sup__queue(struct yw_dbc *c, struct yw_arena *a, const char *dept, const char *light,
              int64_t limit)
{
    const char *d = dept ? dept : "";
    const char *want = light ? light : "";
    int64_t today = yw_sup__today();
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT task_id, case_no, code, title, dept, kind, due_day, limit_days, paused, "
        "assignee_id FROM sup_deadlines WHERE (? = '' OR dept = ?) ORDER BY due_day, task_id "
        "LIMIT 1000",
        "ss", d, d);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        int64_t due = yw_db_col_int(s, 6);
        const char *lt =
            yw_sup__light(today, due, (int)yw_db_col_int(s, 7), yw_db_col_int(s, 8) != 0);
        if ((*want && strcmp(want, lt) != 0) || (int64_t)json_array_size(list) >= limit)
            continue;
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:I}", "task_id",
                      (json_int_t)yw_db_col_int(s, 0), "case_no", yw_db_col_text(s, 1), "code",
                      yw_db_col_text(s, 2), "title", yw_db_col_text(s, 3), "dept",
                      yw_db_col_text(s, 4), "kind", yw_db_col_text(s, 5), "light", lt, "due_date",
                      yw_sup__day_text(a, due), "days_left",
                      yw_cal_workdays_between(yw_sup__calendar(), today, due), "limit_days",
                      (int)yw_db_col_int(s, 7), "assignee_id", (json_int_t)yw_db_col_int(s, 9)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}
