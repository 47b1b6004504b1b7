/*
 * feed.c - the hall screen's live feed: server-sent events on
 * GET /api/v1/public/hall/events, one http/ stream (yw_stream) for every
 * screen this node serves.
 *
 * A change to the queue (a number taken, called, recalled, served) calls
 * yw_svc__hall_changed inside its transaction: on PostgreSQL that is a
 * NOTIFY on svc_hall, heard by every node's listener after the commit; on
 * this node it also wakes the feed once the transaction committed
 * (yw_db_after_tx), which is all SQLite - served by one node - needs.  The
 * feed thread then reads the screen once (one query per node and change, not
 * one per screen) and, when its version moved, publishes it as one
 * `event: screen` to every listener.  It also looks every five seconds, so a
 * notification lost while the listener reconnected costs at most that.
 */
#include "services/internal.h"

#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FEED_LOOK_MS      5000
#define FEED_HEARTBEAT_MS 15000

static struct {
    struct yw_app *app;
    struct yw_stream *stream;
    struct yw_db_listener *listener;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool wake, stop;
    char version[128];
} feed = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void
wake(int64_t arg)
{
    (void)arg;
    pthread_mutex_lock(&feed.mu);
    feed.wake = true;
    pthread_cond_signal(&feed.cv);
    pthread_mutex_unlock(&feed.mu);
}

static void
heard(const char *payload, void *ctx)
{
    (void)payload;
    (void)ctx;
    wake(0);
}

int
yw_svc__hall_changed(struct yw_dbc *c, const char *what)
{
    if (feed.started)
        yw_db_after_tx(c, wake, 0);
    return yw_db_notify(c, "svc_hall", what);
}

char *
yw_svc__screen_event(json_t *screen, size_t *len)
{
    char *data = json_dumps(screen, JSON_COMPACT);
    if (data == NULL)
        return NULL;
    size_t n = strlen(data) + 32;
    char *out = malloc(n);
    if (out)
        *len = (size_t)snprintf(out, n, "event: screen\ndata: %s\n\n", data);
    free(data);
    return out;
}

static void
look(void)
{
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(feed.app->db, &err);
    if (c == NULL)
        return;
    json_t *s = yw_svc__screen_json(c);
    if (s == NULL)
        return;
    const char *v = json_string_value(json_object_get(s, "version"));
    if (v && strcmp(v, feed.version) != 0) {
        snprintf(feed.version, sizeof feed.version, "%s", v);
        size_t len = 0;
        char *ev = yw_svc__screen_event(s, &len);
        if (ev)
            yw_stream_publish(feed.stream, ev, len);
        free(ev);
    }
    json_decref(s);
}

static void *
feed_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&feed.mu);
    while (!feed.stop) {
        if (!feed.wake) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += FEED_LOOK_MS / 1000;
            pthread_cond_timedwait(&feed.cv, &feed.mu, &ts);
            if (feed.stop)
                break;
        }
        feed.wake = false;
        pthread_mutex_unlock(&feed.mu);
        look();
        pthread_mutex_lock(&feed.mu);
    }
    pthread_mutex_unlock(&feed.mu);
    return NULL;
}

int
yw_svc__feed_start(struct yw_app *app, struct yw_err *err)
{
    if (feed.started)
        return 0;
    feed.app = app;
    feed.stream = yw_stream_new(FEED_HEARTBEAT_MS, ": heartbeat\n\n");
    int rc = yw_db_listen(app->db, "svc_hall", heard, NULL, &feed.listener, err);
    if (rc)
        return rc;
    feed.stop = false;
    if (pthread_create(&feed.thread, NULL, feed_main, NULL) != 0) {
        yw_db_listen_stop(feed.listener);
        feed.listener = NULL;
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the hall screen feed");
    }
    feed.started = true;
    return 0;
}

void
yw_svc__feed_stop(void)
{
    if (!feed.started)
        return;
    pthread_mutex_lock(&feed.mu);
    feed.stop = true;
    pthread_cond_signal(&feed.cv);
    pthread_mutex_unlock(&feed.mu);
    pthread_join(feed.thread, NULL);
    yw_db_listen_stop(feed.listener);
    feed.listener = NULL;
    yw_stream_free(feed.stream);
    feed.stream = NULL;
    feed.started = false;
}

struct yw_stream *
yw_svc__feed_stream(void)
{
    return feed.stream;
}
