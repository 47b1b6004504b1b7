/*
 * jcs.c - RFC 8785 JSON Canonicalization Scheme over jansson values (jcs.h
 * says which rules and why: the canonical bytes of everything ywtb signs).
 *
 * Written from RFC 8785 itself (§3.2 and its examples, which
 * tests/unit/test_jcs.c checks), not ported from another implementation.
 */
#include "core/jcs.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One code point of UTF-8 at s[0..n): its length, with the code point in *cp,
 * or 0 when the bytes are not well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing beyond U+10FFFF).  U+0000 is a code point like any
 * other here: JCS writes it \u0000. */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xe0) == 0xc0) {
        len = 2, v = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, v = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

static bool
utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_next(p + i, n - i, &cp);
        if (l == 0)
            return false;
        i += l;
    }
    return true;
}

int
yw_jcs_string(const char *s, size_t n, struct yw_buf *out)
{
    if (!utf8_ok(s, n))
        return YW_EINVAL;
    static const char hex[] = "0123456789abcdef"; /* RFC 8785 §3.2.2.2: lower case */
    yw_buf_addc(out, '"');
    size_t run = 0; /* bytes copied as they are, flushed before each escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u00%c%c", hex[c >> 4], hex[c & 0xf]);
                esc = u;
            }
        }
        if (esc == NULL) {
            run++;
            continue;
        }
        yw_buf_add(out, s + i - run, run);
        run = 0;
        yw_buf_adds(out, esc);
    }
    yw_buf_add(out, s + n - run, run);
    yw_buf_addc(out, '"');
    return 0;
}

/* UTF-16 code units of UTF-8 text, one at a time. */
struct units {
    const unsigned char *p;
    size_t n;
    uint16_t low; /* the low surrogate still to come, or 0 */
};

/* The next unit: 1 with *u, or 0 at the end (or at bytes that are not UTF-8,
 * which callers have ruled out). */
static int
next_unit(struct units *it, uint16_t *u)
{
    if (it->low) {
        *u = it->low;
        it->low = 0;
        return 1;
    }
    uint32_t cp;
    size_t l = utf8_next(it->p, it->n, &cp);
    if (l == 0)
        return 0;
    it->p += l;
    it->n -= l;
    if (cp < 0x10000) {
        *u = (uint16_t)cp;
    } else {
        cp -= 0x10000;
        *u = (uint16_t)(0xd800 | (cp >> 10));
        it->low = (uint16_t)(0xdc00 | (cp & 0x3ff));
    }
    return 1;
}

int
yw_jcs_name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct units x = { (const unsigned char *)a, an, 0 }, y = { (const unsigned char *)b, bn, 0 };
    for (;;) {
        uint16_t ua = 0, ub = 0;
        int ha = next_unit(&x, &ua), hb = next_unit(&y, &ub);
        if (!ha || !hb)
            return ha - hb; /* the shorter one first */
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
}

struct member {
    const char *name;
    size_t len;
    json_t *value;
};

static int
member_cmp(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    return yw_jcs_name_cmp(x->name, x->len, y->name, y->len);
}

/* The path of the value being written, for error messages ("fields.amount"). */
static int
refuse(struct yw_err *err, const struct yw_buf *path, const char *what)
{
    return yw_fail(err, YW_EINVAL, path->n ? path->p : "",
                   "cannot canonicalize (RFC 8785) '%.80s': %s",
                   path->n ? path->p : "(the document)", what);
}

static int put_value(json_t *v, struct yw_buf *out, struct yw_buf *path, int depth,
                     struct yw_err *err);

static int
put_object(json_t *v, struct yw_buf *out, struct yw_buf *path, int depth, struct yw_err *err)
{
    size_t n = json_object_size(v), k = 0;
    struct member *m = n ? yw_xmalloc(n * sizeof *m) : NULL;
    const char *name;
    size_t len;
    json_t *value;
    int rc = 0;
    json_object_keylen_foreach(v, name, len, value)
    {
        if (!utf8_ok(name, len)) {
            rc = refuse(err, path, "a member name is not UTF-8");
            goto out;
        }
        m[k++] = (struct member){ name, len, value };
    }
    if (k > 1)
        qsort(m, k, sizeof *m, member_cmp);
    yw_buf_addc(out, '{');
    for (size_t i = 0; i < k; i++) {
        if (i)
            yw_buf_addc(out, ',');
        yw_jcs_string(m[i].name, m[i].len, out); /* checked above */
        yw_buf_addc(out, ':');
        size_t mark = path->n;
        if (mark)
            yw_buf_addc(path, '.');
        yw_buf_add(path, m[i].name, m[i].len);
        rc = put_value(m[i].value, out, path, depth + 1, err);
        path->n = mark;
        path->p[mark] = '\0';
        if (rc)
            goto out;
    }
    yw_buf_addc(out, '}');
out:
    free(m);
    return rc;
}

static int
put_value(json_t *v, struct yw_buf *out, struct yw_buf *path, int depth, struct yw_err *err)
{
    if (depth > YW_JCS_MAX_DEPTH)
        return refuse(err, path, "nested too deeply");
    switch (json_typeof(v)) {
    case JSON_NULL:
        yw_buf_adds(out, "null");
        return 0;
    case JSON_TRUE:
        yw_buf_adds(out, "true");
        return 0;
    case JSON_FALSE:
        yw_buf_adds(out, "false");
        return 0;
    case JSON_STRING:
        if (yw_jcs_string(json_string_value(v), json_string_length(v), out) != 0)
            return refuse(err, path, "a string is not UTF-8");
        return 0;
    case JSON_INTEGER: {
        /* RFC 8785 §3.2.2.3: an IEEE 754 double in ECMAScript form, which for
         * an integer of magnitude up to 2^53 is its decimal digits */
        json_int_t i = json_integer_value(v);
        if (i > (json_int_t)1 << 53 || i < -((json_int_t)1 << 53))
            return refuse(err, path, "an integer beyond 2^53 is not exact as an IEEE 754 double");
        yw_buf_printf(out, "%" PRId64, (int64_t)i);
        return 0;
    }
    case JSON_REAL:
        return refuse(err, path,
                      "only integers are signed: a number with a fraction or exponent is refused");
    case JSON_ARRAY: {
        yw_buf_addc(out, '[');
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (i)
                yw_buf_addc(out, ',');
            size_t mark = path->n;
            yw_buf_printf(path, "[%zu]", i);
            int rc = put_value(e, out, path, depth + 1, err);
            path->n = mark;
            path->p[mark] = '\0';
            if (rc)
                return rc;
        }
        yw_buf_addc(out, ']');
        return 0;
    }
    case JSON_OBJECT:
        return put_object(v, out, path, depth, err);
    }
    return refuse(err, path, "not a JSON value");
}

int
yw_jcs(json_t *v, struct yw_buf *out, struct yw_err *err)
{
    if (v == NULL)
        return yw_fail(err, YW_EINVAL, "", "cannot canonicalize (RFC 8785) nothing");
    struct yw_buf path;
    yw_buf_init(&path);
    yw_buf_adds(&path, ""); /* p is never NULL below */
    int rc = put_value(v, out, &path, 0, err);
    yw_buf_release(&path);
    return rc;
}
