/*
 * public.c - the public status query: anyone with a case number and the
 * applicant's ID number or credit code sees the status, the steps and the
 * dates, and nothing personal (no names, no staff, no notes).  A step taken
 * by staff names their department (public organisation data), so the
 * applicant sees which department holds the case.  A wrong
 * number and an unknown case get the same 404, and the route is rate-limited
 * per address, so the query is no oracle for guessing ID numbers.
 */
#include "cases/internal.h"

#include "core/cnid.h"
#include "identity/identity.h"

#include <stdio.h>
#include <string.h>

static const char *
action_text(const char *action)
{
    static const char *const map[][2] = {
        { "case.submit", "已提交" },       { "case.request_supplement", "一次性告知补正" },
        { "case.supplement", "已补正" },   { "case.accept", "已受理" },
        { "case.reject", "不予受理" },     { "task.decide", "部门审查" },
        { "task.opinion", "征求意见" },    { "task.consult", "征求意见" },
        { "task.reroute", "转办" },        { "task.reassign", "改派" },
        { "case.return", "退回窗口" },     { "case.pause", "特别程序（计时暂停）" },
        { "case.resume", "特别程序结束" }, { "case.approve", "办结（准予）" },
        { "case.deny", "办结（不予）" },   { "case.withdraw", "已撤回" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], action))
            return map[i][1];
    return NULL;
}

/* Actors already seen in one answer, with their department. */
#define ACTOR_MEMO 16
struct actor_memo {
    int64_t id;
    const char *dept; /* NULL: not staff */
};

/* The department that took a step: the actor's when they are staff (read
 * through identity, once per actor of the answer), none for anyone else. */
static int
step_dept(struct yw_case_depts *depts, struct actor_memo *memo, size_t *n, int64_t actor,
          const struct yw_catalog_dept **out)
{
    const char *dept = NULL;
    size_t i = 0;
    while (i < *n && memo[i].id != actor)
        i++;
    if (i < *n) {
        dept = memo[i].dept;
    } else {
        int rc = yw_ident_staff_dept(depts->c, &depts->a, actor, &dept);
        if (rc && rc != YW_ENOTFOUND)
            return rc; /* not "no department": the step would lose it */
        if (*n < ACTOR_MEMO)
            memo[(*n)++] = (struct actor_memo){ actor, dept };
    }
    return yw_case__dept(depts, dept, out);
}

json_t *
yw_case__public_json(struct yw_dbc *c, const struct yw_case *k)
{
    json_t *steps = json_array();
    struct yw_case_depts depts;
    yw_case__depts_init(&depts, c);
    struct actor_memo actors[ACTOR_MEMO];
    size_t nactors = 0;
    int rc = YW_EDB;
    struct yw_stmt *s =
        yw_db_query(c,
                    k->archived ? "SELECT at, action, to_status, actor_id FROM case_events_archive "
                                  "WHERE case_id = ? ORDER BY id"
                                : "SELECT at, action, to_status, actor_id FROM case_events WHERE "
                                  "case_id = ? ORDER BY id",
                    "i", k->id);
    if (s == NULL)
        goto out;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *text = action_text(yw_db_col_text(s, 1));
        if (text == NULL)
            continue; /* drafts and internal notes are not shown */
        const struct yw_catalog_dept *d;
        int drc = step_dept(&depts, actors, &nactors, yw_db_col_int(s, 3), &d);
        if (drc) {
            rc = drc;
            break;
        }
        json_array_append_new(steps,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                                        yw_db_col_text(s, 0), "action", yw_db_col_text(s, 1),
                                        "text", text, "status", yw_db_col_text(s, 2), "dept",
                                        d->code, "dept_name", d->name, "dept_name_en", d->name_en));
    }
    rc = yw_db_finish(s, rc);
out:
    yw_case__depts_release(&depts);
    if (rc) {
        json_decref(steps);
        return NULL; /* the caller answers 500: a failed read never looks like no steps */
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "case_no", k->case_no, "title",
                     k->title, "dept", k->dept, "status", k->status, "submitted_at",
                     k->submitted_at, "clock", yw_case__clock_json(k), "steps", steps);
}

int
yw_case__public_lookup(struct yw_dbc *c, struct yw_arena *a, const char *case_no, const char *ident,
                       struct yw_case *out)
{
    char up[19]; /* the stored form, however it was typed (yw_cnid_normalize) */
    if (case_no == NULL || !yw_cnid_ident_normalize(ident, up))
        return YW_ENOTFOUND;
    int rc = yw_case__load(c, a, case_no, out);
    if (rc)
        return rc;
    if (strcmp(out->applicant_ident, up) != 0 || !strcmp(out->status, CS_DRAFT))
        return YW_ENOTFOUND;
    return 0;
}
