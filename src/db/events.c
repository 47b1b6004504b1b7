/*
 * events.c - in-transaction publish/subscribe and the outbox (see events.h;
 * the events themselves are the table in core/events.h).
 */
#include "db/events.h"

#include "core/log.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBS 64

struct sub {
    bool all;
    enum yw_event ev;
    yw_event_fn fn;
    void *ctx;
};
static struct sub subs[MAX_SUBS];
static int nsubs;

static void
add(struct sub s)
{
    if (nsubs == MAX_SUBS) {
        yw_log_error("db", "too many event subscribers: one for '%s' is not registered",
                     s.all ? "*" : yw_event_wire(s.ev));
        return;
    }
    subs[nsubs++] = s;
}

void
yw_events_subscribe(enum yw_event ev, yw_event_fn fn, void *ctx)
{
    add((struct sub){ .ev = ev, .fn = fn, .ctx = ctx });
}

void
yw_events_subscribe_all(yw_event_fn fn, void *ctx)
{
    add((struct sub){ .all = true, .fn = fn, .ctx = ctx });
}

void
yw_events_reset(void)
{
    nsubs = 0;
}

/* The first field of ev's row that payload lacks (copied into `missing`), or
 * false when it has them all. */
static bool
lacks_field(enum yw_event ev, json_t *payload, char *missing, size_t n)
{
    const char *p = yw_event_fields(ev);
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)len, p);
        if (json_object_get(payload, key) == NULL) {
            snprintf(missing, n, "%s", key);
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

int
yw_events_publish(struct yw_dbc *c, enum yw_event ev, json_t *payload, struct yw_err *err)
{
    const char *name = yw_event_wire(ev);
    if (name == NULL) {
        yw_log_error("db", "event %d published: no such event", (int)ev);
        return yw_fail(err, YW_EINVAL, "", "no event %d", (int)ev);
    }
    char missing[64];
    if (!json_is_object(payload) || lacks_field(ev, payload, missing, sizeof missing)) {
        if (!json_is_object(payload))
            snprintf(missing, sizeof missing, "(the payload is not an object)");
        yw_log_error("db", "event '%s' published without its field %s (core/events.h declares %s)",
                     name, missing, yw_event_fields(ev));
        return yw_fail(err, YW_EINVAL, "", "event '%s' lacks its field %s", name, missing);
    }
    if (!yw_dbc_in_tx(c))
        return yw_fail(err, YW_EINTERNAL, "", "event '%s' published outside a transaction", name);
    for (int i = 0; i < nsubs; i++) {
        if (!subs[i].all && subs[i].ev != ev)
            continue;
        int rc = subs[i].fn(c, name, payload, subs[i].ctx, err);
        if (rc)
            return rc;
    }
    char *text = json_dumps(payload, JSON_COMPACT);
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_run(c, "INSERT INTO outbox_events (name, payload, created_at) VALUES (?, ?, ?)",
                       "sss", name, text ? text : "{}", now);
    free(text);
    return rc;
}
