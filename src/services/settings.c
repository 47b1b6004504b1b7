/*
 * settings.c - the settings of the service hall (booking limits, the no-show
 * rule, rating and rectification windows, the SMTP server of notifications),
 * the working-day calendar it books on, and the clock helpers every
 * capability file shares.
 */
#include "services/internal.h"

#include "core/clock.h"
#include "core/log.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#define T struct yw_svc_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, hall_book_days, "14", 1, 366, "days ahead a hall slot can be booked"),
    YW_SET_INT(T, hall_noshow_limit, "3", 1, 1000,
               "no-shows within hall_noshow_days that block new bookings"),
    YW_SET_INT(T, hall_noshow_days, "90", 1, 3660, "days over which no-shows are counted"),
    YW_SET_INT(T, hall_noshow_block, "30", 0, 3660,
               "days new bookings stay blocked after the limit is reached"),
    YW_SET_INT(T, hall_checkin_early, "60", 0, 1440,
               "minutes before its slot a booking can check in at the kiosk"),
    YW_SET_INT(T, hall_noshow_grace, "30", 0, 1440,
               "minutes after its slot's end an unchecked booking counts as a no-show"),
    YW_SET_INT(T, rating_days, "15", 1, 3660,
               "days after a finished case or visit during which it can be rated"),
    YW_SET_INT(T, rating_rectify_days, "15", 1, 365,
               "working days a department has to report the rectification of a bad rating"),
    YW_SET_INT(T, consult_days, "1", 1, 60, "working days to answer a consultation"),
    YW_SET_STR(T, notify_smtp_url, "",
               "SMTP server of notification email (smtp://127.0.0.1:25); empty = no email"),
    YW_SET_STR(T, notify_smtp_from, "noreply@ywtb.xuhui.gov.cn", "sender address of email"),
    YW_SET_STR(T, notify_sms_url, "",
               "SMS gateway: messages are POSTed to it as JSON {to, text, event}; empty = no SMS"),
    YW_SET_STR(T, notify_smtp_check_url, "",
               "where the sender asks whether an email it may have handed over before a crash "
               "was accepted: GET URL?message_id=ID answers 200 (accepted) or 404 (not); "
               "empty = send it again (the same Message-ID)"),
    YW_SET_STR(T, notify_sms_check_url, "",
               "the same question for an SMS, asked of the gateway; empty = send it again "
               "(the same id)"),
    YW_SET_INT(T, notify_retry_max, "8", 1, 1000,
               "attempts to send a message before it is marked failed"),
    YW_SET_INT(T, notify_backoff_ms, "2000", 0, 86400000,
               "delay before the first retry of a message (ms); doubles per attempt"),
    YW_SET_INT(T, notify_interval_ms, "500", 50, 600000,
               "how often the sender looks for messages and reminders (ms)"),
};
#undef T

const struct yw_settings yw_svc_settings_table = {
    .owner = "services",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_svc_settings),
};

static struct yw_app *the_app;
static struct yw_svc_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;
static struct yw_calendar *calendar;

static void
make_defaults(void)
{
    yw_settings_init(&yw_svc_settings_table, &defaults);
}

void
yw_svc__set_app(struct yw_app *app)
{
    the_app = app;
}

struct yw_app *
yw_svc__app(void)
{
    return the_app;
}

const struct yw_svc_settings *
yw_svc__cfg(void)
{
    const struct yw_svc_settings *s =
        the_app && the_app->cfg ? yw_config_values(the_app->cfg, &yw_svc_settings_table) : NULL;
    if (s)
        return s;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}

int
yw_svc__calendar_load(struct yw_app *app, struct yw_err *err)
{
    if (calendar)
        return 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", app->cfg->data_dir);
    return yw_cal_load(dir, &calendar, err);
}

void
yw_svc__calendar_free(void)
{
    yw_cal_free(calendar);
    calendar = NULL;
}

const struct yw_calendar *
yw_svc__calendar(void)
{
    return calendar; /* NULL: Monday-Friday (calendar.h) */
}

void
yw_svc__now_text(char buf[32])
{
    yw_clock_format(yw_clock_now_ms(), buf);
}

int64_t
yw_svc__today(void)
{
    return yw_cal_day_of_ms(yw_clock_now_ms());
}
