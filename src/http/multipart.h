/*
 * multipart.h - the file of an upload route (YW_R_RAW), streamed out of a
 * multipart/form-data body (RFC 7578) while it arrives.
 *
 * libmicrohttpd's post processor parses the body piece by piece; the bytes of
 * the part named "file" go into an unlinked temporary file and an incremental
 * SHA-256, so an upload costs the parser's few KiB of memory however large it
 * is (64 concurrent 20 MiB uploads used to hold 1.3 GB of buffered bodies).
 * The handler gets the result as req->upload (http.h): the file's descriptor,
 * size, digest and claimed name.
 *
 * Only http/server.c calls these.
 */
#ifndef YW_HTTP_MULTIPART_H
#define YW_HTTP_MULTIPART_H

#include "http/http.h"

#include <stddef.h>
#include <stdint.h>

/* The part an upload route takes. */
#define YW_UPLOAD_PART "file"
/* Bytes of multipart framing (boundaries, part headers, other small parts)
 * allowed on top of upload_limit in an upload's body. */
#define YW_UPLOAD_ENVELOPE (64u * 1024u)

struct yw_multipart;

/* Start streaming the body of `conn` (a struct MHD_Connection *, whose
 * Content-Type header decides the format) into a new upload whose part
 * YW_UPLOAD_PART may hold at most max_bytes.  Never NULL: a body that is not
 * multipart/form-data, or has no usable boundary, is recorded and reported by
 * yw_multipart_finish.  Everything the stream holds (the parser, the
 * temporary file) is released by a cleanup hook on `arena`, so it lives as
 * long as the request. */
struct yw_multipart *yw_multipart_start(struct yw_arena *arena, void *conn, uint64_t max_bytes);

/* The next n bytes of the body.  Returns 0, or YW_ETOOBIG once the part grew
 * past max_bytes (its file is dropped then and later bytes are ignored). */
int yw_multipart_feed(struct yw_multipart *m, const char *data, size_t n);

/* The body is complete: the upload as the handler sees it, in the arena.
 * Its rc is 0 with fd, size, sha256 and filename set, or the first failure
 * with its err: YW_EMEDIA (not multipart/form-data), YW_EINVAL (no boundary,
 * malformed, a part not closed), YW_EMISSING (no part YW_UPLOAD_PART), YW_EIO
 * (the temporary file could not be written). */
const struct yw_upload *yw_multipart_finish(struct yw_multipart *m);

#endif
