/*
 * grid.c - unit grids (单元网格, GB/T 30428.1): polygons with their codes,
 * grouped by street and community, and the placement of a point in its grid.
 *
 * A grid code is the district's division code (310104) + a 3-digit street +
 * a 3-digit community + the cell's sequence, hotline_grid_code_length digits
 * in all (15 by default, the Beijing DB11 layout; 14 is the national one with
 * a 2-digit sequence; CN-STANDARDS.md §6.2).  A polygon is GeoJSON: an outer
 * ring and optional holes of [lng, lat] positions.  Placement uses the
 * in-memory spatial index of gridindex.c (buckets, then the even-odd ray test
 * on the candidates, smallest box first: where imported grids overlap - a
 * finer grid over the demo's - the most specific cell wins), kept current by
 * the grids' stamp (below).  Real grids are loaded with `ywtb import grids
 * FILE` (a GeoJSON FeatureCollection); the demo seed generates cells over the
 * district's rough extent.
 */
#include "hotline/internal.h"

#include "core/crypto.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The channel a grid write notifies on PostgreSQL (placement, below). */
#define GRID_CHANNEL "hotline_grids"
/* Bumped by every grid change this node writes (at the write) or hears of
 * (and when the listener may have missed some): an index trusted at another
 * value is checked against the stamp again. */
static atomic_uint_fast64_t grid_gen;

static void
grid_changed(void)
{
    atomic_fetch_add(&grid_gen, 1);
}

/* Even-odd test of (x, y) against one ring of [x, y] positions. */
static bool
in_ring(json_t *ring, double x, double y)
{
    size_t n = json_array_size(ring);
    bool in = false;
    for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
        json_t *a = json_array_get(ring, i), *b = json_array_get(ring, j);
        double xi = json_number_value(json_array_get(a, 0)),
               yi = json_number_value(json_array_get(a, 1));
        double xj = json_number_value(json_array_get(b, 0)),
               yj = json_number_value(json_array_get(b, 1));
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

bool
yw_hotline__polygon_contains(json_t *rings, double lng, double lat)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return false;
    if (!in_ring(json_array_get(rings, 0), lng, lat))
        return false;
    for (size_t k = 1; k < json_array_size(rings); k++)
        if (in_ring(json_array_get(rings, k), lng, lat))
            return false; /* in a hole */
    return true;
}

static int64_t
micro(double v)
{
    return (int64_t)(v * 1e6 + (v >= 0 ? 0.5 : -0.5));
}

/* Check a Polygon's coordinates and find its bounding box. */
static int
check_polygon(json_t *rings, int64_t box[4], struct yw_err *err)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        return yw_fail(err, YW_EFIELD, "geometry", "a polygon is an array of rings");
    double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
    size_t k;
    json_t *ring;
    json_array_foreach(rings, k, ring)
    {
        if (!json_is_array(ring) || json_array_size(ring) < 4)
            return yw_fail(err, YW_EFIELD, "geometry", "ring %zu has fewer than 4 positions", k);
        size_t i;
        json_t *p;
        json_array_foreach(ring, i, p)
        {
            json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
            if (!json_is_number(x) || !json_is_number(y))
                return yw_fail(err, YW_EFIELD, "geometry",
                               "position %zu of ring %zu is not [lng, lat]", i, k);
            double lng = json_number_value(x), lat = json_number_value(y);
            if (lng < -180 || lng > 180 || lat < -90 || lat > 90)
                return yw_fail(err, YW_EFIELD, "geometry",
                               "position %zu of ring %zu is off the earth", i, k);
            if (k == 0) {
                minx = lng < minx ? lng : minx;
                maxx = lng > maxx ? lng : maxx;
                miny = lat < miny ? lat : miny;
                maxy = lat > maxy ? lat : maxy;
            }
        }
    }
    box[0] = micro(miny);
    box[1] = micro(maxy);
    box[2] = micro(minx);
    box[3] = micro(maxx);
    return 0;
}

static bool
digits(const char *s, size_t n)
{
    if (s == NULL || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int
yw_hotline__grid_put(struct yw_dbc *c, const char *code, const char *street, const char *community,
                     const char *name, json_t *rings, struct yw_err *err)
{
    size_t len = (size_t)yw_hotline__cfg()->hotline_grid_code_length;
    if (!digits(code, len))
        return yw_fail(err, YW_EFIELD, "code", "grid code '%.40s' is not %zu digits",
                       code ? code : "", len);
    if (strncmp(code, "310104", 6) != 0)
        return yw_fail(err, YW_EFIELD, "code", "grid code '%.40s' is not in Xuhui (310104)", code);
    if (street == NULL || street[0] == '\0')
        return yw_fail(err, YW_EMISSING, "street", "grid '%s' has no street", code);
    int64_t box[4] = { 0, 0, 0, 0 };
    int rc = check_polygon(rings, box, err);
    if (rc)
        return rc;
    char *geo = json_dumps(rings, JSON_COMPACT | JSON_REAL_PRECISION(9));
    rc = yw_db_run(c, "DELETE FROM hotline_grids WHERE code = ?", "s", code);
    if (rc == 0)
        rc = yw_db_run(
            c,
            "INSERT INTO hotline_grids (code, street, community, name, geometry, min_lat, "
            "max_lat, min_lng, max_lng) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "sssssiiii", code, street, community ? community : "", name ? name : "", geo, box[0],
            box[1], box[2], box[3]);
    free(geo);
    if (rc == 0) { /* a new stamp: every node builds its index again */
        int64_t stamp;
        yw_random(&stamp, sizeof stamp);
        stamp &= INT64_MAX >> 1;
        rc = yw_db_run(c, "UPDATE hotline_grid_stamp SET stamp = ? WHERE id = 1", "i", stamp);
    }
    if (rc == 0) { /* every node hears of it at the commit; this one knows now */
        rc = yw_db_notify(c, GRID_CHANNEL, "");
        grid_changed();
    }
    return rc;
}

/* ---- placement: the in-memory index (gridindex.c) at the grids' stamp ----
 *
 * Every placement reads the stamp (one row, hotline_grid_stamp) on the
 * caller's connection - so inside the caller's transaction too - and uses the
 * index when it was built at that stamp; otherwise it builds a new one from
 * the table and swaps it in.  The stamp is random, set by every grid write in
 * its transaction: an index built from a transaction that then rolled back
 * carries a stamp no committed state has, so it is never taken for current.
 * The stamp is read before the rows, so an index may be labelled older than
 * its rows (rebuilt on the next call) but never newer.  Readers hold the
 * read lock while they look up and copy; the swap takes the write lock.
 *
 * On PostgreSQL the stamp's read is a round trip, 30 times the look-up
 * (106 us against 3 us, the quiet machine's bench), so there a node listens
 * on GRID_CHANNEL (db/listen.c) and every grid write NOTIFYs in its
 * transaction.  An index whose stamp a read outside any transaction found
 * current is then trusted - used without reading the stamp - until grid_gen
 * moves: a notification heard, a grid written by this node, or the listener
 * down (it may have missed some; until it listens again every placement reads
 * the stamp, as on SQLite).  grid_gen is read before the stamp, so a change
 * that commits between the two is heard after and never trusted away.
 * Inside a transaction the stamp is always read (the caller's own uncommitted
 * grids count there, and no index built from them is ever trusted).  What
 * remains is the notification's own latency: a grid import is used a few
 * milliseconds after its commit, not at it, by a placement that raced it
 * (on the writing node, one that trusted the index while the write was still
 * open).  The bump at the write is no after-commit hook (db_after_tx): a seed
 * writes hundreds of grids in a transaction that has used up its hooks. */
static struct {
    pthread_rwlock_t lock; /* guards ix, db, stamp, trusted, gen */
    pthread_mutex_t build; /* one build at a time */
    struct yw_hotline__gidx *ix;
    const struct yw_db *db;
    int64_t stamp;
    atomic_uint_fast64_t builds;
    bool trusted; /* current while grid_gen == gen (PostgreSQL, listening) */
    uint_fast64_t gen;
} gcache = { PTHREAD_RWLOCK_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0, false, 0 };

static struct yw_db_listener *grid_listener;

static void
grid_heard(const char *payload, void *ctx)
{
    (void)payload; /* NULL: some may have been missed - the same answer */
    (void)ctx;
    atomic_fetch_add(&grid_gen, 1);
}

int
yw_hotline__grid_listen(struct yw_db *db, struct yw_err *err)
{
    if (grid_listener || yw_db_engine(db) != YW_DB_PG)
        return 0;
    return yw_db_listen(db, GRID_CHANNEL, grid_heard, NULL, &grid_listener, err);
}

void
yw_hotline__grid_listen_stop(void)
{
    yw_db_listen_stop(grid_listener);
    grid_listener = NULL;
    atomic_fetch_add(&grid_gen, 1);
}

bool
yw_hotline__grid_listening(void)
{
    return grid_listener && yw_db_listener_up(grid_listener);
}

static int
grid_stamp(struct yw_dbc *c, int64_t *stamp)
{
    return yw_db_one_int(c, stamp, "SELECT stamp FROM hotline_grid_stamp WHERE id = 1", NULL);
}

/* Look the point up in the cached index if it is current: 1 found, 0 not
 * found, -1 stale.  Strings copied into a. */
#define TRUSTED INT64_MIN /* cached_find's stamp: the trusted index, if it is at gen */

static int
cached_find(struct yw_dbc *c, int64_t stamp, uint_fast64_t gen, struct yw_arena *a, double lat,
            double lng, struct yw_hotline__grid *out)
{
    int r = -1;
    pthread_rwlock_rdlock(&gcache.lock);
    if (gcache.ix && gcache.db == yw_dbc_db(c) &&
        (stamp == TRUSTED ? gcache.trusted && gcache.gen == gen : gcache.stamp == stamp)) {
        struct yw_hotline__grid g;
        r = yw_hotline__gidx_find(gcache.ix, lng, lat, &g) ? 1 : 0;
        if (r == 1) {
            out->code = yw_arena_strdup(a, g.code);
            out->street = yw_arena_strdup(a, g.street);
            out->community = yw_arena_strdup(a, g.community);
            out->name = yw_arena_strdup(a, g.name);
        }
    }
    pthread_rwlock_unlock(&gcache.lock);
    return r;
}

/* Build the index from the table on c and swap it in, labelled stamp. */
static int
rebuild(struct yw_dbc *c, int64_t stamp)
{
    struct yw_hotline__gidx *ix = yw_hotline__gidx_new();
    struct yw_stmt *s = yw_db_query(
        c, "SELECT code, street, community, name, geometry FROM hotline_grids ORDER BY id", NULL);
    if (s == NULL) {
        yw_hotline__gidx_free(ix);
        return YW_EDB;
    }
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *rings = json_loads(yw_db_col_text(s, 4), 0, NULL);
        /* a row grid_put did not write (bad JSON by hand) places nothing */
        (void)yw_hotline__gidx_add(ix, yw_db_col_text(s, 0), yw_db_col_text(s, 1),
                                   yw_db_col_text(s, 2), yw_db_col_text(s, 3), rings);
        json_decref(rings);
    }
    rc = yw_db_finish(s, rc);
    if (rc == 0)
        rc = yw_hotline__gidx_finish(ix);
    if (rc) {
        yw_hotline__gidx_free(ix);
        return rc;
    }
    pthread_rwlock_wrlock(&gcache.lock);
    struct yw_hotline__gidx *old = gcache.ix;
    gcache.ix = ix;
    gcache.db = yw_dbc_db(c);
    gcache.stamp = stamp;
    gcache.trusted = false;
    pthread_rwlock_unlock(&gcache.lock);
    yw_hotline__gidx_free(old);
    atomic_fetch_add(&gcache.builds, 1);
    return 0;
}

int
yw_hotline__grid_locate(struct yw_dbc *c, struct yw_arena *a, double lat, double lng,
                        struct yw_hotline__grid *out)
{
    bool may_trust = yw_hotline__grid_listening() && !yw_dbc_in_tx(c);
    uint_fast64_t gen = atomic_load(&grid_gen); /* before the stamp */
    int r = may_trust ? cached_find(c, TRUSTED, gen, a, lat, lng, out) : -1;
    if (r >= 0)
        return r == 1 ? 0 : YW_ENOTFOUND;
    int64_t stamp = 0;
    int rc = grid_stamp(c, &stamp);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    r = cached_find(c, stamp, 0, a, lat, lng, out);
    if (r < 0) {
        pthread_mutex_lock(&gcache.build);
        r = cached_find(c, stamp, 0, a, lat, lng, out); /* another thread may have built it */
        if (r < 0) {
            rc = rebuild(c, stamp);
            if (rc == 0)
                r = cached_find(c, stamp, 0, a, lat, lng, out);
        }
        pthread_mutex_unlock(&gcache.build);
        if (rc)
            return rc;
    }
    if (may_trust) { /* the index is current as of gen: trust it until that moves */
        pthread_rwlock_wrlock(&gcache.lock);
        if (gcache.ix && gcache.db == yw_dbc_db(c) && gcache.stamp == stamp) {
            gcache.trusted = true;
            gcache.gen = gen;
        }
        pthread_rwlock_unlock(&gcache.lock);
    }
    return r == 1 ? 0 : YW_ENOTFOUND;
}

uint64_t
yw_hotline__grid_index_builds(void)
{
    return atomic_load(&gcache.builds);
}

void
yw_hotline__grid_index_drop(void)
{
    pthread_mutex_lock(&gcache.build);
    pthread_rwlock_wrlock(&gcache.lock);
    struct yw_hotline__gidx *old = gcache.ix;
    gcache.ix = NULL;
    gcache.db = NULL;
    gcache.trusted = false;
    pthread_rwlock_unlock(&gcache.lock);
    pthread_mutex_unlock(&gcache.build);
    yw_hotline__gidx_free(old);
}

int
yw_hotline__grids_geojson(struct yw_dbc *c, const char *street, json_t **out)
{
    const char *st = street ? street : "";
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT g.code, g.street, g.community, g.name, g.geometry, "
        "(SELECT COUNT(*) FROM hotline_events e WHERE e.grid_code = g.code AND e.status NOT IN "
        "('closed', 'rejected')), "
        "(SELECT COUNT(*) FROM hotline_events e WHERE e.grid_code = g.code) "
        "FROM hotline_grids g WHERE (? = '' OR g.street = ?) ORDER BY g.code",
        "ss", st, st);
    if (s == NULL)
        return YW_EDB;
    json_t *features = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        json_t *rings = json_loads(yw_db_col_text(s, 4), 0, NULL);
        json_array_append_new(
            features,
            json_pack("{s:s, s:s, s:{s:s, s:o}, s:{s:s, s:s, s:s, s:I, s:I}}", "type", "Feature",
                      "id", yw_db_col_text(s, 0), "geometry", "type", "Polygon", "coordinates",
                      rings ? rings : json_array(), "properties", "street", yw_db_col_text(s, 1),
                      "community", yw_db_col_text(s, 2), "name", yw_db_col_text(s, 3),
                      "open_events", (json_int_t)yw_db_col_int(s, 5), "events",
                      (json_int_t)yw_db_col_int(s, 6)));
    }
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(features);
        return rc;
    }
    *out = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
    return 0;
}

/* ---- import (`ywtb import grids FILE`) ---- */

struct import_ctx {
    json_t *features;
    int64_t n;
    struct yw_err *err;
};

static const char *
prop(json_t *f, const char *name)
{
    return json_string_value(json_object_get(json_object_get(f, "properties"), name));
}

static int
import_tx(struct yw_dbc *c, void *p)
{
    struct import_ctx *x = p;
    x->n = 0;
    size_t i;
    json_t *f;
    json_array_foreach(x->features, i, f)
    {
        json_t *g = json_object_get(f, "geometry");
        const char *gt = json_string_value(json_object_get(g, "type"));
        if (gt == NULL || strcmp(gt, "Polygon") != 0)
            return yw_fail(x->err, YW_EFIELD, "geometry", "feature %zu is not a Polygon", i);
        const char *code = prop(f, "code");
        if (code == NULL && json_is_string(json_object_get(f, "id")))
            code = json_string_value(json_object_get(f, "id"));
        int rc = yw_hotline__grid_put(c, code, prop(f, "street"), prop(f, "community"),
                                      prop(f, "name"), json_object_get(g, "coordinates"), x->err);
        if (rc) {
            struct yw_err inner = *x->err;
            return yw_fail(x->err, rc, inner.field, "feature %zu: %.200s", i, inner.msg);
        }
        x->n++;
    }
    return 0;
}

int
yw_hotline__import_grids(struct yw_app *app, const char *path, int64_t *n, struct yw_err *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return yw_fail(err, YW_EINVAL, "", "cannot read '%s': %s (line %d)", path, je.text,
                       je.line);
    json_t *features = json_object_get(doc, "features");
    int rc;
    const char *type = json_string_value(json_object_get(doc, "type"));
    if (type == NULL || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features))
        rc = yw_fail(err, YW_EINVAL, "", "'%s' is not a GeoJSON FeatureCollection", path);
    else {
        struct import_ctx x = { features, 0, err };
        rc = yw_db_tx(app->db, YW_TX_WRITE, import_tx, &x, err);
        *n = x.n;
    }
    json_decref(doc);
    return rc;
}

/* ---- the demo grid ---- */

/* Xuhui's 13 streets and towns (街道、镇), north to south roughly. */
static const char *const streets[] = { "天平路街道", "湖南路街道", "徐家汇街道", "枫林路街道",
                                       "斜土路街道", "田林街道",   "虹梅路街道", "康健新村街道",
                                       "长桥街道",   "凌云路街道", "龙华街道",   "漕河泾街道",
                                       "华泾镇" };
#define NSTREETS (int)(sizeof streets / sizeof streets[0])

/* Cells of 0.007 degrees over the district's rough extent (YW_HOTLINE_LAT/LNG_*):
 * 20 rows x 14 columns = 280 cells; rows are split among the streets, each
 * street's columns among four communities. */
int
yw_hotline__demo_grid(struct yw_dbc *c, int *added, struct yw_err *err)
{
    int64_t have = 0;
    int rc = yw_db_one_int(c, &have, "SELECT COUNT(*) FROM hotline_grids", NULL);
    *added = 0;
    if (rc || have > 0)
        return rc;
    const double step = 0.007;
    const int rows = 20, cols = 14;
    int seq_digits = (int)yw_hotline__cfg()->hotline_grid_code_length - 12;
    int seq[NSTREETS][4] = { { 0 } };
    for (int r = 0; r < rows; r++) {
        for (int k = 0; k < cols; k++) {
            double lat0 = YW_HOTLINE_LAT_MAX - (r + 1) * step, lng0 = YW_HOTLINE_LNG_MIN + k * step;
            int st = r * NSTREETS / rows, comm = k * 4 / cols;
            int n = ++seq[st][comm];
            char code[32], community[64], name[96];
            snprintf(code, sizeof code, "310104%03d%03d%0*d", st + 1, comm + 1, seq_digits, n);
            snprintf(community, sizeof community, "%s第%d社区", streets[st], comm + 1);
            snprintf(name, sizeof name, "%s%d号网格", community, n);
            json_t *ring = json_pack("[[f,f],[f,f],[f,f],[f,f],[f,f]]", lng0, lat0, lng0 + step,
                                     lat0, lng0 + step, lat0 + step, lng0, lat0 + step, lng0, lat0);
            json_t *rings = json_pack("[o]", ring);
            rc = yw_hotline__grid_put(c, code, streets[st], community, name, rings, err);
            json_decref(rings);
            if (rc)
                return rc;
            (*added)++;
        }
    }
    return 0;
}
