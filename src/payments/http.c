/*
 * http.c - a small blocking HTTP/1.1 client for the payment gateway: ywtb
 * queries the status of an order it was not notified of, and the gateway
 * simulator (tools/paysim) posts its notifications with it.  Plain http://
 * only (a production gateway sits behind the district's TLS proxy, which the
 * gateway URL names); one request per connection (Connection: close); the
 * whole exchange bounded by timeout_ms.
 */
#include "payments/internal.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for `events` or the deadline passed. */
static int
wait_fd(int fd, short events, int64_t deadline)
{
    int64_t left = deadline - now_ms();
    if (left <= 0)
        return YW_EIO;
    struct pollfd p = { .fd = fd, .events = events };
    int n = poll(&p, 1, (int)left);
    return n > 0 ? 0 : YW_EIO;
}

/* Undo chunked transfer coding in place; the decoded length. */
static size_t
dechunk(char *p, size_t n)
{
    size_t in = 0, out = 0;
    while (in < n) {
        char *end = NULL;
        unsigned long sz = strtoul(p + in, &end, 16);
        const char *crlf = strstr(p + in, "\r\n");
        if (crlf == NULL || end == p + in)
            break;
        in = (size_t)(crlf - p) + 2;
        if (sz == 0 || in + sz > n)
            break;
        memmove(p + out, p + in, sz);
        out += sz;
        in += sz + 2;
    }
    return out;
}

int
yw_pay__http(const char *method, const char *url, const char *body, int timeout_ms, int *status,
             struct yw_buf *out)
{
    *status = 0;
    if (strncmp(url, "http://", 7) != 0)
        return YW_EINVAL;
    const char *h = url + 7;
    const char *slash = strchr(h, '/');
    size_t hlen = slash ? (size_t)(slash - h) : strlen(h);
    char host[256], port[8] = "80";
    if (hlen == 0 || hlen >= sizeof host)
        return YW_EINVAL;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    char *colon = strrchr(host, ':');
    if (colon) {
        snprintf(port, sizeof port, "%s", colon + 1);
        *colon = '\0';
    }
    const char *path = slash ? slash : "/";
    int64_t deadline = now_ms() + timeout_ms;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL)
        return YW_EIO;
    int rc = YW_EIO;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct yw_buf req, resp;
    yw_buf_init(&req);
    yw_buf_init(&resp);
    if (fd < 0)
        goto out;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
        goto out;
    if (wait_fd(fd, POLLOUT, deadline))
        goto out;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0)
        goto out;
    size_t blen = body ? strlen(body) : 0;
    yw_buf_printf(&req,
                  "%s %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\nUser-Agent: ywtb-pay\r\n",
                  method, path, host, port);
    if (body)
        yw_buf_printf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
    yw_buf_adds(&req, "\r\n");
    if (body)
        yw_buf_add(&req, body, blen);
    size_t sent = 0;
    while (sent < req.n) {
        if (wait_fd(fd, POLLOUT, deadline))
            goto out;
        ssize_t w = send(fd, req.p + sent, req.n - sent, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            goto out;
        if (w > 0)
            sent += (size_t)w;
    }
    char chunk[4096];
    for (;;) {
        if (wait_fd(fd, POLLIN, deadline))
            goto out;
        ssize_t r = recv(fd, chunk, sizeof chunk, 0);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            goto out;
        }
        if (resp.n + (size_t)r > (1u << 24)) /* 16 MiB: a settlement file at most */
            goto out;
        yw_buf_add(&resp, chunk, (size_t)r);
    }
    yw_buf_add(&resp, "", 1); /* NUL */
    resp.n--;
    if (resp.n < 12 || strncmp(resp.p, "HTTP/1.", 7) != 0)
        goto out;
    *status = atoi(resp.p + 9);
    char *hdr_end = strstr(resp.p, "\r\n\r\n");
    if (hdr_end == NULL)
        goto out;
    *hdr_end = '\0';
    char *payload = hdr_end + 4;
    size_t plen = resp.n - (size_t)(payload - resp.p);
    bool chunked = strcasestr(resp.p, "transfer-encoding: chunked") != NULL;
    if (chunked)
        plen = dechunk(payload, plen);
    yw_buf_add(out, payload, plen);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    yw_buf_release(&req);
    yw_buf_release(&resp);
    return rc;
}
