/*
 * gridindex.c - the spatial index that places a point in its unit grid in
 * microseconds (issue 12: < 50 us a point in a 10,000-cell grid).
 *
 * A uniform grid of buckets laid over the cells' joint extent, about as many
 * buckets as cells (in the extent's aspect ratio); each cell is listed in
 * every bucket its bounding box touches (closed box, so a point on a cell's
 * edge finds it).  A point looks at one bucket: the bounding boxes of the
 * cells there first, then the exact even-odd ray test on the rings, held as
 * flat arrays of doubles.  Cells are listed smallest bounding box first (then
 * by code), so where grids overlap - a finer imported grid over the demo's -
 * the most specific cell wins, as before.  A point on the edge shared by two
 * cells belongs to exactly one of them: the ray test counts a cell's left
 * and bottom edges in, its right and top edges out.
 *
 * The index is immutable once built (yw_hotline__gidx_finish): grid.c builds
 * a new one from the table when the grids change and swaps it in.  A cell
 * that would span a huge number of buckets (one polygon over a whole
 * district) makes the bucket grid coarser rather than the index huge.
 */
#include "hotline/internal.h"

#include <math.h> /* INFINITY, isnan: macros, no libm */
#include <stdlib.h>
#include <string.h>

struct cell {
    char *strs; /* code, street, community, name: one allocation */
    const char *code, *street, *community, *name;
    double minx, miny, maxx, maxy, area;
    uint32_t ring0, nrings; /* its rings: ring_at[ring0 .. ring0 + nrings) */
};

struct yw_hotline__gidx {
    struct cell *cells;
    size_t n, cap;
    uint32_t *ring_at; /* first point of each ring in pts; one more at the end */
    size_t nrings, ringcap;
    double *pts; /* x, y pairs */
    size_t npts, ptcap;
    /* the buckets (after finish) */
    double minx, miny, sx, sy; /* buckets per degree */
    int nx, ny;
    uint32_t *bstart; /* nx * ny + 1 offsets into bitems */
    uint32_t *bitems; /* cell indexes */
    bool done;
};

struct yw_hotline__gidx *
yw_hotline__gidx_new(void)
{
    struct yw_hotline__gidx *ix = yw_xcalloc(1, sizeof *ix);
    ix->ring_at = yw_xmalloc(sizeof *ix->ring_at);
    ix->ring_at[0] = 0;
    return ix;
}

void
yw_hotline__gidx_free(struct yw_hotline__gidx *ix)
{
    if (ix == NULL)
        return;
    for (size_t i = 0; i < ix->n; i++)
        free(ix->cells[i].strs);
    free(ix->cells);
    free(ix->ring_at);
    free(ix->pts);
    free(ix->bstart);
    free(ix->bitems);
    free(ix);
}

size_t
yw_hotline__gidx_count(const struct yw_hotline__gidx *ix)
{
    return ix ? ix->n : 0;
}

static void
add_point(struct yw_hotline__gidx *ix, double x, double y)
{
    if (ix->npts == ix->ptcap) {
        ix->ptcap = ix->ptcap ? ix->ptcap * 2 : 256;
        ix->pts = yw_xrealloc(ix->pts, ix->ptcap * 2 * sizeof *ix->pts);
    }
    ix->pts[2 * ix->npts] = x;
    ix->pts[2 * ix->npts + 1] = y;
    ix->npts++;
}

static void
end_ring(struct yw_hotline__gidx *ix)
{
    if (ix->nrings + 2 > ix->ringcap) {
        ix->ringcap = ix->ringcap ? ix->ringcap * 2 : 64;
        ix->ring_at = yw_xrealloc(ix->ring_at, ix->ringcap * sizeof *ix->ring_at);
    }
    ix->ring_at[++ix->nrings] = (uint32_t)ix->npts;
}

int
yw_hotline__gidx_add(struct yw_hotline__gidx *ix, const char *code, const char *street,
                     const char *community, const char *name, json_t *rings)
{
    if (ix->done || code == NULL || !json_is_array(rings) || json_array_size(rings) == 0)
        return YW_EINVAL;
    if (ix->n > UINT32_MAX / 2 || ix->npts > UINT32_MAX / 4)
        return YW_EINVAL;
    /* check every position before keeping anything */
    size_t k, i;
    json_t *ring, *p;
    json_array_foreach(rings, k, ring)
    {
        if (!json_is_array(ring) || json_array_size(ring) < 3)
            return YW_EINVAL;
        json_array_foreach(ring, i, p)
        {
            if (!json_is_number(json_array_get(p, 0)) || !json_is_number(json_array_get(p, 1)))
                return YW_EINVAL;
        }
    }
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->cells = yw_xrealloc(ix->cells, ix->cap * sizeof *ix->cells);
    }
    struct cell *c = &ix->cells[ix->n];
    memset(c, 0, sizeof *c);
    const char *s[4] = { code, street ? street : "", community ? community : "",
                         name ? name : "" };
    size_t len[4], total = 0;
    for (int j = 0; j < 4; j++)
        total += (len[j] = strlen(s[j])) + 1;
    char *buf = yw_xmalloc(total), *w = buf;
    const char **dst[4] = { &c->code, &c->street, &c->community, &c->name };
    for (int j = 0; j < 4; j++) {
        memcpy(w, s[j], len[j] + 1);
        *dst[j] = w;
        w += len[j] + 1;
    }
    c->strs = buf;
    c->minx = c->miny = INFINITY;
    c->maxx = c->maxy = -INFINITY;
    c->ring0 = (uint32_t)ix->nrings;
    json_array_foreach(rings, k, ring)
    {
        json_array_foreach(ring, i, p)
        {
            double x = json_number_value(json_array_get(p, 0)),
                   y = json_number_value(json_array_get(p, 1));
            add_point(ix, x, y);
            if (k == 0) { /* the outer ring bounds the cell */
                c->minx = x < c->minx ? x : c->minx;
                c->maxx = x > c->maxx ? x : c->maxx;
                c->miny = y < c->miny ? y : c->miny;
                c->maxy = y > c->maxy ? y : c->maxy;
            }
        }
        end_ring(ix);
    }
    c->nrings = (uint32_t)json_array_size(rings);
    c->area = (c->maxx - c->minx) * (c->maxy - c->miny);
    ix->n++;
    return 0;
}

/* Smallest bounding box first, then by code: the order candidates are tried. */
static int
cmp_cell(const void *a, const void *b)
{
    const struct cell *x = a, *y = b;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* The bucket of v along one axis, clamped to 0..n-1 (no libm: truncation is
 * floor for the non-negative values that reach the cast). */
static int
bucket(double v, double lo, double per, int n)
{
    double f = (v - lo) * per;
    if (!(f >= 0)) /* also NaN */
        return 0;
    return f >= n ? n - 1 : (int)f;
}

/* sqrt by Newton's method (x > 0), enough to size the buckets. */
static double
root(double x)
{
    double r = x > 1 ? x : 1;
    for (int i = 0; i < 64; i++)
        r = (r + x / r) / 2;
    return r;
}

/* Entries the buckets would hold at a resolution of nx x ny. */
static size_t
entries(const struct yw_hotline__gidx *ix, int nx, int ny, double sx, double sy)
{
    size_t total = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const struct cell *c = &ix->cells[i];
        size_t w = (size_t)(bucket(c->maxx, ix->minx, sx, nx) - bucket(c->minx, ix->minx, sx, nx) +
                            1),
               h = (size_t)(bucket(c->maxy, ix->miny, sy, ny) - bucket(c->miny, ix->miny, sy, ny) +
                            1);
        total += w * h;
    }
    return total;
}

int
yw_hotline__gidx_finish(struct yw_hotline__gidx *ix)
{
    if (ix->done)
        return YW_EINVAL;
    ix->done = true;
    if (ix->n == 0)
        return 0;
    qsort(ix->cells, ix->n, sizeof *ix->cells, cmp_cell);
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < ix->n; i++) {
        const struct cell *c = &ix->cells[i];
        minx = c->minx < minx ? c->minx : minx;
        miny = c->miny < miny ? c->miny : miny;
        maxx = c->maxx > maxx ? c->maxx : maxx;
        maxy = c->maxy > maxy ? c->maxy : maxy;
    }
    double w = maxx - minx, h = maxy - miny;
    if (w <= 0)
        w = 1e-9;
    if (h <= 0)
        h = 1e-9;
    /* about one bucket per cell, square-ish buckets */
    double side = root(w * h / (double)ix->n);
    int nx = (int)(w / side) + 1, ny = (int)(h / side) + 1;
    nx = nx < 1 ? 1 : nx > 4096 ? 4096 : nx;
    ny = ny < 1 ? 1 : ny > 4096 ? 4096 : ny;
    ix->minx = minx;
    ix->miny = miny;
    /* coarser while big cells would fill the buckets with copies of themselves */
    for (;;) {
        ix->sx = nx / w;
        ix->sy = ny / h;
        if ((nx == 1 && ny == 1) || entries(ix, nx, ny, ix->sx, ix->sy) <= 16 * ix->n + 1024)
            break;
        nx = (nx + 1) / 2;
        ny = (ny + 1) / 2;
    }
    ix->nx = nx;
    ix->ny = ny;
    size_t nb = (size_t)nx * (size_t)ny;
    ix->bstart = yw_xcalloc(nb + 1, sizeof *ix->bstart);
    /* count, prefix sums, fill: in cell order, so each bucket stays smallest first */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            for (size_t b = 0; b < nb; b++)
                ix->bstart[b + 1] += ix->bstart[b];
            ix->bitems = yw_xmalloc((ix->bstart[nb] + 1) * sizeof *ix->bitems);
            fill = yw_xmalloc(nb * sizeof *fill);
            memcpy(fill, ix->bstart, nb * sizeof *fill);
        }
        for (size_t i = 0; i < ix->n; i++) {
            const struct cell *c = &ix->cells[i];
            int x0 = bucket(c->minx, minx, ix->sx, nx), x1 = bucket(c->maxx, minx, ix->sx, nx);
            int y0 = bucket(c->miny, miny, ix->sy, ny), y1 = bucket(c->maxy, miny, ix->sy, ny);
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++) {
                    size_t b = (size_t)y * (size_t)nx + (size_t)x;
                    if (pass == 0)
                        ix->bstart[b + 1]++;
                    else
                        ix->bitems[fill[b]++] = (uint32_t)i;
                }
        }
        free(fill);
    }
    return 0;
}

/* Even-odd test of (x, y) against the ring of points [a, b). */
static bool
in_ring(const double *pts, uint32_t a, uint32_t b, double x, double y)
{
    bool in = false;
    if (b <= a)
        return false;
    for (uint32_t i = a, j = b - 1; i < b; j = i++) {
        double xi = pts[2 * i], yi = pts[2 * i + 1], xj = pts[2 * j], yj = pts[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

static bool
cell_contains(const struct yw_hotline__gidx *ix, const struct cell *c, double x, double y)
{
    if (x < c->minx || x > c->maxx || y < c->miny || y > c->maxy)
        return false;
    const uint32_t *r = ix->ring_at + c->ring0;
    if (!in_ring(ix->pts, r[0], r[1], x, y))
        return false;
    for (uint32_t k = 1; k < c->nrings; k++)
        if (in_ring(ix->pts, r[k], r[k + 1], x, y))
            return false; /* in a hole */
    return true;
}

bool
yw_hotline__gidx_find(const struct yw_hotline__gidx *ix, double lng, double lat,
                      struct yw_hotline__grid *out)
{
    if (ix == NULL || !ix->done || ix->n == 0 || isnan(lng) || isnan(lat))
        return false;
    /* a point off the extent is clamped into an edge bucket; the boxes refuse it */
    size_t b = (size_t)bucket(lat, ix->miny, ix->sy, ix->ny) * (size_t)ix->nx +
               (size_t)bucket(lng, ix->minx, ix->sx, ix->nx);
    for (uint32_t k = ix->bstart[b]; k < ix->bstart[b + 1]; k++) {
        const struct cell *c = &ix->cells[ix->bitems[k]];
        if (cell_contains(ix, c, lng, lat)) {
            out->code = c->code;
            out->street = c->street;
            out->community = c->community;
            out->name = c->name;
            return true;
        }
    }
    return false;
}
