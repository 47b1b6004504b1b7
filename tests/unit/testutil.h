/*
 * testutil.h - helpers shared by the cmocka unit tests in tests/unit/.
 *
 * Databases: every storage test runs once per engine.  SQLite gets a fresh
 * file in its own temporary directory ("sqlite:/tmp/ywtb-unit-XXXXXX/t.db");
 * PostgreSQL gets a fresh database created through the admin URL in
 * YWTB_TEST_PG_ADMIN (a libpq URL such as postgresql://postgres@127.0.0.1:5432/postgres).
 * When that variable is not set the PostgreSQL half is skipped, loudly, and the
 * SQLite half still runs.  yw_test_db_drop() removes what yw_test_db_fresh()
 * made, so tests leave no files or databases behind.
 *
 * Everything here is `static inline` so that each test file can include it
 * without -Wmissing-prototypes or unused-function warnings.
 */
#ifndef YW_TEST_TESTUTIL_H
#define YW_TEST_TESTUTIL_H

#include <ftw.h>
#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- temporary files ---- */

static inline int
yw_test__rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Remove a directory made by yw_test_tmpdir() and everything in it.  Refuses
 * any path outside /tmp/ywtb-unit-*. */
static inline void
yw_test_rmtree(const char *dir)
{
    if (dir == NULL || strncmp(dir, "/tmp/ywtb-unit-", 15) != 0 || strstr(dir, ".."))
        return;
    nftw(dir, yw_test__rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A fresh private directory /tmp/ywtb-unit-XXXXXX (malloc'd; NULL on failure). */
static inline char *
yw_test_tmpdir(void)
{
    char tmpl[] = "/tmp/ywtb-unit-XXXXXX";
    if (mkdtemp(tmpl) == NULL)
        return NULL;
    return strdup(tmpl);
}

/* Random lower-case hex of 2*nbytes characters into out (2*nbytes+1 bytes). */
static inline void
yw_test_randhex(char *out, size_t nbytes)
{
    static const char hexd[] = "0123456789abcdef";
    unsigned char raw[32];
    if (nbytes > sizeof raw)
        nbytes = sizeof raw;
    if (getrandom(raw, nbytes, 0) != (ssize_t)nbytes) {
        for (size_t i = 0; i < nbytes; i++)
            raw[i] = (unsigned char)rand();
    }
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hexd[raw[i] >> 4];
        out[2 * i + 1] = hexd[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
}

/* ---- SQLite ---- */

/* URL of a new SQLite file in a fresh temporary directory: malloc'd
 * "sqlite:/tmp/ywtb-unit-XXXXXX/t.db" (the file itself is not created). */
static inline char *
yw_test_sqlite_fresh(void)
{
    char *dir = yw_test_tmpdir();
    if (dir == NULL)
        return NULL;
    size_t n = strlen(dir) + 32;
    char *url = malloc(n);
    if (url)
        snprintf(url, n, "sqlite:%s/t.db", dir);
    free(dir);
    return url;
}

/* Directory of a URL made by yw_test_sqlite_fresh (malloc'd). */
static inline char *
yw_test_sqlite_dir(const char *url)
{
    if (url == NULL || strncmp(url, "sqlite:", 7) != 0)
        return NULL;
    char *dir = strdup(url + 7);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash == NULL) {
        free(dir);
        return NULL;
    }
    *slash = '\0';
    return dir;
}

/* ---- PostgreSQL ---- */

/* The admin URL for PostgreSQL tests, or NULL when they are not available. */
static inline const char *
yw_test_pg_admin(void)
{
    const char *u = getenv("YWTB_TEST_PG_ADMIN");
    return u && *u ? u : NULL;
}

static inline void
yw_test__pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Run one SQL command on the admin database; 0 on success. */
static inline int
yw_test_pg_admin_exec(const char *sql)
{
    const char *admin = yw_test_pg_admin();
    if (admin == NULL)
        return -1;
    PGconn *h = PQconnectdb(admin);
    int rc = -1;
    if (PQstatus(h) != CONNECTION_OK) {
        fprintf(stderr, "testutil: cannot connect to '%s': %s", admin, PQerrorMessage(h));
        PQfinish(h);
        return -1;
    }
    PQsetNoticeProcessor(h, yw_test__pg_quiet, NULL);
    PGresult *r = PQexec(h, sql);
    if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
        rc = 0;
    else
        fprintf(stderr, "testutil: '%s' failed: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(h);
    return rc;
}

/* The admin URL with its database name replaced by `dbname` (malloc'd). */
static inline char *
yw_test__pg_url_with_db(const char *admin, const char *dbname)
{
    const char *scheme = strstr(admin, "://");
    if (scheme == NULL)
        return NULL;
    const char *host = scheme + 3;
    const char *path = strchr(host, '/');
    const char *query = strchr(host, '?');
    if (path && query && path > query)
        path = NULL;
    size_t prefix = path ? (size_t)(path - admin) : query ? (size_t)(query - admin) : strlen(admin);
    const char *suffix = query ? query : "";
    size_t n = prefix + 1 + strlen(dbname) + strlen(suffix) + 1;
    char *url = malloc(n);
    if (url)
        snprintf(url, n, "%.*s/%s%s", (int)prefix, admin, dbname, suffix);
    return url;
}

/* Database name of a PostgreSQL URL into out; false when there is none. */
static inline bool
yw_test__pg_dbname(const char *url, char *out, size_t outsz)
{
    const char *scheme = strstr(url, "://");
    const char *path = scheme ? strchr(scheme + 3, '/') : NULL;
    if (path == NULL)
        return false;
    path++;
    size_t n = strcspn(path, "?");
    if (n == 0 || n >= outsz)
        return false;
    memcpy(out, path, n);
    out[n] = '\0';
    return true;
}

/* Create a new, empty database ywtb_u_<random hex> and return its URL
 * (malloc'd), or NULL when YWTB_TEST_PG_ADMIN is not set or creation failed. */
static inline char *
yw_test_pg_fresh(void)
{
    const char *admin = yw_test_pg_admin();
    if (admin == NULL)
        return NULL;
    char hex[17], name[32], sql[160];
    yw_test_randhex(hex, 8);
    snprintf(name, sizeof name, "ywtb_u_%s", hex);
    /* UTF-8 so Chinese text round-trips whatever the cluster's default is. */
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name);
    if (yw_test_pg_admin_exec(sql) != 0) {
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        if (yw_test_pg_admin_exec(sql) != 0)
            return NULL;
    }
    return yw_test__pg_url_with_db(admin, name);
}

/* Drop a database made by yw_test_pg_fresh (only ywtb_u_* names). */
static inline void
yw_test_pg_drop(const char *url)
{
    char name[64], sql[160];
    if (url == NULL || !yw_test__pg_dbname(url, name, sizeof name) ||
        strncmp(name, "ywtb_u_", 7) != 0)
        return;
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (yw_test_pg_admin_exec(sql) != 0) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        yw_test_pg_admin_exec(sql);
    }
}

/* ---- either engine ---- */

enum {
    YW_TEST_SQLITE = 0,
    YW_TEST_PG = 1,
    YW_TEST_NENGINES = 2
};

static inline const char *
yw_test_engine_name(int engine)
{
    return engine == YW_TEST_PG ? "postgresql" : "sqlite";
}

/* A fresh, empty database of the engine (malloc'd URL), or NULL. */
static inline char *
yw_test_db_fresh(int engine)
{
    return engine == YW_TEST_PG ? yw_test_pg_fresh() : yw_test_sqlite_fresh();
}

/* Remove the database behind a URL from yw_test_db_fresh and free the URL.
 * Close every yw_db on it first. */
static inline void
yw_test_db_drop(char *url)
{
    if (url == NULL)
        return;
    if (strncmp(url, "sqlite:", 7) == 0) {
        char *dir = yw_test_sqlite_dir(url);
        yw_test_rmtree(dir);
        free(dir);
    } else {
        yw_test_pg_drop(url);
    }
    free(url);
}

/* Run a group of tests once per engine, setting *engine_var before each run.
 * The PostgreSQL run is skipped with a SKIP line when YWTB_TEST_PG_ADMIN is
 * not set.  Returns the total number of failed tests. */
static inline int
yw_test_run_engines(const char *name, const struct CMUnitTest *tests, size_t n, int *engine_var)
{
    int failed = 0;
    for (int e = 0; e < YW_TEST_NENGINES; e++) {
        char group[128];
        snprintf(group, sizeof group, "%s/%s", name, yw_test_engine_name(e));
        if (e == YW_TEST_PG && yw_test_pg_admin() == NULL) {
            printf(
                "SKIP: %s: PostgreSQL half not run (set YWTB_TEST_PG_ADMIN to a libpq admin URL)\n",
                group);
            fflush(stdout);
            continue;
        }
        printf("# engine: %s (%s)\n", yw_test_engine_name(e), group);
        fflush(stdout);
        *engine_var = e;
        failed += _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    }
    return failed;
}

#define YW_TEST_RUN_ENGINES(name, tests, engine_var)                                               \
    yw_test_run_engines((name), (tests), sizeof(tests) / sizeof((tests)[0]), &(engine_var))

#endif
