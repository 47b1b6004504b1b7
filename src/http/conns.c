/*
 * conns.c - the connections the server holds: how many in all, how many from
 * each client address, and the deadline for a connection's request headers.
 *
 * Why here and not in libmicrohttpd: 0.9.75 has a total limit, a per-address
 * limit and an idle timeout, but
 *   - a worker that reaches its share of MHD_OPTION_CONNECTION_LIMIT through
 *     MHD_add_connection (our acceptor's path) leaves a mutex locked and hangs
 *     for good: its connections are never read or closed again (thousands in
 *     CLOSE-WAIT), and MHD_stop_daemon waits for it forever.  So the acceptor
 *     never lets MHD reach its limit: it admits a connection only when this
 *     table has room, and MHD's own limit is set far above ours (server.c);
 *   - the idle timeout is reset by every byte, so a client that sends its
 *     headers a byte at a time holds a connection for as long as it likes.
 *     Here a connection must deliver complete request headers by a deadline
 *     (header_timeout after it was accepted; after a response, the next
 *     request's by the longer of header_timeout and conn_timeout), or it is
 *     shut down.
 *
 * Life of a connection: the acceptor reserves a place (yw_conns__reserve: the
 * total and the address's count go up, or the connection is refused); MHD
 * tells us it started (yw_conns__notify, on its worker: the connection gets its
 * entry and deadline) and, before it closes the socket, that it closed (the
 * entry goes, the counts go down, a waiting acceptor wakes).  The first
 * callback of a request lifts the deadline (yw_conns__request_begins), the end
 * of the request sets the next one (yw_conns__request_ends).  The acceptor
 * thread calls yw_conns__reap() a few times a second; it shuts down (shutdown(2),
 * under the table's lock, so the socket cannot have been closed and its number
 * reused) every connection past its deadline, and MHD then closes it.
 *
 * One mutex guards the table; it is taken once per connection opened and
 * closed and by the reaper, never per request (the deadline is an atomic in
 * the entry).
 */
#include "http/internal.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define NO_DEADLINE INT64_MAX /* a request is being handled */
#define REAPED      INT64_MIN /* shut down by the reaper */

/* A client address: IPv4, or IPv6 (an IPv4-mapped IPv6 address counts as the
 * IPv4 one). */
struct addr_key {
    uint8_t len; /* 4 or 16; 0 = not an IP address (never limited) */
    uint8_t a[16];
};

struct addr_count {
    struct addr_count *next;
    struct addr_key key;
    unsigned n;
};

/* One connection MHD holds (its socket context). */
struct yw_conn {
    struct yw_conn *prev, *next;
    int fd;
    struct addr_key key;
    _Atomic int64_t deadline; /* monotonic ms; NO_DEADLINE or REAPED */
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t room;
    struct yw_conn_limits lim;
    unsigned total;              /* reserved or held */
    struct addr_count **buckets; /* per-address counts, chained */
    size_t nbuckets;             /* a power of two */
    struct yw_conn list;         /* the held connections (sentinel) */
    bool waking;                 /* yw_conns__wake: waiters return */
    atomic_uint_fast64_t refused_addr, timed_out, full_waits;
    int64_t last_refusal_log; /* monotonic ms of the last per-address warning */
} reg = { .mu = PTHREAD_MUTEX_INITIALIZER, .room = PTHREAD_COND_INITIALIZER };

static int64_t
now_ms(void)
{
    return yw_clock_mono_ns() / 1000000;
}

static void
key_of(const struct sockaddr *sa, struct addr_key *k)
{
    memset(k, 0, sizeof *k);
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a4 = (const struct sockaddr_in *)(const void *)sa;
        k->len = 4;
        memcpy(k->a, &a4->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)(const void *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
            k->len = 4;
            memcpy(k->a, a6->sin6_addr.s6_addr + 12, 4);
        } else {
            k->len = 16;
            memcpy(k->a, &a6->sin6_addr, 16);
        }
    }
}

/* FNV-1a over the address bytes. */
static size_t
bucket_of(const struct addr_key *k)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < k->len; i++)
        h = (h ^ k->a[i]) * 16777619u;
    return h & (reg.nbuckets - 1);
}

/* The count of address k; created at 0 when `make`.  Under reg.mu. */
static struct addr_count *
find_count(const struct addr_key *k, bool make)
{
    struct addr_count **pp = &reg.buckets[bucket_of(k)];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->key.len == k->len && memcmp((*pp)->key.a, k->a, k->len) == 0)
            return *pp;
    if (!make)
        return NULL;
    struct addr_count *c = yw_xcalloc(1, sizeof *c);
    c->key = *k;
    *pp = c;
    return c;
}

/* One connection of address k is gone.  Under reg.mu. */
static void
release_locked(const struct addr_key *k)
{
    if (reg.total > 0)
        reg.total--;
    if (k->len && reg.lim.per_addr) {
        struct addr_count **pp = &reg.buckets[bucket_of(k)];
        for (; *pp; pp = &(*pp)->next) {
            struct addr_count *c = *pp;
            if (c->key.len == k->len && memcmp(c->key.a, k->a, k->len) == 0) {
                if (--c->n == 0) {
                    *pp = c->next;
                    free(c);
                }
                break;
            }
        }
    }
    pthread_cond_signal(&reg.room);
}

struct yw_conn_limits
yw_conns__limits(const struct yw_config *cfg, unsigned threads, long *fd_limit)
{
    struct rlimit rl;
    rlim_t fds = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rlim_t want = rl.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 20 : rl.rlim_max;
            struct rlimit up = { want, rl.rlim_max };
            if (setrlimit(RLIMIT_NOFILE, &up) == 0)
                rl.rlim_cur = want;
        }
        fds = rl.rlim_cur == RLIM_INFINITY ? (rlim_t)1 << 20 : rl.rlim_cur;
    }
    if (fds > (rlim_t)1 << 24)
        fds = (rlim_t)1 << 24;
    *fd_limit = (long)fds;
    long reserve = 64 + 8 * (long)threads;
    long budget = ((long)fds - reserve) / 2;
    if (budget < 8)
        budget = 8;
    long total = cfg->conn_limit > 0 && cfg->conn_limit < budget ? (long)cfg->conn_limit : budget;
    if (cfg->conn_limit > budget)
        yw_log_warn("http",
                    "conn_limit %lld is more than the open-file limit (%ld) allows; using %ld",
                    (long long)cfg->conn_limit, (long)fds, budget);
    int64_t header_ms = cfg->header_timeout * 1000;
    int64_t idle_ms = cfg->conn_timeout * 1000;
    struct yw_conn_limits lim = {
        .total = (unsigned)total,
        .per_addr = cfg->conn_per_ip <= 0      ? 0
                    : cfg->conn_per_ip < total ? (unsigned)cfg->conn_per_ip
                                               : (unsigned)total,
        .header_ms = header_ms,
        .keepalive_ms = header_ms > 0 ? (idle_ms > header_ms ? idle_ms : header_ms) : 0,
    };
    return lim;
}

void
yw_conns__init(const struct yw_conn_limits *lim)
{
    pthread_mutex_lock(&reg.mu);
    reg.lim = *lim;
    if (reg.lim.total == 0)
        reg.lim.total = 1;
    size_t nb = 64;
    while (nb < reg.lim.total && nb < ((size_t)1 << 20))
        nb <<= 1;
    reg.nbuckets = nb;
    reg.buckets = yw_xcalloc(nb, sizeof *reg.buckets);
    reg.list.prev = reg.list.next = &reg.list;
    reg.total = 0;
    reg.waking = false;
    reg.last_refusal_log = 0;
    atomic_store(&reg.refused_addr, 0);
    atomic_store(&reg.timed_out, 0);
    atomic_store(&reg.full_waits, 0);
    pthread_mutex_unlock(&reg.mu);
}

void
yw_conns__release(void)
{
    pthread_mutex_lock(&reg.mu);
    for (size_t i = 0; i < reg.nbuckets; i++)
        while (reg.buckets[i]) {
            struct addr_count *c = reg.buckets[i];
            reg.buckets[i] = c->next;
            free(c);
        }
    free(reg.buckets);
    reg.buckets = NULL;
    reg.nbuckets = 0;
    /* entries left (none once the daemon stopped) are MHD's to notify */
    reg.list.prev = reg.list.next = &reg.list;
    reg.total = 0;
    pthread_mutex_unlock(&reg.mu);
}

enum yw_admit
yw_conns__reserve(const struct sockaddr *peer)
{
    struct addr_key k;
    key_of(peer, &k);
    enum yw_admit r = YW_ADMIT_OK;
    bool log_it = false;
    char who[INET6_ADDRSTRLEN] = "";
    pthread_mutex_lock(&reg.mu);
    if (reg.total >= reg.lim.total) {
        r = YW_ADMIT_FULL;
    } else if (k.len && reg.lim.per_addr) {
        struct addr_count *c = find_count(&k, true);
        if (c->n >= reg.lim.per_addr) {
            r = YW_ADMIT_ADDR;
            int64_t now = now_ms();
            if (now - reg.last_refusal_log >= 10000) {
                reg.last_refusal_log = now;
                log_it = true;
            }
        } else {
            c->n++;
        }
    }
    if (r == YW_ADMIT_OK)
        reg.total++;
    pthread_mutex_unlock(&reg.mu);
    if (r == YW_ADMIT_ADDR) {
        atomic_fetch_add(&reg.refused_addr, 1);
        if (log_it) {
            inet_ntop(k.len == 4 ? AF_INET : AF_INET6, k.a, who, sizeof who);
            yw_log_warn("http",
                        "address %s holds %u connections, the most allowed (conn_per_ip); "
                        "refusing more (logged at most every 10 s)",
                        who, reg.lim.per_addr);
        }
    }
    return r;
}

void
yw_conns__unreserve(const struct sockaddr *peer)
{
    struct addr_key k;
    key_of(peer, &k);
    pthread_mutex_lock(&reg.mu);
    release_locked(&k);
    pthread_mutex_unlock(&reg.mu);
}

bool
yw_conns__has_room(void)
{
    pthread_mutex_lock(&reg.mu);
    bool room = reg.total < reg.lim.total;
    pthread_mutex_unlock(&reg.mu);
    return room;
}

void
yw_conns__wait_room(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&reg.mu);
    if (reg.total >= reg.lim.total && !reg.waking) {
        atomic_fetch_add(&reg.full_waits, 1);
        pthread_cond_timedwait(&reg.room, &reg.mu, &ts);
    }
    pthread_mutex_unlock(&reg.mu);
}

void
yw_conns__wake(void)
{
    pthread_mutex_lock(&reg.mu);
    reg.waking = true;
    pthread_cond_broadcast(&reg.room);
    pthread_mutex_unlock(&reg.mu);
}

unsigned
yw_conns__reap(void)
{
    unsigned n = 0;
    int64_t now = now_ms();
    pthread_mutex_lock(&reg.mu);
    for (struct yw_conn *c = reg.list.next; c != &reg.list; c = c->next) {
        int64_t d = atomic_load(&c->deadline);
        if (d == NO_DEADLINE || d == REAPED || d > now)
            continue;
        /* the socket is still open: MHD notifies CLOSED (which needs reg.mu)
         * before it closes it */
        if (atomic_compare_exchange_strong(&c->deadline, &d, REAPED)) {
            shutdown(c->fd, SHUT_RDWR);
            n++;
        }
    }
    pthread_mutex_unlock(&reg.mu);
    if (n)
        atomic_fetch_add(&reg.timed_out, n);
    return n;
}

void
yw_conns__notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                 enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct yw_conn *c = yw_xcalloc(1, sizeof *c);
        const union MHD_ConnectionInfo *fi =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ai =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        c->fd = fi ? fi->connect_fd : -1;
        key_of(ai ? ai->client_addr : NULL, &c->key);
        int64_t h = reg.lim.header_ms;
        atomic_init(&c->deadline, h > 0 ? now_ms() + h : NO_DEADLINE);
        pthread_mutex_lock(&reg.mu);
        c->next = reg.list.next;
        c->prev = &reg.list;
        reg.list.next->prev = c;
        reg.list.next = c;
        pthread_mutex_unlock(&reg.mu);
        *socket_context = c;
        return;
    }
    struct yw_conn *c = *socket_context;
    if (c == NULL)
        return;
    pthread_mutex_lock(&reg.mu);
    c->prev->next = c->next;
    c->next->prev = c->prev;
    release_locked(&c->key);
    pthread_mutex_unlock(&reg.mu);
    free(c);
    *socket_context = NULL;
}

static struct yw_conn *
conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

bool
yw_conns__request_begins(struct MHD_Connection *conn)
{
    struct yw_conn *c = conn_of(conn);
    if (c == NULL)
        return true;
    int64_t d = atomic_load(&c->deadline);
    while (d != REAPED)
        if (atomic_compare_exchange_weak(&c->deadline, &d, NO_DEADLINE))
            return true;
    return false;
}

void
yw_conns__request_ends(struct MHD_Connection *conn)
{
    struct yw_conn *c = conn_of(conn);
    if (c == NULL)
        return;
    int64_t k = reg.lim.keepalive_ms;
    int64_t next = k > 0 ? now_ms() + k : NO_DEADLINE;
    int64_t d = atomic_load(&c->deadline);
    while (d != REAPED)
        if (atomic_compare_exchange_weak(&c->deadline, &d, next))
            break;
}

void
yw_conns__stats(struct yw_conn_stats *s)
{
    pthread_mutex_lock(&reg.mu);
    s->open = reg.total;
    s->limit = reg.lim.total;
    pthread_mutex_unlock(&reg.mu);
    s->refused_addr = atomic_load(&reg.refused_addr);
    s->timed_out = atomic_load(&reg.timed_out);
    s->full_waits = atomic_load(&reg.full_waits);
}
