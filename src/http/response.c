/*
 * response.c - responses as data, the one JSON error body (valid UTF-8
 * whatever its message quotes), and the headers every response carries.
 *
 * Handlers describe a response (status, type, body, extra headers) in the
 * request; the server turns it into a libmicrohttpd response only after the
 * transaction committed, so a retried transaction never sends twice.
 */
#include "http/internal.h"

#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int
yw_resp_json(struct yw_req *req, int status, json_t *body)
{
    yw_http__resp_clear(req);
    if (body == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "cannot serialize the response");
    req->status = status;
    req->content_type = "application/json; charset=utf-8";
    req->resp_json = body; /* the caller's reference, serialized by yw_resp_bytes */
    return 0;
}

int
yw_resp_bytes(struct yw_req *req)
{
    if (req->resp_json == NULL)
        return 0;
    char *s = json_dumps(req->resp_json, JSON_COMPACT);
    json_decref(req->resp_json);
    req->resp_json = NULL;
    if (s == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "cannot serialize the response");
    req->resp_body = req->resp_mem = s;
    req->resp_len = strlen(s);
    return 0;
}

int
yw_resp_static(struct yw_req *req, int status, const char *content_type, const char *body,
               size_t len)
{
    yw_http__resp_clear(req);
    req->status = status;
    req->content_type = content_type;
    req->resp_body = body;
    req->resp_len = len;
    return 0;
}

int
yw_resp_take(struct yw_req *req, int status, const char *content_type, char *body, size_t len)
{
    yw_http__resp_clear(req);
    req->status = status;
    req->content_type = content_type;
    req->resp_body = req->resp_mem = body;
    req->resp_len = len;
    return 0;
}

void
yw_resp_header(struct yw_req *req, const char *name, const char *value)
{
    struct yw_resp_header *h = yw_arena_alloc(&req->arena, sizeof *h);
    h->name = yw_arena_strdup(&req->arena, name);
    h->value = yw_arena_strdup(&req->arena, value);
    h->next = req->headers;
    req->headers = h;
}

void
yw_http__resp_clear(struct yw_req *req)
{
    free(req->resp_mem);
    req->resp_mem = NULL;
    json_decref(req->resp_json);
    req->resp_json = NULL;
    req->resp_body = NULL;
    req->resp_len = 0;
    req->status = 0;
    req->content_type = NULL;
    if (req->resp_fd >= 0)
        close(req->resp_fd);
    req->resp_fd = -1;
    yw_http__stream_drop(req->resp_stream);
    req->resp_stream = NULL;
}

/* Append s as a JSON string with every byte that begins no well-formed UTF-8
 * character replaced by U+FFFD.  The last guard of the error body: yw_fail
 * never cuts a character, the router refuses paths that are not UTF-8, but a
 * message may still quote bytes from elsewhere (a header, a file name, a
 * library's message), and a body that is not UTF-8 is not JSON. */
static void
add_text(struct yw_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (yw_utf8_valid_prefix(s, n) == n) {
        yw_buf_add_json_str(b, s, n);
        return;
    }
    struct yw_buf t;
    yw_buf_init(&t);
    while (n > 0) {
        size_t k = yw_utf8_valid_prefix(s, n);
        yw_buf_add(&t, s, k);
        if (k == n)
            break;
        yw_buf_add(&t, "\xEF\xBF\xBD", 3);
        s += k + 1;
        n -= k + 1;
    }
    yw_buf_add_json_str(b, t.p ? t.p : "", t.n);
    yw_buf_release(&t);
}

void
yw_http__error_body(struct yw_req *req, int rc)
{
    const char *msg = req->err.msg[0] ? req->err.msg : yw_strerror(rc);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"error\":{\"code\":");
    add_text(&b, yw_errcode(rc));
    yw_buf_adds(&b, ",\"message\":");
    add_text(&b, msg);
    if (req->err.field[0]) {
        yw_buf_adds(&b, ",\"field\":");
        add_text(&b, req->err.field);
    }
    if (req->request_id) {
        yw_buf_adds(&b, ",\"request_id\":");
        add_text(&b, req->request_id);
    }
    yw_buf_adds(&b, "}}");
    int status = yw_errhttp(rc);
    yw_resp_take(req, status, "application/json; charset=utf-8", b.p, b.n);
}

/* Headers on every response (OWASP secure headers). */
static const char *const security_headers[][2] = {
    { "X-Content-Type-Options", "nosniff" },
    { "X-Frame-Options", "DENY" },
    { "Referrer-Policy", "no-referrer" },
    { "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" },
    { "Cross-Origin-Opener-Policy", "same-origin" },
};

struct MHD_Response *
yw_http__build_response(struct yw_req *req)
{
    struct MHD_Response *r;
    if (req->resp_stream) {
        r = yw_http__stream_response(req);
    } else if (req->resp_fd >= 0) {
        r = MHD_create_response_from_fd64(req->resp_fd_len, req->resp_fd);
        if (r == NULL)
            close(req->resp_fd);
        req->resp_fd = -1; /* MHD closes it with the response */
    } else if (req->resp_mem) {
        r = MHD_create_response_from_buffer_with_free_callback(req->resp_len, req->resp_mem, free);
        if (r)
            req->resp_mem = NULL; /* MHD owns it now */
    } else {
        /* MHD's 0.9.75 API takes void * but never writes a PERSISTENT buffer */
        union {
            const char *c;
            void *v;
        } body = { .c = req->resp_body };
        r = MHD_create_response_from_buffer(req->resp_len, body.v, MHD_RESPMEM_PERSISTENT);
    }
    req->resp_body = NULL;
    if (r == NULL)
        return NULL;
    if (req->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
    if (req->request_id)
        MHD_add_response_header(r, "X-Request-Id", req->request_id);
    bool has_cache = false;
    for (struct yw_resp_header *h = req->headers; h; h = h->next) {
        MHD_add_response_header(r, h->name, h->value);
        if (!strcasecmp(h->name, "Cache-Control"))
            has_cache = true;
    }
    if (!has_cache && req->route)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    return r;
}
