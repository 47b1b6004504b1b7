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
    int64_t stored_ms; /* monotonic */
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

void
yw_hotline__orders_changed(struct yw_dbc *c)
{
    yw_db_after_tx(c, bump, 0);
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
    pthread_mutex_lock(&oc.mu);
    if (s->key && s->gen == gen && strcmp(s->key, key) == 0 && mono_ms() - s->stored_ms < ttl) {
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
                          link ? yw_xstrdup(link) : NULL, gen, mono_ms() };
    memcpy(fresh.body, body, len);
    fresh.body[len] = '\0';
    struct slot *s = &oc.slots[slot_of(key)], old;
    pthread_mutex_lock(&oc.mu);
    old = *s;
    *s = fresh;
    pthread_mutex_unlock(&oc.mu);
    slot_clear(&old);
}

void
yw_hotline__o311_cache_counts(uint64_t *hits, uint64_t *misses)
{
    *hits = atomic_load(&oc.hits);
    *misses = atomic_load(&oc.misses);
}

void
yw_hotline__o311_cache_drop(void)
{
    pthread_mutex_lock(&oc.mu);
    for (int i = 0; i < O311_SLOTS; i++)
        slot_clear(&oc.slots[i]);
    pthread_mutex_unlock(&oc.mu);
}
