/*
 * records.c - ingestion: a row checked against its resource's data items
 * (type, required, the subject key's GB 11643 / GB 32100 checksum), upserted
 * by subject and record key under a batch that counts what was kept and
 * refused; and the CSV of an open resource.  Used by `ywtb import data`
 * (import.c) and by departments' pushes over the API (routes.c).
 */
#include "datahub/internal.h"

#include "core/calendar.h"
#include "core/cnid.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number written as text (CSV): the whole string is one JSON number. */
static json_t *
number_of(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 40)
        return NULL;
    char *end = NULL;
    long long i = strtoll(s, &end, 10);
    if (*end == '\0')
        return json_integer(i);
    double d = strtod(s, &end);
    if (*end == '\0' && d == d)
        return json_real(d);
    return NULL;
}

int
yw_dh__row_check(const struct yw_dh_res *r, json_t *row, struct yw_arena *a, json_t **data,
                 const char **subject, const char **record_key, struct yw_err *err)
{
    *data = NULL;
    if (!json_is_object(row))
        return yw_fail(err, YW_EFIELD, "", "a record is an object of data items");
    const char *k;
    json_t *v;
    json_object_foreach(row, k, v) if (yw_dh__res_field(r, k) == NULL) return yw_fail(
        err, YW_EUNKNOWN, k, "resource '%s' has no data item '%.40s'", r->code, k);
    json_t *out = json_object();
    size_t i;
    json_t *f;
    const char *subj = "", *rkey = "";
    json_array_foreach(r->fields, i, f)
    {
        const char *key = json_string_value(json_object_get(f, "key"));
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *name = json_string_value(json_object_get(f, "name"));
        v = json_object_get(row, key);
        bool empty =
            v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
        bool needed = json_is_true(json_object_get(f, "required")) ||
                      !strcmp(key, r->subject_field) || !strcmp(key, r->record_key);
        if (empty) {
            if (needed) {
                json_decref(out);
                return yw_fail(err, YW_EMISSING, key, "%s (%s) is required", name, key);
            }
            continue;
        }
        int rc = 0;
        if (!strcmp(type, "number")) {
            json_t *n = json_is_number(v)
                            ? json_incref(v)
                            : number_of(json_is_string(v) ? json_string_value(v) : NULL);
            if (n == NULL)
                rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be a number", name, key);
            else
                json_object_set_new(out, key, n);
        } else if (!json_is_string(v) ||
                   !yw_utf8_valid(json_string_value(v), json_string_length(v)) ||
                   yw_utf8_len(json_string_value(v), json_string_length(v)) > 1000) {
            rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be text of at most 1000 characters",
                         name, key);
        } else {
            const char *sv = json_string_value(v);
            char norm[19] = "";
            int64_t day;
            if (!strcmp(type, "date") && yw_cal_parse_day(sv, &day) != 0) {
                rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be a date like 2026-09-24", name,
                             key);
            } else if (!strcmp(type, "id_number")) {
                struct yw_cnid_person p;
                if ((rc = yw_cnid_check_id(sv, strlen(sv), &p, err)) == 0)
                    memcpy(norm, p.id, sizeof norm); /* GB 11643-1999 */
                else
                    snprintf(err->field, sizeof err->field, "%s", key);
            } else if (!strcmp(type, "uscc")) {
                struct yw_cnid_org o;
                if ((rc = yw_cnid_check_uscc(sv, strlen(sv), &o, err)) == 0)
                    memcpy(norm, o.code, sizeof norm); /* GB 32100-2015 */
                else
                    snprintf(err->field, sizeof err->field, "%s", key);
            } else if (!strcmp(type, "phone") && !yw_cnid_mobile_ok(sv) &&
                       (sv[0] != '0' || strlen(sv) < 10 || strlen(sv) > 20)) {
                rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be a phone number", name, key);
            }
            if (rc == 0)
                json_object_set_new(out, key, json_string(norm[0] ? norm : sv));
        }
        if (rc) {
            json_decref(out);
            return rc;
        }
        if (!strcmp(key, r->subject_field))
            subj = json_string_value(json_object_get(out, key));
        if (!strcmp(key, r->record_key)) {
            json_t *kv = json_object_get(out, key);
            rkey = json_is_string(kv)
                       ? json_string_value(kv)
                       : yw_arena_printf(a, "%lld", (long long)json_integer_value(kv));
        }
    }
    *subject = yw_arena_strdup(a, subj);
    *record_key = yw_arena_strdup(a, rkey);
    *data = out;
    return 0;
}

int
yw_dh__batch_open(struct yw_dbc *c, const struct yw_dh_res *r, const char *source,
                  const char *actor, const char *idem, const char *req_hash, int64_t *id)
{
    char now[32];
    yw_dh__now(now);
    return yw_db_one_int(
        c, id,
        "INSERT INTO dh_batches (resource_id, source, actor, idem_key, req_hash, at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        "isssss", r->id, source, actor, idem, req_hash ? req_hash : "", now);
}

int
yw_dh__batch_find(struct yw_dbc *c, const struct yw_dh_res *r, const char *idem, json_t **result,
                  char req_hash[65])
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(
        c, &s, "SELECT result, req_hash FROM dh_batches WHERE resource_id = ? AND idem_key = ?",
        "is", r->id, idem);
    if (rc)
        return rc;
    snprintf(req_hash, 65, "%s", yw_db_col_text(s, 1));
    *result = json_loads(yw_db_col_text(s, 0), 0, NULL);
    yw_db_reset(s);
    return *result ? 0 : YW_EDB;
}

int
yw_dh__row_put(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch, const char *subject,
               const char *record_key, json_t *data, const char *text, const char *at)
{
    char now[32];
    if (at == NULL)
        yw_dh__now(now);
    char *d = text ? NULL : json_dumps(data, JSON_COMPACT);
    int rc = yw_db_run(c,
                       "INSERT INTO dh_records (resource_id, subject, record_key, data, batch_id, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (resource_id, subject, record_key) DO UPDATE SET "
                       "data = excluded.data, batch_id = excluded.batch_id, "
                       "updated_at = excluded.updated_at",
                       "isssis", r->id, subject, record_key, text ? text : d, batch, at ? at : now);
    free(d);
    return rc;
}

int
yw_dh__batch_close(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch, int64_t ok,
                   int64_t refused, json_t *result, const char *actor)
{
    char now[32];
    yw_dh__now(now);
    char *res = json_dumps(result, JSON_COMPACT);
    int rc =
        yw_db_run(c, "UPDATE dh_batches SET rows_ok = ?, rows_refused = ?, result = ? WHERE id = ?",
                  "iisi", ok, refused, res, batch);
    free(res);
    if (rc == 0)
        rc =
            yw_db_run(c,
                      "UPDATE dh_resources SET rows_refused = rows_refused + ?, last_import_at = ? "
                      "WHERE id = ?",
                      "isi", refused, now, r->id);
    if (rc)
        return rc;
    char sum[128];
    snprintf(sum, sizeof sum, "{\"batch\":%lld,\"rows\":%lld,\"refused\":%lld}", (long long)batch,
             (long long)ok, (long long)refused);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "data_officer",
                                                     .action = "datahub.import",
                                                     .obj_type = "data_resource",
                                                     .obj_id = r->code,
                                                     .summary = sum });
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
static void
csv_field(struct yw_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        yw_buf_adds(b, s);
        return;
    }
    yw_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            yw_buf_addc(b, '"');
        yw_buf_addc(b, *s);
    }
    yw_buf_addc(b, '"');
}

int
yw_dh__open_csv(struct yw_dbc *c, const struct yw_dh_res *r, char **out, size_t *len)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "\xEF\xBB\xBF"); /* a BOM: spreadsheets then read the Chinese right */
    size_t i;
    json_t *f;
    json_array_foreach(r->fields, i, f)
    {
        if (i)
            yw_buf_addc(&b, ',');
        csv_field(&b, json_string_value(json_object_get(f, "key")));
    }
    yw_buf_adds(&b, "\r\n");
    struct yw_stmt *s = yw_db_query(
        c, "SELECT data FROM dh_records WHERE resource_id = ? ORDER BY record_key, id", "i", r->id);
    if (s == NULL) {
        yw_buf_release(&b);
        return YW_EDB;
    }
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *d = json_loads(yw_db_col_text(s, 0), 0, NULL);
        json_array_foreach(r->fields, i, f)
        {
            if (i)
                yw_buf_addc(&b, ',');
            json_t *v = json_object_get(d, json_string_value(json_object_get(f, "key")));
            if (json_is_string(v))
                csv_field(&b, json_string_value(v));
            else if (json_is_integer(v))
                yw_buf_printf(&b, "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v))
                yw_buf_printf(&b, "%g", json_real_value(v));
        }
        yw_buf_adds(&b, "\r\n");
        json_decref(d);
    }
    if ((rc = yw_db_finish(s, rc))) {
        yw_buf_release(&b);
        return rc;
    }
    *len = b.n;
    *out = b.p; /* the buffer's memory passes to the caller */
    return 0;
}
