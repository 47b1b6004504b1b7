/*
 * routes.c - HTTP routes of cases and review tasks.
 *
 *   POST /api/v1/cases                       apply (online, agent, window, kiosk); Idempotency-Key honoured
 *   POST /api/v1/cases/precheck              before applying: prefilled values, materials own e-licenses satisfy
 *   GET  /api/v1/cases                       my cases / the window's / a department's
 *   GET  /api/v1/cases/{case_no}             one case: form, materials (missing ones), tasks, clock, timeline
 *   PUT  /api/v1/cases/{case_no}             edit a draft, or submit it
 *   POST /api/v1/cases/{case_no}/accept | reject | request-supplement      the window
 *   POST /api/v1/cases/{case_no}/supplement | withdraw                     the applicant
 *   POST /api/v1/cases/{case_no}/pause | resume                            reviewers (特别程序)
 *   GET  /api/v1/tasks                       a department's queue, by time left
 *   POST /api/v1/tasks/{id}/decide | consult | reroute | reassign
 */
#include "cases/internal.h"

#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct yw_calendar *calendar;

const struct yw_calendar *
yw_cases__calendar(void)
{
    return calendar;
}

static const char *
main_role(uint32_t roles)
{
    static const uint32_t order[] = {
        YW_ROLE_CHIEF_APPROVER, YW_ROLE_REVIEWER,         YW_ROLE_WINDOW_CLERK,
        YW_ROLE_SUPERVISOR,     YW_ROLE_HOTLINE_OPERATOR, YW_ROLE_DATA_OFFICER,
        YW_ROLE_ADMIN,          YW_ROLE_ENTERPRISE,       YW_ROLE_PERSON
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (roles & order[i])
            return yw_role_name(order[i]);
    return "";
}

static bool
is_staff(const struct yw_req *req)
{
    return (req->who->roles & YW_ROLE_STAFF) != 0;
}

/* Load the case named in the path, visible to the caller (404 otherwise). */
static int
load_case(struct yw_req *req, struct yw_case *k)
{
    int rc = yw_case__load(req->db, &req->arena, yw_req_param(req, "case_no"), k);
    if (rc == 0)
        rc = yw_case__check_visible(req->db, k, req->who);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no case '%.40s'", yw_req_param(req, "case_no"));
    return rc;
}

static int
send_case(struct yw_req *req, int status, const struct yw_case *k)
{
    json_t *o = yw_case__json(req->db, &req->arena, k, is_staff(req));
    if (o == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read case '%s'", k->case_no);
    return yw_resp_json(req, status, o);
}

/* After the visibility check: the applicant, or a person who sees the case
 * because they are the applicant company's agent. */
/* after_commit steps: the case (by req->after_id) as the caller sees it */
static int
send_after(struct yw_req *req, int status)
{
    struct yw_case k;
    int rc = yw_case__load_id(req->db, &req->arena, req->after_id, &k);
    if (rc == 0)
        rc = send_case(req, status, &k);
    if (rc == YW_EDB) /* committed already: say so, so nobody repeats the action blindly */
        return yw_fail(&req->err, rc, "",
                       "the change was saved, but the case cannot be read back; reload it");
    return rc;
}

static int
send_after_200(struct yw_req *req)
{
    return send_after(req, 200);
}
static int
send_after_201(struct yw_req *req)
{
    return send_after(req, 201);
}

static bool
acts_for(const struct yw_req *req, const struct yw_case *k)
{
    return k->applicant_id == req->who->account_id ||
           ((req->who->roles & YW_ROLE_PERSON) && !is_staff(req));
}

/* An Idempotency-Key is 1 to 64 printable ASCII characters: it is stored and
 * compared as text, so bytes that are not (an overlong NUL, Latin-1) are refused
 * here instead of reaching the database. */
static bool
idem_key_ok(const char *key)
{
    size_t n = 0;
    for (; key[n]; n++)
        if ((unsigned char)key[n] < 0x20 || (unsigned char)key[n] > 0x7e)
            return false;
    return n >= 1 && n <= 64;
}

/* After a submission's commit, on the HTTP worker: the new case's answer
 * from the parts its transaction kept (yw_case__made_json). */
static int
send_made_201(struct yw_req *req)
{
    const struct yw_case_made *m = (const struct yw_case_made *)(intptr_t)req->after_id;
    json_t *body = yw_case__made_json(req->db, &req->arena, m);
    if (body == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot write the new case out");
    return yw_resp_json(req, 201, body);
}

static int
h_create(struct yw_req *req)
{
    const char *item = yw_body_str(req, "item_code"), *bundle = yw_body_str(req, "bundle_code");
    if ((item == NULL) == (bundle == NULL))
        return yw_fail(&req->err, YW_EFIELD, "item_code",
                       "name exactly one of item_code and bundle_code");
    struct yw_apply ap = { .item_code = item,
                           .bundle_code = bundle,
                           .form = json_object_get(req->body, "form"),
                           .materials = json_object_get(req->body, "materials"),
                           .draft = json_is_true(json_object_get(req->body, "draft")) };
    const char *channel = yw_body_str(req, "channel");
    json_t *applicant = json_object_get(req->body, "applicant_id");
    json_t *behalf = json_object_get(req->body, "on_behalf_of");
    const char *role;
    if (is_staff(req)) {
        if (!(req->who->roles & YW_ROLE_WINDOW_CLERK))
            return yw_fail(&req->err, YW_EFORBIDDEN, "",
                           "only the integrated window applies on someone's behalf");
        if (!json_is_integer(applicant))
            return yw_fail(&req->err, YW_EMISSING, "applicant_id",
                           "look the applicant up first and name applicant_id");
        ap.applicant_id = json_integer_value(applicant);
        ap.channel = "window";
        role = "window_clerk";
    } else {
        if (applicant)
            return yw_fail(&req->err, YW_EFORBIDDEN, "applicant_id",
                           "only window clerks apply for someone else");
        ap.channel = channel ? channel : "online";
        if (strcmp(ap.channel, "online") && strcmp(ap.channel, "kiosk"))
            return yw_fail(&req->err, YW_EFIELD, "channel", "channel must be online or kiosk");
        role = (req->who->roles & YW_ROLE_ENTERPRISE) ? "enterprise" : "person";
        ap.applicant_id = req->who->account_id;
        if (behalf) {
            /* a person applying as an agent (经办人) of a company */
            struct yw_case probe = { .applicant_id = json_integer_value(behalf),
                                     .submitted_by = -1 };
            int vis = json_is_integer(behalf) && (req->who->roles & YW_ROLE_PERSON)
                          ? yw_case__check_visible(req->db, &probe, req->who)
                          : YW_ENOTFOUND;
            if (vis && vis != YW_ENOTFOUND)
                return yw_fail(&req->err, vis, "", "cannot read your authorizations");
            if (vis)
                return yw_fail(&req->err, YW_EFORBIDDEN, "on_behalf_of",
                               "you are not an authorized agent of that company");
            ap.applicant_id = json_integer_value(behalf);
        }
    }
    const char *key = yw_req_header(req, "Idempotency-Key");
    if (key && !idem_key_ok(key))
        return yw_fail(&req->err, YW_EFIELD, "Idempotency-Key",
                       "the Idempotency-Key must be 1 to 64 printable ASCII characters");
    ap.idem_key = key;
    struct yw_actor who = yw_case__actor(req->who, role);
    struct yw_case k;
    bool replayed = false;
    struct yw_case_made *made = NULL;
    int rc = yw_case__create(req->db, &req->arena, &ap, &who, is_staff(req), &k, &made, &replayed,
                             &req->err);
    if (rc)
        return rc;
    if (made) { /* what the transaction wrote: written out once it commits, nothing read back */
        req->after_id = (int64_t)(intptr_t)made;
        req->after_commit = send_made_201;
        return 0;
    }
    if (replayed)
        yw_resp_header(req, "Idempotent-Replayed", "true");
    req->after_id = k.id;
    req->after_commit = replayed ? send_after_200 : send_after_201;
    return 0;
}

/* What applying would fill in for this applicant, before applying: the same
 * applicant rules as h_create (a clerk names applicant_id, an agent
 * on_behalf_of), nothing written. */
static int
h_precheck(struct yw_req *req)
{
    const char *item = yw_body_str(req, "item_code"), *bundle = yw_body_str(req, "bundle_code");
    if ((item == NULL) == (bundle == NULL))
        return yw_fail(&req->err, YW_EFIELD, "item_code",
                       "name exactly one of item_code and bundle_code");
    struct yw_apply ap = { .item_code = item, .bundle_code = bundle };
    json_t *applicant = json_object_get(req->body, "applicant_id");
    json_t *behalf = json_object_get(req->body, "on_behalf_of");
    const char *role;
    if (is_staff(req)) {
        if (!(req->who->roles & YW_ROLE_WINDOW_CLERK))
            return yw_fail(&req->err, YW_EFORBIDDEN, "",
                           "only the integrated window applies on someone's behalf");
        if (!json_is_integer(applicant))
            return yw_fail(&req->err, YW_EMISSING, "applicant_id",
                           "look the applicant up first and name applicant_id");
        ap.applicant_id = json_integer_value(applicant);
        ap.channel = "window";
        role = "window_clerk";
    } else {
        if (applicant)
            return yw_fail(&req->err, YW_EFORBIDDEN, "applicant_id",
                           "only window clerks apply for someone else");
        ap.channel = "online";
        role = (req->who->roles & YW_ROLE_ENTERPRISE) ? "enterprise" : "person";
        ap.applicant_id = req->who->account_id;
        if (behalf) {
            struct yw_case probe = { .applicant_id = json_integer_value(behalf),
                                     .submitted_by = -1 };
            int vis = json_is_integer(behalf) && (req->who->roles & YW_ROLE_PERSON)
                          ? yw_case__check_visible(req->db, &probe, req->who)
                          : YW_ENOTFOUND;
            if (vis && vis != YW_ENOTFOUND)
                return yw_fail(&req->err, vis, "", "cannot read your authorizations");
            if (vis)
                return yw_fail(&req->err, YW_EFORBIDDEN, "on_behalf_of",
                               "you are not an authorized agent of that company");
            ap.applicant_id = json_integer_value(behalf);
        }
    }
    struct yw_actor who = yw_case__actor(req->who, role);
    json_t *out = NULL;
    int rc = yw_case__precheck(req->db, &req->arena, &ap, &who, &out, &req->err);
    return rc ? rc : yw_resp_json(req, 200, out);
}

/* ---- a citizen's own list and pages through the cache (mine_cache.c) ---- */

/* Begin a read of `key` for a person or a company (never staff, never a
 * department system); false when the cache is not used for it. */
static bool
mine_begin(struct yw_req *req, const char *key, struct yw_cases_mine_read *r)
{
    r->on = false;
    if (key == NULL || is_staff(req) || !(req->who->roles & YW_ROLE_APPLICANT))
        return false;
    return yw_cases__mine_begin(req->who->account_id, key, r);
}

/* Answer from the cache when it holds r's bytes. */
static bool
mine_hit(struct yw_req *req, const struct yw_cases_mine_read *r)
{
    size_t len = 0;
    char *body = yw_cases__mine_get(r, &len);
    if (body == NULL)
        return false;
    yw_resp_take(req, 200, "application/json; charset=utf-8", body, len);
    return true;
}

static int
h_list(struct yw_req *req)
{
    int64_t limit, cursor, next = 0;
    int rc;
    const char *order = yw_req_query(req, "order");
    bool oldest = order && !strcmp(order, "oldest");
    if (order && *order && !oldest && strcmp(order, "newest"))
        return yw_fail(&req->err, YW_EFIELD, "order", "order is newest or oldest");
    if ((rc = yw_req_query_int(req, "limit", 20, 1, 100, &limit)) ||
        (rc = yw_req_query_int(req, "cursor", oldest ? 0 : INT64_MAX, 0, INT64_MAX, &cursor)))
        return rc;
    const char *status = yw_req_query(req, "status");
    if (status && strlen(status) > 32)
        return yw_fail(&req->err, YW_EFIELD, "status", "unknown status");
    struct yw_cases_mine_read mr;
    char key[YW_CASES_MINE_KEY];
    bool keyed = yw_cases__mine_key(key, 'L', limit, cursor, status);
    if (mine_begin(req, keyed ? key : NULL, &mr) && mine_hit(req, &mr))
        return 0;
    const int64_t *deps = NULL;
    size_t ndeps = 0;
    json_t *list = yw_cases__list(req->db, &req->arena, req->who, status,
                                  yw_req_query(req, "scope"), oldest, limit, cursor, &next, &deps,
                                  &ndeps);
    if (list == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the list of cases");
    json_t *body = json_pack("{s:o}", "items", list);
    if (next) {
        char n[24];
        snprintf(n, sizeof n, "%lld", (long long)next);
        json_object_set_new(body, "next_cursor", json_string(n));
    } else {
        json_object_set_new(body, "next_cursor", json_null());
    }
    rc = yw_resp_json(req, 200, body);
    if (rc == 0 && mr.on && deps)
        rc = yw_resp_bytes(req); /* the bytes the cache keeps */
    if (rc == 0 && mr.on && deps)
        yw_cases__mine_put(&mr, deps, ndeps, req->resp_body, req->resp_len);
    return rc;
}

static int
h_get(struct yw_req *req)
{
    struct yw_cases_mine_read mr;
    char key[YW_CASES_MINE_KEY];
    bool keyed = yw_cases__mine_key(key, 'C', 0, 0, yw_req_param(req, "case_no"));
    if (mine_begin(req, keyed ? key : NULL, &mr) && mine_hit(req, &mr))
        return 0;
    struct yw_case k;
    int rc = load_case(req, &k);
    if (rc == 0)
        rc = send_case(req, 200, &k);
    if (rc == 0 && mr.on)
        rc = yw_resp_bytes(req); /* the bytes the cache keeps */
    if (rc == 0 && mr.on) {
        /* the applicant's cases, and the viewer (an agent: their authorization) */
        int64_t deps[2] = { k.applicant_id, req->who->account_id };
        yw_cases__mine_put(&mr, deps, deps[0] == deps[1] ? 1 : 2, req->resp_body, req->resp_len);
    }
    return rc;
}

static int
h_update(struct yw_req *req)
{
    struct yw_case k;
    int rc = load_case(req, &k);
    if (rc)
        return rc;
    bool clerk_draft =
        k.submitted_by == req->who->account_id && (req->who->roles & YW_ROLE_WINDOW_CLERK);
    if (!clerk_draft && (is_staff(req) || !acts_for(req, &k)))
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "only the applicant edits a draft");
    struct yw_actor who = yw_case__actor(req->who, main_role(req->who->roles));
    rc = yw_case__update_draft(req->db, &req->arena, &k, json_object_get(req->body, "form"),
                               json_object_get(req->body, "materials"),
                               json_is_true(json_object_get(req->body, "submit")), &who, &req->err);
    if (rc)
        return rc;
    req->after_id = k.id;
    req->after_commit = send_after_200;
    return 0;
}

typedef int (*window_fn)(struct yw_req *req, struct yw_case *k, struct yw_actor *who);

static int
with_case(struct yw_req *req, window_fn fn, bool applicant_action, const char *role)
{
    struct yw_case k;
    int rc = load_case(req, &k);
    if (rc)
        return rc;
    if (applicant_action && (is_staff(req) || !acts_for(req, &k)))
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "only the applicant can do this");
    struct yw_actor who = yw_case__actor(req->who, role ? role : main_role(req->who->roles));
    if ((rc = fn(req, &k, &who)))
        return rc;
    req->after_id = k.id;
    req->after_commit = send_after_200;
    return 0;
}

static int
do_accept(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__accept(req->db, &req->arena, k, who, yw_body_str(req, "note"), &req->err);
}

static int
do_reject(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__reject(req->db, k, who, yw_body_str(req, "reason"), &req->err);
}

static int
do_request_supplement(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__request_supplement(req->db, k, who, json_object_get(req->body, "items"),
                                       yw_body_str(req, "note"), &req->err);
}

static int
do_supplement(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__supplement(req->db, &req->arena, k, json_object_get(req->body, "form"),
                               json_object_get(req->body, "materials"), who, &req->err);
}

static int
do_withdraw(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__withdraw(req->db, &req->arena, k, who, yw_body_str(req, "reason"), &req->err);
}

static int
do_pause(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__pause(req->db, k, who, yw_body_str(req, "kind"), yw_body_str(req, "reason"),
                          false, &req->err);
}

static int
do_resume(struct yw_req *req, struct yw_case *k, struct yw_actor *who)
{
    return yw_case__pause(req->db, k, who, NULL, yw_body_str(req, "reason"), true, &req->err);
}

static int
h_accept(struct yw_req *r)
{
    return with_case(r, do_accept, false, "window_clerk");
}
static int
h_reject(struct yw_req *r)
{
    return with_case(r, do_reject, false, "window_clerk");
}
static int
h_req_supplement(struct yw_req *r)
{
    return with_case(r, do_request_supplement, false, "window_clerk");
}
static int
h_supplement(struct yw_req *r)
{
    return with_case(r, do_supplement, true, NULL);
}
static int
h_withdraw(struct yw_req *r)
{
    return with_case(r, do_withdraw, true, NULL);
}
static int
h_pause(struct yw_req *r)
{
    return with_case(r, do_pause, false, NULL);
}
static int
h_resume(struct yw_req *r)
{
    return with_case(r, do_resume, false, NULL);
}

static int
h_queue(struct yw_req *req)
{
    const char *dept = yw_req_query(req, "dept");
    const char *status = yw_req_query(req, "status");
    if (status == NULL || *status == '\0')
        status = "pending";
    if (strlen(status) > 16)
        return yw_fail(&req->err, YW_EFIELD, "status", "unknown status");
    if (!(req->who->roles & (YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR)))
        dept = req->who->dept; /* reviewers see their own department */
    else if (dept && strlen(dept) > 32)
        return yw_fail(&req->err, YW_EFIELD, "dept", "unknown department");
    int64_t limit;
    int rc;
    if ((rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit)))
        return rc;
    /* cursor: "due.id" of the last task of the previous page */
    long long after_due = -1, after_id = 0; /* due days are never negative; int32 on PostgreSQL */
    const char *cursor = yw_req_query(req, "cursor");
    if (cursor && *cursor) {
        char tail;
        if (sscanf(cursor, "%lld.%lld%c", &after_due, &after_id, &tail) != 2 || after_due < -1 ||
            after_due > INT32_MAX)
            return yw_fail(&req->err, YW_EFIELD, "cursor",
                           "cursor is the next_cursor of the previous page");
    }
    /* {"dept":..., "items":[...], "next_cursor":... or null}, written as bytes (queue.c) */
    char next[48];
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"dept\":");
    yw_buf_add_json_str(&b, dept ? dept : "", dept ? strlen(dept) : 0);
    yw_buf_adds(&b, ",\"items\":");
    if ((rc = yw_tasks__queue(req->db, dept, status, limit, after_due, after_id, &b, next,
                              sizeof next))) {
        yw_buf_release(&b);
        return rc;
    }
    yw_buf_adds(&b, ",\"next_cursor\":");
    if (next[0])
        yw_buf_add_json_str(&b, next, strlen(next));
    else
        yw_buf_adds(&b, "null");
    yw_buf_addc(&b, '}');
    return yw_resp_take(req, 200, "application/json; charset=utf-8", b.p, b.n);
}

/* Pending tasks by light: a reviewer's own department, or (chief, supervisor)
 * every department or the one asked for. */
static int
h_task_stats(struct yw_req *req)
{
    const char *dept = yw_req_query(req, "dept");
    if (!(req->who->roles & (YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR)))
        dept = req->who->dept;
    else if (dept && strlen(dept) > 32)
        return yw_fail(&req->err, YW_EFIELD, "dept", "unknown department");
    json_t *stats = yw_tasks__stats(req->db, dept);
    if (stats == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot count the tasks");
    return yw_resp_json(req, 200, stats);
}

typedef int (*task_fn)(struct yw_req *req, struct yw_task *t, struct yw_actor *who);

static int
with_task(struct yw_req *req, task_fn fn)
{
    char *end;
    long long id = strtoll(yw_req_param(req, "id"), &end, 10);
    struct yw_task t;
    int rc = (*end || id <= 0) ? YW_ENOTFOUND : yw_task__load(req->db, &req->arena, id, &t);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no such task");
    if (rc)
        return rc;
    struct yw_actor who = yw_case__actor(req->who, main_role(req->who->roles));
    if ((rc = fn(req, &t, &who)))
        return rc;
    req->after_id = t.case_id;
    req->after_commit = send_after_200;
    return 0;
}

static int
do_decide(struct yw_req *req, struct yw_task *t, struct yw_actor *who)
{
    return yw_task__decide(req->db, &req->arena, t, who, yw_body_str(req, "decision"),
                           yw_body_str(req, "opinion"), &req->err);
}

static int
do_consult(struct yw_req *req, struct yw_task *t, struct yw_actor *who)
{
    return yw_task__consult(req->db, &req->arena, t, who, yw_body_str(req, "dept"),
                            yw_body_str(req, "note"), &req->err);
}

static int
do_reroute(struct yw_req *req, struct yw_task *t, struct yw_actor *who)
{
    return yw_task__reroute(req->db, &req->arena, t, who, yw_body_str(req, "dept"),
                            yw_body_str(req, "reason"), false, &req->err);
}

static int
do_reassign(struct yw_req *req, struct yw_task *t, struct yw_actor *who)
{
    return yw_task__reroute(req->db, &req->arena, t, who, yw_body_str(req, "dept"),
                            yw_body_str(req, "reason"), true, &req->err);
}

static int
h_decide(struct yw_req *r)
{
    return with_task(r, do_decide);
}

/* The decide route's ahead (http.h): an approval's e-license is signed here,
 * on the HTTP worker, before the decision joins the batch (review.c). */
static int
h_decide_ahead(struct yw_req *req)
{
    const char *decision = yw_body_str(req, "decision");
    char *end;
    long long id = strtoll(yw_req_param(req, "id"), &end, 10);
    struct yw_task t;
    if (decision == NULL || strcmp(decision, "approve") != 0 || *end || id <= 0 ||
        yw_task__load(req->db, &req->arena, id, &t) != 0)
        return 0;
    struct yw_actor who = yw_case__actor(req->who, main_role(req->who->roles));
    yw_task__decide_ahead(req->db, &req->arena, &t, &who);
    return 0;
}
static int
h_consult(struct yw_req *r)
{
    return with_task(r, do_consult);
}
static int
h_reroute(struct yw_req *r)
{
    return with_task(r, do_reroute);
}
static int
h_reassign(struct yw_req *r)
{
    return with_task(r, do_reassign);
}

static int
h_public_status(struct yw_req *req)
{
    const char *no = yw_req_query(req, "case_no");
    const char *ident = yw_req_query(req, "id_number");
    if (ident == NULL)
        ident = yw_req_query(req, "uscc");
    if (no == NULL || *no == '\0')
        return yw_fail(&req->err, YW_EMISSING, "case_no", "give the case number");
    if (ident == NULL || *ident == '\0')
        return yw_fail(&req->err, YW_EMISSING, "id_number",
                       "give the applicant's ID number or credit code");
    struct yw_case k;
    int rc = yw_case__public_lookup(req->db, &req->arena, no, ident, &k);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "",
                       "no case with this number for this ID number or credit code");
    if (rc)
        return rc;
    json_t *body = yw_case__public_json(req->db, &k);
    if (body == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the case's steps");
    return yw_resp_json(req, 200, body);
}

static int
send_pdf(struct yw_req *req, char *pdf, size_t len, const char *name)
{
    char disp[160];
    snprintf(disp, sizeof disp, "inline; filename=\"%s.pdf\"", name);
    yw_resp_header(req, "Content-Disposition", disp);
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "application/pdf", pdf, len);
}

static int
h_notice(struct yw_req *req)
{
    struct yw_case k;
    int rc = load_case(req, &k);
    if (rc)
        return rc;
    const char *kind = yw_req_param(req, "kind");
    if (kind == NULL) {
        kind = "auto";
    } else {
        static const char *const kinds[] = { "receipt.pdf",      "acceptance.pdf", "supplement.pdf",
                                             "not_accepted.pdf", "decision.pdf",   NULL };
        bool ok = false;
        for (const char *const *p = kinds; *p; p++)
            ok |= !strcmp(kind, *p);
        if (!ok)
            return yw_fail(&req->err, YW_ENOTFOUND, "",
                           "no notice '%.40s' (receipt, acceptance, supplement, "
                           "not_accepted, decision)",
                           kind);
        kind = yw_arena_strndup(&req->arena, kind, strlen(kind) - 4);
    }
    char *pdf = NULL;
    size_t len = 0;
    if ((rc = yw_case__notice(req->db, &k, kind, yw_req_base_url(req), &pdf, &len, &req->err)))
        return rc;
    return send_pdf(req, pdf, len, k.case_no);
}

static int
h_public_sheet(struct yw_req *req)
{
    const char *no = yw_req_query(req, "case_no");
    const char *ident = yw_req_query(req, "id_number");
    if (ident == NULL)
        ident = yw_req_query(req, "uscc");
    struct yw_case k;
    int rc = yw_case__public_lookup(req->db, &req->arena, no, ident, &k);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "",
                       "no case with this number for this ID number or credit code");
    if (rc)
        return rc;
    char *pdf = NULL;
    size_t len = 0;
    if ((rc = yw_case__status_sheet(&k, yw_req_base_url(req), &pdf, &len, &req->err)))
        return rc;
    return send_pdf(req, pdf, len, k.case_no);
}

static const struct yw_field create_body[] = {
    { "item_code", YW_F_STRING, false, 40 },
    { "bundle_code", YW_F_STRING, false, 40 },
    { "form", YW_F_OBJECT, false, 0 },
    { "materials", YW_F_ARRAY, false, 100 },
    { "draft", YW_F_BOOL, false, 0 },
    { "channel", YW_F_STRING, false, 16 },
    { "applicant_id", YW_F_INT, false, 0 },
    { "on_behalf_of", YW_F_INT, false, 0 },
    { NULL, 0, false, 0 },
};
static const struct yw_field precheck_body[] = {
    { "item_code", YW_F_STRING, false, 40 },
    { "bundle_code", YW_F_STRING, false, 40 },
    { "applicant_id", YW_F_INT, false, 0 },
    { "on_behalf_of", YW_F_INT, false, 0 },
    { NULL, 0, false, 0 },
};
static const struct yw_field update_body[] = {
    { "form", YW_F_OBJECT, false, 0 },
    { "materials", YW_F_ARRAY, false, 100 },
    { "submit", YW_F_BOOL, false, 0 },
    { NULL, 0, false, 0 },
};
static const struct yw_field note_body[] = { { "note", YW_F_STRING, false, 500 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, false, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field reject_body[] = { { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field supp_req_body[] = {
    { "items", YW_F_ARRAY, true, 50 },
    { "note", YW_F_STRING, false, 500 },
    { NULL, 0, false, 0 },
};
static const struct yw_field supp_body[] = {
    { "form", YW_F_OBJECT, false, 0 },
    { "materials", YW_F_ARRAY, false, 100 },
    { NULL, 0, false, 0 },
};
static const struct yw_field pause_body[] = {
    { "kind", YW_F_STRING, true, 32 },
    { "reason", YW_F_STRING, false, 500 },
    { NULL, 0, false, 0 },
};
static const struct yw_field decide_body[] = {
    { "decision", YW_F_STRING, true, 16 },
    { "opinion", YW_F_STRING, false, 1000 },
    { NULL, 0, false, 0 },
};
static const struct yw_field dept_body[] = {
    { "dept", YW_F_STRING, true, 32 },
    { "note", YW_F_STRING, false, 500 },
    { "reason", YW_F_STRING, false, 500 },
    { NULL, 0, false, 0 },
};

#define REVIEW (YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER)
static const struct yw_route routes[] = {
    { "POST", "/api/v1/cases", h_create, YW_ROLE_APPLICANT | YW_ROLE_WINDOW_CLERK, YW_R_BATCH,
      create_body, "apply" },
    { "POST", "/api/v1/cases/precheck", h_precheck, YW_ROLE_APPLICANT | YW_ROLE_WINDOW_CLERK, 0,
      precheck_body, "before applying: prefilled values, materials own e-licenses satisfy" },
    { "GET", "/api/v1/cases", h_list, 0, 0, NULL, "list cases" },
    { "GET", "/api/v1/cases/{case_no}", h_get, 0, 0, NULL, "a case" },
    { "PUT", "/api/v1/cases/{case_no}", h_update, YW_ROLE_APPLICANT | YW_ROLE_WINDOW_CLERK,
      YW_R_BATCH, update_body, "edit or submit a draft" },
    { "POST", "/api/v1/cases/{case_no}/accept", h_accept, YW_ROLE_WINDOW_CLERK, YW_R_BATCH,
      note_body, "accept (受理)" },
    { "POST", "/api/v1/cases/{case_no}/reject", h_reject, YW_ROLE_WINDOW_CLERK, YW_R_BATCH,
      reject_body, "not accept (不予受理)" },
    { "POST", "/api/v1/cases/{case_no}/request-supplement", h_req_supplement, YW_ROLE_WINDOW_CLERK,
      YW_R_BATCH, supp_req_body, "one-time supplement notice (一次性告知)" },
    { "POST", "/api/v1/cases/{case_no}/supplement", h_supplement, YW_ROLE_APPLICANT, YW_R_BATCH,
      supp_body, "supplement (补正)" },
    { "POST", "/api/v1/cases/{case_no}/withdraw", h_withdraw, YW_ROLE_APPLICANT, YW_R_BATCH,
      reason_body, "withdraw" },
    { "POST", "/api/v1/cases/{case_no}/pause", h_pause, REVIEW, YW_R_BATCH, pause_body,
      "pause the clock (特别程序)" },
    { "POST", "/api/v1/cases/{case_no}/resume", h_resume, REVIEW, YW_R_BATCH, reason_body,
      "resume the clock" },
    { "GET", "/api/v1/public/case-status", h_public_status, 0, YW_R_PUBLIC, NULL,
      "status by case number + ID (no login)", 30 },
    { "GET", "/api/v1/public/case-status.pdf", h_public_sheet, 0, YW_R_PUBLIC, NULL,
      "printable status sheet (kiosk)", 30 },
    { "GET", "/api/v1/cases/{case_no}/receipt.pdf", h_notice, 0, 0, NULL,
      "the notice that fits the case now" },
    { "GET", "/api/v1/cases/{case_no}/notices/{kind}", h_notice, 0, 0, NULL,
      "a notice: receipt|acceptance|supplement|not_accepted|decision .pdf" },
    { "GET", "/api/v1/tasks", h_queue, REVIEW | YW_ROLE_SUPERVISOR, 0, NULL,
      "review queue by time left" },
    { "GET", "/api/v1/tasks/stats", h_task_stats, REVIEW | YW_ROLE_SUPERVISOR, 0, NULL,
      "pending tasks by light, per department" },
    { "POST", "/api/v1/tasks/{id}/decide", h_decide, REVIEW, YW_R_BATCH, decide_body,
      "approve / deny / return / opinion", .ahead = h_decide_ahead },
    { "POST", "/api/v1/tasks/{id}/consult", h_consult, REVIEW, YW_R_BATCH, dept_body,
      "ask another department's opinion (加签)" },
    { "POST", "/api/v1/tasks/{id}/reroute", h_reroute, REVIEW, YW_R_BATCH, dept_body,
      "send to the right department" },
    { "POST", "/api/v1/tasks/{id}/reassign", h_reassign, YW_ROLE_CHIEF_APPROVER, YW_R_BATCH,
      dept_body, "reassign (chief)" },
};

static int
cases_init(struct yw_app *app, struct yw_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", app->cfg->data_dir);
    int rc = yw_cal_load(dir, &calendar, err);
    if (rc)
        return rc;
    int first = 0, last = 0;
    yw_cal_years(calendar, &first, &last);
    yw_log_info("cases", "working-day calendar %d-%d loaded from %s", first, last, dir);
    yw_cases__file_access_register();
    yw_cases__hold_subscribe();
    int64_t kib = 0, ms = 0;
    yw_cases__mine_settings(app, &kib, &ms);
    if ((rc = yw_cases__mine_start(app, kib, ms, err)))
        return rc;
    return yw_cases__archive_start(app, err);
}

static void
cases_shutdown(void)
{
    yw_cases__archive_stop();
    yw_cases__mine_stop();
    yw_cal_free(calendar);
    calendar = NULL;
}

const struct yw_module yw_cases_module = {
    .name = "cases",
    .init = cases_init,
    .shutdown = cases_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_cases__commands,
    .settings = &yw_cases__settings_table,
};
