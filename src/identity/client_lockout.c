/*
 * client_lockout.c - guessing a client's secret is slowed like guessing a
 * password, with the failures counted in memory.
 *
 * The policy is the login lockout's (lockout.c, yw_ident__lockout_decide):
 * failures per (client, address) pair with login_free_failures free and then
 * growing waits, ceilings per client (login_account_ceiling) and per address
 * (login_address_ceiling) that take the free failures away; a refused attempt
 * is answered 429 with Retry-After and its secret is not looked at.
 *
 * What differs is where the counts live.  A password is guessable, so the
 * login lockout shares its counts between nodes in the database; a client's
 * secret is 256 random bits that no number of guesses finds, and what the
 * lockout has to do for it is slow floods down - which each node does on its
 * own.  Keeping the counts in memory takes three reads and, for a client that
 * failed before, a write off every token request (they run on the group
 * commit's one thread).  The price, documented in OPERATIONS.md: with N nodes
 * a flood gets N times the attempts, and a restart forgets the counts.  Every
 * failure is still audited (client.auth_failed), durably.
 *
 * As in the database version an attempt is counted as a failure when it is
 * let through (a reservation) and settled after the check: a right secret
 * clears its pair, a wrong one stays.  So attempt k of a pair always sees
 * the k-1 before it, however many run at once.  A pair's failures are
 * forgotten login_window seconds after its last one (all at once: a sliding
 * window would need every time).  The token endpoint counts inside its group
 * commit job; a job that runs again (its batch's COMMIT failed) counts a
 * wrong secret twice - on the side of caution.
 *
 * Tables: pairs, clients and addresses, each 4-way set-associative by hash
 * (a newcomer takes an empty or expired way, else the stalest), under one lock.
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SETS 1024
#define WAYS 4

struct entry {
    char key[200]; /* "" = empty */
    int64_t fails;
    int64_t last_ms;      /* the latest failure (or reservation) */
    int64_t announced_ms; /* a pair with no failures told to wait once */
};

struct table {
    struct entry e[SETS][WAYS];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct table pairs, clients, addrs;

static uint32_t
hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool
expired(const struct entry *e, int64_t now, int64_t window_ms)
{
    return now - e->last_ms > window_ms && now - e->announced_ms > window_ms;
}

/* The entry of key: found, or (create) made in an empty, expired or the
 * stalest way; NULL when absent and not to be made.  An expired entry reads
 * as zero. */
static struct entry *
find(struct table *t, const char *key, bool create, int64_t now, int64_t window_ms)
{
    struct entry *set = t->e[hash(key) % SETS], *victim = NULL;
    int victim_rank = 3; /* 0 empty, 1 expired, 2 live (the stalest goes) */
    for (int w = 0; w < WAYS; w++) {
        struct entry *e = &set[w];
        if (e->key[0] && !strcmp(e->key, key)) {
            if (expired(e, now, window_ms)) {
                e->fails = 0;
                e->announced_ms = 0;
            }
            return e;
        }
        int rank = !e->key[0] ? 0 : expired(e, now, window_ms) ? 1 : 2;
        if (rank < victim_rank ||
            (rank == 2 && victim_rank == 2 && e->last_ms < victim->last_ms)) {
            victim = e;
            victim_rank = rank;
        }
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    snprintf(victim->key, sizeof victim->key, "%s", key);
    return victim;
}

void
yw_ident__client_lock_reserve(const struct yw_ident_settings *cfg, const char *client_id,
                              const char *addr, int64_t now_ms, struct yw_ident_attempt *a)
{
    memset(a, 0, sizeof *a);
    int64_t window = cfg->login_window * 1000;
    char pk[200];
    snprintf(pk, sizeof pk, "%.120s %.64s", client_id, addr);
    pthread_mutex_lock(&mu);
    struct entry *p = find(&pairs, pk, true, now_ms, window);
    struct entry *c = find(&clients, client_id, true, now_ms, window);
    struct entry *d = find(&addrs, addr, true, now_ms, window);
    struct yw_ident_lock_counts n = { .pair = p->fails,
                                      .pair_last_ms = p->last_ms,
                                      .account = c->fails,
                                      .address = d->fails,
                                      .announced_ms = p->announced_ms };
    struct yw_ident_lock_verdict v;
    yw_ident__lockout_decide(cfg, &n, now_ms, &v);
    if (v.wait_ms > 0) {
        if (v.announce)
            p->announced_ms = now_ms;
        a->retry_after = (v.wait_ms + 999) / 1000;
        a->code = v.code;
    } else {
        /* let through: counted as a failure until it is settled */
        a->pair = p->fails;
        a->free = v.free;
        a->id = 1;
        p->fails++;
        c->fails++;
        d->fails++;
        p->last_ms = c->last_ms = d->last_ms = now_ms;
    }
    pthread_mutex_unlock(&mu);
}

void
yw_ident__client_lock_settle(const struct yw_ident_settings *cfg, const char *client_id,
                             const char *addr, const struct yw_ident_attempt *a, bool ok,
                             int64_t now_ms)
{
    if (a->id == 0 || !ok) /* refused (nothing reserved), or a failure: it stays */
        return;
    int64_t window = cfg->login_window * 1000;
    char pk[200];
    snprintf(pk, sizeof pk, "%.120s %.64s", client_id, addr);
    pthread_mutex_lock(&mu);
    /* the right secret clears its pair - its failures leave the ceilings too */
    struct entry *p = find(&pairs, pk, false, now_ms, window);
    int64_t gone = p ? p->fails : 1;
    struct entry *c = find(&clients, client_id, false, now_ms, window);
    struct entry *d = find(&addrs, addr, false, now_ms, window);
    if (c)
        c->fails = c->fails > gone ? c->fails - gone : 0;
    if (d)
        d->fails = d->fails > gone ? d->fails - gone : 0;
    if (p)
        memset(p, 0, sizeof *p);
    pthread_mutex_unlock(&mu);
}
