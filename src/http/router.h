/*
 * router.h - the route table of the whole server, built once at start from the
 * modules' tables.  Lookup is lock-free (the table is read-only after build).
 */
#ifndef YW_HTTP_ROUTER_H
#define YW_HTTP_ROUTER_H

#include "http/http.h"

struct yw_router;

/* Build from the modules' tables, skipping YW_R_TEST rows unless test_api.
 * Fails (YW_ECONFIG) on a duplicate method+path or a malformed path. */
int yw_router_build(const struct yw_module *const *mods, size_t nmods, bool test_api,
                    struct yw_router **out, struct yw_err *err);
void yw_router_free(struct yw_router *r);

enum yw_match {
    YW_MATCH_OK,
    YW_MATCH_NO_PATH,
    YW_MATCH_NO_METHOD,
    YW_MATCH_BAD_TEXT
};
/* Find the route for method+path (the path as decoded from the request);
 * fills req->route and the path params (values copied into req->arena).  For
 * YW_MATCH_NO_METHOD, `allow` gets the allowed methods ("GET, POST") in the
 * arena.  YW_MATCH_BAD_TEXT: the path is not valid UTF-8 (a parameter such as
 * %FF or a cut character), refused before any route is looked at, so no
 * handler, message or log line ever sees such a parameter. */
enum yw_match yw_router_match(const struct yw_router *r, struct yw_req *req, const char *method,
                              const char *path, const char **allow);

/* Routes in table order (for listings, metrics labels and the role matrix). */
size_t yw_router_count(const struct yw_router *r);
const struct yw_route *yw_router_at(const struct yw_router *r, size_t i);
/* Index of a route in the table (for per-route metrics). */
size_t yw_router_index(const struct yw_router *r, const struct yw_route *route);

#endif
