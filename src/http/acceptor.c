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
 */
#include "http/internal.h"

#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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
yw_acceptor_open(const struct sockaddr_storage *ss, struct yw_acceptor **out, int *port, struct yw_err *err)
{
    *out = NULL;
    socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
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

static void
pause_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

static void *
accept_main(void *arg)
{
    struct yw_acceptor *a = arg;
    bool warned = false;
    pthread_setname_np(pthread_self(), "ywtb-accept");
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int fd = accept4(a->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (atomic_load(&a->stopping))
                break;
            if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
                continue;
            /* out of descriptors or memory: wait for connections to close */
            if (!warned)
                yw_log_warn("http", "accept failed: %s; retrying", strerror(errno));
            warned = true;
            pause_ms(10);
            continue;
        }
        warned = false;
        /* MHD closes the socket itself when it cannot take it */
        MHD_add_connection(a->daemon, fd, (struct sockaddr *)&peer, len);
    }
    return NULL;
}

int
yw_acceptor_start(struct yw_acceptor *a, struct MHD_Daemon *d, struct yw_err *err)
{
    a->daemon = d;
    if (pthread_create(&a->thread, NULL, accept_main, a) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the accepting thread");
    a->started = true;
    return 0;
}

void
yw_acceptor_stop(struct yw_acceptor *a)
{
    if (a == NULL)
        return;
    atomic_store(&a->stopping, true);
    shutdown(a->fd, SHUT_RDWR); /* wakes accept() */
    if (a->started)
        pthread_join(a->thread, NULL);
    close(a->fd);
    free(a);
}
