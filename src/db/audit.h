/*
 * audit.h - the tamper-evident audit log: many hash chains sealed into one
 * Merkle tree with signed tree heads.
 *
 * Every state change in ywtb appends an audit record in the same transaction as
 * the change.  A record belongs to a chain - each writing connection of each
 * node has its own (audit_chains) - and stores the SM3 hash of the record
 * before it in that chain (prev_hash) and its own hash over all its fields plus
 * prev_hash, so changing, removing or reordering a record breaks its chain at
 * that point.  Connections append to their own chain's head row, so writers do
 * not wait for each other (the single chain of earlier versions serialized every
 * node on one row; it is chain 1, "legacy", since migration 0035).
 *
 * Periodically (and on `ywtb audit seal`) yw_audit_seal() appends every record
 * not yet sealed to one Merkle tree, as Certificate Transparency logs do
 * (RFC 9162, with SM3 for SHA-256): leaf = SM3(0x00 || record hash), node =
 * SM3(0x01 || left || right), and signs the tree head (size, time, root) with
 * the log's SM2 key.  The tree gives inclusion proofs of one record and
 * consistency proofs between two heads (audit_tree.c), which the public API
 * publishes so an outside auditor can hold the log to its past heads.
 *
 * A module calls yw_audit_add() while its transaction is open; the record is
 * queued on the connection and chained just before COMMIT (yw_db_commit calls
 * yw_audit_flush).  A rolled-back transaction leaves no record.
 * yw_audit_verify() (and `ywtb verify --audit`) checks every chain, every tree
 * head's signature and root against the records, and that the tree covers every
 * sealed record.
 */
#ifndef YW_DB_AUDIT_H
#define YW_DB_AUDIT_H

#include "core/crypto.h"
#include "db/db.h"

#include <stdbool.h>

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
    int64_t bad_seq;   /* first record at fault, 0 when the log is intact: the record's
                        * number (seq), or for a record missing from a chain its number
                        * in the chain; -1 when the fault is a tree head, not a record */
    char problem[256]; /* what is wrong there */
    int64_t chains;    /* chains checked */
    int64_t sealed;    /* records in the tree (the last tree head's size) */
    int64_t sths;      /* signed tree heads checked */
};

/* The number of audit records (the chains' lengths summed; 0 when none): 0 or
 * a read's code. */
int yw_audit_head(struct yw_dbc *c, int64_t *seq);
/* Walk every chain and the tree.  Returns 0 when it could be read (rep->bad_seq
 * says whether it is intact), or an error when the database failed. */
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
    int64_t chain, cseq; /* its chain and its number there */
    const char *at, *actor, *role, *action, *obj_type, *obj_id, *summary, *prev_hash, *hash;
    int hash_ok, linked;
};
/* Calls fn for each record found (strings valid during the call only); a
 * non-zero return of fn stops and is returned.  0 or a read's error code. */
int yw_audit_search(struct yw_dbc *c, const struct yw_audit_filter *f,
                    int (*fn)(void *ctx, const struct yw_audit_row *r), void *ctx);

/* The canonical bytes that a record's hash covers (length-prefixed fields), for
 * tests and external verifiers: appended to out.  yw_audit_canonical is the
 * format of chain 1 (v1, numbered by seq); yw_audit_canonical_in gives any
 * chain's (v2 names the chain and the number in it; v1 for chain 1). */
void yw_audit_canonical(struct yw_buf *out, int64_t seq, const char *at,
                        const struct yw_audit_entry *e, const char *prev_hash);
void yw_audit_canonical_in(struct yw_buf *out, int64_t chain, int64_t cseq, const char *at,
                           const struct yw_audit_entry *e, const char *prev_hash);

/* ---- the Merkle tree (audit_tree.c, audit_seal.c) ---- */

#define YW_AUDIT_HEX (2 * YW_SM3_LEN + 1)

/* A signed tree head. */
struct yw_audit_sth {
    int64_t tree_size;
    int64_t timestamp_ms;
    char root_hash[YW_AUDIT_HEX]; /* hex */
    char key_id[17];
    char signature[160]; /* base64 of the DER SM2 signature */
};

/* The bytes a tree head's signature covers:
 * "ywtb-sth-v1\n<tree_size>\n<timestamp_ms>\n<root hex>\n", appended to out. */
void yw_audit_sth_signed(struct yw_buf *out, int64_t tree_size, int64_t timestamp_ms,
                         const char *root_hex);
/* RFC 9162 hashing with SM3: a leaf from a record's hash (hex), an inner node
 * from two children, the root of the empty tree. */
int yw_audit_leaf_hash(const char *record_hash_hex, unsigned char out[YW_SM3_LEN]);
void yw_audit_node_hash(const unsigned char l[YW_SM3_LEN], const unsigned char r[YW_SM3_LEN],
                        unsigned char out[YW_SM3_LEN]);
void yw_audit_empty_root(unsigned char out[YW_SM3_LEN]);

/* Checking proofs as an outside auditor would (RFC 9162 2.1.3.2 and 2.1.4.2):
 * 0 when the proof holds, YW_ECRYPTO when not. */
int yw_audit_check_inclusion(int64_t leaf_index, int64_t tree_size,
                             const unsigned char leaf[YW_SM3_LEN],
                             const unsigned char (*path)[YW_SM3_LEN], int npath,
                             const unsigned char root[YW_SM3_LEN]);
int yw_audit_check_consistency(int64_t first, int64_t second,
                               const unsigned char first_root[YW_SM3_LEN],
                               const unsigned char second_root[YW_SM3_LEN],
                               const unsigned char (*proof)[YW_SM3_LEN], int nproof);

#define YW_AUDIT_MAX_PROOF 128

/* The inclusion proof of record `seq` in the tree of the first tree_size
 * leaves (its audit path, leaf-most first): YW_ENOTFOUND when there is no such
 * record, YW_ESTATE when it is not in that tree (not sealed yet, or sealed
 * after it).  The leaf index and the record's hash come back too. */
int yw_audit_inclusion(struct yw_dbc *c, int64_t seq, int64_t tree_size, int64_t *leaf_index,
                       char record_hash[YW_AUDIT_HEX], unsigned char (*path)[YW_SM3_LEN],
                       int *npath);
/* The consistency proof between the trees of `first` and `second` leaves
 * (0 < first <= second <= the sealed size, else YW_EINVAL). */
int yw_audit_consistency(struct yw_dbc *c, int64_t first, int64_t second,
                         unsigned char (*proof)[YW_SM3_LEN], int *nproof);

/* Seal every record not yet in the tree (at most `max` of them, 0 = 100000)
 * into it and sign the new head with the log's key - made on first use, its
 * private key kept sealed under `secret` (the 32 bytes of secret_key).  Runs
 * its own write transaction; on PostgreSQL it takes an advisory lock and
 * returns with *sealed 0 when another node is sealing now (exactly once across
 * nodes).  *sealed: records added (0: nothing new, no new head); *sth the head
 * (may be NULL). */
int yw_audit_seal(struct yw_db *db, const unsigned char secret[32], int64_t max, int64_t *sealed,
                  struct yw_audit_sth *sth, struct yw_err *err);
/* The latest signed tree head: YW_ENOTFOUND when none was made yet. */
int yw_audit_sth_latest(struct yw_dbc *c, struct yw_audit_sth *out);
/* The head of exactly tree_size leaves: YW_ENOTFOUND when none. */
int yw_audit_sth_at(struct yw_dbc *c, int64_t tree_size, struct yw_audit_sth *out);
/* Heads with tree_size > after, smallest first, at most limit (1..1000):
 * fn per head; a non-zero return of fn stops and is returned. */
int yw_audit_sth_list(struct yw_dbc *c, int64_t after, int limit,
                      int (*fn)(void *ctx, const struct yw_audit_sth *h), void *ctx);
/* Whether the log has a signing key (its private half sealed under the
 * secret key, so a new secret must not be made: core/secret.h): *exists.
 * 0 or a read's error. */
int yw_audit_key_exists(struct yw_dbc *c, bool *exists);
/* The log's public keys: fn(key_id, public_pem, created_ms, active) per key. */
int yw_audit_keys(struct yw_dbc *c,
                  int (*fn)(void *ctx, const char *key_id, const char *pem, int64_t created_ms,
                            bool active),
                  void *ctx);

#endif
