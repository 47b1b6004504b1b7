/*
 * catalog.h - the one catalog of every service: departments, service items
 * (政务服务事项, versioned), e-license types, bundles ("一件事") and search.
 *
 * Reads are served from an in-memory snapshot of pre-rendered JSON that is
 * rebuilt whenever the catalog changes (catalog_meta.version); other nodes
 * notice a change within two seconds.  Other modules read items through this
 * header (yw_catalog_item_*), never through the tables.
 *
 * Tables the catalog owns: departments, license_types, items, item_materials,
 * items_fts (SQLite's full-text index), bundles, bundle_items, catalog_meta.
 * Other modules read them only through this header (the readers below).
 */
#ifndef YW_CATALOG_CATALOG_H
#define YW_CATALOG_CATALOG_H

#include "db/db.h"
#include "http/http.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

extern const struct yw_module yw_catalog_module;

/* Item types (事项类型) accepted in a catalog (CN-STANDARDS.md §5.3). */
bool yw_catalog_type_ok(const char *type);
/* Is a material, by its name, a form to fill in (申请书, 申请表, 登记表 ...)?
 * The guide offers a blank form and an example of it (catalog/forms.c). */
bool yw_catalog_fillable(const char *material_name);

/* Load departments, license types, items and bundles from the JSON files in DIR/catalog
 * (data/catalog in the source tree) into an empty catalog, in one transaction
 * with one audit record.  When the catalog already has items, refreshes the
 * departments and license types from the files instead (src/catalog/seed.c says
 * what changes and what never does).
 * `out` (may be NULL) gets a one-line summary.  Returns 0 or an error naming
 * the file and entry at fault. */
int yw_catalog_seed(struct yw_app *app, const char *dir, FILE *out, struct yw_err *err);

/* Validate an item document (the JSON form of items.json entries) against the
 * catalog on connection c: fields, types, department, license types.  On
 * success returns 0. */
int yw_catalog_item_validate(struct yw_dbc *c, json_t *item, struct yw_err *err);

/* The current version of item `code`: its row id, version and a new reference
 * to its document (caller decrefs).  YW_ENOTFOUND when there is none. */
int yw_catalog_item_current(struct yw_dbc *c, const char *code, int64_t *id, int *version,
                            json_t **doc);
/* A specific version by row id (cases keep it). */
int yw_catalog_item_by_id(struct yw_dbc *c, int64_t id, json_t **doc);
/* The same two, read-only: *doc may be the node's cached document itself,
 * shared with other threads, instead of a deep copy of it (~190,000
 * instructions for a typical item, several times a submission).  Read it,
 * never change it or anything in it, json_decref it when done.  The current
 * version's document here keeps its "version" member. */
int yw_catalog_item_current_ro(struct yw_dbc *c, const char *code, int64_t *id, int *version,
                               json_t **doc);
int yw_catalog_item_by_id_ro(struct yw_dbc *c, int64_t id, json_t **doc);

/* A bundle's document ({code, name, promised_days, steps:[{step, items:[codes]}]}),
 * new reference; YW_ENOTFOUND when there is none. */
int yw_catalog_bundle(struct yw_dbc *c, const char *code, json_t **doc);

/* ---- readers for other modules ----
 *
 * Departments and e-license types change only when the catalog is seeded, so
 * these readers answer from the in-memory snapshot while the catalog module
 * keeps one of c's database current (the server: no query at all), and read
 * the tables on c otherwise (command-line tools, tests).  Strings are copied into arena a and live as
 * long as it; "" stands for an empty column.  Each returns 0, YW_ENOTFOUND
 * when there is no such code (code NULL included), or the read's negative
 * error code - a failed read is never "not found".  c may be NULL when a
 * snapshot is loaded (YW_EUNAVAIL otherwise). */

/* A department (委办局): the issuing authority of items and licenses. */
struct yw_catalog_dept {
    const char *code;
    const char *name; /* Chinese name */
    const char *name_en;
    const char *short_name; /* column `short` */
    const char *uscc;       /* the department's own credit code (license issuer) */
    const char *phone;
    const char *address;
};
int yw_catalog_dept(struct yw_dbc *c, struct yw_arena *a, const char *code,
                    struct yw_catalog_dept *out);
/* 0 when department `code` exists, YW_ENOTFOUND when not, or the read's error. */
int yw_catalog_dept_exists(struct yw_dbc *c, const char *code);

/* An e-license type (电子证照类型). */
struct yw_catalog_license_type {
    const char *code;
    const char *name;
    const char *name_en;
    const char *dept_code; /* the issuing department */
    const char *type_code; /* the national type code in license identifiers */
    const char *holder;    /* "person" or "enterprise" */
    int validity_years;    /* 0: no expiry */
    const char *fields;    /* JSON text: the array of field specs [{key, label, type, ...}] */
};
int yw_catalog_license_type(struct yw_dbc *c, struct yw_arena *a, const char *code,
                            struct yw_catalog_license_type *out);

#endif
