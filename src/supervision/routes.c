/*
 * routes.c - HTTP routes of supervision, its descriptor and its start-up.
 *
 *   GET  /api/v1/supervision/board               live counts and the oldest open cards
 *   GET  /api/v1/supervision/queue               open tasks by light (the chief's board)
 *   GET  /api/v1/supervision/cards               cards (active, or one status), oldest first
 *   GET  /api/v1/supervision/cards/{id}          one card with its history
 *   POST /api/v1/supervision/cards/{id}/answer   the department explains
 *   POST /api/v1/supervision/cards/{id}/accept   the supervisor accepts the explanation
 *   POST /api/v1/supervision/cards/{id}/escalate the supervisor escalates
 *   POST /api/v1/supervision/sweep               run the card sweep now
 *   GET  /api/v1/supervision/stats               figures by period, department, item
 *   GET  /api/v1/public/statistics               the district's headline figures
 *   GET  /api/v1/supervision/audit[.csv]         the audit chain searched (supervisors)
 *   GET  /api/v1/supervision/audit/verify        the whole chain verified
 *   GET/POST /api/v1/credit/records, POST /api/v1/credit/records/{id}/repair
 *   GET/POST /api/v1/credit/rules
 *   GET  /api/v1/credit/flags                    what the rules say for a subject and item
 *   GET  /api/v1/credit/checks                   the checks made on a case
 *   GET  /api/v1/me/credit                       the subject's own records
 *
 * Supervisors, the chief and admins see every department; reviewers their
 * own: another department's card is 404, its figures 403.
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/log.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALL_DEPTS (YW_ROLE_SUPERVISOR | YW_ROLE_CHIEF_APPROVER | YW_ROLE_ADMIN)
#define CARD_READ (YW_ROLE_SUPERVISOR | YW_ROLE_CHIEF_APPROVER | YW_ROLE_REVIEWER)
#define CREDIT_READ                                                                                \
    (YW_ROLE_SUPERVISOR | YW_ROLE_CHIEF_APPROVER | YW_ROLE_REVIEWER | YW_ROLE_WINDOW_CLERK |       \
     YW_ROLE_ADMIN)

static struct yw_calendar *calendar;            /* loaded and freed here */
static const struct yw_calendar *calendar_used; /* what the module reads */

const struct yw_calendar *
yw_sup__calendar(void)
{
    return calendar_used;
}

void
yw_sup__calendar_use(const struct yw_calendar *cal)
{
    calendar_used = cal;
}

static struct yw_sup_scope
scope(struct yw_req *req)
{
    return (struct yw_sup_scope){ .dept = (req->who->roles & ALL_DEPTS) ? NULL : req->who->dept,
                                  .actor_id = req->who->account_id,
                                  .actor_name = req->who->name };
}

/* A department named in a query: NULL when absent, 422 when unknown, 403
 * when the caller may see only their own. */
static int
dept_query(struct yw_req *req, const char **out)
{
    const char *d = yw_req_query(req, "dept");
    *out = NULL;
    if (d && *d) {
        int rc = strlen(d) > 32 ? YW_ENOTFOUND : yw_catalog_dept_exists(req->db, d);
        if (rc == YW_ENOTFOUND)
            return yw_fail(&req->err, YW_EFIELD, "dept", "no department '%.32s'", d);
        if (rc)
            return yw_fail(&req->err, rc, "", "cannot read the departments");
        *out = d;
    }
    struct yw_sup_scope sc = scope(req);
    if (sc.dept) {
        if (*out && strcmp(*out, sc.dept) != 0)
            return yw_fail(&req->err, YW_EFORBIDDEN, "dept",
                           "you see the figures of your own department only");
        *out = sc.dept;
    }
    return 0;
}

static int
id_param(struct yw_req *req, int64_t *id)
{
    const char *s = yw_req_param(req, "id");
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end || v <= 0 || strlen(s) > 18)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no card or record '%.20s'", s ? s : "");
    *id = v;
    return 0;
}

static int
read_fail(struct yw_req *req, const char *what)
{
    return yw_fail(&req->err, YW_EDB, "", "cannot read %s", what);
}

/* ---- cards ---- */

static int
h_board(struct yw_req *req)
{
    const char *dept;
    int rc = dept_query(req, &dept);
    if (rc)
        return rc;
    json_t *b = yw_sup__board(req->db, &req->arena, dept);
    return b ? yw_resp_json(req, 200, b) : read_fail(req, "the board");
}

static int
h_queue(struct yw_req *req)
{
    const char *dept;
    int64_t limit;
    int rc = dept_query(req, &dept);
    if (rc || (rc = yw_req_query_int(req, "limit", 200, 1, 1000, &limit)))
        return rc;
    const char *light = yw_req_query(req, "light");
    if (light && *light && strcmp(light, "green") && strcmp(light, "yellow") &&
        strcmp(light, "red") && strcmp(light, "paused"))
        return yw_fail(&req->err, YW_EFIELD, "light", "light must be green, yellow, red or paused");
    json_t *q = yw_sup__queue(req->db, &req->arena, dept, light, limit);
    if (q == NULL)
        return read_fail(req, "the open tasks");
    return yw_resp_json(req, 200, json_pack("{s:s?, s:o}", "dept", dept, "items", q));
}

static int
h_cards(struct yw_req *req)
{
    const char *dept;
    int64_t limit, cursor;
    int rc = dept_query(req, &dept);
    if (rc || (rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit)) ||
        (rc = yw_req_query_int(req, "cursor", 0, 0, INT64_MAX, &cursor)))
        return rc;
    const char *status = yw_req_query(req, "status");
    const char *level = yw_req_query(req, "level");
    if (status && *status && strcmp(status, "active") && strcmp(status, "open") &&
        strcmp(status, "answered") && strcmp(status, "escalated") && strcmp(status, "closed"))
        return yw_fail(&req->err, YW_EFIELD, "status",
                       "status must be active, open, answered, escalated or closed");
    if (level && *level && strcmp(level, "yellow") && strcmp(level, "red"))
        return yw_fail(&req->err, YW_EFIELD, "level", "level must be yellow or red");
    struct yw_sup_scope sc = scope(req);
    sc.dept = dept;
    int64_t next = 0;
    json_t *list =
        yw_sup__cards_list(req->db, &req->arena, &sc, status, level, limit, cursor, &next);
    if (list == NULL)
        return read_fail(req, "the cards");
    return yw_resp_json(req, 200,
                        json_pack("{s:o, s:o}", "items", list, "next_cursor",
                                  next ? json_integer(next) : json_null()));
}

static int
h_card(struct yw_req *req)
{
    int64_t id;
    int rc = id_param(req, &id);
    if (rc)
        return rc;
    struct yw_sup_scope sc = scope(req);
    json_t *o = NULL;
    rc = yw_sup__card_get(req->db, &req->arena, &sc, id, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no card %lld", (long long)id);
    if (rc)
        return read_fail(req, "the card");
    return yw_resp_json(req, 200, o);
}

/* After a change: answer with the card as it is now. */
static int
card_after(struct yw_req *req, int64_t id)
{
    struct yw_sup_scope sc = { 0 }; /* the writer was allowed to change it */
    json_t *o = NULL;
    int rc = yw_sup__card_get(req->db, &req->arena, &sc, id, &o);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read card %lld", (long long)id);
    return yw_resp_json(req, 200, o);
}

static int
h_answer(struct yw_req *req)
{
    int64_t id;
    int rc = id_param(req, &id);
    if (rc)
        return rc;
    struct yw_sup_scope sc = scope(req);
    if (!(req->who->roles & YW_ROLE_CHIEF_APPROVER))
        sc.dept = req->who->dept; /* the department answers its own cards */
    rc = yw_sup__card_answer(req->db, &sc, id, yw_body_str(req, "explanation"), &req->err);
    return rc ? rc : card_after(req, id);
}

static int
decide(struct yw_req *req, bool accept)
{
    int64_t id;
    int rc = id_param(req, &id);
    if (rc)
        return rc;
    struct yw_sup_scope sc = scope(req);
    rc = yw_sup__card_decide(req->db, &sc, id, accept, yw_body_str(req, "note"), &req->err);
    return rc ? rc : card_after(req, id);
}

static int
h_accept(struct yw_req *req)
{
    return decide(req, true);
}

static int
h_escalate(struct yw_req *req)
{
    return decide(req, false);
}

static int
h_sweep(struct yw_req *req)
{
    int made = 0;
    int rc = yw_sup__sweep_once(req->app->db, &made, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:i}", "cards_made", made));
}

/* ---- statistics ---- */

static int
parse_day(struct yw_req *req, const char *name, int64_t dflt, int64_t *out)
{
    const char *s = yw_req_query(req, name);
    if (s == NULL || *s == '\0') {
        *out = dflt;
        return 0;
    }
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31 || y < 2000 || y > 2100)
        return yw_fail(&req->err, YW_EFIELD, name, "%s must be a date YYYY-MM-DD", name);
    *out = yw_days_from_civil(y, m, d);
    char back[11];
    yw_cal_day_text(*out, back);
    if (strcmp(back, s) != 0)
        return yw_fail(&req->err, YW_EFIELD, name, "%s is not a real date", name);
    return 0;
}

static int
h_stats(struct yw_req *req)
{
    const char *dept;
    int64_t from, to, top, today = yw_sup__today();
    int rc = dept_query(req, &dept);
    if (rc || (rc = parse_day(req, "to", today, &to)) ||
        (rc = parse_day(req, "from", to - 29, &from)) ||
        (rc = yw_req_query_int(req, "top", 100, 1, 100, &top)))
        return rc;
    if (from > to)
        return yw_fail(&req->err, YW_EFIELD, "from", "from must not be after to");
    if (to - from > 366)
        return yw_fail(&req->err, YW_EFIELD, "from", "a period is at most 367 days");
    /* the answer cached at the rollups' version, read before the figures */
    int64_t version = 0;
    char key[96];
    snprintf(key, sizeof key, "%lld/%lld/%s/%lld", (long long)from, (long long)to, dept ? dept : "",
             (long long)top);
    if (yw_sup__stats_version(req->db, &version))
        return read_fail(req, "the figures");
    size_t len = 0;
    char *body = yw_sup__cache_get(key, version, &len);
    if (body == NULL) {
        yw_sup__cache_fill_lock();
        body = yw_sup__cache_get(key, version, &len); /* made while this one waited */
        json_t *s = body ? NULL : yw_sup__stats(req->db, &req->arena, from, to, dept, top);
        if (body == NULL && s) {
            body = json_dumps(s, JSON_COMPACT);
            if (body) {
                len = strlen(body);
                yw_sup__cache_put(key, version, body, len);
            }
        }
        yw_sup__cache_fill_unlock();
        if (body == NULL && s == NULL)
            return read_fail(req, "the figures");
        json_decref(s);
        if (body == NULL)
            return yw_fail(&req->err, YW_EINTERNAL, "", "cannot write the figures");
    }
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "application/json; charset=utf-8", body, len);
}

static int
h_stats_xlsx(struct yw_req *req)
{
    const char *dept;
    int64_t from, to, today = yw_sup__today();
    int rc = dept_query(req, &dept);
    if (rc || (rc = parse_day(req, "to", today, &to)) ||
        (rc = parse_day(req, "from", to - 29, &from)))
        return rc;
    if (from > to)
        return yw_fail(&req->err, YW_EFIELD, "from", "from must not be after to");
    if (to - from > 366)
        return yw_fail(&req->err, YW_EFIELD, "from", "a period is at most 367 days");
    json_t *s = yw_sup__stats(req->db, &req->arena, from, to, dept, 100);
    if (s == NULL)
        return read_fail(req, "the figures");
    char *buf = NULL;
    size_t len = 0;
    rc = yw_sup__stats_xlsx(s, &buf, &len, &req->err);
    json_decref(s);
    if (rc)
        return rc;
    yw_resp_header(req, "Content-Disposition", "attachment; filename=\"ywtb-statistics.xlsx\"");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(
        req, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf, len);
}

/* The public figures, computed at most once a minute per node (and again
 * when the day changes): the page is public, so its cost must not follow the
 * number of readers. */
static pthread_mutex_t public_mu = PTHREAD_MUTEX_INITIALIZER;
static char *public_body;
static size_t public_len;
static int64_t public_day, public_at_ns;

static int
public_cached(struct yw_req *req, int64_t today)
{
    char *copy = NULL;
    size_t len = 0;
    pthread_mutex_lock(&public_mu);
    if (public_body && public_day == today &&
        yw_clock_mono_ns() - public_at_ns < (int64_t)60 * 1000 * 1000 * 1000) {
        copy = malloc(public_len);
        memcpy(copy, public_body, public_len);
        len = public_len;
    }
    pthread_mutex_unlock(&public_mu);
    if (copy == NULL)
        return 0;
    yw_resp_header(req, "Cache-Control", "public, max-age=60");
    yw_resp_take(req, 200, "application/json; charset=utf-8", copy, len);
    return 1;
}

static void
public_store(const char *body, size_t len, int64_t today)
{
    pthread_mutex_lock(&public_mu);
    free(public_body);
    public_body = malloc(len);
    memcpy(public_body, body, len);
    public_len = len;
    public_day = today;
    public_at_ns = yw_clock_mono_ns();
    pthread_mutex_unlock(&public_mu);
}

static int
h_public_stats(struct yw_req *req)
{
    int64_t today = yw_sup__today();
    if (public_cached(req, today))
        return 0;
    char t[11];
    yw_cal_day_text(today, t);
    int y = atoi(t);
    json_t *s = yw_sup__stats(req->db, &req->arena, yw_days_from_civil(y, 1, 1), today, NULL, 10);
    if (s == NULL)
        return read_fail(req, "the figures");
    json_t *total = json_object_get(s, "total");
    json_t *out = json_pack(
        "{s:i, s:s, s:O, s:O, s:O, s:O, s:O}", "year", y, "as_of", t, "received",
        json_object_get(total, "received"), "accepted", json_object_get(total, "accepted"),
        "approved", json_object_get(total, "approved"), "on_time_rate",
        json_object_get(total, "on_time_rate"), "top_items", json_object_get(s, "top_items"));
    json_decref(s);
    char *text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    size_t len = strlen(text);
    public_store(text, len, today);
    yw_resp_header(req, "Cache-Control", "public, max-age=60");
    return yw_resp_take(req, 200, "application/json; charset=utf-8", text, len);
}

/* ---- credit ---- */

/* ---- the audit viewer ---- */

/* A text filter of the audit query: NULL when absent, 422 when too long. */
static int
text_query(struct yw_req *req, const char *name, size_t max, const char **out)
{
    const char *v = yw_req_query(req, name);
    *out = v && *v ? v : NULL;
    if (*out && strlen(*out) > max)
        return yw_fail(&req->err, YW_EFIELD, name, "%s is longer than %zu characters", name, max);
    return 0;
}

static int
audit_query(struct yw_req *req, struct yw_sup_audit_query *q, int64_t max_limit)
{
    *q = (struct yw_sup_audit_query){ 0 };
    int rc;
    if ((rc = text_query(req, "actor", 64, &q->actor)) ||
        (rc = text_query(req, "action", 64, &q->action)) ||
        (rc = text_query(req, "obj_type", 32, &q->obj_type)) ||
        (rc = text_query(req, "obj_id", 128, &q->obj_id)) ||
        (rc = parse_day(req, "from", 0, &q->from_day)) ||
        (rc = parse_day(req, "to", 0, &q->to_day)) ||
        (rc = yw_req_query_int(req, "before", 0, 0, INT64_MAX / 2, &q->before)) ||
        (rc = yw_req_query_int(req, "limit", 50, 1, max_limit, &q->limit)))
        return rc;
    if (q->from_day && q->to_day && q->from_day > q->to_day)
        return yw_fail(&req->err, YW_EFIELD, "from", "from must not be after to");
    return 0;
}

static int
h_audit(struct yw_req *req)
{
    struct yw_sup_audit_query q;
    int rc = audit_query(req, &q, 200);
    if (rc)
        return rc;
    json_t *out = yw_sup__audit_search(req->db, &q);
    return out ? yw_resp_json(req, 200, out) : read_fail(req, "the audit chain");
}

static int
h_audit_csv(struct yw_req *req)
{
    struct yw_sup_audit_query q;
    int rc = audit_query(req, &q, 10000);
    if (rc)
        return rc;
    if (yw_req_query(req, "limit") == NULL)
        q.limit = 10000;
    struct yw_buf b;
    yw_buf_init(&b);
    if (yw_sup__audit_csv(req->db, &q, q.limit, &b)) {
        yw_buf_release(&b);
        return read_fail(req, "the audit chain");
    }
    yw_resp_header(req, "Content-Disposition", "attachment; filename=\"ywtb-audit.csv\"");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "text/csv; charset=utf-8", b.p, b.n);
}

/* The whole chain walked and checked (ywtb verify --audit), on the slow pool. */
static int
h_audit_verify(struct yw_req *req)
{
    struct yw_audit_report rep;
    int64_t head = 0;
    int rc = yw_audit_verify(req->app->db, &rep, &req->err);
    if (rc)
        return rc;
    if (yw_audit_head(req->db, &head))
        return read_fail(req, "the audit chain");
    return yw_resp_json(req, 200,
                        json_pack("{s:b, s:I, s:I, s:o, s:s}", "intact", rep.bad_seq == 0,
                                  "records", (json_int_t)rep.records, "head", (json_int_t)head,
                                  "bad_seq", rep.bad_seq ? json_integer(rep.bad_seq) : json_null(),
                                  "problem", rep.problem));
}

static int
h_records(struct yw_req *req)
{
    const char *subject = yw_req_query(req, "subject");
    json_t *l = yw_sup__credit_list(req->db, subject, false);
    return l ? yw_resp_json(req, 200, json_pack("{s:o}", "items", l))
             : read_fail(req, "the credit records");
}

static int
h_record_add(struct yw_req *req)
{
    struct yw_sup_record r = {
        .subject_ident = yw_body_str(req, "subject_ident"),
        .subject_name = yw_body_str(req, "subject_name"),
        .kind = yw_body_str(req, "kind"),
        .category = yw_body_str(req, "category"),
        .dept = yw_body_str(req, "dept"),
        .basis = yw_body_str(req, "basis"),
        .measures = yw_body_str(req, "measures"),
        .valid_from = yw_body_str(req, "valid_from"),
        .valid_to = yw_body_str(req, "valid_to"),
    };
    if (!(req->who->roles & (YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN))) {
        if (r.dept && *r.dept && strcmp(r.dept, req->who->dept) != 0)
            return yw_fail(&req->err, YW_EFORBIDDEN, "dept",
                           "a department records its own decisions only");
        r.dept = req->who->dept;
    }
    int64_t id = 0;
    int rc = yw_sup__credit_add(req->db, &r, req->who->account_id, &id, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int
h_repair(struct yw_req *req)
{
    int64_t id;
    int rc = id_param(req, &id);
    if (rc)
        return rc;
    const char *dept =
        (req->who->roles & (YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)) ? NULL : req->who->dept;
    rc = yw_sup__credit_repair(req->db, id, dept, req->who->account_id, yw_body_str(req, "note"),
                               &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "repaired"));
}

static int
h_repair_request(struct yw_req *req)
{
    int64_t id;
    int rc = id_param(req, &id);
    if (rc)
        return rc;
    rc = yw_sup__credit_repair_request(req->db, id, req->who->login, req->who->account_id,
                                       yw_body_str(req, "reason"), &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:s}", "id", (json_int_t)id, "repair", "requested"));
}

static int
h_rules(struct yw_req *req)
{
    json_t *l = yw_sup__rules_list(req->db);
    return l ? yw_resp_json(req, 200, json_pack("{s:o}", "items", l))
             : read_fail(req, "the credit rules");
}

static int
h_rule_add(struct yw_req *req)
{
    struct yw_sup_rule r = {
        .record_kind = yw_body_str(req, "record_kind"),
        .category = yw_body_str(req, "category"),
        .target_kind = yw_body_str(req, "target_kind"),
        .target = yw_body_str(req, "target"),
        .measure = yw_body_str(req, "measure"),
        .note = yw_body_str(req, "note"),
        .material = yw_body_str(req, "material"),
    };
    int64_t id = 0;
    int rc = yw_sup__rule_add(req->db, &r, req->who->account_id, &id, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int
h_flags(struct yw_req *req)
{
    const char *subject = yw_req_query(req, "subject");
    const char *item = yw_req_query(req, "item");
    char ident[19];
    if (subject == NULL || !yw_cnid_ident_normalize(subject, ident))
        return yw_fail(&req->err, YW_EFIELD, "subject",
                       "subject must be a valid resident ID number or unified social credit code");
    const char *dept = "";
    if (item && *item) {
        int64_t item_id = 0;
        int ver = 0;
        json_t *doc = NULL;
        int rc = strlen(item) > 40 ? YW_ENOTFOUND
                                   : yw_catalog_item_current(req->db, item, &item_id, &ver, &doc);
        if (rc == YW_ENOTFOUND)
            return yw_fail(&req->err, YW_EFIELD, "item", "no item '%.40s'", item);
        if (rc)
            return read_fail(req, "the item");
        dept = yw_arena_strdup(&req->arena, json_string_value(json_object_get(doc, "dept")) ?: "");
        json_decref(doc);
    }
    json_t *f = yw_sup__credit_flags(req->db, ident, item ? item : "", dept);
    return f ? yw_resp_json(req, 200, f) : read_fail(req, "the credit records");
}

static int
h_checks(struct yw_req *req)
{
    const char *case_no = yw_req_query(req, "case_no");
    if (case_no == NULL || *case_no == '\0' || strlen(case_no) > 32)
        return yw_fail(&req->err, YW_EFIELD, "case_no", "name the case (case_no)");
    json_t *l = yw_sup__credit_checks(req->db, case_no);
    return l ? yw_resp_json(req, 200, json_pack("{s:s, s:o}", "case_no", case_no, "items", l))
             : read_fail(req, "the credit checks");
}

static int
h_my_credit(struct yw_req *req)
{
    json_t *l = yw_sup__credit_list(req->db, req->who->login, false);
    return l ? yw_resp_json(req, 200, json_pack("{s:o}", "items", l))
             : read_fail(req, "your credit records");
}

static const struct yw_field answer_body[] = { { "explanation", YW_F_STRING, true, 2000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field note_body[] = { { "note", YW_F_STRING, false, 1000 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, true, 1000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field record_body[] = {
    { "subject_ident", YW_F_STRING, true, 32 }, { "subject_name", YW_F_STRING, true, 100 },
    { "kind", YW_F_STRING, true, 16 },          { "category", YW_F_STRING, true, 100 },
    { "dept", YW_F_STRING, false, 32 },         { "basis", YW_F_STRING, true, 500 },
    { "measures", YW_F_STRING, false, 1000 },   { "valid_from", YW_F_STRING, false, 10 },
    { "valid_to", YW_F_STRING, false, 10 },     { NULL, 0, false, 0 },
};
static const struct yw_field rule_body[] = {
    { "record_kind", YW_F_STRING, true, 16 }, { "category", YW_F_STRING, false, 100 },
    { "target_kind", YW_F_STRING, true, 8 },  { "target", YW_F_STRING, true, 40 },
    { "measure", YW_F_STRING, true, 16 },     { "note", YW_F_STRING, false, 500 },
    { "material", YW_F_STRING, false, 64 },   { NULL, 0, false, 0 },
};

static const struct yw_route routes[] = {
    { "GET", "/api/v1/supervision/board", h_board, YW_ROLE_SUPERVISOR | YW_ROLE_CHIEF_APPROVER,
      YW_R_STALE, NULL, "the supervisor's board" },
    { "GET", "/api/v1/supervision/queue", h_queue, YW_ROLE_SUPERVISOR | YW_ROLE_CHIEF_APPROVER, 0,
      NULL, "open tasks by light (the chief's board)" },
    { "GET", "/api/v1/supervision/cards", h_cards, CARD_READ, 0, NULL, "yellow and red cards" },
    { "GET", "/api/v1/supervision/cards/{id}", h_card, CARD_READ, 0, NULL,
      "a card with its history" },
    { "POST", "/api/v1/supervision/cards/{id}/answer", h_answer,
      YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER, YW_R_WRITE, answer_body,
      "the department answers a card" },
    { "POST", "/api/v1/supervision/cards/{id}/accept", h_accept, YW_ROLE_SUPERVISOR, YW_R_WRITE,
      note_body, "accept the department's answer" },
    { "POST", "/api/v1/supervision/cards/{id}/escalate", h_escalate, YW_ROLE_SUPERVISOR, YW_R_WRITE,
      note_body, "escalate a card" },
    { "POST", "/api/v1/supervision/sweep", h_sweep, YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN, 0, NULL,
      "run the card sweep now" },
    { "GET", "/api/v1/supervision/stats", h_stats, CARD_READ, YW_R_STALE, NULL, "statistics" },
    { "GET", "/api/v1/supervision/stats.xlsx", h_stats_xlsx, CARD_READ, 0, NULL,
      "statistics as an Excel workbook" },
    { "GET", "/api/v1/public/statistics", h_public_stats, 0, YW_R_PUBLIC | YW_R_STALE, NULL,
      "the district's headline figures", 120 },
    { "GET", "/api/v1/supervision/audit", h_audit, YW_ROLE_SUPERVISOR, 0, NULL,
      "search the audit chain" },
    { "GET", "/api/v1/supervision/audit.csv", h_audit_csv, YW_ROLE_SUPERVISOR, 0, NULL,
      "the audit records found, as CSV" },
    { "GET", "/api/v1/supervision/audit/verify", h_audit_verify, YW_ROLE_SUPERVISOR, YW_R_SLOW,
      NULL, "verify the whole audit chain" },
    { "GET", "/api/v1/credit/records", h_records, CREDIT_READ, 0, NULL, "credit records" },
    { "POST", "/api/v1/credit/records", h_record_add,
      YW_ROLE_SUPERVISOR | YW_ROLE_REVIEWER | YW_ROLE_ADMIN, YW_R_WRITE, record_body,
      "add a credit record" },
    { "POST", "/api/v1/credit/records/{id}/repair", h_repair,
      YW_ROLE_SUPERVISOR | YW_ROLE_REVIEWER | YW_ROLE_ADMIN, YW_R_WRITE, note_body,
      "end a record by credit repair (信用修复)" },
    { "GET", "/api/v1/credit/rules", h_rules, CREDIT_READ, 0, NULL, "joint punishment rules" },
    { "POST", "/api/v1/credit/rules", h_rule_add, YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN, YW_R_WRITE,
      rule_body, "add a rule" },
    { "GET", "/api/v1/credit/flags", h_flags, CREDIT_READ, 0, NULL,
      "a subject's credit flags for an item" },
    { "GET", "/api/v1/credit/checks", h_checks, CREDIT_READ, 0, NULL,
      "the credit checks made on a case" },
    { "POST", "/api/v1/me/credit/{id}/repair-request", h_repair_request, YW_ROLE_APPLICANT,
      YW_R_WRITE, reason_body, "apply for credit repair (信用修复) of your own record" },
    { "GET", "/api/v1/me/credit", h_my_credit, YW_ROLE_APPLICANT, 0, NULL,
      "your own credit records" },
};

static int
supervision_init(struct yw_app *app, struct yw_err *err)
{
    yw_sup__cfg_set(app);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", app->cfg->data_dir);
    int rc = yw_cal_load(dir, &calendar, err);
    if (rc)
        return rc;
    yw_sup__calendar_use(calendar);
    yw_sup__feed_register();
    yw_sup__credit_register();
    return yw_sup__sweep_start(app, err);
}

static void
supervision_shutdown(void)
{
    yw_sup__sweep_stop();
    yw_sup__creditset_free();
    yw_sup__calendar_use(NULL);
    yw_cal_free(calendar);
    pthread_mutex_lock(&public_mu);
    free(public_body);
    public_body = NULL;
    pthread_mutex_unlock(&public_mu);
    calendar = NULL;
    yw_sup__cache_clear();
}

extern const struct yw_command yw_sup_commands[]; /* commands.c */

const struct yw_module yw_supervision_module = {
    .name = "supervision",
    .init = supervision_init,
    .shutdown = supervision_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_sup_commands,
    .settings = &yw_sup_settings_table,
    .seed = yw_sup__seed,
};
