/*
 * crypto.h - thin wrappers over OpenSSL and libsodium for what ywtb needs:
 * SM3 digests (GB/T 32905, the audit chain and license documents), random
 * tokens, Argon2id password hashes and constant-time comparison.
 *
 * Call yw_crypto_init() once at start (it initialises libsodium).
 */
#ifndef YW_CORE_CRYPTO_H
#define YW_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YW_SM3_LEN 32

int yw_crypto_init(void);

/* SM3 of data; out gets 32 bytes.  Returns 0 or YW_ECRYPTO. */
int yw_sm3(const void *data, size_t n, unsigned char out[YW_SM3_LEN]);
/* SHA-256 of data (uploaded files are named by it). */
int yw_sha256(const void *data, size_t n, unsigned char out[32]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void yw_hex(const unsigned char *in, size_t n, char *out);
/* SM3 as 64 lower-case hex characters plus NUL. */
int yw_sm3_hex(const void *data, size_t n, char out[2 * YW_SM3_LEN + 1]);

/* n cryptographically random bytes. */
void yw_random(void *buf, size_t n);
/* A random token of `bytes` bytes as URL-safe base64 without padding into out
 * (at least 4*bytes/3+3 characters). */
void yw_random_token(size_t bytes, char *out, size_t outsz);

/* Argon2id password hashing (libsodium's encoded string form, which carries its
 * parameters so they can be raised later).  `ops` and `mem` are the cost
 * parameters; the defaults are in config.  Returns 0, YW_ECRYPTO on failure. */
int yw_password_hash(const char *password, size_t n, unsigned long long ops, size_t mem,
                     char out[128]);
/* True when the password matches the encoded hash. */
bool yw_password_verify(const char *encoded, const char *password, size_t n);
/* True when the encoded hash used weaker parameters than ops/mem. */
bool yw_password_needs_rehash(const char *encoded, unsigned long long ops, size_t mem);

/* Constant-time equality of two buffers of the same length. */
bool yw_ct_equal(const void *a, const void *b, size_t n);

#endif
