/*
 * query.c - the typed helpers of db.h: bind by a format string of types, run
 * a statement, read one integer, one text, one row, or whether a row exists.
 *
 * They exist because the same block - prepare, bind each parameter, step,
 * copy the result, reset, turn YW_ROW/YW_DONE into 0/YW_ENOTFOUND/an error -
 * was written out by hand at every query, with the error mapping done a
 * little differently each time.  Here it is done once, on top of
 * yw_db_prepare/bind/step, so the engine drivers know nothing about it.
 * The rule they keep: negative YW_E... codes out, YW_ROW and YW_DONE never.
 */
#include "db/db.h"

#include "core/log.h"
#include "db/db_internal.h"

#include <stdio.h>
#include <string.h>

int
yw_db_vbindf(struct yw_stmt *s, const char *fmt, va_list ap)
{
    if (fmt == NULL)
        fmt = "";
    size_t n = strlen(fmt);
    /* check the whole format before binding anything */
    if ((int)n != s->nq || strspn(fmt, "idsbn") != n) {
        yw_log_error("db", "bad parameter format '%.40s' for %d parameter(s): %.200s", fmt, s->nq,
                     s->sql);
        snprintf(s->c->errmsg, sizeof s->c->errmsg, "bad parameter format '%.40s'", fmt);
        return YW_EINTERNAL;
    }
    for (int i = 1; *fmt; fmt++, i++) {
        switch (*fmt) {
        case 'i':
            yw_db_bind_int(s, i, va_arg(ap, int64_t));
            break;
        case 'd':
            yw_db_bind_int(s, i, va_arg(ap, int));
            break;
        case 's':
            yw_db_bind_str(s, i, va_arg(ap, const char *));
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t len = va_arg(ap, size_t);
            yw_db_bind_blob(s, i, p, len);
            break;
        }
        default: /* 'n' */
            yw_db_bind_null(s, i);
            break;
        }
    }
    return 0;
}

int
yw_db_bindf(struct yw_stmt *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = yw_db_vbindf(s, fmt, ap);
    va_end(ap);
    return rc;
}

/* Prepare sql on c and bind it: 0 with *out, or YW_EDB / YW_EINTERNAL. */
static int
vprep(struct yw_dbc *c, struct yw_stmt **out, const char *sql, const char *fmt, va_list ap)
{
    *out = NULL;
    struct yw_stmt *s = yw_db_prepare(c, sql);
    if (s == NULL)
        return YW_EDB;
    int rc = yw_db_vbindf(s, fmt, ap);
    if (rc) {
        yw_db_reset(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* A step result that is not a row as the helpers return it. */
static int
not_row(int rc)
{
    return rc == YW_DONE ? YW_ENOTFOUND : rc < 0 ? rc : YW_EDB;
}

int
yw_db_finish(struct yw_stmt *s, int rc)
{
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : rc < 0 ? rc : YW_EDB;
}

static int
vrun(struct yw_dbc *c, int64_t *changes, const char *sql, const char *fmt, va_list ap)
{
    struct yw_stmt *s;
    int rc = vprep(c, &s, sql, fmt, ap);
    if (rc)
        return rc;
    if (changes == NULL && c->defer && c->db->drv->send_deferred) {
        /* nobody reads its rows or its count: send it ahead (batch.c) */
        rc = c->db->drv->send_deferred(s);
        if (rc <= 0) {
            yw_db_reset(s);
            return rc;
        }
    }
    while ((rc = yw_db_step(s)) == YW_ROW)
        ;
    if (rc == YW_DONE && changes)
        *changes = yw_db_changes(s);
    return yw_db_finish(s, rc);
}

int
yw_db_run(struct yw_dbc *c, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vrun(c, NULL, sql, fmt, ap);
    va_end(ap);
    return rc;
}

int
yw_db_run_changes(struct yw_dbc *c, int64_t *changes, const char *sql, const char *fmt, ...)
{
    if (changes)
        *changes = 0;
    va_list ap;
    va_start(ap, fmt);
    int rc = vrun(c, changes, sql, fmt, ap);
    va_end(ap);
    return rc;
}

/* Prepare, bind and step onto the first row: 0 with *out positioned on it. */
static int
vone(struct yw_dbc *c, struct yw_stmt **out, const char *sql, const char *fmt, va_list ap)
{
    struct yw_stmt *s;
    int rc = vprep(c, &s, sql, fmt, ap);
    if (rc)
        return rc;
    rc = yw_db_step(s);
    if (rc != YW_ROW) {
        yw_db_reset(s);
        return not_row(rc);
    }
    *out = s;
    return 0;
}

int
yw_db_one_row(struct yw_dbc *c, struct yw_stmt **out, const char *sql, const char *fmt, ...)
{
    *out = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vone(c, out, sql, fmt, ap);
    va_end(ap);
    return rc;
}

int
yw_db_one_int(struct yw_dbc *c, int64_t *out, const char *sql, const char *fmt, ...)
{
    struct yw_stmt *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vone(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    *out = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return 0;
}

int
yw_db_one_text(struct yw_dbc *c, struct yw_arena *a, char **out, const char *sql, const char *fmt,
               ...)
{
    struct yw_stmt *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vone(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    *out = yw_arena_strdup(a, yw_db_col_text(s, 0));
    yw_db_reset(s);
    return 0;
}

int
yw_db_exists(struct yw_dbc *c, const char *sql, const char *fmt, ...)
{
    struct yw_stmt *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vone(c, &s, sql, fmt, ap);
    va_end(ap);
    if (rc == 0)
        yw_db_reset(s);
    return rc;
}

struct yw_stmt *
yw_db_query(struct yw_dbc *c, const char *sql, const char *fmt, ...)
{
    struct yw_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = vprep(c, &s, sql, fmt, ap);
    va_end(ap);
    return rc ? NULL : s;
}
