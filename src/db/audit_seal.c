/*
 * audit_seal.c - sealing the audit records into the Merkle tree and signing
 * its head (see audit.h), and reading the signed tree heads back.
 *
 * A seal takes the records not yet in the tree (leaf IS NULL) in the order of
 * their numbers, gives them the next leaf indexes, continues the tree from the
 * last head's frontier (so a seal costs its new leaves, not the whole log),
 * keeps the roots of the perfect subtrees it completes (audit_nodes, for the
 * proofs) and signs the new head with the log's SM2 key (core/sm2.h, as the
 * licenses sign; the private key sealed under secret_key like theirs).  One
 * write transaction: a head and its leaves appear together or not at all.  On
 * PostgreSQL the seal first takes a transaction advisory lock and gives up
 * when another node holds it, so the periodic job runs once across nodes; the
 * unique leaf index and the head's primary key make a second sealer fail
 * rather than fork the tree even without it.
 */
#include "db/audit_internal.h"

#include "core/clock.h"
#include "core/sm2.h"
#include "db/db_internal.h"

#include <stdlib.h>
#include <string.h>

#define SEAL_LOCK 0x79777462 /* "ywtb" */

/* The active signing key, made (and stored sealed) when there is none. */
static int
signing_key(struct yw_dbc *c, const unsigned char secret[32], struct yw_sm2_key **key,
            char key_id[17], struct yw_err *err)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT key_id, private_sealed FROM audit_keys WHERE active = 1 ORDER BY created_ms DESC",
        NULL);
    struct yw_buf pem;
    yw_buf_init(&pem);
    if (rc == 0) {
        snprintf(key_id, 17, "%s", yw_db_col_text(s, 0));
        rc = yw_unseal(secret, yw_db_col_text(s, 1), &pem);
        yw_db_reset(s);
        if (rc == 0)
            rc = yw_sm2_load_pem(pem.p, pem.n, true, key);
        if (pem.p)
            yw_wipe(pem.p, pem.n);
        yw_buf_release(&pem);
        if (rc)
            return yw_fail(err, YW_ECONFIG, "secret_key",
                           "the secret key does not open the audit log's signing key %s: every "
                           "node needs the secret key it was sealed with",
                           key_id);
        return 0;
    }
    if (rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot read the audit log's keys: %s", yw_dbc_errmsg(c));
    struct yw_buf pub, sealed;
    yw_buf_init(&pub);
    yw_buf_init(&sealed);
    rc = yw_sm2_generate(key);
    if (rc == 0)
        rc = yw_sm2_private_pem(*key, &pem);
    if (rc == 0)
        rc = yw_sm2_public_pem(*key, &pub);
    if (rc == 0)
        rc = yw_seal(secret, pem.p, pem.n, &sealed);
    if (rc == 0)
        rc = yw_sm2_key_id(*key, key_id);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO audit_keys (key_id, public_pem, private_sealed, created_ms, "
                       "active) VALUES (?, ?, ?, ?, 1)",
                       "sssi", key_id, pub.p, sealed.p, yw_clock_now_ms());
    if (pem.p)
        yw_wipe(pem.p, pem.n);
    yw_buf_release(&pem);
    yw_buf_release(&pub);
    yw_buf_release(&sealed);
    if (rc) {
        yw_sm2_free(*key);
        *key = NULL;
        return yw_fail(err, rc, "", "cannot make the audit log's signing key: %s",
                       yw_dbc_errmsg(c));
    }
    return 0;
}

/* The perfect subtree roots one seal completes (levels kept in audit_nodes),
 * written after the records were read, in multi-row inserts. */
struct node {
    int level;
    int64_t idx;
    unsigned char h[YW_SM3_LEN];
};
struct nodes {
    struct node *v;
    size_t n, cap;
};

static void
node_done(void *ctx, int level, int64_t idx, const unsigned char h[YW_SM3_LEN])
{
    struct nodes *w = ctx;
    if (level < YW_AUDIT_NODE_MIN_LEVEL)
        return;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->v = yw_xrealloc(w->v, w->cap * sizeof *w->v);
    }
    w->v[w->n].level = level;
    w->v[w->n].idx = idx;
    memcpy(w->v[w->n].h, h, YW_SM3_LEN);
    w->n++;
}

static int
nodes_write(struct yw_dbc *c, const struct nodes *w)
{
    struct yw_buf sql;
    yw_buf_init(&sql);
    int rc = 0;
    for (size_t i = 0; i < w->n && rc == 0; i += 200) {
        yw_buf_reset(&sql);
        yw_buf_adds(&sql, "INSERT INTO audit_nodes (level, idx, hash) VALUES ");
        for (size_t j = i; j < w->n && j < i + 200; j++) {
            char hex[YW_AUDIT_HEX];
            yw_hex(w->v[j].h, YW_SM3_LEN, hex);
            /* only numbers and hex digits go into this text */
            yw_buf_printf(&sql, "%s(%d, %lld, '%s')", j > i ? ", " : "", w->v[j].level,
                          (long long)w->v[j].idx, hex);
        }
        rc = yw_db_run(c, sql.p, NULL);
    }
    yw_buf_release(&sql);
    return rc;
}

/* The leaves given: leaf = base + i for the records seqs[i]. */
static int
assign_leaves(struct yw_dbc *c, const int64_t *seqs, int64_t n, int64_t base)
{
    struct yw_buf sql;
    yw_buf_init(&sql);
    int rc = 0;
    for (int64_t i = 0; i < n && rc == 0; i += 500) {
        int64_t m = n - i < 500 ? n - i : 500;
        yw_buf_reset(&sql);
        yw_buf_adds(&sql, "UPDATE audit_log SET leaf = CASE seq");
        for (int64_t j = 0; j < m; j++)
            yw_buf_printf(&sql, " WHEN %lld THEN %lld", (long long)seqs[i + j],
                          (long long)(base + i + j));
        yw_buf_adds(&sql, " END WHERE leaf IS NULL AND seq IN (");
        for (int64_t j = 0; j < m; j++)
            yw_buf_printf(&sql, "%s%lld", j ? ", " : "", (long long)seqs[i + j]);
        yw_buf_adds(&sql, ")");
        int64_t changed = 0;
        rc = yw_db_run_changes(c, &changed, sql.p, NULL);
        if (rc == 0 && changed != m)
            rc = YW_ECONFLICT; /* another sealer took some: roll back, try later */
    }
    yw_buf_release(&sql);
    return rc;
}

static int
read_sth(struct yw_stmt *s, struct yw_audit_sth *out)
{
    out->tree_size = yw_db_col_int(s, 0);
    out->timestamp_ms = yw_db_col_int(s, 1);
    snprintf(out->root_hash, sizeof out->root_hash, "%s", yw_db_col_text(s, 2));
    snprintf(out->key_id, sizeof out->key_id, "%s", yw_db_col_text(s, 3));
    snprintf(out->signature, sizeof out->signature, "%s", yw_db_col_text(s, 4));
    return 0;
}

#define STH_COLS "tree_size, timestamp_ms, root_hash, key_id, signature"

struct seal {
    const unsigned char *secret;
    int64_t max, sealed;
    struct yw_audit_sth sth;
    struct yw_err *err;
    bool busy;
};

static int
seal_tx(struct yw_dbc *c, void *ctx)
{
    struct seal *x = ctx;
    x->sealed = 0;
    x->busy = false;
    memset(&x->sth, 0, sizeof x->sth);
    int rc;
    if (yw_db_engine(c->db) == YW_DB_PG) {
        int64_t got = 0;
        rc = yw_db_one_int(c, &got, "SELECT CASE WHEN pg_try_advisory_xact_lock(?) THEN 1 ELSE 0 END",
                           "i", (int64_t)SEAL_LOCK);
        if (rc)
            return rc;
        if (!got) {
            x->busy = true;
            return 0;
        }
    }
    /* where the tree stands */
    struct yw_audit_frontier f;
    memset(&f, 0, sizeof f);
    int64_t last_ts = 0;
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s,
                       "SELECT " STH_COLS ", frontier FROM audit_sth ORDER BY tree_size DESC",
                       NULL);
    if (rc == 0) {
        read_sth(s, &x->sth);
        last_ts = x->sth.timestamp_ms;
        rc = yw_audit__frontier_parse(&f, x->sth.tree_size, yw_db_col_text(s, 5));
        yw_db_reset(s);
        if (rc)
            return yw_fail(x->err, YW_ESTATE, "",
                           "the last tree head's frontier is damaged: run ywtb verify --audit");
    } else if (rc != YW_ENOTFOUND) {
        return rc;
    }

    /* the records to seal, in the order of their numbers */
    s = yw_db_query(c, "SELECT seq, hash FROM audit_log WHERE leaf IS NULL ORDER BY seq LIMIT ?",
                    "i", x->max);
    if (s == NULL)
        return YW_EDB;
    int64_t cap = 1024, n = 0;
    int64_t *seqs = yw_xmalloc((size_t)cap * sizeof *seqs);
    struct nodes w = { 0 };
    while ((rc = yw_db_step(s)) == YW_ROW) {
        unsigned char leaf[YW_SM3_LEN];
        if (yw_audit_leaf_hash(yw_db_col_text(s, 1), leaf)) {
            int64_t bad = yw_db_col_int(s, 0);
            yw_db_reset(s);
            rc = yw_fail(x->err, YW_ESTATE, "",
                         "audit record %lld has no valid hash: run ywtb verify --audit",
                         (long long)bad);
            goto out;
        }
        if (n == cap) {
            cap *= 2;
            seqs = yw_xrealloc(seqs, (size_t)cap * sizeof *seqs);
        }
        seqs[n++] = yw_db_col_int(s, 0);
        yw_audit__frontier_push(&f, leaf, node_done, &w);
    }
    if ((rc = yw_db_finish(s, rc)))
        goto out;
    if (n == 0)
        goto out; /* nothing new: no new head */
    if ((rc = nodes_write(c, &w)))
        goto out;
    if ((rc = assign_leaves(c, seqs, n, x->sth.tree_size)))
        goto out;

    unsigned char root[YW_SM3_LEN];
    yw_audit__frontier_root(&f, root);
    struct yw_audit_sth h = { .tree_size = f.size };
    yw_hex(root, YW_SM3_LEN, h.root_hash);
    int64_t now = yw_clock_now_ms();
    h.timestamp_ms = now > last_ts ? now : last_ts; /* never before the last head */
    struct yw_sm2_key *key = NULL;
    if ((rc = signing_key(c, x->secret, &key, h.key_id, x->err)))
        goto out;
    struct yw_buf msg, sig, front;
    yw_buf_init(&msg);
    yw_buf_init(&sig);
    yw_buf_init(&front);
    yw_audit_sth_signed(&msg, h.tree_size, h.timestamp_ms, h.root_hash);
    rc = yw_sm2_sign(key, msg.p, msg.n, &sig);
    yw_sm2_free(key);
    if (rc == 0 && sig.n >= sizeof h.signature)
        rc = YW_EINTERNAL;
    if (rc == 0) {
        snprintf(h.signature, sizeof h.signature, "%s", sig.p);
        yw_audit__frontier_text(&f, &front);
        rc = yw_db_run(c,
                       "INSERT INTO audit_sth (tree_size, timestamp_ms, root_hash, key_id, "
                       "signature, frontier) VALUES (?, ?, ?, ?, ?, ?)",
                       "iissss", h.tree_size, h.timestamp_ms, h.root_hash, h.key_id, h.signature,
                       front.n ? front.p : "");
    }
    yw_buf_release(&msg);
    yw_buf_release(&sig);
    yw_buf_release(&front);
    if (rc == 0) {
        x->sth = h;
        x->sealed = n;
    }
out:
    free(seqs);
    free(w.v);
    return rc;
}

int
yw_audit_seal(struct yw_db *db, const unsigned char secret[32], int64_t max, int64_t *sealed,
              struct yw_audit_sth *sth, struct yw_err *err)
{
    struct seal x = { .secret = secret, .max = max > 0 ? max : 100000, .err = err };
    int rc = yw_db_tx(db, YW_TX_WRITE, seal_tx, &x, err);
    if (sealed)
        *sealed = rc ? 0 : x.sealed;
    if (rc == 0 && sth)
        *sth = x.sth;
    if (rc && err && err->msg[0] == '\0')
        yw_fail(err, rc, "", "cannot seal the audit log");
    return rc;
}

int
yw_audit_sth_latest(struct yw_dbc *c, struct yw_audit_sth *out)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT " STH_COLS " FROM audit_sth ORDER BY tree_size DESC",
                           NULL);
    if (rc)
        return rc;
    read_sth(s, out);
    yw_db_reset(s);
    return 0;
}

int
yw_audit_sth_at(struct yw_dbc *c, int64_t tree_size, struct yw_audit_sth *out)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT " STH_COLS " FROM audit_sth WHERE tree_size = ?", "i",
                           tree_size);
    if (rc)
        return rc;
    read_sth(s, out);
    yw_db_reset(s);
    return 0;
}

int
yw_audit_sth_list(struct yw_dbc *c, int64_t after, int limit,
                  int (*fn)(void *ctx, const struct yw_audit_sth *h), void *ctx)
{
    limit = limit < 1 ? 1 : limit > 1000 ? 1000 : limit;
    struct yw_stmt *s = yw_db_query(
        c, "SELECT " STH_COLS " FROM audit_sth WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
        "ii", after, (int64_t)limit);
    if (s == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_audit_sth h;
        read_sth(s, &h);
        if ((rc = fn(ctx, &h))) {
            yw_db_reset(s);
            return rc;
        }
    }
    return yw_db_finish(s, rc);
}

int
yw_audit_key_exists(struct yw_dbc *c, bool *exists)
{
    *exists = false;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT 1 FROM audit_keys LIMIT 1", NULL);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc == 0) {
        *exists = true;
        yw_db_reset(s);
    }
    return rc;
}

int
yw_audit_keys(struct yw_dbc *c,
              int (*fn)(void *ctx, const char *key_id, const char *pem, int64_t created_ms,
                        bool active),
              void *ctx)
{
    struct yw_stmt *s = yw_db_query(
        c, "SELECT key_id, public_pem, created_ms, active FROM audit_keys ORDER BY created_ms",
        NULL);
    if (s == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if ((rc = fn(ctx, yw_db_col_text(s, 0), yw_db_col_text(s, 1), yw_db_col_int(s, 2),
                     yw_db_col_int(s, 3) != 0))) {
            yw_db_reset(s);
            return rc;
        }
    }
    return yw_db_finish(s, rc);
}
