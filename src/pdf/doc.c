/*
 * doc.c - building a PDF document: the list of blocks that render.c lays out.
 *
 * Every add function copies its strings (NULL becomes "", invalid UTF-8 is
 * repaired with U+FFFD so pango never sees bad text) and appends one block.
 * Nothing here touches cairo or pango, so building is cheap and cannot fail.
 */
#include "pdf/pdf.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/mem.h"
#include "core/utf8.h"
#include "pdf/internal.h"

/* A private, valid UTF-8 copy of s ("" for NULL). */
static char *
text_dup(const char *s)
{
    if (s == NULL)
        return yw_xstrdup("");
    size_t n = strlen(s);
    if (yw_utf8_valid(s, n))
        return yw_xstrdup(s);
    gchar *fixed = g_utf8_make_valid(s, (gssize)n);
    char *copy = yw_xstrdup(fixed);
    g_free(fixed);
    return copy;
}

/* Append a block of `kind` with room for ns strings (all set to NULL). */
static struct yw_pdf_block *
add_block(struct yw_pdf_doc *doc, enum yw_pdf_kind kind, size_t ns)
{
    if (doc->n == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 16;
        doc->b = yw_xrealloc(doc->b, doc->cap * sizeof *doc->b);
    }
    struct yw_pdf_block *b = &doc->b[doc->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->ns = ns;
    b->s = ns ? yw_xcalloc(ns, sizeof *b->s) : NULL;
    return b;
}

struct yw_pdf_doc *
yw_pdf_new(const char *title)
{
    struct yw_pdf_doc *doc = yw_xcalloc(1, sizeof *doc);
    doc->title = text_dup(title);
    return doc;
}

void
yw_pdf_free(struct yw_pdf_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->n; i++) {
        for (size_t j = 0; j < doc->b[i].ns; j++)
            free(doc->b[i].s[j]);
        free(doc->b[i].s);
    }
    free(doc->b);
    free(doc->title);
    free(doc);
}

/* A block holding copies of the given strings. */
static void
add_texts(struct yw_pdf_doc *doc, enum yw_pdf_kind kind, const char *a, const char *b,
          const char *c, size_t ns)
{
    struct yw_pdf_block *blk = add_block(doc, kind, ns);
    const char *src[3] = { a, b, c };
    for (size_t i = 0; i < ns; i++)
        blk->s[i] = text_dup(src[i]);
}

void
yw_pdf_heading(struct yw_pdf_doc *doc, const char *issuer_line, const char *title,
               const char *doc_no)
{
    add_texts(doc, YW_PDF_HEADING, issuer_line, title, doc_no, 3);
}

void
yw_pdf_paragraph(struct yw_pdf_doc *doc, const char *text)
{
    add_texts(doc, YW_PDF_PARAGRAPH, text, NULL, NULL, 1);
}

void
yw_pdf_line(struct yw_pdf_doc *doc, const char *text)
{
    add_texts(doc, YW_PDF_LINE, text, NULL, NULL, 1);
}

void
yw_pdf_note(struct yw_pdf_doc *doc, const char *text)
{
    add_texts(doc, YW_PDF_NOTE, text, NULL, NULL, 1);
}

void
yw_pdf_qr(struct yw_pdf_doc *doc, const char *url, const char *caption)
{
    add_texts(doc, YW_PDF_QR, url, caption, NULL, 2);
}

void
yw_pdf_signature(struct yw_pdf_doc *doc, const char *org, const char *date_text)
{
    add_texts(doc, YW_PDF_SIGNATURE, org, date_text, NULL, 2);
}

void
yw_pdf_fields(struct yw_pdf_doc *doc, const char *const *kv, size_t npairs)
{
    if (npairs == 0 || kv == NULL)
        return;
    struct yw_pdf_block *b = add_block(doc, YW_PDF_FIELDS, 2 * npairs);
    b->ncols = 2;
    b->nrows = npairs;
    for (size_t i = 0; i < 2 * npairs; i++)
        b->s[i] = text_dup(kv[i]);
}

void
yw_pdf_table(struct yw_pdf_doc *doc, const char *const *header, size_t ncols,
             const char *const *cells, size_t nrows)
{
    if (ncols == 0 || (cells == NULL && nrows > 0))
        return;
    size_t keep = ncols < YW_PDF_MAX_COLS ? ncols : YW_PDF_MAX_COLS;
    size_t nh = header ? keep : 0;
    struct yw_pdf_block *b = add_block(doc, YW_PDF_TABLE, nh + nrows * keep);
    b->ncols = keep;
    b->nrows = nrows;
    b->has_header = header != NULL;
    for (size_t c = 0; c < nh; c++)
        b->s[c] = text_dup(header[c]);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < keep; c++)
            b->s[nh + r * keep + c] = text_dup(cells[r * ncols + c]);
}

void
yw_pdf_space(struct yw_pdf_doc *doc, double mm)
{
    if (!(mm > 0))
        return;
    struct yw_pdf_block *b = add_block(doc, YW_PDF_SPACE, 0);
    b->pt = mm * 72.0 / 25.4;
}

void
yw_pdf_page_break(struct yw_pdf_doc *doc)
{
    add_block(doc, YW_PDF_BREAK, 0);
}
