/*
 * marks.c - the two drawn marks of a notice: the QR code that opens the public
 * verification/status URL, and the red seal ring.
 *
 * The QR code is encoded by libqrencode (ISO/IEC 18004, error correction level
 * M, 8-bit mode, smallest version that fits) and drawn as filled vector
 * rectangles, one per horizontal run of dark modules, in a single path so
 * that viewers show no seams between modules.  The 4-module quiet zone that
 * ISO/IEC 18004 §7.3.7 requires is part of the square and painted white.
 *
 * The same symbol is also written as an SVG document (yw_pdf_qr_svg), so a
 * page on screen shows exactly the code the print carries: one path of the
 * same runs, in module units, on a white square with the quiet zone.
 *
 * The seal is a ring with a five-pointed star, like an official seal
 * (国务院关于国家行政机关和企业事业单位社会团体印章管理的规定: round, star in
 * the centre); it is drawn, not an image, and is only a visual mark - the
 * document's authenticity comes from the QR verification URL.
 */
#include "pdf/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <qrencode.h>

#include "core/err.h"
#include "core/mem.h"

#define QR_QUIET 4 /* modules of quiet zone on each side, ISO/IEC 18004 §7.3.7 */

static QRcode *
qr_encode(const char *url)
{
    /* casesensitive = 1; version 0 = the smallest that fits. */
    return QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

bool
yw_pdf__mark_qr_fits(const char *url)
{
    QRcode *q = qr_encode(url);
    if (q == NULL)
        return false;
    QRcode_free(q);
    return true;
}

int
yw_pdf__mark_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *q = qr_encode(url);
    if (q == NULL)
        return YW_EINVAL;
    int w = q->width;
    double m = size / (w + 2 * QR_QUIET);

    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);

    cairo_new_path(cr);
    double ox = x + QR_QUIET * m, oy = y + QR_QUIET * m;
    for (int r = 0; r < w; r++) {
        const unsigned char *row = q->data + (size_t)r * (size_t)w;
        for (int c = 0; c < w;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < w && (row[c] & 1))
                c++;
            cairo_rectangle(cr, ox + start * m, oy + r * m, (c - start) * m, m);
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
    cairo_restore(cr);
    QRcode_free(q);
    return 0;
}

/* A five-pointed star, one point up, centred on cx, cy with outer radius ro.
 * The points are placed by rotating the user space (cairo does the trigonometry,
 * so this file needs no libm). */
static void
star_path(cairo_t *cr, double cx, double cy, double ro)
{
    /* inner/outer radius of a regular pentagram: sin(18°)/sin(54°) */
    const double ri = ro * 0.38196601125;
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    for (int i = 0; i < 10; i++) {
        double rad = (i % 2) ? ri : ro;
        if (i == 0)
            cairo_move_to(cr, 0, -rad);
        else
            cairo_line_to(cr, 0, -rad);
        cairo_rotate(cr, M_PI / 5);
    }
    cairo_close_path(cr);
    cairo_restore(cr);
}

int
yw_pdf_qr_svg(const char *text, char **out, size_t *len, struct yw_err *err)
{
    *out = NULL;
    *len = 0;
    if (text == NULL)
        return yw_fail(err, YW_EINVAL, "", "no text for the QR code");
    QRcode *q = qr_encode(text);
    if (q == NULL)
        return yw_fail(err, YW_EINVAL, "", "the text is too long for a QR code (%zu bytes)",
                       strlen(text));
    int w = q->width, n = w + 2 * QR_QUIET;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(
        &b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
        "shape-rendering=\"crispEdges\" data-modules=\"%d\">"
        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
        n, n, 4 * n, 4 * n, w, n, n);
    for (int r = 0; r < w; r++) {
        const unsigned char *row = q->data + (size_t)r * (size_t)w;
        for (int c = 0; c < w;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < w && (row[c] & 1))
                c++;
            yw_buf_printf(&b, "M%d %dh%dv1h-%dz", start + QR_QUIET, r + QR_QUIET, c - start,
                          c - start);
        }
    }
    yw_buf_adds(&b, "\"/></svg>\n");
    QRcode_free(q);
    *out = b.p;
    *len = b.n;
    return 0;
}

void
yw_pdf__mark_seal(cairo_t *cr, double cx, double cy, double r)
{
    cairo_save(cr);
    cairo_set_source_rgba(cr, 0.86, 0.08, 0.10, 0.92); /* seal red ink */
    cairo_new_path(cr);
    cairo_set_line_width(cr, r * 0.055);
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    cairo_stroke(cr);
    star_path(cr, cx, cy - r * 0.30, r * 0.30);
    cairo_fill(cr);
    cairo_restore(cr);
}
