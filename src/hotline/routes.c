/*
 * routes.c - HTTP routes, settings and the descriptor of the hotline.
 *
 *   GET  /api/v1/hotline/categories                 the service categories (anyone)
 *   POST /api/v1/hotline/orders                     intake: an operator's call, a citizen
 *                                                   logged in, or anonymous with a callback number
 *   GET  /api/v1/hotline/orders                     the centre: all; a department: its own;
 *                                                   a citizen: theirs
 *   GET  /api/v1/hotline/orders/{order_no}          one order with its steps
 *   POST /api/v1/hotline/orders/{order_no}/dispatch | close | callback | extension-decision
 *                                                   the hotline centre
 *   POST /api/v1/hotline/orders/{order_no}/sign | return | extend | answer
 *                                                   the department it is dispatched to
 *   POST /api/v1/hotline/orders/{order_no}/press     督办: the centre or a supervisor
 *   POST /api/v1/hotline/orders/{order_no}/rate      the caller, or the operator on the call back
 *   GET  /api/v1/public/hotline-orders/{order_no}?phone=   progress for the callback number
 *   GET/POST /api/v1/hotline/orders/{order_no}/similar | merge, /api/v1/hotline/knowledge
 *   /api/v1/grids, /api/v1/grid-events/...          unit grids and grid events (grid_routes.c)
 *   /open311/v2/...                                 Open311 GeoReport v2 (open311.c)
 */
#include "hotline/internal.h"

#include "core/log.h"
#include "db/audit.h"
#include "http/metrics.h"
#include "identity/identity.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- settings ---- */

#define T struct yw_hotline_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, hotline_limit_general, "1", 1, 60,
               "working days for general questions and suggestions (沪府办〔2018〕62号)"),
    YW_SET_INT(T, hotline_limit_supervision, "3", 1, 60,
               "working days for hotline supervision and recheck orders"),
    YW_SET_INT(T, hotline_limit_help, "5", 1, 60, "working days for help requests and complaints"),
    YW_SET_INT(T, hotline_limit_complex, "15", 1, 120,
               "working days for complex matters (after approval)"),
    YW_SET_INT(T, hotline_return_days, "2", 0, 30,
               "working days after a dispatch in which a department may return an order"),
    YW_SET_INT(T, hotline_max_extensions, "1", 0, 10, "extensions an order may have"),
    YW_SET_INT(T, hotline_max_extension_days, "10", 1, 60,
               "longest extension a department may ask for, working days"),
    YW_SET_SECRET(T, hotline_open311_keys, "",
                  "Open311 clients that may post requests: name:api_key,name:api_key"),
    YW_SET_STR(T, hotline_jurisdiction, "xuhui.sh.cn",
               "the Open311 jurisdiction_id ywtb answers for"),
    YW_SET_INT(T, hotline_open311_page, "100", 1, 1000,
               "Open311 GET requests: requests a page holds when the client gives no page_size"),
    YW_SET_INT(T, hotline_open311_reads_per_min, "600", 1, 1000000,
               "Open311 GET requests: pages read from the database a client address may ask "
               "for a minute (kept answers are not counted)"),
    YW_SET_INT(T, hotline_open311_cache_ms, "1000", 0, 60000,
               "Open311 GET requests: how long a node may send an answer again without "
               "reading the orders (changes on this node end it at once; 0: never)"),
    YW_SET_INT(T, hotline_grid_code_length, "15", 14, 20,
               "digits of a unit grid code: 310104 + street(3) + community(3) + sequence"),
};
#undef T

static const struct yw_settings settings = {
    .owner = "hotline",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_hotline_settings),
};

static const struct yw_app *the_app;
static struct yw_hotline_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;
static struct yw_calendar *calendar;
static pthread_mutex_t calendar_mu = PTHREAD_MUTEX_INITIALIZER;

static void
make_defaults(void)
{
    yw_settings_init(&settings, &defaults);
}

const struct yw_hotline_settings *
yw_hotline__cfg(void)
{
    const struct yw_hotline_settings *s =
        the_app ? yw_config_values(the_app->cfg, &settings) : NULL;
    if (s)
        return s;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}

const struct yw_calendar *
yw_hotline__calendar(void)
{
    return calendar;
}

/* Load the working-day calendar once (serve's init, or the seed hook). */
static int
load_calendar(struct yw_app *app, struct yw_err *err)
{
    int rc = 0;
    pthread_mutex_lock(&calendar_mu);
    the_app = app;
    if (calendar == NULL) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/calendar", app->cfg->data_dir);
        rc = yw_cal_load(dir, &calendar, err);
    }
    pthread_mutex_unlock(&calendar_mu);
    return rc;
}

/* ---- who is acting ---- */

#define CENTRE  YW_HOTLINE__CENTRE
#define DEPTS   YW_HOTLINE__DEPTS
#define SEE_ALL YW_HOTLINE__SEE_ALL
#define GRID    (YW_ROLE_GRID_WORKER)
#define EV_SEE  (YW_ROLE_GRID_WORKER | SEE_ALL | DEPTS)

static const char *
main_role(uint32_t roles)
{
    static const uint32_t order[] = { YW_ROLE_HOTLINE_OPERATOR, YW_ROLE_CHIEF_APPROVER,
                                      YW_ROLE_REVIEWER,         YW_ROLE_SUPERVISOR,
                                      YW_ROLE_GRID_WORKER,      YW_ROLE_ADMIN,
                                      YW_ROLE_ENTERPRISE,       YW_ROLE_PERSON };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (roles & order[i])
            return yw_role_name(order[i]);
    return "staff";
}

struct yw_hotline__actor
yw_hotline__actor_of(struct yw_req *req)
{
    struct yw_hotline__actor a = { 0, "", "", "anonymous" };
    if (req->who) {
        a.account_id = req->who->account_id;
        a.name = req->who->name ? req->who->name : req->who->login;
        a.dept = req->who->dept ? req->who->dept : "";
        a.role = main_role(req->who->roles);
    }
    return a;
}

static bool
is_owner(const struct yw_req *req, const struct yw_hotline__order *o)
{
    return req->who && o->caller_account_id != 0 && o->caller_account_id == req->who->account_id;
}

static bool
is_dept_of(const struct yw_req *req, const struct yw_hotline__order *o)
{
    return req->who && (req->who->roles & DEPTS) && o->dept[0] && req->who->dept &&
           strcmp(req->who->dept, o->dept) == 0;
}

static bool
visible(const struct yw_req *req, const struct yw_hotline__order *o)
{
    if (req->who == NULL)
        return false;
    return (req->who->roles & SEE_ALL) || is_dept_of(req, o) || is_owner(req, o);
}

static bool
whole_phone(const struct yw_req *req, const struct yw_hotline__order *o)
{
    return (req->who && (req->who->roles & YW_ROLE_HOTLINE_OPERATOR)) || is_owner(req, o);
}

/* The order named in the path, visible to the caller (404 otherwise). */
int
yw_hotline__load_order(struct yw_req *req, struct yw_hotline__order *o)
{
    const char *no = yw_req_param(req, "order_no");
    int rc = yw_hotline__load(req->db, &req->arena, no, o);
    if (rc == 0 && !visible(req, o))
        rc = YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no work order '%.40s'", no);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read work order '%.40s'", no);
    return 0;
}

static int
respond_order(struct yw_req *req, int status, const struct yw_hotline__order *o, bool steps)
{
    json_t *j = yw_hotline__order_json(req->db, &req->arena, o, whole_phone(req, o));
    if (steps) {
        json_t *s = NULL;
        int rc = yw_hotline__steps_json(req->db, o->id, &s);
        if (rc) {
            json_decref(j);
            return yw_fail(&req->err, rc, "", "cannot read the steps of '%s'", o->order_no);
        }
        json_object_set_new(j, "steps", s);
    }
    return yw_resp_json(req, status, j);
}

/* ---- handlers ---- */

static int
h_categories(struct yw_req *req)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < yw_hotline__ncategories; i++) {
        const struct yw_hotline__category *c = &yw_hotline__categories[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "code", c->code, "name",
                              c->name, "name_en", c->name_en, "group", c->group, "type", c->type,
                              "dept", c->dept, "limit_days", yw_hotline__type_limit(c->type));
        if (c->attr) {
            json_t *vals = json_array();
            for (const char *const *v = c->attr_values; *v; v++)
                json_array_append_new(vals, json_string(*v));
            json_object_set_new(o, "attribute",
                                json_pack("{s:s, s:s, s:o}", "code", c->attr, "name", c->attr_name,
                                          "values", vals));
        }
        json_array_append_new(arr, o);
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", arr));
}

/* lat/lng as JSON numbers or strings: their text, NULL when absent. */
const char *
yw_hotline__coord_text(struct yw_req *req, const char *name)
{
    json_t *v = json_object_get(req->body, name);
    if (json_is_number(v))
        return yw_arena_printf(&req->arena, "%.17g", json_number_value(v));
    if (json_is_string(v))
        return json_string_value(v);
    return NULL;
}

static int
h_intake(struct yw_req *req)
{
    struct yw_hotline__intake in = { 0 };
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    in.category = yw_body_str(req, "category");
    in.type = yw_body_str(req, "type");
    in.urgency = yw_body_str(req, "urgency");
    in.content = yw_body_str(req, "content");
    in.address = yw_body_str(req, "address");
    in.media_url = yw_body_str(req, "media_url");
    in.caller_name = yw_body_str(req, "caller_name");
    in.caller_phone = yw_body_str(req, "caller_phone");
    in.lat = yw_hotline__coord_text(req, "lat");
    in.lng = yw_hotline__coord_text(req, "lng");
    json_t *lat = json_object_get(req->body, "lat"), *lng = json_object_get(req->body, "lng");
    if ((lat && !json_is_number(lat) && !json_is_string(lat) && !json_is_null(lat)) ||
        (lng && !json_is_number(lng) && !json_is_string(lng) && !json_is_null(lng)))
        return yw_fail(&req->err, YW_EFIELD, lat ? "lat" : "lng", "a coordinate is a number");
    if (req->who && (req->who->roles & YW_ROLE_HOTLINE_OPERATOR)) {
        in.channel = "phone"; /* a call taken by the operator */
        in.intake_by = req->who->account_id;
        if (in.caller_phone == NULL || in.caller_phone[0] == '\0')
            return yw_fail(&req->err, YW_EMISSING, "caller_phone",
                           "note the caller's callback number");
    } else {
        in.channel = "web";
        if (req->who) {
            in.caller_account_id = req->who->account_id;
            if (!(req->who->roles & YW_ROLE_STAFF))
                in.caller_ident = req->who->login;
            if (in.caller_name == NULL || in.caller_name[0] == '\0')
                in.caller_name = req->who->name;
            if (in.caller_phone == NULL || in.caller_phone[0] == '\0') {
                struct yw_ident_account acc;
                if (yw_ident_account_get(req->db, &req->arena, req->who->account_id, &acc) == 0)
                    in.caller_phone = acc.phone;
            }
        }
    }
    struct yw_hotline__order o;
    int rc = yw_hotline__intake(req->db, &req->arena, &in, &by, &o, &req->err);
    if (rc)
        return rc;
    return respond_order(req, 201, &o, true);
}

static int
h_list(struct yw_req *req)
{
    struct yw_hotline__filter f = { 0 };
    int64_t limit = 50, cursor = 0;
    int rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit);
    if (rc == 0)
        rc = yw_req_query_int(req, "cursor", 0, 0, INT64_MAX, &cursor);
    if (rc)
        return rc;
    f.limit = (int)limit;
    f.before_id = cursor;
    f.status = yw_req_query(req, "status");
    f.category = yw_req_query(req, "category");
    if (req->who->roles & SEE_ALL) {
        f.scope = "all";
        f.dept = yw_req_query(req, "dept");
    } else if ((req->who->roles & DEPTS) && req->who->dept && req->who->dept[0]) {
        f.scope = "dept";
        f.dept = req->who->dept;
    } else {
        f.scope = "caller";
        f.account = req->who->account_id;
    }
    struct yw_hotline__order *items = NULL;
    int n = 0;
    rc = yw_hotline__list(req->db, &req->arena, &f, &items, &n);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot list work orders");
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, yw_hotline__order_json(req->db, &req->arena, &items[i],
                                                          whole_phone(req, &items[i])));
    json_t *body = json_pack("{s:o, s:s}", "items", arr, "scope", f.scope);
    json_object_set_new(body, "next_cursor",
                        n == f.limit ? json_integer(items[n - 1].id) : json_null());
    return yw_resp_json(req, 200, body);
}

static int
h_get(struct yw_req *req)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    return respond_order(req, 200, &o, true);
}

/* A step: who may take it is checked here beyond the route's roles. */
static int
do_step(struct yw_req *req, const char *action, bool dept_only)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    if (dept_only && !is_dept_of(req, &o))
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no work order '%.40s' for your department",
                       o.order_no);
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    rc = yw_hotline__step(req->db, &req->arena, &o, action, req->body, &by, &req->err);
    if (rc)
        return rc;
    return respond_order(req, 200, &o, true);
}

static int
h_dispatch(struct yw_req *req)
{
    return do_step(req, "dispatch", false);
}
static int
h_sign(struct yw_req *req)
{
    return do_step(req, "sign", true);
}
static int
h_return(struct yw_req *req)
{
    return do_step(req, "return", true);
}
static int
h_extend(struct yw_req *req)
{
    return do_step(req, "extend", true);
}
static int
h_extend_decide(struct yw_req *req)
{
    return do_step(req, "extend_decide", false);
}
static int
h_answer(struct yw_req *req)
{
    return do_step(req, "answer", true);
}
static int
h_close(struct yw_req *req)
{
    return do_step(req, "close", false);
}
static int
h_callback(struct yw_req *req)
{
    return do_step(req, "callback", false);
}
static int
h_press(struct yw_req *req)
{
    return do_step(req, "press", false);
}

static int
h_rate(struct yw_req *req)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    if (!is_owner(req, &o) && !(req->who->roles & YW_ROLE_HOTLINE_OPERATOR))
        return yw_fail(&req->err, YW_EFORBIDDEN, "",
                       "only the caller, or the hotline on the call back, rates an order");
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    rc = yw_hotline__step(req->db, &req->arena, &o, "rate", req->body, &by, &req->err);
    if (rc)
        return rc;
    return respond_order(req, 200, &o, true);
}

static int
h_similar(struct yw_req *req)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    json_t *out = NULL;
    rc = yw_hotline__similar_json(req->db, &req->arena, &o, whole_phone(req, &o), &out);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot look for similar orders");
    return yw_resp_json(req, 200, out);
}

static int
h_merge(struct yw_req *req)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    rc = yw_hotline__merge(req->db, &req->arena, &o, yw_body_str(req, "into"), &by, &req->err);
    if (rc)
        return rc;
    return respond_order(req, 200, &o, true);
}

static int
h_knowledge(struct yw_req *req)
{
    int64_t limit = 50;
    int rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit);
    if (rc)
        return rc;
    json_t *out = NULL;
    rc = yw_hotline__knowledge_find(req->db, yw_req_query(req, "q"), yw_req_query(req, "category"),
                                    (int)limit, &out);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot search the knowledge base");
    return yw_resp_json(req, 200, out);
}

static int
h_knowledge_add(struct yw_req *req)
{
    const char *cat = yw_body_str(req, "category");
    if (yw_hotline__category(cat) == NULL)
        return yw_fail(&req->err, YW_EFIELD, "category", "no service category '%.40s'", cat);
    const char *q = yw_body_str(req, "question"), *ans = yw_body_str(req, "answer");
    if (q[0] == '\0' || ans[0] == '\0')
        return yw_fail(&req->err, YW_EMISSING, q[0] ? "answer" : "question",
                       "a question and its answer are needed");
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    int64_t id = 0;
    int rc = yw_hotline__knowledge_add(req->db, cat, q, ans, by.name, &id);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot store the entry");
    char actor[24], obj[24];
    snprintf(actor, sizeof actor, "%lld", (long long)by.account_id);
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                         .role = by.role,
                                                         .action = "hotline.knowledge_add",
                                                         .obj_type = "hotline_knowledge",
                                                         .obj_id = obj,
                                                         .summary = "{}" });
    if (rc)
        return rc;
    return yw_resp_json(req, 201,
                        json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "category", cat,
                                  "question", q, "answer", ans));
}

/* Progress for whoever holds the order number and its callback number. */
static int
h_public(struct yw_req *req)
{
    const char *no = yw_req_param(req, "order_no");
    const char *phone = yw_req_query(req, "phone");
    struct yw_hotline__order o;
    int rc = yw_hotline__load(req->db, &req->arena, no, &o);
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "cannot read work order '%.40s'", no);
    if (rc == YW_ENOTFOUND || phone == NULL || o.caller_phone[0] == '\0' ||
        strcmp(phone, o.caller_phone) != 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "",
                       "no work order '%.40s' with this callback number", no);
    json_t *j = yw_hotline__order_json(req->db, &req->arena, &o, false);
    json_t *steps = NULL;
    rc = yw_hotline__steps_json(req->db, o.id, &steps);
    if (rc) {
        json_decref(j);
        return yw_fail(&req->err, rc, "", "cannot read the steps of '%s'", o.order_no);
    }
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) json_object_del(s, "actor"); /* staff names stay inside */
    json_object_set_new(j, "steps", steps);
    return yw_resp_json(req, 200, j);
}

/* ---- the table ---- */

static const struct yw_field intake_body[] = {
    { "category", YW_F_STRING, true, 16 },
    { "type", YW_F_STRING, false, 16 },
    { "urgency", YW_F_STRING, false, 16 },
    { "content", YW_F_STRING, true, 2000 },
    { "address", YW_F_STRING, false, 200 },
    { "lat", YW_F_ANY, false, 0 },
    { "lng", YW_F_ANY, false, 0 },
    { "media_url", YW_F_STRING, false, 500 },
    { "caller_name", YW_F_STRING, false, 50 },
    { "caller_phone", YW_F_STRING, false, 20 },
    { NULL, 0, false, 0 },
};
static const struct yw_field dispatch_body[] = {
    { "dept", YW_F_STRING, false, 32 },
    { "urgency", YW_F_STRING, false, 16 },
    { "type", YW_F_STRING, false, 16 },
    { "note", YW_F_STRING, false, 500 },
    { NULL, 0, false, 0 },
};
static const struct yw_field note_body[] = { { "note", YW_F_STRING, false, 1000 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field extend_body[] = { { "days", YW_F_INT, true, 0 },
                                               { "reason", YW_F_STRING, true, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field decide_body[] = { { "approve", YW_F_BOOL, true, 0 },
                                               { "note", YW_F_STRING, false, 500 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field answer_body[] = { { "answer", YW_F_STRING, true, 2000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field close_body[] = { { "answer", YW_F_STRING, false, 2000 },
                                              { "note", YW_F_STRING, false, 500 },
                                              { NULL, 0, false, 0 } };
static const struct yw_field callback_body[] = { { "note", YW_F_STRING, true, 1000 },
                                                 { NULL, 0, false, 0 } };
static const struct yw_field press_body[] = { { "note", YW_F_STRING, true, 500 },
                                              { NULL, 0, false, 0 } };
static const struct yw_field rate_body[] = { { "rating", YW_F_INT, true, 0 },
                                             { "comment", YW_F_STRING, false, 500 },
                                             { NULL, 0, false, 0 } };
/* Open311 POST: the standard's fields, attribute[code] lax */
static const struct yw_field o311_body[] = {
    { "api_key", YW_F_STRING, false, 200 },
    { "jurisdiction_id", YW_F_STRING, false, 100 },
    { "service_code", YW_F_STRING, false, 40 },
    { "lat", YW_F_ANY, false, 0 },
    { "long", YW_F_ANY, false, 0 },
    { "address_string", YW_F_STRING, false, 200 },
    { "address_id", YW_F_STRING, false, 100 },
    { "email", YW_F_STRING, false, 200 },
    { "device_id", YW_F_STRING, false, 200 },
    { "account_id", YW_F_STRING, false, 200 },
    { "first_name", YW_F_STRING, false, 50 },
    { "last_name", YW_F_STRING, false, 50 },
    { "phone", YW_F_STRING, false, 20 },
    { "description", YW_F_STRING, false, 2000 },
    { "media_url", YW_F_STRING, false, 500 },
    { "attribute", YW_F_OBJECT, false, 0 },
    { NULL, 0, false, 0 },
};

static const struct yw_field event_body[] = {
    { "kind", YW_F_STRING, false, 16 },  { "major", YW_F_STRING, true, 20 },
    { "minor", YW_F_STRING, false, 50 }, { "description", YW_F_STRING, true, 1000 },
    { "lat", YW_F_ANY, true, 0 },        { "lng", YW_F_ANY, true, 0 },
    { "photo", YW_F_STRING, false, 48 }, { NULL, 0, false, 0 },
};
static const struct yw_field ev_dispatch_body[] = { { "dept", YW_F_STRING, true, 32 },
                                                    { "note", YW_F_STRING, false, 500 },
                                                    { NULL, 0, false, 0 } };
static const struct yw_field ev_handle_body[] = { { "photo", YW_F_STRING, true, 48 },
                                                  { "note", YW_F_STRING, true, 1000 },
                                                  { NULL, 0, false, 0 } };
static const struct yw_field ev_verify_body[] = { { "ok", YW_F_BOOL, true, 0 },
                                                  { "note", YW_F_STRING, false, 500 },
                                                  { NULL, 0, false, 0 } };
static const struct yw_field merge_body[] = { { "into", YW_F_STRING, true, 40 },
                                              { NULL, 0, false, 0 } };
static const struct yw_field knowledge_body[] = { { "category", YW_F_STRING, true, 16 },
                                                  { "question", YW_F_STRING, true, 500 },
                                                  { "answer", YW_F_STRING, true, 2000 },
                                                  { NULL, 0, false, 0 } };
static const struct yw_field to_grid_body[] = { { "kind", YW_F_STRING, false, 16 },
                                                { "major", YW_F_STRING, true, 20 },
                                                { "minor", YW_F_STRING, false, 50 },
                                                { NULL, 0, false, 0 } };

#define ORDER "/api/v1/hotline/orders/{order_no}"
#define EVENT "/api/v1/grid-events/{event_no}"
#define W     YW_R_WRITE
static const struct yw_route routes[] = {
    { "GET", "/api/v1/hotline/categories", h_categories, 0, YW_R_PUBLIC, NULL,
      "the hotline's service categories" },
    /* intake joins the group commit (db/batch.h): one durable commit for the
     * orders taken meanwhile, each with its step, audit record and event in
     * its own savepoint (issue 12's figure: >= 0.5 x the raw commit rate) */
    { "POST", "/api/v1/hotline/orders", h_intake, 0,
      YW_R_PUBLIC | YW_R_OPTIONAL_AUTH | YW_R_BATCH, intake_body,
      "take a work order (call, online, anonymous with a callback number)", 30 },
    { "GET", "/api/v1/hotline/orders", h_list, 0, 0, NULL, "work orders the caller may see" },
    { "GET", ORDER, h_get, 0, 0, NULL, "one work order with its steps" },
    { "POST", ORDER "/dispatch", h_dispatch, CENTRE, W, dispatch_body, "派单 to a department" },
    { "POST", ORDER "/sign", h_sign, DEPTS, W, note_body, "签收 by the department" },
    { "POST", ORDER "/return", h_return, DEPTS, W, reason_body, "退回 a wrong dispatch" },
    { "POST", ORDER "/extend", h_extend, DEPTS, W, extend_body, "ask for an extension (延期)" },
    { "POST", ORDER "/extension-decision", h_extend_decide, CENTRE, W, decide_body,
      "approve or refuse an extension" },
    { "POST", ORDER "/answer", h_answer, DEPTS, W, answer_body, "答复 by the department" },
    { "POST", ORDER "/close", h_close, CENTRE, W, close_body, "办结" },
    { "POST", ORDER "/callback", h_callback, CENTRE, W, callback_body, "回访 the caller" },
    { "POST", ORDER "/press", h_press, CENTRE | YW_ROLE_SUPERVISOR, W, press_body,
      "督办 the department" },
    { "POST", ORDER "/rate", h_rate, 0, W, rate_body, "评价: the caller's rating" },
    { "GET", "/api/v1/public/hotline-orders/{order_no}", h_public, 0, YW_R_PUBLIC, NULL,
      "an order's progress for its callback number", 30 },
    { "GET", ORDER "/similar", h_similar, CENTRE, 0, NULL,
      "similar orders (same category and place, within a day) to merge" },
    { "POST", ORDER "/merge", h_merge, CENTRE, W, merge_body,
      "合并: the other order's answer answers this caller too" },
    { "GET", "/api/v1/hotline/knowledge", h_knowledge, YW_ROLE_STAFF, 0, NULL,
      "search the knowledge base of answers" },
    { "POST", "/api/v1/hotline/knowledge", h_knowledge_add, CENTRE, W, knowledge_body,
      "add an answer to the knowledge base" },
    { "POST", ORDER "/to-grid", yw_hotline__h_to_grid, CENTRE, W, to_grid_body,
      "an order about the street becomes a grid event" },
    { "GET", "/api/v1/grids", yw_hotline__h_grids, YW_ROLE_STAFF, 0, NULL,
      "unit grids as GeoJSON with their event counts" },
    { "GET", "/api/v1/grids/locate", yw_hotline__h_grid_locate, YW_ROLE_STAFF, 0, NULL,
      "the unit grid a point lies in" },
    { "POST", "/api/v1/grid-events", yw_hotline__h_event_report, GRID, W, event_body,
      "a grid worker reports an event or component" },
    { "GET", "/api/v1/grid-events", yw_hotline__h_events, EV_SEE, 0, NULL,
      "grid events, newest first" },
    { "GET", EVENT, yw_hotline__h_event_get, EV_SEE, 0, NULL, "one grid event with its steps" },
    { "POST", EVENT "/open", yw_hotline__h_ev_open, CENTRE, W, note_body, "立案" },
    { "POST", EVENT "/dispatch", yw_hotline__h_ev_dispatch, CENTRE, W, ev_dispatch_body, "派遣" },
    { "POST", EVENT "/handle", yw_hotline__h_ev_handle, DEPTS, W, ev_handle_body,
      "处置: the department reports back with an after-photo" },
    { "POST", EVENT "/verify", yw_hotline__h_ev_verify, GRID, W, ev_verify_body, "核查 on site" },
    { "POST", EVENT "/close", yw_hotline__h_ev_close, CENTRE, W, note_body, "结案" },
    { "POST", EVENT "/reject", yw_hotline__h_ev_reject, CENTRE, W, reason_body,
      "reject with a reason" },
    /* Open311 GeoReport v2 (open311.c) */
    { "GET", "/open311/v2/discovery.json", yw_hotline__h_o311_discovery, 0, YW_R_PUBLIC, NULL,
      "Open311 discovery" },
    { "GET", "/open311/v2/services.json", yw_hotline__h_o311_services, 0, YW_R_PUBLIC, NULL,
      "Open311 service list (JSON)" },
    { "GET", "/open311/v2/services.xml", yw_hotline__h_o311_services, 0, YW_R_PUBLIC, NULL,
      "Open311 service list (XML)" },
    { "GET", "/open311/v2/services/{code}", yw_hotline__h_o311_service, 0, YW_R_PUBLIC, NULL,
      "Open311 service definition ({code}.json or .xml)" },
    /* no route limit: pages read from the database are limited in open311.c,
     * kept answers are not */
    { "GET", "/open311/v2/requests.json", yw_hotline__h_o311_requests, 0, YW_R_PUBLIC, NULL,
      "Open311 service requests (JSON)" },
    { "GET", "/open311/v2/requests.xml", yw_hotline__h_o311_requests, 0, YW_R_PUBLIC, NULL,
      "Open311 service requests (XML)" },
    { "POST", "/open311/v2/requests.json", yw_hotline__h_o311_post, 0,
      YW_R_PUBLIC | W | YW_R_FORM_JSON | YW_R_LAX, o311_body, "Open311 post a request (JSON)", 60 },
    { "POST", "/open311/v2/requests.xml", yw_hotline__h_o311_post, 0,
      YW_R_PUBLIC | W | YW_R_FORM_JSON | YW_R_LAX, o311_body, "Open311 post a request (XML)", 60 },
    { "GET", "/open311/v2/requests/{id}", yw_hotline__h_o311_request, 0, YW_R_PUBLIC, NULL,
      "Open311 one service request ({id}.json or .xml)" },
    { "GET", "/open311/v2/tokens/{token}", yw_hotline__h_o311_token, 0, YW_R_PUBLIC, NULL,
      "Open311 request id from a token ({token}.json or .xml)" },
};

static int
hotline_init(struct yw_app *app, struct yw_err *err)
{
    int rc = load_calendar(app, err);
    if (rc)
        return rc;
    int first = 0, last = 0;
    yw_cal_years(calendar, &first, &last);
    yw_log_info("hotline", "working-day calendar %d-%d loaded", first, last);
    yw_hotline__file_access_register();
    /* PostgreSQL: placement hears of grid writes instead of asking each time */
    if ((rc = yw_hotline__grid_listen(app->db, err)))
        return rc;
    static bool metrics_added;
    if (!metrics_added) {
        yw_metrics_add_source(yw_hotline__metrics, NULL);
        metrics_added = true;
    }
    return 0;
}

static void
hotline_shutdown(void)
{
    yw_hotline__grid_listen_stop();
    pthread_mutex_lock(&calendar_mu);
    yw_cal_free(calendar);
    calendar = NULL;
    the_app = NULL;
    pthread_mutex_unlock(&calendar_mu);
}

extern const struct yw_command yw_hotline_commands[]; /* commands.c */

static int
hotline_seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    int rc = load_calendar(app, err);
    return rc ? rc : yw_hotline__seed(app, what, out, err);
}

const struct yw_module yw_hotline_module = {
    .name = "hotline",
    .init = hotline_init,
    .shutdown = hotline_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .settings = &settings,
    .seed = hotline_seed,
    .commands = yw_hotline_commands,
};
