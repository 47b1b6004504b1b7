/*
 * framing.c - requests refused before anything else: those whose body length
 * or target two HTTP implementations could read differently.
 *
 * Request smuggling works on disagreement: a proxy in front and ywtb behind
 * that split the same bytes into different requests let one client hide a
 * request inside another's.  libmicrohttpd 0.9.75 takes the first of two
 * different Content-Length headers and ignores Content-Length when
 * Transfer-Encoding is present; a proxy may do the opposite.  RFC 9112 §6.3
 * says what a server must do instead: refuse such a request with 400 and close
 * the connection.  Likewise a NUL byte in the path: MHD decodes %00 and hands
 * over a C string cut at it, so "/index.html%00.png" reached the static files
 * as "/index.html" while a filter in front saw a .png.
 *
 * The raw request target is seen once, in MHD's URI callback, before MHD
 * decodes it (yw_http__note_uri); the verdict is given on the request's first
 * callback, when the headers are in (yw_http__refusal).
 */
#include "http/internal.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

void
yw_http__note_uri(struct yw_uri_note *n, const char *uri)
{
    n->raw = uri;
    n->len = uri ? strlen(uri) : 0;
    n->nul = false;
    /* %00 in the path (the query's arguments are checked as text later) */
    for (size_t i = 0; i + 2 < n->len && uri[i] != '?'; i++)
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0') {
            n->nul = true;
            break;
        }
}

/* A raw NUL byte in the target: MHD cut the C string there, but the target's
 * bytes run on to the space before the version.  MHD 0.9.75 decodes the
 * target in place, so `url` is the pointer the URI callback saw and the
 * version follows the target after one byte (the space MHD replaced by NUL).
 * When that does not hold (another MHD, a request without a version), there is
 * nothing to tell and nothing is refused. */
static bool
raw_nul(const struct yw_uri_note *n, const char *url, const char *version)
{
    if (n->raw == NULL || url != n->raw || version == NULL || strncmp(version, "HTTP/", 5) != 0)
        return false;
    uintptr_t u = (uintptr_t)url, v = (uintptr_t)version;
    return v > u && v - u - 1 > n->len && v - u < 65536;
}

struct framing {
    int cl, te;  /* Content-Length and Transfer-Encoding headers seen */
    bool cl_bad; /* one is not a number, or two differ */
    uint64_t cl_value;
    bool te_bad; /* not exactly "chunked" */
};

static bool
parse_length(const char *v, uint64_t *out)
{
    uint64_t x = 0;
    size_t i = 0;
    for (; v[i] >= '0' && v[i] <= '9'; i++) {
        if (x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    *out = x;
    return i > 0 && v[i] == '\0';
}

static enum MHD_Result
count_framing(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
              const char *value, size_t value_size)
{
    (void)kind;
    (void)value_size;
    struct framing *f = cls;
    if (key_size == 14 && strncasecmp(key, "Content-Length", 14) == 0) {
        uint64_t x = 0;
        if (value == NULL || !parse_length(value, &x) || (f->cl > 0 && x != f->cl_value))
            f->cl_bad = true;
        f->cl_value = x;
        f->cl++;
    } else if (key_size == 17 && strncasecmp(key, "Transfer-Encoding", 17) == 0) {
        if (value == NULL || strcasecmp(value, "chunked") != 0)
            f->te_bad = true;
        f->te++;
    }
    return MHD_YES;
}

const char *
yw_http__refusal(struct MHD_Connection *conn, const char *url, const char *version,
                 const struct yw_uri_note *n, bool *framing)
{
    *framing = false;
    if (n && (n->nul || raw_nul(n, url, version)))
        return "the path contains a NUL byte (raw or %00)";
    *framing = true;
    struct framing f = { 0 };
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, count_framing, &f);
    if (f.cl && f.te)
        return "the request has both Content-Length and Transfer-Encoding; send one (RFC 9112 §6.3)";
    if (f.cl_bad)
        return "the request's Content-Length headers differ or are not a number (RFC 9112 §6.3)";
    if (f.te > 1 || f.te_bad)
        return "Transfer-Encoding must be 'chunked', once (RFC 9112 §6.3)";
    *framing = false;
    return NULL;
}
