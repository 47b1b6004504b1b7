/*
 * events.c - publish/subscribe and the outbox (see events.h; the events
 * themselves are the table in core/events.h).
 *
 * Two kinds of subscriber.  A synchronous one runs at once, on the
 * publisher's connection and in its transaction: for what must commit with
 * the event or not at all.  An after-commit one runs later, from the outbox:
 * publishing an event that has any writes its outbox row and a row of
 * outbox_pending in the publisher's transaction (so a committed event is
 * never lost, not even by kill -9 right after the commit), and the
 * dispatcher thread - woken when that transaction ends, and every second for
 * other nodes' events and retries - takes pending rows in order of event id,
 * runs the event's after-commit subscribers and deletes the row, all in one
 * transaction: on SQLite the group-commit batcher's next batch, which the
 * round joins as a job (yw_events_use_batcher: SQLite has one write lock, and
 * a transaction of its own kept the batcher waiting), on PostgreSQL one of
 * its own.  An effect and the removal of its pending row
 * commit together, so each event's effects happen exactly once, however
 * many nodes dispatch: on PostgreSQL each node locks the rows it takes (FOR
 * UPDATE SKIP LOCKED), on SQLite the write lock makes dispatchers take
 * turns.  A subscriber that fails rolls back alone (a savepoint per event,
 * with its audit records); its row is kept, counted and tried again on the
 * next pass, up to YW_EVENTS_MAX_ATTEMPTS times, then left for an operator
 * (logged; docs/OPERATIONS.md).
 */
#include "db/events.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/batch.h"
#include "db/tally.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SUBS 64
#define DISPATCH_BATCH 256

struct sub {
    bool all;
    bool after; /* an after-commit subscriber */
    enum yw_event ev;
    yw_event_fn fn;
    void *ctx;
};
static struct sub subs[MAX_SUBS];
static int nsubs;
/* Events that have at least one after-commit subscriber (they get a pending row). */
static bool has_after[YW_EV__COUNT];

static void
add(struct sub s)
{
    if (nsubs == MAX_SUBS) {
        yw_log_error("db", "too many event subscribers: one for '%s' is not registered",
                     s.all ? "*" : yw_event_wire(s.ev));
        return;
    }
    subs[nsubs++] = s;
    if (s.after)
        for (int e = 0; e < YW_EV__COUNT; e++)
            if (s.all || (int)s.ev == e)
                has_after[e] = true;
}

void
yw_events_subscribe(enum yw_event ev, yw_event_fn fn, void *ctx)
{
    add((struct sub){ .ev = ev, .fn = fn, .ctx = ctx });
}

void
yw_events_subscribe_all(yw_event_fn fn, void *ctx)
{
    add((struct sub){ .all = true, .fn = fn, .ctx = ctx });
}

void
yw_events_subscribe_after(enum yw_event ev, yw_event_fn fn, void *ctx)
{
    add((struct sub){ .after = true, .ev = ev, .fn = fn, .ctx = ctx });
}

void
yw_events_reset(void)
{
    nsubs = 0;
    memset(has_after, 0, sizeof has_after);
}

/* The first field of ev's row that payload lacks (copied into `missing`), or
 * false when it has them all. */
static bool
lacks_field(enum yw_event ev, json_t *payload, char *missing, size_t n)
{
    const char *p = yw_event_fields(ev);
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)len, p);
        if (json_object_get(payload, key) == NULL) {
            snprintf(missing, n, "%s", key);
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

/* ---- the dispatcher's wake-up ---- */

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static bool wake_flag;

/* yw_db_after_tx: the publisher's transaction ended (committed or not). */
static void
wake(int64_t arg)
{
    (void)arg;
    pthread_mutex_lock(&wake_mu);
    wake_flag = true;
    pthread_cond_signal(&wake_cv);
    pthread_mutex_unlock(&wake_mu);
}

int
yw_events_publish(struct yw_dbc *c, enum yw_event ev, json_t *payload, struct yw_err *err)
{
    const char *name = yw_event_wire(ev);
    if (name == NULL) {
        yw_log_error("db", "event %d published: no such event", (int)ev);
        return yw_fail(err, YW_EINVAL, "", "no event %d", (int)ev);
    }
    char missing[64];
    if (!json_is_object(payload) || lacks_field(ev, payload, missing, sizeof missing)) {
        if (!json_is_object(payload))
            snprintf(missing, sizeof missing, "(the payload is not an object)");
        yw_log_error("db", "event '%s' published without its field %s (core/events.h declares %s)",
                     name, missing, yw_event_fields(ev));
        return yw_fail(err, YW_EINVAL, "", "event '%s' lacks its field %s", name, missing);
    }
    if (!yw_dbc_in_tx(c))
        return yw_fail(err, YW_EINTERNAL, "", "event '%s' published outside a transaction", name);
    for (int i = 0; i < nsubs; i++) {
        if (subs[i].after || (!subs[i].all && subs[i].ev != ev))
            continue;
        int rc = subs[i].fn(c, name, payload, subs[i].ctx, err);
        if (rc)
            return rc;
    }
    char *text = json_dumps(payload, JSON_COMPACT);
    char now[32];
    yw_db_now_text(now);
    int rc;
    if (!has_after[ev]) {
        rc = yw_db_run(c, "INSERT INTO outbox_events (name, payload, created_at) VALUES (?, ?, ?)",
                       "sss", name, text ? text : "{}", now);
        free(text);
        return rc;
    }
    /* The event and its pending row in one statement on PostgreSQL (a
     * data-modifying CTE), which the batcher sends ahead with the job's
     * other writes instead of waiting for the event's id; SQLite, with no
     * network to wait on, takes the id the INSERT just chose. */
    if (yw_db_engine(yw_dbc_db(c)) == YW_DB_PG)
        rc = yw_db_run(c,
                       "WITH e AS (INSERT INTO outbox_events (name, payload, created_at) "
                       "VALUES (?, ?, ?) RETURNING id) "
                       "INSERT INTO outbox_pending (event_id) SELECT id FROM e",
                       "sss", name, text ? text : "{}", now);
    else if ((rc = yw_db_run(
                  c, "INSERT INTO outbox_events (name, payload, created_at) VALUES (?, ?, ?)",
                  "sss", name, text ? text : "{}", now)) == 0)
        rc = yw_db_run(c, "INSERT INTO outbox_pending (event_id) VALUES (last_insert_rowid())", "");
    free(text);
    if (rc == 0)
        yw_db_after_tx(c, wake, 0);
    return rc;
}

/* ---- the after-commit subscribers ---- */

static _Thread_local int64_t current_id, current_ms;

int64_t
yw_events_current_id(void)
{
    return current_id;
}

int64_t
yw_events_time_ms(void)
{
    return current_id ? current_ms : yw_clock_now_ms();
}

struct pending {
    int64_t id;
    char name[64];
    char at[32];
    char *payload;
};

struct pass {
    int done, failed, read;
    int64_t after_id; /* one drain tries each event once: the rows after the last batch's */
    struct pending rows[DISPATCH_BATCH];
};

static void
pass_free(struct pass *p)
{
    for (int i = 0; i < p->read; i++)
        free(p->rows[i].payload);
    p->read = 0;
}

/* Run the after-commit subscribers of one event on c, inside a savepoint:
 * 0, YW_ERETRY (the whole transaction must be retried), or another error
 * (rolled back alone; *why says what failed). */
static int
run_one(struct yw_dbc *c, const struct pending *row, char *why, size_t nwhy)
{
    int ev = yw_event_by_wire(row->name);
    json_t *payload = json_loads(row->payload, 0, NULL);
    if (ev < 0 || !json_is_object(payload)) {
        json_decref(payload);
        snprintf(why, nwhy, "the event '%s' or its payload is not known", row->name);
        return YW_EINVAL;
    }
    size_t mark = yw_audit_mark(c), tmark = yw_db_tally_mark(c);
    int rc = yw_db_exec_one(c, "SAVEPOINT yw_event");
    if (rc) {
        json_decref(payload);
        return rc;
    }
    current_id = row->id;
    if (yw_clock_parse(row->at, &current_ms) != 0)
        current_ms = yw_clock_now_ms();
    struct yw_err err = { 0 };
    for (int i = 0; i < nsubs && rc == 0; i++)
        if (subs[i].after && (subs[i].all || (int)subs[i].ev == ev))
            rc = subs[i].fn(c, row->name, payload, subs[i].ctx, &err);
    current_id = 0;
    json_decref(payload);
    if (rc == 0)
        return yw_db_exec_one(c, "RELEASE SAVEPOINT yw_event");
    snprintf(why, nwhy, "%s", err.msg[0] ? err.msg : yw_strerror(rc));
    yw_audit_truncate(c, mark);
    yw_db_tally_truncate(c, tmark);
    int rb = yw_db_exec_script(c, "ROLLBACK TO SAVEPOINT yw_event", NULL);
    if (rb == 0)
        rb = yw_db_exec_script(c, "RELEASE SAVEPOINT yw_event", NULL);
    if (rb)
        return rb;
    return rc == YW_ERETRY ? YW_ERETRY : rc;
}

static int
dispatch_tx(struct yw_dbc *c, void *ctx)
{
    struct pass *p = ctx;
    pass_free(p);
    p->done = p->failed = 0;
    bool pg = yw_db_engine(yw_dbc_db(c)) == YW_DB_PG;
    /* PostgreSQL: the round's commit need not wait for its WAL flush.  Its
     * effects and the removal of its pending rows are one commit record, so
     * a server crash that loses it loses both and the events run again, once;
     * WAL is flushed in order, so the next durable commit (any request's)
     * makes it durable, and nothing outside the database follows from a
     * round before such a commit (the mailer claims a message in a durable
     * transaction of its own before sending it).  Nothing is acknowledged to
     * a client by a round. */
    if (pg) {
        int src = yw_db_exec_script(c, "SET LOCAL synchronous_commit = off", NULL);
        if (src)
            return src;
    }
    /* PostgreSQL: each node takes rows no other node holds; SQLite: the
     * write lock is already this transaction's.  The pending rows drive the
     * join: outbox_events keeps every event ever published, outbox_pending
     * only the few not yet run.  SQLite's planner, with statistics taken when
     * the outbox was small (or none for outbox_pending), walked outbox_events
     * from the cursor and sorted - every event in the history read by every
     * round (2 M instructions a round after 100,000 events, half the group
     * commit's time); CROSS JOIN fixes the order whatever the statistics. */
    struct yw_stmt *s =
        pg ? yw_db_query(c,
                         "SELECT p.event_id, e.name, e.created_at, e.payload FROM outbox_pending p "
                         "JOIN outbox_events e ON e.id = p.event_id WHERE p.attempts < ? AND "
                         "p.event_id > ? ORDER BY p.event_id LIMIT ? FOR UPDATE OF p SKIP LOCKED",
                         "did", YW_EVENTS_MAX_ATTEMPTS, p->after_id, DISPATCH_BATCH)
           : yw_db_query(c,
                         "SELECT p.event_id, e.name, e.created_at, e.payload FROM outbox_pending p "
                         "CROSS JOIN outbox_events e ON e.id = p.event_id WHERE p.attempts < ? "
                         "AND p.event_id > ? ORDER BY p.event_id LIMIT ?",
                         "did", YW_EVENTS_MAX_ATTEMPTS, p->after_id, DISPATCH_BATCH);
    if (s == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW && p->read < DISPATCH_BATCH) {
        struct pending *r = &p->rows[p->read++];
        r->id = yw_db_col_int(s, 0);
        snprintf(r->name, sizeof r->name, "%s", yw_db_col_text(s, 1));
        snprintf(r->at, sizeof r->at, "%s", yw_db_col_text(s, 2));
        r->payload = strdup(yw_db_col_text(s, 3));
    }
    if (rc == YW_ROW)
        yw_db_reset(s);
    else if ((rc = yw_db_finish(s, rc)))
        return rc;
    for (int i = 0; i < p->read; i++) {
        struct pending *r = &p->rows[i];
        if (r->payload == NULL)
            return YW_EINTERNAL;
        char why[256] = "";
        rc = run_one(c, r, why, sizeof why);
        if (rc == YW_ERETRY)
            return rc;
        if (rc == 0) {
            rc = yw_db_run(c, "DELETE FROM outbox_pending WHERE event_id = ?", "i", r->id);
            p->done++;
        } else {
            yw_log_warn("db", "after-commit subscriber of event %lld '%s' failed: %s",
                        (long long)r->id, r->name, why);
            rc = yw_db_run(c,
                           "UPDATE outbox_pending SET attempts = attempts + 1, last_error = ? "
                           "WHERE event_id = ?",
                           "si", why, r->id);
            p->failed++;
        }
        if (rc)
            return rc;
    }
    return 0;
}

static pthread_mutex_t drain_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t dispatched_total, failed_total, rounds_own, rounds_batched;

/* ---- a round as a job of the group-commit batcher (SQLite) ---- */

/* The batcher the rounds join (NULL: each round is a transaction of its
 * own); set and cleared under drain_mu, so never while a round runs. */
static struct yw_db_batcher *via;

struct round_job {
    struct yw_db_job job;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
};

/* On the batcher's thread: the batch holding the round committed (or failed). */
static void
round_done(struct yw_db_job *j)
{
    struct round_job *r = j->done_ctx;
    pthread_mutex_lock(&r->mu);
    r->done = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* One round inside the batcher's next group commit: dispatch_tx runs on the
 * batcher's connection in the job's savepoint, and its effects, the removal
 * of its pending rows and the batch's requests commit with one flush. */
static int
round_in_batch(struct yw_db_batcher *b, struct pass *p, struct yw_err *err)
{
    struct round_job r = { .job = { .fn = dispatch_tx, .ctx = p, .err = err, .done = round_done } };
    r.job.done_ctx = &r;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    yw_db_batcher_submit(b, &r.job);
    pthread_mutex_lock(&r.mu);
    while (!r.done)
        pthread_cond_wait(&r.cv, &r.mu);
    pthread_mutex_unlock(&r.mu);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    return r.job.rc;
}

void
yw_events_use_batcher(struct yw_db_batcher *b)
{
    pthread_mutex_lock(&drain_mu);
    via = b;
    pthread_mutex_unlock(&drain_mu);
}

int
yw_events_drain(struct yw_db *db, int *done, struct yw_err *err)
{
    int dummy;
    int *out = done ? done : &dummy;
    *out = 0;
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    /* one drain per process at a time (the dispatcher, a command, a test) */
    pthread_mutex_lock(&drain_mu);
    struct pass *p = calloc(1, sizeof *p);
    int rc = p ? 0 : YW_EINTERNAL;
    while (rc == 0) {
        /* a plain read first: with nothing pending no write lock is taken */
        rc = yw_db_exists(c, "SELECT 1 FROM outbox_pending WHERE attempts < ? AND event_id > ?",
                          "di", YW_EVENTS_MAX_ATTEMPTS, p->after_id);
        if (rc == YW_ENOTFOUND) {
            rc = 0;
            break;
        }
        if (rc)
            break;
        bool batched = via && yw_db_engine(db) == YW_DB_SQLITE;
        rc = batched ? round_in_batch(via, p, err) : yw_db_tx(db, YW_TX_WRITE, dispatch_tx, p, err);
        if (rc == 0)
            atomic_fetch_add(batched ? &rounds_batched : &rounds_own, 1);
        int64_t last = p->read ? p->rows[p->read - 1].id : 0;
        pass_free(p);
        if (rc)
            break;
        if (last)
            p->after_id = last;
        *out += p->done;
        atomic_fetch_add(&dispatched_total, (uint64_t)p->done);
        atomic_fetch_add(&failed_total, (uint64_t)p->failed);
        if (p->done + p->failed == 0)
            break; /* none left after the last batch, or only rows another node holds */
    }
    free(p);
    pthread_mutex_unlock(&drain_mu);
    if (rc && err && err->msg[0] == '\0')
        yw_fail(err, rc, "", "cannot run the after-commit subscribers");
    return rc;
}

void
yw_events_counts(uint64_t *dispatched, uint64_t *failed)
{
    *dispatched = atomic_load(&dispatched_total);
    *failed = atomic_load(&failed_total);
}

void
yw_events_rounds(uint64_t *own, uint64_t *batched)
{
    *own = atomic_load(&rounds_own);
    *batched = atomic_load(&rounds_batched);
}

int
yw_events_backlog(struct yw_dbc *c, int64_t *waiting, int64_t *stuck)
{
    int rc = yw_db_one_int(c, waiting, "SELECT COUNT(*) FROM outbox_pending WHERE attempts < ?",
                           "d", YW_EVENTS_MAX_ATTEMPTS);
    if (rc == 0)
        rc = yw_db_one_int(c, stuck, "SELECT COUNT(*) FROM outbox_pending WHERE attempts >= ?",
                           "d", YW_EVENTS_MAX_ATTEMPTS);
    return rc;
}

/* ---- the dispatcher thread ---- */

static struct yw_db *the_db;
static pthread_t dispatcher;
static bool dispatcher_started;
static atomic_bool dispatcher_run;

static void *
dispatcher_main(void *arg)
{
    (void)arg;
    while (atomic_load(&dispatcher_run)) {
        struct yw_err err = { 0 };
        int n = 0;
        int rc = yw_events_drain(the_db, &n, &err);
        if (rc)
            yw_log_warn("db", "after-commit subscribers: %s", err.msg[0] ? err.msg : yw_strerror(rc));
        /* until woken by a publisher's commit, or a second (other nodes, retries) */
        pthread_mutex_lock(&wake_mu);
        if (!wake_flag && atomic_load(&dispatcher_run)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&wake_cv, &wake_mu, &ts);
        }
        wake_flag = false;
        pthread_mutex_unlock(&wake_mu);
    }
    return NULL;
}

int
yw_events_start(struct yw_db *db, struct yw_err *err)
{
    if (dispatcher_started)
        return 0;
    const char *off = getenv("YWTB_EVENTS_DISPATCH");
    if (off && !strcmp(off, "0")) {
        /* a node that publishes and leaves the dispatch to the others (and the
         * test that kills a node before its events were dispatched) */
        yw_log_warn("db", "YWTB_EVENTS_DISPATCH=0: this node runs no after-commit subscriber; "
                          "another node (or the next start) must");
        return 0;
    }
    the_db = db;
    atomic_store(&dispatcher_run, true);
    if (pthread_create(&dispatcher, NULL, dispatcher_main, NULL) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the events' dispatcher thread");
    dispatcher_started = true;
    return 0;
}

void
yw_events_stop(void)
{
    if (!dispatcher_started)
        return;
    atomic_store(&dispatcher_run, false);
    wake(0);
    pthread_join(dispatcher, NULL);
    dispatcher_started = false;
}
