/*
 * routes.c - HTTP routes of the catalog (all reads are public).
 *
 *   GET /api/v1/departments            departments with item counts
 *   GET /api/v1/items?q=&dept=&target=&type=&limit=&cursor=   search and browse
 *   GET /api/v1/items/{code}           the item's guide (current version)
 *   GET /api/v1/items/{code}/versions  every version, newest first
 *   PUT /api/v1/items/{code}           edit: a new version (admin; a data officer: its department's)
 *   GET /api/v1/bundles                "一件事" bundles;  GET /api/v1/bundles/{code}
 *   GET /api/v1/license-types          e-license types; GET /api/v1/license-types/{code}
 */
#include "catalog/internal.h"

#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
send_snap(struct yw_req *req, const char *key, const char *what)
{
    char *json;
    size_t len;
    int64_t version = 0;
    int rc = yw_cat__snap_get(key, &json, &len, &version);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no %s '%s'", what,
                       strchr(key, ':') ? strchr(key, ':') + 1 : key);
    if (rc)
        return yw_fail(&req->err, rc, "", "the catalog is not loaded yet");
    yw_resp_header(req, "Cache-Control", "public, max-age=60");
    if (version > 0 && !strncmp(key, "item:", 5)) {
        /* the version an edit must name in If-Match (PUT below) */
        char etag[24];
        yw_cat__etag(version, etag);
        yw_resp_header(req, "ETag", etag);
    }
    return yw_resp_take(req, 200, "application/json; charset=utf-8", json, len);
}

static int
h_departments(struct yw_req *req)
{
    return send_snap(req, "departments", "list");
}

static int
h_bundles(struct yw_req *req)
{
    return send_snap(req, "bundles", "list");
}

static int
h_license_types(struct yw_req *req)
{
    return send_snap(req, "license-types", "list");
}

static bool
code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 40)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return false;
    return true;
}

static int
send_entry(struct yw_req *req, const char *prefix, const char *what)
{
    const char *code = yw_req_param(req, "code");
    if (!code_ok(code))
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no %s '%.40s'", what, code);
    char key[96];
    snprintf(key, sizeof key, "%s:%s", prefix, code);
    return send_snap(req, key, what);
}

static int
h_item(struct yw_req *req)
{
    return send_entry(req, "item", "item");
}

static int
h_bundle(struct yw_req *req)
{
    return send_entry(req, "bundle", "bundle");
}

static int
h_license_type(struct yw_req *req)
{
    return send_entry(req, "license-type", "license type");
}

static int
h_items(struct yw_req *req)
{
    struct yw_cat_query q = { 0 };
    q.q = yw_req_query(req, "q");
    q.dept = yw_req_query(req, "dept");
    q.target = yw_req_query(req, "target");
    q.type = yw_req_query(req, "type");
    if (q.q && yw_utf8_len(q.q, strlen(q.q)) > 100)
        return yw_fail(&req->err, YW_EFIELD, "q", "the search text is longer than 100 characters");
    if (q.target && *q.target && strcmp(q.target, "person") && strcmp(q.target, "enterprise"))
        return yw_fail(&req->err, YW_EFIELD, "target", "target must be 'person' or 'enterprise'");
    if (q.type && *q.type && !yw_catalog_type_ok(q.type))
        return yw_fail(&req->err, YW_EFIELD, "type", "unknown item type");
    if (q.dept && strlen(q.dept) > 32)
        return yw_fail(&req->err, YW_EFIELD, "dept", "unknown department");
    int rc;
    if ((rc = yw_req_query_int(req, "limit", 20, 1, 100, &q.limit)) ||
        (rc = yw_req_query_int(req, "cursor", 0, 0, 1000000, &q.offset)))
        return rc;
    json_t *items = NULL;
    int64_t total = 0;
    /* the snapshot answers (see search.c for why); the database's full-text
     * path serves when no snapshot is loaded */
    rc = yw_cat__snap_search(&q, &items, &total);
    if (rc == YW_EUNAVAIL) {
        if (req->db == NULL)
            return yw_fail(&req->err, YW_EUNAVAIL, "", "the catalog is not loaded yet");
        rc = yw_cat__search(req->db, &q, &items, &total, &req->err);
    }
    if (rc)
        return rc;
    json_t *body = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
    if (q.offset + q.limit < total) {
        char next[24];
        snprintf(next, sizeof next, "%lld", (long long)(q.offset + q.limit));
        json_object_set_new(body, "next_cursor", json_string(next));
    } else {
        json_object_set_new(body, "next_cursor", json_null());
    }
    return yw_resp_json(req, 200, body);
}

static int
h_versions(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code");
    if (!code_ok(code))
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no item '%.40s'", code);
    json_t *list = NULL;
    int rc = yw_cat__item_versions(req->db, code, &list);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no item '%s'", code);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:s, s:o}", "code", code, "versions", list));
}

struct edit_tx {
    json_t *doc;
    const char *code;
    const char *actor;
    const char *if_match;
    const char *own_dept; /* a department's data officer: only its items; NULL for admin */
    int version;
    struct yw_err *err;
};

/* An item is edited by an administrator, or by a data officer of the
 * department that owns it (which it cannot give away). */
static int
edit_allowed(struct yw_dbc *c, struct edit_tx *t)
{
    json_t *cur = NULL;
    int rc = yw_catalog_item_current(c, t->code, NULL, NULL, &cur);
    if (rc == YW_ENOTFOUND)
        return yw_fail(t->err, rc, "", "no item '%s'", t->code);
    if (rc)
        return rc;
    const char *dept = json_string_value(json_object_get(cur, "dept"));
    bool mine = dept && strcmp(dept, t->own_dept) == 0;
    json_decref(cur);
    if (!mine)
        return yw_fail(t->err, YW_EFORBIDDEN, "",
                       "item '%s' belongs to another department: only its own data officers and "
                       "administrators edit it",
                       t->code);
    const char *to = json_string_value(json_object_get(t->doc, "dept"));
    if (to && strcmp(to, t->own_dept) != 0)
        return yw_fail(t->err, YW_EFIELD, "dept",
                       "a department's data officer cannot move an item to another department");
    return 0;
}

static int
edit_tx(struct yw_dbc *c, void *vctx)
{
    struct edit_tx *t = vctx;
    int rc = t->own_dept ? edit_allowed(c, t) : 0;
    if (rc)
        return rc;
    return yw_cat__item_edit(c, t->code, t->doc, t->actor, t->if_match, &t->version, t->err);
}

static int
h_item_edit(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code");
    const char *body_code = yw_body_str(req, "code");
    if (body_code == NULL || strcmp(body_code, code) != 0)
        return yw_fail(&req->err, YW_EFIELD, "code", "the body's code must be '%.40s'", code);
    json_object_del(req->body, "version");
    json_object_del(req->body, "dept_name");
    json_object_del(req->body, "produces_name");
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    struct edit_tx t = { .doc = req->body,
                         .code = code,
                         .actor = actor,
                         .if_match = yw_req_header(req, "If-Match"),
                         .own_dept = (req->who->roles & YW_ROLE_ADMIN)
                                         ? NULL
                                         : (req->who->dept ? req->who->dept : ""),
                         .err = &req->err };
    int rc = yw_db_tx(req->app->db, YW_TX_WRITE, edit_tx, &t, &req->err);
    if (rc)
        return rc;
    if (yw_cat__snap_refresh(req->db) !=
        0) /* never answer with the guide as it was before the edit */
        return yw_fail(&req->err, YW_EDB, "",
                       "item '%.40s' was saved, but the catalog cannot be re-read; reload it",
                       code);
    char key[96];
    snprintf(key, sizeof key, "item:%s", code);
    return send_snap(req, key, "item");
}

static const struct yw_route routes[] = {
    { "GET", "/api/v1/departments", h_departments, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "departments" },
    { "GET", "/api/v1/items", h_items, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "search and browse service items" },
    { "GET", "/api/v1/items/{code}", h_item, 0, YW_R_PUBLIC | YW_R_NODB, NULL, "an item's guide" },
    { "GET", "/api/v1/items/{code}/versions", h_versions, 0, YW_R_PUBLIC | YW_R_STALE, NULL,
      "an item's versions" },
    { "GET", "/api/v1/items/{code}/materials/{mcode}/form.pdf", yw_cat__form_pdf, 0, YW_R_PUBLIC,
      NULL, "a material that is a form: blank, or a filled-in example (?example=1)" },
    { "PUT", "/api/v1/items/{code}", h_item_edit, YW_ROLE_ADMIN | YW_ROLE_DATA_OFFICER, YW_R_LAX,
      NULL, "edit an item (new version): admin, or a data officer of its department" },
    { "GET", "/api/v1/bundles", h_bundles, 0, YW_R_PUBLIC | YW_R_NODB, NULL, "one-thing bundles" },
    { "GET", "/api/v1/bundles/{code}", h_bundle, 0, YW_R_PUBLIC | YW_R_NODB, NULL, "a bundle" },
    { "GET", "/api/v1/license-types", h_license_types, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "e-license types" },
    { "GET", "/api/v1/license-types/{code}", h_license_type, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "an e-license type" },
};

static int
catalog_init(struct yw_app *app, struct yw_err *err)
{
    return yw_cat__snap_start(app, err);
}

static void
catalog_shutdown(void)
{
    yw_cat__snap_stop();
}

const struct yw_module yw_catalog_module = {
    .name = "catalog",
    .init = catalog_init,
    .shutdown = catalog_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
};
