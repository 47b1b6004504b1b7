/*
 * o311_cache.c - the Open311 request list kept as the bytes last sent.
 *
 * GET requests is public and the same for every client that asks the same
 * question: a city's apps poll the first page over and over.  Building a page
 * means reading its orders and writing them out as JSON or XML (most of the
 * cost at 100 requests a page), so a node keeps the answers it sent, by the
 * question (format, filters, page size, cursor), and sends the same bytes
 * again while nothing changed.
 *
 * Staying correct when orders change:
 *   - every transaction that writes an order (store.c: insert, save) calls
 *     yw_hotline__orders_changed(), which bumps the orders' generation after
 *     the commit (db/db.h yw_db_after_tx).  An answer is stored with the
 *     generation read before its query, so one built while a writer
 *     committed is never taken for current;
 *   - what changes behind this node's back - another PostgreSQL node's
 *     writes, a department renamed, SQL by hand - is bounded by
 *     hotline_open311_cache_ms (0: no caching);
 *   - the default window (the last 90 days) is part of the question rounded
 *     down to the minute, so a page never outlives its window by more.
 *
 * When an answer is older than hotline_open311_cache_ms but the orders have
 * not changed, one thread reads it again while the others go on sending the
 * old bytes (for at most another hotline_open311_cache_ms): without that,
 * every connection of a busy node would miss at the same moment and read the
 * same page at once.
 *
 * A small direct-mapped table (the slot chosen by a hash of the question,
 * a newcomer replacing what was there) under one mutex; answers larger than
 * O311_CACHE_MAX are not kept.
 */
#include "hotline/internal.h"

#include "core/clock.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define O311_SLOTS     64
#define O311_CACHE_MAX (1u << 20)

struct slot {
    char *key;  /* NULL = empty */
    char *body; /* the answer's bytes */
    size_t len;
    char *link; /* the Link header, or NULL */
    uint64_t gen;
    int64_t stored_ms;     /* monotonic */
    int64_t refreshing_ms; /* a thread rebuilds it since (0: none) */
};

static struct {
    pthread_mutex_t mu;
    struct slot slots[O311_SLOTS];
    atomic_uint_fast64_t gen;
    atomic_uint_fast64_t hits, misses;
} oc = { PTHREAD_MUTEX_INITIALIZER };

static void
bump(int64_t arg)
{
    (void)arg;
    atomic_fetch_add(&oc.gen, 1);
}

/* The connection this thread registered bump on in its open transaction:
 * once a transaction is enough (db.c allows only a few functions per
 * transaction, and a merge saves many orders).  bump runs on the thread that
 * ended the transaction, committed or rolled back, and clears it. */
static _Thread_local struct yw_dbc *registered_on;

static void
bump_after(int64_t arg)
{
    registered_on = NULL;
    bump(arg);
}

void
yw_hotline__orders_changed(struct yw_dbc *c)
{
    if (!yw_dbc_in_tx(c)) {
        bump(0);
        return;
    }
    if (registered_on == c)
        return;
    registered_on = c;
    yw_db_after_tx(c, bump_after, 0);
}

uint64_t
yw_hotline__o311_gen(void)
{
    return atomic_load(&oc.gen);
}

static size_t
slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h % O311_SLOTS);
}

static int64_t
mono_ms(void)
{
    return yw_clock_mono_ns() / 1000000;
}

static void
slot_clear(struct slot *s)
{
    free(s->key);
    free(s->body);
    free(s->link);
    memset(s, 0, sizeof *s);
}

bool
yw_hotline__o311_cache_get(const char *key, uint64_t gen, char **body, size_t *len, char **link,
                           struct yw_arena *a)
{
    int64_t ttl = yw_hotline__cfg()->hotline_open311_cache_ms;
    if (ttl <= 0)
        return false;
    struct slot *s = &oc.slots[slot_of(key)];
    bool hit = false;
    int64_t now = mono_ms();
    pthread_mutex_lock(&oc.mu);
    bool same = s->key && s->gen == gen && strcmp(s->key, key) == 0;
    if (same && now - s->stored_ms >= ttl) {
        /* stale: this thread refreshes it unless another does (and is not stuck) */
        if (s->refreshing_ms == 0 || now - s->refreshing_ms >= ttl) {
            s->refreshing_ms = now;
            same = false;
        }
    }
    if (same) {
        *body = yw_xmalloc(s->len + 1);
        memcpy(*body, s->body, s->len + 1);
        *len = s->len;
        *link = s->link ? yw_arena_strdup(a, s->link) : NULL;
        hit = true;
    }
    pthread_mutex_unlock(&oc.mu);
    atomic_fetch_add(hit ? &oc.hits : &oc.misses, 1);
    return hit;
}

void
yw_hotline__o311_cache_put(const char *key, uint64_t gen, const char *body, size_t len,
                           const char *link)
{
    if (yw_hotline__cfg()->hotline_open311_cache_ms <= 0 || len > O311_CACHE_MAX)
        return;
    struct slot fresh = { yw_xstrdup(key), yw_xmalloc(len + 1), len,
                          link ? yw_xstrdup(link) : NULL, gen, mono_ms(), 0 };
    memcpy(fresh.body, body, len);
    fresh.body[len] = '\0';
    struct slot *s = &oc.slots[slot_of(key)], old;
    pthread_mutex_lock(&oc.mu);
    old = *s;
    *s = fresh;
    pthread_mutex_unlock(&oc.mu);
    slot_clear(&old);
}

/* /metrics: the kept answers' hits and misses, and the grid index's builds. */
void
yw_hotline__metrics(struct yw_buf *out, void *ctx)
{
    (void)ctx;
    yw_buf_printf(out,
                  "# HELP ywtb_hotline_open311_answers_total Open311 request lists sent from a "
                  "kept answer (hit) or read from the database (miss).\n"
                  "# TYPE ywtb_hotline_open311_answers_total counter\n"
                  "ywtb_hotline_open311_answers_total{result=\"hit\"} %llu\n"
                  "ywtb_hotline_open311_answers_total{result=\"miss\"} %llu\n"
                  "# HELP ywtb_hotline_grid_index_builds_total Times this node built the unit "
                  "grids' spatial index (at start and when the grids changed).\n"
                  "# TYPE ywtb_hotline_grid_index_builds_total counter\n"
                  "ywtb_hotline_grid_index_builds_total %llu\n",
                  (unsigned long long)atomic_load(&oc.hits),
                  (unsigned long long)atomic_load(&oc.misses),
                  (unsigned long long)yw_hotline__grid_index_builds());
}

void
yw_hotline__o311_cache_drop(void)
{
    pthread_mutex_lock(&oc.mu);
    for (int i = 0; i < O311_SLOTS; i++)
        slot_clear(&oc.slots[i]);
    pthread_mutex_unlock(&oc.mu);
}
