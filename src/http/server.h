/*
 * server.h - run the HTTP server until SIGTERM/SIGINT.
 */
#ifndef YW_HTTP_SERVER_H
#define YW_HTTP_SERVER_H

#include "http/http.h"

/* Build the router from the modules, start libmicrohttpd on cfg->listen with a
 * thread pool, serve until SIGTERM or SIGINT, then stop accepting, let the
 * requests being handled finish (up to 10 s), close every connection and
 * return 0.  `on_ready` (may be NULL)
 * is called once the socket listens.  Returns an error when the server could
 * not start (address in use, bad listen address). */
int yw_server_run(struct yw_app *app, const struct yw_module *const *mods, size_t nmods,
                  void (*on_ready)(struct yw_app *app, int port), struct yw_err *err);

/* Group-commit counters of the running server (db/batch.h). */
void yw_server_batch_stats(uint64_t *commits, uint64_t *jobs);
/* The batcher's threads and the jobs it ran again (a write sent ahead failed). */
void yw_server_batch_threads(int *threads, uint64_t *reruns);
/* The batcher's queue now and the seconds its jobs waited in all. */
void yw_server_batch_queue(int64_t *queued, double *wait_seconds);

/* The route list of the running server (for the ops module's listing). */
size_t yw_server_route_count(void);
const struct yw_route *yw_server_route_at(size_t i);

#endif
