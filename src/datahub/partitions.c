/*
 * partitions.c - the ledger's monthly partitions on PostgreSQL.
 *
 * Migration 0029 makes dh_ledger range-partitioned by month on `at` with the
 * months up to 2028-12 and a DEFAULT partition.  At start-up the hub makes
 * sure the current month and the next have partitions of their own, so the
 * ledger keeps growing into month partitions (which an operator can detach
 * or move) and not into the default one.  A failure is logged and the
 * server goes on: an entry then lands in the default partition, which is
 * correct, only not pruned.  SQLite has no partitions: nothing to do.
 */
#include "datahub/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"

#include <stdio.h>

/* "YYYY-MM" of the month `ahead` months after the one holding day. */
static void
month_text(int64_t day, int ahead, char out[16], int *year, int *month)
{
    char d[11];
    yw_cal_day_text(day, d);
    int y = 0, m = 0;
    sscanf(d, "%4d-%2d", &y, &m);
    m += ahead;
    while (m > 12) {
        m -= 12;
        y++;
    }
    *year = y;
    *month = m;
    snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

static int
ensure_tx(struct yw_dbc *c, void *ctx)
{
    int64_t day = yw_cal_day_of_ms(yw_clock_now_ms());
    for (int ahead = 0; ahead < 2; ahead++) {
        char from[16], to[16], sql[256];
        int y, m, ny, nm;
        month_text(day, ahead, from, &y, &m);
        month_text(day, ahead + 1, to, &ny, &nm);
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS dh_ledger_m%04d%02d PARTITION OF dh_ledger "
                 "FOR VALUES FROM ('%s') TO ('%s')",
                 y % 10000, m % 100, from, to);
        int rc = yw_db_exec_script(c, sql, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

void
yw_dh__partitions_ensure(struct yw_db *db)
{
    if (db == NULL || yw_db_engine(db) != YW_DB_PG)
        return;
    struct yw_err err = { 0 };
    if (yw_db_tx(db, YW_TX_WRITE, ensure_tx, &err, &err))
        yw_log_warn("datahub",
                    "cannot add this month's ledger partition (entries go to the default one): %s",
                    err.msg[0] ? err.msg : "database error");
}
