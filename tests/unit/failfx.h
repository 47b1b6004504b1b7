/*
 * failfx.h - the fixture of the tests that break the database under a cached
 * statement (test_list_errors.c, test_read_errors.c).
 *
 * Each test gets a freshly migrated database of the engine under test (the
 * catalog seeded when asked), an app with cheap password hashing and the
 * license keys started, and an arena.  yw_failfx_lose_table / _lose_column
 * rename a table or a column away: statements already prepared and cached on
 * the connection then fail at their step, as a query would fail mid-request.
 *
 * Everything here is `static inline`, like testutil.h.
 */
#ifndef YW_TEST_FAILFX_H
#define YW_TEST_FAILFX_H

#include "testutil.h"

#include "catalog/catalog.h"
#include "catalog/internal.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "identity/identity.h"
#include "licenses/internal.h"

#define YW_FAILFX_SECRET "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

struct yw_failfx {
    char *url;
    struct yw_db *db;
    struct yw_config cfg;
    struct yw_app app;
    struct yw_arena arena;
    bool keys;
};

/* The repository's data/ directory (the catalog and the calendars). */
static inline void
yw_failfx_data_dir(char *out, size_t n)
{
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    int len = slash ? (int)(slash - file) : 1;
    snprintf(out, n, "%.*s/../../data", len, slash ? file : ".");
}

static inline int
yw_failfx_teardown(void **state)
{
    struct yw_failfx *f = *state;
    if (f == NULL)
        return 0;
    if (f->keys)
        yw_lic__keys_shutdown();
    yw_cat__snap_stop();
    yw_arena_release(&f->arena);
    yw_db_close(f->db);
    yw_test_db_drop(f->url);
    yw_config_release(&f->cfg);
    free(f);
    *state = NULL;
    return 0;
}

static inline int
yw_failfx_setup(void **state, int engine, bool seed_catalog)
{
    struct yw_failfx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    *state = f;
    yw_log_set_level(
        YW_LOG_FATAL); /* the failures the tests cause are meant: keep the output clean */
    yw_config_init(&f->cfg);
    yw_arena_init(&f->arena, 4096);
    struct yw_err err = { 0 };
    int applied = 0;
    f->url = yw_test_db_fresh(engine);
    if (f->url == NULL ||
        yw_config_set(&f->cfg, "secret_key", YW_FAILFX_SECRET, "flag", &err) != 0 ||
        yw_config_add(&f->cfg, yw_identity_module.settings, &err) != 0 ||
        yw_config_set(&f->cfg, "pwhash_ops", "1", "flag", &err) != 0 ||
        yw_config_set(&f->cfg, "pwhash_mem", "8388608", "flag", &err) != 0 ||
        yw_db_open(f->url, &f->db, &err) != 0 || yw_db_migrate(f->db, &applied, &err) != 0) {
        fprintf(stderr, "cannot set up a %s database: %s\n", yw_test_engine_name(engine), err.msg);
        yw_failfx_teardown(state);
        return -1;
    }
    f->app = (struct yw_app){ .cfg = &f->cfg, .db = f->db, .version = "test" };
    char dd[4096];
    yw_failfx_data_dir(dd, sizeof dd);
    if ((seed_catalog && yw_catalog_seed(&f->app, dd, NULL, &err) != 0) ||
        yw_lic__keys_init(&f->app, &err) != 0) {
        fprintf(stderr, "cannot seed the catalog from %s or start the keys: %s\n", dd, err.msg);
        yw_failfx_teardown(state);
        return -1;
    }
    f->keys = true;
    return 0;
}

static inline struct yw_dbc *
yw_failfx_conn(struct yw_failfx *f)
{
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_non_null(c);
    return c;
}

/* Take a table away from every query that reads it. */
static inline void
yw_failfx_lose_table(struct yw_failfx *f, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME TO %s_gone", table, table);
    assert_int_equal(yw_db_exec_script(yw_failfx_conn(f), sql, NULL), 0);
}

/* Take a column away from the queries that read it (the table stays). */
static inline void
yw_failfx_lose_column(struct yw_failfx *f, const char *table, const char *column)
{
    char sql[160];
    snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME COLUMN %s TO %s_gone", table, column, column);
    assert_int_equal(yw_db_exec_script(yw_failfx_conn(f), sql, NULL), 0);
}

#endif
