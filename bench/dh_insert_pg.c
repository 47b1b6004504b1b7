/*
 * dh_insert_pg.c - PostgreSQL's yardsticks for the data hub's figures
 * (bench/datahub.sh), measured on the same server as ywtb in the same run:
 *
 *   dh_insert_pg URL ROWS.ndjson     the raw rate of inserting the import's
 *       rows into a table shaped like dh_records (the same unique and subject
 *       indexes), one prepared single-row INSERT each, 10,000 a transaction
 *       -> rows=N seconds=S rate=R
 *   dh_insert_pg URL --commits SECS  the raw durable single-row commit rate:
 *       one INSERT per transaction, one connection, for SECS
 *       -> commits=N seconds=S rate=R
 */
#include <libpq-fe.h>
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

static void
run(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "dh_insert_pg: %s: %s", sql, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
}

int
main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 4 && !strcmp(argv[2], "--commits"))) {
        fprintf(stderr, "usage: dh_insert_pg URL ROWS.ndjson | dh_insert_pg URL --commits SECS\n");
        return 2;
    }
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "dh_insert_pg: %s", PQerrorMessage(c));
        return 1;
    }
    run(c, "DROP TABLE IF EXISTS dh_raw");
    run(c, "CREATE TABLE dh_raw (id BIGSERIAL PRIMARY KEY, resource_id BIGINT, subject TEXT, "
           "record_key TEXT, data TEXT, batch_id BIGINT, updated_at TEXT, "
           "UNIQUE (resource_id, subject, record_key))");
    run(c, "CREATE INDEX dh_raw_subject ON dh_raw (subject, resource_id)");
    PGresult *p = PQprepare(c, "ins",
                            "INSERT INTO dh_raw (resource_id, subject, record_key, data, batch_id, "
                            "updated_at) VALUES (1, $1, $2, $3, 1, '2026-12-07T00:00:00.000Z')",
                            3, NULL);
    if (PQresultStatus(p) != PGRES_COMMAND_OK) {
        fprintf(stderr, "dh_insert_pg: prepare: %s", PQerrorMessage(c));
        return 1;
    }
    PQclear(p);
    if (argc == 4) { /* durable single-row commits */
        double secs = atof(argv[3]), t0 = now_s();
        long n = 0;
        char subj[32];
        while (now_s() - t0 < secs) {
            snprintf(subj, sizeof subj, "S%ld", n);
            const char *v[3] = { subj, "", "{}" };
            PGresult *r = PQexecPrepared(c, "ins", 3, v, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                fprintf(stderr, "dh_insert_pg: %s", PQerrorMessage(c));
                return 1;
            }
            PQclear(r);
            n++;
        }
        double dt = now_s() - t0;
        printf("commits=%ld seconds=%.3f rate=%.0f\n", n, dt, (double)n / dt);
        PQfinish(c);
        return 0;
    }
    FILE *f = fopen(argv[2], "r");
    if (f == NULL) {
        fprintf(stderr, "dh_insert_pg: cannot open %s\n", argv[2]);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long rows = 0;
    double t0 = now_s();
    run(c, "BEGIN");
    while ((n = getline(&line, &cap, f)) > 0) {
        char *q = strstr(line, "\"id_number\":\"");
        if (q == NULL)
            continue;
        char subj[19];
        memcpy(subj, q + 13, 18);
        subj[18] = '\0';
        line[n - 1] = '\0';
        const char *v[3] = { subj, "", line };
        PGresult *r = PQexecPrepared(c, "ins", 3, v, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "dh_insert_pg: %s", PQerrorMessage(c));
            return 1;
        }
        PQclear(r);
        if (++rows % 10000 == 0) {
            run(c, "COMMIT");
            run(c, "BEGIN");
        }
    }
    run(c, "COMMIT");
    double dt = now_s() - t0;
    printf("rows=%ld seconds=%.3f rate=%.0f\n", rows, dt, (double)rows / dt);
    run(c, "DROP TABLE dh_raw");
    PQfinish(c);
    fclose(f);
    free(line);
    return 0;
}
