/*
 * acceptor.c - accept connections ourselves and deal them out to the workers.
 *
 * With its own listening socket, libmicrohttpd's thread pool lets every worker
 * accept from it, and a worker that wakes accepts a whole burst: the 8
 * connections a client opens together often all land on one worker, and a
 * connection stays on its worker for as long as it is kept alive.  Behind a
 * reverse proxy with a few upstream keep-alive connections one worker could
 * then carry the whole node while the other cores idle (measured: see
 * docs/PERFORMANCE.md).
 *
 * So the server listens here, one thread accepts, and each connection is
 * handed to the daemon with MHD_add_connection, which places it on a worker by
 * the socket number modulo the pool size - consecutive connections alternate.
 *
 * The same thread enforces the connection limits (conns.c): a connection from
 * an address that holds conn_per_ip connections already is accepted and
 * closed at once; at conn_limit connections in all it stops accepting and
 * leaves new connections in the kernel's queue until one closes (a condition
 * variable, woken by every close, with a timeout: never a busy loop, never a
 * stop for good).  A few times a second it also shuts down the connections
 * that missed their header deadline.
 */
#include "http/internal.h"

#include "core/clock.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct yw_acceptor {
    int fd;
    struct MHD_Daemon *daemon;
    pthread_t thread;
    bool started;
    atomic_bool stopping;
};

int
yw_acceptor__parse_listen(const char *listen, struct sockaddr_storage *ss, struct yw_err *err)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(listen, ':');
    if (colon == NULL)
        return yw_fail(err, YW_ECONFIG, "listen", "listen address '%s' is not host:port", listen);
    char *endp;
    long port = strtol(colon + 1, &endp, 10);
    if (*endp || port < 0 || port > 65535 || endp == colon + 1)
        return yw_fail(err, YW_ECONFIG, "listen", "listen port in '%s' is not valid", listen);
    char host[128];
    size_t hn = (size_t)(colon - listen);
    if (hn >= sizeof host)
        return yw_fail(err, YW_ECONFIG, "listen", "listen host in '%s' is too long", listen);
    memcpy(host, listen, hn);
    host[hn] = '\0';
    if (hn >= 2 && host[0] == '[' && host[hn - 1] == ']') {
        host[hn - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return yw_fail(err, YW_ECONFIG, "listen", "listen host '%s' is not an IPv6 address",
                           host + 1);
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (hn == 0 || !strcmp(host, "*") || !strcmp(host, "0.0.0.0"))
        a4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (!strcmp(host, "localhost"))
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return yw_fail(err, YW_ECONFIG, "listen", "listen host '%s' is not an IPv4 address", host);
    return 0;
}

int
yw_acceptor__open(const struct sockaddr_storage *ss, struct yw_acceptor **out, int *port,
                  struct yw_err *err)
{
    *out = NULL;
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return yw_fail(err, YW_ECONFIG, "listen", "cannot make a socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 1024) != 0) {
        int e = errno;
        close(fd);
        return yw_fail(err, YW_ECONFIG, "listen", "%s", strerror(e));
    }
    struct sockaddr_storage bound;
    socklen_t bl = sizeof bound;
    *port = 0;
    if (getsockname(fd, (struct sockaddr *)&bound, &bl) == 0)
        *port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                  : ((struct sockaddr_in *)&bound)->sin_port);
    struct yw_acceptor *a = calloc(1, sizeof *a);
    if (a == NULL) {
        close(fd);
        return yw_fail(err, YW_EINTERNAL, "", "out of memory");
    }
    a->fd = fd;
    *out = a;
    return 0;
}

/* How long the accepting thread sleeps at most between looks at its socket,
 * the table's room and the header deadlines. */
#define TICK_MS 250

/* Accept what is waiting (up to a batch), admit or refuse each connection. */
static void
accept_some(struct yw_acceptor *a, bool *warned)
{
    for (int i = 0; i < 64 && !atomic_load(&a->stopping); i++) {
        if (!yw_conns__has_room())
            return;
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int fd = accept4(a->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
                errno == ECONNABORTED || atomic_load(&a->stopping))
                return;
            /* out of descriptors or memory: wait for a connection to close
             * (or a tick), then try again - never a busy loop, never for good */
            if (!*warned)
                yw_log_warn("http", "accept failed: %s; retrying when a connection closes",
                            strerror(errno));
            *warned = true;
            yw_conns__wait_room(TICK_MS / 2);
            return;
        }
        *warned = false;
        switch (yw_conns__reserve((struct sockaddr *)&peer)) {
        case YW_ADMIT_OK:
            /* MHD closes the socket itself when it cannot take it */
            if (MHD_add_connection(a->daemon, fd, (struct sockaddr *)&peer, len) != MHD_YES)
                yw_conns__unreserve((struct sockaddr *)&peer);
            break;
        case YW_ADMIT_ADDR:
        case YW_ADMIT_FULL:
            close(fd);
            break;
        }
    }
}

static void *
accept_main(void *arg)
{
    struct yw_acceptor *a = arg;
    bool warned = false, full = false;
    int64_t next_reap = 0;
    pthread_setname_np(pthread_self(), "ywtb-accept");
    while (!atomic_load(&a->stopping)) {
        int64_t now = yw_clock_mono_ns() / 1000000;
        if (now >= next_reap) {
            yw_conns__reap();
            next_reap = now + TICK_MS;
        }
        if (!yw_conns__has_room()) {
            /* the total limit: leave new connections in the kernel's queue
             * until one closes (or the reaper closes one) */
            if (!full) {
                struct yw_conn_stats s;
                yw_conns__stats(&s);
                yw_log_warn("http",
                            "holding %u connections, the most allowed (conn_limit); "
                            "new connections wait until some close",
                            s.limit);
            }
            full = true;
            yw_conns__wait_room(TICK_MS);
            continue;
        }
        if (full)
            yw_log_info("http", "below the connection limit again: accepting");
        full = false;
        struct pollfd p = { .fd = a->fd, .events = POLLIN };
        int r = poll(&p, 1, TICK_MS);
        if (r > 0)
            accept_some(a, &warned);
    }
    return NULL;
}

int
yw_acceptor__start(struct yw_acceptor *a, struct MHD_Daemon *d, struct yw_err *err)
{
    a->daemon = d;
    if (pthread_create(&a->thread, NULL, accept_main, a) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the accepting thread");
    a->started = true;
    return 0;
}

void
yw_acceptor__stop(struct yw_acceptor *a)
{
    if (a == NULL)
        return;
    atomic_store(&a->stopping, true);
    shutdown(a->fd, SHUT_RDWR); /* wakes poll() */
    yw_conns__wake();           /* and a wait for room */
    if (a->started)
        pthread_join(a->thread, NULL);
    close(a->fd);
    free(a);
}
