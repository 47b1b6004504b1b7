/*
 * render.c - laying out and drawing a document's blocks into PDF bytes.
 *
 * One cairo PDF surface (cairo_pdf_surface_create_for_stream into a growable
 * buffer) and one pango context serve two passes over the same flow code: the
 * measuring pass (draw = false) only advances the pen and breaks pages, so it
 * learns the page count; the drawing pass repeats exactly the same decisions
 * and paints, so the footer can say "第 i 页 / 共 n 页".  Both passes use the
 * same context with fixed font options (no hinting, 72 dpi, so one unit is one
 * PostScript point), which keeps their measurements identical.
 *
 * Threads: every cairo and pango object here lives in one call.  pango's cairo
 * font map is per thread (pango_cairo_font_map_get_default), fontconfig and
 * cairo's font caches lock internally; the first render in the process
 * initialises fontconfig and checks the fonts once under pthread_once, so
 * workers never race on fontconfig's global start-up.
 */
#include "pdf/pdf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/log.h"
#include "core/mem.h"
#include "pdf/internal.h"

#define SERIF "Noto Serif CJK SC"
#define SANS  "Noto Sans CJK SC"

#define MM       (72.0 / 25.4)
#define PAGE_W   (210 * MM) /* A4 portrait */
#define PAGE_H   (297 * MM)
#define MARGIN   (20 * MM)
#define X0       MARGIN
#define X1       (PAGE_W - MARGIN)
#define TEXT_W   (X1 - X0)
#define TOP      MARGIN
#define BOTTOM   (PAGE_H - MARGIN)
#define FOOTER_Y (PAGE_H - 13 * MM) /* top of the page-number line */

#define CELL_PADX  5.0
#define CELL_PADY  3.5
#define RULE_THIN  0.5
#define RULE_OUTER 1.0
#define QR_SIZE    (26 * MM)
#define SEAL_R     (19 * MM) /* a 38 mm seal */

enum font {
    F_BODY,
    F_ISSUER,
    F_TITLE,
    F_DOCNO,
    F_CELL,
    F_HEAD,
    F_NOTE,
    F_FOOT,
    F_NFONTS
};

static const struct {
    const char *family;
    double pt;
    PangoWeight weight;
    double spacing; /* line spacing factor; 0 = the font's natural height */
    double letter;  /* extra letter spacing in points */
} fonts[F_NFONTS] = {
    [F_BODY] = { SERIF, 12, PANGO_WEIGHT_NORMAL, 1.3, 0 },
    [F_ISSUER] = { SERIF, 16, PANGO_WEIGHT_NORMAL, 0, 2 },
    [F_TITLE] = { SANS, 22, PANGO_WEIGHT_BOLD, 0, 6 },
    [F_DOCNO] = { SERIF, 12, PANGO_WEIGHT_NORMAL, 0, 0 },
    [F_CELL] = { SERIF, 10.5, PANGO_WEIGHT_NORMAL, 0, 0 },
    [F_HEAD] = { SANS, 10.5, PANGO_WEIGHT_BOLD, 0, 0 },
    [F_NOTE] = { SERIF, 9, PANGO_WEIGHT_NORMAL, 0, 0 },
    [F_FOOT] = { SERIF, 9, PANGO_WEIGHT_NORMAL, 0, 0 },
};

/* State of one pass over the blocks. */
struct flow {
    const struct yw_pdf_doc *doc;
    cairo_t *cr;
    PangoContext *pc;
    PangoFontDescription *fd[F_NFONTS];
    bool draw;  /* false: measuring pass */
    int page;   /* current page, from 1 */
    int npages; /* drawing pass: total from the measuring pass */
    double y;   /* pen: top of the next thing on the page */
    bool fresh; /* nothing placed on this page yet */
    int rc;
    struct yw_err *err;
};

/* ---- text ---- */

static PangoLayout *
layout_new(struct flow *f, enum font fn, const char *text, double width, PangoAlignment align,
           bool justify, double indent)
{
    PangoLayout *l = pango_layout_new(f->pc);
    pango_layout_set_font_description(l, f->fd[fn]);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (width > 0)
        pango_layout_set_width(l, pango_units_from_double(width));
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    if (indent != 0)
        pango_layout_set_indent(l, pango_units_from_double(indent));
    if (fonts[fn].spacing > 0)
        pango_layout_set_line_spacing(l, (float)fonts[fn].spacing);
    if (fonts[fn].letter > 0) {
        PangoAttrList *al = pango_attr_list_new();
        pango_attr_list_insert(
            al, pango_attr_letter_spacing_new(pango_units_from_double(fonts[fn].letter)));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

static double
layout_h(PangoLayout *l)
{
    PangoRectangle log;
    pango_layout_get_extents(l, NULL, &log);
    return pango_units_to_double(log.height);
}

static double
layout_w(PangoLayout *l)
{
    PangoRectangle log;
    pango_layout_get_extents(l, NULL, &log);
    return pango_units_to_double(log.width);
}

/* Natural (unwrapped) width of text in a font. */
static double
text_w(struct flow *f, enum font fn, const char *text)
{
    PangoLayout *l = layout_new(f, fn, text, -1, PANGO_ALIGN_LEFT, false, 0);
    double w = layout_w(l);
    g_object_unref(l);
    return w;
}

static void
show(struct flow *f, PangoLayout *l, double x, double y, double grey)
{
    if (!f->draw)
        return;
    cairo_set_source_rgb(f->cr, grey, grey, grey);
    cairo_move_to(f->cr, x, y);
    pango_cairo_show_layout(f->cr, l);
}

/* ---- pages ---- */

static void
footer(struct flow *f)
{
    /* En spaces (U+2002) around the numbers: wide enough that text extraction
     * (pdftotext, screen readers) sees "第 1 页 / 共 2 页" with its spaces. */
    char s[96];
    snprintf(s, sizeof s, "第\u2002%d\u2002页\u2002/\u2002共\u2002%d\u2002页", f->page, f->npages);
    PangoLayout *l = layout_new(f, F_FOOT, s, TEXT_W, PANGO_ALIGN_CENTER, false, 0);
    show(f, l, X0, FOOTER_Y, 0.25);
    g_object_unref(l);
}

static void
new_page(struct flow *f)
{
    if (f->draw) {
        footer(f);
        cairo_show_page(f->cr);
    }
    f->page++;
    f->y = TOP;
    f->fresh = true;
}

/* Make room for h points of unbreakable content: a new page unless it fits
 * (or the page is still empty, where breaking would not help). */
static void
need(struct flow *f, double h)
{
    if (!f->fresh && f->y + h > BOTTOM)
        new_page(f);
}

/* Space before a block; none at the top of a page. */
static void
gap(struct flow *f, double h)
{
    if (!f->fresh)
        f->y += h;
}

/* Place a laid-out text at x, breaking pages between its lines. */
static void
flow_lines(struct flow *f, PangoLayout *l, double x, double grey)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double off = f->y; /* page y of layout y = 0 */
    do {
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        double top = pango_units_to_double(y0), bot = pango_units_to_double(y1);
        if (!f->fresh && off + bot > BOTTOM) {
            new_page(f);
            off = f->y - top;
        }
        if (f->draw) {
            PangoRectangle log;
            pango_layout_iter_get_line_extents(it, NULL, &log);
            double base = pango_units_to_double(pango_layout_iter_get_baseline(it));
            cairo_set_source_rgb(f->cr, grey, grey, grey);
            cairo_move_to(f->cr, x + pango_units_to_double(log.x), off + base);
            pango_cairo_show_layout_line(f->cr, pango_layout_iter_get_line_readonly(it));
        }
        f->y = off + bot;
        f->fresh = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* ---- blocks ---- */

static void
heading(struct flow *f, const struct yw_pdf_block *b)
{
    static const enum font fn[3] = { F_ISSUER, F_TITLE, F_DOCNO };
    static const double after[3] = { 6, 8, 4 };
    PangoLayout *l[3] = { NULL, NULL, NULL };
    double h = 0;
    for (int i = 0; i < 3; i++) {
        if (b->s[i][0] == '\0')
            continue;
        l[i] = layout_new(f, fn[i], b->s[i], TEXT_W, PANGO_ALIGN_CENTER, false, 0);
        h += layout_h(l[i]) + after[i];
    }
    h += 10; /* the rule and the space under it */
    gap(f, 6);
    need(f, h);
    for (int i = 0; i < 3; i++) {
        if (l[i] == NULL)
            continue;
        show(f, l[i], X0, f->y, 0);
        f->y += layout_h(l[i]) + after[i];
        g_object_unref(l[i]);
    }
    if (f->draw) {
        cairo_set_source_rgb(f->cr, 0, 0, 0);
        cairo_set_line_width(f->cr, 0.8);
        cairo_move_to(f->cr, X0, f->y);
        cairo_line_to(f->cr, X1, f->y);
        cairo_stroke(f->cr);
    }
    f->y += 10;
    f->fresh = false;
}

static void
paragraph(struct flow *f, const char *text, enum font fn, double indent, double grey, double before)
{
    PangoLayout *l = layout_new(f, fn, text, TEXT_W, PANGO_ALIGN_LEFT, true, indent);
    gap(f, before);
    flow_lines(f, l, X0, grey);
    g_object_unref(l);
}

/* ---- tables ---- */

struct table {
    size_t ncols, nrows;
    const char *const *header; /* NULL: none */
    const char *const *cells;
    bool label_col; /* fields: shaded first column of labels */
    double w[YW_PDF_MAX_COLS];
    bool centre[YW_PDF_MAX_COLS]; /* short columns are centred */
};

/* Texts up to this many characters wide are kept on one line in a table cell
 * when the table has room (dates, names, 原件/复印件); longer ones wrap, but
 * preferably not below this width. */
#define KEEP_EM 7.0

/* Widths of a cell's text, padding excluded: w[0] its longest unbreakable word
 * (an ID number), w[1] the preferred minimum (whole up to KEEP_EM, else
 * KEEP_EM or the longest word), w[2] its natural one-line width. */
static void
cell_extent(struct flow *f, enum font fn, const char *text, double w[3])
{
    double nat = text_w(f, fn, text), keep = KEEP_EM * fonts[fn].pt;
    PangoLayout *l = layout_new(f, fn, text, 1, PANGO_ALIGN_LEFT, false, 0);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD); /* words are not broken */
    double word = layout_w(l);
    g_object_unref(l);
    w[0] = word;
    w[1] = nat <= keep ? nat : (word > keep ? word : keep);
    w[2] = nat;
}

/* Column widths from the content, much as CSS lays out an automatic table,
 * with three widths per column: hard minimum (longest word), preferred
 * minimum and natural width.  When the natural widths fit, the spare width is
 * spread in proportion; otherwise the columns get the largest tier of
 * minimums that fits, plus the rest of the line in proportion to how much
 * more each would like; when even the longest words do not fit, they are
 * scaled down (and break).  A fields table keeps its label column at the
 * labels' width (at most 35 %) and gives the rest to the values. */
static void
col_widths(struct flow *f, struct table *t)
{
    double w[3][YW_PDF_MAX_COLS], sum[3] = { 0, 0, 0 };
    const double pad = 2 * CELL_PADX + 1, floor_w = 2 * fonts[F_CELL].pt;
    for (size_t c = 0; c < t->ncols; c++) {
        double col[3] = { floor_w, floor_w, floor_w }, e[3], cells_nat = 0;
        if (t->header) {
            cell_extent(f, F_HEAD, t->header[c], e);
            if (e[2] <= 5 * fonts[F_HEAD].pt) /* short headers stay whole */
                e[0] = e[1] = e[2];
            for (int k = 0; k < 3; k++)
                col[k] = e[k] > col[k] ? e[k] : col[k];
        }
        for (size_t r = 0; r < t->nrows; r++) {
            cell_extent(f, F_CELL, t->cells[r * t->ncols + c], e);
            for (int k = 0; k < 3; k++)
                col[k] = e[k] > col[k] ? e[k] : col[k];
            cells_nat = e[2] > cells_nat ? e[2] : cells_nat;
        }
        for (int k = 0; k < 3; k++) {
            double v = col[k] > TEXT_W / 2 && k < 2 ? TEXT_W / 2 : col[k];
            if (k > 0 && v < w[k - 1][c] - pad)
                v = w[k - 1][c] - pad;
            w[k][c] = v + pad;
            sum[k] += w[k][c];
        }
        t->centre[c] = !t->label_col && cells_nat <= 4 * fonts[F_CELL].pt + 0.5; /* 序号, 原件 */
    }
    if (t->label_col) {
        double lw = w[2][0] < TEXT_W * 0.35 ? w[2][0] : TEXT_W * 0.35;
        t->w[0] = lw + 2 * fonts[F_CELL].pt; /* labels breathe a little */
        t->w[1] = TEXT_W - t->w[0];
        return;
    }
    int lo = sum[1] <= TEXT_W ? 1 : sum[0] <= TEXT_W ? 0 : -1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (sum[2] <= TEXT_W)
            t->w[c] = w[2][c] * TEXT_W / sum[2];
        else if (lo < 0)
            t->w[c] = w[0][c] * TEXT_W / sum[0];
        else
            t->w[c] =
                w[lo][c] + (w[lo + 1][c] - w[lo][c]) * (TEXT_W - sum[lo]) / (sum[lo + 1] - sum[lo]);
    }
}

/* Lay out, and in the drawing pass paint, one row at the pen. */
static void
table_row(struct flow *f, const struct table *t, bool is_header, PangoLayout **l, double h)
{
    double x = X0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (f->draw) {
            bool shade = is_header || (t->label_col && c == 0);
            if (shade) {
                double g = is_header ? 0.90 : 0.95;
                cairo_set_source_rgb(f->cr, g, g, g);
                cairo_rectangle(f->cr, x, f->y, t->w[c], h);
                cairo_fill(f->cr);
            }
            double th = layout_h(l[c]);
            show(f, l[c], x + CELL_PADX, f->y + (h - th) / 2, 0);
            cairo_set_source_rgb(f->cr, 0, 0, 0);
            cairo_set_line_width(f->cr, RULE_THIN);
            cairo_rectangle(f->cr, x, f->y, t->w[c], h);
            cairo_stroke(f->cr);
        }
        x += t->w[c];
    }
    f->y += h;
    f->fresh = false;
}

/* Layouts of one row's cells into l[] and the row height. */
static double
row_layouts(struct flow *f, const struct table *t, const char *const *texts, bool is_header,
            PangoLayout **l)
{
    double h = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        PangoAlignment al = (is_header || t->centre[c]) ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
        enum font fn = is_header ? F_HEAD : F_CELL;
        l[c] = layout_new(f, fn, texts[c], t->w[c] - 2 * CELL_PADX, al, false, 0);
        double ch = layout_h(l[c]);
        if (ch > h)
            h = ch;
    }
    return h + 2 * CELL_PADY;
}

static void
free_layouts(PangoLayout **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_object_unref(l[i]);
}

/* The heavier outer frame of the part of a table on this page. */
static void
frame(struct flow *f, double top)
{
    if (!f->draw || f->y <= top)
        return;
    cairo_set_source_rgb(f->cr, 0, 0, 0);
    cairo_set_line_width(f->cr, RULE_OUTER);
    cairo_rectangle(f->cr, X0, top, TEXT_W, f->y - top);
    cairo_stroke(f->cr);
}

static void
table(struct flow *f, struct table *t)
{
    col_widths(f, t);
    PangoLayout *hl[YW_PDF_MAX_COLS], *rl[YW_PDF_MAX_COLS];
    double hh = t->header ? row_layouts(f, t, t->header, true, hl) : 0;

    gap(f, 8);
    double first = t->nrows ? row_layouts(f, t, t->cells, false, rl) : 0;
    need(f, hh + first);
    double top = f->y;
    if (t->header)
        table_row(f, t, true, hl, hh);
    for (size_t r = 0; r < t->nrows; r++) {
        const char *const *texts = t->cells + r * t->ncols;
        double h = r == 0 ? first : row_layouts(f, t, texts, false, rl);
        if (f->y + h > BOTTOM && f->y > top + hh + 0.01) {
            frame(f, top);
            new_page(f);
            top = f->y;
            if (t->header)
                table_row(f, t, true, hl, hh);
        }
        table_row(f, t, false, rl, h);
        free_layouts(rl, t->ncols);
    }
    frame(f, top);
    if (t->header)
        free_layouts(hl, t->ncols);
    f->y += 4;
}

/* ---- QR code and signature ---- */

/* The caption layout of a QR block (NULL when it has none); *h is the block's
 * height, code and caption. */
static PangoLayout *
qr_caption(struct flow *f, const struct yw_pdf_block *q, double *h)
{
    PangoLayout *l = NULL;
    *h = QR_SIZE;
    if (q->s[1][0]) {
        l = layout_new(f, F_NOTE, q->s[1], QR_SIZE + 8 * MM, PANGO_ALIGN_CENTER, false, 0);
        *h += layout_h(l);
    }
    return l;
}

/* Draw a QR block with its right edge at xr and its top at y. */
static void
qr_draw(struct flow *f, const struct yw_pdf_block *q, PangoLayout *cap, double xr, double y)
{
    if (!yw_pdf__mark_qr_fits(q->s[0])) {
        if (f->rc == 0)
            f->rc = yw_fail(f->err, YW_EINVAL, "qr",
                            "cannot encode QR code: url of %zu bytes is too long", strlen(q->s[0]));
        return;
    }
    if (!f->draw)
        return;
    double x = xr - QR_SIZE;
    yw_pdf__mark_qr(f->cr, q->s[0], x, y, QR_SIZE);
    if (cap) {
        double cw = pango_units_to_double(pango_layout_get_width(cap));
        show(f, cap, x + QR_SIZE / 2 - cw / 2, y + QR_SIZE, 0.25);
    }
}

static void
qr_block(struct flow *f, const struct yw_pdf_block *q)
{
    double h;
    PangoLayout *cap = qr_caption(f, q, &h);
    gap(f, 8);
    need(f, h);
    qr_draw(f, q, cap, X1, f->y);
    f->y += h;
    f->fresh = false;
    if (cap)
        g_object_unref(cap);
}

/* The signature block (org over date, centred on each other, under the seal),
 * set 2 characters in from the right margin; with a QR block `q`, the code
 * stands at the right margin and the signature 10 mm to its left.  The band is
 * kept on one page. */
static void
signature(struct flow *f, const struct yw_pdf_block *s, const struct yw_pdf_block *q)
{
    PangoLayout *org = layout_new(f, F_BODY, s->s[0], -1, PANGO_ALIGN_LEFT, false, 0);
    PangoLayout *date = layout_new(f, F_BODY, s->s[1], -1, PANGO_ALIGN_LEFT, false, 0);
    double ow = layout_w(org), dw = layout_w(date), lh = layout_h(org);
    double bw = ow > dw ? ow : dw;
    if (bw < 2 * SEAL_R)
        bw = 2 * SEAL_R;

    double qh = 0;
    PangoLayout *cap = q ? qr_caption(f, q, &qh) : NULL;
    double xr = q ? X1 - QR_SIZE - 10 * MM : X1 - 2 * fonts[F_BODY].pt;
    double sh = 2 * SEAL_R + 4;
    double h = sh > qh ? sh : qh;

    gap(f, 14);
    need(f, h);
    double cx = xr - bw / 2, cy = f->y + 2 + SEAL_R;
    if (f->draw) {
        yw_pdf__mark_seal(f->cr, cx, cy, SEAL_R);
        /* GB/T 9704-2012 §7.3.5.1: 署名和成文日期居印章中心偏下 */
        show(f, org, cx - ow / 2, cy + 0.12 * SEAL_R - lh / 2, 0);
        show(f, date, cx - dw / 2, cy + 0.12 * SEAL_R + lh / 2 + 2, 0);
    }
    if (q)
        qr_draw(f, q, cap, X1, f->y + (h - qh) / 2);
    f->y += h + 6;
    f->fresh = false;
    g_object_unref(org);
    g_object_unref(date);
    if (cap)
        g_object_unref(cap);
}

/* ---- the passes ---- */

static void
run(struct flow *f)
{
    const struct yw_pdf_doc *d = f->doc;
    f->page = 1;
    f->y = TOP;
    f->fresh = true;
    for (size_t i = 0; i < d->n && f->rc == 0; i++) {
        const struct yw_pdf_block *b = &d->b[i];
        const struct yw_pdf_block *next = i + 1 < d->n ? &d->b[i + 1] : NULL;
        switch (b->kind) {
        case YW_PDF_HEADING:
            heading(f, b);
            break;
        case YW_PDF_PARAGRAPH:
            paragraph(f, b->s[0], F_BODY, 2 * fonts[F_BODY].pt, 0, 4);
            break;
        case YW_PDF_LINE:
            paragraph(f, b->s[0], F_BODY, 0, 0, 4);
            break;
        case YW_PDF_NOTE:
            paragraph(f, b->s[0], F_NOTE, 0, 0.35, 4);
            break;
        case YW_PDF_FIELDS:
        case YW_PDF_TABLE: {
            struct table t = {
                .ncols = b->ncols,
                .nrows = b->nrows,
                .header = b->has_header ? (const char *const *)b->s : NULL,
                .cells = (const char *const *)b->s + (b->has_header ? b->ncols : 0),
                .label_col = b->kind == YW_PDF_FIELDS,
            };
            table(f, &t);
            break;
        }
        case YW_PDF_QR:
            if (next && next->kind == YW_PDF_SIGNATURE) {
                signature(f, next, b);
                i++;
            } else {
                qr_block(f, b);
            }
            break;
        case YW_PDF_SIGNATURE:
            if (next && next->kind == YW_PDF_QR) {
                signature(f, b, next);
                i++;
            } else {
                signature(f, b, NULL);
            }
            break;
        case YW_PDF_SPACE:
            gap(f, b->pt);
            break;
        case YW_PDF_BREAK:
            if (!f->fresh)
                new_page(f);
            break;
        }
    }
    if (f->draw)
        footer(f);
}

/* ---- process-wide start ---- */

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static char fonts_missing[128]; /* "" when both families resolve to themselves */

/* Initialise fontconfig (through pango) in one thread and check that the Noto
 * CJK families are installed, not silently replaced by a fallback font. */
static void
fonts_init(void)
{
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *pc = pango_font_map_create_context(fm);
    const char *want[2] = { SERIF, SANS };
    for (int i = 0; i < 2; i++) {
        PangoFontDescription *fd = pango_font_description_new();
        pango_font_description_set_family(fd, want[i]);
        pango_font_description_set_size(fd, 12 * PANGO_SCALE);
        PangoFont *font = pango_font_map_load_font(fm, pc, fd);
        PangoFontDescription *got = font ? pango_font_describe(font) : NULL;
        const char *fam = got ? pango_font_description_get_family(got) : NULL;
        if (fam == NULL || strcmp(fam, want[i]) != 0) {
            snprintf(fonts_missing, sizeof fonts_missing, "%s", want[i]);
            yw_log_error("pdf", "font '%s' is not installed (got '%s'); install fonts-noto-cjk",
                         want[i], fam ? fam : "none");
        }
        if (got)
            pango_font_description_free(got);
        if (font)
            g_object_unref(font);
        pango_font_description_free(fd);
        if (fonts_missing[0])
            break;
    }
    g_object_unref(pc);
}

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    yw_buf_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void
flow_init(struct flow *f, const struct yw_pdf_doc *doc, cairo_t *cr, PangoContext *pc,
          struct yw_err *err)
{
    memset(f, 0, sizeof *f);
    f->doc = doc;
    f->cr = cr;
    f->pc = pc;
    f->err = err;
    for (int i = 0; i < F_NFONTS; i++) {
        f->fd[i] = pango_font_description_new();
        pango_font_description_set_family_static(f->fd[i], fonts[i].family);
        pango_font_description_set_size(f->fd[i], (int)(fonts[i].pt * PANGO_SCALE));
        pango_font_description_set_weight(f->fd[i], fonts[i].weight);
    }
}

static void
flow_release(struct flow *f)
{
    for (int i = 0; i < F_NFONTS; i++)
        pango_font_description_free(f->fd[i]);
}

int
yw_pdf_render(const struct yw_pdf_doc *doc, char **out, size_t *len, struct yw_err *err)
{
    if (doc == NULL || out == NULL || len == NULL)
        return yw_fail(err, YW_EINVAL, NULL, "cannot render pdf: no document or output");
    *out = NULL;
    *len = 0;
    pthread_once(&fonts_once, fonts_init);
    if (fonts_missing[0])
        return yw_fail(err, YW_EINTERNAL, NULL,
                       "cannot render pdf '%s': font '%s' is not installed", doc->title,
                       fonts_missing);

    int rc = YW_EINTERNAL;
    struct yw_buf buf;
    yw_buf_init(&buf);
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_buf, &buf, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surf);
    PangoContext *pc = NULL;
    cairo_font_options_t *fo = NULL;
    struct flow f;
    bool have_flow = false;

    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS ||
        cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        rc = yw_fail(err, YW_EINTERNAL, NULL, "cannot create pdf surface for '%s': %s", doc->title,
                     cairo_status_to_string(cairo_surface_status(surf)));
        goto out;
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "ywtb");

    pc = pango_cairo_create_context(cr);
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    pango_cairo_context_set_resolution(pc, 72); /* 1 pt = 1 unit */
    pango_context_set_language(pc, pango_language_from_string("zh-cn"));

    flow_init(&f, doc, cr, pc, err);
    have_flow = true;
    run(&f); /* measure */
    if (f.rc != 0) {
        rc = f.rc;
        goto out;
    }
    int npages = f.page;
    f.draw = true;
    f.npages = npages;
    run(&f); /* draw */
    if (f.rc != 0) {
        rc = f.rc;
        goto out;
    }
    if (f.page != npages) {
        rc = yw_fail(err, YW_EINTERNAL, NULL, "pdf '%s': passes disagree on pages (%d, %d)",
                     doc->title, npages, f.page);
        goto out;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        rc = yw_fail(err, YW_EINTERNAL, NULL, "cannot draw pdf '%s': %s", doc->title,
                     cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        rc = yw_fail(err, st == CAIRO_STATUS_WRITE_ERROR ? YW_EIO : YW_EINTERNAL, NULL,
                     "cannot write pdf '%s': %s", doc->title, cairo_status_to_string(st));
        goto out;
    }
    *out = buf.p;
    *len = buf.n;
    buf.p = NULL;
    rc = 0;
out:
    if (have_flow)
        flow_release(&f);
    if (fo)
        cairo_font_options_destroy(fo);
    if (pc)
        g_object_unref(pc);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    if (buf.p)
        yw_buf_release(&buf);
    return rc;
}

void
yw_pdf_thread_release(void)
{
    /* Frees the thread's PangoCairoFontMap; the next render makes a new one. */
    pango_cairo_font_map_set_default(NULL);
}
