/*
 * model.c - case rows: loading, status transitions with their timeline event
 * and audit record, events to other modules, visibility, and the JSON a
 * viewer receives.
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/cnid.h"
#include "db/audit.h"
#include "db/events.h"
#include "files/files.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_COLS YW_CASE_COLS

bool
yw_case__status_final(const char *s)
{
    return !strcmp(s, CS_APPROVED) || !strcmp(s, CS_DENIED) || !strcmp(s, CS_NOT_ACCEPTED) ||
           !strcmp(s, CS_WITHDRAWN);
}

static void fill(struct yw_stmt *s, struct yw_arena *a, struct yw_case *k);

void
yw_case__row(struct yw_stmt *s, struct yw_arena *a, struct yw_case *k)
{
    *k = (struct yw_case){ 0 };
    fill(s, a, k);
}

static void
fill(struct yw_stmt *s, struct yw_arena *a, struct yw_case *k)
{
#define T(i) yw_arena_strdup(a, yw_db_col_text(s, i))
#define I(i) yw_db_col_int(s, i)
    k->id = I(0);
    k->case_no = T(1);
    k->parent_id = I(2);
    k->kind = T(3);
    k->item_id = I(4);
    k->code = T(5);
    k->title = T(6);
    k->dept = T(7);
    k->bundle_step = (int)I(8);
    k->applicant_id = I(9);
    k->applicant_kind = T(10);
    k->applicant_name = T(11);
    k->applicant_ident = T(12);
    k->submitted_by = I(13);
    k->channel = T(14);
    k->status = T(15);
    k->form = T(16);
    k->legal_days = (int)I(17);
    k->promised_days = (int)I(18);
    k->current_step = (int)I(19);
    k->created_at = T(20);
    k->updated_at = T(21);
    k->submitted_at = T(22);
    k->accepted_at = T(23);
    k->decided_at = T(24);
    k->start_day = I(25);
    k->due_day = I(26);
    k->legal_due_day = I(27);
    k->paused_days = (int)I(28);
    k->pause_kind = T(29);
    k->pause_day = I(30);
    k->supplement = T(31);
    k->result_note = T(32);
    k->version = (int)I(33);
#undef T
#undef I
}

/* The end of a load: rc is yw_db_one_row's result on *s. */
static int
loaded(int rc, struct yw_stmt **s, struct yw_arena *a, struct yw_case *out)
{
    if (rc == 0) {
        fill(*s, a, out);
        yw_db_reset(*s);
    }
    return rc;
}

/* A case not in the working table may have moved to the archive (archive.c):
 * the same columns, read from cases_archive, and the case marked archived. */
static int
archived(int rc, struct yw_stmt **s, struct yw_arena *a, struct yw_case *out)
{
    if ((rc = loaded(rc, s, a, out)) == 0)
        out->archived = true;
    return rc;
}

int
yw_case__load(struct yw_dbc *c, struct yw_arena *a, const char *case_no, struct yw_case *out)
{
    if (case_no == NULL || strlen(case_no) > 40)
        return YW_ENOTFOUND;
    struct yw_stmt *s;
    *out = (struct yw_case){ 0 };
    int rc = loaded(
        yw_db_one_row(c, &s, "SELECT " CASE_COLS " FROM cases WHERE case_no = ?", "s", case_no), &s,
        a, out);
    if (rc != YW_ENOTFOUND)
        return rc;
    return archived(yw_db_one_row(c, &s, "SELECT " CASE_COLS " FROM cases_archive WHERE case_no = ?",
                                  "s", case_no),
                    &s, a, out);
}

int
yw_case__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_case *out)
{
    struct yw_stmt *s;
    *out = (struct yw_case){ 0 };
    int rc = loaded(yw_db_one_row(c, &s, "SELECT " CASE_COLS " FROM cases WHERE id = ?", "i", id),
                    &s, a, out);
    if (rc != YW_ENOTFOUND)
        return rc;
    return archived(
        yw_db_one_row(c, &s, "SELECT " CASE_COLS " FROM cases_archive WHERE id = ?", "i", id), &s,
        a, out);
}

struct yw_actor
yw_case__actor(const struct yw_principal *who, const char *role)
{
    return (struct yw_actor){ .id = who->account_id,
                              .name = who->name,
                              .role = role,
                              .dept = who->dept,
                              .roles = who->roles };
}

static int
event_row(struct yw_dbc *c, const struct yw_case *k, const struct yw_actor *who, const char *action,
          const char *from, const char *to, const char *note, char at_out[32])
{
    if (k->archived)
        return YW_ESTATE; /* an archived case is final and read-only */
    /* every change an applicant can see writes a timeline row: their cached
     * list and pages (mine_cache.c) go with it */
    int rc = yw_cases__mine_changed(c, k->applicant_id);
    if (rc)
        return rc;
    char now[32];
    yw_db_now_text(now);
    if (at_out)
        memcpy(at_out, now, sizeof now);
    rc = yw_db_run(
        c,
        "INSERT INTO case_events (case_id, at, actor_id, actor_name, actor_role, action, "
        "from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "isissssss", k->id, now, who->id, who->name ? who->name : "", who->role ? who->role : "",
        action, from ? from : "", to ? to : "", note ? note : "");
    if (rc)
        return rc;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)who->id);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"from\":");
    yw_buf_add_json_str(&b, from ? from : "", strlen(from ? from : ""));
    yw_buf_adds(&b, ",\"to\":");
    yw_buf_add_json_str(&b, to ? to : "", strlen(to ? to : ""));
    yw_buf_adds(&b, ",\"note\":");
    yw_buf_add_json_str(&b, note ? note : "", note ? strlen(note) : 0);
    yw_buf_adds(&b, "}");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                   .role = who->role,
                                                   .action = action,
                                                   .obj_type = "case",
                                                   .obj_id = k->case_no,
                                                   .summary = b.p });
    yw_buf_release(&b);
    return rc;
}

int
yw_case__note(struct yw_dbc *c, const struct yw_case *k, const struct yw_actor *who,
              const char *action, const char *note)
{
    return event_row(c, k, who, action, k->status, k->status, note, NULL);
}

int
yw_case__note_at(struct yw_dbc *c, const struct yw_case *k, const struct yw_actor *who,
                 const char *action, const char *note, char at[32])
{
    return event_row(c, k, who, action, k->status, k->status, note, at);
}

int
yw_case__transition(struct yw_dbc *c, const struct yw_case *k, const char *to,
                    const struct yw_actor *who, const char *action, const char *note,
                    struct yw_err *err)
{
    char now[32];
    yw_db_now_text(now);
    bool final = yw_case__status_final(to);
    int64_t n = 0;
    if (k->archived)
        return yw_fail(err, YW_ESTATE, "", "case '%s' is archived and cannot change", k->case_no);
    int rc =
        yw_db_run_changes(c, &n,
                          "UPDATE cases SET status = ?, updated_at = ?, version = version + 1, "
                          "decided_at = CASE WHEN ? = 1 THEN ? ELSE decided_at END "
                          "WHERE id = ? AND status = ? AND version = ?",
                          "ssdsisd", to, now, final ? 1 : 0, now, k->id, k->status, k->version);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ECONFLICT, "", "case '%s' was changed by someone else; reload it",
                       k->case_no);
    return event_row(c, k, who, action, k->status, to, note, NULL);
}

/* The end of a loop of steps on s that built list, the last step's result
 * rc: list, or NULL (list freed) when the read failed - a failed read is
 * never a short list. */
static json_t *
list_done(struct yw_stmt *s, int rc, json_t *list)
{
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* The e-licenses that stand in for materials of a case and its sub-cases;
 * NULL when the read fails (the holder's use log must not silently miss one). */
static json_t *
licenses_used(struct yw_dbc *c, const struct yw_case *k)
{
    /* the case itself, then its sub-cases through cases_parent: two
     * index-driven halves, whatever the planner's statistics say (an OR over
     * both columns was a sequential scan of case_materials on a new database) */
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT m.ref, m.name, x.title, x.dept_code FROM case_materials m JOIN cases x "
        "ON x.id = m.case_id WHERE m.case_id = ? AND m.source = 'license' "
        "UNION ALL SELECT m.ref, m.name, x.title, x.dept_code FROM cases x JOIN case_materials m "
        "ON m.case_id = x.id WHERE x.parent_id = ? AND m.source = 'license'",
        "ii", k->id, k->id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s}", "license_id", yw_db_col_text(s, 0),
                                        "material", yw_db_col_text(s, 1), "title",
                                        yw_db_col_text(s, 2), "dept", yw_db_col_text(s, 3)));
    return list_done(s, rc, list);
}

int
yw_case__event_payload(struct yw_dbc *c, const struct yw_case *k, json_t **out,
                       struct yw_err *err)
{
    /* the form as it is now (a transition may have changed it since k was
     * loaded); a failed read publishes nothing rather than an empty form */
    json_t *form = NULL;
    struct yw_stmt *fs;
    *out = NULL;
    int rc = 0;
    if (k->form_current) /* loaded after the transaction's last change of it */
        form = json_loads(k->form, 0, NULL);
    else if ((rc = yw_db_one_row(c, &fs, "SELECT form FROM cases WHERE id = ?", "i", k->id)) == 0) {
        form = json_loads(yw_db_col_text(fs, 0), 0, NULL);
        yw_db_reset(fs);
    } else if (rc != YW_ENOTFOUND) {
        return yw_fail(err, rc, "", "cannot read the form of case '%s'", k->case_no);
    }
    json_t *p =
        json_pack("{s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "case_no", k->case_no,
                  "case_id", (json_int_t)k->id, "code", k->code, "item_id", (json_int_t)k->item_id,
                  "applicant_id", (json_int_t)k->applicant_id, "applicant_ident",
                  k->applicant_ident, "applicant_name", k->applicant_name, "dept", k->dept, "kind",
                  k->kind, "title", k->title, "form", form ? form : json_object());
    /* beyond the declared fields: the channel (online | window | kiosk), for supervision's figures */
    json_object_set_new(p, "channel", json_string(k->channel ? k->channel : ""));
    *out = p;
    return 0;
}

int
yw_case__publish(struct yw_dbc *c, const struct yw_case *k, enum yw_event ev, struct yw_err *err)
{
    return yw_case__publish_used(c, k, ev, NULL, err);
}

int
yw_case__publish_used(struct yw_dbc *c, const struct yw_case *k, enum yw_event ev, json_t *known,
                      struct yw_err *err)
{
    json_t *p;
    int rc = yw_case__event_payload(c, k, &p, err);
    if (rc) {
        json_decref(known);
        return rc;
    }
    if (ev == YW_EV_CASE_SUBMITTED) {
        json_t *used = known ? known : licenses_used(c, k);
        known = NULL;
        if (used == NULL) {
            json_decref(p);
            return yw_fail(err, YW_EDB, "", "cannot read the licenses used by case '%s'",
                           k->case_no);
        }
        json_object_set_new(p, "licenses_used", used);
    }
    json_decref(known); /* not a submission: not used */
    rc = yw_events_publish(c, ev, p, err);
    json_decref(p);
    return rc;
}

int
yw_case__check_visible(struct yw_dbc *c, const struct yw_case *k, const struct yw_principal *who)
{
    if (who == NULL)
        return YW_ENOTFOUND;
    if (k->applicant_id == who->account_id)
        return 0;
    if (who->roles & (YW_ROLE_WINDOW_CLERK | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR))
        return 0;
    if (who->roles & YW_ROLE_PERSON) {
        /* an agent of the applicant company, while the authorization lasts
         * (a revoked agent loses even the cases they filed); a read that
         * failed denies with its error, and says why */
        return yw_ident_agent_active(c, k->applicant_id, who->account_id);
    }
    if (who->roles & YW_ROLE_REVIEWER) {
        /* reviewers see cases that have (or had) a task in their department,
         * including the sub-cases of a bundle */
        if (k->archived) /* single-item cases only are archived */
            return yw_db_exists(c,
                                "SELECT 1 FROM tasks_archive WHERE dept_code = ? AND case_id = ? "
                                "LIMIT 1",
                                "si", who->dept, k->id);
        /* the case's tasks, then its sub-cases' through cases_parent, each
         * found by case id whatever the statistics (with the department in
         * the query a plan made on an empty table walked the department's
         * queue index); the department compared here - a case has few tasks */
        struct yw_stmt *s = yw_db_query(c,
                                        "SELECT t.dept_code FROM tasks t WHERE t.case_id = ? "
                                        "UNION ALL SELECT t.dept_code FROM cases x JOIN tasks t "
                                        "ON t.case_id = x.id WHERE x.parent_id = ?",
                                        "ii", k->id, k->id);
        if (s == NULL)
            return YW_EDB;
        int rc;
        bool found = false;
        while (!found && (rc = yw_db_step(s)) == YW_ROW)
            found = who->dept && !strcmp(yw_db_col_text(s, 0), who->dept);
        if (found) {
            yw_db_reset(s);
            return 0;
        }
        rc = yw_db_finish(s, rc);
        return rc ? rc : YW_ENOTFOUND;
    }
    return YW_ENOTFOUND;
}

/* The case's materials and how many required ones are missing; NULL when the
 * read fails. */
static json_t *
materials_json(struct yw_dbc *c, const struct yw_case *k, int *missing)
{
    *missing = 0;
    struct yw_stmt *s = yw_db_query(
        c,
        k->archived ? "SELECT material_code, name, required, license_type, source, ref FROM "
                      "case_materials_archive WHERE case_id = ? ORDER BY sort"
                    : "SELECT material_code, name, required, license_type, source, ref FROM "
                      "case_materials WHERE case_id = ? ORDER BY sort",
        "i", k->id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    struct yw_file_info fi = { 0 };
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *source = yw_db_col_text(s, 4), *ref = yw_db_col_text(s, 5);
        /* a material's upload: read once when several materials share it */
        bool file = !strcmp(source, "file") &&
                    ((fi.id[0] && !strcmp(fi.id, ref)) || yw_files_get(c, ref, &fi) == 0);
        json_array_append_new(list,
                              yw_case__material_json(yw_db_col_text(s, 0), yw_db_col_text(s, 1),
                                                     yw_db_col_text(s, 2), yw_db_col_text(s, 3),
                                                     source, ref, file ? &fi : NULL, missing));
    }
    return list_done(s, rc, list);
}

json_t *
yw_case__material_json(const char *code, const char *name, const char *required, const char *lt,
                       const char *source, const char *ref, const struct yw_file_info *fi,
                       int *missing)
{
    bool need = !strcmp(required, "required");
    bool have = strcmp(source, "none") != 0;
    if (need && !have)
        (*missing)++;
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "material_code", code, "name", name,
                          "required", required, "license_type", lt, "source", source, "status",
                          have ? "satisfied" : (need ? "missing" : "optional"));
    if (!strcmp(source, "file")) {
        json_object_set_new(m, "file_id", json_string(ref));
        /* what the file is, for everyone who sees the case (the applicant
         * too, when the window uploaded it) */
        if (fi)
            json_object_set_new(m, "file",
                                json_pack("{s:s, s:I, s:s, s:s}", "filename", fi->filename, "size",
                                          (json_int_t)fi->size, "mime", fi->mime, "sha256",
                                          fi->sha256));
    } else if (!strcmp(source, "license")) {
        json_object_set_new(m, "license_id", json_string(ref));
    } else if (!strcmp(source, "step")) { /* an earlier step of the bundle issues it */
        json_object_set_new(m, "produced_by", json_string(ref));
    }
    return m;
}

/* Staff names are masked to applicants: "王*" (surname kept). */
static void
mask_name(const char *name, char *out, size_t n)
{
    size_t first = 1;
    while (name[first] && ((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    snprintf(out, n, "%.*s*", (int)first, name);
}

/* The case's timeline; NULL when the read fails. */
static json_t *
timeline_json(struct yw_dbc *c, const struct yw_case *k, bool staff_view)
{
    struct yw_stmt *s = yw_db_query(
        c,
        k->archived ? "SELECT at, actor_id, actor_name, actor_role, action, from_status, to_status, "
                      "note FROM case_events_archive WHERE case_id = ? ORDER BY id"
                    : "SELECT at, actor_id, actor_name, actor_role, action, from_status, to_status, "
                      "note FROM case_events WHERE case_id = ? ORDER BY id",
        "i", k->id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            list,
            yw_case__timeline_json(yw_db_col_text(s, 0), yw_db_col_int(s, 1), yw_db_col_text(s, 2),
                                   yw_db_col_text(s, 3), yw_db_col_text(s, 4), yw_db_col_text(s, 5),
                                   yw_db_col_text(s, 6), yw_db_col_text(s, 7), staff_view));
    return list_done(s, rc, list);
}

json_t *
yw_case__timeline_json(const char *at, int64_t actor_id, const char *actor_name, const char *role,
                       const char *action, const char *from, const char *to, const char *note,
                       bool staff_view)
{
    bool staff_actor = strcmp(role, "person") != 0 && strcmp(role, "enterprise") != 0;
    char shown[96];
    if (staff_actor && !staff_view)
        mask_name(actor_name, shown, sizeof shown);
    else
        snprintf(shown, sizeof shown, "%s", actor_name);
    json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", at, "actor", shown, "role",
                          role, "action", action, "from", from, "to", to, "note", note);
    if (staff_view)
        json_object_set_new(e, "actor_id", json_integer(actor_id));
    return e;
}

/* Ids of a bundle's sub-cases in step order (at most max); 0 or an error. */
static int
sub_case_ids(struct yw_dbc *c, int64_t bundle_id, int64_t *ids, int max, int *n)
{
    *n = 0;
    struct yw_stmt *s = yw_db_query(
        c, "SELECT id FROM cases WHERE parent_id = ? ORDER BY bundle_step, id", "i", bundle_id);
    if (s == NULL)
        return YW_EDB;
    int rc = YW_DONE;
    while (*n < max && (rc = yw_db_step(s)) == YW_ROW)
        ids[(*n)++] = yw_db_col_int(s, 0);
    if (*n == max) {
        yw_db_reset(s);
        return 0; /* stopped at the limit, not at a failure */
    }
    return yw_db_finish(s, rc);
}

static json_t *
summary_json(const struct yw_case *k)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "case_no", k->case_no, "kind", k->kind,
                     "code", k->code, "title", k->title, "dept", k->dept, "status", k->status,
                     "clock", yw_case__clock_json(k));
}

json_t *
yw_case__json(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k, bool staff_view)
{
    return yw_case__json_parts(c, a, k, staff_view, NULL);
}

/* A part the caller already has (taken: *have becomes NULL), else NULL. */
static json_t *
take(json_t **have)
{
    json_t *p = *have;
    *have = NULL;
    return p;
}

json_t *
yw_case__json_parts(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k, bool staff_view,
                    struct yw_case_parts *known)
{
    struct yw_case_parts none = { 0 }, *kp = known ? known : &none;
    int missing = 0, rc = YW_EDB;
    json_t *part = NULL;
    json_t *form = json_loads(k->form, 0, NULL);
    if (staff_view && form) {
        /* ID numbers in the form are masked for staff too: the full number is
         * one audited read away (GET /api/v1/accounts/{id}) */
        const char *key;
        json_t *v;
        json_object_foreach(form, key, v)
        {
            if (json_is_string(v) && json_string_length(v) == 18 &&
                yw_cnid_check_id(json_string_value(v), 18, NULL, NULL) == 0) {
                char m[24];
                yw_cnid_mask_id(json_string_value(v), m);
                json_object_set_new(form, key, json_string(m));
            }
        }
    }
    char ident[24];
    if (!staff_view || strcmp(k->applicant_kind, "person") != 0)
        snprintf(ident, sizeof ident, "%s", k->applicant_ident);
    else
        yw_cnid_mask_id(k->applicant_ident,
                        ident); /* full number: GET /api/v1/accounts/{id}, audited */
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:{s:I, s:s, s:s, s:s}, s:s, s:s, s:o}",
                  "case_no", k->case_no, "kind", k->kind, "code", k->code, "title", k->title,
                  "dept", k->dept, "bundle_step", k->bundle_step, "status", k->status, "applicant",
                  "id", (json_int_t)k->applicant_id, "kind", k->applicant_kind, "name",
                  k->applicant_name, "ident", ident, "channel", k->channel, "created_at",
                  k->created_at, "form", form ? form : json_object());
    json_object_set_new(o, "submitted_at", json_string(k->submitted_at));
    json_object_set_new(o, "accepted_at", json_string(k->accepted_at));
    json_object_set_new(o, "decided_at", json_string(k->decided_at));
    json_object_set_new(o, "legal_days", json_integer(k->legal_days));
    json_object_set_new(o, "promised_days", json_integer(k->promised_days));
    json_object_set_new(o, "clock", yw_case__clock_json(k));
    json_object_set_new(o, "result_note", json_string(k->result_note));
    json_t *sup = k->supplement[0] ? json_loads(k->supplement, 0, NULL) : NULL;
    json_object_set_new(o, "supplement_notice", sup ? sup : json_null());
    /* every list is read in full, or the whole answer fails: a failed read
     * never looks like a case without materials, tasks or steps */
    if (!strcmp(k->kind, "item")) {
        if ((part = take(&kp->materials)) != NULL)
            missing = kp->missing;
        else if ((part = materials_json(c, k, &missing)) == NULL)
            goto out;
        json_object_set_new(o, "materials", part);
        json_object_set_new(o, "missing_materials", json_integer(missing));
        json_object_set_new(o, "item_id", json_integer(k->item_id));
    }
    if ((part = take(&kp->tasks)) == NULL && (part = yw_case__tasks_json(c, k)) == NULL)
        goto out;
    json_object_set_new(o, "tasks", part);
    if ((part = take(&kp->timeline)) == NULL && (part = timeline_json(c, k, staff_view)) == NULL)
        goto out;
    json_object_set_new(o, "timeline", part);
    if (k->parent_id) {
        struct yw_case p;
        int lrc = yw_case__load_id(c, a, k->parent_id, &p);
        if (lrc == 0)
            json_object_set_new(o, "bundle",
                                json_pack("{s:s, s:s}", "case_no", p.case_no, "title", p.title));
        else if (lrc != YW_ENOTFOUND)
            goto out;
    }
    if (!strcmp(k->kind, "bundle")) {
        int64_t ids[64];
        int n = 0, done = 0;
        if (sub_case_ids(c, k->id, ids, 64, &n))
            goto out;
        json_t *subs = json_array();
        json_object_set_new(o, "sub_cases", subs);
        for (int i = 0; i < n; i++) {
            struct yw_case sub;
            if (yw_case__load_id(c, a, ids[i], &sub) != 0)
                goto out; /* just listed: a sub-case that cannot be read is a failed read */
            if (!strcmp(sub.status, CS_APPROVED))
                done++;
            json_t *sj = summary_json(&sub);
            json_array_append_new(subs, sj);
            json_object_set_new(sj, "bundle_step", json_integer(sub.bundle_step));
            if ((part = yw_case__tasks_json(c, &sub)) == NULL)
                goto out;
            json_object_set_new(sj, "tasks", part);
        }
        json_object_set_new(o, "progress", json_pack("{s:i, s:i}", "done", done, "total", n));
    }
    rc = 0;
out:
    json_decref(take(&kp->materials)); /* the parts not used */
    json_decref(take(&kp->tasks));
    json_decref(take(&kp->timeline));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The name of material `code` of case k or its sub-cases into out: 0,
 * YW_ENOTFOUND (not a material: a form field's key), or the read's error. */
int
yw_case__material_name(struct yw_dbc *c, const struct yw_case *k, const char *code, char *out,
                       size_t n)
{
    struct yw_stmt *q;
    if (k->archived) {
        int rc = yw_db_one_row(c, &q,
                               "SELECT name FROM case_materials_archive WHERE case_id = ? AND "
                               "material_code = ? LIMIT 1",
                               "is", k->id, code);
        if (rc == 0) {
            snprintf(out, n, "%s", yw_db_col_text(q, 0));
            yw_db_reset(q);
        }
        return rc;
    }
    /* the case's materials, then its sub-cases' through cases_parent, each
     * half found by case id whatever the statistics (a condition on
     * material_code alone would let a plan made on an empty table scan the
     * whole key); the code compared here - a case has a few dozen at most */
    q = yw_db_query(c,
                    "SELECT m.material_code, m.name FROM case_materials m WHERE m.case_id = ? "
                    "UNION ALL SELECT m.material_code, m.name FROM cases x JOIN case_materials m "
                    "ON m.case_id = x.id WHERE x.parent_id = ?",
                    "ii", k->id, k->id);
    if (q == NULL)
        return YW_EDB;
    int rc;
    while ((rc = yw_db_step(q)) == YW_ROW) {
        if (!strcmp(yw_db_col_text(q, 0), code)) {
            snprintf(out, n, "%s", yw_db_col_text(q, 1));
            yw_db_reset(q);
            return 0;
        }
    }
    rc = yw_db_finish(q, rc);
    return rc ? rc : YW_ENOTFOUND;
}
