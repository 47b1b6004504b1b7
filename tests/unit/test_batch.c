/*
 * test_batch.c - the group-commit batcher (db/batch.h), on SQLite and
 * PostgreSQL: jobs from many threads share commits, a failing job rolls back
 * alone (its rows and its audit records), and the audit chain stays intact;
 * on PostgreSQL with several batcher threads, and with a job whose write sent
 * ahead (pipeline mode) fails: it runs again and decides on its real error.
 */
#include "testutil.h"

#include "core/crypto.h"
#include "db/audit.h"
#include "db/batch.h"
#include "db/tally.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static int engine;

struct job_ctx {
    struct yw_db_job job;
    int n;
    bool fail;
    atomic_int *done_count;
};

/* db/tally.h: the sums of a commit, written once each, in key order */
static atomic_int tally_flushes, tally_rows, tally_unsorted;

static int
tally_flush(struct yw_dbc *c, const struct yw_db_tally_sum *sums, size_t n)
{
    atomic_fetch_add(&tally_flushes, 1);
    for (size_t i = 0; i < n; i++) {
        atomic_fetch_add(&tally_rows, 1);
        if (i > 0 && strcmp(sums[i - 1].key, sums[i].key) >= 0)
            atomic_fetch_add(&tally_unsorted, 1);
        int rc = yw_db_run(c,
                           "INSERT INTO tallied (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE "
                           "SET n = tallied.n + excluded.n",
                           "si", sums[i].key, sums[i].n);
        if (rc)
            return rc;
    }
    return 0;
}

static int
insert_fn(struct yw_dbc *c, void *vctx)
{
    struct job_ctx *j = vctx;
    char v[16];
    snprintf(v, sizeof v, "%d", j->n);
    int rc = yw_db_exec(c, "INSERT INTO t (n) VALUES (?)", 1, v);
    if (rc)
        return rc;
    char key[8];
    snprintf(key, sizeof key, "k%d", j->n % 3);
    rc = yw_db_tally(c, tally_flush, key, 1); /* dropped with the job when it fails */
    if (rc)
        return rc;
    rc = yw_audit_add(c, &(struct yw_audit_entry){
                             .actor = "test", .action = "t.insert", .obj_type = "t", .obj_id = v });
    if (rc)
        return rc;
    /* fail after writing, so the savepoint must undo the row and the audit record */
    return j->fail ? YW_EFIELD : 0;
}

static void
on_done(struct yw_db_job *job)
{
    struct job_ctx *j = job->done_ctx;
    atomic_fetch_add(j->done_count, 1);
}

struct thread_arg {
    struct yw_db_batcher *b;
    struct job_ctx *jobs;
    int from, to;
};

static void *
submitter(void *arg)
{
    struct thread_arg *t = arg;
    for (int i = t->from; i < t->to; i++)
        yw_db_batcher_submit(t->b, &t->jobs[i].job);
    return NULL;
}

static int64_t
count(struct yw_db *db, const char *sql)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    struct yw_stmt *s = yw_db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    int64_t n = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return n;
}

static void
test_batches_commit_and_isolate_failures(void **state)
{
    (void)state;
    char *url = yw_test_db_fresh(engine);
    assert_non_null(url);
    struct yw_db *db = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_open(url, &db, &err), 0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(db, &applied, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, &err);
    assert_int_equal(yw_db_exec_script(c, "CREATE TABLE t (n INTEGER NOT NULL)", &err), 0);
    assert_int_equal(
        yw_db_exec_script(c, "CREATE TABLE tallied (k TEXT PRIMARY KEY, n INTEGER NOT NULL)", &err),
        0);
    assert_int_equal(yw_db_tally(c, tally_flush, "k0", 1), YW_EINVAL); /* not in a transaction */

    enum {
        N = 400,
        THREADS = 4
    };
    static struct job_ctx jobs[N];
    atomic_int done = 0;
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct job_ctx){ .n = i, .fail = i % 7 == 3, .done_count = &done };
        jobs[i].job = (struct yw_db_job){
            .fn = insert_fn, .ctx = &jobs[i], .done = on_done, .done_ctx = &jobs[i]
        };
    }
    struct yw_db_batcher *b = NULL;
    assert_int_equal(
        yw_db_batcher_start(db, &(struct yw_db_batcher_opts){ .max_batch = 32, .threads = 4 }, &b,
                            &err),
        0);
    /* SQLite has one writer: one thread whatever is asked */
    assert_int_equal(yw_db_batcher_threads(b), engine == YW_TEST_PG ? 4 : 1);
    pthread_t th[THREADS];
    struct thread_arg args[THREADS];
    for (int t = 0; t < THREADS; t++) {
        args[t] = (struct thread_arg){
            .b = b, .jobs = jobs, .from = t * N / THREADS, .to = (t + 1) * N / THREADS
        };
        pthread_create(&th[t], NULL, submitter, &args[t]);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    yw_db_batcher_stop(b); /* runs everything queued first */
    assert_int_equal(atomic_load(&done), N);

    int failed = 0;
    for (int i = 0; i < N; i++) {
        if (jobs[i].fail) {
            assert_int_equal(jobs[i].job.rc, YW_EFIELD);
            failed++;
        } else {
            assert_int_equal(jobs[i].job.rc, 0);
        }
    }
    /* exactly the successful jobs' rows and audit records exist */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM t"), N - failed);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 't.insert'"),
                     N - failed);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM t WHERE n % 7 = 3"), 0);
    /* the tallies: every successful job counted once under its key, none of the
     * failed ones, with one write per key and commit (not one per job) */
    assert_int_equal(count(db, "SELECT SUM(n) FROM tallied"), N - failed);
    for (int k = 0; k < 3; k++) {
        int64_t want = 0;
        for (int i = 0; i < N; i++)
            want += !jobs[i].fail && i % 3 == k;
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT n FROM tallied WHERE k = 'k%d'", k);
        assert_int_equal(count(db, sql), want);
    }
    assert_true(atomic_load(&tally_flushes) > 0);
    assert_true(atomic_load(&tally_rows) <= 3 * atomic_load(&tally_flushes));
    assert_int_equal(atomic_load(&tally_unsorted), 0);
    struct yw_audit_report rep;
    assert_int_equal(yw_audit_verify(db, &rep, &err), 0);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.records, N - failed);
    yw_db_close(db);
    yw_test_db_drop(url);
}

/* Insert key k, then a row of t and an audit record; a unique violation
 * (which the pipeline reports only later) is answered as a conflict: a job
 * that decides on its statement's own error. */
struct upsert_ctx {
    struct yw_db_job job;
    const char *k;
    int runs;
    atomic_int *done_count;
};

static int
upsert_fn(struct yw_dbc *c, void *vctx)
{
    struct upsert_ctx *u = vctx;
    u->runs++;
    int rc = yw_db_run(c, "INSERT INTO kv (k, n) VALUES (?, 1)", "s", u->k);
    if (rc == YW_ECONFLICT)
        return YW_ECONFLICT; /* "already taken" */
    if (rc)
        return YW_EDB;
    rc = yw_db_run(c, "INSERT INTO t (n) VALUES (?)", "i", (int64_t)u->runs);
    if (rc)
        return rc;
    return yw_audit_add(
        c, &(struct yw_audit_entry){
               .actor = "test", .action = "kv.add", .obj_type = "kv", .obj_id = u->k });
}

static void
upsert_done(struct yw_db_job *job)
{
    struct upsert_ctx *u = job->done_ctx;
    atomic_fetch_add(u->done_count, 1);
}

static void
test_failed_write_sent_ahead_runs_again(void **state)
{
    (void)state;
    char *url = yw_test_db_fresh(engine);
    assert_non_null(url);
    struct yw_db *db = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_open(url, &db, &err), 0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(db, &applied, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, &err);
    assert_int_equal(yw_db_exec_script(c,
                                       "CREATE TABLE kv (k TEXT PRIMARY KEY, n INTEGER NOT NULL);"
                                       "CREATE TABLE t (n INTEGER NOT NULL);"
                                       "INSERT INTO kv (k, n) VALUES ('taken', 10)",
                                       &err),
                     0);
    atomic_int done = 0;
    static struct upsert_ctx jobs[3];
    const char *keys[3] = { "new", "taken", "other" };
    for (int i = 0; i < 3; i++) {
        jobs[i] = (struct upsert_ctx){ .k = keys[i], .done_count = &done };
        jobs[i].job = (struct yw_db_job){
            .fn = upsert_fn, .ctx = &jobs[i], .done = upsert_done, .done_ctx = &jobs[i]
        };
    }
    struct yw_db_batcher *b = NULL;
    /* one thread, so the three jobs share one batch in order */
    assert_int_equal(
        yw_db_batcher_start(db, &(struct yw_db_batcher_opts){ .max_batch = 8, .threads = 1 }, &b,
                            &err),
        0);
    for (int i = 0; i < 3; i++)
        yw_db_batcher_submit(b, &jobs[i].job);
    for (int waited = 0; atomic_load(&done) < 3 && waited < 30000; waited++)
        usleep(1000);
    assert_int_equal(atomic_load(&done), 3);
    uint64_t reruns = yw_db_batcher_reruns(b);
    yw_db_batcher_stop(b);
    assert_int_equal(jobs[0].job.rc, 0);
    assert_int_equal(jobs[1].job.rc, YW_ECONFLICT);
    assert_int_equal(jobs[2].job.rc, 0);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM kv"), 3);
    assert_int_equal(count(db, "SELECT n FROM kv WHERE k = 'taken'"), 10);
    /* the conflicting job left nothing: its first run's row and audit record were undone */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM t"), 2);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kv.add'"), 2);
    struct yw_audit_report rep;
    assert_int_equal(yw_audit_verify(db, &rep, &err), 0);
    assert_int_equal(rep.bad_seq, 0);
    /* On PostgreSQL the batch first ran in one pipeline across its jobs; the
     * conflict came back at its end, so the batch was rolled back and every
     * job ran again on its own (each with its own pipeline), and the job whose
     * INSERT conflicted learned of it at its end and ran a third time, waiting
     * for each statement.  On SQLite every job ran once. */
    assert_int_equal(jobs[0].runs, engine == YW_TEST_PG ? 2 : 1);
    assert_int_equal(jobs[1].runs, engine == YW_TEST_PG ? 3 : 1);
    assert_int_equal(jobs[2].runs, engine == YW_TEST_PG ? 2 : 1);
    assert_int_equal(reruns, engine == YW_TEST_PG ? 3 + 1 : 0);
    yw_db_close(db);
    yw_test_db_drop(url);
}

/* yw_db_tx with YW_TX_SEND_AHEAD: the same contract outside the batcher. */
static void
test_tx_send_ahead_runs_again(void **state)
{
    (void)state;
    char *url = yw_test_db_fresh(engine);
    assert_non_null(url);
    struct yw_db *db = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_open(url, &db, &err), 0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(db, &applied, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, &err);
    assert_int_equal(yw_db_exec_script(c,
                                       "CREATE TABLE kv (k TEXT PRIMARY KEY, n INTEGER NOT NULL);"
                                       "CREATE TABLE t (n INTEGER NOT NULL);"
                                       "INSERT INTO kv (k, n) VALUES ('taken', 10)",
                                       &err),
                     0);
    struct upsert_ctx u = { .k = "taken" };
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE | YW_TX_SEND_AHEAD, upsert_fn, &u, &err),
                     YW_ECONFLICT);
    assert_int_equal(u.runs, engine == YW_TEST_PG ? 2 : 1);
    struct upsert_ctx v = { .k = "free" };
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE | YW_TX_SEND_AHEAD, upsert_fn, &v, &err), 0);
    assert_int_equal(v.runs, 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM kv"), 2);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM t"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kv.add'"), 1);
    yw_db_close(db);
    yw_test_db_drop(url);
}

/* One transaction: adds under the same key are summed before the write, and a
 * transaction that fails writes none of its adds. */
static int
tally_tx(struct yw_dbc *c, void *ctx)
{
    int rc = yw_db_tally(c, tally_flush, "b", 5);
    if (rc == 0)
        rc = yw_db_tally(c, tally_flush, "a", 1);
    if (rc == 0)
        rc = yw_db_tally(c, tally_flush, "a", 2);
    return rc ? rc : *(int *)ctx;
}

static void
test_tally_sums_once_per_commit(void **state)
{
    (void)state;
    char *url = yw_test_db_fresh(engine);
    struct yw_db *db = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_open(url, &db, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, &err);
    assert_int_equal(
        yw_db_exec_script(c, "CREATE TABLE tallied (k TEXT PRIMARY KEY, n INTEGER NOT NULL)", &err),
        0);
    atomic_store(&tally_flushes, 0);
    atomic_store(&tally_rows, 0);
    int fail = YW_EFIELD;
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE, tally_tx, &fail, &err), YW_EFIELD);
    assert_int_equal(atomic_load(&tally_flushes), 0);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM tallied"), 0);
    int ok = 0;
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE, tally_tx, &ok, &err), 0);
    assert_int_equal(atomic_load(&tally_flushes), 1);
    assert_int_equal(atomic_load(&tally_rows), 2); /* a: 1 + 2, b: 5 */
    assert_int_equal(atomic_load(&tally_unsorted), 0);
    assert_int_equal(count(db, "SELECT n FROM tallied WHERE k = 'a'"), 3);
    assert_int_equal(count(db, "SELECT n FROM tallied WHERE k = 'b'"), 5);
    yw_db_close(db);
    yw_test_db_drop(url);
}

int
main(void)
{
    yw_crypto_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches_commit_and_isolate_failures),
        cmocka_unit_test(test_failed_write_sent_ahead_runs_again),
        cmocka_unit_test(test_tx_send_ahead_runs_again),
        cmocka_unit_test(test_tally_sums_once_per_commit),
    };
    return YW_TEST_RUN_ENGINES("batch", tests, engine) ? 1 : 0;
}
