/*
 * internal.h - shared inside src/identity only.
 */
#ifndef YW_IDENTITY_INTERNAL_H
#define YW_IDENTITY_INTERNAL_H

#include "identity/identity.h"

#include <stddef.h>
#include <stdint.h>

/* "a,b" from role bits, in table order. */
void yw_ident__roles_format(uint32_t bits, char *out, size_t n);

/* sessions.c */
struct yw_ident_login_result {
    char token[64];
    char csrf[64];
    int64_t account_id;
    int64_t retry_after; /* refused by the lockout (YW_ELOCKED / YW_ERATE): seconds to wait */
};
int yw_ident__login(struct yw_app *app, const char *login, const char *password, const char *ip,
                    const char *user_agent, struct yw_ident_login_result *out, struct yw_err *err);
int yw_ident__logout(struct yw_dbc *c, const struct yw_principal *who);
int yw_ident__authenticate(struct yw_req *req, struct yw_principal *who);
int yw_ident__init_sessions(struct yw_app *app, struct yw_err *err);

/* lockout.c: the login lockout (see the file's header and ARCHITECTURE.md
 * "Login lockout").  Failures are counted per (login, address) pair, per login
 * and per address over login_window seconds. */
struct yw_ident_settings;
/* What the policy reads, under the per-login lock. */
struct yw_ident_lock_counts {
    int64_t pair;         /* failures (and pending attempts) of this login from this address */
    int64_t pair_last_ms; /* the latest of them */
    int64_t account;      /* failures of this login from every address */
    int64_t address;      /* failures from this address, every login */
    int64_t announced_ms; /* a pair with no failures: when it was told to wait (0: never) */
};
struct yw_ident_lock_verdict {
    int64_t wait_ms; /* 0: the attempt may be checked now */
    int64_t free;    /* failures the pair may make before waiting, under the ceilings now */
    int code;        /* when it must wait: YW_ELOCKED, or YW_ERATE (the address's ceiling) */
    bool announce;   /* remember that this pair was told to wait (a 'wait' row) */
};
/* The policy, a pure function of the counts and the time. */
void yw_ident__lockout_decide(const struct yw_ident_settings *cfg,
                              const struct yw_ident_lock_counts *n, int64_t now_ms,
                              struct yw_ident_lock_verdict *v);
/* The wait after a pair's failure number free + over + 1 (over >= 0):
 * login_delay doubled `over` times, at most login_delay_max (ms). */
int64_t yw_ident__lockout_delay_ms(const struct yw_ident_settings *cfg, int64_t over);

/* The address the lockout counts for client address ip: ip itself, an
 * IPv4-mapped IPv6 address as IPv4, any other IPv6 address as its /64
 * ("2001:db8:1:2::/64": one site's prefix, which its owner can fill with
 * addresses at will). */
void yw_ident__lockout_address(const char *ip, char out[64]);

/* One login attempt as the lockout saw it. */
struct yw_ident_attempt {
    int64_t id;          /* the reserved row; 0 when refused */
    int64_t pair;        /* failures of the pair before this attempt */
    int64_t free;        /* its free failures under the ceilings at the time */
    int64_t retry_after; /* refused: seconds to wait (> 0) */
    int code;            /* refused: YW_ELOCKED or YW_ERATE */
};
/* In one short write transaction of its own, under the login's and the
 * address's lock: read the counts, and either refuse the attempt
 * (a->retry_after > 0, nothing reserved) or reserve it as a pending failure
 * (a->id).  0, or the store's error with err filled ("cannot read the failed
 * logins": never an attempt let through because the counts could not be read). */
int yw_ident__lockout_reserve(struct yw_app *app, const char *login, const char *ip, int64_t now_ms,
                              struct yw_ident_attempt *a, struct yw_err *err);
/* client_lockout.c: the same policy for client secrets, counted in this
 * node's memory (see the file's header): reserve before the secret is
 * looked at (a->retry_after > 0: refused, nothing reserved), settle after. */
void yw_ident__client_lock_reserve(const struct yw_ident_settings *cfg, const char *client_id,
                                   const char *addr, int64_t now_ms, struct yw_ident_attempt *a);
void yw_ident__client_lock_settle(const struct yw_ident_settings *cfg, const char *client_id,
                                  const char *addr, const struct yw_ident_attempt *a, bool ok,
                                  int64_t now_ms);
/* Inside the caller's write transaction, after the password was checked:
 * ok clears the pair's rows; otherwise the reservation becomes a failure.
 * Also drops the login's rows older than the window.  0 or the store's error. */
int yw_ident__lockout_settle(struct yw_dbc *c, const struct yw_ident_settings *cfg,
                             const char *login, const char *ip, const struct yw_ident_attempt *a,
                             bool ok, int64_t now_ms);

/* cache.c: sessions kept in memory (see the file's header) */
int yw_ident__cache_start(struct yw_app *app, struct yw_err *err);
void yw_ident__cache_stop(void);
/* The generation to pass to the puts below: read it before reading the database. */
uint64_t yw_ident__cache_gen(void);
/* The cached principal of session key (token hash): strings copied into a. */
bool yw_ident__cache_get(const char *key, struct yw_arena *a, struct yw_principal *who,
                         int64_t *last_seen_ms, int64_t *expires_ms);
void yw_ident__cache_put(const char *key, uint64_t gen, const struct yw_principal *who,
                         int64_t last_seen_ms, int64_t expires_ms);
/* The session's cached GET /api/v1/me body (malloc'd copy) or NULL. */
char *yw_ident__cache_get_me(const char *key, size_t *len);
void yw_ident__cache_put_me(const char *key, uint64_t gen, const char *body, size_t len);
/* Inside a write transaction that changes a session, account or profile of
 * account_id: evict its entries after the commit, on every node. */
int yw_ident__cache_changed(struct yw_dbc *c, int64_t account_id);
/* Inside a write transaction that changes a registered client: the clients
 * kept in memory (client_cache.c) are forgotten after the commit, on every node. */
int yw_ident__clients_changed(struct yw_dbc *c);
/* The OIDC signing keys changed (a rotation): every node forgets its keys and
 * JWKS, acknowledged before the change is answered. */
int yw_ident__keys_changed(struct yw_dbc *c);
struct yw_ident_client_rec;
/* The caches may be trusted now (PostgreSQL: the listener is up). */
bool yw_ident__cache_trusted(void);

/* client_cache.c: registered clients kept in memory (see the file's header) */
/* As yw_ident__client_load, from memory when this node has the client. */
int yw_ident__client_cached(struct yw_dbc *c, struct yw_app *app, struct yw_arena *a,
                            const char *client_id, struct yw_ident_client_rec *out);
void yw_ident__client_cache_forget(void);

/* accounts.c */
/* Role names as a JSON array ("person"/"enterprise" first by kind). */
json_t *yw_ident__roles_json(const char *roles, const char *kind);
/* The account as its owner sees it, with its profile, into *out (the caller
 * owns it): 0, YW_ENOTFOUND when there is no such account, or the read's
 * error with err filled - never "not found" for a read that failed. */
int yw_ident__account_json(struct yw_dbc *c, int64_t id, json_t **out, struct yw_err *err);
/* The staff accounts (the first 1000 by id) as a JSON array into *out (the
 * caller owns it): 0 or the read's error - never an empty list for a failed
 * read. */
int yw_ident__staff_json(struct yw_dbc *c, json_t **out);

/* agents.c */
int yw_ident__password_change(struct yw_app *app, const struct yw_principal *who,
                              const char *old_pw, const char *new_pw, struct yw_err *err);
/* The window resets an applicant's password after checking who they are in
 * person: a new temporary password (12 characters, NUL-terminated into temp)
 * that the clerk hands over; every session of the account ends and its failed
 * logins are forgotten; audited.  YW_ENOTFOUND for staff or no such account. */
/* phone.c: one-time codes by SMS - verify the phone, reset a forgotten password */
int yw_ident__h_phone_code(struct yw_req *req);
int yw_ident__h_phone_verify(struct yw_req *req);
int yw_ident__h_reset_code(struct yw_req *req);
int yw_ident__h_reset(struct yw_req *req);
int yw_ident__password_reset(struct yw_app *app, int64_t account_id, const struct yw_principal *by,
                             char temp[16], struct yw_err *err);
int yw_ident__agent_add(struct yw_dbc *c, const struct yw_principal *company, const char *id_number,
                        const char *name, int64_t *agent_id, struct yw_err *err);
int yw_ident__agent_revoke(struct yw_dbc *c, const struct yw_principal *company, int64_t agent_id,
                           struct yw_err *err);
/* Lists as JSON arrays (the caller owns them): a company's active agents, the
 * companies a person is an agent of, applicants matching a staff search.
 * NULL when the read fails: the caller answers 500, never an empty list. */
json_t *yw_ident__agents_json(struct yw_dbc *c, int64_t company_id);
json_t *yw_ident__agent_of_json(struct yw_dbc *c, int64_t person_id);
json_t *yw_ident__accounts_lookup(struct yw_dbc *c, const char *q, int64_t limit);

/* ---- the client registry and the OpenID Connect provider (issue 13) ---- */

/* Token prefixes: what a bearer token is, seen before any lookup. */
#define YW_IDENT_AT_PREFIX "ywat."
#define YW_IDENT_RT_PREFIX "ywrt."
/* The ID token algorithm for systems that require the national algorithms:
 * SM2 signatures over SM3 (no JOSE registration exists; see ARCHITECTURE.md). */
#define YW_IDENT_ALG_SM2 "SM2SM3"

/* clients.c: a registered client as stored (strings in the arena). */
struct yw_ident_client_rec {
    const char *client_id, *name, *dept, *kind, *secret_hash;
    const char *redirect_uris, *logout_uris; /* JSON arrays as text */
    const char *scopes, *grant_types;        /* space-separated */
    int64_t access_ttl, refresh_ttl, min_acr;
    const char *id_token_alg;
    bool full_id_number;
    const char *status, *created_at, *updated_at, *secret_at;
    const char *jwks; /* JSON text of its public keys (private_key_jwt), "" for none */
    bool pairwise;    /* subject_type "pairwise": sub per sector (oidc_subject.c) */
    const char *sector; /* its sector_identifier as registered ("" = its redirect URIs' host) */
};
/* 0, YW_ENOTFOUND (also for an id that cannot be one), or the read's error. */
int yw_ident__client_load(struct yw_dbc *c, struct yw_arena *a, const char *client_id,
                          struct yw_ident_client_rec *out);
json_t *yw_ident__client_json(const struct yw_ident_client_rec *cl);
/* The secret's SM3 against the stored one, in constant time. */
bool yw_ident__secret_matches(const struct yw_ident_client_rec *cl, const char *secret);
bool yw_ident__redirect_uri_ok(const char *uri);
extern const struct yw_field yw_ident__client_body[];
int yw_ident__h_client_add(struct yw_req *req);
int yw_ident__h_client_list(struct yw_req *req);
int yw_ident__h_client_get(struct yw_req *req);
int yw_ident__h_client_put(struct yw_req *req);
int yw_ident__h_client_secret(struct yw_req *req);
int yw_ident__h_client_disable(struct yw_req *req);
int yw_ident__h_client_enable(struct yw_req *req);

/* oauth.c: what the OAuth endpoints share. */
/* The RFC 6749 5.2 error body {"error", "error_description"} with status
 * (Cache-Control: no-store; a 401 to Basic credentials says so in
 * WWW-Authenticate).  Returns 0: the handler's answer is this response. */
int yw_ident__oauth_error(struct yw_req *req, int status, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* req->raw_body (application/x-www-form-urlencoded) as a JSON object of
 * strings into *out (the caller owns it); an empty value counts as absent.
 * YW_EMEDIA or YW_EINVAL with *why: another content type, a broken escape,
 * text that is not UTF-8, a parameter given twice. */
int yw_ident__form_parse(struct yw_req *req, json_t **out, const char **why);
const char *yw_ident__form_str(json_t *form, const char *name);
enum {
    YW_IDENT_AUTH_NONE = 0,
    YW_IDENT_AUTH_BASIC,
    YW_IDENT_AUTH_POST,
    YW_IDENT_AUTH_JWT /* private_key_jwt */
};
struct yw_ident_creds {
    const char *client_id; /* NULL when the request names no client */
    const char *secret;    /* NULL when none was sent */
    const char *assertion; /* private_key_jwt: the client_assertion (unverified) */
    int method;            /* YW_IDENT_AUTH_* */
};
/* The client's credentials from Authorization: Basic, the body's secret or its
 * client_assertion (private_key_jwt, whose sub names the client): YW_EINVAL
 * with *why when they are malformed or sent both ways. */
int yw_ident__client_creds(struct yw_req *req, json_t *form, struct yw_ident_creds *out,
                           const char **why);
/* word is one of the space-separated words of list. */
bool yw_ident__word_in(const char *list, const char *word);
/* 1..64 of A-Z a-z 0-9 - _ . */
bool yw_ident__client_id_ok(const char *id);

/* What a grant at the token endpoint came to. */
struct yw_ident_grant_out {
    int status;        /* 200, or the error's HTTP status */
    const char *error; /* NULL: success */
    char desc[200];    /* the error's description */
    json_t *answer;    /* success: the token response (owned) */
};

/* oidc_token.c */
/* The key a token (access or refresh) is stored under: for a token of the
 * form prefix + 12 hex digits of its issue time (ms) + random, those digits,
 * '.', and the token's SM3 (hex) - so new rows go to the end of the index
 * instead of a random page (fewer pages written per commit); for any other
 * token its SM3 alone.  Never the token itself. */
#define YW_IDENT_TOKEN_KEY 80
void yw_ident__token_key(const char *token, char key[YW_IDENT_TOKEN_KEY]);
int yw_ident__h_revoke(struct yw_req *req);
int yw_ident__h_token(struct yw_req *req);
/* A new token of kind "access" or "refresh": made (random, no store) ... */
struct yw_ident_token_new {
    char token[80];
    char key[YW_IDENT_TOKEN_KEY]; /* yw_ident__token_key of token: what is stored */
};
void yw_ident__token_make(const char *kind, int64_t now_ms, struct yw_ident_token_new *t);
/* ... and stored by its key (inside the caller's write transaction). */
int yw_ident__token_store(struct yw_dbc *c, const char *key, const char *kind,
                          const char *client_id, int64_t account_id, int64_t grant_id,
                          const char *scopes, int64_t now_ms, int64_t ttl_s);
/* A new token of kind "access" or "refresh" (its hash stored) into token. */
int yw_ident__token_insert(struct yw_dbc *c, const char *kind, const char *client_id,
                           int64_t account_id, int64_t grant_id, const char *scopes, int64_t now_ms,
                           int64_t ttl_s, char token[80]);
/* The authenticator for a bearer token with YW_IDENT_AT_PREFIX: a
 * department system's principal, or YW_EAUTH. */
int yw_ident__token_authenticate(struct yw_req *req, const char *token, struct yw_principal *who);
/* POST /api/v1/auth/logout by a department system: its access token is revoked. */
int yw_ident__token_revoke_self(struct yw_dbc *c, const struct yw_principal *who);

/* oidc_code.c: grants inside the token endpoint's write transaction.  0 with
 * o filled (o->error for an OAuth error, which commits only what it must:
 * a reused code's or refresh token's revocation), or the store's error. */
int yw_ident__grant_code(struct yw_req *req, struct yw_dbc *c, json_t *form,
                         const struct yw_ident_client_rec *cl, int64_t now_ms,
                         struct yw_ident_grant_out *o);
/* The same grant in two steps, so that the group commit's one thread only
 * writes.  yw_ident__code_prepare, on the HTTP worker (c its connection, no
 * transaction): the code read and checked (client, expiry, redirect_uri,
 * PKCE, the account), the tokens made, the ID token signed and the answer
 * set in req; o->error when refused with nothing to write; *out NULL and no
 * error when there is no signing key yet (then yw_ident__grant_code in the
 * transaction makes one).  yw_ident__code_commit, in the group commit: the
 * code's one use (a code used meanwhile revokes what it gave, RFC 9700
 * 4.5), the grant, the tokens, the audit record and oidc.login. */
struct yw_ident_code_prep;
int yw_ident__code_prepare(struct yw_req *req, json_t *form, const struct yw_ident_client_rec *cl,
                           int64_t now_ms, struct yw_ident_grant_out *o,
                           struct yw_ident_code_prep **out);
int yw_ident__code_commit(struct yw_dbc *c, struct yw_ident_code_prep *p,
                          struct yw_ident_grant_out *o);
int yw_ident__grant_refresh(struct yw_req *req, struct yw_dbc *c, json_t *form,
                            const struct yw_ident_client_rec *cl, int64_t now_ms,
                            struct yw_ident_grant_out *o);
int yw_ident__revoke(struct yw_dbc *c, json_t *form, const struct yw_ident_client_rec *cl,
                     struct yw_ident_grant_out *o);
/* The claims scopes release about account_id to cl, into out; YW_ENOTFOUND
 * when the account is gone or not active. */
int yw_ident__claims(struct yw_app *app, struct yw_dbc *c, struct yw_arena *a, int64_t account_id,
                     const char *scopes, const struct yw_ident_client_rec *cl, json_t *out);
/* End grants and every token they gave: one, a person's at one client, or
 * those made in one ywtb session (its logout). */
int yw_ident__grant_revoke(struct yw_dbc *c, int64_t grant_id);
int yw_ident__grants_revoke_person(struct yw_dbc *c, int64_t account_id, const char *client_id);
int yw_ident__grants_revoke_session(struct yw_dbc *c, const char *session_hash);
int yw_ident__h_userinfo(struct yw_req *req);

/* oidc_authorize.c */
const char *yw_ident__issuer(struct yw_req *req); /* base URL, no trailing slash */
/* name=value, the value percent-encoded (RFC 3986 unreserved kept). */
void yw_ident__url_add(struct yw_buf *b, const char *name, const char *value);
int yw_ident__h_authorize(struct yw_req *req);
int yw_ident__h_authorization_show(struct yw_req *req);
int yw_ident__h_authorization_decide(struct yw_req *req);
int yw_ident__h_me_sso(struct yw_req *req);
int yw_ident__h_me_sso_withdraw(struct yw_req *req);

/* oidc_keys.c */
void yw_ident__b64url(const void *data, size_t n, struct yw_buf *out);
int yw_ident__unb64url(const char *s, size_t n, struct yw_buf *out);
/* A JWS of payload with the active key of alg ("ES256" or YW_IDENT_ALG_SM2),
 * made when there is none (c in a write transaction then): *out malloc'd. */
int yw_ident__jws_sign(struct yw_app *app, struct yw_dbc *c, const char *alg, json_t *payload,
                       char **out, struct yw_err *err);
/* The same with a key that exists: YW_ENOTFOUND when alg has no active key
 * yet (nothing is made: c needs no transaction). */
int yw_ident__jws_sign_existing(struct yw_app *app, struct yw_dbc *c, const char *alg,
                                json_t *payload, char **out, struct yw_err *err);
/* alg's active key loaded (made when there is none: c in a write
 * transaction), so that a signature after the commit finds it. */
int yw_ident__jws_ready(struct yw_app *app, struct yw_dbc *c, const char *alg, struct yw_err *err);
/* Verify jwt against the published key its kid names: 0 and its payload
 * (the caller owns it), YW_EINVAL when it is not one of ours, or the store's error. */
int yw_ident__jws_verify(struct yw_dbc *c, const char *jwt, json_t **payload);
/* A client's public key as registered: an EC P-256 JWK without "d" whose
 * point is on the curve ("use" sig, "alg" ES256 and a kid of 1..64 allowed). */
bool yw_ident__client_jwk_ok(json_t *jwk);
/* Verify a client's ES256 JWS against its registered JWK Set (text): the key
 * its kid names, or each key when it names none.  0 and its payload (the
 * caller owns it), or YW_EINVAL. */
int yw_ident__jws_verify_client(const char *jwt, const char *jwks_text, json_t **payload);
/* The published keys {"keys": [...]} into *out (the caller owns it) and, in
 * *changes_ms, when the set changes next by itself (a retired key's
 * published_until; INT64_MAX: not by itself). */
int yw_ident__jwks_json(struct yw_app *app, struct yw_dbc *c, json_t **out, int64_t *changes_ms,
                        struct yw_err *err);
/* Retire alg's active key and make a new one (audited), in c's write transaction. */
int yw_ident__keys_rotate(struct yw_app *app, struct yw_dbc *c, const char *alg, const char *actor,
                          char new_kid[17], struct yw_err *err);
void yw_ident__keys_forget(void);
/* Every signing key, oldest first: kid, alg, state ("active"; "published":
 * retired, still in the JWKS; "retired"), created_at, retired_at,
 * published_until ("" when none) - into *out (the caller owns it). */
int yw_ident__keys_list(struct yw_dbc *c, json_t **out);
/* The module's sealed_keys hook (http.h): the OpenID provider's signing keys. */
int yw_ident__sealed_keys(struct yw_dbc *c, const char **what);
/* 32 bytes derived from the server's secret key for one purpose (label):
 * HMAC-SHA256(secret, label).  0 or YW_ECONFIG with err. */
int yw_ident__secret_derive(struct yw_app *app, const char *label, unsigned char out[32],
                            struct yw_err *err);

/* oidc_subject.c: the sub a client sees for a person (OpenID Connect Core 8) */
#define YW_IDENT_SUB_MAX 64
/* public: the account's id; pairwise: base64url(HMAC-SHA256(k, sector "\n" id)),
 * k derived from the server's secret key.  0 or YW_ECONFIG / YW_EINVAL with err. */
int yw_ident__subject(struct yw_app *app, const struct yw_ident_client_rec *cl, int64_t account_id,
                      char out[YW_IDENT_SUB_MAX], struct yw_err *err);
/* A sector identifier as registered: a host name. */
bool yw_ident__sector_ok(const char *host);
/* The one host the redirect URIs (JSON text) share, into host: 0,
 * YW_ENOTFOUND when there are none, YW_ECONFLICT when they name several. */
int yw_ident__uris_host(const char *uris_json, char host[256]);

/* oidc_discovery.c */
int yw_ident__h_discovery(struct yw_req *req);
int yw_ident__h_jwks(struct yw_req *req);
int yw_ident__h_end_session(struct yw_req *req);
int yw_ident__h_keys_rotate(struct yw_req *req);
/* Forget the JWKS kept in memory (a key was made or retired). */
void yw_ident__discovery_forget(void);

#endif
