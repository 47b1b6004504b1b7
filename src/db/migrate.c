/*
 * migrate.c - numbered schema migrations, per engine.
 *
 * migrations/sqlite/NNNN_name.sql and migrations/pg/NNNN_name.sql are compiled
 * into the binary (core/embed.h).  The database records what it has applied in
 * schema_migrations; each newer file runs in its own transaction together with
 * its schema_migrations row, so a crash leaves a migration applied whole or not
 * at all.  Files are never edited after they land: a change is a new number.
 * So each row keeps the SHA-256 of the file it ran, and a binary whose file of
 * an applied version differs refuses to migrate (and so to start) instead of
 * running over a schema its files do not describe; rows from before the
 * checksum were recorded take the file's checksum the first time (issue 21).
 * A version is applied when its row is missing, not when it is above the
 * highest: branches merge with gaps in the numbering, so a lower number can
 * arrive after a higher one.
 */
#include "db/db.h"

#include "core/crypto.h"
#include "core/embed.h"
#include "core/log.h"
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
engine_dir(struct yw_db *db)
{
    return db->engine == YW_DB_PG ? "migrations/pg/" : "migrations/sqlite/";
}

/* Version number of an embedded migration name, or -1 when it is not one of db's. */
static int
version_of(const char *dir, const char *name)
{
    size_t dn = strlen(dir);
    if (strncmp(name, dir, dn) != 0)
        return -1;
    const char *base = name + dn;
    if (strlen(base) < 9 || strcmp(base + strlen(base) - 4, ".sql") != 0)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (base[i] < '0' || base[i] > '9')
            return -1;
        v = v * 10 + (base[i] - '0');
    }
    return base[4] == '_' ? v : -1;
}

int
yw_db_migrations_latest(void)
{
    int latest = 0;
    for (size_t k = 0; k < yw_embedded_count; k++) {
        int v = version_of("migrations/sqlite/", yw_embedded_files[k].name);
        if (v > latest)
            latest = v;
    }
    return latest;
}

static int
ensure_table(struct yw_dbc *c, struct yw_err *err)
{
    int rc = yw_db_exec_script(c,
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                               " applied_at TEXT NOT NULL, checksum TEXT)",
                               err);
    if (rc)
        return rc;
    /* a table made by a binary before the checksums: add the column */
    if (c->db->engine == YW_DB_PG)
        return yw_db_exec_script(
            c, "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT", err);
    int64_t has = 0;
    rc = yw_db_one_int(c, &has,
                       "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') "
                       "WHERE name = 'checksum'",
                       NULL);
    if (rc == 0 && has == 0)
        rc = yw_db_exec_script(c, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT", err);
    return rc;
}

/* SHA-256 of a migration file, in hex. */
static void
checksum_of(const struct yw_embedded *f, char hex[65])
{
    unsigned char d[32];
    yw_sha256(f->data, f->len, d);
    yw_hex(d, sizeof d, hex);
    hex[64] = '\0';
}

/* Version v's row: 0 and its checksum ("" when recorded before checksums),
 * YW_ENOTFOUND when v was never applied. */
static int
applied_checksum(struct yw_dbc *c, int v, char sum[65])
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s, "SELECT COALESCE(checksum, '') FROM schema_migrations WHERE version = ?", "d", v);
    if (rc)
        return rc;
    snprintf(sum, 65, "%s", yw_db_col_text(s, 0));
    yw_db_reset(s);
    return 0;
}

static int
current_version(struct yw_dbc *c, int *version)
{
    int64_t v = 0;
    int rc = yw_db_one_int(c, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL);
    *version = rc == 0 ? (int)v : 0;
    return rc == YW_ENOTFOUND ? YW_EDB : rc; /* MAX() always has its row */
}

int
yw_db_schema_version(struct yw_db *db, int *version)
{
    *version = 0;
    struct yw_dbc *c = yw_db_conn(db, NULL);
    if (c == NULL)
        return YW_EDB;
    int rc = ensure_table(c, NULL);
    return rc ? rc : current_version(c, version);
}

int
yw_db_schema_applied(struct yw_dbc *c, int64_t *version)
{
    *version = 0;
    struct yw_stmt *s = yw_db_prepare(c, "SELECT MAX(version) FROM schema_migrations");
    if (s == NULL)
        return YW_ENOTFOUND; /* no table: never migrated */
    int rc = yw_db_step(s);
    if (rc == YW_ROW)
        *version = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return rc == YW_ROW ? 0 : rc < 0 ? rc : YW_EDB;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp((*(const struct yw_embedded *const *)a)->name,
                  (*(const struct yw_embedded *const *)b)->name);
}

int
yw_db_migrate(struct yw_db *db, int *applied, struct yw_err *err)
{
    *applied = 0;
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    const char *dir = engine_dir(db);
    int rc = ensure_table(c, err);
    if (rc)
        return rc;

    /* Several nodes may start at once: serialize them. */
    if (db->engine == YW_DB_PG &&
        (rc = yw_db_exec_script(c, "SELECT pg_advisory_lock(7272001)", err)))
        return rc;

    const struct yw_embedded **list = yw_xcalloc(yw_embedded_count + 1, sizeof *list);
    size_t n = 0;
    for (size_t k = 0; k < yw_embedded_count; k++)
        if (version_of(dir, yw_embedded_files[k].name) > 0)
            list[n++] = &yw_embedded_files[k];
    qsort(list, n, sizeof *list, cmp_names);

    for (size_t k = 0; k < n; k++) {
        int v = version_of(dir, list[k]->name);
        rc = yw_db_begin(c, YW_TX_WRITE);
        if (rc) {
            yw_fail(err, rc, "db", "cannot begin migration: %s", c->errmsg);
            break;
        }
        char sum[65], was[65] = "";
        checksum_of(list[k], sum);
        rc = applied_checksum(c, v, was);
        if (rc == 0) { /* applied before */
            if (was[0] && strcmp(was, sum) != 0) {
                yw_db_rollback(c);
                rc = yw_fail(err, YW_ECONFIG, "db",
                             "migration %s was applied with SHA-256 %.12s..., but this binary's "
                             "file is %.12s...: applied migrations must not change (a change is "
                             "a new migration); refusing to migrate",
                             list[k]->name, was, sum);
                break;
            }
            if (!was[0])
                rc = yw_db_run(c, "UPDATE schema_migrations SET checksum = ? WHERE version = ?",
                               "sd", sum, v);
            if (rc == 0)
                rc = yw_db_commit(c);
            else
                yw_db_rollback(c);
            if (rc) {
                yw_fail(err, rc, "db", "cannot record the checksum of %s", list[k]->name);
                break;
            }
            continue;
        }
        if (rc == YW_ENOTFOUND)
            rc = yw_db_exec_script(c, list[k]->data, err);
        if (rc == 0) {
            char at[32];
            yw_db_now_text(at);
            rc = yw_db_run(c,
                           "INSERT INTO schema_migrations (version, name, applied_at, checksum) "
                           "VALUES (?, ?, ?, ?)",
                           "dsss", v, list[k]->name + strlen(dir), at, sum);
        }
        if (rc == 0)
            rc = yw_db_commit(c);
        else
            yw_db_rollback(c);
        if (rc) {
            char m[512];
            snprintf(m, sizeof m, "migration %s failed: %s", list[k]->name, err ? err->msg : "");
            yw_fail(err, YW_EDB, "db", "%.255s", m);
            break;
        }
        yw_log_info("db", "applied migration %s", list[k]->name);
        (*applied)++;
    }
    free(list);
    if (db->engine == YW_DB_PG)
        yw_db_exec_script(c, "SELECT pg_advisory_unlock(7272001)", NULL);
    return rc;
}
