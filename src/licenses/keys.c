/*
 * keys.c - each issuing department's SM2 signing keys.
 *
 * A department's key pair is made the first time it signs.  The private key is
 * stored sealed (AES-256-GCM) under the secret key from the configuration
 * (secret_key, or the file secret_key_file, created with a random key on first
 * start; read by core/secret.h, as the audit log's sealer reads it); every
 * node of a deployment needs the same secret.  A new key is never made while
 * the database holds sealed keys (the departments' or the audit log's), and a
 * secret that does not open them stops the start (issue 21: a serve started
 * in another directory made a new key, answered /readyz and failed every
 * license with a 500).  Rotation retires the active key and makes a new one;
 * retired keys stay published and keep verifying what they signed.  Loaded
 * keys are cached in memory.
 */
#include "licenses/internal.h"

#include "core/crypto.h"
#include "core/secret.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One sealed signing key of the database, to check the secret against: 0 with
 * *sealed (malloc'd) and its department, YW_ENOTFOUND when there is none. */
static int
first_sealed(struct yw_dbc *c, char **sealed, char dept[40], struct yw_err *err)
{
    *sealed = NULL;
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

/* The module's sealed_keys hook (http.h): the departments' signing keys. */
int
yw_lic__sealed_keys(struct yw_dbc *c, const char **what)
{
    char *sealed = NULL, dept[40];
    int rc = first_sealed(c, &sealed, dept, NULL);
    if (rc == 0)
        *what = "licenses";
    free(sealed);
    return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Loads the secret (yw_app_secret: a missing key file is made only when no
 * module holds keys sealed under a secret).  With sealed signing keys, the
 * secret must open the first of them, or the start stops. */
int
yw_lic__keys_init(struct yw_app *app, struct yw_err *err)
{
    char *sealed = NULL, dept[40] = "";
    int have = YW_ENOTFOUND, rc = 0;
    if (app->db) {
        struct yw_dbc *c = yw_db_conn(app->db, err);
        if (c == NULL)
            return YW_EDB;
        have = first_sealed(c, &sealed, dept, err);
        if (have != 0 && have != YW_ENOTFOUND)
            return have;
    }
    if ((rc = yw_app_secret(app, "licenses", have == 0 ? "licenses" : NULL, secret, err)))
        goto out;
    if (have == 0) {
        /* the secret must open what the database holds */
        struct yw_buf pem;
        yw_buf_init(&pem);
        rc = yw_unseal(secret, sealed, &pem);
        if (pem.p)
            yw_wipe(pem.p, pem.n);
        yw_buf_release(&pem);
        if (rc) {
            yw_wipe(secret, sizeof secret);
            rc = yw_fail(err, YW_ECONFIG, "secret_key",
                         "the secret key does not open the signing key of %s in the database: "
                         "every node needs the secret key the signing keys were sealed with "
                         "(secret_key or secret_key_file)",
                         dept);
            goto out;
        }
    }
out:
    have_secret = rc == 0; /* a failed load wiped the secret */
    free(sealed);
    return rc;
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
