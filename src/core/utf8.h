/*
 * utf8.h - strict UTF-8 validation for every text that enters ywtb (query
 * strings, path parameters, headers, JSON already checked by jansson), so that
 * invalid bytes are refused with a 400 instead of reaching storage; and the
 * character-wise cutting and repair that keep every text ywtb writes (error
 * messages, JSON bodies, log lines) valid UTF-8 whatever came in.
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

/* Length in bytes of the well-formed character at s[0..n) (1 to 4), or 0
 * when s starts with a byte that does not begin one (a stray continuation
 * byte, an overlong form, a surrogate, a sequence cut short) or with NUL. */
size_t yw_utf8_char(const char *s, size_t n);
/* Bytes of the longest prefix of s[0..n) that is valid (yw_utf8_valid). */
size_t yw_utf8_valid_prefix(const char *s, size_t n);
/* Bytes taken by the first `chars` characters of s[0..n): a character is a
 * well-formed sequence or, where there is none, a single byte, so the cut
 * never falls inside a well-formed character. */
size_t yw_utf8_prefix(const char *s, size_t n, size_t chars);
/* s[0..n) cut at a byte budget: the largest m <= n such that s[0..m) does not
 * end inside a well-formed character (what a byte-wise truncation must keep). */
size_t yw_utf8_clip(const char *s, size_t n);

#endif
