/*
 * api_people.c - the HTTP handlers of ratings and rectifications, the inbox
 * and notification settings, the operators' outbox, and consultations.
 * They validate, call the capability files and shape the response; no SQL.
 */
#include "services/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPT_STAFF (YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_WINDOW_CLERK)

static int
param_id(struct yw_req *req, const char *what, int64_t *id)
{
    const char *t = yw_req_param(req, "id");
    char *end = NULL;
    long long v = strtoll(t, &end, 10);
    if (end == t || *end || v <= 0 || strlen(t) > 18)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no %s '%.20s'", what, t);
    *id = v;
    return 0;
}

/* Staff who see every department (supervision, admin). */
static bool
sees_all(struct yw_req *req)
{
    return (req->who->roles & (YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)) != 0;
}

int
yw_svc__h_ratings(struct yw_req *req)
{
    json_t *l = yw_svc__ratings_json(req->db, req->who->account_id);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read your ratings");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", l));
}

int
yw_svc__h_rate(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "rating", &id);
    if (rc)
        return rc;
    json_t *lv = json_object_get(req->body, "level");
    rc = yw_svc__rate(req->db, req->who->account_id, id, (int)json_integer_value(lv),
                      yw_body_str(req, "comment"), &req->err);
    if (rc)
        return rc;
    json_t *l = yw_svc__ratings_json(req->db, req->who->account_id);
    size_t i;
    json_t *o, *found = NULL;
    json_array_foreach(l, i, o) if (json_integer_value(json_object_get(o, "id")) == id) found = o;
    json_t *res = found ? json_incref(found) : json_object();
    json_decref(l);
    return yw_resp_json(req, 200, res);
}

int
yw_svc__h_rating_summary(struct yw_req *req)
{
    const char *by = yw_req_query(req, "by");
    if (by == NULL || !*by)
        by = "dept";
    if (strcmp(by, "dept") && strcmp(by, "item") && strcmp(by, "window"))
        return yw_fail(&req->err, YW_EFIELD, "by", "by is dept, item or window");
    json_t *s = yw_svc__ratings_summary(req->db, by);
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the ratings");
    yw_resp_header(req, "Cache-Control", "public, max-age=30");
    return yw_resp_json(req, 200, s);
}

int
yw_svc__h_rectifications(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status");
    if (status && *status && strcmp(status, "open") && strcmp(status, "reported") &&
        strcmp(status, "appealed") && strcmp(status, "annulled"))
        return yw_fail(&req->err, YW_EFIELD, "status",
                       "status is open, reported, appealed or annulled");
    const char *dept = sees_all(req) ? yw_req_query(req, "dept") : req->who->dept;
    if (dept && strlen(dept) > 32)
        return yw_fail(&req->err, YW_EFIELD, "dept", "no department '%.32s'", dept);
    json_t *l = yw_svc__rectifications_json(req->db, dept, status);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the rectifications");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", l));
}

int
yw_svc__h_rectification(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "rectification", &id);
    if (rc)
        return rc;
    json_t *o = NULL;
    rc = yw_svc__rectification_json(req->db, id, &o);
    if (rc == 0 && !sees_all(req) &&
        strcmp(json_string_value(json_object_get(o, "dept")), req->who->dept) != 0) {
        json_decref(o);
        rc = YW_ENOTFOUND;
    }
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no rectification %lld of your department",
                       (long long)id);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the rectification");
    return yw_resp_json(req, 200, o);
}

static int
rect_resp(struct yw_req *req, int64_t id)
{
    json_t *o = NULL;
    int rc = yw_svc__rectification_json(req->db, id, &o);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the rectification");
    return yw_resp_json(req, 200, o);
}

int
yw_svc__h_rectify_report(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "rectification", &id);
    if (rc || (rc = yw_svc__rectify_report(req->db, req->who, id, yw_body_str(req, "verified"),
                                           yw_body_str(req, "contacted"),
                                           yw_body_str(req, "outcome"), &req->err)))
        return rc;
    return rect_resp(req, id);
}

int
yw_svc__h_rectify_appeal(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "rectification", &id);
    if (rc ||
        (rc = yw_svc__rectify_appeal(req->db, req->who, id, yw_body_str(req, "reason"), &req->err)))
        return rc;
    return rect_resp(req, id);
}

int
yw_svc__h_rectify_decide(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "rectification", &id);
    if (rc || (rc = yw_svc__rectify_decide(req->db, req->who, id, yw_body_str(req, "result"),
                                           yw_body_str(req, "note"), &req->err)))
        return rc;
    return rect_resp(req, id);
}

int
yw_svc__h_inbox(struct yw_req *req)
{
    int64_t unread = 0;
    json_t *l = yw_svc__inbox_json(req->db, req->who->account_id, &unread);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read your messages");
    return yw_resp_json(req, 200,
                        json_pack("{s:o, s:I}", "items", l, "unread", (json_int_t)unread));
}

int
yw_svc__h_inbox_read(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "message", &id);
    if (rc || (rc = yw_svc__inbox_read(req->db, req->who->account_id, id, &req->err)))
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "read", 1));
}

int
yw_svc__h_contact(struct yw_req *req)
{
    json_t *o = NULL;
    int rc = yw_svc__contact_json(req->db, req->who->account_id, &o);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read your settings");
    return yw_resp_json(req, 200, o);
}

int
yw_svc__h_contact_set(struct yw_req *req)
{
    const char *email = yw_body_has(req, "email") ? yw_body_str(req, "email") : "";
    const char *lang = yw_body_has(req, "lang") ? yw_body_str(req, "lang") : "zh";
    char channels[64] = "inbox";
    json_t *chs = json_object_get(req->body, "channels");
    if (chs) {
        channels[0] = '\0';
        size_t i;
        json_t *v;
        json_array_foreach(chs, i, v)
        {
            const char *s = json_string_value(v);
            if (s == NULL || (strcmp(s, "inbox") && strcmp(s, "email") && strcmp(s, "sms")))
                return yw_fail(&req->err, YW_EFIELD, "channels",
                               "channels are inbox, email and sms");
            if (strstr(channels, s))
                continue;
            snprintf(channels + strlen(channels), sizeof channels - strlen(channels), "%s%s",
                     channels[0] ? "," : "", s);
        }
    } else {
        snprintf(channels, sizeof channels, "%s", email[0] ? "inbox,email" : "inbox");
    }
    int rc =
        yw_svc__contact_set(req->db, req->who->account_id, email, "", channels, lang, &req->err);
    return rc ? rc : yw_svc__h_contact(req);
}

int
yw_svc__h_outbox(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status");
    if (status && *status && strcmp(status, "pending") && strcmp(status, "sent") &&
        strcmp(status, "failed"))
        return yw_fail(&req->err, YW_EFIELD, "status", "status is pending, sent or failed");
    json_t *l = yw_svc__outbox_json(req->db, status);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the outbox");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", l));
}

int
yw_svc__h_outbox_retry(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "message", &id);
    if (rc || (rc = yw_svc__outbox_retry(req->db, id, &req->err)))
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
}

int
yw_svc__h_templates(struct yw_req *req)
{
    json_t *l = yw_svc__templates_json(req->db);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the templates");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", l));
}

int
yw_svc__h_template_set(struct yw_req *req)
{
    json_t *t = NULL;
    const char *actor = yw_arena_printf(&req->arena, "%lld", (long long)req->who->account_id);
    int rc = yw_svc__template_set(req->db, actor, yw_req_param(req, "name"),
                                  yw_req_param(req, "lang"), yw_body_str(req, "title"),
                                  yw_body_str(req, "body"), &t, &req->err);
    return rc ? rc : yw_resp_json(req, 200, t);
}

int
yw_svc__h_ask(struct yw_req *req)
{
    int64_t id = 0;
    int rc = yw_svc__ask(req->db, req->who->account_id, yw_body_str(req, "item_code"),
                         yw_body_str(req, "question"), yw_body_str(req, "file_id"), &id, &req->err);
    if (rc)
        return rc;
    json_t *o = NULL;
    if ((rc = yw_svc__consultation_json(req->db, id, &o)))
        return yw_fail(&req->err, rc, "", "cannot read the consultation");
    json_object_del(o, "account_id");
    return yw_resp_json(req, 201, o);
}

int
yw_svc__h_consultations(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status"), *overdue = yw_req_query(req, "overdue");
    if (status && *status && strcmp(status, "open") && strcmp(status, "answered"))
        return yw_fail(&req->err, YW_EFIELD, "status", "status is open or answered");
    bool staff = (req->who->roles & YW_ROLE_STAFF) != 0;
    json_t *l = yw_svc__consultations_json(
        req->db, staff ? 0 : req->who->account_id,
        staff ? (sees_all(req) ? yw_req_query(req, "dept") : req->who->dept) : NULL, status,
        overdue && !strcmp(overdue, "1"));
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the consultations");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", l));
}

int
yw_svc__h_consultation(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "consultation", &id);
    if (rc)
        return rc;
    json_t *o = NULL;
    rc = yw_svc__consultation_json(req->db, id, &o);
    if (rc == 0) {
        bool staff = (req->who->roles & YW_ROLE_STAFF) != 0;
        bool ok =
            staff ? (sees_all(req) ||
                     !strcmp(json_string_value(json_object_get(o, "dept")), req->who->dept))
                  : json_integer_value(json_object_get(o, "account_id")) == req->who->account_id;
        if (!ok) {
            json_decref(o);
            rc = YW_ENOTFOUND;
        }
    }
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no consultation %lld of yours", (long long)id);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the consultation");
    json_object_del(o, "account_id");
    return yw_resp_json(req, 200, o);
}

int
yw_svc__h_answer(struct yw_req *req)
{
    int64_t id;
    int rc = param_id(req, "consultation", &id);
    if (rc)
        return rc;
    json_t *pub = json_object_get(req->body, "publish");
    if ((rc = yw_svc__answer(req->db, req->who, id, yw_body_str(req, "answer"), json_is_true(pub),
                             &req->err)))
        return rc;
    json_t *o = NULL;
    if ((rc = yw_svc__consultation_json(req->db, id, &o)))
        return yw_fail(&req->err, rc, "", "cannot read the consultation");
    json_object_del(o, "account_id");
    return yw_resp_json(req, 200, o);
}

int
yw_svc__h_suggest(struct yw_req *req)
{
    const char *item = yw_req_query(req, "item"), *q = yw_req_query(req, "q");
    if (item == NULL || !*item || strlen(item) > 40)
        return yw_fail(&req->err, YW_EMISSING, "item", "give the item code (?item=)");
    if (q == NULL || !*q)
        return yw_resp_json(req, 200, json_pack("{s:[]}", "items"));
    if (strlen(q) > 200)
        return yw_fail(&req->err, YW_EFIELD, "q", "the query is too long");
    return yw_resp_json(req, 200,
                        json_pack("{s:o}", "items", yw_svc__suggest_json(req->db, item, q)));
}
