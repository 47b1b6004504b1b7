/*
 * db.h - one storage API over SQLite and PostgreSQL.
 *
 * A struct yw_db is an opened database, shared by every thread.  Each thread
 * that touches it gets its own connection (yw_db_conn), opened on first use and
 * kept until yw_db_close; statements are prepared once per connection and cached
 * by their SQL text.  SQL is written once in the subset both engines share, with
 * `?` placeholders; the PostgreSQL driver rewrites them to $1..$n.  Values are
 * always bound, never spliced into SQL.
 *
 * Writes happen inside yw_db_tx(), which begins a transaction, runs the caller's
 * function, appends the audit records the function queued (db/audit.h) and
 * commits - retrying the whole function when the engine reports a busy database
 * or a serialization failure.  So a function passed to yw_db_tx must be
 * re-runnable: it may only change state through the connection it is given.
 *
 * Engines: SQLite in WAL mode with synchronous=FULL (an acknowledged commit
 * survives power loss), write transactions as BEGIN IMMEDIATE; PostgreSQL with
 * READ COMMITTED and retry on 40001/40P01.
 *
 * Tables the store owns: audit_head, audit_log, audit_verifications, audit_chains,
 * audit_keys, audit_sth, audit_nodes (audit*.c), outbox_events and outbox_pending
 * (events.c), rate_buckets (rates.c), backups (backup.c) and schema_migrations (created
 * by migrate.c itself).  Modules
 * write audit records and events through db/audit.h and db/events.h, never
 * with SQL.
 */
#ifndef YW_DB_DB_H
#define YW_DB_DB_H

#include "core/err.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum yw_db_engine {
    YW_DB_SQLITE = 1,
    YW_DB_PG = 2
};

/* Step results (positive, so they never collide with YW_E... codes). */
#define YW_ROW  100
#define YW_DONE 101

struct yw_db;
struct yw_dbc;
struct yw_stmt;

/* Open the database at `url` ("sqlite:PATH", "postgres://...",
 * "postgresql://..."); checks that it is reachable.  For SQLite the parent
 * directory of PATH is created.  Returns 0 or YW_EDB/YW_EINVAL with err filled. */
int yw_db_open(const char *url, struct yw_db **out, struct yw_err *err);
/* Close every thread's connection.  No thread may use the database afterwards. */
void yw_db_close(struct yw_db *db);
enum yw_db_engine yw_db_engine(const struct yw_db *db);
const char *yw_db_url_redacted(const struct yw_db *db);

/* This thread's connection to db (opened on first call).  NULL if the database
 * cannot be reached; err says why. */
struct yw_dbc *yw_db_conn(struct yw_db *db, struct yw_err *err);
/* Connections db holds open now, one per thread that used it (/metrics). */
int yw_db_conn_count(struct yw_db *db);
struct yw_db *yw_dbc_db(struct yw_dbc *c);
/* True while c is inside a transaction. */
bool yw_dbc_in_tx(const struct yw_dbc *c);
/* A number naming c's current transaction, never given to another in this
 * process; 0 outside one.  A module may keep what it read in a transaction
 * under it and not read the same again in that transaction. */
uint64_t yw_dbc_tx_id(const struct yw_dbc *c);
/* The last engine error message on c (for logs; may name SQL, never values). */
const char *yw_dbc_errmsg(const struct yw_dbc *c);

/* ---- statements ---- */

/* The cached statement for `sql` on c, reset and with bindings cleared.  `sql`
 * should be a string literal (it is cached by its text).  NULL on a syntax error
 * (logged; a bug). */
struct yw_stmt *yw_db_prepare(struct yw_dbc *c, const char *sql);
/* Bind parameter i (1-based). */
void yw_db_bind_int(struct yw_stmt *s, int i, int64_t v);
void yw_db_bind_text(struct yw_stmt *s, int i, const char *v,
                     size_t n); /* n = (size_t)-1: strlen */
void yw_db_bind_null(struct yw_stmt *s, int i);
void yw_db_bind_blob(struct yw_stmt *s, int i, const void *v, size_t n);
/* Convenience: bind text or NULL when v is NULL. */
void yw_db_bind_str(struct yw_stmt *s, int i, const char *v);
/* Run or advance: YW_ROW when a row is ready, YW_DONE at the end, or a
 * negative code: YW_ECONFLICT (unique/foreign-key violation), YW_ERETRY (busy,
 * deadlock, serialization failure), YW_EDB (anything else). */
int yw_db_step(struct yw_stmt *s);
/* Columns of the current row (0-based).  Text is valid until the next step/reset. */
int64_t yw_db_col_int(struct yw_stmt *s, int col);
const char *yw_db_col_text(struct yw_stmt *s, int col); /* "" for NULL */
size_t yw_db_col_len(struct yw_stmt *s, int col);
const void *yw_db_col_blob(struct yw_stmt *s, int col, size_t *n);
bool yw_db_col_null(struct yw_stmt *s, int col);
int yw_db_col_count(struct yw_stmt *s);
/* Rows changed by the last completed statement. */
int64_t yw_db_changes(struct yw_stmt *s);
/* Release the statement's result (it stays cached).  Optional: prepare resets too. */
void yw_db_reset(struct yw_stmt *s);

/* Run one statement that returns no rows, binding the NUL-terminated text args
 * (NULL pointers bind SQL NULL).  Returns 0 or a negative code. */
int yw_db_exec(struct yw_dbc *c, const char *sql, int nargs, ...);
/* ---- typed helpers (on top of prepare/bind/step; both engines) ----
 *
 * `fmt` names the type of each `?` in order, one character per parameter:
 *   'i'  int64_t                  (pass an int64_t: a plain int literal is not one)
 *   'd'  int
 *   's'  const char *             NUL-terminated; NULL binds SQL NULL
 *   'b'  const void *, size_t     a blob and its length
 *   'n'  (no argument)            SQL NULL
 * NULL or "" for a statement without parameters.  A character not in this
 * list, or a format whose length is not the statement's number of `?`, is a
 * bug: the helper logs it and returns YW_EINTERNAL without running anything.
 *
 * Every helper returns 0 or a negative YW_E... code - YW_ECONFLICT,
 * YW_ERETRY, YW_EDB as yw_db_step gives them, YW_EDB when the statement
 * cannot be prepared - and never YW_ROW or YW_DONE.  The "one" readers return
 * YW_ENOTFOUND when the query has no row (and only then: a read that failed
 * is never "not found"); they read the first row and ignore any others. */

/* Bind parameters 1..strlen(fmt) of s from the arguments (see above).
 * 0 or YW_EINTERNAL for a bad format. */
int yw_db_bindf(struct yw_stmt *s, const char *fmt, ...);
int yw_db_vbindf(struct yw_stmt *s, const char *fmt, va_list ap);

/* Run a statement that returns no rows (rows it does return are skipped). */
int yw_db_run(struct yw_dbc *c, const char *sql, const char *fmt, ...);
/* The same, with the number of rows it changed in *changes (may be NULL). */
int yw_db_run_changes(struct yw_dbc *c, int64_t *changes, const char *sql, const char *fmt, ...);

/* Column 0 of the first row as an integer (SQL NULL reads as 0). */
int yw_db_one_int(struct yw_dbc *c, int64_t *out, const char *sql, const char *fmt, ...);
/* Column 0 of the first row as text copied into arena a ("" for SQL NULL). */
int yw_db_one_text(struct yw_dbc *c, struct yw_arena *a, char **out, const char *sql,
                   const char *fmt, ...);
/* 0 when the query returns a row, YW_ENOTFOUND when it returns none. */
int yw_db_exists(struct yw_dbc *c, const char *sql, const char *fmt, ...);

/* The statement prepared, bound and stepped onto its first row: *out is set
 * only when 0 is returned; the caller reads its columns (yw_db_col_*) and
 * then calls yw_db_reset(*out).  On any other result nothing is left open. */
int yw_db_one_row(struct yw_dbc *c, struct yw_stmt **out, const char *sql, const char *fmt, ...);

/* The statement prepared and bound, ready for a loop of yw_db_step; NULL
 * when it cannot be prepared or fmt is bad (logged).  End the loop with
 * yw_db_finish:
 *     struct yw_stmt *s = yw_db_query(c, "SELECT a FROM t WHERE b = ?", "s", b);
 *     if (s == NULL) return YW_EDB;
 *     int rc;
 *     while ((rc = yw_db_step(s)) == YW_ROW) ...;
 *     rc = yw_db_finish(s, rc);   // 0 when every row was read */
struct yw_stmt *yw_db_query(struct yw_dbc *c, const char *sql, const char *fmt, ...);
/* Reset s after its last step, whose result was rc: 0 for YW_DONE, rc when
 * negative, YW_EDB for anything else (YW_ROW: the loop stopped early - use
 * yw_db_reset when that is meant). */
int yw_db_finish(struct yw_stmt *s, int rc);

/* Run raw SQL (several statements, no parameters): migrations only. */
int yw_db_exec_script(struct yw_dbc *c, const char *sql, struct yw_err *err);
/* One statement with no parameters and no rows that a connection runs over
 * and over (SAVEPOINT x, RELEASE SAVEPOINT x): on SQLite prepared once per
 * connection through the statement cache instead of parsed every time by
 * yw_db_exec_script; on PostgreSQL the script. */
int yw_db_exec_one(struct yw_dbc *c, const char *sql);

/* ---- transactions ---- */

/* READ: a plain read transaction; WRITE: takes the write lock at once (SQLite
 * BEGIN IMMEDIATE); SNAPSHOT: read-only, one consistent view for every
 * statement (PostgreSQL REPEATABLE READ), for long checks like the audit walk. */
enum {
    YW_TX_READ = 0,
    YW_TX_WRITE = 1,
    YW_TX_SNAPSHOT = 2
};
/* Or'ed into yw_db_tx's mode: on PostgreSQL, fn's yw_db_run statements are
 * sent ahead in pipeline mode and answered with its next read (db/batch.h
 * tells how); when one of them failed, the transaction is rolled back and fn
 * runs again with every statement waited for.  Nothing on SQLite. */
#define YW_TX_SEND_AHEAD 0x100

/* Begin/commit/rollback directly (prefer yw_db_tx). */
int yw_db_begin(struct yw_dbc *c, int mode);
int yw_db_commit(struct yw_dbc *c);
void yw_db_rollback(struct yw_dbc *c);

/* Run fn(c, ctx) inside one transaction on this thread's connection; commit when
 * fn returns 0 (after appending queued audit records), roll back otherwise.
 * Busy/serialization failures retry the whole function (up to ~50 times with
 * back-off).  Returns fn's result, or the commit's error. */
int yw_db_tx(struct yw_db *db, int mode, int (*fn)(struct yw_dbc *c, void *ctx), void *ctx,
             struct yw_err *err);

/* Call fn(arg) once the transaction now open on c has ended, committed or rolled
 * back, on the thread that ended it.  For in-memory caches of rows: evicting
 * after the commit, not before it, is what keeps a reader that raced the
 * writer from caching the old row for good.  A call registered again with
 * the same fn and arg (or after fn's YW_DB_AFTER_TX_ALL) is made once.  Calls
 * are never lost: past YW_DB_AFTER_TX_MAX registrations in one transaction an
 * earlier call of the same fn - or, for a new fn, of one registered twice -
 * gets YW_DB_AFTER_TX_ALL as its argument ("everything changed"), so at most
 * YW_DB_AFTER_TX_MAX different functions may be registered.  Outside a
 * transaction fn runs at once. */
#define YW_DB_AFTER_TX_MAX 16
#define YW_DB_AFTER_TX_ALL INT64_MIN
void yw_db_after_tx(struct yw_dbc *c, void (*fn)(int64_t arg), int64_t arg);

/* ---- notifications between nodes (db/listen.c) ---- */

/* Tell every node listening on channel, when (and only if) the transaction on c
 * commits.  PostgreSQL NOTIFY; on SQLite, which one node serves, nothing.
 * channel: lower-case letters, digits and _ only. */
int yw_db_notify(struct yw_dbc *c, const char *channel, const char *payload);
/* The same, and once the transaction on c has committed (before yw_db_commit
 * returns), wait until every other node listening on channel has handled it:
 * its fn returned.  At most YW_DB_NOTIFY_WAIT_MS; past it a warning is logged
 * and counted (a listener's node died, or its LISTEN connection hangs).  For
 * changes that must be in effect on every node once the request that made them
 * is answered (a logout).  Needs an open transaction and a listener of this
 * process on channel (yw_db_listen) to hear the answers; without either it is
 * yw_db_notify.  Costs one read of pg_stat_activity and, after the commit, the
 * time the slowest node takes to answer (about a round trip). */
#define YW_DB_NOTIFY_WAIT_MS 1000
int yw_db_notify_sync(struct yw_dbc *c, const char *channel, const char *payload);
/* Acknowledged notifications waited for, how many timed out, time spent (/metrics). */
void yw_db_notify_sync_stats(uint64_t *waits, uint64_t *timeouts, double *seconds);

/* A thread with its own connection that LISTENs on channel and calls
 * fn(payload, ctx) for each notification.  When notifications may have been
 * missed - the connection broke, or was just (re)established - it calls
 * fn(NULL, ctx) and yw_db_listener_up() is false until it listens again.
 * SQLite: *out = NULL and 0 (there is no other node to hear from). */
struct yw_db_listener;
int yw_db_listen(struct yw_db *db, const char *channel, void (*fn)(const char *payload, void *ctx),
                 void *ctx, struct yw_db_listener **out, struct yw_err *err);
bool yw_db_listener_up(const struct yw_db_listener *l);
/* Listeners started in this process and how many listen right now (/metrics). */
void yw_db_listen_counts(int *total, int *up);
void yw_db_listen_stop(struct yw_db_listener *l);

/* ---- read replica (db/replica.c) ----
 *
 * Reads that may be a little stale (the catalog's history, statistics, public
 * pages, dashboards, open data) can be served by a PostgreSQL streaming
 * replica (hot_standby); everything else stays on the primary.  The HTTP
 * layer asks for the replica on routes flagged YW_R_STALE (http.h): the
 * handler's req->db is then this thread's replica connection, or the
 * primary's when the replica is not fit (see yw_db_read_conn).  Code outside
 * such a route never sees a replica connection. */

/* Open url (postgres://... of a replica of db's cluster) as db's read replica
 * and start its monitor (a thread that checks its lag every poll_ms, 200 when
 * 0).  A replica that does not answer yet is not an error: reads go to the
 * primary until it does.  YW_ECONFIG when db is SQLite or url not PostgreSQL.
 * Closed by yw_db_close(db). */
int yw_db_replica_open(struct yw_db *db, const char *url, int64_t max_lag_ms, int64_t poll_ms,
                       struct yw_err *err);
bool yw_db_has_replica(const struct yw_db *db);
/* This thread's replica connection for a stale-tolerant read by `who` (a
 * nonzero hash of the caller's credential, 0 for an anonymous caller), or
 * NULL - read on the primary - when there is no replica, it does not answer,
 * it lags more than max_lag_ms, or who wrote (yw_db_read_wrote) after the
 * newest moment the replica is known to have caught up to.  Counted by
 * reason (yw_db_replica_stats). */
struct yw_dbc *yw_db_read_conn(struct yw_db *db, uint64_t who);
/* who has just written (call after the commit, before answering): their next
 * stale-tolerant reads on this node stay on the primary until the replica has
 * replayed that write.  No-op without a replica or for who == 0. */
void yw_db_read_wrote(struct yw_db *db, uint64_t who);
/* A read on a connection yw_db_read_conn gave failed (the replica went away,
 * a query was cancelled by recovery): stop using the replica until the
 * monitor finds it answering again.  Logged once per failure spell. */
void yw_db_read_failed(struct yw_db *db, const char *why);
/* True when c is a connection to a read replica (for caches: a row read there
 * may be older than the primary's, so it must not be cached for good). */
bool yw_dbc_is_replica(const struct yw_dbc *c);

struct yw_db_replica_stats {
    bool configured;        /* db_read is set */
    bool up;                /* answering and in recovery */
    bool in_use;            /* up and within max lag: stale-tolerant reads go there */
    double lag_seconds;     /* time since the newest moment it is known to hold (-1: never) */
    double max_lag_seconds; /* db_read_max_lag */
    int64_t behind_bytes;   /* WAL the primary wrote that it has not replayed (last look) */
    uint64_t served;        /* reads it served */
    const char *url;        /* redacted */
    /* reads sent to the primary: it was down, lagging, the caller's own write
     * was not there yet, a query on it failed (then retried on the primary) */
    uint64_t fallback_down, fallback_lag, fallback_fresh, fallback_error;
};
void yw_db_replica_stats(struct yw_db *db, struct yw_db_replica_stats *st);

/* Milliseconds-precision UTC time as stored text (see core/clock.h). */
void yw_db_now_text(char buf[32]);

/* Seconds spent in the engine by this process (all threads), for /metrics. */
double yw_db_time_seconds(void);
uint64_t yw_db_queries_total(void);

/* ---- migrations (db/migrate.c) ---- */

/* Apply every embedded migration of the engine that is newer than the
 * database's version, each in its own transaction.  Safe to run from several
 * nodes at once (PostgreSQL advisory lock / SQLite write lock).  `applied` gets
 * the number applied.  Returns 0 or an error with err filled. */
int yw_db_migrate(struct yw_db *db, int *applied, struct yw_err *err);
/* Highest migration version applied (0 when none). */
int yw_db_schema_version(struct yw_db *db, int *version);
/* The highest version applied, read on c without creating anything (readiness
 * checks): 0 and *version, YW_ENOTFOUND when the database was never migrated,
 * or the read's negative code. */
int yw_db_schema_applied(struct yw_dbc *c, int64_t *version);
/* Highest migration version this binary carries. */
int yw_db_migrations_latest(void);

/* ---- shared rate limits (db/rates.c, PostgreSQL) ---- */

/* Take one token from the bucket k (per_min tokens a minute, full at first) at
 * now_ms: 1 taken, 0 refused, or a negative code (the caller falls back to its
 * own buckets).  *milli_tokens: the tokens left, times 1000. */
int yw_db_rate_take(struct yw_dbc *c, const char *k, unsigned per_min, int64_t now_ms,
                    int64_t *milli_tokens);

/* The same take written as common table expressions of a caller's own
 * PostgreSQL statement, so that a rate-limited read costs one round trip and
 * one statement with its token (the Open311 pages, src/hotline/store.c):
 *
 *     "WITH " YW_DB_RATE_TAKE_CTE ", ... SELECT ... (SELECT ok FROM rate_take) ..."
 *
 * rate_take has one row: ok (1 taken, 0 refused) and milli (the tokens left,
 * times 1000).  Its three parameters come first, "sii": k, per_min, now_ms.
 * PostgreSQL only, outside a transaction only (the statement's own commit does
 * not wait for the WAL flush, as yw_db_rate_take's); call yw_db_rate_sweep
 * after each such statement.  yw_db_rate_take runs the same text. */
#define YW_DB_RATE_REFILL                                                                          \
    "LEAST(EXCLUDED.tokens + 1, rate_buckets.tokens + GREATEST(0, EXCLUDED.last_ms - "             \
    "rate_buckets.last_ms) * (EXCLUDED.tokens + 1) / 60000.0)"
#define YW_DB_RATE_TAKE_CTE                                                                        \
    "rate_nowait AS (SELECT set_config('synchronous_commit', 'off', true) AS v), "                 \
    "rate_take AS (INSERT INTO rate_buckets (k, tokens, last_ms, ok) SELECT CAST(? AS TEXT), "     \
    "CAST(? AS DOUBLE PRECISION) - 1, CAST(? AS BIGINT), 1 FROM rate_nowait "                      \
    "ON CONFLICT (k) DO UPDATE SET "                                                               \
    "ok = CASE WHEN " YW_DB_RATE_REFILL " >= 1 THEN 1 ELSE 0 END, "                                \
    "tokens = " YW_DB_RATE_REFILL " - CASE WHEN " YW_DB_RATE_REFILL " >= 1 THEN 1 ELSE 0 END, "    \
    "last_ms = GREATEST(rate_buckets.last_ms, EXCLUDED.last_ms) "                                  \
    "RETURNING ok, CAST(tokens * 1000 AS BIGINT) AS milli)"
/* Now and then (one call in 256), forget the buckets nobody used for an hour
 * (full again by then).  yw_db_rate_take calls it itself. */
void yw_db_rate_sweep(struct yw_dbc *c, int64_t now_ms);

/* ---- backup (db/backup.c) ---- */

/* How `ywtb backup` runs: a deadline and a progress report. */
struct yw_db_backup_opts {
    int timeout_s; /* give up (YW_EIO, nothing left behind) after this long; 0 = never */
    /* called after every step with the pages copied and the pages in all; may be NULL */
    void (*progress)(void *ctx, int copied, int total);
    void *ctx;
};

/* Online backup of a SQLite database to `path`: a consistent copy of one
 * snapshot, taken in one read transaction so writers neither restart nor
 * block it (they go on in the WAL).  The copy is written to PATH.tmp with
 * mode 0600, synced and renamed.  YW_EINVAL for PostgreSQL (use pg_dump, see
 * OPERATIONS.md), YW_EIO when the file cannot be written or the timeout
 * passed (nothing is left under either name). */
int yw_db_backup(struct yw_db *db, const char *path, struct yw_err *err);
int yw_db_backup_with(struct yw_db *db, const char *path, const struct yw_db_backup_opts *opts,
                      struct yw_err *err);
/* When the last backup finished (ms since the epoch; 0 when none). */
int yw_db_backup_last(struct yw_dbc *c, int64_t *finished_ms);

#endif
