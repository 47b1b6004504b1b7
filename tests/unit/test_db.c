/*
 * test_db.c - unit tests of src/db (db.h): opening by URL, migrations,
 * statements and column types, conflicts, transactions with rollback and retry,
 * per-thread connections, yw_db_exec, the typed helpers and backup.
 *
 * Every test runs against SQLite and, when YWTB_TEST_PG_ADMIN is set, against
 * PostgreSQL (testutil.h runs the whole group once per engine).  Each test gets
 * a fresh database from its setup and its teardown removes it.
 */
#include "testutil.h"

#include "core/embed.h"
#include "core/log.h"
#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int engine; /* YW_TEST_SQLITE or YW_TEST_PG: the engine of the current run */

struct fx {
    char *url;
    struct yw_db *db;
};

static int teardown(void **state);

/* A fresh, empty database of the current engine, opened.  On failure it cleans
 * up itself (cmocka skips the teardown of a failed setup). */
static int
open_fresh(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    *state = f;
    f->url = yw_test_db_fresh(engine);
    if (f->url == NULL) {
        fprintf(stderr, "cannot make a fresh %s database\n", yw_test_engine_name(engine));
        teardown(state);
        return -1;
    }
    struct yw_err err = { 0 };
    if (yw_db_open(f->url, &f->db, &err) != 0) {
        fprintf(stderr, "cannot open %s: %s\n", f->url, err.msg);
        teardown(state);
        return -1;
    }
    return 0;
}

/* A fresh database with a table t for the statement tests. */
static int
setup_table(void **state)
{
    if (open_fresh(state))
        return -1;
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    const char *ddl =
        engine == YW_TEST_PG
            ? "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT UNIQUE, n BIGINT, note TEXT, data BYTEA)"
            : "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, note TEXT, data BLOB)";
    struct yw_err err = { 0 };
    if (c == NULL || yw_db_exec_script(c, ddl, &err) != 0) {
        fprintf(stderr, "cannot create table t: %s\n", err.msg);
        teardown(state);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    yw_db_close(f->db);
    yw_test_db_drop(f->url);
    free(f);
    *state = NULL;
    return 0;
}

static int64_t
count_rows(struct yw_db *db, const char *sql)
{
    struct yw_dbc *c = yw_db_conn(db, NULL);
    assert_non_null(c);
    struct yw_stmt *s = yw_db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    int64_t n = yw_db_col_int(s, 0);
    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);
    return n;
}

/* ---- opening ---- */

static void
test_open_bad_url(void **state)
{
    (void)state;
    struct yw_db *db = (struct yw_db *)&db; /* must be reset to NULL on failure */
    struct yw_err err = { 0 };

    /* not a known scheme */
    assert_int_equal(yw_db_open("mysql://root@localhost/x", &db, &err), YW_EINVAL);
    assert_null(db);
    assert_string_equal(err.field, "db");
    assert_non_null(strstr(err.msg, "mysql://"));
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_open("", &db, &err), YW_EINVAL);
    assert_int_equal(yw_db_open("sqlite:", &db, &err), YW_EINVAL);
    assert_null(db);
    assert_int_equal(yw_db_open("sqlite://", &db, NULL), YW_EINVAL);

    if (engine == YW_TEST_SQLITE) {
        /* a path below a regular file cannot be created */
        char *dir = yw_test_tmpdir();
        assert_non_null(dir);
        char file[256], url[300];
        snprintf(file, sizeof file, "%s/plain", dir);
        FILE *fp = fopen(file, "w");
        assert_non_null(fp);
        fclose(fp);
        snprintf(url, sizeof url, "sqlite:%s/sub/t.db", file);
        memset(&err, 0, sizeof err);
        db = (struct yw_db *)&db;
        assert_int_equal(yw_db_open(url, &db, &err), YW_EDB);
        assert_null(db);
        assert_non_null(strstr(err.msg, "cannot open SQLite database"));
        yw_test_rmtree(dir);
        free(dir);
    } else {
        /* a database that does not exist, and a port nobody listens on */
        char *url = yw_test__pg_url_with_db(yw_test_pg_admin(), "ywtb_u_no_such_db");
        assert_non_null(url);
        memset(&err, 0, sizeof err);
        db = (struct yw_db *)&db;
        assert_int_equal(yw_db_open(url, &db, &err), YW_EDB);
        assert_null(db);
        assert_non_null(strstr(err.msg, "cannot connect to PostgreSQL"));
        assert_non_null(strstr(err.msg, "ywtb_u_no_such_db"));
        free(url);

        memset(&err, 0, sizeof err);
        assert_int_equal(
            yw_db_open("postgresql://nobody:secret@127.0.0.1:1/x?connect_timeout=2", &db, &err),
            YW_EDB);
        assert_null(db);
        assert_null(strstr(err.msg, "secret")); /* the password is never reported */
    }
}

/* ---- migrations ---- */

/* The migration files (one engine's; both have the same numbers).  Numbers may
 * have gaps while branches that each took a number are merged, so "applied"
 * counts files, not the highest number. */
static int
migration_files(void)
{
    int n = 0;
    for (size_t k = 0; k < yw_embedded_count; k++)
        n += strncmp(yw_embedded_files[k].name, "migrations/sqlite/", 18) == 0 &&
             strstr(yw_embedded_files[k].name, ".sql") != NULL;
    return n;
}

static void
test_migrate(void **state)
{
    struct fx *f = *state;
    struct yw_err err = { 0 };
    int version = -1, applied = -1;
    int latest = yw_db_migrations_latest();
    assert_true(latest >= 2);

    assert_int_equal(yw_db_schema_version(f->db, &version), 0);
    assert_int_equal(version, 0);

    assert_int_equal(yw_db_migrate(f->db, &applied, &err), 0);
    int files = migration_files();
    assert_in_range(files, 2, latest);
    assert_int_equal(applied, files);
    assert_int_equal(yw_db_schema_version(f->db, &version), 0);
    assert_int_equal(version, latest);
    /* one schema_migrations row per file, and the tables exist */
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM schema_migrations"), files);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM audit_head WHERE id = 1 AND seq = 0"),
                     1);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM accounts"), 0);

    /* idempotent: a second run applies nothing and changes nothing */
    applied = -1;
    assert_int_equal(yw_db_migrate(f->db, &applied, &err), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM schema_migrations"), files);

    /* so does a second handle on the same database (another node starting) */
    struct yw_db *db2 = NULL;
    assert_int_equal(yw_db_open(f->url, &db2, &err), 0);
    applied = -1;
    assert_int_equal(yw_db_migrate(db2, &applied, &err), 0);
    assert_int_equal(applied, 0);
    yw_db_close(db2);

    /* a version below the highest that was never applied (a branch merged
     * after a later number landed) is applied, not skipped: here 0009 */
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_int_equal(yw_db_exec(c, "DROP INDEX tasks_by_status", 0), 0);
    assert_int_equal(yw_db_exec(c, "DELETE FROM schema_migrations WHERE version = ?", 1, "9"), 0);
    applied = -1;
    assert_int_equal(yw_db_migrate(f->db, &applied, &err), 0);
    assert_int_equal(applied, 1);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM schema_migrations"), files);
    assert_int_equal(yw_db_exec(c, "DROP INDEX tasks_by_status", 0), 0); /* it is there again */
    assert_int_equal(yw_db_exec(c, "CREATE INDEX tasks_by_status ON tasks (status)", 0), 0);
}

/* ---- statements and columns ---- */

static const unsigned char blob_bytes[] = { 0x00, 0x01, 0xff, 0x00, 0x5c,
                                            0x78, 0x27, 0x80, 0x7f, 0x00 };

static void
test_types(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_non_null(c);
    assert_ptr_equal(yw_dbc_db(c), f->db);
    assert_ptr_equal(yw_db_conn(f->db, NULL), c); /* the same connection on the same thread */
    assert_int_equal(yw_db_engine(f->db), engine == YW_TEST_PG ? YW_DB_PG : YW_DB_SQLITE);

    const char *zh = "一网通办 徐汇区「行政服务中心」";
    struct yw_stmt *s =
        yw_db_prepare(c, "INSERT INTO t (id, name, n, note, data) VALUES (?, ?, ?, ?, ?)");
    assert_non_null(s);
    yw_db_bind_int(s, 1, 1);
    yw_db_bind_text(s, 2, zh, (size_t)-1);
    yw_db_bind_int(s, 3, INT64_C(9007199254740993)); /* beyond a double's exact range */
    yw_db_bind_null(s, 4);
    yw_db_bind_blob(s, 5, blob_bytes, sizeof blob_bytes);
    assert_int_equal(yw_db_step(s), YW_DONE);
    assert_int_equal(yw_db_changes(s), 1);

    /* the same cached statement again: bindings were cleared by prepare */
    struct yw_stmt *s2 =
        yw_db_prepare(c, "INSERT INTO t (id, name, n, note, data) VALUES (?, ?, ?, ?, ?)");
    assert_ptr_equal(s2, s);
    yw_db_bind_int(s2, 1, 2);
    yw_db_bind_text(s2, 2, "abcdef", 3); /* only 3 bytes */
    yw_db_bind_int(s2, 3, INT64_MIN + 1);
    yw_db_bind_str(s2, 4, NULL);   /* NULL via the convenience call */
    yw_db_bind_blob(s2, 5, "", 0); /* empty blob, not NULL */
    assert_int_equal(yw_db_step(s2), YW_DONE);

    s = yw_db_prepare(c, "INSERT INTO t (id, name, n, note, data) VALUES (?, ?, ?, ?, ?)");
    yw_db_bind_int(s, 1, 3);
    yw_db_bind_str(s, 2, "third");
    yw_db_bind_int(s, 3, -42);
    yw_db_bind_str(s, 4, ""); /* empty text, not NULL */
    yw_db_bind_null(s, 5);
    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);

    s = yw_db_prepare(c, "SELECT id, name, n, note, data FROM t WHERE id >= ? ORDER BY id");
    assert_non_null(s);
    yw_db_bind_int(s, 1, 1);
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_col_count(s), 5);
    assert_int_equal(yw_db_col_int(s, 0), 1);
    assert_string_equal(yw_db_col_text(s, 1), zh);
    assert_int_equal(yw_db_col_len(s, 1), strlen(zh));
    assert_false(yw_db_col_null(s, 1));
    assert_int_equal(yw_db_col_int(s, 2), INT64_C(9007199254740993));
    assert_true(yw_db_col_null(s, 3));
    assert_string_equal(yw_db_col_text(s, 3), ""); /* "" for NULL */
    size_t n = 999;
    const unsigned char *b = yw_db_col_blob(s, 4, &n);
    assert_int_equal(n, sizeof blob_bytes);
    assert_non_null(b);
    assert_memory_equal(b, blob_bytes, sizeof blob_bytes);

    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_col_int(s, 0), 2);
    assert_string_equal(yw_db_col_text(s, 1), "abc");
    assert_int_equal(yw_db_col_int(s, 2), INT64_MIN + 1);
    assert_true(yw_db_col_null(s, 3));
    assert_false(yw_db_col_null(s, 4));
    n = 999;
    yw_db_col_blob(s, 4, &n);
    assert_int_equal(n, 0);

    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_col_int(s, 0), 3);
    assert_int_equal(yw_db_col_int(s, 2), -42);
    assert_false(yw_db_col_null(s, 3));
    assert_string_equal(yw_db_col_text(s, 3), "");
    assert_true(yw_db_col_null(s, 4));
    n = 999;
    yw_db_col_blob(s, 4, &n);
    assert_int_equal(n, 0);

    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);

    /* text compares as bytes in a WHERE on both engines */
    s = yw_db_prepare(c, "SELECT id FROM t WHERE name = ?");
    yw_db_bind_str(s, 1, zh);
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_col_int(s, 0), 1);
    assert_int_equal(yw_db_step(s), YW_DONE);

    /* an empty result */
    s = yw_db_prepare(c, "SELECT id FROM t WHERE name = ?");
    yw_db_bind_str(s, 1, "nobody");
    assert_int_equal(yw_db_step(s), YW_DONE);
    yw_db_reset(s);

    /* UPDATE reports its changed rows; a literal '?' is not a placeholder */
    s = yw_db_prepare(c, "UPDATE t SET note = '?' WHERE id <> ?");
    assert_non_null(s);
    yw_db_bind_int(s, 1, 2);
    assert_int_equal(yw_db_step(s), YW_DONE);
    assert_int_equal(yw_db_changes(s), 2);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE note = '?'"), 2);

    /* a syntax error is NULL (and logged), not a crash */
    assert_null(yw_db_prepare(c, "SELEKT nonsense FROM"));
    /* the connection still works afterwards */
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 3);
}

static void
test_unique_conflict(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "1", "徐汇"), 0);
    /* unique column */
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "2", "徐汇"),
                     YW_ECONFLICT);
    assert_true(strlen(yw_dbc_errmsg(c)) > 0);
    /* primary key */
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "1", "other"),
                     YW_ECONFLICT);
    /* through the statement API as well */
    struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO t (id, name) VALUES (?, ?)");
    yw_db_bind_int(s, 1, 3);
    yw_db_bind_str(s, 2, "徐汇");
    assert_int_equal(yw_db_step(s), YW_ECONFLICT);
    yw_db_reset(s);
    /* nothing was inserted by the failures, and the connection is usable */
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 1);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "2", "长宁"), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);

    /* a conflict inside a transaction fails the transaction */
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "5", "静安"), 0);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "6", "长宁"),
                     YW_ECONFLICT);
    yw_db_rollback(c);
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);
}

/* ---- transactions ---- */

struct ins {
    const char *id, *name;
    int result; /* what fn returns */
    int calls;
    int fail_first; /* return YW_ERETRY on the first n calls */
};

static int
insert_fn(struct yw_dbc *c, void *ctx)
{
    struct ins *a = ctx;
    a->calls++;
    if (!yw_dbc_in_tx(c))
        return YW_EINTERNAL;
    int rc = yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, a->id, a->name);
    if (rc)
        return rc;
    if (a->calls <= a->fail_first)
        return YW_ERETRY;
    return a->result;
}

static void
test_tx_commit_rollback(void **state)
{
    struct fx *f = *state;
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(f->db, NULL);

    struct ins ok = { "1", "committed", 0, 0, 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &ok, &err), 0);
    assert_int_equal(ok.calls, 1);
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE name = 'committed'"), 1);

    /* an error from fn is returned and nothing fn did stays */
    struct ins bad = { "2", "rolled back", YW_ESTATE, 0, 0 };
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &bad, &err), YW_ESTATE);
    assert_int_equal(bad.calls, 1); /* not retried */
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE name = 'rolled back'"), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 1);

    /* an error from the database inside fn (a conflict) rolls back too */
    struct ins dup = { "1", "dup", 0, 0, 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &dup, &err), YW_ECONFLICT);
    assert_int_equal(dup.calls, 1);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 1);

    /* the connection is reusable for a new transaction afterwards */
    struct ins again = { "3", "again", 0, 0, 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &again, &err), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);

    /* direct begin/commit/rollback */
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_true(yw_dbc_in_tx(c));
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "10", "ten"), 0);
    yw_db_rollback(c);
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE id = 10"), 0);
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, "10", "ten"), 0);
    assert_int_equal(yw_db_commit(c), 0);
    assert_false(yw_dbc_in_tx(c));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE id = 10"), 1);
    yw_db_rollback(c); /* harmless outside a transaction */
    assert_false(yw_dbc_in_tx(c));
}

static void
test_tx_retry(void **state)
{
    struct fx *f = *state;
    struct yw_err err = { 0 };
    /* YW_ERETRY once: rolled back and run again; only the second run's row stays */
    struct ins r = { "1", "retried", 0, 0, 1 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &r, &err), 0);
    assert_int_equal(r.calls, 2);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 1);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE id = 1 AND name = 'retried'"),
                     1);

    /* several retries, then success */
    struct ins r3 = { "2", "thrice", 0, 0, 3 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &r3, &err), 0);
    assert_int_equal(r3.calls, 4);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);

    /* a function that always asks for a retry gives up with YW_ERETRY and leaves nothing */
    struct ins never = { "3", "never", 0, 0, 1000 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, insert_fn, &never, &err), YW_ERETRY);
    assert_in_range(never.calls, 2, 1000);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);
}

/* ---- threads ---- */

#define ROWS_PER_THREAD 100

struct worker {
    struct yw_db *db;
    int id;
    int failures;
    int first_rc;
    struct yw_dbc *conn;
};

struct one_row {
    int tid, i;
};

static int
insert_one(struct yw_dbc *c, void *ctx)
{
    const struct one_row *r = ctx;
    struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO t (id, name, n) VALUES (?, ?, ?)");
    if (s == NULL)
        return YW_EDB;
    char name[32];
    snprintf(name, sizeof name, "t%d-%d", r->tid, r->i);
    yw_db_bind_int(s, 1, r->tid * 1000 + r->i);
    yw_db_bind_str(s, 2, name);
    yw_db_bind_int(s, 3, r->tid);
    int rc = yw_db_step(s);
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : rc;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    w->conn = yw_db_conn(w->db, NULL);
    for (int i = 0; i < ROWS_PER_THREAD; i++) {
        struct one_row r = { w->id, i };
        struct yw_err err = { 0 };
        int rc = yw_db_tx(w->db, YW_TX_WRITE, insert_one, &r, &err);
        if (rc) {
            if (w->failures++ == 0)
                w->first_rc = rc;
        }
    }
    return NULL;
}

static void
test_threads(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *mine = yw_db_conn(f->db, NULL);
    struct worker w[2] = { { f->db, 1, 0, 0, NULL }, { f->db, 2, 0, 0, NULL } };
    pthread_t th[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&th[k], NULL, worker_main, &w[k]), 0);
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_join(th[k], NULL), 0);
    for (int k = 0; k < 2; k++) {
        if (w[k].failures)
            fail_msg("thread %d: %d transactions failed, first with %d", w[k].id, w[k].failures,
                     w[k].first_rc);
        assert_non_null(w[k].conn);
        assert_ptr_not_equal(w[k].conn, mine); /* each thread has its own connection */
    }
    assert_ptr_not_equal(w[0].conn, w[1].conn);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2 * ROWS_PER_THREAD);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE n = 1"), ROWS_PER_THREAD);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE n = 2"), ROWS_PER_THREAD);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(DISTINCT name) FROM t"), 2 * ROWS_PER_THREAD);
    /* the main thread's connection is still the same */
    assert_ptr_equal(yw_db_conn(f->db, NULL), mine);
}

/* ---- yw_db_exec ---- */

static void
test_exec_null_args(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name, n, note) VALUES (?, ?, ?, ?)", 4, "7",
                                NULL, NULL, NULL),
                     0);
    assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name, n, note) VALUES (?, ?, ?, ?)", 4, "8",
                                "eight", "88", "note"),
                     0);
    assert_int_equal(
        count_rows(f->db, "SELECT COUNT(*) FROM t WHERE id = 7 AND name IS NULL AND n IS NULL AND "
                          "note IS NULL"),
        1);
    assert_int_equal(count_rows(f->db, "SELECT n FROM t WHERE id = 8 AND note = 'note'"), 88);
    /* no arguments at all; statements that return rows are drained */
    assert_int_equal(yw_db_exec(c, "DELETE FROM t WHERE id = 7", 0), 0);
    assert_int_equal(yw_db_exec(c, "SELECT id FROM t", 0), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 1);
    /* NULL into a WHERE matches nothing (SQL NULL semantics), and is not an error */
    assert_int_equal(yw_db_exec(c, "UPDATE t SET note = 'x' WHERE name = ?", 1, NULL), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t WHERE note = 'x'"), 0);
    /* a bad statement */
    assert_int_equal(yw_db_exec(c, "INSERT INTO no_such_table VALUES (?)", 1, "1"), YW_EDB);
}

/* ---- typed helpers (yw_db_run, yw_db_one_*, yw_db_exists, yw_db_query) ---- */

static void
test_helpers(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    const char *zh = "徐汇区行政服务中心";

    /* every format character: i, d, s, s=NULL, b, n */
    assert_int_equal(yw_db_run(c, "INSERT INTO t (id, name, n, note, data) VALUES (?, ?, ?, ?, ?)",
                               "isdsb", (int64_t)1, zh, 42, "note", blob_bytes, sizeof blob_bytes),
                     0);
    assert_int_equal(yw_db_run(c, "INSERT INTO t (id, name, n, note, data) VALUES (?, ?, ?, ?, ?)",
                               "isisn", INT64_C(9007199254740993), "two", INT64_MIN + 1,
                               (const char *)NULL),
                     0);
    assert_int_equal(
        count_rows(f->db, "SELECT COUNT(*) FROM t WHERE id = 9007199254740993 AND note IS NULL AND "
                          "data IS NULL"),
        1);

    /* one integer, one text, one row, exists */
    int64_t v = -1;
    assert_int_equal(yw_db_one_int(c, &v, "SELECT n FROM t WHERE name = ?", "s", zh), 0);
    assert_int_equal(v, 42);
    assert_int_equal(
        yw_db_one_int(c, &v, "SELECT n FROM t WHERE id = ?", "i", INT64_C(9007199254740993)), 0);
    assert_int_equal(v, INT64_MIN + 1);
    assert_int_equal(yw_db_one_int(c, &v, "SELECT COUNT(*) FROM t", NULL), 0);
    assert_int_equal(v, 2);
    v = 7;
    assert_int_equal(yw_db_one_int(c, &v, "SELECT n FROM t WHERE name = ?", "s", "nobody"),
                     YW_ENOTFOUND);
    assert_int_equal(v, 7); /* untouched */
    char *text = NULL;
    assert_int_equal(yw_db_one_text(c, &a, &text, "SELECT name FROM t WHERE id = ?", "d", 1), 0);
    assert_string_equal(text, zh);
    assert_int_equal(yw_db_one_text(c, &a, &text, "SELECT note FROM t WHERE name = ?", "s", "two"),
                     0);
    assert_string_equal(text, ""); /* SQL NULL */
    assert_int_equal(yw_db_one_text(c, &a, &text, "SELECT name FROM t WHERE id = ?", "d", 99),
                     YW_ENOTFOUND);
    assert_int_equal(yw_db_exists(c, "SELECT 1 FROM t WHERE name = ?", "s", "two"), 0);
    assert_int_equal(yw_db_exists(c, "SELECT 1 FROM t WHERE name = ?", "s", "three"), YW_ENOTFOUND);
    /* NULL text binds SQL NULL, which matches nothing */
    assert_int_equal(yw_db_exists(c, "SELECT 1 FROM t WHERE note = ?", "s", (const char *)NULL),
                     YW_ENOTFOUND);

    struct yw_stmt *s = (struct yw_stmt *)&s;
    assert_int_equal(
        yw_db_one_row(c, &s, "SELECT id, name, data FROM t WHERE n = ?", "i", (int64_t)42), 0);
    assert_non_null(s);
    assert_int_equal(yw_db_col_int(s, 0), 1);
    assert_string_equal(yw_db_col_text(s, 1), zh);
    size_t n = 0;
    const void *b = yw_db_col_blob(s, 2, &n);
    assert_int_equal(n, sizeof blob_bytes);
    assert_memory_equal(b, blob_bytes, sizeof blob_bytes);
    yw_db_reset(s);
    s = (struct yw_stmt *)&s;
    assert_int_equal(yw_db_one_row(c, &s, "SELECT id FROM t WHERE n = ?", "i", (int64_t)43),
                     YW_ENOTFOUND);
    assert_null(s);

    /* rows changed; a loop over a query */
    int64_t changed = -1;
    assert_int_equal(yw_db_run_changes(c, &changed, "UPDATE t SET note = ? WHERE id <> ?", "si",
                                       "x", (int64_t)0),
                     0);
    assert_int_equal(changed, 2);
    assert_int_equal(
        yw_db_run_changes(c, &changed, "UPDATE t SET note = ? WHERE id = ?", "si", "x", (int64_t)5),
        0);
    assert_int_equal(changed, 0);
    s = yw_db_query(c, "SELECT id FROM t WHERE note = ? ORDER BY id", "s", "x");
    assert_non_null(s);
    int rc, rows = 0;
    while ((rc = yw_db_step(s)) == YW_ROW)
        rows++;
    assert_int_equal(yw_db_finish(s, rc), 0);
    assert_int_equal(rows, 2);
    s = yw_db_query(c, "SELECT id FROM t", "");
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_finish(s, YW_ROW), YW_EDB); /* stopped early */
    assert_int_equal(yw_db_finish(s, YW_ECONFLICT), YW_ECONFLICT);

    /* a unique violation is YW_ECONFLICT, and changes nothing */
    assert_int_equal(
        yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", "is", (int64_t)3, "two"),
        YW_ECONFLICT);
    assert_int_equal(yw_db_run_changes(c, &changed, "INSERT INTO t (id, name) VALUES (?, ?)", "is",
                                       (int64_t)1, "new"),
                     YW_ECONFLICT);
    assert_int_equal(changed, 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);

    /* a bad format: an unknown character, or not one per '?' - nothing runs */
    assert_int_equal(
        yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", "ix", (int64_t)4, "four"),
        YW_EINTERNAL);
    assert_int_equal(yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", "i", (int64_t)4),
                     YW_EINTERNAL);
    assert_int_equal(
        yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", "iss", (int64_t)4, "a", "b"),
        YW_EINTERNAL);
    assert_int_equal(yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", NULL), YW_EINTERNAL);
    assert_int_equal(yw_db_one_int(c, &v, "SELECT n FROM t WHERE id = ?", "q", 1), YW_EINTERNAL);
    assert_int_equal(yw_db_exists(c, "SELECT 1 FROM t WHERE id = ?", "", 1), YW_EINTERNAL);
    assert_null(yw_db_query(c, "SELECT id FROM t WHERE id = ?", "z", 1));
    s = (struct yw_stmt *)&s;
    assert_int_equal(yw_db_one_row(c, &s, "SELECT id FROM t WHERE id = ?", "?", 1), YW_EINTERNAL);
    assert_null(s);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 2);
    /* the statement is usable again with a good format */
    assert_int_equal(
        yw_db_run(c, "INSERT INTO t (id, name) VALUES (?, ?)", "is", (int64_t)4, "four"), 0);

    /* a statement that cannot be prepared, and one that fails when run */
    assert_int_equal(yw_db_run(c, "INSERT INTO no_such_table VALUES (?)", "d", 1), YW_EDB);
    assert_int_equal(yw_db_one_int(c, &v, "SELECT n FROM no_such_table", NULL), YW_EDB);
    assert_int_equal(yw_db_exists(c, "SELEKT 1", NULL), YW_EDB);
    assert_null(yw_db_query(c, "SELEKT 1", NULL));
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 3);

    /* inside a transaction, and yw_db_bindf on a statement of one's own */
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_run(c, "DELETE FROM t WHERE id = ?", "i", (int64_t)4), 0);
    yw_db_rollback(c);
    s = yw_db_prepare(c, "SELECT COUNT(*) FROM t WHERE id >= ? AND name <> ?");
    assert_int_equal(yw_db_bindf(s, "ds", 2, "nobody"), 0);
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_int_equal(yw_db_col_int(s, 0), 2);
    yw_db_reset(s);
    assert_int_equal(yw_db_bindf(s, "d", 2), YW_EINTERNAL);
    yw_arena_release(&a);
}

/* ---- backup ---- */

static void
test_backup(void **state)
{
    struct fx *f = *state;
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    for (int i = 1; i <= 50; i++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(name, sizeof name, "名称-%d", i);
        assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", 2, id, name), 0);
    }

    if (engine == YW_TEST_PG) {
        assert_int_equal(yw_db_backup(f->db, "/tmp/ywtb-unit-never-written.db", &err), YW_EINVAL);
        assert_non_null(strstr(err.msg, "pg_dump"));
        assert_int_equal(access("/tmp/ywtb-unit-never-written.db", F_OK), -1);
        return;
    }

    char *dir = yw_test_tmpdir();
    assert_non_null(dir);
    char path[300], tmp[310], url[320];
    snprintf(path, sizeof path, "%s/backup.db", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(url, sizeof url, "sqlite:%s", path);
    int rc = yw_db_backup(f->db, path, &err);
    if (rc)
        fail_msg("backup failed: %d %s", rc, err.msg);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(access(tmp, F_OK), -1); /* renamed into place */

    /* a later change in the source is not in the copy */
    assert_int_equal(yw_db_exec(c, "DELETE FROM t WHERE id <= ?", 1, "10"), 0);

    struct yw_db *copy = NULL;
    assert_int_equal(yw_db_open(url, &copy, &err), 0);
    assert_int_equal(count_rows(copy, "SELECT COUNT(*) FROM t"), 50);
    assert_int_equal(count_rows(copy, "SELECT COUNT(*) FROM t WHERE name = '名称-7'"), 1);
    yw_db_close(copy);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 40);

    /* a backup into a directory that does not exist fails cleanly */
    char bad[320];
    snprintf(bad, sizeof bad, "%s/no/such/dir/b.db", dir);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_backup(f->db, bad, &err), YW_EIO);
    assert_true(strlen(err.msg) > 0);

    yw_test_rmtree(dir);
    assert_int_equal(access(dir, F_OK), -1);
    free(dir);
}

/* Progress reports: each step's count, and a slow first step (a stand-in for
 * a large database on a slow disk) that the timeout cuts off. */
struct progress_log {
    int calls, last_copied, total;
    bool monotonic;
    int sleep_ms;
};

static void
on_progress(void *ctx, int copied, int total)
{
    struct progress_log *p = ctx;
    if (copied < p->last_copied)
        p->monotonic = false;
    p->calls++;
    p->last_copied = copied;
    p->total = total;
    if (p->sleep_ms)
        usleep((useconds_t)p->sleep_ms * 1000);
}

static void
test_backup_timeout(void **state)
{
    struct fx *f = *state;
    if (engine == YW_TEST_PG)
        skip();
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    /* about 8 MB: more than two steps of the copy */
    char *big = malloc(100001);
    memset(big, 'x', 100000);
    big[100000] = '\0';
    for (int i = 1; i <= 80; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        assert_int_equal(yw_db_exec(c, "INSERT INTO t (id, note) VALUES (?, ?)", 2, id, big), 0);
    }
    free(big);
    char *dir = yw_test_tmpdir();
    assert_non_null(dir);
    char path[300], tmp[310];
    snprintf(path, sizeof path, "%s/b.db", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);

    /* every step reports; the last report is the whole database */
    struct progress_log p = { .monotonic = true };
    struct yw_db_backup_opts o = { .timeout_s = 60, .progress = on_progress, .ctx = &p };
    assert_int_equal(yw_db_backup_with(f->db, path, &o, &err), 0);
    assert_true(p.calls >= 2);
    assert_true(p.monotonic);
    assert_int_equal(p.last_copied, p.total);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    unlink(path);

    /* a first step that takes longer than the timeout: nothing is left behind */
    p = (struct progress_log){ .monotonic = true, .sleep_ms = 1100 };
    o.timeout_s = 1;
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_backup_with(f->db, path, &o, &err), YW_EIO);
    assert_string_equal(err.field, "timeout");
    assert_int_equal(p.calls, 1);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(access(tmp, F_OK), -1);
    /* the source's read transaction was ended: writes go on */
    assert_int_equal(yw_db_exec(c, "DELETE FROM t WHERE id <= ?", 1, "10"), 0);
    assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM t"), 70);

    yw_test_rmtree(dir);
    free(dir);
}

/* yw_db_after_tx: the same call registered many times (a wake per event of a
 * group commit) is made once and never fills the table, so a function
 * registered after them still runs (issue 19: a batch of 50 submissions
 * aborted the process when the own-list cache registered its bump). */
static int64_t after_calls[2], after_arg[2];
static bool after_all;

static void
after_a(int64_t arg)
{
    after_calls[0]++;
    after_arg[0] = arg;
    after_all |= arg == YW_DB_AFTER_TX_ALL;
}

static void
after_b(int64_t arg)
{
    after_calls[1]++;
    after_arg[1] = arg;
}

static void
test_after_tx(void **state)
{
    struct fx *f = *state;
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    memset(after_calls, 0, sizeof after_calls);
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    for (int i = 0; i < 3 * YW_DB_AFTER_TX_MAX; i++)
        yw_db_after_tx(c, after_a, 0);
    yw_db_after_tx(c, after_b, 42);
    assert_int_equal(after_calls[0] + after_calls[1], 0); /* not before the end */
    assert_int_equal(yw_db_commit(c), 0);
    assert_int_equal(after_calls[0], 1);
    assert_int_equal(after_arg[0], 0);
    assert_int_equal(after_calls[1], 1);
    assert_int_equal(after_arg[1], 42);

    /* a table full of one function's different calls: that one is widened to
     * "everything" and the newcomer still runs */
    memset(after_calls, 0, sizeof after_calls);
    after_all = false;
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    for (int i = 1; i <= YW_DB_AFTER_TX_MAX; i++)
        yw_db_after_tx(c, after_a, i);
    yw_db_after_tx(c, after_b, 7);
    yw_db_rollback(c);
    assert_int_equal(after_calls[0], YW_DB_AFTER_TX_MAX - 1);
    assert_true(after_all);
    assert_int_equal(after_calls[1], 1);
    assert_int_equal(after_arg[1], 7);
}

int
main(void)
{
    yw_log_set_level(YW_LOG_FATAL); /* expected failures (a bad prepare) would log */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_bad_url),
        cmocka_unit_test_setup_teardown(test_migrate, open_fresh, teardown),
        cmocka_unit_test_setup_teardown(test_types, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_unique_conflict, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_tx_commit_rollback, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_tx_retry, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_exec_null_args, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_helpers, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_backup, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_backup_timeout, setup_table, teardown),
        cmocka_unit_test_setup_teardown(test_after_tx, setup_table, teardown),
    };
    return YW_TEST_RUN_ENGINES("db", tests, engine);
}
