/*
 * utf8.h - strict UTF-8 validation for every text that enters ywtb (query
 * strings, headers, JSON already checked by jansson), so that invalid bytes are
 * refused with a 400 instead of reaching storage.
 */
#ifndef YW_CORE_UTF8_H
#define YW_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF)
 * and contains no NUL byte. */
bool yw_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 text. */
size_t yw_utf8_len(const char *s, size_t n);

#endif
