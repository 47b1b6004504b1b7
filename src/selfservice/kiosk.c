/*
 * kiosk.c - logging in at a kiosk without typing a password.
 *
 * The kiosk asks for a login request and shows its link as a QR code; the
 * request carries two secrets: the code in the link (the phone's) and the poll
 * token (the kiosk page's only).  The person's phone, logged in to the portal,
 * opens the link and confirms; the kiosk, polling with its token, then gets a
 * short session of that account (identity's yw_ident_session_open) with the
 * same cookies as a normal login.  A request lives ss_login_ttl seconds, is
 * confirmed once and collected once; only the kiosk that holds the poll token
 * can collect it, so a photographed QR code gives nobody a session.
 *
 * Both kiosk logins (this one and otp.c's) open the session here
 * (yw_ss__session_open) and remember it in ss_kiosk_sessions, by the SM3 of
 * its token - what yw_principal.session carries - so that the kiosk actions
 * and the pickup by login know a kiosk session, and which kiosk, from the
 * server's records rather than from the page.
 */
#include "selfservice/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "identity/identity.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool
kiosk_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n < 1 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') ||
              (k[i] >= '0' && k[i] <= '9') || k[i] == '-'))
            return false;
    return true;
}

static void
hash_of(const char *secret, char out[65])
{
    yw_sm3_hex(secret, strlen(secret), out);
}

static int
audit(struct yw_dbc *c, const char *actor, const char *action, int64_t id, const char *kiosk)
{
    char oid[24], sum[96];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    snprintf(sum, sizeof sum, "{\"kiosk\":\"%s\"}", kiosk);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "",
                                                     .action = action,
                                                     .obj_type = "kiosk_login",
                                                     .obj_id = oid,
                                                     .summary = sum });
}

int
yw_ss__h_login_new(struct yw_req *req)
{
    const char *kiosk = yw_body_str(req, "kiosk");
    if (!kiosk_ok(kiosk))
        return yw_fail(&req->err, YW_EFIELD, "kiosk", "kiosk is 1 to 16 letters, digits or '-'");
    char code[64], poll[64], ch[65], ph[65], now[32];
    yw_random_token(24, code, sizeof code);
    yw_random_token(32, poll, sizeof poll);
    hash_of(code, ch);
    hash_of(poll, ph);
    int64_t now_ms = yw_clock_now_ms(), ttl = yw_ss__cfg()->ss_login_ttl;
    yw_clock_format(now_ms, now);
    int rc = yw_db_run(req->db,
                       "INSERT INTO ss_login_requests (code_hash, poll_hash, kiosk, status, "
                       "created_at, expires_ms) VALUES (?, ?, ?, 'pending', ?, ?)",
                       "ssssi", ch, ph, kiosk, now, now_ms + ttl * 1000);
    int64_t id = 0;
    if (rc == 0)
        rc = yw_db_one_int(req->db, &id, "SELECT id FROM ss_login_requests WHERE code_hash = ?",
                           "s", ch);
    if (rc == 0)
        rc = audit(req->db, "anonymous", "kiosk.login_request", id, kiosk);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot record the login request");
    char url[512];
    snprintf(url, sizeof url, "%s/kiosklogin.html?c=%s", yw_req_base_url(req), code);
    return yw_resp_json(req, 201,
                        json_pack("{s:s, s:s, s:s, s:s, s:I}", "code", code, "poll_token", poll,
                                  "kiosk", kiosk, "confirm_url", url, "expires_in",
                                  (json_int_t)ttl));
}

struct lreq {
    int64_t id, account_id, expires_ms;
    char kiosk[20], status[16];
};

static int
load(struct yw_dbc *c, const char *col, const char *secret, struct lreq *r)
{
    if (secret == NULL || strlen(secret) < 20 || strlen(secret) > 64)
        return YW_ENOTFOUND;
    char h[65], sql[160];
    hash_of(secret, h);
    snprintf(sql, sizeof sql,
             "SELECT id, account_id, expires_ms, kiosk, status FROM ss_login_requests WHERE %s "
             "= ?",
             col);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, sql, "s", h);
    if (rc)
        return rc;
    r->id = yw_db_col_int(s, 0);
    r->account_id = yw_db_col_int(s, 1);
    r->expires_ms = yw_db_col_int(s, 2);
    snprintf(r->kiosk, sizeof r->kiosk, "%s", yw_db_col_text(s, 3));
    snprintf(r->status, sizeof r->status, "%s", yw_db_col_text(s, 4));
    yw_db_reset(s);
    return 0;
}

static int
not_found(struct yw_req *req, int rc)
{
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no such login request");
    return yw_fail(&req->err, rc, "", "cannot read the login request");
}

int
yw_ss__h_login_show(struct yw_req *req)
{
    struct lreq r;
    int rc = load(req->db, "code_hash", yw_req_param(req, "code"), &r);
    if (rc)
        return not_found(req, rc);
    int64_t left = (r.expires_ms - yw_clock_now_ms()) / 1000;
    if (left <= 0 && !strcmp(r.status, "pending"))
        return yw_fail(&req->err, YW_ESSEXPIRED, "", "the login request has expired");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I}", "kiosk", r.kiosk, "status", r.status,
                                  "expires_in", (json_int_t)(left > 0 ? left : 0)));
}

int
yw_ss__h_login_confirm(struct yw_req *req)
{
    struct lreq r;
    int rc = load(req->db, "code_hash", yw_req_param(req, "code"), &r);
    if (rc)
        return not_found(req, rc);
    int64_t now = yw_clock_now_ms();
    if (strcmp(r.status, "pending"))
        return yw_fail(&req->err, YW_ESTATE, "", "this login request was already used");
    if (now >= r.expires_ms)
        return yw_fail(&req->err, YW_ESSEXPIRED, "", "the login request has expired");
    int64_t n = 0;
    rc = yw_db_run_changes(req->db, &n,
                           "UPDATE ss_login_requests SET status = 'confirmed', account_id = ? "
                           "WHERE id = ? AND status = 'pending'",
                           "ii", req->who->account_id, r.id);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ESTATE, "", "this login request was already used");
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    if (rc == 0)
        rc = audit(req->db, actor, "kiosk.login_confirmed", r.id, r.kiosk);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot confirm the login request");
    return yw_resp_json(req, 200, json_pack("{s:s, s:s}", "status", "confirmed", "kiosk", r.kiosk));
}

int
yw_ss__h_login_poll(struct yw_req *req)
{
    struct lreq r;
    int rc = load(req->db, "poll_hash", yw_body_str(req, "poll_token"), &r);
    if (rc)
        return not_found(req, rc);
    int64_t now = yw_clock_now_ms();
    if (!strcmp(r.status, "used") || !strcmp(r.status, "cancelled"))
        return yw_fail(&req->err, YW_ESTATE, "", "this login request was already used");
    if (now >= r.expires_ms)
        return yw_fail(&req->err, YW_ESSEXPIRED, "", "the login request has expired");
    if (!strcmp(r.status, "pending"))
        return yw_resp_json(req, 200,
                            json_pack("{s:s, s:I}", "status", "pending", "expires_in",
                                      (json_int_t)((r.expires_ms - now) / 1000)));
    int64_t n = 0;
    rc = yw_db_run_changes(req->db, &n,
                           "UPDATE ss_login_requests SET status = 'used' WHERE id = ? AND status "
                           "= 'confirmed'",
                           "i", r.id);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ESTATE, "", "this login request was already used");
    struct yw_ss_session ks;
    if (rc == 0)
        rc = yw_ss__session_open(req, req->db, r.account_id, r.kiosk, "qr", &ks);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot open the kiosk session");
    return yw_ss__session_answer(req, &ks);
}

/* Open the kiosk session of account_id on c (in the caller's transaction)
 * and remember it is a kiosk's; the secrets land in *out. */
int
yw_ss__session_open(struct yw_req *req, struct yw_dbc *c, int64_t account_id, const char *kiosk,
                    const char *via, struct yw_ss_session *out)
{
    char where[32], th[65];
    snprintf(where, sizeof where, "kiosk:%s", kiosk);
    snprintf(out->kiosk, sizeof out->kiosk, "%s", kiosk);
    out->ttl = (int)yw_ss__cfg()->ss_kiosk_session;
    int rc =
        yw_ident_session_open(c, account_id, out->ttl, req->client_ip, where, out->token, out->csrf);
    hash_of(out->token, th);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO ss_kiosk_sessions (session_hash, kiosk, account_id, via, "
                       "expires_ms) VALUES (?, ?, ?, ?, ?)",
                       "ssisi", th, kiosk, account_id, via,
                       yw_clock_now_ms() + (int64_t)out->ttl * 1000);
    return rc;
}

/* The answer of an opened kiosk session: the cookies of a normal login and
 * the bearer token for the kiosk page. */
int
yw_ss__session_answer(struct yw_req *req, const struct yw_ss_session *ks)
{
    const char *proto = yw_req_header(req, "X-Forwarded-Proto");
    bool secure = proto && !strcasecmp(proto, "https");
    char cookie[256];
    snprintf(cookie, sizeof cookie, "ywtb_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
             ks->token, ks->ttl, secure ? "; Secure" : "");
    yw_resp_header(req, "Set-Cookie", cookie);
    snprintf(cookie, sizeof cookie, "ywtb_in=1; Path=/; SameSite=Lax; Max-Age=%d%s", ks->ttl,
             secure ? "; Secure" : "");
    yw_resp_header(req, "Set-Cookie", cookie);
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "status", "signed_in",
                                  "token", ks->token, "csrf_token", ks->csrf, "token_type",
                                  "Bearer", "expires_in", ks->ttl, "idle_seconds", 60, "kiosk",
                                  ks->kiosk));
}

int
yw_ss__kiosk_of(struct yw_req *req, char kiosk[20])
{
    kiosk[0] = '\0';
    const char *sh = req->who && req->who->session ? req->who->session : "";
    struct yw_stmt *s;
    int rc = yw_db_one_row(req->db, &s,
                           "SELECT kiosk, expires_ms, account_id FROM ss_kiosk_sessions WHERE "
                           "session_hash = ?",
                           "s", sh);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "only a session opened at a kiosk does this");
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the kiosk session");
    snprintf(kiosk, 20, "%s", yw_db_col_text(s, 0));
    int64_t exp = yw_db_col_int(s, 1), acc = yw_db_col_int(s, 2);
    yw_db_reset(s);
    if (acc != req->who->account_id || yw_clock_now_ms() >= exp)
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "only a session opened at a kiosk does this");
    return 0;
}

bool
yw_ss__kiosk_ok(const char *k)
{
    return kiosk_ok(k);
}

/* The QR code the kiosk shows: the confirm link of a pending request. */
int
yw_ss__h_login_qr(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code");
    struct lreq r;
    int rc = load(req->db, "code_hash", code, &r);
    if (rc)
        return not_found(req, rc);
    if (strcmp(r.status, "pending") || yw_clock_now_ms() >= r.expires_ms)
        return yw_fail(&req->err, YW_ESSEXPIRED, "", "the login request is no longer open");
    char url[512];
    snprintf(url, sizeof url, "%s/kiosklogin.html?c=%s", yw_req_base_url(req), code);
    char *svg = NULL;
    size_t len = 0;
    if ((rc = yw_pdf_qr_svg(url, &svg, &len, &req->err)))
        return rc;
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_take(req, 200, "image/svg+xml", svg, len);
}
