/*
 * db.c - engine-independent half of the storage API (see db.h): opening by URL,
 * per-thread connections, the statement cache, transactions with retry, and the
 * time counters /metrics reports.
 */
#include "db/db.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db_internal.h"
#include "db/tally.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static atomic_uint_fast64_t next_gen = 1;
static atomic_uint_fast64_t stat_ns;
static atomic_uint_fast64_t stat_queries;

void
yw_db__stat_add(int64_t ns)
{
    atomic_fetch_add_explicit(&stat_ns, (uint64_t)ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&stat_queries, 1, memory_order_relaxed);
}

double
yw_db_time_seconds(void)
{
    return (double)atomic_load(&stat_ns) / 1e9;
}

uint64_t
yw_db_queries_total(void)
{
    return atomic_load(&stat_queries);
}

int
yw_db__count_params(const char *sql)
{
    int n = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?') {
            n++;
        }
    }
    return n;
}

/* Make the directories above a file path (for sqlite:var/ywtb.db). */
static void
mkparents(const char *path)
{
    char *p = yw_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0750);
            *s = '/';
        }
    }
    free(p);
}

static char *
redact(const char *url)
{
    /* postgres://user:secret@host/db -> postgres://user:***@host/db */
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (!scheme || !at || !colon || colon > at)
        return yw_xstrdup(url);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_add(&b, url, (size_t)(colon - url) + 1);
    yw_buf_adds(&b, "***");
    yw_buf_adds(&b, at);
    return b.p;
}

int
yw_db__open_lazy(const char *url, struct yw_db **out, struct yw_err *err)
{
    *out = NULL;
    struct yw_db *db = yw_xcalloc(1, sizeof *db);
    if (strncmp(url, "sqlite:", 7) == 0) {
        db->engine = YW_DB_SQLITE;
        db->drv = &yw_db_sqlite_driver;
        const char *path = url + 7;
        if (strncmp(path, "//", 2) == 0)
            path += 2;
        if (*path == '\0' || strcmp(path, ":memory:") == 0) {
            free(db);
            return yw_fail(err, YW_EINVAL, "db",
                           "database URL '%s' names no file (in-memory databases are not "
                           "shared between threads; use a file)",
                           url);
        }
        db->target = yw_xstrdup(path);
        mkparents(path);
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        db->engine = YW_DB_PG;
        db->drv = &yw_db_pg_driver;
        db->target = yw_xstrdup(url);
    } else {
        free(db);
        return yw_fail(err, YW_EINVAL, "db",
                       "database URL '%s' is neither sqlite:PATH nor postgres://...", url);
    }
    db->url = yw_xstrdup(url);
    db->redacted = redact(url);
    db->gen = atomic_fetch_add(&next_gen, 1);
    pthread_mutex_init(&db->lock, NULL);
    *out = db;
    return 0;
}

int
yw_db_open(const char *url, struct yw_db **out, struct yw_err *err)
{
    *out = NULL;
    struct yw_db *db = NULL;
    int rc = yw_db__open_lazy(url, &db, err);
    if (rc)
        return rc;
    /* Connect once now so a wrong URL fails at start, not at the first request. */
    if (yw_db_conn(db, err) == NULL) {
        yw_db_close(db);
        return YW_EDB;
    }
    *out = db;
    return 0;
}

static void
conn_free(struct yw_dbc *c)
{
    for (int b = 0; b < YW_STMT_BUCKETS; b++) {
        struct yw_stmt *s = c->stmts[b];
        while (s) {
            struct yw_stmt *next = s->next;
            c->db->drv->finalize(s);
            free(s->sql);
            free(s);
            s = next;
        }
    }
    yw_audit_discard(c);
    free(c->audit); /* the queue itself (db/audit.c allocates it on first use) */
    yw_db__tally_free(c);
    c->db->drv->disconnect(c);
    free(c);
}

void
yw_db_close(struct yw_db *db)
{
    if (db == NULL)
        return;
    yw_db__replica_close(db->replica); /* its monitor uses db: first */
    db->replica = NULL;
    pthread_mutex_lock(&db->lock);
    struct yw_dbc *c = db->conns;
    db->conns = NULL;
    pthread_mutex_unlock(&db->lock);
    while (c) {
        struct yw_dbc *next = c->next;
        conn_free(c);
        c = next;
    }
    pthread_mutex_destroy(&db->lock);
    free(db->url);
    free(db->target);
    free(db->redacted);
    free(db);
}

enum yw_db_engine
yw_db_engine(const struct yw_db *db)
{
    return db->engine;
}

const char *
yw_db_url_redacted(const struct yw_db *db)
{
    return db->redacted;
}

/* Thread-local map from an open database (by generation) to this thread's
 * connection.  Generations are never reused, so entries of closed databases
 * simply never match again. */
#define TL_SLOTS 4
static _Thread_local struct {
    uint64_t gen;
    struct yw_dbc *c;
} tl_conns[TL_SLOTS];

int
yw_db_conn_count(struct yw_db *db)
{
    int n = 0;
    pthread_mutex_lock(&db->lock);
    for (struct yw_dbc *c = db->conns; c; c = c->next)
        n++;
    pthread_mutex_unlock(&db->lock);
    return n;
}

struct yw_dbc *
yw_db_conn(struct yw_db *db, struct yw_err *err)
{
    for (int i = 0; i < TL_SLOTS; i++)
        if (tl_conns[i].gen == db->gen)
            return tl_conns[i].c;

    struct yw_dbc *c = yw_xcalloc(1, sizeof *c);
    c->db = db;
    if (db->drv->connect(c, err) != 0) {
        free(c);
        return NULL;
    }
    pthread_mutex_lock(&db->lock);
    c->next = db->conns;
    db->conns = c;
    pthread_mutex_unlock(&db->lock);

    int slot = 0;
    for (int i = 0; i < TL_SLOTS; i++) {
        if (tl_conns[i].gen == 0) {
            slot = i;
            break;
        }
        if (tl_conns[i].gen < tl_conns[slot].gen)
            slot = i; /* replace the oldest */
    }
    tl_conns[slot].gen = db->gen;
    tl_conns[slot].c = c;
    return c;
}

struct yw_db *
yw_dbc_db(struct yw_dbc *c)
{
    return c->db;
}

bool
yw_dbc_in_tx(const struct yw_dbc *c)
{
    return c->in_tx;
}

static atomic_uint_fast64_t tx_ids;

uint64_t
yw_dbc_tx_id(const struct yw_dbc *c)
{
    return c->in_tx ? c->tx_id : 0;
}

const char *
yw_dbc_errmsg(const struct yw_dbc *c)
{
    return c->errmsg;
}

/* ---- statements ---- */

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct yw_stmt *
yw_db_prepare(struct yw_dbc *c, const char *sql)
{
    uint64_t h = fnv1a(sql);
    struct yw_stmt **bucket = &c->stmts[h % YW_STMT_BUCKETS];
    for (struct yw_stmt *s = *bucket; s; s = s->next) {
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            c->db->drv->reset(s);
            return s;
        }
    }
    struct yw_stmt *s = yw_xcalloc(1, sizeof *s);
    s->c = c;
    s->hash = h;
    s->sql = yw_xstrdup(sql);
    struct yw_err err = { 0 };
    if (c->db->drv->prepare(s, &err) != 0) {
        if (c->defer_rc == 0) /* else a write sent ahead failed: not this statement's fault */
            yw_log_error("db", "cannot prepare statement: %s: %.200s", err.msg, sql);
        snprintf(c->errmsg, sizeof c->errmsg, "cannot prepare statement: %.200s", err.msg);
        free(s->sql);
        free(s);
        return NULL;
    }
    s->nq = yw_db__count_params(sql);
    s->next = *bucket;
    *bucket = s;
    return s;
}

void
yw_db_bind_int(struct yw_stmt *s, int i, int64_t v)
{
    s->c->db->drv->bind_int(s, i, v);
}

void
yw_db_bind_text(struct yw_stmt *s, int i, const char *v, size_t n)
{
    if (v == NULL) {
        s->c->db->drv->bind_null(s, i);
        return;
    }
    s->c->db->drv->bind_text(s, i, v, n == (size_t)-1 ? strlen(v) : n);
}

void
yw_db_bind_str(struct yw_stmt *s, int i, const char *v)
{
    yw_db_bind_text(s, i, v, (size_t)-1);
}

void
yw_db_bind_null(struct yw_stmt *s, int i)
{
    s->c->db->drv->bind_null(s, i);
}

void
yw_db_bind_blob(struct yw_stmt *s, int i, const void *v, size_t n)
{
    s->c->db->drv->bind_blob(s, i, v, n);
}

int
yw_db_step(struct yw_stmt *s)
{
    int64_t t0 = yw_clock_mono_ns();
    int rc = s->c->db->drv->step(s);
    yw_db__stat_add(yw_clock_mono_ns() - t0);
    return rc;
}

int64_t
yw_db_col_int(struct yw_stmt *s, int col)
{
    return s->c->db->drv->col_int(s, col);
}

const char *
yw_db_col_text(struct yw_stmt *s, int col)
{
    const char *t = s->c->db->drv->col_text(s, col);
    return t ? t : "";
}

size_t
yw_db_col_len(struct yw_stmt *s, int col)
{
    return s->c->db->drv->col_len(s, col);
}

const void *
yw_db_col_blob(struct yw_stmt *s, int col, size_t *n)
{
    return s->c->db->drv->col_blob(s, col, n);
}

bool
yw_db_col_null(struct yw_stmt *s, int col)
{
    return s->c->db->drv->col_null(s, col);
}

int
yw_db_col_count(struct yw_stmt *s)
{
    return s->c->db->drv->col_count(s);
}

int64_t
yw_db_changes(struct yw_stmt *s)
{
    return s->c->db->drv->changes(s);
}

void
yw_db_reset(struct yw_stmt *s)
{
    s->c->db->drv->reset(s);
}

int
yw_db_exec(struct yw_dbc *c, const char *sql, int nargs, ...)
{
    struct yw_stmt *s = yw_db_prepare(c, sql);
    if (s == NULL)
        return YW_EDB;
    va_list ap;
    va_start(ap, nargs);
    for (int i = 1; i <= nargs; i++)
        yw_db_bind_str(s, i, va_arg(ap, const char *));
    va_end(ap);
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        ;
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : rc;
}

int
yw_db_exec_script(struct yw_dbc *c, const char *sql, struct yw_err *err)
{
    return c->db->drv->exec_script(c, sql, err);
}

int
yw_db_exec_one(struct yw_dbc *c, const char *sql)
{
    if (c->db->engine == YW_DB_SQLITE)
        return yw_db_run(c, sql, "");
    return c->db->drv->exec_script(c, sql, NULL);
}

/* ---- statements sent ahead (batch.c) ---- */

void
yw_db__defer_begin(struct yw_dbc *c)
{
    c->defer_rc = 0;
    c->defer = c->db->drv->send_deferred != NULL;
}

int
yw_db__defer_sql(struct yw_dbc *c, const char *sql)
{
    if (c->db->drv->send_deferred_sql) {
        int rc = c->db->drv->send_deferred_sql(c, sql);
        if (rc <= 0)
            return rc;
    }
    return yw_db_exec_script(c, sql, NULL);
}

int
yw_db__defer_end(struct yw_dbc *c)
{
    c->defer = false;
    if (c->db->drv->drain)
        c->db->drv->drain(c);
    int rc = c->defer_rc;
    c->defer_rc = 0;
    return rc;
}

/* ---- transactions ---- */

int
yw_db_begin(struct yw_dbc *c, int mode)
{
    const char *sql = mode == YW_TX_WRITE      ? c->db->drv->begin_write
                      : mode == YW_TX_SNAPSHOT ? c->db->drv->begin_snapshot
                                               : c->db->drv->begin_read;
    int rc = c->db->drv->exec_script(c, sql, NULL);
    if (rc == 0) {
        c->in_tx = true;
        c->tx_mode = mode;
        c->tx_id = atomic_fetch_add(&tx_ids, 1) + 1;
    }
    return rc;
}

void
yw_db_after_tx(struct yw_dbc *c, void (*fn)(int64_t arg), int64_t arg)
{
    if (!c->in_tx) {
        fn(arg);
        return;
    }
    /* The same call registered already (a wake per event published, an
     * eviction per write of one row): once is enough. */
    for (int i = 0; i < c->nafter; i++)
        if (c->after[i].fn == fn && (c->after[i].arg == arg || c->after[i].arg == YW_DB_AFTER_TX_ALL))
            return;
    if (c->nafter < YW_DB_AFTER_TX_MAX) {
        c->after[c->nafter++] = (struct yw_db_after){ fn, arg };
        return;
    }
    /* Full: widen an earlier call of the same function to "everything". */
    for (int i = 0; i < c->nafter; i++)
        if (c->after[i].fn == fn) {
            c->after[i].arg = YW_DB_AFTER_TX_ALL;
            return;
        }
    /* Full of other functions: make room by widening one that is there twice
     * (so a new function never finds the table full of one other's calls). */
    for (int i = 0; i < c->nafter; i++)
        for (int j = i + 1; j < c->nafter; j++)
            if (c->after[j].fn == c->after[i].fn) {
                c->after[i].arg = YW_DB_AFTER_TX_ALL;
                memmove(&c->after[j], &c->after[j + 1],
                        (size_t)(c->nafter - j - 1) * sizeof c->after[0]);
                c->after[c->nafter - 1] = (struct yw_db_after){ fn, arg };
                return;
            }
    yw_log_error("db", "more than %d functions to run after one transaction", YW_DB_AFTER_TX_MAX);
    abort(); /* a bug: losing an eviction would leave a cache stale */
}

/* The transaction has ended: run what yw_db_after_tx registered, in order. */
static void
run_after_tx(struct yw_dbc *c)
{
    int n = c->nafter;
    c->nafter = 0;
    for (int i = 0; i < n; i++)
        c->after[i].fn(c->after[i].arg);
}

int
yw_db_commit(struct yw_dbc *c)
{
    /* the tallies' and the audit records' writes are sent ahead together
     * (PostgreSQL; db_pg.c): a batch of thirty records costs the round trip
     * that reserves their place in the chain and one Sync, not thirty */
    yw_db__defer_begin(c);
    int rc = yw_db__tally_flush(c);
    if (rc == 0)
        rc = yw_audit_flush(c);
    int ahead = yw_db__defer_end(c);
    if (rc == 0)
        rc = ahead;
    if (rc == 0)
        rc = c->db->drv->exec_script(c, "COMMIT", NULL);
    if (rc != 0) {
        yw_db_rollback(c);
        return rc;
    }
    c->in_tx = false;
    c->committed = true;
    run_after_tx(c);
    return 0;
}

void
yw_db_rollback(struct yw_dbc *c)
{
    yw_audit_discard(c);
    yw_db__tally_discard(c);
    if (c->in_tx)
        c->db->drv->exec_script(c, "ROLLBACK", NULL);
    c->in_tx = false;
    c->committed = false;
    run_after_tx(c);
}

static void
backoff(int attempt)
{
    /* 0.1 ms doubling to ~25 ms, with jitter so retrying nodes spread out */
    long us = 100L << (attempt < 8 ? attempt : 8);
    us = us / 2 + (long)(rand() % (int)(us / 2 + 1));
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

int
yw_db_tx(struct yw_db *db, int mode, int (*fn)(struct yw_dbc *c, void *ctx), void *ctx,
         struct yw_err *err)
{
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    bool ahead = (mode & YW_TX_SEND_AHEAD) != 0;
    mode &= ~YW_TX_SEND_AHEAD;
    bool again = false; /* a write sent ahead failed: run fn at once, waiting */
    int rc = YW_ERETRY;
    for (int attempt = 0; attempt < 50; attempt++) {
        if (attempt && !again)
            backoff(attempt);
        again = false;
        rc = yw_db_begin(c, mode);
        if (rc == YW_ERETRY)
            continue;
        if (rc)
            break;
        if (ahead)
            yw_db__defer_begin(c);
        rc = fn(c, ctx);
        if (ahead && yw_db__defer_end(c) != 0) {
            yw_db_rollback(c);
            ahead = false;
            again = true;
            continue;
        }
        if (rc) {
            yw_db_rollback(c);
            if (rc == YW_ERETRY)
                continue;
            break;
        }
        rc = yw_db_commit(c);
        if (rc != YW_ERETRY)
            break;
    }
    if (rc == YW_EDB && err && err->msg[0] == '\0')
        yw_fail(err, rc, "", "%s", c->errmsg);
    return rc;
}

void
yw_db_now_text(char buf[32])
{
    yw_clock_format(yw_clock_now_ms(), buf);
}
