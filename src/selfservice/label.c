/*
 * label.c - the shipping label of a result that goes by mail: a PDF with the
 * sender (the hall), the recipient, phone and address the applicant chose,
 * the carrier and its tracking number once shipped, and the case number as a
 * QR code (the pdf module draws QR symbols, so the barcode is two-dimensional)
 * that the hall's scanner reads back.  Only hall staff print it, only for a
 * delivery by mail; each print is audited.
 */
#include "selfservice/internal.h"

#include "core/clock.h"
#include "core/roles.h"
#include "db/audit.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HALL_NAME "上海市徐汇区行政服务中心"

struct label_tx {
    struct yw_req *req;
    const char *case_no;
};

static int
label_audit_tx(struct yw_dbc *c, void *ctx)
{
    struct label_tx *t = ctx;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)t->req->who->account_id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "",
                                                     .action = "delivery.label",
                                                     .obj_type = "delivery",
                                                     .obj_id = t->case_no,
                                                     .summary = "{}" });
}

int
yw_ss__h_label(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    struct yw_stmt *s;
    int rc = yw_db_one_row(req->db, &s,
                           "SELECT title, result, method, status, recipient, phone, address, "
                           "carrier, tracking_no FROM ss_deliveries WHERE case_no = ?",
                           "s", case_no ? case_no : "");
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "",
                       "case '%.40s' has no paper result to deliver (no delivery)",
                       case_no ? case_no : "");
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the delivery");
    char *f[9];
    for (int i = 0; i < 9; i++)
        f[i] = yw_arena_strdup(&req->arena, yw_db_col_text(s, i));
    yw_db_reset(s);
    const char *title = f[0], *result = f[1], *method = f[2], *status = f[3], *recipient = f[4],
               *phone = f[5], *address = f[6], *carrier = f[7], *tracking = f[8];
    if (strcmp(method, "mail") || (strcmp(status, "pending") && strcmp(status, "shipped")))
        return yw_fail(&req->err, YW_ESTATE, "",
                       "no label: the result is not going by mail (method '%s', status %s)",
                       method, status);
    char today[32];
    yw_clock_format(yw_clock_now_ms(), today);
    today[10] = '\0';
    struct yw_pdf_doc *doc = yw_pdf_new("邮寄面单 Shipping label");
    yw_pdf_heading(doc, HALL_NAME, "政务服务结果邮寄面单", case_no);
    const char *to[] = { "收件人 Recipient", recipient, "电话 Phone", phone, "地址 Address",
                         address };
    yw_pdf_fields(doc, to, 3);
    yw_pdf_space(doc, 4);
    const char *from[] = { "寄件人 Sender",
                           HALL_NAME,
                           "寄件地址 From",
                           *yw_ss__cfg()->ss_sender_address ? yw_ss__cfg()->ss_sender_address
                                                             : HALL_NAME,
                           "承运 Carrier",
                           *carrier ? carrier : yw_ss__cfg()->ss_carrier_name,
                           "运单号 Tracking no.",
                           *tracking ? tracking : "（寄出时填写 filled when shipped）",
                           "内件 Contents",
                           yw_arena_printf(&req->arena, "%s（%s）", result, title),
                           "办件编号 Case no.",
                           case_no,
                           "日期 Date",
                           today };
    yw_pdf_fields(doc, from, 7);
    yw_pdf_qr(doc, case_no, "办件编号 case number");
    yw_pdf_note(doc, "内件为政务服务办理结果，请当面交收件人本人签收。Official result: hand to the "
                     "recipient in person.");
    char *pdf = NULL;
    size_t len = 0;
    rc = yw_pdf_render(doc, &pdf, &len, &req->err);
    yw_pdf_free(doc);
    if (rc)
        return rc;
    struct label_tx t = { req, case_no };
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, label_audit_tx, &t, &req->err);
    if (rc) {
        free(pdf);
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot record the label");
    }
    yw_resp_header(req, "Content-Disposition", "inline; filename=\"label.pdf\"");
    return yw_resp_take(req, 200, "application/pdf", pdf, len);
}
