/*
 * credit.c - credit records (信用记录) of persons and companies and the rules
 * of joint punishment and reward (联合奖惩) that act on them when the subject
 * applies: block the application (with the record shown), flag it for careful
 * review, or mark it for fast-track acceptance (容缺受理).
 *
 * The check runs as a subscriber of case.submitted and case.accepted, inside
 * the case's own transaction, so cases never includes supervision: a block
 * returns credit_blocked (422, field "applicant") and the submission or the
 * acceptance rolls back whole; any other result is written to
 * sup_credit_checks for the case, where the window and the reviewer read it
 * (GET /api/v1/credit/checks).  A check that cannot be made (a failed read)
 * fails the transaction: never a silent pass.
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"
#include "core/cnid.h"
#include "core/provider.h"
#include "db/audit.h"
#include "db/events.h"
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool
is_date(const char *s)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Today as "YYYY-MM-DD" on the server clock. */
static void
today_text(char out[11])
{
    yw_cal_day_text(yw_sup__today(), out);
}

static int
audit(struct yw_dbc *c, int64_t by, const char *action, int64_t id, json_t *summary)
{
    char actor[24], ids[24];
    snprintf(actor, sizeof actor, "%lld", (long long)by);
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    char *text = json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(summary);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = by ? actor : "system",
                                                       .role = by ? "staff" : "system",
                                                       .action = action,
                                                       .obj_type = "credit",
                                                       .obj_id = ids,
                                                       .summary = text });
    free(text);
    return rc;
}

int
yw_sup__credit_add(struct yw_dbc *c, const struct yw_sup_record *r, int64_t by, int64_t *id,
                   struct yw_err *err)
{
    char ident[19];
    const char *subject_kind;
    if (r->subject_ident == NULL || !yw_cnid_ident_normalize(r->subject_ident, ident))
        return yw_fail(err, YW_EFIELD, "subject_ident",
                       "subject_ident must be a valid resident ID number or unified social "
                       "credit code");
    subject_kind = yw_cnid_check_id(ident, 18, NULL, NULL) == 0 ? "person" : "enterprise";
    if (r->kind == NULL || (strcmp(r->kind, "dishonest") && strcmp(r->kind, "honest")))
        return yw_fail(err, YW_EFIELD, "kind", "kind must be dishonest (失信) or honest (守信)");
    if (r->subject_name == NULL || !*r->subject_name)
        return yw_fail(err, YW_EMISSING, "subject_name", "name the subject");
    if (r->category == NULL || !*r->category)
        return yw_fail(err, YW_EMISSING, "category", "say the record's category");
    if (r->basis == NULL || !*r->basis)
        return yw_fail(err, YW_EMISSING, "basis", "cite the legal basis of the record");
    char today[11];
    const char *from = r->valid_from && *r->valid_from ? r->valid_from : NULL;
    if (from == NULL) { /* from today */
        today_text(today);
        from = today;
    }
    if (!is_date(from))
        return yw_fail(err, YW_EFIELD, "valid_from", "valid_from must be a date YYYY-MM-DD");
    if (r->valid_to && *r->valid_to && (!is_date(r->valid_to) || strcmp(r->valid_to, from) < 0))
        return yw_fail(err, YW_EFIELD, "valid_to",
                       "valid_to must be a date YYYY-MM-DD not before valid_from");
    int rc = yw_catalog_dept_exists(c, r->dept);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "dept", "no department '%.32s'", r->dept ? r->dept : "");
    if (rc)
        return yw_fail(err, rc, "", "cannot read the departments");
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_one_int(
        c, id,
        "INSERT INTO sup_credit_records (subject_ident, subject_kind, subject_name, kind, category, "
        "dept, basis, measures, valid_from, valid_to, created_by, created_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "ssssssssssis", ident, subject_kind, r->subject_name, r->kind, r->category, r->dept,
        r->basis, r->measures ? r->measures : "", from, r->valid_to ? r->valid_to : "", by, now);
    if (rc)
        return yw_fail(err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot store the record");
    return audit(c, by, "credit.record_add", *id,
                 json_pack("{s:s, s:s, s:s, s:s}", "subject", ident, "kind", r->kind, "category",
                           r->category, "dept", r->dept));
}

#define REC_COLS                                                                                   \
    "id, subject_ident, subject_kind, subject_name, kind, category, dept, basis, measures, "       \
    "valid_from, valid_to, status, repair_note, repaired_at, created_at, repair_request, "         \
    "repair_requested_at"

static json_t *
rec_json(struct yw_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
                     "s:s, s:s}",
                     "id", (json_int_t)yw_db_col_int(s, 0), "subject_ident", yw_db_col_text(s, 1),
                     "subject_kind", yw_db_col_text(s, 2), "subject_name", yw_db_col_text(s, 3),
                     "kind", yw_db_col_text(s, 4), "category", yw_db_col_text(s, 5), "dept",
                     yw_db_col_text(s, 6), "basis", yw_db_col_text(s, 7), "measures",
                     yw_db_col_text(s, 8), "valid_from", yw_db_col_text(s, 9), "valid_to",
                     yw_db_col_text(s, 10), "status", yw_db_col_text(s, 11), "repair_note",
                     yw_db_col_text(s, 12), "repaired_at", yw_db_col_text(s, 13), "created_at",
                     yw_db_col_text(s, 14), "repair_request", yw_db_col_text(s, 15),
                     "repair_requested_at", yw_db_col_text(s, 16));
}

json_t *
yw_sup__credit_list(struct yw_dbc *c, const char *subject, bool active_only)
{
    char ident[19] = "", today[11];
    today_text(today);
    if (subject && *subject && !yw_cnid_ident_normalize(subject, ident))
        snprintf(ident, sizeof ident, "%.18s", subject); /* matches nothing */
    struct yw_stmt *s =
        active_only
            ? yw_db_query(c,
                          "SELECT " REC_COLS " FROM sup_credit_records WHERE subject_ident = ? AND "
                          "status = 'active' AND valid_from <= ? AND (valid_to = '' OR valid_to "
                          ">= ?) ORDER BY id",
                          "sss", ident, today, today)
            : yw_db_query(c,
                          "SELECT " REC_COLS " FROM sup_credit_records WHERE (? = '' OR "
                          "subject_ident = ?) ORDER BY id DESC LIMIT 500",
                          "ss", ident, ident);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, rec_json(s));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int
yw_sup__credit_repair(struct yw_dbc *c, int64_t id, const char *dept, int64_t by, const char *note,
                      struct yw_err *err)
{
    if (note == NULL || *note == '\0')
        return yw_fail(err, YW_EMISSING, "note",
                       "say how the subject repaired its credit (信用修复)");
    char *rec_dept = NULL, *status = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 256);
    int rc = yw_db_one_text(c, &a, &rec_dept, "SELECT dept FROM sup_credit_records WHERE id = ?",
                            "i", id);
    if (rc == 0)
        rc = yw_db_one_text(c, &a, &status, "SELECT status FROM sup_credit_records WHERE id = ?",
                            "i", id);
    if (rc == YW_ENOTFOUND || (rc == 0 && dept && strcmp(dept, rec_dept) != 0)) {
        rc = yw_fail(err, YW_ENOTFOUND, "", "no credit record %lld of your department",
                     (long long)id);
        goto out;
    }
    if (rc)
        goto out;
    if (strcmp(status, "active") != 0) {
        rc = yw_fail(err, YW_ESTATE, "", "credit record %lld is already '%s'", (long long)id,
                     status);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_run(c,
                   "UPDATE sup_credit_records SET status = 'repaired', repair_note = ?, "
                   "repaired_at = ? WHERE id = ? AND status = 'active'",
                   "ssi", note, now, id);
    if (rc == 0)
        rc = audit(c, by, "credit.repair", id, json_pack("{s:s}", "note", note));
out:
    yw_arena_release(&a);
    return rc;
}

int
yw_sup__credit_repair_request(struct yw_dbc *c, int64_t id, const char *subject, int64_t by,
                              const char *reason, struct yw_err *err)
{
    if (reason == NULL || *reason == '\0')
        return yw_fail(err, YW_EMISSING, "reason",
                       "say what was done to remedy the record (履行义务、纠正失信行为)");
    char ident[19] = "";
    if (subject == NULL || !yw_cnid_ident_normalize(subject, ident))
        return yw_fail(err, YW_ENOTFOUND, "", "no credit record %lld of yours", (long long)id);
    struct yw_arena a;
    yw_arena_init(&a, 256);
    char *status = NULL, *kind = NULL;
    int rc = yw_db_one_text(
        c, &a, &status, "SELECT status FROM sup_credit_records WHERE id = ? AND subject_ident = ?",
        "is", id, ident);
    if (rc == 0)
        rc = yw_db_one_text(c, &a, &kind, "SELECT kind FROM sup_credit_records WHERE id = ?", "i",
                            id);
    if (rc == YW_ENOTFOUND) {
        rc = yw_fail(err, rc, "", "no credit record %lld of yours", (long long)id);
        goto out;
    }
    if (rc)
        goto out;
    if (strcmp(status, "active") != 0 || strcmp(kind, "dishonest") != 0) {
        rc = yw_fail(err, YW_ESTATE, "", "credit record %lld is not an active dishonest record",
                     (long long)id);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_run(c,
                   "UPDATE sup_credit_records SET repair_request = ?, repair_requested_at = ? "
                   "WHERE id = ?",
                   "ssi", reason, now, id);
    if (rc == 0) {
        char actor[24], ids[24];
        snprintf(actor, sizeof actor, "%lld", (long long)by);
        snprintf(ids, sizeof ids, "%lld", (long long)id);
        json_t *sum = json_pack("{s:s}", "reason", reason);
        char *text = json_dumps(sum, JSON_COMPACT);
        json_decref(sum);
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                       .role = "applicant",
                                                       .action = "credit.repair_request",
                                                       .obj_type = "credit",
                                                       .obj_id = ids,
                                                       .summary = text });
        free(text);
    }
out:
    yw_arena_release(&a);
    return rc;
}

int
yw_sup__rule_add(struct yw_dbc *c, const struct yw_sup_rule *r, int64_t by, int64_t *id,
                 struct yw_err *err)
{
    if (r->record_kind == NULL ||
        (strcmp(r->record_kind, "dishonest") && strcmp(r->record_kind, "honest")))
        return yw_fail(err, YW_EFIELD, "record_kind", "record_kind must be dishonest or honest");
    if (r->target_kind == NULL ||
        (strcmp(r->target_kind, "item") && strcmp(r->target_kind, "dept")))
        return yw_fail(err, YW_EFIELD, "target_kind", "target_kind must be item or dept");
    if (r->measure == NULL || (strcmp(r->measure, "block") && strcmp(r->measure, "flag") &&
                               strcmp(r->measure, "fast_track")))
        return yw_fail(err, YW_EFIELD, "measure", "measure must be block, flag or fast_track");
    if (!strcmp(r->measure, "fast_track") && strcmp(r->record_kind, "honest") != 0)
        return yw_fail(err, YW_EFIELD, "measure",
                       "fast-track (容缺受理) rewards honest subjects only");
    if (strcmp(r->measure, "fast_track") && strcmp(r->record_kind, "dishonest") != 0)
        return yw_fail(err, YW_EFIELD, "measure",
                       "block and flag act on dishonest (失信) records only");
    bool fast = !strcmp(r->measure, "fast_track");
    if (fast && strcmp(r->target_kind, "item") != 0)
        return yw_fail(err, YW_EFIELD, "target_kind",
                       "a fast-track rule (容缺受理) names an item and its material");
    if (!fast && r->material && *r->material)
        return yw_fail(err, YW_EFIELD, "material", "only a fast-track rule names a material");
    int rc;
    json_t *doc = NULL;
    if (!strcmp(r->target_kind, "item")) {
        int64_t item_id = 0;
        int ver = 0;
        rc = r->target ? yw_catalog_item_current(c, r->target, &item_id, &ver, &doc) : YW_ENOTFOUND;
    } else {
        rc = yw_catalog_dept_exists(c, r->target);
    }
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "target", "no %s '%.40s' in the catalog", r->target_kind,
                       r->target ? r->target : "");
    if (rc)
        return yw_fail(err, rc, "", "cannot read the catalog");
    if (fast) { /* the rule says which material may come later: a required one of the item */
        bool found = false;
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(doc, "materials"), i, m) found |=
            r->material &&
            !strcmp(json_string_value(json_object_get(m, "code")) ?: "", r->material) &&
            !strcmp(json_string_value(json_object_get(m, "required")) ?: "", "required");
        json_decref(doc);
        doc = NULL;
        if (!found)
            return yw_fail(err, YW_EFIELD, "material",
                           "name a required material of item '%.40s' that may be handed in later",
                           r->target);
    }
    json_decref(doc);
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_one_int(c, id,
                       "INSERT INTO sup_credit_rules (record_kind, category, target_kind, target, "
                       "measure, material, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                       "?, ?, ?) RETURNING id",
                       "sssssssis", r->record_kind, r->category ? r->category : "", r->target_kind,
                       r->target, r->measure, fast ? r->material : "", r->note ? r->note : "", by,
                       now);
    if (rc)
        return yw_fail(err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot store the rule");
    return audit(c, by, "credit.rule_add", *id,
                 json_pack("{s:s, s:s, s:s, s:s}", "record_kind", r->record_kind, "target_kind",
                           r->target_kind, "target", r->target, "measure", r->measure));
}

json_t *
yw_sup__rules_list(struct yw_dbc *c)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT id, record_kind, category, target_kind, target, "
                                    "measure, note, created_at, material FROM sup_credit_rules "
                                    "ORDER BY id",
                                    NULL);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            list, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "material",
                            yw_db_col_text(s, 8), "id", (json_int_t)yw_db_col_int(s, 0),
                            "record_kind", yw_db_col_text(s, 1), "category", yw_db_col_text(s, 2),
                            "target_kind", yw_db_col_text(s, 3), "target", yw_db_col_text(s, 4),
                            "measure", yw_db_col_text(s, 5), "note", yw_db_col_text(s, 6),
                            "created_at", yw_db_col_text(s, 7)));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* The strongest measure first. */
static int
rank(const char *m)
{
    return !strcmp(m, "block") ? 3 : !strcmp(m, "flag") ? 2 : !strcmp(m, "fast_track") ? 1 : 0;
}

/* The rules of the item and of its department that act on a record of
 * this kind and category, by id: each half found through
 * sup_credit_rules_target (one OR over both read every rule).  Columns:
 * id, measure, note, target_kind, target, material. */
static struct yw_stmt *
rules_query(struct yw_dbc *c, const char *item, const char *dept, const char *kind,
            const char *category)
{
    return yw_db_query(
        c,
        "SELECT id, measure, note, target_kind, target, material FROM sup_credit_rules WHERE "
        "target_kind = 'item' AND target = ? AND record_kind = ? AND (category = '' OR "
        "category = ?) UNION ALL SELECT id, measure, note, target_kind, target, material FROM "
        "sup_credit_rules WHERE target_kind = 'dept' AND target = ? AND record_kind = ? AND "
        "(category = '' OR category = ?) ORDER BY 1",
        "ssssss", item ? item : "", kind ? kind : "", category ? category : "", dept ? dept : "",
        kind ? kind : "", category ? category : "");
}

json_t *
yw_sup__credit_flags(struct yw_dbc *c, const char *subject, const char *item, const char *dept)
{
    json_t *records = yw_sup__credit_list(c, subject, true);
    if (records == NULL)
        return NULL;
    json_t *flags = json_array();
    const char *result = "pass";
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r)
    {
        struct yw_stmt *s =
            rules_query(c, item, dept, json_string_value(json_object_get(r, "kind")),
                        json_string_value(json_object_get(r, "category")));
        if (s == NULL)
            goto fail;
        int rc;
        while ((rc = yw_db_step(s)) == YW_ROW) {
            const char *m = yw_db_col_text(s, 1);
            if (rank(m) > rank(result))
                result = rank(m) == 3 ? "block" : rank(m) == 2 ? "flag" : "fast_track";
            json_array_append_new(flags,
                                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:O}", "rule",
                                            (json_int_t)yw_db_col_int(s, 0), "measure", m, "note",
                                            yw_db_col_text(s, 2), "target_kind",
                                            yw_db_col_text(s, 3), "target", yw_db_col_text(s, 4),
                                            "material", yw_db_col_text(s, 5), "record", r));
        }
        if (yw_db_finish(s, rc))
            goto fail;
    }
    return json_pack("{s:s, s:o, s:o}", "result", result, "records", records, "flags", flags);
fail:
    json_decref(records);
    json_decref(flags);
    return NULL;
}

json_t *
yw_sup__credit_checks(struct yw_dbc *c, const char *case_no)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT id, stage, subject_ident, result, detail, at FROM "
                                    "sup_credit_checks WHERE case_no = ? ORDER BY id",
                                    "s", case_no ? case_no : "");
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *detail = json_loads(yw_db_col_text(s, 4), 0, NULL);
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)yw_db_col_int(s, 0),
                            "stage", yw_db_col_text(s, 1), "subject_ident", yw_db_col_text(s, 2),
                            "result", yw_db_col_text(s, 3), "flags", detail ? detail : json_array(),
                            "at", yw_db_col_text(s, 5)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ---- the check at submission and acceptance ----
 *
 * What yw_sup__credit_flags answers, for the check's own use: the strongest
 * measure, the flags written straight as the JSON text of the check's row
 * (the same members as the route's, each flag with its whole record), and
 * the blocking record's words for the refusal.  It runs on the group
 * commit's one thread in every submission of a subject with a record, so
 * nothing goes through jansson: building and dumping the documents was
 * two thirds of the check (bench/supervision.sh, docs/PERFORMANCE.md). */
static const char *const rec_keys[] = { "id",
                                        "subject_ident",
                                        "subject_kind",
                                        "subject_name",
                                        "kind",
                                        "category",
                                        "dept",
                                        "basis",
                                        "measures",
                                        "valid_from",
                                        "valid_to",
                                        "status",
                                        "repair_note",
                                        "repaired_at",
                                        "created_at",
                                        "repair_request",
                                        "repair_requested_at" };

struct check_rec {
    const char *kind, *category, *dept, *basis;
    const char *json; /* the record as the flags carry it */
};

struct check {
    int rank;            /* of the strongest measure so far (rank()) */
    struct yw_buf flags; /* a JSON array's members, comma separated */
    int nflags;
    const struct check_rec *block; /* the first blocking flag's record */
};

static void
add_str(struct yw_buf *b, const char *s)
{
    yw_buf_add_json_str(b, s, strlen(s));
}

/* The subject's active records into *out (arena a). */
static int
check_records(struct yw_dbc *c, struct yw_arena *a, const char *ident, struct check_rec **out,
              int *n)
{
    char today[11];
    today_text(today);
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " REC_COLS " FROM sup_credit_records WHERE "
                                    "subject_ident = ? AND status = 'active' AND valid_from <= ? "
                                    "AND (valid_to = '' OR valid_to >= ?) ORDER BY id",
                                    "sss", ident, today, today);
    if (s == NULL)
        return YW_EDB;
    struct yw_buf b, v; /* one record's JSON; the records (struct check_rec) */
    yw_buf_init(&b);
    yw_buf_init(&v);
    int rc;
    *n = 0;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        b.n = 0;
        yw_buf_printf(&b, "{\"id\":%lld", (long long)yw_db_col_int(s, 0));
        for (int i = 1; i < 17; i++) {
            yw_buf_adds(&b, ",\"");
            yw_buf_adds(&b, rec_keys[i]);
            yw_buf_adds(&b, "\":");
            add_str(&b, yw_db_col_text(s, i));
        }
        yw_buf_addc(&b, '}');
        struct check_rec r = { .kind = yw_arena_strdup(a, yw_db_col_text(s, 4)),
                               .category = yw_arena_strdup(a, yw_db_col_text(s, 5)),
                               .dept = yw_arena_strdup(a, yw_db_col_text(s, 6)),
                               .basis = yw_arena_strdup(a, yw_db_col_text(s, 7)),
                               .json = yw_arena_strndup(a, b.p, b.n) };
        yw_buf_add(&v, &r, sizeof r);
        (*n)++;
    }
    yw_buf_release(&b);
    *out = *n ? yw_arena_alloc(a, v.n) : NULL;
    if (*n)
        memcpy(*out, v.p, v.n);
    yw_buf_release(&v);
    return yw_db_finish(s, rc);
}

/* The rules that act on record r (rules_query), written into ck as flags. */
static int
check_rules_of(struct yw_dbc *c, const struct check_rec *r, const char *item, const char *dept,
               struct check *ck)
{
    struct yw_stmt *s = rules_query(c, item, dept, r->kind, r->category);
    if (s == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *m = yw_db_col_text(s, 1);
        if (rank(m) > ck->rank)
            ck->rank = rank(m);
        if (rank(m) == 3 && ck->block == NULL)
            ck->block = r;
        struct yw_buf *b = &ck->flags;
        if (ck->nflags++)
            yw_buf_addc(b, ',');
        yw_buf_printf(b, "{\"rule\":%lld,\"measure\":", (long long)yw_db_col_int(s, 0));
        add_str(b, m);
        yw_buf_adds(b, ",\"note\":");
        add_str(b, yw_db_col_text(s, 2));
        yw_buf_adds(b, ",\"target_kind\":");
        add_str(b, yw_db_col_text(s, 3));
        yw_buf_adds(b, ",\"target\":");
        add_str(b, yw_db_col_text(s, 4));
        yw_buf_adds(b, ",\"material\":");
        add_str(b, yw_db_col_text(s, 5));
        yw_buf_adds(b, ",\"record\":");
        yw_buf_adds(b, r->json);
        yw_buf_addc(b, '}');
    }
    return yw_db_finish(s, rc);
}

/* case.submitted / case.accepted: check the applicant against the rules of
 * the item and its department, in the case's transaction. */
static int
check_case(struct yw_dbc *c, const char *name, json_t *p, int *result_of, struct yw_err *err)
{
    const char *ident = json_string_value(json_object_get(p, "applicant_ident"));
    const char *code = json_string_value(json_object_get(p, "code"));
    const char *dept = json_string_value(json_object_get(p, "dept"));
    const char *case_no = json_string_value(json_object_get(p, "case_no"));
    const char *stage = !strcmp(name, "case.accepted") ? "accepted" : "submitted";
    /* the common subject has no record: the set says so without a query (creditset.c) */
    char norm[19] = "";
    bool may = true;
    if (ident && yw_cnid_ident_normalize(ident, norm)) {
        int rc = yw_sup__creditset_may_have(c, norm, &may);
        if (rc)
            return yw_fail(err, rc, "", "the credit check of case '%s' could not be made",
                           case_no ? case_no : "");
    } else {
        /* not an ID number or a credit code: matches no record */
        snprintf(norm, sizeof norm, "%.18s", ident ? ident : "");
    }
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct check ck = { .rank = 0 };
    yw_buf_init(&ck.flags);
    int rc = 0;
    if (may) {
        struct check_rec *recs = NULL;
        int n = 0;
        rc = check_records(c, &a, norm, &recs, &n);
        for (int i = 0; i < n && rc == 0; i++)
            rc = check_rules_of(c, &recs[i], code ? code : "", dept ? dept : "", &ck);
        if (rc)
            rc = yw_fail(err, YW_EDB, "", "the credit check of case '%s' could not be made",
                         case_no ? case_no : "");
    }
    static const char *const results[] = { "pass", "fast_track", "flag", "block" };
    const char *result = results[ck.rank];
    *result_of = ck.rank == 2 ? 1 : ck.rank == 1 ? 2 : 0;
    if (rc == 0 && ck.block) {
        rc = yw_fail(err, YW_ECREDITBLOCK, "applicant",
                     "the applicant has a dishonest credit record that blocks this item "
                     "(联合惩戒): %s, %s, basis: %s",
                     ck.block->category, ck.block->dept, ck.block->basis);
    } else if (rc == 0) {
        char now[32];
        yw_db_now_text(now);
        struct yw_buf detail;
        yw_buf_init(&detail);
        yw_buf_addc(&detail, '[');
        if (ck.flags.n)
            yw_buf_add(&detail, ck.flags.p, ck.flags.n);
        yw_buf_addc(&detail, ']');
        yw_buf_addc(&detail, '\0');
        rc = yw_db_run(c,
                       "INSERT INTO sup_credit_checks (case_id, case_no, stage, subject_ident, "
                       "result, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       "issssss", (int64_t)json_integer_value(json_object_get(p, "case_id")),
                       case_no ? case_no : "", stage, ident ? ident : "", result, detail.p, now);
        yw_buf_release(&detail);
    }
    yw_buf_release(&ck.flags);
    yw_arena_release(&a);
    return rc;
}

/* ---- how long the checks take (/metrics) ----
 *
 * What a check adds to the transaction of a submission or an acceptance:
 * the set's version read, the records and rules read, the check's row.  A
 * histogram per stage, so an operator (and bench/supervision.sh) sees its
 * p99 next to the case's; a check made again when a batch is retried
 * counts again. */
static const double check_le[] = { 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                   0.001,   0.0025,   0.005,   0.01,   0.025,   0.1 };
#define CHECK_BUCKETS (sizeof check_le / sizeof check_le[0])
static struct {
    _Atomic uint64_t n[CHECK_BUCKETS + 1];   /* the last: above every bound */
    _Atomic uint64_t ns;                     /* the sum of the durations */
} check_hist[2];                             /* 0 submitted, 1 accepted */
static _Atomic uint64_t check_results[2][4]; /* pass, flag, fast_track, block (or failed) */

static void
check_observe(int stage, int64_t ns, int result)
{
    size_t b = 0;
    while (b < CHECK_BUCKETS && (double)ns > check_le[b] * 1e9)
        b++;
    atomic_fetch_add(&check_hist[stage].n[b], 1);
    atomic_fetch_add(&check_hist[stage].ns, (uint64_t)ns);
    atomic_fetch_add(&check_results[stage][result], 1);
}

static void
check_metrics(struct yw_buf *out, void *ctx)
{
    (void)ctx;
    static const char *const stages[] = { "submitted", "accepted" };
    static const char *const results[] = { "pass", "flag", "fast_track", "block" };
    yw_buf_printf(out, "# HELP ywtb_credit_check_duration_seconds Time the credit check (联合奖惩) "
                       "took inside a case's transaction, by stage.\n"
                       "# TYPE ywtb_credit_check_duration_seconds histogram\n");
    for (int st = 0; st < 2; st++) {
        uint64_t cum = 0;
        for (size_t b = 0; b <= CHECK_BUCKETS; b++) {
            cum += atomic_load(&check_hist[st].n[b]);
            if (b < CHECK_BUCKETS)
                yw_buf_printf(out,
                              "ywtb_credit_check_duration_seconds_bucket{stage=\"%s\",le=\"%g\"} "
                              "%llu\n",
                              stages[st], check_le[b], (unsigned long long)cum);
            else
                yw_buf_printf(out,
                              "ywtb_credit_check_duration_seconds_bucket{stage=\"%s\",le=\"+Inf\"} "
                              "%llu\n",
                              stages[st], (unsigned long long)cum);
        }
        yw_buf_printf(out,
                      "ywtb_credit_check_duration_seconds_sum{stage=\"%s\"} %.6f\n"
                      "ywtb_credit_check_duration_seconds_count{stage=\"%s\"} %llu\n",
                      stages[st], (double)atomic_load(&check_hist[st].ns) / 1e9, stages[st],
                      (unsigned long long)cum);
    }
    yw_buf_printf(out, "# HELP ywtb_credit_checks_total Credit checks by stage and result "
                       "(block: refused; failed checks count as block).\n"
                       "# TYPE ywtb_credit_checks_total counter\n");
    for (int st = 0; st < 2; st++)
        for (int r = 0; r < 4; r++)
            yw_buf_printf(out, "ywtb_credit_checks_total{stage=\"%s\",result=\"%s\"} %llu\n",
                          stages[st], results[r],
                          (unsigned long long)atomic_load(&check_results[st][r]));
}

static int64_t
mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
on_case(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    int64_t t0 = mono_ns();
    int result = 0;
    int rc = check_case(c, name, p, &result, err);
    check_observe(!strcmp(name, "case.accepted"), mono_ns() - t0, rc ? 3 : result);
    return rc;
}

/* The material waiver provider (core/provider.h): an honest subject's
 * fast-track rule (容缺受理) for this item and material lets it come later. */
static int
waiver(struct yw_dbc *c, const char *holder, const char *item_code, const char *dept,
       const char *material_code, json_t **why, void *ctx)
{
    char norm[19] = "";
    bool may = true;
    if (holder && yw_cnid_ident_normalize(holder, norm)) {
        int src = yw_sup__creditset_may_have(c, norm, &may);
        if (src)
            return src;
        if (!may)
            return YW_ENOTFOUND; /* no record, so no fast-track rule applies */
    }
    char today[11];
    today_text(today);
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT u.id, u.note, r.id, r.category FROM sup_credit_rules u JOIN sup_credit_records r "
        "ON r.kind = u.record_kind AND (u.category = '' OR u.category = r.category) WHERE "
        "u.measure = 'fast_track' AND u.target_kind = 'item' AND u.target = ? AND u.material = ? "
        "AND r.subject_ident = ? AND r.status = 'active' AND r.valid_from <= ? AND (r.valid_to = '' "
        "OR r.valid_to >= ?) ORDER BY u.id",
        "sssss", item_code ? item_code : "", material_code ? material_code : "",
        holder ? holder : "", today, today);
    if (rc)
        return rc; /* YW_ENOTFOUND: no rule lets it come later */
    *why = json_pack("{s:s, s:I, s:s, s:I, s:s}", "why", "fast_track", "rule",
                     (json_int_t)yw_db_col_int(s, 0), "note", yw_db_col_text(s, 1), "record",
                     (json_int_t)yw_db_col_int(s, 2), "category", yw_db_col_text(s, 3));
    yw_db_reset(s);
    return 0;
}

void
yw_sup__credit_register(void)
{
    static bool metrics_added; /* init may run again in one process (tests) */
    if (!metrics_added) {
        yw_metrics_add_source(check_metrics, NULL);
        metrics_added = true;
    }
    yw_provider_add_waiver("supervision", waiver, NULL);
    yw_events_subscribe(YW_EV_CASE_SUBMITTED, on_case, NULL);
    yw_events_subscribe(YW_EV_CASE_ACCEPTED, on_case, NULL);
}
