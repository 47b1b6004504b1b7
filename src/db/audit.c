/*
 * audit.c - the SM3 hash chain of audit records (see audit.h).
 */
#include "db/audit.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/db_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* A queued record owns copies of its strings: actor, role, action, obj_type,
 * obj_id, summary in that order. */
enum {
    Q_ACTOR,
    Q_ROLE,
    Q_ACTION,
    Q_OBJ_TYPE,
    Q_OBJ_ID,
    Q_SUMMARY,
    Q_N
};
struct queued {
    struct queued *next;
    char *f[Q_N];
};

static struct yw_audit_entry
view(const struct queued *q)
{
    return (struct yw_audit_entry){ .actor = q->f[Q_ACTOR],
                                    .role = q->f[Q_ROLE],
                                    .action = q->f[Q_ACTION],
                                    .obj_type = q->f[Q_OBJ_TYPE],
                                    .obj_id = q->f[Q_OBJ_ID],
                                    .summary = q->f[Q_SUMMARY] };
}

struct yw_audit_queue {
    struct queued *head, **tail;
};

static char *
dup_or(const char *s, const char *dflt)
{
    return yw_xstrdup(s ? s : dflt);
}

int
yw_audit_add(struct yw_dbc *c, const struct yw_audit_entry *e)
{
    if (!c->in_tx || c->tx_mode != YW_TX_WRITE)
        return YW_EINVAL;
    if (c->audit == NULL) {
        c->audit = yw_xcalloc(1, sizeof *c->audit);
        c->audit->tail = &c->audit->head;
    }
    struct queued *q = yw_xcalloc(1, sizeof *q);
    q->f[Q_ACTOR] = dup_or(e->actor, "system");
    q->f[Q_ROLE] = dup_or(e->role, "");
    q->f[Q_ACTION] = dup_or(e->action, "");
    q->f[Q_OBJ_TYPE] = dup_or(e->obj_type, "");
    q->f[Q_OBJ_ID] = dup_or(e->obj_id, "");
    q->f[Q_SUMMARY] = dup_or(e->summary, "{}");
    *c->audit->tail = q;
    c->audit->tail = &q->next;
    return 0;
}

static void
free_queued(struct queued *q)
{
    for (int i = 0; i < Q_N; i++)
        free(q->f[i]);
    free(q);
}

void
yw_audit_discard(struct yw_dbc *c)
{
    if (c->audit == NULL)
        return;
    struct queued *q = c->audit->head;
    while (q) {
        struct queued *next = q->next;
        free_queued(q);
        q = next;
    }
    c->audit->head = NULL;
    c->audit->tail = &c->audit->head;
}

size_t
yw_audit_mark(struct yw_dbc *c)
{
    size_t n = 0;
    if (c->audit)
        for (struct queued *q = c->audit->head; q; q = q->next)
            n++;
    return n;
}

void
yw_audit_truncate(struct yw_dbc *c, size_t mark)
{
    if (c->audit == NULL)
        return;
    struct queued **pp = &c->audit->head;
    for (size_t i = 0; i < mark && *pp; i++)
        pp = &(*pp)->next;
    struct queued *q = *pp;
    *pp = NULL;
    c->audit->tail = pp;
    while (q) {
        struct queued *next = q->next;
        free_queued(q);
        q = next;
    }
}

static void
field(struct yw_buf *b, const char *s)
{
    yw_buf_printf(b, "%zu:", strlen(s));
    yw_buf_adds(b, s);
    yw_buf_addc(b, '\n');
}

void
yw_audit_canonical(struct yw_buf *out, int64_t seq, const char *at, const struct yw_audit_entry *e,
                   const char *prev_hash)
{
    yw_buf_printf(out, "ywtb-audit-v1\n%" PRId64 "\n", seq);
    field(out, at);
    field(out, e->actor);
    field(out, e->role);
    field(out, e->action);
    field(out, e->obj_type);
    field(out, e->obj_id);
    field(out, e->summary);
    field(out, prev_hash);
}

int
yw_audit_flush(struct yw_dbc *c)
{
    if (c->audit == NULL || c->audit->head == NULL)
        return 0;
    int rc = 0;
    int64_t count = 0;
    for (struct queued *q = c->audit->head; q; q = q->next)
        count++;

    /* Reserve `count` sequence numbers and take the chain's write lock. */
    struct yw_stmt *s;
    rc = yw_db_one_row(
        c, &s, "UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash", "i", count);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    int64_t seq = yw_db_col_int(s, 0) - count;
    char prev[2 * YW_SM3_LEN + 1];
    snprintf(prev, sizeof prev, "%s", yw_db_col_text(s, 1));
    yw_db_reset(s);

    char at[32];
    yw_db_now_text(at);
    struct yw_buf canon;
    yw_buf_init(&canon);
    for (struct queued *q = c->audit->head; q; q = q->next) {
        seq++;
        yw_buf_reset(&canon);
        struct yw_audit_entry e = view(q);
        yw_audit_canonical(&canon, seq, at, &e, prev);
        char hash[2 * YW_SM3_LEN + 1];
        rc = yw_sm3_hex(canon.p, canon.n, hash);
        if (rc)
            goto out;
        rc = yw_db_run(c,
                       "INSERT INTO audit_log (seq, at, actor, role, action, obj_type, obj_id, "
                       "summary, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "isssssssss", seq, at, e.actor, e.role, e.action, e.obj_type, e.obj_id,
                       e.summary, prev, hash);
        if (rc)
            goto out;
        memcpy(prev, hash, sizeof prev);
    }
    rc = yw_db_run(c, "UPDATE audit_head SET hash = ? WHERE id = 1", "s", prev);
out:
    yw_buf_release(&canon);
    yw_audit_discard(c);
    return rc;
}

static int report(struct yw_audit_report *rep, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
report(struct yw_audit_report *rep, int64_t seq, const char *fmt, ...)
{
    rep->bad_seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
    va_end(ap);
    return 0;
}

/* Keep the outcome for /metrics (the age of the last check and whether the
 * chain was intact).  Not an audit record itself: a verification changes
 * nothing, and a chain that grew by each check would never verify twice
 * alike.  Best effort: a database too old to have the table (verify runs
 * without migrating) only loses the metric. */
static void
record_verify(struct yw_dbc *c, const struct yw_audit_report *rep)
{
    if (yw_db_begin(c, YW_TX_WRITE))
        return;
    int rc = yw_db_run(c,
                       "INSERT INTO audit_verifications (finished_ms, records, bad_seq, problem) "
                       "VALUES (?, ?, ?, ?)",
                       "iiis", yw_clock_now_ms(), rep->records, rep->bad_seq,
                       rep->bad_seq ? rep->problem : "");
    if (rc == 0 && yw_db_commit(c) == 0)
        return;
    yw_db_rollback(c);
}

int
yw_audit_verify(struct yw_db *db, struct yw_audit_report *rep, struct yw_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    int rc = yw_db_begin(c, YW_TX_SNAPSHOT); /* head and records from one snapshot */
    if (rc)
        return yw_fail(err, rc, "", "cannot read the audit chain: %s", c->errmsg);

    int64_t head_seq = 0;
    char head_hash[2 * YW_SM3_LEN + 1] = "";
    char prev[2 * YW_SM3_LEN + 1] = GENESIS_HASH;
    int64_t expect = 1;
    struct yw_buf canon;
    yw_buf_init(&canon);
    /* A head that cannot be read is an error, not a head at 0: that would
     * report every record as "not covered by the chain head" - tampering. */
    struct yw_stmt *s = NULL;
    rc = yw_db_one_row(c, &s, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL);
    if (rc == 0) {
        head_seq = yw_db_col_int(s, 0);
        snprintf(head_hash, sizeof head_hash, "%s", yw_db_col_text(s, 1));
        yw_db_reset(s);
    } else if (rc != YW_ENOTFOUND) {
        goto out;
    }

    /* Stream the chain in pages so memory stays flat on 10^8 records. */
    for (;;) {
        s = yw_db_query(c,
                        "SELECT seq, at, actor, role, action, obj_type, obj_id, summary, "
                        "prev_hash, hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 5000",
                        "i", expect);
        if (s == NULL) {
            rc = YW_EDB;
            goto out;
        }
        int got = 0;
        while ((rc = yw_db_step(s)) == YW_ROW) {
            got++;
            int64_t seq = yw_db_col_int(s, 0);
            struct yw_audit_entry e = {
                .actor = yw_db_col_text(s, 2),
                .role = yw_db_col_text(s, 3),
                .action = yw_db_col_text(s, 4),
                .obj_type = yw_db_col_text(s, 5),
                .obj_id = yw_db_col_text(s, 6),
                .summary = yw_db_col_text(s, 7),
            };
            const char *at = yw_db_col_text(s, 1);
            const char *rprev = yw_db_col_text(s, 8);
            const char *rhash = yw_db_col_text(s, 9);
            if (seq != expect) {
                report(rep, expect, "record %lld is missing (next present is %lld): removed",
                       (long long)expect, (long long)seq);
                goto done;
            }
            if (strcmp(rprev, prev) != 0) {
                report(rep, seq,
                       "record %lld does not follow record %lld (previous-hash mismatch): "
                       "reordered, removed or replaced",
                       (long long)seq, (long long)seq - 1);
                goto done;
            }
            yw_buf_reset(&canon);
            yw_audit_canonical(&canon, seq, at, &e, prev);
            char hash[2 * YW_SM3_LEN + 1];
            rc = yw_sm3_hex(canon.p, canon.n, hash);
            if (rc)
                goto out;
            if (strcmp(hash, rhash) != 0) {
                report(rep, seq, "record %lld was changed (its hash does not match its content)",
                       (long long)seq);
                goto done;
            }
            memcpy(prev, hash, sizeof prev);
            rep->records++;
            expect++;
        }
        if ((rc = yw_db_finish(s, rc)))
            goto out;
        if (got == 0)
            break;
    }
    /* Rows below 1 (a forged seq 0 or -5) are never walked above; rows past
     * the head are reported by the head check below. */
    rc = yw_db_one_row(c, &s, "SELECT COUNT(*), MIN(seq) FROM audit_log WHERE seq < 1", NULL);
    if (rc) {
        rc = rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always has its row */
        goto out;
    }
    int64_t outside = yw_db_col_int(s, 0), first = yw_db_col_int(s, 1);
    yw_db_reset(s);
    if (outside > 0) {
        report(rep, first,
               "record %lld lies outside the chain (sequence numbers run from 1 to %lld)",
               (long long)first, (long long)head_seq);
        goto done;
    }
    if (head_seq != expect - 1) {
        if (head_seq > expect - 1)
            report(rep, expect, "records %lld to %lld were removed from the end of the chain",
                   (long long)expect, (long long)head_seq);
        else
            report(rep, head_seq + 1, "records after %lld are not covered by the chain head",
                   (long long)head_seq);
    } else if (strcmp(head_hash, prev) != 0) {
        report(rep, head_seq, "the chain head does not match record %lld", (long long)head_seq);
    }
done:
    rc = 0;
out:
    if (s)
        yw_db_reset(s);
    yw_buf_release(&canon);
    yw_db_rollback(c);
    if (rc)
        return yw_fail(err, rc < 0 ? rc : YW_EDB, "", "cannot read the audit chain: %s", c->errmsg);
    record_verify(c, rep);
    return 0;
}

int
yw_audit_last_verify(struct yw_dbc *c, int64_t *finished_ms, int64_t *records, bool *intact)
{
    *finished_ms = 0;
    *records = 0;
    *intact = true;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT finished_ms, records, bad_seq FROM audit_verifications "
                           "ORDER BY id DESC LIMIT 1",
                           NULL);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    *finished_ms = yw_db_col_int(s, 0);
    *records = yw_db_col_int(s, 1);
    *intact = yw_db_col_int(s, 2) == 0;
    yw_db_reset(s);
    return 0;
}

int
yw_audit_head(struct yw_dbc *c, int64_t *seq)
{
    *seq = 0;
    return yw_db_one_int(c, seq, "SELECT seq FROM audit_head WHERE id = 1", NULL);
}

static const char *
or_empty(const char *s)
{
    return s ? s : "";
}

int
yw_audit_search(struct yw_dbc *c, const struct yw_audit_filter *f,
                int (*fn)(void *ctx, const struct yw_audit_row *r), void *ctx)
{
    const char *action = or_empty(f->action);
    size_t alen = strlen(action);
    int prefix = alen > 0 && action[alen - 1] == '.';
    int limit = f->limit < 1 ? 1 : f->limit > 1000 ? 1000 : f->limit;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT a.seq, a.at, a.actor, a.role, a.action, a.obj_type, a.obj_id, a.summary, "
        "a.prev_hash, a.hash, p.hash FROM audit_log a LEFT JOIN audit_log p ON p.seq = a.seq - 1 "
        "WHERE (? = 0 OR a.seq < ?) AND (? = '' OR a.actor = ?) AND (? = '' OR a.obj_type = ?) "
        "AND (? = '' OR a.obj_id = ?) AND (? = '' OR a.at >= ?) AND (? = '' OR a.at < ?) AND "
        "(? = '' OR (? = 0 AND a.action = ?) OR (? = 1 AND substr(a.action, 1, ?) = ?)) "
        "ORDER BY a.seq DESC LIMIT ?",
        "iisssssssssssisiisi", f->before, f->before, or_empty(f->actor), or_empty(f->actor),
        or_empty(f->obj_type), or_empty(f->obj_type), or_empty(f->obj_id), or_empty(f->obj_id),
        or_empty(f->from), or_empty(f->from), or_empty(f->until), or_empty(f->until), action,
        prefix, action, prefix, (int64_t)alen, action, limit);
    if (s == NULL)
        return YW_EDB;
    struct yw_buf canon;
    yw_buf_init(&canon);
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_audit_row r = {
            .seq = yw_db_col_int(s, 0),
            .at = yw_db_col_text(s, 1),
            .actor = yw_db_col_text(s, 2),
            .role = yw_db_col_text(s, 3),
            .action = yw_db_col_text(s, 4),
            .obj_type = yw_db_col_text(s, 5),
            .obj_id = yw_db_col_text(s, 6),
            .summary = yw_db_col_text(s, 7),
            .prev_hash = yw_db_col_text(s, 8),
            .hash = yw_db_col_text(s, 9),
        };
        const char *before = r.seq == 1 ? GENESIS_HASH : yw_db_col_text(s, 10);
        r.linked = before && *before && strcmp(before, r.prev_hash) == 0;
        struct yw_audit_entry e = { .actor = r.actor,
                                    .role = r.role,
                                    .action = r.action,
                                    .obj_type = r.obj_type,
                                    .obj_id = r.obj_id,
                                    .summary = r.summary };
        yw_buf_reset(&canon);
        yw_audit_canonical(&canon, r.seq, r.at, &e, r.prev_hash);
        char hash[2 * YW_SM3_LEN + 1];
        r.hash_ok = yw_sm3_hex(canon.p, canon.n, hash) == 0 && strcmp(hash, r.hash) == 0;
        if ((rc = fn(ctx, &r))) {
            yw_db_reset(s);
            yw_buf_release(&canon);
            return rc;
        }
    }
    yw_buf_release(&canon);
    return yw_db_finish(s, rc);
}
