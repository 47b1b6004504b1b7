/*
 * catalog.h - the one catalog of every service: departments, service items
 * (政务服务事项, versioned), e-license types, bundles ("一件事") and search.
 *
 * Reads are served from an in-memory snapshot of pre-rendered JSON that is
 * rebuilt whenever the catalog changes (catalog_meta.version); other nodes
 * notice a change within two seconds.  Other modules read items through this
 * header (yw_catalog_item_*), never through the tables.
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
int yw_catalog_item_current(struct yw_dbc *c, const char *code, int64_t *id, int *version, json_t **doc);
/* A specific version by row id (cases keep it). */
int yw_catalog_item_by_id(struct yw_dbc *c, int64_t id, json_t **doc);

/* A bundle's document ({code, name, promised_days, steps:[{step, items:[codes]}]}),
 * new reference; YW_ENOTFOUND when there is none. */
int yw_catalog_bundle(struct yw_dbc *c, const char *code, json_t **doc);

#endif
