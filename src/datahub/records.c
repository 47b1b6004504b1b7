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

#include <pthread.h>
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

enum { T_TEXT, T_NUMBER, T_DATE, T_ID, T_USCC, T_PHONE };

int
yw_dh__spec_init(const struct yw_dh_res *r, struct yw_dh_spec *sp)
{
    sp->r = r;
    sp->n = json_array_size(r->fields);
    sp->f = yw_xcalloc(sp->n ? sp->n : 1, sizeof *sp->f);
    size_t i;
    json_t *f;
    json_array_foreach(r->fields, i, f)
    {
        struct yw_dh_spec_field *x = &sp->f[i];
        const char *type = json_string_value(json_object_get(f, "type"));
        x->key = json_string_value(json_object_get(f, "key"));
        x->name = json_string_value(json_object_get(f, "name"));
        x->type = !strcmp(type, "number")      ? T_NUMBER
                  : !strcmp(type, "date")      ? T_DATE
                  : !strcmp(type, "id_number") ? T_ID
                  : !strcmp(type, "uscc")      ? T_USCC
                  : !strcmp(type, "phone")     ? T_PHONE
                                               : T_TEXT;
        x->subject = !strcmp(x->key, r->subject_field);
        x->record_key = !strcmp(x->key, r->record_key);
        x->needed = json_is_true(json_object_get(f, "required")) || x->subject || x->record_key;
    }
    return 0;
}

void
yw_dh__spec_release(struct yw_dh_spec *sp)
{
    free(sp->f);
    sp->f = NULL;
}

/* Lazy checks stop here: the row needs normalising, so it is built. */
#define CHANGED 1

/* A row as check_row reads it: a parsed object, or a flat line's spans. */
struct view {
    json_t *row;
    const struct yw_dh_flat *flat;
};

/* One value of the row. */
struct val {
    bool present, null, str, num;
    const char *s; /* a string's bytes (a flat line's are not NUL-terminated) */
    size_t n;
    json_t *j; /* parsed rows: the value */
};

static struct val
view_get(const struct view *w, const char *key)
{
    struct val v = { 0 };
    if (w->flat) {
        size_t kl = strlen(key);
        for (size_t i = 0; i < w->flat->n; i++) {
            const struct yw_dh_flat_kv *kv = &w->flat->kv[i];
            if (kv->klen == kl && !memcmp(kv->key, key, kl)) {
                v.present = true;
                v.null = kv->null;
                v.str = !kv->null;
                v.s = kv->val;
                v.n = kv->vlen;
                break;
            }
        }
        return v;
    }
    json_t *j = json_object_get(w->row, key);
    if (j == NULL)
        return v;
    v.present = true;
    v.j = j;
    v.null = json_is_null(j);
    v.num = json_is_number(j);
    v.str = json_is_string(j);
    if (v.str) {
        v.s = json_string_value(j);
        v.n = json_string_length(j);
    }
    return v;
}

/* A key of the row that is not a data item of sp, or NULL (copied into a). */
static const char *
unknown_key(const struct yw_dh_spec *sp, const struct view *w, struct yw_arena *a)
{
    if (w->flat) {
        for (size_t i = 0; i < w->flat->n; i++) {
            const struct yw_dh_flat_kv *kv = &w->flat->kv[i];
            bool known = false;
            for (size_t k = 0; k < sp->n && !known; k++)
                known = strlen(sp->f[k].key) == kv->klen && !memcmp(sp->f[k].key, kv->key, kv->klen);
            if (!known)
                return yw_arena_strndup(a, kv->key, kv->klen);
        }
        return NULL;
    }
    const char *k;
    json_t *v;
    json_object_foreach(w->row, k, v)
    {
        bool known = false;
        for (size_t i = 0; i < sp->n && !known; i++)
            known = !strcmp(sp->f[i].key, k);
        if (!known)
            return k;
    }
    return NULL;
}

/* Check a row against sp.  out NULL: check only, returning CHANGED as soon
 * as a value would be stored otherwise than it came (an empty item dropped, a
 * number written as text, a subject key normalised) or, for a flat line, a
 * value needs the parser's eye (UTF-8); else build the stored object into
 * out (parsed rows only). */
static int
check_row(const struct yw_dh_spec *sp, const struct view *w, struct yw_arena *a, json_t *out,
          const char **subject, const char **record_key, struct yw_err *err)
{
    const struct yw_dh_res *r = sp->r;
    if (w->flat == NULL && !json_is_object(w->row))
        return yw_fail(err, YW_EFIELD, "", "a record is an object of data items");
    const char *unknown = unknown_key(sp, w, a);
    if (unknown && w->flat && !yw_utf8_valid(unknown, strlen(unknown)))
        return out ? YW_EFIELD : CHANGED; /* the parser says what is wrong with it */
    if (unknown)
        return yw_fail(err, YW_EUNKNOWN, unknown, "resource '%s' has no data item '%.40s'",
                       r->code, unknown);
    const char *subj = "", *rkey = "";
    for (size_t i = 0; i < sp->n; i++) {
        const struct yw_dh_spec_field *f = &sp->f[i];
        const char *key = f->key, *name = f->name;
        struct val v = view_get(w, key);
        bool empty = !v.present || v.null || (v.str && v.n == 0);
        if (empty) {
            if (f->needed)
                return yw_fail(err, YW_EMISSING, key, "%s (%s) is required", name, key);
            if (v.present && out == NULL)
                return CHANGED; /* an empty item is not stored */
            continue;
        }
        int rc = 0;
        json_t *stored = NULL; /* built mode: the value stored */
        const char *sv = NULL; /* the text value, NUL-terminated */
        if (f->type == T_NUMBER) {
            if (!v.num && out == NULL)
                return CHANGED;
            json_t *n = v.num ? json_incref(v.j) : number_of(v.str ? v.s : NULL);
            if (n == NULL)
                return yw_fail(err, YW_EFIELD, key, "%s (%s) must be a number", name, key);
            if (out) {
                json_object_set_new(out, key, n);
                stored = n;
            } else {
                json_decref(n);
            }
        } else if (!v.str) {
            return yw_fail(err, YW_EFIELD, key, "%s (%s) must be text of at most 1000 characters",
                           name, key);
        } else {
            /* parsed strings are valid UTF-8 (jansson); a flat line's are checked here,
             * and one that is not goes to the parser, which says why */
            if (w->flat && !yw_utf8_valid(v.s, v.n))
                return CHANGED;
            if (v.n > 1000 && yw_utf8_len(v.s, v.n) > 1000)
                return yw_fail(err, YW_EFIELD, key,
                               "%s (%s) must be text of at most 1000 characters", name, key);
            bool typed = f->type != T_TEXT || f->subject || f->record_key;
            sv = w->flat ? (typed ? yw_arena_strndup(a, v.s, v.n) : NULL) : v.s;
            char norm[19] = "";
            int64_t day;
            if (f->type == T_DATE && yw_cal_parse_day(sv, &day) != 0) {
                rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be a date like 2026-09-24", name,
                             key);
            } else if (f->type == T_ID) {
                struct yw_cnid_person p;
                if ((rc = yw_cnid_check_id(sv, v.n, &p, err)) == 0)
                    memcpy(norm, p.id, sizeof norm); /* GB 11643-1999 */
                else
                    snprintf(err->field, sizeof err->field, "%s", key);
            } else if (f->type == T_USCC) {
                struct yw_cnid_org o;
                if ((rc = yw_cnid_check_uscc(sv, v.n, &o, err)) == 0)
                    memcpy(norm, o.code, sizeof norm); /* GB 32100-2015 */
                else
                    snprintf(err->field, sizeof err->field, "%s", key);
            } else if (f->type == T_PHONE && !yw_cnid_mobile_ok(sv) &&
                       (sv[0] != '0' || v.n < 10 || v.n > 20)) {
                rc = yw_fail(err, YW_EFIELD, key, "%s (%s) must be a phone number", name, key);
            }
            if (rc)
                return rc;
            if (norm[0] && strcmp(norm, sv) != 0 && out == NULL)
                return CHANGED;
            if (out) {
                stored = json_string(norm[0] ? norm : sv);
                json_object_set_new(out, key, stored);
                sv = json_string_value(stored);
            }
        }
        if (f->subject)
            subj = sv ? sv : "";
        if (f->record_key)
            rkey = sv ? sv
                 : stored ? yw_arena_printf(a, "%lld", (long long)json_integer_value(stored))
                          : yw_arena_printf(a, "%lld", (long long)json_integer_value(v.j));
    }
    *subject = yw_arena_strdup(a, subj);
    *record_key = yw_arena_strdup(a, rkey);
    return 0;
}

int
yw_dh__row_check_flat(const struct yw_dh_spec *sp, const struct yw_dh_flat *fl, struct yw_arena *a,
                      const char **subject, const char **record_key, struct yw_err *err)
{
    struct view w = { .row = NULL, .flat = fl };
    return check_row(sp, &w, a, NULL, subject, record_key, err);
}

int
yw_dh__row_check_spec(const struct yw_dh_spec *sp, json_t *row, struct yw_arena *a, json_t **data,
                      const char **subject, const char **record_key, struct yw_err *err)
{
    *data = NULL;
    struct view w = { .row = row, .flat = NULL };
    int rc = check_row(sp, &w, a, NULL, subject, record_key, err);
    if (rc == 0) { /* stored as it came: the row itself */
        *data = json_incref(row);
        return 0;
    }
    if (rc != CHANGED)
        return rc;
    json_t *out = json_object();
    if ((rc = check_row(sp, &w, a, out, subject, record_key, err))) {
        json_decref(out);
        return rc;
    }
    *data = out;
    return 0;
}

int
yw_dh__row_check(const struct yw_dh_res *r, json_t *row, struct yw_arena *a, json_t **data,
                 const char **subject, const char **record_key, struct yw_err *err)
{
    struct yw_dh_spec sp;
    *data = NULL;
    int rc = yw_dh__spec_init(r, &sp);
    if (rc == 0)
        rc = yw_dh__row_check_spec(&sp, row, a, data, subject, record_key, err);
    yw_dh__spec_release(&sp);
    return rc;
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

/* The upsert of YW_DH_GROUP rows in one statement, built once. */
static char group_sql[256 + YW_DH_GROUP * 24];
static pthread_once_t group_once = PTHREAD_ONCE_INIT;

static void
group_sql_build(void)
{
    size_t n = (size_t)snprintf(group_sql, sizeof group_sql,
                                "INSERT INTO dh_records (resource_id, subject, record_key, data, "
                                "batch_id, updated_at) VALUES ");
    for (int i = 0; i < YW_DH_GROUP; i++)
        n += (size_t)snprintf(group_sql + n, sizeof group_sql - n, "%s(?, ?, ?, ?, ?, ?)",
                              i ? ", " : "");
    snprintf(group_sql + n, sizeof group_sql - n,
             " ON CONFLICT (resource_id, subject, record_key) DO UPDATE SET "
             "data = excluded.data, batch_id = excluded.batch_id, "
             "updated_at = excluded.updated_at");
}

int
yw_dh__rows_put(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch,
                const struct yw_dh_put *rows, size_t n, const char *at)
{
    if (n < YW_DH_GROUP) { /* the tail of a transaction: one statement a row */
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = yw_dh__row_put(c, r, batch, rows[i].subject, rows[i].record_key, NULL,
                                rows[i].text, at);
        return rc;
    }
    pthread_once(&group_once, group_sql_build);
    struct yw_stmt *s = yw_db_prepare(c, group_sql);
    if (s == NULL)
        return YW_EDB;
    for (size_t i = 0; i < YW_DH_GROUP; i++) {
        int p = (int)i * 6;
        yw_db_bind_int(s, p + 1, r->id);
        yw_db_bind_text(s, p + 2, rows[i].subject, (size_t)-1);
        yw_db_bind_text(s, p + 3, rows[i].record_key, (size_t)-1);
        yw_db_bind_text(s, p + 4, rows[i].text, rows[i].len);
        yw_db_bind_int(s, p + 5, batch);
        yw_db_bind_text(s, p + 6, at, (size_t)-1);
    }
    int rc = yw_db_step(s);
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : rc < 0 ? rc : YW_EDB;
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
