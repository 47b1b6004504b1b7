/*
 * ops.c - routes for operators and for the test clock.
 *
 *   GET  /healthz               the process is up (never touches the database)
 *   GET  /readyz                the database answers: take traffic
 *   GET  /metrics               Prometheus text: requests, latency, database, memory
 *   GET  /api/v1/openapi.json   the API description (docs/openapi.yaml, converted once)
 *   GET  /api/v1/admin/routes   every route with its roles, flags, body and rate limit (admin)
 *   POST /api/v1/test/clock     move the server clock forward (test_api only)
 */
#include "ops/ops.h"

#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "http/metrics.h"
#include "http/server.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *openapi_json;
static size_t openapi_len;

uint64_t
yw_ops_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return 0;
    unsigned long long size = 0, rss = 0;
    int n = fscanf(f, "%llu %llu", &size, &rss);
    fclose(f);
    return n == 2 ? rss * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static json_t *
clock_json(void)
{
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    return json_pack("{s:s, s:b}", "now", now, "set", yw_clock_is_set());
}

static int
h_healthz(struct yw_req *req)
{
    int64_t up = (yw_clock_real_ms() - req->app->started_ms) / 1000;
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I, s:o}", "status", "ok", "version",
                                  req->app->version, "uptime_seconds", (json_int_t)up, "clock",
                                  clock_json()));
}

static int
h_readyz(struct yw_req *req)
{
    struct yw_dbc *c = yw_db_conn(req->app->db, NULL);
    if (c == NULL)
        return yw_fail(&req->err, YW_EUNAVAIL, "", "the database cannot be reached");
    int64_t v = 0;
    int rc = yw_db_schema_applied(c, &v);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EUNAVAIL, "", "the database is not migrated");
    if (rc)
        return yw_fail(&req->err, YW_EUNAVAIL, "", "the database does not answer: %s",
                       yw_dbc_errmsg(c));
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:s, s:I}", "status", "ready", "engine",
                                  yw_db_engine(req->app->db) == YW_DB_PG ? "postgresql" : "sqlite",
                                  "db", "ok", "schema_version", (json_int_t)v));
}

static int
h_metrics(struct yw_req *req)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_metrics_render(&b);
    yw_buf_printf(&b,
                  "# HELP ywtb_db_seconds_total Time spent in database statements.\n"
                  "# TYPE ywtb_db_seconds_total counter\n"
                  "ywtb_db_seconds_total %.6f\n"
                  "# HELP ywtb_db_statements_total Database statements run.\n"
                  "# TYPE ywtb_db_statements_total counter\n"
                  "ywtb_db_statements_total %llu\n"
                  "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                  "# TYPE process_resident_memory_bytes gauge\n"
                  "process_resident_memory_bytes %llu\n"
                  "# HELP process_start_time_seconds Start time of the process since the epoch.\n"
                  "# TYPE process_start_time_seconds gauge\n"
                  "process_start_time_seconds %.3f\n"
                  "# HELP ywtb_build_info Version of the running binary.\n"
                  "# TYPE ywtb_build_info gauge\n"
                  "ywtb_build_info{version=\"%s\",engine=\"%s\"} 1\n",
                  yw_db_time_seconds(), (unsigned long long)yw_db_queries_total(),
                  (unsigned long long)yw_ops_rss_bytes(), (double)req->app->started_ms / 1000.0,
                  req->app->version,
                  yw_db_engine(req->app->db) == YW_DB_PG ? "postgresql" : "sqlite");
    uint64_t commits = 0, jobs = 0;
    yw_server_batch_stats(&commits, &jobs);
    yw_buf_printf(
        &b,
        "# HELP ywtb_db_group_commits_total Durable commits made by the group-commit batcher.\n"
        "# TYPE ywtb_db_group_commits_total counter\n"
        "ywtb_db_group_commits_total %llu\n"
        "# HELP ywtb_db_group_jobs_total Write requests committed by the batcher.\n"
        "# TYPE ywtb_db_group_jobs_total counter\n"
        "ywtb_db_group_jobs_total %llu\n",
        (unsigned long long)commits, (unsigned long long)jobs);
    uint64_t hits = 0, misses = 0;
    yw_ident_cache_stats(&hits, &misses);
    yw_buf_printf(
        &b,
        "# HELP ywtb_session_cache_lookups_total Sessions looked up in the node's session cache.\n"
        "# TYPE ywtb_session_cache_lookups_total counter\n"
        "ywtb_session_cache_lookups_total{result=\"hit\"} %llu\n"
        "ywtb_session_cache_lookups_total{result=\"miss\"} %llu\n",
        (unsigned long long)hits, (unsigned long long)misses);
    return yw_resp_take(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.n);
}

static int
h_openapi(struct yw_req *req)
{
    yw_resp_header(req, "Cache-Control", "public, max-age=300");
    return yw_resp_static(req, 200, "application/json; charset=utf-8", openapi_json, openapi_len);
}

static json_t *
flags_json(uint32_t f)
{
    json_t *a = json_array();
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = { { YW_R_PUBLIC, "public" }, { YW_R_WRITE, "write" },
                  { YW_R_RAW, "raw" },       { YW_R_LAX, "lax" },
                  { YW_R_TEST, "test" },     { YW_R_OPTIONAL_AUTH, "optional_auth" },
                  { YW_R_NODB, "nodb" },     { YW_R_BATCH, "batch" },
                  { YW_R_SLOW, "slow" },     { YW_R_FORM, "form" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (f & names[i].bit)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

static int
h_routes(struct yw_req *req)
{
    json_t *list = json_array();
    for (size_t i = 0; i < yw_server_route_count(); i++) {
        const struct yw_route *r = yw_server_route_at(i);
        json_t *roles = json_array();
        for (uint32_t bit = 1; bit && bit <= YW_ROLE_LAST; bit <<= 1)
            if (r->roles & bit)
                json_array_append_new(roles, json_string(yw_role_name(bit)));
        /* body: a JSON body is validated (400/413/415/422); rate_per_min: 0 or the
         * per-address limit (429) - what docs/openapi.yaml is checked against */
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:I}", "method",
                                              r->method, "path", r->path, "roles", roles, "flags",
                                              flags_json(r->flags), "summary",
                                              r->summary ? r->summary : "", "body", r->body != NULL,
                                              "rate_per_min", (json_int_t)r->rate_per_min));
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "routes", list));
}

static int
h_test_clock(struct yw_req *req)
{
    json_t *adv = json_object_get(req->body, "advance_seconds");
    json_t *days = json_object_get(req->body, "advance_days");
    int64_t ms = 0;
    if (adv)
        ms += (int64_t)json_integer_value(adv) * 1000;
    if (days)
        ms += (int64_t)json_integer_value(days) * 86400 * 1000;
    if (ms < 0)
        return yw_fail(&req->err, YW_EFIELD, adv ? "advance_seconds" : "advance_days",
                       "the clock only moves forward");
    if (!yw_clock_is_set())
        yw_clock_set(yw_clock_now_ms());
    yw_clock_advance(ms);
    yw_log_info("ops", "test clock moved forward by %lld ms", (long long)ms);
    return yw_resp_json(req, 200, json_pack("{s:o}", "clock", clock_json()));
}

static const struct yw_field clock_body[] = {
    { "advance_seconds", YW_F_INT, false, 0 },
    { "advance_days", YW_F_INT, false, 0 },
    { NULL, 0, false, 0 },
};

static const struct yw_route routes[] = {
    { "GET", "/healthz", h_healthz, 0, YW_R_PUBLIC | YW_R_NODB, NULL, "liveness probe" },
    { "GET", "/readyz", h_readyz, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "readiness probe (database reachable)" },
    { "GET", "/metrics", h_metrics, 0, YW_R_PUBLIC | YW_R_NODB, NULL, "Prometheus metrics" },
    { "GET", "/api/v1/openapi.json", h_openapi, 0, YW_R_PUBLIC | YW_R_NODB, NULL,
      "OpenAPI document" },
    { "GET", "/api/v1/admin/routes", h_routes, YW_ROLE_ADMIN, 0, NULL, "list every route" },
    { "POST", "/api/v1/test/clock", h_test_clock, 0, YW_R_PUBLIC | YW_R_TEST | YW_R_NODB,
      clock_body, "move the server clock forward (tests only)" },
};

static int
ops_init(struct yw_app *app, struct yw_err *err)
{
    (void)app;
    const struct yw_embedded *f = yw_embedded_find("docs/openapi.yaml");
    if (f == NULL)
        return yw_fail(err, YW_ECONFIG, "", "the binary carries no docs/openapi.yaml");
    return yw_ops_yaml_to_json(f->data, f->len, &openapi_json, &openapi_len, err);
}

static void
ops_shutdown(void)
{
    free(openapi_json);
    openapi_json = NULL;
}

const struct yw_module yw_ops_module = {
    .name = "ops",
    .init = ops_init,
    .shutdown = ops_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
};
