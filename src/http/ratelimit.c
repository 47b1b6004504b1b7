/*
 * ratelimit.c - token buckets keyed by (scope, client address) (see ratelimit.h):
 * in memory for one node, in the database (rate_buckets) when several nodes
 * share a PostgreSQL database.
 */
#include "http/ratelimit.h"

#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define NBUCKETS 8192
#define NSTRIPES 64

struct bucket {
    uint64_t key; /* 0 = empty */
    double tokens;
    int64_t last_ms;
};

static struct bucket buckets[NBUCKETS];
static pthread_mutex_t stripes[NSTRIPES] = { [0 ... NSTRIPES - 1] = PTHREAD_MUTEX_INITIALIZER };

static uint64_t
key_of(uint32_t scope, const char *client)
{
    uint64_t h = 1469598103934665603ULL ^ scope;
    for (const char *p = client; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ? h : 1;
}

bool
yw_ratelimit_take(uint32_t scope, const char *client, unsigned per_min, int64_t now_ms,
                  unsigned *retry_after_s)
{
    if (per_min == 0)
        return true;
    uint64_t key = key_of(scope, client ? client : "");
    size_t i = key % NBUCKETS;
    pthread_mutex_t *mu = &stripes[i % NSTRIPES];
    double rate = per_min / 60000.0; /* tokens per ms */
    bool ok;
    pthread_mutex_lock(mu);
    struct bucket *b = &buckets[i];
    if (b->key != key) {
        /* empty, or another client hashed here: start this client full */
        b->key = key;
        b->tokens = per_min;
        b->last_ms = now_ms;
    }
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * rate;
        if (b->tokens > per_min)
            b->tokens = per_min;
        b->last_ms = now_ms;
    }
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
        ok = true;
    } else {
        ok = false;
        if (retry_after_s)
            *retry_after_s = (unsigned)((1.0 - b->tokens) / rate / 1000.0) + 1;
    }
    pthread_mutex_unlock(mu);
    return ok;
}

void
yw_ratelimit_reset(void)
{
    for (int s = 0; s < NSTRIPES; s++)
        pthread_mutex_lock(&stripes[s]);
    memset(buckets, 0, sizeof buckets);
    for (int s = NSTRIPES; s-- > 0;)
        pthread_mutex_unlock(&stripes[s]);
}

const char *
yw_ratelimit_shared_key(char *buf, size_t n, const char *key, const char *client)
{
    snprintf(buf, n, "%s|%s", key, client ? client : "");
    return buf;
}

unsigned
yw_ratelimit_retry_after(unsigned per_min, int64_t milli_tokens)
{
    double missing = (1000.0 - (double)milli_tokens) / 1000.0; /* tokens short of one */
    return (unsigned)(missing * 60.0 / (per_min ? per_min : 1)) + 1;
}

int
yw_ratelimit_take_shared(struct yw_dbc *c, const char *key, const char *client, unsigned per_min,
                         int64_t now_ms, unsigned *retry_after_s)
{
    if (per_min == 0)
        return 1;
    char k[512];
    int64_t milli = 0;
    int ok = yw_db_rate_take(c, yw_ratelimit_shared_key(k, sizeof k, key, client), per_min, now_ms,
                             &milli);
    if (ok == 0 && retry_after_s)
        *retry_after_s = yw_ratelimit_retry_after(per_min, milli);
    return ok;
}
