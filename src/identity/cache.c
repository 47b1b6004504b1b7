/*
 * cache.c - the session cache: who a session token belongs to, kept in memory.
 *
 * Every authenticated request needs the session and its account.  Reading them
 * from the database each time costs a read transaction on SQLite and a round
 * trip on PostgreSQL - more than the rest of a small request - while they
 * change only at login, logout, a password change or an agent/real-name change.
 * So a node keeps, per session token hash, the principal and the caller's own
 * GET /api/v1/me body, and for a GET or HEAD reads the database only when it has no entry, the
 * entry is older than session_cache_ms, or the session's last_seen is due to be
 * written (once a minute).  Expiry (idle and absolute) is still checked on every
 * request against the times the entry carries.
 *
 * Staying correct when rows change:
 *   - whoever changes a session, an account or its profile calls
 *     yw_ident__cache_changed() inside the transaction.  That evicts the
 *     account's entries after the commit (db/db.h yw_db_after_tx) and bumps a
 *     generation counter; an entry read from the database before the bump is not
 *     stored (put compares the generation it read at), so a reader racing the
 *     writer cannot store the old row.
 *   - other nodes hear it through PostgreSQL NOTIFY (db/listen.c), delivered at
 *     commit; while the listener is not connected the cache is bypassed.  SQLite
 *     has one node.
 *   - a request that may change something (not GET/HEAD) never takes its
 *     session from here (sessions.c), so an ended session changes nothing on
 *     any node once its end is committed; only reads on another node may pass
 *     until the NOTIFY arrives.
 *   - session_cache_ms bounds how long anything changed behind ywtb's back (an
 *     operator's SQL) can go unnoticed.
 *
 * The table is direct-mapped: a fixed number of slots (session_cache), the
 * slot chosen by the token hash, a newcomer replacing whatever was there.
 * Striped locks; a lookup copies the entry into the request's arena.
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/clock.h"
#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_STRIPES 64
#define CACHE_ME_MAX  16384 /* larger /me bodies are not kept */
#define CACHE_CHANNEL "ywtb_ident"
#define CLIENTS_PAYLOAD "clients" /* a client changed (client_cache.c) */
#define KEYS_PAYLOAD    "keys"    /* the OIDC signing keys changed (oidc_keys.c) */

struct slot {
    char key[65]; /* session token hash (hex); "" = empty */
    int64_t account_id;
    int64_t loaded_ms; /* monotonic time it was read from the database */
    int64_t last_seen_ms, expires_ms;
    uint32_t roles;
    char *strs; /* login, name, kind, dept, csrf: one allocation */
    const char *login, *name, *kind, *dept, *csrf;
    char *me; /* the GET /api/v1/me body, or NULL */
    size_t me_len;
};

static struct {
    struct slot *slots;
    size_t n;
    int64_t ttl_ms;
    pthread_mutex_t locks[CACHE_STRIPES];
    atomic_uint_fast64_t gen;
    atomic_uint_fast64_t hits, misses;
    atomic_int_fast64_t used; /* slots holding a session now (/metrics) */
    bool need_listener;       /* PostgreSQL: only trusted while listening */
    struct yw_db_listener *listener;
} cache;

static int64_t
mono_ms(void)
{
    return yw_clock_mono_ns() / 1000000;
}

static bool
usable(void)
{
    return cache.n > 0 && (!cache.need_listener || yw_db_listener_up(cache.listener));
}

static size_t
slot_of(const char *key)
{
    uint64_t h = 0;
    for (int i = 0; i < 16 && key[i]; i++) {
        char c = key[i];
        h = h << 4 | (uint64_t)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    return (size_t)(h % cache.n);
}

static pthread_mutex_t *
lock_of(size_t slot)
{
    return &cache.locks[slot % CACHE_STRIPES];
}

static void
slot_clear(struct slot *s)
{
    if (s->key[0])
        atomic_fetch_sub(&cache.used, 1);
    free(s->strs);
    free(s->me);
    memset(s, 0, sizeof *s);
}

/* Evict the entries of one account (or all); later puts of older reads are refused. */
static void
forget(int64_t account_id)
{
    atomic_fetch_add(&cache.gen, 1);
    for (size_t stripe = 0; stripe < CACHE_STRIPES && stripe < cache.n; stripe++) {
        pthread_mutex_lock(&cache.locks[stripe]);
        for (size_t i = stripe; i < cache.n; i += CACHE_STRIPES) {
            struct slot *s = &cache.slots[i];
            if (s->key[0] && (account_id == YW_DB_AFTER_TX_ALL || s->account_id == account_id))
                slot_clear(s);
        }
        pthread_mutex_unlock(&cache.locks[stripe]);
    }
}

/* The registered clients kept in memory (client_cache.c) go with "everything". */
static void
forget_all_or(int64_t account_id)
{
    forget(account_id);
    if (account_id == YW_DB_AFTER_TX_ALL)
        yw_ident__client_cache_forget();
}

static void
heard(const char *payload, void *ctx)
{
    (void)ctx;
    if (payload == NULL) {
        forget_all_or(YW_DB_AFTER_TX_ALL);
        return;
    }
    if (!strcmp(payload, CLIENTS_PAYLOAD)) {
        yw_ident__client_cache_forget();
        return;
    }
    if (!strcmp(payload, KEYS_PAYLOAD)) {
        yw_ident__keys_forget(); /* the keys and the JWKS this node keeps */
        return;
    }
    char *end;
    long long id = strtoll(payload, &end, 10);
    forget_all_or(*end == '\0' && end != payload ? (int64_t)id : YW_DB_AFTER_TX_ALL);
}

int
yw_ident__cache_start(struct yw_app *app, struct yw_err *err)
{
    for (int i = 0; i < CACHE_STRIPES; i++)
        pthread_mutex_init(&cache.locks[i], NULL);
    const struct yw_ident_settings *cfg = yw_ident_cfg(app);
    cache.ttl_ms = cfg->session_cache_ms;
    cache.n = cfg->session_cache > 0 && cache.ttl_ms > 0 ? (size_t)cfg->session_cache : 0;
    /* with no session cache the listener still runs: the clients and the
     * signing keys this node keeps are evicted through it too */
    if (cache.n > 0 && (cache.slots = calloc(cache.n, sizeof *cache.slots)) == NULL) {
        cache.n = 0;
        return yw_fail(err, YW_EINTERNAL, "", "out of memory for %lld session cache slots",
                       (long long)cfg->session_cache);
    }
    cache.need_listener = yw_db_engine(app->db) == YW_DB_PG;
    int rc = yw_db_listen(app->db, CACHE_CHANNEL, heard, NULL, &cache.listener, err);
    if (rc) {
        free(cache.slots);
        cache.slots = NULL;
        cache.n = 0;
    }
    return rc;
}

void
yw_ident__cache_stop(void)
{
    yw_db_listen_stop(cache.listener);
    cache.listener = NULL;
    for (size_t i = 0; i < cache.n; i++)
        slot_clear(&cache.slots[i]);
    free(cache.slots);
    cache.slots = NULL;
    cache.n = 0;
}

uint64_t
yw_ident__cache_gen(void)
{
    return atomic_load(&cache.gen);
}

bool
yw_ident__cache_get(const char *key, struct yw_arena *a, struct yw_principal *who,
                    int64_t *last_seen_ms, int64_t *expires_ms)
{
    if (!usable())
        return false;
    size_t i = slot_of(key);
    struct slot *s = &cache.slots[i];
    bool hit = false;
    pthread_mutex_lock(lock_of(i));
    if (strcmp(s->key, key) == 0 && mono_ms() - s->loaded_ms < cache.ttl_ms) {
        who->account_id = s->account_id;
        who->roles = s->roles;
        who->login = yw_arena_strdup(a, s->login);
        who->name = yw_arena_strdup(a, s->name);
        who->kind = yw_arena_strdup(a, s->kind);
        who->dept = yw_arena_strdup(a, s->dept);
        who->csrf = yw_arena_strdup(a, s->csrf);
        *last_seen_ms = s->last_seen_ms;
        *expires_ms = s->expires_ms;
        hit = true;
    }
    pthread_mutex_unlock(lock_of(i));
    atomic_fetch_add(hit ? &cache.hits : &cache.misses, 1);
    return hit;
}

void
yw_ident__cache_put(const char *key, uint64_t gen, const struct yw_principal *who,
                    int64_t last_seen_ms, int64_t expires_ms)
{
    if (!usable() || strlen(key) >= sizeof cache.slots[0].key)
        return;
    const char *parts[5] = { who->login, who->name, who->kind, who->dept, who->csrf };
    size_t lens[5], total = 0;
    for (int k = 0; k < 5; k++)
        total += (lens[k] = strlen(parts[k] ? parts[k] : "")) + 1;
    char *strs = malloc(total);
    if (strs == NULL)
        return;
    const char *at[5];
    char *p = strs;
    for (int k = 0; k < 5; k++) {
        memcpy(p, parts[k] ? parts[k] : "", lens[k] + 1);
        at[k] = p;
        p += lens[k] + 1;
    }
    size_t i = slot_of(key);
    struct slot *s = &cache.slots[i];
    pthread_mutex_lock(lock_of(i));
    if (atomic_load(&cache.gen) != gen) {
        /* something changed since the read began: the read may be stale */
        pthread_mutex_unlock(lock_of(i));
        free(strs);
        return;
    }
    slot_clear(s);
    snprintf(s->key, sizeof s->key, "%s", key);
    atomic_fetch_add(&cache.used, 1);
    s->account_id = who->account_id;
    s->roles = who->roles;
    s->loaded_ms = mono_ms();
    s->last_seen_ms = last_seen_ms;
    s->expires_ms = expires_ms;
    s->strs = strs;
    s->login = at[0];
    s->name = at[1];
    s->kind = at[2];
    s->dept = at[3];
    s->csrf = at[4];
    pthread_mutex_unlock(lock_of(i));
}

char *
yw_ident__cache_get_me(const char *key, size_t *len)
{
    if (!usable())
        return NULL;
    size_t i = slot_of(key);
    struct slot *s = &cache.slots[i];
    char *copy = NULL;
    pthread_mutex_lock(lock_of(i));
    if (s->me && strcmp(s->key, key) == 0 && mono_ms() - s->loaded_ms < cache.ttl_ms) {
        copy = malloc(s->me_len);
        if (copy) {
            memcpy(copy, s->me, s->me_len);
            *len = s->me_len;
        }
    }
    pthread_mutex_unlock(lock_of(i));
    return copy;
}

void
yw_ident__cache_put_me(const char *key, uint64_t gen, const char *body, size_t len)
{
    if (!usable() || len > CACHE_ME_MAX)
        return;
    char *copy = malloc(len);
    if (copy == NULL)
        return;
    memcpy(copy, body, len);
    size_t i = slot_of(key);
    struct slot *s = &cache.slots[i];
    pthread_mutex_lock(lock_of(i));
    if (atomic_load(&cache.gen) == gen && strcmp(s->key, key) == 0) {
        free(s->me);
        s->me = copy;
        s->me_len = len;
        copy = NULL;
    }
    pthread_mutex_unlock(lock_of(i));
    free(copy);
}

static void
forget_after_tx(int64_t account_id)
{
    forget_all_or(account_id);
}

bool
yw_ident__cache_trusted(void)
{
    return usable();
}

static void
clients_forget_after_tx(int64_t unused)
{
    (void)unused;
    yw_ident__client_cache_forget();
}

int
yw_ident__clients_changed(struct yw_dbc *c)
{
    yw_ident__client_cache_forget();
    yw_db_after_tx(c, clients_forget_after_tx, 0);
    /* acknowledged like a session's change: a client disabled, enabled or
     * given a new secret on one node is so on every node once answered */
    return yw_db_notify_sync(c, CACHE_CHANNEL, CLIENTS_PAYLOAD);
}

int
yw_ident__keys_changed(struct yw_dbc *c)
{
    /* every node drops its keys and JWKS before the rotation is answered */
    return yw_db_notify_sync(c, CACHE_CHANNEL, KEYS_PAYLOAD);
}

int
yw_ident__cache_changed(struct yw_dbc *c, int64_t account_id)
{
    forget_all_or(account_id);
    yw_db_after_tx(c, forget_after_tx, account_id);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)account_id);
    /* the request that made the change is answered only once every node has
     * dropped its copy (db/listen.c), so no node serves an ended session after */
    return yw_db_notify_sync(c, CACHE_CHANNEL, id);
}

void
yw_ident_cache_stats(uint64_t *hits, uint64_t *misses)
{
    *hits = atomic_load(&cache.hits);
    *misses = atomic_load(&cache.misses);
}

void
yw_ident_cache_size(int64_t *used, int64_t *slots)
{
    *used = atomic_load(&cache.used);
    *slots = (int64_t)cache.n;
}

bool
yw_ident_cache_listen(struct yw_app *app, int timeout_ms)
{
    struct yw_err err = { 0 };
    if (cache.listener == NULL && yw_ident__cache_start(app, &err) != 0)
        return false;
    for (int waited = 0; !yw_db_listener_up(cache.listener); waited += 10) {
        if (cache.listener == NULL || waited >= timeout_ms)
            return false;
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return true;
}

void
yw_ident_cache_unlisten(void)
{
    yw_ident__cache_stop();
}
