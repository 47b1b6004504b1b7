/*
 * tally.c - counters summed in memory during a transaction and written once
 * before its COMMIT (see tally.h for why).
 *
 * The adds are kept in order on the connection as they come (so a savepoint's
 * adds are a suffix, dropped by truncating), and summed only at the flush:
 * sorted by flush function and key, runs of equal keys added up, then each
 * function called once with its sums.
 */
#include "db/tally.h"

#include "core/err.h"
#include "core/mem.h"
#include "db/db_internal.h"

#include <stdlib.h>
#include <string.h>

struct tally_add {
    yw_db_tally_fn fn;
    char *key;
    int64_t n;
};

struct yw_db_tally_queue {
    struct tally_add *adds;
    size_t n, cap;
};

int
yw_db_tally(struct yw_dbc *c, yw_db_tally_fn flush, const char *key, int64_t n)
{
    if (!c->in_tx)
        return YW_EINVAL;
    struct yw_db_tally_queue *q = c->tally;
    if (q == NULL)
        q = c->tally = yw_xcalloc(1, sizeof *q);
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->adds = yw_xrealloc(q->adds, q->cap * sizeof *q->adds);
    }
    q->adds[q->n++] = (struct tally_add){ flush, yw_xstrdup(key), n };
    return 0;
}

size_t
yw_db_tally_mark(struct yw_dbc *c)
{
    return c->tally ? c->tally->n : 0;
}

void
yw_db_tally_truncate(struct yw_dbc *c, size_t mark)
{
    struct yw_db_tally_queue *q = c->tally;
    if (q == NULL)
        return;
    while (q->n > mark)
        free(q->adds[--q->n].key);
}

void
yw_db__tally_discard(struct yw_dbc *c)
{
    yw_db_tally_truncate(c, 0);
    if (c->tally && c->tally->cap > 4096) { /* one huge transaction: give the memory back */
        free(c->tally->adds);
        c->tally->adds = NULL;
        c->tally->cap = 0;
    }
}

/* by function, then key, then order of adding (qsort is not stable) */
static int
add_cmp(const void *a, const void *b)
{
    const struct tally_add *x = a, *y = b;
    if (x->fn != y->fn)
        return (uintptr_t)x->fn < (uintptr_t)y->fn ? -1 : 1;
    return strcmp(x->key, y->key);
}

int
yw_db__tally_flush(struct yw_dbc *c)
{
    struct yw_db_tally_queue *q = c->tally;
    if (q == NULL || q->n == 0)
        return 0;
    qsort(q->adds, q->n, sizeof *q->adds, add_cmp);
    struct yw_db_tally_sum *sums = yw_xcalloc(q->n, sizeof *sums);
    int rc = 0;
    size_t i = 0;
    while (i < q->n && rc == 0) {
        yw_db_tally_fn fn = q->adds[i].fn;
        size_t ns = 0;
        for (; i < q->n && q->adds[i].fn == fn; i++) {
            if (ns && strcmp(sums[ns - 1].key, q->adds[i].key) == 0)
                sums[ns - 1].n += q->adds[i].n;
            else
                sums[ns++] = (struct yw_db_tally_sum){ q->adds[i].key, q->adds[i].n };
        }
        rc = fn(c, sums, ns);
    }
    free(sums);
    yw_db__tally_discard(c);
    return rc;
}

void
yw_db__tally_free(struct yw_dbc *c)
{
    yw_db_tally_truncate(c, 0);
    if (c->tally)
        free(c->tally->adds);
    free(c->tally);
    c->tally = NULL;
}
