/*
 * decode.c - the structure checks of PNG, JPEG and OFD uploads, run in a
 * forked child under limits (sandbox.c, internal.h).
 *
 * The first bytes name a type; these functions check that the rest is that
 * type, within limits, so a file that only starts like one is refused:
 *
 *   PNG   libpng reads the header, the size is checked against the limits,
 *         then every row is decoded (one row in memory) to IEND: a truncated
 *         file, a bad CRC of a critical chunk or broken image data fail.
 *   JPEG  libjpeg(-turbo) reads the header, the size is checked, then the
 *         whole image is decoded at 1/8 scale: every entropy-coded block is
 *         still read, so truncation and corrupt data are found, at a fraction
 *         of the cost of full-size output.  Progressive JPEGs need the whole
 *         coefficient array; libjpeg may use YW_FILES_JPEG_MEM for it.
 *   OFD   (GB/T 33190) a ZIP package: libzip reads the central directory
 *         and checks it against the local headers; the entries are counted,
 *         their declared sizes summed and their compression ratios checked
 *         (a ZIP bomb is refused before anything is inflated); then every
 *         entry is inflated, never past its declared size, with its CRC
 *         checked, and OFD.xml at the root must be an XML document whose
 *         root element is OFD.
 *
 * Each returns 0 when the file passes, or 1 with what failed in msg.  They
 * run after fork() in a threaded process: malloc and the libraries only, no
 * logging, nothing of the server (sandbox.c says why).
 */
#include "files/internal.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>
#include <zip.h>

/* The size of an image against the limits: 0, or 1 with the message. */
static int
check_size(const char *kind, unsigned long long w, unsigned long long h, char *msg, size_t n)
{
    if (w == 0 || h == 0) {
        snprintf(msg, n, "the %s has no pixels (%llux%llu)", kind, w, h);
        return 1;
    }
    if (w > YW_FILES_MAX_SIDE || h > YW_FILES_MAX_SIDE || w * h > YW_FILES_MAX_PIXELS) {
        snprintf(msg, n, "the %s is %llux%llu pixels: at most %u on a side and %u megapixels", kind,
                 w, h, YW_FILES_MAX_SIDE, YW_FILES_MAX_PIXELS / 1000000u);
        return 1;
    }
    return 0;
}

/* ---- PNG ---- */

struct png_ctx {
    jmp_buf jb;
    const unsigned char *data;
    size_t len, off;
    char *msg;
    size_t n;
};

static void
png_on_error(png_structp png, png_const_charp m)
{
    struct png_ctx *x = png_get_error_ptr(png);
    snprintf(x->msg, x->n, "the PNG does not decode: %s", m);
    longjmp(x->jb, 1);
}

static void
png_on_warning(png_structp png, png_const_charp m)
{
    (void)png; /* ancillary chunks with bad CRCs are dropped, as viewers do */
    (void)m;
}

static void
png_read(png_structp png, png_bytep out, size_t len)
{
    struct png_ctx *x = png_get_io_ptr(png);
    if (len > x->len - x->off)
        png_error(png, "the file ends early (truncated)");
    memcpy(out, x->data + x->off, len);
    x->off += len;
}

int
yw_files__check_png(void *arg, char *msg, size_t n)
{
    const struct yw_files_blob *b = arg;
    struct png_ctx x = { .data = b->data, .len = b->len, .msg = msg, .n = n };
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &x, png_on_error, png_on_warning);
    if (png == NULL) {
        snprintf(msg, n, "the PNG cannot be decoded: out of memory");
        return 1;
    }
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile row = NULL;
    volatile int rc = 1;
    if (setjmp(x.jb))
        goto out; /* the message is set */
    if (info == NULL)
        png_error(png, "out of memory");
    png_set_read_fn(png, &x, png_read);
    png_set_chunk_malloc_max(png, 8u << 20); /* text and ICC chunks, inflated */
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (check_size("PNG", w, h, msg, n))
        goto out;
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    row = malloc(png_get_rowbytes(png, info));
    if (row == NULL)
        png_error(png, "out of memory");
    for (int p = 0; p < passes; p++)
        for (png_uint_32 y = 0; y < h; y++)
            png_read_row(png, row, NULL);
    png_read_end(png, NULL);
    rc = 0;
out:
    free(row);
    png_destroy_read_struct(&png, &info, NULL);
    return rc;
}

/* ---- JPEG ---- */

struct jpeg_ctx {
    struct jpeg_error_mgr pub; /* first: libjpeg's pointer is ours */
    jmp_buf jb;
    char *msg;
    size_t n;
};

static void
jpeg_on_error(j_common_ptr ci)
{
    struct jpeg_ctx *x = (struct jpeg_ctx *)ci->err;
    if (ci->err->msg_code == JERR_NO_BACKING_STORE) {
        snprintf(x->msg, x->n, "the JPEG needs more than %u MiB to decode",
                 YW_FILES_JPEG_MEM >> 20);
    } else {
        char m[JMSG_LENGTH_MAX];
        ci->err->format_message(ci, m);
        snprintf(x->msg, x->n, "the JPEG does not decode: %s", m);
    }
    longjmp(x->jb, 1);
}

/* Warnings: the ones that mean missing or broken image data fail the check;
 * the rest (extraneous bytes before a marker, as cameras write) do not. */
static void
jpeg_on_message(j_common_ptr ci, int level)
{
    if (level >= 0)
        return;
    int code = ci->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE ||
        code == JWRN_MUST_RESYNC) {
        struct jpeg_ctx *x = (struct jpeg_ctx *)ci->err;
        char m[JMSG_LENGTH_MAX];
        ci->err->format_message(ci, m);
        snprintf(x->msg, x->n, "the JPEG is truncated or damaged: %s", m);
        longjmp(x->jb, 1);
    }
    ci->err->num_warnings++;
}

int
yw_files__check_jpeg(void *arg, char *msg, size_t n)
{
    const struct yw_files_blob *b = arg;
    struct jpeg_decompress_struct ci;
    struct jpeg_ctx x = { .msg = msg, .n = n };
    ci.err = jpeg_std_error(&x.pub);
    x.pub.error_exit = jpeg_on_error;
    x.pub.emit_message = jpeg_on_message;
    unsigned char *volatile row = NULL;
    volatile int rc = 1;
    if (setjmp(x.jb))
        goto out;
    jpeg_create_decompress(&ci);
    ci.mem->max_memory_to_use = YW_FILES_JPEG_MEM;
    jpeg_mem_src(&ci, b->data, (unsigned long)b->len);
    if (jpeg_read_header(&ci, TRUE) != JPEG_HEADER_OK) {
        snprintf(msg, n, "the JPEG holds no image");
        goto out;
    }
    if (check_size("JPEG", ci.image_width, ci.image_height, msg, n))
        goto out;
    ci.scale_num = 1;
    ci.scale_denom = 8;
    ci.dct_method = JDCT_IFAST;
    ci.do_fancy_upsampling = FALSE;
    ci.do_block_smoothing = FALSE;
    jpeg_start_decompress(&ci);
    row = malloc((size_t)ci.output_width * (size_t)ci.output_components);
    if (row == NULL) {
        snprintf(msg, n, "the JPEG cannot be decoded: out of memory");
        goto out;
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW rows[1] = { row };
        jpeg_read_scanlines(&ci, rows, 1);
    }
    jpeg_finish_decompress(&ci);
    rc = 0;
out:
    free(row);
    jpeg_destroy_decompress(&ci);
    return rc;
}

/* ---- OFD ---- */

/* An entry name that stays inside the package when extracted. */
static bool
safe_name(const char *name)
{
    if (name[0] == '/' || name[0] == '\0' || strchr(name, '\\'))
        return false;
    for (const char *p = name; p; p = strchr(p, '/')) {
        if (*p == '/')
            p++;
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return false;
    }
    return true;
}

/* OFD.xml must be XML whose root element is OFD (in any namespace prefix). */
static bool
ofd_root(const char *x, size_t len, char *name, size_t name_n)
{
    const char *p = x, *end = x + len;
    name[0] = '\0';
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p >= end || *p != '<')
            return false;
        const char *closer = NULL;
        if (end - p >= 2 && p[1] == '?')
            closer = "?>";
        else if (end - p >= 4 && !memcmp(p, "<!--", 4))
            closer = "-->";
        else if (end - p >= 2 && p[1] == '!')
            closer = ">";
        if (closer == NULL)
            break;
        const char *q = memmem(p + 2, (size_t)(end - p - 2), closer, strlen(closer));
        if (q == NULL)
            return false;
        p = q + strlen(closer);
    }
    const char *s = ++p;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '>' && *p != '/')
        p++;
    snprintf(name, name_n, "%.*s", (int)(p - s > 60 ? 60 : p - s), s);
    const char *colon = memchr(s, ':', (size_t)(p - s));
    const char *local = colon ? colon + 1 : s;
    return p - local == 3 && !memcmp(local, "OFD", 3);
}

/* Inflate entry i, no further than its declared size, its CRC checked by
 * libzip at the end; OFD.xml is kept in *keep. */
static int
read_entry(zip_t *z, zip_uint64_t i, const zip_stat_t *st, char **keep, char *msg, size_t n)
{
    zip_file_t *f = zip_fopen_index(z, i, 0);
    if (f == NULL) {
        snprintf(msg, n, "entry '%.80s' of the OFD package cannot be read: %s", st->name,
                 zip_strerror(z));
        return 1;
    }
    char buf[65536];
    zip_uint64_t got = 0;
    int rc = 0;
    for (;;) {
        zip_int64_t r = zip_fread(f, buf, sizeof buf);
        if (r < 0) {
            snprintf(msg, n, "entry '%.80s' of the OFD package is damaged: %s", st->name,
                     zip_file_strerror(f));
            rc = 1;
            break;
        }
        if (r == 0)
            break;
        if (got + (zip_uint64_t)r > st->size) {
            snprintf(
                msg, n,
                "entry '%.80s' of the OFD package holds more than the %llu bytes its header says",
                st->name, (unsigned long long)st->size);
            rc = 1;
            break;
        }
        if (keep && *keep)
            memcpy(*keep + got, buf, (size_t)r);
        got += (zip_uint64_t)r;
    }
    if (rc == 0 && got != st->size) {
        snprintf(msg, n,
                 "entry '%.80s' of the OFD package holds %llu bytes, not the %llu its header says",
                 st->name, (unsigned long long)got, (unsigned long long)st->size);
        rc = 1;
    }
    zip_fclose(f);
    return rc;
}

int
yw_files__check_ofd(void *arg, char *msg, size_t n)
{
    const struct yw_files_blob *b = arg;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    char *xml = NULL;
    int rc = 1;
    if (z == NULL) {
        snprintf(msg, n, "the OFD package is not a valid ZIP archive: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return 1;
    }
    zip_error_fini(&ze);
    zip_int64_t count = zip_get_num_entries(z, 0);
    if (count < 0 || (zip_uint64_t)count > YW_FILES_ZIP_ENTRIES) {
        snprintf(msg, n, "the OFD package has %lld entries: at most %u", (long long)count,
                 YW_FILES_ZIP_ENTRIES);
        goto out;
    }
    /* the central directory first: nothing is inflated before it passed */
    zip_uint64_t total = 0;
    zip_int64_t ofd = -1;
    for (zip_uint64_t i = 0; i < (zip_uint64_t)count; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
            snprintf(msg, n, "entry %llu of the OFD package cannot be read: %s",
                     (unsigned long long)i, zip_strerror(z));
            goto out;
        }
        if (!safe_name(st.name)) {
            snprintf(msg, n, "entry '%.80s' of the OFD package points outside the package",
                     st.name);
            goto out;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            snprintf(msg, n, "entry '%.80s' of the OFD package is encrypted", st.name);
            goto out;
        }
        if ((st.valid & ZIP_STAT_COMP_METHOD) &&
            !zip_compression_method_supported((zip_int32_t)st.comp_method, 0)) {
            snprintf(msg, n, "entry '%.80s' of the OFD package uses an unknown compression method",
                     st.name);
            goto out;
        }
        total += st.size;
        if (st.size > YW_FILES_ZIP_TOTAL || total > YW_FILES_ZIP_TOTAL) {
            snprintf(msg, n, "the OFD package expands to more than %u MiB",
                     YW_FILES_ZIP_TOTAL >> 20);
            goto out;
        }
        if (st.size >= YW_FILES_ZIP_RATIO_FROM &&
            st.size / (st.comp_size ? st.comp_size : 1) > YW_FILES_ZIP_RATIO) {
            snprintf(
                msg, n,
                "entry '%.80s' of the OFD package expands %llu times (%llu to %llu bytes): at most %u",
                st.name, (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
                (unsigned long long)st.comp_size, (unsigned long long)st.size, YW_FILES_ZIP_RATIO);
            goto out;
        }
        if (!strcmp(st.name, "OFD.xml")) {
            if (st.size > YW_FILES_OFD_XML_MAX) {
                snprintf(msg, n, "OFD.xml of the OFD package has %llu bytes: at most %u",
                         (unsigned long long)st.size, YW_FILES_OFD_XML_MAX);
                goto out;
            }
            ofd = (zip_int64_t)i;
        }
    }
    if (ofd < 0) {
        snprintf(
            msg, n,
            "the package has no OFD.xml at its root: it is a ZIP archive, not an OFD document");
        goto out;
    }
    for (zip_uint64_t i = 0; i < (zip_uint64_t)count; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, i, 0, &st) != 0) {
            snprintf(msg, n, "entry %llu of the OFD package cannot be read: %s",
                     (unsigned long long)i, zip_strerror(z));
            goto out;
        }
        if ((zip_int64_t)i == ofd && (xml = malloc(st.size + 1)) == NULL) {
            snprintf(msg, n, "the OFD package cannot be checked: out of memory");
            goto out;
        }
        if (read_entry(z, i, &st, (zip_int64_t)i == ofd ? &xml : NULL, msg, n))
            goto out;
        if ((zip_int64_t)i == ofd) {
            char root[64];
            if (!ofd_root(xml, st.size, root, sizeof root)) {
                if (root[0])
                    snprintf(msg, n,
                             "OFD.xml is not an OFD document: its root element is '%s', not OFD",
                             root);
                else
                    snprintf(msg, n, "OFD.xml of the OFD package is not XML");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(xml);
    zip_discard(z);
    return rc;
}
