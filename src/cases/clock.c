/*
 * clock.c - the working-day clock of a case.
 *
 * Time limits count working days from acceptance (the day of acceptance does
 * not count: 《行政许可法》第八十二条), skipping weekends and official
 * holidays and counting make-up working days (core/calendar.h, data/calendar).
 * A special procedure - supplement, public notice, inspection, hearing
 * (特别程序) - pauses the clock: the working days it lasts are added to both
 * due dates when it ends.  The light a supervisor sees: green, yellow when at
 * most max(1, limit/5) working days are left, red when overdue.
 */
#include "cases/internal.h"

#include "core/clock.h"

#include <string.h>

const char *
yw_case__light(int days_left, int limit_days)
{
    int warn = limit_days / 5 > 1 ? limit_days / 5 : 1;
    if (days_left < 0)
        return "red";
    if (days_left <= warn)
        return "yellow";
    return "green";
}

const char *
yw_case__task_light(int64_t today, int64_t due, int days_left, int limit_days, bool paused)
{
    if (paused)
        return "paused";
    if (due && today > due)
        return "red";
    return yw_case__light(days_left, limit_days);
}

void
yw_case__clock(const struct yw_case *k, int64_t now_ms, struct yw_case__clock *out)
{
    memset(out, 0, sizeof *out);
    const struct yw_calendar *cal = yw_cases__calendar();
    out->due_day = k->due_day;
    out->legal_due_day = k->legal_due_day;
    if (k->start_day == 0) {
        out->light = "not_started";
        return;
    }
    int64_t today = yw_cal_day_of_ms(now_ms);
    if (k->pause_kind[0]) {
        out->paused = true;
        out->days_left = yw_cal_workdays_between(cal, k->pause_day, k->due_day);
        out->light = "paused";
        return;
    }
    if (yw_case__status_final(k->status)) {
        /* stopped: left = what was left when it was decided */
        int64_t decided = today;
        int64_t ms;
        if (k->decided_at[0] && yw_clock_parse(k->decided_at, &ms) == 0)
            decided = yw_cal_day_of_ms(ms);
        out->days_left = yw_cal_workdays_between(cal, decided, k->due_day);
        out->light = "stopped";
        return;
    }
    out->days_left = yw_cal_workdays_between(cal, today, k->due_day);
    out->overdue = today > k->due_day;
    /* past the due date on a day off: no working day has passed yet, but it is late */
    out->light = out->overdue ? "red" : yw_case__light(out->days_left, k->promised_days);
}

json_t *
yw_case__clock_json(const struct yw_case *k)
{
    struct yw_case__clock ck;
    yw_case__clock(k, yw_clock_now_ms(), &ck);
    json_t *o =
        json_pack("{s:s, s:i, s:i, s:i, s:b}", "light", ck.light, "promised_days", k->promised_days,
                  "legal_days", k->legal_days, "paused_days", k->paused_days, "paused", ck.paused);
    if (k->start_day == 0) {
        json_object_set_new(o, "started", json_false());
        return o;
    }
    char d[11];
    json_object_set_new(o, "started", json_true());
    yw_cal_day_text(k->start_day, d);
    json_object_set_new(o, "start_date", json_string(d));
    yw_cal_day_text(k->due_day, d);
    json_object_set_new(o, "due_date", json_string(d));
    yw_cal_day_text(k->legal_due_day, d);
    json_object_set_new(o, "legal_due_date", json_string(d));
    json_object_set_new(o, "days_left", json_integer(ck.days_left));
    json_object_set_new(o, "overdue", json_boolean(ck.overdue));
    if (ck.paused)
        json_object_set_new(o, "pause_kind", json_string(k->pause_kind));
    if (yw_case__status_final(k->status))
        json_object_set_new(o, "on_time", json_boolean(ck.days_left >= 0));
    return o;
}

int
yw_case__clock_start(struct yw_dbc *c, const struct yw_case *k, int64_t now_ms)
{
    const struct yw_calendar *cal = yw_cases__calendar();
    int64_t today = yw_cal_day_of_ms(now_ms);
    return yw_db_run(c,
                     "UPDATE cases SET start_day = ?, due_day = ?, legal_due_day = ? WHERE id = ?",
                     "iiii", today, yw_cal_add_workdays(cal, today, k->promised_days),
                     yw_cal_add_workdays(cal, today, k->legal_days), k->id);
}
