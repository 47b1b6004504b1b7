/*
 * audit.c - the audit records' hash chains (see audit.h): queueing a
 * transaction's records, chaining them on the connection's own chain at
 * commit, and reading them back.  The tree over them is audit_tree.c and
 * audit_seal.c; the whole check audit_verify.c.
 */
#include "db/audit.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit_internal.h"
#include "db/db_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS_HASH YW_AUDIT_GENESIS

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
    int64_t chain; /* this connection's chain (0: none yet) */
};

/* Each connection that writes gets a chain of its own the first time it
 * commits a record: "<host>/<pid>/<random>/<n>".  Only that connection
 * appends to it, so its head row is never waited for; a restarted node starts
 * new chains. */
static atomic_int chain_counter;
static pthread_once_t process_once = PTHREAD_ONCE_INIT;
static char process_tag[128]; /* "<host>/<pid>/<random>": unique even for two
                               * containers that share a host name and a pid */

static void
make_process_tag(void)
{
    char host[64] = "node";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    unsigned char r[4];
    char hex[9];
    yw_random(r, sizeof r);
    yw_hex(r, sizeof r, hex);
    snprintf(process_tag, sizeof process_tag, "%s/%ld/%s", host, (long)getpid(), hex);
}

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

void
yw_audit_canonical_in(struct yw_buf *out, int64_t chain, int64_t cseq, const char *at,
                      const struct yw_audit_entry *e, const char *prev_hash)
{
    if (chain == 1) { /* the legacy chain keeps the format its records were hashed in */
        yw_audit_canonical(out, cseq, at, e, prev_hash);
        return;
    }
    yw_buf_printf(out, "ywtb-audit-v2\n%" PRId64 "\n%" PRId64 "\n", chain, cseq);
    field(out, at);
    field(out, e->actor);
    field(out, e->role);
    field(out, e->action);
    field(out, e->obj_type);
    field(out, e->obj_id);
    field(out, e->summary);
    field(out, prev_hash);
}

/* Reserve `count` numbers on the connection's chain, made in this transaction
 * when it has none (or when the one it had was rolled back with the
 * transaction that made it): *cseq is the number before the first. */
static int
reserve(struct yw_dbc *c, int64_t count, int64_t *cseq, char prev[YW_AUDIT_HEX])
{
    struct yw_stmt *s;
    int rc = YW_ENOTFOUND;
    if (c->audit->chain)
        rc = yw_db_one_row(c, &s,
                           "UPDATE audit_chains SET seq = seq + ? WHERE id = ? RETURNING seq, hash",
                           "ii", count, c->audit->chain);
    if (rc == 0) {
        *cseq = yw_db_col_int(s, 0) - count;
        snprintf(prev, YW_AUDIT_HEX, "%s", yw_db_col_text(s, 1));
        yw_db_reset(s);
        return 0;
    }
    if (rc != YW_ENOTFOUND)
        return rc;
    pthread_once(&process_once, make_process_tag);
    char name[160];
    snprintf(name, sizeof name, "%s/%d", process_tag, atomic_fetch_add(&chain_counter, 1) + 1);
    int64_t id = 0;
    rc = yw_db_one_int(c, &id,
                       "INSERT INTO audit_chains (name, seq, hash, created_ms) VALUES (?, ?, ?, ?) "
                       "RETURNING id",
                       "sisi", name, count, GENESIS_HASH, yw_clock_now_ms());
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    c->audit->chain = id;
    *cseq = 0;
    snprintf(prev, YW_AUDIT_HEX, "%s", GENESIS_HASH);
    return 0;
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

    int64_t cseq = 0;
    char prev[YW_AUDIT_HEX];
    rc = reserve(c, count, &cseq, prev);
    if (rc) {
        yw_audit_discard(c);
        return rc;
    }
    int64_t chain = c->audit->chain;

    char at[32];
    yw_db_now_text(at);
    struct yw_buf canon;
    yw_buf_init(&canon);
    for (struct queued *q = c->audit->head; q; q = q->next) {
        cseq++;
        yw_buf_reset(&canon);
        struct yw_audit_entry e = view(q);
        yw_audit_canonical_in(&canon, chain, cseq, at, &e, prev);
        char hash[YW_AUDIT_HEX];
        rc = yw_sm3_hex(canon.p, canon.n, hash);
        if (rc)
            goto out;
        rc = yw_db_run(c,
                       "INSERT INTO audit_log (chain, cseq, at, actor, role, action, obj_type, "
                       "obj_id, summary, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "iisssssssss", chain, cseq, at, e.actor, e.role, e.action, e.obj_type,
                       e.obj_id, e.summary, prev, hash);
        if (rc)
            goto out;
        memcpy(prev, hash, sizeof prev);
    }
    rc = yw_db_run(c, "UPDATE audit_chains SET hash = ? WHERE id = ?", "si", prev, chain);
out:
    yw_buf_release(&canon);
    yw_audit_discard(c);
    return rc;
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
    return yw_db_one_int(c, seq, "SELECT COALESCE(SUM(seq), 0) FROM audit_chains", NULL);
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
        "a.prev_hash, a.hash, p.hash, a.chain, a.cseq FROM audit_log a LEFT JOIN audit_log p "
        "ON p.chain = a.chain AND p.cseq = a.cseq - 1 "
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
            .chain = yw_db_col_int(s, 11),
            .cseq = yw_db_col_int(s, 12),
        };
        const char *before = r.cseq == 1 ? GENESIS_HASH : yw_db_col_text(s, 10);
        r.linked = before && *before && strcmp(before, r.prev_hash) == 0;
        struct yw_audit_entry e = { .actor = r.actor,
                                    .role = r.role,
                                    .action = r.action,
                                    .obj_type = r.obj_type,
                                    .obj_id = r.obj_id,
                                    .summary = r.summary };
        yw_buf_reset(&canon);
        yw_audit_canonical_in(&canon, r.chain, r.cseq, r.at, &e, r.prev_hash);
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
