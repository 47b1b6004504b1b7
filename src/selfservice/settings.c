/*
 * settings.c - selfservice's settings: how long a kiosk QR login request and a
 * kiosk session last, the carrier that mails results, the SMS gateway of
 * kiosk login codes, and when uncollected results go back (docs/OPERATIONS.md).
 */
#include "selfservice/internal.h"

#include <pthread.h>
#include <stddef.h>

#define T struct yw_ss_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, ss_login_ttl, "120", 30, 900,
               "seconds a kiosk's QR login request can be confirmed and collected"),
    YW_SET_INT(T, ss_kiosk_session, "300", 60, 3600,
               "seconds a kiosk session lasts at most (the page also ends it after 60 s idle)"),
    YW_SET_STR(T, ss_carrier_url, "",
               "the carrier's waybill API (POST JSON, answers {tracking_no}); empty: staff "
               "type the tracking number"),
    YW_SET_STR(T, ss_carrier_name, "EMS", "the carrier's name shown to the applicant"),
    YW_SET_STR(T, ss_sms_url, "",
               "the SMS gateway of kiosk login codes (POST JSON {to, text, event}, 2xx taken); "
               "empty: the kiosk offers only the QR login"),
    YW_SET_INT(T, ss_otp_ttl, "300", 60, 900, "seconds a kiosk login code sent by SMS is valid"),
    YW_SET_INT(T, ss_locker_days, "7", 1, 60,
               "days a result waits in a locker before it goes back to the window"),
    YW_SET_INT(T, ss_return_seconds, "300", 1, 3600,
               "how often (seconds) the return job looks for uncollected results"),
    YW_SET_STR(T, ss_sender_address, "", "the hall's address printed on shipping labels"),
};
#undef T

const struct yw_settings yw_ss__settings_table = {
    .owner = "selfservice",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_ss_settings),
};

static struct yw_ss_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;
static const struct yw_ss_settings *current;

static void
make_defaults(void)
{
    yw_settings_init(&yw_ss__settings_table, &defaults);
}

void
yw_ss__cfg_set(struct yw_app *app)
{
    current = app && app->cfg ? yw_config_values(app->cfg, &yw_ss__settings_table) : NULL;
}

const struct yw_ss_settings *
yw_ss__cfg(void)
{
    if (current)
        return current;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}
