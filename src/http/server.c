/*
 * server.c - the HTTP server: libmicrohttpd with a thread pool, one request
 * context per request, and the dispatch that enforces a route's row.
 *
 * Request life:
 *   first callback   make the context (arena, id, start time), match the route,
 *                    refuse an announced oversize body at once (413);
 *   upload callbacks append the body up to the route's limit; an upload
 *                    route's file is streamed to a temporary file instead
 *                    (multipart.h), never held in memory;
 *   last callback    parse and validate, authenticate, check role and CSRF, run
 *                    the handler (in a write transaction when the row says so),
 *                    queue the response - never on the first callback, which
 *                    would make libmicrohttpd drop keep-alive;
 *   completion       record metrics and the access log line, free the arena.
 *
 * Threads: one thread accepts (acceptor.c) and hands each connection to MHD's
 * epoll thread pool, sized to the cores, alternating workers; each worker thread owns
 * its database connection (db.h) and its metrics slot (metrics.h), so the hot
 * path takes no lock.  SIGTERM/SIGINT: stop accepting, wait for the requests
 * being handled (10 s at most), close every connection, return to main, which
 * closes the database.  The acceptor admits connections under the limits of
 * conns.c (total, per address, header deadline).
 */
#include "http/server.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/internal.h"
#include "db/batch.h"
#include "db/events.h"
#include "http/metrics.h"
#include "http/multipart.h"
#include "http/ratelimit.h"
#include "http/router.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct state {
    bool begun;             /* the request's first callback came (req is set up) */
    struct yw_uri_note uri; /* the raw target, from the URI callback */
    struct yw_req req;
    struct yw_buf body;
    struct yw_multipart *upload; /* YW_R_RAW routes: the streamed file */
    uint64_t body_seen;          /* bytes of body received */
    int64_t t0;
    size_t limit;
    bool too_big;
    const char *refused; /* a NUL in the path: answered 400 once the body is dropped */
    bool file_too_big;   /* the upload's file passed upload_limit */
    bool matched;
    enum yw_match match;
    const char *allow;
    size_t metric_route;
    size_t bytes_sent;
    bool receiving;          /* the body is still arriving (counted in `receiving`) */
    struct state *slow_next; /* the slow pool's queue */
    /* group commit (YW_R_BATCH): the job, and whether it finished */
    struct yw_db_job job;
    atomic_int phase; /* PH_NONE, PH_WAITING, PH_DONE */
};

enum {
    PH_NONE,
    PH_WAITING,
    PH_DONE
};
#define YW_SUSPENDED 1 /* dispatch_route: the request waits for the batcher */

static struct yw_router *router;
static struct yw_app *the_app;
static yw_authn_fn authenticator;
static char node_prefix[12];
static atomic_uint_fast64_t req_counter;
static char **route_labels;
static struct yw_db_batcher *batcher;
/* Requests whose body is still arriving: at shutdown the server waits for the
 * requests being handled, not for clients that are still sending. */
static atomic_int_fast64_t receiving;

static void
receiving_done(struct state *st)
{
    if (st->receiving) {
        st->receiving = false;
        atomic_fetch_sub(&receiving, 1);
    }
}

/* Requests being handled: begun, and not waiting for their body. */
static int64_t
handling_now(void)
{
    int64_t n = yw_metrics_inflight_now() - (int64_t)atomic_load(&receiving);
    return n > 0 ? n : 0;
}

/* The slow pool: threads for handlers that burn CPU on purpose (Argon2id
 * password hashing), so a burst of logins never stalls the HTTP workers that
 * serve everything else.  A YW_R_SLOW request is suspended and its handler
 * runs here, on the pool thread's own database connection. */
static struct {
    pthread_t *threads;
    int n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct state *head, *tail;
    bool stop;
} slow = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

void
yw_http_set_authenticator(yw_authn_fn fn)
{
    authenticator = fn;
}

void
yw_server_batch_stats(uint64_t *commits, uint64_t *jobs)
{
    *commits = yw_db_batcher_commits(batcher);
    *jobs = yw_db_batcher_jobs(batcher);
}

void
yw_server_batch_threads(int *threads, uint64_t *reruns)
{
    *threads = yw_db_batcher_threads(batcher);
    *reruns = yw_db_batcher_reruns(batcher);
}

void
yw_server_batch_queue(int64_t *queued, double *wait_seconds)
{
    *queued = yw_db_batcher_queued(batcher);
    *wait_seconds = yw_db_batcher_wait_seconds(batcher);
}

size_t
yw_server_route_count(void)
{
    return router ? yw_router_count(router) : 0;
}

const struct yw_route *
yw_server_route_at(size_t i)
{
    return router ? yw_router_at(router, i) : NULL;
}

/* ---- helpers ---- */

static bool
sane_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return n > 0 && n <= 64;
}

static const char *
client_ip(struct yw_req *req)
{
    if (the_app->cfg->trust_proxy) {
        const char *xff = yw_req_header(req, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            if (strlen(last) < 64 && yw_utf8_valid(last, strlen(last)))
                return yw_arena_strdup(&req->arena, last);
        }
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                      sizeof buf);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                      sizeof buf);
    }
    return yw_arena_strdup(&req->arena, buf);
}

/* Every query argument must be valid UTF-8 without NUL: %00 would cut the value short. */
static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size, const char *value,
          size_t value_size)
{
    (void)kind;
    bool *ok = cls;
    if (!yw_utf8_valid(key, key_size) || (value && !yw_utf8_valid(value, value_size))) {
        *ok = false;
        return MHD_NO;
    }
    return MHD_YES;
}

static bool
is_write_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *
yw_http_form_decode(struct yw_arena *a, const char *p, size_t n)
{
    char *out = yw_arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '+') {
            out[k++] = ' ';
        } else if (p[i] == '%') {
            if (i + 2 >= n)
                return NULL;
            int hi = hexval(p[i + 1]);
            int lo = hexval(p[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = p[i];
        }
    }
    out[k] = '\0';
    return yw_utf8_valid(out, k) ? out : NULL;
}

/* A form body as a JSON object of strings (YW_R_FORM_JSON routes). */
static int
parse_form(struct yw_req *req, const char *p, size_t n)
{
    json_t *o = json_object();
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && p[eq] != '=')
                eq++;
            char *k = yw_http_form_decode(&req->arena, p + i, eq - i);
            const char *v = eq < j ? yw_http_form_decode(&req->arena, p + eq + 1, j - eq - 1) : "";
            if (k == NULL || v == NULL) {
                json_decref(o);
                return yw_fail(&req->err, YW_EINVAL, "", "the form body is not valid");
            }
            json_object_set_new(o, k, json_string(v));
        }
        i = j + 1;
    }
    req->body = o;
    return 0;
}

/* Parse the JSON body per the route.  Empty bodies become {} for routes that
 * declare fields, so "missing field" is reported by name. */
static int
parse_body(struct state *st)
{
    struct yw_req *req = &st->req;
    const struct yw_route *rt = req->route;
    if (rt->flags & YW_R_RAW) {
        req->upload = yw_multipart_finish(st->upload);
        return 0;
    }
    if (rt->flags & YW_R_FORM) {
        req->raw_body = yw_arena_strndup(&req->arena, st->body.p ? st->body.p : "", st->body.n);
        req->raw_len = st->body.n;
        return 0;
    }
    if (st->body.n == 0) {
        if (rt->body == NULL)
            return 0;
        req->body = json_object();
        return yw_http__validate(req, rt->body, !(rt->flags & YW_R_LAX));
    }
    const char *ct = yw_req_header(req, "Content-Type");
    if ((rt->flags & YW_R_FORM_JSON) && ct &&
        strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
        int rc = parse_form(req, st->body.p, st->body.n);
        return rc ? rc : yw_http__validate(req, rt->body, !(rt->flags & YW_R_LAX));
    }
    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0)
        return yw_fail(&req->err, YW_EMEDIA, "", "send the body as application/json");
    json_error_t jerr;
    req->body = json_loadb(st->body.p, st->body.n, JSON_REJECT_DUPLICATES, &jerr);
    if (req->body == NULL) {
        if (json_error_code(&jerr) == json_error_invalid_utf8)
            return yw_fail(&req->err, YW_EUTF8, "", "the body is not valid UTF-8");
        return yw_fail(&req->err, YW_EJSON, "", "the body is not valid JSON: %s at position %d",
                       jerr.text, jerr.position);
    }
    if (rt->body == NULL) {
        if (json_is_object(req->body) && json_object_size(req->body) == 0)
            return 0;
        if (rt->flags & YW_R_LAX)
            return 0;
        return yw_fail(&req->err, YW_EUNKNOWN, "", "this request takes no body");
    }
    return yw_http__validate(req, rt->body, !(rt->flags & YW_R_LAX));
}

/* How a write route's transaction runs: its writes sent ahead on
 * PostgreSQL unless db_pipeline is off (db/db.h, YW_TX_SEND_AHEAD). */
static int
write_mode(void)
{
    return YW_TX_WRITE | (the_app->cfg->db_pipeline ? YW_TX_SEND_AHEAD : 0);
}

static int
run_in_tx(struct yw_dbc *c, void *ctx)
{
    struct yw_req *req = ctx;
    req->db = c;
    yw_http__resp_clear(req);
    req->headers = NULL;
    req->after_commit = NULL;
    return req->route->fn(req);
}

/* On the batcher's thread: a YW_R_PREP handler's writes (yw_req_batch). */
static int
run_prepared(struct yw_dbc *c, void *ctx)
{
    struct yw_req *req = ctx;
    return req->batch_fn(c, req->batch_ctx);
}

void
yw_req_batch(struct yw_req *req, int (*fn)(struct yw_dbc *c, void *ctx), void *ctx)
{
    req->batch_fn = fn;
    req->batch_ctx = ctx;
}

/* After a committed write: the handler's response step, on this thread. */
static int
run_after_commit(struct yw_req *req, int rc)
{
    if (rc != 0 || req->after_commit == NULL)
        return rc;
    req->db = yw_db_conn(the_app->db, NULL);
    if (req->db == NULL)
        return yw_fail(&req->err, YW_EUNAVAIL, "", "the database cannot be reached");
    return req->after_commit(req);
}

/* On the batcher's thread: the job committed (or failed); wake the connection. */
static void
job_done(struct yw_db_job *job)
{
    struct state *st = job->done_ctx;
    atomic_store(&st->phase, PH_DONE);
    MHD_resume_connection(st->req.conn);
}

static void *
slow_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&slow.mu);
        while (slow.head == NULL && !slow.stop)
            pthread_cond_wait(&slow.cv, &slow.mu);
        struct state *st = slow.head;
        if (st == NULL) {
            pthread_mutex_unlock(&slow.mu);
            break;
        }
        slow.head = st->slow_next;
        if (slow.head == NULL)
            slow.tail = NULL;
        pthread_mutex_unlock(&slow.mu);

        struct yw_req *req = &st->req;
        req->db = yw_db_conn(the_app->db, NULL);
        int rc;
        if (req->db == NULL)
            rc = yw_fail(&req->err, YW_EUNAVAIL, "", "the database cannot be reached");
        else if (req->route->flags &
                 YW_R_WRITE) /* not sent ahead: a second run costs an Argon2id */
            rc = yw_db_tx(the_app->db, YW_TX_WRITE, run_in_tx, req, &req->err);
        else
            rc = req->route->fn(req);
        st->job.rc = rc;
        job_done(&st->job);
    }
    return NULL;
}

static void
slow_start(int n)
{
    slow.stop = false;
    slow.threads = yw_xcalloc((size_t)n, sizeof *slow.threads);
    slow.n = 0;
    for (int i = 0; i < n; i++)
        if (pthread_create(&slow.threads[i], NULL, slow_main, NULL) == 0)
            slow.n++;
}

static void
slow_stop(void)
{
    pthread_mutex_lock(&slow.mu);
    slow.stop = true;
    pthread_cond_broadcast(&slow.cv);
    pthread_mutex_unlock(&slow.mu);
    for (int i = 0; i < slow.n; i++)
        pthread_join(slow.threads[i], NULL);
    free(slow.threads);
    slow.threads = NULL;
    slow.n = 0;
}

static int
dispatch_route(struct state *st)
{
    struct yw_req *req = &st->req;
    const struct yw_route *rt = req->route;
    bool ok = true;
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, check_arg, &ok);
    if (!ok)
        return yw_fail(&req->err, YW_EUTF8, "",
                       "the query string is not valid text (UTF-8, no NUL bytes)");
    if (st->file_too_big)
        return yw_fail(&req->err, YW_ETOOBIG, "", "the file is larger than %lld bytes",
                       (long long)the_app->cfg->upload_limit);
    if (st->too_big)
        return yw_fail(&req->err, YW_ETOOBIG, "", "the body is larger than %zu bytes", st->limit);
    unsigned retry = 0;
    int allowed = 1;
    if (rt->rate_per_min) {
        /* several nodes on PostgreSQL share one bucket per route and client */
        struct yw_dbc *rc_db =
            yw_db_engine(the_app->db) == YW_DB_PG ? yw_db_conn(the_app->db, NULL) : NULL;
        char key[300];
        snprintf(key, sizeof key, "%s %s", rt->method, rt->path);
        allowed = rc_db ? yw_ratelimit_take_shared(rc_db, key, req->client_ip, rt->rate_per_min,
                                                   yw_clock_now_ms(), &retry)
                        : -1;
        if (allowed < 0)
            allowed = yw_ratelimit_take((uint32_t)st->metric_route, req->client_ip,
                                        rt->rate_per_min, yw_clock_now_ms(), &retry);
    }
    if (!allowed) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", retry);
        yw_resp_header(req, "Retry-After", ra);
        return yw_fail(&req->err, YW_ERATE, "",
                       "too many requests from your address; try again in %u seconds", retry);
    }
    int rc = parse_body(st);
    if (rc)
        return rc;

    if (!(rt->flags & YW_R_NODB)) {
        req->db = yw_db_conn(the_app->db, NULL);
        if (req->db == NULL)
            return yw_fail(&req->err, YW_EUNAVAIL, "", "the database cannot be reached");
    }
    if (!(rt->flags & YW_R_PUBLIC) || (rt->flags & YW_R_OPTIONAL_AUTH)) {
        struct yw_principal *who = yw_arena_zalloc(&req->arena, sizeof *who);
        rc = authenticator ? authenticator(req, who) : YW_EAUTH;
        if (rc == 0) {
            req->who = who;
        } else if (!(rt->flags & YW_R_PUBLIC)) {
            if (rc == YW_EAUTH && req->err.msg[0] == '\0')
                yw_fail(&req->err, YW_EAUTH, "", "log in first");
            return rc;
        }
        req->err.msg[0] = req->err.field[0] = '\0';
    }
    if (req->who && rt->roles && !(req->who->roles & rt->roles))
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "your role does not allow %s %s", rt->method,
                       rt->path);
    if (req->who && req->who->via_cookie && is_write_method(req->method)) {
        const char *tok = yw_req_header(req, "X-CSRF-Token");
        if (tok == NULL || req->who->csrf == NULL || strcmp(tok, req->who->csrf) != 0)
            return yw_fail(&req->err, YW_ECSRF, "X-CSRF-Token",
                           "send the X-CSRF-Token header from your session with every change");
    }
    if ((rt->flags & YW_R_SLOW) && slow.n > 0) {
        st->job = (struct yw_db_job){ .done_ctx = st };
        atomic_store(&st->phase, PH_WAITING);
        MHD_suspend_connection(req->conn);
        pthread_mutex_lock(&slow.mu);
        st->slow_next = NULL;
        if (slow.tail)
            slow.tail->slow_next = st;
        else
            slow.head = st;
        slow.tail = st;
        pthread_cond_signal(&slow.cv);
        pthread_mutex_unlock(&slow.mu);
        return YW_SUSPENDED;
    }
    if ((rt->flags & YW_R_BATCH) && rt->ahead) {
        (void)rt->ahead(req); /* advisory: see struct yw_route */
        req->err.msg[0] = req->err.field[0] = '\0';
    }
    if ((rt->flags & (YW_R_BATCH | YW_R_PREP)) == (YW_R_BATCH | YW_R_PREP)) {
        /* the handler reads and computes here; only its writes go to the batcher */
        req->batch_fn = NULL;
        rc = rt->fn(req);
        if (rc || req->batch_fn == NULL)
            return rc;
        if (batcher == NULL)
            return run_after_commit(
                req, yw_db_tx(the_app->db, YW_TX_WRITE, req->batch_fn, req->batch_ctx, &req->err));
        st->job = (struct yw_db_job){ .fn = run_prepared,
                                      .ctx = req,
                                      .err = &req->err,
                                      .done = job_done,
                                      .done_ctx = st };
        atomic_store(&st->phase, PH_WAITING);
        MHD_suspend_connection(req->conn);
        yw_db_batcher_submit(batcher, &st->job);
        return YW_SUSPENDED;
    }
    if ((rt->flags & YW_R_BATCH) && batcher) {
        /* Suspend first, so the batcher's resume can never come before it. */
        st->job = (struct yw_db_job){
            .fn = run_in_tx, .ctx = req, .err = &req->err, .done = job_done, .done_ctx = st
        };
        atomic_store(&st->phase, PH_WAITING);
        MHD_suspend_connection(req->conn);
        yw_db_batcher_submit(batcher, &st->job);
        return YW_SUSPENDED;
    }
    if (rt->flags & (YW_R_WRITE | YW_R_BATCH))
        return run_after_commit(req,
                                yw_db_tx(the_app->db, write_mode(), run_in_tx, req, &req->err));
    if ((rt->flags & YW_R_STALE) && req->db && yw_db_has_replica(the_app->db))
        return yw_http__run_stale(req);
    return rt->fn(req);
}

/* Turn the outcome into the response (an error body when rc != 0). */
static void
finish(struct state *st, int rc)
{
    struct yw_req *req = &st->req;
    if (rc == 0 && req->status == 0)
        rc = yw_fail(&req->err, YW_EINTERNAL, "", "the handler set no response");
    if (rc != 0) {
        if (yw_errhttp(rc) >= 500)
            yw_log_error("http", "request %s %s %s failed: %s (%s)", req->request_id, req->method,
                         req->path, yw_errcode(rc), req->err.msg);
        yw_http__error_body(req, rc);
    }
    /* read-your-writes with a read replica: after a write, before its answer */
    if (yw_db_has_replica(the_app->db) && is_write_method(req->method))
        yw_db_read_wrote(the_app->db, yw_http__caller_key(req));
}

/* Returns YW_SUSPENDED when the request waits for the batcher. */
static int
dispatch(struct state *st)
{
    struct yw_req *req = &st->req;
    int rc;
    if (st->match == YW_MATCH_BAD_TEXT) {
        rc = yw_fail(&req->err, YW_EUTF8, "", "the path is not valid text (UTF-8)");
    } else if (st->match == YW_MATCH_OK) {
        st->metric_route = yw_router_index(router, req->route);
        rc = dispatch_route(st);
    } else if ((!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) &&
               strncmp(req->path, "/api/", 5) != 0) {
        st->metric_route = yw_metrics_static_index();
        rc = yw_http__static(req, the_app->cfg->web_root);
        if (rc == YW_ENOTFOUND)
            yw_fail(&req->err, rc, "", "no page at '%s'", req->path);
    } else if (st->match == YW_MATCH_NO_METHOD) {
        rc = yw_fail(&req->err, YW_EMETHOD, "", "%s is not allowed on %s (allowed: %s)",
                     req->method, req->path, st->allow);
        yw_resp_header(req, "Allow", st->allow);
    } else {
        rc = yw_fail(&req->err, YW_ENOTFOUND, "", "no such route: %s %s", req->method, req->path);
    }
    if (rc == YW_SUSPENDED)
        return rc;
    finish(st, rc);
    return 0;
}

static enum MHD_Result
send_response(struct state *st)
{
    struct yw_req *req = &st->req;
    if (yw_resp_bytes(req) != 0)
        yw_http__error_body(req, YW_EINTERNAL);
    st->bytes_sent = req->resp_fd >= 0 ? (size_t)req->resp_fd_len : req->resp_len;
    struct MHD_Response *r = yw_http__build_response(req);
    if (r == NULL)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request line is in, the headers not yet.
 * The state made here is the request's *con_cls from now on. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct state *st = yw_xcalloc(1, sizeof *st);
    yw_http__note_uri(&st->uri, uri);
    return st;
}

/* The request's first callback: set up its context in st (from on_uri, or new). */
static struct state *
state_begin(struct state *st, struct MHD_Connection *conn, const char *url, const char *method)
{
    if (st == NULL)
        st = yw_xcalloc(1, sizeof *st);
    st->begun = true;
    struct yw_req *req = &st->req;
    yw_arena_init(&req->arena, 2048);
    yw_buf_init(&st->body);
    st->t0 = yw_clock_mono_ns();
    req->app = the_app;
    req->conn = conn;
    req->method = method;
    req->path = url;
    req->resp_fd = -1;
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (rid && sane_id(rid)) {
        req->request_id = rid;
    } else {
        char *id = yw_arena_alloc(&req->arena, 32);
        snprintf(
            id, 32, "%s%010llx", node_prefix,
            (unsigned long long)atomic_fetch_add_explicit(&req_counter, 1, memory_order_relaxed));
        req->request_id = id;
    }
    req->client_ip = client_ip(req);
    st->metric_route = yw_metrics_unmatched_index();
    return st;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    struct state *st = *con_cls;
    if (st == NULL || !st->begun) {
        /* the headers are in: lift the connection's header deadline - or, when
         * the reaper shut the connection down just before, drop the request */
        if (!yw_conns__request_begins(conn))
            return MHD_NO;
        st = state_begin(st, conn, url, method);
        *con_cls = st;
        yw_metrics_inflight(1);
        /* ambiguous framing or a NUL in the path: refused before anything
         * else, and the connection closed (RFC 9112 §6.3).  With a NUL in the
         * path the framing is sound: a body of a size any route could take is
         * read and dropped first, so the client gets the answer, not a reset */
        bool framing = false;
        const char *why = yw_http__refusal(conn, url, version, &st->uri, &framing);
        const char *ncl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (why && !framing &&
            (ncl == NULL ||
             strtoull(ncl, NULL, 10) <= (unsigned long long)the_app->cfg->body_limit)) {
            st->refused = why;
            st->too_big = true; /* the body is read and dropped */
            return MHD_YES;
        }
        if (why) {
            yw_fail(&st->req.err, YW_EINVAL, "", "%s", why);
            yw_http__error_body(&st->req, YW_EINVAL);
            yw_resp_header(&st->req, "Connection", "close");
            st->too_big = true; /* any body that follows is dropped */
            return send_response(st);
        }
        st->match = yw_router_match(router, &st->req, method, url, &st->allow);
        st->limit = (size_t)the_app->cfg->body_limit;
        bool upload = st->match == YW_MATCH_OK && (st->req.route->flags & YW_R_RAW);
        if (upload) /* the limit is the file's; its multipart envelope comes on top */
            st->limit = (size_t)the_app->cfg->upload_limit + YW_UPLOAD_ENVELOPE;
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long clen = cl ? strtoull(cl, NULL, 10) : 0;
        if (cl && clen > st->limit) {
            st->too_big = true;
            if (st->match == YW_MATCH_OK)
                st->metric_route = yw_router_index(router, st->req.route);
            /* A proxy (nginx) sends the whole body before it reads the answer:
             * an answer sent early and the connection cut under it is the
             * proxy's own 502.  So a body a proxy would pass (up to twice the
             * upload limit) is read and dropped, and the JSON 413 comes at its
             * end.  A client that sent Expect: 100-continue, or a larger body,
             * is answered at once (MHD closes the connection after). */
            const char *expect =
                MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
            unsigned long long drain_max =
                2ULL * ((unsigned long long)the_app->cfg->upload_limit + YW_UPLOAD_ENVELOPE);
            if (expect != NULL || clen > drain_max) {
                yw_fail(&st->req.err, YW_ETOOBIG, "", "the body is larger than %zu bytes",
                        st->limit);
                yw_http__error_body(&st->req, YW_ETOOBIG);
                return send_response(st);
            }
        }
        if (upload && !st->too_big)
            st->upload =
                yw_multipart_start(&st->req.arena, conn, (uint64_t)the_app->cfg->upload_limit);
        if ((cl && strtoull(cl, NULL, 10) > 0) ||
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
            st->receiving = true;
            atomic_fetch_add(&receiving, 1);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->too_big)
            return MHD_YES; /* read and drop the rest; 413 at the end */
        st->body_seen += n;
        if (st->body_seen > st->limit) {
            st->too_big = true;
            yw_buf_release(&st->body);
        } else if (st->upload) {
            if (yw_multipart_feed(st->upload, upload_data, n) == YW_ETOOBIG)
                st->too_big = st->file_too_big = true;
        } else {
            yw_buf_add(&st->body, upload_data, n);
        }
        return MHD_YES;
    }
    receiving_done(st); /* the body is complete */
    int phase = atomic_load(&st->phase);
    if (phase == PH_DONE) {
        atomic_store(&st->phase, PH_NONE);
        finish(st, run_after_commit(&st->req, st->job.rc));
        return send_response(st);
    }
    if (st->refused && st->req.status == 0) {
        yw_fail(&st->req.err, YW_EINVAL, "", "%s", st->refused);
        yw_http__error_body(&st->req, YW_EINVAL);
        yw_resp_header(&st->req, "Connection", "close");
        return send_response(st);
    }
    if (phase == PH_WAITING || st->req.status != 0)
        return MHD_YES; /* resumed early, or already answered (early 413) */
    if (dispatch(st) == YW_SUSPENDED)
        return MHD_YES;
    return send_response(st);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    yw_conns__request_ends(conn);
    struct state *st = *con_cls;
    if (st == NULL)
        return;
    *con_cls = NULL;
    if (!st->begun) { /* MHD answered the request itself (malformed headers) */
        free(st);
        return;
    }
    receiving_done(st);
    struct yw_req *req = &st->req;
    int64_t dt = yw_clock_mono_ns() - st->t0;
    int status = req->status ? req->status : 499;
    yw_metrics_observe(st->metric_route, status, dt);
    yw_accesslog__write(req, status, st->bytes_sent, dt);
    yw_http__resp_clear(req);
    if (req->body)
        json_decref(req->body);
    yw_buf_release(&st->body);
    yw_arena_release(&req->arena);
    free(st);
    yw_metrics_inflight(-1);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    yw_log_warn("http", "libmicrohttpd: %s", msg);
}

int
yw_server_run(struct yw_app *app, const struct yw_module *const *mods, size_t nmods,
              void (*on_ready)(struct yw_app *app, int port), struct yw_err *err)
{
    the_app = app;
    bool conns_ready = false;
    int rc = yw_router_build(mods, nmods, app->cfg->test_api, &router, err);
    if (rc)
        return rc;
    size_t nr = yw_router_count(router);
    route_labels = yw_xcalloc(nr + 1, sizeof *route_labels);
    for (size_t i = 0; i < nr; i++) {
        const struct yw_route *r = yw_router_at(router, i);
        size_t len = strlen(r->method) + strlen(r->path) + 2;
        char *l = yw_xmalloc(len);
        snprintf(l, len, "%s %s", r->method, r->path);
        route_labels[i] = l;
    }
    yw_metrics_init(nr, (const char *const *)route_labels);
    unsigned char rnd[4];
    yw_random(rnd, sizeof rnd);
    snprintf(node_prefix, sizeof node_prefix, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);

    if (yw_accesslog__open(app->cfg->access_log) != 0) {
        rc = yw_fail(err, YW_ECONFIG, "access_log", "cannot open access log '%s': %s",
                     app->cfg->access_log, strerror(errno));
        goto out;
    }
    struct sockaddr_storage ss;
    rc = yw_acceptor__parse_listen(app->cfg->listen, &ss, err);
    if (rc)
        goto out;

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads =
        app->cfg->threads > 0 ? (unsigned)app->cfg->threads : (unsigned)(ncpu > 0 ? ncpu : 2);

    /* Workers inherit this mask: only the main thread takes SIGTERM/SIGINT. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_NO_LISTEN_SOCKET;
    struct yw_acceptor *acc = NULL;
    int port = 0;
    rc = yw_acceptor__open(&ss, &acc, &port, err);
    if (rc) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        yw_fail(err, YW_ECONFIG, "listen", "cannot listen on %s: %s", app->cfg->listen, why);
        goto out;
    }
    struct yw_db_batcher_opts bo = { .max_batch = 64,
                                     .threads = (int)app->cfg->db_batchers,
                                     .no_pipeline = !app->cfg->db_pipeline };
    if (yw_db_batcher_start(app->db, &bo, &batcher, err) != 0) {
        rc = YW_EINTERNAL;
        goto out;
    }
    yw_events_use_batcher(batcher); /* SQLite: the events' rounds join the group commits */
    slow_start((int)threads);
    long fd_limit = 0;
    struct yw_conn_limits lim = yw_conns__limits(app->cfg, threads, &fd_limit);
    yw_conns__init(&lim);
    conns_ready = true;
    /* MHD's own limit is never reached: a worker that reaches its share of it
     * through MHD_add_connection hangs for good in 0.9.75 (conns.c).  Each
     * worker's share is above our total, however the connections fall. */
    unsigned long mhd_limit = ((unsigned long)lim.total + 64) * threads;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)app->cfg->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)app->cfg->conn_memory, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(mhd_limit < UINT_MAX ? mhd_limit : UINT_MAX), MHD_OPTION_NOTIFY_CONNECTION,
        yw_conns__notify, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_END);
    if (d == NULL) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        yw_acceptor__stop(acc);
        rc = yw_fail(err, YW_EINTERNAL, "", "cannot start the HTTP workers");
        goto out;
    }
    if (yw_acceptor__start(acc, d, err) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        yw_acceptor__stop(acc);
        MHD_stop_daemon(d);
        rc = YW_EINTERNAL;
        goto out;
    }
    yw_log_info("http", "listening on %s (port %d), %u worker threads, %zu routes",
                app->cfg->listen, port, threads, nr);
    yw_log_info(
        "http",
        "connections: at most %u (open-file limit %ld), %u per address%s; request headers within %lld s",
        lim.total, fd_limit, lim.per_addr, lim.per_addr ? "" : " (no limit)",
        (long long)app->cfg->header_timeout);
    if (on_ready)
        on_ready(app, port);

    int sig = 0;
    sigwait(&set, &sig);
    yw_log_info("http", "received %s: stopping (finishing %lld in-flight requests)",
                sig == SIGTERM ? "SIGTERM" : "SIGINT", (long long)handling_now());
    yw_acceptor__stop(acc);
    yw_stream__close_all(); /* open streams end their responses */
    /* Wait for the requests being handled (10 s at most); connections with
     * no request, or still sending one, are closed by MHD_stop_daemon, so no
     * client can hold the stop. */
    for (int i = 0; i < 1000 && handling_now() > 0; i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    slow_stop();
    yw_events_use_batcher(NULL);
    yw_db_batcher_stop(batcher); /* after the daemon: no request can submit any more */
    batcher = NULL;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    yw_log_info("http", "stopped");
    rc = 0;
out:
    if (conns_ready)
        yw_conns__release();
    if (slow.n)
        slow_stop();
    yw_events_use_batcher(NULL);
    yw_db_batcher_stop(batcher);
    batcher = NULL;
    yw_accesslog__close();
    yw_metrics_free();
    for (size_t i = 0; i < nr; i++)
        free(route_labels[i]);
    free(route_labels);
    route_labels = NULL;
    yw_router_free(router);
    router = NULL;
    return rc;
}
