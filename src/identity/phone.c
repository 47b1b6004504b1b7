/*
 * phone.c - one-time codes by SMS (issue 15): a holder verifies their mobile
 * number, and a holder with a verified number who forgot their password sets
 * a new one without going to a window.
 *
 *   POST /api/v1/me/phone/code            send a code to the caller's own number
 *   POST /api/v1/me/phone/verify {code}   the number is verified
 *   POST /api/v1/auth/password-reset/code {login}          (no session)
 *   POST /api/v1/auth/password-reset {login, code, new_password}
 *
 * The code goes out through core's SMS provider (services queues it in its
 * outbox, core/provider.h), never by calling services.  Only its SM3 hash is
 * kept (phone_codes, migration 0031).  The rules, after NIST SP 800-63B
 * §5.1.3 (out-of-band authenticators) and OWASP's forgot-password cheat sheet:
 *
 *   - a code is 6 random digits, lives CODE_TTL seconds and is used once;
 *     CODE_TRIES wrong entries end it; only the newest code of a login and
 *     purpose counts;
 *   - a login may ask for a code once every CODE_RESEND seconds and
 *     CODE_PER_HOUR times an hour per purpose; an address may ask for
 *     CODE_ADDR_PER_HOUR reset codes an hour (over all logins) - beyond
 *     that 429 rate_limited with Retry-After;
 *   - a reset answers a login without an account, or without a verified
 *     mobile number, exactly as one with: the same body, the same limits (the
 *     request is recorded with no code), so it tells nobody who has an account;
 *   - a wrong, expired or used code is 422 invalid_field (field "code"),
 *     with the wrong entry counted (in its own committed transaction);
 *   - a reset ends every session of the account and forgets its failed
 *     logins (the holder proved the phone, as at the window); every code
 *     sent, every wrong entry, the verification and the reset are audited.
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/provider.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

#define CODE_TTL           600 /* seconds a code lives */
#define CODE_RESEND        60  /* seconds between two codes of one login and purpose */
#define CODE_PER_HOUR      5   /* codes of one login and purpose an hour */
#define CODE_ADDR_PER_HOUR 20  /* reset codes one address may ask for an hour */
#define CODE_TRIES         5   /* wrong entries that end a code */

enum outcome {
    OK = 0,
    RATE,     /* too many codes asked: retry_after */
    BAD_CODE, /* wrong, expired, used or no code */
};

struct code_tx {
    const char *purpose; /* "verify" or "reset" */
    const char *login;   /* normalized */
    const char *ip;     /* asking for a code: the client address (an IPv6 /64) */
    int64_t account_id; /* verify: the caller; reset: found here (0: none) */
    const char *code;   /* check: what was typed */
    const char *hash;   /* reset: the new password's hash */
    /* out */
    enum outcome outcome;
    int64_t retry_after;
    int64_t row_id;
    int tries_left;
    char phone[24];
};

/* Lock class of pg_advisory_xact_lock(int, int) for a login's codes ('yw' and 3;
 * lockout.c has 1 and 2). */
#define LOCK_CODES 0x79770003

/* Serialize the transactions about one login's codes across threads and
 * nodes, so that parallel requests see each other's rows: the limits and the
 * count of wrong entries hold exactly (SQLite: the write transaction's lock
 * already does it). */
static int
lock_login(struct yw_dbc *c, const char *login)
{
    if (yw_db_engine(yw_dbc_db(c)) != YW_DB_PG)
        return 0;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = login; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return yw_db_run(c, "SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))",
                     "dd", LOCK_CODES, (int)(int32_t)h);
}

static void
now_text(int64_t ms, char out[32])
{
    yw_clock_format(ms, out);
}

/* SM3 of the code bound to its login and purpose: a stored hash is no use
 * for another login, and the code itself is never stored. */
static void
code_hash(const char *login, const char *purpose, const char *code, char out[65])
{
    char buf[400]; /* a login is at most 64 characters (256 bytes) */
    int n = snprintf(buf, sizeof buf, "ywtb-phone-code\n%s\n%s\n%s", purpose, login, code);
    if (n < 0 || (size_t)n >= sizeof buf)
        n = (int)strlen(buf);
    if (yw_sm3_hex(buf, (size_t)n, out))
        out[0] = '\0';
    yw_wipe(buf, sizeof buf);
}

static void
new_code(char out[7])
{
    uint32_t r;
    do /* no modulo bias: reject the top of the range */
        yw_random(&r, sizeof r);
    while (r >= 4294000000u);
    snprintf(out, 7, "%06u", (unsigned)(r % 1000000u));
}

static void
audit_actor(int64_t id, char out[24])
{
    snprintf(out, 24, "%lld", (long long)id);
}

/* ---- asking for a code ---- */

/* The limits (see the top); 0 when the request may go on, RATE otherwise. */
static int
check_limits(struct yw_dbc *c, struct code_tx *t, int64_t now_ms)
{
    char hour_ago[32], newest[32] = "";
    now_text(now_ms - 3600 * 1000LL, hour_ago);
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n,
                           "SELECT COUNT(*) FROM phone_codes WHERE login = ? AND purpose = ? AND "
                           "created_at > ?",
                           "sss", t->login, t->purpose, hour_ago);
    if (rc)
        return rc;
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s,
                       "SELECT created_at FROM phone_codes WHERE login = ? AND purpose = ? "
                       "ORDER BY created_at DESC, id DESC LIMIT 1",
                       "ss", t->login, t->purpose);
    if (rc == 0) {
        snprintf(newest, sizeof newest, "%s", yw_db_col_text(s, 0));
        yw_db_reset(s);
    } else if (rc != YW_ENOTFOUND) {
        return rc;
    }
    int64_t last_ms = 0;
    if (newest[0] && yw_clock_parse(newest, &last_ms))
        last_ms = 0;
    if (n >= CODE_PER_HOUR) {
        char oldest[32] = "";
        rc = yw_db_one_row(c, &s,
                           "SELECT MIN(created_at) FROM phone_codes WHERE login = ? AND "
                           "purpose = ? AND created_at > ?",
                           "sss", t->login, t->purpose, hour_ago);
        if (rc == 0) {
            snprintf(oldest, sizeof oldest, "%s", yw_db_col_text(s, 0));
            yw_db_reset(s);
        }
        int64_t o = now_ms;
        if (oldest[0] && yw_clock_parse(oldest, &o))
            o = now_ms;
        t->outcome = RATE;
        t->retry_after = (o + 3600 * 1000LL - now_ms) / 1000 + 1;
        return 0;
    }
    if (last_ms > 0 && now_ms - last_ms < CODE_RESEND * 1000LL) {
        t->outcome = RATE;
        t->retry_after = (last_ms + CODE_RESEND * 1000LL - now_ms) / 1000 + 1;
        return 0;
    }
    if (!strcmp(t->purpose, "reset")) {
        rc = yw_db_one_int(c, &n,
                           "SELECT COUNT(*) FROM phone_codes WHERE ip = ? AND purpose = 'reset' "
                           "AND created_at > ?",
                           "ss", t->ip, hour_ago);
        if (rc)
            return rc;
        if (n >= CODE_ADDR_PER_HOUR) {
            t->outcome = RATE;
            t->retry_after = 600;
        }
    }
    return 0;
}

static int
request_tx(struct yw_dbc *c, void *ctx)
{
    struct code_tx *t = ctx;
    t->outcome = OK;
    int rc = lock_login(c, t->login);
    if (rc)
        return rc;
    int64_t now_ms = yw_clock_now_ms();
    rc = check_limits(c, t, now_ms);
    if (rc || t->outcome != OK)
        return rc;
    /* whose number: the caller's (verify), or the login's verified one (reset) */
    struct yw_stmt *s;
    t->phone[0] = '\0';
    bool send = false;
    if (!strcmp(t->purpose, "verify")) {
        rc = yw_db_one_row(c, &s, "SELECT phone FROM accounts WHERE id = ?", "i", t->account_id);
        if (rc)
            return rc;
        snprintf(t->phone, sizeof t->phone, "%s", yw_db_col_text(s, 0));
        yw_db_reset(s);
        send = true;
    } else {
        rc = yw_db_one_row(c, &s,
                           "SELECT id, phone, phone_verified FROM accounts WHERE login = ? AND "
                           "status = 'active' AND kind IN ('person', 'enterprise')",
                           "s", t->login);
        if (rc == 0) {
            if (yw_db_col_text(s, 1)[0] && !strcmp(yw_db_col_text(s, 1), yw_db_col_text(s, 2)) &&
                yw_cnid_mobile_ok(yw_db_col_text(s, 1))) {
                t->account_id = yw_db_col_int(s, 0);
                snprintf(t->phone, sizeof t->phone, "%s", yw_db_col_text(s, 1));
                send = true;
            }
            yw_db_reset(s);
        } else if (rc != YW_ENOTFOUND) {
            return rc;
        }
    }
    char code[7] = "", hash[65] = "", now[32], expires[32];
    now_text(now_ms, now);
    now_text(now_ms + CODE_TTL * 1000LL, expires);
    if (send) {
        new_code(code);
        code_hash(t->login, t->purpose, code, hash);
        if (!hash[0])
            return YW_ECRYPTO;
    }
    int64_t id = 0;
    rc = yw_db_one_int(c, &id,
                       "INSERT INTO phone_codes (purpose, login, account_id, phone, code_hash, ip, "
                       "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "ssisssss", t->purpose, t->login, send ? t->account_id : (int64_t)0,
                       t->phone, hash, t->ip ? t->ip : "", now, expires);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    if (send) {
        char key[48], zh[200], en[240];
        snprintf(key, sizeof key, "phone-code:%lld", (long long)id);
        bool reset = !strcmp(t->purpose, "reset");
        snprintf(zh, sizeof zh, "验证码 %s，%d 分钟内有效，用于%s。请勿告诉他人；如非本人操作请忽略。",
                 code, CODE_TTL / 60, reset ? "重置登录密码" : "验证手机号码");
        snprintf(en, sizeof en,
                 "Your code is %s, valid for %d minutes, to %s. Tell it to nobody; if you did not "
                 "ask for it, ignore this message.",
                 code, CODE_TTL / 60, reset ? "reset your password" : "verify your phone number");
        rc = yw_provider_send_sms(c, t->account_id, t->phone, key, zh, en);
        yw_wipe(code, sizeof code);
        yw_wipe(zh, sizeof zh);
        yw_wipe(en, sizeof en);
        if (rc)
            return rc;
    }
    char actor[24], summary[96];
    audit_actor(t->account_id, actor);
    snprintf(summary, sizeof summary, "{\"purpose\":\"%s\",\"sent\":%s}", t->purpose,
             send ? "true" : "false");
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = send ? actor : "anonymous",
                                                     .role = send ? "applicant" : "",
                                                     .action = "account.phone_code",
                                                     .obj_type = send ? "account" : "login",
                                                     .obj_id = send ? actor : t->login,
                                                     .summary = summary });
}

static int
request_code(struct yw_app *app, struct code_tx *t, struct yw_err *err)
{
    /* no gateway: say so to everyone alike, before anything is recorded */
    if (yw_provider_send_sms(NULL, 0, NULL, NULL, NULL, NULL) == YW_EUNAVAIL)
        return yw_fail(err, YW_ESTATE, "phone",
                       "no SMS can be sent now (no SMS gateway is configured): verify your phone "
                       "or reset your password at a service window");
    int rc = yw_db_tx(app->db, YW_TX_WRITE, request_tx, t, err);
    if (rc)
        return rc;
    if (t->outcome == RATE)
        return yw_fail(err, YW_ERATE, "login",
                       "too many codes asked for: the next one can be sent in %lld seconds",
                       (long long)t->retry_after);
    return 0;
}

/* ---- checking a code ---- */

static int
check_tx(struct yw_dbc *c, void *ctx)
{
    struct code_tx *t = ctx;
    t->outcome = BAD_CODE;
    t->tries_left = 0;
    int rc = lock_login(c, t->login);
    if (rc)
        return rc;
    int64_t now_ms = yw_clock_now_ms();
    char now[32];
    now_text(now_ms, now);
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s,
                           "SELECT id, account_id, phone, code_hash, expires_at, attempts, used_at "
                           "FROM phone_codes WHERE login = ? AND purpose = ? "
                           "ORDER BY created_at DESC, id DESC LIMIT 1",
                           "ss", t->login, t->purpose);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    int64_t id = yw_db_col_int(s, 0), account = yw_db_col_int(s, 1);
    int attempts = (int)yw_db_col_int(s, 5);
    char stored[65], expires[32], phone[24];
    snprintf(stored, sizeof stored, "%s", yw_db_col_text(s, 3));
    snprintf(expires, sizeof expires, "%s", yw_db_col_text(s, 4));
    snprintf(phone, sizeof phone, "%s", yw_db_col_text(s, 2));
    bool used = yw_db_col_text(s, 6)[0] != '\0';
    yw_db_reset(s);
    if (!stored[0] || used || attempts >= CODE_TRIES || strcmp(now, expires) >= 0 ||
        (t->account_id && account != t->account_id))
        return 0; /* nothing to count: this code is over */
    char typed[65];
    code_hash(t->login, t->purpose, t->code, typed);
    if (!typed[0])
        return YW_ECRYPTO;
    char actor[24];
    audit_actor(account, actor);
    if (!yw_ct_equal(typed, stored, 64)) {
        rc = yw_db_run(c, "UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ?", "i", id);
        if (rc == 0)
            rc = yw_audit_add(c, &(struct yw_audit_entry){
                                     .actor = actor,
                                     .role = "applicant",
                                     .action = "account.phone_code_wrong",
                                     .obj_type = "account",
                                     .obj_id = actor,
                                     .summary = !strcmp(t->purpose, "reset")
                                                    ? "{\"purpose\":\"reset\"}"
                                                    : "{\"purpose\":\"verify\"}" });
        t->tries_left = CODE_TRIES - attempts - 1;
        return rc;
    }
    t->outcome = OK;
    t->row_id = id;
    t->account_id = account;
    snprintf(t->phone, sizeof t->phone, "%s", phone);
    if (!strcmp(t->purpose, "verify")) {
        /* the number proved is the number the account still has */
        rc = yw_db_run(c, "UPDATE phone_codes SET used_at = ? WHERE id = ?", "si", now, id);
        if (rc == 0)
            rc = yw_db_run(c,
                           "UPDATE accounts SET phone_verified = phone, updated_at = ? WHERE id = ? "
                           "AND phone = ?",
                           "sis", now, account, phone);
        if (rc == 0)
            rc = yw_ident__cache_changed(c, account);
        if (rc == 0)
            rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                           .role = "applicant",
                                                           .action = "account.phone_verify",
                                                           .obj_type = "account",
                                                           .obj_id = actor,
                                                           .summary = "{}" });
    }
    return rc;
}

static int
check_code(struct yw_app *app, struct code_tx *t, struct yw_err *err)
{
    size_t n = strlen(t->code);
    bool digits = n == 6;
    for (size_t i = 0; digits && i < n; i++)
        digits = t->code[i] >= '0' && t->code[i] <= '9';
    if (!digits)
        return yw_fail(err, YW_EFIELD, "code", "the code is the 6 digits of the SMS");
    int rc = yw_db_tx(app->db, YW_TX_WRITE, check_tx, t, err);
    if (rc)
        return rc;
    if (t->outcome != OK) {
        if (t->tries_left > 0)
            return yw_fail(err, YW_EFIELD, "code", "the code is wrong (%d tries left)",
                           t->tries_left);
        return yw_fail(err, YW_EFIELD, "code",
                       "the code is wrong, has expired or was used: ask for a new one");
    }
    return 0;
}

/* ---- the reset itself ---- */

static int
reset_tx(struct yw_dbc *c, void *ctx)
{
    struct code_tx *t = ctx;
    t->outcome = BAD_CODE;
    int rc = lock_login(c, t->login);
    if (rc)
        return rc;
    char now[32];
    now_text(yw_clock_now_ms(), now);
    /* the code checked a moment ago is still unused and alive: of two resets
     * with the same code, exactly one gets here */
    int64_t n = 0;
    rc = yw_db_one_int(c, &n,
                           "SELECT COUNT(*) FROM phone_codes WHERE id = ? AND used_at = '' AND "
                           "expires_at > ?",
                           "is", t->row_id, now);
    if (rc || n == 0)
        return rc;
    char actor[24];
    audit_actor(t->account_id, actor);
    if ((rc = yw_db_run(c, "UPDATE phone_codes SET used_at = ? WHERE login = ? AND used_at = ''",
                        "ss", now, t->login)) ||
        (rc = yw_db_run(c, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                        "ssi", t->hash, now, t->account_id)) ||
        (rc = yw_db_run(c, "DELETE FROM sessions WHERE account_id = ?", "i", t->account_id)) ||
        (rc = yw_db_run(c, "DELETE FROM login_failures WHERE login = ?", "s", t->login)) ||
        (rc = yw_ident__cache_changed(c, t->account_id)))
        return rc;
    t->outcome = OK;
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "applicant",
                                                     .action = "account.password_reset",
                                                     .obj_type = "account",
                                                     .obj_id = actor,
                                                     .summary = "{\"method\":\"sms\"}" });
}

/* ---- handlers ---- */

static bool
login_norm(const char *login, char out[260], struct yw_err *err)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || !yw_utf8_valid(login, n) || yw_utf8_len(login, n) > 64) {
        yw_fail(err, YW_EFIELD, "login", "the login is your ID number or credit code");
        return false;
    }
    if (!yw_cnid_ident_normalize(login, out))
        snprintf(out, 260, "%s", login);
    return true;
}

static int
retry_after(struct yw_req *req, const struct code_tx *t, int rc)
{
    if (rc == YW_ERATE && t->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)t->retry_after);
        yw_resp_header(req, "Retry-After", ra);
    }
    return rc;
}

int
yw_ident__h_phone_code(struct yw_req *req)
{
    struct yw_ident_account acc;
    int rc = yw_ident_account_get(req->db, &req->arena, req->who->account_id, &acc);
    if (rc)
        return yw_fail(&req->err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot read your account");
    if (!yw_cnid_mobile_ok(acc.phone))
        return yw_fail(&req->err, YW_ESTATE, "phone",
                       "only a mobile number can be verified by SMS; yours is '%s'", acc.phone);
    if (acc.phone_verified)
        return yw_fail(&req->err, YW_ESTATE, "phone", "your phone number is already verified");
    char addr[64];
    yw_ident__lockout_address(req->client_ip ? req->client_ip : "", addr);
    struct code_tx t = { .purpose = "verify", .login = acc.login, .ip = addr,
                         .account_id = req->who->account_id };
    rc = retry_after(req, &t, request_code(req->app, &t, &req->err));
    if (rc)
        return rc;
    char masked[YW_CNID_PHONE_MASK];
    yw_cnid_mask_phone(t.phone, masked);
    return yw_resp_json(req, 202,
                        json_pack("{s:b, s:s, s:i, s:i}", "sent", 1, "phone", masked,
                                  "expires_in", CODE_TTL, "resend_after", CODE_RESEND));
}

int
yw_ident__h_phone_verify(struct yw_req *req)
{
    struct yw_ident_account acc;
    int rc = yw_ident_account_get(req->db, &req->arena, req->who->account_id, &acc);
    if (rc)
        return yw_fail(&req->err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot read your account");
    struct code_tx t = { .purpose = "verify", .login = acc.login,
                         .account_id = req->who->account_id, .code = yw_body_str(req, "code") };
    if ((rc = check_code(req->app, &t, &req->err)))
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:b}", "phone_verified", 1));
}

int
yw_ident__h_reset_code(struct yw_req *req)
{
    char login[260];
    if (!login_norm(yw_body_str(req, "login"), login, &req->err))
        return YW_EFIELD;
    char addr[64]; /* an IPv6 address counts as its /64, as in the login lockout */
    yw_ident__lockout_address(req->client_ip ? req->client_ip : "", addr);
    struct code_tx t = { .purpose = "reset", .login = login, .ip = addr };
    int rc = retry_after(req, &t, request_code(req->app, &t, &req->err));
    if (rc)
        return rc;
    /* the same answer whether or not the login has a verified number */
    return yw_resp_json(req, 202,
                        json_pack("{s:b, s:i, s:i}", "accepted", 1, "expires_in", CODE_TTL,
                                  "resend_after", CODE_RESEND));
}

int
yw_ident__h_reset(struct yw_req *req)
{
    char login[260];
    if (!login_norm(yw_body_str(req, "login"), login, &req->err))
        return YW_EFIELD;
    const char *pw = yw_body_str(req, "new_password");
    int rc = yw_ident_password_check(pw, "new_password", &req->err);
    if (rc)
        return rc;
    struct code_tx t = { .purpose = "reset", .login = login, .code = yw_body_str(req, "code") };
    if ((rc = check_code(req->app, &t, &req->err)))
        return rc;
    char hash[128];
    if ((rc = yw_ident_password_hash(req->app, pw, hash)))
        return yw_fail(&req->err, rc, "", "cannot hash the password");
    t.hash = hash;
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, reset_tx, &t, &req->err);
    yw_wipe(hash, sizeof hash);
    if (rc)
        return rc;
    if (t.outcome != OK)
        return yw_fail(&req->err, YW_EFIELD, "code",
                       "the code is wrong, has expired or was used: ask for a new one");
    return yw_resp_json(req, 200, json_pack("{s:b, s:b}", "password_reset", 1, "sessions_ended", 1));
}
