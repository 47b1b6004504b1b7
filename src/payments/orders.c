/*
 * orders.c - fee orders: loading, the JSON a viewer receives, who may see
 * one, lists, and the two ways an order is closed for good - paid (at the
 * window or through the gateway) and waived (减免) - each publishing the
 * event that lets the held case go on, with its audit record.
 */
#include "payments/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/roles.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <string.h>

#define ORDER_COLS                                                                                 \
    "id, order_no, case_id, case_no, item_code, title, dept_code, payer_id, payer_name, "          \
    "payer_ident, point, amount_fen, fee_text, fee_basis, status, channel, provider_ref, "         \
    "paid_fen, refunded_fen, paid_at, paid_day, paid_by, note, receipt_no, created_at, "           \
    "expires_ms, gateway_at_ms, next_query_ms, queries, version"

/* Staff who handle payments see every order. */
#define PAY_STAFF                                                                                  \
    (YW_ROLE_WINDOW_CLERK | YW_ROLE_FINANCE | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR |        \
     YW_ROLE_ADMIN)

static void
fill(struct yw_stmt *s, struct yw_arena *a, struct yw_pay_order *o)
{
#define T(i) yw_arena_strdup(a, yw_db_col_text(s, i))
#define I(i) yw_db_col_int(s, i)
    o->id = I(0);
    o->order_no = T(1);
    o->case_id = I(2);
    o->case_no = T(3);
    o->item_code = T(4);
    o->title = T(5);
    o->dept = T(6);
    o->payer_id = I(7);
    o->payer_name = T(8);
    o->payer_ident = T(9);
    o->point = T(10);
    o->amount_fen = I(11);
    o->fee_text = T(12);
    o->fee_basis = T(13);
    o->status = T(14);
    o->channel = T(15);
    o->provider_ref = T(16);
    o->paid_fen = I(17);
    o->refunded_fen = I(18);
    o->paid_at = T(19);
    o->paid_day = T(20);
    o->paid_by = I(21);
    o->note = T(22);
    o->receipt_no = T(23);
    o->created_at = T(24);
    o->expires_ms = I(25);
    o->gateway_at_ms = I(26);
    o->next_query_ms = I(27);
    o->queries = (int)I(28);
    o->version = (int)I(29);
#undef T
#undef I
}

static int
loaded(int rc, struct yw_stmt *s, struct yw_arena *a, struct yw_pay_order *out)
{
    if (rc == 0) {
        fill(s, a, out);
        yw_db_reset(s);
    }
    return rc;
}

int
yw_pay__load(struct yw_dbc *c, struct yw_arena *a, const char *order_no, struct yw_pay_order *out)
{
    if (order_no == NULL || strlen(order_no) > 40)
        return YW_ENOTFOUND;
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " ORDER_COLS " FROM pay_orders WHERE order_no = ?", "s",
                           order_no);
    return loaded(rc, s, a, out);
}

int
yw_pay__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_pay_order *out)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " ORDER_COLS " FROM pay_orders WHERE id = ?", "i", id);
    return loaded(rc, s, a, out);
}

int
yw_pay__visible(const struct yw_pay_order *o, const struct yw_principal *who)
{
    if (who == NULL)
        return YW_ENOTFOUND;
    if (who->account_id != 0 && who->account_id == o->payer_id)
        return 0;
    return (who->roles & PAY_STAFF) ? 0 : YW_ENOTFOUND;
}

json_t *
yw_pay__order_json(const struct yw_pay_order *o, bool staff)
{
    char ident[24], exp[32];
    if (staff && strlen(o->payer_ident) == 18 &&
        yw_cnid_check_id(o->payer_ident, 18, NULL, NULL) == 0)
        yw_cnid_mask_id(o->payer_ident, ident);
    else
        snprintf(ident, sizeof ident, "%s", o->payer_ident);
    yw_clock_format(o->expires_ms, exp);
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, "
        "s:s, s:s, s:s, s:s, s:s}",
        "order_no", o->order_no, "case_no", o->case_no, "item_code", o->item_code, "title",
        o->title, "dept", o->dept, "point", o->point, "payer", "id", (json_int_t)o->payer_id,
        "name", o->payer_name, "ident", ident, "amount_fen", (json_int_t)o->amount_fen, "fee_text",
        o->fee_text, "fee_basis", o->fee_basis, "status", o->status, "channel", o->channel,
        "provider_ref", o->provider_ref, "paid_fen", (json_int_t)o->paid_fen, "refunded_fen",
        (json_int_t)o->refunded_fen, "paid_at", o->paid_at, "note", o->note, "receipt_no",
        o->receipt_no, "created_at", o->created_at, "expires_at", exp);
    json_object_set_new(j, "gateway_started", json_boolean(o->gateway_at_ms != 0));
    if (staff)
        json_object_set_new(j, "queries", json_integer(o->queries));
    return j;
}

json_t *
yw_pay__list(struct yw_dbc *c, struct yw_arena *a, int64_t payer_id, const char *case_no,
             const char *status, int64_t limit, bool staff)
{
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT " ORDER_COLS " FROM pay_orders WHERE (? = 0 OR payer_id = ?) AND (? = '' OR "
        "case_no = ?) AND (? = '' OR status = ?) ORDER BY id DESC LIMIT ?",
        "iissssi", payer_id, payer_id, case_no ? case_no : "", case_no ? case_no : "",
        status ? status : "", status ? status : "", limit);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_pay_order o;
        fill(s, a, &o);
        json_array_append_new(list, yw_pay__order_json(&o, staff));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int
yw_pay__audit(struct yw_dbc *c, const struct yw_pay_actor *who, const char *action,
              const char *order_no, const char *summary)
{
    char actor[24];
    if (who->id)
        snprintf(actor, sizeof actor, "%lld", (long long)who->id);
    else
        snprintf(actor, sizeof actor, "system");
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = who->role,
                                                     .action = action,
                                                     .obj_type = "payment",
                                                     .obj_id = order_no,
                                                     .summary = summary });
}

void
yw_pay__today(char day[11])
{
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), day);
}

/* The event that lets the case go on. */
static int
publish(struct yw_dbc *c, enum yw_event ev, const struct yw_pay_order *o, const char *channel,
        const struct yw_pay_actor *who, struct yw_err *err)
{
    json_t *p = json_pack("{s:s, s:I, s:s, s:I, s:s, s:I, s:s, s:s}", "order_no", o->order_no,
                          "case_id", (json_int_t)o->case_id, "case_no", o->case_no, "amount_fen",
                          (json_int_t)o->amount_fen, "channel", channel, "actor_id",
                          (json_int_t)who->id, "actor_name", who->name ? who->name : "",
                          "actor_role", who->role ? who->role : "");
    int rc = yw_events_publish(c, ev, p, err);
    json_decref(p);
    return rc;
}

/* Close an unpaid order: status `to`, optimistic on its version. */
static int
close_order(struct yw_dbc *c, struct yw_pay_order *o, const char *to, const char *channel,
            const char *ref, int64_t paid_fen, const char *note, const struct yw_pay_actor *who,
            struct yw_err *err)
{
    if (strcmp(o->status, "unpaid") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s', not unpaid", o->order_no,
                       o->status);
    if (yw_clock_now_ms() > o->expires_ms && !strcmp(to, "paid") && strcmp(channel, "gateway"))
        return yw_fail(err, YW_ESTATE, "", "order '%s' expired: it can no longer be paid",
                       o->order_no);
    char now[32], day[11], receipt[40] = "";
    yw_db_now_text(now);
    yw_pay__today(day);
    if (!strcmp(to, "paid")) /* 财政电子票据号码: the order's own number, dated */
        snprintf(receipt, sizeof receipt, "R%s", o->order_no + 2);
    int64_t n = 0;
    int rc = yw_db_run_changes(
        c, &n,
        "UPDATE pay_orders SET status = ?, channel = ?, provider_ref = ?, paid_fen = ?, "
        "paid_at = ?, paid_day = ?, paid_by = ?, note = ?, receipt_no = ?, version = version + 1 "
        "WHERE id = ? AND status = 'unpaid' AND version = ?",
        "sssississid", to, channel, ref ? ref : "", paid_fen, now, day, who->id, note ? note : "",
        receipt, o->id, o->version);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ECONFLICT, "", "order '%s' was changed by someone else; reload it",
                       o->order_no);
    o->status = to;
    o->version++;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "{\"case_no\":\"%s\",\"amount_fen\":%lld,\"channel\":", o->case_no,
                  (long long)o->amount_fen);
    yw_buf_add_json_str(&b, channel, strlen(channel));
    yw_buf_adds(&b, ",\"ref\":");
    yw_buf_add_json_str(&b, ref ? ref : "", ref ? strlen(ref) : 0);
    yw_buf_adds(&b, ",\"note\":");
    yw_buf_add_json_str(&b, note ? note : "", note ? strlen(note) : 0);
    yw_buf_adds(&b, "}");
    rc = yw_pay__audit(c, who, !strcmp(to, "paid") ? "payment.pay" : "payment.waive", o->order_no,
                       b.p);
    yw_buf_release(&b);
    if (rc == 0)
        rc = publish(c, !strcmp(to, "paid") ? YW_EV_PAYMENT_PAID : YW_EV_PAYMENT_WAIVED, o, channel,
                     who, err);
    return rc;
}

int
yw_pay__settle(struct yw_dbc *c, struct yw_pay_order *o, const char *channel,
               const char *provider_ref, int64_t paid_fen, const struct yw_pay_actor *who,
               struct yw_err *err)
{
    if (paid_fen != o->amount_fen)
        return yw_fail(err, YW_EFIELD, "amount_fen",
                       "amount %lld fen does not match order '%s' (%lld fen)", (long long)paid_fen,
                       o->order_no, (long long)o->amount_fen);
    return close_order(c, o, "paid", channel, provider_ref, paid_fen, "", who, err);
}

int
yw_pay__waive(struct yw_dbc *c, struct yw_pay_order *o, const char *reason,
              const struct yw_pay_actor *who, struct yw_err *err)
{
    if (reason == NULL || !reason[0])
        return yw_fail(err, YW_EFIELD, "reason", "a waiver needs its reason");
    return close_order(c, o, "waived", "waiver", "", 0, reason, who, err);
}

int
yw_pay__reissue(struct yw_dbc *c, struct yw_pay_order *o, const struct yw_pay_actor *who,
                char *new_no, size_t new_no_n, struct yw_err *err)
{
    if (strcmp(o->status, "expired") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s': only an expired order is reissued",
                       o->order_no, o->status);
    /* once: not when the case already has a live (or settled) order for the fee */
    int rc = yw_db_exists(c,
                          "SELECT 1 FROM pay_orders WHERE case_id = ? AND point = ? AND status IN "
                          "('unpaid', 'paid', 'waived')",
                          "is", o->case_id, o->point);
    if (rc == 0)
        return yw_fail(err, YW_ESTATE, "", "case '%s' already has a newer order for this fee",
                       o->case_no);
    if (rc != YW_ENOTFOUND)
        return rc;
    char now[32], day[11];
    yw_db_now_text(now);
    yw_pay__today(day);
    int64_t expires = yw_clock_now_ms() + yw_pay__cfg()->pay_order_ttl * 1000;
    int64_t id = 0;
    rc = yw_db_one_int(
        c, &id,
        "INSERT INTO pay_orders (case_id, case_no, item_code, title, dept_code, payer_id, "
        "payer_name, payer_ident, point, amount_fen, fee_text, fee_basis, status, created_at, "
        "expires_ms) SELECT case_id, case_no, item_code, title, dept_code, payer_id, payer_name, "
        "payer_ident, point, amount_fen, fee_text, fee_basis, 'unpaid', ?, ? FROM pay_orders "
        "WHERE id = ? AND status = 'expired' RETURNING id",
        "sii", now, expires, o->id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_ECONFLICT, "", "order '%s' was changed by someone else; reload it",
                       o->order_no);
    if (rc)
        return rc;
    snprintf(new_no, new_no_n, "PO%.4s%.2s%.2s%08lld", day, day + 5, day + 8, (long long)id);
    if ((rc = yw_db_run(c, "UPDATE pay_orders SET order_no = ? WHERE id = ?", "si", new_no, id)))
        return rc;
    char sum[160];
    snprintf(sum, sizeof sum, "{\"case_no\":\"%s\",\"reissued_as\":\"%s\"}", o->case_no, new_no);
    return yw_pay__audit(c, who, "payment.reissue", o->order_no, sum);
}
