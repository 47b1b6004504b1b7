/*
 * internal.h - shared inside src/pdf only: the block list that doc.c builds and
 * render.c lays out, and the drawn marks of marks.c.
 */
#ifndef YW_PDF_INTERNAL_H
#define YW_PDF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "pdf/pdf.h"

enum yw_pdf_kind {
    YW_PDF_HEADING,   /* s = { issuer, title, doc_no } */
    YW_PDF_PARAGRAPH, /* s = { text } */
    YW_PDF_LINE,      /* s = { text } */
    YW_PDF_FIELDS,    /* s = { label0, value0, ... }, ncols = 2, nrows pairs */
    YW_PDF_TABLE,     /* s = { header[ncols] if has_header, cells[nrows * ncols] } */
    YW_PDF_QR,        /* s = { url, caption } */
    YW_PDF_SIGNATURE, /* s = { org, date } */
    YW_PDF_NOTE,      /* s = { text } */
    YW_PDF_SPACE,     /* pt */
    YW_PDF_BREAK,
};

/* Columns a table keeps; more do not fit A4 portrait (doc.c drops the rest). */
#define YW_PDF_MAX_COLS 16

struct yw_pdf_block {
    enum yw_pdf_kind kind;
    char **s; /* owned UTF-8 strings, never NULL entries */
    size_t ns;
    size_t ncols, nrows;
    bool has_header;
    double pt; /* YW_PDF_SPACE: height in points */
};

struct yw_pdf_doc {
    char *title;
    struct yw_pdf_block *b;
    size_t n, cap;
};

/* marks.c: draw a QR code of `url` (EC level M, 4-module quiet zone included)
 * in the square x, y, size.  YW_EINVAL when the URL cannot be encoded (too
 * long); nothing is drawn then. */
int yw_pdf__mark_qr(cairo_t *cr, const char *url, double x, double y, double size);
/* marks.c: true when `url` fits in a QR code at level M. */
bool yw_pdf__mark_qr_fits(const char *url);
/* marks.c: a red seal: ring of radius r around cx, cy with a five-pointed star
 * above the centre. */
void yw_pdf__mark_seal(cairo_t *cr, double cx, double cy, double r);

#endif
