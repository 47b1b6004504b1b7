/*
 * orders.c - the loop of a 12345 work order, on its working-day clock.
 *
 *   received (受理) --dispatch--> dispatched (派单) --sign--> signed (签收)
 *   dispatched|signed --return--> returned (退回: wrong department, within
 *       hotline_return_days working days of the dispatch) --dispatch--> ...
 *   signed --extend--> (a pending request) --extend_decide--> due day moved
 *       (延期: at most hotline_max_extensions times)
 *   signed --answer--> answered (答复) --close--> closed (办结)
 *   received --close--> closed (a question answered on the call)
 *   closed --callback--> visited (回访) --rate--> rated (评价, five levels)
 *   any open state --press--> the same state, presses + 1 (督办)
 *
 * The clock starts at intake: due day = intake day + the type's limit in
 * working days (the intake day does not count; core/calendar.h), moved on by
 * an approved extension; it stops when the department answers.  Every step
 * writes a step row, an audit record, and for intake, dispatch, answer,
 * close and rate an event (core/events.h), in the caller's transaction.
 * A step out of order is YW_ESTATE naming the order's state.
 */
#include "hotline/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const types[] = { "consult",     "suggestion", "help", "complaint",
                                     "supervision", "complex",    NULL };

static bool
in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

bool
yw_hotline__is_closed(const char *status)
{
    return !strcmp(status, "closed") || !strcmp(status, "visited") || !strcmp(status, "rated");
}

bool
yw_hotline__phone_ok(const char *p)
{
    if (yw_cnid_mobile_ok(p))
        return true;
    /* a landline: 0 + area code, optionally '-', 10 to 12 digits in all */
    if (p == NULL || p[0] != '0')
        return false;
    size_t digits = 0, dashes = 0;
    for (const char *q = p; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (*q == '-' && q > p + 2 && dashes == 0)
            dashes++;
        else
            return false;
    }
    return digits >= 10 && digits <= 12;
}

int
yw_hotline__parse_coord(const char *s, double lo, double hi, const char *field, double *out,
                        struct yw_err *err)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v == v))
        return yw_fail(err, YW_EFIELD, field, "'%.40s' is not a number of degrees", s);
    if (v < lo || v > hi)
        return yw_fail(err, YW_EFIELD, field, "the location is outside Xuhui district (%.2f-%.2f)",
                       lo, hi);
    *out = v;
    return 0;
}

static const char *
now_text(struct yw_arena *a)
{
    char buf[32];
    yw_db_now_text(buf);
    return yw_arena_strdup(a, buf);
}

static json_t *
event_payload(const struct yw_hotline__order *o)
{
    char due[11];
    yw_cal_day_text(o->due_day, due);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "order_no", o->order_no,
                     "type", o->type, "category", o->category, "dept", o->dept, "status", o->status,
                     "due_date", due, "caller_account_id", (json_int_t)o->caller_account_id,
                     "caller_ident", o->caller_ident, "channel", o->channel);
}

static int
publish(struct yw_dbc *c, enum yw_event ev, const struct yw_hotline__order *o, struct yw_err *err)
{
    json_t *p = event_payload(o);
    if (ev == YW_EV_HOTLINE_ORDER_RATED)
        json_object_set_new(p, "rating", json_integer(o->rating));
    int rc = yw_events_publish(c, ev, p, err);
    json_decref(p);
    return rc;
}

static int
audit(struct yw_dbc *c, const struct yw_hotline__actor *by, const char *action,
      const struct yw_hotline__order *o, json_t *summary)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)by->account_id);
    json_object_set_new(summary, "status", json_string(o->status));
    if (o->dept[0])
        json_object_set_new(summary, "dept", json_string(o->dept));
    char *text = json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(summary);
    int rc =
        yw_audit_add(c, &(struct yw_audit_entry){ .actor = by->account_id ? actor : "anonymous",
                                                  .role = by->role,
                                                  .action = action,
                                                  .obj_type = "hotline_order",
                                                  .obj_id = o->order_no,
                                                  .summary = text });
    free(text);
    return rc;
}

static const char *
str_field(json_t *args, const char *name)
{
    return json_string_value(json_object_get(args, name));
}

static int
need_text(json_t *args, const char *name, size_t max, const char **out, struct yw_err *err)
{
    const char *s = str_field(args, name);
    size_t n = s ? strlen(s) : 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
        n--;
    if (s == NULL || n == 0)
        return yw_fail(err, YW_EMISSING, name, "'%s' is required", name);
    if (yw_utf8_len(s, strlen(s)) > max)
        return yw_fail(err, YW_EFIELD, name, "'%s' is longer than %zu characters", name, max);
    *out = s;
    return 0;
}

int
yw_hotline__intake(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__intake *in,
                   const struct yw_hotline__actor *by, struct yw_hotline__order *out,
                   struct yw_err *err)
{
    const struct yw_hotline__category *cat = yw_hotline__category(in->category);
    if (cat == NULL)
        return yw_fail(err, YW_EFIELD, "category", "no service category '%.40s'",
                       in->category ? in->category : "");
    const char *type = in->type && in->type[0] ? in->type : cat->type;
    if (!in_list(type, types))
        return yw_fail(err, YW_EFIELD, "type",
                       "type '%.40s' is not one of consult, suggestion, help, complaint, "
                       "supervision, complex",
                       type);
    const char *urgency = in->urgency && in->urgency[0] ? in->urgency : "normal";
    if (strcmp(urgency, "normal") && strcmp(urgency, "urgent"))
        return yw_fail(err, YW_EFIELD, "urgency", "urgency is 'normal' or 'urgent'");
    if (in->content == NULL || in->content[0] == '\0')
        return yw_fail(err, YW_EMISSING, "content", "say what the call is about");
    if (yw_utf8_len(in->content, strlen(in->content)) > 2000)
        return yw_fail(err, YW_EFIELD, "content", "the content is longer than 2000 characters");
    if (in->caller_phone && in->caller_phone[0] && !yw_hotline__phone_ok(in->caller_phone))
        return yw_fail(err, YW_EFIELD, "caller_phone",
                       "'%.20s' is not a mobile number or a landline with its area code",
                       in->caller_phone);
    if (in->caller_account_id == 0 && !in->callback_optional &&
        (in->caller_phone == NULL || in->caller_phone[0] == '\0'))
        return yw_fail(err, YW_EMISSING, "caller_phone",
                       "a callback number is needed to answer the caller");
    /* a link staff will open: only http(s), nothing a browser would run */
    if (in->media_url && in->media_url[0] && strncmp(in->media_url, "https://", 8) != 0 &&
        strncmp(in->media_url, "http://", 7) != 0)
        return yw_fail(err, YW_EFIELD, "media_url", "a photo link starts with https:// or http://");
    if (in->media_url && strpbrk(in->media_url, " \"'<>\\") != NULL)
        return yw_fail(err, YW_EFIELD, "media_url",
                       "a photo link has no spaces, quotes or brackets");
    double lat = 0, lng = 0;
    bool has_lat = in->lat && in->lat[0], has_lng = in->lng && in->lng[0];
    if (has_lat != has_lng)
        return yw_fail(err, YW_EMISSING, has_lat ? "lng" : "lat",
                       "a location needs both latitude and longitude");
    if (has_lat) {
        int rc = yw_hotline__parse_coord(in->lat, YW_HOTLINE_LAT_MIN, YW_HOTLINE_LAT_MAX, "lat",
                                         &lat, err);
        if (rc == 0)
            rc = yw_hotline__parse_coord(in->lng, YW_HOTLINE_LNG_MIN, YW_HOTLINE_LNG_MAX, "lng",
                                         &lng, err);
        if (rc)
            return rc;
    }
    if (cat->attr && in->attributes != NULL) {
        const char *v = json_string_value(json_object_get(in->attributes, cat->attr));
        if (v == NULL)
            return yw_fail(err, YW_EMISSING, cat->attr, "attribute '%s' is required", cat->attr);
        if (!in_list(v, cat->attr_values))
            return yw_fail(err, YW_EFIELD, cat->attr, "'%.40s' is not a value of '%s'", v,
                           cat->attr);
    }

    struct yw_hotline__order *o = out;
    memset(o, 0, sizeof *o);
    int64_t now_ms = yw_clock_now_ms();
    int64_t today = yw_cal_day_of_ms(now_ms);
    o->channel = in->channel;
    o->category = cat->code;
    o->type = type;
    o->urgency = urgency;
    o->status = "received";
    o->content = in->content;
    o->address = in->address ? in->address : "";
    o->lat = has_lat ? yw_arena_printf(a, "%.6f", lat) : "";
    o->lng = has_lat ? yw_arena_printf(a, "%.6f", lng) : "";
    o->media_url = in->media_url ? in->media_url : "";
    o->caller_name = in->caller_name ? in->caller_name : "";
    o->caller_phone = in->caller_phone ? in->caller_phone : "";
    o->caller_account_id = in->caller_account_id;
    o->caller_ident = in->caller_ident ? in->caller_ident : "";
    o->intake_by = in->intake_by;
    o->client = in->client ? in->client : "";
    o->dept = "";
    o->limit_days = yw_hotline__type_limit(type);
    o->start_day = today;
    o->due_day = yw_cal_add_workdays(yw_hotline__calendar(), today, o->limit_days);
    o->created_at = o->updated_at = now_text(a);
    o->ext_reason = o->answer = o->visit_note = o->rating_comment = o->closed_at = "";
    o->merged_into = "";
    int rc = yw_hotline__insert(c, a, o);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the work order");
    rc = yw_hotline__step_add(c, o->id, "intake", by->name, "", o->status, o->channel);
    if (rc == 0)
        rc = audit(c, by, "hotline.intake", o,
                   json_pack("{s:s, s:s, s:s}", "channel", o->channel, "category", o->category,
                             "type", o->type));
    if (rc == 0)
        rc = publish(c, YW_EV_HOTLINE_ORDER_CREATED, o, err);
    return rc;
}

/* A merged order is answered and closed with the order it was merged into
 * (合并: one answer for every caller). */
static int
answer_merged(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__order *master,
              const struct yw_hotline__actor *by, struct yw_err *err)
{
    struct yw_hotline__order *kids = NULL;
    int n = 0;
    int rc = yw_hotline__merged(c, a, master->order_no, &kids, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct yw_hotline__order *k = &kids[i];
        if (yw_hotline__is_closed(k->status))
            continue;
        k->answer = master->answer;
        k->answered_day = master->answered_day;
        k->dept = master->dept;
        bool closing = !strcmp(master->status, "closed");
        if (closing) {
            k->status = "closed";
            k->closed_at = master->closed_at;
        }
        k->updated_at = master->updated_at;
        rc = yw_hotline__save(c, k);
        if (rc == 0)
            rc = yw_hotline__step_add(c, k->id, closing ? "close" : "answer", by->name, k->dept,
                                      k->status, master->order_no);
        if (rc == 0)
            rc = audit(c, by, closing ? "hotline.close" : "hotline.answer", k,
                       json_pack("{s:s}", "via", master->order_no));
        if (rc == 0 && closing)
            rc = publish(c, YW_EV_HOTLINE_ORDER_CLOSED, k, err);
    }
    return rc;
}

int
yw_hotline__merge(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *child,
                  const char *master_no, const struct yw_hotline__actor *by, struct yw_err *err)
{
    if (strcmp(child->status, "received") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s', not 'received'", child->order_no,
                       child->status);
    if (master_no == NULL || master_no[0] == '\0')
        return yw_fail(err, YW_EMISSING, "into", "name the order to merge into");
    if (!strcmp(master_no, child->order_no))
        return yw_fail(err, YW_EFIELD, "into", "an order cannot be merged into itself");
    struct yw_hotline__order m;
    int rc = yw_hotline__load(c, a, master_no, &m);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "into", "no work order '%.40s'", master_no);
    if (rc)
        return rc;
    if (strcmp(m.category, child->category) != 0)
        return yw_fail(err, YW_EFIELD, "into", "order '%s' is of another category", m.order_no);
    if (m.merged_into[0] || !strcmp(m.status, "merged") || yw_hotline__is_closed(m.status))
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s': it cannot take other orders",
                       m.order_no, m.status);
    child->status = "merged";
    child->merged_into = m.order_no;
    child->dept = m.dept;
    char now[32];
    yw_db_now_text(now);
    child->updated_at = yw_arena_strdup(a, now);
    rc = yw_hotline__save(c, child);
    if (rc == 0)
        rc = yw_hotline__step_add(c, child->id, "merge", by->name, "", child->status, m.order_no);
    if (rc == 0)
        rc = yw_hotline__step_add(c, m.id, "merge_in", by->name, "", m.status, child->order_no);
    if (rc == 0)
        rc = audit(c, by, "hotline.merge", child, json_pack("{s:s}", "into", m.order_no));
    return rc;
}

int
yw_hotline__similar_json(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__order *o,
                         bool whole_phone, json_t **out)
{
    struct yw_hotline__order *list = NULL;
    int n = 0;
    int rc = yw_hotline__similar(c, a, o, &list, &n);
    if (rc)
        return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const struct yw_hotline__order *x = &list[i];
        bool near;
        if (o->lat[0] && x->lat[0]) { /* about 300 m at Shanghai's latitude */
            double dy = atof(o->lat) - atof(x->lat), dx = atof(o->lng) - atof(x->lng);
            near = dy > -0.0027 && dy < 0.0027 && dx > -0.0032 && dx < 0.0032;
        } else {
            near = o->address[0] && !strcmp(o->address, x->address);
        }
        if (near)
            json_array_append_new(items, yw_hotline__order_json(c, a, x, whole_phone));
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

static int
wrong_state(struct yw_err *err, const struct yw_hotline__order *o, const char *want)
{
    return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s', not %s", o->order_no, o->status, want);
}

static bool
is_state(const struct yw_hotline__order *o, const char *s)
{
    return strcmp(o->status, s) == 0;
}

int
yw_hotline__step(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o,
                 const char *action, json_t *args, const struct yw_hotline__actor *by,
                 struct yw_err *err)
{
    const struct yw_hotline_settings *cfg = yw_hotline__cfg();
    const struct yw_calendar *cal = yw_hotline__calendar();
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    const char *note = str_field(args, "note");
    const char *step_dept = by->dept;
    enum yw_event ev = YW_EV__COUNT;
    json_t *summary = json_object();
    int rc = 0;

    if (!strcmp(action, "dispatch")) {
        if (!is_state(o, "received") && !is_state(o, "returned")) {
            rc = wrong_state(err, o, "'received' or 'returned'");
            goto out;
        }
        const char *dept = str_field(args, "dept");
        if (dept == NULL || dept[0] == '\0') {
            const struct yw_hotline__category *cat = yw_hotline__category(o->category);
            dept = cat ? cat->dept : "";
        }
        if (dept[0] == '\0') {
            rc = yw_fail(err, YW_EMISSING, "dept", "name the department to dispatch to");
            goto out;
        }
        rc = yw_catalog_dept_exists(c, dept);
        if (rc == YW_ENOTFOUND) {
            rc = yw_fail(err, YW_EFIELD, "dept", "no department '%.40s'", dept);
            goto out;
        }
        if (rc)
            goto out;
        if (!strcmp(dept, "XH-12345")) {
            rc = yw_fail(err, YW_EFIELD, "dept", "dispatch to a department, not the hotline");
            goto out;
        }
        const char *urgency = str_field(args, "urgency");
        if (urgency && strcmp(urgency, "normal") && strcmp(urgency, "urgent")) {
            rc = yw_fail(err, YW_EFIELD, "urgency", "urgency is 'normal' or 'urgent'");
            goto out;
        }
        if (urgency)
            o->urgency = urgency;
        const char *type = str_field(args, "type");
        if (type) { /* the operator may reclassify (复杂事项 after approval) */
            if (!in_list(type, types)) {
                rc = yw_fail(err, YW_EFIELD, "type", "no order type '%.40s'", type);
                goto out;
            }
            int lim = yw_hotline__type_limit(type);
            o->due_day = yw_cal_add_workdays(cal, o->start_day, lim);
            o->type = type;
            o->limit_days = lim;
        }
        o->dept = yw_arena_strdup(a, dept);
        o->status = "dispatched";
        o->dispatched_day = today;
        step_dept = o->dept;
        ev = YW_EV_HOTLINE_ORDER_DISPATCHED;
        json_object_set_new(summary, "urgency", json_string(o->urgency));
    } else if (!strcmp(action, "sign")) {
        if (!is_state(o, "dispatched")) {
            rc = wrong_state(err, o, "'dispatched'");
            goto out;
        }
        o->status = "signed";
    } else if (!strcmp(action, "return")) {
        if (!is_state(o, "dispatched") && !is_state(o, "signed")) {
            rc = wrong_state(err, o, "'dispatched' or 'signed'");
            goto out;
        }
        const char *reason;
        if ((rc = need_text(args, "reason", 500, &reason, err)))
            goto out;
        int used = yw_cal_workdays_between(cal, o->dispatched_day, today);
        if (used > cfg->hotline_return_days) {
            rc = yw_fail(err, YW_ESTATE, "",
                         "order '%s' was dispatched %d working days ago: it may be returned "
                         "within %lld",
                         o->order_no, used, (long long)cfg->hotline_return_days);
            goto out;
        }
        note = reason;
        json_object_set_new(summary, "reason", json_string(reason));
        json_object_set_new(summary, "from_dept", json_string(o->dept));
        o->returns++;
        o->status = "returned";
        o->dept = "";
        o->ext_days = 0;
        o->ext_reason = "";
    } else if (!strcmp(action, "extend")) {
        if (!is_state(o, "signed")) {
            rc = wrong_state(err, o, "'signed'");
            goto out;
        }
        if (o->ext_days > 0) {
            rc = yw_fail(err, YW_ESTATE, "", "order '%s' already has an extension request",
                         o->order_no);
            goto out;
        }
        if (o->extensions >= cfg->hotline_max_extensions) {
            rc = yw_fail(err, YW_ESTATE, "", "order '%s' was extended %d time(s): the most",
                         o->order_no, o->extensions);
            goto out;
        }
        json_t *d = json_object_get(args, "days");
        json_int_t days = json_is_integer(d) ? json_integer_value(d) : 0;
        if (days < 1 || days > cfg->hotline_max_extension_days) {
            rc = yw_fail(err, YW_EFIELD, "days", "an extension is 1 to %lld working days",
                         (long long)cfg->hotline_max_extension_days);
            goto out;
        }
        const char *reason;
        if ((rc = need_text(args, "reason", 500, &reason, err)))
            goto out;
        o->ext_days = (int)days;
        o->ext_reason = reason;
        note = reason;
        json_object_set_new(summary, "days", json_integer(days));
    } else if (!strcmp(action, "extend_decide")) {
        if (o->ext_days == 0 || !is_state(o, "signed")) {
            rc = yw_fail(err, YW_ESTATE, "", "order '%s' has no extension request (status '%s')",
                         o->order_no, o->status);
            goto out;
        }
        json_t *ap = json_object_get(args, "approve");
        if (!json_is_boolean(ap)) {
            rc = yw_fail(err, YW_EMISSING, "approve", "say whether the extension is approved");
            goto out;
        }
        json_object_set_new(summary, "approve", json_incref(ap));
        json_object_set_new(summary, "days", json_integer(o->ext_days));
        if (json_is_true(ap)) {
            o->due_day = yw_cal_add_workdays(cal, o->due_day, o->ext_days);
            o->extensions++;
            action = "extend_approved";
        } else {
            action = "extend_refused";
        }
        o->ext_days = 0;
        o->ext_reason = "";
        step_dept = o->dept;
    } else if (!strcmp(action, "answer")) {
        if (!is_state(o, "signed")) {
            rc = wrong_state(err, o, "'signed'");
            goto out;
        }
        const char *answer;
        if ((rc = need_text(args, "answer", 2000, &answer, err)))
            goto out;
        o->answer = answer;
        o->status = "answered";
        o->answered_day = today;
        o->ext_days = 0;
        o->ext_reason = "";
        note = answer;
        ev = YW_EV_HOTLINE_ORDER_ANSWERED;
    } else if (!strcmp(action, "close")) {
        if (is_state(o, "received")) {
            /* answered on the call (a general question, from the knowledge) */
            const char *answer;
            if ((rc = need_text(args, "answer", 2000, &answer, err)))
                goto out;
            o->answer = answer;
            o->answered_day = today;
        } else if (!is_state(o, "answered")) {
            rc = wrong_state(err, o, "'answered' (or 'received', answered on the call)");
            goto out;
        }
        o->status = "closed";
        o->closed_at = now_text(a);
        ev = YW_EV_HOTLINE_ORDER_CLOSED;
    } else if (!strcmp(action, "callback")) {
        if (!is_state(o, "closed")) {
            rc = wrong_state(err, o, "'closed'");
            goto out;
        }
        const char *visit;
        if ((rc = need_text(args, "note", 1000, &visit, err)))
            goto out;
        o->visit_note = visit;
        o->status = "visited";
    } else if (!strcmp(action, "rate")) {
        if (!is_state(o, "visited") && !is_state(o, "closed")) {
            rc = wrong_state(err, o, "'closed' or 'visited'");
            goto out;
        }
        json_t *r = json_object_get(args, "rating");
        json_int_t v = json_is_integer(r) ? json_integer_value(r) : 0;
        if (v < 1 || v > 5) { /* 好差评: 非常满意 5 ... 非常不满意 1 */
            rc = yw_fail(err, YW_EFIELD, "rating", "the rating is 1 to 5");
            goto out;
        }
        const char *comment = str_field(args, "comment");
        if (comment && yw_utf8_len(comment, strlen(comment)) > 500) {
            rc = yw_fail(err, YW_EFIELD, "comment", "the comment is longer than 500 characters");
            goto out;
        }
        o->rating = (int)v;
        o->rating_comment = comment ? comment : "";
        o->status = "rated";
        note = comment;
        json_object_set_new(summary, "rating", json_integer(v));
        ev = YW_EV_HOTLINE_ORDER_RATED;
    } else if (!strcmp(action, "press")) {
        if (yw_hotline__is_closed(o->status) || is_state(o, "answered") || is_state(o, "merged")) {
            rc = wrong_state(err, o, "open");
            goto out;
        }
        const char *why;
        if ((rc = need_text(args, "note", 500, &why, err)))
            goto out;
        o->presses++;
        step_dept = o->dept;
    } else {
        rc = yw_fail(err, YW_EINVAL, "", "no step '%s'", action);
        goto out;
    }

    o->updated_at = now_text(a);
    rc = yw_hotline__save(c, o);
    if (rc == 0)
        rc = yw_hotline__step_add(c, o->id, action, by->name, step_dept, o->status, note);
    if (rc == 0) {
        if (note)
            json_object_set_new(summary, "note", json_string(note));
        rc = audit(c, by, yw_arena_printf(a, "hotline.%s", action), o, summary);
        summary = NULL;
    }
    if (rc == 0 && ev != YW_EV__COUNT)
        rc = publish(c, ev, o, err);
    if (rc == 0 && (!strcmp(action, "answer") || !strcmp(action, "close")))
        rc = answer_merged(c, a, o, by, err);
out:
    json_decref(summary);
    return rc;
}

json_t *
yw_hotline__clock_json(const struct yw_hotline__order *o)
{
    const struct yw_calendar *cal = yw_hotline__calendar();
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    char d[11];
    json_t *j = json_object();
    json_object_set_new(j, "started", json_true());
    json_object_set_new(j, "limit_days", json_integer(o->limit_days));
    yw_cal_day_text(o->start_day, d);
    json_object_set_new(j, "start_date", json_string(d));
    yw_cal_day_text(o->due_day, d);
    json_object_set_new(j, "due_date", json_string(d));
    if (o->answered_day) {
        int left = yw_cal_workdays_between(cal, o->answered_day, o->due_day);
        json_object_set_new(j, "light", json_string("stopped"));
        json_object_set_new(j, "days_left", json_integer(left));
        json_object_set_new(j, "on_time", json_boolean(o->answered_day <= o->due_day));
        json_object_set_new(j, "overdue", json_false());
        return j;
    }
    int left = yw_cal_workdays_between(cal, today, o->due_day);
    bool overdue = today > o->due_day;
    int warn = o->limit_days / 5 > 1 ? o->limit_days / 5 : 1;
    const char *light = overdue ? "red" : left <= warn ? "yellow" : "green";
    json_object_set_new(j, "light", json_string(light));
    json_object_set_new(j, "days_left", json_integer(left));
    json_object_set_new(j, "overdue", json_boolean(overdue));
    return j;
}

json_t *
yw_hotline__order_json(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__order *o,
                       bool whole_phone)
{
    const struct yw_hotline__category *cat = yw_hotline__category(o->category);
    char masked[YW_CNID_PHONE_MASK] = "";
    if (o->caller_phone[0])
        yw_cnid_mask_phone(o->caller_phone, masked);
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "order_no",
                  o->order_no, "channel", o->channel, "category", o->category, "category_name",
                  cat ? cat->name : "", "type", o->type, "urgency", o->urgency, "status", o->status,
                  "content", o->content, "address", o->address, "media_url", o->media_url, "dept",
                  o->dept, "created_at", o->created_at);
    if (o->lat[0]) {
        json_object_set_new(j, "lat", json_real(atof(o->lat)));
        json_object_set_new(j, "lng", json_real(atof(o->lng)));
    } else {
        json_object_set_new(j, "lat", json_null());
        json_object_set_new(j, "lng", json_null());
    }
    const char *dept_name = "";
    if (o->dept[0]) {
        struct yw_catalog_dept d;
        if (yw_catalog_dept(c, a, o->dept, &d) == 0)
            dept_name = d.name;
    }
    json_object_set_new(j, "dept_name", json_string(dept_name));
    json_object_set_new(j, "caller",
                        json_pack("{s:s, s:s, s:b, s:b}", "name", o->caller_name, "phone",
                                  whole_phone ? o->caller_phone : masked, "anonymous",
                                  o->caller_account_id == 0, "phone_masked",
                                  !whole_phone && o->caller_phone[0] != '\0'));
    json_object_set_new(j, "clock", yw_hotline__clock_json(o));
    json_object_set_new(j, "returns", json_integer(o->returns));
    json_object_set_new(j, "extensions", json_integer(o->extensions));
    json_object_set_new(j, "extension_request",
                        o->ext_days
                            ? json_pack("{s:i, s:s}", "days", o->ext_days, "reason", o->ext_reason)
                            : json_null());
    json_object_set_new(j, "presses", json_integer(o->presses));
    json_object_set_new(j, "answer", json_string(o->answer));
    json_object_set_new(j, "visit_note", json_string(o->visit_note));
    json_object_set_new(j, "rating", o->rating ? json_integer(o->rating) : json_null());
    json_object_set_new(j, "rating_comment", json_string(o->rating_comment));
    json_object_set_new(j, "updated_at", json_string(o->updated_at));
    json_object_set_new(j, "closed_at", json_string(o->closed_at));
    json_object_set_new(j, "merged_into", json_string(o->merged_into));
    return j;
}
