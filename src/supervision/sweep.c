/*
 * sweep.c - the card sweep: a thread that, every supervision_sweep_seconds,
 * reads the deadlines due by today from their due index (sup_deadlines_due:
 * paused, next_day) and turns each into its card - yellow when the task nears
 * its limit, red when it is overdue - in one write transaction per pass.  No
 * case is polled: a pass reads only the index entries that are due.
 *
 * Exactly once across nodes: on PostgreSQL the rows are taken FOR UPDATE SKIP
 * LOCKED, so two nodes sweeping at once split the work; the deadline's stage
 * moves only from the stage it was read at, and a card is unique per task and
 * level (ON CONFLICT DO NOTHING), so a row swept twice makes one card.  On
 * SQLite one node serves and the write transaction is the lock.
 */
#include "supervision/internal.h"

#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BATCH 200

struct due_row {
    int64_t task_id, due_day;
    int limit_days;
    char stage[8];
};

struct pass {
    int made, read;
};

static int
sweep_tx(struct yw_dbc *c, void *ctx)
{
    struct pass *ps = ctx;
    ps->made = ps->read = 0;
    int *made = &ps->made;
    int64_t today = yw_sup__today();
    bool pg = yw_db_engine(yw_dbc_db(c)) == YW_DB_PG;
    struct yw_stmt *s =
        pg ? yw_db_query(c,
                         "SELECT task_id, due_day, limit_days, stage FROM sup_deadlines WHERE "
                         "paused = 0 AND next_day <= ? ORDER BY next_day, task_id LIMIT 200 "
                         "FOR UPDATE SKIP LOCKED",
                         "i", today)
           : yw_db_query(c,
                         "SELECT task_id, due_day, limit_days, stage FROM sup_deadlines WHERE "
                         "paused = 0 AND next_day <= ? ORDER BY next_day, task_id LIMIT 200",
                         "i", today);
    if (s == NULL)
        return YW_EDB;
    static _Thread_local struct due_row rows[BATCH];
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && n < BATCH) {
        rows[n].task_id = yw_db_col_int(s, 0);
        rows[n].due_day = yw_db_col_int(s, 1);
        rows[n].limit_days = (int)yw_db_col_int(s, 2);
        snprintf(rows[n].stage, sizeof rows[n].stage, "%s", yw_db_col_text(s, 3));
        n++;
    }
    if (rc == YW_ROW)
        yw_db_reset(s);
    else if ((rc = yw_db_finish(s, rc)))
        return rc;
    ps->read = n;
    for (int i = 0; i < n; i++) {
        struct due_row *r = &rows[i];
        /* past the due day: red at once (a yellow card that never came is
         * not made late); else the next stage */
        const char *to = today > r->due_day ? "red" : !strcmp(r->stage, "green") ? "yellow" : NULL;
        if (to == NULL || !strcmp(to, r->stage))
            continue;
        int64_t changed = 0;
        rc = yw_db_run_changes(
            c, &changed,
            "UPDATE sup_deadlines SET stage = ?, next_day = ? WHERE task_id = ? AND stage = ?",
            "siis", to, yw_sup__next_day(to, r->due_day, r->limit_days), r->task_id, r->stage);
        if (rc)
            return rc;
        if (changed == 0)
            continue; /* another node took it */
        if ((rc = yw_sup__card_create(c, r->task_id, to)))
            return rc;
        (*made)++;
    }
    return 0;
}

int
yw_sup__sweep_once(struct yw_db *db, int *made, struct yw_err *err)
{
    int dummy = 0;
    int *out = made ? made : &dummy;
    *out = 0;
    /* a plain read first: most passes find nothing due and take no write lock */
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    int rc = yw_db_exists(c, "SELECT 1 FROM sup_deadlines WHERE paused = 0 AND next_day <= ?", "i",
                          yw_sup__today());
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return yw_fail(err, rc, "", "cannot read the deadlines due");
    /* a full batch read: more may be due (after a long stop); go on until a short one */
    struct pass ps;
    do {
        if ((rc = yw_db_tx(db, YW_TX_WRITE, sweep_tx, &ps, err)))
            return rc;
        *out += ps.made;
    } while (ps.read == BATCH && ps.made > 0); /* and never loop on rows it cannot move */
    return 0;
}

static struct yw_app *the_app;
static pthread_t sweeper;
static bool sweeper_started;
static atomic_bool sweeper_run;

static void *
sweeper_main(void *arg)
{
    (void)arg;
    int64_t ticks = 0;
    while (atomic_load(&sweeper_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        if (yw_sup__creditset_wanted()) { /* the credit check's set, off the submissions' path */
            struct yw_err cerr = { 0 };
            if (yw_sup__creditset_refresh(the_app->db, &cerr))
                yw_log_warn("supervision", "cannot read the subjects with credit records: %s",
                            cerr.msg[0] ? cerr.msg : "the database failed");
        }
        if (++ticks % (yw_sup__cfg()->supervision_sweep_seconds * 10))
            continue; /* every supervision_sweep_seconds, but stop within 100 ms */
        struct yw_err err = { 0 };
        int made = 0;
        int rc = yw_sup__sweep_once(the_app->db, &made, &err);
        if (rc)
            yw_log_warn("supervision", "card sweep failed: %s",
                        err.msg[0] ? err.msg : yw_strerror(rc));
        else if (made)
            yw_log_info("supervision", "card sweep: %d cards", made);
    }
    return NULL;
}

int
yw_sup__sweep_start(struct yw_app *app, struct yw_err *err)
{
    the_app = app;
    atomic_store(&sweeper_run, true);
    if (pthread_create(&sweeper, NULL, sweeper_main, NULL) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the card sweep thread");
    sweeper_started = true;
    return 0;
}

void
yw_sup__sweep_stop(void)
{
    if (!sweeper_started)
        return;
    atomic_store(&sweeper_run, false);
    pthread_join(sweeper, NULL);
    sweeper_started = false;
}
