/*
 * internal.h - shared inside src/catalog only.
 */
#ifndef YW_CATALOG_INTERNAL_H
#define YW_CATALOG_INTERNAL_H

#include "catalog/catalog.h"

/* store.c: insert one version of an item (doc already validated) and its
 * materials; bumps nothing. */
int yw_cat__insert_item(struct yw_dbc *c, json_t *doc, int version, const char *by, int64_t *id);
/* store.c: every version of item `code`, newest first, as a JSON array into
 * *out (the caller owns it): 0, YW_ENOTFOUND when the item has no version,
 * or the read's error. */
int yw_cat__item_versions(struct yw_dbc *c, const char *code, json_t **out);
/* store.c: make doc (the edited item, not yet validated) the new current
 * version of item `code`, inside the caller's write transaction: validates it,
 * retires the current version, inserts the new one, bumps the catalog version
 * and queues the audit record ("item.edit" by actor).  YW_ENOTFOUND (err
 * filled) when there is no such item, a validation error with err naming the
 * field, or the write's error.  if_match (NULL: none) is the request's If-Match
 * header: unless it is "*" or names the current version's entity tag ("N", see
 * yw_cat__etag), YW_EPRECOND and nothing changes (checked in the same
 * transaction, so of two edits from the same copy exactly one wins). */
int yw_cat__item_edit(struct yw_dbc *c, const char *code, json_t *doc, const char *actor,
                      const char *if_match, int *new_version, struct yw_err *err);
/* refresh.c: bring the release's items (items.json, an array) into a loaded
 * catalog inside the caller's write transaction: new items added as version 1,
 * the labels of existing ones refreshed as a new version (see refresh.c).
 * Counts into *added and *updated; 0 or the first error (err filled). */
int yw_cat__refresh_items(struct yw_dbc *c, json_t *items, int *added, int *updated,
                          struct yw_err *err);
/* store.c: the entity tag of an item version, "\"N\"" (the quotes included). */
void yw_cat__etag(int64_t version, char out[24]);
/* store.c: does an If-Match header's list name etag (or is it "*")? */
bool yw_cat__if_match(const char *if_match, const char *etag);
/* store.c: give an item document its English name from the items.name_en
 * column (a row the seed filled after it was stored, migration 0031) unless
 * the document has one; name_en "" or doc NULL: nothing. */
void yw_cat__doc_name_en(json_t *doc, const char *name_en);
/* store.c: bump catalog_meta.version (every catalog change does, in its transaction). */
/* PostgreSQL channel on which a catalog change is announced to every node (snapshot.c) */
#define YW_CAT_CHANNEL "ywtb_catalog"
int yw_cat__bump(struct yw_dbc *c);
int yw_cat__meta_version(struct yw_dbc *c, int64_t *v);

/* snapshot.c: pre-rendered JSON of the catalog. */
struct yw_cat_blob {
    char *json;
    size_t len;
    int64_t version; /* the entry's top-level "version" (an item's), else 0 */
};
/* Copy of the snapshot's rendering for `kind` ("departments", "bundles",
 * "license-types") or for one entry ("item:CODE", "bundle:CODE",
 * "license-type:CODE"); malloc'd into *out.  YW_ENOTFOUND when absent. */
int yw_cat__snap_get(const char *key, char **out, size_t *len, int64_t *version);
/* Rebuild the snapshot now from c (after a local change, and at start). */
int yw_cat__snap_refresh(struct yw_dbc *c);
int yw_cat__snap_start(struct yw_app *app, struct yw_err *err);
void yw_cat__snap_stop(void);
/* A department / license type from the snapshot of db's catalog, copied into
 * a (out NULL: only whether it exists).  YW_EUNAVAIL unless a snapshot of db
 * (db NULL: of any database) is loaded and kept current - between
 * yw_cat__snap_start and yw_cat__snap_stop; YW_ENOTFOUND when there is no such
 * code. */
int yw_cat__snap_dept(struct yw_db *db, struct yw_arena *a, const char *code,
                      struct yw_catalog_dept *out);
int yw_cat__snap_license_type(struct yw_db *db, struct yw_arena *a, const char *code,
                              struct yw_catalog_license_type *out);
/* Department name by code from the snapshot ("" when unknown). Copies into out. */
void yw_cat__snap_dept_name(const char *code, char *out, size_t n);

/* Search the snapshot: current items matching every filter and containing
 * q (ASCII case-insensitive), most popular first; a page and the total. */
struct yw_cat_query;
int yw_cat__snap_search(const struct yw_cat_query *q, json_t **items, int64_t *total);

/* synonyms.c: the other ways of saying a query (社保 -> 社会保险, ...), each
 * the query with one side of a pair replaced by the other; at most max. */
#define YW_CAT_ALT_LEN 512
int yw_cat__synonyms(const char *q, char alts[][YW_CAT_ALT_LEN], int max);
size_t yw_cat__synonym_pairs(void);

/* forms.c: GET /api/v1/items/{code}/materials/{mcode}/form.pdf (blank or ?example=1) */
struct yw_req;
int yw_cat__form_pdf(struct yw_req *req);

/* search.c */
struct yw_cat_query {
    const char *q, *dept, *target, *type;
    int64_t limit, offset;
};
int yw_cat__search(struct yw_dbc *c, const struct yw_cat_query *q, json_t **items, int64_t *total,
                   struct yw_err *err);

#endif
