/*
 * rates.c - token buckets of the public routes' rate limits kept in the
 * database (table rate_buckets), so that the nodes of a PostgreSQL deployment
 * share one bucket per route and client instead of allowing N times the limit
 * (issue 21 item 7).  http/ratelimit.c decides when to use it; one statement
 * refills and takes atomically, whichever node runs it.  The statement's text
 * is db.h's YW_DB_RATE_TAKE_CTE, which a read can also carry in its own
 * statement (the Open311 pages, hotline/store.c).
 */
#include "db/db.h"

#include <stdatomic.h>
#include <stdbool.h>

void
yw_db_rate_sweep(struct yw_dbc *c, int64_t now_ms)
{
    static atomic_uint calls;
    if (atomic_fetch_add(&calls, 1) % 256 == 0)
        yw_db_run(c, "DELETE FROM rate_buckets WHERE last_ms < ?", "i", now_ms - 3600000);
}

int
yw_db_rate_take(struct yw_dbc *c, const char *k, unsigned per_min, int64_t now_ms,
                int64_t *milli_tokens)
{
    struct yw_stmt *s;
    int64_t now = now_ms;
    int per = (int)per_min;
    /* A bucket is no record: losing its last milliseconds in a crash leaves
     * it fuller, nothing more.  So on PostgreSQL, outside a transaction, the
     * statement's own commit does not wait for the WAL flush (set_config's
     * local value lasts until that commit; YW_DB_RATE_TAKE_CTE in db.h, the
     * text a caller's read may carry too): a rate-limited read costs a round
     * trip, not a durable commit (the Open311 pages' profile, issue 12).
     * Inside a caller's transaction the setting would reach its commit too,
     * so there the statement is the plain one. */
    bool async = yw_db_engine(yw_dbc_db(c)) == YW_DB_PG && !yw_dbc_in_tx(c);
    int rc;
    if (async) {
        rc = yw_db_one_row(c, &s, "WITH " YW_DB_RATE_TAKE_CTE " SELECT ok, milli FROM rate_take",
                           "sdi", k, per, now);
    } else {
        /* Refill by the time since the last count (never backwards: nodes'
         * clocks differ a little), take one token when there is one; every
         * right-hand side reads the row as it was, so ok and tokens agree.
         * EXCLUDED holds per_min - 1 and now: the refill is the CTE's. */
        rc = yw_db_one_row(
            c, &s,
            "INSERT INTO rate_buckets (k, tokens, last_ms, ok) VALUES (?, CAST(? AS DOUBLE "
            "PRECISION) - 1, ?, 1) ON CONFLICT (k) DO UPDATE SET "
            "ok = CASE WHEN " YW_DB_RATE_REFILL " >= 1 THEN 1 ELSE 0 END, "
            "tokens = " YW_DB_RATE_REFILL " - CASE WHEN " YW_DB_RATE_REFILL " >= 1 THEN 1 ELSE 0 "
            "END, last_ms = GREATEST(rate_buckets.last_ms, EXCLUDED.last_ms) "
            "RETURNING ok, CAST(tokens * 1000 AS BIGINT)",
            "sdi", k, per, now);
    }
    if (rc)
        return rc;
    int ok = (int)yw_db_col_int(s, 0);
    *milli_tokens = yw_db_col_int(s, 1);
    yw_db_reset(s);
    yw_db_rate_sweep(c, now);
    return ok;
}
