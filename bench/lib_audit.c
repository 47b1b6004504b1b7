/*
 * lib_audit.c - audit appends per second through ywtb's db layer (issue 17:
 * "an audit log that does not serialize the city"), for bench/audit.sh.
 *
 *   lib_audit URL MODE THREADS SECONDS
 *
 * THREADS writer threads, each with its own connection, commit one
 * transaction with one audit record each, as fast as they can, for SECONDS.
 * MODE "chains" appends through yw_audit_add (this version: each connection
 * its own chain); MODE "single" runs the previous version's flush by hand on
 * the same tables - reserve on the one audit_head row (its row lock held to
 * the commit), insert the record with its v1 hash, move the head - so the two
 * figures differ only in the lock.  Prints "appends=N seconds=S rate=R".
 * Several processes on one PostgreSQL are several nodes (bench/audit.sh).
 */
#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct yw_db *db;
static int single;
static atomic_bool stop;
static atomic_llong done;

static const struct yw_audit_entry entry = {
    .actor = "bench",
    .role = "window_clerk",
    .action = "case.accept",
    .obj_type = "case",
    .obj_id = "XH20261207000001",
    .summary = "{\"bench\":true}",
};

static int
append_chains(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    return yw_audit_add(c, &entry);
}

/* The previous version's yw_audit_flush, one record. */
static int
append_single(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", NULL);
    if (rc)
        return rc;
    int64_t seq = yw_db_col_int(s, 0);
    char prev[2 * YW_SM3_LEN + 1], hash[2 * YW_SM3_LEN + 1], at[32];
    snprintf(prev, sizeof prev, "%s", yw_db_col_text(s, 1));
    yw_db_reset(s);
    yw_db_now_text(at);
    struct yw_buf canon;
    yw_buf_init(&canon);
    yw_audit_canonical(&canon, seq, at, &entry, prev);
    rc = yw_sm3_hex(canon.p, canon.n, hash);
    yw_buf_release(&canon);
    if (rc == 0) /* (a database of its own: bench/audit.sh) */
        rc = yw_db_run(c,
                       "INSERT INTO audit_log (seq, chain, cseq, at, actor, role, action, "
                       "obj_type, obj_id, summary, prev_hash, hash) "
                       "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "iisssssssss", seq, seq, at, entry.actor,
                       entry.role, entry.action, entry.obj_type, entry.obj_id, entry.summary,
                       prev, hash);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE audit_head SET hash = ? WHERE id = 1", "s", hash);
    return rc;
}

static void *
writer(void *arg)
{
    (void)arg;
    struct yw_err err = { 0 };
    while (!atomic_load(&stop)) {
        int rc = yw_db_tx(db, YW_TX_WRITE, single ? append_single : append_chains, NULL, &err);
        if (rc) {
            fprintf(stderr, "lib_audit: append failed: %d %s\n", rc, err.msg);
            exit(1);
        }
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: lib_audit URL chains|single THREADS SECONDS\n");
        return 2;
    }
    yw_log_set_level(YW_LOG_ERROR);
    if (yw_crypto_init())
        return 1;
    single = strcmp(argv[2], "single") == 0;
    int threads = atoi(argv[3]);
    double secs = atof(argv[4]);
    if (threads < 1 || threads > 64 || secs <= 0)
        return 2;
    struct yw_err err = { 0 };
    int applied = 0;
    if (yw_db_open(argv[1], &db, &err) || yw_db_migrate(db, &applied, &err)) {
        fprintf(stderr, "lib_audit: %s\n", err.msg);
        return 1;
    }
    pthread_t t[64];
    double t0 = now_s();
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, writer, NULL);
    struct timespec ts = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };
    nanosleep(&ts, NULL);
    atomic_store(&stop, true);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    double dt = now_s() - t0;
    long long n = atomic_load(&done);
    printf("appends=%lld seconds=%.2f rate=%.0f\n", n, dt, n / dt);
    yw_db_close(db);
    return 0;
}
