/*
 * list.c - lists of cases: an applicant's own ("my cases"), the window's and
 * the supervisors' view of all cases, a reviewer's department's cases.
 * Personal data of applicants is masked in staff lists.  Every list reads
 * the archive (archive.c) too: one compound SELECT over cases and
 * cases_archive in id order, so a page may hold both.
 */
#include "cases/internal.h"

#include "core/cnid.h"
#include "identity/identity.h"

#include <stdio.h>
#include <string.h>

#define LIST_COLS                                                                                           \
    "x.id, x.case_no, x.kind, x.code, x.title, x.dept_code, x.status, x.applicant_kind, x.applicant_name, " \
    "x.applicant_ident, x.channel, x.created_at, x.start_day, x.due_day, x.promised_days, x.pause_kind, "   \
    "x.decided_at, x.legal_days, x.legal_due_day, x.paused_days, x.pause_day, x.accepted_at, x.submitted_at"

/* An applicant's own cases and those of the companies they are an authorized
 * agent of (identity tells which): ids[0..n) bound into an IN list.  The list
 * is padded to a power of two with ids[0], so a connection caches one
 * statement per size class, not one per number of companies (the SQL text
 * differs only in the count of placeholders; every value is bound).  NULL
 * when the statement cannot be prepared. */
static struct yw_stmt *
applicant_query(struct yw_dbc *c, const int64_t *ids, size_t n, const char *st, int64_t before,
                int64_t limit)
{
    size_t slots = 1;
    while (slots < n)
        slots *= 2;
    struct yw_buf sql;
    yw_buf_init(&sql);
    for (int arm = 0; arm < 2; arm++) {
        yw_buf_adds(&sql, arm ? " UNION ALL SELECT " LIST_COLS " FROM cases_archive x"
                              : "SELECT " LIST_COLS " FROM cases x");
        yw_buf_adds(&sql, " WHERE x.applicant_id IN (?");
        for (size_t i = 1; i < slots; i++)
            yw_buf_adds(&sql, ", ?");
        yw_buf_adds(&sql, ") AND x.parent_id IS NULL AND (? = '' OR x.status = ?) AND x.id < ?");
    }
    yw_buf_adds(&sql, " ORDER BY 1 DESC LIMIT ?");
    struct yw_stmt *s = yw_db_prepare(c, sql.p);
    yw_buf_release(&sql);
    if (s == NULL)
        return NULL;
    int p = 1;
    for (int arm = 0; arm < 2; arm++) {
        for (size_t i = 0; i < slots; i++)
            yw_db_bind_int(s, p++, ids[i < n ? i : 0]);
        yw_db_bind_str(s, p++, st);
        yw_db_bind_str(s, p++, st);
        yw_db_bind_int(s, p++, before);
    }
    yw_db_bind_int(s, p, limit);
    return s;
}

json_t *
yw_cases__list(struct yw_dbc *c, struct yw_arena *a, const struct yw_principal *who,
               const char *status, const char *scope, bool oldest, int64_t limit, int64_t before,
               int64_t *next, const int64_t **deps, size_t *ndeps)
{
    if (deps) {
        *deps = NULL;
        *ndeps = 0;
    }
    struct yw_stmt *s;
    bool staff = (who->roles & YW_ROLE_STAFF) && (scope == NULL || strcmp(scope, "mine") != 0);
    const char *st = status ? status : "";
    *next = 0;
    if (!staff) {
        /* mine, and the companies' I am an authorized agent of (while it lasts) */
        oldest = false; /* an applicant's own list is newest first */
        int64_t *companies = NULL;
        size_t nc = 0;
        if (yw_ident_agent_enterprises(c, a, who->account_id, &companies, &nc))
            return NULL; /* not "no companies": the list would miss their cases */
        int64_t *ids = yw_arena_alloc(a, (nc + 1) * sizeof *ids);
        ids[0] = who->account_id;
        if (nc)
            memcpy(ids + 1, companies, nc * sizeof *ids);
        s = applicant_query(c, ids, nc + 1, st, before, limit + 1);
        if (deps) { /* whose cases the list shows: the cache's dependencies (mine_cache.c) */
            *deps = ids;
            *ndeps = nc + 1;
        }
    } else if (who->roles & (YW_ROLE_WINDOW_CLERK | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR)) {
        /* staff never see applicants' drafts */
        s = oldest ? yw_db_query(c,
                                 "SELECT " LIST_COLS
                                 " FROM cases x WHERE x.parent_id IS NULL AND x.status <> 'draft' "
                                 "AND (? = '' OR x.status = ?) AND x.id > ? UNION ALL SELECT " LIST_COLS
                                 " FROM cases_archive x WHERE x.parent_id IS NULL AND (? = '' OR "
                                 "x.status = ?) AND x.id > ? ORDER BY 1 LIMIT ?",
                                 "ssissii", st, st, before, st, st, before, limit + 1)
                   : yw_db_query(
                         c,
                         "SELECT " LIST_COLS
                         " FROM cases x WHERE x.parent_id IS NULL AND x.status <> 'draft' "
                         "AND (? = '' OR x.status = ?) AND x.id < ? UNION ALL SELECT " LIST_COLS
                         " FROM cases_archive x WHERE x.parent_id IS NULL AND (? = '' OR "
                         "x.status = ?) AND x.id < ? ORDER BY 1 DESC LIMIT ?",
                         "ssissii", st, st, before, st, st, before, limit + 1);
    } else {
        s = oldest
                ? yw_db_query(
                      c,
                      "SELECT " LIST_COLS
                      " FROM cases x WHERE x.id IN (SELECT t.case_id FROM tasks t WHERE "
                      "t.dept_code = ?) AND (? = '' OR x.status = ?) AND x.id > ? UNION ALL SELECT "
                      LIST_COLS " FROM cases_archive x WHERE x.id IN (SELECT t.case_id FROM "
                      "tasks_archive t WHERE t.dept_code = ?) AND (? = '' OR x.status = ?) AND "
                      "x.id > ? ORDER BY 1 LIMIT ?",
                      "sssisssii", who->dept, st, st, before, who->dept, st, st, before, limit + 1)
                : yw_db_query(
                      c,
                      "SELECT " LIST_COLS
                      " FROM cases x WHERE x.id IN (SELECT t.case_id FROM tasks t WHERE "
                      "t.dept_code = ?) AND (? = '' OR x.status = ?) AND x.id < ? UNION ALL SELECT "
                      LIST_COLS " FROM cases_archive x WHERE x.id IN (SELECT t.case_id FROM "
                      "tasks_archive t WHERE t.dept_code = ?) AND (? = '' OR x.status = ?) AND "
                      "x.id < ? ORDER BY 1 DESC LIMIT ?",
                      "sssisssii", who->dept, st, st, before, who->dept, st, st, before, limit + 1);
    }
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int64_t last = 0;
    int count = 0;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (count == limit) {
            *next = last;
            break;
        }
        struct yw_case k = { 0 };
        k.id = yw_db_col_int(s, 0);
        k.case_no = yw_arena_strdup(a, yw_db_col_text(s, 1));
        k.kind = yw_arena_strdup(a, yw_db_col_text(s, 2));
        k.status = yw_arena_strdup(a, yw_db_col_text(s, 6));
        k.start_day = yw_db_col_int(s, 12);
        k.due_day = yw_db_col_int(s, 13);
        k.promised_days = (int)yw_db_col_int(s, 14);
        k.pause_kind = yw_arena_strdup(a, yw_db_col_text(s, 15));
        k.decided_at = yw_arena_strdup(a, yw_db_col_text(s, 16));
        k.legal_days = (int)yw_db_col_int(s, 17);
        k.legal_due_day = yw_db_col_int(s, 18);
        k.paused_days = (int)yw_db_col_int(s, 19);
        k.pause_day = yw_db_col_int(s, 20);
        char ident[24];
        if (staff && !strcmp(yw_db_col_text(s, 7), "person"))
            yw_cnid_mask_id(yw_db_col_text(s, 9), ident);
        else
            snprintf(ident, sizeof ident, "%s", yw_db_col_text(s, 9));
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "case_no",
                      k.case_no, "kind", k.kind, "code", yw_db_col_text(s, 3), "title",
                      yw_db_col_text(s, 4), "dept", yw_db_col_text(s, 5), "status", k.status,
                      "applicant_name", yw_db_col_text(s, 8), "applicant_ident", ident, "channel",
                      yw_db_col_text(s, 10), "created_at", yw_db_col_text(s, 11), "submitted_at",
                      yw_db_col_text(s, 22), "clock", yw_case__clock_json(&k)));
        last = k.id;
        count++;
    }
    if (rc == YW_ROW) { /* stopped after a full page */
        yw_db_reset(s);
        rc = 0;
    } else {
        rc = yw_db_finish(s, rc);
    }
    if (rc) {
        json_decref(list);
        *next = 0;
        return NULL; /* the caller answers 500: a failed read never looks like "no cases" */
    }
    return list;
}
