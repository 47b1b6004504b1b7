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

#include "core/clock.h"
#include "core/log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RELOAD_EVERY_MS 1000

typedef char ident_t[19]; /* a normalized ID number or credit code, NUL-terminated */

struct set {
    ident_t *slots; /* open addressing, "" = empty */
    size_t cap;     /* a power of two, at least twice the subjects */
    size_t n;
    int64_t version;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct set cur;    /* version 0: never read (no version is 0) */
static int64_t loaded_ms; /* when the last read was tried */

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
    snprintf(st->slots[i], sizeof st->slots[i], "%s", k);
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
    if (cur.version == v) {
        *may = set_has(&cur, ident);
        pthread_mutex_unlock(&mu);
        return 0;
    }
    int64_t now = yw_clock_real_ms();
    bool reload = now - loaded_ms >= RELOAD_EVERY_MS || cur.version == 0;
    if (reload)
        loaded_ms = now;
    pthread_mutex_unlock(&mu);
    if (!reload)
        return 0; /* read again a moment ago: the full path until the next read */
    struct set fresh;
    rc = load(c, v, &fresh);
    if (rc) {
        yw_log_warn("supervision", "cannot read the subjects with credit records: %s",
                    yw_strerror(rc));
        return rc == YW_ERETRY ? 0 : rc;
    }
    pthread_mutex_lock(&mu);
    free(cur.slots); /* another thread's read meanwhile is as good: the last one stays */
    cur = fresh;
    *may = set_has(&cur, ident);
    pthread_mutex_unlock(&mu);
    return 0;
}

void
yw_sup__creditset_free(void)
{
    pthread_mutex_lock(&mu);
    free(cur.slots);
    cur = (struct set){ 0 };
    loaded_ms = 0;
    pthread_mutex_unlock(&mu);
}
