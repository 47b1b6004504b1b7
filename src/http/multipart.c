/*
 * multipart.c - stream the part "file" of a multipart/form-data upload into
 * an unlinked temporary file and an incremental SHA-256 (see multipart.h).
 *
 * Parsing is libmicrohttpd's post processor: it calls on_value with each
 * piece of each part's value as the body arrives (at least once per part,
 * with 0 bytes for an empty one).  The first part named "file" is kept;
 * other parts are skipped.  The post processor takes the boundary from the
 * end of the Content-Type header, so `boundary=` must be its last parameter,
 * as browsers, curl and fetch send it.
 *
 * The body ends at the closing delimiter ("\r\n--" boundary "--"), which is
 * looked for here too: what follows it (an epilogue, RFC 2046 §5.1.1) is not
 * given to the post processor, which would refuse it.  Once the part is
 * complete (another part began, or the closing delimiter came), nothing
 * after it can fail the upload.
 *
 * The temporary file lives in $TMPDIR, else /var/tmp: /tmp is a RAM-backed
 * tmpfs on many systems (Debian's default since 13), and memory is what the
 * streaming saves.  It is created unlinked (O_TMPFILE, or unlinked right
 * after mkstemp), so a crash leaves nothing behind, and it is closed by the
 * request arena's cleanup hook.
 */
#include "http/multipart.h"

#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The post processor's buffer: the longest part header line it takes. */
#define PP_BUFFER 16384
/* The longest boundary taken (RFC 2046 allows 70 characters). */
#define BOUNDARY_MAX 200

enum part_state {
    P_NONE,
    P_OPEN,
    P_DONE
};

struct yw_multipart {
    struct MHD_PostProcessor *pp;
    EVP_MD_CTX *sha;
    uint64_t max;
    enum part_state part;
    bool failed;                  /* up.rc is set: the rest of the body is ignored */
    bool malformed;               /* the post processor refused the body */
    bool closed;                  /* the closing delimiter was seen */
    char delim[BOUNDARY_MAX + 8]; /* "\r\n--" boundary "--" */
    size_t dn;
    char
        tail[BOUNDARY_MAX + 8]; /* the last dn - 1 bytes fed: a delimiter may straddle two pieces */
    size_t tn;
    struct yw_upload up;
};

/* The value of parameter `key` (boundary=..., quoted or not) in a header
 * value, *n bytes long; NULL when absent. */
static const char *
param(const char *hdr, const char *key, size_t *n)
{
    size_t kn = strlen(key), hn = strlen(hdr);
    for (size_t i = 0; i + kn + 1 <= hn; i++) {
        if ((i == 0 || hdr[i - 1] == ' ' || hdr[i - 1] == ';') &&
            strncasecmp(hdr + i, key, kn) == 0 && hdr[i + kn] == '=') {
            const char *v = hdr + i + kn + 1;
            size_t k = 0;
            if (*v == '"') {
                v++;
                while (v[k] && v[k] != '"')
                    k++;
            } else {
                while (v[k] && v[k] != ';' && v[k] != ' ' && v[k] != '\r')
                    k++;
            }
            *n = k;
            return v;
        }
    }
    return NULL;
}

static int fail(struct yw_multipart *m, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record the first failure (its err names the part); later ones are ignored. */
static int
fail(struct yw_multipart *m, int rc, const char *fmt, ...)
{
    if (m->failed)
        return rc;
    m->failed = true;
    char msg[sizeof m->up.err.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    m->up.rc = yw_fail(&m->up.err, rc, YW_UPLOAD_PART, "%s", msg);
    return rc;
}

static void
drop_file(struct yw_multipart *m)
{
    if (m->up.fd >= 0)
        close(m->up.fd);
    m->up.fd = -1;
}

/* The arena's cleanup hook: the request is over. */
static void
release(void *data)
{
    struct yw_multipart *m = data;
    if (m->pp)
        MHD_destroy_post_processor(m->pp);
    m->pp = NULL;
    EVP_MD_CTX_free(m->sha);
    m->sha = NULL;
    drop_file(m);
}

static int
temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/var/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char path[4096]; /* a file system without O_TMPFILE */
    /* mkostemp replaces the six X with a unique name; the file is unlinked at once */
    snprintf(path, sizeof path, "%s/ywtb-upload-XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The part "file" begins: its name, its file, its digest. */
static int
open_part(struct yw_multipart *m, const char *filename)
{
    snprintf(m->up.filename, sizeof m->up.filename, "%s", filename ? filename : "");
    m->up.fd = temp_file();
    if (m->up.fd < 0)
        return fail(m, YW_EIO, "cannot store the upload: %s", strerror(errno));
    m->sha = EVP_MD_CTX_new();
    if (m->sha == NULL || EVP_DigestInit_ex(m->sha, EVP_sha256(), NULL) != 1)
        return fail(m, YW_ECRYPTO, "cannot hash the file");
    m->part = P_OPEN;
    return 0;
}

/* The post processor's iterator: `size` bytes at offset `off` of part `key`. */
static enum MHD_Result
on_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
         const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
         size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct yw_multipart *m = cls;
    bool ours = key != NULL && strcmp(key, YW_UPLOAD_PART) == 0;
    /* another part, or a second part of the same name (its value starts over
     * at offset 0 after the first one had bytes): ours is complete */
    if (m->part == P_OPEN && (!ours || (off == 0 && m->up.size > 0)))
        m->part = P_DONE;
    if (!ours || m->part == P_DONE)
        return MHD_YES;
    if (m->part == P_NONE && open_part(m, filename) != 0)
        return MHD_NO;
    if (size == 0)
        return MHD_YES;
    if (size > m->max - m->up.size) {
        drop_file(m);
        fail(m, YW_ETOOBIG, "the file is larger than %llu bytes", (unsigned long long)m->max);
        return MHD_NO;
    }
    if (write_all(m->up.fd, data, size) != 0) {
        fail(m, YW_EIO, "cannot store the upload: %s", strerror(errno));
        return MHD_NO;
    }
    if (EVP_DigestUpdate(m->sha, data, size) != 1) {
        fail(m, YW_ECRYPTO, "cannot hash the file");
        return MHD_NO;
    }
    m->up.size += size;
    return MHD_YES;
}

struct yw_multipart *
yw_multipart_start(struct yw_arena *arena, void *conn, uint64_t max_bytes)
{
    struct yw_multipart *m = yw_arena_zalloc(arena, sizeof *m);
    m->up.fd = -1;
    m->max = max_bytes;
    yw_arena_on_release(arena, release, m);
    const char *ct =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        fail(m, YW_EMEDIA, "send the file as multipart/form-data with a part named '%s'",
             YW_UPLOAD_PART);
        return m;
    }
    size_t bn = 0;
    const char *boundary = param(ct, "boundary", &bn);
    if (boundary == NULL || bn == 0) {
        fail(m, YW_EINVAL, "the multipart body has no boundary");
        return m;
    }
    if (bn > BOUNDARY_MAX) {
        fail(m, YW_EINVAL, "the multipart boundary is longer than %d characters", BOUNDARY_MAX);
        return m;
    }
    m->dn = (size_t)snprintf(m->delim, sizeof m->delim, "\r\n--%.*s--", (int)bn, boundary);
    m->pp = MHD_create_post_processor(conn, PP_BUFFER, on_value, m);
    if (m->pp == NULL)
        fail(m, YW_EINVAL, "the multipart boundary is not usable");
    return m;
}

/* How many of the n bytes at p belong to the body: up to the end of the
 * closing delimiter when it ends in them (m->closed is set then), else all. */
static size_t
body_part(struct yw_multipart *m, const char *p, size_t n)
{
    /* a delimiter that began in the bytes before: look across the seam */
    if (m->tn > 0) {
        char seam[2 * sizeof m->tail];
        size_t k = n < m->dn - 1 ? n : m->dn - 1;
        memcpy(seam, m->tail, m->tn);
        memcpy(seam + m->tn, p, k);
        const char *hit = memmem(seam, m->tn + k, m->delim, m->dn);
        if (hit) {
            m->closed = true;
            return (size_t)(hit - seam) + m->dn - m->tn;
        }
    }
    const char *hit = memmem(p, n, m->delim, m->dn);
    if (hit) {
        m->closed = true;
        return (size_t)(hit - p) + m->dn;
    }
    /* keep the last dn - 1 bytes */
    size_t keep = m->dn - 1;
    if (n >= keep) {
        memcpy(m->tail, p + n - keep, keep);
        m->tn = keep;
    } else {
        size_t drop = m->tn + n > keep ? m->tn + n - keep : 0;
        memmove(m->tail, m->tail + drop, m->tn - drop);
        memcpy(m->tail + m->tn - drop, p, n);
        m->tn = m->tn - drop + n;
    }
    return n;
}

int
yw_multipart_feed(struct yw_multipart *m, const char *data, size_t n)
{
    if (!m->failed && !m->closed && m->pp != NULL && n > 0) {
        n = body_part(m, data, n);
        if (MHD_post_process(m->pp, data, n) != MHD_YES && !m->failed) {
            m->malformed = true; /* after our part it no longer matters */
            MHD_destroy_post_processor(m->pp);
            m->pp = NULL;
        }
    }
    return m->failed && m->up.rc == YW_ETOOBIG ? YW_ETOOBIG : 0;
}

const struct yw_upload *
yw_multipart_finish(struct yw_multipart *m)
{
    bool clean = false; /* the body ended where it should */
    if (m->pp) {
        clean = MHD_destroy_post_processor(m->pp) == MHD_YES;
        m->pp = NULL;
    }
    if (m->failed)
        goto out;
    if (m->part == P_OPEN && (clean || m->closed))
        m->part = P_DONE;
    if (m->part == P_DONE) {
        unsigned char digest[32];
        unsigned int dn = 0;
        if (EVP_DigestFinal_ex(m->sha, digest, &dn) != 1 || dn != sizeof digest) {
            fail(m, YW_ECRYPTO, "cannot hash the file");
            goto out;
        }
        yw_hex(digest, sizeof digest, m->up.sha256);
        m->up.rc = 0;
    } else if (m->part == P_OPEN) {
        fail(m, YW_EINVAL, "a multipart part is not closed");
    } else if (m->malformed || !clean) {
        fail(m, YW_EINVAL, "the multipart body is malformed");
    } else {
        fail(m, YW_EMISSING, "the upload has no part named '%s'", YW_UPLOAD_PART);
    }
out:
    if (m->up.rc)
        drop_file(m);
    return &m->up;
}
