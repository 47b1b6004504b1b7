/*
 * multipart.c - find a named part in a multipart/form-data body (see multipart.h).
 */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *
memmem_s(const char *hay, size_t hn, const char *needle, size_t nn)
{
    return nn <= hn ? memmem(hay, hn, needle, nn) : NULL;
}

/* Value of a parameter (boundary="..." / name="...") in a header value. */
static int
param(const char *hdr, size_t hn, const char *key, char *out, size_t outsz)
{
    size_t kn = strlen(key);
    for (size_t i = 0; i + kn + 1 <= hn; i++) {
        if ((i == 0 || hdr[i - 1] == ' ' || hdr[i - 1] == ';') && strncasecmp(hdr + i, key, kn) == 0 &&
            hdr[i + kn] == '=') {
            const char *v = hdr + i + kn + 1;
            const char *end = hdr + hn;
            size_t n = 0;
            if (v < end && *v == '"') {
                v++;
                while (v + n < end && v[n] != '"')
                    n++;
            } else {
                while (v + n < end && v[n] != ';' && v[n] != ' ' && v[n] != '\r')
                    n++;
            }
            if (n >= outsz)
                n = outsz - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 0;
        }
    }
    return -1;
}

int
yw_multipart_find(const char *content_type, const char *body, size_t len, const char *name, struct yw_part *out,
                  struct yw_err *err)
{
    memset(out, 0, sizeof *out);
    if (content_type == NULL || strncasecmp(content_type, "multipart/form-data", 19) != 0)
        return yw_fail(err, YW_EMEDIA, "file", "send the file as multipart/form-data with a part named '%s'", name);
    char boundary[80];
    if (param(content_type, strlen(content_type), "boundary", boundary + 2, sizeof boundary - 2) != 0 ||
        boundary[2] == '\0')
        return yw_fail(err, YW_EINVAL, "file", "the multipart body has no boundary");
    boundary[0] = boundary[1] = '-';
    size_t bn = strlen(boundary);

    const char *p = memmem_s(body, len, boundary, bn);
    const char *end = body + len;
    while (p) {
        p += bn;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return yw_fail(err, YW_EINVAL, "file", "the multipart body is malformed");
        p += 2;
        const char *hdr_end = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (hdr_end == NULL)
            return yw_fail(err, YW_EINVAL, "file", "a multipart part has no end of headers");
        char pname[128] = "", fname[256] = "", ctype[128] = "";
        for (const char *h = p; h < hdr_end;) {
            const char *eol = memmem_s(h, (size_t)(hdr_end - h), "\r\n", 2);
            size_t hl = eol ? (size_t)(eol - h) : (size_t)(hdr_end - h);
            if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
                param(h + 20, hl - 20, "name", pname, sizeof pname);
                param(h + 20, hl - 20, "filename", fname, sizeof fname);
            } else if (hl > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
                const char *v = h + 13;
                while (*v == ' ')
                    v++;
                snprintf(ctype, sizeof ctype, "%.*s", (int)(hl - (size_t)(v - h)), v);
            }
            h += hl + 2;
        }
        const char *data = hdr_end + 4;
        char delim[84];
        snprintf(delim, sizeof delim, "\r\n%s", boundary);
        const char *next = memmem_s(data, (size_t)(end - data), delim, bn + 2);
        if (next == NULL)
            return yw_fail(err, YW_EINVAL, "file", "a multipart part is not closed");
        if (strcmp(pname, name) == 0) {
            out->data = data;
            out->len = (size_t)(next - data);
            snprintf(out->filename, sizeof out->filename, "%s", fname);
            snprintf(out->content_type, sizeof out->content_type, "%s", ctype);
            return 0;
        }
        p = next + 2;
    }
    return yw_fail(err, YW_EMISSING, name, "the upload has no part named '%s'", name);
}
