/*
 * utf8.c - UTF-8 validation per RFC 3629 (see utf8.h).
 */
#include "core/utf8.h"

size_t
yw_utf8_char(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t
yw_utf8_valid_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] - 1u < 0x7Fu) { /* 0x01..0x7F: the common case */
            i++;
            continue;
        }
        size_t k = yw_utf8_char(s + i, n - i);
        if (k == 0)
            break;
        i += k;
    }
    return i;
}

bool
yw_utf8_valid(const char *s, size_t n)
{
    return yw_utf8_valid_prefix(s, n) == n;
}

size_t
yw_utf8_len(const char *str, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)str[i] & 0xC0) != 0x80)
            count++;
    return count;
}

size_t
yw_utf8_prefix(const char *s, size_t n, size_t chars)
{
    size_t i = 0;
    while (i < n && chars > 0) {
        size_t k = yw_utf8_char(s + i, n - i);
        i += k ? k : 1;
        chars--;
    }
    return i;
}

size_t
yw_utf8_clip(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    /* the last character starts at most 3 bytes back: find its lead byte */
    for (size_t back = 1; back <= 4 && back <= n; back++) {
        unsigned c = s[n - back];
        if ((c & 0xC0) == 0x80)
            continue; /* a continuation byte: look further back */
        size_t want = c < 0x80             ? 1
                      : (c & 0xE0) == 0xC0 ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 1;
        /* a lead byte whose character was cut: drop what is left of it */
        return want > back ? n - back : n;
    }
    return n;
}
