/*
 * request.c - what handlers read from a request (http.h): path parameters,
 * query arguments, headers, cookies, the streamed upload, the base URL.
 */
#include "http/http.h"

#include "http/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *
yw_req_param(struct yw_req *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], name) == 0)
            return req->param_values[i];
    return NULL;
}

const char *
yw_req_query(struct yw_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
yw_req_header(struct yw_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
yw_req_cookie(struct yw_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

int
yw_req_query_int(struct yw_req *req, const char *name, int64_t dflt, int64_t lo, int64_t hi,
                 int64_t *out)
{
    const char *v = yw_req_query(req, name);
    if (v == NULL || *v == '\0') {
        *out = dflt;
        return 0;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return yw_fail(&req->err, YW_EFIELD, name, "'%s' must be an integer from %lld to %lld",
                       name, (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

const struct yw_upload *
yw_req_upload(struct yw_req *req, int *rc)
{
    const struct yw_upload *up = req->upload;
    if (up == NULL) {
        *rc = yw_fail(&req->err, YW_EINTERNAL, "", "this route takes no upload");
        return NULL;
    }
    if (up->rc) {
        req->err = up->err;
        *rc = up->rc;
        return NULL;
    }
    *rc = 0;
    return up;
}

const char *
yw_req_base_url(struct yw_req *req)
{
    if (req->app->cfg->public_url && *req->app->cfg->public_url)
        return req->app->cfg->public_url;
    const char *host = yw_req_header(req, "Host");
    const char *proto = req->app->cfg->trust_proxy ? yw_req_header(req, "X-Forwarded-Proto") : NULL;
    if (host == NULL || strlen(host) > 100 || strpbrk(host, " /\\\"<>"))
        host = "127.0.0.1";
    return yw_arena_printf(&req->arena, "%s://%s",
                           proto && !strcmp(proto, "https") ? "https" : "http", host);
}
