/*
 * replica.c - reads that may be a little stale, served by a PostgreSQL
 * streaming replica (the db_read setting; see db.h, "read replica").
 *
 * Why: the catalog's history, statistics, public pages and dashboards are
 * read far more often than they change, and a hot standby can answer them
 * without taking the primary's CPU.  Everything else - writes, sessions, and
 * a person's own reads right after they wrote - stays on the primary.
 *
 * How staleness is known without a round trip per request: a monitor thread
 * samples the primary's WAL insert position (pg_current_wal_insert_lsn) every
 * poll interval, noting the monotonic time just before it asked, and the
 * replica's replay position (pg_last_wal_replay_lsn).  A sample (t, L) whose L
 * the replica has replayed proves that the replica holds every transaction
 * that committed on the primary before t.  The newest such t is `safe_ms`:
 *
 *   - the replica's lag is now - safe_ms (0 to one poll interval when it keeps
 *     up, growing while replay is behind or paused), independent of whether
 *     the primary is busy or idle;
 *   - a caller who wrote at time w (yw_db_read_wrote) reads from the replica
 *     only when safe_ms > w, so their own write is there: read-your-writes
 *     within this process.  Writers are remembered in a table of slots by a
 *     hash of their credential; two callers sharing a slot only send each
 *     other to the primary more often, never to a replica without their write.
 *
 * The replica is not used - reads go to the primary, counted by reason - when
 * it is down (the monitor's query failed, or a request's query on it failed:
 * yw_db_read_failed), not in recovery (promoted: it no longer follows this
 * primary), or lagging beyond max_lag.  A state change is logged once.
 */
#include "db/db_internal.h"

#include "core/clock.h"
#include "core/log.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RYW_SLOTS   4096 /* read-your-writes table (a power of two) */
#define SAMPLES_MAX 256  /* primary positions not yet replayed */

struct sample {
    int64_t t_ms; /* monotonic time before the primary was asked */
    int64_t lsn;  /* its WAL insert position then */
};

struct yw_db_replica {
    struct yw_db *primary;
    struct yw_db *db; /* the replica, opened lazily (its connections as any yw_db's) */
    int64_t max_lag_ms, poll_ms;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu; /* guards stop, cv */
    pthread_cond_t cv;
    bool stop;
    /* the monitor's samples (its thread only) */
    struct sample samples[SAMPLES_MAX];
    int nsamples;
    /* state the HTTP workers read */
    _Atomic int64_t safe_ms;     /* see the file comment; 0: nothing proven yet */
    atomic_bool up;              /* the monitor's last look found it answering, in recovery */
    atomic_bool failed;          /* a request's query failed since the monitor's last look */
    _Atomic int64_t replay_lsn;  /* the replica's last replayed position */
    _Atomic int64_t primary_lsn; /* the primary's position at the last sample */
    atomic_int reason;           /* why it is not used now (enum below), for the log */
    _Atomic int64_t ryw[RYW_SLOTS];
    atomic_uint_fast64_t served, fb_down, fb_lag, fb_fresh, fb_error;
};

enum {
    R_OK = 0,
    R_DOWN,
    R_LAG,
    R_PROMOTED
};

static int64_t
mono_ms(void)
{
    return yw_clock_mono_ns() / 1000000;
}

/* ---- the monitor ---- */

/* One look at both servers; updates safe_ms, up and the positions. */
static void
monitor_look(struct yw_db_replica *r)
{
    int64_t t = mono_ms();
    int64_t lsn = -1;
    struct yw_dbc *pc = yw_db_conn(r->primary, NULL);
    if (pc && yw_db_one_int(pc, &lsn, "SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint",
                            NULL) == 0) {
        if (r->nsamples == SAMPLES_MAX) { /* replay far behind: forget the oldest (safe_ms
                                           * only stays older: conservative) */
            memmove(r->samples, r->samples + 1, (SAMPLES_MAX - 1) * sizeof r->samples[0]);
            r->nsamples--;
        }
        r->samples[r->nsamples++] = (struct sample){ t, lsn };
        atomic_store(&r->primary_lsn, lsn);
    }

    bool up = false, promoted = false;
    struct yw_dbc *rc = yw_db_conn(r->db, NULL);
    struct yw_stmt *s = NULL;
    if (rc && yw_db_one_row(rc, &s,
                            "SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0')::bigint, -1), "
                            "pg_is_in_recovery()",
                            NULL) == 0) {
        int64_t replay = yw_db_col_int(s, 0);
        bool recovering = yw_db_col_int(s, 1) != 0;
        yw_db_reset(s);
        if (recovering && replay >= 0) {
            up = true;
            atomic_store(&r->replay_lsn, replay);
            int kept = 0;
            int64_t safe = atomic_load(&r->safe_ms);
            for (int i = 0; i < r->nsamples; i++) {
                if (r->samples[i].lsn <= replay) {
                    if (r->samples[i].t_ms > safe)
                        safe = r->samples[i].t_ms;
                } else {
                    r->samples[kept++] = r->samples[i];
                }
            }
            r->nsamples = kept;
            atomic_store(&r->safe_ms, safe);
        } else {
            promoted = !recovering;
        }
    }
    atomic_store(&r->up, up);
    if (up)
        atomic_store(&r->failed, false);

    int64_t lag = mono_ms() - atomic_load(&r->safe_ms);
    int reason = promoted ? R_PROMOTED : !up ? R_DOWN : lag > r->max_lag_ms ? R_LAG : R_OK;
    int was = atomic_exchange(&r->reason, reason);
    if (reason != was) {
        if (reason == R_OK)
            yw_log_info("db", "read replica %s in use (lag %lld ms)", yw_db_url_redacted(r->db),
                        (long long)lag);
        else if (reason == R_PROMOTED)
            yw_log_warn("db",
                        "read replica %s is not in recovery (promoted?): it no longer follows "
                        "the primary, so stale-tolerant reads go to the primary",
                        yw_db_url_redacted(r->db));
        else if (reason == R_DOWN)
            yw_log_warn("db",
                        "read replica %s does not answer: stale-tolerant reads go to the "
                        "primary until it does",
                        yw_db_url_redacted(r->db));
        else
            yw_log_warn("db",
                        "read replica %s lags %lld ms (db_read_max_lag %lld ms): "
                        "stale-tolerant reads go to the primary until it catches up",
                        yw_db_url_redacted(r->db), (long long)lag, (long long)r->max_lag_ms);
    }
}

static void *
monitor_main(void *arg)
{
    struct yw_db_replica *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        monitor_look(r);
        pthread_mutex_lock(&r->mu);
        if (r->stop)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)(r->poll_ms % 1000) * 1000000L;
        ts.tv_sec += r->poll_ms / 1000 + ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- opening and closing ---- */

/* A network replica that stopped answering must not hold a request for
 * libpq's default connect timeout (none): two seconds unless the URL says. */
static char *
with_connect_timeout(const char *url)
{
    if (strstr(url, "connect_timeout=") != NULL)
        return yw_xstrdup(url);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "%s%sconnect_timeout=2", url, strchr(url, '?') ? "&" : "?");
    return b.p;
}

int
yw_db_replica_open(struct yw_db *db, const char *url, int64_t max_lag_ms, int64_t poll_ms,
                   struct yw_err *err)
{
    if (db->engine != YW_DB_PG)
        return yw_fail(err, YW_ECONFIG, "db_read",
                       "db_read needs PostgreSQL as the database (db is '%s')", db->redacted);
    if (strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0)
        return yw_fail(err, YW_ECONFIG, "db_read",
                       "db_read '%s' is not a postgres://... URL of a streaming replica", url);
    if (db->replica != NULL)
        return yw_fail(err, YW_ECONFIG, "db_read", "a read replica is already open");
    char *u = with_connect_timeout(url);
    struct yw_db *rdb = NULL;
    int rc = yw_db__open_lazy(u, &rdb, err);
    free(u);
    if (rc)
        return rc;
    rdb->is_replica = true;
    struct yw_db_replica *r = yw_xcalloc(1, sizeof *r);
    r->primary = db;
    r->db = rdb;
    r->max_lag_ms = max_lag_ms > 0 ? max_lag_ms : 1;
    r->poll_ms = poll_ms > 0 ? poll_ms : 200;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    atomic_store(&r->reason, R_DOWN); /* until the first look says otherwise */
    monitor_look(r);                  /* the state is known before the first request */
    if (pthread_create(&r->thread, NULL, monitor_main, r) != 0) {
        yw_db_close(rdb);
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        free(r);
        return yw_fail(err, YW_EINTERNAL, "db_read", "cannot start the replica monitor");
    }
    r->started = true;
    db->replica = r;
    if (!atomic_load(&r->up))
        yw_log_warn("db",
                    "read replica %s does not answer yet: stale-tolerant reads go to the "
                    "primary until it does",
                    rdb->redacted);
    return 0;
}

void
yw_db__replica_close(struct yw_db_replica *r)
{
    if (r == NULL)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stop = true;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    yw_db_close(r->db);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

/* ---- choosing a connection ---- */

bool
yw_db_has_replica(const struct yw_db *db)
{
    return db->replica != NULL;
}

static _Atomic int64_t *
ryw_slot(struct yw_db_replica *r, uint64_t who)
{
    who ^= who >> 29;
    who *= 0xbf58476d1ce4e5b9ULL;
    who ^= who >> 32;
    return &r->ryw[who & (RYW_SLOTS - 1)];
}

void
yw_db_read_wrote(struct yw_db *db, uint64_t who)
{
    struct yw_db_replica *r = db->replica;
    if (r == NULL || who == 0)
        return;
    _Atomic int64_t *slot = ryw_slot(r, who);
    int64_t now = mono_ms();
    int64_t old = atomic_load(slot);
    while (old < now && !atomic_compare_exchange_weak(slot, &old, now))
        ;
}

struct yw_dbc *
yw_db_read_conn(struct yw_db *db, uint64_t who)
{
    struct yw_db_replica *r = db->replica;
    if (r == NULL)
        return NULL;
    if (!atomic_load(&r->up) || atomic_load(&r->failed)) {
        atomic_fetch_add(&r->fb_down, 1);
        return NULL;
    }
    int64_t safe = atomic_load(&r->safe_ms);
    if (mono_ms() - safe > r->max_lag_ms) {
        atomic_fetch_add(&r->fb_lag, 1);
        return NULL;
    }
    if (who != 0 && atomic_load(ryw_slot(r, who)) >= safe) {
        atomic_fetch_add(&r->fb_fresh, 1); /* their own write may not be there yet */
        return NULL;
    }
    struct yw_dbc *c = yw_db_conn(r->db, NULL);
    if (c == NULL) {
        yw_db_read_failed(db, "cannot connect");
        return NULL;
    }
    atomic_fetch_add(&r->served, 1);
    return c;
}

void
yw_db_read_failed(struct yw_db *db, const char *why)
{
    struct yw_db_replica *r = db->replica;
    if (r == NULL)
        return;
    atomic_fetch_add(&r->fb_error, 1);
    if (!atomic_exchange(&r->failed, true))
        yw_log_warn("db",
                    "a read on the replica %s failed (%s): reads go to the primary until "
                    "the replica answers again",
                    yw_db_url_redacted(r->db), why && *why ? why : "no message");
}

bool
yw_dbc_is_replica(const struct yw_dbc *c)
{
    return c->db->is_replica;
}

void
yw_db_replica_stats(struct yw_db *db, struct yw_db_replica_stats *st)
{
    memset(st, 0, sizeof *st);
    struct yw_db_replica *r = db->replica;
    if (r == NULL)
        return;
    st->configured = true;
    st->up = atomic_load(&r->up) && !atomic_load(&r->failed);
    int64_t safe = atomic_load(&r->safe_ms);
    st->lag_seconds = safe ? (double)(mono_ms() - safe) / 1000.0 : -1;
    st->in_use = st->up && safe && mono_ms() - safe <= r->max_lag_ms;
    st->max_lag_seconds = (double)r->max_lag_ms / 1000.0;
    int64_t p = atomic_load(&r->primary_lsn), rp = atomic_load(&r->replay_lsn);
    st->behind_bytes = p > rp ? p - rp : 0;
    st->served = atomic_load(&r->served);
    st->fallback_down = atomic_load(&r->fb_down);
    st->fallback_lag = atomic_load(&r->fb_lag);
    st->fallback_fresh = atomic_load(&r->fb_fresh);
    st->fallback_error = atomic_load(&r->fb_error);
    st->url = yw_db_url_redacted(r->db);
}
