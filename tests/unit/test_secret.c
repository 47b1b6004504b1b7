/*
 * test_secret.c - unit tests of core/secret.h, the one reader of the
 * deployment's secret key (secret_key, or the file secret_key_file) that the
 * licenses' keys and the audit log's sealer share: the setting wins; an
 * existing file is read; a missing file is made (mode 0600 whatever the
 * umask, read back as the same key) only when the caller says the database
 * holds no sealed keys, and refused otherwise with a message that names the
 * file and says to restore it (issue 21); anything but 64 hex digits is
 * refused.
 */
#include "testutil.h"

#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/secret.h"

#include <errno.h>
#include <sys/stat.h>

#define HEX_A "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978"

struct fx {
    char *dir;
    struct yw_config cfg;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->dir = yw_test_tmpdir();
    assert_non_null(f->dir);
    yw_config_init(&f->cfg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    yw_config_release(&f->cfg);
    yw_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void
set(struct fx *f, const char *key, const char *value)
{
    struct yw_err err = { 0 };
    assert_int_equal(yw_config_set(&f->cfg, key, value, "flag", &err), 0);
}

/* path = the fixture's directory + name, and secret_key_file set to it. */
static void
use_file(struct fx *f, const char *name, char path[512])
{
    snprintf(path, 512, "%s/%s", f->dir, name);
    set(f, "secret_key_file", path);
}

static void
write_file(const char *path, const char *text)
{
    FILE *kf = fopen(path, "w");
    assert_non_null(kf);
    fputs(text, kf);
    fclose(kf);
}

static void
assert_is_a(const unsigned char k[YW_SECRET_LEN])
{
    char hex[2 * YW_SECRET_LEN + 1];
    yw_hex(k, YW_SECRET_LEN, hex);
    assert_string_equal(hex, HEX_A);
}

static void
test_parse(void **state)
{
    (void)state;
    unsigned char k[YW_SECRET_LEN];
    assert_int_equal(yw_secret_parse(HEX_A, k), 0);
    assert_is_a(k);
    /* either case */
    char upper[65];
    for (int i = 0; i < 64; i++)
        upper[i] = (char)(HEX_A[i] >= 'a' ? HEX_A[i] - 32 : HEX_A[i]);
    upper[64] = '\0';
    assert_int_equal(yw_secret_parse(upper, k), 0);
    assert_is_a(k);
    /* wrong lengths, a non-hex digit, and what sscanf("%2x") took: a sign or a space */
    static const char *const bad[] = {
        "",
        "abc",
        HEX_A "0",
        "0" HEX_A,
        "g0112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978",
        "+f112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978",
        " f112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978",
        "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a69-8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(yw_secret_parse(bad[i], k), YW_ECONFIG);
    assert_int_equal(yw_secret_parse(NULL, k), YW_ECONFIG);
}

/* secret_key wins over the file, and no file is made or read. */
static void
test_from_setting(void **state)
{
    struct fx *f = *state;
    char path[512];
    use_file(f, "var/ywtb.key", path);
    set(f, "secret_key", HEX_A);
    unsigned char k[YW_SECRET_LEN];
    struct yw_err err = { 0 };
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), 0);
    assert_is_a(k);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    /* a bad setting is refused, naming the setting, even when sealed keys exist */
    set(f, "secret_key", "not-hex");
    assert_int_equal(yw_secret_load(&f->cfg, "licenses", "test", k, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key");
    assert_non_null(strstr(err.msg, "64 hex digits"));
    assert_int_equal(stat(path, &st), -1);
}

/* An existing file is read (its line end cut), whether or not sealed keys exist. */
static void
test_from_file(void **state)
{
    struct fx *f = *state;
    char path[512];
    use_file(f, "ywtb.key", path);
    write_file(path, HEX_A "\r\n");
    chmod(path, 0600);
    unsigned char k[YW_SECRET_LEN];
    struct yw_err err = { 0 };
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), 0);
    assert_is_a(k);
    memset(k, 0, sizeof k);
    assert_int_equal(yw_secret_load(&f->cfg, "audit log", "test", k, &err), 0);
    assert_is_a(k);
    /* without a line end too */
    write_file(path, HEX_A);
    assert_int_equal(yw_secret_load(&f->cfg, "licenses", "test", k, &err), 0);
    assert_is_a(k);
}

/* No file and no sealed keys: a new key is made in a new file of mode 0600
 * (whatever the umask), its directory made too, and read back the same. */
static void
test_made_when_allowed(void **state)
{
    struct fx *f = *state;
    char path[512];
    use_file(f, "var/ywtb.key", path);
    mode_t old = umask(0);
    unsigned char k[YW_SECRET_LEN], k2[YW_SECRET_LEN];
    struct yw_err err = { 0 };
    int rc = yw_secret_load(&f->cfg, NULL, "test", k, &err);
    umask(old);
    assert_int_equal(rc, 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    FILE *kf = fopen(path, "r");
    char line[80] = "";
    assert_non_null(fgets(line, sizeof line, kf));
    fclose(kf);
    assert_int_equal(strlen(line), 65);
    assert_int_equal(line[64], '\n');
    line[64] = '\0';
    char hex[65];
    yw_hex(k, sizeof k, hex);
    assert_string_equal(line, hex); /* the key returned is the key kept */
    /* the next load reads it - now even with sealed keys - and makes nothing new */
    assert_int_equal(yw_secret_load(&f->cfg, "licenses", "test", k2, &err), 0);
    assert_memory_equal(k, k2, sizeof k);
    /* two keys made in two places differ */
    char path2[512];
    snprintf(path2, sizeof path2, "%s/other.key", f->dir);
    set(f, "secret_key_file", path2);
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k2, &err), 0);
    assert_memory_not_equal(k, k2, sizeof k);
}

/* No file but sealed keys in the database: refused, nothing made, and the
 * message names the file (absolute, also when the setting is relative), whose
 * keys they are, and says to restore it. */
static void
test_refused_when_sealed(void **state)
{
    struct fx *f = *state;
    char path[512];
    use_file(f, "var/ywtb.key", path);
    unsigned char k[YW_SECRET_LEN];
    memset(k, 0x5a, sizeof k);
    struct yw_err err = { 0 };
    assert_int_equal(yw_secret_load(&f->cfg, "audit log", "test", k, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key_file");
    char want[600];
    snprintf(want, sizeof want, "the secret key file '%s' does not exist", path);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "signing keys sealed under a secret key (audit log)"));
    assert_non_null(strstr(err.msg, "restore that file"));
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    snprintf(want, sizeof want, "%s/var", f->dir);
    assert_int_equal(stat(want, &st), -1); /* not even its directory */
    static const unsigned char zero[YW_SECRET_LEN];
    assert_memory_equal(k, zero, sizeof k); /* out wiped on failure */

    /* a relative setting is named from the working directory */
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    set(f, "secret_key_file", "var/ywtb.key");
    int rc = yw_secret_load(&f->cfg, "licenses", "test", k, &err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, YW_ECONFIG);
    snprintf(want, sizeof want, "'%s/var/ywtb.key' does not exist", f->dir);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "(licenses)"));
    assert_int_equal(stat(path, &st), -1);
}

/* A file with anything but 64 hex digits, a path that cannot be read or
 * made, and no key at all are refused. */
static void
test_bad_files(void **state)
{
    struct fx *f = *state;
    char path[512];
    use_file(f, "ywtb.key", path);
    unsigned char k[YW_SECRET_LEN];
    struct yw_err err = { 0 };
    static const char *const bad[] = { "not a key\n", "",         "\n",
                                       HEX_A "00\n",  "abcdef\n", " " HEX_A "\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        memset(&err, 0, sizeof err);
        assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), YW_ECONFIG);
        assert_string_equal(err.field, "secret_key_file");
        assert_non_null(strstr(err.msg, "64 hex digits"));
        assert_non_null(strstr(err.msg, path));
    }
    /* a file that is left as it was: not replaced by a new key */
    FILE *kf = fopen(path, "r");
    char line[80] = "";
    assert_non_null(fgets(line, sizeof line, kf));
    fclose(kf);
    assert_string_equal(line, " " HEX_A "\n");
    /* a directory where the file should be */
    set(f, "secret_key_file", f->dir);
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key_file");
    assert_non_null(strstr(err.msg, "cannot read the secret key file"));
    /* a file that cannot be made: only its own directory is made, not two */
    char path2[600];
    snprintf(path2, sizeof path2, "%s/a/b/ywtb.key", f->dir);
    set(f, "secret_key_file", path2);
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key_file");
    assert_non_null(strstr(err.msg, "cannot create the secret key file"));
    /* no key and no file named */
    set(f, "secret_key_file", "");
    assert_int_equal(yw_secret_load(&f->cfg, NULL, "test", k, &err), YW_ECONFIG);
}

int
main(void)
{
    if (yw_crypto_init() != 0) {
        fprintf(stderr, "cannot initialise the crypto library\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test_setup_teardown(test_from_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_made_when_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_when_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
    };
    return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
