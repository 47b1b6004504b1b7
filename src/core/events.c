/*
 * events.c - lookups over the event table in events.h.  Publishing and
 * subscribing live in db/events.c (they need a transaction).
 */
#include "core/events.h"

#include <stdbool.h>
#include <string.h>

static const struct {
    const char *wire, *publisher, *fields;
} rows[YW_EV__COUNT] = {
#define YW_EV_ROW(name, wire, publisher, fields) [YW_EV_##name] = { wire, publisher, fields },
    YW_EVENTS(YW_EV_ROW)
#undef YW_EV_ROW
};

static bool
known(enum yw_event ev)
{
    return (int)ev >= 0 && ev < YW_EV__COUNT;
}

const char *
yw_event_wire(enum yw_event ev)
{
    return known(ev) ? rows[ev].wire : NULL;
}

const char *
yw_event_publisher(enum yw_event ev)
{
    return known(ev) ? rows[ev].publisher : NULL;
}

const char *
yw_event_fields(enum yw_event ev)
{
    return known(ev) ? rows[ev].fields : NULL;
}

int
yw_event_by_wire(const char *wire)
{
    for (int i = 0; wire && i < YW_EV__COUNT; i++)
        if (!strcmp(rows[i].wire, wire))
            return i;
    return -1;
}
