/*
 * keys.c - each issuing department's SM2 signing keys.
 *
 * A department's key pair is made the first time it signs.  The private key is
 * stored sealed (AES-256-GCM) under the secret key from the configuration
 * (secret_key, or the file secret_key_file, created with a random key on first
 * start); every node of a deployment needs the same secret.  A new key is
 * never made while the database holds sealed keys, and a secret that does not
 * open them stops the start (issue 21: a serve started in another directory
 * made a new key, answered /readyz and failed every license with a 500).  Rotation retires
 * the active key and makes a new one; retired keys stay published and keep
 * verifying what they signed.  Loaded keys are cached in memory.
 */
#include "licenses/internal.h"

#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char secret[32];
static bool have_secret;

#define CACHE 64
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char key_id[17];
    char dept[40];
    bool active;
    struct yw_sm2_key *key; /* private (signing) */
} cache[CACHE];
static int ncache;

static int
hex_to_key(const char *hex, unsigned char out[32])
{
    if (strlen(hex) != 64)
        return YW_ECONFIG;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return YW_ECONFIG;
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* One sealed signing key of the database, to check the secret against: 0 with
 * *sealed (malloc'd) and its department, YW_ENOTFOUND when there is none. */
static int
first_sealed(struct yw_app *app, char **sealed, char dept[40], struct yw_err *err)
{
    *sealed = NULL;
    if (app->db == NULL)
        return YW_ENOTFOUND;
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EDB;
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s, "SELECT dept_code, private_sealed FROM signing_keys ORDER BY created_at LIMIT 1",
        NULL);
    if (rc == YW_ENOTFOUND)
        return rc;
    if (rc)
        return yw_fail(err, rc, "", "cannot read the signing keys: %s", yw_dbc_errmsg(c));
    snprintf(dept, 40, "%s", yw_db_col_text(s, 0));
    *sealed = strdup(yw_db_col_text(s, 1));
    yw_db_reset(s);
    return *sealed ? 0 : YW_EINTERNAL;
}

/* A key file others may read: say so (the unit's UMask and the docs give 0600). */
static void
warn_if_readable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        yw_log_warn("licenses",
                    "the secret key file %s has mode %04o: others on this machine can read it "
                    "(chmod 600 %s)",
                    path, (unsigned)(st.st_mode & 07777), path);
}

int
yw_lic__keys_init(struct yw_app *app, struct yw_err *err)
{
    char *sealed = NULL, dept[40] = "";
    int have = first_sealed(app, &sealed, dept, err);
    if (have != 0 && have != YW_ENOTFOUND)
        return have;
    const char *hex = app->cfg->secret_key;
    char buf[80] = "";
    if (hex == NULL || *hex == '\0') {
        const char *path = app->cfg->secret_key_file;
        FILE *f = fopen(path, "r");
        if (f == NULL && errno == ENOENT && have == 0) {
            free(sealed);
            char cwd[1024] = "";
            if (path[0] != '/' && getcwd(cwd, sizeof cwd - 1))
                strcat(cwd, "/");
            return yw_fail(err, YW_ECONFIG, "secret_key_file",
                           "the secret key file '%s%s' does not exist, but the database holds "
                           "signing keys sealed under a secret key: restore that file (or set "
                           "secret_key_file or secret_key to it); a new key would not open them",
                           path[0] == '/' ? "" : cwd, path);
        }
        if (f) {
            warn_if_readable(path);
            if (fgets(buf, sizeof buf, f) == NULL)
                buf[0] = '\0';
            fclose(f);
            buf[strcspn(buf, "\r\n")] = '\0';
        } else if (errno == ENOENT) {
            unsigned char raw[32];
            yw_random(raw, sizeof raw);
            yw_hex(raw, sizeof raw, buf);
            yw_wipe(raw, sizeof raw);
            char dir[4096];
            snprintf(dir, sizeof dir, "%s", path);
            char *slash = strrchr(dir, '/');
            if (slash) {
                *slash = '\0';
                mkdir(dir, 0750);
            }
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (fd < 0) {
                free(sealed);
                return yw_fail(err, YW_ECONFIG, "secret_key_file",
                               "cannot create the secret key file '%s': %s", path, strerror(errno));
            }
            ssize_t w = write(fd, buf, strlen(buf));
            w += write(fd, "\n", 1);
            fsync(fd);
            close(fd);
            if (w != 65) {
                free(sealed);
                return yw_fail(err, YW_ECONFIG, "secret_key_file",
                               "cannot write the secret key file '%s'", path);
            }
            yw_log_warn("licenses",
                        "made a new secret key in %s: back it up, and give every node the same one",
                        path);
        } else {
            free(sealed);
            return yw_fail(err, YW_ECONFIG, "secret_key_file",
                           "cannot read the secret key file '%s': %s", path, strerror(errno));
        }
        hex = buf;
    }
    int rc = hex_to_key(hex, secret);
    yw_wipe(buf, sizeof buf);
    if (rc) {
        free(sealed);
        return yw_fail(err, rc, "secret_key", "the secret key must be 64 hex digits");
    }
    if (have == 0) {
        /* the secret must open what the database holds */
        struct yw_buf pem;
        yw_buf_init(&pem);
        rc = yw_unseal(secret, sealed, &pem);
        if (pem.p)
            yw_wipe(pem.p, pem.n);
        yw_buf_release(&pem);
        free(sealed);
        if (rc) {
            yw_wipe(secret, sizeof secret);
            return yw_fail(err, YW_ECONFIG, "secret_key",
                           "the secret key does not open the signing key of %s in the database: "
                           "every node needs the secret key the signing keys were sealed with "
                           "(secret_key or secret_key_file)",
                           dept);
        }
    }
    have_secret = true;
    return 0;
}

void
yw_lic__keys_shutdown(void)
{
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < ncache; i++)
        yw_sm2_free(cache[i].key);
    ncache = 0;
    pthread_mutex_unlock(&cache_mu);
    yw_wipe(secret, sizeof secret);
    have_secret = false;
}

static const struct yw_sm2_key *
cache_find(const char *dept)
{
    for (int i = 0; i < ncache; i++)
        if (cache[i].active && !strcmp(cache[i].dept, dept))
            return cache[i].key;
    return NULL;
}

static void
cache_put(const char *dept, const char *key_id, struct yw_sm2_key *key)
{
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < ncache; i++)
        if (!strcmp(cache[i].dept, dept))
            cache[i].active = false;
    if (ncache == CACHE) {
        yw_sm2_free(cache[0].key);
        memmove(&cache[0], &cache[1], sizeof cache[0] * (CACHE - 1));
        ncache--;
    }
    snprintf(cache[ncache].key_id, sizeof cache[ncache].key_id, "%s", key_id);
    snprintf(cache[ncache].dept, sizeof cache[ncache].dept, "%s", dept);
    cache[ncache].active = true;
    cache[ncache].key = key;
    ncache++;
    pthread_mutex_unlock(&cache_mu);
}

static int
create_key(struct yw_dbc *c, const char *dept, char key_id[17], struct yw_sm2_key **out,
           struct yw_err *err)
{
    struct yw_sm2_key *k = NULL;
    struct yw_buf pub, priv, sealed;
    yw_buf_init(&pub);
    yw_buf_init(&priv);
    yw_buf_init(&sealed);
    int rc = yw_sm2_generate(&k);
    if (rc == 0)
        rc = yw_sm2_key_id(k, key_id);
    if (rc == 0)
        rc = yw_sm2_public_pem(k, &pub);
    if (rc == 0)
        rc = yw_sm2_private_pem(k, &priv);
    if (rc == 0)
        rc = yw_seal(secret, priv.p, priv.n, &sealed);
    if (rc) {
        yw_fail(err, YW_ECRYPTO, "", "cannot make a signing key for %s", dept);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_run(
        c,
        "INSERT INTO signing_keys (key_id, dept_code, public_pem, private_sealed, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        "sssss", key_id, dept, pub.p, sealed.p, now);
    if (rc == 0) {
        char summary[96];
        snprintf(summary, sizeof summary, "{\"key_id\":\"%s\",\"algorithm\":\"SM2-SM3\"}", key_id);
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "system",
                                                       .action = "key.create",
                                                       .obj_type = "department",
                                                       .obj_id = dept,
                                                       .summary = summary });
    }
out:
    if (priv.p)
        yw_wipe(priv.p, priv.n);
    yw_buf_release(&priv);
    yw_buf_release(&pub);
    yw_buf_release(&sealed);
    if (rc) {
        yw_sm2_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

static int dept_key(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key,
                    char key_id[17], bool create, struct yw_err *err);

int
yw_lic__dept_key(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key, char key_id[17],
                 struct yw_err *err)
{
    return dept_key(c, dept, key, key_id, true, err);
}

int
yw_lic__dept_key_existing(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key,
                          char key_id[17], struct yw_err *err)
{
    return dept_key(c, dept, key, key_id, false, err);
}

static int
dept_key(struct yw_dbc *c, const char *dept, const struct yw_sm2_key **key, char key_id[17],
         bool create, struct yw_err *err)
{
    if (!have_secret)
        return yw_fail(err, YW_ECONFIG, "secret_key", "no secret key is configured for signing");
    struct yw_stmt *s;
    int rc =
        yw_db_one_row(c, &s,
                      "SELECT key_id, private_sealed FROM signing_keys WHERE dept_code = ? AND "
                      "status = 'active' ORDER BY created_at DESC LIMIT 1",
                      "s", dept);
    if (rc == 0) {
        snprintf(key_id, 17, "%s", yw_db_col_text(s, 0));
        pthread_mutex_lock(&cache_mu);
        for (int i = 0; i < ncache; i++)
            if (cache[i].active && !strcmp(cache[i].key_id, key_id)) {
                *key = cache[i].key;
                pthread_mutex_unlock(&cache_mu);
                yw_db_reset(s);
                return 0;
            }
        pthread_mutex_unlock(&cache_mu);
        struct yw_buf pem;
        yw_buf_init(&pem);
        rc = yw_unseal(secret, yw_db_col_text(s, 1), &pem);
        yw_db_reset(s);
        struct yw_sm2_key *k = NULL;
        if (rc == 0)
            rc = yw_sm2_load_pem(pem.p, pem.n, true, &k);
        if (pem.p)
            yw_wipe(pem.p, pem.n);
        yw_buf_release(&pem);
        if (rc)
            return yw_fail(
                err, YW_ECRYPTO, "secret_key",
                "the signing key of %s cannot be opened: is this node's secret key the one it was sealed with?",
                dept);
        cache_put(dept, key_id, k);
        pthread_mutex_lock(&cache_mu);
        *key = cache_find(dept);
        pthread_mutex_unlock(&cache_mu);
        return 0;
    }
    if (rc != YW_ENOTFOUND)
        return rc;
    if (!create)
        return yw_fail(err, YW_ENOTFOUND, "", "%s has not signed anything yet", dept);
    struct yw_sm2_key *k = NULL;
    if ((rc = create_key(c, dept, key_id, &k, err)))
        return rc;
    cache_put(dept, key_id, k);
    *key = k;
    return 0;
}

int
yw_lic__rotate_key(struct yw_dbc *c, const char *dept, char key_id[17], struct yw_err *err)
{
    if (!have_secret)
        return yw_fail(err, YW_ECONFIG, "secret_key", "no secret key is configured for signing");
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_run(
        c,
        "UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE dept_code = ? AND status = 'active'",
        "ss", now, dept);
    struct yw_sm2_key *k = NULL;
    if (rc == 0)
        rc = create_key(c, dept, key_id, &k, err);
    if (rc == 0) {
        cache_put(dept, key_id, k);
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "admin",
                                                       .action = "key.rotate",
                                                       .obj_type = "department",
                                                       .obj_id = dept,
                                                       .summary = "{}" });
    }
    return rc;
}

static int
key_row(struct yw_stmt *s, struct yw_lic_names *names, json_t *keys, void *ctx)
{
    (void)ctx;
    const struct yw_catalog_dept *d;
    int rc = yw_lic__names_dept(names, yw_db_col_text(s, 1), &d);
    if (rc == 0)
        json_object_set_new(keys, yw_db_col_text(s, 0),
                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dept",
                                      yw_db_col_text(s, 1), "dept_name", d->name, "issuer_uscc",
                                      d->uscc, "algorithm", yw_db_col_text(s, 2), "public_pem",
                                      yw_db_col_text(s, 3), "status", yw_db_col_text(s, 4),
                                      "created_at", yw_db_col_text(s, 5), "retired_at",
                                      yw_db_col_text(s, 6)));
    return rc;
}

json_t *
yw_lic__keys_json(struct yw_dbc *c)
{
    /* NULL when a read fails: verifiers cache this, and a missing key would fail good documents */
    return yw_lic__rows(
        c,
        yw_db_query(
            c,
            "SELECT key_id, dept_code, algorithm, public_pem, status, created_at, retired_at "
            "FROM signing_keys ORDER BY created_at",
            NULL),
        json_object(), key_row, NULL, NULL);
}
