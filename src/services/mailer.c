/*
 * mailer.c - the background sender of notifications, and the hall's
 * periodic jobs (day-before reminders, bookings that became no-shows).
 *
 * Email goes out by SMTP with libcurl, SMS as an HTTP POST of
 * {id, to, text, event} (JSON) to the configured gateway (any 2xx is
 * success).  The sender claims due messages in a short write transaction
 * (locked_until a minute ahead, attempts + 1, sending_since set; on
 * PostgreSQL with FOR UPDATE SKIP LOCKED, so several nodes never take the
 * same message), sends them with no transaction open, and records the
 * outcome in another: sent, or a retry after notify_backoff_ms doubled per
 * attempt, or failed after notify_retry_max attempts (operators see and
 * requeue those: GET /api/v1/admin/outbox).
 *
 * Never twice after a success, across kill -9: the claim's commit is the
 * durable record that an attempt may have begun, before any byte of DATA.
 * Every message has one Message-ID for all its attempts (<id>.<channel>.
 * outbox@ the sender's domain).  A claim that finds sending_since still set
 * is recovering a message whose sender died between the claim and the
 * outcome, and an attempt that ended without a definite answer (a timeout
 * or a reset after DATA, not a 4xx/5xx reply) leaves it in doubt too; before
 * such a message is sent again the sender asks the relay whether that
 * Message-ID was accepted (notify_smtp_check_url / notify_sms_check_url): if
 * it was, the message is recorded as sent and not sent again; if the relay
 * cannot tell, it is retried later, never sent blind.  Without a check URL
 * it is sent again with the same Message-ID (receivers that drop duplicate
 * Message-IDs drop it): SMTP itself has no way to ask.  docs/ARCHITECTURE.md
 * ("Notifications across a crash") says what this does and cannot promise.
 */
#include "services/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/metrics.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 10

struct msg {
    int64_t id;
    int attempts;
    bool in_doubt; /* an earlier attempt may have been accepted */
    char *to, *subject, *body, *ics, *key, *channel;
    char since[32]; /* sending_since of this claim: the outcome's guard */
};

struct claim {
    struct msg m[BATCH];
    int n;
    int64_t real_ms; /* when the claim was made (real clock) */
};

static pthread_t thread;
static bool started;
static atomic_bool running;
static struct yw_app *app_;

static void
msg_free(struct msg *m)
{
    free(m->to);
    free(m->subject);
    free(m->body);
    free(m->ics);
    free(m->key);
    free(m->channel);
    memset(m, 0, sizeof *m);
}

static int
claim_tx(struct yw_dbc *c, void *ctx)
{
    struct claim *cl = ctx;
    for (int i = 0; i < cl->n; i++)
        msg_free(&cl->m[i]);
    cl->n = 0;
    char now[32], until[32];
    int64_t t = yw_clock_now_ms();
    yw_clock_format(t, now);
    yw_clock_format(t + 60000, until);
    /* SET sees the row as it was: a sending_since left by a dead sender
     * makes the message in doubt. */
    const char *sql =
        yw_db_engine(yw_dbc_db(c)) == YW_DB_PG
            ? "UPDATE svc_outbox SET locked_until = ?, attempts = attempts + 1, in_doubt = CASE "
              "WHEN sending_since <> '' THEN 1 ELSE in_doubt END, sending_since = ? WHERE id IN "
              "(SELECT id FROM svc_outbox WHERE status = 'pending' AND next_at <= ? AND "
              "locked_until <= ? ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED) RETURNING id, "
              "attempts, to_addr, subject, body, ics, event_key, channel, in_doubt"
            : "UPDATE svc_outbox SET locked_until = ?, attempts = attempts + 1, in_doubt = CASE "
              "WHEN sending_since <> '' THEN 1 ELSE in_doubt END, sending_since = ? WHERE id IN "
              "(SELECT id FROM svc_outbox WHERE status = 'pending' AND next_at <= ? AND "
              "locked_until <= ? ORDER BY id LIMIT 10) RETURNING id, attempts, to_addr, subject, "
              "body, ics, event_key, channel, in_doubt";
    cl->real_ms = yw_clock_real_ms();
    struct yw_stmt *s = yw_db_query(c, sql, "ssss", until, now, now, now);
    if (s == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (cl->n >= BATCH)
            continue;
        struct msg *m = &cl->m[cl->n++];
        m->id = yw_db_col_int(s, 0);
        m->attempts = (int)yw_db_col_int(s, 1);
        m->to = yw_xstrdup(yw_db_col_text(s, 2));
        m->subject = yw_xstrdup(yw_db_col_text(s, 3));
        m->body = yw_xstrdup(yw_db_col_text(s, 4));
        m->ics = yw_xstrdup(yw_db_col_text(s, 5));
        m->key = yw_xstrdup(yw_db_col_text(s, 6));
        m->channel = yw_xstrdup(yw_db_col_text(s, 7));
        m->in_doubt = yw_db_col_int(s, 8) != 0;
        snprintf(m->since, sizeof m->since, "%s", now);
    }
    return yw_db_finish(s, rc);
}

static void
b64(struct yw_buf *b, const char *p, size_t n, bool wrap)
{
    static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)p[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)p[i + 2];
        char q[4] = { T[(v >> 18) & 63], T[(v >> 12) & 63], i + 1 < n ? T[(v >> 6) & 63] : '=',
                      i + 2 < n ? T[v & 63] : '=' };
        yw_buf_add(b, q, 4);
        col += 4;
        if (wrap && col >= 76) {
            yw_buf_adds(b, "\r\n");
            col = 0;
        }
    }
    if (wrap && col)
        yw_buf_adds(b, "\r\n");
}

/* The message's one Message-ID for all its attempts (without the angle
 * brackets): "<outbox id>.<channel>.outbox@<the sender's domain>". */
static void
message_id(const struct msg *m, char *out, size_t n)
{
    const char *from = yw_svc__cfg()->notify_smtp_from;
    const char *at = from ? strrchr(from, '@') : NULL;
    snprintf(out, n, "%lld.%s.outbox@%s", (long long)m->id, m->channel,
             at && at[1] ? at + 1 : "ywtb");
}

/* The RFC 5322 message with a MIME body (RFC 2045/2047): text, and the
 * .ics as text/calendar when there is one. */
static void
build(struct yw_buf *b, const struct msg *m, const char *from)
{
    char date[64], bnd[40], mid[320];
    time_t now = (time_t)(yw_clock_real_ms() / 1000);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    yw_random_token(12, bnd, sizeof bnd);
    message_id(m, mid, sizeof mid);
    yw_buf_printf(b, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s>\r\n", date, from,
                  m->to, mid);
    yw_buf_printf(b, "X-Ywtb-Event: %s\r\nSubject: =?UTF-8?B?", m->key);
    b64(b, m->subject, strlen(m->subject), false);
    yw_buf_adds(b, "?=\r\nMIME-Version: 1.0\r\n");
    yw_buf_printf(b, "Content-Type: multipart/mixed; boundary=\"=_%s\"\r\n\r\n", bnd);
    yw_buf_printf(b,
                  "--=_%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n",
                  bnd);
    b64(b, m->body, strlen(m->body), true);
    if (m->ics[0]) {
        yw_buf_printf(b,
                      "--=_%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
                      "Content-Disposition: attachment; filename=\"appointment.ics\"\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n",
                      bnd, strstr(m->ics, "METHOD:CANCEL") ? "CANCEL" : "REQUEST");
        b64(b, m->ics, strlen(m->ics), true);
    }
    yw_buf_printf(b, "--=_%s--\r\n", bnd);
}

struct reader {
    const char *p;
    size_t left;
};

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    struct reader *r = ud;
    size_t n = size * nitems;
    if (n > r->left)
        n = r->left;
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* Did a failed transfer surely not deliver?  When nothing was connected, or
 * the server's last reply was a refusal (4xx/5xx), yes.  A timeout or a
 * reset after the data went out leaves the message in doubt: the server may
 * have accepted it and its reply been lost. */
static bool
definite(CURLcode res, long code)
{
    if (res == CURLE_COULDNT_CONNECT || res == CURLE_COULDNT_RESOLVE_HOST ||
        res == CURLE_COULDNT_RESOLVE_PROXY || res == CURLE_URL_MALFORMAT ||
        res == CURLE_UNSUPPORTED_PROTOCOL || res == CURLE_LOGIN_DENIED)
        return true;
    return code >= 400 && code <= 599;
}

/* Send m: 0 accepted, -1 surely not, -2 in doubt (see definite()). */
static int
send_one(const struct msg *m, char errbuf[CURL_ERROR_SIZE])
{
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    if (cfg->notify_smtp_url == NULL || cfg->notify_smtp_url[0] == '\0') {
        snprintf(errbuf, CURL_ERROR_SIZE, "no SMTP server is configured (notify_smtp_url)");
        return -1;
    }
    struct yw_buf b;
    yw_buf_init(&b);
    build(&b, m, cfg->notify_smtp_from);
    CURL *h = curl_easy_init();
    if (h == NULL) {
        yw_buf_release(&b);
        snprintf(errbuf, CURL_ERROR_SIZE, "curl_easy_init failed");
        return -1;
    }
    char from[320], to[320];
    snprintf(from, sizeof from, "<%s>", cfg->notify_smtp_from);
    snprintf(to, sizeof to, "<%s>", m->to);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    struct reader r = { b.p, b.n };
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, cfg->notify_smtp_url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &r);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)b.n);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode res = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (res != CURLE_OK && errbuf[0] == '\0')
        snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(res));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    yw_buf_release(&b);
    return res == CURLE_OK ? 0 : definite(res, code) ? -1 : -2;
}

static size_t
discard_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    (void)buf;
    (void)ud;
    return size * nitems;
}

/* An SMS through the HTTP gateway: POST {to, text, event}; 2xx is sent. */
static int
send_sms(const struct msg *m, char errbuf[CURL_ERROR_SIZE])
{
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    if (cfg->notify_sms_url == NULL || cfg->notify_sms_url[0] == '\0') {
        snprintf(errbuf, CURL_ERROR_SIZE, "no SMS gateway is configured (notify_sms_url)");
        return -1;
    }
    char mid[320];
    message_id(m, mid, sizeof mid);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "id", mid, "to", m->to, "text", m->body, "event",
                          m->key);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    CURL *h = curl_easy_init();
    if (h == NULL || body == NULL) {
        free(body);
        if (h)
            curl_easy_cleanup(h);
        snprintf(errbuf, CURL_ERROR_SIZE, "cannot prepare the SMS request");
        return -1;
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, cfg->notify_sms_url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode res = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (res != CURLE_OK && errbuf[0] == '\0')
        snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(res));
    else if (res == CURLE_OK && (status < 200 || status > 299))
        snprintf(errbuf, CURL_ERROR_SIZE, "the SMS gateway answered HTTP %ld", status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    free(body);
    if (res == CURLE_OK && status >= 200 && status <= 299)
        return 0;
    return (res == CURLE_OK && status >= 400) || definite(res, 0) ? -1 : -2;
}

/* Ask the relay (or gateway) at check_url whether message m was accepted:
 * GET check_url?message_id=ID; 200 yes (1), 404 no (0), else -1 (cannot tell). */
static int
was_accepted(const char *check_url, const struct msg *m, char errbuf[CURL_ERROR_SIZE])
{
    char mid[320];
    message_id(m, mid, sizeof mid);
    CURL *h = curl_easy_init();
    if (h == NULL) {
        snprintf(errbuf, CURL_ERROR_SIZE, "curl_easy_init failed");
        return -1;
    }
    char *esc = curl_easy_escape(h, mid, 0);
    char url[2048];
    int n = snprintf(url, sizeof url, "%s%cmessage_id=%s", check_url,
                     strchr(check_url, '?') ? '&' : '?', esc ? esc : "");
    curl_free(esc);
    if (n < 0 || (size_t)n >= sizeof url) {
        curl_easy_cleanup(h);
        snprintf(errbuf, CURL_ERROR_SIZE, "the check URL is too long");
        return -1;
    }
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode res = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (res == CURLE_OK && status == 200)
        return 1;
    if (res == CURLE_OK && status == 404)
        return 0;
    if (res != CURLE_OK && errbuf[0] == '\0')
        snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(res));
    else if (res == CURLE_OK)
        snprintf(errbuf, CURL_ERROR_SIZE, "the check answered HTTP %ld", status);
    return -1;
}

struct outcome {
    int64_t id;
    int attempts;
    bool ok;
    bool in_doubt; /* a failure that may have delivered: check before the next attempt */
    const char *since;
    const char *error;
};

static int
outcome_tx(struct yw_dbc *c, void *ctx)
{
    struct outcome *o = ctx;
    char now[32];
    int64_t t = yw_clock_now_ms();
    yw_clock_format(t, now);
    /* "AND sending_since = ?": only the claim that made the attempt records
     * it (a sender so slow its lock expired does not overwrite the next). */
    if (o->ok)
        return yw_db_run(c,
                         "UPDATE svc_outbox SET status = 'sent', sent_at = ?, last_error = ?, "
                         "locked_until = '', sending_since = '', in_doubt = 0 WHERE id = ? AND "
                         "status = 'pending' AND sending_since = ?",
                         "ssis", now, o->error, o->id, o->since);
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    if (o->attempts >= cfg->notify_retry_max)
        return yw_db_run(c,
                         "UPDATE svc_outbox SET status = 'failed', last_error = ?, locked_until = "
                         "'', sending_since = '', in_doubt = ? WHERE id = ? AND status = 'pending' "
                         "AND sending_since = ?",
                         "sdis", o->error, o->in_doubt ? 1 : 0, o->id, o->since);
    int shift = o->attempts - 1 < 20 ? o->attempts - 1 : 20;
    char next[32];
    yw_clock_format(t + (cfg->notify_backoff_ms << shift), next);
    return yw_db_run(c,
                     "UPDATE svc_outbox SET next_at = ?, last_error = ?, locked_until = '', "
                     "sending_since = '', in_doubt = ? WHERE id = ? AND status = 'pending' AND "
                     "sending_since = ?",
                     "ssdis", next, o->error, o->in_doubt ? 1 : 0, o->id, o->since);
}

static int
jobs_tx(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    int rc = yw_svc__expire_bookings(c, 0);
    return rc ? rc : yw_svc__remind(c);
}

/* Is any message due?  A plain read first, so an idle sender never takes
 * the write lock (SQLite) just to find nothing. */
static bool
work_due(struct yw_dbc *c)
{
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    return yw_db_exists(c,
                        "SELECT 1 FROM svc_outbox WHERE status = 'pending' AND next_at <= ? AND "
                        "locked_until <= ? LIMIT 1",
                        "ss", now, now) != YW_ENOTFOUND;
}

/* Are there bookings to remind or to mark as no-shows? */
static bool
jobs_due(struct yw_dbc *c)
{
    char tomorrow[11], cut[32];
    yw_cal_day_text(yw_svc__today() + 1, tomorrow);
    yw_clock_format(yw_clock_now_ms() - yw_svc__cfg()->hall_noshow_grace * 60000, cut);
    return yw_db_exists(c,
                        "SELECT 1 FROM svc_appointments WHERE status = 'booked' AND ((day = ? AND "
                        "reminded = 0) OR end_at < ?) LIMIT 1",
                        "ss", tomorrow, cut) != YW_ENOTFOUND;
}

static void *
sender_main(void *arg)
{
    (void)arg;
    int64_t last_jobs = 0;
    while (atomic_load(&running)) {
        const struct yw_svc_settings *cfg = yw_svc__cfg();
        int64_t interval = cfg->notify_interval_ms;
        for (int64_t slept = 0; slept < interval && atomic_load(&running); slept += 50) {
            struct timespec ts = { 0, 50 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        if (!atomic_load(&running))
            break;
        struct yw_err err = { 0 };
        int64_t real = yw_clock_real_ms();
        struct yw_dbc *c = yw_db_conn(app_->db, &err);
        if (c == NULL)
            continue;
        if (real - last_jobs >= 2000 && jobs_due(c)) {
            last_jobs = real;
            if (yw_db_tx(app_->db, YW_TX_WRITE, jobs_tx, NULL, &err))
                yw_log_warn("services", "hall jobs: %s", err.msg);
        }
        if (!work_due(c))
            continue;
        struct claim cl = { 0 };
        if (yw_db_tx(app_->db, YW_TX_WRITE, claim_tx, &cl, &err)) {
            yw_log_warn("services", "cannot claim messages: %s", err.msg);
            for (int i = 0; i < cl.n; i++)
                msg_free(&cl.m[i]);
            continue;
        }
        for (int i = 0; i < cl.n; i++) {
            /* The claim holds for a minute; one attempt (check and send) takes at
             * most 35 s.  Past that, leave the rest to the next claim (they are
             * in doubt then, and checked), so no two senders hold a message. */
            if (yw_clock_real_ms() - cl.real_ms > 60000 - 36000) {
                msg_free(&cl.m[i]);
                continue;
            }
            struct msg *m = &cl.m[i];
            bool sms = !strcmp(m->channel, "sms");
            char errbuf[CURL_ERROR_SIZE];
            const char *check = sms ? cfg->notify_sms_check_url : cfg->notify_smtp_check_url;
            int rc = 1; /* 1: not yet tried */
            if (m->in_doubt && check && check[0]) {
                int acc = was_accepted(check, m, errbuf);
                if (acc == 1) {
                    snprintf(errbuf, sizeof errbuf, "%s",
                             "accepted by an attempt before a restart (the relay's record)");
                    rc = 0;
                } else if (acc < 0) {
                    char why[CURL_ERROR_SIZE];
                    snprintf(why, sizeof why, "cannot ask whether an earlier attempt was "
                                              "accepted: %.180s", errbuf);
                    snprintf(errbuf, sizeof errbuf, "%s", why);
                    rc = -2; /* still in doubt: ask again next time, never send blind */
                }
            }
            if (rc == 1) {
                rc = sms ? send_sms(m, errbuf) : send_one(m, errbuf);
                if (rc == 0)
                    errbuf[0] = '\0';
            }
            if (rc)
                yw_log_warn("services", "message %lld (attempt %d) not sent%s: %s",
                            (long long)m->id, m->attempts, rc == -2 ? " (in doubt)" : "", errbuf);
            struct outcome o = { m->id, m->attempts, rc == 0, rc == -2, m->since, errbuf };
            if (yw_db_tx(app_->db, YW_TX_WRITE, outcome_tx, &o, &err))
                yw_log_warn("services", "cannot record message %lld: %s", (long long)o.id, err.msg);
            msg_free(m);
        }
    }
    return NULL;
}

/* The outbox on /metrics (http/metrics.h): messages by status, and how long
 * the oldest queued one has waited, so an operator sees a sender that is
 * stuck or an SMTP server that refuses; and the hall screens listening. */
static void
outbox_metrics(struct yw_buf *out, void *ctx)
{
    (void)ctx;
    struct yw_dbc *c = yw_db_conn(app_->db, NULL);
    if (c == NULL)
        return;
    static const char *const statuses[][2] = { { "pending", "queued" },
                                               { "sent", "sent" },
                                               { "failed", "failed" } };
    int64_t n[3] = { 0 };
    for (int i = 0; i < 3; i++)
        if (yw_db_one_int(c, &n[i], "SELECT COUNT(*) FROM svc_outbox WHERE status = ?", "s",
                          statuses[i][0]))
            return;
    char *oldest = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 256);
    double age = 0;
    int64_t ms = 0;
    if (yw_db_one_text(c, &a, &oldest,
                       "SELECT COALESCE(MIN(created_at), '') FROM svc_outbox WHERE status = "
                       "'pending'",
                       "") == 0 &&
        oldest && *oldest && yw_clock_parse(oldest, &ms) == 0) {
        age = (double)(yw_clock_now_ms() - ms) / 1000.0;
        if (age < 0)
            age = 0;
    }
    yw_arena_release(&a);
    yw_buf_adds(out, "# HELP ywtb_notify_outbox_messages Email and SMS messages in the outbox "
                     "by status (queued: waiting to be sent or retried).\n"
                     "# TYPE ywtb_notify_outbox_messages gauge\n");
    for (int i = 0; i < 3; i++)
        yw_buf_printf(out, "ywtb_notify_outbox_messages{status=\"%s\"} %lld\n", statuses[i][1],
                      (long long)n[i]);
    yw_buf_printf(out,
                  "# HELP ywtb_notify_outbox_oldest_queued_seconds How long the oldest queued "
                  "message has waited (0: none queued).\n"
                  "# TYPE ywtb_notify_outbox_oldest_queued_seconds gauge\n"
                  "ywtb_notify_outbox_oldest_queued_seconds %.3f\n",
                  age);
    struct yw_stream *st = yw_svc__feed_stream();
    if (st)
        yw_buf_printf(out,
                      "# HELP ywtb_hall_screen_listeners Hall screens listening to this node's "
                      "server-sent events.\n"
                      "# TYPE ywtb_hall_screen_listeners gauge\n"
                      "ywtb_hall_screen_listeners %zu\n",
                      yw_stream_listeners(st));
}

int
yw_svc__sender_start(struct yw_app *app, struct yw_err *err)
{
    if (started)
        return 0;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot initialize libcurl");
    app_ = app;
    static bool metrics_added;
    if (!metrics_added) {
        yw_metrics_add_source(outbox_metrics, NULL);
        metrics_added = true;
    }
    atomic_store(&running, true);
    if (pthread_create(&thread, NULL, sender_main, NULL) != 0) {
        atomic_store(&running, false);
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the notification sender");
    }
    started = true;
    return 0;
}

void
yw_svc__sender_stop(void)
{
    if (!started)
        return;
    atomic_store(&running, false);
    pthread_join(thread, NULL);
    started = false;
    curl_global_cleanup();
}
