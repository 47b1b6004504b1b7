/*
 * metrics.c - per-thread request statistics (see metrics.h).
 */
#include "http/metrics.h"

#include "http/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const int status_codes[] = { 200, 201, 204, 206, 304, 400, 401, 403, 404,
                                    405, 409, 413, 415, 422, 429, 500, 503, 0 /* other */ };
#define NSTATUS (sizeof status_codes / sizeof status_codes[0])
static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,    0.25,  0.5,    1,     2.5,  5 };
#define NBUCKETS  (sizeof buckets / sizeof buckets[0])
#define MAX_SLOTS 256

struct route_stats {
    uint64_t by_status[NSTATUS];
    uint64_t hist[NBUCKETS + 1]; /* last = +Inf */
    uint64_t sum_ns;
};

struct slot {
    struct route_stats *routes;
};

static size_t nroutes_all; /* routes + 2 pseudo */
static const char *const *route_labels;
static size_t nreal;
static struct slot slots[MAX_SLOTS];
static atomic_int nslots;
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct slot *my_slot;
static atomic_int_fast64_t inflight;

void
yw_metrics_init(size_t nroutes, const char *const *labels)
{
    nreal = nroutes;
    nroutes_all = nroutes + 2;
    route_labels = labels;
}

void
yw_metrics_free(void)
{
    int n = atomic_load(&nslots);
    for (int i = 0; i < n; i++) {
        free(slots[i].routes);
        slots[i].routes = NULL;
    }
    atomic_store(&nslots, 0);
}

size_t
yw_metrics_static_index(void)
{
    return nreal;
}

size_t
yw_metrics_unmatched_index(void)
{
    return nreal + 1;
}

static struct slot *
get_slot(void)
{
    if (my_slot)
        return my_slot;
    pthread_mutex_lock(&slot_lock);
    int n = atomic_load(&nslots);
    if (n < MAX_SLOTS) {
        slots[n].routes = calloc(nroutes_all, sizeof(struct route_stats));
        my_slot = &slots[n];
        atomic_store(&nslots, n + 1);
    }
    pthread_mutex_unlock(&slot_lock);
    return my_slot;
}

void
yw_metrics_observe(size_t route, int status, int64_t duration_ns)
{
    struct slot *s = get_slot();
    if (s == NULL || s->routes == NULL || route >= nroutes_all)
        return;
    struct route_stats *rs = &s->routes[route];
    size_t si = NSTATUS - 1;
    for (size_t i = 0; i < NSTATUS - 1; i++)
        if (status_codes[i] == status) {
            si = i;
            break;
        }
    /* Relaxed atomics: only this thread writes, a scrape may read concurrently. */
    atomic_fetch_add_explicit((_Atomic uint64_t *)&rs->by_status[si], 1, memory_order_relaxed);
    double secs = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < NBUCKETS && secs > buckets[b])
        b++;
    atomic_fetch_add_explicit((_Atomic uint64_t *)&rs->hist[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit((_Atomic uint64_t *)&rs->sum_ns, (uint64_t)duration_ns,
                              memory_order_relaxed);
}

void
yw_metrics_inflight(int delta)
{
    atomic_fetch_add_explicit(&inflight, delta, memory_order_relaxed);
}

int64_t
yw_metrics_inflight_now(void)
{
    return atomic_load(&inflight);
}

static const char *
label_of(size_t i)
{
    if (i == nreal)
        return "static";
    if (i == nreal + 1)
        return "unmatched";
    return route_labels[i];
}

static uint64_t
load(const uint64_t *p)
{
    return atomic_load_explicit((_Atomic const uint64_t *)p, memory_order_relaxed);
}

/* Modules' own figures (yw_metrics_add_source): appended only, never removed. */
#define MAX_SOURCES 16
static struct {
    void (*fn)(struct yw_buf *out, void *ctx);
    void *ctx;
} sources[MAX_SOURCES];
static atomic_int nsources;
static pthread_mutex_t sources_mu = PTHREAD_MUTEX_INITIALIZER;

void
yw_metrics_render(struct yw_buf *out)
{
    int n = atomic_load(&nslots);
    struct route_stats *sum = calloc(nroutes_all ? nroutes_all : 1, sizeof *sum);
    if (sum == NULL)
        return;
    for (int t = 0; t < n; t++) {
        for (size_t r = 0; r < nroutes_all; r++) {
            const struct route_stats *rs = &slots[t].routes[r];
            for (size_t k = 0; k < NSTATUS; k++)
                sum[r].by_status[k] += load(&rs->by_status[k]);
            for (size_t k = 0; k <= NBUCKETS; k++)
                sum[r].hist[k] += load(&rs->hist[k]);
            sum[r].sum_ns += load(&rs->sum_ns);
        }
    }
    yw_buf_adds(out, "# HELP ywtb_http_requests_total HTTP requests by route and status.\n"
                     "# TYPE ywtb_http_requests_total counter\n");
    for (size_t r = 0; r < nroutes_all; r++)
        for (size_t k = 0; k < NSTATUS; k++)
            if (sum[r].by_status[k]) {
                if (status_codes[k])
                    yw_buf_printf(
                        out, "ywtb_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                        label_of(r), status_codes[k], (unsigned long long)sum[r].by_status[k]);
                else
                    yw_buf_printf(out,
                                  "ywtb_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                  label_of(r), (unsigned long long)sum[r].by_status[k]);
            }
    yw_buf_adds(out, "# HELP ywtb_http_request_duration_seconds Time from request to response.\n"
                     "# TYPE ywtb_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < nroutes_all; r++) {
        uint64_t total = 0;
        for (size_t k = 0; k <= NBUCKETS; k++)
            total += sum[r].hist[k];
        if (total == 0)
            continue;
        uint64_t cum = 0;
        for (size_t k = 0; k < NBUCKETS; k++) {
            cum += sum[r].hist[k];
            yw_buf_printf(
                out, "ywtb_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                label_of(r), buckets[k], (unsigned long long)cum);
        }
        yw_buf_printf(out,
                      "ywtb_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                      label_of(r), (unsigned long long)total);
        yw_buf_printf(out, "ywtb_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                      label_of(r), (double)sum[r].sum_ns / 1e9);
        yw_buf_printf(out, "ywtb_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                      label_of(r), (unsigned long long)total);
    }
    /* how evenly the workers share the load (acceptor.c deals connections out) */
    yw_buf_adds(
        out,
        "# HELP ywtb_http_worker_requests_total Requests completed by each HTTP worker thread.\n"
        "# TYPE ywtb_http_worker_requests_total counter\n");
    for (int t = 0; t < n; t++) {
        uint64_t total = 0;
        for (size_t r = 0; r < nroutes_all; r++)
            for (size_t k = 0; k < NSTATUS; k++)
                total += load(&slots[t].routes[r].by_status[k]);
        yw_buf_printf(out, "ywtb_http_worker_requests_total{worker=\"%d\"} %llu\n", t,
                      (unsigned long long)total);
    }
    yw_buf_printf(out,
                  "# HELP ywtb_http_in_flight_requests Requests being processed.\n"
                  "# TYPE ywtb_http_in_flight_requests gauge\n"
                  "ywtb_http_in_flight_requests %lld\n",
                  (long long)yw_metrics_inflight_now());
    struct yw_conn_stats cs = { 0 };
    yw_conns__stats(&cs);
    yw_buf_printf(
        out,
        "# HELP ywtb_http_connections Connections held (accepted and not yet closed).\n"
        "# TYPE ywtb_http_connections gauge\n"
        "ywtb_http_connections %u\n"
        "# HELP ywtb_http_connections_max The most connections held at once (conn_limit).\n"
        "# TYPE ywtb_http_connections_max gauge\n"
        "ywtb_http_connections_max %u\n"
        "# HELP ywtb_http_connections_refused_total Connections refused because their address "
        "held conn_per_ip already.\n"
        "# TYPE ywtb_http_connections_refused_total counter\n"
        "ywtb_http_connections_refused_total %llu\n"
        "# HELP ywtb_http_header_timeouts_total Connections closed for sending no complete "
        "request headers within header_timeout.\n"
        "# TYPE ywtb_http_header_timeouts_total counter\n"
        "ywtb_http_header_timeouts_total %llu\n"
        "# HELP ywtb_http_accept_waits_total Times the acceptor waited for a connection to close "
        "(conn_limit reached).\n"
        "# TYPE ywtb_http_accept_waits_total counter\n"
        "ywtb_http_accept_waits_total %llu\n",
        cs.open, cs.limit, (unsigned long long)cs.refused_addr, (unsigned long long)cs.timed_out,
        (unsigned long long)cs.full_waits);
    free(sum);
    int ns = atomic_load(&nsources);
    for (int i = 0; i < ns; i++)
        sources[i].fn(out, sources[i].ctx);
}

void
yw_metrics_add_source(void (*fn)(struct yw_buf *out, void *ctx), void *ctx)
{
    pthread_mutex_lock(&sources_mu);
    int i = atomic_load(&nsources);
    if (i < MAX_SOURCES) {
        sources[i].fn = fn;
        sources[i].ctx = ctx;
        atomic_store(&nsources, i + 1);
    }
    pthread_mutex_unlock(&sources_mu);
}
