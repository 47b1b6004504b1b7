/*
 * identity.h - accounts, sessions and roles: the one account every citizen,
 * company and staff member logs in with.
 *
 * Passwords are hashed with Argon2id (core/crypto.h; cost from the config
 * settings pwhash_ops / pwhash_mem) *outside* any database transaction, so a
 * slow hash never holds the write lock.  A session is a 256-bit random token
 * handed to the client once; only its SM3 hash is stored.  Browsers carry it
 * in an HttpOnly SameSite cookie and send the session's CSRF token in the
 * X-CSRF-Token header with every change; API clients send
 * `Authorization: Bearer TOKEN`.
 *
 * Every change (account created, login, failed login, logout, password
 * changed) writes its audit record in the same transaction.
 *
 * Tables identity owns: accounts, sessions, login_failures, person_profiles,
 * enterprise_profiles, enterprise_agents, phone_codes, oidc_clients, oidc_keys, oidc_codes,
 * oidc_grants, oidc_tokens, oidc_consents, oidc_jtis.  Other modules read them
 * only through this header (the readers at the end).
 */
#ifndef YW_IDENTITY_IDENTITY_H
#define YW_IDENTITY_IDENTITY_H

#include "db/db.h"
#include "http/http.h"

#include <stdbool.h>
#include <stdint.h>

extern const struct yw_module yw_identity_module;

/* Session cache lookups answered from memory and from the database (/metrics). */
void yw_ident_cache_stats(uint64_t *hits, uint64_t *misses);
/* Sessions the cache holds now, and its capacity (0: turned off or not started). */
void yw_ident_cache_size(int64_t *used, int64_t *slots);

struct yw_ident_staff {
    const char *username;
    const char *password;
    const char *name;
    const char *dept;  /* department code */
    const char *roles; /* "window_clerk,reviewer" */
    /* the department must be one of the catalog's (admin user add, POST
     * /admin/users); false for the demo's staff, seeded over any catalog */
    bool check_dept;
};

/* Create a staff account.  Validates every field (username [a-z0-9._-]{3,32},
 * password policy, known roles), hashes the password, then inserts it and its
 * audit record ("account.create" by `actor`) in one transaction.  Returns 0 and
 * the new id, YW_ECONFLICT when the username exists, or a validation error
 * with err naming the field. */
int yw_ident_staff_add(struct yw_app *app, const struct yw_ident_staff *s, const char *actor,
                       int64_t *id_out, struct yw_err *err);
/* Disable (active false) or enable a staff account by its username, in one
 * transaction with its audit record ("account.disable" / "account.enable" by
 * actor): a disabled account cannot log in, and its sessions are ended on every
 * node (deleted, and the session caches told - on PostgreSQL the commit waits
 * for the other nodes' confirmation when this process listens, see
 * yw_ident_cache_listen).  *ended: sessions ended.  0, YW_ENOTFOUND (err
 * filled) when there is no such staff account, or the database's error. */
int yw_ident_staff_set_active(struct yw_app *app, const char *username, bool active,
                              const char *actor, int64_t *ended, struct yw_err *err);
/* For a command-line process that changes sessions: start the session cache's
 * LISTEN connection (PostgreSQL) and wait up to timeout_ms until it listens, so
 * that a change waits for the serving nodes to confirm it.  True when it
 * listens (always false on SQLite, where there is no other node). */
bool yw_ident_cache_listen(struct yw_app *app, int timeout_ms);
void yw_ident_cache_unlisten(void);

enum yw_ident_kind {
    YW_IDENT_PERSON = 1,
    YW_IDENT_ENTERPRISE = 2
};

struct yw_ident_registration {
    enum yw_ident_kind kind;
    const char *ident; /* resident ID number (person) or credit code (enterprise) */
    const char *name;  /* person's or company's name */
    const char *phone;
    const char *password;
    const char *legal_rep_name; /* enterprise only */
    const char *legal_rep_id;   /* enterprise only: the representative's ID number */
};

/* Register a citizen or a company.  Validates the identifier (GB 11643 /
 * GB 32100, with a specific error code per rule), names, phone and password;
 * hashes the password; inserts account, profile and audit record
 * ("account.register") in one transaction.  YW_ECONFLICT when the identifier
 * already has an account. */
int yw_ident_register(struct yw_app *app, const struct yw_ident_registration *r, int64_t *id_out,
                      struct yw_err *err);

/* Set an applicant's real-name level (1..3) with the method that verified it
 * ("window": documents seen in person); audited.  `by` NULL = the system. */
int yw_ident_set_realname(struct yw_dbc *c, int64_t account_id, int level, const char *method,
                          const struct yw_principal *by, struct yw_err *err);

/* Password policy: 8..128 characters with at least two of lower case, upper
 * case, digits and other characters.  Returns 0 or YW_EFIELD with err. */
int yw_ident_password_check(const char *password, const char *field, struct yw_err *err);

/* Hash a password with the configured Argon2id cost. */
int yw_ident_password_hash(struct yw_app *app, const char *password, char out[128]);

/* Open a short session for account_id on c's open transaction, for a module
 * that has itself established who the person is (the self-service kiosk, once
 * the person confirmed the login on their phone).  The session ends ttl_s
 * seconds from now (or earlier on identity's idle limit); `where`
 * ("kiosk:K01") is stored as its user agent and in its "auth.login" audit
 * record.  token and csrf receive the secrets (the caller sets the cookies).
 * 0, YW_EINVAL for a bad account or ttl, or the write's error. */
int yw_ident_session_open(struct yw_dbc *c, int64_t account_id, int ttl_s, const char *ip,
                          const char *where, char token[64], char csrf[64]);

/* ---- readers for other modules ----
 *
 * Accounts change (status, phone, agents), so these read the tables on c each
 * time, inside the caller's transaction when it has one.  Each returns 0,
 * YW_ENOTFOUND when there is no such row, or the read's negative error code -
 * a failed read is never "not found". */

/* An account with its profile.  Strings are copied into arena a; a value the
 * account's kind does not have is "" (0 for realname_level). */
struct yw_ident_account {
    int64_t id;
    const char *kind;  /* "person", "enterprise" or "staff" */
    const char *login; /* ID number, credit code or staff username */
    const char *name;  /* person's or company's name */
    const char *phone;
    const char *status;         /* "active" or "disabled": callers check it */
    const char *dept_code;      /* staff: their department */
    const char *ident;          /* person: id_number; enterprise: uscc */
    const char *sex;            /* person: "M" or "F" */
    const char *birth_date;     /* person: YYYY-MM-DD */
    int realname_level;         /* person or enterprise: 1..3 */
    const char *legal_rep_name; /* enterprise */
    const char *legal_rep_id;   /* enterprise: the representative's ID number */
    bool phone_verified;        /* the holder proved `phone` by an SMS code (phone.c) */
};
/* Account `id` of any kind and status. */
int yw_ident_account_get(struct yw_dbc *c, struct yw_arena *a, int64_t id,
                         struct yw_ident_account *out);

/* The person or enterprise account whose login is `ident`, an ID number or a
 * credit code in its normalized form (yw_cnid_ident_normalize), filled as by
 * yw_ident_account_get.  Staff accounts are never found by it.  (Licenses
 * check the holder's name given at issue against it.) */
int yw_ident_account_by_ident(struct yw_dbc *c, struct yw_arena *a, const char *ident,
                              struct yw_ident_account *out);

/* The department code of staff account `id` (copied into a; "" when the
 * account has none).  YW_ENOTFOUND when id is not a staff account. */
int yw_ident_staff_dept(struct yw_dbc *c, struct yw_arena *a, int64_t id, const char **dept);

/* 0 when agent_id is an active (not revoked) agent of enterprise_id, else
 * YW_ENOTFOUND. */
int yw_ident_agent_active(struct yw_dbc *c, int64_t enterprise_id, int64_t agent_id);

/* The enterprises agent_id is an active agent of, ascending by id: *ids an
 * array in arena a (NULL when *n is 0).  0 with *n = 0 when there are none. */
int yw_ident_agent_enterprises(struct yw_dbc *c, struct yw_arena *a, int64_t agent_id,
                               int64_t **ids, size_t *n);

/* ---- the client registry (issue 13) ----
 *
 * Every system that calls ywtb with credentials of its own is a registered
 * client (admin: /api/v1/admin/clients).  A department system calls any API
 * with `Authorization: Bearer <access token>` from POST /oauth2/token
 * (grant_type=client_credentials); its principal is kind "system", roles
 * YW_ROLE_DEPT_SYSTEM, dept = the client's department, login = its
 * client_id, account_id 0.  Modules that keep a record of which system did
 * something keep the client_id (who->login) and read its name here. */
struct yw_ident_client {
    const char *client_id;
    const char *name;   /* the system's name, as registered */
    const char *dept;   /* its department's code */
    const char *kind;   /* "confidential" or "public" */
    const char *status; /* "active" or "disabled": callers check it */
    const char *scopes; /* the scopes it may ask for, space-separated */
};
/* Client client_id, strings copied into a: 0, YW_ENOTFOUND, or the read's error. */
int yw_ident_client_get(struct yw_dbc *c, struct yw_arena *a, const char *client_id,
                        struct yw_ident_client *out);

/* True when who is a department system whose access token carries scope. */
bool yw_ident_system_has_scope(const struct yw_principal *who, const char *scope);

#endif
