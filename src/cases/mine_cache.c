/*
 * mine_cache.c - a citizen's own case list and case page, kept in memory as
 * the bytes answered.
 *
 * A person or a company reads their own list (GET /api/v1/cases) and case
 * pages (GET /api/v1/cases/{no}) far more often than anything in them
 * changes, and building either costs several statements and a JSON document.
 * So a node keeps the answered bytes per (account, request) and answers a
 * repeat without touching the database while the entry is valid.
 *
 * Validity, without scanning the cache on a write:
 *   - a global sequence `seq`; a reader takes stamp = seq before its first
 *     read, and the entry keeps it.
 *   - every account has a slot in `bumps` (hashed; a collision only costs a
 *     miss) holding the seq of the last change to its cases.  An entry names the
 *     accounts its bytes depend on (deps: the viewer, the applicant of the
 *     case, the companies whose cases the list shows) and is valid only while
 *     no dep's slot is newer than its stamp.
 *   - whoever changes a case calls yw_cases__mine_changed(c, applicant) inside
 *     the transaction (model.c does it for every timeline row, and every change
 *     a person can see writes one).  It adds the account to a tally (db/tally.h)
 *     whose flush, right before COMMIT, registers one after-transaction call
 *     that bumps every account the transaction touched - after the commit, so
 *     a reader that read the old rows holds an older stamp - and, on
 *     PostgreSQL, sends one acknowledged NOTIFY listing them (db/listen.c): the
 *     change is answered only once every node has bumped them too (a node
 *     ignores its own notifications when they come back: it bumped before
 *     the answer, and bumping again later would only turn hits into misses).
 *     While this
 *     node's listener is not connected the cache is bypassed; when it
 *     (re)connects everything is invalid (`all`).
 *   - an agent authorization granted or revoked (agent.changed, identity)
 *     bumps the agent: their list shows the company's cases, their pages may
 *     or may not be visible.
 *   - the working-day clock in both answers depends on today: an entry is
 *     valid on the day it was built only; cases_mine_cache_ms bounds how long
 *     anything changed behind ywtb's back (an operator's SQL, a department
 *     renamed by a catalog refresh) can go unnoticed.
 *
 * Memory: cases_mine_cache_kib in all, split over 64 stripes, each with its
 * own lock, hash chains and least-recently-used list; an answer larger than a
 * stripe's share is not kept.
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/events.h"
#include "db/tally.h"
#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINE_STRIPES 64
#define MINE_BUCKETS 256   /* per stripe */
#define MINE_BUMPS   16384 /* account slots; a power of two */
#define MINE_CHANNEL "ywtb_cases_mine"
#define MINE_NOTIFY_MAX 7000 /* bytes of account ids in one NOTIFY (PostgreSQL: < 8000) */

struct mine_entry {
    struct mine_entry *prev, *next; /* the stripe's LRU list, most recent first */
    struct mine_entry *chain;       /* the bucket's */
    uint64_t hash;
    int64_t account;
    char key[YW_CASES_MINE_KEY];
    uint64_t stamp;
    int64_t day, loaded_ms;
    int ndeps;
    int64_t deps[YW_CASES_MINE_DEPS];
    char *body;
    size_t len;
};

struct mine_stripe {
    pthread_mutex_t mu;
    struct mine_entry *buckets[MINE_BUCKETS];
    struct mine_entry *head, *tail;
    size_t bytes;
};

static struct {
    struct mine_stripe stripes[MINE_STRIPES];
    bool on;           /* cases_mine_cache_kib > 0 */
    bool pg;           /* several nodes may serve the database */
    size_t stripe_cap; /* bytes per stripe */
    int64_t ttl_ms;
    atomic_uint_fast64_t seq, all;
    atomic_uint_fast64_t bumps[MINE_BUMPS];
    atomic_uint_fast64_t hits, misses;
    atomic_int_fast64_t bytes, entries;
    struct yw_db_listener *listener;
    char node[17]; /* random hex name of this node in its notifications ("<node>;<ids>") */
} mine;

static int64_t
mono_ms(void)
{
    return yw_clock_mono_ns() / 1000000;
}

static int64_t
today(void)
{
    return yw_cal_day_of_ms(yw_clock_now_ms());
}

static bool
usable(void)
{
    return mine.on && (!mine.pg || yw_db_listener_up(mine.listener));
}

static size_t
bump_slot(int64_t account)
{
    uint64_t h = (uint64_t)account * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (MINE_BUMPS - 1);
}

static void
bump(int64_t account)
{
    uint64_t v = atomic_fetch_add(&mine.seq, 1) + 1;
    atomic_uint_fast64_t *b = &mine.bumps[bump_slot(account)];
    uint64_t old = atomic_load(b);
    while (old < v && !atomic_compare_exchange_weak(b, &old, v))
        ;
}

static void
bump_all(void)
{
    uint64_t v = atomic_fetch_add(&mine.seq, 1) + 1;
    uint64_t old = atomic_load(&mine.all);
    while (old < v && !atomic_compare_exchange_weak(&mine.all, &old, v))
        ;
}

static uint64_t
hash_of(int64_t account, const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 8; i++) {
        h ^= (uint64_t)((account >> (8 * i)) & 0xff);
        h *= 1099511628211ull;
    }
    for (const char *p = key; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ull;
    }
    return h;
}

static struct mine_stripe *
stripe_of(uint64_t h)
{
    return &mine.stripes[h % MINE_STRIPES];
}

static struct mine_entry **
bucket_of(struct mine_stripe *s, uint64_t h)
{
    return &s->buckets[(h / MINE_STRIPES) % MINE_BUCKETS];
}

static size_t
cost_of(const struct mine_entry *e)
{
    return sizeof *e + e->len;
}

static void
lru_unlink(struct mine_stripe *s, struct mine_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        s->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        s->tail = e->prev;
    e->prev = e->next = NULL;
}

static void
lru_front(struct mine_stripe *s, struct mine_entry *e)
{
    e->prev = NULL;
    e->next = s->head;
    if (s->head)
        s->head->prev = e;
    s->head = e;
    if (s->tail == NULL)
        s->tail = e;
}

/* Take e out of s and free it (s locked). */
static void
drop(struct mine_stripe *s, struct mine_entry *e)
{
    struct mine_entry **p = bucket_of(s, e->hash);
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    lru_unlink(s, e);
    s->bytes -= cost_of(e);
    atomic_fetch_sub(&mine.bytes, (int64_t)cost_of(e));
    atomic_fetch_sub(&mine.entries, 1);
    free(e->body);
    free(e);
}

static struct mine_entry *
find(struct mine_stripe *s, uint64_t h, int64_t account, const char *key)
{
    for (struct mine_entry *e = *bucket_of(s, h); e; e = e->chain)
        if (e->hash == h && e->account == account && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static bool
valid(const struct mine_entry *e, int64_t day)
{
    if (e->day != day || mono_ms() - e->loaded_ms >= mine.ttl_ms ||
        atomic_load(&mine.all) > e->stamp)
        return false;
    for (int i = 0; i < e->ndeps; i++)
        if (atomic_load(&mine.bumps[bump_slot(e->deps[i])]) > e->stamp)
            return false;
    return true;
}

bool
yw_cases__mine_key(char *out, char kind, int64_t a, int64_t b, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n > YW_CASES_MINE_KEY - 44 || a < 0 || b < 0)
        return false;
    char *p = out;
    *p++ = kind;
    p = yw_put_u64(p, (uint64_t)a);
    *p++ = '.';
    p = yw_put_u64(p, (uint64_t)b);
    *p++ = '.';
    memcpy(p, text ? text : "", n);
    p[n] = '\0';
    return true;
}

bool
yw_cases__mine_begin(int64_t account, const char *key, struct yw_cases_mine_read *r)
{
    r->on = false;
    size_t n = key ? strlen(key) : sizeof r->key;
    if (!usable() || account <= 0 || n >= sizeof r->key)
        return false;
    r->on = true;
    r->account = account;
    memcpy(r->key, key, n + 1);
    r->day = today();
    r->stamp = atomic_load(&mine.seq);
    return true;
}

char *
yw_cases__mine_get(const struct yw_cases_mine_read *r, size_t *len)
{
    if (!r->on)
        return NULL;
    uint64_t h = hash_of(r->account, r->key);
    struct mine_stripe *s = stripe_of(h);
    char *copy = NULL;
    pthread_mutex_lock(&s->mu);
    struct mine_entry *e = find(s, h, r->account, r->key);
    if (e && !valid(e, r->day)) {
        drop(s, e);
        e = NULL;
    }
    if (e && (copy = malloc(e->len ? e->len : 1)) != NULL) {
        memcpy(copy, e->body, e->len);
        *len = e->len;
        lru_unlink(s, e);
        lru_front(s, e);
    }
    pthread_mutex_unlock(&s->mu);
    atomic_fetch_add(copy ? &mine.hits : &mine.misses, 1);
    return copy;
}

void
yw_cases__mine_put(const struct yw_cases_mine_read *r, const int64_t *deps, size_t ndeps,
                   const char *body, size_t len)
{
    if (!r->on || ndeps > YW_CASES_MINE_DEPS || !usable() || today() != r->day)
        return; /* too many companies to track, or built across midnight: not kept */
    if (sizeof(struct mine_entry) + len > mine.stripe_cap)
        return;
    struct mine_entry *n = calloc(1, sizeof *n);
    char *copy = malloc(len ? len : 1);
    if (n == NULL || copy == NULL) {
        free(n);
        free(copy);
        return;
    }
    memcpy(copy, body, len);
    n->hash = hash_of(r->account, r->key);
    n->account = r->account;
    snprintf(n->key, sizeof n->key, "%s", r->key);
    n->stamp = r->stamp;
    n->day = r->day;
    n->loaded_ms = mono_ms();
    n->ndeps = (int)ndeps;
    memcpy(n->deps, deps, ndeps * sizeof *deps);
    n->body = copy;
    n->len = len;
    struct mine_stripe *s = stripe_of(n->hash);
    pthread_mutex_lock(&s->mu);
    struct mine_entry *old = find(s, n->hash, r->account, r->key);
    if (old && old->stamp > n->stamp) { /* a newer read got there first */
        pthread_mutex_unlock(&s->mu);
        free(copy);
        free(n);
        return;
    }
    if (old)
        drop(s, old);
    while (s->tail && s->bytes + cost_of(n) > mine.stripe_cap)
        drop(s, s->tail);
    struct mine_entry **b = bucket_of(s, n->hash);
    n->chain = *b;
    *b = n;
    lru_front(s, n);
    s->bytes += cost_of(n);
    atomic_fetch_add(&mine.bytes, (int64_t)cost_of(n));
    atomic_fetch_add(&mine.entries, 1);
    pthread_mutex_unlock(&s->mu);
}

/* ---- invalidation ---- */

/* After the transaction that changed the cases of ids[1..ids[0]] ended. */
static void
bump_after_tx(int64_t arg)
{
    if (arg == YW_DB_AFTER_TX_ALL) {
        bump_all();
        return;
    }
    int64_t *ids = (int64_t *)(intptr_t)arg;
    for (int64_t i = 1; i <= ids[0]; i++)
        bump(ids[i]);
    free(ids);
}

/* Every node but this one: acknowledged, so the change is answered only
 * once they all bumped (db/listen.c). */
static int
notify_others(struct yw_dbc *c, const struct yw_db_tally_sum *sums, size_t n)
{
    char text[MINE_NOTIFY_MAX + 32];
    const size_t start = (size_t)snprintf(text, sizeof text, "%s;", mine.node);
    size_t at = start;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(sums[i].key);
        if (at > start && at + 1 + k > MINE_NOTIFY_MAX) {
            text[at] = '\0';
            int rc = yw_db_notify_sync(c, MINE_CHANNEL, text);
            if (rc)
                return rc;
            at = start;
        }
        if (at > start)
            text[at++] = ',';
        memcpy(text + at, sums[i].key, k);
        at += k;
    }
    text[at] = '\0';
    return at > start ? yw_db_notify_sync(c, MINE_CHANNEL, text) : 0;
}

/* The tally's flush, right before COMMIT: sums[] are the accounts whose
 * cases the transaction changed, once each. */
static int
mine_flush(struct yw_dbc *c, const struct yw_db_tally_sum *sums, size_t n)
{
    int64_t *ids = malloc((n + 1) * sizeof *ids);
    if (ids == NULL) {
        yw_db_after_tx(c, bump_after_tx, YW_DB_AFTER_TX_ALL);
    } else {
        ids[0] = (int64_t)n;
        for (size_t i = 0; i < n; i++)
            ids[i + 1] = strtoll(sums[i].key, NULL, 10);
        yw_db_after_tx(c, bump_after_tx, (int64_t)(intptr_t)ids);
    }
    return mine.pg ? notify_others(c, sums, n) : 0;
}

int
yw_cases__mine_changed(struct yw_dbc *c, int64_t account)
{
    if (!mine.on && !mine.pg)
        return 0; /* PostgreSQL: the other nodes may keep copies though this one does not */
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)account);
    int rc = yw_db_tally(c, mine_flush, key, 1);
    if (rc != YW_EINVAL)
        return rc;
    /* no transaction: the change is committed already */
    bump(account);
    char text[64];
    snprintf(text, sizeof text, "%s;%s", mine.node, key);
    return mine.pg ? yw_db_notify(c, MINE_CHANNEL, text) : 0;
}

/* agent.changed: the agent's list and the pages they may see. */
static int
on_agent_changed(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                 struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    return yw_cases__mine_changed(c, json_integer_value(json_object_get(payload, "agent_id")));
}

static void
heard(const char *payload, void *ctx)
{
    (void)ctx;
    if (payload == NULL) { /* notifications may have been missed */
        bump_all();
        return;
    }
    /* "<node>;<ids>": this node bumped its own before the commit was answered;
     * hearing its own again later would only turn cached answers into misses */
    const char *p = strchr(payload, ';');
    if (p == NULL) {
        bump_all();
        return;
    }
    size_t own = strlen(mine.node);
    if ((size_t)(p - payload) == own && !strncmp(payload, mine.node, own))
        return;
    p++;
    while (*p) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p || (*end != ',' && *end != '\0')) {
            bump_all();
            return;
        }
        bump((int64_t)id);
        p = *end ? end + 1 : end;
    }
}

/* ---- life and /metrics ---- */

static void
mine_metrics(struct yw_buf *out, void *ctx)
{
    (void)ctx;
    yw_buf_printf(out,
                  "# HELP ywtb_cases_mine_cache_lookups_total A citizen's own case list and case "
                  "pages looked up in the node's cache (cases_mine_cache_kib).\n"
                  "# TYPE ywtb_cases_mine_cache_lookups_total counter\n"
                  "ywtb_cases_mine_cache_lookups_total{result=\"hit\"} %llu\n"
                  "ywtb_cases_mine_cache_lookups_total{result=\"miss\"} %llu\n"
                  "# HELP ywtb_cases_mine_cache_entries Answers the cache holds now.\n"
                  "# TYPE ywtb_cases_mine_cache_entries gauge\n"
                  "ywtb_cases_mine_cache_entries %lld\n"
                  "# HELP ywtb_cases_mine_cache_bytes Memory they take.\n"
                  "# TYPE ywtb_cases_mine_cache_bytes gauge\n"
                  "ywtb_cases_mine_cache_bytes %lld\n",
                  (unsigned long long)atomic_load(&mine.hits),
                  (unsigned long long)atomic_load(&mine.misses),
                  (long long)atomic_load(&mine.entries), (long long)atomic_load(&mine.bytes));
}

int
yw_cases__mine_start(struct yw_app *app, int64_t kib, int64_t ttl_ms, struct yw_err *err)
{
    static bool once; /* module init may run again in one process (tests) */
    if (!once) {
        once = true;
        for (int i = 0; i < MINE_STRIPES; i++)
            pthread_mutex_init(&mine.stripes[i].mu, NULL);
        yw_metrics_add_source(mine_metrics, NULL);
    }
    mine.ttl_ms = ttl_ms;
    mine.on = kib > 0 && ttl_ms > 0;
    mine.stripe_cap = mine.on ? (size_t)kib * 1024 / MINE_STRIPES : 0;
    mine.pg = yw_db_engine(app->db) == YW_DB_PG;
    unsigned char rnd[8];
    yw_random(rnd, sizeof rnd);
    yw_hex(rnd, sizeof rnd, mine.node); /* this node's name in its notifications */
    yw_events_subscribe(YW_EV_AGENT_CHANGED, on_agent_changed, NULL);
    if (!mine.pg)
        return 0;
    /* with the cache off here the notifications still go out (mine_changed):
     * the listener hears the answers and the others' changes */
    return yw_db_listen(app->db, MINE_CHANNEL, heard, NULL, &mine.listener, err);
}

void
yw_cases__mine_stop(void)
{
    yw_db_listen_stop(mine.listener);
    mine.listener = NULL;
    for (int i = 0; i < MINE_STRIPES; i++) {
        struct mine_stripe *s = &mine.stripes[i];
        pthread_mutex_lock(&s->mu);
        while (s->tail)
            drop(s, s->tail);
        pthread_mutex_unlock(&s->mu);
    }
    mine.on = false;
    bump_all();
}
