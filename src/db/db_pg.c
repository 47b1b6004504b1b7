/*
 * db_pg.c - the PostgreSQL driver behind db.h (libpq, synchronous).
 *
 * Statements are prepared server-side once per connection (PQprepare) with the
 * `?` placeholders rewritten to $1..$n, and run with PQexecPrepared; all values
 * travel as text except blobs (binary).  Errors map by SQLSTATE: unique and
 * foreign-key violations to YW_ECONFLICT, serialization failures and deadlocks
 * to YW_ERETRY.  A connection that broke (server restart) is re-established on
 * the next use and its statements re-prepared, so a node survives a PostgreSQL
 * restart without being restarted itself.
 *
 * Statements sent ahead (the batcher, db/batch.c): while c->defer is set, a
 * statement whose answer nobody reads (yw_db_run) is queued in libpq's
 * pipeline mode and not waited for; the next statement that is waited for
 * joins the same pipeline with a Sync, so a run of writes and the read after
 * them cost one round trip instead of one each.  The answers of the queued
 * statements are read in order; the first that failed is kept in
 * c->defer_rc (the server skips everything after it up to the Sync), and the
 * batcher runs that job again without sending ahead.
 */
#include "db/db_internal.h"

#include "core/log.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
map_result(struct yw_dbc *c, PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
        return 0;
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorMessage(r);
    snprintf(c->errmsg, sizeof c->errmsg, "%s", msg ? msg : PQerrorMessage(c->handle));
    size_t n = strlen(c->errmsg);
    while (n && (c->errmsg[n - 1] == '\n' || c->errmsg[n - 1] == ' '))
        c->errmsg[--n] = '\0';
    if (state == NULL)
        return PQstatus(c->handle) == CONNECTION_BAD ? YW_ERETRY : YW_EDB;
    if (!strcmp(state, "23505") || !strcmp(state, "23503"))
        return YW_ECONFLICT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return YW_ERETRY;
    return YW_EDB;
}

static int
pg_connect(struct yw_dbc *c, struct yw_err *err)
{
    PGconn *h = PQconnectdb(c->db->target);
    if (PQstatus(h) != CONNECTION_OK) {
        const char *m = PQerrorMessage(h);
        yw_fail(err, YW_EDB, "db", "cannot connect to PostgreSQL '%s': %.*s", c->db->redacted,
                (int)strcspn(m, "\n"), m);
        PQfinish(h);
        return YW_EDB;
    }
    c->handle = h;
    PGresult *r = PQexec(h, "SET application_name = 'ywtb'; SET client_min_messages = warning;"
                            "SET TIME ZONE 'UTC'");
    PQclear(r);
    return 0;
}

static void
pg_disconnect(struct yw_dbc *c)
{
    PQfinish(c->handle);
    c->handle = NULL;
}

/* Re-establish a broken connection; statements notice by their epoch. */
static bool
pg_ensure(struct yw_dbc *c)
{
    if (PQstatus(c->handle) == CONNECTION_OK && !c->lost)
        return true;
    if (c->in_tx)
        return false; /* the transaction is lost: let it fail and retry */
    c->lost = false;
    c->deferred = 0;
    PQreset(c->handle);
    if (PQstatus(c->handle) != CONNECTION_OK)
        return false;
    c->epoch++;
    yw_log_warn("db", "reconnected to PostgreSQL %s", c->db->redacted);
    return true;
}

/* ---- pipeline mode: statements sent ahead ---- */

#define PG_DEFER_MAX 256 /* answers due at most; then they are read */

/* The answer of one queued statement: its first result (any further ones
 * cleared) up to the NULL that ends it; NULL when the connection broke. */
static PGresult *
pipe_result(PGconn *h)
{
    PGresult *r = PQgetResult(h);
    if (r == NULL)
        return NULL;
    PGresult *more;
    while ((more = PQgetResult(h)) != NULL)
        PQclear(more);
    return r;
}

/* The Sync was sent: read the answers of the statements sent ahead, then
 * (own != NULL) the waited statement's into *own, then the Sync's, and leave
 * pipeline mode.  A pipeline that cannot be read to its end marks c lost (a
 * transaction open on it fails; the next one reconnects). */
static void
pipe_finish(struct yw_dbc *c, PGresult **own)
{
    PGconn *h = c->handle;
    int n = c->deferred;
    bool broken = false;
    c->deferred = 0;
    for (int i = 0; i < n && !broken; i++) {
        PGresult *r = pipe_result(h);
        if (r == NULL) {
            broken = true;
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && c->defer_rc == 0) {
            int rc = st == PGRES_PIPELINE_ABORTED ? YW_ERETRY : map_result(c, r);
            c->defer_rc = rc ? rc : YW_EDB;
        }
        PQclear(r);
    }
    if (own) {
        *own = broken ? NULL : pipe_result(h);
        broken = *own == NULL;
    }
    if (!broken) {
        PGresult *r = PQgetResult(h);
        broken = r == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC;
        PQclear(r);
    }
    if (broken || !PQexitPipelineMode(h)) {
        snprintf(c->errmsg, sizeof c->errmsg, "the PostgreSQL pipeline broke: %.200s",
                 PQerrorMessage(h));
        c->lost = true;
        if (c->defer_rc == 0)
            c->defer_rc = YW_ERETRY;
        if (own && *own) {
            PQclear(*own);
            *own = NULL;
        }
    }
}

/* Read every answer still due on c (c->defer_rc: the first failure). */
static void
pg_drain(struct yw_dbc *c)
{
    if (c->deferred == 0)
        return;
    if (!PQpipelineSync(c->handle)) {
        c->deferred = 0;
        c->lost = true;
        if (c->defer_rc == 0)
            c->defer_rc = YW_ERETRY;
        return;
    }
    pipe_finish(c, NULL);
}

static int
pg_send_deferred(struct yw_stmt *s)
{
    struct yw_dbc *c = s->c;
    PGconn *h = c->handle;
    if (c->defer_rc)
        return YW_ERETRY; /* the transaction failed already: the job runs again */
    if (!c->in_tx || c->lost || PQstatus(h) != CONNECTION_OK || s->epoch != c->epoch)
        return 1;
    if (c->deferred >= PG_DEFER_MAX)
        pg_drain(c);
    if (c->deferred == 0 && !PQenterPipelineMode(h))
        return 1;
    if (!PQsendQueryPrepared(h, s->name, s->nparams, (const char *const *)s->vals, s->lens, s->fmts,
                             0)) {
        if (c->deferred)
            pg_drain(c);
        else
            PQexitPipelineMode(h);
        return c->defer_rc ? YW_ERETRY : 1;
    }
    c->deferred++;
    return 0;
}

static int
pg_send_deferred_sql(struct yw_dbc *c, const char *sql)
{
    PGconn *h = c->handle;
    if (c->defer_rc)
        return YW_ERETRY;
    if (!c->in_tx || c->lost || PQstatus(h) != CONNECTION_OK)
        return 1;
    if (c->deferred >= PG_DEFER_MAX)
        pg_drain(c);
    if (c->deferred == 0 && !PQenterPipelineMode(h))
        return 1;
    if (!PQsendQueryParams(h, sql, 0, NULL, NULL, NULL, NULL, 0)) {
        if (c->deferred)
            pg_drain(c);
        else
            PQexitPipelineMode(h);
        return c->defer_rc ? YW_ERETRY : 1;
    }
    c->deferred++;
    return 0;
}

static int
do_prepare(struct yw_stmt *s, struct yw_err *err)
{
    pg_drain(s->c);     /* PQprepare is not allowed in pipeline mode */
    if (s->c->defer_rc) /* the transaction failed already: the job runs again */
        return yw_fail(err, YW_ERETRY, "", "a statement sent ahead failed");
    struct yw_buf q;
    yw_buf_init(&q);
    int n = 0;
    char quote = 0;
    for (const char *p = s->sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?') {
            yw_buf_printf(&q, "$%d", ++n);
            continue;
        }
        yw_buf_addc(&q, *p);
    }
    snprintf(s->name, sizeof s->name, "y%u", ++s->c->next_stmt_id);
    /* A new statement may be the first use of a connection that broke since
     * (PostgreSQL restarted, backend terminated): re-establish it here as
     * pg_step does, or a thread that meets only new statements never
     * reconnects.  Preparing has no side effects, so it is tried once more
     * when it is what found the connection broken. */
    int rc = YW_ERETRY;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!pg_ensure(s->c)) {
            snprintf(s->c->errmsg, sizeof s->c->errmsg, "the PostgreSQL connection is lost");
            rc = YW_ERETRY;
            break;
        }
        PGresult *r = PQprepare(s->c->handle, s->name, q.p, 0, NULL);
        rc = map_result(s->c, r);
        PQclear(r);
        if (rc == 0 || s->c->in_tx || PQstatus(s->c->handle) != CONNECTION_BAD)
            break;
    }
    yw_buf_release(&q);
    if (rc)
        return yw_fail(err, rc, "", "%s", s->c->errmsg);
    s->epoch = s->c->epoch;
    return 0;
}

static int
pg_prepare(struct yw_stmt *s, struct yw_err *err)
{
    s->nparams = yw_db__count_params(s->sql);
    int n = s->nparams ? s->nparams : 1;
    s->vals = yw_xcalloc((size_t)n, sizeof *s->vals);
    s->lens = yw_xcalloc((size_t)n, sizeof *s->lens);
    s->fmts = yw_xcalloc((size_t)n, sizeof *s->fmts);
    int rc = do_prepare(s, err);
    if (rc) {
        free(s->vals);
        free(s->lens);
        free(s->fmts);
    }
    return rc;
}

static void
clear_params(struct yw_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
}

static void
pg_reset(struct yw_stmt *s)
{
    PQfreemem(s->blob);
    s->blob = NULL;
    PQclear(s->handle);
    s->handle = NULL;
    s->executed = false;
    s->row = -1;
    s->nrows = 0;
    clear_params(s);
}

static void
pg_finalize(struct yw_stmt *s)
{
    pg_reset(s);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
}

static void
set_param(struct yw_stmt *s, int i, char *v, int len, int fmt)
{
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    s->lens[i - 1] = len;
    s->fmts[i - 1] = fmt;
}

static void
pg_bind_int(struct yw_stmt *s, int i, int64_t v)
{
    char *t = yw_xmalloc(24);
    int n = snprintf(t, 24, "%lld", (long long)v);
    set_param(s, i, t, n, 0);
}

static void
pg_bind_text(struct yw_stmt *s, int i, const char *v, size_t n)
{
    set_param(s, i, yw_xstrndup(v, n), (int)n, 0);
}

static void
pg_bind_null(struct yw_stmt *s, int i)
{
    set_param(s, i, NULL, 0, 0);
}

static void
pg_bind_blob(struct yw_stmt *s, int i, const void *v, size_t n)
{
    char *p = yw_xmalloc(n ? n : 1);
    memcpy(p, v, n);
    set_param(s, i, p, (int)n, 1);
}

static int
pg_step(struct yw_stmt *s)
{
    if (!s->executed) {
        if (!pg_ensure(s->c))
            return YW_ERETRY;
        if (s->epoch != s->c->epoch) {
            struct yw_err e = { 0 };
            int rc = do_prepare(s, &e);
            if (rc)
                return rc;
        }
        struct yw_dbc *c = s->c;
        PGresult *r = NULL;
        if (c->deferred && PQsendQueryPrepared(c->handle, s->name, s->nparams,
                                               (const char *const *)s->vals, s->lens, s->fmts, 0)) {
            /* join the statements sent ahead: one round trip for them all */
            if (PQpipelineSync(c->handle)) {
                pipe_finish(c, &r);
            } else {
                c->deferred = 0;
                c->lost = true;
                if (c->defer_rc == 0)
                    c->defer_rc = YW_ERETRY;
            }
            if (r == NULL || PQresultStatus(r) == PGRES_PIPELINE_ABORTED) {
                PQclear(r);
                if (c->lost)
                    snprintf(c->errmsg, sizeof c->errmsg, "the PostgreSQL pipeline broke");
                return YW_ERETRY; /* an earlier statement failed: the job runs again */
            }
        } else {
            pg_drain(c);
            if (c->lost)
                return YW_ERETRY;
            r = PQexecPrepared(c->handle, s->name, s->nparams, (const char *const *)s->vals,
                               s->lens, s->fmts, 0);
        }
        int rc = map_result(s->c, r);
        if (rc) {
            PQclear(r);
            return rc;
        }
        s->handle = r;
        s->executed = true;
        s->row = -1;
        s->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        const char *ct = PQcmdTuples(r);
        s->changes = ct && *ct ? atoll(ct) : 0;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return YW_ROW;
    }
    return YW_DONE;
}

static int64_t
pg_col_int(struct yw_stmt *s, int col)
{
    if (s->handle == NULL || s->row < 0)
        return 0;
    const char *v = PQgetvalue(s->handle, s->row, col);
    if (v[0] == 't' && v[1] == '\0')
        return 1; /* boolean expressions */
    return atoll(v);
}

static const char *
pg_col_text(struct yw_stmt *s, int col)
{
    if (s->handle == NULL || s->row < 0 || PQgetisnull(s->handle, s->row, col))
        return NULL;
    return PQgetvalue(s->handle, s->row, col);
}

static size_t
pg_col_len(struct yw_stmt *s, int col)
{
    if (s->handle == NULL || s->row < 0)
        return 0;
    return (size_t)PQgetlength(s->handle, s->row, col);
}

static const void *
pg_col_blob(struct yw_stmt *s, int col, size_t *n)
{
    /* bytea arrives in hex text form (\x...): decode in place of the result copy */
    const char *t = pg_col_text(s, col);
    *n = 0;
    if (t == NULL)
        return NULL;
    size_t len;
    unsigned char *bin = PQunescapeBytea((const unsigned char *)t, &len);
    if (bin == NULL)
        return NULL;
    PQfreemem(s->blob); /* valid until the next column read or reset */
    s->blob = bin;
    *n = len;
    return bin;
}

static bool
pg_col_null(struct yw_stmt *s, int col)
{
    return s->handle == NULL || s->row < 0 || PQgetisnull(s->handle, s->row, col);
}

static int
pg_col_count(struct yw_stmt *s)
{
    return s->handle ? PQnfields(s->handle) : 0;
}

static int64_t
pg_changes(struct yw_stmt *s)
{
    return s->changes;
}

static int
pg_exec_script(struct yw_dbc *c, const char *sql, struct yw_err *err)
{
    pg_drain(c); /* PQexec is not allowed in pipeline mode */
    if (!pg_ensure(c))
        return yw_fail(err, YW_ERETRY, "", "PostgreSQL connection lost");
    PGresult *r = PQexec(c->handle, sql);
    int rc = map_result(c, r);
    PQclear(r);
    if (rc)
        yw_fail(err, rc, "", "%s", c->errmsg);
    return rc;
}

const struct yw_db_driver yw_db_pg_driver = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_len = pg_col_len,
    .col_blob = pg_col_blob,
    .col_null = pg_col_null,
    .col_count = pg_col_count,
    .changes = pg_changes,
    .exec_script = pg_exec_script,
    .send_deferred = pg_send_deferred,
    .send_deferred_sql = pg_send_deferred_sql,
    .drain = pg_drain,
    .begin_read = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};
