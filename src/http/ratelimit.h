/*
 * ratelimit.h - per-client request rate limits for expensive public routes
 * (registration hashes a password; the public case-status query guesses at
 * ID numbers).  A route row's `rate_per_min` turns it on; the router answers
 * 429 rate_limited with Retry-After when a client address exceeds it.
 *
 * Token buckets in a fixed table in memory (no allocation, striped locks);
 * limits are per node.  Account lockout after failed logins is separate and
 * lives in the database (identity), so it holds across nodes.
 */
#ifndef YW_HTTP_RATELIMIT_H
#define YW_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Take one token for (scope, client) at time now_ms with `per_min` tokens a
 * minute (burst = per_min).  Returns true when allowed; otherwise false and
 * *retry_after_s says when the next token is due. */
bool yw_ratelimit_take(uint32_t scope, const char *client, unsigned per_min, int64_t now_ms,
                       unsigned *retry_after_s);
/* The same bucket kept in the database (table rate_buckets), so that every
 * node of a PostgreSQL deployment takes from one bucket per (route, client):
 * one statement updates it atomically.  key names the route ("GET /path").
 * Returns 1 (taken), 0 (refused, *retry_after_s set) or a negative code when
 * the database failed (the caller falls back to yw_ratelimit_take). */
struct yw_dbc;
int yw_ratelimit_take_shared(struct yw_dbc *c, const char *key, const char *client,
                             unsigned per_min, int64_t now_ms, unsigned *retry_after_s);
/* For a caller that takes the shared bucket's token inside its own statement
 * (db.h YW_DB_RATE_TAKE_CTE): the bucket's key of (key, client), the one
 * yw_ratelimit_take_shared uses, written into buf (n bytes); and the
 * Retry-After of a refusal that left milli_tokens (tokens x 1000). */
const char *yw_ratelimit_shared_key(char *buf, size_t n, const char *key, const char *client);
unsigned yw_ratelimit_retry_after(unsigned per_min, int64_t milli_tokens);
/* Forget every bucket (tests). */
void yw_ratelimit_reset(void);

#endif
