/*
 * dh_fill.c - fill the data hub with many generated records quickly, for the
 * latency figure at scale (bench/datahub.sh, BENCH_DH_RECORDS=25000000):
 * the target is a subject read's p99 with 25,000,000 records in the
 * hub, and importing that many through `ywtb import data` would take the
 * bench's whole budget.  Records are of the given resources (person
 * subjects), each subject holding one record in each, subjects with valid
 * GB 11643 ID numbers (born 1930-2011, so none is one of the import's
 * generated subjects, born from 1950 on, nor a demo person), written in
 * (resource, subject) order so every index grows at its end.
 *
 *   dh_fill sqlite DBFILE N RES_ID[,RES_ID...]   straight into dh_records
 *                                                 (the server is not running)
 *   dh_fill copy N RES_ID[,RES_ID...]            COPY text for
 *       psql -c "COPY dh_records (resource_id, subject, record_key, data, batch_id, updated_at) FROM STDIN"
 * prints (stderr): rows=N seconds=S rate=R
 */
#include <sqlite3.h>
#include <stdbool.h>
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

/* Subject number k (0-based, ascending k gives ascending IDs): 3101041930...
 * a day from 1930-01-01 on and a sequence number 001-999 of that day. */
static void
subject_of(long k, char id[19])
{
    static const int W[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    long day = k / 999, seq = k % 999 + 1;
    time_t t = (time_t)(-1262304000L + day * 86400L); /* 1930-01-01T00:00:00Z */
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[48];
    snprintf(buf, sizeof buf, "310104%04d%02d%02d%03ld", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, seq % 1000);
    memcpy(id, buf, 17);
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (id[i] - '0') * W[i];
    id[17] = "10X98765432"[s % 11];
    id[18] = '\0';
}

static const char *const SURN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
static const char *const GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂";

/* Its record: a small object like the demo's (about 200 bytes). */
static int
data_of(long k, const char *id, char *out, size_t cap)
{
    char name[10];
    memcpy(name, SURN + (k % 20) * 3, 3);
    memcpy(name + 3, GIVEN + ((k * 7) % 24) * 3, 3);
    memcpy(name + 6, GIVEN + ((k * 13) % 24) * 3, 3);
    name[9] = '\0';
    return snprintf(out, cap,
                    "{\"id_number\":\"%s\",\"name\":\"%s\",\"hukou_address\":\"上海市徐汇区"
                    "漕河泾街道田林路%ld弄%ld号%ld0%ld室\",\"status\":\"正常\"}",
                    id, name, k % 900 + 1, k % 30 + 1, k % 6 + 1, k % 4 + 1);
}

int
main(int argc, char **argv)
{
    bool copy = argc == 4 && !strcmp(argv[1], "copy");
    if (!copy && !(argc == 5 && !strcmp(argv[1], "sqlite"))) {
        fprintf(stderr, "usage: dh_fill sqlite DBFILE N RES_ID[,...] | dh_fill copy N RES_ID[,...]\n");
        return 2;
    }
    long n = atol(argv[copy ? 2 : 3]);
    long res[256];
    int nres = 0;
    for (char *p = argv[copy ? 3 : 4]; *p && nres < 256;) {
        res[nres++] = strtol(p, &p, 10);
        if (*p == ',')
            p++;
    }
    if (n <= 0 || nres == 0) {
        fprintf(stderr, "dh_fill: N and at least one resource id\n");
        return 2;
    }
    long per = (n + nres - 1) / nres; /* subjects: one record in each resource */
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    if (!copy) {
        if (sqlite3_open(argv[2], &db) != SQLITE_OK) {
            fprintf(stderr, "dh_fill: cannot open %s\n", argv[2]);
            return 1;
        }
        /* a bulk load with the server stopped: no journal, back to WAL after */
        sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                     "PRAGMA cache_size=-1000000; BEGIN",
                     NULL, NULL, NULL);
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO dh_records (resource_id, subject, record_key, data, "
                               "batch_id, updated_at) VALUES (?, ?, '', ?, 0, "
                               "'2026-12-01T00:00:00.000Z')",
                               -1, &ins, NULL) != SQLITE_OK) {
            fprintf(stderr, "dh_fill: %s\n", sqlite3_errmsg(db));
            return 1;
        }
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    double t0 = now_s();
    long rows = 0;
    char id[19], data[512];
    for (int r = 0; r < nres && rows < n; r++) {
        for (long k = 0; k < per && rows < n; k++, rows++) {
            subject_of(k, id);
            int len = data_of(k, id, data, sizeof data);
            if (copy) {
                printf("%ld\t%s\t\t%s\t0\t2026-12-01T00:00:00.000Z\n", res[r], id, data);
                continue;
            }
            sqlite3_bind_int64(ins, 1, res[r]);
            sqlite3_bind_text(ins, 2, id, 18, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, data, len, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                fprintf(stderr, "dh_fill: %s\n", sqlite3_errmsg(db));
                return 1;
            }
            sqlite3_reset(ins);
            if ((rows + 1) % 500000 == 0) {
                sqlite3_exec(db, "COMMIT; BEGIN", NULL, NULL, NULL);
                fprintf(stderr, "\rdh_fill: %ld rows", rows + 1);
            }
        }
    }
    if (!copy) {
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_finalize(ins);
        sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    fflush(stdout);
    double dt = now_s() - t0;
    fprintf(stderr, "\nrows=%ld seconds=%.1f rate=%.0f\n", rows, dt, (double)rows / dt);
    return 0;
}
