/*
 * stats.c - how many review tasks are pending, by department and light.
 *
 * The supervisor's overview (效能监察) and the reviewer's queue head show how
 * many tasks are green, yellow, red or paused.  Counting the rows of a queue
 * page would count only that page, and grouping every pending task with its
 * case grows with the tasks (98 ms at 30,000 on PostgreSQL); here the groups
 * are kept as running counts (table task_counts, one row per department, due
 * day, time limit and pause, kept by triggers in the same transaction as the
 * task's change: migration 0033), and the light of each group is worked out
 * the way the queue works it out for a row (yw_case__task_light), so the
 * figures and the marks in the queue always agree.  The cost is bounded by
 * departments x open due days, not by the number of tasks.
 */
#include "cases/internal.h"

#include "core/calendar.h"
#include "core/clock.h"

#include <stdio.h>
#include <string.h>

#define STATS_MAX_DEPTS 64

struct dept_count {
    char code[33];
    int64_t n[4]; /* red, yellow, green, paused */
};

static const char *const light_names[4] = { "red", "yellow", "green", "paused" };

static int
light_index(const char *light)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(light_names[i], light))
            return i;
    return 2;
}

static json_t *
counts_json(const int64_t n[4])
{
    json_t *o = json_object();
    int64_t total = 0;
    for (int i = 0; i < 4; i++) {
        json_object_set_new(o, light_names[i], json_integer(n[i]));
        total += n[i];
    }
    json_object_set_new(o, "total", json_integer(total));
    return o;
}

json_t *
yw_tasks__stats(struct yw_dbc *c, const char *dept)
{
    const char *d = dept ? dept : "";
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT dept_code, due_day, promised_days, paused, n FROM task_counts "
        "WHERE n > 0 AND (? = '' OR dept_code = ?) ORDER BY dept_code",
        "ss", d, d);
    if (s == NULL)
        return NULL;
    struct dept_count depts[STATS_MAX_DEPTS];
    int nd = 0;
    int64_t all[4] = { 0 };
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *code = yw_db_col_text(s, 0);
        /* past STATS_MAX_DEPTS departments (more than a district has) a group
         * counts in the totals only */
        if ((nd == 0 || strcmp(depts[nd - 1].code, code) != 0) && nd < STATS_MAX_DEPTS) {
            memset(&depts[nd], 0, sizeof depts[nd]);
            snprintf(depts[nd].code, sizeof depts[nd].code, "%s", code);
            nd++;
        }
        int64_t n = yw_db_col_int(s, 4), due = yw_db_col_int(s, 1);
        int left = due ? yw_cal_workdays_between(yw_cases__calendar(), today, due) : 0;
        int li = light_index(yw_case__task_light(today, due, left, (int)yw_db_col_int(s, 2),
                                                 yw_db_col_int(s, 3) != 0));
        all[li] += n;
        if (nd > 0 && !strcmp(depts[nd - 1].code, code))
            depts[nd - 1].n[li] += n;
    }
    if (yw_db_finish(s, rc))
        return NULL; /* the caller answers 500: a failed count never looks like an empty queue */
    char day[11];
    yw_cal_day_text(today, day);
    json_t *list = json_array();
    for (int i = 0; i < nd; i++) {
        json_t *o = counts_json(depts[i].n);
        json_object_set_new(o, "dept", json_string(depts[i].code));
        json_array_append_new(list, o);
    }
    json_t *out = counts_json(all);
    json_object_set_new(out, "as_of", json_string(day));
    json_object_set_new(out, "dept", json_string(d));
    json_object_set_new(out, "depts", list);
    return out;
}
