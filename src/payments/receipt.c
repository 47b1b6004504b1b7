/*
 * receipt.c - the electronic receipt of a paid fee as PDF, with the fields of
 * a 财政电子票据 (票据代码, 票据号码, 校验码, 交款人, 开票日期, 项目, 金额 in
 * figures and in capitals, 收款单位) and a QR code that opens it again, laid
 * out by src/pdf like the case notices.
 */
#include "payments/internal.h"

#include "core/cnid.h"
#include "core/crypto.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <string.h>

void
yw_pay__capitals(int64_t fen, char *out, size_t n)
{
    static const char *const dig[] = { "零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖" };
    static const char *const unit[] = { "", "拾", "佰", "仟" };
    static const char *const big[] = { "", "万", "亿" };
    struct yw_buf b;
    yw_buf_init(&b);
    int64_t yuan = fen / 100;
    int jiao = (int)(fen / 10 % 10), f = (int)(fen % 10);
    if (yuan > 0) {
        int groups[4], ng = 0;
        for (int64_t y = yuan; y > 0 && ng < 3; y /= 10000)
            groups[ng++] = (int)(y % 10000);
        bool zero = false;
        for (int g = ng - 1; g >= 0; g--) {
            int v = groups[g];
            if (v == 0) {
                zero = true;
                continue;
            }
            for (int i = 3; i >= 0; i--) {
                int d = v / (i == 3 ? 1000 : i == 2 ? 100 : i == 1 ? 10 : 1) % 10;
                if (d == 0) {
                    zero = b.n > 0;
                    continue;
                }
                if (zero)
                    yw_buf_adds(&b, "零");
                zero = false;
                yw_buf_adds(&b, dig[d]);
                yw_buf_adds(&b, unit[i]);
            }
            yw_buf_adds(&b, big[g]);
        }
        yw_buf_adds(&b, "元");
    }
    if (jiao == 0 && f == 0) {
        yw_buf_adds(&b, yuan > 0 ? "整" : "零元整");
    } else {
        if (jiao)
            yw_buf_printf(&b, "%s角", dig[jiao]);
        else if (yuan > 0)
            yw_buf_adds(&b, "零");
        if (f)
            yw_buf_printf(&b, "%s分", dig[f]);
    }
    snprintf(out, n, "%.*s", (int)b.n, b.p ? b.p : "");
    yw_buf_release(&b);
}

int
yw_pay__receipt_pdf(const struct yw_pay_order *o, const char *base_url, char **out, size_t *len,
                    struct yw_err *err)
{
    const struct yw_pay_settings *cfg = yw_pay__cfg();
    char amount[32], caps[160], ident[24], check[80], hex[65], date[32], code[16];
    snprintf(amount, sizeof amount, "%lld.%02lld", (long long)(o->paid_fen / 100),
             (long long)(o->paid_fen % 100));
    yw_pay__capitals(o->paid_fen, caps, sizeof caps);
    if (strlen(o->payer_ident) == 18 && yw_cnid_check_id(o->payer_ident, 18, NULL, NULL) == 0)
        yw_cnid_mask_id(o->payer_ident, ident);
    else
        snprintf(ident, sizeof ident, "%s", o->payer_ident);
    /* 校验码: the first 10 hex digits of SM3 over number, amount and payer */
    snprintf(check, sizeof check, "%s|%lld|%s", o->receipt_no, (long long)o->paid_fen,
             o->payer_ident);
    yw_sm3_hex(check, strlen(check), hex);
    hex[10] = '\0';
    snprintf(date, sizeof date, "%.10s", o->paid_at);
    snprintf(code, sizeof code, "31%.4s0001", o->paid_day);
    const char *how = !strcmp(o->channel, "window")    ? "窗口POS刷卡"
                      : !strcmp(o->channel, "gateway") ? "统一公共支付平台（网上支付）"
                                                       : o->channel;
    struct yw_pdf_doc *doc = yw_pdf_new("缴费电子票据");
    yw_pdf_heading(doc, cfg->pay_payee, "上海市非税收入一般缴款书（电子）", o->receipt_no);
    const char *kv[] = {
        "票据代码",     code,
        "票据号码",     o->receipt_no,
        "校验码",       hex,
        "开票日期",     date,
        "交款人",       o->payer_name,
        "证件号码",     ident,
        "项目名称",     o->title,
        "办件编号",     o->case_no,
        "收费依据",     o->fee_basis,
        "金额（小写）", amount,
        "金额（大写）", caps,
        "缴款方式",     how,
        "交易参考号",   o->provider_ref,
        "收款单位",     cfg->pay_payee,
    };
    yw_pdf_fields(doc, kv, sizeof kv / sizeof kv[0] / 2);
    yw_pdf_note(doc,
                "本票据由财政部门监制，与纸质票据具有同等法律效力；扫码或凭票据号码、校验码查验。");
    char url[400];
    snprintf(url, sizeof url, "%s/api/v1/payments/orders/%s/receipt.pdf", base_url, o->order_no);
    yw_pdf_qr(doc, url, "扫码查验票据");
    char today[40];
    snprintf(today, sizeof today, "%.4s年%.2s月%.2s日", o->paid_day, o->paid_day + 5,
             o->paid_day + 8);
    yw_pdf_signature(doc, cfg->pay_payee, today);
    int rc = yw_pdf_render(doc, out, len, err);
    yw_pdf_free(doc);
    return rc;
}
