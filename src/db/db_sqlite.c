/*
 * db_sqlite.c - the SQLite driver behind db.h.
 *
 * One sqlite3 connection per thread (SQLITE_OPEN_NOMUTEX: a connection is
 * never shared), WAL journal so readers never wait for the writer, and
 * synchronous=FULL so that a commit that returned has reached the disk.  Write
 * transactions start with BEGIN IMMEDIATE so two writers never deadlock on a
 * lock upgrade; a busy database waits up to 5 s (busy_wait) and then reports
 * YW_ERETRY, which yw_db_tx turns into a retry.
 */
#include "db/db_internal.h"

#include "core/log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int
map_rc(struct yw_dbc *c, int rc)
{
    sqlite3 *h = c->handle;
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
        return YW_DONE;
    case SQLITE_ROW:
        return YW_ROW;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return YW_ERETRY;
    case SQLITE_CONSTRAINT:
        snprintf(c->errmsg, sizeof c->errmsg, "%s", sqlite3_errmsg(h));
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
            rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return YW_ECONFLICT;
        return YW_EDB;
    default:
        snprintf(c->errmsg, sizeof c->errmsg, "%s", sqlite3_errmsg(h));
        return YW_EDB;
    }
}

/* SQLite's busy handler: called with the number of times it was called for
 * this lock; nonzero waits and tries again.  sqlite3_busy_timeout's own
 * sleeps are 1, 2, 5, 10, 15, 20, 25 ms ...: a writer that finds the write
 * lock taken for 0.3 ms (a batch, a serial block) sleeps at least 1 ms and,
 * missing it twice, 8 ms - the group-commit batcher, which every durable
 * request waits for, among them (docs/PERFORMANCE.md, "Flows after the
 * merges").  Here: 20 us doubling to 1 ms, then 1 ms at a time, 5 s in all. */
static int
busy_wait(void *arg, int n)
{
    (void)arg;
    long us = n < 6 ? 20L << n : 1000;
    long waited = n < 6 ? 20L * ((1L << n) - 1) : 1260L + (long)(n - 6) * 1000;
    if (waited >= 5000000L)
        return 0;
    struct timespec ts = { 0, us * 1000 };
    nanosleep(&ts, NULL);
    return 1;
}

static int
sq_connect(struct yw_dbc *c, struct yw_err *err)
{
    sqlite3 *h = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(c->db->target, &h, flags, NULL);
    if (rc != SQLITE_OK) {
        yw_fail(err, YW_EDB, "db", "cannot open SQLite database '%s': %s", c->db->target,
                h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return YW_EDB;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_handler(h, busy_wait, NULL);
    c->handle = h;
    /* journal_mode=WAL persists in the file; the others are per connection. */
    const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;";
    char *msg = NULL;
    rc = sqlite3_exec(h, setup, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        yw_fail(err, YW_EDB, "db", "cannot set up SQLite database '%s': %s", c->db->target,
                msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close(h);
        c->handle = NULL;
        return YW_EDB;
    }
    return 0;
}

static void
sq_disconnect(struct yw_dbc *c)
{
    sqlite3_close_v2(c->handle);
    c->handle = NULL;
}

static int
sq_prepare(struct yw_stmt *s, struct yw_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->c->handle, s->sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return yw_fail(err, YW_EDB, "", "%s", sqlite3_errmsg(s->c->handle));
    s->handle = st;
    return 0;
}

static void
sq_finalize(struct yw_stmt *s)
{
    sqlite3_finalize(s->handle);
}

static void
sq_reset(struct yw_stmt *s)
{
    sqlite3_reset(s->handle);
    sqlite3_clear_bindings(s->handle);
}

static void
sq_bind_int(struct yw_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(s->handle, i, v);
}

static void
sq_bind_text(struct yw_stmt *s, int i, const char *v, size_t n)
{
    sqlite3_bind_text64(s->handle, i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void
sq_bind_null(struct yw_stmt *s, int i)
{
    sqlite3_bind_null(s->handle, i);
}

static void
sq_bind_blob(struct yw_stmt *s, int i, const void *v, size_t n)
{
    sqlite3_bind_blob64(s->handle, i, v, n, SQLITE_TRANSIENT);
}

static int
sq_step(struct yw_stmt *s)
{
    int rc = sqlite3_step(s->handle);
    int mapped = map_rc(s->c, rc);
    if (mapped == YW_DONE)
        s->changes = sqlite3_changes64(s->c->handle);
    if (mapped < 0)
        sqlite3_reset(s->handle);
    return mapped;
}

static int64_t
sq_col_int(struct yw_stmt *s, int col)
{
    return sqlite3_column_int64(s->handle, col);
}

static const char *
sq_col_text(struct yw_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s->handle, col);
}

static size_t
sq_col_len(struct yw_stmt *s, int col)
{
    return (size_t)sqlite3_column_bytes(s->handle, col);
}

static const void *
sq_col_blob(struct yw_stmt *s, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(s->handle, col);
    *n = (size_t)sqlite3_column_bytes(s->handle, col);
    return p;
}

static bool
sq_col_null(struct yw_stmt *s, int col)
{
    return sqlite3_column_type(s->handle, col) == SQLITE_NULL;
}

static int
sq_col_count(struct yw_stmt *s)
{
    return sqlite3_column_count(s->handle);
}

static int64_t
sq_changes(struct yw_stmt *s)
{
    return s->changes;
}

static int
sq_exec_script(struct yw_dbc *c, const char *sql, struct yw_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->handle, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int mapped = map_rc(c, rc);
        if (mapped == YW_DONE)
            mapped = YW_EDB;
        snprintf(c->errmsg, sizeof c->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
        yw_fail(err, mapped, "", "%s", c->errmsg);
        sqlite3_free(msg);
        return mapped;
    }
    return 0;
}

const struct yw_db_driver yw_db_sqlite_driver = {
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_len = sq_col_len,
    .col_blob = sq_col_blob,
    .col_null = sq_col_null,
    .col_count = sq_col_count,
    .changes = sq_changes,
    .exec_script = sq_exec_script,
    .begin_read = "BEGIN",
    .begin_write = "BEGIN IMMEDIATE",
    .begin_snapshot = "BEGIN",
};
