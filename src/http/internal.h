/*
 * internal.h - what the files of src/http share among themselves.
 */
#ifndef YW_HTTP_INTERNAL_H
#define YW_HTTP_INTERNAL_H

#include "http/http.h"

#include <microhttpd.h>

/* response.c: render req's error as the JSON error body. */
void yw_http_error_body(struct yw_req *req, int rc);
/* response.c: turn req's response data into an MHD response (takes the body). */
struct MHD_Response *yw_http_build_response(struct yw_req *req);
/* response.c: drop a response that was built but will not be sent (retry). */
void yw_http_resp_clear(struct yw_req *req);

/* validate.c: check req->body against the route's field list. */
int yw_http_validate(struct yw_req *req, const struct yw_field *fields, bool strict);

/* static.c: serve a file under web_root for GET/HEAD; fills the response or
 * returns YW_ENOTFOUND. */
int yw_http_static(struct yw_req *req, const char *web_root);
/* static.c: answer 304 when If-None-Match matches. */

/* acceptor.c: the listening socket and the thread that deals its connections
 * out to the daemon's workers. */
struct sockaddr_storage;
struct yw_acceptor;
int yw_acceptor_open(const struct sockaddr_storage *ss, struct yw_acceptor **out, int *port, struct yw_err *err);
int yw_acceptor_start(struct yw_acceptor *a, struct MHD_Daemon *d, struct yw_err *err);
/* Stop accepting and close the socket (connections already taken go on). */
void yw_acceptor_stop(struct yw_acceptor *a);

/* accesslog.c */
int yw_accesslog_open(const char *spec);
void yw_accesslog_close(void);
void yw_accesslog_write(struct yw_req *req, int status, size_t bytes, int64_t duration_ns);

#endif
