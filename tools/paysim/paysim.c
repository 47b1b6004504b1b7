/*
 * paysim.c - a local payment gateway simulator for ywtb's payments module:
 * the API tests and `make run`'s demo start it; production never does (a
 * district connects to the real 统一公共支付平台 instead).  It behaves like a
 * real gateway, including the ways real ones misbehave:
 *
 *   GET /pay?order_no&amount_fen&subject&notify_url&return_url&expires_ms
 *        the payment page a payer is sent to (two buttons: pay, fail)
 *   GET /pay/confirm?...&outcome=success|fail|silent&delay_ms=&repeat=
 *        pay (or fail) the order: the signed notification is posted to
 *        notify_url after delay_ms (a late one), repeat times even when
 *        acknowledged (repeated ones), retried with back-off while ywtb does
 *        not answer SUCCESS (failures, timeouts); "silent" pays and never
 *        notifies, so only a status query finds it.  With return_url: a 303
 *        back to it; without: JSON {trade_no, status}.
 *   GET /query?order_no=            the signed status of an order's trade
 *   GET /refund?order_no&refund_no&amount_fen&notify_url
 *        a refund of a paid trade, idempotent by refund_no (the same request
 *        again is the same refund): answered at once, signed, with the
 *        gateway's refund_id and status PROCESSING (404 no such paid trade,
 *        422 more than is left to refund); the signed refund notification
 *        ({notify_id, refund_no, order_no, refund_id, amount_fen, status
 *        SUCCESS|FAILED, refunded_at_ms}) follows, posted to notify_url and
 *        retried like payment notifications
 *   GET /refund/query?refund_no=    the signed status of a refund
 *   GET /sim/next-refund?outcome=success|fail|silent&delay_ms=&repeat=
 *        how the next refund ends (silent: settled, never notified)
 *   GET /sim/stray-refund?notify_url=&refund_no=&order_no=&amount_fen=
 *        a signed refund notification for a refund ywtb never sent
 *   GET /settlement?day=YYYY-MM-DD  the day's settlement file (CSV)
 *   GET /sim/stray?notify_url=&order_no=&amount_fen=
 *        a signed notification for an order ywtb never made; answers what
 *        ywtb answered ({status, body})
 *   GET /sim/last?order_no=         the last notification sent for an order
 *   GET /sim/notifications          every notification sent and ywtb's answer
 *   GET /health
 *
 * Notifications and query answers are signed with SM2 (SM3, the GM/T 0009
 * distinguishing ID) - or with --sign rsa, RSA-SHA256 (sign_type RSA2) - over
 * the RFC 8785 canonical form of the JSON object without its "sign" member
 * (src/payments/gateway.c verifies them).  The key is made at start (an SM2
 * one may be read with --key) and its public half written to --key-out,
 * which ywtb's pay_gateway_key names.
 *
 *   paysim --listen 127.0.0.1:8091 --key-out /tmp/paysim.pem
 */
#include "core/crypto.h"
#include "core/sm2.h"
#include "payments/internal.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_TRADES 8192
#define MAX_SENDS  1024
#define MAX_LOG    4096

struct trade {
    char order_no[48], trade_no[40], notify_url[512], status[12];
    int64_t amount_fen, paid_at_ms, refunded_fen;
    json_t *last; /* the last notification sent */
};

struct refund {
    char refund_no[48], order_no[48], refund_id[40], status[12];
    int64_t amount_fen, refunded_at_ms;
};
#define MAX_REFUNDS 4096
static struct refund refunds[MAX_REFUNDS];
static int nrefunds;
static char next_outcome[12] = "success";
static int64_t next_delay_ms = 50;
static int next_repeat = 1;

struct send {
    bool used;
    json_t *doc;
    char notify_url[512];
    int64_t due_ms;
    int attempts, repeats; /* repeats: acknowledged sends still to make */
};

static struct trade trades[MAX_TRADES];
static int ntrades;
static struct send sends[MAX_SENDS];
static json_t *sent_log;
static struct yw_sm2_key *key; /* --sign sm2 (the default) */
static EVP_PKEY *rsa_key;      /* --sign rsa */

/* Sign a document as the gateway does: SM2, or RSA-SHA256 (sign_type RSA2). */
static void
sign(json_t *d)
{
    if (rsa_key)
        yw_pay__rsa_sign(rsa_key, d);
    else
        yw_pay__sign(key, d);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t stop;
static int64_t trade_seq;

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct trade *
find(const char *order_no)
{
    for (int i = ntrades - 1; i >= 0; i--)
        if (!strcmp(trades[i].order_no, order_no))
            return &trades[i];
    return NULL;
}

static json_t *
notification(const struct trade *t)
{
    char nid[40];
    yw_random_token(12, nid, sizeof nid);
    json_t *d =
        json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "notify_id", nid, "order_no", t->order_no,
                  "trade_no", t->trade_no, "amount_fen", (json_int_t)t->amount_fen, "status",
                  t->status, "paid_at_ms", (json_int_t)t->paid_at_ms);
    sign(d);
    return d;
}

static void
schedule(json_t *doc, const char *url, int64_t delay_ms, int repeats)
{
    for (int i = 0; i < MAX_SENDS; i++) {
        if (sends[i].used)
            continue;
        sends[i] = (struct send){ .used = true,
                                  .doc = doc,
                                  .due_ms = now_ms() + delay_ms,
                                  .repeats = repeats < 1 ? 1 : repeats };
        snprintf(sends[i].notify_url, sizeof sends[i].notify_url, "%s", url);
        return;
    }
    json_decref(doc);
}

/* POST doc to url: ywtb's status and body. */
static int
post(const char *url, json_t *doc, struct yw_buf *body)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    int status = 0;
    if (yw_pay__http("POST", url, text, 3000, &status, body) != 0)
        status = 0; /* no answer: a timeout or a refused connection */
    free(text);
    return status;
}

static void *
sender(void *arg)
{
    (void)arg;
    while (!stop) {
        usleep(20 * 1000);
        for (int i = 0; i < MAX_SENDS; i++) {
            pthread_mutex_lock(&mu);
            if (!sends[i].used || sends[i].due_ms > now_ms()) {
                pthread_mutex_unlock(&mu);
                continue;
            }
            struct send s = sends[i];
            json_incref(s.doc);
            pthread_mutex_unlock(&mu);
            struct yw_buf b;
            yw_buf_init(&b);
            int status = post(s.notify_url, s.doc, &b);
            bool ok = status == 200 && b.n && memmem(b.p, b.n, "SUCCESS", 7);
            pthread_mutex_lock(&mu);
            if (json_array_size(sent_log) < MAX_LOG)
                json_array_append_new(
                    sent_log, json_pack("{s:O, s:i, s:i, s:s%}", "doc", s.doc, "status", status,
                                        "attempt", s.attempts + 1, "answer", b.p ? b.p : "", b.n));
            sends[i].attempts++;
            if (ok && --sends[i].repeats <= 0) {
                json_decref(sends[i].doc);
                sends[i].used = false;
            } else if (!ok && sends[i].attempts >= 8) {
                json_decref(sends[i].doc); /* a real gateway gives up too */
                sends[i].used = false;
            } else {
                /* back-off while unacknowledged; a repeat follows soon */
                sends[i].due_ms =
                    now_ms() + (ok ? 150 : 200 << (sends[i].attempts < 5 ? sends[i].attempts : 5));
            }
            pthread_mutex_unlock(&mu);
            json_decref(s.doc);
            yw_buf_release(&b);
        }
    }
    return NULL;
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
      const char *location)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    if (location)
        MHD_add_response_header(r, "Location", location);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result
reply_json(struct MHD_Connection *conn, unsigned status, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    enum MHD_Result r = reply(conn, status, "application/json", text, NULL);
    free(text);
    return r;
}

static const char *
arg(struct MHD_Connection *conn, const char *name)
{
    const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
    return v ? v : "";
}

static void
html_escape(struct yw_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            yw_buf_adds(b, "&lt;");
        else if (*s == '>')
            yw_buf_adds(b, "&gt;");
        else if (*s == '&')
            yw_buf_adds(b, "&amp;");
        else if (*s == '"')
            yw_buf_adds(b, "&quot;");
        else
            yw_buf_add(b, s, 1);
    }
}

static enum MHD_Result
page(struct MHD_Connection *conn)
{
    static const char *const keep[] = { "order_no",   "amount_fen", "subject", "notify_url",
                                        "return_url", "expires_ms", NULL };
    long long fen = atoll(arg(conn, "amount_fen"));
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                    "<title>统一公共支付平台（模拟）</title><style>body{font-family:sans-serif;"
                    "max-width:32rem;margin:3rem auto}button{font-size:1.1rem;margin:.5rem}"
                    "</style></head><body><h1>统一公共支付平台 · 模拟收银台</h1><p>");
    html_escape(&b, arg(conn, "subject"));
    yw_buf_printf(&b, "</p><p>订单号 Order: <b>");
    html_escape(&b, arg(conn, "order_no"));
    yw_buf_printf(&b,
                  "</b></p><p class=\"amount\">应付金额 Amount: <b>¥%lld.%02lld</b></p>"
                  "<form action=\"/pay/confirm\" method=\"get\">",
                  fen / 100, fen % 100);
    for (int i = 0; keep[i]; i++) {
        yw_buf_printf(&b, "<input type=\"hidden\" name=\"%s\" value=\"", keep[i]);
        html_escape(&b, arg(conn, keep[i]));
        yw_buf_adds(&b, "\">");
    }
    yw_buf_adds(&b, "<button name=\"outcome\" value=\"success\" id=\"pay\">确认支付 Pay</button>"
                    "<button name=\"outcome\" value=\"fail\" id=\"fail\">支付失败 Fail</button>"
                    "</form><p><small>本页由测试用支付网关模拟器提供，不发生真实扣款。"
                    "A simulator: no money moves.</small></p></body></html>");
    enum MHD_Result r = reply(conn, 200, "text/html; charset=utf-8", b.p, NULL);
    yw_buf_release(&b);
    return r;
}

static enum MHD_Result
confirm(struct MHD_Connection *conn)
{
    const char *no = arg(conn, "order_no"), *url = arg(conn, "notify_url"),
               *outcome = arg(conn, "outcome"), *ret = arg(conn, "return_url");
    long long fen = atoll(arg(conn, "amount_fen")), expires = atoll(arg(conn, "expires_ms"));
    if (!no[0] || strlen(no) > 40 || fen <= 0 || !url[0] || strlen(url) >= 500)
        return reply_json(conn, 400,
                          json_pack("{s:s}", "error", "order_no, amount_fen, notify_url"));
    if (expires && now_ms() > expires)
        return reply_json(conn, 409, json_pack("{s:s}", "error", "the order has expired"));
    pthread_mutex_lock(&mu);
    struct trade *t = find(no);
    if (t && !strcmp(t->status, "SUCCESS")) {
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 409, json_pack("{s:s}", "error", "already paid"));
    }
    if (t == NULL && ntrades < MAX_TRADES)
        t = &trades[ntrades++];
    if (t == NULL) {
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 503, json_pack("{s:s}", "error", "full"));
    }
    memset(t, 0, sizeof *t);
    snprintf(t->order_no, sizeof t->order_no, "%s", no);
    snprintf(t->notify_url, sizeof t->notify_url, "%s", url);
    snprintf(t->trade_no, sizeof t->trade_no, "T%lld%06lld", (long long)(now_ms() / 1000),
             (long long)++trade_seq);
    snprintf(t->status, sizeof t->status, "%s", !strcmp(outcome, "fail") ? "FAILED" : "SUCCESS");
    t->amount_fen = fen;
    t->paid_at_ms = now_ms();
    if (strcmp(outcome, "silent") != 0) {
        json_t *d = notification(t);
        json_decref(t->last);
        t->last = json_incref(d);
        schedule(d, url, atoll(arg(conn, "delay_ms")), atoi(arg(conn, "repeat")));
    }
    json_t *j = json_pack("{s:s, s:s, s:s}", "order_no", t->order_no, "trade_no", t->trade_no,
                          "status", t->status);
    pthread_mutex_unlock(&mu);
    if (ret[0]) {
        json_decref(j);
        return reply(conn, 303, "text/plain", "", ret);
    }
    return reply_json(conn, 200, j);
}

static enum MHD_Result
query(struct MHD_Connection *conn)
{
    pthread_mutex_lock(&mu);
    struct trade *t = find(arg(conn, "order_no"));
    json_t *d;
    if (t) {
        d = json_pack("{s:s, s:s, s:s, s:I, s:I}", "order_no", t->order_no, "trade_no", t->trade_no,
                      "status", t->status, "amount_fen", (json_int_t)t->amount_fen, "paid_at_ms",
                      (json_int_t)t->paid_at_ms);
    } else {
        d = json_pack("{s:s, s:s, s:s, s:i}", "order_no", arg(conn, "order_no"), "trade_no", "",
                      "status", "NOTPAY", "amount_fen", 0);
    }
    pthread_mutex_unlock(&mu);
    sign(d);
    return reply_json(conn, 200, d);
}

static struct refund *
find_refund(const char *refund_no)
{
    for (int i = 0; i < nrefunds; i++)
        if (!strcmp(refunds[i].refund_no, refund_no))
            return &refunds[i];
    return NULL;
}

static json_t *
refund_doc(const struct refund *r, const char *status, bool notify)
{
    json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:s}", "refund_no", r->refund_no, "order_no",
                          r->order_no, "refund_id", r->refund_id, "amount_fen",
                          (json_int_t)r->amount_fen, "status", status);
    if (notify) {
        char nid[40];
        yw_random_token(12, nid, sizeof nid);
        json_object_set_new(d, "notify_id", json_string(nid));
        json_object_set_new(d, "refunded_at_ms", json_integer(r->refunded_at_ms));
    }
    sign(d);
    return d;
}

static enum MHD_Result
refund(struct MHD_Connection *conn)
{
    const char *no = arg(conn, "order_no"), *rno = arg(conn, "refund_no"),
               *url = arg(conn, "notify_url");
    long long fen = atoll(arg(conn, "amount_fen"));
    if (!no[0] || !rno[0] || strlen(rno) > 40 || fen <= 0 || !url[0] || strlen(url) >= 500)
        return reply_json(
            conn, 400, json_pack("{s:s}", "error", "order_no, refund_no, amount_fen, notify_url"));
    pthread_mutex_lock(&mu);
    struct refund *r = find_refund(rno);
    if (r) { /* the same request again: the same refund */
        json_t *d = refund_doc(r, "PROCESSING", false);
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 200, d);
    }
    struct trade *t = find(no);
    if (t == NULL || strcmp(t->status, "SUCCESS") != 0) {
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 404, json_pack("{s:s}", "error", "no paid trade for the order"));
    }
    if (fen > t->amount_fen - t->refunded_fen || nrefunds >= MAX_REFUNDS) {
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 422, json_pack("{s:s}", "error", "more than is left to refund"));
    }
    r = &refunds[nrefunds++];
    memset(r, 0, sizeof *r);
    snprintf(r->refund_no, sizeof r->refund_no, "%s", rno);
    snprintf(r->order_no, sizeof r->order_no, "%s", no);
    snprintf(r->refund_id, sizeof r->refund_id, "R%lld%06lld", (long long)(now_ms() / 1000),
             (long long)++trade_seq);
    bool fail = !strcmp(next_outcome, "fail"), silent = !strcmp(next_outcome, "silent");
    snprintf(r->status, sizeof r->status, "%s", fail ? "FAILED" : "SUCCESS");
    r->amount_fen = fen;
    r->refunded_at_ms = now_ms();
    if (!fail)
        t->refunded_fen += fen;
    if (!silent)
        schedule(refund_doc(r, r->status, true), url, next_delay_ms, next_repeat);
    snprintf(next_outcome, sizeof next_outcome, "success");
    next_delay_ms = 50;
    next_repeat = 1;
    json_t *d = refund_doc(r, "PROCESSING", false);
    pthread_mutex_unlock(&mu);
    return reply_json(conn, 200, d);
}

static enum MHD_Result
refund_query(struct MHD_Connection *conn)
{
    pthread_mutex_lock(&mu);
    struct refund *r = find_refund(arg(conn, "refund_no"));
    json_t *d = r ? refund_doc(r, r->status, false) : NULL;
    pthread_mutex_unlock(&mu);
    if (d == NULL) {
        d = json_pack("{s:s, s:s, s:s, s:i}", "refund_no", arg(conn, "refund_no"), "refund_id", "",
                      "status", "NOTFOUND", "amount_fen", 0);
        sign(d);
    }
    return reply_json(conn, 200, d);
}

static enum MHD_Result
stray_refund(struct MHD_Connection *conn)
{
    struct refund r = { 0 };
    snprintf(r.refund_no, sizeof r.refund_no, "%s", arg(conn, "refund_no"));
    snprintf(r.order_no, sizeof r.order_no, "%s", arg(conn, "order_no"));
    snprintf(r.refund_id, sizeof r.refund_id, "R%lld%06lld", (long long)(now_ms() / 1000),
             (long long)++trade_seq);
    r.amount_fen = atoll(arg(conn, "amount_fen"));
    r.refunded_at_ms = now_ms();
    json_t *d = refund_doc(&r, "SUCCESS", true);
    struct yw_buf b;
    yw_buf_init(&b);
    int status = post(arg(conn, "notify_url"), d, &b);
    json_decref(d);
    json_t *j = json_pack("{s:i, s:s%}", "status", status, "body", b.p ? b.p : "", b.n);
    yw_buf_release(&b);
    return reply_json(conn, 200, j);
}

static enum MHD_Result
settlement(struct MHD_Connection *conn)
{
    const char *day = arg(conn, "day");
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "order_no,trade_no,amount_fen,paid_at\n");
    pthread_mutex_lock(&mu);
    for (int i = 0; i < ntrades; i++) {
        if (strcmp(trades[i].status, "SUCCESS") != 0)
            continue;
        /* the settlement day is Shanghai's (UTC+8) */
        time_t s = (time_t)(trades[i].paid_at_ms / 1000 + 8 * 3600);
        struct tm tm;
        gmtime_r(&s, &tm);
        char d[16];
        strftime(d, sizeof d, "%Y-%m-%d", &tm);
        if (strcmp(d, day) != 0)
            continue;
        yw_buf_printf(&b, "%s,%s,%lld,%lld\n", trades[i].order_no, trades[i].trade_no,
                      (long long)trades[i].amount_fen, (long long)trades[i].paid_at_ms);
    }
    pthread_mutex_unlock(&mu);
    enum MHD_Result r = reply(conn, 200, "text/csv; charset=utf-8", b.p, NULL);
    yw_buf_release(&b);
    return r;
}

static enum MHD_Result
stray(struct MHD_Connection *conn)
{
    struct trade t = { 0 };
    snprintf(t.order_no, sizeof t.order_no, "%s", arg(conn, "order_no"));
    snprintf(t.trade_no, sizeof t.trade_no, "T%lld%06lld", (long long)(now_ms() / 1000),
             (long long)++trade_seq);
    snprintf(t.status, sizeof t.status, "SUCCESS");
    t.amount_fen = atoll(arg(conn, "amount_fen"));
    t.paid_at_ms = now_ms();
    json_t *d = notification(&t);
    struct yw_buf b;
    yw_buf_init(&b);
    int status = post(arg(conn, "notify_url"), d, &b);
    json_decref(d);
    json_t *j = json_pack("{s:i, s:s%}", "status", status, "body", b.p ? b.p : "", b.n);
    yw_buf_release(&b);
    return reply_json(conn, 200, j);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_n, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    if (*state == NULL) {
        *state = (void *)1;
        return MHD_YES;
    }
    *upload_n = 0;
    if (strcmp(method, "GET") != 0)
        return reply_json(conn, 405, json_pack("{s:s}", "error", "GET only"));
    if (!strcmp(url, "/health"))
        return reply(conn, 200, "text/plain", "ok", NULL);
    if (!strcmp(url, "/pay"))
        return page(conn);
    if (!strcmp(url, "/pay/confirm"))
        return confirm(conn);
    if (!strcmp(url, "/query"))
        return query(conn);
    if (!strcmp(url, "/settlement"))
        return settlement(conn);
    if (!strcmp(url, "/refund"))
        return refund(conn);
    if (!strcmp(url, "/refund/query"))
        return refund_query(conn);
    if (!strcmp(url, "/sim/stray-refund"))
        return stray_refund(conn);
    if (!strcmp(url, "/sim/next-refund")) {
        pthread_mutex_lock(&mu);
        snprintf(next_outcome, sizeof next_outcome, "%s", arg(conn, "outcome"));
        next_delay_ms = atoll(arg(conn, "delay_ms"));
        next_repeat = atoi(arg(conn, "repeat"));
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 200, json_pack("{s:b}", "ok", 1));
    }
    if (!strcmp(url, "/sim/stray"))
        return stray(conn);
    if (!strcmp(url, "/sim/last")) {
        pthread_mutex_lock(&mu);
        struct trade *t = find(arg(conn, "order_no"));
        json_t *d = t && t->last ? json_deep_copy(t->last) : json_null();
        pthread_mutex_unlock(&mu);
        return reply_json(conn, t && t->last ? 200 : 404, d);
    }
    if (!strcmp(url, "/sim/notifications")) {
        pthread_mutex_lock(&mu);
        json_t *d = json_deep_copy(sent_log);
        pthread_mutex_unlock(&mu);
        return reply_json(conn, 200, d);
    }
    return reply_json(conn, 404, json_pack("{s:s}", "error", "not found"));
}

static void
on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int
main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:8091", *key_out = NULL, *key_in = NULL, *kind = "sm2";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--listen"))
            listen = argv[i + 1];
        else if (!strcmp(argv[i], "--key-out"))
            key_out = argv[i + 1];
        else if (!strcmp(argv[i], "--key"))
            key_in = argv[i + 1];
        else if (!strcmp(argv[i], "--sign"))
            kind = argv[i + 1];
        else {
            fprintf(
                stderr,
                "usage: paysim [--listen HOST:PORT] [--key-out PUB.pem] [--key PRIV.pem] [--sign sm2|rsa]\n");
            return 2;
        }
    }
    if (yw_crypto_init() != 0)
        return 1;
    struct yw_buf pub;
    yw_buf_init(&pub);
    if (!strcmp(kind, "rsa")) {
        if ((rsa_key = yw_pay__rsa_generate(&pub)) == NULL) {
            fprintf(stderr, "paysim: cannot make an RSA key\n");
            return 1;
        }
    } else if (strcmp(kind, "sm2") != 0) {
        fprintf(stderr, "paysim: --sign sm2 or rsa\n");
        return 2;
    } else if (key_in) {
        char pem[8192];
        FILE *f = fopen(key_in, "r");
        size_t n = f ? fread(pem, 1, sizeof pem - 1, f) : 0;
        if (f)
            fclose(f);
        pem[n] = '\0';
        if (yw_sm2_load_pem(pem, n, true, &key) != 0) {
            fprintf(stderr, "paysim: %s holds no SM2 private key\n", key_in);
            return 1;
        }
    } else if (yw_sm2_generate(&key) != 0) {
        fprintf(stderr, "paysim: cannot make a key\n");
        return 1;
    }
    if (key)
        yw_sm2_public_pem(key, &pub);
    if (key_out) {
        FILE *f = fopen(key_out, "w");
        if (f == NULL || fwrite(pub.p, 1, pub.n, f) != pub.n) {
            fprintf(stderr, "paysim: cannot write %s\n", key_out);
            return 1;
        }
        fclose(f);
    }
    yw_buf_release(&pub);
    const char *colon = strrchr(listen, ':');
    int port = colon ? atoi(colon + 1) : 0;
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "paysim: --listen HOST:PORT\n");
        return 2;
    }
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only, always */
    sent_log = json_array();
    pthread_t th;
    pthread_create(&th, NULL, sender, NULL);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "paysim: cannot listen on %s\n", listen);
        stop = 1;
        pthread_join(th, NULL);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("paysim listening on 127.0.0.1:%d\n", port);
    fflush(stdout);
    while (!stop)
        usleep(100 * 1000);
    MHD_stop_daemon(d);
    pthread_join(th, NULL);
    yw_sm2_free(key);
    EVP_PKEY_free(rsa_key);
    return 0;
}
