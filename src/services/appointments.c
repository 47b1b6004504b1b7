/*
 * appointments.c - booking a slot at the hall (预约), rescheduling and
 * cancelling it, the no-show rule, the day-before reminder and the .ics.
 *
 * Rules: one active booking per item and person (a partial unique index on
 * (account_id, item_code) WHERE status = 'booked', so two racing requests
 * cannot both pass); a slot's bookings never pass its capacity (hall.c);
 * a booking that was never checked in by its slot's end plus the grace
 * counts as a no-show, and hall_noshow_limit no-shows within
 * hall_noshow_days block new bookings for hall_noshow_block days from the
 * last one - the refusal says until when (booking_blocked).  The reminder
 * goes out the day before; a booking made for today or tomorrow gets none
 * (its confirmation is fresh).
 */
#include "services/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

#define COLS                                                                                       \
    "id, code, account_id, ident, name, item_code, item_name, dept, window_code, slot_key, day, "  \
    "start_at, end_at, status, seq, created_at, updated_at"

static void
new_code(char out[24])
{
    static const char A[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char r[10];
    yw_random(r, sizeof r);
    out[0] = 'Y';
    out[1] = 'Y';
    for (int i = 0; i < 10; i++)
        out[2 + i] = A[r[i] % 32];
    out[12] = '\0';
}

/* The item's name and department (copied into n[128], d[32]). */
static int
item_info(struct yw_dbc *c, const char *code, char name[128], char dept[32], struct yw_err *err)
{
    int64_t id;
    int version;
    json_t *doc = NULL;
    int rc = yw_catalog_item_current(c, code, &id, &version, &doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "item_code", "no item '%.40s'", code);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the item");
    snprintf(name, 128, "%s", json_string_value(json_object_get(doc, "name")));
    snprintf(dept, 32, "%s", json_string_value(json_object_get(doc, "dept")));
    json_decref(doc);
    return 0;
}

static int
audit(struct yw_dbc *c, const char *actor, const char *action, const char *code,
      const char *summary)
{
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "applicant",
                                                     .action = action,
                                                     .obj_type = "appointment",
                                                     .obj_id = code,
                                                     .summary = summary });
}

int
yw_svc__expire_bookings(struct yw_dbc *c, int64_t account_id)
{
    char cut[32], now[32];
    yw_clock_format(yw_clock_now_ms() - yw_svc__cfg()->hall_noshow_grace * 60000, cut);
    yw_svc__now_text(now);
    if (account_id)
        return yw_db_run(c,
                         "UPDATE svc_appointments SET status = 'no_show', updated_at = ? "
                         "WHERE account_id = ? AND status = 'booked' AND end_at < ?",
                         "sis", now, account_id, cut);
    return yw_db_run(c,
                     "UPDATE svc_appointments SET status = 'no_show', updated_at = ? "
                     "WHERE status = 'booked' AND end_at < ?",
                     "ss", now, cut);
}

int
yw_svc__blocked(struct yw_dbc *c, int64_t account_id, char until[11])
{
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    int64_t today = yw_svc__today();
    char since[11];
    yw_cal_day_text(today - cfg->hall_noshow_days, since);
    /* the no-shows of the window, newest first: the limit-th newest one
     * started the block, which lasts from the newest one */
    /* a booking whose slot ended past the grace counts even before the
     * periodic job (or a later write) has marked it */
    char cut[32];
    yw_clock_format(yw_clock_now_ms() - cfg->hall_noshow_grace * 60000, cut);
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT day FROM svc_appointments WHERE account_id = ? AND "
                                    "(status = 'no_show' OR (status = 'booked' AND end_at < ?)) "
                                    "AND day >= ? ORDER BY day DESC",
                                    "iss", account_id, cut, since);
    if (s == NULL)
        return YW_EDB;
    int rc, n = 0;
    char newest[11] = "";
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (n == 0)
            snprintf(newest, sizeof newest, "%s", yw_db_col_text(s, 0));
        n++;
    }
    if ((rc = yw_db_finish(s, rc)))
        return rc;
    if (n < cfg->hall_noshow_limit || cfg->hall_noshow_block == 0)
        return 0;
    int64_t last;
    if (yw_cal_parse_day(newest, &last))
        return 0;
    int64_t end = last + cfg->hall_noshow_block;
    if (today > end)
        return 0;
    yw_cal_day_text(end, until);
    return 1;
}

static void
slot_vars(json_t *vars, const char *item_name, const char *window_name, int64_t start_ms,
          const char *code)
{
    char day[11], iso[32];
    yw_cal_day_text(yw_cal_day_of_ms(start_ms), day);
    int64_t local = start_ms + 8 * 3600000LL;
    char hm[24];
    snprintf(hm, sizeof hm, "%02d:%02d", (int)((local / 3600000) % 24),
             (int)((local / 60000) % 60));
    yw_clock_format(start_ms, iso);
    json_object_set_new(vars, "item", json_string(item_name));
    json_object_set_new(vars, "window", json_string(window_name));
    json_object_set_new(vars, "day", json_string(day));
    json_object_set_new(vars, "time", json_string(hm));
    json_object_set_new(vars, "code", json_string(code));
}

/* The .ics of appointment row values. */
static char *
ics_of(struct yw_arena *a, const char *code, int seq, bool cancelled, int64_t start, int64_t end,
       const char *item_name, const char *window_name)
{
    struct yw_svc__ics e = {
        .uid = yw_arena_printf(a, "%s@ywtb.xuhui.gov.cn", code),
        .seq = seq,
        .cancelled = cancelled,
        .start_ms = start,
        .end_ms = end,
        .stamp_ms = yw_clock_now_ms(),
        .summary = yw_arena_printf(a, "徐汇区行政服务中心预约：%s", item_name),
        .location = yw_arena_printf(a, "上海市徐汇区行政服务中心 %s", window_name),
        .description = yw_arena_printf(
            a,
            "预约号 %s。请携带身份证件，提前到自助机签到取号。\nBooking %s: check in at a kiosk "
            "with your ID card.",
            code, code),
    };
    return yw_svc__ics_build(a, &e);
}

/* Tell the person about appointment `code` (template tpl), with its .ics. */
static int
tell(struct yw_dbc *c, const char *code, const char *tpl, const char *key_suffix)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT account_id, item_name, window_code, start_at, end_at, seq, "
                           "status FROM svc_appointments WHERE code = ?",
                           "s", code);
    if (rc)
        return rc;
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    int64_t account = yw_db_col_int(s, 0), start = 0, end = 0;
    char *item = yw_arena_strdup(&a, yw_db_col_text(s, 1));
    char *wcode = yw_arena_strdup(&a, yw_db_col_text(s, 2));
    yw_clock_parse(yw_db_col_text(s, 3), &start);
    yw_clock_parse(yw_db_col_text(s, 4), &end);
    int seq = (int)yw_db_col_int(s, 5);
    bool cancelled = !strcmp(yw_db_col_text(s, 6), "cancelled");
    yw_db_reset(s);
    struct yw_svc__window w;
    if (yw_svc__window_get(c, wcode, &w))
        snprintf(w.name, sizeof w.name, "%s", wcode);
    json_t *vars = json_object();
    slot_vars(vars, item, w.name, start, code);
    char *ics = ics_of(&a, code, seq, cancelled, start, end, item, w.name);
    char *key = yw_arena_printf(&a, "%s:%s:%s", tpl, code, key_suffix);
    char *link = yw_arena_printf(&a, "/appointments.html#%s", code);
    rc = yw_svc__notify(c, account, key, tpl, vars, link, ics);
    json_decref(vars);
    yw_arena_release(&a);
    return rc;
}

int
yw_svc__book(struct yw_dbc *c, const struct yw_svc__who *who, const char *item_code,
             const char *slot, char code_out[24], struct yw_err *err)
{
    char item_name[128], dept[32], until[11];
    int rc = item_info(c, item_code, item_name, dept, err);
    if (rc)
        return rc;
    struct yw_svc__window w;
    struct yw_svc__slot s;
    if ((rc = yw_svc__slot_check(c, slot, &w, &s, err)))
        return rc;
    if (!yw_svc__window_serves(&w, item_code, dept))
        return yw_fail(err, YW_EFIELD, "slot", "window '%s' does not serve item '%s'", w.code,
                       item_code);
    if ((rc = yw_svc__expire_bookings(c, who->account_id)))
        return yw_fail(err, rc, "", "cannot check your bookings");
    rc = yw_svc__blocked(c, who->account_id, until);
    if (rc < 0)
        return yw_fail(err, rc, "", "cannot check your bookings");
    if (rc > 0)
        return yw_fail(err, YW_ESVCBLOCKED, "",
                       "you missed %lld booked appointments within %lld days: new bookings are "
                       "blocked until %s",
                       (long long)yw_svc__cfg()->hall_noshow_limit,
                       (long long)yw_svc__cfg()->hall_noshow_days, until);
    char code[24], now[32], st[32], en[32], day[11];
    /* booked for today or tomorrow: the confirmation is the reminder */
    int reminded = s.day <= yw_svc__today() + 1 ? 1 : 0;
    new_code(code);
    yw_svc__now_text(now);
    yw_clock_format(s.start_ms, st);
    yw_clock_format(s.end_ms, en);
    yw_cal_day_text(s.day, day);
    rc = yw_db_run(c,
                   "INSERT INTO svc_appointments (code, account_id, ident, name, item_code, "
                   "item_name, dept, window_code, slot_key, day, start_at, end_at, status, seq, "
                   "reminded, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "'booked', 0, ?, ?, ?)",
                   "sissssssssssdss", code, who->account_id, who->ident, who->name, item_code,
                   item_name, dept, w.code, s.key, day, st, en, reminded, now, now);
    if (rc == YW_ECONFLICT)
        return yw_fail(err, YW_ECONFLICT, "item_code",
                       "you already have an active booking for item '%s': reschedule or cancel it",
                       item_code);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the booking");
    if ((rc = yw_svc__slot_take(c, &w, &s, +1, err)))
        return rc;
    char sum[160];
    snprintf(sum, sizeof sum, "{\"item\":\"%s\",\"slot\":\"%s\"}", item_code, s.key);
    if ((rc = audit(c, who->actor, "appointment.book", code, sum)))
        return rc;
    if ((rc = tell(c, code, "appointment.confirmed", "0")))
        return yw_fail(err, rc, "", "cannot queue the confirmation");
    snprintf(code_out, 24, "%s", code);
    return 0;
}

/* The caller's booked appointment `code`: its window, slot and seq. */
static int
mine_booked(struct yw_dbc *c, const struct yw_svc__who *who, const char *code,
            struct yw_svc__window *w, struct yw_svc__slot *s, struct yw_err *err)
{
    struct yw_stmt *st = NULL;
    int rc = yw_db_one_row(c, &st,
                           "SELECT status, slot_key, window_code, day FROM svc_appointments "
                           "WHERE code = ? AND account_id = ?",
                           "si", code, who->account_id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no appointment '%.24s' of yours", code);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the appointment");
    char status[16];
    snprintf(status, sizeof status, "%s", yw_db_col_text(st, 0));
    memset(s, 0, sizeof *s);
    snprintf(s->key, sizeof s->key, "%s", yw_db_col_text(st, 1));
    snprintf(s->window, sizeof s->window, "%s", yw_db_col_text(st, 2));
    yw_cal_parse_day(yw_db_col_text(st, 3), &s->day);
    yw_db_reset(st);
    if (strcmp(status, "booked") != 0)
        return yw_fail(err, YW_ESTATE, "", "appointment '%s' is %s", code, status);
    if ((rc = yw_svc__window_get(c, s->window, w)))
        return yw_fail(err, rc, "", "cannot read the window");
    return 0;
}

int
yw_svc__reschedule(struct yw_dbc *c, const struct yw_svc__who *who, const char *code,
                   const char *slot, struct yw_err *err)
{
    struct yw_svc__window ow, nw;
    struct yw_svc__slot os, ns;
    int rc = mine_booked(c, who, code, &ow, &os, err);
    if (rc)
        return rc;
    char item_code[64], item_name[128], dept[32];
    char *ic = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 512);
    rc = yw_db_one_text(c, &a, &ic, "SELECT item_code FROM svc_appointments WHERE code = ?", "s",
                        code);
    snprintf(item_code, sizeof item_code, "%s", ic ? ic : "");
    yw_arena_release(&a);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the appointment");
    if ((rc = item_info(c, item_code, item_name, dept, err)))
        return rc;
    if ((rc = yw_svc__slot_check(c, slot, &nw, &ns, err)))
        return rc;
    if (!strcmp(ns.key, os.key))
        return yw_fail(err, YW_EFIELD, "slot", "the appointment is already at this slot");
    if (!yw_svc__window_serves(&nw, item_code, dept))
        return yw_fail(err, YW_EFIELD, "slot", "window '%s' does not serve item '%s'", nw.code,
                       item_code);
    if ((rc = yw_svc__slot_take(c, &ow, &os, -1, err)) ||
        (rc = yw_svc__slot_take(c, &nw, &ns, +1, err)))
        return rc;
    char now[32], st[32], en[32], day[11];
    yw_svc__now_text(now);
    yw_clock_format(ns.start_ms, st);
    yw_clock_format(ns.end_ms, en);
    yw_cal_day_text(ns.day, day);
    rc = yw_db_run(c,
                   "UPDATE svc_appointments SET window_code = ?, slot_key = ?, day = ?, "
                   "start_at = ?, end_at = ?, seq = seq + 1, reminded = ?, updated_at = ? "
                   "WHERE code = ?",
                   "sssssdss", nw.code, ns.key, day, st, en, ns.day <= yw_svc__today() + 1 ? 1 : 0,
                   now, code);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the booking");
    char sum[160];
    snprintf(sum, sizeof sum, "{\"from\":\"%s\",\"to\":\"%s\"}", os.key, ns.key);
    if ((rc = audit(c, who->actor, "appointment.reschedule", code, sum)))
        return rc;
    if ((rc = tell(c, code, "appointment.rescheduled", ns.key)))
        return yw_fail(err, rc, "", "cannot queue the message");
    return 0;
}

int
yw_svc__cancel(struct yw_dbc *c, const struct yw_svc__who *who, const char *code,
               struct yw_err *err)
{
    struct yw_svc__window w;
    struct yw_svc__slot s;
    int rc = mine_booked(c, who, code, &w, &s, err);
    if (rc)
        return rc;
    if ((rc = yw_svc__slot_take(c, &w, &s, -1, err)))
        return rc;
    char now[32];
    yw_svc__now_text(now);
    rc = yw_db_run(c,
                   "UPDATE svc_appointments SET status = 'cancelled', seq = seq + 1, "
                   "updated_at = ? WHERE code = ?",
                   "ss", now, code);
    if (rc)
        return yw_fail(err, rc, "", "cannot cancel the booking");
    if ((rc = audit(c, who->actor, "appointment.cancel", code, "{}")))
        return rc;
    if ((rc = tell(c, code, "appointment.cancelled", "0")))
        return yw_fail(err, rc, "", "cannot queue the message");
    return 0;
}

static json_t *
row_json(struct yw_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
                     "id", (json_int_t)yw_db_col_int(s, 0), "code", yw_db_col_text(s, 1),
                     "item_code", yw_db_col_text(s, 5), "item_name", yw_db_col_text(s, 6), "dept",
                     yw_db_col_text(s, 7), "window", yw_db_col_text(s, 8), "slot",
                     yw_db_col_text(s, 9), "day", yw_db_col_text(s, 10), "start",
                     yw_db_col_text(s, 11), "end", yw_db_col_text(s, 12), "status",
                     yw_db_col_text(s, 13), "name", yw_db_col_text(s, 4), "seq",
                     (json_int_t)yw_db_col_int(s, 14), "created_at", yw_db_col_text(s, 15),
                     "updated_at", yw_db_col_text(s, 16));
}

int
yw_svc__appointment_json(struct yw_dbc *c, int64_t account_id, const char *code, json_t **out)
{
    struct yw_stmt *s = NULL;
    int rc = account_id
                 ? yw_db_one_row(c, &s,
                                 "SELECT " COLS " FROM svc_appointments WHERE code = ? "
                                 "AND account_id = ?",
                                 "si", code, account_id)
                 : yw_db_one_row(c, &s, "SELECT " COLS " FROM svc_appointments WHERE code = ?", "s",
                                 code);
    if (rc)
        return rc;
    *out = row_json(s);
    yw_db_reset(s);
    return 0;
}

json_t *
yw_svc__appointments_json(struct yw_dbc *c, int64_t account_id)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT " COLS " FROM svc_appointments WHERE account_id = ? "
                                    "ORDER BY start_at DESC, id DESC LIMIT 200",
                                    "i", account_id);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(out, row_json(s));
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int
yw_svc__appointment_ics(struct yw_dbc *c, struct yw_arena *a, int64_t account_id, const char *code,
                        char **ics)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT item_name, window_code, start_at, end_at, seq, status FROM "
                           "svc_appointments WHERE code = ? AND account_id = ?",
                           "si", code, account_id);
    if (rc)
        return rc;
    char *item = yw_arena_strdup(a, yw_db_col_text(s, 0));
    char *wcode = yw_arena_strdup(a, yw_db_col_text(s, 1));
    int64_t start = 0, end = 0;
    yw_clock_parse(yw_db_col_text(s, 2), &start);
    yw_clock_parse(yw_db_col_text(s, 3), &end);
    int seq = (int)yw_db_col_int(s, 4);
    bool cancelled = !strcmp(yw_db_col_text(s, 5), "cancelled");
    yw_db_reset(s);
    struct yw_svc__window w;
    if (yw_svc__window_get(c, wcode, &w))
        snprintf(w.name, sizeof w.name, "%s", wcode);
    *ics = ics_of(a, code, seq, cancelled, start, end, item, w.name);
    return 0;
}

int
yw_svc__remind(struct yw_dbc *c)
{
    char tomorrow[11];
    yw_cal_day_text(yw_svc__today() + 1, tomorrow);
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT code FROM svc_appointments WHERE day = ? AND "
                                    "status = 'booked' AND reminded = 0 ORDER BY id LIMIT 50",
                                    "s", tomorrow);
    if (s == NULL)
        return YW_EDB;
    char codes[50][24];
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && n < 50)
        snprintf(codes[n++], 24, "%s", yw_db_col_text(s, 0));
    if ((rc = yw_db_finish(s, rc == YW_ROW ? YW_DONE : rc)))
        return rc;
    for (int i = 0; i < n; i++) {
        int64_t changed = 0;
        rc = yw_db_run_changes(c, &changed,
                               "UPDATE svc_appointments SET reminded = 1 WHERE code = ? AND "
                               "reminded = 0 AND status = 'booked'",
                               "s", codes[i]);
        if (rc)
            return rc;
        if (changed && (rc = tell(c, codes[i], "appointment.reminder", tomorrow)))
            return rc;
    }
    return 0;
}
