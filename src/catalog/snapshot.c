/*
 * snapshot.c - the catalog as pre-rendered JSON in memory.
 *
 * Guide pages and lists are read thousands of times more often than the
 * catalog changes, so they are rendered once into an immutable snapshot (a hash
 * map from key to JSON bytes).  Readers load the snapshot pointer atomically
 * and copy the bytes they need: no lock, no query.  A rebuild makes a new
 * snapshot and swaps the pointer; the old one is freed a minute later, long
 * after any reader finished copying from it.  Local changes rebuild at once.
 * A change made on another node of a PostgreSQL deployment is heard on the
 * channel ywtb_catalog (yw_cat__bump notifies it, acknowledged): the listener
 * only counts it (heard_gen) and answers at once; the next catalog read on
 * this node (yw_cat__snap_get, _search: the routes) finds heard_gen ahead of
 * built_gen and rebuilds before it answers, and reads arriving meanwhile wait
 * for that rebuild.  So once the writer's request is answered every node
 * serves the new catalog (an admin's edit, then a read that lands on another
 * node, sees it), however long a rebuild takes on a busy node.  A background
 * thread also rebuilds when catalog_meta.version moves, checking every two
 * seconds (a notification lost while a listener reconnected).  Rebuilds are
 * serialized and never put an older version in place of a newer one.
 */
#include "catalog/internal.h"

#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct entry {
    char *key;
    struct yw_cat_blob blob;
};

/* One current item as search sees it (the list is sorted by popularity). */
struct sitem {
    char *text; /* search_text, ASCII letters lower-cased */
    char *name; /* the item's name, ASCII letters lower-cased */
    char *name_en; /* its English name, lower-cased ("" none) */
    char *dept, *target, *type;
    json_t *summary; /* the list entry */
};

/* A department and a license type as the readers of catalog.h return them
 * (malloc'd strings, copied out into the caller's arena). */
struct sdept {
    char *code, *name, *name_en, *short_name, *uscc, *phone, *address;
};
struct sltype {
    char *code, *name, *name_en, *dept_code, *type_code, *holder, *fields;
    int validity_years;
};

struct snap {
    int64_t version;
    struct yw_db *db; /* the database it was read from */
    size_t cap;       /* power of two */
    struct entry *slots;
    struct sitem *items;
    size_t nitems;
    json_t *dept_names;  /* code -> name, for lookups */
    json_t *dept_names_en; /* code -> English name */
    struct sdept *depts; /* sorted by code (strcmp) */
    size_t ndepts;
    struct sltype *ltypes; /* sorted by code (strcmp) */
    size_t nltypes;
    struct snap *retired_next;
    int64_t retired_at;
};

static _Atomic(struct snap *) current;
static pthread_mutex_t retire_mu = PTHREAD_MUTEX_INITIALIZER;
static struct snap *retired;
static pthread_t refresher;
static atomic_bool refresher_run;
static bool refresher_started;
static atomic_bool
    serving; /* between yw_cat__snap_start and _stop: the readers may answer from the snapshot */
static struct yw_app *the_app;
static struct yw_db_listener *listener; /* ywtb_catalog (PostgreSQL) */
static pthread_mutex_t refresh_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t heard_gen; /* changes heard from other nodes */
static atomic_uint_fast64_t built_gen; /* heard_gen as of the last rebuild that followed */

static uint64_t
hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void
put(struct snap *sn, const char *key, json_t *value)
{
    char *json = json_dumps(value, JSON_COMPACT);
    json_t *v = json_object_get(value, "version");
    int64_t version = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
    json_decref(value);
    if (json == NULL)
        return;
    size_t i = hash(key) & (sn->cap - 1);
    while (sn->slots[i].key)
        i = (i + 1) & (sn->cap - 1);
    sn->slots[i].key = yw_xstrdup(key);
    sn->slots[i].blob.json = json;
    sn->slots[i].blob.len = strlen(json);
    sn->slots[i].blob.version = version;
}

static const struct yw_cat_blob *
find(const struct snap *sn, const char *key)
{
    size_t i = hash(key) & (sn->cap - 1);
    while (sn->slots[i].key) {
        if (strcmp(sn->slots[i].key, key) == 0)
            return &sn->slots[i].blob;
        i = (i + 1) & (sn->cap - 1);
    }
    return NULL;
}

static void
snap_free(struct snap *sn)
{
    if (sn == NULL)
        return;
    for (size_t i = 0; i < sn->nitems; i++) {
        free(sn->items[i].text);
        free(sn->items[i].name);
        free(sn->items[i].dept);
        free(sn->items[i].name_en);
        free(sn->items[i].target);
        free(sn->items[i].type);
        json_decref(sn->items[i].summary);
    }
    free(sn->items);
    for (size_t i = 0; i < sn->cap; i++) {
        free(sn->slots[i].key);
        free(sn->slots[i].blob.json);
    }
    free(sn->slots);
    json_decref(sn->dept_names);
    json_decref(sn->dept_names_en);
    for (size_t i = 0; i < sn->ndepts; i++) {
        struct sdept *d = &sn->depts[i];
        free(d->code), free(d->name), free(d->name_en), free(d->short_name), free(d->uscc),
            free(d->phone);
        free(d->address);
    }
    free(sn->depts);
    for (size_t i = 0; i < sn->nltypes; i++) {
        struct sltype *t = &sn->ltypes[i];
        free(t->code), free(t->name), free(t->name_en), free(t->dept_code), free(t->type_code),
            free(t->holder);
        free(t->fields);
    }
    free(sn->ltypes);
    free(sn);
}

static const char *
col(struct yw_stmt *s, int i)
{
    return yw_db_col_text(s, i);
}

/* After a statement's last step: reset it and say whether every row was read
 * (s NULL: it could not even be prepared). */
static bool
read_all(struct yw_stmt *s, int rc)
{
    return s != NULL && yw_db_finish(s, rc) == 0;
}

/* Order of struct sdept / struct sltype by code (each starts with it). */
static int
cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The hash map sized for every entry to come (current items, bundles and
 * license types), with room to spare. */
static bool
size_map(struct yw_dbc *c, struct snap *sn)
{
    int64_t nitems = 0;
    int rc = yw_db_one_int(c, &nitems,
                           "SELECT (SELECT COUNT(*) FROM items WHERE is_current = 1) + "
                           "(SELECT COUNT(*) FROM bundles) + (SELECT COUNT(*) FROM license_types)",
                           NULL);
    if (rc)
        return false;
    size_t cap = 64;
    while (cap < (size_t)(nitems + 16) * 2)
        cap *= 2;
    sn->slots = yw_xcalloc(cap, sizeof *sn->slots);
    sn->cap = cap;
    return true;
}

/* Departments with item counts: the list, the names by code, and the rows
 * the readers of catalog.h answer from. */
static bool
add_depts(struct yw_dbc *c, struct snap *sn)
{
    sn->dept_names = json_object();
    sn->dept_names_en = json_object();
    json_t *depts = json_array();
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT d.code, d.name, d.name_en, d.short, d.phone, d.address, "
        "(SELECT COUNT(*) FROM items i WHERE i.dept_code = d.code AND i.is_current = 1 AND i.target = 'person'), "
        "(SELECT COUNT(*) FROM items i WHERE i.dept_code = d.code AND i.is_current = 1 AND i.target = 'enterprise'), "
        "d.uscc FROM departments d ORDER BY d.sort, d.code",
        NULL);
    size_t dcap = 0;
    int rc = YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        json_object_set_new(sn->dept_names, col(s, 0), json_string(col(s, 1)));
        json_object_set_new(sn->dept_names_en, col(s, 0), json_string(col(s, 2)));
        if (sn->ndepts == dcap) {
            dcap = dcap ? dcap * 2 : 64;
            sn->depts = yw_xrealloc(sn->depts, dcap * sizeof *sn->depts);
        }
        sn->depts[sn->ndepts++] =
            (struct sdept){ yw_xstrdup(col(s, 0)), yw_xstrdup(col(s, 1)), yw_xstrdup(col(s, 2)),
                            yw_xstrdup(col(s, 3)), yw_xstrdup(col(s, 8)), yw_xstrdup(col(s, 4)),
                            yw_xstrdup(col(s, 5)) };
        json_array_append_new(depts,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:I}}", "code",
                                        col(s, 0), "name", col(s, 1), "name_en", col(s, 2), "short",
                                        col(s, 3), "phone", col(s, 4), "address", col(s, 5),
                                        "item_count", "person", (json_int_t)yw_db_col_int(s, 6),
                                        "enterprise", (json_int_t)yw_db_col_int(s, 7)));
    }
    bool ok = read_all(s, rc);
    if (ok) {
        put(sn, "departments", json_pack("{s:O}", "items", depts));
        if (sn->ndepts > 0) /* qsort(NULL, 0, ...) is undefined behaviour */
            qsort(sn->depts, sn->ndepts, sizeof *sn->depts, cmp_code);
    }
    json_decref(depts);
    return ok;
}

/* License types: the list, each type's entry, the rows the readers answer
 * from, and their names by code into lt_names (for the items' materials). */
static bool
add_license_types(struct yw_dbc *c, struct snap *sn, json_t *lt_names, json_t *lt_names_en)
{
    json_t *types = json_array();
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT code, name, name_en, dept_code, holder, validity_years, fields, type_code "
        "FROM license_types ORDER BY code",
        NULL);
    size_t tcap = 0;
    int rc = YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        if (sn->nltypes == tcap) {
            tcap = tcap ? tcap * 2 : 64;
            sn->ltypes = yw_xrealloc(sn->ltypes, tcap * sizeof *sn->ltypes);
        }
        sn->ltypes[sn->nltypes++] =
            (struct sltype){ yw_xstrdup(col(s, 0)), yw_xstrdup(col(s, 1)),   yw_xstrdup(col(s, 2)),
                             yw_xstrdup(col(s, 3)), yw_xstrdup(col(s, 7)),   yw_xstrdup(col(s, 4)),
                             yw_xstrdup(col(s, 6)), (int)yw_db_col_int(s, 5) };
        json_t *fields = json_loads(col(s, 6), 0, NULL);
        json_t *dn = json_object_get(sn->dept_names, col(s, 3));
        json_t *t =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "code", col(s, 0), "name",
                      col(s, 1), "name_en", col(s, 2), "dept", col(s, 3), "dept_name",
                      dn ? json_string_value(dn) : "", "holder", col(s, 4), "validity_years",
                      (json_int_t)yw_db_col_int(s, 5), "fields", fields ? fields : json_array());
        json_object_set_new(lt_names, col(s, 0), json_string(col(s, 1)));
        json_object_set_new(lt_names_en, col(s, 0), json_string(col(s, 2)));
        char key[80];
        snprintf(key, sizeof key, "license-type:%s", col(s, 0));
        put(sn, key, json_deep_copy(t));
        json_array_append_new(types, t);
    }
    bool ok = read_all(s, rc);
    if (ok) {
        put(sn, "license-types", json_pack("{s:O}", "items", types));
        if (sn->nltypes > 0)
            qsort(sn->ltypes, sn->nltypes, sizeof *sn->ltypes, cmp_code);
    }
    json_decref(types);
    return ok;
}

/* Items: the guide page of each current item, with its department's name
 * and its license types' names. */
static bool
add_items(struct yw_dbc *c, struct snap *sn, json_t *lt_names, json_t *lt_names_en)
{
    struct yw_stmt *s =
        yw_db_query(c, "SELECT code, version, doc, name_en FROM items WHERE is_current = 1", NULL);
    int rc = YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        json_t *doc = json_loads(col(s, 2), 0, NULL);
        if (doc == NULL)
            continue;
        json_object_set_new(doc, "version", json_integer(yw_db_col_int(s, 1)));
        yw_cat__doc_name_en(doc, col(s, 3));
        const char *dcode = json_string_value(json_object_get(doc, "dept"));
        json_t *dn = json_object_get(sn->dept_names, dcode);
        json_t *dne = json_object_get(sn->dept_names_en, dcode);
        json_object_set_new(doc, "dept_name", json_string(dn ? json_string_value(dn) : ""));
        json_object_set_new(doc, "dept_name_en", json_string(dne ? json_string_value(dne) : ""));
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(doc, "materials"), i, m)
        {
            json_t *ln = json_object_get(
                lt_names, json_string_value(json_object_get(m, "license_type")) ?: "");
            if (ln)
                json_object_set(m, "license_type_name", ln);
            json_t *lne = json_object_get(
                lt_names_en, json_string_value(json_object_get(m, "license_type")) ?: "");
            if (lne && json_string_length(lne))
                json_object_set(m, "license_type_name_en", lne);
        }
        const char *prod = json_string_value(json_object_get(doc, "produces")) ?: "";
        json_t *pn = json_object_get(lt_names, prod), *pne = json_object_get(lt_names_en, prod);
        if (pn)
            json_object_set(doc, "produces_name", pn);
        if (pne && json_string_length(pne))
            json_object_set(doc, "produces_name_en", pne);
        char key[96];
        snprintf(key, sizeof key, "item:%s", col(s, 0));
        put(sn, key, doc);
    }
    return read_all(s, rc);
}

/* The search list: every current item, most popular first. */
static bool
add_search_list(struct yw_dbc *c, struct snap *sn)
{
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT code, name, dept_code, type, target, legal_days, promised_days, "
        "online_level, max_visits, popularity, search_text, name_en FROM items "
        "WHERE is_current = 1 ORDER BY popularity DESC, code",
        NULL);
    size_t cap = 0;
    int rc = YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        if (sn->nitems == cap) {
            cap = cap ? cap * 2 : 1024;
            sn->items = yw_xrealloc(sn->items, cap * sizeof *sn->items);
        }
        struct sitem *it = &sn->items[sn->nitems++];
        it->text = yw_xstrdup(col(s, 10));
        for (char *p = it->text; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        it->name = yw_xstrdup(col(s, 1));
        for (char *p = it->name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        it->name_en = yw_xstrdup(col(s, 11));
        for (char *p = it->name_en; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        it->dept = yw_xstrdup(col(s, 2));
        it->type = yw_xstrdup(col(s, 3));
        it->target = yw_xstrdup(col(s, 4));
        json_t *dn = json_object_get(sn->dept_names, col(s, 2));
        json_t *dne = json_object_get(sn->dept_names_en, col(s, 2));
        it->summary = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "code", col(s, 0),
            "name", col(s, 1), "name_en", col(s, 11), "dept", col(s, 2), "dept_name",
            dn ? json_string_value(dn) : "", "dept_name_en", dne ? json_string_value(dne) : "",
            "type",
            col(s, 3), "target", col(s, 4), "legal_days", (json_int_t)yw_db_col_int(s, 5),
            "promised_days", (json_int_t)yw_db_col_int(s, 6), "online_level",
            (json_int_t)yw_db_col_int(s, 7), "max_visits", (json_int_t)yw_db_col_int(s, 8),
            "popularity", (json_int_t)yw_db_col_int(s, 9));
    }
    return read_all(s, rc);
}

/* A bundle step's item codes as entries with each item's name, department
 * and promised days (from the guide pages already in sn). */
static json_t *
named_items(struct snap *sn, json_t *codes)
{
    json_t *named = json_array();
    size_t j;
    json_t *code;
    json_array_foreach(codes, j, code)
    {
        char key[96];
        snprintf(key, sizeof key, "item:%s", json_string_value(code) ?: "");
        const struct yw_cat_blob *b = find(sn, key);
        json_t *it = b ? json_loads(b->json, 0, NULL) : NULL;
        json_array_append_new(
            named, json_pack("{s:O, s:s, s:s, s:s, s:s, s:I}", "code", code, "name",
                             it ? json_string_value(json_object_get(it, "name")) : "", "name_en",
                             it ? json_string_value(json_object_get(it, "name_en")) ?: "" : "",
                             "dept",
                             it ? json_string_value(json_object_get(it, "dept")) : "", "dept_name",
                             it ? json_string_value(json_object_get(it, "dept_name")) : "",
                             "promised_days",
                             it ? json_integer_value(json_object_get(it, "promised_days")) : 0));
        json_decref(it);
    }
    return named;
}

/* Bundles with their items' names in step order: the list and each entry. */
static bool
add_bundles(struct yw_dbc *c, struct snap *sn)
{
    json_t *bundles = json_array();
    struct yw_stmt *s = yw_db_query(c, "SELECT code, doc FROM bundles ORDER BY code", NULL);
    int rc = YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        json_t *doc = json_loads(col(s, 1), 0, NULL);
        if (doc == NULL)
            continue;
        size_t k;
        json_t *step;
        json_array_foreach(json_object_get(doc, "steps"), k, step)
            json_object_set_new(step, "items", named_items(sn, json_object_get(step, "items")));
        char key[96];
        snprintf(key, sizeof key, "bundle:%s", col(s, 0));
        put(sn, key, json_deep_copy(doc));
        json_array_append_new(bundles, doc);
    }
    bool ok = read_all(s, rc);
    if (ok)
        put(sn, "bundles", json_pack("{s:O}", "items", bundles));
    json_decref(bundles);
    return ok;
}

/* Build a complete snapshot from the database; NULL when any read fails, so
 * a failed read never replaces the catalog with an empty or partial one.
 * The order matters: names of departments and license types are looked up
 * by the sections after them, and bundles read the items' guide pages. */
static struct snap *
build(struct yw_dbc *c, int64_t version)
{
    struct snap *sn = yw_xcalloc(1, sizeof *sn);
    sn->version = version;
    sn->db = yw_dbc_db(c);
    json_t *lt_names = json_object(), *lt_names_en = json_object();
    bool ok = size_map(c, sn) && add_depts(c, sn) &&
              add_license_types(c, sn, lt_names, lt_names_en) &&
              add_items(c, sn, lt_names, lt_names_en) && add_search_list(c, sn) && add_bundles(c, sn);
    json_decref(lt_names);
    json_decref(lt_names_en);
    if (!ok) {
        snap_free(sn);
        return NULL;
    }
    return sn;
}

static void
reap(bool all)
{
    int64_t now = (int64_t)time(NULL);
    pthread_mutex_lock(&retire_mu);
    struct snap **pp = &retired;
    while (*pp) {
        struct snap *sn = *pp;
        if (all || now - sn->retired_at >= 60) {
            *pp = sn->retired_next;
            snap_free(sn);
        } else {
            pp = &sn->retired_next;
        }
    }
    pthread_mutex_unlock(&retire_mu);
}

/* Rebuild (unless !always and the snapshot is at the database's version: a
 * read after a change another thread has rebuilt for already); refresh_mu
 * held, so rebuilds follow one another and a later one never reads an older
 * catalog than an earlier one. */
static int
refresh_locked(struct yw_dbc *c, bool always)
{
    int64_t v = 0;
    int rc = yw_cat__meta_version(c, &v);
    if (rc)
        return rc;
    struct snap *cur = atomic_load(&current);
    if (!always && cur != NULL && cur->version >= v && cur->db == yw_dbc_db(c))
        return 0;
    struct snap *sn = build(c, v);
    if (sn == NULL) {
        /* keep serving the snapshot we have; the refresher tries again */
        yw_log_error("catalog", "cannot rebuild the catalog snapshot (version %lld): %s",
                     (long long)v, yw_dbc_errmsg(c));
        return YW_EDB;
    }
    struct snap *old = atomic_exchange(&current, sn);
    if (old) {
        old->retired_at = (int64_t)time(NULL);
        pthread_mutex_lock(&retire_mu);
        old->retired_next = retired;
        retired = old;
        pthread_mutex_unlock(&retire_mu);
    }
    return 0;
}

int
yw_cat__snap_refresh(struct yw_dbc *c)
{
    pthread_mutex_lock(&refresh_mu);
    int rc = refresh_locked(c, true);
    pthread_mutex_unlock(&refresh_mu);
    return rc;
}

/* Before a read: if another node's change was heard since the last rebuild,
 * rebuild now (or wait for the thread that does). */
static void
snap_fresh(void)
{
    if (atomic_load(&heard_gen) == atomic_load(&built_gen) || the_app == NULL ||
        !atomic_load(&serving))
        return;
    struct yw_dbc *c = yw_db_conn(the_app->db, NULL);
    if (c == NULL || yw_dbc_in_tx(c))
        return;
    pthread_mutex_lock(&refresh_mu);
    uint_fast64_t g = atomic_load(&heard_gen);
    if (g != atomic_load(&built_gen) && refresh_locked(c, false) == 0)
        atomic_store(&built_gen, g);
    pthread_mutex_unlock(&refresh_mu);
}

int
yw_cat__snap_get(const char *key, char **out, size_t *len, int64_t *version)
{
    snap_fresh();
    struct snap *sn = atomic_load_explicit(&current, memory_order_acquire);
    if (sn == NULL)
        return YW_EUNAVAIL;
    const struct yw_cat_blob *b = find(sn, key);
    if (b == NULL)
        return YW_ENOTFOUND;
    *out = yw_xmalloc(b->len + 1);
    memcpy(*out, b->json, b->len + 1);
    *len = b->len;
    if (version)
        *version = b->version;
    return 0;
}

/* How well an item matches one form of the query: its whole name 300, in
 * its name 200, anywhere in its guide or materials 100; `bonus` for the
 * query as typed (over a synonym's form); 0 for no match. */
static int
match_score(const struct sitem *it, const char *needle, int bonus)
{
    if (!strcmp(it->name, needle) || (it->name_en[0] && !strcmp(it->name_en, needle)))
        return 300 + bonus;
    if (strstr(it->name, needle) || (it->name_en[0] && strstr(it->name_en, needle)))
        return 200 + bonus;
    if (strstr(it->text, needle))
        return 100 + bonus;
    return 0;
}

/* An English query of several words ("food permit new"): every word in the
 * English name 200, every word in the name or the guide 100, else 0 - the
 * words need not stand together or in that order.  needle is lower-cased. */
static int
words_score(const struct sitem *it, const char *needle)
{
    char word[64];
    int in_name = 1, anywhere = 1, words = 0;
    for (const char *p = needle; *p;) {
        while (*p == ' ')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != ' ')
            n++;
        if (n == 0)
            break;
        if (n >= sizeof word)
            return 0;
        memcpy(word, p, n);
        word[n] = '\0';
        p += n;
        words++;
        bool en = it->name_en[0] && strstr(it->name_en, word);
        in_name &= en;
        anywhere &= en || strstr(it->text, word) != NULL;
    }
    if (words < 2)
        return 0;
    return in_name ? 200 : anywhere ? 100 : 0;
}

struct hit {
    int score;
    size_t index; /* in popularity order */
};

static int
cmp_hit(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return x->index < y->index ? -1 : x->index > y->index;
}

int
yw_cat__snap_search(const struct yw_cat_query *q, json_t **items, int64_t *total)
{
    snap_fresh();
    struct snap *sn = atomic_load_explicit(&current, memory_order_acquire);
    if (sn == NULL)
        return YW_EUNAVAIL;
    char needle[512] = "";
    if (q->q)
        snprintf(needle, sizeof needle, "%s", q->q);
    for (char *p = needle; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    /* what people type and what the catalog says (synonyms.c) */
    enum {
        MAX_ALTS = 8
    };
    static _Thread_local char alts[MAX_ALTS][YW_CAT_ALT_LEN];
    int nalts = needle[0] ? yw_cat__synonyms(needle, alts, MAX_ALTS) : 0;
    /* Latin text with spaces: English words, matched one by one too */
    bool multiword = strchr(needle, ' ') != NULL;
    for (const char *p = needle; *p && multiword; p++)
        if ((unsigned char)*p >= 0x80)
            multiword = false;
    struct hit *hits = needle[0] ? malloc(sn->nitems * sizeof *hits) : NULL;
    json_t *list = json_array();
    int64_t n = 0;
    for (size_t i = 0; i < sn->nitems; i++) {
        const struct sitem *it = &sn->items[i];
        if ((q->dept && *q->dept && strcmp(q->dept, it->dept)) ||
            (q->target && *q->target && strcmp(q->target, it->target)) ||
            (q->type && *q->type && strcmp(q->type, it->type)))
            continue;
        if (needle[0]) {
            int score = match_score(it, needle, 0);
            if (score < 200 && multiword) {
                int sw = words_score(it, needle);
                if (sw > score)
                    score = sw;
            }
            for (int a = 0; a < nalts; a++) {
                int sa = match_score(it, alts[a], 0);
                if (sa > score)
                    score = sa;
            }
            if (score == 0 || hits == NULL)
                continue;
            hits[n] = (struct hit){ score, i };
        } else if (n >= q->offset && n < q->offset + q->limit) {
            json_array_append(list, it->summary);
        }
        n++;
    }
    if (hits) {
        /* a match in the name first, the exact name before all; then popularity
         * (the items are in popularity order, which the index keeps) */
        qsort(hits, (size_t)n, sizeof *hits, cmp_hit);
        for (int64_t k = q->offset; k < n && k < q->offset + q->limit; k++)
            json_array_append(list, sn->items[hits[k].index].summary);
        free(hits);
    }
    *items = list;
    *total = n;
    return 0;
}

void
yw_cat__snap_dept_name(const char *code, char *out, size_t n)
{
    struct snap *sn = atomic_load_explicit(&current, memory_order_acquire);
    json_t *v = sn && code ? json_object_get(sn->dept_names, code) : NULL;
    snprintf(out, n, "%s", v ? json_string_value(v) : "");
}

/* The snapshot the readers may answer from for db (NULL: any): only one that
 * the refresher keeps current (started by yw_cat__snap_start - the server).
 * A snapshot a seed left behind in a command-line run is not one. */
static struct snap *
snap_for(struct yw_db *db)
{
    if (!atomic_load(&serving))
        return NULL;
    struct snap *sn = atomic_load_explicit(&current, memory_order_acquire);
    return sn && (db == NULL || sn->db == db) ? sn : NULL;
}

static const char *
adup(struct yw_arena *a, const char *s)
{
    return yw_arena_strdup(a, s);
}

int
yw_cat__snap_dept(struct yw_db *db, struct yw_arena *a, const char *code,
                  struct yw_catalog_dept *out)
{
    struct snap *sn = snap_for(db);
    if (sn == NULL)
        return YW_EUNAVAIL;
    const struct sdept *d =
        code ? bsearch(&code, sn->depts, sn->ndepts, sizeof *sn->depts, cmp_code) : NULL;
    if (d == NULL)
        return YW_ENOTFOUND;
    if (out)
        *out =
            (struct yw_catalog_dept){ adup(a, d->code),       adup(a, d->name), adup(a, d->name_en),
                                      adup(a, d->short_name), adup(a, d->uscc), adup(a, d->phone),
                                      adup(a, d->address) };
    return 0;
}

int
yw_cat__snap_license_type(struct yw_db *db, struct yw_arena *a, const char *code,
                          struct yw_catalog_license_type *out)
{
    struct snap *sn = snap_for(db);
    if (sn == NULL)
        return YW_EUNAVAIL;
    const struct sltype *t =
        code ? bsearch(&code, sn->ltypes, sn->nltypes, sizeof *sn->ltypes, cmp_code) : NULL;
    if (t == NULL)
        return YW_ENOTFOUND;
    if (out)
        *out = (struct yw_catalog_license_type){ adup(a, t->code),      adup(a, t->name),
                                                 adup(a, t->name_en),   adup(a, t->dept_code),
                                                 adup(a, t->type_code), adup(a, t->holder),
                                                 t->validity_years,     adup(a, t->fields) };
    return 0;
}

static void *
refresher_main(void *arg)
{
    (void)arg;
    int tick = 0;
    while (atomic_load(&refresher_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        if (++tick % 20)
            continue; /* every 2 s, but stop within 100 ms */
        struct yw_dbc *c = yw_db_conn(the_app->db, NULL);
        int64_t v = 0;
        struct snap *sn = atomic_load(&current);
        if (c && yw_cat__meta_version(c, &v) == 0 && (sn == NULL || v != sn->version)) {
            yw_log_info("catalog", "catalog version %lld: refreshing the snapshot", (long long)v);
            yw_cat__snap_refresh(c);
        }
        reap(false);
    }
    return NULL;
}

/* Another node changed the catalog (or the listener reconnected and may have
 * missed a change): counted before the acknowledgement the writer waits for,
 * so this node's next read rebuilds first (snap_fresh). */
static void
catalog_heard(const char *payload, void *ctx)
{
    (void)payload;
    (void)ctx;
    atomic_fetch_add(&heard_gen, 1);
}

int
yw_cat__snap_start(struct yw_app *app, struct yw_err *err)
{
    the_app = app;
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EDB;
    int rc = yw_cat__snap_refresh(c);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the catalog");
    atomic_store(&refresher_run, true);
    refresher_started = pthread_create(&refresher, NULL, refresher_main, NULL) == 0;
    atomic_store(&serving, true);
    return yw_db_listen(app->db, YW_CAT_CHANNEL, catalog_heard, NULL, &listener, err);
}

void
yw_cat__snap_stop(void)
{
    atomic_store(&serving, false);
    yw_db_listen_stop(listener);
    listener = NULL;
    if (refresher_started) {
        atomic_store(&refresher_run, false);
        pthread_join(refresher, NULL);
        refresher_started = false;
    }
    snap_free(atomic_exchange(&current, NULL));
    reap(true);
}
