/*
 * accesslog.c - one JSON line per request.
 *
 * A write(2) per request costs a third of the server's throughput on small
 * responses, so each worker thread appends its lines to its own buffer (its
 * own uncontended mutex) and writes the buffer out when it is 48 KiB full; a
 * flusher thread writes every buffer out every 200 ms, and shutdown flushes
 * all.  Lines never interleave (whole buffers are written with one write(2) on
 * an O_APPEND descriptor) and no lock is shared between workers.  A kill -9
 * can lose the last 200 ms of access log lines, never any data.  "off"
 * disables the log (the metrics still count).
 */
#include "http/internal.h"

#include "core/clock.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TBUF_SIZE (64 * 1024)
#define TBUF_FLUSH_AT (48 * 1024)

struct tbuf {
    struct tbuf *next;
    pthread_mutex_t mu;
    size_t n;
    char data[TBUF_SIZE];
};

static int log_fd = -1;
static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tbuf *buffers;
static _Thread_local struct tbuf *my_buf;
static pthread_t flusher;
static atomic_bool flusher_run;
static bool flusher_started;

/* Caller holds b->mu. */
static void
flush_locked(struct tbuf *b)
{
    if (b->n && log_fd >= 0) {
        ssize_t w = write(log_fd, b->data, b->n);
        (void)w;
    }
    b->n = 0;
}

static void
flush_all(void)
{
    pthread_mutex_lock(&list_mu);
    for (struct tbuf *b = buffers; b; b = b->next) {
        pthread_mutex_lock(&b->mu);
        flush_locked(b);
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_unlock(&list_mu);
}

static void *
flusher_main(void *arg)
{
    (void)arg;
    while (atomic_load(&flusher_run)) {
        struct timespec ts = { 0, 200 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        flush_all();
    }
    return NULL;
}

int
yw_accesslog_open(const char *spec)
{
    if (spec == NULL || strcmp(spec, "off") == 0) {
        log_fd = -1;
        return 0;
    }
    if (strcmp(spec, "-") == 0) {
        log_fd = STDERR_FILENO;
    } else {
        int fd = open(spec, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0)
            return YW_EIO;
        log_fd = fd;
    }
    atomic_store(&flusher_run, true);
    flusher_started = pthread_create(&flusher, NULL, flusher_main, NULL) == 0;
    return 0;
}

void
yw_accesslog_close(void)
{
    if (flusher_started) {
        atomic_store(&flusher_run, false);
        pthread_join(flusher, NULL);
        flusher_started = false;
    }
    flush_all();
    pthread_mutex_lock(&list_mu);
    while (buffers) {
        struct tbuf *b = buffers;
        buffers = b->next;
        pthread_mutex_destroy(&b->mu);
        free(b);
    }
    pthread_mutex_unlock(&list_mu);
    my_buf = NULL; /* the closing thread's pointer; workers have exited */
    if (log_fd > STDERR_FILENO)
        close(log_fd);
    log_fd = -1;
}

static void
emit(const char *line, size_t n)
{
    struct tbuf *b = my_buf;
    if (b == NULL) {
        b = yw_xcalloc(1, sizeof *b);
        pthread_mutex_init(&b->mu, NULL);
        pthread_mutex_lock(&list_mu);
        b->next = buffers;
        buffers = b;
        pthread_mutex_unlock(&list_mu);
        my_buf = b;
    }
    pthread_mutex_lock(&b->mu);
    if (b->n + n > TBUF_SIZE)
        flush_locked(b);
    memcpy(b->data + b->n, line, n);
    b->n += n;
    if (b->n >= TBUF_FLUSH_AT)
        flush_locked(b);
    pthread_mutex_unlock(&b->mu);
}

/* Append s as JSON string content into p (bounded), return new position. */
static char *
put_str(char *p, char *end, const char *s)
{
    *p++ = '"';
    for (; s && *s && p < end - 8; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p += snprintf(p, (size_t)(end - p), "\\u%04x", c);
        } else {
            *p++ = (char)c;
        }
    }
    *p++ = '"';
    return p;
}

void
yw_accesslog_write(struct yw_req *req, int status, size_t bytes, int64_t duration_ns)
{
    if (log_fd < 0)
        return;
    char line[2048];
    char *p = line, *end = line + sizeof line - 64;
    char ts[32];
    yw_clock_format(yw_clock_real_ms(), ts);
    p += snprintf(p, (size_t)(end - p), "{\"ts\":\"%s\",\"id\":", ts);
    p = put_str(p, end, req->request_id);
    p += snprintf(p, (size_t)(end - p), ",\"ip\":");
    p = put_str(p, end, req->client_ip);
    p += snprintf(p, (size_t)(end - p), ",\"method\":");
    p = put_str(p, end, req->method);
    p += snprintf(p, (size_t)(end - p), ",\"path\":");
    p = put_str(p, end, req->path);
    p += snprintf(p, (size_t)(end - p), ",\"route\":");
    p = put_str(p, end, req->route ? req->route->path : "");
    p += snprintf(p, (size_t)(end - p), ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f", status, bytes,
                  (double)duration_ns / 1e6);
    if (req->who) {
        p += snprintf(p, (size_t)(end - p), ",\"account\":%lld", (long long)req->who->account_id);
    }
    if (status >= 400 && req->err.msg[0]) {
        p += snprintf(p, (size_t)(end - p), ",\"error\":");
        p = put_str(p, end, req->err.msg);
    }
    *p++ = '}';
    *p++ = '\n';
    emit(line, (size_t)(p - line));
}
