/*
 * seed.c - load the catalog from the JSON files in data/catalog (departments, e-license
 * types, service items, bundles) into an empty catalog, in one transaction.
 * The files and their fields are described in data/catalog/README.md.
 *
 * Over a catalog that is already loaded, the reference data that carries no
 * versions is refreshed instead (an upgrade brings new department phone numbers
 * or English labels): new departments and license types are added; existing
 * ones get their names, contacts and field labels from the files - but a
 * license type whose field keys changed is left alone and reported, since
 * licenses already issued carry values under those keys.  Service items are
 * versioned: new ones are added and the labels of existing ones refreshed as a
 * new version (refresh.c says what exactly); bundles change through the API.
 * English item names (item_names_en.json, issue 15) are a column of the item
 * version: a version stored without one (before migration 0031) gets it.
 *
 * Every item's English name comes from item_names_en.json, keyed by its
 * Chinese name and made by rule from a glossary (scripts/gen-item-names-en.mjs);
 * the seed refuses an item the file does not name in Latin text.
 */
#include "catalog/internal.h"

#include "core/cnid.h"
#include "db/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seed_ctx {
    json_t *depts, *types, *items, *bundles;
    json_t *names_en; /* item_names_en.json: {Chinese item name: English name} */
    json_t *mat_en;   /* material_names_en.json: {materials: {zh: en}, conditions: {zh: en}} */
    int64_t n_items;
    struct yw_err *err;
};

static const char *
str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A license type's fields: objects with a key, a Chinese label and an English label (label_en). */
static int
check_type_fields(json_t *type, struct yw_err *err)
{
    json_t *fields = json_object_get(type, "fields"), *f;
    size_t i;
    if (!json_is_array(fields))
        return yw_fail(err, YW_EFIELD, "license_types",
                       "license type '%s': fields must be an array", str(type, "code"));
    json_array_foreach(fields, i, f)
    {
        if (!json_is_object(f) || !*str(f, "key") || !*str(f, "label") || !*str(f, "label_en"))
            return yw_fail(
                err, YW_EFIELD, "license_types",
                "license type '%s': field %zu needs a key, a label and a label_en (English label)",
                str(type, "code"), i + 1);
    }
    return 0;
}

/* An item's form fields: each needs an English label (label_en) and each
 * choice field the English texts of its options (options_en) in the seed
 * data; the item edit API leaves both optional (yw_catalog_item_validate,
 * which runs first and checks an options_en's length against options). */
static int
check_form_labels(json_t *item, struct yw_err *err)
{
    json_t *form = json_object_get(item, "form"), *f;
    size_t i;
    json_array_foreach(form, i, f)
    {
        if (!json_is_object(f) || !*str(f, "label_en"))
            return yw_fail(err, YW_EFIELD, "items",
                           "item '%s': form field %zu ('%s') needs a label_en (English label)",
                           str(item, "code"), i + 1, json_is_object(f) ? str(f, "key") : "");
        if (!strcmp(str(f, "type"), "choice") && !json_is_array(json_object_get(f, "options_en")))
            return yw_fail(
                err, YW_EFIELD, "items",
                "item '%s': choice field %zu ('%s') needs options_en (the English texts of its options)",
                str(item, "code"), i + 1, str(f, "key"));
    }
    return 0;
}

/* An item's English name: its own name_en, or the one item_names_en.json
 * gives its Chinese name (scripts/gen-item-names-en.mjs).  The seed data must
 * name every item in English, in Latin text (no Han character left). */
static int
name_en_for(json_t *item, json_t *names_en, struct yw_err *err)
{
    json_t *en = json_object_get(item, "name_en");
    if (!json_is_string(en))
        en = json_object_get(names_en, str(item, "name"));
    const char *t = json_string_value(en);
    if (t == NULL || t[0] == '\0')
        return yw_fail(err, YW_EFIELD, "items",
                       "item '%s' (%s) has no English name: run scripts/gen-item-names-en.mjs",
                       str(item, "code"), str(item, "name"));
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p >= 0xE3 && *p <= 0xE9) /* U+3000..U+9FFF: CJK punctuation and Han */
            return yw_fail(err, YW_EFIELD, "items",
                           "item '%s': its English name '%s' still has Chinese in it",
                           str(item, "code"), t);
    json_object_set(item, "name_en", en);
    return 0;
}

/* Its materials' English names and conditions, where material_names_en.json
 * has them (not every material yet: the portal shows the Chinese name of one
 * without). */
static void
material_names_en(json_t *item, json_t *mat_en)
{
    json_t *names = json_object_get(mat_en, "materials"), *conds = json_object_get(mat_en, "conditions");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(item, "materials"), i, m)
    {
        json_t *en = json_object_get(names, str(m, "name"));
        if (json_is_string(en) && !json_object_get(m, "name_en"))
            json_object_set(m, "name_en", en);
        json_t *ce = *str(m, "condition") ? json_object_get(conds, str(m, "condition")) : NULL;
        if (json_is_string(ce) && !json_object_get(m, "condition_en"))
            json_object_set(m, "condition_en", ce);
    }
}

static int
seed_tx(struct yw_dbc *c, void *vctx)
{
    struct seed_ctx *x = vctx;
    struct yw_err *err = x->err;
    int rc;
    size_t i;
    json_t *v;
    json_array_foreach(x->depts, i, v)
    {
        if (!*str(v, "code") || !*str(v, "name"))
            return yw_fail(err, YW_EFIELD, "departments",
                           "departments.json entry %zu has no code or name", i);
        const char *uscc = str(v, "uscc");
        if (*uscc && yw_cnid_check_uscc(uscc, strlen(uscc), NULL, NULL) != 0)
            return yw_fail(err, YW_EFIELD, "departments",
                           "department '%s': uscc '%s' is not a valid credit code", str(v, "code"),
                           uscc);
        json_t *sort = json_object_get(v, "sort");
        rc = yw_db_run(
            c,
            "INSERT INTO departments (code, name, name_en, short, phone, address, sort, uscc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "ssssssis", str(v, "code"), str(v, "name"), str(v, "name_en"), str(v, "short"),
            str(v, "phone"), str(v, "address"),
            (int64_t)(json_is_integer(sort) ? json_integer_value(sort) : (json_int_t)i), uscc);
        if (rc)
            return yw_fail(err, rc, "departments", "department '%s': cannot insert (duplicate?)",
                           str(v, "code"));
    }
    json_array_foreach(x->types, i, v)
    {
        const char *holder = str(v, "holder");
        if (strcmp(holder, "person") && strcmp(holder, "enterprise"))
            return yw_fail(err, YW_EFIELD, "license_types",
                           "license type '%s': holder must be person|enterprise", str(v, "code"));
        if ((rc = check_type_fields(v, err)))
            return rc;
        char *fields = json_dumps(json_object_get(v, "fields"), JSON_COMPACT);
        rc =
            yw_db_run(c,
                      "INSERT INTO license_types (code, name, name_en, dept_code, holder, "
                      "validity_years, fields, type_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "sssssiss", str(v, "code"), str(v, "name"), str(v, "name_en"), str(v, "dept"),
                      holder, (int64_t)json_integer_value(json_object_get(v, "validity_years")),
                      fields ? fields : "[]", str(v, "type_code"));
        free(fields);
        if (rc)
            return yw_fail(err, rc, "license_types",
                           "license type '%s': cannot insert (duplicate or unknown department?)",
                           str(v, "code"));
    }
    json_array_foreach(x->items, i, v)
    {
        material_names_en(v, x->mat_en);
        if ((rc = name_en_for(v, x->names_en, err)) || (rc = yw_catalog_item_validate(c, v, err)) ||
            (rc = check_form_labels(v, err)))
            return rc;
        if ((rc = yw_cat__insert_item(c, v, 1, "seed", NULL))) {
            if (rc == YW_ECONFLICT)
                return yw_fail(err, rc, "items", "item '%s' appears twice", str(v, "code"));
            return rc;
        }
        x->n_items++;
    }
    json_array_foreach(x->bundles, i, v)
    {
        char *doc = json_dumps(v, JSON_COMPACT);
        rc = yw_db_run(
            c,
            "INSERT INTO bundles (code, name, name_en, target, promised_days, doc) VALUES (?, ?, ?, ?, ?, ?)",
            "ssssis", str(v, "code"), str(v, "name"), str(v, "name_en"), str(v, "target"),
            (int64_t)json_integer_value(json_object_get(v, "promised_days")), doc);
        free(doc);
        if (rc)
            return yw_fail(err, rc, "bundles", "bundle '%s': cannot insert", str(v, "code"));
        size_t k;
        json_t *step;
        int sort = 0;
        json_array_foreach(json_object_get(v, "steps"), k, step)
        {
            size_t j;
            json_t *code;
            json_array_foreach(json_object_get(step, "items"), j, code)
            {
                if (!json_is_string(code) ||
                    yw_catalog_item_current(c, json_string_value(code), NULL, NULL, NULL))
                    return yw_fail(err, YW_EFIELD, "bundles", "bundle '%s' names unknown item '%s'",
                                   str(v, "code"),
                                   json_is_string(code) ? json_string_value(code) : "?");
                json_t *sn = json_object_get(step, "step");
                rc = yw_db_run(
                    c,
                    "INSERT INTO bundle_items (bundle_code, item_code, step, sort) VALUES (?, ?, ?, ?)",
                    "ssid", str(v, "code"), json_string_value(code),
                    (int64_t)(json_is_integer(sn) ? json_integer_value(sn) : (json_int_t)k + 1),
                    sort++);
                if (rc)
                    return yw_fail(err, rc, "bundles", "bundle '%s': item '%s' listed twice",
                                   str(v, "code"), json_string_value(code));
            }
        }
    }
    if ((rc = yw_cat__bump(c)))
        return rc;
    char summary[160];
    snprintf(summary, sizeof summary,
             "{\"departments\":%zu,\"license_types\":%zu,\"items\":%lld,\"bundles\":%zu}",
             json_array_size(x->depts), json_array_size(x->types), (long long)x->n_items,
             json_array_size(x->bundles));
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "seed",
                                                     .role = "admin",
                                                     .action = "catalog.seed",
                                                     .obj_type = "catalog",
                                                     .obj_id = "",
                                                     .summary = summary });
}

struct refresh_ctx {
    json_t *depts, *types, *items, *names_en;
    int added, updated, kept, named;
    int items_added, items_updated;
    char kept_codes[256];
    struct yw_err *err;
};

/* The keys of a fields array, in order, as one string ("name,uscc,..."). */
static void
field_keys(json_t *fields, char *out, size_t n)
{
    size_t i, k = 0;
    json_t *f;
    out[0] = '\0';
    json_array_foreach(fields, i, f)
    {
        const char *key =
            json_is_object(f) ? json_string_value(json_object_get(f, "key")) : json_string_value(f);
        k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s", i ? "," : "", key ? key : "");
    }
}

static void
note_kept(struct refresh_ctx *x, const char *code)
{
    size_t k = strlen(x->kept_codes);
    snprintf(x->kept_codes + k, sizeof x->kept_codes - k, "%s%s", k ? ", " : "", code);
    x->kept++;
}

/* One row changed by an UPSERT-like pair: UPDATE, and INSERT when nothing was there. */
static int
refresh_dept(struct yw_dbc *c, json_t *v, size_t i, struct refresh_ctx *x)
{
    if (!*str(v, "code") || !*str(v, "name"))
        return yw_fail(x->err, YW_EFIELD, "departments",
                       "departments.json entry %zu has no code or name", i);
    const char *uscc = str(v, "uscc");
    if (*uscc && yw_cnid_check_uscc(uscc, strlen(uscc), NULL, NULL) != 0)
        return yw_fail(x->err, YW_EFIELD, "departments",
                       "department '%s': uscc '%s' is not a valid credit code", str(v, "code"),
                       uscc);
    json_int_t sort = json_is_integer(json_object_get(v, "sort"))
                          ? json_integer_value(json_object_get(v, "sort"))
                          : (json_int_t)i;
    const char *code = str(v, "code"), *name = str(v, "name"), *name_en = str(v, "name_en"),
               *short_name = str(v, "short"), *phone = str(v, "phone"),
               *address = str(v, "address");
    int64_t n = 0;
    int rc = yw_db_run_changes(
        c, &n,
        "UPDATE departments SET name = ?, name_en = ?, short = ?, phone = ?, "
        "address = ?, sort = ?, uscc = ? WHERE code = ? AND NOT (name = ? AND "
        "name_en = ? AND short = ? AND phone = ? AND address = ? AND sort = ? AND uscc = ?)",
        "sssssisssssssis", name, name_en, short_name, phone, address, (int64_t)sort, uscc, code,
        name, name_en, short_name, phone, address, (int64_t)sort, uscc);
    if (rc)
        return rc;
    if (n) {
        x->updated++;
        return 0;
    }
    rc = yw_db_run_changes(
        c, &n,
        "INSERT INTO departments (code, name, name_en, short, phone, address, sort, uscc) "
        "SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM departments WHERE code = ?)",
        "ssssssiss", code, name, name_en, short_name, phone, address, (int64_t)sort, uscc, code);
    if (rc)
        return rc;
    x->added += n > 0;
    return 0;
}

static int
refresh_type(struct yw_dbc *c, json_t *v, struct refresh_ctx *x)
{
    const char *code = str(v, "code"), *holder = str(v, "holder");
    if (strcmp(holder, "person") && strcmp(holder, "enterprise"))
        return yw_fail(x->err, YW_EFIELD, "license_types",
                       "license type '%s': holder must be person|enterprise", code);
    int rc = check_type_fields(v, x->err);
    if (rc)
        return rc;
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s, "SELECT fields, name, name_en FROM license_types WHERE code = ?", "s",
                       code);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    char old_keys[2048] = "", new_keys[2048];
    bool exists = rc == 0, same = false;
    char *fields = json_dumps(json_object_get(v, "fields"), JSON_COMPACT);
    if (exists) {
        json_t *old = json_loads(yw_db_col_text(s, 0), 0, NULL);
        field_keys(old, old_keys, sizeof old_keys);
        json_decref(old);
        same = fields && !strcmp(yw_db_col_text(s, 0), fields) &&
               !strcmp(yw_db_col_text(s, 1), str(v, "name")) &&
               !strcmp(yw_db_col_text(s, 2), str(v, "name_en"));
        yw_db_reset(s);
    }
    field_keys(json_object_get(v, "fields"), new_keys, sizeof new_keys);
    if (exists && (same || strcmp(old_keys, new_keys) != 0)) {
        if (!same)
            note_kept(x, code); /* issued licenses hold values under the old keys */
        free(fields);
        return 0;
    }
    if (exists)
        rc = yw_db_run(c,
                       "UPDATE license_types SET name = ?, name_en = ?, fields = ? WHERE code = ?",
                       "ssss", str(v, "name"), str(v, "name_en"), fields ? fields : "[]", code);
    else
        rc = yw_db_run(c,
                       "INSERT INTO license_types (name, name_en, fields, code, dept_code, holder, "
                       "validity_years, type_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       "ssssssis", str(v, "name"), str(v, "name_en"), fields ? fields : "[]", code,
                       str(v, "dept"), holder,
                       (int64_t)json_integer_value(json_object_get(v, "validity_years")),
                       str(v, "type_code"));
    free(fields);
    if (rc)
        return yw_fail(x->err, rc, "license_types", "license type '%s': cannot %s it", code,
                       exists ? "update" : "add (unknown department?)");
    if (exists)
        x->updated++;
    else
        x->added++;
    return 0;
}

/* Items stored before they had English names (migration 0031) get theirs:
 * every version whose Chinese name the file names and that has none yet.
 * The name goes into the column (and the search text), not into the stored
 * document: a version's document stays as it was filed; readers merge it
 * (yw_cat__doc_name_en). */
static int
refresh_names_en(struct yw_dbc *c, struct refresh_ctx *x)
{
    const char *zh;
    json_t *en;
    x->named = 0;
    json_object_foreach(x->names_en, zh, en)
    {
        const char *t = json_string_value(en);
        if (t == NULL || t[0] == '\0')
            continue;
        int64_t n = 0;
        int rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM items WHERE name = ? AND name_en = ''",
                               "s", zh);
        if (rc == 0 && n > 0)
            rc = yw_db_run(c,
                           "UPDATE items SET name_en = ?, search_text = search_text || ? || ' ' "
                           "WHERE name = ? AND name_en = ''",
                           "sss", t, t, zh);
        if (rc)
            return yw_fail(x->err, rc, "items", "cannot give item '%s' its English name", zh);
        x->named += (int)n;
    }
    return 0;
}

static int
refresh_tx(struct yw_dbc *c, void *vctx)
{
    struct refresh_ctx *x = vctx;
    x->added = x->updated = x->kept = 0;
    x->kept_codes[0] = '\0';
    size_t i;
    json_t *v;
    int rc;
    json_array_foreach(x->depts, i, v) if ((rc = refresh_dept(c, v, i, x))) return rc;
    json_array_foreach(x->types, i, v) if ((rc = refresh_type(c, v, x))) return rc;
    if ((rc = yw_cat__refresh_items(c, x->items, &x->items_added, &x->items_updated, x->err)))
        return rc;
    if ((rc = refresh_names_en(c, x)))
        return rc;
    if (x->added + x->updated + x->items_added + x->items_updated + x->named == 0)
        return 0; /* nothing changed: nothing to audit */
    if ((rc = yw_cat__bump(c)))
        return rc;
    char summary[240];
    snprintf(summary, sizeof summary,
             "{\"added\":%d,\"updated\":%d,\"kept\":%d,\"items_added\":%d,\"items_updated\":%d,"
             "\"items_named_en\":%d}",
             x->added, x->updated, x->kept, x->items_added, x->items_updated, x->named);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "seed",
                                                     .role = "admin",
                                                     .action = "catalog.refresh",
                                                     .obj_type = "catalog",
                                                     .obj_id = "",
                                                     .summary = summary });
}

/* item_names_en.json (a JSON object {Chinese item name: English name}) or
 * material_names_en.json (an object of two such objects).  A catalog without
 * the file (a department's own, or the tests' fixture catalog) gives its
 * items' English names in items.json (name_en) instead: an empty object. */
static json_t *
load_names_en(const char *dir, const char *name, struct yw_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog/%s", dir, name);
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return json_object();
    json_error_t je;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL || !json_is_object(v)) {
        json_decref(v);
        yw_fail(err, YW_EIO, "data_dir", "cannot read %s as a JSON object: %s (line %d)", path,
                je.text, je.line);
        return NULL;
    }
    return v;
}

static json_t *
load(const char *dir, const char *name, struct yw_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog/%s", dir, name);
    json_error_t je;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        yw_fail(err, YW_EIO, "data_dir", "cannot read %s: %s (line %d)", path, je.text, je.line);
        return NULL;
    }
    if (!json_is_array(v)) {
        json_decref(v);
        yw_fail(err, YW_EIO, "data_dir", "%s must hold a JSON array", path);
        return NULL;
    }
    return v;
}

/* The catalog is there: refresh departments and license types (see the top). */
static int
refresh(struct yw_app *app, struct yw_dbc *c, const char *dir, int64_t n, FILE *out,
        struct yw_err *err)
{
    struct refresh_ctx x = { 0 };
    x.err = err;
    int rc = YW_EIO;
    if (!(x.depts = load(dir, "departments.json", err)) ||
        !(x.types = load(dir, "license_types.json", err)) ||
        !(x.items = load(dir, "items.json", err)) ||
        !(x.names_en = load_names_en(dir, "item_names_en.json", err)))
        goto out;
    rc = yw_db_tx(app->db, YW_TX_WRITE, refresh_tx, &x, err);
    if (rc == 0 && x.added + x.updated + x.items_added + x.items_updated + x.named)
        yw_cat__snap_refresh(c);
    if (rc == 0 && out) {
        fprintf(
            out,
            "catalog: already loaded (%lld item versions); departments and e-license types refreshed: "
            "%d added, %d updated\n",
            (long long)n, x.added, x.updated);
        fprintf(out,
                "catalog: items: %d added, %d with new labels (a new version each), %d item "
                "version(s) given their English names, the rest unchanged\n",
                x.items_added, x.items_updated, x.named);
        if (x.kept)
            fprintf(
                out,
                "catalog: %d e-license type(s) kept as they are because their field keys changed "
                "(issued licenses use the old keys): %s\n",
                x.kept, x.kept_codes);
    }
out:
    json_decref(x.depts);
    json_decref(x.types);
    json_decref(x.items);
    json_decref(x.names_en);
    return rc;
}

int
yw_catalog_seed(struct yw_app *app, const char *dir, FILE *out, struct yw_err *err)
{
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EDB;
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM items", NULL);
    if (rc) /* not "empty": seeding over a catalog that is there */
        return yw_fail(err, rc == YW_ENOTFOUND ? YW_EDB : rc, "",
                       "cannot count the catalog's items");
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/catalog/departments.json", dir);
    if (access(probe, R_OK) != 0) {
        if (out)
            fprintf(out, "catalog: %s; no catalog data at %s/catalog: skipped (set --data-dir)\n",
                    n > 0 ? "already loaded" : "empty", dir);
        return 0;
    }
    if (n > 0)
        return refresh(app, c, dir, n, out, err);
    struct seed_ctx x = { 0 };
    x.err = err;
    rc = YW_EIO;
    if (!(x.depts = load(dir, "departments.json", err)) ||
        !(x.types = load(dir, "license_types.json", err)) ||
        !(x.items = load(dir, "items.json", err)) || !(x.bundles = load(dir, "bundles.json", err)) ||
        !(x.names_en = load_names_en(dir, "item_names_en.json", err)) ||
        !(x.mat_en = load_names_en(dir, "material_names_en.json", err)))
        goto out;
    rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &x, err);
    if (rc == 0) {
        yw_cat__snap_refresh(c);
        if (out)
            fprintf(
                out,
                "catalog: %zu departments, %zu e-license types, %lld items, %zu bundles loaded\n",
                json_array_size(x.depts), json_array_size(x.types), (long long)x.n_items,
                json_array_size(x.bundles));
    }
out:
    json_decref(x.depts);
    json_decref(x.types);
    json_decref(x.items);
    json_decref(x.bundles);
    json_decref(x.names_en);
    json_decref(x.mat_en);
    return rc;
}
