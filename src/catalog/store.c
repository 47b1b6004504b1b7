/*
 * store.c - writing the catalog: validating item documents, inserting item
 * versions with their materials, seeding from data/catalog, and the catalog
 * version that tells nodes to refresh their snapshot.
 *
 * An item version's document never changes once written (an edit is a new
 * row; only is_current moves), and a case flow reads its item version by id
 * five times (activation, the fee hold twice, the license, the delivery):
 * parsing the whole document each time was 14 % of a flow's CPU (callgrind,
 * docs/PERFORMANCE.md).  yw_catalog_item_by_id keeps the parsed documents of
 * recently read versions (ITEM_CACHE slots, by id) and hands out copies; the
 * row is still read, and its version, document length and English name
 * (a column, filled in place by `seed --catalog`) must match, so a row id
 * reused after a rolled-back insert is never served from the cache.
 */
#include "catalog/internal.h"

#include "core/utf8.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_CACHE 256 /* slots, direct-mapped by row id */

static const char *const item_types[] = { "行政许可", "行政处罚",     "行政强制", "行政征收",
                                          "行政给付", "行政检查",     "行政确认", "行政奖励",
                                          "行政裁决", "其他行政权力", "公共服务", NULL };
static const char *const field_types[] = { "text", "date",    "number", "choice", "id_number",
                                           "uscc", "address", "phone",  NULL };

static bool
in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

bool
yw_catalog_type_ok(const char *type)
{
    return type && in_list(type, item_types);
}

static int
need_str(json_t *o, const char *key, size_t max, const char *where, struct yw_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return yw_fail(err, YW_EFIELD, key, "%s: '%s' must be a string", where, key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!yw_utf8_valid(s, n) || yw_utf8_len(s, n) > max)
        return yw_fail(err, YW_EFIELD, key, "%s: '%s' must be valid text of at most %zu characters",
                       where, key, max);
    return 0;
}

static int
need_int(json_t *o, const char *key, json_int_t lo, json_int_t hi, const char *where,
         struct yw_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return yw_fail(err, YW_EFIELD, key, "%s: '%s' must be an integer from %lld to %lld", where,
                       key, (long long)lo, (long long)hi);
    return 0;
}

/* 0 when the query finds a row for key, YW_ENOTFOUND when it finds none, or
 * the read's error (with err filled): a code that cannot be checked is not
 * an "unknown" code. */
static int
exists(struct yw_dbc *c, const char *sql, const char *key, struct yw_err *err)
{
    int rc = yw_db_exists(c, sql, "s", key);
    if (rc == 0 || rc == YW_ENOTFOUND)
        return rc;
    return yw_fail(err, rc, "", "cannot check '%.40s' in the catalog", key);
}

#define DEPT_SQL  "SELECT 1 FROM departments WHERE code = ?"
#define LTYPE_SQL "SELECT 1 FROM license_types WHERE code = ?"

int
yw_catalog_item_validate(struct yw_dbc *c, json_t *item, struct yw_err *err)
{
    if (!json_is_object(item))
        return yw_fail(err, YW_EFIELD, "", "an item must be a JSON object");
    int rc;
    const char *code = json_string_value(json_object_get(item, "code"));
    char where[96];
    snprintf(where, sizeof where, "item '%.40s'", code ? code : "?");
    if ((rc = need_str(item, "code", 40, where, err)) ||
        (rc = need_str(item, "name", 100, where, err)) ||
        (rc = need_str(item, "dept", 32, where, err)) ||
        (rc = need_str(item, "type", 16, where, err)) ||
        (rc = need_str(item, "target", 16, where, err)) ||
        (rc = need_str(item, "legal_basis", 500, where, err)) ||
        (rc = need_int(item, "legal_days", 0, 3650, where, err)) ||
        (rc = need_int(item, "promised_days", 0, 3650, where, err)) ||
        (rc = need_int(item, "online_level", 1, 4, where, err)) ||
        (rc = need_int(item, "max_visits", 0, 9, where, err)))
        return rc;
    /* name_en, the English name, is optional here (an item without one is
     * shown by its Chinese name in both languages); the seed gives every
     * shipped item one (data/catalog/item_names_en.json) */
    json_t *name_en = json_object_get(item, "name_en");
    if (name_en && !json_is_null(name_en) && (rc = need_str(item, "name_en", 200, where, err)))
        return rc;
    if (code[0] == '\0')
        return yw_fail(err, YW_EFIELD, "code", "%s: the code is empty", where);
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              (*p >= 'a' && *p <= 'z')))
            return yw_fail(err, YW_EFIELD, "code", "%s: codes use letters, digits and '-'", where);
    if (!yw_catalog_type_ok(json_string_value(json_object_get(item, "type"))))
        return yw_fail(err, YW_EFIELD, "type", "%s: unknown item type", where);
    const char *target = json_string_value(json_object_get(item, "target"));
    if (strcmp(target, "person") && strcmp(target, "enterprise"))
        return yw_fail(err, YW_EFIELD, "target", "%s: target must be 'person' or 'enterprise'",
                       where);
    if (json_integer_value(json_object_get(item, "promised_days")) >
        json_integer_value(json_object_get(item, "legal_days")))
        return yw_fail(err, YW_EFIELD, "promised_days",
                       "%s: the promised limit exceeds the legal limit", where);
    if ((rc = exists(c, DEPT_SQL, json_string_value(json_object_get(item, "dept")), err)))
        return rc == YW_ENOTFOUND ? yw_fail(err, YW_EFIELD, "dept", "%s: unknown department", where)
                                  : rc;
    json_t *produces = json_object_get(item, "produces");
    if (produces && !json_is_null(produces)) {
        if (!json_is_string(produces))
            return yw_fail(err, YW_EFIELD, "produces", "%s: unknown license type", where);
        if (json_string_length(produces) &&
            (rc = exists(c, LTYPE_SQL, json_string_value(produces), err)))
            return rc == YW_ENOTFOUND
                       ? yw_fail(err, YW_EFIELD, "produces", "%s: unknown license type", where)
                       : rc;
    }

    json_t *rd = json_object_get(item, "review_depts");
    if (rd && !json_is_null(rd)) {
        size_t k;
        json_t *d;
        if (!json_is_array(rd) || json_array_size(rd) > 10)
            return yw_fail(err, YW_EFIELD, "review_depts",
                           "%s: review_depts must be a list of department codes", where);
        json_array_foreach(rd, k, d)
        {
            rc = json_is_string(d) ? exists(c, DEPT_SQL, json_string_value(d), err) : YW_ENOTFOUND;
            if (rc == YW_ENOTFOUND)
                return yw_fail(err, YW_EFIELD, "review_depts",
                               "%s: review_depts names an unknown department", where);
            if (rc)
                return rc;
        }
    }
    json_t *form = json_object_get(item, "form");
    if (form && !json_is_array(form))
        return yw_fail(err, YW_EFIELD, "form", "%s: form must be a list of fields", where);
    size_t i;
    json_t *f;
    json_array_foreach(form, i, f)
    {
        if ((rc = need_str(f, "key", 40, where, err)) ||
            (rc = need_str(f, "label", 100, where, err)) ||
            (rc = need_str(f, "type", 16, where, err)))
            return rc;
        /* label_en, the English label, is optional here (a field without one
         * is shown in Chinese in both languages); the seed requires it */
        json_t *en = json_object_get(f, "label_en");
        if (en && !json_is_null(en) && (rc = need_str(f, "label_en", 100, where, err)))
            return rc;
        if (!in_list(json_string_value(json_object_get(f, "type")), field_types))
            return yw_fail(err, YW_EFIELD, "form", "%s: form field '%s' has an unknown type", where,
                           json_string_value(json_object_get(f, "key")));
        if (!strcmp(json_string_value(json_object_get(f, "type")), "choice") &&
            !json_is_array(json_object_get(f, "options")))
            return yw_fail(err, YW_EFIELD, "form", "%s: choice field '%s' needs options", where,
                           json_string_value(json_object_get(f, "key")));
        /* options_en, the English texts of a choice field's options (same
         * length and order as options), is optional here like label_en; the
         * stored answer stays the Chinese option, only the display switches */
        json_t *oen = json_object_get(f, "options_en");
        if (oen && !json_is_null(oen)) {
            json_t *opts = json_object_get(f, "options"), *o;
            size_t k;
            int ok = json_is_array(oen) && json_is_array(opts) &&
                     json_array_size(oen) == json_array_size(opts);
            json_array_foreach(oen, k, o)
            {
                if (!ok)
                    break;
                ok = json_is_string(o) && json_string_length(o) > 0 &&
                     yw_utf8_valid(json_string_value(o), json_string_length(o)) &&
                     yw_utf8_len(json_string_value(o), json_string_length(o)) <= 100;
            }
            if (!ok)
                return yw_fail(
                    err, YW_EFIELD, "options_en",
                    "%s: form field '%s': options_en must list one English text (at most 100 characters) "
                    "per option, in the order of options",
                    where, json_string_value(json_object_get(f, "key")));
        }
    }
    json_t *mats = json_object_get(item, "materials");
    if (!json_is_array(mats))
        return yw_fail(err, YW_EFIELD, "materials", "%s: materials must be a list", where);
    json_t *m;
    json_array_foreach(mats, i, m)
    {
        if ((rc = need_str(m, "code", 40, where, err)) ||
            (rc = need_str(m, "name", 200, where, err)) ||
            (rc = need_str(m, "required", 16, where, err)))
            return rc;
        const char *req = json_string_value(json_object_get(m, "required"));
        if (strcmp(req, "required") && strcmp(req, "conditional"))
            return yw_fail(err, YW_EFIELD, "materials",
                           "%s: material 'required' must be required|conditional", where);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(mats, k), "code")),
                        json_string_value(json_object_get(m, "code"))))
                return yw_fail(err, YW_EFIELD, "materials", "%s: material code '%s' appears twice",
                               where, json_string_value(json_object_get(m, "code")));
        /* the English name and condition (issue 15), optional like name_en */
        json_t *men = json_object_get(m, "name_en"), *cen = json_object_get(m, "condition_en");
        if ((men && !json_is_null(men) && (rc = need_str(m, "name_en", 200, where, err))) ||
            (cen && !json_is_null(cen) && (rc = need_str(m, "condition_en", 200, where, err))))
            return rc;
        json_t *lt = json_object_get(m, "license_type");
        if (lt && !json_is_null(lt)) {
            rc = !json_is_string(lt)           ? YW_ENOTFOUND
                 : json_string_length(lt) == 0 ? 0
                                               : exists(c, LTYPE_SQL, json_string_value(lt), err);
            if (rc == YW_ENOTFOUND)
                return yw_fail(err, YW_EFIELD, "materials",
                               "%s: material '%s' names an unknown license type", where,
                               json_string_value(json_object_get(m, "code")));
            if (rc)
                return rc;
        }
    }
    return 0;
}

static void
add_text(struct yw_buf *b, json_t *v)
{
    if (json_is_string(v)) {
        yw_buf_adds(b, json_string_value(v));
        yw_buf_addc(b, ' ');
    }
}

int
yw_cat__insert_item(struct yw_dbc *c, json_t *doc, int version, const char *by, int64_t *id_out)
{
    struct yw_buf st;
    yw_buf_init(&st);
    add_text(&st, json_object_get(doc, "name"));
    add_text(&st, json_object_get(doc, "name_en"));
    add_text(&st, json_object_get(doc, "code"));
    add_text(&st, json_object_get(doc, "conditions"));
    add_text(&st, json_object_get(doc, "legal_basis"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "materials"), i, v)
        add_text(&st, json_object_get(v, "name"));
    json_array_foreach(json_object_get(doc, "steps"), i, v) add_text(&st, v);
    json_array_foreach(json_object_get(doc, "faqs"), i, v)
    {
        add_text(&st, json_object_get(v, "q"));
        add_text(&st, json_object_get(v, "a"));
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    char now[32];
    yw_db_now_text(now);
    const char *produces = json_string_value(json_object_get(doc, "produces"));
    int rc = YW_EDB;
    int64_t id = 0;
    if (text == NULL)
        goto out;
    json_t *rl = json_object_get(doc, "realname_level");
    rc = yw_db_one_int(
        c, &id,
        "INSERT INTO items (code, version, is_current, name, name_en, dept_code, type, target, legal_days, promised_days, "
        "online_level, max_visits, realname_level, produces, popularity, doc, search_text, created_at, created_by) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "sdsssssiiiiisissss", json_string_value(json_object_get(doc, "code")), version,
        json_string_value(json_object_get(doc, "name")),
        json_string_value(json_object_get(doc, "name_en")) ?: "",
        json_string_value(json_object_get(doc, "dept")),
        json_string_value(json_object_get(doc, "type")),
        json_string_value(json_object_get(doc, "target")),
        (int64_t)json_integer_value(json_object_get(doc, "legal_days")),
        (int64_t)json_integer_value(json_object_get(doc, "promised_days")),
        (int64_t)json_integer_value(json_object_get(doc, "online_level")),
        (int64_t)json_integer_value(json_object_get(doc, "max_visits")),
        (int64_t)(json_is_integer(rl) ? json_integer_value(rl) : 1), produces ? produces : "",
        (int64_t)json_integer_value(json_object_get(doc, "popularity")), text, st.p ? st.p : "",
        now, by);
    if (rc) {
        rc = rc == YW_ENOTFOUND ? YW_EDB : rc;
        goto out;
    }
    json_array_foreach(json_object_get(doc, "materials"), i, v)
    {
        const char *lt = json_string_value(json_object_get(v, "license_type"));
        rc = yw_db_run(
            c,
            "INSERT INTO item_materials (item_id, code, name, required, license_type, sort) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            "issssi", id, json_string_value(json_object_get(v, "code")),
            json_string_value(json_object_get(v, "name")),
            json_string_value(json_object_get(v, "required")), lt ? lt : "", (int64_t)i);
        if (rc)
            break;
    }
    if (rc == 0 && id_out)
        *id_out = id;
out:
    free(text);
    yw_buf_release(&st);
    return rc;
}

void
yw_cat__doc_name_en(json_t *doc, const char *name_en)
{
    if (json_is_object(doc) && name_en && name_en[0] && !json_object_get(doc, "name_en"))
        json_object_set_new(doc, "name_en", json_string(name_en));
}

int
yw_cat__bump(struct yw_dbc *c)
{
    int rc = yw_db_run(c, "UPDATE catalog_meta SET version = version + 1 WHERE id = 1", NULL);
    /* every other node rebuilds its snapshot before this change is answered
     * (snapshot.c); on SQLite nothing */
    return rc ? rc : yw_db_notify_sync(c, YW_CAT_CHANNEL, "");
}

int
yw_cat__meta_version(struct yw_dbc *c, int64_t *v)
{
    *v = 0;
    int rc = yw_db_one_int(c, v, "SELECT version FROM catalog_meta WHERE id = 1", NULL);
    return rc == YW_ENOTFOUND ? YW_EDB : rc;
}

static int item_doc(struct yw_dbc *c, int64_t id, int64_t version, int64_t len, const char *name_en,
                    bool shared, json_t **doc);

/* The document's length tells the cache below whether a version's document
 * was rewritten in place.  On PostgreSQL octet_length reads it from the
 * TOAST header; LENGTH counts the characters of the whole document, which
 * it must first decompress (a tenth of a submission's statement time). */
static bool
pg_engine(struct yw_dbc *c)
{
    return yw_db_engine(yw_dbc_db(c)) == YW_DB_PG;
}

/* The item row this thread last read inside a transaction, with the
 * transaction's number: a submission reads its item's current version, and
 * the subscribers of its event (payments' fees) read the same row by id in
 * the same transaction - one round trip to PostgreSQL less a submission.  A
 * row's version and document never change (an edit is a new row); only
 * `ywtb seed --catalog` fills an English name in place, in a transaction of
 * its own, and what a transaction read first stands for the whole of it. */
static _Thread_local struct item_seen {
    uint64_t tx;
    int64_t id, version, len;
    char name_en[256];
} seen;

static void
item_seen_put(struct yw_dbc *c, int64_t id, int64_t version, int64_t len, const char *name_en)
{
    seen.tx = yw_dbc_tx_id(c);
    seen.id = id;
    seen.version = version;
    seen.len = len;
    snprintf(seen.name_en, sizeof seen.name_en, "%s", name_en);
}

static int
item_current(struct yw_dbc *c, const char *code, int64_t *id, int *version, bool shared,
             json_t **doc)
{
    /* the row, and what tells whether the cached document is still this
     * version's, in one read (a submission reads its item's current version) */
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           pg_engine(c) ? "SELECT id, version, octet_length(doc), name_en FROM items "
                                          "WHERE code = ? AND is_current = 1"
                                        : "SELECT id, version, LENGTH(doc), name_en FROM items "
                                          "WHERE code = ? AND is_current = 1",
                           "s", code);
    if (rc)
        return rc;
    int64_t row = yw_db_col_int(s, 0), ver = yw_db_col_int(s, 1), len = yw_db_col_int(s, 2);
    char name_en[256];
    snprintf(name_en, sizeof name_en, "%s", yw_db_col_text(s, 3));
    yw_db_reset(s);
    item_seen_put(c, row, ver, len, name_en);
    if (id)
        *id = row;
    if (version)
        *version = (int)ver;
    if (doc == NULL)
        return 0;
    /* the version's document through the cache below (parsing it was a
     * quarter of a submission's CPU) */
    rc = item_doc(c, row, ver, len, name_en, shared, doc);
    if (rc == 0 && !shared)
        json_object_del(*doc, "version"); /* by id adds it; the current version's reader never had it */
    return rc;
}

int
yw_catalog_item_current(struct yw_dbc *c, const char *code, int64_t *id, int *version, json_t **doc)
{
    return item_current(c, code, id, version, false, doc);
}

int
yw_catalog_item_current_ro(struct yw_dbc *c, const char *code, int64_t *id, int *version,
                           json_t **doc)
{
    return item_current(c, code, id, version, true, doc);
}

static struct item_slot {
    int64_t id, version, len;
    char name_en[256]; /* the English name is a column: `seed --catalog` fills it in place */
    json_t *doc;       /* never changed once here: readers copy it, or share it read-only (_ro) */
} item_cache[ITEM_CACHE];
static pthread_mutex_t item_cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* A copy of the cached document of row `id` (shared: the document itself)
 * when it is the same version, length and English name, else NULL. */
static json_t *
item_cache_get(int64_t id, int64_t version, int64_t len, const char *name_en, bool shared)
{
    json_t *held = NULL;
    struct item_slot *sl = &item_cache[(uint64_t)id % ITEM_CACHE];
    pthread_mutex_lock(&item_cache_mu);
    if (sl->doc && sl->id == id && sl->version == version && sl->len == len &&
        strcmp(sl->name_en, name_en) == 0)
        held = json_incref(sl->doc);
    pthread_mutex_unlock(&item_cache_mu);
    if (held == NULL || shared)
        return held;
    json_t *copy = json_deep_copy(held); /* the cached one stays unchanged */
    json_decref(held);
    return copy;
}

static void
item_cache_put(int64_t id, int64_t version, int64_t len, const char *name_en, json_t *doc)
{
    json_t *old;
    struct item_slot *sl = &item_cache[(uint64_t)id % ITEM_CACHE];
    json_t *mine = json_deep_copy(doc);
    pthread_mutex_lock(&item_cache_mu);
    old = sl->doc;
    *sl = (struct item_slot){ .id = id, .version = version, .len = len, .doc = mine };
    snprintf(sl->name_en, sizeof sl->name_en, "%s", name_en);
    pthread_mutex_unlock(&item_cache_mu);
    json_decref(old);
}

static int
item_by_id(struct yw_dbc *c, int64_t id, bool shared, json_t **doc)
{
    uint64_t tx = yw_dbc_tx_id(c);
    if (tx && seen.tx == tx && seen.id == id)
        return item_doc(c, id, seen.version, seen.len, seen.name_en, shared, doc);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           pg_engine(c) ? "SELECT version, octet_length(doc), name_en FROM items "
                                          "WHERE id = ?"
                                        : "SELECT version, LENGTH(doc), name_en FROM items WHERE id = ?",
                           "i", id);
    if (rc)
        return rc;
    int64_t version = yw_db_col_int(s, 0), len = yw_db_col_int(s, 1);
    char name_en[256];
    snprintf(name_en, sizeof name_en, "%s", yw_db_col_text(s, 2));
    yw_db_reset(s);
    item_seen_put(c, id, version, len, name_en);
    return item_doc(c, id, version, len, name_en, shared, doc);
}

int
yw_catalog_item_by_id(struct yw_dbc *c, int64_t id, json_t **doc)
{
    return item_by_id(c, id, false, doc);
}

int
yw_catalog_item_by_id_ro(struct yw_dbc *c, int64_t id, json_t **doc)
{
    return item_by_id(c, id, true, doc);
}

/* Row id's document: the cached copy when version, length and English name
 * are those just read, else read, parsed and cached. */
static int
item_doc(struct yw_dbc *c, int64_t id, int64_t version, int64_t len, const char *name_en,
         bool shared, json_t **doc)
{
    struct yw_stmt *s;
    if ((*doc = item_cache_get(id, version, len, name_en, shared)) != NULL)
        return 0;
    int rc = yw_db_one_row(c, &s, "SELECT doc, version, name_en FROM items WHERE id = ?", "i", id);
    if (rc)
        return rc;
    *doc = json_loads(yw_db_col_text(s, 0), 0, NULL);
    if (*doc) {
        json_object_set_new(*doc, "version", json_integer(yw_db_col_int(s, 1)));
        yw_cat__doc_name_en(*doc, yw_db_col_text(s, 2));
        item_cache_put(id, yw_db_col_int(s, 1), len, name_en, *doc);
    }
    yw_db_reset(s);
    return *doc ? 0 : YW_EDB;
}

int
yw_catalog_bundle(struct yw_dbc *c, const char *code, json_t **doc)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT doc FROM bundles WHERE code = ?", "s", code);
    if (rc)
        return rc;
    *doc = json_loads(yw_db_col_text(s, 0), 0, NULL);
    yw_db_reset(s);
    return *doc ? 0 : YW_EDB;
}

int
yw_cat__item_versions(struct yw_dbc *c, const char *code, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT version, is_current, name, created_at, created_by FROM items "
                    "WHERE code = ? ORDER BY version DESC",
                    "s", code);
    if (s == NULL)
        return YW_EDB;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            list,
            json_pack("{s:I, s:b, s:s, s:s, s:s}", "version", (json_int_t)yw_db_col_int(s, 0),
                      "current", (int)yw_db_col_int(s, 1), "name", yw_db_col_text(s, 2),
                      "created_at", yw_db_col_text(s, 3), "created_by", yw_db_col_text(s, 4)));
    if ((rc = yw_db_finish(s, rc)) == 0 && json_array_size(list) == 0)
        rc = YW_ENOTFOUND;
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

void
yw_cat__etag(int64_t version, char out[24])
{
    snprintf(out, 24, "\"%lld\"", (long long)version);
}

bool
yw_cat__if_match(const char *if_match, const char *etag)
{
    /* RFC 9110 13.1.1: "*" or a comma-separated list of entity tags, compared
     * strongly (a weak tag W/"..." never matches) */
    size_t n = strlen(etag);
    for (const char *p = if_match; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        const char *end = p;
        if (*p == '"') {
            end = strchr(p + 1, '"');
            end = end ? end + 1 : p + strlen(p);
        } else {
            while (*end && *end != ',')
                end++;
        }
        if ((size_t)(end - p) == n && strncmp(p, etag, n) == 0)
            return true;
        p = end;
    }
    return false;
}

int
yw_cat__item_edit(struct yw_dbc *c, const char *code, json_t *doc, const char *actor,
                  const char *if_match, int *new_version, struct yw_err *err)
{
    int64_t old_id;
    int version;
    json_t *old_doc = NULL;
    int rc = yw_catalog_item_current(c, code, &old_id, &version, &old_doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no item '%s'", code);
    if (rc)
        return rc;
    /* an edit that keeps the Chinese name and says nothing of the English
     * one keeps the English name (an editor's copy from before 0031 has none) */
    json_t *old_en = json_object_get(old_doc, "name_en");
    if (json_is_object(doc) && !json_object_get(doc, "name_en") && json_is_string(old_en) &&
        json_equal(json_object_get(doc, "name"), json_object_get(old_doc, "name")))
        json_object_set(doc, "name_en", old_en);
    json_decref(old_doc);
    char etag[24];
    yw_cat__etag(version, etag);
    if (if_match && !yw_cat__if_match(if_match, etag))
        return yw_fail(err, YW_EPRECOND, "If-Match",
                       "item '%s' changed since you read it: its version is now %d (ETag %s); "
                       "read it again and re-apply your edit",
                       code, version, etag);
    if (new_version)
        *new_version = version + 1;
    if ((rc = yw_catalog_item_validate(c, doc, err)))
        return rc;
    if ((rc = yw_db_run(c, "UPDATE items SET is_current = 0 WHERE id = ?", "i", old_id)))
        return rc;
    if ((rc = yw_cat__insert_item(c, doc, version + 1, actor, NULL)) || (rc = yw_cat__bump(c)))
        return rc;
    char summary[128];
    snprintf(summary, sizeof summary, "{\"version\":%d}", version + 1);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "admin",
                                                     .action = "item.edit",
                                                     .obj_type = "item",
                                                     .obj_id = code,
                                                     .summary = summary });
}
