/*
 * oidc_code.c - what a person's login to a system gives it: the exchange of
 * an authorization code (with PKCE) and of a refresh token at the token
 * endpoint, the ID token, the claims each scope releases, and userinfo.
 *
 * A code is good for one exchange within 60 s, by the client it was issued
 * to, with the same redirect_uri and the PKCE verifier of its challenge.  A
 * code presented a second time is an attack or a bug: what the first exchange
 * gave is revoked (RFC 6749 4.1.2, RFC 9700 4.5).  The exchange makes a
 * *grant* (oidc_grants: one login of one person to one system, what the
 * portal lists) with an access token, a refresh token when the client may
 * refresh, and the ID token; publishes oidc.login; and audits it.
 *
 * Refresh tokens rotate: each use marks it used and returns a new one.  A used
 * refresh token coming back means two parties hold it - the grant and every
 * token of it are revoked (RFC 9700 4.14.2).
 *
 * Claims by scope: openid -> sub (the account's id, or per sector for a
 * pairwise client: oidc_subject.c); profile -> name
 * and realname_level; id_number -> the ID number (a person) or credit code (a
 * company), masked (first 4 and last 4) unless the client may see it whole;
 * phone -> phone_number; company -> for a company its name and credit code,
 * for a person the companies they are an authorized agent of (role "agent").
 * acr in the ID token is the account's real-name level ("1", "2", "3").
 * The userinfo endpoint, which answers with the same claims: oidc_userinfo.c.
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- revoking grants ---- */

static int
now_text(char out[32])
{
    yw_clock_format(yw_clock_now_ms(), out);
    return 0;
}

int
yw_ident__grant_revoke(struct yw_dbc *c, int64_t grant_id)
{
    char now[32];
    now_text(now);
    int64_t account_id = 0;
    int rc = yw_db_one_int(c, &account_id, "SELECT account_id FROM oidc_grants WHERE id = ?", "i",
                           grant_id);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    rc = yw_db_run(c, "UPDATE oidc_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   "si", now, grant_id);
    if (rc == 0)
        rc = yw_db_run(c,
                       "UPDATE oidc_tokens SET status = 'revoked' WHERE grant_id = ? AND status <> "
                       "'revoked'",
                       "i", grant_id);
    if (rc == 0 && account_id) /* its userinfo answers, kept in memory */
        rc = yw_ident__cache_changed(c, account_id);
    return rc;
}

int
yw_ident__grants_revoke_person(struct yw_dbc *c, int64_t account_id, const char *client_id)
{
    char now[32];
    now_text(now);
    int rc = yw_db_run(c,
                       "UPDATE oidc_tokens SET status = 'revoked' WHERE status <> 'revoked' AND "
                       "grant_id IN (SELECT id FROM oidc_grants WHERE account_id = ? AND "
                       "client_id = ? AND revoked_at IS NULL)",
                       "is", account_id, client_id);
    if (rc == 0)
        rc = yw_db_run(c,
                       "UPDATE oidc_grants SET revoked_at = ? WHERE account_id = ? AND client_id = "
                       "? AND revoked_at IS NULL",
                       "sis", now, account_id, client_id);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, account_id);
    return rc;
}

int
yw_ident__grants_revoke_session(struct yw_dbc *c, const char *session_hash)
{
    char now[32];
    now_text(now);
    int64_t account_id = 0;
    int rc = yw_db_one_int(c, &account_id,
                           "SELECT account_id FROM oidc_grants WHERE session_hash = ? LIMIT 1", "s",
                           session_hash);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, account_id);
    else if (rc != YW_ENOTFOUND)
        return rc;
    rc = yw_db_run(c,
                   "UPDATE oidc_tokens SET status = 'revoked' WHERE status <> 'revoked' AND "
                   "grant_id IN (SELECT id FROM oidc_grants WHERE session_hash = ? AND "
                   "revoked_at IS NULL)",
                   "s", session_hash);
    if (rc == 0)
        rc = yw_db_run(c,
                       "UPDATE oidc_grants SET revoked_at = ? WHERE session_hash = ? AND "
                       "revoked_at IS NULL",
                       "ss", now, session_hash);
    return rc;
}

/* ---- claims ---- */

static const char *
masked(struct yw_arena *a, const char *ident)
{
    size_t n = strlen(ident);
    if (n <= 8)
        return yw_arena_strdup(a, "********");
    char *m = yw_arena_strdup(a, ident);
    for (size_t i = 4; i < n - 4; i++)
        m[i] = '*';
    return m;
}

/* The claims of an account already read (known: the caller's copy, or NULL to read it). */
static int
claims_of(struct yw_app *app, struct yw_dbc *c, struct yw_arena *a, int64_t account_id,
          const struct yw_ident_account *known, const char *scopes,
          const struct yw_ident_client_rec *cl, json_t *out)
{
    struct yw_ident_account acct;
    int rc = 0;
    if (known)
        acct = *known;
    else if ((rc = yw_ident_account_get(c, a, account_id, &acct)))
        return rc;
    if (strcmp(acct.status, "active"))
        return YW_ENOTFOUND;
    char sub[YW_IDENT_SUB_MAX];
    struct yw_err err = { 0 };
    if ((rc = yw_ident__subject(app, cl, account_id, sub, &err)))
        return rc;
    json_object_set_new(out, "sub", json_string(sub));
    bool person = !strcmp(acct.kind, "person");
    if (yw_ident__word_in(scopes, "profile")) {
        json_object_set_new(out, "name", json_string(acct.name));
        json_object_set_new(out, "account_kind", json_string(acct.kind));
        json_object_set_new(out, "realname_level", json_integer(acct.realname_level));
    }
    if (yw_ident__word_in(scopes, "id_number")) {
        json_object_set_new(out, "id_number",
                            json_string(cl->full_id_number ? acct.ident : masked(a, acct.ident)));
        json_object_set_new(out, "id_type", json_string(person ? "resident_id" : "uscc"));
        json_object_set_new(out, "id_number_masked", json_boolean(!cl->full_id_number));
    }
    if (yw_ident__word_in(scopes, "phone") && acct.phone[0])
        json_object_set_new(out, "phone_number", json_string(acct.phone));
    if (yw_ident__word_in(scopes, "company")) {
        json_t *list = json_array();
        if (!person) {
            json_array_append_new(list,
                                  json_pack("{s:s, s:s, s:s, s:s}", "name", acct.name, "uscc",
                                            cl->full_id_number ? acct.ident : masked(a, acct.ident),
                                            "role", "self", "legal_rep", acct.legal_rep_name));
        } else {
            int64_t *ids = NULL;
            size_t n = 0;
            if ((rc = yw_ident_agent_enterprises(c, a, account_id, &ids, &n))) {
                json_decref(list);
                return rc;
            }
            for (size_t i = 0; i < n; i++) {
                struct yw_ident_account e;
                if (yw_ident_account_get(c, a, ids[i], &e) || strcmp(e.status, "active"))
                    continue;
                json_array_append_new(list,
                                      json_pack("{s:s, s:s, s:s}", "name", e.name, "uscc",
                                                cl->full_id_number ? e.ident : masked(a, e.ident),
                                                "role", "agent"));
            }
        }
        json_object_set_new(out, "company", list);
    }
    return 0;
}

int
yw_ident__claims(struct yw_app *app, struct yw_dbc *c, struct yw_arena *a, int64_t account_id,
                 const char *scopes, const struct yw_ident_client_rec *cl, json_t *out)
{
    return claims_of(app, c, a, account_id, NULL, scopes, cl, out);
}

/* ---- the ID token ---- */

static int
id_token(struct yw_req *req, struct yw_dbc *c, const struct yw_ident_client_rec *cl,
         int64_t account_id, int64_t auth_time, int64_t acr, const char *nonce, const char *scopes,
         const char *access_token, int64_t now_ms, bool existing_key,
         const struct yw_ident_account *acct, char **out)
{
    json_t *p = json_object();
    int rc = claims_of(req->app, c, &req->arena, account_id, acct, scopes, cl, p);
    if (rc) {
        json_decref(p);
        return rc;
    }
    int64_t now = now_ms / 1000;
    char acr_s[4];
    snprintf(acr_s, sizeof acr_s, "%lld", (long long)acr);
    json_object_set_new(p, "iss", json_string(yw_ident__issuer(req)));
    json_object_set_new(p, "aud", json_string(cl->client_id));
    json_object_set_new(p, "azp", json_string(cl->client_id));
    json_object_set_new(p, "iat", json_integer(now));
    json_object_set_new(p, "exp", json_integer(now + cl->access_ttl));
    json_object_set_new(p, "auth_time", json_integer(auth_time));
    json_object_set_new(p, "acr", json_string(acr_s));
    if (nonce && *nonce)
        json_object_set_new(p, "nonce", json_string(nonce));
    /* at_hash: the left half of the access token's hash (SHA-256; SM3 for SM2SM3) */
    unsigned char h[32];
    bool sm2 = !strcmp(cl->id_token_alg, YW_IDENT_ALG_SM2);
    if ((sm2 ? yw_sm3(access_token, strlen(access_token), h)
             : yw_sha256(access_token, strlen(access_token), h)) == 0) {
        struct yw_buf b;
        yw_buf_init(&b);
        yw_ident__b64url(h, 16, &b);
        yw_buf_addc(&b, '\0');
        json_object_set_new(p, "at_hash", json_string(b.p));
        yw_buf_release(&b);
    }
    rc = existing_key ? yw_ident__jws_sign_existing(req->app, c, cl->id_token_alg, p, out, &req->err)
                      : yw_ident__jws_sign(req->app, c, cl->id_token_alg, p, out, &req->err);
    json_decref(p);
    return rc;
}

/* What the token response still needs once the grant's writes committed:
 * the ID token (the person's claims read and signed) and the JSON.  Kept in
 * the request's arena; the server runs the step on the HTTP worker after the
 * group commit (req->after_commit), so the signature and the claims' reads
 * are not made on the batcher's one thread while every other token request
 * waits for it. */
struct deferred {
    struct yw_ident_client_rec cl;
    int64_t account_id, auth_time, acr, now_ms;
    const char *nonce, *scopes;
    char at[80], rt[80];
};

static int
finish_grant(struct yw_req *req)
{
    struct deferred *d = (struct deferred *)(intptr_t)req->after_id;
    char *idt = NULL;
    int rc = id_token(req, req->db, &d->cl, d->account_id, d->auth_time, d->acr, d->nonce,
                      d->scopes, d->at, d->now_ms, false, NULL, &idt);
    if (rc == YW_ENOTFOUND) /* disabled since the exchange */
        rc = yw_ident__oauth_error(req, 400, "invalid_grant", "the account is not active");
    else if (rc == 0) {
        json_t *answer = json_pack("{s:s, s:s, s:I, s:s, s:s}", "access_token", d->at, "token_type",
                                   "Bearer", "expires_in", (json_int_t)d->cl.access_ttl, "scope",
                                   d->scopes, "id_token", idt);
        if (d->rt[0])
            json_object_set_new(answer, "refresh_token", json_string(d->rt));
        yw_resp_header(req, "Cache-Control", "no-store");
        yw_resp_header(req, "Pragma", "no-cache");
        rc = yw_resp_json(req, 200, answer);
    }
    free(idt);
    yw_wipe(d->at, sizeof d->at);
    yw_wipe(d->rt, sizeof d->rt);
    return rc;
}

/* The tokens of a grant, stored; the response is finished after the commit
 * (finish_grant).  The signing key is made ready here, in the transaction,
 * so that the step after it never needs to make one. */
static int
issue_tokens(struct yw_req *req, struct yw_dbc *c, const struct yw_ident_client_rec *cl,
             int64_t account_id, int64_t grant_id, const char *scopes, const char *refresh_scopes,
             int64_t auth_time, int64_t acr, const char *nonce, int64_t now_ms)
{
    struct yw_arena *a = &req->arena;
    struct deferred *d = yw_arena_zalloc(a, sizeof *d);
    int rc = yw_ident__token_insert(c, "access", cl->client_id, account_id, grant_id, scopes,
                                    now_ms, cl->access_ttl, d->at);
    if (rc)
        return rc;
    if (yw_ident__word_in(cl->grant_types, "refresh_token") && cl->refresh_ttl > 0 &&
        (rc = yw_ident__token_insert(c, "refresh", cl->client_id, account_id, grant_id,
                                     refresh_scopes, now_ms, cl->refresh_ttl, d->rt)))
        return rc;
    if ((rc = yw_ident__jws_ready(req->app, c, cl->id_token_alg, &req->err)))
        return rc;
    d->cl = *cl; /* its strings are in the arena already */
    d->account_id = account_id;
    d->auth_time = auth_time;
    d->acr = acr;
    d->now_ms = now_ms;
    d->nonce = nonce ? yw_arena_strdup(a, nonce) : NULL;
    d->scopes = yw_arena_strdup(a, scopes);
    req->after_commit = finish_grant;
    req->after_id = (int64_t)(intptr_t)d; /* the arena outlives the step */
    return 0;
}

static int
gfail(struct yw_ident_grant_out *o, int status, const char *error, const char *desc)
{
    o->status = status;
    o->error = error;
    snprintf(o->desc, sizeof o->desc, "%s", desc);
    return 0;
}

static bool
pkce_ok(const char *challenge, const char *verifier)
{
    size_t n = verifier ? strlen(verifier) : 0;
    if (n < 43 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = verifier[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '.' || ch == '_' || ch == '~'))
            return false;
    }
    unsigned char h[32];
    if (yw_sha256(verifier, n, h))
        return false;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_ident__b64url(h, 32, &b);
    bool ok = b.n == strlen(challenge) && yw_ct_equal(b.p, challenge, b.n);
    yw_buf_release(&b);
    return ok;
}

static int
audit_login(struct yw_dbc *c, int64_t account_id, const char *action,
            const struct yw_ident_client_rec *cl, const char *scopes)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)account_id);
    json_t *sum = json_pack("{s:s, s:s}", "client_id", cl->client_id, "scopes", scopes);
    char *s = json_dumps(sum, JSON_COMPACT);
    json_decref(sum);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                       .role = "",
                                                       .action = action,
                                                       .obj_type = "client",
                                                       .obj_id = cl->client_id,
                                                       .summary = s });
    free(s);
    return rc;
}

int
yw_ident__grant_code(struct yw_req *req, struct yw_dbc *c, json_t *form,
                     const struct yw_ident_client_rec *cl, int64_t now_ms,
                     struct yw_ident_grant_out *o)
{
    if (!yw_ident__word_in(cl->grant_types, "authorization_code"))
        return gfail(o, 400, "unauthorized_client",
                     "this client is not registered for the authorization_code grant");
    const char *code = yw_ident__form_str(form, "code");
    const char *ruri = yw_ident__form_str(form, "redirect_uri");
    const char *verifier = yw_ident__form_str(form, "code_verifier");
    if (code == NULL || strlen(code) > 100)
        return gfail(o, 400, "invalid_request", "code is required");
    char hash[65];
    yw_sm3_hex(code, strlen(code), hash);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT client_id, account_id, session_hash, redirect_uri, scopes, "
                           "nonce, code_challenge, auth_time, acr, expires_at, used_at, grant_id "
                           "FROM oidc_codes WHERE code_hash = ?",
                           "s", hash);
    if (rc == YW_ENOTFOUND)
        return gfail(o, 400, "invalid_grant", "the code is not valid");
    if (rc)
        return rc;
    struct yw_arena *a = &req->arena;
    const char *client_id = yw_arena_strdup(a, yw_db_col_text(s, 0));
    int64_t account_id = yw_db_col_int(s, 1);
    const char *session = yw_arena_strdup(a, yw_db_col_text(s, 2));
    const char *stored_uri = yw_arena_strdup(a, yw_db_col_text(s, 3));
    const char *scopes = yw_arena_strdup(a, yw_db_col_text(s, 4));
    const char *nonce = yw_arena_strdup(a, yw_db_col_text(s, 5));
    const char *challenge = yw_arena_strdup(a, yw_db_col_text(s, 6));
    int64_t auth_time = yw_db_col_int(s, 7), acr = yw_db_col_int(s, 8), exp_ms = 0;
    yw_clock_parse(yw_db_col_text(s, 9), &exp_ms);
    bool used = !yw_db_col_null(s, 10);
    int64_t used_grant = yw_db_col_int(s, 11);
    yw_db_reset(s);
    if (strcmp(client_id, cl->client_id))
        return gfail(o, 400, "invalid_grant", "the code was issued to another client");
    if (used) {
        if (used_grant && (rc = yw_ident__grant_revoke(c, used_grant)))
            return rc;
        return gfail(o, 400, "invalid_grant",
                     "the code was already used; the tokens it gave are revoked");
    }
    if (now_ms >= exp_ms)
        return gfail(o, 400, "invalid_grant", "the code has expired");
    if (ruri == NULL || strcmp(ruri, stored_uri))
        return gfail(o, 400, "invalid_grant",
                     "redirect_uri must be the one the authorization request used");
    if (challenge[0] ? !pkce_ok(challenge, verifier) : verifier != NULL)
        return gfail(o, 400, "invalid_grant",
                     challenge[0] ? "the code_verifier does not match the code_challenge"
                                  : "the authorization request had no code_challenge");
    struct yw_ident_account acct;
    if ((rc = yw_ident_account_get(c, a, account_id, &acct)) && rc != YW_ENOTFOUND)
        return rc;
    if (rc || strcmp(acct.status, "active"))
        return gfail(o, 400, "invalid_grant", "the account is not active");
    char now[32];
    yw_clock_format(now_ms, now);
    /* the grant, then the code marked used by it - in one statement that
     * finds the code unused, or (another node's exchange won the race) the
     * grant goes again */
    int64_t grant_id = 0, changed = 0;
    if ((rc = yw_db_one_int(c, &grant_id,
                            "INSERT INTO oidc_grants (client_id, account_id, session_hash, scopes, "
                            "nonce, auth_time, acr, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id",
                            "sisssiis", cl->client_id, account_id, session, scopes, nonce,
                            auth_time, acr, now)) ||
        (rc = yw_db_run_changes(c, &changed,
                                "UPDATE oidc_codes SET used_at = ?, grant_id = ? WHERE code_hash = "
                                "? AND used_at IS NULL",
                                "sis", now, grant_id, hash)))
        return rc;
    if (changed != 1) {
        if ((rc = yw_db_run(c, "DELETE FROM oidc_grants WHERE id = ?", "i", grant_id)))
            return rc;
        return gfail(o, 400, "invalid_grant", "the code was already used");
    }
    if ((rc = issue_tokens(req, c, cl, account_id, grant_id, scopes, scopes, auth_time, acr, nonce,
                           now_ms)))
        return rc;
    if ((rc = audit_login(c, account_id, "oidc.login", cl, scopes)))
        return rc;
    json_t *ev = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "account_id", (json_int_t)account_id,
                           "subject_ident", acct.ident, "client_id", cl->client_id, "client_name",
                           cl->name, "dept", cl->dept, "scopes", scopes);
    rc = yw_events_publish(c, YW_EV_OIDC_LOGIN, ev, &req->err);
    json_decref(ev);
    if (rc)
        return rc;
    o->status = 200;
    return 0;
}

/* ---- the code grant in two steps (the token endpoint's usual way) ---- */

struct yw_ident_code_prep {
    char hash[65];          /* the code's SM3 */
    int64_t used_grant;     /* the code came back: what its first exchange gave (revoked) */
    const struct yw_ident_client_rec *cl;
    int64_t account_id, auth_time, acr, now_ms;
    const char *session, *scopes, *nonce, *ident;
    char at_key[YW_IDENT_TOKEN_KEY], rt_key[YW_IDENT_TOKEN_KEY];
    bool refresh;
};

int
yw_ident__code_prepare(struct yw_req *req, json_t *form, const struct yw_ident_client_rec *cl,
                       int64_t now_ms, struct yw_ident_grant_out *o,
                       struct yw_ident_code_prep **out)
{
    *out = NULL;
    struct yw_dbc *c = req->db;
    if (!yw_ident__word_in(cl->grant_types, "authorization_code"))
        return gfail(o, 400, "unauthorized_client",
                     "this client is not registered for the authorization_code grant");
    const char *code = yw_ident__form_str(form, "code");
    const char *ruri = yw_ident__form_str(form, "redirect_uri");
    const char *verifier = yw_ident__form_str(form, "code_verifier");
    if (code == NULL || strlen(code) > 100)
        return gfail(o, 400, "invalid_request", "code is required");
    struct yw_arena *a = &req->arena;
    struct yw_ident_code_prep *p = yw_arena_zalloc(a, sizeof *p);
    yw_sm3_hex(code, strlen(code), p->hash);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT client_id, account_id, session_hash, redirect_uri, scopes, "
                           "nonce, code_challenge, auth_time, acr, expires_at, used_at, grant_id "
                           "FROM oidc_codes WHERE code_hash = ?",
                           "s", p->hash);
    if (rc == YW_ENOTFOUND)
        return gfail(o, 400, "invalid_grant", "the code is not valid");
    if (rc)
        return rc;
    bool mine = !strcmp(yw_db_col_text(s, 0), cl->client_id);
    p->account_id = yw_db_col_int(s, 1);
    p->session = yw_arena_strdup(a, yw_db_col_text(s, 2));
    const char *stored_uri = yw_arena_strdup(a, yw_db_col_text(s, 3));
    p->scopes = yw_arena_strdup(a, yw_db_col_text(s, 4));
    p->nonce = yw_arena_strdup(a, yw_db_col_text(s, 5));
    const char *challenge = yw_arena_strdup(a, yw_db_col_text(s, 6));
    p->auth_time = yw_db_col_int(s, 7);
    p->acr = yw_db_col_int(s, 8);
    int64_t exp_ms = 0;
    yw_clock_parse(yw_db_col_text(s, 9), &exp_ms);
    bool used = !yw_db_col_null(s, 10);
    int64_t used_grant = yw_db_col_int(s, 11);
    yw_db_reset(s);
    if (!mine)
        return gfail(o, 400, "invalid_grant", "the code was issued to another client");
    if (used) {
        if (used_grant == 0)
            return gfail(o, 400, "invalid_grant",
                         "the code was already used; the tokens it gave are revoked");
        p->used_grant = used_grant; /* revoked in the transaction */
        *out = p;
        return 0;
    }
    if (now_ms >= exp_ms)
        return gfail(o, 400, "invalid_grant", "the code has expired");
    if (ruri == NULL || strcmp(ruri, stored_uri))
        return gfail(o, 400, "invalid_grant",
                     "redirect_uri must be the one the authorization request used");
    if (challenge[0] ? !pkce_ok(challenge, verifier) : verifier != NULL)
        return gfail(o, 400, "invalid_grant",
                     challenge[0] ? "the code_verifier does not match the code_challenge"
                                  : "the authorization request had no code_challenge");
    struct yw_ident_account acct;
    if ((rc = yw_ident_account_get(c, a, p->account_id, &acct)) && rc != YW_ENOTFOUND)
        return rc;
    if (rc || strcmp(acct.status, "active"))
        return gfail(o, 400, "invalid_grant", "the account is not active");
    p->ident = yw_arena_strdup(a, acct.ident);
    p->cl = cl;
    p->now_ms = now_ms;
    p->refresh = yw_ident__word_in(cl->grant_types, "refresh_token") && cl->refresh_ttl > 0;
    struct yw_ident_token_new at, rt;
    yw_ident__token_make("access", now_ms, &at);
    memcpy(p->at_key, at.key, sizeof p->at_key);
    if (p->refresh) {
        yw_ident__token_make("refresh", now_ms, &rt);
        memcpy(p->rt_key, rt.key, sizeof p->rt_key);
    }
    char *idt = NULL;
    rc = id_token(req, c, cl, p->account_id, p->auth_time, p->acr, p->nonce, p->scopes, at.token,
                  now_ms, true, &acct, &idt);
    if (rc == 0) {
        json_t *answer = json_pack("{s:s, s:s, s:I, s:s, s:s}", "access_token", at.token,
                                   "token_type", "Bearer", "expires_in",
                                   (json_int_t)cl->access_ttl, "scope", p->scopes, "id_token", idt);
        if (p->refresh)
            json_object_set_new(answer, "refresh_token", json_string(rt.token));
        yw_resp_header(req, "Cache-Control", "no-store");
        yw_resp_header(req, "Pragma", "no-cache");
        rc = yw_resp_json(req, 200, answer);
        if (rc == 0)
            *out = p;
    } else if (rc == YW_ENOTFOUND && idt == NULL && req->err.msg[0] == '\0') {
        rc = 0; /* no signing key yet: the grant goes whole to the transaction */
    }
    free(idt);
    yw_wipe(&at, sizeof at);
    yw_wipe(&rt, sizeof rt);
    return rc;
}

int
yw_ident__code_commit(struct yw_dbc *c, struct yw_ident_code_prep *p, struct yw_ident_grant_out *o)
{
    o->error = NULL;
    o->status = 0;
    int rc;
    if (p->used_grant) { /* RFC 9700 4.5: a code presented again revokes what it gave */
        if ((rc = yw_ident__grant_revoke(c, p->used_grant)))
            return rc;
        return gfail(o, 400, "invalid_grant",
                     "the code was already used; the tokens it gave are revoked");
    }
    const struct yw_ident_client_rec *cl = p->cl;
    char now[32];
    yw_clock_format(p->now_ms, now);
    /* the grant, then the code marked used by it - in one statement that
     * finds the code unused, or (another exchange won the race) the grant
     * goes again and what the winner got is revoked */
    int64_t grant_id = 0, changed = 0;
    if ((rc = yw_db_one_int(c, &grant_id,
                            "INSERT INTO oidc_grants (client_id, account_id, session_hash, scopes, "
                            "nonce, auth_time, acr, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id",
                            "sisssiis", cl->client_id, p->account_id, p->session, p->scopes,
                            p->nonce, p->auth_time, p->acr, now)) ||
        (rc = yw_db_run_changes(c, &changed,
                                "UPDATE oidc_codes SET used_at = ?, grant_id = ? WHERE code_hash = "
                                "? AND used_at IS NULL",
                                "sis", now, grant_id, p->hash)))
        return rc;
    if (changed != 1) {
        int64_t winner = 0;
        if ((rc = yw_db_run(c, "DELETE FROM oidc_grants WHERE id = ?", "i", grant_id)))
            return rc;
        rc = yw_db_one_int(c, &winner, "SELECT grant_id FROM oidc_codes WHERE code_hash = ?", "s",
                           p->hash);
        if (rc && rc != YW_ENOTFOUND)
            return rc;
        if (winner && (rc = yw_ident__grant_revoke(c, winner)))
            return rc;
        return gfail(o, 400, "invalid_grant",
                     "the code was already used; the tokens it gave are revoked");
    }
    if ((rc = yw_ident__token_store(c, p->at_key, "access", cl->client_id, p->account_id, grant_id,
                                    p->scopes, p->now_ms, cl->access_ttl)))
        return rc;
    if (p->refresh &&
        (rc = yw_ident__token_store(c, p->rt_key, "refresh", cl->client_id, p->account_id,
                                    grant_id, p->scopes, p->now_ms, cl->refresh_ttl)))
        return rc;
    if ((rc = audit_login(c, p->account_id, "oidc.login", cl, p->scopes)))
        return rc;
    json_t *ev = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "account_id",
                           (json_int_t)p->account_id, "subject_ident", p->ident, "client_id",
                           cl->client_id, "client_name", cl->name, "dept", cl->dept, "scopes",
                           p->scopes);
    struct yw_err err = { 0 };
    rc = yw_events_publish(c, YW_EV_OIDC_LOGIN, ev, &err);
    json_decref(ev);
    if (rc == 0)
        o->status = 200;
    return rc;
}

int
yw_ident__grant_refresh(struct yw_req *req, struct yw_dbc *c, json_t *form,
                        const struct yw_ident_client_rec *cl, int64_t now_ms,
                        struct yw_ident_grant_out *o)
{
    if (!yw_ident__word_in(cl->grant_types, "refresh_token"))
        return gfail(o, 400, "unauthorized_client",
                     "this client is not registered for the refresh_token grant");
    const char *token = yw_ident__form_str(form, "refresh_token");
    if (token == NULL || strlen(token) > 100)
        return gfail(o, 400, "invalid_request", "refresh_token is required");
    char hash[YW_IDENT_TOKEN_KEY];
    yw_ident__token_key(token, hash);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT t.kind, t.client_id, t.account_id, t.grant_id, t.scopes, "
                           "t.expires_at, t.status, g.auth_time, g.acr, g.revoked_at FROM "
                           "oidc_tokens t JOIN oidc_grants g ON g.id = t.grant_id WHERE "
                           "t.token_hash = ?",
                           "s", hash);
    if (rc == YW_ENOTFOUND)
        return gfail(o, 400, "invalid_grant", "the refresh token is not valid");
    if (rc)
        return rc;
    struct yw_arena *a = &req->arena;
    bool refresh = !strcmp(yw_db_col_text(s, 0), "refresh");
    bool mine = !strcmp(yw_db_col_text(s, 1), cl->client_id);
    int64_t account_id = yw_db_col_int(s, 2), grant_id = yw_db_col_int(s, 3);
    const char *scopes = yw_arena_strdup(a, yw_db_col_text(s, 4));
    int64_t exp_ms = 0;
    yw_clock_parse(yw_db_col_text(s, 5), &exp_ms);
    const char *status = yw_arena_strdup(a, yw_db_col_text(s, 6));
    int64_t auth_time = yw_db_col_int(s, 7), acr = yw_db_col_int(s, 8);
    bool grant_revoked = !yw_db_col_null(s, 9);
    yw_db_reset(s);
    if (!refresh || !mine)
        return gfail(o, 400, "invalid_grant", "the refresh token is not valid");
    if (!strcmp(status, "used")) {
        /* a rotated token came back: someone else holds one of them */
        if ((rc = yw_ident__grant_revoke(c, grant_id)))
            return rc;
        if ((rc = audit_login(c, account_id, "oidc.refresh_reuse", cl, scopes)))
            return rc;
        return gfail(o, 400, "invalid_grant",
                     "the refresh token was already used; every token of this login is revoked");
    }
    if (strcmp(status, "active") || grant_revoked)
        return gfail(o, 400, "invalid_grant", "the refresh token was revoked");
    if (now_ms >= exp_ms)
        return gfail(o, 400, "invalid_grant", "the refresh token has expired");
    const char *asked = yw_ident__form_str(form, "scope");
    const char *want = scopes;
    if (asked) {
        char *w = yw_arena_strdup(a, asked);
        for (char *save = NULL, *x = strtok_r(w, " ", &save); x; x = strtok_r(NULL, " ", &save))
            if (!yw_ident__word_in(scopes, x))
                return gfail(o, 400, "invalid_scope",
                             "a refresh may only narrow the scope of the login");
        want = asked;
    }
    struct yw_ident_account acct;
    if ((rc = yw_ident_account_get(c, a, account_id, &acct)) && rc != YW_ENOTFOUND)
        return rc;
    if (rc || strcmp(acct.status, "active"))
        return gfail(o, 400, "invalid_grant", "the account is not active");
    int64_t changed = 0;
    if ((rc = yw_db_run_changes(c, &changed,
                                "UPDATE oidc_tokens SET status = 'used' WHERE token_hash = ? AND "
                                "status = 'active'",
                                "s", hash)))
        return rc;
    if (changed != 1)
        return gfail(o, 400, "invalid_grant", "the refresh token was already used");
    if ((rc = issue_tokens(req, c, cl, account_id, grant_id, want, scopes, auth_time, acr, NULL,
                           now_ms)))
        return rc;
    if ((rc = audit_login(c, account_id, "oidc.refresh", cl, want)))
        return rc;
    o->status = 200;
    return 0;
}

/* ---- revocation (RFC 7009), after the client authenticated ---- */

int
yw_ident__revoke(struct yw_dbc *c, json_t *form, const struct yw_ident_client_rec *cl,
                 struct yw_ident_grant_out *o)
{
    const char *token = yw_ident__form_str(form, "token");
    if (token == NULL)
        return gfail(o, 400, "invalid_request", "token is required");
    o->status = 200; /* an unknown token is not an error (RFC 7009 2.2) */
    if (strlen(token) > 100)
        return 0;
    char hash[YW_IDENT_TOKEN_KEY];
    yw_ident__token_key(token, hash);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT kind, client_id, grant_id, account_id FROM oidc_tokens WHERE "
                           "token_hash = ?",
                           "s", hash);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    bool refresh = !strcmp(yw_db_col_text(s, 0), "refresh");
    bool mine = !strcmp(yw_db_col_text(s, 1), cl->client_id);
    int64_t grant_id = yw_db_col_int(s, 2), account_id = yw_db_col_int(s, 3);
    yw_db_reset(s);
    if (!mine)
        return 0; /* another client's token: not revoked, and not said */
    if (refresh && grant_id)
        rc = yw_ident__grant_revoke(c, grant_id);
    else
        rc = yw_db_run(c, "UPDATE oidc_tokens SET status = 'revoked' WHERE token_hash = ?", "s",
                       hash);
    if (rc == 0 && account_id)
        rc = yw_ident__cache_changed(c, account_id);
    if (rc)
        return rc;
    return audit_login(c, account_id, "oidc.revoke", cl,
                       refresh ? "refresh_token" : "access_token");
}
