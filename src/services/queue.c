/*
 * queue.c - queue numbers (取号) and calling (叫号).
 *
 * At a kiosk a person with a booking checks in (booking code from its QR, or
 * the ID number) and gets an A-number; a walk-in takes a B-number for an
 * item; the elderly (70 or older by the ID number's birth date, GB 11643)
 * and people who ask for help get a V-number, called first.  Numbers count
 * per day and letter (svc_counters, one upsert).  A clerk at a window calls
 * the next number the window serves: V first, then bookings whose slot has
 * begun (or begins within ten minutes), then everyone by the time they took
 * the number.  The claim is a conditional UPDATE (status still 'waiting'),
 * so two windows calling at once never get the same ticket on either
 * engine.  Then recall, no-show, start, finish; finishing links the case
 * accepted at the window, opens a rating request for the visit (一次一评) and
 * publishes visit.finished (core/events.h) for whoever counts visits.
 */
#include "services/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "db/audit.h"
#include "db/events.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TCOLS                                                                                      \
    "id, number, day, item_code, item_name, dept, status, window_code, priority, "                 \
    "appointment_id, issued_at, called_at, calls, case_no, started_at, finished_at, slot_start, "  \
    "account_id"

static json_t *
ticket_row(struct yw_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:I, s:s, "
                     "s:s, s:s, s:s}",
                     "id", (json_int_t)yw_db_col_int(s, 0), "number", yw_db_col_text(s, 1), "day",
                     yw_db_col_text(s, 2), "item_code", yw_db_col_text(s, 3), "item_name",
                     yw_db_col_text(s, 4), "dept", yw_db_col_text(s, 5), "status",
                     yw_db_col_text(s, 6), "window", yw_db_col_text(s, 7), "priority",
                     yw_db_col_int(s, 8) != 0, "booked", !yw_db_col_null(s, 9), "issued_at",
                     yw_db_col_text(s, 10), "called_at", yw_db_col_text(s, 11), "calls",
                     (json_int_t)yw_db_col_int(s, 12), "case_no", yw_db_col_text(s, 13),
                     "started_at", yw_db_col_text(s, 14), "finished_at", yw_db_col_text(s, 15),
                     "slot_start", yw_db_col_text(s, 16));
}

static int
ticket_get(struct yw_dbc *c, int64_t id, json_t **out)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s, "SELECT " TCOLS " FROM svc_tickets WHERE id = ?", "i", id);
    if (rc)
        return rc;
    *out = ticket_row(s);
    yw_db_reset(s);
    int64_t ahead = 0;
    if (!strcmp(json_string_value(json_object_get(*out, "status")), "waiting"))
        yw_db_one_int(c, &ahead,
                      "SELECT COUNT(*) FROM svc_tickets WHERE day = ? AND status = 'waiting' AND "
                      "dept = ? AND id < ?",
                      "ssi", json_string_value(json_object_get(*out, "day")),
                      json_string_value(json_object_get(*out, "dept")), id);
    json_object_set_new(*out, "ahead", json_integer(ahead));
    return 0;
}

/* Age in whole years on `today` of the birth date "YYYY-MM-DD". */
static int
age_on(const char *birth, int64_t today)
{
    int y, m, d, ty, tm, td;
    if (sscanf(birth, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return 0;
    yw_civil_from_days(today, &ty, &tm, &td);
    int age = ty - y;
    if (tm < m || (tm == m && td < d))
        age--;
    return age;
}

/* A new ticket: number letter + 3 digits of today's counter. */
static int
issue(struct yw_dbc *c, char letter, const char *item_code, const char *item_name, const char *dept,
      int64_t account, const char *ident, const char *name, int64_t appt, const char *slot_start,
      bool priority, int64_t *id_out)
{
    char day[11], counter[20], now[32], number[16];
    yw_cal_day_text(yw_svc__today(), day);
    snprintf(counter, sizeof counter, "%s.%c", day, letter);
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n,
                           "INSERT INTO svc_counters (name, last) VALUES (?, 1) ON CONFLICT "
                           "(name) DO UPDATE SET last = svc_counters.last + 1 RETURNING last",
                           "s", counter);
    if (rc)
        return rc;
    snprintf(number, sizeof number, "%c%03lld", letter, (long long)n);
    yw_svc__now_text(now);
    if (appt)
        rc = yw_db_run(c,
                       "INSERT INTO svc_tickets (number, day, item_code, item_name, dept, "
                       "account_id, ident, name, appointment_id, slot_start, priority, status, "
                       "issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?)",
                       "sssssissisds", number, day, item_code, item_name, dept, account, ident,
                       name, appt, slot_start, priority ? 1 : 0, now);
    else
        rc = yw_db_run(c,
                       "INSERT INTO svc_tickets (number, day, item_code, item_name, dept, "
                       "account_id, ident, name, slot_start, priority, status, issued_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, 'waiting', ?)",
                       "sssssissds", number, day, item_code, item_name, dept, account, ident, name,
                       priority ? 1 : 0, now);
    if (rc)
        return rc;
    rc = yw_db_one_int(c, id_out, "SELECT id FROM svc_tickets WHERE day = ? AND number = ?", "ss",
                       day, number);
    if (rc)
        return rc;
    if ((rc = yw_svc__hall_changed(c, "issue")))
        return rc;
    char obj[24];
    snprintf(obj, sizeof obj, "%lld", (long long)*id_out);
    char sum[96];
    snprintf(sum, sizeof sum, "{\"number\":\"%s\",\"item\":\"%.40s\"}", number, item_code);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "kiosk",
                                                     .role = "public",
                                                     .action = "ticket.issue",
                                                     .obj_type = "ticket",
                                                     .obj_id = obj,
                                                     .summary = sum });
}

int
yw_svc__take_number(struct yw_dbc *c, const char *item_code, const char *id_number, bool help,
                    json_t **ticket, struct yw_err *err)
{
    int64_t iid;
    int ver;
    json_t *doc = NULL;
    int rc = yw_catalog_item_current(c, item_code, &iid, &ver, &doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "item_code", "no item '%.40s'", item_code);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the item");
    char item_name[128], dept[32];
    snprintf(item_name, sizeof item_name, "%s", json_string_value(json_object_get(doc, "name")));
    snprintf(dept, sizeof dept, "%s", json_string_value(json_object_get(doc, "dept")));
    json_decref(doc);
    if (!yw_cal_is_workday(yw_svc__calendar(), yw_svc__today()))
        return yw_fail(err, YW_ESTATE, "", "the hall is closed today");
    struct yw_cnid_person p = { 0 };
    int64_t account = 0;
    char name[128] = "";
    bool prio = help;
    if (id_number && *id_number) {
        if ((rc = yw_cnid_check_id(id_number, strlen(id_number), &p, err)))
            return rc;
        if (age_on(p.birth, yw_svc__today()) >= 70)
            prio = true;
        struct yw_arena a;
        yw_arena_init(&a, 1024);
        struct yw_ident_account acc;
        if (yw_ident_account_by_ident(c, &a, p.id, &acc) == 0) {
            account = acc.id;
            snprintf(name, sizeof name, "%s", acc.name);
        }
        yw_arena_release(&a);
    }
    int64_t id = 0;
    if ((rc = issue(c, prio ? 'V' : 'B', item_code, item_name, dept, account, p.id, name, 0, "",
                    prio, &id)))
        return yw_fail(err, rc, "", "cannot issue a number");
    if ((rc = ticket_get(c, id, ticket)))
        return yw_fail(err, rc, "", "cannot read the ticket");
    return 0;
}

int
yw_svc__checkin(struct yw_dbc *c, const char *code, const char *id_number, json_t **ticket,
                struct yw_err *err)
{
    char day[11];
    yw_cal_day_text(yw_svc__today(), day);
    struct yw_stmt *s = NULL;
    int rc;
    struct yw_cnid_person p = { 0 };
    if (code && *code) {
        rc = yw_db_one_row(c, &s,
                           "SELECT id, account_id, ident, name, item_code, item_name, dept, "
                           "start_at, end_at, status, day FROM svc_appointments WHERE code = ?",
                           "s", code);
    } else if (id_number && *id_number) {
        if ((rc = yw_cnid_check_id(id_number, strlen(id_number), &p, err)))
            return rc;
        rc = yw_db_one_row(c, &s,
                           "SELECT id, account_id, ident, name, item_code, item_name, dept, "
                           "start_at, end_at, status, day FROM svc_appointments WHERE ident = ? "
                           "AND day = ? AND status = 'booked' ORDER BY start_at LIMIT 1",
                           "ss", p.id, day);
    } else {
        return yw_fail(err, YW_EMISSING, "code", "give the booking code or the ID number");
    }
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no booking for today was found");
    if (rc)
        return yw_fail(err, rc, "", "cannot read the booking");
    int64_t appt = yw_db_col_int(s, 0), account = yw_db_col_int(s, 1), start = 0, end = 0;
    char ident[20], name[128], item_code[64], item_name[128], dept[32], status[16], aday[11],
        start_at[32];
    snprintf(ident, sizeof ident, "%s", yw_db_col_text(s, 2));
    snprintf(name, sizeof name, "%s", yw_db_col_text(s, 3));
    snprintf(item_code, sizeof item_code, "%s", yw_db_col_text(s, 4));
    snprintf(item_name, sizeof item_name, "%s", yw_db_col_text(s, 5));
    snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 6));
    snprintf(start_at, sizeof start_at, "%s", yw_db_col_text(s, 7));
    yw_clock_parse(yw_db_col_text(s, 7), &start);
    yw_clock_parse(yw_db_col_text(s, 8), &end);
    snprintf(status, sizeof status, "%s", yw_db_col_text(s, 9));
    snprintf(aday, sizeof aday, "%s", yw_db_col_text(s, 10));
    yw_db_reset(s);
    if (strcmp(status, "booked") != 0)
        return yw_fail(err, YW_ESTATE, "", "the booking is %s", status);
    if (strcmp(aday, day) != 0)
        return yw_fail(err, YW_ESTATE, "", "the booking is for %s, not today", aday);
    int64_t now = yw_clock_now_ms();
    if (now < start - yw_svc__cfg()->hall_checkin_early * 60000)
        return yw_fail(err, YW_ESTATE, "", "check-in opens %lld minutes before the slot",
                       (long long)yw_svc__cfg()->hall_checkin_early);
    if (now > end + yw_svc__cfg()->hall_noshow_grace * 60000)
        return yw_fail(err, YW_ESTATE, "", "the booked slot is over; take a new number");
    const char *idn = p.id[0] ? p.id : ident;
    struct yw_cnid_person who = { 0 };
    bool prio = yw_cnid_check_id(idn, strlen(idn), &who, NULL) == 0 &&
                age_on(who.birth, yw_svc__today()) >= 70;
    char nowt[32];
    yw_svc__now_text(nowt);
    if ((rc = yw_db_run(c,
                        "UPDATE svc_appointments SET status = 'checked_in', updated_at = ? "
                        "WHERE id = ? AND status = 'booked'",
                        "si", nowt, appt)))
        return yw_fail(err, rc, "", "cannot check in");
    int64_t id = 0;
    if ((rc = issue(c, prio ? 'V' : 'A', item_code, item_name, dept, account, ident, name, appt,
                    start_at, prio, &id)))
        return yw_fail(err, rc, "", "cannot issue a number");
    if ((rc = ticket_get(c, id, ticket)))
        return yw_fail(err, rc, "", "cannot read the ticket");
    return 0;
}

bool
yw_svc__may_work(const struct yw_principal *who, const struct yw_svc__window *w)
{
    if (who->roles & YW_ROLE_ADMIN)
        return true;
    if (w->dept[0] == '\0') /* integrated windows: the service center's clerks */
        return !strcmp(who->dept, "XH-ZWFW") || who->dept[0] == '\0';
    return !strcmp(who->dept, w->dept) || !strcmp(who->dept, "XH-ZWFW");
}

static int
audit_ticket(struct yw_dbc *c, int64_t clerk, const char *action, int64_t id, const char *window)
{
    char actor[24], obj[24], sum[64];
    snprintf(actor, sizeof actor, "%lld", (long long)clerk);
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    snprintf(sum, sizeof sum, "{\"window\":\"%.15s\"}", window);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "window_clerk",
                                                     .action = action,
                                                     .obj_type = "ticket",
                                                     .obj_id = obj,
                                                     .summary = sum });
}

int
yw_svc__call_next(struct yw_dbc *c, const char *window, int64_t clerk, json_t **ticket,
                  struct yw_err *err)
{
    struct yw_svc__window w;
    int rc = yw_svc__window_get(c, window, &w);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no window '%.15s'", window);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the window");
    int64_t busy = 0;
    if ((rc = yw_db_one_int(c, &busy,
                            "SELECT COUNT(*) FROM svc_tickets WHERE window_code = ? AND status IN "
                            "('called', 'serving')",
                            "s", w.code)))
        return yw_fail(err, rc, "", "cannot read the window's tickets");
    if (busy)
        return yw_fail(err, YW_ESTATE, "",
                       "window %s has a number called or in service: finish it or mark a no-show",
                       w.code);
    char day[11], soon[32], now[32];
    yw_cal_day_text(yw_svc__today(), day);
    yw_clock_format(yw_clock_now_ms() + 10 * 60000, soon);
    yw_svc__now_text(now);
    for (int attempt = 0; attempt < 5; attempt++) {
        struct yw_stmt *s = yw_db_query(
            c,
            "SELECT id, item_code, dept FROM svc_tickets WHERE day = ? AND status = 'waiting' "
            "AND (? = '' OR dept = ?) ORDER BY priority DESC, CASE WHEN appointment_id IS NOT "
            "NULL AND slot_start <= ? THEN 0 ELSE 1 END, issued_at, id LIMIT 50",
            "ssss", day, w.dept, w.dept, soon);
        if (s == NULL)
            return yw_fail(err, YW_EDB, "", "cannot read the queue");
        int64_t pick = 0;
        while ((rc = yw_db_step(s)) == YW_ROW) {
            if (yw_svc__window_serves(&w, yw_db_col_text(s, 1), yw_db_col_text(s, 2))) {
                pick = yw_db_col_int(s, 0);
                break;
            }
        }
        if (rc == YW_ROW)
            yw_db_reset(s);
        else if ((rc = yw_db_finish(s, rc)))
            return yw_fail(err, rc, "", "cannot read the queue");
        if (pick == 0)
            return yw_fail(err, YW_ENOTFOUND, "", "nobody is waiting for window %s", w.code);
        int64_t changed = 0;
        rc = yw_db_run_changes(c, &changed,
                               "UPDATE svc_tickets SET status = 'called', window_code = ?, "
                               "clerk_id = ?, calls = 1, called_at = ? WHERE id = ? AND status = "
                               "'waiting'",
                               "sisi", w.code, clerk, now, pick);
        if (rc)
            return yw_fail(err, rc, "", "cannot call the number");
        if (changed == 0)
            continue; /* another window took it first */
        if ((rc = audit_ticket(c, clerk, "ticket.call", pick, w.code)) ||
            (rc = yw_svc__hall_changed(c, "call")))
            return rc;
        if ((rc = ticket_get(c, pick, ticket)))
            return yw_fail(err, rc, "", "cannot read the ticket");
        return 0;
    }
    return yw_fail(err, YW_ERETRY, "", "the queue is busy, call again");
}

bool
yw_svc__case_no_valid(const char *case_no)
{
    size_t n = strlen(case_no);
    if (n < 16 || n > 22 || case_no[0] != 'X' || case_no[1] != 'H')
        return false;
    for (size_t i = 2; i < n; i++)
        if (case_no[i] < '0' || case_no[i] > '9')
            return false;
    int y = 0, m = 0, d = 0;
    if (sscanf(case_no + 2, "%4d%2d%2d", &y, &m, &d) != 3 || y < 2000 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return false;
    int ty, tm, td; /* a real date: it survives the round trip through the day number */
    yw_civil_from_days(yw_days_from_civil(y, m, d), &ty, &tm, &td);
    return ty == y && tm == m && td == d;
}

/* visit.finished: the finished ticket t (as ticket_get reads it), with the
 * applicant's ID number or credit code ("" for an anonymous walk-in) and the
 * service time in milliseconds (started to finished; 0 when not measurable). */
static int
publish_finished(struct yw_dbc *c, json_t *t, const char *ident, struct yw_err *err)
{
    int64_t a = 0, b = 0;
    const char *started = json_string_value(json_object_get(t, "started_at"));
    const char *finished = json_string_value(json_object_get(t, "finished_at"));
    int64_t served = 0;
    if (started && finished && !yw_clock_parse(started, &a) && !yw_clock_parse(finished, &b) &&
        b >= a)
        served = b - a;
    json_t *ev = json_pack(
        "{s:I, s:O, s:O, s:O, s:O, s:s, s:O, s:I}", "ticket_id",
        json_integer_value(json_object_get(t, "id")), "ticket_no", json_object_get(t, "number"),
        "window_code", json_object_get(t, "window"), "item_code", json_object_get(t, "item_code"),
        "dept", json_object_get(t, "dept"), "applicant_ident", ident, "case_no",
        json_object_get(t, "case_no"), "served_ms", (json_int_t)served);
    if (ev == NULL)
        return yw_fail(err, YW_EINTERNAL, "", "cannot build the event");
    int rc = yw_events_publish(c, YW_EV_VISIT_FINISHED, ev, err);
    json_decref(ev);
    return rc;
}

int
yw_svc__ticket_act(struct yw_dbc *c, const char *window, int64_t id, const char *action,
                   const char *case_no, int64_t clerk, json_t **ticket, struct yw_err *err)
{
    if (!strcmp(action, "finish") && case_no && *case_no && !yw_svc__case_no_valid(case_no))
        return yw_fail(err, YW_EFIELD, "case_no",
                       "not a case number (XH, the date YYYYMMDD, then 6 to 12 digits)");
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT status, window_code, appointment_id, account_id, dept, "
                           "item_code, item_name, number, ident FROM svc_tickets WHERE id = ?",
                           "i", id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no ticket %lld", (long long)id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the ticket");
    char status[16], wcode[16], dept[32], item_code[64], item_name[128], number[16];
    snprintf(status, sizeof status, "%s", yw_db_col_text(s, 0));
    snprintf(wcode, sizeof wcode, "%s", yw_db_col_text(s, 1));
    int64_t appt = yw_db_col_int(s, 2), account = yw_db_col_int(s, 3);
    snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 4));
    snprintf(item_code, sizeof item_code, "%s", yw_db_col_text(s, 5));
    snprintf(item_name, sizeof item_name, "%s", yw_db_col_text(s, 6));
    snprintf(number, sizeof number, "%s", yw_db_col_text(s, 7));
    char ident[24];
    snprintf(ident, sizeof ident, "%s", yw_db_col_text(s, 8));
    yw_db_reset(s);
    if (strcmp(wcode, window) != 0)
        return yw_fail(err, YW_ESTATE, "", "number %s is not called at window %.15s", number,
                       window);
    char now[32];
    yw_svc__now_text(now);
    const char *sql = NULL, *need = NULL, *need2 = NULL, *audit_action = NULL;
    if (!strcmp(action, "recall")) {
        need = "called";
        sql = "UPDATE svc_tickets SET calls = calls + 1, called_at = ? WHERE id = ?";
        audit_action = "ticket.recall";
    } else if (!strcmp(action, "no_show")) {
        need = "called";
        sql = "UPDATE svc_tickets SET status = 'no_show', finished_at = ? WHERE id = ?";
        audit_action = "ticket.no_show";
    } else if (!strcmp(action, "start")) {
        need = "called";
        sql = "UPDATE svc_tickets SET status = 'serving', started_at = ? WHERE id = ?";
        audit_action = "ticket.start";
    } else if (!strcmp(action, "finish")) {
        need = "serving";
        need2 = "called";
        sql = "UPDATE svc_tickets SET status = 'done', finished_at = ?, started_at = CASE WHEN "
              "started_at = '' THEN ? ELSE started_at END WHERE id = ?";
        audit_action = "ticket.finish";
    } else {
        return yw_fail(err, YW_ENOTFOUND, "", "no action '%.20s'", action);
    }
    if (strcmp(status, need) != 0 && !(need2 && !strcmp(status, need2)))
        return yw_fail(err, YW_ESTATE, "", "number %s is %s", number, status);
    if (!strcmp(action, "finish"))
        rc = yw_db_run(c, sql, "ssi", now, now, id);
    else
        rc = yw_db_run(c, sql, "si", now, id);
    if (rc)
        return yw_fail(err, rc, "", "cannot update the ticket");
    if (!strcmp(action, "finish") && case_no && *case_no) {
        if ((rc = yw_db_run(c, "UPDATE svc_tickets SET case_no = ? WHERE id = ?", "si", case_no,
                            id)))
            return yw_fail(err, rc, "", "cannot link the case");
    }
    if (appt && !strcmp(action, "no_show"))
        rc = yw_db_run(c,
                       "UPDATE svc_appointments SET status = 'no_show', updated_at = ? "
                       "WHERE id = ?",
                       "si", now, appt);
    else if (appt && !strcmp(action, "finish"))
        rc =
            yw_db_run(c, "UPDATE svc_appointments SET status = 'done', updated_at = ? WHERE id = ?",
                      "si", now, appt);
    if (rc)
        return yw_fail(err, rc, "", "cannot update the booking");
    if (!strcmp(action, "finish") && account) {
        char target[24];
        snprintf(target, sizeof target, "%lld", (long long)id);
        struct yw_svc__window w;
        const char *wname = yw_svc__window_get(c, window, &w) == 0 ? w.name : window;
        if ((rc = yw_svc__rating_open(c, "visit", target, account, dept, item_code, window,
                                      item_name)))
            return yw_fail(err, rc, "", "cannot open the rating");
        json_t *vars =
            json_pack("{s:s, s:s, s:s}", "item", item_name, "window", wname, "number", number);
        char key[48];
        snprintf(key, sizeof key, "visit:%lld", (long long)id);
        rc = yw_svc__notify(c, account, key, "rating.requested", vars, "/ratings.html", NULL);
        json_decref(vars);
        if (rc)
            return yw_fail(err, rc, "", "cannot queue the message");
    }
    if ((rc = audit_ticket(c, clerk, audit_action, id, window)) ||
        (rc = yw_svc__hall_changed(c, action)))
        return rc;
    if ((rc = ticket_get(c, id, ticket)))
        return yw_fail(err, rc, "", "cannot read the ticket");
    if (!strcmp(action, "finish") && (rc = publish_finished(c, *ticket, ident, err))) {
        json_decref(*ticket);
        *ticket = NULL;
        return rc;
    }
    return 0;
}

json_t *
yw_svc__window_queue_json(struct yw_dbc *c, const char *window)
{
    struct yw_svc__window w;
    if (yw_svc__window_get(c, window, &w))
        return NULL;
    char day[11];
    yw_cal_day_text(yw_svc__today(), day);
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT " TCOLS " FROM svc_tickets WHERE day = ? AND (status = 'waiting' OR "
                    "(window_code = ? AND status IN ('called', 'serving'))) AND (? = '' OR dept "
                    "= ?) ORDER BY priority DESC, issued_at, id LIMIT 200",
                    "ssss", day, w.code, w.dept, w.dept);
    if (s == NULL)
        return NULL;
    json_t *current = json_null(), *waiting = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *t = ticket_row(s);
        const char *st = json_string_value(json_object_get(t, "status"));
        if (strcmp(st, "waiting") != 0) {
            json_decref(current);
            current = t;
        } else if (yw_svc__window_serves(&w, json_string_value(json_object_get(t, "item_code")),
                                         json_string_value(json_object_get(t, "dept")))) {
            json_array_append_new(waiting, t);
        } else {
            json_decref(t);
        }
    }
    if (yw_db_finish(s, rc)) {
        json_decref(current);
        json_decref(waiting);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "window", w.code, "name", w.name, "dept", w.dept,
                     "current", current, "waiting", waiting);
}

/* Average service minutes of a department over its last 20 finished
 * tickets; 10 when there is no history yet. */
static double
avg_service_min(struct yw_dbc *c, const char *dept)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT started_at, finished_at FROM svc_tickets WHERE dept = "
                                    "? AND status = 'done' AND started_at <> '' ORDER BY id DESC "
                                    "LIMIT 20",
                                    "s", dept);
    if (s == NULL)
        return 10;
    double sum = 0;
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        int64_t a = 0, b = 0;
        if (!yw_clock_parse(yw_db_col_text(s, 0), &a) &&
            !yw_clock_parse(yw_db_col_text(s, 1), &b) && b >= a) {
            sum += (double)(b - a) / 60000.0;
            n++;
        }
    }
    yw_db_finish(s, rc);
    return n ? (sum / n < 1 ? 1 : sum / n) : 10;
}

json_t *
yw_svc__screen_json(struct yw_dbc *c)
{
    char day[11], now[32];
    yw_cal_day_text(yw_svc__today(), day);
    yw_svc__now_text(now);
    json_t *wins = yw_svc__windows_json(c);
    if (wins == NULL)
        return NULL;
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT number, window_code, called_at, calls, status, "
                                    "item_name FROM svc_tickets WHERE day = ? AND status IN "
                                    "('called', 'serving') ORDER BY called_at DESC, id DESC "
                                    "LIMIT 12",
                                    "s", day);
    if (s == NULL) {
        json_decref(wins);
        return NULL;
    }
    json_t *called = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *wc = yw_db_col_text(s, 1), *wname = wc;
        size_t i;
        json_t *w;
        json_array_foreach(wins, i,
                           w) if (!strcmp(json_string_value(json_object_get(w, "code")), wc))
            wname = json_string_value(json_object_get(w, "name"));
        json_array_append_new(
            called, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "number", yw_db_col_text(s, 0),
                              "window", wc, "window_name", wname, "called_at", yw_db_col_text(s, 2),
                              "calls", (json_int_t)yw_db_col_int(s, 3), "status",
                              yw_db_col_text(s, 4), "item_name", yw_db_col_text(s, 5)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(called);
        json_decref(wins);
        return NULL;
    }
    s = yw_db_query(c,
                    "SELECT dept, COUNT(*) FROM svc_tickets WHERE day = ? AND status = 'waiting' "
                    "GROUP BY dept ORDER BY dept",
                    "s", day);
    json_t *waiting = json_array();
    int64_t total = 0;
    while (s && (rc = yw_db_step(s)) == YW_ROW) {
        char dept[32];
        snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 0));
        int64_t n = yw_db_col_int(s, 1);
        total += n;
        int serving = 0;
        size_t i;
        json_t *w;
        json_array_foreach(wins, i, w)
        {
            const char *wd = json_string_value(json_object_get(w, "dept"));
            if (!strcmp(json_string_value(json_object_get(w, "status")), "open") &&
                (wd[0] == '\0' || !strcmp(wd, dept)))
                serving++;
        }
        json_array_append_new(waiting, json_pack("{s:s, s:I, s:i}", "dept", dept, "waiting",
                                                 (json_int_t)n, "windows", serving));
    }
    if (s)
        yw_db_finish(s, rc);
    size_t i;
    json_t *wj;
    json_array_foreach(waiting, i, wj)
    {
        int serving = (int)json_integer_value(json_object_get(wj, "windows"));
        double per = avg_service_min(c, json_string_value(json_object_get(wj, "dept")));
        double est = per * (double)json_integer_value(json_object_get(wj, "waiting")) /
                     (serving > 0 ? serving : 1);
        json_object_set_new(wj, "est_minutes", json_integer((json_int_t)(est + 0.5)));
    }
    /* a version that changes whenever a number is called, recalled or waits */
    char version[80];
    snprintf(version, sizeof version, "%s|%lld|%zu",
             json_array_size(called)
                 ? json_string_value(json_object_get(json_array_get(called, 0), "called_at"))
                 : "",
             (long long)total, json_array_size(called));
    json_decref(wins);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "now", now, "day", day, "version", version,
                     "called", called, "waiting", waiting, "total_waiting", (json_int_t)total);
}
