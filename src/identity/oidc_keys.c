/*
 * oidc_keys.c - the provider's signing keys and its JSON Web Signatures: ID
 * tokens signed ES256 (ECDSA P-256 with SHA-256, RFC 7518 3.4) by default, or
 * SM2 with SM3 for a client registered with id_token_alg "SM2SM3" - for
 * systems that must use the national algorithms.  JOSE has no registered
 * name for SM2; "SM2SM3" is ywtb's, documented in ARCHITECTURE.md: the
 * signature is r || s (32 bytes each, as ES256), made with the GM/T 0009
 * default distinguishing ID, and the key is published as
 * {"kty":"EC","crv":"SM2","x","y"}.
 *
 * Keys: one active key per algorithm in oidc_keys, made the first time it is
 * needed; the private key is sealed (AES-256-GCM, core/sm2.h yw_seal) under
 * the server's secret key - the same secret_key / secret_key_file the
 * license keys use, so every node needs the same one.  Rotation
 * (`ywtb oidc keys rotate`, POST /api/v1/admin/oidc/keys/rotate; audited
 * oidc.key_rotate) makes a new key the active one and retires the old one:
 * it signs nothing more but stays in the JWKS until published_until - the
 * moment the last ID token it can have signed expires: the rotation's time,
 * plus the minute a node may go on signing with the key it keeps in memory
 * (KEY_CACHE_MS), plus the longest ID token lifetime of any client (an ID
 * token lives access_token_ttl), plus a minute of clock skew - and then
 * drops out of it ("retired").  A relying party that cached the old JWKS
 * fetches it again when it meets the new kid (what every certified library
 * does), and one that verifies an older token still finds its key.
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/sm2.h"
#include "db/audit.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CACHE_MS 60000
#define KEY_SKEW_MS  60000 /* relying parties' clocks may be this far behind */

/* ---- base64url ---- */

void
yw_ident__b64url(const void *data, size_t n, struct yw_buf *out)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_base64(data, n, &b);
    for (size_t i = 0; i < b.n; i++) {
        char ch = b.p[i];
        if (ch == '=')
            break;
        yw_buf_addc(out, ch == '+' ? '-' : ch == '/' ? '_' : ch);
    }
    yw_buf_release(&b);
}

int
yw_ident__unb64url(const char *s, size_t n, struct yw_buf *out)
{
    struct yw_buf b;
    yw_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '+' || ch == '/' || ch == '=') {
            yw_buf_release(&b);
            return YW_EINVAL;
        }
        yw_buf_addc(&b, ch == '-' ? '+' : ch == '_' ? '/' : ch);
    }
    while (b.n % 4)
        yw_buf_addc(&b, '=');
    yw_buf_addc(&b, '\0');
    int rc = yw_unbase64(b.p, out);
    yw_buf_release(&b);
    return rc;
}

/* ---- the secret that seals private keys (core/secret.h) ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char secret[32];
static bool have_secret;

/* The module's sealed_keys hook (http.h): the OpenID provider's signing keys. */
int
yw_ident__sealed_keys(struct yw_dbc *c, const char **what)
{
    int rc = yw_db_exists(c, "SELECT 1 FROM oidc_keys LIMIT 1", "");
    if (rc == 0)
        *what = "OpenID Connect";
    return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Loads the secret once (yw_app_secret: a missing key file is made only when
 * no module holds keys sealed under a secret). */
static int
load_secret(struct yw_app *app, struct yw_err *err)
{
    if (have_secret)
        return 0;
    int rc = yw_app_secret(app, "identity", NULL, secret, err);
    have_secret = rc == 0;
    return rc;
}

int
yw_ident__secret_derive(struct yw_app *app, const char *label, unsigned char out[32],
                        struct yw_err *err)
{
    pthread_mutex_lock(&mu);
    int rc = load_secret(app, err);
    unsigned int n = 0;
    if (rc == 0 && HMAC(EVP_sha256(), secret, sizeof secret, (const unsigned char *)label,
                        strlen(label), out, &n) == NULL)
        rc = yw_fail(err, YW_ECRYPTO, "", "cannot derive a key from the secret key");
    pthread_mutex_unlock(&mu);
    return rc;
}

/* ---- keys ---- */

static bool
is_sm2(const char *alg)
{
    return !strcmp(alg, YW_IDENT_ALG_SM2);
}

static EVP_PKEY *
pem_private(const char *pem, size_t n)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)n);
    EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    return k;
}

/* x and y of an EC public key as base64url into the JWK. */
static int
jwk_of(EVP_PKEY *k, const char *crv, const char *kid, const char *alg, json_t **out)
{
    BIGNUM *x = NULL, *y = NULL;
    if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
        !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) {
        BN_free(x);
        BN_free(y);
        return YW_ECRYPTO;
    }
    unsigned char xb[32], yb[32];
    BN_bn2binpad(x, xb, 32);
    BN_bn2binpad(y, yb, 32);
    BN_free(x);
    BN_free(y);
    struct yw_buf bx, by;
    yw_buf_init(&bx);
    yw_buf_init(&by);
    yw_ident__b64url(xb, 32, &bx);
    yw_ident__b64url(yb, 32, &by);
    yw_buf_addc(&bx, '\0');
    yw_buf_addc(&by, '\0');
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", crv, "x", bx.p, "y",
                     by.p, "kid", kid, "use", "sig", "alg", alg);
    yw_buf_release(&bx);
    yw_buf_release(&by);
    return *out ? 0 : YW_ECRYPTO;
}

/* A new key of alg: its kid, sealed private PEM and public JWK text. */
static int
make_key(const char *alg, char kid[17], struct yw_buf *sealed, char **jwk_text)
{
    EVP_PKEY *k = NULL;
    struct yw_sm2_key *sk = NULL;
    struct yw_buf pem;
    yw_buf_init(&pem);
    int rc = YW_ECRYPTO;
    if (is_sm2(alg)) {
        if (yw_sm2_generate(&sk) || yw_sm2_private_pem(sk, &pem) || yw_sm2_key_id(sk, kid))
            goto out;
        k = pem_private(pem.p, pem.n);
    } else {
        k = EVP_EC_gen("P-256");
        if (k == NULL)
            goto out;
        BIO *bio = BIO_new(BIO_s_mem());
        if (!bio || !PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL)) {
            BIO_free(bio);
            goto out;
        }
        char *p;
        long n = BIO_get_mem_data(bio, &p);
        yw_buf_add(&pem, p, (size_t)n);
        BIO_free(bio);
        unsigned char *der = NULL;
        int dn = i2d_PUBKEY(k, &der);
        unsigned char h[32];
        if (dn <= 0 || yw_sha256(der, (size_t)dn, h)) {
            OPENSSL_free(der);
            goto out;
        }
        OPENSSL_free(der);
        char hex[65];
        yw_hex(h, 32, hex);
        memcpy(kid, hex, 16);
        kid[16] = '\0';
    }
    if (k == NULL)
        goto out;
    json_t *jwk = NULL;
    if (jwk_of(k, is_sm2(alg) ? "SM2" : "P-256", kid, alg, &jwk))
        goto out;
    *jwk_text = json_dumps(jwk, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(jwk);
    rc = yw_seal(secret, pem.p, pem.n, sealed);
out:
    yw_wipe(pem.p, pem.n);
    yw_buf_release(&pem);
    EVP_PKEY_free(k);
    yw_sm2_free(sk);
    return rc;
}

static void
forget_after(int64_t unused)
{
    (void)unused;
    yw_ident__keys_forget();
}

/* Insert a new active key of alg (inside the caller's write transaction);
 * the JWKS this node keeps is forgotten once the transaction ends. */
static int
insert_key(struct yw_dbc *c, const char *alg, char kid[17], EVP_PKEY **priv)
{
    struct yw_buf sealed;
    yw_buf_init(&sealed);
    char *jwk = NULL;
    int rc = make_key(alg, kid, &sealed, &jwk);
    if (rc == 0) {
        char now[32];
        yw_clock_format(yw_clock_now_ms(), now);
        yw_buf_addc(&sealed, '\0');
        rc = yw_db_run(c,
                       "INSERT INTO oidc_keys (kid, alg, private_sealed, public_jwk, created_at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       "sssss", kid, alg, sealed.p, jwk, now);
        if (rc == 0)
            yw_db_after_tx(c, forget_after, 0);
    }
    if (rc == 0 && priv) {
        struct yw_buf pem;
        yw_buf_init(&pem);
        rc = yw_unseal(secret, sealed.p, &pem);
        *priv = rc ? NULL : pem_private(pem.p, pem.n);
        if (pem.p)
            yw_wipe(pem.p, pem.n);
        yw_buf_release(&pem);
        if (*priv == NULL)
            rc = YW_ECRYPTO;
    }
    free(jwk);
    yw_buf_release(&sealed);
    return rc;
}

static struct {
    char kid[17];
    EVP_PKEY *key;
    int64_t loaded_ms;
} cache[2]; /* [0] ES256, [1] SM2SM3 */

/* The active signing key of alg (a new reference the caller frees), made
 * when there is none (c must then be in a write transaction). */
static int
signing_key(struct yw_app *app, struct yw_dbc *c, const char *alg, char kid[17], EVP_PKEY **out,
            bool may_make, struct yw_err *err)
{
    int slot = is_sm2(alg) ? 1 : 0;
    int64_t now = yw_clock_real_ms();
    pthread_mutex_lock(&mu);
    int rc = load_secret(app, err);
    if (rc == 0 && cache[slot].key && now - cache[slot].loaded_ms < KEY_CACHE_MS) {
        memcpy(kid, cache[slot].kid, 17);
        EVP_PKEY_up_ref(cache[slot].key);
        *out = cache[slot].key;
        pthread_mutex_unlock(&mu);
        return 0;
    }
    pthread_mutex_unlock(&mu);
    if (rc)
        return rc;
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s,
                       "SELECT kid, private_sealed FROM oidc_keys WHERE alg = ? AND retired_at IS "
                       "NULL ORDER BY created_at DESC, kid LIMIT 1",
                       "s", alg);
    if (rc == YW_ENOTFOUND && !may_make)
        return rc;
    if (rc == YW_ENOTFOUND) {
        /* made now, used now, cached only once it is committed and read back */
        rc = insert_key(c, alg, kid, out);
        return rc ? yw_fail(err, rc, "", "cannot make a signing key") : 0;
    }
    if (rc)
        return rc;
    snprintf(kid, 17, "%s", yw_db_col_text(s, 0));
    struct yw_buf pem;
    yw_buf_init(&pem);
    rc = yw_unseal(secret, yw_db_col_text(s, 1), &pem);
    yw_db_reset(s);
    EVP_PKEY *k = rc ? NULL : pem_private(pem.p, pem.n);
    if (pem.p)
        yw_wipe(pem.p, pem.n);
    yw_buf_release(&pem);
    if (k == NULL)
        return yw_fail(err, YW_ECRYPTO, "secret_key",
                       "the signing key cannot be opened (is the secret key the one it was "
                       "sealed with?)");
    pthread_mutex_lock(&mu);
    EVP_PKEY_free(cache[slot].key);
    cache[slot].key = k;
    EVP_PKEY_up_ref(k);
    memcpy(cache[slot].kid, kid, 17);
    cache[slot].loaded_ms = now;
    pthread_mutex_unlock(&mu);
    *out = k;
    return 0;
}

void
yw_ident__keys_forget(void)
{
    yw_ident__discovery_forget();
    pthread_mutex_lock(&mu);
    for (int i = 0; i < 2; i++) {
        EVP_PKEY_free(cache[i].key);
        cache[i].key = NULL;
    }
    pthread_mutex_unlock(&mu);
}

/* DER ECDSA signature <-> r || s (32 bytes each). */
static int
der_to_raw(const unsigned char *der, size_t n, unsigned char raw[64])
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)n);
    if (sig == NULL)
        return YW_ECRYPTO;
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
    ECDSA_SIG_free(sig);
    return ok ? 0 : YW_ECRYPTO;
}

static int
raw_to_der(const unsigned char raw[64], unsigned char **der, int *n)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return YW_ECRYPTO;
    }
    *der = NULL;
    *n = i2d_ECDSA_SIG(sig, der);
    ECDSA_SIG_free(sig);
    return *n > 0 ? 0 : YW_ECRYPTO;
}

static int
evp_sign(EVP_PKEY *k, bool sm2, const void *data, size_t n, unsigned char raw[64])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char der[128];
    size_t dn = sizeof der;
    int rc = YW_ECRYPTO;
    if (md == NULL)
        return rc;
    if (sm2) {
        pctx = EVP_PKEY_CTX_new(k, NULL);
        if (!pctx || EVP_PKEY_CTX_set1_id(pctx, YW_SM2_DISTID, strlen(YW_SM2_DISTID)) <= 0)
            goto out;
        EVP_MD_CTX_set_pkey_ctx(md, pctx);
    }
    if (EVP_DigestSignInit(md, NULL, sm2 ? EVP_sm3() : EVP_sha256(), NULL, k) == 1 &&
        EVP_DigestSign(md, der, &dn, data, n) == 1)
        rc = der_to_raw(der, dn, raw);
out:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return rc;
}

static int
evp_verify(EVP_PKEY *k, bool sm2, const void *data, size_t n, const unsigned char raw[64])
{
    unsigned char *der = NULL;
    int dn = 0;
    if (raw_to_der(raw, &der, &dn))
        return YW_ECRYPTO;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int rc = YW_ECRYPTO;
    if (md == NULL)
        goto out;
    if (sm2) {
        pctx = EVP_PKEY_CTX_new(k, NULL);
        if (!pctx || EVP_PKEY_CTX_set1_id(pctx, YW_SM2_DISTID, strlen(YW_SM2_DISTID)) <= 0)
            goto out;
        EVP_MD_CTX_set_pkey_ctx(md, pctx);
    }
    if (EVP_DigestVerifyInit(md, NULL, sm2 ? EVP_sm3() : EVP_sha256(), NULL, k) == 1 &&
        EVP_DigestVerify(md, der, (size_t)dn, data, n) == 1)
        rc = 0;
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return rc;
}

int
yw_ident__jws_ready(struct yw_app *app, struct yw_dbc *c, const char *alg, struct yw_err *err)
{
    char kid[17];
    EVP_PKEY *k = NULL;
    int rc = signing_key(app, c, alg, kid, &k, true, err);
    EVP_PKEY_free(k);
    return rc;
}

static int
jws_sign(struct yw_app *app, struct yw_dbc *c, const char *alg, json_t *payload, char **out,
         bool may_make, struct yw_err *err)
{
    *out = NULL;
    char kid[17];
    EVP_PKEY *k = NULL;
    int rc = signing_key(app, c, alg, kid, &k, may_make, err);
    if (rc)
        return rc;
    json_t *hdr = json_pack("{s:s, s:s, s:s}", "alg", alg, "typ", "JWT", "kid", kid);
    char *h = json_dumps(hdr, JSON_COMPACT), *p = json_dumps(payload, JSON_COMPACT);
    json_decref(hdr);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_ident__b64url(h, strlen(h), &b);
    yw_buf_addc(&b, '.');
    yw_ident__b64url(p, strlen(p), &b);
    free(h);
    free(p);
    unsigned char raw[64];
    rc = evp_sign(k, is_sm2(alg), b.p, b.n, raw);
    EVP_PKEY_free(k);
    if (rc) {
        yw_buf_release(&b);
        return yw_fail(err, rc, "", "cannot sign the token");
    }
    yw_buf_addc(&b, '.');
    yw_ident__b64url(raw, 64, &b);
    yw_buf_addc(&b, '\0');
    *out = b.p; /* the caller frees */
    return 0;
}

int
yw_ident__jws_sign(struct yw_app *app, struct yw_dbc *c, const char *alg, json_t *payload,
                   char **out, struct yw_err *err)
{
    return jws_sign(app, c, alg, payload, out, true, err);
}

int
yw_ident__jws_sign_existing(struct yw_app *app, struct yw_dbc *c, const char *alg,
                            json_t *payload, char **out, struct yw_err *err)
{
    return jws_sign(app, c, alg, payload, out, false, err);
}

/* The public key of a published JWK (x, y on crv). */
static EVP_PKEY *
jwk_public(json_t *jwk)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    const char *x = json_string_value(json_object_get(jwk, "x"));
    const char *y = json_string_value(json_object_get(jwk, "y"));
    if (!crv || !x || !y)
        return NULL;
    struct yw_buf bx, by;
    yw_buf_init(&bx);
    yw_buf_init(&by);
    EVP_PKEY *k = NULL;
    if (yw_ident__unb64url(x, strlen(x), &bx) == 0 && yw_ident__unb64url(y, strlen(y), &by) == 0 &&
        bx.n == 32 && by.n == 32) {
        unsigned char pub[65];
        pub[0] = 0x04;
        memcpy(pub + 1, bx.p, 32);
        memcpy(pub + 33, by.p, 32);
        bool sm2 = !strcmp(crv, "SM2");
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                             (char *)(sm2 ? "SM2" : "prime256v1"), 0),
            OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub),
            OSSL_PARAM_construct_end(),
        };
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, sm2 ? "SM2" : "EC", NULL);
        if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
            EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
        EVP_PKEY_CTX_free(ctx);
    }
    yw_buf_release(&bx);
    yw_buf_release(&by);
    return k;
}

int
yw_ident__jws_verify(struct yw_dbc *c, const char *jwt, json_t **payload)
{
    *payload = NULL;
    const char *d1 = strchr(jwt, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.'))
        return YW_EINVAL;
    struct yw_buf hb, pb, sb;
    yw_buf_init(&hb);
    yw_buf_init(&pb);
    yw_buf_init(&sb);
    json_t *hdr = NULL, *jwk = NULL;
    EVP_PKEY *k = NULL;
    int rc = YW_EINVAL;
    if (yw_ident__unb64url(jwt, (size_t)(d1 - jwt), &hb) ||
        yw_ident__unb64url(d1 + 1, (size_t)(d2 - d1 - 1), &pb) ||
        yw_ident__unb64url(d2 + 1, strlen(d2 + 1), &sb) || sb.n != 64)
        goto out;
    hdr = json_loadb(hb.p, hb.n, 0, NULL);
    const char *alg = json_string_value(json_object_get(hdr, "alg"));
    const char *kid = json_string_value(json_object_get(hdr, "kid"));
    if (!alg || !kid || (strcmp(alg, "ES256") && !is_sm2(alg)))
        goto out;
    char *text = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 512);
    int r = yw_db_one_text(
        c, &a, &text, "SELECT public_jwk FROM oidc_keys WHERE kid = ? AND alg = ?", "ss", kid, alg);
    if (r == 0)
        jwk = json_loads(text, 0, NULL);
    yw_arena_release(&a);
    if (r && r != YW_ENOTFOUND) {
        rc = r;
        goto out;
    }
    if (jwk == NULL || (k = jwk_public(jwk)) == NULL)
        goto out;
    if (evp_verify(k, is_sm2(alg), jwt, (size_t)(d2 - jwt), (const unsigned char *)sb.p))
        goto out;
    *payload = json_loadb(pb.p, pb.n, 0, NULL);
    rc = json_is_object(*payload) ? 0 : YW_EINVAL;
    if (rc) {
        json_decref(*payload);
        *payload = NULL;
    }
out:
    json_decref(hdr);
    json_decref(jwk);
    EVP_PKEY_free(k);
    yw_buf_release(&hb);
    yw_buf_release(&pb);
    yw_buf_release(&sb);
    return rc;
}

/* ---- a client's own keys (private_key_jwt, RFC 7523) ---- */

bool
yw_ident__client_jwk_ok(json_t *jwk)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    json_t *use = json_object_get(jwk, "use"), *alg = json_object_get(jwk, "alg");
    json_t *kid = json_object_get(jwk, "kid");
    if (!json_is_object(jwk) || !kty || strcmp(kty, "EC") || !crv || strcmp(crv, "P-256") ||
        json_object_get(jwk, "d") != NULL)
        return false;
    if ((use && !(json_is_string(use) && !strcmp(json_string_value(use), "sig"))) ||
        (alg && !(json_is_string(alg) && !strcmp(json_string_value(alg), "ES256"))) ||
        (kid &&
         !(json_is_string(kid) && json_string_length(kid) >= 1 && json_string_length(kid) <= 64)))
        return false;
    EVP_PKEY *k = jwk_public(jwk);
    EVP_PKEY_free(k);
    return k != NULL;
}

int
yw_ident__jws_verify_client(const char *jwt, const char *jwks_text, json_t **payload)
{
    *payload = NULL;
    const char *d1 = strchr(jwt, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.'))
        return YW_EINVAL;
    struct yw_buf hb, pb, sb;
    yw_buf_init(&hb);
    yw_buf_init(&pb);
    yw_buf_init(&sb);
    json_t *hdr = NULL, *set = NULL;
    int rc = YW_EINVAL;
    if (yw_ident__unb64url(jwt, (size_t)(d1 - jwt), &hb) ||
        yw_ident__unb64url(d1 + 1, (size_t)(d2 - d1 - 1), &pb) ||
        yw_ident__unb64url(d2 + 1, strlen(d2 + 1), &sb) || sb.n != 64)
        goto out;
    hdr = json_loadb(hb.p, hb.n, JSON_REJECT_DUPLICATES, NULL);
    const char *alg = json_string_value(json_object_get(hdr, "alg"));
    const char *kid = json_string_value(json_object_get(hdr, "kid"));
    if (!alg || strcmp(alg, "ES256") || json_object_get(hdr, "crit"))
        goto out;
    set = json_loads(jwks_text, 0, NULL);
    size_t i;
    json_t *jwk;
    json_array_foreach(json_object_get(set, "keys"), i, jwk)
    {
        const char *k_kid = json_string_value(json_object_get(jwk, "kid"));
        if (kid && k_kid && strcmp(kid, k_kid))
            continue;
        EVP_PKEY *k = jwk_public(jwk);
        bool good =
            k && evp_verify(k, false, jwt, (size_t)(d2 - jwt), (const unsigned char *)sb.p) == 0;
        EVP_PKEY_free(k);
        if (good) {
            *payload = json_loadb(pb.p, pb.n, JSON_REJECT_DUPLICATES, NULL);
            rc = json_is_object(*payload) ? 0 : YW_EINVAL;
            if (rc) {
                json_decref(*payload);
                *payload = NULL;
            }
            break;
        }
    }
out:
    json_decref(hdr);
    json_decref(set);
    yw_buf_release(&hb);
    yw_buf_release(&pb);
    yw_buf_release(&sb);
    return rc;
}

static int
ensure_tx(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    int rc =
        yw_db_exists(c, "SELECT 1 FROM oidc_keys WHERE alg = 'ES256' AND retired_at IS NULL", NULL);
    if (rc != YW_ENOTFOUND)
        return rc;
    char kid[17];
    return insert_key(c, "ES256", kid, NULL);
}

int
yw_ident__jwks_json(struct yw_app *app, struct yw_dbc *c, json_t **out, int64_t *changes_ms,
                    struct yw_err *err)
{
    *out = NULL;
    *changes_ms = INT64_MAX;
    pthread_mutex_lock(&mu);
    int rc = load_secret(app, err);
    pthread_mutex_unlock(&mu);
    if (rc)
        return rc;
    /* the default key exists before anything is signed: a relying party's
     * first look at the JWKS finds it */
    rc =
        yw_db_exists(c, "SELECT 1 FROM oidc_keys WHERE alg = 'ES256' AND retired_at IS NULL", NULL);
    if (rc == YW_ENOTFOUND)
        rc = yw_db_tx(app->db, YW_TX_WRITE, ensure_tx, NULL, err);
    if (rc)
        return rc;
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT public_jwk, published_until FROM oidc_keys WHERE "
                                    "retired_at IS NULL OR published_until > ? ORDER BY "
                                    "created_at DESC, kid",
                                    "s", now);
    if (s == NULL)
        return YW_EDB;
    json_t *keys = json_array();
    while ((rc = yw_db_step(s)) == YW_ROW) {
        int64_t until = 0;
        if (!yw_db_col_null(s, 1) && yw_clock_parse(yw_db_col_text(s, 1), &until) == 0 &&
            until < *changes_ms)
            *changes_ms = until; /* the set changes when this key drops out */
        json_t *k = json_loads(yw_db_col_text(s, 0), 0, NULL);
        if (k)
            json_array_append_new(keys, k);
    }
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(keys);
        return rc;
    }
    *out = json_pack("{s:o}", "keys", keys);
    return 0;
}

int
yw_ident__keys_rotate(struct yw_app *app, struct yw_dbc *c, const char *alg, const char *actor,
                      char new_kid[17], struct yw_err *err)
{
    pthread_mutex_lock(&mu);
    int rc = load_secret(app, err);
    pthread_mutex_unlock(&mu);
    if (rc)
        return rc;
    /* the old key is published until the last token it can have signed expires */
    int64_t now_ms = yw_clock_now_ms(), ttl = 0;
    if ((rc = yw_db_one_int(c, &ttl, "SELECT COALESCE(MAX(access_ttl), 0) FROM oidc_clients",
                            NULL)))
        return rc;
    char now[32], until[32], old_kid[17] = "";
    yw_clock_format(now_ms, now);
    yw_clock_format(now_ms + KEY_CACHE_MS + ttl * 1000 + KEY_SKEW_MS, until);
    char *old = NULL;
    struct yw_arena a;
    yw_arena_init(&a, 256);
    rc = yw_db_one_text(c, &a, &old,
                        "SELECT kid FROM oidc_keys WHERE alg = ? AND retired_at IS NULL ORDER BY "
                        "created_at DESC, kid LIMIT 1",
                        "s", alg);
    if (rc == 0)
        snprintf(old_kid, sizeof old_kid, "%s", old);
    yw_arena_release(&a);
    if (rc && rc != YW_ENOTFOUND)
        return rc;
    if ((rc = yw_db_run(c,
                        "UPDATE oidc_keys SET retired_at = ?, published_until = ? WHERE alg = ? "
                        "AND retired_at IS NULL",
                        "sss", now, until, alg)))
        return rc;
    if ((rc = insert_key(c, alg, new_kid, NULL)))
        return yw_fail(err, rc, "", "cannot make a signing key");
    char sum[200];
    snprintf(sum, sizeof sum,
             "{\"alg\":\"%s\",\"kid\":\"%s\",\"retired_kid\":\"%s\",\"published_until\":\"%s\"}",
             alg, new_kid, old_kid, old_kid[0] ? until : "");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                   .role = "admin",
                                                   .action = "oidc.key_rotate",
                                                   .obj_type = "oidc_key",
                                                   .obj_id = new_kid,
                                                   .summary = sum });
    if (rc == 0)
        yw_db_after_tx(c, forget_after, 0);
    if (rc == 0) /* and every other node, before the rotation is answered */
        rc = yw_ident__keys_changed(c);
    return rc;
}

int
yw_ident__keys_list(struct yw_dbc *c, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT kid, alg, created_at, retired_at, published_until "
                                    "FROM oidc_keys ORDER BY created_at, kid",
                                    NULL);
    if (s == NULL)
        return YW_EDB;
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    json_t *keys = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        bool retired = !yw_db_col_null(s, 3);
        const char *until = yw_db_col_null(s, 4) ? "" : yw_db_col_text(s, 4);
        const char *state = !retired                              ? "active"
                            : until[0] && strcmp(until, now) > 0 ? "published"
                                                                  : "retired";
        json_array_append_new(keys, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kid",
                                              yw_db_col_text(s, 0), "alg", yw_db_col_text(s, 1),
                                              "state", state, "created_at", yw_db_col_text(s, 2),
                                              "retired_at", retired ? yw_db_col_text(s, 3) : "",
                                              "published_until", until));
    }
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(keys);
        return rc;
    }
    *out = keys;
    return 0;
}
