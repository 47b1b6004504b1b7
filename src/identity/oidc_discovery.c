/*
 * oidc_discovery.c - what a relying party reads before and after a login:
 * the provider's metadata (OpenID Connect Discovery 1.0), its public keys
 * (JWKS, RFC 7517), and RP-initiated logout (end_session), which also ends
 * the person's ywtb session; and the administrator's key rotation.
 *
 *   GET  /.well-known/openid-configuration
 *   GET  /oauth2/jwks
 *   GET  /oauth2/logout                        end_session_endpoint
 *   POST /api/v1/admin/oidc/keys/rotate        {alg} (admin)
 *
 * The issuer is the public_url setting, else this request's own base URL
 * (set public_url in production: relying parties compare it byte for byte).
 *
 * Logout: with an id_token_hint that ywtb signed (expired is fine) for the
 * person whose browser this is, the ywtb session ends - with every grant made
 * in it, so the systems' refresh and access tokens stop too - and the browser
 * goes to post_logout_redirect_uri (exactly one the client registered) with
 * its state, or to ywtb's "logged out" page.  Without a hint that proves who
 * asks, nothing ends: the page asks the person (a link from anywhere must not
 * log people out).
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answers every relying party asks for again and again, pre-rendered as
 * bytes with their ETag (a hash of the bytes, so every node gives the same
 * one for the same answer): the metadata of the last issuer asked about (one
 * entry: a Host header must not be able to fill memory), and the JWKS,
 * rebuilt when a key is made or retired on this node (oidc_keys.c calls
 * yw_ident__discovery_forget after the commit), when a retired key's
 * published_until passes, and at least every JWKS_CACHE_MS, which is how a
 * rotation on another node or by `ywtb oidc keys rotate` shows here.
 * Each answer is a copy of the bytes (what the server frees after sending);
 * a request whose If-None-Match names the ETag gets 304 and no body. */
#define JWKS_CACHE_MS 5000
struct rendered {
    char *issuer; /* discovery: the issuer it was made for */
    char *body;
    size_t len;
    char etag[24]; /* "\"<16 hex>\"" */
    int64_t at_ms;
    int64_t changes_ms; /* the JWKS: the server clock's time it changes by itself */
};
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct rendered disc, jwks;

void
yw_ident__discovery_forget(void)
{
    pthread_mutex_lock(&cache_mu);
    free(jwks.body);
    jwks.body = NULL;
    pthread_mutex_unlock(&cache_mu);
}

static const char *
type_of(bool is_jwks)
{
    return is_jwks ? "application/jwk-set+json; charset=utf-8" : "application/json; charset=utf-8";
}

/* The rendered answer as the response (a copy of its bytes, or 304). */
static void
answer(struct yw_req *req, bool is_jwks, char *copy, size_t n, const char *etag)
{
    yw_resp_header(req, "Cache-Control", "public, max-age=300");
    yw_resp_header(req, "Access-Control-Allow-Origin", "*");
    yw_resp_header(req, "ETag", etag);
    const char *inm = yw_req_header(req, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        free(copy);
        yw_resp_static(req, 304, NULL, "", 0);
        return;
    }
    yw_resp_take(req, 200, type_of(is_jwks), copy, n);
}

static bool
cached(struct yw_req *req, const char *issuer)
{
    struct rendered *r = issuer ? &disc : &jwks;
    char *copy = NULL;
    size_t n = 0;
    char etag[24];
    pthread_mutex_lock(&cache_mu);
    if (r->body && (issuer ? !strcmp(r->issuer, issuer)
                           : yw_clock_real_ms() - r->at_ms < JWKS_CACHE_MS &&
                                 yw_clock_now_ms() < r->changes_ms)) {
        n = r->len;
        copy = yw_xmalloc(n);
        memcpy(copy, r->body, n);
        memcpy(etag, r->etag, sizeof etag);
    }
    pthread_mutex_unlock(&cache_mu);
    if (copy == NULL)
        return false;
    answer(req, issuer == NULL, copy, n, etag);
    return true;
}

/* Keep body as the rendered answer (for issuer, or the JWKS when NULL) and
 * answer with it. */
static int
keep(struct yw_req *req, const char *issuer, json_t *doc, int64_t changes_ms)
{
    char *body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (body == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "cannot render the answer");
    size_t n = strlen(body);
    unsigned char h[32];
    char hex[65], etag[24];
    yw_sha256(body, n, h);
    yw_hex(h, 8, hex);
    snprintf(etag, sizeof etag, "\"%.16s\"", hex);
    struct rendered *r = issuer ? &disc : &jwks;
    pthread_mutex_lock(&cache_mu);
    free(r->body);
    free(r->issuer);
    r->body = yw_xmalloc(n);
    memcpy(r->body, body, n);
    r->len = n;
    r->issuer = issuer ? yw_xstrdup(issuer) : NULL;
    memcpy(r->etag, etag, sizeof etag);
    r->at_ms = yw_clock_real_ms();
    r->changes_ms = changes_ms;
    pthread_mutex_unlock(&cache_mu);
    answer(req, issuer == NULL, body, n, etag);
    return 0;
}

int
yw_ident__h_discovery(struct yw_req *req)
{
    const char *iss = yw_ident__issuer(req);
    if (cached(req, iss))
        return 0;
    struct yw_arena *a = &req->arena;
    json_t *d = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s,s,s], s:[s], s:[s,s], s:[s,s,s], "
        "s:[s,s,s], s:[s], s:[s,s,s,s,s,s], s:[s,s,s], s:b, s:b, s:[s,s]}",
        "issuer", iss, "authorization_endpoint", yw_arena_printf(a, "%s/oauth2/authorize", iss),
        "token_endpoint", yw_arena_printf(a, "%s/oauth2/token", iss), "userinfo_endpoint",
        yw_arena_printf(a, "%s/oauth2/userinfo", iss), "jwks_uri",
        yw_arena_printf(a, "%s/oauth2/jwks", iss), "revocation_endpoint",
        yw_arena_printf(a, "%s/oauth2/revoke", iss), "end_session_endpoint",
        yw_arena_printf(a, "%s/oauth2/logout", iss), "response_types_supported", "code",
        "response_modes_supported", "query", "grant_types_supported", "authorization_code",
        "refresh_token", "client_credentials", "subject_types_supported", "public",
        "id_token_signing_alg_values_supported", "ES256", YW_IDENT_ALG_SM2,
        "token_endpoint_auth_methods_supported", "client_secret_basic", "client_secret_post",
        "none", "revocation_endpoint_auth_methods_supported", "client_secret_basic",
        "client_secret_post", "none", "code_challenge_methods_supported", "S256",
        "scopes_supported", "openid", "profile", "id_number", "phone", "company", "offline_access",
        "acr_values_supported", "1", "2", "3", "authorization_response_iss_parameter_supported", 1,
        "claims_parameter_supported", 0, "prompt_values_supported", "none", "login");
    if (d == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "cannot build the provider's metadata");
    /* pairwise: per client setting subject_type (oidc_subject.c) */
    json_array_append_new(json_object_get(d, "subject_types_supported"), json_string("pairwise"));
    json_array_append_new(json_object_get(d, "prompt_values_supported"), json_string("consent"));
    json_array_append_new(json_object_get(d, "prompt_values_supported"),
                          json_string("select_account"));
    json_object_set_new(d, "claims_supported",
                        json_pack("[s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s]", "sub", "iss", "aud", "exp",
                                  "iat", "auth_time", "nonce", "acr", "at_hash", "name",
                                  "realname_level", "account_kind", "id_number", "id_type",
                                  "phone_number", "company"));
    /* private_key_jwt (RFC 7523): a client registered with its public keys
     * signs an ES256 assertion instead of sending a secret (oidc_token.c) */
    json_array_append_new(json_object_get(d, "token_endpoint_auth_methods_supported"),
                          json_string("private_key_jwt"));
    json_array_append_new(json_object_get(d, "revocation_endpoint_auth_methods_supported"),
                          json_string("private_key_jwt"));
    json_object_set_new(d, "token_endpoint_auth_signing_alg_values_supported",
                        json_pack("[s]", "ES256"));
    json_object_set_new(d, "revocation_endpoint_auth_signing_alg_values_supported",
                        json_pack("[s]", "ES256"));
    json_object_set_new(d, "ui_locales_supported", json_pack("[s,s]", "zh-CN", "en"));
    return keep(req, iss, d, INT64_MAX);
}

int
yw_ident__h_jwks(struct yw_req *req)
{
    if (cached(req, NULL))
        return 0;
    /* the route needs no connection while the rendered answer is fresh */
    struct yw_dbc *c = yw_db_conn(req->app->db, &req->err);
    if (c == NULL)
        return YW_EUNAVAIL;
    json_t *set = NULL;
    int64_t changes_ms = INT64_MAX;
    int rc = yw_ident__jwks_json(req->app, c, &set, &changes_ms, &req->err);
    if (rc)
        return rc;
    return keep(req, NULL, set, changes_ms);
}

static int
redirect(struct yw_req *req, const char *url)
{
    yw_resp_header(req, "Location", url);
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_static(req, 302, "text/plain; charset=utf-8", "", 0);
}

static char *
error_page(struct yw_req *req, const char *error, const char *desc)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "/ssoerror.html?");
    yw_ident__url_add(&b, "error", error);
    yw_buf_addc(&b, '&');
    yw_ident__url_add(&b, "error_description", desc);
    char *out = yw_arena_strdup(&req->arena, b.p);
    yw_buf_release(&b);
    return out;
}

struct logout_tx {
    const struct yw_principal *who;
    const char *client_id;
};

static int
end_session_tx(struct yw_dbc *c, void *ctx)
{
    struct logout_tx *t = ctx;
    int rc = yw_ident__grants_revoke_session(c, t->who->session);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM sessions WHERE token_hash = ?", "s", t->who->session);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, t->who->account_id);
    if (rc)
        return rc;
    char id[24], sum[120];
    snprintf(id, sizeof id, "%lld", (long long)t->who->account_id);
    snprintf(sum, sizeof sum, "{\"via\":\"end_session\",\"client_id\":\"%.64s\"}", t->client_id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                     .role = "",
                                                     .action = "auth.logout",
                                                     .obj_type = "account",
                                                     .obj_id = id,
                                                     .summary = sum });
}

int
yw_ident__h_end_session(struct yw_req *req)
{
    const char *hint = yw_req_query(req, "id_token_hint");
    const char *post = yw_req_query(req, "post_logout_redirect_uri");
    const char *state = yw_req_query(req, "state");
    const char *cid = yw_req_query(req, "client_id");
    json_t *claims = NULL;
    if (hint && *hint) {
        int rc = strlen(hint) > 8000 ? YW_EINVAL : yw_ident__jws_verify(req->db, hint, &claims);
        if (rc && rc != YW_EINVAL)
            return rc;
        const char *iss = json_string_value(json_object_get(claims, "iss"));
        if (rc || !iss || strcmp(iss, yw_ident__issuer(req))) {
            json_decref(claims);
            return redirect(req, error_page(req, "invalid_request",
                                            "the id_token_hint is not an ID token of ywtb"));
        }
        const char *aud = json_string_value(json_object_get(claims, "aud"));
        if (cid && *cid && aud && strcmp(cid, aud)) {
            json_decref(claims);
            return redirect(req, error_page(req, "invalid_request",
                                            "client_id is not the ID token's audience"));
        }
        if (aud)
            cid = yw_arena_strdup(&req->arena, aud);
    }
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    char me[YW_IDENT_SUB_MAX] = "";
    if (claims && sub && req->who && !req->who->scopes) {
        /* the sub that client knows this person by (pairwise or not) */
        struct yw_ident_client_rec hcl;
        int rc = cid && *cid ? yw_ident__client_load(req->db, &req->arena, cid, &hcl)
                             : YW_ENOTFOUND;
        if (rc && rc != YW_ENOTFOUND) {
            json_decref(claims);
            return rc;
        }
        if (rc == 0 && yw_ident__subject(req->app, &hcl, req->who->account_id, me, &req->err)) {
            json_decref(claims);
            return YW_ECONFIG;
        }
    }
    bool proven = claims && sub && me[0] && !strcmp(sub, me);
    json_decref(claims);

    /* where to go after: only a URI the client registered */
    const char *dest = NULL;
    if (post && *post) {
        struct yw_ident_client_rec cl;
        int rc = cid && *cid ? yw_ident__client_load(req->db, &req->arena, cid, &cl) : YW_ENOTFOUND;
        if (rc && rc != YW_ENOTFOUND)
            return rc;
        bool ok = false;
        if (rc == 0) {
            json_t *arr = json_loads(cl.logout_uris, 0, NULL);
            size_t i;
            json_t *v;
            json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), post)) ok = true;
            json_decref(arr);
        }
        if (!ok)
            return redirect(req, error_page(req, "invalid_request",
                                            "post_logout_redirect_uri is not one the system "
                                            "registered"));
        struct yw_buf b;
        yw_buf_init(&b);
        yw_buf_adds(&b, post);
        if (state && *state) {
            yw_buf_addc(&b, strchr(post, '?') ? '&' : '?');
            yw_ident__url_add(&b, "state", state);
        }
        dest = yw_arena_strdup(&req->arena, b.p);
        yw_buf_release(&b);
    }
    if (req->who && !proven) /* ask the person; nothing ends on an unproven link */
        return redirect(req, "/signout.html");
    if (req->who) {
        struct logout_tx t = { .who = req->who, .client_id = cid ? cid : "" };
        int rc = yw_db_tx(req->app->db, YW_TX_WRITE, end_session_tx, &t, &req->err);
        if (rc)
            return rc;
        if (req->who->via_cookie)
            yw_resp_header(req, "Set-Cookie",
                           "ywtb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    }
    return redirect(req, dest ? dest : "/signout.html?done=1");
}

int
yw_ident__h_keys_rotate(struct yw_req *req)
{
    const char *alg = yw_body_str(req, "alg");
    if (alg == NULL)
        alg = "ES256";
    if (strcmp(alg, "ES256") && strcmp(alg, YW_IDENT_ALG_SM2))
        return yw_fail(&req->err, YW_EFIELD, "alg", "alg must be 'ES256' or '%s'",
                       YW_IDENT_ALG_SM2);
    char actor[24], kid[17];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    int rc = yw_ident__keys_rotate(req->app, req->db, alg, actor, kid, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s, s:s}", "alg", alg, "kid", kid));
}
