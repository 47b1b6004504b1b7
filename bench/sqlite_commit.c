/*
 * sqlite_commit.c - SQLite's raw durable single-row commit rate on this machine.
 *
 *   sqlite_commit DBFILE SECONDS
 *
 * WAL, synchronous=FULL (what ywtb runs with), one INSERT per transaction, one
 * thread, for SECONDS of wall time.  Prints one line:
 *   commits=N seconds=S rate=R p50_us=X p99_us=Y cpu_s=C
 * (cpu_s: the process's user+system CPU time; the rest of the time it waited
 * for the disk).
 * Part of `make bench` (bench/run.sh); never part of `make test`.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int
must(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_commit: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sqlite_commit DBFILE SECONDS\n");
        return 2;
    }
    double secs = atof(argv[2]);
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "sqlite_commit: cannot open %s\n", argv[1]);
        return 1;
    }
    must(db,
         sqlite3_exec(
             db,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
             "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, at INTEGER, payload TEXT)",
             NULL, NULL, NULL),
         "setup");
    sqlite3_stmt *ins, *begin, *commit;
    must(db, sqlite3_prepare_v2(db, "INSERT INTO t (at, payload) VALUES (?, ?)", -1, &ins, NULL),
         "prepare");
    must(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare");
    must(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
    const char *payload =
        "{\"case_no\":\"XH2026000001\",\"item\":\"310104-001\",\"state\":\"submitted\"}";

    size_t cap = 1 << 16, n = 0;
    double *lat = malloc(cap * sizeof *lat);
    double t0 = now_s(), end = t0 + secs, t = t0;
    while (t < end) {
        double a = now_s();
        must(db, sqlite3_step(begin), "begin");
        sqlite3_reset(begin);
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)(a * 1000));
        sqlite3_bind_text(ins, 2, payload, -1, SQLITE_STATIC);
        must(db, sqlite3_step(ins), "insert");
        sqlite3_reset(ins);
        must(db, sqlite3_step(commit), "commit");
        sqlite3_reset(commit);
        t = now_s();
        if (n == cap) {
            cap *= 2;
            lat = realloc(lat, cap * sizeof *lat);
        }
        lat[n++] = (t - a) * 1e6;
    }
    double dt = t - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    qsort(lat, n, sizeof *lat, cmp_d);
    printf("commits=%zu seconds=%.3f rate=%.0f p50_us=%.0f p99_us=%.0f cpu_s=%.3f\n", n, dt,
           (double)n / dt, n ? lat[n / 2] : 0.0, n ? lat[(size_t)((double)n * 0.99)] : 0.0, cpu);
    sqlite3_finalize(ins);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    free(lat);
    return 0;
}
