/*
 * router.c - match method and path against the routes the modules declared.
 *
 * Paths are split into segments at build time; "{name}" segments capture.  A
 * literal segment beats a capture when both could match (so /items/search is
 * not taken as /items/{code}).  ~hundreds of routes are matched by a linear
 * scan over pre-split segments, only those with as many segments as the path
 * (kept apart at build time), comparing the last segment first (the first
 * two, api and v1, are every route's): no allocation, no lock, a few hundred ns.
 * A path that is not valid UTF-8 matches nothing: it is refused (400
 * invalid_utf8) before any parameter reaches a handler.
 */
#include "http/router.h"

#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 12

struct compiled {
    const struct yw_route *route;
    int nsegs;
    const char *segs[MAX_SEGS]; /* literal text, or NULL for a capture */
    size_t lens[MAX_SEGS];
    const char *names[MAX_SEGS];
    size_t name_lens[MAX_SEGS];
    int literal_score; /* literal segments count (more = more specific) */
};

struct yw_router {
    struct compiled *routes;
    size_t n;
    size_t *by_n[MAX_SEGS + 1]; /* the indexes of the routes of each segment count, in order */
    size_t nby[MAX_SEGS + 1];
};

static int
compile(const struct yw_route *rt, struct compiled *c, struct yw_err *err)
{
    memset(c, 0, sizeof *c);
    c->route = rt;
    const char *p = rt->path;
    if (*p != '/')
        return yw_fail(err, YW_ECONFIG, "route", "route path '%s' must start with '/'", rt->path);
    while (*p == '/') {
        p++;
        if (*p == '\0') {
            if (c->nsegs > 0)
                return yw_fail(err, YW_ECONFIG, "route", "route path '%s' ends with '/'", rt->path);
            break;
        }
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0)
            return yw_fail(err, YW_ECONFIG, "route", "route path '%s' has an empty segment",
                           rt->path);
        if (c->nsegs == MAX_SEGS)
            return yw_fail(err, YW_ECONFIG, "route", "route path '%s' has too many segments",
                           rt->path);
        if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
            c->segs[c->nsegs] = NULL;
            c->names[c->nsegs] = p + 1;
            c->name_lens[c->nsegs] = n - 2;
        } else {
            c->segs[c->nsegs] = p;
            c->lens[c->nsegs] = n;
            c->literal_score++;
        }
        c->nsegs++;
        p += n;
    }
    return 0;
}

static bool
same_shape(const struct compiled *a, const struct compiled *b)
{
    if (a->nsegs != b->nsegs)
        return false;
    for (int i = 0; i < a->nsegs; i++) {
        if ((a->segs[i] == NULL) != (b->segs[i] == NULL))
            return false;
        if (a->segs[i] &&
            (a->lens[i] != b->lens[i] || memcmp(a->segs[i], b->segs[i], a->lens[i]) != 0))
            return false;
    }
    return true;
}

int
yw_router_build(const struct yw_module *const *mods, size_t nmods, bool test_api,
                struct yw_router **out, struct yw_err *err)
{
    size_t total = 0;
    for (size_t m = 0; m < nmods; m++)
        total += mods[m]->nroutes;
    struct yw_router *r = yw_xcalloc(1, sizeof *r);
    r->routes = yw_xcalloc(total + 1, sizeof *r->routes);
    for (size_t m = 0; m < nmods; m++) {
        for (size_t k = 0; k < mods[m]->nroutes; k++) {
            const struct yw_route *rt = &mods[m]->routes[k];
            if ((rt->flags & YW_R_TEST) && !test_api)
                continue;
            int rc = compile(rt, &r->routes[r->n], err);
            if (rc) {
                yw_router_free(r);
                return rc;
            }
            /* Same method and same shape (any two captures count as equal:
             * /i/{code} and /i/{id} could never both match) is a duplicate. */
            for (size_t j = 0; j < r->n; j++) {
                if (!strcmp(r->routes[j].route->method, rt->method) &&
                    same_shape(&r->routes[j], &r->routes[r->n])) {
                    yw_fail(err, YW_ECONFIG, "route",
                            "duplicate route %s %s (module %s; same as %s)", rt->method, rt->path,
                            mods[m]->name, r->routes[j].route->path);
                    yw_router_free(r);
                    return YW_ECONFIG;
                }
            }
            r->n++;
        }
    }
    for (int k = 0; k <= MAX_SEGS; k++)
        r->by_n[k] = yw_xcalloc(r->n + 1, sizeof *r->by_n[k]);
    for (size_t i = 0; i < r->n; i++) {
        int k = r->routes[i].nsegs;
        r->by_n[k][r->nby[k]++] = i;
    }
    *out = r;
    return 0;
}

void
yw_router_free(struct yw_router *r)
{
    if (r == NULL)
        return;
    for (int k = 0; k <= MAX_SEGS; k++)
        free(r->by_n[k]);
    free(r->routes);
    free(r);
}

size_t
yw_router_count(const struct yw_router *r)
{
    return r->n;
}

const struct yw_route *
yw_router_at(const struct yw_router *r, size_t i)
{
    return i < r->n ? r->routes[i].route : NULL;
}

size_t
yw_router_index(const struct yw_router *r, const struct yw_route *route)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->routes[i].route == route)
            return i;
    return r->n;
}

/* Split path into segments (pointers into path, no copies). */
static int
split(const char *path, const char **segs, size_t *lens)
{
    int n = 0;
    const char *p = path;
    while (*p == '/') {
        p++;
        if (*p == '\0')
            break;
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == MAX_SEGS || len == 0)
            return -1;
        segs[n] = p;
        lens[n] = len;
        n++;
        p += len;
    }
    return *p == '\0' ? n : -1;
}

static bool
matches(const struct compiled *c, int n, const char **segs, const size_t *lens)
{
    if (c->nsegs != n)
        return false;
    for (int i = n - 1; i >= 0; i--)
        if (c->segs[i] && (c->lens[i] != lens[i] || memcmp(c->segs[i], segs[i], lens[i]) != 0))
            return false;
    return true;
}

enum yw_match
yw_router_match(const struct yw_router *r, struct yw_req *req, const char *method, const char *path,
                const char **allow)
{
    if (!yw_utf8_valid(path, strlen(path)))
        return YW_MATCH_BAD_TEXT;
    const char *segs[MAX_SEGS];
    size_t lens[MAX_SEGS];
    int n = split(path, segs, lens);
    if (n < 0)
        return YW_MATCH_NO_PATH;

    const struct compiled *best = NULL;
    bool path_seen = false;
    const size_t *cand = r->by_n[n];
    size_t ncand = r->nby[n];
    for (size_t x = 0; x < ncand; x++) {
        const struct compiled *c = &r->routes[cand[x]];
        if (!matches(c, n, segs, lens))
            continue;
        path_seen = true;
        bool method_ok = !strcmp(c->route->method, method) ||
                         (!strcmp(method, "HEAD") && !strcmp(c->route->method, "GET"));
        if (method_ok && (best == NULL || c->literal_score > best->literal_score))
            best = c;
    }
    if (best == NULL) {
        if (!path_seen)
            return YW_MATCH_NO_PATH;
        if (allow) {
            struct yw_buf b;
            yw_buf_init(&b);
            for (size_t x = 0; x < ncand; x++) {
                if (!matches(&r->routes[cand[x]], n, segs, lens))
                    continue;
                const char *m = r->routes[cand[x]].route->method;
                bool seen = false;
                for (size_t y = 0; y < x; y++)
                    if (matches(&r->routes[cand[y]], n, segs, lens) &&
                        !strcmp(r->routes[cand[y]].route->method, m))
                        seen = true;
                if (seen)
                    continue;
                if (b.n)
                    yw_buf_adds(&b, ", ");
                yw_buf_adds(&b, m);
            }
            *allow = yw_arena_strdup(&req->arena, b.p ? b.p : "");
            yw_buf_release(&b);
        }
        return YW_MATCH_NO_METHOD;
    }
    req->route = best->route;
    req->nparams = 0;
    for (int i = 0; i < n && req->nparams < YW_MAX_PARAMS; i++) {
        if (best->segs[i] == NULL) {
            req->param_names[req->nparams] =
                yw_arena_strndup(&req->arena, best->names[i], best->name_lens[i]);
            req->param_values[req->nparams] = yw_arena_strndup(&req->arena, segs[i], lens[i]);
            req->nparams++;
        }
    }
    return YW_MATCH_OK;
}
