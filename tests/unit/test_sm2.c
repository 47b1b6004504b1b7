/*
 * test_sm2.c - unit tests of core/sm2.h: SM2 signatures over SM3 with the
 * GM/T 0009 distinguishing ID, PEM keys, key ids, AES-256-GCM sealing of
 * private keys, base64, and interoperability with the `openssl` command line.
 *
 * Interoperability (DESIGN.md, "SM2 interoperability") is checked both ways
 * with Debian's OpenSSL 3.0 command line:
 *
 *   openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 \
 *           -pkeyopt distid:1234567812345678 -in msg -sigfile sig.der
 *   openssl pkeyutl -sign -inkey priv.pem -rawin -digest sm3 \
 *           -pkeyopt distid:1234567812345678 -in msg -out sig.der
 *
 * and, to show the ID really is 1234567812345678 and not OpenSSL's default,
 * the same verification without -pkeyopt distid must fail.  When no `openssl`
 * program is installed the interoperability tests are skipped, loudly.
 */
#include "testutil.h"

#include "core/crypto.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/sm2.h"

#include <sys/stat.h>
#include <sys/wait.h>

#define MSG "统一社会信用代码 91310104MA1FL8XQ10 营业执照 / SM2 test message"

/* ---- helpers ---- */

static struct yw_sm2_key *
new_key(void)
{
    struct yw_sm2_key *k = NULL;
    assert_int_equal(yw_sm2_generate(&k), 0);
    assert_non_null(k);
    return k;
}

static char *
sign_b64(const struct yw_sm2_key *k, const void *data, size_t n)
{
    struct yw_buf sig;
    yw_buf_init(&sig);
    assert_int_equal(yw_sm2_sign(k, data, n, &sig), 0);
    assert_non_null(sig.p);
    char *s = strdup(sig.p);
    yw_buf_release(&sig);
    return s;
}

static char *
pem_of(const struct yw_sm2_key *k, bool priv)
{
    struct yw_buf b;
    yw_buf_init(&b);
    assert_int_equal(priv ? yw_sm2_private_pem(k, &b) : yw_sm2_public_pem(k, &b), 0);
    assert_non_null(b.p);
    char *s = strndup(b.p, b.n);
    yw_buf_release(&b);
    return s;
}

static void
write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Whole file (malloc'd, NUL-terminated); *n its length. */
static char *
read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct yw_buf b;
    yw_buf_init(&b);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        yw_buf_add(&b, chunk, got);
    fclose(f);
    yw_buf_adds(&b, "");
    *n = b.n;
    return b.p;
}

/* Exit status of a shell command (stdout and stderr go to DIR/cmd.log). */
static int run(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
run(const char *dir, const char *fmt, ...)
{
    char cmd[4096], full[4400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "cd '%s' && { %s ; } >cmd.log 2>&1", dir, cmd);
    int st = system(full);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static bool
have_openssl(void)
{
    return system("openssl version >/dev/null 2>&1") == 0;
}

/* The base64 body of a PEM block, decoded (the DER). */
static void
pem_der(const char *pem, struct yw_buf *der)
{
    const char *p = strstr(pem, "-----\n");
    assert_non_null(p);
    p += 6;
    const char *end = strstr(p, "-----END");
    assert_non_null(end);
    char *b64 = strndup(p, (size_t)(end - p));
    assert_int_equal(yw_unbase64(b64, der), 0);
    free(b64);
}

/* ---- signatures ---- */

static void
test_sign_verify_round_trip(void **state)
{
    (void)state;
    struct yw_sm2_key *k = new_key();
    static const size_t sizes[] = { 0, 1, 55, 64, 1000, 100000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *data = malloc(n + 1);
        assert_non_null(data);
        for (size_t j = 0; j < n; j++)
            data[j] = (unsigned char)(j * 131 + i);
        char *sig = sign_b64(k, data, n);
        assert_int_equal(yw_sm2_verify(k, data, n, sig), 0);
        /* the signature is a DER SEQUENCE of two INTEGERs, at most 72 bytes */
        struct yw_buf der;
        yw_buf_init(&der);
        assert_int_equal(yw_unbase64(sig, &der), 0);
        assert_true(der.n >= 8 && der.n <= 72);
        assert_int_equal((unsigned char)der.p[0], 0x30);
        assert_int_equal((unsigned char)der.p[1], der.n - 2);
        assert_int_equal((unsigned char)der.p[2], 0x02);
        yw_buf_release(&der);
        /* SM2 signatures are randomised: signing again gives other bytes that verify too */
        char *sig2 = sign_b64(k, data, n);
        assert_string_not_equal(sig, sig2);
        assert_int_equal(yw_sm2_verify(k, data, n, sig2), 0);
        free(sig);
        free(sig2);
        free(data);
    }
    yw_sm2_free(k);
}

static void
test_flipped_byte_fails(void **state)
{
    (void)state;
    struct yw_sm2_key *k = new_key();
    char msg[] = MSG;
    size_t n = strlen(msg);
    char *sig = sign_b64(k, msg, n);
    assert_int_equal(yw_sm2_verify(k, msg, n, sig), 0);
    /* any single flipped bit in the message */
    for (size_t i = 0; i < n; i += 7) {
        for (int bit = 0; bit < 8; bit += 3) {
            msg[i] ^= (char)(1 << bit);
            assert_int_equal(yw_sm2_verify(k, msg, n, sig), YW_ECRYPTO);
            msg[i] ^= (char)(1 << bit);
        }
    }
    /* a byte more or less */
    assert_int_equal(yw_sm2_verify(k, msg, n - 1, sig), YW_ECRYPTO);
    char longer[sizeof MSG + 1];
    memcpy(longer, msg, n);
    longer[n] = ' ';
    assert_int_equal(yw_sm2_verify(k, longer, n + 1, sig), YW_ECRYPTO);
    /* a flipped byte in the signature (DER r and s) */
    struct yw_buf der;
    yw_buf_init(&der);
    assert_int_equal(yw_unbase64(sig, &der), 0);
    for (size_t i = 4; i < der.n; i++) {
        der.p[i] ^= 0x01;
        struct yw_buf b64;
        yw_buf_init(&b64);
        yw_base64(der.p, der.n, &b64);
        assert_int_equal(yw_sm2_verify(k, msg, n, b64.p), YW_ECRYPTO);
        yw_buf_release(&b64);
        der.p[i] ^= 0x01;
    }
    yw_buf_release(&der);
    /* another key, garbage and absent signatures */
    struct yw_sm2_key *other = new_key();
    assert_int_equal(yw_sm2_verify(other, msg, n, sig), YW_ECRYPTO);
    assert_int_equal(yw_sm2_verify(k, msg, n, "not base64 !!"), YW_ECRYPTO);
    assert_int_equal(yw_sm2_verify(k, msg, n, ""), YW_ECRYPTO);
    assert_int_equal(yw_sm2_verify(k, msg, n, NULL), YW_ECRYPTO);
    assert_int_equal(yw_sm2_verify(k, msg, n, "MAA="), YW_ECRYPTO); /* an empty SEQUENCE */
    /* still good after all that */
    assert_int_equal(yw_sm2_verify(k, msg, n, sig), 0);
    free(sig);
    yw_sm2_free(other);
    yw_sm2_free(k);
}

/* ---- keys ---- */

static void
test_pem_round_trip(void **state)
{
    (void)state;
    struct yw_sm2_key *k = new_key();
    char *pub = pem_of(k, false), *priv = pem_of(k, true);
    assert_true(strncmp(pub, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
    assert_non_null(strstr(pub, "-----END PUBLIC KEY-----"));
    assert_true(strncmp(priv, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
    assert_non_null(strstr(priv, "-----END PRIVATE KEY-----"));
    /* the private PEM loads as a private key, the public as a public key */
    struct yw_sm2_key *kpriv = NULL, *kpub = NULL;
    assert_int_equal(yw_sm2_load_pem(priv, strlen(priv), true, &kpriv), 0);
    assert_int_equal(yw_sm2_load_pem(pub, strlen(pub), false, &kpub), 0);
    /* and writes back the same PEM */
    char *pub2 = pem_of(kpub, false), *pub3 = pem_of(kpriv, false), *priv2 = pem_of(kpriv, true);
    assert_string_equal(pub, pub2);
    assert_string_equal(pub, pub3);
    assert_string_equal(priv, priv2);
    /* a loaded private key signs what the original public key accepts, and the other way round */
    char *sig = sign_b64(kpriv, MSG, strlen(MSG));
    assert_int_equal(yw_sm2_verify(k, MSG, strlen(MSG), sig), 0);
    assert_int_equal(yw_sm2_verify(kpub, MSG, strlen(MSG), sig), 0);
    free(sig);
    sig = sign_b64(k, MSG, strlen(MSG));
    assert_int_equal(yw_sm2_verify(kpub, MSG, strlen(MSG), sig), 0);
    free(sig);
    /* a public key cannot sign */
    struct yw_buf b;
    yw_buf_init(&b);
    assert_int_equal(yw_sm2_sign(kpub, MSG, strlen(MSG), &b), YW_ECRYPTO);
    yw_buf_release(&b);
    /* the wrong kind, truncated and garbage PEM are refused */
    struct yw_sm2_key *bad = NULL;
    assert_int_equal(yw_sm2_load_pem(pub, strlen(pub), true, &bad), YW_ECRYPTO);
    assert_null(bad);
    assert_int_equal(yw_sm2_load_pem(priv, strlen(priv) / 2, true, &bad), YW_ECRYPTO);
    assert_int_equal(yw_sm2_load_pem("hello", 5, false, &bad), YW_ECRYPTO);
    assert_int_equal(yw_sm2_load_pem("", 0, false, &bad), YW_ECRYPTO);
    assert_null(bad);
    free(pub);
    free(pub2);
    free(pub3);
    free(priv);
    free(priv2);
    yw_sm2_free(kpriv);
    yw_sm2_free(kpub);
    yw_sm2_free(k);
    yw_sm2_free(NULL); /* harmless */
}

static void
test_key_id_stable(void **state)
{
    (void)state;
    struct yw_sm2_key *k = new_key(), *k2 = new_key();
    char id[17], again[17], id2[17];
    memset(id, 'x', sizeof id);
    assert_int_equal(yw_sm2_key_id(k, id), 0);
    assert_int_equal(strlen(id), 16);
    for (int i = 0; i < 16; i++)
        assert_non_null(strchr("0123456789abcdef", id[i]));
    assert_int_equal(yw_sm2_key_id(k, again), 0);
    assert_string_equal(id, again);
    /* the same through PEM, public or private */
    char *pub = pem_of(k, false), *priv = pem_of(k, true);
    struct yw_sm2_key *kpub = NULL, *kpriv = NULL;
    assert_int_equal(yw_sm2_load_pem(pub, strlen(pub), false, &kpub), 0);
    assert_int_equal(yw_sm2_load_pem(priv, strlen(priv), true, &kpriv), 0);
    assert_int_equal(yw_sm2_key_id(kpub, again), 0);
    assert_string_equal(id, again);
    assert_int_equal(yw_sm2_key_id(kpriv, again), 0);
    assert_string_equal(id, again);
    /* as documented: the first 16 hex digits of SM3 over the DER public key */
    struct yw_buf der;
    yw_buf_init(&der);
    pem_der(pub, &der);
    char hex[65];
    assert_int_equal(yw_sm3_hex(der.p, der.n, hex), 0);
    assert_memory_equal(id, hex, 16);
    yw_buf_release(&der);
    /* another key, another id */
    assert_int_equal(yw_sm2_key_id(k2, id2), 0);
    assert_string_not_equal(id, id2);
    free(pub);
    free(priv);
    yw_sm2_free(kpub);
    yw_sm2_free(kpriv);
    yw_sm2_free(k);
    yw_sm2_free(k2);
}

static void
test_sm3_vector(void **state)
{
    (void)state;
    /* GB/T 32905 Annex A (CN-STANDARDS.md §4.3) */
    char hex[65];
    assert_int_equal(yw_sm3_hex("abc", 3, hex), 0);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

/* ---- sealing ---- */

static void
test_seal_unseal(void **state)
{
    (void)state;
    unsigned char key[32], key2[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (unsigned char)(i * 7 + 1);
        key2[i] = key[i];
    }
    key2[31] ^= 0x80;
    struct yw_sm2_key *k = new_key();
    char *priv = pem_of(k, true);
    size_t n = strlen(priv);
    struct yw_buf sealed, sealed2, plain;
    yw_buf_init(&sealed);
    yw_buf_init(&sealed2);
    yw_buf_init(&plain);
    assert_int_equal(yw_seal(key, priv, n, &sealed), 0);
    /* base64 of nonce(12) || ciphertext(n) || tag(16) */
    struct yw_buf raw;
    yw_buf_init(&raw);
    assert_int_equal(yw_unbase64(sealed.p, &raw), 0);
    assert_int_equal(raw.n, 12 + n + 16);
    assert_null(memmem(raw.p, raw.n, "PRIVATE KEY", 11)); /* not in the clear */
    assert_null(strstr(sealed.p, "PRIVATE"));
    /* round trip */
    assert_int_equal(yw_unseal(key, sealed.p, &plain), 0);
    assert_int_equal(plain.n, n);
    assert_memory_equal(plain.p, priv, n);
    /* a fresh nonce each time: the same plaintext seals differently, and both open */
    assert_int_equal(yw_seal(key, priv, n, &sealed2), 0);
    assert_string_not_equal(sealed.p, sealed2.p);
    yw_buf_reset(&plain);
    assert_int_equal(yw_unseal(key, sealed2.p, &plain), 0);
    assert_memory_equal(plain.p, priv, n);
    /* the wrong key */
    struct yw_buf out;
    yw_buf_init(&out);
    assert_int_equal(yw_unseal(key2, sealed.p, &out), YW_ECRYPTO);
    assert_int_equal(out.n, 0);
    /* any flipped byte: nonce, ciphertext or tag */
    size_t positions[] = { 0, 11, 12, 12 + n / 2, 12 + n - 1, 12 + n, raw.n - 1 };
    for (size_t i = 0; i < sizeof positions / sizeof positions[0]; i++) {
        raw.p[positions[i]] ^= 0x04;
        struct yw_buf t;
        yw_buf_init(&t);
        yw_base64(raw.p, raw.n, &t);
        yw_buf_reset(&out);
        assert_int_equal(yw_unseal(key, t.p, &out), YW_ECRYPTO);
        assert_int_equal(out.n, 0);
        yw_buf_release(&t);
        raw.p[positions[i]] ^= 0x04;
    }
    /* truncated (tag cut off), too short, not base64 */
    struct yw_buf t;
    yw_buf_init(&t);
    yw_base64(raw.p, raw.n - 1, &t);
    assert_int_equal(yw_unseal(key, t.p, &out), YW_ECRYPTO);
    yw_buf_reset(&t);
    yw_base64(raw.p, 27, &t);
    assert_int_equal(yw_unseal(key, t.p, &out), YW_ECRYPTO);
    yw_buf_release(&t);
    assert_int_equal(yw_unseal(key, "%%%% not base64", &out), YW_ECRYPTO);
    assert_int_equal(yw_unseal(key, "", &out), YW_ECRYPTO);
    /* the untouched original still opens */
    yw_buf_reset(&plain);
    assert_int_equal(yw_unseal(key, sealed.p, &plain), 0);
    assert_memory_equal(plain.p, priv, n);
    /* and the unsealed PEM is the same key */
    struct yw_sm2_key *back = NULL;
    assert_int_equal(yw_sm2_load_pem(plain.p, plain.n, true, &back), 0);
    char id[17], id_back[17];
    assert_int_equal(yw_sm2_key_id(k, id), 0);
    assert_int_equal(yw_sm2_key_id(back, id_back), 0);
    assert_string_equal(id, id_back);
    /* an empty plaintext seals and opens too */
    yw_buf_reset(&sealed2);
    assert_int_equal(yw_seal(key, "", 0, &sealed2), 0);
    yw_buf_reset(&plain);
    assert_int_equal(yw_unseal(key, sealed2.p, &plain), 0);
    assert_int_equal(plain.n, 0);
    yw_sm2_free(back);
    yw_buf_release(&out);
    yw_buf_release(&raw);
    yw_buf_release(&plain);
    yw_buf_release(&sealed);
    yw_buf_release(&sealed2);
    free(priv);
    yw_sm2_free(k);
}

static void
test_base64(void **state)
{
    (void)state;
    static const struct {
        const char *plain, *b64;
    } v[] = { { "", "" },
              { "f", "Zg==" },
              { "fo", "Zm8=" },
              { "foo", "Zm9v" },
              { "foob", "Zm9vYg==" },
              { "fooba", "Zm9vYmE=" },
              { "foobar", "Zm9vYmFy" },
              { "\xff\xfe\xfd", "//79" } };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct yw_buf b, back;
        yw_buf_init(&b);
        yw_buf_init(&back);
        yw_base64(v[i].plain, strlen(v[i].plain), &b);
        assert_int_equal(b.n, strlen(v[i].b64));
        if (b.n)
            assert_string_equal(b.p, v[i].b64);
        assert_int_equal(yw_unbase64(v[i].b64, &back), 0);
        assert_int_equal(back.n, strlen(v[i].plain));
        if (back.n)
            assert_memory_equal(back.p, v[i].plain, back.n);
        yw_buf_release(&b);
        yw_buf_release(&back);
    }
    struct yw_buf bad;
    yw_buf_init(&bad);
    assert_int_equal(yw_unbase64("Zm9v!", &bad), YW_EINVAL);
    yw_buf_release(&bad);
}

/* ---- interoperability with the openssl command line ---- */

/* A temp dir per test, removed even when the test fails. */
static int
dir_setup(void **state)
{
    *state = yw_test_tmpdir();
    return *state ? 0 : -1;
}

static int
dir_teardown(void **state)
{
    yw_test_rmtree(*state);
    free(*state);
    return 0;
}

#define OSSL_VERIFY "openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 "
#define OSSL_SIGN   "openssl pkeyutl -sign -inkey priv.pem -rawin -digest sm3 "
#define DISTID      "-pkeyopt distid:1234567812345678 "

static void
test_openssl_verifies_ours(void **state)
{
    if (!have_openssl()) {
        printf("SKIP: no openssl program: the command-line interoperability test did not run\n");
        skip();
    }
    const char *dir = *state;
    char path[512];
    struct yw_sm2_key *k = new_key();
    char *pub = pem_of(k, false);
    snprintf(path, sizeof path, "%s/pub.pem", dir);
    write_file(path, pub, strlen(pub));
    snprintf(path, sizeof path, "%s/msg", dir);
    write_file(path, MSG, strlen(MSG));
    char *sig = sign_b64(k, MSG, strlen(MSG));
    struct yw_buf der;
    yw_buf_init(&der);
    assert_int_equal(yw_unbase64(sig, &der), 0);
    snprintf(path, sizeof path, "%s/sig.der", dir);
    write_file(path, der.p, der.n);
    /* openssl checks our signature with the GM/T 0009 ID */
    int rc = run(dir, OSSL_VERIFY DISTID "-in msg -sigfile sig.der");
    if (rc != 0) {
        size_t n;
        snprintf(path, sizeof path, "%s/cmd.log", dir);
        char *log = read_file(path, &n);
        fail_msg("openssl did not verify yw_sm2_sign's signature (exit %d): %s", rc, log);
    }
    snprintf(path, sizeof path, "%s/cmd.log", dir);
    size_t n;
    char *log = read_file(path, &n);
    assert_non_null(strstr(log, "Signature Verified Successfully"));
    free(log);
    /* ...and not with OpenSSL's own default ID, nor another ID, nor over another message */
    assert_int_not_equal(run(dir, OSSL_VERIFY "-in msg -sigfile sig.der"), 0);
    assert_int_not_equal(
        run(dir, OSSL_VERIFY "-pkeyopt distid:1234567812345679 -in msg -sigfile sig.der"), 0);
    snprintf(path, sizeof path, "%s/msg2", dir);
    write_file(path, MSG "!", strlen(MSG) + 1);
    assert_int_not_equal(run(dir, OSSL_VERIFY DISTID "-in msg2 -sigfile sig.der"), 0);
    /* the public key openssl reads back is the one we wrote */
    assert_int_equal(run(dir, "openssl pkey -pubin -in pub.pem -pubout -out pub2.pem"), 0);
    snprintf(path, sizeof path, "%s/pub2.pem", dir);
    char *pub2 = read_file(path, &n);
    assert_string_equal(pub, pub2);
    free(pub2);
    yw_buf_release(&der);
    free(sig);
    free(pub);
    yw_sm2_free(k);
}

static void
test_we_verify_openssl(void **state)
{
    if (!have_openssl()) {
        printf("SKIP: no openssl program: the command-line interoperability test did not run\n");
        skip();
    }
    const char *dir = *state;
    char path[512];
    size_t n;
    /* a key made by openssl, and one made by us, both signed by openssl */
    assert_int_equal(run(dir, "openssl genpkey -algorithm SM2 -out priv.pem && "
                              "openssl pkey -in priv.pem -pubout -out pub.pem"),
                     0);
    snprintf(path, sizeof path, "%s/msg", dir);
    write_file(path, MSG, strlen(MSG));
    assert_int_equal(run(dir, OSSL_SIGN DISTID "-in msg -out sig.der"), 0);
    assert_int_equal(run(dir, OSSL_SIGN "-in msg -out sig-default-id.der"), 0);

    snprintf(path, sizeof path, "%s/pub.pem", dir);
    char *pub = read_file(path, &n);
    struct yw_sm2_key *kpub = NULL;
    assert_int_equal(yw_sm2_load_pem(pub, n, false, &kpub), 0);
    snprintf(path, sizeof path, "%s/sig.der", dir);
    char *der = read_file(path, &n);
    struct yw_buf b64;
    yw_buf_init(&b64);
    yw_base64(der, n, &b64);
    assert_int_equal(yw_sm2_verify(kpub, MSG, strlen(MSG), b64.p), 0);
    assert_int_equal(yw_sm2_verify(kpub, MSG "!", strlen(MSG) + 1, b64.p), YW_ECRYPTO);
    free(der);
    /* a signature openssl made with its default ID does not verify here */
    snprintf(path, sizeof path, "%s/sig-default-id.der", dir);
    der = read_file(path, &n);
    yw_buf_reset(&b64);
    yw_base64(der, n, &b64);
    assert_int_equal(yw_sm2_verify(kpub, MSG, strlen(MSG), b64.p), YW_ECRYPTO);
    free(der);

    /* the openssl private key loads and signs what openssl then accepts */
    snprintf(path, sizeof path, "%s/priv.pem", dir);
    char *priv = read_file(path, &n);
    struct yw_sm2_key *kpriv = NULL;
    assert_int_equal(yw_sm2_load_pem(priv, n, true, &kpriv), 0);
    char id_pub[17], id_priv[17];
    assert_int_equal(yw_sm2_key_id(kpub, id_pub), 0);
    assert_int_equal(yw_sm2_key_id(kpriv, id_priv), 0);
    assert_string_equal(id_pub, id_priv);
    char *sig = sign_b64(kpriv, MSG, strlen(MSG));
    struct yw_buf raw;
    yw_buf_init(&raw);
    assert_int_equal(yw_unbase64(sig, &raw), 0);
    snprintf(path, sizeof path, "%s/ours.der", dir);
    write_file(path, raw.p, raw.n);
    assert_int_equal(run(dir, OSSL_VERIFY DISTID "-in msg -sigfile ours.der"), 0);

    /* our private key PEM, written out, signs through openssl for our public key */
    struct yw_sm2_key *mine = new_key();
    char *mpriv = pem_of(mine, true);
    snprintf(path, sizeof path, "%s/priv.pem", dir);
    write_file(path, mpriv, strlen(mpriv));
    assert_int_equal(run(dir, OSSL_SIGN DISTID "-in msg -out sig2.der"), 0);
    snprintf(path, sizeof path, "%s/sig2.der", dir);
    der = read_file(path, &n);
    yw_buf_reset(&b64);
    yw_base64(der, n, &b64);
    assert_int_equal(yw_sm2_verify(mine, MSG, strlen(MSG), b64.p), 0);
    assert_int_equal(yw_sm2_verify(kpub, MSG, strlen(MSG), b64.p),
                     YW_ECRYPTO); /* not the other key */
    free(der);

    /* openssl's EC P-256 key is not an SM2 key */
    assert_int_equal(
        run(dir, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem"), 0);
    snprintf(path, sizeof path, "%s/ec.pem", dir);
    char *ec = read_file(path, &n);
    struct yw_sm2_key *kec = NULL;
    assert_int_equal(yw_sm2_load_pem(ec, n, true, &kec), YW_ECRYPTO);
    assert_null(kec);
    free(ec);

    free(mpriv);
    yw_sm2_free(mine);
    yw_buf_release(&raw);
    free(sig);
    free(priv);
    yw_sm2_free(kpriv);
    yw_buf_release(&b64);
    free(pub);
    yw_sm2_free(kpub);
}

int
main(void)
{
    if (yw_crypto_init() != 0) {
        fprintf(stderr, "cannot initialise the crypto library\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_verify_round_trip),
        cmocka_unit_test(test_flipped_byte_fails),
        cmocka_unit_test(test_pem_round_trip),
        cmocka_unit_test(test_key_id_stable),
        cmocka_unit_test(test_sm3_vector),
        cmocka_unit_test(test_seal_unseal),
        cmocka_unit_test(test_base64),
        cmocka_unit_test_setup_teardown(test_openssl_verifies_ours, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_we_verify_openssl, dir_setup, dir_teardown),
    };
    return cmocka_run_group_tests_name("sm2", tests, NULL, NULL);
}
