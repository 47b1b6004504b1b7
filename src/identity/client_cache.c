/*
 * client_cache.c - registered clients kept in memory, for the token endpoint.
 *
 * Every token request authenticates a client, and clients change only when an
 * administrator changes them (clients.c).  Reading the client's row on every
 * request put a read on the group commit's one thread (oidc_token.c runs
 * there); this keeps a copy of each client that was asked for, and the token
 * endpoint reads the table only on a miss.
 *
 * Staying correct: every change of a client (settings, secret, keys,
 * disable / enable) calls yw_ident__clients_changed() (cache.c) in its
 * transaction, which empties this cache after the commit on this node and -
 * PostgreSQL NOTIFY on the session cache's channel - on every other node; a
 * generation counter keeps a read racing such a change from storing the old
 * row.  The session cache's own rules apply: nothing is trusted while a
 * PostgreSQL node's listener is down, nor for longer than session_cache_ms
 * (which bounds what an operator's SQL behind ywtb's back can go unnoticed).
 * An unknown client_id is never stored (a caller must not fill memory with
 * names), so it always costs its read.
 *
 * The table is direct-mapped (CLIENT_SLOTS, by a hash of the client_id) under
 * one lock; a lookup copies the client into the request's arena.
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/clock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_SLOTS  512
#define CLIENT_FIELDS 16

struct slot {
    bool used;
    uint64_t gen;
    int64_t loaded_ms; /* monotonic */
    struct yw_ident_client_rec rec; /* strings point into strs */
    char *strs;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[CLIENT_SLOTS];
static atomic_uint_fast64_t gen = 1;

/* The string fields of a record, in one order, for copying. */
static void
fields(struct yw_ident_client_rec *r, const char **f[CLIENT_FIELDS])
{
    const char **list[CLIENT_FIELDS] = {
        &r->client_id,  &r->name,   &r->dept,       &r->kind,          &r->secret_hash,
        &r->redirect_uris, &r->logout_uris, &r->scopes, &r->grant_types, &r->id_token_alg,
        &r->status,     &r->created_at, &r->updated_at, &r->secret_at,  &r->jwks,
        &r->sector,
    };
    memcpy(f, list, sizeof list);
}

static size_t
slot_of(const char *id)
{
    uint32_t h = 2166136261u;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % CLIENT_SLOTS;
}

void
yw_ident__client_cache_forget(void)
{
    atomic_fetch_add(&gen, 1);
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < CLIENT_SLOTS; i++) {
        free(slots[i].strs);
        memset(&slots[i], 0, sizeof slots[i]);
    }
    pthread_mutex_unlock(&mu);
}

/* Copy rec's strings into one allocation (put) or into arena a (get). */
static void
copy_rec(const struct yw_ident_client_rec *src, struct yw_ident_client_rec *dst, struct yw_arena *a,
         char **block)
{
    struct yw_ident_client_rec s = *src;
    *dst = s;
    const char **fs[CLIENT_FIELDS], **fd[CLIENT_FIELDS];
    fields(&s, fs);
    fields(dst, fd);
    size_t total = 0;
    for (int i = 0; i < CLIENT_FIELDS; i++)
        total += strlen(*fs[i] ? *fs[i] : "") + 1;
    char *p = a ? yw_arena_alloc(a, total) : yw_xmalloc(total);
    if (block)
        *block = p;
    for (int i = 0; i < CLIENT_FIELDS; i++) {
        const char *v = *fs[i] ? *fs[i] : "";
        size_t n = strlen(v) + 1;
        memcpy(p, v, n);
        *fd[i] = p;
        p += n;
    }
}

int
yw_ident__client_cached(struct yw_dbc *c, struct yw_app *app, struct yw_arena *a,
                        const char *client_id, struct yw_ident_client_rec *out)
{
    memset(out, 0, sizeof *out);
    if (!yw_ident__client_id_ok(client_id))
        return YW_ENOTFOUND;
    int64_t ttl = yw_ident_cfg(app)->session_cache_ms;
    bool trusted = ttl > 0 && yw_ident__cache_trusted();
    size_t i = slot_of(client_id);
    int64_t now = yw_clock_mono_ns() / 1000000;
    if (trusted) {
        bool hit = false;
        pthread_mutex_lock(&mu);
        struct slot *s = &slots[i];
        if (s->used && s->gen == atomic_load(&gen) && now - s->loaded_ms < ttl &&
            !strcmp(s->rec.client_id, client_id)) {
            copy_rec(&s->rec, out, a, NULL);
            hit = true;
        }
        pthread_mutex_unlock(&mu);
        if (hit)
            return 0;
    }
    uint64_t g = atomic_load(&gen); /* before the read: a change after it is not stored */
    int rc = yw_ident__client_load(c, a, client_id, out);
    if (rc || !trusted)
        return rc;
    pthread_mutex_lock(&mu);
    if (g == atomic_load(&gen)) {
        struct slot *s = &slots[i];
        free(s->strs);
        copy_rec(out, &s->rec, NULL, &s->strs);
        s->used = true;
        s->gen = g;
        s->loaded_ms = now;
    }
    pthread_mutex_unlock(&mu);
    return 0;
}

