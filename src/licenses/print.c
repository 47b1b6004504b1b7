/*
 * print.c - a license printed as PDF: its fields in a ruled table, the
 * identifier, the issuer's seal and a QR code that opens the public check page
 * for the identifier (what a verifier needs: the page shows whether the
 * license is valid, revoked or suspended, and the full document can be checked
 * offline with `ywtb verify license`, which the API documentation names - the
 * citizen's print only says how to check it by QR code or on the portal).
 */
#include "licenses/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
yw_lic__print(struct yw_dbc *c, const char *id, const char *base_url, char **out, size_t *len,
              struct yw_err *err)
{
    json_t *o = NULL;
    int rc = yw_lic__license_json(c, id, false, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no license '%.100s'", id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read license '%.100s'", id);
    /* field labels from the type: a failed read prints nothing, rather than
     * a license without its fields */
    const char *type_code = json_string_value(json_object_get(o, "type"));
    const struct yw_catalog_license_type *t;
    struct yw_lic_names names;
    yw_lic__names_init(&names, c);
    rc = yw_lic__names_type(&names, type_code, &t);
    json_t *labels = rc ? NULL : json_loads(t->fields, 0, NULL);
    yw_lic__names_release(&names);
    if (rc) {
        rc = yw_fail(err, rc, "", "cannot read the fields of license type '%.16s'", type_code);
        json_decref(o);
        return rc;
    }
    const char *type_name = json_string_value(json_object_get(o, "type_name"));
    struct yw_pdf_doc *doc = yw_pdf_new(type_name);
    yw_pdf_heading(doc, json_string_value(json_object_get(o, "issuer_name")), type_name,
                   "电子证照");
    json_t *holder = json_object_get(o, "holder");
    const char *kind = json_string_value(json_object_get(holder, "kind"));
    char ident[24];
    if (!strcmp(kind, "person"))
        yw_cnid_mask_id(json_string_value(json_object_get(holder, "ident")), ident);
    else
        snprintf(ident, sizeof ident, "%s", json_string_value(json_object_get(holder, "ident")));
    const char *vu = json_string_value(json_object_get(o, "valid_until"));
    const char *st = json_string_value(json_object_get(o, "status"));
    const char *kv[64];
    size_t n = 0;
    kv[n++] = "持证主体";
    kv[n++] = json_string_value(json_object_get(holder, "name"));
    kv[n++] = !strcmp(kind, "person") ? "公民身份号码" : "统一社会信用代码";
    kv[n++] = ident;
    size_t i;
    json_t *f;
    json_t *fields = json_object_get(o, "fields");
    char masked[28][24];
    int nm = 0;
    json_array_foreach(labels, i, f)
    {
        const char *v = json_string_value(
            json_object_get(fields, json_string_value(json_object_get(f, "key"))));
        if (v && *v && n < 56) {
            kv[n++] = json_string_value(json_object_get(f, "label"));
            /* ID numbers are masked on paper, as everywhere else outside the wallet */
            const char *type = json_string_value(json_object_get(f, "type"));
            if (type && !strcmp(type, "id_number") && nm < 28) {
                yw_cnid_mask_id(v, masked[nm]);
                v = masked[nm++];
            }
            kv[n++] = v;
        }
    }
    kv[n++] = "有效期自";
    kv[n++] = json_string_value(json_object_get(o, "valid_from"));
    kv[n++] = "有效期至";
    kv[n++] = vu && *vu ? vu : "长期";
    kv[n++] = "状态";
    kv[n++] = !strcmp(st, "valid") ? "有效" : !strcmp(st, "revoked") ? "已吊销/注销" : "已暂停";
    yw_pdf_fields(doc, kv, n / 2);
    char idline[200];
    snprintf(idline, sizeof idline, "证照标识（GB/T 36904）：%s", id);
    yw_pdf_note(doc, idline);
    yw_pdf_note(
        doc,
        "本证照由发证部门以SM2数字签名（SM3摘要）签发。用手机扫描右侧二维码，或在“一网通办”电子证照核验页输入证照标识，即可核验真伪与状态。");
    char url[400], today[32], d[11];
    snprintf(url, sizeof url, "%s/verify.html?id=%s", base_url, id);
    yw_pdf_qr(doc, url, "扫码核验");
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), d);
    snprintf(today, sizeof today, "%.4s年%d月%d日", d, atoi(d + 5), atoi(d + 8));
    yw_pdf_signature(doc, json_string_value(json_object_get(o, "issuer_name")), today);
    rc = yw_pdf_render(doc, out, len, err);
    yw_pdf_free(doc);
    json_decref(labels);
    json_decref(o);
    return rc;
}

/* What anyone holding the identifier may learn: type, issuer, status and
 * dates, the holder's name and masked identifier. */
int
yw_lic__public_status(struct yw_dbc *c, const char *id, json_t **out)
{
    json_t *o = NULL;
    *out = NULL;
    int rc = yw_lic__license_json(c, id, false, &o);
    if (rc)
        return rc;
    json_t *holder = json_object_get(o, "holder");
    const char *ident = json_string_value(json_object_get(holder, "ident"));
    char masked[24], name[160];
    const char *hname = json_string_value(json_object_get(holder, "name"));
    if (!strcmp(json_string_value(json_object_get(holder, "kind")), "person")) {
        yw_cnid_mask_id(ident, masked);
        /* a citizen's name too: the surname and a star (张*) */
        size_t first = 1;
        while (hname[first] && ((unsigned char)hname[first] & 0xC0) == 0x80)
            first++;
        snprintf(name, sizeof name, "%.*s*", (int)first, hname);
    } else {
        snprintf(masked, sizeof masked, "%s", ident);
        snprintf(name, sizeof name, "%s", hname);
    }
    json_t *p =
        json_pack("{s:O, s:O, s:O, s:O, s:O, s:{s:s, s:s}, s:O, s:O, s:O, s:O, s:O, s:O, s:O}",
                  "id", json_object_get(o, "id"), "type", json_object_get(o, "type"), "type_name",
                  json_object_get(o, "type_name"), "issuer_dept", json_object_get(o, "issuer_dept"),
                  "issuer_name", json_object_get(o, "issuer_name"), "holder", "name", name, "ident",
                  masked, "status_at", json_object_get(o, "status_at"), "valid_from",
                  json_object_get(o, "valid_from"), "valid_until",
                  json_object_get(o, "valid_until"), "status", json_object_get(o, "status"),
                  "status_reason", json_object_get(o, "status_reason"), "expired",
                  json_object_get(o, "expired"), "usable", json_object_get(o, "usable"));
    json_decref(o);
    *out = p;
    return 0;
}
