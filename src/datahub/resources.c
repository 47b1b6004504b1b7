/*
 * resources.c - the data resource catalog (数据资源目录): what a resource is
 * (fields, share type, open type, update frequency, legal basis), who may
 * manage it, its versions and its quality figures.  Every change is audited
 * in the caller's transaction.
 */
#include "datahub/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

void
yw_dh__now(char buf[32])
{
    yw_db_now_text(buf);
}

const char *
yw_dh__today(char buf[11])
{
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), buf);
    return buf;
}

bool
yw_dh__str_in(json_t *array, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i,
                       v) if (json_is_string(v) && !strcmp(json_string_value(v), s)) return true;
    return false;
}

bool
yw_dh__may_manage(const struct yw_principal *who, const char *dept)
{
    if (who->roles & YW_ROLE_ADMIN)
        return true;
    if (!(who->roles & YW_ROLE_DATA_OFFICER))
        return false;
    return !strcmp(who->dept, dept) || !strcmp(who->dept, YW_DH_HUB_DEPT);
}

static void
json_release(void *p)
{
    json_decref((json_t *)p);
}

#define RES_COLS                                                                                   \
    "id, code, dept, name, name_en, description, subject_kind, subject_field, record_key, "        \
    "share_type, frequency, legal_basis, open, self_view, fields, version, rows_refused, "         \
    "last_import_at, created_at, updated_at"

static void
res_read(struct yw_stmt *s, struct yw_arena *a, struct yw_dh_res *r)
{
    r->id = yw_db_col_int(s, 0);
    const char **str[] = { &r->code,        &r->dept,         &r->name,          &r->name_en,
                           &r->description, &r->subject_kind, &r->subject_field, &r->record_key,
                           &r->share_type,  &r->frequency,    &r->legal_basis };
    for (int i = 0; i < 11; i++)
        *str[i] = yw_arena_strdup(a, yw_db_col_text(s, i + 1));
    r->open = yw_db_col_int(s, 12) != 0;
    r->self_view = yw_db_col_int(s, 13) != 0;
    r->fields = json_loads(yw_db_col_text(s, 14), 0, NULL);
    if (r->fields == NULL)
        r->fields = json_array();
    yw_arena_on_release(a, json_release, r->fields);
    r->version = yw_db_col_int(s, 15);
    r->rows_refused = yw_db_col_int(s, 16);
    r->last_import_at = yw_arena_strdup(a, yw_db_col_text(s, 17));
    r->created_at = yw_arena_strdup(a, yw_db_col_text(s, 18));
    r->updated_at = yw_arena_strdup(a, yw_db_col_text(s, 19));
}

int
yw_dh__res_get(struct yw_dbc *c, struct yw_arena *a, const char *code, struct yw_dh_res *out)
{
    memset(out, 0, sizeof *out);
    if (code == NULL || strlen(code) > 40)
        return YW_ENOTFOUND;
    struct yw_stmt *s = NULL;
    int rc =
        yw_db_one_row(c, &s, "SELECT " RES_COLS " FROM dh_resources WHERE code = ?", "s", code);
    if (rc)
        return rc;
    res_read(s, a, out);
    yw_db_reset(s);
    return 0;
}

int
yw_dh__res_get_grant(struct yw_dbc *c, struct yw_arena *a, const char *code, const char *dept,
                     struct yw_dh_res *out, struct yw_dh_grant_row *g)
{
    memset(out, 0, sizeof *out);
    memset(g, 0, sizeof *g);
    if (code == NULL || strlen(code) > 40)
        return YW_ENOTFOUND;
    char today[11];
    struct yw_stmt *s = NULL;
    /* the grant's columns are renamed in the derived table, so RES_COLS stay
     * unambiguous; without a grant the one row has NULLs there */
    int rc = yw_db_one_row(c, &s,
                           "SELECT " RES_COLS ", g.gid, g.gfields, g.gmasked FROM dh_resources "
                           "LEFT JOIN (SELECT id AS gid, resource_id AS gres, fields AS gfields, "
                           "masked AS gmasked FROM dh_grants WHERE dept = ? AND status = 'approved' "
                           "AND until_day >= ?) g ON g.gres = dh_resources.id "
                           "WHERE code = ? ORDER BY g.gid DESC LIMIT 1",
                           "sss", dept ? dept : "", yw_dh__today(today), code);
    if (rc)
        return rc;
    res_read(s, a, out);
    if (!yw_db_col_null(s, 20)) {
        g->found = true;
        g->id = yw_db_col_int(s, 20);
        g->fields = yw_arena_strdup(a, yw_db_col_text(s, 21));
        g->masked = yw_arena_strdup(a, yw_db_col_text(s, 22));
    }
    yw_db_reset(s);
    g->read = true;
    return 0;
}

json_t *
yw_dh__res_field(const struct yw_dh_res *r, const char *key)
{
    size_t i;
    json_t *f;
    json_array_foreach(r->fields, i,
                       f) if (!strcmp(json_string_value(json_object_get(f, "key")), key)) return f;
    return NULL;
}

/* How old data may be before the resource is stale, by update frequency. */
static int64_t
max_age_ms(const char *frequency)
{
    int64_t day = 86400000;
    if (!strcmp(frequency, "realtime"))
        return day;
    if (!strcmp(frequency, "daily"))
        return 2 * day;
    if (!strcmp(frequency, "monthly"))
        return 35 * day;
    return 400 * day;
}

json_t *
yw_dh__res_json(struct yw_dbc *c, const struct yw_dh_res *r, bool with_quality)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:O, s:I, s:s}", "code",
        r->code, "dept", r->dept, "name", r->name, "name_en", r->name_en, "description",
        r->description, "subject_kind", r->subject_kind, "subject_field", r->subject_field,
        "record_key", r->record_key, "share_type", r->share_type, "frequency", r->frequency,
        "legal_basis", r->legal_basis, "open", r->open, "self_view", r->self_view, "fields",
        r->fields, "version", (json_int_t)r->version, "updated_at", r->updated_at);
    if (!with_quality || c == NULL)
        return o;
    int64_t rows = 0, subjects = 0;
    struct yw_stmt *s = NULL;
    if (yw_db_one_row(
            c, &s, "SELECT COUNT(*), COUNT(DISTINCT subject) FROM dh_records WHERE resource_id = ?",
            "i", r->id) == 0) {
        rows = yw_db_col_int(s, 0);
        subjects = yw_db_col_int(s, 1);
        yw_db_reset(s);
    }
    const char *fresh = "never";
    int64_t at;
    if (r->last_import_at[0] && yw_clock_parse(r->last_import_at, &at) == 0)
        fresh = yw_clock_now_ms() - at <= max_age_ms(r->frequency) ? "fresh" : "stale";
    json_object_set_new(o, "quality",
                        json_pack("{s:I, s:I, s:I, s:s, s:s}", "rows", (json_int_t)rows, "subjects",
                                  (json_int_t)subjects, "rows_refused", (json_int_t)r->rows_refused,
                                  "last_import_at", r->last_import_at, "freshness", fresh));
    return o;
}

static bool
one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (s && !strcmp(s, *list))
            return true;
    return false;
}

static bool
key_ok(const char *k, size_t max)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > max || !(k[0] >= 'a' && k[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
            return false;
    return true;
}

static bool
code_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n < 2 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '-'))
            return false;
    return true;
}

static const char *
text(json_t *doc, const char *k, size_t max_chars, bool required, struct yw_err *err, int *rc)
{
    json_t *v = json_object_get(doc, k);
    if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        if (required)
            *rc = yw_fail(err, YW_EMISSING, k, "%s is required", k);
        return "";
    }
    if (!json_is_string(v) || !yw_utf8_valid(json_string_value(v), json_string_length(v)) ||
        yw_utf8_len(json_string_value(v), json_string_length(v)) > max_chars) {
        *rc = yw_fail(err, YW_EFIELD, k, "%s must be text of at most %zu characters", k, max_chars);
        return "";
    }
    return json_string_value(v);
}

static const char *const FIELD_TYPES[] = { "text", "number", "date", "id_number",
                                           "uscc", "phone",  NULL };

static int
check_fields(json_t *fields, json_t **out, struct yw_err *err)
{
    if (!json_is_array(fields) || json_array_size(fields) == 0 || json_array_size(fields) > 200)
        return yw_fail(err, YW_EFIELD, "fields", "fields must be a list of 1 to 200 data items");
    json_t *list = json_array();
    size_t i;
    json_t *f;
    int rc = 0;
    json_array_foreach(fields, i, f)
    {
        char where[64];
        snprintf(where, sizeof where, "fields[%zu]", i);
        if (!json_is_object(f)) {
            rc = yw_fail(err, YW_EFIELD, where, "a data item is an object");
            break;
        }
        const char *key = json_string_value(json_object_get(f, "key"));
        if (!key_ok(key, 32)) {
            rc = yw_fail(err, YW_EFIELD, where,
                         "a data item's key is 1-32 of a-z, 0-9 and _, starting with a letter");
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(list, j), "key")), key))
                rc = yw_fail(err, YW_EFIELD, where, "data item '%s' is listed twice", key);
        if (rc)
            break;
        const char *name = text(f, "name", 60, true, err, &rc);
        const char *name_en = text(f, "name_en", 100, false, err, &rc);
        if (rc) {
            snprintf(err->field, sizeof err->field, "%s", where);
            break;
        }
        const char *type = json_string_value(json_object_get(f, "type"));
        if (type == NULL)
            type = "text";
        if (!one_of(type, FIELD_TYPES)) {
            rc = yw_fail(err, YW_EFIELD, where,
                         "type is text, number, date, id_number, uscc or phone");
            break;
        }
        json_t *sens = json_object_get(f, "sensitivity");
        int64_t level = sens ? (json_is_integer(sens) ? json_integer_value(sens) : -1) : 1;
        if (level < 1 || level > 4) {
            rc = yw_fail(err, YW_EFIELD, where, "sensitivity is a level from 1 to 4");
            break;
        }
        json_t *masked = json_object_get(f, "masked"), *req = json_object_get(f, "required");
        if ((masked && !json_is_boolean(masked)) || (req && !json_is_boolean(req))) {
            rc = yw_fail(err, YW_EFIELD, where, "masked and required are true or false");
            break;
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:b}", "key", key,
                                              "name", name, "name_en", name_en, "type", type,
                                              "sensitivity", (json_int_t)level, "masked",
                                              json_is_true(masked), "required", json_is_true(req)));
    }
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

static const char *
field_type(json_t *fields, const char *key)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i,
                       f) if (!strcmp(json_string_value(json_object_get(f, "key")),
                                      key)) return json_string_value(json_object_get(f, "type"));
    return NULL;
}

int
yw_dh__res_check(json_t *doc, json_t **out, struct yw_err *err)
{
    static const char *const KINDS[] = { "person", "enterprise", "none", NULL };
    static const char *const SHARES[] = { "unconditional", "conditional", "none", NULL };
    static const char *const FREQS[] = { "realtime", "daily", "monthly", "yearly", NULL };
    int rc = 0;
    const char *code = text(doc, "code", 32, true, err, &rc);
    if (rc)
        return rc;
    if (!code_ok(code))
        return yw_fail(err, YW_EFIELD, "code", "code is 2-32 of A-Z, 0-9 and -");
    const char *dept = text(doc, "dept", 32, true, err, &rc);
    const char *name = text(doc, "name", 100, true, err, &rc);
    const char *name_en = text(doc, "name_en", 200, false, err, &rc);
    const char *desc = text(doc, "description", 1000, false, err, &rc);
    const char *basis = text(doc, "legal_basis", 500, true, err, &rc);
    const char *kind = text(doc, "subject_kind", 16, true, err, &rc);
    const char *share = text(doc, "share_type", 16, true, err, &rc);
    const char *freq = text(doc, "frequency", 16, true, err, &rc);
    const char *sfield = text(doc, "subject_field", 32, false, err, &rc);
    const char *rkey = text(doc, "record_key", 32, false, err, &rc);
    if (rc)
        return rc;
    if (!one_of(kind, KINDS))
        return yw_fail(err, YW_EFIELD, "subject_kind",
                       "subject_kind is person, enterprise or none");
    if (!one_of(share, SHARES))
        return yw_fail(err, YW_EFIELD, "share_type",
                       "share_type is unconditional, conditional or none");
    if (!one_of(freq, FREQS))
        return yw_fail(err, YW_EFIELD, "frequency",
                       "frequency is realtime, daily, monthly or yearly");
    json_t *open = json_object_get(doc, "open"), *self = json_object_get(doc, "self_view");
    if ((open && !json_is_boolean(open)) || (self && !json_is_boolean(self)))
        return yw_fail(err, YW_EFIELD, open && !json_is_boolean(open) ? "open" : "self_view",
                       "open and self_view are true or false");
    json_t *fields = NULL;
    if ((rc = check_fields(json_object_get(doc, "fields"), &fields, err)))
        return rc;
    const char *want = !strcmp(kind, "person")       ? "id_number"
                       : !strcmp(kind, "enterprise") ? "uscc"
                                                     : NULL;
    if (want) {
        const char *t = sfield[0] ? field_type(fields, sfield) : NULL;
        if (t == NULL || strcmp(t, want) != 0) {
            json_decref(fields);
            return yw_fail(err, YW_EFIELD, "subject_field",
                           "subject_field names the data item of type %s that holds the subject",
                           want);
        }
    } else if (sfield[0]) {
        json_decref(fields);
        return yw_fail(err, YW_EFIELD, "subject_field",
                       "a resource without subjects has no subject_field");
    }
    if (rkey[0] && field_type(fields, rkey) == NULL) {
        json_decref(fields);
        return yw_fail(err, YW_EFIELD, "record_key", "record_key names one of the data items");
    }
    if (json_is_true(open) && strcmp(kind, "none") != 0) {
        json_decref(fields);
        return yw_fail(
            err, YW_EFIELD, "open",
            "only a resource without personal subjects (subject_kind none) is open to the public");
    }
    *out =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "code",
                  code, "dept", dept, "name", name, "name_en", name_en, "description", desc,
                  "legal_basis", basis, "subject_kind", kind, "share_type", share, "frequency",
                  freq, "subject_field", sfield, "record_key", rkey, "open", json_is_true(open),
                  "self_view", self ? json_is_true(self) : 1, "fields", fields);
    return 0;
}

#define S(k) json_string_value(json_object_get(doc, k))

int
yw_dh__res_create(struct yw_dbc *c, json_t *doc, const char *actor, struct yw_err *err)
{
    char now[32];
    yw_dh__now(now);
    char *fields = json_dumps(json_object_get(doc, "fields"), JSON_COMPACT);
    int rc = yw_db_run(c,
                       "INSERT INTO dh_resources (code, dept, name, name_en, description, "
                       "subject_kind, subject_field, record_key, share_type, open, self_view, "
                       "frequency, legal_basis, fields, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "sssssssssddsssss", S("code"), S("dept"), S("name"), S("name_en"),
                       S("description"), S("subject_kind"), S("subject_field"), S("record_key"),
                       S("share_type"), json_is_true(json_object_get(doc, "open")) ? 1 : 0,
                       json_is_true(json_object_get(doc, "self_view")) ? 1 : 0, S("frequency"),
                       S("legal_basis"), fields, now, now);
    free(fields);
    if (rc == YW_ECONFLICT)
        return yw_fail(err, rc, "code", "resource '%s' exists already", S("code"));
    if (rc)
        return yw_fail(err, rc, "", "cannot store resource '%s'", S("code"));
    json_t *what = json_pack("{s:s, s:s}", "dept", S("dept"), "name", S("name"));
    char *sum = json_dumps(what, JSON_COMPACT);
    json_decref(what);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                   .role = "data_officer",
                                                   .action = "datahub.resource.create",
                                                   .obj_type = "data_resource",
                                                   .obj_id = S("code"),
                                                   .summary = sum });
    free(sum);
    return rc;
}

int
yw_dh__res_update(struct yw_dbc *c, const struct yw_dh_res *r, json_t *doc, const char *actor,
                  struct yw_err *err)
{
    char now[32];
    yw_dh__now(now);
    json_t *old = yw_dh__res_json(NULL, r, false);
    char *olds = json_dumps(old, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(old);
    int rc = yw_db_run(c,
                       "INSERT INTO dh_resource_versions (resource_id, version, doc, actor, at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       "iisss", r->id, r->version, olds, actor, now);
    free(olds);
    if (rc)
        return yw_fail(err, rc, "", "cannot keep version %lld of '%s'", (long long)r->version,
                       r->code);
    char *fields = json_dumps(json_object_get(doc, "fields"), JSON_COMPACT);
    rc = yw_db_run(
        c,
        "UPDATE dh_resources SET name = ?, name_en = ?, description = ?, "
        "subject_kind = ?, subject_field = ?, record_key = ?, share_type = ?, open = ?, "
        "self_view = ?, frequency = ?, legal_basis = ?, fields = ?, version = version + 1, "
        "updated_at = ? WHERE id = ?",
        "sssssssddssssi", S("name"), S("name_en"), S("description"), S("subject_kind"),
        S("subject_field"), S("record_key"), S("share_type"),
        json_is_true(json_object_get(doc, "open")) ? 1 : 0,
        json_is_true(json_object_get(doc, "self_view")) ? 1 : 0, S("frequency"), S("legal_basis"),
        fields, now, r->id);
    free(fields);
    if (rc)
        return yw_fail(err, rc, "", "cannot update resource '%s'", r->code);
    char sum[64];
    snprintf(sum, sizeof sum, "{\"version\":%lld}", (long long)r->version + 1);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "data_officer",
                                                     .action = "datahub.resource.update",
                                                     .obj_type = "data_resource",
                                                     .obj_id = r->code,
                                                     .summary = sum });
}
#undef S

json_t *
yw_dh__res_list(struct yw_dbc *c, const char *q, const char *dept, bool open_only, int64_t limit,
                int64_t offset)
{
    char like[260] = "%";
    if (q && *q) { /* at most 200 bytes of it, never half a character (PostgreSQL refuses those) */
        size_t n = strlen(q) > 200 ? yw_utf8_clip(q, 200) : strlen(q);
        snprintf(like, sizeof like, "%%%.*s%%", (int)n, q);
    }
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT " RES_COLS " FROM dh_resources WHERE (? = '' OR dept = ?) AND (? = 0 OR open = 1) "
        "AND (name LIKE ? OR code LIKE ? OR description LIKE ? OR fields LIKE ?) "
        "ORDER BY code LIMIT ? OFFSET ?",
        "ssdssssii", dept ? dept : "", dept ? dept : "", open_only ? 1 : 0, like, like, like, like,
        limit, offset);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_dh_res r;
        res_read(s, &a, &r);
        json_array_append_new(list, yw_dh__res_json(NULL, &r, false));
    }
    yw_arena_release(&a);
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}
