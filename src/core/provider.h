/*
 * provider.h - services one module offers another through core, so that the
 * module that asks never includes the module that answers.
 *
 * Cases needs to know what other modules hold about an applicant, but no
 * module may include cases (or be included by it) for that: the modules that
 * hold documents and data register providers here at start-up (their module
 * init), and cases asks the registry.  Two kinds:
 *
 *   material provider  "which of this holder's documents satisfies a material
 *                       of e-license type T?"  The licenses module is one (the
 *                       holder's newest valid license of that type); the data
 *                       hub will be another.
 *   prefill provider   "what do we already know about holder H for form field
 *                       source S?"  Cases answers the sources of the
 *                       applicant's own account itself (name, id_number, sex,
 *                       birth_date, phone, company_name, uscc, legal_rep) and
 *                       asks the registered prefill providers for any other
 *                       source a form field names (the data hub will add one).
 *   file access        "may principal P see upload F because it belongs to
 *                       something of mine that P may see?"  Files asks when
 *                       the reader is not the uploader; cases answers for the
 *                       materials of the cases P may see.  Files never
 *                       includes cases: without a provider that says yes, an
 *                       upload is its uploader's alone.
 *   material waiver    "may holder H apply for item I with required material M
 *                       still missing, to hand it in later?" (容缺受理).  Cases
 *                       asks for each required material missing at submission;
 *                       supervision answers yes when an honest credit record
 *                       of H meets a fast-track rule naming I and M.  Without
 *                       a provider that says yes, a missing material refuses
 *                       the submission as before.
 *   hold               "must something happen before case K goes on from
 *                       point P?"  Cases asks when a case is submitted and
 *                       when its review is complete; payments answers with
 *                       a payment order for the item's fee (it writes the
 *                       order, in the case's transaction), and the case
 *                       waits, its clock paused, until payments publishes
 *                       payment.paid or payment.waived (core/events.h).
 *
 * Providers are asked in order of registration.  A provider runs on the
 * caller's connection, inside the caller's transaction when there is one; it
 * only reads.  A holder is an ID number (GB 11643) or a unified social credit
 * code (GB 32100).  Registration is start-up only: the registry is not
 * thread-safe against concurrent registration, and is read without a lock.
 */
#ifndef YW_CORE_PROVIDER_H
#define YW_CORE_PROVIDER_H

#include <jansson.h>
#include <stdint.h>

struct yw_dbc;       /* db/db.h: core does not include db */
struct yw_principal; /* http/http.h: nor http */
struct yw_err;       /* core/err.h */

/* A material provider: 0 and a new reference to {ref, label, ...} in
 * *evidence when the holder has a document of this e-license type
 * (`ref` names it, for a license its identifier); YW_ENOTFOUND when not;
 * any other error when it cannot tell (a failed read is never "not found"). */
typedef int (*yw_material_provider_fn)(struct yw_dbc *c, const char *holder,
                                       const char *license_type, json_t **evidence, void *ctx);

/* A prefill provider: 0 and a new reference to the value (a string or a
 * number) in *value when it knows `source` of this holder; YW_ENOTFOUND when
 * it does not (a source it has never heard of included); any other error when
 * it cannot tell. */
typedef int (*yw_prefill_provider_fn)(struct yw_dbc *c, const char *holder, const char *source,
                                      json_t **value, void *ctx);

/* A file access provider: 0 when `who` may see upload `file_id` because it
 * belongs to something of the provider's module that `who` may see (a
 * material of a case they may see); YW_ENOTFOUND when not through this
 * provider (the upload is none of its business included); any other error
 * when it cannot tell (a failed read is never a yes, nor a no). */
typedef int (*yw_file_access_fn)(struct yw_dbc *c, const char *file_id,
                                 const struct yw_principal *who, void *ctx);

/* A material waiver provider: 0 and a new reference to {why, ...} in *why
 * when holder may hand material_code of item item_code (of department dept)
 * in later; YW_ENOTFOUND when not; any other error when it cannot tell. */
typedef int (*yw_waiver_provider_fn)(struct yw_dbc *c, const char *holder, const char *item_code,
                                     const char *dept, const char *material_code, json_t **why,
                                     void *ctx);
/* Register at start-up (module init).  `name` (static storage) says who it
 * is in logs and audit records.  Up to 8 of each kind; one more is refused
 * with an error log. */
void yw_provider_add_material(const char *name, yw_material_provider_fn fn, void *ctx);
void yw_provider_add_prefill(const char *name, yw_prefill_provider_fn fn, void *ctx);
void yw_provider_add_file_access(const char *name, yw_file_access_fn fn, void *ctx);
void yw_provider_add_waiver(const char *name, yw_waiver_provider_fn fn, void *ctx);
/* Forget every provider (tests, shutdown). */
void yw_provider_reset(void);

/* How many material providers are registered (0: no document can satisfy a
 * material, a caller may skip its look-ups). */
int yw_provider_material_count(void);

/* Ask the material providers in order for a document of `holder` satisfying
 * e-license type `license_type`.  With `ref` NULL the first evidence found
 * wins; with `ref` set only evidence whose "ref" equals it counts (the
 * applicant named a document: a provider must vouch for exactly that one).
 * Returns 0 with a new reference in *evidence (the caller decrefs),
 * YW_ENOTFOUND when no provider has one, or the first provider's error. */
int yw_provider_find_material(struct yw_dbc *c, const char *holder, const char *license_type,
                              const char *ref, json_t **evidence);

/* Ask the prefill providers in order for `source` of `holder`: 0 with a new
 * reference in *value (a non-empty string or a number; the caller decrefs),
 * YW_ENOTFOUND when none knows it (also when none is registered), or the
 * first provider's error. */
int yw_provider_prefill(struct yw_dbc *c, const char *holder, const char *source, json_t **value);

/* Ask the file access providers in order whether `who` may see upload
 * `file_id` (the caller has already found that `who` is not its uploader).
 * Returns 0 when one says yes, with its name in *granted_by when that is not
 * NULL; YW_ENOTFOUND when none does (also when none is registered); or the
 * first provider's error (the caller denies, with that error). */
int yw_provider_file_access(struct yw_dbc *c, const char *file_id, const struct yw_principal *who,
                            const char **granted_by);
/* Ask the material waiver providers in order whether holder may hand
 * material_code of item_code in later: 0 with a new reference in *why (the
 * caller decrefs; may be NULL), YW_ENOTFOUND when none says yes (also when
 * none is registered), or the first provider's error (the caller refuses). */
int yw_provider_waive_material(struct yw_dbc *c, const char *holder, const char *item_code,
                               const char *dept, const char *material_code, json_t **why);

/* ---- hold providers (payments, issue 18) ----
 *
 * Points a case may be held at: "submitted" (before the window takes it up:
 * a fee paid on application) and "approved" (the reviews approved it; the
 * decision takes effect - and a license is issued - once the fee that
 * depends on it is paid).  `kase` is the case as its events carry it
 * (case_no, case_id, code, item_id, applicant_id, applicant_ident,
 * applicant_name, dept, kind, title).  Unlike the other kinds, a hold
 * provider may write its own tables (the order), inside the caller's
 * transaction.  It returns 0 with a new reference to {kind, ref} in *hold
 * when the case must wait (kind: what for, "payment"; ref: its object, the
 * order number), YW_ENOTFOUND when nothing must happen first (no fee, or
 * already paid), or any other error when it cannot tell (the transition
 * fails with it; err says why). */
typedef int (*yw_hold_provider_fn)(struct yw_dbc *c, const char *point, json_t *kase,
                                   json_t **hold, struct yw_err *err, void *ctx);
void yw_provider_add_hold(const char *name, yw_hold_provider_fn fn, void *ctx);
/* Ask the hold providers in order: the first that holds the case wins (0 and
 * *hold); YW_ENOTFOUND when none does (also when none is registered); or the
 * first provider's error. */
int yw_provider_hold(struct yw_dbc *c, const char *point, json_t *kase, json_t **hold,
                     struct yw_err *err);

/* ---- SMS providers (identity, issue 15) ----
 *
 * "Send this text to this mobile number."  Identity sends one-time codes
 * (verifying a phone number, resetting a forgotten password) by SMS without
 * including services: services registers one, which queues the message in
 * its outgoing queue (sent by its sender through the SMS gateway it is
 * configured with), in the caller's transaction - so the code exists exactly
 * when the record of it committed.  key is unique per message (one key is
 * queued once); account_id the addressee (its language picks text_zh or
 * text_en; 0: Chinese).  With phone NULL nothing is sent (c may be NULL
 * then): the answer says whether an SMS could be.  Returns 0 when queued, YW_EUNAVAIL when no SMS
 * gateway is configured (also when no provider is registered), or the error
 * of a write that failed.  Unlike most kinds it writes, like a hold provider. */
typedef int (*yw_sms_provider_fn)(struct yw_dbc *c, int64_t account_id, const char *phone,
                                  const char *key, const char *text_zh, const char *text_en,
                                  void *ctx);
void yw_provider_add_sms(const char *name, yw_sms_provider_fn fn, void *ctx);
/* Send through the first SMS provider (there is one gateway); see above. */
int yw_provider_send_sms(struct yw_dbc *c, int64_t account_id, const char *phone,
                         const char *key, const char *text_zh, const char *text_en);

/* ---- approval-ahead providers (licenses, issue 19) ----
 *
 * "A reviewer is approving case K: prepare now what its approval will need."
 * The approval that completes a case issues the item's e-license inside the
 * approval's transaction, on the batcher - the one thread that holds the
 * write lock - and the SM2 signature was a third of a full flow's work there.
 * So cases asks these providers on the HTTP worker, before the decision joins
 * the batch (outside any transaction, on the worker's own connection), with
 * the case as its case.approved event would carry it (case_no, item_id,
 * applicant_ident, applicant_name, form, ...).  The licenses module signs the
 * license the case would get and keeps it; its case.approved subscriber then
 * only writes it, when it is still exactly what it would have signed.  A
 * provider may write only its own bookkeeping, in transactions of its own
 * (the licenses module reserves serial numbers); what it prepares is advisory:
 * nothing may depend on it, and its failures are its own (logged, ignored). */
typedef void (*yw_approval_ahead_fn)(struct yw_dbc *c, json_t *kase, void *ctx);
void yw_provider_add_approval_ahead(const char *name, yw_approval_ahead_fn fn, void *ctx);
/* Ask every approval-ahead provider in order (none registered: nothing). */
void yw_provider_approval_ahead(struct yw_dbc *c, json_t *kase);

#endif
