/*
 * oidc_token.c - the token endpoint (RFC 6749 3.2) and the access tokens it
 * hands out, which ywtb's own authenticator accepts.
 *
 *   POST /oauth2/token    grant_type=client_credentials | authorization_code | refresh_token
 *   POST /oauth2/revoke   RFC 7009 (the grants themselves: oidc_code.c)
 *
 * Clients authenticate with client_secret_basic or client_secret_post (a
 * public client sends only its client_id and proves the code with PKCE), or -
 * a client registered with its public keys (jwks) - with private_key_jwt
 * (RFC 7523 2.2, OpenID Connect Core 9): an ES256 JWT signed with one of its
 * keys whose iss and sub are the client_id, whose aud is the issuer or this
 * endpoint's URL, which expires within ten minutes and whose jti is used
 * once (oidc_jtis keeps the jti until the assertion expires).  Such a client
 * no longer authenticates with its secret.
 * Guessing a secret is slowed like guessing a password: each attempt with a
 * secret goes through the login lockout's policy for the pair (client_id,
 * caller's address), counted in this node's memory (client_lockout.c) - a
 * refused attempt is answered 429 with Retry-After without its secret being
 * looked at.  The client itself comes from memory too (client_cache.c), so
 * a token request reads nothing it does not have to: what it writes is the
 * token and its audit record.  The route joins the group commit, so many
 * token requests share one durable commit.
 *
 * Tokens are 256 random bits with a prefix that says what they are
 * ("ywat." access, "ywrt." refresh) and 12 hex digits of their issue time
 * (ms); only their SM3 hash is stored (oidc_tokens), behind those digits -
 * yw_ident__token_key: a batch's new rows go to the end of the index - so a
 * copy of the database holds no usable token.  An access
 * token of a client_credentials grant is a department system's credential
 * for every ywtb API: the authenticator (yw_ident__token_authenticate) turns
 * it into a principal of kind "system" with the role dept_system, the
 * client's department, login = client_id and account_id 0.  A disabled client
 * loses its tokens at once.
 *
 * Every error is RFC 6749 5.2's JSON ({"error", "error_description"}) and
 * changes nothing but the lockout's count of a wrong secret (and its audit
 * record, client.auth_failed).
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one token request came to, decided inside its transaction. */
struct token_tx {
    struct yw_req *req;
    json_t *form;
    const struct yw_ident_creds *cr;
    struct yw_ident_attempt *attempt; /* the lockout's reservation, when a secret came */
    const char *addr;
    int64_t now_ms;
    bool revoke;                   /* the revocation endpoint, not the token endpoint */
    struct yw_ident_grant_out o;   /* the outcome */
    struct yw_ident_client_rec cl; /* the authenticated client */
    bool authed;                   /* cl authenticated on the HTTP worker (a secret, or public) */
    /* client_credentials, made on the worker: the token's key and scope */
    struct yw_ident_token_new at;
    const char *scope;
    struct yw_ident_code_prep *code; /* authorization_code, prepared on the worker */
};

static int
fail_tx(struct token_tx *t, int status, const char *error, const char *desc)
{
    t->o.status = status;
    t->o.error = error;
    snprintf(t->o.desc, sizeof t->o.desc, "%s", desc);
    return 0;
}

void
yw_ident__token_key(const char *token, char key[YW_IDENT_TOKEN_KEY])
{
    size_t n = strlen(token);
    const char *t = token + (n > 5 ? 5 : n); /* after "ywat." / "ywrt." */
    bool timed = n == 5 + 12 + 43 && (!strncmp(token, YW_IDENT_AT_PREFIX, 5) ||
                                      !strncmp(token, YW_IDENT_RT_PREFIX, 5));
    for (int i = 0; timed && i < 12; i++)
        timed = (t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f');
    size_t off = 0;
    if (timed) {
        memcpy(key, t, 12);
        key[12] = '.';
        off = 13;
    }
    yw_sm3_hex(token, n, key + off);
}

void
yw_ident__token_make(const char *kind, int64_t now_ms, struct yw_ident_token_new *t)
{
    char raw[48];
    yw_random_token(32, raw, sizeof raw);
    snprintf(t->token, sizeof t->token, "%s%012llx%s",
             !strcmp(kind, "access") ? YW_IDENT_AT_PREFIX : YW_IDENT_RT_PREFIX,
             (unsigned long long)now_ms & 0xffffffffffffULL, raw);
    yw_wipe(raw, sizeof raw);
    yw_ident__token_key(t->token, t->key);
}

int
yw_ident__token_store(struct yw_dbc *c, const char *key, const char *kind, const char *client_id,
                      int64_t account_id, int64_t grant_id, const char *scopes, int64_t now_ms,
                      int64_t ttl_s)
{
    char now[32], exp[32];
    yw_clock_format(now_ms, now);
    yw_clock_format(now_ms + ttl_s * 1000, exp);
    int rc =
        yw_db_run(c,
                  "INSERT INTO oidc_tokens (token_hash, kind, client_id, account_id, grant_id, "
                  "scopes, created_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                  "'active')",
                  "sssiisss", key, kind, client_id, account_id, grant_id, scopes, now, exp);
    /* Now and then, clear away what can no longer be used: tokens past their
     * expiry and codes a day past theirs (kept that long so a code replayed
     * late still revokes what it gave).  A few hundred rows at a time, so no
     * request pays for a backlog. */
    unsigned char r;
    yw_random(&r, 1);
    if (rc == 0 && r < 2) {
        char old[32];
        yw_clock_format(now_ms - 86400 * 1000LL, old);
        rc = yw_db_run(c,
                       "DELETE FROM oidc_tokens WHERE token_hash IN (SELECT token_hash FROM "
                       "oidc_tokens WHERE expires_at < ? LIMIT 500)",
                       "s", now);
        if (rc == 0)
            rc = yw_db_run(c,
                           "DELETE FROM oidc_jtis WHERE (client_id, jti) IN (SELECT client_id, "
                           "jti FROM oidc_jtis WHERE expires_at < ? LIMIT 500)",
                           "s", now);
        if (rc == 0)
            rc = yw_db_run(c,
                           "DELETE FROM oidc_codes WHERE code_hash IN (SELECT code_hash FROM "
                           "oidc_codes WHERE expires_at < ? LIMIT 500)",
                           "s", old);
    }
    return rc;
}

int
yw_ident__token_insert(struct yw_dbc *c, const char *kind, const char *client_id,
                       int64_t account_id, int64_t grant_id, const char *scopes, int64_t now_ms,
                       int64_t ttl_s, char token[80])
{
    struct yw_ident_token_new t;
    yw_ident__token_make(kind, now_ms, &t);
    int rc = yw_ident__token_store(c, t.key, kind, client_id, account_id, grant_id, scopes, now_ms,
                                   ttl_s);
    memcpy(token, t.token, 80);
    yw_wipe(&t, sizeof t);
    return rc;
}

/* The scope a client_credentials request may have: the asked scopes, each
 * one the client is allowed, or all it is allowed when none are asked.
 * OpenID scopes describe a person and mean nothing here.  NULL: not allowed
 * (*bad names the first). */
static char *
cc_scope(struct yw_arena *a, const char *allowed, const char *asked, const char **bad)
{
    struct yw_buf b;
    yw_buf_init(&b);
    const char *src = asked ? asked : allowed;
    char *copy = yw_arena_strdup(a, src);
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        bool personal = !strcmp(w, "openid") || !strcmp(w, "profile") || !strcmp(w, "id_number") ||
                        !strcmp(w, "phone") || !strcmp(w, "company") ||
                        !strcmp(w, "offline_access");
        if (asked && (personal || !yw_ident__word_in(allowed, w))) {
            *bad = yw_arena_strdup(a, w);
            yw_buf_release(&b);
            return NULL;
        }
        if (personal || yw_ident__word_in(b.p, w))
            continue;
        if (b.n)
            yw_buf_addc(&b, ' ');
        yw_buf_adds(&b, w);
    }
    char *out = yw_arena_strdup(a, b.p ? b.p : "");
    yw_buf_release(&b);
    return out;
}

/* client_credentials on the HTTP worker: the scope checked, the token made
 * and the answer set; 0 with t->o.error when refused (nothing to write). */
static int
cc_prepare(struct token_tx *t)
{
    struct yw_ident_client_rec *cl = &t->cl;
    if (!yw_ident__word_in(cl->grant_types, "client_credentials"))
        return fail_tx(t, 400, "unauthorized_client",
                       "this client is not registered for the client_credentials grant");
    const char *bad = NULL;
    char *scope = cc_scope(&t->req->arena, cl->scopes, yw_ident__form_str(t->form, "scope"), &bad);
    if (scope == NULL) {
        char d[160];
        snprintf(d, sizeof d, "the scope '%.60s' is not allowed to this client", bad);
        return fail_tx(t, 400, "invalid_scope", d);
    }
    t->scope = scope;
    yw_ident__token_make("access", t->now_ms, &t->at);
    yw_resp_header(t->req, "Cache-Control", "no-store");
    yw_resp_header(t->req, "Pragma", "no-cache");
    int rc = yw_resp_json(t->req, 200,
                          json_pack("{s:s, s:s, s:I, s:s}", "access_token", t->at.token,
                                    "token_type", "Bearer", "expires_in",
                                    (json_int_t)cl->access_ttl, "scope", scope));
    yw_wipe(t->at.token, sizeof t->at.token); /* only its key is kept */
    t->o.status = 200;
    return rc;
}

/* client_credentials in the group commit: what cc_prepare made, stored and audited. */
static int
cc_tx(struct yw_dbc *c, void *ctx)
{
    struct token_tx *t = ctx;
    struct yw_ident_client_rec *cl = &t->cl;
    int rc = yw_ident__token_store(c, t->at.key, "access", cl->client_id, 0, 0, t->scope,
                                   t->now_ms, cl->access_ttl);
    if (rc)
        return rc;
    json_t *sum = json_pack("{s:s, s:s}", "grant_type", "client_credentials", "scope", t->scope);
    char *s = json_dumps(sum, JSON_COMPACT);
    json_decref(sum);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = cl->client_id,
                                                   .role = "dept_system",
                                                   .action = "client.token",
                                                   .obj_type = "client",
                                                   .obj_id = cl->client_id,
                                                   .summary = s });
    free(s);
    return rc;
}

/* The clock skew allowed on a client assertion's times, and its longest life. */
#define ASSERTION_SKEW_S 30
#define ASSERTION_MAX_S  600

static bool
aud_names(json_t *aud, const char *a1, const char *a2)
{
    if (json_is_string(aud))
        return !strcmp(json_string_value(aud), a1) || !strcmp(json_string_value(aud), a2);
    size_t i;
    json_t *v;
    json_array_foreach(aud, i,
                       v) if (json_is_string(v) && (!strcmp(json_string_value(v), a1) ||
                                                    !strcmp(json_string_value(v), a2))) return true;
    return false;
}

/* private_key_jwt: the assertion checked against the client's keys and its
 * jti recorded.  1 when it holds, 0 with *why when not, or the store's error (<0 never: rc). */
static int
assertion_check(struct yw_dbc *c, struct token_tx *t, bool *ok, const char **why)
{
    *ok = false;
    const char *id = t->cl.client_id;
    json_t *p = NULL;
    if (yw_ident__jws_verify_client(t->cr->assertion, t->cl.jwks, &p)) {
        *why = "the client assertion's signature does not verify with the client's keys "
               "(ES256)";
        return 0;
    }
    const char *iss = json_string_value(json_object_get(p, "iss"));
    const char *sub = json_string_value(json_object_get(p, "sub"));
    const char *jti = json_string_value(json_object_get(p, "jti"));
    json_t *exp = json_object_get(p, "exp"), *nbf = json_object_get(p, "nbf");
    json_t *iat = json_object_get(p, "iat");
    const char *issuer = yw_ident__issuer(t->req);
    struct yw_arena *a = &t->req->arena;
    const char *endpoint =
        yw_arena_printf(a, "%s/oauth2/%s", issuer, t->revoke ? "revoke" : "token");
    int64_t now_s = t->now_ms / 1000;
    int rc = 0;
    if (!iss || !sub || strcmp(iss, id) || strcmp(sub, id))
        *why = "the client assertion's iss and sub must both be the client_id";
    else if (!aud_names(json_object_get(p, "aud"), issuer, endpoint))
        *why = "the client assertion's aud must be the issuer or the endpoint's URL";
    else if (!json_is_number(exp) || json_number_value(exp) + ASSERTION_SKEW_S <= now_s)
        *why = "the client assertion has expired (or has no exp)";
    else if (json_number_value(exp) > now_s + ASSERTION_MAX_S + ASSERTION_SKEW_S)
        *why = "the client assertion lives too long: exp at most 10 minutes ahead";
    else if ((nbf && (!json_is_number(nbf) || json_number_value(nbf) > now_s + ASSERTION_SKEW_S)) ||
             (iat && (!json_is_number(iat) || json_number_value(iat) > now_s + ASSERTION_SKEW_S)))
        *why = "the client assertion is not valid yet (nbf or iat in the future)";
    else if (!jti || !*jti || strlen(jti) > 200)
        *why = "the client assertion needs a jti (1 to 200 characters)";
    else {
        char until[32];
        yw_clock_format(((int64_t)json_number_value(exp) + ASSERTION_SKEW_S) * 1000, until);
        int64_t n = 0;
        rc =
            yw_db_run_changes(c, &n,
                              "INSERT INTO oidc_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) "
                              "ON CONFLICT (client_id, jti) DO NOTHING",
                              "sss", id, jti, until);
        if (rc == 0 && n == 0)
            *why = "this client assertion was used before (its jti is spent)";
        else if (rc == 0)
            *ok = true;
    }
    json_decref(p);
    return rc;
}

/* The client authenticated with its secret, or a public client by its id
 * alone: on the HTTP worker (the lockout's counts and the client are in
 * memory).  0 with t->o.error when it is refused; *audit: the refusal is
 * recorded (client.auth_failed, a write). */
static int
authenticate(struct yw_dbc *c, struct token_tx *t, bool *audit, bool *keys_out)
{
    const struct yw_ident_creds *cr = t->cr;
    const struct yw_ident_settings *cfg = yw_ident_cfg(t->req->app);
    *audit = false;
    if (cr->secret) {
        /* counted in this node's memory (client_lockout.c): reserved before
         * the secret is looked at, settled right after */
        struct yw_ident_attempt *a = t->attempt;
        yw_ident__client_lock_reserve(cfg, cr->client_id, t->addr, t->now_ms, a);
        if (a->retry_after > 0) {
            char d[160];
            snprintf(d, sizeof d,
                     "too many failed attempts for this client from your address; try again in "
                     "%lld seconds",
                     (long long)a->retry_after);
            return fail_tx(t, 429, "invalid_client", d);
        }
    }
    int rc = yw_ident__client_cached(c, t->req->app, &t->req->arena, cr->client_id, &t->cl);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    bool known = rc == 0 && !strcmp(t->cl.status, "active");
    bool keys = known && t->cl.jwks && t->cl.jwks[0];
    *keys_out = keys;
    const char *why = NULL;
    bool ok;
    if (cr->assertion) {
        ok = false; /* private_key_jwt: checked in the transaction (its jti is written) */
        if (!keys)
            why = "this client is not registered with keys for private_key_jwt";
    } else if (cr->secret) {
        ok = known && !keys && !strcmp(t->cl.kind, "confidential") &&
             yw_ident__secret_matches(&t->cl, cr->secret);
        if (keys)
            why = "this client authenticates with private_key_jwt, not with its secret";
    } else
        ok = known && !strcmp(t->cl.kind, "public");
    if (cr->secret)
        yw_ident__client_lock_settle(cfg, cr->client_id, t->addr, t->attempt, ok, t->now_ms);
    if (ok)
        return 0;
    *audit = cr->secret || cr->assertion;
    if (why && known)
        return fail_tx(t, 401, "invalid_client", why);
    return fail_tx(t, 401, "invalid_client",
                   known && !cr->secret && !cr->assertion
                       ? "this client must authenticate with its secret"
                       : "the client is unknown, disabled, or its secret is "
                         "wrong");
}

static int
audit_failed(struct yw_dbc *c, struct token_tx *t)
{
    char sum[160];
    snprintf(sum, sizeof sum, "{\"ip\":\"%.60s\"}", t->addr);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "anonymous",
                                                     .role = "",
                                                     .action = "client.auth_failed",
                                                     .obj_type = "client",
                                                     .obj_id = t->cr->client_id,
                                                     .summary = sum });
}

/* A refusal that is recorded: its audit record, in the group commit. */
static int
failed_tx(struct yw_dbc *c, void *ctx)
{
    return audit_failed(c, ctx);
}

/* The response of a request whose outcome the group commit decided (t->o):
 * run on the HTTP worker after the commit (req->after_commit). */
static int
answer_outcome(struct yw_req *req)
{
    struct token_tx *t = (struct token_tx *)(intptr_t)req->after_id;
    if (t->o.error)
        req->headers = NULL; /* an answer made before the commit is replaced whole */
    if (t->o.error && t->attempt->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)t->attempt->retry_after);
        yw_resp_header(req, "Retry-After", ra);
    }
    if (t->o.error)
        return yw_ident__oauth_error(req, t->o.status, t->o.error, "%s", t->o.desc);
    if (t->code) /* the answer was made on the worker before the commit */
        return 0;
    if (req->status && t->o.answer == NULL) /* client_credentials: likewise */
        return 0;
    yw_resp_header(req, "Cache-Control", "no-store");
    yw_resp_header(req, "Pragma", "no-cache");
    json_t *answer = t->o.answer;
    t->o.answer = NULL;
    return yw_resp_json(req, 200, answer ? answer : json_object());
}

/* In the group commit: the grants that are decided there (refresh_token,
 * revocation, and - the first time a signing key is made - the code), and
 * every request of a client with private_key_jwt, whose assertion's jti is
 * written when it is checked. */
static int
token_tx(struct yw_dbc *c, void *ctx)
{
    struct token_tx *t = ctx;
    json_decref(t->o.answer);
    t->o.answer = NULL;
    t->o.error = NULL;
    t->req->after_commit = answer_outcome; /* a grant may set its own (the ID token's) */
    t->req->after_id = (int64_t)(intptr_t)t;
    int rc;
    if (t->code) { /* the code, prepared on the worker: only its writes */
        rc = yw_ident__code_commit(c, t->code, &t->o);
        if (rc == 0 && t->o.error == NULL)
            t->o.status = 200;
        return rc;
    }
    if (!t->authed) { /* private_key_jwt */
        bool ok = false;
        const char *why = NULL;
        if ((rc = assertion_check(c, t, &ok, &why)))
            return rc;
        if (!ok) {
            if ((rc = audit_failed(c, t)))
                return rc;
            return fail_tx(t, 401, "invalid_client", why);
        }
    }
    const char *gt = yw_ident__form_str(t->form, "grant_type");
    if (t->revoke)
        return yw_ident__revoke(c, t->form, &t->cl, &t->o);
    if (!strcmp(gt, "client_credentials")) {
        if ((rc = cc_prepare(t)) || t->o.error)
            return rc;
        t->req->after_commit = NULL; /* cc_prepare answered */
        return cc_tx(c, t);
    }
    if (!strcmp(gt, "authorization_code"))
        return yw_ident__grant_code(t->req, c, t->form, &t->cl, t->now_ms, &t->o);
    if (!strcmp(gt, "refresh_token"))
        return yw_ident__grant_refresh(t->req, c, t->form, &t->cl, t->now_ms, &t->o);
    return fail_tx(t, 400, "unsupported_grant_type",
                   "grant_type must be authorization_code, refresh_token or client_credentials");
}

static void
token_tx_release(void *p)
{
    struct token_tx *t = p;
    json_decref(t->o.answer);
    json_decref(t->form);
    yw_wipe(&t->at, sizeof t->at);
}

/* The token endpoint and the revocation endpoint: the client authenticates
 * the same way at both.  The route is YW_R_BATCH | YW_R_PREP: this runs on
 * the HTTP worker, which parses, authenticates the client, checks the grant,
 * makes the tokens and signs the ID token; only the writes (the tokens,
 * the grant, the code's use, the audit records) go to the group commit's
 * one thread, and many token requests share one durable commit.  A request
 * refused without a write is answered here and writes nothing. */
static int
client_endpoint(struct yw_req *req, bool revoke)
{
    json_t *form = NULL;
    const char *why = NULL;
    int rc = yw_ident__form_parse(req, &form, &why);
    if (rc)
        return yw_ident__oauth_error(req, 400, "invalid_request", "%s", why);
    struct yw_arena *ar = &req->arena;
    struct token_tx *t = yw_arena_zalloc(ar, sizeof *t);
    t->form = form;
    yw_arena_on_release(ar, token_tx_release, t);
    struct yw_ident_creds *cr = yw_arena_zalloc(ar, sizeof *cr);
    const char *gt = yw_ident__form_str(form, "grant_type");
    if ((rc = yw_ident__client_creds(req, form, cr, &why)))
        return yw_ident__oauth_error(req, 400, "invalid_request", "%s", why);
    if (gt == NULL && !revoke)
        return yw_ident__oauth_error(req, 400, "invalid_request", "grant_type is required");
    if (cr->client_id == NULL || !yw_ident__client_id_ok(cr->client_id))
        return yw_ident__oauth_error(req, 401, "invalid_client",
                                     cr->client_id ? "the client is unknown"
                                                   : "the client must identify itself "
                                                     "(client_secret_basic, client_secret_post, "
                                                     "private_key_jwt, or client_id for a "
                                                     "public client)");
    t->req = req;
    t->cr = cr;
    t->now_ms = yw_clock_now_ms();
    t->revoke = revoke;
    t->attempt = yw_arena_zalloc(ar, sizeof *t->attempt);
    char *addr = yw_arena_alloc(ar, 64);
    yw_ident__lockout_address(req->client_ip, addr);
    t->addr = addr;
    req->after_commit = answer_outcome;
    req->after_id = (int64_t)(intptr_t)t;

    bool audit = false, keys = false;
    if ((rc = authenticate(req->db, t, &audit, &keys)))
        return rc;
    if (cr->assertion && keys) { /* checked in the transaction, which writes its jti */
        t->o.error = NULL;
        yw_req_batch(req, token_tx, t);
        return 0;
    }
    if (t->o.error && audit) { /* a refusal that is recorded */
        yw_req_batch(req, failed_tx, t);
        return 0;
    }
    if (t->o.error)
        return answer_outcome(req);
    t->authed = true;
    if (!revoke && !strcmp(gt, "client_credentials")) {
        if ((rc = cc_prepare(t)))
            return rc;
        if (t->o.error)
            return answer_outcome(req);
        req->after_commit = NULL;
        yw_req_batch(req, cc_tx, t);
        return 0;
    }
    if (!revoke && !strcmp(gt, "authorization_code")) {
        if ((rc = yw_ident__code_prepare(req, form, &t->cl, t->now_ms, &t->o, &t->code)))
            return rc;
        if (t->o.error)
            return answer_outcome(req);
        /* t->code NULL: no signing key yet - the whole grant in the transaction */
    } else if (!revoke && strcmp(gt, "refresh_token")) {
        fail_tx(t, 400, "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials");
        return answer_outcome(req);
    }
    yw_req_batch(req, token_tx, t);
    return 0;
}

int
yw_ident__h_token(struct yw_req *req)
{
    return client_endpoint(req, false);
}

int
yw_ident__h_revoke(struct yw_req *req)
{
    return client_endpoint(req, true);
}

/* ---- the authenticator's half: a department system's access token ---- */

int
yw_ident__token_authenticate(struct yw_req *req, const char *token, struct yw_principal *who)
{
    if (req->db == NULL)
        return YW_EUNAVAIL;
    char hash[YW_IDENT_TOKEN_KEY];
    yw_ident__token_key(token, hash);
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        req->db, &s,
        "SELECT t.kind, t.account_id, t.expires_at, t.status, c.client_id, "
        "c.name, c.dept_code, c.status, t.scopes FROM oidc_tokens t JOIN oidc_clients c "
        "ON c.client_id = t.client_id WHERE t.token_hash = ?",
        "s", hash);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EAUTH, "", "the access token is not valid");
    if (rc)
        return rc;
    int64_t exp_ms = 0;
    yw_clock_parse(yw_db_col_text(s, 2), &exp_ms);
    bool usable = !strcmp(yw_db_col_text(s, 0), "access") && yw_db_col_int(s, 1) == 0 &&
                  !strcmp(yw_db_col_text(s, 3), "active") &&
                  !strcmp(yw_db_col_text(s, 7), "active") && yw_clock_now_ms() < exp_ms;
    struct yw_arena *a = &req->arena;
    who->account_id = 0;
    who->login = yw_arena_strdup(a, yw_db_col_text(s, 4));
    who->name = yw_arena_strdup(a, yw_db_col_text(s, 5));
    who->dept = yw_arena_strdup(a, yw_db_col_text(s, 6));
    who->scopes = yw_arena_strdup(a, yw_db_col_text(s, 8));
    bool personal = yw_db_col_int(s, 1) != 0;
    yw_db_reset(s);
    if (!usable)
        return yw_fail(&req->err, YW_EAUTH, "",
                       personal ? "this access token is for the userinfo endpoint only"
                                : "the access token has expired or was revoked");
    who->kind = "system";
    who->roles = YW_ROLE_DEPT_SYSTEM;
    who->csrf = NULL;
    who->session = yw_arena_strdup(a, hash);
    who->via_cookie = false;
    return 0;
}

bool
yw_ident_system_has_scope(const struct yw_principal *who, const char *scope)
{
    return who && (who->roles & YW_ROLE_DEPT_SYSTEM) && who->scopes &&
           yw_ident__word_in(who->scopes, scope);
}

int
yw_ident__token_revoke_self(struct yw_dbc *c, const struct yw_principal *who)
{
    int rc = yw_db_run(c, "UPDATE oidc_tokens SET status = 'revoked' WHERE token_hash = ?", "s",
                       who->session);
    if (rc)
        return rc;
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = who->login,
                                                     .role = "dept_system",
                                                     .action = "client.token_revoke",
                                                     .obj_type = "client",
                                                     .obj_id = who->login,
                                                     .summary = "{}" });
}
