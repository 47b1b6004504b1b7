/*
 * batch.c - the group-commit batcher (see batch.h).
 */
#include "db/batch.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db_internal.h"
#include "db/tally.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct yw_db_batcher {
    struct yw_db *db;
    int max_batch;
    bool send_ahead; /* PostgreSQL: a job's writes go out in pipeline mode (db_pg.c) */
    int nthreads;
    pthread_t *threads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct yw_db_job *head, **tail;
    bool stopping;
    atomic_uint_fast64_t commits, jobs;
    atomic_int_fast64_t queued;   /* in the queue now */
    atomic_uint_fast64_t wait_ns; /* summed over jobs taken */
    atomic_uint_fast64_t reruns;  /* jobs run again after a statement sent ahead failed */
};

void
yw_db_batcher_submit(struct yw_db_batcher *b, struct yw_db_job *job)
{
    job->next = NULL;
    job->rc = 0;
    job->queued_ns = yw_clock_mono_ns();
    atomic_fetch_add(&b->queued, 1);
    pthread_mutex_lock(&b->mu);
    *b->tail = job;
    b->tail = &job->next;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* Run job j of the batch open on c inside a savepoint of its own, and end
 * the savepoint: released when the job succeeded, rolled back with its audit
 * records and notifications when it failed.  With send_ahead the SAVEPOINT,
 * the job's writes and the RELEASE travel in the pipeline (db_pg.c) and are
 * answered together with the job's reads; when one of them failed, the job
 * is rolled back to its savepoint and runs again waiting for every
 * statement, so it meets its error at the statement that caused it and
 * decides as it would have without the pipeline.  Returns 0 (j->rc says how
 * the job went) or the error that fails the whole batch. */
static int
run_job(struct yw_db_batcher *b, struct yw_dbc *c, struct yw_db_job *j)
{
    size_t mark = yw_audit_mark(c);
    struct ack_waiter *acks = c->acks;
    size_t tmark = yw_db_tally_mark(c);
    int rc;
    if (b->send_ahead) {
        yw_db__defer_begin(c);
        rc = yw_db__defer_sql(c, "SAVEPOINT yw_job");
        if (rc == 0) {
            j->rc = j->fn(c, j->ctx);
            if (j->rc == 0)
                (void)yw_db__defer_sql(c, "RELEASE SAVEPOINT yw_job"); /* checked just below */
        }
        if (yw_db__defer_end(c) == 0) {
            if (rc || j->rc == 0)
                return rc; /* released */
        } else {
            if (rc)
                return rc;
            atomic_fetch_add(&b->reruns, 1);
            yw_audit_truncate(c, mark);
            yw_db__acks_truncate(c, acks);
            yw_db_tally_truncate(c, tmark);
            rc = yw_db_exec_script(c, "ROLLBACK TO SAVEPOINT yw_job", NULL);
            if (rc)
                return rc;
            j->rc = j->fn(c, j->ctx);
        }
    } else {
        rc = yw_db_exec_one(c, "SAVEPOINT yw_job");
        if (rc)
            return rc;
        j->rc = j->fn(c, j->ctx);
    }
    if (j->rc) {
        yw_audit_truncate(c, mark);
        yw_db__acks_truncate(c, acks);
        yw_db_tally_truncate(c, tmark);
        return yw_db_exec_script(c, "ROLLBACK TO SAVEPOINT yw_job; RELEASE SAVEPOINT yw_job", NULL);
    }
    return yw_db_exec_one(c, "RELEASE SAVEPOINT yw_job");
}

/* Run every job of the batch open on c with one pipeline across them all
 * (PostgreSQL, send_ahead): each job's SAVEPOINT, writes and RELEASE (or,
 * when the job itself fails, its ROLLBACK TO SAVEPOINT) are sent ahead
 * without a Sync of their own, so a batch of jobs that only write costs one
 * round trip, not one per job; a job's read still waits for the answers
 * before it.  When a statement sent ahead failed, the server skipped
 * everything after it: returns AHEAD_FAILED and the caller rolls the whole
 * batch back and runs it job by job (run_job), where each job meets its own
 * error.  0 when every answer came back (job rcs set), or the batch's error. */
#define AHEAD_FAILED 1
static int
run_jobs_ahead(struct yw_dbc *c, struct yw_db_job **jobs, int n)
{
    yw_db__defer_begin(c);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct yw_db_job *j = jobs[i];
        size_t mark = yw_audit_mark(c), tmark = yw_db_tally_mark(c);
        struct ack_waiter *acks = c->acks;
        rc = yw_db__defer_sql(c, "SAVEPOINT yw_job");
        if (rc)
            break;
        j->rc = j->fn(c, j->ctx);
        if (c->defer_rc) /* an earlier write failed: this job's reads saw the abort */
            break;
        if (j->rc) {
            yw_audit_truncate(c, mark);
            yw_db__acks_truncate(c, acks);
            yw_db_tally_truncate(c, tmark);
            rc = yw_db__defer_sql(c, "ROLLBACK TO SAVEPOINT yw_job");
        }
        if (rc == 0)
            rc = yw_db__defer_sql(c, "RELEASE SAVEPOINT yw_job");
    }
    int ahead = yw_db__defer_end(c);
    if (ahead)
        return AHEAD_FAILED;
    return rc;
}

/* Run one batch: returns 0 when committed (job rcs set), or the COMMIT's
 * error (then every job must run again).  With send_ahead the jobs share one
 * pipeline first; only when a statement sent ahead failed is the batch rolled
 * back and run again job by job. */
static int
run_batch(struct yw_db_batcher *b, struct yw_dbc *c, struct yw_db_job **jobs, int n)
{
    int rc = yw_db_begin(c, YW_TX_WRITE);
    if (rc)
        return rc;
    if (b->send_ahead) {
        rc = run_jobs_ahead(c, jobs, n);
        if (rc == 0)
            return yw_db_commit(c);
        yw_db_rollback(c);
        if (rc != AHEAD_FAILED)
            return rc;
        atomic_fetch_add(&b->reruns, (uint64_t)n); /* every job runs again */
        rc = yw_db_begin(c, YW_TX_WRITE);
        if (rc)
            return rc;
    }
    for (int i = 0; i < n; i++) {
        rc = run_job(b, c, jobs[i]);
        if (rc) {
            yw_db_rollback(c);
            return rc;
        }
    }
    return yw_db_commit(c);
}

static void *
batcher_main(void *arg)
{
    struct yw_db_batcher *b = arg;
    struct yw_db_job **batch = yw_xcalloc((size_t)b->max_batch, sizeof *batch);
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (b->head == NULL && !b->stopping)
            pthread_cond_wait(&b->cv, &b->mu);
        if (b->head == NULL && b->stopping) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        int n = 0;
        while (b->head && n < b->max_batch) {
            batch[n++] = b->head;
            b->head = b->head->next;
        }
        if (b->head == NULL)
            b->tail = &b->head;
        pthread_mutex_unlock(&b->mu);
        int64_t now = yw_clock_mono_ns();
        for (int i = 0; i < n; i++)
            atomic_fetch_add(&b->wait_ns, (uint64_t)(now - batch[i]->queued_ns));
        atomic_fetch_sub(&b->queued, n);

        struct yw_err err = { 0 };
        struct yw_dbc *c = yw_db_conn(b->db, &err);
        int rc = c ? YW_ERETRY : YW_EDB;
        for (int attempt = 0; c && attempt < 50; attempt++) {
            rc = run_batch(b, c, batch, n);
            if (rc != YW_ERETRY)
                break;
        }
        if (rc == 0) {
            atomic_fetch_add(&b->commits, 1);
            atomic_fetch_add(&b->jobs, (uint64_t)n);
        } else {
            yw_log_error("db", "group commit of %d jobs failed: %s", n,
                         c ? yw_dbc_errmsg(c) : err.msg);
        }
        for (int i = 0; i < n; i++) {
            struct yw_db_job *j = batch[i];
            if (rc == 0 && j->rc == YW_ERETRY && ++j->attempts < 20) {
                yw_db_batcher_submit(b, j); /* its own statement hit a conflict: next batch */
                continue;
            }
            if (rc)
                j->rc = rc;
            j->done(j);
        }
    }
    free(batch);
    return NULL;
}

/* SQLite: one (one writer).  PostgreSQL: two - the rows every submission
 * used to update in its own transaction (the supervision rollups, the single
 * audit chain's head) are gone from it (tallies written by the after-commit
 * dispatcher; a chain per connection), so a second batch runs its statements
 * while the first one commits; measured +26 % submissions on 2 cores, where
 * four were no better than one (docs/PERFORMANCE.md, "Tallies and one
 * pipeline per batch").  db_batchers overrides it. */
int
yw_db_batcher_default_threads(const struct yw_db *db)
{
    return yw_db_engine(db) == YW_DB_PG ? 2 : 1;
}

int
yw_db_batcher_start(struct yw_db *db, const struct yw_db_batcher_opts *o,
                    struct yw_db_batcher **out, struct yw_err *err)
{
    struct yw_db_batcher *b = yw_xcalloc(1, sizeof *b);
    b->db = db;
    b->max_batch = o && o->max_batch > 0 ? o->max_batch : 64;
    b->nthreads = o && o->threads > 0 ? o->threads : yw_db_batcher_default_threads(db);
    if (yw_db_engine(db) == YW_DB_SQLITE)
        b->nthreads = 1; /* one writer at a time: more would only wait for the lock */
    b->send_ahead = yw_db_engine(db) == YW_DB_PG && !(o && o->no_pipeline);
    b->tail = &b->head;
    b->threads = yw_xcalloc((size_t)b->nthreads, sizeof *b->threads);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    int started = 0;
    for (; started < b->nthreads; started++)
        if (pthread_create(&b->threads[started], NULL, batcher_main, b) != 0)
            break;
    if (started == 0) {
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->cv);
        free(b->threads);
        free(b);
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the commit batcher");
    }
    b->nthreads = started;
    *out = b;
    return 0;
}

int
yw_db_batcher_threads(const struct yw_db_batcher *b)
{
    return b ? b->nthreads : 0;
}

void
yw_db_batcher_stop(struct yw_db_batcher *b)
{
    if (b == NULL)
        return;
    pthread_mutex_lock(&b->mu);
    b->stopping = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    for (int i = 0; i < b->nthreads; i++)
        pthread_join(b->threads[i], NULL);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b->threads);
    free(b);
}

uint64_t
yw_db_batcher_commits(const struct yw_db_batcher *b)
{
    return b ? atomic_load(&b->commits) : 0;
}

uint64_t
yw_db_batcher_jobs(const struct yw_db_batcher *b)
{
    return b ? atomic_load(&b->jobs) : 0;
}

int64_t
yw_db_batcher_queued(const struct yw_db_batcher *b)
{
    return b ? atomic_load(&b->queued) : 0;
}

uint64_t
yw_db_batcher_reruns(const struct yw_db_batcher *b)
{
    return b ? atomic_load(&b->reruns) : 0;
}

double
yw_db_batcher_wait_seconds(const struct yw_db_batcher *b)
{
    return b ? (double)atomic_load(&b->wait_ns) / 1e9 : 0.0;
}
