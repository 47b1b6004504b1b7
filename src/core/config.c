/*
 * config.c - core's table of settings, the modules' tables added to it, and
 * the file/env/flag loaders (see config.h).
 */
#include "core/config.h"

#include "core/mem.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const log_levels[] = { "debug", "info", "warn", "error", NULL };

#define C struct yw_config
static const struct yw_setting core_rows[] = {
    YW_SET_STR(C, listen, "127.0.0.1:8080", "address and port to listen on"),
    YW_SET_STR(C, db, "sqlite:var/ywtb.db", "database URL: sqlite:PATH or postgres://user@host/db"),
    YW_SET_STR(C, db_read, "",
               "PostgreSQL streaming replica for reads that may be a little stale (postgres://...; "
               "empty = every read on db)"),
    YW_SET_INT(C, db_read_max_lag, "10", 1, 86400,
               "seconds the read replica may lag before its reads go to db instead"),
    YW_SET_STR(C, web_root, "web", "directory of the web portal's static files"),
    YW_SET_STR(C, data_dir, "data",
               "directory of reference data (catalog seed, holiday calendars)"),
    YW_SET_STR(C, access_log, "-", "access log: '-' for stderr, 'off', or a file path"),
    YW_SET_ENUM(C, log_level, "info", log_levels, "least level logged: debug, info, warn, error"),
    YW_SET_STR(C, clock, "", "demo/test clock start (ISO-8601 with offset); runs on from there"),
    YW_SET_STR(C, public_url, "",
               "public base URL for QR codes on notices (e.g. https://ywtb.xuhui.gov.cn)"),
    YW_SET_SECRET(C, secret_key, "", "hex key (64 hex digits) that encrypts signing keys at rest"),
    YW_SET_STR(
        C, secret_key_file, "var/ywtb.key",
        "file holding the secret key when secret_key is empty (made on first start, mode 0600)"),
    YW_SET_INT(C, threads, "0", 0, INT64_MAX, "HTTP worker threads (0 = number of cores)"),
    YW_SET_INT(C, conn_timeout, "30", 0, INT64_MAX, "seconds before an idle connection is closed"),
    YW_SET_INT(C, conn_memory, "16384", 4096, 1048576,
               "bytes of memory per connection for its request line, headers and read buffer "
               "(libmicrohttpd clears it after every request)"),
    YW_SET_INT(C, conn_limit, "0", 0, INT64_MAX,
               "most connections held at once (0 = as many as the open-file limit allows)"),
    YW_SET_INT(C, conn_per_ip, "256", 0, INT64_MAX,
               "most connections from one client address (0 = no limit)"),
    YW_SET_INT(C, header_timeout, "10", 0, INT64_MAX,
               "seconds a connection has to send its request headers (0 = no deadline)"),
    YW_SET_INT(C, body_limit, "1048576", 0, INT64_MAX, "largest JSON request body in bytes"),
    YW_SET_INT(C, upload_limit, "20971520", 0, INT64_MAX, "largest file upload in bytes"),
    YW_SET_BOOL(C, test_api, "false", "enable /api/v1/test/* (moving the clock); on with --clock"),
    YW_SET_BOOL(C, trust_proxy, "false",
                "take the client address from X-Forwarded-For (behind nginx)"),
    YW_SET_INT(C, db_batchers, "0", 0, 64,
               "group-commit threads, each with its own connection (0 = 2 on PostgreSQL, 1 on SQLite, "
               "which always has 1)"),
    YW_SET_BOOL(C, db_pipeline, "true",
                "PostgreSQL: send a batched request's writes ahead in libpq pipeline mode"),
};
#undef C
#define NCORE (sizeof core_rows / sizeof core_rows[0])

_Static_assert(NCORE <= sizeof((struct yw_config *)0)->origin / sizeof(const char *),
               "grow yw_config.origin");

static const struct yw_settings core_set = { "core", core_rows, NCORE, sizeof(struct yw_config) };

/* The tables of c: core's is number 0, module k's is k + 1. */
static size_t
ngroups(const struct yw_config *c)
{
    return 1 + c->ngroups;
}

static const struct yw_settings *
set_at(const struct yw_config *c, size_t g)
{
    return g == 0 ? &core_set : c->groups[g - 1].set;
}

static const void *
values_at(const struct yw_config *c, size_t g)
{
    return g == 0 ? (const void *)c : c->groups[g - 1].values;
}

static const char *
origin_at(const struct yw_config *c, size_t g, size_t row)
{
    return g == 0 ? c->origin[row] : c->groups[g - 1].origin[row];
}

/* The row named `key` (dashes for underscores, any case): its table in *g and
 * its index in *row. */
static const struct yw_setting *
find(const struct yw_config *c, const char *key, size_t *g, size_t *row)
{
    char norm[64];
    size_t i;
    for (i = 0; key[i] && i < sizeof norm - 1; i++)
        norm[i] = key[i] == '-' ? '_' : (char)tolower((unsigned char)key[i]);
    norm[i] = '\0';
    if (key[i] != '\0') /* longer than any key */
        return NULL;
    for (size_t k = 0; k < ngroups(c); k++) {
        const struct yw_settings *set = set_at(c, k);
        for (size_t r = 0; r < set->nrows; r++)
            if (strcmp(set->rows[r].key, norm) == 0) {
                *g = k;
                *row = r;
                return &set->rows[r];
            }
    }
    return NULL;
}

bool
yw_config_is_key(const struct yw_config *c, const char *flag)
{
    size_t g, row;
    return find(c, flag, &g, &row) != NULL;
}

/* "a, b, c or d" of a NULL-terminated list. */
static void
join_choices(const char *const *choices, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; choices[i] && len < n; i++) {
        const char *sep = i == 0 ? "" : choices[i + 1] ? ", " : " or ";
        int w = snprintf(out + len, n - len, "%s%s", sep, choices[i]);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* Check and store value into its field in `values`. */
static int
apply(const struct yw_setting *s, void *values, const char *value, struct yw_err *err)
{
    void *slot = (char *)values + s->off;
    switch (s->type) {
    case YW_SETTING_STR: {
        if (s->choices) {
            size_t i = 0;
            while (s->choices[i] && strcmp(s->choices[i], value) != 0)
                i++;
            if (s->choices[i] == NULL) {
                char list[200];
                join_choices(s->choices, list, sizeof list);
                return yw_fail(err, YW_EINVAL, s->key, "%s '%s' is not %s", s->key, value, list);
            }
        }
        char **p = slot;
        if (*p && s->secret)
            yw_wipe(*p, strlen(*p));
        free(*p);
        *p = yw_xstrdup(value);
        return 0;
    }
    case YW_SETTING_INT: {
        errno = 0;
        char *end;
        long long v = strtoll(value, &end, 10);
        bool parsed = !errno && end != value && *end == '\0';
        if (parsed && v >= s->min && v <= s->max) {
            *(int64_t *)slot = v;
            return 0;
        }
        if (!parsed || (s->min == 0 && s->max == INT64_MAX))
            return yw_fail(err, YW_EINVAL, s->key,
                           "setting '%s': '%s' is not a non-negative integer", s->key, value);
        return yw_fail(err, YW_EINVAL, s->key,
                       "setting '%s': '%s' is not an integer from %lld to %lld", s->key, value,
                       (long long)s->min, (long long)s->max);
    }
    case YW_SETTING_BOOL:
        if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes") ||
            !strcmp(value, "on"))
            *(bool *)slot = true;
        else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no") ||
                 !strcmp(value, "off"))
            *(bool *)slot = false;
        else
            return yw_fail(err, YW_EINVAL, s->key, "setting '%s': '%s' is not true or false",
                           s->key, value);
        return 0;
    }
    return YW_EINTERNAL;
}

void
yw_settings_init(const struct yw_settings *set, void *values)
{
    memset(values, 0, set->size);
    for (size_t k = 0; k < set->nrows; k++)
        apply(&set->rows[k], values, set->rows[k].def, NULL);
}

void
yw_settings_release(const struct yw_settings *set, void *values)
{
    for (size_t k = 0; k < set->nrows; k++) {
        const struct yw_setting *s = &set->rows[k];
        if (s->type != YW_SETTING_STR)
            continue;
        char **p = (char **)((char *)values + s->off);
        if (*p && s->secret)
            yw_wipe(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

void
yw_config_init(struct yw_config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < NCORE; k++) {
        apply(&core_rows[k], c, core_rows[k].def, NULL);
        c->origin[k] = "default";
    }
}

void
yw_config_release(struct yw_config *c)
{
    for (size_t g = 0; g < c->ngroups; g++) {
        struct yw_config_group *mg = &c->groups[g];
        yw_settings_release(mg->set, mg->values);
        free(mg->values);
        free(mg->origin);
    }
    c->ngroups = 0;
    yw_settings_release(&core_set, c);
    free(c->config_file);
    c->config_file = NULL;
}

int
yw_config_add(struct yw_config *c, const struct yw_settings *set, struct yw_err *err)
{
    for (size_t g = 0; g < c->ngroups; g++)
        if (c->groups[g].set == set)
            return 0;
    if (c->ngroups == YW_CONFIG_MAX_GROUPS)
        return yw_fail(err, YW_ECONFIG, "", "too many settings tables (module %s)", set->owner);
    for (size_t k = 0; k < set->nrows; k++) {
        size_t g, row;
        if (find(c, set->rows[k].key, &g, &row))
            return yw_fail(err, YW_ECONFIG, set->rows[k].key,
                           "setting '%s' of %s is already a setting of %s", set->rows[k].key,
                           set->owner, set_at(c, g)->owner);
    }
    struct yw_config_group *mg = &c->groups[c->ngroups++];
    mg->set = set;
    mg->values = yw_xmalloc(set->size ? set->size : 1);
    yw_settings_init(set, mg->values);
    mg->origin = yw_xmalloc((set->nrows ? set->nrows : 1) * sizeof *mg->origin);
    for (size_t k = 0; k < set->nrows; k++)
        mg->origin[k] = "default";
    return 0;
}

const void *
yw_config_values(const struct yw_config *c, const struct yw_settings *set)
{
    for (size_t g = 0; g < c->ngroups; g++)
        if (c->groups[g].set == set)
            return c->groups[g].values;
    return NULL;
}

int
yw_config_set(struct yw_config *c, const char *key, const char *value, const char *origin,
              struct yw_err *err)
{
    size_t g, row;
    const struct yw_setting *s = find(c, key, &g, &row);
    if (s == NULL)
        return yw_fail(err, YW_ENOTFOUND, key, "unknown setting '%s'", key);
    int rc = apply(s, g == 0 ? (void *)c : c->groups[g - 1].values, value, err);
    if (rc == 0 && g == 0)
        c->origin[row] = origin;
    else if (rc == 0)
        c->groups[g - 1].origin[row] = origin;
    return rc;
}

const char *
yw_config_origin(const struct yw_config *c, const char *key)
{
    size_t g, row;
    return find(c, key, &g, &row) ? origin_at(c, g, row) : "";
}

static char *
trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int
yw_config_load_file(struct yw_config *c, const char *path, struct yw_err *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return yw_fail(err, YW_ECONFIG, "config", "cannot open config file '%s': %s", path,
                       strerror(errno));
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *l = trim(line);
        if (*l == '\0' || *l == '#')
            continue;
        char *eq = strchr(l, '=');
        if (eq == NULL) {
            rc = yw_fail(err, YW_ECONFIG, "config", "%s:%d: expected 'key = value'", path, lineno);
            break;
        }
        *eq = '\0';
        char *key = trim(l), *val = trim(eq + 1);
        size_t vn = strlen(val);
        if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
            val[vn - 1] = '\0';
            val++;
        }
        rc = yw_config_set(c, key, val, "file", err);
        if (rc) {
            if (err) {
                char m[sizeof err->msg + 4096 + 16];
                snprintf(m, sizeof m, "%s:%d: %s", path, lineno, err->msg);
                snprintf(err->msg, sizeof err->msg, "%.*s", (int)sizeof err->msg - 1, m);
            }
            rc = YW_ECONFIG;
            break;
        }
    }
    fclose(f);
    if (rc == 0) {
        free(c->config_file);
        c->config_file = yw_xstrdup(path);
    }
    return rc;
}

int
yw_config_load_env(struct yw_config *c, struct yw_err *err)
{
    for (size_t g = 0; g < ngroups(c); g++) {
        const struct yw_settings *set = set_at(c, g);
        for (size_t k = 0; k < set->nrows; k++) {
            const char *key = set->rows[k].key;
            char name[80] = "YWTB_";
            size_t i;
            for (i = 0; key[i] && i < 70; i++)
                name[5 + i] = (char)toupper((unsigned char)key[i]);
            name[5 + i] = '\0';
            const char *v = getenv(name);
            if (v == NULL)
                continue;
            int rc = yw_config_set(c, key, v, "env", err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

void
yw_config_print(const struct yw_config *c, FILE *out)
{
    if (c->config_file)
        fprintf(out, "# config file: %s\n", c->config_file);
    for (size_t g = 0; g < ngroups(c); g++) {
        const struct yw_settings *set = set_at(c, g);
        for (size_t k = 0; k < set->nrows; k++) {
            const struct yw_setting *s = &set->rows[k];
            const void *slot = (const char *)values_at(c, g) + s->off;
            fprintf(out, "%-14s = ", s->key);
            switch (s->type) {
            case YW_SETTING_STR: {
                const char *v = *(char *const *)slot;
                if (s->secret && v && *v)
                    fprintf(out, "\"********\"");
                else
                    fprintf(out, "\"%s\"", v ? v : "");
                break;
            }
            case YW_SETTING_INT:
                fprintf(out, "%lld", (long long)*(const int64_t *)slot);
                break;
            case YW_SETTING_BOOL:
                fprintf(out, "%s", *(const bool *)slot ? "true" : "false");
                break;
            }
            fprintf(out, "    # %s\n", origin_at(c, g, k));
        }
    }
}

void
yw_config_usage(const struct yw_config *c, FILE *out)
{
    for (size_t g = 0; g < ngroups(c); g++) {
        const struct yw_settings *set = set_at(c, g);
        for (size_t k = 0; k < set->nrows; k++) {
            const struct yw_setting *s = &set->rows[k];
            char flag[64];
            size_t i;
            for (i = 0; s->key[i] && i < 60; i++)
                flag[i] = s->key[i] == '_' ? '-' : s->key[i];
            flag[i] = '\0';
            fprintf(out, "  --%-14s %s (default: %s)\n", flag, s->help, *s->def ? s->def : "none");
        }
    }
}
