/*
 * config.h - ywtb's settings, from a file, the environment and flags.
 *
 * A setting is one row of a table (struct yw_setting: key, type, default, help,
 * validation, and where its value lives).  Core's own rows (config.c) keep
 * their values in the fields of struct yw_config below; a module's rows come
 * with its descriptor (struct yw_module.settings) and keep their values in a
 * struct of the module's own, which yw_config_add() allocates and
 * yw_config_values() hands back, so adding a module's setting touches only
 * that module's folder.
 *
 * Values are applied in increasing precedence: built-in default, the config file
 * (`key = value` lines, `#` comments), environment variables YWTB_<KEY> (upper
 * case), then command-line flags --<key> (underscores written as dashes).  Each
 * value remembers where it came from, which `ywtb serve --print-config` shows.
 * An unknown key in the file or a flag is refused.
 */
#ifndef YW_CORE_CONFIG_H
#define YW_CORE_CONFIG_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- setting tables ---- */

enum yw_setting_type {
    YW_SETTING_STR,  /* char *, malloc'd */
    YW_SETTING_INT,  /* int64_t */
    YW_SETTING_BOOL, /* bool: true/false, 1/0, yes/no, on/off */
};

struct yw_setting {
    const char *key; /* file key; YWTB_KEY variable; --key flag (dashes or underscores) */
    enum yw_setting_type type;
    size_t off;       /* where the value lives: offset of its field in the owner's struct */
    const char *def;  /* the default, as text */
    const char *help; /* one line for `ywtb serve --help` */
    int64_t min, max; /* YW_SETTING_INT: the accepted range */
    const char *const
        *choices; /* YW_SETTING_STR: the accepted values (NULL-terminated); NULL = any */
    bool secret;  /* masked by --print-config, wiped when released */
};

/* A table of settings and the struct their values live in: core's (struct
 * yw_config) or a module's own. */
struct yw_settings {
    const char *owner; /* "core" or the module's name */
    const struct yw_setting *rows;
    size_t nrows;
    size_t size; /* sizeof the struct the rows' offsets point into */
};

/* Row builders: T is the struct the value lives in, field both the member and
 * the key.  The _Generic term makes a row whose field has the wrong C type a
 * compile error. */
#define YW_SETTING_OFF_(T, field, ctype)                                                           \
    (offsetof(T, field) + 0 * sizeof(_Generic(((T *)0)->field, ctype : 1)))
#define YW_SET_STR(T, field, def_, help_)                                                          \
    {                                                                                              \
        .key = #field, .type = YW_SETTING_STR, .off = YW_SETTING_OFF_(T, field, char *),           \
        .def = def_, .help = help_                                                                 \
    }
#define YW_SET_SECRET(T, field, def_, help_)                                                       \
    {                                                                                              \
        .key = #field, .type = YW_SETTING_STR, .off = YW_SETTING_OFF_(T, field, char *),           \
        .def = def_, .help = help_, .secret = true                                                 \
    }
#define YW_SET_ENUM(T, field, def_, choices_, help_)                                               \
    {                                                                                              \
        .key = #field, .type = YW_SETTING_STR, .off = YW_SETTING_OFF_(T, field, char *),           \
        .def = def_, .help = help_, .choices = choices_                                            \
    }
#define YW_SET_INT(T, field, def_, min_, max_, help_)                                              \
    {                                                                                              \
        .key = #field, .type = YW_SETTING_INT, .off = YW_SETTING_OFF_(T, field, int64_t),          \
        .def = def_, .help = help_, .min = min_, .max = max_                                       \
    }
#define YW_SET_BOOL(T, field, def_, help_)                                                         \
    {                                                                                              \
        .key = #field, .type = YW_SETTING_BOOL, .off = YW_SETTING_OFF_(T, field, bool),            \
        .def = def_, .help = help_                                                                 \
    }

/* Fill `values` (set->size bytes, zeroed first) with the table's defaults.
 * Strings are malloc'd: free them with yw_settings_release(). */
void yw_settings_init(const struct yw_settings *set, void *values);
void yw_settings_release(const struct yw_settings *set, void *values);

/* ---- the configuration of a process ---- */

#define YW_CONFIG_MAX_GROUPS 16

/* The settings of one module (yw_config_add). */
struct yw_config_group {
    const struct yw_settings *set;
    void *values;        /* set->size bytes, owned by the config */
    const char **origin; /* one per row */
};

struct yw_config {
    char *listen;           /* host:port */
    char *db;               /* sqlite:PATH or postgres://... */
    char *web_root;         /* directory of static web assets */
    char *data_dir;         /* directory of reference data: catalog seed, calendars */
    char *access_log;       /* "-" stderr, "off", or a file path */
    char *log_level;        /* debug, info, warn or error */
    char *clock;            /* ISO-8601 start instant; empty = system clock */
    char *public_url;       /* base URL printed in QR codes; "" = from the request */
    char *secret_key;       /* hex key that wraps private keys at rest */
    char *secret_key_file;  /* where the key is kept when secret_key is empty */
    int64_t threads;        /* worker threads; 0 = number of cores */
    int64_t conn_timeout;   /* seconds an idle connection is kept */
    int64_t conn_memory;    /* bytes of libmicrohttpd's pool per connection */
    int64_t conn_limit;     /* most connections at once; 0 = from the open-file limit */
    int64_t conn_per_ip;    /* most connections from one address; 0 = no limit */
    int64_t header_timeout; /* seconds to send the request headers; 0 = no deadline */
    int64_t body_limit;     /* max JSON body, bytes */
    int64_t upload_limit;   /* max upload body, bytes */
    bool test_api;       /* enable the /api/v1/test/ routes (clock advance); forced on by --clock */
    bool trust_proxy;    /* take the client address from X-Forwarded-For */
    int64_t db_batchers; /* group-commit threads; 0 = by engine (db/batch.h) */
    bool db_pipeline;    /* PostgreSQL: batched writes sent ahead (db/batch.h) */
    char *config_file;   /* the file that was read, if any */
    /* the read replica (db/db.h): postgres://... of a streaming replica of db,
     * or ""; and the seconds it may lag before its reads go to db */
    char *db_read;
    int64_t db_read_max_lag;
    /* origin of each core setting, parallel to the table in config.c */
    const char *origin[32];
    /* the modules' settings, in the order they were added */
    struct yw_config_group groups[YW_CONFIG_MAX_GROUPS];
    size_t ngroups;
};

/* Fill core's defaults (no module's settings yet).  Release with
 * yw_config_release(). */
void yw_config_init(struct yw_config *c);
void yw_config_release(struct yw_config *c);

/* Add a module's settings, at their defaults.  Adding the same table again is
 * a no-op.  YW_ECONFIG (err says which) when one of its keys is already a
 * setting, or when there are more than YW_CONFIG_MAX_GROUPS tables. */
int yw_config_add(struct yw_config *c, const struct yw_settings *set, struct yw_err *err);
/* The values of a module's settings (a struct of set->size bytes, owned by c),
 * or NULL when the table was not added to c. */
const void *yw_config_values(const struct yw_config *c, const struct yw_settings *set);

/* Set one key from text; `origin` is "file", "env", "flag".  Returns 0,
 * YW_ENOTFOUND for an unknown key, YW_EINVAL for a bad value (err says which). */
int yw_config_set(struct yw_config *c, const char *key, const char *value, const char *origin,
                  struct yw_err *err);
/* Read `key = value` lines from path. */
int yw_config_load_file(struct yw_config *c, const char *path, struct yw_err *err);
/* Apply YWTB_* environment variables. */
int yw_config_load_env(struct yw_config *c, struct yw_err *err);
/* True when `flag` (without leading dashes, dashes or underscores) names a key of c. */
bool yw_config_is_key(const struct yw_config *c, const char *flag);
/* Where a setting's value came from: "default", "file", "env", "flag" ("" if unknown key). */
const char *yw_config_origin(const struct yw_config *c, const char *key);
/* Print every setting (core's, then each module's) with its value and origin (secrets masked). */
void yw_config_print(const struct yw_config *c, FILE *out);
/* Print the list of settings with their help text. */
void yw_config_usage(const struct yw_config *c, FILE *out);

#endif
