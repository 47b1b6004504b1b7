/*
 * subject.c - what the hub shows the person or company its data is about:
 * their file (一人一档 / 一企一档: the records every self-viewable resource
 * holds about them), their ledger (用数记录: every read, sealed ones only after
 * their seal date), disputes of ledger entries (to the reading department and
 * the supervisors) and data corrections (数据纠错: a task for the owning
 * department with a deadline in working days).
 */
#include "datahub/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct yw_calendar *calendar;

int
yw_dh__calendar_init(const char *data_dir, struct yw_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", data_dir);
    return yw_cal_load(dir, &calendar, err);
}

void
yw_dh__calendar_free(void)
{
    yw_cal_free(calendar);
    calendar = NULL;
}

void
yw_dh__due_day(int n, char out[11])
{
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    int64_t due = calendar && yw_cal_covers(calendar, today)
                      ? yw_cal_add_workdays(calendar, today, n)
                      : today + n + n / 5 * 2;
    yw_cal_day_text(due, out);
}

json_t *
yw_dh__my_file(struct yw_dbc *c, const char *subject)
{
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT r.code, r.name, r.name_en, r.dept, r.fields, d.record_key, d.data, d.updated_at "
        "FROM dh_records d JOIN dh_resources r ON r.id = d.resource_id "
        "WHERE d.subject = ? AND r.self_view = 1 ORDER BY r.code, d.updated_at DESC LIMIT 1000",
        "s", subject);
    if (s == NULL)
        return NULL;
    json_t *list = json_array(), *cur = NULL;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *code = yw_db_col_text(s, 0);
        if (cur == NULL || strcmp(json_string_value(json_object_get(cur, "resource")), code)) {
            json_t *fields = json_loads(yw_db_col_text(s, 4), 0, NULL);
            cur = json_pack("{s:s, s:s, s:s, s:s, s:o, s:[]}", "resource", code, "name",
                            yw_db_col_text(s, 1), "name_en", yw_db_col_text(s, 2), "dept",
                            yw_db_col_text(s, 3), "fields", fields ? fields : json_array(),
                            "records");
            json_array_append_new(list, cur);
        }
        json_t *d = json_loads(yw_db_col_text(s, 6), 0, NULL);
        json_array_append_new(json_object_get(cur, "records"),
                              json_pack("{s:s, s:o, s:s}", "record_key", yw_db_col_text(s, 5),
                                        "data", d ? d : json_object(), "updated_at",
                                        yw_db_col_text(s, 7)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *
yw_dh__my_ledger(struct yw_dbc *c, const char *subject, int64_t limit, int64_t offset)
{
    char today[11];
    /* a sealed entry shows from its seal date on (the day after it ends) */
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT l.id, l.at, l.resource_code, l.resource_name, l.owner_dept, l.reader_kind, "
        "l.reader_dept, l.reader, l.reader_name, l.fields, l.purpose_code, l.purpose_text, "
        "l.case_no, l.sealed_until, l.seal_basis, "
        "(SELECT MAX(status) FROM dh_disputes x WHERE x.ledger_id = l.id), "
        "(SELECT MAX(answer) FROM dh_disputes x WHERE x.ledger_id = l.id), l.item_code "
        "FROM dh_ledger l WHERE l.subject = ? AND (l.sealed_until = '' OR l.sealed_until < ?) "
        "ORDER BY l.id DESC LIMIT ? OFFSET ?",
        "ssii", subject, yw_dh__today(today), limit, offset);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *fields = json_loads(yw_db_col_text(s, 9), 0, NULL);
        json_t *o =
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s}",
                      "id", (json_int_t)yw_db_col_int(s, 0), "at", yw_db_col_text(s, 1), "resource",
                      yw_db_col_text(s, 2), "resource_name", yw_db_col_text(s, 3), "owner_dept",
                      yw_db_col_text(s, 4), "reader_kind", yw_db_col_text(s, 5), "reader_dept",
                      yw_db_col_text(s, 6), "reader_name", yw_db_col_text(s, 8), "fields",
                      fields ? fields : json_array(), "purpose", yw_db_col_text(s, 10),
                      "purpose_text", yw_db_col_text(s, 11), "case_no", yw_db_col_text(s, 12),
                      "sealed_until", yw_db_col_text(s, 13), "seal_basis", yw_db_col_text(s, 14));
        /* a prefill read: the service item it was for */
        json_object_set_new(o, "item", json_string(yw_db_col_text(s, 17)));
        /* who read: a department system by its client, staff by name; the login stays inside */
        if (!strcmp(yw_db_col_text(s, 5), "system"))
            json_object_set_new(o, "reader", json_string(yw_db_col_text(s, 7)));
        json_object_set_new(o, "dispute",
                            yw_db_col_null(s, 15)
                                ? json_null()
                                : json_pack("{s:s, s:s}", "status", yw_db_col_text(s, 15), "answer",
                                            yw_db_col_text(s, 16)));
        json_array_append_new(list, o);
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static bool
text_ok(const char *s, size_t min, size_t max)
{
    size_t n = s ? yw_utf8_len(s, strlen(s)) : 0;
    return n >= min && n <= max;
}

int
yw_dh__dispute(struct yw_dbc *c, const char *subject, int64_t ledger_id, const char *reason,
               int64_t *id, struct yw_err *err)
{
    if (!text_ok(reason, 2, 500))
        return yw_fail(err, YW_EFIELD, "reason", "say in 2 to 500 characters what is wrong");
    char *dept = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 256);
    char today[11];
    int rc = yw_db_one_text(c, &a, &dept,
                            "SELECT reader_dept FROM dh_ledger WHERE id = ? AND subject = ? AND "
                            "(sealed_until = '' OR sealed_until < ?)",
                            "iss", ledger_id, subject, yw_dh__today(today));
    if (rc == YW_ENOTFOUND)
        rc = yw_fail(err, rc, "", "no ledger entry %lld of yours", (long long)ledger_id);
    else if (rc)
        rc = yw_fail(err, rc, "", "cannot read the ledger");
    else if (yw_db_exists(c, "SELECT 1 FROM dh_disputes WHERE ledger_id = ? AND status = 'open'",
                          "i", ledger_id) == 0)
        rc = yw_fail(err, YW_ESTATE, "", "this entry is disputed already");
    if (rc == 0) {
        char now[32];
        yw_dh__now(now);
        rc = yw_db_one_int(c, id,
                           "INSERT INTO dh_disputes (ledger_id, subject, reader_dept, reason, "
                           "status, created_at) VALUES (?, ?, ?, ?, 'open', ?) RETURNING id",
                           "issss", ledger_id, subject, dept, reason, now);
        if (rc == 0) {
            char oid[24];
            snprintf(oid, sizeof oid, "%lld", (long long)*id);
            rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = subject,
                                                           .role = "applicant",
                                                           .action = "datahub.dispute",
                                                           .obj_type = "data_dispute",
                                                           .obj_id = oid,
                                                           .summary = "{}" });
        }
    }
    yw_arena_release(&a);
    return rc;
}

json_t *
yw_dh__disputes(struct yw_dbc *c, const struct yw_principal *who)
{
    bool all = (who->roles & (YW_ROLE_ADMIN | YW_ROLE_SUPERVISOR)) != 0;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT x.id, x.ledger_id, x.reader_dept, x.reason, x.status, x.answer, x.created_at, "
        "x.answered_at, l.resource_code, l.resource_name, l.purpose_code, l.purpose_text, "
        "l.case_no, l.at, l.reader_name FROM dh_disputes x JOIN dh_ledger l ON l.id = x.ledger_id "
        "WHERE (? = 1 OR x.reader_dept = ?) ORDER BY x.id DESC LIMIT 500",
        "ds", all ? 1 : 0, who->dept);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            list,
            json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                      "id", (json_int_t)yw_db_col_int(s, 0), "ledger_id",
                      (json_int_t)yw_db_col_int(s, 1), "reader_dept", yw_db_col_text(s, 2),
                      "reason", yw_db_col_text(s, 3), "status", yw_db_col_text(s, 4), "answer",
                      yw_db_col_text(s, 5), "created_at", yw_db_col_text(s, 6), "answered_at",
                      yw_db_col_text(s, 7), "resource", yw_db_col_text(s, 8), "resource_name",
                      yw_db_col_text(s, 9), "purpose", yw_db_col_text(s, 10), "purpose_text",
                      yw_db_col_text(s, 11), "case_no", yw_db_col_text(s, 12), "read_at",
                      yw_db_col_text(s, 13), "reader_name", yw_db_col_text(s, 14)));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int
yw_dh__dispute_answer(struct yw_dbc *c, int64_t id, const char *answer,
                      const struct yw_principal *who, struct yw_err *err)
{
    if (!text_ok(answer, 2, 1000))
        return yw_fail(err, YW_EFIELD, "answer", "answer in 2 to 1000 characters");
    struct yw_arena a;
    yw_arena_init(&a, 256);
    char *dept = NULL;
    int rc =
        yw_db_one_text(c, &a, &dept, "SELECT reader_dept FROM dh_disputes WHERE id = ?", "i", id);
    bool all = (who->roles & (YW_ROLE_ADMIN | YW_ROLE_SUPERVISOR)) != 0;
    if (rc == 0 && !all && strcmp(dept, who->dept) != 0)
        rc = YW_ENOTFOUND;
    if (rc) {
        yw_arena_release(&a);
        return rc == YW_ENOTFOUND ? yw_fail(err, rc, "", "no dispute %lld", (long long)id)
                                  : yw_fail(err, rc, "", "cannot read dispute %lld", (long long)id);
    }
    yw_arena_release(&a);
    char now[32];
    yw_dh__now(now);
    int64_t n = 0;
    rc = yw_db_run_changes(
        c, &n,
        "UPDATE dh_disputes SET status = 'answered', answer = ?, answered_by = ?, "
        "answered_at = ? WHERE id = ? AND status = 'open'",
        "sssi", answer, who->login, now, id);
    if (rc)
        return yw_fail(err, rc, "", "cannot answer dispute %lld", (long long)id);
    if (n == 0)
        return yw_fail(err, YW_ESTATE, "", "dispute %lld is answered already", (long long)id);
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = who->login,
                                                     .role = "staff",
                                                     .action = "datahub.dispute.answer",
                                                     .obj_type = "data_dispute",
                                                     .obj_id = oid,
                                                     .summary = "{}" });
}

/* Working days the owning department has to answer a correction. */
#define CORRECTION_DAYS 5

int
yw_dh__correction_add(struct yw_dbc *c, const char *subject, const char *resource,
                      const char *field, const char *record_key, const char *proposed,
                      const char *reason, int64_t *id, struct yw_err *err)
{
    if (!text_ok(proposed, 1, 500))
        return yw_fail(err, YW_EFIELD, "proposed", "the right value, at most 500 characters");
    if (!text_ok(reason, 2, 500))
        return yw_fail(err, YW_EFIELD, "reason", "say in 2 to 500 characters why it is wrong");
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_dh_res r;
    int rc = yw_dh__res_get(c, &a, resource, &r);
    if (rc == YW_ENOTFOUND)
        rc = yw_fail(err, YW_EFIELD, "resource", "no data resource '%.40s'", resource);
    else if (rc)
        rc = yw_fail(err, rc, "", "cannot read resource '%.40s'", resource);
    else if (yw_dh__res_field(&r, field) == NULL)
        rc = yw_fail(err, YW_EFIELD, "field", "resource '%s' has no data item '%.40s'", r.code,
                     field);
    if (rc)
        goto out;
    struct yw_stmt *s = NULL;
    rc = yw_db_one_row(c, &s,
                       "SELECT data FROM dh_records WHERE resource_id = ? AND subject = ? AND "
                       "(? = '' OR record_key = ?) ORDER BY updated_at DESC",
                       "isss", r.id, subject, record_key ? record_key : "",
                       record_key ? record_key : "");
    if (rc == YW_ENOTFOUND) {
        rc = yw_fail(err, YW_EFIELD, "resource", "resource '%s' holds no record of yours", r.code);
        goto out;
    }
    if (rc) {
        rc = yw_fail(err, rc, "", "cannot read your record");
        goto out;
    }
    json_t *d = json_loads(yw_db_col_text(s, 0), 0, NULL);
    yw_db_reset(s);
    json_t *cv = json_object_get(d, field);
    char *current = json_is_string(cv)   ? yw_arena_strdup(&a, json_string_value(cv))
                    : json_is_number(cv) ? yw_arena_printf(&a, "%g", json_number_value(cv))
                                         : "";
    json_decref(d);
    char now[32], due[11];
    yw_dh__now(now);
    yw_dh__due_day(CORRECTION_DAYS, due);
    rc = yw_db_one_int(
        c, id,
        "INSERT INTO dh_corrections (subject, resource_id, dept, field, current_val, "
        "proposed, reason, status, due_day, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        "sisssssss", subject, r.id, r.dept, field, current, proposed, reason, due, now);
    if (rc) {
        rc = yw_fail(err, rc, "", "cannot store the correction");
        goto out;
    }
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)*id);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = subject,
                                                   .role = "applicant",
                                                   .action = "datahub.correction",
                                                   .obj_type = "data_correction",
                                                   .obj_id = oid,
                                                   .summary = "{}" });
out:
    yw_arena_release(&a);
    return rc;
}

json_t *
yw_dh__corrections(struct yw_dbc *c, const struct yw_principal *who, const char *subject)
{
    bool all = who && ((who->roles & YW_ROLE_ADMIN) || !strcmp(who->dept, YW_DH_HUB_DEPT));
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT x.id, r.code, r.name, x.dept, x.field, x.current_val, x.proposed, x.reason, "
        "x.status, x.answer, x.due_day, x.created_at, x.answered_at, x.subject "
        "FROM dh_corrections x JOIN dh_resources r ON r.id = x.resource_id "
        "WHERE (? <> '' AND x.subject = ?) OR (? = '' AND (? = 1 OR x.dept = ?)) "
        "ORDER BY x.id DESC LIMIT 500",
        "sssds", subject ? subject : "", subject ? subject : "", subject ? subject : "",
        all ? 1 : 0, who ? who->dept : "");
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                      "id", (json_int_t)yw_db_col_int(s, 0), "resource", yw_db_col_text(s, 1),
                      "resource_name", yw_db_col_text(s, 2), "dept", yw_db_col_text(s, 3), "field",
                      yw_db_col_text(s, 4), "current", yw_db_col_text(s, 5), "proposed",
                      yw_db_col_text(s, 6), "reason", yw_db_col_text(s, 7), "status",
                      yw_db_col_text(s, 8), "answer", yw_db_col_text(s, 9), "due",
                      yw_db_col_text(s, 10), "created_at", yw_db_col_text(s, 11), "answered_at",
                      yw_db_col_text(s, 12), "subject", yw_db_col_text(s, 13)));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int
yw_dh__correction_answer(struct yw_dbc *c, int64_t id, const char *decision, const char *answer,
                         const struct yw_principal *who, struct yw_err *err)
{
    if (strcmp(decision, "corrected") != 0 && strcmp(decision, "rejected") != 0)
        return yw_fail(err, YW_EFIELD, "decision", "decision is corrected or rejected");
    if (!text_ok(answer, 2, 1000))
        return yw_fail(err, YW_EFIELD, "answer", "answer in 2 to 1000 characters");
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT x.dept, x.status, x.subject, x.field, x.proposed, r.code "
                           "FROM dh_corrections x JOIN dh_resources r ON r.id = x.resource_id "
                           "WHERE x.id = ?",
                           "i", id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no correction %lld", (long long)id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read correction %lld", (long long)id);
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    const char *dept = yw_arena_strdup(&a, yw_db_col_text(s, 0));
    const char *status = yw_arena_strdup(&a, yw_db_col_text(s, 1));
    const char *subject = yw_arena_strdup(&a, yw_db_col_text(s, 2));
    const char *field = yw_arena_strdup(&a, yw_db_col_text(s, 3));
    const char *proposed = yw_arena_strdup(&a, yw_db_col_text(s, 4));
    const char *code = yw_arena_strdup(&a, yw_db_col_text(s, 5));
    yw_db_reset(s);
    char now[32], oid[24];
    yw_dh__now(now);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if (!yw_dh__may_manage(who, dept)) {
        rc = yw_fail(err, YW_ENOTFOUND, "", "no correction %lld", (long long)id);
        goto out;
    }
    if (strcmp(status, "open") != 0) {
        rc = yw_fail(err, YW_ESTATE, "", "correction %lld is %s already", (long long)id, status);
        goto out;
    }
    if (!strcmp(decision, "corrected")) {
        /* the value changes in the subject's records, checked like an import row */
        struct yw_dh_res r;
        if ((rc = yw_dh__res_get(c, &a, code, &r))) {
            yw_fail(err, rc, "", "cannot read resource '%s'", code);
            goto out;
        }
        struct yw_stmt *q =
            yw_db_query(c, "SELECT id, data FROM dh_records WHERE resource_id = ? AND subject = ?",
                        "is", r.id, subject);
        if (q == NULL) {
            rc = YW_EDB;
            goto out;
        }
        struct ch {
            int64_t id;
            char *data;
        } chs[64];
        int n = 0;
        while ((rc = yw_db_step(q)) == YW_ROW && n < 64) {
            json_t *d = json_loads(yw_db_col_text(q, 1), 0, NULL);
            json_object_set_new(d, field, json_string(proposed));
            json_t *checked = NULL;
            const char *sj, *rk;
            struct yw_err e2 = { 0 };
            if (yw_dh__row_check(&r, d, &a, &checked, &sj, &rk, &e2) == 0) {
                chs[n].id = yw_db_col_int(q, 0);
                chs[n].data = json_dumps(checked, JSON_COMPACT);
                n++;
                json_decref(checked);
            } else {
                *err = e2;
                rc = YW_EFIELD;
            }
            json_decref(d);
            if (rc == YW_EFIELD)
                break;
        }
        if (rc == YW_EFIELD) {
            yw_db_reset(q);
            snprintf(err->field, sizeof err->field, "proposed");
        } else {
            rc = yw_db_finish(q, rc == YW_ROW ? YW_DONE : rc);
        }
        for (int i = 0; i < n; i++) {
            if (rc == 0)
                rc = yw_db_run(c,
                               "UPDATE dh_records SET data = ?, updated_at = ? WHERE id = ? "
                               "AND subject = ?", /* the subject: one partition on PostgreSQL */
                               "ssis", chs[i].data, now, chs[i].id, subject);
            free(chs[i].data);
        }
        if (rc)
            goto out;
    }
    rc = yw_db_run(c,
                   "UPDATE dh_corrections SET status = ?, answer = ?, answered_by = ?, "
                   "answered_at = ? WHERE id = ?",
                   "ssssi", decision, answer, who->login, now, id);
    if (rc == 0)
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = who->login,
                                                       .role = "data_officer",
                                                       .action = "datahub.correction.answer",
                                                       .obj_type = "data_correction",
                                                       .obj_id = oid,
                                                       .summary = "{}" });
out:
    yw_arena_release(&a);
    return rc;
}
