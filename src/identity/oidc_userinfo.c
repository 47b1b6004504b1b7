/*
 * oidc_userinfo.c - the userinfo endpoint (OpenID Connect Core 5.3): the
 * claims a person's access token was issued for (oidc_code.c makes them, by
 * scope), for the system that holds the token.
 *
 *   GET|POST /oauth2/userinfo    Authorization: Bearer, or access_token in the form (RFC 6750 2.2)
 *
 * The answer is kept in memory per access token (cache.c, beside the
 * sessions) until the token expires or the account, its grants or a client
 * change - a relying party that asks again and again reads nothing.  Errors
 * are RFC 6750's (WWW-Authenticate with error and error_description).
 */
#include "identity/internal.h"

#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int
bearer_error(struct yw_req *req, int status, const char *error, const char *desc)
{
    char h[200];
    snprintf(h, sizeof h, "Bearer error=\"%s\", error_description=\"%s\"", error, desc);
    yw_resp_header(req, "WWW-Authenticate",
                   status == 401 && !strcmp(error, "invalid_request") ? "Bearer" : h);
    return yw_ident__oauth_error(req, status, error, "%s", desc);
}

int
yw_ident__h_userinfo(struct yw_req *req)
{
    const char *auth = yw_req_header(req, "Authorization");
    const char *token = NULL;
    if (!strcmp(req->method, "POST")) { /* RFC 6750 2.2: or in the form body */
        json_t *form = NULL;
        const char *why = NULL;
        if (yw_ident__form_parse(req, &form, &why))
            return yw_ident__oauth_error(req, 400, "invalid_request", "%s", why);
        const char *t = yw_ident__form_str(form, "access_token");
        token = t ? yw_arena_strdup(&req->arena, t) : NULL;
        json_decref(form);
        if (token && auth)
            return yw_ident__oauth_error(req, 400, "invalid_request",
                                         "send the access token one way, not two");
    }
    if (token == NULL) {
        if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
            return bearer_error(req, 401, "invalid_request",
                                "send the access token as Authorization: Bearer");
        token = auth + 7;
        while (*token == ' ')
            token++;
    }
    if (strlen(token) > 100 || strncmp(token, YW_IDENT_AT_PREFIX, strlen(YW_IDENT_AT_PREFIX)))
        return bearer_error(req, 401, "invalid_token", "the access token is not valid");
    char hash[YW_IDENT_TOKEN_KEY];
    yw_ident__token_key(token, hash);
    /* the memory's key: the SM3 part alone (the time before it would crowd
     * the direct-mapped table's slots) */
    const char *ckey = hash + (strlen(hash) > 64 ? 13 : 0);
    /* the answer kept in memory per access token (cache.c, beside the
     * sessions): evicted with the account's entries when the account, its
     * profile or its grants change or the token is revoked, with everything
     * when a client is changed or disabled; good until the token expires */
    struct yw_arena *a = &req->arena;
    struct yw_principal cp = { 0 };
    int64_t seen_ms, exp_ms = 0;
    if (yw_ident__cache_get(ckey, a, &cp, &seen_ms, &exp_ms) && !strcmp(cp.kind, "userinfo") &&
        yw_clock_now_ms() < exp_ms) {
        size_t len = 0;
        char *body = yw_ident__cache_get_me(ckey, &len);
        if (body) {
            yw_resp_header(req, "Cache-Control", "no-store");
            return yw_resp_take(req, 200, "application/json; charset=utf-8", body, len);
        }
    }
    uint64_t gen = yw_ident__cache_gen();
    struct yw_stmt *s;
    int rc = yw_db_one_row(req->db, &s,
                           "SELECT account_id, expires_at, status, scopes, client_id FROM "
                           "oidc_tokens WHERE token_hash = ? AND kind = 'access'",
                           "s", hash);
    if (rc == YW_ENOTFOUND)
        return bearer_error(req, 401, "invalid_token", "the access token is not valid");
    if (rc)
        return rc;
    int64_t account_id = yw_db_col_int(s, 0);
    exp_ms = 0;
    yw_clock_parse(yw_db_col_text(s, 1), &exp_ms);
    bool active = !strcmp(yw_db_col_text(s, 2), "active");
    const char *scopes = yw_arena_strdup(a, yw_db_col_text(s, 3));
    const char *cid = yw_arena_strdup(a, yw_db_col_text(s, 4));
    yw_db_reset(s);
    if (!active || yw_clock_now_ms() >= exp_ms)
        return bearer_error(req, 401, "invalid_token",
                            "the access token has expired or was revoked");
    if (account_id == 0 || !yw_ident__word_in(scopes, "openid"))
        return bearer_error(req, 403, "insufficient_scope",
                            "the access token was not issued for a person (scope openid)");
    struct yw_ident_client_rec cl;
    if ((rc = yw_ident__client_load(req->db, a, cid, &cl)) && rc != YW_ENOTFOUND)
        return rc;
    if (rc || strcmp(cl.status, "active"))
        return bearer_error(req, 401, "invalid_token", "the client is disabled");
    json_t *claims = json_object();
    if ((rc = yw_ident__claims(req->app, req->db, a, account_id, scopes, &cl, claims))) {
        json_decref(claims);
        if (rc == YW_ENOTFOUND)
            return bearer_error(req, 401, "invalid_token", "the account is not active");
        return rc;
    }
    yw_resp_header(req, "Cache-Control", "no-store");
    rc = yw_resp_json(req, 200, claims);
    if (rc == 0)
        rc = yw_resp_bytes(req); /* the bytes the cache keeps */
    if (rc == 0) {
        struct yw_principal who = { .account_id = account_id, .kind = "userinfo" };
        yw_ident__cache_put(ckey, gen, &who, 0, exp_ms);
        yw_ident__cache_put_me(ckey, gen, req->resp_body, req->resp_len);
    }
    return rc;
}
