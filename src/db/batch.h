/*
 * batch.h - group commit: many writers' transactions in one durable commit.
 *
 * A durable commit costs a disk flush (~0.2 ms on SQLite here, ~4,700/s); one
 * commit per request caps durable writes at that rate however many cores
 * there are.  The batcher runs jobs submitted by any thread on its own
 * connection: it opens one write transaction, runs each job inside its own
 * SAVEPOINT (a failing job rolls back alone, with its audit records), appends
 * the audit chain once and COMMITs once, then reports each job's result.  When
 * the batcher is busy committing, new jobs queue and go into the next batch,
 * so batches grow with load and the latency at low load is one commit.
 *
 * On PostgreSQL several batcher threads (db_batchers, each with its own
 * connection) may take jobs from the one queue, since row locks let write
 * transactions that touch different rows run at once; a job whose statement
 * meets another batch's lock waits for it, and one that meets a deadlock goes
 * into a later batch.  SQLite has one writer at a time, so it gets one thread.  On PostgreSQL a
 * job's writes whose answers it does not read (yw_db_run) are sent ahead in
 * libpq's pipeline mode and answered together with the next read; when one
 * of them failed, the job is rolled back to its savepoint and runs again
 * with every statement waited for.
 *
 * A job's function has the same contract as a yw_db_tx function: it must be
 * re-runnable (a failed COMMIT re-runs the whole batch) and may only change
 * state through the connection it is given.  Nothing is acknowledged before
 * the COMMIT that contains it returned.
 */
#ifndef YW_DB_BATCH_H
#define YW_DB_BATCH_H

#include "db/db.h"

struct yw_db_job {
    int (*fn)(struct yw_dbc *c, void *ctx);
    void *ctx;
    struct yw_err *err;                  /* filled by fn on failure; may be NULL */
    void (*done)(struct yw_db_job *job); /* called once with job->rc set, on the batcher's thread */
    void *done_ctx;
    int rc;
    int attempts;
    struct yw_db_job *next; /* the batcher's queue */
    int64_t queued_ns;      /* when submitted (monotonic): the wait is measured */
};

struct yw_db_batcher;

struct yw_db_batcher_opts {
    int max_batch;    /* jobs in one commit at most (0: 64) */
    int threads;      /* batcher threads (0: yw_db_batcher_default_threads); 1 on SQLite */
    bool no_pipeline; /* PostgreSQL: wait for every statement (diagnosis) */
};

/* Start the batcher's threads on db (o may be NULL: the defaults). */
int yw_db_batcher_start(struct yw_db *db, const struct yw_db_batcher_opts *o,
                        struct yw_db_batcher **out, struct yw_err *err);
/* Threads when none are configured: 1 (see batch.c for why on PostgreSQL). */
int yw_db_batcher_default_threads(const struct yw_db *db);
int yw_db_batcher_threads(const struct yw_db_batcher *b);
/* Run every queued job, then stop the thread. */
void yw_db_batcher_stop(struct yw_db_batcher *b);
/* Queue a job; job->done is called when it committed or failed.  The job's
 * memory belongs to the caller and must stay valid until done is called. */
void yw_db_batcher_submit(struct yw_db_batcher *b, struct yw_db_job *job);

/* Counters for /metrics. */
uint64_t yw_db_batcher_commits(const struct yw_db_batcher *b);
uint64_t yw_db_batcher_jobs(const struct yw_db_batcher *b);
/* Jobs run a second time because a statement sent ahead failed. */
uint64_t yw_db_batcher_reruns(const struct yw_db_batcher *b);
/* Jobs waiting for their batch right now, and the seconds jobs waited in all
 * (from submit until their batch began; /metrics). */
int64_t yw_db_batcher_queued(const struct yw_db_batcher *b);
double yw_db_batcher_wait_seconds(const struct yw_db_batcher *b);

#endif
