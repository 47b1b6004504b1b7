/*
 * metrics.h - request counters and latency histograms for /metrics.
 *
 * Each worker thread writes only its own slot (no lock, no shared cache line on
 * the hot path); a scrape sums the slots.  Counters are per route and status;
 * histograms per route.  Unmatched requests and static files have their own
 * pseudo-routes.
 */
#ifndef YW_HTTP_METRICS_H
#define YW_HTTP_METRICS_H

#include "core/mem.h"

#include <stddef.h>
#include <stdint.h>

/* Set up for `nroutes` routes plus the pseudo-routes; labels[i] names route i
 * ("GET /api/v1/items/{code}").  Labels must outlive the metrics. */
void yw_metrics_init(size_t nroutes, const char *const *labels);
void yw_metrics_free(void);
/* Index of the pseudo-routes. */
size_t yw_metrics_static_index(void);
size_t yw_metrics_unmatched_index(void);
/* Record a finished request. */
void yw_metrics_observe(size_t route, int status, int64_t duration_ns);
/* Requests being processed now. */
void yw_metrics_inflight(int delta);
int64_t yw_metrics_inflight_now(void);
/* Append the Prometheus text exposition of the HTTP metrics, then every
 * source's. */
void yw_metrics_render(struct yw_buf *out);
/* A module's own figures on /metrics: fn(out, ctx) appends Prometheus text
 * (HELP, TYPE and samples, names starting ywtb_) at each scrape, on the
 * scraping worker (it may use yw_db_conn; /metrics has no transaction).
 * Register from the module's init; at most 16 sources, kept for the
 * process's life. */
void yw_metrics_add_source(void (*fn)(struct yw_buf *out, void *ctx), void *ctx);

#endif
