/*
 * audit_verify.c - the whole check of the audit log (`ywtb verify --audit`,
 * the supervisors' "verify" button), offline, from one snapshot:
 *
 *  1. every chain, record by record in its own order: each record's hash
 *     matches its content (else "changed"), its number follows the one before
 *     (else "missing ... removed"), its prev_hash is the hash of the record
 *     before it (else "does not follow ... reordered, removed or replaced"),
 *     and the chain ends where its head row says (else "removed from the end",
 *     "not covered by the chain head", "the chain head does not match");
 *  2. the tree: the sealed records, in leaf order, have the leaf indexes
 *     0..n-1 without a gap; the root recomputed from them at each signed tree
 *     head's size is that head's root - so each head is consistent with every
 *     earlier one, being a prefix of the same leaves - and each head's SM2
 *     signature verifies with the log's key it names;
 *  3. the last head's frontier (what the next seal continues from) and its
 *     consistency proof against the head before it as the API serves it.
 *
 * Memory stays flat: records and heads are read in pages.
 */
#include "db/audit_internal.h"

#include "core/clock.h"
#include "core/sm2.h"
#include "db/db_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int report(struct yw_audit_report *rep, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
report(struct yw_audit_report *rep, int64_t seq, const char *fmt, ...)
{
    rep->bad_seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
    va_end(ap);
    return 0;
}

/* ---- 1. the chains ---- */

struct head {
    int64_t id, seq;
    char hash[YW_AUDIT_HEX];
};

struct chains {
    struct head *v;
    size_t n, at;        /* heads, and the next one not yet walked */
    const struct head *cur; /* the chain being walked (NULL: none) */
    int64_t expect;      /* its next number */
    int64_t last_seq;    /* the record seq of its last record walked */
    char prev[YW_AUDIT_HEX];
};

static int
load_heads(struct yw_dbc *c, struct chains *ch)
{
    struct yw_stmt *s = yw_db_query(c, "SELECT id, seq, hash FROM audit_chains ORDER BY id", NULL);
    if (s == NULL)
        return YW_EDB;
    size_t cap = 0;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (ch->n == cap) {
            cap = cap ? 2 * cap : 64;
            ch->v = yw_xrealloc(ch->v, cap * sizeof *ch->v);
        }
        struct head *h = &ch->v[ch->n++];
        h->id = yw_db_col_int(s, 0);
        h->seq = yw_db_col_int(s, 1);
        snprintf(h->hash, sizeof h->hash, "%s", yw_db_col_text(s, 2));
    }
    return yw_db_finish(s, rc);
}

/* The chain being walked ends here: 1 when it is at fault (reported). */
static int
end_chain(struct chains *ch, struct yw_audit_report *rep)
{
    const struct head *h = ch->cur;
    if (h == NULL)
        return 0;
    ch->cur = NULL;
    rep->chains++;
    if (h->seq > ch->expect - 1) {
        report(rep, ch->expect,
               "chain %lld: records %lld to %lld were removed from the end of the chain",
               (long long)h->id, (long long)ch->expect, (long long)h->seq);
        return 1;
    }
    if (h->seq == ch->expect - 1 && strcmp(h->hash, ch->prev) != 0) {
        report(rep, ch->last_seq ? ch->last_seq : 1,
               "chain %lld: the chain head does not match record %lld", (long long)h->id,
               (long long)ch->last_seq);
        return 1;
    }
    return 0;
}

/* Move to chain `id` (heads before it that have no records are ended as
 * empty): 1 when a fault was reported. */
static int
start_chain(struct chains *ch, int64_t id, int64_t seq, struct yw_audit_report *rep)
{
    if (end_chain(ch, rep))
        return 1;
    while (ch->at < ch->n && ch->v[ch->at].id < id) {
        ch->cur = &ch->v[ch->at++];
        ch->expect = 1;
        ch->last_seq = 0;
        snprintf(ch->prev, sizeof ch->prev, "%s", YW_AUDIT_GENESIS);
        if (end_chain(ch, rep))
            return 1;
    }
    if (ch->at >= ch->n || ch->v[ch->at].id != id) {
        report(rep, seq, "record %lld belongs to chain %lld, which has no head: not covered by "
                         "the chain head",
               (long long)seq, (long long)id);
        return 1;
    }
    ch->cur = &ch->v[ch->at++];
    ch->expect = 1;
    ch->last_seq = 0;
    snprintf(ch->prev, sizeof ch->prev, "%s", YW_AUDIT_GENESIS);
    return 0;
}

static int
verify_chains(struct yw_dbc *c, struct yw_audit_report *rep)
{
    struct chains ch = { 0 };
    int rc = load_heads(c, &ch);
    if (rc)
        goto out;
    struct yw_buf canon;
    yw_buf_init(&canon);
    int64_t at_chain = 0, at_cseq = 0;
    for (;;) {
        struct yw_stmt *s = yw_db_query(
            c,
            "SELECT seq, at, actor, role, action, obj_type, obj_id, summary, prev_hash, hash, "
            "chain, cseq FROM audit_log WHERE cseq >= 1 AND (chain > ? OR (chain = ? AND "
            "cseq > ?)) ORDER BY chain, cseq LIMIT 5000",
            "iii", at_chain, at_chain, at_cseq);
        if (s == NULL) {
            rc = YW_EDB;
            goto done;
        }
        int got = 0;
        while ((rc = yw_db_step(s)) == YW_ROW) {
            got++;
            int64_t seq = yw_db_col_int(s, 0);
            int64_t chain = yw_db_col_int(s, 10), cseq = yw_db_col_int(s, 11);
            at_chain = chain;
            at_cseq = cseq;
            struct yw_audit_entry e = {
                .actor = yw_db_col_text(s, 2),
                .role = yw_db_col_text(s, 3),
                .action = yw_db_col_text(s, 4),
                .obj_type = yw_db_col_text(s, 5),
                .obj_id = yw_db_col_text(s, 6),
                .summary = yw_db_col_text(s, 7),
            };
            const char *at = yw_db_col_text(s, 1);
            const char *rprev = yw_db_col_text(s, 8);
            const char *rhash = yw_db_col_text(s, 9);
            if ((ch.cur == NULL || ch.cur->id != chain) && start_chain(&ch, chain, seq, rep))
                goto stop;
            if (cseq != ch.expect) {
                report(rep, ch.expect,
                       "chain %lld: record %lld is missing (next present is %lld, record %lld): "
                       "removed",
                       (long long)chain, (long long)ch.expect, (long long)cseq, (long long)seq);
                goto stop;
            }
            if (strcmp(rprev, ch.prev) != 0) {
                report(rep, seq,
                       "record %lld does not follow record %lld of chain %lld (previous-hash "
                       "mismatch): reordered, removed or replaced",
                       (long long)seq, (long long)ch.last_seq, (long long)chain);
                goto stop;
            }
            yw_buf_reset(&canon);
            yw_audit_canonical_in(&canon, chain, cseq, at, &e, ch.prev);
            char hash[YW_AUDIT_HEX];
            if ((rc = yw_sm3_hex(canon.p, canon.n, hash))) {
                yw_db_reset(s);
                goto done;
            }
            if (strcmp(hash, rhash) != 0) {
                report(rep, seq, "record %lld was changed (its hash does not match its content)",
                       (long long)seq);
                goto stop;
            }
            if (cseq > ch.cur->seq) {
                report(rep, seq,
                       "record %lld (number %lld of chain %lld) is not covered by the chain head "
                       "(the chain ends at %lld)",
                       (long long)seq, (long long)cseq, (long long)chain, (long long)ch.cur->seq);
                goto stop;
            }
            memcpy(ch.prev, hash, sizeof ch.prev);
            ch.last_seq = seq;
            ch.expect++;
            rep->records++;
            continue;
        stop:
            yw_db_reset(s);
            rc = 0;
            goto done;
        }
        if ((rc = yw_db_finish(s, rc)))
            goto done;
        if (got == 0)
            break;
    }
    /* the chains after the last record's */
    if (start_chain(&ch, INT64_MAX, 0, rep) && rep->bad_seq)
        goto done;
    rep->bad_seq = 0;
    rep->problem[0] = '\0';
    /* rows outside every chain's numbering (a forged seq 0 or -5, no number) */
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s,
                       "SELECT COUNT(*), MIN(seq) FROM audit_log WHERE cseq IS NULL OR cseq < 1",
                       NULL);
    if (rc) {
        rc = rc == YW_ENOTFOUND ? YW_EDB : rc;
        goto done;
    }
    int64_t outside = yw_db_col_int(s, 0), first = yw_db_col_int(s, 1);
    yw_db_reset(s);
    if (outside > 0)
        report(rep, first, "record %lld lies outside the chain (its number in its chain is not "
                           "1 or more)",
               (long long)first);
done:
    yw_buf_release(&canon);
out:
    free(ch.v);
    return rc;
}

/* ---- 2. the tree ---- */

struct key {
    char id[17];
    struct yw_sm2_key *k;
};

struct tree {
    struct key *keys;
    size_t nkeys;
    struct yw_audit_sth *sth; /* a page of heads */
    size_t nsth, at;
    int64_t sth_after, last_ts, last_size;
    char last_root[YW_AUDIT_HEX], prev_root[YW_AUDIT_HEX];
    int64_t prev_size;
};

static int
add_key(void *ctx, const char *key_id, const char *pem, int64_t created_ms, bool active)
{
    struct tree *t = ctx;
    struct yw_sm2_key *k = NULL;
    if (yw_sm2_load_pem(pem, strlen(pem), false, &k))
        return 0; /* a damaged key: the heads it signed fail below */
    t->keys = yw_xrealloc(t->keys, (t->nkeys + 1) * sizeof *t->keys);
    snprintf(t->keys[t->nkeys].id, sizeof t->keys[t->nkeys].id, "%s", key_id);
    t->keys[t->nkeys].k = k;
    t->nkeys++;
    return 0;
}

static int
add_sth(void *ctx, const struct yw_audit_sth *h)
{
    struct tree *t = ctx;
    t->sth[t->nsth++] = *h;
    return 0;
}

static int
next_heads(struct yw_dbc *c, struct tree *t)
{
    t->nsth = t->at = 0;
    int rc = yw_audit_sth_list(c, t->sth_after, 1000, add_sth, t);
    if (rc == 0 && t->nsth)
        t->sth_after = t->sth[t->nsth - 1].tree_size;
    return rc;
}

/* Check the head against the root recomputed at its size: 1 when at fault. */
static int
check_head(struct tree *t, const struct yw_audit_sth *h, const unsigned char root[YW_SM3_LEN],
           struct yw_audit_report *rep)
{
    char hex[YW_AUDIT_HEX];
    yw_hex(root, YW_SM3_LEN, hex);
    if (strcmp(hex, h->root_hash) != 0) {
        report(rep, -1,
               "the tree head of %lld records does not match the records sealed in it (root "
               "mismatch): the log was rewritten after it was signed",
               (long long)h->tree_size);
        return 1;
    }
    if (h->timestamp_ms < t->last_ts) {
        report(rep, -1, "the tree head of %lld records is dated before the head before it",
               (long long)h->tree_size);
        return 1;
    }
    const struct yw_sm2_key *k = NULL;
    for (size_t i = 0; i < t->nkeys; i++)
        if (strcmp(t->keys[i].id, h->key_id) == 0)
            k = t->keys[i].k;
    struct yw_buf msg;
    yw_buf_init(&msg);
    yw_audit_sth_signed(&msg, h->tree_size, h->timestamp_ms, h->root_hash);
    int bad = k == NULL || yw_sm2_verify(k, msg.p, msg.n, h->signature) != 0;
    yw_buf_release(&msg);
    if (bad) {
        report(rep, -1, "the signature of the tree head of %lld records does not verify (key %s)",
               (long long)h->tree_size, h->key_id);
        return 1;
    }
    t->last_ts = h->timestamp_ms;
    t->prev_size = t->last_size;
    memcpy(t->prev_root, t->last_root, sizeof t->prev_root);
    t->last_size = h->tree_size;
    memcpy(t->last_root, hex, sizeof t->last_root);
    rep->sths++;
    return 0;
}

static int
verify_tree(struct yw_dbc *c, struct yw_audit_report *rep)
{
    struct tree t = { 0 };
    t.sth = yw_xmalloc(1000 * sizeof *t.sth);
    struct yw_audit_frontier f;
    memset(&f, 0, sizeof f);
    int rc = yw_audit_keys(c, add_key, &t);
    if (rc == 0)
        rc = next_heads(c, &t);
    if (rc)
        goto out;
    int64_t after = -1;
    for (;;) {
        struct yw_stmt *s = yw_db_query(
            c, "SELECT leaf, hash, seq FROM audit_log WHERE leaf > ? ORDER BY leaf LIMIT 5000",
            "i", after);
        if (s == NULL) {
            rc = YW_EDB;
            goto out;
        }
        int got = 0;
        while ((rc = yw_db_step(s)) == YW_ROW) {
            got++;
            int64_t leaf = yw_db_col_int(s, 0), seq = yw_db_col_int(s, 2);
            after = leaf;
            unsigned char lh[YW_SM3_LEN];
            if (leaf != f.size) {
                report(rep, seq,
                       "leaf %lld of the tree is missing (the next is record %lld at leaf "
                       "%lld): a sealed record was removed",
                       (long long)f.size, (long long)seq, (long long)leaf);
                goto stop;
            }
            if (yw_audit_leaf_hash(yw_db_col_text(s, 1), lh)) {
                report(rep, seq, "record %lld was changed (its hash is not a hash)",
                       (long long)seq);
                goto stop;
            }
            yw_audit__frontier_push(&f, lh, NULL, NULL);
            while (t.at < t.nsth && t.sth[t.at].tree_size <= f.size) {
                const struct yw_audit_sth *h = &t.sth[t.at++];
                if (h->tree_size != f.size) {
                    report(rep, -1, "the tree head of %lld records has no leaves to match",
                           (long long)h->tree_size);
                    goto stop;
                }
                unsigned char root[YW_SM3_LEN];
                yw_audit__frontier_root(&f, root);
                if (check_head(&t, h, root, rep))
                    goto stop;
                if (t.at == t.nsth) {
                    yw_db_reset(s); /* a page of heads is read between statements */
                    if ((rc = next_heads(c, &t)))
                        goto out;
                    s = NULL;
                    break;
                }
            }
            if (s == NULL)
                break;
            continue;
        stop:
            if (s)
                yw_db_reset(s);
            rc = 0;
            goto out;
        }
        if (s == NULL)
            continue;
        if ((rc = yw_db_finish(s, rc)))
            goto out;
        if (got == 0)
            break;
    }
    rep->sealed = f.size;
    if (t.at < t.nsth) {
        report(rep, -1,
               "the tree head of %lld records covers records no longer in the log (the tree has "
               "%lld leaves): sealed records were removed",
               (long long)t.sth[t.at].tree_size, (long long)f.size);
        goto out;
    }
    if (t.last_size != f.size && t.last_size != 0) {
        /* leaves beyond the last head: a seal that never committed cannot leave
         * them, so they were set by hand */
        report(rep, -1, "leaves %lld to %lld are in no signed tree head", (long long)t.last_size,
               (long long)f.size - 1);
        goto out;
    }
    if (t.last_size == 0 && f.size) {
        report(rep, -1, "leaves 0 to %lld are in no signed tree head", (long long)f.size - 1);
        goto out;
    }
    /* 3. what the next seal and the API build on */
    if (t.last_size) {
        struct yw_stmt *s;
        rc = yw_db_one_row(c, &s, "SELECT frontier FROM audit_sth WHERE tree_size = ?", "i",
                           t.last_size);
        if (rc)
            goto out;
        struct yw_buf want;
        yw_buf_init(&want);
        yw_audit__frontier_text(&f, &want);
        int same = strcmp(yw_db_col_text(s, 0), want.n ? want.p : "") == 0;
        yw_db_reset(s);
        yw_buf_release(&want);
        if (!same) {
            report(rep, -1, "the frontier stored with the tree head of %lld records is damaged",
                   (long long)t.last_size);
            goto out;
        }
    }
    if (t.prev_size) {
        unsigned char proof[YW_AUDIT_MAX_PROOF][YW_SM3_LEN], r1[YW_SM3_LEN], r2[YW_SM3_LEN];
        int np = 0;
        rc = yw_audit_consistency(c, t.prev_size, t.last_size, proof, &np);
        if (rc == YW_ESTATE || (rc == 0 && (yw_audit__unhex(t.prev_root, r1) ||
                                            yw_audit__unhex(t.last_root, r2) ||
                                            yw_audit_check_consistency(
                                                t.prev_size, t.last_size, r1, r2,
                                                (const unsigned char(*)[YW_SM3_LEN])proof, np)))) {
            report(rep, -1,
                   "the consistency proof between the tree heads of %lld and %lld records does "
                   "not hold (the subtree roots kept for proofs are damaged)",
                   (long long)t.prev_size, (long long)t.last_size);
            rc = 0;
        }
    }
out:
    for (size_t i = 0; i < t.nkeys; i++)
        yw_sm2_free(t.keys[i].k);
    free(t.keys);
    free(t.sth);
    return rc;
}

/* Keep the outcome for /metrics (the age of the last check and whether the
 * log was intact).  Not an audit record itself: a verification changes
 * nothing, and a log that grew by each check would never verify twice
 * alike.  Best effort. */
static void
record_verify(struct yw_dbc *c, const struct yw_audit_report *rep)
{
    if (yw_db_begin(c, YW_TX_WRITE))
        return;
    int rc = yw_db_run(c,
                       "INSERT INTO audit_verifications (finished_ms, records, bad_seq, problem) "
                       "VALUES (?, ?, ?, ?)",
                       "iiis", yw_clock_now_ms(), rep->records, rep->bad_seq,
                       rep->bad_seq ? rep->problem : "");
    if (rc == 0 && yw_db_commit(c) == 0)
        return;
    yw_db_rollback(c);
}

int
yw_audit_verify(struct yw_db *db, struct yw_audit_report *rep, struct yw_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    int rc = yw_db_begin(c, YW_TX_SNAPSHOT); /* heads and records from one snapshot */
    if (rc)
        return yw_fail(err, rc, "", "cannot read the audit log: %s", c->errmsg);
    rc = verify_chains(c, rep);
    if (rc == 0 && rep->bad_seq == 0)
        rc = verify_tree(c, rep);
    if (rc) {
        char msg[sizeof c->errmsg];
        snprintf(msg, sizeof msg, "%s", c->errmsg);
        yw_db_rollback(c);
        return yw_fail(err, rc < 0 ? rc : YW_EDB, "", "cannot read the audit log: %s", msg);
    }
    yw_db_rollback(c);
    record_verify(c, rep);
    return 0;
}
