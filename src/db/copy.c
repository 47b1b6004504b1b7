/*
 * copy.c - yw_db_copy_*: bulk rows through COPY FROM STDIN on PostgreSQL and a
 * prepared multi-row INSERT on SQLite (see copy.h for why and how).
 *
 * PostgreSQL: rows are escaped into COPY's text format in a buffer; each time
 * it passes PG_FLUSH bytes (and at the end) one COPY ... FROM STDIN sends it
 * (PQputCopyData) and reads the server's answer - three round trips for
 * thousands of rows.  A COPY occupies the connection only while a buffer is
 * sent, so several copies can be open on one connection at once (cases, their
 * tasks, their timeline).  SQLite: the values of up to BATCH_ROWS rows are
 * kept, then bound into one cached INSERT ... VALUES (...), (...), ... and
 * stepped; the last, shorter batch uses a statement of its own length.
 *
 * Foreign keys are checked when a batch reaches the table, so a flush first
 * flushes the copies begun before it on the same connection: begin the copy
 * of the parent rows before the copies of the rows that refer to them.
 */
#include "db/copy.h"

#include "core/log.h"
#include "core/mem.h"
#include "db/db_internal.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_FLUSH   (4 * 1024 * 1024)
#define BATCH_ROWS 128

struct copy_val {
    char t; /* 'i', 's' or 'n' */
    int64_t i;
    size_t off, len; /* 's': in cp->text */
};

struct yw_db_copy;
static __thread struct yw_db_copy *open_copies;

struct yw_db_copy {
    struct yw_dbc *c;
    bool pg;
    struct yw_db_copy *next; /* open copies of this thread, in the order begun */
    char *table, *cols;
    int ncols;
    int64_t rows;
    struct yw_buf buf; /* PostgreSQL: COPY text waiting to be sent */
    /* SQLite: the batch not yet inserted */
    struct copy_val *vals;
    int nrows;
    struct yw_buf text;
};

static int
count_cols(const char *cols)
{
    int n = 1;
    for (const char *p = cols; *p; p++)
        n += *p == ',';
    return n;
}

int
yw_db_copy_begin(struct yw_dbc *c, const char *table, const char *cols, struct yw_db_copy **out,
                 struct yw_err *err)
{
    *out = NULL;
    if (!yw_dbc_in_tx(c))
        return yw_fail(err, YW_EINTERNAL, "db", "a copy into %s needs a transaction", table);
    struct yw_db_copy *cp = yw_xcalloc(1, sizeof *cp);
    cp->c = c;
    cp->pg = yw_db_engine(c->db) == YW_DB_PG;
    cp->table = yw_xstrdup(table);
    cp->cols = yw_xstrdup(cols);
    cp->ncols = count_cols(cols);
    yw_buf_init(&cp->buf);
    yw_buf_init(&cp->text);
    if (!cp->pg)
        cp->vals = yw_xcalloc((size_t)BATCH_ROWS * (size_t)cp->ncols, sizeof *cp->vals);
    struct yw_db_copy **tail = &open_copies;
    while (*tail)
        tail = &(*tail)->next;
    *tail = cp;
    *out = cp;
    return 0;
}

/* COPY text format: backslash, tab, newline and carriage return escaped. */
static void
pg_add_text(struct yw_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': yw_buf_add(b, "\\\\", 2); break;
        case '\t': yw_buf_add(b, "\\t", 2); break;
        case '\n': yw_buf_add(b, "\\n", 2); break;
        case '\r': yw_buf_add(b, "\\r", 2); break;
        default: yw_buf_addc(b, *p);
        }
    }
}

/* Send the buffered rows through one COPY and read its answer. */
static int
pg_flush(struct yw_db_copy *cp)
{
    if (cp->buf.n == 0)
        return 0;
    PGconn *h = cp->c->handle;
    char sql[1024];
    snprintf(sql, sizeof sql, "COPY %s (%s) FROM STDIN", cp->table, cp->cols);
    PGresult *r = PQexec(h, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        snprintf(cp->c->errmsg, sizeof cp->c->errmsg, "%s", PQresultErrorMessage(r));
        PQclear(r);
        return YW_EDB;
    }
    PQclear(r);
    int rc = 0;
    if (PQputCopyData(h, cp->buf.p, (int)cp->buf.n) != 1 || PQputCopyEnd(h, NULL) != 1) {
        snprintf(cp->c->errmsg, sizeof cp->c->errmsg, "%s", PQerrorMessage(h));
        rc = YW_EDB;
    }
    while ((r = PQgetResult(h)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK) {
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            snprintf(cp->c->errmsg, sizeof cp->c->errmsg, "%s", PQresultErrorMessage(r));
            rc = state && (!strcmp(state, "23505") || !strcmp(state, "23503")) ? YW_ECONFLICT
                                                                                 : YW_EDB;
        }
        PQclear(r);
    }
    yw_buf_reset(&cp->buf);
    return rc;
}

/* The SQLite statement for n rows of the copy, cached by the connection. */
static struct yw_stmt *
sqlite_insert(struct yw_db_copy *cp, int n)
{
    struct yw_buf sql;
    yw_buf_init(&sql);
    yw_buf_printf(&sql, "INSERT INTO %s (%s) VALUES ", cp->table, cp->cols);
    for (int r = 0; r < n; r++) {
        yw_buf_adds(&sql, r ? ", (" : "(");
        for (int k = 0; k < cp->ncols; k++)
            yw_buf_adds(&sql, k ? ", ?" : "?");
        yw_buf_addc(&sql, ')');
    }
    struct yw_stmt *s = yw_db_prepare(cp->c, sql.p);
    yw_buf_release(&sql);
    return s;
}

static int
sqlite_flush(struct yw_db_copy *cp)
{
    if (cp->nrows == 0)
        return 0;
    struct yw_stmt *s = sqlite_insert(cp, cp->nrows);
    if (s == NULL)
        return YW_EDB;
    int n = cp->nrows * cp->ncols;
    for (int k = 0; k < n; k++) {
        const struct copy_val *v = &cp->vals[k];
        if (v->t == 'i')
            yw_db_bind_int(s, k + 1, v->i);
        else if (v->t == 's') /* the text stays put until the step: no copy */
            sqlite3_bind_text64(s->handle, k + 1, cp->text.p + v->off, v->len, SQLITE_STATIC,
                                SQLITE_UTF8);
        else
            yw_db_bind_null(s, k + 1);
    }
    int rc = yw_db_step(s);
    yw_db_reset(s);
    cp->nrows = 0;
    yw_buf_reset(&cp->text);
    return rc == YW_DONE ? 0 : rc < 0 ? rc : YW_EDB;
}

/* Flush cp after the copies begun before it on its connection. */
static int
flush(struct yw_db_copy *cp)
{
    for (struct yw_db_copy *x = open_copies; x; x = x->next) {
        if (x->c != cp->c)
            continue;
        int rc = x->pg ? pg_flush(x) : sqlite_flush(x);
        if (rc || x == cp)
            return rc;
    }
    return YW_EINTERNAL; /* cp is always on the list */
}

int
yw_db_copy_row(struct yw_db_copy *cp, const char *fmt, ...)
{
    size_t n = fmt ? strlen(fmt) : 0;
    if ((int)n != cp->ncols || strspn(fmt, "idsn") != n) {
        yw_log_error("db", "bad copy format '%.40s' for %d column(s) of %s", fmt ? fmt : "",
                     cp->ncols, cp->table);
        return YW_EINTERNAL;
    }
    va_list ap;
    va_start(ap, fmt);
    struct copy_val *row = cp->pg ? NULL : &cp->vals[cp->nrows * cp->ncols];
    for (size_t k = 0; k < n; k++) {
        struct copy_val v = { .t = 'n' };
        const char *s = NULL;
        switch (fmt[k]) {
        case 'i': v = (struct copy_val){ .t = 'i', .i = va_arg(ap, int64_t) }; break;
        case 'd': v = (struct copy_val){ .t = 'i', .i = va_arg(ap, int) }; break;
        case 's':
            s = va_arg(ap, const char *);
            if (s)
                v.t = 's';
            break;
        default: break;
        }
        if (cp->pg) {
            if (k)
                yw_buf_addc(&cp->buf, '\t');
            if (v.t == 'i')
                yw_buf_printf(&cp->buf, "%lld", (long long)v.i);
            else if (v.t == 's')
                pg_add_text(&cp->buf, s);
            else
                yw_buf_add(&cp->buf, "\\N", 2);
        } else {
            if (v.t == 's') {
                v.off = cp->text.n;
                v.len = strlen(s);
                yw_buf_add(&cp->text, s, v.len);
            }
            row[k] = v;
        }
    }
    va_end(ap);
    cp->rows++;
    if (cp->pg) {
        yw_buf_addc(&cp->buf, '\n');
        return cp->buf.n >= PG_FLUSH ? flush(cp) : 0;
    }
    return ++cp->nrows == BATCH_ROWS ? flush(cp) : 0;
}

int64_t
yw_db_copy_rows(const struct yw_db_copy *cp)
{
    return cp->rows;
}

int
yw_db_copy_end(struct yw_db_copy *cp, int rc, struct yw_err *err)
{
    if (cp == NULL)
        return rc;
    int frc = rc == 0 ? flush(cp) : 0;
    struct yw_db_copy **p = &open_copies;
    while (*p && *p != cp)
        p = &(*p)->next;
    if (*p)
        *p = cp->next;
    if (rc == 0 && frc && err)
        yw_fail(err, frc, "db", "cannot copy rows into %s: %s", cp->table, cp->c->errmsg);
    yw_buf_release(&cp->buf);
    yw_buf_release(&cp->text);
    free(cp->vals);
    free(cp->table);
    free(cp->cols);
    free(cp);
    return rc ? rc : frc;
}
