/*
 * grid_routes.c - the HTTP handlers of unit grids and grid events (the route
 * table is in routes.c):
 *
 *   GET  /api/v1/grids[?street=]                    the grid as GeoJSON with per-grid counts (staff)
 *   GET  /api/v1/grids/locate?lat=&lng=             the grid a point lies in (staff)
 *   POST /api/v1/grid-events                        a grid worker reports (上报)
 *   GET  /api/v1/grid-events, /api/v1/grid-events/{event_no}
 *   POST /api/v1/grid-events/{event_no}/open | dispatch | close | reject   the centre
 *   POST /api/v1/grid-events/{event_no}/handle      the department (处置)
 *   POST /api/v1/grid-events/{event_no}/verify      a grid worker on site (核查)
 *   POST /api/v1/hotline/orders/{order_no}/to-grid  an order becomes a grid event
 */
#include "hotline/internal.h"

#include <string.h>

#define DEPTS   YW_HOTLINE__DEPTS
#define SEE_ALL YW_HOTLINE__SEE_ALL

int
yw_hotline__h_grids(struct yw_req *req)
{
    json_t *fc = NULL;
    int rc = yw_hotline__grids_geojson(req->db, yw_req_query(req, "street"), &fc);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the grids");
    return yw_resp_json(req, 200, fc);
}

static int
query_coord(struct yw_req *req, const char *name, double lo, double hi, double *out)
{
    const char *v = yw_req_query(req, name);
    if (v == NULL || v[0] == '\0')
        return yw_fail(&req->err, YW_EMISSING, name, "'%s' is required", name);
    return yw_hotline__parse_coord(v, lo, hi, name, out, &req->err);
}

int
yw_hotline__h_grid_locate(struct yw_req *req)
{
    double lat, lng;
    int rc = query_coord(req, "lat", YW_HOTLINE_LAT_MIN, YW_HOTLINE_LAT_MAX, &lat);
    if (rc == 0)
        rc = query_coord(req, "lng", YW_HOTLINE_LNG_MIN, YW_HOTLINE_LNG_MAX, &lng);
    if (rc)
        return rc;
    struct yw_hotline__grid g;
    rc = yw_hotline__grid_locate(req->db, &req->arena, lat, lng, &g);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no unit grid holds %.6f, %.6f", lat, lng);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the grids");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:s, s:s}", "code", g.code, "street", g.street,
                                  "community", g.community, "name", g.name));
}

static bool
event_visible(const struct yw_req *req, const struct yw_hotline__event *e)
{
    uint32_t r = req->who->roles;
    if (r & (YW_ROLE_GRID_WORKER | SEE_ALL))
        return true;
    return (r & DEPTS) && e->dept[0] && req->who->dept && !strcmp(req->who->dept, e->dept);
}

static int
load_event(struct yw_req *req, struct yw_hotline__event *e)
{
    const char *no = yw_req_param(req, "event_no");
    int rc = yw_hotline__event_load(req->db, &req->arena, no, e);
    if (rc == 0 && !event_visible(req, e))
        rc = YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no grid event '%.40s'", no);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read grid event '%.40s'", no);
    return 0;
}

int
yw_hotline__h_event_report(struct yw_req *req)
{
    struct yw_hotline__report in = { 0 };
    in.kind = yw_body_str(req, "kind");
    in.major = yw_body_str(req, "major");
    in.minor = yw_body_str(req, "minor");
    in.description = yw_body_str(req, "description");
    in.lat = yw_hotline__coord_text(req, "lat");
    in.lng = yw_hotline__coord_text(req, "lng");
    in.photo = yw_body_str(req, "photo");
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    struct yw_hotline__event e;
    int rc = yw_hotline__event_report(req->db, &req->arena, &in, &by, &e, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 201, yw_hotline__event_json(req->db, &req->arena, &e, true));
}

int
yw_hotline__h_events(struct yw_req *req)
{
    int64_t limit = 50, cursor = 0;
    int rc = yw_req_query_int(req, "limit", 50, 1, 200, &limit);
    if (rc == 0)
        rc = yw_req_query_int(req, "cursor", 0, 0, INT64_MAX, &cursor);
    if (rc)
        return rc;
    const char *dept = (req->who->roles & (YW_ROLE_GRID_WORKER | SEE_ALL))
                           ? yw_req_query(req, "dept")
                           : req->who->dept;
    json_t *out = NULL;
    rc = yw_hotline__events_list(req->db, &req->arena, yw_req_query(req, "status"), dept,
                                 yw_req_query(req, "grid"), cursor, (int)limit, &out);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot list grid events");
    return yw_resp_json(req, 200, out);
}

int
yw_hotline__h_event_get(struct yw_req *req)
{
    struct yw_hotline__event e;
    int rc = load_event(req, &e);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, yw_hotline__event_json(req->db, &req->arena, &e, true));
}

static int
event_step(struct yw_req *req, const char *action, bool dept_only)
{
    struct yw_hotline__event e;
    int rc = load_event(req, &e);
    if (rc)
        return rc;
    if (dept_only && !(e.dept[0] && req->who->dept && !strcmp(req->who->dept, e.dept)))
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no grid event '%.40s' for your department",
                       e.event_no);
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    rc = yw_hotline__event_step(req->db, &req->arena, &e, action, req->body, &by, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, yw_hotline__event_json(req->db, &req->arena, &e, true));
}

int
yw_hotline__h_ev_open(struct yw_req *req)
{
    return event_step(req, "open", false);
}
int
yw_hotline__h_ev_dispatch(struct yw_req *req)
{
    return event_step(req, "dispatch", false);
}
int
yw_hotline__h_ev_handle(struct yw_req *req)
{
    return event_step(req, "handle", true);
}
int
yw_hotline__h_ev_verify(struct yw_req *req)
{
    return event_step(req, "verify", false);
}
int
yw_hotline__h_ev_close(struct yw_req *req)
{
    return event_step(req, "close", false);
}
int
yw_hotline__h_ev_reject(struct yw_req *req)
{
    return event_step(req, "reject", false);
}

int
yw_hotline__h_to_grid(struct yw_req *req)
{
    struct yw_hotline__order o;
    int rc = yw_hotline__load_order(req, &o);
    if (rc)
        return rc;
    struct yw_hotline__actor by = yw_hotline__actor_of(req);
    struct yw_hotline__event e;
    rc = yw_hotline__order_to_grid(req->db, &req->arena, &o, req->body, &by, &e, &req->err);
    if (rc)
        return rc;
    return yw_resp_json(req, 201, yw_hotline__event_json(req->db, &req->arena, &e, true));
}
