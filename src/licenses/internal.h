/*
 * internal.h - shared inside src/licenses only.
 */
#ifndef YW_LICENSES_INTERNAL_H
#define YW_LICENSES_INTERNAL_H

#include "catalog/catalog.h"
#include "core/sm2.h"
#include "licenses/licenses.h"

/* names.c: the catalog's departments and license types as licenses show
 * them, read through catalog.h once per distinct code (lists name the same
 * few codes again and again).  The caller owns the struct; strings live in
 * its arena until yw_lic__names_release. */
struct yw_lic_name;
struct yw_lic_names {
    struct yw_dbc *c;
    struct yw_arena arena;
    struct yw_lic_name *head;
};
void yw_lic__names_init(struct yw_lic_names *n, struct yw_dbc *c);
void yw_lic__names_release(struct yw_lic_names *n);
/* The department / license type `code` into *out: 0, with every column ""
 * when the catalog has no such code (what a LEFT JOIN gave); or the read's
 * error - never "no such code" for a read that failed - with *out empty. */
int yw_lic__names_dept(struct yw_lic_names *n, const char *code,
                       const struct yw_catalog_dept **out);
int yw_lic__names_type(struct yw_lic_names *n, const char *code,
                       const struct yw_catalog_license_type **out);
/* A list read: every row of s (from yw_db_query; NULL when it could not be
 * prepared) added to `into` by fn, which gets the list's names and ctx and
 * returns 0 or an error.  Returns `into`, or NULL - `into` released - when
 * s is NULL, a step fails or fn fails; *rc (may be NULL) gets 0 or why. */
typedef int (*yw_lic_row_fn)(struct yw_stmt *s, struct yw_lic_names *names, json_t *into,
                             void *ctx);
json_t *yw_lic__rows(struct yw_dbc *c, struct yw_stmt *s, json_t *into, yw_lic_row_fn fn, void *ctx,
                     int *rc);

/* keys.c */
int yw_lic__keys_init(struct yw_app *app, struct yw_err *err);
/* The module's sealed_keys hook (http.h): the departments' sealed keys. */
int yw_lic__sealed_keys(struct yw_dbc *c, const char **what);
void yw_lic__keys_shutdown(void);
/* The department's active signing key (made on first use, in c's write
 * transaction).  The key stays owned by the cache. */
int yw_lic__dept_key(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key,
                     char key_id[17], struct yw_err *err);
/* The same, without making one: YW_ENOTFOUND when the department has none. */
int yw_lic__dept_key_existing(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key,
                              char key_id[17], struct yw_err *err);
int yw_lic__rotate_key(struct yw_dbc *c, const char *dept, char key_id[17], struct yw_err *err);
/* Public keys as the JSON of GET /api/v1/keys (new reference); NULL when
 * they cannot be read. */
json_t *yw_lic__keys_json(struct yw_dbc *c);

/* issue.c */
struct yw_lic__issue {
    const char *type_code;    /* LT-nnn */
    const char *holder_ident; /* ID number or credit code */
    const char *holder_name;
    json_t *fields;          /* object */
    const char *valid_from;  /* YYYY-MM-DD or NULL = today */
    const char *valid_until; /* YYYY-MM-DD, "" = none, NULL = from the type's validity */
    const char *source;      /* case number, "api", "import" */
    const char *actor;
    const char *actor_dept;  /* must issue this type (NULL = any: automatic issue) */
    const char *holder_kind; /* person | enterprise; NULL = the type's (a case's applicant may be
                              * either: a company holds a 不动产权证书 too) */
    /* where the serial comes from: NULL = the department's next in this
     * transaction; ahead.c passes its reserved block */
    int (*serial_fn)(struct yw_dbc *c, const char *dept, int year, char out[24]);
    bool existing_key; /* sign only with a key the department has (outside a
                        * transaction: making one is a write with its audit) */
};
int yw_lic__issue(struct yw_dbc *c, const struct yw_lic__issue *in, char id_out[128],
                  struct yw_err *err);
/* The same in three steps, so that a bulk import signs on every core:
 * prepare (the checks, the identifier, the document to sign; in the
 * transaction), sign (no database: any thread, 0 or YW_ECRYPTO), finish (the
 * signed document, the row, the audit record, the event; in the transaction).
 * `in` must outlive the issuing. */
struct yw_lic__issuing;
struct yw_lic__issuing *yw_lic__issuing_new(const struct yw_lic__issue *in);
void yw_lic__issuing_free(struct yw_lic__issuing *x);
const char *yw_lic__issuing_id(const struct yw_lic__issuing *x);
int yw_lic__issue_prepare(struct yw_dbc *c, struct yw_lic__issuing *x, struct yw_err *err);
int yw_lic__issue_sign(struct yw_lic__issuing *x);
int yw_lic__issue_finish(struct yw_dbc *c, struct yw_lic__issuing *x, struct yw_err *err);
int yw_lic__set_status(struct yw_dbc *c, const char *id, const char *status, const char *reason,
                       const char *actor, const char *actor_dept, struct yw_err *err);
int yw_lic__on_case_approved(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                             struct yw_err *err);
/* What a case's approval issues, from the case as case.approved carries it:
 * 0 with the request in r->in (its strings point into r's references), or
 * YW_ENOTFOUND when the case's item issues nothing (a bundle, no license
 * type), or the read's error.  yw_lic__case_request_done releases r. */
struct yw_lic__case_request {
    struct yw_lic__issue in;
    json_t *payload, *item, *fields;
};
int yw_lic__case_request(struct yw_dbc *c, json_t *payload, struct yw_lic__case_request *r);
void yw_lic__case_request_done(struct yw_lic__case_request *r);
/* The approval's license when ahead.c signed it before the approval: the
 * holder checked again and the key still the department's; then finish. */
int yw_lic__issue_recheck(struct yw_dbc *c, struct yw_lic__issuing *x, struct yw_err *err);
/* Fields of an issuing that decide whether a prepared license still fits. */
int64_t yw_lic__issuing_day(const struct yw_lic__issuing *x);
const char *yw_lic__issuing_key_id(const struct yw_lic__issuing *x);

/* ahead.c: the approval's license signed on the HTTP worker, before the
 * approval's transaction (core/provider.h, approval-ahead). */
void yw_lic__ahead(struct yw_dbc *c, json_t *kase, void *ctx);
/* The license prepared for this case when it still fits `r` (same type,
 * holder, name, fields and day), taken out of the store: the caller
 * finishes it and releases it with yw_lic__ahead_done, saying whether it
 * was written (false: the holder or the key changed; sign now).  NULL: sign now. */
struct yw_lic__ahead;
struct yw_lic__ahead *yw_lic__ahead_take(const char *case_no,
                                         const struct yw_lic__case_request *r);
struct yw_lic__issuing *yw_lic__ahead_issuing(struct yw_lic__ahead *e);
void yw_lic__ahead_done(struct yw_lic__ahead *e, bool used);
/* Figures for /metrics: prepared, used, refused as stale, signed at approval. */
void yw_lic__ahead_counts(uint64_t out[4]);
struct yw_buf;
void yw_lic__ahead_metrics(struct yw_buf *out, void *ctx);
void yw_lic__ahead_shutdown(void);

/* wallet.c */
/* One license as staff and its holder see it into *out (the caller owns it):
 * 0, YW_ENOTFOUND when there is no such license, or the read's error (*out
 * NULL) - never "not found" for a read that failed. */
int yw_lic__license_json(struct yw_dbc *c, const char *id, bool with_document, json_t **out);
int yw_lic__provider(struct yw_dbc *c, const char *holder, const char *license_type,
                     json_t **evidence, void *ctx);
int yw_lic__on_kiosk_printed(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                             struct yw_err *err);
int yw_lic__on_case_submitted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                              struct yw_err *err);
/* Lists (new references): licenses by holder/type/department, one license's
 * use log.  NULL when the read fails: the caller answers 500, never an empty
 * list. */
json_t *yw_lic__list_json(struct yw_dbc *c, const char *holder, const char *type, const char *dept,
                          int64_t limit, int64_t offset);
json_t *yw_lic__uses_json(struct yw_dbc *c, const char *license_id);
int yw_lic__log_use(struct yw_dbc *c, const char *license_id, const char *case_no, const char *dept,
                    const char *material, const char *purpose, const char *actor);

/* grants.c */
int yw_lic__grant_create(struct yw_dbc *c, const char *license_id, const char *grantee,
                         const char *purpose, int64_t hours, const char *actor, char code_out[32],
                         char expires_out[32], struct yw_err *err);
int yw_lic__grant_revoke(struct yw_dbc *c, const char *license_id, const char *code,
                         const char *actor, struct yw_err *err);
/* The license's grants (new reference); NULL when the read fails. */
json_t *yw_lic__grants_json(struct yw_dbc *c, const char *license_id);
int yw_lic__grant_open(struct yw_dbc *c, const char *code, json_t **license, struct yw_err *err);

/* print.c */
int yw_lic__print(struct yw_dbc *c, const char *id, const char *base_url, char **out, size_t *len,
                  struct yw_err *err);
/* What a verifier may learn of a license into *out: 0, YW_ENOTFOUND, or the
 * read's error. */
int yw_lic__public_status(struct yw_dbc *c, const char *id, json_t **out);

/* qr.c: GET /api/v1/licenses/{id}/qr.svg, the QR code of the check address. */
int yw_lic__h_qr(struct yw_req *req);

/* verify.c */
/* Check a document against the keys and statuses in the database.  Returns 0
 * with the verdict in *v, or the read's error (with err filled) when the key
 * or the license cannot be read: never "unknown key" or "unknown license" for
 * a read that failed. */
int yw_lic__verify_online(struct yw_dbc *c, json_t *document, struct yw_lic_verdict *v,
                          struct yw_err *err);
/* The department's signed status list (revoked and suspended licenses) into
 * *out (the caller owns it).  YW_ENOTFOUND: no such department, or it has no
 * key yet; YW_EDB: the licenses cannot be read (nothing is signed then). */
int yw_lic__status_list(struct yw_dbc *c, const char *dept, json_t **out, struct yw_err *err);

#endif
