/*
 * sm2.c - SM2/SM3 signatures, PEM keys and AES-GCM key sealing (see sm2.h).
 */
#include "core/sm2.h"

#include "core/crypto.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

struct yw_sm2_key {
    EVP_PKEY *pkey;
};

int
yw_sm2_generate(struct yw_sm2_key **out)
{
    EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
    if (p == NULL)
        return YW_ECRYPTO;
    *out = yw_xcalloc(1, sizeof **out);
    (*out)->pkey = p;
    return 0;
}

void
yw_sm2_free(struct yw_sm2_key *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

static int
bio_to_buf(BIO *b, struct yw_buf *out)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    if (n <= 0)
        return YW_ECRYPTO;
    yw_buf_add(out, data, (size_t)n);
    return 0;
}

int
yw_sm2_public_pem(const struct yw_sm2_key *k, struct yw_buf *out)
{
    BIO *b = BIO_new(BIO_s_mem());
    int rc = b && PEM_write_bio_PUBKEY(b, k->pkey) ? bio_to_buf(b, out) : YW_ECRYPTO;
    BIO_free(b);
    return rc;
}

int
yw_sm2_private_pem(const struct yw_sm2_key *k, struct yw_buf *out)
{
    BIO *b = BIO_new(BIO_s_mem());
    int rc = b && PEM_write_bio_PrivateKey(b, k->pkey, NULL, NULL, 0, NULL, NULL)
                 ? bio_to_buf(b, out)
                 : YW_ECRYPTO;
    BIO_free(b);
    return rc;
}

int
yw_sm2_load_pem(const char *pem, size_t n, bool private_key, struct yw_sm2_key **out)
{
    BIO *b = BIO_new_mem_buf(pem, (int)n);
    if (b == NULL)
        return YW_ECRYPTO;
    EVP_PKEY *p = private_key ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)
                              : PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
    BIO_free(b);
    if (p == NULL)
        return YW_ECRYPTO;
    if (!EVP_PKEY_is_a(p, "SM2")) {
        EVP_PKEY_free(p);
        return YW_ECRYPTO;
    }
    *out = yw_xcalloc(1, sizeof **out);
    (*out)->pkey = p;
    return 0;
}

int
yw_sm2_key_id(const struct yw_sm2_key *k, char out[17])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k->pkey, &der);
    if (n <= 0)
        return YW_ECRYPTO;
    char hex[65];
    int rc = yw_sm3_hex(der, (size_t)n, hex);
    OPENSSL_free(der);
    if (rc)
        return rc;
    memcpy(out, hex, 16);
    out[16] = '\0';
    return 0;
}

/* A digest context set up for SM2 with SM3 and the GM/T 0009 default ID. */
static EVP_MD_CTX *
sm2_ctx(const struct yw_sm2_key *k, bool sign)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(k->pkey, NULL);
    if (md == NULL || pctx == NULL)
        goto fail;
    if (EVP_PKEY_CTX_set1_id(pctx, YW_SM2_DISTID, (int)strlen(YW_SM2_DISTID)) <= 0)
        goto fail;
    EVP_MD_CTX_set_pkey_ctx(md, pctx);
    if ((sign ? EVP_DigestSignInit(md, NULL, EVP_sm3(), NULL, k->pkey)
              : EVP_DigestVerifyInit(md, NULL, EVP_sm3(), NULL, k->pkey)) != 1) {
        EVP_MD_CTX_free(md);
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return md; /* md does not own pctx: free it with the md (sm2_done) */
fail:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return NULL;
}

static void
sm2_done(EVP_MD_CTX *md)
{
    EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(md);
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
}

int
yw_sm2_sign(const struct yw_sm2_key *k, const void *data, size_t n, struct yw_buf *b64_sig)
{
    EVP_MD_CTX *md = sm2_ctx(k, true);
    if (md == NULL)
        return YW_ECRYPTO;
    unsigned char sig[128];
    size_t sl = sizeof sig;
    int ok = EVP_DigestSign(md, sig, &sl, data, n) == 1;
    sm2_done(md);
    if (!ok)
        return YW_ECRYPTO;
    yw_base64(sig, sl, b64_sig);
    return 0;
}

int
yw_sm2_verify(const struct yw_sm2_key *k, const void *data, size_t n, const char *b64_sig)
{
    struct yw_buf sig;
    yw_buf_init(&sig);
    if (b64_sig == NULL || yw_unbase64(b64_sig, &sig) != 0 || sig.n == 0 || sig.n > 128) {
        yw_buf_release(&sig);
        return YW_ECRYPTO;
    }
    EVP_MD_CTX *md = sm2_ctx(k, false);
    int ok = md && EVP_DigestVerify(md, (const unsigned char *)sig.p, sig.n, data, n) == 1;
    if (md)
        sm2_done(md);
    yw_buf_release(&sig);
    return ok ? 0 : YW_ECRYPTO;
}

void
yw_base64(const void *data, size_t n, struct yw_buf *out)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    yw_buf_grow(out, len);
    sodium_bin2base64(out->p + out->n, len, data, n, sodium_base64_VARIANT_ORIGINAL);
    out->n += strlen(out->p + out->n);
}

int
yw_unbase64(const char *b64, struct yw_buf *out)
{
    size_t in = strlen(b64), bin = 0;
    yw_buf_grow(out, in);
    if (sodium_base642bin((unsigned char *)out->p + out->n, in, b64, in, "\n\r ", &bin, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return YW_EINVAL;
    out->n += bin;
    out->p[out->n] = '\0';
    return 0;
}

int
yw_seal(const unsigned char key[32], const void *plain, size_t n, struct yw_buf *b64_out)
{
    unsigned char *buf = yw_xmalloc(12 + n + 16);
    yw_random(buf, 12);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0, rc = YW_ECRYPTO;
    if (cx && EVP_EncryptInit_ex(cx, EVP_aes_256_gcm(), NULL, key, buf) == 1 &&
        EVP_EncryptUpdate(cx, buf + 12, &len, plain, (int)n) == 1 &&
        EVP_EncryptFinal_ex(cx, buf + 12 + len, &fin) == 1 &&
        EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, 16, buf + 12 + len + fin) == 1) {
        yw_base64(buf, 12 + (size_t)len + (size_t)fin + 16, b64_out);
        rc = 0;
    }
    EVP_CIPHER_CTX_free(cx);
    yw_wipe(buf, 12 + n + 16);
    free(buf);
    return rc;
}

int
yw_unseal(const unsigned char key[32], const char *b64, struct yw_buf *plain_out)
{
    struct yw_buf raw;
    yw_buf_init(&raw);
    int rc = YW_ECRYPTO;
    if (yw_unbase64(b64, &raw) != 0 || raw.n < 28)
        goto out;
    const unsigned char *r = (const unsigned char *)raw.p;
    size_t cn = raw.n - 28;
    yw_buf_grow(plain_out, cn + 16);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    unsigned char tag[16];
    memcpy(tag, r + 12 + cn, 16);
    if (cx && EVP_DecryptInit_ex(cx, EVP_aes_256_gcm(), NULL, key, r) == 1 &&
        EVP_DecryptUpdate(cx, (unsigned char *)plain_out->p + plain_out->n, &len, r + 12,
                          (int)cn) == 1 &&
        EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 &&
        EVP_DecryptFinal_ex(cx, (unsigned char *)plain_out->p + plain_out->n + len, &fin) == 1) {
        plain_out->n += (size_t)len + (size_t)fin;
        plain_out->p[plain_out->n] = '\0';
        rc = 0;
    }
    EVP_CIPHER_CTX_free(cx);
out:
    yw_wipe(raw.p, raw.n);
    yw_buf_release(&raw);
    return rc;
}
