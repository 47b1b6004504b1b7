/*
 * cards.c - yellow (预警) and red (超期) cards: made by the sweep from a
 * deadline, answered by the department with an explanation, accepted or
 * escalated by the supervisor; closed cards keep their history
 * (sup_card_log).  Every step - a person's (answer, accept, escalate) and
 * the system's (the sweep making a card, an event closing one) - also
 * writes its audit record in the same transaction; the system's under the
 * actor "system".
 *
 *   open ──answer──> answered ──accept──> closed (accepted)
 *     │                 │
 *     └──escalate──> escalated <──escalate──┘   (answer again -> answered)
 *
 * A yellow card closes by itself when its task ends (task_done) or the red
 * card of the same task replaces it (superseded); a red card stays until the
 * supervisor accepts the department's answer: lateness is a record.
 */
#include "supervision/internal.h"

#include "catalog/catalog.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

static int
log_card(struct yw_dbc *c, int64_t card_id, int64_t actor, const char *actor_name,
         const char *action, const char *note)
{
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_run(c,
                       "INSERT INTO sup_card_log (card_id, at, actor_id, actor_name, action, note) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       "isisss", card_id, now, actor, actor_name ? actor_name : "", action,
                       note ? note : "");
    if (rc)
        return rc;
    char actor_s[24], id_s[24];
    snprintf(actor_s, sizeof actor_s, "%lld", (long long)actor);
    snprintf(id_s, sizeof id_s, "%lld", (long long)card_id);
    json_t *sum = json_pack("{s:s}", "note", note ? note : "");
    char *text = json_dumps(sum, JSON_COMPACT);
    json_decref(sum);
    char act[48];
    snprintf(act, sizeof act, "card.%s", action);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor ? actor_s : "system",
                                                   .role = actor ? "staff" : "system",
                                                   .action = act,
                                                   .obj_type = "supervision_card",
                                                   .obj_id = id_s,
                                                   .summary = text });
    free(text);
    return rc;
}

/* Close the open (not closed) card `level` of a task with a resolution. */
static int
close_level(struct yw_dbc *c, int64_t task_id, const char *level, const char *resolution,
            const char *note)
{
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id, "SELECT id FROM sup_cards WHERE task_id = ? AND level = ? AND status <> 'closed'",
        "is", task_id, level);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c,
                        "UPDATE sup_cards SET status = 'closed', resolution = ?, closed_at = ?, "
                        "version = version + 1 WHERE id = ?",
                        "ssi", resolution, now, id)))
        return rc;
    return log_card(c, id, 0, "", "closed", note);
}

int
yw_sup__card_create(struct yw_dbc *c, int64_t task_id, const char *level)
{
    char now[32];
    yw_db_now_text(now);
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id,
        "INSERT INTO sup_cards (task_id, case_id, case_no, code, title, dept, assignee_id, level, "
        "status, due_day, created_at, opened_by, opened_by_name) SELECT task_id, case_id, "
        "case_no, code, title, dept, assignee_id, ?, 'open', due_day, ?, opened_by, "
        "opened_by_name FROM sup_deadlines WHERE task_id = ? "
        "ON CONFLICT (task_id, level) DO NOTHING RETURNING id",
        "ssi", level, now, task_id);
    if (rc == YW_ENOTFOUND)
        return 0; /* made before */
    if (rc)
        return rc;
    if ((rc = log_card(c, id, 0, "", "created",
                       !strcmp(level, "red") ? "overdue (超期)" : "nearing its limit (临期预警)")))
        return rc;
    if (!strcmp(level, "red"))
        rc = close_level(c, task_id, "yellow", "superseded", "replaced by the red card");
    return rc;
}

int
yw_sup__cards_task_closed(struct yw_dbc *c, int64_t task_id)
{
    int rc = close_level(c, task_id, "yellow", "task_done", "the task ended");
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE sup_cards SET task_closed = 1 WHERE task_id = ?", "i", task_id);
    return rc;
}

/* ---- reading ---- */

#define CARD_COLS                                                                                  \
    "id, task_id, case_id, case_no, code, title, dept, assignee_id, level, status, resolution, "   \
    "due_day, created_at, answer, answered_by, answered_at, decided_by, decided_at, "              \
    "decision_note, task_closed, escalations, closed_at, version, opened_by, opened_by_name"

static json_t *
card_json(struct yw_stmt *s, struct yw_arena *a, struct yw_dbc *c, int64_t today)
{
    int64_t due = yw_db_col_int(s, 11);
    const char *dept = yw_db_col_text(s, 6);
    struct yw_catalog_dept d = { 0 };
    const char *dept_name = "";
    if (yw_catalog_dept(c, a, dept, &d) == 0 && d.name)
        dept_name = d.name;
    bool closed = !strcmp(yw_db_col_text(s, 9), "closed");
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, "
        "s:I, s:s, s:s, s:b, s:i, s:s, s:i}",
        "id", (json_int_t)yw_db_col_int(s, 0), "task_id", (json_int_t)yw_db_col_int(s, 1),
        "case_id", (json_int_t)yw_db_col_int(s, 2), "case_no", yw_db_col_text(s, 3), "code",
        yw_db_col_text(s, 4), "title", yw_db_col_text(s, 5), "dept", dept, "dept_name", dept_name,
        "assignee_id", (json_int_t)yw_db_col_int(s, 7), "level", yw_db_col_text(s, 8), "status",
        yw_db_col_text(s, 9), "resolution", yw_db_col_text(s, 10), "due_date",
        yw_sup__day_text(a, due), "created_at", yw_db_col_text(s, 12), "answer",
        yw_db_col_text(s, 13), "answered_by", (json_int_t)yw_db_col_int(s, 14), "answered_at",
        yw_db_col_text(s, 15), "decided_by", (json_int_t)yw_db_col_int(s, 16), "decided_at",
        yw_db_col_text(s, 17), "decision_note", yw_db_col_text(s, 18), "task_closed",
        yw_db_col_int(s, 19) != 0, "escalations", (int)yw_db_col_int(s, 20), "closed_at",
        yw_db_col_text(s, 21), "version", (int)yw_db_col_int(s, 22));
    json_object_set_new(o, "opened_by", json_integer(yw_db_col_int(s, 23)));
    json_object_set_new(o, "opened_by_name", json_string(yw_db_col_text(s, 24)));
    if (!closed && due > 0)
        json_object_set_new(o, "days_left",
                            json_integer(yw_cal_workdays_between(yw_sup__calendar(), today, due)));
    return o;
}

json_t *
yw_sup__cards_list(struct yw_dbc *c, struct yw_arena *a, const struct yw_sup_scope *sc,
                   const char *status, const char *level, int64_t limit, int64_t after_id,
                   int64_t *next)
{
    bool active = status == NULL || *status == '\0' || !strcmp(status, "active");
    const char *dept = sc->dept ? sc->dept : "";
    const char *lv = level ? level : "";
    struct yw_stmt *s =
        active ? yw_db_query(c,
                             "SELECT " CARD_COLS " FROM sup_cards WHERE status <> 'closed' AND "
                             "(? = '' OR dept = ?) AND (? = '' OR level = ?) AND id > ? "
                             "ORDER BY id LIMIT ?",
                             "ssssii", dept, dept, lv, lv, after_id, limit + 1)
               : yw_db_query(c,
                             "SELECT " CARD_COLS " FROM sup_cards WHERE status = ? AND "
                             "(? = '' OR dept = ?) AND (? = '' OR level = ?) AND id > ? "
                             "ORDER BY id LIMIT ?",
                             "sssssii", status, dept, dept, lv, lv, after_id, limit + 1);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int64_t today = yw_sup__today(), last = 0;
    int rc;
    *next = 0;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if ((int64_t)json_array_size(list) == limit) {
            *next = last;
            continue;
        }
        last = yw_db_col_int(s, 0);
        json_array_append_new(list, card_json(s, a, c, today));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* The card row into *out (JSON) and its dept/status/version, if in scope. */
static int
load_card(struct yw_dbc *c, struct yw_arena *a, const struct yw_sup_scope *sc, int64_t id,
          json_t **out)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT " CARD_COLS " FROM sup_cards WHERE id = ?", "i", id);
    if (rc)
        return rc;
    if (sc->dept && strcmp(sc->dept, yw_db_col_text(s, 6)) != 0) {
        yw_db_reset(s);
        return YW_ENOTFOUND; /* another department's card: as if there were none */
    }
    *out = card_json(s, a, c, yw_sup__today());
    yw_db_reset(s);
    return 0;
}

int
yw_sup__card_get(struct yw_dbc *c, struct yw_arena *a, const struct yw_sup_scope *sc, int64_t id,
                 json_t **out)
{
    json_t *o = NULL;
    int rc = load_card(c, a, sc, id, &o);
    if (rc)
        return rc;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT at, actor_id, actor_name, action, note FROM sup_card_log WHERE card_id = ? "
        "ORDER BY id",
        "i", id);
    if (s == NULL) {
        json_decref(o);
        return YW_EDB;
    }
    json_t *log = json_array();
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            log, json_pack("{s:s, s:I, s:s, s:s, s:s}", "at", yw_db_col_text(s, 0), "actor_id",
                           (json_int_t)yw_db_col_int(s, 1), "actor_name", yw_db_col_text(s, 2),
                           "action", yw_db_col_text(s, 3), "note", yw_db_col_text(s, 4)));
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(log);
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "history", log);
    *out = o;
    return 0;
}

static int
not_found(struct yw_err *err, int64_t id)
{
    return yw_fail(err, YW_ENOTFOUND, "", "no card %lld", (long long)id);
}

int
yw_sup__card_answer(struct yw_dbc *c, const struct yw_sup_scope *sc, int64_t id, const char *text,
                    struct yw_err *err)
{
    if (text == NULL || *text == '\0')
        return yw_fail(err, YW_EMISSING, "explanation",
                       "explain why the task runs late and what the department does about it");
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    json_t *o = NULL;
    int rc = load_card(c, &a, sc, id, &o);
    if (rc == YW_ENOTFOUND) {
        rc = not_found(err, id);
        goto out;
    }
    if (rc)
        goto out;
    const char *st = json_string_value(json_object_get(o, "status"));
    if (strcmp(st, "open") != 0 && strcmp(st, "escalated") != 0) {
        rc = yw_fail(err, YW_ESTATE, "",
                     "card %lld is '%s': only an open or escalated card is answered", (long long)id,
                     st);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    int64_t changed = 0;
    rc = yw_db_run_changes(
        c, &changed,
        "UPDATE sup_cards SET status = 'answered', answer = ?, answered_by = ?, answered_at = ?, "
        "version = version + 1 WHERE id = ? AND version = ?",
        "sisid", text, sc->actor_id, now, id,
        (int)json_integer_value(json_object_get(o, "version")));
    if (rc == 0 && changed == 0)
        rc = yw_fail(err, YW_ECONFLICT, "", "card %lld changed meanwhile: read it again",
                     (long long)id);
    if (rc == 0)
        rc = log_card(c, id, sc->actor_id, sc->actor_name, "answered", text);
out:
    json_decref(o);
    yw_arena_release(&a);
    return rc;
}

int
yw_sup__card_decide(struct yw_dbc *c, const struct yw_sup_scope *sc, int64_t id, bool accept,
                    const char *note, struct yw_err *err)
{
    if (!accept && (note == NULL || *note == '\0'))
        return yw_fail(err, YW_EMISSING, "note", "say why the card is escalated");
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    json_t *o = NULL;
    int rc = load_card(c, &a, sc, id, &o);
    if (rc == YW_ENOTFOUND) {
        rc = not_found(err, id);
        goto out;
    }
    if (rc)
        goto out;
    const char *st = json_string_value(json_object_get(o, "status"));
    if (accept ? strcmp(st, "answered") != 0
               : strcmp(st, "open") != 0 && strcmp(st, "answered") != 0) {
        rc = yw_fail(err, YW_ESTATE, "",
                     accept ? "card %lld is '%s': only an answered card is accepted"
                            : "card %lld is '%s': only an open or answered card is escalated",
                     (long long)id, st);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    int64_t changed = 0;
    int version = (int)json_integer_value(json_object_get(o, "version"));
    rc =
        accept
            ? yw_db_run_changes(c, &changed,
                                "UPDATE sup_cards SET status = 'closed', resolution = 'accepted', "
                                "decided_by = ?, decided_at = ?, decision_note = ?, closed_at = ?, "
                                "version = version + 1 WHERE id = ? AND version = ?",
                                "isssid", sc->actor_id, now, note ? note : "", now, id, version)
            : yw_db_run_changes(
                  c, &changed,
                  "UPDATE sup_cards SET status = 'escalated', escalations = "
                  "escalations + 1, decided_by = ?, decided_at = ?, decision_note = ?, "
                  "version = version + 1 WHERE id = ? AND version = ?",
                  "issid", sc->actor_id, now, note, id, version);
    if (rc == 0 && changed == 0)
        rc = yw_fail(err, YW_ECONFLICT, "", "card %lld changed meanwhile: read it again",
                     (long long)id);
    if (rc == 0)
        rc = log_card(c, id, sc->actor_id, sc->actor_name, accept ? "accepted" : "escalated", note);
out:
    json_decref(o);
    yw_arena_release(&a);
    return rc;
}
