/*
 * cache.c - a node's cache of dashboard answers (GET /api/v1/supervision/
 * stats), good while the rollups have not moved.
 *
 * Every add to a rollup bumps sup_stats_version in the event's transaction
 * (stats.c), so a request reads that one row first and answers from the
 * cache when an answer of the same period, department and size was made at
 * that version, on this node or after a commit on another (the version lives
 * in the shared database).  The version is read before the figures: an
 * answer computed after a concurrent commit is at least as new as its
 * version, never older.  supervision_stats_cache entries (0: off), the
 * oldest replaced first.  A miss is computed by one request at a time
 * (yw_sup__cache_fill_lock): when the version moves, the requests that find
 * the same question missing wait for the first one's answer instead of all
 * summing the rollups at once.
 */
#include "supervision/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX 256

struct entry {
    char *key;
    char *body;
    size_t len;
    int64_t version;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t fill_mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry entries[CACHE_MAX];
static int next_slot;

int
yw_sup__stats_version(struct yw_dbc *c, int64_t *v)
{
    return yw_db_one_int(c, v, "SELECT v FROM sup_stats_version WHERE id = 1", "");
}

static int
size_now(void)
{
    int64_t n = yw_sup__cfg()->supervision_stats_cache;
    return n > CACHE_MAX ? CACHE_MAX : (int)n;
}

char *
yw_sup__cache_get(const char *key, int64_t version, size_t *len)
{
    char *copy = NULL;
    int n = size_now();
    pthread_mutex_lock(&mu);
    for (int i = 0; i < n; i++) {
        struct entry *e = &entries[i];
        if (e->key && e->version == version && !strcmp(e->key, key)) {
            if ((copy = malloc(e->len + 1))) {
                memcpy(copy, e->body, e->len + 1);
                *len = e->len;
            }
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    return copy;
}

void
yw_sup__cache_put(const char *key, int64_t version, const char *body, size_t len)
{
    int n = size_now();
    if (n <= 0)
        return;
    char *k = strdup(key), *b = malloc(len + 1);
    if (k == NULL || b == NULL) {
        free(k);
        free(b);
        return; /* the answer is simply not kept */
    }
    memcpy(b, body, len);
    b[len] = '\0';
    pthread_mutex_lock(&mu);
    int slot = -1;
    for (int i = 0; i < n && slot < 0; i++)
        if (entries[i].key && !strcmp(entries[i].key, key))
            slot = i; /* the same question at an older version */
    if (slot < 0)
        slot = next_slot++ % n;
    struct entry *e = &entries[slot];
    free(e->key);
    free(e->body);
    *e = (struct entry){ .key = k, .body = b, .len = len, .version = version };
    pthread_mutex_unlock(&mu);
}

void
yw_sup__cache_fill_lock(void)
{
    if (size_now() > 0)
        pthread_mutex_lock(&fill_mu);
}

void
yw_sup__cache_fill_unlock(void)
{
    if (size_now() > 0)
        pthread_mutex_unlock(&fill_mu);
}

void
yw_sup__cache_clear(void)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < CACHE_MAX; i++) {
        free(entries[i].key);
        free(entries[i].body);
        entries[i] = (struct entry){ 0 };
    }
    next_slot = 0;
    pthread_mutex_unlock(&mu);
}
