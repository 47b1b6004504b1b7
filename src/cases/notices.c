/*
 * notices.c - the documents a case produces, as PDF with Chinese text and a QR
 * code that opens the public status page:
 *
 *   receipt         收件回执        when a case was submitted and awaits the window
 *   acceptance      受理通知书      once accepted (《行政许可法》第三十二条)
 *   supplement      补正告知书      the one-time notice listing everything missing
 *   not_accepted    不予受理通知书  with the reason and the applicant's remedies
 *   decision        准予/不予许可决定书 once decided
 *   status          办件进度查询单  the public sheet a kiosk prints (no personal data)
 *
 * GET /api/v1/cases/{case_no}/receipt.pdf answers the notice that fits the
 * case's status; /notices/{kind}.pdf asks for one kind (409 when it does not
 * apply yet).
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/cnid.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISSUER "上海市徐汇区行政服务中心"

static void
cn_date(const char *iso, char *out, size_t n)
{
    int64_t ms;
    if (iso == NULL || yw_clock_parse(iso, &ms) != 0) {
        snprintf(out, n, "%s", iso ? iso : "");
        return;
    }
    char d[11];
    yw_cal_day_text(yw_cal_day_of_ms(ms), d);
    snprintf(out, n, "%.4s年%d月%d日", d, atoi(d + 5), atoi(d + 8));
}

static void
cn_day(int64_t day, char *out, size_t n)
{
    char d[11];
    yw_cal_day_text(day, d);
    snprintf(out, n, "%.4s年%d月%d日", d, atoi(d + 5), atoi(d + 8));
}

static const char *
status_text(const char *s)
{
    static const char *const map[][2] = { { "draft", "草稿" },
                                          { "submitted", "已提交，待受理" },
                                          { "supplement_requested", "待补正" },
                                          { "accepted", "已受理，审查中" },
                                          { "approved", "已办结（准予）" },
                                          { "denied", "已办结（不予）" },
                                          { "not_accepted", "不予受理" },
                                          { "withdrawn", "已撤回" },
                                          { "on_hold", "待缴费" } };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], s))
            return map[i][1];
    return s;
}

/* The status page URL encoded in every QR code. */
static void
status_url(const char *base, const struct yw_case *k, char *out, size_t n)
{
    snprintf(out, n, "%s/status.html?case_no=%s", base, k->case_no);
}

/* The table of the case's materials; an error when they cannot be read (a
 * notice never lists fewer materials than the applicant handed in). */
static int
materials_table(struct yw_pdf_doc *doc, struct yw_dbc *c, const struct yw_case *k,
                struct yw_err *err)
{
    struct yw_stmt *s =
        k->archived /* a single-item case: its own materials, from the archive */
            ? yw_db_query(c,
                          "SELECT name, required, source FROM case_materials_archive WHERE "
                          "case_id = ? ORDER BY sort",
                          "i", k->id)
            /* the case's own, then its sub-cases' through cases_parent: each
             * half index-driven whatever the statistics (an OR over both was
             * a sequential scan of case_materials on a new database) */
            : yw_db_query(c,
                          "SELECT name, required, source FROM (SELECT m.case_id AS cid, m.sort AS "
                          "srt, m.name, m.required, m.source FROM case_materials m WHERE "
                          "m.case_id = ? UNION ALL SELECT m.case_id, m.sort, m.name, m.required, "
                          "m.source FROM cases x JOIN case_materials m ON m.case_id = x.id WHERE "
                          "x.parent_id = ?) u ORDER BY cid, srt",
                          "ii", k->id, k->id);
    if (s == NULL)
        return yw_fail(err, YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
    const char *header[] = { "序号", "材料名称", "要求", "提交方式" };
    size_t cap = 64, rows = 0;
    char **cells = yw_xcalloc(cap * 4, sizeof *cells);
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (rows == cap) {
            cap *= 2;
            cells = yw_xrealloc(cells, cap * 4 * sizeof *cells);
        }
        char no[16];
        snprintf(no, sizeof no, "%zu", rows + 1);
        const char *src = yw_db_col_text(s, 2);
        cells[rows * 4] = yw_xstrdup(no);
        cells[rows * 4 + 1] = yw_xstrdup(yw_db_col_text(s, 0));
        cells[rows * 4 + 2] =
            yw_xstrdup(!strcmp(yw_db_col_text(s, 1), "required") ? "必交" : "容缺/情形");
        cells[rows * 4 + 3] = yw_xstrdup(!strcmp(src, "license") ? "电子证照免交"
                                         : !strcmp(src, "file")  ? "已上传"
                                                                 : "未提交");
        rows++;
    }
    rc = yw_db_finish(s, rc);
    if (rc == 0 && rows)
        yw_pdf_table(doc, header, 4, (const char *const *)cells, rows);
    for (size_t i = 0; i < rows * 4; i++)
        free(cells[i]);
    free(cells);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the materials of case '%s'", k->case_no);
    return 0;
}

static void
applicant_fields(struct yw_pdf_doc *doc, const struct yw_case *k, const char *extra_label,
                 const char *extra_value)
{
    char ident[24];
    if (!strcmp(k->applicant_kind, "person"))
        yw_cnid_mask_id(k->applicant_ident, ident);
    else
        snprintf(ident, sizeof ident, "%s", k->applicant_ident);
    char submitted[32];
    cn_date(k->submitted_at[0] ? k->submitted_at : k->created_at, submitted, sizeof submitted);
    const char *kv[] = { "申请人",
                         k->applicant_name,
                         !strcmp(k->applicant_kind, "person") ? "证件号码" : "统一社会信用代码",
                         ident,
                         "办件编号",
                         k->case_no,
                         "事项名称",
                         k->title,
                         "申请时间",
                         submitted,
                         extra_label,
                         extra_value };
    yw_pdf_fields(doc, kv, extra_label ? 6 : 5);
}

/* ---- the notices, one builder per kind ---- */

/* A notice's document with its heading, number (徐汇收〔2026〕第XH...号) and
 * addressee line: the start every notice shares. */
static struct yw_pdf_doc *
notice_open(const struct yw_case *k, const char *title, const char *heading, const char *prefix)
{
    struct yw_pdf_doc *doc = yw_pdf_new(title);
    char no[96], para[1200];
    snprintf(no, sizeof no, "%s〔%.4s〕第%s号", prefix, k->case_no + 2, k->case_no);
    yw_pdf_heading(doc, ISSUER, heading, no);
    snprintf(para, sizeof para, "%s：", k->applicant_name);
    yw_pdf_line(doc, para);
    return doc;
}

/* How a notice addresses the applicant: 你 to a person, 你单位 to a company
 * (never "你（单位）" to both). */
static const char *
you(const struct yw_case *k)
{
    return k->applicant_kind && !strcmp(k->applicant_kind, "enterprise") ? "你单位" : "你";
}

/* 收件回执: the case was received and awaits the window. */
static int
receipt(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **out, struct yw_err *err)
{
    struct yw_pdf_doc *doc = *out = notice_open(k, "收件回执", "收 件 回 执", "徐汇收");
    char para[1200];
    snprintf(para, sizeof para,
             "%s提交的%s申请已收到，综合窗口将在受理时限内审查是否受理，可凭办件编号随时查询进度。",
             you(k), k->title);
    yw_pdf_paragraph(doc, para);
    applicant_fields(doc, k, "当前状态", status_text(k->status));
    return materials_table(doc, c, k, err);
}

/* 受理通知书: accepted, with the promised and the legal due dates. */
static int
acceptance(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **out, struct yw_err *err)
{
    struct yw_pdf_doc *doc = *out = notice_open(k, "受理通知书", "受 理 通 知 书", "徐汇受");
    char para[1200], acc[32];
    cn_date(k->accepted_at, acc, sizeof acc);
    snprintf(
        para, sizeof para,
        "%s提出的%s申请，经审查，申请材料齐全，符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。",
        you(k), k->title);
    yw_pdf_paragraph(doc, para);
    char limit[64], due[32], legal[32];
    snprintf(limit, sizeof limit, "%d个工作日（法定%d个工作日）", k->promised_days, k->legal_days);
    if (k->due_day)
        cn_day(k->due_day, due, sizeof due);
    else
        snprintf(due, sizeof due, "审查开始后计算");
    if (k->legal_due_day)
        cn_day(k->legal_due_day, legal, sizeof legal);
    else
        snprintf(legal, sizeof legal, "-");
    const char *kv[] = { "申请人",       k->applicant_name,
                         "办件编号",     k->case_no,
                         "事项名称",     k->title,
                         "受理时间",     acc,
                         "承诺办结时限", limit,
                         "承诺办结日期", due,
                         "法定办结日期", legal };
    yw_pdf_fields(doc, kv, 7);
    yw_pdf_line(doc, "你提交的申请材料如下：");
    int rc = materials_table(doc, c, k, err);
    yw_pdf_note(
        doc,
        "办结日期按工作日计算，遇法定节假日顺延；补正、公示、检验检测、听证等特别程序时间不计入办理时限。");
    return rc;
}

/* 补正告知书: everything missing, told once (《行政许可法》第三十二条第一款第（四）项). */
static int
supplement(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **out, struct yw_err *err)
{
    struct yw_pdf_doc *doc = *out = notice_open(k, "补正告知书", "补 正 材 料 告 知 书", "徐汇补");
    char para[1200];
    snprintf(
        para, sizeof para,
        "%s提出的%s申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知需要补正的全部内容如下，请补正后重新提交。",
        you(k), k->title);
    yw_pdf_paragraph(doc, para);
    json_t *notice = json_loads(k->supplement, 0, NULL);
    json_t *items = json_object_get(notice, "items");
    size_t n = json_array_size(items);
    const char **cells = yw_xcalloc(n * 3 + 1, sizeof *cells);
    char(*nums)[24] = yw_xcalloc(n + 1, sizeof *nums);
    char(*names)[256] = yw_xcalloc(n + 1, sizeof *names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        snprintf(nums[i], sizeof nums[i], "%zu", i + 1);
        cells[i * 3] = nums[i];
        const char *what = json_string_value(json_object_get(it, "what"));
        /* a material code is shown by its name (a form field by its key);
         * a failed read renders no notice rather than a code for a name */
        if (rc == 0) {
            int qrc = yw_case__material_name(c, k, what, names[i], sizeof names[i]);
            if (qrc == 0)
                what = names[i];
            else if (qrc != YW_ENOTFOUND)
                rc = yw_fail(err, qrc, "", "cannot read the materials of case '%s'", k->case_no);
        }
        cells[i * 3 + 1] = what;
        cells[i * 3 + 2] = json_string_value(json_object_get(it, "reason"));
    }
    const char *header[] = { "序号", "需补正的材料或内容", "补正要求" };
    yw_pdf_table(doc, header, 3, cells, n);
    const char *note = json_string_value(json_object_get(notice, "note"));
    if (note && *note)
        yw_pdf_paragraph(doc, note);
    free(cells);
    free(nums);
    free(names);
    json_decref(notice);
    yw_pdf_note(doc, "本告知为一次性告知；补正材料提交后即进入受理审查。");
    return rc;
}

/* 不予受理通知书: the reason and the applicant's remedies. */
static int
not_accepted(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **out, struct yw_err *err)
{
    (void)c;
    (void)err;
    struct yw_pdf_doc *doc = *out =
        notice_open(k, "不予受理通知书", "不 予 受 理 通 知 书", "徐汇不受");
    char para[1200];
    snprintf(para, sizeof para, "%s提出的%s申请，经审查，决定不予受理。理由如下：%s", you(k),
             k->title, k->result_note);
    yw_pdf_paragraph(doc, para);
    yw_pdf_paragraph(
        doc,
        "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。");
    applicant_fields(doc, k, NULL, NULL);
    return 0;
}

/* 准予/不予许可决定书 (《行政许可法》第三十八条) with every department's review. */
static int
decision(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **out, struct yw_err *err)
{
    bool approved = !strcmp(k->status, CS_APPROVED);
    struct yw_pdf_doc *doc = *out =
        notice_open(k, approved ? "准予许可决定书" : "不予许可决定书",
                    approved ? "准 予 许 可 决 定 书" : "不 予 许 可 决 定 书", "徐汇决");
    char para[1200], acc[32];
    cn_date(k->accepted_at, acc, sizeof acc);
    if (approved)
        snprintf(
            para, sizeof para,
            "%s于%s受理的%s申请，经审查，符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予许可。",
            you(k), acc, k->title);
    else
        snprintf(
            para, sizeof para,
            "%s于%s受理的%s申请，经审查，不符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第二款的规定，决定不予许可。理由：%s。如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
            you(k), acc, k->title, k->result_note);
    yw_pdf_paragraph(doc, para);
    int rc = 0;
    json_t *tasks = yw_case__tasks_json(c, k);
    if (tasks == NULL) /* a decision never shows fewer reviews than were made */
        rc = yw_fail(err, YW_EDB, "", "cannot read the reviews of case '%s'", k->case_no);
    size_t n = json_array_size(tasks), rows = 0;
    const char **cells = yw_xcalloc(n * 3 + 1, sizeof *cells);
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(tasks, i);
        const char *ts = json_string_value(json_object_get(t, "status"));
        if (!strcmp(ts, "cancelled") || !strcmp(ts, "rerouted"))
            continue;
        cells[rows * 3] = json_string_value(json_object_get(t, "dept_name"));
        cells[rows * 3 + 1] = !strcmp(ts, "approved") ? "同意"
                              : !strcmp(ts, "denied") ? "不同意"
                              : !strcmp(ts, "done")   ? "已出具意见"
                                                      : ts;
        cells[rows * 3 + 2] = json_string_value(json_object_get(t, "opinion"));
        rows++;
    }
    const char *header[] = { "审查部门", "审查结论", "审查意见" };
    if (rows)
        yw_pdf_table(doc, header, 3, cells, rows);
    free(cells);
    json_decref(tasks);
    return rc;
}

static bool
is_decided(const struct yw_case *k)
{
    return !strcmp(k->status, CS_APPROVED) || !strcmp(k->status, CS_DENIED);
}

/* Does the notice of this kind exist for the case yet? */
static bool
has_receipt(const struct yw_case *k)
{
    return strcmp(k->status, CS_DRAFT) != 0;
}

static bool
has_acceptance(const struct yw_case *k)
{
    return k->accepted_at[0] != '\0';
}

static bool
has_supplement(const struct yw_case *k)
{
    return k->supplement[0] != '\0';
}

static bool
has_not_accepted(const struct yw_case *k)
{
    return !strcmp(k->status, CS_NOT_ACCEPTED);
}

/* kind name -> when it exists, its builder, and the statuses whose "auto"
 * notice it is (the one GET .../receipt.pdf answers). */
static const struct notice_kind {
    const char *kind;
    bool (*applies)(const struct yw_case *k);
    int (*build)(struct yw_dbc *c, const struct yw_case *k, struct yw_pdf_doc **doc,
                 struct yw_err *err);
    const char *auto_for[2];
} kinds[] = {
    { "receipt", has_receipt, receipt, { CS_SUBMITTED } },
    { "supplement", has_supplement, supplement, { CS_SUPPLEMENT } },
    { "not_accepted", has_not_accepted, not_accepted, { CS_NOT_ACCEPTED } },
    { "decision", is_decided, decision, { CS_APPROVED, CS_DENIED } },
    { "acceptance", has_acceptance, acceptance, { CS_ACCEPTED } },
};

/* The notice that fits the case's status ("auto"), or NULL. */
static const struct notice_kind *
auto_kind(const struct yw_case *k)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        for (size_t j = 0; j < 2; j++)
            if (kinds[i].auto_for[j] && !strcmp(kinds[i].auto_for[j], k->status))
                return &kinds[i];
    return NULL;
}

int
yw_case__notice(struct yw_dbc *c, const struct yw_case *k, const char *kind, const char *base_url,
                char **out, size_t *len, struct yw_err *err)
{
    const struct notice_kind *nk = NULL;
    if (!strcmp(kind, "auto")) {
        if ((nk = auto_kind(k)) == NULL)
            return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s': it has no notice", k->case_no,
                           k->status);
    } else {
        for (size_t i = 0; nk == NULL && i < sizeof kinds / sizeof kinds[0]; i++)
            if (!strcmp(kinds[i].kind, kind))
                nk = &kinds[i];
    }
    if (nk == NULL || !nk->applies(k))
        return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s': there is no %s notice for it",
                       k->case_no, k->status, nk ? nk->kind : kind);

    char url[256], today[32], now_iso[32];
    status_url(base_url, k, url, sizeof url);
    yw_clock_format(yw_clock_now_ms(), now_iso);
    cn_date(now_iso, today, sizeof today);
    struct yw_pdf_doc *doc = NULL;
    int rc = nk->build(c, k, &doc, err);
    if (rc == 0) {
        yw_pdf_qr(doc, url, "扫码查询办理进度");
        yw_pdf_signature(doc, ISSUER, today);
        rc = yw_pdf_render(doc, out, len, err);
    }
    yw_pdf_free(doc);
    return rc;
}

int
yw_case__status_sheet(const struct yw_case *k, const char *base_url, char **out, size_t *len,
                      struct yw_err *err)
{
    char url[256], today[32], now_iso[32];
    status_url(base_url, k, url, sizeof url);
    yw_clock_format(yw_clock_now_ms(), now_iso);
    cn_date(now_iso, today, sizeof today);
    struct yw_pdf_doc *doc = yw_pdf_new("办件进度查询单");
    yw_pdf_heading(doc, ISSUER, "办 件 进 度 查 询 单", k->case_no);
    char due[32] = "-", submitted[32];
    if (k->due_day)
        cn_day(k->due_day, due, sizeof due);
    cn_date(k->submitted_at, submitted, sizeof submitted);
    const char *kv[] = { "办件编号",     k->case_no, "事项名称", k->title,
                         "提交时间",     submitted,  "当前状态", status_text(k->status),
                         "承诺办结日期", due };
    yw_pdf_fields(doc, kv, 5);
    yw_pdf_note(doc, "本查询单不含个人信息，仅供查询办理进度使用。");
    yw_pdf_qr(doc, url, "扫码查询办理进度");
    yw_pdf_signature(doc, ISSUER, today);
    int rc = yw_pdf_render(doc, out, len, err);
    yw_pdf_free(doc);
    return rc;
}
