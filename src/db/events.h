/*
 * events.h - what happened, published inside the transaction that made it
 * happen.
 *
 * A module publishes an event (YW_EV_CASE_APPROVED, YW_EV_LICENSE_REVOKED:
 * the table of every event, its payload fields and its publisher is
 * core/events.h) while its write transaction is open; every subscriber
 * registered for that event runs at once on the same connection, in the same
 * transaction, and the event is appended to the outbox table, under its wire
 * name ("case.approved"), for systems outside ywtb.  So a reaction (the
 * licenses module issuing a license when a case is approved) commits together
 * with its cause or not at all, and no module has to include the module that
 * reacts to it.  Subscribers register at start-up from their module's init.
 */
#ifndef YW_DB_EVENTS_H
#define YW_DB_EVENTS_H

#include "core/events.h"
#include "db/db.h"

#include <jansson.h>

/* A subscriber: return 0, or an error that aborts the whole transaction.
 * `name` is the event's wire name ("case.approved"). */
typedef int (*yw_event_fn)(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                           struct yw_err *err);

/* Register fn for event ev.  Start-up only (not thread-safe against
 * concurrent publishing).  Up to 64 subscriptions; one more is refused with
 * an error log. */
void yw_events_subscribe(enum yw_event ev, yw_event_fn fn, void *ctx);
/* Register fn for every event. */
void yw_events_subscribe_all(yw_event_fn fn, void *ctx);
/* Forget every subscriber (tests, shutdown). */
void yw_events_reset(void);

/* Publish inside c's open write transaction: check the payload carries every
 * field ev's row declares, run the subscribers in order of registration, then
 * append {wire name, payload} to outbox_events.  Returns 0; YW_EINVAL (and an
 * error log: the publisher has a bug) when ev is not an event or a declared
 * field is missing, and nothing runs; YW_EINTERNAL outside a transaction; or
 * the first subscriber's error.  The payload is not stolen. */
int yw_events_publish(struct yw_dbc *c, enum yw_event ev, json_t *payload, struct yw_err *err);

#endif
