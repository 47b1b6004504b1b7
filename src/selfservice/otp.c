/*
 * otp.c - logging in at a kiosk by ID number and a one-time code (the other
 * way besides the QR code of kiosk.c).
 *
 * The person types their ID number (or credit code) on the kiosk's keypad;
 * ywtb sends a 6-digit code to the phone registered on that account through
 * the SMS gateway (sms.c) and gives the kiosk page an otp_token; the code and
 * the token together open a kiosk session.  Only salted SM3s rest (ss_otps),
 * never the code or the ID number.  A code lives ss_otp_ttl seconds, opens
 * one session, and dies after five wrong tries.  At most three codes per ID
 * number and thirty per kiosk in 15 minutes (429).  An ID number with no
 * usable account gets the same answer and a code nobody knows, so the kiosk
 * does not tell who has an account.  Sends, refusals, wrong codes and logins
 * are audited, each in its own transaction.
 */
#include "selfservice/internal.h"

#include "core/clock.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OTP_WINDOW_MS   (15 * 60 * 1000)
#define OTP_PER_IDENT   3
#define OTP_PER_KIOSK   30
#define OTP_TRIES       5

static void
sm3_of(const char *text, char out[65])
{
    yw_sm3_hex(text, strlen(text), out);
}

static void
seal(const char *salt, const char *code, char out[96])
{
    char key[64], h[65];
    snprintf(key, sizeof key, "%s:%s", salt, code);
    sm3_of(key, h);
    snprintf(out, 96, "%s$%s", salt, h);
}

static bool
sealed_matches(const char *sealed, const char *code)
{
    const char *dollar = strchr(sealed, '$');
    if (dollar == NULL || dollar - sealed > 32)
        return false;
    char salt[40], again[96];
    snprintf(salt, sizeof salt, "%.*s", (int)(dollar - sealed), sealed);
    seal(salt, code, again);
    return strlen(again) == strlen(sealed) && yw_ct_equal(again, sealed, strlen(sealed));
}

static int
audit(struct yw_dbc *c, const char *actor, const char *action, int64_t id, json_t *summary)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    char *text = json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                       .role = "",
                                                       .action = action,
                                                       .obj_type = "kiosk_otp",
                                                       .obj_id = oid,
                                                       .summary = text ? text : "{}" });
    free(text);
    return rc;
}

/* ---- asking for a code ---- */

struct new_tx {
    struct yw_req *req;
    const char *kiosk, *ident;
    char ih[65], token_hash[65], sealed[96], code[8], phone[16];
    int64_t now_ms, id, account_id;
    bool limited;
};

static int
new_tx(struct yw_dbc *c, void *ctx)
{
    struct new_tx *t = ctx;
    int64_t by_ident = 0, by_kiosk = 0;
    int rc = yw_db_one_int(c, &by_ident,
                           "SELECT COUNT(*) FROM ss_otps WHERE ident_hash = ? AND created_ms > ?",
                           "si", t->ih, t->now_ms - OTP_WINDOW_MS);
    if (rc == 0)
        rc = yw_db_one_int(c, &by_kiosk,
                           "SELECT COUNT(*) FROM ss_otps WHERE kiosk = ? AND created_ms > ?", "si",
                           t->kiosk, t->now_ms - OTP_WINDOW_MS);
    if (rc)
        return rc;
    t->limited = by_ident >= OTP_PER_IDENT || by_kiosk >= OTP_PER_KIOSK;
    if (t->limited) /* refused, and the refusal is on the record */
        return audit(c, "anonymous", "kiosk.otp_refused", 0,
                     json_pack("{s:s, s:s}", "kiosk", t->kiosk, "why",
                               by_ident >= OTP_PER_IDENT ? "id_number" : "kiosk"));
    struct yw_ident_account acc;
    rc = yw_ident_account_by_ident(c, &t->req->arena, t->ident, &acc);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    bool usable = rc == 0 && acc.status && !strcmp(acc.status, "active") &&
                  yw_cnid_mobile_ok(acc.phone);
    t->account_id = usable ? acc.id : 0;
    snprintf(t->phone, sizeof t->phone, "%s", usable ? acc.phone : "");
    /* an ID number without a usable account gets a code nobody is told */
    unsigned char r[4];
    yw_random(r, sizeof r);
    uint32_t v = ((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3]);
    snprintf(t->code, sizeof t->code, "%06u", v % 1000000u);
    char salt[32];
    yw_random_token(12, salt, sizeof salt);
    seal(salt, t->code, t->sealed);
    /* an earlier unused code of this ID number stops working */
    rc = yw_db_run(c, "UPDATE ss_otps SET status = 'void' WHERE ident_hash = ? AND status = 'sent'",
                   "s", t->ih);
    if (rc == 0)
        rc = yw_db_run(c,
                       "INSERT INTO ss_otps (token_hash, kiosk, ident_hash, account_id, code_hash, "
                       "status, tries, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, 'sent', 0, "
                       "?, ?)",
                       "sssisii", t->token_hash, t->kiosk, t->ih, t->account_id, t->sealed,
                       t->now_ms, t->now_ms + yw_ss__cfg()->ss_otp_ttl * 1000);
    if (rc == 0)
        rc = yw_db_one_int(c, &t->id, "SELECT id FROM ss_otps WHERE token_hash = ?", "s",
                           t->token_hash);
    if (rc == 0)
        rc = audit(c, "anonymous", "kiosk.otp_sent", t->id,
                   json_pack("{s:s, s:b}", "kiosk", t->kiosk, "account", usable));
    return rc;
}

static int
void_tx(struct yw_dbc *c, void *ctx)
{
    struct new_tx *t = ctx;
    int rc = yw_db_run(c, "UPDATE ss_otps SET status = 'void' WHERE id = ?", "i", t->id);
    if (rc == 0)
        rc = audit(c, "anonymous", "kiosk.otp_unsent", t->id,
                   json_pack("{s:s}", "kiosk", t->kiosk));
    return rc;
}

int
yw_ss__h_otp_new(struct yw_req *req)
{
    const char *kiosk = yw_body_str(req, "kiosk"), *typed = yw_body_str(req, "id_number");
    if (!yw_ss__kiosk_ok(kiosk))
        return yw_fail(&req->err, YW_EFIELD, "kiosk", "kiosk is 1 to 16 letters, digits or '-'");
    char ident[19];
    if (!yw_cnid_ident_normalize(typed, ident)) {
        int rc = yw_cnid_check_id(typed, strlen(typed), NULL, &req->err);
        return rc ? rc
                  : yw_fail(&req->err, YW_EFIELD, "id_number",
                            "id_number is an identity number or a credit code");
    }
    if (yw_ss__cfg()->ss_sms_url == NULL || !yw_ss__cfg()->ss_sms_url[0])
        return yw_fail(&req->err, YW_ESSNOSMS, "",
                       "this hall sends no SMS codes (ss_sms_url): log in by scanning the QR code");
    struct new_tx t = { .req = req, .kiosk = kiosk, .ident = ident,
                        .now_ms = yw_clock_now_ms() };
    sm3_of(ident, t.ih);
    char token[64];
    yw_random_token(32, token, sizeof token);
    sm3_of(token, t.token_hash);
    int rc = yw_db_tx(req->app->db, YW_TX_WRITE, new_tx, &t, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot record the code");
    if (t.limited)
        return yw_fail(&req->err, YW_ERATE, "id_number",
                       "too many codes asked for: try again in 15 minutes or scan the QR code");
    int64_t ttl = yw_ss__cfg()->ss_otp_ttl;
    if (t.account_id > 0) {
        char text[320], event[48];
        snprintf(text, sizeof text,
                 "【徐汇一网通办】您在自助机 %s 登录的验证码为 %s，%lld 分钟内有效，请勿告诉他人。"
                 "Your login code at kiosk %s: %s (valid %lld min).",
                 kiosk, t.code, (long long)(ttl / 60), kiosk, t.code, (long long)(ttl / 60));
        snprintf(event, sizeof event, "kiosk.otp:%lld", (long long)t.id);
        rc = yw_ss__sms_send(t.phone, text, event, &req->err);
        memset(text, 0, sizeof text);
        if (rc) {
            struct yw_err verr = { 0 };
            yw_db_tx(req->app->db, YW_TX_WRITE, void_tx, &t, &verr);
            memset(t.code, 0, sizeof t.code);
            return rc;
        }
    }
    memset(t.code, 0, sizeof t.code);
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_json(req, 201,
                        json_pack("{s:s, s:s, s:I}", "otp_token", token, "kiosk", kiosk,
                                  "expires_in", (json_int_t)ttl));
}

/* ---- the code typed back ---- */

enum verdict { V_OK, V_UNKNOWN, V_USED, V_EXPIRED, V_WRONG, V_LOCKED };

struct check_tx {
    struct yw_req *req;
    const char *token, *code;
    enum verdict v;
    int tries_left;
    struct yw_ss_session ks;
};

static int
check_tx(struct yw_dbc *c, void *ctx)
{
    struct check_tx *t = ctx;
    char th[65];
    sm3_of(t->token, th);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT id, kiosk, account_id, code_hash, status, tries, expires_ms "
                           "FROM ss_otps WHERE token_hash = ?",
                           "s", th);
    if (rc == YW_ENOTFOUND) {
        t->v = V_UNKNOWN;
        return 0;
    }
    if (rc)
        return rc;
    int64_t id = yw_db_col_int(s, 0), account = yw_db_col_int(s, 2), tries = yw_db_col_int(s, 5),
            exp = yw_db_col_int(s, 6);
    char kiosk[20], sealed[96], status[8];
    snprintf(kiosk, sizeof kiosk, "%s", yw_db_col_text(s, 1));
    snprintf(sealed, sizeof sealed, "%s", yw_db_col_text(s, 3));
    snprintf(status, sizeof status, "%s", yw_db_col_text(s, 4));
    yw_db_reset(s);
    if (strcmp(status, "sent")) {
        t->v = V_USED;
        return 0;
    }
    if (yw_clock_now_ms() >= exp) {
        t->v = V_EXPIRED;
        rc = yw_db_run(c, "UPDATE ss_otps SET status = 'void' WHERE id = ?", "i", id);
        return rc ? rc
                  : audit(c, "anonymous", "kiosk.otp_expired", id,
                          json_pack("{s:s}", "kiosk", kiosk));
    }
    if (account <= 0 || !sealed_matches(sealed, t->code)) {
        tries++;
        t->v = tries >= OTP_TRIES ? V_LOCKED : V_WRONG;
        t->tries_left = (int)(OTP_TRIES - tries);
        rc = yw_db_run(c, "UPDATE ss_otps SET tries = ?, status = ? WHERE id = ?", "isi", tries,
                       t->v == V_LOCKED ? "void" : "sent", id);
        return rc ? rc
                  : audit(c, "anonymous", "kiosk.otp_failed", id,
                          json_pack("{s:s, s:I}", "kiosk", kiosk, "tries", (json_int_t)tries));
    }
    int64_t n = 0;
    rc = yw_db_run_changes(c, &n,
                           "UPDATE ss_otps SET status = 'used' WHERE id = ? AND status = 'sent'",
                           "i", id);
    if (rc == 0 && n != 1) {
        t->v = V_USED;
        return 0;
    }
    if (rc == 0)
        rc = yw_ss__session_open(t->req, c, account, kiosk, "otp", &t->ks);
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)account);
    if (rc == 0)
        rc = audit(c, actor, "kiosk.otp_login", id, json_pack("{s:s}", "kiosk", kiosk));
    t->v = V_OK;
    return rc;
}

int
yw_ss__h_otp_verify(struct yw_req *req)
{
    const char *token = yw_body_str(req, "otp_token"), *code = yw_body_str(req, "code");
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return yw_fail(&req->err, YW_EFIELD, "code", "the code has 6 digits");
    if (strlen(token) < 20)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such code request");
    struct check_tx t = { .req = req, .token = token, .code = code };
    int rc = yw_db_tx(req->app->db, YW_TX_WRITE, check_tx, &t, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot check the code");
    switch (t.v) {
    case V_OK:
        return yw_ss__session_answer(req, &t.ks);
    case V_UNKNOWN:
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such code request");
    case V_USED:
        return yw_fail(&req->err, YW_ESTATE, "", "this code was already used or replaced");
    case V_EXPIRED:
        return yw_fail(&req->err, YW_ESSEXPIRED, "", "the code has expired: ask for a new one");
    case V_LOCKED:
        return yw_fail(&req->err, YW_ERATE, "code",
                       "five wrong codes: this one no longer works, ask for a new one");
    case V_WRONG:
    default:
        return yw_fail(&req->err, YW_ESSOTP, "code", "the code is wrong (%d tries left)",
                       t.tries_left);
    }
}

/* ---- pruning (the background job, returns.c) ---- */

static int
prune_tx(struct yw_dbc *c, void *ctx)
{
    int64_t now = *(int64_t *)ctx, day = 24LL * 3600 * 1000;
    /* codes a day old count towards no limit any more; expired kiosk sessions
     * are dead in identity too; wrong pickup codes older than their window */
    int rc = yw_db_run(c, "DELETE FROM ss_otps WHERE created_ms < ?", "i", now - day);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM ss_kiosk_sessions WHERE expires_ms < ?", "i", now - day);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM ss_pickup_failures WHERE at_ms < ?", "i", now - day);
    return rc;
}

int
yw_ss__prune(struct yw_db *db, struct yw_err *err)
{
    int64_t now = yw_clock_now_ms();
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    /* a plain read first: most passes find nothing to delete and take no write lock */
    int rc = yw_db_exists(c,
                          "SELECT 1 FROM ss_otps WHERE created_ms < ? UNION ALL SELECT 1 FROM "
                          "ss_kiosk_sessions WHERE expires_ms < ? UNION ALL SELECT 1 FROM "
                          "ss_pickup_failures WHERE at_ms < ?",
                          "iii", now - 86400000LL, now - 86400000LL, now - 86400000LL);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return yw_fail(err, rc, "", "cannot read what to prune");
    return yw_db_tx(db, YW_TX_WRITE, prune_tx, &now, err);
}
