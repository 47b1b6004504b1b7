/*
 * mem.h - allocation: aborting malloc wrappers, the request arena, and a
 * growable byte buffer.
 *
 * OOM is not recoverable in a server answering many small requests, so
 * yw_xmalloc() logs and aborts (the h2o/Redis rule) and call sites never test for
 * NULL.  The arena (yw_arena) owns all memory of one request and is freed at
 * once after the response; cleanup hooks on it release non-memory resources
 * (an upload's temporary file, http/multipart.c).
 */
#ifndef YW_CORE_MEM_H
#define YW_CORE_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *yw_xmalloc(size_t n);
void *yw_xcalloc(size_t count, size_t n);
void *yw_xrealloc(void *p, size_t n);
char *yw_xstrdup(const char *s);
char *yw_xstrndup(const char *s, size_t n);
/* Overwrite n bytes so a compiler cannot elide it (for secrets before free). */
void yw_wipe(void *p, size_t n);

/* ---- growable byte buffer; always NUL-terminated after any append ---- */
struct yw_buf {
    char *p;
    size_t n;
    size_t cap;
};
void yw_buf_init(struct yw_buf *b);
void yw_buf_release(struct yw_buf *b);
void yw_buf_reset(struct yw_buf *b);
void yw_buf_grow(struct yw_buf *b, size_t extra);
void yw_buf_add(struct yw_buf *b, const void *p, size_t n);
void yw_buf_adds(struct yw_buf *b, const char *s);
void yw_buf_addc(struct yw_buf *b, char c);
void yw_buf_printf(struct yw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void yw_buf_vprintf(struct yw_buf *b, const char *fmt, va_list ap);
/* Append `s` as XML character data or an attribute value: & < > " ' escaped,
 * control characters XML 1.0 does not allow (all below 0x20 but tab, line
 * feed and carriage return) dropped.  NULL appends nothing. */
void yw_buf_add_xml(struct yw_buf *b, const char *s);
/* Append `s` as a JSON string literal, quotes included. */
void yw_buf_add_json_str(struct yw_buf *b, const char *s, size_t n);
/* Write the decimal digits of v at p (at most 20, no NUL); returns the end. */
char *yw_put_u64(char *p, uint64_t v);

/* ---- arena: bump allocator freed all at once ---- */
struct yw_arena_chunk;
struct yw_arena_hook;
struct yw_arena {
    struct yw_arena_chunk *head;
    struct yw_arena_hook *hooks;
    size_t chunk_size;
};
void yw_arena_init(struct yw_arena *a, size_t chunk_size);
/* Free every allocation and run the cleanup hooks (last registered first). */
void yw_arena_release(struct yw_arena *a);
void *yw_arena_alloc(struct yw_arena *a, size_t n); /* 16-byte aligned, never NULL */
void *yw_arena_zalloc(struct yw_arena *a, size_t n);
char *yw_arena_strdup(struct yw_arena *a, const char *s);
char *yw_arena_strndup(struct yw_arena *a, const char *s, size_t n);
char *yw_arena_printf(struct yw_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Run fn(data) when the arena is released. */
void yw_arena_on_release(struct yw_arena *a, void (*fn)(void *), void *data);

#endif
