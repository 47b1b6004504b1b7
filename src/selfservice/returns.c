/*
 * returns.c - the background job that sends uncollected results back to the
 * window: every ss_return_seconds it runs one pass of yw_ss__return_once
 * (lockers.c), which moves each result that has waited ss_locker_days in its
 * compartment back to the window and tells the applicant (delivery.notice,
 * kind returned), then prunes the rows of its own that have served (login
 * codes, kiosk sessions and failed pickup codes a day old, yw_ss__prune).
 *
 * Once across nodes: on PostgreSQL a pass takes its rows FOR UPDATE SKIP
 * LOCKED, so two nodes passing at once split the work, and a result moves
 * only from in_locker, so one seen by two passes is returned (and told) once.
 * On SQLite one node serves and the write transaction is the lock.
 */
#include "selfservice/internal.h"

#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

static struct yw_app *the_app;
static pthread_t returner;
static bool returner_started;
static atomic_bool returner_run;

static void *
returner_main(void *arg)
{
    (void)arg;
    int64_t ticks = 0;
    while (atomic_load(&returner_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        if (++ticks % (yw_ss__cfg()->ss_return_seconds * 10))
            continue; /* every ss_return_seconds, but stop within 100 ms */
        struct yw_err err = { 0 };
        int returned = 0;
        int rc = yw_ss__return_once(the_app->db, &returned, &err);
        if (rc)
            yw_log_warn("selfservice", "return of uncollected results failed: %s",
                        err.msg[0] ? err.msg : yw_strerror(rc));
        else if (returned)
            yw_log_info("selfservice", "%d uncollected results back to the window", returned);
        err = (struct yw_err){ 0 };
        if ((rc = yw_ss__prune(the_app->db, &err)))
            yw_log_warn("selfservice", "pruning failed: %s", err.msg[0] ? err.msg : yw_strerror(rc));
    }
    return NULL;
}

int
yw_ss__returns_start(struct yw_app *app, struct yw_err *err)
{
    the_app = app;
    atomic_store(&returner_run, true);
    if (pthread_create(&returner, NULL, returner_main, NULL) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the return job");
    returner_started = true;
    return 0;
}

void
yw_ss__returns_stop(void)
{
    if (!returner_started)
        return;
    atomic_store(&returner_run, false);
    pthread_join(returner, NULL);
    returner_started = false;
}
