/*
 * tally.h - counters added to during a transaction and written once, just
 * before its COMMIT.
 *
 * A rollup row (the dashboard's "cases received today in this department") is
 * added to by every event of its kind.  Written at each add, a group commit of
 * thirty submissions updates the same row thirty times, and every writer that
 * touches it holds its lock from the first add to the commit.  A tally instead
 * collects the adds on the connection: yw_db_commit sums those with the same
 * flush function and key and calls the function once per function with the
 * sums, in key order (so writers always lock rows in the same order), right
 * before the audit records are chained and COMMIT is sent.  A rolled-back
 * transaction, or a batched job or event rolled back to its savepoint, drops
 * the adds it made (yw_db_tally_mark / yw_db_tally_truncate).
 *
 * Reads in the same transaction do not see adds not yet flushed: use a tally
 * only for counters that are read by other transactions.
 */
#ifndef YW_DB_TALLY_H
#define YW_DB_TALLY_H

#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

struct yw_db_tally_sum {
    const char *key; /* as given to yw_db_tally */
    int64_t n;       /* the sum of its adds (may be 0) */
};

/* Write sums[0..n-1] (sorted by key) on c; 0 or the error that fails the
 * commit. */
typedef int (*yw_db_tally_fn)(struct yw_dbc *c, const struct yw_db_tally_sum *sums, size_t n);

/* Add n under key (copied) to be written by flush when the transaction open on c
 * commits.  YW_EINVAL outside a write transaction. */
int yw_db_tally(struct yw_dbc *c, yw_db_tally_fn flush, const char *key, int64_t n);

/* The adds queued now, and dropping those queued after such a mark. */
size_t yw_db_tally_mark(struct yw_dbc *c);
void yw_db_tally_truncate(struct yw_dbc *c, size_t mark);

/* db.c: write every tally (before COMMIT), or drop them (rollback). */
int yw_db__tally_flush(struct yw_dbc *c);
void yw_db__tally_discard(struct yw_dbc *c);
/* db.c: a connection closes. */
void yw_db__tally_free(struct yw_dbc *c);

#endif
