/*
 * oidc_authorize.c - the authorization endpoint of the OpenID Connect
 * provider (authorization code flow with PKCE), the consent it asks for, and
 * the portal's list of what a person allowed and where they logged in.
 *
 *   GET  /oauth2/authorize                  a relying party sends the browser here
 *   GET  /api/v1/sso/authorization?<same>   what the consent page shows (the person)
 *   POST /api/v1/sso/authorization          the person allows or refuses
 *   GET  /api/v1/me/sso                     consents and logins to systems (portal)
 *   DELETE /api/v1/me/sso/consents/{client_id}   withdraw a consent (ends that system's tokens)
 *
 * The request is checked in the order RFC 6749 4.1.2.1 needs: an unknown or
 * disabled client, or a redirect_uri that is not exactly one it registered,
 * is never redirected to - the browser goes to ywtb's own error page; every
 * later error goes back to the relying party as ?error=...&state=...&iss=...
 * (RFC 9207).  PKCE: code_challenge_method must be S256 and a public client
 * must send one (RFC 9700).  Then the person: not logged in (or prompt=login,
 * or max_age passed) - the portal's login page, coming back here after; a
 * real-name level below max(the client's min_acr, the lowest of acr_values) -
 * the consent page says how to raise it and lets them go back; no stored
 * consent covering the scopes (or prompt=consent) - the consent page; else a
 * code at once.  prompt=none answers login_required / consent_required /
 * unmet_authentication_requirements instead of showing anything.
 *
 * The consent page is stateless: it sends the same parameters back, and the
 * server checks everything again before it stores the consent and issues the
 * code.  A code is 256 random bits, stored as its SM3 hash, valid 60 s, for
 * one exchange (oidc_token.c).
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_TTL_MS 60000

static const char *const params_known[] = {
    "client_id",  "redirect_uri",  "response_type",  "scope",
    "state",      "nonce",         "code_challenge", "code_challenge_method",
    "prompt",     "max_age",       "acr_values",     "login_hint",
    "ui_locales", "response_mode", "request",        "request_uri",
    "auth_after", "claims",        "display",        NULL,
};

static void
json_free(void *p)
{
    json_decref(p);
}

/* The request's parameters as an object of strings (absent or empty: left out). */
static json_t *
params_from_query(struct yw_req *req)
{
    json_t *o = json_object();
    for (size_t i = 0; params_known[i]; i++) {
        const char *v = yw_req_query(req, params_known[i]);
        if (v && *v)
            json_object_set_new(o, params_known[i], json_string(v));
    }
    return o;
}

static const char *
P(json_t *params, const char *name)
{
    return json_string_value(json_object_get(params, name));
}

void
yw_ident__url_add(struct yw_buf *b, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    yw_buf_adds(b, name);
    yw_buf_addc(b, '=');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            yw_buf_addc(b, (char)*p);
        } else {
            yw_buf_addc(b, '%');
            yw_buf_addc(b, hex[*p >> 4]);
            yw_buf_addc(b, hex[*p & 15]);
        }
    }
}

const char *
yw_ident__issuer(struct yw_req *req)
{
    const char *b = yw_req_base_url(req);
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '/')
        n--;
    return yw_arena_strndup(&req->arena, b, n);
}

/* The request as checked. */
struct authz {
    json_t *params;
    struct yw_ident_client_rec cl;
    const char *redirect_uri, *state, *nonce, *challenge;
    char *scope; /* normalized: the asked scopes, in order, each once */
    bool prompt_none, prompt_login, prompt_consent;
    int64_t max_age;    /* -1: none */
    int64_t auth_after; /* ms; 0: none */
    int min_acr;        /* what this request needs */
};

enum {
    AZ_OK = 0,
    AZ_PAGE,     /* an error shown on ywtb's page: never redirected */
    AZ_REDIRECT, /* an error sent back to the relying party */
};

static bool
uri_registered(const char *list_json, const char *uri)
{
    json_t *arr = json_loads(list_json, 0, NULL);
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), uri)) found = true;
    json_decref(arr);
    return found;
}

static int
az_fail(const char **error, char desc[200], const char *e, const char *d, int kind)
{
    *error = e;
    snprintf(desc, 200, "%s", d);
    return kind;
}

static int
authz_check(struct yw_dbc *c, struct yw_arena *a, json_t *params, struct authz *z,
            const char **error, char desc[200])
{
    memset(z, 0, sizeof *z);
    z->params = params;
    z->max_age = -1;
    const char *cid = P(params, "client_id");
    int rc = cid ? yw_ident__client_load(c, a, cid, &z->cl) : YW_ENOTFOUND;
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    if (rc || strcmp(z->cl.status, "active"))
        return az_fail(error, desc, "invalid_client",
                       cid ? "the system that sent you here is not registered with ywtb, or is "
                             "disabled"
                           : "the request does not name the system (client_id)",
                       AZ_PAGE);
    if (!yw_ident__word_in(z->cl.grant_types, "authorization_code"))
        return az_fail(error, desc, "unauthorized_client",
                       "this system is not registered to log people in", AZ_PAGE);
    z->redirect_uri = P(params, "redirect_uri");
    if (z->redirect_uri == NULL || !uri_registered(z->cl.redirect_uris, z->redirect_uri))
        return az_fail(error, desc, "invalid_request",
                       "the redirect_uri is not one the system registered", AZ_PAGE);
    z->state = P(params, "state");
    if (P(params, "request") || P(params, "request_uri"))
        return az_fail(error, desc,
                       P(params, "request") ? "request_not_supported" : "request_uri_not_supported",
                       "request objects are not supported", AZ_REDIRECT);
    const char *rt = P(params, "response_type");
    if (rt == NULL)
        return az_fail(error, desc, "invalid_request", "response_type is required", AZ_REDIRECT);
    if (strcmp(rt, "code"))
        return az_fail(error, desc, "unsupported_response_type",
                       "only the authorization code flow (response_type=code) is supported",
                       AZ_REDIRECT);
    const char *rm = P(params, "response_mode");
    if (rm && strcmp(rm, "query"))
        return az_fail(error, desc, "invalid_request", "response_mode must be query", AZ_REDIRECT);
    /* scopes: openid, each allowed to the client, each once */
    const char *scope = P(params, "scope");
    if (scope == NULL || !yw_ident__word_in(scope, "openid"))
        return az_fail(error, desc, "invalid_scope", "the scope must include openid", AZ_REDIRECT);
    struct yw_buf sb;
    yw_buf_init(&sb);
    char *copy = yw_arena_strdup(a, scope);
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (!yw_ident__word_in(z->cl.scopes, w)) {
            yw_buf_release(&sb);
            char d[200];
            snprintf(d, sizeof d, "the scope '%.60s' is not allowed to this system", w);
            return az_fail(error, desc, "invalid_scope", d, AZ_REDIRECT);
        }
        if (yw_ident__word_in(sb.p, w))
            continue;
        if (sb.n)
            yw_buf_addc(&sb, ' ');
        yw_buf_adds(&sb, w);
    }
    z->scope = yw_arena_strdup(a, sb.p);
    yw_buf_release(&sb);
    /* PKCE */
    z->challenge = P(params, "code_challenge");
    const char *method = P(params, "code_challenge_method");
    if (z->challenge) {
        if (method == NULL || strcmp(method, "S256"))
            return az_fail(error, desc, "invalid_request", "code_challenge_method must be S256",
                           AZ_REDIRECT);
        size_t n = strlen(z->challenge);
        bool ok = n == 43;
        for (size_t i = 0; ok && i < n; i++) {
            char ch = z->challenge[i];
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_';
        }
        if (!ok)
            return az_fail(error, desc, "invalid_request",
                           "code_challenge must be the base64url SHA-256 of the verifier (43 "
                           "characters)",
                           AZ_REDIRECT);
    } else if (method) {
        return az_fail(error, desc, "invalid_request",
                       "code_challenge_method without code_challenge", AZ_REDIRECT);
    } else if (!strcmp(z->cl.kind, "public")) {
        return az_fail(error, desc, "invalid_request",
                       "a public client must use PKCE (code_challenge with S256)", AZ_REDIRECT);
    }
    z->nonce = P(params, "nonce");
    if ((z->nonce && strlen(z->nonce) > 255) || (z->state && strlen(z->state) > 1000))
        return az_fail(error, desc, "invalid_request", "nonce or state is too long", AZ_REDIRECT);
    /* prompt */
    const char *prompt = P(params, "prompt");
    if (prompt) {
        char *pc = yw_arena_strdup(a, prompt);
        for (char *save = NULL, *w = strtok_r(pc, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            if (!strcmp(w, "none"))
                z->prompt_none = true;
            else if (!strcmp(w, "login"))
                z->prompt_login = true;
            else if (!strcmp(w, "consent"))
                z->prompt_consent = true;
            else if (strcmp(w, "select_account"))
                return az_fail(error, desc, "invalid_request",
                               "prompt takes none, login, consent or select_account", AZ_REDIRECT);
        }
        if (z->prompt_none && (z->prompt_login || z->prompt_consent || strstr(prompt, "select")))
            return az_fail(error, desc, "invalid_request", "prompt=none stands alone", AZ_REDIRECT);
    }
    const char *ma = P(params, "max_age");
    if (ma) {
        char *end;
        long long v = strtoll(ma, &end, 10);
        if (*end || v < 0 || v > 100000000)
            return az_fail(error, desc, "invalid_request", "max_age must be a number of seconds",
                           AZ_REDIRECT);
        z->max_age = v;
    }
    const char *aa = P(params, "auth_after");
    if (aa) {
        char *end;
        long long v = strtoll(aa, &end, 10);
        if (*end || v < 0)
            return az_fail(error, desc, "invalid_request", "auth_after is not a time", AZ_REDIRECT);
        z->auth_after = v;
    }
    /* the real-name level: the client's minimum, raised by the lowest level asked for */
    z->min_acr = (int)z->cl.min_acr;
    const char *acr = P(params, "acr_values");
    if (acr) {
        int lowest = 9;
        char *ac = yw_arena_strdup(a, acr);
        for (char *save = NULL, *w = strtok_r(ac, " ", &save); w; w = strtok_r(NULL, " ", &save))
            if (w[0] >= '1' && w[0] <= '3' && w[1] == '\0' && w[0] - '0' < lowest)
                lowest = w[0] - '0';
        if (lowest == 9)
            return az_fail(error, desc, "invalid_request",
                           "acr_values takes the real-name levels 1, 2, 3", AZ_REDIRECT);
        if (lowest > z->min_acr)
            z->min_acr = lowest;
    }
    return AZ_OK;
}

/* redirect_uri with the answer's parameters (code or error) and iss. */
static char *
rp_url(struct yw_req *req, const struct authz *z, const char *const *kv)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, z->redirect_uri);
    char sep = strchr(z->redirect_uri, '?') ? '&' : '?';
    for (size_t i = 0; kv[i]; i += 2) {
        if (kv[i + 1] == NULL)
            continue;
        yw_buf_addc(&b, sep);
        sep = '&';
        yw_ident__url_add(&b, kv[i], kv[i + 1]);
    }
    if (z->state) {
        yw_buf_addc(&b, sep);
        yw_ident__url_add(&b, "state", z->state);
    }
    yw_buf_addc(&b, '&');
    yw_ident__url_add(&b, "iss", yw_ident__issuer(req));
    char *out = yw_arena_strdup(&req->arena, b.p);
    yw_buf_release(&b);
    return out;
}

static char *
rp_error_url(struct yw_req *req, const struct authz *z, const char *error, const char *desc)
{
    const char *kv[] = { "error", error, "error_description", desc, NULL };
    return rp_url(req, z, kv);
}

static int
redirect(struct yw_req *req, const char *url)
{
    yw_resp_header(req, "Location", url);
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_static(req, 302, "text/plain; charset=utf-8", "", 0);
}

static char *
page_url(struct yw_req *req, const char *page, const char *error, const char *desc)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, page);
    yw_buf_addc(&b, '?');
    yw_ident__url_add(&b, "error", error);
    yw_buf_addc(&b, '&');
    yw_ident__url_add(&b, "error_description", desc);
    char *out = yw_arena_strdup(&req->arena, b.p);
    yw_buf_release(&b);
    return out;
}

/* The authorize URL again, as the login page's way back: with auth_after set
 * (prompt=login, max_age) and prompt=login taken out, so it is asked once. */
static char *
again_url(struct yw_req *req, json_t *params, int64_t auth_after)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "/oauth2/authorize");
    char sep = '?';
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v)
    {
        const char *s = json_string_value(v);
        if (!strcmp(k, "auth_after"))
            continue;
        if (!strcmp(k, "prompt")) {
            /* drop "login"; keep the rest */
            struct yw_buf p;
            yw_buf_init(&p);
            char *pc = yw_arena_strdup(&req->arena, s);
            for (char *save = NULL, *w = strtok_r(pc, " ", &save); w;
                 w = strtok_r(NULL, " ", &save))
                if (strcmp(w, "login")) {
                    if (p.n)
                        yw_buf_addc(&p, ' ');
                    yw_buf_adds(&p, w);
                }
            if (p.n) {
                yw_buf_addc(&p, '\0');
                yw_buf_addc(&b, sep);
                sep = '&';
                yw_ident__url_add(&b, k, p.p);
            }
            yw_buf_release(&p);
            continue;
        }
        yw_buf_addc(&b, sep);
        sep = '&';
        yw_ident__url_add(&b, k, s);
    }
    if (auth_after > 0) {
        char t[24];
        snprintf(t, sizeof t, "%lld", (long long)auth_after);
        yw_buf_addc(&b, sep);
        yw_ident__url_add(&b, "auth_after", t);
    }
    struct yw_buf l;
    yw_buf_init(&l);
    yw_buf_adds(&l, "/login.html?");
    yw_buf_addc(&b, '\0');
    yw_ident__url_add(&l, "next", b.p);
    yw_buf_release(&b);
    char *out = yw_arena_strdup(&req->arena, l.p);
    yw_buf_release(&l);
    return out;
}

static char *
consent_page_url(struct yw_req *req, json_t *params)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "/consent.html");
    char sep = '?';
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v)
    {
        yw_buf_addc(&b, sep);
        sep = '&';
        yw_ident__url_add(&b, k, json_string_value(v));
    }
    char *out = yw_arena_strdup(&req->arena, b.p);
    yw_buf_release(&b);
    return out;
}

/* What the person and their session are, for the decision. */
struct person {
    int64_t auth_time_ms;  /* the session's login */
    int level;             /* real-name level */
    const char *consented; /* the stored consent's scopes, "" when none */
};

static int
person_read(struct yw_req *req, const struct authz *z, struct person *p)
{
    memset(p, 0, sizeof *p);
    p->consented = "";
    char *t = NULL;
    int rc = yw_db_one_text(req->db, &req->arena, &t,
                            "SELECT created_at FROM sessions WHERE token_hash = ?", "s",
                            req->who->session);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
    yw_clock_parse(t, &p->auth_time_ms);
    struct yw_ident_account acct;
    if ((rc = yw_ident_account_get(req->db, &req->arena, req->who->account_id, &acct)))
        return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
    p->level = acct.realname_level;
    char *sc = NULL;
    rc = yw_db_one_text(req->db, &req->arena, &sc,
                        "SELECT scopes FROM oidc_consents WHERE account_id = ? AND client_id = ?",
                        "is", req->who->account_id, z->cl.client_id);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    p->consented = rc ? "" : sc;
    return 0;
}

static bool
covers(const char *have, const char *want, struct yw_arena *a)
{
    char *w = yw_arena_strdup(a, want);
    for (char *save = NULL, *s = strtok_r(w, " ", &save); s; s = strtok_r(NULL, " ", &save))
        if (!yw_ident__word_in(have, s))
            return false;
    return true;
}

static bool
is_applicant(const struct yw_principal *who)
{
    return who && (who->roles & YW_ROLE_APPLICANT) && !who->scopes;
}

/* A code for z, in the caller's write transaction: the redirect URL into *url. */
static int
issue_code(struct yw_req *req, const struct authz *z, const struct person *p, char **url)
{
    char code[48], hash[65], exp[32];
    yw_random_token(32, code, sizeof code);
    yw_sm3_hex(code, strlen(code), hash);
    int64_t now = yw_clock_now_ms();
    yw_clock_format(now + CODE_TTL_MS, exp);
    int rc =
        yw_db_run(req->db,
                  "INSERT INTO oidc_codes (code_hash, client_id, account_id, session_hash, "
                  "redirect_uri, scopes, nonce, code_challenge, auth_time, acr, expires_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "ssisssssiis", hash, z->cl.client_id, req->who->account_id, req->who->session,
                  z->redirect_uri, z->scope, z->nonce ? z->nonce : "",
                  z->challenge ? z->challenge : "", p->auth_time_ms / 1000, (int64_t)p->level, exp);
    if (rc)
        return rc;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    json_t *sum = json_pack("{s:s, s:s}", "client_id", z->cl.client_id, "scopes", z->scope);
    char *st = json_dumps(sum, JSON_COMPACT);
    json_decref(sum);
    rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                         .role = "",
                                                         .action = "oidc.authorize",
                                                         .obj_type = "client",
                                                         .obj_id = z->cl.client_id,
                                                         .summary = st });
    free(st);
    if (rc)
        return rc;
    const char *kv[] = { "code", code, NULL };
    *url = rp_url(req, z, kv);
    yw_wipe(code, sizeof code);
    return 0;
}

struct authorize_tx {
    struct yw_req *req;
    const struct authz *z;
    const struct person *p;
    bool store_consent;
    char *url;
};

static int
authorize_tx(struct yw_dbc *c, void *ctx)
{
    struct authorize_tx *t = ctx;
    struct yw_req *req = t->req;
    req->db = c;
    int rc;
    if (t->store_consent) {
        char now[32], actor[24];
        yw_clock_format(yw_clock_now_ms(), now);
        snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
        /* what was allowed before stays allowed: the union */
        struct yw_buf u;
        yw_buf_init(&u);
        yw_buf_adds(&u, t->z->scope);
        char *prev = yw_arena_strdup(&req->arena, t->p->consented);
        for (char *save = NULL, *w = strtok_r(prev, " ", &save); w; w = strtok_r(NULL, " ", &save))
            if (!yw_ident__word_in(u.p, w)) {
                yw_buf_addc(&u, ' ');
                yw_buf_adds(&u, w);
            }
        rc = yw_db_run(c, "DELETE FROM oidc_consents WHERE account_id = ? AND client_id = ?", "is",
                       req->who->account_id, t->z->cl.client_id);
        if (rc == 0)
            rc = yw_db_run(c,
                           "INSERT INTO oidc_consents (account_id, client_id, scopes, granted_at) "
                           "VALUES (?, ?, ?, ?)",
                           "isss", req->who->account_id, t->z->cl.client_id, u.p, now);
        if (rc == 0) {
            json_t *sum = json_pack("{s:s, s:s}", "client_id", t->z->cl.client_id, "scopes", u.p);
            char *s = json_dumps(sum, JSON_COMPACT);
            json_decref(sum);
            rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                           .role = "",
                                                           .action = "oidc.consent",
                                                           .obj_type = "client",
                                                           .obj_id = t->z->cl.client_id,
                                                           .summary = s });
            free(s);
        }
        yw_buf_release(&u);
        if (rc)
            return rc;
    }
    return issue_code(req, t->z, t->p, &t->url);
}

int
yw_ident__h_authorize(struct yw_req *req)
{
    json_t *params = params_from_query(req);
    yw_arena_on_release(&req->arena, json_free, params);
    struct authz z;
    const char *error = NULL;
    char desc[200];
    int rc = authz_check(req->db, &req->arena, params, &z, &error, desc);
    if (rc == AZ_PAGE)
        return redirect(req, page_url(req, "/ssoerror.html", error, desc));
    if (rc == AZ_REDIRECT)
        return redirect(req, rp_error_url(req, &z, error, desc));
    if (rc)
        return rc;
    int64_t now = yw_clock_now_ms();
    if (!is_applicant(req->who)) {
        if (z.prompt_none)
            return redirect(req, rp_error_url(req, &z, "login_required",
                                              "the person is not logged in to ywtb"));
        return redirect(req, again_url(req, params, z.prompt_login ? now : 0));
    }
    struct person p;
    if ((rc = person_read(req, &z, &p))) {
        if (rc != YW_EAUTH)
            return rc;
        return redirect(req, again_url(req, params, 0));
    }
    bool stale = (z.max_age >= 0 && now - p.auth_time_ms > z.max_age * 1000) ||
                 (z.auth_after > 0 && p.auth_time_ms < z.auth_after) ||
                 (z.prompt_login && z.auth_after == 0);
    if (stale) {
        if (z.prompt_none)
            return redirect(
                req, rp_error_url(req, &z, "login_required", "the system asks for a fresh login"));
        return redirect(req, again_url(req, params, now));
    }
    if (p.level < z.min_acr) {
        if (z.prompt_none)
            return redirect(req, rp_error_url(req, &z, "unmet_authentication_requirements",
                                              "the person's real-name level is below what the "
                                              "system requires"));
        return redirect(req, consent_page_url(req, params));
    }
    if (z.prompt_consent || !covers(p.consented, z.scope, &req->arena)) {
        if (z.prompt_none)
            return redirect(req, rp_error_url(req, &z, "consent_required",
                                              "the person has not allowed this system yet"));
        return redirect(req, consent_page_url(req, params));
    }
    struct authorize_tx t = { .req = req, .z = &z, .p = &p };
    struct yw_dbc *db = req->db;
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, authorize_tx, &t, &req->err);
    req->db = db;
    if (rc)
        return rc;
    return redirect(req, t.url);
}

/* ---- the consent page's API ---- */

static json_t *
body_params(struct yw_req *req, struct yw_err *err)
{
    json_t *in = json_object_get(req->body, "params");
    json_t *o = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v)
    {
        bool known = false;
        for (size_t i = 0; params_known[i]; i++)
            known = known || !strcmp(params_known[i], k);
        if (!json_is_string(v) || !known) {
            json_decref(o);
            yw_fail(err, YW_EFIELD, "params",
                    "params holds the authorization request's parameters, as strings");
            return NULL;
        }
        if (*json_string_value(v))
            json_object_set(o, k, v);
    }
    return o;
}

/* Check the request for the consent page: 0 and z, or the error to show. */
static int
consent_check(struct yw_req *req, json_t *params, struct authz *z, struct person *p)
{
    const char *error = NULL;
    char desc[200];
    int rc = authz_check(req->db, &req->arena, params, z, &error, desc);
    if (rc == AZ_PAGE || rc == AZ_REDIRECT)
        return yw_fail(&req->err, YW_EFIELD, "params", "%s: %s", error, desc);
    if (rc)
        return rc;
    if ((rc = person_read(req, z, p)))
        return rc == YW_EAUTH ? yw_fail(&req->err, YW_EAUTH, "", "your session has ended") : rc;
    return 0;
}

static json_t *
scopes_array(const char *list)
{
    json_t *a = json_array();
    for (const char *s = list; s && *s;) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n)
            json_array_append_new(a, json_stringn(s, n));
        s = e ? e + 1 : s + n;
    }
    return a;
}

int
yw_ident__h_authorization_show(struct yw_req *req)
{
    json_t *params = params_from_query(req);
    yw_arena_on_release(&req->arena, json_free, params);
    struct authz z;
    struct person p;
    int rc = consent_check(req, params, &z, &p);
    if (rc)
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:{s:s, s:s, s:s}, s:o, s:{s:i, s:i, s:b}, s:b}", "client",
                                  "client_id", z.cl.client_id, "name", z.cl.name, "dept", z.cl.dept,
                                  "scopes", scopes_array(z.scope), "realname", "level", p.level,
                                  "required", z.min_acr, "enough", p.level >= z.min_acr,
                                  "consented", covers(p.consented, z.scope, &req->arena)));
}

int
yw_ident__h_authorization_decide(struct yw_req *req)
{
    json_t *params = body_params(req, &req->err);
    if (params == NULL)
        return YW_EFIELD;
    yw_arena_on_release(&req->arena, json_free, params);
    const char *decision = yw_body_str(req, "decision");
    if (strcmp(decision, "allow") && strcmp(decision, "deny"))
        return yw_fail(&req->err, YW_EFIELD, "decision", "decision must be 'allow' or 'deny'");
    struct authz z;
    struct person p;
    int rc = consent_check(req, params, &z, &p);
    if (rc)
        return rc;
    if (!strcmp(decision, "deny"))
        return yw_resp_json(
            req, 200,
            json_pack("{s:s}", "redirect_to",
                      rp_error_url(req, &z, "access_denied", "the person did not allow it")));
    if (p.level < z.min_acr)
        return yw_resp_json(
            req, 200,
            json_pack("{s:s}", "redirect_to",
                      rp_error_url(req, &z, "unmet_authentication_requirements",
                                   "the person's real-name level is below what the system "
                                   "requires")));
    struct authorize_tx t = { .req = req, .z = &z, .p = &p, .store_consent = true };
    if ((rc = authorize_tx(req->db, &t)))
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s}", "redirect_to", t.url));
}

/* ---- the portal: consents and logins ---- */

int
yw_ident__h_me_sso(struct yw_req *req)
{
    int64_t me = req->who->account_id;
    json_t *consents = json_array(), *logins = json_array();
    struct yw_stmt *s = yw_db_query(
        req->db,
        "SELECT k.client_id, c.name, c.dept_code, k.scopes, k.granted_at FROM oidc_consents k "
        "JOIN oidc_clients c ON c.client_id = k.client_id WHERE k.account_id = ? "
        "ORDER BY k.granted_at DESC",
        "i", me);
    int rc = s ? 0 : YW_EDB;
    if (s) {
        while ((rc = yw_db_step(s)) == YW_ROW)
            json_array_append_new(
                consents,
                json_pack("{s:s, s:s, s:s, s:o, s:s}", "client_id", yw_db_col_text(s, 0), "name",
                          yw_db_col_text(s, 1), "dept", yw_db_col_text(s, 2), "scopes",
                          scopes_array(yw_db_col_text(s, 3)), "granted_at", yw_db_col_text(s, 4)));
        rc = yw_db_finish(s, rc);
    }
    if (rc == 0) {
        s = yw_db_query(req->db,
                        "SELECT g.client_id, c.name, c.dept_code, g.scopes, g.created_at, "
                        "g.revoked_at FROM oidc_grants g JOIN oidc_clients c ON c.client_id = "
                        "g.client_id WHERE g.account_id = ? ORDER BY g.created_at DESC, g.id "
                        "DESC LIMIT 200",
                        "i", me);
        rc = s ? 0 : YW_EDB;
        if (s) {
            while ((rc = yw_db_step(s)) == YW_ROW)
                json_array_append_new(
                    logins,
                    json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}", "client_id", yw_db_col_text(s, 0),
                              "name", yw_db_col_text(s, 1), "dept", yw_db_col_text(s, 2), "scopes",
                              scopes_array(yw_db_col_text(s, 3)), "at", yw_db_col_text(s, 4),
                              "active", yw_db_col_null(s, 5)));
            rc = yw_db_finish(s, rc);
        }
    }
    if (rc) {
        json_decref(consents);
        json_decref(logins);
        return yw_fail(&req->err, rc, "", "cannot read your connected systems");
    }
    return yw_resp_json(req, 200, json_pack("{s:o, s:o}", "consents", consents, "logins", logins));
}

int
yw_ident__h_me_sso_withdraw(struct yw_req *req)
{
    const char *cid = yw_req_param(req, "client_id");
    int64_t me = req->who->account_id, n = 0;
    int rc = yw_db_run_changes(req->db, &n,
                               "DELETE FROM oidc_consents WHERE account_id = ? AND client_id = ?",
                               "is", me, cid);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "you have not allowed that system anything");
    /* what the system holds on this person's behalf ends too */
    if ((rc = yw_ident__grants_revoke_person(req->db, me, cid)))
        return rc;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)me);
    if ((rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                              .role = "",
                                                              .action = "oidc.consent_withdraw",
                                                              .obj_type = "client",
                                                              .obj_id = cid,
                                                              .summary = "{}" })))
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:b}", "withdrawn", 1));
}
