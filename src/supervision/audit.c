/*
 * audit.c - the supervisors' audit viewer (审计查询): the audit chain
 * searched by actor, subject (object type and id), action and time, each
 * record with its place in the chain checked, the whole chain verified on
 * demand, and the matches exported as CSV.  The chain is core's: it is read
 * only through db/audit.h (yw_audit_search, yw_audit_verify).
 *
 * Days are the district's (Asia/Shanghai): a day D covers the stored UTC
 * times from D-1 16:00 to D 16:00.
 */
#include "supervision/internal.h"

#include "core/clock.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

/* The stored time text at which day `day` (Asia/Shanghai) begins. */
static void
day_start_text(int64_t day, char out[32])
{
    yw_clock_format(day * 86400000LL - 8 * 3600000LL, out);
}

void
yw_sup__audit_filter(struct yw_audit_filter *f, const struct yw_sup_audit_query *q, char from[32],
                     char until[32])
{
    *f = (struct yw_audit_filter){ .actor = q->actor,
                                   .action = q->action,
                                   .obj_type = q->obj_type,
                                   .obj_id = q->obj_id,
                                   .before = q->before,
                                   .limit = (int)q->limit };
    from[0] = until[0] = '\0';
    if (q->from_day) {
        day_start_text(q->from_day, from);
        f->from = from;
    }
    if (q->to_day) {
        day_start_text(q->to_day + 1, until);
        f->until = until;
    }
}

struct collect {
    json_t *list;
    int64_t last;
};

static int
to_json(void *ctx, const struct yw_audit_row *r)
{
    struct collect *k = ctx;
    json_t *summary = json_loads(r->summary, 0, NULL);
    json_array_append_new(
        k->list,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:b}", "seq",
                  (json_int_t)r->seq, "at", r->at, "actor", r->actor, "role", r->role, "action",
                  r->action, "obj_type", r->obj_type, "obj_id", r->obj_id, "summary",
                  summary ? summary : json_string(r->summary), "prev_hash", r->prev_hash, "hash",
                  r->hash, "hash_ok", r->hash_ok, "linked", r->linked));
    k->last = r->seq;
    return 0;
}

json_t *
yw_sup__audit_search(struct yw_dbc *c, const struct yw_sup_audit_query *q)
{
    struct yw_audit_filter f;
    char from[32], until[32];
    yw_sup__audit_filter(&f, q, from, until);
    struct collect k = { .list = json_array() };
    int64_t head = 0;
    if (yw_audit_search(c, &f, to_json, &k) || yw_audit_head(c, &head)) {
        json_decref(k.list);
        return NULL;
    }
    size_t n = json_array_size(k.list);
    return json_pack("{s:o, s:I, s:o}", "records", k.list, "head", (json_int_t)head, "next_before",
                     n == (size_t)f.limit && k.last > 1 ? json_integer(k.last) : json_null());
}

/* One CSV field, quoted when it holds a comma, a quote or a line break; a
 * leading = + - @ is prefixed with ' so a spreadsheet does not run it. */
static void
csv_field(struct yw_buf *b, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        yw_buf_adds(b, "\"");
    if (strchr("=+-@", *s) && *s)
        yw_buf_adds(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            yw_buf_adds(b, "\"");
        yw_buf_add(b, p, 1);
    }
    if (quote)
        yw_buf_adds(b, "\"");
    yw_buf_adds(b, last ? "\r\n" : ",");
}

struct csv {
    struct yw_buf *b;
    int64_t last;
    int n;
};

static int
to_csv(void *ctx, const struct yw_audit_row *r)
{
    struct csv *k = ctx;
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    const char *cols[] = { seq,
                           r->at,
                           r->actor,
                           r->role,
                           r->action,
                           r->obj_type,
                           r->obj_id,
                           r->summary,
                           r->prev_hash,
                           r->hash,
                           r->hash_ok && r->linked ? "是 yes" : "否 no" };
    size_t ncols = sizeof cols / sizeof cols[0];
    for (size_t i = 0; i < ncols; i++)
        csv_field(k->b, cols[i], i + 1 == ncols);
    k->last = r->seq;
    k->n++;
    return 0;
}

int
yw_sup__audit_csv(struct yw_dbc *c, const struct yw_sup_audit_query *q, int64_t max,
                  struct yw_buf *out)
{
    /* UTF-8 BOM: Excel then reads the Chinese headers right */
    yw_buf_adds(out, "\xEF\xBB\xBF"
                     "序号 seq,时间 at (UTC),操作人 actor,角色 role,操作 action,对象类型 "
                     "object type,对象 object,摘要 summary,前一哈希 prev_hash,哈希 hash,"
                     "链上校验 in chain\r\n");
    struct yw_sup_audit_query page = *q;
    page.limit = 1000;
    int64_t done = 0;
    for (;;) {
        struct yw_audit_filter f;
        char from[32], until[32];
        yw_sup__audit_filter(&f, &page, from, until);
        struct csv k = { .b = out };
        int rc = yw_audit_search(c, &f, to_csv, &k);
        if (rc)
            return rc;
        done += k.n;
        if (k.n < page.limit || done >= max || k.last <= 1)
            return 0;
        page.before = k.last;
        if (max - done < page.limit)
            page.limit = max - done;
    }
}
