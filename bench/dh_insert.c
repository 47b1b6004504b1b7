/*
 * dh_insert.c - the raw rate of inserting the data hub's rows into SQLite:
 * the same NDJSON rows as `ywtb import data` gets, into a table shaped like
 * dh_records (the same unique index), 10,000 rows a transaction, WAL and
 * synchronous=FULL.  The yardstick of the import figure (bench/datahub.sh).
 *
 *   dh_insert DBFILE ROWS.ndjson
 * prints: rows=N seconds=S rate=R
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: dh_insert DBFILE ROWS.ndjson\n");
        return 2;
    }
    sqlite3 *db;
    FILE *f = fopen(argv[2], "r");
    if (f == NULL || sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "dh_insert: cannot open\n");
        return 1;
    }
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE IF NOT EXISTS r (id INTEGER PRIMARY KEY, resource_id INTEGER, "
                 "subject TEXT, record_key TEXT, data TEXT, batch_id INTEGER, updated_at TEXT, "
                 "UNIQUE (resource_id, subject, record_key));"
                 "CREATE INDEX IF NOT EXISTS r_subject ON r (subject, resource_id)",
                 NULL, NULL, NULL);
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db,
                       "INSERT INTO r (resource_id, subject, record_key, data, batch_id, "
                       "updated_at) VALUES (1, ?, '', ?, 1, '2026-12-07T00:00:00.000Z')",
                       -1, &ins, NULL);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long rows = 0;
    double t0 = now_s();
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    while ((n = getline(&line, &cap, f)) > 0) {
        char *p = strstr(line, "\"id_number\":\"");
        if (p == NULL)
            continue;
        sqlite3_bind_text(ins, 1, p + 13, 18, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, line, (int)n - 1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "dh_insert: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(ins);
        if (++rows % 10000 == 0) {
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
            sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        }
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double dt = now_s() - t0;
    printf("rows=%ld seconds=%.3f rate=%.0f\n", rows, dt, (double)rows / dt);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    fclose(f);
    free(line);
    return 0;
}
