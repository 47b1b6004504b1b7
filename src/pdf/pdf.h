/*
 * pdf.h - printable Chinese notices as PDF: 受理通知书, 补正告知书, 不予受理通知书,
 * 决定书 and e-license prints.
 *
 * A document is data, not code: a caller builds a list of blocks (heading,
 * paragraphs, label/value fields, ruled tables, a QR code, the signature with
 * its seal, footnotes) and renders it.  Rendering lays the blocks out twice on
 * one cairo PDF surface: a measuring pass that paginates (and so learns the page
 * count), then a drawing pass that writes "第 1 页 / 共 N 页" on every page.
 *
 * Text goes through pango with the fonts of fonts-noto-cjk: "Noto Serif CJK SC"
 * for body text, "Noto Sans CJK SC" bold for headings.  cairo embeds only the
 * glyphs used (a subset per font), so a one-page notice is about 100-200 KB and
 * looks the same in every viewer (DESIGN.md, "PDF with Chinese text").  The QR
 * code is encoded by libqrencode (error correction level M) and drawn as
 * vector rectangles; the seal is a drawn red ring with a star.
 *
 * Page: A4 portrait, 20 mm margins.  All text must be UTF-8; invalid bytes are
 * replaced by U+FFFD when the block is added.  NULL strings count as "".
 *
 * Threads: a document is built by one thread.  yw_pdf_render() does not modify
 * the document and keeps all cairo/pango objects local to the call (pango's
 * font map is per thread), so any number of threads may render at once, even
 * the same document.
 *
 * Ownership: every function copies the strings it is given; the caller keeps
 * its own.  The document owns its blocks until yw_pdf_free().
 */
#ifndef YW_PDF_PDF_H
#define YW_PDF_PDF_H

#include <stddef.h>

#include "core/err.h"

struct yw_pdf_doc;

/* A new, empty document.  `title` becomes the PDF Title metadata (the Creator
 * is "ywtb").  Never NULL (allocation failure aborts). */
struct yw_pdf_doc *yw_pdf_new(const char *title);
/* Free a document and everything it holds; NULL is a no-op. */
void yw_pdf_free(struct yw_pdf_doc *doc);

/* The centred head of a notice: the issuing office ("上海市徐汇区行政服务中心"),
 * the notice's name in large bold sans ("受理通知书") and its document number
 * ("徐汇受〔2026〕第XH20261126000123号"), followed by a thin rule.  Any of the
 * three may be NULL or "" to leave that line out. */
void yw_pdf_heading(struct yw_pdf_doc *doc, const char *issuer_line, const char *title,
                    const char *doc_no);

/* A body paragraph: justified, first line indented by two characters, broken
 * across pages line by line.  A '\n' in `text` starts a new paragraph. */
void yw_pdf_paragraph(struct yw_pdf_doc *doc, const char *text);

/* Body text that is not indented ("张三：" before the first paragraph). */
void yw_pdf_line(struct yw_pdf_doc *doc, const char *text);

/* Label/value rows in a ruled two-column table with a shaded label column.
 * kv = { label0, value0, label1, value1, ... } holds `npairs` pairs.  Values
 * wrap; a row never splits across pages. */
void yw_pdf_fields(struct yw_pdf_doc *doc, const char *const *kv, size_t npairs);

/* A ruled table of `nrows` rows of `ncols` cells; `cells` is row-major
 * (cells[r * ncols + c]).  `header` holds ncols column titles, or is NULL for a
 * table without a header row.  Column widths follow the content, cells wrap,
 * rows never split, and the header is repeated at the top of every page the
 * table continues on.  At most 16 columns are kept (A4 portrait has no room
 * for more); ncols == 0 adds nothing. */
void yw_pdf_table(struct yw_pdf_doc *doc, const char *const *header, size_t ncols,
                  const char *const *cells, size_t nrows);

/* A QR code (error correction level M, about 26 mm wide) encoding `url`, with
 * `caption` in small text under it ("扫码查询办理进度").  Added right before or
 * right after yw_pdf_signature(), it stands at the right of the signature
 * block; elsewhere it stands at the right margin where the flow is.  A URL too
 * long for a QR code makes yw_pdf_render() fail with YW_EINVAL. */
void yw_pdf_qr(struct yw_pdf_doc *doc, const char *url, const char *caption);

/* The symbol yw_pdf_qr() draws for `text` (level M, 8-bit mode, the smallest
 * version that fits), as a standalone SVG document for a screen: a white
 * square of the symbol plus its 4-module quiet zone, viewBox in modules (4 px
 * each by default), the dark modules as one path of horizontal runs
 * ("M<x> <y>h<run>v1h-<run>z") and the symbol's width in modules as
 * data-modules.  On success *out is malloc'd (the caller frees it) and *len
 * its length.  YW_EINVAL when `text` is NULL or too long for a QR code.
 * Thread-safe. */
int yw_pdf_qr_svg(const char *text, char **out, size_t *len, struct yw_err *err);

/* The issuing organisation and the date ("2026年11月26日"), centred on each
 * other and set to the right, under a drawn red seal: a ring with a five-pointed
 * star, pressed on the organisation name and date as GB/T 9704-2012 §7.3.5.1
 * places a seal (署名和成文日期居印章中心偏下). */
void yw_pdf_signature(struct yw_pdf_doc *doc, const char *org, const char *date_text);

/* A small grey footnote paragraph (not indented). */
void yw_pdf_note(struct yw_pdf_doc *doc, const char *text);

/* Vertical space of `mm` millimetres (dropped at the top of a page). */
void yw_pdf_space(struct yw_pdf_doc *doc, double mm);

/* Start a new page here (ignored when nothing is on the current page yet). */
void yw_pdf_page_break(struct yw_pdf_doc *doc);

/* Render the document: on success *out is the PDF (malloc'd, the caller frees
 * it; NUL-terminated after *len bytes for convenience) and 0 is returned.
 * Pages break automatically; each page carries "第 i 页 / 共 n 页" at the
 * bottom.  Errors: YW_EINVAL for NULL arguments or a URL too long for a QR code;
 * YW_EINTERNAL when the Noto CJK fonts are not installed or cairo fails;
 * YW_EIO when writing the PDF stream fails.  `err` (optional) says what failed.
 * Thread-safe; does not modify `doc`. */
int yw_pdf_render(const struct yw_pdf_doc *doc, char **out, size_t *len, struct yw_err *err);

/* Release the calling thread's pango font map (fonts loaded for rendering).
 * Other threads' font maps are released when those threads exit; the main
 * thread calls this before exit so leak checkers stay quiet.  Safe at any
 * time: a later render in the thread loads the fonts again. */
void yw_pdf_thread_release(void);

#endif
