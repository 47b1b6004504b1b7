/*
 * events.c - urban grid events and components (城市管理事件、部件, GB/T
 * 30428.2) and their loop (GB/T 30428.8 立案、处置和结案):
 *
 *   reported (信息收集: a grid worker, with a photo and a location placed in its
 *   grid) --open--> opened (立案, the centre) --dispatch--> dispatched (派遣, to
 *   a department) --handle--> handled (处置: the department reports back with an
 *   after-photo) --verify ok--> verified (核查: a grid worker on site)
 *   --close--> closed (结案, the centre); verify not ok sends it back to
 *   dispatched; reject (with a reason) ends it at any step before closing.
 *
 * A 12345 order about something on the street becomes an event
 * (order_to_grid) and is closed with the event's result when the event
 * closes.  Every step writes a step row and an audit record in the caller's
 * transaction; a step out of order is YW_ESTATE naming the state.
 */
#include "hotline/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/provider.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "files/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GB/T 30428.2 major categories. */
static const char *const component_majors[] = { "公用设施", "道路交通", "市容环境", "园林绿化",
                                                "房屋土地", "其他设施", NULL };
static const char *const event_majors[] = { "市容环境", "宣传广告", "施工管理", "突发事件",
                                            "街面秩序", "其他事件", NULL };

static bool
in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

#define ECOLS                                                                                      \
    "id, event_no, kind, major, minor, description, lat, lng, grid_code, status, reporter_id, "    \
    "reporter_name, photo_before, photo_after, dept, order_no, note, created_at, updated_at, "     \
    "closed_at"

static const char *
col(struct yw_arena *a, struct yw_stmt *s, int i)
{
    return yw_arena_strdup(a, yw_db_col_text(s, i));
}

static void
read_event(struct yw_arena *a, struct yw_stmt *s, struct yw_hotline__event *e)
{
    memset(e, 0, sizeof *e);
    e->id = yw_db_col_int(s, 0);
    e->event_no = col(a, s, 1);
    e->kind = col(a, s, 2);
    e->major = col(a, s, 3);
    e->minor = col(a, s, 4);
    e->description = col(a, s, 5);
    e->lat = col(a, s, 6);
    e->lng = col(a, s, 7);
    e->grid_code = col(a, s, 8);
    e->status = col(a, s, 9);
    e->reporter_id = yw_db_col_int(s, 10);
    e->reporter_name = col(a, s, 11);
    e->photo_before = col(a, s, 12);
    e->photo_after = col(a, s, 13);
    e->dept = col(a, s, 14);
    e->order_no = col(a, s, 15);
    e->note = col(a, s, 16);
    e->created_at = col(a, s, 17);
    e->updated_at = col(a, s, 18);
    e->closed_at = col(a, s, 19);
}

int
yw_hotline__event_load(struct yw_dbc *c, struct yw_arena *a, const char *no,
                       struct yw_hotline__event *e)
{
    struct yw_stmt *s = NULL;
    int rc =
        yw_db_one_row(c, &s, "SELECT " ECOLS " FROM hotline_events WHERE event_no = ?", "s", no);
    if (rc)
        return rc;
    read_event(a, s, e);
    yw_db_reset(s);
    return 0;
}

static const char *
now_text(struct yw_arena *a)
{
    char buf[32];
    yw_db_now_text(buf);
    return yw_arena_strdup(a, buf);
}

static int
add_step(struct yw_dbc *c, const struct yw_hotline__event *e, const char *action,
         const struct yw_hotline__actor *by, const char *dept, const char *note)
{
    return yw_db_run(
        c,
        "INSERT INTO hotline_event_steps (event_id, at, action, actor_name, dept, status, "
        "note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "issssss", e->id, e->updated_at, action, by->name ? by->name : "", dept ? dept : "",
        e->status, note ? note : "");
}

static int
audit(struct yw_dbc *c, const struct yw_hotline__actor *by, const char *action,
      const struct yw_hotline__event *e, const char *note)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)by->account_id);
    json_t *sum =
        json_pack("{s:s, s:s, s:s}", "status", e->status, "grid", e->grid_code, "dept", e->dept);
    if (note && note[0])
        json_object_set_new(sum, "note", json_string(note));
    char *text = json_dumps(sum, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(sum);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                       .role = by->role,
                                                       .action = action,
                                                       .obj_type = "grid_event",
                                                       .obj_id = e->event_no,
                                                       .summary = text });
    free(text);
    return rc;
}

/* A photo: an image the actor uploaded (POST /api/v1/files). */
static int
check_photo(struct yw_dbc *c, const char *id, const struct yw_hotline__actor *by, const char *field,
            struct yw_err *err)
{
    struct yw_file_info f;
    int rc = yw_files_get(c, id, &f);
    if (rc == YW_ENOTFOUND || (rc == 0 && f.owner != by->account_id))
        return yw_fail(err, YW_EFIELD, field, "no upload '%.48s' of yours", id);
    if (rc)
        return rc;
    if (strncmp(f.mime, "image/", 6) != 0)
        return yw_fail(err, YW_EFIELD, field, "upload '%.48s' is %s, not a photo", id, f.mime);
    return 0;
}

int
yw_hotline__event_report(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__report *in,
                         const struct yw_hotline__actor *by, struct yw_hotline__event *out,
                         struct yw_err *err)
{
    const char *kind = in->kind && in->kind[0] ? in->kind : "event";
    if (strcmp(kind, "event") && strcmp(kind, "component"))
        return yw_fail(err, YW_EFIELD, "kind", "kind is 'event' (事件) or 'component' (部件)");
    if (!in_list(in->major, strcmp(kind, "event") ? component_majors : event_majors))
        return yw_fail(err, YW_EFIELD, "major",
                       "'%.40s' is not a major category of %s (GB/T 30428.2)",
                       in->major ? in->major : "", kind);
    if (in->description == NULL || in->description[0] == '\0')
        return yw_fail(err, YW_EMISSING, "description", "describe what was found");
    if (yw_utf8_len(in->description, strlen(in->description)) > 1000)
        return yw_fail(err, YW_EFIELD, "description",
                       "the description is longer than 1000 characters");
    if (in->lat == NULL || in->lng == NULL)
        return yw_fail(err, YW_EMISSING, in->lat ? "lng" : "lat", "an event needs its location");
    double lat, lng;
    int rc =
        yw_hotline__parse_coord(in->lat, YW_HOTLINE_LAT_MIN, YW_HOTLINE_LAT_MAX, "lat", &lat, err);
    if (rc == 0)
        rc = yw_hotline__parse_coord(in->lng, YW_HOTLINE_LNG_MIN, YW_HOTLINE_LNG_MAX, "lng", &lng,
                                     err);
    if (rc)
        return rc;
    if (in->photo && in->photo[0] && (rc = check_photo(c, in->photo, by, "photo", err)))
        return rc;
    struct yw_hotline__grid g = { "", "", "", "" };
    rc = yw_hotline__grid_locate(c, a, lat, lng, &g);
    if (rc && rc != YW_ENOTFOUND)
        return rc;

    struct yw_hotline__event *e = out;
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->major = in->major;
    e->minor = in->minor ? in->minor : "";
    e->description = in->description;
    e->lat = yw_arena_printf(a, "%.6f", lat);
    e->lng = yw_arena_printf(a, "%.6f", lng);
    e->grid_code = g.code;
    e->status = "reported";
    e->reporter_id = by->account_id;
    e->reporter_name = by->name;
    e->photo_before = in->photo ? in->photo : "";
    e->photo_after = e->dept = e->note = e->closed_at = "";
    e->order_no = in->order_no ? in->order_no : "";
    e->created_at = e->updated_at = now_text(a);
    int64_t id = 0;
    rc = yw_db_one_int(c, &id,
                       "INSERT INTO hotline_events (kind, major, minor, description, lat, lng, "
                       "grid_code, status, reporter_id, reporter_name, photo_before, order_no, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       "ssssssssisssss", e->kind, e->major, e->minor, e->description, e->lat,
                       e->lng, e->grid_code, e->status, e->reporter_id, e->reporter_name,
                       e->photo_before, e->order_no, e->created_at, e->updated_at);
    if (rc)
        return yw_fail(err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot store the event");
    int y, m, d;
    yw_civil_from_days(yw_cal_day_of_ms(yw_clock_now_ms()), &y, &m, &d);
    e->id = id;
    e->event_no = yw_arena_printf(a, "GE%04d%02d%02d%06lld", y, m, d, (long long)id);
    rc = yw_db_run(c, "UPDATE hotline_events SET event_no = ? WHERE id = ?", "si", e->event_no, id);
    if (rc == 0)
        rc = add_step(c, e, "report", by, by->dept, e->grid_code[0] ? e->grid_code : NULL);
    if (rc == 0)
        rc = audit(c, by, "grid.report", e, NULL);
    return rc;
}

static int
wrong_state(struct yw_err *err, const struct yw_hotline__event *e, const char *want)
{
    return yw_fail(err, YW_ESTATE, "", "event '%s' is '%s', not %s", e->event_no, e->status, want);
}

static int
need_text(json_t *args, const char *name, const char **out, struct yw_err *err)
{
    const char *s = json_string_value(json_object_get(args, name));
    if (s == NULL || s[0] == '\0')
        return yw_fail(err, YW_EMISSING, name, "'%s' is required", name);
    *out = s;
    return 0;
}

/* The order an event came from is closed with the event's result. */
static int
close_order(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__event *e,
            const struct yw_hotline__actor *by, struct yw_err *err)
{
    if (e->order_no[0] == '\0')
        return 0;
    struct yw_hotline__order o;
    int rc = yw_hotline__load(c, a, e->order_no, &o);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc || strcmp(o.status, "received") != 0)
        return rc; /* already handled by the hotline's own loop */
    json_t *args = json_pack(
        "{s:s}", "answer",
        yw_arena_printf(a, "网格事件 %s 已结案：%s", e->event_no, e->note[0] ? e->note : "已处置"));
    rc = yw_hotline__step(c, a, &o, "close", args, by, err);
    json_decref(args);
    return rc;
}

int
yw_hotline__event_step(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__event *e,
                       const char *action, json_t *args, const struct yw_hotline__actor *by,
                       struct yw_err *err)
{
    const char *note = json_string_value(json_object_get(args, "note"));
    const char *dept = by->dept;
    int rc = 0;
    if (!strcmp(action, "open")) {
        if (strcmp(e->status, "reported"))
            return wrong_state(err, e, "'reported'");
        e->status = "opened";
    } else if (!strcmp(action, "dispatch")) {
        if (strcmp(e->status, "opened"))
            return wrong_state(err, e, "'opened'");
        const char *to = NULL;
        if ((rc = need_text(args, "dept", &to, err)))
            return rc;
        rc = yw_catalog_dept_exists(c, to);
        if (rc == YW_ENOTFOUND || (rc == 0 && !strcmp(to, "XH-12345")))
            return yw_fail(err, YW_EFIELD, "dept", "no department '%.40s' to dispatch to", to);
        if (rc)
            return rc;
        e->dept = yw_arena_strdup(a, to);
        e->status = "dispatched";
        dept = e->dept;
    } else if (!strcmp(action, "handle")) {
        if (strcmp(e->status, "dispatched"))
            return wrong_state(err, e, "'dispatched'");
        const char *photo = NULL;
        if ((rc = need_text(args, "photo", &photo, err)) ||
            (rc = need_text(args, "note", &note, err)))
            return rc;
        if ((rc = check_photo(c, photo, by, "photo", err)))
            return rc;
        e->photo_after = photo;
        e->status = "handled";
    } else if (!strcmp(action, "verify")) {
        if (strcmp(e->status, "handled"))
            return wrong_state(err, e, "'handled'");
        json_t *ok = json_object_get(args, "ok");
        if (!json_is_boolean(ok))
            return yw_fail(err, YW_EMISSING, "ok", "say whether the handling is confirmed on site");
        if (json_is_false(ok)) {
            if ((rc = need_text(args, "note", &note, err)))
                return rc;
            e->status = "dispatched"; /* 核查不通过: back to the department */
            action = "verify_failed";
        } else {
            e->status = "verified";
        }
    } else if (!strcmp(action, "close")) {
        if (strcmp(e->status, "verified"))
            return wrong_state(err, e, "'verified'");
        e->status = "closed";
        e->closed_at = now_text(a);
    } else if (!strcmp(action, "reject")) {
        if (!strcmp(e->status, "closed") || !strcmp(e->status, "rejected"))
            return wrong_state(err, e, "open");
        if ((rc = need_text(args, "reason", &note, err)))
            return rc;
        e->status = "rejected";
        e->closed_at = now_text(a);
    } else {
        return yw_fail(err, YW_EINVAL, "", "no step '%s'", action);
    }
    if (note)
        e->note = note;
    e->updated_at = now_text(a);
    rc = yw_db_run(c,
                   "UPDATE hotline_events SET status = ?, dept = ?, photo_after = ?, note = ?, "
                   "updated_at = ?, closed_at = ? WHERE id = ?",
                   "ssssssi", e->status, e->dept, e->photo_after, e->note, e->updated_at,
                   e->closed_at, e->id);
    if (rc == 0)
        rc = add_step(c, e, action, by, dept, note);
    if (rc == 0)
        rc = audit(c, by, yw_arena_printf(a, "grid.%s", action), e, note);
    if (rc == 0 && !strcmp(e->status, "closed"))
        rc = close_order(c, a, e, by, err);
    return rc;
}

int
yw_hotline__order_to_grid(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o,
                          json_t *args, const struct yw_hotline__actor *by,
                          struct yw_hotline__event *out, struct yw_err *err)
{
    if (strcmp(o->status, "received") != 0)
        return yw_fail(err, YW_ESTATE, "", "order '%s' is '%s', not 'received'", o->order_no,
                       o->status);
    if (o->lat[0] == '\0')
        return yw_fail(err, YW_ESTATE, "", "order '%s' has no location to place in a grid",
                       o->order_no);
    struct yw_hotline__report in = { 0 };
    in.kind = json_string_value(json_object_get(args, "kind"));
    in.major = json_string_value(json_object_get(args, "major"));
    in.minor = json_string_value(json_object_get(args, "minor"));
    in.description = o->content;
    in.lat = o->lat;
    in.lng = o->lng;
    in.order_no = o->order_no;
    int rc = yw_hotline__event_report(c, a, &in, by, out, err);
    if (rc)
        return rc;
    /* the centre opens it at once: it came through the hotline's intake */
    rc = yw_hotline__event_step(c, a, out, "open", NULL, by, err);
    if (rc == 0)
        rc = yw_hotline__step_add(c, o->id, "to_grid", by->name, "", o->status, out->event_no);
    return rc;
}

static int
steps_json(struct yw_dbc *c, int64_t id, json_t **out)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT at, action, actor_name, dept, status, note FROM "
                                    "hotline_event_steps WHERE event_id = ? ORDER BY id",
                                    "i", id);
    if (s == NULL)
        return YW_EDB;
    json_t *arr = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                                             yw_db_col_text(s, 0), "action", yw_db_col_text(s, 1),
                                             "actor", yw_db_col_text(s, 2), "dept",
                                             yw_db_col_text(s, 3), "status", yw_db_col_text(s, 4),
                                             "note", yw_db_col_text(s, 5)));
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

json_t *
yw_hotline__event_json(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__event *e,
                       bool steps)
{
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
        "s:s}",
        "event_no", e->event_no, "kind", e->kind, "major", e->major, "minor", e->minor,
        "description", e->description, "lat", atof(e->lat), "lng", atof(e->lng), "grid_code",
        e->grid_code, "status", e->status, "reporter_name", e->reporter_name, "photo_before",
        e->photo_before, "photo_after", e->photo_after, "dept", e->dept, "order_no", e->order_no,
        "note", e->note, "created_at", e->created_at, "updated_at", e->updated_at, "closed_at",
        e->closed_at);
    if (e->dept[0]) {
        struct yw_catalog_dept d;
        if (yw_catalog_dept(c, a, e->dept, &d) == 0)
            json_object_set_new(j, "dept_name", json_string(d.name));
    }
    json_t *s = NULL;
    if (steps && steps_json(c, e->id, &s) == 0)
        json_object_set_new(j, "steps", s);
    return j;
}

int
yw_hotline__events_list(struct yw_dbc *c, struct yw_arena *a, const char *status, const char *dept,
                        const char *grid, int64_t before_id, int limit, json_t **out)
{
    const char *st = status ? status : "", *dp = dept ? dept : "", *gr = grid ? grid : "";
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " ECOLS " FROM hotline_events WHERE id < ? "
                                    "AND (? = '' OR status = ?) AND (? = '' OR dept = ?) "
                                    "AND (? = '' OR grid_code = ?) ORDER BY id DESC LIMIT ?",
                                    "issssssd", before_id > 0 ? before_id : INT64_MAX, st, st, dp,
                                    dp, gr, gr, limit);
    if (s == NULL)
        return YW_EDB;
    json_t *items = json_array();
    int rc, n = 0;
    int64_t last = 0;
    struct yw_hotline__event *rows = yw_arena_alloc(a, sizeof *rows * (size_t)limit);
    while ((rc = yw_db_step(s)) == YW_ROW && n < limit) {
        read_event(a, s, &rows[n]);
        last = rows[n].id;
        n++;
    }
    rc = rc == YW_ROW ? (yw_db_reset(s), 0) : yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return rc;
    }
    for (int i = 0; i < n; i++)
        json_array_append_new(items, yw_hotline__event_json(c, a, &rows[i], false));
    *out = json_pack("{s:o}", "items", items);
    json_object_set_new(*out, "next_cursor", n == limit ? json_integer(last) : json_null());
    return 0;
}

/* yw_file_access_fn: a grid event's photos are seen by whoever may see the
 * event (grid workers, the hotline centre, supervisors, admins, and the
 * department it is dispatched to). */
static int
event_file_access(struct yw_dbc *c, const char *file_id, const struct yw_principal *who, void *ctx)
{
    (void)ctx;
    if (who == NULL || !(who->roles & YW_ROLE_STAFF))
        return YW_ENOTFOUND;
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT dept FROM hotline_events WHERE photo_before = ? OR "
                                    "photo_after = ? ORDER BY id LIMIT 20",
                                    "ss", file_id, file_id);
    if (s == NULL)
        return YW_EDB;
    uint32_t all =
        YW_ROLE_GRID_WORKER | YW_ROLE_HOTLINE_OPERATOR | YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN;
    uint32_t depts = YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER;
    int rc;
    bool yes = false;
    while (!yes && (rc = yw_db_step(s)) == YW_ROW) {
        const char *d = yw_db_col_text(s, 0);
        yes = (who->roles & all) ||
              ((who->roles & depts) && d[0] && who->dept && strcmp(d, who->dept) == 0);
    }
    if (yes) {
        yw_db_reset(s);
        return 0;
    }
    rc = yw_db_finish(s, rc);
    return rc ? rc : YW_ENOTFOUND;
}

void
yw_hotline__file_access_register(void)
{
    yw_provider_add_file_access("hotline", event_file_access, NULL);
}
