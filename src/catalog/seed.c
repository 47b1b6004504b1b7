/*
 * seed.c - load the catalog from the JSON files in data/catalog (departments, e-license
 * types, service items, bundles) into an empty catalog, in one transaction.
 * The files and their fields are described in data/catalog/README.md.
 */
#include "catalog/internal.h"

#include "core/cnid.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seed_ctx {
    json_t *depts, *types, *items, *bundles;
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
        return yw_fail(err, YW_EFIELD, "license_types", "license type '%s': fields must be an array", str(type, "code"));
    json_array_foreach(fields, i, f)
    {
        if (!json_is_object(f) || !*str(f, "key") || !*str(f, "label") || !*str(f, "label_en"))
            return yw_fail(err, YW_EFIELD, "license_types",
                           "license type '%s': field %zu needs a key, a label and a label_en (English label)",
                           str(type, "code"), i + 1);
    }
    return 0;
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
        struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO departments (code, name, name_en, short, phone, address, sort, uscc) "
                                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (s == NULL)
            return YW_EDB;
        if (!*str(v, "code") || !*str(v, "name"))
            return yw_fail(err, YW_EFIELD, "departments", "departments.json entry %zu has no code or name", i);
        yw_db_bind_str(s, 1, str(v, "code"));
        yw_db_bind_str(s, 2, str(v, "name"));
        yw_db_bind_str(s, 3, str(v, "name_en"));
        yw_db_bind_str(s, 4, str(v, "short"));
        yw_db_bind_str(s, 5, str(v, "phone"));
        yw_db_bind_str(s, 6, str(v, "address"));
        yw_db_bind_int(s, 7, json_is_integer(json_object_get(v, "sort")) ? json_integer_value(json_object_get(v, "sort")) : (json_int_t)i);
        const char *uscc = str(v, "uscc");
        if (*uscc && yw_cnid_check_uscc(uscc, strlen(uscc), NULL, NULL) != 0) {
            yw_db_reset(s);
            return yw_fail(err, YW_EFIELD, "departments", "department '%s': uscc '%s' is not a valid credit code",
                           str(v, "code"), uscc);
        }
        yw_db_bind_str(s, 8, uscc);
        rc = yw_db_step(s);
        yw_db_reset(s);
        if (rc != YW_DONE)
            return yw_fail(err, rc < 0 ? rc : YW_EDB, "departments", "department '%s': cannot insert (duplicate?)",
                           str(v, "code"));
    }
    json_array_foreach(x->types, i, v)
    {
        const char *holder = str(v, "holder");
        if (strcmp(holder, "person") && strcmp(holder, "enterprise"))
            return yw_fail(err, YW_EFIELD, "license_types", "license type '%s': holder must be person|enterprise",
                           str(v, "code"));
        if ((rc = check_type_fields(v, err)))
            return rc;
        char *fields = json_dumps(json_object_get(v, "fields"), JSON_COMPACT);
        struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO license_types (code, name, name_en, dept_code, holder, "
                                             "validity_years, fields, type_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (s == NULL) {
            free(fields);
            return YW_EDB;
        }
        yw_db_bind_str(s, 1, str(v, "code"));
        yw_db_bind_str(s, 2, str(v, "name"));
        yw_db_bind_str(s, 3, str(v, "name_en"));
        yw_db_bind_str(s, 4, str(v, "dept"));
        yw_db_bind_str(s, 5, holder);
        yw_db_bind_int(s, 6, json_integer_value(json_object_get(v, "validity_years")));
        yw_db_bind_str(s, 7, fields ? fields : "[]");
        yw_db_bind_str(s, 8, str(v, "type_code"));
        rc = yw_db_step(s);
        yw_db_reset(s);
        free(fields);
        if (rc != YW_DONE)
            return yw_fail(err, rc < 0 ? rc : YW_EDB, "license_types",
                           "license type '%s': cannot insert (duplicate or unknown department?)", str(v, "code"));
    }
    json_array_foreach(x->items, i, v)
    {
        if ((rc = yw_catalog_item_validate(c, v, err)))
            return rc;
        if ((rc = yw_cat_insert_item(c, v, 1, "seed", NULL))) {
            if (rc == YW_ECONFLICT)
                return yw_fail(err, rc, "items", "item '%s' appears twice", str(v, "code"));
            return rc;
        }
        x->n_items++;
    }
    json_array_foreach(x->bundles, i, v)
    {
        char *doc = json_dumps(v, JSON_COMPACT);
        struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO bundles (code, name, name_en, target, promised_days, doc) "
                                             "VALUES (?, ?, ?, ?, ?, ?)");
        if (s == NULL) {
            free(doc);
            return YW_EDB;
        }
        yw_db_bind_str(s, 1, str(v, "code"));
        yw_db_bind_str(s, 2, str(v, "name"));
        yw_db_bind_str(s, 3, str(v, "name_en"));
        yw_db_bind_str(s, 4, str(v, "target"));
        yw_db_bind_int(s, 5, json_integer_value(json_object_get(v, "promised_days")));
        yw_db_bind_str(s, 6, doc);
        rc = yw_db_step(s);
        yw_db_reset(s);
        free(doc);
        if (rc != YW_DONE)
            return yw_fail(err, rc < 0 ? rc : YW_EDB, "bundles", "bundle '%s': cannot insert", str(v, "code"));
        size_t k;
        json_t *step;
        int sort = 0;
        json_array_foreach(json_object_get(v, "steps"), k, step)
        {
            size_t j;
            json_t *code;
            json_array_foreach(json_object_get(step, "items"), j, code)
            {
                if (!json_is_string(code) || yw_catalog_item_current(c, json_string_value(code), NULL, NULL, NULL))
                    return yw_fail(err, YW_EFIELD, "bundles", "bundle '%s' names unknown item '%s'", str(v, "code"),
                                   json_is_string(code) ? json_string_value(code) : "?");
                struct yw_stmt *b = yw_db_prepare(c, "INSERT INTO bundle_items (bundle_code, item_code, step, sort) "
                                                     "VALUES (?, ?, ?, ?)");
                if (b == NULL)
                    return YW_EDB;
                yw_db_bind_str(b, 1, str(v, "code"));
                yw_db_bind_str(b, 2, json_string_value(code));
                json_t *sn = json_object_get(step, "step");
                yw_db_bind_int(b, 3, json_is_integer(sn) ? json_integer_value(sn) : (json_int_t)k + 1);
                yw_db_bind_int(b, 4, sort++);
                rc = yw_db_step(b);
                yw_db_reset(b);
                if (rc != YW_DONE)
                    return yw_fail(err, rc < 0 ? rc : YW_EDB, "bundles", "bundle '%s': item '%s' listed twice",
                                   str(v, "code"), json_string_value(code));
            }
        }
    }
    if ((rc = yw_cat_bump(c)))
        return rc;
    char summary[160];
    snprintf(summary, sizeof summary, "{\"departments\":%zu,\"license_types\":%zu,\"items\":%lld,\"bundles\":%zu}",
             json_array_size(x->depts), json_array_size(x->types), (long long)x->n_items, json_array_size(x->bundles));
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "seed", .role = "admin", .action = "catalog.seed",
                                                      .obj_type = "catalog", .obj_id = "", .summary = summary });
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

int
yw_catalog_seed(struct yw_app *app, const char *dir, FILE *out, struct yw_err *err)
{
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EDB;
    struct yw_stmt *s = yw_db_prepare(c, "SELECT COUNT(*) FROM items");
    if (s == NULL)
        return YW_EDB;
    int rc = yw_db_step(s);
    int64_t n = rc == YW_ROW ? yw_db_col_int(s, 0) : 0;
    yw_db_reset(s);
    if (rc != YW_ROW) /* not "empty": seeding over a catalog that is there */
        return yw_fail(err, rc < 0 ? rc : YW_EDB, "", "cannot count the catalog's items");
    if (n > 0) {
        if (out)
            fprintf(out, "catalog: already loaded (%lld item versions)\n", (long long)n);
        return 0;
    }
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/catalog/departments.json", dir);
    if (access(probe, R_OK) != 0) {
        if (out)
            fprintf(out, "catalog: no catalog data at %s/catalog: skipped (set --data-dir)\n", dir);
        return 0;
    }
    struct seed_ctx x = { 0 };
    x.err = err;
    rc = YW_EIO;
    if (!(x.depts = load(dir, "departments.json", err)) || !(x.types = load(dir, "license_types.json", err)) ||
        !(x.items = load(dir, "items.json", err)) || !(x.bundles = load(dir, "bundles.json", err)))
        goto out;
    rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &x, err);
    if (rc == 0) {
        yw_cat_snap_refresh(c);
        if (out)
            fprintf(out, "catalog: %zu departments, %zu e-license types, %lld items, %zu bundles loaded\n",
                    json_array_size(x.depts), json_array_size(x.types), (long long)x.n_items,
                    json_array_size(x.bundles));
    }
out:
    json_decref(x.depts);
    json_decref(x.types);
    json_decref(x.items);
    json_decref(x.bundles);
    return rc;
}
