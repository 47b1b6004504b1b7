/*
 * crypto.c - SM3, random tokens and Argon2id (see crypto.h).
 */
#include "core/crypto.h"

#include "core/err.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int
yw_crypto_init(void)
{
    return sodium_init() < 0 ? YW_ECRYPTO : 0;
}

/* The two digests, fetched from OpenSSL's default provider once.  With
 * EVP_sm3() / EVP_sha256() every EVP_Digest fetched the algorithm again by
 * name (EVP_MD_fetch: a provider lookup under a lock), half of hashing a
 * session token, which every authenticated request does. */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sm3, *md_sha256;

static void
md_fetch(void)
{
    md_sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
    md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static int
digest(const EVP_MD *fetched, const EVP_MD *legacy, const void *data, size_t n, unsigned char *out,
       unsigned int want)
{
    unsigned int len = 0;
    if (!EVP_Digest(data, n, out, &len, fetched ? fetched : legacy, NULL) || len != want)
        return YW_ECRYPTO;
    return 0;
}

int
yw_sm3(const void *data, size_t n, unsigned char out[YW_SM3_LEN])
{
    pthread_once(&md_once, md_fetch);
    return digest(md_sm3, EVP_sm3(), data, n, out, YW_SM3_LEN);
}

int
yw_sha256(const void *data, size_t n, unsigned char out[32])
{
    pthread_once(&md_once, md_fetch);
    return digest(md_sha256, EVP_sha256(), data, n, out, 32);
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
