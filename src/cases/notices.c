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
    static const char *const map[][2] = { { "draft", "草稿" },           { "submitted", "已提交，待受理" },
                                          { "supplement_requested", "待补正" }, { "accepted", "已受理，审查中" },
                                          { "approved", "已办结（准予）" }, { "denied", "已办结（不予）" },
                                          { "not_accepted", "不予受理" },     { "withdrawn", "已撤回" } };
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
materials_table(struct yw_pdf_doc *doc, struct yw_dbc *c, const struct yw_case *k, struct yw_err *err)
{
    struct yw_stmt *s = yw_db_prepare(c, "SELECT m.name, m.required, m.source FROM case_materials m JOIN cases x ON "
                                         "x.id = m.case_id WHERE x.id = ? OR x.parent_id = ? ORDER BY x.id, m.sort");
    if (s == NULL)
        return yw_fail(err, YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
    yw_db_bind_int(s, 1, k->id);
    yw_db_bind_int(s, 2, k->id);
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
        cells[rows * 4 + 2] = yw_xstrdup(!strcmp(yw_db_col_text(s, 1), "required") ? "必交" : "容缺/情形");
        cells[rows * 4 + 3] = yw_xstrdup(!strcmp(src, "license") ? "电子证照免交" : !strcmp(src, "file") ? "已上传" : "未提交");
        rows++;
    }
    yw_db_reset(s);
    if (rc == YW_DONE && rows)
        yw_pdf_table(doc, header, 4, (const char *const *)cells, rows);
    for (size_t i = 0; i < rows * 4; i++)
        free(cells[i]);
    free(cells);
    if (rc != YW_DONE)
        return yw_fail(err, rc < 0 ? rc : YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
    return 0;
}

static void
applicant_fields(struct yw_pdf_doc *doc, const struct yw_case *k, const char *extra_label, const char *extra_value)
{
    char ident[24];
    if (!strcmp(k->applicant_kind, "person"))
        yw_cnid_mask_id(k->applicant_ident, ident);
    else
        snprintf(ident, sizeof ident, "%s", k->applicant_ident);
    char submitted[32];
    cn_date(k->submitted_at[0] ? k->submitted_at : k->created_at, submitted, sizeof submitted);
    const char *kv[] = { "申请人", k->applicant_name, !strcmp(k->applicant_kind, "person") ? "证件号码" : "统一社会信用代码",
                         ident, "办件编号", k->case_no, "事项名称", k->title, "申请时间", submitted,
                         extra_label, extra_value };
    yw_pdf_fields(doc, kv, extra_label ? 6 : 5);
}

int
yw_case_notice(struct yw_dbc *c, const struct yw_case *k, const char *kind, const char *base_url, char **out, size_t *len,
               struct yw_err *err)
{
    const char *st = k->status;
    if (!strcmp(kind, "auto")) {
        if (!strcmp(st, CS_SUBMITTED))
            kind = "receipt";
        else if (!strcmp(st, CS_SUPPLEMENT))
            kind = "supplement";
        else if (!strcmp(st, CS_NOT_ACCEPTED))
            kind = "not_accepted";
        else if (!strcmp(st, CS_APPROVED) || !strcmp(st, CS_DENIED))
            kind = "decision";
        else if (!strcmp(st, CS_ACCEPTED))
            kind = "acceptance";
        else
            return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s': it has no notice", k->case_no, st);
    }
    bool ok = (!strcmp(kind, "receipt") && strcmp(st, CS_DRAFT)) ||
              (!strcmp(kind, "acceptance") && k->accepted_at[0]) ||
              (!strcmp(kind, "supplement") && k->supplement[0]) || (!strcmp(kind, "not_accepted") && !strcmp(st, CS_NOT_ACCEPTED)) ||
              (!strcmp(kind, "decision") && (!strcmp(st, CS_APPROVED) || !strcmp(st, CS_DENIED)));
    if (!ok)
        return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s': there is no %s notice for it", k->case_no, st, kind);

    char url[256], today[32], no[96], now_iso[32];
    status_url(base_url, k, url, sizeof url);
    yw_clock_format(yw_clock_now_ms(), now_iso);
    cn_date(now_iso, today, sizeof today);
    struct yw_pdf_doc *doc = NULL;
    char para[1200];
    int rc = 0;
    if (!strcmp(kind, "receipt")) {
        doc = yw_pdf_new("收件回执");
        snprintf(no, sizeof no, "徐汇收〔%.4s〕第%s号", k->case_no + 2, k->case_no);
        yw_pdf_heading(doc, ISSUER, "收 件 回 执", no);
        snprintf(para, sizeof para, "%s：", k->applicant_name);
        yw_pdf_line(doc, para);
        snprintf(para, sizeof para, "你（单位）提交的%s申请已收到，综合窗口将在受理时限内审查是否受理，可凭办件编号随时查询进度。",
                 k->title);
        yw_pdf_paragraph(doc, para);
        applicant_fields(doc, k, "当前状态", status_text(st));
        rc = materials_table(doc, c, k, err);
    } else if (!strcmp(kind, "acceptance")) {
        doc = yw_pdf_new("受理通知书");
        snprintf(no, sizeof no, "徐汇受〔%.4s〕第%s号", k->case_no + 2, k->case_no);
        yw_pdf_heading(doc, ISSUER, "受 理 通 知 书", no);
        snprintf(para, sizeof para, "%s：", k->applicant_name);
        yw_pdf_line(doc, para);
        char acc[32];
        cn_date(k->accepted_at, acc, sizeof acc);
        snprintf(para, sizeof para,
                 "你（单位）提出的%s申请，经审查，申请材料齐全，符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。",
                 k->title);
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
        const char *kv[] = { "申请人", k->applicant_name, "办件编号", k->case_no, "事项名称", k->title,
                             "受理时间", acc, "承诺办结时限", limit, "承诺办结日期", due, "法定办结日期", legal };
        yw_pdf_fields(doc, kv, 7);
        yw_pdf_line(doc, "你提交的申请材料如下：");
        rc = materials_table(doc, c, k, err);
        yw_pdf_note(doc, "办结日期按工作日计算，遇法定节假日顺延；补正、公示、检验检测、听证等特别程序时间不计入办理时限。");
    } else if (!strcmp(kind, "supplement")) {
        doc = yw_pdf_new("补正告知书");
        snprintf(no, sizeof no, "徐汇补〔%.4s〕第%s号", k->case_no + 2, k->case_no);
        yw_pdf_heading(doc, ISSUER, "补 正 材 料 告 知 书", no);
        snprintf(para, sizeof para, "%s：", k->applicant_name);
        yw_pdf_line(doc, para);
        snprintf(para, sizeof para,
                 "你（单位）提出的%s申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知需要补正的全部内容如下，请补正后重新提交。",
                 k->title);
        yw_pdf_paragraph(doc, para);
        json_t *notice = json_loads(k->supplement, 0, NULL);
        json_t *items = json_object_get(notice, "items");
        size_t n = json_array_size(items);
        const char **cells = yw_xcalloc(n * 3 + 1, sizeof *cells);
        char (*nums)[24] = yw_xcalloc(n + 1, sizeof *nums);
        char (*names)[256] = yw_xcalloc(n + 1, sizeof *names);
        for (size_t i = 0; i < n; i++) {
            json_t *it = json_array_get(items, i);
            snprintf(nums[i], sizeof nums[i], "%zu", i + 1);
            cells[i * 3] = nums[i];
            const char *what = json_string_value(json_object_get(it, "what"));
            /* a material code is shown by its name (a form field by its key);
             * a failed read renders no notice rather than a code for a name */
            struct yw_stmt *q = rc ? NULL : yw_db_prepare(c, "SELECT m.name FROM case_materials m JOIN cases x ON "
                                                             "x.id = m.case_id WHERE (x.id = ? OR x.parent_id = ?) AND "
                                                             "m.material_code = ? LIMIT 1");
            if (q) {
                yw_db_bind_int(q, 1, k->id);
                yw_db_bind_int(q, 2, k->id);
                yw_db_bind_str(q, 3, what);
                int qrc = yw_db_step(q);
                if (qrc == YW_ROW) {
                    snprintf(names[i], sizeof names[i], "%s", yw_db_col_text(q, 0));
                    what = names[i];
                }
                yw_db_reset(q);
                if (qrc != YW_ROW && qrc != YW_DONE)
                    rc = yw_fail(err, qrc < 0 ? qrc : YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
            } else if (rc == 0) {
                rc = yw_fail(err, YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
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
    } else if (!strcmp(kind, "not_accepted")) {
        doc = yw_pdf_new("不予受理通知书");
        snprintf(no, sizeof no, "徐汇不受〔%.4s〕第%s号", k->case_no + 2, k->case_no);
        yw_pdf_heading(doc, ISSUER, "不 予 受 理 通 知 书", no);
        snprintf(para, sizeof para, "%s：", k->applicant_name);
        yw_pdf_line(doc, para);
        snprintf(para, sizeof para, "你（单位）提出的%s申请，经审查，决定不予受理。理由如下：%s", k->title, k->result_note);
        yw_pdf_paragraph(doc, para);
        yw_pdf_paragraph(doc, "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。");
        applicant_fields(doc, k, NULL, NULL);
    } else { /* decision */
        bool approved = !strcmp(st, CS_APPROVED);
        doc = yw_pdf_new(approved ? "准予许可决定书" : "不予许可决定书");
        snprintf(no, sizeof no, "徐汇决〔%.4s〕第%s号", k->case_no + 2, k->case_no);
        yw_pdf_heading(doc, ISSUER, approved ? "准 予 许 可 决 定 书" : "不 予 许 可 决 定 书", no);
        snprintf(para, sizeof para, "%s：", k->applicant_name);
        yw_pdf_line(doc, para);
        char acc[32];
        cn_date(k->accepted_at, acc, sizeof acc);
        if (approved)
            snprintf(para, sizeof para, "你（单位）于%s受理的%s申请，经审查，符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予许可。",
                     acc, k->title);
        else
            snprintf(para, sizeof para, "你（单位）于%s受理的%s申请，经审查，不符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第二款的规定，决定不予许可。理由：%s。如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
                     acc, k->title, k->result_note);
        yw_pdf_paragraph(doc, para);
        json_t *tasks = yw_case_tasks_json(c, k->id);
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
            cells[rows * 3 + 1] = !strcmp(ts, "approved") ? "同意" : !strcmp(ts, "denied") ? "不同意" : !strcmp(ts, "done") ? "已出具意见" : ts;
            cells[rows * 3 + 2] = json_string_value(json_object_get(t, "opinion"));
            rows++;
        }
        const char *header[] = { "审查部门", "审查结论", "审查意见" };
        if (rows)
            yw_pdf_table(doc, header, 3, cells, rows);
        free(cells);
        json_decref(tasks);
    }
    if (rc == 0) {
        yw_pdf_qr(doc, url, "扫码查询办理进度");
        yw_pdf_signature(doc, ISSUER, today);
        rc = yw_pdf_render(doc, out, len, err);
    }
    yw_pdf_free(doc);
    return rc;
}

int
yw_case_status_sheet(const struct yw_case *k, const char *base_url, char **out, size_t *len, struct yw_err *err)
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
    const char *kv[] = { "办件编号", k->case_no, "事项名称", k->title, "提交时间", submitted, "当前状态", status_text(k->status),
                         "承诺办结日期", due };
    yw_pdf_fields(doc, kv, 5);
    yw_pdf_note(doc, "本查询单不含个人信息，仅供查询办理进度使用。");
    yw_pdf_qr(doc, url, "扫码查询办理进度");
    yw_pdf_signature(doc, ISSUER, today);
    int rc = yw_pdf_render(doc, out, len, err);
    yw_pdf_free(doc);
    return rc;
}
