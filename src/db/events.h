/*
 * events.h - what happened, published inside the transaction that made it
 * happen.
 *
 * A module publishes an event ("case.approved", "license.revoked") while its
 * write transaction is open; every subscriber registered for that name runs at
 * once on the same connection, in the same transaction, and the event is
 * appended to the outbox table for systems outside ywtb.  So a reaction (the
 * licenses module issuing a license when a case is approved) commits together
 * with its cause or not at all, and no module has to include the module that
 * reacts to it.  Subscribers register at start-up from their module's init.
 */
#ifndef YW_DB_EVENTS_H
#define YW_DB_EVENTS_H

#include "db/db.h"

#include <jansson.h>

/* A subscriber: return 0, or an error that aborts the whole transaction. */
typedef int (*yw_event_fn)(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err);

/* Register fn for events called `name` ("*" for all).  Start-up only (not
 * thread-safe against concurrent publishing). */
void yw_events_subscribe(const char *name, yw_event_fn fn, void *ctx);
/* Forget every subscriber (tests, shutdown). */
void yw_events_reset(void);

/* Publish inside c's open write transaction: run the subscribers in order of
 * registration, then append {name, payload} to outbox_events.  Returns 0 or the
 * first subscriber's error.  The payload is not stolen. */
int yw_events_publish(struct yw_dbc *c, const char *name, json_t *payload, struct yw_err *err);

#endif
