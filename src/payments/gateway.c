/*
 * gateway.c - the gateway provider: paying a fee online.
 *
 * Gateways that sign with RSA instead (pay_gateway_sign = rsa) are verified
 * the same way with RSA-SHA256 (rsa.c).
 *
 * The payer is sent to the gateway's page (pay_url: the order number, the
 * amount, where to notify and where to come back); the gateway posts a signed
 * notification back (POST /api/v1/payments/notify) - possibly late, possibly
 * several times, possibly never.  ywtb believes a notification only when it
 * verifies with the gateway's public key (SM2 over SM3, the signature over
 * the RFC 8785 canonical form of the notification without its "sign"), names
 * an order that exists, carries that order's exact amount and was paid before
 * the order expired; it applies it once however often it comes (a repeat is
 * acknowledged and changes nothing).  An order whose payment started and whose
 * notification never came is queried at the gateway (GET <gateway>/query,
 * signed the same way) every pay_query_every seconds until it is settled or
 * expired: a background thread on every node, each query claimed by one node
 * with an optimistic update of the order's next_query_ms, so a query runs
 * exactly once across nodes.
 */
#include "payments/internal.h"

#include "core/clock.h"
#include "core/jcs.h"
#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct yw_sm2_key *gw_key; /* pay_gateway_sign = sm2 */
static EVP_PKEY *gw_rsa;          /* pay_gateway_sign = rsa */
static struct yw_app *the_app;
static pthread_t job;
static bool job_started;
static atomic_bool job_run;

bool
yw_pay__gateway_on(void)
{
    return (gw_key != NULL || gw_rsa != NULL) && yw_pay__cfg()->pay_gateway_url[0] != '\0';
}

/* A gateway document verified with the configured key. */
static int
verify_doc(json_t *doc, struct yw_err *err)
{
    if (gw_key == NULL && gw_rsa == NULL)
        return yw_fail(err, YW_ENOTFOUND, "", "no gateway is configured here");
    return gw_rsa ? yw_pay__rsa_verify(gw_rsa, doc, err) : yw_pay__verify(gw_key, doc, err);
}

int
yw_pay__sign(const struct yw_sm2_key *key, json_t *doc)
{
    json_object_del(doc, "sign");
    json_object_set_new(doc, "sign_type", json_string("SM2"));
    struct yw_buf b, sig;
    yw_buf_init(&b);
    yw_buf_init(&sig);
    int rc = yw_jcs(doc, &b, NULL);
    if (rc == 0)
        rc = yw_sm2_sign(key, b.p, b.n, &sig);
    if (rc == 0)
        json_object_set_new(doc, "sign", json_stringn(sig.p, sig.n));
    yw_buf_release(&b);
    yw_buf_release(&sig);
    return rc;
}

int
yw_pay__verify(const struct yw_sm2_key *key, json_t *doc, struct yw_err *err)
{
    const char *sig = json_string_value(json_object_get(doc, "sign"));
    const char *type = json_string_value(json_object_get(doc, "sign_type"));
    if (sig == NULL || !sig[0])
        return yw_fail(err, YW_EPAYSIG, "sign", "the notification is not signed");
    if (type == NULL || strcmp(type, "SM2") != 0)
        return yw_fail(err, YW_EPAYSIG, "sign_type", "sign_type must be SM2");
    json_t *copy = json_deep_copy(doc);
    json_object_del(copy, "sign");
    struct yw_buf b;
    yw_buf_init(&b);
    int rc = yw_jcs(copy, &b, NULL);
    if (rc == 0)
        rc = yw_sm2_verify(key, b.p, b.n, sig);
    yw_buf_release(&b);
    json_decref(copy);
    if (rc)
        return yw_fail(err, YW_EPAYSIG, "sign",
                       "the signature does not verify with the gateway's public key");
    return 0;
}

int
yw_pay__verify_gateway(json_t *doc, struct yw_err *err)
{
    return verify_doc(doc, err);
}

struct yw_db *
yw_pay__db(void)
{
    return the_app ? the_app->db : NULL;
}

/* ---- starting a payment ---- */

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

int
yw_pay__start(struct yw_dbc *c, struct yw_arena *a, struct yw_pay_order *o, const char *base_url,
              const char **pay_url, struct yw_err *err)
{
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    if (!yw_pay__gateway_on())
        return yw_fail(err, YW_ESTATE, "",
                       "online payment is not configured here: pay at the window");
    if (strcmp(o->status, "unpaid") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s', not unpaid", o->order_no,
                       o->status);
    int64_t now = yw_clock_now_ms();
    if (now > o->expires_ms)
        return yw_fail(err, YW_ESTATE, "", "order '%s' expired: it can no longer be paid",
                       o->order_no);
    int64_t n = 0;
    int rc = yw_db_run_changes(
        c, &n,
        "UPDATE pay_orders SET gateway_at_ms = ?, next_query_ms = ?, version = version + 1 "
        "WHERE id = ? AND status = 'unpaid' AND version = ?",
        "iiid", now, now + cfg->pay_query_every * 1000, o->id, o->version);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ECONFLICT, "", "order '%s' was changed by someone else; reload it",
                       o->order_no);
    struct yw_buf u;
    yw_buf_init(&u);
    yw_buf_printf(
        &u, "%s/pay?order_no=%s&amount_fen=%lld&expires_ms=%lld&subject=", cfg->pay_gateway_url,
        o->order_no, (long long)o->amount_fen, (long long)o->expires_ms);
    urlenc(&u, o->title);
    yw_buf_adds(&u, "&notify_url=");
    char *notify = cfg->pay_notify_url[0]
                       ? yw_arena_strdup(a, cfg->pay_notify_url)
                       : yw_arena_printf(a, "%s/api/v1/payments/notify", base_url);
    urlenc(&u, notify);
    yw_buf_adds(&u, "&return_url=");
    urlenc(&u, yw_arena_printf(a, "%s/case.html?no=%s", base_url, o->case_no));
    *pay_url = yw_arena_strndup(a, u.p, u.n);
    yw_buf_release(&u);
    return 0;
}

/* ---- notifications ---- */

int
yw_pay__log_notification(struct yw_dbc *c, json_t *body, const char *no, const char *verdict)
{
    char now[32];
    yw_db_now_text(now);
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    const char *nid = json_string_value(json_object_get(body, "notify_id"));
    int rc = yw_db_run(c,
                       "INSERT INTO pay_notifications (received_at, order_no, notify_id, verdict, "
                       "body) VALUES (?, ?, ?, ?, ?)",
                       "sssss", now, no ? no : "", nid ? nid : "", verdict, text ? text : "{}");
    free(text);
    return rc;
}

static int
log_row(struct yw_dbc *c, json_t *body, const char *verdict)
{
    return yw_pay__log_notification(c, body, json_string_value(json_object_get(body, "order_no")),
                                    verdict);
}

/* A refusal: logged (the body is not stored: the request rolls back). */
static int
refuse(int rc, struct yw_err *err, const char *why, const char *order_no)
{
    yw_log_warn("payments", "gateway notification refused (order '%.40s'): %s",
                order_no ? order_no : "", err->msg[0] ? err->msg : why);
    return rc;
}

/* Apply a verified answer (notification or query) for order o. */
static int
apply(struct yw_dbc *c, struct yw_pay_order *o, json_t *doc, bool *duplicate, struct yw_err *err)
{
    const char *status = json_string_value(json_object_get(doc, "status"));
    const char *trade = json_string_value(json_object_get(doc, "trade_no"));
    json_t *amt = json_object_get(doc, "amount_fen");
    json_t *paid_ms = json_object_get(doc, "paid_at_ms");
    if (!json_is_integer(amt) || json_integer_value(amt) != o->amount_fen)
        return yw_fail(err, YW_EFIELD, "amount_fen", "amount does not match order '%s' (%lld fen)",
                       o->order_no, (long long)o->amount_fen);
    if (status == NULL || (strcmp(status, "SUCCESS") && strcmp(status, "FAILED")))
        return yw_fail(err, YW_EFIELD, "status", "status must be SUCCESS or FAILED");
    if (trade == NULL || !trade[0] || strlen(trade) > 64)
        return yw_fail(err, YW_EFIELD, "trade_no", "trade_no is missing");
    if (!strcmp(status, "FAILED"))
        return 0; /* the payer may try again; the order stays unpaid */
    if (!strcmp(o->status, "paid")) {
        if (!strcmp(o->channel, "gateway") && !strcmp(o->provider_ref, trade)) {
            *duplicate = true;
            return 0;
        }
        yw_log_error(
            "payments",
            "order '%s' paid twice: gateway trade '%s' after %s '%s' (finance must refund)",
            o->order_no, trade, o->channel, o->provider_ref);
        return yw_fail(err, YW_ESTATE, "", "order '%s' is already paid", o->order_no);
    }
    if (strcmp(o->status, "unpaid") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s': it cannot be paid", o->order_no,
                       o->status);
    if (!json_is_integer(paid_ms) || json_integer_value(paid_ms) > o->expires_ms)
        return yw_fail(err, YW_ESTATE, "paid_at_ms",
                       "order '%s' was paid after it expired (or says no time)", o->order_no);
    struct yw_pay_actor gw = { 0, "支付网关", "gateway" };
    return yw_pay__settle(c, o, "gateway", trade, json_integer_value(amt), &gw, err);
}

int
yw_pay__notify(struct yw_dbc *c, struct yw_arena *a, json_t *body, bool *duplicate,
               struct yw_err *err)
{
    *duplicate = false;
    const char *no = json_string_value(json_object_get(body, "order_no"));
    if (gw_key == NULL && gw_rsa == NULL) {
        return refuse(yw_fail(err, YW_ENOTFOUND, "", "no gateway is configured here"), err,
                      "no gateway", no);
    }
    int rc = verify_doc(body, err);
    if (rc)
        return refuse(rc, err, "bad signature", no);
    struct yw_pay_order o;
    rc = yw_pay__load(c, a, no, &o);
    if (rc == YW_ENOTFOUND)
        return refuse(yw_fail(err, YW_ENOTFOUND, "order_no", "no order '%.40s'", no ? no : ""), err,
                      "an order never made", no);
    if (rc)
        return rc;
    const char *nid = json_string_value(json_object_get(body, "notify_id"));
    if (nid == NULL || !nid[0] || strlen(nid) > 64)
        return refuse(yw_fail(err, YW_EFIELD, "notify_id", "notify_id is missing"), err,
                      "no notify_id", no);
    /* the same notification again: acknowledged, changes nothing */
    rc = yw_db_exists(c,
                      "SELECT 1 FROM pay_notifications WHERE order_no = ? AND notify_id = ? AND "
                      "verdict IN ('applied', 'failed')",
                      "ss", o.order_no, nid);
    if (rc == 0) {
        *duplicate = true;
        return log_row(c, body, "duplicate");
    }
    if (rc != YW_ENOTFOUND)
        return rc;
    if ((rc = apply(c, &o, body, duplicate, err)))
        return refuse(rc, err, "refused", no);
    const char *st = json_string_value(json_object_get(body, "status"));
    return log_row(c, body,
                   *duplicate              ? "duplicate"
                   : !strcmp(st, "FAILED") ? "failed"
                                           : "applied");
}

/* ---- the query job ---- */

struct due {
    int64_t id, next, expires;
    char order_no[40];
};

struct claim_ctx {
    struct due *d;
    int64_t every_ms;
    bool won;
};

static int
claim_tx(struct yw_dbc *c, void *arg)
{
    struct claim_ctx *x = arg;
    int64_t n = 0;
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_orders SET next_query_ms = ?, queries = queries + 1 "
                               "WHERE id = ? AND next_query_ms = ? AND status = 'unpaid'",
                               "iii", yw_clock_now_ms() + x->every_ms, x->d->id, x->d->next);
    x->won = rc == 0 && n == 1;
    return rc;
}

struct answer_ctx {
    struct due *d;
    json_t *doc; /* verified, or NULL: no payment (expire when past due) */
};

static int
answer_tx(struct yw_dbc *c, void *arg)
{
    struct answer_ctx *x = arg;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_pay_order o;
    struct yw_err err = { 0 };
    int rc = yw_pay__load_id(c, &a, x->d->id, &o);
    if (rc == 0 && strcmp(o.status, "unpaid") != 0)
        goto out; /* settled meanwhile (a notification came) */
    const char *st = x->doc ? json_string_value(json_object_get(x->doc, "status")) : NULL;
    if (rc == 0 && st && !strcmp(st, "SUCCESS")) {
        bool dup = false;
        rc = apply(c, &o, x->doc, &dup, &err);
        if (rc == 0)
            rc = log_row(c, x->doc, "applied");
        else
            yw_log_warn("payments", "query answer for '%s' refused: %s", o.order_no, err.msg);
    } else if (rc == 0 && yw_clock_now_ms() > o.expires_ms) {
        int64_t n = 0;
        rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_orders SET status = 'expired', version = version + 1 "
                               "WHERE id = ? AND status = 'unpaid'",
                               "i", o.id);
        struct yw_pay_actor sys = { 0, "payments", "system" };
        if (rc == 0 && n == 1)
            rc = yw_pay__audit(c, &sys, "payment.expire", o.order_no, "{}");
    }
out:
    yw_arena_release(&a);
    return rc;
}

/* Ask the gateway about one order; a verified answer or NULL. */
static json_t *
query(const char *order_no)
{
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    char url[600];
    snprintf(url, sizeof url, "%s/query?order_no=%s", cfg->pay_gateway_url, order_no);
    struct yw_buf b;
    yw_buf_init(&b);
    int status = 0;
    json_t *doc = NULL;
    if (yw_pay__http("GET", url, NULL, 5000, &status, &b) == 0 && status == 200)
        doc = json_loadb(b.p, b.n, 0, NULL);
    yw_buf_release(&b);
    struct yw_err err = { 0 };
    if (doc && (verify_doc(doc, &err) != 0 || !json_is_string(json_object_get(doc, "order_no")) ||
                strcmp(json_string_value(json_object_get(doc, "order_no")), order_no))) {
        yw_log_warn("payments", "gateway answer for '%s' refused: %s", order_no,
                    err.msg[0] ? err.msg : "another order");
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

/* Unpaid orders never sent to the gateway expire when their time is up. */
static int
expire_tx(struct yw_dbc *c, void *arg)
{
    (void)arg;
    int64_t n = 0;
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE pay_orders SET status = 'expired', version = version + 1 "
                               "WHERE status = 'unpaid' AND gateway_at_ms = 0 AND expires_ms < ?",
                               "i", yw_clock_now_ms());
    struct yw_pay_actor sys = { 0, "payments", "system" };
    if (rc == 0 && n > 0) {
        char sum[64];
        snprintf(sum, sizeof sum, "{\"orders\":%lld}", (long long)n);
        rc = yw_pay__audit(c, &sys, "payment.expire", "", sum);
    }
    return rc;
}

static void
job_round(void)
{
    struct yw_dbc *c = yw_db_conn(the_app->db, NULL);
    if (c == NULL)
        return;
    struct yw_err err = { 0 };
    yw_db_tx(the_app->db, YW_TX_WRITE, expire_tx, NULL, &err);
    if (!yw_pay__gateway_on())
        return;
    yw_pay__payouts_round(the_app->db);
    struct due d[32];
    int n = 0;
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT id, next_query_ms, expires_ms, order_no FROM pay_orders "
                    "WHERE status = 'unpaid' AND next_query_ms > 0 AND "
                    "next_query_ms <= ? ORDER BY next_query_ms LIMIT 32",
                    "i", yw_clock_now_ms());
    if (s == NULL)
        return;
    int rc;
    while (n < 32 && (rc = yw_db_step(s)) == YW_ROW) {
        d[n].id = yw_db_col_int(s, 0);
        d[n].next = yw_db_col_int(s, 1);
        d[n].expires = yw_db_col_int(s, 2);
        snprintf(d[n].order_no, sizeof d[n].order_no, "%s", yw_db_col_text(s, 3));
        n++;
    }
    yw_db_reset(s);
    int64_t every = yw_pay__cfg()->pay_query_every * 1000;
    for (int i = 0; i < n && atomic_load(&job_run); i++) {
        struct claim_ctx cl = { &d[i], every, false };
        if (yw_db_tx(the_app->db, YW_TX_WRITE, claim_tx, &cl, &err) || !cl.won)
            continue; /* another node asks this time */
        struct answer_ctx an = { &d[i], query(d[i].order_no) };
        yw_db_tx(the_app->db, YW_TX_WRITE, answer_tx, &an, &err);
        json_decref(an.doc);
    }
}

static void *
job_main(void *arg)
{
    (void)arg;
    int tick = 0;
    while (atomic_load(&job_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        if (++tick % 10)
            continue; /* every second, but stop within 100 ms */
        job_round();
    }
    return NULL;
}

int
yw_pay__gateway_init(struct yw_app *app, struct yw_err *err)
{
    the_app = app;
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    if (cfg->pay_gateway_key[0]) {
        FILE *f = fopen(cfg->pay_gateway_key, "r");
        if (f == NULL)
            return yw_fail(err, YW_ECONFIG, "pay_gateway_key", "cannot read '%s'",
                           cfg->pay_gateway_key);
        char pem[8192];
        size_t n = fread(pem, 1, sizeof pem - 1, f);
        fclose(f);
        pem[n] = '\0';
        bool rsa = !strcmp(cfg->pay_gateway_sign, "rsa");
        if (rsa ? (gw_rsa = yw_pay__rsa_load_public(pem, n)) == NULL
                : yw_sm2_load_pem(pem, n, false, &gw_key) != 0)
            return yw_fail(err, YW_ECONFIG, "pay_gateway_key", "'%s' holds no %s public key (PEM)",
                           cfg->pay_gateway_key, rsa ? "RSA" : "SM2");
    }
    if (cfg->pay_gateway_url[0] && gw_key == NULL && gw_rsa == NULL)
        return yw_fail(err, YW_ECONFIG, "pay_gateway_key",
                       "pay_gateway_url needs pay_gateway_key (the gateway's public key)");
    atomic_store(&job_run, true);
    job_started = pthread_create(&job, NULL, job_main, NULL) == 0;
    if (gw_key || gw_rsa)
        yw_log_info("payments", "gateway %s (notifications verified with its %s key)",
                    cfg->pay_gateway_url, gw_rsa ? "RSA" : "SM2");
    return 0;
}

void
yw_pay__gateway_shutdown(void)
{
    if (job_started) {
        atomic_store(&job_run, false);
        pthread_join(job, NULL);
        job_started = false;
    }
    yw_sm2_free(gw_key);
    gw_key = NULL;
    EVP_PKEY_free(gw_rsa);
    gw_rsa = NULL;
}
