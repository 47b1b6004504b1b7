/*
 * hall.c - the hall's windows (counters) and their slots.
 *
 * A window serves one department's items, or every department's when it is
 * an integrated window (综合窗口, dept ""), optionally narrowed to a list of
 * item codes.  Its opening hours ("09:00-12:00,13:30-17:00", China time)
 * cut into slots of slot_minutes on every working day of the calendar: no
 * slots on holidays, slots on make-up working days (调休上班).  Slots are not
 * rows: a slot is named by its key ("W01.20261208.0900") and only its count
 * of bookings is stored (svc_slot_counts), created by the first booking.
 * The count never passes the capacity: taking a place is one conditional
 * UPDATE (booked < capacity), which both engines apply atomically, and a
 * CHECK constraint backs it.
 */
#include "services/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void
read_window(struct yw_stmt *s, struct yw_svc__window *w)
{
    copy(w->code, sizeof w->code, yw_db_col_text(s, 0));
    copy(w->name, sizeof w->name, yw_db_col_text(s, 1));
    copy(w->name_en, sizeof w->name_en, yw_db_col_text(s, 2));
    copy(w->dept, sizeof w->dept, yw_db_col_text(s, 3));
    copy(w->items, sizeof w->items, yw_db_col_text(s, 4));
    copy(w->hours, sizeof w->hours, yw_db_col_text(s, 5));
    w->slot_minutes = (int)yw_db_col_int(s, 6);
    w->capacity = (int)yw_db_col_int(s, 7);
    w->open = strcmp(yw_db_col_text(s, 8), "open") == 0;
}

#define WINDOW_COLS "code, name, name_en, dept, item_codes, hours, slot_minutes, capacity, status"

int
yw_svc__window_get(struct yw_dbc *c, const char *code, struct yw_svc__window *w)
{
    struct yw_stmt *s = NULL;
    int rc =
        yw_db_one_row(c, &s, "SELECT " WINDOW_COLS " FROM svc_windows WHERE code = ?", "s", code);
    if (rc)
        return rc;
    read_window(s, w);
    yw_db_reset(s);
    return 0;
}

bool
yw_svc__window_serves(const struct yw_svc__window *w, const char *item_code, const char *dept)
{
    if (!w->open)
        return false;
    if (w->dept[0] && strcmp(w->dept, dept) != 0)
        return false;
    json_t *items = json_loads(w->items, 0, NULL);
    bool ok = true;
    if (json_is_array(items) && json_array_size(items) > 0) {
        ok = false;
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v) if (json_is_string(v) &&
                                            !strcmp(json_string_value(v), item_code)) ok = true;
    }
    json_decref(items);
    return ok;
}

static json_t *
window_json(const struct yw_svc__window *w)
{
    json_t *items = json_loads(w->items, 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:i, s:s}", "code", w->code, "name",
                     w->name, "name_en", w->name_en, "dept", w->dept, "items",
                     items ? items : json_array(), "hours", w->hours, "slot_minutes",
                     w->slot_minutes, "capacity", w->capacity, "status",
                     w->open ? "open" : "closed");
}

json_t *
yw_svc__windows_json(struct yw_dbc *c)
{
    struct yw_stmt *s = yw_db_query(c, "SELECT " WINDOW_COLS " FROM svc_windows ORDER BY code", "");
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_svc__window w;
        read_window(s, &w);
        json_array_append_new(out, window_json(&w));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The periods of hours "09:00-12:00,13:30-17:00" as minutes: up to 8. */
static int
periods(const char *hours, int from[8], int to[8])
{
    int n = 0;
    const char *p = hours;
    while (*p && n < 8) {
        int h1, m1, h2, m2, used = 0;
        if (sscanf(p, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4)
            break;
        from[n] = h1 * 60 + m1;
        to[n] = h2 * 60 + m2;
        n++;
        p += used;
        if (*p == ',')
            p++;
    }
    return n;
}

static bool
bookable_day(int64_t day, struct yw_err *err)
{
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    int64_t today = yw_svc__today();
    if (day < today) {
        yw_fail(err, YW_EFIELD, "slot", "the slot is in the past");
        return false;
    }
    if (day > today + cfg->hall_book_days) {
        yw_fail(err, YW_EFIELD, "slot", "slots can be booked at most %lld days ahead",
                (long long)cfg->hall_book_days);
        return false;
    }
    if (!yw_cal_is_workday(yw_svc__calendar(), day)) {
        const char *hol = yw_cal_holiday_name(yw_svc__calendar(), day);
        yw_fail(err, YW_EFIELD, "slot", "the hall is closed that day%s%s", hol ? ": " : "",
                hol ? hol : "");
        return false;
    }
    return true;
}

int
yw_svc__slot_check(struct yw_dbc *c, const char *key, struct yw_svc__window *w,
                   struct yw_svc__slot *s, struct yw_err *err)
{
    memset(s, 0, sizeof *s);
    const char *d1 = key ? strchr(key, '.') : NULL;
    if (d1 == NULL || (size_t)(d1 - key) >= sizeof s->window || strlen(key) >= sizeof s->key)
        return yw_fail(err, YW_EFIELD, "slot", "a slot is WINDOW.YYYYMMDD.HHMM");
    memcpy(s->window, key, (size_t)(d1 - key));
    int y, mo, d, hh, mm, used = 0;
    if (sscanf(d1 + 1, "%4d%2d%2d.%2d%2d%n", &y, &mo, &d, &hh, &mm, &used) != 5 ||
        d1[1 + used] != '\0' || used != 13)
        return yw_fail(err, YW_EFIELD, "slot", "a slot is WINDOW.YYYYMMDD.HHMM");
    char daytext[11];
    snprintf(daytext, sizeof daytext, "%04d-%02d-%02d", y, mo, d);
    if (yw_cal_parse_day(daytext, &s->day) || hh > 23 || mm > 59)
        return yw_fail(err, YW_EFIELD, "slot", "the slot's date or time is not valid");
    int rc = yw_svc__window_get(c, s->window, w);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "slot", "no window '%.15s'", s->window);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the window");
    if (!w->open)
        return yw_fail(err, YW_EFIELD, "slot", "window '%s' is closed", w->code);
    s->minute = hh * 60 + mm;
    int from[8], to[8], n = periods(w->hours, from, to);
    bool inside = false;
    for (int i = 0; i < n; i++)
        if (s->minute >= from[i] && s->minute + w->slot_minutes <= to[i] &&
            (s->minute - from[i]) % w->slot_minutes == 0)
            inside = true;
    if (!inside)
        return yw_fail(err, YW_EFIELD, "slot", "window '%s' has no slot at %02d:%02d", w->code, hh,
                       mm);
    if (!bookable_day(s->day, err))
        return YW_EFIELD;
    s->start_ms = yw_cal_start_of_day_ms(s->day) + (int64_t)s->minute * 60000;
    s->end_ms = s->start_ms + (int64_t)w->slot_minutes * 60000;
    if (s->start_ms <= yw_clock_now_ms())
        return yw_fail(err, YW_EFIELD, "slot", "the slot has already begun");
    snprintf(s->key, sizeof s->key, "%s.%04d%02d%02d.%02d%02d", w->code, y, mo, d, hh, mm);
    return 0;
}

int
yw_svc__slot_take(struct yw_dbc *c, const struct yw_svc__window *w, const struct yw_svc__slot *s,
                  int delta, struct yw_err *err)
{
    char day[11];
    yw_cal_day_text(s->day, day);
    int rc = yw_db_run(c,
                       "INSERT INTO svc_slot_counts (slot_key, window_code, day, capacity, booked) "
                       "VALUES (?, ?, ?, ?, 0) ON CONFLICT (slot_key) DO NOTHING",
                       "sssd", s->key, w->code, day, w->capacity);
    if (rc)
        return yw_fail(err, rc, "", "cannot count the slot's bookings");
    int64_t changed = 0;
    if (delta > 0)
        rc = yw_db_run_changes(c, &changed,
                               "UPDATE svc_slot_counts SET booked = booked + 1 "
                               "WHERE slot_key = ? AND booked < capacity",
                               "s", s->key);
    else
        rc = yw_db_run_changes(c, &changed,
                               "UPDATE svc_slot_counts SET booked = booked - 1 "
                               "WHERE slot_key = ? AND booked > 0",
                               "s", s->key);
    if (rc)
        return yw_fail(err, rc, "", "cannot count the slot's bookings");
    if (changed == 0 && delta > 0)
        return yw_fail(err, YW_ESVCFULL, "slot", "slot '%s' is fully booked", s->key);
    return 0;
}

int
yw_svc__slots_json(struct yw_dbc *c, const char *item_code, int64_t day, json_t **out,
                   struct yw_err *err)
{
    int64_t item_id;
    int version;
    json_t *doc = NULL;
    int rc = yw_catalog_item_current(c, item_code, &item_id, &version, &doc);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "item", "no item '%.40s'", item_code);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the item");
    const char *dept = json_string_value(json_object_get(doc, "dept"));
    char dtext[11];
    yw_cal_day_text(day, dtext);
    const struct yw_calendar *cal = yw_svc__calendar();
    bool workday = yw_cal_is_workday(cal, day);
    const char *hol = yw_cal_holiday_name(cal, day);
    json_t *res = json_pack("{s:s, s:s, s:b, s:s?, s:[]}", "item", item_code, "day", dtext,
                            "workday", workday, "holiday", hol, "windows");
    json_t *wins = yw_svc__windows_json(c);
    if (wins == NULL) {
        json_decref(doc);
        json_decref(res);
        return yw_fail(err, YW_EDB, "", "cannot read the windows");
    }
    int64_t today = yw_svc__today(), now = yw_clock_now_ms();
    bool in_range = day >= today && day <= today + yw_svc__cfg()->hall_book_days;
    size_t i;
    json_t *wj;
    json_array_foreach(wins, i, wj)
    {
        struct yw_svc__window w;
        if (yw_svc__window_get(c, json_string_value(json_object_get(wj, "code")), &w) ||
            !yw_svc__window_serves(&w, item_code, dept ? dept : ""))
            continue;
        json_t *slots = json_array();
        int from[8], to[8], n = periods(w.hours, from, to);
        for (int p = 0; workday && in_range && p < n; p++) {
            for (int m = from[p]; m + w.slot_minutes <= to[p]; m += w.slot_minutes) {
                int64_t start = yw_cal_start_of_day_ms(day) + (int64_t)m * 60000;
                if (start <= now)
                    continue;
                char key[48], st[32], en[32];
                snprintf(key, sizeof key, "%s.%.4s%.2s%.2s.%02d%02d", w.code, dtext, dtext + 5,
                         dtext + 8, m / 60, m % 60);
                int64_t booked = 0;
                rc = yw_db_one_int(
                    c, &booked, "SELECT booked FROM svc_slot_counts WHERE slot_key = ?", "s", key);
                if (rc && rc != YW_ENOTFOUND) {
                    json_decref(slots);
                    json_decref(wins);
                    json_decref(doc);
                    json_decref(res);
                    return yw_fail(err, rc, "", "cannot read the slots");
                }
                yw_clock_format(start, st);
                yw_clock_format(start + (int64_t)w.slot_minutes * 60000, en);
                char hm[24];
                snprintf(hm, sizeof hm, "%02d:%02d", m / 60, m % 60);
                json_array_append_new(slots,
                                      json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I}", "slot", key,
                                                "time", hm, "start", st, "end", en, "capacity",
                                                w.capacity, "booked", (json_int_t)booked, "free",
                                                (json_int_t)(w.capacity - booked)));
            }
        }
        json_array_append_new(json_object_get(res, "windows"),
                              json_pack("{s:s, s:s, s:s, s:s, s:o}", "code", w.code, "name", w.name,
                                        "name_en", w.name_en, "dept", w.dept, "slots", slots));
    }
    json_decref(wins);
    json_decref(doc);
    *out = res;
    return 0;
}
