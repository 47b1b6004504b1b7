/*
 * flat.c - a scanner for the common NDJSON import line: one flat object
 * whose values are plain strings (no escapes) or null, like
 *   {"id_number":"310104199003072013","name":"张三","hukou_address":"..."}
 * It finds each key's and value's bytes in the line without building
 * anything, so `ywtb import data` checks such a line and stores it as it
 * came without a JSON parse (a jansson parse costs about as much CPU as
 * SQLite's insert of the row).  Anything else - a number, true/false, an
 * escape, a nested value, a repeated key, bytes after the object - is not
 * "flat": the caller parses the line with jansson as before, which also
 * reports what is wrong with it.  Strings are not checked for UTF-8 here;
 * records.c checks each value it keeps.
 */
#include "datahub/internal.h"

#include <string.h>

static const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* A plain string at p (at its opening quote): its bytes, p after it; NULL
 * when it has an escape or a control character. */
static const char *
plain_string(const char *p, const char *end, const char **s, size_t *n)
{
    const char *q = ++p;
    while (q < end && *q != '"') {
        if (*q == '\\' || (unsigned char)*q < 0x20)
            return NULL;
        q++;
    }
    if (q >= end)
        return NULL;
    *s = p;
    *n = (size_t)(q - p);
    return q + 1;
}

bool
yw_dh__flat_scan(const char *line, size_t len, struct yw_dh_flat *out)
{
    const char *p = line, *end = line + len;
    out->n = 0;
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return false;
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}')
        return skip_ws(p + 1, end) == end;
    for (;;) {
        if (out->n == YW_DH_FLAT_MAX || p >= end || *p != '"')
            return false;
        struct yw_dh_flat_kv *kv = &out->kv[out->n];
        if ((p = plain_string(p, end, &kv->key, &kv->klen)) == NULL)
            return false;
        for (size_t i = 0; i < out->n; i++) /* a repeated key: jansson refuses it */
            if (out->kv[i].klen == kv->klen && !memcmp(out->kv[i].key, kv->key, kv->klen))
                return false;
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return false;
        p = skip_ws(p + 1, end);
        if (p < end && *p == '"') {
            if ((p = plain_string(p, end, &kv->val, &kv->vlen)) == NULL)
                return false;
            kv->null = false;
        } else if (end - p >= 4 && !memcmp(p, "null", 4)) {
            kv->val = NULL;
            kv->vlen = 0;
            kv->null = true;
            p += 4;
        } else {
            return false;
        }
        out->n++;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}')
            return skip_ws(p + 1, end) == end;
        return false;
    }
}
