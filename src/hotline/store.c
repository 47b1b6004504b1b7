/*
 * store.c - the SQL of the hotline: work orders and the steps of their loop
 * (hotline_orders, hotline_steps; migrations 0017).  Callers hold the
 * transaction; nothing here writes audit records or events (orders.c does).
 */
#include "hotline/internal.h"

#include "core/clock.h"

#include <stdio.h>
#include <string.h>

#define COLS                                                                                       \
    "id, order_no, channel, category, type, urgency, status, content, address, lat, lng, "         \
    "media_url, caller_name, caller_phone, caller_account_id, caller_ident, intake_by, client, "   \
    "dept, limit_days, start_day, due_day, dispatched_day, answered_day, returns, extensions, "    \
    "ext_days, ext_reason, presses, answer, visit_note, rating, rating_comment, created_at, "      \
    "updated_at, closed_at, merged_into"

static const char *
col(struct yw_arena *a, struct yw_stmt *s, int i)
{
    return yw_arena_strdup(a, yw_db_col_text(s, i));
}

static void
read_row(struct yw_arena *a, struct yw_stmt *s, struct yw_hotline__order *o)
{
    memset(o, 0, sizeof *o);
    o->id = yw_db_col_int(s, 0);
    o->order_no = col(a, s, 1);
    o->channel = col(a, s, 2);
    o->category = col(a, s, 3);
    o->type = col(a, s, 4);
    o->urgency = col(a, s, 5);
    o->status = col(a, s, 6);
    o->content = col(a, s, 7);
    o->address = col(a, s, 8);
    o->lat = col(a, s, 9);
    o->lng = col(a, s, 10);
    o->media_url = col(a, s, 11);
    o->caller_name = col(a, s, 12);
    o->caller_phone = col(a, s, 13);
    o->caller_account_id = yw_db_col_int(s, 14);
    o->caller_ident = col(a, s, 15);
    o->intake_by = yw_db_col_int(s, 16);
    o->client = col(a, s, 17);
    o->dept = col(a, s, 18);
    o->limit_days = (int)yw_db_col_int(s, 19);
    o->start_day = yw_db_col_int(s, 20);
    o->due_day = yw_db_col_int(s, 21);
    o->dispatched_day = yw_db_col_int(s, 22);
    o->answered_day = yw_db_col_int(s, 23);
    o->returns = (int)yw_db_col_int(s, 24);
    o->extensions = (int)yw_db_col_int(s, 25);
    o->ext_days = (int)yw_db_col_int(s, 26);
    o->ext_reason = col(a, s, 27);
    o->presses = (int)yw_db_col_int(s, 28);
    o->answer = col(a, s, 29);
    o->visit_note = col(a, s, 30);
    o->rating = (int)yw_db_col_int(s, 31);
    o->rating_comment = col(a, s, 32);
    o->created_at = col(a, s, 33);
    o->updated_at = col(a, s, 34);
    o->closed_at = col(a, s, 35);
    o->merged_into = col(a, s, 36);
}

int
yw_hotline__load(struct yw_dbc *c, struct yw_arena *a, const char *order_no,
                 struct yw_hotline__order *o)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " COLS " FROM hotline_orders WHERE order_no = ?", "s",
                           order_no);
    if (rc)
        return rc;
    read_row(a, s, o);
    yw_db_reset(s);
    return 0;
}

int
yw_hotline__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_hotline__order *o)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " COLS " FROM hotline_orders WHERE id = ?", "i", id);
    if (rc)
        return rc;
    read_row(a, s, o);
    yw_db_reset(s);
    return 0;
}

int
yw_hotline__insert(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o)
{
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id,
        "INSERT INTO hotline_orders (channel, category, type, urgency, status, content, address, "
        "lat, lng, media_url, caller_name, caller_phone, caller_account_id, caller_ident, "
        "intake_by, client, dept, limit_days, start_day, due_day, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "ssssssssssssisissdiiss", o->channel, o->category, o->type, o->urgency, o->status,
        o->content, o->address, o->lat, o->lng, o->media_url, o->caller_name, o->caller_phone,
        o->caller_account_id, o->caller_ident, o->intake_by, o->client, o->dept, o->limit_days,
        o->start_day, o->due_day, o->created_at, o->updated_at);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    /* HL + the intake day in China + the row id: unique on every node */
    int y, m, d;
    yw_civil_from_days(o->start_day, &y, &m, &d);
    char *no = yw_arena_printf(a, "HL%04d%02d%02d%06lld", y, m, d, (long long)id);
    rc = yw_db_run(c, "UPDATE hotline_orders SET order_no = ? WHERE id = ?", "si", no, id);
    if (rc)
        return rc;
    yw_hotline__orders_changed(c);
    o->id = id;
    o->order_no = no;
    return 0;
}

int
yw_hotline__save(struct yw_dbc *c, const struct yw_hotline__order *o)
{
    yw_hotline__orders_changed(c);
    return yw_db_run(
        c,
        "UPDATE hotline_orders SET type = ?, urgency = ?, status = ?, dept = ?, limit_days = ?, "
        "due_day = ?, dispatched_day = ?, answered_day = ?, returns = ?, extensions = ?, "
        "ext_days = ?, ext_reason = ?, presses = ?, answer = ?, visit_note = ?, rating = ?, "
        "rating_comment = ?, updated_at = ?, closed_at = ?, merged_into = ? WHERE id = ?",
        "ssssdiiidddsdssdssssi", o->type, o->urgency, o->status, o->dept, o->limit_days, o->due_day,
        o->dispatched_day, o->answered_day, o->returns, o->extensions, o->ext_days, o->ext_reason,
        o->presses, o->answer, o->visit_note, o->rating, o->rating_comment, o->updated_at,
        o->closed_at, o->merged_into, o->id);
}

int
yw_hotline__step_add(struct yw_dbc *c, int64_t order_id, const char *action, const char *actor_name,
                     const char *dept, const char *status, const char *note)
{
    char now[32];
    yw_db_now_text(now);
    return yw_db_run(c,
                     "INSERT INTO hotline_steps (order_id, at, action, actor_name, dept, status, "
                     "note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     "issssss", order_id, now, action, actor_name ? actor_name : "",
                     dept ? dept : "", status, note ? note : "");
}

int
yw_hotline__steps_json(struct yw_dbc *c, int64_t order_id, json_t **out)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT at, action, actor_name, dept, status, note FROM "
                                    "hotline_steps WHERE order_id = ? ORDER BY id",
                                    "i", order_id);
    if (s == NULL)
        return YW_EDB;
    json_t *arr = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                                             yw_db_col_text(s, 0), "action", yw_db_col_text(s, 1),
                                             "actor", yw_db_col_text(s, 2), "dept",
                                             yw_db_col_text(s, 3), "status", yw_db_col_text(s, 4),
                                             "note", yw_db_col_text(s, 5)));
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int
yw_hotline__list(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__filter *f,
                 struct yw_hotline__order **out, int *n)
{
    const char *scope = f->scope;
    int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;
    const char *status = f->status ? f->status : "";
    const char *category = f->category ? f->category : "";
    struct yw_stmt *s;
    if (!strcmp(scope, "dept"))
        s = yw_db_query(c,
                        "SELECT " COLS " FROM hotline_orders WHERE dept = ? AND id < ? "
                        "AND (? = '' OR status = ?) AND (? = '' OR category = ?) "
                        "ORDER BY id DESC LIMIT ?",
                        "sissssd", f->dept, before, status, status, category, category, f->limit);
    else if (!strcmp(scope, "caller"))
        s = yw_db_query(c,
                        "SELECT " COLS " FROM hotline_orders WHERE caller_account_id = ? "
                        "AND id < ? AND (? = '' OR status = ?) AND (? = '' OR category = ?) "
                        "ORDER BY id DESC LIMIT ?",
                        "iissssd", f->account, before, status, status, category, category,
                        f->limit);
    else
        s = yw_db_query(c,
                        "SELECT " COLS " FROM hotline_orders WHERE id < ? "
                        "AND (? = '' OR status = ?) AND (? = '' OR category = ?) "
                        "AND (? = '' OR dept = ?) ORDER BY id DESC LIMIT ?",
                        "issssssd", before, status, status, category, category,
                        f->dept ? f->dept : "", f->dept ? f->dept : "", f->limit);
    if (s == NULL)
        return YW_EDB;
    struct yw_hotline__order *arr = yw_arena_alloc(a, sizeof *arr * (size_t)(f->limit + 1));
    int k = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && k < f->limit)
        read_row(a, s, &arr[k++]);
    if (rc == YW_ROW) {
        yw_db_reset(s);
        rc = 0;
    } else {
        rc = yw_db_finish(s, rc);
    }
    if (rc)
        return rc;
    *out = arr;
    *n = k;
    return 0;
}

/* ---- the Open311 list (open311.c) ----
 * The public orders (street matters HL-1xx, and what came in through
 * Open311), newest first by (created_at, id), between two times and before a
 * cursor.  One statement per filter combination, each written so that the
 * partial indexes of migration 0028 match it word for word: a filter spelt
 * as (? = '' OR x = ?) would keep either engine from using them. */
#define O311_PUBLIC "(substr(category, 1, 4) = 'HL-1' OR channel = 'open311')"
#define O311_SELECT                                                                                \
    "SELECT " O311_COLS " FROM hotline_orders WHERE " O311_PUBLIC " "                              \
    "AND created_at >= ? AND created_at <= ? AND (created_at < ? OR id < ?) "
#define O311_CLOSED " AND (CASE WHEN status IN ('closed', 'visited', 'rated') THEN 1 ELSE 0 END) = 1"
#define O311_OPEN   " AND (CASE WHEN status IN ('closed', 'visited', 'rated') THEN 1 ELSE 0 END) = 0"
#define O311_CODE   " AND category = ?"
#define O311_ORDER  " ORDER BY created_at DESC, id DESC LIMIT ?"

/* Only what a request shows (open311.c's request_fields): a page reads 13
 * of the 37 columns, and every column of every row is a value PostgreSQL
 * writes out and libpq parses (the profile of random pages on PostgreSQL). */
#define O311_COLS                                                                                  \
    "order_no, category, status, content, address, lat, lng, media_url, dept, due_day, answer, "   \
    "created_at, updated_at"

/* The row as the page writer reads it: pointers into the statement, valid
 * during the callback only (no copy into the arena: copying 13 columns of
 * 100 rows was a tenth of a page's time). */
static void
o311_row(struct yw_stmt *s, struct yw_hotline__order *o)
{
    static const char *const none = "";
    memset(o, 0, sizeof *o);
    o->type = o->urgency = o->caller_name = o->caller_phone = o->caller_ident = o->client = none;
    o->ext_reason = o->visit_note = o->rating_comment = o->closed_at = o->merged_into = none;
    o->channel = none;
    o->order_no = yw_db_col_text(s, 0);
    o->category = yw_db_col_text(s, 1);
    o->status = yw_db_col_text(s, 2);
    o->content = yw_db_col_text(s, 3);
    o->address = yw_db_col_text(s, 4);
    o->lat = yw_db_col_text(s, 5);
    o->lng = yw_db_col_text(s, 6);
    o->media_url = yw_db_col_text(s, 7);
    o->dept = yw_db_col_text(s, 8);
    o->due_day = yw_db_col_int(s, 9);
    o->answer = yw_db_col_text(s, 10);
    o->created_at = yw_db_col_text(s, 11);
    o->updated_at = yw_db_col_text(s, 12);
}

/* Step s to its end, at most q->limit rows to fn; a row whose due_day is NULL
 * (the PostgreSQL statement's head: the column is NOT NULL in every order)
 * to head instead. */
static int
o311_rows(struct yw_stmt *s, const struct yw_hotline__o311_query *q, yw_hotline__o311_row_fn fn,
          void *ctx, struct yw_hotline__o311_page *out, void (*head)(struct yw_stmt *, void *),
          void *head_ctx)
{
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (head && yw_db_col_null(s, 9)) {
            head(s, head_ctx);
            continue;
        }
        if (out->n == q->limit) /* (LIMIT says so already) */
            continue;
        struct yw_hotline__order o;
        o311_row(s, &o);
        fn(ctx, &o);
        out->n++;
    }
    return yw_db_finish(s, rc);
}

/* SQLite (and PostgreSQL inside a transaction): the cursor's row, then the
 * page; the caller took the client's token. */
static int
o311_page_plain(struct yw_dbc *c, const struct yw_hotline__o311_query *q,
                yw_hotline__o311_row_fn fn, void *ctx, struct yw_hotline__o311_page *out)
{
    static const char *const sql[3][2] = {
        { O311_SELECT O311_ORDER, O311_SELECT O311_CODE O311_ORDER },
        { O311_SELECT O311_OPEN O311_ORDER, O311_SELECT O311_OPEN O311_CODE O311_ORDER },
        { O311_SELECT O311_CLOSED O311_ORDER, O311_SELECT O311_CLOSED O311_CODE O311_ORDER },
    };
    /* the upper bound: end_date or the cursor's time, whichever is earlier */
    const char *until = q->until ? q->until : "9999-12-31T23:59:59.999Z";
    const char *upper = until, *tie_at = until;
    int64_t tie_id = INT64_MAX;
    struct yw_stmt *s;
    if (q->before && q->before[0]) {
        int rc = yw_db_one_row(c, &s,
                               "SELECT created_at, id FROM hotline_orders WHERE order_no = ? "
                               "AND " O311_PUBLIC,
                               "s", q->before);
        if (rc == YW_ENOTFOUND) {
            out->cursor_missing = true;
            return 0;
        }
        if (rc)
            return rc;
        /* the arena of nobody: the cursor's time outlives the statement */
        snprintf(out->cursor_at, sizeof out->cursor_at, "%s", yw_db_col_text(s, 0));
        tie_id = yw_db_col_int(s, 1);
        yw_db_reset(s);
        tie_at = out->cursor_at;
        if (strcmp(tie_at, upper) < 0)
            upper = tie_at;
    }
    int st = q->closed < 0 ? 0 : q->closed ? 2 : 1;
    bool code = q->category && q->category[0];
    s = code ? yw_db_query(c, sql[st][1], "sssisd", q->since, upper, tie_at, tie_id, q->category,
                           q->limit)
             : yw_db_query(c, sql[st][0], "sssid", q->since, upper, tie_at, tie_id, q->limit);
    if (s == NULL)
        return YW_EDB;
    return o311_rows(s, q, fn, ctx, out, NULL, NULL);
}

/* ---- PostgreSQL: the token, the cursor and the page in one statement ----
 * A page read at random cursors was three round trips (the client's token
 * from rate_buckets, the cursor's row, the page) and three statements for
 * the server; now it is one:
 *
 *   WITH rate_nowait, rate_take (db.h YW_DB_RATE_TAKE_CTE),
 *        o311_cursor AS (the cursor's created_at and id, public orders only)
 *   SELECT NULL, ok, milli, cursor found, NULL...      -- the head row (due_day NULL)
 *   UNION ALL
 *   (SELECT the page WHERE (SELECT ok FROM rate_take) = 1
 *      AND (created_at, id) < ((SELECT created_at ...), (SELECT id ...)) ...)
 *
 * The page's gate and the cursor are InitPlans: PostgreSQL evaluates them
 * once, a refused client's page is a one-time filter that reads no row, and
 * the row comparison is the index condition on hotline_orders_o311 (created_at,
 * id) (the scan starts at the cursor instead of filtering the rows that share
 * its created_at).  The head row is told apart by its NULL due_day. */
#define O311_HEAD_ROW(found)                                                                       \
    "SELECT NULL, CAST(ok AS TEXT), CAST(milli AS TEXT), " found ", NULL, NULL, NULL, NULL, NULL, "  \
    "NULL, NULL, NULL, NULL FROM rate_take UNION ALL (SELECT " O311_COLS " FROM hotline_orders "   \
    "WHERE (SELECT ok FROM rate_take) = 1 AND " O311_PUBLIC " AND created_at >= ? "
#define O311_HEAD     "WITH " YW_DB_RATE_TAKE_CTE " " O311_HEAD_ROW("'1'")
#define O311_HEAD_CUR                                                                              \
    "WITH " YW_DB_RATE_TAKE_CTE ", o311_cursor AS (SELECT created_at, id FROM hotline_orders "    \
    "WHERE order_no = ? AND " O311_PUBLIC ") "                                                     \
    O311_HEAD_ROW("CAST((SELECT COUNT(*) FROM o311_cursor) AS TEXT)")
/* end_date, only when given: without it the bound was one more text
 * comparison (collation-aware) for every index entry scanned */
#define O311_UNTIL " AND created_at <= ? "
#define O311_AFTER_CUR                                                                             \
    " AND (created_at, id) < ((SELECT created_at FROM o311_cursor), (SELECT id FROM o311_cursor)) "
#define O311_TAIL " ORDER BY created_at DESC, id DESC LIMIT ?)"
#define O311_SIX(H)                                                                                \
    {                                                                                              \
        { H O311_TAIL, H O311_CODE O311_TAIL },                                                    \
            { H O311_OPEN O311_TAIL, H O311_OPEN O311_CODE O311_TAIL },                            \
            { H O311_CLOSED O311_TAIL, H O311_CLOSED O311_CODE O311_TAIL },                        \
    }

static void
o311_head(struct yw_stmt *s, void *ctx)
{
    struct yw_hotline__o311_page *out = ctx;
    out->refused = yw_db_col_int(s, 1) != 1;
    out->milli = yw_db_col_int(s, 2);
    out->cursor_missing = yw_db_col_int(s, 3) == 0;
    out->head = true;
}

static int
o311_page_pg(struct yw_dbc *c, const struct yw_hotline__o311_query *q, yw_hotline__o311_row_fn fn,
             void *ctx, struct yw_hotline__o311_page *out)
{
    /* [cursor][end_date][status][service_code] */
    static const char *const sql[2][2][3][2] = {
        { O311_SIX(O311_HEAD), O311_SIX(O311_HEAD O311_UNTIL) },
        { O311_SIX(O311_HEAD_CUR O311_AFTER_CUR),
          O311_SIX(O311_HEAD_CUR O311_UNTIL O311_AFTER_CUR) },
    };
    int st = q->closed < 0 ? 0 : q->closed ? 2 : 1;
    bool code = q->category && q->category[0];
    bool cur = q->before && q->before[0];
    bool until = q->until != NULL;
    struct yw_stmt *s = yw_db_prepare(c, sql[cur][until][st][code]);
    if (s == NULL)
        return YW_EDB;
    int i = 1;
    yw_db_bind_str(s, i++, q->rate_key);
    yw_db_bind_int(s, i++, (int64_t)q->rate_per_min);
    yw_db_bind_int(s, i++, q->now_ms);
    if (cur)
        yw_db_bind_str(s, i++, q->before);
    yw_db_bind_str(s, i++, q->since);
    if (until)
        yw_db_bind_str(s, i++, q->until);
    if (code)
        yw_db_bind_str(s, i++, q->category);
    yw_db_bind_int(s, i, q->limit);
    int rc = o311_rows(s, q, fn, ctx, out, o311_head, out);
    if (rc == 0 && !out->head)
        rc = YW_EDB; /* rate_take returns its row: never without it */
    if (rc == 0)
        yw_db_rate_sweep(c, q->now_ms);
    return rc;
}

int
yw_hotline__o311_page(struct yw_dbc *c, const struct yw_hotline__o311_query *q,
                      yw_hotline__o311_row_fn fn, void *ctx, struct yw_hotline__o311_page *out)
{
    memset(out, 0, sizeof *out);
    if (q->rate_key && yw_db_engine(yw_dbc_db(c)) == YW_DB_PG && !yw_dbc_in_tx(c))
        return o311_page_pg(c, q, fn, ctx, out);
    return o311_page_plain(c, q, fn, ctx, out);
}

int
yw_hotline_order_status(struct yw_dbc *c, struct yw_arena *a, const char *order_no,
                        const char **status)
{
    char *st = NULL;
    int rc = yw_db_one_text(c, a, &st, "SELECT status FROM hotline_orders WHERE order_no = ?", "s",
                            order_no);
    if (rc == 0)
        *status = st;
    return rc;
}

int
yw_hotline__similar(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__order *o,
                    struct yw_hotline__order **out, int *n)
{
    /* the same category, reported within a day either side, still open */
    int64_t ms = 0;
    char from[32], to[32];
    if (yw_clock_parse(o->created_at, &ms) != 0)
        ms = yw_clock_now_ms();
    yw_clock_format(ms - 86400000LL, from);
    yw_clock_format(ms + 86400000LL, to);
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT " COLS " FROM hotline_orders WHERE category = ? AND id <> ? "
                    "AND created_at >= ? AND created_at <= ? AND merged_into = '' "
                    "AND status NOT IN ('closed', 'visited', 'rated', 'merged') "
                    "ORDER BY id DESC LIMIT 50",
                    "siss", o->category, o->id, from, to);
    if (s == NULL)
        return YW_EDB;
    struct yw_hotline__order *arr = yw_arena_alloc(a, sizeof *arr * 50);
    int k = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && k < 50)
        read_row(a, s, &arr[k++]);
    rc = rc == YW_ROW ? (yw_db_reset(s), 0) : yw_db_finish(s, rc);
    if (rc)
        return rc;
    *out = arr;
    *n = k;
    return 0;
}

int
yw_hotline__merged(struct yw_dbc *c, struct yw_arena *a, const char *master,
                   struct yw_hotline__order **out, int *n)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " COLS " FROM hotline_orders WHERE merged_into = ? "
                                    "ORDER BY id LIMIT 200",
                                    "s", master);
    if (s == NULL)
        return YW_EDB;
    struct yw_hotline__order *arr = yw_arena_alloc(a, sizeof *arr * 200);
    int k = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && k < 200)
        read_row(a, s, &arr[k++]);
    rc = rc == YW_ROW ? (yw_db_reset(s), 0) : yw_db_finish(s, rc);
    if (rc)
        return rc;
    *out = arr;
    *n = k;
    return 0;
}

/* ---- the knowledge base (hotline_knowledge) ---- */

int
yw_hotline__knowledge_add(struct yw_dbc *c, const char *category, const char *question,
                          const char *answer, const char *author, int64_t *id)
{
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_one_int(c, id,
                           "INSERT INTO hotline_knowledge (category, question, answer, author, "
                           "updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                           "sssss", category, question, answer, author, now);
    return rc == YW_ENOTFOUND ? YW_EDB : rc;
}

int
yw_hotline__knowledge_find(struct yw_dbc *c, const char *q, const char *category, int limit,
                           json_t **out)
{
    /* a plain LIKE: Chinese queries of two characters are common (DESIGN.md) */
    const char *cat = category ? category : "";
    const char *term = q ? q : "";
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT id, category, question, answer, author, updated_at FROM hotline_knowledge "
        "WHERE (? = '' OR category = ?) AND (? = '' OR question LIKE '%' || ? || '%' "
        "OR answer LIKE '%' || ? || '%') ORDER BY id LIMIT ?",
        "sssssd", cat, cat, term, term, term, limit);
    if (s == NULL)
        return YW_EDB;
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                             (json_int_t)yw_db_col_int(s, 0), "category", yw_db_col_text(s, 1),
                             "question", yw_db_col_text(s, 2), "answer", yw_db_col_text(s, 3),
                             "author", yw_db_col_text(s, 4), "updated_at", yw_db_col_text(s, 5)));
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}
