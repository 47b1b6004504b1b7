/*
 * backup.c - online backup of a SQLite database (`ywtb backup`).
 *
 * The copy is made with SQLite's backup API inside one read transaction held
 * on the source for the whole copy: every page comes from the same snapshot,
 * and writers (the server, in WAL mode) go on undisturbed.  Without that
 * transaction each backup_step() reads a new snapshot and the backup starts
 * over whenever another connection wrote in between, so under steady writes
 * it never finished (issue 21).  The copy is written to PATH.tmp (mode 0600:
 * it holds ID numbers, password hashes and session tokens), synced and
 * renamed, so a crash never leaves a half-written backup under the final
 * name.  A timeout bounds the read transaction, which keeps the WAL from
 * being checkpointed past it.  PostgreSQL deployments back up with pg_dump or
 * base backups instead (docs/OPERATIONS.md).
 */
#include "db/db.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db_internal.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages copied per step: 1024 pages of 4 KiB, 4 MiB between progress reports. */
#define STEP_PAGES 1024

static void
sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

struct done_backup {
    const char *path;
    int pages;
};

/* The backup is recorded after it is in place: a row for the metric and an
 * audit record (a copy of every applicant's data was made). */
static int
record_tx(struct yw_dbc *c, void *ctx)
{
    const struct done_backup *d = ctx;
    int rc = yw_db_run(c, "INSERT INTO backups (finished_ms, path, pages) VALUES (?, ?, ?)", "isd",
                       yw_clock_real_ms(), d->path, d->pages);
    if (rc)
        return rc;
    json_t *sum = json_pack("{s:s, s:i}", "path", d->path, "pages", d->pages);
    char *text = sum ? json_dumps(sum, JSON_COMPACT) : NULL;
    json_decref(sum);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "system",
                                                   .action = "db.backup",
                                                   .obj_type = "database",
                                                   .obj_id = "backup",
                                                   .summary = text ? text : "{}" });
    free(text);
    return rc;
}

int
yw_db_backup_last(struct yw_dbc *c, int64_t *finished_ms)
{
    *finished_ms = 0;
    return yw_db_one_int(c, finished_ms, "SELECT COALESCE(MAX(finished_ms), 0) FROM backups", NULL);
}

int
yw_db_backup_with(struct yw_db *db, const char *path, const struct yw_db_backup_opts *opts,
                  struct yw_err *err)
{
    static const struct yw_db_backup_opts none = { 0 };
    if (opts == NULL)
        opts = &none;
    if (db->engine != YW_DB_SQLITE)
        return yw_fail(err, YW_EINVAL, "db",
                       "backup of PostgreSQL is done with pg_dump (see docs/OPERATIONS.md)");
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return yw_fail(err, YW_EINVAL, "file", "backup path is too long");
    unlink(tmp);
    /* Made here, not by SQLite, so it is 0600 whatever the umask (SQLite gives
     * its journal the same mode). */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return yw_fail(err, YW_EIO, "file", "cannot create backup file '%s': %s", tmp,
                       strerror(errno));
    close(fd);

    sqlite3 *src = c->handle, *dst = NULL;
    sqlite3_backup *b = NULL;
    bool in_read = false;
    int rc = YW_EIO;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        yw_fail(err, YW_EIO, "file", "cannot open backup file '%s': %s", tmp, sqlite3_errmsg(dst));
        goto out;
    }
    /* One snapshot for the whole copy: BEGIN, then a read to take it. */
    if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) !=
        SQLITE_OK) {
        yw_fail(err, YW_EIO, "db", "cannot start the read transaction: %s", sqlite3_errmsg(src));
        goto out;
    }
    in_read = true;
    b = sqlite3_backup_init(dst, "main", src, "main");
    if (b == NULL) {
        yw_fail(err, YW_EIO, "file", "cannot start backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    int64_t deadline = opts->timeout_s > 0 ? yw_clock_real_ms() + opts->timeout_s * 1000LL : 0;
    int step, pages = 0;
    for (;;) {
        step = sqlite3_backup_step(b, STEP_PAGES);
        int total = sqlite3_backup_pagecount(b);
        pages = total;
        if (opts->progress && (step == SQLITE_OK || step == SQLITE_DONE))
            opts->progress(opts->ctx, total - sqlite3_backup_remaining(b), total);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_OK && step != SQLITE_BUSY && step != SQLITE_LOCKED)
            break;
        if (deadline && yw_clock_real_ms() >= deadline) {
            sqlite3_backup_finish(b);
            b = NULL;
            yw_fail(err, YW_EIO, "timeout",
                    "backup did not finish within %d s (--timeout); nothing was written",
                    opts->timeout_s);
            goto out;
        }
        if (step != SQLITE_OK)
            sqlite3_sleep(5);
    }
    int fin = sqlite3_backup_finish(b);
    b = NULL;
    if (step != SQLITE_DONE || fin != SQLITE_OK) {
        yw_fail(err, YW_EIO, "file", "backup failed: %s",
                sqlite3_errstr(step != SQLITE_DONE ? step : fin));
        goto out;
    }
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    in_read = false;
    /* The copy takes the source's WAL mode; make it a single self-contained file. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        yw_fail(err, YW_EIO, "file", "cannot finish the backup file: %s", sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_close(dst);
    dst = NULL;
    sync_path(tmp, O_RDONLY);
    if (rename(tmp, path) != 0) {
        yw_fail(err, YW_EIO, "file", "cannot rename backup to '%s': %s", path, strerror(errno));
        goto out;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    sync_path(dirname(dir), O_RDONLY | O_DIRECTORY);
    rc = 0;
    struct done_backup d = { .path = path, .pages = pages };
    struct yw_err rerr = { 0 };
    if (yw_db_tx(db, YW_TX_WRITE, record_tx, &d, &rerr) != 0)
        yw_log_warn("db", "the backup is written, but could not be recorded: %s", rerr.msg);
out:
    if (b)
        sqlite3_backup_finish(b);
    if (in_read)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (dst)
        sqlite3_close(dst);
    if (rc)
        unlink(tmp);
    return rc;
}

int
yw_db_backup(struct yw_db *db, const char *path, struct yw_err *err)
{
    return yw_db_backup_with(db, path, NULL, err);
}
