/*
 * forms.c - help with the forms people fill in (issue 15): for every material
 * of an item that is a form to fill in (its name ends in 申请书, 申请表,
 * 登记表, 确认表, 申报表, 信息表, 承诺书 or 登记（备案）表 - yw_catalog_fillable),
 * a blank form and a filled-in example (示例样表) as PDF:
 *
 *   GET /api/v1/items/{code}/materials/{mcode}/form.pdf            blank
 *   GET /api/v1/items/{code}/materials/{mcode}/form.pdf?example=1  the example
 *
 * The form lists the item's form fields (the fields the online application
 * asks), each with an empty box or an example answer of its type, then the
 * signature line.  Public, like the guide it belongs to.
 */
#include "catalog/internal.h"

#include "pdf/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

bool
yw_catalog_fillable(const char *material_name)
{
    static const char *const tails[] = { "申请书", "申请表",     "登记表",
                                         "确认表", "申报表",     "信息表",
                                         "承诺书", "缴存登记表", "登记表（单位）" };
    if (material_name == NULL)
        return false;
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++)
        if (ends_with(material_name, tails[i]))
            return true;
    return false;
}

/* An example answer of a field's type (示例样表): plainly an example. */
static const char *
example_value(json_t *f)
{
    const char *type = json_string_value(json_object_get(f, "type"));
    const char *key = json_string_value(json_object_get(f, "key"));
    if (type == NULL)
        type = "text";
    if (!strcmp(type, "id_number"))
        return "310104199001011234（示例）";
    if (!strcmp(type, "uscc"))
        return "91310104MA1FL8XQ10（示例）";
    if (!strcmp(type, "phone"))
        return "13800000000";
    if (!strcmp(type, "date"))
        return "2026年12月1日";
    if (!strcmp(type, "address"))
        return "上海市徐汇区漕溪北路336号";
    if (!strcmp(type, "number"))
        return "100";
    if (!strcmp(type, "choice")) {
        json_t *o = json_array_get(json_object_get(f, "options"), 0);
        return o ? json_string_value(o) : "";
    }
    if (key && (strstr(key, "name") || !strcmp(key, "legal_rep") || !strcmp(key, "contact_name")))
        return strstr(key, "company") || strstr(key, "proposed") ? "上海徐汇示例科技有限公司"
                                                                 : "张示例";
    return "（按实际情况填写）";
}

int
yw_cat__form_pdf(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code"), *mcode = yw_req_param(req, "mcode");
    const char *ex = yw_req_query(req, "example");
    bool example = ex && !strcmp(ex, "1");
    if (ex && *ex && strcmp(ex, "1") && strcmp(ex, "0"))
        return yw_fail(&req->err, YW_EFIELD, "example", "example is 1 (the example) or 0 (blank)");
    json_t *item = NULL;
    int64_t id = 0;
    int rc = yw_catalog_item_current(req->db, code, &id, NULL, &item);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no item '%.40s'", code);
    if (rc)
        return rc;
    json_t *mat = NULL, *m;
    size_t i;
    json_array_foreach(json_object_get(item, "materials"), i,
                       m) if (!strcmp(json_string_value(json_object_get(m, "code")), mcode)) mat =
        m;
    const char *mname = mat ? json_string_value(json_object_get(mat, "name")) : NULL;
    if (mat == NULL || !yw_catalog_fillable(mname)) {
        json_decref(item);
        return yw_fail(&req->err, YW_ENOTFOUND, "",
                       "material '%.40s' of item '%.40s' is not a form to fill in", mcode, code);
    }
    char dept[200];
    yw_cat__snap_dept_name(json_string_value(json_object_get(item, "dept")), dept, sizeof dept);
    struct yw_pdf_doc *doc = yw_pdf_new(mname);
    yw_pdf_heading(doc, dept[0] ? dept : "上海市徐汇区", mname,
                   example ? "示例样表（仅供参考）" : NULL);
    char para[600];
    snprintf(para, sizeof para, "事项：%s（%s）", json_string_value(json_object_get(item, "name")),
             json_string_value(json_object_get(item, "code")));
    yw_pdf_line(doc, para);
    json_t *fields = json_object_get(item, "form");
    size_t n = json_array_size(fields);
    const char **kv = calloc(2 * (n ? n : 1), sizeof *kv);
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        kv[2 * i] = json_string_value(json_object_get(f, "label"));
        kv[2 * i + 1] = example ? example_value(f) : " ";
    }
    if (n)
        yw_pdf_fields(doc, kv, n);
    free(kv);
    yw_pdf_space(doc, 6);
    yw_pdf_paragraph(
        doc,
        example
            ? "以上内容为填写示例，请按本人（本单位）实际情况填写。网上办理的，系统已按表单自动生成本表，无需另行上传。"
            : "请用黑色签字笔或钢笔填写，字迹清楚；网上办理的，系统按在线表单自动生成本表，无需另行上传。");
    yw_pdf_space(doc, 10);
    yw_pdf_line(doc, "申请人（签字或盖章）：________________    日期：____年__月__日");
    char *pdf = NULL;
    size_t len = 0;
    rc = yw_pdf_render(doc, &pdf, &len, &req->err);
    yw_pdf_free(doc);
    if (rc) {
        json_decref(item);
        return rc;
    }
    char disp[160];
    snprintf(disp, sizeof disp, "inline; filename=\"%s-%s.pdf\"", mcode,
             example ? "example" : "blank");
    json_decref(item);
    yw_resp_header(req, "Content-Disposition", disp);
    yw_resp_header(req, "Cache-Control", "public, max-age=300");
    return yw_resp_take(req, 200, "application/pdf", pdf, len);
}
