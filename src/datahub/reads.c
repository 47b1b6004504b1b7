/*
 * reads.c - reading a subject's data with a purpose, and the ledger
 * (用数记录).  Every read of a person's or a company's records - a staff
 * member's, a department system's, a form's prefill - appends its ledger
 * entry in the same transaction as the read, before the answer is built, so
 * no answer leaves the hub without its entry (the routes run on the group
 * commit, db/batch.h, so entries share durable commits).  The model is
 * Estonia's Data Tracker, here for every read by construction.
 */
#include "datahub/internal.h"

#include "catalog/catalog.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/provider.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const PURPOSES[] = { "case",      "service", "inspection", "investigation",
                                        "emergency", "prefill", NULL };

int
yw_dh__purpose_check(const struct yw_dh_reader *rd, struct yw_err *err)
{
    const char *p = rd->purpose_code;
    bool known = false;
    for (int i = 0; PURPOSES[i]; i++)
        if (p && !strcmp(p, PURPOSES[i]) && strcmp(p, "prefill") != 0)
            known = true;
    if (p == NULL || *p == '\0')
        return yw_fail(err, YW_EMISSING, "purpose",
                       "every read states its purpose: case (with case_no), service, inspection, "
                       "investigation or emergency");
    if (!known)
        return yw_fail(err, YW_EFIELD, "purpose",
                       "purpose is case, service, inspection, investigation or emergency");
    if (!strcmp(p, "case") &&
        (rd->case_no == NULL || strlen(rd->case_no) < 4 || strlen(rd->case_no) > 40))
        return yw_fail(err, YW_EMISSING, "case_no", "a read for a case names its case number");
    if (strcmp(p, "case") != 0 &&
        (rd->purpose_text == NULL || yw_utf8_len(rd->purpose_text, strlen(rd->purpose_text)) < 2))
        return yw_fail(err, YW_EMISSING, "purpose_text", "say what the read is for");
    if (rd->purpose_text && yw_utf8_len(rd->purpose_text, strlen(rd->purpose_text)) > 200)
        return yw_fail(err, YW_EFIELD, "purpose_text", "purpose_text has at most 200 characters");
    if (rd->sealed_until && rd->sealed_until[0]) {
        int64_t day, today = yw_cal_day_of_ms(yw_clock_now_ms());
        if (strcmp(p, "investigation") != 0)
            return yw_fail(err, YW_EFIELD, "sealed_until", "only an investigation seals its reads");
        if (yw_cal_parse_day(rd->sealed_until, &day) != 0 || day <= today || day > today + 366)
            return yw_fail(err, YW_EFIELD, "sealed_until",
                           "sealed_until is a date within a year from tomorrow");
        if (rd->seal_basis == NULL || yw_utf8_len(rd->seal_basis, strlen(rd->seal_basis)) < 2 ||
            strlen(rd->seal_basis) > 600)
            return yw_fail(err, YW_EMISSING, "seal_basis", "a sealed read names its legal basis");
    }
    return 0;
}

/* The ledger entry's INSERT, its bind format and arguments (fs: the fields
 * as JSON text, now: the time), shared by the entry alone and by the read
 * that writes it in the statement that reads the records (PostgreSQL). */
#define LEDGER_INSERT                                                                              \
    "INSERT INTO dh_ledger (subject, resource_code, resource_name, owner_dept, reader_kind, "      \
    "reader_dept, reader, reader_name, fields, purpose_code, purpose_text, case_no, "              \
    "item_code, sealed_until, seal_basis, at) "                                                    \
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define LEDGER_FMT "ssssssssssssssss"
#define LEDGER_ARGS(r, subject, rd, fs, now)                                                       \
    (subject), (r)->code, (r)->name, (r)->dept, (rd)->kind, (rd)->dept, (rd)->login,               \
        (rd)->name ? (rd)->name : "", (fs), (rd)->purpose_code,                                    \
        (rd)->purpose_text ? (rd)->purpose_text : "", (rd)->case_no ? (rd)->case_no : "",          \
        (rd)->item_code ? (rd)->item_code : "", (rd)->sealed_until ? (rd)->sealed_until : "",      \
        (rd)->seal_basis ? (rd)->seal_basis : "", (now)

int
yw_dh__ledger_add(struct yw_dbc *c, const struct yw_dh_res *r, const char *subject,
                  const struct yw_dh_reader *rd, json_t *fields, int64_t *id)
{
    char now[32];
    yw_dh__now(now);
    char *fs = json_dumps(fields, JSON_COMPACT);
    int rc = yw_db_one_int(c, id, LEDGER_INSERT " RETURNING id", LEDGER_FMT,
                           LEDGER_ARGS(r, subject, rd, fs, now));
    free(fs);
    return rc;
}

json_t *
yw_dh__mask(json_t *v)
{
    if (!json_is_string(v))
        return json_string("***");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 18) {
        char m[19];
        yw_cnid_mask_id(s, m);
        return json_string(m);
    }
    if (yw_cnid_mobile_ok(s)) {
        char m[YW_CNID_PHONE_MASK];
        yw_cnid_mask_phone(s, m);
        return json_string(m);
    }
    size_t chars = yw_utf8_len(s, n);
    struct yw_buf b;
    yw_buf_init(&b);
    size_t first = yw_utf8_prefix(s, n, 1);
    yw_buf_add(&b, s, first);
    for (size_t i = 1; i < chars - (chars > 2 ? 1 : 0) && i < 12; i++)
        yw_buf_addc(&b, '*');
    if (chars > 2) {
        size_t last = yw_utf8_prefix(s, n, chars - 1);
        yw_buf_add(&b, s + last, n - last);
    }
    yw_buf_addc(&b, '\0');
    json_t *o = json_string(b.p);
    yw_buf_release(&b);
    return o;
}

/* The subject key as stored: normalised, of the resource's kind. */
static int
subject_norm(const struct yw_dh_res *r, const char *subject, char out[19], struct yw_err *err)
{
    if (!strcmp(r->subject_kind, "none"))
        return yw_fail(err, YW_EFIELD, "subject", "resource '%s' has no subjects", r->code);
    if (subject == NULL || strlen(subject) > 40)
        return yw_fail(err, YW_EFIELD, "subject", "the subject is an ID number or a credit code");
    int rc;
    if (!strcmp(r->subject_kind, "person")) {
        struct yw_cnid_person p;
        if ((rc = yw_cnid_check_id(subject, strlen(subject), &p, err)))
            return rc;
        memcpy(out, p.id, 19);
    } else {
        struct yw_cnid_org o;
        if ((rc = yw_cnid_check_uscc(subject, strlen(subject), &o, err)))
            return rc;
        memcpy(out, o.code, 19);
    }
    snprintf(err->field, sizeof err->field, "subject");
    return 0;
}

/* The current row of s from column col0 on (record_key, data, updated_at)
 * as a record: only `fields`, `masked` ones masked. */
static json_t *
record_json(struct yw_stmt *s, int col0, json_t *fields, json_t *masked)
{
    json_t *d = json_loads(yw_db_col_text(s, col0 + 1), 0, NULL), *data = json_object();
    size_t i;
    json_t *k;
    json_array_foreach(fields, i, k)
    {
        json_t *v = json_object_get(d, json_string_value(k));
        if (v == NULL)
            continue;
        json_object_set_new(data, json_string_value(k),
                            masked && yw_dh__str_in(masked, json_string_value(k))
                                ? yw_dh__mask(v)
                                : json_incref(v));
    }
    json_decref(d);
    return json_pack("{s:s, s:o, s:s}", "record_key", yw_db_col_text(s, col0), "data", data,
                     "updated_at", yw_db_col_text(s, col0 + 2));
}

/* The remaining rows of s as records (record_json), appended to list; a row
 * whose record_key is NULL (the ledger's row without records) is skipped.
 * The list, or NULL (released) when the read fails. */
static json_t *
records_rows(struct yw_stmt *s, int col0, json_t *fields, json_t *masked, json_t *list)
{
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        if (!yw_db_col_null(s, col0))
            json_array_append_new(list, record_json(s, col0, fields, masked));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

#define RECORDS_OF                                                                                 \
    "SELECT record_key, data, updated_at, id FROM dh_records WHERE resource_id = ? AND "           \
    "subject = ? ORDER BY updated_at DESC, id DESC LIMIT 200"

/* The ledger entry of a read of subject's records of r, then the records
 * (only `fields`, `masked` ones masked) into *recs.  On PostgreSQL one
 * statement does both - the INSERT in a WITH, the records joined to the row
 * it returns - so a read costs one round trip here instead of two; on SQLite
 * (no INSERT in a WITH, and no round trips) two statements.  Either way the
 * entry is in the caller's transaction, written before the answer exists. */
static int
ledger_and_records(struct yw_dbc *c, const struct yw_dh_res *r, const char *subject,
                   const struct yw_dh_reader *rd, json_t *fields, json_t *masked,
                   int64_t *ledger_id, json_t **recs)
{
    *recs = NULL;
    if (yw_db_engine(yw_dbc_db(c)) != YW_DB_PG) {
        int rc = yw_dh__ledger_add(c, r, subject, rd, fields, ledger_id);
        if (rc)
            return rc;
        struct yw_stmt *s = yw_db_query(c, RECORDS_OF, "is", r->id, subject);
        if (s == NULL || (*recs = records_rows(s, 0, fields, masked, json_array())) == NULL)
            return YW_EDB;
        return 0;
    }
    char now[32];
    yw_dh__now(now);
    char *fs = json_dumps(fields, JSON_COMPACT);
    struct yw_stmt *s = yw_db_query(
        c,
        "WITH l AS (" LEDGER_INSERT " RETURNING id) "
        "SELECT l.id, x.record_key, x.data, x.updated_at FROM l LEFT JOIN LATERAL (" RECORDS_OF
        ") x ON true ORDER BY x.updated_at DESC, x.id DESC",
        LEDGER_FMT "is", LEDGER_ARGS(r, subject, rd, fs, now), r->id, subject);
    free(fs);
    if (s == NULL)
        return YW_EDB;
    /* the first row carries the entry's id (every row does) */
    int rc = yw_db_step(s);
    if (rc != YW_ROW) {
        yw_db_finish(s, rc);
        return YW_EDB;
    }
    *ledger_id = yw_db_col_int(s, 0);
    json_t *list = json_array();
    if (!yw_db_col_null(s, 1))
        json_array_append_new(list, record_json(s, 1, fields, masked));
    if ((*recs = records_rows(s, 1, fields, masked, list)) == NULL)
        return YW_EDB;
    return 0;
}

int
yw_dh__read_prepare(struct yw_dbc *c, const struct yw_dh_res *r, const struct yw_dh_grant_row *g,
                    const char *subject, const struct yw_dh_reader *rd, struct yw_dh_read *out,
                    struct yw_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = yw_dh__purpose_check(rd, err);
    if (rc || (rc = subject_norm(r, subject, out->subject, err)))
        return rc;
    struct yw_dh_access acc;
    struct yw_err why = { 0 };
    if (!yw_dh__scope_resource(rd->scopes, "read", r->code))
        return yw_fail(err, YW_EFORBIDDEN, "scope",
                       "此系统的令牌无权读取 '%s' / this system's token has no scope to read "
                       "'%s' (datahub.read[:code[.field]])",
                       r->code, r->code);
    if ((rc = yw_dh__access_with(c, r, rd->dept, g, &acc, &why)))
        return yw_fail(err, rc, "", "cannot read the grants of '%s'", r->code);
    if (!acc.allowed) {
        *err = why;
        return YW_EFORBIDDEN;
    }
    /* a department system: its token's scopes narrow the grant */
    if (yw_dh__scope_narrow(rd->scopes, r, &acc, err))
        return YW_EFORBIDDEN;
    struct yw_stmt *s = yw_db_query(c, RECORDS_OF, "is", r->id, out->subject);
    json_t *recs = s ? records_rows(s, 0, acc.fields, acc.masked, json_array()) : NULL;
    if (recs == NULL) {
        yw_dh__access_release(&acc);
        return yw_fail(err, YW_EDB, "", "cannot read the records of '%s'", r->code);
    }
    out->fields = acc.fields;
    out->masked = acc.masked;
    out->records = recs;
    return 0;
}

int
yw_dh__read_commit(struct yw_dbc *c, const struct yw_dh_res *r, const struct yw_dh_reader *rd,
                   struct yw_dh_read *rp)
{
    return yw_dh__ledger_add(c, r, rp->subject, rd, rp->fields, &rp->ledger_id);
}

json_t *
yw_dh__read_answer(const struct yw_dh_res *r, struct yw_dh_read *rp)
{
    json_t *out =
        json_pack("{s:s, s:s, s:s, s:O, s:O, s:O, s:I}", "resource", r->code, "resource_name",
                  r->name, "subject", rp->subject, "fields", rp->fields, "masked", rp->masked,
                  "records", rp->records, "ledger_id", (json_int_t)rp->ledger_id);
    yw_dh__read_release(rp);
    return out;
}

void
yw_dh__read_release(struct yw_dh_read *rp)
{
    json_decref(rp->fields);
    json_decref(rp->masked);
    json_decref(rp->records);
    rp->fields = rp->masked = rp->records = NULL;
}

/* source "RESOURCE.field": r and the field key (in a). */
static int
split_source(struct yw_dbc *c, struct yw_arena *a, const char *source, struct yw_dh_res *r,
             const char **field)
{
    const char *dot = source ? strchr(source, '.') : NULL;
    if (dot == NULL || dot == source || dot[1] == '\0' || dot - source > 32)
        return YW_ENOTFOUND;
    char code[33];
    snprintf(code, sizeof code, "%.*s", (int)(dot - source), source);
    int rc = yw_dh__res_get(c, a, code, r);
    if (rc)
        return rc;
    if (yw_dh__res_field(r, dot + 1) == NULL || !strcmp(r->subject_kind, "none"))
        return YW_ENOTFOUND;
    *field = dot + 1;
    return 0;
}

/* The newest record's value of `field` for holder; YW_ENOTFOUND when none. */
static int
value_of(struct yw_dbc *c, const struct yw_dh_res *r, const char *holder, const char *field,
         json_t **value)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT data FROM dh_records WHERE resource_id = ? AND subject = ? "
                           "ORDER BY updated_at DESC, id DESC",
                           "is", r->id, holder);
    if (rc)
        return rc;
    json_t *d = json_loads(yw_db_col_text(s, 0), 0, NULL);
    yw_db_reset(s);
    json_t *v = json_object_get(d, field);
    if (v == NULL || (!json_is_number(v) && !(json_is_string(v) && json_string_length(v)))) {
        json_decref(d);
        return YW_ENOTFOUND;
    }
    *value = json_incref(v);
    json_decref(d);
    return 0;
}

int
yw_dh__prefill_provider(struct yw_dbc *c, const char *holder, const char *source, json_t **value,
                        void *ctx)
{
    (void)ctx;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_dh_res r;
    const char *field = NULL;
    int rc = split_source(c, &a, source, &r, &field);
    if (rc == 0)
        rc = value_of(c, &r, holder, field, value);
    if (rc == 0 && yw_dbc_in_tx(c)) {
        /* the form is being submitted: the read is the applicant's service's */
        struct yw_dh_reader rd = { .kind = "prefill",
                                   .dept = r.dept,
                                   .login = holder,
                                   .name = "",
                                   .purpose_code = "prefill",
                                   .purpose_text = "表单预填 form prefill on submission" };
        int64_t id;
        json_t *fs = json_pack("[s]", field);
        int lrc = yw_dh__ledger_add(c, &r, holder, &rd, fs, &id);
        json_decref(fs);
        if (lrc == 0) /* case.submitted names the item and the case (submissions.c) */
            yw_dh__submission_note(c, id);
        if (lrc) {
            json_decref(*value);
            *value = NULL;
            rc = lrc;
        }
    }
    yw_arena_release(&a);
    return rc;
}

int
yw_dh__prefill_item(struct yw_dbc *c, struct yw_arena *a, const char *holder, const char *item_code,
                    json_t **out, struct yw_err *err)
{
    int64_t item_id;
    int version;
    json_t *doc = NULL;
    int rc = yw_catalog_item_current(c, item_code, &item_id, &version, &doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "item", "no service item '%.40s'", item_code);
    if (rc)
        return yw_fail(err, rc, "item", "cannot read service item '%.40s'", item_code);
    json_t *values = json_object(), *locked = json_array();
    const char *item_name = json_string_value(json_object_get(doc, "name"));
    const char *item_dept = json_string_value(json_object_get(doc, "dept"));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "form"), i, f)
    {
        const char *source = json_string_value(json_object_get(f, "prefill"));
        struct yw_dh_res r;
        const char *field = NULL;
        if (source == NULL || strchr(source, '.') == NULL)
            continue;
        rc = split_source(c, a, source, &r, &field);
        json_t *v = NULL;
        if (rc == 0)
            rc = value_of(c, &r, holder, field, &v);
        if (rc == YW_ENOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc)
            break;
        struct yw_dh_reader rd = {
            .kind = "prefill",
            .dept = item_dept ? item_dept : "",
            .login = holder,
            .name = "",
            .purpose_code = "prefill",
            .purpose_text = yw_arena_printf(a, "%s %s", item_code, item_name ? item_name : ""),
            .item_code = item_code,
        };
        int64_t id;
        json_t *fs = json_pack("[s]", field);
        rc = yw_dh__ledger_add(c, &r, holder, &rd, fs, &id);
        json_decref(fs);
        if (rc) {
            json_decref(v);
            break;
        }
        json_object_set_new(values, source, v);
        json_array_append(locked, json_object_get(f, "key"));
    }
    json_decref(doc);
    if (rc) {
        json_decref(values);
        json_decref(locked);
        return yw_fail(err, rc, "", "cannot read the prefill values");
    }
    *out = json_pack("{s:s, s:o, s:o}", "item", item_code, "values", values, "locked", locked);
    return 0;
}

int
yw_dh__read_file(struct yw_dbc *c, struct yw_arena *a, const char *subject,
                 const struct yw_dh_reader *rd, json_t **out, struct yw_err *err)
{
    char subj[19];
    int rc = yw_dh__purpose_check(rd, err);
    if (rc)
        return rc;
    if (subject == NULL || !yw_cnid_ident_normalize(subject, subj))
        return yw_fail(err, YW_EFIELD, "subject",
                       "the subject is a valid ID number or credit code");
    /* the resources that hold something about the subject */
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT code FROM dh_resources WHERE id IN (SELECT resource_id "
                                    "FROM dh_records WHERE subject = ?) ORDER BY code",
                                    "s", subj);
    if (s == NULL)
        return yw_fail(err, YW_EDB, "", "cannot read the subject's resources");
    json_t *codes = json_array();
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(codes, json_string(yw_db_col_text(s, 0)));
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(codes);
        return yw_fail(err, rc, "", "cannot read the subject's resources");
    }
    json_t *list = json_array();
    int64_t withheld = 0;
    size_t i;
    json_t *code;
    json_array_foreach(codes, i, code)
    {
        struct yw_dh_res r;
        struct yw_dh_grant_row g;
        struct yw_dh_access acc;
        struct yw_err why = { 0 };
        if ((rc = yw_dh__res_get_grant(c, a, json_string_value(code), rd->dept, &r, &g)) ||
            (rc = yw_dh__access_with(c, &r, rd->dept, &g, &acc, &why)))
            break;
        struct yw_err narrowed = { 0 };
        if (acc.allowed && yw_dh__scope_narrow(rd->scopes, &r, &acc, &narrowed))
            acc.allowed = false; /* a system's scopes do not cover it */
        if (!acc.allowed) {
            withheld++;
            continue;
        }
        int64_t lid = 0;
        json_t *recs = NULL;
        rc = ledger_and_records(c, &r, subj, rd, acc.fields, acc.masked, &lid, &recs);
        if (rc == 0)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:O, s:o, s:I}", "resource",
                                                  r.code, "resource_name", r.name, "dept", r.dept,
                                                  "fields", acc.fields, "records", recs,
                                                  "ledger_id", (json_int_t)lid));
        yw_dh__access_release(&acc);
        if (rc)
            break;
    }
    json_decref(codes);
    if (rc) {
        json_decref(list);
        return yw_fail(err, rc, "", "cannot read the subject's file");
    }
    *out = json_pack("{s:s, s:o, s:I}", "subject", subj, "resources", list, "withheld",
                     (json_int_t)withheld);
    return 0;
}
