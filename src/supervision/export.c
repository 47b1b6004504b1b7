/*
 * export.c - the figures as an Excel workbook (XLSX) with libxlsxwriter:
 * Chinese headers, numbers written as numbers, days as dates (an Excel
 * date with a yyyy-mm-dd format, not text), rates (on time, 满意率) as
 * percentages - what an
 * office opens and sums without retyping.  Sheets: 汇总 (the period's
 * totals), 部门 (departments compared), 每日 (day by day), 热门事项, 多次跑动
 * (the cases whose applicant came to a window more than once).
 *
 * libxlsxwriter 1.1 writes to a file only, so the workbook goes to an
 * unlinked-after-reading temporary file under TMPDIR.
 */
#include "supervision/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const struct {
    const char *key, *zh;
} METRICS[] = {
    { "received", "收件" },
    { "accepted", "受理" },
    { "not_accepted", "不予受理" },
    { "approved", "办结" },
    { "denied", "不予许可" },
    { "withdrawn", "撤回" },
    { "tasks_done", "审查任务完成" },
    { "tasks_on_time", "按时完成" },
    { "days_used", "用时合计（工作日）" },
    { "ratings", "评价数" },
    { "ratings_good", "满意评价" },
    { "ratings_bad", "不满意评价" },
    { "visits", "窗口接待人次" },
    { "cases_visited", "到窗口办理的办件" },
    { "cases_revisited", "跑动超过一次的办件" },
};
#define NMETRICS (sizeof METRICS / sizeof METRICS[0])

static double
numv(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

/* The metric columns of one row, from column c. */
static void
metric_cells(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *o, lxw_format *pct,
             lxw_format *dec)
{
    for (size_t i = 0; i < NMETRICS; i++)
        worksheet_write_number(ws, r, (lxw_col_t)(c + i), numv(o, METRICS[i].key), NULL);
    json_t *rate = json_object_get(o, "on_time_rate"), *avg = json_object_get(o, "avg_days_used");
    json_t *sat = json_object_get(o, "satisfaction");
    if (json_is_number(rate))
        worksheet_write_number(ws, r, (lxw_col_t)(c + NMETRICS), json_number_value(rate), pct);
    if (json_is_number(avg))
        worksheet_write_number(ws, r, (lxw_col_t)(c + NMETRICS + 1), json_number_value(avg), dec);
    if (json_is_number(sat))
        worksheet_write_number(ws, r, (lxw_col_t)(c + NMETRICS + 2), json_number_value(sat), pct);
}

static void
metric_heads(lxw_worksheet *ws, lxw_col_t c, lxw_format *bold)
{
    for (size_t i = 0; i < NMETRICS; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c + i), METRICS[i].zh, bold);
    worksheet_write_string(ws, 0, (lxw_col_t)(c + NMETRICS), "按时办结率", bold);
    worksheet_write_string(ws, 0, (lxw_col_t)(c + NMETRICS + 1), "平均用时（工作日）", bold);
    worksheet_write_string(ws, 0, (lxw_col_t)(c + NMETRICS + 2), "满意率", bold);
}

int
yw_sup__stats_xlsx(json_t *s, char **out, size_t *len, struct yw_err *err)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/ywtb-stats-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return yw_fail(err, YW_EIO, "", "cannot create the workbook's temporary file");
    close(fd);
    int rc = 0;
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL) {
        unlink(path);
        return yw_fail(err, YW_EIO, "", "cannot create the workbook");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.0%");
    lxw_format *dec = workbook_add_format(wb);
    format_set_num_format(dec, "0.00");

    /* 汇总 */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
    worksheet_write_string(ws, 0, 0, "起始日期", bold);
    worksheet_write_string(ws, 1, 0, "截止日期", bold);
    int y, m, d;
    const char *from = json_string_value(json_object_get(s, "from"));
    const char *to = json_string_value(json_object_get(s, "to"));
    if (from && sscanf(from, "%d-%d-%d", &y, &m, &d) == 3)
        worksheet_write_datetime(ws, 0, 1, &(lxw_datetime){ y, m, d, 0, 0, 0 }, date);
    if (to && sscanf(to, "%d-%d-%d", &y, &m, &d) == 3)
        worksheet_write_datetime(ws, 1, 1, &(lxw_datetime){ y, m, d, 0, 0, 0 }, date);
    json_t *tot = json_object_get(s, "total");
    for (size_t i = 0; i < NMETRICS; i++) {
        worksheet_write_string(ws, (lxw_row_t)(2 + i), 0, METRICS[i].zh, bold);
        worksheet_write_number(ws, (lxw_row_t)(2 + i), 1, numv(tot, METRICS[i].key), NULL);
    }
    worksheet_write_string(ws, (lxw_row_t)(2 + NMETRICS), 0, "按时办结率", bold);
    if (json_is_number(json_object_get(tot, "on_time_rate")))
        worksheet_write_number(ws, (lxw_row_t)(2 + NMETRICS), 1, numv(tot, "on_time_rate"), pct);
    worksheet_write_string(ws, (lxw_row_t)(3 + NMETRICS), 0, "满意率", bold);
    if (json_is_number(json_object_get(tot, "satisfaction")))
        worksheet_write_number(ws, (lxw_row_t)(3 + NMETRICS), 1, numv(tot, "satisfaction"), pct);
    worksheet_write_string(ws, (lxw_row_t)(4 + NMETRICS), 0,
                           "多次跑动率（跑动超过一次 / 到窗口办理）", bold);
    if (json_is_number(json_object_get(tot, "revisit_share")))
        worksheet_write_number(ws, (lxw_row_t)(4 + NMETRICS), 1, numv(tot, "revisit_share"), pct);
    worksheet_set_column(ws, 0, 0, 20, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);

    /* 部门 */
    ws = workbook_add_worksheet(wb, "部门");
    worksheet_write_string(ws, 0, 0, "部门编码", bold);
    worksheet_write_string(ws, 0, 1, "部门名称", bold);
    metric_heads(ws, 2, bold);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(s, "departments"), i, v)
    {
        worksheet_write_string(ws, (lxw_row_t)(1 + i), 0,
                               json_string_value(json_object_get(v, "dept")), NULL);
        worksheet_write_string(ws, (lxw_row_t)(1 + i), 1,
                               json_string_value(json_object_get(v, "dept_name")), NULL);
        metric_cells(ws, (lxw_row_t)(1 + i), 2, v, pct, dec);
    }
    worksheet_set_column(ws, 1, 1, 30, NULL);

    /* 每日 */
    ws = workbook_add_worksheet(wb, "每日");
    worksheet_write_string(ws, 0, 0, "日期", bold);
    metric_heads(ws, 1, bold);
    json_array_foreach(json_object_get(s, "days"), i, v)
    {
        const char *day = json_string_value(json_object_get(v, "day"));
        if (day && sscanf(day, "%d-%d-%d", &y, &m, &d) == 3)
            worksheet_write_datetime(ws, (lxw_row_t)(1 + i), 0, &(lxw_datetime){ y, m, d, 0, 0, 0 },
                                     date);
        metric_cells(ws, (lxw_row_t)(1 + i), 1, v, pct, dec);
    }
    worksheet_set_column(ws, 0, 0, 12, NULL);

    /* 热门事项 */
    ws = workbook_add_worksheet(wb, "热门事项");
    worksheet_write_string(ws, 0, 0, "事项编码", bold);
    worksheet_write_string(ws, 0, 1, "部门编码", bold);
    worksheet_write_string(ws, 0, 2, "收件", bold);
    json_array_foreach(json_object_get(s, "top_items"), i, v)
    {
        worksheet_write_string(ws, (lxw_row_t)(1 + i), 0,
                               json_string_value(json_object_get(v, "code")), NULL);
        worksheet_write_string(ws, (lxw_row_t)(1 + i), 1,
                               json_string_value(json_object_get(v, "dept")), NULL);
        worksheet_write_number(ws, (lxw_row_t)(1 + i), 2, numv(v, "received"), NULL);
    }

    /* 多次跑动: the cases whose applicant came to a window more than once */
    ws = workbook_add_worksheet(wb, "多次跑动");
    static const char *const heads[] = { "办件编号",   "部门编码",   "事项编码",
                                         "到窗口次数", "首次到窗口", "最近到窗口" };
    for (lxw_col_t k = 0; k < 6; k++)
        worksheet_write_string(ws, 0, k, heads[k], bold);
    json_array_foreach(json_object_get(s, "revisited_cases"), i, v)
    {
        lxw_row_t r = (lxw_row_t)(1 + i);
        worksheet_write_string(ws, r, 0, json_string_value(json_object_get(v, "case_no")), NULL);
        worksheet_write_string(ws, r, 1, json_string_value(json_object_get(v, "dept")), NULL);
        worksheet_write_string(ws, r, 2, json_string_value(json_object_get(v, "code")), NULL);
        worksheet_write_number(ws, r, 3, numv(v, "visits"), NULL);
        const char *days[2] = { json_string_value(json_object_get(v, "first_visit")),
                                json_string_value(json_object_get(v, "last_visit")) };
        for (int k = 0; k < 2; k++)
            if (days[k] && sscanf(days[k], "%d-%d-%d", &y, &m, &d) == 3)
                worksheet_write_datetime(ws, r, (lxw_col_t)(4 + k),
                                         &(lxw_datetime){ y, m, d, 0, 0, 0 }, date);
    }
    worksheet_set_column(ws, 0, 0, 20, NULL);
    worksheet_set_column(ws, 4, 5, 12, NULL);

    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return yw_fail(err, YW_EIO, "", "cannot write the workbook");
    }
    FILE *f = fopen(path, "rb");
    unlink(path);
    if (f == NULL)
        return yw_fail(err, YW_EIO, "", "cannot read the workbook back");
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size <= 0) {
        fclose(f);
        return yw_fail(err, YW_EIO, "", "cannot read the workbook back");
    }
    char *buf = malloc((size_t)st.st_size);
    if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(buf);
        rc = yw_fail(err, YW_EIO, "", "cannot read the workbook back");
    } else {
        *out = buf;
        *len = (size_t)st.st_size;
    }
    fclose(f);
    return rc;
}
