/*
 * err.c - lookups over the error table in err.h, the yw_fail() helper and its
 * formatting, which counts characters, not bytes, so an error message is valid
 * UTF-8 whatever text it quotes.
 */
#include "core/err.h"

#include "core/utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

const char *
yw_strerror(int rc)
{
    switch (rc) {
    case YW_OK:
        return "ok";
#define YW_ERR_MSG(name, val, http, code, msg)                                                     \
    case val:                                                                                      \
        return msg;
        YW_ERRORS(YW_ERR_MSG)
#undef YW_ERR_MSG
    }
    return "unknown error";
}

const char *
yw_errcode(int rc)
{
    switch (rc) {
    case YW_OK:
        return "ok";
#define YW_ERR_CODE(name, val, http, code, msg)                                                    \
    case val:                                                                                      \
        return code;
        YW_ERRORS(YW_ERR_CODE)
#undef YW_ERR_CODE
    }
    return "internal_error";
}

int
yw_errhttp(int rc)
{
    switch (rc) {
    case YW_OK:
        return 200;
#define YW_ERR_HTTP(name, val, http, code, msg)                                                    \
    case val:                                                                                      \
        return http;
        YW_ERRORS(YW_ERR_HTTP)
#undef YW_ERR_HTTP
    }
    return 500;
}

/* ---- formatting that counts characters ---- */

/* Where a message is written: never past cap - 1 bytes, always terminated,
 * never cut inside a character. */
struct out {
    char *buf;
    size_t cap, len;
    bool full;
};

static void
put(struct out *o, const char *s, size_t n)
{
    if (o->full || n == 0)
        return;
    size_t room = o->cap - 1 - o->len;
    if (n > room) {
        n = yw_utf8_clip(s, room);
        o->full = true;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void
pad(struct out *o, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        put(o, spaces, (size_t)k);
        n -= k;
    }
}

/* The decimal number at *d (advanced past it), at most 4000: a width or
 * precision beyond any message. */
static int
number(const char **d)
{
    int v = 0;
    for (; **d >= '0' && **d <= '9'; (*d)++)
        if (v < 4000)
            v = v * 10 + (**d - '0');
    return v < 4000 ? v : 4000;
}

enum lenmod {
    LM_NONE,
    LM_HH,
    LM_H,
    LM_L,
    LM_LL,
    LM_J,
    LM_Z,
    LM_T,
    LM_BIG_L
};

/* One %s: `prec` characters at most (or, from `%.*s`, bytes - see err.h),
 * padded to `width` characters. */
static void
put_str(struct out *o, const char *s, int width, int prec, bool prec_is_bytes, bool left)
{
    if (s == NULL)
        s = "(null)";
    size_t n;
    if (prec < 0)
        n = strlen(s);
    else if (prec_is_bytes)
        n = yw_utf8_clip(s, strnlen(s, (size_t)prec));
    else
        n = yw_utf8_prefix(s, strlen(s), (size_t)prec);
    int chars = width > 0 ? (int)yw_utf8_len(s, n) : 0;
    if (!left)
        pad(o, width - chars);
    put(o, s, n);
    if (left)
        pad(o, width - chars);
}

/* vsnprintf, but a precision on %s counts characters and the output is never
 * cut inside a character (see yw_fail in err.h).  Every other directive is
 * formatted by snprintf itself, one at a time. */
static void
format(struct out *o, const char *fmt, va_list ap)
{
    const char *p = fmt;
    while (*p && !o->full) {
        const char *q = strchr(p, '%');
        if (q == NULL) {
            put(o, p, strlen(p));
            break;
        }
        put(o, p, (size_t)(q - p));
        const char *d = q + 1;
        char flags[8];
        size_t nf = 0;
        bool left = false;
        while (*d && strchr("-+ #0'", *d)) {
            if (*d == '-')
                left = true;
            if (nf < sizeof flags - 1)
                flags[nf++] = *d;
            d++;
        }
        flags[nf] = '\0';
        int width = -1, prec = -1;
        bool prec_is_bytes = false;
        if (*d == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = true;
                width = -width;
            }
            d++;
        } else if (*d >= '0' && *d <= '9') {
            width = number(&d);
        }
        if (*d == '.') {
            d++;
            prec = 0;
            if (*d == '*') {
                prec = va_arg(ap, int); /* negative: as if omitted */
                prec_is_bytes = true;
                d++;
            } else {
                prec = number(&d);
            }
        }
        enum lenmod lm = LM_NONE;
        const char *lstart = d;
        switch (*d) {
        case 'h':
            lm = d[1] == 'h' ? LM_HH : LM_H;
            d += d[1] == 'h' ? 2 : 1;
            break;
        case 'l':
            lm = d[1] == 'l' ? LM_LL : LM_L;
            d += d[1] == 'l' ? 2 : 1;
            break;
        case 'j':
            lm = LM_J;
            d++;
            break;
        case 'z':
            lm = LM_Z;
            d++;
            break;
        case 't':
            lm = LM_T;
            d++;
            break;
        case 'L':
            lm = LM_BIG_L;
            d++;
            break;
        default:
            break;
        }
        char conv = *d;
        if (conv == '\0') {
            put(o, q, strlen(q)); /* a lone '%' at the end: as written */
            break;
        }
        p = d + 1;
        if (conv == '%') {
            put(o, "%", 1);
            continue;
        }
        if (conv == 's') {
            put_str(o, va_arg(ap, const char *), width, prec, prec_is_bytes, left);
            continue;
        }
        /* the directive again, with * resolved, for snprintf */
        char spec[40];
        int sn = snprintf(spec, sizeof spec, "%%%s", flags);
        if (width >= 0)
            sn += snprintf(spec + sn, sizeof spec - (size_t)sn, "%d", width);
        if (prec >= 0)
            sn += snprintf(spec + sn, sizeof spec - (size_t)sn, ".%d", prec);
        sn += snprintf(spec + sn, sizeof spec - (size_t)sn, "%.*s%c", (int)(d - lstart), lstart,
                       conv);
        char tmp[4096 + 64];
        int w = -1;
        switch (conv) {
        case 'd':
        case 'i':
            switch (lm) {
            case LM_L:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
                break;
            case LM_LL:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, long long));
                break;
            case LM_J:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, intmax_t));
                break;
            case LM_Z:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, ssize_t));
                break;
            case LM_T:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, ptrdiff_t));
                break;
            default:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
                break;
            }
            break;
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            switch (lm) {
            case LM_L:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned long));
                break;
            case LM_LL:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned long long));
                break;
            case LM_J:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, uintmax_t));
                break;
            case LM_Z:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
                break;
            case LM_T:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, ptrdiff_t));
                break;
            default:
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned));
                break;
            }
            break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
            if (lm == LM_BIG_L)
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, long double));
            else
                w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, double));
            break;
        case 'c':
            w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
            break;
        case 'p':
            w = snprintf(tmp, sizeof tmp, spec, va_arg(ap, void *));
            break;
        case 'n':
            (void)va_arg(ap, void *);
            break; /* never written through */
        default:
            put(o, q, (size_t)(p - q));
            break; /* unknown: as written */
        }
        if (w > 0)
            put(o, tmp, (size_t)w < sizeof tmp ? (size_t)w : sizeof tmp - 1);
    }
}

size_t
yw_err_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = yw_err_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

size_t
yw_err_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    if (size == 0)
        return 0;
    struct out o = { buf, size, 0, false };
    buf[0] = '\0';
    if (fmt) {
        va_list aq;
        va_copy(aq, ap);
        format(&o, fmt, aq);
        va_end(aq);
    }
    return o.len;
}

int
yw_fail(struct yw_err *err, int rc, const char *field, const char *fmt, ...)
{
    if (err == NULL)
        return rc;
    yw_err_format(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    yw_err_vformat(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}
