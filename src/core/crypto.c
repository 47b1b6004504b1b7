/*
 * crypto.c - SM3, random tokens and Argon2id (see crypto.h).
 */
#include "core/crypto.h"

#include "core/err.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int
yw_crypto_init(void)
{
    return sodium_init() < 0 ? YW_ECRYPTO : 0;
}

int
yw_sm3(const void *data, size_t n, unsigned char out[YW_SM3_LEN])
{
    unsigned int len = 0;
    if (!EVP_Digest(data, n, out, &len, EVP_sm3(), NULL) || len != YW_SM3_LEN)
        return YW_ECRYPTO;
    return 0;
}

int
yw_sha256(const void *data, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    if (!EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) || len != 32)
        return YW_ECRYPTO;
    return 0;
}

void
yw_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hexd[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexd[in[i] >> 4];
        out[2 * i + 1] = hexd[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int
yw_sm3_hex(const void *data, size_t n, char out[2 * YW_SM3_LEN + 1])
{
    unsigned char d[YW_SM3_LEN];
    int rc = yw_sm3(data, n, d);
    if (rc == 0)
        yw_hex(d, sizeof d, out);
    return rc;
}

void
yw_random(void *buf, size_t n)
{
    randombytes_buf(buf, n);
}

void
yw_random_token(size_t bytes, char *out, size_t outsz)
{
    unsigned char raw[128];
    if (bytes > sizeof raw)
        bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2base64(out, outsz, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

int
yw_password_hash(const char *password, size_t n, unsigned long long ops, size_t mem, char out[128])
{
    if (crypto_pwhash_str_alg(out, password, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return YW_ECRYPTO;
    return 0;
}

bool
yw_password_verify(const char *encoded, const char *password, size_t n)
{
    return crypto_pwhash_str_verify(encoded, password, n) == 0;
}

bool
yw_password_needs_rehash(const char *encoded, unsigned long long ops, size_t mem)
{
    return crypto_pwhash_str_needs_rehash(encoded, ops, mem) != 0;
}

bool
yw_ct_equal(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
