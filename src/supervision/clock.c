/*
 * clock.c - supervision's settings and its reading of the clock: when a
 * deadline turns yellow (预警) and when red (超期).
 *
 * A task is yellow when at most max(supervision_yellow_days, limit x
 * supervision_yellow_percent / 100) working days are left (default: 2
 * working days or 20 % of its limit, whichever comes first), red once the
 * day is past its due day.  Days are the calendar's day numbers; working
 * days come from the calendar supervision loads at init (the same
 * data/calendar files the cases' clock reads).
 */
#include "supervision/internal.h"

#include "core/clock.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define T struct yw_sup_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, supervision_yellow_days, "2", 0, 365,
               "yellow card when at most this many working days are left"),
    YW_SET_INT(T, supervision_yellow_percent, "20", 0, 100,
               "... or at most this share (%) of the task's limit"),
    YW_SET_INT(T, supervision_sweep_seconds, "10", 1, 3600,
               "how often the card sweep reads the deadlines due (seconds)"),
    YW_SET_INT(T, supervision_stats_cache, "64", 0, 256,
               "dashboard answers kept per node until the rollups move (0: none)"),
};
#undef T

const struct yw_settings yw_sup_settings_table = {
    .owner = "supervision",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_sup_settings),
};

static struct yw_sup_settings defaults;
static const struct yw_sup_settings *current;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void
make_defaults(void)
{
    yw_settings_init(&yw_sup_settings_table, &defaults);
}

void
yw_sup__cfg_set(const struct yw_app *app)
{
    current = app && app->cfg ? yw_config_values(app->cfg, &yw_sup_settings_table) : NULL;
}

const struct yw_sup_settings *
yw_sup__cfg(void)
{
    if (current)
        return current;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}

int64_t
yw_sup__today(void)
{
    return yw_cal_day_of_ms(yw_clock_now_ms());
}

const char *
yw_sup__day_text(struct yw_arena *a, int64_t day)
{
    if (day <= 0 || day >= YW_SUP_NEVER)
        return "";
    char buf[11];
    yw_cal_day_text(day, buf);
    return yw_arena_strdup(a, buf);
}

/* Working days left at which the deadline turns yellow. */
static int
warn_days(int limit_days)
{
    const struct yw_sup_settings *s = yw_sup__cfg();
    int64_t w = s->supervision_yellow_days;
    int64_t p = (int64_t)limit_days * s->supervision_yellow_percent / 100;
    return (int)(p > w ? p : w);
}

int64_t
yw_sup__next_day(const char *stage, int64_t due_day, int limit_days)
{
    if (due_day <= 0)
        return YW_SUP_NEVER;
    if (stage[0] == 'g') /* green: the first day with at most warn_days left */
        return yw_cal_add_workdays(yw_sup__calendar(), due_day, -warn_days(limit_days));
    if (stage[0] == 'y') /* yellow: the day after the due day */
        return due_day + 1;
    return YW_SUP_NEVER;
}

const char *
yw_sup__light(int64_t today, int64_t due_day, int limit_days, bool paused)
{
    if (paused)
        return "paused";
    if (due_day <= 0)
        return "green";
    if (today > due_day)
        return "red";
    int left = yw_cal_workdays_between(yw_sup__calendar(), today, due_day);
    return left <= warn_days(limit_days) ? "yellow" : "green";
}
