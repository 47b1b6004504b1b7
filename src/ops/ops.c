/*
 * ops.c - routes for operators and for the test clock.
 *
 *   GET  /healthz               the process is up (never touches the database)
 *   GET  /readyz                the database answers: take traffic
 *   GET  /metrics               Prometheus text: requests, latency, database, memory
 *   GET  /api/v1/openapi.json   the API description (docs/openapi.yaml, converted on the
 *                               first request: with every module's routes the conversion
 *                               grew to ~0.4 G instructions, most of a start-up)
 *   GET  /api/v1/admin/routes   every route with its roles, flags, body and rate limit (admin)
 *   POST /api/v1/test/clock     move the server clock forward (test_api only)
 *
 * The test clock is one for every node of a deployment: its offset from the
 * system clock is the row of test_clock.  A node started with --clock writes
 * its offset there (the last one started sets every node's clock), a move adds
 * to the row in one statement, and every node adopts what the row says: the
 * node that moved it at once, the others on PostgreSQL's NOTIFY ywtb_clock
 * before the move is answered (an acknowledged notification, db/listen.c), and
 * any node again whenever a POST (advance 0 reads it) reaches it.
 */
#include "ops/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/events.h"
#include "http/metrics.h"
#include "http/server.h"
#include "identity/identity.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *openapi_json; /* NULL until the first GET /api/v1/openapi.json */
static size_t openapi_len;
static pthread_mutex_t openapi_mu = PTHREAD_MUTEX_INITIALIZER;
static int calendar_last; /* the last year data_dir/calendar has a file for (0: none) */
static struct yw_db_listener *clock_listener;

#define CLOCK_CHANNEL "ywtb_clock"

/* Another node moved the shared test clock: the payload is the new offset. */
static void
clock_heard(const char *payload, void *ctx)
{
    (void)ctx;
    char *end;
    if (payload == NULL || *payload == '\0')
        return; /* a reconnect: the next POST on this node reads the row again */
    long long off = strtoll(payload, &end, 10);
    if (*end == '\0')
        yw_clock_set_offset((int64_t)off);
}

struct clock_tx {
    int64_t add_ms;  /* added to the row's offset */
    int64_t init_ms; /* the offset when there is no row yet */
    bool replace;    /* start-up: the row becomes init_ms */
    int64_t offset_ms;
};

static int
clock_write(struct yw_dbc *c, void *vctx)
{
    struct clock_tx *t = vctx;
    int rc = t->replace ? yw_db_run(c,
                                    "INSERT INTO test_clock (id, offset_ms) VALUES (1, ?) "
                                    "ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms",
                                    "i", t->init_ms)
                        : yw_db_run(c,
                                    "INSERT INTO test_clock (id, offset_ms) VALUES (1, ?) "
                                    "ON CONFLICT (id) DO UPDATE SET offset_ms = "
                                    "test_clock.offset_ms + ?",
                                    "ii", t->init_ms + t->add_ms, t->add_ms);
    if (rc == 0)
        rc = yw_db_one_int(c, &t->offset_ms, "SELECT offset_ms FROM test_clock WHERE id = 1", NULL);
    if (rc == 0) {
        char off[24];
        snprintf(off, sizeof off, "%lld", (long long)t->offset_ms);
        /* acknowledged: every node's clock has moved before the mover is
         * answered, so the next request says the new time on any node */
        rc = yw_db_notify_sync(c, CLOCK_CHANNEL, off);
    }
    return rc;
}

/* 1 when the working-day calendar lacks a year it needs: this year's, or from
 * October on next year's (the State Council publishes it in November) -
 * deadlines in a year without its file fall back to Monday-Friday. */
static int
calendar_missing(int *need)
{
    int y, m, d;
    yw_civil_from_days(yw_cal_day_of_ms(yw_clock_now_ms()), &y, &m, &d);
    *need = m >= 10 ? y + 1 : y;
    return calendar_last < *need;
}

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

/* The read replica as the monitor last saw it (db_read; no query here). */
static json_t *
replica_json(struct yw_db *db)
{
    struct yw_db_replica_stats st;
    yw_db_replica_stats(db, &st);
    if (!st.configured)
        return json_null();
    return json_pack("{s:s, s:b, s:b, s:f, s:f, s:I}", "url", st.url, "up", st.up, "in_use",
                     st.in_use, "lag_seconds", st.lag_seconds, "max_lag_seconds",
                     st.max_lag_seconds, "behind_bytes", (json_int_t)st.behind_bytes);
}

static int
h_healthz(struct yw_req *req)
{
    int64_t up = (yw_clock_real_ms() - req->app->started_ms) / 1000;
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I, s:o, s:o}", "status", "ok", "version",
                                  req->app->version, "uptime_seconds", (json_int_t)up, "clock",
                                  clock_json(), "read_replica", replica_json(req->app->db)));
}

/* ---- replica ---- */
static void
replica_metrics(struct yw_buf *b, struct yw_db *db)
{
    struct yw_db_replica_stats st;
    yw_db_replica_stats(db, &st);
    if (!st.configured)
        return;
    yw_buf_printf(
        b,
        "# HELP ywtb_db_replica_up 1 when the read replica (db_read) answers and follows the "
        "primary.\n"
        "# TYPE ywtb_db_replica_up gauge\n"
        "ywtb_db_replica_up %d\n"
        "# HELP ywtb_db_replica_in_use 1 when stale-tolerant reads go to the replica now.\n"
        "# TYPE ywtb_db_replica_in_use gauge\n"
        "ywtb_db_replica_in_use %d\n"
        "# HELP ywtb_db_replica_lag_seconds Time since the newest moment the replica is known to "
        "have caught up to (-1: never).\n"
        "# TYPE ywtb_db_replica_lag_seconds gauge\n"
        "ywtb_db_replica_lag_seconds %.3f\n"
        "# HELP ywtb_db_replica_behind_bytes WAL the primary wrote that the replica had not "
        "replayed at the last look.\n"
        "# TYPE ywtb_db_replica_behind_bytes gauge\n"
        "ywtb_db_replica_behind_bytes %lld\n"
        "# HELP ywtb_db_replica_reads_total Stale-tolerant reads, by where they were served "
        "and why not on the replica.\n"
        "# TYPE ywtb_db_replica_reads_total counter\n"
        "ywtb_db_replica_reads_total{served=\"replica\",reason=\"\"} %llu\n"
        "ywtb_db_replica_reads_total{served=\"primary\",reason=\"down\"} %llu\n"
        "ywtb_db_replica_reads_total{served=\"primary\",reason=\"lag\"} %llu\n"
        "ywtb_db_replica_reads_total{served=\"primary\",reason=\"own_write\"} %llu\n"
        "ywtb_db_replica_reads_total{served=\"primary\",reason=\"error\"} %llu\n",
        st.up ? 1 : 0, st.in_use ? 1 : 0, st.lag_seconds, (long long)st.behind_bytes,
        (unsigned long long)st.served, (unsigned long long)st.fallback_down,
        (unsigned long long)st.fallback_lag, (unsigned long long)st.fallback_fresh,
        (unsigned long long)st.fallback_error);
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
        "# HELP ywtb_db_group_jobs_total Jobs committed by the batcher: write requests and, "
        "on SQLite, the events' rounds (ywtb_events_rounds_total{in=\"batch\"}).\n"
        "# TYPE ywtb_db_group_jobs_total counter\n"
        "ywtb_db_group_jobs_total %llu\n",
        (unsigned long long)commits, (unsigned long long)jobs);
    int64_t queued = 0;
    double waited = 0;
    yw_server_batch_queue(&queued, &waited);
    int listeners = 0, listening = 0;
    yw_db_listen_counts(&listeners, &listening);
    yw_buf_printf(
        &b,
        "# HELP ywtb_db_group_queue_depth Write requests waiting for the batcher now.\n"
        "# TYPE ywtb_db_group_queue_depth gauge\n"
        "ywtb_db_group_queue_depth %lld\n"
        "# HELP ywtb_db_group_wait_seconds_total Time write requests waited for their batch.\n"
        "# TYPE ywtb_db_group_wait_seconds_total counter\n"
        "ywtb_db_group_wait_seconds_total %.6f\n"
        "# HELP ywtb_db_connections Database connections this node holds open.\n"
        "# TYPE ywtb_db_connections gauge\n"
        "ywtb_db_connections %d\n"
        "# HELP ywtb_db_listeners PostgreSQL LISTEN connections this node keeps (session cache).\n"
        "# TYPE ywtb_db_listeners gauge\n"
        "ywtb_db_listeners %d\n"
        "# HELP ywtb_db_listeners_up Of those, how many listen right now (less: the cache is "
        "bypassed).\n"
        "# TYPE ywtb_db_listeners_up gauge\n"
        "ywtb_db_listeners_up %d\n",
        (long long)queued, waited, yw_db_conn_count(req->app->db), listeners, listening);
    replica_metrics(&b, req->app->db);
    int batchers = 0;
    uint64_t reruns = 0;
    yw_server_batch_threads(&batchers, &reruns);
    yw_buf_printf(&b,
                  "# HELP ywtb_db_group_batchers Group-commit threads, each with its own "
                  "connection.\n"
                  "# TYPE ywtb_db_group_batchers gauge\n"
                  "ywtb_db_group_batchers %d\n"
                  "# HELP ywtb_db_group_reruns_total Batched requests run again because a "
                  "write sent ahead (PostgreSQL pipeline) failed.\n"
                  "# TYPE ywtb_db_group_reruns_total counter\n"
                  "ywtb_db_group_reruns_total %llu\n",
                  batchers, (unsigned long long)reruns);
    struct yw_dbc *c = yw_db_conn(req->app->db, NULL);
    int64_t head = -1;
    if (c && yw_audit_head(c, &head) == 0)
        yw_buf_printf(&b,
                      "# HELP ywtb_audit_head_seq Number of audit records (every chain's).\n"
                      "# TYPE ywtb_audit_head_seq gauge\n"
                      "ywtb_audit_head_seq %lld\n",
                      (long long)head);
    struct yw_audit_sth sth = { 0 };
    if (c && (yw_audit_sth_latest(c, &sth) == 0 || sth.tree_size == 0))
        yw_buf_printf(&b,
                      "# HELP ywtb_audit_tree_size Audit records sealed under the latest signed "
                      "tree head (audit_seal_seconds).\n"
                      "# TYPE ywtb_audit_tree_size gauge\n"
                      "ywtb_audit_tree_size %lld\n"
                      "# HELP ywtb_audit_sth_timestamp_seconds When the latest signed tree head "
                      "was made (0: never).\n"
                      "# TYPE ywtb_audit_sth_timestamp_seconds gauge\n"
                      "ywtb_audit_sth_timestamp_seconds %lld\n",
                      (long long)sth.tree_size, (long long)(sth.timestamp_ms / 1000));
    uint64_t dispatched = 0, ev_failed = 0;
    yw_events_counts(&dispatched, &ev_failed);
    yw_buf_printf(&b,
                  "# HELP ywtb_events_dispatched_total Events whose after-commit subscribers this "
                  "node ran.\n"
                  "# TYPE ywtb_events_dispatched_total counter\n"
                  "ywtb_events_dispatched_total %llu\n"
                  "# HELP ywtb_events_failed_total After-commit subscriber failures on this node "
                  "(each retried).\n"
                  "# TYPE ywtb_events_failed_total counter\n"
                  "ywtb_events_failed_total %llu\n",
                  (unsigned long long)dispatched, (unsigned long long)ev_failed);
    uint64_t rounds_own = 0, rounds_batched = 0;
    yw_events_rounds(&rounds_own, &rounds_batched);
    yw_buf_printf(&b,
                  "# HELP ywtb_events_rounds_total Rounds of after-commit subscribers this node "
                  "committed: in a transaction of their own, or as a job of the group-commit "
                  "batcher (SQLite).\n"
                  "# TYPE ywtb_events_rounds_total counter\n"
                  "ywtb_events_rounds_total{in=\"own\"} %llu\n"
                  "ywtb_events_rounds_total{in=\"batch\"} %llu\n",
                  (unsigned long long)rounds_own, (unsigned long long)rounds_batched);
    int64_t ev_waiting = 0, ev_stuck = 0;
    if (c && yw_events_backlog(c, &ev_waiting, &ev_stuck) == 0)
        yw_buf_printf(&b,
                      "# HELP ywtb_events_pending Events waiting for their after-commit "
                      "subscribers (all nodes).\n"
                      "# TYPE ywtb_events_pending gauge\n"
                      "ywtb_events_pending %lld\n"
                      "# HELP ywtb_events_stuck Events left after 10 failed attempts "
                      "(outbox_pending; docs/OPERATIONS.md).\n"
                      "# TYPE ywtb_events_stuck gauge\n"
                      "ywtb_events_stuck %lld\n",
                      (long long)ev_waiting, (long long)ev_stuck);
    int64_t last_backup = 0;
    if (c && yw_db_engine(req->app->db) == YW_DB_SQLITE && yw_db_backup_last(c, &last_backup) == 0)
        yw_buf_printf(&b,
                      "# HELP ywtb_backup_last_timestamp_seconds When the last ywtb backup of "
                      "this SQLite database finished (0: never).\n"
                      "# TYPE ywtb_backup_last_timestamp_seconds gauge\n"
                      "ywtb_backup_last_timestamp_seconds %.3f\n",
                      (double)last_backup / 1000.0);
    int need;
    int missing = calendar_missing(&need);
    yw_buf_printf(&b,
                  "# HELP ywtb_calendar_last_year The last year the working-day calendar covers.\n"
                  "# TYPE ywtb_calendar_last_year gauge\n"
                  "ywtb_calendar_last_year %d\n"
                  "# HELP ywtb_calendar_missing 1 when this year's calendar, or from October next "
                  "year's, is missing (data/calendar/YYYY.json).\n"
                  "# TYPE ywtb_calendar_missing gauge\n"
                  "ywtb_calendar_missing %d\n",
                  calendar_last, missing);
    uint64_t hits = 0, misses = 0;
    yw_ident_cache_stats(&hits, &misses);
    yw_buf_printf(
        &b,
        "# HELP ywtb_session_cache_lookups_total Sessions looked up in the node's session cache.\n"
        "# TYPE ywtb_session_cache_lookups_total counter\n"
        "ywtb_session_cache_lookups_total{result=\"hit\"} %llu\n"
        "ywtb_session_cache_lookups_total{result=\"miss\"} %llu\n",
        (unsigned long long)hits, (unsigned long long)misses);
    int64_t used = 0, slots = 0;
    yw_ident_cache_size(&used, &slots);
    uint64_t acks = 0, ack_timeouts = 0;
    double ack_seconds = 0;
    yw_db_notify_sync_stats(&acks, &ack_timeouts, &ack_seconds);
    yw_buf_printf(
        &b,
        "# HELP ywtb_session_cache_entries Sessions the node's session cache holds now.\n"
        "# TYPE ywtb_session_cache_entries gauge\n"
        "ywtb_session_cache_entries %lld\n"
        "# HELP ywtb_session_cache_slots Capacity of the session cache (session_cache; 0: off).\n"
        "# TYPE ywtb_session_cache_slots gauge\n"
        "ywtb_session_cache_slots %lld\n"
        "# HELP ywtb_db_notify_acks_total Changes (logout, password) this node waited for every "
        "other node to confirm.\n"
        "# TYPE ywtb_db_notify_acks_total counter\n"
        "ywtb_db_notify_acks_total %llu\n"
        "# HELP ywtb_db_notify_ack_timeouts_total Of those, how many some node did not confirm in "
        "time.\n"
        "# TYPE ywtb_db_notify_ack_timeouts_total counter\n"
        "ywtb_db_notify_ack_timeouts_total %llu\n"
        "# HELP ywtb_db_notify_ack_wait_seconds_total Time spent waiting for the confirmations.\n"
        "# TYPE ywtb_db_notify_ack_wait_seconds_total counter\n"
        "ywtb_db_notify_ack_wait_seconds_total %.6f\n",
        (long long)used, (long long)slots, (unsigned long long)acks,
        (unsigned long long)ack_timeouts, ack_seconds);
    int64_t verified_ms = 0, verified_records = 0;
    bool intact = true;
    if (c && yw_audit_last_verify(c, &verified_ms, &verified_records, &intact) == 0)
        yw_buf_printf(&b,
                      "# HELP ywtb_audit_last_verify_timestamp_seconds When `ywtb verify --audit` "
                      "last read the whole chain (0: never).\n"
                      "# TYPE ywtb_audit_last_verify_timestamp_seconds gauge\n"
                      "ywtb_audit_last_verify_timestamp_seconds %.3f\n"
                      "# HELP ywtb_audit_last_verify_records Records that check covered.\n"
                      "# TYPE ywtb_audit_last_verify_records gauge\n"
                      "ywtb_audit_last_verify_records %lld\n"
                      "# HELP ywtb_audit_last_verify_intact 1 when that check found the chain "
                      "intact, 0 when broken.\n"
                      "# TYPE ywtb_audit_last_verify_intact gauge\n"
                      "ywtb_audit_last_verify_intact %d\n",
                      (double)verified_ms / 1000.0, (long long)verified_records, intact ? 1 : 0);
    return yw_resp_take(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.n);
}

/* The embedded docs/openapi.yaml as JSON, converted once. */
static int
openapi_load(struct yw_err *err)
{
    int rc = 0;
    pthread_mutex_lock(&openapi_mu);
    if (openapi_json == NULL) {
        const struct yw_embedded *f = yw_embedded_find("docs/openapi.yaml");
        rc = f ? yw_ops_yaml_to_json(f->data, f->len, &openapi_json, &openapi_len, err)
               : yw_fail(err, YW_ECONFIG, "", "the binary carries no docs/openapi.yaml");
    }
    pthread_mutex_unlock(&openapi_mu);
    return rc;
}

static int
h_openapi(struct yw_req *req)
{
    int rc = openapi_load(&req->err);
    if (rc)
        return rc;
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
    } names[] = { { YW_R_PUBLIC, "public" },
                  { YW_R_WRITE, "write" },
                  { YW_R_RAW, "raw" },
                  { YW_R_LAX, "lax" },
                  { YW_R_TEST, "test" },
                  { YW_R_OPTIONAL_AUTH, "optional_auth" },
                  { YW_R_NODB, "nodb" },
                  { YW_R_BATCH, "batch" },
                  { YW_R_SLOW, "slow" },
                  { YW_R_FORM, "form" },
                  { YW_R_FORM_JSON, "form_json" },
                  { YW_R_STALE, "stale" } };
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
    struct clock_tx t = { .add_ms = ms, .init_ms = yw_clock_offset() };
    int rc = yw_db_tx(req->app->db, YW_TX_WRITE, clock_write, &t, &req->err);
    if (rc)
        return rc;
    yw_clock_set_offset(t.offset_ms); /* what every node's clock now says */
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
    { "POST", "/api/v1/test/clock", h_test_clock, 0, YW_R_PUBLIC | YW_R_TEST, clock_body,
      "move the server clock forward (tests only)" },
    /* the audit log's signed tree, for outside auditors (audit_log.c) */
    { "GET", "/api/v1/public/audit/sth", yw_ops__h_sth, 0, YW_R_PUBLIC, NULL,
      "the audit log's latest signed tree head", 600 },
    { "GET", "/api/v1/public/audit/sths", yw_ops__h_sths, 0, YW_R_PUBLIC, NULL,
      "the audit log's signed tree heads, oldest first", 600 },
    { "GET", "/api/v1/public/audit/keys", yw_ops__h_keys, 0, YW_R_PUBLIC, NULL,
      "the audit log's public signing keys", 600 },
    { "GET", "/api/v1/public/audit/proof/inclusion", yw_ops__h_inclusion, 0, YW_R_PUBLIC, NULL,
      "inclusion proof of one audit record in a signed tree", 600 },
    { "GET", "/api/v1/public/audit/proof/consistency", yw_ops__h_consistency, 0, YW_R_PUBLIC,
      NULL, "consistency proof between two signed trees", 600 },
};

/* A SQLite database others on the machine may read holds ID numbers, password
 * hashes and session tokens: say so at start (issue 21 item 4). */
static void
warn_readable_db(const char *url)
{
    if (url == NULL || strncmp(url, "sqlite:", 7) != 0)
        return;
    const char *path = url + 7;
    if (strncmp(path, "//", 2) == 0)
        path += 2;
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        yw_log_warn("ops",
                    "the database %s has mode %04o: every user on this machine can read it "
                    "(chmod 640 %s, and UMask=0027 as in the systemd unit)",
                    path, (unsigned)(st.st_mode & 07777), path);
}

static int
ops_init(struct yw_app *app, struct yw_err *err)
{
    warn_readable_db(app->cfg->db);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", app->cfg->data_dir);
    struct yw_calendar *cal = NULL;
    struct yw_err cerr = { 0 };
    int first = 0;
    calendar_last = 0;
    if (yw_cal_load(dir, &cal, &cerr) == 0) { /* a bad calendar stops the cases module */
        yw_cal_years(cal, &first, &calendar_last);
        yw_cal_free(cal);
    }
    int need;
    if (calendar_missing(&need))
        yw_log_warn("ops",
                    "the working-day calendar has no file for %d (%s/%d.json): deadlines in %d "
                    "count Monday-Friday without holidays; add the year from the State Council "
                    "notice (docs/OPERATIONS.md)",
                    need, dir, need, need);
    if (yw_clock_is_set() && app->db) {
        /* serve --clock: this node's clock becomes every node's (see the top) */
        struct clock_tx t = { .init_ms = yw_clock_offset(), .replace = true };
        int rc = yw_db_tx(app->db, YW_TX_WRITE, clock_write, &t, err);
        if (rc == 0)
            rc = yw_db_listen(app->db, CLOCK_CHANNEL, clock_heard, NULL, &clock_listener, err);
        if (rc)
            return rc;
    }
    if (yw_embedded_find("docs/openapi.yaml") == NULL)
        return yw_fail(err, YW_ECONFIG, "", "the binary carries no docs/openapi.yaml");
    return yw_ops__sealer_start(app, err);
}

static void
ops_shutdown(void)
{
    yw_ops__sealer_stop();
    yw_db_listen_stop(clock_listener);
    clock_listener = NULL;
    pthread_mutex_lock(&openapi_mu);
    free(openapi_json);
    openapi_json = NULL;
    pthread_mutex_unlock(&openapi_mu);
}

const struct yw_module yw_ops_module = {
    .name = "ops",
    .init = ops_init,
    .shutdown = ops_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .commands = yw_ops_commands,
    .settings = &yw_ops__settings_table,
    .sealed_keys = yw_ops__sealed_keys,
};
