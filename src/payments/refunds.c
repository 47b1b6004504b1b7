/*
 * refunds.c - refunds of a paid fee, full or partial: asked for with a
 * reason (window or finance) and approved or rejected by finance - never by
 * the person who asked (four eyes).  The refunds of an order never add up to
 * more than was paid: checked when asked (with the refunds still pending)
 * and again, in the same UPDATE, when approved.
 */
#include "payments/internal.h"

#include "db/events.h"

#include <stdio.h>
#include <string.h>

/* requested | rejected | approved (not yet paid back) | sent (to the gateway)
 * | refunded | failed */
#define STATUS "CASE WHEN p.state IS NULL OR p.state = 'queued' THEN r.status ELSE p.state END"
#define REFUND_COLS                                                                                \
    "r.refund_no, o.order_no, r.amount_fen, r.reason, " STATUS                                     \
    ", r.requested_by, r.requested_at, "                                                           \
    "r.decided_by, r.decided_at, r.decision_note, o.case_no, r.id, r.order_id, "                   \
    "COALESCE(p.channel, o.channel), COALESCE(p.provider_ref, ''), COALESCE(p.sent_at, ''), "      \
    "COALESCE(p.done_at, '')"
#define REFUND_FROM                                                                                \
    " FROM pay_refunds r JOIN pay_orders o ON o.id = r.order_id LEFT JOIN pay_refund_payouts p "   \
    "ON p.refund_id = r.id "

static json_t *
row_json(struct yw_stmt *s)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s, s:I, s:s, s:s, "
                     "s:s}",
                     "channel", yw_db_col_text(s, 13), "provider_ref", yw_db_col_text(s, 14),
                     "sent_at", yw_db_col_text(s, 15), "refunded_at", yw_db_col_text(s, 16),
                     "refund_no", yw_db_col_text(s, 0), "order_no", yw_db_col_text(s, 1),
                     "amount_fen", (json_int_t)yw_db_col_int(s, 2), "reason", yw_db_col_text(s, 3),
                     "status", yw_db_col_text(s, 4), "requested_by",
                     (json_int_t)yw_db_col_int(s, 5), "requested_at", yw_db_col_text(s, 6),
                     "decided_by", (json_int_t)yw_db_col_int(s, 7), "decided_at",
                     yw_db_col_text(s, 8), "decision_note", yw_db_col_text(s, 9), "case_no",
                     yw_db_col_text(s, 10));
}

int
yw_pay__refund_json(struct yw_dbc *c, const char *refund_no, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT order_id FROM pay_refunds WHERE refund_no = ?", "s",
                           refund_no);
    if (rc)
        return rc;
    int64_t oid = yw_db_col_int(s, 0);
    yw_db_reset(s);
    json_t *list = yw_pay__refunds(c, NULL, oid);
    if (list == NULL)
        return YW_EDB;
    rc = YW_ENOTFOUND;
    for (size_t i = 0; i < json_array_size(list) && rc; i++) {
        json_t *r = json_array_get(list, i);
        if (!strcmp(json_string_value(json_object_get(r, "refund_no")), refund_no)) {
            *out = json_incref(r);
            rc = 0;
        }
    }
    json_decref(list);
    return rc;
}

json_t *
yw_pay__refunds(struct yw_dbc *c, const char *status, int64_t order_id)
{
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT " REFUND_COLS REFUND_FROM "WHERE (? = '' OR " STATUS
                    " = ?) AND (? = 0 OR r.order_id = ?) ORDER BY r.id DESC LIMIT 200",
                    "ssii", status ? status : "", status ? status : "", order_id, order_id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, row_json(s));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static int
one(struct yw_dbc *c, const char *refund_no, json_t **out, int64_t *id, int64_t *order_id)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " REFUND_COLS REFUND_FROM "WHERE r.refund_no = ?", "s",
                           refund_no);
    if (rc == 0) {
        *out = row_json(s);
        if (id)
            *id = yw_db_col_int(s, 11);
        if (order_id)
            *order_id = yw_db_col_int(s, 12);
        yw_db_reset(s);
    }
    return rc;
}

int
yw_pay__refund_request(struct yw_dbc *c, struct yw_arena *a, struct yw_pay_order *o,
                       int64_t amount_fen, const char *reason, const struct yw_pay_actor *who,
                       json_t **out, struct yw_err *err)
{
    (void)a;
    if (reason == NULL || !reason[0])
        return yw_fail(err, YW_EFIELD, "reason", "a refund needs its reason");
    if (strcmp(o->status, "paid") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s': nothing was paid", o->order_no,
                       o->status);
    int64_t pending = 0;
    int rc =
        yw_db_one_int(c, &pending,
                      "SELECT COALESCE(SUM(amount_fen), 0) FROM pay_refunds WHERE order_id = ? "
                      "AND status = 'requested'",
                      "i", o->id);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    int64_t left = o->paid_fen - o->refunded_fen - pending;
    if (amount_fen > left)
        return yw_fail(err, YW_EFIELD, "amount_fen",
                       "at most %lld fen of order '%s' can still be refunded", (long long)left,
                       o->order_no);
    char now[32], day[11], no[40];
    yw_db_now_text(now);
    yw_pay__today(day);
    int64_t id = 0;
    rc = yw_db_one_int(
        c, &id,
        "INSERT INTO pay_refunds (order_id, amount_fen, reason, status, requested_by, "
        "requested_at) VALUES (?, ?, ?, 'requested', ?, ?) RETURNING id",
        "iisis", o->id, amount_fen, reason, who->id, now);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    snprintf(no, sizeof no, "RF%.4s%.2s%.2s%08lld", day, day + 5, day + 8, (long long)id);
    if ((rc = yw_db_run(c, "UPDATE pay_refunds SET refund_no = ? WHERE id = ?", "si", no, id)))
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "{\"refund_no\":\"%s\",\"amount_fen\":%lld,\"reason\":", no,
                  (long long)amount_fen);
    yw_buf_add_json_str(&b, reason, strlen(reason));
    yw_buf_adds(&b, "}");
    rc = yw_pay__audit(c, who, "payment.refund_request", o->order_no, b.p);
    yw_buf_release(&b);
    return rc ? rc : one(c, no, out, NULL, NULL);
}

int
yw_pay__refund_decide(struct yw_dbc *c, struct yw_arena *a, const char *refund_no, bool approve,
                      const char *note, const char *base_url, const struct yw_pay_actor *who,
                      json_t **out, int64_t *queued_id, struct yw_err *err)
{
    *queued_id = 0;
    json_t *r = NULL;
    int64_t id = 0, order_id = 0;
    if (refund_no == NULL || strlen(refund_no) > 40)
        return yw_fail(err, YW_ENOTFOUND, "", "no refund");
    int rc = one(c, refund_no, &r, &id, &order_id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no refund '%.40s'", refund_no);
    if (rc)
        return rc;
    const char *status = json_string_value(json_object_get(r, "status"));
    int64_t amount = json_integer_value(json_object_get(r, "amount_fen"));
    int64_t by = json_integer_value(json_object_get(r, "requested_by"));
    if (strcmp(status, "requested") != 0) {
        rc = yw_fail(err, YW_ESTATE, "", "refund '%s' is already %s", refund_no, status);
        goto out;
    }
    if (by == who->id) {
        rc = yw_fail(err, YW_EFORBIDDEN, "",
                     "refund '%s' is decided by someone other than who asked for it", refund_no);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    if ((rc = yw_db_run_changes(
             c, &n,
             "UPDATE pay_refunds SET status = ?, decided_by = ?, decided_at = ?, "
             "decision_note = ? WHERE id = ? AND status = 'requested'",
             "sissi", approve ? "approved" : "rejected", who->id, now, note ? note : "", id)))
        goto out;
    if (n == 0) {
        rc = yw_fail(err, YW_ECONFLICT, "", "refund '%s' was decided by someone else", refund_no);
        goto out;
    }
    struct yw_pay_order o;
    if ((rc = yw_pay__load_id(c, a, order_id, &o)))
        goto out;
    if (approve) {
        if ((rc = yw_db_run_changes(c, &n,
                                    "UPDATE pay_orders SET refunded_fen = refunded_fen + ?, "
                                    "version = version + 1 WHERE id = ? AND status = 'paid' AND "
                                    "paid_fen - refunded_fen >= ?",
                                    "iii", amount, order_id, amount)))
            goto out;
        if (n == 0) {
            rc = yw_fail(err, YW_EFIELD, "amount_fen",
                         "refund '%s' is more than order '%s' still holds", refund_no, o.order_no);
            goto out;
        }
        json_t *p = json_pack("{s:s, s:I, s:s, s:I, s:s}", "order_no", o.order_no, "case_id",
                              (json_int_t)o.case_id, "case_no", o.case_no, "amount_fen",
                              (json_int_t)amount, "refund_no", refund_no);
        rc = yw_events_publish(c, YW_EV_PAYMENT_REFUNDED, p, err);
        json_decref(p);
        if (rc)
            goto out;
        /* a gateway payment is paid back by the gateway; the window's at its POS */
        if (!strcmp(o.channel, "gateway")) {
            if ((rc = yw_pay__payout_queue(c, id, base_url)))
                goto out;
            *queued_id = id;
        }
    }
    char sum[200];
    snprintf(sum, sizeof sum, "{\"refund_no\":\"%s\",\"amount_fen\":%lld,\"approved\":%s}",
             refund_no, (long long)amount, approve ? "true" : "false");
    if ((rc = yw_pay__audit(c, who, approve ? "payment.refund_approve" : "payment.refund_reject",
                            o.order_no, sum)))
        goto out;
    json_decref(r);
    r = NULL;
    rc = one(c, refund_no, out, NULL, NULL);
out:
    json_decref(r);
    return rc;
}
