/*
 * test_audit.c - unit tests of the tamper-evident audit chain (db/audit.h).
 *
 * A chain of records is appended through yw_db_tx + yw_audit_add, verified,
 * and then tampered with by raw SQL the way an insider with database access
 * would: change a field, delete a record, swap two records, cut the tail,
 * recompute a changed record's own hash, append a forged record.  Every
 * tampering must be found by yw_audit_verify at the right record.  Each
 * tampering test starts from a fresh database and a freshly built chain.
 *
 * Runs on SQLite and, when YWTB_TEST_PG_ADMIN is set, on PostgreSQL.
 */
#include "testutil.h"

#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "core/embed.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS   "0000000000000000000000000000000000000000000000000000000000000000"
#define CHAIN_LEN 7 /* records built by setup_chain, in transactions of 1, 2, 3 and 1 */

static int engine;

struct fx {
    char *url;
    struct yw_db *db;
};

static int
teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    yw_db_close(f->db);
    yw_test_db_drop(f->url);
    free(f);
    *state = NULL;
    return 0;
}

/* A fresh, migrated database with an empty chain. */
static int
setup_empty(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    *state = f;
    struct yw_err err = { 0 };
    int applied = 0;
    f->url = yw_test_db_fresh(engine);
    if (f->url == NULL || yw_db_open(f->url, &f->db, &err) != 0 ||
        yw_db_migrate(f->db, &applied, &err) != 0) {
        fprintf(stderr, "cannot set up a %s database: %s\n", yw_test_engine_name(engine), err.msg);
        teardown(state);
        return -1;
    }
    return 0;
}

/* ---- appending ---- */

struct batch {
    int first, count; /* records first..first+count-1 */
    int result;       /* what the transaction function returns after queuing */
};

static int
add_batch(struct yw_dbc *c, void *ctx)
{
    const struct batch *b = ctx;
    for (int i = b->first; i < b->first + b->count; i++) {
        char obj_id[16], summary[64];
        snprintf(obj_id, sizeof obj_id, "%d", i);
        snprintf(summary, sizeof summary, "{\"i\":%d,\"note\":\"记录 %d\"}", i, i);
        struct yw_audit_entry e = {
            .actor = "clerk01",
            .role = "window_clerk",
            .action = "case.accept",
            .obj_type = "case",
            .obj_id = obj_id,
            .summary = summary,
        };
        int rc = yw_audit_add(c, &e);
        if (rc)
            return rc;
    }
    return b->result;
}

static int
append(struct yw_db *db, int first, int count, int result)
{
    struct batch b = { first, count, result };
    struct yw_err err = { 0 };
    return yw_db_tx(db, YW_TX_WRITE, add_batch, &b, &err);
}

/* A fresh database holding a chain of CHAIN_LEN records. */
static int
setup_chain(void **state)
{
    if (setup_empty(state))
        return -1;
    struct fx *f = *state;
    static const int sizes[] = { 1, 2, 3, 1 };
    int next = 1;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        if (append(f->db, next, sizes[k], 0) != 0) {
            teardown(state);
            return -1;
        }
        next += sizes[k];
    }
    if (next - 1 != CHAIN_LEN) {
        teardown(state);
        return -1;
    }
    return 0;
}

static struct yw_audit_report
verify(struct yw_db *db)
{
    struct yw_audit_report rep;
    struct yw_err err = { 0 };
    memset(&rep, 0x55, sizeof rep);
    int rc = yw_audit_verify(db, &rep, &err);
    if (rc != 0)
        fail_msg("yw_audit_verify failed: %d %s", rc, err.msg);
    return rep;
}

static void
assert_intact(struct yw_db *db, int64_t records)
{
    struct yw_audit_report rep = verify(db);
    if (rep.bad_seq != 0)
        fail_msg("chain broken at %lld: %s", (long long)rep.bad_seq, rep.problem);
    assert_int_equal(rep.records, records);
    assert_string_equal(rep.problem, "");
}

static void
assert_broken(struct yw_db *db, int64_t bad_seq, const char *problem_part)
{
    struct yw_audit_report rep = verify(db);
    if (rep.bad_seq != bad_seq)
        fail_msg("expected the chain broken at %lld, got %lld (%s)", (long long)bad_seq,
                 (long long)rep.bad_seq, rep.problem);
    if (strstr(rep.problem, problem_part) == NULL)
        fail_msg("problem '%s' does not say '%s'", rep.problem, problem_part);
}

static int64_t
scalar(struct yw_db *db, const char *sql)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    struct yw_stmt *s = yw_db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    int64_t v = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return v;
}

static void
raw(struct yw_db *db, const char *sql)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    int rc = yw_db_exec(c, sql, 0);
    if (rc != 0)
        fail_msg("'%s' failed: %d %s", sql, rc, yw_dbc_errmsg(c));
}

/* One stored record (copies). */
struct rec {
    int64_t seq, chain, cseq;
    char *f[9]; /* at, actor, role, action, obj_type, obj_id, summary, prev_hash, hash */
};

static void
load(struct yw_db *db, int64_t seq, struct rec *r)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    struct yw_stmt *s =
        yw_db_prepare(c, "SELECT seq, at, actor, role, action, obj_type, obj_id, summary, "
                         "prev_hash, hash, chain, cseq FROM audit_log WHERE seq = ?");
    assert_non_null(s);
    yw_db_bind_int(s, 1, seq);
    assert_int_equal(yw_db_step(s), YW_ROW);
    r->seq = yw_db_col_int(s, 0);
    r->chain = yw_db_col_int(s, 10);
    r->cseq = yw_db_col_int(s, 11);
    for (int i = 0; i < 9; i++)
        r->f[i] = strdup(yw_db_col_text(s, i + 1));
    yw_db_reset(s);
}

static void
rec_free(struct rec *r)
{
    for (int i = 0; i < 9; i++)
        free(r->f[i]);
}

static struct yw_audit_entry
entry_of(const struct rec *r)
{
    return (struct yw_audit_entry){ .actor = r->f[1],
                                    .role = r->f[2],
                                    .action = r->f[3],
                                    .obj_type = r->f[4],
                                    .obj_id = r->f[5],
                                    .summary = r->f[6] };
}

/* The hash a record should carry, computed independently from its fields. */
static void
hash_of(const struct rec *r, char out[2 * YW_SM3_LEN + 1])
{
    struct yw_buf b;
    yw_buf_init(&b);
    struct yw_audit_entry e = entry_of(r);
    yw_audit_canonical_in(&b, r->chain, r->cseq, r->f[0], &e, r->f[7]);
    assert_int_equal(yw_sm3_hex(b.p, b.n, out), 0);
    yw_buf_release(&b);
}

/* Overwrite every column but seq of record `seq` with the fields of r. */
static void
store(struct yw_db *db, int64_t seq, const struct rec *r)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    struct yw_stmt *s =
        yw_db_prepare(c, "UPDATE audit_log SET at = ?, actor = ?, role = ?, action = ?, "
                         "obj_type = ?, obj_id = ?, summary = ?, prev_hash = ?, hash = ? "
                         "WHERE seq = ?");
    assert_non_null(s);
    for (int i = 0; i < 9; i++)
        yw_db_bind_str(s, i + 1, r->f[i]);
    yw_db_bind_int(s, 10, seq);
    assert_int_equal(yw_db_step(s), YW_DONE);
    assert_int_equal(yw_db_changes(s), 1);
    yw_db_reset(s);
}

/* ---- tests ---- */

static void
test_chain_intact(void **state)
{
    struct fx *f = *state;
    assert_intact(f->db, CHAIN_LEN);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log"), CHAIN_LEN);
    assert_int_equal(scalar(f->db, "SELECT COALESCE(SUM(seq), 0) FROM audit_chains"), CHAIN_LEN);
    assert_int_equal(scalar(f->db, "SELECT MIN(seq) FROM audit_log"), 1);
    assert_int_equal(scalar(f->db, "SELECT MAX(seq) FROM audit_log"), CHAIN_LEN);

    /* each record links to the one before, its hash is SM3 of its canonical
     * bytes, and the head holds the last hash */
    char prev[2 * YW_SM3_LEN + 1] = GENESIS;
    for (int64_t seq = 1; seq <= CHAIN_LEN; seq++) {
        struct rec r;
        load(f->db, seq, &r);
        assert_string_equal(r.f[7], prev);
        char h[2 * YW_SM3_LEN + 1];
        hash_of(&r, h);
        assert_string_equal(r.f[8], h);
        /* the fields are what was queued */
        char obj_id[24];
        snprintf(obj_id, sizeof obj_id, "%lld", (long long)seq);
        assert_string_equal(r.f[5], obj_id);
        assert_string_equal(r.f[1], "clerk01");
        assert_string_equal(r.f[3], "case.accept");
        assert_non_null(strstr(r.f[6], "记录"));
        assert_int_equal(strlen(r.f[0]), 24); /* "YYYY-MM-DDTHH:MM:SS.mmmZ" */
        memcpy(prev, h, sizeof prev);
        rec_free(&r);
    }
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    struct yw_stmt *s = yw_db_prepare(c, "SELECT hash FROM audit_chains WHERE id = (SELECT MAX(chain) FROM audit_log)");
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_string_equal(yw_db_col_text(s, 0), prev);
    yw_db_reset(s);
}

static void
test_canonical_form(void **state)
{
    (void)state;
    /* length-prefixed fields: a value cannot be shifted into its neighbour */
    struct yw_audit_entry a = { "ab", "c", "x", "y", "z", "{}" };
    struct yw_audit_entry b = { "a", "bc", "x", "y", "z", "{}" };
    struct yw_buf ba, bb;
    yw_buf_init(&ba);
    yw_buf_init(&bb);
    yw_audit_canonical(&ba, 5, "2026-09-24T02:00:00.000Z", &a, GENESIS);
    yw_audit_canonical(&bb, 5, "2026-09-24T02:00:00.000Z", &b, GENESIS);
    assert_string_not_equal(ba.p, bb.p);
    assert_string_equal(
        ba.p, "ywtb-audit-v1\n5\n24:2026-09-24T02:00:00.000Z\n2:ab\n1:c\n1:x\n1:y\n1:z\n2:{}\n"
              "64:" GENESIS "\n");
    /* lengths are bytes */
    yw_buf_reset(&ba);
    struct yw_audit_entry zh = { "张三", "", "", "", "", "{}" };
    yw_audit_canonical(&ba, 1, "t", &zh, "p");
    assert_non_null(strstr(ba.p, "\n6:张三\n0:\n"));
    yw_buf_release(&ba);
    yw_buf_release(&bb);
}

static void
test_empty_chain(void **state)
{
    struct fx *f = *state;
    assert_intact(f->db, 0);
    /* a transaction that queues nothing writes nothing */
    assert_int_equal(append(f->db, 1, 0, 0), 0);
    assert_intact(f->db, 0);
    assert_int_equal(scalar(f->db, "SELECT COALESCE(SUM(seq), 0) FROM audit_chains"), 0);
    /* the first record follows the genesis hash */
    assert_int_equal(append(f->db, 1, 1, 0), 0);
    assert_intact(f->db, 1);
    struct rec r;
    load(f->db, 1, &r);
    assert_string_equal(r.f[7], GENESIS);
    rec_free(&r);
}

static void
test_rollback_leaves_no_gap(void **state)
{
    struct fx *f = *state;
    /* fn fails after queuing 3 records: nothing is written */
    assert_int_equal(append(f->db, 100, 3, YW_ESTATE), YW_ESTATE);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log"), CHAIN_LEN);
    assert_int_equal(scalar(f->db, "SELECT COALESCE(SUM(seq), 0) FROM audit_chains"), CHAIN_LEN);
    assert_intact(f->db, CHAIN_LEN);

    /* the next transaction commits normally */
    assert_int_equal(append(f->db, CHAIN_LEN + 1, 2, 0), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log"), CHAIN_LEN + 2);

    /* the next record takes the next number: no gap where the rollback was */
    assert_int_equal(scalar(f->db, "SELECT MAX(seq) FROM audit_log"), CHAIN_LEN + 2);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE obj_id = '100'"), 0);
    assert_intact(f->db, CHAIN_LEN + 2);
}

struct retry_ctx {
    int calls;
};

static int
add_then_retry_once(struct yw_dbc *c, void *ctx)
{
    struct retry_ctx *r = ctx;
    r->calls++;
    struct yw_audit_entry e = {
        .actor = NULL, .action = "job.run", .obj_type = "job", .obj_id = "r"
    };
    int rc = yw_audit_add(c, &e);
    if (rc)
        return rc;
    return r->calls == 1 ? YW_ERETRY : 0;
}

static void
test_retry_writes_once(void **state)
{
    struct fx *f = *state;
    struct retry_ctx r = { 0 };
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, add_then_retry_once, &r, &err), 0);
    assert_int_equal(r.calls, 2);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE obj_id = 'r'"), 1);
    /* NULL actor and summary take their defaults */
    assert_int_equal(
        scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE obj_id = 'r' AND actor = 'system' "
                      "AND summary = '{}' AND role = ''"),
        1);
    assert_intact(f->db, CHAIN_LEN + 1);
}

static int
add_in_read_tx(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    struct yw_audit_entry e = { .action = "x" };
    return yw_audit_add(c, &e);
}

static void
test_add_outside_write_tx(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    struct yw_audit_entry e = { .actor = "a", .action = "b" };
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(yw_audit_add(c, &e), YW_EINVAL);
    /* a read transaction is not enough either */
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_READ, add_in_read_tx, NULL, &err), YW_EINVAL);
    assert_int_equal(yw_db_begin(c, YW_TX_READ), 0);
    assert_int_equal(yw_audit_add(c, &e), YW_EINVAL);
    yw_db_rollback(c);
    /* nothing was written, nothing is left queued for the next commit */
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log"), CHAIN_LEN);
    assert_int_equal(append(f->db, CHAIN_LEN + 1, 1, 0), 0);
    assert_intact(f->db, CHAIN_LEN + 1);
}

/* (a) a field of record 3 is changed in place */
static void
test_tamper_change_field(void **state)
{
    struct fx *f = *state;
    raw(f->db, "UPDATE audit_log SET summary = '{\"i\":3,\"note\":\"forged\"}' WHERE seq = 3");
    assert_broken(f->db, 3, "changed");
}

/* (a') any other field: the actor, or the time */
static void
test_tamper_change_actor_and_time(void **state)
{
    struct fx *f = *state;
    raw(f->db, "UPDATE audit_log SET actor = 'someone_else' WHERE seq = 5");
    assert_broken(f->db, 5, "changed");
    raw(f->db, "UPDATE audit_log SET actor = 'clerk01' WHERE seq = 5"); /* put it back */
    assert_intact(f->db, CHAIN_LEN);
    raw(f->db, "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2");
    assert_broken(f->db, 2, "changed");
}

/* (b) record 3 is deleted */
static void
test_tamper_delete_middle(void **state)
{
    struct fx *f = *state;
    raw(f->db, "DELETE FROM audit_log WHERE seq = 3");
    assert_broken(f->db, 3, "removed");
    assert_broken(f->db, 3, "record 3 is missing");
}

/* (c) records 2 and 3 swap their content (seq stays in place) */
static void
test_tamper_swap(void **state)
{
    struct fx *f = *state;
    struct rec r2, r3;
    load(f->db, 2, &r2);
    load(f->db, 3, &r3);
    store(f->db, 2, &r3);
    store(f->db, 3, &r2);
    rec_free(&r2);
    rec_free(&r3);
    assert_broken(f->db, 2, "does not follow");
}

/* (d) the last record is deleted */
static void
test_tamper_delete_last(void **state)
{
    struct fx *f = *state;
    raw(f->db, "DELETE FROM audit_log WHERE seq = 7");
    assert_broken(f->db, CHAIN_LEN, "removed from the end");
    /* and several from the end */
    raw(f->db, "DELETE FROM audit_log WHERE seq >= 5");
    assert_broken(f->db, 5, "removed from the end");
}

/* (e) record 3 is changed and its own hash recomputed: the next record's
 * prev_hash no longer matches */
static void
test_tamper_rehash(void **state)
{
    struct fx *f = *state;
    struct rec r;
    load(f->db, 3, &r);
    free(r.f[6]);
    r.f[6] = strdup("{\"i\":3,\"note\":\"rewritten history\"}");
    char h[2 * YW_SM3_LEN + 1];
    hash_of(&r, h);
    assert_string_not_equal(h, r.f[8]);
    free(r.f[8]);
    r.f[8] = strdup(h);
    store(f->db, 3, &r);
    rec_free(&r);
    /* record 3 itself is self-consistent now; the break shows at 4 */
    assert_broken(f->db, 4, "previous-hash mismatch");
}

/* (e') the last record rewritten with its hash recomputed: the head catches it */
static void
test_tamper_rehash_last(void **state)
{
    struct fx *f = *state;
    struct rec r;
    load(f->db, CHAIN_LEN, &r);
    free(r.f[1]);
    r.f[1] = strdup("intruder");
    char h[2 * YW_SM3_LEN + 1];
    hash_of(&r, h);
    free(r.f[8]);
    r.f[8] = strdup(h);
    store(f->db, CHAIN_LEN, &r);
    rec_free(&r);
    assert_broken(f->db, CHAIN_LEN, "chain head");
}

/* a forged record appended behind the head, correctly chained */
static void
test_tamper_append_forged(void **state)
{
    struct fx *f = *state;
    struct rec last;
    load(f->db, CHAIN_LEN, &last);
    struct rec forged = { .seq = CHAIN_LEN + 1, .chain = last.chain, .cseq = last.cseq + 1 };
    const char *vals[9] = { last.f[0], "intruder", "admin", "user.create", "account", "666",
                            "{}",      last.f[8],  "" };
    for (int i = 0; i < 9; i++)
        forged.f[i] = strdup(vals[i]);
    char h[2 * YW_SM3_LEN + 1];
    hash_of(&forged, h);
    free(forged.f[8]);
    forged.f[8] = strdup(h);
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    struct yw_stmt *s =
        yw_db_prepare(c, "INSERT INTO audit_log (seq, at, actor, role, action, obj_type, obj_id, "
                         "summary, prev_hash, hash, chain, cseq) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    yw_db_bind_int(s, 1, forged.seq);
    for (int i = 0; i < 9; i++)
        yw_db_bind_str(s, i + 2, forged.f[i]);
    yw_db_bind_int(s, 11, forged.chain);
    yw_db_bind_int(s, 12, forged.cseq);
    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);
    rec_free(&forged);
    rec_free(&last);
    assert_broken(f->db, CHAIN_LEN + 1, "not covered by the chain head");
}

/* a record slipped in below the chain's first sequence number (seq 0 / -5) */
static void
test_tamper_below_chain(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    struct yw_stmt *s = yw_db_prepare(
        c, "INSERT INTO audit_log (seq, at, actor, role, action, obj_type, obj_id, "
           "summary, prev_hash, hash, chain, cseq) SELECT -5, at, 'intruder', role, action, "
           "obj_type, obj_id, summary, prev_hash, hash, chain, -5 FROM audit_log WHERE seq = 1");
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);
    assert_broken(f->db, -5, "outside the chain");
}


/* ---- the Merkle tree ---- */

static const unsigned char secret[32] = { 7, 1, 2, 3 };

static int64_t
seal(struct yw_db *db, struct yw_audit_sth *h)
{
    struct yw_err err = { 0 };
    int64_t n = -1;
    int rc = yw_audit_seal(db, secret, 0, &n, h, &err);
    if (rc)
        fail_msg("seal failed: %d %s", rc, err.msg);
    return n;
}

static void
unhex(const char *hex, unsigned char out[YW_SM3_LEN])
{
    assert_int_equal(strlen(hex), 2 * YW_SM3_LEN);
    for (int i = 0; i < YW_SM3_LEN; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
}

/* The tree's root computed naively (RFC 9162 MTH over every leaf). */
static void
mth(unsigned char (*leaves)[YW_SM3_LEN], int64_t n, unsigned char out[YW_SM3_LEN])
{
    if (n == 0) {
        yw_audit_empty_root(out);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves[0], YW_SM3_LEN);
        return;
    }
    int64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    unsigned char l[YW_SM3_LEN], r[YW_SM3_LEN];
    mth(leaves, k, l);
    mth(leaves + k, n - k, r);
    yw_audit_node_hash(l, r, out);
}

/* Seals of every size from 1 to 40 records (more than the 16-leaf subtrees
 * kept): each root is the naive MTH, every record's inclusion proof and every
 * pair of heads' consistency proof check, and a wrong proof does not. */
static void
test_seal_and_proofs(void **state)
{
    struct fx *f = *state;
    enum { N = 40 };
    unsigned char leaves[N][YW_SM3_LEN];
    char roots[N + 1][YW_AUDIT_HEX];
    struct yw_audit_sth h;
    assert_int_equal(seal(f->db, &h), 0); /* nothing to seal: no head */
    for (int n = 1; n <= N; n++) {
        assert_int_equal(append(f->db, n, 1, 0), 0);
        assert_int_equal(seal(f->db, &h), 1);
        assert_int_equal(h.tree_size, n);
        struct rec r;
        load(f->db, n, &r);
        assert_int_equal(yw_audit_leaf_hash(r.f[8], leaves[n - 1]), 0);
        rec_free(&r);
        unsigned char want[YW_SM3_LEN];
        char hex[YW_AUDIT_HEX];
        mth(leaves, n, want);
        yw_hex(want, YW_SM3_LEN, hex);
        assert_string_equal(h.root_hash, hex);
        memcpy(roots[n], hex, sizeof hex);
    }
    assert_intact(f->db, N);
    struct yw_audit_report rep = verify(f->db);
    assert_int_equal(rep.sths, N);
    assert_int_equal(rep.sealed, N);
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    unsigned char proof[YW_AUDIT_MAX_PROOF][YW_SM3_LEN];
    for (int64_t size = 1; size <= N; size++) {
        unsigned char root[YW_SM3_LEN];
        unhex(roots[size], root);
        for (int64_t seq = 1; seq <= N; seq++) {
            int64_t leaf = -2;
            char rh[YW_AUDIT_HEX];
            int np = 0;
            int rc = yw_audit_inclusion(c, seq, size, &leaf, rh, proof, &np);
            if (seq > size) {
                assert_int_equal(rc, YW_ESTATE);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(leaf, seq - 1);
            unsigned char lh[YW_SM3_LEN];
            assert_int_equal(yw_audit_leaf_hash(rh, lh), 0);
            assert_int_equal(yw_audit_check_inclusion(leaf, size, lh,
                                                      (const unsigned char(*)[YW_SM3_LEN])proof,
                                                      np, root),
                             0);
            if (np > 0) { /* one bit flipped: refused */
                proof[np - 1][3] ^= 1;
                assert_int_equal(yw_audit_check_inclusion(
                                     leaf, size, lh, (const unsigned char(*)[YW_SM3_LEN])proof,
                                     np, root),
                                 YW_ECRYPTO);
            }
        }
        for (int64_t first = 1; first <= size; first++) {
            unsigned char r1[YW_SM3_LEN];
            unhex(roots[first], r1);
            int np = 0;
            assert_int_equal(yw_audit_consistency(c, first, size, proof, &np), 0);
            assert_int_equal(yw_audit_check_consistency(first, size, r1, root,
                                                        (const unsigned char(*)[YW_SM3_LEN])proof,
                                                        np),
                             0);
            if (first < size) { /* another first root: refused */
                unsigned char other[YW_SM3_LEN];
                unhex(roots[first == 1 ? 2 : first - 1], other);
                assert_int_equal(
                    yw_audit_check_consistency(first, size, other, root,
                                               (const unsigned char(*)[YW_SM3_LEN])proof, np),
                    YW_ECRYPTO);
            }
        }
    }
    int np = 0;
    assert_int_equal(yw_audit_consistency(c, 5, N + 1, proof, &np), YW_EINVAL);
    assert_int_equal(yw_audit_consistency(c, 0, 3, proof, &np), YW_EINVAL);
    int64_t leaf;
    char rh[YW_AUDIT_HEX];
    assert_int_equal(yw_audit_inclusion(c, 999, N, &leaf, rh, proof, &np), YW_ENOTFOUND);
    /* a record after the last seal is in no tree yet */
    assert_int_equal(append(f->db, N + 1, 1, 0), 0);
    assert_int_equal(yw_audit_inclusion(c, N + 1, N, &leaf, rh, proof, &np), YW_ESTATE);
    assert_intact(f->db, N + 1);
}

/* Every record rewritten and every chain rebuilt after a seal - what an insider
 * who understands the chains would do: the chains verify, the signed head does
 * not. */
static void
test_tamper_rewrite_after_seal(void **state)
{
    struct fx *f = *state;
    struct yw_audit_sth h;
    assert_int_equal(seal(f->db, &h), CHAIN_LEN);
    assert_intact(f->db, CHAIN_LEN);
    char prev[YW_AUDIT_HEX] = GENESIS;
    for (int64_t seq = 1; seq <= CHAIN_LEN; seq++) {
        struct rec r;
        load(f->db, seq, &r);
        if (seq == 3) {
            free(r.f[1]);
            r.f[1] = strdup("intruder");
        }
        free(r.f[7]);
        r.f[7] = strdup(prev);
        char hh[YW_AUDIT_HEX];
        hash_of(&r, hh);
        free(r.f[8]);
        r.f[8] = strdup(hh);
        store(f->db, seq, &r);
        memcpy(prev, hh, sizeof prev);
        rec_free(&r);
    }
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE audit_chains SET hash = '%s' WHERE id = (SELECT MAX(chain) FROM audit_log)",
             prev);
    raw(f->db, sql);
    assert_broken(f->db, -1, "rewritten");
}

/* A head whose root was replaced (and one whose signature was) is refused;
 * a sealed record set back to unsealed leaves a hole in the tree. */
static void
test_tamper_tree_head(void **state)
{
    struct fx *f = *state;
    struct yw_audit_sth h;
    assert_int_equal(seal(f->db, &h), CHAIN_LEN);
    assert_int_equal(append(f->db, CHAIN_LEN + 1, 2, 0), 0);
    assert_int_equal(seal(f->db, &h), 2);
    assert_intact(f->db, CHAIN_LEN + 2);
    raw(f->db, "UPDATE audit_sth SET timestamp_ms = timestamp_ms + 1 WHERE tree_size = 7");
    assert_broken(f->db, -1, "signature");
    raw(f->db, "UPDATE audit_sth SET timestamp_ms = timestamp_ms - 1 WHERE tree_size = 7");
    assert_intact(f->db, CHAIN_LEN + 2);
    raw(f->db, "UPDATE audit_log SET leaf = NULL WHERE seq = 4");
    assert_broken(f->db, 5, "leaf 3 of the tree is missing");
}

/* A database made by the previous version (one chain, audit_head, format v1)
 * is migrated: its chain becomes chain 1 and still verifies, the first seal
 * takes its records as the tree's first leaves, new records go to new chains. */
static void
test_migrate_single_chain(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    *state = f;
    struct yw_err err = { 0 };
    f->url = yw_test_db_fresh(engine);
    assert_non_null(f->url);
    assert_int_equal(yw_db_open(f->url, &f->db, &err), 0);
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    const char *dir = yw_db_engine(f->db) == YW_DB_PG ? "migrations/pg/" : "migrations/sqlite/";
    raw(f->db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
               "applied_at TEXT NOT NULL, checksum TEXT)");
    for (int v = 1; v <= 34; v++) { /* the previous version's schema */
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%04d_", dir, v);
        for (size_t k = 0; k < yw_embedded_count; k++)
            if (strncmp(yw_embedded_files[k].name, prefix, strlen(prefix)) == 0) {
                if (yw_db_exec_script(c, yw_embedded_files[k].data, &err))
                    fail_msg("%s: %s", yw_embedded_files[k].name, err.msg);
                assert_int_equal(yw_db_run(c,
                                           "INSERT INTO schema_migrations (version, name, "
                                           "applied_at, checksum) VALUES (?, ?, 'x', NULL)",
                                           "ds", v, yw_embedded_files[k].name + strlen(dir)),
                                 0);
            }
    }
    /* its chain, as that version wrote it */
    char prev[YW_AUDIT_HEX] = GENESIS;
    for (int64_t seq = 1; seq <= 5; seq++) {
        struct yw_audit_entry e = { "clerk01", "window_clerk", "case.accept", "case", "old",
                                    "{\"v\":\"0.1\"}" };
        struct yw_buf b;
        yw_buf_init(&b);
        yw_audit_canonical(&b, seq, "2026-01-01T00:00:00.000Z", &e, prev);
        char h[YW_AUDIT_HEX];
        assert_int_equal(yw_sm3_hex(b.p, b.n, h), 0);
        yw_buf_release(&b);
        assert_int_equal(yw_db_run(c,
                                   "INSERT INTO audit_log (seq, at, actor, role, action, obj_type, "
                                   "obj_id, summary, prev_hash, hash) VALUES (?, "
                                   "'2026-01-01T00:00:00.000Z', ?, ?, ?, ?, ?, ?, ?, ?)",
                                   "issssssss", seq, e.actor, e.role, e.action, e.obj_type,
                                   e.obj_id, e.summary, prev, h),
                         0);
        memcpy(prev, h, sizeof prev);
    }
    assert_int_equal(yw_db_run(c, "UPDATE audit_head SET seq = 5, hash = ? WHERE id = 1", "s", prev),
                     0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(f->db, &applied, &err), 0);
    assert_true(applied >= 1);
    assert_intact(f->db, 5);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE chain = 1"), 5);
    struct yw_audit_sth h;
    assert_int_equal(seal(f->db, &h), 5);
    assert_int_equal(append(f->db, 6, 2, 0), 0);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE chain <> 1"), 2);
    assert_int_equal(scalar(f->db, "SELECT MIN(seq) FROM audit_log WHERE chain <> 1"), 6);
    assert_int_equal(seal(f->db, &h), 2);
    assert_intact(f->db, 7);
    if (yw_db_engine(f->db) == YW_DB_PG) {
        /* a node of the previous version still running (a rolling upgrade)
         * appends to the single chain its way: it continues chain 1 */
        assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
        struct yw_stmt *s;
        assert_int_equal(yw_db_one_row(c, &s,
                                       "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 "
                                       "RETURNING seq, hash",
                                       NULL),
                         0);
        int64_t seq = yw_db_col_int(s, 0);
        snprintf(prev, sizeof prev, "%s", yw_db_col_text(s, 1));
        yw_db_reset(s);
        struct yw_audit_entry e = { "old-node", "window_clerk", "case.accept", "case", "old",
                                    "{}" };
        struct yw_buf b;
        yw_buf_init(&b);
        yw_audit_canonical(&b, seq, "2026-01-01T00:00:01.000Z", &e, prev);
        char hh[YW_AUDIT_HEX];
        assert_int_equal(yw_sm3_hex(b.p, b.n, hh), 0);
        yw_buf_release(&b);
        assert_int_equal(yw_db_run(c,
                                   "INSERT INTO audit_log (seq, at, actor, role, action, obj_type, "
                                   "obj_id, summary, prev_hash, hash) VALUES (?, "
                                   "'2026-01-01T00:00:01.000Z', ?, ?, ?, ?, ?, ?, ?, ?)",
                                   "issssssss", seq, e.actor, e.role, e.action, e.obj_type,
                                   e.obj_id, e.summary, prev, hh),
                         0);
        assert_int_equal(yw_db_run(c, "UPDATE audit_head SET hash = ? WHERE id = 1", "s", hh), 0);
        assert_int_equal(yw_db_commit(c), 0);
        assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM audit_log WHERE chain = 1"), 6);
        assert_intact(f->db, 8);
        assert_int_equal(seal(f->db, &h), 1);
        assert_intact(f->db, 8);
    }
    /* the old chain's errors still show */
    raw(f->db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    assert_broken(f->db, 2, "changed");
}

/* Several connections append at once, each to its own chain. */
struct writer {
    struct yw_db *db;
    int id, rc;
};

static void *
writer_main(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < 20 && w->rc == 0; i++)
        w->rc = append(w->db, w->id * 1000 + i, 2, 0);
    return NULL;
}

static void
test_concurrent_writers(void **state)
{
    struct fx *f = *state;
    pthread_t t[4];
    struct writer w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct writer){ f->db, i + 1, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].rc, 0);
    }
    assert_intact(f->db, CHAIN_LEN + 160);
    assert_true(scalar(f->db, "SELECT COUNT(DISTINCT chain) FROM audit_log") >= 4);
    struct yw_audit_sth h;
    assert_int_equal(seal(f->db, &h), CHAIN_LEN + 160);
    assert_intact(f->db, CHAIN_LEN + 160);
}

int
main(void)
{
    yw_log_set_level(YW_LOG_ERROR);
    if (yw_crypto_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_form),
        cmocka_unit_test_setup_teardown(test_empty_chain, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_chain_intact, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_no_gap, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_retry_writes_once, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_add_outside_write_tx, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_change_field, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_change_actor_and_time, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_middle, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_swap, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_delete_last, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rehash, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rehash_last, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_append_forged, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_below_chain, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_seal_and_proofs, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rewrite_after_seal, setup_chain, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_tree_head, setup_chain, teardown),
        cmocka_unit_test_teardown(test_migrate_single_chain, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup_chain, teardown),
    };
    return YW_TEST_RUN_ENGINES("audit", tests, engine);
}
