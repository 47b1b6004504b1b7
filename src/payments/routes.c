/*
 * routes.c - HTTP routes of payments, and the module descriptor.
 *
 *   GET  /api/v1/payments/orders                    the payer's orders; staff: by case_no / status
 *   GET  /api/v1/payments/orders/{no}               one order (its payer, payment staff)
 *   POST /api/v1/payments/orders/{no}/pay           the payer starts paying online: the gateway's URL
 *   POST /api/v1/payments/orders/{no}/window        the window records a POS payment (terminal reference)
 *   POST /api/v1/payments/orders/{no}/waive         the window waives the fee (减免) with a reason
 *   POST /api/v1/payments/orders/{no}/reissue       the window reissues an expired order (重新开具)
 *   GET  /api/v1/payments/orders/{no}/receipt.pdf   the electronic receipt of a paid order
 *   POST /api/v1/payments/orders/{no}/refunds       ask for a refund (window, finance)
 *   GET  /api/v1/payments/refunds                   refunds (finance)
 *   POST /api/v1/payments/refunds/{no}/decide       approve or reject a refund (finance)
 *   POST /api/v1/payments/refunds/{no}/window       the window paid a refund back at its POS
 *   POST /api/v1/payments/notify                    the gateway's signed notification (public)
 *   POST /api/v1/payments/refund-notify             the gateway's signed refund notification (public)
 *   POST /api/v1/payments/settlements               import a day's settlement file (finance; admins,
 *                                                   who may automate the daily upload)
 *   GET  /api/v1/payments/reconciliation            a day's reconciliation (finance)
 *   GET  /api/v1/payments/reconciliation.xlsx       the same as a workbook (finance)
 */
#include "payments/internal.h"

#include "core/log.h"
#include "core/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAY_STAFF                                                                                  \
    (YW_ROLE_WINDOW_CLERK | YW_ROLE_FINANCE | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR |        \
     YW_ROLE_ADMIN)

static bool
is_pay_staff(struct yw_req *req)
{
    return (req->who->roles & PAY_STAFF) != 0;
}

static struct yw_pay_actor
actor(struct yw_req *req, const char *role)
{
    return (struct yw_pay_actor){ req->who->account_id, req->who->name, role };
}

/* The order named in the path, if the caller may see it (else 404). */
static int
order(struct yw_req *req, struct yw_pay_order *o)
{
    const char *no = yw_req_param(req, "no");
    int rc = yw_pay__load(req->db, &req->arena, no, o);
    if (rc == 0)
        rc = yw_pay__visible(o, req->who);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no order '%.40s'", no);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read order '%.40s'", no);
    return 0;
}

static int
send_order(struct yw_req *req, int status, const struct yw_pay_order *o)
{
    struct yw_pay_order cur;
    if (yw_pay__load_id(req->db, &req->arena, o->id, &cur) != 0)
        cur = *o;
    return yw_resp_json(req, status, yw_pay__order_json(&cur, is_pay_staff(req)));
}

static const char *const statuses[] = { "unpaid", "paid", "waived", "expired", "cancelled", NULL };

static bool
one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

static int
h_list(struct yw_req *req)
{
    const char *case_no = yw_req_query(req, "case_no"), *status = yw_req_query(req, "status");
    int64_t limit;
    int rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit);
    if (rc)
        return rc;
    if (case_no && strlen(case_no) > 40)
        return yw_fail(&req->err, YW_EFIELD, "case_no", "case_no is a case number (XH...)");
    if (status && status[0] && !one_of(status, statuses))
        return yw_fail(&req->err, YW_EFIELD, "status",
                       "status is unpaid, paid, waived, expired or cancelled");
    bool staff = is_pay_staff(req);
    json_t *list = yw_pay__list(req->db, &req->arena, staff ? 0 : req->who->account_id, case_no,
                                status, limit, staff);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the orders");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

static int
h_get(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    json_t *j = yw_pay__order_json(&o, is_pay_staff(req));
    json_t *refunds = yw_pay__refunds(req->db, NULL, o.id);
    if (refunds == NULL) {
        json_decref(j);
        return yw_fail(&req->err, YW_EDB, "", "cannot read the refunds of '%s'", o.order_no);
    }
    json_object_set_new(j, "refunds", refunds);
    json_object_set_new(j, "online", json_boolean(yw_pay__gateway_on()));
    return yw_resp_json(req, 200, j);
}

static int
h_pay(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    if (o.payer_id != req->who->account_id) /* only the payer pays online */
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no order '%.40s'", o.order_no);
    const char *url = NULL;
    if ((rc = yw_pay__start(req->db, &req->arena, &o, yw_req_base_url(req), &url, &req->err)))
        return rc;
    struct yw_pay_actor who = actor(req, "applicant");
    if ((rc = yw_pay__audit(req->db, &who, "payment.start", o.order_no,
                            "{\"channel\":\"gateway\"}")))
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I}", "order_no", o.order_no, "pay_url", url,
                                  "amount_fen", (json_int_t)o.amount_fen));
}

static int
h_window(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    const char *ref = yw_body_str(req, "terminal_ref");
    json_t *amt = json_object_get(req->body, "amount_fen");
    if (ref == NULL || !ref[0])
        return yw_fail(&req->err, YW_EMISSING, "terminal_ref",
                       "the POS terminal's reference (参考号) is needed");
    if (!json_is_integer(amt) || json_integer_value(amt) <= 0)
        return yw_fail(&req->err, YW_EFIELD, "amount_fen", "amount_fen is a positive integer");
    struct yw_pay_actor who = actor(req, "window_clerk");
    if ((rc = yw_pay__settle(req->db, &o, "window", ref, json_integer_value(amt), &who, &req->err)))
        return rc;
    return send_order(req, 200, &o);
}

static int
h_waive(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    struct yw_pay_actor who = actor(req, "window_clerk");
    if ((rc = yw_pay__waive(req->db, &o, yw_body_str(req, "reason"), &who, &req->err)))
        return rc;
    return send_order(req, 200, &o);
}

static int
h_reissue(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    struct yw_pay_actor who = actor(req, "window_clerk");
    char no[40];
    if ((rc = yw_pay__reissue(req->db, &o, &who, no, sizeof no, &req->err)))
        return rc;
    struct yw_pay_order n;
    if ((rc = yw_pay__load(req->db, &req->arena, no, &n)))
        return rc;
    return yw_resp_json(req, 201, yw_pay__order_json(&n, true));
}

static int
h_receipt(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    if (strcmp(o.status, "paid") != 0)
        return yw_fail(&req->err, YW_ESTATE, "", "order '%s' is '%s': no receipt", o.order_no,
                       o.status);
    char *pdf = NULL;
    size_t len = 0;
    if ((rc = yw_pay__receipt_pdf(&o, yw_req_base_url(req), &pdf, &len, &req->err)))
        return rc;
    yw_resp_header(req, "Content-Disposition", "inline; filename=\"receipt.pdf\"");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "application/pdf", pdf, len);
}

static int
h_notify(struct yw_req *req)
{
    bool dup = false;
    int rc = yw_pay__notify(req->db, &req->arena, req->body, &dup, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s, s:b}", "result", "SUCCESS", "duplicate", dup));
}

static int
h_refund(struct yw_req *req)
{
    struct yw_pay_order o;
    int rc = order(req, &o);
    if (rc)
        return rc;
    json_t *amt = json_object_get(req->body, "amount_fen");
    if (!json_is_integer(amt) || json_integer_value(amt) <= 0)
        return yw_fail(&req->err, YW_EFIELD, "amount_fen", "amount_fen is a positive integer");
    struct yw_pay_actor who =
        actor(req, (req->who->roles & YW_ROLE_FINANCE) ? "finance" : "window_clerk");
    json_t *out = NULL;
    if ((rc = yw_pay__refund_request(req->db, &req->arena, &o, json_integer_value(amt),
                                     yw_body_str(req, "reason"), &who, &out, &req->err)))
        return rc;
    return yw_resp_json(req, 201, out);
}

static int
h_refunds(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status");
    static const char *const rs[] = { "requested", "approved", "rejected", "sent",
                                      "refunded",  "failed",   NULL };
    if (status && status[0] && !one_of(status, rs))
        return yw_fail(&req->err, YW_EFIELD, "status",
                       "status is requested, approved, rejected, sent, refunded or failed");
    json_t *list = yw_pay__refunds(req->db, status && status[0] ? status : NULL, 0);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the refunds");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

/* After the approval committed: a gateway payment's refund is sent to the
 * gateway now (the job retries what this could not send); the refund as it
 * then stands. */
static int
decide_after(struct yw_req *req)
{
    yw_pay__payout_try(yw_pay__db(), req->after_id);
    const char *no = yw_req_param(req, "no");
    json_t *one = NULL;
    if (yw_pay__refund_json(req->db, no, &one) == 0)
        return yw_resp_json(req, 200, one);
    return yw_fail(&req->err, YW_EDB, "", "cannot read refund '%.40s'", no);
}

static int
h_decide(struct yw_req *req)
{
    json_t *ap = json_object_get(req->body, "approve");
    struct yw_pay_actor who = actor(req, "finance");
    json_t *out = NULL;
    int64_t queued = 0;
    int rc = yw_pay__refund_decide(req->db, &req->arena, yw_req_param(req, "no"), json_is_true(ap),
                                   yw_body_str(req, "note"), yw_req_base_url(req), &who, &out,
                                   &queued, &req->err);
    if (rc)
        return rc;
    if (queued) {
        json_decref(out);
        req->after_id = queued;
        req->after_commit = decide_after;
        return 0;
    }
    return yw_resp_json(req, 200, out);
}

static int
h_refund_window(struct yw_req *req)
{
    struct yw_pay_actor who = actor(req, "window_clerk");
    const char *no = yw_req_param(req, "no");
    int rc = yw_pay__refund_window(req->db, no, yw_body_str(req, "terminal_ref"), &who, &req->err);
    if (rc)
        return rc;
    json_t *one = NULL;
    rc = yw_pay__refund_json(req->db, no, &one);
    if (rc == 0)
        return yw_resp_json(req, 200, one);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EDB, "", "cannot read refund '%.40s'", no);
    return rc == YW_EDB ? yw_fail(&req->err, YW_EDB, "", "cannot read the refunds") : rc;
}

static int
h_refund_notify(struct yw_req *req)
{
    bool dup = false;
    int rc = yw_pay__refund_notify(req->db, req->body, &dup, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s, s:b}", "result", "SUCCESS", "duplicate", dup));
}

/* "YYYY-MM-DD" */
static bool
day_ok(const char *d)
{
    if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return false;
    int m = atoi(d + 5), dd = atoi(d + 8);
    return m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

/* The settlement file arrives as a multipart upload (part "file", up to
 * upload_limit): a day of 100,000 lines is several megabytes, past a JSON
 * body's limit. */
static int
h_settlement(struct yw_req *req)
{
    int rc;
    const struct yw_upload *up = yw_req_upload(req, &rc);
    if (up == NULL)
        return rc;
    const char *day = yw_req_query(req, "day");
    if (!day_ok(day))
        return yw_fail(&req->err, YW_EFIELD, "day", "day is a date, YYYY-MM-DD");
    const char *source = yw_req_query(req, "source");
    if (source == NULL || !source[0])
        source = "gateway";
    if (strcmp(source, "gateway") && strcmp(source, "pos"))
        return yw_fail(&req->err, YW_EFIELD, "source", "source is gateway or pos");
    char *csv = yw_arena_alloc(&req->arena, (size_t)up->size + 1);
    size_t got = 0;
    while (got < up->size) {
        ssize_t n = pread(up->fd, csv + got, (size_t)up->size - got, (off_t)got);
        if (n <= 0)
            return yw_fail(&req->err, YW_EIO, "", "cannot read the uploaded file");
        got += (size_t)n;
    }
    csv[got] = '\0';
    if (strlen(csv) != got)
        return yw_fail(&req->err, YW_EFIELD, "file", "the settlement file is not text (CSV)");
    int lines = 0;
    struct yw_pay_actor who = actor(req, "finance");
    if ((rc = yw_pay__settlement_import(req->db, day, source, csv, &lines, &who, &req->err)))
        return rc;
    return yw_resp_json(req, 201,
                        json_pack("{s:s, s:s, s:i}", "day", day, "source", source, "lines", lines));
}

static int
recon(struct yw_req *req, json_t **out)
{
    const char *day = yw_req_query(req, "day");
    if (!day_ok(day))
        return yw_fail(&req->err, YW_EFIELD, "day", "day is a date, YYYY-MM-DD");
    return yw_pay__recon(req->db, day, out, &req->err);
}

static int
h_recon(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = recon(req, &o);
    return rc ? rc : yw_resp_json(req, 200, o);
}

static int
h_recon_xlsx(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = recon(req, &o);
    if (rc)
        return rc;
    char *x = NULL;
    size_t len = 0;
    rc = yw_pay__recon_xlsx(o, &x, &len, &req->err);
    if (rc == 0) {
        char cd[96];
        snprintf(cd, sizeof cd, "attachment; filename=\"reconciliation-%s.xlsx\"",
                 json_string_value(json_object_get(o, "day")));
        yw_resp_header(req, "Content-Disposition", cd);
        rc = yw_resp_take(
            req, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x, len);
    }
    json_decref(o);
    return rc;
}

static const struct yw_field pay_body[] = { { "channel", YW_F_STRING, false, 16 },
                                            { NULL, 0, false, 0 } };
static const struct yw_field window_body[] = { { "terminal_ref", YW_F_STRING, true, 64 },
                                               { "amount_fen", YW_F_INT, true, 0 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field refund_body[] = { { "amount_fen", YW_F_INT, true, 0 },
                                               { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field refund_window_body[] = { { "terminal_ref", YW_F_STRING, true, 64 },
                                                      { NULL, 0, false, 0 } };
static const struct yw_field refund_notify_body[] = {
    { "notify_id", YW_F_STRING, true, 64 },   { "refund_no", YW_F_STRING, true, 40 },
    { "order_no", YW_F_STRING, true, 40 },    { "refund_id", YW_F_STRING, true, 64 },
    { "amount_fen", YW_F_INT, true, 0 },      { "status", YW_F_STRING, true, 16 },
    { "refunded_at_ms", YW_F_INT, false, 0 }, { "sign_type", YW_F_STRING, true, 8 },
    { "sign", YW_F_STRING, true, 1000 },      { NULL, 0, false, 0 },
};
static const struct yw_field decide_body[] = { { "approve", YW_F_BOOL, true, 0 },
                                               { "note", YW_F_STRING, false, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field notify_body[] = {
    { "notify_id", YW_F_STRING, true, 64 },
    { "order_no", YW_F_STRING, true, 40 },
    { "trade_no", YW_F_STRING, true, 64 },
    { "amount_fen", YW_F_INT, true, 0 },
    { "status", YW_F_STRING, true, 16 },
    { "paid_at_ms", YW_F_INT, false, 0 },
    { "sign_type", YW_F_STRING, true, 8 },
    { "sign", YW_F_STRING, true, 1000 },
    { NULL, 0, false, 0 },
};

static const struct yw_route routes[] = {
    { "GET", "/api/v1/payments/orders", h_list, YW_ROLE_APPLICANT | PAY_STAFF, 0, NULL,
      "fee orders (the payer's own; staff by case)" },
    { "GET", "/api/v1/payments/orders/{no}", h_get, YW_ROLE_APPLICANT | PAY_STAFF, 0, NULL,
      "a fee order" },
    { "POST", "/api/v1/payments/orders/{no}/pay", h_pay, YW_ROLE_APPLICANT, YW_R_WRITE, pay_body,
      "pay online: the gateway's page" },
    { "POST", "/api/v1/payments/orders/{no}/window", h_window, YW_ROLE_WINDOW_CLERK, YW_R_WRITE,
      window_body, "record a payment at the window" },
    { "POST", "/api/v1/payments/orders/{no}/waive", h_waive, YW_ROLE_WINDOW_CLERK, YW_R_WRITE,
      reason_body, "waive the fee (减免)" },
    { "POST", "/api/v1/payments/orders/{no}/reissue", h_reissue, YW_ROLE_WINDOW_CLERK, YW_R_WRITE,
      NULL, "reissue an expired order (重新开具)" },
    { "GET", "/api/v1/payments/orders/{no}/receipt.pdf", h_receipt, YW_ROLE_APPLICANT | PAY_STAFF,
      0, NULL, "the electronic receipt" },
    { "POST", "/api/v1/payments/orders/{no}/refunds", h_refund,
      YW_ROLE_WINDOW_CLERK | YW_ROLE_FINANCE, YW_R_WRITE, refund_body, "ask for a refund" },
    { "GET", "/api/v1/payments/refunds", h_refunds, YW_ROLE_FINANCE, 0, NULL, "refunds" },
    { "POST", "/api/v1/payments/refunds/{no}/decide", h_decide, YW_ROLE_FINANCE, YW_R_WRITE,
      decide_body, "approve or reject a refund" },
    { "POST", "/api/v1/payments/refunds/{no}/window", h_refund_window, YW_ROLE_WINDOW_CLERK,
      YW_R_WRITE, refund_window_body, "the window paid a refund back at its POS" },
    { "POST", "/api/v1/payments/refund-notify", h_refund_notify, 0,
      YW_R_PUBLIC | YW_R_WRITE | YW_R_LAX, refund_notify_body,
      "the gateway's signed refund notification" },
    { "POST", "/api/v1/payments/notify", h_notify, 0, YW_R_PUBLIC | YW_R_WRITE | YW_R_LAX,
      notify_body, "the gateway's signed notification" },
    { "POST", "/api/v1/payments/settlements", h_settlement, YW_ROLE_FINANCE | YW_ROLE_ADMIN,
      YW_R_WRITE | YW_R_RAW, NULL, "import a day's settlement file (multipart: file)" },
    { "GET", "/api/v1/payments/reconciliation", h_recon, YW_ROLE_FINANCE, 0, NULL,
      "a day's reconciliation" },
    { "GET", "/api/v1/payments/reconciliation.xlsx", h_recon_xlsx, YW_ROLE_FINANCE, 0, NULL,
      "a day's reconciliation as XLSX" },
};

static int
payments_init(struct yw_app *app, struct yw_err *err)
{
    yw_pay__cfg_set(app);
    yw_pay__hold_register();
    return yw_pay__gateway_init(app, err);
}

static void
payments_shutdown(void)
{
    yw_pay__gateway_shutdown();
}

const struct yw_module yw_payments_module = {
    .name = "payments",
    .init = payments_init,
    .shutdown = payments_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .settings = &yw_pay__settings_table,
};
