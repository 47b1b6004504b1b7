/*
 * grants.c - sharing with purpose (共享): what a department may read of a
 * resource.  Unconditional resources (无条件共享) need no request;
 * conditional ones (有条件共享) need a grant per department and per field,
 * requested with a purpose and a legal basis, approved (possibly for fewer
 * fields), denied or revoked by the owning department's data officer; resources
 * not shared (不予共享) are read by their own department only.
 */
#include "datahub/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
yw_dh__access_release(struct yw_dh_access *a)
{
    json_decref(a->fields);
    json_decref(a->masked);
    a->fields = a->masked = NULL;
}

static json_t *
all_fields(const struct yw_dh_res *r, json_t **masked)
{
    json_t *keys = json_array();
    *masked = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(r->fields, i, f)
    {
        json_array_append(keys, json_object_get(f, "key"));
        if (json_is_true(json_object_get(f, "masked")))
            json_array_append(*masked, json_object_get(f, "key"));
    }
    return keys;
}

int
yw_dh__access_with(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept,
                   const struct yw_dh_grant_row *g, struct yw_dh_access *a, struct yw_err *err)
{
    memset(a, 0, sizeof *a);
    if (!strcmp(dept, r->dept)) { /* its own data: all of it, unmasked */
        json_t *m = NULL;
        a->fields = all_fields(r, &m);
        json_decref(m);
        a->masked = json_array();
        a->allowed = true;
        return 0;
    }
    if (!strcmp(r->share_type, "none")) {
        yw_fail(err, YW_EFORBIDDEN, "resource", "resource '%s' is not shared (不予共享)", r->code);
        return 0;
    }
    if (!strcmp(r->share_type, "unconditional")) {
        a->fields = all_fields(r, &a->masked);
        a->allowed = true;
        return 0;
    }
    struct yw_dh_grant_row row = { 0 };
    if (g && g->read) {
        row = *g;
    } else {
        char today[11];
        struct yw_stmt *s = NULL;
        int rc = yw_db_one_row(c, &s,
                               "SELECT id, fields, masked FROM dh_grants WHERE resource_id = ? AND "
                               "dept = ? AND status = 'approved' AND until_day >= ? ORDER BY id DESC",
                               "iss", r->id, dept, yw_dh__today(today));
        if (rc && rc != YW_ENOTFOUND)
            return rc;
        if (rc == 0) {
            row.found = true;
            row.id = yw_db_col_int(s, 0);
            a->fields = json_loads(yw_db_col_text(s, 1), 0, NULL);
            a->masked = json_loads(yw_db_col_text(s, 2), 0, NULL);
            yw_db_reset(s);
        }
    }
    if (!row.found) {
        yw_fail(err, YW_EFORBIDDEN, "resource",
                "your department has no grant to read resource '%s': request one first", r->code);
        return 0;
    }
    a->grant_id = row.id;
    if (row.fields) {
        a->fields = json_loads(row.fields, 0, NULL);
        a->masked = json_loads(row.masked, 0, NULL);
    }
    if (a->fields == NULL || a->masked == NULL) {
        yw_dh__access_release(a);
        return YW_EDB;
    }
    a->allowed = true;
    return 0;
}

int
yw_dh__access(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept, struct yw_dh_access *a,
              struct yw_err *err)
{
    return yw_dh__access_with(c, r, dept, NULL, a, err);
}

/* fields: a non-empty array of r's field keys, no repeats. */
static int
check_keys(const struct yw_dh_res *r, json_t *fields, const char *name, bool may_be_empty,
           struct yw_err *err)
{
    if (!json_is_array(fields) || (!may_be_empty && json_array_size(fields) == 0))
        return yw_fail(err, YW_EFIELD, name, "%s is a list of the resource's data items", name);
    size_t i;
    json_t *k;
    json_array_foreach(fields, i, k)
    {
        if (!json_is_string(k) || yw_dh__res_field(r, json_string_value(k)) == NULL)
            return yw_fail(err, YW_EFIELD, name, "resource '%s' has no data item '%.40s'", r->code,
                           json_is_string(k) ? json_string_value(k) : "?");
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(fields, j), k))
                return yw_fail(err, YW_EFIELD, name, "data item '%.40s' is listed twice",
                               json_string_value(k));
    }
    return 0;
}

int
yw_dh__grant_request(struct yw_dbc *c, const struct yw_dh_res *r, const char *dept, json_t *fields,
                     const char *purpose, const char *legal_basis, const char *until,
                     const char *actor, int64_t *id, struct yw_err *err)
{
    if (!strcmp(r->share_type, "none"))
        return yw_fail(err, YW_EFORBIDDEN, "resource", "resource '%s' is not shared (不予共享)",
                       r->code);
    if (!strcmp(r->share_type, "unconditional"))
        return yw_fail(err, YW_ESTATE, "resource",
                       "resource '%s' is shared unconditionally: read it without a request",
                       r->code);
    if (!strcmp(dept, r->dept))
        return yw_fail(err, YW_ESTATE, "resource", "resource '%s' is your department's own",
                       r->code);
    int rc = check_keys(r, fields, "fields", false, err);
    if (rc)
        return rc;
    int64_t day, today = yw_cal_day_of_ms(yw_clock_now_ms());
    if (yw_cal_parse_day(until, &day) != 0 || day < today || day > today + 5 * 366)
        return yw_fail(err, YW_EFIELD, "until", "until is a date from today to five years ahead");
    char now[32];
    yw_dh__now(now);
    char *fs = json_dumps(fields, JSON_COMPACT);
    rc = yw_db_one_int(c, id,
                       "INSERT INTO dh_grants (resource_id, dept, status, purpose, legal_basis, "
                       "requested, until_day, requested_by, created_at) "
                       "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING id",
                       "isssssss", r->id, dept, purpose, legal_basis, fs, until, actor, now);
    free(fs);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the request");
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)*id);
    json_t *what =
        json_pack("{s:s, s:s, s:O}", "resource", r->code, "dept", dept, "fields", fields);
    char *sum = json_dumps(what, JSON_COMPACT);
    json_decref(what);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                   .role = "staff",
                                                   .action = "datahub.grant.request",
                                                   .obj_type = "data_grant",
                                                   .obj_id = oid,
                                                   .summary = sum });
    free(sum);
    return rc;
}

#define GRANT_COLS                                                                                 \
    "g.id, r.code, r.name, r.dept, g.dept, g.status, g.purpose, g.legal_basis, g.requested, "      \
    "g.fields, g.masked, g.until_day, g.requested_by, g.decided_by, g.reason, g.created_at, "      \
    "g.decided_at, r.share_type"

static json_t *
grant_row(struct yw_stmt *s)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)yw_db_col_int(s, 0), "resource", yw_db_col_text(s, 1),
                          "resource_name", yw_db_col_text(s, 2), "owner_dept", yw_db_col_text(s, 3),
                          "dept", yw_db_col_text(s, 4), "status", yw_db_col_text(s, 5), "purpose",
                          yw_db_col_text(s, 6), "legal_basis", yw_db_col_text(s, 7), "until",
                          yw_db_col_text(s, 11), "reason", yw_db_col_text(s, 14), "created_at",
                          yw_db_col_text(s, 15), "decided_at", yw_db_col_text(s, 16), "share_type",
                          yw_db_col_text(s, 17));
    const char *arrays[] = { "requested", "fields", "masked" };
    for (int i = 0; i < 3; i++) {
        json_t *v = json_loads(yw_db_col_text(s, 8 + i), 0, NULL);
        json_object_set_new(o, arrays[i], v ? v : json_array());
    }
    return o;
}

json_t *
yw_dh__grant_json_by_id(struct yw_dbc *c, int64_t id)
{
    struct yw_stmt *s = NULL;
    if (yw_db_one_row(c, &s,
                      "SELECT " GRANT_COLS " FROM dh_grants g JOIN dh_resources r ON "
                      "r.id = g.resource_id WHERE g.id = ?",
                      "i", id))
        return NULL;
    json_t *o = grant_row(s);
    yw_db_reset(s);
    return o;
}

json_t *
yw_dh__grant_list(struct yw_dbc *c, const struct yw_principal *who, const char *status)
{
    bool all = (who->roles & YW_ROLE_ADMIN) || !strcmp(who->dept, YW_DH_HUB_DEPT);
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT " GRANT_COLS " FROM dh_grants g JOIN dh_resources r ON r.id = g.resource_id "
        "WHERE (? = 1 OR g.dept = ? OR r.dept = ?) AND (? = '' OR g.status = ?) "
        "ORDER BY g.id DESC LIMIT 500",
        "dssss", all ? 1 : 0, who->dept, who->dept, status ? status : "", status ? status : "");
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, grant_row(s));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int
yw_dh__grant_decide(struct yw_dbc *c, int64_t id, const char *decision, json_t *fields,
                    json_t *masked, const char *reason, const struct yw_principal *who,
                    struct yw_err *err)
{
    json_t *g = yw_dh__grant_json_by_id(c, id);
    if (g == NULL)
        return yw_fail(err, YW_ENOTFOUND, "", "no grant %lld", (long long)id);
    int rc = 0;
    const char *owner = json_string_value(json_object_get(g, "owner_dept"));
    const char *status = json_string_value(json_object_get(g, "status"));
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_dh_res r;
    char now[32], oid[24];
    char *fs = NULL, *ms = NULL;
    yw_dh__now(now);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if (!yw_dh__may_manage(who, owner)) {
        /* another department's grant is not the caller's to see */
        rc = !strcmp(json_string_value(json_object_get(g, "dept")), who->dept)
                 ? yw_fail(err, YW_EFORBIDDEN, "", "the department that owns the resource decides")
                 : yw_fail(err, YW_ENOTFOUND, "", "no grant %lld", (long long)id);
        goto out;
    }
    if ((rc = yw_dh__res_get(c, &a, json_string_value(json_object_get(g, "resource")), &r)))
        goto out;
    const char *to = NULL;
    if (!strcmp(decision, "approve") || !strcmp(decision, "deny")) {
        if (strcmp(status, "pending") != 0) {
            rc =
                yw_fail(err, YW_ESTATE, "", "grant %lld is %s, not pending", (long long)id, status);
            goto out;
        }
        to = !strcmp(decision, "approve") ? "approved" : "denied";
    } else {
        if (strcmp(status, "approved") != 0) {
            rc = yw_fail(err, YW_ESTATE, "", "grant %lld is %s, not approved", (long long)id,
                         status);
            goto out;
        }
        to = "revoked";
    }
    if (!strcmp(to, "approved")) {
        json_t *req = json_object_get(g, "requested");
        if (fields == NULL)
            fields = req;
        if ((rc = check_keys(&r, fields, "fields", false, err)))
            goto out;
        size_t i;
        json_t *k;
        json_array_foreach(fields, i, k) if (!yw_dh__str_in(req, json_string_value(k)))
        {
            rc = yw_fail(err, YW_EFIELD, "fields",
                         "data item '%s' was not requested: approve the request's items or fewer",
                         json_string_value(k));
            goto out;
        }
        json_t *defmask = NULL;
        if (masked == NULL) { /* the resource's own masking, for the granted items */
            defmask = json_array();
            json_array_foreach(fields, i, k)
            {
                json_t *f = yw_dh__res_field(&r, json_string_value(k));
                if (json_is_true(json_object_get(f, "masked")))
                    json_array_append(defmask, k);
            }
            masked = defmask;
        } else if ((rc = check_keys(&r, masked, "masked", true, err))) {
            goto out;
        }
        fs = json_dumps(fields, JSON_COMPACT);
        ms = json_dumps(masked, JSON_COMPACT);
        json_decref(defmask);
    } else if (reason == NULL || *reason == '\0') {
        rc = yw_fail(err, YW_EMISSING, "reason", "say why");
        goto out;
    }
    rc = yw_db_run(c,
                   "UPDATE dh_grants SET status = ?, fields = COALESCE(?, fields), "
                   "masked = COALESCE(?, masked), reason = ?, decided_by = ?, decided_at = ? "
                   "WHERE id = ?",
                   "ssssssi", to, fs, ms, reason ? reason : "", who->login, now, id);
    if (rc) {
        yw_fail(err, rc, "", "cannot record the decision");
        goto out;
    }
    char sum[300];
    snprintf(sum, sizeof sum, "{\"status\":\"%s\",\"resource\":\"%s\"}", to, r.code);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = who->login,
                                                   .role = "data_officer",
                                                   .action = "datahub.grant.decide",
                                                   .obj_type = "data_grant",
                                                   .obj_id = oid,
                                                   .summary = sum });
out:
    free(fs);
    free(ms);
    json_decref(g);
    yw_arena_release(&a);
    return rc;
}
