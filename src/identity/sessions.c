/*
 * sessions.c - log in, log out, and recognise the caller of every request.
 *
 * Login: the account is read; the lockout (lockout.c) counts the recent
 * failures and reserves the attempt in one short write transaction, or refuses
 * it with 429 and Retry-After (account_locked; rate_limited when the address
 * is over its ceiling) - the same answer whether or not the account exists;
 * the Argon2id check runs with no transaction open; then one short write
 * transaction settles the attempt (a session, or a failure) with its audit
 * record.
 *
 * Sessions end after session_idle seconds without use or session_max seconds
 * after login, whichever comes first; last_seen is written at most once a
 * minute so reading pages does not turn into database writes.  Between those
 * writes a session is usually recognised from memory (cache.c).
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/clock.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static struct yw_app *dummy_app;

/* A hash to verify against when the login does not exist, so that the answer
 * takes as long as for a real account.  Computed on first need, not at start,
 * so start-up stays fast. */
static void
make_dummy(void)
{
    if (yw_ident_password_hash(dummy_app, "not-a-real-password-9", dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

int
yw_ident__init_sessions(struct yw_app *app, struct yw_err *err)
{
    (void)err;
    dummy_app = app;
    return 0;
}

static void
ms_text(int64_t ms, char out[32])
{
    yw_clock_format(ms, out);
}

struct login_tx {
    const char *login, *ip, *ua;
    const char *addr;   /* ip as the lockout counts it */
    int64_t account_id; /* 0 when the login does not exist */
    bool ok;
    int64_t now_ms;
    const struct yw_ident_settings *cfg;
    const struct yw_ident_attempt *attempt;
    struct yw_ident_login_result *out;
};

/* Settle the attempt: a session, or a failure, with its audit record. */
static int
record_login(struct yw_dbc *c, void *ctx)
{
    struct login_tx *t = ctx;
    char now[32], id[24];
    ms_text(t->now_ms, now);
    snprintf(id, sizeof id, "%lld", (long long)t->account_id);
    int rc = yw_ident__lockout_settle(c, t->cfg, t->login, t->addr, t->attempt, t->ok, t->now_ms);
    if (rc)
        return rc;
    if (!t->ok) {
        struct yw_buf b;
        yw_buf_init(&b);
        yw_buf_adds(&b, "{\"ip\":");
        yw_buf_add_json_str(&b, t->ip, strlen(t->ip));
        yw_buf_adds(&b, "}");
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = t->account_id ? id : "anonymous",
                                                       .role = "",
                                                       .action = "auth.login_failed",
                                                       .obj_type = "account",
                                                       .obj_id = t->account_id ? id : "",
                                                       .summary = b.p });
        yw_buf_release(&b);
        return rc;
    }
    /* token: 256 random bits, URL-safe base64 */
    yw_random_token(32, t->out->token, sizeof t->out->token);
    yw_random_token(24, t->out->csrf, sizeof t->out->csrf);
    char hash[65], expires[32];
    yw_sm3_hex(t->out->token, strlen(t->out->token), hash);
    ms_text(t->now_ms + t->cfg->session_max * 1000, expires);
    char ua[201]; /* the user agent's first 200 bytes */
    snprintf(ua, sizeof ua, "%s", t->ua);
    rc = yw_db_run(c,
                   "INSERT INTO sessions (token_hash, account_id, csrf, created_at, last_seen, "
                   "expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "sissssss", hash, t->account_id, t->out->csrf, now, now, expires, t->ip, ua);
    if (rc)
        return rc;
    t->out->account_id = t->account_id;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"ip\":");
    yw_buf_add_json_str(&b, t->ip, strlen(t->ip));
    yw_buf_adds(&b, "}");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                   .role = "",
                                                   .action = "auth.login",
                                                   .obj_type = "account",
                                                   .obj_id = id,
                                                   .summary = b.p });
    yw_buf_release(&b);
    return rc;
}

/* The 429 for an attempt the lockout refused (out->retry_after says when). */
static int
refused(const struct yw_ident_attempt *a, struct yw_ident_login_result *out, struct yw_err *err)
{
    out->retry_after = a->retry_after;
    long long s = (long long)a->retry_after;
    if (a->code == YW_ERATE)
        return yw_fail(err, YW_ERATE, "",
                       "too many failed logins from your address; try again in %lld seconds", s);
    if (a->pair >= a->free && a->pair > 0)
        return yw_fail(
            err, YW_ELOCKED, "login",
            "too many failed logins for this account from your address; try again in %lld seconds",
            s);
    return yw_fail(err, YW_ELOCKED, "login",
                   "too many failed logins for this account; try again in %lld seconds", s);
}

int
yw_ident__login(struct yw_app *app, const char *login, const char *password, const char *ip,
                const char *user_agent, struct yw_ident_login_result *out, struct yw_err *err)
{
    memset(out, 0, sizeof *out);
    size_t ln = strlen(login), pn = strlen(password);
    if (ln == 0 || yw_utf8_len(login, ln) > 64)
        return yw_fail(err, YW_EFIELD, "login", "the login must be 1 to 64 characters");
    if (pn == 0 || pn > 1024)
        return yw_fail(err, YW_EFIELD, "password", "the password must be 1 to 1024 bytes");
    /* ID numbers and credit codes are compared in their stored form however
     * they were typed (full-width, blanks, lower-case x: yw_cnid_normalize);
     * staff usernames as given. */
    char norm[260];
    if (!yw_cnid_ident_normalize(login, norm))
        snprintf(norm, sizeof norm, "%s", login);

    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EUNAVAIL;
    const struct yw_ident_settings *cfg = yw_ident_cfg(app);
    int64_t now_ms = yw_clock_now_ms();

    int64_t id = 0;
    char hash[128] = "";
    bool active = false;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT id, password_hash, status FROM accounts WHERE login = ?",
                           "s", norm);
    if (rc == 0) {
        id = yw_db_col_int(s, 0);
        snprintf(hash, sizeof hash, "%s", yw_db_col_text(s, 1));
        active = strcmp(yw_db_col_text(s, 2), "active") == 0;
        yw_db_reset(s);
    } else if (rc != YW_ENOTFOUND) { /* not "the login or password is wrong" */
        return yw_fail(err, rc, "", "cannot read the account");
    }

    /* Counted and reserved before the hash, so parallel attempts each see
     * the ones before them (lockout.c); the same whether or not the login
     * exists. */
    struct yw_ident_attempt a;
    char addr[64];
    yw_ident__lockout_address(ip, addr);
    if ((rc = yw_ident__lockout_reserve(app, norm, addr, now_ms, &a, err)))
        return rc;
    if (a.retry_after > 0)
        return refused(&a, out, err);

    if (id == 0)
        pthread_once(&dummy_once, make_dummy);
    bool ok = yw_password_verify(id ? hash : dummy_hash, password, pn) && id != 0 && active;
    struct login_tx t = { .login = norm,
                          .ip = ip,
                          .addr = addr,
                          .ua = user_agent ? user_agent : "",
                          .account_id = id,
                          .ok = ok,
                          .now_ms = now_ms,
                          .cfg = cfg,
                          .attempt = &a,
                          .out = out };
    rc = yw_db_tx(app->db, YW_TX_WRITE, record_login, &t, err);
    if (rc)
        return rc;
    if (!ok) {
        int64_t failures = a.pair + 1;
        if (failures < a.free)
            return yw_fail(err, YW_ECREDS, "password",
                           "the login or password is wrong (%lld tries left)",
                           (long long)(a.free - failures));
        int64_t wait = yw_ident__lockout_delay_ms(cfg, failures - a.free) / 1000;
        if (wait <= 0)
            return yw_fail(err, YW_ECREDS, "password", "the login or password is wrong");
        return yw_fail(
            err, YW_ECREDS, "password",
            "the login or password is wrong; the next try from your address must wait %lld seconds",
            (long long)wait);
    }
    return 0;
}

struct logout_tx {
    const struct yw_principal *who;
};

static int
do_logout(struct yw_dbc *c, void *ctx)
{
    struct logout_tx *t = ctx;
    if (t->who->roles & YW_ROLE_DEPT_SYSTEM) /* a department system: its access token ends */
        return yw_ident__token_revoke_self(c, t->who);
    /* the systems this session logged in to lose their tokens too (oidc_code.c) */
    int rc = yw_ident__grants_revoke_session(c, t->who->session);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM sessions WHERE token_hash = ?", "s", t->who->session);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, t->who->account_id);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)t->who->account_id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                     .role = "",
                                                     .action = "auth.logout",
                                                     .obj_type = "account",
                                                     .obj_id = id,
                                                     .summary = "{}" });
}

int
yw_ident__logout(struct yw_dbc *c, const struct yw_principal *who)
{
    struct logout_tx t = { .who = who };
    return do_logout(c, &t);
}

/* The token from "Authorization: Bearer X" or the session cookie. */
static const char *
find_token(struct yw_req *req, bool *via_cookie)
{
    const char *auth = yw_req_header(req, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        *via_cookie = false;
        return auth + 7;
    }
    const char *cookie = yw_req_cookie(req, "ywtb_session");
    if (cookie) {
        *via_cookie = true;
        return cookie;
    }
    return NULL;
}

int
yw_ident__authenticate(struct yw_req *req, struct yw_principal *who)
{
    bool via_cookie = false;
    const char *token = find_token(req, &via_cookie);
    if (token == NULL || *token == '\0')
        return YW_EAUTH;
    size_t tn = strlen(token);
    /* a department system's access token (oidc_token.c) */
    if (!via_cookie && !strncmp(token, YW_IDENT_AT_PREFIX, strlen(YW_IDENT_AT_PREFIX)) && tn <= 100)
        return yw_ident__token_authenticate(req, token, who);
    if (tn > 100)
        return yw_fail(&req->err, YW_EAUTH, "", "the session token is not valid");
    char hash[65];
    yw_sm3_hex(token, tn, hash);
    int64_t now = yw_clock_now_ms(), last_ms = 0, exp_ms = 0;
    int64_t idle_ms = yw_ident_cfg(req->app)->session_idle * 1000;
    who->session = yw_arena_strdup(&req->arena, hash);
    who->via_cookie = via_cookie;
    /* From memory while last_seen need not be written (see cache.c); a request
     * that may change something always reads the database, so a session ended on
     * any node can change nothing anywhere from the moment its logout is answered. */
    bool reads_only = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
    if (reads_only && yw_ident__cache_get(hash, &req->arena, who, &last_ms, &exp_ms) &&
        now - last_ms < 60 * 1000) {
        if (now >= exp_ms || now - last_ms >= idle_ms)
            return yw_fail(&req->err, YW_EAUTH, "", "your session has ended; log in again");
        return 0;
    }
    if (req->db == NULL)
        return YW_EUNAVAIL;
    uint64_t gen = yw_ident__cache_gen();
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        req->db, &s,
        "SELECT s.account_id, s.csrf, s.last_seen, s.expires_at, a.login, a.name, a.kind, "
        "a.dept_code, a.roles, a.status FROM sessions s JOIN accounts a ON a.id = s.account_id "
        "WHERE s.token_hash = ?",
        "s", hash);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EAUTH, "", "your session has ended; log in again");
    if (rc)
        return rc;
    struct yw_arena *a = &req->arena;
    yw_clock_parse(yw_db_col_text(s, 2), &last_ms);
    yw_clock_parse(yw_db_col_text(s, 3), &exp_ms);
    who->account_id = yw_db_col_int(s, 0);
    who->csrf = yw_arena_strdup(a, yw_db_col_text(s, 1));
    who->login = yw_arena_strdup(a, yw_db_col_text(s, 4));
    who->name = yw_arena_strdup(a, yw_db_col_text(s, 5));
    who->kind = yw_arena_strdup(a, yw_db_col_text(s, 6));
    who->dept = yw_arena_strdup(a, yw_db_col_text(s, 7));
    const char *roles = yw_db_col_text(s, 8);
    bool active = strcmp(yw_db_col_text(s, 9), "active") == 0;
    uint32_t bits = 0;
    char bad[64];
    yw_roles_parse_list(roles, &bits, bad);
    yw_db_reset(s);
    if (!strcmp(who->kind, "person"))
        bits |= YW_ROLE_PERSON;
    else if (!strcmp(who->kind, "enterprise"))
        bits |= YW_ROLE_ENTERPRISE;
    who->roles = bits;

    if (!active || now >= exp_ms || now - last_ms >= idle_ms)
        return yw_fail(&req->err, YW_EAUTH, "", "your session has ended; log in again");
    if (now - last_ms >= 60 * 1000) {
        /* Sliding idle expiry, written at most once a minute (not an audited change). */
        char nowt[32];
        yw_clock_format(now, nowt);
        if (yw_db_run(req->db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "ss", nowt,
                      hash) == 0)
            last_ms = now;
    }
    yw_ident__cache_put(hash, gen, who, last_ms, exp_ms);
    return 0;
}

/* A session opened for another module on its transaction (identity.h). */
int
yw_ident_session_open(struct yw_dbc *c, int64_t account_id, int ttl_s, const char *ip,
                      const char *where, char token[64], char csrf[64])
{
    if (account_id <= 0 || ttl_s <= 0)
        return YW_EINVAL;
    int64_t now_ms = yw_clock_now_ms();
    char now[32], expires[32], id[24];
    ms_text(now_ms, now);
    ms_text(now_ms + (int64_t)ttl_s * 1000, expires);
    snprintf(id, sizeof id, "%lld", (long long)account_id);
    yw_random_token(32, token, 64);
    yw_random_token(24, csrf, 64);
    char hash[65];
    yw_sm3_hex(token, strlen(token), hash);
    int rc = yw_db_run(c,
                       "INSERT INTO sessions (token_hash, account_id, csrf, created_at, last_seen, "
                       "expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       "sissssss", hash, account_id, csrf, now, now, expires, ip ? ip : "",
                       where ? where : "");
    if (rc)
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"where\":");
    yw_buf_add_json_str(&b, where ? where : "", where ? strlen(where) : 0);
    yw_buf_adds(&b, "}");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                   .role = "",
                                                   .action = "auth.login",
                                                   .obj_type = "account",
                                                   .obj_id = id,
                                                   .summary = b.p });
    yw_buf_release(&b);
    return rc;
}
