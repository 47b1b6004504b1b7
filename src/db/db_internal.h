/*
 * db_internal.h - what the engine drivers (db_sqlite.c, db_pg.c) share with
 * db.c.  Not included outside src/db/.
 */
#ifndef YW_DB_INTERNAL_H
#define YW_DB_INTERNAL_H

#include "db/db.h"

#include <pthread.h>

struct yw_audit_queue;

struct yw_db_driver {
    int (*connect)(struct yw_dbc *c, struct yw_err *err);
    void (*disconnect)(struct yw_dbc *c);
    int (*prepare)(struct yw_stmt *s, struct yw_err *err);
    void (*finalize)(struct yw_stmt *s);
    void (*reset)(struct yw_stmt *s);
    void (*bind_int)(struct yw_stmt *s, int i, int64_t v);
    void (*bind_text)(struct yw_stmt *s, int i, const char *v, size_t n);
    void (*bind_null)(struct yw_stmt *s, int i);
    void (*bind_blob)(struct yw_stmt *s, int i, const void *v, size_t n);
    int (*step)(struct yw_stmt *s);
    int64_t (*col_int)(struct yw_stmt *s, int col);
    const char *(*col_text)(struct yw_stmt *s, int col);
    size_t (*col_len)(struct yw_stmt *s, int col);
    const void *(*col_blob)(struct yw_stmt *s, int col, size_t *n);
    bool (*col_null)(struct yw_stmt *s, int col);
    int (*col_count)(struct yw_stmt *s);
    int64_t (*changes)(struct yw_stmt *s);
    int (*exec_script)(struct yw_dbc *c, const char *sql, struct yw_err *err);
    /* PostgreSQL only (NULL on SQLite): send a bound statement whose result
     * nobody reads and return 0 without waiting (libpq pipeline mode; the
     * result is read with the next statement that is waited for, or by
     * drain), or 1 when it must run the ordinary way.  drain reads every
     * result still due on c; the first failure among them is c->defer_rc. */
    int (*send_deferred)(struct yw_stmt *s);
    int (*send_deferred_sql)(struct yw_dbc *c, const char *sql); /* one command, no parameters */
    void (*drain)(struct yw_dbc *c);
    const char *begin_read, *begin_write, *begin_snapshot;
};

extern const struct yw_db_driver yw_db_sqlite_driver;
extern const struct yw_db_driver yw_db_pg_driver;

struct yw_db {
    enum yw_db_engine engine;
    const struct yw_db_driver *drv;
    char *url;            /* as given */
    char *target;         /* SQLite path or PostgreSQL conninfo */
    char *redacted;       /* url without password */
    uint64_t gen;         /* unique per open; keys thread-local lookups */
    pthread_mutex_t lock; /* guards conns */
    struct yw_dbc *conns;
    struct yw_db_replica *replica; /* db_read (replica.c), NULL when none */
    bool is_replica;               /* this is the replica of another yw_db */
};

#define YW_STMT_BUCKETS 64

struct yw_dbc {
    struct yw_db *db;
    struct yw_dbc *next; /* in db->conns */
    void *handle;        /* sqlite3* or PGconn* */
    bool in_tx;
    int tx_mode;
    uint64_t tx_id; /* yw_dbc_tx_id: this transaction's number */
    unsigned next_stmt_id;
    unsigned epoch; /* PostgreSQL: bumped when the connection is re-established */
    struct yw_stmt *stmts[YW_STMT_BUCKETS];
    struct yw_audit_queue *audit;
    struct yw_db_tally_queue *tally; /* db/tally.c: counters written before COMMIT */
    struct yw_db_after {
        void (*fn)(int64_t arg);
        int64_t arg;
    } after[YW_DB_AFTER_TX_MAX]; /* yw_db_after_tx: run when the transaction ends */
    int nafter;
    bool committed;          /* the last transaction ended in a commit (after-tx hooks read it) */
    struct ack_waiter *acks; /* yw_db_notify_sync: waiting for this transaction's end */
    /* Statements sent ahead (yw_db__defer, PostgreSQL): while defer is set,
     * yw_db_run sends its statement without waiting for the answer; `deferred`
     * answers are still due, and defer_rc is the first of them that failed
     * (0: none).  Only the batcher sets defer, around one job. */
    bool defer;
    int deferred;
    int defer_rc;
    bool lost; /* PostgreSQL: a pipeline broke; re-established at the next chance */
    char errmsg[256];
};

/* listen.c: drop the acknowledged notifications queued on c since mark (a
 * batched job rolled back to its savepoint took its NOTIFY with it). */
void yw_db__acks_truncate(struct yw_dbc *c, struct ack_waiter *mark);

struct yw_stmt {
    struct yw_dbc *c;
    struct yw_stmt *next; /* bucket chain */
    uint64_t hash;
    char *sql;    /* as written, with ? */
    int nq;       /* number of ? (the typed helpers check their format against it) */
    void *handle; /* sqlite3_stmt*, or PGresult* of the last run */
    /* PostgreSQL state */
    char name[16];
    int nparams;
    char **vals;
    int *lens;
    int *fmts;
    int row, nrows;
    bool executed;
    unsigned epoch; /* connection epoch it was prepared in */
    int64_t changes;
    void *blob; /* PostgreSQL: last decoded bytea, freed on reset */
};

/* db.c: open url without connecting (replica.c opens its replica so, since a
 * replica that is down at start must not keep the node from starting). */
int yw_db__open_lazy(const char *url, struct yw_db **out, struct yw_err *err);
/* replica.c: stop the monitor and close the replica (yw_db_close). */
struct yw_db_replica;
void yw_db__replica_close(struct yw_db_replica *r);
/* Send yw_db_run's statements ahead on c (PostgreSQL; nothing on SQLite)
 * until yw_db__defer_end, which reads every answer still due and returns the
 * first failure among them (0: none).  After a failure the job that ran
 * must run again without sending ahead (batch.c does), so that it meets its
 * error at the statement that caused it. */
void yw_db__defer_begin(struct yw_dbc *c);
int yw_db__defer_end(struct yw_dbc *c);
/* A command without parameters (SAVEPOINT ...) sent ahead the same way; run
 * at once when it cannot be (SQLite, no transaction): 0 or its error. */
int yw_db__defer_sql(struct yw_dbc *c, const char *sql);

/* Shared bookkeeping for the drivers. */
void yw_db__stat_add(int64_t ns);
int yw_db__count_params(const char *sql);

#endif
