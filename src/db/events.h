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
/* Register fn for event ev, to run after the publisher's transaction has
 * committed, from the outbox (see above).  fn gets the dispatcher's
 * connection in a write transaction; an error rolls back fn's changes (and
 * the other after-commit subscribers' of that event) and the event is tried
 * again on a later pass, YW_EVENTS_MAX_ATTEMPTS times in all. */
#define YW_EVENTS_MAX_ATTEMPTS 10
void yw_events_subscribe_after(enum yw_event ev, yw_event_fn fn, void *ctx);
/* Forget every subscriber (tests, shutdown). */
void yw_events_reset(void);

/* Inside an after-commit subscriber: the event's outbox id and the instant it
 * was published (the publisher's clock, core/clock.h); outside one, 0 and
 * now.  Rollups count an event on the day it happened, not the day it was
 * dispatched. */
int64_t yw_events_current_id(void);
int64_t yw_events_time_ms(void);

/* Run the after-commit subscribers of every event pending now (batches of
 * up to 256 events, one transaction each) until none is left that this
 * process can take; *done gets the events handled (may be NULL).  The
 * dispatcher thread calls it; so may a command or a test. */
int yw_events_drain(struct yw_db *db, int *done, struct yw_err *err);
/* The dispatcher thread of `ywtb serve`: a drain at once, then after every
 * transaction that published an event with after-commit subscribers, and
 * every second.  Not started (0 returned, a warning logged) when the
 * environment has YWTB_EVENTS_DISPATCH=0: a node that leaves the dispatch to
 * the others. */
int yw_events_start(struct yw_db *db, struct yw_err *err);
void yw_events_stop(void);
/* Events this process dispatched and subscriber failures (/metrics), and the
 * backlog in the database: events waiting, and events given up after
 * YW_EVENTS_MAX_ATTEMPTS failures (an operator looks at outbox_pending). */
void yw_events_counts(uint64_t *dispatched, uint64_t *failed);
/* Rounds (transactions of up to 256 events) this process committed: in a
 * transaction of their own, and as a job of the group-commit batcher. */
void yw_events_rounds(uint64_t *own, uint64_t *batched);

/* On SQLite, run each round as a job of batcher b (http/server.c, once it
 * started its batcher; NULL before it stops it) instead of a transaction of
 * its own: SQLite has one write lock, and a round of its own takes it - and
 * a durable flush - between the batcher's group commits, which then wait for
 * it in SQLite's busy handler (docs/PERFORMANCE.md, "Flows after the
 * merges").  In the batch the round's effects and the removal of its pending
 * rows still commit together, with the batch.  Waits for a round under way.
 * PostgreSQL keeps its own transactions (row locks: they run beside the
 * batcher). */
struct yw_db_batcher;
void yw_events_use_batcher(struct yw_db_batcher *b);
int yw_events_backlog(struct yw_dbc *c, int64_t *waiting, int64_t *stuck);

/* Publish inside c's open write transaction: check the payload carries every
 * field ev's row declares, run the subscribers in order of registration, then
 * append {wire name, payload} to outbox_events.  Returns 0; YW_EINVAL (and an
 * error log: the publisher has a bug) when ev is not an event or a declared
 * field is missing, and nothing runs; YW_EINTERNAL outside a transaction; or
 * the first subscriber's error.  The payload is not stolen.  An event with
 * after-commit subscribers also gets its row in outbox_pending. */
int yw_events_publish(struct yw_dbc *c, enum yw_event ev, json_t *payload, struct yw_err *err);

#endif
