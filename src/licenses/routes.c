/*
 * routes.c - HTTP routes of the license library.
 *
 *   GET  /api/v1/keys                          every signing key's public half (current and retired)
 *   POST /api/v1/keys/rotate                   retire a department's key, make a new one (admin, data officer)
 *   GET  /api/v1/licenses                      the holder's wallet; staff look up by ?holder=&type=&dept=
 *   POST /api/v1/licenses                      issue directly (the type's department)
 *   GET  /api/v1/licenses/{id}                 one license (holder, staff)
 *   GET  /api/v1/licenses/{id}/document        the signed document
 *   GET  /api/v1/licenses/{id}/uses            the use log (用证记录)
 *   POST /api/v1/licenses/{id}/revoke | suspend | reinstate     the issuing department
 *   GET/POST /api/v1/licenses/{id}/grants, DELETE .../grants/{code}   view grants (holder)
 *   POST /api/v1/licenses/verify               check a document (anyone)
 *   GET  /api/v1/licenses/status-lists/{dept}  a department's signed list of revoked/suspended licenses
 *   GET  /api/v1/public/license-grants/{code}  what a grant code shows
 */
#include "licenses/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/provider.h"
#include "db/audit.h"
#include "db/events.h"
#include "http/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISSUERS (YW_ROLE_REVIEWER | YW_ROLE_DATA_OFFICER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_ADMIN)
#define LOOKUP  (YW_ROLE_STAFF)

static const char *
actor_id(struct yw_req *req)
{
    return yw_arena_printf(&req->arena, "%lld", (long long)req->who->account_id);
}

/* The department whose licenses the caller may issue or change: their own
 * (admins: any, NULL). */
static const char *
actor_dept(struct yw_req *req)
{
    return (req->who->roles & YW_ROLE_ADMIN) ? NULL : req->who->dept;
}

static bool
is_staff(struct yw_req *req)
{
    return (req->who->roles & YW_ROLE_STAFF) != 0;
}

/* Staff reading a citizen's license is audited, like opening their record. */
static int
audit_staff_read(struct yw_req *req, json_t *o, const char *what)
{
    if (!is_staff(req) ||
        strcmp(json_string_value(json_object_get(json_object_get(o, "holder"), "kind")),
               "person") != 0)
        return 0;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    return yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                           .role = "staff",
                                                           .action = what,
                                                           .obj_type = "license",
                                                           .obj_id = yw_req_param(req, "id"),
                                                           .summary = "{}" });
}

/* The license read for the caller into *out (the caller owns it). */
static int
read_license(struct yw_req *req, const char *id, bool with_document, json_t **out)
{
    int rc = yw_lic__license_json(req->db, id, with_document, out);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no license '%.100s'", id);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read license '%.100s'", id);
    return 0;
}

/* Load a license the caller may see: its holder, or staff.  404 otherwise;
 * a failed read is its error (500, or 503 busy), never a 404. */
static int
visible(struct yw_req *req, bool with_document, json_t **out)
{
    json_t *o = NULL;
    int rc = read_license(req, yw_req_param(req, "id"), with_document, &o);
    if (rc)
        return rc;
    if (!is_staff(req) &&
        strcmp(json_string_value(json_object_get(json_object_get(o, "holder"), "ident")),
               req->who->login) != 0) {
        json_decref(o);
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no license '%.100s'", yw_req_param(req, "id"));
    }
    *out = o;
    return 0;
}

static int
h_keys(struct yw_req *req)
{
    json_t *keys = yw_lic__keys_json(req->db);
    if (keys == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the signing keys");
    yw_resp_header(req, "Cache-Control", "public, max-age=60");
    return yw_resp_json(req, 200, json_pack("{s:s, s:o}", "distid", YW_SM2_DISTID, "keys", keys));
}

static int
h_rotate(struct yw_req *req)
{
    const char *dept = yw_body_str(req, "dept");
    if (!(req->who->roles & YW_ROLE_ADMIN) && strcmp(dept, req->who->dept) != 0)
        return yw_fail(&req->err, YW_EFORBIDDEN, "dept", "you rotate your own department's key");
    char key_id[17];
    int rc = yw_lic__rotate_key(req->db, dept, key_id, &req->err);
    if (rc == YW_ECONFLICT)
        return yw_fail(&req->err, YW_EFIELD, "dept", "no department '%.32s'", dept);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s, s:s}", "dept", dept, "key_id", key_id));
}

static int
h_list(struct yw_req *req)
{
    const char *holder = yw_req_query(req, "holder"), *type = yw_req_query(req, "type"),
               *dept = yw_req_query(req, "dept");
    int64_t limit, offset;
    int rc;
    if ((rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit)) ||
        (rc = yw_req_query_int(req, "cursor", 0, 0, 10000000, &offset)))
        return rc;
    if (!is_staff(req)) {
        holder = req->who->login; /* a holder sees their own wallet */
    } else if ((holder == NULL || !*holder) && (dept == NULL || !*dept)) {
        return yw_fail(&req->err, YW_EMISSING, "holder",
                       "look up by holder (ID number or credit code) or by department");
    }
    char up[40] = ""; /* an identifier however typed: its stored form (yw_cnid_normalize) */
    if (holder && !yw_cnid_ident_normalize(holder, up) && strlen(holder) > 32)
        return yw_fail(&req->err, YW_EFIELD, "holder", "holder is an ID number or a credit code");
    if (type && strlen(type) > 16)
        return yw_fail(&req->err, YW_EFIELD, "type", "unknown license type");
    if (dept && strlen(dept) > 32)
        return yw_fail(&req->err, YW_EFIELD, "dept", "unknown department");
    if (holder && up[0] == '\0') {
        snprintf(up, sizeof up, "%s", holder);
        for (char *p = up; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
    }
    json_t *list = yw_lic__list_json(req->db, holder ? up : "", type, dept, limit, offset);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the list of licenses");
    if (is_staff(req)) {
        /* lists mask citizens' ID numbers; one license is a (logged) read away */
        size_t i;
        json_t *l;
        json_array_foreach(list, i, l)
        {
            json_t *h = json_object_get(l, "holder");
            if (!strcmp(json_string_value(json_object_get(h, "kind")), "person")) {
                char m[24];
                yw_cnid_mask_id(json_string_value(json_object_get(h, "ident")), m);
                json_object_set_new(h, "ident", json_string(m));
            }
        }
    }
    json_t *body = json_pack("{s:o}", "items", list);
    json_object_set_new(body, "next_cursor",
                        json_array_size(list) == (size_t)limit
                            ? json_sprintf("%lld", (long long)(offset + limit))
                            : json_null());
    return yw_resp_json(req, 200, body);
}

static int
h_issue(struct yw_req *req)
{
    struct yw_lic__issue in = {
        .type_code = yw_body_str(req, "type"),
        .holder_ident = yw_body_str(req, "holder_ident"),
        .holder_name = yw_body_str(req, "holder_name"),
        .fields = json_object_get(req->body, "fields"),
        .valid_from = yw_body_str(req, "valid_from"),
        .valid_until = yw_body_has(req, "valid_until") ? yw_body_str(req, "valid_until") : NULL,
        .source = "api",
        .actor = actor_id(req),
        .actor_dept = actor_dept(req),
    };
    char id[128];
    int rc = yw_lic__issue(req->db, &in, id, &req->err);
    if (rc)
        return rc;
    json_t *o = NULL;
    if ((rc = read_license(req, id, true,
                           &o))) /* the write transaction rolls back: nothing was issued */
        return rc;
    return yw_resp_json(req, 201, o);
}

static int
h_get(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = visible(req, false, &o);
    if (rc)
        return rc;
    rc = audit_staff_read(req, o, "license.view");
    if (rc) {
        json_decref(o);
        return rc;
    }
    return yw_resp_json(req, 200, o);
}

static int
h_document(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = visible(req, true, &o);
    if (rc)
        return rc;
    rc = audit_staff_read(req, o, "license.view_document");
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_t *doc = json_incref(json_object_get(o, "document"));
    json_decref(o);
    return yw_resp_json(req, 200, doc);
}

static int
h_uses(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = visible(req, false, &o);
    if (rc)
        return rc;
    json_decref(o);
    json_t *list = yw_lic__uses_json(req->db, yw_req_param(req, "id"));
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the use log of license '%.100s'",
                       yw_req_param(req, "id"));
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

static int
set_status(struct yw_req *req, const char *status)
{
    int rc =
        yw_lic__set_status(req->db, yw_req_param(req, "id"), status, yw_body_str(req, "reason"),
                           actor_id(req), actor_dept(req), &req->err);
    if (rc)
        return rc;
    json_t *o = NULL;
    if ((rc = read_license(req, yw_req_param(req, "id"), false, &o)))
        return rc;
    return yw_resp_json(req, 200, o);
}

static int
h_revoke(struct yw_req *r)
{
    return set_status(r, "revoked");
}
static int
h_suspend(struct yw_req *r)
{
    return set_status(r, "suspended");
}
static int
h_reinstate(struct yw_req *r)
{
    return set_status(r, "valid");
}

static int
h_verify(struct yw_req *req)
{
    json_t *doc = json_object_get(req->body, "document");
    struct yw_lic_verdict v;
    int rc = yw_lic__verify_online(req->db, doc, &v, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:b, s:s, s:s, s:s}", "valid", v.valid, "code", v.code,
                                  "reason", v.reason, "status", v.status));
}

static int
h_status_list(struct yw_req *req)
{
    const char *dept = yw_req_param(req, "dept");
    if (strlen(dept) > 32)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such department");
    json_t *o = NULL;
    int rc = yw_lic__status_list(req->db, dept, &o, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, o);
}

static int
require_holder(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = yw_lic__license_json(req->db, yw_req_param(req, "id"), false, &o);
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "cannot read license '%.100s'", yw_req_param(req, "id"));
    bool mine =
        o && !strcmp(json_string_value(json_object_get(json_object_get(o, "holder"), "ident")),
                     req->who->login);
    json_decref(o);
    if (!mine)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no license '%.100s' of yours",
                       yw_req_param(req, "id"));
    return 0;
}

static int
h_grants(struct yw_req *req)
{
    int rc = require_holder(req);
    if (rc)
        return rc;
    json_t *list = yw_lic__grants_json(req->db, yw_req_param(req, "id"));
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the grants of license '%.100s'",
                       yw_req_param(req, "id"));
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

static int
h_grant_add(struct yw_req *req)
{
    int rc = require_holder(req);
    if (rc)
        return rc;
    char code[32], expires[32];
    json_t *hours = json_object_get(req->body, "hours");
    rc = yw_lic__grant_create(req->db, yw_req_param(req, "id"), yw_body_str(req, "grantee"),
                              yw_body_str(req, "purpose"),
                              json_is_integer(hours) ? json_integer_value(hours) : 24,
                              actor_id(req), code, expires, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 201,
                        json_pack("{s:s, s:s, s:s}", "code", code, "expires_at", expires,
                                  "license_id", yw_req_param(req, "id")));
}

static int
h_grant_del(struct yw_req *req)
{
    int rc = require_holder(req);
    if (rc)
        return rc;
    rc = yw_lic__grant_revoke(req->db, yw_req_param(req, "id"), yw_req_param(req, "code"),
                              actor_id(req), &req->err);
    return rc ? rc : yw_resp_json(req, 200, json_pack("{s:b}", "revoked", 1));
}

static int
h_grant_open(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code");
    if (strlen(code) > 20)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "this code is unknown, expired or was revoked");
    json_t *o = NULL;
    int rc = yw_lic__grant_open(req->db, code, &o, &req->err);
    return rc ? rc : yw_resp_json(req, 200, o);
}

static int
h_print(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = visible(req, false, &o);
    if (rc)
        return rc;
    json_decref(o);
    char *pdf = NULL;
    size_t len = 0;
    rc = yw_lic__print(req->db, yw_req_param(req, "id"), yw_req_base_url(req), &pdf, &len,
                       &req->err);
    if (rc)
        return rc;
    yw_resp_header(req, "Content-Disposition", "inline; filename=\"license.pdf\"");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "application/pdf", pdf, len);
}

static int
h_public_status(struct yw_req *req)
{
    const char *id = yw_req_param(req, "id");
    if (yw_lic_check_id(id, NULL) != 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no license with this identifier");
    json_t *o = NULL;
    int rc = yw_lic__public_status(req->db, id, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no license with this identifier");
    if (rc) /* a verifier must never read "no such license" for a failed read */
        return yw_fail(&req->err, rc, "", "cannot read the license's status");
    return yw_resp_json(req, 200, o);
}

static const struct yw_field rotate_body[] = { { "dept", YW_F_STRING, true, 32 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field issue_body[] = {
    { "type", YW_F_STRING, true, 16 },
    { "holder_ident", YW_F_STRING, true, 32 },
    { "holder_name", YW_F_STRING, true, 100 },
    { "fields", YW_F_OBJECT, false, 0 },
    { "valid_from", YW_F_STRING, false, 10 },
    { "valid_until", YW_F_STRING, false, 10 },
    { NULL, 0, false, 0 },
};
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, false, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field verify_body[] = { { "document", YW_F_OBJECT, true, 0 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field grant_body[] = {
    { "grantee", YW_F_STRING, true, 100 },
    { "purpose", YW_F_STRING, true, 200 },
    { "hours", YW_F_INT, false, 0 },
    { NULL, 0, false, 0 },
};

static const struct yw_route routes[] = {
    { "GET", "/api/v1/keys", h_keys, 0, YW_R_PUBLIC, NULL, "public signing keys" },
    { "POST", "/api/v1/keys/rotate", h_rotate, YW_ROLE_ADMIN | YW_ROLE_DATA_OFFICER, YW_R_WRITE,
      rotate_body, "rotate a department's key" },
    { "GET", "/api/v1/licenses", h_list, 0, 0, NULL, "wallet / look-up" },
    { "POST", "/api/v1/licenses", h_issue, ISSUERS, YW_R_BATCH, issue_body, "issue a license" },
    { "POST", "/api/v1/licenses/verify", h_verify, 0, YW_R_PUBLIC, verify_body,
      "verify a license document", 120 },
    { "GET", "/api/v1/licenses/status-lists/{dept}", h_status_list, 0, YW_R_PUBLIC, NULL,
      "signed status list", 120 },
    { "GET", "/api/v1/licenses/{id}", h_get, 0, YW_R_WRITE, NULL,
      "a license (staff reads audited)" },
    { "GET", "/api/v1/licenses/{id}/document", h_document, 0, YW_R_WRITE, NULL,
      "its signed document (staff reads audited)" },
    { "GET", "/api/v1/licenses/{id}/uses", h_uses, 0, 0, NULL, "its use log" },
    { "GET", "/api/v1/licenses/{id}/print.pdf", h_print, 0, 0, NULL,
      "printable license with a QR code" },
    { "GET", "/api/v1/licenses/{id}/qr.svg", yw_lic__h_qr, 0, 0, NULL,
      "the QR code of its check address (SVG)" },
    { "GET", "/api/v1/public/licenses/{id}", h_public_status, 0, YW_R_PUBLIC, NULL,
      "a license's status for verifiers", 60 },
    { "POST", "/api/v1/licenses/{id}/revoke", h_revoke, ISSUERS, YW_R_BATCH, reason_body,
      "revoke" },
    { "POST", "/api/v1/licenses/{id}/suspend", h_suspend, ISSUERS, YW_R_BATCH, reason_body,
      "suspend" },
    { "POST", "/api/v1/licenses/{id}/reinstate", h_reinstate, ISSUERS, YW_R_BATCH, reason_body,
      "lift a suspension" },
    { "GET", "/api/v1/licenses/{id}/grants", h_grants, YW_ROLE_APPLICANT, 0, NULL, "view grants" },
    { "POST", "/api/v1/licenses/{id}/grants", h_grant_add, YW_ROLE_APPLICANT, YW_R_BATCH,
      grant_body, "grant a view" },
    { "DELETE", "/api/v1/licenses/{id}/grants/{code}", h_grant_del, YW_ROLE_APPLICANT, YW_R_BATCH,
      NULL, "revoke a grant" },
    { "GET", "/api/v1/public/license-grants/{code}", h_grant_open, 0, YW_R_PUBLIC | YW_R_WRITE,
      NULL, "open a grant code", 30 },
};

static int
licenses_init(struct yw_app *app, struct yw_err *err)
{
    int rc = yw_lic__keys_init(app, err);
    if (rc)
        return rc;
    yw_events_subscribe(YW_EV_CASE_APPROVED, yw_lic__on_case_approved, NULL);
    yw_events_subscribe(YW_EV_CASE_SUBMITTED, yw_lic__on_case_submitted, NULL);
    yw_events_subscribe(YW_EV_KIOSK_PRINTED, yw_lic__on_kiosk_printed, NULL);
    yw_provider_add_material("licenses", yw_lic__provider, NULL);
    yw_provider_add_approval_ahead("licenses", yw_lic__ahead, NULL);
    static bool metrics_added;
    if (!metrics_added) {
        yw_metrics_add_source(yw_lic__ahead_metrics, NULL);
        metrics_added = true;
    }
    return 0;
}

static void
licenses_shutdown(void)
{
    yw_lic__ahead_shutdown();
    yw_lic__keys_shutdown();
}

extern const struct yw_command yw_lic_commands[]; /* commands.c */

const struct yw_module yw_licenses_module = {
    .name = "licenses",
    .init = licenses_init,
    .shutdown = licenses_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_lic_commands,
    .sealed_keys = yw_lic__sealed_keys,
};
