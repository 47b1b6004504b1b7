/*
 * fees.c - what a case owes: the fee of its catalog item turned into a
 * payment order when the case reaches the point the fee is due, through the
 * hold provider that cases asks (core/provider.h).
 *
 * The catalog states fees as the public guide prints them (收费标准, "120元",
 * "住宅每件80元，非住宅每件550元", "按本市……标准收取").  A fee of one amount is
 * due on application (point "submitted"); a fee listing several amounts
 * depends on what is decided (point "approved": the reviews decide which) and
 * is charged at the first amount listed, which a clerk may waive and a refund
 * may correct.  A fee the text gives no amount for ("按……标准") is not charged
 * by machine: the case goes on, and the department charges it as before.  An
 * item document may also say fee_fen and fee_point itself, which win.
 */
#include "payments/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/provider.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Amounts "NN元" / "NN.N元" in text (at most max), in fen; the count. */
static int
amounts(const char *t, int64_t *out, int max)
{
    int n = 0;
    const char *yuan = "\xe5\x85\x83"; /* 元 */
    for (const char *p = t; (p = strstr(p, yuan)) != NULL; p += 3) {
        const char *e = p, *b = p;
        while (b > t && ((b[-1] >= '0' && b[-1] <= '9') || b[-1] == '.'))
            b--;
        if (b == e || *b == '.')
            continue;
        char num[24];
        size_t len = (size_t)(e - b);
        if (len >= sizeof num)
            continue;
        memcpy(num, b, len);
        num[len] = '\0';
        char *dot = strchr(num, '.');
        int64_t fen = 0;
        if (dot) {
            *dot = '\0';
            fen = strtoll(num, NULL, 10) * 100;
            if (dot[1] >= '0' && dot[1] <= '9')
                fen += (dot[1] - '0') * 10;
            if (dot[1] && dot[2] >= '0' && dot[2] <= '9')
                fen += dot[2] - '0';
        } else {
            fen = strtoll(num, NULL, 10) * 100;
        }
        if (fen > 0 && n < max)
            out[n++] = fen;
    }
    return n;
}

int
yw_pay__fee_of(json_t *item, int64_t *fen, const char **point)
{
    json_t *ff = json_object_get(item, "fee_fen");
    if (json_is_integer(ff) && json_integer_value(ff) > 0) {
        const char *pt = json_string_value(json_object_get(item, "fee_point"));
        *fen = json_integer_value(ff);
        *point = pt && !strcmp(pt, "approved") ? "approved" : "submitted";
        return 0;
    }
    const char *text = json_string_value(json_object_get(item, "fee"));
    if (text == NULL || !text[0])
        return YW_ENOTFOUND;
    int64_t a[8];
    int n = amounts(text, a, 8);
    if (n == 0)
        return YW_ENOTFOUND;
    *fen = a[0];
    *point = n == 1 ? "submitted" : "approved";
    return 0;
}

/* Make the order of case `kase` for fen at point. */
static int
make_order(struct yw_dbc *c, json_t *kase, json_t *item, const char *point, int64_t fen,
           char *order_no, size_t order_no_n)
{
    char now[32], day[11];
    yw_db_now_text(now);
    yw_pay__today(day);
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    int64_t expires = yw_clock_now_ms() + cfg->pay_order_ttl * 1000;
    const char *fee = json_string_value(json_object_get(item, "fee"));
    const char *basis = json_string_value(json_object_get(item, "fee_basis"));
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id,
        "INSERT INTO pay_orders (case_id, case_no, item_code, title, dept_code, payer_id, "
        "payer_name, payer_ident, point, amount_fen, fee_text, fee_basis, status, created_at, "
        "expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unpaid', ?, ?) RETURNING id",
        "issssisssisssi", (int64_t)json_integer_value(json_object_get(kase, "case_id")),
        json_string_value(json_object_get(kase, "case_no")),
        json_string_value(json_object_get(kase, "code")),
        json_string_value(json_object_get(kase, "title")),
        json_string_value(json_object_get(kase, "dept")),
        (int64_t)json_integer_value(json_object_get(kase, "applicant_id")),
        json_string_value(json_object_get(kase, "applicant_name")),
        json_string_value(json_object_get(kase, "applicant_ident")), point, fen, fee ? fee : "",
        basis ? basis : "", now, expires);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    /* PO + the Shanghai date + the row id: unique across nodes, readable, dated */
    snprintf(order_no, order_no_n, "PO%.4s%.2s%.2s%08lld", day, day + 5, day + 8, (long long)id);
    rc = yw_db_run(c, "UPDATE pay_orders SET order_no = ? WHERE id = ?", "si", order_no, id);
    if (rc)
        return rc;
    char sum[160];
    snprintf(sum, sizeof sum, "{\"case_no\":\"%s\",\"amount_fen\":%lld,\"point\":\"%s\"}",
             json_string_value(json_object_get(kase, "case_no")), (long long)fen, point);
    struct yw_pay_actor sys = { 0, "payments", "system" };
    return yw_pay__audit(c, &sys, "payment.order", order_no, sum);
}

/* The hold provider: a case reaching `point` waits for its fee. */
static int
hold(struct yw_dbc *c, const char *point, json_t *kase, json_t **out, struct yw_err *err, void *ctx)
{
    (void)ctx;
    int64_t item_id = json_integer_value(json_object_get(kase, "item_id"));
    int64_t case_id = json_integer_value(json_object_get(kase, "case_id"));
    if (item_id <= 0)
        return YW_ENOTFOUND;
    json_t *item = NULL;
    int rc = yw_catalog_item_by_id_ro(c, item_id, &item); /* read only */
    if (rc == YW_ENOTFOUND)
        return YW_ENOTFOUND;
    if (rc)
        return yw_fail(err, rc, "", "cannot read the fee of item %lld", (long long)item_id);
    int64_t fen = 0;
    const char *due = NULL;
    if (yw_pay__fee_of(item, &fen, &due) != 0 || strcmp(due, point) != 0) {
        json_decref(item);
        return YW_ENOTFOUND;
    }
    /* an order made before (a case resubmitted) counts: paid or waived, the
     * case goes on; unpaid, it waits for that one */
    char no[40] = "", status[16] = "";
    struct yw_stmt *s = NULL;
    rc = yw_db_one_row(c, &s,
                       "SELECT order_no, status FROM pay_orders WHERE case_id = ? AND point = ? "
                       "AND status IN ('unpaid', 'paid', 'waived') ORDER BY id DESC",
                       "is", case_id, point);
    if (rc == 0) {
        snprintf(no, sizeof no, "%s", yw_db_col_text(s, 0));
        snprintf(status, sizeof status, "%s", yw_db_col_text(s, 1));
        yw_db_reset(s);
    } else if (rc != YW_ENOTFOUND) {
        json_decref(item);
        return yw_fail(err, rc, "", "cannot read the fee orders of case %lld", (long long)case_id);
    }
    if (status[0] && strcmp(status, "unpaid") != 0) {
        json_decref(item);
        return YW_ENOTFOUND;
    }
    if (!no[0] && (rc = make_order(c, kase, item, point, fen, no, sizeof no))) {
        json_decref(item);
        return yw_fail(err, rc, "", "cannot make the fee order of case %lld", (long long)case_id);
    }
    json_decref(item);
    *out =
        json_pack("{s:s, s:s, s:I}", "kind", "payment", "ref", no, "amount_fen", (json_int_t)fen);
    return 0;
}

/* case.withdrawn: the case's unpaid orders are cancelled. */
static int
on_withdrawn(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    int64_t n = 0;
    int64_t case_id = json_integer_value(json_object_get(p, "case_id"));
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_orders SET status = 'cancelled', version = version + 1 "
                               "WHERE case_id = ? AND status = 'unpaid'",
                               "i", case_id);
    if (rc == 0 && n > 0) {
        struct yw_pay_actor sys = { 0, "payments", "system" };
        rc = yw_pay__audit(c, &sys, "payment.cancel",
                           json_string_value(json_object_get(p, "case_no")),
                           "{\"reason\":\"case withdrawn\"}");
    }
    return rc;
}

void
yw_pay__hold_register(void)
{
    yw_provider_add_hold("payments", hold, NULL);
    yw_events_subscribe(YW_EV_CASE_WITHDRAWN, on_withdrawn, NULL);
}
