/*
 * config.c - the table of settings and the file/env/flag loaders (see config.h).
 */
#include "core/config.h"

#include "core/mem.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_STR, K_INT, K_BOOL };

struct setting {
    const char *name;
    enum kind kind;
    size_t off;
    const char *def;
    const char *help;
    bool secret;
};

#define S(name, kind, def, help) { #name, kind, offsetof(struct yw_config, name), def, help, false }
static const struct setting settings[] = {
    S(listen, K_STR, "127.0.0.1:8080", "address and port to listen on"),
    S(db, K_STR, "sqlite:var/ywtb.db", "database URL: sqlite:PATH or postgres://user@host/db"),
    S(web_root, K_STR, "web", "directory of the web portal's static files"),
    S(data_dir, K_STR, "data", "directory of reference data (catalog seed, holiday calendars)"),
    S(access_log, K_STR, "-", "access log: '-' for stderr, 'off', or a file path"),
    S(log_level, K_STR, "info", "least level logged: debug, info, warn, error"),
    S(clock, K_STR, "", "demo/test clock start (ISO-8601 with offset); runs on from there"),
    S(public_url, K_STR, "", "public base URL for QR codes on notices (e.g. https://ywtb.xuhui.gov.cn)"),
    { "secret_key", K_STR, offsetof(struct yw_config, secret_key), "",
      "hex key (64 hex digits) that encrypts signing keys at rest", true },
    S(secret_key_file, K_STR, "var/ywtb.key",
      "file holding the secret key when secret_key is empty (made on first start, mode 0600)"),
    S(threads, K_INT, "0", "HTTP worker threads (0 = number of cores)"),
    S(conn_timeout, K_INT, "30", "seconds before an idle connection is closed"),
    S(body_limit, K_INT, "1048576", "largest JSON request body in bytes"),
    S(upload_limit, K_INT, "20971520", "largest file upload in bytes"),
    S(pwhash_ops, K_INT, "2", "Argon2id passes (t)"),
    S(pwhash_mem, K_INT, "19922944", "Argon2id memory in bytes (m); 19 MiB is OWASP's minimum"),
    S(session_idle, K_INT, "1800", "seconds of inactivity that end a session"),
    S(session_max, K_INT, "43200", "seconds after which a session ends regardless"),
    S(session_cache, K_INT, "8192", "sessions kept in memory by each node (0 = read every request from the database)"),
    S(session_cache_ms, K_INT, "5000", "longest a cached session is trusted before it is read again (ms)"),
    S(test_api, K_BOOL, "false", "enable /api/v1/test/* (moving the clock); on with --clock"),
    S(trust_proxy, K_BOOL, "false", "take the client address from X-Forwarded-For (behind nginx)"),
};
#undef S
#define NSETTINGS (sizeof settings / sizeof settings[0])

_Static_assert(NSETTINGS <= 32, "grow yw_config.origin");

static const struct setting *
find(const char *key)
{
    char norm[64];
    size_t i;
    for (i = 0; key[i] && i < sizeof norm - 1; i++)
        norm[i] = key[i] == '-' ? '_' : (char)tolower((unsigned char)key[i]);
    norm[i] = '\0';
    for (size_t k = 0; k < NSETTINGS; k++)
        if (strcmp(settings[k].name, norm) == 0)
            return &settings[k];
    return NULL;
}

bool
yw_config_is_key(const char *flag)
{
    return find(flag) != NULL;
}

static int
apply(struct yw_config *c, const struct setting *s, const char *value, struct yw_err *err)
{
    void *slot = (char *)c + s->off;
    switch (s->kind) {
    case K_STR: {
        char **p = slot;
        free(*p);
        *p = yw_xstrdup(value);
        return 0;
    }
    case K_INT: {
        errno = 0;
        char *end;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end != '\0' || v < 0)
            return yw_fail(err, YW_EINVAL, s->name, "setting '%s': '%s' is not a non-negative integer",
                           s->name, value);
        *(int64_t *)slot = v;
        return 0;
    }
    case K_BOOL:
        if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes") || !strcmp(value, "on"))
            *(bool *)slot = true;
        else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no") ||
                 !strcmp(value, "off"))
            *(bool *)slot = false;
        else
            return yw_fail(err, YW_EINVAL, s->name, "setting '%s': '%s' is not true or false", s->name,
                           value);
        return 0;
    }
    return YW_EINTERNAL;
}

void
yw_config_init(struct yw_config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < NSETTINGS; k++) {
        apply(c, &settings[k], settings[k].def, NULL);
        c->origin[k] = "default";
    }
}

void
yw_config_release(struct yw_config *c)
{
    for (size_t k = 0; k < NSETTINGS; k++) {
        if (settings[k].kind == K_STR) {
            char **p = (char **)((char *)c + settings[k].off);
            if (*p && settings[k].secret)
                yw_wipe(*p, strlen(*p));
            free(*p);
            *p = NULL;
        }
    }
    free(c->config_file);
    c->config_file = NULL;
}

int
yw_config_set(struct yw_config *c, const char *key, const char *value, const char *origin,
              struct yw_err *err)
{
    const struct setting *s = find(key);
    if (s == NULL)
        return yw_fail(err, YW_ENOTFOUND, key, "unknown setting '%s'", key);
    int rc = apply(c, s, value, err);
    if (rc == 0)
        c->origin[s - settings] = origin;
    return rc;
}

const char *
yw_config_origin(const struct yw_config *c, const char *key)
{
    const struct setting *s = find(key);
    return s ? c->origin[s - settings] : "";
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
    for (size_t k = 0; k < NSETTINGS; k++) {
        char name[80] = "YWTB_";
        size_t i;
        for (i = 0; settings[k].name[i] && i < 70; i++)
            name[5 + i] = (char)toupper((unsigned char)settings[k].name[i]);
        name[5 + i] = '\0';
        const char *v = getenv(name);
        if (v == NULL)
            continue;
        int rc = yw_config_set(c, settings[k].name, v, "env", err);
        if (rc)
            return rc;
    }
    return 0;
}

void
yw_config_print(const struct yw_config *c, FILE *out)
{
    if (c->config_file)
        fprintf(out, "# config file: %s\n", c->config_file);
    for (size_t k = 0; k < NSETTINGS; k++) {
        const struct setting *s = &settings[k];
        const void *slot = (const char *)c + s->off;
        fprintf(out, "%-14s = ", s->name);
        switch (s->kind) {
        case K_STR: {
            const char *v = *(char *const *)slot;
            if (s->secret && v && *v)
                fprintf(out, "\"********\"");
            else
                fprintf(out, "\"%s\"", v ? v : "");
            break;
        }
        case K_INT: fprintf(out, "%lld", (long long)*(const int64_t *)slot); break;
        case K_BOOL: fprintf(out, "%s", *(const bool *)slot ? "true" : "false"); break;
        }
        fprintf(out, "    # %s\n", c->origin[k]);
    }
}

void
yw_config_usage(FILE *out)
{
    for (size_t k = 0; k < NSETTINGS; k++) {
        char flag[64];
        size_t i;
        for (i = 0; settings[k].name[i] && i < 60; i++)
            flag[i] = settings[k].name[i] == '_' ? '-' : settings[k].name[i];
        flag[i] = '\0';
        fprintf(out, "  --%-14s %s (default: %s)\n", flag, settings[k].help,
                *settings[k].def ? settings[k].def : "none");
    }
}
