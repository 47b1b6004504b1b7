/*
 * queue.c - a reviewer's queue (GET /api/v1/tasks): one page of a department's
 * tasks by time left, written straight into the response as JSON.
 *
 * The queue is the page reviewers keep open all day, so it is the hottest read
 * of the case module and has its own file.  A page is one statement: the tasks
 * joined to their cases, in the order of the tasks_queue index (dept_code,
 * status, due_day, id, migration 0008), after a keyset cursor compared as a
 * row value, (due_day, id) > (?, ?), which both engines turn into a range
 * scan of that index with no sort.  On PostgreSQL the index also carries the
 * task columns the page shows (an index-only scan) and the plan is kept across
 * executions (see QUEUE_PAGE).  The rows go into a byte buffer as JSON (not
 * jansson objects: building and dumping 50 objects of 14 members was two thirds
 * of ywtb's CPU for the page), and the working days left are computed once per
 * distinct due day, which the order makes consecutive.
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/cnid.h"

#include <stdio.h>
#include <string.h>

/* the columns of QUEUE_SELECT */
enum {
    COL_ID,
    COL_DEPT,
    COL_KIND,
    COL_DUE,
    COL_STEP,
    COL_CASE_NO,
    COL_TITLE,
    COL_APPLICANT_KIND,
    COL_APPLICANT_NAME,
    COL_APPLICANT_IDENT,
    COL_PROMISED_DAYS,
    COL_PAUSE_KIND,
    COL_CHANNEL,
    COL_PARENT_ID,
};

/* a literal piece of JSON (the member names need no escape) */
#define LIT(b, lit) yw_buf_add((b), (lit), sizeof(lit) - 1)

static void
add_int(struct yw_buf *b, long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", v);
    yw_buf_add(b, t, (size_t)n);
}

static void
add_col(struct yw_buf *b, struct yw_stmt *s, int col)
{
    const char *t = yw_db_col_text(s, col);
    yw_buf_add_json_str(b, t, *t ? yw_db_col_len(s, col) : 0);
}

/* The working days left and the due date of one due day, remembered for the
 * next row (rows come in due-day order). */
struct due_memo {
    int64_t due;
    int left;
    char date[11];
    bool set;
};

static void
due_lookup(struct due_memo *m, int64_t today, int64_t due)
{
    if (m->set && m->due == due)
        return;
    m->due = due;
    m->set = true;
    m->date[0] = '\0';
    m->left = 0;
    if (due) {
        yw_cal_day_text(due, m->date);
        m->left = yw_cal_workdays_between(yw_cases__calendar(), today, due);
    }
}

/* One task of the page as a JSON object.  The members, their types and their
 * order are those of the jansson version this replaced, byte for byte (web/
 * and the API tests read them; docs/openapi.yaml names them). */
static void
add_task(struct yw_buf *b, struct yw_stmt *s, const char *status, const struct due_memo *m,
         int64_t today)
{
    int64_t due = m->due;
    char ident[24];
    const char *id_col = yw_db_col_text(s, COL_APPLICANT_IDENT);
    size_t id_n;
    if (!strcmp(yw_db_col_text(s, COL_APPLICANT_KIND), "person")) {
        yw_cnid_mask_id(id_col, ident);
        id_n = strlen(ident);
    } else {
        id_n = *id_col ? yw_db_col_len(s, COL_APPLICANT_IDENT) : 0;
        if (id_n > sizeof ident - 1)
            id_n = sizeof ident - 1; /* as the list has always cut it */
        memcpy(ident, id_col, id_n);
    }
    const char *light =
        yw_case__task_light(today, due, m->left, (int)yw_db_col_int(s, COL_PROMISED_DAYS),
                            yw_db_col_text(s, COL_PAUSE_KIND)[0] != '\0');

    LIT(b, "{\"id\":");
    add_int(b, yw_db_col_int(s, COL_ID));
    LIT(b, ",\"dept\":");
    add_col(b, s, COL_DEPT);
    LIT(b, ",\"kind\":");
    add_col(b, s, COL_KIND);
    LIT(b, ",\"status\":");
    yw_buf_add_json_str(b, status, strlen(status)); /* the one the query asked for */
    LIT(b, ",\"due_date\":");
    yw_buf_add_json_str(b, m->date, strlen(m->date));
    LIT(b, ",\"days_left\":");
    add_int(b, m->left);
    LIT(b, ",\"step\":");
    add_int(b, (int)yw_db_col_int(s, COL_STEP));
    LIT(b, ",\"case_no\":");
    add_col(b, s, COL_CASE_NO);
    LIT(b, ",\"title\":");
    add_col(b, s, COL_TITLE);
    LIT(b, ",\"applicant_name\":");
    add_col(b, s, COL_APPLICANT_NAME);
    LIT(b, ",\"applicant_ident\":");
    yw_buf_add_json_str(b, ident, id_n);
    LIT(b, ",\"light\":");
    yw_buf_add_json_str(b, light, strlen(light));
    LIT(b, ",\"channel\":");
    add_col(b, s, COL_CHANNEL);
    if (yw_db_col_int(s, COL_PARENT_ID) != 0)
        LIT(b, ",\"in_bundle\":true}");
    else
        LIT(b, ",\"in_bundle\":false}");
}

/* The all-departments form (chief approval officer, supervisors) keeps the
 * same shape, so both are one prepared statement each.
 *
 * LIMIT (SELECT CAST(? AS INTEGER)) rather than LIMIT ?: PostgreSQL plans a
 * prepared statement anew for its parameters (a "custom plan") until a
 * generic plan is estimated no dearer.  With a plain LIMIT ? the custom
 * plan of a big department is estimated far cheaper than the generic one
 * (50 rows against 10 % of an average department), so every page was
 * planned again: about 0.15 ms of PostgreSQL CPU, 40 % of its share of the
 * page.  A limit the planner cannot see is estimated alike in both, the
 * generic plan (the same index range scan and nested loop) wins after the
 * first five executions of each connection, and the plan is kept.  SQLite
 * runs the subquery once; its plan does not change.  (The first five, custom
 * plans with a limit of unknown size, may use parallel workers: about 20 ms,
 * five times per connection.) */
#define QUEUE_SELECT                                                                               \
    "SELECT t.id, t.dept_code, t.kind, t.due_day, t.step, x.case_no, x.title, x.applicant_kind, "  \
    "x.applicant_name, x.applicant_ident, x.promised_days, x.pause_kind, x.channel, x.parent_id "  \
    "FROM tasks t JOIN cases x ON x.id = t.case_id WHERE "
#define QUEUE_PAGE                                                                                 \
    " AND t.status = ? AND (t.due_day, t.id) > (?, ?) ORDER BY t.due_day, t.id "                   \
    "LIMIT (SELECT CAST(? AS INTEGER))"

int
yw_tasks__queue(struct yw_dbc *c, const char *dept, const char *status, int64_t limit,
                int64_t after_due, int64_t after_id, struct yw_buf *out, char *next, size_t next_n)
{
    struct yw_stmt *s = yw_db_query(c,
                                    dept && *dept ? QUEUE_SELECT "t.dept_code = ?" QUEUE_PAGE
                                                  : QUEUE_SELECT "? = ''" QUEUE_PAGE,
                                    "ssiii", dept ? dept : "", status, after_due, after_id, limit);
    if (s == NULL)
        return YW_EDB;
    int64_t last_id = 0, count = 0;
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    struct due_memo memo = { 0 };
    next[0] = '\0';
    yw_buf_grow(out, (size_t)limit * 400);
    yw_buf_addc(out, '[');
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        due_lookup(&memo, today, yw_db_col_int(s, COL_DUE));
        if (count++)
            yw_buf_addc(out, ',');
        add_task(out, s, status, &memo, today);
        last_id = yw_db_col_int(s, COL_ID);
    }
    rc = yw_db_finish(s, rc);
    yw_buf_addc(out, ']');
    if (rc)
        return YW_EDB; /* the caller answers 500: a failed query never looks like an empty queue */
    if (count == limit)
        snprintf(next, next_n, "%lld.%lld", (long long)memo.due, (long long)last_id);
    return 0;
}
