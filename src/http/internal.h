/*
 * internal.h - what the files of src/http share among themselves.
 */
#ifndef YW_HTTP_INTERNAL_H
#define YW_HTTP_INTERNAL_H

#include "http/http.h"

#include <microhttpd.h>

/* response.c: render req's error as the JSON error body. */
void yw_http__error_body(struct yw_req *req, int rc);
/* response.c: turn req's response data into an MHD response (takes the body). */
struct MHD_Response *yw_http__build_response(struct yw_req *req);
/* response.c: drop a response that was built but will not be sent (retry). */
void yw_http__resp_clear(struct yw_req *req);

/* stream.c: the MHD response of req's stream listener (req->resp_stream). */
struct MHD_Response *yw_http__stream_response(struct yw_req *req);
/* stream.c: free a listener whose response was never made. */
void yw_http__stream_drop(void *listener);
/* stream.c: end every stream (server stop): listeners finish their response. */
void yw_stream__close_all(void);

/* validate.c: check req->body against the route's field list. */
int yw_http__validate(struct yw_req *req, const struct yw_field *fields, bool strict);

/* static.c: serve a file under web_root for GET/HEAD; fills the response or
 * returns YW_ENOTFOUND. */
int yw_http__static(struct yw_req *req, const char *web_root);
/* static.c: answer 304 when If-None-Match matches. */

/* acceptor.c: the listening socket and the thread that admits its connections
 * (conns.c) and deals them out to the daemon's workers. */
struct sockaddr_storage;
struct yw_acceptor;
/* "host:port" (IPv4, [IPv6], *, localhost) into ss. */
int yw_acceptor__parse_listen(const char *listen, struct sockaddr_storage *ss, struct yw_err *err);
int yw_acceptor__open(const struct sockaddr_storage *ss, struct yw_acceptor **out, int *port,
                      struct yw_err *err);
/* Start the accepting thread; yw_conns__init() must have been called. */
int yw_acceptor__start(struct yw_acceptor *a, struct MHD_Daemon *d, struct yw_err *err);
/* Stop accepting and close the socket (connections already taken go on). */
void yw_acceptor__stop(struct yw_acceptor *a);

/* conns.c: the connections the server holds - the total and per-address
 * limits and the deadline for request headers (see the file's comment). */
struct sockaddr;
struct yw_conn_limits {
    unsigned total;       /* most connections at once (at least 1) */
    unsigned per_addr;    /* most from one client address; 0 = no limit */
    int64_t header_ms;    /* a new connection's request headers are due this long after it
                           * started; 0 = no deadline */
    int64_t keepalive_ms; /* after a response, the next request's headers are due this long
                           * after it; 0 = no deadline */
};
/* The limits from the settings.  The total is kept below the open-file limit
 * (raised to its hard limit first; the limit in use goes to *fd_limit), with
 * room for what else the process opens - database connections of every
 * thread, the access log - and a second descriptor per connection (an
 * upload's temporary file, a static file being sent); a conn_limit above
 * that is lowered, with a warning. */
struct yw_config;
struct yw_conn_limits yw_conns__limits(const struct yw_config *cfg, unsigned threads,
                                       long *fd_limit);
/* Set the limits and empty the table (before the daemon starts). */
void yw_conns__init(const struct yw_conn_limits *lim);
/* Free the table (after the daemon stopped). */
void yw_conns__release(void);
enum yw_admit {
    YW_ADMIT_OK,   /* a place is reserved: hand the connection to MHD */
    YW_ADMIT_FULL, /* the total limit is reached */
    YW_ADMIT_ADDR, /* the address holds its most connections: refuse it */
};
/* Reserve a place for a connection from peer (counted until MHD notifies its
 * close, or yw_conns__unreserve when MHD would not take it). */
enum yw_admit yw_conns__reserve(const struct sockaddr *peer);
void yw_conns__unreserve(const struct sockaddr *peer);
/* Whether the total limit leaves room; wait (at most ms) for a connection to
 * close when it does not.  yw_conns__wake() ends every wait for good (stop). */
bool yw_conns__has_room(void);
void yw_conns__wait_room(int64_t ms);
void yw_conns__wake(void);
/* Shut down the connections past their header deadline; returns how many. */
unsigned yw_conns__reap(void);
/* MHD_OPTION_NOTIFY_CONNECTION: a connection started or closed. */
void yw_conns__notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode code);
/* A request's headers are in (lifts the deadline): false when the reaper shut
 * the connection down first - refuse the request then. */
bool yw_conns__request_begins(struct MHD_Connection *conn);
/* The request ended: the next one's headers are due by keepalive_ms. */
void yw_conns__request_ends(struct MHD_Connection *conn);
struct yw_conn_stats {
    unsigned open, limit;
    uint64_t refused_addr; /* refused: their address held its most connections */
    uint64_t timed_out;    /* shut down: no complete request headers by the deadline */
    uint64_t full_waits;   /* times the acceptor waited for room */
};
void yw_conns__stats(struct yw_conn_stats *s);

/* framing.c: requests refused before anything else (400, connection closed). */
struct yw_uri_note {
    const char *raw; /* the request target as MHD's URI callback saw it */
    size_t len;      /* its length then */
    bool nul;        /* its path holds %00 */
};
/* From MHD_OPTION_URI_LOG_CALLBACK: note the raw target before MHD decodes it. */
void yw_http__note_uri(struct yw_uri_note *n, const char *uri);
/* On a request's first callback: why it must be refused, or NULL - a NUL
 * byte in its path (raw or %00), Content-Length with Transfer-Encoding,
 * Content-Length headers that differ or are not numbers, a Transfer-Encoding
 * other than one "chunked" (RFC 9112 §6.3).  n may be NULL.  *framing: true
 * when the framing is at fault (the connection must close), false for a path. */
const char *yw_http__refusal(struct MHD_Connection *conn, const char *url, const char *version,
                             const struct yw_uri_note *n, bool *framing);

/* stale.c: a hash of the caller's credential (bearer token or session
 * cookie), 0 when it brought none: the read-your-writes key. */
uint64_t yw_http__caller_key(struct yw_req *req);
/* stale.c: run a YW_R_STALE route's handler on the read replica when it is
 * fit for this caller, on the primary otherwise or when it failed there. */
int yw_http__run_stale(struct yw_req *req);

/* accesslog.c */
int yw_accesslog__open(const char *spec);
void yw_accesslog__close(void);
void yw_accesslog__write(struct yw_req *req, int status, size_t bytes, int64_t duration_ns);

#endif
