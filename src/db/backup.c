/*
 * backup.c - online backup of a SQLite database (`ywtb backup`).
 *
 * Uses SQLite's backup API, which copies a consistent snapshot page by page
 * while the server keeps serving; the copy is written to PATH.tmp, synced and
 * renamed so a crash never leaves a half-written backup under the final name.
 * PostgreSQL deployments back up with pg_dump or base backups instead
 * (docs/OPERATIONS.md).
 */
#include "db/db.h"

#include "db/db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
yw_db_backup(struct yw_db *db, const char *path, struct yw_err *err)
{
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

    sqlite3 *dst = NULL;
    int rc = YW_EIO;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        yw_fail(err, YW_EIO, "file", "cannot create backup file '%s': %s", tmp,
                sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->handle, "main");
    if (b == NULL) {
        yw_fail(err, YW_EIO, "file", "cannot start backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    int src;
    while ((src = sqlite3_backup_step(b, 256)) == SQLITE_OK || src == SQLITE_BUSY ||
           src == SQLITE_LOCKED)
        sqlite3_sleep(5);
    sqlite3_backup_finish(b);
    if (src != SQLITE_DONE) {
        yw_fail(err, YW_EIO, "file", "backup failed: %s", sqlite3_errstr(src));
        goto out;
    }
    /* The copy takes the source's WAL mode; make it a single self-contained file. */
    sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dst);
    dst = NULL;
    int fd = open(tmp, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    if (rename(tmp, path) != 0) {
        yw_fail(err, YW_EIO, "file", "cannot rename backup to '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (dst)
        sqlite3_close(dst);
    if (rc)
        unlink(tmp);
    return rc;
}
