/*
 * internal.h - shared inside src/datahub only: the resource as the store
 * reads it, and each capability's store functions (resources.c, records.c,
 * grants.c, reads.c, subject.c, seed.c).  Handlers (routes.c) call these and
 * never write SQL.
 */
#ifndef YW_DATAHUB_INTERNAL_H
#define YW_DATAHUB_INTERNAL_H

#include "datahub/datahub.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* A resource as stored; strings and `fields` live in the arena it was read
 * into (fields is released with the arena). */
struct yw_dh_res {
    int64_t id;
    const char *code, *dept, *name, *name_en, *description;
    const char *subject_kind;  /* person | enterprise | none */
    const char *subject_field; /* the field holding the subject key ("" for none) */
    const char *record_key;    /* the field that tells a subject's records apart ("" = one) */
    const char *share_type;    /* unconditional | conditional | none */
    const char *frequency;     /* realtime | daily | monthly | yearly */
    const char *legal_basis;
    bool open, self_view;
    json_t *fields; /* [{key, name, name_en, type, sensitivity, masked, required}] */
    int64_t version, rows_refused;
    const char *last_import_at, *created_at, *updated_at;
};

/* ---- resources.c: the catalog ---- */

/* Resource `code` into *out: 0, YW_ENOTFOUND, or the read's error. */
int yw_dh__res_get(struct yw_dbc *c, struct yw_arena *a, const char *code, struct yw_dh_res *out);
/* The newest approved, unexpired grant of a department on a resource, as
 * yw_dh__res_get_grant read it with the resource (strings in the arena). */
struct yw_dh_grant_row {
    bool read;  /* looked up (false: yw_dh__access reads it itself) */
    bool found; /* there is one */
    int64_t id;
    const char *fields, *masked; /* JSON arrays as stored */
};
/* Resource `code` and dept's grant on it in one statement (a subject read's
 * first round trip): 0, YW_ENOTFOUND, or the read's error. */
int yw_dh__res_get_grant(struct yw_dbc *c, struct yw_arena *a, const char *code, const char *dept,
                         struct yw_dh_res *out, struct yw_dh_grant_row *g);
/* The field spec of `key` in r, or NULL. */
json_t *yw_dh__res_field(const struct yw_dh_res *r, const char *key);
/* Its JSON (new reference); with_quality adds the figures (rows, subjects,
 * refused, last import, freshness) read on c. */
json_t *yw_dh__res_json(struct yw_dbc *c, const struct yw_dh_res *r, bool with_quality);
/* Check a resource document (create or edit) into a normalised copy
 * (*out, new reference).  EFIELD/EMISSING naming the field at fault. */
int yw_dh__res_check(json_t *doc, json_t **out, struct yw_err *err);
/* Create from a checked document (audited, version 1); ECONFLICT when the
 * code is taken. */
int yw_dh__res_create(struct yw_dbc *c, json_t *doc, const char *actor, struct yw_err *err);
/* Replace r's definition with doc (checked; code and dept stay): version + 1,
 * the old one kept in dh_resource_versions, audited. */
int yw_dh__res_update(struct yw_dbc *c, const struct yw_dh_res *r, json_t *doc, const char *actor,
                      struct yw_err *err);
/* The catalog, filtered by q (name, code, description, field names: LIKE)
 * and dept; open_only for the public page.  NULL when the read fails. */
json_t *yw_dh__res_list(struct yw_dbc *c, const char *q, const char *dept, bool open_only,
                        int64_t limit, int64_t offset);
/* Whether principal dept/roles may manage resources of department `dept`. */
bool yw_dh__may_manage(const struct yw_principal *who, const char *dept);

/* ---- flat.c: the plain NDJSON line, scanned without a parse ---- */

#define YW_DH_FLAT_MAX 64
struct yw_dh_flat_kv {
    const char *key, *val; /* into the line; val NULL for null */
    size_t klen, vlen;
    bool null;
};
struct yw_dh_flat {
    size_t n;
    struct yw_dh_flat_kv kv[YW_DH_FLAT_MAX];
};
/* True when line is one object of up to YW_DH_FLAT_MAX distinct keys whose
 * values are strings without escapes or null (out: where each is). */
bool yw_dh__flat_scan(const char *line, size_t len, struct yw_dh_flat *out);

/* ---- records.c: ingestion ---- */

/* A resource's data items compiled once for checking many rows (an import). */
struct yw_dh_spec_field {
    const char *key, *name; /* in r->fields */
    int type;
    bool needed, subject, record_key;
};
struct yw_dh_spec {
    const struct yw_dh_res *r;
    struct yw_dh_spec_field *f;
    size_t n;
};
int yw_dh__spec_init(const struct yw_dh_res *r, struct yw_dh_spec *sp);
void yw_dh__spec_release(struct yw_dh_spec *sp);
/* Check a flat line (flat.c) against sp without building it: 0 when every
 * value is stored as it came (*subject, *record_key in a), 1 when it needs
 * more (normalising, UTF-8 to check: parse it and use
 * yw_dh__row_check_spec), or the refusal (err). */
int yw_dh__row_check_flat(const struct yw_dh_spec *sp, const struct yw_dh_flat *fl,
                          struct yw_arena *a, const char **subject, const char **record_key,
                          struct yw_err *err);
/* yw_dh__row_check with a compiled spec.  *data is `row` itself (a new
 * reference) when every value is stored as it came, so the caller can keep
 * the row's own text (*data == row). */
int yw_dh__row_check_spec(const struct yw_dh_spec *sp, json_t *row, struct yw_arena *a,
                          json_t **data, const char **subject, const char **record_key,
                          struct yw_err *err);

/* One row checked against r: the normalised data object (*data, new
 * reference), the subject key and the record key (copied into the arena).
 * On a refusal: YW_EFIELD/YW_EMISSING with err naming the field and why. */
int yw_dh__row_check(const struct yw_dh_res *r, json_t *row, struct yw_arena *a, json_t **data,
                     const char **subject, const char **record_key, struct yw_err *err);
/* Open a batch: *id.  idem and req_hash may be NULL. */
int yw_dh__batch_open(struct yw_dbc *c, const struct yw_dh_res *r, const char *source,
                      const char *actor, const char *idem, const char *req_hash, int64_t *id);
/* The stored result of the batch with this idempotency key: 0 and *result
 * (new reference) with the hash of the body it came with in req_hash,
 * YW_ENOTFOUND, or the read's error. */
int yw_dh__batch_find(struct yw_dbc *c, const struct yw_dh_res *r, const char *idem,
                      json_t **result, char req_hash[65]);
/* Upsert one checked row: data, or text when the caller has its JSON text
 * already (the input line of a row that needed no normalising); at: the
 * time to stamp (NULL: now). */
int yw_dh__row_put(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch, const char *subject,
                   const char *record_key, json_t *data, const char *text, const char *at);
/* Upsert rows (each with its data as JSON text) in statements of
 * YW_DH_GROUP rows - fewer statements, one round trip per group on
 * PostgreSQL; fewer than YW_DH_GROUP: one statement each.  No two rows may
 * have the same subject and record key (one statement cannot upsert a row
 * twice on PostgreSQL): the caller sends the second in the next group. */
#define YW_DH_GROUP 64
struct yw_dh_put {
    const char *subject, *record_key;
    char *text; /* the caller's, malloc'd */
    size_t len;
};
int yw_dh__rows_put(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch,
                    const struct yw_dh_put *rows, size_t n, const char *at);
/* Close the batch: its counts, the resource's freshness, an audit record. */
int yw_dh__batch_close(struct yw_dbc *c, const struct yw_dh_res *r, int64_t batch, int64_t ok,
                       int64_t refused, json_t *result, const char *actor);
/* The CSV of an open resource's records (non-personal: subject kind none),
 * malloc'd into *out. */
int yw_dh__open_csv(struct yw_dbc *c, const struct yw_dh_res *r, char **out, size_t *len);

/* ---- grants.c ---- */

struct yw_dh_access {
    bool allowed;
    json_t *fields; /* keys readable (new reference) */
    json_t *masked; /* keys shown masked (new reference) */
    int64_t grant_id;
};
/* What department `dept` may read of r today: owner all, unconditional all
 * (masked as the fields say), conditional through an approved grant.
 * a->allowed false with err saying why (not shared, no grant).  0 or the
 * read's error. */
int yw_dh__access(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept,
                  struct yw_dh_access *a, struct yw_err *err);
/* The same from the grant row read with the resource (g->read), without a
 * statement of its own; with g NULL or not read, yw_dh__access. */
int yw_dh__access_with(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept,
                       const struct yw_dh_grant_row *g, struct yw_dh_access *a,
                       struct yw_err *err);
void yw_dh__access_release(struct yw_dh_access *a);
int yw_dh__grant_request(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept,
                         json_t *fields, const char *purpose, const char *legal_basis,
                         const char *until, const char *actor, int64_t *id, struct yw_err *err);
/* decision: approve (fields/masked may be NULL: as requested / as the
 * resource masks), deny, revoke.  The caller's department must manage the
 * resource (who). */
int yw_dh__grant_decide(struct yw_dbc *c, int64_t id, const char *decision, json_t *fields,
                        json_t *masked, const char *reason, const struct yw_principal *who,
                        struct yw_err *err);
json_t *yw_dh__grant_json_by_id(struct yw_dbc *c, int64_t id);
/* Grants a department sees: its own requests and those for its resources
 * (the hub's department and admins: all).  NULL when the read fails. */
json_t *yw_dh__grant_list(struct yw_dbc *c, const struct yw_principal *who, const char *status);

/* ---- reads.c: purposeful reads and the ledger ---- */

struct yw_dh_reader {
    const char *kind; /* staff | system | prefill */
    const char *dept, *login, *name;
    const char *purpose_code, *purpose_text, *case_no;
    const char *sealed_until, *seal_basis; /* "" unless sealed */
    const char *scopes;    /* a department system's token scopes; NULL for staff (scopes.c) */
    const char *item_code; /* a prefill read: the service item it is for ("" or NULL otherwise) */
};
/* Check a purpose (code case needs case_no; the others a text; a seal only
 * for investigation, with its basis and a date). */
int yw_dh__purpose_check(const struct yw_dh_reader *rd, struct yw_err *err);
/* A read of one subject's records of one resource, in three steps so that
 * only its ledger entry is written in the group commit (routes.c h_read, a
 * YW_R_PREP route): the access decision and the records are read on the
 * HTTP worker (yw_dh__read_prepare: g is rd's grant as read with r, or NULL
 * to read it there); the entry is written in the batch
 * (yw_dh__read_commit); the answer is made once that committed
 * (yw_dh__read_answer) - never before the entry is durable. */
struct yw_dh_read {
    char subject[19]; /* normalised */
    json_t *fields, *masked, *records;
    int64_t ledger_id;
};
int yw_dh__read_prepare(struct yw_dbc *c, const struct yw_dh_res *r,
                        const struct yw_dh_grant_row *g, const char *subject,
                        const struct yw_dh_reader *rd, struct yw_dh_read *out, struct yw_err *err);
int yw_dh__read_commit(struct yw_dbc *c, const struct yw_dh_res *r, const struct yw_dh_reader *rd,
                       struct yw_dh_read *rp);
/* {resource, resource_name, subject, fields, masked, records, ledger_id}
 * (new reference); releases rp. */
json_t *yw_dh__read_answer(const struct yw_dh_res *r, struct yw_dh_read *rp);
void yw_dh__read_release(struct yw_dh_read *rp);
/* A subject's whole file as department rd->dept may read it: every
 * resource holding records about them that the department may read, one
 * ledger entry per resource (c in a write transaction).  *out: {subject,
 * resources: [{resource, resource_name, dept, fields, records, ledger_id}],
 * withheld: resources with records the department may not read}. */
int yw_dh__read_file(struct yw_dbc *c, struct yw_arena *a, const char *subject,
                     const struct yw_dh_reader *rd, json_t **out, struct yw_err *err);
/* Append a ledger entry. */
int yw_dh__ledger_add(struct yw_dbc *c, const struct yw_dh_res *r, const char *subject,
                      const struct yw_dh_reader *rd, json_t *fields, int64_t *id);
/* The prefill provider (core/provider.h): source "RESOURCE.field". */
int yw_dh__prefill_provider(struct yw_dbc *c, const char *holder, const char *source,
                            json_t **value, void *ctx);
/* The values of item `item`'s hub-sourced form fields for holder, each read
 * written to the ledger with the item as purpose: {values:{source: v},
 * locked:[field keys]}. */
int yw_dh__prefill_item(struct yw_dbc *c, struct yw_arena *a, const char *holder,
                        const char *item_code, json_t **out, struct yw_err *err);
/* The value masked for lists (first and last character kept). */
json_t *yw_dh__mask(json_t *v);

/* ---- scopes.c: what a department system's token allows ---- */

/* Whether scopes (NULL: not a system) allow `verb` (read | push) on
 * resource code at all: datahub.<verb>, datahub.<verb>:<code>, or a field
 * of it. */
bool yw_dh__scope_resource(const char *scopes, const char *verb, const char *code);
/* Whether scopes hold any datahub.<verb> scope (whole, a resource, a field). */
bool yw_dh__scope_any(const char *scopes, const char *verb);
/* The keys of `fields` that scopes let a system read of resource code (new
 * reference; all of them when scopes is NULL). */
json_t *yw_dh__scope_fields(const char *scopes, const char *code, json_t *fields);
/* Narrow an allowed access to what scopes allow; none left: acc->allowed
 * false, released, and YW_EFORBIDDEN in err (field "scope"). */
int yw_dh__scope_narrow(const char *scopes, const struct yw_dh_res *r, struct yw_dh_access *acc,
                        struct yw_err *err);

/* ---- subject.c: a subject's own file, ledger, disputes, corrections ---- */

json_t *yw_dh__my_file(struct yw_dbc *c, const char *subject);
json_t *yw_dh__my_ledger(struct yw_dbc *c, const char *subject, int64_t limit, int64_t offset);
int yw_dh__dispute(struct yw_dbc *c, const char *subject, int64_t ledger_id, const char *reason,
                   int64_t *id, struct yw_err *err);
json_t *yw_dh__disputes(struct yw_dbc *c, const struct yw_principal *who);
int yw_dh__dispute_answer(struct yw_dbc *c, int64_t id, const char *answer,
                          const struct yw_principal *who, struct yw_err *err);
int yw_dh__correction_add(struct yw_dbc *c, const char *subject, const char *resource,
                          const char *field, const char *record_key, const char *proposed,
                          const char *reason, int64_t *id, struct yw_err *err);
json_t *yw_dh__corrections(struct yw_dbc *c, const struct yw_principal *who, const char *subject);
int yw_dh__correction_answer(struct yw_dbc *c, int64_t id, const char *decision, const char *answer,
                             const struct yw_principal *who, struct yw_err *err);
/* Working-day deadline: today + n working days ("YYYY-MM-DD"). */
void yw_dh__due_day(int n, char out[11]);
int yw_dh__calendar_init(const char *data_dir, struct yw_err *err);
void yw_dh__calendar_free(void);

/* ---- logins.c ---- */

/* oidc.login (identity): the login to a department's system goes to the
 * person's ledger as a read by that system, its scopes as the data items. */
int yw_dh__on_oidc_login(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                         struct yw_err *err);

/* ---- submissions.c: the item and case of a submission's prefill reads ---- */

/* Remember ledger entry id, written by the prefill provider in the
 * transaction open on c, until case.submitted names its item and case. */
void yw_dh__submission_note(struct yw_dbc *c, int64_t ledger_id);
/* case.submitted (cases): label the entries noted in this transaction. */
int yw_dh__on_case_submitted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                             struct yw_err *err);

/* ---- partitions.c ---- */

/* PostgreSQL: this month's and next month's ledger partitions (logged, never fatal). */
void yw_dh__partitions_ensure(struct yw_db *db);

/* ---- seed.c ---- */
int yw_dh__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

/* ---- import.c: `ywtb import data` ---- */
extern const struct yw_command yw_dh__commands[];

/* small helpers (resources.c) */
void yw_dh__now(char buf[32]);
const char *yw_dh__today(char buf[11]);
bool yw_dh__str_in(json_t *array, const char *s);

#endif
