/*
 * stream.c - responses that stay open and are fed by a publisher: one
 * broadcast channel (struct yw_stream), many listening connections.
 *
 * Server-sent events (a hall screen, a live counter) need a response that
 * never ends and gets bytes when something happens, to many listeners at
 * once, without a thread per listener.  Each listener is a libmicrohttpd
 * response from a content-reader callback: the callback copies what was
 * published since the listener last read, and when there is nothing it
 * suspends its connection (MHD_suspend_connection) and returns 0, the pattern
 * microhttpd.h prescribes against busy waiting.  yw_stream_publish appends
 * the bytes to the channel's short history and resumes every suspended
 * listener; each one's worker then copies the new bytes.  A suspended
 * connection costs its socket and a few bytes, nothing else.
 *
 * The history keeps the last STREAM_KEEP messages: a listener that fell
 * further behind (its socket buffer full) skips to the oldest kept one, so a
 * channel should publish whole states rather than deltas.  A heartbeat
 * thread per channel publishes its heartbeat text when the channel was quiet
 * for heartbeat_ms; that also finds the listeners that went away (suspended
 * connections see no socket events, so a dead one is noticed when it is
 * written to).  At shutdown the server ends every stream first
 * (yw_stream__close_all) so no listener holds the stop.
 */
#include "http/internal.h"

#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STREAM_KEEP 64

struct msg {
    struct msg *next;
    uint64_t seq;
    size_t len;
    char data[];
};

struct listener {
    struct listener *prev, *next;
    struct yw_stream *s;
    struct MHD_Connection *conn;
    uint64_t next_seq; /* the first message not yet sent whole */
    size_t off;        /* bytes of that message already sent */
    char *first;       /* the opening bytes (malloc'd), sent before any message */
    size_t first_len, first_off;
    bool suspended;
};

struct yw_stream {
    struct yw_stream *next_stream; /* every stream, for close_all */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct msg *head, *tail; /* the history, oldest first */
    size_t kept;
    uint64_t last_seq;
    struct listener *listeners;
    size_t nlisteners;
    bool closing;
    int64_t heartbeat_ms;
    char *heartbeat;
    size_t heartbeat_len;
    int64_t last_publish_ms;
    pthread_t thread;
    bool has_thread;
};

static pthread_mutex_t all_mu = PTHREAD_MUTEX_INITIALIZER;
static struct yw_stream *all_streams;

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wake every suspended listener (mu held). */
static void
wake_all(struct yw_stream *s)
{
    for (struct listener *l = s->listeners; l; l = l->next) {
        if (l->suspended) {
            l->suspended = false;
            MHD_resume_connection(l->conn);
        }
    }
}

static void
append(struct yw_stream *s, const char *data, size_t len)
{
    struct msg *m = yw_xmalloc(sizeof *m + len);
    m->next = NULL;
    m->seq = ++s->last_seq;
    m->len = len;
    memcpy(m->data, data, len);
    if (s->tail)
        s->tail->next = m;
    else
        s->head = m;
    s->tail = m;
    s->kept++;
    while (s->kept > STREAM_KEEP) {
        struct msg *old = s->head;
        s->head = old->next;
        free(old);
        s->kept--;
    }
    s->last_publish_ms = mono_ms();
    wake_all(s);
}

static void *
heartbeat_main(void *arg)
{
    struct yw_stream *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->closing) {
        int64_t due = s->last_publish_ms + s->heartbeat_ms;
        int64_t now = mono_ms();
        if (now >= due) {
            if (s->nlisteners > 0)
                append(s, s->heartbeat, s->heartbeat_len);
            else
                s->last_publish_ms = now;
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t wait = due - now;
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

struct yw_stream *
yw_stream_new(int64_t heartbeat_ms, const char *heartbeat)
{
    struct yw_stream *s = yw_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->heartbeat_ms = heartbeat_ms;
    s->last_publish_ms = mono_ms();
    if (heartbeat_ms > 0 && heartbeat) {
        s->heartbeat = yw_xstrdup(heartbeat);
        s->heartbeat_len = strlen(heartbeat);
        if (pthread_create(&s->thread, NULL, heartbeat_main, s) == 0)
            s->has_thread = true;
        else
            yw_log_warn("http", "no heartbeat thread for a stream: %s", strerror(errno));
    }
    pthread_mutex_lock(&all_mu);
    s->next_stream = all_streams;
    all_streams = s;
    pthread_mutex_unlock(&all_mu);
    return s;
}

static void
close_one(struct yw_stream *s)
{
    pthread_mutex_lock(&s->mu);
    s->closing = true;
    pthread_cond_broadcast(&s->cv);
    wake_all(s);
    pthread_mutex_unlock(&s->mu);
}

void
yw_stream__close_all(void)
{
    pthread_mutex_lock(&all_mu);
    for (struct yw_stream *s = all_streams; s; s = s->next_stream)
        close_one(s);
    pthread_mutex_unlock(&all_mu);
}

void
yw_stream_free(struct yw_stream *s)
{
    if (s == NULL)
        return;
    close_one(s);
    if (s->has_thread)
        pthread_join(s->thread, NULL);
    pthread_mutex_lock(&all_mu);
    for (struct yw_stream **p = &all_streams; *p; p = &(*p)->next_stream) {
        if (*p == s) {
            *p = s->next_stream;
            break;
        }
    }
    pthread_mutex_unlock(&all_mu);
    /* listeners still open (the daemon stopped first in practice) keep the
     * stream: it is freed only when none is left */
    pthread_mutex_lock(&s->mu);
    bool empty = s->listeners == NULL;
    pthread_mutex_unlock(&s->mu);
    if (!empty)
        return;
    while (s->head) {
        struct msg *m = s->head;
        s->head = m->next;
        free(m);
    }
    free(s->heartbeat);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

void
yw_stream_publish(struct yw_stream *s, const char *data, size_t len)
{
    if (s == NULL || len == 0)
        return;
    pthread_mutex_lock(&s->mu);
    if (!s->closing)
        append(s, data, len);
    pthread_mutex_unlock(&s->mu);
}

uint64_t
yw_stream_seq(struct yw_stream *s)
{
    pthread_mutex_lock(&s->mu);
    uint64_t n = s->last_seq;
    pthread_mutex_unlock(&s->mu);
    return n;
}

size_t
yw_stream_listeners(struct yw_stream *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->nlisteners;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int
yw_resp_stream(struct yw_req *req, struct yw_stream *s, const char *content_type, const char *first,
               size_t first_len, uint64_t after)
{
    struct listener *l = yw_xcalloc(1, sizeof *l);
    l->s = s;
    l->next_seq = after + 1;
    if (first_len) {
        l->first = yw_xmalloc(first_len);
        memcpy(l->first, first, first_len);
        l->first_len = first_len;
    }
    yw_http__resp_clear(req);
    req->resp_stream = l;
    req->status = 200;
    req->content_type = content_type;
    return 0;
}

static ssize_t
reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct listener *l = cls;
    struct yw_stream *s = l->s;
    size_t n = 0;
    pthread_mutex_lock(&s->mu);
    if (s->closing) {
        pthread_mutex_unlock(&s->mu);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (l->first_off < l->first_len) {
        size_t k = l->first_len - l->first_off;
        if (k > max)
            k = max;
        memcpy(buf, l->first + l->first_off, k);
        l->first_off += k;
        n = k;
    }
    if (s->head && l->next_seq < s->head->seq) { /* fell behind the history */
        l->next_seq = s->head->seq;
        l->off = 0;
    }
    for (struct msg *m = s->head; m && n < max; m = m->next) {
        if (m->seq < l->next_seq)
            continue;
        size_t k = m->len - l->off;
        if (k > max - n)
            k = max - n;
        memcpy(buf + n, m->data + l->off, k);
        n += k;
        l->off += k;
        if (l->off == m->len) {
            l->next_seq = m->seq + 1;
            l->off = 0;
        }
    }
    if (n == 0) {
        l->suspended = true;
        MHD_suspend_connection(l->conn);
    }
    pthread_mutex_unlock(&s->mu);
    return (ssize_t)n;
}

static void
reader_done(void *cls)
{
    struct listener *l = cls;
    struct yw_stream *s = l->s;
    pthread_mutex_lock(&s->mu);
    if (l->prev)
        l->prev->next = l->next;
    else if (s->listeners == l)
        s->listeners = l->next;
    if (l->next)
        l->next->prev = l->prev;
    s->nlisteners--;
    pthread_mutex_unlock(&s->mu);
    free(l->first);
    free(l);
}

struct MHD_Response *
yw_http__stream_response(struct yw_req *req)
{
    struct listener *l = req->resp_stream;
    struct yw_stream *s = l->s;
    l->conn = req->conn;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, l, reader_done);
    if (r == NULL)
        return NULL; /* resp_clear frees l */
    req->resp_stream = NULL;
    pthread_mutex_lock(&s->mu);
    l->next = s->listeners;
    if (l->next)
        l->next->prev = l;
    s->listeners = l;
    s->nlisteners++;
    pthread_mutex_unlock(&s->mu);
    return r;
}

void
yw_http__stream_drop(void *listener)
{
    struct listener *l = listener;
    if (l) {
        free(l->first);
        free(l);
    }
}
