/*
 * consult.c - consultations (咨询): a person asks about an item (text and an
 * optional upload of theirs); the item's department answers within
 * consult_days working days and the asker is told (inbox, email).  While a
 * question is typed, answered questions that were published and the item
 * guide's FAQ that match are suggested.  Chinese has no spaces and short
 * queries (两个字) are common, so matching is a plain substring test of each
 * query term (split on blanks and punctuation) over questions and answers:
 * at one item's size that costs nothing (DESIGN.md, "Chinese search").
 * A question's attachment is the asker's upload; the staff who may answer
 * it (its department, supervisors, admins) may read it too, through the file
 * access provider below (core/provider.h).
 */
#include "services/internal.h"

#include "catalog/catalog.h"
#include "core/provider.h"
#include "db/audit.h"
#include "files/files.h"

#include <stdio.h>
#include <string.h>

int
yw_svc__ask(struct yw_dbc *c, int64_t account_id, const char *item_code, const char *question,
            const char *file_id, int64_t *id, struct yw_err *err)
{
    int64_t iid;
    int ver;
    json_t *doc = NULL;
    int rc = yw_catalog_item_current(c, item_code, &iid, &ver, &doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "item_code", "no item '%.40s'", item_code);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the item");
    char name[128], dept[32];
    snprintf(name, sizeof name, "%s", json_string_value(json_object_get(doc, "name")));
    snprintf(dept, sizeof dept, "%s", json_string_value(json_object_get(doc, "dept")));
    json_decref(doc);
    size_t chars = 0;
    for (const char *p = question; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && *p != ' ')
            chars++;
    if (chars < 4)
        return yw_fail(err, YW_EFIELD, "question", "the question is too short");
    if (file_id && *file_id) {
        struct yw_file_info fi;
        rc = yw_files_get(c, file_id, &fi);
        if (rc == YW_ENOTFOUND || (rc == 0 && fi.owner != account_id))
            return yw_fail(err, YW_EFIELD, "file_id", "no upload '%.40s' of yours", file_id);
        if (rc)
            return yw_fail(err, rc, "", "cannot read the upload");
    }
    char now[32], due[11];
    yw_svc__now_text(now);
    yw_cal_day_text(
        yw_cal_add_workdays(yw_svc__calendar(), yw_svc__today(), (int)yw_svc__cfg()->consult_days),
        due);
    rc = yw_db_one_int(c, id,
                       "INSERT INTO svc_consultations (account_id, item_code, item_name, dept, "
                       "question, file_id, status, asked_at, due_day) VALUES (?, ?, ?, ?, ?, ?, "
                       "'open', ?, ?) RETURNING id",
                       "isssssss", account_id, item_code, name, dept, question,
                       file_id ? file_id : "", now, due);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the question");
    char actor[24], obj[24];
    snprintf(actor, sizeof actor, "%lld", (long long)account_id);
    snprintf(obj, sizeof obj, "%lld", (long long)*id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "applicant",
                                                     .action = "consultation.ask",
                                                     .obj_type = "consultation",
                                                     .obj_id = obj,
                                                     .summary = "{}" });
}

#define CCOLS                                                                                      \
    "id, account_id, item_code, item_name, dept, question, file_id, status, answer, published, "   \
    "asked_at, due_day, answered_at"

static json_t *
crow(struct yw_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "id",
                     (json_int_t)yw_db_col_int(s, 0), "item_code", yw_db_col_text(s, 2),
                     "item_name", yw_db_col_text(s, 3), "dept", yw_db_col_text(s, 4), "question",
                     yw_db_col_text(s, 5), "file_id", yw_db_col_text(s, 6), "status",
                     yw_db_col_text(s, 7), "answer", yw_db_col_text(s, 8), "published",
                     yw_db_col_int(s, 9) != 0, "asked_at", yw_db_col_text(s, 10), "due_day",
                     yw_db_col_text(s, 11), "answered_at", yw_db_col_text(s, 12));
}

int
yw_svc__consultation_json(struct yw_dbc *c, int64_t id, json_t **out)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " CCOLS " FROM svc_consultations WHERE id = ?", "i", id);
    if (rc)
        return rc;
    *out = crow(s);
    json_object_set_new(*out, "account_id", json_integer(yw_db_col_int(s, 1)));
    yw_db_reset(s);
    return 0;
}

json_t *
yw_svc__consultations_json(struct yw_dbc *c, int64_t account_id, const char *dept,
                           const char *status, bool overdue_only)
{
    const char *d = dept ? dept : "", *st = status ? status : "";
    char today[11];
    yw_cal_day_text(yw_svc__today(), today);
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT " CCOLS " FROM svc_consultations WHERE (? = 0 OR "
                    "account_id = ?) AND (? = '' OR dept = ?) AND (? = '' OR "
                    "status = ?) AND (? = 0 OR (status = 'open' AND due_day < ?)) "
                    "ORDER BY id DESC LIMIT 200",
                    "iissssds", account_id, account_id, d, d, st, st, overdue_only ? 1 : 0, today);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *o = crow(s);
        json_object_set_new(o, "overdue",
                            json_boolean(!strcmp(yw_db_col_text(s, 7), "open") &&
                                         strcmp(yw_db_col_text(s, 11), today) < 0));
        json_array_append_new(out, o);
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int
yw_svc__answer(struct yw_dbc *c, const struct yw_principal *who, int64_t id, const char *answer,
               bool publish, struct yw_err *err)
{
    json_t *q = NULL;
    int rc = yw_svc__consultation_json(c, id, &q);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no consultation %lld", (long long)id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the consultation");
    const char *dept = json_string_value(json_object_get(q, "dept"));
    if (!(who->roles & YW_ROLE_ADMIN) && strcmp(dept, who->dept) != 0) {
        json_decref(q);
        return yw_fail(err, YW_ENOTFOUND, "", "no consultation %lld of your department",
                       (long long)id);
    }
    if (strcmp(json_string_value(json_object_get(q, "status")), "open") != 0) {
        json_decref(q);
        return yw_fail(err, YW_ESTATE, "", "the consultation was answered already");
    }
    char now[32];
    yw_svc__now_text(now);
    rc = yw_db_run(c,
                   "UPDATE svc_consultations SET status = 'answered', answer = ?, answered_by = "
                   "?, published = ?, answered_at = ? WHERE id = ? AND status = 'open'",
                   "sidsi", answer, who->account_id, publish ? 1 : 0, now, id);
    if (rc) {
        json_decref(q);
        return yw_fail(err, rc, "", "cannot store the answer");
    }
    char actor[24], obj[24], key[48];
    snprintf(actor, sizeof actor, "%lld", (long long)who->account_id);
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    if ((rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                        .role = "staff",
                                                        .action = "consultation.answer",
                                                        .obj_type = "consultation",
                                                        .obj_id = obj,
                                                        .summary = "{}" }))) {
        json_decref(q);
        return rc;
    }
    json_t *vars = json_pack("{s:s, s:s}", "item",
                             json_string_value(json_object_get(q, "item_name")), "answer", answer);
    snprintf(key, sizeof key, "consultation:%lld", (long long)id);
    rc = yw_svc__notify(c, json_integer_value(json_object_get(q, "account_id")), key,
                        "consultation.answered", vars, "/consult.html", NULL);
    json_decref(vars);
    json_decref(q);
    return rc ? yw_fail(err, rc, "", "cannot queue the message") : 0;
}

/* Does text contain every term of q (split on blanks and ASCII punctuation
 * and the common Chinese ones)? */
static bool
matches(const char *text, const char *q)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", q);
    int terms = 0;
    for (char *save = NULL, *t = strtok_r(buf, " \t,.?!;:", &save); t;
         t = strtok_r(NULL, " \t,.?!;:", &save)) {
        /* strip the Chinese question mark and comma (3 bytes each) */
        char term[256];
        size_t n = 0;
        for (const char *p = t; *p && n < sizeof term - 1;) {
            if (!strncmp(p, "？", 3) || !strncmp(p, "，", 3) || !strncmp(p, "。", 3)) {
                p += 3;
                continue;
            }
            term[n++] = *p++;
        }
        term[n] = '\0';
        if (n == 0)
            continue;
        terms++;
        if (strstr(text, term) == NULL)
            return false;
    }
    return terms > 0;
}

json_t *
yw_svc__suggest_json(struct yw_dbc *c, const char *item_code, const char *q)
{
    json_t *out = json_array();
    int64_t iid;
    int ver;
    json_t *doc = NULL;
    if (yw_catalog_item_current(c, item_code, &iid, &ver, &doc) == 0) {
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(doc, "faqs"), i, f)
        {
            const char *fq = json_string_value(json_object_get(f, "q")),
                       *fa = json_string_value(json_object_get(f, "a"));
            if (fq && fa && (matches(fq, q) || matches(fa, q)))
                json_array_append_new(
                    out, json_pack("{s:s, s:s, s:s}", "source", "guide", "q", fq, "a", fa));
        }
        json_decref(doc);
    }
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT question, answer FROM svc_consultations WHERE "
                                    "item_code = ? AND status = 'answered' AND published = 1 "
                                    "ORDER BY id DESC LIMIT 200",
                                    "s", item_code);
    if (s == NULL)
        return out;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW && json_array_size(out) < 20)
        if (matches(yw_db_col_text(s, 0), q) || matches(yw_db_col_text(s, 1), q))
            json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "source", "answered", "q",
                                                 yw_db_col_text(s, 0), "a", yw_db_col_text(s, 1)));
    if (rc == YW_ROW)
        yw_db_reset(s);
    else
        yw_db_finish(s, rc);
    return out;
}

int
yw_svc__consult_file_access(struct yw_dbc *c, const char *file_id, const struct yw_principal *who,
                            void *ctx)
{
    (void)ctx;
    if (who == NULL || !(who->roles & YW_ROLE_STAFF) || file_id == NULL || !*file_id)
        return YW_ENOTFOUND;
    bool all = (who->roles & (YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)) != 0;
    return yw_db_exists(c,
                        "SELECT 1 FROM svc_consultations WHERE file_id = ? AND (? = 1 OR dept = ?)",
                        "sds", file_id, all ? 1 : 0, who->dept ? who->dept : "");
}
