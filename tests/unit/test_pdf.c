/*
 * test_pdf.c - unit tests of pdf/: notices rendered to PDF and read back with
 * poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm).
 *
 * What is checked: the bytes are a complete PDF (%PDF- ... %%EOF); a 受理通知书
 * with a 30-row materials table takes two pages and repeats the table header
 * on the second; the Noto CJK fonts are embedded as subsets; the Chinese text,
 * the page numbers "第 i 页 / 共 n 页" and the metadata come back out; the QR
 * code, rasterised at 300 dpi, has exactly the modules libqrencode computes for
 * the URL (so it scans); four threads render at once; bad input fails cleanly.
 *
 * Set YWTB_PDF_SAMPLE=/path/to/file.pdf to keep the sample notice for a look
 * (pdftoppm -png -r 60 file.pdf page).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <qrencode.h>

#include "core/cnid.h"
#include "core/err.h"
#include "pdf/pdf.h"

#define ITEM_NAME  "食品经营许可（新办）"
#define STATUS_URL "https://zwfw.xuhui.gov.cn/v/XH20261126000123?c=7f3a9c21"

static char tmpdir[64];

/* LeakSanitizer (make SANITIZE=1): two leaks that are not ywtb's.
 *  - fontconfig parses its configuration once, in pango's "[pango] FcInit"
 *    thread, and keeps pieces of it for the life of the process;
 *  - cairo 1.16's CFF subsetter does not free the FDArray index it reads from
 *    a CID-keyed font (768 bytes per Noto CJK font per document, inside
 *    cairo_surface_finish); later cairo releases finish that index.
 * The second pattern also covers our stream writer, which cairo calls from
 * cairo_surface_finish; the output buffer's ownership is checked by the tests
 * themselves (every rendered PDF is freed, and errors return NULL). */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

/* cairo and fontconfig are built without frame pointers: unwind allocations
 * the slow way so that the suppressions below see whole stacks. */
const char *
__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions(void)
{
    return "leak:FcInitLoadConfigAndFonts\n"
           "leak:cairo_surface_finish\n";
}

static int
setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ywtb-unit-pdf-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    yw_pdf_thread_release();
    return rc == 0 ? 0 : -1;
}

/* ---- helpers ---- */

/* Write bytes to tmpdir/name; returns the path (static buffer per call site). */
static void
write_file(const char *name, const char *p, size_t n, char *path, size_t pathsz)
{
    snprintf(path, pathsz, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Output of a shell command (malloc'd, NUL-terminated); asserts exit status 0. */
static char *
run_cmd(const char *cmd)
{
    FILE *fp = popen(cmd, "r");
    assert_non_null(fp);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t k;
    while ((k = fread(out + n, 1, cap - n - 1, fp)) > 0) {
        n += k;
        if (cap - n < 2) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    int st = pclose(fp);
    if (st != 0)
        fprintf(stderr, "command failed (%d): %s\n%s\n", st, cmd, out);
    assert_int_equal(st, 0);
    return out;
}

static char *
tool(const char *prog, const char *args, const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s '%s' 2>&1", prog, args, path);
    return run_cmd(cmd);
}

/* The value of "Name:   value" in pdfinfo output, cut at the line end (static). */
static const char *
info_field(const char *info, const char *name)
{
    static char val[256];
    char key[64];
    snprintf(key, sizeof key, "%s:", name);
    const char *p = strstr(info, key);
    assert_non_null(p);
    p += strlen(key);
    p += strspn(p, " ");
    size_t n = strcspn(p, "\n");
    assert_true(n < sizeof val);
    memcpy(val, p, n);
    val[n] = '\0';
    return val;
}

static int
pdf_pages(const char *path)
{
    char *info = tool("pdfinfo", "", path);
    const char *p = strstr(info, "\nPages:");
    assert_non_null(p);
    int pages = atoi(p + 7);
    free(info);
    return pages;
}

static void
assert_pdf_bytes(const char *p, size_t n)
{
    assert_true(n > 100);
    assert_memory_equal(p, "%PDF-", 5);
    size_t end = n;
    while (end > 0 && (p[end - 1] == '\n' || p[end - 1] == '\r' || p[end - 1] == ' '))
        end--;
    assert_true(end >= 5);
    assert_memory_equal(p + end - 5, "%%EOF", 5);
}

/* The 受理通知书 of one application, with `nmaterials` rows of materials. */
static struct yw_pdf_doc *
acceptance_notice(size_t nmaterials)
{
    char masked[19];
    yw_cnid_mask_id("31010419900307002X", masked);
    struct yw_pdf_doc *d = yw_pdf_new("受理通知书");
    yw_pdf_heading(d, "上海市徐汇区行政服务中心", "受理通知书",
                   "徐汇受〔2026〕第XH20261126000123号");
    yw_pdf_line(d, "张三：");
    yw_pdf_paragraph(d, "你（单位）于2026年11月26日提出的" ITEM_NAME "申请，经审查，申请材料齐全、"
                        "符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的"
                        "规定，决定予以受理。");
    const char *kv[] = {
        "申请人",       "张三",      "证件号码", masked,
        "事项名称",     ITEM_NAME,   "受理时间", "2026年11月26日 10:32",
        "承诺办结时限", "3个工作日", "办结日期", "2026年12月1日（遇法定节假日顺延）",
    };
    yw_pdf_fields(d, kv, sizeof kv / sizeof kv[0] / 2);
    if (nmaterials > 0) {
        yw_pdf_paragraph(d, "你提交的申请材料如下：");
        static const char *const header[] = { "序号", "材料名称", "份数", "形式", "备注" };
        static const char *const names[] = {
            "食品经营许可申请书",   "营业执照复印件",
            "法定代表人身份证明",   "与食品经营相适应的主要设备设施布局、操作流程等文件",
            "食品安全管理制度文本", "食品安全管理人员身份证明及培训合格证明",
        };
        char(*num)[24] = calloc(nmaterials, sizeof *num);
        const char **cells = calloc(nmaterials * 5, sizeof *cells);
        assert_non_null(num);
        assert_non_null(cells);
        for (size_t r = 0; r < nmaterials; r++) {
            snprintf(num[r], sizeof num[r], "%zu", r + 1);
            cells[r * 5 + 0] = num[r];
            cells[r * 5 + 1] = names[r % 6];
            cells[r * 5 + 2] = "1";
            cells[r * 5 + 3] = r % 2 ? "复印件" : "原件";
            cells[r * 5 + 4] = r % 7 == 3 ? "加盖公章，核对原件后退回" : "";
        }
        yw_pdf_table(d, header, 5, cells, nmaterials);
        free(cells);
        free(num);
    }
    yw_pdf_paragraph(
        d, "请凭本通知书及申请编号通过“一网通办”查询办理进度。如对受理有异议，"
           "可自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。");
    yw_pdf_signature(d, "上海市徐汇区行政服务中心", "2026年11月26日");
    yw_pdf_qr(d, STATUS_URL, "扫码查询办理进度");
    yw_pdf_note(d, "本通知书一式两份，一份交申请人，一份存档。咨询电话：021-12345。");
    return d;
}

/* ---- tests ---- */

/* 受理通知书 with 30 materials: two pages, fonts embedded, text readable. */
static void
test_acceptance_notice(void **state)
{
    (void)state;
    struct yw_pdf_doc *d = acceptance_notice(30);
    char *pdf = NULL;
    size_t n = 0;
    struct yw_err err = { { 0 }, { 0 } };
    assert_int_equal(yw_pdf_render(d, &pdf, &n, &err), 0);
    yw_pdf_free(d);
    assert_pdf_bytes(pdf, n);
    printf("# 受理通知书 with 30 materials: %zu bytes\n", n);

    char path[128];
    write_file("notice.pdf", pdf, n, path, sizeof path);
    const char *keep = getenv("YWTB_PDF_SAMPLE");
    if (keep && *keep) {
        FILE *fp = fopen(keep, "wb");
        if (fp) {
            fwrite(pdf, 1, n, fp);
            fclose(fp);
        }
    }
    free(pdf);

    int pages = pdf_pages(path);
    assert_true(pages >= 2);

    char *info = tool("pdfinfo", "", path);
    assert_string_equal(info_field(info, "Title"), "受理通知书");
    assert_string_equal(info_field(info, "Creator"), "ywtb");
    assert_string_equal(info_field(info, "Page size"), "595.276 x 841.89 pts (A4)");
    free(info);

    /* Every font is embedded and a subset ("ABCDEF+Name"); both Noto CJK faces appear. */
    char *fonts = tool("pdffonts", "", path);
    int serif = 0, sans = 0, lines = 0;
    char *save = NULL;
    for (char *ln = strtok_r(fonts, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        if (strncmp(ln, "name", 4) == 0 || strncmp(ln, "----", 4) == 0)
            continue;
        lines++;
        char name[128], type1[32], type2[32], type3[32], enc[32], emb[8], sub[8];
        /* e.g. "BAAAAA+NotoSerifCJKsc-Regular  CID Type 0C (OT)  Identity-H  yes yes yes  5  0" */
        int k = sscanf(ln, "%127s %31s %31s %31s %31s %7s %7s", name, type1, type2, type3, enc, emb,
                       sub);
        assert_int_equal(k, 7);
        assert_string_equal(emb, "yes");
        assert_string_equal(sub, "yes");
        assert_true(strlen(name) > 7 && name[6] == '+');
        if (strstr(name, "NotoSerifCJK"))
            serif++;
        if (strstr(name, "NotoSansCJK"))
            sans++;
    }
    free(fonts);
    assert_true(lines >= 2);
    assert_true(serif >= 1);
    assert_true(sans >= 1);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    char *text = run_cmd(cmd);
    assert_non_null(strstr(text, "受理通知书"));
    assert_non_null(strstr(text, "上海市徐汇区行政服务中心"));
    assert_non_null(strstr(text, "徐汇受〔2026〕第XH20261126000123号"));
    assert_non_null(strstr(text, ITEM_NAME));
    assert_non_null(strstr(text, "3101**********002X"));
    assert_non_null(strstr(text, "3个工作日"));
    assert_non_null(strstr(text, "承诺办结时限"));
    assert_non_null(strstr(text, "扫码查询办理进度"));
    assert_non_null(strstr(text, "2026年11月26日"));
    assert_null(strstr(text, "31010419900307002X")); /* only the mask is printed */
    char pn[64];
    snprintf(pn, sizeof pn, "第 1 页 / 共 %d 页", pages);
    assert_non_null(strstr(text, pn));
    snprintf(pn, sizeof pn, "第 %d 页 / 共 %d 页", pages, pages);
    assert_non_null(strstr(text, pn));
    free(text);

    /* The table header is repeated on the page the table continues on. */
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f 2 -l 2 '%s' -", path);
    text = run_cmd(cmd);
    assert_non_null(strstr(text, "材料名称"));
    assert_non_null(strstr(text, "序号"));
    free(text);
}

/* A one-page notice stays small: subset fonts, no images. */
static void
test_one_page_size(void **state)
{
    (void)state;
    struct yw_pdf_doc *d = acceptance_notice(3);
    char *pdf = NULL;
    size_t n = 0;
    assert_int_equal(yw_pdf_render(d, &pdf, &n, NULL), 0);
    yw_pdf_free(d);
    assert_pdf_bytes(pdf, n);
    printf("# one-page 受理通知书: %zu bytes (%.1f KB)\n", n, n / 1024.0);
    char path[128];
    write_file("one.pdf", pdf, n, path, sizeof path);
    free(pdf);
    assert_int_equal(pdf_pages(path), 1);
    assert_true(n > 10 * 1024);
    assert_true(n < 400 * 1024);
    char *imgs = tool("pdfimages", "-list", path);
    /* header line + separator line only: nothing was rasterised */
    int nl = 0;
    for (const char *p = imgs; *p; p++)
        nl += *p == '\n';
    assert_int_equal(nl, 2);
    free(imgs);
}

/* Read a binary PGM (P5) written by pdftoppm -gray. */
static unsigned char *
read_pgm(const char *path, int *w, int *h)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    int maxv;
    assert_int_equal(fscanf(fp, "P5 %d %d %d", w, h, &maxv), 3);
    assert_int_equal(maxv, 255);
    fgetc(fp);
    size_t sz = (size_t)*w * (size_t)*h;
    unsigned char *px = malloc(sz);
    assert_non_null(px);
    assert_int_equal(fread(px, 1, sz, fp), sz);
    fclose(fp);
    return px;
}

/* The drawn QR code has exactly libqrencode's modules for the URL (ISO/IEC
 * 18004 level M), read back from a 300 dpi rasterisation. */
static void
test_qr_modules(void **state)
{
    (void)state;
    struct yw_pdf_doc *d = yw_pdf_new("qr");
    yw_pdf_qr(d, STATUS_URL, NULL);
    char *pdf = NULL;
    size_t n = 0;
    assert_int_equal(yw_pdf_render(d, &pdf, &n, NULL), 0);
    yw_pdf_free(d);
    char path[128];
    write_file("qr.pdf", pdf, n, path, sizeof path);
    free(pdf);

    char cmd[400], pgm[160];
    snprintf(pgm, sizeof pgm, "%s/qr", tmpdir);
    snprintf(cmd, sizeof cmd, "pdftoppm -gray -r 300 -singlefile '%s' '%s'", path, pgm);
    free(run_cmd(cmd));
    strcat(pgm, ".pgm");
    int w, h;
    unsigned char *px = read_pgm(pgm, &w, &h);

    /* Bounding box of dark pixels in the upper half (the footer is at the bottom). */
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h / 2; y++)
        for (int x = 0; x < w; x++)
            if (px[(size_t)y * w + x] < 128) {
                if (x < x0)
                    x0 = x;
                if (x > x1)
                    x1 = x;
                if (y < y0)
                    y0 = y;
                if (y > y1)
                    y1 = y;
            }
    assert_true(x1 > x0 && y1 > y0);

    QRcode *q = QRcode_encodeString(STATUS_URL, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    double mw = (double)(x1 - x0 + 1) / q->width, mh = (double)(y1 - y0 + 1) / q->width;
    assert_true(mw > 4 && mw - mh < 0.5 && mh - mw < 0.5); /* square modules of some pixels */
    int wrong = 0;
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++) {
            int sx = x0 + (int)((c + 0.5) * mw), sy = y0 + (int)((r + 0.5) * mh);
            bool dark = px[(size_t)sy * w + sx] < 128;
            wrong += dark != (bool)(q->data[r * q->width + c] & 1);
        }
    assert_int_equal(wrong, 0);
    /* at the right margin: 20 mm at 300 dpi is ~236 px, the quiet zone 4 modules */
    int right = w - 1 - x1;
    assert_true(right > 236 && right < 236 + 5 * mw);
    QRcode_free(q);
    free(px);
}

struct job {
    const struct yw_pdf_doc *shared; /* NULL: build own documents */
    int rc;
    int ok;
    char path[128];
};

static void *
render_many(void *arg)
{
    struct job *j = arg;
    for (int i = 0; i < 3; i++) {
        struct yw_pdf_doc *own = j->shared ? NULL : acceptance_notice((size_t)(10 * i + 5));
        char *pdf = NULL;
        size_t n = 0;
        int rc = yw_pdf_render(j->shared ? j->shared : own, &pdf, &n, NULL);
        yw_pdf_free(own);
        if (rc != 0) {
            j->rc = rc;
            continue;
        }
        if (n > 100 && memcmp(pdf, "%PDF-", 5) == 0 && memmem(pdf + n - 8, 8, "%%EOF", 5))
            j->ok++;
        if (j->shared && i == 0) {
            FILE *fp = fopen(j->path, "wb");
            if (fp) {
                fwrite(pdf, 1, n, fp);
                fclose(fp);
            }
        }
        free(pdf);
    }
    return NULL;
}

/* Four threads render notices at once (each its own cairo/pango objects):
 * first each its own documents, then all the same document. */
static void
test_concurrent(void **state)
{
    (void)state;
    struct yw_pdf_doc *shared = acceptance_notice(30);
    for (int round = 0; round < 2; round++) {
        pthread_t th[4];
        struct job jobs[4];
        memset(jobs, 0, sizeof jobs);
        for (int i = 0; i < 4; i++) {
            jobs[i].shared = round ? shared : NULL;
            snprintf(jobs[i].path, sizeof jobs[i].path, "%s/thread%d.pdf", tmpdir, i);
            assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
        }
        for (int i = 0; i < 4; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        for (int i = 0; i < 4; i++) {
            assert_int_equal(jobs[i].rc, 0);
            assert_int_equal(jobs[i].ok, 3);
            if (round)
                assert_int_equal(pdf_pages(jobs[i].path), pdf_pages(jobs[0].path));
        }
    }
    yw_pdf_free(shared);
}

/* A long paragraph breaks between lines across pages; text stays in order. */
static void
test_long_paragraph(void **state)
{
    (void)state;
    struct yw_pdf_doc *d = yw_pdf_new("决定书");
    yw_pdf_heading(d, NULL, "决定书", NULL);
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    text[0] = '\0';
    for (int i = 0; i < 120; i++) {
        char s[160];
        snprintf(s, sizeof s, "第%d条依照《中华人民共和国行政许可法》第三十八条的规定作出决定。",
                 i + 1);
        strcat(text, s);
    }
    yw_pdf_paragraph(d, text);
    free(text);
    yw_pdf_page_break(d);
    yw_pdf_page_break(d); /* a second break on an empty page adds nothing */
    yw_pdf_note(d, "last page");
    char *pdf = NULL;
    size_t n = 0;
    assert_int_equal(yw_pdf_render(d, &pdf, &n, NULL), 0);
    yw_pdf_free(d);
    char path[128];
    write_file("long.pdf", pdf, n, path, sizeof path);
    free(pdf);
    int pages = pdf_pages(path);
    assert_true(pages >= 3);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pages, pages, path);
    char *last = run_cmd(cmd);
    assert_non_null(strstr(last, "last page"));
    assert_null(strstr(last, "第120条")); /* the break put the note alone on its page */
    free(last);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - | tr -d '\\n'", path);
    char *all = run_cmd(cmd);
    char *p1 = strstr(all, "第1条"), *p60 = strstr(all, "第60条"), *p120 = strstr(all, "第120条");
    assert_true(p1 && p60 && p120 && p1 < p60 && p60 < p120);
    free(all);
}

/* Bad input fails with a code and a message; odd input still renders. */
static void
test_errors(void **state)
{
    (void)state;
    char *pdf = (char *)"x";
    size_t n = 7;
    struct yw_err err = { { 0 }, { 0 } };
    assert_int_equal(yw_pdf_render(NULL, &pdf, &n, &err), YW_EINVAL);
    yw_pdf_free(NULL);

    /* A URL longer than a version-40 QR code at level M holds (2331 bytes). */
    char *url = malloc(3001);
    assert_non_null(url);
    memset(url, 'a', 3000);
    url[3000] = '\0';
    struct yw_pdf_doc *d = yw_pdf_new("too long");
    yw_pdf_paragraph(d, "x");
    yw_pdf_qr(d, url, "caption");
    free(url);
    assert_int_equal(yw_pdf_render(d, &pdf, &n, &err), YW_EINVAL);
    assert_null(pdf);
    assert_int_equal(n, 0);
    assert_string_equal(err.field, "qr");
    assert_non_null(strstr(err.msg, "too long"));
    yw_pdf_free(d);

    /* Invalid UTF-8, NULLs, empty tables and a lone signature still render. */
    d = yw_pdf_new(NULL);
    yw_pdf_heading(d, "\xff\xfe bad", NULL, "");
    yw_pdf_paragraph(d, NULL);
    yw_pdf_fields(d, NULL, 3);
    const char *const hdr[] = { "一", "二" };
    yw_pdf_table(d, hdr, 2, NULL, 0);
    const char *const cells[] = { NULL, "值" };
    yw_pdf_table(d, NULL, 2, cells, 1);
    yw_pdf_space(d, 10);
    yw_pdf_space(d, -3);
    yw_pdf_signature(d, "某单位", NULL);
    assert_int_equal(yw_pdf_render(d, &pdf, &n, &err), 0);
    assert_pdf_bytes(pdf, n);
    char path[128];
    write_file("odd.pdf", pdf, n, path, sizeof path);
    free(pdf);
    yw_pdf_free(d);
    assert_int_equal(pdf_pages(path), 1);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    char *text = run_cmd(cmd);
    assert_non_null(strstr(text, "\xef\xbf\xbd")); /* U+FFFD for the bad bytes */
    assert_non_null(strstr(text, "某单位"));
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acceptance_notice), cmocka_unit_test(test_one_page_size),
        cmocka_unit_test(test_qr_modules),        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_long_paragraph),    cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
