/*
 * test_hotline_grid.c - unit tests of the spatial index that places a point
 * in its unit grid (src/hotline/gridindex.c) and of its upkeep on the
 * database (yw_hotline__grid_locate in grid.c).
 *
 * The index: a tiling of squares where every point inside lands in its own
 * cell and a point on an edge or a corner shared by several cells lands in
 * exactly one (left/bottom edges in, right/top out); a cell with a hole and
 * an island cell inside the hole; overlapping cells (the smallest box wins,
 * then the lower code); a concave cell whose notch another cell fills; points
 * off the extent and NaN; an empty index; rings that are not rings; one huge
 * cell over many small ones (the bucket grid gets coarser, answers stay
 * right); and random polygons checked point by point against a plain scan of
 * every cell with yw_hotline__polygon_contains, smallest box first.
 *
 * The upkeep, on SQLite and (with YWTB_TEST_PG_ADMIN) PostgreSQL: a grid
 * written through yw_hotline__grid_put is found at once, a grid moved is
 * found in its new place and not its old one, an unchanged stamp reuses the
 * index (no rebuild), and a grid written in a transaction that rolled back is
 * never found after it.
 */
#include "testutil.h"

#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "hotline/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int engine;

/* A rectangle as GeoJSON rings. */
static json_t *
rect(double x0, double y0, double x1, double y1)
{
    return json_pack("[[[f,f],[f,f],[f,f],[f,f],[f,f]]]", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
}

static void
add(struct yw_hotline__gidx *ix, const char *code, json_t *rings)
{
    assert_int_equal(yw_hotline__gidx_add(ix, code, "街道", "社区", code, rings), 0);
    json_decref(rings);
}

static const char *
find(const struct yw_hotline__gidx *ix, double x, double y)
{
    struct yw_hotline__grid g;
    return yw_hotline__gidx_find(ix, x, y, &g) ? g.code : NULL;
}

#define assert_in(ix, x, y, code)                                                                  \
    do {                                                                                           \
        const char *got_ = find((ix), (x), (y));                                                   \
        if (got_ == NULL || strcmp(got_, (code)) != 0)                                             \
            fail_msg("(%g, %g): expected %s, got %s", (double)(x), (double)(y), (code),           \
                     got_ ? got_ : "nothing");                                                     \
    } while (0)
#define assert_none(ix, x, y)                                                                      \
    do {                                                                                           \
        const char *got_ = find((ix), (x), (y));                                                   \
        if (got_ != NULL)                                                                          \
            fail_msg("(%g, %g): expected no cell, got %s", (double)(x), (double)(y), got_);       \
    } while (0)

/* 10 x 10 unit squares over [0, 10] x [0, 10], cell "r,c" (row = y). */
static struct yw_hotline__gidx *
tiling(void)
{
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    for (int r = 0; r < 10; r++)
        for (int c = 0; c < 10; c++) {
            char code[32];
            snprintf(code, sizeof code, "%d,%d", r, c);
            add(ix, code, rect(c, r, c + 1, r + 1));
        }
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_int_equal(yw_hotline__gidx_count(ix), 100);
    return ix;
}

static void
test_tiling_inside(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = tiling();
    for (int r = 0; r < 10; r++)
        for (int c = 0; c < 10; c++) {
            char code[32];
            snprintf(code, sizeof code, "%d,%d", r, c);
            assert_in(ix, c + 0.5, r + 0.5, code);
            assert_in(ix, c + 0.001, r + 0.999, code);
            assert_in(ix, c + 0.999, r + 0.001, code);
        }
    yw_hotline__gidx_free(ix);
}

static void
test_tiling_borders(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = tiling();
    /* a vertical edge shared by 3,4 and 3,5: the cell on its right */
    assert_in(ix, 5.0, 3.5, "3,5");
    /* a horizontal edge shared by 3,4 and 4,4: the cell above */
    assert_in(ix, 4.5, 4.0, "4,4");
    /* a corner shared by four cells: the one it is the lower left of */
    assert_in(ix, 6.0, 7.0, "7,6");
    /* the outer left and bottom edges are in, the right and top ones out */
    assert_in(ix, 0.0, 0.0, "0,0");
    assert_in(ix, 0.0, 5.5, "5,0");
    assert_in(ix, 2.5, 0.0, "0,2");
    assert_none(ix, 10.0, 5.5);
    assert_none(ix, 5.5, 10.0);
    /* every point of a fine lattice over the tiling, borders included,
     * lands in exactly the cell floor(x), floor(y) */
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < 100; j++) {
            double x = i / 10.0, y = j / 10.0;
            char code[32];
            snprintf(code, sizeof code, "%d,%d", (int)(j / 10), (int)(i / 10));
            assert_in(ix, x, y, code);
        }
    yw_hotline__gidx_free(ix);
}

static void
test_off_extent(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = tiling();
    assert_none(ix, -0.001, 5);
    assert_none(ix, 5, -0.001);
    assert_none(ix, 10.001, 5);
    assert_none(ix, 5, 10.001);
    assert_none(ix, -170, -80);
    assert_none(ix, 179.9, 89.9);
    assert_none(ix, NAN, 5);
    assert_none(ix, 5, NAN);
    assert_none(ix, INFINITY, 5);
    assert_none(ix, -INFINITY, -INFINITY);
    yw_hotline__gidx_free(ix);
}

static void
test_hole_and_island(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    json_t *holed = json_loads("[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
                               "[[3,3],[7,3],[7,7],[3,7],[3,3]]]",
                               0, NULL);
    add(ix, "ring", holed);
    add(ix, "island", rect(4, 4, 6, 6));
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_in(ix, 1, 1, "ring");
    assert_in(ix, 8, 5, "ring");
    assert_in(ix, 5, 5, "island");
    assert_none(ix, 3.5, 3.5); /* in the hole, not on the island */
    assert_none(ix, 6.5, 5);
    /* the hole's edges: its left edge belongs to the hole (out of the ring),
     * its right edge to the ring */
    assert_none(ix, 3.0, 5);
    assert_in(ix, 7.0, 5, "ring");
    yw_hotline__gidx_free(ix);
}

static void
test_overlap_smallest_first(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    add(ix, "b-district", rect(0, 0, 100, 100));
    add(ix, "c-street", rect(10, 10, 50, 50));
    add(ix, "z-fine", rect(20, 20, 21, 21));
    add(ix, "a-fine", rect(20, 20, 21, 21)); /* the same box: the lower code wins */
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_in(ix, 20.5, 20.5, "a-fine");
    assert_in(ix, 30, 30, "c-street");
    assert_in(ix, 90, 90, "b-district");
    assert_in(ix, 5, 60, "b-district");
    assert_none(ix, 101, 50);
    yw_hotline__gidx_free(ix);
}

static void
test_concave_notch(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    json_t *l = json_loads("[[[0,0],[10,0],[10,6],[6,6],[6,10],[0,10],[0,0]]]", 0, NULL);
    add(ix, "L", l);
    add(ix, "notch", rect(6, 6, 10, 10));
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_in(ix, 8, 8, "notch"); /* inside the L's box, outside the L */
    assert_in(ix, 3, 8, "L");
    assert_in(ix, 8, 3, "L");
    assert_in(ix, 6.0, 8, "notch"); /* the shared edge: the cell on its right */
    assert_in(ix, 8, 6.0, "notch");
    yw_hotline__gidx_free(ix);
}

static void
test_empty_and_bad(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    assert_none(ix, 0, 0); /* not finished */
    json_t *bad[] = {
        json_loads("[]", 0, NULL),
        json_loads("[[[0,0],[1,0]]]", 0, NULL),
        json_loads("[[[0,0],[1,\"x\"],[1,1],[0,0]]]", 0, NULL),
        json_loads("{\"type\":\"Polygon\"}", 0, NULL),
        json_loads("[[0,0],[1,0],[1,1],[0,0]]", 0, NULL),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_non_null(bad[i]);
        assert_int_equal(yw_hotline__gidx_add(ix, "x", "", "", "", bad[i]), YW_EINVAL);
        json_decref(bad[i]);
    }
    assert_int_equal(yw_hotline__gidx_add(ix, "x", "", "", "", NULL), YW_EINVAL);
    assert_int_equal(yw_hotline__gidx_count(ix), 0);
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_none(ix, 0, 0);
    json_t *r = rect(0, 0, 1, 1);
    assert_int_equal(yw_hotline__gidx_add(ix, "late", "", "", "", r), YW_EINVAL); /* finished */
    json_decref(r);
    assert_int_equal(yw_hotline__gidx_finish(ix), YW_EINVAL);
    yw_hotline__gidx_free(ix);
    yw_hotline__gidx_free(NULL);
}

/* A plain scan: every cell, smallest bounding box first, then by code. */
struct plain {
    char code[32];
    json_t *rings;
    double area;
};

static int
cmp_plain(const void *a, const void *b)
{
    const struct plain *x = a, *y = b;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    return strcmp(x->code, y->code);
}

static void
test_random_against_scan(void **state)
{
    (void)state;
    enum { N = 400, PTS = 20000 };
    struct plain *cells = calloc(N, sizeof *cells);
    assert_non_null(cells);
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    srand48(20261207);
    for (int i = 0; i < N; i++) {
        /* a star-shaped polygon of 3..9 vertices around a random centre */
        double cx = 121.39 + drand48() * 0.1, cy = 31.10 + drand48() * 0.14;
        double rad = 0.0005 + drand48() * (i % 50 == 0 ? 0.05 : 0.004);
        int k = 3 + (int)(drand48() * 7);
        json_t *ring = json_array();
        double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9, x0 = 0, y0 = 0;
        for (int v = 0; v < k; v++) {
            double a = 6.283185307179586 * (v + drand48() * 0.8) / k;
            double rr = rad * (0.3 + drand48() * 0.7);
            /* cos/sin without libm: a rotation by small steps is enough here */
            double c = 1, s = 0;
            for (int t = 0; t < 64; t++) {
                double d = a / 64, nc = c - s * d, ns = s + c * d;
                double norm = nc * nc + ns * ns;
                c = nc / (0.5 + norm / 2); /* keep close to the unit circle */
                s = ns / (0.5 + norm / 2);
            }
            double x = cx + rr * c, y = cy + rr * s;
            if (v == 0)
                x0 = x, y0 = y;
            json_array_append_new(ring, json_pack("[f,f]", x, y));
            minx = x < minx ? x : minx;
            maxx = x > maxx ? x : maxx;
            miny = y < miny ? y : miny;
            maxy = y > maxy ? y : maxy;
        }
        json_array_append_new(ring, json_pack("[f,f]", x0, y0));
        snprintf(cells[i].code, sizeof cells[i].code, "c%04d", i);
        cells[i].rings = json_pack("[o]", ring);
        cells[i].area = (maxx - minx) * (maxy - miny);
        assert_int_equal(yw_hotline__gidx_add(ix, cells[i].code, "", "", "", cells[i].rings), 0);
    }
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    qsort(cells, N, sizeof *cells, cmp_plain);
    int hits = 0;
    for (int p = 0; p < PTS; p++) {
        double x = 121.385 + drand48() * 0.11, y = 31.095 + drand48() * 0.15;
        const char *want = NULL;
        for (int i = 0; i < N && want == NULL; i++)
            if (yw_hotline__polygon_contains(cells[i].rings, x, y))
                want = cells[i].code;
        const char *got = find(ix, x, y);
        if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
            fail_msg("(%.7f, %.7f): the scan says %s, the index %s", x, y, want ? want : "none",
                     got ? got : "none");
        hits += want != NULL;
    }
    assert_true(hits > PTS / 20); /* the test did place points */
    for (int i = 0; i < N; i++)
        json_decref(cells[i].rings);
    free(cells);
    yw_hotline__gidx_free(ix);
}

static void
test_huge_cell_coarsens(void **state)
{
    (void)state;
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    add(ix, "zz-all", rect(-1, -1, 201, 201));
    for (int r = 0; r < 200; r += 2)
        for (int c = 0; c < 200; c += 2) {
            char code[32];
            snprintf(code, sizeof code, "%03d-%03d", r, c);
            add(ix, code, rect(c, r, c + 1, r + 1));
        }
    assert_int_equal(yw_hotline__gidx_finish(ix), 0);
    assert_in(ix, 0.5, 0.5, "000-000");
    assert_in(ix, 198.5, 100.5, "100-198");
    assert_in(ix, 1.5, 1.5, "zz-all"); /* between the small cells */
    assert_in(ix, 200.5, 200.5, "zz-all");
    assert_none(ix, 201.5, 0);
    yw_hotline__gidx_free(ix);
}

/* ---- the index kept current on the database ---- */

struct fx {
    char *url;
    struct yw_db *db;
};

static int
teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    yw_hotline__grid_index_drop();
    yw_db_close(f->db);
    yw_test_db_drop(f->url);
    free(f);
    *state = NULL;
    return 0;
}

static int
setup_db(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    *state = f;
    struct yw_err err = { 0 };
    int applied = 0;
    f->url = yw_test_db_fresh(engine);
    if (f->url == NULL || yw_db_open(f->url, &f->db, &err) != 0 ||
        yw_db_migrate(f->db, &applied, &err) != 0) {
        fprintf(stderr, "cannot set up a %s database: %s\n", yw_test_engine_name(engine), err.msg);
        teardown(state);
        return -1;
    }
    return 0;
}

struct put {
    const char *code;
    double x0, y0, x1, y1;
    int result; /* what the transaction returns after the put (rollback when not 0) */
};

static int
put_tx(struct yw_dbc *c, void *ctx)
{
    struct put *p = ctx;
    struct yw_err err = { 0 };
    json_t *r = rect(p->x0, p->y0, p->x1, p->y1);
    int rc = yw_hotline__grid_put(c, p->code, "徐家汇街道", "第1社区", "测试网格", r, &err);
    json_decref(r);
    if (rc == 0) { /* placed inside its own transaction, before the commit */
        struct yw_arena a;
        yw_arena_init(&a, 512);
        struct yw_hotline__grid g;
        rc = yw_hotline__grid_locate(c, &a, (p->y0 + p->y1) / 2, (p->x0 + p->x1) / 2, &g);
        if (rc == 0 && strcmp(g.code, p->code) != 0)
            rc = YW_EINTERNAL;
        yw_arena_release(&a);
    }
    return rc ? rc : p->result;
}

static void
put(struct fx *f, const char *code, double x0, double y0, double x1, double y1, int result)
{
    struct put p = { code, x0, y0, x1, y1, result };
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, put_tx, &p, &err), result);
}

static const char *
locate(struct fx *f, struct yw_arena *a, double lat, double lng)
{
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(f->db, &err);
    assert_non_null(c);
    struct yw_hotline__grid g;
    int rc = yw_hotline__grid_locate(c, a, lat, lng, &g);
    if (rc == YW_ENOTFOUND)
        return NULL;
    assert_int_equal(rc, 0);
    return g.code;
}

static void
test_db_upkeep(void **state)
{
    struct fx *f = *state;
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    assert_null(locate(f, &a, 31.15, 121.45)); /* no grids yet */

    put(f, "310104003001001", 121.40, 31.10, 121.41, 31.11, 0);
    put(f, "310104003001002", 121.41, 31.10, 121.42, 31.11, 0);
    assert_string_equal(locate(f, &a, 31.105, 121.405), "310104003001001");
    assert_string_equal(locate(f, &a, 31.105, 121.415), "310104003001002");
    assert_null(locate(f, &a, 31.115, 121.405));

    /* nothing changed: the index is used as it is */
    uint64_t builds = yw_hotline__grid_index_builds();
    for (int i = 0; i < 50; i++)
        assert_string_equal(locate(f, &a, 31.1001 + i * 0.0001, 121.4001),
                            "310104003001001");
    assert_int_equal(yw_hotline__grid_index_builds(), builds);

    /* a grid moved: found in its new place only */
    put(f, "310104003001001", 121.40, 31.11, 121.41, 31.12, 0);
    assert_string_equal(locate(f, &a, 31.115, 121.405), "310104003001001");
    assert_null(locate(f, &a, 31.105, 121.405));
    assert_true(yw_hotline__grid_index_builds() > builds);

    /* written, placed inside its transaction, rolled back: never found after */
    put(f, "310104003001003", 121.45, 31.20, 121.46, 31.21, YW_ECONFLICT);
    assert_null(locate(f, &a, 31.205, 121.455));
    assert_string_equal(locate(f, &a, 31.105, 121.415), "310104003001002");
    yw_arena_release(&a);
}

int
main(void)
{
    yw_log_set_level(YW_LOG_ERROR);
    if (yw_crypto_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiling_inside),
        cmocka_unit_test(test_tiling_borders),
        cmocka_unit_test(test_off_extent),
        cmocka_unit_test(test_hole_and_island),
        cmocka_unit_test(test_overlap_smallest_first),
        cmocka_unit_test(test_concave_notch),
        cmocka_unit_test(test_empty_and_bad),
        cmocka_unit_test(test_random_against_scan),
        cmocka_unit_test(test_huge_cell_coarsens),
        cmocka_unit_test_setup_teardown(test_db_upkeep, setup_db, teardown),
    };
    return YW_TEST_RUN_ENGINES("hotline_grid", tests, engine);
}
