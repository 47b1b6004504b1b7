/*
 * listen.c - notifications between the nodes that share one database.
 *
 * Several ywtb nodes can serve one PostgreSQL database.  A node that keeps rows
 * in memory (the session cache, identity/cache.c) must hear when another node
 * changes them.  PostgreSQL's NOTIFY is transactional - delivered only if, and
 * when, the transaction commits - so the writer calls yw_db_notify inside its
 * transaction and every node's listener thread hears it after the commit.
 *
 * The listener keeps its own connection (never one of the request threads').
 * If the connection breaks, notifications may be lost: the listener says so
 * (fn(NULL)), reconnects once a second, and says so again once it listens,
 * so the cache can drop everything and trust nothing in between.
 *
 * SQLite is served by one node, which evicts its own cache entries directly:
 * notify is a no-op and there is no listener.
 */
#include "db/db.h"
#include "db/db_internal.h"

#include "core/log.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Listeners in this process, and how many of them listen right now (/metrics). */
static atomic_int listeners, listeners_up;

struct yw_db_listener {
    struct yw_db *db;
    char channel[64];
    void (*fn)(const char *payload, void *ctx);
    void *ctx;
    pthread_t thread;
    int stop_pipe[2]; /* written once to stop the thread */
    atomic_bool up;   /* LISTEN is in effect */
};

static bool
valid_channel(const char *ch)
{
    size_t n = strlen(ch);
    if (n == 0 || n >= 64)
        return false;
    for (const char *p = ch; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

int
yw_db_notify(struct yw_dbc *c, const char *channel, const char *payload)
{
    if (c->db->engine != YW_DB_PG)
        return 0;
    return yw_db_run(c, "SELECT pg_notify(?, ?)", "ss", channel, payload);
}

/* Wait up to ms for the stop pipe; true when asked to stop. */
static bool
stop_requested(struct yw_db_listener *l, int ms)
{
    struct pollfd p = { .fd = l->stop_pipe[0], .events = POLLIN };
    return poll(&p, 1, ms) > 0;
}

static PGconn *
listen_connect(struct yw_db_listener *l)
{
    PGconn *h = PQconnectdb(l->db->target);
    if (PQstatus(h) != CONNECTION_OK) {
        PQfinish(h);
        return NULL;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "LISTEN %s", l->channel);
    PGresult *r = PQexec(h, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(h);
        return NULL;
    }
    return h;
}

/* Deliver what has arrived; false when the connection broke. */
static bool
drain(struct yw_db_listener *l, PGconn *h)
{
    if (!PQconsumeInput(h))
        return false;
    PGnotify *n;
    while ((n = PQnotifies(h)) != NULL) {
        l->fn(n->extra ? n->extra : "", l->ctx);
        PQfreemem(n);
    }
    return PQstatus(h) == CONNECTION_OK;
}

static void *
listen_main(void *arg)
{
    struct yw_db_listener *l = arg;
    PGconn *h = NULL;
    bool warned = false;
    for (;;) {
        if (h == NULL) {
            h = listen_connect(l);
            if (h == NULL) {
                if (!warned)
                    yw_log_warn("db", "cannot listen on '%s'; retrying every second", l->channel);
                warned = true;
                if (stop_requested(l, 1000))
                    break;
                continue;
            }
            warned = false;
            /* What changed while nobody listened is unknown: say so, then
             * trust again (LISTEN is in effect, later changes will be heard). */
            l->fn(NULL, l->ctx);
            atomic_store(&l->up, true);
            atomic_fetch_add(&listeners_up, 1);
        }
        struct pollfd p[2] = { { .fd = PQsocket(h), .events = POLLIN },
                               { .fd = l->stop_pipe[0], .events = POLLIN } };
        int n = poll(p, 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (p[1].revents)
            break;
        if (n < 0 || !drain(l, h)) {
            yw_log_warn("db", "lost the connection listening on '%s'", l->channel);
            atomic_store(&l->up, false);
            atomic_fetch_sub(&listeners_up, 1);
            l->fn(NULL, l->ctx);
            PQfinish(h);
            h = NULL;
        }
    }
    if (atomic_exchange(&l->up, false))
        atomic_fetch_sub(&listeners_up, 1);
    if (h)
        PQfinish(h);
    return NULL;
}

int
yw_db_listen(struct yw_db *db, const char *channel, void (*fn)(const char *payload, void *ctx),
             void *ctx, struct yw_db_listener **out, struct yw_err *err)
{
    *out = NULL;
    if (db->engine != YW_DB_PG)
        return 0;
    if (!valid_channel(channel))
        return yw_fail(err, YW_EINVAL, "", "'%s' is not a channel name", channel);
    struct yw_db_listener *l = calloc(1, sizeof *l);
    if (l == NULL)
        return yw_fail(err, YW_EINTERNAL, "", "out of memory");
    l->db = db;
    snprintf(l->channel, sizeof l->channel, "%s", channel);
    l->fn = fn;
    l->ctx = ctx;
    if (pipe(l->stop_pipe) != 0) {
        free(l);
        return yw_fail(err, YW_EINTERNAL, "", "pipe: %s", strerror(errno));
    }
    if (pthread_create(&l->thread, NULL, listen_main, l) != 0) {
        close(l->stop_pipe[0]);
        close(l->stop_pipe[1]);
        free(l);
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the listener thread");
    }
    atomic_fetch_add(&listeners, 1);
    *out = l;
    return 0;
}

void
yw_db_listen_counts(int *total, int *up)
{
    *total = atomic_load(&listeners);
    *up = atomic_load(&listeners_up);
}

bool
yw_db_listener_up(const struct yw_db_listener *l)
{
    return l && atomic_load(&l->up);
}

void
yw_db_listen_stop(struct yw_db_listener *l)
{
    if (l == NULL)
        return;
    ssize_t w = write(l->stop_pipe[1], "x", 1);
    (void)w;
    pthread_join(l->thread, NULL);
    atomic_fetch_sub(&listeners, 1);
    close(l->stop_pipe[0]);
    close(l->stop_pipe[1]);
    free(l);
}
