/*
 * settings.c - the table of identity's settings (see settings.h).
 */
#include "identity/settings.h"

#include <pthread.h>
#include <stddef.h>

#define T struct yw_ident_settings
static const struct yw_setting rows[] = {
    /* libsodium's limits for Argon2id: at least 1 pass and 8 KiB */
    YW_SET_INT(T, pwhash_ops, "2", 1, 4294967295, "Argon2id passes (t)"),
    YW_SET_INT(T, pwhash_mem, "19922944", 8192, 4398046510080,
               "Argon2id memory in bytes (m); 19 MiB is OWASP's minimum"),
    YW_SET_INT(T, session_idle, "1800", 0, INT64_MAX, "seconds of inactivity that end a session"),
    YW_SET_INT(T, session_max, "43200", 0, INT64_MAX,
               "seconds after which a session ends regardless"),
    YW_SET_INT(T, session_cache, "8192", 0, INT64_MAX,
               "sessions kept in memory by each node (0 = read every request from the database)"),
    YW_SET_INT(T, session_cache_ms, "5000", 0, INT64_MAX,
               "longest a cached session is trusted before it is read again (ms)"),
    /* the login lockout (lockout.c; ARCHITECTURE.md "Login lockout") */
    YW_SET_INT(T, login_window, "900", 1, 86400 * 30,
               "seconds over which failed logins are counted"),
    YW_SET_INT(T, login_free_failures, "5", 1, 1000000,
               "failed logins of one account from one address before that pair must wait"),
    YW_SET_INT(T, login_delay, "1", 0, 86400,
               "seconds of the first wait; each further failure doubles it (0 = no waits)"),
    YW_SET_INT(T, login_delay_max, "300", 0, 86400, "longest wait after a failed login (seconds)"),
    YW_SET_INT(T, login_account_ceiling, "50", 1, 1000000000,
               "failed logins of one account from all addresses past which every address waits"),
    YW_SET_INT(T, login_address_ceiling, "100", 1, 1000000000,
               "failed logins from one address (all accounts) past which its accounts wait"),
};
#undef T

const struct yw_settings yw_ident_settings_table = {
    .owner = "identity",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_ident_settings),
};

static struct yw_ident_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void
make_defaults(void)
{
    yw_settings_init(&yw_ident_settings_table, &defaults);
}

const struct yw_ident_settings *
yw_ident_cfg(const struct yw_app *app)
{
    const struct yw_ident_settings *s = yw_config_values(app->cfg, &yw_ident_settings_table);
    if (s)
        return s;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}
