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
 * Acknowledged notifications (yw_db_notify_sync, issue 21): a logout on one
 * node must end the session on every node before the client hears "done", not
 * milliseconds later when the others happen to read their sockets.  So such a
 * notification carries a token ("ack=TOKEN;payload"); every listener, once its
 * fn has returned, answers on CHANNEL_ack with "TOKEN PID" (PID: the backend
 * of its LISTEN connection), and the writer, after its commit, waits until
 * every listener that was connected at the time of the write (found in
 * pg_stat_activity by the application_name "ywtb:CHANNEL" each listener sets)
 * has answered - at most YW_DB_NOTIFY_WAIT_MS, after which it logs which did
 * not and counts a timeout (/metrics).  A listener that connects after the
 * write missed nothing: it drops everything when it starts listening.
 *
 * SQLite is served by one node, which evicts its own cache entries directly:
 * notify is a no-op and there is no listener.
 */
#include "db/db.h"
#include "db/db_internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Listeners in this process, and how many of them listen right now (/metrics). */
static atomic_int listeners, listeners_up;

#define CHANNEL_MAX 58 /* so that "CHANNEL_ack" and "ywtb:CHANNEL" fit in 63 bytes */
#define ACK_PEERS   64 /* listeners one write waits for, at most */
#define ACK_PREFIX  "ack="

struct yw_db_listener {
    struct yw_db *db;
    char channel[64];
    void (*fn)(const char *payload, void *ctx);
    void *ctx;
    pthread_t thread;
    int stop_pipe[2];            /* written once to stop the thread */
    atomic_bool up;              /* LISTEN is in effect */
    atomic_int pid;              /* the backend of the LISTEN connection (0: none) */
    struct yw_db_listener *next; /* in reg.listeners */
};

/* One acknowledged notification waiting for its answers. */
struct ack_waiter {
    struct ack_waiter *next;       /* in reg.waiters */
    struct ack_waiter *next_in_tx; /* on the writing connection, until its transaction ends */
    char token[40];
    char channel[64];
    int npeers;
    int peers[ACK_PEERS];
    bool acked[ACK_PEERS];
    int left;
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct yw_db_listener *listeners;
    struct ack_waiter *waiters;
    char node[17]; /* random, once per process: tokens of two nodes never collide */
    uint64_t seq;
    /* listeners that let a wait time out: not waited for again until they
     * answer something, so one hung node costs one timeout, not one per write */
    int silent[ACK_PEERS];
    int nsilent;
} reg = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static atomic_uint_fast64_t ack_waits, ack_timeouts, ack_wait_ns;

static bool
valid_channel(const char *ch)
{
    size_t n = strlen(ch);
    if (n == 0 || n > CHANNEL_MAX)
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
    /* the name tells writers which connections must acknowledge (see the top);
     * the channel is checked to be [a-z0-9_] */
    char sql[256];
    snprintf(sql, sizeof sql, "SET application_name = 'ywtb:%s'; LISTEN %s; LISTEN %s_ack",
             l->channel, l->channel, l->channel);
    PGresult *r = PQexec(h, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(h);
        return NULL;
    }
    return h;
}

/* An answer "TOKEN PID" arrived on CHANNEL_ack: tick it off its waiter. */
static void
ack_heard(const char *text)
{
    const char *sp = strchr(text, ' ');
    if (sp == NULL)
        return;
    size_t tn = (size_t)(sp - text);
    int pid = atoi(sp + 1);
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < reg.nsilent; i++)
        if (reg.silent[i] == pid) /* it answers again */
            reg.silent[i--] = reg.silent[--reg.nsilent];
    for (struct ack_waiter *w = reg.waiters; w; w = w->next) {
        if (strlen(w->token) != tn || strncmp(w->token, text, tn) != 0)
            continue;
        for (int i = 0; i < w->npeers; i++)
            if (w->peers[i] == pid && !w->acked[i]) {
                w->acked[i] = true;
                w->left--;
            }
        pthread_cond_broadcast(&reg.cv);
        break;
    }
    pthread_mutex_unlock(&reg.mu);
}

/* Deliver what has arrived; false when the connection broke. */
static bool
drain(struct yw_db_listener *l, PGconn *h)
{
    if (!PQconsumeInput(h))
        return false;
    PGnotify *n;
    char ack_channel[80];
    snprintf(ack_channel, sizeof ack_channel, "%s_ack", l->channel);
    while ((n = PQnotifies(h)) != NULL) {
        const char *payload = n->extra ? n->extra : "";
        if (strcmp(n->relname, ack_channel) == 0) {
            ack_heard(payload);
            PQfreemem(n);
            continue;
        }
        char token[40] = "";
        const char *semi = strchr(payload, ';');
        if (semi && strlen(payload) > strlen(ACK_PREFIX) &&
            memcmp(payload, ACK_PREFIX, strlen(ACK_PREFIX)) == 0 &&
            (size_t)(semi - payload) - strlen(ACK_PREFIX) < sizeof token) {
            size_t tn = (size_t)(semi - payload) - strlen(ACK_PREFIX);
            memcpy(token, payload + strlen(ACK_PREFIX), tn);
            token[tn] = '\0';
            payload = semi + 1;
        }
        l->fn(payload, l->ctx);
        PQfreemem(n);
        if (token[0]) {
            /* handled: say so to the writer (it waits for this before answering) */
            char answer[64];
            snprintf(answer, sizeof answer, "%s %d", token, PQbackendPID(h));
            const char *params[2] = { ack_channel, answer };
            PGresult *r =
                PQexecParams(h, "SELECT pg_notify($1, $2)", 2, NULL, params, NULL, NULL, 0);
            bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
            if (!ok)
                return false;
        }
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
            atomic_store(&l->pid, PQbackendPID(h));
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
            atomic_store(&l->pid, 0);
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
    pthread_mutex_lock(&reg.mu);
    l->next = reg.listeners;
    reg.listeners = l;
    pthread_mutex_unlock(&reg.mu);
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
    pthread_mutex_lock(&reg.mu);
    for (struct yw_db_listener **p = &reg.listeners; *p; p = &(*p)->next)
        if (*p == l) {
            *p = l->next;
            break;
        }
    pthread_mutex_unlock(&reg.mu);
    ssize_t w = write(l->stop_pipe[1], "x", 1);
    (void)w;
    pthread_join(l->thread, NULL);
    atomic_fetch_sub(&listeners, 1);
    close(l->stop_pipe[0]);
    close(l->stop_pipe[1]);
    free(l);
}

/* ---- acknowledged notifications (see the top) ---- */

/* The pid of this process's listener on channel of db, 0 when it does not listen. */
static int
own_listener_pid(struct yw_db *db, const char *channel)
{
    int pid = 0;
    pthread_mutex_lock(&reg.mu);
    for (struct yw_db_listener *l = reg.listeners; l; l = l->next)
        if (l->db == db && strcmp(l->channel, channel) == 0 && atomic_load(&l->up))
            pid = atomic_load(&l->pid);
    pthread_mutex_unlock(&reg.mu);
    return pid;
}

static void
waiter_unlink(struct ack_waiter *w)
{
    for (struct ack_waiter **p = &reg.waiters; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            return;
        }
}

/* After the transaction on c ended: if it committed, wait for the answers to
 * its acknowledged notifications; then forget them. */
static void
ack_after_tx(int64_t arg)
{
    struct yw_dbc *c = (struct yw_dbc *)(intptr_t)arg;
    struct ack_waiter *list = c->acks;
    c->acks = NULL;
    bool committed = c->committed;
    int64_t t0 = yw_clock_mono_ns();
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += YW_DB_NOTIFY_WAIT_MS / 1000;
    until.tv_nsec += (long)(YW_DB_NOTIFY_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&reg.mu);
    while (list) {
        struct ack_waiter *w = list;
        list = w->next_in_tx;
        int rc = 0;
        while (committed && w->left > 0 && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&reg.cv, &reg.mu, &until);
        if (committed && w->left > 0) {
            char missing[128] = "";
            size_t len = 0;
            for (int i = 0; i < w->npeers; i++) {
                if (w->acked[i])
                    continue;
                if (len < sizeof missing - 12)
                    len +=
                        (size_t)snprintf(missing + len, sizeof missing - len, " %d", w->peers[i]);
                bool known = false;
                for (int k = 0; k < reg.nsilent; k++)
                    known |= reg.silent[k] == w->peers[i];
                if (!known && reg.nsilent < ACK_PEERS)
                    reg.silent[reg.nsilent++] = w->peers[i];
            }
            atomic_fetch_add(&ack_timeouts, 1);
            yw_log_warn("db",
                        "'%s': %d listener(s) did not confirm a change within %d ms (backend "
                        "pid%s); they may serve the old state until they hear it, and are "
                        "not waited for until they answer again",
                        w->channel, w->left, YW_DB_NOTIFY_WAIT_MS, missing);
        }
        waiter_unlink(w);
        free(w);
    }
    pthread_mutex_unlock(&reg.mu);
    if (committed) {
        atomic_fetch_add(&ack_waits, 1);
        atomic_fetch_add(&ack_wait_ns, (uint64_t)(yw_clock_mono_ns() - t0));
    }
}

int
yw_db_notify_sync(struct yw_dbc *c, const char *channel, const char *payload)
{
    if (c->db->engine != YW_DB_PG)
        return 0;
    int own = own_listener_pid(c->db, channel);
    if (own == 0 || !valid_channel(channel) || !c->in_tx)
        return yw_db_notify(c, channel, payload); /* we could not hear the answers */
    struct ack_waiter *w = calloc(1, sizeof *w);
    if (w == NULL)
        return YW_EINTERNAL;
    snprintf(w->channel, sizeof w->channel, "%s", channel);
    /* who must answer: every other node's listener on this channel, now */
    char app[80];
    snprintf(app, sizeof app, "ywtb:%s", channel);
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT pid FROM pg_stat_activity WHERE application_name = ? "
                                    "AND datname = current_database() AND pid <> ?",
                                    "si", app, (int64_t)own);
    int rc = s ? 0 : YW_EDB;
    while (s && (rc = yw_db_step(s)) == YW_ROW)
        if (w->npeers < ACK_PEERS)
            w->peers[w->npeers++] = (int)yw_db_col_int(s, 0);
    if (s)
        rc = yw_db_finish(s, rc);
    if (rc) {
        free(w);
        return rc;
    }
    pthread_mutex_lock(&reg.mu);
    for (int i = 0; i < w->npeers; i++) /* still waiting to hear from these? */
        for (int k = 0; k < reg.nsilent; k++)
            if (w->peers[i] == reg.silent[k] && !w->acked[i]) {
                w->acked[i] = true;
                break;
            }
    for (int i = 0; i < w->npeers; i++)
        w->left += !w->acked[i];
    if (reg.node[0] == '\0') {
        unsigned char rnd[8];
        yw_random(rnd, sizeof rnd);
        for (int i = 0; i < 8; i++)
            snprintf(reg.node + 2 * i, 3, "%02x", rnd[i]);
    }
    snprintf(w->token, sizeof w->token, "%s.%llu", reg.node, (unsigned long long)++reg.seq);
    w->next = reg.waiters;
    reg.waiters = w;
    pthread_mutex_unlock(&reg.mu);
    if (c->acks == NULL)
        yw_db_after_tx(c, ack_after_tx, (int64_t)(intptr_t)c);
    w->next_in_tx = c->acks;
    c->acks = w;
    char text[8000];
    if (snprintf(text, sizeof text, ACK_PREFIX "%s;%s", w->token, payload) >= (int)sizeof text)
        return YW_EINVAL; /* PostgreSQL's limit is 8000 bytes; the waiter goes with the tx */
    return yw_db_notify(c, channel, text);
}

void
yw_db_notify_sync_stats(uint64_t *waits, uint64_t *timeouts, double *seconds)
{
    *waits = atomic_load(&ack_waits);
    *timeouts = atomic_load(&ack_timeouts);
    *seconds = (double)atomic_load(&ack_wait_ns) / 1e9;
}

void
yw_db__acks_truncate(struct yw_dbc *c, struct ack_waiter *mark)
{
    pthread_mutex_lock(&reg.mu);
    while (c->acks && c->acks != mark) {
        struct ack_waiter *w = c->acks;
        c->acks = w->next_in_tx;
        waiter_unlink(w);
        free(w);
    }
    pthread_mutex_unlock(&reg.mu);
}
