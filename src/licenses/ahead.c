/*
 * ahead.c - the e-license of an approval, signed before the approval's
 * transaction, so that its SM2 signature is not made on the batcher.
 *
 * The approval that completes a case issues the item's e-license in the same
 * transaction (issue.c, case.approved).  Decisions join the group commit, so
 * that signature was made on the batcher - the one thread that holds the
 * write lock - and was a third of a full flow's work there (docs/PERFORMANCE.md,
 * "Where a full flow's time goes").  Now, when a reviewer approves, the HTTP
 * worker asks core's approval-ahead providers before the decision joins the
 * batch; this file prepares and signs, on that worker, the license the case
 * would get, and keeps it by case number.  When the case is approved, issue.c
 * takes it if it still fits exactly (same type, holder, name, fields, day;
 * the holder and the department's key are read again in the transaction)
 * and only writes it; otherwise it signs as before.
 *
 * The identifier needs the department's next serial (GB/T 36904), normally
 * taken in the issuing transaction.  Here serials come from blocks of
 * AHEAD_BLOCK reserved in a short transaction of their own: the same counter
 * row moves by a block at once, so block serials and serials taken in a
 * transaction never meet.  A license signed and never used (the case denied
 * after all, a key rotated, this process stopped) leaves a gap in the
 * department's serials, as a database sequence does.  Which approval
 * completes the case is not known ahead (parallel reviews), so the first
 * approval of a case prepares and the others find it prepared; a node keeps
 * its own, so on several nodes an approval may find nothing and sign itself.
 */
#include "licenses/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_SLOTS 512  /* prepared licenses kept; the oldest goes first */
#define AHEAD_BLOCK 64   /* serials reserved at once per department and year */
#define BLOCK_SLOTS 64   /* departments and years with a block */
#define AHEAD_TTL_MS (10 * 60 * 1000) /* a preparation older than this is dropped */

struct yw_lic__ahead {
    char case_no[48];
    int64_t made_ms;
    bool ready;                       /* false while the worker signs */
    struct yw_lic__case_request r;    /* what was asked, owned */
    struct yw_lic__issuing *x;        /* signed, x->in is &r.in */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct yw_lic__ahead *slots[AHEAD_SLOTS];
static unsigned next_slot; /* round robin: the oldest is replaced */

static struct block {
    char dept[32];
    int year;
    int64_t next, end; /* next serial to hand out, last of the block */
} blocks[BLOCK_SLOTS];
static unsigned next_block;

static _Atomic uint64_t n_prepared, n_used, n_stale, n_inline;

static void
entry_free(struct yw_lic__ahead *e)
{
    if (e == NULL)
        return;
    yw_lic__issuing_free(e->x);
    yw_lic__case_request_done(&e->r);
    free(e);
}

/* ---- serial blocks ---- */

struct reserve {
    const char *dept;
    int year;
    int64_t last;
};

static int
reserve_tx(struct yw_dbc *c, void *ctx)
{
    struct reserve *rs = ctx;
    return yw_db_one_int(
        c, &rs->last,
        "INSERT INTO license_serials (issuer_dept, year, next) VALUES (?, ?, ?) "
        "ON CONFLICT (issuer_dept, year) DO UPDATE SET next = license_serials.next + ? "
        "RETURNING next",
        "sdii", rs->dept, rs->year, (int64_t)AHEAD_BLOCK, (int64_t)AHEAD_BLOCK);
}

/* The block's next serial as text (GB/T 36904: six digits a year; a block
 * past them gives none, and the approval takes its serial itself).  Under mu. */
static int
take_serial(struct block *b, int year, char out[24])
{
    if (b->next > 999999)
        return YW_ECONFLICT;
    snprintf(out, 24, "%04d%06d", year % 10000, (int)b->next++);
    return 0;
}

/* The department's next serial for the year from this process's block,
 * reserving a new block (its own transaction: this runs outside any) when
 * the block is used up. */
static int
block_serial(struct yw_dbc *c, const char *dept, int year, char out[24])
{
    pthread_mutex_lock(&mu);
    for (unsigned i = 0; i < BLOCK_SLOTS; i++) {
        struct block *b = &blocks[i];
        if (b->year == year && !strcmp(b->dept, dept) && b->next <= b->end) {
            int rc = take_serial(b, year, out);
            pthread_mutex_unlock(&mu);
            return rc;
        }
    }
    pthread_mutex_unlock(&mu);
    struct reserve rs = { .dept = dept, .year = year };
    struct yw_err err = { 0 };
    int rc = yw_db_tx(yw_dbc_db(c), YW_TX_WRITE, reserve_tx, &rs, &err);
    if (rc)
        return rc;
    pthread_mutex_lock(&mu);
    struct block *b = &blocks[next_block++ % BLOCK_SLOTS];
    snprintf(b->dept, sizeof b->dept, "%s", dept);
    b->year = year;
    b->next = rs.last - AHEAD_BLOCK + 1;
    b->end = rs.last;
    rc = take_serial(b, year, out);
    pthread_mutex_unlock(&mu);
    return rc;
}

/* ---- the store of prepared licenses ---- */

/* The slot of case_no, or -1.  Under mu. */
static int
find_slot(const char *case_no)
{
    for (int i = 0; i < AHEAD_SLOTS; i++)
        if (slots[i] && !strcmp(slots[i]->case_no, case_no))
            return i;
    return -1;
}

/* Claim case_no for a preparation (false: another worker has it). */
static bool
claim(struct yw_lic__ahead *e)
{
    pthread_mutex_lock(&mu);
    if (find_slot(e->case_no) >= 0) {
        pthread_mutex_unlock(&mu);
        return false;
    }
    unsigned i = next_slot++ % AHEAD_SLOTS;
    struct yw_lic__ahead *old = slots[i];
    slots[i] = e;
    if (old && !old->ready) {
        old->case_no[0] = '\0'; /* still being signed: its worker frees it (settle) */
        old = NULL;
    }
    pthread_mutex_unlock(&mu);
    entry_free(old);
    return true;
}

/* The worker finished signing e (ok) or gave up: mark it ready, or drop it. */
static void
settle(struct yw_lic__ahead *e, bool ok)
{
    pthread_mutex_lock(&mu);
    int i = e->case_no[0] ? find_slot(e->case_no) : -1;
    bool mine = i >= 0 && slots[i] == e;
    if (mine && ok)
        e->ready = true;
    else if (mine)
        slots[i] = NULL;
    pthread_mutex_unlock(&mu);
    if (!mine || !ok)
        entry_free(e);
}

void
yw_lic__ahead(struct yw_dbc *c, json_t *kase, void *ctx)
{
    (void)ctx;
    const char *case_no = json_string_value(json_object_get(kase, "case_no"));
    if (case_no == NULL || strlen(case_no) >= sizeof((struct yw_lic__ahead *)0)->case_no)
        return;
    pthread_mutex_lock(&mu);
    bool have = find_slot(case_no) >= 0;
    pthread_mutex_unlock(&mu);
    if (have)
        return; /* another approval of the case prepared it */
    struct yw_lic__ahead *e = yw_xcalloc(1, sizeof *e);
    snprintf(e->case_no, sizeof e->case_no, "%s", case_no);
    e->made_ms = yw_clock_now_ms();
    if (yw_lic__case_request(c, kase, &e->r) != 0 || !claim(e)) {
        entry_free(e); /* nothing to issue, or prepared meanwhile */
        return;
    }
    e->r.in.serial_fn = block_serial;
    /* a department's first license makes its key: leave that to the
     * approval, which makes it (and audits it) in its transaction */
    e->r.in.existing_key = true;
    e->x = yw_lic__issuing_new(&e->r.in);
    struct yw_err err = { 0 };
    int rc = yw_lic__issue_prepare(c, e->x, &err);
    if (rc == 0 && yw_lic__issue_sign(e->x) != 0)
        rc = YW_ECRYPTO;
    if (rc == 0)
        atomic_fetch_add(&n_prepared, 1);
    else
        yw_log_debug("licenses", "the license of case %s was not signed ahead: %s", case_no,
                    err.msg[0] ? err.msg : yw_strerror(rc));
    settle(e, rc == 0);
}

struct yw_lic__ahead *
yw_lic__ahead_take(const char *case_no, const struct yw_lic__case_request *r)
{
    pthread_mutex_lock(&mu);
    int i = find_slot(case_no);
    struct yw_lic__ahead *e = i >= 0 && slots[i]->ready ? slots[i] : NULL;
    if (e)
        slots[i] = NULL;
    pthread_mutex_unlock(&mu);
    if (e == NULL) {
        atomic_fetch_add(&n_inline, 1);
        return NULL;
    }
    const struct yw_lic__issue *a = &e->r.in, *b = &r->in;
#define SAME(f) ((a->f == NULL && b->f == NULL) || (a->f && b->f && !strcmp(a->f, b->f)))
    bool fits = SAME(type_code) && SAME(holder_kind) && SAME(holder_ident) && SAME(holder_name) &&
                json_equal(a->fields, b->fields) &&
                yw_lic__issuing_day(e->x) == yw_cal_day_of_ms(yw_clock_now_ms()) &&
                yw_clock_now_ms() - e->made_ms < AHEAD_TTL_MS;
#undef SAME
    if (!fits) {
        atomic_fetch_add(&n_stale, 1);
        atomic_fetch_add(&n_inline, 1);
        entry_free(e);
        return NULL;
    }
    return e;
}

struct yw_lic__issuing *
yw_lic__ahead_issuing(struct yw_lic__ahead *e)
{
    return e->x;
}

void
yw_lic__ahead_done(struct yw_lic__ahead *e, bool used)
{
    if (used) {
        atomic_fetch_add(&n_used, 1);
    } else {
        atomic_fetch_add(&n_stale, 1);
        atomic_fetch_add(&n_inline, 1);
    }
    entry_free(e);
}

void
yw_lic__ahead_counts(uint64_t out[4])
{
    out[0] = atomic_load(&n_prepared);
    out[1] = atomic_load(&n_used);
    out[2] = atomic_load(&n_stale);
    out[3] = atomic_load(&n_inline);
}

/* /metrics: how often the approval's license was signed ahead and used. */
void
yw_lic__ahead_metrics(struct yw_buf *out, void *ctx)
{
    (void)ctx;
    uint64_t n[4];
    yw_lic__ahead_counts(n);
    yw_buf_printf(out,
                "# HELP ywtb_licenses_ahead_total Approvals' e-licenses signed on the HTTP worker "
                "before the approval (prepared), written at the approval (used), dropped as no "
                "longer fitting (stale), and signed in the approval's transaction (inline).\n"
                "# TYPE ywtb_licenses_ahead_total counter\n"
                "ywtb_licenses_ahead_total{outcome=\"prepared\"} %llu\n"
                "ywtb_licenses_ahead_total{outcome=\"used\"} %llu\n"
                "ywtb_licenses_ahead_total{outcome=\"stale\"} %llu\n"
                "ywtb_licenses_ahead_total{outcome=\"inline\"} %llu\n",
                (unsigned long long)n[0], (unsigned long long)n[1], (unsigned long long)n[2],
                (unsigned long long)n[3]);
}

/* Shutdown: every request has finished, so every entry is settled. */
void
yw_lic__ahead_shutdown(void)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < AHEAD_SLOTS; i++) {
        entry_free(slots[i]);
        slots[i] = NULL;
    }
    memset(blocks, 0, sizeof blocks);
    pthread_mutex_unlock(&mu);
}
