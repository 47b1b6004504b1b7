/*
 * lib_hotline_pip.c - the time to place a point in its unit grid (point in
 * polygon, issue 12's figure) through the hotline module's own call,
 * yw_hotline__grid_locate: the read of the grids' stamp (one row) and the
 * look-up in the in-memory spatial index (src/hotline/gridindex.c: one bucket,
 * bounding boxes, the ray test on the candidates), the work done for every
 * order and event with a location.  The index is built by the first call,
 * among the warm-up points.  On PostgreSQL the module listens for grid
 * writes, as serve does (yw_hotline__grid_listen), so the stamp is read only
 * until the index is trusted; the line says whether it listened.
 *
 *   lib_hotline_pip DBURL POINTS
 *
 * Places POINTS pseudo-random points inside Xuhui's extent (fixed seed) in the
 * grids of DBURL (loaded with `ywtb import grids`), after POINTS/10 warm-up
 * points.  Prints one line:
 *   points=N found=F mean_us=X p50_us=Y p99_us=Z
 * Part of `make bench` (bench/hotline.sh); never part of `make test`.
 */
#include "db/db.h"
#include "hotline/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lib_hotline_pip DBURL POINTS\n");
        return 2;
    }
    long n = atol(argv[2]);
    if (n < 10)
        n = 10;
    struct yw_err err = { 0 };
    struct yw_db *db = NULL;
    if (yw_db_open(argv[1], &db, &err) != 0) {
        fprintf(stderr, "lib_hotline_pip: %s\n", err.msg);
        return 1;
    }
    struct yw_dbc *c = yw_db_conn(db, &err);
    if (c == NULL) {
        fprintf(stderr, "lib_hotline_pip: %s\n", err.msg);
        return 1;
    }
    if (yw_hotline__grid_listen(db, &err) != 0) {
        fprintf(stderr, "lib_hotline_pip: %s\n", err.msg);
        return 1;
    }
    for (int w = 0; w < 300 && yw_db_engine(db) == YW_DB_PG && !yw_hotline__grid_listening(); w++)
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    bool listening = yw_hotline__grid_listening();
    double *t = malloc((size_t)n * sizeof *t);
    if (t == NULL)
        return 1;
    srand48(12345);
    long found = 0;
    double sum = 0;
    for (long i = -n / 10; i < n; i++) {
        double lat = YW_HOTLINE_LAT_MIN + drand48() * (YW_HOTLINE_LAT_MAX - YW_HOTLINE_LAT_MIN);
        double lng = YW_HOTLINE_LNG_MIN + drand48() * (YW_HOTLINE_LNG_MAX - YW_HOTLINE_LNG_MIN);
        struct yw_arena a;
        yw_arena_init(&a, 1024);
        struct yw_hotline__grid g;
        double t0 = now_us();
        int rc = yw_hotline__grid_locate(c, &a, lat, lng, &g);
        double dt = now_us() - t0;
        yw_arena_release(&a);
        if (rc != 0 && rc != YW_ENOTFOUND) {
            fprintf(stderr, "lib_hotline_pip: locate failed (%d)\n", rc);
            return 1;
        }
        if (i >= 0) {
            t[i] = dt;
            sum += dt;
            found += rc == 0;
        }
    }
    qsort(t, (size_t)n, sizeof *t, cmp_d);
    printf("points=%ld found=%ld mean_us=%.2f p50_us=%.2f p99_us=%.2f listening=%d\n", n, found,
           sum / (double)n, t[n / 2], t[(size_t)((double)n * 0.99)], listening);
    free(t);
    yw_hotline__grid_listen_stop();
    yw_db_close(db);
    return 0;
}
