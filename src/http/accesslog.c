/*
 * accesslog.c - one JSON line per request.
 *
 * Workers never write to the log file themselves: a write(2) to a busy disk
 * took up to 8 ms here and stalled every connection of that worker.  Each
 * worker appends its lines to its own 64 KiB buffer (under its own,
 * uncontended mutex); a full buffer is swapped for an empty one and queued for
 * the flusher thread, which does all the writing - the queued buffers as they
 * come, and every 200 ms whatever the workers have gathered.  Lines never
 * interleave (whole buffers go out with one write(2) on an O_APPEND
 * descriptor).  A kill -9 can lose the last 200 ms of log lines, never data.
 * "off" disables the log (the metrics still count).
 */
#include "http/internal.h"

#include "core/clock.h"
#include "core/utf8.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TBUF_SIZE (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t n;
    char data[TBUF_SIZE];
};

struct tbuf {
    struct tbuf *next; /* every worker's buffer, for the periodic flush */
    pthread_mutex_t mu;
    struct chunk *cur;
};

static int log_fd = -1;
static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tbuf *buffers;
static _Thread_local struct tbuf *my_buf;
/* full chunks waiting for the flusher, and spare empty ones */
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static struct chunk *full_head, **full_tail = &full_head;
static struct chunk *spare;
static pthread_t flusher;
static bool flusher_run;
static bool flusher_started;

static struct chunk *
chunk_get(void)
{
    pthread_mutex_lock(&q_mu);
    struct chunk *c = spare;
    if (c)
        spare = c->next;
    pthread_mutex_unlock(&q_mu);
    if (c == NULL)
        c = yw_xmalloc(sizeof *c);
    c->next = NULL;
    c->n = 0;
    return c;
}

/* Hand a chunk with lines to the flusher. */
static void
chunk_queue(struct chunk *c)
{
    c->next = NULL;
    pthread_mutex_lock(&q_mu);
    *full_tail = c;
    full_tail = &c->next;
    pthread_cond_signal(&q_cv);
    pthread_mutex_unlock(&q_mu);
}

/* The flusher: write queued chunks; every 200 ms also collect what the
 * workers' buffers hold. */
static void *
flusher_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&q_mu);
        if (full_head == NULL && flusher_run) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 200 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&q_cv, &q_mu, &ts);
        }
        bool stop = !flusher_run;
        struct chunk *list = full_head;
        full_head = NULL;
        full_tail = &full_head;
        pthread_mutex_unlock(&q_mu);

        if (list == NULL) {
            /* quiet or stopping: gather the partial buffers */
            pthread_mutex_lock(&list_mu);
            for (struct tbuf *b = buffers; b; b = b->next) {
                struct chunk *fresh = NULL;
                pthread_mutex_lock(&b->mu);
                if (b->cur && b->cur->n) {
                    fresh = b->cur;
                    b->cur = NULL; /* the worker takes a new chunk on its next line */
                }
                pthread_mutex_unlock(&b->mu);
                if (fresh) {
                    fresh->next = list;
                    list = fresh;
                }
            }
            pthread_mutex_unlock(&list_mu);
        }
        while (list) {
            struct chunk *c = list;
            list = c->next;
            if (c->n && log_fd >= 0) {
                ssize_t w = write(log_fd, c->data, c->n);
                (void)w;
            }
            pthread_mutex_lock(&q_mu);
            c->next = spare;
            spare = c;
            pthread_mutex_unlock(&q_mu);
        }
        if (stop) {
            pthread_mutex_lock(&q_mu);
            bool empty = full_head == NULL;
            pthread_mutex_unlock(&q_mu);
            if (empty)
                break;
        }
    }
    return NULL;
}

int
yw_accesslog__open(const char *spec)
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
    flusher_run = true;
    flusher_started = pthread_create(&flusher, NULL, flusher_main, NULL) == 0;
    return 0;
}

void
yw_accesslog__close(void)
{
    if (flusher_started) {
        pthread_mutex_lock(&q_mu);
        flusher_run = false;
        pthread_cond_signal(&q_cv);
        pthread_mutex_unlock(&q_mu);
        pthread_join(flusher, NULL); /* it writes everything gathered before it ends */
        flusher_started = false;
    }
    pthread_mutex_lock(&list_mu);
    while (buffers) {
        struct tbuf *b = buffers;
        buffers = b->next;
        if (b->cur && b->cur->n && log_fd >= 0) {
            ssize_t w = write(log_fd, b->cur->data, b->cur->n);
            (void)w;
        }
        free(b->cur);
        pthread_mutex_destroy(&b->mu);
        free(b);
    }
    pthread_mutex_unlock(&list_mu);
    while (spare) {
        struct chunk *c = spare;
        spare = c->next;
        free(c);
    }
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
    struct chunk *full = NULL;
    pthread_mutex_lock(&b->mu);
    if (b->cur == NULL)
        b->cur = chunk_get();
    if (b->cur->n + n > TBUF_SIZE) {
        full = b->cur;
        b->cur = chunk_get();
    }
    memcpy(b->cur->data + b->cur->n, line, n);
    b->cur->n += n;
    pthread_mutex_unlock(&b->mu);
    if (full)
        chunk_queue(full);
}

/* Append s as JSON string content into p (bounded), return new position. */
static char *
put_str(char *p, char *end, const char *s)
{
    *p++ = '"';
    size_t n = s ? strlen(s) : 0;
    while (n > 0 && p < end - 8) {
        unsigned char c = (unsigned char)*s;
        size_t k = c < 0x80 ? 1 : yw_utf8_char(s, n);
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p += snprintf(p, (size_t)(end - p), "\\u%04x", c);
        } else if (k == 0) {
            /* not UTF-8 (a path that was refused): the line stays JSON */
            memcpy(p, "\\ufffd", 6);
            p += 6;
            k = 1;
        } else if (p + k < end - 8) {
            memcpy(p, s, k);
            p += k;
        } else {
            break; /* never half a character */
        }
        s += k;
        n -= k;
    }
    *p++ = '"';
    return p;
}

/* The line's fixed parts and numbers without snprintf, which was a tenth of
 * the CPU of a request answered from a cache (its format parsing, and %.3f
 * through the floating-point printer). */
#define PUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

static char *
put_i64(char *p, int64_t v)
{
    if (v >= 0)
        return yw_put_u64(p, (uint64_t)v);
    *p++ = '-';
    return yw_put_u64(p, (uint64_t)0 - (uint64_t)v);
}

/* Milliseconds with three decimals, rounded to the microsecond. */
static char *
put_ms(char *p, int64_t ns)
{
    uint64_t us = ns > 0 ? ((uint64_t)ns + 500) / 1000 : 0;
    p = yw_put_u64(p, us / 1000);
    *p++ = '.';
    *p++ = (char)('0' + us / 100 % 10);
    *p++ = (char)('0' + us / 10 % 10);
    *p++ = (char)('0' + us % 10);
    return p;
}

void
yw_accesslog__write(struct yw_req *req, int status, size_t bytes, int64_t duration_ns)
{
    if (log_fd < 0)
        return;
    char line[2048];
    /* put_str stops 8 bytes before end; what follows the last one fits in
     * the 160 after it (at most 120: numbers, names, the closing brace) */
    char *p = line, *end = line + sizeof line - 160;
    /* the formatted time, once per millisecond per thread */
    static _Thread_local int64_t ts_ms = -1;
    static _Thread_local char ts[32];
    int64_t now = yw_clock_real_ms();
    if (now != ts_ms) {
        yw_clock_format(now, ts);
        ts_ms = now;
    }
    p = PUT_LIT(p, "{\"ts\":\"");
    size_t tn = strlen(ts);
    memcpy(p, ts, tn);
    p += tn;
    p = PUT_LIT(p, "\",\"id\":");
    p = put_str(p, end, req->request_id);
    p = PUT_LIT(p, ",\"ip\":");
    p = put_str(p, end, req->client_ip);
    p = PUT_LIT(p, ",\"method\":");
    p = put_str(p, end, req->method);
    p = PUT_LIT(p, ",\"path\":");
    p = put_str(p, end, req->path);
    p = PUT_LIT(p, ",\"route\":");
    p = put_str(p, end, req->route ? req->route->path : "");
    p = PUT_LIT(p, ",\"status\":");
    p = put_i64(p, status);
    p = PUT_LIT(p, ",\"bytes\":");
    p = yw_put_u64(p, bytes);
    p = PUT_LIT(p, ",\"ms\":");
    p = put_ms(p, duration_ns);
    if (req->who) {
        p = PUT_LIT(p, ",\"account\":");
        p = put_i64(p, req->who->account_id);
    }
    if (status >= 400 && req->err.msg[0]) {
        p = PUT_LIT(p, ",\"error\":");
        p = put_str(p, end, req->err.msg);
    }
    *p++ = '}';
    *p++ = '\n';
    emit(line, (size_t)(p - line));
}
