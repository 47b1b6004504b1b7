/*
 * mem.c - aborting allocators, yw_buf and the request arena (see mem.h).
 */
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(size_t n)
{
    fprintf(
        stderr,
        "{\"level\":\"fatal\",\"module\":\"core\",\"msg\":\"out of memory allocating %zu bytes\"}\n",
        n);
    abort();
}

void *
yw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        oom(n);
    return p;
}

void *
yw_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (p == NULL)
        oom(count * n);
    return p;
}

void *
yw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        oom(n);
    return q;
}

char *
yw_xstrdup(const char *s)
{
    return yw_xstrndup(s, strlen(s));
}

char *
yw_xstrndup(const char *s, size_t n)
{
    char *p = yw_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void
yw_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

/* ---- yw_buf ---- */

void
yw_buf_init(struct yw_buf *b)
{
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
}

void
yw_buf_release(struct yw_buf *b)
{
    free(b->p);
    yw_buf_init(b);
}

void
yw_buf_reset(struct yw_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

void
yw_buf_grow(struct yw_buf *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1)
        cap *= 2;
    b->p = yw_xrealloc(b->p, cap);
    b->cap = cap;
}

void
yw_buf_add(struct yw_buf *b, const void *p, size_t n)
{
    yw_buf_grow(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void
yw_buf_adds(struct yw_buf *b, const char *s)
{
    yw_buf_add(b, s, strlen(s));
}

void
yw_buf_add_xml(struct yw_buf *b, const char *s)
{
    for (; s && *s; s++) {
        const char *esc = NULL;
        switch (*s) {
        case '&':
            esc = "&amp;";
            break;
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\'':
            esc = "&apos;";
            break;
        default:
            break;
        }
        if (esc)
            yw_buf_adds(b, esc);
        else if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
            yw_buf_add(b, s, 1);
    }
}

void
yw_buf_addc(struct yw_buf *b, char c)
{
    yw_buf_add(b, &c, 1);
}

void
yw_buf_vprintf(struct yw_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    yw_buf_grow(b, (size_t)n);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
}

void
yw_buf_printf(struct yw_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    yw_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

#define JSON_ONES  0x0101010101010101ULL
#define JSON_HIGHS 0x8080808080808080ULL
/* Non-zero when one of the 8 bytes of x may be below 0x20, '"' or '\\' (a
 * byte of a UTF-8 sequence, >= 0x80, never is; a false hit only sends the
 * scan to its byte-by-byte check). */
static inline uint64_t
json_hit8(uint64_t x)
{
    uint64_t q = x ^ (JSON_ONES * '"'), bs = x ^ (JSON_ONES * '\\');
    return ((x - JSON_ONES * 0x20) & ~x & JSON_HIGHS) | ((q - JSON_ONES) & ~q & JSON_HIGHS) |
           ((bs - JSON_ONES) & ~bs & JSON_HIGHS);
}

/* The first byte of s[0..n) that JSON escapes, or s + n: eight bytes at a
 * time (a byte at a time was most of writing an Open311 page). */
static const unsigned char *
json_scan(const unsigned char *s, size_t n)
{
    const unsigned char *p = s, *end = s + n;
    for (; end - p >= 8; p += 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        if (json_hit8(x))
            break;
    }
    while (p < end && *p >= 0x20 && *p != '"' && *p != '\\')
        p++;
    return p;
}

char *
yw_put_u64(char *p, uint64_t v)
{
    char d[20];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = d[--n];
    return p;
}

void
yw_buf_add_json_str(struct yw_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    yw_buf_grow(b, n + 2);
    yw_buf_addc(b, '"');
    /* runs of bytes that need no escape are copied at once (hot in JSON lists) */
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    for (;;) {
        const unsigned char *q = json_scan(p, (size_t)(end - p));
        yw_buf_add(b, p, (size_t)(q - p));
        if (q == end)
            break;
        switch (*q) {
        case '"':
            yw_buf_add(b, "\\\"", 2);
            break;
        case '\\':
            yw_buf_add(b, "\\\\", 2);
            break;
        case '\n':
            yw_buf_add(b, "\\n", 2);
            break;
        case '\r':
            yw_buf_add(b, "\\r", 2);
            break;
        case '\t':
            yw_buf_add(b, "\\t", 2);
            break;
        default: {
            char u[6] = { '\\', 'u', '0', '0', hex[*q >> 4], hex[*q & 15] };
            yw_buf_add(b, u, 6);
        }
        }
        p = q + 1;
    }
    yw_buf_addc(b, '"');
}

/* ---- arena ---- */

struct yw_arena_chunk {
    struct yw_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

struct yw_arena_hook {
    struct yw_arena_hook *next;
    void (*fn)(void *);
    void *data;
};

void
yw_arena_init(struct yw_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->hooks = NULL;
    a->chunk_size = chunk_size ? chunk_size : 4096;
}

void
yw_arena_release(struct yw_arena *a)
{
    while (a->hooks) {
        struct yw_arena_hook *h = a->hooks;
        a->hooks = h->next;
        h->fn(h->data); /* the hook itself lives in a chunk: freed below */
    }
    while (a->head) {
        struct yw_arena_chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
}

void *
yw_arena_alloc(struct yw_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct yw_arena_chunk *c = a->head;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > a->chunk_size ? n : a->chunk_size;
        c = yw_xmalloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void *
yw_arena_zalloc(struct yw_arena *a, size_t n)
{
    void *p = yw_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *
yw_arena_strndup(struct yw_arena *a, const char *s, size_t n)
{
    char *p = yw_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
yw_arena_strdup(struct yw_arena *a, const char *s)
{
    return yw_arena_strndup(a, s, strlen(s));
}

char *
yw_arena_printf(struct yw_arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        n = 0;
    char *p = yw_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void
yw_arena_on_release(struct yw_arena *a, void (*fn)(void *), void *data)
{
    struct yw_arena_hook *h = yw_arena_alloc(a, sizeof *h);
    h->fn = fn;
    h->data = data;
    h->next = a->hooks;
    a->hooks = h;
}
