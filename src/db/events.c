/*
 * events.c - in-transaction publish/subscribe and the outbox (see events.h).
 */
#include "db/events.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SUBS 64

struct sub {
    const char *name;
    yw_event_fn fn;
    void *ctx;
};
static struct sub subs[MAX_SUBS];
static int nsubs;

void
yw_events_subscribe(const char *name, yw_event_fn fn, void *ctx)
{
    if (nsubs < MAX_SUBS)
        subs[nsubs++] = (struct sub){ name, fn, ctx };
}

void
yw_events_reset(void)
{
    nsubs = 0;
}

int
yw_events_publish(struct yw_dbc *c, const char *name, json_t *payload, struct yw_err *err)
{
    if (!yw_dbc_in_tx(c))
        return yw_fail(err, YW_EINTERNAL, "", "event '%s' published outside a transaction", name);
    for (int i = 0; i < nsubs; i++) {
        if (strcmp(subs[i].name, name) != 0 && strcmp(subs[i].name, "*") != 0)
            continue;
        int rc = subs[i].fn(c, name, payload, subs[i].ctx, err);
        if (rc)
            return rc;
    }
    char *text = json_dumps(payload, JSON_COMPACT);
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_run(c, "INSERT INTO outbox_events (name, payload, created_at) VALUES (?, ?, ?)", "sss", name,
                       text ? text : "{}", now);
    free(text);
    return rc;
}
