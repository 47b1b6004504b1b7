/*
 * rsa.c - RSA signatures for gateways that sign with RSA instead of SM2
 * (pay_gateway_sign = rsa): RSA-SHA256, PKCS#1 v1.5, over the same bytes as
 * SM2 - the RFC 8785 canonical JSON of the document without "sign" - with
 * sign_type "RSA2" and the signature base64-encoded, as the payment platforms
 * that use RSA name it.  OpenSSL's EVP interface; the simulator signs with
 * these functions too (tools/paysim --sign rsa).
 */
#include "payments/internal.h"

#include "core/jcs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <string.h>

EVP_PKEY *
yw_pay__rsa_load_public(const char *pem, size_t n)
{
    BIO *b = BIO_new_mem_buf(pem, (int)n);
    EVP_PKEY *k = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (k && EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
        EVP_PKEY_free(k);
        k = NULL;
    }
    return k;
}

EVP_PKEY *
yw_pay__rsa_generate(struct yw_buf *public_pem)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    if (k == NULL)
        return NULL;
    BIO *b = BIO_new(BIO_s_mem());
    char *p = NULL;
    if (b && PEM_write_bio_PUBKEY(b, k)) {
        long len = BIO_get_mem_data(b, &p);
        yw_buf_add(public_pem, p, (size_t)len);
    }
    BIO_free(b);
    return k;
}

/* The bytes a signature covers: the document without "sign". */
static int
signed_bytes(json_t *doc, struct yw_buf *out)
{
    json_t *copy = json_deep_copy(doc);
    json_object_del(copy, "sign");
    int rc = yw_jcs(copy, out, NULL);
    json_decref(copy);
    return rc;
}

int
yw_pay__rsa_sign(EVP_PKEY *key, json_t *doc)
{
    json_object_del(doc, "sign");
    json_object_set_new(doc, "sign_type", json_string("RSA2"));
    struct yw_buf b, sig;
    yw_buf_init(&b);
    yw_buf_init(&sig);
    int rc = signed_bytes(doc, &b);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char raw[1024];
    size_t rawn = sizeof raw;
    if (rc == 0 && (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
                    EVP_DigestSign(ctx, raw, &rawn, (const unsigned char *)b.p, b.n) != 1))
        rc = YW_ECRYPTO;
    if (rc == 0) {
        yw_base64(raw, rawn, &sig);
        json_object_set_new(doc, "sign", json_stringn(sig.p, sig.n));
    }
    EVP_MD_CTX_free(ctx);
    yw_buf_release(&b);
    yw_buf_release(&sig);
    return rc;
}

int
yw_pay__rsa_verify(EVP_PKEY *key, json_t *doc, struct yw_err *err)
{
    const char *sig = json_string_value(json_object_get(doc, "sign"));
    const char *type = json_string_value(json_object_get(doc, "sign_type"));
    if (sig == NULL || !sig[0])
        return yw_fail(err, YW_EPAYSIG, "sign", "the notification is not signed");
    if (type == NULL || strcmp(type, "RSA2") != 0)
        return yw_fail(err, YW_EPAYSIG, "sign_type", "sign_type must be RSA2");
    struct yw_buf b, raw;
    yw_buf_init(&b);
    yw_buf_init(&raw);
    int rc = signed_bytes(doc, &b);
    if (rc == 0)
        rc = yw_unbase64(sig, &raw);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (rc == 0 && (EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
                    EVP_DigestVerify(ctx, (const unsigned char *)raw.p, raw.n,
                                     (const unsigned char *)b.p, b.n) != 1))
        rc = YW_ECRYPTO;
    EVP_MD_CTX_free(ctx);
    yw_buf_release(&b);
    yw_buf_release(&raw);
    if (rc)
        return yw_fail(err, YW_EPAYSIG, "sign",
                       "the signature does not verify with the gateway's public key");
    return 0;
}
