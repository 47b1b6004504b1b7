/*
 * copy.h - bulk loading of generated or imported rows, both engines.
 *
 * One row at a time through yw_db_run costs a round trip per row on
 * PostgreSQL (`ywtb seed --scale` spent ~7.5 minutes per million cases that
 * way).  A copy streams the rows instead: PostgreSQL's COPY ... FROM STDIN
 * (PQputCopyData, text format), SQLite's prepared multi-row INSERT.  Both run
 * inside the caller's write transaction, so a failed copy rolls back with it;
 * triggers and constraints apply as for any insert.
 *
 *     struct yw_db_copy *cp;
 *     if ((rc = yw_db_copy_begin(c, "tasks", "case_id, dept_code, status", &cp, err)))
 *         return rc;
 *     for (...)
 *         if ((rc = yw_db_copy_row(cp, "iss", id, dept, "pending")))
 *             break;
 *     rc = yw_db_copy_end(cp, rc, err);    // always; frees cp
 *
 * Formats are those of yw_db_run ('i' int64_t, 'd' int, 's' text (NULL binds
 * NULL), 'n' NULL); blobs are not supported.  The number of characters must
 * be the number of columns named at begin.
 */
#ifndef YW_DB_COPY_H
#define YW_DB_COPY_H

#include "db/db.h"

struct yw_db_copy;

/* Start a copy into table (cols: comma-separated column names) on c, which
 * must be in a write transaction.  0 and *out, or a negative code with err. */
int yw_db_copy_begin(struct yw_dbc *c, const char *table, const char *cols,
                     struct yw_db_copy **out, struct yw_err *err);

/* Add one row.  0 or a negative code (YW_EINTERNAL for a bad format,
 * YW_ECONFLICT/YW_EDB when a flushed batch failed); after an error only
 * yw_db_copy_end may be called. */
int yw_db_copy_row(struct yw_db_copy *cp, const char *fmt, ...);

/* Finish: flush and end the copy when rc is 0, abandon it otherwise (the
 * caller's transaction then rolls back).  Frees cp.  Returns rc when it was
 * an error, else 0 or the error of the final flush (with err filled). */
int yw_db_copy_end(struct yw_db_copy *cp, int rc, struct yw_err *err);

/* Rows added through cp so far. */
int64_t yw_db_copy_rows(const struct yw_db_copy *cp);

#endif
