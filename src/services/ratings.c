/*
 * ratings.c - 好差评: one rating per finished case (一事一评) and per hall
 * visit (一次一评), by the applicant only, once, within rating_days, on the
 * five levels of the national rules (非常满意 5 ... 非常不满意 1;
 * CN-STANDARDS.md §5.5).  A request row is opened when the case is decided
 * or the visit finished (level 0), and rating fills it in.  A bad rating
 * (不满意 2 or 非常不满意 1) opens a rectification (整改) for the department,
 * due in rating_rectify_days working days; the department reports what it
 * verified, how it contacted the rater and what it fixed or explained; the
 * rater is told and may rate the rectification.  A department may appeal a
 * mistaken or malicious rating (申诉复核); a supervisor upholds the appeal
 * (the rating is annulled and leaves the figures) or rejects it.
 */
#include "services/internal.h"

#include "core/clock.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <string.h>

int
yw_svc__rating_open(struct yw_dbc *c, const char *kind, const char *target, int64_t account,
                    const char *dept, const char *item_code, const char *window, const char *title)
{
    char now[32], closes[32];
    yw_svc__now_text(now);
    yw_clock_format(yw_clock_now_ms() + yw_svc__cfg()->rating_days * 86400000LL, closes);
    return yw_db_run(c,
                     "INSERT INTO svc_ratings (kind, target, account_id, dept, item_code, "
                     "window_code, title, opened_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (kind, target) DO NOTHING",
                     "ssissssss", kind, target, account, dept, item_code ? item_code : "",
                     window ? window : "", title ? title : "", now, closes);
}

#define RCOLS                                                                                      \
    "r.id, r.kind, r.target, r.dept, r.item_code, r.window_code, r.title, r.opened_at, "           \
    "r.closes_at, r.level, r.comment, r.rated_at, r.status"

static json_t *
rating_row(struct yw_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id",
                     (json_int_t)yw_db_col_int(s, 0), "kind", yw_db_col_text(s, 1), "target",
                     yw_db_col_text(s, 2), "dept", yw_db_col_text(s, 3), "item_code",
                     yw_db_col_text(s, 4), "window", yw_db_col_text(s, 5), "title",
                     yw_db_col_text(s, 6), "opened_at", yw_db_col_text(s, 7), "closes_at",
                     yw_db_col_text(s, 8), "level", (json_int_t)yw_db_col_int(s, 9), "comment",
                     yw_db_col_text(s, 10), "rated_at", yw_db_col_text(s, 11), "status",
                     yw_db_col_text(s, 12));
}

#define XCOLS                                                                                      \
    "id, rating_id, dept, status, due_day, verified, contacted, outcome, reported_at, "            \
    "appeal_reason, appeal_result, appeal_note, created_at"

static json_t *
rect_row(struct yw_stmt *s)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)yw_db_col_int(s, 0), "rating_id", (json_int_t)yw_db_col_int(s, 1),
                     "dept", yw_db_col_text(s, 2), "status", yw_db_col_text(s, 3), "due_day",
                     yw_db_col_text(s, 4), "verified", yw_db_col_text(s, 5), "contacted",
                     yw_db_col_text(s, 6), "outcome", yw_db_col_text(s, 7), "reported_at",
                     yw_db_col_text(s, 8), "appeal_reason", yw_db_col_text(s, 9), "appeal_result",
                     yw_db_col_text(s, 10), "appeal_note", yw_db_col_text(s, 11), "created_at",
                     yw_db_col_text(s, 12));
}

int
yw_svc__rectification_json(struct yw_dbc *c, int64_t id, json_t **out)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " XCOLS " FROM svc_rectifications WHERE id = ?", "i", id);
    if (rc)
        return rc;
    *out = rect_row(s);
    yw_db_reset(s);
    /* the rating it answers */
    struct yw_stmt *r = NULL;
    if (yw_db_one_row(c, &r, "SELECT " RCOLS " FROM svc_ratings r WHERE r.id = ?", "i",
                      (int64_t)json_integer_value(json_object_get(*out, "rating_id"))) == 0) {
        json_object_set_new(*out, "rating", rating_row(r));
        yw_db_reset(r);
    }
    return 0;
}

json_t *
yw_svc__ratings_json(struct yw_dbc *c, int64_t account_id)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " RCOLS " FROM svc_ratings r WHERE r.account_id = ? "
                                    "ORDER BY r.id DESC LIMIT 200",
                                    "i", account_id);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    char now[32];
    yw_svc__now_text(now);
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *o = rating_row(s);
        json_object_set_new(
            o, "open",
            json_boolean(yw_db_col_int(s, 9) == 0 && strcmp(yw_db_col_text(s, 8), now) >= 0));
        json_array_append_new(out, o);
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    /* the rectification of each bad rating: what the rater sees of it */
    size_t i;
    json_t *o;
    json_array_foreach(out, i, o)
    {
        struct yw_stmt *x = NULL;
        if (yw_db_one_row(c, &x, "SELECT " XCOLS " FROM svc_rectifications WHERE rating_id = ?",
                          "i", (int64_t)json_integer_value(json_object_get(o, "id"))) == 0) {
            json_t *rj = rect_row(x);
            yw_db_reset(x);
            json_object_del(rj, "appeal_reason");
            json_object_del(rj, "appeal_note");
            json_object_set_new(o, "rectification", rj);
        }
    }
    return out;
}

int
yw_svc__rate(struct yw_dbc *c, int64_t account_id, int64_t id, int level, const char *comment,
             struct yw_err *err)
{
    if (level < 1 || level > 5)
        return yw_fail(err, YW_EFIELD, "level", "level is 1 (非常不满意) to 5 (非常满意)");
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(
        c, &s, "SELECT " RCOLS " FROM svc_ratings r WHERE r.id = ? AND r.account_id = ?", "ii", id,
        account_id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no rating %lld of yours", (long long)id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the rating");
    json_t *r = rating_row(s);
    yw_db_reset(s);
    char now[32];
    yw_svc__now_text(now);
    if (json_integer_value(json_object_get(r, "level")) != 0) {
        json_decref(r);
        return yw_fail(err, YW_ESTATE, "", "this was rated already: one rating each");
    }
    if (strcmp(json_string_value(json_object_get(r, "closes_at")), now) < 0) {
        json_decref(r);
        return yw_fail(err, YW_ESTATE, "", "the rating window closed");
    }
    int64_t changed = 0;
    rc = yw_db_run_changes(c, &changed,
                           "UPDATE svc_ratings SET level = ?, comment = ?, rated_at = ? WHERE id "
                           "= ? AND level = 0",
                           "dssi", level, comment ? comment : "", now, id);
    if (rc || changed == 0) {
        json_decref(r);
        return rc ? yw_fail(err, rc, "", "cannot store the rating")
                  : yw_fail(err, YW_ESTATE, "", "this was rated already: one rating each");
    }
    char actor[24], obj[24], sum[64];
    snprintf(actor, sizeof actor, "%lld", (long long)account_id);
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    snprintf(sum, sizeof sum, "{\"level\":%d}", level);
    if ((rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                        .role = "applicant",
                                                        .action = "rating.submit",
                                                        .obj_type = "rating",
                                                        .obj_id = obj,
                                                        .summary = sum }))) {
        json_decref(r);
        return rc;
    }
    const char *kind = json_string_value(json_object_get(r, "kind"));
    const char *dept = json_string_value(json_object_get(r, "dept"));
    if (level <= 2 && strcmp(kind, "rectification") != 0) {
        char due[11];
        yw_cal_day_text(yw_cal_add_workdays(yw_svc__calendar(), yw_svc__today(),
                                            (int)yw_svc__cfg()->rating_rectify_days),
                        due);
        rc = yw_db_run(c,
                       "INSERT INTO svc_rectifications (rating_id, dept, status, due_day, "
                       "created_at) VALUES (?, ?, 'open', ?, ?)",
                       "isss", id, dept, due, now);
        if (rc) {
            json_decref(r);
            return yw_fail(err, rc, "", "cannot open the rectification");
        }
    }
    json_t *ev =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)id, "kind", kind,
                  "target", json_string_value(json_object_get(r, "target")), "dept", dept,
                  "item_code", json_string_value(json_object_get(r, "item_code")), "window_code",
                  json_string_value(json_object_get(r, "window")), "level", level);
    rc = yw_events_publish(c, YW_EV_RATING_SUBMITTED, ev, err);
    json_decref(ev);
    json_decref(r);
    return rc;
}

json_t *
yw_svc__rectifications_json(struct yw_dbc *c, const char *dept, const char *status)
{
    const char *d = dept ? dept : "", *st = status ? status : "";
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " XCOLS " FROM svc_rectifications WHERE (? = '' OR "
                                    "dept = ?) AND (? = '' OR status = ?) ORDER BY id DESC "
                                    "LIMIT 200",
                                    "ssss", d, d, st, st);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    char today[11];
    yw_cal_day_text(yw_svc__today(), today);
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *o = rect_row(s);
        json_object_set_new(o, "overdue",
                            json_boolean(!strcmp(yw_db_col_text(s, 3), "open") &&
                                         strcmp(yw_db_col_text(s, 4), today) < 0));
        json_array_append_new(out, o);
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The rectification `id` that staff `who` may act on: their department's
 * (admin: any); 404 otherwise.  *status, *rating_id, *account out. */
static int
dept_rect(struct yw_dbc *c, const struct yw_principal *who, int64_t id, char status[16],
          int64_t *rating_id, struct yw_err *err)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(
        c, &s, "SELECT dept, status, rating_id FROM svc_rectifications WHERE id = ?", "i", id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no rectification %lld", (long long)id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the rectification");
    bool mine = (who->roles & (YW_ROLE_ADMIN | YW_ROLE_SUPERVISOR)) ||
                !strcmp(yw_db_col_text(s, 0), who->dept);
    snprintf(status, 16, "%s", yw_db_col_text(s, 1));
    *rating_id = yw_db_col_int(s, 2);
    yw_db_reset(s);
    if (!mine)
        return yw_fail(err, YW_ENOTFOUND, "", "no rectification %lld of your department",
                       (long long)id);
    return 0;
}

static int
audit_rect(struct yw_dbc *c, const struct yw_principal *who, const char *action, int64_t id)
{
    char actor[24], obj[24];
    snprintf(actor, sizeof actor, "%lld", (long long)who->account_id);
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "staff",
                                                     .action = action,
                                                     .obj_type = "rectification",
                                                     .obj_id = obj,
                                                     .summary = "{}" });
}

int
yw_svc__rectify_report(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                       const char *verified, const char *contacted, const char *outcome,
                       struct yw_err *err)
{
    char status[16];
    int64_t rating_id;
    int rc = dept_rect(c, who, id, status, &rating_id, err);
    if (rc)
        return rc;
    if (strcmp(status, "open") != 0)
        return yw_fail(err, YW_ESTATE, "", "the rectification is %s", status);
    char now[32];
    yw_svc__now_text(now);
    rc = yw_db_run(c,
                   "UPDATE svc_rectifications SET status = 'reported', verified = ?, contacted = "
                   "?, outcome = ?, reported_at = ?, reported_by = ? WHERE id = ?",
                   "ssssii", verified, contacted, outcome, now, who->account_id, id);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the report");
    if ((rc = audit_rect(c, who, "rectification.report", id)))
        return rc;
    /* the rater is told, and may rate the rectification */
    struct yw_stmt *s = NULL;
    if ((rc = yw_db_one_row(c, &s, "SELECT account_id, dept, title FROM svc_ratings WHERE id = ?",
                            "i", rating_id)))
        return yw_fail(err, rc, "", "cannot read the rating");
    int64_t account = yw_db_col_int(s, 0);
    char dept[32], title[128], target[24], key[48];
    snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 1));
    snprintf(title, sizeof title, "%s", yw_db_col_text(s, 2));
    yw_db_reset(s);
    snprintf(target, sizeof target, "%lld", (long long)id);
    if ((rc = yw_svc__rating_open(c, "rectification", target, account, dept, "", "", title)))
        return yw_fail(err, rc, "", "cannot open the rating");
    json_t *vars = json_pack("{s:s, s:s}", "title", title, "outcome", outcome);
    snprintf(key, sizeof key, "rectification:%lld", (long long)id);
    rc = yw_svc__notify(c, account, key, "rectification.reported", vars, "/ratings.html", NULL);
    json_decref(vars);
    return rc ? yw_fail(err, rc, "", "cannot queue the message") : 0;
}

int
yw_svc__rectify_appeal(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                       const char *reason, struct yw_err *err)
{
    char status[16];
    int64_t rating_id;
    int rc = dept_rect(c, who, id, status, &rating_id, err);
    if (rc)
        return rc;
    if (strcmp(status, "open") != 0)
        return yw_fail(err, YW_ESTATE, "", "the rectification is %s", status);
    rc = yw_db_run(c,
                   "UPDATE svc_rectifications SET status = 'appealed', appeal_reason = ?, "
                   "appeal_result = 'pending' WHERE id = ?",
                   "si", reason, id);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the appeal");
    return audit_rect(c, who, "rectification.appeal", id);
}

int
yw_svc__rectify_decide(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                       const char *result, const char *note, struct yw_err *err)
{
    if (strcmp(result, "upheld") != 0 && strcmp(result, "rejected") != 0)
        return yw_fail(err, YW_EFIELD, "result", "result is upheld or rejected");
    char status[16];
    int64_t rating_id;
    int rc = dept_rect(c, who, id, status, &rating_id, err);
    if (rc)
        return rc;
    if (strcmp(status, "appealed") != 0)
        return yw_fail(err, YW_ESTATE, "", "the rectification has no pending appeal");
    bool upheld = !strcmp(result, "upheld");
    rc = yw_db_run(c,
                   "UPDATE svc_rectifications SET status = ?, appeal_result = ?, appeal_note = ? "
                   "WHERE id = ?",
                   "sssi", upheld ? "annulled" : "open", result, note ? note : "", id);
    if (!rc && upheld)
        rc =
            yw_db_run(c, "UPDATE svc_ratings SET status = 'annulled' WHERE id = ?", "i", rating_id);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the decision");
    return audit_rect(c, who,
                      upheld ? "rectification.appeal_upheld" : "rectification.appeal_rejected", id);
}

json_t *
yw_svc__ratings_summary(struct yw_dbc *c, const char *by)
{
    const char *sql;
    if (!strcmp(by, "item"))
        sql = "SELECT item_code, level, COUNT(*) FROM svc_ratings WHERE level > 0 AND status = "
              "'valid' AND kind <> 'rectification' AND item_code <> '' GROUP BY item_code, level "
              "ORDER BY item_code, level";
    else if (!strcmp(by, "window"))
        sql = "SELECT window_code, level, COUNT(*) FROM svc_ratings WHERE level > 0 AND status = "
              "'valid' AND kind = 'visit' AND window_code <> '' GROUP BY window_code, level "
              "ORDER BY window_code, level";
    else
        sql = "SELECT dept, level, COUNT(*) FROM svc_ratings WHERE level > 0 AND status = "
              "'valid' AND kind <> 'rectification' GROUP BY dept, level ORDER BY dept, level";
    struct yw_stmt *s = yw_db_query(c, sql, "");
    if (s == NULL)
        return NULL;
    json_t *out = json_array(), *cur = NULL;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *key = yw_db_col_text(s, 0);
        if (cur == NULL || strcmp(json_string_value(json_object_get(cur, "key")), key) != 0) {
            cur = json_pack("{s:s, s:I, s:[iiiii], s:f, s:f}", "key", key, "count", (json_int_t)0,
                            "levels", 0, 0, 0, 0, 0, "average", 0.0, "satisfaction", 0.0);
            json_array_append_new(out, cur);
        }
        int level = (int)yw_db_col_int(s, 1);
        int64_t n = yw_db_col_int(s, 2);
        json_array_set_new(json_object_get(cur, "levels"), (size_t)(level - 1), json_integer(n));
        json_object_set_new(cur, "count",
                            json_integer(json_integer_value(json_object_get(cur, "count")) + n));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(out, i, o)
    {
        json_t *lv = json_object_get(o, "levels");
        double total = (double)json_integer_value(json_object_get(o, "count")), sum = 0, good = 0;
        for (int l = 1; l <= 5; l++) {
            double n = (double)json_integer_value(json_array_get(lv, (size_t)(l - 1)));
            sum += n * l;
            if (l >= 4)
                good += n;
        }
        json_object_set_new(o, "average", json_real(total ? sum / total : 0));
        json_object_set_new(o, "satisfaction", json_real(total ? good / total : 0));
    }
    return json_pack("{s:s, s:o}", "by", by, "items", out);
}
