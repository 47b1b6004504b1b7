/*
 * settings.h - what identity's descriptor carries besides its routes: its
 * settings (how long sessions live, the session cache, the cost of password
 * hashing, the login lockout; settings.c) and its commands (`ywtb admin user add`; commands.c).
 * Shared inside src/identity only.  Through the descriptor
 * (yw_identity_module), `ywtb serve --print-config`, the config file, YWTB_*
 * variables, --flags and `ywtb --help` know them.
 */
#ifndef YW_IDENTITY_SETTINGS_H
#define YW_IDENTITY_SETTINGS_H

#include "http/http.h"

#include <stdint.h>

/* Where the values live (one per config, owned by it). */
struct yw_ident_settings {
    int64_t pwhash_ops;       /* Argon2id passes */
    int64_t pwhash_mem;       /* Argon2id memory, bytes */
    int64_t session_idle;     /* seconds without use that end a session */
    int64_t session_max;      /* seconds after which a session ends regardless */
    int64_t session_cache;    /* slots in the session cache (cache.c); 0 = off */
    int64_t session_cache_ms; /* longest a cached entry is trusted */
    /* the login lockout (lockout.c) */
    int64_t login_window;          /* seconds over which failures count */
    int64_t login_free_failures;   /* failures of a (login, address) pair before it waits */
    int64_t login_delay;           /* first wait, seconds; doubles per further failure */
    int64_t login_delay_max;       /* longest wait, seconds */
    int64_t login_account_ceiling; /* failures of a login (all addresses): every address waits */
    int64_t login_address_ceiling; /* failures from an address (all logins): its pairs wait */
};

extern const struct yw_settings yw_ident_settings_table;

/* identity's settings in app's config, or their defaults when the config was
 * made without them (yw_config_init alone, as in a unit test).  Never NULL;
 * valid while app->cfg is. */
const struct yw_ident_settings *yw_ident_cfg(const struct yw_app *app);

/* commands.c: ends with { NULL } */
extern const struct yw_command yw_ident_commands[];

#endif
