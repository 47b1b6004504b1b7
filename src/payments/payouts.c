/*
 * payouts.c - how an approved refund reaches the payer (pay_refund_payouts).
 *
 * A refund of a gateway payment is sent to the gateway, as real gateways
 * take them: a refund request (GET <gateway>/refund: order, refund number,
 * amount, where to notify), answered at once with the gateway's refund id,
 * then a signed asynchronous refund notification (POST
 * /api/v1/payments/refund-notify) - late, repeated or never - and a status
 * query (GET <gateway>/refund/query) for a refund whose notification never
 * came.  Its state: queued (approved, not yet accepted by the gateway) ->
 * sent -> refunded | failed.  The refund number is the gateway's idempotency
 * key: a request sent twice (a retry after a timeout) is one refund there.
 * A notification is believed only when it verifies with the gateway's key,
 * names a refund ywtb sent, of that order and exactly that amount; it is
 * applied once (a repeat answers duplicate).  A failed refund gives its
 * amount back to what the order may still refund.
 *
 * A refund of a window payment is paid back at the counter's POS; the clerk
 * records it with the terminal's reference (refunded at once).
 *
 * Sending runs outside any request's transaction: after the approving
 * transaction commits (routes.c's after_commit) and in the gateway job's
 * round for what is still queued or unsettled; each attempt is claimed with an
 * optimistic update of next_try_ms, so one node sends or queries at a time.
 */
#include "payments/internal.h"

#include "core/clock.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETRY_MS 5000

static void
urlenc(struct yw_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            yw_buf_add(b, p, 1);
        } else {
            char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            yw_buf_add(b, e, 3);
        }
    }
}

/* Sent right after the approval commits; the job picks the refund up only
 * when that did not happen within RETRY_MS (the gateway was unreachable). */
int
yw_pay__payout_queue(struct yw_dbc *c, int64_t refund_id, const char *base_url)
{
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    struct yw_buf u;
    yw_buf_init(&u);
    size_t n = strlen(cfg->pay_notify_url);
    if (n > 7 && !strcmp(cfg->pay_notify_url + n - 7, "/notify"))
        yw_buf_printf(&u, "%.*s/refund-notify", (int)(n - 7), cfg->pay_notify_url);
    else
        yw_buf_printf(&u, "%s/api/v1/payments/refund-notify", base_url ? base_url : "");
    int rc = yw_db_run(c,
                       "INSERT INTO pay_refund_payouts (refund_id, channel, state, notify_url, "
                       "next_try_ms) VALUES (?, 'gateway', 'queued', ?, ?)",
                       "isi", refund_id, u.p, yw_clock_now_ms() + RETRY_MS);
    yw_buf_release(&u);
    return rc;
}

/* ---- applying the gateway's word on a refund ---- */

struct payout {
    int64_t refund_id, order_id, amount_fen, next_try_ms;
    char refund_no[48], order_no[48], state[16], channel[16], provider_ref[72], notify_url[512];
};

static int
load(struct yw_dbc *c, const char *refund_no, int64_t refund_id, struct payout *p)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT r.id, r.order_id, r.amount_fen, p.next_try_ms, r.refund_no, o.order_no, p.state, "
        "p.channel, p.provider_ref, p.notify_url FROM pay_refunds r JOIN pay_orders o ON o.id = "
        "r.order_id JOIN pay_refund_payouts p ON p.refund_id = r.id WHERE (r.refund_no = ? OR "
        "r.id = ?)",
        "si", refund_no ? refund_no : "", refund_id);
    if (rc)
        return rc;
    memset(p, 0, sizeof *p);
    p->refund_id = yw_db_col_int(s, 0);
    p->order_id = yw_db_col_int(s, 1);
    p->amount_fen = yw_db_col_int(s, 2);
    p->next_try_ms = yw_db_col_int(s, 3);
    snprintf(p->refund_no, sizeof p->refund_no, "%s", yw_db_col_text(s, 4));
    snprintf(p->order_no, sizeof p->order_no, "%s", yw_db_col_text(s, 5));
    snprintf(p->state, sizeof p->state, "%s", yw_db_col_text(s, 6));
    snprintf(p->channel, sizeof p->channel, "%s", yw_db_col_text(s, 7));
    snprintf(p->provider_ref, sizeof p->provider_ref, "%s", yw_db_col_text(s, 8));
    snprintf(p->notify_url, sizeof p->notify_url, "%s", yw_db_col_text(s, 9));
    yw_db_reset(s);
    return 0;
}

/* The gateway says the refund is settled (SUCCESS / FAILED) or accepted
 * (PROCESSING): the payout's state follows, once. */
static int
apply(struct yw_dbc *c, struct payout *p, json_t *doc, bool *duplicate, struct yw_err *err)
{
    const char *status = json_string_value(json_object_get(doc, "status"));
    const char *ref = json_string_value(json_object_get(doc, "refund_id"));
    const char *ono = json_string_value(json_object_get(doc, "order_no"));
    json_t *amt = json_object_get(doc, "amount_fen");
    if (ono == NULL || strcmp(ono, p->order_no) != 0)
        return yw_fail(err, YW_EFIELD, "order_no", "refund '%s' is of order '%s'", p->refund_no,
                       p->order_no);
    if (!json_is_integer(amt) || json_integer_value(amt) != p->amount_fen)
        return yw_fail(err, YW_EFIELD, "amount_fen", "amount does not match refund '%s' (%lld fen)",
                       p->refund_no, (long long)p->amount_fen);
    if (status == NULL ||
        (strcmp(status, "SUCCESS") && strcmp(status, "FAILED") && strcmp(status, "PROCESSING")))
        return yw_fail(err, YW_EFIELD, "status", "status must be PROCESSING, SUCCESS or FAILED");
    if (ref == NULL || !ref[0] || strlen(ref) > 64)
        return yw_fail(err, YW_EFIELD, "refund_id", "refund_id (the gateway's) is missing");
    bool success = !strcmp(status, "SUCCESS"), failed = !strcmp(status, "FAILED");
    if (!strcmp(p->state, "refunded") || !strcmp(p->state, "failed")) {
        if ((success && !strcmp(p->state, "refunded")) || (failed && !strcmp(p->state, "failed")) ||
            !strcmp(status, "PROCESSING")) {
            *duplicate = true;
            return 0;
        }
        yw_log_error("payments", "gateway says refund '%s' is %s after it was %s", p->refund_no,
                     status, p->state);
        return yw_fail(err, YW_ESTATE, "", "refund '%s' is already %s", p->refund_no, p->state);
    }
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    int rc;
    if (!success && !failed) {
        if (!strcmp(p->state, "sent")) {
            *duplicate = true;
            return 0;
        }
        rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_refund_payouts SET state = 'sent', provider_ref = ?, "
                               "sent_at = ?, next_try_ms = ? WHERE refund_id = ? AND state = "
                               "'queued'",
                               "ssii", ref, now,
                               yw_clock_now_ms() + yw_pay__cfg()->pay_query_every * 1000,
                               p->refund_id);
        return rc  ? rc
               : n ? 0
                   : yw_fail(err, YW_ECONFLICT, "", "refund '%s' changed meanwhile", p->refund_no);
    }
    rc = yw_db_run_changes(c, &n,
                           "UPDATE pay_refund_payouts SET state = ?, provider_ref = ?, "
                           "sent_at = CASE WHEN sent_at = '' THEN ? ELSE sent_at END, done_at = ? "
                           "WHERE refund_id = ? AND state IN ('queued', 'sent')",
                           "ssssi", success ? "refunded" : "failed", ref, now, now, p->refund_id);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ECONFLICT, "", "refund '%s' changed meanwhile", p->refund_no);
    if (failed &&
        (rc = yw_db_run(c,
                        "UPDATE pay_orders SET refunded_fen = refunded_fen - ?, version = version "
                        "+ 1 WHERE id = ? AND refunded_fen >= ?",
                        "iii", p->amount_fen, p->order_id, p->amount_fen)))
        return rc;
    char sum[200];
    snprintf(sum, sizeof sum,
             "{\"refund_no\":\"%s\",\"amount_fen\":%lld,\"gateway_ref\":\"%.64s\"}", p->refund_no,
             (long long)p->amount_fen, ref);
    struct yw_pay_actor gw = { 0, "支付网关", "gateway" };
    snprintf(p->state, sizeof p->state, "%s", success ? "refunded" : "failed");
    return yw_pay__audit(c, &gw, success ? "payment.refund_done" : "payment.refund_failed",
                         p->order_no, sum);
}

int
yw_pay__refund_notify(struct yw_dbc *c, json_t *body, bool *duplicate, struct yw_err *err)
{
    *duplicate = false;
    const char *no = json_string_value(json_object_get(body, "refund_no"));
    int rc = yw_pay__verify_gateway(body, err);
    if (rc) {
        yw_log_warn("payments", "refund notification refused (refund '%.40s'): %s", no ? no : "",
                    err->msg);
        return rc;
    }
    const char *st = json_string_value(json_object_get(body, "status"));
    if (st == NULL || (strcmp(st, "SUCCESS") && strcmp(st, "FAILED")))
        return yw_fail(err, YW_EFIELD, "status", "a refund notification is SUCCESS or FAILED");
    struct payout p;
    rc = no && strlen(no) <= 40 ? load(c, no, -1, &p) : YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND || (rc == 0 && strcmp(p.channel, "gateway") != 0)) {
        yw_log_warn("payments", "refund notification for a refund never sent: '%.40s'",
                    no ? no : "");
        return yw_fail(err, YW_ENOTFOUND, "refund_no", "no refund '%.40s' was sent to the gateway",
                       no ? no : "");
    }
    if (rc)
        return rc;
    const char *nid = json_string_value(json_object_get(body, "notify_id"));
    if (nid == NULL || !nid[0] || strlen(nid) > 64)
        return yw_fail(err, YW_EFIELD, "notify_id", "notify_id is missing");
    if ((rc = apply(c, &p, body, duplicate, err))) {
        yw_log_warn("payments", "refund notification for '%s' refused: %s", p.refund_no, err->msg);
        return rc;
    }
    return yw_pay__log_notification(c, body, p.order_no,
                                    *duplicate               ? "refund_duplicate"
                                    : !strcmp(st, "SUCCESS") ? "refund_applied"
                                                             : "refund_failed");
}

/* ---- the window: paid back at the counter's POS ---- */

int
yw_pay__refund_window(struct yw_dbc *c, const char *refund_no, const char *terminal_ref,
                      const struct yw_pay_actor *who, struct yw_err *err)
{
    if (terminal_ref == NULL || !terminal_ref[0])
        return yw_fail(err, YW_EFIELD, "terminal_ref", "the POS slip's reference is needed");
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT r.id, r.status, o.channel, o.order_no, r.amount_fen, "
                           "(SELECT COUNT(*) FROM pay_refund_payouts p WHERE p.refund_id = r.id) "
                           "FROM pay_refunds r JOIN pay_orders o ON o.id = r.order_id WHERE "
                           "r.refund_no = ?",
                           "s", refund_no ? refund_no : "");
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no refund '%.40s'", refund_no ? refund_no : "");
    if (rc)
        return rc;
    int64_t id = yw_db_col_int(s, 0), amount = yw_db_col_int(s, 4), done = yw_db_col_int(s, 5);
    char status[16], channel[16], order_no[48];
    snprintf(status, sizeof status, "%s", yw_db_col_text(s, 1));
    snprintf(channel, sizeof channel, "%s", yw_db_col_text(s, 2));
    snprintf(order_no, sizeof order_no, "%s", yw_db_col_text(s, 3));
    yw_db_reset(s);
    if (strcmp(channel, "window") != 0)
        return yw_fail(err, YW_ESTATE, "",
                       "refund '%s' is of a %s payment: the gateway pays it back", refund_no,
                       channel);
    if (strcmp(status, "approved") != 0 || done)
        return yw_fail(err, YW_ESTATE, "", "refund '%s' is %s", refund_no,
                       done ? "already refunded" : status);
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c,
                        "INSERT INTO pay_refund_payouts (refund_id, channel, state, provider_ref, "
                        "sent_at, done_at, done_by) VALUES (?, 'window', 'refunded', ?, ?, ?, ?)",
                        "isssi", id, terminal_ref, now, now, who->id)))
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "{\"refund_no\":\"%s\",\"amount_fen\":%lld,\"terminal_ref\":", refund_no,
                  (long long)amount);
    yw_buf_add_json_str(&b, terminal_ref, strlen(terminal_ref));
    yw_buf_adds(&b, "}");
    rc = yw_pay__audit(c, who, "payment.refund_window", order_no, b.p);
    yw_buf_release(&b);
    return rc;
}

/* ---- sending and asking, outside any request's transaction ---- */

struct claim {
    int64_t refund_id, next;
    const char *state;
    bool won;
};

static int
claim_tx(struct yw_dbc *c, void *arg)
{
    struct claim *x = arg;
    int64_t n = 0;
    int64_t every = x->state[0] == 'q' ? RETRY_MS : yw_pay__cfg()->pay_query_every * 1000;
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_refund_payouts SET next_try_ms = ?, tries = tries + 1 "
                               "WHERE refund_id = ? AND next_try_ms = ? AND state = ?",
                               "iiis", yw_clock_now_ms() + every, x->refund_id, x->next, x->state);
    x->won = rc == 0 && n == 1;
    return rc;
}

struct answer {
    int64_t refund_id;
    json_t *doc;
};

static int
answer_tx(struct yw_dbc *c, void *arg)
{
    struct answer *x = arg;
    struct payout p;
    int rc = load(c, NULL, x->refund_id, &p);
    if (rc)
        return rc;
    bool dup = false;
    struct yw_err err = { 0 };
    if (apply(c, &p, x->doc, &dup, &err) != 0) {
        yw_log_warn("payments", "gateway answer on refund '%s' not applied: %s", p.refund_no,
                    err.msg);
        return 0;
    }
    return 0;
}

/* A verified gateway answer about refund p, or NULL. */
static json_t *
ask(const char *url, const char *refund_no, int *status)
{
    struct yw_buf b;
    yw_buf_init(&b);
    json_t *doc = NULL;
    *status = 0;
    if (yw_pay__http("GET", url, NULL, 5000, status, &b) == 0 && *status == 200)
        doc = json_loadb(b.p, b.n, 0, NULL);
    yw_buf_release(&b);
    struct yw_err err = { 0 };
    const char *rn = doc ? json_string_value(json_object_get(doc, "refund_no")) : NULL;
    if (doc && (yw_pay__verify_gateway(doc, &err) != 0 || rn == NULL || strcmp(rn, refund_no))) {
        yw_log_warn("payments", "gateway answer on refund '%s' refused: %s", refund_no,
                    err.msg[0] ? err.msg : "another refund");
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

static int
read_tx(struct yw_dbc *c, void *arg)
{
    struct payout *p = arg;
    return load(c, NULL, p->refund_id, p);
}

void
yw_pay__payout_try(struct yw_db *db, int64_t refund_id)
{
    if (!yw_pay__gateway_on())
        return;
    struct yw_err err = { 0 };
    struct payout p = { .refund_id = refund_id };
    if (yw_db_tx(db, YW_TX_WRITE, read_tx, &p, &err) != 0)
        return;
    bool queued = !strcmp(p.state, "queued");
    if (!queued && strcmp(p.state, "sent") != 0)
        return;
    struct claim cl = { refund_id, p.next_try_ms, queued ? "queued" : "sent", false };
    if (yw_db_tx(db, YW_TX_WRITE, claim_tx, &cl, &err) || !cl.won)
        return; /* another node does it this time */
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    struct yw_buf u;
    yw_buf_init(&u);
    if (queued) {
        yw_buf_printf(&u, "%s/refund?order_no=%s&refund_no=%s&amount_fen=%lld&notify_url=",
                      cfg->pay_gateway_url, p.order_no, p.refund_no, (long long)p.amount_fen);
        urlenc(&u, p.notify_url);
    } else {
        yw_buf_printf(&u, "%s/refund/query?refund_no=%s", cfg->pay_gateway_url, p.refund_no);
    }
    int status = 0;
    struct answer an = { refund_id, ask(u.p, p.refund_no, &status) };
    yw_buf_release(&u);
    if (an.doc) {
        yw_db_tx(db, YW_TX_WRITE, answer_tx, &an, &err);
        json_decref(an.doc);
    } else if (queued && status >= 400 && status < 500) {
        /* the gateway refused the refund outright: it will never pay it */
        json_t *f =
            json_pack("{s:s, s:s, s:I, s:s}", "order_no", p.order_no, "refund_id", "refused",
                      "amount_fen", (json_int_t)p.amount_fen, "status", "FAILED");
        struct answer no = { refund_id, f };
        yw_log_warn("payments", "gateway refused refund '%s' (HTTP %d)", p.refund_no, status);
        yw_db_tx(db, YW_TX_WRITE, answer_tx, &no, &err);
        json_decref(f);
    }
}

void
yw_pay__payouts_round(struct yw_db *db)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    if (c == NULL)
        return;
    int64_t ids[32];
    int n = 0, rc;
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT refund_id FROM pay_refund_payouts WHERE state IN "
                                    "('queued', 'sent') AND next_try_ms <= ? ORDER BY next_try_ms "
                                    "LIMIT 32",
                                    "i", yw_clock_now_ms());
    if (s == NULL)
        return;
    while (n < 32 && (rc = yw_db_step(s)) == YW_ROW)
        ids[n++] = yw_db_col_int(s, 0);
    yw_db_reset(s);
    for (int i = 0; i < n; i++)
        yw_pay__payout_try(db, ids[i]);
}
