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
 */
#ifndef YW_DB_DB_H
#define YW_DB_DB_H

#include "core/err.h"
#include "core/mem.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum yw_db_engine { YW_DB_SQLITE = 1, YW_DB_PG = 2 };

/* Step results (positive, so they never collide with YW_E... codes). */
#define YW_ROW 100
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
struct yw_db *yw_dbc_db(struct yw_dbc *c);
/* True while c is inside a transaction. */
bool yw_dbc_in_tx(const struct yw_dbc *c);
/* The last engine error message on c (for logs; may name SQL, never values). */
const char *yw_dbc_errmsg(const struct yw_dbc *c);

/* ---- statements ---- */

/* The cached statement for `sql` on c, reset and with bindings cleared.  `sql`
 * should be a string literal (it is cached by its text).  NULL on a syntax error
 * (logged; a bug). */
struct yw_stmt *yw_db_prepare(struct yw_dbc *c, const char *sql);
/* Bind parameter i (1-based). */
void yw_db_bind_int(struct yw_stmt *s, int i, int64_t v);
void yw_db_bind_text(struct yw_stmt *s, int i, const char *v, size_t n); /* n = (size_t)-1: strlen */
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
/* Run raw SQL (several statements, no parameters): migrations only. */
int yw_db_exec_script(struct yw_dbc *c, const char *sql, struct yw_err *err);

/* ---- transactions ---- */

/* READ: a plain read transaction; WRITE: takes the write lock at once (SQLite
 * BEGIN IMMEDIATE); SNAPSHOT: read-only, one consistent view for every
 * statement (PostgreSQL REPEATABLE READ), for long checks like the audit walk. */
enum { YW_TX_READ = 0, YW_TX_WRITE = 1, YW_TX_SNAPSHOT = 2 };

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
 * writer from caching the old row for good.  Calls are never lost: past
 * YW_DB_AFTER_TX_MAX registrations in one transaction an earlier call of the
 * same fn gets YW_DB_AFTER_TX_ALL as its argument ("everything changed"), so at
 * most YW_DB_AFTER_TX_MAX different functions may be registered.  Outside a
 * transaction fn runs at once. */
#define YW_DB_AFTER_TX_MAX 16
#define YW_DB_AFTER_TX_ALL INT64_MIN
void yw_db_after_tx(struct yw_dbc *c, void (*fn)(int64_t arg), int64_t arg);

/* ---- notifications between nodes (db/listen.c) ---- */

/* Tell every node listening on channel, when (and only if) the transaction on c
 * commits.  PostgreSQL NOTIFY; on SQLite, which one node serves, nothing.
 * channel: lower-case letters, digits and _ only. */
int yw_db_notify(struct yw_dbc *c, const char *channel, const char *payload);

/* A thread with its own connection that LISTENs on channel and calls
 * fn(payload, ctx) for each notification.  When notifications may have been
 * missed - the connection broke, or was just (re)established - it calls
 * fn(NULL, ctx) and yw_db_listener_up() is false until it listens again.
 * SQLite: *out = NULL and 0 (there is no other node to hear from). */
struct yw_db_listener;
int yw_db_listen(struct yw_db *db, const char *channel, void (*fn)(const char *payload, void *ctx), void *ctx,
                 struct yw_db_listener **out, struct yw_err *err);
bool yw_db_listener_up(const struct yw_db_listener *l);
void yw_db_listen_stop(struct yw_db_listener *l);

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
/* Highest migration version this binary carries. */
int yw_db_migrations_latest(void);

/* ---- backup (db/backup.c) ---- */

/* Online backup of a SQLite database to `path` (a consistent copy while the
 * server runs).  YW_EINVAL for PostgreSQL (use pg_dump, see OPERATIONS.md). */
int yw_db_backup(struct yw_db *db, const char *path, struct yw_err *err);

#endif
