/*
 * internal.h - what the files of src/hotline share: the order as read from
 * its row, the service categories, the settings, the store and the loop's
 * steps.  Not for other modules (they include hotline.h).
 */
#ifndef YW_HOTLINE_INTERNAL_H
#define YW_HOTLINE_INTERNAL_H

#include "hotline/hotline.h"

#include "core/calendar.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The rough extent of Xuhui district (WGS84): a location outside it is refused. */
#define YW_HOTLINE_LAT_MIN 31.10
#define YW_HOTLINE_LAT_MAX 31.24
#define YW_HOTLINE_LNG_MIN 121.39
#define YW_HOTLINE_LNG_MAX 121.49

/* ---- settings (routes.c) ---- */
struct yw_hotline_settings {
    int64_t hotline_limit_general;     /* 一般咨询、意见建议: working days */
    int64_t hotline_limit_supervision; /* 热线督办、回访复核 */
    int64_t hotline_limit_help;        /* 一般求助、投诉 */
    int64_t hotline_limit_complex;     /* 复杂事项 */
    int64_t hotline_return_days;       /* a wrong dispatch goes back within this many */
    int64_t hotline_max_extensions;    /* extensions an order may have */
    int64_t hotline_max_extension_days;
    char *hotline_open311_keys;       /* "name:key,name:key": Open311 clients that may post */
    char *hotline_jurisdiction;       /* Open311 jurisdiction_id */
    int64_t hotline_open311_page;     /* GET requests: default page size */
    int64_t hotline_open311_cache_ms; /* GET requests answers kept this long at most */
    int64_t hotline_open311_reads_per_min; /* pages read from the database per client */
    int64_t hotline_grid_code_length; /* digits of a unit grid code */
};
const struct yw_hotline_settings *yw_hotline__cfg(void);
const struct yw_calendar *yw_hotline__calendar(void);

/* ---- service categories (types.c) ---- */
struct yw_hotline__category {
    const char *code; /* service_code, "HL-101" */
    const char *name; /* Chinese name */
    const char *name_en;
    const char *group; /* Open311 group */
    const char *type;  /* default order type */
    const char *dept;  /* department usually responsible ("" = the operator decides) */
    const char *attr;  /* one required attribute code, or NULL */
    const char *attr_name;
    const char *const *attr_values; /* its values (value = key) */
};
extern const struct yw_hotline__category yw_hotline__categories[];
extern const size_t yw_hotline__ncategories;
const struct yw_hotline__category *yw_hotline__category(const char *code);
/* The limit in working days of an order type, or -1 when the type is unknown. */
int yw_hotline__type_limit(const char *type);

/* ---- an order ---- */
struct yw_hotline__order {
    int64_t id;
    const char *order_no, *channel, *category, *type, *urgency, *status, *content, *address;
    const char *lat, *lng, *media_url, *caller_name, *caller_phone, *caller_ident, *client, *dept;
    int64_t caller_account_id, intake_by;
    int limit_days, returns, extensions, ext_days, presses, rating;
    int64_t start_day, due_day, dispatched_day, answered_day;
    const char *ext_reason, *answer, *visit_note, *rating_comment;
    const char *created_at, *updated_at, *closed_at;
    const char *merged_into; /* the order that answers this one, "" when none */
};

struct yw_hotline__actor;

/* ---- store (store.c): SQL only ---- */
int yw_hotline__load(struct yw_dbc *c, struct yw_arena *a, const char *order_no,
                     struct yw_hotline__order *o);
int yw_hotline__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id,
                        struct yw_hotline__order *o);
/* Insert o (order_no is made from the id); o->id and o->order_no are set. */
int yw_hotline__insert(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o);
/* Write back every mutable column of o. */
int yw_hotline__save(struct yw_dbc *c, const struct yw_hotline__order *o);
int yw_hotline__step_add(struct yw_dbc *c, int64_t order_id, const char *action,
                         const char *actor_name, const char *dept, const char *status,
                         const char *note);
int yw_hotline__steps_json(struct yw_dbc *c, int64_t order_id, json_t **out);
/* A page of orders, newest first.  scope: "all", "dept" (dept = key) or
 * "caller" (caller_account_id = account).  status "" for any; before_id 0
 * for the first page. */
struct yw_hotline__filter {
    const char *scope, *dept, *status, *category;
    int64_t account, before_id;
    int limit;
};
int yw_hotline__list(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__filter *f,
                     struct yw_hotline__order **out, int *n);

/* The Open311 list (GET requests): public orders created in [since, until]
 * (until NULL: no end),
 * newest first by (created_at, id), strictly before the public order
 * `before` (an order_no) when it is set; closed: -1 any, 0 open, 1 closed;
 * category "" or NULL for any.  At most limit (>= 1) rows.
 * rate_key set (the client's bucket, http/ratelimit.h
 * yw_ratelimit_shared_key): on PostgreSQL outside a transaction the page
 * takes the client's token from rate_buckets in the same statement
 * (rate_per_min, now_ms) and reads nothing when refused; elsewhere the
 * caller takes it before and rate_key is ignored. */
struct yw_hotline__o311_query {
    const char *since, *until, *category, *before;
    int closed;
    int limit;
    const char *rate_key;
    unsigned rate_per_min;
    int64_t now_ms;
};
struct yw_hotline__o311_page {
    int n;               /* rows given to the callback */
    bool cursor_missing; /* before names no public order: no rows */
    bool refused;        /* the token was refused (PostgreSQL): no rows */
    int64_t milli;       /* then the tokens left, x 1000 */
    bool head;           /* (the statement's head row was read) */
    char cursor_at[40];
};
/* A row of the page: valid during the call only (pointers into the
 * statement; the fields a request shows, the others ""). */
typedef void (*yw_hotline__o311_row_fn)(void *ctx, const struct yw_hotline__order *o);
int yw_hotline__o311_page(struct yw_dbc *c, const struct yw_hotline__o311_query *q,
                          yw_hotline__o311_row_fn fn, void *ctx, struct yw_hotline__o311_page *out);

/* ---- the Open311 list's answers kept in memory (o311_cache.c) ---- */
/* Call inside every transaction that writes an order: the generation of the
 * orders moves on once it commits. */
void yw_hotline__orders_changed(struct yw_dbc *c);
uint64_t yw_hotline__o311_gen(void);
/* The answer stored for key at generation gen and younger than
 * hotline_open311_cache_ms: *body malloc'd (the caller owns it), *link in a
 * or NULL.  False when there is none. */
bool yw_hotline__o311_cache_get(const char *key, uint64_t gen, char **body, size_t *len,
                                char **link, struct yw_arena *a);
/* Keep a copy of an answer built from what was read at generation gen. */
void yw_hotline__o311_cache_put(const char *key, uint64_t gen, const char *body, size_t len,
                                const char *link);
/* /metrics source (registered by the module's init). */
void yw_hotline__metrics(struct yw_buf *out, void *ctx);
void yw_hotline__o311_cache_drop(void);

/* Open orders of the same category reported within a day either side of o
 * (orders.c narrows them to the same place). */
int yw_hotline__similar(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__order *o,
                        struct yw_hotline__order **out, int *n);
/* The orders merged into order master. */
int yw_hotline__merged(struct yw_dbc *c, struct yw_arena *a, const char *master,
                       struct yw_hotline__order **out, int *n);
int yw_hotline__knowledge_add(struct yw_dbc *c, const char *category, const char *question,
                              const char *answer, const char *author, int64_t *id);
/* Entries whose question or answer holds q (all when q is ""), of one category or all. */
int yw_hotline__knowledge_find(struct yw_dbc *c, const char *q, const char *category, int limit,
                               json_t **out);

/* ---- the loop (orders.c) ---- */
/* Suggestions for merging: similar orders (yw_hotline__similar) at the same
 * place (within about 300 m, or the same address). */
int yw_hotline__similar_json(struct yw_dbc *c, struct yw_arena *a,
                             const struct yw_hotline__order *o, bool whole_phone, json_t **out);
/* Merge order child (received) into master: the master's answer and closing
 * answer the child's caller too. */
int yw_hotline__merge(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *child,
                      const char *master_no, const struct yw_hotline__actor *by,
                      struct yw_err *err);
/* What an intake carries (validated by orders.c). */
struct yw_hotline__intake {
    const char *channel, *category, *type, *urgency, *content, *address, *media_url;
    const char *caller_name, *caller_phone, *caller_ident, *client;
    const char *lat, *lng; /* text as given, NULL when absent */
    int64_t caller_account_id, intake_by;
    json_t *attributes;     /* Open311 attribute[...] values, or NULL */
    bool callback_optional; /* Open311: the client's user may give no phone */
};
struct yw_hotline__actor {
    int64_t account_id;
    const char *name, *dept, *role;
};
int yw_hotline__intake(struct yw_dbc *c, struct yw_arena *a, const struct yw_hotline__intake *in,
                       const struct yw_hotline__actor *by, struct yw_hotline__order *out,
                       struct yw_err *err);
/* One step of the loop on order o (loaded and visible to the actor).
 * action: dispatch, sign, return, extend, extend_decide, answer, close,
 * callback, rate, press.  args: the request body. */
int yw_hotline__step(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o,
                     const char *action, json_t *args, const struct yw_hotline__actor *by,
                     struct yw_err *err);
/* The order as JSON; whole_phone shows the callback number unmasked. */
json_t *yw_hotline__order_json(struct yw_dbc *c, struct yw_arena *a,
                               const struct yw_hotline__order *o, bool whole_phone);
/* The clock of o now: light green/yellow/red/stopped, days left, overdue. */
json_t *yw_hotline__clock_json(const struct yw_hotline__order *o);
bool yw_hotline__is_closed(const char *status);
/* A caller's phone is a mainland mobile or a landline with area code. */
bool yw_hotline__phone_ok(const char *p);
/* Parse a coordinate in degrees within [lo, hi]; YW_EFIELD naming field otherwise. */
int yw_hotline__parse_coord(const char *s, double lo, double hi, const char *field, double *out,
                            struct yw_err *err);

/* ---- unit grids (grid.c) ---- */
struct yw_hotline__grid {
    const char *code, *street, *community, *name;
};
/* The even-odd test on GeoJSON rings, one polygon at a time: the plain
 * reference the spatial index (gridindex.c) is tested against. */
bool yw_hotline__polygon_contains(json_t *rings, double lng, double lat);
/* Insert or replace grid code (validated: digits, length, 310104, polygon). */
int yw_hotline__grid_put(struct yw_dbc *c, const char *code, const char *street,
                         const char *community, const char *name, json_t *rings,
                         struct yw_err *err);
/* The grid the point lies in (strings in a), or YW_ENOTFOUND; a negative
 * code when the grids cannot be read.  Uses the in-memory index, built again
 * on c when the grids' stamp changed (grid.c). */
int yw_hotline__grid_locate(struct yw_dbc *c, struct yw_arena *a, double lat, double lng,
                            struct yw_hotline__grid *out);
/* PostgreSQL: listen for grid writes of every node, so that placement
 * trusts the index without reading the stamp while nothing changed (grid.c);
 * SQLite: nothing.  Serve's init; stop at shutdown.  Listening: whether the
 * listener listens right now. */
int yw_hotline__grid_listen(struct yw_db *db, struct yw_err *err);
void yw_hotline__grid_listen_stop(void);
bool yw_hotline__grid_listening(void);
/* How many times this process built the index; drop it (tests, shutdown). */
uint64_t yw_hotline__grid_index_builds(void);
void yw_hotline__grid_index_drop(void);

/* ---- the spatial index of the grids (gridindex.c) ----
 * Add cells (code, names and GeoJSON rings, copied), finish once, then find
 * from any number of threads; immutable after finish.  The strings find
 * returns live as long as the index. */
struct yw_hotline__gidx;
struct yw_hotline__gidx *yw_hotline__gidx_new(void);
void yw_hotline__gidx_free(struct yw_hotline__gidx *ix);
/* 0, or YW_EINVAL for rings that are not an array of rings of [x, y]
 * positions (nothing added) or after finish. */
int yw_hotline__gidx_add(struct yw_hotline__gidx *ix, const char *code, const char *street,
                         const char *community, const char *name, json_t *rings);
int yw_hotline__gidx_finish(struct yw_hotline__gidx *ix);
size_t yw_hotline__gidx_count(const struct yw_hotline__gidx *ix);
/* The cell (lng, lat) lies in, smallest bounding box first; false when none. */
bool yw_hotline__gidx_find(const struct yw_hotline__gidx *ix, double lng, double lat,
                           struct yw_hotline__grid *out);
/* Every grid (of one street when street is not empty) as a GeoJSON
 * FeatureCollection with its event counts. */
int yw_hotline__grids_geojson(struct yw_dbc *c, const char *street, json_t **out);
int yw_hotline__import_grids(struct yw_app *app, const char *path, int64_t *n, struct yw_err *err);
int yw_hotline__demo_grid(struct yw_dbc *c, int *added, struct yw_err *err);

/* ---- grid events (events.c): the GB/T 30428 loop ---- */
struct yw_hotline__event {
    int64_t id, reporter_id;
    const char *event_no, *kind, *major, *minor, *description, *lat, *lng, *grid_code, *status;
    const char *reporter_name, *photo_before, *photo_after, *dept, *order_no, *note;
    const char *created_at, *updated_at, *closed_at;
};
struct yw_hotline__report {
    const char *kind, *major, *minor, *description, *lat, *lng, *photo, *order_no;
};
int yw_hotline__event_load(struct yw_dbc *c, struct yw_arena *a, const char *no,
                           struct yw_hotline__event *e);
int yw_hotline__event_report(struct yw_dbc *c, struct yw_arena *a,
                             const struct yw_hotline__report *in,
                             const struct yw_hotline__actor *by, struct yw_hotline__event *out,
                             struct yw_err *err);
/* open, dispatch, handle, verify, close, reject */
int yw_hotline__event_step(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__event *e,
                           const char *action, json_t *args, const struct yw_hotline__actor *by,
                           struct yw_err *err);
/* Register the provider that lets those who see an event see its photos. */
void yw_hotline__file_access_register(void);
json_t *yw_hotline__event_json(struct yw_dbc *c, struct yw_arena *a,
                               const struct yw_hotline__event *e, bool steps);
int yw_hotline__events_list(struct yw_dbc *c, struct yw_arena *a, const char *status,
                            const char *dept, const char *grid, int64_t before_id, int limit,
                            json_t **out);
/* An order about something on the street becomes a grid event (orders.c
 * calls it; the order closes when the event does). */
int yw_hotline__order_to_grid(struct yw_dbc *c, struct yw_arena *a, struct yw_hotline__order *o,
                              json_t *args, const struct yw_hotline__actor *by,
                              struct yw_hotline__event *out, struct yw_err *err);

/* ---- HTTP (routes.c, grid_routes.c) ---- */
/* Who acts on orders: the hotline centre, the departments' staff, and those who see everything. */
#define YW_HOTLINE__CENTRE  (YW_ROLE_HOTLINE_OPERATOR)
#define YW_HOTLINE__DEPTS   (YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER)
#define YW_HOTLINE__SEE_ALL (YW_ROLE_HOTLINE_OPERATOR | YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)
/* The caller as the actor of a step (anonymous when not logged in). */
struct yw_hotline__actor yw_hotline__actor_of(struct yw_req *req);
/* The order named in the path, visible to the caller (404 otherwise). */
int yw_hotline__load_order(struct yw_req *req, struct yw_hotline__order *o);
/* A body coordinate given as a number or a string: its text, NULL when absent. */
const char *yw_hotline__coord_text(struct yw_req *req, const char *name);
int yw_hotline__h_grids(struct yw_req *req);
int yw_hotline__h_grid_locate(struct yw_req *req);
int yw_hotline__h_event_report(struct yw_req *req);
int yw_hotline__h_events(struct yw_req *req);
int yw_hotline__h_event_get(struct yw_req *req);
int yw_hotline__h_ev_open(struct yw_req *req);
int yw_hotline__h_ev_dispatch(struct yw_req *req);
int yw_hotline__h_ev_handle(struct yw_req *req);
int yw_hotline__h_ev_verify(struct yw_req *req);
int yw_hotline__h_ev_close(struct yw_req *req);
int yw_hotline__h_ev_reject(struct yw_req *req);
int yw_hotline__h_to_grid(struct yw_req *req);

/* ---- Open311 (open311.c) and the demo (seed.c) ---- */
int yw_hotline__h_o311_services(struct yw_req *req);
int yw_hotline__h_o311_service(struct yw_req *req);
int yw_hotline__h_o311_requests(struct yw_req *req);
int yw_hotline__h_o311_post(struct yw_req *req);
int yw_hotline__h_o311_request(struct yw_req *req);
int yw_hotline__h_o311_token(struct yw_req *req);
int yw_hotline__h_o311_discovery(struct yw_req *req);
int yw_hotline__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

#endif
