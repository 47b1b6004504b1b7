/*
 * config.h - ywtb's settings, from a file, the environment and flags.
 *
 * Every setting is one row of the table in config.c (name, type, default, help).
 * Values are applied in increasing precedence: built-in default, the config file
 * (`key = value` lines, `#` comments), environment variables YWTB_<KEY> (upper
 * case), then command-line flags --<key> (underscores written as dashes).  Each
 * value remembers where it came from, which `ywtb serve --print-config` shows.
 */
#ifndef YW_CORE_CONFIG_H
#define YW_CORE_CONFIG_H

#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct yw_config {
    char *listen;          /* host:port */
    char *db;              /* sqlite:PATH or postgres://... */
    char *web_root;        /* directory of static web assets */
    char *data_dir;        /* directory of reference data: catalog seed, calendars */
    char *access_log;      /* "-" stderr, "off", or a file path */
    char *log_level;
    char *clock;           /* ISO-8601 start instant; empty = system clock */
    char *public_url;      /* base URL printed in QR codes; "" = from the request */
    char *secret_key;      /* hex key that wraps private keys at rest */
    char *secret_key_file; /* where the key is kept when secret_key is empty */
    int64_t threads;       /* worker threads; 0 = number of cores */
    int64_t conn_timeout;  /* seconds an idle connection is kept */
    int64_t body_limit;    /* max JSON body, bytes */
    int64_t upload_limit;  /* max upload body, bytes */
    int64_t pwhash_ops;    /* Argon2id passes */
    int64_t pwhash_mem;    /* Argon2id memory, bytes */
    int64_t session_idle;  /* seconds */
    int64_t session_max;   /* seconds */
    int64_t session_cache; /* slots in the session cache (identity/cache.c); 0 = off */
    int64_t session_cache_ms; /* longest an entry is trusted */
    bool test_api;         /* enable the /api/v1/test/ routes (clock advance); forced on by --clock */
    bool trust_proxy;      /* take the client address from X-Forwarded-For */
    char *config_file;     /* the file that was read, if any */
    /* origin of each setting, parallel to the table in config.c */
    const char *origin[32];
};

/* Fill defaults.  Release with yw_config_release(). */
void yw_config_init(struct yw_config *c);
void yw_config_release(struct yw_config *c);

/* Set one key from text; `origin` is "file", "env", "flag".  Returns 0,
 * YW_ENOTFOUND for an unknown key, YW_EINVAL for a bad value (err says which). */
int yw_config_set(struct yw_config *c, const char *key, const char *value, const char *origin,
                  struct yw_err *err);
/* Read `key = value` lines from path. */
int yw_config_load_file(struct yw_config *c, const char *path, struct yw_err *err);
/* Apply YWTB_* environment variables. */
int yw_config_load_env(struct yw_config *c, struct yw_err *err);
/* True when `flag` (without leading dashes, dashes or underscores) names a key. */
bool yw_config_is_key(const char *flag);
/* Where a setting's value came from: "default", "file", "env", "flag" ("" if unknown key). */
const char *yw_config_origin(const struct yw_config *c, const char *key);
/* Print every setting with its value and origin (secrets masked). */
void yw_config_print(const struct yw_config *c, FILE *out);
/* Print the list of settings with their help text. */
void yw_config_usage(FILE *out);

#endif
