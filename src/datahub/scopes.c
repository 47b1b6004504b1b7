/*
 * scopes.c - what a department system's token lets it do in the hub.
 *
 * A department system (a registered client of identity, principal kind
 * "system") acts for its department, so its department's grants bound what
 * it reads; the scopes of its access token narrow that further, so that a
 * system built to check addresses cannot read a whole file.  The hub's API
 * scopes (the client registry allows them per client, the token carries the
 * ones asked for):
 *
 *   datahub.read                 read any resource the department may read
 *   datahub.read:<code>          only resource <code> (lower case: ga-hjrk)
 *   datahub.read:<code>.<field>  only that data item of it (several allowed)
 *   datahub.push                 push records of the department's resources
 *   datahub.push:<code>          only of resource <code>
 *
 * Staff sessions carry no scopes: their roles and their department's grants
 * decide.  A read the scopes do not cover is refused like a read without a
 * grant (403, audited as datahub.read.refused, nothing in the ledger).
 */
#include "datahub/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Whether the space-separated list `scopes` holds the word w[0..n). */
static bool
has_word(const char *scopes, const char *w, size_t n)
{
    for (const char *p = scopes; p && *p;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (len == n && len && memcmp(p, w, n) == 0)
            return true;
        p += len;
    }
    return false;
}

/* "datahub.<verb>:<code lower case>" into buf; its length, 0 if it does not fit. */
static size_t
res_scope(const char *verb, const char *code, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "datahub.%s:", verb);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    size_t len = (size_t)n;
    for (const char *c = code; *c; c++) {
        if (len + 1 >= cap)
            return 0;
        buf[len++] = (char)tolower((unsigned char)*c);
    }
    buf[len] = '\0';
    return len;
}

bool
yw_dh__scope_resource(const char *scopes, const char *verb, const char *code)
{
    if (scopes == NULL) /* not a system: roles and grants decide */
        return true;
    char buf[128];
    int n = snprintf(buf, sizeof buf, "datahub.%s", verb);
    if (n > 0 && has_word(scopes, buf, (size_t)n))
        return true;
    size_t len = res_scope(verb, code, buf, sizeof buf);
    if (len == 0)
        return false;
    if (has_word(scopes, buf, len))
        return true;
    /* a field of it: datahub.<verb>:<code>.<field> */
    for (const char *p = scopes; *p;) {
        while (*p == ' ')
            p++;
        size_t wl = strcspn(p, " ");
        if (wl > len + 1 && memcmp(p, buf, len) == 0 && p[len] == '.')
            return true;
        p += wl;
    }
    return false;
}

bool
yw_dh__scope_any(const char *scopes, const char *verb)
{
    if (scopes == NULL)
        return true;
    char buf[64];
    int n = snprintf(buf, sizeof buf, "datahub.%s", verb);
    if (n <= 0 || (size_t)n >= sizeof buf)
        return false;
    for (const char *p = scopes; *p;) {
        while (*p == ' ')
            p++;
        size_t wl = strcspn(p, " ");
        if (wl >= (size_t)n && memcmp(p, buf, (size_t)n) == 0 && (wl == (size_t)n || p[n] == ':'))
            return true;
        p += wl;
    }
    return false;
}

json_t *
yw_dh__scope_fields(const char *scopes, const char *code, json_t *fields)
{
    if (scopes == NULL)
        return json_incref(fields);
    char buf[192];
    if (has_word(scopes, "datahub.read", strlen("datahub.read")))
        return json_incref(fields);
    size_t len = res_scope("read", code, buf, sizeof buf);
    if (len == 0)
        return json_array();
    if (has_word(scopes, buf, len))
        return json_incref(fields);
    json_t *out = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(fields, i, k)
    {
        const char *key = json_string_value(k);
        if (key == NULL || len + 1 + strlen(key) >= sizeof buf)
            continue;
        buf[len] = '.';
        memcpy(buf + len + 1, key, strlen(key) + 1);
        if (has_word(scopes, buf, strlen(buf)))
            json_array_append(out, k);
        buf[len] = '\0';
    }
    return out;
}

int
yw_dh__scope_narrow(const char *scopes, const struct yw_dh_res *r, struct yw_dh_access *acc,
                    struct yw_err *err)
{
    if (scopes == NULL || !acc->allowed)
        return 0;
    json_t *fields = yw_dh__scope_fields(scopes, r->code, acc->fields);
    if (json_array_size(fields) == 0) {
        json_decref(fields);
        acc->allowed = false;
        yw_dh__access_release(acc);
        return yw_fail(err, YW_EFORBIDDEN, "scope",
                       "此系统的令牌无权读取 '%s' / this system's token has no scope to read "
                       "'%s' (datahub.read[:code[.field]])",
                       r->code, r->code);
    }
    json_t *masked = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(acc->masked, i, k)
    {
        if (yw_dh__str_in(fields, json_string_value(k)))
            json_array_append(masked, k);
    }
    json_decref(acc->fields);
    json_decref(acc->masked);
    acc->fields = fields;
    acc->masked = masked;
    return 0;
}
