/*
 * creditset.c - the subjects that have an active credit record, in memory,
 * so that the credit check made on every submission and acceptance
 * (credit.c) costs one point read and a hash lookup for the common subject,
 * who has no record at all, instead of the records' and rules' queries.
 *
 * The set is tagged with the version of sup_credit_version that was current
 * when it was read; every change of a record or a rule gives that row a new
 * value never given before (triggers, migration 0038), whoever makes it - the workbench, the API,
 * `ywtb import credit`, another node.  A check reads the version in its own
 * transaction: when it equals the set's, a subject absent from the set has
 * no active record and passes; otherwise the set is read again (at most once
 * a second: meanwhile, and whenever it cannot be read, the check takes the
 * full path, so a stale set never lets a record pass unseen).  The set may
 * hold more than it should (a record that expired today): such a subject
 * takes the full path, which applies the dates.
 */
#include "supervision/internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef char ident_t[19]; /* a normalized ID number or credit code, NUL-terminated */

struct set {
    ident_t *slots; /* open addressing, "" = empty */
    size_t cap;     /* a power of two, at least twice the subjects */
    size_t n;
    int64_t version;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct set cur; /* version 0: never read (no version is 0) */
static bool wanted;    /* a check saw another version: read the set again */

static uint64_t
hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bool
set_has(const struct set *st, const char *k)
{
    if (st->cap == 0)
        return false;
    for (size_t i = hash(k) & (st->cap - 1);; i = (i + 1) & (st->cap - 1)) {
        if (st->slots[i][0] == '\0')
            return false;
        if (!strcmp(st->slots[i], k))
            return true;
    }
}

static void
set_put(struct set *st, const char *k)
{
    size_t i = hash(k) & (st->cap - 1);
    while (st->slots[i][0] != '\0') {
        if (!strcmp(st->slots[i], k))
            return;
        i = (i + 1) & (st->cap - 1);
    }
    memcpy(st->slots[i], k, strlen(k) + 1); /* the caller checked it fits */
    st->n++;
}

/* Read the subjects with an active record into *out (version v). */
static int
load(struct yw_dbc *c, int64_t v, struct set *out)
{
    int64_t n = 0;
    int rc = yw_db_one_int(
        c, &n, "SELECT COUNT(*) FROM sup_credit_records WHERE status = 'active'", NULL);
    if (rc)
        return rc;
    size_t cap = 64;
    while (cap < (size_t)n * 2 + 2)
        cap *= 2;
    *out = (struct set){ .slots = calloc(cap, sizeof(ident_t)), .cap = cap, .version = v };
    if (out->slots == NULL)
        return YW_EINTERNAL;
    struct yw_stmt *s = yw_db_query(
        c, "SELECT subject_ident FROM sup_credit_records WHERE status = 'active'", NULL);
    if (s == NULL) {
        free(out->slots);
        return YW_EDB;
    }
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *k = yw_db_col_text(s, 0);
        if (out->n * 2 + 2 > out->cap) { /* more rows than counted (a concurrent import) */
            yw_db_reset(s);
            free(out->slots);
            out->slots = NULL;
            return YW_ERETRY;
        }
        if (*k && strlen(k) < sizeof(ident_t))
            set_put(out, k);
    }
    if ((rc = yw_db_finish(s, rc))) {
        free(out->slots);
        return rc;
    }
    return 0;
}

int
yw_sup__creditset_may_have(struct yw_dbc *c, const char *ident, bool *may)
{
    *may = true;
    if (ident == NULL || *ident == '\0' || strlen(ident) >= sizeof(ident_t))
        return 0; /* not a normalized identifier: the full path decides */
    int64_t v = 0;
    int rc = yw_db_one_int(c, &v, "SELECT v FROM sup_credit_version WHERE id = 1", NULL);
    if (rc)
        return rc == YW_ENOTFOUND ? 0 : rc;
    pthread_mutex_lock(&mu);
    if (cur.version == v)
        *may = set_has(&cur, ident);
    else
        wanted = true; /* the refresher reads the set again; the full path meanwhile */
    pthread_mutex_unlock(&mu);
    return 0;
}

bool
yw_sup__creditset_wanted(void)
{
    pthread_mutex_lock(&mu);
    bool w = wanted || cur.version == 0;
    pthread_mutex_unlock(&mu);
    return w;
}

/* The version, then the subjects, in one read transaction. */
static int
refresh_tx(struct yw_dbc *c, void *ctx)
{
    struct set *fresh = ctx;
    int64_t v = 0;
    int rc = yw_db_one_int(c, &v, "SELECT v FROM sup_credit_version WHERE id = 1", NULL);
    if (rc)
        return rc;
    return load(c, v, fresh);
}

int
yw_sup__creditset_refresh(struct yw_db *db, struct yw_err *err)
{
    pthread_mutex_lock(&mu);
    wanted = false;
    pthread_mutex_unlock(&mu);
    struct set fresh = { 0 };
    int rc = yw_db_tx(db, YW_TX_READ, refresh_tx, &fresh, err);
    if (rc) {
        pthread_mutex_lock(&mu);
        wanted = true; /* try again on the next tick */
        pthread_mutex_unlock(&mu);
        return rc;
    }
    pthread_mutex_lock(&mu);
    free(cur.slots);
    cur = fresh;
    pthread_mutex_unlock(&mu);
    return 0;
}

void
yw_sup__creditset_free(void)
{
    pthread_mutex_lock(&mu);
    free(cur.slots);
    cur = (struct set){ 0 };
    wanted = false;
    pthread_mutex_unlock(&mu);
}
