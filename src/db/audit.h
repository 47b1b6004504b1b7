/*
 * audit.h - the tamper-evident audit chain.
 *
 * Every state change in ywtb appends an audit record in the same transaction as
 * the change.  Records form one hash chain: record n stores the SM3 hash of
 * record n-1 (prev_hash) and its own hash over all its fields plus prev_hash, so
 * changing, removing or reordering any record breaks the chain at that point,
 * which yw_audit_verify() (and `ywtb verify --audit`) finds.
 *
 * A module calls yw_audit_add() while its transaction is open; the record is
 * queued on the connection and chained just before COMMIT (yw_db_commit calls
 * yw_audit_flush).  Chaining takes the single `audit_head` row's write lock
 * (`UPDATE audit_head ... RETURNING`), so many server nodes on one PostgreSQL
 * still produce one unbroken sequence; the lock is held only from the flush to
 * the commit.  A rolled-back transaction leaves no record.
 */
#ifndef YW_DB_AUDIT_H
#define YW_DB_AUDIT_H

#include "db/db.h"

#include <stdint.h>
#include <stdio.h>

struct yw_audit_entry {
    const char *actor;    /* account id/username or "system" */
    const char *role;     /* role under which the actor acted */
    const char *action;   /* "case.accept", "user.create" ... */
    const char *obj_type; /* "case", "account" ... */
    const char *obj_id;
    const char *summary; /* a JSON object as text; "{}" when NULL */
};

/* Queue a record on c's open transaction (strings are copied).  Returns
 * YW_EINVAL when c has no open write transaction. */
int yw_audit_add(struct yw_dbc *c, const struct yw_audit_entry *e);
/* Chain and insert the queued records (called by yw_db_commit). */
int yw_audit_flush(struct yw_dbc *c);
/* Drop queued records (called on rollback). */
void yw_audit_discard(struct yw_dbc *c);
/* Number of records queued now, and dropping the ones queued after such a mark
 * (a batched job rolled back to its savepoint, db/batch.c). */
size_t yw_audit_mark(struct yw_dbc *c);
void yw_audit_truncate(struct yw_dbc *c, size_t mark);

struct yw_audit_report {
    int64_t records;   /* records checked */
    int64_t bad_seq;   /* first record at fault, 0 when the chain is intact */
    char problem[256]; /* what is wrong there */
};

/* The sequence number of the last audit record (0 when none): 0 or a read's code. */
int yw_audit_head(struct yw_dbc *c, int64_t *seq);
/* Walk the whole chain.  Returns 0 when it could be read (rep->bad_seq says
 * whether it is intact), or an error when the database failed. */
int yw_audit_verify(struct yw_db *db, struct yw_audit_report *rep, struct yw_err *err);
/* Each walk that could read the chain is kept in audit_verifications (when it
 * finished, records checked, the first bad record or 0).  The last one: all 0
 * and *intact true when there was none; 0 or a read's error. */
int yw_audit_last_verify(struct yw_dbc *c, int64_t *finished_ms, int64_t *records, bool *intact);

/* Reading the chain (the supervisors' audit viewer): the records that
 * match every filter given (NULL or "" = any), newest first, each with its
 * place in the chain checked: hash_ok when its hash matches its content,
 * linked when its prev_hash is the hash of the record before it (the
 * genesis hash for record 1).  A whole-chain answer is yw_audit_verify(). */
struct yw_audit_filter {
    const char *actor;    /* exactly as stored (account id, "system") */
    const char *action;   /* exact, or a prefix when it ends in '.' ("case.") */
    const char *obj_type; /* exact */
    const char *obj_id;   /* exact */
    const char *from;     /* at >= from (text as stored, "YYYY-MM-DDTHH:MM:SS.mmmZ") */
    const char *until;    /* at < until */
    int64_t before;       /* seq < before (0: from the head): the next page */
    int limit;            /* at most this many records (1..1000) */
};
struct yw_audit_row {
    int64_t seq;
    const char *at, *actor, *role, *action, *obj_type, *obj_id, *summary, *prev_hash, *hash;
    int hash_ok, linked;
};
/* Calls fn for each record found (strings valid during the call only); a
 * non-zero return of fn stops and is returned.  0 or a read's error code. */
int yw_audit_search(struct yw_dbc *c, const struct yw_audit_filter *f,
                    int (*fn)(void *ctx, const struct yw_audit_row *r), void *ctx);

/* The canonical bytes that a record's hash covers (length-prefixed fields), for
 * tests and external verifiers: appended to out. */
void yw_audit_canonical(struct yw_buf *out, int64_t seq, const char *at,
                        const struct yw_audit_entry *e, const char *prev_hash);

#endif
