/*
 * routes.c - HTTP routes of the identity module.
 *
 *   POST /api/v1/auth/register   a citizen (ID number) or a company (credit code) signs up
 *   POST /api/v1/auth/login      {login, password} -> {token, csrf_token, account} + cookie
 *   POST /api/v1/auth/logout
 *   GET  /api/v1/me              the caller's account and profile (一人一档 starts here);
 *                                for a department system, which client it is
 *   POST /api/v1/me/password     change password; ends every other session
 *   POST /api/v1/me/phone/code, /verify; POST /api/v1/auth/password-reset/code, /password-reset
 *                                verify one's mobile by SMS; reset a forgotten password (phone.c)
 *   GET/POST /api/v1/enterprise/agents, DELETE .../{id}   a company's authorized agents (经办人)
 *   POST /api/v1/admin/users     create a staff account (admin)
 *   GET  /api/v1/admin/users     list staff accounts (admin)
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/log.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

static int
h_register(struct yw_req *req)
{
    const char *kind = yw_body_str(req, "kind");
    struct yw_ident_registration r = {
        .name = yw_body_str(req, "name"),
        .phone = yw_body_str(req, "phone"),
        .password = yw_body_str(req, "password"),
        .legal_rep_name = yw_body_str(req, "legal_rep_name"),
        .legal_rep_id = yw_body_str(req, "legal_rep_id"),
    };
    if (!strcmp(kind, "person")) {
        r.kind = YW_IDENT_PERSON;
        r.ident = yw_body_str(req, "id_number");
        static const char *const company_only[] = { "uscc", "legal_rep_name", "legal_rep_id" };
        for (size_t i = 0; i < 3; i++)
            if (yw_body_has(req, company_only[i]))
                return yw_fail(&req->err, YW_EUNKNOWN, company_only[i],
                               "a person registers with id_number, not %s", company_only[i]);
    } else if (!strcmp(kind, "enterprise")) {
        r.kind = YW_IDENT_ENTERPRISE;
        r.ident = yw_body_str(req, "uscc");
        if (yw_body_has(req, "id_number"))
            return yw_fail(&req->err, YW_EUNKNOWN, "id_number",
                           "a company registers with uscc; the "
                           "representative's number goes in legal_rep_id");
    } else {
        return yw_fail(&req->err, YW_EFIELD, "kind", "kind must be 'person' or 'enterprise'");
    }
    int64_t id = 0;
    int rc = yw_ident_register(req->app, &r, &id, &req->err);
    if (rc)
        return rc;
    json_t *acct = NULL;
    if ((rc = yw_ident__account_json(req->db, id, &acct, &req->err)))
        return rc == YW_ENOTFOUND
                   ? yw_fail(&req->err, YW_EDB, "", "the account was made but cannot be read back")
                   : rc;
    return yw_resp_json(req, 201, json_pack("{s:o}", "account", acct));
}

static int
h_login(struct yw_req *req)
{
    struct yw_ident_login_result r;
    int rc = yw_ident__login(req->app, yw_body_str(req, "login"), yw_body_str(req, "password"),
                             req->client_ip, yw_req_header(req, "User-Agent"), &r, &req->err);
    if (rc && r.retry_after > 0) { /* refused by the lockout: when to come back */
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)r.retry_after);
        yw_resp_header(req, "Retry-After", ra);
    }
    if (rc)
        return rc;
    json_t *acct = NULL;
    if ((rc = yw_ident__account_json(req->db, r.account_id, &acct, &req->err)))
        return rc == YW_ENOTFOUND ? yw_fail(&req->err, YW_EDB, "", "cannot read the account") : rc;
    const char *proto = yw_req_header(req, "X-Forwarded-Proto");
    bool secure = req->app->cfg->trust_proxy && proto && !strcasecmp(proto, "https");
    char cookie[256];
    snprintf(cookie, sizeof cookie,
             "ywtb_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", r.token,
             (long long)yw_ident_cfg(req->app)->session_max, secure ? "; Secure" : "");
    yw_resp_header(req, "Set-Cookie", cookie);
    /* a marker the pages can read (no secret in it): only with it do they ask
     * GET /me, so an anonymous visitor's console has no 401 on every page */
    snprintf(cookie, sizeof cookie, "ywtb_in=1; Path=/; SameSite=Lax; Max-Age=%lld%s",
             (long long)yw_ident_cfg(req->app)->session_max, secure ? "; Secure" : "");
    yw_resp_header(req, "Set-Cookie", cookie);
    json_t *body = json_pack("{s:s, s:s, s:s, s:I, s:o}", "token", r.token, "csrf_token", r.csrf,
                             "token_type", "Bearer", "expires_in",
                             (json_int_t)yw_ident_cfg(req->app)->session_max, "account", acct);
    return yw_resp_json(req, 200, body);
}

static int
h_logout(struct yw_req *req)
{
    int rc = yw_ident__logout(req->db, req->who);
    if (rc)
        return rc;
    yw_resp_header(req, "Set-Cookie", "ywtb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    yw_resp_header(req, "Set-Cookie", "ywtb_in=; Path=/; SameSite=Lax; Max-Age=0");
    return yw_resp_json(req, 200, json_pack("{s:b}", "logged_out", 1));
}

/* The caller's own account: from the session cache when it has the body
 * (cache.c evicts it whenever the account, its profile or agents change). */
static int
h_me(struct yw_req *req)
{
    if (req->who->roles & YW_ROLE_DEPT_SYSTEM) /* a department system: who it is */
        return yw_resp_json(req, 200,
                            json_pack("{s:{s:s, s:s, s:s, s:[s], s:s}}", "system", "client_id",
                                      req->who->login, "name", req->who->name, "dept",
                                      req->who->dept, "roles", "dept_system", "scope",
                                      req->who->scopes ? req->who->scopes : ""));
    size_t len = 0;
    char *body = yw_ident__cache_get_me(req->who->session, &len);
    if (body)
        return yw_resp_take(req, 200, "application/json; charset=utf-8", body, len);
    uint64_t gen = yw_ident__cache_gen();
    json_t *acct = NULL;
    int rc = yw_ident__account_json(req->db, req->who->account_id, &acct, &req->err);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "your account no longer exists");
    if (rc)
        return rc;
    json_object_set_new(acct, "csrf_token", json_string(req->who->csrf));
    if (req->who->roles & YW_ROLE_PERSON) {
        json_t *of = yw_ident__agent_of_json(req->db, req->who->account_id);
        if (of == NULL) {
            json_decref(acct);
            return yw_fail(&req->err, YW_EDB, "", "cannot read the companies you are an agent of");
        }
        json_object_set_new(acct, "agent_for", of);
    }
    rc = yw_resp_json(req, 200, json_pack("{s:o}", "account", acct));
    if (rc == 0)
        rc = yw_resp_bytes(req); /* the bytes the cache keeps */
    if (rc == 0)
        yw_ident__cache_put_me(req->who->session, gen, req->resp_body, req->resp_len);
    return rc;
}

static int
h_password(struct yw_req *req)
{
    int rc = yw_ident__password_change(req->app, req->who, yw_body_str(req, "old_password"),
                                       yw_body_str(req, "new_password"), &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:b}", "changed", 1));
}

static int
h_agents(struct yw_req *req)
{
    json_t *list = yw_ident__agents_json(req->db, req->who->account_id);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the company's agents");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

static int
h_agent_add(struct yw_req *req)
{
    int64_t id = 0;
    int rc = yw_ident__agent_add(req->db, req->who, yw_body_str(req, "id_number"),
                                 yw_body_str(req, "name"), &id, &req->err);
    if (rc)
        return rc;
    json_t *list = yw_ident__agents_json(req->db, req->who->account_id);
    if (list == NULL) /* the write transaction rolls back: nothing was authorized */
        return yw_fail(&req->err, YW_EDB, "", "cannot read the company's agents");
    return yw_resp_json(req, 201,
                        json_pack("{s:I, s:o}", "agent_id", (json_int_t)id, "items", list));
}

static int
h_agent_revoke(struct yw_req *req)
{
    const char *p = yw_req_param(req, "id");
    char *end;
    long long id = strtoll(p, &end, 10);
    if (*end || id <= 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such agent");
    int rc = yw_ident__agent_revoke(req->db, req->who, id, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:b}", "revoked", 1));
}

static int
h_accounts(struct yw_req *req)
{
    const char *q = yw_req_query(req, "q");
    if (q == NULL || strlen(q) < 2 || strlen(q) > 64)
        return yw_fail(&req->err, YW_EFIELD, "q",
                       "search by an ID number, a credit code or a name (2 to 64 characters)");
    json_t *list = yw_ident__accounts_lookup(req->db, q, 20);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "the applicant search failed");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

/* The whole record of an applicant, for staff whose work needs it; the read
 * itself is audited ("account.view") in the same transaction. */
static int
h_account_view(struct yw_req *req)
{
    const char *p = yw_req_param(req, "id");
    char *end;
    long long id = strtoll(p, &end, 10);
    if (*end || id <= 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such account");
    json_t *acct = NULL;
    int rc = yw_ident__account_json(req->db, id, &acct, &req->err);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    if (rc || !strcmp(json_string_value(json_object_get(acct, "kind")), "staff")) {
        json_decref(acct);
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such account");
    }
    char actor[24], obj[24], role[64];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    snprintf(obj, sizeof obj, "%lld", id);
    yw_ident__roles_format(req->who->roles, role, sizeof role);
    rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                         .role = role,
                                                         .action = "account.view",
                                                         .obj_type = "account",
                                                         .obj_id = obj,
                                                         .summary = "{}" });
    if (rc) {
        json_decref(acct);
        return rc;
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "account", acct));
}

static int
h_realname(struct yw_req *req)
{
    char *end;
    long long id = strtoll(yw_req_param(req, "id"), &end, 10);
    if (*end || id <= 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such account");
    json_t *lv = json_object_get(req->body, "level");
    int rc = yw_ident_set_realname(req->db, id, (int)json_integer_value(lv),
                                   yw_body_str(req, "method"), req->who, &req->err);
    if (rc)
        return rc;
    json_t *acct = NULL;
    if ((rc = yw_ident__account_json(req->db, id, &acct, &req->err))) /* the change rolls back */
        return rc == YW_ENOTFOUND ? yw_fail(&req->err, YW_EDB, "", "cannot read the account back")
                                  : rc;
    return yw_resp_json(req, 200, json_pack("{s:o}", "account", acct));
}

/* The window resets a person's or a company's password after an in-person
 * check: the answer carries the temporary password, once. */
static int
h_password_reset(struct yw_req *req)
{
    char *end;
    long long id = strtoll(yw_req_param(req, "id"), &end, 10);
    if (*end || id <= 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such account");
    char temp[16];
    int rc = yw_ident__password_reset(req->app, id, req->who, temp, &req->err);
    if (rc)
        return rc;
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:b}", "temporary_password", temp, "sessions_ended", 1));
}

static int
h_user_add(struct yw_req *req)
{
    json_t *roles = json_object_get(req->body, "roles");
    struct yw_buf rl;
    yw_buf_init(&rl);
    size_t i;
    json_t *v;
    json_array_foreach(roles, i, v)
    {
        if (!json_is_string(v)) {
            yw_buf_release(&rl);
            return yw_fail(&req->err, YW_EFIELD, "roles", "roles must be a list of role names");
        }
        if (rl.n)
            yw_buf_addc(&rl, ',');
        yw_buf_adds(&rl, json_string_value(v));
    }
    struct yw_ident_staff s = {
        .username = yw_body_str(req, "username"),
        .password = yw_body_str(req, "password"),
        .name = yw_body_str(req, "name"),
        .dept = yw_body_str(req, "dept"),
        .roles = rl.p ? rl.p : "",
        .check_dept = true,
    };
    int64_t id = 0;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    int rc = yw_ident_staff_add(req->app, &s, actor, &id, &req->err);
    yw_buf_release(&rl);
    if (rc)
        return rc;
    json_t *acct = NULL;
    if ((rc = yw_ident__account_json(req->db, id, &acct, &req->err)))
        return rc == YW_ENOTFOUND
                   ? yw_fail(&req->err, YW_EDB, "", "the account was made but cannot be read back")
                   : rc;
    return yw_resp_json(req, 201, json_pack("{s:o}", "account", acct));
}

static int
h_user_list(struct yw_req *req)
{
    json_t *list = NULL;
    int rc = yw_ident__staff_json(req->db, &list);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

static const struct yw_field register_body[] = {
    { "kind", YW_F_STRING, true, 16 },
    { "id_number", YW_F_STRING, false, 32 },
    { "uscc", YW_F_STRING, false, 32 },
    { "name", YW_F_STRING, true, 100 },
    { "phone", YW_F_STRING, true, 20 },
    { "password", YW_F_STRING, true, 128 },
    { "legal_rep_name", YW_F_STRING, false, 32 },
    { "legal_rep_id", YW_F_STRING, false, 32 },
    { NULL, 0, false, 0 },
};

static const struct yw_field password_body[] = {
    { "old_password", YW_F_STRING, true, 1024 },
    { "new_password", YW_F_STRING, true, 128 },
    { NULL, 0, false, 0 },
};

static const struct yw_field agent_body[] = {
    { "id_number", YW_F_STRING, true, 32 },
    { "name", YW_F_STRING, true, 32 },
    { NULL, 0, false, 0 },
};

static const struct yw_field realname_body[] = {
    { "level", YW_F_INT, true, 0 },
    { "method", YW_F_STRING, true, 40 },
    { NULL, 0, false, 0 },
};

static const struct yw_field login_body[] = {
    { "login", YW_F_STRING, true, 64 },
    { "password", YW_F_STRING, true, 1024 },
    { NULL, 0, false, 0 },
};

static const struct yw_field user_body[] = {
    { "username", YW_F_STRING, true, 32 }, { "password", YW_F_STRING, true, 128 },
    { "name", YW_F_STRING, true, 64 },     { "dept", YW_F_STRING, false, 32 },
    { "roles", YW_F_ARRAY, true, 16 },     { NULL, 0, false, 0 },
};

static const struct yw_field sso_decide_body[] = {
    { "params", YW_F_OBJECT, true, 0 },
    { "decision", YW_F_STRING, true, 8 },
    { NULL, 0, false, 0 },
};

static const struct yw_field keys_rotate_body[] = {
    { "alg", YW_F_STRING, false, 16 },
    { NULL, 0, false, 0 },
};

/* phone.c (issue 15) */
static const struct yw_field phone_verify_body[] = {
    { "code", YW_F_STRING, true, 16 },
    { NULL, 0, false, 0 },
};

static const struct yw_field reset_code_body[] = {
    { "login", YW_F_STRING, true, 64 },
    { NULL, 0, false, 0 },
};

static const struct yw_field reset_body[] = {
    { "login", YW_F_STRING, true, 64 },
    { "code", YW_F_STRING, true, 16 },
    { "new_password", YW_F_STRING, true, 128 },
    { NULL, 0, false, 0 },
};

static const struct yw_route routes[] = {
    { "POST", "/api/v1/auth/register", h_register, 0, YW_R_PUBLIC | YW_R_SLOW, register_body,
      "register a citizen or a company", 20 },
    { "POST", "/api/v1/auth/login", h_login, 0, YW_R_PUBLIC | YW_R_SLOW, login_body,
      "log in with ID number, credit code or username" },
    { "POST", "/api/v1/auth/logout", h_logout, 0, YW_R_BATCH, NULL, "end this session" },
    { "GET", "/api/v1/me", h_me, 0, 0, NULL, "the caller's account" },
    { "POST", "/api/v1/me/password", h_password, 0, YW_R_SLOW, password_body,
      "change password (ends other sessions)" },
    /* one-time codes by SMS (phone.c, issue 15) */
    { "POST", "/api/v1/me/phone/code", yw_ident__h_phone_code, YW_ROLE_APPLICANT, 0, NULL,
      "send a code by SMS to verify one's mobile number" },
    { "POST", "/api/v1/me/phone/verify", yw_ident__h_phone_verify, YW_ROLE_APPLICANT, 0,
      phone_verify_body, "verify one's mobile number with the code" },
    { "POST", "/api/v1/auth/password-reset/code", yw_ident__h_reset_code, 0, YW_R_PUBLIC,
      reset_code_body, "forgotten password: send a code to the account's verified mobile", 10 },
    { "POST", "/api/v1/auth/password-reset", yw_ident__h_reset, 0, YW_R_PUBLIC | YW_R_SLOW,
      reset_body, "forgotten password: set a new one with the code (ends every session)", 20 },
    { "GET", "/api/v1/enterprise/agents", h_agents, YW_ROLE_ENTERPRISE, 0, NULL,
      "the company's agents" },
    { "POST", "/api/v1/enterprise/agents", h_agent_add, YW_ROLE_ENTERPRISE, YW_R_BATCH, agent_body,
      "authorize an agent" },
    { "DELETE", "/api/v1/enterprise/agents/{id}", h_agent_revoke, YW_ROLE_ENTERPRISE, YW_R_BATCH,
      NULL, "revoke an agent" },
    { "GET", "/api/v1/accounts", h_accounts, YW_ROLE_STAFF, 0, NULL,
      "look up applicants (masked)" },
    { "POST", "/api/v1/accounts/{id}/realname", h_realname, YW_ROLE_WINDOW_CLERK, YW_R_WRITE,
      realname_body, "raise an applicant's real-name level after an in-person check" },
    { "POST", "/api/v1/accounts/{id}/password-reset", h_password_reset, YW_ROLE_WINDOW_CLERK,
      YW_R_SLOW, NULL,
      "reset an applicant's password after an in-person check (temporary password)" },
    { "GET", "/api/v1/accounts/{id}", h_account_view,
      YW_ROLE_WINDOW_CLERK | YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR |
          YW_ROLE_HOTLINE_OPERATOR,
      YW_R_WRITE, NULL, "an applicant's whole record (audited)" },
    { "POST", "/api/v1/admin/users", h_user_add, YW_ROLE_ADMIN, YW_R_SLOW, user_body,
      "create a staff account" },
    { "GET", "/api/v1/admin/users", h_user_list, YW_ROLE_ADMIN, 0, NULL, "list staff accounts" },
    /* the client registry (clients.c) and the OpenID Connect provider (oidc_*.c) */
    { "POST", "/api/v1/admin/clients", yw_ident__h_client_add, YW_ROLE_ADMIN, YW_R_WRITE,
      yw_ident__client_body, "register a client (a department system or a relying party)" },
    { "GET", "/api/v1/admin/clients", yw_ident__h_client_list, YW_ROLE_ADMIN, 0, NULL,
      "list registered clients" },
    { "GET", "/api/v1/admin/clients/{client_id}", yw_ident__h_client_get, YW_ROLE_ADMIN, 0, NULL,
      "one registered client" },
    { "PUT", "/api/v1/admin/clients/{client_id}", yw_ident__h_client_put, YW_ROLE_ADMIN, YW_R_WRITE,
      yw_ident__client_body, "change a client's settings" },
    { "POST", "/api/v1/admin/clients/{client_id}/secret", yw_ident__h_client_secret, YW_ROLE_ADMIN,
      YW_R_WRITE, NULL, "rotate a client's secret (shown once)" },
    { "POST", "/api/v1/admin/clients/{client_id}/disable", yw_ident__h_client_disable,
      YW_ROLE_ADMIN, YW_R_WRITE, NULL, "disable a client and revoke its tokens" },
    { "POST", "/api/v1/admin/clients/{client_id}/enable", yw_ident__h_client_enable, YW_ROLE_ADMIN,
      YW_R_WRITE, NULL, "enable a client again" },
    { "POST", "/oauth2/token", yw_ident__h_token, 0,
      YW_R_PUBLIC | YW_R_FORM | YW_R_BATCH | YW_R_PREP, NULL,
      "OAuth 2.0 token endpoint (client_credentials, authorization_code, refresh_token)" },
    { "POST", "/oauth2/revoke", yw_ident__h_revoke, 0,
      YW_R_PUBLIC | YW_R_FORM | YW_R_BATCH | YW_R_PREP, NULL,
      "OAuth 2.0 token revocation (RFC 7009)" },
    { "GET", "/.well-known/openid-configuration", yw_ident__h_discovery, 0, YW_R_PUBLIC | YW_R_NODB,
      NULL, "OpenID Connect discovery" },
    { "GET", "/oauth2/jwks", yw_ident__h_jwks, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "the ID token signing keys (JWKS)" },
    { "GET", "/oauth2/authorize", yw_ident__h_authorize, 0, YW_R_PUBLIC | YW_R_OPTIONAL_AUTH, NULL,
      "OpenID Connect authorization endpoint (code flow with PKCE)" },
    { "GET", "/oauth2/userinfo", yw_ident__h_userinfo, 0, YW_R_PUBLIC, NULL,
      "OpenID Connect userinfo (Bearer access token)" },
    { "POST", "/oauth2/userinfo", yw_ident__h_userinfo, 0, YW_R_PUBLIC | YW_R_FORM, NULL,
      "OpenID Connect userinfo (Bearer access token)" },
    { "GET", "/oauth2/logout", yw_ident__h_end_session, 0, YW_R_PUBLIC | YW_R_OPTIONAL_AUTH, NULL,
      "RP-initiated logout: ends the ywtb session too" },
    { "GET", "/api/v1/sso/authorization", yw_ident__h_authorization_show, YW_ROLE_APPLICANT, 0,
      NULL, "what a system asks to know (the consent page)" },
    { "POST", "/api/v1/sso/authorization", yw_ident__h_authorization_decide, YW_ROLE_APPLICANT,
      YW_R_WRITE, sso_decide_body, "allow or refuse a system (the consent page)" },
    { "GET", "/api/v1/me/sso", yw_ident__h_me_sso, YW_ROLE_APPLICANT, 0, NULL,
      "the systems one allowed and logged in to" },
    { "DELETE", "/api/v1/me/sso/consents/{client_id}", yw_ident__h_me_sso_withdraw,
      YW_ROLE_APPLICANT, YW_R_WRITE, NULL, "withdraw a consent (ends that system's tokens)" },
    { "POST", "/api/v1/admin/oidc/keys/rotate", yw_ident__h_keys_rotate, YW_ROLE_ADMIN, YW_R_WRITE,
      keys_rotate_body, "rotate the ID token signing key" },
};

static int
identity_init(struct yw_app *app, struct yw_err *err)
{
    yw_http_set_authenticator(yw_ident__authenticate);
    int rc = yw_ident__init_sessions(app, err);
    return rc ? rc : yw_ident__cache_start(app, err);
}

const struct yw_module yw_identity_module = {
    .name = "identity",
    .init = identity_init,
    .shutdown = yw_ident__cache_stop,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_ident_commands,
    .settings = &yw_ident_settings_table,
    .sealed_keys = yw_ident__sealed_keys,
};
