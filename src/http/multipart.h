/*
 * multipart.h - the one part of a multipart/form-data body that an upload
 * route wants (RFC 7578).  Works on the whole body in memory (uploads are
 * capped by upload_limit); returns pointers into it, no copies.
 */
#ifndef YW_HTTP_MULTIPART_H
#define YW_HTTP_MULTIPART_H

#include "core/err.h"

#include <stddef.h>

struct yw_part {
    const char *data;
    size_t len;
    char filename[256];     /* from Content-Disposition, "" when none */
    char content_type[128]; /* as the client claimed it; never trusted */
};

/* Find the part named `name` in body, given the request's Content-Type header.
 * Returns 0, YW_EMEDIA when the request is not multipart/form-data,
 * YW_EINVAL when the body is malformed, YW_EMISSING when there is no such part. */
int yw_multipart_find(const char *content_type, const char *body, size_t len, const char *name,
                      struct yw_part *out, struct yw_err *err);

#endif
