/*
 * routes.c - HTTP routes of the data hub and its module descriptor.
 *
 *   GET  /api/v1/datahub/resources                     the catalog (?q=&dept=): staff, systems
 *   POST /api/v1/datahub/resources                     publish a resource (data officer)
 *   GET  /api/v1/datahub/resources/{code}              one, with quality and freshness
 *   PUT  /api/v1/datahub/resources/{code}              edit (versioned)
 *   POST /api/v1/datahub/resources/{code}/records      push a batch (data officer, the
 *                                                      owning department's system)
 *   GET  /api/v1/datahub/resources/{code}/subjects/{subject}   read with a purpose (ledger)
 *   GET/POST /api/v1/datahub/grants                    requests and grants; request one
 *   POST /api/v1/datahub/grants/{id}/approve|deny|revoke
 *   GET  /api/v1/datahub/me/file | me/ledger | me/corrections; POST me/corrections,
 *        me/ledger/{id}/dispute                        the subject's own
 *   GET  /api/v1/datahub/corrections, POST .../{id}/answer     the owning department
 *   GET  /api/v1/datahub/disputes, POST .../{id}/answer        reading department, supervisors
 *   GET  /api/v1/datahub/prefill?item=                 an applicant's hub-sourced form values
 *   GET  /api/v1/public/open-data, /api/v1/public/open-data/{code}/data.csv
 */
#include "datahub/internal.h"

#include "catalog/catalog.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "core/provider.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BROWSE (YW_ROLE_STAFF | YW_ROLE_DEPT_SYSTEM)
#define MANAGE (YW_ROLE_DATA_OFFICER | YW_ROLE_ADMIN)
#define PUSH   (YW_ROLE_DATA_OFFICER | YW_ROLE_ADMIN | YW_ROLE_DEPT_SYSTEM)
#define REQUESTERS                                                                                 \
    (YW_ROLE_DATA_OFFICER | YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_ADMIN)
#define OVERSEE (YW_ROLE_DATA_OFFICER | YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)

static int
load_res(struct yw_req *req, const char *code, struct yw_dh_res *r)
{
    int rc = yw_dh__res_get(req->db, &req->arena, code, r);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no data resource '%.40s'", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read data resource '%.40s'", code);
    return 0;
}

static int
path_id(struct yw_req *req, int64_t *id)
{
    const char *s = yw_req_param(req, "id");
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end != '\0' || v <= 0 || strlen(s) > 18)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no such object");
    *id = v;
    return 0;
}

static int
list_reply(struct yw_req *req, json_t *list, const char *what)
{
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the %s", what);
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", list));
}

/* ---- the catalog ---- */

static int
h_res_list(struct yw_req *req)
{
    int64_t limit, offset;
    int rc;
    if ((rc = yw_req_query_int(req, "limit", 100, 1, 500, &limit)) ||
        (rc = yw_req_query_int(req, "cursor", 0, 0, 10000000, &offset)))
        return rc;
    const char *q = yw_req_query(req, "q"), *dept = yw_req_query(req, "dept");
    if ((q && strlen(q) > 200) || (dept && strlen(dept) > 32))
        return yw_fail(&req->err, YW_EFIELD, q && strlen(q) > 200 ? "q" : "dept", "too long");
    json_t *list = yw_dh__res_list(req->db, q, dept, false, limit, offset);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the catalog");
    json_t *body = json_pack("{s:o}", "items", list);
    json_object_set_new(body, "next_cursor",
                        json_array_size(list) == (size_t)limit
                            ? json_sprintf("%lld", (long long)(offset + limit))
                            : json_null());
    return yw_resp_json(req, 200, body);
}

static int
h_res_get(struct yw_req *req)
{
    struct yw_dh_res r;
    int rc = load_res(req, yw_req_param(req, "code"), &r);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, yw_dh__res_json(req->db, &r, true));
}

static int
h_res_create(struct yw_req *req)
{
    json_t *doc = NULL;
    int rc = yw_dh__res_check(req->body, &doc, &req->err);
    if (rc)
        return rc;
    const char *dept = json_string_value(json_object_get(doc, "dept"));
    if (!yw_dh__may_manage(req->who, dept)) {
        json_decref(doc);
        return yw_fail(&req->err, YW_EFORBIDDEN, "dept",
                       "you publish your own department's resources");
    }
    if ((rc = yw_catalog_dept_exists(req->db, dept))) {
        json_decref(doc);
        return rc == YW_ENOTFOUND
                   ? yw_fail(&req->err, YW_EFIELD, "dept", "no department '%.32s'", dept)
                   : yw_fail(&req->err, rc, "dept", "cannot read the departments");
    }
    rc = yw_dh__res_create(req->db, doc, req->who->login, &req->err);
    if (rc == 0) {
        struct yw_dh_res r;
        rc = load_res(req, json_string_value(json_object_get(doc, "code")), &r);
        if (rc == 0) {
            json_decref(doc);
            return yw_resp_json(req, 201, yw_dh__res_json(req->db, &r, false));
        }
    }
    json_decref(doc);
    return rc;
}

static int
h_res_update(struct yw_req *req)
{
    struct yw_dh_res r;
    int rc = load_res(req, yw_req_param(req, "code"), &r);
    if (rc)
        return rc;
    if (!yw_dh__may_manage(req->who, r.dept))
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "resource '%s' is another department's",
                       r.code);
    json_object_set_new(req->body, "code", json_string(r.code));
    json_object_set_new(req->body, "dept", json_string(r.dept));
    json_t *doc = NULL;
    if ((rc = yw_dh__res_check(req->body, &doc, &req->err)))
        return rc;
    rc = yw_dh__res_update(req->db, &r, doc, req->who->login, &req->err);
    json_decref(doc);
    if (rc || (rc = load_res(req, r.code, &r)))
        return rc;
    return yw_resp_json(req, 200, yw_dh__res_json(req->db, &r, false));
}

/* ---- ingestion over the API ---- */

static int
h_push(struct yw_req *req)
{
    struct yw_dh_res r;
    int rc = load_res(req, yw_req_param(req, "code"), &r);
    if (rc)
        return rc;
    bool system = (req->who->roles & YW_ROLE_DEPT_SYSTEM) != 0;
    if (!(system ? !strcmp(req->who->dept, r.dept) : yw_dh__may_manage(req->who, r.dept)))
        return yw_fail(&req->err, YW_EFORBIDDEN, "",
                       "only the department that owns '%s' writes its records", r.code);
    if (system && !yw_dh__scope_resource(req->who->scopes ? req->who->scopes : "", "push", r.code))
        return yw_fail(&req->err, YW_EFORBIDDEN, "scope",
                       "此系统的令牌无权写入 '%s' / this system's token has no scope to push "
                       "records of '%s' (datahub.push or datahub.push:<code>)",
                       r.code, r.code);
    const char *idem = yw_req_header(req, "Idempotency-Key");
    char hash[65] = "";
    if (idem) {
        /* the body this key names: its canonical JSON's SM3 */
        char *canon = json_dumps(req->body, JSON_COMPACT | JSON_SORT_KEYS);
        yw_sm3_hex(canon, strlen(canon), hash);
        free(canon);
        size_t n = strlen(idem);
        bool ok = n >= 1 && n <= 100;
        for (size_t i = 0; ok && i < n; i++)
            ok = idem[i] > 0x20 && idem[i] < 0x7f;
        if (!ok)
            return yw_fail(&req->err, YW_EFIELD, "Idempotency-Key",
                           "an Idempotency-Key is 1-100 printable ASCII characters");
        json_t *prev = NULL;
        char was[65];
        rc = yw_dh__batch_find(req->db, &r, idem, &prev, was);
        if (rc == 0 && strcmp(was, hash) != 0) {
            json_decref(prev);
            return yw_fail(&req->err, YW_EIDEMREUSED, "Idempotency-Key",
                           "this Idempotency-Key came with other records");
        }
        if (rc == 0) {
            json_object_set_new(prev, "replayed", json_true());
            return yw_resp_json(req, 200, prev);
        }
        if (rc != YW_ENOTFOUND)
            return yw_fail(&req->err, rc, "", "cannot read the earlier batches");
    }
    json_t *rows = json_object_get(req->body, "records");
    bool all = json_is_true(json_object_get(req->body, "all_or_nothing"));
    size_t n = json_array_size(rows);
    if (n == 0)
        return yw_fail(&req->err, YW_EMISSING, "records", "records is a list of 1 to 1000 rows");
    json_t **data = yw_arena_zalloc(&req->arena, n * sizeof *data);
    const char **subj = yw_arena_zalloc(&req->arena, n * sizeof *subj);
    const char **rkey = yw_arena_zalloc(&req->arena, n * sizeof *rkey);
    json_t *errors = json_array();
    for (size_t i = 0; i < n; i++) {
        struct yw_err e = { 0 };
        if (yw_dh__row_check(&r, json_array_get(rows, i), &req->arena, &data[i], &subj[i], &rkey[i],
                             &e))
            json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "row", (json_int_t)i,
                                                    "field", e.field, "reason", e.msg));
    }
    size_t refused = json_array_size(errors);
    if (all && refused) {
        for (size_t i = 0; i < n; i++)
            json_decref(data[i]);
        json_t *body = json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", "invalid_field",
                                 "message", "rows were refused: nothing was written", "field",
                                 "records", "errors", errors);
        return yw_resp_json(req, 422, body);
    }
    int64_t batch = 0;
    rc = yw_dh__batch_open(req->db, &r, system ? "system" : "api", req->who->login, idem,
                           idem ? hash : NULL, &batch);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && data[i])
            rc = yw_dh__row_put(req->db, &r, batch, subj[i], rkey[i], data[i], NULL, NULL);
        json_decref(data[i]);
    }
    json_t *result = json_pack("{s:s, s:I, s:I, s:I, s:o}", "resource", r.code, "batch",
                               (json_int_t)batch, "rows", (json_int_t)(n - refused), "refused",
                               (json_int_t)refused, "errors", errors);
    if (rc == 0)
        rc = yw_dh__batch_close(req->db, &r, batch, (int64_t)(n - refused), (int64_t)refused,
                                result, req->who->login);
    if (rc) {
        json_decref(result);
        return yw_fail(&req->err, rc, "", "cannot store the records");
    }
    return yw_resp_json(req, 200, result);
}

/* ---- reads with a purpose ---- */

static void
reader_of(struct yw_req *req, struct yw_dh_reader *rd)
{
    bool system = (req->who->roles & YW_ROLE_DEPT_SYSTEM) != 0;
    *rd = (struct yw_dh_reader){
        .kind = system ? "system" : "staff",
        .dept = req->who->dept ? req->who->dept : "",
        .login = req->who->login,
        .name = req->who->name ? req->who->name : "",
        .purpose_code = yw_req_query(req, "purpose"),
        .purpose_text = yw_req_query(req, "purpose_text"),
        .case_no = yw_req_query(req, "case_no"),
        .sealed_until = yw_req_query(req, "sealed_until"),
        .seal_basis = yw_req_query(req, "seal_basis"),
        .scopes = system ? (req->who->scopes ? req->who->scopes : "") : NULL,
    };
}

/* A read refused for want of a grant (or of a not-shared resource) is
 * answered 403 and leaves one audit record: the attempt is what supervision
 * wants to see.  The refusal is sent as the response (not returned as an
 * error) so that the record commits; the body is the router's error shape. */
struct refusal {
    const char *actor, *role, *obj_type, *obj_id;
    char *summary; /* in the request's arena */
};

static void
refusal_of(struct yw_req *req, const char *obj_type, const char *obj_id, struct refusal *out)
{
    json_t *what = json_pack("{s:s, s:s, s:s}", "dept", req->who->dept ? req->who->dept : "",
                             "subject", yw_req_param(req, "subject"), "reason", req->err.msg);
    char *sum = json_dumps(what, JSON_COMPACT);
    json_decref(what);
    *out = (struct refusal){ .actor = req->who->login,
                             .role = req->who->kind,
                             .obj_type = obj_type,
                             .obj_id = yw_arena_strdup(&req->arena, obj_id ? obj_id : ""),
                             .summary = yw_arena_strdup(&req->arena, sum ? sum : "{}") };
    free(sum);
}

static int
refusal_write(struct yw_dbc *c, const struct refusal *f)
{
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = f->actor,
                                                     .role = f->role,
                                                     .action = "datahub.read.refused",
                                                     .obj_type = f->obj_type,
                                                     .obj_id = f->obj_id,
                                                     .summary = f->summary });
}

/* The 403 body of a refused read (the router's error shape). */
static int
refusal_answer(struct yw_req *req)
{
    json_t *body = json_pack("{s:{s:s, s:s}}", "error", "code", yw_errcode(YW_EFORBIDDEN),
                             "message", req->err.msg);
    if (req->err.field[0])
        json_object_set_new(json_object_get(body, "error"), "field", json_string(req->err.field));
    if (req->request_id)
        json_object_set_new(json_object_get(body, "error"), "request_id",
                            json_string(req->request_id));
    return yw_resp_json(req, 403, body);
}

/* A refusal inside the request's transaction (YW_R_BATCH routes). */
static int
refuse_read(struct yw_req *req, const char *obj_type, const char *obj_id)
{
    struct refusal f;
    refusal_of(req, obj_type, obj_id, &f);
    int rc = refusal_write(req->db, &f);
    return rc ? rc : refusal_answer(req);
}

/* ---- one resource of one subject (YW_R_BATCH | YW_R_PREP) ----
 *
 * The resource, the grant, the access decision and the records are read on
 * the HTTP worker; the group commit writes only the ledger entry (or a
 * refusal's audit record), so its one thread spends a read's time on one
 * INSERT - a write that needs no answer but its id - and the answer is made
 * after that commit, never before the entry is durable. */
struct read_job {
    struct yw_dh_res r;
    struct yw_dh_reader rd;
    struct yw_dh_read rp;
    struct refusal refused;
};

static int
read_tx(struct yw_dbc *c, void *ctx)
{
    struct read_job *j = ctx;
    return yw_dh__read_commit(c, &j->r, &j->rd, &j->rp);
}

static int
read_answer(struct yw_req *req)
{
    struct read_job *j = req->batch_ctx;
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_json(req, 200, yw_dh__read_answer(&j->r, &j->rp));
}

static void
read_job_release(void *ctx)
{
    struct read_job *j = ctx;
    yw_dh__read_release(&j->rp); /* answered or not (a batch that failed) */
}

static int
refused_tx(struct yw_dbc *c, void *ctx)
{
    struct read_job *j = ctx;
    return refusal_write(c, &j->refused);
}

static int
h_read(struct yw_req *req)
{
    struct read_job *j = yw_arena_zalloc(&req->arena, sizeof *j);
    reader_of(req, &j->rd);
    /* the resource and the department's grant in one statement */
    struct yw_dh_grant_row g;
    const char *code = yw_req_param(req, "code");
    int rc = yw_dh__res_get_grant(req->db, &req->arena, code, j->rd.dept, &j->r, &g);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no data resource '%.40s'", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read data resource '%.40s'", code);
    rc = yw_dh__read_prepare(req->db, &j->r, &g, yw_req_param(req, "subject"), &j->rd, &j->rp,
                             &req->err);
    if (rc == YW_EFORBIDDEN) {
        refusal_of(req, "data_resource", j->r.code, &j->refused);
        req->after_commit = refusal_answer;
        yw_req_batch(req, refused_tx, j);
        return 0;
    }
    if (rc)
        return rc;
    yw_arena_on_release(&req->arena, read_job_release, j);
    req->after_commit = read_answer;
    yw_req_batch(req, read_tx, j);
    return 0;
}

/* A staff member (or a department system) opening a person's or a
 * company's file: every resource the department may read, each in the
 * subject's ledger. */
static int
h_read_file(struct yw_req *req)
{
    struct yw_dh_reader rd;
    reader_of(req, &rd);
    if (rd.scopes && !yw_dh__scope_any(rd.scopes, "read")) {
        yw_fail(&req->err, YW_EFORBIDDEN, "scope",
                "此系统的令牌无权读取数据 / this system's token has no datahub.read scope");
        return refuse_read(req, "data_subject", yw_req_param(req, "subject"));
    }
    json_t *out = NULL;
    int rc =
        yw_dh__read_file(req->db, &req->arena, yw_req_param(req, "subject"), &rd, &out, &req->err);
    if (rc)
        return rc;
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_json(req, 200, out);
}

/* ---- grants ---- */

static int
h_grants(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status");
    if (status && strlen(status) > 16)
        return yw_fail(&req->err, YW_EFIELD, "status", "unknown status");
    return list_reply(req, yw_dh__grant_list(req->db, req->who, status), "grants");
}

static int
h_grant_request(struct yw_req *req)
{
    struct yw_dh_res r;
    int rc = yw_dh__res_get(req->db, &req->arena, yw_body_str(req, "resource"), &r);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EFIELD, "resource", "no data resource '%.40s'",
                       yw_body_str(req, "resource"));
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the resource");
    int64_t id = 0;
    if ((rc =
             yw_dh__grant_request(req->db, &r, req->who->dept, json_object_get(req->body, "fields"),
                                  yw_body_str(req, "purpose"), yw_body_str(req, "legal_basis"),
                                  yw_body_str(req, "until"), req->who->login, &id, &req->err)))
        return rc;
    json_t *g = yw_dh__grant_json_by_id(req->db, id);
    return g ? yw_resp_json(req, 201, g) : yw_fail(&req->err, YW_EDB, "", "cannot read the grant");
}

static int
decide(struct yw_req *req, const char *decision)
{
    int64_t id;
    int rc = path_id(req, &id);
    if (rc)
        return rc;
    json_t *fields = json_object_get(req->body, "fields"),
           *masked = json_object_get(req->body, "masked");
    if ((rc = yw_dh__grant_decide(req->db, id, decision, fields, masked, yw_body_str(req, "reason"),
                                  req->who, &req->err)))
        return rc;
    json_t *g = yw_dh__grant_json_by_id(req->db, id);
    return g ? yw_resp_json(req, 200, g) : yw_fail(&req->err, YW_EDB, "", "cannot read the grant");
}

static int
h_approve(struct yw_req *req)
{
    return decide(req, "approve");
}
static int
h_deny(struct yw_req *req)
{
    return decide(req, "deny");
}
static int
h_revoke(struct yw_req *req)
{
    return decide(req, "revoke");
}

/* ---- the subject's own ---- */

static int
h_my_file(struct yw_req *req)
{
    json_t *list = yw_dh__my_file(req->db, req->who->login);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read your file");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:o}", "subject", req->who->login, "kind",
                                  req->who->kind, "resources", list));
}

static int
h_my_ledger(struct yw_req *req)
{
    int64_t limit, offset;
    int rc;
    if ((rc = yw_req_query_int(req, "limit", 100, 1, 500, &limit)) ||
        (rc = yw_req_query_int(req, "cursor", 0, 0, 10000000, &offset)))
        return rc;
    json_t *list = yw_dh__my_ledger(req->db, req->who->login, limit, offset);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read your ledger");
    json_t *body = json_pack("{s:o}", "items", list);
    json_object_set_new(body, "next_cursor",
                        json_array_size(list) == (size_t)limit
                            ? json_sprintf("%lld", (long long)(offset + limit))
                            : json_null());
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_json(req, 200, body);
}

static int
h_dispute(struct yw_req *req)
{
    int64_t id, did = 0;
    int rc = path_id(req, &id);
    if (rc || (rc = yw_dh__dispute(req->db, req->who->login, id, yw_body_str(req, "reason"), &did,
                                   &req->err)))
        return rc;
    return yw_resp_json(req, 201,
                        json_pack("{s:I, s:I, s:s}", "id", (json_int_t)did, "ledger_id",
                                  (json_int_t)id, "status", "open"));
}

static int
h_my_corrections(struct yw_req *req)
{
    return list_reply(req, yw_dh__corrections(req->db, NULL, req->who->login), "corrections");
}

static int
h_correction_add(struct yw_req *req)
{
    int64_t id = 0;
    int rc = yw_dh__correction_add(req->db, req->who->login, yw_body_str(req, "resource"),
                                   yw_body_str(req, "field"), yw_body_str(req, "record_key"),
                                   yw_body_str(req, "proposed"), yw_body_str(req, "reason"), &id,
                                   &req->err);
    if (rc)
        return rc;
    char due[11];
    yw_dh__due_day(5, due);
    return yw_resp_json(
        req, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "status", "open", "due", due));
}

static int
h_corrections(struct yw_req *req)
{
    return list_reply(req, yw_dh__corrections(req->db, req->who, NULL), "corrections");
}

static int
h_correction_answer(struct yw_req *req)
{
    int64_t id;
    int rc = path_id(req, &id);
    if (rc || (rc = yw_dh__correction_answer(req->db, id, yw_body_str(req, "decision"),
                                             yw_body_str(req, "answer"), req->who, &req->err)))
        return rc;
    return yw_resp_json(
        req, 200,
        json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", yw_body_str(req, "decision")));
}

static int
h_disputes(struct yw_req *req)
{
    return list_reply(req, yw_dh__disputes(req->db, req->who), "disputes");
}

static int
h_dispute_answer(struct yw_req *req)
{
    int64_t id;
    int rc = path_id(req, &id);
    if (rc ||
        (rc = yw_dh__dispute_answer(req->db, id, yw_body_str(req, "answer"), req->who, &req->err)))
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "answered"));
}

static int
h_prefill(struct yw_req *req)
{
    const char *item = yw_req_query(req, "item");
    if (item == NULL || *item == '\0' || strlen(item) > 40)
        return yw_fail(&req->err, YW_EMISSING, "item", "name the service item (?item=CODE)");
    json_t *out = NULL;
    int rc = yw_dh__prefill_item(req->db, &req->arena, req->who->login, item, &out, &req->err);
    if (rc)
        return rc;
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_json(req, 200, out);
}

/* ---- open data ---- */

static int
h_open_list(struct yw_req *req)
{
    json_t *list = yw_dh__res_list(req->db, yw_req_query(req, "q"), NULL, true, 500, 0);
    yw_resp_header(req, "Cache-Control", "public, max-age=60");
    return list_reply(req, list, "open data catalog");
}

static int
h_open_csv(struct yw_req *req)
{
    struct yw_dh_res r;
    int rc = load_res(req, yw_req_param(req, "code"), &r);
    if (rc)
        return rc;
    if (!r.open)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no open data resource '%.40s'", r.code);
    char *csv = NULL;
    size_t len = 0;
    if ((rc = yw_dh__open_csv(req->db, &r, &csv, &len)))
        return yw_fail(&req->err, rc, "", "cannot read the records of '%s'", r.code);
    yw_resp_header(req, "Content-Disposition",
                   yw_arena_printf(&req->arena, "attachment; filename=\"%s.csv\"", r.code));
    return yw_resp_take(req, 200, "text/csv; charset=utf-8", csv, len);
}

/* ---- the table ---- */

static const struct yw_field res_body[] = {
    { "code", YW_F_STRING, true, 32 },
    { "dept", YW_F_STRING, true, 32 },
    { "name", YW_F_STRING, true, 100 },
    { "name_en", YW_F_STRING, false, 200 },
    { "description", YW_F_STRING, false, 1000 },
    { "subject_kind", YW_F_STRING, true, 16 },
    { "subject_field", YW_F_STRING, false, 32 },
    { "record_key", YW_F_STRING, false, 32 },
    { "share_type", YW_F_STRING, true, 16 },
    { "open", YW_F_BOOL, false, 0 },
    { "self_view", YW_F_BOOL, false, 0 },
    { "frequency", YW_F_STRING, true, 16 },
    { "legal_basis", YW_F_STRING, true, 500 },
    { "fields", YW_F_ARRAY, true, 200 },
    { NULL, 0, false, 0 },
};
static const struct yw_field res_edit_body[] = {
    { "name", YW_F_STRING, true, 100 },
    { "name_en", YW_F_STRING, false, 200 },
    { "description", YW_F_STRING, false, 1000 },
    { "subject_kind", YW_F_STRING, true, 16 },
    { "subject_field", YW_F_STRING, false, 32 },
    { "record_key", YW_F_STRING, false, 32 },
    { "share_type", YW_F_STRING, true, 16 },
    { "open", YW_F_BOOL, false, 0 },
    { "self_view", YW_F_BOOL, false, 0 },
    { "frequency", YW_F_STRING, true, 16 },
    { "legal_basis", YW_F_STRING, true, 500 },
    { "fields", YW_F_ARRAY, true, 200 },
    { "code", YW_F_STRING, false, 32 },
    { "dept", YW_F_STRING, false, 32 },
    { NULL, 0, false, 0 },
};
static const struct yw_field push_body[] = {
    { "records", YW_F_ARRAY, true, 1000 },
    { "all_or_nothing", YW_F_BOOL, false, 0 },
    { NULL, 0, false, 0 },
};
static const struct yw_field grant_body[] = {
    { "resource", YW_F_STRING, true, 32 }, { "fields", YW_F_ARRAY, true, 200 },
    { "purpose", YW_F_STRING, true, 500 }, { "legal_basis", YW_F_STRING, true, 500 },
    { "until", YW_F_STRING, true, 10 },    { NULL, 0, false, 0 },
};
static const struct yw_field approve_body[] = {
    { "fields", YW_F_ARRAY, false, 200 },
    { "masked", YW_F_ARRAY, false, 200 },
    { "reason", YW_F_STRING, false, 500 },
    { NULL, 0, false, 0 },
};
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field dispute_body[] = { { "reason", YW_F_STRING, true, 500 },
                                                { NULL, 0, false, 0 } };
static const struct yw_field correction_body[] = {
    { "resource", YW_F_STRING, true, 32 },     { "field", YW_F_STRING, true, 32 },
    { "record_key", YW_F_STRING, false, 100 }, { "proposed", YW_F_STRING, true, 500 },
    { "reason", YW_F_STRING, true, 500 },      { NULL, 0, false, 0 },
};
static const struct yw_field answer_body[] = { { "decision", YW_F_STRING, true, 16 },
                                               { "answer", YW_F_STRING, true, 1000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field dispute_answer_body[] = { { "answer", YW_F_STRING, true, 1000 },
                                                       { NULL, 0, false, 0 } };

#define P "/api/v1/datahub"
static const struct yw_route routes[] = {
    { "GET", P "/resources", h_res_list, BROWSE, 0, NULL, "the data resource catalog" },
    { "POST", P "/resources", h_res_create, MANAGE, YW_R_WRITE, res_body, "publish a resource" },
    { "GET", P "/resources/{code}", h_res_get, BROWSE, 0, NULL, "a resource with its quality" },
    { "PUT", P "/resources/{code}", h_res_update, MANAGE, YW_R_WRITE, res_edit_body,
      "edit a resource (versioned)" },
    { "POST", P "/resources/{code}/records", h_push, PUSH, YW_R_WRITE, push_body,
      "push a batch of records" },
    { "GET", P "/resources/{code}/subjects/{subject}", h_read, BROWSE, YW_R_BATCH | YW_R_PREP, NULL,
      "read a subject's records with a purpose (ledgered)" },
    { "GET", P "/subjects/{subject}", h_read_file, BROWSE, YW_R_BATCH, NULL,
      "a subject's file as the department may read it, with a purpose (ledgered)" },
    { "GET", P "/grants", h_grants, BROWSE, 0, NULL, "sharing requests and grants" },
    { "POST", P "/grants", h_grant_request, REQUESTERS, YW_R_WRITE, grant_body,
      "request a conditional resource" },
    { "POST", P "/grants/{id}/approve", h_approve, MANAGE, YW_R_WRITE, approve_body,
      "approve a request" },
    { "POST", P "/grants/{id}/deny", h_deny, MANAGE, YW_R_WRITE, reason_body, "deny a request" },
    { "POST", P "/grants/{id}/revoke", h_revoke, MANAGE, YW_R_WRITE, reason_body,
      "revoke a grant" },
    { "GET", P "/me/file", h_my_file, YW_ROLE_APPLICANT, 0, NULL, "my file (一人一档/一企一档)" },
    { "GET", P "/me/ledger", h_my_ledger, YW_ROLE_APPLICANT, 0, NULL, "my ledger (用数记录)" },
    { "POST", P "/me/ledger/{id}/dispute", h_dispute, YW_ROLE_APPLICANT, YW_R_WRITE, dispute_body,
      "dispute a ledger entry" },
    { "GET", P "/me/corrections", h_my_corrections, YW_ROLE_APPLICANT, 0, NULL,
      "my data corrections" },
    { "POST", P "/me/corrections", h_correction_add, YW_ROLE_APPLICANT, YW_R_WRITE, correction_body,
      "report a wrong value (数据纠错)" },
    { "GET", P "/corrections", h_corrections, MANAGE, 0, NULL, "corrections to answer" },
    { "POST", P "/corrections/{id}/answer", h_correction_answer, MANAGE, YW_R_WRITE, answer_body,
      "answer a correction" },
    { "GET", P "/disputes", h_disputes, OVERSEE, 0, NULL, "disputed ledger entries" },
    { "POST", P "/disputes/{id}/answer", h_dispute_answer, OVERSEE, YW_R_WRITE, dispute_answer_body,
      "answer a dispute" },
    { "GET", P "/prefill", h_prefill, YW_ROLE_APPLICANT, YW_R_BATCH, NULL,
      "my authoritative form values for an item (ledgered)" },
    { "GET", "/api/v1/public/open-data", h_open_list, 0, YW_R_PUBLIC | YW_R_STALE, NULL,
      "open data catalog", 120 },
    { "GET", "/api/v1/public/open-data/{code}/data.csv", h_open_csv, 0, YW_R_PUBLIC | YW_R_STALE,
      NULL, "an open resource's data as CSV", 60 },
};
#undef P

static int
datahub_init(struct yw_app *app, struct yw_err *err)
{
    int rc = yw_dh__calendar_init(app->cfg->data_dir, err);
    if (rc)
        return rc;
    yw_provider_add_prefill("datahub", yw_dh__prefill_provider, NULL);
    /* a login to a department's system through ywtb is that system's use of the person's identity */
    yw_events_subscribe(YW_EV_OIDC_LOGIN, yw_dh__on_oidc_login, NULL);
    /* a submission's prefill reads get its item and case number */
    yw_events_subscribe(YW_EV_CASE_SUBMITTED, yw_dh__on_case_submitted, NULL);
    yw_dh__partitions_ensure(app->db);
    return 0;
}

static void
datahub_shutdown(void)
{
    yw_dh__calendar_free();
}

const struct yw_module yw_datahub_module = {
    .name = "datahub",
    .init = datahub_init,
    .shutdown = datahub_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_dh__commands,
    .seed = yw_dh__seed,
};
