/*
 * review.c - acceptance separated from approval (受审分离).
 *
 * The integrated window accepts (受理), refuses (不予受理) or returns a case for
 * supplement with a one-time notice (一次性告知) - once per case.  Acceptance
 * starts the clock and creates the review tasks of the item's departments,
 * which work in parallel.  Reviewers approve, deny, return the case to the
 * window (退回), ask another department's opinion (加签) or re-route a task to
 * the right department; the chief approval officer may do any of it for any
 * department and reassign tasks.  Two people deciding one task: the first
 * wins, the second gets 409 (optimistic version check).  Bundles ("一件事")
 * run their sub-cases step by step, the items of one step in parallel.
 */
#include "cases/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/provider.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
state_error(struct yw_err *err, const struct yw_case *k, const char *what)
{
    return yw_fail(err, YW_ESTATE, "", "cannot %s case '%s': its status is '%s'", what, k->case_no,
                   k->status);
}

static int publish_clock(struct yw_dbc *c, const struct yw_case *k, bool paused, int64_t due_day,
                         struct yw_err *err);

/* ---- tasks ---- */

/* Create a pending task of case k and publish task.opened (supervision
 * keeps the task's deadline from it). */
static int
insert_task(struct yw_dbc *c, const struct yw_case *k, const char *dept, int step, const char *kind,
            int64_t requested_by, int64_t due_day, const struct yw_actor *who)
{
    char now[32];
    yw_db_now_text(now);
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id,
        "INSERT INTO tasks (case_id, dept_code, step, kind, status, requested_by, created_at, "
        "due_day) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id",
        "isdsisi", k->id, dept, step, kind, requested_by, now, due_day);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    json_t *p = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:i}", "task_id",
                          (json_int_t)id, "case_id", (json_int_t)k->id, "parent_id",
                          (json_int_t)k->parent_id, "case_no", k->case_no, "code", k->code, "title",
                          k->title, "dept", dept, "kind", kind, "assignee_id", 0, "start_day",
                          (json_int_t)k->start_day, "due_day", (json_int_t)due_day, "limit_days",
                          k->promised_days);
    /* who put the task in the queue (the accepting clerk, the reviewer who
     * asked or re-routed, the chief who reassigned): supervision's counts per person */
    json_object_set_new(p, "opened_by", json_integer(who ? who->id : 0));
    json_object_set_new(p, "opened_by_name", json_string(who && who->name ? who->name : ""));
    rc = yw_events_publish(c, YW_EV_TASK_OPENED, p, NULL);
    json_decref(p);
    return rc;
}

/* Start an item case's clock and create the review tasks of its departments:
 * the item's own department plus any `review_depts` the item names. */
static int
activate(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, const struct yw_actor *who)
{
    int rc = yw_case__clock_start(c, k, yw_clock_now_ms());
    if (rc)
        return rc;
    if ((rc = yw_case__load_id(c, a, k->id, k)))
        return rc;
    json_t *item = NULL;
    if ((rc = yw_catalog_item_by_id_ro(c, k->item_id, &item))) /* read only */
        return rc;
    rc = insert_task(c, k, k->dept, 1, "review", 0, k->due_day, who);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(item, "review_depts"), i, d)
    {
        if (rc)
            break;
        if (json_is_string(d) && strcmp(json_string_value(d), k->dept) != 0)
            rc = insert_task(c, k, json_string_value(d), 1, "review", 0, k->due_day, who);
    }
    json_decref(item);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE cases SET current_step = 1 WHERE id = ?", "i", k->id);
    return rc;
}

static int
load_children(struct yw_dbc *c, int64_t parent, int64_t *ids, int max)
{
    struct yw_stmt *s = yw_db_query(
        c, "SELECT id FROM cases WHERE parent_id = ? ORDER BY bundle_step, id", "i", parent);
    if (s == NULL)
        return -1;
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && n < max)
        ids[n++] = yw_db_col_int(s, 0);
    if (rc == YW_ROW) { /* more than max: the first max */
        yw_db_reset(s);
        return n;
    }
    return yw_db_finish(s, rc) ? -1 : n; /* -1: the read failed, never "no sub-cases" */
}

/* Activate the sub-cases of the lowest bundle step that has not run yet; when
 * every step is done, approve the bundle.  Called at acceptance and after each
 * sub-case approval. */
static int
advance_bundle(struct yw_dbc *c, struct yw_arena *a, struct yw_case *parent,
               const struct yw_actor *who, struct yw_err *err)
{
    int64_t ids[64];
    int n = load_children(c, parent->id, ids, 64);
    if (n < 0)
        return YW_EDB;
    int next_step = 0, all_approved = 1;
    for (int i = 0; i < n; i++) {
        struct yw_case sub;
        int rc = yw_case__load_id(c, a, ids[i], &sub);
        if (rc)
            return rc;
        if (strcmp(sub.status, CS_APPROVED) != 0)
            all_approved = 0;
        if (!strcmp(sub.status, CS_ACCEPTED) && sub.current_step > 0)
            return 0; /* a step is still running */
        if (!strcmp(sub.status, CS_ACCEPTED) && sub.current_step == 0 &&
            (next_step == 0 || sub.bundle_step < next_step))
            next_step = sub.bundle_step;
    }
    if (all_approved) {
        int rc = yw_case__transition(c, parent, CS_APPROVED, who, "case.approve",
                                     "every item of the bundle is done", err);
        return rc ? rc : yw_case__publish(c, parent, YW_EV_CASE_APPROVED, err);
    }
    for (int i = 0; i < n && next_step; i++) {
        struct yw_case sub;
        int rc = yw_case__load_id(c, a, ids[i], &sub);
        if (rc == 0 && !strcmp(sub.status, CS_ACCEPTED) && sub.bundle_step == next_step) {
            /* the e-license an earlier step issued stands in for its material now */
            rc = yw_case__link_licenses(c, a, &sub, err);
            if (rc == 0)
                rc = activate(c, a, &sub, who);
        }
        if (rc)
            return rc;
    }
    return 0;
}

int
yw_case__accept(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, const struct yw_actor *who,
                const char *note, struct yw_err *err)
{
    if (strcmp(k->status, CS_SUBMITTED) != 0)
        return state_error(err, k, "accept");
    if (k->parent_id)
        return yw_fail(err, YW_ESTATE, "", "accept the bundle case, not its sub-case '%s'",
                       k->case_no);
    int rc = yw_case__transition(c, k, CS_ACCEPTED, who, "case.accept", note, err);
    if (rc)
        return rc;
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c, "UPDATE cases SET accepted_at = ? WHERE id = ? OR parent_id = ?", "sii",
                        now, k->id, k->id)))
        return rc;
    if ((rc = yw_case__load_id(c, a, k->id, k)))
        return rc;
    if (!strcmp(k->kind, "item")) {
        rc = activate(c, a, k, who);
    } else {
        /* the bundle's own clock (its promised days) and its sub-cases */
        if ((rc = yw_case__clock_start(c, k, yw_clock_now_ms())))
            return rc;
        int64_t ids[64];
        int n = load_children(c, k->id, ids, 64);
        if (n < 0)
            return YW_EDB;
        for (int i = 0; i < n && rc == 0; i++) {
            struct yw_case sub;
            rc = yw_case__load_id(c, a, ids[i], &sub);
            if (rc == 0)
                rc = yw_case__transition(c, &sub, CS_ACCEPTED, who, "case.accept",
                                         "accepted with the bundle", err);
        }
        if (rc == 0)
            rc = advance_bundle(c, a, k, who, err);
    }
    if (rc == 0)
        rc = yw_case__load_id(c, a, k->id, k);
    return rc ? rc : yw_case__publish(c, k, YW_EV_CASE_ACCEPTED, err);
}

/* Move the sub-cases of a bundle that are not final to `to`. */
static int
close_children(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *parent, const char *to,
               const struct yw_actor *who, const char *note, struct yw_err *err)
{
    int64_t ids[64];
    int n = load_children(c, parent->id, ids, 64);
    if (n < 0)
        return YW_EDB;
    for (int i = 0; i < n; i++) {
        struct yw_case sub;
        int rc = yw_case__load_id(c, a, ids[i], &sub);
        if (rc == 0 && !yw_case__status_final(sub.status))
            rc = yw_case__transition(c, &sub, to, who,
                                     !strcmp(to, CS_WITHDRAWN) ? "case.withdraw" : "case.reject",
                                     note, err);
        if (rc == 0)
            rc = yw_db_run(
                c,
                "UPDATE tasks SET status = 'cancelled', version = version + 1 WHERE case_id = ? AND "
                "status = 'pending'",
                "i", sub.id);
        if (rc)
            return rc;
    }
    return 0;
}

int
yw_case__reject(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who, const char *reason,
                struct yw_err *err)
{
    if (strcmp(k->status, CS_SUBMITTED) != 0)
        return state_error(err, k, "refuse");
    if (reason == NULL || *reason == '\0')
        return yw_fail(err, YW_EMISSING, "reason",
                       "say why the case is not accepted (不予受理理由)");
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    int rc = yw_case__transition(c, k, CS_NOT_ACCEPTED, who, "case.reject", reason, err);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE cases SET result_note = ? WHERE id = ?", "si", reason, k->id);
    if (rc == 0 && !strcmp(k->kind, "bundle"))
        rc = close_children(c, &a, k, CS_NOT_ACCEPTED, who, reason, err);
    yw_arena_release(&a);
    return rc ? rc : yw_case__publish(c, k, YW_EV_CASE_NOT_ACCEPTED, err);
}

/* Does the item of this case (or of one of its sub-cases) have form field
 * key?  The answer in *found, or the error of a read that failed. */
static int
form_has_field(struct yw_dbc *c, const struct yw_case *k, const char *key, bool *found)
{
    *found = false;
    struct yw_stmt *s = yw_db_query(
        c, "SELECT item_id FROM cases WHERE (id = ? OR parent_id = ?) AND item_id IS NOT NULL",
        "ii", k->id, k->id);
    if (s == NULL)
        return YW_EDB;
    int64_t ids[64];
    int n = 0, rc = YW_DONE;
    while (n < 64 && (rc = yw_db_step(s)) == YW_ROW)
        ids[n++] = yw_db_col_int(s, 0);
    if (rc == YW_ROW) /* the first 64 */
        yw_db_reset(s);
    else if ((rc = yw_db_finish(s, rc)))
        return rc;
    for (int i = 0; i < n && !*found; i++) {
        json_t *item = NULL;
        rc = yw_catalog_item_by_id_ro(c, ids[i], &item); /* read only */
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        size_t j;
        json_t *f;
        json_array_foreach(
            json_object_get(item, "form"), j,
            f) if (!strcmp(json_string_value(json_object_get(f, "key")) ?: "", key)) *found = true;
        json_decref(item);
    }
    return 0;
}

/* Has the case (or one of its sub-cases) a material with this code?  The
 * answer in *found, or the error of a read that failed. */
static int
case_has_material(struct yw_dbc *c, const struct yw_case *k, const char *code, bool *found)
{
    char name[256];
    int rc = yw_case__material_name(c, k, code, name, sizeof name);
    *found = rc == 0;
    return rc == YW_ENOTFOUND ? 0 : rc;
}

int
yw_case__request_supplement(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who,
                            json_t *items, const char *note, struct yw_err *err)
{
    if (strcmp(k->status, CS_SUBMITTED) != 0)
        return state_error(err, k, "return for supplement");
    if (k->supplement[0])
        return yw_fail(
            err, YW_ESTATE, "",
            "case '%s' already had its one-time supplement notice (一次性告知): accept it or refuse it",
            k->case_no);
    if (!json_is_array(items) || json_array_size(items) == 0)
        return yw_fail(err, YW_EMISSING, "items",
                       "list everything that is missing or wrong, at once");
    size_t i;
    json_t *it;
    json_t *form = json_loads(k->form, 0, NULL);
    json_array_foreach(items, i, it)
    {
        const char *what = json_string_value(json_object_get(it, "what"));
        const char *reason = json_string_value(json_object_get(it, "reason"));
        if (!json_is_object(it) || what == NULL || reason == NULL || *reason == '\0') {
            json_decref(form);
            return yw_fail(err, YW_EFIELD, "items",
                           "item %zu needs 'what' (a material code or form field) and 'reason'", i);
        }
        /* what names a material of the case (or of its sub-cases) or a form field - bare, or
         * as the API's error fields do ("materials.CODE", "form.KEY") - or "form" / "other" */
        if (!strncmp(what, "materials.", 10))
            what += 10;
        if (!strncmp(what, "form.", 5))
            what += 5;
        bool known =
            !strcmp(what, "form") || !strcmp(what, "other") || json_object_get(form, what) != NULL;
        int rc = 0;
        if (!known)
            rc = form_has_field(c, k, what, &known);
        if (rc == 0 && !known)
            rc = case_has_material(c, k, what, &known);
        if (rc) { /* not "neither a material nor a form field" */
            json_decref(form);
            return yw_fail(err, rc, "", "cannot read the materials and form of case '%s'",
                           k->case_no);
        }
        if (!known) {
            json_decref(form);
            return yw_fail(err, YW_EFIELD, "items",
                           "item %zu: '%.40s' is neither a material nor a form field of this case",
                           i, what);
        }
    }
    json_decref(form);
    char now[32];
    yw_db_now_text(now);
    /* no staff name in the notice: the applicant reads it (the timeline names
     * the clerk to staff) */
    json_t *notice =
        json_pack("{s:O, s:s, s:s}", "items", items, "note", note ? note : "", "at", now);
    char *text = json_dumps(notice, JSON_COMPACT);
    json_decref(notice);
    int rc = yw_db_run(c, "UPDATE cases SET supplement = ? WHERE id = ?", "si", text, k->id);
    if (rc == 0 && !strcmp(k->kind, "bundle"))
        rc = yw_db_run(c, "UPDATE cases SET status = 'supplement_requested' WHERE parent_id = ?",
                       "i", k->id);
    char summary[80];
    snprintf(summary, sizeof summary, "一次性告知：%zu 项需补正", json_array_size(items));
    if (rc == 0)
        rc = yw_case__transition(c, k, CS_SUPPLEMENT, who, "case.request_supplement", summary, err);
    free(text);
    return rc ? rc : yw_case__publish(c, k, YW_EV_CASE_SUPPLEMENT_REQUESTED, err);
}

int
yw_case__withdraw(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k,
                  const struct yw_actor *who, const char *reason, struct yw_err *err)
{
    if (yw_case__status_final(k->status))
        return state_error(err, k, "withdraw");
    if (k->parent_id)
        return yw_fail(err, YW_ESTATE, "", "withdraw the bundle case, not its sub-case '%s'",
                       k->case_no);
    int rc = yw_db_run(
        c,
        "UPDATE tasks SET status = 'cancelled', version = version + 1 WHERE case_id = ? AND "
        "status = 'pending'",
        "i", k->id);
    if (rc == 0 && !strcmp(k->kind, "bundle"))
        rc = close_children(c, a, k, CS_WITHDRAWN, who, reason, err);
    if (rc == 0)
        rc = yw_case__transition(c, k, CS_WITHDRAWN, who, "case.withdraw", reason, err);
    return rc ? rc : yw_case__publish(c, k, YW_EV_CASE_WITHDRAWN, err);
}

static const char *const pause_kinds[] = { "supplement", "public_notice", "inspection",
                                           "hearing",    "expert_review", NULL };

int
yw_case__pause(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who, const char *kind,
               const char *reason, bool resume, struct yw_err *err)
{
    if (strcmp(k->status, CS_ACCEPTED) != 0 || k->start_day == 0)
        return state_error(err, k, resume ? "resume the clock of" : "pause the clock of");
    const struct yw_calendar *cal = yw_cases__calendar();
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    if (!resume) {
        if (k->pause_kind[0])
            return yw_fail(err, YW_ESTATE, "", "the clock of '%s' is already paused (%s)",
                           k->case_no, k->pause_kind);
        bool ok = false;
        for (const char *const *p = pause_kinds; *p; p++)
            ok |= kind && !strcmp(kind, *p);
        if (!ok)
            return yw_fail(
                err, YW_EFIELD, "kind",
                "kind must be supplement, public_notice, inspection, hearing or expert_review");
        int rc = yw_db_run(
            c, "UPDATE cases SET pause_kind = ?, pause_day = ?, version = version + 1 WHERE id = ?",
            "sii", kind, today, k->id);
        char note[300];
        snprintf(note, sizeof note, "%s: %s", kind, reason ? reason : "");
        if (rc == 0)
            rc = publish_clock(c, k, true, k->due_day, err);
        return rc ? rc : yw_case__note(c, k, who, "case.pause", note);
    }
    if (!k->pause_kind[0])
        return yw_fail(err, YW_ESTATE, "", "the clock of '%s' is not paused", k->case_no);
    /* the working days the pause lasted move both due dates on */
    int paused = yw_cal_workdays_between(cal, k->pause_day, today);
    if (paused < 0)
        paused = 0;
    int total = k->paused_days + paused;
    int64_t due = yw_cal_add_workdays(cal, k->start_day, k->promised_days + total);
    int64_t legal = yw_cal_add_workdays(cal, k->start_day, k->legal_days + total);
    int rc = yw_db_run(
        c,
        "UPDATE cases SET pause_kind = '', pause_day = 0, paused_days = ?, due_day = ?, legal_due_day = ?, "
        "version = version + 1 WHERE id = ?",
        "diii", total, due, legal, k->id);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE tasks SET due_day = ? WHERE case_id = ? AND status = 'pending'",
                       "ii", due, k->id);
    char note[160];
    snprintf(note, sizeof note, "%s ended after %d working days", k->pause_kind, paused);
    if (rc == 0)
        rc = publish_clock(c, k, false, due, err);
    return rc ? rc : yw_case__note(c, k, who, "case.resume", note);
}

/* ---- tasks ---- */

int
yw_task__load(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_task *out)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT id, case_id, dept_code, kind, status, opinion, step, version, requested_by, "
        "due_day FROM tasks WHERE id = ?",
        "i", id);
    if (rc == 0) {
        out->id = yw_db_col_int(s, 0);
        out->case_id = yw_db_col_int(s, 1);
        out->dept = yw_arena_strdup(a, yw_db_col_text(s, 2));
        out->kind = yw_arena_strdup(a, yw_db_col_text(s, 3));
        out->status = yw_arena_strdup(a, yw_db_col_text(s, 4));
        out->opinion = yw_arena_strdup(a, yw_db_col_text(s, 5));
        out->step = (int)yw_db_col_int(s, 6);
        out->version = (int)yw_db_col_int(s, 7);
        out->requested_by = yw_db_col_int(s, 8);
        out->due_day = yw_db_col_int(s, 9);
        yw_db_reset(s);
    }
    return rc;
}

/* Take the task: pending -> `to`, first writer wins. */
static int
claim(struct yw_dbc *c, const struct yw_task *t, const char *to, const struct yw_actor *who,
      const char *opinion, struct yw_err *err)
{
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    int rc = yw_db_run_changes(
        c, &n,
        "UPDATE tasks SET status = ?, decided_by = ?, decided_at = ?, opinion = ?, "
        "version = version + 1 WHERE id = ? AND status = 'pending' AND version = ?",
        "sissid", to, who->id, now, opinion ? opinion : "", t->id, t->version);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ECONFLICT, "", "task %lld was already decided by someone else",
                       (long long)t->id);
    json_t *p =
        json_pack("{s:I, s:I, s:s, s:s, s:I}", "task_id", (json_int_t)t->id, "case_id",
                  (json_int_t)t->case_id, "dept", t->dept, "status", to, "by", (json_int_t)who->id);
    json_object_set_new(p, "by_name", json_string(who->name ? who->name : ""));
    rc = yw_events_publish(c, YW_EV_TASK_CLOSED, p, err);
    json_decref(p);
    return rc;
}

/* Publish case.clock after a pause or a resume (supervision holds or moves
 * the case's deadlines). */
static int
publish_clock(struct yw_dbc *c, const struct yw_case *k, bool paused, int64_t due_day,
              struct yw_err *err)
{
    json_t *p = json_pack("{s:I, s:s, s:b, s:I}", "case_id", (json_int_t)k->id, "case_no",
                          k->case_no, "paused", paused, "due_day", (json_int_t)due_day);
    int rc = yw_events_publish(c, YW_EV_CASE_CLOCK, p, err);
    json_decref(p);
    return rc;
}

/* COUNT(*) of the case's tasks into *n: 0 or the read's error. */
static int
count_tasks(struct yw_dbc *c, int64_t case_id, const char *sql, int *n)
{
    int64_t v = 0;
    int rc = yw_db_one_int(c, &v, sql, "i", case_id);
    *n = (int)v;
    return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always has its row */
}

/* After a task finished: when nothing is pending and a review approved,
 * the case is approved (and its bundle moves on). */
static int
maybe_complete(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, const struct yw_actor *who,
               struct yw_err *err)
{
    int pending = 0, approved = 0;
    int rc = count_tasks(
        c, k->id, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND status = 'pending'", &pending);
    if (rc == 0)
        rc = count_tasks(
            c, k->id,
            "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND kind = 'review' AND status = 'approved'",
            &approved);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the tasks of case '%s'", k->case_no);
    if (pending > 0 || approved == 0)
        return 0;
    bool held = false; /* a fee that depends on the decision is paid first (hold.c) */
    if ((rc = yw_case__hold(c, k, "approved", who, &held, err)) || held)
        return rc;
    return yw_case__complete(c, a, k, who, err);
}

int
yw_case__complete(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k,
                  const struct yw_actor *who, struct yw_err *err)
{
    int rc = yw_case__transition(c, k, CS_APPROVED, who, "case.approve",
                                 "every department approved", err);
    if (rc == 0)
        rc = yw_case__publish(c, k, YW_EV_CASE_APPROVED, err);
    if (rc == 0 && k->parent_id) {
        struct yw_case parent;
        rc = yw_case__load_id(c, a, k->parent_id, &parent);
        if (rc == 0)
            rc = advance_bundle(c, a, &parent, who, err);
    }
    return rc;
}

static int
check_reviewer(const struct yw_task *t, const struct yw_actor *who, struct yw_err *err)
{
    if (who->roles & YW_ROLE_CHIEF_APPROVER)
        return 0;
    if (strcmp(t->dept, who->dept ? who->dept : "") != 0)
        return yw_fail(err, YW_EFORBIDDEN, "", "task %lld belongs to department %s, not yours",
                       (long long)t->id, t->dept);
    return 0;
}

void
yw_task__decide_ahead(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                      const struct yw_actor *who)
{
    struct yw_err err = { 0 };
    struct yw_case k;
    json_t *p = NULL;
    if (strcmp(t->kind, "review") != 0 || strcmp(t->status, "pending") != 0 ||
        check_reviewer(t, who, &err) != 0 || yw_case__load_id(c, a, t->case_id, &k) != 0 ||
        strcmp(k.status, CS_ACCEPTED) != 0 || yw_case__event_payload(c, &k, &p, &err) != 0)
        return; /* the decision itself will say what is wrong */
    yw_provider_approval_ahead(c, p);
    json_decref(p);
}

int
yw_task__decide(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t, const struct yw_actor *who,
                const char *decision, const char *opinion, struct yw_err *err)
{
    int rc = check_reviewer(t, who, err);
    if (rc)
        return rc;
    struct yw_case k;
    if ((rc = yw_case__load_id(c, a, t->case_id, &k)))
        return rc;
    if (strcmp(t->status, "pending") != 0)
        return yw_fail(err, YW_ECONFLICT, "", "task %lld is already '%s'", (long long)t->id,
                       t->status);
    if (strcmp(k.status, CS_ACCEPTED) != 0)
        return state_error(err, &k, "decide on");
    bool opinion_task = !strcmp(t->kind, "opinion");
    const char *to;
    if (opinion_task) {
        if (strcmp(decision, "opinion") != 0)
            return yw_fail(err, YW_EFIELD, "decision",
                           "an opinion task (加签) is answered with decision 'opinion'");
        to = "done";
    } else if (!strcmp(decision, "approve")) {
        to = "approved";
    } else if (!strcmp(decision, "deny")) {
        to = "denied";
    } else if (!strcmp(decision, "return")) {
        to = "returned";
    } else {
        return yw_fail(err, YW_EFIELD, "decision", "decision must be approve, deny or return");
    }
    if ((!strcmp(to, "denied") || !strcmp(to, "returned") || opinion_task) &&
        (opinion == NULL || *opinion == '\0'))
        return yw_fail(err, YW_EMISSING, "opinion",
                       !strcmp(to, "denied")
                           ? "a denial needs its legal reason (不予许可的理由和依据)"
                           : "write your opinion");
    if ((rc = claim(c, t, to, who, opinion, err)))
        return rc;
    char note[600];
    snprintf(note, sizeof note, "%s (%s): %s", to, t->dept, opinion ? opinion : "");
    if ((rc = yw_case__note(c, &k, who, opinion_task ? "task.opinion" : "task.decide", note)))
        return rc;
    if (!strcmp(to, "approved") || opinion_task)
        return maybe_complete(c, a, &k, who, err);
    /* denied or returned: the other departments' pending work stops */
    if ((rc = yw_db_run(
             c,
             "UPDATE tasks SET status = 'cancelled', version = version + 1 WHERE case_id = ? AND "
             "status = 'pending'",
             "i", k.id)))
        return rc;
    if (!strcmp(to, "denied")) {
        if ((rc = yw_db_run(c, "UPDATE cases SET result_note = ? WHERE id = ?", "si", opinion,
                            k.id)) ||
            (rc = yw_case__transition(c, &k, CS_DENIED, who, "case.deny", opinion, err)) ||
            (rc = yw_case__publish(c, &k, YW_EV_CASE_DENIED, err)))
            return rc;
        if (k.parent_id) {
            struct yw_case parent;
            if ((rc = yw_case__load_id(c, a, k.parent_id, &parent)))
                return rc;
            if ((rc = close_children(c, a, &parent, CS_WITHDRAWN, who,
                                     "another item of the bundle was denied", err)) ||
                (rc = yw_db_run(c, "UPDATE cases SET result_note = ? WHERE id = ?", "si", opinion,
                                parent.id)) ||
                (rc = yw_case__transition(c, &parent, CS_DENIED, who, "case.deny", opinion, err)))
                return rc;
            return yw_case__publish(c, &parent, YW_EV_CASE_DENIED, err);
        }
        return 0;
    }
    /* returned to the window: it re-checks (or refuses) and accepts again, which restarts the clock */
    if ((rc = yw_db_run(
             c,
             "UPDATE cases SET start_day = 0, due_day = 0, legal_due_day = 0, current_step = 0 WHERE id = ?",
             "i", k.id)))
        return rc;
    if (k.parent_id)
        return yw_fail(
            err, YW_ESTATE, "",
            "an item of a bundle cannot be returned alone; deny it or ask for an opinion");
    return yw_case__transition(c, &k, CS_SUBMITTED, who, "case.return", opinion, err);
}

/* The department a consult or a reroute names: one the catalog has (a
 * failed read is an error, not "no such department") other than the
 * task's own; else YW_EFIELD on dept with `ask`. */
static int
other_dept(struct yw_dbc *c, const struct yw_task *t, const char *dept, const char *ask,
           struct yw_err *err)
{
    int rc = yw_catalog_dept_exists(c, dept); /* YW_ENOTFOUND for NULL too */
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot read department '%.32s'", dept);
    if (rc || !strcmp(dept, t->dept))
        return yw_fail(err, YW_EFIELD, "dept", "%s", ask);
    return 0;
}

int
yw_task__consult(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                 const struct yw_actor *who, const char *dept, const char *note, struct yw_err *err)
{
    int rc = check_reviewer(t, who, err);
    if (rc)
        return rc;
    if (strcmp(t->status, "pending") != 0 || strcmp(t->kind, "review") != 0)
        return yw_fail(err, YW_ECONFLICT, "", "task %lld is not a pending review",
                       (long long)t->id);
    if ((rc = other_dept(c, t, dept, "name another department to ask", err)))
        return rc;
    struct yw_case k;
    if ((rc = yw_case__load_id(c, a, t->case_id, &k)))
        return rc;
    if ((rc = insert_task(c, &k, dept, t->step, "opinion", t->id, t->due_day, who)))
        return rc;
    char text[400];
    snprintf(text, sizeof text, "%s asks %s: %s", t->dept, dept, note ? note : "");
    return yw_case__note(c, &k, who, "task.consult", text);
}

int
yw_task__reroute(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                 const struct yw_actor *who, const char *dept, const char *reason, bool reassign,
                 struct yw_err *err)
{
    int rc = reassign ? 0 : check_reviewer(t, who, err);
    if (rc)
        return rc;
    if (strcmp(t->status, "pending") != 0)
        return yw_fail(err, YW_ECONFLICT, "", "task %lld is already '%s'", (long long)t->id,
                       t->status);
    if ((rc = other_dept(c, t, dept, "name the department the task should go to", err)))
        return rc;
    struct yw_case k;
    if ((rc = yw_case__load_id(c, a, t->case_id, &k)))
        return rc;
    if ((rc = claim(c, t, "rerouted", who, reason, err)) ||
        (rc = insert_task(c, &k, dept, t->step, t->kind, t->requested_by, t->due_day, who)))
        return rc;
    char text[400];
    snprintf(text, sizeof text, "%s -> %s: %s", t->dept, dept, reason ? reason : "");
    return yw_case__note(c, &k, who, reassign ? "task.reassign" : "task.reroute", text);
}

json_t *
yw_case__tasks_json(struct yw_dbc *c, const struct yw_case *k)
{
    struct yw_stmt *s = yw_db_query(
        c,
        k->archived ? "SELECT id, dept_code, step, kind, status, opinion, decided_at, due_day FROM "
                      "tasks_archive WHERE case_id = ? ORDER BY id"
                    : "SELECT id, dept_code, step, kind, status, opinion, decided_at, due_day FROM "
                      "tasks WHERE case_id = ? ORDER BY id",
        "i", k->id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    struct yw_case_depts depts; /* each department's name read once, through the catalog */
    yw_case__depts_init(&depts, c);
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const struct yw_catalog_dept *d;
        int drc = yw_case__dept(&depts, yw_db_col_text(s, 1), &d);
        if (drc) {
            rc = drc;
            break;
        }
        json_t *t = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id",
                              (json_int_t)yw_db_col_int(s, 0), "dept", yw_db_col_text(s, 1),
                              "dept_name", d->name, "step", (int)yw_db_col_int(s, 2), "kind",
                              yw_db_col_text(s, 3), "status", yw_db_col_text(s, 4), "opinion",
                              yw_db_col_text(s, 5), "decided_at", yw_db_col_text(s, 6));
        int64_t due = yw_db_col_int(s, 7);
        if (due) {
            char day[11];
            yw_cal_day_text(due, day);
            json_object_set_new(t, "due_date", json_string(day));
            if (!strcmp(yw_db_col_text(s, 4), "pending"))
                json_object_set_new(
                    t, "days_left",
                    json_integer(yw_cal_workdays_between(yw_cases__calendar(), today, due)));
        }
        json_array_append_new(list, t);
    }
    rc = yw_db_finish(s, rc);
    yw_case__depts_release(&depts);
    if (rc) {
        json_decref(list);
        return NULL; /* the caller answers 500, never a case without its tasks */
    }
    return list;
}
